//! Reports and the moderator queue (issue 18): members report others' posts and comments once
//! each; moderators of the item's board see them grouped by item and remove or dismiss; the
//! reporter sees the outcome. Black-box through HTTP, on either backend.

use crate::common::content::category_id;
use crate::common::{Browser, Page, TestServer};
use reqwest::StatusCode;

/// Reports `path` (`/posts/1`, `/comments/2`) as `b` with a reason and free text.
async fn report(b: &Browser, item: &str, reason: &str, details: &str) -> Page {
    b.post_form(&format!("{item}/report"), &[("reason", reason), ("content", details)]).await
}

/// The items the queue page lists, in order (`post-3`, `comment-4`).
fn queue_items(page: &Page) -> Vec<String> {
    page.attrs("tr.queue-item a", "href")
        .into_iter()
        .filter_map(|href| href.strip_prefix("/moderation/reports/").map(str::to_owned))
        .collect()
}

/// The states `/reports/mine` shows, in order.
async fn my_states(b: &Browser) -> Vec<String> {
    let page = b.get("/reports/mine").await;
    page.expect_status(StatusCode::OK);
    page.texts("span.report-state")
}

/// Resolves the item's open reports as `b`.
async fn resolve(b: &Browser, item: &str, action: &str, note: &str) -> Page {
    b.post_form(&format!("/moderation/reports/{item}/resolve"), &[("action", action), ("reason", note)]).await
}

