//! The read path: queries on the read model, through the cache (cache-aside).

use super::{App, keys};
use crate::domain::fold_key;
use crate::ports::{CategoryRow, ProfileRow, SessionUser, StoreResult};
use serde::{Serialize, de::DeserializeOwned};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How long an entry may live even if no event drops it (a safety net, not the mechanism).
const TTL: Duration = Duration::from_secs(600);

impl App {
    /// Cache-aside: the cached value if there is one, else load it and remember it.
    /// A cache that fails is a miss: the page is served from the database and the failure counted.
    /// The value comes back shared: an in-process cache hands out the very value it keeps, so
    /// a hit copies nothing.
    pub(super) async fn cached<T, F>(&self, key: &str, load: F) -> StoreResult<Arc<T>>
    where
        T: Serialize + DeserializeOwned + Send + Sync + 'static,
        F: Future<Output = StoreResult<T>>,
    {
        let cache = self.cache.kind();
        // An in-process cache keeps the value itself: no encoding on the way in or out.
        if let Some(value) = self.cache.get_value(key).and_then(|v| v.downcast::<T>().ok()) {
            metrics::counter!("cache_hits_total", "cache" => cache).increment(1);
            return Ok(value);
        }
        match self.cache.get(key).await {
            Ok(Some(bytes)) => match serde_json::from_slice(&bytes) {
                Ok(value) => {
                    metrics::counter!("cache_hits_total", "cache" => cache).increment(1);
                    return Ok(Arc::new(value));
                }
                Err(error) => tracing::warn!(%error, key, "unreadable cache entry; reloading"),
            },
            Ok(None) => {}
            Err(error) => {
                metrics::counter!("cache_errors_total", "cache" => cache, "op" => "get").increment(1);
                tracing::warn!(%error, key, "cache read failed; using the database");
            }
        }
        metrics::counter!("cache_misses_total", "cache" => cache).increment(1);
        let value = Arc::new(load.await?);
        if self.cache.set_value(key, value.clone(), TTL) {
            return Ok(value);
        }
        if let Ok(bytes) = serde_json::to_vec(&*value)
            && let Err(error) = self.cache.set(key, &bytes, TTL).await
        {
            metrics::counter!("cache_errors_total", "cache" => cache, "op" => "set").increment(1);
            tracing::warn!(%error, key, "cache write failed");
        }
        Ok(value)
    }

    pub async fn category_tree(&self) -> StoreResult<Vec<CategoryRow>> {
        Ok(Vec::clone(&*self.shared_category_tree().await?))
    }

    /// The board and category tree as the cache keeps it, shared rather than copied.
    pub async fn shared_category_tree(&self) -> StoreResult<Arc<Vec<CategoryRow>>> {
        self.cached(keys::CATEGORY_TREE, self.reads.category_tree()).await
    }

    /// A public profile by the user's name (any letter case).
    pub async fn profile(&self, name: &str) -> StoreResult<Option<ProfileRow>> {
        let name_key = fold_key(name);
        let user_id = self.cached(&keys::user_by_name(&name_key), self.reads.user_id_by_name(&name_key)).await?;
        match *user_id {
            Some(id) => Ok(Option::clone(&*self.cached(&keys::profile(id), self.reads.profile(id)).await?)),
            None => Ok(None),
        }
    }

    /// The user of an open session, or None once the session has ended.
    pub async fn session_user(&self, login_id: i64) -> StoreResult<Option<SessionUser>> {
        Ok(Option::clone(&*self.cached(&keys::login(login_id), self.reads.session_user(login_id)).await?))
    }
}
