//! Post and comment commands: write, edit, vote (removing and restoring: [`super::removals`]).
//! Each runs in one transaction: check the rules, change the write model, record the event.

use super::guards::{claim, finish};
use super::notifications::{Cause, members_named, mentioned};
use super::{App, CommandError, CommandResult, acting};
use crate::domain::guards::{FormKey, KeyedForm};
use crate::domain::notifications::{comment_notices, mention_notices, newly_mentioned};
use crate::domain::policy::{Actor, OnBoard, Writing, can_comment, can_edit_in, can_see, can_vote};
use crate::domain::rate_limit::Action;
use crate::domain::{Body, CommentRef, Event, Field, FieldError, FieldErrors, PostRef, Timestamp, Title};
use crate::domain::{CategoryId, CommentId, PostId};
use crate::ports::{CommentRecord, PostRecord, SessionUser, UnitOfWork};

pub(super) fn post_ref(post: &PostRecord) -> PostRef {
    PostRef { post_id: post.id, author_id: post.user_id, category_id: post.category_id, board_id: post.board_id }
}

/// A new comment's or a changed comment's place, for its event.
pub(super) fn comment_ref(comment: &CommentRecord, post: &PostRecord) -> CommentRef {
    CommentRef { comment_id: comment.id, author_id: comment.user_id, post: post_ref(post) }
}

/// The actor as they stand on `board`: the boards listed for them are read only when their
/// role does not already cover every board.
pub(super) async fn on_board(
    tx: &mut Box<dyn UnitOfWork>,
    actor: Actor,
    board: crate::domain::CategoryId,
) -> CommandResult<OnBoard> {
    let listed = if actor.role.moderates() { Vec::new() } else { tx.moderated_boards(actor.user_id).await? };
    Ok(actor.on_board(board, &listed))
}

/// A post that exists and that the actor may see, and the actor on its board.
pub(super) async fn visible_post(
    tx: &mut Box<dyn UnitOfWork>,
    actor: Actor,
    id: PostId,
) -> CommandResult<(PostRecord, OnBoard)> {
    let post = tx.post(id).await?.ok_or(CommandError::NotFound)?;
    let on = on_board(tx, actor, post.board_id).await?;
    if can_see(Some(on), post.is_active) { Ok((post, on)) } else { Err(CommandError::NotFound) }
}

/// A comment that the actor may see, on a post they may see.
pub(super) async fn visible_comment(
    tx: &mut Box<dyn UnitOfWork>,
    actor: Actor,
    id: CommentId,
) -> CommandResult<(CommentRecord, PostRecord, OnBoard)> {
    let comment = tx.comment(id).await?.ok_or(CommandError::NotFound)?;
    let (post, on) = visible_post(tx, actor, comment.post_id).await?;
    if !can_see(Some(on), comment.is_active) {
        return Err(CommandError::NotFound);
    }
    Ok((comment, post, on))
}

fn parse_post(title: &str, content: &str) -> Result<(Title, Body), FieldErrors> {
    let mut errors = FieldErrors::new();
    let title = errors.check(Field::Title, Title::parse(title));
    let body = errors.check(Field::Content, Body::parse_post(content));
    match (title, body) {
        (Some(title), Some(body)) => Ok((title, body)),
        _ => Err(errors),
    }
}

fn parse_comment(content: &str) -> Result<Body, FieldErrors> {
    Body::parse_comment(content).map_err(|error| FieldErrors::single(Field::Content, error))
}

impl App {
    /// Creates `post` and its version 0 in one transaction; returns the new post's id.
    pub async fn create_post(
        &self,
        author: &SessionUser,
        category_id: Option<CategoryId>,
        title: &str,
        content: &str,
    ) -> CommandResult<PostId> {
        self.create_post_once(author, None, category_id, (title, content), None).await
    }

