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
    /// How many mails wait, went, and failed (for the admin's mail page).
    async fn mail_counts(&self) -> super::StoreResult<MailCounts>;
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailCounts {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
}

/// What a single-use link sent by mail is for; stored with its hash, so a link of one kind
/// never does the other's job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    PasswordReset,
    VerifyEmail,
}

impl TokenPurpose {
    pub fn name(self) -> &'static str {
        match self {
            TokenPurpose::PasswordReset => "reset",
            TokenPurpose::VerifyEmail => "verify",
        }
    }
}

/// A link's token as stored: only its SHA-256 (hex), and for whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMailToken<'a> {
    pub hash: &'a str,
    pub purpose: TokenPurpose,
    pub user_id: crate::domain::UserId,
    /// The address the link was sent to (a verification link verifies only that one).
    pub email: Option<&'a str>,
    pub created: crate::domain::Timestamp,
    pub expires: crate::domain::Timestamp,
}

/// A token that was still good when taken: whose, and the address it was sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakenToken {
    pub user_id: crate::domain::UserId,
    pub email: Option<String>,
}

/// Who a mail about an account goes to, and in which language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailRecipient {
    pub user_id: crate::domain::UserId,
    pub name: String,
    pub email: String,
    /// None until the address is shown to be the user's.
    pub verified: Option<crate::domain::Timestamp>,
    /// The user's chosen interface language, if any.
    pub language: Option<String>,
    pub active: bool,
}

/// Reads about mail outside any command: what a page shows (an address's status, whether a
/// link still works). Plain reads on the pool, so a page view never takes a write transaction.
#[async_trait]
pub trait MailReads: Send + Sync + 'static {
    /// The user's address and when it was verified (None: not verified); None without an address.
    async fn address_of(
        &self,
        user_id: crate::domain::UserId,
    ) -> super::StoreResult<Option<(String, Option<crate::domain::Timestamp>)>>;
    /// Whether a token is good now: of this purpose, not used, not expired.
    async fn token_usable(
        &self,
        hash: &str,
        purpose: TokenPurpose,
        now: crate::domain::Timestamp,
    ) -> super::StoreResult<bool>;
}

/// The mails the forum writes, with what each says; worded by a [`MailComposer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailKind<'a> {
    PasswordReset {
        name: &'a str,
        link: &'a str,
        minutes: i64,
    },
    VerifyEmail {
        name: &'a str,
        link: &'a str,
        hours: i64,
    },
    /// To the old address after the user changed theirs.
    EmailChanged {
        name: &'a str,
        new_email: &'a str,
    },
}

/// The words of a mail: subject, plain text and HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailWords {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Words a mail in a language (a code the web layer offers, or None for the forum's default).
/// The core decides who gets which mail; the wording lives with the interface's other words.
pub trait MailComposer: Send + Sync + 'static {
    fn compose(&self, kind: &MailKind<'_>, language: Option<&str>) -> MailWords;
}

/// The outbox as a command writes it, inside the command's unit of work: the mail goes if and
/// only if the command commits.
#[async_trait]
pub trait MailWrites: Send {
    /// Records the mail, due at `at`; its outbox id.
    async fn enqueue_mail(&mut self, mail: &NewMail, at: crate::domain::Timestamp) -> super::StoreResult<i64>;
    /// The account a mail would go to (None: no such user, or resigned).
    async fn mail_recipient(&mut self, user_id: crate::domain::UserId) -> super::StoreResult<Option<MailRecipient>>;
    async fn insert_mail_token(&mut self, token: &NewMailToken<'_>) -> super::StoreResult<()>;
    /// Whether a token is good now (not used, not expired), without using it.
    async fn peek_mail_token(
        &mut self,
        hash: &str,
        purpose: TokenPurpose,
        now: crate::domain::Timestamp,
    ) -> super::StoreResult<Option<TakenToken>>;
    /// Uses a token if it is good now: one conditional UPDATE, so of two requests with the
    /// same link only one gets it.
    async fn take_mail_token(
        &mut self,
        hash: &str,
        purpose: TokenPurpose,
        now: crate::domain::Timestamp,
    ) -> super::StoreResult<Option<TakenToken>>;
    /// Marks the user's address verified if it still is `email`; false otherwise.
    async fn mark_email_verified(
        &mut self,
        user_id: crate::domain::UserId,
        email: &str,
        at: crate::domain::Timestamp,
    ) -> super::StoreResult<bool>;
    /// A new address is not verified, and the links sent to the old one are void.
    async fn mark_email_unverified(
        &mut self,
        user_id: crate::domain::UserId,
        at: crate::domain::Timestamp,
    ) -> super::StoreResult<()>;
    /// The same for mail a member chose to get, with the address that turns it off in one click.
    async fn enqueue_list_mail(
        &mut self,
        mail: &NewMail,
        list_unsubscribe: &str,
        at: crate::domain::Timestamp,
    ) -> super::StoreResult<i64>;
}
