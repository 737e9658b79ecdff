//! Verified addresses: a link sent on sign-up, on an address change and on request, bound to
//! the address it went to; a notice to the old address after a change; and the forum's
//! choice to let only verified members write.

use super::guards::random_token;
use super::mail_setup::{REQUIRE_VERIFIED_SETTING, later, token_hash};
use super::{App, CommandResult};
use crate::domain::mail::{may_write, notify_old_address};
use crate::domain::rate_limit::{Action, Subject};
use crate::domain::{Field, FieldError, FieldErrors, Timestamp, UserId};
use crate::ports::{MailKind, MailRecipient, NewMailToken, TokenPurpose, UnitOfWork};

/// What the settings page shows about the address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressStatus {
    pub email: String,
    pub verified: bool,
}

/// The address change a profile save made, for its mails.
pub(super) struct AddressChange<'a> {
    pub before: &'a MailRecipient,
    pub new_email: &'a str,
    pub language: Option<&'a str>,
}

impl App {
    /// Writes a verification link for `recipient`'s current address to the outbox.
    pub(super) async fn send_verification(
        &self,
        tx: &mut Box<dyn UnitOfWork>,
        recipient: &MailRecipient,
        language: Option<&str>,
        now: Timestamp,
    ) -> CommandResult<()> {
        let token = random_token(32);
        let hash = token_hash(&token);
        let row = NewMailToken {
            hash: &hash,
            purpose: TokenPurpose::VerifyEmail,
            user_id: recipient.user_id,
            email: Some(&recipient.email),
            created: now,
            expires: later(now, self.mail.verify_ttl),
        };
        tx.insert_mail_token(&row).await?;
        let link = self.mail.link("/email/verify/", &token);
        let hours = i64::try_from(self.mail.verify_ttl.as_secs() / 3600).unwrap_or(i64::MAX).max(1);
        let kind = MailKind::VerifyEmail { name: &recipient.name, link: &link, hours };
        self.mail.enqueue(tx.as_mut(), &recipient.email, recipient, language, &kind, now).await?;
        Ok(())
    }

    /// After a profile save changed the address: the new one is unverified and gets a link;
    /// the old one, if it was verified, hears of the change.
    pub(super) async fn address_changed(
        &self,
        tx: &mut Box<dyn UnitOfWork>,
        change: AddressChange<'_>,
    ) -> CommandResult<()> {
        let now = Timestamp::now();
        let before = change.before;
        tx.mark_email_unverified(before.user_id, now).await?;
        if notify_old_address(before.verified) {
            let kind = MailKind::EmailChanged { name: &before.name, new_email: change.new_email };
            self.mail.enqueue(tx.as_mut(), &before.email, before, change.language, &kind, now).await?;
        }
        let after = MailRecipient { email: change.new_email.to_string(), verified: None, ..before.clone() };
        self.send_verification(tx, &after, change.language, now).await
    }

    /// The address and whether it is verified, as the write tables say now.
    pub async fn address_status(&self, user_id: UserId) -> CommandResult<Option<AddressStatus>> {
        // Not cached: the settings page is the owner's, and right after the link is used it
        // must say so.
        let Some(reads) = &self.mail.reads else { return Ok(None) };
        let address = reads.address_of(user_id).await?;
        Ok(address.map(|(email, verified)| AddressStatus { email, verified: verified.is_some() }))
    }

    /// Sends the link again (rate limited per account); nothing when already verified.
    pub async fn resend_verification(&self, user_id: UserId, language: Option<&str>) -> CommandResult<()> {
        self.limits.charge(Action::VerifyMail, Subject::Account, &user_id.0.to_string()).await?;
        let mut tx = self.store.begin().await?;
        let Some(recipient) = tx.mail_recipient(user_id).await? else { return Ok(()) };
        if recipient.verified.is_none() {
            self.send_verification(&mut tx, &recipient, language, Timestamp::now()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Whether a verification link can still be used (for the page it opens).
    pub async fn verify_link_usable(&self, token: &str) -> CommandResult<bool> {
        Ok(self.mail.token_usable(token, TokenPurpose::VerifyEmail).await?)
    }

    /// Uses a verification link: the address it was sent to is verified if it is still the
    /// account's. False for a used, expired or unknown link, or one for an old address.
    pub async fn verify_email(&self, token: &str) -> CommandResult<bool> {
        let now = Timestamp::now();
        let mut tx = self.store.begin().await?;
        let taken = tx.take_mail_token(&token_hash(token), TokenPurpose::VerifyEmail, now).await?;
        let Some(taken) = taken else { return Ok(false) };
        let Some(email) = taken.email else { return Ok(false) };
        let verified = tx.mark_email_verified(taken.user_id, &email, now).await?;
        tx.commit().await?;
        Ok(verified)
    }

    pub async fn verification_required(&self) -> CommandResult<bool> {
        Ok(self.reads.setting(REQUIRE_VERIFIED_SETTING).await?.as_deref() == Some("on"))
    }

    /// Refuses a post or comment of a member whose address is unverified while the forum
    /// requires verification; asked inside the writing command's transaction.
    pub(super) async fn check_may_write(tx: &mut Box<dyn UnitOfWork>, user_id: UserId) -> CommandResult<()> {
        let required = tx.setting(REQUIRE_VERIFIED_SETTING).await?.as_deref() == Some("on");
        if !required {
            return Ok(());
        }
        let verified = tx.mail_recipient(user_id).await?.and_then(|r| r.verified);
        if may_write(required, verified) {
            Ok(())
        } else {
            Err(FieldErrors::single(Field::Content, FieldError::EmailUnverified).into())
        }
    }
}
