//! The traits the core needs from the outside world. Adapters (`crate::adapters`) implement
//! them for SQLite/MariaDB and for an in-process or Redis cache; nothing here names one.

use crate::domain::{AccountState, CategoryId, Email, Event, LoginId, PostId, Role, Timestamp, UserId, UserName};

pub use content::{
    CommentRecord, CommentView, ContentReads, ContentWrites, ListCursor, ListScope, ListSlice, PostListRow, PostRecord,
    PostView, VersionRow,
};

pub use guards::{GuardWrites, InviteRow, InviteUse, KeyClaim};
pub use mail::{
    ClaimedMail, FailedMail, MailComposer, MailCounts, MailKind, MailOutbox, MailReads, MailRecipient, MailSender,
    MailWords, MailWrites, NewMail, NewMailToken, OutgoingMail, SendError, TakenToken, TokenPurpose,
};
pub use moderation::{BoardModeratorRow, ModerationReads, ModerationWrites, ModlogFilter, ModlogRow};
pub use notifications::{
    DigestBatch, MailTarget, NewNotification, NotificationReads, NotificationRow, NotificationWrites,
};
pub use reports::{
    Handled, NewReport, NewResolution, QueueCursor, QueueRow, QueueSort, ReportLine, ReportReads, ReportWrites,
    ReportedItem,
};

mod content;
mod guards;
mod invalidations;
mod mail;
mod moderation;
mod notifications;
mod rate;
mod reports;
mod threads;
use async_trait::async_trait;
pub use invalidations::{InvalidationEvent, Invalidations, Sequence};
pub use rate::{RateError, RateKey, RateStore, RateVerdict};
use std::time::Duration;
pub use threads::{NewThreadAction, ThreadWrites};

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule of the write model refused the change; names the field it concerns.
    #[error("{0:?} is already in use")]
    Conflict(UniqueField),
    /// The database cannot do this now but may soon: its disk is full, it is unreachable, or
    /// no connection came free in time. Worth trying again; nothing about the request is wrong.
    #[error("the database is unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniqueField {
    UserName,
    /// Another user's name has the same confusable skeleton.
    UserNameLookalike,
    Email,
}

/// The write side: everything a command changes happens inside one unit of work.
#[async_trait]
pub trait WriteStore: Send + Sync + 'static {
    async fn begin(&self) -> StoreResult<Box<dyn UnitOfWork>>;
    /// Commits one tiny change, so that readiness means "takes writes now" (a full disk
    /// still answers reads).
    async fn probe_write(&self) -> StoreResult<()>;
    /// Forgets form keys made before `keys_before` and sign-up counts of the days (since the
    /// epoch) before `days_before`, in a transaction of its own; how many rows went.
    async fn sweep_guards(&self, keys_before: Timestamp, days_before: i64) -> StoreResult<u64>;
}

/// One transaction over the write model. Dropping it without `commit` rolls it back.
/// Accounts and settings are here; posts and comments in [`ContentWrites`].
#[async_trait]
pub trait UnitOfWork:
    ContentWrites + GuardWrites + MailWrites + ModerationWrites + NotificationWrites + ReportWrites + ThreadWrites + Send
{
    async fn setting(&mut self, name: &str) -> StoreResult<Option<String>>;
    /// Stores a setting unless one by that name exists; true if this call stored it (the first
    /// writer wins, also between instances starting together).
    async fn put_setting_if_absent(&mut self, name: &str, value: &str) -> StoreResult<bool>;
    /// Stores a setting, replacing any value it had.
    async fn put_setting(&mut self, name: &str, value: &str) -> StoreResult<()>;

    async fn count_users(&mut self) -> StoreResult<i64>;
    async fn insert_user(&mut self, user: &NewUser) -> StoreResult<UserId>;
    async fn user(&mut self, id: UserId) -> StoreResult<Option<UserRecord>>;
    /// Finds a user by the folded form of their name or of their email.
    async fn user_by_login_key(&mut self, key: &str) -> StoreResult<Option<UserRecord>>;
    async fn update_user_profile(&mut self, id: UserId, name: &UserName, email: &Email) -> StoreResult<()>;
    /// The user's interface language and time zone (None: not chosen).
    async fn update_user_preferences(
        &mut self,
        id: UserId,
        language: Option<&str>,
        time_zone: Option<&str>,
    ) -> StoreResult<()>;
    async fn update_user_password(&mut self, id: UserId, password_hash: &str) -> StoreResult<()>;
    async fn set_user_role(&mut self, id: UserId, role: Role) -> StoreResult<()>;
    /// Resignation: name, email and password become NULL; the row and the posts stay.
    async fn erase_user(&mut self, id: UserId) -> StoreResult<()>;
    async fn add_user_state(
        &mut self,
        id: UserId,
        state: AccountState,
        detail: Option<&str>,
        until: Option<Timestamp>,
        at: Timestamp,
    ) -> StoreResult<()>;

    async fn insert_login(&mut self, user_id: UserId, at: Timestamp) -> StoreResult<LoginId>;
    /// Ends one login; returns whether it was still open.
    async fn end_login(&mut self, login_id: LoginId, at: Timestamp) -> StoreResult<bool>;
    /// Ends every open login of a user but `keep`; returns the ids it ended.
    async fn end_logins_of_user(
        &mut self,
        user_id: UserId,
        keep: Option<LoginId>,
        at: Timestamp,
    ) -> StoreResult<Vec<LoginId>>;

    async fn category(&mut self, id: CategoryId) -> StoreResult<Option<CategoryRecord>>;
    async fn insert_category(
        &mut self,
        tier: i64,
        name: &str,
        parent_id: Option<CategoryId>,
    ) -> StoreResult<CategoryId>;
    async fn rename_category(&mut self, id: CategoryId, name: &str) -> StoreResult<()>;

    /// Stores an event in this transaction, to be applied to the read model after commit.
    async fn record(&mut self, event: &Event) -> StoreResult<()>;
    /// Commits; returns the events recorded in this transaction.
    async fn commit(self: Box<Self>) -> StoreResult<Vec<Event>>;
}

