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
        // Cleanup of a test's own server: a failure here has no one to tell.
        let _killed = self.child.kill();
        let _reaped = self.child.wait();
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
    assert!(started.elapsed() < Duration::from_millis(20), "later calls fail at once, took {:?}", started.elapsed());
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
