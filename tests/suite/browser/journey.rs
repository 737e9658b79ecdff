//! A new visitor uses the whole forum in Chromium with JavaScript switched off: every step is a click on
//! a link or a button found by its name, or typing into a field found by the text of its label.

use fantoccini::key::Key;

use super::catalogue::{Forum, boards_with_counts};
use super::driver::{Js, Session, chromedriver};
use super::tools::tools_or_skip;
use crate::common::PASSWORD;

const NAME: &str = "하늘_rider";
const EMAIL: &str = "rider@example.com";
const NEW_PASSWORD: &str = "a brand new passphrase 2";
const TITLE: &str = "Zebrafish tank notes from a keyboard";
const TITLE_EDITED: &str = "Zebrafish tank notes, revised";

/// Assert with the page the browser shows in the message.
macro_rules! check {
    ($s:expr, $cond:expr, $($msg:tt)+) => {
        if !$cond {
            panic!("{}\n--- {}", format!($($msg)+), $s.context().await);
        }
    };
}

async fn flash(s: &Session) -> String {
    s.texts_of("div.flash").await.join(" | ")
}

async fn expect_h1(s: &Session, h1: &str) {
    let got = s.h1().await;
    check!(s, got == h1, "expected the page {h1:?}, got the h1 {got:?}");
}

async fn expect_logged_in(s: &Session) {
    check!(s, s.has_link(NAME).await && s.has_button("Log out").await, "the header should show {NAME} and Log out");
}

async fn expect_logged_out(s: &Session) {
    check!(
        s,
        s.has_link("Log in").await && s.has_link("Sign up").await && !s.has_button("Log out").await,
        "the header should offer Log in and Sign up"
    );
}

/// The post ids of the list on the current page, in order.
/// The posts a list page shows in its keyset order: the pinned ones heading the first page are left out.
async fn listed_posts(s: &Session) -> Vec<String> {
    posts_matching(s, "ol.post-list .post-title:not(:has(.mark-pinned)) a").await
}

async fn posts_matching(s: &Session, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for a in s.client.find_all(fantoccini::Locator::Css(css)).await.unwrap_or_default() {
        out.push(a.attr("href").await.ok().flatten().unwrap_or_default());
    }
    out
}

