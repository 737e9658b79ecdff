//! The write side: a transaction over the normalised tables of the ERD.

use super::{Dialect, SqlDatabase, db_err};
use crate::domain::{AccountState, Email, Event, Role, Timestamp, UserName};
use crate::ports::{CategoryRecord, NewUser, StoreError, StoreResult, UniqueField, UnitOfWork, UserRecord, WriteStore};
use anyhow::Context;
use async_trait::async_trait;
use sqlx::{Any, Transaction};

pub(super) struct SqlUnitOfWork {
    pub(super) tx: Transaction<'static, Any>,
    pub(super) dialect: Dialect,
    /// The events recorded so far, handed back by `commit`.
    recorded: Vec<Event>,
    /// Held until the transaction ends (fields drop in order: the transaction first).
    _writer_turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

#[async_trait]
impl WriteStore for SqlDatabase {
    async fn begin(&self) -> StoreResult<Box<dyn UnitOfWork>> {
        let turn = self.writer_turn().await;
        let tx = self.pool.begin_with(self.dialect.begin_write()).await.map_err(db_err)?;
        Ok(Box::new(SqlUnitOfWork { tx, dialect: self.dialect, recorded: Vec::new(), _writer_turn: turn }))
    }
}

/// Turns a unique-index violation on a user's name or email into a conflict on that field.
fn user_conflict(error: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &error
        && db.is_unique_violation()
    {
        let message = db.message();
        if message.contains("name_key") {
            return StoreError::Conflict(UniqueField::UserName);
        }
        if message.contains("email_key") {
            return StoreError::Conflict(UniqueField::Email);
        }
    }
    db_err(error)
}

const USER_COLUMNS: &str = "SELECT u.id, u.name, u.email, u.password, u.role_id, \
    (SELECT us.state_id FROM user_state us WHERE us.user_id = u.id ORDER BY us.id DESC LIMIT 1), \
    (SELECT us.detail FROM user_state us WHERE us.user_id = u.id ORDER BY us.id DESC LIMIT 1) \
    FROM user u";

type UserTuple = (i64, Option<String>, Option<String>, Option<String>, Option<i64>, Option<i64>, Option<String>);

fn user_record(row: UserTuple) -> UserRecord {
    let (id, name, email, password_hash, role_id, state_id, state_detail) = row;
    UserRecord {
        id,
        name,
        email,
        password_hash,
        role: role_id.and_then(Role::from_id).unwrap_or(Role::Member),
        state: AccountState::from_id(state_id.unwrap_or(AccountState::Active.id())),
        state_detail,
    }
}

/// A user by id, through any executor: a write transaction or the pool.
pub(super) async fn fetch_user<'e, E>(executor: E, id: i64) -> StoreResult<Option<UserRecord>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let sql = sqlx::AssertSqlSafe(format!("{USER_COLUMNS} WHERE u.id = ?"));
    let row: Option<UserTuple> = sqlx::query_as(sql).bind(id).fetch_optional(executor).await.map_err(db_err)?;
    Ok(row.map(user_record))
}

/// A user by the folded form of their name or of their email.
pub(super) async fn fetch_user_by_login_key<'e, E>(executor: E, key: &str) -> StoreResult<Option<UserRecord>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let sql = sqlx::AssertSqlSafe(format!("{USER_COLUMNS} WHERE u.name_key = ? OR u.email_key = ?"));
    let row: Option<UserTuple> =
        sqlx::query_as(sql).bind(key).bind(key).fetch_optional(executor).await.map_err(db_err)?;
    Ok(row.map(user_record))
}

