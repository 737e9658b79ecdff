//! Accounts: names, emails, passwords, roles and states.

use super::form::Field;
use super::{fold_key, name_skeleton};
use unicode_normalization::UnicodeNormalization;
use unicode_security::{RestrictionLevel, RestrictionLevelDetection};

pub const NAME_MAX_CHARS: usize = 32;
pub const EMAIL_MAX_CHARS: usize = 254;
pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const NAME_MIN_CHARS: usize = 2;
pub const BLOCK_REASON_MAX_CHARS: usize = 500;

/// Why a typed name is not a user name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    Blank,
    Length {
        min: usize,
        max: usize,
    },
    /// Something other than letters, digits, `_` and `-`.
    Characters,
    /// Letters of scripts that are not written together, as in a Latin name with a Cyrillic
    /// "а" in it (see [`UserName::parse`]).
    MixedScripts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailError {
    Blank,
    /// Not shaped like an address (name@example.com).
    Shape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordError {
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    /// The confirmation differs from the password.
    Mismatch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockReasonError {
    Blank,
    TooLong { max: usize },
}

/// A display name: 2–32 Unicode letters or digits, `_` or `-` (Korean names welcome).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserName(String);

impl UserName {
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        // NFKC: fullwidth and mathematical letters (`ｐａｙｐａｌ`, `𝐩𝐚𝐲𝐩𝐚𝐥`) become the
        // plain ones they stand for, so they meet the plain name's key.
        let name: String = raw.trim().nfkc().collect();
        let chars = name.chars().count();
        if chars == 0 {
            return Err(NameError::Blank);
        }
        if !(NAME_MIN_CHARS..=NAME_MAX_CHARS).contains(&chars) {
            return Err(NameError::Length { min: NAME_MIN_CHARS, max: NAME_MAX_CHARS });
        }
        if !name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
            return Err(NameError::Characters);
        }
        // UTS #39's "highly restrictive" level: one script, or Latin with Han, Hangul or
        // Japanese kana (so "kim김" is fine); not Latin with Cyrillic or Greek, whose letters
        // pass for Latin ones. `_` and `-` belong to no script.
        let letters: String = name.chars().filter(|c| *c != '_' && *c != '-').collect();
        if !letters.as_str().check_restriction_level(RestrictionLevel::HighlyRestrictive) {
            return Err(NameError::MixedScripts);
        }
        Ok(UserName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-folded form that decides uniqueness.
    pub fn key(&self) -> String {
        fold_key(&self.0)
    }

    /// What the name looks like, whatever letters it is written in (see [`name_skeleton`]).
    pub fn skeleton(&self) -> String {
        name_skeleton(&self.0)
    }
}

/// An email address, checked for plausible shape only: the mail server is the real judge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let email = raw.trim();
        if email.is_empty() {
            return Err(EmailError::Blank);
        }
        let valid_shape = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            }
            None => false,
        };
        if !valid_shape
            || email.chars().count() > EMAIL_MAX_CHARS
            || email.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(EmailError::Shape);
        }
        Ok(Email(email.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn key(&self) -> String {
        fold_key(&self.0)
    }
}

/// A new password as typed: 8–128 characters of any kind, kept whole (never truncated).
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Self, PasswordError> {
        let chars = raw.chars().count();
        if chars < PASSWORD_MIN_CHARS {
            return Err(PasswordError::TooShort { min: PASSWORD_MIN_CHARS });
        }
        if chars > PASSWORD_MAX_CHARS {
            return Err(PasswordError::TooLong { max: PASSWORD_MAX_CHARS });
        }
        Ok(Password(raw.to_string()))
    }

    /// Checks a new password and its confirmation together, reporting on the right field.
    pub fn parse_confirmed(first: &str, second: &str) -> Result<Self, (Field, PasswordError)> {
        let password = Password::parse(first).map_err(|e| (Field::NewPassword, e))?;
        if first != second {
            return Err((Field::PasswordConfirmation, PasswordError::Mismatch));
        }
        Ok(password)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<hidden>)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Moderator,
    Member,
}

impl Role {
    /// The ids fixed by the first migration.
    pub fn id(self) -> i64 {
        match self {
            Role::Admin => 1,
            Role::Moderator => 2,
            Role::Member => 3,
        }
    }

    pub fn from_id(id: i64) -> Option<Role> {
        [Role::Admin, Role::Moderator, Role::Member].into_iter().find(|r| r.id() == id)
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Moderator => "moderator",
            Role::Member => "member",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        [Role::Admin, Role::Moderator, Role::Member].into_iter().find(|r| r.name() == name)
    }

