//! The read path of the Atom feeds: the newest posts of a list with their texts, and the newest
//! comments of a post. Every part comes through the read cache, so the events that drop a list,
//! a post or its comments drop what the feeds show too.

use super::App;
use super::content_queries::POSTS_PER_PAGE;
use super::keys::Key;
use crate::domain::{CommentId, PostId};
use crate::ports::{CommentView, ListCursor, ListScope, PostView, StoreResult};
use std::sync::Arc;

/// Entries in a feed: a feed reader wants what is new since it last looked, not the archive.
pub const FEED_ENTRIES: i64 = POSTS_PER_PAGE;

/// A post and its newest comments, as its comments' feed shows them.
pub struct CommentsFeed {
    pub post: Arc<PostView>,
    /// Newest first.
    pub comments: Arc<Vec<CommentView>>,
}

impl App {
    /// The newest posts of a list with their texts, newest first: only posts a visitor may see.
    pub async fn feed_posts(&self, scope: ListScope) -> StoreResult<Vec<Arc<PostView>>> {
        let list = self.post_list(scope, ListCursor::Newest).await?;
        let mut posts = Vec::with_capacity(list.rows.len());
        for row in &list.rows {
            if let Some(post) = self.post_view(row.post_id).await?
                && post.is_active
            {
                posts.push(post);
            }
        }
        Ok(posts)
    }

    /// The newest comments of a post that a visitor may see; None if the post is not there for
    /// visitors (missing or removed).
    pub async fn comments_feed(&self, post_id: PostId) -> StoreResult<Option<CommentsFeed>> {
        let Some(post) = self.post_view(post_id).await?.filter(|post| post.is_active) else {
            return Ok(None);
        };
        let load = self.reads.newest_comments(post_id, FEED_ENTRIES);
        let comments = self.cache.get_or_load(Key::newest_comments(post_id), load).await?;
        Ok(Some(CommentsFeed { post, comments }))
    }

    /// Where a comment is shown: its post and the page (from 1) of its comments that holds it.
    pub async fn comment_place(&self, comment_id: CommentId) -> StoreResult<Option<(PostId, i64)>> {
        let Some(comment) = self.reads.comment_view(comment_id).await? else { return Ok(None) };
        let page = self.comment_page(comment.post_id, comment_id).await?;
        Ok(Some((comment.post_id, page)))
    }
}
