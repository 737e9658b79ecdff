//! Cache keys, in one place so writers and readers agree: the names of entries (what an event
//! makes stale and drops) and the typed keys that read them (a name with the type of its value).

use super::content_queries::ListPage;
use crate::domain::{CategoryId, LoginId, PostId, UserId};
use crate::ports::{CategoryRow, CommentView, ListScope, PostView, ProfileRow, SessionUser};
use std::borrow::Cow;
use std::marker::PhantomData;
use std::sync::Arc;

pub const CATEGORY_TREE: &str = "tree";

/// Which user a name (folded) belongs to.
pub fn user_by_name(name_key: &str) -> String {
    format!("name:{name_key}")
}

pub fn profile(user_id: UserId) -> String {
    format!("profile:{user_id}")
}

pub fn login(login_id: LoginId) -> String {
    format!("login:{login_id}")
}

pub fn post(post_id: PostId) -> String {
    format!("post:{post_id}")
}

/// One page (numbered from 1) of a post's comments.
pub fn comments(post_id: PostId, page: i64) -> String {
    format!("comments:{post_id}:{page}")
}

/// The newest comments of a post, for its feed.
pub fn newest_comments(post_id: PostId) -> String {
    format!("comments:{post_id}:newest")
}

/// A member's count of unread notifications, shown in the header of every page they see.
pub fn unread(user_id: UserId) -> String {
    format!("unread:{user_id}")
}

pub const NEWEST_POSTS: &str = "list:all";

/// The newest page of the moderation log, unfiltered (filtered pages are not cached).
pub const MODLOG: &str = "modlog";

/// The first (newest) page of a board's list; deeper pages are not cached.
pub fn board_list(board_id: CategoryId) -> String {
    format!("list:board:{board_id}")
}

pub fn category_list(category_id: CategoryId) -> String {
    format!("list:category:{category_id}")
}

/// The newest posts of a member (their feed).
pub fn author_list(user_id: UserId) -> String {
    format!("list:author:{user_id}")
}

/// The name of a cache entry together with the type of the value kept under it. Keys are made
/// only here, each name with one type, so a value found under a key is always of its type.
pub struct Key<T> {
    /// Borrowed for the fixed names, so reading the tree allocates nothing.
    name: Cow<'static, str>,
    /// A change must show on every instance at once (an ended login), not within the few
    /// milliseconds an invalidation message takes: such an entry is kept only in the cache
    /// every instance shares, when there is one.
    shared_only: bool,
    value: PhantomData<fn() -> T>,
}

impl<T> Key<T> {
    fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Key { name: name.into(), shared_only: false, value: PhantomData }
    }

    pub fn is_shared_only(&self) -> bool {
        self.shared_only
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn into_name(self) -> String {
        self.name.into_owned()
    }
}

impl Key<super::modlog::ModlogPage> {
    pub fn modlog() -> Self {
        Key::new(MODLOG)
    }
}

impl Key<Vec<CategoryRow>> {
    pub fn category_tree() -> Self {
        Key::new(CATEGORY_TREE)
    }
}

impl Key<Option<UserId>> {
    /// The id of the user with this (folded) name.
    pub fn user_by_name(name_key: &str) -> Self {
        Key::new(user_by_name(name_key))
    }
}

impl Key<i64> {
    pub fn unread(user_id: UserId) -> Self {
        Key::new(unread(user_id))
    }
}

impl Key<Option<Arc<ProfileRow>>> {
    pub fn profile(user_id: UserId) -> Self {
        Key::new(profile(user_id))
    }
}

impl Key<Option<Arc<SessionUser>>> {
    /// A logout, a block or a new role counts on every instance from the next request on.
    pub fn login(login_id: LoginId) -> Self {
        Key { shared_only: true, ..Key::new(login(login_id)) }
    }
}

impl Key<Option<Arc<PostView>>> {
    pub fn post(post_id: PostId) -> Self {
        Key::new(post(post_id))
    }
}

impl Key<Vec<CommentView>> {
    pub fn comments(post_id: PostId, page: i64) -> Self {
        Key::new(comments(post_id, page))
    }

    pub fn newest_comments(post_id: PostId) -> Self {
        Key::new(newest_comments(post_id))
    }
}

impl Key<ListPage> {
    /// The first (newest) page of a list.
    pub fn newest_posts(scope: ListScope) -> Self {
        match scope {
            ListScope::All => Key::new(NEWEST_POSTS),
            ListScope::Board(id) => Key::new(board_list(id)),
            ListScope::Category(id) => Key::new(category_list(id)),
            ListScope::Author(id) => Key::new(author_list(id)),
        }
    }
}
