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
    let visible = all_visible_within(&alice, &acknowledged, Duration::from_secs(3)).await;
    assert!(visible, "every acknowledged post becomes visible by itself: {acknowledged:?}");
    // Logging in (a write: the login row) works too, and the read model is right.
    server.browser().login("alice", PASSWORD).await.expect_redirect("/");
    assert!(
        !server.logs().iter().any(|line| line.contains("non-zero transaction depth")),
        "no connection was left inside a failed transaction"
    );
    drop(server);
}

// ---------------------------------------------------------------------------------------------------------
// Slow and idle clients, shutdown
// ---------------------------------------------------------------------------------------------------------

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// `host:port` of a server's base url.
fn socket_addr(server: &TestServer) -> std::net::SocketAddr {
    server.base_url().trim_start_matches("http://").parse().unwrap()
}

/// A connection to the server from another loopback address (all of 127/8 is this machine),
/// so that the server counts it as another client than the test's browser.
async fn connect_from(source: &str, server: std::net::SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(format!("{source}:0").parse().unwrap())?;
    socket.connect(server).await
}

/// Whether the server has closed this connection (a read gives end of file or an error)
/// within `patience`.
async fn closed_within(stream: &mut TcpStream, patience: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + patience;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

/// Reads an HTTP/1.1 response head; its status code and the head's text.
async fn read_head(stream: &mut TcpStream, patience: Duration) -> Option<(u16, String)> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + patience;
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => head.extend_from_slice(&buf[..n]),
            _ => return None,
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    Some((status, text))
}

/// Hundreds of connections that send nothing or half a request head, from one client, on a
/// server started with a soft limit of 256 open files: the server raises the limit, caps the
/// client's connections, closes those that do not finish their headers within the bound, and
/// serves a normal visitor at once all along. A body that stops halfway is answered 408.
#[tokio::test]
async fn idle_and_slow_clients_do_not_keep_a_visitor_out() {
    let server = TestServer::options()
        .soft_file_limit(256)
        .env("FORUM_HEADER_TIMEOUT", "2")
        .env("FORUM_BODY_TIMEOUT", "2")
        .start()
        .await;
    let addr = socket_addr(&server);
    let visitor = server.browser();
    visitor.get("/").await.expect_status(StatusCode::OK);

    let mut idle = Vec::new();
    for i in 0..400 {
        let Ok(mut stream) = connect_from("127.0.0.2", addr).await else { continue };
        if i % 2 == 0 {
            // Half a request head, never finished.
            let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: forum\r\nUser-Agent: slow").await;
        }
        idle.push(stream);
    }
    assert!(idle.len() >= 300, "the test opened its idle connections ({})", idle.len());
    let started = Instant::now();
    visitor.get("/").await.expect_status(StatusCode::OK);
    visitor.get("/healthz").await.expect_status(StatusCode::OK);
    assert!(started.elapsed() < Duration::from_secs(1), "the visitor is served at once: {:?}", started.elapsed());

    // Every idle connection is closed within the header bound (2 s) and a little: the ones
    // over the per-client cap at once.
    let started = Instant::now();
    for stream in &mut idle {
        let left = Duration::from_secs(4).saturating_sub(started.elapsed());
        assert!(closed_within(stream, left).await, "an idle connection was still open after {:?}", started.elapsed());
    }

    // A body that never arrives whole: 408, within the body bound.
    let mut slow = connect_from("127.0.0.3", addr).await.unwrap();
    slow.write_all(
        b"POST /login HTTP/1.1\r\nHost: forum\r\nSec-Fetch-Site: same-origin\r\n\
          Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nname=al",
    )
    .await
    .unwrap();
    let started = Instant::now();
    let (status, _) = read_head(&mut slow, Duration::from_secs(5)).await.expect("an answer to the slow body");
    assert_eq!(status, 408);
    assert!(started.elapsed() < Duration::from_secs(4), "answered within the body bound: {:?}", started.elapsed());
    visitor.get("/").await.expect_status(StatusCode::OK);
    let listening = server.logs().into_iter().find(|line| line.contains("listening on")).unwrap();
    assert!(!listening.contains("open_files=256 "), "the open-files limit was raised: {listening}");
}

