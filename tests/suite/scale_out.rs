//! Scale-out: a forum keeps serving when its Redis fails and uses it again when it is back, and
//! two instances (two real `forum serve` processes) sharing one MariaDB database and one Redis
//! behave as one forum: sessions, logouts, blocks and edits on one show on the other at once.
//!
//! The Redis failure tests run on either backend, each with a `redis-server` of its own that they
//! stop and start. The two-instance tests need the shared backend (`FORUM_TEST_BACKEND=mariadb`,
//! which scripts/test runs); on SQLite they say so and pass.

use crate::common::throwaway_redis::ThrowawayRedis;
use crate::common::{Browser, PASSWORD, TestServer, jwt};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// How long a forum may take to notice that its Redis is back (it probes twice a second).
const RECOVERY_TIMEOUT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

/// A forum whose cache and sessions live in `redis`.
async fn forum_using(redis: &ThrowawayRedis) -> TestServer {
    TestServer::options().env("REDIS_URL", &redis.url()).env("REDIS_PREFIX", "scale-out-test:").start().await
}

/// The sum of a metric's samples whose labels contain `label` (e.g. `cache="redis"`).
fn metric(text: &str, name: &str, label: &str) -> f64 {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let metric_name = series.split('{').next()?;
            (metric_name == name && series.contains(label)).then(|| value.parse::<f64>().ok())?
        })
        .sum()
}

async fn metrics_of(server: &TestServer) -> String {
    let page = server.browser().get("/metrics").await;
    page.expect_status(StatusCode::OK);
    page.body
}

