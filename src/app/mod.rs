//! The application core: command handlers (the write path), cached queries (the read path),
//! and what happens after a commit (projections, cache invalidation).

pub mod accounts;
pub mod admin;
pub mod auth;
pub mod boards;
pub mod content;
pub mod content_queries;
pub mod feeds;
pub mod guards;
mod invalidation;
pub mod keys;
pub mod limits;
mod mail_admin;
pub mod mail_setup;
pub mod mail_worker;
pub mod moderators;
pub mod modlog;
pub mod notice_mail;
pub mod notifications;
mod operations;
pub mod pages;
pub mod password_reset;
pub mod queries;
pub mod read_cache;
mod removals;
pub mod reports;
pub mod setup;
pub mod threads;
pub mod verification;

use crate::domain::LoginId;
use crate::domain::policy::{Actor, Refusal};
use crate::domain::{Event, FieldErrors};
use crate::ports::{Projector, ReadStore, UnitOfWork, WriteStore};
use read_cache::ReadCache;
use std::sync::Arc;

pub use auth::{PasswordHasher, Tokens};

/// Everything the handlers need. The ports are reached only through App's commands and
/// queries, which is where the rules are kept.
pub struct App {
    store: Arc<dyn WriteStore>,
    reads: Arc<dyn ReadStore>,
    projector: Arc<dyn Projector>,
    cache: ReadCache,
    pub passwords: PasswordHasher,
    pub tokens: Tokens,
    /// Sign-up and double-submit guards: their settings and the sign-up form's signing key.
    guards: guards::Guards,
    /// Rate limits on sign-up, login, writing, voting and search.
    limits: limits::RateLimits,
    /// The mails about accounts: their words, links and the outbox (none until `with_mail`).
    mail: mail_setup::MailSetup,
    /// Told when applying events failed, so the catch-up retries soon rather than at its
    /// next tick: an acknowledged post should not stay invisible for long.
    projection_failed: tokio::sync::Notify,
    /// How notifications go out by mail (nothing is mailed until it is set).
    notice_mail: notice_mail::NoticeMailSettings,
}

/// The outside world an App is built on.
pub struct Ports {
    pub store: Arc<dyn WriteStore>,
    pub reads: Arc<dyn ReadStore>,
    pub projector: Arc<dyn Projector>,
    pub cache: ReadCache,
}

/// Why a command did not happen.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The input broke a rule; the messages go back onto the form.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// The actor may not do this.
    #[error("forbidden: {0:?}")]
    Forbidden(Refusal),
    #[error("not found")]
    NotFound,
    /// A rate limit (or the full login queue) refused it; nothing was done.
    #[error("rate limited: {0:?}")]
    Limited(limits::Limited),
    /// The database cannot take it now (full disk, outage); nothing was saved, and the same
    /// request may work in a moment.
    #[error("unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<crate::ports::StoreError> for CommandError {
    fn from(error: crate::ports::StoreError) -> Self {
        match error {
            crate::ports::StoreError::Unavailable(error) => CommandError::Unavailable(error),
            other => CommandError::Internal(other.into()),
        }
    }
}

impl From<FieldErrors> for CommandError {
    fn from(errors: FieldErrors) -> Self {
        CommandError::Invalid(errors)
    }
}

pub type CommandResult<T> = Result<T, CommandError>;

/// The acting user as the write model says now, read inside the command's transaction: a
/// role granted or taken away, or a block, counts from the next command on, whatever a
/// cached session still says.
async fn acting(tx: &mut Box<dyn UnitOfWork>, user: &crate::ports::SessionUser) -> CommandResult<Actor> {
    match tx.user(user.user_id).await? {
        Some(record) if record.name.is_some() && record.state_now() == crate::domain::AccountState::Active => {
            Ok(Actor { user_id: record.id, role: record.role })
        }
        _ => Err(CommandError::Forbidden(Refusal::AccountInactive)),
    }
}

impl From<Refusal> for CommandError {
    fn from(refusal: Refusal) -> Self {
        CommandError::Forbidden(refusal)
    }
}

impl App {
    pub fn new(ports: Ports, passwords: PasswordHasher, tokens: Tokens) -> Self {
        let Ports { store, reads, projector, cache } = ports;
        // Until `with_guards`: the default settings, and stamps signed with a key of this process.
        let guards = guards::Guards::new(guards::random_token(32).as_bytes(), guards::GuardSettings::default());
        let limits = limits::RateLimits::off();
        App {
            store,
            reads,
            projector,
            cache,
            passwords,
            tokens,
            guards,
            limits,
            mail: mail_setup::MailSetup::default(),
            projection_failed: tokio::sync::Notify::new(),
            notice_mail: notice_mail::NoticeMailSettings::default(),
        }
    }

    /// The guards' settings, and the forum's secret that signs sign-up forms.
    pub fn with_guards(mut self, guards: guards::Guards) -> Self {
        self.guards = guards;
        self
    }

    /// The rate limits (off until this is called).
    pub fn with_limits(mut self, limits: limits::RateLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Who words the mails, where their links point and the outbox (no mail until this is called).
    pub fn with_mail(mut self, mail: mail_setup::MailSetup) -> Self {
        self.mail = mail;
        self
    }

    /// Commits a command's transaction, then brings the read model and the cache up to date
    /// with what it recorded.
    async fn commit(&self, tx: Box<dyn UnitOfWork>) -> CommandResult<()> {
        let recorded = tx.commit().await?;
        self.publish(&recorded).await;
        Ok(())
    }

    /// The same for a command that ended logins: their sessions are dropped first, so none
    /// outlives the commit by the time publishing takes.
    async fn commit_ending_logins(&self, tx: Box<dyn UnitOfWork>, ended: Vec<LoginId>) -> CommandResult<()> {
        let recorded = tx.commit().await?;
        self.forget(ended.into_iter().map(keys::login).collect()).await;
        self.publish(&recorded).await;
        Ok(())
    }

    /// After a commit: bring the read model up to date, then drop the cache entries the
    /// applied events made stale. A failure here loses nothing: the events stay recorded and
    /// are applied by the next command, the background catch-up, or the next start.
    pub async fn publish(&self, recorded: &[Event]) {
        self.try_publish(recorded).await;
    }

    /// [`App::publish`], saying whether every pending event was applied.
    pub async fn try_publish(&self, recorded: &[Event]) -> bool {
        let (applied, complete) = match self.projector.apply_pending().await {
            Ok(applied) => (applied, true),
            Err(error) => {
                tracing::error!(%error, "applying events to the read model failed; will retry");
                self.projection_failed.notify_one();
                (Vec::new(), false)
            }
        };
        // The command's own events too: the background catch-up may have applied them first,
        // and the author's redirect must not meet an entry from before the change.
        let mut events = applied;
        events.extend(recorded.iter().cloned());
        self.invalidate(&events).await;
        complete
    }

    /// Waits until applying events has failed somewhere (for the catch-up task).
    pub async fn projection_failed(&self) {
        self.projection_failed.notified().await;
    }

    /// Drops cache entries; a failure is logged and counted, and the short TTLs bound the harm.
    pub async fn forget(&self, keys: Vec<String>) {
        if keys.is_empty() {
            return;
        }
        self.cache.forget(&keys).await;
    }
}
