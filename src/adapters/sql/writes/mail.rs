//! The outbox and the mail links as a command writes them, in its own transaction: the rows
//! commit with the command, or not at all.

use super::{SqlUnitOfWork, run};
use crate::adapters::sql::db_err;
use crate::domain::{AccountState, Timestamp, UserId};
use crate::ports::{MailRecipient, MailWrites, NewMail, NewMailToken, StoreResult, TakenToken, TokenPurpose};
use async_trait::async_trait;

#[derive(sqlx::FromRow)]
struct MailColumns {
    email_verified_datetime: Option<i64>,
    language: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    user_id: i64,
    email: Option<String>,
}

/// A token that is good at a time: of its purpose, not used, not expired.
const GOOD: &str = "token_hash = ? AND purpose = ? AND used_datetime IS NULL AND expires_datetime > ?";

#[async_trait]
impl MailWrites for SqlUnitOfWork {
    async fn enqueue_mail(&mut self, mail: &NewMail, at: Timestamp) -> StoreResult<i64> {
        self.enqueue(mail, None, at).await
    }

    async fn enqueue_list_mail(&mut self, mail: &NewMail, list_unsubscribe: &str, at: Timestamp) -> StoreResult<i64> {
        self.enqueue(mail, Some(list_unsubscribe), at).await
    }

    async fn mail_recipient(&mut self, user_id: UserId) -> StoreResult<Option<MailRecipient>> {
        // Both reads run for a user who does not exist too: a reset request for an unknown
        // name does the same work as one for a real account.
        let columns: Option<MailColumns> =
            sqlx::query_as("SELECT email_verified_datetime, language FROM user WHERE id = ?")
                .bind(user_id.0)
                .fetch_optional(&mut *self.tx)
                .await
                .map_err(db_err)?;
        let user = crate::adapters::sql::reads::fetch_user(&mut *self.tx, user_id).await?;
        let (Some(columns), Some(user)) = (columns, user) else { return Ok(None) };
        let (Some(name), Some(email)) = (user.name, user.email) else { return Ok(None) };
        Ok(Some(MailRecipient {
            user_id,
            name,
            email,
            verified: columns.email_verified_datetime.map(Timestamp),
            language: columns.language,
            active: user.state == AccountState::Active,
        }))
    }

    async fn insert_mail_token(&mut self, token: &NewMailToken<'_>) -> StoreResult<()> {
        let insert = sqlx::query(
            "INSERT INTO mail_token (token_hash, purpose, user_id, email, created_datetime, expires_datetime) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(token.hash)
        .bind(token.purpose.name())
        .bind(token.user_id.0)
        .bind(token.email)
        .bind(token.created.0)
        .bind(token.expires.0);
        run(&mut self.tx, insert).await?;
        Ok(())
    }

    async fn peek_mail_token(
        &mut self,
        hash: &str,
        purpose: TokenPurpose,
        now: Timestamp,
    ) -> StoreResult<Option<TakenToken>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT user_id, email FROM mail_token WHERE {GOOD}"));
        let row: Option<TokenRow> = sqlx::query_as(sql)
            .bind(hash)
            .bind(purpose.name())
            .bind(now.0)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(row.map(|row| TakenToken { user_id: UserId(row.user_id), email: row.email }))
    }

    async fn take_mail_token(
        &mut self,
        hash: &str,
        purpose: TokenPurpose,
        now: Timestamp,
    ) -> StoreResult<Option<TakenToken>> {
        let found = self.peek_mail_token(hash, purpose, now).await?;
        if found.is_none() {
            return Ok(None);
        }
        let sql = sqlx::AssertSqlSafe(format!("UPDATE mail_token SET used_datetime = ? WHERE {GOOD}"));
        let update = sqlx::query(sql).bind(now.0).bind(hash).bind(purpose.name()).bind(now.0);
        // The same condition again: of two requests with one link, one changes the row.
        Ok(if run(&mut self.tx, update).await? == 1 { found } else { None })
    }

    async fn mark_email_verified(&mut self, user_id: UserId, email: &str, at: Timestamp) -> StoreResult<bool> {
        let update = sqlx::query("UPDATE user SET email_verified_datetime = ? WHERE id = ? AND email = ?")
            .bind(at.0)
            .bind(user_id.0)
            .bind(email);
        Ok(run(&mut self.tx, update).await? == 1)
    }

    async fn mark_email_unverified(&mut self, user_id: UserId, at: Timestamp) -> StoreResult<()> {
        let update = sqlx::query("UPDATE user SET email_verified_datetime = NULL WHERE id = ?").bind(user_id.0);
        run(&mut self.tx, update).await?;
        let void = sqlx::query(
            "UPDATE mail_token SET used_datetime = ? WHERE user_id = ? AND purpose = ? AND used_datetime IS NULL",
        )
        .bind(at.0)
        .bind(user_id.0)
        .bind(TokenPurpose::VerifyEmail.name());
        run(&mut self.tx, void).await?;
        Ok(())
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
