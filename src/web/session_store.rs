//! tower-sessions' store on top of the cache port: in-process by default, Redis when shared.
//! Sessions hold only flash messages, so losing one costs a message, never a login.

use crate::ports::Cache;
use async_trait::async_trait;
use std::sync::Arc;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

#[derive(Clone)]
pub struct CacheSessionStore {
    cache: Arc<dyn Cache>,
}

impl std::fmt::Debug for CacheSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CacheSessionStore").field("cache", &self.cache.kind()).finish()
    }
}

impl CacheSessionStore {
    pub fn new(cache: Arc<dyn Cache>) -> Self {
        CacheSessionStore { cache }
    }
}

fn key(id: &Id) -> String {
    format!("session:{id}")
}

#[async_trait]
impl SessionStore for CacheSessionStore {
    async fn save(&self, record: &Record) -> Result<()> {
        let left = record.expiry_date - time::OffsetDateTime::now_utc();
        let ttl = std::time::Duration::try_from(left).unwrap_or_default();
        if ttl.is_zero() {
            return self.delete(&record.id).await;
        }
        let bytes = serde_json::to_vec(record).map_err(|e| Error::Encode(e.to_string()))?;
        self.cache.set(&key(&record.id), &bytes, ttl).await.map_err(|e| Error::Backend(e.to_string()))
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let bytes = self.cache.get(&key(id)).await.map_err(|e| Error::Backend(e.to_string()))?;
        match bytes {
            Some(bytes) => Ok(Some(serde_json::from_slice(&bytes).map_err(|e| Error::Decode(e.to_string()))?)),
            None => Ok(None),
        }
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.cache.delete(&[key(id)]).await.map_err(|e| Error::Backend(e.to_string()))
    }
}
