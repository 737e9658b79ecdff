//! Rate-limit rules: what is counted (an action, per client address, account or known
//! browser), and how much of it is allowed (quotas such as "6/1m,30/1h"). The counting itself
//! (GCRA) is done by a `RateStore`; these are only the numbers and their names.

use std::fmt;
use std::time::Duration;

/// Who a rule counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A client address (an IPv6 /64 is one).
    Address,
    /// An account (a login attempt: the account named in the form).
    Account,
    /// A browser that carries the account's own signed "known browser" mark.
    KnownBrowser,
}

impl Subject {
    pub fn name(self) -> &'static str {
        match self {
            Subject::Address => "address",
            Subject::Account => "account",
            Subject::KnownBrowser => "known",
        }
    }
}

/// What a rule limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    SignUp,
    Login,
    Post,
    Comment,
    Edit,
    Vote,
    Search,
    /// Moderation reports (counted once reports exist).
    Report,
    /// A password reset mail asked for.
    PasswordReset,
    /// A verification link sent again.
    VerifyMail,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::SignUp => "signup",
            Action::Login => "login",
            Action::Post => "post",
            Action::Comment => "comment",
            Action::Edit => "edit",
            Action::Vote => "vote",
            Action::Search => "search",
            Action::Report => "report",
            Action::PasswordReset => "reset",
            Action::VerifyMail => "verify_mail",
        }
    }
}

/// `count` actions per `period`, with a burst of `count` (GCRA: one action earns back every
/// `period / count`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub count: u32,
    pub period: Duration,
}

impl Quota {
    /// The time one action earns back: the GCRA emission interval (at least a millisecond).
    pub fn interval(self) -> Duration {
        (self.period / self.count.max(1)).max(Duration::from_millis(1))
    }

    /// As the quota is written, e.g. `6/1m`, for keys and messages.
    pub fn label(self) -> String {
        let secs = self.period.as_secs();
        let period = match secs {
            s if s > 0 && s % 86_400 == 0 => format!("{}d", s / 86_400),
            s if s > 0 && s % 3600 == 0 => format!("{}h", s / 3600),
            s if s > 0 && s % 60 == 0 => format!("{}m", s / 60),
            s if u128::from(s) * 1000 == self.period.as_millis() => format!("{s}s"),
            _ => format!("{}ms", self.period.as_millis()),
        };
        format!("{}/{period}", self.count)
    }
}

/// Why a written quota list could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a quota such as 6/1m (a count, a slash, a number and s, m, h or d)")]
pub struct BadQuota(pub String);

/// Reads quotas such as `6/1m,30/1h` (units ms, s, m, h, d; `off` or an empty text: none).
pub fn parse_quotas(text: &str) -> Result<Vec<Quota>, BadQuota> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("off") {
        return Ok(Vec::new());
    }
    text.split(',').map(|one| parse_quota(one.trim()).ok_or_else(|| BadQuota(one.trim().to_string()))).collect()
}

fn parse_quota(text: &str) -> Option<Quota> {
    let (count, period) = text.split_once('/')?;
    let count: u32 = count.trim().parse().ok().filter(|&count| count > 0)?;
    let period = period.trim();
    let split = period.find(|c: char| !c.is_ascii_digit()).unwrap_or(period.len());
    let (number, unit) = period.split_at(split);
    // "1m" and "m" alike: a missing number is one.
    let number: u64 = if number.is_empty() { 1 } else { number.parse().ok()? };
    let unit_ms: u64 = match unit {
        "ms" => 1,
        "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    let period = Duration::from_millis(number.checked_mul(unit_ms).filter(|&ms| ms > 0)?);
    Some(Quota { count, period })
}

/// One rule: an action counted per subject, within every one of its quotas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub action: Action,
    pub subject: Subject,
    /// Empty: the rule is off.
    pub quotas: Vec<Quota>,
}

impl Rule {
    /// `login_address`, `post_account`, …: in metrics, keys and `FORUM_LIMIT_<NAME>`.
    pub fn name(&self) -> String {
        rule_name(self.action, self.subject)
    }
}

