//! Reports: a member tells the moderators that a post or comment breaks the rules, and a
//! moderator of its board handles every open report of it at once (removes it or dismisses them).

use super::{CommentId, PostId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest free text of a report, in characters.
pub const DETAILS_MAX_CHARS: usize = 1000;
/// The longest moderator's note, in characters.
pub const NOTE_MAX_CHARS: usize = 500;

/// What can be reported: a post or a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemRef {
    Post(PostId),
    Comment(CommentId),
}

impl ItemRef {
    /// The kind as stored (`report.item_kind`).
    pub fn kind(self) -> &'static str {
        match self {
            ItemRef::Post(_) => "post",
            ItemRef::Comment(_) => "comment",
        }
    }

    /// The number of the post or comment.
    pub fn id(self) -> i64 {
        match self {
            ItemRef::Post(id) => id.0,
            ItemRef::Comment(id) => id.0,
        }
    }

    /// An item from its stored kind and id.
    pub fn from_parts(kind: &str, id: i64) -> Option<ItemRef> {
        match kind {
            "post" => Some(ItemRef::Post(PostId(id))),
            "comment" => Some(ItemRef::Comment(CommentId(id))),
            _ => None,
        }
    }

    /// Reads the key of [`fmt::Display`] (`post-7`, `comment-9`), as in the queue's paths.
    pub fn parse(key: &str) -> Option<ItemRef> {
        let (kind, id) = key.split_once('-')?;
        let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
        ItemRef::from_parts(kind, id)
    }
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.kind(), self.id())
    }
}

/// Why a member reports an item: a short fixed list, so the queue can group and count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    Spam,
    Abuse,
    OffTopic,
    Illegal,
    Other,
}

impl ReportReason {
    pub const ALL: [ReportReason; 5] =
        [ReportReason::Spam, ReportReason::Abuse, ReportReason::OffTopic, ReportReason::Illegal, ReportReason::Other];

    /// The code stored and sent by the form.
    pub fn code(self) -> &'static str {
        match self {
            ReportReason::Spam => "spam",
            ReportReason::Abuse => "abuse",
            ReportReason::OffTopic => "off_topic",
            ReportReason::Illegal => "illegal",
            ReportReason::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<ReportReason> {
        ReportReason::ALL.into_iter().find(|reason| reason.code() == code.trim())
    }
}

/// What a moderator did with an item's open reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Resolution {
    /// The item was removed (the delete command's effect, with the note as its reason).
    Removed,
    /// The item stays; the reports were not upheld.
    Dismissed,
}

impl Resolution {
    pub fn code(self) -> &'static str {
        match self {
            Resolution::Removed => "removed",
            Resolution::Dismissed => "dismissed",
        }
    }

    pub fn parse(code: &str) -> Option<Resolution> {
        match code {
            "removed" => Some(Resolution::Removed),
            "dismissed" => Some(Resolution::Dismissed),
            _ => None,
        }
    }
}

/// What is wrong with a report or a moderator's note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportError {
    /// No reason was chosen.
    NoReason,
    /// "Other" needs a few words saying what.
    DetailsNeeded,
    DetailsTooLong {
        max: usize,
    },
    /// Handling reports needs a note saying why.
    NoteBlank,
    NoteTooLong {
        max: usize,
    },
    /// This member has reported this item before; there is one report per member and item.
    AlreadyReported,
    /// The item has no open reports (someone handled them meanwhile).
    NothingOpen,
}

/// A report as parsed from the form: a reason, and the free text (None when left empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportText {
    pub reason: ReportReason,
    pub details: Option<String>,
}

/// Reads a report's reason and free text: the text is optional but for "other", and bounded.
/// The reason's and the text's problems are told apart (a missing reason is the reason's).
pub fn parse_report(
    reason: &str,
    details: &str,
) -> (Result<ReportReason, ReportError>, Result<Option<String>, ReportError>) {
    let reason = ReportReason::parse(reason).ok_or(ReportError::NoReason);
    let text = details.trim();
    let details = if text.chars().count() > DETAILS_MAX_CHARS {
        Err(ReportError::DetailsTooLong { max: DETAILS_MAX_CHARS })
    } else if text.is_empty() {
        if reason == Ok(ReportReason::Other) { Err(ReportError::DetailsNeeded) } else { Ok(None) }
    } else {
        Ok(Some(text.to_string()))
    };
    (reason, details)
}

/// A moderator's note: required (it is the removal's reason, and what the log will show), bounded.
pub fn parse_note(note: &str) -> Result<String, ReportError> {
    let note = note.trim();
    if note.is_empty() {
        Err(ReportError::NoteBlank)
    } else if note.chars().count() > NOTE_MAX_CHARS {
        Err(ReportError::NoteTooLong { max: NOTE_MAX_CHARS })
    } else {
        Ok(note.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_have_keys_that_read_back() {
        for item in [ItemRef::Post(PostId(7)), ItemRef::Comment(CommentId(9))] {
            assert_eq!(ItemRef::parse(&item.to_string()), Some(item));
        }
        assert_eq!(ItemRef::Post(PostId(7)).to_string(), "post-7");
        for bad in ["post", "post-", "post-0", "post--1", "vote-3", "comment-x", ""] {
            assert_eq!(ItemRef::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn other_needs_words_and_the_rest_do_not() {
        assert_eq!(parse_report("spam", " "), (Ok(ReportReason::Spam), Ok(None)));
        assert_eq!(parse_report("off_topic", " see "), (Ok(ReportReason::OffTopic), Ok(Some("see".into()))));
        assert_eq!(parse_report("other", "  "), (Ok(ReportReason::Other), Err(ReportError::DetailsNeeded)));
        assert_eq!(parse_report("", "x").0, Err(ReportError::NoReason));
        assert_eq!(parse_report("bogus", "x").0, Err(ReportError::NoReason));
        let long = "a".repeat(DETAILS_MAX_CHARS + 1);
        assert_eq!(parse_report("spam", &long).1, Err(ReportError::DetailsTooLong { max: DETAILS_MAX_CHARS }));
    }

    #[test]
    fn a_note_is_required_and_bounded() {
        assert_eq!(parse_note(" spam link "), Ok("spam link".into()));
        assert_eq!(parse_note("  "), Err(ReportError::NoteBlank));
        assert_eq!(parse_note(&"n".repeat(NOTE_MAX_CHARS + 1)), Err(ReportError::NoteTooLong { max: NOTE_MAX_CHARS }));
    }

    #[test]
    fn codes_read_back() {
        for reason in ReportReason::ALL {
            assert_eq!(ReportReason::parse(reason.code()), Some(reason));
        }
        for resolution in [Resolution::Removed, Resolution::Dismissed] {
            assert_eq!(Resolution::parse(resolution.code()), Some(resolution));
        }
    }
}
