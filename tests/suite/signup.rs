//! One post per click and sign-up spam: the one-time key of the post and comment forms, the
//! sign-up form's signed fill time and trap field, the daily cap per address, the registration
//! modes with invite codes, and new accounts' limits. Black-box, on either backend.

use crate::common::content::{category_id, comment_ids, join_all, post_id_of, titles_in_list};
use crate::common::{Browser, PASSWORD, Page, TestServer};
use reqwest::StatusCode;
use std::time::Duration;

/// The one-time key of the form on `page`.
fn form_key(page: &Page) -> String {
    let key = page.input_value("form_key").unwrap_or_default();
    assert!(key.len() >= 16, "{}: the form carries a one-time key, got {key:?}", page.path);
    key
}

/// The value of one sample on a server's `/metrics` (0 when it has none yet).
async fn metric(server: &TestServer, sample: &str) -> f64 {
    let page = server.browser().get("/metrics").await;
    let line = page.body.lines().find(|line| line.starts_with(sample) && line[sample.len()..].starts_with(' '));
    line.and_then(|line| line[sample.len()..].trim().parse().ok()).unwrap_or(0.0)
}

/// Sends the same form `copies` times at once, alternately to `first` and `second` (two
/// instances on one database, as behind a load balancer); every answer's status and Location.
async fn send_together(
    first: &Browser,
    second: &Browser,
    path: &str,
    form: &[(&str, &str)],
    copies: usize,
) -> Vec<(StatusCode, String)> {
    let sends = (0..copies).map(|i| async move {
        let b = if i % 2 == 0 { first } else { second };
        let page = b.post_form(path, form).await;
        (page.status, page.location().unwrap_or_default())
    });
    join_all(sends).await
}

#[tokio::test]
async fn twenty_simultaneous_submissions_of_one_post_form_make_one_post() {
    let server = TestServer::start().await;
    let other = server.another_instance().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let form_page = alice.get(&format!("/posts/new?category={rust}")).await;
    let key = form_key(&form_page);
    let rust_id = rust.to_string();
    let form =
        [("category", rust_id.as_str()), ("title", "Double click"), ("content", "Sent once"), ("form_key", &key)];

    let answers = send_together(&alice, &alice.at(&other), "/posts", &form, 20).await;
    let first = answers[0].1.clone();
    let id = post_id_of(&first);
    for (status, location) in &answers {
        assert_eq!((*status, location.as_str()), (StatusCode::SEE_OTHER, format!("/posts/{id}").as_str()));
    }
    // Sent again later (a reload that posts the form again): still that post, nothing new.
    alice.post_form("/posts", &form).await.expect_redirect(&format!("/posts/{id}"));
    let list = alice.get(&format!("/categories/{rust}")).await;
    let copies = titles_in_list(&list).iter().filter(|t| *t == "Double click").count();
    assert_eq!(copies, 1, "one post for one click");
    let sample = r#"form_resubmissions_total{form="post"}"#;
    let counted = metric(&server, sample).await + metric(&other, sample).await;
    assert_eq!(counted, 20.0, "/metrics counts the 19 copies and the reload");

    // A new form has a new key, and makes a new post.
    let again = form_key(&alice.get(&format!("/posts/new?category={rust}")).await);
    assert_ne!(again, key, "each form shown gets its own key");
    let second =
        [("category", rust_id.as_str()), ("title", "Double click"), ("content", "On purpose"), ("form_key", &again)];
    let page = alice.post_form("/posts", &second).await;
    page.expect_status(StatusCode::SEE_OTHER);
    assert_ne!(page.location().unwrap_or_default(), format!("/posts/{id}"), "a second form is a second post");
}

