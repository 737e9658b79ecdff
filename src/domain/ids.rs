//! Ids of the forum's records, one type each, so that a post id cannot be passed where a user
//! id is meant. Each is the database's number as it is: it serialises as a plain number
//! (stored events, cached rows and tokens keep their shape) and shows as one in paths.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_types {
    ($($(#[$doc:meta])* $name:ident;)+) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }
    )+};
}

id_types! {
    /// A user's account (`user.id`); also the author of posts and comments and a voter.
    UserId;
    /// One login (`logged_in.id`): a session's token names it, so that ending it ends the session.
    LoginId;
    /// A post (`post.id`).
    PostId;
    /// A comment (`comment.id`).
    CommentId;
    /// A board or a category under one (`category.id`).
    CategoryId;
    /// One notification of a member (`notification.id`).
    NotificationId;
    /// A member's report of a post or comment (`report.id`).
    ReportId;
    /// One entry of the moderation log (`moderation_action.id`).
    ModerationActionId;
}
