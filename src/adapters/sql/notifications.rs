//! The notification tables, written in a command's transaction and read by the pages and the
//! digest. Plain tables of the write model: the list and the count read them directly by an
//! index on (user, …), so there is no read-model copy to keep in step.

use super::writes::SqlUnitOfWork;
use super::{SqlDatabase, db_err};
use crate::domain::notifications::{MailMode, NotificationKind};
use crate::domain::{CommentId, NotificationId, PostId, Timestamp, UserId};
use crate::ports::{
    DigestBatch, MailTarget, NewNotification, NotificationReads, NotificationRow, NotificationWrites, StoreResult,
};
use async_trait::async_trait;

/// What the list shows of one notification, with the actor's name and the post's title.
const ROW_SELECT: &str = "SELECT n.id, n.kind, u.name AS actor_name, n.post_id, COALESCE(p.title, '') AS post_title, \
     n.comment_id, n.created_datetime, n.read_datetime FROM notification n \
     LEFT JOIN user u ON u.id = n.actor_id LEFT JOIN rm_post p ON p.post_id = n.post_id";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    actor_name: Option<String>,
    post_id: i64,
    post_title: String,
    comment_id: Option<i64>,
    created_datetime: i64,
    read_datetime: Option<i64>,
}

impl Row {
    fn into_row(self) -> Option<NotificationRow> {
        Some(NotificationRow {
            id: NotificationId(self.id),
            kind: NotificationKind::parse(&self.kind)?,
            actor_name: self.actor_name,
            post_id: PostId(self.post_id),
            post_title: self.post_title,
            comment_id: self.comment_id.map(CommentId),
            created: Timestamp(self.created_datetime),
            read: self.read_datetime.is_some(),
        })
    }
}

#[derive(sqlx::FromRow)]
struct TargetRow {
    email: Option<String>,
    language: Option<String>,
    email_verified_datetime: Option<i64>,
}

fn target(row: Option<TargetRow>) -> Option<MailTarget> {
    let row = row?;
    row.email_verified_datetime?;
    Some(MailTarget { email: row.email?, language: row.language })
}

fn marks(count: usize) -> String {
    vec!["?"; count].join(", ")
}

#[async_trait]
impl NotificationWrites for SqlUnitOfWork {
    async fn insert_notification(&mut self, n: &NewNotification) -> StoreResult<NotificationId> {
        let insert = sqlx::query_scalar(
            "INSERT INTO notification (user_id, kind, actor_id, post_id, comment_id, created_datetime) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        );
        let id: i64 = insert
            .bind(n.recipient)
            .bind(n.kind.code())
            .bind(n.actor)
            .bind(n.post_id)
            .bind(n.comment_id)
            .bind(n.at.0)
            .fetch_one(self.conn())
            .await
            .map_err(db_err)?;
        Ok(NotificationId(id))
    }

    async fn thread_commenters(&mut self, post_id: PostId) -> StoreResult<Vec<UserId>> {
        sqlx::query_scalar("SELECT DISTINCT user_id FROM comment WHERE post_id = ? AND is_active = 1 ORDER BY user_id")
            .bind(post_id)
            .fetch_all(self.conn())
            .await
            .map_err(db_err)
    }

    async fn thread_muters(&mut self, post_id: PostId) -> StoreResult<Vec<UserId>> {
        sqlx::query_scalar("SELECT user_id FROM notification_mute WHERE post_id = ?")
            .bind(post_id)
            .fetch_all(self.conn())
            .await
            .map_err(db_err)
    }

    async fn users_by_name_keys(&mut self, keys: &[String]) -> StoreResult<Vec<UserId>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let sql = sqlx::AssertSqlSafe(format!("SELECT id FROM user WHERE name_key IN ({})", marks(keys.len())));
        let mut query = sqlx::query_scalar(sql);
        for key in keys {
            query = query.bind(key.as_str());
        }
        query.fetch_all(self.conn()).await.map_err(db_err)
    }

