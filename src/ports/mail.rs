//! The port that hands a finished mail to the outside world. The core builds the mail (who,
//! subject, plain text and HTML, a Message-ID stable per outbox row) and never names SMTP.

use async_trait::async_trait;

/// One mail, ready to go: what the outbox stores for a row, in the recipient's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// `<id@host>` without the angle brackets; the same for every attempt of one outbox row,
    /// so a mail resent after a crash mid-send is recognisably the same mail.
    pub message_id: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// A one-click unsubscribe address (RFC 8058) for mail a member chose to get.
    pub list_unsubscribe: Option<String>,
}

/// Why a mail did not go.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later: the server is down, busy, or refused for now (4xx).
    #[error("the mail could not be sent now: {0:#}")]
    Transient(anyhow::Error),
    /// Trying again will not help: the address or the mail was refused for good (5xx).
    #[error("the mail was refused: {0:#}")]
    Permanent(anyhow::Error),
}

#[async_trait]
pub trait MailSender: Send + Sync + 'static {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError>;
}

/// A mail as a command records it in the outbox, inside its own transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A row the worker has claimed: its lease is the worker's until it reports back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedMail {
    pub id: i64,
    pub created: crate::domain::Timestamp,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub mail: NewMail,
    pub list_unsubscribe: Option<String>,
}

/// What the admin's mail page lists: a mail that will not be tried again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedMail {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub attempts: i64,
    pub failed: crate::domain::Timestamp,
    pub last_error: Option<String>,
}

/// The outbox as the worker and the admin page use it, each step a transaction of its own.
#[async_trait]
pub trait MailOutbox: Send + Sync + 'static {
    /// Claims up to `limit` due rows whose lease has run out, taking the lease until
    /// `lease_until`. A row goes to one claimer only, across instances: the claim is one
    /// conditional UPDATE on the row.
    async fn claim_due_mail(
        &self,
        now: crate::domain::Timestamp,
        lease_until: crate::domain::Timestamp,
        limit: i64,
    ) -> super::StoreResult<Vec<ClaimedMail>>;
    async fn mark_mail_sent(&self, id: i64, at: crate::domain::Timestamp) -> super::StoreResult<()>;
    /// Due again at `due`, the lease given back.
    async fn retry_mail_at(&self, id: i64, due: crate::domain::Timestamp, error: &str) -> super::StoreResult<()>;
    async fn mark_mail_failed(&self, id: i64, at: crate::domain::Timestamp, error: &str) -> super::StoreResult<()>;
    async fn failed_mail(&self) -> super::StoreResult<Vec<FailedMail>>;
    /// Returns once a transaction of this process that wrote mail has committed since the last
    /// call: the worker's hint to look now rather than at its next regular look.
    async fn mail_committed(&self);
    /// Makes a failed mail due now with fresh attempts; false when there is no such failed mail.
    async fn resend_mail(&self, id: i64, now: crate::domain::Timestamp) -> super::StoreResult<bool>;
}

/// The outbox as a command writes it, inside the command's unit of work: the mail goes if and
/// only if the command commits.
#[async_trait]
pub trait MailWrites: Send {
    /// Records the mail, due at `at`; its outbox id.
    async fn enqueue_mail(&mut self, mail: &NewMail, at: crate::domain::Timestamp) -> super::StoreResult<i64>;
    /// The same for mail a member chose to get, with the address that turns it off in one click.
    async fn enqueue_list_mail(
        &mut self,
        mail: &NewMail,
        list_unsubscribe: &str,
        at: crate::domain::Timestamp,
    ) -> super::StoreResult<i64>;
}
