//! The moderation log projection: `rm_modlog`, one row per `moderation_action`, with the
//! names of the moderator, the board and the blocked user written in (and rewritten when a
//! user or board is renamed), so the log's pages are one indexed read.

use super::ReadTable;
use crate::domain::{CategoryId, ModerationActionId, UserId};
use sqlx::AnyConnection;

/// The log's read table and the query over the write tables that gives its rows.
pub(super) const MODLOG: ReadTable = ReadTable {
    table: "rm_modlog",
    key: "action_id",
    columns: "action_id, kind, moderator_id, moderator_name, board_id, board_name, post_id, comment_id, \
              target_user_id, target_name, reason, is_private, until_datetime, created",
    sources: "SELECT a.id AS action_id, a.kind, a.moderator_id, m.name AS moderator_name, a.board_id, \
              c.name AS board_name, a.post_id, a.comment_id, a.target_user_id, t.name AS target_name, a.reason, \
              a.is_private, a.until_datetime, a.created_datetime AS created \
              FROM moderation_action a JOIN user m ON m.id = a.moderator_id \
              LEFT JOIN category c ON c.id = a.board_id LEFT JOIN user t ON t.id = a.target_user_id",
    source_key: "a.id",
    // The log has no counts.
    uncounted: "",
};

/// A new entry's row, made from its write row.
pub(super) async fn insert_entry(conn: &mut AnyConnection, action_id: ModerationActionId) -> sqlx::Result<()> {
    let ReadTable { table, key, columns, sources, source_key, .. } = MODLOG;
    for statement in [
        format!("DELETE FROM {table} WHERE {key} = ?"),
        format!("INSERT INTO {table} ({columns}) {sources} WHERE {source_key} = ?"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(statement)).bind(action_id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// A user's new name (or none, once resigned) on the entries they made or were the subject of.
pub(super) async fn rename_user(conn: &mut AnyConnection, user_id: UserId) -> sqlx::Result<()> {
    for statement in [
        "UPDATE rm_modlog SET moderator_name = (SELECT name FROM user WHERE id = moderator_id) WHERE moderator_id = ?",
        "UPDATE rm_modlog SET target_name = (SELECT name FROM user WHERE id = target_user_id) WHERE target_user_id = ?",
    ] {
        sqlx::query(statement).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// A board's new name on its entries.
pub(super) async fn rename_board(conn: &mut AnyConnection, board_id: CategoryId) -> sqlx::Result<()> {
    sqlx::query("UPDATE rm_modlog SET board_name = (SELECT name FROM category WHERE id = board_id) WHERE board_id = ?")
        .bind(board_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