/// SIGTERM while posts are being sent: every request already in flight is answered (303),
/// the server exits cleanly within its bound, and every acknowledged post is there after the
/// next start.
#[tokio::test]
async fn sigterm_lets_the_requests_in_flight_finish() {
    let mut server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let token = alice.token().expect("alice is logged in");
    let addr = socket_addr(&server);
    let origin = server.base_url().to_owned();

    let mut writers = Vec::new();
    for i in 0..16 {
        let (token, origin) = (token.clone(), origin.clone());
        writers.push(tokio::spawn(async move {
            let body = format!("title=In+flight+{i}&content=Sent+across+a+shutdown&category={rust}");
            let (first, second) = body.split_at(body.len() / 2);
            let mut stream = TcpStream::connect(addr).await.unwrap();
            let head = format!(
                "POST /posts HTTP/1.1\r\nHost: forum\r\nOrigin: {origin}\r\nSec-Fetch-Site: same-origin\r\n\
                 Cookie: forum_token={token}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                 Content-Length: {}\r\n\r\n{first}",
                body.len()
            );
            stream.write_all(head.as_bytes()).await.unwrap();
            // The rest after the signal: the request is in flight when it comes.
            tokio::time::sleep(Duration::from_millis(600)).await;
            stream.write_all(second.as_bytes()).await.unwrap();
            read_head(&mut stream, Duration::from_secs(10)).await
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, took) = server.terminate(Duration::from_secs(15)).await;
    let mut posts = Vec::new();
    for writer in writers {
        let (code, head) = writer.await.unwrap().expect("an in-flight request got an answer");
        assert_eq!(code, 303, "an in-flight post was answered {code}:\n{head}");
        let location = head.lines().find_map(|l| l.strip_prefix("location: ")).unwrap().trim().to_owned();
        posts.push(post_id_of(&location));
    }
    assert!(status.success(), "the server exits cleanly on SIGTERM: {status:?}");
    assert!(took < Duration::from_secs(5), "and soon: {took:?}");
    assert!(server.logs().iter().any(|line| line.contains("stopped")), "it says it stopped");

    server.start_again().await;
    let b = server.browser();
    for post in posts {
        b.get(&format!("/posts/{post}")).await.expect_status(StatusCode::OK);
    }
    server.expect_read_model_consistent().await;
}

// ---------------------------------------------------------------------------------------------------------
// MariaDB outages
// ---------------------------------------------------------------------------------------------------------

/// A MariaDB server of the test's own, on a free loopback port with a temporary data
/// directory: it can be stopped, killed and started again without touching the shared one.
struct PrivateMariaDb {
    dir: TempDir,
    port: u16,
    process: Option<std::process::Child>,
}

impl PrivateMariaDb {
    /// None (with a note on stderr) where MariaDB is not installed.
    async fn start() -> Option<PrivateMariaDb> {
        if !Path::new("/usr/sbin/mariadbd").exists()
            || Command::new("mariadb-install-db").arg("--help").output().is_err()
        {
            eprintln!("skipped: mariadbd or mariadb-install-db is not installed; the MariaDB outage test did not run");
            return None;
        }
        let dir = temp_dir("forum-mariadb-");
        let installed = Command::new("mariadb-install-db")
            .args(["--no-defaults", "--user=root", "--auth-root-authentication-method=normal", "--skip-test-db"])
            .arg(format!("--datadir={}", dir.path().join("data").display()))
            .output()
            .expect("run mariadb-install-db");
        assert!(installed.status.success(), "mariadb-install-db: {}", String::from_utf8_lossy(&installed.stderr));
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut db = PrivateMariaDb { dir, port, process: None };
        db.start_again().await;
        crate::common::mariadb_execute(&db.server_url(), "CREATE DATABASE forum".to_owned());
        Some(db)
    }

    fn server_url(&self) -> String {
        format!("mysql://root@127.0.0.1:{}", self.port)
    }

    fn database_url(&self) -> String {
        format!("{}/forum", self.server_url())
    }

    /// Starts mariadbd and waits until it takes connections.
    async fn start_again(&mut self) {
        assert!(self.process.is_none(), "mariadbd is running");
        let path = self.dir.path();
        let log = std::fs::OpenOptions::new().create(true).append(true).open(path.join("log")).unwrap();
        let process = Command::new("/usr/sbin/mariadbd")
            .args(["--no-defaults", "--user=root", "--bind-address=127.0.0.1", "--skip-grant-tables", "--skip-log-bin"])
            .args(["--innodb-buffer-pool-size=64M", "--max-connections=500"])
            .arg(format!("--port={}", self.port))
            .arg(format!("--datadir={}", path.join("data").display()))
            .arg(format!("--socket={}", path.join("sock").display()))
            .arg(format!("--pid-file={}", path.join("pid").display()))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start mariadbd");
        self.process = Some(process);
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "mariadbd did not take connections within 30 s");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Stops mariadbd: SIGTERM (a clean shutdown) or SIGKILL (a crash).
    async fn stop(&mut self, signal: &str) {
        let mut process = self.process.take().expect("mariadbd is running");
        Command::new("kill").arg(format!("-{signal}")).arg(process.id().to_string()).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while process.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "mariadbd did not stop within 30 s");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for PrivateMariaDb {
    fn drop(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
    }
}

/// What a load of readers and writers saw: the posts acknowledged, and any answer that is
/// neither a success nor a 503 in time.
#[derive(Default)]
struct LoadReport {
    acknowledged: Vec<i64>,
    answers: std::collections::BTreeMap<u16, usize>,
    slowest_failure: Duration,
    wrong: Vec<String>,
}

/// Writers post and readers read the cached post page until `stop` is set.
fn spawn_load(
    writer: &Browser,
    reader: &Browser,
    rust: i64,
    cached_post: i64,
    stop: Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<LoadReport>> {
    let mut tasks = Vec::new();
    for w in 0..4 {
        let (b, stop) = (writer.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut report = LoadReport::default();
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let text = format!("Writer {w} post {i}");
                let started = Instant::now();
                let page = b.submit_post(&rust.to_string(), &text, &text).await;
                *report.answers.entry(page.status.as_u16()).or_default() += 1;
                match page.status {
                    StatusCode::SEE_OTHER => report.acknowledged.push(post_id_of(&page.location().unwrap())),
                    StatusCode::SERVICE_UNAVAILABLE => {
                        report.slowest_failure = report.slowest_failure.max(started.elapsed());
                        if textarea_value(&page, "content").as_deref() != Some(text.as_str()) {
                            report.wrong.push("a refused post did not show its text again".to_owned());
                        }
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    other => report.wrong.push(format!("a post answered {other}: {}", page.body_excerpt())),
                }
            }
            report
        }));
    }
    let with_redis = crate::common::Backend::from_env().is_mariadb();
    for _ in 0..2 {
        let (b, stop) = (reader.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut report = LoadReport::default();
            while !stop.load(Ordering::Relaxed) {
                let page = b.get(&format!("/posts/{cached_post}")).await;
                *report.answers.entry(page.status.as_u16()).or_default() += 1;
                // With only the in-process cache, the last value of a dropped entry stands in
                // while the database is out; Redis keeps no such value, so there a page whose
                // entries a change dropped may be a 503 (in the layout) until it is back.
                let fine = page.status == StatusCode::OK
                    || (with_redis && page.status == StatusCode::SERVICE_UNAVAILABLE && page.is_html());
                if !fine {
                    report.wrong.push(format!("the cached post page answered {}", page.status));
                }
            }
            report
        }));
    }
    tasks
}

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// MariaDB stopped for a few seconds under a load of readers and writers: cached pages are
/// still served; a post is refused with 503 and its text shown again within the documented
/// bound (2 s); a login fails with a clear message; `/readyz` says 503 within a second; and a
/// second after MariaDB is back, writing works again and no acknowledged post is missing.
#[tokio::test]
async fn a_mariadb_outage_is_503_within_the_bound_and_passes_by_itself() {
    let Some(mut db) = PrivateMariaDb::start().await else { return };
    let server = TestServer::options().env("DATABASE_URL", &db.database_url()).start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let post = alice.create_post(rust, "Cached before the outage", "text").await;
    let reader = server.browser();
    reader.get(&format!("/posts/{post}")).await.expect_status(StatusCode::OK);
    alice.get("/posts/new").await.expect_status(StatusCode::OK);

    let stop = Arc::new(AtomicBool::new(false));
    let load = spawn_load(&alice, &reader, rust, post, stop.clone());
    tokio::time::sleep(Duration::from_millis(500)).await;
    db.stop("TERM").await;

    // During the outage.
    let started = Instant::now();
    let ready = alice.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(started.elapsed() < Duration::from_secs(1), "/readyz answered in {:?}", started.elapsed());
    let started = Instant::now();
    let login = server.browser().login("alice", PASSWORD).await;
    assert_eq!(login.status, StatusCode::SERVICE_UNAVAILABLE, "{}", login.body_excerpt());
    assert!(login.visible_text().contains("cannot save this right now"), "{}", login.body_excerpt());
    assert!(started.elapsed() < Duration::from_millis(2500), "the login was refused in {:?}", started.elapsed());
    let started = Instant::now();
    let search = reader.get("/search?q=outage").await;
    assert_eq!(search.status, StatusCode::SERVICE_UNAVAILABLE, "{}", search.body_excerpt());
    assert!(search.is_html(), "a 503 page in the layout");
    assert!(started.elapsed() < Duration::from_millis(2500), "the search was refused in {:?}", started.elapsed());
    tokio::time::sleep(Duration::from_secs(2)).await;

    db.start_again().await;
    let back = Instant::now();
    let took = within(Duration::from_secs(1), async || {
        alice.submit_post(&rust.to_string(), "After the outage", "text").await.status == StatusCode::SEE_OTHER
    })
    .await;
    assert!(took.is_some(), "writing works within a second of MariaDB's return ({:?})", back.elapsed());
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    let mut answers = std::collections::BTreeMap::new();
    for task in load {
        let report = task.await.unwrap();
        assert!(report.wrong.is_empty(), "{:?}", report.wrong);
        assert!(report.slowest_failure < Duration::from_millis(2500), "a refusal took {:?}", report.slowest_failure);
        acknowledged.extend(report.acknowledged);
        for (status, n) in report.answers {
            *answers.entry(status).or_insert(0) += n;
        }
    }
    eprintln!("answers during the outage test: {answers:?}");
    assert!(answers.get(&503).is_some_and(|&n| n > 0), "the outage was seen: {answers:?}");
    assert_eq!(alice.get("/readyz").await.status, StatusCode::OK);
    let visible = all_visible_within(&alice, &acknowledged, Duration::from_secs(3)).await;
    assert!(visible, "every acknowledged post is there");
    drop(server);
}

// ---------------------------------------------------------------------------------------------------------
// Crashes under writes
// ---------------------------------------------------------------------------------------------------------

/// Eight writers post until told to stop; the ids of the posts acknowledged (303).
fn spawn_writers(writer: &Browser, rust: i64, stop: Arc<AtomicBool>) -> Vec<tokio::task::JoinHandle<Vec<i64>>> {
    (0..8)
        .map(|w| {
            let (b, stop) = (writer.clone(), stop.clone());
            tokio::spawn(async move {
                let mut acknowledged = Vec::new();
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let title = format!("Writer {w} post {i}");
                    // A request cut off by the crash is no acknowledgement.
                    let Ok(response) = b.try_submit_post(rust, &title).await else { continue };
                    if response.0 == StatusCode::SEE_OTHER {
                        acknowledged.push(post_id_of(&response.1));
                    }
                }
                acknowledged
            })
        })
        .collect()
}

