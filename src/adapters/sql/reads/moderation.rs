//! Reads of moderation from the read model: who moderates which board.

use super::super::direct::Param;
use super::super::rows::read_by_name;
use super::super::{SqlDatabase, db_err};
use crate::domain::{CategoryId, UserId};
use crate::ports::{BoardModeratorRow, ModerationReads, StoreResult};
use async_trait::async_trait;

read_by_name!(BoardModeratorRow { user_id, user_name, board_id, board_name });

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
}
