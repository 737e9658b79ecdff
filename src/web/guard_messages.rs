//! The words for what the sign-up and new-account guards report (see [`super::messages`]).

use super::i18n::Msg;
use crate::domain::FieldError;
use crate::domain::guards::{FormTiming, NewAccountRefusal};
use crate::domain::policy::Writing;

/// A guard's problem with a form; the other problems are told by `messages::field_error`.
pub fn field_error(error: &FieldError) -> Msg {
    match error {
        FieldError::FormTiming(FormTiming::TooFast) => Msg::new("error-signup-too-fast"),
        FieldError::FormTiming(FormTiming::Expired) => Msg::new("error-signup-expired"),
        FieldError::FormTiming(FormTiming::Tampered) => Msg::new("error-signup-tampered"),
        FieldError::Honeypot => Msg::new("error-signup-honeypot"),
        FieldError::TooManySignups { max } => Msg::new("error-signup-too-many").num("max", *max),
        FieldError::SignUpClosed => Msg::new("error-signup-closed"),
        FieldError::InviteMissing => Msg::new("error-invite-missing"),
        FieldError::InviteUnusable => Msg::new("error-invite-unusable"),
        FieldError::NewAccount(NewAccountRefusal::TooMany { writing: Writing::Post, max, hours }) => {
            Msg::new("error-new-account-posts").num("max", *max).num("hours", *hours)
        }
        FieldError::NewAccount(NewAccountRefusal::TooMany { writing: Writing::Comment, max, hours }) => {
            Msg::new("error-new-account-comments").num("max", *max).num("hours", *hours)
        }
        FieldError::NewAccount(NewAccountRefusal::NoLinks { hours }) => {
            Msg::new("error-new-account-links").num("hours", *hours)
        }
        // Not a guard's: told by `messages::field_error`, which never sends it here.
        _ => Msg::new("error-not-saved-now"),
    }
}
