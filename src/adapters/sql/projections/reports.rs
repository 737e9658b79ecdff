//! The open-report projection: `rm_open_report`, one row per item with open reports (their
//! number, the newest one's time, the reasons given), which the moderator queue pages through.

use crate::domain::report::{ItemRef, ReportReason};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// Every open report with its item's board, from the write tables: for the refresh, the
/// rebuild and the check.
const OPEN_REPORT_SOURCES: &str = "SELECT r.item_kind, r.item_id, r.reason, r.created_datetime, \
     COALESCE(c.parent_id, c.id) AS board_id \
     FROM report r \
     LEFT JOIN comment cm ON r.item_kind = 'comment' AND cm.id = r.item_id \
     JOIN post p ON p.id = CASE WHEN r.item_kind = 'post' THEN r.item_id ELSE cm.post_id END \
     JOIN category c ON c.id = p.category_id \
     WHERE r.resolution_id IS NULL";

/// One row of `rm_open_report`, keyed by (item kind, item id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct OpenReports {
    pub board_id: i64,
    pub report_count: i64,
    pub newest: i64,
    pub reasons: String,
}

/// An item as the table keys it: (kind, id).
type ItemKey = (String, i64);

pub(super) type OpenReportTable = BTreeMap<ItemKey, OpenReports>;

/// The reasons given, each once, in the fixed order of the form.
fn reason_list(given: &[String]) -> String {
    let codes: Vec<&str> = ReportReason::ALL
        .into_iter()
        .map(ReportReason::code)
        .filter(|code| given.iter().any(|reason| reason == code))
        .collect();
    codes.join(",")
}

/// The rows the write tables call for (of one item, or of all).
pub(super) async fn expected_open_reports(
    conn: &mut AnyConnection,
    item: Option<ItemRef>,
) -> sqlx::Result<OpenReportTable> {
    let rows: Vec<(String, i64, String, i64, i64)> = match item {
        Some(item) => {
            let sql = format!("{OPEN_REPORT_SOURCES} AND r.item_kind = ? AND r.item_id = ?");
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(item.kind()).bind(item.id()).fetch_all(&mut *conn).await?
        }
        None => sqlx::query_as(OPEN_REPORT_SOURCES).fetch_all(&mut *conn).await?,
    };
    let mut grouped: BTreeMap<ItemKey, (OpenReports, Vec<String>)> = BTreeMap::new();
    for (kind, id, reason, created, board_id) in rows {
        let empty = OpenReports { board_id, report_count: 0, newest: created, reasons: String::new() };
        let (row, reasons) = grouped.entry((kind, id)).or_insert((empty, Vec::new()));
        row.report_count += 1;
        row.newest = row.newest.max(created);
        reasons.push(reason);
    }
    Ok(grouped
        .into_iter()
        .map(|(key, (row, reasons))| (key, OpenReports { reasons: reason_list(&reasons), ..row }))
        .collect())
}

/// The rows as stored.
pub(super) async fn stored_open_reports(conn: &mut AnyConnection) -> sqlx::Result<OpenReportTable> {
    let rows: Vec<(String, i64, i64, i64, i64, String)> = sqlx::query_as(
        "SELECT item_kind, item_id, board_id, report_count, newest_datetime, reasons FROM rm_open_report",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, id, board_id, report_count, newest, reasons)| {
            ((kind, id), OpenReports { board_id, report_count, newest, reasons })
        })
        .collect())
}

async fn store(conn: &mut AnyConnection, rows: OpenReportTable) -> sqlx::Result<()> {
    for ((kind, id), row) in rows {
        sqlx::query(
            "INSERT INTO rm_open_report (item_kind, item_id, board_id, report_count, newest_datetime, reasons) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(kind)
        .bind(id)
        .bind(row.board_id)
        .bind(row.report_count)
        .bind(row.newest)
        .bind(row.reasons)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// An item's row, made to match its open reports (there, changed, or gone).
/// A moved post's open reports, and its comments', are listed under its new board.
pub(super) async fn move_open_reports(conn: &mut AnyConnection, post: &crate::domain::PostRef) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE rm_open_report SET board_id = ? WHERE (item_kind = 'post' AND item_id = ?) \
         OR (item_kind = 'comment' AND item_id IN (SELECT id FROM comment WHERE post_id = ?))",
    )
    .bind(post.board_id)
    .bind(post.post_id)
    .bind(post.post_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(super) async fn refresh_open_report(conn: &mut AnyConnection, item: ItemRef) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rm_open_report WHERE item_kind = ? AND item_id = ?")
        .bind(item.kind())
        .bind(item.id())
        .execute(&mut *conn)
        .await?;
    let rows = expected_open_reports(conn, Some(item)).await?;
    store(conn, rows).await
}

/// The whole table, rewritten from the write tables.
pub(super) async fn refill_open_reports(conn: &mut AnyConnection) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rm_open_report").execute(&mut *conn).await?;
    let rows = expected_open_reports(conn, None).await?;
    store(conn, rows).await
}

impl super::super::SqlDatabase {
    /// Open reports: the stored rows and those the write tables call for.
    pub(super) async fn check_open_reports(&self, out: &mut Vec<String>) -> crate::ports::StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(super::super::db_err)?;
        let stored = stored_open_reports(&mut conn).await.map_err(super::super::db_err)?;
        let expected = expected_open_reports(&mut conn, None).await.map_err(super::super::db_err)?;
        for ((kind, id), want) in &expected {
            match stored.get(&(kind.clone(), *id)) {
                None => out.push(format!("rm_open_report {kind}-{id}: missing, expected {want:?}")),
                Some(got) if got != want => {
                    out.push(format!("rm_open_report {kind}-{id}: is {got:?}, expected {want:?}"))
                }
                Some(_) => {}
            }
        }
        for (kind, id) in stored.keys().filter(|key| !expected.contains_key(*key)) {
            out.push(format!("rm_open_report {kind}-{id}: unexpected row"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_listed_once_in_the_forms_order() {
        let given = ["other", "spam", "other", "abuse"].map(String::from);
        assert_eq!(reason_list(&given), "spam,abuse,other");
        assert_eq!(reason_list(&[]), "");
    }
}
