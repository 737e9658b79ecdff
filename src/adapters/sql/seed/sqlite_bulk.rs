//! Loading seeded posts into an empty SQLite forum, on both cores.
//!
//! A forum that already has posts is seeded through sqlx a transaction a chunk, so that the
//! forum's own writers get their turns. A forum without posts can be loaded much faster, and
//! every step here is measured against that path (see docs/design.md, "Seeding"):
//! - rusqlite's prepared statements, bound value by value on this thread, instead of sqlx's
//!   multi-row statements, whose values are copied into owned arguments and handed to a
//!   worker thread;
//! - the tables' secondary indexes dropped first and built again from the finished tables;
//! - votes stored at the end in the order of the primary key (user, post), so that its index
//!   is only ever appended to;
//! - the search index built at the same time on the other core, in a scratch file without a
//!   journal, and then copied into the forum's empty index. FTS5 keeps an index in ordinary
//!   shadow tables, and two tables made by the same `CREATE VIRTUAL TABLE` read those alike;
//! - one transaction for all of it, so a seed that fails or is killed leaves no posts behind;
//! - no write-ahead log when nothing else has the file open (see [`Journal`]).

use super::super::projections::refill_statements;
use super::data::{EDIT_INTERVAL_MS, PostMaker, SeedPost, Target, TextPools, user_name};
use super::rows::{ACTIVE_STATE, MEMBER_ROLE, NewUsers, comment_rows, post_row, user_row};
use super::{RECORD_SEEDED, SeededEvent};
use anyhow::{Context, bail};
use rusqlite::{Connection, Statement, Transaction, params};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// The FTS5 table of the search index, and what the scratch file is attached as.
const SEARCH_TABLE: &str = "rm_post_search";
const SCRATCH_SCHEMA: &str = "seed_search";

/// The tables whose secondary indexes are built after their rows.
const SEEDED_TABLES: &str =
    "'post', 'post_content', 'comment', 'comment_content', 'voter_post', 'rm_post', 'rm_comment'";

/// Posts handed from the generator to the two writers at a time, and chunks in flight to each.
const POSTS_PER_CHUNK: i64 = 10_000;
const CHUNKS_AHEAD: usize = 2;

/// Loads the users and `maker`'s posts into the forum at `path`, which must have no posts
/// yet; `progress(done)` after each chunk of posts stored.
pub(super) fn load(
    path: &Path,
    users: &NewUsers,
    maker: PostMaker,
    texts: &TextPools,
    targets: &[Target],
    seeded: &SeededEvent,
    progress: &dyn Fn(u64),
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let phase = |name: &str| tracing::debug!(seconds = started.elapsed().as_secs_f64(), "seed: {name}");
    let scratch = Scratch::create(path)?;
    let mut main = open_forum(path)?;
    let search = scratch.search_index(&main)?;
    let journal = Journal::for_load(&main)?;
    tracing::debug!(?journal, "seed: journal for the load");
    main.execute(&format!("ATTACH DATABASE ?1 AS {SCRATCH_SCHEMA}"), [scratch.path.to_string_lossy()])?;
    let loaded = std::thread::scope(|scope| -> anyhow::Result<()> {
        let (to_tables, for_tables) = sync_channel(CHUNKS_AHEAD);
        let (to_search, for_search) = sync_channel(CHUNKS_AHEAD);
        let expected = maker.planned();
        let thread = |name: &str| std::thread::Builder::new().name(name.to_string());
        thread("seed-generator").spawn_scoped(scope, move || generate(maker, [to_tables, to_search]))?;
        let searcher = thread("seed-search")
            .spawn_scoped(scope, move || build_search_index(search, for_search, expected, texts))?;
        // Deferred, not IMMEDIATE: an immediate transaction would also lock the attached
        // scratch file, which the other thread is writing. The first statement writes to the
        // forum, so the forum's write lock is still taken before anything else is done.
        let tx = main.transaction()?;
        let indexes = drop_secondary_indexes(&tx)?;
        store_users(&tx, users)?;
        // The tables' indexes are built while the other core still works on the search index.
        let stored = store_tables(&tx, for_tables, expected, texts, targets, progress).and_then(|()| {
            phase("rows stored");
            indexes.iter().try_for_each(|create| tx.execute(create, []).map(drop)).map_err(Into::into)
        });
        phase("indexes built");
        let indexed = searcher.join().map_err(|_| anyhow::anyhow!("building the search index panicked"))?;
        phase("search index built");
        the_cause(stored, indexed)?;
        copy_search_index(&tx)?;
        phase("search index copied");
        for refill in refill_statements() {
            tx.execute(&refill, [])?;
        }
        tx.execute(RECORD_SEEDED, params![seeded.at, seeded.payload])?;
        phase("profiles and boards counted");
        tx.commit()?;
        phase("committed");
        Ok(())
    });
    main.execute(&format!("DETACH DATABASE {SCRATCH_SCHEMA}"), [])?;
    let restored = journal.restore(&main);
    phase("journal restored");
    loaded.and(restored)
}

