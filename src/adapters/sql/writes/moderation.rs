//! Writes of moderation: who moderates which board.

use super::super::db_err;
use super::{SqlUnitOfWork, run};
use crate::domain::modlog::NewModerationAction;
use crate::domain::{CategoryId, ModerationActionId, Timestamp, UserId};
use crate::ports::{ModerationWrites, StoreResult};
use async_trait::async_trait;

#[async_trait]
impl ModerationWrites for SqlUnitOfWork {
    async fn moderated_boards(&mut self, user_id: UserId) -> StoreResult<Vec<CategoryId>> {
        sqlx::query_scalar("SELECT board_id FROM board_moderator WHERE user_id = ? ORDER BY board_id")
            .bind(user_id)
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db_err)
    }

    async fn add_board_moderator(&mut self, user_id: UserId, board_id: CategoryId, at: Timestamp) -> StoreResult<bool> {
        let insert = self.dialect.insert_or_ignore();
        let sql = sqlx::AssertSqlSafe(format!(
            "{insert} INTO board_moderator (user_id, board_id, created_datetime) VALUES (?, ?, ?)"
        ));
        Ok(run(&mut self.tx, sqlx::query(sql).bind(user_id).bind(board_id).bind(at.0)).await? > 0)
    }

    async fn remove_board_moderator(&mut self, user_id: UserId, board_id: CategoryId) -> StoreResult<bool> {
        let delete = sqlx::query("DELETE FROM board_moderator WHERE user_id = ? AND board_id = ?");
        Ok(run(&mut self.tx, delete.bind(user_id).bind(board_id)).await? > 0)
    }

    async fn insert_moderation_action(&mut self, action: &NewModerationAction) -> StoreResult<ModerationActionId> {
        sqlx::query_scalar(
            "INSERT INTO moderation_action (kind, moderator_id, board_id, post_id, comment_id, target_user_id, \
             reason, is_private, until_datetime, created_datetime) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(action.kind.as_str())
        .bind(action.moderator_id)
        .bind(action.board_id)
        .bind(action.post_id)
        .bind(action.comment_id)
        .bind(action.target_user_id)
        .bind(action.reason.as_deref())
        .bind(i64::from(action.private))
        .bind(action.until.map(|until| until.0))
        .bind(Timestamp::now().0)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)
    }
}
