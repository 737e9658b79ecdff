//! Notifications as the command handlers write them (inside a unit of work) and as the pages
//! and the digest read them.

use crate::domain::notifications::{MailMode, NotificationKind};
use crate::domain::{CommentId, NotificationId, PostId, Timestamp, UserId};
use async_trait::async_trait;

use super::StoreResult;

/// One notification to store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewNotification {
    pub recipient: UserId,
    pub kind: NotificationKind,
    pub actor: UserId,
    pub post_id: PostId,
    pub comment_id: Option<CommentId>,
    pub at: Timestamp,
}

/// Where a member's mail about notifications goes: only to an address shown to be theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailTarget {
    pub email: String,
    pub language: Option<String>,
}

/// A notification as the list and the mails show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NotificationRow {
    pub id: NotificationId,
    pub kind: NotificationKind,
    /// None once the actor has resigned.
    pub actor_name: Option<String>,
    pub post_id: PostId,
    pub post_title: String,
    pub comment_id: Option<CommentId>,
    pub created: Timestamp,
    pub read: bool,
}

/// A member's notifications waiting for their digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestBatch {
    pub user_id: UserId,
    pub target: MailTarget,
    pub entries: Vec<NotificationRow>,
}

#[async_trait]
pub trait NotificationWrites: Send {
    async fn insert_notification(&mut self, notification: &NewNotification) -> StoreResult<NotificationId>;
    /// The members with an active comment on the post, each once.
    async fn thread_commenters(&mut self, post_id: PostId) -> StoreResult<Vec<UserId>>;
    /// The members who muted the thread.
    async fn thread_muters(&mut self, post_id: PostId) -> StoreResult<Vec<UserId>>;
    /// The active members with these folded names.
    async fn users_by_name_keys(&mut self, keys: &[String]) -> StoreResult<Vec<UserId>>;
    /// The member's verified address and language, if they have a verified address.
    async fn mail_target(&mut self, user_id: UserId) -> StoreResult<Option<MailTarget>>;
    async fn mail_mode(&mut self, user_id: UserId, kind: NotificationKind) -> StoreResult<Option<MailMode>>;
    /// Sets (or with None, removes) how a kind comes by mail.
    async fn set_mail_mode(
        &mut self,
        user_id: UserId,
        kind: NotificationKind,
        mode: Option<MailMode>,
    ) -> StoreResult<()>;
    /// Marks one of the member's notifications read; where it points, or None if it is not theirs.
    async fn open_notification(
        &mut self,
        user_id: UserId,
        id: NotificationId,
        at: Timestamp,
    ) -> StoreResult<Option<(PostId, Option<CommentId>, bool)>>;
    /// Marks all of the member's notifications read; how many were unread.
    async fn read_all_notifications(&mut self, user_id: UserId, at: Timestamp) -> StoreResult<u64>;
    async fn mark_notification_mailed(&mut self, id: NotificationId, at: Timestamp) -> StoreResult<()>;
    async fn set_thread_muted(&mut self, user_id: UserId, post_id: PostId, muted: bool) -> StoreResult<()>;
    /// Claims a digest period: true for the one transaction, across instances, that inserts it.
    async fn claim_digest_period(&mut self, period: i64, at: Timestamp) -> StoreResult<bool>;
    /// Unread, unmailed notifications of the kinds each member gets as a digest, by member.
    async fn digest_batches(&mut self) -> StoreResult<Vec<DigestBatch>>;
}

#[async_trait]
pub trait NotificationReads: Send + Sync {
    /// One indexed count: the header shows it on every page.
    async fn unread_notifications(&self, user_id: UserId) -> StoreResult<i64>;
    /// Newest first, `limit` older than `before`.
    async fn notifications_page(
        &self,
        user_id: UserId,
        before: Option<NotificationId>,
        limit: i64,
    ) -> StoreResult<Vec<NotificationRow>>;
    async fn thread_muted(&self, user_id: UserId, post_id: PostId) -> StoreResult<bool>;
    async fn mail_modes(&self, user_id: UserId) -> StoreResult<Vec<(NotificationKind, MailMode)>>;
    /// Whether the member's address was shown to be theirs (mail goes only then).
    async fn mail_verified(&self, user_id: UserId) -> StoreResult<bool>;
}
