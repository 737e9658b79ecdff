//! Rate limits: each rule trips with 429 and `Retry-After` and recovers; a guessing storm does
//! not keep the owner (with their known browser) out; a refused form keeps what was typed; two
//! instances share one limit; with Redis stopped each instance still limits; `/metrics` counts
//! refusals by rule. Black-box, on either backend, with tiny quotas set through `FORUM_LIMIT_*`.

use crate::common::content::{category_id, textarea_value};
use crate::common::throwaway_redis::ThrowawayRedis;
use crate::common::{PASSWORD, Page, ServerOptions, TestServer};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// How long a test waits for a quota to fill again before giving up (quotas here are seconds).
const RECOVERY: Duration = Duration::from_secs(15);

/// A server with rate limits on and these rules' quotas (e.g. `("POST_ACCOUNT", "2/2s")`).
fn limited(rules: &[(&str, &str)]) -> ServerOptions {
    let mut options = TestServer::options().env("FORUM_RATE_LIMITS", "on");
    for (rule, quotas) in rules {
        options = options.env(&format!("FORUM_LIMIT_{rule}"), quotas);
    }
    options
}

/// The value of one sample on a server's `/metrics` (0 when it has none yet).
async fn metric(server: &TestServer, sample: &str) -> f64 {
    let page = server.browser().get("/metrics").await;
    let line = page.body.lines().find(|line| line.starts_with(sample) && line[sample.len()..].starts_with(' '));
    line.and_then(|line| line[sample.len()..].trim().parse().ok()).unwrap_or(0.0)
}

/// A refusal: 429, a `Retry-After` of whole seconds, and a page that says when to try again.
fn expect_refused(page: &Page) -> u64 {
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "{}: {}", page.path, page.body_excerpt());
    let seconds: u64 = page.header("retry-after").and_then(|v| v.parse().ok()).expect("a Retry-After in seconds");
    assert!(seconds >= 1, "Retry-After {seconds}");
    assert!(page.body.contains("try again in"), "the page says when to try again: {}", page.body_excerpt());
    seconds
}

