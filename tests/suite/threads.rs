//! Locked, pinned and moved threads (issue 18): each with a required reason, by the moderators
//! of the thread's board only. Black-box through HTTP.

use crate::common::content::{category_id, field_value, post_ids_in_list, textarea_value};
use crate::common::{Browser, Page, TestServer};
use reqwest::StatusCode;

/// POSTs one of the tools (`lock`, `unlock`, `pin`, `unpin`, `move`) with a reason.
async fn tool(b: &Browser, post: i64, action: &str, reason: &str, category: Option<i64>) -> Page {
    let category = category.map(|c| c.to_string()).unwrap_or_default();
    b.post_form(&format!("/posts/{post}/{action}"), &[("reason", reason), ("category", &category)]).await
}

/// The forum of these tests: alice (admin), bob (author), carol (member), dave (moderator of
/// Programming), erin (moderator of General), mia (global moderator).
struct Forum {
    server: TestServer,
    admin: Browser,
    author: Browser,
    member: Browser,
    board_moderator: Browser,
    other_board_moderator: Browser,
    global: Browser,
}

async fn forum() -> Forum {
    let server = TestServer::start().await;
    let admin = server.user("alice", "alice@example.com").await; // the first account is the admin
    let author = server.user("bob", "bob@example.com").await;
    let member = server.user("carol", "carol@example.com").await;
    let board_moderator = server.user("dave", "dave@example.com").await;
    let other_board_moderator = server.user("erin", "erin@example.com").await;
    let global = server.moderator("mia").await;
    for (name, board) in [("dave", "Programming"), ("erin", "General")] {
        let board = category_id(&admin, board).await.to_string();
        admin
            .post_form("/admin/moderators", &[("name", name), ("category", &board)])
            .await
            .expect_redirect("/admin/moderators");
    }
    Forum { server, admin, author, member, board_moderator, other_board_moderator, global }
}