#[async_trait]
impl UnitOfWork for SqlUnitOfWork {
    async fn setting(&mut self, name: &str) -> StoreResult<Option<String>> {
        sqlx::query_scalar("SELECT value FROM forum_setting WHERE name = ?")
            .bind(name)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db_err)
    }

    async fn put_setting_if_absent(&mut self, name: &str, value: &str) -> StoreResult<bool> {
        let sql = match self.dialect {
            Dialect::Sqlite => "INSERT OR IGNORE INTO forum_setting (name, value) VALUES (?, ?)",
            Dialect::MariaDb => "INSERT IGNORE INTO forum_setting (name, value) VALUES (?, ?)",
        };
        let done = sqlx::query(sql).bind(name).bind(value).execute(&mut *self.tx).await.map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn count_users(&mut self) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM user").fetch_one(&mut *self.tx).await.map_err(db_err)
    }

    async fn insert_user(&mut self, user: &NewUser) -> StoreResult<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO user (name, name_key, password, email, email_key, created_datetime, role_id) \
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(user.name.as_str())
        .bind(user.name.key())
        .bind(user.password_hash)
        .bind(user.email.as_str())
        .bind(user.email.key())
        .bind(user.created.0)
        .bind(user.role.id())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(user_conflict)?;
        self.add_user_state(id, AccountState::Active, None, user.created).await?;
        Ok(id)
    }

    async fn user(&mut self, id: i64) -> StoreResult<Option<UserRecord>> {
        fetch_user(&mut *self.tx, id).await
    }

    async fn user_by_login_key(&mut self, key: &str) -> StoreResult<Option<UserRecord>> {
        fetch_user_by_login_key(&mut *self.tx, key).await
    }

    async fn update_user_profile(&mut self, id: i64, name: &UserName, email: &Email) -> StoreResult<()> {
        sqlx::query("UPDATE user SET name = ?, name_key = ?, email = ?, email_key = ? WHERE id = ?")
            .bind(name.as_str())
            .bind(name.key())
            .bind(email.as_str())
            .bind(email.key())
            .bind(id)
            .execute(&mut *self.tx)
            .await
            .map_err(user_conflict)?;
        Ok(())
    }

    async fn update_user_password(&mut self, id: i64, password_hash: &str) -> StoreResult<()> {
        sqlx::query("UPDATE user SET password = ? WHERE id = ?")
            .bind(password_hash)
            .bind(id)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn set_user_role(&mut self, id: i64, role: Role) -> StoreResult<()> {
        sqlx::query("UPDATE user SET role_id = ? WHERE id = ?")
            .bind(role.id())
            .bind(id)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn erase_user(&mut self, id: i64) -> StoreResult<()> {
        sqlx::query(
            "UPDATE user SET name = NULL, name_key = NULL, email = NULL, email_key = NULL, \
             password = NULL WHERE id = ?",
        )
        .bind(id)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn add_user_state(
        &mut self,
        id: i64,
        state: AccountState,
        detail: Option<&str>,
        at: Timestamp,
    ) -> StoreResult<()> {
        sqlx::query("INSERT INTO user_state (user_id, state_id, detail, created_datetime) VALUES (?, ?, ?, ?)")
            .bind(id)
            .bind(state.id())
            .bind(detail)
            .bind(at.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn insert_login(&mut self, user_id: i64, at: Timestamp) -> StoreResult<i64> {
        sqlx::query_scalar("INSERT INTO logged_in (user_id, created_datetime) VALUES (?, ?) RETURNING id")
            .bind(user_id)
            .bind(at.0)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db_err)
    }

    async fn end_login(&mut self, login_id: i64, at: Timestamp) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE logged_in SET ended_datetime = ? WHERE id = ? AND ended_datetime IS NULL")
            .bind(at.0)
            .bind(login_id)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn end_logins_of_user(&mut self, user_id: i64, keep: Option<i64>, at: Timestamp) -> StoreResult<Vec<i64>> {
        let keep = keep.unwrap_or(0);
        let open: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM logged_in WHERE user_id = ? AND ended_datetime IS NULL AND id <> ?")
                .bind(user_id)
                .bind(keep)
                .fetch_all(&mut *self.tx)
                .await
                .map_err(db_err)?;
        sqlx::query("UPDATE logged_in SET ended_datetime = ? WHERE user_id = ? AND ended_datetime IS NULL AND id <> ?")
            .bind(at.0)
            .bind(user_id)
            .bind(keep)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(open)
    }

    async fn category(&mut self, id: i64) -> StoreResult<Option<CategoryRecord>> {
        let row: Option<(i64, i64, String, Option<i64>)> =
            sqlx::query_as("SELECT id, tier, name, parent_id FROM category WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *self.tx)
                .await
                .map_err(db_err)?;
        Ok(row.map(|(id, tier, name, parent_id)| CategoryRecord { id, tier, name, parent_id }))
    }

    async fn insert_category(&mut self, tier: i64, name: &str, parent_id: Option<i64>) -> StoreResult<i64> {
        sqlx::query_scalar("INSERT INTO category (tier, name, parent_id) VALUES (?, ?, ?) RETURNING id")
            .bind(tier)
            .bind(name)
            .bind(parent_id)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(db_err)
    }

    async fn rename_category(&mut self, id: i64, name: &str) -> StoreResult<()> {
        sqlx::query("UPDATE category SET name = ? WHERE id = ?")
            .bind(name)
            .bind(id)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn record(&mut self, event: &Event) -> StoreResult<()> {
        let payload = serde_json::to_string(event).context("encoding an event")?;
        sqlx::query("INSERT INTO event (created_datetime, payload) VALUES (?, ?)")
            .bind(Timestamp::now().0)
            .bind(payload)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        self.recorded.push(event.clone());
        Ok(())
    }

    async fn commit(self: Box<Self>) -> StoreResult<Vec<Event>> {
        let this = *self;
        this.tx.commit().await.map_err(db_err)?;
        Ok(this.recorded)
    }
}
