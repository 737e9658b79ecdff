//! Security: cross-site request forgery, forged tokens, body limit, security headers, hostile input.

use crate::common::{Browser, PASSWORD, Page, TestServer, jwt};
use reqwest::StatusCode;
use serde_json::json;

const EVIL: &[(&str, &str)] = &[("origin", "http://evil.example"), ("sec-fetch-site", "cross-site")];

/// What `/` and `/settings` look like with exactly this `forum_token` value.
async fn expect_logged_out_with_token(server: &TestServer, token: &str, what: &str) {
    let b = server.browser();
    let cookie = format!("forum_token={token}");
    let home = b.get_with("/", &[("cookie", &cookie)]).await;
    assert_eq!(home.status, StatusCode::OK, "{what}: GET / with the token\n{}", home.body_excerpt());
    assert!(home.is_logged_out(), "{what}: GET / must be logged out\n{}", home.body_excerpt());

    let settings = b.get_with("/settings", &[("cookie", &cookie)]).await;
    assert_eq!(settings.status, StatusCode::SEE_OTHER, "{what}: GET /settings\n{}", settings.body_excerpt());
    assert!(settings.location().unwrap_or_default().starts_with("/login"), "{what}: /settings goes to login");

    let post = b
        .post_form_with(
            "/settings/profile",
            &[("name", "hijacked"), ("email", "hijacked@example.com")],
            &[("cookie", &cookie), ("origin", b.base_url()), ("sec-fetch-site", "same-origin")],
        )
        .await;
    assert!(
        post.status.is_client_error() || post.status == StatusCode::SEE_OTHER,
        "{what}: POST /settings/profile: {}",
        post.status
    );
    assert_eq!(
        server.browser().get("/users/hijacked").await.status,
        StatusCode::NOT_FOUND,
        "{what}: the forged token changed an account"
    );
}

#[track_caller]
fn assert_html_error(page: &Page, status: StatusCode) {
    page.expect_status(status);
    page.expect_layout();
    assert!(page.has("h1"), "{}: error page has an <h1>\n{}", page.path, page.body_excerpt());
    assert!(page.body.contains(status.as_str()), "{}: error page shows {status}", page.path);
}

// ---------------------------------------------------------------------------------------------------------
// Cross-site request forgery
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn cross_origin_signup_is_refused_and_creates_nothing() {
    let server = TestServer::start().await;
    let b = server.browser();
    let form = [("name", "alice"), ("email", "alice@example.com"), ("password1", PASSWORD), ("password2", PASSWORD)];
    let page = b.post_form_with("/signup", &form, EVIL).await;
    assert_html_error(&page, StatusCode::FORBIDDEN);
    assert!(page.set_cookie("forum_token").is_none(), "no login cookie from a forged post");
    b.home().await.expect_logged_out();

    // Nothing was created: the name and email are free and the login fails.
    server.browser().login("alice", PASSWORD).await.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    server.browser().get("/users/alice").await.expect_status(StatusCode::NOT_FOUND);
    server.user("alice", "alice@example.com").await;
}

#[tokio::test]
async fn cross_origin_settings_change_is_refused_and_changes_nothing() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;

    let form = [("name", "mallory"), ("email", "mallory@evil.example")];
    let variants: &[&[(&str, &str)]] = &[
        EVIL,
        // An older browser: no Sec-Fetch-Site, only a foreign Origin.
        &[("origin", "http://evil.example")],
        // A sibling site.
        &[("origin", "http://sub.evil.example"), ("sec-fetch-site", "same-site")],
    ];
    for headers in variants {
        let page = alice.post_form_with("/settings/profile", &form, headers).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "headers {headers:?}\n{}", page.body_excerpt());
    }

    alice.home().await.expect_logged_in_as("alice");
    server.browser().get("/users/alice").await.expect_status(StatusCode::OK);
    server.browser().get("/users/mallory").await.expect_status(StatusCode::NOT_FOUND);
    server.browser().login("alice@example.com", PASSWORD).await.expect_redirect("/");
}

#[tokio::test]
async fn cross_origin_logout_and_password_change_are_refused() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;

    alice.post_form_with("/logout", &[], EVIL).await.expect_status(StatusCode::FORBIDDEN);
    alice.home().await.expect_logged_in_as("alice");

    let form = [("current_password", PASSWORD), ("password1", "owned by evil!"), ("password2", "owned by evil!")];
    alice.post_form_with("/settings/password", &form, EVIL).await.expect_status(StatusCode::FORBIDDEN);
    server.browser().login("alice", PASSWORD).await.expect_redirect("/");

    alice
        .post_form_with("/settings/resign", &[("password", PASSWORD)], EVIL)
        .await
        .expect_status(StatusCode::FORBIDDEN);
    alice.home().await.expect_logged_in_as("alice");
}