    /// [`App::create_post`] from a form with a one-time key: a second submission of the key
    /// creates nothing and returns the post the first one created.
    pub async fn create_post_once(
        &self,
        author: &SessionUser,
        client: Option<&str>,
        category_id: Option<CategoryId>,
        (title, content): (&str, &str),
        key: Option<&FormKey>,
    ) -> CommandResult<PostId> {
        self.limit(Action::Post, client, Some(author.user_id)).await?;
        let parsed = parse_post(title, content);
        let mut tx = self.store.begin().await?;
        if let Some(created) = claim(&mut tx, author, KeyedForm::Post, key).await? {
            return Ok(PostId(created));
        }
        let actor = acting(&mut tx, author).await?;
        Self::check_may_write(&mut tx, actor.user_id).await?;
        self.check_new_account(&mut tx, actor, Writing::Post, &format!("{title}\n{content}")).await?;
        let category = match category_id {
            Some(id) => tx.category(id).await?,
            None => None,
        };
        let (mut errors, fields) = match parsed {
            Ok(fields) => (FieldErrors::new(), Some(fields)),
            Err(errors) => (errors, None),
        };
        if category.is_none() {
            errors.add(Field::Category, FieldError::NoCategory);
        }
        let (Some(category), Some((title, body)), true) = (category, fields, errors.is_empty()) else {
            return Err(errors.into());
        };
        let now = Timestamp::now();
        let post_id = tx.insert_post(author.user_id, category.id, now).await?;
        tx.insert_post_content(post_id, 0, title.as_str(), body.as_str(), now).await?;
        let post = PostRef {
            post_id,
            author_id: author.user_id,
            category_id: category.id,
            board_id: category.parent_id.unwrap_or(category.id),
        };
        tx.record(&Event::PostCreated { post }).await?;
        let notices = mention_notices(author.user_id, &mentioned(&mut tx, body.as_str()).await?);
        let cause = Cause { actor: author, post_id, post_title: title.as_str(), comment_id: None };
        self.notify(&mut tx, &cause, &notices).await?;
        finish(&mut tx, author, KeyedForm::Post, key, post_id.0).await?;
        self.commit(tx).await?;
        Ok(post_id)
    }

    /// Adds a new version of a post; only its author may.
    pub async fn edit_post(
        &self,
        editor: &SessionUser,
        post_id: PostId,
        title: &str,
        content: &str,
    ) -> CommandResult<()> {
        self.edit_post_from(editor, None, post_id, (title, content)).await
    }

