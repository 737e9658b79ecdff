//! The queries behind the pages that depend on who is looking: a post with the viewer's
//! votes, the edit forms, the histories, the account settings and the admin's user list.
//! Who may see a deleted post or comment is decided here, by the domain's one rule.

use super::content_queries::PostPage;
use super::{App, CommandError, CommandResult};
use crate::domain::CategoryId;
use crate::domain::policy::{Actor, OnBoard, can_comment, can_edit, can_see};
use crate::domain::{CommentId, PostId, UserId};
use crate::ports::{CategoryRow, ProfileRow, StoreResult, VersionRow};
use std::sync::Arc;

/// Users shown on one page of the admin's list.
pub const USERS_PER_PAGE: i64 = 50;

/// A post page as one viewer may see it.
#[derive(Debug, Clone)]
pub struct ViewedPost {
    /// Comments the viewer may not see keep their place, without their text.
    pub page: PostPage,
    /// The board the post is on, and its category when it sits below the board.
    pub board: Option<CategoryRow>,
    pub category: Option<CategoryRow>,
    /// Whether the viewer voted for the post, and which of the shown comments they voted for.
    pub voted: bool,
    pub voted_comments: Vec<CommentId>,
    /// Whether the viewer moderates the post's board.
    pub moderates: bool,
}

/// The latest version of a post, to start an edit from.
#[derive(Debug, Clone)]
pub struct PostDraft {
    pub title: String,
    pub content: String,
}

/// The latest version of a comment, to start an edit from.
#[derive(Debug, Clone)]
pub struct CommentDraft {
    pub post_id: PostId,
    pub content: String,
}

/// Every version of a post, oldest first, under its latest title.
#[derive(Debug, Clone)]
pub struct PostHistory {
    pub title: String,
    pub versions: Vec<VersionRow>,
}

/// Every version of a comment, oldest first, with the post it is on.
#[derive(Debug, Clone)]
pub struct CommentHistory {
    pub post_id: PostId,
    pub post_title: String,
    pub versions: Vec<VersionRow>,
}

/// What the settings page fills its forms with.
#[derive(Debug, Clone)]
pub struct AccountSettings {
    pub name: String,
    pub email: String,
}

/// One page of the admin's list of users, newest first.
#[derive(Debug, Clone)]
pub struct UsersPage {
    pub users: Vec<ProfileRow>,
    /// The id to show users before (the "older" link), if the page is full.
    pub older: Option<UserId>,
}

impl App {
    /// A post and one page (from 1) of its comments, as the viewer (None: logged out) may see
    /// them; None when there is no such post or the viewer may not see it.
    pub async fn post_page_for(
        &self,
        viewer: Option<Actor>,
        post_id: PostId,
        page: i64,
    ) -> StoreResult<Option<ViewedPost>> {
        let Some(mut page) = self.post_page(post_id, page).await? else { return Ok(None) };
        let viewer = self.viewer_on_board(viewer, page.post.board_id).await?;
        if !can_see(viewer, page.post.is_active) {
            return Ok(None);
        }
        // Copied only when some comment must be hidden from this viewer.
        if page.comments().iter().any(|comment| !can_see(viewer, comment.is_active)) {
            for comment in Arc::make_mut(&mut page.loaded_comments) {
                if !can_see(viewer, comment.is_active) {
                    comment.body_html.clear();
                }
            }
        }
        let (voted, voted_comments) = match viewer.map(|on| on.actor) {
            Some(actor) => {
                let ids: Vec<CommentId> = page.comments().iter().map(|c| c.comment_id).collect();
                self.reads.votes_of(actor.user_id, post_id, &ids).await?
            }
            None => (false, Vec::new()),
        };
        let tree = self.category_tree().await?;
        let find = |id: CategoryId| tree.iter().find(|c| c.id == id).cloned();
        let board = find(page.post.board_id);
        let category = (page.post.category_id != page.post.board_id).then(|| find(page.post.category_id)).flatten();
        let moderates = viewer.is_some_and(|on| on.moderates);
        Ok(Some(ViewedPost { page, board, category, voted, voted_comments, moderates }))
    }

