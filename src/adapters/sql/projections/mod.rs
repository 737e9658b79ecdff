//! Projections: bring the read model up to date with recorded events, exactly once each.
//!
//! Each event is applied in the same transaction that marks it applied, so a crash in
//! between redoes the whole step on the next start, never half of it. A post's or comment's
//! row is recomputed from the write tables by key, so it is right whatever came before.
//! Counts shown on the board tree and profiles move by exactly one per event instead
//! (recounting a big board per new post would be too slow); that is exact because each event
//! is applied once.
//!
//! - [`apply`]: which projections an event moves;
//! - [`posts`], [`comments`], [`users`], [`categories`], [`moderators`], [`reports`], [`modlog`]:
//!   one read table each;
//! - [`check`]: the read-model check against the write tables;
//! - [`rebuild`]: the read model rebuilt from the write tables.

mod apply;
mod categories;
mod check;
mod comments;
mod mentions;
mod moderators;
mod modlog;
mod posts;
mod rebuild;
mod reports;
mod users;

pub(super) use comments::CommentRow;
pub(super) use mentions::known_mentions;
pub(super) use posts::{PostRow, insert_posts};
pub(super) use rebuild::{refill_statements, refill_users_and_categories};

use super::ids::SqlId;
use super::rows::read_by_name;
use super::{Dialect, SqlDatabase, db_err};
use crate::domain::{Event, markdown};
use crate::ports::{Projector, StoreResult};
use anyhow::Context;
use async_trait::async_trait;
use sqlx::AnyConnection;

/// Events applied per transaction: large enough to catch up fast after a bulk import.
const BATCH: i64 = 500;
/// Posts or comments per transaction of a rebuild, and per step of a check.
const CHUNK: i64 = 5_000;

/// A read table whose rows one query over the write tables gives (`sources`, its columns in
/// the order of `columns`), and whose counts the events move.
pub(super) struct ReadTable {
    table: &'static str,
    key: &'static str,
    columns: &'static str,
    sources: &'static str,
    /// The column of `sources` that is the key.
    source_key: &'static str,
    /// The assignments that set the counts to zero.
    uncounted: &'static str,
}

impl ReadTable {
    /// A new user or category: its row, with the counts at zero. The counts belong to the
    /// post and comment events, each adding one, even when this event is applied late (after
    /// a crash) and the write tables already hold posts whose events are still to come.
    async fn insert_uncounted(&self, conn: &mut AnyConnection, id: impl SqlId) -> sqlx::Result<()> {
        let ReadTable { table, key, columns, sources, source_key, uncounted } = self;
        for statement in [
            format!("DELETE FROM {table} WHERE {key} = ?"),
            format!("INSERT INTO {table} ({columns}) {sources} WHERE {source_key} = ?"),
            format!("UPDATE {table} SET {uncounted} WHERE {key} = ?"),
        ] {
            sqlx::query(sqlx::AssertSqlSafe(statement)).bind(id).execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// The statements that rewrite the whole table, counts included.
    fn refill(&self) -> [String; 2] {
        [
            format!("DELETE FROM {}", self.table),
            format!("INSERT INTO {} ({}) {}", self.table, self.columns, self.sources),
        ]
    }
}

/// Renders many Markdown texts, on every core when there are enough to be worth it.
pub(super) fn render_all<'a>(
    sources: impl Iterator<Item = &'a str>,
    known: &std::collections::HashSet<String>,
) -> Vec<String> {
    let sources: Vec<&str> = sources.collect();
    let known = |key: &str| known.contains(key);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if sources.len() < 64 || threads == 1 {
        return sources.into_iter().map(|s| markdown::render_with_mentions(s, &known)).collect();
    }
    let per_thread = sources.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = sources
            .chunks(per_thread)
            .map(|part| {
                let known = &known;
                scope.spawn(move || part.iter().map(|s| markdown::render_with_mentions(s, known)).collect::<Vec<_>>())
            })
            .collect();
        parts.into_iter().flat_map(|p| p.join().expect("rendering does not panic")).collect()
    })
}

/// An event as the log stores it.
struct RecordedEvent {
    id: i64,
    payload: String,
}
read_by_name!(RecordedEvent { id, payload });

impl RecordedEvent {
    fn decode(&self) -> anyhow::Result<Event> {
        serde_json::from_str(&self.payload)
            .with_context(|| format!("event {} cannot be read: {}", self.id, self.payload))
    }
}

impl SqlDatabase {
    /// The highest id of a write table (0 when it is empty).
    pub(super) async fn max_id(&self, table: &str) -> StoreResult<i64> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT COALESCE(MAX(id), 0) FROM {table}"));
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.map_err(db_err)
    }

    /// Applies the next batch of events not yet applied, in one transaction; returns them.
    async fn apply_batch(&self) -> StoreResult<Vec<Event>> {
        let _turn = self.writer_turn().await;
        let mut tx = self.pool.begin_with(self.dialect.begin_write()).await.map_err(db_err)?;
        // On MariaDB a second instance waits for its turn here instead of applying twice (a
        // record lock on one row; see migrations/mariadb/0004_projector_lock.sql).
        if self.dialect == Dialect::MariaDb {
            sqlx::query("SELECT id FROM projector_turn WHERE id = 1 FOR UPDATE")
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        // LIMIT is written in, not bound: SQLite prepares a statement with a bound LIMIT again
        // on every run.
        let select =
            sqlx::AssertSqlSafe(format!("SELECT id, payload FROM event WHERE applied = 0 ORDER BY id LIMIT {BATCH}"));
        let batch: Vec<RecordedEvent> = sqlx::query_as(select).fetch_all(&mut *tx).await.map_err(db_err)?;
        let mut applied = Vec::with_capacity(batch.len());
        for recorded in &batch {
            let event = recorded.decode()?;
            apply::apply(&mut tx, self.dialect, &event).await.map_err(db_err)?;
            sqlx::query("UPDATE event SET applied = 1 WHERE id = ?")
                .bind(recorded.id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            applied.push(event);
        }
        tx.commit().await.map_err(db_err)?;
        Ok(applied)
    }
}

#[async_trait]
impl Projector for SqlDatabase {
    async fn apply_pending(&self) -> StoreResult<Vec<Event>> {
        let mut applied = Vec::new();
        loop {
            let batch = self.apply_batch().await?;
            if batch.is_empty() {
                return Ok(applied);
            }
            applied.extend(batch);
        }
    }

    async fn last_event_id(&self) -> StoreResult<i64> {
        self.max_id("event").await
    }

    async fn events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<(i64, Event)>> {
        let select =
            sqlx::AssertSqlSafe(format!("SELECT id, payload FROM event WHERE id > ? ORDER BY id LIMIT {limit}"));
        let rows: Vec<RecordedEvent> =
            sqlx::query_as(select).bind(after).fetch_all(&self.pool).await.map_err(db_err)?;
        rows.iter().map(|recorded| Ok((recorded.id, recorded.decode()?))).collect()
    }

    async fn check(&self) -> StoreResult<Vec<String>> {
        self.check_read_model().await
    }

    async fn rebuild(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> StoreResult<()> {
        self.rebuild_read_model(progress).await
    }
}