/// A writer that ran out of posts before the plan's end: the generator stopped because the
/// other writer gave up, whose error is the one worth reporting.
#[derive(Debug, thiserror::Error)]
#[error("the load stopped after {done} of {expected} posts")]
struct Abandoned {
    done: i64,
    expected: i64,
}

/// The outcome of the two writers: the first real error, rather than the other writer's
/// [`Abandoned`] that followed from it.
fn the_cause(tables: anyhow::Result<()>, search: anyhow::Result<()>) -> anyhow::Result<()> {
    match (tables, search) {
        (Err(tables), Err(search)) if tables.is::<Abandoned>() => Err(search),
        (tables, search) => tables.and(search),
    }
}

/// How the load's pages reach the forum's file. The forum runs in WAL mode, where every page
/// is written twice: to the log, and again into the database file at the checkpoint, each
/// with an fsync. Growing a file durably is this machine's slowest write (about 420 MB/s, and
/// a 300k-post load writes 1 GB), and it took a quarter of such a load. With the file to
/// itself, the loader switches to a rollback journal instead: an empty forum's new pages go
/// to the end of the file once, and only the few pages that existed before are journaled.
/// SQLite refuses the switch while another connection has the file open (a running server):
/// the load then goes through the log as usual.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Journal {
    Rollback,
    WriteAheadLog,
}

impl Journal {
    fn for_load(conn: &Connection) -> rusqlite::Result<Journal> {
        match conn.query_row("PRAGMA journal_mode = DELETE", [], |row| row.get::<_, String>(0)) {
            Ok(mode) if mode.eq_ignore_ascii_case("delete") => Ok(Journal::Rollback),
            Ok(_) => Ok(Journal::WriteAheadLog),
            // Refused because another connection has the file open.
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseBusy => {
                Ok(Journal::WriteAheadLog)
            }
            Err(e) => Err(e),
        }
    }

    /// Back to WAL; after a load through the log, that log's disk space is given back. (Should
    /// this fail, the forum's own connections switch the file back to WAL as they open.)
    fn restore(self, conn: &Connection) -> anyhow::Result<()> {
        match self {
            Journal::Rollback => conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?,
            Journal::WriteAheadLog => conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?,
        }
        Ok(())
    }
}

/// A connection to the forum for the load: a large page cache for the big transaction and
/// the index builds, temporary data in memory, and no foreign-key checks, since the loader's
/// rows are consistent by construction.
fn open_forum(path: &Path) -> anyhow::Result<Connection> {
    let conn = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.execute_batch(
        "PRAGMA cache_size = -524288; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF; \
         PRAGMA synchronous = NORMAL;",
    )?;
    let posts: i64 = conn.query_row("SELECT COUNT(*) FROM post", [], |row| row.get(0))?;
    if posts > 0 {
        bail!("the bulk loader fills a forum without posts; this one has {posts}");
    }
    Ok(conn)
}

/// The scratch file the search index is built in, next to the forum's file (on the same disk,
/// with room in proportion to the forum's). It is removed when the load is over, however it
/// ends, except when the process is killed: the next seed removes what such a seed left.
struct Scratch {
    path: PathBuf,
}

impl Scratch {
    fn create(forum: &Path) -> anyhow::Result<Scratch> {
        let mut name = forum.as_os_str().to_owned();
        name.push(".seed-search");
        let scratch = Scratch { path: PathBuf::from(name) };
        scratch.remove(); // left behind by a seed that was killed
        Ok(scratch)
    }

    fn remove(&self) {
        let _ = std::fs::remove_file(&self.path);
    }

