//! Moderators' commands on threads: lock, unlock, pin, unpin, move. Each takes a required
//! reason, kept with the action (`thread_action`) and carried in its event for the public
//! moderation log. Who may act is decided here, by the domain's rules, in the command's
//! transaction (a moderator taken off a board loses it at once).

use super::boards::{CategoryChoice, category_choices};
use super::content::{on_board, post_ref, visible_post};
use super::modlog::log_action;
use super::notifications::Cause;
use super::{App, CommandError, CommandResult, acting};
use crate::domain::modlog::{ModerationKind, NewModerationAction};
use crate::domain::notifications::moderation_notice;
use crate::domain::policy::{Actor, can_moderate_thread, can_move};
use crate::domain::threads::{Reason, ThreadAction};
use crate::domain::{CategoryId, Event, Field, FieldError, FieldErrors, PostId, PostRef, Timestamp, UserId};
use crate::ports::{NewThreadAction, PostRecord, SessionUser, StoreResult, UnitOfWork};

fn parse_reason(raw: &str) -> Result<Reason, FieldErrors> {
    Reason::parse(raw).map_err(|error| FieldErrors::single(Field::Reason, error))
}

/// The event of a lock or pin, set (`on`) or taken off.
fn flag_event(action: ThreadAction, post: PostRef, moderator: UserId, reason: String) -> Event {
    match action {
        ThreadAction::Lock => Event::ThreadLocked { post, moderator, reason },
        ThreadAction::Unlock => Event::ThreadUnlocked { post, moderator, reason },
        ThreadAction::Pin => Event::ThreadPinned { post, moderator, reason },
        ThreadAction::Unpin | ThreadAction::Move => Event::ThreadUnpinned { post, moderator, reason },
    }
}

/// The log's kind of a thread action.
fn logged_kind(action: ThreadAction) -> ModerationKind {
    match action {
        ThreadAction::Lock => ModerationKind::ThreadLocked,
        ThreadAction::Unlock => ModerationKind::ThreadUnlocked,
        ThreadAction::Pin => ModerationKind::ThreadPinned,
        ThreadAction::Unpin => ModerationKind::ThreadUnpinned,
        ThreadAction::Move => ModerationKind::PostMoved,
    }
}

/// The log entry of a thread action on `post`, listed under `board`.
fn logged(record: &NewThreadAction<'_>, post: &PostRecord, board: CategoryId) -> NewModerationAction {
    let mut entry = NewModerationAction::new(logged_kind(record.action), record.moderator);
    (entry.board_id, entry.post_id, entry.target_user_id) = (Some(board), Some(post.id), Some(post.user_id));
    entry.reason = Some(record.reason.to_string());
    entry
}

