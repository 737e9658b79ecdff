//! Writes of moderation: who moderates which board.

use super::super::db_err;
use super::{SqlUnitOfWork, run};
use crate::domain::{CategoryId, Timestamp, UserId};
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
}
