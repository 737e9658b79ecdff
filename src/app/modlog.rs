//! The moderation log: every command that moderates writes its entry here, in its own
//! transaction, beside its change ([`log_action`]); the log's pages read `rm_modlog`.
//!
//! To log a new kind of action (a lock, a pin, a report resolved): add a variant to
//! [`ModerationKind`], build a [`NewModerationAction`] in the command and pass it to
//! [`log_action`]; the projection, the check, the page and the feed need nothing more.

use super::{App, CommandResult, keys};
use crate::domain::modlog::{ModerationKind, NewModerationAction, parse_reason};
use crate::domain::policy::Actor;
use crate::domain::{Event, Field, FieldErrors, Role, UserId};
use crate::ports::{ModlogFilter, ModlogRow, StoreResult, UnitOfWork};
use std::sync::Arc;

/// Entries on one page of the log (and in its feed).
pub const MODLOG_PER_PAGE: i64 = 50;

/// What a moderator typed on the action form.
#[derive(Debug, Clone, Copy, Default)]
pub struct ModNote<'a> {
    pub reason: &'a str,
    /// Asked for a note only moderators read (honoured for admins).
    pub private: bool,
}

/// The entry an action on someone's writing needs, or None when it is the author's own
/// removal (not moderation). A moderator must give a reason; only an admin makes it private.
pub(super) fn noted_action(
    actor: Actor,
    author_id: UserId,
    kind: ModerationKind,
    note: &ModNote<'_>,
) -> Result<Option<NewModerationAction>, FieldErrors> {
    let own_removal =
        matches!(kind, ModerationKind::PostRemoved | ModerationKind::CommentRemoved) && actor.user_id == author_id;
    if own_removal {
        return Ok(None);
    }
    let reason = parse_reason(note.reason).map_err(|error| FieldErrors::single(Field::Reason, error))?;
    let mut action = NewModerationAction::new(kind, actor.user_id);
    action.reason = Some(reason);
    action.private = note.private && actor.role == Role::Admin;
    Ok(Some(action))
}

/// Writes a log entry and its event in the command's transaction.
pub(super) async fn log_action(tx: &mut Box<dyn UnitOfWork>, action: NewModerationAction) -> CommandResult<()> {
    let action_id = tx.insert_moderation_action(&action).await?;
    let NewModerationAction { kind, moderator_id, board_id, reason, private, .. } = action;
    tx.record(&Event::ModeratorActed { action_id, kind, moderator_id, board_id, reason, private }).await?;
    Ok(())
}

/// A page of the log, with the cursor of the next (older) one.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModlogPage {
    pub rows: Vec<ModlogRow>,
    pub older: Option<crate::domain::ModerationActionId>,
}

impl App {
    /// A page of the log, newest first. The unfiltered first page is cached (every entry
    /// drops it); filtered and older pages are one indexed read each.
    pub async fn modlog_page(&self, filter: &ModlogFilter) -> StoreResult<Arc<ModlogPage>> {
        let load = async {
            let mut rows = self.reads.modlog_page(filter, MODLOG_PER_PAGE + 1).await?;
            let more = rows.len() as i64 > MODLOG_PER_PAGE;
            rows.truncate(MODLOG_PER_PAGE as usize);
            let older = if more { rows.last().map(|row| row.action_id) } else { None };
            Ok(ModlogPage { rows, older })
        };
        if *filter == ModlogFilter::default() {
            self.cache.get_or_load(keys::Key::modlog(), load).await
        } else {
            Ok(Arc::new(load.await?))
        }
    }

    /// The removals of a post and its comments, newest first, for the notes its page shows
    /// the authors and moderators (not cached: read only for those few).
    pub async fn removals_on_post(&self, post_id: crate::domain::PostId) -> StoreResult<Vec<ModlogRow>> {
        self.reads.removals_on_post(post_id).await
    }
}

impl App {
    /// Whether a viewer reads private moderation notes: they moderate some board (or all).
    pub async fn reads_private_notes(&self, viewer: Option<Actor>) -> StoreResult<bool> {
        let Some(actor) = viewer else { return Ok(false) };
        Ok(actor.role.moderates() || !self.reads.moderated_boards(actor.user_id).await?.is_empty())
    }
}

/// A moderator's removal as the post page tells it: the note is shown unless it is private
/// and the reader does not moderate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovalNote {
    pub comment_id: Option<crate::domain::CommentId>,
    pub moderator_name: Option<String>,
    /// None: the note is private to moderators.
    pub reason: Option<String>,
}

impl App {
    /// The moderators' removals on a post and its comments that this viewer is told about:
    /// those of their own writing, or all of them when they moderate the post's board.
    pub async fn removal_notes(
        &self,
        viewer: Option<Actor>,
        post: &crate::ports::PostView,
        moderates: bool,
        comment_authors: &[(crate::domain::CommentId, UserId)],
    ) -> StoreResult<Vec<RemovalNote>> {
        let Some(actor) = viewer else { return Ok(Vec::new()) };
        let mut notes: Vec<RemovalNote> = Vec::new();
        for row in self.removals_on_post(post.post_id).await? {
            let author = match row.comment_id {
                None => Some(post.user_id),
                Some(id) => comment_authors.iter().find(|(c, _)| *c == id).map(|(_, a)| *a),
            };
            let told = moderates || author == Some(actor.user_id);
            // Newest first: the latest removal of each item is its note.
            if told && !notes.iter().any(|note| note.comment_id == row.comment_id) {
                let reason =
                    if crate::domain::modlog::shows_reason(row.is_private, moderates) { row.reason } else { None };
                notes.push(RemovalNote { comment_id: row.comment_id, moderator_name: row.moderator_name, reason });
            }
        }
        Ok(notes)
    }

    /// A post a moderator removed, for its author (who may not see removed posts otherwise):
    /// the post and the note. None when the viewer is not its author or it was not removed so.
    pub async fn removed_post_for_author(
        &self,
        viewer: Option<Actor>,
        post_id: crate::domain::PostId,
    ) -> StoreResult<Option<(Arc<crate::ports::PostView>, RemovalNote)>> {
        let Some(actor) = viewer else { return Ok(None) };
        let Some(post) = self.post_view(post_id).await? else { return Ok(None) };
        if post.is_active || post.user_id != actor.user_id {
            return Ok(None);
        }
        let notes = self.removal_notes(viewer, &post, false, &[]).await?;
        Ok(notes.into_iter().find(|note| note.comment_id.is_none()).map(|note| (post, note)))
    }
}

impl App {
    /// When a blocked user's block ends (None: for good), from the log's latest block entry:
    /// the admin's list shows a timed block past its end as ended, with no job to lift it.
    pub async fn block_end(&self, user_id: UserId) -> StoreResult<Option<crate::domain::Timestamp>> {
        let filter =
            ModlogFilter { kind: Some(ModerationKind::UserBlocked), target: Some(user_id), ..Default::default() };
        Ok(self.reads.modlog_page(&filter, 1).await?.into_iter().next().and_then(|row| row.until_datetime))
    }
}
