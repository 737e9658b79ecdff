//! Notifications: what a member is told of, who is told, and how @name mentions are found.
//! Pure rules; the command handlers (`crate::app::notifications`) write them.

use super::{UserId, fold_key};
use serde::{Deserialize, Serialize};

/// What a notification is about. Stored by [`NotificationKind::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NotificationKind {
    /// Someone commented on my post.
    Comment,
    /// Someone replied in a thread I commented on.
    Reply,
    /// Someone wrote @my-name in a post or comment.
    Mention,
    /// A moderator deleted or restored my post or comment.
    Moderation,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 4] =
        [NotificationKind::Comment, NotificationKind::Reply, NotificationKind::Mention, NotificationKind::Moderation];

    pub fn code(self) -> &'static str {
        match self {
            NotificationKind::Comment => "comment",
            NotificationKind::Reply => "reply",
            NotificationKind::Mention => "mention",
            NotificationKind::Moderation => "moderation",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// Whether a kind also comes by mail, and when. No mode: only in the forum (the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailMode {
    Immediate,
    Digest,
}

impl MailMode {
    pub fn code(self) -> &'static str {
        match self {
            MailMode::Immediate => "immediate",
            MailMode::Digest => "digest",
        }
    }

    /// A stored or submitted mode; "off" and anything unknown are None.
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "immediate" => Some(MailMode::Immediate),
            "digest" => Some(MailMode::Digest),
            _ => None,
        }
    }
}

/// At most this many names of one text are looked up, so a text full of @names costs little.
pub const MAX_MENTIONS: usize = 10;

/// A character a user name may hold (see `UserName::parse`).
fn name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Every @name of a text as written, in order, repeats and all: an `@` at the start or after
/// a character that cannot be in a name or an address (so `kim@example.com` is no mention),
/// followed by name characters. A trailing `-` is punctuation, not the name's.
fn mention_names(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('@').filter_map(move |(at, _)| {
        let before = text.get(..at).and_then(|head| head.chars().next_back());
        if before.is_some_and(|c| name_char(c) || c == '.' || c == '@') {
            return None;
        }
        let rest = text.get(at + 1..).unwrap_or_default();
        let length: usize = rest.chars().take_while(|c| name_char(*c)).map(char::len_utf8).sum();
        let name = rest.get(..length).unwrap_or_default().trim_end_matches('-');
        (!name.is_empty()).then_some(name)
    })
}

/// The @names in a text, each once, in order, at most [`MAX_MENTIONS`] (see [`mention_names`]).
pub fn mentions(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for name in mention_names(text) {
        if !found.iter().any(|f| f == name) {
            found.push(name.to_string());
            if found.len() == MAX_MENTIONS {
                break;
            }
        }
    }
    found
}

/// The @names an edit adds: those of `after` that `before` (the version it replaces) did not
/// have, each once, at most [`MAX_MENTIONS`]. Names are compared as members' names are looked
/// up, case folded ([`fold_key`]), so `@Kim` edited into `@kim` is no new mention. Only the
/// previous version counts: a name taken out by one edit and put back by the next is new again.
pub fn newly_mentioned(before: &str, after: &str) -> Vec<String> {
    let mut known: Vec<String> = mention_names(before).map(fold_key).collect();
    let mut added: Vec<String> = Vec::new();
    for name in mention_names(after) {
        let key = fold_key(name);
        if !known.contains(&key) {
            known.push(key);
            added.push(name.to_string());
            if added.len() == MAX_MENTIONS {
                break;
            }
        }
    }
    added
}

/// One notification to write: who is told, of what, by whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    pub recipient: UserId,
    pub kind: NotificationKind,
}

/// Who hears of a new comment by `actor` on a post by `post_author`: the post's author
/// (comment), the other commenters of the thread who did not mute it (reply), and the members
/// mentioned (mention). Nobody hears of their own writes, and each member once, by the first
/// kind that applies: a post author also mentioned is told of the comment.
pub fn comment_notices(
    actor: UserId,
    post_author: UserId,
    commenters: &[UserId],
    muted: &[UserId],
    mentioned: &[UserId],
) -> Vec<Notice> {
    let mut notices: Vec<Notice> = Vec::new();
    let mut add = |recipient: UserId, kind: NotificationKind| {
        if recipient != actor && !notices.iter().any(|n| n.recipient == recipient) {
            notices.push(Notice { recipient, kind });
        }
    };
    add(post_author, NotificationKind::Comment);
    for &commenter in commenters {
        if !muted.contains(&commenter) {
            add(commenter, NotificationKind::Reply);
        }
    }
    for &member in mentioned {
        add(member, NotificationKind::Mention);
    }
    notices
}

