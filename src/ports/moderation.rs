//! The ports for moderation: who moderates which board.

use super::StoreResult;
use crate::domain::{CategoryId, Timestamp, UserId};
use async_trait::async_trait;

/// One board moderator as the admin page lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardModeratorRow {
    pub user_id: UserId,
    /// None once the user has resigned.
    pub user_name: Option<String>,
    pub board_id: CategoryId,
    pub board_name: String,
}

/// Writes of moderation, inside the command's unit of work.
#[async_trait]
pub trait ModerationWrites: Send {
    /// The boards a user moderates (beyond what their role gives them).
    async fn moderated_boards(&mut self, user_id: UserId) -> StoreResult<Vec<CategoryId>>;
    /// Lists a user as a board's moderator; false if they were already.
    async fn add_board_moderator(&mut self, user_id: UserId, board_id: CategoryId, at: Timestamp) -> StoreResult<bool>;
    /// Takes a user off a board's moderators; false if they were not on it.
    async fn remove_board_moderator(&mut self, user_id: UserId, board_id: CategoryId) -> StoreResult<bool>;
}

/// Reads of moderation from the read model.
#[async_trait]
pub trait ModerationReads: Send + Sync {
    /// The boards a user moderates (beyond what their role gives them).
    async fn moderated_boards(&self, user_id: UserId) -> StoreResult<Vec<CategoryId>>;
    /// Every board moderator, by board then name.
    async fn board_moderators(&self) -> StoreResult<Vec<BoardModeratorRow>>;
}
