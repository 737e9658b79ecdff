//! Edit histories: every version of a post or comment with its time and a line diff against the one before
//! (`<ins>`/`<del>`), and the post history as CSV, one row per version.

use crate::common::content::{SOME_TEXT, assert_inert, category_id};
use crate::common::{Page, TestServer};
use reqwest::StatusCode;

/// (version number, `datetime` of its time, added lines, removed lines, unchanged lines) of a section.
type VersionLines = (i64, String, Vec<String>, Vec<String>, Vec<String>);

/// The versions of a history page, one per section.
fn versions(page: &Page) -> Vec<VersionLines> {
    let doc = page.html();
    let section = scraper::Selector::parse("section.version").unwrap();
    let heading = scraper::Selector::parse("h2").unwrap();
    let time = scraper::Selector::parse("h2 time").unwrap();
    let ins = scraper::Selector::parse("pre.diff ins").unwrap();
    let del = scraper::Selector::parse("pre.diff del").unwrap();
    let same = scraper::Selector::parse("pre.diff > span").unwrap();
    // The visible text of a diff line, without the "+ "/"- " mark and the screen-reader prefix.
    let line = |e: scraper::ElementRef| {
        let text: String = e.text().collect();
        let text = text.trim_start_matches("added: ").trim_start_matches("removed: ");
        text.strip_prefix("+ ").or_else(|| text.strip_prefix("- ")).unwrap_or(text).trim().to_string()
    };
    doc.select(&section)
        .map(|s| {
            let id = s.select(&heading).next().and_then(|h| h.value().attr("id")).unwrap_or_default();
            let n = id.strip_prefix("version-").and_then(|v| v.parse().ok()).expect("version-N heading id");
            let at = s.select(&time).next().and_then(|t| t.value().attr("datetime")).unwrap_or_default().to_string();
            (
                n,
                at,
                s.select(&ins).map(line).collect(),
                s.select(&del).map(line).collect(),
                s.select(&same).map(line).collect(),
            )
        })
        .collect()
}

