//! The post projection: `rm_post` and the search index, recomputed from the write tables.

use super::super::Dialect;
use super::super::inserts::{Insertable, Value, insert_all};
use super::super::rows::read_by_name;
use super::super::search::{TermCounts, marked_terms};
use super::render_all;
use crate::domain::{CategoryId, PostId, UserId};
use crate::domain::{PostRef, markdown};
use sqlx::{Any, AnyConnection, QueryBuilder};
use std::borrow::Cow;

/// A post's read row as the write tables say it should be: its latest version, active
/// comments, votes, board, category and author. (`WHERE p.id = ?` or a range is appended.)
pub(super) const POST_SOURCES: &str = "SELECT p.id AS post_id, COALESCE(c.parent_id, c.id) AS board_id, \
       p.category_id, p.user_id, p.is_active, pc.version, p.created_datetime AS created, \
       pc.created_datetime AS edited, \
       (SELECT COUNT(*) FROM comment k WHERE k.post_id = p.id AND k.is_active = 1) AS comment_count, \
       (SELECT COUNT(*) FROM voter_post v WHERE v.post_id = p.id) AS vote_count, \
       u.name AS author_name, c.name AS category_name, pc.title, pc.content, \
       p.is_locked, COALESCE(p.pinned_datetime, 0) AS pinned_at, p.lock_reason \
     FROM post p \
     JOIN category c ON c.id = p.category_id \
     JOIN user u ON u.id = p.user_id \
     JOIN post_content pc ON pc.post_id = p.id \
       AND pc.version = (SELECT MAX(x.version) FROM post_content x WHERE x.post_id = p.id)";

/// A post's read row, ready to store (with its search entry, if it is active). Read from
/// [`POST_SOURCES`] (or the check's oracle) it owns its text, and its `body_html` is empty
/// until the text is rendered; the seeder's rows borrow theirs.
pub(in super::super) struct PostRow<'a> {
    pub post_id: PostId,
    pub board_id: CategoryId,
    pub category_id: CategoryId,
    pub user_id: UserId,
    pub is_active: bool,
    pub version: i64,
    pub created: i64,
    pub edited: i64,
    pub comment_count: i64,
    pub vote_count: i64,
    pub author_name: Option<Cow<'a, str>>,
    pub category_name: Cow<'a, str>,
    pub title: Cow<'a, str>,
    /// The Markdown source, for the search index.
    pub content: Cow<'a, str>,
    pub body_html: Cow<'a, str>,
    pub is_locked: bool,
    /// When it was pinned; 0 when it is not.
    pub pinned_at: i64,
    pub lock_reason: Option<Cow<'a, str>>,
}

/// A post's read row as read from the write tables.
pub(super) type PostSource = PostRow<'static>;

read_by_name!(PostSource {
    post_id,
    board_id,
    category_id,
    user_id,
    is_active,
    version,
    created,
    edited,
    comment_count,
    vote_count,
    author_name,
    category_name,
    title,
    content,
    body_html as default,
    is_locked,
    pinned_at,
    lock_reason,
});

impl PostRow<'_> {
    /// Renders the text into `body_html`.
    pub(super) fn render(&mut self, known: &std::collections::HashSet<String>) {
        self.body_html = markdown::render_with_mentions(&self.content, &|key| known.contains(key)).into();
    }
}

impl Insertable for PostRow<'_> {
    const TABLE: &'static str = "rm_post";
    const COLUMNS: &'static str = "post_id, board_id, category_id, user_id, is_active, version, created, edited, \
         comment_count, vote_count, author_name, category_name, title, body_html, is_locked, pinned_at, lock_reason";
    fn values(&self) -> impl IntoIterator<Item = Value<'_>> {
        [
            self.post_id.into(),
            self.board_id.into(),
            self.category_id.into(),
            self.user_id.into(),
            self.is_active.into(),
            self.version.into(),
            self.created.into(),
            self.edited.into(),
            self.comment_count.into(),
            self.vote_count.into(),
            self.author_name.as_deref().into(),
            self.category_name.as_ref().into(),
            self.title.as_ref().into(),
            self.body_html.as_ref().into(),
            self.is_locked.into(),
            self.pinned_at.into(),
            self.lock_reason.as_deref().into(),
        ]
    }
}

/// Search entries per INSERT: four values each, under SQLite's 32,766 bound values.
const SEARCH_ROWS_PER_INSERT: usize = 8_000;

/// Renders the text of rows read from [`POST_SOURCES`] and stores them, with what they add to
/// the counts of indexed words.
pub(super) async fn store_posts(
    conn: &mut AnyConnection,
    dialect: Dialect,
    mut rows: Vec<PostSource>,
    counts: &mut TermCounts,
) -> sqlx::Result<()> {
    let known = super::known_mentions(conn, rows.iter().map(|row| row.content.as_ref())).await?;
    let html = render_all(rows.iter().map(|row| row.content.as_ref()), &known);
    for (row, html) in rows.iter_mut().zip(html) {
        row.body_html = html.into();
    }
    insert_counted(conn, dialect, &rows, counts).await
}

