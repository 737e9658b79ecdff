//! The moderators' tools together (issue 18 with 19): every action on a thread and every
//! resolution of reports is listed in the public moderation log with its reason, and the
//! author is told in their notifications. Black-box through HTTP, on either backend.

use crate::common::content::category_id;
use crate::common::{Page, TestServer};
use reqwest::StatusCode;

/// The log's entries as (what, why) texts, newest first.
fn logged(page: &Page) -> Vec<(String, String)> {
    page.expect_status(StatusCode::OK);
    let (what, why) = (page.texts("tr.modlog-entry td.what"), page.texts("tr.modlog-entry td.why"));
    what.into_iter().zip(why).collect()
}

#[tokio::test]
async fn thread_actions_and_report_resolutions_are_logged_and_told_to_the_author() {
    let server = TestServer::start().await;
    let admin = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let carol = server.user("carol", "carol@example.com").await;
    let mia = server.moderator("mia").await;
    let rust = category_id(&admin, "Rust").await;
    let web = category_id(&admin, "Web").await;
    let post = bob.create_post(rust, "A heated thread", "an opinion").await;

    for (action, reason, category) in [
        ("lock", "Cooling down", None),
        ("pin", "Read this first", None),
        ("move", "Belongs with the web posts", Some(web)),
    ] {
        let category = category.map(|c: i64| c.to_string()).unwrap_or_default();
        let page =
            mia.post_form(&format!("/posts/{post}/{action}"), &[("reason", reason), ("category", &category)]).await;
        page.expect_redirect(&format!("/posts/{post}"));
    }
    carol
        .post_form(&format!("/posts/{post}/report"), &[("reason", "spam"), ("content", "")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    mia.post_form(
        &format!("/moderation/reports/post-{post}/resolve"),
        &[("action", "dismissed"), ("reason", "Not spam")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);

    let log = logged(&server.browser().get("/modlog").await);
    let expected = [
        ("Reports dismissed", "Not spam"),
        ("Post moved", "Belongs with the web posts"),
        ("Thread pinned", "Read this first"),
        ("Thread locked", "Cooling down"),
    ];
    assert_eq!(log.len(), expected.len(), "{log:?}");
    for ((what, why), (kind, reason)) in log.iter().zip(expected) {
        assert!(what.contains(kind) && what.contains("A heated thread"), "{what} is a {kind}");
        assert_eq!(why, reason);
    }
    let kinds = server.browser().get("/modlog?kind=thread_locked").await;
    assert_eq!(logged(&kinds).len(), 1, "the log filters by the new kinds");

    // A second report, upheld: the post is removed, the removal logged with the note, and
    // bob is told of each moderator action on his post.
    let dave = server.user("dave", "dave@example.com").await;
    dave.post_form(&format!("/posts/{post}/report"), &[("reason", "abuse"), ("content", "")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    mia.post_form(&format!("/moderation/reports/post-{post}/resolve"), &[("action", "removed"), ("reason", "Insults")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    assert_eq!(server.browser().get(&format!("/posts/{post}")).await.status, StatusCode::NOT_FOUND);
    let log = logged(&server.browser().get("/modlog").await);
    assert!(log[0].0.contains("Post removed") && log[0].1 == "Insults", "{log:?}");
    let told = bob.get("/notifications").await;
    told.expect_status(StatusCode::OK);
    let lines = told.texts("ul.notifications li");
    let from_moderators = lines.iter().filter(|line| line.contains("A moderator (mia)")).count();
    assert_eq!(from_moderators, 4, "lock, pin, move and the removal: {lines:?}");
    server.expect_read_model_consistent().await;
}
