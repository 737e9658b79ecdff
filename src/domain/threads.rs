//! Locked, pinned and moved threads: the reason a moderator gives, and what a lock forbids.
//! Who may lock, pin or move is in [`super::policy`].

/// The longest reason a moderator may give: a sentence or two for the moderation log.
pub const REASON_MAX_CHARS: usize = 300;

/// Why a moderator locked, unlocked, pinned, unpinned or moved a thread: required, so that
/// the public moderation log can say why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonError {
    Blank,
    TooLong { max: usize },
}

impl Reason {
    pub fn parse(raw: &str) -> Result<Self, ReasonError> {
        let reason = raw.trim();
        if reason.is_empty() {
            return Err(ReasonError::Blank);
        }
        if reason.chars().count() > REASON_MAX_CHARS {
            return Err(ReasonError::TooLong { max: REASON_MAX_CHARS });
        }
        Ok(Reason(reason.to_string()))
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
        assert_eq!(Reason::parse(&"가".repeat(REASON_MAX_CHARS)).map(|r| r.as_str().chars().count()), Ok(300));
        assert_eq!(Reason::parse(&"가".repeat(REASON_MAX_CHARS + 1)), Err(ReasonError::TooLong { max: 300 }));
    }
}