/// Inserts rm_post rows and the search entries of the active ones, and counts their words.
pub(in super::super) async fn insert_posts(
    conn: &mut AnyConnection,
    dialect: Dialect,
    rows: &[PostRow<'_>],
) -> sqlx::Result<()> {
    let mut counts = TermCounts::default();
    insert_counted(conn, dialect, rows, &mut counts).await?;
    counts.store(conn).await
}

/// [`insert_posts`], with the words' counts gathered for the caller to store.
async fn insert_counted(
    conn: &mut AnyConnection,
    dialect: Dialect,
    rows: &[PostRow<'_>],
    counts: &mut TermCounts,
) -> sqlx::Result<()> {
    insert_all(conn, rows).await?;
    // Few large statements: FTS5 writes its pending terms out at the end of every statement.
    let active: Vec<&PostRow> = rows.iter().filter(|r| r.is_active).collect();
    for batch in active.chunks(SEARCH_ROWS_PER_INSERT) {
        index_posts(conn, dialect, batch, counts).await?;
    }
    Ok(())
}

/// Adds active posts to the search index (on MariaDB, their words to the counts).
async fn index_posts(
    conn: &mut AnyConnection,
    dialect: Dialect,
    rows: &[&PostRow<'_>],
    counts: &mut TermCounts,
) -> sqlx::Result<()> {
    let mut insert = match dialect {
        Dialect::Sqlite => {
            let mut q = QueryBuilder::<Any>::new("INSERT INTO rm_post_search (rowid, title, content, author) ");
            q.push_values(rows, |mut b, r| {
                b.push_bind(r.post_id)
                    .push_bind(r.title.as_ref())
                    .push_bind(r.content.as_ref())
                    .push_bind(r.author_name.as_deref().unwrap_or(""));
            });
            q
        }
        Dialect::MariaDb => {
            let terms: Vec<String> =
                rows.iter().map(|r| marked_terms(&r.title, &r.content, r.author_name.as_deref())).collect();
            for post_terms in &terms {
                counts.count_post(post_terms, 1);
            }
            let mut q = QueryBuilder::<Any>::new("INSERT INTO rm_post_search (post_id, terms) ");
            q.push_values(rows.iter().zip(terms), |mut b, (r, terms)| {
                b.push_bind(r.post_id).push_bind(terms);
            });
            q
        }
    };
    insert.build().execute(&mut *conn).await?;
    Ok(())
}

/// Takes a post out of the search index (on MariaDB, its words out of the counts).
async fn unindex_post(
    conn: &mut AnyConnection,
    dialect: Dialect,
    id: PostId,
    counts: &mut TermCounts,
) -> sqlx::Result<()> {
    let sql = match dialect {
        Dialect::Sqlite => "DELETE FROM rm_post_search WHERE rowid = ?",
        Dialect::MariaDb => {
            let indexed: Option<String> = sqlx::query_scalar("SELECT terms FROM rm_post_search WHERE post_id = ?")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
            if let Some(terms) = indexed {
                counts.count_post(&terms, -1);
            }
            "DELETE FROM rm_post_search WHERE post_id = ?"
        }
    };
    sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Recomputes one post's row and search entry; the counts of indexed words move by what
/// changed (nothing, for a lock or a pin).
pub(super) async fn refresh_post(conn: &mut AnyConnection, dialect: Dialect, post_id: PostId) -> sqlx::Result<()> {
    let mut counts = TermCounts::default();
    sqlx::query("DELETE FROM rm_post WHERE post_id = ?").bind(post_id).execute(&mut *conn).await?;
    unindex_post(conn, dialect, post_id, &mut counts).await?;
    let sql = sqlx::AssertSqlSafe(format!("{POST_SOURCES} WHERE p.id = ?"));
    let rows: Vec<PostSource> = sqlx::query_as(sql).bind(post_id).fetch_all(&mut *conn).await?;
    store_posts(conn, dialect, rows, &mut counts).await?;
    counts.store(conn).await
}

/// A post's active comments and votes.
struct PostCounts {
    comment_count: i64,
    vote_count: i64,
}
read_by_name!(PostCounts { comment_count, vote_count });

/// Recounts a post's active comments and votes. The counts are read first and written after:
/// inside the UPDATE, InnoDB would read them with shared locks and deadlock with a command
/// that is adding a vote. A vote committed after the read has its own event, which counts again.
pub(super) async fn recount_post(conn: &mut AnyConnection, post_id: PostId) -> sqlx::Result<()> {
    let counts: PostCounts = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM comment k WHERE k.post_id = ? AND k.is_active = 1) AS comment_count, \
                (SELECT COUNT(*) FROM voter_post v WHERE v.post_id = ?) AS vote_count",
    )
    .bind(post_id)
    .bind(post_id)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("UPDATE rm_post SET comment_count = ?, vote_count = ? WHERE post_id = ?")
        .bind(counts.comment_count)
        .bind(counts.vote_count)
        .bind(post_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Moves a post's count from the category and board it left to those it went to (its
/// author's count stays).
pub(super) async fn move_post_count(
    conn: &mut AnyConnection,
    from: (CategoryId, CategoryId),
    to: &PostRef,
) -> sqlx::Result<()> {
    for (category, board, delta) in [(from.0, from.1, -1), (to.category_id, to.board_id, 1)] {
        sqlx::query("UPDATE rm_category SET post_count = post_count + ? WHERE category_id = ? OR category_id = ?")
            .bind(delta)
            .bind(category)
            .bind(board)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Moves the post counts of the post's category, its board and its author by `delta`.
pub(super) async fn count_post(conn: &mut AnyConnection, post: &PostRef, delta: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE rm_category SET post_count = post_count + ? WHERE category_id = ? OR category_id = ?")
        .bind(delta)
        .bind(post.category_id)
        .bind(post.board_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE rm_user SET post_count = post_count + ? WHERE user_id = ?")
        .bind(delta)
        .bind(post.author_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
