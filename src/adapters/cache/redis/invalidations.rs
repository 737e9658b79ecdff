//! Invalidation messages over Redis pub/sub: `PUBLISH` on `{prefix}invalidate`, numbered by
//! `INCR` on `{prefix}invalidate:sequence` in the same script, so that numbers grow in the
//! order in which Redis delivers the messages; a dedicated `SUBSCRIBE` connection receives them.
//!
//! Pub/sub delivers each message at most once and says nothing when it drops one, except by
//! closing the connection (a disconnect, a restart, a subscriber whose output buffer grew
//! past its limit). So the subscription reports `Lost` whenever its connection ends or stops
//! answering pings, and `Ready` once it is subscribed again.

use super::link::Link;
use crate::ports::{CacheError, InvalidationEvent, Invalidations, Sequence};
use async_trait::async_trait;
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// Numbers and publishes in one step: nothing can be published between the two.
const PUBLISH_SCRIPT: &str =
    "local n = redis.call('INCR', KEYS[1]) redis.call('PUBLISH', KEYS[2], n .. ' ' .. ARGV[1]) return n";
/// How often the subscription checks that its connection still answers (a half-open TCP
/// connection would otherwise look like a quiet forum).
const PING_EVERY: Duration = Duration::from_secs(2);
/// How long connecting and subscribing may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const FIRST_RETRY: Duration = Duration::from_millis(100);
const LAST_RETRY: Duration = Duration::from_secs(2);

pub struct RedisInvalidations {
    link: Arc<Link>,
    channel: String,
    sequence_key: String,
}

impl RedisInvalidations {
    pub(super) fn new(link: Arc<Link>) -> Self {
        let channel = link.key("invalidate");
        let sequence_key = link.key("invalidate:sequence");
        RedisInvalidations { link, channel, sequence_key }
    }
}

#[async_trait]
impl Invalidations for RedisInvalidations {
    async fn publish(&self, names: &[String]) -> Result<Sequence, CacheError> {
        let manager = self.link.usable_manager()?;
        let payload = serde_json::to_string(names).map_err(|error| CacheError(error.to_string()))?;
        let mut eval = redis::cmd("EVAL");
        eval.arg(PUBLISH_SCRIPT).arg(2).arg(&self.sequence_key).arg(&self.channel).arg(payload);
        self.link.run(manager, &eval).await
    }

    fn subscribe(&self) -> UnboundedReceiver<InvalidationEvent> {
        let (sender, receiver) = unbounded_channel();
        let subscriber = Subscriber {
            link: self.link.clone(),
            channel: self.channel.clone(),
            sequence_key: self.sequence_key.clone(),
            events: sender,
        };
        tokio::spawn(subscriber.run());
        receiver
    }
}

struct Subscriber {
    link: Arc<Link>,
    channel: String,
    sequence_key: String,
    events: UnboundedSender<InvalidationEvent>,
}

impl Subscriber {
    /// Subscribes, and again after every failure (waiting longer each time, up to a bound),
    /// until nobody listens to the events.
    async fn run(self) {
        let mut retry = FIRST_RETRY;
        loop {
            let mut ready = false;
            let ended = self.session(&mut ready).await;
            if self.events.is_closed() {
                return;
            }
            if ready {
                tracing::warn!(reason = %ended, "invalidation subscription lost; resubscribing");
                if self.events.send(InvalidationEvent::Lost).is_err() {
                    return;
                }
                retry = FIRST_RETRY;
            } else {
                tracing::debug!(reason = %ended, "invalidation subscription failed; retrying");
            }
            tokio::time::sleep(retry).await;
            retry = (retry * 2).min(LAST_RETRY);
        }
    }

    /// One connection's life: subscribe, say `Ready`, pass the messages on; returns why it ended.
    async fn session(&self, ready: &mut bool) -> String {
        let connected = tokio::time::timeout(CONNECT_TIMEOUT, async {
            let mut pubsub = self.link.client().get_async_pubsub().await?;
            pubsub.subscribe(&self.channel).await?;
            Ok::<_, redis::RedisError>(pubsub)
        })
        .await;
        let pubsub = match connected {
            Ok(Ok(pubsub)) => pubsub,
            Ok(Err(error)) => return error.to_string(),
            Err(_) => return format!("not subscribed within {CONNECT_TIMEOUT:?}"),
        };
        // Read after subscribing: every message numbered above it will arrive.
        let sequence = match self.current_sequence().await {
            Ok(sequence) => sequence,
            Err(error) => return error.to_string(),
        };
        let (mut sink, mut messages) = pubsub.split();
        if self.events.send(InvalidationEvent::Ready { sequence }).is_err() {
            return "nobody listens".into();
        }
        *ready = true;
        let mut ping = tokio::time::interval(PING_EVERY);
        loop {
            tokio::select! {
                message = messages.next() => {
                    let Some(message) = message else { return "connection closed".into() };
                    let Some((names, sequence)) = parse(message.get_payload_bytes()) else {
                        return "an unreadable message".into();
                    };
                    if self.events.send(InvalidationEvent::Names { names, sequence }).is_err() {
                        return "nobody listens".into();
                    }
                }
                _ = ping.tick() => {
                    match tokio::time::timeout(self.link.timeout(), sink.ping::<redis::Value>()).await {
                        Ok(Ok(_)) => {}
                        Ok(Err(error)) => return format!("ping failed: {error}"),
                        Err(_) => return "no answer to a ping".into(),
                    }
                }
            }
        }
    }

    async fn current_sequence(&self) -> Result<Sequence, CacheError> {
        let mut client = self.link.client().get_multiplexed_async_connection().await.map_err(to_cache_error)?;
        let mut get = redis::cmd("GET");
        get.arg(&self.sequence_key);
        let value = tokio::time::timeout(self.link.timeout(), get.query_async::<Option<Sequence>>(&mut client))
            .await
            .map_err(|_| CacheError("no answer to GET".into()))?;
        Ok(value.map_err(to_cache_error)?.unwrap_or(0))
    }
}

fn to_cache_error(error: redis::RedisError) -> CacheError {
    CacheError(format!("redis: {error}"))
}

/// `<sequence> <JSON array of names>`, as the script publishes it.
fn parse(payload: &[u8]) -> Option<(Vec<String>, Sequence)> {
    let text = std::str::from_utf8(payload).ok()?;
    let (sequence, names) = text.split_once(' ')?;
    Some((serde_json::from_str(names).ok()?, sequence.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn messages_are_read_as_published() {
        assert_eq!(parse(br#"42 ["post:1","list:new"]"#), Some((vec!["post:1".into(), "list:new".into()], 42)));
        assert_eq!(parse(b"42"), None);
        assert_eq!(parse(b"x []"), None);
    }
}
