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
    post_title,
    target_user_id,
    target_name,
    reason,
    is_private,
    until_datetime,
    created,
});

/// A log entry (`l`) with its post's title from `rm_post` (`p`) while the post is shown: the
/// title is read, not kept in the log, so an edit is in the log at once and
/// `read-model check` has nothing more to compare.
const MODLOG_SELECT: &str = "SELECT l.action_id, l.kind, l.moderator_id, l.moderator_name, l.board_id, \
    l.board_name, l.post_id, l.comment_id, p.title AS post_title, l.target_user_id, l.target_name, l.reason, \
    l.is_private, l.until_datetime, l.created \
    FROM rm_modlog l LEFT JOIN rm_post p ON p.post_id = l.post_id AND p.is_active = 1";

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
            "{MODLOG_SELECT} \
             WHERE (? IS NULL OR l.board_id = ?) AND (? IS NULL OR l.moderator_id = ?) \
             AND (? IS NULL OR l.kind = ?) AND (? IS NULL OR l.target_user_id = ?) \
             AND (? IS NULL OR l.action_id < ?) ORDER BY l.action_id DESC LIMIT {limit}"
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
            "{MODLOG_SELECT} WHERE l.post_id = ? \
             AND l.kind IN ('post_removed', 'comment_removed') ORDER BY l.action_id DESC"
        ));
        sqlx::query_as(sql).bind(post_id).fetch_all(&self.pool).await.map_err(db_err)
    }
}
