//! Short reads on SQLite, run on the calling thread.
//!
//! sqlx runs each SQLite connection on a thread of its own: a query is a message to that
//! thread, and its rows come back one message each, every one a possible wake-up of the
//! task waiting for them. For a read that does little work in SQLite, such as a list page,
//! those thread switches cost more than the query itself.
//!
//! The reads that are bounded by construction (a key lookup, an index walk with a LIMIT)
//! therefore run here instead, on connections of their own that the calling thread uses
//! directly. They never wait: such a connection has no busy timeout, and a read that finds
//! the database locked (only a file in rollback-journal mode, or WAL recovery, does that)
//! answers [`DirectError::Busy`] and is run by the sqlx pool instead, which may wait on its own thread.
//! Unbounded reads (search, history, counts) stay on the pool.
//!
//! Rows are read by column name like the pool's ([`SqlRow`]); the names are looked up once
//! per statement run, on its first row.

use super::rows::{Cells, Column, SqlRow};
use rusqlite::{Connection, ErrorCode, OpenFlags, Statement};
use std::any::TypeId;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A value bound to a direct read's `?` placeholder.
#[derive(Debug, Clone, Copy)]
pub enum Param<'a> {
    Int(i64),
    Text(&'a str),
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

/// Statements whose column layouts a connection keeps for each row type: every direct read's
/// SQL, with room to spare.
const LAYOUTS_PER_ROW_TYPE: usize = 64;

/// Connections to one SQLite file that only read, opened when first needed.
pub struct DirectReads {
    file: PathBuf,
    idle: Mutex<Vec<ReadConnection>>,
}

/// A connection of the direct reads, and where each row type found its columns in each
/// statement it read: looking a column up by name costs more than reading its value, so it
/// is done once per statement and row type, not for every run.
struct ReadConnection {
    conn: Connection,
    layouts: Layouts,
}

/// Where each row type found its columns, by the SQL of the statement. A few row types and
/// a few dozen statements each: a list is searched faster than a hash of the SQL is taken.
#[derive(Default)]
struct Layouts(Vec<(TypeId, Statements)>);

/// The layouts of one row type, by the SQL of the statement.
type Statements = Vec<(Box<str>, ColumnIndexes)>;

impl Layouts {
    /// Where `T`'s columns stood when it last read `sql` (empty the first time).
    fn of<T: 'static>(&mut self, sql: &str) -> &mut ColumnIndexes {
        let row_type = TypeId::of::<T>();
        let of_type = match self.0.iter().position(|(known, _)| *known == row_type) {
            Some(at) => at,
            None => {
                self.0.push((row_type, Vec::new()));
                self.0.len() - 1
            }
        };
        let statements = &mut self.0[of_type].1;
        let at = match statements.iter().position(|(known, _)| **known == *sql) {
            Some(at) => at,
            None => {
                if statements.len() >= LAYOUTS_PER_ROW_TYPE {
                    statements.clear();
                }
                statements.push((sql.into(), ColumnIndexes::default()));
                statements.len() - 1
            }
        };
        &mut statements[at].1
    }
}

impl DirectReads {
    pub fn new(file: &Path) -> DirectReads {
        DirectReads { file: file.to_path_buf(), idle: Mutex::new(Vec::new()) }
    }