#[tokio::test]
async fn cross_origin_admin_actions_are_refused() {
    let server = TestServer::start().await;
    let admin = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let bob_id = jwt::claims(&bob.token().unwrap())["sub"].as_i64().unwrap();

    let page = admin.post_form_with(&format!("/admin/users/{bob_id}/block"), &[("reason", "forged")], EVIL).await;
    page.expect_status(StatusCode::FORBIDDEN);
    bob.home().await.expect_logged_in_as("bob");
    server.browser().login("bob", PASSWORD).await.expect_redirect("/");

    let page = admin.post_form_with("/admin/categories", &[("name", "Forged Board"), ("parent", "")], EVIL).await;
    page.expect_status(StatusCode::FORBIDDEN);
    assert!(!server.browser().home().await.body.contains("Forged Board"));
}

// ---------------------------------------------------------------------------------------------------------
// Forged tokens
// ---------------------------------------------------------------------------------------------------------

/// A server with a logged-in user; returns the user's browser and token claims.
async fn with_session() -> (TestServer, Browser, serde_json::Value) {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let claims = jwt::claims(&alice.token().expect("token"));
    (server, alice, claims)
}

#[tokio::test]
async fn a_token_signed_with_the_secret_is_accepted() {
    // Control for the forgery tests below: the test's own signing matches the server's.
    let (server, _alice, claims) = with_session().await;
    let now = jwt::now();
    let fresh = json!({ "sub": claims["sub"], "sid": claims["sid"], "iat": now, "exp": now + 3600 });
    let token = jwt::sign(&fresh, server.secret());
    let home = server.browser().get_with("/", &[("cookie", &format!("forum_token={token}"))]).await;
    home.expect_status(StatusCode::OK).expect_logged_in_as("alice");
}

#[tokio::test]
async fn a_tampered_token_is_logged_out() {
    let (server, alice, _) = with_session().await;
    let token = alice.token().unwrap();
    let tampered = jwt::tamper_signature(&token);
    assert_ne!(tampered, token);
    expect_logged_out_with_token(&server, &tampered, "tampered signature").await;

    // Tampering with the payload (another user id) does not work either.
    let (head, rest) = token.split_once('.').unwrap();
    let (_, sig) = rest.split_once('.').unwrap();
    let mut claims = jwt::claims(&token);
    claims["sub"] = json!(claims["sub"].as_i64().unwrap() + 1);
    use base64::Engine;
    let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    expect_logged_out_with_token(&server, &format!("{head}.{body}.{sig}"), "tampered payload").await;

    // The genuine token still works.
    alice.home().await.expect_logged_in_as("alice");
}

#[tokio::test]
async fn an_expired_token_is_logged_out() {
    let (server, alice, claims) = with_session().await;
    let now = jwt::now();
    let expired = json!({ "sub": claims["sub"], "sid": claims["sid"], "iat": now - 7200, "exp": now - 3600 });
    expect_logged_out_with_token(&server, &jwt::sign(&expired, server.secret()), "expired").await;
    alice.home().await.expect_logged_in_as("alice");
}

#[tokio::test]
async fn an_alg_none_token_is_logged_out() {
    let (server, _alice, claims) = with_session().await;
    let now = jwt::now();
    let unsigned = jwt::unsigned(&json!({ "sub": claims["sub"], "sid": claims["sid"], "iat": now, "exp": now + 3600 }));
    expect_logged_out_with_token(&server, &unsigned, "alg none").await;
}

#[tokio::test]
async fn a_token_signed_with_another_key_or_garbage_is_logged_out() {
    let (server, _alice, claims) = with_session().await;
    let now = jwt::now();
    let good_claims = json!({ "sub": claims["sub"], "sid": claims["sid"], "iat": now, "exp": now + 3600 });
    expect_logged_out_with_token(&server, &jwt::sign(&good_claims, "some-other-secret"), "wrong key").await;
    for garbage in ["garbage", "a.b.c", "..", "eyJhbGciOiJIUzI1NiJ9.e30.", "%00%FF"] {
        expect_logged_out_with_token(&server, garbage, garbage).await;
    }
    // A session id that does not exist.
    let unknown_sid = json!({ "sub": claims["sub"], "sid": 999_999, "iat": now, "exp": now + 3600 });
    expect_logged_out_with_token(&server, &jwt::sign(&unknown_sid, server.secret()), "unknown sid").await;
}

// ---------------------------------------------------------------------------------------------------------
// Body limit
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_oversized_body_gets_413() {
    let server = TestServer::start().await;
    let b = server.browser();
    let big = "a".repeat(2 * 1024 * 1024);
    let body = format!("name={big}&email=x%40example.com&password1=aaaaaaaa&password2=aaaaaaaa");
    let page = b.post_raw("/signup", "application/x-www-form-urlencoded", body.into_bytes()).await;
    assert_html_error(&page, StatusCode::PAYLOAD_TOO_LARGE);

    // The server is fine afterwards and nothing was created. (A new client: the server closes
    // the connection it refused without reading the body, and a pooled client may reuse it.)
    server.browser().home().await.expect_logged_out();
    server.user("alice", "alice@example.com").await;
}

