//! Writes of boards and categories.

use super::super::db_err;
use super::super::rows::read_by_name;
use super::run;
use crate::domain::CategoryId;
use crate::ports::{CategoryRecord, StoreResult};
use sqlx::AnyConnection;

read_by_name!(CategoryRecord { id, tier, name, parent_id });

pub(super) async fn category(conn: &mut AnyConnection, id: CategoryId) -> StoreResult<Option<CategoryRecord>> {
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
    parent_id: Option<CategoryId>,
) -> StoreResult<CategoryId> {
    sqlx::query_scalar("INSERT INTO category (tier, name, parent_id) VALUES (?, ?, ?) RETURNING id")
        .bind(tier)
        .bind(name)
        .bind(parent_id)
        .fetch_one(conn)
        .await
        .map_err(db_err)
}

pub(super) async fn rename_category(conn: &mut AnyConnection, id: CategoryId, name: &str) -> StoreResult<()> {
    run(conn, sqlx::query("UPDATE category SET name = ? WHERE id = ?").bind(name).bind(id)).await?;
    Ok(())
}
