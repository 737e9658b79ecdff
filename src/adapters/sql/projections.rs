//! Projections: bring the read model up to date with recorded events, exactly once each.
//!
//! Each handler recomputes the affected read rows from the write tables by key (delete, then
//! insert … select), so a handler is correct whatever happened before it; the `applied` flag
//! is set in the same transaction as the read rows it wrote, so a crash in between redoes
//! the whole step on the next start, never half of it.

use super::{Dialect, SqlDatabase, db_err};
use crate::domain::Event;
use crate::ports::{Projector, StoreResult};
use anyhow::Context;
use async_trait::async_trait;
use sqlx::AnyConnection;

/// Events applied per transaction: large enough to catch up fast after a bulk import.
const BATCH: i64 = 500;

/// The read rows of one user, as the write tables say they should be.
const USER_ROWS: &str = "SELECT u.id, u.name, u.name_key, COALESCE(r.name, 'member'), \
    COALESCE((SELECT s.name FROM user_state us JOIN state s ON s.id = us.state_id \
              WHERE us.user_id = u.id ORDER BY us.id DESC LIMIT 1), 'active'), \
    u.created_datetime, \
    (SELECT COUNT(*) FROM post p WHERE p.user_id = u.id AND p.is_active = 1), \
    (SELECT COUNT(*) FROM comment c WHERE c.user_id = u.id AND c.is_active = 1) \
    FROM user u LEFT JOIN role r ON r.id = u.role_id";

/// The tree rows as the write tables say they should be; a board counts its categories' posts.
const CATEGORY_ROWS: &str = "SELECT c.id, c.tier, c.name, c.parent_id, p.name, \
    (SELECT COUNT(*) FROM post x WHERE x.is_active = 1 AND (x.category_id = c.id \
        OR x.category_id IN (SELECT k.id FROM category k WHERE k.parent_id = c.id))) \
    FROM category c LEFT JOIN category p ON p.id = c.parent_id";

async fn refresh_user(conn: &mut AnyConnection, user_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rm_user WHERE user_id = ?")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO rm_user (user_id, name, name_key, role, state, joined, post_count, comment_count) \
         {USER_ROWS} WHERE u.id = ?"
    ));
    sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    Ok(())
}

/// Refreshes a category, and its children too (they show the parent's name).
async fn refresh_category(conn: &mut AnyConnection, category_id: i64) -> sqlx::Result<()> {
    let children: Vec<i64> = sqlx::query_scalar("SELECT id FROM category WHERE parent_id = ?")
        .bind(category_id)
        .fetch_all(&mut *conn)
        .await?;
    for id in std::iter::once(category_id).chain(children) {
        sqlx::query("DELETE FROM rm_category WHERE category_id = ?")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO rm_category (category_id, tier, name, parent_id, parent_name, post_count) \
             {CATEGORY_ROWS} WHERE c.id = ?"
        ));
        sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

async fn apply(conn: &mut AnyConnection, event: &Event) -> sqlx::Result<()> {
    if let Some(user_id) = event.user_id() {
        return refresh_user(conn, user_id).await;
    }
    match *event {
        Event::CategoryAdded { category_id } | Event::CategoryRenamed { category_id } => {
            refresh_category(conn, category_id).await
        }
        _ => Ok(()),
    }
}

