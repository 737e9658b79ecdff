//! Writes of users, their states and their logins.

use super::super::conflicts::{OnUnique, USER_KEYS};
use super::super::db_err;
use super::run;
use crate::domain::{AccountState, Email, Role, Timestamp, UserName};
use crate::domain::{LoginId, UserId};
use crate::ports::{NewUser, StoreResult};
use sqlx::AnyConnection;

pub(super) async fn count_users(conn: &mut AnyConnection) -> StoreResult<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM user").fetch_one(conn).await.map_err(db_err)
}

pub(super) async fn insert_user(conn: &mut AnyConnection, user: &NewUser<'_>) -> StoreResult<UserId> {
    let id: UserId = sqlx::query_scalar(
        "INSERT INTO user (name, name_key, name_skeleton, password, email, email_key, created_datetime, role_id) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(user.name.as_str())
    .bind(user.name.key())
    .bind(user.name.skeleton())
    .bind(user.password_hash)
    .bind(user.email.as_str())
    .bind(user.email.key())
    .bind(user.created.0)
    .bind(user.role.id())
    .fetch_one(&mut *conn)
    .await
    .on_unique(USER_KEYS)?;
    add_user_state(conn, id, AccountState::Active, None, None, user.created).await?;
    Ok(id)
}

pub(super) async fn update_user_preferences(
    conn: &mut AnyConnection,
    id: UserId,
    language: Option<&str>,
    time_zone: Option<&str>,
) -> StoreResult<()> {
    sqlx::query("UPDATE user SET language = ?, time_zone = ? WHERE id = ?")
        .bind(language)
        .bind(time_zone)
        .bind(id)
        .execute(conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

pub(super) async fn update_user_profile(
    conn: &mut AnyConnection,
    id: UserId,
    name: &UserName,
    email: &Email,
) -> StoreResult<()> {
    sqlx::query("UPDATE user SET name = ?, name_key = ?, name_skeleton = ?, email = ?, email_key = ? WHERE id = ?")
        .bind(name.as_str())
        .bind(name.key())
        .bind(name.skeleton())
        .bind(email.as_str())
        .bind(email.key())
        .bind(id)
        .execute(conn)
        .await
        .on_unique(USER_KEYS)?;
    Ok(())
}

pub(super) async fn update_user_password(conn: &mut AnyConnection, id: UserId, password_hash: &str) -> StoreResult<()> {
    run(conn, sqlx::query("UPDATE user SET password = ? WHERE id = ?").bind(password_hash).bind(id)).await?;
    Ok(())
}

pub(super) async fn set_user_role(conn: &mut AnyConnection, id: UserId, role: Role) -> StoreResult<()> {
    run(conn, sqlx::query("UPDATE user SET role_id = ? WHERE id = ?").bind(role.id()).bind(id)).await?;
    Ok(())
}

pub(super) async fn erase_user(conn: &mut AnyConnection, id: UserId) -> StoreResult<()> {
    let erase = "UPDATE user SET name = NULL, name_key = NULL, name_skeleton = NULL, email = NULL, email_key = NULL, \
                 password = NULL, language = NULL, time_zone = NULL WHERE id = ?";
    run(conn, sqlx::query(erase).bind(id)).await?;
    Ok(())
}

pub(super) async fn add_user_state(
    conn: &mut AnyConnection,
    id: UserId,
    state: AccountState,
    detail: Option<&str>,
    until: Option<Timestamp>,
    at: Timestamp,
) -> StoreResult<()> {
    let insert = sqlx::query(
        "INSERT INTO user_state (user_id, state_id, detail, until_datetime, created_datetime) VALUES (?, ?, ?, ?, ?)",
    );
    run(conn, insert.bind(id).bind(state.id()).bind(detail).bind(until.map(|until| until.0)).bind(at.0)).await?;
    Ok(())
}

pub(super) async fn insert_login(conn: &mut AnyConnection, user_id: UserId, at: Timestamp) -> StoreResult<LoginId> {
    sqlx::query_scalar("INSERT INTO logged_in (user_id, created_datetime) VALUES (?, ?) RETURNING id")
        .bind(user_id)
        .bind(at.0)
        .fetch_one(conn)
        .await
        .map_err(db_err)
}

pub(super) async fn end_login(conn: &mut AnyConnection, login_id: LoginId, at: Timestamp) -> StoreResult<bool> {
    let end = sqlx::query("UPDATE logged_in SET ended_datetime = ? WHERE id = ? AND ended_datetime IS NULL");
    Ok(run(conn, end.bind(at.0).bind(login_id)).await? > 0)
}

pub(super) async fn end_logins_of_user(
    conn: &mut AnyConnection,
    user_id: UserId,
    keep: Option<LoginId>,
    at: Timestamp,
) -> StoreResult<Vec<LoginId>> {
    // No login has id 0: with none to keep, every open one ends.
    let keep = keep.unwrap_or(LoginId(0));
    let open: Vec<LoginId> =
        sqlx::query_scalar("SELECT id FROM logged_in WHERE user_id = ? AND ended_datetime IS NULL AND id <> ?")
            .bind(user_id)
            .bind(keep)
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?;
    let end = "UPDATE logged_in SET ended_datetime = ? WHERE user_id = ? AND ended_datetime IS NULL AND id <> ?";
    run(conn, sqlx::query(end).bind(at.0).bind(user_id).bind(keep)).await?;
    Ok(open)
}
