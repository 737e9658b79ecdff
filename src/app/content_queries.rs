//! The read path of posts and comments: list pages, post pages, search.

use super::App;
use super::invalidation::COMMENTS_PER_PAGE;
use super::keys::Key;
use crate::domain::PostId;
use crate::ports::{CommentView, ListCursor, ListScope, PostListRow, PostView, StoreResult};
use std::sync::Arc;

pub const POSTS_PER_PAGE: i64 = 20;

/// One page of a list, with the cursors of the pages around it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ListPage {
    pub rows: Vec<PostListRow>,
    /// Where the "newer" link leads, if there are newer posts.
    pub newer: Option<NewerPage>,
    /// The id to show posts before (the "older" link), if there are older posts.
    pub older: Option<PostId>,
}

/// The page of posts newer than a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum NewerPage {
    /// The newer posts reach the top of the list: the link is the list's first page, with its
    /// pinned posts (and its cache), not a keyset page holding the same posts without them.
    First,
    /// The posts after this id.
    After(PostId),
}

/// A post with one page of its comments, both shared with the cache rather than copied.
#[derive(Debug, Clone)]
pub struct PostPage {
    pub post: Arc<PostView>,
    /// The page's comments and, when there is a next page, its first one (see [`Self::comments`]).
    pub loaded_comments: Arc<Vec<CommentView>>,
    pub page: i64,
    pub has_next_page: bool,
}

impl PostPage {
    /// The comments of this page.
    pub fn comments(&self) -> &[CommentView] {
        let shown = self.loaded_comments.len().min(COMMENTS_PER_PAGE as usize);
        self.loaded_comments.split_at(shown).0
    }
}

impl App {
    /// A page of a post list. The newest page is cached (it is what nearly everyone reads)
    /// and shared with the cache rather than copied from it; deeper pages are one indexed
    /// query each.
    pub async fn post_list(&self, scope: ListScope, cursor: ListCursor) -> StoreResult<Arc<ListPage>> {
        if cursor == ListCursor::Newest {
            return self.cache.get_or_load(Key::newest_posts(scope), self.load_list(scope, cursor)).await;
        }
        Ok(Arc::new(self.load_list(scope, cursor).await?))
    }

    async fn load_list(&self, scope: ListScope, cursor: ListCursor) -> StoreResult<ListPage> {
        let slice = self.reads.post_list_page(scope, cursor, POSTS_PER_PAGE).await?;
        let mut rows = slice.rows;
        let older = if slice.has_older { rows.last().map(|row| row.post_id) } else { None };
        if cursor == ListCursor::Newest {
            // Pinned posts head the first page (newest pin first) and no other: the pages
            // after it walk the unpinned posts, so none is shown twice or skipped.
            let mut pinned = self.reads.pinned_posts(scope, POSTS_PER_PAGE).await?;
            pinned.append(&mut rows);
            return Ok(ListPage { rows: pinned, newer: None, older });
        }
        let newer = match (slice.newer_count, rows.first()) {
            (0, _) | (_, None) => None,
            (count, _) if count <= POSTS_PER_PAGE => Some(NewerPage::First),
            (_, Some(first)) => Some(NewerPage::After(first.post_id)),
        };
        Ok(ListPage { rows, newer, older })
    }

    /// A post as its page shows it (None if there is no such post); cached.
    pub async fn post_view(&self, post_id: PostId) -> StoreResult<Option<Arc<PostView>>> {
        let load = async { Ok(self.reads.post_view(post_id).await?.map(Arc::new)) };
        Ok(Option::clone(&*self.cache.get_or_load(Key::post(post_id), load).await?))
    }

    /// A post and one page (from 1) of its comments; None if there is no such post.
    pub async fn post_page(&self, post_id: PostId, page: i64) -> StoreResult<Option<PostPage>> {
        let Some(post) = self.post_view(post_id).await? else {
            return Ok(None);
        };
        let offset = (page - 1) * COMMENTS_PER_PAGE;
        // One more than a page, to know whether there is a next one.
        let loaded_comments = self
            .cache
            .get_or_load(Key::comments(post_id, page), self.reads.comments_page(post_id, offset, COMMENTS_PER_PAGE + 1))
            .await?;
        let has_next_page = loaded_comments.len() as i64 > COMMENTS_PER_PAGE;
        Ok(Some(PostPage { post, loaded_comments, page, has_next_page }))
    }

    /// [`App::search`] for a client address, counted by the search limit first.
    pub async fn search_from(
        &self,
        client: Option<&str>,
        words: &[String],
        scope: ListScope,
        before: Option<PostId>,
    ) -> super::CommandResult<ListPage> {
        self.limit(crate::domain::rate_limit::Action::Search, client, None).await?;
        Ok(self.search(words, scope, before).await?)
    }

    pub async fn search(&self, words: &[String], scope: ListScope, before: Option<PostId>) -> StoreResult<ListPage> {
        let mut rows = self.reads.search(words, scope, before, POSTS_PER_PAGE + 1).await?;
        let beyond = rows.len() as i64 > POSTS_PER_PAGE;
        rows.truncate(POSTS_PER_PAGE as usize);
        let older = if beyond { rows.last().map(|r| r.post_id) } else { None };
        Ok(ListPage { rows, newer: None, older })
    }
}
