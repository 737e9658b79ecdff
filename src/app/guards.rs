//! The guards against double submits and sign-up spam, as the commands use them: the signed
//! issue time of a sign-up form, one-time form keys, new accounts' limits, the registration
//! mode and its invite codes (commands for admins, and the reads their page needs).

use super::{App, CommandError, CommandResult, acting};
use crate::domain::guards::{
    FORM_KEY_LIFETIME_MS, FormKey, FormTiming, KeyedForm, NewAccountLimits, NewAccountRefusal, RegistrationMode,
    check_fill_time, has_link,
};
use crate::domain::policy::{Actor, AdminWork, Writing, can_administer};
use crate::domain::{Field, FieldError, FieldErrors, Timestamp};
use crate::ports::{InviteRow, KeyClaim, SessionUser, UnitOfWork};
use base64::Engine;
use hmac::{Hmac, Mac};

/// The setting that holds the registration mode (absent: open).
const REGISTRATION_SETTING: &str = "registration_mode";
/// How many invite codes the admin page lists.
const INVITES_SHOWN: i64 = 200;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// The numbers of the guards, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct GuardSettings {
    /// The least time between showing a sign-up form and its coming back.
    pub min_fill_ms: i64,
    /// The most: an older form is shown again with a fresh stamp.
    pub max_fill_ms: i64,
    /// Accounts one client address may make a day (0: no cap).
    pub signups_per_address_per_day: i64,
    pub new_accounts: NewAccountLimits,
}

impl Default for GuardSettings {
    fn default() -> Self {
        GuardSettings {
            min_fill_ms: 3000,
            max_fill_ms: DAY_MS,
            signups_per_address_per_day: 5,
            new_accounts: NewAccountLimits { hours: 24, posts: 3, comments: 10 },
        }
    }
}

/// The guards' settings and the key that signs the sign-up form's issue time.
#[derive(Clone)]
pub struct Guards {
    pub settings: GuardSettings,
    stamp_key: Vec<u8>,
}

impl Guards {
    /// Signs with the forum's secret (the one behind session tokens; the stamps are told apart
    /// from tokens by what is signed, not by another key to keep).
    pub fn new(secret: &[u8], settings: GuardSettings) -> Self {
        Guards { settings, stamp_key: secret.to_vec() }
    }

    fn mac(&self, issued: Timestamp) -> Option<Hmac<sha2::Sha256>> {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&self.stamp_key).ok()?;
        mac.update(b"forum sign-up form issued at ");
        mac.update(issued.0.to_string().as_bytes());
        Some(mac)
    }

    /// The stamp a sign-up form carries: its issue time and that time's signature.
    pub fn stamp(&self, issued: Timestamp) -> String {
        let signature = self.mac(issued).map(|mac| mac.finalize().into_bytes().to_vec()).unwrap_or_default();
        format!("{}.{}", issued.0, base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signature))
    }

    /// When a stamp this forum signed says the form was issued; None for anything else.
    fn issued_at(&self, stamp: &str) -> Option<Timestamp> {
        let (issued, signature) = stamp.split_once('.')?;
        let issued = Timestamp(issued.parse().ok()?);
        let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature).ok()?;
        self.mac(issued)?.verify_slice(&signature).ok()?;
        Some(issued)
    }

    /// Whether a sign-up form came back in the time a person takes, with its stamp intact.
    pub fn check_stamp(&self, stamp: &str, now: Timestamp) -> Result<(), FormTiming> {
        let issued = self.issued_at(stamp).ok_or(FormTiming::Tampered)?;
        check_fill_time(issued, now, self.settings.min_fill_ms, self.settings.max_fill_ms)
    }
}

/// The day (since the epoch, UTC) a sign-up counts on.
pub(super) fn signup_day(now: Timestamp) -> i64 {
    now.0.div_euclid(DAY_MS)
}

impl App {
    /// A fresh stamp for a sign-up form shown now.
    pub fn signup_stamp(&self) -> String {
        self.guards.stamp(Timestamp::now())
    }

    pub fn guard_settings(&self) -> GuardSettings {
        self.guards.settings
    }

    /// The registration mode an admin set (open until one does).
    pub async fn registration_mode(&self) -> CommandResult<RegistrationMode> {
        let stored = self.reads.setting(REGISTRATION_SETTING).await?;
        Ok(stored.as_deref().and_then(RegistrationMode::parse).unwrap_or_default())
    }

    /// The mode as the sign-up's own transaction reads it.
    pub(super) async fn registration_mode_in(tx: &mut Box<dyn UnitOfWork>) -> CommandResult<RegistrationMode> {
        let stored = tx.setting(REGISTRATION_SETTING).await?;
        Ok(stored.as_deref().and_then(RegistrationMode::parse).unwrap_or_default())
    }