async fn expect_all_visible(b: &Browser, acknowledged: &[i64]) {
    for &post in acknowledged {
        let page = b.get(&format!("/posts/{post}")).await;
        assert_eq!(page.status, StatusCode::OK, "acknowledged post {post} is lost");
    }
}

/// The forum killed with SIGKILL under eight writers (on the configured backend): after the
/// next start every acknowledged post is there and the read model matches the write tables.
#[tokio::test]
async fn kill_9_of_the_forum_under_writes_loses_nothing_acknowledged() {
    let mut server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let stop = Arc::new(AtomicBool::new(false));
    let writers = spawn_writers(&alice, rust, stop.clone());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.stop(); // SIGKILL
    stop.store(true, Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await.unwrap());
    }
    assert!(acknowledged.len() > 10, "the writers wrote before the kill ({})", acknowledged.len());
    server.start_again().await;
    expect_all_visible(&alice.at(&server), &acknowledged).await;
    server.expect_read_model_consistent().await;
}

/// A private MariaDB killed with SIGKILL under eight writers, then started again: the forum
/// recovers by itself and every post it acknowledged is there.
#[tokio::test]
async fn kill_9_of_mariadb_under_writes_loses_nothing_acknowledged() {
    let Some(mut db) = PrivateMariaDb::start().await else { return };
    let server = TestServer::options().env("DATABASE_URL", &db.database_url()).start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let stop = Arc::new(AtomicBool::new(false));
    let writers = spawn_writers(&alice, rust, stop.clone());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    db.stop("KILL").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    db.start_again().await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await.unwrap());
    }
    assert!(acknowledged.len() > 10, "the writers wrote ({})", acknowledged.len());
    let b = server.browser();
    let visible = all_visible_within(&b, &acknowledged, Duration::from_secs(5)).await;
    assert!(visible, "every acknowledged post is there after MariaDB's crash");
    drop(server);
}

