//! Writes of a thread's moderation: lock, pin, move, each with its reason.

use super::StoreResult;
use crate::domain::threads::ThreadAction;
use crate::domain::{CategoryId, PostId, Timestamp, UserId};
use async_trait::async_trait;

/// A moderator's action on a thread, as it is kept (with the reason they gave).
#[derive(Debug, Clone)]
pub struct NewThreadAction<'a> {
    pub post_id: PostId,
    pub moderator: UserId,
    pub action: ThreadAction,
    pub reason: &'a str,
    /// Where a moved post came from and went to (None for the other actions).
    pub moved: Option<(CategoryId, CategoryId)>,
    pub at: Timestamp,
}

/// Inside the same unit of work as everything else.
#[async_trait]
pub trait ThreadWrites: Send {
    /// Locks a post with the reason shown on it (Some), or unlocks it (None).
    async fn set_post_locked(&mut self, id: PostId, reason: Option<&str>) -> StoreResult<()>;
    /// Pins a post as of `at` (Some), or unpins it (None).
    async fn set_post_pinned(&mut self, id: PostId, at: Option<Timestamp>) -> StoreResult<()>;
    async fn set_post_category(&mut self, id: PostId, category_id: CategoryId) -> StoreResult<()>;
    async fn record_thread_action(&mut self, action: &NewThreadAction<'_>) -> StoreResult<()>;
}
