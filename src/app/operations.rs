//! For the people who run the forum: readiness and the read model's check and
//! rebuild (the `forum read-model` commands).

use super::App;
use crate::ports::StoreResult;

impl App {
    /// Whether the database answers.
    pub async fn ping(&self) -> StoreResult<()> {
        self.reads.ping().await
    }

    /// A short name of the cache in use, for logs.
    pub fn cache_kind(&self) -> &'static str {
        self.cache.kind()
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
