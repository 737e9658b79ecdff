//! Comments: adding (and where the redirect lands), editing, deleting and restoring, voting; who may do
//! what; bad input; stored XSS; comment pages. Every test drives its own `forum serve` over HTTP.

use crate::common::content::{
    SOME_TEXT, assert_inert, category_id, comment_count_heading, comment_ids, comment_text, comment_votes,
    expect_rejected_field, join_all, list_counts, page_param, textarea_value,
};
use crate::common::{Browser, TestServer};
use reqwest::StatusCode;

/// alice (admin), bob and carol, and a post by alice in "Rust": (alice, bob, carol, rust, post).
async fn a_post(server: &TestServer) -> (Browser, Browser, Browser, i64, i64) {
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let carol = server.user("carol", "carol@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let post = alice.create_post(rust, "A post to discuss", SOME_TEXT).await;
    (alice, bob, carol, rust, post)
}

#[tokio::test]
async fn a_comment_redirects_onto_itself_and_is_shown_and_counted() {
    let server = TestServer::start().await;
    let (alice, bob, _carol, rust, post) = a_post(&server).await;

    let resp = bob.submit_comment(post, "I *agree*, mostly.").await;
    resp.expect_status(StatusCode::SEE_OTHER);
    let location = resp.location().unwrap();
    let cid = crate::common::content::comment_id_of(&location);
    assert_eq!(location, format!("/posts/{post}?page=1#comment-{cid}"), "the redirect lands on the comment");

    let page = bob.follow(&resp).await;
    page.expect_status(StatusCode::OK).expect_layout();
    assert!(page.flash().is_some_and(|f| f.contains("comment")), "flash: {:?}", page.flash());
    assert_eq!(comment_ids(&page), vec![cid]);
    assert_eq!(comment_text(&page, cid).as_deref(), Some("I agree, mostly."));
    assert!(page.has(&format!(r#"li[id="comment-{cid}"] .comment-body em"#)), "Markdown in comments");
    assert!(page.has(&format!(r#"li[id="comment-{cid}"] a[href="/users/bob"]"#)), "the comment's author");
    assert!(page.has(&format!(r##"li[id="comment-{cid}"] a[href="#comment-{cid}"]"##)), "a permalink to it");
    assert_eq!(comment_count_heading(&page), 1);
    assert_eq!(comment_votes(&page, cid), Some(0));
    // Its author may edit and delete it; the post's author may vote on it.
    assert!(page.has(&format!(r#"a[href="/comments/{cid}/edit"]"#)));
    assert!(page.has(&format!(r#"form[action="/comments/{cid}/delete"]"#)));
    assert!(!page.has(&format!(r#"form[action="/comments/{cid}/vote"]"#)), "no vote on one's own comment");
    let page = alice.post_page(post).await;
    assert!(page.has(&format!(r#"form[action="/comments/{cid}/vote"]"#)));
    assert!(!page.has(&format!(r#"a[href="/comments/{cid}/edit"]"#)), "only the author edits");

    // Counted in the list.
    let (c2, _) = alice.add_comment(post, "Thanks!").await;
    assert!(c2 > cid);
    let list = alice.get(&format!("/categories/{rust}")).await;
    assert_eq!(list_counts(&list, post), Some((2, 0)));
    let page = server.browser().post_page(post).await;
    assert_eq!(comment_ids(&page), vec![cid, c2], "comments in the order written");
    assert_eq!(comment_count_heading(&page), 2);
    // A logged-out reader sees comments but no form.
    assert!(!page.has(&format!(r#"form[action="/posts/{post}/comments"]"#)));
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn commenting_needs_a_login_and_an_existing_active_post() {
    let server = TestServer::start().await;
    let (alice, bob, _carol, _rust, post) = a_post(&server).await;
    let page = server.browser().submit_comment(post, "anonymous").await;
    page.expect_status(StatusCode::SEE_OTHER);
    assert!(page.location().unwrap_or_default().starts_with("/login"), "{:?}", page.location());
    bob.submit_comment(999_999, "nowhere").await.expect_status(StatusCode::NOT_FOUND);
    bob.submit_comment(0, "nowhere").await.expect_status(StatusCode::NOT_FOUND);

    alice.delete_post(post).await; // the admin removes it
    bob.submit_comment(post, "too late").await.expect_status(StatusCode::NOT_FOUND);
    alice.restore_post(post).await;
    let page = bob.post_page(post).await;
    assert!(comment_ids(&page).is_empty(), "nothing was stored");
    assert!(!page.body.contains("anonymous") && !page.body.contains("too late"));
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn bad_comments_are_422_with_the_text_kept_and_nothing_stored() {
    let server = TestServer::start().await;
    let (_alice, bob, _carol, _rust, post) = a_post(&server).await;
    let long = "z".repeat(5_001);
    for (what, content) in [("empty", ""), ("blank", " \n\t  "), ("5,001 characters", long.as_str())] {
        let page = bob.submit_comment(post, content).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}\n{}", page.body_excerpt());
        expect_rejected_field(&page, "content");
        // The post page again, with the comment form refilled.
        assert_eq!(page.text("h1").as_deref(), Some("A post to discuss"), "{what}: the post page comes back");
        assert!(page.has(&format!(r#"form[action="/posts/{post}/comments"]"#)));
        assert_eq!(textarea_value(&page, "content").unwrap_or_default().trim_start_matches('\n'), content, "{what}");
        assert_inert(&page);
    }
    let page = bob.post_page(post).await;
    assert!(comment_ids(&page).is_empty(), "no comment was stored");
    assert_eq!(comment_count_heading(&page), 0);

    // 5,000 characters (Korean counts per character) is fine.
    let (cid, _) = bob.add_comment(post, &"댓".repeat(5_000)).await;
    let page = bob.post_page(post).await;
    assert_eq!(comment_text(&page, cid).map(|t| t.chars().count()), Some(5_000));
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn the_author_edits_a_comment_and_others_may_not() {
    let server = TestServer::start().await;
    let (alice, bob, carol, _rust, post) = a_post(&server).await;
    let moderator = server.moderator("mia").await;
    let (cid, _) = bob.add_comment(post, "First thought").await;

    let form = bob.get(&format!("/comments/{cid}/edit")).await;
    form.expect_status(StatusCode::OK).expect_layout();
    assert!(form.has(&format!(r#"form[method="post"][action="/comments/{cid}/edit"]"#)), "{}", form.body_excerpt());
    assert_eq!(textarea_value(&form, "content").unwrap().trim_start_matches('\n'), "First thought");

    let resp = bob.edit_comment(cid, "Second thought").await;
    resp.expect_redirect(&format!("/posts/{post}?page=1#comment-{cid}"));
    let page = bob.follow(&resp).await;
    assert!(page.flash().is_some_and(|f| f.contains("updated")), "flash: {:?}", page.flash());
    assert_eq!(comment_text(&page, cid).as_deref(), Some("Second thought"));
    assert!(page.has(&format!(r#"li[id="comment-{cid}"] a[href="/comments/{cid}/history"]"#)), "marked edited");

    // Nobody else: not the post's author, not an admin, not a moderator.
    for (who, b) in [("alice (post author, admin)", &alice), ("carol", &carol), ("a moderator", &moderator)] {
        let page = b.get(&format!("/comments/{cid}/edit")).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{who}: GET edit\n{}", page.body_excerpt());
        let page = b.edit_comment(cid, "Hijacked").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{who}: POST edit\n{}", page.body_excerpt());
    }
    let page = server.browser().edit_comment(cid, "Hijacked").await;
    page.expect_status(StatusCode::SEE_OTHER);
    assert!(page.location().unwrap_or_default().starts_with("/login"));

    // Nothing changed: the text and the history.
    let page = carol.post_page(post).await;
    assert_eq!(comment_text(&page, cid).as_deref(), Some("Second thought"));
    assert!(!page.body.contains("Hijacked"));
    let history = carol.get(&format!("/comments/{cid}/history")).await;
    history.expect_status(StatusCode::OK);
    assert_eq!(history.attrs("section.version h2", "id"), vec!["version-1", "version-0"]);
    assert!(!history.body.contains("Hijacked"));
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn bad_comment_edits_are_422_refilled_and_change_nothing() {
    let server = TestServer::start().await;
    let (_alice, bob, _carol, _rust, post) = a_post(&server).await;
    let (cid, _) = bob.add_comment(post, "Stays").await;
    let long = "q".repeat(5_001);
    for (what, content) in [("blank", "   "), ("too long", long.as_str())] {
        let page = bob.edit_comment(cid, content).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}\n{}", page.body_excerpt());
        expect_rejected_field(&page, "content");
        assert!(page.has(&format!(r#"form[action="/comments/{cid}/edit"]"#)));
        assert_eq!(textarea_value(&page, "content").unwrap_or_default().trim_start_matches('\n'), content, "{what}");
    }
    // No change at all: no new version.
    bob.edit_comment(cid, "Stays").await.expect_redirect(&format!("/posts/{post}?page=1#comment-{cid}"));
    let page = bob.post_page(post).await;
    assert_eq!(comment_text(&page, cid).as_deref(), Some("Stays"));
    assert!(!page.has(&format!(r#"a[href="/comments/{cid}/history"]"#)), "not edited");
    let history = bob.get(&format!("/comments/{cid}/history")).await;
    assert_eq!(history.attrs("section.version h2", "id"), vec!["version-0"]);
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn deleting_and_restoring_comments() {
    let server = TestServer::start().await;
    let (alice, bob, carol, rust, post) = a_post(&server).await;
    let moderator = server.moderator("mia").await;
    let (c1, _) = bob.add_comment(post, "Bob's secret-ish remark").await;
    let (c2, _) = carol.add_comment(post, "Carol's remark").await;

    // Not carol's: 403, nothing changes.
    carol.delete_comment(c1).await.expect_status(StatusCode::FORBIDDEN);
    // Not the post's author either (a member may only remove their own).
    let dave = server.user("dave", "dave@example.com").await;
    let dave_post = dave.create_post(rust, "Dave's", SOME_TEXT).await;
    let (c3, _) = carol.add_comment(dave_post, "On dave's post").await;
    dave.delete_comment(c3).await.expect_status(StatusCode::FORBIDDEN);
    assert_eq!(comment_text(&dave.post_page(dave_post).await, c3).as_deref(), Some("On dave's post"));
    assert_eq!(comment_count_heading(&carol.post_page(post).await), 2);

    // The author removes theirs: the redirect goes to its place, shown as removed, text hidden.
    let resp = bob.delete_comment(c1).await;
    resp.expect_redirect(&format!("/posts/{post}?page=1#comment-{c1}"));
    let page = bob.follow(&resp).await;
    assert!(page.flash().is_some_and(|f| f.contains("removed")), "flash: {:?}", page.flash());
    for b in [&bob, &carol, &server.browser()] {
        let page = b.post_page(post).await;
        assert_eq!(comment_ids(&page), vec![c1, c2], "a removed comment keeps its place");
        assert!(page.has(&format!(r#"li[id="comment-{c1}"].removed"#)), "{}", page.body_excerpt());
        assert!(page.text(&format!(r#"li[id="comment-{c1}"] .notice"#)).unwrap_or_default().contains("removed"));
        assert!(!page.body.contains("secret-ish"), "the removed text is not shown to members");
        assert_eq!(comment_count_heading(&page), 1, "only active comments are counted");
        assert!(!page.has(&format!(r#"form[action="/comments/{c1}/vote"]"#)));
        assert!(!page.has(&format!(r#"a[href="/comments/{c1}/edit"]"#)));
    }
    assert_eq!(list_counts(&alice.get(&format!("/categories/{rust}")).await, post), Some((1, 0)));
    // Its history is hidden from members now; it cannot be edited, voted or restored by them.
    carol.get(&format!("/comments/{c1}/history")).await.expect_status(StatusCode::NOT_FOUND);
    bob.get(&format!("/comments/{c1}/edit")).await.expect_status(StatusCode::NOT_FOUND);
    bob.edit_comment(c1, "sneaky edit").await.expect_status(StatusCode::NOT_FOUND);
    carol.vote_comment(c1).await.expect_status(StatusCode::NOT_FOUND);
    let page = bob.restore_comment(c1).await;
    assert!(
        page.status == StatusCode::NOT_FOUND || page.status == StatusCode::FORBIDDEN,
        "a member cannot restore: {}",
        page.status
    );
    carol.restore_comment(c2).await.expect_status(StatusCode::FORBIDDEN);

    // A moderator sees the text, and restores it.
    let page = moderator.post_page(post).await;
    assert!(page.body.contains("secret-ish"), "moderators see removed text");
    assert!(page.has(&format!(r#"form[action="/comments/{c1}/restore"]"#)));
    moderator.get(&format!("/comments/{c1}/history")).await.expect_status(StatusCode::OK);
    let resp = moderator.restore_comment(c1).await;
    resp.expect_redirect(&format!("/posts/{post}?page=1#comment-{c1}"));
    let page = carol.post_page(post).await;
    assert_eq!(comment_text(&page, c1).as_deref(), Some("Bob's secret-ish remark"));
    assert_eq!(comment_count_heading(&page), 2);
    assert_eq!(list_counts(&alice.get(&format!("/categories/{rust}")).await, post), Some((2, 0)));

    // A moderator and the admin remove anyone's comment.
    moderator.delete_comment(c2).await.expect_redirect(&format!("/posts/{post}?page=1#comment-{c2}"));
    alice.delete_comment(c1).await.expect_redirect(&format!("/posts/{post}?page=1#comment-{c1}"));
    assert_eq!(comment_count_heading(&carol.post_page(post).await), 0);
    server.expect_read_model_consistent().await;

    // A member's post with an active comment cannot be deleted by its author; once the comment is
    // removed, it can.
    dave.delete_post(dave_post).await.expect_status(StatusCode::FORBIDDEN);
    carol.delete_comment(c3).await.expect_status(StatusCode::SEE_OTHER);
    dave.delete_post(dave_post).await.expect_redirect("/");
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn comment_votes_toggle_and_never_on_ones_own() {
    let server = TestServer::start().await;
    let (alice, bob, carol, _rust, post) = a_post(&server).await;
    let (cid, _) = bob.add_comment(post, "Vote me").await;

    let resp = carol.vote_comment(cid).await;
    resp.expect_redirect(&format!("/posts/{post}?page=1#comment-{cid}"));
    let page = carol.follow(&resp).await;
    assert_eq!(comment_votes(&page, cid), Some(1));
    assert!(page.has(&format!(r#"form[action="/comments/{cid}/vote"] button[aria-pressed="true"]"#)));
    alice.vote_comment(cid).await.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(comment_votes(&server.browser().post_page(post).await, cid), Some(2));
    carol.vote_comment(cid).await.expect_status(StatusCode::SEE_OTHER);
    let page = carol.post_page(post).await;
    assert_eq!(comment_votes(&page, cid), Some(1), "voting again takes it back");
    assert!(page.has(&format!(r#"form[action="/comments/{cid}/vote"] button[aria-pressed="false"]"#)));

    bob.vote_comment(cid).await.expect_status(StatusCode::FORBIDDEN);
    let anon = server.browser().vote_comment(cid).await;
    anon.expect_status(StatusCode::SEE_OTHER);
    assert!(anon.location().unwrap_or_default().starts_with("/login"));
    assert_eq!(comment_votes(&bob.post_page(post).await, cid), Some(1));
    // A comment vote is not a post vote.
    assert_eq!(crate::common::content::post_votes(&bob.post_page(post).await), 0);
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn concurrent_comment_votes_are_exact() {
    let server = TestServer::start().await;
    let (_alice, bob, _carol, _rust, post) = a_post(&server).await;
    let (cid, _) = bob.add_comment(post, "Popular opinion").await;
    let mut voters = Vec::new();
    for i in 0..12 {
        voters.push(server.user(&format!("v{i}"), &format!("v{i}@example.com")).await);
    }
    for page in join_all(voters.iter().map(|v| v.vote_comment(cid))).await {
        page.expect_status(StatusCode::SEE_OTHER);
    }
    assert_eq!(comment_votes(&bob.post_page(post).await, cid), Some(12));
    for page in join_all(voters.iter().take(5).map(|v| v.vote_comment(cid))).await {
        page.expect_status(StatusCode::SEE_OTHER);
    }
    assert_eq!(comment_votes(&bob.post_page(post).await, cid), Some(7));
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn many_comments_are_paged_and_the_redirect_finds_the_right_page() {
    let server = TestServer::start().await;
    let (_alice, bob, carol, _rust, post) = a_post(&server).await;
    let mut ids = Vec::new();
    for i in 1..=55 {
        let who = if i % 2 == 0 { &bob } else { &carol };
        let (cid, location) = who.add_comment(post, &format!("Comment number {i}")).await;
        let expected_page = if i <= 50 { 1 } else { 2 };
        assert_eq!(page_param(&location), expected_page, "comment {i} lands on page {expected_page}: {location}");
        // The page it lands on shows it.
        let landing = who.get(&location).await;
        landing.expect_status(StatusCode::OK);
        assert!(comment_ids(&landing).contains(&cid), "comment {i} is on {location}");
        ids.push(cid);
    }
    let first = bob.post_page(post).await;
    assert_eq!(comment_ids(&first), ids[..50].to_vec(), "page 1: the first 50, in order");
    assert_eq!(comment_count_heading(&first), 55);
    let next = first.attrs(r#".comments nav.pager a[rel="next"]"#, "href");
    assert_eq!(next.len(), 1, "a link to the later comments: {}", first.body_excerpt());
    assert!(next[0].starts_with(&format!("/posts/{post}?page=2")), "{next:?}");
    assert!(!first.has(r#".comments nav.pager a[rel="prev"]"#));

    let second = bob.get(&next[0]).await;
    second.expect_status(StatusCode::OK);
    assert_eq!(comment_ids(&second), ids[50..].to_vec(), "page 2: the other 5");
    let prev = second.attrs(r#".comments nav.pager a[rel="prev"]"#, "href");
    assert!(prev.first().is_some_and(|h| h.starts_with(&format!("/posts/{post}?page=1"))), "{prev:?}");
    assert!(!second.has(r#".comments nav.pager a[rel="next"]"#));
    // Past the end: an empty page, not an error.
    let third = bob.get(&format!("/posts/{post}?page=3")).await;
    third.expect_status(StatusCode::OK);
    assert!(comment_ids(&third).is_empty());

    // Editing, deleting and voting on a comment of page 2 come back to page 2.
    let late = ids[52];
    let author = if 53 % 2 == 0 { &bob } else { &carol };
    let other = if 53 % 2 == 0 { &carol } else { &bob };
    author.edit_comment(late, "Changed").await.expect_redirect(&format!("/posts/{post}?page=2#comment-{late}"));
    other.vote_comment(late).await.expect_redirect(&format!("/posts/{post}?page=2#comment-{late}"));
    author.delete_comment(late).await.expect_redirect(&format!("/posts/{post}?page=2#comment-{late}"));
    // A removed comment keeps its place: the next one still lands on page 2.
    let (cid, location) = bob.add_comment(post, "Number 56").await;
    assert_eq!(location, format!("/posts/{post}?page=2#comment-{cid}"));
    // The first page is unchanged (cached pages are dropped only where needed, and correctly).
    assert_eq!(comment_ids(&bob.post_page(post).await), ids[..50].to_vec());
    let second = bob.get(&format!("/posts/{post}?page=2")).await;
    let mut expected = ids[50..].to_vec();
    expected.push(cid);
    assert_eq!(comment_ids(&second), expected);
    assert_eq!(comment_count_heading(&second), 55, "55 active (one removed, one added)");
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn a_bad_comment_on_a_long_thread_comes_back_on_the_last_page() {
    let server = TestServer::start().await;
    let (_alice, bob, _carol, _rust, post) = a_post(&server).await;
    for i in 0..51 {
        bob.add_comment(post, &format!("c{i}")).await;
    }
    let page = bob.submit_comment(post, "   ").await;
    expect_rejected_field(&page, "content");
    assert_eq!(comment_ids(&page).len(), 1, "the last page (page 2, one comment) is shown with the form");
}

const XSS_COMMENT: &str = r#"<script>alert('c')</script> <img src=x onerror=alert(1)>
[x](javascript:alert(2)) <a href="javascript:alert(3)" onclick="alert(4)">raw</a>
<iframe src="//evil.example"></iframe><svg/onload=alert(5)> <style>*{}</style>"#;

#[tokio::test]
async fn stored_xss_in_comments_comes_back_inert() {
    let server = TestServer::start().await;
    let (alice, bob, _carol, _rust, post) = a_post(&server).await;
    let (cid, _) = bob.add_comment(post, XSS_COMMENT).await;
    let page = alice.post_page(post).await;
    assert_inert(&page);
    let text = comment_text(&page, cid).unwrap();
    assert!(text.contains("<script>alert('c')</script>"), "shown as text: {text}");

    bob.edit_comment(cid, &format!("{XSS_COMMENT}\n<b onmouseover=alert(6)>edited</b>")).await;
    for path in [format!("/posts/{post}"), format!("/comments/{cid}/history"), format!("/comments/{cid}/edit")] {
        let page = bob.get(&path).await;
        page.expect_status(StatusCode::OK);
        assert_inert(&page);
    }
    let rejected =
        bob.submit_comment(post, &format!("</textarea><script>alert(7)</script>{}", "x".repeat(5_000))).await;
    rejected.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_inert(&rejected);
    let rejected = bob.edit_comment(cid, &format!("</textarea><script>alert(8)</script>{}", "x".repeat(5_000))).await;
    rejected.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_inert(&rejected);
    server.expect_read_model_consistent().await;
}
