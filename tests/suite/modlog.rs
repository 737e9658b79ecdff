//! The moderation log, reasons on removals and timed blocks (issue 18). Black-box through HTTP.

use crate::common::content::category_id;
use crate::common::{Browser, PASSWORD, Page, TestServer, jwt};
use reqwest::StatusCode;

fn user_id(b: &Browser) -> i64 {
    let token = b.token().expect("a logged-in browser has a token");
    jwt::claims(&token)["sub"].as_i64().expect("sub is the user id")
}

/// The log's entries as (who, what, where, why) texts.
fn entries(page: &Page) -> Vec<(String, String, String, String)> {
    page.expect_status(StatusCode::OK);
    let cell = |class: &str| page.texts(&format!("tr.modlog-entry td.{class}"));
    let (who, what, place, why) = (cell("who"), cell("what"), cell("where"), cell("why"));
    (0..who.len()).map(|i| (who[i].clone(), what[i].clone(), place[i].clone(), why[i].clone())).collect()
}

fn feed(page: &Page) -> feed_rs::model::Feed {
    page.expect_status(StatusCode::OK);
    feed_rs::parser::parse(page.body.as_bytes()).expect("the log's feed parses")
}

#[tokio::test]
async fn a_moderator_removal_needs_a_reason_and_is_logged_with_who_what_where_why() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let mia = server.moderator("mia").await;
    let rust = category_id(&alice, "Rust").await;
    let post = bob.create_post(rust, "Buy cheap watches", "spam spam").await;

    // No reason: refused on a page that says why and keeps the form (and the private box).
    let page = mia.post_form(&format!("/posts/{post}/delete"), &[("reason", "  ")]).await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text("#reason-error").unwrap_or_default().contains("Say why"), "{}", page.body_excerpt());
    assert!(page.has(&format!(r#"form[action="/posts/{post}/delete"] textarea[name="reason"]"#)));
    assert_eq!(bob.post_page(post).await.status, StatusCode::OK, "nothing was removed");
    // Too long: refused, the text kept.
    let long = "x".repeat(501);
    let page = mia.post_form(&format!("/posts/{post}/delete"), &[("reason", &long)]).await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.text("textarea#reason").as_deref(), Some(long.as_str()));

    mia.post_form(&format!("/posts/{post}/delete"), &[("reason", "Advertising")])
        .await
        .expect_redirect(&format!("/posts/{post}"));
    let log = entries(&server.browser().get("/modlog").await);
    assert_eq!(log.len(), 1, "{log:?}");
    let (who, what, place, why) = &log[0];
    assert_eq!(who, "mia");
    assert!(what.contains("Post removed") && what.contains(&format!("post {post}")), "{what}");
    assert_eq!(place, "Programming");
    assert_eq!(why, "Advertising");
    // The author is told on their post who removed it and why; a moderator sees it too; others get a 404.
    let told = bob.post_page(post).await;
    told.expect_status(StatusCode::OK);
    assert_eq!(told.text(".removal-note").as_deref(), Some("A moderator removed this: Advertising"));
    assert!(mia.post_page(post).await.text(".removal-note").unwrap_or_default().contains("Advertising"));
    let carol = server.user("carol", "carol@example.com").await;
    for b in [&carol, &server.browser()] {
        assert_eq!(b.get(&format!("/posts/{post}")).await.status, StatusCode::NOT_FOUND);
    }
    // The link stays reachable for moderators.
    let page = server.browser().get("/modlog").await;
    assert!(page.has(&format!(r#"td.what a[href="/posts/{post}"]"#)));
    assert_eq!(mia.post_page(post).await.status, StatusCode::OK);

    // The author deleting their own post is not moderation: no reason asked, nothing logged.
    let own = bob.create_post(rust, "Mine", "my own text").await;
    bob.post_form(&format!("/posts/{own}/delete"), &[]).await.expect_redirect("/");
    assert_eq!(entries(&server.browser().get("/modlog").await).len(), 1);

    // Restoring needs a reason too, and is logged.
    mia.post_form(&format!("/posts/{post}/restore"), &[]).await.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    mia.post_form(&format!("/posts/{post}/restore"), &[("reason", "Appeal upheld")])
        .await
        .expect_redirect(&format!("/posts/{post}"));
    let log = entries(&server.browser().get("/modlog").await);
    assert_eq!(log.len(), 2);
    assert!(log[0].1.contains("Post restored") && log[0].3 == "Appeal upheld", "{log:?}");
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn comment_removals_are_logged_and_the_korean_log_reads_korean() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let mia = server.moderator("mia").await;
    let rust = category_id(&alice, "Rust").await;
    let dave = server.user("dave", "dave@example.com").await;
    let post = dave.create_post(rust, "Question", "text").await;
    let (comment, _) = bob.add_comment(post, "rude words").await;
    mia.post_form(&format!("/comments/{comment}/delete"), &[]).await.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    mia.post_form(&format!("/comments/{comment}/delete"), &[("reason", "Insults")]).await;
    let log = entries(&server.browser().get("/modlog").await);
    assert!(log[0].1.contains("comment on “Question”") && log[0].3 == "Insults", "{log:?}");
    // Its author reads why on the post page; the post's author (not the comment's) and visitors do not.
    let note = |page: Page| page.text(&format!("#comment-{comment} .removal-note"));
    assert_eq!(note(bob.post_page(post).await).as_deref(), Some("A moderator removed this: Insults"));
    assert_eq!(note(dave.post_page(post).await), None);
    assert!(note(alice.post_page(post).await).is_some(), "the admin moderates");
    assert_eq!(note(server.browser().get(&format!("/posts/{post}")).await), None);
    let korean = Browser::speaking(&server, "ko");
    let page = korean.get("/modlog").await;
    assert!(page.visible_text().contains("운영 기록") && page.visible_text().contains("댓글 삭제"));
    assert!(page.visible_text().contains("“Question”에 달린 댓글"), "{}", page.visible_text());
}

#[tokio::test]
async fn the_log_names_posts_by_their_current_title_escaped() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await; // the admin: edits in a locked thread
    let bob = server.user("bob", "bob@example.com").await;
    let mia = server.moderator("mia").await;
    let rust = category_id(&alice, "Rust").await;
    let post = alice.create_post(rust, "First title", "text").await;
    let (comment, _) = bob.add_comment(post, "rude words").await;
    mia.post_form(&format!("/comments/{comment}/delete"), &[("reason", "Insults")]).await;
    mia.post_form(&format!("/posts/{post}/lock"), &[("reason", "Cooling down")])
        .await
        .expect_redirect(&format!("/posts/{post}"));
    let visitor = server.browser();
    let page = visitor.get("/modlog").await;
    let whats: Vec<String> = entries(&page).into_iter().map(|e| e.1).collect();
    assert_eq!(whats, ["Thread locked: First title", "Comment removed: comment on “First title”"]);
    assert!(page.has(&format!(r#"td.what a[href="/posts/{post}"]"#)), "the title is a link to the post");

    // The (cached) first page shows the new title at once, in the feed too.
    alice.edit_post(post, "Second title", "text").await.expect_status(StatusCode::SEE_OTHER);
    let whats: Vec<String> = entries(&visitor.get("/modlog").await).into_iter().map(|e| e.1).collect();
    assert_eq!(whats, ["Thread locked: Second title", "Comment removed: comment on “Second title”"]);
    let titles: Vec<String> =
        feed(&visitor.get("/modlog.atom").await).entries.iter().map(|e| e.title.clone().unwrap().content).collect();
    assert_eq!(titles, ["Thread locked · mia · Second title", "Comment removed · mia · comment on “Second title”"]);

    // A hostile title is text, on the page and in the feed.
    let hostile = r#"<script>alert("x")</script> & <b>co</b>"#;
    let other = bob.create_post(rust, hostile, "text").await;
    mia.post_form(&format!("/posts/{other}/pin"), &[("reason", "Pinned")])
        .await
        .expect_redirect(&format!("/posts/{other}"));
    let page = visitor.get("/modlog").await;
    assert!(!page.body.contains("<script>alert") && !page.body.contains("<b>co"), "{}", page.body_excerpt());
    assert_eq!(entries(&page)[0].1, format!("Thread pinned: {hostile}"));
    let atom = visitor.get("/modlog.atom").await;
    assert!(!atom.body.contains("<script>"), "escaped in the feed's XML");
    assert_eq!(feed(&atom).entries[0].title.clone().unwrap().content, format!("Thread pinned · mia · {hostile}"));

    // Removed, a post is named by its number again, for everyone.
    mia.post_form(&format!("/posts/{post}/delete"), &[("reason", "Gone")]).await;
    let log = entries(&mia.get("/modlog").await);
    assert!(log.iter().all(|e| !e.1.contains("Second title")), "{log:?}");
    let whats: Vec<&str> = log.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(
        whats,
        [
            format!("Post removed: post {post}"),
            format!("Thread pinned: {hostile}"),
            format!("Thread locked: post {post}"),
            format!("Comment removed: comment {comment}"),
        ]
    );
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn the_log_filters_by_board_moderator_and_kind_and_pages_by_keyset() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let mia = server.moderator("mia").await;
    let ned = server.moderator("ned").await;
    let rust = category_id(&alice, "Rust").await;
    let general = category_id(&alice, "General").await;
    let programming = category_id(&alice, "Programming").await;
    let in_rust = bob.create_post(rust, "One", "text").await;
    let in_general = bob.create_post(general, "Two", "text").await;
    mia.post_form(&format!("/posts/{in_rust}/delete"), &[("reason", "r1")]).await;
    ned.post_form(&format!("/posts/{in_general}/delete"), &[("reason", "r2")]).await;
    ned.post_form(&format!("/posts/{in_general}/restore"), &[("reason", "r3")]).await;

    let why = |page: Page| entries(&page).into_iter().map(|e| e.3).collect::<Vec<_>>();
    let visitor = server.browser();
    assert_eq!(why(visitor.get("/modlog").await), ["r3", "r2", "r1"]);
    assert_eq!(why(visitor.get(&format!("/modlog?board={programming}")).await), ["r1"]);
    assert_eq!(why(visitor.get(&format!("/modlog?board={general}")).await), ["r3", "r2"]);
    assert_eq!(why(visitor.get("/modlog?moderator=mia").await), ["r1"]);
    assert_eq!(why(visitor.get("/modlog?moderator=nobody").await), Vec::<String>::new());
    assert_eq!(why(visitor.get("/modlog?kind=post_restored").await), ["r3"]);
    assert_eq!(why(visitor.get("/modlog?moderator=ned&kind=post_removed").await), ["r2"]);

    // Keyset pages of 50, newest first, the filters carried to the next page.
    for i in 0..51 {
        let reason = format!("n{i}");
        let path = if i % 2 == 0 { "delete" } else { "restore" };
        ned.post_form(&format!("/posts/{in_general}/{path}"), &[("reason", &reason)]).await;
    }
    let first = visitor.get("/modlog?moderator=ned").await;
    assert_eq!(entries(&first).len(), 50);
    let next = first.attrs(r#"a[rel="next"]"#, "href").into_iter().next().expect("a next page");
    assert!(next.contains("moderator=ned") && next.contains("before="), "{next}");
    let second = why(visitor.get(&next).await);
    assert_eq!(second, ["n0", "r3", "r2"], "the rest, none twice");
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn private_notes_show_only_to_moderators_and_never_in_the_feed() {
    let server = TestServer::start().await;
    let admin = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let carol = server.user("carol", "carol@example.com").await;
    let mia = server.moderator("mia").await;
    let rust = category_id(&admin, "Rust").await;
    let post = bob.create_post(rust, "Doxxing", "someone's address").await;
    admin.post_form(&format!("/posts/{post}/delete"), &[("reason", "Contained an address"), ("private", "1")]).await;
    // A moderator asking for privacy is not an admin: their note stays public.
    let other = bob.create_post(rust, "Other", "text").await;
    mia.post_form(&format!("/posts/{other}/delete"), &[("reason", "Off topic"), ("private", "1")]).await;

    for (who, b) in [("visitor", server.browser()), ("member", carol)] {
        let log = entries(&b.get("/modlog").await);
        assert_eq!(log.len(), 2, "{who}: the action is always listed");
        assert_eq!(log[1].3, "Note visible to moderators", "{who}");
        assert_eq!(log[0].3, "Off topic", "{who}");
        assert!(!b.get("/modlog").await.body.contains("Contained an address"), "{who}");
    }
    assert_eq!(entries(&mia.get("/modlog").await)[1].3, "Contained an address");

    let page = server.browser().get("/modlog").await;
    assert!(page.has(r#"link[rel="alternate"][type="application/atom+xml"][href="/modlog.atom"]"#));
    let atom = server.browser().get("/modlog.atom").await;
    assert!(!atom.body.contains("Contained an address"), "the feed is public");
    let parsed = feed(&atom);
    assert_eq!(parsed.entries.len(), 2);
    let summaries: Vec<String> =
        parsed.entries.iter().map(|e| e.summary.as_ref().map(|s| s.content.clone()).unwrap_or_default()).collect();
    assert_eq!(summaries, ["Off topic", "Note visible to moderators"]);
    // Filters carried into the feed.
    let filtered = feed(&server.browser().get("/modlog.atom?moderator=mia").await);
    assert_eq!(filtered.entries.len(), 1);
}

#[tokio::test]
async fn a_timed_block_ends_by_itself_and_the_log_shows_it() {
    let server = TestServer::start().await;
    let admin = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let bob_id = user_id(&bob);
    // The admin's zone is UTC (no preference set): a datetime-local typed in UTC, a few seconds ahead.
    let ends = time::OffsetDateTime::now_utc() + time::Duration::seconds(3);
    let until =
        ends.format(time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]")).unwrap();
    let resp =
        admin.post_form(&format!("/admin/users/{bob_id}/block"), &[("reason", "Cooling off"), ("until", &until)]).await;
    resp.expect_redirect("/admin/users");
    // Blocked: the session ends, a login is refused and says until when.
    bob.get("/settings").await;
    let again = server.browser();
    let page = again.login("bob", PASSWORD).await;
    let users = admin.get("/admin/users").await;
    assert!(users.visible_text().contains("blocked (until"), "{}", users.visible_text());
    assert!(
        page.visible_text().contains("blocked until") && page.visible_text().contains("Cooling off"),
        "{}",
        page.visible_text()
    );
    let log = entries(&server.browser().get("/modlog").await);
    assert!(log[0].1.contains("User blocked") && log[0].1.contains("until") && log[0].1.contains("bob"), "{log:?}");
    assert_eq!(log[0].3, "Cooling off");

    tokio::time::sleep(std::time::Duration::from_millis(3_500)).await;
    // Past its end: the block lifts by itself, and the log says it ended.
    again.login("bob", PASSWORD).await.expect_redirect("/");
    assert_eq!(again.get("/settings").await.status, StatusCode::OK, "the new session works");
    let log = entries(&server.browser().get("/modlog").await);
    assert!(log[0].1.contains("ended"), "{log:?}");
    let users = admin.get("/admin/users").await;
    assert!(
        users.visible_text().contains("ended"),
        "the admin's list shows the block as ended: {}",
        users.visible_text()
    );
    assert!(users.has(&format!(r#"form[action="/admin/users/{bob_id}/block"]"#)), "and offers to block again");

    // A block in the past is refused; a length choice is accepted; unblocking early is logged.
    let page = admin
        .post_form(&format!("/admin/users/{bob_id}/block"), &[("reason", "x"), ("until", "2000-01-01T00:00")])
        .await;
    page.expect_redirect("/admin/users");
    assert!(admin.get("/admin/users").await.visible_text().contains("future"));
    admin.post_form(&format!("/admin/users/{bob_id}/block"), &[("reason", "A week off"), ("length", "7")]).await;
    server.browser().login("bob", PASSWORD).await.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    admin.post_form(&format!("/admin/users/{bob_id}/unblock"), &[]).await.expect_redirect("/admin/users");
    server.browser().login("bob", PASSWORD).await.expect_redirect("/");
    let log = entries(&server.browser().get("/modlog").await);
    assert!(log[0].1.contains("User unblocked") && log[1].1.contains("User blocked"), "{log:?}");
    server.expect_read_model_consistent().await;
}
