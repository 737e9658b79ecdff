//! `forum copy`: a whole forum moves from one database to another (the embedded SQLite to
//! MariaDB when it grows) and keeps working there: pages, logins, notifications, the
//! moderation log, the read model.

use crate::common::{Backend, PASSWORD, TestServer, temp_dir};
use reqwest::StatusCode;

/// An empty database to copy into: MariaDB when the suite has one (scripts/test always
/// does), else a second SQLite file.
fn empty_target(dir: &std::path::Path) -> (Backend, String) {
    match std::env::var("FORUM_TEST_MARIADB_URL") {
        Ok(server_url) if !server_url.is_empty() => {
            let redis_url =
                std::env::var("FORUM_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
            let backend = Backend::MariaDb { server_url, redis_url };
            let url = backend.fresh_database_url(dir);
            (backend, url)
        }
        _ => {
            eprintln!("copy target: SQLite (FORUM_TEST_MARIADB_URL is unset; scripts/test sets it)");
            (Backend::Sqlite, format!("sqlite://{}/copy.db", dir.display()))
        }
    }
}

#[tokio::test]
async fn a_copied_forum_serves_the_same_posts_logins_and_votes() {
    let source = TestServer::start().await;
    let alice = source.user("alice", "alice@example.com").await;
    let bob = source.user("bob", "bob@example.com").await;
    let post = alice.create_post(6, "Moving day 이사하는 날", "We are *moving* to a bigger server.").await;
    bob.add_comment(post, "See you on the other side").await;
    bob.post_form(&format!("/posts/{post}/vote"), &[]).await.expect_status(StatusCode::SEE_OTHER);
    alice
        .post_form(&format!("/posts/{post}/edit"), &[("title", "Moving day 이사하는 날"), ("content", "Moved.")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    // A moderator's action (the first user is the admin) and the notice of bob's comment.
    alice
        .post_form(&format!("/posts/{post}/lock"), &[("reason", "Closed while we move")])
        .await
        .expect_status(StatusCode::SEE_OTHER);

    let mut dir = temp_dir("forum-copy-");
    // Left behind if the test fails: the copy's target is then what to look at.
    dir.disable_cleanup(true);
    let (target_backend, target) = empty_target(dir.path());

    let copy = source.run_command(&["copy", "--from", source.database_url(), "--to", &target]).await;
    copy.expect_success();
    assert!(copy.stdout.contains("copied and verified"), "copy output:\n{}", copy.stdout);

    // All or nothing, and never on top of another forum.
    let again = source.run_command(&["copy", "--from", source.database_url(), "--to", &target]).await;
    assert!(!again.status.success(), "a second copy into the same database must be refused");
    assert!(again.stderr.contains("already holds a forum"), "stderr:\n{}", again.stderr);

    let moved = TestServer::options().env("DATABASE_URL", &target).start().await;
    let page = moved.browser().get(&format!("/posts/{post}")).await;
    page.expect_status(StatusCode::OK);
    let text = page.visible_text();
    assert!(text.contains("Moving day 이사하는 날"), "the title moved:\n{text}");
    assert!(text.contains("Moved."), "the latest version moved:\n{text}");
    assert!(text.contains("See you on the other side"), "the comment moved:\n{text}");
    assert!(text.contains("1 vote"), "the vote moved:\n{text}");
    let history = moved.browser().get(&format!("/posts/{post}/history")).await;
    assert!(history.visible_text().contains("Version 1"), "the edit history moved");

    // The accounts moved with their passwords; the first user is still the admin.
    let again_alice = moved.browser();
    again_alice.login("alice", PASSWORD).await.expect_status(StatusCode::SEE_OTHER);
    again_alice.get("/admin/users").await.expect_status(StatusCode::OK);
    let notices = again_alice.get("/notifications").await.visible_text();
    assert!(notices.contains("bob"), "alice's notice of bob's comment moved:\n{notices}");
    let log = moved.browser().get("/modlog").await.visible_text();
    assert!(log.contains("Closed while we move"), "the moderation log moved:\n{log}");

    let check = moved.run_command(&["read-model", "check"]).await;
    check.expect_success();
    drop(moved);
    target_backend.drop_database(&target);
    dir.close().expect("remove the copy's temporary directory");
}
