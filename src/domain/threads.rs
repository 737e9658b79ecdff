//! Locked, pinned and moved threads: the reason a moderator gives, and what a lock forbids.
//! Who may lock, pin or move is in [`super::policy`].

pub use super::modlog::{REASON_MAX_CHARS, ReasonError};

/// Why a moderator locked, unlocked, pinned, unpinned or moved a thread: required, so that
/// the public moderation log can say why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    /// The moderation log's rule for every moderator's reason ([`super::modlog::parse_reason`]).
    pub fn parse(raw: &str) -> Result<Self, ReasonError> {
        super::modlog::parse_reason(raw).map(Reason)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A moderator's action on a thread, as `thread_action.action` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadAction {
    Lock,
    Unlock,
    Pin,
    Unpin,
    Move,
}

impl ThreadAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ThreadAction::Lock => "lock",
            ThreadAction::Unlock => "unlock",
            ThreadAction::Pin => "pin",
            ThreadAction::Unpin => "unpin",
            ThreadAction::Move => "move",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_required_trimmed_and_bounded() {
        assert_eq!(Reason::parse("  spam  ").map(Reason::into_string), Ok("spam".to_string()));
        assert_eq!(Reason::parse(" \n "), Err(ReasonError::Blank));
        assert_eq!(
            Reason::parse(&"가".repeat(REASON_MAX_CHARS)).map(|r| r.as_str().chars().count()),
            Ok(REASON_MAX_CHARS)
        );
        assert_eq!(
            Reason::parse(&"가".repeat(REASON_MAX_CHARS + 1)),
            Err(ReasonError::TooLong { max: REASON_MAX_CHARS })
        );
    }
}
