//! The board moderator projection: `rm_board_moderator`, one row per write row.

use crate::domain::{CategoryId, UserId};
use sqlx::AnyConnection;

/// The rows as the write table says they are, for the rebuild and the check.
pub(super) const MODERATOR_SOURCES: &str = "SELECT user_id, board_id FROM board_moderator";

/// A user's row for a board, made to match the write table (there or not there).
pub(super) async fn refresh_board_moderator(
    conn: &mut AnyConnection,
    user_id: UserId,
    board_id: CategoryId,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rm_board_moderator WHERE user_id = ? AND board_id = ?")
        .bind(user_id)
        .bind(board_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO rm_board_moderator (user_id, board_id) \
         SELECT user_id, board_id FROM board_moderator WHERE user_id = ? AND board_id = ?",
    )
    .bind(user_id)
    .bind(board_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The statements that rewrite the whole table.
pub(super) fn refill_moderators() -> [String; 2] {
    [
        "DELETE FROM rm_board_moderator".to_string(),
        format!("INSERT INTO rm_board_moderator (user_id, board_id) {MODERATOR_SOURCES}"),
    ]
}