    /// Opens the scratch file with an empty search index made by the forum's own
    /// `CREATE VIRTUAL TABLE`. Nothing else reads the file while it is written, and a crash
    /// only loses the scratch: no journal, no syncs.
    ///
    /// The index is loaded with FTS5's own settings, as the forum's index grows, and merged
    /// into one segment at the end. FTS5 sorts segments into levels (a write adds a small one
    /// on level 0; four on a level are merged, a little at each write, into one on the level
    /// above, and 16 all at once), and 'optimize' puts its segment on the level above the
    /// highest one in use. A load that merged little (FTS5's merging off, or a 32 MiB hash of
    /// pending terms) left it on level 1, where the forum's own writes reach it within a few
    /// hundred posts: a crisis merge then rewrote the whole index within one write (11.5 s at
    /// 1M posts, the benchmark's post creation stalled with every writer waiting). After a
    /// load with the defaults, 300k posts end on level 5, and 5,000 posts written afterwards
    /// took 0.6 ms at p99 and 12 ms at most (Python's sqlite3, same texts). The load takes
    /// longer (10.1 s for 300k posts against 6-7 s), and at 1M posts this half is now the
    /// longer one: the whole seed took 61 s, against 41.5 s with a 32 MiB hash.
    fn search_index(&self, forum: &Connection) -> anyhow::Result<Connection> {
        let create: String = forum.query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [SEARCH_TABLE],
            |row| row.get(0),
        )?;
        let conn = Connection::open(&self.path)?;
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;")?;
        conn.execute_batch(&create)?;
        Ok(conn)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.remove();
    }
}

/// Makes the posts and hands every chunk to both writers; stops when either gives up.
fn generate(mut maker: PostMaker, writers: [SyncSender<Arc<Vec<SeedPost>>>; 2]) {
    loop {
        let chunk = maker.chunk(POSTS_PER_CHUNK);
        if chunk.is_empty() {
            break;
        }
        let chunk = Arc::new(chunk);
        if writers.iter().any(|writer| writer.send(Arc::clone(&chunk)).is_err()) {
            break;
        }
    }
}

/// Indexes every post's latest title, text and author name, then merges the index into
/// one segment, so a search for a common word walks one list instead of many (3-4x faster
/// at 1M posts than the segments a bulk load leaves). An index of fewer posts than planned
/// means the load was abandoned: it is not merged, only reported.
fn build_search_index(
    mut conn: Connection,
    chunks: Receiver<Arc<Vec<SeedPost>>>,
    expected: i64,
    texts: &TextPools,
) -> anyhow::Result<()> {
    let tx = conn.transaction()?;
    let mut indexed = 0;
    {
        let mut insert =
            tx.prepare(&format!("INSERT INTO {SEARCH_TABLE} (rowid, title, content, author) VALUES (?1, ?2, ?3, ?4)"))?;
        for chunk in chunks {
            for post in chunk.iter() {
                let (_, latest) = post.latest();
                insert.execute(params![
                    post.id,
                    latest.title,
                    texts.posts[latest.text].source,
                    user_name(post.author)
                ])?;
            }
            indexed += chunk.len() as i64;
        }
    }
    if indexed < expected {
        return Err(Abandoned { done: indexed, expected }.into());
    }
    tracing::debug!("seed: search entries written, merging them");
    tx.execute(&format!("INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}) VALUES ('optimize')"), [])?;
    tx.commit()?;
    Ok(())
}

/// Fills the forum's (empty) search index with the one built in the scratch file: every
/// shadow table but the configuration, which the forum keeps as it is.
fn copy_search_index(tx: &Transaction) -> anyhow::Result<()> {
    let shadows: Vec<String> = tx
        .prepare(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name LIKE ?1 ESCAPE '\\' \
             AND name <> ?2 ORDER BY name",
        )?
        .query_map(params![format!("{SEARCH_TABLE}\\_%"), format!("{SEARCH_TABLE}_config")], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    if shadows.is_empty() {
        bail!("the search index {SEARCH_TABLE} has no shadow tables to fill");
    }
    for shadow in shadows {
        // The same columns in the same order: SQLite copies the rows as they are.
        tx.execute(&format!("DELETE FROM main.\"{shadow}\""), [])?;
        tx.execute(&format!("INSERT INTO main.\"{shadow}\" SELECT * FROM {SCRATCH_SCHEMA}.\"{shadow}\""), [])?;
    }
    Ok(())
}

/// Drops the secondary indexes of [`SEEDED_TABLES`] and returns the statements that make
/// them again, as the migrations wrote them. Sorting a finished table into an index writes
/// each index page once, where inserting row by row writes pages all over the indexes by
/// user. Even the six indexes whose keys arrive in order gained nothing from being kept
/// during the load (1M posts: 54.5 s kept, 53.2 s rebuilt).
fn drop_secondary_indexes(tx: &Transaction) -> anyhow::Result<Vec<String>> {
    let indexes: Vec<(String, String)> = tx
        .prepare(&format!(
            "SELECT name, sql FROM main.sqlite_master \
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({SEEDED_TABLES}) ORDER BY name"
        ))?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, _) in &indexes {
        tx.execute(&format!("DROP INDEX main.\"{name}\""), [])?;
    }
    Ok(indexes.into_iter().map(|(_, create)| create).collect())
}

