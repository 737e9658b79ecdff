//! Projections of posts and comments into rm_post, rm_comment and the search index.
//!
//! A post's or comment's row is recomputed from the write tables by key, so it is right
//! whatever came before. Counts shown on the board tree and profiles move by exactly one per
//! event instead (recounting a board of a million posts per new post would be too slow);
//! that is exact because each event is applied once, in the transaction that marks it.

use super::Dialect;
use super::search::marked_terms;
use crate::domain::{PostRef, markdown};
use sqlx::{Any, AnyConnection, QueryBuilder};

/// A post's read row as the write tables say it should be: its latest version, active
/// comments, votes, board, category and author. (`WHERE p.id = ?` or a range is appended.)
pub(super) const POST_ROWS: &str = "SELECT p.id, COALESCE(c.parent_id, c.id), p.category_id, p.user_id, p.is_active, \
       pc.version, p.created_datetime, pc.created_datetime, \
       (SELECT COUNT(*) FROM comment k WHERE k.post_id = p.id AND k.is_active = 1), \
       (SELECT COUNT(*) FROM voter_post v WHERE v.post_id = p.id), \
       u.name, c.name, pc.title, pc.content \
     FROM post p \
     JOIN category c ON c.id = p.category_id \
     JOIN user u ON u.id = p.user_id \
     JOIN post_content pc ON pc.post_id = p.id \
       AND pc.version = (SELECT MAX(x.version) FROM post_content x WHERE x.post_id = p.id)";

pub(super) type PostTuple = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, Option<String>, String, String, String);

/// A comment's read row as the write tables say it should be.
pub(super) const COMMENT_ROWS: &str = "SELECT k.id, k.post_id, k.user_id, k.is_active, cc.version, \
       k.created_datetime, cc.created_datetime, \
       (SELECT COUNT(*) FROM voter_comment v WHERE v.comment_id = k.id), \
       u.name, cc.content \
     FROM comment k \
     JOIN user u ON u.id = k.user_id \
     JOIN comment_content cc ON cc.comment_id = k.id \
       AND cc.version = (SELECT MAX(x.version) FROM comment_content x WHERE x.comment_id = k.id)";

pub(super) type CommentTuple = (i64, i64, i64, i64, i64, i64, i64, i64, Option<String>, String);

/// Rows per multi-row INSERT: well under SQLite's limit of bound values per statement.
pub(super) const ROWS_PER_INSERT: usize = 500;

/// Search entries per INSERT: four values each, under SQLite's 32,766 bound values.
const SEARCH_ROWS_PER_INSERT: usize = 8_000;

/// Renders many Markdown texts, on every core when there are enough to be worth it.
pub(super) fn render_all<'a>(sources: impl Iterator<Item = &'a str>) -> Vec<String> {
    let sources: Vec<&str> = sources.collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if sources.len() < 64 || threads == 1 {
        return sources.into_iter().map(markdown::render).collect();
    }
    let per_thread = sources.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = sources
            .chunks(per_thread)
            .map(|part| scope.spawn(move || part.iter().map(|s| markdown::render(s)).collect::<Vec<_>>()))
            .collect();
        parts.into_iter().flat_map(|p| p.join().expect("rendering does not panic")).collect()
    })
}

/// A post's read row, ready to store: what [`POST_ROWS`] says plus the rendered text.
pub(super) struct PostRow<'a> {
    pub post_id: i64,
    pub board_id: i64,
    pub category_id: i64,
    pub user_id: i64,
    pub is_active: bool,
    pub version: i64,
    pub created: i64,
    pub edited: i64,
    pub comment_count: i64,
    pub vote_count: i64,
    pub author_name: Option<&'a str>,
    pub category_name: &'a str,
    pub title: &'a str,
    /// The Markdown source, for the search index.
    pub content: &'a str,
    pub body_html: &'a str,
}

