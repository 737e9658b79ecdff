//! The shared cache (and session store) of a scaled-out forum: Redis through a
//! [`ConnectionManager`].
//!
//! Redis is an optimisation, never a dependency of a page:
//! - every command is bounded by a short timeout, so a slow Redis costs a page at most that long;
//! - after any failure the cache is marked *down* and later operations fail at once (the app
//!   falls back to the database and counts the error) instead of each waiting for the timeout;
//! - a background task, not the requests, connects (also when Redis is down at start-up),
//!   probes while the cache is down, and marks it up again once Redis answers;
//! - keys whose `DEL` failed while Redis was unreachable are remembered and deleted before the
//!   cache is used again, so an entry made stale during an outage is not served after it.

use crate::ports::{Cache, CacheError};
use async_trait::async_trait;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// How often the background task checks on Redis while it is down or not yet connected.
const PROBE_INTERVAL: Duration = Duration::from_millis(500);
/// How long the background task waits for a new connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// After this long without a successful probe the connection manager is replaced by a fresh
/// one, in case the old one is stuck on an error it does not reconnect from.
const REPLACE_MANAGER_AFTER: Duration = Duration::from_secs(15);
/// Most keys remembered for deletion while Redis is unreachable; beyond it the oldest are
/// given up (their entries still expire with their time to live).
const MAX_PENDING_DELETES: usize = 10_000;

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
    shared: Arc<Shared>,
}

struct Shared {
    client: redis::Client,
    prefix: String,
    timeout: Duration,
    state: Mutex<LinkState>,
}

#[derive(Default)]
struct LinkState {
    /// None until the first connection is made, and again after one is given up.
    manager: Option<ConnectionManager>,
    /// Set by any failure; cleared only by the background task once Redis answers again.
    down_since: Option<Instant>,
    /// Keys whose deletion failed; deleted before the cache is trusted again.
    pending_deletes: Vec<String>,
    /// Whether Redis has answered since the start (for the log only).
    was_up: bool,
}