#[tokio::test]
async fn the_body_limit_is_configurable() {
    let server = TestServer::options().env("FORUM_BODY_LIMIT", "2000").start().await;
    let b = server.browser();
    let body = format!("name={}&email=x%40example.com&password1=aaaaaaaa&password2=aaaaaaaa", "a".repeat(3000));
    let page = b.post_raw("/signup", "application/x-www-form-urlencoded", body.into_bytes()).await;
    page.expect_status(StatusCode::PAYLOAD_TOO_LARGE);
    // A normal form still fits.
    server.user("alice", "alice@example.com").await;
}

// ---------------------------------------------------------------------------------------------------------
// Headers and markup
// ---------------------------------------------------------------------------------------------------------

fn csp_directive<'a>(csp: &'a str, name: &str) -> Option<&'a str> {
    csp.split(';').map(str::trim).find_map(|d| {
        let (n, rest) = d.split_once(' ').unwrap_or((d, ""));
        n.eq_ignore_ascii_case(name).then_some(rest)
    })
}

#[track_caller]
fn assert_security_headers(page: &Page) {
    let csp =
        page.header("content-security-policy").unwrap_or_else(|| panic!("{}: no Content-Security-Policy", page.path));
    assert!(csp_directive(&csp, "frame-ancestors").is_some(), "{}: CSP lacks frame-ancestors: {csp}", page.path);
    let scripts = csp_directive(&csp, "script-src")
        .or_else(|| csp_directive(&csp, "default-src"))
        .unwrap_or_else(|| panic!("{}: CSP restricts neither script-src nor default-src: {csp}", page.path));
    assert!(!scripts.contains("'unsafe-inline'"), "{}: scripts may run inline: {csp}", page.path);
    assert!(!scripts.contains("'unsafe-eval'"), "{}: scripts may eval: {csp}", page.path);
    assert_eq!(page.header("x-content-type-options").as_deref(), Some("nosniff"), "{}", page.path);
    assert!(page.header("referrer-policy").is_some_and(|v| !v.is_empty()), "{}: no Referrer-Policy", page.path);
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let server = TestServer::start().await;
    let b = server.browser();
    assert_security_headers(b.home().await.expect_layout());
    assert_security_headers(&b.get("/login").await);
    assert_security_headers(&b.get("/no/such/page").await);
}

/// A shared cache (a proxy, a CDN) must never keep a page made for one reader: it would show
/// alice's settings, e-mail address and name to whoever asks next.
#[tokio::test]
async fn personal_pages_are_kept_by_no_shared_cache() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    for path in ["/", "/settings", "/users/alice", "/admin/users", "/no/such/page"] {
        let page = alice.get(path).await;
        assert_eq!(page.header("cache-control").as_deref(), Some("private, no-store"), "{path} for a logged-in reader");
    }
    let login = server.browser().login("alice", PASSWORD).await;
    assert_eq!(login.header("cache-control").as_deref(), Some("private, no-store"), "the login's answer sets a cookie");
    let anonymous = server.browser().get("/users/alice").await;
    assert_eq!(anonymous.header("cache-control"), None, "a page anyone may see says nothing");
}

#[tokio::test]
async fn pages_have_no_inline_script() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    for path in ["/", "/settings", "/users/alice", "/admin/users", "/admin/categories"] {
        let page = alice.get(path).await;
        page.expect_status(StatusCode::OK);
        assert!(!page.has("script:not([src])"), "{path} has an inline <script>");
        assert!(!page.body.contains(" onclick="), "{path} has an inline event handler");
    }
}

// ---------------------------------------------------------------------------------------------------------
// Hostile or broken input never gives a 500
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn broken_forms_are_client_errors() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let b = server.browser();

    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        ("/login", "application/x-www-form-urlencoded", b"".to_vec()),
        ("/login", "application/x-www-form-urlencoded", b"name=alice".to_vec()),
        ("/login", "application/x-www-form-urlencoded", b"name=%FF%FE&password=%C0".to_vec()),
        ("/login", "application/json", br#"{"name":"alice","password":"x"}"#.to_vec()),
        ("/signup", "application/x-www-form-urlencoded", b"name=a&name=b".to_vec()),
        ("/signup", "application/x-www-form-urlencoded", b"\x00\x01\x02".to_vec()),
    ];
    for (path, ct, body) in cases {
        let page = b.post_raw(path, ct, body.clone()).await;
        assert!(
            page.status.is_client_error(),
            "POST {path} ({ct}) {:?}: expected a 4xx, got {}\n{}",
            String::from_utf8_lossy(&body),
            page.status,
            page.body_excerpt()
        );
    }
    let page = alice.post_raw("/settings/profile", "application/x-www-form-urlencoded", b"name=%FF".to_vec()).await;
    assert!(page.status.is_client_error(), "settings with broken form: {}", page.status);

    for path in
        ["/users/%FF", "/users/..%2F..%2Fetc%2Fpasswd", "/categories/not-a-number", "/categories/99999999999999999999"]
    {
        let page = b.get(path).await;
        assert!(page.status.is_client_error(), "GET {path}: {}", page.status);
    }
    alice.home().await.expect_logged_in_as("alice");
}
