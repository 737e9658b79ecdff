//! Post lists of boards and categories: newest first, 20 a page, keyset links to older and newer pages
//! (`?before=ID` rel=next, `?after=ID` rel=prev), a board showing its categories' posts, counts.

use crate::common::content::{
    SOME_TEXT, category_id, comment_count_heading, list_counts, post_ids_in_list, post_votes, titles_in_list,
};
use crate::common::{Browser, Page, TestServer};
use reqwest::StatusCode;

/// The "Older posts" (rel=next) and "Newer posts" (rel=prev) links of a list page, checked to agree with
/// the `<link rel>` elements in the head.
fn pager(page: &Page) -> (Option<String>, Option<String>) {
    let older = page.attrs(r#"nav.pager a[rel="next"]"#, "href");
    let newer = page.attrs(r#"nav.pager a[rel="prev"]"#, "href");
    assert!(older.len() <= 1 && newer.len() <= 1, "{}: at most one link each way", page.path);
    assert_eq!(page.attrs(r#"head link[rel="next"]"#, "href"), older, "{}: <link rel=next> matches", page.path);
    assert_eq!(page.attrs(r#"head link[rel="prev"]"#, "href"), newer, "{}: <link rel=prev> matches", page.path);
    if let Some(o) = older.first() {
        assert!(page.text(r#"nav.pager a[rel="next"]"#).unwrap().contains("Older posts"), "{o}");
    }
    if let Some(n) = newer.first() {
        assert!(page.text(r#"nav.pager a[rel="prev"]"#).unwrap().contains("Newer posts"), "{n}");
    }
    (
        older.into_iter().next().map(|h| crate::common::percent_decode(&h)),
        newer.into_iter().next().map(|h| crate::common::percent_decode(&h)),
    )
}

/// Walks a list from `start` along the older links; returns the pages' post ids and the last page's path.
async fn walk_older(b: &Browser, start: &str) -> (Vec<Vec<i64>>, String) {
    let mut pages = Vec::new();
    let mut path = start.to_string();
    loop {
        let page = b.get(&path).await;
        page.expect_status(StatusCode::OK);
        pages.push(post_ids_in_list(&page));
        let (older, _) = pager(&page);
        match older {
            Some(next) => {
                assert!(next.contains("before="), "an older link is keyed by id: {next}");
                path = next;
            }
            None => return (pages, path),
        }
        assert!(pages.len() < 50, "the older links never end");
    }
}

/// Walks a list from `start` along the newer links; the last of them leads to the list itself.
async fn walk_newer(b: &Browser, start: &str) -> Vec<Vec<i64>> {
    let list = start.split('?').next().unwrap().to_string();
    let mut pages = Vec::new();
    let mut path = start.to_string();
    loop {
        let page = b.get(&path).await;
        page.expect_status(StatusCode::OK);
        pages.push(post_ids_in_list(&page));
        let (_, newer) = pager(&page);
        match newer {
            Some(next) => {
                assert!(next.contains("after=") || next == list, "a newer link is keyed by id or is the list: {next}");
                path = next;
            }
            None => return pages,
        }
        assert!(pages.len() < 50, "the newer links never end");
    }
}

#[tokio::test]
async fn forty_five_posts_walk_older_and_newer_each_exactly_once_in_order() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let programming = category_id(&alice, "Programming").await;
    let rust = category_id(&alice, "Rust").await;
    let web = category_id(&alice, "Web").await;

    // 45 posts in the board: every fifth in Web, the others in Rust, some by bob.
    let mut all = Vec::new();
    let mut in_rust = Vec::new();
    let mut in_web = Vec::new();
    for i in 0..45 {
        let (category, list) = if i % 5 == 4 { (web, &mut in_web) } else { (rust, &mut in_rust) };
        let author = if i % 3 == 0 { &bob } else { &alice };
        let id = author.create_post(category, &format!("Post number {i}"), SOME_TEXT).await;
        list.push(id);
        all.push(id);
    }
    let newest_first = |ids: &[i64]| ids.iter().rev().copied().collect::<Vec<i64>>();

    for (name, category, ids, sizes) in [
        ("the board", programming, &all, vec![20, 20, 5]),
        ("Rust", rust, &in_rust, vec![20, 16]),
        ("Web", web, &in_web, vec![9]),
    ] {
        let first = format!("/categories/{category}");
        let (pages, last) = walk_older(&alice, &first).await;
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), sizes, "{name}: page sizes");
        let seen: Vec<i64> = pages.concat();
        assert_eq!(seen, newest_first(ids), "{name}: every post once, newest first");

        // Back from the last page along the newer links: the same pages in reverse.
        let back = walk_newer(&alice, &last).await;
        let mut expected = pages.clone();
        expected.reverse();
        assert_eq!(back, expected, "{name}: the newer links retrace the pages");
        // The first page has no newer link, the last no older one.
        let first_page = alice.get(&first).await;
        assert_eq!(pager(&first_page).1, None, "{name}: nothing newer than the newest page");
    }

    // Titles and counts show in the rows.
    let page = alice.get(&format!("/categories/{web}")).await;
    assert_eq!(titles_in_list(&page)[0], "Post number 44");
    assert_eq!(list_counts(&page, all[44]), Some((0, 0)));
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn keyset_pages_stay_put_while_new_posts_arrive_and_old_ones_go() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let mut ids = Vec::new();
    for i in 0..30 {
        ids.push(alice.create_post(rust, &format!("Item {i}"), SOME_TEXT).await);
    }
    let first = alice.get(&format!("/categories/{rust}")).await;
    let (older, _) = pager(&first);
    let older = older.expect("an older link after 20 posts");
    assert_eq!(older, format!("/categories/{rust}?before={}", ids[10]), "keyed by the last id shown");

    // Three new posts and one deleted post on page two, between reading page one and clicking "older".
    for i in 0..3 {
        alice.create_post(rust, &format!("Late {i}"), SOME_TEXT).await;
    }
    alice.delete_post(ids[5]).await.expect_status(StatusCode::SEE_OTHER);
    let second = alice.get(&older).await;
    second.expect_status(StatusCode::OK);
    let expected: Vec<i64> = ids[..10].iter().rev().copied().filter(|id| *id != ids[5]).collect();
    assert_eq!(post_ids_in_list(&second), expected, "page two neither repeats nor skips");
    assert_eq!(pager(&second).0, None, "the oldest page");
    let newer = pager(&second).1.expect("a newer link from page two");
    let back = alice.get(&newer).await;
    assert_eq!(post_ids_in_list(&back), ids[10..30].iter().rev().copied().collect::<Vec<_>>());
    assert!(pager(&back).1.is_some(), "the new posts are newer still");
}

#[tokio::test]
async fn odd_cursors_are_harmless() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let id = alice.create_post(rust, "Only one", SOME_TEXT).await;
    for query in ["?before=abc", "?after=-1", "?before=0", "?before=", "?after=%27%20OR%201=1", "?page=7"] {
        let page = alice.get(&format!("/categories/{rust}{query}")).await;
        page.expect_status(StatusCode::OK);
        assert_eq!(post_ids_in_list(&page), vec![id], "{query}: the newest page");
    }
    let page = alice.get(&format!("/categories/{rust}?before={id}")).await;
    page.expect_status(StatusCode::OK);
    assert!(post_ids_in_list(&page).is_empty());
    assert!(page.text("p.empty").is_some(), "an empty page says so");
    // Nothing is newer than the newest post: that is the first page, at its own address.
    alice.get(&format!("/categories/{rust}?after={id}")).await.expect_redirect(&format!("/categories/{rust}"));
}

#[tokio::test]
async fn the_newer_link_back_to_the_top_is_the_first_page_with_its_pins() {
    let server = TestServer::start().await;
    let admin = server.user("alice", "alice@example.com").await;
    let programming = category_id(&admin, "Programming").await;
    let rust = category_id(&admin, "Rust").await;
    let mut ids = Vec::new();
    for i in 0..50 {
        ids.push(admin.create_post(rust, &format!("Post number {i}"), SOME_TEXT).await);
    }
    let pinned = ids[0];
    admin
        .post_form(&format!("/posts/{pinned}/pin"), &[("reason", "House rules"), ("category", "")])
        .await
        .expect_redirect(&format!("/posts/{pinned}"));
    let board = format!("/categories/{programming}");
    let unpinned: Vec<i64> = ids[1..].iter().rev().copied().collect();

    // The first page: the pin, then the 20 newest; then 20 and 9 more.
    let first = admin.get(&board).await;
    assert_eq!(post_ids_in_list(&first)[0], pinned, "the pin heads the first page");
    let second_href = pager(&first).0.expect("a second page");
    let second = admin.get(&second_href).await;
    assert_eq!(post_ids_in_list(&second), unpinned[20..40]);
    let third_href = pager(&second).0.expect("a third page");
    let third = admin.get(&third_href).await;
    assert_eq!(post_ids_in_list(&third), unpinned[40..]);

    // From page 3, "newer" is page 2 as a keyset page.
    let back_to_second = pager(&third).1.expect("a newer link from page 3");
    assert!(back_to_second.contains("after="), "{back_to_second}");
    let page = admin.get(&back_to_second).await;
    page.expect_status(StatusCode::OK);
    assert_eq!(post_ids_in_list(&page), unpinned[20..40], "page 2 again");

    // From page 2 (either way it was reached), "newer" is the list itself: the first page with its pin.
    for page in [second, page] {
        let newer = pager(&page).1.expect("a newer link from page 2");
        assert_eq!(newer, board, "no after= on the way back to the top");
        let top = admin.get(&newer).await;
        let shown = post_ids_in_list(&top);
        assert_eq!(shown[0], pinned, "the pin first");
        assert_eq!(shown[1..], unpinned[..20]);
        assert_eq!(pager(&top).1, None, "nothing newer than the top");
    }
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn a_category_page_shows_its_place_and_a_way_to_write() {
    let server = TestServer::start().await;
    let b = server.browser();
    let programming = category_id(&b, "Programming").await;
    let rust = category_id(&b, "Rust").await;
    let page = b.get(&format!("/categories/{rust}")).await;
    page.expect_status(StatusCode::OK).expect_layout();
    assert_eq!(page.text("h1").as_deref(), Some("Rust"));
    assert!(page.has(&format!(r#"nav.breadcrumb a[href="/categories/{programming}"]"#)), "the board in the breadcrumb");
    assert!(page.has(&format!(r#"a[href="/posts/new?category={rust}"]"#)), "a link to write here");
    assert!(page.has(&format!(r#"form[action="/search"] input[name="category"][value="{rust}"]"#)), "search within");
    assert!(page.text("p.empty").is_some(), "an empty category says so");
    let board = b.get(&format!("/categories/{programming}")).await;
    assert!(board.has(&format!(r#"a[href="/categories/{rust}"]"#)), "a board links its categories");
}

#[tokio::test]
async fn list_rows_show_author_category_times_and_counts() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let programming = category_id(&alice, "Programming").await;
    let rust = category_id(&alice, "Rust").await;
    let id = alice.create_post(rust, "Counted", SOME_TEXT).await;
    bob.add_comment(id, "one").await;
    let (c2, _) = bob.add_comment(id, "two").await;
    bob.vote_post(id).await.expect_status(StatusCode::SEE_OTHER);
    alice.edit_post(id, "Counted and edited", SOME_TEXT).await.expect_status(StatusCode::SEE_OTHER);

    for category in [rust, programming] {
        let page = bob.get(&format!("/categories/{category}")).await;
        assert_eq!(list_counts(&page, id), Some((2, 1)));
        let meta = page.text("ol.post-list li.post-row .post-meta").unwrap();
        assert!(meta.contains("alice"), "author: {meta}");
        assert!(meta.contains("Rust"), "category: {meta}");
        assert!(meta.contains("edited"), "the last edit: {meta}");
        assert!(page.has(r#"ol.post-list li.post-row .post-meta a[href="/users/alice"]"#));
        assert!(page.has(&format!(r#"ol.post-list li.post-row .post-meta a[href="/categories/{rust}"]"#)));
        assert!(page.has("ol.post-list li.post-row .post-meta time[datetime]"));
        assert_eq!(titles_in_list(&page), vec!["Counted and edited"]);
    }
    bob.delete_comment(c2).await.expect_status(StatusCode::SEE_OTHER);
    bob.vote_post(id).await.expect_status(StatusCode::SEE_OTHER);
    let page = bob.get(&format!("/categories/{rust}")).await;
    assert_eq!(list_counts(&page, id), Some((1, 0)), "counts follow removals and taken-back votes");
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn a_renamed_author_and_category_show_everywhere() {
    let server = TestServer::start().await;
    let admin = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let rust = category_id(&admin, "Rust").await;
    let id = bob.create_post(rust, "By bob", SOME_TEXT).await;
    let (cid, _) = bob.add_comment(id, "Also by bob").await;
    // Warm every cache first.
    admin.get(&format!("/categories/{rust}")).await;
    admin.post_page(id).await;

    bob.post_form("/settings/profile", &[("name", "robert"), ("email", "bob@example.com")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let list = admin.get(&format!("/categories/{rust}")).await;
    assert!(list.has(r#"ol.post-list .post-meta a[href="/users/robert"]"#), "{}", list.body_excerpt());
    let meta = list.text("ol.post-list .post-meta").unwrap();
    assert!(!meta.contains("bob"), "the old name is gone from the list: {meta}");
    let page = admin.post_page(id).await;
    assert!(page.has(r#".post-meta a[href="/users/robert"]"#));
    assert!(page.has(&format!(r#"li[id="comment-{cid}"] a[href="/users/robert"]"#)));
    let found = admin.get("/search?q=robert").await;
    assert_eq!(post_ids_in_list(&found), vec![id], "search finds the new name");

    // The admin renames the category.
    admin
        .post_form(&format!("/admin/categories/{rust}/rename"), &[("name", "Rustlang")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let list = admin.get(&format!("/categories/{rust}")).await;
    assert_eq!(list.text("h1").as_deref(), Some("Rustlang"));
    assert!(list.text("ol.post-list .post-meta").unwrap().contains("Rustlang"), "{}", list.body_excerpt());
    let page = admin.post_page(id).await;
    assert!(page.text("nav.breadcrumb").unwrap().contains("Rustlang"));
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn posts_written_at_the_same_time_are_each_listed_once() {
    let server = TestServer::start().await;
    let rust = category_id(&server.browser(), "Rust").await;
    let mut writers = Vec::new();
    for i in 0..10 {
        writers.push(server.user(&format!("writer{i}"), &format!("writer{i}@example.com")).await);
    }
    let mut ids = Vec::new();
    for round in 0..3 {
        let titles: Vec<String> = (0..writers.len()).map(|i| format!("W{i} R{round}")).collect();
        let rust_s = rust.to_string();
        let batch = crate::common::content::join_all(
            writers.iter().zip(&titles).map(|(w, t)| w.submit_post(&rust_s, t, SOME_TEXT)),
        )
        .await;
        for page in batch {
            page.expect_status(StatusCode::SEE_OTHER);
            ids.push(crate::common::content::post_id_of(&page.location().unwrap()));
        }
    }
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 30, "every post got its own id: {ids:?}");
    let (pages, _) = walk_older(&server.browser(), &format!("/categories/{rust}")).await;
    assert_eq!(pages.concat(), unique.iter().rev().copied().collect::<Vec<_>>(), "each once, newest first");
    let home = server.browser().home().await;
    assert_eq!(crate::common::content::front_page_count(&home, rust), Some(30));
    server.expect_read_model_consistent().await;
}

/// With the cache off every page is read from the database as it is; on SQLite most of those
/// reads run on connections of their own, beside the pool that writes. Each write must show
/// on the very next page, for the writer and for anyone else.
#[tokio::test]
async fn with_the_cache_off_each_write_shows_on_the_next_page() {
    let server = TestServer::options().env("FORUM_CACHE", "off").start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let list = format!("/categories/{rust}");

    let mut ids = Vec::new();
    for i in 0..25 {
        let id = alice.create_post(rust, &format!("Item {i}"), SOME_TEXT).await;
        ids.push(id);
        for reader in [&alice, &bob] {
            let page = reader.get(&list).await;
            assert_eq!(post_ids_in_list(&page).first(), Some(&id), "post {i} tops the list at once");
        }
    }

    let newest = ids[24];
    bob.add_comment(newest, "A first comment.").await;
    bob.vote_post(newest).await.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(list_counts(&alice.get(&list).await, newest), Some((1, 1)), "(comments, votes) in the list");
    let post = alice.post_page(newest).await;
    assert_eq!((comment_count_heading(&post), post_votes(&post)), (1, 1), "and on the post's page");

    alice.edit_post(newest, "Renamed", SOME_TEXT).await.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(titles_in_list(&bob.get(&list).await).first().map(String::as_str), Some("Renamed"));

    alice.delete_post(newest).await.expect_status(StatusCode::SEE_OTHER);
    let first = bob.get(&list).await;
    let expected: Vec<i64> = ids[4..24].iter().rev().copied().collect();
    assert_eq!(post_ids_in_list(&first), expected, "the deleted post left the list");
    let older = pager(&first).0.expect("an older page");
    let expected: Vec<i64> = ids[..4].iter().rev().copied().collect();
    assert_eq!(post_ids_in_list(&bob.get(&older).await), expected);
    server.expect_read_model_consistent().await;
}
