//! Removing and restoring posts and comments: by the author (their own post while it has no
//! comments, their comment) or by a moderator of the board, who gives a reason that the
//! moderation log lists and the author is told of. Each runs in one transaction.

use super::content::{comment_ref, post_ref, visible_comment, visible_post};
use super::modlog::{ModNote, log_action, noted_action};
use super::notifications::Cause;
use super::{App, CommandResult, acting};
use crate::domain::modlog::ModerationKind;
use crate::domain::notifications::moderation_notice;
use crate::domain::policy::{can_delete_comment, can_delete_post, can_restore};
use crate::domain::{CommentId, Event, PostId};
use crate::ports::SessionUser;

impl App {
    /// Removes a post (its author while it has no comments, or a moderator of its board).
    /// Returns whether the actor still sees it: they moderate its board.
    /// A moderator removing someone else's post gives a reason (`note`), logged.
    pub async fn delete_post(&self, user: &SessionUser, post_id: PostId, note: &ModNote<'_>) -> CommandResult<bool> {
        self.set_post_active(user, post_id, false, note).await
    }

    /// Brings a removed post back (moderators of its board, with a reason).
    pub async fn restore_post(&self, user: &SessionUser, post_id: PostId, note: &ModNote<'_>) -> CommandResult<()> {
        self.set_post_active(user, post_id, true, note).await.map(|_| ())
    }

    /// Returns whether the actor moderates the post's board.
    async fn set_post_active(
        &self,
        user: &SessionUser,
        post_id: PostId,
        active: bool,
        note: &ModNote<'_>,
    ) -> CommandResult<bool> {
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, user).await?;
        let (post, on) = visible_post(&mut tx, actor, post_id).await?;
        if active { can_restore(on) } else { can_delete_post(on, post.user_id, post.active_comments) }?;
        let kind = if active { ModerationKind::PostRestored } else { ModerationKind::PostRemoved };
        let logged = noted_action(actor, post.user_id, kind, note)?;
        if post.is_active == active {
            return Ok(on.moderates);
        }
        tx.set_post_active(post_id, active).await?;
        let title = post.title.clone();
        if let Some(mut action) = logged {
            (action.board_id, action.post_id, action.target_user_id) =
                (Some(post.board_id), Some(post_id), Some(post.user_id));
            log_action(&mut tx, action).await?;
        }
        let post = post_ref(&post);
        tx.record(&if active { Event::PostRestored { post } } else { Event::PostDeleted { post } }).await?;
        if on.moderates {
            let cause = Cause { actor: user, post_id, post_title: &title, comment_id: None };
            self.notify(&mut tx, &cause, moderation_notice(user.user_id, post.author_id).as_slice()).await?;
        }
        self.commit(tx).await?;
        Ok(on.moderates)
    }

    /// Removes a comment (author or moderator). Returns the post's id.
    pub async fn delete_comment(
        &self,
        user: &SessionUser,
        comment_id: CommentId,
        note: &ModNote<'_>,
    ) -> CommandResult<PostId> {
        self.set_comment_active(user, comment_id, false, note).await
    }

    /// Brings a removed comment back (moderators, with a reason). Returns the post's id.
    pub async fn restore_comment(
        &self,
        user: &SessionUser,
        comment_id: CommentId,
        note: &ModNote<'_>,
    ) -> CommandResult<PostId> {
        self.set_comment_active(user, comment_id, true, note).await
    }

    async fn set_comment_active(
        &self,
        user: &SessionUser,
        comment_id: CommentId,
        active: bool,
        note: &ModNote<'_>,
    ) -> CommandResult<PostId> {
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, user).await?;
        let (comment, post, on) = visible_comment(&mut tx, actor, comment_id).await?;
        if active { can_restore(on) } else { can_delete_comment(on, comment.user_id) }?;
        let kind = if active { ModerationKind::CommentRestored } else { ModerationKind::CommentRemoved };
        let logged = noted_action(actor, comment.user_id, kind, note)?;
        if comment.is_active == active {
            return Ok(post.id);
        }
        tx.set_comment_active(comment_id, active).await?;
        let author = comment.user_id;
        if let Some(mut action) = logged {
            (action.board_id, action.post_id) = (Some(post.board_id), Some(post.id));
            (action.comment_id, action.target_user_id) = (Some(comment_id), Some(comment.user_id));
            log_action(&mut tx, action).await?;
        }
        let comment = comment_ref(&comment, &post);
        tx.record(&if active { Event::CommentRestored { comment } } else { Event::CommentDeleted { comment } }).await?;
        if on.moderates {
            let cause = Cause { actor: user, post_id: post.id, post_title: &post.title, comment_id: Some(comment_id) };
            self.notify(&mut tx, &cause, moderation_notice(user.user_id, author).as_slice()).await?;
        }
        self.commit(tx).await?;
        Ok(post.id)
    }
}
