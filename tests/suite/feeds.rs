//! Atom feeds, read the way a feed reader reads them (parsed by `feed-rs`): the newest posts of the
//! forum, of a board, of a category and of a member, and the newest comments of a post; what a visitor may not
//! see stays out; hostile titles come back as the same text; conditional GET; the pages link to
//! their feeds.

use crate::common::content::{category_id, comment_id_of};
use crate::common::{Browser, Page, TestServer};
use reqwest::StatusCode;

/// A feed as a feed reader sees it.
fn parse(page: &Page) -> feed_rs::model::Feed {
    page.expect_status(StatusCode::OK);
    let kind = page.header("content-type").unwrap_or_default();
    assert!(kind.starts_with("application/atom+xml"), "{}: content-type {kind:?}", page.path);
    feed_rs::parser::parse(page.body.as_bytes())
        .unwrap_or_else(|e| panic!("{}: not a feed ({e}):\n{}", page.path, page.body))
}

fn titles(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries.iter().map(|e| e.title.as_ref().map(|t| t.content.clone()).unwrap_or_default()).collect()
}

fn links(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries.iter().map(|e| e.links.first().map(|l| l.href.clone()).unwrap_or_default()).collect()
}

async fn feed_of(b: &Browser, path: &str) -> feed_rs::model::Feed {
    parse(&b.get(path).await)
}

