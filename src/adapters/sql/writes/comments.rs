//! Writes of comments, their versions and their votes.

use super::super::rows::read_by_name;
use super::super::{Dialect, db_err};
use super::{locked, run, set_active, toggle_vote};
use crate::domain::Timestamp;
use crate::domain::{CommentId, PostId, UserId};
use crate::ports::{CommentRecord, StoreResult};
use sqlx::AnyConnection;

read_by_name!(CommentRecord { id, user_id, post_id, is_active, version, content });

pub(super) async fn insert_comment(
    conn: &mut AnyConnection,
    user_id: UserId,
    post_id: PostId,
    at: Timestamp,
) -> StoreResult<CommentId> {
    sqlx::query_scalar(
        "INSERT INTO comment (user_id, post_id, created_datetime, is_active) VALUES (?, ?, ?, 1) RETURNING id",
    )
    .bind(user_id)
    .bind(post_id)
    .bind(at.0)
    .fetch_one(conn)
    .await
    .map_err(db_err)
}

pub(super) async fn insert_comment_content(
    conn: &mut AnyConnection,
    comment_id: CommentId,
    version: i64,
    content: &str,
    at: Timestamp,
) -> StoreResult<()> {
    let insert =
        sqlx::query("INSERT INTO comment_content (version, created_datetime, content, comment_id) VALUES (?, ?, ?, ?)");
    run(conn, insert.bind(version).bind(at.0).bind(content).bind(comment_id)).await?;
    Ok(())
}

/// A comment with its latest version, locked for the rest of the transaction.
pub(super) async fn locked_comment(
    conn: &mut AnyConnection,
    dialect: Dialect,
    id: CommentId,
) -> StoreResult<Option<CommentRecord>> {
    let select = "SELECT k.id, k.user_id, k.post_id, k.is_active, cc.version, cc.content \
         FROM comment k JOIN comment_content cc ON cc.comment_id = k.id \
         WHERE k.id = ? ORDER BY cc.version DESC LIMIT 1";
    locked(conn, dialect, select, id).await
}

pub(super) async fn set_comment_active(conn: &mut AnyConnection, id: CommentId, active: bool) -> StoreResult<()> {
    set_active(conn, "UPDATE comment SET is_active = ? WHERE id = ?", id, active).await
}

pub(super) async fn toggle_comment_vote(
    conn: &mut AnyConnection,
    user_id: UserId,
    comment_id: CommentId,
) -> StoreResult<bool> {
    toggle_vote(
        conn,
        "DELETE FROM voter_comment WHERE user_id = ? AND comment_id = ?",
        "INSERT INTO voter_comment (user_id, comment_id) VALUES (?, ?)",
        user_id,
        comment_id,
    )
    .await
}
