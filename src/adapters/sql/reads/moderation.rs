//! Reads of moderation from the read model: who moderates which board.

use super::super::direct::Param;
use super::super::rows::read_by_name;
use super::super::{SqlDatabase, db_err};
use crate::domain::{CategoryId, PostId, UserId};
use crate::ports::{BoardModeratorRow, ModerationReads, ModlogFilter, ModlogRow, StoreResult};
use async_trait::async_trait;

read_by_name!(BoardModeratorRow { user_id, user_name, board_id, board_name });
read_by_name!(ModlogRow {
    action_id,
    kind,
    moderator_id,
    moderator_name,
    board_id,
    board_name,
    post_id,
    comment_id,
    target_user_id,
    target_name,
    reason,
    is_private,
    until_datetime,
    created,
});

/// The columns of a log entry, as `rm_modlog` holds them.
pub(in super::super) const MODLOG_COLUMNS: &str = "action_id, kind, moderator_id, moderator_name, board_id, \
    board_name, post_id, comment_id, target_user_id, target_name, reason, is_private, until_datetime, created";

/// A board a user moderates.
struct ModeratedBoard {
    board_id: CategoryId,
}
read_by_name!(ModeratedBoard { board_id });

#[async_trait]
impl ModerationReads for SqlDatabase {
    async fn moderated_boards(&self, user_id: UserId) -> StoreResult<Vec<CategoryId>> {
        let sql = "SELECT board_id FROM rm_board_moderator WHERE user_id = ? ORDER BY board_id";
        let rows: Vec<ModeratedBoard> = self.short_read(sql, &[Param::Int(user_id.0)]).await?;
        Ok(rows.into_iter().map(|row| row.board_id).collect())
    }

    async fn board_moderators(&self) -> StoreResult<Vec<BoardModeratorRow>> {
        sqlx::query_as(
            "SELECT m.user_id, u.name AS user_name, m.board_id, c.name AS board_name \
             FROM rm_board_moderator m JOIN rm_user u ON u.user_id = m.user_id \
             JOIN rm_category c ON c.category_id = m.board_id ORDER BY c.name, m.board_id, u.name, m.user_id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)
    }

    async fn modlog_page(&self, filter: &ModlogFilter, limit: i64) -> StoreResult<Vec<ModlogRow>> {
        // Each filter is one bound condition; unset ones compare a NULL and drop out.
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {MODLOG_COLUMNS} FROM rm_modlog \
             WHERE (? IS NULL OR board_id = ?) AND (? IS NULL OR moderator_id = ?) \
             AND (? IS NULL OR kind = ?) AND (? IS NULL OR target_user_id = ?) AND (? IS NULL OR action_id < ?) \
             ORDER BY action_id DESC LIMIT {limit}"
        ));
        let kind = filter.kind.map(|kind| kind.as_str());
        sqlx::query_as(sql)
            .bind(filter.board)
            .bind(filter.board)
            .bind(filter.moderator)
            .bind(filter.moderator)
            .bind(kind)
            .bind(kind)
            .bind(filter.target)
            .bind(filter.target)
            .bind(filter.before)
            .bind(filter.before)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)
    }

    async fn removals_on_post(&self, post_id: PostId) -> StoreResult<Vec<ModlogRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {MODLOG_COLUMNS} FROM rm_modlog WHERE post_id = ? \
             AND kind IN ('post_removed', 'comment_removed') ORDER BY action_id DESC"
        ));
        sqlx::query_as(sql).bind(post_id).fetch_all(&self.pool).await.map_err(db_err)
    }
}