    /// Moderators and admins may remove and restore anyone's posts and comments.
    pub fn moderates(self) -> bool {
        matches!(self, Role::Admin | Role::Moderator)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountState {
    Active,
    Blocked,
}

impl AccountState {
    pub fn id(self) -> i64 {
        match self {
            AccountState::Active => 1,
            AccountState::Blocked => 2,
        }
    }

    pub fn from_id(id: i64) -> AccountState {
        if id == AccountState::Blocked.id() { AccountState::Blocked } else { AccountState::Active }
    }

    pub fn name(self) -> &'static str {
        match self {
            AccountState::Active => "active",
            AccountState::Blocked => "blocked",
        }
    }
}

/// The reason given when a user is blocked: required, bounded.
pub fn parse_block_reason(raw: &str) -> Result<String, BlockReasonError> {
    let reason = raw.trim();
    if reason.is_empty() {
        return Err(BlockReasonError::Blank);
    }
    if reason.chars().count() > BLOCK_REASON_MAX_CHARS {
        return Err(BlockReasonError::TooLong { max: BLOCK_REASON_MAX_CHARS });
    }
    Ok(reason.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_pass_for_others_are_refused_or_meet_them() {
        for mixed in ["p\u{430}ypal", "\u{3b1}lice", "b\u{43e}b_99"] {
            assert_eq!(UserName::parse(mixed), Err(NameError::MixedScripts), "{mixed} mixes Latin with another script");
        }
        for ok in ["kim김", "김철수", "\u{438}\u{432}\u{430}\u{43d}", "田中tanaka", "Élise_99-x"] {
            assert!(UserName::parse(ok).is_ok(), "{ok} should be accepted");
        }
        let key = |name: &str| UserName::parse(name).map(|name| name.key());
        assert_eq!(key("\u{ff50}\u{ff41}\u{ff59}\u{ff50}\u{ff41}\u{ff4c}"), Ok("paypal".into()), "fullwidth letters");
        assert_eq!(
            key("\u{1d429}\u{1d41a}\u{1d432}\u{1d429}\u{1d41a}\u{1d425}"),
            Ok("paypal".into()),
            "mathematical bold"
        );
        let paypal = UserName::parse("PayPal").unwrap().skeleton();
        for lookalike in ["paypal", "PAYPAL", "paypa1", "\u{440}\u{430}\u{443}\u{440}\u{430}l", "paypaI"] {
            assert_eq!(name_skeleton(lookalike), paypal, "{lookalike} looks like paypal");
        }
        assert_ne!(UserName::parse("paypals").unwrap().skeleton(), paypal);
        assert_ne!(UserName::parse("김철수").unwrap().skeleton(), UserName::parse("김철우").unwrap().skeleton());
    }

    #[test]
    fn names_accept_unicode_letters_digits_underscore_and_dash() {
        for ok in ["alice", "김철수", "Élise_99", "a-b", "ÅSA"] {
            assert!(UserName::parse(ok).is_ok(), "{ok} should be accepted");
        }
        for bad in ["", " ", "a", "has space", "semi;colon", "<script>", &"x".repeat(33)] {
            assert!(UserName::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn name_keys_ignore_letter_case_and_normalisation() {
        let upper = UserName::parse("ALICE").unwrap();
        let lower = UserName::parse("alice").unwrap();
        assert_eq!(upper.key(), lower.key());
        let composed = UserName::parse("\u{e9}lise").unwrap();
        let decomposed = UserName::parse("e\u{301}lise").unwrap();
        assert_eq!(composed.key(), decomposed.key());
        assert_eq!(UserName::parse("Élise").unwrap().key(), composed.key());
    }

    #[test]
    fn passwords_count_characters_not_bytes() {
        let korean = "비".repeat(100);
        assert!(Password::parse(&korean).is_ok());
        assert!(Password::parse(&"비".repeat(129)).is_err());
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("12345678").is_ok());
    }

    #[test]
    fn confirmation_mismatch_is_reported_on_the_second_field() {
        let err = Password::parse_confirmed("correct horse", "correct house").unwrap_err();
        assert_eq!(err, (Field::PasswordConfirmation, PasswordError::Mismatch));
        let err = Password::parse_confirmed("short", "short").unwrap_err();
        assert_eq!(err, (Field::NewPassword, PasswordError::TooShort { min: PASSWORD_MIN_CHARS }));
    }

    #[test]
    fn emails_need_a_plausible_shape() {
        assert!(Email::parse("a@b.co").is_ok());
        for bad in ["", "ab", "a@b", "@b.co", "a@.co", "a b@c.co", "a@b.co."] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn password_debug_never_shows_the_secret() {
        let p = Password::parse("hunter2hunter2").unwrap();
        assert!(!format!("{p:?}").contains("hunter2"));
    }
}
