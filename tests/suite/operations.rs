//! Operations and the site: health, metrics, request logs, configuration, error pages, the boards page and
//! its admin page, restarts.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::common::{Browser, PASSWORD, TestServer, jwt};
use reqwest::StatusCode;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------------------
// Health
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn health_and_readiness() {
    let server = TestServer::start().await;
    let b = server.browser();
    let page = b.get("/healthz").await;
    page.expect_status(StatusCode::OK);
    assert_eq!(page.body.trim(), "ok");
    b.get("/readyz").await.expect_status(StatusCode::OK);
}

#[tokio::test]
async fn unknown_page_is_an_html_404() {
    let server = TestServer::start().await;
    let page = server.browser().get("/no/such/page").await;
    page.expect_status(StatusCode::NOT_FOUND).expect_layout().expect_logged_out();
    assert!(page.has("h1"), "{}", page.body_excerpt());
    let title = page.text("title").unwrap_or_default();
    assert!(title.contains("Page not found"), "title: {title:?}");
    assert!(page.body.contains("404"), "the page shows the status code");

    // Logged in, the error page still shows who is logged in.
    let alice = server.user("alice", "alice@example.com").await;
    alice.get("/no/such/page").await.expect_status(StatusCode::NOT_FOUND).expect_logged_in_as("alice");
}

// ---------------------------------------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------------------------------------

#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// Parse the Prometheus text format (enough of it for these tests).
fn parse_metrics(text: &str) -> Vec<Sample> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, labels, rest) = match line.find('{') {
            Some(open) => {
                let name = &line[..open];
                let mut labels = BTreeMap::new();
                let chars: Vec<char> = line[open + 1..].chars().collect();
                let mut i = 0;
                loop {
                    while i < chars.len() && (chars[i] == ',' || chars[i] == ' ') {
                        i += 1;
                    }
                    if i >= chars.len() || chars[i] == '}' {
                        i += 1;
                        break;
                    }
                    let mut key = String::new();
                    while chars[i] != '=' {
                        key.push(chars[i]);
                        i += 1;
                    }
                    i += 2; // ="
                    let mut value = String::new();
                    while chars[i] != '"' {
                        if chars[i] == '\\' {
                            i += 1;
                            value.push(match chars[i] {
                                'n' => '\n',
                                c => c,
                            });
                        } else {
                            value.push(chars[i]);
                        }
                        i += 1;
                    }
                    i += 1;
                    labels.insert(key, value);
                }
                let rest: String = chars[i.min(chars.len())..].iter().collect();
                (name.to_owned(), labels, rest)
            }
            None => {
                let (name, rest) = line.split_once(' ').unwrap_or((line, ""));
                (name.to_owned(), BTreeMap::new(), rest.to_owned())
            }
        };
        let value = rest.split_whitespace().next().and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN);
        out.push(Sample { name, labels, value });
    }
    out
}

fn find<'a>(samples: &'a [Sample], name: &str, labels: &[(&str, &str)]) -> Option<&'a Sample> {
    samples
        .iter()
        .find(|s| s.name == name && labels.iter().all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v)))
}

