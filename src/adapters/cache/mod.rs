//! Cache adapters: in-process (the embedded default), Redis (shared by many instances), off.

mod memory;
mod redis;
pub use self::redis::{RedisCache, RedisSettings};
pub use memory::MemoryCache;

use crate::ports::{Cache, CacheError};
use async_trait::async_trait;
use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

/// No cache at all: every read goes to the database (for benchmarks and diagnosis).
pub struct NoCache;

#[async_trait]
impl Cache for NoCache {
    async fn get(&self, _key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        Ok(None)
    }

    async fn set(&self, _key: &str, _value: &[u8], _ttl: Duration) -> Result<(), CacheError> {
        Ok(())
    }

    async fn delete(&self, _keys: &[String]) -> Result<(), CacheError> {
        Ok(())
    }

    /// Takes the value and keeps nothing: there is no point encoding it for `set`.
    fn set_value(&self, _key: &str, _value: Arc<dyn Any + Send + Sync>, _ttl: Duration) -> bool {
        true
    }

    fn kind(&self) -> &'static str {
        "off"
    }
}
