//! Sessions: login, logout, the token cookie, password change, blocking.

use crate::common::{Browser, PASSWORD, TestServer, jwt};
use reqwest::StatusCode;

/// A fresh browser that sends exactly `Cookie: forum_token=<token>` (no cookie jar involved).
async fn home_with_raw_token(server: &TestServer, token: &str) -> crate::common::Page {
    let page = server.browser().get_with("/", &[("cookie", &format!("forum_token={token}"))]).await;
    page.expect_status(StatusCode::OK);
    page
}

/// The user id (`sub`) from a browser's token.
fn user_id(b: &Browser) -> i64 {
    let token = b.token().expect("logged-in browser has a forum_token");
    jwt::claims(&token)["sub"].as_i64().expect("sub is an integer user id")
}

// ---------------------------------------------------------------------------------------------------------
// Login
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn login_page_is_a_plain_form() {
    let server = TestServer::start().await;
    let page = server.browser().get("/login").await;
    page.expect_status(StatusCode::OK).expect_layout().expect_logged_out();
    assert!(page.has(r#"form[action="/login"]"#), "{}", page.body_excerpt());
    assert!(page.has(r#"input[name="name"]"#));
    assert!(page.has(r#"input[name="password"][type="password"]"#));
}

#[tokio::test]
async fn login_by_name_or_email() {
    let server = TestServer::start().await;
    server.user("alice", "alice@example.com").await;

    let b = server.browser();
    let resp = b.login("alice", PASSWORD).await;
    resp.expect_redirect("/");
    let home = b.follow(&resp).await;
    home.expect_logged_in_as("alice");

    let b = server.browser();
    b.login("alice@example.com", PASSWORD).await.expect_redirect("/");
    b.home().await.expect_logged_in_as("alice");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_refusal() {
    let server = TestServer::start().await;
    server.user("alice", "alice@example.com").await;

    let b = server.browser();
    let wrong = b.login("alice", "not-the-password").await;
    wrong.expect_status(StatusCode::UNPROCESSABLE_ENTITY).expect_layout();
    assert!(wrong.body.contains("Wrong name or password."), "{}", wrong.body_excerpt());
    assert!(!wrong.body.contains("not-the-password"), "the password is echoed");
    assert_eq!(wrong.input_value("name").as_deref(), Some("alice"), "the typed name comes back");
    assert!(wrong.set_cookie("forum_token").is_none_or(|c| c.starts_with("forum_token=;")), "no token on failure");
    b.home().await.expect_logged_out();

    let unknown = server.browser().login("nobody", "not-the-password").await;
    unknown.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("Wrong name or password."), "{}", unknown.body_excerpt());
    // The two refusals do not tell which one was wrong.
    assert_eq!(wrong.error_summary(), unknown.error_summary());

    let unknown_email = server.browser().login("nobody@example.com", PASSWORD).await;
    unknown_email.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown_email.body.contains("Wrong name or password."));
}

#[tokio::test]
async fn login_goes_to_a_local_next_page_only() {
    let server = TestServer::start().await;
    server.user("alice", "alice@example.com").await;

    let b = server.browser();
    b.post_form("/login", &[("name", "alice"), ("password", PASSWORD), ("next", "/users/alice")])
        .await
        .expect_redirect("/users/alice");

    // Tabs and newlines are dropped by a browser's URL parser, so `/` TAB `/evil` is `//evil`.
    let evil_ones = [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "http:evil.example",
        "/\t/evil.example",
        "/\r\n/evil.example",
        "/\u{b}/evil.example",
    ];
    for evil in evil_ones {
        let resp =
            server.browser().post_form("/login", &[("name", "alice"), ("password", PASSWORD), ("next", evil)]).await;
        resp.expect_status(StatusCode::SEE_OTHER);
        let loc = resp.location().unwrap_or_default();
        // Where a browser on the forum's page would go.
        let site = url::Url::parse("http://forum.test/login").unwrap();
        let goes_to = site.join(&loc).map(|url| url.host_str().map(str::to_string));
        assert!(
            loc.starts_with('/') && goes_to == Ok(Some("forum.test".to_string())),
            "next={evil:?} must not redirect off-site, got Location {loc:?}"
        );
    }
}

#[tokio::test]
async fn token_cookie_is_httponly_lax_and_carries_the_session() {
    let server = TestServer::start().await;
    let b = server.browser();
    let resp = b.signup("alice", "alice@example.com", PASSWORD).await;
    resp.expect_redirect("/");
    let cookie = resp.set_cookie("forum_token").expect("forum_token is set");
    let attrs: Vec<String> = cookie.split(';').skip(1).map(|a| a.trim().to_ascii_lowercase()).collect();
    assert!(attrs.iter().any(|a| a == "httponly"), "HttpOnly missing: {cookie}");
    assert!(attrs.iter().any(|a| a == "samesite=lax"), "SameSite=Lax missing: {cookie}");
    assert!(attrs.iter().any(|a| a == "path=/"), "Path=/ missing: {cookie}");
    assert!(!attrs.iter().any(|a| a == "secure"), "plain-HTTP default must not set Secure: {cookie}");

    let token = b.token().unwrap();
    assert_eq!(jwt::header(&token)["alg"], "HS256");
    let claims = jwt::claims(&token);
    let now = jwt::now();
    assert!(claims["sub"].is_i64(), "sub: {claims}");
    assert!(claims["sid"].is_i64(), "sid: {claims}");
    let iat = claims["iat"].as_i64().expect("iat");
    let exp = claims["exp"].as_i64().expect("exp");
    assert!((now - 60..=now + 60).contains(&iat), "iat {iat} vs now {now}");
    assert!(exp > now, "exp {exp} must be in the future");

    // A second login is a second session.
    let b2 = server.browser();
    b2.login("alice", PASSWORD).await.expect_redirect("/");
    let claims2 = jwt::claims(&b2.token().unwrap());
    assert_eq!(claims2["sub"], claims["sub"]);
    assert_ne!(claims2["sid"], claims["sid"], "each login records its own logged_in row");
}

#[tokio::test]
async fn secure_cookies_use_the_host_prefix() {
    let server = TestServer::options().env("FORUM_SECURE_COOKIES", "true").start().await;
    let resp = server.browser().signup("alice", "alice@example.com", PASSWORD).await;
    resp.expect_redirect("/");
    let cookie = resp
        .set_cookie("__Host-forum_token")
        .unwrap_or_else(|| panic!("__Host-forum_token not set: {:?}", resp.set_cookies()));
    let attrs: Vec<String> = cookie.split(';').skip(1).map(|a| a.trim().to_ascii_lowercase()).collect();
    assert!(attrs.iter().any(|a| a == "secure"), "Secure missing: {cookie}");
    assert!(attrs.iter().any(|a| a == "path=/"), "__Host- needs Path=/: {cookie}");
    assert!(attrs.iter().any(|a| a == "httponly"), "HttpOnly missing: {cookie}");
    assert!(!attrs.iter().any(|a| a.starts_with("domain=")), "__Host- forbids Domain: {cookie}");
    assert!(resp.set_cookie("forum_token").is_none(), "no plain forum_token when secure: {:?}", resp.set_cookies());
}

// ---------------------------------------------------------------------------------------------------------
// Logout
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let old = alice.token().expect("token after sign-up");

    // Control: the raw cookie works while the session is alive.
    home_with_raw_token(&server, &old).await.expect_logged_in_as("alice");

    let resp = alice.logout().await;
    resp.expect_redirect("/");
    alice.follow(&resp).await.expect_logged_out();

    // Replaying the old value in a fresh client is logged out, not an error.
    home_with_raw_token(&server, &old).await.expect_logged_out();
    let settings = server.browser().get_with("/settings", &[("cookie", &format!("forum_token={old}"))]).await;
    settings.expect_status(StatusCode::SEE_OTHER);
    assert!(settings.location().unwrap_or_default().starts_with("/login"));
}

#[tokio::test]
async fn a_get_never_logs_out() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let page = alice.get("/logout").await;
    assert!(
        page.status == StatusCode::METHOD_NOT_ALLOWED || page.status == StatusCode::NOT_FOUND,
        "GET /logout: {}",
        page.status
    );
    alice.home().await.expect_logged_in_as("alice");
}

#[tokio::test]
async fn logout_ends_only_that_session() {
    let server = TestServer::start().await;
    let phone = server.user("alice", "alice@example.com").await;
    let laptop = server.browser();
    laptop.login("alice", PASSWORD).await.expect_redirect("/");

    phone.logout().await.expect_redirect("/");
    phone.home().await.expect_logged_out();
    laptop.home().await.expect_logged_in_as("alice");
}

// ---------------------------------------------------------------------------------------------------------
// Password change
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn password_change_ends_the_other_sessions_and_keeps_this_one() {
    let server = TestServer::start().await;
    let here = server.user("alice", "alice@example.com").await;
    let elsewhere = server.browser();
    elsewhere.login("alice", PASSWORD).await.expect_redirect("/");
    let elsewhere_token = elsewhere.token().unwrap();
    elsewhere.home().await.expect_logged_in_as("alice");

    let new_password = "a brand new password 2";
    let resp = here
        .post_form(
            "/settings/password",
            &[("current_password", PASSWORD), ("password1", new_password), ("password2", new_password)],
        )
        .await;
    resp.expect_status(StatusCode::SEE_OTHER);
    let next = here.follow(&resp).await;
    next.expect_logged_in_as("alice");
    assert!(next.flash().is_some(), "a flash confirms the change\n{}", next.body_excerpt());

    here.home().await.expect_logged_in_as("alice");
    elsewhere.home().await.expect_logged_out();
    home_with_raw_token(&server, &elsewhere_token).await.expect_logged_out();

    let page = server.browser().login("alice", PASSWORD).await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Wrong name or password."));
    server.browser().login("alice", new_password).await.expect_redirect("/");
}

#[tokio::test]
async fn password_change_needs_the_current_password_and_matching_new_ones() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let other = server.browser();
    other.login("alice", PASSWORD).await.expect_redirect("/");

    let page = alice
        .post_form(
            "/settings/password",
            &[
                ("current_password", "wrong current pw"),
                ("password1", "new password 1"),
                ("password2", "new password 1"),
            ],
        )
        .await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.error_summary().is_some(), "{}", page.body_excerpt());
    assert!(page.field_error("current_password").is_some(), "{}", page.body_excerpt());
    for pw in ["wrong current pw", "new password 1"] {
        assert!(!page.body.contains(pw), "password echoed: {pw}");
    }

    let page = alice
        .post_form(
            "/settings/password",
            &[("current_password", PASSWORD), ("password1", "new password 1"), ("password2", "new password 2")],
        )
        .await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("do not match"), "{}", page.body_excerpt());

    let page = alice
        .post_form(
            "/settings/password",
            &[("current_password", PASSWORD), ("password1", "short"), ("password2", "short")],
        )
        .await;
    page.expect_form_error("password1", "at least 8 characters");

    // Nothing changed: the old password still works and no session ended.
    server.browser().login("alice", PASSWORD).await.expect_redirect("/");
    other.home().await.expect_logged_in_as("alice");
    alice.home().await.expect_logged_in_as("alice");
}