#[tokio::test]
async fn requests_show_up_in_metrics_by_route_template() {
    let server = TestServer::start().await;
    let b = server.browser();
    server.user("alice", "alice@example.com").await;
    b.get("/users/nobody").await.expect_status(StatusCode::NOT_FOUND);
    b.get("/users/ghost").await.expect_status(StatusCode::NOT_FOUND);
    b.get("/users/alice").await.expect_status(StatusCode::OK);
    b.get("/users/alice").await.expect_status(StatusCode::OK);
    b.get("/no/such/page-4242").await.expect_status(StatusCode::NOT_FOUND);

    let page = b.get("/metrics").await;
    page.expect_status(StatusCode::OK);
    assert!(
        page.header("content-type").is_some_and(|ct| ct.starts_with("text/plain")),
        "{:?}",
        page.header("content-type")
    );
    let samples = parse_metrics(&page.body);

    let users_404 =
        find(&samples, "http_requests_total", &[("method", "GET"), ("route", "/users/{name}"), ("status", "404")])
            .unwrap_or_else(|| panic!("no http_requests_total for GET /users/{{name}} 404 in\n{}", page.body));
    assert!(users_404.value >= 2.0, "two 404s on /users/{{name}}: {users_404:?}");
    let users_200 =
        find(&samples, "http_requests_total", &[("method", "GET"), ("route", "/users/{name}"), ("status", "200")])
            .expect("GET /users/{name} 200 counted");
    assert!(users_200.value >= 2.0);
    find(&samples, "http_requests_total", &[("method", "POST"), ("route", "/signup"), ("status", "303")])
        .unwrap_or_else(|| panic!("POST /signup 303 counted in\n{}", page.body));

    // Raw paths never become labels (unbounded cardinality).
    assert!(!page.body.contains("page-4242"), "an unmatched path leaked into a label");
    assert!(!page.body.contains("route=\"/users/nobody\""), "raw path used instead of the route template");

    for name in [
        "http_request_duration_seconds_bucket",
        "http_request_duration_seconds_count",
        "http_requests_in_flight",
        "cache_hits_total",
        "cache_misses_total",
        "db_pool_connections",
        "db_pool_idle_connections",
    ] {
        assert!(samples.iter().any(|s| s.name == name), "metric {name} missing in\n{}", page.body);
    }
    let duration = find(&samples, "http_request_duration_seconds_count", &[("route", "/users/{name}")])
        .expect("the latency histogram is labelled by route");
    assert!(duration.value >= 4.0);
    let pool = samples.iter().find(|s| s.name == "db_pool_connections").unwrap();
    assert!(pool.value >= 1.0, "the pool has connections: {pool:?}");
    // The profile was read twice: at least one miss and, cached, at least one hit.
    let hits: f64 = samples.iter().filter(|s| s.name == "cache_hits_total").map(|s| s.value).sum();
    let misses: f64 = samples.iter().filter(|s| s.name == "cache_misses_total").map(|s| s.value).sum();
    assert!(hits >= 1.0 && misses >= 1.0, "cache hits {hits}, misses {misses}");
}

// ---------------------------------------------------------------------------------------------------------
// Request logs
// ---------------------------------------------------------------------------------------------------------

fn request_line(line: &str) -> Option<Value> {
    let v: Value = serde_json::from_str(line).ok()?;
    (v["message"] == "request").then_some(v)
}

fn status_of(v: &Value) -> Option<i64> {
    v["status"].as_i64().or_else(|| v["status"].as_str().and_then(|s| s.parse().ok()))
}

#[tokio::test]
async fn json_logs_have_one_parseable_line_per_request() {
    let server = TestServer::options().json_logs().start().await;
    let b = server.browser();
    b.get("/users/nobody").await.expect_status(StatusCode::NOT_FOUND);
    let alice = server.user("alice", "alice@example.com").await;
    let alice_id = jwt::claims(&alice.token().unwrap())["sub"].as_i64().unwrap();
    alice.home().await;

    let wait = Duration::from_secs(5);
    let line = server
        .wait_for_log(wait, |l| {
            request_line(l).is_some_and(|v| v["route"] == "/users/{name}" && status_of(&v) == Some(404))
        })
        .await
        .unwrap_or_else(|| panic!("no JSON request line for GET /users/{{name}} 404 in\n{}", server.logs().join("\n")));
    let v: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["method"], "GET", "{line}");
    assert!(
        v["request_id"].as_str().is_some_and(|s| !s.is_empty()) || v["request_id"].is_number(),
        "request_id: {line}"
    );
    assert!(v["latency_ms"].is_number(), "latency_ms: {line}");
    assert!(v["user_id"].is_null(), "anonymous request has user_id null: {line}");

    let line = server
        .wait_for_log(wait, |l| {
            request_line(l).is_some_and(|v| v["route"] == "/" && v["user_id"].as_i64() == Some(alice_id))
        })
        .await
        .unwrap_or_else(|| panic!("no JSON request line for alice's GET / in\n{}", server.logs().join("\n")));
    let v: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(status_of(&v), Some(200), "{line}");

    // Request ids differ between requests.
    let ids: BTreeSet<String> =
        server.logs().iter().filter_map(|l| request_line(l)).map(|v| v["request_id"].to_string()).collect();
    let count = server.logs().iter().filter(|l| request_line(l).is_some()).count();
    assert_eq!(ids.len(), count, "every request has its own id");

    // Everything on stdout is JSON, so a log shipper can read it.
    for l in server.logs().iter().filter(|l| !l.trim().is_empty()) {
        assert!(serde_json::from_str::<Value>(l).is_ok(), "not a JSON line: {l}");
    }
}