impl App {
    /// Logs a thread action and tells the post's author (unless they did it themselves).
    async fn log_thread_action(
        &self,
        tx: &mut Box<dyn UnitOfWork>,
        user: &SessionUser,
        (record, post, board): (&NewThreadAction<'_>, &PostRecord, CategoryId),
    ) -> CommandResult<()> {
        log_action(tx, logged(record, post, board)).await?;
        let cause = Cause { actor: user, post_id: post.id, post_title: &post.title, comment_id: None };
        self.notify(tx, &cause, moderation_notice(user.user_id, post.user_id).as_slice()).await?;
        Ok(())
    }

    /// Where this moderator may move posts: every board and category of the boards they
    /// moderate (all of them for admins and global moderators).
    pub async fn move_destinations(&self, actor: Actor) -> StoreResult<Vec<CategoryChoice>> {
        let listed =
            if actor.role.moderates() { Vec::new() } else { self.reads.moderated_boards(actor.user_id).await? };
        let tree = self.category_tree().await?;
        let board_of =
            |id: CategoryId| tree.iter().find(|row| row.id == id).and_then(|row| row.parent_id).unwrap_or(id);
        Ok(category_choices(&tree).into_iter().filter(|choice| actor.moderates(board_of(choice.id), &listed)).collect())
    }

    /// Locks a thread (`lock`) or unlocks it, with the moderator's reason. Locking a locked
    /// thread changes nothing and records nothing.
    pub async fn lock_thread(
        &self,
        user: &SessionUser,
        post_id: PostId,
        lock: bool,
        reason: &str,
    ) -> CommandResult<()> {
        let action = if lock { ThreadAction::Lock } else { ThreadAction::Unlock };
        self.set_thread_flag(user, post_id, action, reason).await
    }

    /// Pins a thread to the top of its board's and category's first pages (`pin`), or unpins it.
    pub async fn pin_thread(&self, user: &SessionUser, post_id: PostId, pin: bool, reason: &str) -> CommandResult<()> {
        let action = if pin { ThreadAction::Pin } else { ThreadAction::Unpin };
        self.set_thread_flag(user, post_id, action, reason).await
    }

    async fn set_thread_flag(
        &self,
        user: &SessionUser,
        post_id: PostId,
        action: ThreadAction,
        reason: &str,
    ) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, user).await?;
        let (post, on) = visible_post(&mut tx, actor, post_id).await?;
        can_moderate_thread(on)?;
        let reason = parse_reason(reason)?;
        let now = Timestamp::now();
        let unchanged = match action {
            ThreadAction::Lock => post.is_locked,
            ThreadAction::Unlock => !post.is_locked,
            ThreadAction::Pin => post.is_pinned,
            ThreadAction::Unpin | ThreadAction::Move => !post.is_pinned,
        };
        if unchanged {
            return Ok(());
        }
        match action {
            ThreadAction::Lock => tx.set_post_locked(post_id, Some(reason.as_str())).await?,
            ThreadAction::Unlock => tx.set_post_locked(post_id, None).await?,
            ThreadAction::Pin => tx.set_post_pinned(post_id, Some(now)).await?,
            ThreadAction::Unpin | ThreadAction::Move => tx.set_post_pinned(post_id, None).await?,
        }
        let record = NewThreadAction {
            post_id,
            moderator: actor.user_id,
            action,
            reason: reason.as_str(),
            moved: None,
            at: now,
        };
        tx.record_thread_action(&record).await?;
        self.log_thread_action(&mut tx, user, (&record, &post, post.board_id)).await?;
        tx.record(&flag_event(action, post_ref(&post), actor.user_id, reason.into_string())).await?;
        self.commit(tx).await
    }

    /// Moves a post to another board or category: a moderator of both boards. Moving it where
    /// it is changes nothing.
    pub async fn move_post(
        &self,
        user: &SessionUser,
        post_id: PostId,
        to: Option<CategoryId>,
        reason: &str,
    ) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, user).await?;
        let (post, on) = visible_post(&mut tx, actor, post_id).await?;
        can_moderate_thread(on)?;
        let destination = match to {
            Some(id) => tx.category(id).await?,
            None => None,
        };
        let mut errors = FieldErrors::new();
        if destination.is_none() {
            errors.add(Field::Category, FieldError::NoCategory);
        }
        let reason = errors.check(Field::Reason, Reason::parse(reason));
        let (Some(destination), Some(reason)) = (destination, reason) else {
            return Err(CommandError::Invalid(errors));
        };
        let to_board = destination.parent_id.unwrap_or(destination.id);
        can_move(on, on_board(&mut tx, actor, to_board).await?.moderates)?;
        if destination.id == post.category_id {
            return Ok(());
        }
        tx.set_post_category(post_id, destination.id).await?;
        let now = Timestamp::now();
        let moved = Some((post.category_id, destination.id));
        let record = NewThreadAction {
            post_id,
            moderator: actor.user_id,
            action: ThreadAction::Move,
            reason: reason.as_str(),
            moved,
            at: now,
        };
        tx.record_thread_action(&record).await?;
        self.log_thread_action(&mut tx, user, (&record, &post, to_board)).await?;
        let from = post_ref(&post);
        let event = Event::PostMoved {
            post: PostRef { category_id: destination.id, board_id: to_board, ..from },
            from_category_id: from.category_id,
            from_board_id: from.board_id,
            was_active: post.is_active,
            moderator: actor.user_id,
            reason: reason.into_string(),
        };
        tx.record(&event).await?;
        self.commit(tx).await
    }
}
