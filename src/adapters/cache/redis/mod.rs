//! The shared cache (and session store) of a scaled-out forum: Redis through a
//! [`ConnectionManager`](redis::aio::ConnectionManager), kept by [`link`].
//!
//! Redis is an optimisation, never a dependency of a page:
//! - every command is bounded by a short timeout, so a slow Redis costs a page at most that long;
//! - after any failure the cache is marked *down* and later operations fail at once (the app
//!   falls back to the database and counts the error) instead of each waiting for the timeout;
//! - a background task, not the requests, connects (also when Redis is down at start-up),
//!   probes while the cache is down, and marks it up again once Redis answers;
//! - keys whose `DEL` failed while Redis was unreachable are remembered and deleted before the
//!   cache is used again, so an entry made stale during an outage is not served after it.

mod link;
mod rate;
pub use rate::RedisRateStore;
#[cfg(test)]
mod tests;

use crate::ports::{Cache, CacheError};
use async_trait::async_trait;
use link::Link;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Settings of the Redis cache (from `REDIS_URL`, `REDIS_PREFIX`, `REDIS_TIMEOUT_MS`).
#[derive(Debug, Clone)]
pub struct RedisSettings {
    pub url: String,
    /// Put in front of every key, so several forums (or test runs) can share one Redis.
    pub prefix: String,
    /// The longest one command may take before it counts as failed.
    pub timeout: Duration,
}

pub struct RedisCache {
    link: Arc<Link>,
}

impl RedisCache {
    /// Checks the URL and starts the background task that connects; never waits for Redis, so
    /// a forum starts (and serves from its database) while Redis is down.
    pub fn new(settings: RedisSettings) -> anyhow::Result<Self> {
        Ok(RedisCache { link: Link::start(settings)? })
    }

    /// Waits up to `limit` for the first connection; true if the cache is up.
    pub async fn wait_until_up(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while !self.is_up() {
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        true
    }

    /// Rate limits counted in the same Redis, over the same link (and its health).
    pub fn rate_store(&self) -> RedisRateStore {
        RedisRateStore::new(self.link.clone())
    }

    /// Whether the cache is in use right now (connected, and no failure since the last probe).
    pub fn is_up(&self) -> bool {
        self.link.is_up()
    }
}

#[async_trait]
impl Cache for RedisCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        let manager = self.link.usable_manager()?;
        let mut get = redis::cmd("GET");
        get.arg(self.link.key(key));
        self.link.run(manager, &get).await
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        let manager = self.link.usable_manager()?;
        let mut set = redis::cmd("SET");
        set.arg(self.link.key(key)).arg(value).arg("PX").arg(ttl.as_millis().clamp(1, u64::MAX as u128) as u64);
        self.link.run(manager, &set).await
    }

    /// One `DEL` for all the keys. If it cannot be sent, the keys are remembered and deleted
    /// before the cache is used again.
    async fn delete(&self, keys: &[String]) -> Result<(), CacheError> {
        if keys.is_empty() {
            return Ok(());
        }
        let prefixed: Vec<String> = keys.iter().map(|key| self.link.key(key)).collect();
        let result = match self.link.usable_manager() {
            Ok(manager) => {
                let mut del = redis::cmd("DEL");
                del.arg(&prefixed);
                self.link.run::<i64>(manager, &del).await.map(|_| ())
            }
            Err(error) => Err(error),
        };
        if result.is_err() {
            self.link.remember_failed_deletes(prefixed);
        }
        result
    }

    fn kind(&self) -> &'static str {
        "redis"
    }
}
