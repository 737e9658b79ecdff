//! What the commands that send mail need besides the outbox: who words the mails, where their
//! links point, how long the links live, and the outbox itself for the admin's mail page.

use crate::domain::Timestamp;
use crate::ports::{
    MailComposer, MailKind, MailOutbox, MailReads, MailRecipient, MailWrites, NewMail, StoreResult, TokenPurpose,
};
use sha2::Digest;
use std::sync::Arc;
use std::time::Duration;

/// The setting that makes posting wait for a verified address ("on"; anything else: off).
pub const REQUIRE_VERIFIED_SETTING: &str = "require_verified_email";

#[derive(Clone)]
pub struct MailSetup {
    /// None: this App sends no mail (tools that drive the App directly).
    pub composer: Option<Arc<dyn MailComposer>>,
    pub outbox: Option<Arc<dyn MailOutbox>>,
    /// What pages read about mail (None: as if there were no address and no good link).
    pub reads: Option<Arc<dyn MailReads>>,
    /// FORUM_BASE_URL without a trailing slash.
    pub base_url: String,
    pub reset_ttl: Duration,
    pub verify_ttl: Duration,
}

impl Default for MailSetup {
    fn default() -> Self {
        MailSetup {
            composer: None,
            outbox: None,
            reads: None,
            base_url: "http://127.0.0.1:3000".to_string(),
            reset_ttl: Duration::from_secs(3600),
            verify_ttl: Duration::from_secs(24 * 3600),
        }
    }
}

/// The SHA-256 of a link's token, hex: all the database keeps of it.
pub fn token_hash(token: &str) -> String {
    let digest = sha2::Sha256::digest(token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

pub fn later(at: Timestamp, wait: Duration) -> Timestamp {
    Timestamp(at.0.saturating_add(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX)))
}

impl MailSetup {
    /// Whether the link's token still works (for the page it opens).
    pub async fn token_usable(&self, token: &str, purpose: TokenPurpose) -> StoreResult<bool> {
        match &self.reads {
            Some(reads) => reads.token_usable(&token_hash(token), purpose, Timestamp::now()).await,
            None => Ok(false),
        }
    }

    pub fn link(&self, path: &str, token: &str) -> String {
        format!("{}{path}{token}", self.base_url.trim_end_matches('/'))
    }

    /// Words `kind` in the recipient's language (their own choice, else the request's) and
    /// writes it to the outbox of the command's transaction.
    pub async fn enqueue(
        &self,
        tx: &mut (impl MailWrites + ?Sized),
        to: &str,
        recipient: &MailRecipient,
        request_language: Option<&str>,
        kind: &MailKind<'_>,
        now: Timestamp,
    ) -> StoreResult<()> {
        let Some(composer) = &self.composer else { return Ok(()) };
        let language = recipient.language.as_deref().or(request_language);
        let words = composer.compose(kind, language);
        let mail = NewMail { to: to.to_string(), subject: words.subject, text: words.text, html: words.html };
        tx.enqueue_mail(&mail, now).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_kept_as_its_sha256() {
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
