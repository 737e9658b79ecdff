//! Posts: writing, reading, editing, deleting and restoring, voting; who may do what; bad input; stored
//! XSS coming back inert; unknown ids. Every test drives its own `forum serve` over HTTP.

use crate::common::content::{
    SOME_TEXT, assert_inert, categories, category_id, comment_count_heading, expect_rejected_field, field_value,
    front_page_count, join_all, list_counts, post_ids_in_list, post_votes, textarea_value,
};
use crate::common::{Browser, PASSWORD, TestServer, percent_decode};
use reqwest::StatusCode;

/// alice (the first account, so the admin), bob and carol (members), and the id of "Rust".
async fn three_users(server: &TestServer) -> (Browser, Browser, Browser, i64) {
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let carol = server.user("carol", "carol@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    (alice, bob, carol, rust)
}

/// Posts of a category's first page.
async fn listed(b: &Browser, category: i64) -> Vec<i64> {
    let page = b.get(&format!("/categories/{category}")).await;
    page.expect_status(StatusCode::OK);
    post_ids_in_list(&page)
}

/// The versions a post's history lists (numbers, newest first).
async fn history_versions(b: &Browser, post: i64) -> Vec<i64> {
    let page = b.get(&format!("/posts/{post}/history")).await;
    page.expect_status(StatusCode::OK);
    page.attrs("section.version h2", "id")
        .iter()
        .map(|id| id.strip_prefix("version-").and_then(|v| v.parse().ok()).expect("version-N"))
        .collect()
}

/// The rows of the history CSV (without the header).
async fn csv_rows(b: &Browser, post: i64) -> Vec<Vec<String>> {
    let page = b.get(&format!("/posts/{post}/history.csv")).await;
    page.expect_status(StatusCode::OK);
    let mut reader = csv::Reader::from_reader(page.body.as_bytes());
    reader.records().map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect()).collect()
}

// ---------------------------------------------------------------------------------------------------------
// The default boards
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_fresh_forum_has_the_default_boards() {
    let server = TestServer::start().await;
    let names: Vec<String> = categories(&server.browser()).await.into_iter().map(|(_, n)| n).collect();
    for expected in ["General", "Programming", "Rust", "Web", "Databases", "한국어 게시판"] {
        assert!(names.iter().any(|n| n == expected), "{expected:?} missing from the front page: {names:?}");
    }
}

