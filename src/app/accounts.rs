//! Account commands: sign up, log in and out, change profile or password, resign.

use super::auth::Lane;
use super::verification::AddressChange;
use super::{App, CommandError, CommandResult, keys};
use crate::domain::guards::{FormTiming, RegistrationMode};
use crate::domain::modlog::block_holds;
use crate::domain::rate_limit::Action;
use crate::domain::{
    AccountState, Email, Event, Field, FieldError, FieldErrors, Password, Role, Timestamp, UserName, fold_key,
};
use crate::domain::{LoginId, UserId};
use crate::ports::{InviteUse, MailRecipient, NewUser, SessionUser, StoreError, UniqueField, UnitOfWork, UserRecord};

/// The setting the first account claims, holding its name.
const FIRST_ADMIN_SETTING: &str = "first_admin";

/// A fresh session: who, and the `logged_in` row the token will carry.
#[derive(Debug, Clone)]
pub struct Login {
    pub user: SessionUser,
    pub login_id: LoginId,
}

pub struct SignUp<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub password1: &'a str,
    pub password2: &'a str,
}

/// What a sign-up form carries besides the account: what tells a person from a script, and
/// where it came from.
#[derive(Debug, Clone, Copy, Default)]
pub struct SignUpProof<'a> {
    /// The signed issue time of the form ([`App::signup_stamp`]).
    pub stamp: &'a str,
    /// The field hidden from people: anything in it was typed by a script.
    pub honeypot: &'a str,
    /// The invite code, when registration is by invitation.
    pub invite: &'a str,
    /// The client address's key (an IPv6 /64 is one key), counted for the daily cap.
    pub address: Option<&'a str>,
    /// The request's interface language: the verification mail's.
    pub language: Option<&'a str>,
}

/// A login form as sent: the name or email, the password, and where it came from.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoginAttempt<'a> {
    pub name_or_email: &'a str,
    pub password: &'a str,
    /// The client address's key, counted by the per-address limit.
    pub address: Option<&'a str>,
    /// The browser's signed mark of an account it logged in to before ([`App::known_browser_mark`]).
    pub known_browser: Option<&'a str>,
}

/// A password change as the settings form asks for it: whose, from which session (that one
/// stays logged in), the current password and the new one typed twice.
pub struct PasswordChange<'a> {
    pub user_id: UserId,
    pub login_id: LoginId,
    pub current: &'a str,
    pub password1: &'a str,
    pub password2: &'a str,
}

fn conflict_error(field: UniqueField) -> FieldErrors {
    match field {
        UniqueField::UserName => FieldErrors::single(Field::Name, FieldError::NameTaken),
        UniqueField::UserNameLookalike => FieldErrors::single(Field::Name, FieldError::NameLooksTaken),
        UniqueField::Email => FieldErrors::single(Field::Email, FieldError::EmailTaken),
    }
}

/// Counts a sign-up refused by one of the guards, by its rule, for `/metrics`.
fn refused_signup(rule: &'static str) {
    metrics::counter!("signups_refused_total", "rule" => rule).increment(1);
}

/// A new password and its confirmation, checked into `errors`.
pub(super) fn check_new_password(errors: &mut FieldErrors, password: &str, confirmation: &str) -> Option<Password> {
    match Password::parse_confirmed(password, confirmation) {
        Ok(password) => Some(password),
        Err((field, error)) => {
            errors.add(field, error);
            None
        }
    }
}

impl App {
    pub async fn sign_up(&self, input: SignUp<'_>, proof: SignUpProof<'_>) -> CommandResult<Login> {
        let mut errors = self.check_proof(&proof).await?;
        let name = errors.check(Field::Name, UserName::parse(input.name));
        let email = errors.check(Field::Email, Email::parse(input.email));
        let password = check_new_password(&mut errors, input.password1, input.password2);
        // Report a taken name and a taken email together; the unique indexes remain the last word.
        if let Some(name) = &name
            && self.reads.account_by_login_key(&name.key()).await?.is_some()
        {
            errors.add(Field::Name, FieldError::NameTaken);
        }
        if let Some(email) = &email
            && self.reads.account_by_login_key(&email.key()).await?.is_some()
        {
            errors.add(Field::Email, FieldError::EmailTaken);
        }
        let (Some(name), Some(email), Some(password), true) = (name, email, password, errors.is_empty()) else {
            return Err(CommandError::Invalid(errors));
        };

        // Counted once the form is right, before the hash and the transaction: typing errors
        // do not use up a person's sign-ups.
        self.limit(Action::SignUp, proof.address, None).await?;
        let password_hash = self.passwords.hash(password.expose()).await?;
        let now = Timestamp::now();
        let mut tx = self.store.begin().await?;
        let mode = Self::registration_mode_in(&mut tx).await?;
        self.count_signup(&mut tx, &proof, now).await?;
        // The first account of a fresh forum runs it. Sign-ups at the same moment may all count
        // no users (MariaDB's transactions do not see each other's rows), so the first also
        // claims a setting, which one transaction only can: the others wait for it, and find it taken.
        let first =
            tx.count_users().await? == 0 && tx.put_setting_if_absent(FIRST_ADMIN_SETTING, name.as_str()).await?;
        let role = if first { Role::Admin } else { Role::Member };
        let user = NewUser { name: &name, email: &email, password_hash: &password_hash, role, created: now };
        let user_id = match tx.insert_user(&user).await {
            Ok(id) => id,
            Err(StoreError::Conflict(field)) => return Err(conflict_error(field).into()),
            Err(other) => return Err(other.into()),
        };
        if mode == RegistrationMode::Invite
            && !first
            && tx.use_invite(proof.invite.trim(), user_id, now).await? != InviteUse::Used
        {
            refused_signup("invite");
            return Err(FieldErrors::single(Field::Invite, FieldError::InviteUnusable).into());
        }
        let login_id = tx.insert_login(user_id, now).await?;
        let recipient = MailRecipient {
            user_id,
            name: name.as_str().to_string(),
            email: email.as_str().to_string(),
            verified: None,
            language: None,
            active: true,
        };
        self.send_verification(&mut tx, &recipient, proof.language, now).await?;
        tx.record(&Event::UserRegistered { user_id, name: name.as_str().to_string() }).await?;
        self.commit(tx).await?;
        tracing::info!(user_id = user_id.0, role = role.name(), "account created");
        let user = SessionUser { user_id, name: name.as_str().to_string(), role, language: None, time_zone: None };
        Ok(Login { user, login_id })
    }

