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
mod tests;
