//! The read cache of the queries (cache-aside), in up to two levels:
//! - the local level keeps decoded values in this process and hands out the very value it keeps;
//! - the shared level is the bytes [`Cache`] port (Redis), seen by every instance.
//!
//! The embedded forum has only the local level; a scaled-out one has both, the local level
//! kept right by invalidation messages between the instances ([`coherence`]); with the cache
//! off there is neither. A value found in the shared level is kept in the local one too, and a
//! loaded value goes to both.

mod coherence;
mod local;
pub use local::LocalLevel;

use super::keys::Key;
use crate::ports::{Cache, Invalidations, Sequence, StoreError, StoreResult};
use coherence::{Local, Ticket};
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

tokio::task_local! {
    /// The message up to which the request must see every change (the author's own, after a
    /// redirect): until this process has received it, the local level is skipped.
    static READ_AFTER: Sequence;
}

/// Runs a request that must see every change up to message `sequence`.
pub async fn reading_after<F: Future>(sequence: Sequence, request: F) -> F::Output {
    READ_AFTER.scope(sequence, request).await
}

fn request_floor() -> Sequence {
    READ_AFTER.try_with(|floor| *floor).unwrap_or(0)
}

pub struct ReadCache {
    local: Option<Arc<Local>>,
    shared: Option<Arc<dyn Cache>>,
}

impl ReadCache {
    /// One process alone: either level, not both (a local level in front of a shared one
    /// needs the messages of [`ReadCache::two_level`]).
    pub fn new(local: Option<LocalLevel>, shared: Option<Arc<dyn Cache>>) -> Self {
        assert!(local.is_none() || shared.is_none(), "two levels need invalidation messages");
        ReadCache { local: local.map(|level| Arc::new(Local::alone(level))), shared }
    }