#[tokio::test]
async fn twenty_simultaneous_submissions_of_one_comment_form_add_one_comment() {
    let server = TestServer::start().await;
    let other = server.another_instance().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let post = alice.create_post(rust, "Comment here", "text").await;
    let key = form_key(&alice.post_page(post).await);
    let form = [("content", "Only once, please"), ("form_key", key.as_str())];
    let path = format!("/posts/{post}/comments");

    let answers = send_together(&alice, &alice.at(&other), &path, &form, 20).await;
    let first = answers[0].1.clone();
    assert!(first.starts_with(&format!("/posts/{post}?page=")), "lands on the comment, got {first:?}");
    for answer in &answers {
        assert_eq!(answer, &(StatusCode::SEE_OTHER, first.clone()), "every copy lands on the same comment");
    }
    alice.post_form(&path, &form).await.expect_redirect(&first);
    // Each instance keeps its pages in its own memory and learns of the other's comments from
    // the event log within a couple of seconds: once both show the same comments, each has
    // seen every comment either made.
    let on_other = alice.at(&other);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let page = loop {
        let (here, there) = (alice.post_page(post).await, on_other.post_page(post).await);
        if comment_ids(&here) == comment_ids(&there) || std::time::Instant::now() > deadline {
            break here;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let copies = page.texts(".comment .comment-body").iter().filter(|t| t.contains("Only once, please")).count();
    assert_eq!(copies, 1, "one comment for one click\n{}", page.body_excerpt());
}

#[tokio::test]
async fn a_post_form_shown_again_keeps_its_key_and_its_text() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let key = form_key(&alice.get(&format!("/posts/new?category={rust}")).await);
    let rust_id = rust.to_string();
    let blank = [("category", rust_id.as_str()), ("title", " "), ("content", "kept"), ("form_key", key.as_str())];
    let refused = alice.post_form("/posts", &blank).await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(form_key(&refused), key, "nothing was made with the key, so the form keeps it");
    let fixed = [("category", rust_id.as_str()), ("title", "Fixed"), ("content", "kept"), ("form_key", key.as_str())];
    let page = alice.post_form("/posts", &fixed).await;
    page.expect_status(StatusCode::SEE_OTHER);
}

// ---------------------------------------------------------------------------------------------------------
// The sign-up form
// ---------------------------------------------------------------------------------------------------------

fn signup_fields<'a>(name: &'a str, email: &'a str, stamp: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("name", name),
        ("email", email),
        ("password1", PASSWORD),
        ("password2", PASSWORD),
        ("started", stamp),
        ("website", ""),
    ]
}

/// A refused sign-up: shown again with `message`, the name and email kept, no password, no login.
#[track_caller]
fn expect_signup_refused(page: &Page, status: StatusCode, message: &str, name: &str) {
    page.expect_status(status);
    let summary = page.error_summary().unwrap_or_default();
    assert!(summary.contains(message), "the form says {message:?}, got {summary:?}");
    assert_eq!(page.input_value("name").as_deref(), Some(name), "the name typed is kept");
    assert!(page.input_value("email").is_some_and(|e| !e.is_empty()), "the email typed is kept");
    assert_eq!(page.input_value("password1"), None, "a password is never sent back");
    assert!(page.set_cookie("forum_token").is_none(), "no login");
}

#[tokio::test]
async fn an_unhurried_sign_up_works_and_a_hurried_one_is_shown_again() {
    let server = TestServer::options().env("FORUM_SIGNUP_MIN_SECONDS", "2").start().await;
    let b = server.browser();
    let stamp = b.signup_stamp().await;
    let hurried = b.post_form("/signup", &signup_fields("bot", "bot@example.com", &stamp)).await;
    expect_signup_refused(&hurried, StatusCode::UNPROCESSABLE_ENTITY, "quicker than a person", "bot");

    // A person reads the form again and sends it a few seconds later: welcome.
    let fresh = hurried.input_value("started").unwrap_or_default();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let page = b.post_form("/signup", &signup_fields("bot", "bot@example.com", &fresh)).await;
    page.expect_redirect("/");
    b.home().await.expect_logged_in_as("bot");
}

