//! Which projections each event moves.

use super::super::Dialect;
use super::categories::{CATEGORIES, rename_category};
use super::comments::{count_comment, recount_comment_votes, refresh_comment};
use super::moderators::refresh_board_moderator;
use super::modlog::{insert_entry, rename_board, rename_user};
use super::posts::{count_post, move_post_count, recount_post, refresh_post};
use super::reports::{move_open_reports, refresh_open_report};
use super::users::{USERS, rename_author, update_user};
use crate::domain::Event;
use sqlx::AnyConnection;

/// Applies one event to the read model, inside the transaction that marks it applied.
pub(super) async fn apply(conn: &mut AnyConnection, dialect: Dialect, event: &Event) -> sqlx::Result<()> {
    match event {
        Event::UserRegistered { user_id, .. } => USERS.insert_uncounted(conn, *user_id).await,
        Event::UserRenamed { user_id, .. } | Event::UserResigned { user_id, .. } => {
            update_user(conn, *user_id).await?;
            rename_user(conn, *user_id).await?;
            rename_author(conn, dialect, *user_id).await
        }
        Event::UserRoleChanged { user_id, .. }
        | Event::UserBlocked { user_id, .. }
        | Event::UserUnblocked { user_id, .. } => update_user(conn, *user_id).await,
        Event::CategoryAdded { category_id } => CATEGORIES.insert_uncounted(conn, *category_id).await,
        Event::CategoryRenamed { category_id } => {
            rename_board(conn, *category_id).await?;
            rename_category(conn, *category_id).await
        }
        Event::ModeratorActed { action_id, .. } => insert_entry(conn, *action_id).await,
        Event::BoardModeratorAdded { user_id, board_id } | Event::BoardModeratorRemoved { user_id, board_id } => {
            refresh_board_moderator(conn, *user_id, *board_id).await
        }
        Event::PostCreated { post } | Event::PostRestored { post } => {
            refresh_post(conn, dialect, post.post_id).await?;
            count_post(conn, post, 1).await
        }
        Event::PostDeleted { post } => {
            refresh_post(conn, dialect, post.post_id).await?;
            count_post(conn, post, -1).await
        }
        Event::PostEdited { post }
        | Event::ThreadLocked { post, .. }
        | Event::ThreadUnlocked { post, .. }
        | Event::ThreadPinned { post, .. }
        | Event::ThreadUnpinned { post, .. } => refresh_post(conn, dialect, post.post_id).await,
        Event::PostMoved { post, from_category_id, from_board_id, was_active, .. } => {
            refresh_post(conn, dialect, post.post_id).await?;
            // A removed post was taken off the counts when it was removed, and is counted
            // where it is then when it is restored.
            if *was_active {
                move_post_count(conn, (*from_category_id, *from_board_id), post).await?;
            }
            move_open_reports(conn, post).await
        }
        Event::PostVoteCast { post, .. } | Event::PostVoteWithdrawn { post, .. } => {
            recount_post(conn, post.post_id).await
        }
        Event::CommentAdded { comment } | Event::CommentRestored { comment } => {
            refresh_comment(conn, comment.comment_id).await?;
            recount_post(conn, comment.post.post_id).await?;
            count_comment(conn, comment.author_id, 1).await
        }
        Event::CommentDeleted { comment } => {
            refresh_comment(conn, comment.comment_id).await?;
            recount_post(conn, comment.post.post_id).await?;
            count_comment(conn, comment.author_id, -1).await
        }
        Event::CommentEdited { comment } => refresh_comment(conn, comment.comment_id).await,
        Event::CommentVoteCast { comment, .. } | Event::CommentVoteWithdrawn { comment, .. } => {
            recount_comment_votes(conn, comment.comment_id).await
        }
        Event::ReportFiled { item, .. } | Event::ReportsResolved { item, .. } => refresh_open_report(conn, *item).await,
        // The seeder wrote the read rows with the write rows.
        Event::ForumSeeded { .. } => Ok(()),
        // Notifications have no read-model copy: the event only drops cached counts.
        Event::NotificationsChanged { .. } => Ok(()),
    }
}
