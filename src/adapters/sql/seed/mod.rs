//! Demo data in bulk (`forum seed`): users, posts with edits, comments and votes.
//!
//! The seeder knows everything about the rows it makes, so it writes the write tables and the
//! read model side by side ([`written`]): going through the commands would cost a transaction
//! and a projection per row, and rebuilding the read model afterwards would read every row
//! back. The counts on profiles and the board tree are recounted from the write tables at the
//! end. `forum read-model check` compares the result with the one-shot query like any other
//! read model. Two paths:
//! - an empty SQLite forum: [`sqlite_bulk`], one transaction on both cores;
//! - anything else (a forum with posts, perhaps being served; MariaDB): [`chunked`], large
//!   multi-row inserts through sqlx, a transaction a chunk.
//!
//! Either way the database handle stays usable afterwards.

mod chunked;
mod data;
mod sqlite_bulk;
mod written;

use super::projections::refill_users_and_categories;
use super::{Dialect, SqlDatabase, db_err};
use crate::domain::{Event, Timestamp};
use crate::ports::StoreResult;
use chunked::{ChunkWriter, ChunksAhead};
use data::{PostMaker, Target, TextPools, seeded_rng};
use sqlx::Connection;
use std::time::Duration;
use written::NewUsers;

pub use data::SeedPlan;

/// The password of every seeded user, so anyone can log in as one to try the forum.
pub const SEED_PASSWORD: &str = "password123";

/// Records [`Event::ForumSeeded`] as applied: the seeder has written the read rows itself.
const RECORD_SEEDED: &str = "INSERT INTO event (created_datetime, payload, applied) VALUES (?, ?, 1)";

/// The [`Event::ForumSeeded`] a seed records in its last transaction, encoded.
struct SeededEvent {
    payload: String,
    at: i64,
}

/// Seeded users joined a year and a second ago, before the first seeded post.
const YEAR_MS: i64 = 365 * 24 * 3600 * 1000;

/// How long the bulk loader waits for this handle's connections to come back to the pool
/// before it loads through the write-ahead log instead.
const RELEASE_PATIENCE: Duration = Duration::from_secs(2);

/// Where posts can go (a category, or a board that takes posts itself), with the board of each.
const TARGETS: &str = "SELECT id, COALESCE(parent_id, id) AS board_id, name FROM category ORDER BY id";

super::rows::read_by_name!(Target { id, board_id, name });

impl SqlDatabase {
    /// Creates the plan's users, then its posts; `progress(done, total)` as posts are stored.
    /// Returns the event it recorded for the caches to act on ([`Event::ForumSeeded`]).
    pub async fn seed(
        &self,
        plan: SeedPlan,
        password_hash: &str,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> StoreResult<Event> {
        let targets: Vec<Target> = sqlx::query_as(TARGETS).fetch_all(&self.pool).await.map_err(db_err)?;
        if targets.is_empty() {
            return Err(anyhow::anyhow!("no boards to post in").into());
        }
        let now = Timestamp::now().0;
        let first_user = self.max_id("user").await? + 1;
        let ids: Vec<i64> = (first_user..first_user + plan.users.max(0)).collect();
        if ids.is_empty() {
            return Err(anyhow::anyhow!("seeding posts needs at least one user").into());
        }
        let seeded = Event::ForumSeeded { users: ids.len() as i64, posts: plan.posts.max(0) };
        let users = NewUsers { ids, password_hash: password_hash.to_string(), joined: now - YEAR_MS - 1000 };
        let mut rng = seeded_rng();
        let texts = TextPools::new(&mut rng);
        let first_post = self.max_id("post").await? + 1;
        let first_comment = self.max_id("comment").await? + 1;
        let maker = PostMaker::new(rng, plan, users.ids.clone(), &targets, first_post, first_comment, now);
        let record = SeededEvent { payload: serde_json::to_string(&seeded).map_err(anyhow::Error::new)?, at: now };
        let load = Load { users, maker, texts, targets, record };
        if self.dialect == Dialect::Sqlite && first_post == 1 {
            self.load_into_empty_sqlite(load, progress).await?;
        } else {
            self.load_in_chunks(load, progress).await?;
        }
        Ok(seeded)
    }

    /// An empty SQLite forum: [`sqlite_bulk::load`] on a thread of its own (it blocks),
    /// reporting its progress back here. This handle's connections to the file are closed
    /// first: the loader writes fastest without the write-ahead log, which SQLite only allows
    /// while no other connection is open. They open again as queries need them.
    async fn load_into_empty_sqlite(&self, load: Load, progress: &(dyn Fn(u64, u64) + Sync)) -> StoreResult<()> {
        let total = load.maker.planned();
        let path = self
            .sqlite_file()
            .await
            .map_err(db_err)?
            .ok_or_else(|| anyhow::anyhow!("the forum's SQLite database has no file to load into"))?;
        if !self.release_file(RELEASE_PATIENCE).await.map_err(db_err)? {
            tracing::debug!("seed: a connection of this process is still open; loading through the log");
        }
        let (report, mut reports) = tokio::sync::mpsc::unbounded_channel();
        let loader = tokio::task::spawn_blocking(move || {
            sqlite_bulk::load(&path, load, &|done| {
                // Progress only: no one hears it once the seed stopped waiting.
                let _unheard = report.send(done);
            })
        });
        while let Some(done) = reports.recv().await {
            progress(done, total as u64);
        }
        loader.await.map_err(|e| anyhow::anyhow!("the loader stopped: {e}"))??;
        Ok(())
    }

    /// Any other forum: through sqlx on a connection of its own, a transaction a chunk, one
    /// thread making the next chunk while the database stores the one before.
    async fn load_in_chunks(&self, load: Load, progress: &(dyn Fn(u64, u64) + Sync)) -> StoreResult<()> {
        let Load { users, maker, texts, targets, record } = load;
        let total = maker.planned();
        let mut conn = self.bulk_connection().await.map_err(db_err)?;
        let writer = ChunkWriter { dialect: self.dialect, texts: &texts, targets: &targets };
        writer.store_users(&mut conn, &users).await?;
        writer.store_chunked(&mut conn, ChunksAhead::start(maker), total, progress).await?;

        let mut tx = conn.begin_with(self.dialect.begin_write()).await.map_err(db_err)?;
        refill_users_and_categories(&mut tx).await.map_err(db_err)?;
        sqlx::query(RECORD_SEEDED).bind(record.at).bind(&record.payload).execute(&mut *tx).await.map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        if self.dialect == Dialect::Sqlite {
            // A bulk load leaves the search index in many segments; merged into one, a search
            // for a common word walks one list instead of many. FTS5 keeps its own settings
            // during the load, so that the merged index lands on a high level (see
            // `sqlite_bulk::search_index`).
            sqlx::query("INSERT INTO rm_post_search (rm_post_search) VALUES ('optimize')")
                .execute(&mut conn)
                .await
                .map_err(db_err)?;
        }
        Ok(())
    }
}

/// Everything a seed writes: its users, the maker of its posts and what they are drawn from,
/// and the event it records last.
struct Load {
    users: NewUsers,
    maker: PostMaker,
    texts: TextPools,
    targets: Vec<Target>,
    record: SeededEvent,
}
