//! The mail outbox as the worker and the admin page use it (`crate::ports::MailOutbox`). Each
//! step is a statement of its own, outside any command's transaction: a claim is one
//! conditional UPDATE, so two workers (two instances, or one restarted) never both hold a row.

use super::{SqlDatabase, db_err};
use crate::domain::Timestamp;
use crate::ports::{ClaimedMail, FailedMail, MailCounts, MailOutbox, NewMail, StoreResult};
use async_trait::async_trait;

/// A row as the worker reads it.
#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: i64,
    recipient: String,
    subject: String,
    body_text: String,
    body_html: String,
    created_datetime: i64,
    attempts: i64,
    list_unsubscribe: Option<String>,
}

#[derive(sqlx::FromRow)]
struct FailedRow {
    id: i64,
    recipient: String,
    subject: String,
    attempts: i64,
    failed_datetime: i64,
    last_error: Option<String>,
}

/// The rows the worker may try now: not sent, not given up, due, and no live lease.
const DUE: &str = "sent_datetime IS NULL AND failed_datetime IS NULL AND due_datetime <= ? AND lease_until <= ?";

#[async_trait]
impl MailOutbox for SqlDatabase {
    async fn claim_due_mail(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<ClaimedMail>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT id FROM mail_outbox WHERE {DUE} ORDER BY due_datetime LIMIT ?"));
        let candidates: Vec<i64> =
            sqlx::query_scalar(sql).bind(now.0).bind(now.0).bind(limit).fetch_all(&self.pool).await.map_err(db_err)?;
        let mut claimed = Vec::new();
        for id in candidates {
            // The same condition again, on the row: of several claimers only one changes it.
            let sql = sqlx::AssertSqlSafe(format!(
                "UPDATE mail_outbox SET lease_until = ?, attempts = attempts + 1 WHERE id = ? AND {DUE}"
            ));
            let update = sqlx::query(sql).bind(lease_until.0).bind(id).bind(now.0).bind(now.0);
            if update.execute(&self.pool).await.map_err(db_err)?.rows_affected() == 0 {
                continue;
            }
            let row: OutboxRow = sqlx::query_as(
                "SELECT id, recipient, subject, body_text, body_html, created_datetime, attempts, list_unsubscribe \
                 FROM mail_outbox WHERE id = ?",
            )
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
            claimed.push(ClaimedMail {
                id: row.id,
                created: Timestamp(row.created_datetime),
                attempts: row.attempts,
                mail: NewMail { to: row.recipient, subject: row.subject, text: row.body_text, html: row.body_html },
                list_unsubscribe: row.list_unsubscribe,
            });
        }
        Ok(claimed)
    }

    async fn mark_mail_sent(&self, id: i64, at: Timestamp) -> StoreResult<()> {
        let update = sqlx::query("UPDATE mail_outbox SET sent_datetime = ?, last_error = NULL WHERE id = ?");
        update.bind(at.0).bind(id).execute(&self.pool).await.map_err(db_err)?;
        Ok(())
    }

    async fn retry_mail_at(&self, id: i64, due: Timestamp, error: &str) -> StoreResult<()> {
        let update =
            sqlx::query("UPDATE mail_outbox SET due_datetime = ?, lease_until = 0, last_error = ? WHERE id = ?");
        update.bind(due.0).bind(error).bind(id).execute(&self.pool).await.map_err(db_err)?;
        Ok(())
    }

    async fn mark_mail_failed(&self, id: i64, at: Timestamp, error: &str) -> StoreResult<()> {
        let update =
            sqlx::query("UPDATE mail_outbox SET failed_datetime = ?, lease_until = 0, last_error = ? WHERE id = ?");
        update.bind(at.0).bind(error).bind(id).execute(&self.pool).await.map_err(db_err)?;
        Ok(())
    }

    async fn mail_committed(&self) {
        self.mail_committed.notified().await;
    }

    async fn failed_mail(&self) -> StoreResult<Vec<FailedMail>> {
        let rows: Vec<FailedRow> = sqlx::query_as(
            "SELECT id, recipient, subject, attempts, failed_datetime, last_error FROM mail_outbox \
             WHERE failed_datetime IS NOT NULL AND sent_datetime IS NULL ORDER BY failed_datetime DESC LIMIT 200",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|row| FailedMail {
                id: row.id,
                to: row.recipient,
                subject: row.subject,
                attempts: row.attempts,
                failed: Timestamp(row.failed_datetime),
                last_error: row.last_error,
            })
            .collect())
    }

    async fn resend_mail(&self, id: i64, now: Timestamp) -> StoreResult<bool> {
        let update = sqlx::query(
            "UPDATE mail_outbox SET failed_datetime = NULL, attempts = 0, due_datetime = ?, lease_until = 0 \
             WHERE id = ? AND failed_datetime IS NOT NULL AND sent_datetime IS NULL",
        );
        Ok(update.bind(now.0).bind(id).execute(&self.pool).await.map_err(db_err)?.rows_affected() > 0)
    }

    async fn mail_counts(&self) -> StoreResult<MailCounts> {
        let (pending, sent, failed): (i64, i64, i64) = sqlx::query_as(
            // COUNT(*) is a BIGINT in both databases (a SUM would be a DECIMAL in MariaDB).
            "SELECT \
             (SELECT COUNT(*) FROM mail_outbox WHERE sent_datetime IS NULL AND failed_datetime IS NULL), \
             (SELECT COUNT(*) FROM mail_outbox WHERE sent_datetime IS NOT NULL), \
             (SELECT COUNT(*) FROM mail_outbox WHERE sent_datetime IS NULL AND failed_datetime IS NOT NULL)",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(MailCounts { pending, sent, failed })
    }
}