/// Loads the front page (twice, so the second can be a cache hit) until the forum serves it
/// from Redis again; fails after [`RECOVERY_TIMEOUT`].
async fn expect_cache_hits_again(server: &TestServer, browser: &Browser) {
    let deadline = Instant::now() + RECOVERY_TIMEOUT;
    loop {
        let before = metric(&metrics_of(server).await, "cache_hits_total", r#"cache="redis""#);
        for _ in 0..2 {
            browser.get("/").await.expect_status(StatusCode::OK);
        }
        let metrics = metrics_of(server).await;
        if metric(&metrics, "cache_hits_total", r#"cache="redis""#) > before {
            assert_eq!(metric(&metrics, "redis_up", ""), 1.0, "redis_up once the cache is used again");
            return;
        }
        assert!(Instant::now() < deadline, "no cache hit within {RECOVERY_TIMEOUT:?} of Redis coming back\n{metrics}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn user_id(browser: &Browser) -> i64 {
    let token = browser.token().expect("a logged-in browser has a token");
    jwt::claims(&token)["sub"].as_i64().expect("sub is the user id")
}

/// Two instances on one database and one Redis prefix. Fields drop in order: the second
/// instance stops before the first drops the database.
struct TwoInstances {
    second: TestServer,
    first: TestServer,
}

async fn two_instances() -> Option<TwoInstances> {
    let first = TestServer::start().await;
    if !first.backend().is_mariadb() {
        // Straight to stderr, past libtest's capture, so a plain `cargo test` shows what did not run.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr().lock(),
            "two instances: skipped: they need a shared database and cache: FORUM_TEST_BACKEND=mariadb \
             (bash scripts/test runs it)"
        );
        return None;
    }
    let second = first.another_instance().await;
    Some(TwoInstances { second, first })
}

// ---------------------------------------------------------------------------------------------------------
// The backend switch itself
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_suite_runs_on_the_backend_it_was_asked_for() {
    let server = TestServer::start().await;
    let browser = server.browser();
    for _ in 0..2 {
        browser.get("/").await.expect_status(StatusCode::OK);
    }
    let metrics = metrics_of(&server).await;
    let (scheme, cache) = if server.backend().is_mariadb() { ("mysql://", "redis") } else { ("sqlite://", "memory") };
    assert!(server.database_url().starts_with(scheme), "database {}", server.database_url());
    let label = format!(r#"cache="{cache}""#);
    assert!(metric(&metrics, "cache_hits_total", &label) >= 1.0, "the second front page came from {cache}\n{metrics}");
}

// ---------------------------------------------------------------------------------------------------------
// Redis failures
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn while_redis_is_down_pages_and_logins_work_and_it_is_used_again_once_back() {
    let mut redis = ThrowawayRedis::start();
    let server = forum_using(&redis).await;
    let alice = server.user("alice", "alice@example.com").await;
    expect_cache_hits_again(&server, &alice).await;

    redis.stop();
    alice.get("/").await.expect_status(StatusCode::OK).expect_logged_in_as("alice");
    let visitor = server.browser();
    visitor.get("/").await.expect_status(StatusCode::OK).expect_logged_out();
    visitor.get("/login").await.expect_status(StatusCode::OK);
    visitor.login("alice", PASSWORD).await.expect_status(StatusCode::SEE_OTHER);
    visitor.get("/").await.expect_status(StatusCode::OK).expect_logged_in_as("alice");
    let bob = server.user("bob", "bob@example.com").await;
    bob.get("/users/bob").await.expect_status(StatusCode::OK);
    let metrics = metrics_of(&server).await;
    assert!(metric(&metrics, "cache_errors_total", r#"cache="redis""#) > 0.0, "failures are counted\n{metrics}");
    assert_eq!(metric(&metrics, "redis_up", ""), 0.0, "redis_up shows the outage\n{metrics}");

    // Back on the same port, without restarting the forum.
    redis.start_again();
    expect_cache_hits_again(&server, &visitor).await;
    visitor.get("/").await.expect_logged_in_as("alice");
    bob.get("/").await.expect_logged_in_as("bob");
}

#[tokio::test]
async fn a_forum_started_while_redis_is_down_serves_pages_and_uses_redis_once_it_is_up() {
    let mut redis = ThrowawayRedis::not_started();
    let server = forum_using(&redis).await;
    let alice = server.user("alice", "alice@example.com").await;
    alice.get("/").await.expect_status(StatusCode::OK).expect_logged_in_as("alice");
    let metrics = metrics_of(&server).await;
    assert!(metric(&metrics, "cache_errors_total", r#"cache="redis""#) > 0.0, "failures are counted\n{metrics}");

    redis.start_again();
    expect_cache_hits_again(&server, &alice).await;
    alice.get("/").await.expect_logged_in_as("alice");
}

// ---------------------------------------------------------------------------------------------------------
// Two instances
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_login_on_one_instance_is_valid_on_the_other_until_a_logout_on_either() {
    let Some(pair) = two_instances().await else { return };
    let alice = pair.first.user("alice", "alice@example.com").await;
    let token = alice.token().expect("logged in on the first instance");

    // The same token (cookie) on the second instance, read twice so it is cached there too.
    let on_second = pair.second.browser();
    on_second.set_cookie("forum_token", &token);
    for _ in 0..2 {
        on_second.get("/").await.expect_status(StatusCode::OK).expect_logged_in_as("alice");
    }

    alice.logout().await.expect_status(StatusCode::SEE_OTHER);
    on_second.get("/").await.expect_status(StatusCode::OK).expect_logged_out();

    // And the other way round: log in on the second, log out there, the first agrees at once.
    let again = pair.second.browser();
    again.login("alice", PASSWORD).await.expect_status(StatusCode::SEE_OTHER);
    let on_first = pair.first.browser();
    on_first.set_cookie("forum_token", &again.token().expect("logged in on the second instance"));
    on_first.get("/").await.expect_logged_in_as("alice");
    again.logout().await.expect_status(StatusCode::SEE_OTHER);
    on_first.get("/").await.expect_logged_out();
}

#[tokio::test]
async fn a_block_on_one_instance_ends_the_users_session_on_the_other() {
    let Some(pair) = two_instances().await else { return };
    let admin = pair.first.user("alice", "alice@example.com").await;
    let bob = pair.second.user("bob", "bob@example.com").await;
    for _ in 0..2 {
        bob.get("/").await.expect_logged_in_as("bob");
    }

    let block = format!("/admin/users/{}/block", user_id(&bob));
    admin.post_form(&block, &[("reason", "spam")]).await.expect_status(StatusCode::SEE_OTHER);

    bob.get("/").await.expect_status(StatusCode::OK).expect_logged_out();
}

#[tokio::test]
async fn a_rename_on_one_instance_shows_on_the_other_at_once() {
    let Some(pair) = two_instances().await else { return };
    let _admin = pair.first.user("alice", "alice@example.com").await;
    let bob_on_second = pair.second.user("bob", "bob@example.com").await;
    let visitor = pair.second.browser();
    for _ in 0..2 {
        bob_on_second.get("/").await.expect_logged_in_as("bob");
        visitor.get("/users/bob").await.expect_status(StatusCode::OK);
    }

    let bob_on_first = bob_on_second.at(&pair.first);
    bob_on_first
        .post_form("/settings/profile", &[("name", "robert"), ("email", "bob@example.com")])
        .await
        .expect_status(StatusCode::SEE_OTHER);

    bob_on_second.get("/").await.expect_logged_in_as("robert");
    visitor.get("/users/robert").await.expect_status(StatusCode::OK);
    visitor.get("/users/bob").await.expect_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_post_edited_on_one_instance_shows_edited_on_the_other_at_once() {
    let Some(pair) = two_instances().await else { return };
    let alice = pair.first.user("alice", "alice@example.com").await;
    let category = crate::common::content::category_id(&alice, "Rust").await;
    let post = alice.create_post(category, "First title", "first text").await;

    let reader = pair.second.browser();
    for _ in 0..2 {
        let page = reader.post_page(post).await;
        assert_eq!(page.text("h1").as_deref(), Some("First title"));
        let list = reader.get(&format!("/categories/{category}")).await;
        assert_eq!(crate::common::content::titles_in_list(&list), vec!["First title"]);
    }

    alice.edit_post(post, "Second title", "second text").await.expect_redirect(&format!("/posts/{post}"));

    let page = reader.post_page(post).await;
    assert_eq!(page.text("h1").as_deref(), Some("Second title"));
    assert!(page.text(".post-body").unwrap_or_default().contains("second text"), "{}", page.body_excerpt());
    let list = reader.get(&format!("/categories/{category}")).await;
    assert_eq!(crate::common::content::titles_in_list(&list), vec!["Second title"]);
}
