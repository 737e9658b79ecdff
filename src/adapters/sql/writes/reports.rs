//! Writes of reports: a member's report, and a moderator's resolution of an item's open ones.

use super::super::db_err;
use super::{SqlUnitOfWork, run};
use crate::domain::report::ItemRef;
use crate::domain::{ReportId, UserId};
use crate::ports::{NewReport, NewResolution, ReportWrites, StoreResult};
use async_trait::async_trait;

#[async_trait]
impl ReportWrites for SqlUnitOfWork {
    async fn report_by(&mut self, reporter_id: UserId, item: ItemRef) -> StoreResult<Option<ReportId>> {
        sqlx::query_scalar("SELECT id FROM report WHERE reporter_id = ? AND item_kind = ? AND item_id = ?")
            .bind(reporter_id)
            .bind(item.kind())
            .bind(item.id())
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db_err)
    }

    async fn insert_report(&mut self, report: &NewReport<'_>) -> StoreResult<ReportId> {
        sqlx::query_scalar(
            "INSERT INTO report (reporter_id, item_kind, item_id, reason, details, created_datetime) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(report.reporter_id)
        .bind(report.item.kind())
        .bind(report.item.id())
        .bind(report.reason.code())
        .bind(report.details)
        .bind(report.created.0)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    async fn resolve_reports(&mut self, resolution: &NewResolution<'_>) -> StoreResult<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO report_resolution (item_kind, item_id, moderator_id, action, note, created_datetime) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(resolution.item.kind())
        .bind(resolution.item.id())
        .bind(resolution.moderator_id)
        .bind(resolution.action.code())
        .bind(resolution.note)
        .bind(resolution.created.0)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)?;
        let update = sqlx::query(
            "UPDATE report SET resolution_id = ? WHERE item_kind = ? AND item_id = ? AND resolution_id IS NULL",
        );
        let marked = run(&mut self.tx, update.bind(id).bind(resolution.item.kind()).bind(resolution.item.id())).await?;
        Ok(marked as i64)
    }
}
