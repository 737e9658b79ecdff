//! Rebuilding the read model from the write tables (`forum read-model rebuild`, and after
//! `forum copy`), and the recount that ends a bulk load.

use super::super::search::TermCounts;
use super::super::{SqlDatabase, db_err};
use super::CHUNK;
use super::categories::CATEGORIES;
use super::comments::{COMMENT_SOURCES, CommentSource, store_comments};
use super::moderators::refill_moderators;
use super::modlog::MODLOG;
use super::posts::{POST_SOURCES, PostSource, store_posts};
use super::reports::refill_open_reports;
use super::users::USERS;
use crate::ports::StoreResult;
use sqlx::AnyConnection;

/// The statements that rewrite rm_user, rm_category, rm_board_moderator and rm_modlog from the write tables, counts
/// included, in order (a bulk load's last step, where counting by events would mean one
/// event per row); for a loader with a connection of its own too (the SQLite seeder).
pub(in super::super) fn refill_statements() -> Vec<String> {
    let mut statements: Vec<String> = [USERS, CATEGORIES].iter().flat_map(|table| table.refill()).collect();
    statements.extend(refill_moderators());
    statements.extend(MODLOG.refill());
    statements
}

/// Runs [`refill_statements`].
pub(in super::super) async fn refill_users_and_categories(conn: &mut AnyConnection) -> sqlx::Result<()> {
    for statement in refill_statements() {
        sqlx::query(sqlx::AssertSqlSafe(statement)).execute(&mut *conn).await?;
    }
    Ok(())
}

impl SqlDatabase {
    /// Empties the read model and fills it again: users and categories in one transaction
    /// (with every event marked applied, since the rebuild reflects them all), then posts and
    /// comments in chunks, each its own transaction.
    pub(super) async fn rebuild_read_model(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> StoreResult<()> {
        let mut tx = self.begin_bulk().await.map_err(db_err)?;
        sqlx::query("UPDATE event SET applied = 1 WHERE applied = 0").execute(&mut *tx).await.map_err(db_err)?;
        for table in ["rm_post", "rm_comment", "rm_post_search"].into_iter().chain(self.dialect.term_counts_table()) {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}"))).execute(&mut *tx).await.map_err(db_err)?;
        }
        refill_users_and_categories(&mut tx).await.map_err(db_err)?;
        refill_open_reports(&mut tx).await.map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        let last_post = self.max_id("post").await?;
        let last_comment = self.max_id("comment").await?;
        let total = (last_post + last_comment) as u64;
        for low in (1..=last_post).step_by(CHUNK as usize) {
            let high = low + CHUNK - 1;
            self.rebuild_posts(low, high).await?;
            progress(high.min(last_post) as u64, total);
        }
        for low in (1..=last_comment).step_by(CHUNK as usize) {
            let high = low + CHUNK - 1;
            self.rebuild_comments(low, high).await?;
            progress((last_post + high.min(last_comment)) as u64, total);
        }
        Ok(())
    }

    async fn rebuild_posts(&self, low: i64, high: i64) -> StoreResult<()> {
        let mut tx = self.begin_bulk().await.map_err(db_err)?;
        let sql = sqlx::AssertSqlSafe(format!("{POST_SOURCES} WHERE p.id BETWEEN ? AND ?"));
        let rows: Vec<PostSource> =
            sqlx::query_as(sql).bind(low).bind(high).fetch_all(&mut *tx).await.map_err(db_err)?;
        let mut counts = TermCounts::default();
        store_posts(&mut tx, self.dialect, rows, &mut counts).await.map_err(db_err)?;
        counts.store(&mut tx).await.map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    async fn rebuild_comments(&self, low: i64, high: i64) -> StoreResult<()> {
        let mut tx = self.begin_bulk().await.map_err(db_err)?;
        let sql = sqlx::AssertSqlSafe(format!("{COMMENT_SOURCES} WHERE k.id BETWEEN ? AND ?"));
        let rows: Vec<CommentSource> =
            sqlx::query_as(sql).bind(low).bind(high).fetch_all(&mut *tx).await.map_err(db_err)?;
        store_comments(&mut tx, rows).await.map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }
}