#[tokio::test]
async fn text_logs_name_the_route_and_status() {
    let server = TestServer::start().await;
    server.browser().get("/users/nobody").await.expect_status(StatusCode::NOT_FOUND);
    let line = server.wait_for_log(Duration::from_secs(5), |l| l.contains("/users/{name}") && l.contains("404")).await;
    assert!(line.is_some(), "no text request line for /users/{{name}} 404 in\n{}", server.logs().join("\n"));
    let line = line.unwrap();
    assert!(serde_json::from_str::<Value>(&line).is_err(), "default logs are text, not JSON: {line}");
}

// ---------------------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn help_lists_the_configuration() {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_forum"))
        .arg("--help")
        .env("NO_COLOR", "1")
        .output()
        .await
        .expect("run forum --help");
    assert!(out.status.success(), "forum --help exits 0: {out:?}");
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--database-url",
        "--addr",
        "--log-format",
        "--secret",
        "--bcrypt-cost",
        "--secure-cookies",
        "--body-limit",
        "DATABASE_URL",
        "FORUM_ADDR",
        "LOG_FORMAT",
    ] {
        assert!(help.contains(flag), "forum --help does not mention {flag}:\n{help}");
    }
}

// ---------------------------------------------------------------------------------------------------------
// The boards page and its admin page
// ---------------------------------------------------------------------------------------------------------

