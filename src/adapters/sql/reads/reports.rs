//! Reads of reports: the moderator queue from `rm_open_report` (keyset pages in either order),
//! a reported item as the read model shows it, and the reports themselves with their outcome.

use super::super::rows::read_by_name;
use super::super::{SqlDatabase, db_err};
use crate::domain::report::{ItemRef, ReportReason, Resolution};
use crate::domain::{CategoryId, PostId, ReportId, Timestamp, UserId};
use crate::ports::{Handled, QueueCursor, QueueRow, QueueSort, ReportLine, ReportReads, ReportedItem, StoreResult};
use async_trait::async_trait;
use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments};

/// A queue row as selected.
struct QueueSelect {
    item_kind: String,
    item_id: i64,
    board_id: CategoryId,
    board_name: Option<String>,
    report_count: i64,
    newest: Timestamp,
    reasons: String,
    post_id: Option<PostId>,
    post_title: Option<String>,
    author_name: Option<String>,
    is_active: Option<i64>,
}
read_by_name!(QueueSelect {
    item_kind,
    item_id,
    board_id,
    board_name,
    report_count,
    newest,
    reasons,
    post_id,
    post_title,
    author_name,
    is_active
});

struct ItemSelect {
    board_id: CategoryId,
    post_id: PostId,
    post_title: String,
    author_id: UserId,
    author_name: Option<String>,
    is_active: bool,
    created: Timestamp,
    version: i64,
    body_html: String,
}
read_by_name!(ItemSelect {
    board_id,
    post_id,
    post_title,
    author_id,
    author_name,
    is_active,
    created,
    version,
    body_html
});

struct LineSelect {
    report_id: ReportId,
    item_kind: String,
    item_id: i64,
    reporter_name: Option<String>,
    reason: String,
    details: Option<String>,
    created: Timestamp,
    action: Option<String>,
    handled_at: Option<Timestamp>,
    moderator_name: Option<String>,
    note: Option<String>,
    post_id: Option<PostId>,
    post_title: Option<String>,
}
read_by_name!(LineSelect {
    report_id,
    item_kind,
    item_id,
    reporter_name,
    reason,
    details,
    created,
    action,
    handled_at,
    moderator_name,
    note,
    post_id,
    post_title
});

const QUEUE_SELECT: &str = "SELECT r.item_kind, r.item_id, r.board_id, b.name AS board_name, r.report_count, \
     r.newest_datetime AS newest, r.reasons, p.post_id, p.title AS post_title, \
     CASE WHEN r.item_kind = 'comment' THEN cm.author_name ELSE p.author_name END AS author_name, \
     CASE WHEN r.item_kind = 'comment' THEN cm.is_active ELSE p.is_active END AS is_active \
     FROM rm_open_report r \
     LEFT JOIN rm_category b ON b.category_id = r.board_id \
     LEFT JOIN rm_comment cm ON r.item_kind = 'comment' AND cm.comment_id = r.item_id \
     LEFT JOIN rm_post p ON p.post_id = CASE WHEN r.item_kind = 'post' THEN r.item_id ELSE cm.post_id END \
     WHERE 1 = 1";

const LINE_SELECT: &str = "SELECT r.id AS report_id, r.item_kind, r.item_id, u.name AS reporter_name, r.reason, \
     r.details, r.created_datetime AS created, s.action, s.created_datetime AS handled_at, \
     m.name AS moderator_name, s.note, p.post_id, p.title AS post_title \
     FROM report r \
     LEFT JOIN rm_user u ON u.user_id = r.reporter_id \
     LEFT JOIN report_resolution s ON s.id = r.resolution_id \
     LEFT JOIN rm_user m ON m.user_id = s.moderator_id \
     LEFT JOIN rm_comment cm ON r.item_kind = 'comment' AND cm.comment_id = r.item_id \
     LEFT JOIN rm_post p ON p.post_id = CASE WHEN r.item_kind = 'post' THEN r.item_id ELSE cm.post_id END";

fn line(row: LineSelect) -> Option<ReportLine> {
    let handled = match (row.action.as_deref().and_then(Resolution::parse), row.handled_at) {
        (Some(action), Some(at)) => {
            Some(Handled { action, at, moderator_name: row.moderator_name, note: row.note.unwrap_or_default() })
        }
        _ => None,
    };
    Some(ReportLine {
        report_id: row.report_id,
        item: ItemRef::from_parts(&row.item_kind, row.item_id)?,
        reporter_name: row.reporter_name,
        reason: ReportReason::parse(&row.reason).unwrap_or(ReportReason::Other),
        details: row.details,
        created: row.created,
        handled,
        post_id: row.post_id,
        post_title: row.post_title,
    })
}

/// The keyset condition "after this row" in the queue's order (all columns descending).
fn after_condition(sort: QueueSort) -> &'static str {
    match sort {
        QueueSort::Newest => {
            " AND (r.newest_datetime < ? OR (r.newest_datetime = ? AND (r.item_kind < ? \
             OR (r.item_kind = ? AND r.item_id < ?))))"
        }
        QueueSort::MostReported => {
            " AND (r.report_count < ? OR (r.report_count = ? AND (r.newest_datetime < ? \
             OR (r.newest_datetime = ? AND (r.item_kind < ? OR (r.item_kind = ? AND r.item_id < ?))))))"
        }
    }
}