// ---------------------------------------------------------------------------------------------------------
// Backups
// ---------------------------------------------------------------------------------------------------------

/// `forum backup` taken while eight writers post (on the configured backend), then `forum
/// restore` into an empty SQLite database: both verify themselves, and a forum served from
/// the restored database has every post acknowledged before the backup began.
#[tokio::test]
async fn a_backup_under_writes_restores_every_acknowledged_post() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut writers = Vec::new();
    for w in 0..8 {
        let (b, stop, acknowledged) = (alice.clone(), stop.clone(), acknowledged.clone());
        writers.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let page = b.submit_post(&rust.to_string(), &format!("Writer {w} post {i}"), "backed up").await;
                assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body_excerpt());
                acknowledged.lock().unwrap().push(post_id_of(&page.location().unwrap()));
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let before: Vec<i64> = acknowledged.lock().unwrap().clone();
    let dir = temp_dir("forum-backup-");
    let file = dir.path().join("backup.db");
    let backup = server.run_command(&["backup", "--to", file.to_str().unwrap()]).await;
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    backup.expect_success();
    assert!(backup.stdout.contains("copied and verified"), "{}", backup.stdout);
    assert!(before.len() > 10, "the writers wrote before the backup ({})", before.len());
    let again = server.run_command(&["backup", "--to", file.to_str().unwrap()]).await;
    assert!(!again.status.success(), "a backup never overwrites a file");

    let restored = format!("sqlite://{}/restored.db", dir.path().display());
    let restore = server.run_command(&["restore", "--from", file.to_str().unwrap(), "--to", &restored]).await;
    restore.expect_success();
    assert!(restore.stdout.contains("copied and verified"), "{}", restore.stdout);
    let copy = TestServer::options().env("DATABASE_URL", &restored).env("REDIS_PREFIX", "restored:").start().await;
    let b = copy.browser();
    for post in before {
        b.get(&format!("/posts/{post}")).await.expect_status(StatusCode::OK);
    }
    b.login("alice", PASSWORD).await.expect_redirect("/");
}