/// `(href, text)` of every link to a category on the page.
fn category_links(page: &crate::common::Page) -> BTreeSet<(String, String)> {
    let doc = page.html();
    let sel = scraper::Selector::parse(r#"a[href^="/categories/"]"#).unwrap();
    doc.select(&sel)
        .map(|a| (a.value().attr("href").unwrap().to_owned(), crate::common::collapse(&a.text().collect::<String>())))
        .collect()
}

/// The id of the category or board called `name`, found the way a person would: in the parent select of the
/// admin page, a link on the home page, or the admin page's rename form.
async fn category_id(admin: &Browser, name: &str) -> i64 {
    let page = admin.get("/admin/categories").await;
    page.expect_status(StatusCode::OK);
    let doc = page.html();
    let options = scraper::Selector::parse(r#"select[name="parent"] option"#).unwrap();
    for o in doc.select(&options) {
        if crate::common::collapse(&o.text().collect::<String>()) == name
            && let Some(id) = o.value().attr("value").and_then(|v| v.parse().ok())
        {
            return id;
        }
    }
    let forms = scraper::Selector::parse(r#"form[action^="/admin/categories/"]"#).unwrap();
    let input = scraper::Selector::parse(r#"input[name="name"]"#).unwrap();
    for f in doc.select(&forms) {
        if f.select(&input).any(|i| i.value().attr("value") == Some(name)) {
            let action = f.value().attr("action").unwrap();
            if let Some(id) = action.split('/').nth(3).and_then(|s| s.parse().ok()) {
                return id;
            }
        }
    }
    let home = admin.get("/").await;
    for (href, text) in category_links(&home) {
        if text == name
            && let Ok(id) = href.trim_start_matches("/categories/").parse()
        {
            return id;
        }
    }
    panic!("cannot find the id of category {name:?}\n--- /admin/categories ---\n{}", page.body_excerpt());
}

#[tokio::test]
async fn a_fresh_forum_has_default_boards_on_the_home_page() {
    let server = TestServer::start().await;
    let home = server.browser().home().await;
    home.expect_layout().expect_logged_out();
    let links = category_links(&home);
    assert!(links.len() >= 2, "default boards and categories link to /categories/{{id}}: {links:?}");
    for (href, text) in &links {
        assert!(href.trim_start_matches("/categories/").parse::<i64>().is_ok(), "{href}");
        assert!(!text.is_empty(), "link text for {href}");
    }
}

#[tokio::test]
async fn admin_adds_and_renames_boards_and_categories() {
    let server = TestServer::start().await;
    let admin = server.user("alice", "alice@example.com").await;

    let page = admin.get("/admin/categories").await;
    page.expect_status(StatusCode::OK).expect_layout();
    assert!(page.has(r#"form[action="/admin/categories"]"#), "{}", page.body_excerpt());

    admin
        .post_form("/admin/categories", &[("name", "Rust Corner"), ("parent", "")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let home = server.browser().home().await;
    assert!(home.visible_text().contains("Rust Corner"), "new board on the home page\n{}", home.body_excerpt());

    let board = category_id(&admin, "Rust Corner").await;
    admin
        .post_form("/admin/categories", &[("name", "Async Questions"), ("parent", &board.to_string())])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let home = server.browser().home().await;
    let links = category_links(&home);
    let (href, _) = links
        .iter()
        .find(|(_, text)| text == "Async Questions")
        .unwrap_or_else(|| panic!("the new category links to its list: {links:?}"));
    let category: i64 = href.trim_start_matches("/categories/").parse().unwrap();
    let text = home.visible_text();
    let (b_at, c_at) = (text.find("Rust Corner").unwrap(), text.find("Async Questions").unwrap());
    assert!(b_at < c_at, "the category is listed under its board");

    admin
        .post_form(&format!("/admin/categories/{category}/rename"), &[("name", "Async and Await")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    admin
        .post_form(&format!("/admin/categories/{board}/rename"), &[("name", "Rustaceans")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let home = server.browser().home().await;
    let text = home.visible_text();
    assert!(text.contains("Async and Await") && text.contains("Rustaceans"), "renamed:\n{text}");
    assert!(!text.contains("Async Questions") && !text.contains("Rust Corner"), "old names gone:\n{text}");
    assert!(category_links(&home).contains(&(format!("/categories/{category}"), "Async and Await".to_owned())));

    // Only two tiers: nothing goes under a category.
    let page = admin.post_form("/admin/categories", &[("name", "Too Deep"), ("parent", &category.to_string())]).await;
    assert!(page.status.is_client_error(), "a third tier is refused: {}", page.status);
    // A blank name is refused.
    let page = admin.post_form("/admin/categories", &[("name", "   "), ("parent", "")]).await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let home = server.browser().home().await;
    assert!(!home.visible_text().contains("Too Deep"));
}

#[tokio::test]
async fn members_cannot_change_categories() {
    let server = TestServer::start().await;
    server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let before = category_links(&server.browser().home().await);
    let (href, _) = before.iter().next().expect("default categories").clone();
    let id = href.trim_start_matches("/categories/");

    bob.post_form("/admin/categories", &[("name", "Bob's Board"), ("parent", "")])
        .await
        .expect_status(StatusCode::FORBIDDEN);
    bob.post_form(&format!("/admin/categories/{id}/rename"), &[("name", "Bob was here")])
        .await
        .expect_status(StatusCode::FORBIDDEN);
    let after = server.browser().home().await;
    assert_eq!(category_links(&after), before);
    let text = after.visible_text();
    assert!(!text.contains("Bob's Board") && !text.contains("Bob was here"), "{text}");
}

// ---------------------------------------------------------------------------------------------------------
// Restarts
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn data_and_sessions_survive_a_restart_without_a_configured_secret() {
    let mut server = TestServer::options().without_secret().start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let home = alice.home().await;
    home.expect_logged_in_as("alice");
    let boards_before = category_links(&home);

    server.restart().await;
    let alice = alice.at(&server);
    let home = alice.home().await;
    home.expect_logged_in_as("alice");
    assert_eq!(category_links(&home), boards_before, "default boards are created once, not again on restart");
    let b = server.browser();
    b.login("alice", PASSWORD).await.expect_redirect("/");
}
