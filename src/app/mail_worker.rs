//! The outbox worker: claims due mail with a lease, hands it to the [`MailSender`], and marks
//! it sent; on a failure it tries again later, each wait twice the last, and after the last
//! attempt marks it failed for the admin's mail page. It never blocks a page: commands only
//! write the outbox row.

use crate::domain::Timestamp;
use crate::ports::{ClaimedMail, MailOutbox, MailSender, OutgoingMail, SendError};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The first wait after a failure; each further one doubles it.
    pub retry: Duration,
    pub max_attempts: i64,
    /// The host part of each Message-ID (the forum's own, from FORUM_BASE_URL).
    pub message_id_host: String,
}

/// How long a claim holds a row: longer than a send may take (lettre's timeout is 30 s), so a
/// worker still sending keeps it; a worker that died gives it up this long after.
const LEASE: Duration = Duration::from_secs(120);
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// How often the worker looks for due mail without being told of any: mail of other instances
/// left behind by a crash, and retries. A mail committed by this process wakes it at once.
const POLL_EVERY: Duration = Duration::from_secs(2);

pub struct MailWorker {
    pub outbox: Arc<dyn MailOutbox>,
    pub sender: Arc<dyn MailSender>,
    pub settings: MailSettings,
}

fn plus(at: Timestamp, wait: Duration) -> Timestamp {
    Timestamp(at.0.saturating_add(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX)))
}

/// The wait before attempt `attempts + 1`: `retry`, then twice that, … up to an hour.
pub fn backoff(retry: Duration, attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    retry.saturating_mul(1u32 << doublings).min(MAX_BACKOFF)
}

impl MailWorker {
    /// Runs until the task is aborted.
    pub async fn run(self) {
        let mut tick = tokio::time::interval(POLL_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                () = self.outbox.mail_committed() => {}
            }
            if let Err(error) = self.send_due().await {
                tracing::warn!(%error, "the mail outbox could not be read; will retry");
            }
        }
    }

    /// Sends what is due now; how many went.
    pub async fn send_due(&self) -> anyhow::Result<usize> {
        let now = Timestamp::now();
        let claimed = self.outbox.claim_due_mail(now, plus(now, LEASE), 20).await?;
        let mut sent = 0;
        for row in claimed {
            sent += usize::from(self.send_one(row).await?);
        }
        Ok(sent)
    }

    fn outgoing(&self, row: &ClaimedMail) -> OutgoingMail {
        OutgoingMail {
            // Made of the row, so every attempt of this mail carries the same id.
            message_id: format!("outbox-{}.{}@{}", row.id, row.created.0, self.settings.message_id_host),
            to: row.mail.to.clone(),
            subject: row.mail.subject.clone(),
            text: row.mail.text.clone(),
            html: row.mail.html.clone(),
            list_unsubscribe: row.list_unsubscribe.clone(),
        }
    }

    async fn send_one(&self, row: ClaimedMail) -> anyhow::Result<bool> {
        let outgoing = self.outgoing(&row);
        let result = self.sender.send(&outgoing).await;
        let now = Timestamp::now();
        let (error, permanent) = match result {
            Ok(()) => {
                self.outbox.mark_mail_sent(row.id, now).await?;
                metrics::counter!("mail_sent_total").increment(1);
                return Ok(true);
            }
            Err(SendError::Transient(error)) => (format!("{error:#}"), false),
            Err(SendError::Permanent(error)) => (format!("{error:#}"), true),
        };
        if permanent || row.attempts >= self.settings.max_attempts {
            tracing::error!(id = row.id, attempts = row.attempts, %error, "a mail failed for good; see /admin/mail");
            metrics::counter!("mail_failed_total").increment(1);
            self.outbox.mark_mail_failed(row.id, now, &error).await?;
        } else {
            let wait = backoff(self.settings.retry, row.attempts);
            tracing::warn!(id = row.id, attempts = row.attempts, retry_in = ?wait, %error, "a mail could not be sent");
            self.outbox.retry_mail_at(row.id, plus(now, wait), &error).await?;
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_wait_doubles_up_to_an_hour() {
        let retry = Duration::from_secs(30);
        assert_eq!(backoff(retry, 1), Duration::from_secs(30));
        assert_eq!(backoff(retry, 2), Duration::from_secs(60));
        assert_eq!(backoff(retry, 4), Duration::from_secs(240));
        assert_eq!(backoff(retry, 40), MAX_BACKOFF);
    }
}
