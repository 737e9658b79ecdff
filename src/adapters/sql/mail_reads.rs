//! What pages read about mail (`crate::ports::MailReads`): plain reads on the pool.

use super::{SqlDatabase, db_err};
use crate::domain::{Timestamp, UserId};
use crate::ports::{MailReads, StoreResult, TokenPurpose};
use async_trait::async_trait;

#[derive(sqlx::FromRow)]
struct AddressRow {
    email: Option<String>,
    email_verified_datetime: Option<i64>,
}

#[async_trait]
impl MailReads for SqlDatabase {
    async fn address_of(&self, user_id: UserId) -> StoreResult<Option<(String, Option<Timestamp>)>> {
        let row: Option<AddressRow> = sqlx::query_as("SELECT email, email_verified_datetime FROM user WHERE id = ?")
            .bind(user_id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(row.and_then(|row| Some((row.email?, row.email_verified_datetime.map(Timestamp)))))
    }

    async fn token_usable(&self, hash: &str, purpose: TokenPurpose, now: Timestamp) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT user_id FROM mail_token \
             WHERE token_hash = ? AND purpose = ? AND used_datetime IS NULL AND expires_datetime > ?",
        )
        .bind(hash)
        .bind(purpose.name())
        .bind(now.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(found.is_some())
    }
}
