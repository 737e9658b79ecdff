//! Notifications by mail: at once (written by the command with the notification), or as a
//! daily digest (the [`DigestWorker`]). Every such mail carries a signed one-click
//! unsubscribe link (RFC 8058). The words come from the web layer's translations
//! ([`NoticeTexts`]); the core decides who gets what, and when.

use super::{App, CommandError, CommandResult};
use crate::domain::notifications::{MailMode, NotificationKind};
use crate::domain::{Timestamp, UserId};
use crate::ports::{MailTarget, NewMail, NotificationRow, StoreResult, UnitOfWork};
use base64::Engine;
use hmac::{Hmac, Mac};
use std::sync::Arc;
use std::time::Duration;

/// A mail's words in the member's language: (subject, plain text, HTML).
pub struct MailText {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The addresses a mail links to, absolute.
pub struct MailLinks<'a> {
    pub base_url: &'a str,
    pub unsubscribe: &'a str,
}

/// What a mail tells of.
#[derive(Clone, Copy)]
pub enum MailNotice<'a> {
    One(&'a NotificationRow),
    Digest(&'a [NotificationRow]),
}

/// Writes the mails' words (the web layer, which has the translations).
pub trait NoticeTexts: Send + Sync + 'static {
    fn mail(&self, language: Option<&str>, notice: MailNotice<'_>, links: &MailLinks<'_>) -> MailText;
}

/// What the notification mails need: the forum's address, the secret that signs the
/// unsubscribe links, and the words. Without words (the default), nothing is mailed.
#[derive(Clone, Default)]
pub struct NoticeMailSettings {
    pub base_url: String,
    pub secret: Vec<u8>,
    pub texts: Option<Arc<dyn NoticeTexts>>,
}

/// Which mail an unsubscribe link turns off: one kind, or every kind sent as the digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsubscribe {
    Kind(NotificationKind),
    Digest,
}

impl Unsubscribe {
    fn code(self) -> &'static str {
        match self {
            Unsubscribe::Kind(kind) => kind.code(),
            Unsubscribe::Digest => "digest",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        if code == "digest" { Some(Unsubscribe::Digest) } else { NotificationKind::parse(code).map(Unsubscribe::Kind) }
    }
}

impl NoticeMailSettings {
    fn mac(&self, payload: &str) -> Option<Hmac<sha2::Sha256>> {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&self.secret).ok()?;
        // Told apart from the other things the secret signs by this prefix.
        mac.update(b"forum unsubscribe ");
        mac.update(payload.as_bytes());
        Some(mac)
    }

    /// `user.what.signature`: no state on the server, and no way to make one for another member.
    pub fn unsubscribe_token(&self, user_id: UserId, what: Unsubscribe) -> String {
        let payload = format!("{user_id}.{}", what.code());
        let signature = self.mac(&payload).map(|mac| mac.finalize().into_bytes().to_vec()).unwrap_or_default();
        format!("{payload}.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signature))
    }

    /// The member and what a genuine token turns off.
    pub fn verify_unsubscribe(&self, token: &str) -> Option<(UserId, Unsubscribe)> {
        let (payload, signature) = token.rsplit_once('.')?;
        let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature).ok()?;
        self.mac(payload)?.verify_slice(&signature).ok()?;
        let (user, what) = payload.split_once('.')?;
        Some((UserId(user.parse().ok()?), Unsubscribe::parse(what)?))
    }
}

/// Builds and enqueues notification mail inside a command's transaction.
pub(super) struct NoticeMailer<'a> {
    settings: &'a NoticeMailSettings,
}

impl<'a> NoticeMailer<'a> {
    pub fn new(settings: &'a NoticeMailSettings) -> Self {
        NoticeMailer { settings }
    }

    /// Enqueues the mail; false when mail is not set up (nothing was written).
    pub async fn enqueue(
        &self,
        tx: &mut Box<dyn UnitOfWork>,
        notice: MailNotice<'_>,
        user_id: UserId,
        target: &MailTarget,
        at: Timestamp,
    ) -> StoreResult<bool> {
        let Some(texts) = &self.settings.texts else { return Ok(false) };
        let what = match notice {
            MailNotice::One(row) => Unsubscribe::Kind(row.kind),
            MailNotice::Digest(_) => Unsubscribe::Digest,
        };
        let base_url = self.settings.base_url.trim_end_matches('/');
        let unsubscribe = format!("{base_url}/unsubscribe/{}", self.settings.unsubscribe_token(user_id, what));
        let words = texts.mail(target.language.as_deref(), notice, &MailLinks { base_url, unsubscribe: &unsubscribe });
        let mail = NewMail { to: target.email.clone(), subject: words.subject, text: words.text, html: words.html };
        tx.enqueue_list_mail(&mail, &unsubscribe, at).await?;
        Ok(true)
    }
}

