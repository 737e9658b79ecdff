//! tower-sessions' store on top of the cache port: in-process by default, Redis when shared.
//!
//! Sessions hold only flash messages (the login itself is the signed token plus its
//! `logged_in` row), so a cache that fails costs a message, never a login or a page:
//! failures are logged and counted like other cache failures and reported to tower-sessions
//! as "no session" / "saved", because an error there would turn the whole response into a 500.

use crate::ports::{Cache, CacheError};
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

    fn count_failure(&self, op: &'static str, error: &CacheError) {
        metrics::counter!("cache_errors_total", "cache" => self.cache.kind(), "op" => op).increment(1);
        tracing::warn!(%error, op, "session store unavailable; flash messages may be lost");
    }
}

fn key(id: &Id) -> String {
    format!("session:{id}")
}

#[async_trait]
impl SessionStore for CacheSessionStore {
    /// A new session is saved like any other: its id is 128 random bits, so a collision with a
    /// live session is not a practical concern (and the cache port has no set-if-absent).
    async fn create(&self, record: &mut Record) -> Result<()> {
        self.save(record).await
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let left = record.expiry_date - time::OffsetDateTime::now_utc();
        let ttl = std::time::Duration::try_from(left).unwrap_or_default();
        if ttl.is_zero() {
            return self.delete(&record.id).await;
        }
        let bytes = serde_json::to_vec(record).map_err(|e| Error::Encode(e.to_string()))?;
        if let Err(error) = self.cache.set(&key(&record.id), &bytes, ttl).await {
            self.count_failure("session_save", &error);
        }
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let bytes = match self.cache.get(&key(id)).await {
            Ok(bytes) => bytes,
            Err(error) => {
                self.count_failure("session_load", &error);
                None
            }
        };
        match bytes {
            Some(bytes) => Ok(Some(serde_json::from_slice(&bytes).map_err(|e| Error::Decode(e.to_string()))?)),
            None => Ok(None),
        }
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        if let Err(error) = self.cache.delete(&[key(id)]).await {
            self.count_failure("session_delete", &error);
        }
        Ok(())
    }
}
