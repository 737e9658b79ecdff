//! Rules against double submits and sign-up spam: the one-time form key, the minimum time a
//! sign-up form takes, the registration modes, and what a new account may not do yet.
//! The numbers are settings (the web and app layers pass them in); the rules are here.

use super::Timestamp;
use super::policy::Writing;
use super::user::Role;

/// How long a form's one-time key is remembered: a second submission within it creates
/// nothing. A double click or a retry on a slow link comes within seconds; a reload or "back
/// and send again" within hours; a day covers both and keeps the table small.
pub const FORM_KEY_LIFETIME_MS: i64 = 24 * 3600 * 1000;

/// The one-time key a creating form carries (random, made when the form was shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormKey(String);

impl FormKey {
    /// A key as a form sent it: 16 to 64 URL-safe characters, else none (an old form, or a
    /// client that sends none, is served without de-duplication).
    pub fn parse(text: &str) -> Option<FormKey> {
        let fits = (16..=64).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        fits.then(|| FormKey(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a one-time key leads to, by the kind of form: a second submission of a new post's
/// form lands on that post, a comment form's on that comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyedForm {
    Post,
    Comment,
}

impl KeyedForm {
    pub fn name(self) -> &'static str {
        match self {
            KeyedForm::Post => "post",
            KeyedForm::Comment => "comment",
        }
    }
}

/// Why a sign-up form's timing was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormTiming {
    /// Sent back sooner than a person fills it in.
    TooFast,
    /// Open for longer than a form is honoured (its stamp is then too old to tell anything).
    Expired,
    /// No stamp, or one this forum did not sign.
    Tampered,
}

/// The minimum fill time: a form issued at `issued` and sent at `now` is a person's if at
/// least `min_ms` passed and at most `max_ms`.
pub fn check_fill_time(issued: Timestamp, now: Timestamp, min_ms: i64, max_ms: i64) -> Result<(), FormTiming> {
    let took = now.0 - issued.0;
    if took < 0 {
        // A stamp from the future was not made by this forum's clock.
        return Err(FormTiming::Tampered);
    }
    if took < min_ms {
        return Err(FormTiming::TooFast);
    }
    if took > max_ms {
        return Err(FormTiming::Expired);
    }
    Ok(())
}

/// Who may create an account, set by an admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegistrationMode {
    #[default]
    Open,
    /// Only with an unused invite code an admin made.
    Invite,
    Closed,
}

impl RegistrationMode {
    pub fn name(self) -> &'static str {
        match self {
            RegistrationMode::Open => "open",
            RegistrationMode::Invite => "invite",
            RegistrationMode::Closed => "closed",
        }
    }

    pub fn parse(name: &str) -> Option<RegistrationMode> {
        [RegistrationMode::Open, RegistrationMode::Invite, RegistrationMode::Closed]
            .into_iter()
            .find(|mode| mode.name() == name)
    }
}

/// What an account may write in its first hours. Staff are never held by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewAccountLimits {
    /// How long an account counts as new (0: the limits are off).
    pub hours: i64,
    /// Posts a new account may publish while it is new.
    pub posts: i64,
    /// Comments a new account may write while it is new.
    pub comments: i64,
}

/// Why a new account may not publish this yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewAccountRefusal {
    /// It has written as much of this kind as a new account may.
    TooMany { writing: Writing, max: i64, hours: i64 },
    /// Links wait until the account is older.
    NoLinks { hours: i64 },
}

impl NewAccountLimits {
    /// Whether an account made at `joined` is still new at `now`.
    pub fn is_new(&self, role: Role, joined: Timestamp, now: Timestamp) -> bool {
        self.hours > 0 && role == Role::Member && now.0 - joined.0 < self.hours * 3600 * 1000
    }

    /// A new account's next post or comment: `written` is how many of that kind it has
    /// already, `links` whether the text links anywhere.
    pub fn check(&self, writing: Writing, written: i64, links: bool) -> Result<(), NewAccountRefusal> {
        let max = match writing {
            Writing::Post => self.posts,
            Writing::Comment => self.comments,
        };
        if written >= max {
            return Err(NewAccountRefusal::TooMany { writing, max, hours: self.hours });
        }
        if links {
            return Err(NewAccountRefusal::NoLinks { hours: self.hours });
        }
        Ok(())
    }
}

/// Whether a Markdown text links anywhere: a URL with a scheme, a `www.` address, a Markdown
/// link or an autolink. Spam lives on its links, so a new account's text is read for any.
pub fn has_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("://")
        || lower.contains("www.")
        || lower.contains("](")
        || lower.contains("]:")
        || lower.contains("<mailto:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_keys_are_short_safe_tokens() {
        assert!(FormKey::parse("abcdefghijklmnop").is_some());
        assert!(FormKey::parse("short").is_none());
        assert!(FormKey::parse(&"a".repeat(65)).is_none());
        assert!(FormKey::parse("abcdefghijklmnop'; DROP").is_none());
    }

    #[test]
    fn fill_time_has_a_floor_and_a_ceiling() {
        let at = Timestamp(1_000_000);
        assert_eq!(check_fill_time(at, Timestamp(1_002_999), 3000, 60_000), Err(FormTiming::TooFast));
        assert_eq!(check_fill_time(at, Timestamp(1_003_000), 3000, 60_000), Ok(()));
        assert_eq!(check_fill_time(at, Timestamp(1_060_001), 3000, 60_000), Err(FormTiming::Expired));
        assert_eq!(check_fill_time(at, Timestamp(999_999), 3000, 60_000), Err(FormTiming::Tampered));
    }

    #[test]
    fn new_accounts_write_a_little_and_link_nothing() {
        let limits = NewAccountLimits { hours: 24, posts: 3, comments: 10 };
        let joined = Timestamp(0);
        assert!(limits.is_new(Role::Member, joined, Timestamp(23 * 3600 * 1000)));
        assert!(!limits.is_new(Role::Member, joined, Timestamp(24 * 3600 * 1000)));
        assert!(!limits.is_new(Role::Moderator, joined, Timestamp(1)));
        assert!(!NewAccountLimits { hours: 0, ..limits }.is_new(Role::Member, joined, Timestamp(1)));
        assert_eq!(limits.check(Writing::Post, 2, false), Ok(()));
        assert_eq!(
            limits.check(Writing::Post, 3, false),
            Err(NewAccountRefusal::TooMany { writing: Writing::Post, max: 3, hours: 24 })
        );
        assert_eq!(limits.check(Writing::Comment, 3, false), Ok(()));
        assert_eq!(limits.check(Writing::Comment, 0, true), Err(NewAccountRefusal::NoLinks { hours: 24 }));
    }

    #[test]
    fn links_are_found_in_every_spelling() {
        assert!(has_link("buy at https://spam.example now"));
        assert!(has_link("see WWW.spam.example"));
        assert!(has_link("[cheap](/elsewhere)"));
        assert!(has_link("<mailto:a@b.example>"));
        assert!(!has_link("안녕하세요, 처음 왔습니다. 잘 부탁드립니다."));
        assert!(!has_link("a [note] in brackets"));
    }

    #[test]
    fn registration_modes_round_trip() {
        for mode in [RegistrationMode::Open, RegistrationMode::Invite, RegistrationMode::Closed] {
            assert_eq!(RegistrationMode::parse(mode.name()), Some(mode));
        }
        assert_eq!(RegistrationMode::parse("ajar"), None);
    }
}
