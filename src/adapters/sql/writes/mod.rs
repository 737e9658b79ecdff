//! The write ports: one transaction over the normalised tables of the ERD per command.
//! Each method is one function of the file named after what it writes; settings, events and
//! the commit are here.

mod accounts;
mod categories;
mod comments;
mod guards;
mod mail;
mod moderation;
mod posts;
mod reports;
mod threads;

use super::ids::SqlId;
use super::{Dialect, SqlDatabase, db_err, reads};
use crate::domain::guards::{FormKey, KeyedForm};
use crate::domain::policy::Writing;
use crate::domain::{AccountState, Email, Event, Role, Timestamp, UserName};
use crate::domain::{CategoryId, CommentId, LoginId, PostId, UserId};
use crate::ports::{
    CategoryRecord, CommentRecord, ContentWrites, GuardWrites, InviteUse, KeyClaim, NewUser, PostRecord, StoreResult,
    UnitOfWork, UserRecord, WriteStore,
};
use anyhow::Context;
use async_trait::async_trait;
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyConnection, Transaction};
use std::sync::Arc;

/// A statement with its values bound.
type Statement<'q> = sqlx::query::Query<'q, Any, AnyArguments>;

/// Runs a statement in the transaction; how many rows it changed.
async fn run(conn: &mut AnyConnection, statement: Statement<'_>) -> StoreResult<u64> {
    Ok(statement.execute(conn).await.map_err(db_err)?.rows_affected())
}

pub(super) struct SqlUnitOfWork {
    tx: Transaction<'static, Any>,
    dialect: Dialect,
    /// The events recorded so far, handed back by `commit`.
    recorded: Vec<Event>,
    /// Set once the transaction writes to the mail outbox: its commit wakes the worker.
    mail_written: bool,
    mail_committed: Arc<tokio::sync::Notify>,
    /// Held until the transaction ends (fields drop in order: the transaction first).
    _writer_turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl SqlUnitOfWork {
    /// The transaction's connection, for the tables written outside this module.
    pub(in super::super) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    pub(in super::super) fn dialect(&self) -> Dialect {
        self.dialect
    }
}

impl SqlDatabase {
    /// This process's turn to write, on SQLite; MariaDB locks rows, not the database.
    pub(super) async fn writer_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match self.dialect {
            Dialect::Sqlite => Some(self.writer_turn.clone().lock_owned().await),
            Dialect::MariaDb => None,
        }
    }
}

#[async_trait]
impl WriteStore for SqlDatabase {
    async fn begin(&self) -> StoreResult<Box<dyn UnitOfWork>> {
        Ok(Box::new(self.begin_sql().await?))
    }

    async fn probe_write(&self) -> StoreResult<()> {
        let mut tx = self.begin_sql().await?;
        tx.put_setting_if_absent(READINESS_PROBE, "").await?;
        // The time changes the row, so the commit has a page to write.
        let update = sqlx::query("UPDATE forum_setting SET value = ? WHERE name = ?");
        run(&mut tx.tx, update.bind(Timestamp::now().0.to_string()).bind(READINESS_PROBE)).await?;
        Box::new(tx).commit().await?;
        Ok(())
    }

    async fn sweep_guards(&self, keys_before: Timestamp, days_before: i64) -> StoreResult<u64> {
        let mut tx = self.begin_sql().await?;
        let swept = guards::sweep(&mut tx.tx, keys_before, days_before).await?;
        Box::new(tx).commit().await?;
        Ok(swept)
    }
}

impl SqlDatabase {
    async fn begin_sql(&self) -> StoreResult<SqlUnitOfWork> {
        let turn = self.writer_turn().await;
        let tx = self.pool.begin_with(self.dialect.begin_write()).await.map_err(db_err)?;
        Ok(SqlUnitOfWork {
            tx,
            dialect: self.dialect,
            recorded: Vec::new(),
            mail_committed: self.mail_committed.clone(),
            mail_written: false,
            _writer_turn: turn,
        })
    }
}

