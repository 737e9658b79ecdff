//! The in-process cache of the embedded default, bounded in size, with a time to live per entry.

use crate::ports::{Cache, CacheError};
use async_trait::async_trait;
use moka::sync::Cache as MokaCache;
use std::any::Any;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Clone)]
enum Stored {
    Bytes(Arc<[u8]>),
    /// A value kept as it is, never encoded: a hit costs a clone, not a decode.
    Value(Arc<dyn Any + Send + Sync>),
}

#[derive(Clone)]
struct Entry {
    stored: Stored,
    ttl: Duration,
}

/// What a kept value is taken to weigh: its real size is unknown without encoding it, and
/// the values kept (a page of rows, a profile) are a few KiB.
const VALUE_WEIGHT: u32 = 4096;

impl Entry {
    fn weight(&self, key: &str) -> u32 {
        let size = match &self.stored {
            Stored::Bytes(bytes) => bytes.len(),
            Stored::Value(_) => VALUE_WEIGHT as usize,
        };
        (key.len() + size).min(u32::MAX as usize) as u32
    }
}

/// Lets each entry expire after its own time to live.
struct PerEntryTtl;

impl moka::Expiry<String, Entry> for PerEntryTtl {
    fn expire_after_create(&self, _key: &String, entry: &Entry, _now: Instant) -> Option<Duration> {
        Some(entry.ttl)
    }

    fn expire_after_update(
        &self,
        _key: &String,
        entry: &Entry,
        _now: Instant,
        _left: Option<Duration>,
    ) -> Option<Duration> {
        Some(entry.ttl)
    }
}

pub struct MemoryCache {
    entries: MokaCache<String, Entry>,
}

impl MemoryCache {
    /// `max_bytes` bounds the memory the cached values take.
    pub fn new(max_bytes: u64) -> Self {
        let entries = MokaCache::builder()
            .max_capacity(max_bytes)
            .weigher(|key: &String, entry: &Entry| entry.weight(key))
            .expire_after(PerEntryTtl)
            .build();
        MemoryCache { entries }
    }
}

#[async_trait]
impl Cache for MemoryCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        Ok(self.entries.get(key).and_then(|entry| match entry.stored {
            Stored::Bytes(bytes) => Some(bytes.to_vec()),
            Stored::Value(_) => None,
        }))
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        self.entries.insert(key.to_string(), Entry { stored: Stored::Bytes(value.into()), ttl });
        Ok(())
    }

    fn get_value(&self, key: &str) -> Option<Arc<dyn Any + Send + Sync>> {
        self.entries.get(key).and_then(|entry| match entry.stored {
            Stored::Value(value) => Some(value),
            Stored::Bytes(_) => None,
        })
    }

    fn set_value(&self, key: &str, value: Arc<dyn Any + Send + Sync>, ttl: Duration) -> bool {
        self.entries.insert(key.to_string(), Entry { stored: Stored::Value(value), ttl });
        true
    }

    async fn delete(&self, keys: &[String]) -> Result<(), CacheError> {
        for key in keys {
            self.entries.invalidate(key);
        }
        Ok(())
    }

    fn kind(&self) -> &'static str {
        "memory"
    }

    fn is_local(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn values_come_back_until_deleted() {
        let cache = MemoryCache::new(1 << 20);
        cache.set("k", b"v", Duration::from_secs(60)).await.unwrap();
        assert_eq!(cache.get("k").await.unwrap().as_deref(), Some(&b"v"[..]));
        cache.delete(&["k".to_string()]).await.unwrap();
        assert_eq!(cache.get("k").await.unwrap(), None);
    }

    #[test]
    fn values_are_kept_as_they_are() {
        let cache = MemoryCache::new(1 << 20);
        assert!(cache.set_value("k", Arc::new(vec![1, 2, 3]), Duration::from_secs(60)));
        let kept = cache.get_value("k").expect("kept");
        assert_eq!(kept.downcast_ref::<Vec<i32>>(), Some(&vec![1, 2, 3]));
    }

    #[tokio::test]
    async fn entries_expire_after_their_ttl() {
        let cache = MemoryCache::new(1 << 20);
        cache.set("k", b"v", Duration::from_millis(20)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(cache.get("k").await.unwrap(), None);
    }
}
