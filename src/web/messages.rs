//! The words for what the core reports: each form problem, each refusal and a vote's outcome,
//! as the message (a key of the translation files, with its values) that the pages tell it in.
//! The core says *what* happened as a type; this module picks the message, `locales/` has the
//! words.

use super::i18n::Msg;
use crate::domain::FieldError;
use crate::domain::category::{CategoryNameError, ParentError};
use crate::domain::content::{BodyError, TitleError};
use crate::domain::policy::{AdminWork, Refusal, Writing};
use crate::domain::user::{BlockReasonError, EmailError, NameError, PasswordError};

/// A rename that failed without saying why.
pub fn rename_refused() -> Msg {
    Msg::new("error-rename-refused")
}

/// What a page that needs the database says while it does not answer.
pub fn database_unavailable() -> Msg {
    Msg::new("error-database-unavailable")
}

/// What a request refused by a rate limit is told: when to try again.
pub fn rate_limited(retry_after_secs: u64) -> Msg {
    if retry_after_secs < 120 {
        Msg::new("limit-try-again-seconds").num("seconds", retry_after_secs as i64)
    } else {
        Msg::new("limit-try-again-minutes").num("minutes", retry_after_secs.div_ceil(60) as i64)
    }
}

/// What the person is told about a problem with a field.
pub fn field_error(error: &FieldError) -> Msg {
    match error {
        FieldError::Name(error) => name(*error),
        FieldError::NameTaken => Msg::new("error-name-taken"),
        FieldError::NameLooksTaken => Msg::new("error-name-looks-taken"),
        FieldError::Email(EmailError::Blank) => Msg::new("error-email-blank"),
        FieldError::Email(EmailError::Shape) => Msg::new("error-email-shape"),
        FieldError::EmailTaken => Msg::new("error-email-taken"),
        FieldError::Password(error) => password(*error),
        FieldError::NotCurrentPassword => Msg::new("error-not-current-password"),
        FieldError::WrongPassword => Msg::new("error-wrong-password"),
        FieldError::WrongLogin => Msg::new("error-wrong-login"),
        FieldError::NoSuchUser => Msg::new("error-no-such-user"),
        // The reason is the admin's own words: shown as they wrote them.
        // A timed block says when it ends (UTC: the login form knows no reader's zone yet).
        FieldError::Blocked { reason, until: Some(until) } => Msg::new("modlog-error-blocked-until")
            .with("reason", reason.as_deref().unwrap_or("-"))
            .with("until", super::format::utc_minute(*until)),
        FieldError::Blocked { reason: Some(reason), until: None } => {
            Msg::new("error-blocked").with("reason", reason.as_str())
        }
        FieldError::Blocked { reason: None, until: None } => Msg::new("error-blocked-no-reason"),
        FieldError::Title(TitleError::Blank) => Msg::new("error-title-blank"),
        FieldError::Title(TitleError::TooLong { max }) => Msg::new("error-title-too-long").num("max", *max),
        FieldError::Body(BodyError::Blank) => Msg::new("error-body-blank"),
        FieldError::Body(BodyError::TooLong { max, actual }) => {
            Msg::new("error-body-too-long").num("max", *max).num("actual", *actual)
        }
        FieldError::NoCategory => Msg::new("error-no-category"),
        FieldError::EmailUnverified => Msg::new("error-email-unverified"),
        FieldError::LinkUnusable => Msg::new("error-link-unusable"),
        FieldError::CategoryName(error) => category_name(*error),
        FieldError::Parent(error) => parent(*error),
        FieldError::BlockReason(BlockReasonError::Blank) => Msg::new("error-block-reason-blank"),
        FieldError::BlockReason(BlockReasonError::TooLong { max }) => {
            Msg::new("error-block-reason-too-long").num("max", *max)
        }
        FieldError::ThreadLocked => Msg::new("thread-error-locked"),
        FieldError::ModerationReason(crate::domain::modlog::ReasonError::Blank) => {
            Msg::new("modlog-error-reason-blank")
        }
        FieldError::ModerationReason(crate::domain::modlog::ReasonError::TooLong { max }) => {
            Msg::new("modlog-error-reason-too-long").num("max", *max)
        }
        FieldError::UntilPast => Msg::new("modlog-error-until-past"),
        FieldError::UntilInvalid => Msg::new("modlog-error-until-invalid"),
        FieldError::NotSavedNow => Msg::new("error-not-saved-now"),
        FieldError::TooSoon { retry_after_secs } => rate_limited(*retry_after_secs),
        FieldError::Report(error) => super::report_messages::report_error(*error),
        FieldError::FormTiming(_)
        | FieldError::Honeypot
        | FieldError::TooManySignups { .. }
        | FieldError::SignUpClosed
        | FieldError::InviteMissing
        | FieldError::InviteUnusable
        | FieldError::NewAccount(_) => super::guard_messages::field_error(error),
    }
}