/// Who hears of a post's @mentions: each mentioned member but the author.
pub fn mention_notices(actor: UserId, mentioned: &[UserId]) -> Vec<Notice> {
    comment_notices(actor, actor, &[], &[], mentioned)
}

/// A moderator's delete or restore is told to the author, unless they did it themselves.
pub fn moderation_notice(actor: UserId, author: UserId) -> Option<Notice> {
    (actor != author).then_some(Notice { recipient: author, kind: NotificationKind::Moderation })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_names_after_an_at_sign() {
        assert_eq!(mentions("hi @kim and @lee_2, @kim again"), vec!["kim", "lee_2"]);
        assert_eq!(mentions("@김철수 님"), vec!["김철수"]);
        assert!(mentions("mail kim@example.com or @ alone").is_empty());
        assert_eq!(mentions("(@park-)"), vec!["park"]);
        let many: String = (0..20).map(|i| format!("@u{i} ")).collect();
        assert_eq!(mentions(&many).len(), MAX_MENTIONS);
    }

    #[test]
    fn an_edit_adds_only_the_names_the_previous_version_lacked() {
        assert_eq!(newly_mentioned("hi @kim", "hi @kim and @lee"), vec!["lee"]);
        assert!(newly_mentioned("hi @kim and @lee", "hi @lee").is_empty(), "a name taken out is no news");
        assert!(newly_mentioned("@kim", "@kim").is_empty(), "the same text again");
        assert!(newly_mentioned("", "mail kim@example.com").is_empty(), "an address is no mention");
        assert_eq!(newly_mentioned("@ghost", "@ghost @park"), vec!["park"]);
    }

    #[test]
    fn an_edit_compares_names_case_folded_and_adds_each_once() {
        assert!(newly_mentioned("thanks @Kim", "thanks @kim").is_empty(), "@Kim and @kim are one member");
        assert_eq!(newly_mentioned("", "@Lee, @lee and @LEE"), vec!["Lee"]);
        assert_eq!(newly_mentioned("@김철수", "@김철수 @박영희"), vec!["박영희"]);
        // The previous version counts whole, not only its first MAX_MENTIONS names.
        let many: String = (0..20).map(|i| format!("@u{i} ")).collect();
        assert!(newly_mentioned(&many, &format!("@u15 {many}")).is_empty());
        let twenty_new: String = (0..20).map(|i| format!("@n{i} ")).collect();
        assert_eq!(newly_mentioned("", &twenty_new).len(), MAX_MENTIONS);
    }

    #[test]
    fn an_editor_naming_themselves_is_not_told() {
        let (editor, kim) = (UserId(1), UserId(2));
        // What the newly mentioned names resolve to, the editor among them.
        assert_eq!(
            mention_notices(editor, &[editor, kim]),
            vec![Notice { recipient: kim, kind: NotificationKind::Mention }]
        );
    }

    #[test]
    fn nobody_hears_of_their_own_comment_and_each_member_once() {
        let (me, author, other, muter) = (UserId(1), UserId(2), UserId(3), UserId(4));
        let notices = comment_notices(me, author, &[me, other, muter, author], &[muter], &[author, other, me]);
        assert_eq!(
            notices,
            vec![
                Notice { recipient: author, kind: NotificationKind::Comment },
                Notice { recipient: other, kind: NotificationKind::Reply },
            ]
        );
        assert!(comment_notices(me, me, &[me], &[], &[me]).is_empty());
        assert_eq!(
            comment_notices(me, author, &[], &[], &[muter]),
            vec![
                Notice { recipient: author, kind: NotificationKind::Comment },
                Notice { recipient: muter, kind: NotificationKind::Mention },
            ],
            "muting a thread stops replies, not mentions"
        );
    }

    #[test]
    fn moderation_is_told_only_when_someone_else_acted() {
        assert_eq!(moderation_notice(UserId(1), UserId(1)), None);
        assert_eq!(
            moderation_notice(UserId(1), UserId(2)),
            Some(Notice { recipient: UserId(2), kind: NotificationKind::Moderation })
        );
    }

    #[test]
    fn kinds_and_modes_keep_their_codes() {
        for kind in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(kind.code()), Some(kind));
        }
        assert_eq!(MailMode::parse("digest"), Some(MailMode::Digest));
        assert_eq!(MailMode::parse("off"), None);
    }
}