impl RedisCache {
    /// Checks the URL and starts the background task that connects; never waits for Redis, so
    /// a forum starts (and serves from its database) while Redis is down.
    pub fn new(settings: RedisSettings) -> anyhow::Result<Self> {
        let client = redis::Client::open(settings.url.as_str())
            .map_err(|e| anyhow::anyhow!("REDIS_URL is not a valid Redis URL: {e}"))?;
        let shared = Arc::new(Shared {
            client,
            prefix: settings.prefix,
            timeout: settings.timeout,
            state: Mutex::new(LinkState { down_since: Some(Instant::now()), ..LinkState::default() }),
        });
        set_up_gauge(false);
        tokio::spawn(keep_connected(Arc::downgrade(&shared)));
        Ok(RedisCache { shared })
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

    /// Whether the cache is in use right now (connected, and no failure since the last probe).
    pub fn is_up(&self) -> bool {
        let state = self.shared.lock();
        state.manager.is_some() && state.down_since.is_none()
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, LinkState> {
        // A panic while holding this lock cannot leave the state half-changed: recover it.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// The connection for a request, or an error at once if Redis is known to be unusable.
    fn usable_manager(&self) -> Result<ConnectionManager, CacheError> {
        let state = self.lock();
        match (&state.manager, state.down_since) {
            (Some(manager), None) => Ok(manager.clone()),
            (None, _) => Err(CacheError("redis: not connected yet".into())),
            (Some(_), Some(_)) => {
                Err(CacheError("redis: unavailable after a failure; retrying in the background".into()))
            }
        }
    }

    fn mark_down(&self) {
        let mut state = self.lock();
        if state.down_since.is_none() {
            state.down_since = Some(Instant::now());
            set_up_gauge(false);
        }
    }

    /// Runs one command within the timeout; any failure marks the cache down.
    async fn run<T: redis::FromRedisValue>(
        &self,
        mut manager: ConnectionManager,
        command: &redis::Cmd,
    ) -> Result<T, CacheError> {
        let result = tokio::time::timeout(self.timeout, command.query_async(&mut manager)).await;
        let error = match result {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(error)) => format!("redis: {error}"),
            Err(_) => format!("redis: no answer within {:?}", self.timeout),
        };
        self.mark_down();
        Err(CacheError(error))
    }

    async fn connect(&self) -> Result<ConnectionManager, String> {
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(self.timeout))
            // The manager retries a lost connection a little by itself; longer outages are
            // the background task's job.
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500));
        match tokio::time::timeout(CONNECT_TIMEOUT, ConnectionManager::new_with_config(self.client.clone(), config))
            .await
        {
            Ok(Ok(manager)) => Ok(manager),
            Ok(Err(error)) => Err(error.to_string()),
            Err(_) => Err(format!("no connection within {CONNECT_TIMEOUT:?}")),
        }
    }

    /// One step of the background task while the cache is down: connect if need be, delete
    /// what could not be deleted, and mark the cache up once Redis answers.
    async fn heal(&self) {
        let manager = self.lock().manager.clone();
        let manager = match manager {
            Some(manager) => manager,
            None => match self.connect().await {
                Ok(manager) => {
                    self.lock().manager = Some(manager.clone());
                    manager
                }
                Err(error) => {
                    tracing::debug!(%error, "redis still unreachable");
                    return;
                }
            },
        };
        let pending = std::mem::take(&mut self.lock().pending_deletes);
        let probe = if pending.is_empty() {
            redis::cmd("PING")
        } else {
            let mut del = redis::cmd("DEL");
            del.arg(&pending);
            del
        };
        let answered = matches!(
            tokio::time::timeout(self.timeout, probe.query_async::<redis::Value>(&mut manager.clone())).await,
            Ok(Ok(_))
        );
        let mut state = self.lock();
        if !answered {
            // Keep the keys for the next try, ahead of any that failed since.
            let newer = std::mem::replace(&mut state.pending_deletes, pending);
            remember_deletes(&mut state.pending_deletes, newer);
            let down_for = state.down_since.map_or(Duration::ZERO, |since| since.elapsed());
            if down_for > REPLACE_MANAGER_AFTER {
                state.manager = None;
            }
            return;
        }
        if state.pending_deletes.is_empty() {
            if let Some(since) = state.down_since.take() {
                if state.was_up {
                    tracing::info!(down_for = ?since.elapsed(), "redis is back; using the shared cache again");
                } else {
                    tracing::info!("connected to redis");
                }
            }
            state.was_up = true;
            set_up_gauge(true);
        }
        // Otherwise more deletions failed meanwhile: the next step sends them first.
    }
}

/// Adds keys to the deletion backlog, giving up the oldest beyond its bound.
fn remember_deletes(pending: &mut Vec<String>, keys: impl IntoIterator<Item = String>) {
    pending.extend(keys);
    if pending.len() > MAX_PENDING_DELETES {
        let excess = pending.len() - MAX_PENDING_DELETES;
        pending.drain(..excess);
        tracing::warn!(
            dropped = excess,
            "too many cache deletions failed while redis was down; some entries may be stale until they expire"
        );
    }
}

fn set_up_gauge(up: bool) {
    metrics::gauge!("redis_up").set(if up { 1.0 } else { 0.0 });
}

/// Runs while the cache exists: whenever it is down (or not yet connected), tries to heal it.
async fn keep_connected(shared: Weak<Shared>) {
    loop {
        let Some(shared) = shared.upgrade() else {
            return;
        };
        let down = {
            let state = shared.lock();
            state.manager.is_none() || state.down_since.is_some()
        };
        if down {
            shared.heal().await;
        }
        // Do not keep the cache alive while sleeping.
        drop(shared);
        tokio::time::sleep(PROBE_INTERVAL).await;
    }
}

