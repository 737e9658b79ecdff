//! The ports for reports: members' reports of posts and comments, and their resolution.

use super::StoreResult;
use crate::domain::report::{ItemRef, ReportReason, Resolution};
use crate::domain::{CategoryId, PostId, ReportId, Timestamp, UserId};
use async_trait::async_trait;

/// A report to store.
pub struct NewReport<'a> {
    pub reporter_id: UserId,
    pub item: ItemRef,
    pub reason: ReportReason,
    pub details: Option<&'a str>,
    pub created: Timestamp,
}

/// How a moderator handled an item's open reports.
pub struct NewResolution<'a> {
    pub item: ItemRef,
    pub moderator_id: UserId,
    pub action: Resolution,
    pub note: &'a str,
    pub created: Timestamp,
}

/// Writes of reports, inside the command's unit of work.
#[async_trait]
pub trait ReportWrites: Send {
    /// The report this member made of this item, if any (open or handled).
    async fn report_by(&mut self, reporter_id: UserId, item: ItemRef) -> StoreResult<Option<ReportId>>;
    async fn insert_report(&mut self, report: &NewReport<'_>) -> StoreResult<ReportId>;
    /// Marks every open report of the item handled by one resolution; how many it marked.
    async fn resolve_reports(&mut self, resolution: &NewResolution<'_>) -> StoreResult<i64>;
}

/// The order of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueSort {
    /// The item reported most recently first.
    #[default]
    Newest,
    /// The item with the most open reports first (then the newest).
    MostReported,
}

/// Where a page of the queue starts: after this row, in the queue's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueCursor {
    pub report_count: i64,
    pub newest: Timestamp,
    pub item: ItemRef,
}

/// One reported item in the queue, with its open reports summed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    pub item: ItemRef,
    pub board_id: CategoryId,
    pub board_name: Option<String>,
    pub report_count: i64,
    pub newest: Timestamp,
    /// The reasons given, their codes comma-separated in a fixed order.
    pub reasons: String,
    /// The post, or the post the comment is on.
    pub post_id: Option<PostId>,
    pub post_title: Option<String>,
    /// The item's author (None once they resigned).
    pub author_name: Option<String>,
    pub is_active: bool,
}

/// A reported item as the detail page shows it (also when removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedItem {
    pub item: ItemRef,
    pub board_id: CategoryId,
    pub post_id: PostId,
    pub post_title: String,
    pub author_id: UserId,
    pub author_name: Option<String>,
    pub is_active: bool,
    pub created: Timestamp,
    /// Whether it was edited (its history has more than one version).
    pub edited: bool,
    pub body_html: String,
}

/// One report, with how it was handled (None: open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine {
    pub report_id: ReportId,
    pub item: ItemRef,
    pub reporter_name: Option<String>,
    pub reason: ReportReason,
    pub details: Option<String>,
    pub created: Timestamp,
    pub handled: Option<Handled>,
    /// The post, or the post the comment is on, and its title, for the reporter's list.
    pub post_id: Option<PostId>,
    pub post_title: Option<String>,
}

/// How and when a report was handled, and by whom with which note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    pub action: Resolution,
    pub at: Timestamp,
    pub moderator_name: Option<String>,
    pub note: String,
}

/// Reads of reports.
#[async_trait]
pub trait ReportReads: Send + Sync {
    /// Items with open reports on `boards` (None: every board), in `sort` order after `after`.
    async fn report_queue(
        &self,
        boards: Option<&[CategoryId]>,
        sort: QueueSort,
        after: Option<&QueueCursor>,
        limit: i64,
    ) -> StoreResult<Vec<QueueRow>>;
    async fn reported_item(&self, item: ItemRef) -> StoreResult<Option<ReportedItem>>;
    /// Every report of the item, oldest first.
    async fn item_reports(&self, item: ItemRef) -> StoreResult<Vec<ReportLine>>;
    /// A member's reports, newest first, `limit` after the keyset `before`.
    async fn reports_of(
        &self,
        reporter_id: UserId,
        before: Option<ReportId>,
        limit: i64,
    ) -> StoreResult<Vec<ReportLine>>;
    /// The member's report of the item, if they made one.
    async fn report_of(&self, reporter_id: UserId, item: ItemRef) -> StoreResult<Option<ReportLine>>;
}
