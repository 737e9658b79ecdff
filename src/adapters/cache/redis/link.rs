//! The link to Redis and its health: marked down by any failure (later commands then fail at
//! once), healed by a background task that connects, probes and sends the deletions that
//! failed meanwhile before the link is trusted again.

use super::RedisSettings;
use crate::ports::CacheError;
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

pub(super) struct Link {
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

impl Link {
    /// Checks the URL and starts the background task that connects; never waits for Redis.
    pub(super) fn start(settings: RedisSettings) -> anyhow::Result<Arc<Link>> {
        let client = redis::Client::open(settings.url.as_str())
            .map_err(|e| anyhow::anyhow!("REDIS_URL is not a valid Redis URL: {e}"))?;
        let link = Arc::new(Link {
            client,
            prefix: settings.prefix,
            timeout: settings.timeout,
            state: Mutex::new(LinkState { down_since: Some(Instant::now()), ..LinkState::default() }),
        });
        set_up_gauge(false);
        tokio::spawn(keep_connected(Arc::downgrade(&link)));
        Ok(link)
    }

    /// Connected, and no failure since the last probe.
    pub(super) fn is_up(&self) -> bool {
        let state = self.lock();
        state.manager.is_some() && state.down_since.is_none()
    }

    /// Keys (with their prefix) whose `DEL` could not be sent: deleted before the cache is
    /// used again.
    pub(super) fn remember_failed_deletes(&self, keys: Vec<String>) {
        remember_deletes(&mut self.lock().pending_deletes, keys);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LinkState> {
        // A panic while holding this lock cannot leave the state half-changed: recover it.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(super) fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// The connection for a request, or an error at once if Redis is known to be unusable.
    pub(super) fn usable_manager(&self) -> Result<ConnectionManager, CacheError> {
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
    pub(super) async fn run<T: redis::FromRedisValue>(
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

    /// Runs a Lua script (EVALSHA, loading it when Redis does not know it yet) within the
    /// timeout; any failure marks the link down, like [`Link::run`].
    pub(super) async fn run_script<T: redis::FromRedisValue>(
        &self,
        mut manager: ConnectionManager,
        invocation: &redis::ScriptInvocation<'_>,
    ) -> Result<T, CacheError> {
        let result = tokio::time::timeout(self.timeout, invocation.invoke_async(&mut manager)).await;
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
async fn keep_connected(link: Weak<Link>) {
    loop {
        let Some(link) = link.upgrade() else {
            return;
        };
        if !link.is_up() {
            link.heal().await;
        }
        // Do not keep the cache alive while sleeping.
        drop(link);
        tokio::time::sleep(PROBE_INTERVAL).await;
    }
}