/// "2026-11-21T22:07:55.404Z" (or without the fraction) → milliseconds of that UTC day, enough to order
/// times written within one test.
fn iso_millis(at: &str) -> i64 {
    assert!(at.len() >= 20 && at.as_bytes()[10] == b'T' && at.ends_with('Z'), "not an ISO 8601 UTC time: {at:?}");
    let num = |r: std::ops::Range<usize>| at[r].parse::<i64>().unwrap_or_else(|_| panic!("bad time {at:?}"));
    let day = num(0..4) * 400 + num(5..7) * 32 + num(8..10);
    let secs = num(11..13) * 3600 + num(14..16) * 60 + num(17..19);
    let frac = at[19..at.len() - 1].strip_prefix('.').unwrap_or("");
    let millis: i64 = format!("{frac:0<3}")[..3].parse().unwrap_or_else(|_| panic!("bad fraction in {at:?}"));
    (day * 86_400 + secs) * 1000 + millis
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn a_post_history_shows_every_version_with_its_diff() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let id = alice.create_post(rust, "First title", "alpha\nbeta\ngamma").await;
    alice.edit_post(id, "First title", "alpha\nBETA\ndelta\ngamma").await.expect_redirect(&format!("/posts/{id}"));
    alice.edit_post(id, "Second title", "alpha\ndelta\ngamma").await.expect_redirect(&format!("/posts/{id}"));

    // Anyone may read it, logged in or not.
    let page = server.browser().get(&format!("/posts/{id}/history")).await;
    page.expect_status(StatusCode::OK).expect_layout();
    assert!(page.text("h1").unwrap().contains("Second title"), "the heading names the post: {:?}", page.text("h1"));
    assert!(page.has(&format!(r#"a[href="/posts/{id}"]"#)), "a way back to the post");
    assert!(page.has(&format!(r#"a[href="/posts/{id}/history.csv"]"#)), "the CSV download");

    let v = versions(&page);
    assert_eq!(v.iter().map(|v| v.0).collect::<Vec<_>>(), vec![2, 1, 0], "every version, newest first");
    for (n, at, ..) in &v {
        assert!(at.len() >= 20 && at.contains('T'), "version {n} has a machine-readable time: {at:?}");
    }
    // Version 0: everything is new.
    assert_eq!(v[2].2, strings(&["alpha", "beta", "gamma"]));
    assert!(v[2].3.is_empty());
    // Version 1: beta → BETA, delta added before the last line.
    let mut added = v[1].2.clone();
    added.sort();
    assert_eq!(added, strings(&["BETA", "delta"]));
    assert_eq!(v[1].3, strings(&["beta"]));
    assert!(v[1].4.contains(&"alpha".to_string()) && v[1].4.contains(&"gamma".to_string()), "unchanged lines shown");
    // Version 2: BETA removed, the title changed.
    assert!(v[0].2.is_empty());
    assert_eq!(v[0].3, strings(&["BETA"]));
    let section = page.texts("section.version")[0].clone();
    assert!(section.contains("First title") && section.contains("Second title"), "the title change: {section}");
    let summary = page.texts("section.version .diff-summary");
    assert_eq!(summary[0], "0 lines added, 1 line removed.");
    assert_eq!(summary[1], "2 lines added, 1 line removed.");
    // Version 2 (newest) keeps alpha, delta and gamma.
    assert_eq!(v[0].4, strings(&["alpha", "delta", "gamma"]));
    assert_eq!(summary[2], "3 lines added, 0 lines removed.");

    // The post page says it was edited and links here.
    let post = alice.post_page(id).await;
    assert!(post.has(&format!(r#"a[href="/posts/{id}/history"]"#)));
}

#[tokio::test]
async fn the_history_csv_has_one_row_per_version() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let versions_typed = [
        ("Plain start", "one line"),
        ("Commas, \"quotes\" and 한국어", "line one, with a comma\nline \"two\"\n\nline four"),
        ("=HYPERLINK(\"http://evil.example\")", "+1+1\n@SUM(A1)"),
        ("-minus", "=cmd|' /C calc'!A0"),
    ];
    let id = alice.create_post(rust, versions_typed[0].0, versions_typed[0].1).await;
    for (title, content) in &versions_typed[1..] {
        alice.edit_post(id, title, content).await.expect_redirect(&format!("/posts/{id}"));
    }

    let page = server.browser().get(&format!("/posts/{id}/history.csv")).await;
    page.expect_status(StatusCode::OK);
    let content_type = page.header("content-type").unwrap_or_default();
    assert!(content_type.starts_with("text/csv"), "content-type: {content_type}");
    let disposition = page.header("content-disposition").unwrap_or_default();
    assert!(disposition.starts_with("attachment") && disposition.contains(".csv"), "{disposition}");

    let mut reader = csv::Reader::from_reader(page.body.as_bytes());
    let header: Vec<String> = reader.headers().expect("a header row").iter().map(str::to_owned).collect();
    assert_eq!(header, strings(&["version", "created", "title", "content"]));
    let rows: Vec<Vec<String>> =
        reader.records().map(|r| r.expect("a well-formed CSV record").iter().map(str::to_owned).collect()).collect();
    assert_eq!(rows.len(), versions_typed.len(), "one row per version:\n{}", page.body);
    let mut last_time = 0;
    for (i, (row, (title, content))) in rows.iter().zip(versions_typed.iter()).enumerate() {
        assert_eq!(row.len(), 4, "row {i}: {row:?}");
        assert_eq!(row[0], i.to_string(), "versions in order");
        let at = iso_millis(&row[1]);
        assert!(at >= last_time, "row {i}: the time does not go back: {} after {last_time}", row[1]);
        last_time = at;
        // Cells a spreadsheet would run as a formula are kept as text with a leading quote.
        let safe = |s: &str| if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
        assert_eq!(row[2], safe(title), "row {i}: title");
        assert_eq!(row[3], safe(content), "row {i}: content, line breaks and all");
    }

    // The page and the CSV agree on the number of versions.
    let history = alice.get(&format!("/posts/{id}/history")).await;
    assert_eq!(versions(&history).len(), rows.len());
}

#[tokio::test]
async fn a_comment_history_shows_every_version() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let post = alice.create_post(rust, "Commented", SOME_TEXT).await;
    let (cid, _) = bob.add_comment(post, "I think so.").await;
    bob.edit_comment(cid, "On reflection, no.\nI think so.").await.expect_status(StatusCode::SEE_OTHER);
    bob.edit_comment(cid, "I think so.").await.expect_status(StatusCode::SEE_OTHER);

    let page = alice.get(&format!("/comments/{cid}/history")).await;
    page.expect_status(StatusCode::OK).expect_layout();
    assert!(page.text("h1").unwrap().contains("Commented"), "names the post: {:?}", page.text("h1"));
    assert!(page.has(&format!(r##"a[href="/posts/{post}#comment-{cid}"]"##)), "back to the comment");
    assert!(!page.has(r#"a[href$=".csv"]"#), "no CSV for comments");
    let v = versions(&page);
    assert_eq!(v.iter().map(|v| v.0).collect::<Vec<_>>(), vec![2, 1, 0]);
    assert_eq!(v[2].2, strings(&["I think so."]));
    assert_eq!(v[1].2, strings(&["On reflection, no."]));
    assert!(v[1].3.is_empty());
    assert_eq!(v[0].3, strings(&["On reflection, no."]));
    assert!(v[0].2.is_empty());
    assert_inert(&page);
}

#[tokio::test]
async fn histories_of_deleted_things_are_for_moderators_only() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let moderator = server.moderator("mia").await;
    let rust = category_id(&alice, "Rust").await;
    let post = bob.create_post(rust, "To be removed", "v0").await;
    bob.edit_post(post, "To be removed", "v1").await.expect_status(StatusCode::SEE_OTHER);
    let (cid, _) = alice.add_comment(post, "a comment").await;
    let (removed, _) = alice.add_comment(post, "removed comment").await;
    alice.delete_comment(removed).await.expect_status(StatusCode::SEE_OTHER);

    // A removed comment on a live post.
    bob.get(&format!("/comments/{removed}/history")).await.expect_status(StatusCode::NOT_FOUND);
    server.browser().get(&format!("/comments/{removed}/history")).await.expect_status(StatusCode::NOT_FOUND);
    moderator.get(&format!("/comments/{removed}/history")).await.expect_status(StatusCode::OK);

    moderator.delete_post(post).await.expect_status(StatusCode::SEE_OTHER);
    let anon = server.browser();
    for b in [&bob, &anon] {
        for path in
            [format!("/posts/{post}/history"), format!("/posts/{post}/history.csv"), format!("/comments/{cid}/history")]
        {
            let page = b.get(&path).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{path} of a deleted post\n{}", page.body_excerpt());
        }
    }
    let page = moderator.get(&format!("/posts/{post}/history")).await;
    page.expect_status(StatusCode::OK);
    assert_eq!(versions(&page).len(), 2);
    moderator.get(&format!("/posts/{post}/history.csv")).await.expect_status(StatusCode::OK);
    moderator.get(&format!("/comments/{cid}/history")).await.expect_status(StatusCode::OK);
}

#[tokio::test]
async fn a_line_added_at_the_end_leaves_the_last_line_unchanged() {
    // The text is stored without a final line break, so the old last line "gamma" and the same line
    // followed by a new one ("gamma\n") must still count as the same line in the diff.
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let id = alice.create_post(rust, "Appended", "alpha\ngamma").await;
    alice.edit_post(id, "Appended", "alpha\ngamma\ndelta").await.expect_redirect(&format!("/posts/{id}"));
    let page = alice.get(&format!("/posts/{id}/history")).await;
    page.expect_status(StatusCode::OK);
    let v = versions(&page);
    assert_eq!(v[0].0, 1);
    assert_eq!(
        (v[0].2.clone(), v[0].3.clone()),
        (strings(&["delta"]), Vec::<String>::new()),
        "appending one line shows one added line and nothing removed (added, removed)"
    );
    assert_eq!(page.texts("section.version .diff-summary")[0], "1 line added, 0 lines removed.");

    // And taking the last line away again removes just that line.
    alice.edit_post(id, "Appended", "alpha\ngamma").await.expect_redirect(&format!("/posts/{id}"));
    let v = versions(&alice.get(&format!("/posts/{id}/history")).await);
    assert_eq!(
        (v[0].2.clone(), v[0].3.clone()),
        (Vec::<String>::new(), strings(&["delta"])),
        "removing the last line shows one removed line and nothing added (added, removed)"
    );

    // The same for a comment.
    let (cid, _) = alice.add_comment(id, "I think so.").await;
    alice.edit_comment(cid, "I think so.\nOn reflection, no.").await.expect_status(StatusCode::SEE_OTHER);
    let page = alice.get(&format!("/comments/{cid}/history")).await;
    let v = versions(&page);
    assert_eq!((v[0].2.clone(), v[0].3.clone()), (strings(&["On reflection, no."]), Vec::<String>::new()));
}