impl App {
    /// The notification mail's settings (no mail until this is called).
    pub fn with_notice_mail(mut self, settings: NoticeMailSettings) -> Self {
        self.notice_mail = settings;
        self
    }

    /// What a token would turn off, for the confirm page (a GET changes nothing).
    pub fn unsubscribe_target(&self, token: &str) -> Option<Unsubscribe> {
        self.notice_mail.verify_unsubscribe(token).map(|(_, what)| what)
    }

    /// Turns off what a genuine unsubscribe token names. Needs no login: the signature is
    /// the proof, as a mail program's one-click POST carries no session.
    pub async fn unsubscribe(&self, token: &str) -> CommandResult<Unsubscribe> {
        let (user_id, what) = self.notice_mail.verify_unsubscribe(token).ok_or(CommandError::NotFound)?;
        let mut tx = self.store.begin().await?;
        match what {
            Unsubscribe::Kind(kind) => tx.set_mail_mode(user_id, kind, None).await?,
            Unsubscribe::Digest => {
                for kind in NotificationKind::ALL {
                    if tx.mail_mode(user_id, kind).await? == Some(MailMode::Digest) {
                        tx.set_mail_mode(user_id, kind, None).await?;
                    }
                }
            }
        }
        self.commit(tx).await?;
        Ok(what)
    }

    /// Sends the digest of `period` (once across instances: the first transaction to claim the
    /// period sends it, and marks what it sent); how many mails it enqueued.
    pub async fn send_digest(&self, period: i64) -> CommandResult<usize> {
        let mut tx = self.store.begin().await?;
        let now = Timestamp::now();
        if !tx.claim_digest_period(period, now).await? {
            return Ok(0);
        }
        let mut sent = 0;
        for batch in tx.digest_batches().await? {
            let mailer = NoticeMailer::new(&self.notice_mail);
            let notice = MailNotice::Digest(&batch.entries);
            if !mailer.enqueue(&mut tx, notice, batch.user_id, &batch.target, now).await? {
                break;
            }
            for entry in &batch.entries {
                tx.mark_notification_mailed(entry.id, now).await?;
            }
            sent += 1;
        }
        self.commit(tx).await?;
        Ok(sent)
    }
}

/// When the digest goes: once a day at `hour` (UTC), or for tests every `every` seconds.
#[derive(Debug, Clone, Copy)]
pub struct DigestSchedule {
    pub hour: u32,
    pub every: Option<Duration>,
}

impl DigestSchedule {
    /// The period due at `now`, if one is: the day once its hour has come, or the test interval.
    pub fn due_period(&self, now: Timestamp) -> Option<i64> {
        let secs = now.as_secs();
        if let Some(every) = self.every {
            return Some(secs / i64::try_from(every.as_secs().max(1)).unwrap_or(i64::MAX));
        }
        let hour = secs.rem_euclid(86_400) / 3600;
        (hour >= i64::from(self.hour)).then_some(secs.div_euclid(86_400))
    }
}

/// Looks for a due digest every minute (or every test interval) and sends it.
pub struct DigestWorker {
    pub app: Arc<App>,
    pub schedule: DigestSchedule,
}

impl DigestWorker {
    /// Runs until the task is aborted.
    pub async fn run(self) {
        let look = self.schedule.every.unwrap_or(Duration::from_secs(60)).min(Duration::from_secs(60));
        let mut tick = tokio::time::interval(look);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let Some(period) = self.schedule.due_period(Timestamp::now()) else { continue };
            match self.app.send_digest(period).await {
                Ok(0) => {}
                Ok(sent) => tracing::info!(period, sent, "notification digest sent"),
                Err(error) => tracing::warn!(%error, "the notification digest failed; will retry"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsubscribe_tokens_are_signed() {
        let settings = NoticeMailSettings { secret: b"secret".to_vec(), ..NoticeMailSettings::default() };
        let token = settings.unsubscribe_token(UserId(7), Unsubscribe::Kind(NotificationKind::Mention));
        assert_eq!(
            settings.verify_unsubscribe(&token),
            Some((UserId(7), Unsubscribe::Kind(NotificationKind::Mention)))
        );
        assert_eq!(settings.verify_unsubscribe(&token.replacen('7', "8", 1)), None, "another member's");
        let other = NoticeMailSettings { secret: b"other".to_vec(), ..NoticeMailSettings::default() };
        assert_eq!(other.verify_unsubscribe(&token), None);
    }

    #[test]
    fn the_digest_is_due_once_its_hour_has_come() {
        let daily = DigestSchedule { hour: 7, every: None };
        let day = 20_000i64;
        assert_eq!(daily.due_period(Timestamp((day * 86_400 + 6 * 3600) * 1000)), None);
        assert_eq!(daily.due_period(Timestamp((day * 86_400 + 7 * 3600) * 1000)), Some(day));
        let quick = DigestSchedule { hour: 7, every: Some(Duration::from_secs(2)) };
        assert_eq!(quick.due_period(Timestamp(10_000)), Some(5));
    }
}