    /// What the form's proof says before anything else is checked: registration closed, a
    /// filled honeypot, a stamp that is missing, forged, too fresh or too old.
    async fn check_proof(&self, proof: &SignUpProof<'_>) -> CommandResult<FieldErrors> {
        let mut errors = FieldErrors::new();
        match self.registration_mode().await? {
            RegistrationMode::Closed => {
                refused_signup("closed");
                return Err(FieldErrors::single(Field::Form, FieldError::SignUpClosed).into());
            }
            RegistrationMode::Invite if proof.invite.trim().is_empty() => {
                errors.add(Field::Invite, FieldError::InviteMissing);
            }
            RegistrationMode::Open | RegistrationMode::Invite => {}
        }
        if !proof.honeypot.is_empty() {
            refused_signup("trap");
            errors.add(Field::Form, FieldError::Honeypot);
        } else if let Err(timing) = self.guards.check_stamp(proof.stamp, Timestamp::now()) {
            refused_signup(match timing {
                FormTiming::TooFast => "too_fast",
                FormTiming::Expired => "expired",
                FormTiming::Tampered => "forged",
            });
            errors.add(Field::Form, FieldError::FormTiming(timing));
        }
        Ok(errors)
    }

    /// Counts the sign-up against its address's daily cap, in the sign-up's transaction.
    async fn count_signup(
        &self,
        tx: &mut Box<dyn UnitOfWork>,
        proof: &SignUpProof<'_>,
        now: Timestamp,
    ) -> CommandResult<()> {
        let max = self.guards.settings.signups_per_address_per_day;
        let Some(address) = proof.address.filter(|_| max > 0) else { return Ok(()) };
        if tx.count_signup(address, super::guards::signup_day(now), max).await? {
            Ok(())
        } else {
            refused_signup("address_cap");
            Err(FieldErrors::single(Field::Form, FieldError::TooManySignups { max }).into())
        }
    }

    /// Logs in by name or email. Unknown users and wrong passwords get the same answer.
    /// Attempts are counted (per address and account, or in the owner's lane from their known
    /// browser) before any bcrypt work is spent.
    pub async fn log_in(&self, attempt: LoginAttempt<'_>) -> CommandResult<Login> {
        let typed = attempt.name_or_email.trim();
        let account = match typed {
            "" => None,
            typed => self.reads.account_by_login_key(&fold_key(typed)).await?,
        };
        let known_user = attempt.known_browser.and_then(|mark| self.known_browser_user(mark));
        let known = account.as_ref().is_some_and(|account| Some(account.id) == known_user);
        // An unknown name is counted by the name, so guessing names is limited too.
        let subject = account.as_ref().map_or_else(|| format!("name:{}", fold_key(typed)), |a| a.id.0.to_string());
        let _place_in_queue = self.admit_login(attempt.address, &subject, known).await?;
        let hash = account.as_ref().and_then(|a| a.password_hash.as_deref());
        let lane = if known { Lane::Owner } else { Lane::Shared };
        // Verified outside any transaction: bcrypt is slow on purpose and must not hold a lock.
        if !self.passwords.verify_in(lane, attempt.password, hash).await {
            return Err(FieldErrors::single(Field::Form, FieldError::WrongLogin).into());
        }
        let Some(UserRecord { id, name: Some(name), role, state, state_detail, state_until, .. }) = account else {
            return Err(FieldErrors::single(Field::Form, FieldError::WrongLogin).into());
        };
        // A timed block lifts by itself: compared with the clock here, no job needed.
        if state == AccountState::Blocked && block_holds(state_until, Timestamp::now()) {
            let blocked = FieldError::Blocked { reason: state_detail, until: state_until };
            return Err(FieldErrors::single(Field::Form, blocked).into());
        }
        let mut tx = self.store.begin().await?;
        let login_id = tx.insert_login(id, Timestamp::now()).await?;
        tx.commit().await?;
        // The session as the cache will hold it (with the user's preferences) is read back
        // by the next request; this one only needs who it is.
        Ok(Login { user: SessionUser { user_id: id, name, role, language: None, time_zone: None }, login_id })
    }

