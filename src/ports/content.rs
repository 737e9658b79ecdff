//! The ports for posts, comments, votes and their history.

use super::StoreResult;
use crate::domain::{CategoryId, CommentId, PostId, Timestamp, UserId};
use async_trait::async_trait;

/// Writes to posts and comments, inside the same unit of work as everything else.
#[async_trait]
pub trait ContentWrites: Send {
    async fn insert_post(&mut self, user_id: UserId, category_id: CategoryId, at: Timestamp) -> StoreResult<PostId>;
    /// Adds a version of a post's title and text (0 for a new post).
    async fn insert_post_content(
        &mut self,
        post_id: PostId,
        version: i64,
        title: &str,
        content: &str,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// A post with its latest version, locked for the rest of the transaction.
    async fn post(&mut self, id: PostId) -> StoreResult<Option<PostRecord>>;
    async fn set_post_active(&mut self, id: PostId, active: bool) -> StoreResult<()>;
    /// Casts the user's vote, or takes it back if already cast; true when the vote now stands.
    async fn toggle_post_vote(&mut self, user_id: UserId, post_id: PostId) -> StoreResult<bool>;

    async fn insert_comment(&mut self, user_id: UserId, post_id: PostId, at: Timestamp) -> StoreResult<CommentId>;
    async fn insert_comment_content(
        &mut self,
        comment_id: CommentId,
        version: i64,
        content: &str,
        at: Timestamp,
    ) -> StoreResult<()>;
    async fn comment(&mut self, id: CommentId) -> StoreResult<Option<CommentRecord>>;
    async fn set_comment_active(&mut self, id: CommentId, active: bool) -> StoreResult<()>;
    async fn toggle_comment_vote(&mut self, user_id: UserId, comment_id: CommentId) -> StoreResult<bool>;
}

#[derive(Debug, Clone)]
pub struct PostRecord {
    pub id: PostId,
    pub user_id: UserId,
    pub category_id: CategoryId,
    pub board_id: CategoryId,
    pub is_active: bool,
    pub version: i64,
    pub title: String,
    pub content: String,
    pub active_comments: i64,
    pub is_locked: bool,
    pub is_pinned: bool,
}

#[derive(Debug, Clone)]
pub struct CommentRecord {
    pub id: CommentId,
    pub user_id: UserId,
    pub post_id: PostId,
    pub is_active: bool,
    pub version: i64,
    pub content: String,
}

/// Which posts a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListScope {
    All,
    /// A board: its own posts and its categories' posts.
    Board(CategoryId),
    Category(CategoryId),
    /// A member's posts (their feed).
    Author(UserId),
}

/// Where a page of a list starts: keyset pagination by post id, never OFFSET.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListCursor {
    Newest,
    /// Posts older than this id.
    Before(PostId),
    /// Posts newer than this id (the "newer" link), still shown newest first.
    After(PostId),
}

/// Reads of the post and comment read model.
#[async_trait]
pub trait ContentReads: Send + Sync {
    /// Up to `limit` active posts of a list, newest first.
    async fn post_list(&self, scope: ListScope, cursor: ListCursor, limit: i64) -> StoreResult<Vec<PostListRow>> {
        Ok(self.post_list_page(scope, cursor, limit).await?.rows)
    }
    /// Up to `size` active posts of a list, and what lies on either side of them, in one query:
    /// the links of a deep page cost no second round trip.
    async fn post_list_page(&self, scope: ListScope, cursor: ListCursor, size: i64) -> StoreResult<ListSlice>;
    /// Up to `limit` active pinned posts of a board or category (none for other lists), newest
    /// pin first. A board's or category's pages list only its unpinned posts: its pinned ones
    /// head its first page.
    async fn pinned_posts(&self, scope: ListScope, limit: i64) -> StoreResult<Vec<PostListRow>>;
    /// Posts matching every word (full-text, by word prefix), newest first, older than `before`.
    async fn search(
        &self,
        words: &[String],
        scope: ListScope,
        before: Option<PostId>,
        limit: i64,
    ) -> StoreResult<Vec<PostListRow>>;
    async fn post_view(&self, id: PostId) -> StoreResult<Option<PostView>>;
    /// Comments of a post in the order written, deleted ones included (shown as removed).
    async fn comments_page(&self, post_id: PostId, offset: i64, limit: i64) -> StoreResult<Vec<CommentView>>;
    /// The newest `limit` comments of a post that a visitor may see (active ones), newest first.
    async fn newest_comments(&self, post_id: PostId, limit: i64) -> StoreResult<Vec<CommentView>>;
    /// How many comments of the post come before this one.
    async fn comment_position(&self, post_id: PostId, comment_id: CommentId) -> StoreResult<i64>;
    async fn comment_view(&self, id: CommentId) -> StoreResult<Option<CommentView>>;
    /// Whether the user voted for the post, and which of the given comments they voted for.
    async fn votes_of(
        &self,
        user_id: UserId,
        post_id: PostId,
        comment_ids: &[CommentId],
    ) -> StoreResult<(bool, Vec<CommentId>)>;
    async fn post_history(&self, post_id: PostId) -> StoreResult<Vec<VersionRow>>;
    async fn comment_history(&self, comment_id: CommentId) -> StoreResult<Vec<VersionRow>>;
}

/// One page of a list as the store reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSlice {
    /// Newest first.
    pub rows: Vec<PostListRow>,
    /// Whether older posts of the list follow the last row.
    pub has_older: bool,
    /// How many posts of the list are newer than the first row, counted up to `size + 1` and
    /// no further: 0 means the page is the top of the list, `size` or fewer that the page of
    /// newer posts is the top (the list's first page). Unknown (0) when the page is empty.
    pub newer_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PostListRow {
    pub post_id: PostId,
    pub title: String,
    /// None for a user who has resigned.
    pub author_name: Option<String>,
    pub category_id: CategoryId,
    pub category_name: String,
    pub created: Timestamp,
    pub edited: Timestamp,
    pub comment_count: i64,
    pub vote_count: i64,
    /// Marks of the thread: locked, pinned to the top of its lists.
    pub is_locked: bool,
    pub is_pinned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PostView {
    pub post_id: PostId,
    pub user_id: UserId,
    pub author_name: Option<String>,
    pub category_id: CategoryId,
    pub board_id: CategoryId,
    pub title: String,
    /// Rendered from Markdown and sanitised by the projection.
    pub body_html: String,
    pub version: i64,
    pub created: Timestamp,
    pub edited: Timestamp,
    pub comment_count: i64,
    pub vote_count: i64,
    pub is_active: bool,
    pub is_locked: bool,
    /// The moderator's reason for the lock in force.
    pub lock_reason: Option<String>,
    pub is_pinned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CommentView {
    pub comment_id: CommentId,
    pub post_id: PostId,
    pub user_id: UserId,
    pub author_name: Option<String>,
    pub body_html: String,
    pub version: i64,
    pub created: Timestamp,
    pub edited: Timestamp,
    pub vote_count: i64,
    pub is_active: bool,
}

/// One version in an edit history (a comment's versions have an empty title).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VersionRow {
    pub version: i64,
    pub created: Timestamp,
    pub title: String,
    pub content: String,
}
