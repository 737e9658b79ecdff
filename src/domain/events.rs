//! What happened: stored with the change it describes, then applied to the read model and
//! used to drop exactly the cache entries it makes stale.

use super::modlog::ModerationKind;
use super::report::{ItemRef, ReportReason, Resolution};
use super::{CategoryId, CommentId, ModerationActionId, PostId, ReportId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Event {
    UserRegistered {
        user_id: UserId,
        name: String,
    },
    UserRenamed {
        user_id: UserId,
        old_name: String,
        new_name: String,
    },
    UserRoleChanged {
        user_id: UserId,
        name: String,
    },
    UserBlocked {
        user_id: UserId,
        name: String,
    },
    UserUnblocked {
        user_id: UserId,
        name: String,
    },
    UserResigned {
        user_id: UserId,
        old_name: String,
    },
    CategoryAdded {
        category_id: CategoryId,
    },
    CategoryRenamed {
        category_id: CategoryId,
    },
    /// A user moderates a board (and its categories) from now on.
    BoardModeratorAdded {
        user_id: UserId,
        board_id: CategoryId,
    },
    BoardModeratorRemoved {
        user_id: UserId,
        board_id: CategoryId,
    },

    PostCreated {
        post: PostRef,
    },
    PostEdited {
        post: PostRef,
    },
    PostDeleted {
        post: PostRef,
    },
    PostRestored {
        post: PostRef,
    },
    PostVoteCast {
        post: PostRef,
        voter_id: UserId,
    },
    PostVoteWithdrawn {
        post: PostRef,
        voter_id: UserId,
    },
    /// A moderator locked a thread (the post and its comments): no new comments or edits
    /// but by the moderators of its board.
    ThreadLocked {
        post: PostRef,
        moderator: UserId,
        reason: String,
    },
    ThreadUnlocked {
        post: PostRef,
        moderator: UserId,
        reason: String,
    },
    /// A moderator pinned a thread to the top of its board's and category's first pages.
    ThreadPinned {
        post: PostRef,
        moderator: UserId,
        reason: String,
    },
    ThreadUnpinned {
        post: PostRef,
        moderator: UserId,
        reason: String,
    },
    /// A moderator moved a post to another board or category: `post` is where it is now.
    PostMoved {
        post: PostRef,
        from_category_id: CategoryId,
        from_board_id: CategoryId,
        /// Whether the post was counted (active) when it moved: the counts move with it.
        was_active: bool,
        moderator: UserId,
        reason: String,
    },

    CommentAdded {
        comment: CommentRef,
    },
    CommentEdited {
        comment: CommentRef,
    },
    CommentDeleted {
        comment: CommentRef,
    },
    CommentRestored {
        comment: CommentRef,
    },
    CommentVoteCast {
        comment: CommentRef,
        voter_id: UserId,
    },
    CommentVoteWithdrawn {
        comment: CommentRef,
        voter_id: UserId,
    },

    /// These members' notifications changed (new ones, or read): their unread count is stale.
    /// The notifications are write-model rows read directly; this event is for the caches.
    NotificationsChanged {
        user_ids: Vec<UserId>,
    },

    /// A member reported a post or comment of `board_id` (the item's board when reported).
    ReportFiled {
        report_id: ReportId,
        item: ItemRef,
        board_id: CategoryId,
        reporter_id: UserId,
        reason: ReportReason,
    },
    /// A moderator handled every open report of an item at once: what they did and why (for
    /// the reporters' view and a public moderation log). A removal also records the item's
    /// own PostDeleted or CommentDeleted.
    ReportsResolved {
        item: ItemRef,
        board_id: CategoryId,
        moderator_id: UserId,
        action: Resolution,
        note: String,
        /// How many open reports this resolved.
        reports: i64,
    },
    /// A moderator or admin acted (recorded beside the event of the change itself): one
    /// entry of the moderation log, with who, where, why and whether the note is private.
    ModeratorActed {
        action_id: ModerationActionId,
        kind: ModerationKind,
        moderator_id: UserId,
        board_id: Option<CategoryId>,
        reason: Option<String>,
        private: bool,
    },

    // `forum seed` added users and posts in bulk. It writes their read rows itself, so the
    // event is recorded as applied: it is there for the caches, as every count and list may
    // now show something new.
    ForumSeeded {
        users: i64,
        posts: i64,
    },
}

/// Where a post sits, so a handler knows every row and cache entry that shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostRef {
    pub post_id: PostId,
    pub author_id: UserId,
    pub category_id: CategoryId,
    /// The tier-1 board: the category itself when the post sits directly on a board.
    pub board_id: CategoryId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentRef {
    pub comment_id: CommentId,
    pub author_id: UserId,
    pub post: PostRef,
}

impl Event {
    /// The post whose page or list rows this event changes, if any.
    pub fn post(&self) -> Option<&PostRef> {
        match self {
            Event::PostCreated { post }
            | Event::PostEdited { post }
            | Event::PostDeleted { post }
            | Event::PostRestored { post }
            | Event::PostVoteCast { post, .. }
            | Event::PostVoteWithdrawn { post, .. }
            | Event::ThreadLocked { post, .. }
            | Event::ThreadUnlocked { post, .. }
            | Event::ThreadPinned { post, .. }
            | Event::ThreadUnpinned { post, .. }
            | Event::PostMoved { post, .. } => Some(post),
            Event::CommentAdded { comment }
            | Event::CommentEdited { comment }
            | Event::CommentDeleted { comment }
            | Event::CommentRestored { comment }
            | Event::CommentVoteCast { comment, .. }
            | Event::CommentVoteWithdrawn { comment, .. } => Some(&comment.post),
            _ => None,
        }
    }

    /// Who took a moderator's action on a thread and why, for the moderation log.
    pub fn moderation(&self) -> Option<(UserId, &str)> {
        match self {
            Event::ThreadLocked { moderator, reason, .. }
            | Event::ThreadUnlocked { moderator, reason, .. }
            | Event::ThreadPinned { moderator, reason, .. }
            | Event::ThreadUnpinned { moderator, reason, .. }
            | Event::PostMoved { moderator, reason, .. } => Some((*moderator, reason)),
            _ => None,
        }
    }

    /// The comment this event changes, if any.
    pub fn comment(&self) -> Option<&CommentRef> {
        match self {
            Event::CommentAdded { comment }
            | Event::CommentEdited { comment }
            | Event::CommentDeleted { comment }
            | Event::CommentRestored { comment }
            | Event::CommentVoteCast { comment, .. }
            | Event::CommentVoteWithdrawn { comment, .. } => Some(comment),
            _ => None,
        }
    }

    /// The user whose account this event changes, if any.
    pub fn user_id(&self) -> Option<UserId> {
        match *self {
            Event::UserRegistered { user_id, .. }
            | Event::UserRenamed { user_id, .. }
            | Event::UserRoleChanged { user_id, .. }
            | Event::UserBlocked { user_id, .. }
            | Event::UserUnblocked { user_id, .. }
            | Event::UserResigned { user_id, .. } => Some(user_id),
            _ => None,
        }
    }

    /// The user whose profile counts (posts, comments) this event changes, if any.
    pub fn counted_author(&self) -> Option<UserId> {
        match self {
            Event::PostCreated { post } | Event::PostDeleted { post } | Event::PostRestored { post } => {
                Some(post.author_id)
            }
            Event::CommentAdded { comment }
            | Event::CommentDeleted { comment }
            | Event::CommentRestored { comment } => Some(comment.author_id),
            _ => None,
        }
    }

    /// The names under which this event's user can have been looked up.
    pub fn user_names(&self) -> Vec<&str> {
        match self {
            Event::UserRegistered { name, .. }
            | Event::UserRoleChanged { name, .. }
            | Event::UserBlocked { name, .. }
            | Event::UserUnblocked { name, .. } => vec![name],
            Event::UserRenamed { old_name, new_name, .. } => vec![old_name, new_name],
            Event::UserResigned { old_name, .. } => vec![old_name],
            _ => vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stored events are JSON in the `event` table, read back by every later version of the
    /// forum: their shape must not change when the Rust types do (ids stay plain numbers).
    #[test]
    fn stored_events_keep_their_json_shape() {
        let post =
            PostRef { post_id: PostId(7), author_id: UserId(2), category_id: CategoryId(5), board_id: CategoryId(1) };
        let comment = CommentRef { comment_id: CommentId(9), author_id: UserId(3), post };
        let post_json = r#"{"post_id":7,"author_id":2,"category_id":5,"board_id":1}"#;
        let comment_json = format!(r#"{{"comment_id":9,"author_id":3,"post":{post_json}}}"#);
        let cases: Vec<(Event, String)> = vec![
            (
                Event::UserRegistered { user_id: UserId(2), name: "kim".into() },
                r#"{"type":"UserRegistered","user_id":2,"name":"kim"}"#.into(),
            ),
            (
                Event::UserRenamed { user_id: UserId(2), old_name: "kim".into(), new_name: "lee".into() },
                r#"{"type":"UserRenamed","user_id":2,"old_name":"kim","new_name":"lee"}"#.into(),
            ),
            (
                Event::UserRoleChanged { user_id: UserId(2), name: "kim".into() },
                r#"{"type":"UserRoleChanged","user_id":2,"name":"kim"}"#.into(),
            ),
            (
                Event::UserBlocked { user_id: UserId(2), name: "kim".into() },
                r#"{"type":"UserBlocked","user_id":2,"name":"kim"}"#.into(),
            ),
            (
                Event::UserUnblocked { user_id: UserId(2), name: "kim".into() },
                r#"{"type":"UserUnblocked","user_id":2,"name":"kim"}"#.into(),
            ),
            (
                Event::UserResigned { user_id: UserId(2), old_name: "kim".into() },
                r#"{"type":"UserResigned","user_id":2,"old_name":"kim"}"#.into(),
            ),
            (Event::CategoryAdded { category_id: CategoryId(5) }, r#"{"type":"CategoryAdded","category_id":5}"#.into()),
            (
                Event::CategoryRenamed { category_id: CategoryId(5) },
                r#"{"type":"CategoryRenamed","category_id":5}"#.into(),
            ),
            (
                Event::BoardModeratorAdded { user_id: UserId(2), board_id: CategoryId(1) },
                r#"{"type":"BoardModeratorAdded","user_id":2,"board_id":1}"#.into(),
            ),
            (
                Event::BoardModeratorRemoved { user_id: UserId(2), board_id: CategoryId(1) },
                r#"{"type":"BoardModeratorRemoved","user_id":2,"board_id":1}"#.into(),
            ),
            (Event::PostCreated { post }, format!(r#"{{"type":"PostCreated","post":{post_json}}}"#)),
            (Event::PostEdited { post }, format!(r#"{{"type":"PostEdited","post":{post_json}}}"#)),
            (Event::PostDeleted { post }, format!(r#"{{"type":"PostDeleted","post":{post_json}}}"#)),
            (Event::PostRestored { post }, format!(r#"{{"type":"PostRestored","post":{post_json}}}"#)),
            (
                Event::PostVoteCast { post, voter_id: UserId(4) },
                format!(r#"{{"type":"PostVoteCast","post":{post_json},"voter_id":4}}"#),
            ),
            (
                Event::PostVoteWithdrawn { post, voter_id: UserId(4) },
                format!(r#"{{"type":"PostVoteWithdrawn","post":{post_json},"voter_id":4}}"#),
            ),
            (Event::CommentAdded { comment }, format!(r#"{{"type":"CommentAdded","comment":{comment_json}}}"#)),
            (Event::CommentEdited { comment }, format!(r#"{{"type":"CommentEdited","comment":{comment_json}}}"#)),
            (Event::CommentDeleted { comment }, format!(r#"{{"type":"CommentDeleted","comment":{comment_json}}}"#)),
            (Event::CommentRestored { comment }, format!(r#"{{"type":"CommentRestored","comment":{comment_json}}}"#)),
            (
                Event::CommentVoteCast { comment, voter_id: UserId(4) },
                format!(r#"{{"type":"CommentVoteCast","comment":{comment_json},"voter_id":4}}"#),
            ),
            (
                Event::CommentVoteWithdrawn { comment, voter_id: UserId(4) },
                format!(r#"{{"type":"CommentVoteWithdrawn","comment":{comment_json},"voter_id":4}}"#),
            ),
            (
                Event::NotificationsChanged { user_ids: vec![UserId(2), UserId(3)] },
                r#"{"type":"NotificationsChanged","user_ids":[2,3]}"#.into(),
            ),
            (Event::ForumSeeded { users: 10, posts: 100 }, r#"{"type":"ForumSeeded","users":10,"posts":100}"#.into()),
        ];
        for (event, json) in cases {
            assert_eq!(serde_json::to_string(&event).unwrap(), json, "{event:?} is written as");
            assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event, "{json} is read as");
        }
    }

    /// The moderators' events on threads, read by the moderation log: their shape stays too.
    #[test]
    fn thread_events_keep_their_json_shape() {
        let post =
            PostRef { post_id: PostId(7), author_id: UserId(2), category_id: CategoryId(5), board_id: CategoryId(1) };
        let post_json = r#"{"post_id":7,"author_id":2,"category_id":5,"board_id":1}"#;
        let cases: Vec<(Event, String)> = vec![
            (
                Event::ThreadLocked { post, moderator: UserId(4), reason: "flame war".into() },
                format!(r#"{{"type":"ThreadLocked","post":{post_json},"moderator":4,"reason":"flame war"}}"#),
            ),
            (
                Event::ThreadUnpinned { post, moderator: UserId(4), reason: "old".into() },
                format!(r#"{{"type":"ThreadUnpinned","post":{post_json},"moderator":4,"reason":"old"}}"#),
            ),
            (
                Event::PostMoved {
                    post,
                    from_category_id: CategoryId(3),
                    from_board_id: CategoryId(1),
                    was_active: true,
                    moderator: UserId(4),
                    reason: "off topic".into(),
                },
                format!(
                    r#"{{"type":"PostMoved","post":{post_json},"from_category_id":3,"from_board_id":1,"was_active":true,"moderator":4,"reason":"off topic"}}"#
                ),
            ),
        ];
        for (event, json) in cases {
            assert_eq!(serde_json::to_string(&event).unwrap(), json, "{event:?} is written as");
            assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event, "{json} is read as");
            assert_eq!(event.moderation().map(|(who, _)| who), Some(UserId(4)), "{event:?} names its moderator");
        }
    }

    /// The report events, in the shape a moderation log will read them.
    #[test]
    fn report_events_keep_their_json_shape() {
        let cases: Vec<(Event, String)> = vec![
            (
                Event::ReportFiled {
                    report_id: ReportId(3),
                    item: ItemRef::Comment(CommentId(9)),
                    board_id: CategoryId(1),
                    reporter_id: UserId(4),
                    reason: ReportReason::OffTopic,
                },
                r#"{"type":"ReportFiled","report_id":3,"item":{"comment":9},"board_id":1,"reporter_id":4,"reason":"off_topic"}"#
                    .into(),
            ),
            (
                Event::ReportsResolved {
                    item: ItemRef::Post(PostId(7)),
                    board_id: CategoryId(1),
                    moderator_id: UserId(5),
                    action: Resolution::Dismissed,
                    note: "fine".into(),
                    reports: 2,
                },
                r#"{"type":"ReportsResolved","item":{"post":7},"board_id":1,"moderator_id":5,"action":"dismissed","note":"fine","reports":2}"#
                    .into(),
            ),
        ];
        for (event, json) in cases {
            assert_eq!(serde_json::to_string(&event).unwrap(), json, "{event:?} is written as");
            assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event, "{json} is read as");
        }
    }

    /// The moderation log's event keeps its shape too (its kind as the stored name).
    #[test]
    fn the_moderation_event_keeps_its_json_shape() {
        let event = Event::ModeratorActed {
            action_id: ModerationActionId(3),
            kind: ModerationKind::PostRemoved,
            moderator_id: UserId(2),
            board_id: Some(CategoryId(1)),
            reason: Some("spam".into()),
            private: false,
        };
        let json = r#"{"type":"ModeratorActed","action_id":3,"kind":"post_removed","moderator_id":2,"board_id":1,"reason":"spam","private":false}"#;
        assert_eq!(serde_json::to_string(&event).unwrap(), json);
        assert_eq!(serde_json::from_str::<Event>(json).unwrap(), event);
    }
}
