//! Values a migration adds a column for but only the program can compute, filled in at start.
//! Cheap when there is nothing to fill, which is every start but the first after the migration.

use super::SqlDatabase;
use super::conflicts::{OnUnique, USER_KEYS};
use super::rows::read_by_name;
use super::search::TermCounts;
use crate::domain::{UserId, name_skeleton};
use crate::ports::StoreError;

/// Rows filled per transaction.
const BATCH: usize = 1000;

/// Search entries read per query while their words are counted.
const COUNTED_PER_READ: i64 = 10_000;

/// A user whose name has no skeleton yet.
struct Unfilled {
    id: UserId,
    name: String,
}
read_by_name!(Unfilled { id, name });

impl SqlDatabase {
    /// Gives every named user made before `user.name_skeleton` existed their name's skeleton.
    /// Where two older names already look alike, the first keeps the skeleton and the later
    /// stays without one: both go on working, and no new name may look like the first.
    pub(super) async fn fill_name_skeletons(&self) -> anyhow::Result<()> {
        let unfilled: Vec<Unfilled> =
            sqlx::query_as("SELECT id, name FROM user WHERE name IS NOT NULL AND name_skeleton IS NULL ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        for batch in unfilled.chunks(BATCH) {
            let mut tx = self.pool.begin().await?;
            for user in batch {
                let filled = sqlx::query("UPDATE user SET name_skeleton = ? WHERE id = ?")
                    .bind(name_skeleton(&user.name))
                    .bind(user.id)
                    .execute(&mut *tx)
                    .await
                    .on_unique(USER_KEYS);
                match filled {
                    Ok(_) => {}
                    Err(StoreError::Conflict(_)) => {
                        tracing::info!(user_id = %user.id, "this older name looks like another's; it keeps no skeleton");
                    }
                    Err(other) => return Err(other.into()),
                }
            }
            tx.commit().await?;
        }
        Ok(())
    }

    /// Counts the words of the posts indexed before `rm_search_term` existed (MariaDB), in one
    /// transaction that holds the projector's turn: no event moves the counts meanwhile, and a
    /// second instance starting at the same time waits and then finds them counted.
    pub(super) async fn fill_term_counts(&self) -> anyhow::Result<()> {
        let Some(table) = self.dialect.term_counts_table() else { return Ok(()) };
        let counted = format!("SELECT 1 FROM {table} LIMIT 1");
        let any_counted = || sqlx::query_scalar::<_, i32>(sqlx::AssertSqlSafe(counted.clone()));
        if any_counted().fetch_optional(&self.pool).await?.is_some() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT id FROM projector_turn WHERE id = 1 FOR UPDATE").fetch_optional(&mut *tx).await?;
        if any_counted().fetch_optional(&mut *tx).await?.is_some() {
            return Ok(());
        }
        let mut counts = TermCounts::default();
        let mut last = 0_i64;
        loop {
            let entries: Vec<(i64, String)> =
                sqlx::query_as("SELECT post_id, terms FROM rm_post_search WHERE post_id > ? ORDER BY post_id LIMIT ?")
                    .bind(last)
                    .bind(COUNTED_PER_READ)
                    .fetch_all(&mut *tx)
                    .await?;
            let Some((newest, _)) = entries.last() else { break };
            last = *newest;
            for (_, terms) in &entries {
                counts.count_post(terms, 1);
            }
        }
        if last > 0 {
            tracing::info!(up_to_post = last, "counted the words of the search index");
        }
        counts.store(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
