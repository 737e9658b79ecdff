//! Reads of users: accounts and sessions from the write tables, profiles from the read model.

use super::super::rows::{RoleId, RoleName, StateId, StateName, read_by_name};
use super::super::{Param, SqlDatabase, db_err};
use crate::domain::modlog::block_holds;
use crate::domain::{AccountState, Role, Timestamp};
use crate::domain::{LoginId, PostId, UserId};
use crate::ports::{ProfileRow, SessionUser, StoreResult, UserRecord};
use sqlx::Any;

/// A user as the write tables hold them, with their newest state.
const USER_COLUMNS: &str = "SELECT u.id, u.name, u.email, u.password AS password_hash, u.role_id AS role, \
    (SELECT us.state_id FROM user_state us WHERE us.user_id = u.id ORDER BY us.id DESC LIMIT 1) AS state, \
    (SELECT us.detail FROM user_state us WHERE us.user_id = u.id ORDER BY us.id DESC LIMIT 1) AS state_detail, \
    (SELECT us.until_datetime FROM user_state us WHERE us.user_id = u.id ORDER BY us.id DESC LIMIT 1) AS state_until \
    FROM user u";

read_by_name!(UserRecord { id, name, email, password_hash, role as RoleId, state as StateId, state_detail, state_until });

/// A user by id, through any executor: a write transaction or the pool.
pub(in super::super) async fn fetch_user<'e, E>(executor: E, id: UserId) -> StoreResult<Option<UserRecord>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let sql = sqlx::AssertSqlSafe(format!("{USER_COLUMNS} WHERE u.id = ?"));
    sqlx::query_as(sql).bind(id).fetch_optional(executor).await.map_err(db_err)
}

/// A user by the folded form of their name or of their email.
pub(in super::super) async fn fetch_user_by_login_key<'e, E>(executor: E, key: &str) -> StoreResult<Option<UserRecord>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let sql = sqlx::AssertSqlSafe(format!("{USER_COLUMNS} WHERE u.name_key = ? OR u.email_key = ?"));
    sqlx::query_as(sql).bind(key).bind(key).fetch_optional(executor).await.map_err(db_err)
}

/// The user behind an open login, before it is known whether they may use the forum.
struct LoginUser {
    user_id: UserId,
    /// None once the user has resigned.
    name: Option<String>,
    role: Role,
    state: AccountState,
    state_until: Option<Timestamp>,
    language: Option<String>,
    time_zone: Option<String>,
}
read_by_name!(LoginUser { user_id, name, role as RoleId, state as StateId, state_until, language, time_zone });

pub(super) async fn session_user(db: &SqlDatabase, login_id: LoginId) -> StoreResult<Option<SessionUser>> {
    // The authoritative tables, not the read model: a session must end the moment it is ended.
    let user: Option<LoginUser> = db
        .short_read_one(
            "SELECT u.id AS user_id, u.name, u.role_id AS role, u.language, u.time_zone, \
             (SELECT us.state_id FROM user_state us WHERE us.user_id = u.id ORDER BY us.id DESC LIMIT 1) AS state, \
             (SELECT us.until_datetime FROM user_state us WHERE us.user_id = u.id ORDER BY us.id DESC LIMIT 1) \
               AS state_until \
             FROM logged_in l JOIN user u ON u.id = l.user_id \
             WHERE l.id = ? AND l.ended_datetime IS NULL",
            &[login_id.into()],
        )
        .await?;
    // A timed block past its end no longer holds (no job lifts it; see domain::modlog).
    let holds =
        |user: &LoginUser| user.state == AccountState::Blocked && block_holds(user.state_until, Timestamp::now());
    Ok(user.and_then(|user| match (holds(&user), user.name) {
        (false, Some(name)) => Some(SessionUser {
            user_id: user.user_id,
            name,
            role: user.role,
            language: user.language,
            time_zone: user.time_zone,
        }),
        _ => None,
    }))
}

pub(super) async fn open_logins_of(db: &SqlDatabase, user_id: UserId) -> StoreResult<Vec<LoginId>> {
    sqlx::query_scalar("SELECT id FROM logged_in WHERE user_id = ? AND ended_datetime IS NULL")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await
        .map_err(db_err)
}

/// A profile's columns of the read model (`WHERE …` is appended).
const PROFILE_COLUMNS: &str = "SELECT user_id, name, role, state, joined, post_count, comment_count FROM rm_user";

read_by_name!(ProfileRow { user_id, name, role as RoleName, state as StateName, joined, post_count, comment_count });

/// The id of the user who has a (folded) name.
struct NamedUser {
    user_id: UserId,
}
read_by_name!(NamedUser { user_id });

pub(super) async fn user_id_by_name(db: &SqlDatabase, name_key: &str) -> StoreResult<Option<UserId>> {
    let user: Option<NamedUser> =
        db.short_read_one("SELECT user_id FROM rm_user WHERE name_key = ?", &[Param::Text(name_key)]).await?;
    Ok(user.map(|user| user.user_id))
}

pub(super) async fn profile(db: &SqlDatabase, user_id: UserId) -> StoreResult<Option<ProfileRow>> {
    let sql = format!("{PROFILE_COLUMNS} WHERE user_id = ?");
    db.short_read_one(&sql, &[user_id.into()]).await
}

pub(super) async fn users_page(db: &SqlDatabase, before: Option<UserId>, limit: i64) -> StoreResult<Vec<ProfileRow>> {
    let sql = format!("{PROFILE_COLUMNS} WHERE user_id < ? AND name IS NOT NULL ORDER BY user_id DESC LIMIT {limit}");
    db.short_read(&sql, &[before.unwrap_or(UserId(i64::MAX)).into()]).await
}

/// One of a user's comments: its post, and how many comments come before it there.
struct CommentPlace {
    post_id: PostId,
    position: i64,
}
read_by_name!(CommentPlace { post_id, position });

pub(super) async fn author_footprint(
    db: &SqlDatabase,
    user_id: UserId,
) -> StoreResult<(Vec<PostId>, Vec<(PostId, i64)>)> {
    let posts = sqlx::query_scalar("SELECT post_id FROM rm_post WHERE user_id = ?")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await
        .map_err(db_err)?;
    let comments: Vec<CommentPlace> = sqlx::query_as(
        "SELECT c.post_id, (SELECT COUNT(*) FROM rm_comment x WHERE x.post_id = c.post_id \
         AND x.comment_id < c.comment_id) AS position FROM rm_comment c WHERE c.user_id = ?",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
    .map_err(db_err)?;
    Ok((posts, comments.into_iter().map(|c| (c.post_id, c.position)).collect()))
}
