//! For the people who run the forum: readiness and the read model's check and
//! rebuild (the `forum read-model` commands).

use super::App;
use crate::ports::{StoreError, StoreResult};

impl App {
    /// Whether the database answers.
    pub async fn ping(&self) -> StoreResult<()> {
        self.reads.ping().await
    }

    /// Whether the database takes a write now, answered within `bound`: a full disk still
    /// answers reads, and a database that is down must not hold the answer up.
    pub async fn ready(&self, bound: std::time::Duration) -> StoreResult<()> {
        match tokio::time::timeout(bound, self.store.probe_write()).await {
            Ok(result) => result,
            Err(_) => Err(StoreError::Unavailable(anyhow::anyhow!("no write within {bound:?}"))),
        }
    }

    /// A short name of the cache in use, for logs.
    pub fn cache_kind(&self) -> &'static str {
        self.cache.kind()
    }

    /// The number of the last invalidation message this process sent (0: none, or a forum
    /// without them). A later request that carries it, on any instance, sees every change
    /// made here until then ([`crate::app::read_cache::reading_after`]).
    pub fn published_sequence(&self) -> crate::ports::Sequence {
        self.cache.published_sequence()
    }

    /// The id of the newest recorded event (0 when there is none).
    pub async fn last_event_id(&self) -> StoreResult<i64> {
        self.projector.last_event_id().await
    }

    /// Compares the read model with what the write tables say; returns the differences.
    pub async fn check_read_model(&self) -> StoreResult<Vec<String>> {
        self.projector.check().await
    }

    /// Rebuilds the whole read model from the write tables.
    pub async fn rebuild_read_model(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> StoreResult<()> {
        self.projector.rebuild(progress).await
    }
}
