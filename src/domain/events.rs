//! What happened: stored with the change it describes, then applied to the read model and
//! used to drop exactly the cache entries it makes stale.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Event {
    UserRegistered {
        user_id: i64,
        name: String,
    },
    UserRenamed {
        user_id: i64,
        old_name: String,
        new_name: String,
    },
    UserRoleChanged {
        user_id: i64,
        name: String,
    },
    UserBlocked {
        user_id: i64,
        name: String,
    },
    UserUnblocked {
        user_id: i64,
        name: String,
    },
    UserResigned {
        user_id: i64,
        old_name: String,
    },
    CategoryAdded {
        category_id: i64,
    },
    CategoryRenamed {
        category_id: i64,
    },
}

impl Event {
    /// The user whose public profile this event changes, if any.
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

    /// The names under which this event's user can have been looked up.
    pub fn user_names(&self) -> Vec<&str> {
        match self {
            Event::UserRegistered { name, .. }
            | Event::UserRoleChanged { name, .. }
            | Event::UserBlocked { name, .. }
            | Event::UserUnblocked { name, .. } => vec![name],
            Event::UserRenamed {
                old_name, new_name, ..
            } => vec![old_name, new_name],
            Event::UserResigned { old_name, .. } => vec![old_name],
            _ => vec![],
        }
    }
}