    /// [`App::edit_post`] from a client address (counted by the edit limits).
    pub async fn edit_post_from(
        &self,
        editor: &SessionUser,
        client: Option<&str>,
        post_id: PostId,
        (title, content): (&str, &str),
    ) -> CommandResult<()> {
        self.limit(Action::Edit, client, Some(editor.user_id)).await?;
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, editor).await?;
        let (post, on) = visible_post(&mut tx, actor, post_id).await?;
        can_edit_in(on, post.user_id, post.is_locked)?;
        let (title, body) = parse_post(title, content)?;
        if title.as_str() == post.title && body.as_str() == post.content {
            return Ok(()); // Nothing changed: no empty version in the history.
        }
        tx.insert_post_content(post_id, post.version + 1, title.as_str(), body.as_str(), Timestamp::now()).await?;
        tx.record(&Event::PostEdited { post: post_ref(&post) }).await?;
        // Only a shown post tells anyone: a removed one (its author still edits it if they
        // moderate) is news to no one.
        if post.is_active {
            let added = members_named(&mut tx, &newly_mentioned(&post.content, body.as_str())).await?;
            let cause = Cause { actor: editor, post_id, post_title: title.as_str(), comment_id: None };
            self.notify(&mut tx, &cause, &mention_notices(editor.user_id, &added)).await?;
        }
        self.commit(tx).await
    }

    /// Casts a vote for a post, or takes it back; returns whether the vote now stands.
    pub async fn vote_post(&self, voter: &SessionUser, post_id: PostId) -> CommandResult<bool> {
        self.vote_post_from(voter, None, post_id).await
    }

    /// [`App::vote_post`] from a client address (counted by the vote limits).
    pub async fn vote_post_from(
        &self,
        voter: &SessionUser,
        client: Option<&str>,
        post_id: PostId,
    ) -> CommandResult<bool> {
        self.limit(Action::Vote, client, Some(voter.user_id)).await?;
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, voter).await?;
        let (post, _) = visible_post(&mut tx, actor, post_id).await?;
        if !post.is_active {
            return Err(CommandError::NotFound);
        }
        can_vote(actor, post.user_id)?;
        let cast = tx.toggle_post_vote(voter.user_id, post_id).await?;
        let post = post_ref(&post);
        let voter_id = voter.user_id;
        let event =
            if cast { Event::PostVoteCast { post, voter_id } } else { Event::PostVoteWithdrawn { post, voter_id } };
        tx.record(&event).await?;
        self.commit(tx).await?;
        Ok(cast)
    }

    /// Adds a comment to an active post; returns the new comment's id.
    pub async fn add_comment(&self, author: &SessionUser, post_id: PostId, content: &str) -> CommandResult<CommentId> {
        self.add_comment_once(author, None, post_id, content, None).await
    }

    /// [`App::add_comment`] from a form with a one-time key: a second submission of the key
    /// adds nothing and returns the comment the first one added.
    pub async fn add_comment_once(
        &self,
        author: &SessionUser,
        client: Option<&str>,
        post_id: PostId,
        content: &str,
        key: Option<&FormKey>,
    ) -> CommandResult<CommentId> {
        self.limit(Action::Comment, client, Some(author.user_id)).await?;
        let mut tx = self.store.begin().await?;
        if let Some(created) = claim(&mut tx, author, KeyedForm::Comment, key).await? {
            return Ok(CommentId(created));
        }
        let actor = acting(&mut tx, author).await?;
        let (post, on) = visible_post(&mut tx, actor, post_id).await?;
        if !post.is_active {
            return Err(CommandError::NotFound);
        }
        can_comment(on, post.is_locked)?;
        let body = parse_comment(content)?;
        Self::check_may_write(&mut tx, actor.user_id).await?;
        self.check_new_account(&mut tx, actor, Writing::Comment, content).await?;
        let now = Timestamp::now();
        let comment_id = tx.insert_comment(author.user_id, post_id, now).await?;
        tx.insert_comment_content(comment_id, 0, body.as_str(), now).await?;
        let comment = CommentRef { comment_id, author_id: author.user_id, post: post_ref(&post) };
        tx.record(&Event::CommentAdded { comment }).await?;
        let commenters = tx.thread_commenters(post_id).await?;
        let muted = tx.thread_muters(post_id).await?;
        let mentioned = mentioned(&mut tx, body.as_str()).await?;
        let notices = comment_notices(author.user_id, post.user_id, &commenters, &muted, &mentioned);
        let cause = Cause { actor: author, post_id, post_title: &post.title, comment_id: Some(comment_id) };
        self.notify(&mut tx, &cause, &notices).await?;
        finish(&mut tx, author, KeyedForm::Comment, key, comment_id.0).await?;
        self.commit(tx).await?;
        Ok(comment_id)
    }

    /// Adds a new version of a comment; only its author may. Returns the post's id.
    pub async fn edit_comment(
        &self,
        editor: &SessionUser,
        comment_id: CommentId,
        content: &str,
    ) -> CommandResult<PostId> {
        self.edit_comment_from(editor, None, comment_id, content).await
    }

    /// [`App::edit_comment`] from a client address (counted by the edit limits).
    pub async fn edit_comment_from(
        &self,
        editor: &SessionUser,
        client: Option<&str>,
        comment_id: CommentId,
        content: &str,
    ) -> CommandResult<PostId> {
        self.limit(Action::Edit, client, Some(editor.user_id)).await?;
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, editor).await?;
        let (comment, post, on) = visible_comment(&mut tx, actor, comment_id).await?;
        can_edit_in(on, comment.user_id, post.is_locked)?;
        let body = parse_comment(content)?;
        if body.as_str() == comment.content {
            return Ok(post.id);
        }
        tx.insert_comment_content(comment_id, comment.version + 1, body.as_str(), Timestamp::now()).await?;
        tx.record(&Event::CommentEdited { comment: comment_ref(&comment, &post) }).await?;
        if comment.is_active && post.is_active {
            let added = members_named(&mut tx, &newly_mentioned(&comment.content, body.as_str())).await?;
            let cause =
                Cause { actor: editor, post_id: post.id, post_title: &post.title, comment_id: Some(comment_id) };
            self.notify(&mut tx, &cause, &mention_notices(editor.user_id, &added)).await?;
        }
        self.commit(tx).await?;
        Ok(post.id)
    }

    /// Casts a vote for a comment, or takes it back. Returns the post's id and whether it stands.
    pub async fn vote_comment(&self, voter: &SessionUser, comment_id: CommentId) -> CommandResult<(PostId, bool)> {
        self.vote_comment_from(voter, None, comment_id).await
    }

    /// [`App::vote_comment`] from a client address (counted by the vote limits).
    pub async fn vote_comment_from(
        &self,
        voter: &SessionUser,
        client: Option<&str>,
        comment_id: CommentId,
    ) -> CommandResult<(PostId, bool)> {
        self.limit(Action::Vote, client, Some(voter.user_id)).await?;
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, voter).await?;
        let (comment, post, _) = visible_comment(&mut tx, actor, comment_id).await?;
        if !comment.is_active || !post.is_active {
            return Err(CommandError::NotFound);
        }
        can_vote(actor, comment.user_id)?;
        let cast = tx.toggle_comment_vote(voter.user_id, comment_id).await?;
        let comment = comment_ref(&comment, &post);
        let voter_id = voter.user_id;
        let event = if cast {
            Event::CommentVoteCast { comment, voter_id }
        } else {
            Event::CommentVoteWithdrawn { comment, voter_id }
        };
        tx.record(&event).await?;
        self.commit(tx).await?;
        Ok((post.id, cast))
    }
}