#[tokio::test]
async fn the_forum_s_boards_and_categories_feeds_list_the_newest_posts_a_visitor_may_see() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let web = category_id(&alice, "Web").await;
    let programming = category_id(&alice, "Programming").await;
    let first = bob.create_post(rust, "Borrowing, explained", "The **borrow** checker.").await;
    let second = bob.create_post(web, "Forms without JavaScript", "POST, then redirect.").await;
    let hostile = r#"<script>alert("x")</script> & </title> ]]> "quoted""#;
    let third = alice.create_post(rust, hostile, "Hostile title, harmless text.").await;
    let removed = bob.create_post(rust, "Soon removed", "Gone in a moment.").await;
    bob.delete_post(removed).await;

    let visitor = server.browser();
    let forum = feed_of(&visitor, "/feed.atom").await;
    assert_eq!(titles(&forum), [hostile, "Forms without JavaScript", "Borrowing, explained"], "newest first");
    let base = server.base_url().trim_end_matches('/');
    assert_eq!(
        links(&forum),
        [third, second, first].map(|id| format!("{base}/posts/{id}")),
        "each entry links to its post"
    );
    let entry = forum.entries.last().unwrap();
    assert_eq!(entry.authors.first().and_then(|a| a.name.clone()).as_deref(), Some("bob"));
    let body = entry.content.as_ref().and_then(|c| c.body.clone()).unwrap_or_default();
    assert!(body.contains("<strong>borrow</strong>"), "the post's text, rendered: {body:?}");
    assert!(entry.published.is_some() && entry.updated.is_some());
    assert!(!titles(&forum).iter().any(|t| t == "Soon removed"), "a removed post is not in a feed");
    // The hostile title is text in the XML, not markup.
    let raw = visitor.get("/feed.atom").await.body;
    assert!(!raw.contains("<script>"), "the title is escaped in the XML");

    // A category has its own posts; its board has its categories' posts.
    assert_eq!(
        titles(&feed_of(&visitor, &format!("/categories/{rust}/feed.atom")).await),
        [hostile, "Borrowing, explained"]
    );
    assert_eq!(titles(&feed_of(&visitor, &format!("/categories/{web}/feed.atom")).await), ["Forms without JavaScript"]);
    let board = feed_of(&visitor, &format!("/categories/{programming}/feed.atom")).await;
    assert_eq!(titles(&board).len(), 3, "the board's feed has its categories' posts: {:?}", titles(&board));

    // A new post shows at once: the feed is dropped with the list.
    let fourth = bob.create_post(web, "Fresh off the press", "New.").await;
    let forum = feed_of(&visitor, "/feed.atom").await;
    assert_eq!(links(&forum).first(), Some(&format!("{base}/posts/{fourth}")));

    // A member's feed has their posts only; a Korean name is escaped in its address.
    let bob_feed = feed_of(&visitor, "/users/bob/feed.atom").await;
    assert_eq!(titles(&bob_feed), ["Fresh off the press", "Forms without JavaScript", "Borrowing, explained"]);
    assert_eq!(titles(&feed_of(&visitor, "/users/alice/feed.atom").await), [hostile]);
    let minji = server.user("민지", "minji@example.com").await;
    minji.create_post(web, "첫 글입니다", "안녕하세요.").await;
    let profile = visitor.get("/users/%EB%AF%BC%EC%A7%80").await;
    let href = profile.attrs("main a.feed-link", "href").pop().expect("a feed link on the profile");
    assert_eq!(href, "/users/%EB%AF%BC%EC%A7%80/feed.atom");
    assert_eq!(titles(&feed_of(&visitor, &href).await), ["첫 글입니다"]);
    bob.delete_post(fourth).await;
    assert_eq!(
        titles(&feed_of(&visitor, "/users/bob/feed.atom").await).len(),
        2,
        "a removed post leaves the member's feed"
    );
    bob.create_post(rust, "Later thoughts", "More.").await;
    let bob_feed = feed_of(&visitor, "/users/bob/feed.atom").await;
    assert_eq!(titles(&bob_feed).first().map(String::as_str), Some("Later thoughts"), "a new post shows at once");

    // Unknown places are pages that do not exist.
    visitor.get("/users/nobody-here/feed.atom").await.expect_status(StatusCode::NOT_FOUND);
    visitor.get("/categories/999999/feed.atom").await.expect_status(StatusCode::NOT_FOUND);
    visitor.get("/categories/abc/feed.atom").await.expect_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_post_s_comments_feed_has_its_newest_comments_and_links_to_each() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let post = alice.create_post(rust, "Lifetimes", "Ask away.").await;
    let (first, _) = bob.add_comment(post, "What is `'static`?").await;
    let (_, second_location) = alice.add_comment(post, "It lives as long as the program.").await;
    let (gone, _) = bob.add_comment(post, "Never mind.").await;
    bob.delete_comment(gone).await;

    let visitor = server.browser();
    let feed = feed_of(&visitor, &format!("/posts/{post}/comments.atom")).await;
    assert_eq!(titles(&feed), ["Comment by alice", "Comment by bob"], "newest first, the removed one left out");
    let title = feed.title.as_ref().map(|t| t.content.clone()).unwrap_or_default();
    assert!(title.contains("Lifetimes"), "the feed names its post: {title:?}");
    let body = feed.entries[1].content.as_ref().and_then(|c| c.body.clone()).unwrap_or_default();
    assert!(body.contains("<code>'static</code>"), "the comment's text, rendered: {body:?}");

    // Each entry's link leads to the comment on its post's page.
    let base = server.base_url().trim_end_matches('/');
    let link = links(&feed)[1].clone();
    assert_eq!(link, format!("{base}/comments/{first}"));
    let followed = visitor.get(link.trim_start_matches(base)).await;
    let location = followed.location().unwrap_or_default();
    assert!(
        location.starts_with(&format!("/posts/{post}?page=1")) && location.ends_with(&format!("#comment-{first}")),
        "{location:?}"
    );
    assert_eq!(links(&feed)[0], format!("{base}/comments/{}", comment_id_of(&second_location)));

    // Korean readers get Korean titles around the same texts.
    let korean = Browser::speaking(&server, "ko-KR,ko;q=0.9");
    let feed = parse(&korean.get(&format!("/posts/{post}/comments.atom")).await);
    assert_eq!(titles(&feed), ["alice님의 댓글", "bob님의 댓글"]);

    // A removed post has no feed for visitors.
    alice.delete_post(post).await;
    visitor.get(&format!("/posts/{post}/comments.atom")).await.expect_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_feed_reader_that_has_the_feed_already_gets_304_until_it_changes() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    alice.create_post(rust, "First", "One.").await;
    let reader = server.browser();
    let path = format!("/categories/{rust}/feed.atom");
    let first = reader.get(&path).await;
    first.expect_status(StatusCode::OK);
    let tag = first.header("etag").expect("an ETag");
    let modified = first.header("last-modified").expect("a Last-Modified");
    assert!(first.header("vary").unwrap_or_default().contains("Accept-Language"));

    let again = reader.get_with(&path, &[("if-none-match", &tag)]).await;
    again.expect_status(StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty(), "a 304 has no body");
    reader.get_with(&path, &[("if-modified-since", &modified)]).await.expect_status(StatusCode::NOT_MODIFIED);
    reader.get_with(&path, &[("if-none-match", "\"something else\"")]).await.expect_status(StatusCode::OK);

    alice.create_post(rust, "Second", "Two.").await;
    let changed = reader.get_with(&path, &[("if-none-match", &tag)]).await;
    changed.expect_status(StatusCode::OK);
    assert_ne!(changed.header("etag"), Some(tag), "a new post makes a new tag");
    assert_eq!(titles(&parse(&changed)), ["Second", "First"]);
}

#[tokio::test]
async fn pages_link_to_their_feeds_in_the_head_and_in_view() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let post = alice.create_post(rust, "Linked", "Text.").await;
    let visitor = server.browser();
    for (path, feed) in [
        ("/".to_owned(), "/feed.atom".to_owned()),
        (format!("/categories/{rust}"), format!("/categories/{rust}/feed.atom")),
        (format!("/posts/{post}"), format!("/posts/{post}/comments.atom")),
        ("/users/alice".to_owned(), "/users/alice/feed.atom".to_owned()),
    ] {
        let page = visitor.get(&path).await;
        page.expect_status(StatusCode::OK);
        let alternate = page.attrs(r#"head link[rel="alternate"][type="application/atom+xml"]"#, "href");
        assert_eq!(alternate, std::slice::from_ref(&feed), "{path}: <link rel=alternate>");
        assert_eq!(page.attrs("main a.feed-link", "href"), std::slice::from_ref(&feed), "{path}: a visible link");
        parse(&visitor.get(&feed).await);
    }
}