#[async_trait]
impl Cache for RedisCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        let manager = self.shared.usable_manager()?;
        let mut get = redis::cmd("GET");
        get.arg(self.shared.key(key));
        self.shared.run(manager, &get).await
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        let manager = self.shared.usable_manager()?;
        let mut set = redis::cmd("SET");
        set.arg(self.shared.key(key)).arg(value).arg("PX").arg(ttl.as_millis().clamp(1, u64::MAX as u128) as u64);
        self.shared.run(manager, &set).await
    }

    /// One `DEL` for all the keys. If it cannot be sent, the keys are remembered and deleted
    /// before the cache is used again.
    async fn delete(&self, keys: &[String]) -> Result<(), CacheError> {
        if keys.is_empty() {
            return Ok(());
        }
        let prefixed: Vec<String> = keys.iter().map(|key| self.shared.key(key)).collect();
        let result = match self.shared.usable_manager() {
            Ok(manager) => {
                let mut del = redis::cmd("DEL");
                del.arg(&prefixed);
                self.shared.run::<i64>(manager, &del).await.map(|_| ())
            }
            Err(error) => Err(error),
        };
        if result.is_err() {
            remember_deletes(&mut self.shared.lock().pending_deletes, prefixed);
        }
        result
    }

    fn kind(&self) -> &'static str {
        "redis"
    }
}

#[cfg(test)]
mod tests {
    //! Against real Redis servers: the shared one of `FORUM_TEST_REDIS_URL` (scripts/test
    //! sets it), and throwaway `redis-server` processes for outages.

    use super::*;
    use std::process::{Child, Command, Stdio};

    const TIMEOUT: Duration = Duration::from_millis(100);

    fn shared_redis_url() -> Option<String> {
        let url = std::env::var("FORUM_TEST_REDIS_URL").ok();
        if url.is_none() {
            eprintln!("SKIPPED: FORUM_TEST_REDIS_URL is not set (scripts/test sets it)");
        }
        url
    }

    fn unique_prefix() -> String {
        format!("forum-unit-{}-{}:", std::process::id(), rand::random::<u32>())
    }

    fn cache(url: &str, prefix: &str) -> RedisCache {
        RedisCache::new(RedisSettings { url: url.to_string(), prefix: prefix.to_string(), timeout: TIMEOUT })
            .expect("a valid url")
    }

    async fn raw_get(url: &str, key: &str) -> Option<Vec<u8>> {
        let client = redis::Client::open(url).unwrap();
        let mut connection = client.get_multiplexed_async_connection().await.unwrap();
        redis::cmd("GET").arg(key).query_async(&mut connection).await.unwrap()
    }

    /// A `redis-server` of our own on a free port, killed on drop.
    struct ThrowawayRedis {
        port: u16,
        child: Child,
    }

    impl ThrowawayRedis {
        fn free_port() -> u16 {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        }

        fn start_on(port: u16) -> ThrowawayRedis {
            let child = Command::new("redis-server")
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("redis-server is installed (Debian package redis-server)");
            let server = ThrowawayRedis { port, child };
            let deadline = Instant::now() + Duration::from_secs(10);
            while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
                assert!(Instant::now() < deadline, "redis-server did not start");
                std::thread::sleep(Duration::from_millis(20));
            }
            server
        }

        fn url(&self) -> String {
            format!("redis://127.0.0.1:{}", self.port)
        }

