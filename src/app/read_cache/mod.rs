//! The read cache of the queries (cache-aside), in up to two levels:
//! - the local level keeps decoded values in this process and hands out the very value it keeps;
//! - the shared level is the bytes [`Cache`] port (Redis), seen by every instance.
//!
//! The embedded forum has only the local level, a scaled-out one only the shared level, and
//! with the cache off there is neither. A value found in the shared level is kept in the
//! local one too, and a loaded value goes to both, so both levels at once need no other code.

mod local;
pub use local::LocalLevel;

use super::keys::Key;
use crate::ports::{Cache, StoreError, StoreResult};
use serde::{Serialize, de::DeserializeOwned};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How long an entry may live even if no event drops it (a safety net, not the mechanism).
pub const TTL: Duration = Duration::from_secs(600);

/// The `cache` label of the local level's metrics.
const LOCAL_KIND: &str = "memory";
/// The `cache` label of the misses when there is no level at all.
const OFF_KIND: &str = "off";

pub struct ReadCache {
    local: Option<LocalLevel>,
    shared: Option<Arc<dyn Cache>>,
}

impl ReadCache {
    pub fn new(local: Option<LocalLevel>, shared: Option<Arc<dyn Cache>>) -> Self {
        ReadCache { local, shared }
    }

    /// No cache: every read goes to the database, and nothing is encoded for nobody.
    pub fn off() -> Self {
        ReadCache::new(None, None)
    }

    /// A short name for logs: "redis" with a shared level, else "memory", else "off".
    pub fn kind(&self) -> &'static str {
        match (&self.local, &self.shared) {
            (_, Some(shared)) => shared.kind(),
            (Some(_), None) => LOCAL_KIND,
            (None, None) => OFF_KIND,
        }
    }

    /// Whether values are kept in this process, where no other process's change can reach
    /// them except through the event log.
    pub fn has_local_level(&self) -> bool {
        self.local.is_some()
    }

    /// The cached value if a level has one, else `load` it and keep it in every level.
    /// A level that fails is a miss: the value comes from the database and the failure is counted.
    pub async fn get_or_load<T, F>(&self, key: Key<T>, load: F) -> StoreResult<Arc<T>>
    where
        T: Serialize + DeserializeOwned + Send + Sync + 'static,
        F: Future<Output = StoreResult<T>>,
    {
        if let Some(local) = &self.local {
            if let Some(value) = local.get(&key) {
                count_hit(LOCAL_KIND);
                return Ok(value);
            }
            count_miss(LOCAL_KIND);
        }
        if let Some(shared) = &self.shared {
            if let Some(value) = shared_get::<T>(shared.as_ref(), key.name()).await {
                count_hit(shared.kind());
                return Ok(self.keep_locally(key, Arc::new(value)));
            }
            count_miss(shared.kind());
        }
        if self.local.is_none() && self.shared.is_none() {
            count_miss(OFF_KIND);
        }
        let value = match load.await {
            Ok(value) => Arc::new(value),
            Err(StoreError::Unavailable(error)) => match self.local.as_ref().and_then(|local| local.stale(&key)) {
                // The database cannot answer: the last value this process had will do.
                Some(stale) => {
                    metrics::counter!("cache_stale_served_total").increment(1);
                    tracing::debug!(error = format!("{error:#}"), key = key.name(), "serving a stale entry");
                    return Ok(stale);
                }
                None => return Err(StoreError::Unavailable(error)),
            },
            Err(other) => return Err(other),
        };
        if let Some(shared) = &self.shared {
            shared_set(shared.as_ref(), key.name(), &*value).await;
        }
        Ok(self.keep_locally(key, value))
    }

    fn keep_locally<T: Send + Sync + 'static>(&self, key: Key<T>, value: Arc<T>) -> Arc<T> {
        if let Some(local) = &self.local {
            local.insert(key, value.clone());
        }
        value
    }

    /// Drops entries from every level; a failure is logged and counted, and the TTL bounds the harm.
    pub async fn forget(&self, names: &[String]) {
        if let Some(local) = &self.local {
            local.remove(names);
        }
        if let Some(shared) = &self.shared
            && let Err(error) = shared.delete(names).await
        {
            metrics::counter!("cache_errors_total", "cache" => shared.kind(), "op" => "delete").increment(1);
            tracing::warn!(%error, "dropping cache entries failed");
        }
    }
}

fn count_hit(kind: &'static str) {
    metrics::counter!("cache_hits_total", "cache" => kind).increment(1);
}

fn count_miss(kind: &'static str) {
    metrics::counter!("cache_misses_total", "cache" => kind).increment(1);
}

/// The decoded entry, or None if there is none, it cannot be read, or the cache fails.
async fn shared_get<T: DeserializeOwned>(shared: &dyn Cache, name: &str) -> Option<T> {
    match shared.get(name).await {
        Ok(Some(bytes)) => match serde_json::from_slice(&bytes) {
            Ok(value) => return Some(value),
            Err(error) => tracing::warn!(%error, key = name, "unreadable cache entry; reloading"),
        },
        Ok(None) => {}
        Err(error) => {
            metrics::counter!("cache_errors_total", "cache" => shared.kind(), "op" => "get").increment(1);
            tracing::warn!(%error, key = name, "cache read failed; using the database");
        }
    }
    None
}

async fn shared_set<T: Serialize>(shared: &dyn Cache, name: &str, value: &T) {
    if let Ok(bytes) = serde_json::to_vec(value)
        && let Err(error) = shared.set(name, &bytes, TTL).await
    {
        metrics::counter!("cache_errors_total", "cache" => shared.kind(), "op" => "set").increment(1);
        tracing::warn!(%error, key = name, "cache write failed");
    }
}

#[cfg(test)]
mod tests;