    pub async fn log_out(&self, login_id: LoginId) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        tx.end_login(login_id, Timestamp::now()).await?;
        tx.commit().await?;
        self.forget(vec![keys::login(login_id)]).await;
        Ok(())
    }

    /// Saves name and address; a new address is unverified until its link is used (the mail
    /// in `language` unless the user chose one).
    pub async fn change_profile(
        &self,
        user_id: UserId,
        (name, email): (&str, &str),
        language: Option<&str>,
    ) -> CommandResult<()> {
        let mut errors = FieldErrors::new();
        let name = errors.check(Field::Name, UserName::parse(name));
        let email = errors.check(Field::Email, Email::parse(email));
        let (Some(name), Some(email), true) = (name, email, errors.is_empty()) else {
            return Err(errors.into());
        };
        // A name that is taken outright is told as such, though it also looks like itself.
        if let Some(holder) = self.reads.account_by_login_key(&name.key()).await?
            && holder.id != user_id
        {
            return Err(FieldErrors::single(Field::Name, FieldError::NameTaken).into());
        }
        let mut tx = self.store.begin().await?;
        let current = tx.user(user_id).await?.ok_or(CommandError::NotFound)?;
        let old_name = current.name.clone().ok_or(CommandError::NotFound)?;
        let before = tx.mail_recipient(user_id).await?.ok_or(CommandError::NotFound)?;
        match tx.update_user_profile(user_id, &name, &email).await {
            Ok(()) => {}
            Err(StoreError::Conflict(field)) => return Err(conflict_error(field).into()),
            Err(other) => return Err(other.into()),
        }
        if fold_key(&before.email) != email.key() {
            let change = AddressChange { before: &before, new_email: email.as_str(), language };
            self.address_changed(&mut tx, change).await?;
        }
        if old_name != name.as_str() {
            tx.record(&Event::UserRenamed { user_id, old_name, new_name: name.as_str().to_string() }).await?;
        }
        self.commit(tx).await
    }

    /// Saves the user's interface language and time zone (None: not chosen). The web layer
    /// checks that it offers them; here they are only stored.
    pub async fn change_preferences(
        &self,
        user_id: UserId,
        language: Option<&str>,
        time_zone: Option<&str>,
    ) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        tx.update_user_preferences(user_id, language, time_zone).await?;
        tx.commit().await?;
        // Each open session caches the user with their preferences.
        let logins = self.reads.open_logins_of(user_id).await?;
        self.forget(logins.into_iter().map(keys::login).collect()).await;
        Ok(())
    }

    /// Changes the password and ends every other session of the user.
    pub async fn change_password(&self, change: PasswordChange<'_>) -> CommandResult<()> {
        let PasswordChange { user_id, login_id: current_login, current, password1, password2 } = change;
        let account = self.reads.account(user_id).await?.ok_or(CommandError::NotFound)?;
        let mut errors = FieldErrors::new();
        if !self.passwords.verify(current, account.password_hash.as_deref()).await {
            errors.add(Field::CurrentPassword, FieldError::NotCurrentPassword);
        }
        let password = check_new_password(&mut errors, password1, password2);
        let (Some(password), true) = (password, errors.is_empty()) else {
            return Err(errors.into());
        };
        let hash = self.passwords.hash(password.expose()).await?;
        let mut tx = self.store.begin().await?;
        tx.update_user_password(user_id, &hash).await?;
        let ended = tx.end_logins_of_user(user_id, Some(current_login), Timestamp::now()).await?;
        tx.commit().await?;
        self.forget(ended.into_iter().map(keys::login).collect()).await;
        Ok(())
    }

    /// Resigns the account: name, email and password are erased; posts stay, shown as a deleted user.
    pub async fn resign(&self, user_id: UserId, password: &str) -> CommandResult<()> {
        let account = self.reads.account(user_id).await?.ok_or(CommandError::NotFound)?;
        if !self.passwords.verify(password, account.password_hash.as_deref()).await {
            return Err(FieldErrors::single(Field::Password, FieldError::WrongPassword).into());
        }
        let old_name = account.name.ok_or(CommandError::NotFound)?;
        let mut tx = self.store.begin().await?;
        tx.erase_user(user_id).await?;
        let ended = tx.end_logins_of_user(user_id, None, Timestamp::now()).await?;
        tx.record(&Event::UserResigned { user_id, old_name }).await?;
        self.commit_ending_logins(tx, ended).await
    }
}
