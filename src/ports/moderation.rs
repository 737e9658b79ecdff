//! The ports for moderation: who moderates which board, and the moderation log.

use super::StoreResult;
use crate::domain::modlog::{ModerationKind, NewModerationAction};
use crate::domain::{CategoryId, CommentId, ModerationActionId, PostId, Timestamp, UserId};
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
    /// Writes one entry of the moderation log; returns its id.
    async fn insert_moderation_action(&mut self, action: &NewModerationAction) -> StoreResult<ModerationActionId>;
}

/// One entry of the moderation log as the read model holds it (`rm_modlog`), with the title
/// its post has now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModlogRow {
    pub action_id: ModerationActionId,
    /// The stored kind name ([`ModerationKind::as_str`]); unknown names are kept, not dropped.
    pub kind: String,
    pub moderator_id: UserId,
    /// None once the moderator has resigned.
    pub moderator_name: Option<String>,
    pub board_id: Option<CategoryId>,
    pub board_name: Option<String>,
    pub post_id: Option<PostId>,
    pub comment_id: Option<CommentId>,
    /// The post's current title, read with the entry (not copied into it, so it never goes
    /// stale); None when there is no post or it is removed, whose title the log does not show.
    pub post_title: Option<String>,
    pub target_user_id: Option<UserId>,
    pub target_name: Option<String>,
    pub reason: Option<String>,
    pub is_private: bool,
    pub until_datetime: Option<Timestamp>,
    pub created: Timestamp,
}

/// Which entries of the log a page shows: newest first, older than `before`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModlogFilter {
    pub board: Option<CategoryId>,
    pub moderator: Option<UserId>,
    pub kind: Option<ModerationKind>,
    /// The user an action was about (a block, an appointment).
    pub target: Option<UserId>,
    pub before: Option<ModerationActionId>,
}

/// Reads of moderation from the read model.
#[async_trait]
pub trait ModerationReads: Send + Sync {
    /// The boards a user moderates (beyond what their role gives them).
    async fn moderated_boards(&self, user_id: UserId) -> StoreResult<Vec<CategoryId>>;
    /// Every board moderator, by board then name.
    async fn board_moderators(&self) -> StoreResult<Vec<BoardModeratorRow>>;
    /// A page of the moderation log, newest first.
    async fn modlog_page(&self, filter: &ModlogFilter, limit: i64) -> StoreResult<Vec<ModlogRow>>;
    /// The removals of a post and of its comments, newest first (for the notes on its page).
    async fn removals_on_post(&self, post_id: PostId) -> StoreResult<Vec<ModlogRow>>;
}