#[tokio::test]
async fn members_report_others_posts_and_comments_once_each() {
    let server = TestServer::start().await;
    let admin = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let carol = server.user("carol", "carol@example.com").await;
    let general = category_id(&admin, "General").await;
    let post = bob.create_post(general, "Cheap watches", "Buy them at my shop").await;
    let (comment, _) = bob.add_comment(post, "Really cheap").await;

    // The post page offers the report link to others, not to the author.
    assert!(carol.post_page(post).await.has(&format!(r#"a[href="/posts/{post}/report"]"#)));
    assert!(carol.post_page(post).await.has(&format!(r#"a[href="/comments/{comment}/report"]"#)));
    assert!(!bob.post_page(post).await.has(&format!(r#"a[href="/posts/{post}/report"]"#)), "not on one's own");
    bob.get(&format!("/posts/{post}/report")).await.expect_status(StatusCode::FORBIDDEN);
    report(&bob, &format!("/posts/{post}"), "spam", "").await.expect_status(StatusCode::FORBIDDEN);

    // A logged-out visitor is sent to log in, and nothing is filed.
    let visitor = server.browser();
    let path = format!("/posts/{post}/report");
    visitor.get(&path).await.expect_redirect(&format!("/login?next={path}"));
    report(&visitor, &format!("/posts/{post}"), "spam", "").await.expect_redirect(&format!("/login?next={path}"));

    // The form: five reasons as radio buttons and the free text.
    let form = carol.get(&path).await;
    form.expect_status(StatusCode::OK);
    assert_eq!(form.attrs(r#"input[type="radio"][name="reason"]"#, "value").len(), 5, "{}", form.body_excerpt());

    // "Other" needs words: refused, with the choice kept.
    let refused = report(&carol, &format!("/comments/{comment}"), "other", "  ").await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.visible_text().contains("Say in a few words what is wrong"), "{}", refused.body_excerpt());
    assert!(refused.has(r#"input[name="reason"][value="other"][checked]"#), "the reason chosen is kept");
    let refused = report(&carol, &format!("/comments/{comment}"), "", "I think it is spam").await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.visible_text().contains("Choose a reason"), "{}", refused.body_excerpt());
    assert!(refused.body.contains("I think it is spam"), "the text typed is kept");

    report(&carol, &format!("/posts/{post}"), "spam", "").await.expect_redirect("/reports/mine");
    report(&carol, &format!("/comments/{comment}"), "other", "Links to a shop").await.expect_redirect("/reports/mine");
    assert_eq!(my_states(&carol).await, vec!["Open", "Open"]);
    assert!(carol.get("/settings").await.has(r#"a[href="/reports/mine"]"#), "the settings link to one's reports");

    // Twice is once: the second says so, with the earlier report.
    let again = report(&carol, &format!("/posts/{post}"), "abuse", "").await;
    again.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.visible_text().contains("You have already reported this"), "{}", again.body_excerpt());
    assert!(again.visible_text().contains("Spam or advertising"), "the earlier report is shown");
    let page = carol.get(&path).await;
    assert!(page.visible_text().contains("You have already reported this"), "{}", page.body_excerpt());
    assert!(!page.has(r#"input[name="reason"]"#), "no second form");
    assert_eq!(my_states(&carol).await.len(), 2, "no duplicate row");

    // The queue (the admin moderates every board): one row per item, one report each.
    let queue = admin.get("/moderation/reports").await;
    queue.expect_status(StatusCode::OK);
    assert_eq!(queue_items(&queue), vec![format!("comment-{comment}"), format!("post-{post}")]);
    assert_eq!(queue.texts("td.report-count"), vec!["1", "1"]);
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn reports_count_against_their_rate_limit() {
    let options = TestServer::options()
        .env("FORUM_RATE_LIMITS", "on")
        .env("FORUM_LIMIT_SIGNUP_ADDRESS", "off")
        .env("FORUM_LIMIT_REPORT_ACCOUNT", "2/1h");
    let server = TestServer::start_with(options).await;
    let admin = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let carol = server.user("carol", "carol@example.com").await;
    let general = category_id(&admin, "General").await;
    let mut posts = Vec::new();
    for n in 0..3 {
        posts.push(bob.create_post(general, &format!("Post {n}"), "Some text").await);
    }
    for post in &posts[..2] {
        report(&carol, &format!("/posts/{post}"), "spam", "").await.expect_redirect("/reports/mine");
    }
    let refused = report(&carol, &format!("/posts/{}", posts[2]), "off_topic", "Not about this board").await;
    refused.expect_status(StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.header("retry-after").is_some(), "says when to try again");
    assert!(refused.visible_text().contains("many reports in a short time"), "{}", refused.body_excerpt());
    assert!(refused.has(r#"input[name="reason"][value="off_topic"][checked]"#), "the form is kept");
    assert!(refused.body.contains("Not about this board"));
    assert_eq!(my_states(&carol).await.len(), 2, "the refused one was not filed");
}

#[tokio::test]
async fn the_queue_is_for_the_items_board_moderators_who_dismiss_or_remove() {
    let server = TestServer::start().await;
    let admin = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let carol = server.user("carol", "carol@example.com").await;
    let dave = server.user("dave", "dave@example.com").await;
    let erin = server.user("erin", "erin@example.com").await;
    let frank = server.user("frank", "frank@example.com").await;
    let mia = server.moderator("mia").await;
    let programming = category_id(&admin, "Programming").await;
    let general = category_id(&admin, "General").await;
    let rust = category_id(&admin, "Rust").await;
    for (name, board) in [("dave", programming), ("erin", general)] {
        let form = [("name", name), ("category", &board.to_string())];
        admin.post_form("/admin/moderators", &form).await.expect_redirect("/admin/moderators");
    }

    // In Rust, a category of Programming: dave's board, not erin's.
    let post = bob.create_post(rust, "Rude answer", "You are all idiots").await;
    report(&carol, &format!("/posts/{post}"), "abuse", "Insults everyone").await.expect_redirect("/reports/mine");
    let item = format!("post-{post}");
    let detail = format!("/moderation/reports/{item}");

    assert!(mia.home().await.has(r#"a[href="/moderation/reports"]"#), "the header links moderators to the queue");
    assert!(!carol.home().await.has(r#"a[href="/moderation/reports"]"#), "but not members");
    carol.get("/moderation/reports").await.expect_status(StatusCode::FORBIDDEN);
    carol.get(&detail).await.expect_status(StatusCode::FORBIDDEN);
    resolve(&carol, &item, "dismissed", "no").await.expect_status(StatusCode::FORBIDDEN);
    let erins = erin.get("/moderation/reports").await;
    erins.expect_status(StatusCode::OK);
    assert!(queue_items(&erins).is_empty(), "another board's item is not listed: {}", erins.body_excerpt());
    erin.get(&detail).await.expect_status(StatusCode::FORBIDDEN);
    resolve(&erin, &item, "removed", "gone").await.expect_status(StatusCode::FORBIDDEN);
    for (who, b) in [("board moderator", &dave), ("global moderator", &mia), ("admin", &admin)] {
        let queue = b.get("/moderation/reports").await;
        assert_eq!(queue_items(&queue), vec![item.clone()], "{who}: {}", queue.body_excerpt());
    }

    // The item's page: the item, its history link, every report.
    let page = dave.get(&detail).await;
    page.expect_status(StatusCode::OK);
    let text = page.visible_text();
    assert!(
        text.contains("You are all idiots") && text.contains("carol") && text.contains("Insults everyone"),
        "{text}"
    );
    assert!(page.has(&format!(r#"a[href="/posts/{post}/history"]"#)));

    // A decision needs a note; what was typed is kept.
    let refused = resolve(&dave, &item, "dismissed", " ").await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.visible_text().contains("Write a note saying why"), "{}", refused.body_excerpt());
    resolve(&dave, &item, "dismissed", "Harsh but allowed").await.expect_redirect("/moderation/reports");
    assert!(queue_items(&dave.get("/moderation/reports").await).is_empty());
    assert_eq!(my_states(&carol).await, vec!["Handled: dismissed"]);
    let mine = carol.get("/reports/mine").await;
    assert!(!mine.visible_text().contains("Harsh but allowed"), "the reporter sees the outcome, not the note");
    bob.get(&format!("/posts/{post}")).await.expect_status(StatusCode::OK);
    resolve(&dave, &item, "dismissed", "again").await.expect_status(StatusCode::UNPROCESSABLE_ENTITY);

    // Two reports of a comment, removed by the global moderator: both resolved, the item gone.
    let (comment, _) = bob.add_comment(post, "And stupid too").await;
    report(&carol, &format!("/comments/{comment}"), "abuse", "").await.expect_redirect("/reports/mine");
    report(&frank, &format!("/comments/{comment}"), "spam", "").await.expect_redirect("/reports/mine");
    let queue = mia.get("/moderation/reports").await;
    assert_eq!(queue_items(&queue), vec![format!("comment-{comment}")]);
    assert_eq!(queue.texts("td.report-count"), vec!["2"]);
    let citem = format!("comment-{comment}");
    resolve(&mia, &citem, "removed", "Insults").await.expect_redirect("/moderation/reports");
    assert_eq!(my_states(&carol).await, vec!["Handled: removed", "Handled: dismissed"]);
    assert_eq!(my_states(&frank).await, vec!["Handled: removed"]);
    let seen = server.browser().get(&format!("/posts/{post}")).await;
    assert!(!seen.visible_text().contains("And stupid too"), "the removed comment is gone for visitors");
    // Its page still shows it to the moderators, removed.
    let page = mia.get(&format!("/moderation/reports/{citem}")).await;
    page.expect_status(StatusCode::OK);
    assert!(page.visible_text().contains("And stupid too") && page.visible_text().contains("Removed"));

    // A post removed through its reports is gone for visitors.
    let spam = bob.create_post(general, "Cheap watches", "Buy now").await;
    report(&carol, &format!("/posts/{spam}"), "spam", "").await.expect_redirect("/reports/mine");
    resolve(&erin, &format!("post-{spam}"), "removed", "Spam").await.expect_redirect("/moderation/reports");
    server.browser().get(&format!("/posts/{spam}")).await.expect_status(StatusCode::NOT_FOUND);
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn the_queue_sorts_by_newest_or_most_reported_in_keyset_pages() {
    let server = TestServer::start().await;
    let admin = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let carol = server.user("carol", "carol@example.com").await;
    let frank = server.user("frank", "frank@example.com").await;
    let gina = server.user("gina", "gina@example.com").await;
    let general = category_id(&admin, "General").await;
    let mut posts = Vec::new();
    for n in 1..=21 {
        posts.push(bob.create_post(general, &format!("Post number {n}"), "Text").await);
    }
    for post in &posts {
        report(&carol, &format!("/posts/{post}"), "spam", "").await.expect_redirect("/reports/mine");
    }
    let (p1, p2) = (posts[0], posts[1]);
    report(&frank, &format!("/posts/{p1}"), "abuse", "").await.expect_redirect("/reports/mine");
    report(&gina, &format!("/posts/{p1}"), "other", "Copied").await.expect_redirect("/reports/mine");
    report(&frank, &format!("/posts/{p2}"), "off_topic", "").await.expect_redirect("/reports/mine");
    let key = |post: &i64| format!("post-{post}");
    let later: Vec<String> = posts[2..].iter().rev().map(key).collect(); // P21 … P3

    // Newest report first: P2, P1, then P21 down to P3, twenty a page.
    let first = admin.get("/moderation/reports").await;
    let mut expected = vec![key(&p2), key(&p1)];
    expected.extend(later.iter().take(18).cloned());
    assert_eq!(queue_items(&first), expected);
    let next = first.attrs(r#"a[rel="next"]"#, "href").into_iter().next().expect("a next page");
    assert_eq!(queue_items(&admin.get(&next).await), vec![key(&posts[2])]);

    // Most reported first: P1 (3), P2 (2), then the newest of the rest.
    let first = admin.get("/moderation/reports?sort=count").await;
    let mut expected = vec![key(&p1), key(&p2)];
    expected.extend(later.iter().take(18).cloned());
    assert_eq!(queue_items(&first), expected);
    assert_eq!(first.texts("td.report-count")[..2], ["3", "2"]);
    let row = first.texts("tr.queue-item").into_iter().next().unwrap_or_default();
    assert!(row.contains("Spam or advertising, Abuse or harassment, Something else"), "the reasons: {row}");
    let next = first.attrs(r#"a[rel="next"]"#, "href").into_iter().next().expect("a next page");
    let second = admin.get(&next).await;
    assert_eq!(queue_items(&second), vec![key(&posts[2])]);
    assert!(second.attrs(r#"a[rel="next"]"#, "href").is_empty(), "the last page");
    server.expect_read_model_consistent().await;
}

/// Runs SQL on the server's own database, behind its back.
async fn tamper(server: &TestServer, sql: &str) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(server.database_url()).await.expect("open the test database");
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(&pool).await.expect("tamper with the read model");
    pool.close().await;
}

#[tokio::test]
async fn the_read_model_check_covers_open_reports_and_the_rebuild_repairs_them() {
    let server = TestServer::start().await;
    let admin = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let carol = server.user("carol", "carol@example.com").await;
    let general = category_id(&admin, "General").await;
    let post = bob.create_post(general, "Counted", "Text").await;
    let other = bob.create_post(general, "Dropped", "Text").await;
    for item in [post, other] {
        report(&carol, &format!("/posts/{item}"), "spam", "").await.expect_redirect("/reports/mine");
    }
    report(&admin, &format!("/posts/{post}"), "illegal", "").await.expect_redirect("/reports/mine");
    server.expect_read_model_consistent().await;

    tamper(&server, &format!("UPDATE rm_open_report SET report_count = 9 WHERE item_id = {post}")).await;
    tamper(&server, &format!("DELETE FROM rm_open_report WHERE item_id = {other}")).await;
    let out = server.run_command(&["read-model", "check"]).await;
    assert!(!out.status.success(), "a tampered queue must fail the check: {out:?}");
    assert!(out.stdout.contains(&format!("rm_open_report post-{post}")), "{}", out.stdout);
    assert!(out.stdout.contains(&format!("rm_open_report post-{other}: missing")), "{}", out.stdout);

    server.run_command(&["read-model", "rebuild"]).await.expect_success();
    server.expect_read_model_consistent().await;
    let queue = admin.get("/moderation/reports?sort=count").await;
    assert_eq!(queue_items(&queue), vec![format!("post-{post}"), format!("post-{other}")]);
    assert_eq!(queue.texts("td.report-count"), vec!["2", "1"]);
}