/// Rows of one read table compared with the rows the write tables say it should hold.
async fn compare_table(
    pool: &sqlx::AnyPool,
    label: &str,
    actual_sql: &'static str,
    expected_sql: String,
    differences: &mut Vec<String>,
) -> StoreResult<()> {
    use sqlx::Row;
    fn render(row: &sqlx::any::AnyRow) -> String {
        (0..row.len())
            .map(|i| {
                row.try_get::<Option<i64>, _>(i)
                    .map(|v| v.map_or("NULL".to_string(), |v| v.to_string()))
                    .or_else(|_| {
                        row.try_get::<Option<String>, _>(i)
                            .map(|v| v.unwrap_or_else(|| "NULL".into()))
                    })
                    .unwrap_or_else(|_| "?".into())
            })
            .collect::<Vec<_>>()
            .join(" | ")
    }
    let actual: Vec<String> = sqlx::query(actual_sql)
        .fetch_all(pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(render)
        .collect();
    let expected: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(expected_sql))
        .fetch_all(pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(render)
        .collect();
    let actual_set: std::collections::BTreeSet<_> = actual.iter().collect();
    let expected_set: std::collections::BTreeSet<_> = expected.iter().collect();
    for row in expected_set.difference(&actual_set) {
        differences.push(format!("{label}: missing or wrong, expected [{row}]"));
    }
    for row in actual_set.difference(&expected_set) {
        differences.push(format!("{label}: unexpected row [{row}]"));
    }
    Ok(())
}

#[async_trait]
impl Projector for SqlDatabase {
    async fn apply_pending(&self) -> StoreResult<Vec<Event>> {
        let mut applied = Vec::new();
        loop {
            let mut tx = self
                .pool
                .begin_with(self.dialect.begin_write())
                .await
                .map_err(db_err)?;
            // On MariaDB the row locks make a second instance wait instead of applying twice.
            let select = match self.dialect {
                Dialect::Sqlite => {
                    "SELECT id, payload FROM event WHERE applied = 0 ORDER BY id LIMIT ?"
                }
                Dialect::MariaDb => {
                    "SELECT id, payload FROM event WHERE applied = 0 ORDER BY id LIMIT ? FOR UPDATE"
                }
            };
            let batch: Vec<(i64, String)> = sqlx::query_as(select)
                .bind(BATCH)
                .fetch_all(&mut *tx)
                .await
                .map_err(db_err)?;
            if batch.is_empty() {
                tx.commit().await.map_err(db_err)?;
                return Ok(applied);
            }
            for (id, payload) in &batch {
                let event: Event = serde_json::from_str(payload)
                    .with_context(|| format!("event {id} cannot be read: {payload}"))?;
                apply(&mut tx, &event).await.map_err(db_err)?;
                sqlx::query("UPDATE event SET applied = 1 WHERE id = ?")
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                applied.push(event);
            }
            tx.commit().await.map_err(db_err)?;
        }
    }

    async fn check(&self) -> StoreResult<Vec<String>> {
        let mut differences = Vec::new();
        compare_table(
            &self.pool,
            "rm_user",
            "SELECT user_id, name, name_key, role, state, joined, post_count, comment_count FROM rm_user",
            USER_ROWS.to_string(),
            &mut differences,
        )
        .await?;
        compare_table(
            &self.pool,
            "rm_category",
            "SELECT category_id, tier, name, parent_id, parent_name, post_count FROM rm_category",
            CATEGORY_ROWS.to_string(),
            &mut differences,
        )
        .await?;
        Ok(differences)
    }

    async fn rebuild(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> StoreResult<()> {
        let mut tx = self
            .pool
            .begin_with(self.dialect.begin_write())
            .await
            .map_err(db_err)?;
        let steps: [(&str, String); 2] = [
            (
                "rm_user",
                format!(
                    "INSERT INTO rm_user (user_id, name, name_key, role, state, joined, post_count, comment_count) {USER_ROWS}"
                ),
            ),
            (
                "rm_category",
                format!(
                    "INSERT INTO rm_category (category_id, tier, name, parent_id, parent_name, post_count) {CATEGORY_ROWS}"
                ),
            ),
        ];
        let total = steps.len() as u64;
        for (done, (table, fill)) in steps.into_iter().enumerate() {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            sqlx::query(sqlx::AssertSqlSafe(fill))
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            progress(done as u64 + 1, total);
        }
        // Everything recorded so far is now reflected.
        sqlx::query("UPDATE event SET applied = 1 WHERE applied = 0")
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }
}
