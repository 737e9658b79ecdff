//! What was wrong with a submitted form, each problem tied to the field it concerns.
//!
//! Fields and problems are types: the web layer decides which input a field is and how a
//! problem is worded, so the same rule can be told in any language.

use super::category::{CategoryNameError, ParentError};
use super::content::{BodyError, TitleError};
use super::guards::{FormTiming, NewAccountRefusal};
use super::modlog::ReasonError;
use super::report::ReportError;
use super::user::{BlockReasonError, EmailError, NameError, PasswordError};

/// The fields the forum's forms ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Not one field: the form as a whole (a wrong login says nothing about which part was wrong).
    Form,
    Name,
    Email,
    /// The password typed to prove who one is (logging in, resigning).
    Password,
    /// The password in use, typed to change it.
    CurrentPassword,
    /// A password being chosen.
    NewPassword,
    /// The chosen password typed again.
    PasswordConfirmation,
    Title,
    Content,
    /// The board or category a post goes in.
    Category,
    /// The board a new category goes under.
    Parent,
    /// Why a user is blocked, or why a moderator acted.
    Reason,
    /// When a timed block ends.
    Until,
    /// The invite code a sign-up brings when registration is by invitation.
    Invite,
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    Name(NameError),
    NameTaken,
    /// The name looks like one that is taken (the same confusable skeleton).
    NameLooksTaken,
    Email(EmailError),
    EmailTaken,
    Password(PasswordError),
    /// The current password typed to change it is not the user's.
    NotCurrentPassword,
    /// The password typed to confirm an action is not the user's.
    WrongPassword,
    /// No such account, or not its password: the two get the same answer.
    WrongLogin,
    /// No account has this name (an admin naming a user).
    NoSuchUser,
    /// The account is blocked, with the reason the admin gave, if any.
    Blocked {
        reason: Option<String>,
        /// When a timed block ends; None: for good.
        until: Option<super::Timestamp>,
    },
    Title(TitleError),
    Body(BodyError),
    /// A post needs a board or category that exists.
    NoCategory,
    CategoryName(CategoryNameError),
    Parent(ParentError),
    BlockReason(BlockReasonError),
    /// A moderator's reason for removing or restoring someone's writing.
    ModerationReason(ReasonError),
    /// A timed block must end in the future.
    UntilPast,
    /// Not a date and time this form understands.
    UntilInvalid,
    /// A sign-up form came back too soon, too late, or with a stamp this forum did not sign.
    FormTiming(FormTiming),
    /// The field hidden from people was filled in.
    Honeypot,
    /// This address has made as many accounts today as one may.
    TooManySignups {
        max: i64,
    },
    /// An admin has closed registration.
    SignUpClosed,
    /// Registration is by invitation and no code was given.
    InviteMissing,
    /// No such invite code, or it is used or revoked.
    InviteUnusable,
    /// A new account may not publish this yet.
    NewAccount(NewAccountRefusal),
    /// The form was fine, but the forum could not save or check it at this moment (its
    /// storage refused: full, unreachable, too busy); sending it again later may work.
    NotSavedNow,
    /// The thread was locked (perhaps since the form was opened): the form is kept, not sent.
    ThreadLocked,
    /// The forum requires a verified address before posting, and the member's is not.
    EmailUnverified,
    /// A password reset or verification link that was used, has expired, or never was.
    LinkUnusable,
    /// A rate limit refused the form; it may be sent again after this many seconds.
    TooSoon {
        retry_after_secs: u64,
    },
    /// A report or a moderator's note on reports.
    Report(ReportError),
}

macro_rules! field_error_from {
    ($($error:ident => $variant:ident),* $(,)?) => {
        $(impl From<$error> for FieldError {
            fn from(error: $error) -> Self {
                FieldError::$variant(error)
            }
        })*
    };
}

field_error_from!(
    NameError => Name,
    EmailError => Email,
    PasswordError => Password,
    TitleError => Title,
    BodyError => Body,
    CategoryNameError => CategoryName,
    ParentError => Parent,
    BlockReasonError => BlockReason,
    ReportError => Report,
    ReasonError => ModerationReason,
);

/// The problems found with a submitted form, each attached to its field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(Field, FieldError)>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: Field, error: impl Into<FieldError>) -> Self {
        let mut errors = Self::new();
        errors.add(field, error);
        errors
    }

    /// Adds a problem; a field keeps only its first, the most basic one.
    pub fn add(&mut self, field: Field, error: impl Into<FieldError>) {
        if self.get(field).is_none() {
            self.0.push((field, error.into()));
        }
    }

    /// Records the error of a parse result, if any, and returns the parsed value.
    pub fn check<T, E: Into<FieldError>>(&mut self, field: Field, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error);
                None
            }
        }
    }

    pub fn get(&self, field: Field) -> Option<&FieldError> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, error)| error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (Field, &FieldError)> {
        self.0.iter().map(|(field, error)| (*field, error))
    }
}
