//! Writes of boards and categories.

use super::super::db_err;
use super::super::rows::read_by_name;
use super::run;
use crate::ports::{CategoryRecord, StoreResult};
use sqlx::AnyConnection;

read_by_name!(CategoryRecord { id, tier, name, parent_id });

pub(super) async fn category(conn: &mut AnyConnection, id: i64) -> StoreResult<Option<CategoryRecord>> {
    sqlx::query_as("SELECT id, tier, name, parent_id FROM category WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await
        .map_err(db_err)
}

pub(super) async fn insert_category(
    conn: &mut AnyConnection,
    tier: i64,
    name: &str,
    parent_id: Option<i64>,
) -> StoreResult<i64> {
    sqlx::query_scalar("INSERT INTO category (tier, name, parent_id) VALUES (?, ?, ?) RETURNING id")
        .bind(tier)
        .bind(name)
        .bind(parent_id)
        .fetch_one(conn)
        .await
        .map_err(db_err)
}

pub(super) async fn rename_category(conn: &mut AnyConnection, id: i64, name: &str) -> StoreResult<()> {
    run(conn, sqlx::query("UPDATE category SET name = ? WHERE id = ?").bind(name).bind(id)).await?;
    Ok(())
}
