//! The two-level cache of a scaled-out forum: each instance keeps decoded values in process in
//! front of Redis, and the instances tell each other over Redis what went stale. A change on one
//! instance shows on the other within a bound (checked many times over), at once for its author,
//! and nothing stale is served after Redis restarts.
//!
//! Two instances on one MariaDB database and a `redis-server` of the test's own (so it can be
//! restarted); on SQLite the tests say so and pass.

use crate::common::content::category_id;
use crate::common::throwaway_redis::ThrowawayRedis;
use crate::common::{Browser, TestServer};
use crate::scale_out::{metric, metrics_of};
use std::future::Future;
use std::io::Write;
use std::time::{Duration, Instant};

/// The longest another instance may serve a page from before a change. Generous: on loopback
/// the messages take about a millisecond; the bound is for a loaded test machine.
pub const BOUND: Duration = Duration::from_secs(1);
/// How many changes the loop makes.
const ROUNDS: usize = 100;

/// Polls `check` until it holds; fails if it does not within [`BOUND`]. How long it took.
pub async fn within_bound<F, Fut>(what: &str, check: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if check().await {
            return start.elapsed();
        }
        assert!(start.elapsed() < BOUND, "{what}: still not shown after {BOUND:?}");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// Two instances on one database and on `redis`; None on SQLite.
async fn two_instances_on(redis: &ThrowawayRedis) -> Option<(TestServer, TestServer)> {
    let first =
        TestServer::options().env("REDIS_URL", &redis.url()).env("REDIS_PREFIX", "two-level-test:").start().await;
    if !first.backend().is_mariadb() {
        let _ = writeln!(
            std::io::stderr().lock(),
            "two-level cache: skipped: two instances need a shared database: FORUM_TEST_BACKEND=mariadb"
        );
        return None;
    }
    let second = first.another_instance().await;
    Some((first, second))
}

/// Waits until the instance uses both levels (Redis up, the subscription ready).
async fn expect_both_levels(server: &TestServer) {
    within_bound_of(Duration::from_secs(20), || async {
        let metrics = metrics_of(server).await;
        metric(&metrics, "redis_up", "") == 1.0 && metric(&metrics, "cache_local_level_active", "") == 1.0
    })
    .await;
}

async fn within_bound_of<F, Fut>(bound: Duration, check: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < bound, "not within {bound:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn title_on(browser: &Browser, post: i64) -> Option<String> {
    browser.post_page(post).await.text("h1")
}

#[tokio::test]
async fn a_change_on_one_instance_shows_on_the_other_within_the_bound_and_at_once_for_its_author() {
    let redis = ThrowawayRedis::start();
    let Some((first, second)) = two_instances_on(&redis).await else { return };
    expect_both_levels(&first).await;
    expect_both_levels(&second).await;
    let author = first.user("alice", "alice@example.com").await;
    let category = category_id(&author, "Rust").await;
    let post = author.create_post(category, "title 0", "text").await;
    let author_on_second = author.at(&second);
    let reader = second.browser();

    let mut slowest = Duration::ZERO;
    for round in 1..=ROUNDS {
        // The reader's instance keeps the old page in its local level...
        let old = format!("title {}", round - 1);
        for _ in 0..2 {
            assert_eq!(title_on(&reader, post).await.as_deref(), Some(old.as_str()));
        }
        let new = format!("title {round}");
        author.edit_post(post, &new, "text").await.expect_redirect(&format!("/posts/{post}"));
        // ...the author, redirected to it, sees the change at once...
        assert_eq!(title_on(&author_on_second, post).await.as_deref(), Some(new.as_str()), "round {round}");
        // ...and everyone else within the bound.
        let took = within_bound(&format!("round {round}"), || async {
            title_on(&reader, post).await.as_deref() == Some(new.as_str())
        })
        .await;
        slowest = slowest.max(took);
    }
    let _ = writeln!(std::io::stderr().lock(), "two-level cache: slowest of {ROUNDS} changes shown after {slowest:?}");
    let metrics = metrics_of(&second).await;
    assert!(metric(&metrics, "cache_invalidations_received_total", "") >= ROUNDS as f64, "{metrics}");
    assert!(metric(&metrics, "cache_hits_total", r#"cache="memory""#) >= ROUNDS as f64, "{metrics}");
}

#[tokio::test]
async fn nothing_stale_is_served_after_redis_restarts() {
    let mut redis = ThrowawayRedis::start();
    let Some((first, second)) = two_instances_on(&redis).await else { return };
    expect_both_levels(&second).await;
    let author = first.user("alice", "alice@example.com").await;
    let category = category_id(&author, "Rust").await;
    let post = author.create_post(category, "before", "text").await;
    let reader = second.browser();
    for _ in 0..2 {
        assert_eq!(title_on(&reader, post).await.as_deref(), Some("before"));
    }

    for round in 1..=3 {
        redis.stop();
        let during = format!("while down {round}");
        author.edit_post(post, &during, "text").await.expect_redirect(&format!("/posts/{post}"));
        within_bound(&during, || async { title_on(&reader, post).await.as_deref() == Some(during.as_str()) }).await;

        redis.start_again();
        let back = format!("back {round}");
        let waiting = Instant::now();
        // Until the instances are subscribed again, and after: never the old title.
        while waiting.elapsed() < Duration::from_secs(20) {
            assert_eq!(title_on(&reader, post).await.as_deref(), Some(during.as_str()), "round {round}");
            let metrics = metrics_of(&second).await;
            if metric(&metrics, "cache_local_level_active", "") == 1.0 && metric(&metrics, "redis_up", "") == 1.0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        expect_both_levels(&first).await;
        expect_both_levels(&second).await;
        author.edit_post(post, &back, "text").await.expect_redirect(&format!("/posts/{post}"));
        within_bound(&back, || async { title_on(&reader, post).await.as_deref() == Some(back.as_str()) }).await;
        for _ in 0..5 {
            assert_eq!(title_on(&reader, post).await.as_deref(), Some(back.as_str()), "round {round}");
        }
    }
    let metrics = metrics_of(&second).await;
    assert!(metric(&metrics, "cache_local_level_dropped_total", r#"reason="lost""#) >= 3.0, "{metrics}");
}
