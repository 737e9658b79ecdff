//! The tables of a bulk load, written through rusqlite prepared statements.

use super::super::super::inserts::Insertable;
use super::super::super::projections::{CommentRow, PostRow};
use super::super::data::{SeedPost, Target, TextPools};
use super::super::written::{
    AuthorNames, ChunkRows, CommentVersionRow, CommentWriteRow, NewUsers, PostWriteRow, UserRow, UserStateRow,
    VersionRow, VoteRow, votes,
};
use super::Abandoned;
use rusqlite::{Connection, Statement, Transaction};
use std::sync::Arc;
use std::sync::mpsc::Receiver;

/// The tables whose secondary indexes are built after their rows.
const SEEDED_TABLES: &str =
    "'post', 'post_content', 'comment', 'comment_content', 'voter_post', 'rm_post', 'rm_comment'";

/// A secondary index of one of [`SEEDED_TABLES`]: its name, and the statement that makes it,
/// as the migrations wrote it.
pub(super) struct SecondaryIndex {
    name: String,
    create: String,
}

/// The secondary indexes of [`SEEDED_TABLES`]. Read before the load's transaction begins, so
/// that the transaction's first statement is a write: a transaction that has read waits for
/// no one when it needs to write and another connection holds a lock (SQLite answers "busy"
/// at once rather than risk a deadlock), while one that starts by writing waits its turn.
pub(super) fn secondary_indexes(conn: &Connection) -> rusqlite::Result<Vec<SecondaryIndex>> {
    conn.prepare(&format!(
        "SELECT name, sql FROM main.sqlite_master \
         WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({SEEDED_TABLES}) ORDER BY name"
    ))?
    .query_map([], |row| Ok(SecondaryIndex { name: row.get("name")?, create: row.get("sql")? }))?
    .collect()
}

/// Drops `indexes` and returns the statements that make them again. Sorting a finished table
/// into an index writes each index page once, where inserting row by row writes pages all
/// over the indexes by user. Even the indexes whose keys arrive in order gained nothing from
/// being kept during the load.
pub(super) fn drop_secondary_indexes(tx: &Transaction, indexes: Vec<SecondaryIndex>) -> anyhow::Result<Vec<String>> {
    for index in &indexes {
        tx.execute(&format!("DROP INDEX main.\"{}\"", index.name), [])?;
    }
    Ok(indexes.into_iter().map(|index| index.create).collect())
}

/// Adds the users: their profiles come with the recount at the end of the load.
pub(super) fn store_users(conn: &Connection, users: &NewUsers) -> rusqlite::Result<()> {
    Insert::prepare::<UserRow>(conn)?.rows(&users.rows(&users.ids))?;
    Insert::prepare::<UserStateRow>(conn)?.rows(&users.states(&users.ids))
}

/// Stores every chunk in the write tables and the read model, then the votes.
pub(super) fn store_tables(
    tx: &Transaction,
    chunks: Receiver<Arc<Vec<SeedPost>>>,
    expected: i64,
    texts: &TextPools,
    targets: &[Target],
    progress: &dyn Fn(u64),
) -> anyhow::Result<()> {
    let mut tables = Tables::prepare(tx)?;
    let mut all_votes: Vec<VoteRow> = Vec::new();
    let mut stored = 0;
    for chunk in chunks {
        tables.store(&chunk, texts, targets)?;
        all_votes.extend(votes(&chunk));
        stored += chunk.len() as u64;
        progress(stored);
    }
    if (stored as i64) < expected {
        return Err(Abandoned { done: stored as i64, expected }.into());
    }
    all_votes.sort_unstable();
    tables.vote.rows(&all_votes)?;
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
            post: Insert::prepare::<PostWriteRow>(conn)?,
            version: Insert::prepare::<VersionRow>(conn)?,
            comment: Insert::prepare::<CommentWriteRow>(conn)?,
            comment_version: Insert::prepare::<CommentVersionRow>(conn)?,
            vote: Insert::prepare::<VoteRow>(conn)?,
            read_post: Insert::prepare::<PostRow>(conn)?,
            read_comment: Insert::prepare::<CommentRow>(conn)?,
        })
    }

    /// A chunk, table by table: each table's rows go to the end of its tree one after another.
    fn store(&mut self, posts: &[SeedPost], texts: &TextPools, targets: &[Target]) -> rusqlite::Result<()> {
        let names = AuthorNames::of(posts);
        let rows = ChunkRows::new(posts, &names, texts, targets);
        self.post.rows(&rows.posts)?;
        self.version.rows(&rows.versions)?;
        self.comment.rows(&rows.comments)?;
        self.comment_version.rows(&rows.comment_versions)?;
        self.read_post.rows(&rows.read_posts)?;
        self.read_comment.rows(&rows.read_comments)
    }
}

/// Rows a multi-row INSERT takes. Such a statement opens its table and finds the end of its
/// tree once for all of them, where a statement a row does it for each.
const ROWS_PER_STATEMENT: usize = 64;

/// A table's INSERT of [`ROWS_PER_STATEMENT`] rows, and of one row for the rest.
struct Insert<'c> {
    table: &'static str,
    batch: Statement<'c>,
    single: Statement<'c>,
}

impl<'c> Insert<'c> {
    fn prepare<R: Insertable>(conn: &'c Connection) -> rusqlite::Result<Insert<'c>> {
        let columns = R::COLUMNS.matches(',').count() + 1;
        let row = format!("({})", vec!["?"; columns].join(", "));
        let rows = vec![row.as_str(); ROWS_PER_STATEMENT].join(", ");
        let into = format!("INSERT INTO main.{} ({})", R::TABLE, R::COLUMNS);
        Ok(Insert {
            table: R::TABLE,
            batch: conn.prepare(&format!("{into} VALUES {rows}"))?,
            single: conn.prepare(&format!("{into} VALUES {row}"))?,
        })
    }

    /// Inserts `rows`, which must be of the type the statement was prepared for.
    fn rows<R: Insertable>(&mut self, rows: &[R]) -> rusqlite::Result<()> {
        debug_assert_eq!(self.table, R::TABLE, "rows of one table inserted into another");
        let mut batches = rows.chunks_exact(ROWS_PER_STATEMENT);
        for batch in batches.by_ref() {
            bind(&mut self.batch, batch)?;
            self.batch.raw_execute()?;
        }
        for row in batches.remainder() {
            bind(&mut self.single, std::slice::from_ref(row))?;
            self.single.raw_execute()?;
        }
        Ok(())
    }
}

/// Binds the values of `rows` to the statement's parameters, one after another.
fn bind<R: Insertable>(statement: &mut Statement<'_>, rows: &[R]) -> rusqlite::Result<()> {
    let values = rows.iter().flat_map(|row| row.values());
    for (index, value) in values.enumerate() {
        statement.raw_bind_parameter(index + 1, value)?;
    }
    Ok(())
}
