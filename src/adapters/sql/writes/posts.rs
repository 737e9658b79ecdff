//! Writes of posts, their versions and their votes.

use super::super::rows::read_by_name;
use super::super::{Dialect, db_err};
use super::{locked, run, set_active, toggle_vote};
use crate::domain::Timestamp;
use crate::domain::{CategoryId, PostId, UserId};
use crate::ports::{PostRecord, StoreResult};
use sqlx::AnyConnection;

read_by_name!(PostRecord {
    id,
    user_id,
    category_id,
    board_id,
    is_active,
    version,
    title,
    content,
    active_comments,
    is_locked,
    is_pinned,
});

pub(super) async fn insert_post(
    conn: &mut AnyConnection,
    user_id: UserId,
    category_id: CategoryId,
    at: Timestamp,
) -> StoreResult<PostId> {
    sqlx::query_scalar(
        "INSERT INTO post (user_id, category_id, created_datetime, is_active) VALUES (?, ?, ?, 1) RETURNING id",
    )
    .bind(user_id)
    .bind(category_id)
    .bind(at.0)
    .fetch_one(conn)
    .await
    .map_err(db_err)
}

pub(super) async fn insert_post_content(
    conn: &mut AnyConnection,
    post_id: PostId,
    version: i64,
    title: &str,
    content: &str,
    at: Timestamp,
) -> StoreResult<()> {
    let insert = sqlx::query(
        "INSERT INTO post_content (version, created_datetime, title, content, post_id) VALUES (?, ?, ?, ?, ?)",
    );
    run(conn, insert.bind(version).bind(at.0).bind(title).bind(content).bind(post_id)).await?;
    Ok(())
}

/// A post with its latest version, locked for the rest of the transaction.
pub(super) async fn locked_post(
    conn: &mut AnyConnection,
    dialect: Dialect,
    id: PostId,
) -> StoreResult<Option<PostRecord>> {
    let select = "SELECT p.id, p.user_id, p.category_id, COALESCE(c.parent_id, c.id) AS board_id, p.is_active, \
           pc.version, pc.title, pc.content, \
           (SELECT COUNT(*) FROM comment k WHERE k.post_id = p.id AND k.is_active = 1) AS active_comments, \
           p.is_locked, CASE WHEN p.pinned_datetime IS NULL THEN 0 ELSE 1 END AS is_pinned \
         FROM post p \
         JOIN category c ON c.id = p.category_id \
         JOIN post_content pc ON pc.post_id = p.id \
         WHERE p.id = ? ORDER BY pc.version DESC LIMIT 1";
    locked(conn, dialect, select, id).await
}

pub(super) async fn set_post_active(conn: &mut AnyConnection, id: PostId, active: bool) -> StoreResult<()> {
    set_active(conn, "UPDATE post SET is_active = ? WHERE id = ?", id, active).await
}

pub(super) async fn toggle_post_vote(conn: &mut AnyConnection, user_id: UserId, post_id: PostId) -> StoreResult<bool> {
    toggle_vote(
        conn,
        "DELETE FROM voter_post WHERE user_id = ? AND post_id = ?",
        "INSERT INTO voter_post (user_id, post_id) VALUES (?, ?)",
        user_id,
        post_id,
    )
    .await
}
