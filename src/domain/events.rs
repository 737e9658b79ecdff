//! What happened: stored with the change it describes, then applied to the read model and
//! used to drop exactly the cache entries it makes stale.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Event {
    UserRegistered { user_id: i64, name: String },
    UserRenamed { user_id: i64, old_name: String, new_name: String },
    UserRoleChanged { user_id: i64, name: String },
    UserBlocked { user_id: i64, name: String },
    UserUnblocked { user_id: i64, name: String },
    UserResigned { user_id: i64, old_name: String },
    CategoryAdded { category_id: i64 },
    CategoryRenamed { category_id: i64 },

    PostCreated { post: PostRef },
    PostEdited { post: PostRef },
    PostDeleted { post: PostRef },
    PostRestored { post: PostRef },
    PostVoteCast { post: PostRef, voter_id: i64 },
    PostVoteWithdrawn { post: PostRef, voter_id: i64 },

    CommentAdded { comment: CommentRef },
    CommentEdited { comment: CommentRef },
    CommentDeleted { comment: CommentRef },
    CommentRestored { comment: CommentRef },
    CommentVoteCast { comment: CommentRef, voter_id: i64 },
    CommentVoteWithdrawn { comment: CommentRef, voter_id: i64 },

    // `forum seed` added users and posts in bulk. It writes their read rows itself, so the
    // event is recorded as applied: it is there for the caches, as every count and list may
    // now show something new.
    ForumSeeded { users: i64, posts: i64 },
}

/// Where a post sits, so a handler knows every row and cache entry that shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostRef {
    pub post_id: i64,
    pub author_id: i64,
    pub category_id: i64,
    /// The tier-1 board: the category itself when the post sits directly on a board.
    pub board_id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentRef {
    pub comment_id: i64,
    pub author_id: i64,
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
            | Event::PostVoteWithdrawn { post, .. } => Some(post),
            Event::CommentAdded { comment }
            | Event::CommentEdited { comment }
            | Event::CommentDeleted { comment }
            | Event::CommentRestored { comment }
            | Event::CommentVoteCast { comment, .. }
            | Event::CommentVoteWithdrawn { comment, .. } => Some(&comment.post),
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
    pub fn user_id(&self) -> Option<i64> {
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
    pub fn counted_author(&self) -> Option<i64> {
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