// ---------------------------------------------------------------------------------------------------------
// Writing a post
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn writing_needs_a_login() {
    let server = TestServer::start().await;
    let b = server.browser();
    let rust = category_id(&b, "Rust").await;

    let page = b.get(&format!("/posts/new?category={rust}")).await;
    page.expect_status(StatusCode::SEE_OTHER);
    let to = percent_decode(&page.location().unwrap_or_default());
    assert!(to.starts_with("/login?next=/posts/new"), "a logged-out writer is sent to log in, got {to}");

    let page = b.submit_post(&rust.to_string(), "Sneaky", SOME_TEXT).await;
    page.expect_status(StatusCode::SEE_OTHER);
    assert!(page.location().unwrap_or_default().starts_with("/login"), "POST /posts logged out: {:?}", page.location());
    assert!(listed(&b, rust).await.is_empty(), "nothing was published");
    b.get("/posts/1").await.expect_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_new_post_form_has_the_category_chosen() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let page = alice.get(&format!("/posts/new?category={rust}")).await;
    page.expect_status(StatusCode::OK).expect_layout().expect_logged_in_as("alice");
    assert!(page.has(r#"form[method="post"][action="/posts"]"#), "{}", page.body_excerpt());
    assert!(page.has(r#"input[name="title"]"#));
    assert!(page.has(r#"textarea[name="content"]"#));
    let selected = page.attrs(r#"select[name="category"] option[selected]"#, "value");
    assert_eq!(selected, vec![rust.to_string()], "the category from the link is preselected");
    // Every board and category can be chosen.
    let options = page.attrs(r#"select[name="category"] option"#, "value");
    for (id, name) in categories(&alice).await {
        assert!(options.contains(&id.to_string()), "{name} ({id}) is not a choice: {options:?}");
    }
}

#[tokio::test]
async fn a_new_post_redirects_to_its_page_which_shows_it() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let programming = category_id(&alice, "Programming").await;
    let rust = category_id(&alice, "Rust").await;

    let content = "Hello **world**, see [the book](https://doc.rust-lang.org/book/).\n\n- one\n- two";
    let resp = alice.submit_post(&rust.to_string(), "  My first post  ", content).await;
    resp.expect_status(StatusCode::SEE_OTHER);
    let location = resp.location().unwrap();
    let id = crate::common::content::post_id_of(&location);
    assert_eq!(location, format!("/posts/{id}"));

    let page = alice.follow(&resp).await;
    page.expect_status(StatusCode::OK).expect_layout().expect_logged_in_as("alice");
    assert!(page.flash().is_some_and(|f| f.contains("published")), "flash: {:?}", page.flash());
    assert_eq!(page.text("h1").as_deref(), Some("My first post"), "the title, trimmed");
    assert!(page.text("title").unwrap_or_default().contains("My first post"));
    // Markdown is rendered.
    assert!(page.has(".post-body strong"), "bold rendered: {}", page.body_excerpt());
    assert_eq!(page.texts(".post-body li"), vec!["one", "two"]);
    let links = page.attrs(".post-body a", "href");
    assert_eq!(links, vec!["https://doc.rust-lang.org/book/"]);
    let rel = page.attrs(".post-body a", "rel").join(" ");
    assert!(rel.contains("nofollow"), "user links are nofollow: {rel:?}");
    // Author, board and category, votes, the comment form.
    assert!(page.has(r#".post-meta a[href="/users/alice"]"#), "author link: {}", page.body_excerpt());
    assert!(page.has(&format!(r#"nav.breadcrumb a[href="/categories/{programming}"]"#)));
    assert!(page.has(&format!(r#"nav.breadcrumb a[href="/categories/{rust}"]"#)));
    assert_eq!(post_votes(&page), 0);
    assert_eq!(comment_count_heading(&page), 0);
    assert!(page.has(&format!(r#"form[action="/posts/{id}/comments"] textarea[name="content"]"#)));
    // Not edited yet: no history link.
    assert!(!page.has(&format!(r#"a[href="/posts/{id}/history"]"#)), "a fresh post has no 'edited' history link");
    assert_inert(&page);

    // Everyone can read it.
    let anon = server.browser().post_page(id).await;
    assert_eq!(anon.text("h1").as_deref(), Some("My first post"));
    anon.expect_logged_out();
    assert!(anon.has(&format!(r#"a[href="/login?next=/posts/{id}"]"#)), "a logged-out reader is invited to log in");

    // It is listed in its category, its board and counted on the front page.
    assert_eq!(listed(&alice, rust).await, vec![id]);
    assert_eq!(listed(&alice, programming).await, vec![id]);
    let list = alice.get(&format!("/categories/{rust}")).await;
    assert_eq!(list_counts(&list, id), Some((0, 0)));
    assert!(list.text("ol.post-list .post-meta").unwrap_or_default().contains("alice"));
    let home = alice.home().await;
    assert_eq!(front_page_count(&home, rust), Some(1), "the front page counts the post in Rust");
    assert_eq!(front_page_count(&home, programming), Some(1), "a board counts its categories' posts");
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn posts_can_go_on_a_board_itself_and_in_korean() {
    let server = TestServer::start().await;
    let kim = server.user("김철수", "kim@example.com").await;
    let board = category_id(&kim, "한국어 게시판").await;
    let id = kim.create_post(board, "안녕하세요, 여러분", "한국어로 **글**을 씁니다.").await;
    let page = kim.post_page(id).await;
    assert_eq!(page.text("h1").as_deref(), Some("안녕하세요, 여러분"));
    assert!(page.text(".post-body").unwrap().contains("한국어로 글을 씁니다."));
    assert!(page.links().iter().any(|l| l == "/users/김철수"), "a link to the author: {:?}", page.links());
    assert_eq!(listed(&kim, board).await, vec![id]);
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn the_longest_allowed_title_and_text_are_accepted() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    // Characters, not bytes: 255 Korean syllables are 765 bytes.
    let title = "가".repeat(255);
    let content = "나".repeat(20_000);
    let id = alice.create_post(rust, &title, &content).await;
    let page = alice.post_page(id).await;
    assert_eq!(page.text("h1").as_deref(), Some(title.as_str()));
    assert_eq!(page.text(".post-body").map(|t| t.chars().count()), Some(20_000));
}

#[tokio::test]
async fn bad_post_input_is_422_with_the_form_refilled_and_nothing_stored() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let programming = category_id(&alice, "Programming").await;
    let rust_s = rust.to_string();
    let long_title = "t".repeat(256);
    let long_content = "c".repeat(20_001);
    let cases: Vec<(&str, &str, &str, &str, &str)> = vec![
        // (what, category, title, content, field in error)
        ("empty title", &rust_s, "", "Body text kept", "title"),
        ("blank title", &rust_s, "   \t ", "Body text kept", "title"),
        ("256-character title", &rust_s, &long_title, "Body text kept", "title"),
        ("empty text", &rust_s, "Title kept", "", "content"),
        ("blank text", &rust_s, "Title kept", " \r\n \n\t", "content"),
        ("20,001-character text", &rust_s, "Title kept", &long_content, "content"),
        ("no category", "", "Title kept", "Body text kept", "category"),
        ("malformed category", "abc", "Title kept", "Body text kept", "category"),
        ("unknown category", "999999", "Title kept", "Body text kept", "category"),
    ];
    for (what, category, title, content, field) in cases {
        let page = alice.submit_post(category, title, content).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: expected 422\n{}", page.body_excerpt());
        expect_rejected_field(&page, field);
        page.expect_layout().expect_logged_in_as("alice");
        // The form comes back with what was typed.
        assert!(page.has(r#"form[method="post"][action="/posts"]"#), "{what}: the form is shown again");
        assert_eq!(field_value(&page, "title").unwrap_or_default(), title, "{what}: title refilled");
        // (HTML parsing turns CR LF into LF, as a browser does.)
        assert_eq!(
            textarea_value(&page, "content").unwrap_or_default().trim_start_matches('\n'),
            content.replace("\r\n", "\n").trim_start_matches('\n'),
            "{what}: text refilled"
        );
        if category == rust_s {
            let selected = page.attrs(r#"select[name="category"] option[selected]"#, "value");
            assert_eq!(selected, vec![rust_s.clone()], "{what}: the category stays chosen");
        }
    }
    // Both fields wrong at once: both reported.
    let page = alice.submit_post(&rust_s, "", "").await;
    expect_rejected_field(&page, "title");
    expect_rejected_field(&page, "content");

    assert!(listed(&alice, rust).await.is_empty(), "no post was stored");
    assert!(listed(&alice, programming).await.is_empty(), "no post was stored");
    alice.get("/posts/1").await.expect_status(StatusCode::NOT_FOUND);
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn a_cross_site_post_is_refused_and_creates_nothing() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let rust_s = rust.to_string();
    let form = [("title", "Forged"), ("content", "from elsewhere"), ("category", rust_s.as_str())];
    let page = alice
        .post_form_with("/posts", &form, &[("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")])
        .await;
    page.expect_status(StatusCode::FORBIDDEN);
    let id = alice.create_post(rust, "Real", SOME_TEXT).await;
    for path in [format!("/posts/{id}/vote"), format!("/posts/{id}/delete"), format!("/posts/{id}/comments")] {
        let page = server
            .browser()
            .post_form_with(
                &path,
                &[("content", "x")],
                &[("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")],
            )
            .await;
        page.expect_status(StatusCode::FORBIDDEN);
    }
    assert_eq!(listed(&alice, rust).await, vec![id], "only the real post exists");
}

// ---------------------------------------------------------------------------------------------------------
// Editing
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_author_edits_and_a_new_version_is_shown() {
    let server = TestServer::start().await;
    let (alice, _bob, _carol, rust) = three_users(&server).await;
    let id = alice.create_post(rust, "Original title", "line one\nline two").await;

    let form = alice.get(&format!("/posts/{id}/edit")).await;
    form.expect_status(StatusCode::OK).expect_layout();
    assert!(form.has(&format!(r#"form[method="post"][action="/posts/{id}/edit"]"#)), "{}", form.body_excerpt());
    assert_eq!(form.input_value("title").as_deref(), Some("Original title"), "the form holds the latest title");
    assert_eq!(textarea_value(&form, "content").unwrap().trim_start_matches('\n'), "line one\nline two");

    let resp = alice.edit_post(id, "Better title", "line one\nline 2").await;
    resp.expect_redirect(&format!("/posts/{id}"));
    let page = alice.follow(&resp).await;
    assert!(page.flash().is_some_and(|f| f.contains("updated")), "flash: {:?}", page.flash());
    assert_eq!(page.text("h1").as_deref(), Some("Better title"));
    assert!(page.text(".post-body").unwrap().contains("line 2"));
    assert!(!page.text(".post-body").unwrap().contains("line two"));
    assert!(page.has(&format!(r#".post-meta a[href="/posts/{id}/history"]"#)), "an edited post links its history");
    assert!(page.text(".post-meta").unwrap().contains("edited"));

    // The list shows the new title and the edit.
    let list = alice.get(&format!("/categories/{rust}")).await;
    assert_eq!(crate::common::content::titles_in_list(&list), vec!["Better title"]);
    assert_eq!(history_versions(&alice, id).await, vec![1, 0]);

    // Saving without a change adds no empty version.
    alice.edit_post(id, "Better title", "line one\nline 2").await.expect_redirect(&format!("/posts/{id}"));
    alice.edit_post(id, "Better title", "line one\r\nline 2\r\n").await.expect_redirect(&format!("/posts/{id}"));
    assert_eq!(history_versions(&alice, id).await, vec![1, 0], "an unchanged save is not a version");
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn nobody_else_may_edit_and_nothing_changes() {
    let server = TestServer::start().await;
    let (alice, bob, _carol, rust) = three_users(&server).await;
    let mallory_mod = server.moderator("mod").await;
    let id = bob.create_post(rust, "Bob's post", "Bob wrote this.").await;

    for (who, b) in [("alice (admin)", &alice), ("a moderator", &mallory_mod)] {
        let page = b.get(&format!("/posts/{id}/edit")).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{who}: GET edit of another's post\n{}", page.body_excerpt());
        let page = b.edit_post(id, "Hijacked", "Rewritten by someone else").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{who}: POST edit of another's post\n{}", page.body_excerpt());
        page.expect_layout();
    }
    // A member too.
    let carol = server.user("carol2", "carol2@example.com").await;
    carol.get(&format!("/posts/{id}/edit")).await.expect_status(StatusCode::FORBIDDEN);
    carol.edit_post(id, "Hijacked", "x").await.expect_status(StatusCode::FORBIDDEN);
    // Logged out: sent to log in.
    let anon = server.browser();
    let page = anon.edit_post(id, "Hijacked", "x").await;
    page.expect_status(StatusCode::SEE_OTHER);
    assert!(page.location().unwrap_or_default().starts_with("/login"));

    // Nothing changed: the page, the list, the history and the CSV.
    let page = anon.post_page(id).await;
    assert_eq!(page.text("h1").as_deref(), Some("Bob's post"));
    assert_eq!(page.text(".post-body").as_deref(), Some("Bob wrote this."));
    assert!(!page.body.contains("Hijacked"));
    assert_eq!(history_versions(&anon, id).await, vec![0]);
    assert_eq!(csv_rows(&anon, id).await.len(), 1);
    assert_eq!(
        crate::common::content::titles_in_list(&anon.get(&format!("/categories/{rust}")).await),
        vec!["Bob's post"]
    );
    // The page offers no edit link to others.
    assert!(!alice.post_page(id).await.has(&format!(r#"a[href="/posts/{id}/edit"]"#)));
    assert!(bob.post_page(id).await.has(&format!(r#"a[href="/posts/{id}/edit"]"#)));
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn bad_edit_input_is_422_refilled_and_stores_nothing() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let id = alice.create_post(rust, "Stable title", "Stable text").await;
    let long_title = "x".repeat(256);
    let long_text = "y".repeat(20_001);
    for (what, title, content, field) in [
        ("blank title", "  ", "New text typed", "title"),
        ("long title", long_title.as_str(), "New text typed", "title"),
        ("blank text", "New title typed", "   ", "content"),
        ("long text", "New title typed", long_text.as_str(), "content"),
    ] {
        let page = alice.edit_post(id, title, content).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}\n{}", page.body_excerpt());
        expect_rejected_field(&page, field);
        assert!(page.has(&format!(r#"form[action="/posts/{id}/edit"]"#)), "{what}: the edit form again");
        assert_eq!(page.input_value("title").unwrap_or_default(), title, "{what}: title refilled");
        assert_eq!(textarea_value(&page, "content").unwrap_or_default().trim_start_matches('\n'), content, "{what}");
    }
    let page = alice.post_page(id).await;
    assert_eq!(page.text("h1").as_deref(), Some("Stable title"));
    assert_eq!(page.text(".post-body").as_deref(), Some("Stable text"));
    assert_eq!(history_versions(&alice, id).await, vec![0]);
    server.expect_read_model_consistent().await;
}

// ---------------------------------------------------------------------------------------------------------
// Deleting and restoring
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_author_deletes_an_uncommented_post_and_it_is_gone_everywhere() {
    let server = TestServer::start().await;
    let (_alice, bob, carol, rust) = three_users(&server).await;
    let programming = category_id(&bob, "Programming").await;
    let keep = bob.create_post(rust, "Keeper", SOME_TEXT).await;
    let id = bob.create_post(rust, "Doomed zebra", SOME_TEXT).await;
    let page = bob.post_page(id).await;
    assert!(page.has(&format!(r#"form[action="/posts/{id}/delete"]"#)), "the author is offered the delete button");

    bob.delete_post(id).await.expect_redirect("/");
    let home = bob.home().await;
    assert!(home.flash().is_some_and(|f| f.contains("deleted")), "flash: {:?}", home.flash());

    for b in [&bob, &carol, &server.browser()] {
        b.get(&format!("/posts/{id}")).await.expect_status(StatusCode::NOT_FOUND);
        b.get(&format!("/posts/{id}/history")).await.expect_status(StatusCode::NOT_FOUND);
        b.get(&format!("/posts/{id}/history.csv")).await.expect_status(StatusCode::NOT_FOUND);
    }
    assert_eq!(listed(&carol, rust).await, vec![keep]);
    assert_eq!(listed(&carol, programming).await, vec![keep]);
    let search = carol.get("/search?q=zebra").await;
    assert!(post_ids_in_list(&search).is_empty(), "a deleted post is not found by search");
    // Voting, commenting and editing a deleted post: it does not exist for members.
    carol.vote_post(id).await.expect_status(StatusCode::NOT_FOUND);
    carol.submit_comment(id, "hello?").await.expect_status(StatusCode::NOT_FOUND);
    bob.edit_post(id, "Back", "again").await.expect_status(StatusCode::NOT_FOUND);
    // The author cannot bring it back; only moderators restore.
    let page = bob.restore_post(id).await;
    assert!(page.status == StatusCode::NOT_FOUND || page.status == StatusCode::FORBIDDEN, "{}", page.status);
    bob.get(&format!("/posts/{id}")).await.expect_status(StatusCode::NOT_FOUND);
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn another_member_may_not_delete_and_nothing_changes() {
    let server = TestServer::start().await;
    let (_alice, bob, carol, rust) = three_users(&server).await;
    let id = bob.create_post(rust, "Bob's", SOME_TEXT).await;
    assert!(!carol.post_page(id).await.has(&format!(r#"form[action="/posts/{id}/delete"]"#)));
    let page = carol.delete_post(id).await;
    page.expect_status(StatusCode::FORBIDDEN).expect_layout();
    // Logged out: to the login page.
    let page = server.browser().delete_post(id).await;
    page.expect_status(StatusCode::SEE_OTHER);
    assert!(page.location().unwrap_or_default().starts_with("/login"));
    let page = server.browser().post_page(id).await;
    assert_eq!(page.text("h1").as_deref(), Some("Bob's"));
    assert_eq!(listed(&carol, rust).await, vec![id]);
    assert_eq!(history_versions(&carol, id).await, vec![0]);
    // Members may not restore either (the post is active: the rule says no).
    carol.restore_post(id).await.expect_status(StatusCode::FORBIDDEN);
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn the_author_may_not_delete_a_commented_post_but_a_moderator_may_and_restores_it() {
    let server = TestServer::start().await;
    let (_alice, bob, carol, rust) = three_users(&server).await;
    let moderator = server.moderator("mia").await;
    let id = bob.create_post(rust, "Discussed walrus", SOME_TEXT).await;
    carol.add_comment(id, "A reply").await;

    assert!(!bob.post_page(id).await.has(&format!(r#"form[action="/posts/{id}/delete"]"#)), "no delete button");
    let page = bob.delete_post(id).await;
    page.expect_status(StatusCode::FORBIDDEN);
    assert!(page.visible_text().contains("comments"), "the 403 says why: {}", page.visible_text());
    let page = bob.post_page(id).await;
    assert_eq!(page.text("h1").as_deref(), Some("Discussed walrus"));
    assert_eq!(comment_count_heading(&page), 1);
    assert_eq!(listed(&bob, rust).await, vec![id]);

    // A moderator removes it: back to the post, which they still see, marked deleted, with a restore button.
    assert!(moderator.post_page(id).await.has(&format!(r#"form[action="/posts/{id}/delete"]"#)));
    let resp = moderator.delete_post(id).await;
    resp.expect_redirect(&format!("/posts/{id}"));
    let page = moderator.follow(&resp).await;
    page.expect_status(StatusCode::OK);
    assert!(page.text(".notice").unwrap_or_default().contains("deleted"), "{}", page.body_excerpt());
    assert!(page.has(&format!(r#"form[action="/posts/{id}/restore"]"#)), "a restore button for the moderator");
    assert!(!page.has(&format!(r#"form[action="/posts/{id}/comments"]"#)), "no comments on a deleted post");
    moderator.get(&format!("/posts/{id}/history")).await.expect_status(StatusCode::OK);
    // Others: gone. Its author is told that a moderator removed it, and why.
    for b in [&carol, &server.browser()] {
        b.get(&format!("/posts/{id}")).await.expect_status(StatusCode::NOT_FOUND);
    }
    let told = bob.get(&format!("/posts/{id}")).await;
    told.expect_status(StatusCode::OK);
    assert!(told.text(".removal-note").unwrap_or_default().contains("test reason"), "{}", told.body_excerpt());
    assert!(listed(&carol, rust).await.is_empty());
    assert!(post_ids_in_list(&carol.get("/search?q=walrus").await).is_empty());
    assert!(post_ids_in_list(&moderator.get("/search?q=walrus").await).is_empty(), "lists hide it from moderators too");
    server.expect_read_model_consistent().await;

    // Restored: back everywhere, comments and all.
    let resp = moderator.restore_post(id).await;
    resp.expect_redirect(&format!("/posts/{id}"));
    let page = moderator.follow(&resp).await;
    assert!(page.flash().is_some_and(|f| f.contains("restored")), "flash: {:?}", page.flash());
    let page = carol.post_page(id).await;
    assert_eq!(comment_count_heading(&page), 1);
    assert_eq!(listed(&carol, rust).await, vec![id]);
    assert_eq!(post_ids_in_list(&carol.get("/search?q=walrus").await), vec![id]);
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn the_admin_moderates_too() {
    let server = TestServer::start().await;
    let (alice, bob, _carol, rust) = three_users(&server).await;
    let id = bob.create_post(rust, "Spam", SOME_TEXT).await;
    alice.delete_post(id).await.expect_redirect(&format!("/posts/{id}"));
    // Its author is told it was removed and why (issue 18); others find nothing.
    let told = bob.get(&format!("/posts/{id}")).await;
    told.expect_status(StatusCode::OK);
    assert!(told.has(".removal-note"), "{}", told.body_excerpt());
    server.browser().get(&format!("/posts/{id}")).await.expect_status(StatusCode::NOT_FOUND);
    alice.restore_post(id).await.expect_redirect(&format!("/posts/{id}"));
    bob.post_page(id).await;
}

#[tokio::test]
async fn a_moderator_made_while_logged_in_can_restore_at_once() {
    // The role is granted by `forum grant-role` (another process) while the user is logged in and has
    // already browsed: the running server must not keep acting on the old role.
    let server = TestServer::start().await;
    let (_alice, bob, carol, rust) = three_users(&server).await;
    let id = bob.create_post(rust, "Will be restored", SOME_TEXT).await;
    bob.delete_post(id).await.expect_redirect("/");
    carol.home().await.expect_logged_in_as("carol");
    carol.restore_post(id).await.expect_status(StatusCode::NOT_FOUND);

    server.run_command(&["grant-role", "--name", "carol", "--role", "moderator"]).await.expect_success();
    let page = carol.restore_post(id).await;
    assert_eq!(
        page.status,
        StatusCode::SEE_OTHER,
        "carol is a moderator now (granted by `forum grant-role`), but her open session still acts as a member\n{}",
        page.body_excerpt()
    );
    bob.post_page(id).await;
}

// ---------------------------------------------------------------------------------------------------------
// Votes
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_vote_toggles_and_shows_on_the_page_and_in_the_list() {
    let server = TestServer::start().await;
    let (alice, bob, carol, rust) = three_users(&server).await;
    let id = alice.create_post(rust, "Vote for me", SOME_TEXT).await;

    let page = bob.post_page(id).await;
    assert!(page.has(&format!(r#"form[action="/posts/{id}/vote"] button[aria-pressed="false"]"#)));
    let resp = bob.vote_post(id).await;
    resp.expect_redirect(&format!("/posts/{id}#votes"));
    let page = bob.follow(&resp).await;
    assert!(page.flash().is_some_and(|f| f.contains("counted")), "flash: {:?}", page.flash());
    assert_eq!(post_votes(&page), 1);
    assert!(page.has(&format!(r#"form[action="/posts/{id}/vote"] button[aria-pressed="true"]"#)), "shown as voted");

    carol.vote_post(id).await.expect_redirect(&format!("/posts/{id}#votes"));
    assert_eq!(post_votes(&server.browser().post_page(id).await), 2);
    let list = alice.get(&format!("/categories/{rust}")).await;
    assert_eq!(list_counts(&list, id), Some((0, 2)));

    // Voting again takes it back.
    let resp = bob.vote_post(id).await;
    resp.expect_redirect(&format!("/posts/{id}#votes"));
    let page = bob.follow(&resp).await;
    assert!(page.flash().is_some_and(|f| f.contains("taken back")), "flash: {:?}", page.flash());
    assert_eq!(post_votes(&page), 1);
    assert!(page.has(&format!(r#"form[action="/posts/{id}/vote"] button[aria-pressed="false"]"#)));
    assert_eq!(list_counts(&alice.get(&format!("/categories/{rust}")).await, id), Some((0, 1)));
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn no_votes_on_ones_own_post_nor_logged_out() {
    let server = TestServer::start().await;
    let (alice, _bob, _carol, rust) = three_users(&server).await;
    let id = alice.create_post(rust, "Mine", SOME_TEXT).await;
    assert!(!alice.post_page(id).await.has(&format!(r#"form[action="/posts/{id}/vote"]"#)), "no vote button");
    let page = alice.vote_post(id).await;
    page.expect_status(StatusCode::FORBIDDEN).expect_layout();
    let anon = server.browser();
    let page = anon.vote_post(id).await;
    page.expect_status(StatusCode::SEE_OTHER);
    assert!(page.location().unwrap_or_default().starts_with("/login"));
    assert_eq!(post_votes(&anon.post_page(id).await), 0);
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn concurrent_votes_from_many_users_are_counted_exactly() {
    let server = TestServer::start().await;
    let author = server.user("author", "author@example.com").await;
    let rust = category_id(&author, "Rust").await;
    let id = author.create_post(rust, "Popular", SOME_TEXT).await;
    let mut voters = Vec::new();
    for i in 0..20 {
        voters.push(server.user(&format!("voter{i}"), &format!("voter{i}@example.com")).await);
    }

    // All twenty at once.
    let answers = join_all(voters.iter().map(|v| v.vote_post(id))).await;
    for page in &answers {
        page.expect_redirect(&format!("/posts/{id}#votes"));
    }
    assert_eq!(post_votes(&server.browser().post_page(id).await), 20);
    assert_eq!(list_counts(&author.get(&format!("/categories/{rust}")).await, id), Some((0, 20)));
    server.expect_read_model_consistent().await;

    // Half of them take it back, at once.
    let answers = join_all(voters.iter().step_by(2).map(|v| v.vote_post(id))).await;
    for page in &answers {
        page.expect_redirect(&format!("/posts/{id}#votes"));
    }
    assert_eq!(post_votes(&server.browser().post_page(id).await), 10);
    assert_eq!(list_counts(&author.get(&format!("/categories/{rust}")).await, id), Some((0, 10)));
    // Each voter sees their own state.
    for (i, v) in voters.iter().enumerate() {
        let voted =
            v.post_page(id).await.has(&format!(r#"form[action="/posts/{id}/vote"] button[aria-pressed="true"]"#));
        assert_eq!(voted, i % 2 == 1, "voter{i}");
    }
    server.expect_read_model_consistent().await;

    // The same user voting twice at once still ends with one vote or none, never two.
    let v = &voters[0];
    let (a, b) = tokio::join!(v.vote_post(id), v.vote_post(id));
    a.expect_redirect(&format!("/posts/{id}#votes"));
    b.expect_redirect(&format!("/posts/{id}#votes"));
    assert_eq!(post_votes(&server.browser().post_page(id).await), 10, "two toggles cancel out");
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn a_get_never_changes_anything() {
    let server = TestServer::start().await;
    let (alice, bob, _carol, rust) = three_users(&server).await;
    let id = alice.create_post(rust, "Safe from GETs", SOME_TEXT).await;
    let (cid, _) = bob.add_comment(id, "a comment").await;
    for path in [
        format!("/posts/{id}/vote"),
        format!("/posts/{id}/delete"),
        format!("/posts/{id}/restore"),
        format!("/posts/{id}/comments"),
        format!("/comments/{cid}/vote"),
        format!("/comments/{cid}/delete"),
        format!("/comments/{cid}/restore"),
        "/posts".to_string(),
    ] {
        let page = bob.get(&path).await;
        assert_eq!(page.status, StatusCode::METHOD_NOT_ALLOWED, "GET {path}\n{}", page.body_excerpt());
    }
    let page = bob.post_page(id).await;
    assert_eq!(post_votes(&page), 0);
    assert_eq!(comment_count_heading(&page), 1);
    assert_eq!(crate::common::content::comment_votes(&page, cid), Some(0));
    server.expect_read_model_consistent().await;
}

// ---------------------------------------------------------------------------------------------------------
// Unknown and malformed ids
// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_or_malformed_post_ids_are_404() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let id = alice.create_post(rust, "Exists", SOME_TEXT).await;
    let anon = server.browser();
    for bad in ["abc", "0", "-1", "999999", "1.5", "%20", "99999999999999999999999", &format!("{id}x")] {
        for path in [format!("/posts/{bad}"), format!("/posts/{bad}/history"), format!("/posts/{bad}/history.csv")] {
            let page = anon.get(&path).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "GET {path}\n{}", page.body_excerpt());
            page.expect_layout();
        }
        for path in [format!("/posts/{bad}/edit")] {
            alice.get(&path).await.expect_status(StatusCode::NOT_FOUND);
        }
        for path in [
            format!("/posts/{bad}/edit"),
            format!("/posts/{bad}/delete"),
            format!("/posts/{bad}/restore"),
            format!("/posts/{bad}/vote"),
            format!("/posts/{bad}/comments"),
        ] {
            let page = alice.post_form(&path, &[("title", "t"), ("content", "c")]).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "POST {path}\n{}", page.body_excerpt());
        }
    }
    for bad in ["abc", "0", "999999"] {
        anon.get(&format!("/categories/{bad}")).await.expect_status(StatusCode::NOT_FOUND);
        anon.get(&format!("/comments/{bad}/history")).await.expect_status(StatusCode::NOT_FOUND);
        alice.get(&format!("/comments/{bad}/edit")).await.expect_status(StatusCode::NOT_FOUND);
        for action in ["edit", "delete", "restore", "vote"] {
            let page = alice.post_form(&format!("/comments/{bad}/{action}"), &[("content", "c")]).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "POST /comments/{bad}/{action}\n{}", page.body_excerpt());
        }
    }
    // A post's page number that is not a number is the first page, not an error.
    anon.get(&format!("/posts/{id}?page=abc")).await.expect_status(StatusCode::OK);
    anon.get(&format!("/posts/{id}?page=0")).await.expect_status(StatusCode::OK);
    server.expect_read_model_consistent().await;
}

// ---------------------------------------------------------------------------------------------------------
// Stored XSS
// ---------------------------------------------------------------------------------------------------------

const XSS_TITLE: &str = r#"<script>alert("title")</script><img src=x onerror=alert(1)>"#;

const XSS_CONTENT: &str = r#"Hello <script>alert('body')</script>

<img src=x onerror="alert(2)"> <svg onload=alert(3)></svg>

[click me](javascript:alert(4)) and [again](JaVaScRiPt:alert(5)) and [tab](java	script:alert(6))

<a href="javascript:alert(7)">raw link</a> <iframe src="https://evil.example"></iframe>

<style>body { display: none }</style> <div onclick="alert(8)" style="color:red">div</div>

![pic](javascript:alert(9)) <javascript:alert(10)> [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMSk8L3NjcmlwdD4=)

<object data="x.swf"></object><embed src="x.swf"><form action="javascript:alert(12)"><button formaction="javascript:alert(13)">go</button></form>
"#;

#[tokio::test]
async fn stored_xss_in_titles_and_text_comes_back_inert() {
    let server = TestServer::start().await;
    let (alice, bob, _carol, rust) = three_users(&server).await;
    let programming = category_id(&alice, "Programming").await;
    let id = alice.create_post(rust, XSS_TITLE, XSS_CONTENT).await;

    let page = bob.post_page(id).await;
    assert_inert(&page);
    // The title is shown as the text it is.
    assert_eq!(page.text("h1").as_deref(), Some(XSS_TITLE));
    assert!(page.text("title").unwrap_or_default().contains(XSS_TITLE), "the <title> shows it as text");
    // Raw HTML in the text reads as text.
    let body = page.text(".post-body").unwrap();
    assert!(body.contains("<script>alert('body')</script>"), "the text shows the tag literally: {body}");
    assert!(body.contains("raw link"), "{body}");

    for path in [
        format!("/categories/{rust}"),
        format!("/categories/{programming}"),
        "/search?q=alert".to_string(),
        format!("/posts/{id}/history"),
        format!("/posts/{id}/edit"),
        "/".to_string(),
        "/users/alice".to_string(),
    ] {
        let page = alice.get(&path).await;
        page.expect_status(StatusCode::OK);
        assert_inert(&page);
    }
    let list = bob.get(&format!("/categories/{rust}")).await;
    assert_eq!(crate::common::content::titles_in_list(&list), vec![XSS_TITLE]);
    let search = bob.get("/search?q=alert").await;
    assert_eq!(post_ids_in_list(&search), vec![id]);

    // An edit with the same tricks, and the diff shows them as text.
    alice.edit_post(id, "<b onmouseover=alert(1)>bold?</b>", "<script>alert('v1')</script>\nplain").await;
    let history = bob.get(&format!("/posts/{id}/history")).await;
    assert_inert(&history);
    assert!(history.text("pre.diff ins").unwrap_or_default().contains("<script>alert('v1')</script>"));
    assert_inert(&bob.post_page(id).await);

    // A rejected form echoes what was typed without running it.
    let page = alice
        .submit_post(&rust.to_string(), &"<script>alert(1)</script>".repeat(20), "</textarea><script>alert(1)</script>")
        .await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_inert(&page);
    assert_eq!(
        textarea_value(&page, "content").unwrap().trim_start_matches('\n'),
        "</textarea><script>alert(1)</script>"
    );
    let page = alice.edit_post(id, "\"><script>alert(1)</script>", "").await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_inert(&page);
    assert_eq!(page.input_value("title").as_deref(), Some("\"><script>alert(1)</script>"));
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn a_search_query_is_echoed_inert() {
    let server = TestServer::start().await;
    let b = server.browser();
    let page = b.get("/search?q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    page.expect_status(StatusCode::OK);
    assert_inert(&page);
    assert_eq!(page.input_value("q").as_deref(), Some("\"><script>alert(1)</script>"));
}

#[tokio::test]
async fn a_resigned_authors_posts_stay_as_by_a_deleted_user() {
    let server = TestServer::start().await;
    let (alice, bob, _carol, rust) = three_users(&server).await;
    let id = bob.create_post(rust, "Bob leaves", SOME_TEXT).await;
    alice.add_comment(id, "Bye bob").await;
    let (cid, _) = bob.add_comment(id, "Bye all").await;
    bob.post_form("/settings/resign", &[("password", PASSWORD)]).await.expect_status(StatusCode::SEE_OTHER);

    let page = alice.post_page(id).await;
    assert_eq!(page.text("h1").as_deref(), Some("Bob leaves"));
    assert!(page.text(".post-meta .deleted-user").is_some(), "shown as a deleted user: {}", page.body_excerpt());
    assert!(!page.links().iter().any(|l| l == "/users/bob"), "no link to the old name");
    assert!(page.text(&format!(r#"li[id="comment-{cid}"] .deleted-user"#)).is_some());
    let list = alice.get(&format!("/categories/{rust}")).await;
    assert!(list.has("ol.post-list .deleted-user"));
    server.expect_read_model_consistent().await;
}
