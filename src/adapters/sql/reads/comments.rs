//! Reads of comments from the read model.

use super::super::rows::read_by_name;
use super::super::{Param, SqlDatabase, db_err};
use crate::domain::{CommentId, PostId};
use crate::ports::{CommentView, StoreResult};

/// A comment's columns of the read model (`WHERE …` is appended).
const COMMENT_COLUMNS: &str = "SELECT comment_id, post_id, user_id, author_name, body_html, version, created, \
     edited, vote_count, is_active FROM rm_comment";

read_by_name!(CommentView {
    comment_id,
    post_id,
    user_id,
    author_name,
    body_html,
    version,
    created,
    edited,
    vote_count,
    is_active,
});

pub(super) async fn comments_page(
    db: &SqlDatabase,
    post_id: PostId,
    offset: i64,
    limit: i64,
) -> StoreResult<Vec<CommentView>> {
    // OFFSET is bounded by one post's comments, not by the size of the forum.
    let sql = format!("{COMMENT_COLUMNS} WHERE post_id = ? ORDER BY comment_id LIMIT {limit} OFFSET ?");
    db.short_read(&sql, &[post_id.into(), Param::Int(offset)]).await
}

pub(super) async fn newest_comments(db: &SqlDatabase, post_id: PostId, limit: i64) -> StoreResult<Vec<CommentView>> {
    let sql = format!("{COMMENT_COLUMNS} WHERE post_id = ? AND is_active = 1 ORDER BY comment_id DESC LIMIT {limit}");
    db.short_read(&sql, &[post_id.into()]).await
}

pub(super) async fn comment_position(db: &SqlDatabase, post_id: PostId, comment_id: CommentId) -> StoreResult<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM rm_comment WHERE post_id = ? AND comment_id < ?")
        .bind(post_id)
        .bind(comment_id)
        .fetch_one(&db.pool)
        .await
        .map_err(db_err)
}

pub(super) async fn comment_view(db: &SqlDatabase, id: CommentId) -> StoreResult<Option<CommentView>> {
    let sql = format!("{COMMENT_COLUMNS} WHERE comment_id = ?");
    db.short_read_one(&sql, &[id.into()]).await
}
