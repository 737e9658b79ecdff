//! Projections of posts and comments into rm_post, rm_comment and the search index.
//!
//! A post's or comment's row is recomputed from the write tables by key, so it is right
//! whatever came before. Counts shown on the board tree and profiles move by exactly one per
//! event instead (recounting a board of a million posts per new post would be too slow);
//! that is exact because each event is applied once, in the transaction that marks it.

use super::Dialect;
use super::search::marked_terms;
use crate::domain::{PostRef, markdown};
use sqlx::AnyConnection;

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

/// Writes rm_post rows (and their search entries) for rows of [`POST_ROWS`].
pub(super) async fn store_posts(conn: &mut AnyConnection, dialect: Dialect, rows: &[PostTuple]) -> sqlx::Result<()> {
    for row in rows {
        let (
            id,
            board,
            category,
            user,
            active,
            version,
            created,
            edited,
            comments,
            votes,
            author,
            category_name,
            title,
            content,
        ) = row;
        sqlx::query(
            "INSERT INTO rm_post (post_id, board_id, category_id, user_id, is_active, version, created, edited, \
             comment_count, vote_count, author_name, category_name, title, body_html) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(board)
        .bind(category)
        .bind(user)
        .bind(active)
        .bind(version)
        .bind(created)
        .bind(edited)
        .bind(comments)
        .bind(votes)
        .bind(author.as_deref())
        .bind(category_name.as_str())
        .bind(title.as_str())
        .bind(markdown::render(content))
        .execute(&mut *conn)
        .await?;
        if *active != 0 {
            index_post(conn, dialect, *id, title, content, author.as_deref()).await?;
        }
    }
    Ok(())
}

async fn index_post(
    conn: &mut AnyConnection,
    dialect: Dialect,
    id: i64,
    title: &str,
    content: &str,
    author: Option<&str>,
) -> sqlx::Result<()> {
    match dialect {
        Dialect::Sqlite => {
            sqlx::query("INSERT INTO rm_post_search (rowid, title, content, author) VALUES (?, ?, ?, ?)")
                .bind(id)
                .bind(title)
                .bind(content)
                .bind(author.unwrap_or(""))
                .execute(&mut *conn)
                .await?;
        }
        Dialect::MariaDb => {
            sqlx::query("INSERT INTO rm_post_search (post_id, terms) VALUES (?, ?)")
                .bind(id)
                .bind(marked_terms(title, content, author))
                .execute(&mut *conn)
                .await?;
        }
    }
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

/// Recounts a post's active comments and votes.
pub(super) async fn recount_post(conn: &mut AnyConnection, post_id: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE rm_post SET \
         comment_count = (SELECT COUNT(*) FROM comment k WHERE k.post_id = ? AND k.is_active = 1), \
         vote_count = (SELECT COUNT(*) FROM voter_post v WHERE v.post_id = ?) \
         WHERE post_id = ?",
    )
    .bind(post_id)
    .bind(post_id)
    .bind(post_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes rm_comment rows for rows of [`COMMENT_ROWS`].
pub(super) async fn store_comments(conn: &mut AnyConnection, rows: &[CommentTuple]) -> sqlx::Result<()> {
    for (id, post, user, active, version, created, edited, votes, author, content) in rows {
        sqlx::query(
            "INSERT INTO rm_comment (comment_id, post_id, user_id, is_active, version, created, edited, vote_count, \
             author_name, body_html) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(post)
        .bind(user)
        .bind(active)
        .bind(version)
        .bind(created)
        .bind(edited)
        .bind(votes)
        .bind(author.as_deref())
        .bind(markdown::render(content))
        .execute(&mut *conn)
        .await?;
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
    sqlx::query(
        "UPDATE rm_comment SET vote_count = (SELECT COUNT(*) FROM voter_comment v WHERE v.comment_id = ?) \
         WHERE comment_id = ?",
    )
    .bind(comment_id)
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