fn name(error: NameError) -> Msg {
    match error {
        NameError::Blank => Msg::new("error-name-blank"),
        NameError::Length { min, max } => Msg::new("error-name-length").num("min", min).num("max", max),
        NameError::Characters => Msg::new("error-name-characters"),
        NameError::MixedScripts => Msg::new("error-name-mixed-scripts"),
    }
}

fn password(error: PasswordError) -> Msg {
    match error {
        PasswordError::TooShort { min } => Msg::new("error-password-too-short").num("min", min),
        PasswordError::TooLong { max } => Msg::new("error-password-too-long").num("max", max),
        PasswordError::Mismatch => Msg::new("error-password-mismatch"),
    }
}

fn category_name(error: CategoryNameError) -> Msg {
    match error {
        CategoryNameError::Blank => Msg::new("error-name-blank"),
        CategoryNameError::TooLong { max } => Msg::new("error-category-name-too-long").num("max", max),
        CategoryNameError::ControlCharacters => Msg::new("error-category-name-control"),
    }
}

fn parent(error: ParentError) -> Msg {
    Msg::new(match error {
        ParentError::NotAChoice => "error-parent-not-a-choice",
        ParentError::Missing => "error-parent-missing",
        ParentError::NotABoard => "error-parent-not-a-board",
    })
}

/// What a voter is told after voting: whether their vote now stands.
pub fn vote(cast: bool) -> Msg {
    Msg::new(if cast { "flash-vote-cast" } else { "flash-vote-withdrawn" })
}

/// What the person is told when they may not do something.
pub fn refusal(refusal: Refusal) -> Msg {
    Msg::new(match refusal {
        Refusal::NotAdmin(AdminWork::Blocking) => "refusal-not-admin-blocking",
        Refusal::NotAdmin(AdminWork::Boards) => "refusal-not-admin-boards",
        Refusal::NotAdmin(AdminWork::Pages) => "refusal-not-admin-pages",
        Refusal::NotAdmin(AdminWork::Registration) => "refusal-not-admin-registration",
        Refusal::NotAdmin(AdminWork::Moderators) => "refusal-not-admin-moderators",
        Refusal::NotAdmin(AdminWork::Mail) => "refusal-not-admin-mail",
        Refusal::NotABoard => "refusal-not-a-board",
        Refusal::BlockingYourself => "refusal-blocking-yourself",
        Refusal::BlockingAnAdmin => "refusal-blocking-an-admin",
        Refusal::NotAuthor => "refusal-not-author",
        Refusal::NotAuthorOrModerator(Writing::Post) => "refusal-not-author-or-moderator-post",
        Refusal::NotAuthorOrModerator(Writing::Comment) => "refusal-not-author-or-moderator-comment",
        Refusal::PostHasComments => "refusal-post-has-comments",
        Refusal::NotModerator => "refusal-not-moderator",
        Refusal::OwnWriting => "refusal-own-writing",
        Refusal::OwnReport => "refusal-own-report",
        Refusal::AccountInactive => "refusal-account-inactive",
        Refusal::ThreadLocked => "thread-refusal-locked",
        Refusal::NotThreadModerator => "thread-refusal-not-moderator",
        Refusal::NotModeratorOfDestination => "thread-refusal-destination",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Body, Password, Title, UserName};

    /// The words the rules' own limits produce, as the pages have always shown them.
    #[test]
    fn limits_are_told_with_their_numbers() {
        let told = |error: FieldError| crate::web::Lang::En.msg(&field_error(&error));
        assert_eq!(told(UserName::parse("a").unwrap_err().into()), "A name has 2 to 32 characters.");
        assert_eq!(told(Password::parse("short").unwrap_err().into()), "A password needs at least 8 characters.");
        assert_eq!(told(Title::parse(&"t".repeat(256)).unwrap_err().into()), "A title has at most 255 characters.");
        assert_eq!(
            told(Body::parse_comment(&"x".repeat(5001)).unwrap_err().into()),
            "At most 5,000 characters, please (this has 5,001)."
        );
        assert_eq!(
            told(FieldError::Blocked { reason: None, until: None }),
            "This account is blocked: no reason was given"
        );
        let korean = |error: FieldError| crate::web::Lang::Ko.msg(&field_error(&error));
        assert_eq!(korean(UserName::parse("a").unwrap_err().into()), "이름은 2~32자로 입력해 주세요.");
        assert_eq!(
            korean(Body::parse_comment(&"x".repeat(5001)).unwrap_err().into()),
            "5,000자까지 쓸 수 있습니다. (지금 5,001자)"
        );
    }
}
