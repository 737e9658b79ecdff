//! The comment projection: `rm_comment`, recomputed from the write tables.

use super::super::inserts::{Insertable, Value, insert_all};
use super::super::rows::read_by_name;
use super::render_all;
use crate::domain::markdown;
use crate::domain::{CommentId, PostId, UserId};
use sqlx::AnyConnection;
use std::borrow::Cow;

/// A comment's read row as the write tables say it should be. (`WHERE k.id = ?` or a range
/// is appended.)
pub(super) const COMMENT_SOURCES: &str = "SELECT k.id AS comment_id, k.post_id, k.user_id, k.is_active, \
       cc.version, k.created_datetime AS created, cc.created_datetime AS edited, \
       (SELECT COUNT(*) FROM voter_comment v WHERE v.comment_id = k.id) AS vote_count, \
       u.name AS author_name, cc.content \
     FROM comment k \
     JOIN user u ON u.id = k.user_id \
     JOIN comment_content cc ON cc.comment_id = k.id \
       AND cc.version = (SELECT MAX(x.version) FROM comment_content x WHERE x.comment_id = k.id)";

/// A comment's read row, ready to store. Read from [`COMMENT_SOURCES`] it owns its text,
/// and its `body_html` is empty until the text is rendered; the seeder's rows borrow theirs.
pub(in super::super) struct CommentRow<'a> {
    pub comment_id: CommentId,
    pub post_id: PostId,
    pub user_id: UserId,
    pub is_active: bool,
    pub version: i64,
    pub created: i64,
    pub edited: i64,
    pub vote_count: i64,
    pub author_name: Option<Cow<'a, str>>,
    /// The Markdown source (the read model stores only its rendering).
    pub content: Cow<'a, str>,
    pub body_html: Cow<'a, str>,
}

/// A comment's read row as read from the write tables.
pub(super) type CommentSource = CommentRow<'static>;

read_by_name!(CommentSource {
    comment_id,
    post_id,
    user_id,
    is_active,
    version,
    created,
    edited,
    vote_count,
    author_name,
    content,
    body_html as default,
});

impl CommentRow<'_> {
    /// Renders the text into `body_html`.
    pub(super) fn render(&mut self, known: &std::collections::HashSet<String>) {
        self.body_html = markdown::render_with_mentions(&self.content, &|key| known.contains(key)).into();
    }
}

impl Insertable for CommentRow<'_> {
    const TABLE: &'static str = "rm_comment";
    const COLUMNS: &'static str =
        "comment_id, post_id, user_id, is_active, version, created, edited, vote_count, author_name, body_html";
    fn values(&self) -> impl IntoIterator<Item = Value<'_>> {
        [
            self.comment_id.into(),
            self.post_id.into(),
            self.user_id.into(),
            self.is_active.into(),
            self.version.into(),
            self.created.into(),
            self.edited.into(),
            self.vote_count.into(),
            self.author_name.as_deref().into(),
            self.body_html.as_ref().into(),
        ]
    }
}

/// Renders the text of rows read from [`COMMENT_SOURCES`] and stores them.
pub(super) async fn store_comments(conn: &mut AnyConnection, mut rows: Vec<CommentSource>) -> sqlx::Result<()> {
    let known = super::known_mentions(conn, rows.iter().map(|row| row.content.as_ref())).await?;
    let html = render_all(rows.iter().map(|row| row.content.as_ref()), &known);
    for (row, html) in rows.iter_mut().zip(html) {
        row.body_html = html.into();
    }
    insert_all(conn, &rows).await
}

/// Recomputes one comment's row.
pub(super) async fn refresh_comment(conn: &mut AnyConnection, comment_id: CommentId) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rm_comment WHERE comment_id = ?").bind(comment_id).execute(&mut *conn).await?;
    let sql = sqlx::AssertSqlSafe(format!("{COMMENT_SOURCES} WHERE k.id = ?"));
    let rows: Vec<CommentSource> = sqlx::query_as(sql).bind(comment_id).fetch_all(&mut *conn).await?;
    store_comments(conn, rows).await
}

/// Recounts a comment's votes: read, then write (see `posts::recount_post`).
pub(super) async fn recount_comment_votes(conn: &mut AnyConnection, comment_id: CommentId) -> sqlx::Result<()> {
    let votes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM voter_comment v WHERE v.comment_id = ?")
        .bind(comment_id)
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query("UPDATE rm_comment SET vote_count = ? WHERE comment_id = ?")
        .bind(votes)
        .bind(comment_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Moves the comment count of the comment's author by `delta`.
pub(super) async fn count_comment(conn: &mut AnyConnection, author_id: UserId, delta: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE rm_user SET comment_count = comment_count + ? WHERE user_id = ?")
        .bind(delta)
        .bind(author_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
