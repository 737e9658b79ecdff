//! The moderation log's rules: the kinds of action it lists, the reasons moderators give,
//! who may read a private note, and when a timed block ends.
//!
//! A command that moderates writes one [`NewModerationAction`] in its transaction (through
//! `App::log_moderation`); a new kind of action (a lock, a pin, a report resolved) is one
//! variant of [`ModerationKind`] and its label in locales/*/modlog.ftl.

use super::{CategoryId, CommentId, PostId, Timestamp, UserId};
use serde::{Deserialize, Serialize};

/// The longest reason a moderator may give.
pub const REASON_MAX_CHARS: usize = 500;

/// What a moderator or admin did. Stored by its [`ModerationKind::as_str`] name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationKind {
    PostRemoved,
    PostRestored,
    CommentRemoved,
    CommentRestored,
    UserBlocked,
    UserUnblocked,
    ModeratorAppointed,
    ModeratorDismissed,
    ThreadLocked,
    ThreadUnlocked,
    ThreadPinned,
    ThreadUnpinned,
    PostMoved,
    /// Every open report of an item dismissed (a removal is logged as the removal).
    ReportsDismissed,
}

impl ModerationKind {
    /// Every kind, in the order the log's filter offers them.
    pub const ALL: [ModerationKind; 14] = [
        ModerationKind::PostRemoved,
        ModerationKind::PostRestored,
        ModerationKind::CommentRemoved,
        ModerationKind::CommentRestored,
        ModerationKind::UserBlocked,
        ModerationKind::UserUnblocked,
        ModerationKind::ModeratorAppointed,
        ModerationKind::ModeratorDismissed,
        ModerationKind::ThreadLocked,
        ModerationKind::ThreadUnlocked,
        ModerationKind::ThreadPinned,
        ModerationKind::ThreadUnpinned,
        ModerationKind::PostMoved,
        ModerationKind::ReportsDismissed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ModerationKind::PostRemoved => "post_removed",
            ModerationKind::PostRestored => "post_restored",
            ModerationKind::CommentRemoved => "comment_removed",
            ModerationKind::CommentRestored => "comment_restored",
            ModerationKind::UserBlocked => "user_blocked",
            ModerationKind::UserUnblocked => "user_unblocked",
            ModerationKind::ModeratorAppointed => "moderator_appointed",
            ModerationKind::ModeratorDismissed => "moderator_dismissed",
            ModerationKind::ThreadLocked => "thread_locked",
            ModerationKind::ThreadUnlocked => "thread_unlocked",
            ModerationKind::ThreadPinned => "thread_pinned",
            ModerationKind::ThreadUnpinned => "thread_unpinned",
            ModerationKind::PostMoved => "post_moved",
            ModerationKind::ReportsDismissed => "reports_dismissed",
        }
    }

    pub fn parse(name: &str) -> Option<ModerationKind> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// One action as its command writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewModerationAction {
    pub kind: ModerationKind,
    pub moderator_id: UserId,
    pub board_id: Option<CategoryId>,
    pub post_id: Option<PostId>,
    pub comment_id: Option<CommentId>,
    pub target_user_id: Option<UserId>,
    pub reason: Option<String>,
    pub private: bool,
    /// When a timed block ends.
    pub until: Option<Timestamp>,
}

impl NewModerationAction {
    pub fn new(kind: ModerationKind, moderator_id: UserId) -> Self {
        NewModerationAction {
            kind,
            moderator_id,
            board_id: None,
            post_id: None,
            comment_id: None,
            target_user_id: None,
            reason: None,
            private: false,
            until: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonError {
    Blank,
    TooLong { max: usize },
}

/// A moderator's reason for an action on someone else's writing: required, bounded.
pub fn parse_reason(raw: &str) -> Result<String, ReasonError> {
    let reason = raw.trim();
    if reason.is_empty() {
        return Err(ReasonError::Blank);
    }
    if reason.chars().count() > REASON_MAX_CHARS {
        return Err(ReasonError::TooLong { max: REASON_MAX_CHARS });
    }
    Ok(reason.to_string())
}

/// Whether a reason is shown to a reader: a private note only to those who moderate.
pub fn shows_reason(private: bool, reader_moderates: bool) -> bool {
    !private || reader_moderates
}

/// Whether a block recorded with `until` still holds at `now`: one without an end holds for
/// good. Compared wherever a block is read (log-in, session, pages), so no job lifts it.
pub fn block_holds(until: Option<Timestamp>, now: Timestamp) -> bool {
    until.is_none_or(|until| now < until)
}

/// How long an admin blocks for, as the block form offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockLength {
    Days(i64),
    ForGood,
}

impl BlockLength {
    pub fn parse(choice: &str) -> Option<BlockLength> {
        match choice.trim() {
            "" | "forever" => Some(BlockLength::ForGood),
            days => days.parse::<i64>().ok().filter(|d| [1, 7, 30].contains(d)).map(BlockLength::Days),
        }
    }

    /// When a block of this length given at `now` ends.
    pub fn until(self, now: Timestamp) -> Option<Timestamp> {
        match self {
            BlockLength::Days(days) => Some(Timestamp(now.0 + days * 86_400_000)),
            BlockLength::ForGood => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_stored_names() {
        for kind in ModerationKind::ALL {
            assert_eq!(ModerationKind::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(ModerationKind::parse("post_eaten"), None);
    }

    #[test]
    fn reasons_are_required_and_bounded() {
        assert_eq!(parse_reason("  spam "), Ok("spam".to_string()));
        assert_eq!(parse_reason(" \n "), Err(ReasonError::Blank));
        assert_eq!(parse_reason(&"가".repeat(REASON_MAX_CHARS)).map(|r| r.chars().count()), Ok(REASON_MAX_CHARS));
        assert_eq!(
            parse_reason(&"가".repeat(REASON_MAX_CHARS + 1)),
            Err(ReasonError::TooLong { max: REASON_MAX_CHARS })
        );
    }

    #[test]
    fn private_notes_show_only_to_moderators() {
        assert!(shows_reason(false, false));
        assert!(!shows_reason(true, false));
        assert!(shows_reason(true, true));
    }

    #[test]
    fn timed_blocks_end_by_themselves() {
        let now = Timestamp(10_000);
        assert!(block_holds(None, now));
        assert!(block_holds(Some(Timestamp(10_001)), now));
        assert!(!block_holds(Some(Timestamp(10_000)), now));
        assert_eq!(BlockLength::parse("7").unwrap().until(now), Some(Timestamp(10_000 + 7 * 86_400_000)));
        assert_eq!(BlockLength::parse("forever"), Some(BlockLength::ForGood));
        assert_eq!(BlockLength::parse("3"), None);
    }
}