/// Writes rm_post rows (and their search entries) for rows of [`POST_ROWS`].
pub(super) async fn store_posts(conn: &mut AnyConnection, dialect: Dialect, rows: &[PostTuple]) -> sqlx::Result<()> {
    let html = render_all(rows.iter().map(|r| r.13.as_str()));
    let rows: Vec<PostRow> = rows
        .iter()
        .zip(&html)
        .map(|(r, html)| PostRow {
            post_id: r.0,
            board_id: r.1,
            category_id: r.2,
            user_id: r.3,
            is_active: r.4 != 0,
            version: r.5,
            created: r.6,
            edited: r.7,
            comment_count: r.8,
            vote_count: r.9,
            author_name: r.10.as_deref(),
            category_name: &r.11,
            title: &r.12,
            content: &r.13,
            body_html: html,
        })
        .collect();
    insert_posts(conn, dialect, &rows).await
}

/// Inserts rm_post rows and the search entries of the active ones.
pub(super) async fn insert_posts(conn: &mut AnyConnection, dialect: Dialect, rows: &[PostRow<'_>]) -> sqlx::Result<()> {
    for batch in rows.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Any>::new(
            "INSERT INTO rm_post (post_id, board_id, category_id, user_id, is_active, version, created, edited, \
             comment_count, vote_count, author_name, category_name, title, body_html) ",
        );
        insert.push_values(batch, |mut b, r| {
            b.push_bind(r.post_id)
                .push_bind(r.board_id)
                .push_bind(r.category_id)
                .push_bind(r.user_id)
                .push_bind(i64::from(r.is_active))
                .push_bind(r.version)
                .push_bind(r.created)
                .push_bind(r.edited)
                .push_bind(r.comment_count)
                .push_bind(r.vote_count)
                .push_bind(r.author_name)
                .push_bind(r.category_name)
                .push_bind(r.title)
                .push_bind(r.body_html);
        });
        insert.build().execute(&mut *conn).await?;
    }
    // Few large statements: FTS5 writes its pending terms out at the end of every statement.
    let active: Vec<&PostRow> = rows.iter().filter(|r| r.is_active).collect();
    for batch in active.chunks(SEARCH_ROWS_PER_INSERT) {
        index_posts(conn, dialect, batch).await?;
    }
    Ok(())
}

