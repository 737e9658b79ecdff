//! Password reset by mail: asked for by name or address (always the same answer), a single-use
//! link that lives an hour, and a new password that ends every session of the account.

use super::accounts::check_new_password;
use super::guards::random_token;
use super::mail_setup::{later, token_hash};
use super::{App, CommandError, CommandResult};
use crate::domain::mail::may_get_reset_mail;
use crate::domain::rate_limit::{Action, Subject};
use crate::domain::{Field, FieldError, FieldErrors, Timestamp, UserId, fold_key};
use crate::ports::{MailKind, NewMailToken, TokenPurpose};

/// A "forgot your password" form as sent.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResetRequest<'a> {
    pub name_or_email: &'a str,
    /// The request's interface language, for an account that chose none.
    pub language: Option<&'a str>,
    /// The client address's key, counted by the per-address limit.
    pub address: Option<&'a str>,
}

/// No user has id 0: the look-up an unknown name makes, so that both answers cost the same.
const NO_ONE: UserId = UserId(0);

impl App {
    /// Sends a reset link if the account exists, is active and its address verified. Every
    /// outcome, a refusal by the rate limits included, looks the same to the asker: the
    /// answer must not tell who has an account.
    pub async fn request_password_reset(&self, request: ResetRequest<'_>) -> CommandResult<()> {
        let typed = request.name_or_email.trim();
        let key = fold_key(typed);
        let account = match typed {
            "" => None,
            _ => self.reads.account_by_login_key(&key).await?,
        };
        let subject = account.as_ref().map_or_else(|| format!("name:{key}"), |a| a.id.0.to_string());
        if self.reset_limited(request.address, &subject).await {
            return Ok(());
        }
        let now = Timestamp::now();
        let mut tx = self.store.begin().await?;
        // The same reads whether or not the account exists.
        let recipient = tx.mail_recipient(account.map_or(NO_ONE, |a| a.id)).await?;
        if let Some(recipient) = recipient.filter(|r| may_get_reset_mail(r.active, r.verified)) {
            let token = random_token(32);
            let hash = token_hash(&token);
            let expires = later(now, self.mail.reset_ttl);
            let purpose = TokenPurpose::PasswordReset;
            let email = Some(recipient.email.as_str());
            let row = NewMailToken { hash: &hash, purpose, user_id: recipient.user_id, email, created: now, expires };
            tx.insert_mail_token(&row).await?;
            let link = self.mail.link("/password/reset/", &token);
            let minutes = i64::try_from(self.mail.reset_ttl.as_secs() / 60).unwrap_or(i64::MAX);
            let kind = MailKind::PasswordReset { name: &recipient.name, link: &link, minutes };
            self.mail.enqueue(tx.as_mut(), &recipient.email, &recipient, request.language, &kind, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Counts the request per address and per account (or name typed); true when refused.
    async fn reset_limited(&self, address: Option<&str>, subject: &str) -> bool {
        if let Some(address) = address
            && self.limits.charge(Action::PasswordReset, Subject::Address, address).await.is_err()
        {
            return true;
        }
        self.limits.charge(Action::PasswordReset, Subject::Account, subject).await.is_err()
    }

    /// Whether a reset link can still be used (for the page it opens).
    pub async fn reset_link_usable(&self, token: &str) -> CommandResult<bool> {
        Ok(self.mail.token_usable(token, TokenPurpose::PasswordReset).await?)
    }

    /// Sets the password the link's owner chose (the same rules as a password change), uses
    /// up the link, and ends every session of the account: whoever else was logged in, perhaps
    /// the person who took the old password, is out.
    pub async fn reset_password(&self, token: &str, password1: &str, password2: &str) -> CommandResult<()> {
        let unusable = || CommandError::from(FieldErrors::single(Field::Form, FieldError::LinkUnusable));
        // Looked at before bcrypt: a made-up link costs no hashing.
        if !self.reset_link_usable(token).await? {
            return Err(unusable());
        }
        let mut errors = FieldErrors::new();
        let password = check_new_password(&mut errors, password1, password2);
        let (Some(password), true) = (password, errors.is_empty()) else {
            return Err(errors.into());
        };
        let hash = self.passwords.hash(password.expose()).await?;
        let now = Timestamp::now();
        let mut tx = self.store.begin().await?;
        let taken = tx.take_mail_token(&token_hash(token), TokenPurpose::PasswordReset, now).await?;
        let Some(taken) = taken else { return Err(unusable()) };
        tx.update_user_password(taken.user_id, &hash).await?;
        let ended = tx.end_logins_of_user(taken.user_id, None, now).await?;
        tracing::info!(user_id = taken.user_id.0, sessions_ended = ended.len(), "password reset by mail");
        self.commit_ending_logins(tx, ended).await
    }
}
