//! What an operator meets: a disk that fills, a database that goes away, a server that is
//! stopped. Each test provokes the fault for real (a small tmpfs, a private MariaDB, signals)
//! and checks what a user would: an answer that says "not now" with their text kept, and
//! everything acknowledged there once the fault ends, without a restart.

use crate::common::content::{category_id, post_id_of, textarea_value};
use crate::common::{Browser, PASSWORD, TestServer, temp_dir};
use reqwest::StatusCode;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A tmpfs of a fixed size mounted on a temporary directory; unmounted when dropped.
struct SmallDisk {
    dir: TempDir,
}

impl SmallDisk {
    /// None (with a note on stderr) where mounting is not allowed, e.g. without root.
    fn mount(megabytes: u32) -> Option<SmallDisk> {
        let dir = temp_dir("forum-small-disk-");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status();
        match status {
            Ok(status) if status.success() => Some(SmallDisk { dir }),
            _ => {
                eprintln!("skipped: cannot mount a tmpfs here (needs root); the full-disk test did not run");
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file until the disk is full; returns it.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let filler = self.path().join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 4096];
        while file.write_all(&chunk).is_ok() {}
        let _ = file.sync_all();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// Polls `f` until it is true or `within` has passed; how long it took.
async fn within(within: Duration, mut f: impl AsyncFnMut() -> bool) -> Option<Duration> {
    let started = Instant::now();
    loop {
        if f().await {
            return Some(started.elapsed());
        }
        if started.elapsed() > within {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn ready_status(b: &Browser) -> StatusCode {
    b.get("/readyz").await.status
}

/// The disk under a SQLite forum fills, then space returns: while it is full, a post is
/// answered 503 with the form and its text shown again, and `/readyz` says not ready; once
/// space is back, posting works again within a second without a restart, and every post that
/// was acknowledged (303) before is shown.
#[tokio::test]
async fn a_full_disk_refuses_writes_with_the_text_kept_and_recovers_by_itself() {
    if crate::common::Backend::from_env().is_mariadb() {
        eprintln!("skipped on MariaDB: the full disk is tested on SQLite's own file");
        return;
    }
    let Some(disk) = SmallDisk::mount(24) else { return };
    let url = format!("sqlite://{}/forum.db", disk.path().display());
    let server = TestServer::options().env("DATABASE_URL", &url).start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    alice.create_post(rust, "Before the disk filled", "text").await;
    assert_eq!(ready_status(&alice).await, StatusCode::OK);

    let filler = disk.fill();
    // Posts until one is refused: those acknowledged meanwhile must all be there later.
    let mut acknowledged = Vec::new();
    let text = "Words I do not want to lose. ".repeat(40);
    let refused = loop {
        let page = alice.submit_post(&rust.to_string(), &format!("Post {}", acknowledged.len()), &text).await;
        if page.status == StatusCode::SEE_OTHER {
            acknowledged.push(post_id_of(&page.location().unwrap()));
            assert!(acknowledged.len() < 500, "a full disk never refused a post");
            continue;
        }
        break page;
    };
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE, "{}", refused.body_excerpt());
    assert!(refused.header("retry-after").is_some(), "a 503 says when to try again");
    assert_eq!(textarea_value(&refused, "content").as_deref(), Some(text.as_str()), "the text is shown back");
    assert!(refused.visible_text().contains("cannot save this right now"), "{}", refused.body_excerpt());
    let started = Instant::now();
    assert_eq!(ready_status(&alice).await, StatusCode::SERVICE_UNAVAILABLE, "not ready while writes fail");
    assert!(started.elapsed() < Duration::from_secs(1), "readiness answers within a second");
    // Reading goes on.
    alice.get("/").await.expect_status(StatusCode::OK);

    std::fs::remove_file(filler).unwrap();
    let took = within(Duration::from_secs(1), async || {
        alice.submit_post(&rust.to_string(), "After the disk emptied", "text").await.status == StatusCode::SEE_OTHER
    })
    .await;
    assert!(took.is_some(), "posting works again within a second of space returning");
    assert_eq!(ready_status(&alice).await, StatusCode::OK, "ready again");
    let visible = within(Duration::from_secs(3), async || {
        let mut all = true;
        for &post in &acknowledged {
            all &= alice.get(&format!("/posts/{post}")).await.status == StatusCode::OK;
        }
        all
    })
    .await;
    assert!(visible.is_some(), "every acknowledged post becomes visible by itself: {acknowledged:?}");
    // Logging in (a write: the login row) works too, and the read model is right.
    server.browser().login("alice", PASSWORD).await.expect_redirect("/");
    assert!(
        !server.logs().iter().any(|line| line.contains("non-zero transaction depth")),
        "no connection was left inside a failed transaction"
    );
    drop(server);
}