/// Adds the users: their profiles come with the recount at the end of the load.
fn store_users(conn: &Connection, users: &NewUsers) -> rusqlite::Result<()> {
    let rows: Vec<_> = users.ids.iter().map(|&id| user_row(id)).collect();
    Insert::prepare(conn, "main.user (id, name, name_key, password, email, email_key, created_datetime, role_id)")?
        .rows(&rows, |row, u| {
            row.value(u.id)?
                .value(&u.name)?
                .value(&u.name_key)?
                .value(&users.password_hash)?
                .value(&u.email)?
                .value(&u.email)?
                .value(users.joined)?
                .value(MEMBER_ROLE)
                .map(drop)
        })?;
    Insert::prepare(conn, "main.user_state (user_id, state_id, created_datetime)")?
        .rows(&users.ids, |row, id| row.value(id)?.value(ACTIVE_STATE)?.value(users.joined).map(drop))
}

/// Stores every chunk in the write tables and the read model, then the votes.
fn store_tables(
    tx: &Transaction,
    chunks: Receiver<Arc<Vec<SeedPost>>>,
    expected: i64,
    texts: &TextPools,
    targets: &[Target],
    progress: &dyn Fn(u64),
) -> anyhow::Result<()> {
    let mut tables = Tables::prepare(tx)?;
    let mut votes: Vec<(i64, i64)> = Vec::new();
    let mut stored = 0;
    for chunk in chunks {
        tables.store(&chunk, texts, targets)?;
        votes.extend(chunk.iter().flat_map(|p| p.voters.iter().map(move |&user| (user, p.id))));
        stored += chunk.len() as u64;
        progress(stored);
    }
    if (stored as i64) < expected {
        return Err(Abandoned { done: stored as i64, expected }.into());
    }
    votes.sort_unstable();
    tables.vote.rows(&votes, |row, (user, post)| row.value(user)?.value(post).map(drop))?;
    Ok(())
}

/// The INSERT of each table the loader fills.
struct Tables<'c> {
    post: Insert<'c>,
    version: Insert<'c>,
    comment: Insert<'c>,
    comment_version: Insert<'c>,
    vote: Insert<'c>,
    read_post: Insert<'c>,
    read_comment: Insert<'c>,
}