#[tokio::test]
async fn a_new_visitor_uses_the_whole_forum_without_javascript() {
    let Some(tools) = tools_or_skip("a_new_visitor_uses_the_whole_forum_without_javascript") else { return };
    let forum = Forum::build(120).await;
    let driver = chromedriver(&tools);
    let s = Session::start(&driver, &tools, forum.server.base_url(), Js::Off).await;

    // The browser really runs no script: a page that would retitle itself keeps its title.
    s.client
        .goto("data:text/html,<title>still</title><noscript>off</noscript><script>document.title='ran'</script>")
        .await
        .expect("open a data: page");
    assert_eq!(s.title().await, "still", "JavaScript must be off in the journey's browser");

    // --- sign up, making a mistake first --------------------------------------------------------------
    s.goto("/").await;
    expect_h1(&s, "Boards").await;
    expect_logged_out(&s).await;
    s.click_link("Sign up").await;
    expect_h1(&s, "Create an account").await;
    s.fill("Name", NAME).await;
    s.fill("Email address", EMAIL).await;
    s.fill("Password", PASSWORD).await;
    s.fill("Password again", "not the same password").await;
    s.click_button("Create account").await;
    expect_h1(&s, "Create an account").await;
    let summary = s.text_of(".error-summary").await.unwrap_or_default();
    check!(s, summary.contains("There is a problem"), "an error summary, got {summary:?}");
    let focused_class = s.focused().await.attr("class").await.ok().flatten().unwrap_or_default();
    check!(
        s,
        focused_class.contains("error-summary"),
        "the error summary takes the focus, focus is on class {focused_class:?}"
    );
    let again = s.field("Password again").await;
    check!(
        s,
        again.attr("aria-invalid").await.ok().flatten().as_deref() == Some("true"),
        "Password again is marked invalid"
    );
    let described = again.attr("aria-describedby").await.ok().flatten().unwrap_or_default();
    let mut descriptions = Vec::new();
    for id in described.split_whitespace() {
        descriptions.push(s.text_of(&format!("[id=\"{id}\"]")).await.unwrap_or_default());
    }
    check!(
        s,
        descriptions.iter().any(|d| !d.is_empty() && summary.contains(d.as_str())),
        "the field's aria-describedby ({described}) points at its error, which the summary repeats: {descriptions:?}"
    );
    check!(
        s,
        s.field("Name").await.prop("value").await.ok().flatten().as_deref() == Some(NAME),
        "the name typed is kept"
    );
    // Passwords are never sent back: type both again.
    s.fill("Password", PASSWORD).await;
    s.fill("Password again", PASSWORD).await;
    s.click_button("Create account").await;
    check!(s, s.path().await == "/", "after signing up the front page shows");
    check!(s, flash(&s).await.contains("Your account is ready"), "a welcome message");
    expect_logged_in(&s).await;

    // --- log out and in again -------------------------------------------------------------------------
    s.click_button("Log out").await;
    check!(s, flash(&s).await.contains("You are logged out"), "logged out message");
    expect_logged_out(&s).await;
    s.click_link("Log in").await;
    expect_h1(&s, "Log in").await;
    s.fill("Name or email address", EMAIL).await;
    s.fill("Password", PASSWORD).await;
    s.click_button("Log in").await;
    check!(s, flash(&s).await.contains(&format!("Logged in as {NAME}")), "logged in message");
    expect_logged_in(&s).await;

    // --- open the board with the most posts -----------------------------------------------------------
    let home = forum.nobody.home().await;
    let (_, board, before) = boards_with_counts(&home).into_iter().max_by_key(|b| b.2).expect("boards");
    assert!(before > 40, "the seed gives a board of at least three pages: {before}");
    s.click_link(&board).await;
    expect_h1(&s, &board).await;
    check!(s, s.title().await.contains(&board), "the board's name is in the title");

    // --- write a post ---------------------------------------------------------------------------------
    s.click_link("New post").await;
    expect_h1(&s, "Write a post").await;
    let chosen = s.field("Board or category").await.prop("value").await.ok().flatten().unwrap_or_default();
    check!(s, !chosen.is_empty(), "the board we came from is chosen already");
    s.fill("Title", TITLE).await;
    s.fill("Text", "The tank is **warm** today.\nSecond line stays the same.").await;
    s.click_button("Publish").await;
    expect_h1(&s, TITLE).await;
    check!(s, flash(&s).await.contains("Your post is published"), "published message");
    check!(s, s.text_of(".post-body strong").await.as_deref() == Some("warm"), "Markdown is rendered");
    let post_path = s.path().await;
    check!(s, post_path.starts_with("/posts/"), "a post page");

    // --- edit it --------------------------------------------------------------------------------------
    s.click_link("Edit").await;
    expect_h1(&s, "Edit your post").await;
    check!(
        s,
        s.field("Title").await.prop("value").await.ok().flatten().as_deref() == Some(TITLE),
        "the form holds the title"
    );
    s.fill("Title", TITLE_EDITED).await;
    s.fill("Text", "The tank is **cool** today.\nSecond line stays the same.").await;
    s.click_button("Save a new version").await;
    expect_h1(&s, TITLE_EDITED).await;
    check!(s, flash(&s).await.contains("Your post is updated"), "updated message");
    check!(s, s.text_of(".post-body strong").await.as_deref() == Some("cool"), "the new text shows");
    check!(s, s.text_of(".post-meta").await.unwrap_or_default().contains("edited"), "the post says it was edited");

    // --- its history and the diff ---------------------------------------------------------------------
    s.click_link("history").await;
    expect_h1(&s, &format!("History of “{TITLE_EDITED}”")).await;
    let versions = s.texts_of("section.version h2").await;
    check!(
        s,
        versions.len() == 2 && versions[0].starts_with("Version") && versions[1].starts_with("Version"),
        "two versions: {versions:?}"
    );
    let page = s.page_text().await;
    check!(s, page.contains(&format!("Title changed from “{TITLE}” to “{TITLE_EDITED}”")), "the title change is told");
    // The newest version comes first; its diff is against version 0.
    let version1 = s.find("section.version").await;
    check!(s, version1.text().await.unwrap_or_default().starts_with("Version 1"), "the newest version is listed first");
    let mut added = Vec::new();
    for el in version1.find_all(fantoccini::Locator::Css(".diff ins")).await.unwrap_or_default() {
        added.push(el.text().await.unwrap_or_default());
    }
    let mut removed = Vec::new();
    for el in version1.find_all(fantoccini::Locator::Css(".diff del")).await.unwrap_or_default() {
        removed.push(el.text().await.unwrap_or_default());
    }
    check!(s, added.iter().any(|l| l.contains("The tank is **cool** today.")), "the added line: {added:?}");
    check!(s, removed.iter().any(|l| l.contains("The tank is **warm** today.")), "the removed line: {removed:?}");
    check!(
        s,
        !added.iter().chain(&removed).any(|l| l.contains("Second line stays the same.")),
        "the unchanged line is neither added nor removed: {added:?} {removed:?}"
    );
    check!(s, page.contains("1 line added, 1 line removed."), "the diff summary");
    s.click_link("Back").await;
    expect_h1(&s, TITLE_EDITED).await;

    // --- comment --------------------------------------------------------------------------------------
    s.fill("Your comment", "Lovely *fish*, thanks for sharing.").await;
    s.click_button("Add comment").await;
    check!(s, flash(&s).await.contains("Your comment is added"), "comment added message");
    let comments = s.texts_of("ol.comment-list .comment-body").await;
    check!(s, comments.iter().any(|c| c == "Lovely fish, thanks for sharing."), "the comment is listed: {comments:?}");
    check!(s, s.text_of(".comment-body em").await.as_deref() == Some("fish"), "Markdown in the comment");
    check!(s, s.text_of("#comments-heading").await.as_deref() == Some("1 comment"), "one comment");

    // --- vote for someone else's post, and take the vote back -----------------------------------------
    check!(s, !s.has_button("Vote for this post").await, "nobody votes for their own post");
    s.click_link(&board).await;
    expect_h1(&s, &board).await;
    let rows = s.client.find_all(fantoccini::Locator::Css("ol.post-list .post-title a")).await.unwrap_or_default();
    check!(s, rows.len() > 1, "the board lists more posts");
    // The first post that is not the visitor's own (the board's pinned post may come first).
    let mut others = Vec::new();
    for row in &rows {
        if row.text().await.unwrap_or_default() != TITLE_EDITED {
            others.push(row.clone());
        }
    }
    let other = others.first().cloned().expect("the board lists someone else's post");
    let other_title = other.text().await.unwrap_or_default();
    s.follow(other, "the second post of the board").await;
    expect_h1(&s, &other_title).await;
    let votes_before = s.text_of(".post-actions .votes").await.unwrap_or_default();
    let count_before: i64 = votes_before.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(-1);
    check!(s, count_before >= 0, "the post shows its votes: {votes_before:?}");
    let votes = |n: i64| if n == 1 { "1 vote".to_owned() } else { format!("{n} votes") };
    s.click_button("Vote for this post").await;
    check!(s, flash(&s).await.contains("Your vote is counted"), "vote message");
    let votes_after = s.text_of(".post-actions .votes").await.unwrap_or_default();
    check!(
        s,
        votes_after == votes(count_before + 1),
        "one vote more: before {votes_before:?}, after {votes_after:?}\n--- server log (last lines) ---\n{}",
        forum.server.logs().iter().rev().take(15).rev().cloned().collect::<Vec<_>>().join("\n")
    );
    let pressed = s.button("Take back my vote").await.attr("aria-pressed").await.ok().flatten();
    check!(s, pressed.as_deref() == Some("true"), "the vote button is pressed: {pressed:?}");
    s.click_button("Take back my vote").await;
    check!(s, flash(&s).await.contains("Your vote is taken back"), "vote taken back message");
    check!(s, s.text_of(".post-actions .votes").await == Some(votes(count_before)), "the vote is gone again");
    let pressed = s.button("Vote for this post").await.attr("aria-pressed").await.ok().flatten();
    check!(s, pressed.as_deref() == Some("false"), "the vote button is not pressed: {pressed:?}");

    // --- search ---------------------------------------------------------------------------------------
    s.fill("Search posts", "zebrafish").await;
    s.enter_in("Search posts").await;
    expect_h1(&s, "Search").await;
    check!(s, s.title().await.starts_with("Search: zebrafish"), "the words searched are in the title");
    let results = s.texts_of("ol.post-list .post-title").await;
    check!(s, results == vec![TITLE_EDITED.to_owned()], "exactly our post is found: {results:?}");
    s.fill("Words to find", "qqqnothingmatches").await;
    s.enter_in("Words to find").await;
    check!(s, !s.has("ol.post-list").await && s.has("p.empty").await, "no results, said so");
    s.fill("Words to find", "zebra").await;
    s.enter_in("Words to find").await;
    s.click_link(TITLE_EDITED).await;
    expect_h1(&s, TITLE_EDITED).await;

    // --- page through the board, which now has one post more ------------------------------------------
    s.click_link("Boards").await;
    expect_h1(&s, "Boards").await;
    let after = boards_with_counts(&forum.nobody.home().await).into_iter().find(|b| b.1 == board).expect("the board").2;
    check!(s, after == before + 1, "the board counts our post: {before} → {after}");
    s.click_link(&board).await;
    let pinned = posts_matching(&s, "ol.post-list .post-title:has(.mark-pinned) a").await;
    let mut pages: Vec<Vec<String>> = Vec::new();
    loop {
        let rows = listed_posts(&s).await;
        check!(s, !rows.is_empty() && rows.len() <= 20, "a page of 1 to 20 posts, got {}", rows.len());
        if pages.len() == 1 {
            check!(s, s.title().await.contains("older posts"), "later pages say so in the title");
        }
        pages.push(rows);
        if !s.has_link("Older posts →").await {
            break;
        }
        check!(s, pages.last().map(Vec::len) == Some(20), "only the last page is short");
        check!(s, pages.len() < 20, "too many pages");
        s.click_link("Older posts →").await;
    }
    check!(s, pages.len() >= 3, "at least three pages, got {}", pages.len());
    let all: Vec<&String> = pages.iter().flatten().collect();
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    check!(s, unique.len() == all.len(), "no post is listed twice across pages");
    check!(s, !pinned.iter().any(|p| all.contains(&p)), "a pinned post is not listed again");
    let listed = all.len() + pinned.len();
    check!(s, listed as i64 == after, "every post of the board is listed once: {listed} of {after}");
    check!(s, *all[0] == post_path, "the newest post, ours, comes first: {}", all[0]);
    // And back one page.
    s.click_link("← Newer posts").await;
    let back = listed_posts(&s).await;
    check!(s, back == pages[pages.len() - 2], "Newer posts shows the previous page again");

    // --- change the password --------------------------------------------------------------------------
    s.click_link("Settings").await;
    expect_h1(&s, "Settings").await;
    s.fill("Current password", PASSWORD).await;
    s.fill("New password", NEW_PASSWORD).await;
    s.fill("New password again", NEW_PASSWORD).await;
    s.click_button("Change password").await;
    check!(s, flash(&s).await.contains("Your password is changed"), "password changed message");
    expect_logged_in(&s).await;

    // --- log out; the old password no longer works, the new one does ---------------------------------
    s.click_button("Log out").await;
    expect_logged_out(&s).await;
    s.click_link("Log in").await;
    s.fill("Name or email address", NAME).await;
    s.fill("Password", PASSWORD).await;
    s.click_button("Log in").await;
    expect_h1(&s, "Log in").await;
    check!(s, s.has(".error-summary").await, "the old password is refused with an error summary");
    expect_logged_out(&s).await;
    s.fill("Password", NEW_PASSWORD).await;
    s.field("Password").await.send_keys(&String::from(char::from(Key::Enter))).await.expect("press Enter");
    check!(s, flash(&s).await.contains(&format!("Logged in as {NAME}")), "logged in with the new password");
    expect_logged_in(&s).await;
    s.click_button("Log out").await;
    expect_logged_out(&s).await;

    s.close().await;
}
