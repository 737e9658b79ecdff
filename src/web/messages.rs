//! The words for what the core reports: each form problem, each refusal and a vote's outcome,
//! told the way the pages tell it. The core says *what* happened as a type; only this module
//! says it in words.

use crate::domain::FieldError;
use crate::domain::category::{CategoryNameError, ParentError};
use crate::domain::content::{BodyError, TitleError};
use crate::domain::policy::{AdminWork, Refusal, Writing};
use crate::domain::user::{BlockReasonError, EmailError, NameError, PasswordError};

/// A rename that failed without saying why.
pub const RENAME_REFUSED: &str = "That name cannot be used.";

/// What the person is told about a problem with a field.
pub fn field_error(error: &FieldError) -> String {
    match error {
        FieldError::Name(error) => name(*error),
        FieldError::NameTaken => "That name is already taken.".into(),
        FieldError::NameLooksTaken => "That name looks too much like one that is taken; choose another.".into(),
        FieldError::Email(EmailError::Blank) => "Enter an email address.".into(),
        FieldError::Email(EmailError::Shape) => "Enter a valid email address, like name@example.com.".into(),
        FieldError::EmailTaken => "That email address is already registered.".into(),
        FieldError::Password(error) => password(*error),
        FieldError::NotCurrentPassword => "That is not your current password.".into(),
        FieldError::WrongPassword => "That is not your password.".into(),
        FieldError::WrongLogin => "Wrong name or password.".into(),
        FieldError::Blocked { reason } => {
            format!("This account is blocked: {}", reason.as_deref().unwrap_or("no reason was given"))
        }
        FieldError::Title(TitleError::Blank) => "Enter a title.".into(),
        FieldError::Title(TitleError::TooLong { max }) => format!("A title has at most {max} characters."),
        FieldError::Body(BodyError::Blank) => "Write something first.".into(),
        FieldError::Body(BodyError::TooLong { max, actual }) => {
            format!("At most {max} characters, please (this has {actual}).")
        }
        FieldError::NoCategory => "Choose a board or category for the post.".into(),
        FieldError::CategoryName(error) => category_name(*error),
        FieldError::Parent(error) => parent(*error).into(),
        FieldError::BlockReason(BlockReasonError::Blank) => {
            "Say why the account is blocked; the user is shown this.".into()
        }
        FieldError::BlockReason(BlockReasonError::TooLong { max }) => {
            format!("Keep the reason under {max} characters.")
        }
    }
}

fn name(error: NameError) -> String {
    match error {
        NameError::Blank => "Enter a name.".into(),
        NameError::Length { min, max } => format!("A name has {min} to {max} characters."),
        NameError::Characters => "A name may only have letters, digits, _ and -.".into(),
        NameError::MixedScripts => {
            "A name may not mix alphabets that look alike, such as Latin with Cyrillic or Greek letters.".into()
        }
    }
}

fn password(error: PasswordError) -> String {
    match error {
        PasswordError::TooShort { min } => format!("A password needs at least {min} characters."),
        PasswordError::TooLong { max } => format!("A password has at most {max} characters."),
        PasswordError::Mismatch => "The passwords do not match.".into(),
    }
}

fn category_name(error: CategoryNameError) -> String {
    match error {
        CategoryNameError::Blank => "Enter a name.".into(),
        CategoryNameError::TooLong { max } => format!("A name has at most {max} characters."),
        CategoryNameError::ControlCharacters => "A name cannot contain control characters.".into(),
    }
}

fn parent(error: ParentError) -> &'static str {
    match error {
        ParentError::NotAChoice => "Choose a board from the list.",
        ParentError::Missing => "That board does not exist.",
        ParentError::NotABoard => "Categories go under a board; the tree has two tiers.",
    }
}

/// What a voter is told after voting: whether their vote now stands.
pub fn vote(cast: bool) -> &'static str {
    if cast { "Your vote is counted." } else { "Your vote is taken back." }
}

/// What the person is told when they may not do something.
pub fn refusal(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::NotAdmin(AdminWork::Blocking) => "Only an admin can block or unblock users.",
        Refusal::NotAdmin(AdminWork::Boards) => "Only an admin can change boards and categories.",
        Refusal::NotAdmin(AdminWork::Pages) => "This page is for the forum's admins.",
        Refusal::BlockingYourself => "You cannot block yourself.",
        Refusal::BlockingAnAdmin => "Admins cannot be blocked; change their role first.",
        Refusal::NotAuthor => "Only the author can edit this.",
        Refusal::NotAuthorOrModerator(Writing::Post) => "Only the author or a moderator can delete this post.",
        Refusal::NotAuthorOrModerator(Writing::Comment) => "Only the author or a moderator can delete this comment.",
        Refusal::PostHasComments => "A post with comments cannot be deleted by its author; ask a moderator.",
        Refusal::NotModerator => "Only a moderator can restore.",
        Refusal::OwnWriting => "You cannot vote on your own writing.",
        Refusal::AccountInactive => "Your account cannot do this any more.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Body, Password, Title, UserName};

    /// The words the rules' own limits produce, as the pages have always shown them.
    #[test]
    fn limits_are_told_with_their_numbers() {
        let told = |error: FieldError| field_error(&error);
        assert_eq!(told(UserName::parse("a").unwrap_err().into()), "A name has 2 to 32 characters.");
        assert_eq!(told(Password::parse("short").unwrap_err().into()), "A password needs at least 8 characters.");
        assert_eq!(told(Title::parse(&"t".repeat(256)).unwrap_err().into()), "A title has at most 255 characters.");
        assert_eq!(
            told(Body::parse_comment(&"x".repeat(5001)).unwrap_err().into()),
            "At most 5000 characters, please (this has 5001)."
        );
        assert_eq!(told(FieldError::Blocked { reason: None }), "This account is blocked: no reason was given");
    }
}
