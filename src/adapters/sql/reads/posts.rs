//! Reads of posts from the read model: one indexed query per list page, a key lookup per post.

use super::super::rows::read_by_name;
use super::super::{Param, SqlDatabase};
use crate::domain::PostId;
use crate::ports::{ListCursor, ListScope, PostListRow, PostView, StoreResult};

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

/// A list row and whether the list goes on past the cursor (the same on every row).
struct ListedPost {
    post: PostListRow,
    beyond: bool,
}
read_by_name!(ListedPost { post as row, beyond });

pub(super) async fn post_list_page(
    db: &SqlDatabase,
    scope: ListScope,
    cursor: ListCursor,
    limit: i64,
) -> StoreResult<(Vec<PostListRow>, bool)> {
    let (filter, scope_id) = scope_filter(scope);
    // A board's or category's pinned posts head its first page (`pinned_posts`) instead of
    // taking their places in its pages; other lists show them where they fall.
    let filter = match scope {
        ListScope::Board(_) | ListScope::Category(_) => format!("{filter} AND p.pinned_at = 0"),
        ListScope::All | ListScope::Author(_) => filter.to_string(),
    };
    let index = db.dialect.list_index(scope);
    // Whether the list goes on past the cursor is one index probe inside the same
    // statement (an uncorrelated subquery, evaluated once), not a second round trip.
    let (keyset, order, beyond, key) = match cursor {
        ListCursor::Newest => ("", "DESC", String::from("0"), None),
        ListCursor::Before(id) => (
            " AND p.post_id < ?",
            "DESC",
            format!("EXISTS (SELECT 1 FROM rm_post p{index} WHERE {filter} AND p.post_id >= ?)"),
            Some(id),
        ),
        ListCursor::After(id) => (
            " AND p.post_id > ?",
            "ASC",
            format!("EXISTS (SELECT 1 FROM rm_post p{index} WHERE {filter} AND p.post_id <= ?)"),
            Some(id),
        ),
    };
    // LIMIT is written into the statement, never bound: SQLite plans with a bound LIMIT's
    // value and so prepares the statement again every time it is bound.
    let sql = format!(
        "SELECT {LIST_COLUMNS}, {beyond} AS beyond FROM rm_post p{index} WHERE {filter}{keyset} \
         ORDER BY p.post_id {order} LIMIT {limit}"
    );
    // The placeholders in order: the subquery's scope and key, then the list's.
    let scope_param = scope_id.map(Param::Int);
    let key_param = key.map(Param::from);
    let params: Vec<Param> = match key_param {
        Some(_) => [scope_param, key_param, scope_param, key_param].into_iter().flatten().collect(),
        None => scope_param.into_iter().collect(),
    };
    let listed: Vec<ListedPost> = db.short_read(&sql, &params).await?;
    let beyond = listed.first().is_some_and(|row| row.beyond);
    let mut rows: Vec<PostListRow> = listed.into_iter().map(|row| row.post).collect();
    if matches!(cursor, ListCursor::After(_)) {
        rows.reverse();
    }
    Ok((rows, beyond))
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