        fn signal(&self, signal: &str) {
            let status = Command::new("kill").args([signal, &self.child.id().to_string()]).status().unwrap();
            assert!(status.success());
        }
    }

    impl Drop for ThrowawayRedis {
        fn drop(&mut self) {
            self.signal("-CONT");
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    async fn eventually_up(cache: &RedisCache) {
        assert!(cache.wait_until_up(Duration::from_secs(10)).await, "the cache did not come back within 10 s");
    }

    #[tokio::test]
    async fn values_live_under_the_prefix_until_deleted_together() {
        let Some(url) = shared_redis_url() else {
            return;
        };
        let prefix = unique_prefix();
        let cache = cache(&url, &prefix);
        eventually_up(&cache).await;
        let ttl = Duration::from_secs(60);
        cache.set("a", b"1", ttl).await.unwrap();
        cache.set("b", b"2", ttl).await.unwrap();
        cache.set("c", b"3", ttl).await.unwrap();
        assert_eq!(cache.get("a").await.unwrap().as_deref(), Some(&b"1"[..]));
        assert_eq!(raw_get(&url, &format!("{prefix}b")).await.as_deref(), Some(&b"2"[..]));
        cache.delete(&["a".into(), "b".into()]).await.unwrap();
        assert_eq!(cache.get("a").await.unwrap(), None);
        assert_eq!(cache.get("b").await.unwrap(), None);
        assert_eq!(cache.get("c").await.unwrap().as_deref(), Some(&b"3"[..]));
        cache.delete(&["c".into()]).await.unwrap();
    }

    #[tokio::test]
    async fn entries_expire_after_their_ttl() {
        let Some(url) = shared_redis_url() else {
            return;
        };
        let cache = cache(&url, &unique_prefix());
        eventually_up(&cache).await;
        cache.set("short", b"v", Duration::from_millis(50)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(cache.get("short").await.unwrap(), None);
    }

    #[tokio::test]
    async fn two_prefixes_never_see_each_others_entries() {
        let Some(url) = shared_redis_url() else {
            return;
        };
        let first = cache(&url, &unique_prefix());
        let second = cache(&url, &unique_prefix());
        eventually_up(&first).await;
        eventually_up(&second).await;
        first.set("tree", b"first", Duration::from_secs(60)).await.unwrap();
        assert_eq!(second.get("tree").await.unwrap(), None);
        first.delete(&["tree".into()]).await.unwrap();
    }

    #[tokio::test]
    async fn a_redis_down_at_start_up_is_used_once_it_comes_up() {
        if shared_redis_url().is_none() {
            return;
        }
        let port = ThrowawayRedis::free_port();
        let cache = cache(&format!("redis://127.0.0.1:{port}"), "t:");
        let started = Instant::now();
        assert!(cache.get("k").await.is_err(), "nothing answers yet");
        assert!(cache.set("k", b"v", Duration::from_secs(60)).await.is_err());
        assert!(started.elapsed() < TIMEOUT, "a missing redis must fail fast, took {:?}", started.elapsed());
        let server = ThrowawayRedis::start_on(port);
        eventually_up(&cache).await;
        cache.set("k", b"v", Duration::from_secs(60)).await.unwrap();
        assert_eq!(raw_get(&server.url(), "t:k").await.as_deref(), Some(&b"v"[..]));
    }

    #[tokio::test]
    async fn a_stalled_redis_costs_one_timeout_then_fails_fast_until_it_answers() {
        if shared_redis_url().is_none() {
            return;
        }
        let server = ThrowawayRedis::start_on(ThrowawayRedis::free_port());
        let cache = cache(&server.url(), "t:");
        eventually_up(&cache).await;
        cache.set("k", b"v", Duration::from_secs(60)).await.unwrap();

        server.signal("-STOP");
        let started = Instant::now();
        assert!(cache.get("k").await.is_err());
        let first = started.elapsed();
        assert!(first >= TIMEOUT && first < TIMEOUT * 3, "the first call waits for the timeout only, took {first:?}");
        let started = Instant::now();
        assert!(cache.get("k").await.is_err());
        assert!(
            started.elapsed() < Duration::from_millis(20),
            "later calls fail at once, took {:?}",
            started.elapsed()
        );
        assert!(!cache.is_up());

        server.signal("-CONT");
        eventually_up(&cache).await;
        assert_eq!(cache.get("k").await.unwrap().as_deref(), Some(&b"v"[..]));
    }

    #[tokio::test]
    async fn a_deletion_missed_during_an_outage_happens_before_the_cache_is_used_again() {
        if shared_redis_url().is_none() {
            return;
        }
        let server = ThrowawayRedis::start_on(ThrowawayRedis::free_port());
        let cache = cache(&server.url(), "t:");
        eventually_up(&cache).await;
        cache.set("profile:alice", b"old name", Duration::from_secs(60)).await.unwrap();

        // Redis keeps its data but stops answering; once a read has failed, the deletion is
        // not even sent (a command sent to a stalled Redis may still be run when it wakes).
        server.signal("-STOP");
        assert!(cache.get("tree").await.is_err());
        assert!(cache.delete(&["profile:alice".into()]).await.is_err());
        server.signal("-CONT");

        eventually_up(&cache).await;
        assert_eq!(cache.get("profile:alice").await.unwrap(), None);
        assert_eq!(raw_get(&server.url(), "t:profile:alice").await, None);
    }
}
