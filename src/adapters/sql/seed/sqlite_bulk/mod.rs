//! Loading seeded posts into an empty SQLite forum, on both cores.
//!
//! A forum that already has posts is seeded through sqlx a transaction a chunk, so that the
//! forum's own writers get their turns. A forum without posts can be loaded much faster:
//! - rusqlite's prepared statements, bound value by value on this thread, instead of sqlx's
//!   multi-row statements, whose values are copied into owned arguments and handed to a
//!   worker thread;
//! - the tables' secondary indexes dropped first and built again from the finished tables;
//! - votes stored at the end in the order of the primary key (user, post), so that its index
//!   is only ever appended to;
//! - the search index built at the same time on the other core, in a scratch file without a
//!   journal, and then copied into the forum's empty index ([`search_index`]);
//! - one transaction for all of it, so a seed that fails or is killed leaves no posts behind;
//! - no write-ahead log when nothing else has the file open (see [`Journal`]).

mod search_index;
mod tables;

use super::super::projections::refill_statements;
use super::data::SeedPost;
use super::{Load, RECORD_SEEDED};
use anyhow::{Context, bail};
use rusqlite::{Connection, params};
use search_index::{SCRATCH_SCHEMA, Scratch, build_search_index, copy_search_index};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{SyncSender, sync_channel};
use tables::{drop_secondary_indexes, secondary_indexes, store_tables, store_users};

/// Posts handed from the generator to the two writers at a time, and chunks in flight to each.
const POSTS_PER_CHUNK: i64 = 10_000;
const CHUNKS_AHEAD: usize = 2;

/// Loads the users and posts of `load` into the forum at `path`, which must have no posts
/// yet; `progress(done)` after each chunk of posts stored.
pub(super) fn load(path: &Path, load: Load, progress: &dyn Fn(u64)) -> anyhow::Result<()> {
    let Load { users, maker, texts, targets, record } = load;
    let started = std::time::Instant::now();
    let phase = |name: &str| tracing::debug!(seconds = started.elapsed().as_secs_f64(), "seed: {name}");
    let scratch = Scratch::create(path)?;
    let mut main = open_forum(path)?;
    let search = scratch.search_index(&main)?;
    let journal = Journal::for_load(&main)?;
    tracing::debug!(?journal, "seed: journal for the load");
    main.execute(&format!("ATTACH DATABASE ?1 AS {SCRATCH_SCHEMA}"), [scratch.path().to_string_lossy()])?;
    let loaded = std::thread::scope(|scope| -> anyhow::Result<()> {
        let (to_tables, for_tables) = sync_channel(CHUNKS_AHEAD);
        let (to_search, for_search) = sync_channel(CHUNKS_AHEAD);
        let expected = maker.planned();
        let thread = |name: &str| std::thread::Builder::new().name(name.to_string());
        thread("seed-generator").spawn_scoped(scope, move || generate(maker, [to_tables, to_search]))?;
        let texts = &texts;
        let searcher = thread("seed-search")
            .spawn_scoped(scope, move || build_search_index(search, for_search, expected, texts))?;
        // Deferred, not IMMEDIATE: an immediate transaction would also lock the attached
        // scratch file, which the other thread is writing. The first statement writes to the
        // forum (see `secondary_indexes`), so the forum's write lock is still taken, waiting
        // for it if need be, before anything else is done.
        let indexes = secondary_indexes(&main)?;
        let tx = main.transaction()?;
        let indexes = drop_secondary_indexes(&tx, indexes)?;
        store_users(&tx, &users)?;
        // The tables' indexes are built while the other core still works on the search index.
        let stored = store_tables(&tx, for_tables, expected, texts, &targets, progress).and_then(|()| {
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
        tx.execute(RECORD_SEEDED, params![record.at, record.payload])?;
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
/// with an fsync; growing a file durably is the slowest write a disk does, and a load grows
/// the file by all it writes. With the file to itself, the loader switches to a rollback
/// journal instead: an empty forum's new pages go to the end of the file once, and only the
/// few pages that existed before are journaled. SQLite refuses the switch while another
/// connection has the file open (a running server): the load then goes through the log as usual.
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

/// Makes the posts and hands every chunk to both writers; stops when either gives up.
fn generate(mut maker: super::data::PostMaker, writers: [SyncSender<Arc<Vec<SeedPost>>>; 2]) {
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
