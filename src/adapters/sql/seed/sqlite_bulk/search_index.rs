//! The search index of a bulk load: built in a scratch file on the other core, then copied
//! into the forum's empty index. FTS5 keeps an index in ordinary shadow tables, and two
//! tables made by the same `CREATE VIRTUAL TABLE` read those alike.

use super::super::data::{SeedPost, TextPools, user_name};
use super::Abandoned;
use anyhow::bail;
use rusqlite::{Connection, Transaction, params};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Receiver;

/// The FTS5 table of the search index, and what the scratch file is attached as.
const SEARCH_TABLE: &str = "rm_post_search";
pub(super) const SCRATCH_SCHEMA: &str = "seed_search";

/// The scratch file the search index is built in, next to the forum's file (on the same disk,
/// with room in proportion to the forum's). It is removed when the load is over, however it
/// ends, except when the process is killed: the next seed removes what such a seed left.
pub(super) struct Scratch {
    path: PathBuf,
}

impl Scratch {
    pub fn create(forum: &Path) -> anyhow::Result<Scratch> {
        let mut name = forum.as_os_str().to_owned();
        name.push(".seed-search");
        let scratch = Scratch { path: PathBuf::from(name) };
        scratch.remove(); // left behind by a seed that was killed
        Ok(scratch)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn remove(&self) {
        if let Err(error) = std::fs::remove_file(&self.path)
            && error.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(%error, path = %self.path.display(), "seed: a scratch file was left behind");
        }
    }

    /// Opens the scratch file with an empty search index made by the forum's own
    /// `CREATE VIRTUAL TABLE`. Nothing else reads the file while it is written, and a crash
    /// only loses the scratch: no journal, no syncs.
    ///
    /// The index is loaded with FTS5's own settings, as the forum's index grows, and merged
    /// into one segment at the end. FTS5 sorts segments into levels (a write adds a small one
    /// on level 0; four on a level are merged, a little at each write, into one on the level
    /// above, and 16 all at once), and 'optimize' puts its segment on the level above the
    /// highest one in use. A load that merged little (FTS5's merging off, or a large hash of
    /// pending terms) left it on a low level, where the forum's own writes reach it soon: a
    /// crisis merge then rewrote the whole index within one write, with every writer waiting.
    /// Loaded with the defaults, the index ends on a high level and later writes stay short;
    /// the load takes longer for it.
    pub fn search_index(&self, forum: &Connection) -> anyhow::Result<Connection> {
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

/// Indexes every post's latest title, text and author name, then merges the index into
/// one segment, so a search for a common word walks one list instead of the many segments a
/// bulk load leaves. An index of fewer posts than planned means the load was abandoned: it is
/// not merged, only reported.
pub(super) fn build_search_index(
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
pub(super) fn copy_search_index(tx: &Transaction) -> anyhow::Result<()> {
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
