//! The rows of seeded users and the read-model rows of seeded posts, as the commands and the
//! projections would write them: the same for the chunked writer (sqlx) and the SQLite bulk
//! loader.

use super::super::content_projection::{CommentRow, PostRow};
use super::data::{EDIT_INTERVAL_MS, SeedPost, Target, TextPools, user_name};
use crate::domain::fold_key;

/// The users a seed adds: members, active, all with the same password, joined at one time.
pub(super) struct NewUsers {
    pub ids: Vec<i64>,
    pub password_hash: String,
    pub joined: i64,
}

/// A member's `role_id` and an active user's `state_id`, as the migrations number them.
pub(super) const MEMBER_ROLE: i64 = 3;
pub(super) const ACTIVE_STATE: i64 = 1;

/// A seeded user's `user` row, less what every seeded user shares.
pub(super) struct UserRow {
    pub id: i64,
    pub name: String,
    pub name_key: String,
    pub email: String,
}

pub(super) fn user_row(id: i64) -> UserRow {
    let name = user_name(id);
    UserRow { id, name_key: fold_key(&name), name, email: format!("user{id}@example.com") }
}

/// The post's rm_post row (and search entry): its latest version, its counts, where it is.
pub(super) fn post_row<'a>(
    post: &'a SeedPost,
    author: &'a str,
    texts: &'a TextPools,
    targets: &'a [Target],
) -> PostRow<'a> {
    let (version, latest) = post.latest();
    let target = &targets[post.target];
    let text = &texts.posts[latest.text];
    PostRow {
        post_id: post.id,
        board_id: target.board_id,
        category_id: target.id,
        user_id: post.author,
        is_active: true,
        version,
        created: post.created,
        edited: post.created + version * EDIT_INTERVAL_MS,
        comment_count: post.comments.len() as i64,
        vote_count: post.voters.len() as i64,
        author_name: Some(author),
        category_name: &target.name,
        title: &latest.title,
        content: &text.source,
        body_html: &text.html,
    }
}

/// The rm_comment rows of the post's comments; `authors` are their authors' names, in order.
pub(super) fn comment_rows<'a>(
    post: &'a SeedPost,
    authors: &'a [String],
    texts: &'a TextPools,
) -> impl Iterator<Item = CommentRow<'a>> {
    post.comments.iter().zip(authors).map(move |(comment, author)| CommentRow {
        comment_id: comment.id,
        post_id: post.id,
        user_id: comment.author,
        is_active: true,
        version: 0,
        created: comment.created,
        edited: comment.created,
        vote_count: 0,
        author_name: Some(author),
        body_html: &texts.comments[comment.text].html,
    })
}
