//! Moderation: board moderators (issue 18, part 1). Black-box through HTTP.

use crate::common::content::category_id;
use crate::common::{Browser, TestServer};
use reqwest::StatusCode;

/// Removes a post as `b`, then restores it as `b`: the status of each.
async fn remove_and_restore(b: &Browser, post: i64) -> (StatusCode, StatusCode) {
    let removed = b.delete_post(post).await.status;
    let restored = b.restore_post(post).await.status;
    (removed, restored)
}

#[tokio::test]
async fn a_board_moderator_acts_on_their_board_and_its_categories_only() {
    let server = TestServer::start().await;
    let admin = server.user("alice", "alice@example.com").await; // the first account is the admin
    let bob = server.user("bob", "bob@example.com").await;
    let member = server.user("carol", "carol@example.com").await;
    let board_moderator = server.user("dave", "dave@example.com").await;
    let other_board_moderator = server.user("erin", "erin@example.com").await;
    let global = server.moderator("mia").await;
    let programming = category_id(&admin, "Programming").await;
    let general = category_id(&admin, "General").await;
    let rust = category_id(&admin, "Rust").await;

    // The admin lists dave for Programming and erin for General.
    for (name, board) in [("dave", programming), ("erin", general)] {
        let resp = admin.post_form("/admin/moderators", &[("name", name), ("category", &board.to_string())]).await;
        resp.expect_redirect("/admin/moderators");
    }
    let page = admin.get("/admin/moderators").await;
    page.expect_status(StatusCode::OK);
    assert!(page.visible_text().contains("dave") && page.visible_text().contains("erin"), "{}", page.body_excerpt());
    server.expect_read_model_consistent().await;

    // A post in Rust, a category of Programming.
    let post = bob.create_post(rust, "Borrowing", "A question about lifetimes").await;
    for (who, b) in [("member", &member), ("moderator of another board", &other_board_moderator)] {
        assert_eq!(b.delete_post(post).await.status, StatusCode::FORBIDDEN, "{who} may not remove");
    }
    assert!(
        board_moderator.post_page(post).await.has(&format!(r#"form[action="/posts/{post}/delete"]"#)),
        "the board moderator sees the delete button"
    );
    for (who, b) in [("board moderator", &board_moderator), ("global moderator", &global), ("admin", &admin)] {
        assert_eq!(remove_and_restore(b, post).await, (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER), "{who}");
    }
    // Removed by the board moderator: the moderator of another board neither sees nor restores it.
    board_moderator.delete_post(post).await.expect_redirect(&format!("/posts/{post}"));
    other_board_moderator.get(&format!("/posts/{post}")).await.expect_status(StatusCode::NOT_FOUND);
    other_board_moderator.restore_post(post).await.expect_status(StatusCode::NOT_FOUND);
    board_moderator.restore_post(post).await.expect_redirect(&format!("/posts/{post}"));

    // Comments too.
    let (comment, _) = member.add_comment(post, "Try an explicit lifetime").await;
    other_board_moderator.delete_comment(comment).await.expect_status(StatusCode::FORBIDDEN);
    board_moderator.delete_comment(comment).await.expect_status(StatusCode::SEE_OTHER);
    board_moderator.restore_comment(comment).await.expect_status(StatusCode::SEE_OTHER);
    server.expect_read_model_consistent().await;

    // Taken off the board: from the next request on, dave is a member again.
    let page = admin.get("/admin/moderators").await;
    let remove = page
        .attrs("form[action$=\"/remove\"]", "action")
        .into_iter()
        .find(|action| action.ends_with(&format!("/{programming}/remove")))
        .expect("a remove button for dave");
    admin.post_form(&remove, &[]).await.expect_redirect("/admin/moderators");
    board_moderator.delete_post(post).await.expect_status(StatusCode::FORBIDDEN);
    server.expect_read_model_consistent().await;
}

#[tokio::test]
async fn only_admins_choose_board_moderators_and_a_wrong_name_is_shown_again() {
    let server = TestServer::start().await;
    let admin = server.user("alice", "alice@example.com").await;
    let global = server.moderator("mia").await;
    let programming = category_id(&admin, "Programming").await.to_string();
    let form = [("name", "mia"), ("category", programming.as_str())];
    global.post_form("/admin/moderators", &form).await.expect_status(StatusCode::FORBIDDEN);
    global.get("/admin/moderators").await.expect_status(StatusCode::FORBIDDEN);

    let page = admin.post_form("/admin/moderators", &[("name", "nobody"), ("category", programming.as_str())]).await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.visible_text().contains("No user has this name"), "{}", page.body_excerpt());
    assert!(page.has(r#"input[name="name"][value="nobody"]"#), "what was typed is kept");
    let rust = category_id(&admin, "Rust").await.to_string();
    let page = admin.post_form("/admin/moderators", &[("name", "mia"), ("category", rust.as_str())]).await;
    page.expect_status(StatusCode::FORBIDDEN);
}
