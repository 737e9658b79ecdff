//! Reads of posts from the read model: one indexed query per list page, a key lookup per post.

use super::super::rows::read_by_name;
use super::super::{Param, SqlDatabase};
use crate::domain::PostId;
use crate::ports::{ListCursor, ListScope, ListSlice, PostListRow, PostView, StoreResult};

/// The columns of a list row, `p` being `rm_post`.
pub(in super::super) const LIST_COLUMNS: &str = "p.post_id, p.title, p.author_name, p.category_id, \
     p.category_name, p.created, p.edited, p.comment_count, p.vote_count, p.is_locked, \
     CASE WHEN p.pinned_at > 0 THEN 1 ELSE 0 END AS is_pinned";

read_by_name!(PostListRow {
    post_id,
    title,
    author_name,
    category_id,
    category_name,
    created,
    edited,
    comment_count,
    vote_count,
    is_locked,
    is_pinned,
});

/// The filter for a scope (`p` being `rm_post`), and the id it binds (none for `All`).
/// The condition of a list's posts, and the id it is bound to (a board, category or author).
pub(in super::super) fn scope_filter(scope: ListScope) -> (&'static str, Option<i64>) {
    match scope {
        ListScope::All => ("p.is_active = 1", None),
        ListScope::Board(id) => ("p.board_id = ? AND p.is_active = 1", Some(id.0)),
        ListScope::Category(id) => ("p.category_id = ? AND p.is_active = 1", Some(id.0)),
        ListScope::Author(id) => ("p.user_id = ? AND p.is_active = 1", Some(id.0)),
    }
}

/// A list row and what lies around the page (the same on every row).
struct ListedPost {
    post: PostListRow,
    newer_count: i64,
    older_exists: bool,
}
read_by_name!(ListedPost { post as row, newer_count, older_exists });

pub(super) async fn post_list_page(
    db: &SqlDatabase,
    scope: ListScope,
    cursor: ListCursor,
    size: i64,
) -> StoreResult<ListSlice> {
    let (filter, scope_id) = scope_filter(scope);
    // A board's or category's pinned posts head its first page (`pinned_posts`) instead of
    // taking their places in its pages; other lists show them where they fall.
    let filter = match scope {
        ListScope::Board(_) | ListScope::Category(_) => format!("{filter} AND p.pinned_at = 0"),
        ListScope::All | ListScope::Author(_) => filter.to_string(),
    };
    let index = db.dialect.list_index(scope);
    // What lies around the page is read by uncorrelated subqueries inside the same statement
    // (each evaluated once, each a short walk of the list's index), not by second round trips.
    // The newer posts are counted only up to one more than a page: enough to tell whether
    // the "newer" link leads to the top of the list.
    let counted = size + 1;
    let newer_than = |key: &str, offset: i64| {
        format!(
            "(SELECT COUNT(*) FROM (SELECT 1 AS one FROM rm_post p{index} WHERE {filter} AND p.post_id {key} ? \
             ORDER BY p.post_id LIMIT {counted} OFFSET {offset}) newer_posts)"
        )
    };
    let older_than =
        |key: &str| format!("EXISTS (SELECT 1 FROM rm_post p{index} WHERE {filter} AND p.post_id {key} ?)");
    // (the list's own condition, its order, how many rows it reads, the subqueries' columns,
    // the cursor's id). Pages read one row more than they show when that row tells whether
    // older posts follow.
    let (keyset, order, limit, around, key) = match cursor {
        ListCursor::Newest => ("", "DESC", counted, String::from("0 AS newer_count, 0 AS older_exists"), None),
        // The posts newer than the page are the cursor's and newer (none lie between).
        ListCursor::Before(id) => (
            " AND p.post_id < ?",
            "DESC",
            counted,
            format!("{} AS newer_count, 0 AS older_exists", newer_than(">=", 0)),
            Some(id),
        ),
        // The page is the `size` posts after the cursor; the ones newer than it come after those.
        ListCursor::After(id) => (
            " AND p.post_id > ?",
            "ASC",
            size,
            format!("{} AS newer_count, {} AS older_exists", newer_than(">", size), older_than("<=")),
            Some(id),
        ),
    };
    // LIMIT is written into the statement, never bound: SQLite plans with a bound LIMIT's
    // value and so prepares the statement again every time it is bound.
    let sql = format!(
        "SELECT {LIST_COLUMNS}, {around} FROM rm_post p{index} WHERE {filter}{keyset} \
         ORDER BY p.post_id {order} LIMIT {limit}"
    );
    // The placeholders in order: each subquery's scope and key, then the list's.
    let scope_param = scope_id.map(Param::Int);
    let key_param = key.map(Param::from);
    let subqueries = match cursor {
        ListCursor::Newest => 0,
        ListCursor::Before(_) => 1,
        ListCursor::After(_) => 2,
    };
    let mut params: Vec<Param> = Vec::new();
    for _ in 0..subqueries {
        params.extend(scope_param);
        params.extend(key_param);
    }
    params.extend(scope_param);
    params.extend(key_param);
    let listed: Vec<ListedPost> = db.short_read(&sql, &params).await?;
    let (newer_count, older_exists) = listed.first().map_or((0, false), |row| (row.newer_count, row.older_exists));
    let mut rows: Vec<PostListRow> = listed.into_iter().map(|row| row.post).collect();
    let has_older = match cursor {
        ListCursor::After(_) => {
            rows.reverse();
            older_exists
        }
        ListCursor::Newest | ListCursor::Before(_) => {
            let more = rows.len() as i64 > size;
            rows.truncate(size as usize);
            more
        }
    };
    Ok(ListSlice { rows, has_older, newer_count })
}

/// The pinned posts of a board or category (none for other lists), newest pin first.
pub(super) async fn pinned_posts(db: &SqlDatabase, scope: ListScope, limit: i64) -> StoreResult<Vec<PostListRow>> {
    let (column, id, index) = match scope {
        ListScope::Board(id) => ("board_id", id, "rm_post_pinned_by_board"),
        ListScope::Category(id) => ("category_id", id, "rm_post_pinned_by_category"),
        ListScope::All | ListScope::Author(_) => return Ok(Vec::new()),
    };
    let index = match db.dialect {
        super::super::Dialect::Sqlite => format!(" INDEXED BY {index}"),
        super::super::Dialect::MariaDb => format!(" FORCE INDEX ({index})"),
    };
    let sql = format!(
        "SELECT {LIST_COLUMNS} FROM rm_post p{index} WHERE p.{column} = ? AND p.pinned_at > 0 AND p.is_active = 1 \
         ORDER BY p.pinned_at DESC, p.post_id DESC LIMIT {limit}"
    );
    db.short_read(&sql, &[Param::from(id)]).await
}

read_by_name!(PostView {
    post_id,
    user_id,
    author_name,
    category_id,
    board_id,
    title,
    body_html,
    version,
    created,
    edited,
    comment_count,
    vote_count,
    is_active,
    is_locked,
    lock_reason,
    is_pinned,
});

pub(super) async fn post_view(db: &SqlDatabase, id: PostId) -> StoreResult<Option<PostView>> {
    db.short_read_one(
        "SELECT post_id, user_id, author_name, category_id, board_id, title, body_html, \
         version, created, edited, comment_count, vote_count, is_active, is_locked, lock_reason, \
         CASE WHEN pinned_at > 0 THEN 1 ELSE 0 END AS is_pinned FROM rm_post WHERE post_id = ?",
        &[id.into()],
    )
    .await
}