#[tokio::test]
async fn only_the_moderators_of_a_threads_board_lock_pin_and_move_it() {
    let f = forum().await;
    let rust = category_id(&f.admin, "Rust").await;
    let web = category_id(&f.admin, "Web").await;
    let general = category_id(&f.admin, "General").await;
    let post = f.author.create_post(rust, "Borrowing", "A question about lifetimes").await;

    // Members (the author too) and the moderator of another board are refused, and see no tools.
    for (who, b) in
        [("member", &f.member), ("author", &f.author), ("moderator of another board", &f.other_board_moderator)]
    {
        assert!(!b.post_page(post).await.has(".thread-tools"), "{who} sees no moderator tools");
        for action in ["lock", "unlock", "pin", "unpin", "move"] {
            let page = tool(b, post, action, "because", Some(web)).await;
            page.expect_status(StatusCode::FORBIDDEN);
            assert!(
                page.visible_text().contains("Only the moderators of this board"),
                "{who} {action}: {}",
                page.body_excerpt()
            );
        }
    }
    f.member.post_page(post).await;

    // The board moderator, a global moderator and the admin may each do everything.
    for (who, b) in [("board moderator", &f.board_moderator), ("global moderator", &f.global), ("admin", &f.admin)] {
        let page = b.post_page(post).await;
        assert!(
            page.has(&format!(r#"form[action="/posts/{post}/lock"] input[name="reason"]"#)),
            "{who} sees the lock form"
        );
        for (action, mark) in [("lock", "Locked"), ("pin", "Pinned")] {
            tool(b, post, action, &format!("{who} says so"), None).await.expect_redirect(&format!("/posts/{post}"));
            let page = b.post_page(post).await;
            assert!(
                page.text(".thread-marks").is_some_and(|t| t.contains(mark)),
                "{who} {action}: {}",
                page.body_excerpt()
            );
        }
        for action in ["unlock", "unpin"] {
            tool(b, post, action, "done", None).await.expect_redirect(&format!("/posts/{post}"));
        }
        assert!(!b.post_page(post).await.has(".thread-marks"), "{who}: unlocked and unpinned");
        let (to, back) = (web, rust);
        tool(b, post, "move", "wrong category", Some(to)).await.expect_redirect(&format!("/posts/{post}"));
        tool(b, post, "move", "right after all", Some(back)).await.expect_redirect(&format!("/posts/{post}"));
    }

    // A board moderator moves only between the boards they moderate.
    let page = tool(&f.board_moderator, post, "move", "wrong board", Some(general)).await;
    page.expect_status(StatusCode::FORBIDDEN);
    assert!(page.visible_text().contains("only into boards you moderate"), "{}", page.body_excerpt());
    let options = f.board_moderator.post_page(post).await.attrs("#move-category option", "value");
    assert!(!options.contains(&general.to_string()) && options.contains(&web.to_string()), "{options:?}");
    let options = f.global.post_page(post).await.attrs("#move-category option", "value");
    assert!(options.contains(&general.to_string()), "a global moderator may move anywhere: {options:?}");

    // A reason is required: the form comes back with the error and the destination kept.
    let page = tool(&f.board_moderator, post, "move", "   ", Some(web)).await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text("#move-reason-error").is_some_and(|t| t.contains("Say why")), "{}", page.body_excerpt());
    assert_eq!(page.attrs("#move-category option[selected]", "value"), vec![web.to_string()]);
    let page = tool(&f.board_moderator, post, "lock", &"x".repeat(501), None).await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_value(&page, "reason").map(|r| r.len()), Some(501), "the long reason is kept to be shortened");
    assert!(!f.board_moderator.post_page(post).await.has(".thread-marks"), "nothing was done");
    f.server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn a_locked_thread_refuses_comments_and_edits_and_keeps_what_was_typed() {
    let f = forum().await;
    let rust = category_id(&f.admin, "Rust").await;
    let post = f.author.create_post(rust, "Hot topic", "Tabs or spaces?").await;
    let (comment, _) = f.author.add_comment(post, "Spaces, obviously").await;
    assert!(f.member.post_page(post).await.has(r#"textarea[name="content"]"#), "the form is open before the lock");

    tool(&f.board_moderator, post, "lock", "Heated beyond repair", None)
        .await
        .expect_redirect(&format!("/posts/{post}"));
    let page = f.member.post_page(post).await;
    assert!(page.text(".thread-locked").is_some_and(|t| t.contains("Heated beyond repair")), "{}", page.body_excerpt());
    assert!(!page.has(r#"textarea[name="content"]"#), "the comment form gives way to the notice");
    let list = f.server.browser().get(&format!("/categories/{rust}")).await;
    assert!(list.text(".post-row .mark-locked").is_some(), "the list row is marked: {}", list.body_excerpt());

    // A comment from a form opened before the lock: 409, the message, the text kept.
    let page = f.member.submit_comment(post, "But tabs are accessible").await;
    page.expect_status(StatusCode::CONFLICT);
    assert!(page.error_summary().is_some_and(|t| t.contains("locked this thread")), "{}", page.body_excerpt());
    assert_eq!(textarea_value(&page, "content").as_deref(), Some("But tabs are accessible"));
    assert_eq!(f.member.post_page(post).await.texts(".comment-body").len(), 1, "nothing was added");

    // The author's edits are refused the same way, the text kept.
    let page = f.author.edit_post(post, "Hot topic (edited)", "Tabs!").await;
    page.expect_status(StatusCode::CONFLICT);
    assert_eq!(textarea_value(&page, "content").as_deref(), Some("Tabs!"));
    let page = f.author.edit_comment(comment, "Tabs, actually").await;
    page.expect_status(StatusCode::CONFLICT);
    assert_eq!(textarea_value(&page, "content").as_deref(), Some("Tabs, actually"));
    f.author.get(&format!("/posts/{post}/edit")).await.expect_status(StatusCode::FORBIDDEN);
    let page = f.author.post_page(post).await;
    assert!(!page.has(&format!(r#"a[href="/posts/{post}/edit"]"#)), "no edit link while locked");

    // Its board's moderators still comment (to say why, or what next).
    let page = f.board_moderator.post_page(post).await;
    assert!(page.has(r#"textarea[name="content"]"#), "a moderator keeps the comment form");
    f.board_moderator.add_comment(post, "Locked: see the rules.").await;

    tool(&f.global, post, "unlock", "Cooled down", None).await.expect_redirect(&format!("/posts/{post}"));
    f.member.add_comment(post, "But tabs are accessible").await;
    f.author.edit_post(post, "Hot topic (edited)", "Tabs!").await.expect_status(StatusCode::SEE_OTHER);
    f.server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn pinned_posts_head_the_first_page_and_no_other() {
    let f = forum().await;
    let rust = category_id(&f.admin, "Rust").await;
    let programming = category_id(&f.admin, "Programming").await;
    let mut posts = Vec::new();
    for i in 0..24 {
        posts.push(f.author.create_post(rust, &format!("Post {i}"), "text").await);
    }
    let visitor = f.server.browser();
    let rust_list = format!("/categories/{rust}");
    let before = post_ids_in_list(&visitor.get(&rust_list).await);
    assert_eq!(before[0], posts[23], "newest first before any pin");

    // Pinned: the older post pinned last comes first, then the one pinned before it.
    tool(&f.board_moderator, posts[2], "pin", "Rules", None).await.expect_redirect(&format!("/posts/{}", posts[2]));
    tool(&f.board_moderator, posts[5], "pin", "FAQ", None).await.expect_redirect(&format!("/posts/{}", posts[5]));
    for list in [rust_list.clone(), format!("/categories/{programming}")] {
        let page = visitor.get(&list).await;
        let ids = post_ids_in_list(&page);
        assert_eq!(
            &ids[..3],
            &[posts[5], posts[2], posts[23]],
            "{list}: the pins first, from the cache dropped by the pin"
        );
        assert_eq!(page.texts(".post-row .mark-pinned").len(), 2, "{list}: both marked");
        let older = page.attrs(r#"a[rel="next"]"#, "href");
        let next = visitor.get(&older[0]).await;
        let mut all: Vec<i64> = ids.iter().chain(post_ids_in_list(&next).iter()).copied().collect();
        assert!(!post_ids_in_list(&next).contains(&posts[2]), "{list}: a pin is not repeated on the next page");
        all.sort();
        assert_eq!(all, posts, "{list}: every post once, none skipped");
    }
    // The page after a pin is served again (from the cache) with the pins.
    assert_eq!(&post_ids_in_list(&visitor.get(&rust_list).await)[..2], &[posts[5], posts[2]]);

    tool(&f.global, posts[5], "unpin", "Outdated", None).await.expect_redirect(&format!("/posts/{}", posts[5]));
    let ids = post_ids_in_list(&visitor.get(&rust_list).await);
    assert_eq!(&ids[..2], &[posts[2], posts[23]], "unpinned, it goes back to its place");
    f.server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn a_moved_post_leaves_one_list_for_another() {
    let f = forum().await;
    let rust = category_id(&f.admin, "Rust").await;
    let databases = category_id(&f.admin, "Databases").await;
    let news = category_id(&f.admin, "Announcements").await;
    let general = category_id(&f.admin, "General").await;
    let post = f.author.create_post(rust, "SQLite or MariaDB", "Which one?").await;
    f.member.add_comment(post, "Both").await;
    let visitor = f.server.browser();
    for list in [rust, databases, news, general] {
        visitor.get(&format!("/categories/{list}")).await.expect_status(StatusCode::OK); // cached
    }

    tool(&f.board_moderator, post, "move", "Belongs with databases", Some(databases))
        .await
        .expect_redirect(&format!("/posts/{post}"));
    assert!(!post_ids_in_list(&visitor.get(&format!("/categories/{rust}")).await).contains(&post));
    assert!(post_ids_in_list(&visitor.get(&format!("/categories/{databases}")).await).contains(&post));
    let crumbs = visitor.get(&format!("/posts/{post}")).await.texts(".breadcrumb li");
    assert_eq!(crumbs[1..], ["Programming".to_string(), "Databases".to_string()], "the breadcrumb follows");

    // Across boards, by a global moderator.
    tool(&f.global, post, "move", "Really news", Some(news)).await.expect_redirect(&format!("/posts/{post}"));
    assert!(!post_ids_in_list(&visitor.get(&format!("/categories/{databases}")).await).contains(&post));
    assert!(post_ids_in_list(&visitor.get(&format!("/categories/{news}")).await).contains(&post));
    assert!(
        post_ids_in_list(&visitor.get(&format!("/categories/{general}")).await).contains(&post),
        "the board lists it too"
    );
    let crumbs = visitor.get(&format!("/posts/{post}")).await.texts(".breadcrumb li");
    assert_eq!(crumbs[1..], ["General".to_string(), "Announcements".to_string()]);
    let found = visitor.get("/search?q=MariaDB").await;
    assert!(post_ids_in_list(&found).contains(&post), "search still finds it: {}", found.body_excerpt());
    // A removed post moves without its counts; restored, it counts where it is.
    f.admin.delete_post(post).await;
    tool(&f.admin, post, "move", "Back", Some(rust)).await.expect_redirect(&format!("/posts/{post}"));
    f.admin.restore_post(post).await;
    f.server.expect_read_model_consistent().await;
}
