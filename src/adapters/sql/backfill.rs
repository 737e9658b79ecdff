//! Values a migration adds a column for but only the program can compute, filled in at start.
//! Cheap when there is nothing to fill, which is every start but the first after the migration.

use super::SqlDatabase;
use super::conflicts::{OnUnique, USER_KEYS};
use super::rows::read_by_name;
use crate::domain::{UserId, name_skeleton};
use crate::ports::StoreError;

/// Rows filled per transaction.
const BATCH: usize = 1000;

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
}
