//! The user projection: `rm_user`, and the author names shown on posts and comments.

use super::super::Dialect;
use super::super::rows::read_by_name;
use super::ReadTable;
use super::posts::refresh_post;
use crate::domain::PostId;
use crate::domain::UserId;
use sqlx::AnyConnection;

/// The user rows, recomputed from the write tables.
pub(super) const USERS: ReadTable = ReadTable {
    table: "rm_user",
    key: "user_id",
    columns: "user_id, name, name_key, role, state, joined, post_count, comment_count",
    sources: "SELECT u.id AS user_id, u.name, u.name_key, COALESCE(r.name, 'member') AS role, \
        COALESCE((SELECT s.name FROM user_state us JOIN state s ON s.id = us.state_id \
                  WHERE us.user_id = u.id ORDER BY us.id DESC LIMIT 1), 'active') AS state, \
        u.created_datetime AS joined, \
        (SELECT COUNT(*) FROM post p WHERE p.user_id = u.id AND p.is_active = 1) AS post_count, \
        (SELECT COUNT(*) FROM comment c WHERE c.user_id = u.id AND c.is_active = 1) AS comment_count \
        FROM user u LEFT JOIN role r ON r.id = u.role_id",
    source_key: "u.id",
    uncounted: "post_count = 0, comment_count = 0",
};

/// What a user's row shows that a command can change.
struct UserDetails {
    name: Option<String>,
    name_key: Option<String>,
    role: String,
    state: String,
}
read_by_name!(UserDetails { name, name_key, role, state });

/// A changed user: name, role and state follow the write tables; the counts are the events'.
pub(super) async fn update_user(conn: &mut AnyConnection, user_id: UserId) -> sqlx::Result<()> {
    let sql = sqlx::AssertSqlSafe(format!("{} WHERE u.id = ?", USERS.sources));
    let Some(user) = sqlx::query_as::<_, UserDetails>(sql).bind(user_id).fetch_optional(&mut *conn).await? else {
        return Ok(());
    };
    sqlx::query("UPDATE rm_user SET name = ?, name_key = ?, role = ?, state = ? WHERE user_id = ?")
        .bind(user.name)
        .bind(user.name_key)
        .bind(user.role)
        .bind(user.state)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A user's name changed (or was erased): every post and comment row showing it follows,
/// and so does the search index of their posts.
pub(super) async fn rename_author(conn: &mut AnyConnection, dialect: Dialect, user_id: UserId) -> sqlx::Result<()> {
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM user WHERE id = ?")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?
        .flatten();
    for table in ["rm_post", "rm_comment"] {
        let sql = sqlx::AssertSqlSafe(format!("UPDATE {table} SET author_name = ? WHERE user_id = ?"));
        sqlx::query(sql).bind(name.as_deref()).bind(user_id).execute(&mut *conn).await?;
    }
    // The search index stores the author with each post: re-index this author's active posts.
    let posts: Vec<PostId> = sqlx::query_scalar("SELECT post_id FROM rm_post WHERE user_id = ? AND is_active = 1")
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?;
    for post_id in posts {
        refresh_post(conn, dialect, post_id).await?;
    }
    Ok(())
}
