//! Reads for the sign-up guards: settings as stored, and the invite codes for the admin page.

use super::super::rows::read_by_name;
use super::super::{SqlDatabase, db_err};
use crate::ports::{InviteRow, StoreResult};

read_by_name!(InviteRow { code, created, used_by, used, revoked });

pub(super) async fn setting(db: &SqlDatabase, name: &str) -> StoreResult<Option<String>> {
    sqlx::query_scalar("SELECT value FROM forum_setting WHERE name = ?")
        .bind(name)
        .fetch_optional(&db.pool)
        .await
        .map_err(db_err)
}

pub(super) async fn invites(db: &SqlDatabase, limit: i64) -> StoreResult<Vec<InviteRow>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT i.code, i.created_datetime AS created, u.name AS used_by, i.used_datetime AS used, \
         i.revoked_datetime AS revoked FROM invite i LEFT JOIN user u ON u.id = i.used_by \
         ORDER BY i.created_datetime DESC, i.code LIMIT {limit}"
    ));
    sqlx::query_as(sql).fetch_all(&db.pool).await.map_err(db_err)
}
