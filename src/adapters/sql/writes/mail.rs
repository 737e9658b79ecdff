//! The mail outbox as a command writes it: the row commits with the command, or not at all.

use super::super::db_err;
use super::SqlUnitOfWork;
use crate::domain::Timestamp;
use crate::ports::{MailWrites, NewMail, StoreResult};
use async_trait::async_trait;

#[async_trait]
impl MailWrites for SqlUnitOfWork {
    async fn enqueue_mail(&mut self, mail: &NewMail, at: Timestamp) -> StoreResult<i64> {
        self.enqueue(mail, None, at).await
    }

    async fn enqueue_list_mail(&mut self, mail: &NewMail, list_unsubscribe: &str, at: Timestamp) -> StoreResult<i64> {
        self.enqueue(mail, Some(list_unsubscribe), at).await
    }
}

impl SqlUnitOfWork {
    async fn enqueue(&mut self, mail: &NewMail, list_unsubscribe: Option<&str>, at: Timestamp) -> StoreResult<i64> {
        let insert = sqlx::query_scalar(
            "INSERT INTO mail_outbox (recipient, subject, body_text, body_html, created_datetime, due_datetime, \
             list_unsubscribe) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        );
        insert
            .bind(mail.to.as_str())
            .bind(mail.subject.as_str())
            .bind(mail.text.as_str())
            .bind(mail.html.as_str())
            .bind(at.0)
            .bind(at.0)
            .bind(list_unsubscribe)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db_err)
            .inspect(|_| self.mail_written = true)
    }
}