#[tokio::test]
async fn a_forged_or_missing_stamp_and_a_filled_trap_are_refused() {
    let server = TestServer::start().await;
    let b = server.browser();
    let form = b.get("/signup").await;
    // The trap is there for scripts, hidden from people and screen readers, and labelled.
    assert!(form.has(r#"div.trap[aria-hidden="true"] label[for="website"]"#), "a labelled trap field");
    assert_eq!(form.attrs(r#"input[name="website"]"#, "tabindex"), vec!["-1".to_string()], "not in the tab order");
    let stamp = form.input_value("started").unwrap_or_default();
    let (issued, signature) = stamp.split_once('.').expect("time.signature");
    let earlier = format!("{}.{signature}", issued.parse::<i64>().unwrap() - 60_000);

    for forged in [earlier.as_str(), "", "12345.abc"] {
        let page = b.post_form("/signup", &signup_fields("mallory", "m@example.com", forged)).await;
        expect_signup_refused(&page, StatusCode::UNPROCESSABLE_ENTITY, "could not be checked", "mallory");
    }
    let mut trapped = signup_fields("mallory", "m@example.com", &stamp);
    trapped.retain(|(name, _)| *name != "website");
    trapped.push(("website", "http://spam.example"));
    let page = b.post_form("/signup", &trapped).await;
    expect_signup_refused(&page, StatusCode::UNPROCESSABLE_ENTITY, "could not be checked", "mallory");
    assert_eq!(page.input_value("website"), None, "the trap is never filled back in");
    b.login("mallory", PASSWORD).await.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(metric(&server, r#"signups_refused_total{rule="forged"}"#).await, 3.0);
    assert_eq!(metric(&server, r#"signups_refused_total{rule="trap"}"#).await, 1.0);
    // The genuine stamp still works.
    b.post_form("/signup", &signup_fields("mallory", "m@example.com", &stamp)).await.expect_redirect("/");
}

#[tokio::test]
async fn accounts_per_address_a_day_are_capped_across_instances() {
    let server = TestServer::options().env("FORUM_SIGNUPS_PER_ADDRESS", "2").start().await;
    let other = server.another_instance().await;
    server.user("first", "first@example.com").await;
    let b = other.browser();
    b.signup("second", "second@example.com", PASSWORD).await.expect_redirect("/");
    let third = server.browser();
    let page = third.signup("third", "third@example.com", PASSWORD).await;
    expect_signup_refused(&page, StatusCode::UNPROCESSABLE_ENTITY, "Only 2 accounts", "third");
    let page = other.browser().signup("fourth", "fourth@example.com", PASSWORD).await;
    expect_signup_refused(&page, StatusCode::UNPROCESSABLE_ENTITY, "Only 2 accounts", "fourth");
    // A header that claims another address counts for nothing from a client that is not a
    // trusted proxy: still this address, still refused.
    let stamp = third.signup_stamp().await;
    let origin = server.base_url().to_string();
    let headers = [("origin", origin.as_str()), ("sec-fetch-site", "same-origin"), ("x-forwarded-for", "203.0.113.7")];
    let page = third.post_form_with("/signup", &signup_fields("fifth", "fifth@example.com", &stamp), &headers).await;
    expect_signup_refused(&page, StatusCode::UNPROCESSABLE_ENTITY, "Only 2 accounts", "fifth");
}

// ---------------------------------------------------------------------------------------------------------
// Registration modes and invite codes
// ---------------------------------------------------------------------------------------------------------

async fn set_mode(admin: &Browser, mode: &str) {
    admin.post_form("/admin/registration", &[("mode", mode)]).await.expect_redirect("/admin/registration");
}

/// The newest invite code on the admin's page.
async fn newest_invite(admin: &Browser) -> String {
    let page = admin.post_form("/admin/invites", &[]).await;
    page.expect_status(StatusCode::SEE_OTHER);
    let list = admin.get("/admin/registration").await;
    list.texts("table.invites td code").into_iter().next().expect("an invite code listed")
}

#[tokio::test]
async fn invite_only_and_closed_registration() {
    let server = TestServer::start().await;
    let admin = server.user("admin", "admin@example.com").await;
    let member = server.user("member", "member@example.com").await;
    member.get("/admin/registration").await.expect_status(StatusCode::FORBIDDEN);
    member.post_form("/admin/registration", &[("mode", "open")]).await.expect_status(StatusCode::FORBIDDEN);

    set_mode(&admin, "invite").await;
    let b = server.browser();
    let form = b.get("/signup").await;
    assert!(form.has(r#"input[name="invite"]"#), "the form asks for an invite code");
    let page = b.signup("guest", "guest@example.com", PASSWORD).await;
    expect_signup_refused(&page, StatusCode::UNPROCESSABLE_ENTITY, "Enter your invite code", "guest");
    let wrong = b
        .post_signup(&[
            ("name", "guest"),
            ("email", "guest@example.com"),
            ("password1", PASSWORD),
            ("password2", PASSWORD),
            ("invite", "not-a-code"),
        ])
        .await;
    expect_signup_refused(&wrong, StatusCode::UNPROCESSABLE_ENTITY, "not valid", "guest");
    assert_eq!(wrong.input_value("invite").as_deref(), Some("not-a-code"), "the code typed is kept");

    let code = newest_invite(&admin).await;
    let with_code = [
        ("name", "guest"),
        ("email", "guest@example.com"),
        ("password1", PASSWORD),
        ("password2", PASSWORD),
        ("invite", code.as_str()),
    ];
    b.post_signup(&with_code).await.expect_redirect("/");
    let list = admin.get("/admin/registration").await;
    assert!(list.visible_text().contains("Used by guest"), "the admin sees who used the code");
    // Single use.
    let again = [
        ("name", "guest2"),
        ("email", "guest2@example.com"),
        ("password1", PASSWORD),
        ("password2", PASSWORD),
        ("invite", code.as_str()),
    ];
    let page = server.browser().post_signup(&again).await;
    expect_signup_refused(&page, StatusCode::UNPROCESSABLE_ENTITY, "not valid", "guest2");
    // A revoked code is refused.
    let revoked = newest_invite(&admin).await;
    admin.post_form("/admin/invites/revoke", &[("code", &revoked)]).await.expect_status(StatusCode::SEE_OTHER);
    let with_revoked = [
        ("name", "guest3"),
        ("email", "guest3@example.com"),
        ("password1", PASSWORD),
        ("password2", PASSWORD),
        ("invite", revoked.as_str()),
    ];
    let page = server.browser().post_signup(&with_revoked).await;
    expect_signup_refused(&page, StatusCode::UNPROCESSABLE_ENTITY, "not valid", "guest3");

    set_mode(&admin, "closed").await;
    let closed = server.browser().get("/signup").await;
    closed.expect_status(StatusCode::OK);
    assert!(closed.visible_text().contains("Sign-up is closed"), "the page says so");
    assert!(!closed.has(r#"form[action="/signup"]"#), "and offers no form");
    let page = server.browser().signup("late", "late@example.com", PASSWORD).await;
    page.expect_status(StatusCode::FORBIDDEN);
    assert!(page.set_cookie("forum_token").is_none(), "no account while closed");

    set_mode(&admin, "open").await;
    server.browser().signup("late", "late@example.com", PASSWORD).await.expect_redirect("/");
}

// ---------------------------------------------------------------------------------------------------------
// New accounts
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_new_account_posts_a_little_and_links_nothing() {
    let server = TestServer::options()
        .env("FORUM_NEW_ACCOUNT_HOURS", "24")
        .env("FORUM_NEW_ACCOUNT_POSTS", "2")
        .env("FORUM_NEW_ACCOUNT_COMMENTS", "1")
        .start()
        .await;
    let admin = server.user("admin", "admin@example.com").await;
    let newbie = server.user("newbie", "newbie@example.com").await;
    let rust = category_id(&admin, "Rust").await;
    let rust_id = rust.to_string();

    let linked = newbie.submit_post(&rust_id, "Cheap", "Buy at https://spam.example today").await;
    linked.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(linked.error_summary().unwrap_or_default().contains("cannot post links"), "{}", linked.body_excerpt());
    assert_eq!(linked.input_value("title").as_deref(), Some("Cheap"), "the title is kept");
    let post = newbie.create_post(rust, "Hello", "New here.").await;
    newbie.create_post(rust, "Again", "Still new.").await;
    let third = newbie.submit_post(&rust_id, "Third", "One too many.").await;
    third.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(third.error_summary().unwrap_or_default().contains("can publish 2 posts"), "{}", third.body_excerpt());
    assert!(third.body.contains("One too many."), "the text is kept");

    let page = newbie.submit_comment(post, "see [this](http://spam.example)").await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.error_summary().unwrap_or_default().contains("cannot post links"), "{}", page.body_excerpt());
    newbie.add_comment(post, "Thanks!").await;
    let page = newbie.submit_comment(post, "And more").await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.error_summary().unwrap_or_default().contains("can write one comment"), "{}", page.body_excerpt());

    // Staff are not held: the admin's account is as new, and posts links freely.
    admin.create_post(rust, "Rules", "Read https://forum.example/rules first").await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_network_has_its_own_daily_cap() {
    let server = TestServer::options()
        .env("FORUM_SIGNUPS_PER_ADDRESS", "1")
        .env("FORUM_TRUSTED_PROXIES", "127.0.0.1")
        .start()
        .await;
    let origin = server.base_url().to_string();
    let from = |client: &'static str| {
        [("origin", origin.clone()), ("sec-fetch-site", "same-origin".into()), ("x-forwarded-for", client.to_string())]
    };
    let send = async |name: &str, client: &'static str| {
        let b = server.browser();
        let stamp = b.signup_stamp().await;
        let email = format!("{name}@example.com");
        let headers = from(client);
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        b.post_form_with("/signup", &signup_fields(name, &email, &stamp), &headers).await
    };
    send("one", "198.51.100.1").await.expect_redirect("/");
    expect_signup_refused(
        &send("two", "198.51.100.1").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Only one account",
        "two",
    );
    send("three", "198.51.100.2").await.expect_redirect("/");
    // An IPv6 /64 is one network: one household or one server.
    send("four", "2001:db8:1:2::10").await.expect_redirect("/");
    let page = send("five", "2001:db8:1:2:ffff::1").await;
    expect_signup_refused(&page, StatusCode::UNPROCESSABLE_ENTITY, "Only one account", "five");
    send("six", "2001:db8:1:3::10").await.expect_redirect("/");
}