impl<'c> Tables<'c> {
    fn prepare(conn: &'c Connection) -> rusqlite::Result<Tables<'c>> {
        Ok(Tables {
            post: Insert::prepare(conn, "main.post (id, user_id, category_id, created_datetime, is_active)")?,
            version: Insert::prepare(conn, "main.post_content (post_id, version, created_datetime, title, content)")?,
            comment: Insert::prepare(conn, "main.comment (id, user_id, post_id, created_datetime, is_active)")?,
            comment_version: Insert::prepare(
                conn,
                "main.comment_content (comment_id, version, created_datetime, content)",
            )?,
            vote: Insert::prepare(conn, "main.voter_post (user_id, post_id)")?,
            read_post: Insert::prepare(
                conn,
                "main.rm_post (post_id, board_id, category_id, user_id, is_active, version, created, edited, \
                 comment_count, vote_count, author_name, category_name, title, body_html)",
            )?,
            read_comment: Insert::prepare(
                conn,
                "main.rm_comment (comment_id, post_id, user_id, is_active, version, created, edited, vote_count, \
                 author_name, body_html)",
            )?,
        })
    }

    /// A chunk, table by table: each table's rows go to the end of its tree one after another.
    fn store(&mut self, posts: &[SeedPost], texts: &TextPools, targets: &[Target]) -> rusqlite::Result<()> {
        self.post.rows(posts, |row, p| {
            row.value(p.id)?.value(p.author)?.value(targets[p.target].id)?.value(p.created)?.value(1).map(drop)
        })?;
        let versions: Vec<_> =
            posts.iter().flat_map(|p| p.versions.iter().enumerate().map(move |(n, v)| (p, n as i64, v))).collect();
        self.version.rows(&versions, |row, (p, n, v)| {
            let created = p.created + n * EDIT_INTERVAL_MS;
            row.value(p.id)?.value(n)?.value(created)?.value(&v.title)?.value(&texts.posts[v.text].source).map(drop)
        })?;
        let comments: Vec<_> = posts.iter().flat_map(|p| p.comments.iter().map(move |c| (p.id, c))).collect();
        self.comment.rows(&comments, |row, (post, c)| {
            row.value(c.id)?.value(c.author)?.value(post)?.value(c.created)?.value(1).map(drop)
        })?;
        self.comment_version.rows(&comments, |row, (_, c)| {
            row.value(c.id)?.value(0)?.value(c.created)?.value(&texts.comments[c.text].source).map(drop)
        })?;

        let names: Vec<String> = posts.iter().map(|p| user_name(p.author)).collect();
        let read_posts: Vec<_> = posts.iter().zip(&names).map(|(p, name)| post_row(p, name, texts, targets)).collect();
        self.read_post.rows(&read_posts, |row, r| {
            row.value(r.post_id)?
                .value(r.board_id)?
                .value(r.category_id)?
                .value(r.user_id)?
                .value(r.is_active)?
                .value(r.version)?
                .value(r.created)?
                .value(r.edited)?
                .value(r.comment_count)?
                .value(r.vote_count)?
                .value(r.author_name)?
                .value(r.category_name)?
                .value(r.title)?
                .value(r.body_html)
                .map(drop)
        })?;
        let commenters: Vec<Vec<String>> =
            posts.iter().map(|p| p.comments.iter().map(|c| user_name(c.author)).collect()).collect();
        let read_comments: Vec<_> =
            posts.iter().zip(&commenters).flat_map(|(p, names)| comment_rows(p, names, texts)).collect();
        self.read_comment.rows(&read_comments, |row, r| {
            row.value(r.comment_id)?
                .value(r.post_id)?
                .value(r.user_id)?
                .value(r.is_active)?
                .value(r.version)?
                .value(r.created)?
                .value(r.edited)?
                .value(r.vote_count)?
                .value(r.author_name)?
                .value(r.body_html)
                .map(drop)
        })
    }
}

/// Rows a multi-row INSERT takes. Such a statement opens its table and finds the end of its
/// tree once for all of them, where a statement a row does it for each: storing the rows of
/// 300k posts took 9.2 s a row at a time.
const ROWS_PER_STATEMENT: usize = 64;

/// A table's INSERT of [`ROWS_PER_STATEMENT`] rows, and of one row for the rest.
struct Insert<'c> {
    batch: Statement<'c>,
    single: Statement<'c>,
}

impl<'c> Insert<'c> {
    /// `table` is the table's name and its columns in parentheses, as INSERT INTO takes them.
    fn prepare(conn: &'c Connection, table: &str) -> rusqlite::Result<Insert<'c>> {
        let columns = table.matches(',').count() + 1;
        let row = format!("({})", vec!["?"; columns].join(", "));
        let rows = vec![row.as_str(); ROWS_PER_STATEMENT].join(", ");
        Ok(Insert {
            batch: conn.prepare(&format!("INSERT INTO {table} VALUES {rows}"))?,
            single: conn.prepare(&format!("INSERT INTO {table} VALUES {row}"))?,
        })
    }

    /// Inserts `rows`; `bind` gives one row's values in the order of the columns.
    fn rows<T>(
        &mut self,
        rows: &[T],
        bind: impl Fn(&mut Row<'_, 'c>, &T) -> rusqlite::Result<()>,
    ) -> rusqlite::Result<()> {
        let mut batches = rows.chunks_exact(ROWS_PER_STATEMENT);
        for batch in batches.by_ref() {
            let mut row = Row { statement: &mut self.batch, bound: 0 };
            for item in batch {
                bind(&mut row, item)?;
            }
            self.batch.raw_execute()?;
        }
        for item in batches.remainder() {
            bind(&mut Row { statement: &mut self.single, bound: 0 }, item)?;
            self.single.raw_execute()?;
        }
        Ok(())
    }
}

/// Binds values to a statement's parameters one after another, across the rows it inserts.
struct Row<'s, 'c> {
    statement: &'s mut Statement<'c>,
    bound: usize,
}

impl Row<'_, '_> {
    fn value(&mut self, value: impl rusqlite::ToSql) -> rusqlite::Result<&mut Self> {
        self.bound += 1;
        self.statement.raw_bind_parameter(self.bound, value)?;
        Ok(self)
    }
}