/// Sends `attempt` until it is no longer refused (the quota earned back), and returns that answer.
async fn once_allowed<F: std::future::Future<Output = Page>>(attempt: impl Fn() -> F) -> Page {
    let deadline = Instant::now() + RECOVERY;
    loop {
        let page = attempt().await;
        if page.status != StatusCode::TOO_MANY_REQUESTS {
            return page;
        }
        assert!(Instant::now() < deadline, "{} still refused after {RECOVERY:?}", page.path);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn writing_and_voting_limits_trip_and_recover() {
    let server =
        limited(&[("POST_ACCOUNT", "2/2s"), ("COMMENT_ACCOUNT", "2/2s"), ("VOTE_ACCOUNT", "2/2s")]).start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let board = rust.to_string();
    let first = alice.create_post(rust, "One", "text").await;
    alice.create_post(rust, "Two", "text").await;
    expect_refused(&alice.submit_post(&board, "Three", "text").await);
    // Another account has a quota of its own.
    let bob = server.user("bob", "bob@example.com").await;
    bob.create_post(rust, "Bob's", "text").await;
    let recovered = once_allowed(|| alice.submit_post(&board, "Three", "text")).await;
    recovered.expect_status(StatusCode::SEE_OTHER);

    bob.add_comment(first, "c1").await;
    bob.add_comment(first, "c2").await;
    let refused = bob.submit_comment(first, "c3").await;
    expect_refused(&refused);
    assert_eq!(textarea_value(&refused, "content").as_deref(), Some("c3"), "the refused comment is kept");
    once_allowed(|| bob.submit_comment(first, "c3")).await.expect_status(StatusCode::SEE_OTHER);

    bob.vote_post(first).await.expect_status(StatusCode::SEE_OTHER);
    bob.vote_post(first).await.expect_status(StatusCode::SEE_OTHER);
    // A vote is a button, not a form: the error page in the layout, with Retry-After kept.
    let refused = bob.vote_post(first).await;
    expect_refused(&refused);
    assert!(refused.body.contains("bob"), "the refusal page is in the layout, with who is logged in");
    once_allowed(|| bob.vote_post(first)).await.expect_status(StatusCode::SEE_OTHER);

    assert!(metric(&server, r#"rate_limit_refusals_total{rule="post_account"}"#).await >= 1.0);
    assert!(metric(&server, r#"rate_limit_refusals_total{rule="comment_account"}"#).await >= 1.0);
    assert!(metric(&server, r#"rate_limit_refusals_total{rule="vote_account"}"#).await >= 1.0);
    assert_eq!(metric(&server, r#"rate_limit_refusals_total{rule="search_address"}"#).await, 0.0);
}

#[tokio::test]
async fn a_refused_post_or_edit_form_comes_back_with_everything_typed() {
    let server = limited(&[("POST_ACCOUNT", "1/1h"), ("EDIT_ACCOUNT", "1/1h")]).start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let post = alice.create_post(rust, "Allowed", "text").await;
    let refused = alice.submit_post(&rust.to_string(), "A title worth keeping", "Three paragraphs of care.").await;
    let wait = expect_refused(&refused);
    assert!(wait > 60, "an hour's quota says minutes, not a second: {wait}");
    assert_eq!(refused.input_value("title").as_deref(), Some("A title worth keeping"));
    assert_eq!(textarea_value(&refused, "content").as_deref(), Some("Three paragraphs of care."));
    assert!(refused.body.contains("minutes"), "{}", refused.body_excerpt());

    alice.edit_post(post, "Allowed, edited", "text 2").await.expect_status(StatusCode::SEE_OTHER);
    let refused = alice.edit_post(post, "Edited again", "text 3").await;
    expect_refused(&refused);
    assert_eq!(textarea_value(&refused, "content").as_deref(), Some("text 3"));
    assert_eq!(refused.input_value("title").as_deref(), Some("Edited again"));
}

#[tokio::test]
async fn sign_up_and_search_limits_count_per_address() {
    let server = limited(&[("SIGNUP_ADDRESS", "2/2s"), ("SEARCH_ADDRESS", "2/2s")]).start().await;
    let first = server.user("first", "first@example.com").await;
    server.user("second", "second@example.com").await;
    let third = server.browser();
    let refused = third.signup("third", "third@example.com", PASSWORD).await;
    expect_refused(&refused);
    assert_eq!(refused.input_value("name").as_deref(), Some("third"), "the sign-up form keeps the name");
    once_allowed(|| third.signup("third", "third@example.com", PASSWORD)).await.expect_redirect("/");

    first.get("/search?q=anything").await.expect_status(StatusCode::OK);
    // The address is counted, whoever is logged in.
    server.browser().get("/search?q=else").await.expect_status(StatusCode::OK);
    expect_refused(&first.get("/search?q=more").await);
    // The board pages are not limited.
    first.get("/").await.expect_status(StatusCode::OK);
    once_allowed(|| first.get("/search?q=more")).await.expect_status(StatusCode::OK);
    assert!(metric(&server, r#"rate_limit_refusals_total{rule="signup_address"}"#).await >= 1.0);
    assert!(metric(&server, r#"rate_limit_refusals_total{rule="search_address"}"#).await >= 1.0);
}

#[tokio::test]
async fn a_login_storm_is_refused_but_the_owner_logs_in_from_a_known_browser() {
    let server = limited(&[("LOGIN_ADDRESS", "5/1h"), ("LOGIN_ACCOUNT", "4/1h")]).start().await;
    // The owner's browser was marked at sign-up; it logs out and, later, back in.
    let owner = server.user("owner", "owner@example.com").await;
    assert!(owner.cookie("forum_known").is_some(), "logging in marks the browser as known");
    owner.logout().await;

    let guesser = server.browser();
    let mut refused = 0;
    for i in 0..20 {
        let page = guesser.login("owner", &format!("guess {i}")).await;
        match page.status {
            StatusCode::UNPROCESSABLE_ENTITY => {}
            StatusCode::TOO_MANY_REQUESTS => {
                expect_refused(&page);
                assert_eq!(page.input_value("name").as_deref(), Some("owner"), "the login form keeps the name");
                refused += 1;
            }
            other => panic!("a wrong password answered {other}"),
        }
    }
    assert!(refused >= 15, "at most five guesses were checked, {refused} of 20 refused");
    // The right password from a stranger's browser is refused too: the account's lane is full.
    expect_refused(&server.browser().login("owner", PASSWORD).await);
    // The owner's known browser has a lane of its own.
    owner.login("owner", PASSWORD).await.expect_redirect("/");
    owner.home().await.expect_logged_in_as("owner");
    // A forged mark is no mark.
    let forger = server.browser();
    forger.set_cookie("forum_known", &owner.cookie("forum_known").unwrap().replace('.', ".x"));
    expect_refused(&forger.login("owner", PASSWORD).await);
    assert!(metric(&server, r#"rate_limit_refusals_total{rule="login_account"}"#).await >= 1.0);
}

#[tokio::test]
async fn two_instances_share_one_limit() {
    let server = limited(&[("POST_ACCOUNT", "3/1h")]).start().await;
    if !server.backend().is_mariadb() {
        eprintln!("two instances need the shared backend (FORUM_TEST_BACKEND=mariadb); skipped on SQLite");
        return;
    }
    let other = server.another_instance().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let there = alice.at(&other);
    alice.create_post(rust, "One", "text").await;
    there.create_post(rust, "Two", "text").await;
    alice.create_post(rust, "Three", "text").await;
    expect_refused(&there.submit_post(&rust.to_string(), "Four", "text").await);
    expect_refused(&alice.submit_post(&rust.to_string(), "Four", "text").await);
    assert_eq!(metric(&server, "rate_limit_fallbacks_total").await, 0.0);
}

#[tokio::test]
async fn with_redis_stopped_each_instance_still_limits() {
    let mut redis = ThrowawayRedis::start();
    let server = limited(&[("SEARCH_ADDRESS", "2/1h")])
        .env("REDIS_URL", &redis.url())
        .env("REDIS_PREFIX", "limits-test:")
        .start()
        .await;
    let visitor = server.browser();
    visitor.get("/search?q=one").await.expect_status(StatusCode::OK);
    assert_eq!(metric(&server, "rate_limit_local_fallback").await, 0.0);
    redis.stop();
    // Counted in the process now, from nothing: two more, then refused.
    let mut answers = Vec::new();
    for q in ["two", "three", "four", "five"] {
        answers.push(visitor.get(&format!("/search?q={q}")).await.status);
    }
    assert_eq!(answers.last(), Some(&StatusCode::TOO_MANY_REQUESTS), "{answers:?}");
    expect_refused(&visitor.get("/search?q=six").await);
    assert!(metric(&server, "rate_limit_fallbacks_total").await >= 1.0);
    assert_eq!(metric(&server, "rate_limit_local_fallback").await, 1.0);
}