/// Adds active posts to the search index.
async fn index_posts(conn: &mut AnyConnection, dialect: Dialect, rows: &[&PostRow<'_>]) -> sqlx::Result<()> {
    let mut insert = match dialect {
        Dialect::Sqlite => {
            let mut q = QueryBuilder::<Any>::new("INSERT INTO rm_post_search (rowid, title, content, author) ");
            q.push_values(rows, |mut b, r| {
                b.push_bind(r.post_id).push_bind(r.title).push_bind(r.content).push_bind(r.author_name.unwrap_or(""));
            });
            q
        }
        Dialect::MariaDb => {
            let mut q = QueryBuilder::<Any>::new("INSERT INTO rm_post_search (post_id, terms) ");
            q.push_values(rows, |mut b, r| {
                b.push_bind(r.post_id).push_bind(marked_terms(r.title, r.content, r.author_name));
            });
            q
        }
    };
    insert.build().execute(&mut *conn).await?;
    Ok(())
}

async fn unindex_post(conn: &mut AnyConnection, dialect: Dialect, id: i64) -> sqlx::Result<()> {
    let sql = match dialect {
        Dialect::Sqlite => "DELETE FROM rm_post_search WHERE rowid = ?",
        Dialect::MariaDb => "DELETE FROM rm_post_search WHERE post_id = ?",
    };
    sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Recomputes one post's row and search entry.
pub(super) async fn refresh_post(conn: &mut AnyConnection, dialect: Dialect, post_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rm_post WHERE post_id = ?").bind(post_id).execute(&mut *conn).await?;
    unindex_post(conn, dialect, post_id).await?;
    let sql = sqlx::AssertSqlSafe(format!("{POST_ROWS} WHERE p.id = ?"));
    let rows: Vec<PostTuple> = sqlx::query_as(sql).bind(post_id).fetch_all(&mut *conn).await?;
    store_posts(conn, dialect, &rows).await
}

/// Recounts a post's active comments and votes. The counts are read first and written after:
/// inside the UPDATE, InnoDB would read them with shared locks and deadlock with a command
/// that is adding a vote. A vote committed after the read has its own event, which counts again.
pub(super) async fn recount_post(conn: &mut AnyConnection, post_id: i64) -> sqlx::Result<()> {
    let (comments, votes): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM comment k WHERE k.post_id = ? AND k.is_active = 1), \
                (SELECT COUNT(*) FROM voter_post v WHERE v.post_id = ?)",
    )
    .bind(post_id)
    .bind(post_id)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("UPDATE rm_post SET comment_count = ?, vote_count = ? WHERE post_id = ?")
        .bind(comments)
        .bind(votes)
        .bind(post_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A comment's read row, ready to store.
pub(super) struct CommentRow<'a> {
    pub comment_id: i64,
    pub post_id: i64,
    pub user_id: i64,
    pub is_active: bool,
    pub version: i64,
    pub created: i64,
    pub edited: i64,
    pub vote_count: i64,
    pub author_name: Option<&'a str>,
    pub body_html: &'a str,
}

/// Writes rm_comment rows for rows of [`COMMENT_ROWS`].
pub(super) async fn store_comments(conn: &mut AnyConnection, rows: &[CommentTuple]) -> sqlx::Result<()> {
    let html = render_all(rows.iter().map(|r| r.9.as_str()));
    let rows: Vec<CommentRow> = rows
        .iter()
        .zip(&html)
        .map(|(r, html)| CommentRow {
            comment_id: r.0,
            post_id: r.1,
            user_id: r.2,
            is_active: r.3 != 0,
            version: r.4,
            created: r.5,
            edited: r.6,
            vote_count: r.7,
            author_name: r.8.as_deref(),
            body_html: html,
        })
        .collect();
    insert_comments(conn, &rows).await
}

pub(super) async fn insert_comments(conn: &mut AnyConnection, rows: &[CommentRow<'_>]) -> sqlx::Result<()> {
    for batch in rows.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Any>::new(
            "INSERT INTO rm_comment (comment_id, post_id, user_id, is_active, version, created, edited, vote_count, \
             author_name, body_html) ",
        );
        insert.push_values(batch, |mut b, r| {
            b.push_bind(r.comment_id)
                .push_bind(r.post_id)
                .push_bind(r.user_id)
                .push_bind(i64::from(r.is_active))
                .push_bind(r.version)
                .push_bind(r.created)
                .push_bind(r.edited)
                .push_bind(r.vote_count)
                .push_bind(r.author_name)
                .push_bind(r.body_html);
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub(super) async fn refresh_comment(conn: &mut AnyConnection, comment_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rm_comment WHERE comment_id = ?").bind(comment_id).execute(&mut *conn).await?;
    let sql = sqlx::AssertSqlSafe(format!("{COMMENT_ROWS} WHERE k.id = ?"));
    let rows: Vec<CommentTuple> = sqlx::query_as(sql).bind(comment_id).fetch_all(&mut *conn).await?;
    store_comments(conn, &rows).await
}

pub(super) async fn recount_comment_votes(conn: &mut AnyConnection, comment_id: i64) -> sqlx::Result<()> {
    // Read, then write: see `recount_post`.
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

pub(super) async fn count_comment(conn: &mut AnyConnection, author_id: i64, delta: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE rm_user SET comment_count = comment_count + ? WHERE user_id = ?")
        .bind(delta)
        .bind(author_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A user's name changed (or was erased): every post and comment row showing it follows,
/// and so does the search index of their posts.
pub(super) async fn rename_author(conn: &mut AnyConnection, dialect: Dialect, user_id: i64) -> sqlx::Result<()> {
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM user WHERE id = ?")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?
        .flatten();
    sqlx::query("UPDATE rm_post SET author_name = ? WHERE user_id = ?")
        .bind(name.as_deref())
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE rm_comment SET author_name = ? WHERE user_id = ?")
        .bind(name.as_deref())
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    // The search index stores the author with each post: re-index this author's active posts.
    let posts: Vec<i64> = sqlx::query_scalar("SELECT post_id FROM rm_post WHERE user_id = ? AND is_active = 1")
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?;
    for post_id in posts {
        refresh_post(conn, dialect, post_id).await?;
    }
    Ok(())
}

/// A category's name changed: the rows of its posts show the new name.
pub(super) async fn rename_category_in_posts(conn: &mut AnyConnection, category_id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE rm_post SET category_name = (SELECT name FROM category WHERE id = ?) WHERE category_id = ?")
        .bind(category_id)
        .bind(category_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