pub fn rule_name(action: Action, subject: Subject) -> String {
    format!("{}_{}", action.name(), subject.name())
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quotas: Vec<String> = self.quotas.iter().map(|quota| quota.label()).collect();
        write!(f, "{} {}", self.name(), quotas.join(","))
    }
}

/// The defaults, after the anchors: Lemmy allows 3 sign-ups an hour per address; Discourse 6
/// logins a minute and 30 an hour per address; Lobsters 4 login attempts a minute.
pub const DEFAULT_RULES: &[(Action, Subject, &str)] = &[
    (Action::SignUp, Subject::Address, "3/1h"),
    (Action::Login, Subject::Address, "6/1m,30/1h"),
    (Action::Login, Subject::Account, "4/1m,20/1h"),
    (Action::Login, Subject::KnownBrowser, "6/1m"),
    (Action::Post, Subject::Account, "6/10m"),
    (Action::Post, Subject::Address, "20/10m"),
    (Action::Comment, Subject::Account, "12/10m"),
    (Action::Comment, Subject::Address, "40/10m"),
    (Action::Edit, Subject::Account, "20/10m"),
    (Action::Edit, Subject::Address, "60/10m"),
    (Action::Vote, Subject::Account, "60/1m"),
    (Action::Vote, Subject::Address, "180/1m"),
    (Action::Search, Subject::Address, "60/10m"),
    (Action::Report, Subject::Account, "10/1h"),
    (Action::PasswordReset, Subject::Address, "10/1h"),
    (Action::PasswordReset, Subject::Account, "3/1h"),
    (Action::VerifyMail, Subject::Account, "3/1h"),
];

/// Every rule, with the defaults unless `override_for` gives a rule's name other quotas.
pub fn rules(override_for: impl Fn(&str) -> Option<String>) -> Result<Vec<Rule>, String> {
    DEFAULT_RULES
        .iter()
        .map(|&(action, subject, default)| {
            let name = rule_name(action, subject);
            let text = override_for(&name).unwrap_or_else(|| default.to_string());
            let quotas = parse_quotas(&text).map_err(|error| format!("rate limit {name}: {error}"))?;
            Ok(Rule { action, subject, quotas })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_are_read_as_written() {
        let quotas = parse_quotas("6/1m, 30/1h").unwrap();
        assert_eq!(quotas[0], Quota { count: 6, period: Duration::from_secs(60) });
        assert_eq!(quotas[1].label(), "30/1h");
        assert_eq!(parse_quotas("2/2s").unwrap()[0].interval(), Duration::from_secs(1));
        assert_eq!(parse_quotas("3/h").unwrap()[0].period, Duration::from_secs(3600));
        assert_eq!(parse_quotas("500/250ms").unwrap()[0].label(), "500/250ms");
        assert!(parse_quotas("off").unwrap().is_empty());
    }

    #[test]
    fn wrong_quotas_are_named() {
        assert_eq!(parse_quotas("6/1m,6 per minute"), Err(BadQuota("6 per minute".into())));
        assert!(parse_quotas("0/1m").is_err());
        assert!(parse_quotas("3/0s").is_err());
        assert!(parse_quotas("3/1w").is_err());
    }

    #[test]
    fn defaults_follow_the_anchors_and_each_can_be_overridden() {
        let defaults = rules(|_| None).unwrap();
        let login = defaults.iter().find(|rule| rule.name() == "login_address").unwrap();
        assert_eq!(login.to_string(), "login_address 6/1m,30/1h");
        let signup = defaults.iter().find(|rule| rule.name() == "signup_address").unwrap();
        assert_eq!(signup.quotas, parse_quotas("3/1h").unwrap());
        let changed = rules(|name| (name == "post_account").then(|| "2/2s".to_string())).unwrap();
        let post = changed.iter().find(|rule| rule.name() == "post_account").unwrap();
        assert_eq!(post.quotas, parse_quotas("2/2s").unwrap());
        assert!(rules(|_| Some("lots".into())).unwrap_err().contains("signup_address"));
    }
}