/// The setting that the readiness check writes.
const READINESS_PROBE: &str = "readiness_probe";

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
        let insert = self.dialect.insert_or_ignore();
        let sql = sqlx::AssertSqlSafe(format!("{insert} INTO forum_setting (name, value) VALUES (?, ?)"));
        Ok(run(&mut self.tx, sqlx::query(sql).bind(name).bind(value)).await? > 0)
    }

    async fn put_setting(&mut self, name: &str, value: &str) -> StoreResult<()> {
        run(&mut self.tx, sqlx::query("DELETE FROM forum_setting WHERE name = ?").bind(name)).await?;
        let insert = sqlx::query("INSERT INTO forum_setting (name, value) VALUES (?, ?)");
        run(&mut self.tx, insert.bind(name).bind(value)).await?;
        Ok(())
    }

    async fn count_users(&mut self) -> StoreResult<i64> {
        accounts::count_users(&mut self.tx).await
    }

    async fn insert_user(&mut self, user: &NewUser) -> StoreResult<UserId> {
        accounts::insert_user(&mut self.tx, user).await
    }

    async fn user(&mut self, id: UserId) -> StoreResult<Option<UserRecord>> {
        reads::fetch_user(&mut *self.tx, id).await
    }

    async fn user_by_login_key(&mut self, key: &str) -> StoreResult<Option<UserRecord>> {
        reads::fetch_user_by_login_key(&mut *self.tx, key).await
    }

    async fn update_user_profile(&mut self, id: UserId, name: &UserName, email: &Email) -> StoreResult<()> {
        accounts::update_user_profile(&mut self.tx, id, name, email).await
    }

    async fn update_user_preferences(
        &mut self,
        id: UserId,
        language: Option<&str>,
        time_zone: Option<&str>,
    ) -> StoreResult<()> {
        accounts::update_user_preferences(&mut self.tx, id, language, time_zone).await
    }

    async fn update_user_password(&mut self, id: UserId, password_hash: &str) -> StoreResult<()> {
        accounts::update_user_password(&mut self.tx, id, password_hash).await
    }

    async fn set_user_role(&mut self, id: UserId, role: Role) -> StoreResult<()> {
        accounts::set_user_role(&mut self.tx, id, role).await
    }

    async fn erase_user(&mut self, id: UserId) -> StoreResult<()> {
        accounts::erase_user(&mut self.tx, id).await
    }

    async fn add_user_state(
        &mut self,
        id: UserId,
        state: AccountState,
        detail: Option<&str>,
        until: Option<Timestamp>,
        at: Timestamp,
    ) -> StoreResult<()> {
        accounts::add_user_state(&mut self.tx, id, state, detail, until, at).await
    }

    async fn insert_login(&mut self, user_id: UserId, at: Timestamp) -> StoreResult<LoginId> {
        accounts::insert_login(&mut self.tx, user_id, at).await
    }

    async fn end_login(&mut self, login_id: LoginId, at: Timestamp) -> StoreResult<bool> {
        accounts::end_login(&mut self.tx, login_id, at).await
    }

    async fn end_logins_of_user(
        &mut self,
        user_id: UserId,
        keep: Option<LoginId>,
        at: Timestamp,
    ) -> StoreResult<Vec<LoginId>> {
        accounts::end_logins_of_user(&mut self.tx, user_id, keep, at).await
    }

    async fn category(&mut self, id: CategoryId) -> StoreResult<Option<CategoryRecord>> {
        categories::category(&mut self.tx, id).await
    }

    async fn insert_category(
        &mut self,
        tier: i64,
        name: &str,
        parent_id: Option<CategoryId>,
    ) -> StoreResult<CategoryId> {
        categories::insert_category(&mut self.tx, tier, name, parent_id).await
    }

    async fn rename_category(&mut self, id: CategoryId, name: &str) -> StoreResult<()> {
        categories::rename_category(&mut self.tx, id, name).await
    }

    async fn record(&mut self, event: &Event) -> StoreResult<()> {
        let payload = serde_json::to_string(event).context("encoding an event")?;
        let insert = sqlx::query("INSERT INTO event (created_datetime, payload) VALUES (?, ?)");
        run(&mut self.tx, insert.bind(Timestamp::now().0).bind(payload)).await?;
        self.recorded.push(event.clone());
        Ok(())
    }

    async fn commit(self: Box<Self>) -> StoreResult<Vec<Event>> {
        let this = *self;
        this.tx.commit().await.map_err(db_err)?;
        if this.mail_written {
            this.mail_committed.notify_one();
        }
        Ok(this.recorded)
    }
}

#[async_trait]
impl ContentWrites for SqlUnitOfWork {
    async fn insert_post(&mut self, user_id: UserId, category_id: CategoryId, at: Timestamp) -> StoreResult<PostId> {
        posts::insert_post(&mut self.tx, user_id, category_id, at).await
    }

    async fn insert_post_content(
        &mut self,
        post_id: PostId,
        version: i64,
        title: &str,
        content: &str,
        at: Timestamp,
    ) -> StoreResult<()> {
        posts::insert_post_content(&mut self.tx, post_id, version, title, content, at).await
    }

    async fn post(&mut self, id: PostId) -> StoreResult<Option<PostRecord>> {
        posts::locked_post(&mut self.tx, self.dialect, id).await
    }

