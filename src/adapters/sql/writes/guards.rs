//! Writes of the guards: one-time form keys, sign-ups per address per day, invite codes, and
//! what a new account has written.

use super::super::{Dialect, db_err};
use super::run;
use crate::domain::guards::{FormKey, KeyedForm};
use crate::domain::policy::Writing;
use crate::domain::{Timestamp, UserId};
use crate::ports::{InviteUse, KeyClaim, StoreResult};
use sqlx::AnyConnection;

pub(super) async fn claim_form_key(
    conn: &mut AnyConnection,
    dialect: Dialect,
    user_id: UserId,
    form: KeyedForm,
    key: &FormKey,
    at: Timestamp,
) -> StoreResult<KeyClaim> {
    let insert = dialect.insert_or_ignore();
    let sql = sqlx::AssertSqlSafe(format!(
        "{insert} INTO form_key (user_id, kind, form_key, created_id, created_datetime) VALUES (?, ?, ?, NULL, ?)"
    ));
    // A second submission at the same moment waits here on MariaDB for the key's row lock
    // (SQLite's writers already take turns), and finds the first one's row once it commits.
    let claimed = sqlx::query(sql).bind(user_id).bind(form.name()).bind(key.as_str()).bind(at.0);
    if run(conn, claimed).await? > 0 {
        return Ok(KeyClaim::Fresh);
    }
    // A locking read sees the latest commit, not this transaction's older snapshot; a shared
    // one, since all the later submissions read the row together.
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT created_id FROM form_key WHERE user_id = ? AND kind = ? AND form_key = ?{}",
        dialect.for_share()
    ));
    let created: Option<i64> = sqlx::query_scalar(sql)
        .bind(user_id)
        .bind(form.name())
        .bind(key.as_str())
        .fetch_one(conn)
        .await
        .map_err(db_err)?;
    // The row is written with what it created in the transaction that claims it, so a
    // committed row always has it.
    let created = created.ok_or_else(|| anyhow::anyhow!("a committed form key without what it created"))?;
    Ok(KeyClaim::Used(created))
}

pub(super) async fn finish_form_key(
    conn: &mut AnyConnection,
    user_id: UserId,
    form: KeyedForm,
    key: &FormKey,
    created_id: i64,
) -> StoreResult<()> {
    let update = sqlx::query("UPDATE form_key SET created_id = ? WHERE user_id = ? AND kind = ? AND form_key = ?");
    run(conn, update.bind(created_id).bind(user_id).bind(form.name()).bind(key.as_str())).await?;
    Ok(())
}

pub(super) async fn count_signup(
    conn: &mut AnyConnection,
    dialect: Dialect,
    address_key: &str,
    day: i64,
    max: i64,
) -> StoreResult<bool> {
    // One statement adds the sign-up under the row's lock, so sign-ups at the same moment on
    // several instances cannot all see room for one more; over the cap, the command's
    // transaction rolls back and takes the count with it.
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO signup_quota (day, address_key, signups) VALUES (?, ?, 1){}",
        dialect.signup_count_up()
    ));
    run(conn, sqlx::query(sql).bind(day).bind(address_key)).await?;
    let counted: i64 = sqlx::query_scalar("SELECT signups FROM signup_quota WHERE day = ? AND address_key = ?")
        .bind(day)
        .bind(address_key)
        .fetch_one(conn)
        .await
        .map_err(db_err)?;
    Ok(counted <= max)
}

/// Forgets form keys made before `keys_before` and sign-up counts of days before `days_before`.
pub(super) async fn sweep(conn: &mut AnyConnection, keys_before: Timestamp, days_before: i64) -> StoreResult<u64> {
    let keys = run(conn, sqlx::query("DELETE FROM form_key WHERE created_datetime < ?").bind(keys_before.0)).await?;
    let days = run(conn, sqlx::query("DELETE FROM signup_quota WHERE day < ?").bind(days_before)).await?;
    Ok(keys + days)
}

pub(super) async fn use_invite(
    conn: &mut AnyConnection,
    code: &str,
    user_id: UserId,
    at: Timestamp,
) -> StoreResult<InviteUse> {
    let update = sqlx::query(
        "UPDATE invite SET used_by = ?, used_datetime = ? \
         WHERE code = ? AND used_by IS NULL AND revoked_datetime IS NULL",
    );
    let used = run(conn, update.bind(user_id).bind(at.0).bind(code)).await? > 0;
    Ok(if used { InviteUse::Used } else { InviteUse::Unusable })
}

pub(super) async fn insert_invite(
    conn: &mut AnyConnection,
    code: &str,
    created_by: UserId,
    at: Timestamp,
) -> StoreResult<()> {
    let insert = sqlx::query("INSERT INTO invite (code, created_by, created_datetime) VALUES (?, ?, ?)");
    run(conn, insert.bind(code).bind(created_by).bind(at.0)).await?;
    Ok(())
}

pub(super) async fn revoke_invite(conn: &mut AnyConnection, code: &str, at: Timestamp) -> StoreResult<bool> {
    let update = sqlx::query(
        "UPDATE invite SET revoked_datetime = ? WHERE code = ? AND used_by IS NULL AND revoked_datetime IS NULL",
    );
    Ok(run(conn, update.bind(at.0).bind(code)).await? > 0)
}

pub(super) async fn account_joined(conn: &mut AnyConnection, user_id: UserId) -> StoreResult<Option<Timestamp>> {
    let joined: Option<i64> = sqlx::query_scalar("SELECT created_datetime FROM user WHERE id = ?")
        .bind(user_id)
        .fetch_optional(conn)
        .await
        .map_err(db_err)?;
    Ok(joined.map(Timestamp))
}

pub(super) async fn written_since(
    conn: &mut AnyConnection,
    user_id: UserId,
    writing: Writing,
    since: Timestamp,
) -> StoreResult<i64> {
    let sql = match writing {
        Writing::Post => "SELECT COUNT(*) FROM post WHERE user_id = ? AND created_datetime >= ?",
        Writing::Comment => "SELECT COUNT(*) FROM comment WHERE user_id = ? AND created_datetime >= ?",
    };
    sqlx::query_scalar(sql).bind(user_id).bind(since.0).fetch_one(conn).await.map_err(db_err)
}