// ---------------------------------------------------------------------------------------------------------
// Blocking
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn blocked_user_is_logged_out_told_why_and_unblocking_lets_them_back() {
    let server = TestServer::start().await;
    let admin = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let bob_id = user_id(&bob);

    let list = admin.get("/admin/users").await;
    list.expect_status(StatusCode::OK);
    let block_action = format!("/admin/users/{bob_id}/block");
    assert!(
        list.has(&format!(r#"form[action="{block_action}"]"#)),
        "the admin user list has a block form for bob ({block_action})\n{}",
        list.body_excerpt()
    );

    let reason = "Posting the same spam link 40 times";
    let resp = admin.post_form(&block_action, &[("reason", reason)]).await;
    resp.expect_status(StatusCode::SEE_OTHER);
    let list = admin.follow(&resp).await;
    list.expect_status(StatusCode::OK);

    // Blocking ended bob's session.
    bob.home().await.expect_logged_out();

    // Bob cannot log in and is told why, by name or by email.
    for who in ["bob", "bob@example.com"] {
        let page = server.browser().login(who, PASSWORD).await;
        assert!(
            page.status == StatusCode::UNPROCESSABLE_ENTITY || page.status == StatusCode::FORBIDDEN,
            "blocked login: {}",
            page.status
        );
        assert!(page.body.contains("blocked"), "the page says 'blocked'\n{}", page.body_excerpt());
        assert!(page.body.contains(reason), "the page shows the reason\n{}", page.body_excerpt());
        assert!(page.set_cookie("forum_token").is_none_or(|c| c.starts_with("forum_token=;")));
    }
    // A wrong password for a blocked user does not reveal the block reason.
    let page = server.browser().login("bob", "wrong password!").await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!page.body.contains(reason), "the reason is shown only with the right password");

    let admin_list = admin.get("/admin/users").await;
    assert!(admin_list.visible_text().contains("blocked"), "the admin list shows bob as blocked");

    admin.post_form(&format!("/admin/users/{bob_id}/unblock"), &[]).await.expect_status(StatusCode::SEE_OTHER);
    let bob_again = server.browser();
    bob_again.login("bob", PASSWORD).await.expect_redirect("/");
    bob_again.home().await.expect_logged_in_as("bob");
}

#[tokio::test]
async fn only_an_admin_may_block() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let alice_id = user_id(&alice);
    let bob = server.user("bob", "bob@example.com").await;

    let page = bob.post_form(&format!("/admin/users/{alice_id}/block"), &[("reason", "coup")]).await;
    page.expect_status(StatusCode::FORBIDDEN);
    alice.home().await.expect_logged_in_as("alice");
    server.browser().login("alice", PASSWORD).await.expect_redirect("/");

    let anon = server.browser().post_form(&format!("/admin/users/{alice_id}/block"), &[("reason", "x")]).await;
    assert!(
        anon.status == StatusCode::FORBIDDEN || anon.status == StatusCode::SEE_OTHER,
        "anonymous block: {}",
        anon.status
    );
    alice.home().await.expect_logged_in_as("alice");
}