pub struct NewUser<'a> {
    pub name: &'a UserName,
    pub email: &'a Email,
    pub password_hash: &'a str,
    pub role: Role,
    pub created: Timestamp,
}

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: UserId,
    /// None once the user has resigned.
    pub name: Option<String>,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub role: Role,
    pub state: AccountState,
    /// Why the user is in their current state (e.g. the block reason).
    pub state_detail: Option<String>,
    /// When the current state ends by itself (a timed block); None: it holds until changed.
    pub state_until: Option<Timestamp>,
}

impl UserRecord {
    /// The state as it stands now: a timed block whose end has passed no longer holds.
    pub fn state_now(&self) -> AccountState {
        match self.state {
            AccountState::Blocked if !crate::domain::modlog::block_holds(self.state_until, Timestamp::now()) => {
                AccountState::Active
            }
            state => state,
        }
    }
}

#[derive(Debug, Clone)]
pub struct CategoryRecord {
    pub id: CategoryId,
    pub tier: i64,
    pub name: String,
    pub parent_id: Option<CategoryId>,
}

/// The read side: plain keyed queries over the read model (and the login table).
/// Posts and comments are in [`ContentReads`].
#[async_trait]
pub trait ReadStore: ContentReads + ModerationReads + NotificationReads + ReportReads + Send + Sync + 'static {
    async fn ping(&self) -> StoreResult<()>;

    /// An account from the write tables, by id or by the folded form of its name or email.
    async fn account(&self, id: UserId) -> StoreResult<Option<UserRecord>>;
    async fn account_by_login_key(&self, key: &str) -> StoreResult<Option<UserRecord>>;

    /// The user behind an open login, if it is still open and the user may use the forum.
    async fn session_user(&self, login_id: LoginId) -> StoreResult<Option<SessionUser>>;
    async fn open_logins_of(&self, user_id: UserId) -> StoreResult<Vec<LoginId>>;

    async fn category_tree(&self) -> StoreResult<Vec<CategoryRow>>;
    /// The user who has this (folded) name.
    async fn user_id_by_name(&self, name_key: &str) -> StoreResult<Option<UserId>>;
    async fn profile(&self, user_id: UserId) -> StoreResult<Option<ProfileRow>>;
    /// Where a user's name shows: their posts, and each of their comments as
    /// (post id, number of comments before it on that post).
    async fn author_footprint(&self, user_id: UserId) -> StoreResult<(Vec<PostId>, Vec<(PostId, i64)>)>;
    /// Users for the admin page, newest first, `limit` after the keyset `before`.
    async fn users_page(&self, before: Option<UserId>, limit: i64) -> StoreResult<Vec<ProfileRow>>;
    /// A forum setting as stored (e.g. the registration mode).
    async fn setting(&self, name: &str) -> StoreResult<Option<String>>;
    /// Invite codes for the admin page, newest first, at most `limit`.
    async fn invites(&self, limit: i64) -> StoreResult<Vec<InviteRow>>;
}

/// Applies recorded events to the read model, and checks or rebuilds it.
#[async_trait]
pub trait Projector: Send + Sync + 'static {
    /// Applies every event not yet applied, oldest first; returns those it applied.
    async fn apply_pending(&self) -> StoreResult<Vec<Event>>;
    /// Compares the read model with what the write tables say; returns the differences.
    async fn check(&self) -> StoreResult<Vec<String>>;
    /// The id of the newest recorded event (0 when there is none).
    async fn last_event_id(&self) -> StoreResult<i64>;
    /// Events recorded after `after`, oldest first, at most `limit`.
    async fn events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<(i64, Event)>>;
    /// Rebuilds the whole read model from the write tables.
    async fn rebuild(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> StoreResult<()>;
}

/// How many connections the database pool holds, for the operator's gauges. No port hands it
/// out (it says nothing about the data): the wiring reads it from the database adapter.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SessionUser {
    pub user_id: UserId,
    pub name: String,
    pub role: Role,
    /// The interface language the user chose (a code the web layer offers or passes over).
    #[serde(default)]
    pub language: Option<String>,
    /// The IANA time zone the user chose.
    #[serde(default)]
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CategoryRow {
    pub id: CategoryId,
    pub tier: i64,
    pub name: String,
    pub parent_id: Option<CategoryId>,
    pub parent_name: Option<String>,
    pub post_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProfileRow {
    pub user_id: UserId,
    pub name: Option<String>,
    pub role: Role,
    pub state: AccountState,
    pub joined: Timestamp,
    pub post_count: i64,
    pub comment_count: i64,
}

#[derive(Debug, thiserror::Error)]
#[error("cache: {0}")]
pub struct CacheError(pub String);

/// A key-value cache of bytes, each entry with its own time to live. Every failure is
/// reported, never hidden: callers fall back to the database and count it.
#[async_trait]
pub trait Cache: Send + Sync + 'static {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError>;
    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError>;
    async fn delete(&self, keys: &[String]) -> Result<(), CacheError>;
    /// A short name for metrics and logs ("memory", "redis").
    fn kind(&self) -> &'static str;
}
