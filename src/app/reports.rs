//! Reports: a member reports others' posts and comments (once per item), moderators of the
//! item's board see them in a queue and handle all open reports of an item at once, by
//! removing the item or dismissing them. The queue is moderator-only and read uncached.

use super::content::{comment_ref, on_board, post_ref};
use super::modlog::log_action;
use super::notifications::Cause;
use super::{App, CommandError, CommandResult, acting};
use crate::domain::modlog::{ModerationKind, NewModerationAction};
use crate::domain::notifications::moderation_notice;
use crate::domain::policy::report_queue_boards;
use crate::domain::policy::{Actor, OnBoard, can_delete_comment, can_delete_post, can_handle_reports, can_report};
use crate::domain::rate_limit::Action;
use crate::domain::report::{ItemRef, ReportError, Resolution, parse_note, parse_report};
use crate::domain::{CategoryId, CommentId, Event, Field, FieldErrors, PostId, ReportId, Timestamp, UserId};
use crate::ports::{
    NewReport, NewResolution, QueueCursor, QueueRow, QueueSort, ReportLine, ReportedItem, SessionUser, UnitOfWork,
};

/// Items per page of the queue, and reports per page of a member's list.
pub const QUEUE_PAGE: i64 = 20;
pub const MINE_PAGE: i64 = 30;

/// A page of the queue, and where the next one starts.
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub next: Option<QueueCursor>,
}

/// An item as the write model says now (locked for the command): its board, author, whether
/// it is shown, and what its removal records.
struct ItemNow {
    board_id: CategoryId,
    /// The post it is (or is on), its title, and the comment if it is one.
    post_id: PostId,
    post_title: String,
    comment_id: Option<CommentId>,
    author_id: UserId,
    is_active: bool,
    removal: Event,
}

async fn item_now(tx: &mut Box<dyn UnitOfWork>, item: ItemRef) -> CommandResult<ItemNow> {
    match item {
        ItemRef::Post(id) => {
            let post = tx.post(id).await?.ok_or(CommandError::NotFound)?;
            let removal = Event::PostDeleted { post: post_ref(&post) };
            Ok(ItemNow {
                board_id: post.board_id,
                post_id: post.id,
                post_title: post.title,
                comment_id: None,
                author_id: post.user_id,
                is_active: post.is_active,
                removal,
            })
        }
        ItemRef::Comment(id) => {
            let comment = tx.comment(id).await?.ok_or(CommandError::NotFound)?;
            let post = tx.post(comment.post_id).await?.ok_or(CommandError::NotFound)?;
            let removal = Event::CommentDeleted { comment: comment_ref(&comment, &post) };
            // A comment on a removed post is not shown either.
            let is_active = comment.is_active && post.is_active;
            Ok(ItemNow {
                board_id: post.board_id,
                post_id: post.id,
                post_title: post.title,
                comment_id: Some(id),
                author_id: comment.user_id,
                is_active,
                removal,
            })
        }
    }
}

/// The removal the delete commands make, in this transaction: the same rule, row and event.
async fn remove(tx: &mut Box<dyn UnitOfWork>, on: OnBoard, item: ItemRef, now: &ItemNow) -> CommandResult<()> {
    match item {
        ItemRef::Post(id) => {
            can_delete_post(on, now.author_id, 0)?;
            tx.set_post_active(id, false).await?;
        }
        ItemRef::Comment(id) => {
            can_delete_comment(on, now.author_id)?;
            tx.set_comment_active(id, false).await?;
        }
    }
    tx.record(&now.removal).await?;
    Ok(())
}

/// The log's entry of a resolution: the removal it made, or the dismissal.
fn logged(moderator: UserId, action: Resolution, now: &ItemNow, note: &str) -> NewModerationAction {
    let kind = match (action, now.comment_id) {
        (Resolution::Dismissed, _) => ModerationKind::ReportsDismissed,
        (Resolution::Removed, None) => ModerationKind::PostRemoved,
        (Resolution::Removed, Some(_)) => ModerationKind::CommentRemoved,
    };
    let mut entry = NewModerationAction::new(kind, moderator);
    (entry.board_id, entry.post_id, entry.comment_id) = (Some(now.board_id), Some(now.post_id), now.comment_id);
    (entry.target_user_id, entry.reason) = (Some(now.author_id), Some(note.to_string()));
    entry
}