    async fn mail_target(&mut self, user_id: UserId) -> StoreResult<Option<MailTarget>> {
        let row: Option<TargetRow> =
            sqlx::query_as("SELECT email, language, email_verified_datetime FROM user WHERE id = ?")
                .bind(user_id)
                .fetch_optional(self.conn())
                .await
                .map_err(db_err)?;
        Ok(target(row))
    }

    async fn mail_mode(&mut self, user_id: UserId, kind: NotificationKind) -> StoreResult<Option<MailMode>> {
        let mode: Option<String> =
            sqlx::query_scalar("SELECT mode FROM notification_mail WHERE user_id = ? AND kind = ?")
                .bind(user_id)
                .bind(kind.code())
                .fetch_optional(self.conn())
                .await
                .map_err(db_err)?;
        Ok(mode.as_deref().and_then(MailMode::parse))
    }

    async fn set_mail_mode(
        &mut self,
        user_id: UserId,
        kind: NotificationKind,
        mode: Option<MailMode>,
    ) -> StoreResult<()> {
        let delete = sqlx::query("DELETE FROM notification_mail WHERE user_id = ? AND kind = ?");
        delete.bind(user_id).bind(kind.code()).execute(self.conn()).await.map_err(db_err)?;
        if let Some(mode) = mode {
            let insert = sqlx::query("INSERT INTO notification_mail (user_id, kind, mode) VALUES (?, ?, ?)");
            insert.bind(user_id).bind(kind.code()).bind(mode.code()).execute(self.conn()).await.map_err(db_err)?;
        }
        Ok(())
    }

    async fn open_notification(
        &mut self,
        user_id: UserId,
        id: NotificationId,
        at: Timestamp,
    ) -> StoreResult<Option<(PostId, Option<CommentId>, bool)>> {
        let found: Option<(i64, Option<i64>, Option<i64>)> =
            sqlx::query_as("SELECT post_id, comment_id, read_datetime FROM notification WHERE id = ? AND user_id = ?")
                .bind(id)
                .bind(user_id)
                .fetch_optional(self.conn())
                .await
                .map_err(db_err)?;
        let Some((post_id, comment_id, read)) = found else { return Ok(None) };
        if read.is_none() {
            let update = sqlx::query("UPDATE notification SET read_datetime = ? WHERE id = ?");
            update.bind(at.0).bind(id).execute(self.conn()).await.map_err(db_err)?;
        }
        Ok(Some((PostId(post_id), comment_id.map(CommentId), read.is_none())))
    }

    async fn read_all_notifications(&mut self, user_id: UserId, at: Timestamp) -> StoreResult<u64> {
        let update =
            sqlx::query("UPDATE notification SET read_datetime = ? WHERE user_id = ? AND read_datetime IS NULL");
        Ok(update.bind(at.0).bind(user_id).execute(self.conn()).await.map_err(db_err)?.rows_affected())
    }

    async fn mark_notification_mailed(&mut self, id: NotificationId, at: Timestamp) -> StoreResult<()> {
        let update = sqlx::query("UPDATE notification SET mailed_datetime = ? WHERE id = ?");
        update.bind(at.0).bind(id).execute(self.conn()).await.map_err(db_err)?;
        Ok(())
    }

    async fn set_thread_muted(&mut self, user_id: UserId, post_id: PostId, muted: bool) -> StoreResult<()> {
        let delete = sqlx::query("DELETE FROM notification_mute WHERE user_id = ? AND post_id = ?");
        delete.bind(user_id).bind(post_id).execute(self.conn()).await.map_err(db_err)?;
        if muted {
            let insert = sqlx::query("INSERT INTO notification_mute (user_id, post_id) VALUES (?, ?)");
            insert.bind(user_id).bind(post_id).execute(self.conn()).await.map_err(db_err)?;
        }
        Ok(())
    }

