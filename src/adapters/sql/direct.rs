//! Short reads on SQLite, run on the calling thread.
//!
//! sqlx runs each SQLite connection on a thread of its own: a query is a message to that
//! thread, and its rows come back one message each, every one a possible wake-up of the
//! task waiting for them. A list page's query does under 50 µs of work in SQLite, and with
//! the cache off a quarter of the server's time went to those thread switches (`perf`:
//! `finish_task_switch`), against 1.4 % in SQLite's own `sqlite3VdbeExec`.
//!
//! The reads that are bounded by construction (a key lookup, an index walk with a LIMIT)
//! therefore run here instead, on connections of their own that the calling thread uses
//! directly. They never wait: such a connection has no busy timeout, and a read that finds
//! the database locked (only a file in rollback-journal mode, or WAL recovery, does that)
//! answers [`DirectError::Busy`] and is run by the sqlx pool instead, which may wait on its own thread.
//! Unbounded reads (search, history, counts) stay on the pool.

use rusqlite::types::FromSql;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A value bound to a direct read's `?` placeholder.
#[derive(Debug, Clone, Copy)]
pub enum Param<'a> {
    Int(i64),
    Text(&'a str),
}

/// A result row as a tuple of SQLite values, read by column position.
pub trait DirectRow: Sized {
    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

macro_rules! direct_row_tuples {
    ($(($($column:tt $ty:ident),+))+) => {$(
        impl<$($ty: FromSql),+> DirectRow for ($($ty,)+) {
            fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                Ok(($(row.get::<_, $ty>($column)?,)+))
            }
        }
    )+};
}

// Every width a read of this adapter has: one column to a post page's thirteen.
direct_row_tuples! {
    (0 A)
    (0 A, 1 B)
    (0 A, 1 B, 2 C)
    (0 A, 1 B, 2 C, 3 D)
    (0 A, 1 B, 2 C, 3 D, 4 E)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M)
}

/// Why a direct read gave no rows.
#[derive(Debug)]
pub enum DirectError {
    /// The database was locked; the caller runs the read where it may wait.
    Busy,
    Failed(rusqlite::Error),
}

impl From<rusqlite::Error> for DirectError {
    fn from(error: rusqlite::Error) -> DirectError {
        match error.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => DirectError::Busy,
            _ => DirectError::Failed(error),
        }
    }
}

/// How many idle connections are kept: one per thread that reads at the same time (the
/// runtime's workers) is all that is ever in use.
const IDLE_CONNECTIONS: usize = 8;

/// Prepared statements kept per connection: every direct read's SQL, with room to spare.
const STATEMENTS_PER_CONNECTION: usize = 64;

/// Connections to one SQLite file that only read, opened when first needed.
pub struct DirectReads {
    file: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl DirectReads {
    pub fn new(file: &Path) -> DirectReads {
        DirectReads { file: file.to_path_buf(), idle: Mutex::new(Vec::new()) }
    }

    /// Every row of a read. It holds a connection only while it steps through the rows, and
    /// the statement is reset before the connection is handed back, so the read's snapshot
    /// ends with it: the next read sees every write committed before it began.
    pub fn rows<T: DirectRow>(&self, sql: &str, params: &[Param<'_>]) -> Result<Vec<T>, DirectError> {
        let conn = self.take()?;
        let rows = read_rows(&conn, sql, params);
        self.give_back(conn);
        Ok(rows?)
    }

    /// Closes the idle connections (a bulk load wants the file to itself).
    pub fn close(&self) {
        self.idle().clear();
    }

    fn take(&self) -> Result<Connection, DirectError> {
        if let Some(conn) = self.idle().pop() {
            return Ok(conn);
        }
        let conn = Connection::open_with_flags(
            &self.file,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Opened read-write like the pool's connections, so it takes part in the WAL and its
        // shared memory as they do; `query_only` holds it to reads whatever SQL reaches it,
        // and it never waits inside SQLite's busy handler.
        conn.execute_batch("PRAGMA query_only = ON; PRAGMA busy_timeout = 0;")?;
        conn.set_prepared_statement_cache_capacity(STATEMENTS_PER_CONNECTION);
        Ok(conn)
    }

    fn give_back(&self, conn: Connection) {
        let mut idle = self.idle();
        if idle.len() < IDLE_CONNECTIONS {
            idle.push(conn);
        }
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        // A panic while the list was held cannot leave it inconsistent: it is only pushed and popped.
        self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn read_rows<T: DirectRow>(conn: &Connection, sql: &str, params: &[Param<'_>]) -> rusqlite::Result<Vec<T>> {
    let mut statement = conn.prepare_cached(sql)?;
    for (index, param) in params.iter().enumerate() {
        match *param {
            Param::Int(value) => statement.raw_bind_parameter(index + 1, value)?,
            Param::Text(value) => statement.raw_bind_parameter(index + 1, value)?,
        }
    }
    let mut rows = statement.raw_query();
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        found.push(T::read(row)?);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tempfile::TempDir;

    /// A database in a folder of its own (removed when the `TempDir` is dropped) and direct reads on it.
    fn forum_file() -> (TempDir, DirectReads) {
        let dir = tempfile::Builder::new().prefix("forum-direct-").tempdir().unwrap();
        let path = dir.path().join("forum.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE post (id INTEGER PRIMARY KEY, title TEXT NOT NULL); \
             INSERT INTO post (title) VALUES ('first'), ('second');",
        )
        .unwrap();
        (dir, DirectReads::new(&path))
    }

    #[test]
    fn a_read_sees_what_was_committed_before_it() {
        let (dir, reads) = forum_file();
        let titles: Vec<(String,)> = reads.rows("SELECT title FROM post ORDER BY id", &[]).unwrap();
        assert_eq!(titles, [("first".to_string(),), ("second".to_string(),)]);

        // The connection went back idle after that read: it must not keep its snapshot.
        let writer = Connection::open(dir.path().join("forum.db")).unwrap();
        writer.execute("INSERT INTO post (title) VALUES ('third')", []).unwrap();
        let newest: Vec<(i64, String)> =
            reads.rows("SELECT id, title FROM post WHERE id > ?", &[Param::Int(2)]).unwrap();
        assert_eq!(newest, [(3, "third".to_string())]);
    }

    #[test]
    fn a_direct_read_cannot_write() {
        let (_dir, reads) = forum_file();
        let outcome = reads.rows::<(i64,)>("DELETE FROM post RETURNING id", &[]);
        assert!(matches!(outcome, Err(DirectError::Failed(_))), "{outcome:?}");
        let left: Vec<(i64,)> = reads.rows("SELECT COUNT(*) FROM post", &[]).unwrap();
        assert_eq!(left, [(2,)]);
    }

    #[test]
    fn a_locked_database_is_busy_not_an_error() {
        let (dir, reads) = forum_file();
        let writer = Connection::open(dir.path().join("forum.db")).unwrap();
        // A rollback journal and an exclusive lock: readers are shut out until it ends.
        writer.execute_batch("PRAGMA journal_mode = DELETE; BEGIN EXCLUSIVE;").unwrap();
        let outcome = reads.rows::<(String,)>("SELECT title FROM post WHERE title = ?", &[Param::Text("first")]);
        assert!(matches!(outcome, Err(DirectError::Busy)), "{outcome:?}");
        writer.execute_batch("COMMIT").unwrap();
        let found: Vec<(String,)> =
            reads.rows("SELECT title FROM post WHERE title = ?", &[Param::Text("first")]).unwrap();
        assert_eq!(found.len(), 1);
    }
}