// ---------------------------------------------------------------------------------------------------------
// Rolling restart behind HAProxy
// ---------------------------------------------------------------------------------------------------------

/// HAProxy from Debian in front of the given instances, configured like deploy/haproxy.cfg
/// (its retry, redispatch and health-check settings), on loopback. Killed when dropped.
struct LoadBalancer {
    process: std::process::Child,
    port: u16,
    dir: TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl LoadBalancer {
    fn start(instances: &[u16]) -> Option<LoadBalancer> {
        let haproxy = ["/usr/sbin/haproxy", "/usr/bin/haproxy"].into_iter().find(|p| Path::new(p).exists());
        let Some(haproxy) = haproxy else {
            eprintln!("skipped: haproxy is not installed (Debian package haproxy); the rolling restart did not run");
            return None;
        };
        let dir = temp_dir("forum-haproxy-");
        let port = free_port();
        let deployed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/haproxy.cfg")).unwrap();
        // The deployed file's defaults and checks, with loopback addresses instead of Docker's.
        let defaults: String = deployed
            .lines()
            .skip_while(|line| !line.starts_with("defaults"))
            .take_while(|line| !line.starts_with("frontend"))
            .map(|line| format!("{line}\n"))
            .collect();
        let server_line = deployed
            .lines()
            .find(|line| line.trim_start().starts_with("default-server"))
            .unwrap()
            .replace(" resolvers docker init-addr last,libc,none", "");
        let mut config = format!(
            "global\n    maxconn 2000\n    stats socket {} mode 600 level user\n\n{defaults}frontend forum\n    bind 127.0.0.1:{port}\n    default_backend forum_instances\n\nbackend forum_instances\n    balance roundrobin\n    option httpchk GET /readyz\n    http-check expect status 200\n{server_line}\n",
            dir.path().join("stats.sock").display()
        );
        for (i, instance) in instances.iter().enumerate() {
            config.push_str(&format!("    server forum-{i} 127.0.0.1:{instance} check\n"));
        }
        let file = dir.path().join("haproxy.cfg");
        std::fs::write(&file, config).unwrap();
        let process = Command::new(haproxy)
            .arg("-db")
            .arg("-f")
            .arg(&file)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start haproxy");
        Some(LoadBalancer { process, port, dir })
    }

    /// Whether HAProxy has the instance `forum-{index}` in its rotation (its stats say UP).
    async fn has_up(&self, index: usize) -> bool {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let Ok(mut socket) = tokio::net::UnixStream::connect(self.dir.path().join("stats.sock")).await else {
            return false;
        };
        let mut stats = String::new();
        if socket.write_all(b"show stat\n").await.is_err() || socket.read_to_string(&mut stats).await.is_err() {
            return false;
        }
        // CSV: proxy name, server name, … the 18th field is the status ("UP", "DOWN", "UP 1/2" …).
        let name = format!("forum-{index}");
        stats.lines().map(|line| line.split(',').collect::<Vec<_>>()).any(|fields| {
            fields.first() == Some(&"forum_instances")
                && fields.get(1) == Some(&name.as_str())
                && fields.get(17).is_some_and(|status| *status == "UP")
        })
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for LoadBalancer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Two instances behind HAProxy under a read and write load, restarted one after the other
/// with SIGTERM: no request fails and every acknowledged post is there.
#[tokio::test]
async fn a_rolling_restart_behind_haproxy_fails_no_request() {
    let (port_a, port_b) = (free_port(), free_port());
    let mut a = TestServer::options().env("FORUM_ADDR", &format!("127.0.0.1:{port_a}")).start().await;
    let mut b = a.another_instance_on(&format!("127.0.0.1:{port_b}")).await;
    let Some(lb) = LoadBalancer::start(&[port_a, port_b]) else { return };
    let user = Browser::for_base(&lb.base_url());
    let up = within(Duration::from_secs(10), async || {
        let form =
            [("name", "alice"), ("email", "alice@example.com"), ("password1", PASSWORD), ("password2", PASSWORD)];
        matches!(user.try_post_signup(&form).await, Ok((StatusCode::SEE_OTHER, _)))
    })
    .await;
    assert!(up.is_some(), "HAProxy serves the forum");
    let both = within(Duration::from_secs(20), async || lb.has_up(0).await && lb.has_up(1).await).await;
    assert!(both.is_some(), "HAProxy has both instances in its rotation");
    let rust = category_id(&user, "Rust").await;

    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut load = Vec::new();
    for w in 0..4 {
        let (b, stop, failures, acknowledged) = (user.clone(), stop.clone(), failures.clone(), acknowledged.clone());
        load.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                match b.try_submit_post(rust, &format!("Rolling {w} {i}")).await {
                    Ok((StatusCode::SEE_OTHER, location)) => acknowledged.lock().unwrap().push(post_id_of(&location)),
                    Ok((status, _)) => failures.lock().unwrap().push(format!("a post answered {status}")),
                    Err(error) => failures.lock().unwrap().push(format!("a post failed: {error}")),
                }
            }
        }));
    }
    for _ in 0..4 {
        let (b, stop, failures) = (user.clone(), stop.clone(), failures.clone());
        load.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let page = b.get(&format!("/categories/{rust}")).await;
                if page.status != StatusCode::OK {
                    failures.lock().unwrap().push(format!("a list answered {}", page.status));
                }
            }
        }));
    }
    for (index, instance) in [&mut a, &mut b].into_iter().enumerate() {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let (status, _) = instance.terminate(Duration::from_secs(15)).await;
        assert!(status.success(), "an instance exits cleanly: {status:?}");
        instance.start_again().await;
        // As an operator would: the next one is stopped only once this one is back in the rotation.
        let back = within(Duration::from_secs(20), async || lb.has_up(index).await).await;
        assert!(back.is_some(), "HAProxy takes forum-{index} back within 20 s of its restart");
    }
    stop.store(true, Ordering::Relaxed);
    for task in load {
        task.await.unwrap();
    }
    let failures = failures.lock().unwrap().clone();
    let acknowledged = acknowledged.lock().unwrap().clone();
    eprintln!("rolling restart: {} posts acknowledged, {} failures", acknowledged.len(), failures.len());
    assert!(failures.is_empty(), "{} failed requests: {:?}", failures.len(), &failures[..failures.len().min(5)]);
    assert!(acknowledged.len() > 20, "the writers wrote ({})", acknowledged.len());
    for post in acknowledged {
        user.get(&format!("/posts/{post}")).await.expect_status(StatusCode::OK);
    }
    drop(b);
}

/// Whether every one of `posts` answers 200 to `reader` within `bound`.
async fn all_visible_within(reader: &Browser, posts: &[i64], bound: Duration) -> bool {
    within(bound, async || {
        let mut all = true;
        for &post in posts {
            all &= reader.get(&format!("/posts/{post}")).await.status == StatusCode::OK;
        }
        all
    })
    .await
    .is_some()
}