    /// Both levels, the local one kept right by the messages (and unused while they may have
    /// been missed). Starts the task that applies the messages.
    pub fn two_level(local: LocalLevel, shared: Arc<dyn Cache>, messages: Arc<dyn Invalidations>) -> Self {
        let mut events = messages.subscribe();
        let local = Arc::new(Local::with_messages(local, messages));
        let applier = local.clone();
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                applier.apply(event);
            }
        });
        ReadCache { local: Some(local), shared: Some(shared) }
    }

    /// Applies a subscription event as the task started by [`ReadCache::two_level`] does.
    #[cfg(test)]
    fn apply(&self, event: crate::ports::InvalidationEvent) {
        if let Some(local) = &self.local {
            local.apply(event);
        }
    }

    /// No cache: every read goes to the database, and nothing is encoded for nobody.
    pub fn off() -> Self {
        ReadCache { local: None, shared: None }
    }

    /// A short name for logs: "redis" with a shared level, else "memory", else "off".
    pub fn kind(&self) -> &'static str {
        match (&self.local, &self.shared) {
            (_, Some(shared)) => shared.kind(),
            (Some(_), None) => LOCAL_KIND,
            (None, None) => OFF_KIND,
        }
    }

    /// Whether values are kept in this process, where a change made by another process
    /// reaches them only through messages or the event log.
    pub fn has_local_level(&self) -> bool {
        self.local.is_some()
    }

    /// The number of the last invalidation message this process published (0: none): a
    /// request carrying it sees every change this process made until then.
    pub fn published_sequence(&self) -> Sequence {
        self.local.as_ref().and_then(|local| local.messages()).map_or(0, |messages| messages.published())
    }

    /// The local level if this request may use it now for this key.
    fn usable_local<T>(&self, key: &Key<T>) -> Option<&Local> {
        if key.is_shared_only() && self.shared.is_some() {
            return None;
        }
        self.local.as_deref().filter(|local| local.usable(request_floor()))
    }

    /// Whether every message the request must see has arrived. Until then neither level is
    /// read: the shared one may have been refilled with an old value by a load here that the
    /// missing message would have stopped.
    fn caught_up(&self) -> bool {
        self.local.as_deref().is_none_or(|local| local.caught_up(request_floor()))
    }

    /// The cached value if a level has one, else `load` it and keep it in every level.
    /// A level that fails is a miss: the value comes from the database and the failure is counted.
    pub async fn get_or_load<T, F>(&self, key: Key<T>, load: F) -> StoreResult<Arc<T>>
    where
        T: Serialize + DeserializeOwned + Send + Sync + 'static,
        F: Future<Output = StoreResult<T>>,
    {
        let local = self.usable_local(&key);
        // Taken before anything is read: what was read may be overtaken by a message.
        let ticket = self.local.as_deref().map(Local::ticket);
        if let Some(local) = local {
            if let Some(value) = local.level.get(&key) {
                count_hit(LOCAL_KIND);
                return Ok(value);
            }
            count_miss(LOCAL_KIND);
        }
        if let Some(shared) = self.shared.as_ref().filter(|_| self.caught_up()) {
            if let Some(value) = shared_get::<T>(shared.as_ref(), key.name()).await {
                count_hit(shared.kind());
                return Ok(self.keep_locally(key, Arc::new(value), ticket));
            }
            count_miss(shared.kind());
        }
        if local.is_none() && self.shared.is_none() {
            count_miss(OFF_KIND);
        }
        let value = match load.await {
            Ok(value) => Arc::new(value),
            Err(StoreError::Unavailable(error)) => {
                match self.local.as_ref().and_then(|local| local.level.stale(&key)) {
                    // The database cannot answer: the last value this process had will do.
                    Some(stale) => {
                        metrics::counter!("cache_stale_served_total").increment(1);
                        tracing::debug!(error = format!("{error:#}"), key = key.name(), "serving a stale entry");
                        return Ok(stale);
                    }
                    None => return Err(StoreError::Unavailable(error)),
                }
            }
            Err(other) => return Err(other),
        };
        if let Some(shared) = &self.shared
            && self.still_current(ticket)
        {
            shared_set(shared.as_ref(), key.name(), &*value).await;
        }
        Ok(self.keep_locally(key, value, ticket))
    }

    /// Whether nothing was dropped since the ticket was taken (without a local level, nothing
    /// here can tell: the value is taken to be current, as it always was).
    fn still_current(&self, ticket: Option<Ticket>) -> bool {
        match (&self.local, ticket) {
            (Some(local), Some(ticket)) => local.ticket().same_as(ticket),
            _ => true,
        }
    }

    fn keep_locally<T: Send + Sync + 'static>(&self, key: Key<T>, value: Arc<T>, ticket: Option<Ticket>) -> Arc<T> {
        if let (Some(local), Some(ticket)) = (self.usable_local(&key), ticket) {
            local.keep(key, value.clone(), ticket);
        }
        value
    }

    /// Drops entries from every level, then tells the other instances to drop theirs (after
    /// the shared level, so that none reloads the old value from it). A failure is logged and
    /// counted; the catch-up task and the TTL bound the harm.
    pub async fn forget(&self, names: &[String]) {
        self.forget_here(names);
        if let Some(shared) = &self.shared
            && let Err(error) = shared.delete(names).await
        {
            metrics::counter!("cache_errors_total", "cache" => shared.kind(), "op" => "delete").increment(1);
            tracing::warn!(%error, "dropping cache entries failed");
        }
        if let Some(messages) = self.local.as_ref().and_then(|local| local.messages()) {
            match messages.port.publish(names).await {
                Ok(sequence) => messages.record_published(sequence),
                Err(error) => {
                    metrics::counter!("cache_errors_total", "cache" => self.kind(), "op" => "publish").increment(1);
                    tracing::warn!(%error, "telling the other instances what is stale failed");
                }
            }
        }
    }

    /// Drops entries from this process's level only (for changes whose author already dropped
    /// them everywhere else).
    pub fn forget_here(&self, names: &[String]) {
        if let Some(local) = &self.local {
            local.drop_names(names);
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