    /// The post as its author starts an edit: only a post that is not deleted, only its author.
    pub async fn post_to_edit(&self, editor: Actor, post_id: PostId) -> CommandResult<PostDraft> {
        let post = self.reads.post_view(post_id).await?.filter(|p| p.is_active).ok_or(CommandError::NotFound)?;
        can_edit(editor, post.user_id)?;
        self.check_not_locked(editor, &post).await?;
        let latest = self.reads.post_history(post_id).await?.pop().ok_or(CommandError::NotFound)?;
        Ok(PostDraft { title: latest.title, content: latest.content })
    }

    /// The comment as its author starts an edit: only a comment that is not deleted, on a post
    /// the author may see, only its author.
    pub async fn comment_to_edit(&self, editor: Actor, comment_id: CommentId) -> CommandResult<CommentDraft> {
        let comment =
            self.reads.comment_view(comment_id).await?.filter(|c| c.is_active).ok_or(CommandError::NotFound)?;
        can_edit(editor, comment.user_id)?;
        self.visible_post_title(Some(editor), comment.post_id).await?.ok_or(CommandError::NotFound)?;
        if let Some(post) = self.reads.post_view(comment.post_id).await? {
            self.check_not_locked(editor, &post).await?;
        }
        let latest = self.reads.comment_history(comment_id).await?.pop().ok_or(CommandError::NotFound)?;
        Ok(CommentDraft { post_id: comment.post_id, content: latest.content })
    }

    /// The post a comment is on, if the viewer may see both (to link back from a refused edit).
    pub async fn comment_post(&self, viewer: Actor, comment_id: CommentId) -> CommandResult<PostId> {
        let comment = self.reads.comment_view(comment_id).await?.ok_or(CommandError::NotFound)?;
        self.visible_post_title(Some(viewer), comment.post_id).await?.ok_or(CommandError::NotFound)?;
        Ok(comment.post_id)
    }

    /// An edit form of a locked thread is not offered, but to its board's moderators.
    async fn check_not_locked(&self, editor: Actor, post: &crate::ports::PostView) -> CommandResult<()> {
        if let Some(on) = self.viewer_on_board(Some(editor), post.board_id).await? {
            can_comment(on, post.is_locked)?;
        }
        Ok(())
    }

    /// A post's versions, if the viewer may see the post.
    pub async fn post_history_for(&self, viewer: Option<Actor>, post_id: PostId) -> StoreResult<Option<PostHistory>> {
        let Some((title, _)) = self.visible_post_title(viewer, post_id).await? else { return Ok(None) };
        let versions = self.reads.post_history(post_id).await?;
        Ok(Some(PostHistory { title, versions }))
    }

    /// A comment's versions, if the viewer may see the comment and its post.
    pub async fn comment_history_for(
        &self,
        viewer: Option<Actor>,
        comment_id: CommentId,
    ) -> StoreResult<Option<CommentHistory>> {
        let Some(comment) = self.reads.comment_view(comment_id).await? else { return Ok(None) };
        let Some((post_title, on)) = self.visible_post_title(viewer, comment.post_id).await? else { return Ok(None) };
        if !can_see(on, comment.is_active) {
            return Ok(None);
        }
        let versions = self.reads.comment_history(comment_id).await?;
        Ok(Some(CommentHistory { post_id: comment.post_id, post_title, versions }))
    }

    /// The post's latest title, if the viewer may see the post, and the viewer on its board.
    async fn visible_post_title(
        &self,
        viewer: Option<Actor>,
        post_id: PostId,
    ) -> StoreResult<Option<(String, Option<OnBoard>)>> {
        let Some(post) = self.reads.post_view(post_id).await? else { return Ok(None) };
        let on = self.viewer_on_board(viewer, post.board_id).await?;
        Ok(can_see(on, post.is_active).then_some((post.title, on)))
    }

    /// The user's name and email as the settings page shows them.
    pub async fn account_settings(&self, user_id: UserId) -> StoreResult<Option<AccountSettings>> {
        let account = self.reads.account(user_id).await?;
        Ok(account.map(|a| AccountSettings { name: a.name.unwrap_or_default(), email: a.email.unwrap_or_default() }))
    }

    /// A page of users for the admin, newest first, before the user id `before`.
    pub async fn users_page(&self, before: Option<UserId>) -> StoreResult<UsersPage> {
        let users = self.reads.users_page(before, USERS_PER_PAGE).await?;
        let older = (users.len() as i64 == USERS_PER_PAGE).then(|| users.last().map(|u| u.user_id)).flatten();
        Ok(UsersPage { users, older })
    }
}