fn bind_after(args: &mut AnyArguments, sort: QueueSort, after: &QueueCursor) -> Result<(), sqlx::error::BoxDynError> {
    if sort == QueueSort::MostReported {
        args.add(after.report_count)?;
        args.add(after.report_count)?;
    }
    args.add(after.newest.0)?;
    args.add(after.newest.0)?;
    args.add(after.item.kind())?;
    args.add(after.item.kind())?;
    args.add(after.item.id())?;
    Ok(())
}

/// The queue's SQL and its values.
fn queue_query(
    boards: Option<&[CategoryId]>,
    sort: QueueSort,
    after: Option<&QueueCursor>,
    limit: i64,
) -> Result<(String, AnyArguments), sqlx::error::BoxDynError> {
    let mut sql = QUEUE_SELECT.to_string();
    let mut args = AnyArguments::default();
    if let Some(boards) = boards {
        let marks = vec!["?"; boards.len().max(1)].join(", ");
        sql.push_str(&format!(" AND r.board_id IN ({marks})"));
        if boards.is_empty() {
            args.add(-1_i64)?;
        }
        for board in boards {
            args.add(board.0)?;
        }
    }
    if let Some(after) = after {
        sql.push_str(after_condition(sort));
        bind_after(&mut args, sort, after)?;
    }
    sql.push_str(match sort {
        QueueSort::Newest => " ORDER BY r.newest_datetime DESC, r.item_kind DESC, r.item_id DESC",
        QueueSort::MostReported => {
            " ORDER BY r.report_count DESC, r.newest_datetime DESC, r.item_kind DESC, r.item_id DESC"
        }
    });
    sql.push_str(" LIMIT ?");
    args.add(limit)?;
    Ok((sql, args))
}

#[async_trait]
impl ReportReads for SqlDatabase {
    async fn report_queue(
        &self,
        boards: Option<&[CategoryId]>,
        sort: QueueSort,
        after: Option<&QueueCursor>,
        limit: i64,
    ) -> StoreResult<Vec<QueueRow>> {
        let (sql, args) = queue_query(boards, sort, after, limit).map_err(|e| db_err(sqlx::Error::Encode(e)))?;
        let rows: Vec<QueueSelect> = sqlx::query_as_with::<Any, QueueSelect, _>(sqlx::AssertSqlSafe(sql), args)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Some(QueueRow {
                    item: ItemRef::from_parts(&row.item_kind, row.item_id)?,
                    board_id: row.board_id,
                    board_name: row.board_name,
                    report_count: row.report_count,
                    newest: row.newest,
                    reasons: row.reasons,
                    post_id: row.post_id,
                    post_title: row.post_title,
                    author_name: row.author_name,
                    is_active: row.is_active.unwrap_or(0) != 0,
                })
            })
            .collect())
    }

    async fn reported_item(&self, item: ItemRef) -> StoreResult<Option<ReportedItem>> {
        let sql = match item {
            ItemRef::Post(_) => {
                "SELECT p.board_id, p.post_id, p.title AS post_title, p.user_id AS author_id, p.author_name, p.is_active, p.created, \
                 p.version, p.body_html FROM rm_post p WHERE p.post_id = ?"
            }
            ItemRef::Comment(_) => {
                "SELECT p.board_id, cm.post_id, p.title AS post_title, cm.user_id AS author_id, cm.author_name, cm.is_active, cm.created, \
                 cm.version, cm.body_html FROM rm_comment cm JOIN rm_post p ON p.post_id = cm.post_id \
                 WHERE cm.comment_id = ?"
            }
        };
        let row: Option<ItemSelect> =
            sqlx::query_as(sql).bind(item.id()).fetch_optional(&self.pool).await.map_err(db_err)?;
        Ok(row.map(|row| ReportedItem {
            item,
            board_id: row.board_id,
            post_id: row.post_id,
            post_title: row.post_title,
            author_id: row.author_id,
            author_name: row.author_name,
            is_active: row.is_active,
            created: row.created,
            edited: row.version > 0,
            body_html: row.body_html,
        }))
    }

    async fn item_reports(&self, item: ItemRef) -> StoreResult<Vec<ReportLine>> {
        let sql = format!("{LINE_SELECT} WHERE r.item_kind = ? AND r.item_id = ? ORDER BY r.id");
        let rows: Vec<LineSelect> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(item.kind())
            .bind(item.id())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().filter_map(line).collect())
    }

    async fn reports_of(
        &self,
        reporter_id: UserId,
        before: Option<ReportId>,
        limit: i64,
    ) -> StoreResult<Vec<ReportLine>> {
        let sql = format!("{LINE_SELECT} WHERE r.reporter_id = ? AND r.id < ? ORDER BY r.id DESC LIMIT ?");
        let rows: Vec<LineSelect> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(reporter_id)
            .bind(before.map_or(i64::MAX, |id| id.0))
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().filter_map(line).collect())
    }

    async fn report_of(&self, reporter_id: UserId, item: ItemRef) -> StoreResult<Option<ReportLine>> {
        let sql = format!("{LINE_SELECT} WHERE r.reporter_id = ? AND r.item_kind = ? AND r.item_id = ?");
        let row: Option<LineSelect> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(reporter_id)
            .bind(item.kind())
            .bind(item.id())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(row.and_then(line))
    }
}