    async fn claim_digest_period(&mut self, period: i64, at: Timestamp) -> StoreResult<bool> {
        let insert = self.dialect().insert_or_ignore();
        let sql = sqlx::AssertSqlSafe(format!(
            "{insert} INTO notification_digest_run (period, created_datetime) VALUES (?, ?)"
        ));
        let claimed = sqlx::query(sql).bind(period).bind(at.0).execute(self.conn()).await.map_err(db_err)?;
        Ok(claimed.rows_affected() > 0)
    }

    async fn digest_batches(&mut self) -> StoreResult<Vec<DigestBatch>> {
        let select = sqlx::AssertSqlSafe(
            "SELECT n.user_id AS recipient, n.id, n.kind, u.name AS actor_name, n.post_id, \
             COALESCE(p.title, '') AS post_title, n.comment_id, n.created_datetime, n.read_datetime \
             FROM notification n JOIN notification_mail m ON m.user_id = n.user_id AND m.kind = n.kind \
             LEFT JOIN user u ON u.id = n.actor_id LEFT JOIN rm_post p ON p.post_id = n.post_id \
             WHERE m.mode = 'digest' AND n.read_datetime IS NULL AND n.mailed_datetime IS NULL \
             ORDER BY n.user_id, n.id LIMIT 5000",
        );
        let rows: Vec<DigestRow> = sqlx::query_as(select).fetch_all(self.conn()).await.map_err(db_err)?;
        let mut batches: Vec<DigestBatch> = Vec::new();
        for DigestRow { recipient, row } in rows {
            let user_id = UserId(recipient);
            if batches.last().is_none_or(|b| b.user_id != user_id) {
                let Some(target) = self.mail_target(user_id).await? else { continue };
                batches.push(DigestBatch { user_id, target, entries: Vec::new() });
            }
            if let (Some(batch), Some(entry)) = (batches.last_mut(), row.into_row())
                && batch.user_id == user_id
            {
                batch.entries.push(entry);
            }
        }
        Ok(batches)
    }
}

#[derive(sqlx::FromRow)]
struct DigestRow {
    recipient: i64,
    #[sqlx(flatten)]
    row: Row,
}

#[async_trait]
impl NotificationReads for SqlDatabase {
    async fn unread_notifications(&self, user_id: UserId) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM notification WHERE user_id = ? AND read_datetime IS NULL")
            .bind(user_id)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)
    }

    async fn notifications_page(
        &self,
        user_id: UserId,
        before: Option<NotificationId>,
        limit: i64,
    ) -> StoreResult<Vec<NotificationRow>> {
        let sql =
            sqlx::AssertSqlSafe(format!("{ROW_SELECT} WHERE n.user_id = ? AND n.id < ? ORDER BY n.id DESC LIMIT ?"));
        let rows: Vec<Row> = sqlx::query_as(sql)
            .bind(user_id)
            .bind(before.map_or(i64::MAX, |id| id.0))
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().filter_map(Row::into_row).collect())
    }

    async fn thread_muted(&self, user_id: UserId, post_id: PostId) -> StoreResult<bool> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM notification_mute WHERE user_id = ? AND post_id = ?")
                .bind(user_id)
                .bind(post_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(db_err)?;
        Ok(found.is_some())
    }

    async fn mail_modes(&self, user_id: UserId) -> StoreResult<Vec<(NotificationKind, MailMode)>> {
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT kind, mode FROM notification_mail WHERE user_id = ?")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|(kind, mode)| Some((NotificationKind::parse(&kind)?, MailMode::parse(&mode)?)))
            .collect())
    }

    async fn mail_verified(&self, user_id: UserId) -> StoreResult<bool> {
        let verified: Option<Option<i64>> = sqlx::query_scalar("SELECT email_verified_datetime FROM user WHERE id = ?")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(verified.flatten().is_some())
    }
}
