//! The edit histories of posts and comments, from the write tables.

use super::super::ids::SqlId;
use super::super::rows::read_by_name;
use super::super::{SqlDatabase, db_err};
use crate::domain::{CommentId, PostId};
use crate::ports::{StoreResult, VersionRow};

read_by_name!(VersionRow { version, created, title, content });

pub(super) async fn post_history(db: &SqlDatabase, post_id: PostId) -> StoreResult<Vec<VersionRow>> {
    versions(
        db,
        "SELECT version, created_datetime AS created, title, content FROM post_content WHERE post_id = ? \
         ORDER BY version",
        post_id,
    )
    .await
}

pub(super) async fn comment_history(db: &SqlDatabase, comment_id: CommentId) -> StoreResult<Vec<VersionRow>> {
    versions(
        db,
        "SELECT version, created_datetime AS created, '' AS title, content FROM comment_content \
         WHERE comment_id = ? ORDER BY version",
        comment_id,
    )
    .await
}

async fn versions(db: &SqlDatabase, sql: &'static str, id: impl SqlId) -> StoreResult<Vec<VersionRow>> {
    sqlx::query_as(sql).bind(id).fetch_all(&db.pool).await.map_err(db_err)
}