    async fn set_post_active(&mut self, id: PostId, active: bool) -> StoreResult<()> {
        posts::set_post_active(&mut self.tx, id, active).await
    }

    async fn toggle_post_vote(&mut self, user_id: UserId, post_id: PostId) -> StoreResult<bool> {
        posts::toggle_post_vote(&mut self.tx, user_id, post_id).await
    }

    async fn insert_comment(&mut self, user_id: UserId, post_id: PostId, at: Timestamp) -> StoreResult<CommentId> {
        comments::insert_comment(&mut self.tx, user_id, post_id, at).await
    }

    async fn insert_comment_content(
        &mut self,
        comment_id: CommentId,
        version: i64,
        content: &str,
        at: Timestamp,
    ) -> StoreResult<()> {
        comments::insert_comment_content(&mut self.tx, comment_id, version, content, at).await
    }

    async fn comment(&mut self, id: CommentId) -> StoreResult<Option<CommentRecord>> {
        comments::locked_comment(&mut self.tx, self.dialect, id).await
    }

    async fn set_comment_active(&mut self, id: CommentId, active: bool) -> StoreResult<()> {
        comments::set_comment_active(&mut self.tx, id, active).await
    }

    async fn toggle_comment_vote(&mut self, user_id: UserId, comment_id: CommentId) -> StoreResult<bool> {
        comments::toggle_comment_vote(&mut self.tx, user_id, comment_id).await
    }
}

#[async_trait]
impl GuardWrites for SqlUnitOfWork {
    async fn claim_form_key(
        &mut self,
        user_id: UserId,
        form: KeyedForm,
        key: &FormKey,
        at: Timestamp,
    ) -> StoreResult<KeyClaim> {
        guards::claim_form_key(&mut self.tx, self.dialect, user_id, form, key, at).await
    }

    async fn finish_form_key(
        &mut self,
        user_id: UserId,
        form: KeyedForm,
        key: &FormKey,
        created_id: i64,
    ) -> StoreResult<()> {
        guards::finish_form_key(&mut self.tx, user_id, form, key, created_id).await
    }

    async fn count_signup(&mut self, address_key: &str, day: i64, max: i64) -> StoreResult<bool> {
        guards::count_signup(&mut self.tx, self.dialect, address_key, day, max).await
    }

    async fn use_invite(&mut self, code: &str, user_id: UserId, at: Timestamp) -> StoreResult<InviteUse> {
        guards::use_invite(&mut self.tx, code, user_id, at).await
    }

    async fn insert_invite(&mut self, code: &str, created_by: UserId, at: Timestamp) -> StoreResult<()> {
        guards::insert_invite(&mut self.tx, code, created_by, at).await
    }

    async fn revoke_invite(&mut self, code: &str, at: Timestamp) -> StoreResult<bool> {
        guards::revoke_invite(&mut self.tx, code, at).await
    }

    async fn account_joined(&mut self, user_id: UserId) -> StoreResult<Option<Timestamp>> {
        guards::account_joined(&mut self.tx, user_id).await
    }

    async fn written_since(&mut self, user_id: UserId, writing: Writing, since: Timestamp) -> StoreResult<i64> {
        guards::written_since(&mut self.tx, user_id, writing, since).await
    }
}

/// One row by id, locked for the rest of the transaction: `select` ends where
/// [`Dialect::for_update`] goes.
async fn locked<T>(conn: &mut AnyConnection, dialect: Dialect, select: &str, id: impl SqlId) -> StoreResult<Option<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let sql = sqlx::AssertSqlSafe(format!("{select}{}", dialect.for_update()));
    sqlx::query_as(sql).bind(id).fetch_optional(conn).await.map_err(db_err)
}

/// Soft delete or restore: `update` sets is_active (bound first) of one row (bound second).
async fn set_active(conn: &mut AnyConnection, update: &'static str, id: impl SqlId, active: bool) -> StoreResult<()> {
    run(conn, sqlx::query(update).bind(i64::from(active)).bind(id)).await?;
    Ok(())
}

/// Takes a vote back if there is one, else casts it; true when the vote now stands. Both
/// statements bind the user, then what is voted for.
async fn toggle_vote(
    conn: &mut AnyConnection,
    delete: &'static str,
    insert: &'static str,
    user_id: UserId,
    target_id: impl SqlId,
) -> StoreResult<bool> {
    if run(conn, sqlx::query(delete).bind(user_id).bind(target_id)).await? > 0 {
        return Ok(false);
    }
    run(conn, sqlx::query(insert).bind(user_id).bind(target_id)).await?;
    Ok(true)
}