impl App {
    /// Files a member's report of another's post or comment: once per member and item.
    pub async fn report_item(
        &self,
        reporter: &SessionUser,
        client: Option<&str>,
        item: ItemRef,
        (reason, details): (&str, &str),
    ) -> CommandResult<ReportId> {
        self.limit(Action::Report, client, Some(reporter.user_id)).await?;
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, reporter).await?;
        let now = item_now(&mut tx, item).await?;
        if !now.is_active {
            return Err(CommandError::NotFound);
        }
        can_report(actor, now.author_id)?;
        if tx.report_by(actor.user_id, item).await?.is_some() {
            return Err(FieldErrors::single(Field::Form, ReportError::AlreadyReported).into());
        }
        let (reason, details) = match parse_report(reason, details) {
            (Ok(reason), Ok(details)) => (reason, details),
            (reason, details) => {
                let mut errors = FieldErrors::new();
                errors.check(Field::Reason, reason);
                errors.check(Field::Content, details);
                return Err(errors.into());
            }
        };
        let created = Timestamp::now();
        let report = NewReport { reporter_id: actor.user_id, item, reason, details: details.as_deref(), created };
        let report_id = tx.insert_report(&report).await?;
        tx.record(&Event::ReportFiled { report_id, item, board_id: now.board_id, reporter_id: actor.user_id, reason })
            .await?;
        self.commit(tx).await?;
        tracing::info!(reporter = actor.user_id.0, %item, reason = reason.code(), "report filed");
        Ok(report_id)
    }

    /// Handles every open report of an item: removes the item (as its delete command does,
    /// the note being the reason) or dismisses them. Moderators of the item's board only.
    pub async fn resolve_reports(
        &self,
        moderator: &SessionUser,
        item: ItemRef,
        action: Resolution,
        note: &str,
    ) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, moderator).await?;
        let now = item_now(&mut tx, item).await?;
        let on = on_board(&mut tx, actor, now.board_id).await?;
        can_handle_reports(on)?;
        let note = parse_note(note).map_err(|error| FieldErrors::single(Field::Reason, error))?;
        let resolution =
            NewResolution { item, moderator_id: actor.user_id, action, note: &note, created: Timestamp::now() };
        let reports = tx.resolve_reports(&resolution).await?;
        if reports == 0 {
            return Err(FieldErrors::single(Field::Form, ReportError::NothingOpen).into());
        }
        if action == Resolution::Removed && now.is_active {
            remove(&mut tx, on, item, &now).await?;
            let cause = Cause {
                actor: moderator,
                post_id: now.post_id,
                post_title: &now.post_title,
                comment_id: now.comment_id,
            };
            self.notify(&mut tx, &cause, moderation_notice(actor.user_id, now.author_id).as_slice()).await?;
        }
        log_action(&mut tx, logged(actor.user_id, action, &now, &note)).await?;
        let board_id = now.board_id;
        tx.record(&Event::ReportsResolved { item, board_id, moderator_id: actor.user_id, action, note, reports })
            .await?;
        self.commit(tx).await?;
        tracing::info!(moderator = actor.user_id.0, %item, action = action.code(), reports, "reports resolved");
        Ok(())
    }

    /// A page of the queue: the items with open reports on the boards the actor moderates.
    pub async fn report_queue(
        &self,
        actor: Actor,
        sort: QueueSort,
        after: Option<&QueueCursor>,
    ) -> CommandResult<QueuePage> {
        let listed =
            if actor.role.moderates() { Vec::new() } else { self.reads.moderated_boards(actor.user_id).await? };
        let boards = report_queue_boards(actor, &listed)?;
        let mut rows = self.reads.report_queue(boards.as_deref(), sort, after, QUEUE_PAGE + 1).await?;
        let next = if rows.len() as i64 > QUEUE_PAGE {
            rows.truncate(QUEUE_PAGE as usize);
            rows.last().map(|row| QueueCursor { report_count: row.report_count, newest: row.newest, item: row.item })
        } else {
            None
        };
        Ok(QueuePage { rows, next })
    }

    /// A reported item and every report of it, for a moderator of its board.
    pub async fn report_detail(&self, actor: Actor, item: ItemRef) -> CommandResult<(ReportedItem, Vec<ReportLine>)> {
        let shown = self.reads.reported_item(item).await?.ok_or(CommandError::NotFound)?;
        let on = self.viewer_on_board(Some(actor), shown.board_id).await?.ok_or(CommandError::NotFound)?;
        can_handle_reports(on)?;
        let reports = self.reads.item_reports(item).await?;
        Ok((shown, reports))
    }

    /// An item as the report form shows it (only others' shown items can be reported), and
    /// the member's earlier report of it, if any.
    pub async fn report_target(
        &self,
        actor: Actor,
        item: ItemRef,
    ) -> CommandResult<(ReportedItem, Option<ReportLine>)> {
        let shown = self.reads.reported_item(item).await?.filter(|shown| shown.is_active);
        let shown = shown.ok_or(CommandError::NotFound)?;
        can_report(actor, shown.author_id)?;
        let earlier = self.reads.report_of(actor.user_id, item).await?;
        Ok((shown, earlier))
    }

    /// A member's own reports, newest first, after the keyset `before`; and where the next page starts.
    pub async fn my_reports(
        &self,
        actor: Actor,
        before: Option<ReportId>,
    ) -> CommandResult<(Vec<ReportLine>, Option<ReportId>)> {
        let mut rows = self.reads.reports_of(actor.user_id, before, MINE_PAGE + 1).await?;
        let next = if rows.len() as i64 > MINE_PAGE {
            rows.truncate(MINE_PAGE as usize);
            rows.last().map(|row| row.report_id)
        } else {
            None
        };
        Ok((rows, next))
    }
}