    /// Every row of a read. It holds a connection only while it steps through the rows, and
    /// the statement is reset before the connection is handed back, so the read's snapshot
    /// ends with it: the next read sees every write committed before it began.
    pub fn rows<T: SqlRow + 'static>(&self, sql: &str, params: &[Param<'_>]) -> Result<Vec<T>, DirectError> {
        let mut conn = self.take()?;
        let rows = read_rows(&mut conn, sql, params);
        self.give_back(conn);
        Ok(rows?)
    }

    /// Closes the idle connections (a bulk load wants the file to itself).
    pub fn close(&self) {
        self.idle().clear();
    }

    fn take(&self) -> Result<ReadConnection, DirectError> {
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
        Ok(ReadConnection { conn, layouts: Layouts::default() })
    }

    fn give_back(&self, conn: ReadConnection) {
        let mut idle = self.idle();
        if idle.len() < IDLE_CONNECTIONS {
            idle.push(conn);
        }
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<ReadConnection>> {
        // A panic while the list was held cannot leave it inconsistent: it is only pushed and popped.
        self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn read_rows<T: SqlRow + 'static>(
    read: &mut ReadConnection,
    sql: &str,
    params: &[Param<'_>],
) -> rusqlite::Result<Vec<T>> {
    let columns = read.layouts.of::<T>(sql);
    let mut statement = read.conn.prepare_cached(sql)?;
    for (index, param) in params.iter().enumerate() {
        match *param {
            Param::Int(value) => statement.raw_bind_parameter(index + 1, value)?,
            Param::Text(value) => statement.raw_bind_parameter(index + 1, value)?,
        }
    }
    let mut rows = statement.raw_query();
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        found.push(T::read(&mut DirectCells { row, columns, next: 0 })?);
    }
    Ok(found)
}

/// Where the columns a row type asks for stand in a statement, in the order it asks for
/// them: found by name on the first row it reads, and used by position after that, on every
/// row of every later run of the same SQL.
#[derive(Default)]
struct ColumnIndexes(Vec<(&'static str, usize)>);

/// One row of a direct read, for [`SqlRow::read`].
struct DirectCells<'a, 'stmt> {
    row: &'a rusqlite::Row<'stmt>,
    columns: &'a mut ColumnIndexes,
    /// How many columns this row has been asked for so far.
    next: usize,
}

impl DirectCells<'_, '_> {
    #[inline]
    fn index(&mut self, column: &'static str) -> rusqlite::Result<usize> {
        let asked = self.next;
        self.next += 1;
        if let Some(&(known, index)) = self.columns.0.get(asked) {
            // A row type asks for the same columns in the same order every time (see
            // `SqlRow`), so the column it asks for now is the one found for this place before.
            debug_assert_eq!(known, column, "a row type asked for its columns in another order");
            return Ok(index);
        }
        let index = self.find(column, asked)?;
        self.columns.0.push((column, index));
        Ok(index)
    }

    /// A column's index by name, looked for first where a row type's fields usually stand:
    /// in the order the query names them.
    fn find(&self, column: &str, likely: usize) -> rusqlite::Result<usize> {
        let statement: &Statement<'_> = self.row.as_ref();
        match statement.column_name(likely) {
            Ok(name) if name.eq_ignore_ascii_case(column) => Ok(likely),
            _ => statement.column_index(column),
        }
    }
}

impl Cells for DirectCells<'_, '_> {
    type Error = rusqlite::Error;
    #[inline]
    fn get<T: Column>(&mut self, column: &'static str) -> rusqlite::Result<T> {
        let index = self.index(column)?;
        self.row.get::<_, T::Stored>(index).map(T::from_stored)
    }
}

#[cfg(test)]
mod tests {
    use super::super::rows::read_by_name;
    use super::*;
    use tempfile::TempDir;

    #[derive(Debug, PartialEq)]
    struct Title {
        title: String,
    }
    read_by_name!(Title { title });

    fn title(text: &str) -> Title {
        Title { title: text.to_string() }
    }

    #[derive(Debug, PartialEq)]
    struct Post {
        id: i64,
        title: String,
    }
    read_by_name!(Post { id, title });

    #[derive(Debug, PartialEq)]
    struct Count {
        posts: i64,
    }
    read_by_name!(Count { posts });

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
        let titles: Vec<Title> = reads.rows("SELECT title FROM post ORDER BY id", &[]).unwrap();
        assert_eq!(titles, [title("first"), title("second")]);

        // The connection went back idle after that read: it must not keep its snapshot.
        let writer = Connection::open(dir.path().join("forum.db")).unwrap();
        writer.execute("INSERT INTO post (title) VALUES ('third')", []).unwrap();
        let newest: Vec<Post> = reads.rows("SELECT id, title FROM post WHERE id > ?", &[Param::Int(2)]).unwrap();
        assert_eq!(newest, [Post { id: 3, title: "third".to_string() }]);
    }

    #[test]
    fn rows_are_read_by_column_name_in_any_order() {
        let (_dir, reads) = forum_file();
        let posts: Vec<Post> = reads.rows("SELECT title, 0 AS other, id FROM post ORDER BY id", &[]).unwrap();
        let expected = [Post { id: 1, title: "first".to_string() }, Post { id: 2, title: "second".to_string() }];
        assert_eq!(posts, expected);
        let missing = reads.rows::<Post>("SELECT title FROM post", &[]);
        assert!(matches!(missing, Err(DirectError::Failed(rusqlite::Error::InvalidColumnName(_)))), "{missing:?}");
    }

    #[test]
    fn each_row_type_keeps_its_own_layout_of_a_statement() {
        let (_dir, reads) = forum_file();
        let sql = "SELECT title, id FROM post WHERE id = ?";
        for _ in 0..2 {
            let titles: Vec<Title> = reads.rows(sql, &[Param::Int(2)]).unwrap();
            assert_eq!(titles, [title("second")]);
            let posts: Vec<Post> = reads.rows(sql, &[Param::Int(1)]).unwrap();
            assert_eq!(posts, [Post { id: 1, title: "first".to_string() }]);
        }
    }

    #[test]
    fn a_direct_read_cannot_write() {
        let (_dir, reads) = forum_file();
        let outcome = reads.rows::<Post>("DELETE FROM post RETURNING id, title", &[]);
        assert!(matches!(outcome, Err(DirectError::Failed(_))), "{outcome:?}");
        let left: Vec<Count> = reads.rows("SELECT COUNT(*) AS posts FROM post", &[]).unwrap();
        assert_eq!(left, [Count { posts: 2 }]);
    }

    #[test]
    fn a_locked_database_is_busy_not_an_error() {
        let (dir, reads) = forum_file();
        let writer = Connection::open(dir.path().join("forum.db")).unwrap();
        // A rollback journal and an exclusive lock: readers are shut out until it ends.
        writer.execute_batch("PRAGMA journal_mode = DELETE; BEGIN EXCLUSIVE;").unwrap();
        let outcome = reads.rows::<Title>("SELECT title FROM post WHERE title = ?", &[Param::Text("first")]);
        assert!(matches!(outcome, Err(DirectError::Busy)), "{outcome:?}");
        writer.execute_batch("COMMIT").unwrap();
        let found: Vec<Title> = reads.rows("SELECT title FROM post WHERE title = ?", &[Param::Text("first")]).unwrap();
        assert_eq!(found.len(), 1);
    }
}