    pub async fn set_registration_mode(&self, admin: &SessionUser, mode: RegistrationMode) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, admin).await?;
        can_administer(actor.role, AdminWork::Registration)?;
        tx.put_setting(REGISTRATION_SETTING, mode.name()).await?;
        tx.commit().await?;
        tracing::info!(mode = mode.name(), "registration mode set");
        Ok(())
    }

    /// Makes a new single-use invite code; returns it.
    pub async fn create_invite(&self, admin: &SessionUser) -> CommandResult<String> {
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, admin).await?;
        can_administer(actor.role, AdminWork::Registration)?;
        let code = random_token(12);
        tx.insert_invite(&code, actor.user_id, Timestamp::now()).await?;
        tx.commit().await?;
        Ok(code)
    }

    /// Revokes an unused invite code.
    pub async fn revoke_invite(&self, admin: &SessionUser, code: &str) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, admin).await?;
        can_administer(actor.role, AdminWork::Registration)?;
        if !tx.revoke_invite(code, Timestamp::now()).await? {
            return Err(CommandError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    /// The invite codes, newest first, for an admin.
    pub async fn invites(&self, admin: Actor) -> CommandResult<Vec<InviteRow>> {
        can_administer(admin.role, AdminWork::Registration)?;
        Ok(self.reads.invites(INVITES_SHOWN).await?)
    }

    /// Forgets expired form keys and past days' sign-up counts (the hourly sweep).
    pub async fn sweep_guards(&self) -> CommandResult<u64> {
        let now = Timestamp::now();
        let keys_before = Timestamp(now.0 - FORM_KEY_LIFETIME_MS);
        Ok(self.store.sweep_guards(keys_before, signup_day(now) - 1).await?)
    }

    /// The refusal, if any, of a new account's next post or comment with this text.
    pub(super) async fn check_new_account(
        &self,
        tx: &mut Box<dyn UnitOfWork>,
        actor: Actor,
        writing: Writing,
        text: &str,
    ) -> CommandResult<()> {
        let limits = self.guards.settings.new_accounts;
        let now = Timestamp::now();
        let Some(joined) = tx.account_joined(actor.user_id).await? else { return Err(CommandError::NotFound) };
        if !limits.is_new(actor.role, joined, now) {
            return Ok(());
        }
        let written = tx.written_since(actor.user_id, writing, joined).await?;
        limits.check(writing, written, has_link(text)).map_err(|refusal| {
            let rule = match refusal {
                NewAccountRefusal::TooMany { writing: Writing::Post, .. } => "posts",
                NewAccountRefusal::TooMany { writing: Writing::Comment, .. } => "comments",
                NewAccountRefusal::NoLinks { .. } => "links",
            };
            metrics::counter!("new_account_refused_total", "rule" => rule).increment(1);
            FieldErrors::single(Field::Content, FieldError::NewAccount(refusal)).into()
        })
    }
}

/// Claims a form's one-time key in the command's transaction (its first statement); what the
/// key's first submission created, if it came before.
pub(super) async fn claim(
    tx: &mut Box<dyn UnitOfWork>,
    user: &SessionUser,
    form: KeyedForm,
    key: Option<&FormKey>,
) -> CommandResult<Option<i64>> {
    let Some(key) = key else { return Ok(None) };
    match tx.claim_form_key(user.user_id, form, key, Timestamp::now()).await? {
        KeyClaim::Fresh => Ok(None),
        KeyClaim::Used(created) => {
            // A double click or a resubmitted form, answered with what the first one made.
            metrics::counter!("form_resubmissions_total", "form" => form.name()).increment(1);
            Ok(Some(created))
        }
    }
}

/// Records what a claimed key created, in the same transaction.
pub(super) async fn finish(
    tx: &mut Box<dyn UnitOfWork>,
    user: &SessionUser,
    form: KeyedForm,
    key: Option<&FormKey>,
    created: i64,
) -> CommandResult<()> {
    if let Some(key) = key {
        tx.finish_form_key(user.user_id, form, key, created).await?;
    }
    Ok(())
}

/// A random URL-safe token of `bytes` random bytes (form keys, invite codes).
pub fn random_token(bytes: usize) -> String {
    use rand::RngCore;
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_signed_and_timed() {
        let guards = Guards::new(b"secret", GuardSettings::default());
        let issued = Timestamp(1_000_000);
        let stamp = guards.stamp(issued);
        assert_eq!(guards.check_stamp(&stamp, Timestamp(1_005_000)), Ok(()));
        assert_eq!(guards.check_stamp(&stamp, Timestamp(1_001_000)), Err(FormTiming::TooFast));
        // An earlier issue time under the same signature is refused as tampered.
        let (_, signature) = stamp.split_once('.').unwrap();
        let moved = format!("{}.{signature}", issued.0 - 10_000);
        assert_eq!(guards.check_stamp(&moved, Timestamp(1_005_000)), Err(FormTiming::Tampered));
        let other = Guards::new(b"another secret", GuardSettings::default());
        assert_eq!(other.check_stamp(&stamp, Timestamp(1_005_000)), Err(FormTiming::Tampered));
        assert_eq!(guards.check_stamp("", Timestamp(1_005_000)), Err(FormTiming::Tampered));
    }
}
