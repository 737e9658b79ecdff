//! Helpers for the post, comment, list, search and history tests (declared from `common/mod.rs`).
//!
//! - the board tree read from `/` ([`categories`], [`category_id`]);
//! - writing through the forms like a browser ([`Browser::create_post`], [`Browser::add_comment`] …),
//!   each asserting the POST/redirect/GET answer and returning the new id;
//! - reading the pages back ([`post_ids_in_list`], [`post_votes`], [`comment_ids`], [`textarea_value`]);
//! - the read-model oracle ([`TestServer::expect_read_model_consistent`]);
//! - [`assert_inert`]: no script, event handler or `javascript:` URL in a page.

use reqwest::StatusCode;
use scraper::{Html, Selector};

use super::{Browser, Page, TestServer, collapse};

/// The text the tests put into posts when they do not care what it says.
pub const SOME_TEXT: &str = "Some text for the body of a post.";

// ---------------------------------------------------------------------------------------------------------
// The board tree
// ---------------------------------------------------------------------------------------------------------

/// Every board and category linked from the front page, as (id, name), in page order.
pub async fn categories(b: &Browser) -> Vec<(i64, String)> {
    let home = b.get("/").await;
    home.expect_status(StatusCode::OK);
    let doc = home.html();
    let sel = Selector::parse(r#"main a[href^="/categories/"]"#).unwrap();
    let mut out: Vec<(i64, String)> = Vec::new();
    for a in doc.select(&sel) {
        let href = a.value().attr("href").unwrap_or_default();
        let Some(id) = href.strip_prefix("/categories/").and_then(|s| s.parse::<i64>().ok()) else { continue };
        if !out.iter().any(|(i, _)| *i == id) {
            out.push((id, collapse(&a.text().collect::<String>())));
        }
    }
    out
}

/// The id of the board or category called `name` (as the front page links it).
pub async fn category_id(b: &Browser, name: &str) -> i64 {
    let all = categories(b).await;
    all.iter()
        .find(|(_, n)| n == name)
        .map(|(id, _)| *id)
        .unwrap_or_else(|| panic!("no board or category named {name:?} on the front page: {all:?}"))
}

// ---------------------------------------------------------------------------------------------------------
// Ids from redirects
// ---------------------------------------------------------------------------------------------------------

/// `/posts/17` (or `/posts/17?…#…`) → 17.
pub fn post_id_of(location: &str) -> i64 {
    let rest = location.strip_prefix("/posts/").unwrap_or_else(|| panic!("not a post address: {location}"));
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().unwrap_or_else(|_| panic!("no post id in {location}"))
}

/// `…#comment-42` → 42.
pub fn comment_id_of(location: &str) -> i64 {
    let at = location.find("#comment-").unwrap_or_else(|| panic!("no #comment- anchor in {location}"));
    location[at + "#comment-".len()..].parse().unwrap_or_else(|_| panic!("no comment id in {location}"))
}

/// The `page` query parameter of an address (1 when absent).
pub fn page_param(location: &str) -> i64 {
    let query = location.split('#').next().unwrap_or_default().split_once('?').map(|(_, q)| q).unwrap_or_default();
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))
        .map(|v| v.parse().unwrap_or_else(|_| panic!("bad page number in {location}")))
        .unwrap_or(1)
}

// ---------------------------------------------------------------------------------------------------------
// Writing, as a browser does
// ---------------------------------------------------------------------------------------------------------

impl Browser {
    /// `POST /posts` with the raw form; the caller checks the answer.
    pub async fn submit_post(&self, category: &str, title: &str, content: &str) -> Page {
        self.post_form("/posts", &[("title", title), ("content", content), ("category", category)]).await
    }

    /// `POST /posts` that may fail to get an answer (a server killed meanwhile): the status
    /// and the `Location`, or the transport error.
    pub async fn try_submit_post(&self, category: i64, title: &str) -> Result<(StatusCode, String), String> {
        self.try_post_form("/posts", &[("title", title), ("content", title), ("category", &category.to_string())]).await
    }

    /// Publishes a post; asserts the 303 to `/posts/{id}` and returns the id.
    pub async fn create_post(&self, category: i64, title: &str, content: &str) -> i64 {
        let page = self.submit_post(&category.to_string(), title, content).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "publishing {title:?} should redirect, got {}\n{}",
            page.status,
            page.body_excerpt()
        );
        let location = page.location().expect("Location of the new post");
        let id = post_id_of(&location);
        assert_eq!(location, format!("/posts/{id}"), "a new post redirects to its page");
        id
    }

    pub async fn edit_post(&self, post: i64, title: &str, content: &str) -> Page {
        self.post_form(&format!("/posts/{post}/edit"), &[("title", title), ("content", content)]).await
    }

    pub async fn delete_post(&self, post: i64) -> Page {
        self.post_form(&format!("/posts/{post}/delete"), &[("reason", "test reason")]).await
    }

    pub async fn restore_post(&self, post: i64) -> Page {
        self.post_form(&format!("/posts/{post}/restore"), &[("reason", "test reason")]).await
    }

    pub async fn vote_post(&self, post: i64) -> Page {
        self.post_form(&format!("/posts/{post}/vote"), &[]).await
    }

    /// `POST /posts/{post}/comments`; the caller checks the answer.
    pub async fn submit_comment(&self, post: i64, content: &str) -> Page {
        self.post_form(&format!("/posts/{post}/comments"), &[("content", content)]).await
    }

    /// Adds a comment; asserts the 303 to `/posts/{post}?page=N#comment-{id}`; returns (id, location).
    pub async fn add_comment(&self, post: i64, content: &str) -> (i64, String) {
        let page = self.submit_comment(post, content).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "commenting on post {post} should redirect, got {}\n{}",
            page.status,
            page.body_excerpt()
        );
        let location = page.location().expect("Location after a comment");
        assert!(
            location.starts_with(&format!("/posts/{post}?page=")),
            "a comment redirects to its post's page, got {location}"
        );
        (comment_id_of(&location), location)
    }

    pub async fn edit_comment(&self, comment: i64, content: &str) -> Page {
        self.post_form(&format!("/comments/{comment}/edit"), &[("content", content)]).await
    }

    pub async fn delete_comment(&self, comment: i64) -> Page {
        self.post_form(&format!("/comments/{comment}/delete"), &[("reason", "test reason")]).await
    }

    pub async fn restore_comment(&self, comment: i64) -> Page {
        self.post_form(&format!("/comments/{comment}/restore"), &[("reason", "test reason")]).await
    }

    pub async fn vote_comment(&self, comment: i64) -> Page {
        self.post_form(&format!("/comments/{comment}/vote"), &[]).await
    }

    /// The post page, asserting 200.
    pub async fn post_page(&self, post: i64) -> Page {
        let page = self.get(&format!("/posts/{post}")).await;
        page.expect_status(StatusCode::OK);
        page
    }
}

impl TestServer {
    /// A user `name` (email `name@example.com`) who is made a moderator by `forum grant-role`, then
    /// logged in afresh (so the new role is what the session reads).
    pub async fn moderator(&self, name: &str) -> Browser {
        self.user(name, &format!("{name}@example.com")).await;
        self.run_command(&["grant-role", "--name", name, "--role", "moderator"]).await.expect_success();
        let b = self.browser();
        b.login(name, super::PASSWORD).await.expect_redirect("/");
        b
    }

    /// `forum read-model check` on this server's database: must exit 0 with no differences.
    pub async fn expect_read_model_consistent(&self) {
        let out = self.run_command(&["read-model", "check"]).await;
        assert!(
            out.status.success(),
            "`forum read-model check` found differences ({:?})\n--- stdout ---\n{}\n--- stderr ---\n{}",
            out.status,
            out.stdout,
            out.stderr
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// Reading pages back
// ---------------------------------------------------------------------------------------------------------

/// The posts of a list page (category or search), in page order.
pub fn post_ids_in_list(page: &Page) -> Vec<i64> {
    page.attrs("ol.post-list li.post-row .post-title a", "href").iter().map(|h| post_id_of(h)).collect()
}

/// The titles of a list page, in page order.
pub fn titles_in_list(page: &Page) -> Vec<String> {
    page.texts("ol.post-list li.post-row .post-title a")
}

/// The "… comments · … votes" line of a post's row in a list page.
pub fn list_counts(page: &Page, post: i64) -> Option<(i64, i64)> {
    let doc = page.html();
    let rows = Selector::parse("ol.post-list li.post-row").unwrap();
    let link = Selector::parse(".post-title a").unwrap();
    let counts = Selector::parse(".post-counts span").unwrap();
    for row in doc.select(&rows) {
        let href = row.select(&link).next().and_then(|a| a.value().attr("href")).unwrap_or_default();
        if href == format!("/posts/{post}") {
            let nums: Vec<i64> = row.select(&counts).map(|s| leading_number(&s.text().collect::<String>())).collect();
            return Some((nums[0], nums[1]));
        }
    }
    None
}

/// The number a text starts with ("12 votes" → 12).
pub fn leading_number(text: &str) -> i64 {
    let t = text.trim();
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().unwrap_or_else(|_| panic!("no number at the start of {text:?}"))
}

/// The vote count shown for the post on its page.
pub fn post_votes(page: &Page) -> i64 {
    let text = page.text(".post-actions .votes").unwrap_or_else(|| panic!("no vote count on {}", page.path));
    leading_number(&text)
}

/// The number of comments in the heading of the comment section.
pub fn comment_count_heading(page: &Page) -> i64 {
    leading_number(&page.text("#comments-heading").expect("a comments heading"))
}

/// Ids of the comments listed on a post page, in order.
pub fn comment_ids(page: &Page) -> Vec<i64> {
    page.attrs("ol.comment-list > li.comment", "id")
        .iter()
        .map(|id| id.strip_prefix("comment-").and_then(|n| n.parse().ok()).expect("comment-N id"))
        .collect()
}

/// The vote count of one comment on a post page (None when none is shown, e.g. a removed comment).
pub fn comment_votes(page: &Page, comment: i64) -> Option<i64> {
    page.text(&format!(r#"li[id="comment-{comment}"] .comment-actions .votes"#)).map(|t| leading_number(&t))
}

/// The text of one comment's body.
pub fn comment_text(page: &Page, comment: i64) -> Option<String> {
    page.text(&format!(r#"li[id="comment-{comment}"] .comment-body"#))
}

/// The text inside the textarea named `name`, as the browser would show it.
pub fn textarea_value(page: &Page, name: &str) -> Option<String> {
    let doc = page.html();
    let sel = Selector::parse(&format!(r#"textarea[name="{name}"]"#)).unwrap();
    doc.select(&sel).next().map(|t| t.text().collect::<String>())
}

/// The value of the field `name` of a form, whether an input or a textarea.
pub fn field_value(page: &Page, name: &str) -> Option<String> {
    page.input_value(name).or_else(|| textarea_value(page, name))
}

/// A rejected post or comment form: 422, the error summary and the field's own error say something,
/// and the field is marked invalid.
#[track_caller]
pub fn expect_rejected_field(page: &Page, field: &str) {
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.error_summary().is_some(),
        "{}: a rejected form shows an error summary\n{}",
        page.path,
        page.body_excerpt()
    );
    assert!(
        page.field_error(field).is_some_and(|e| !e.is_empty()),
        "{}: #{field}-error should explain the problem\n{}",
        page.path,
        page.body_excerpt()
    );
    let marked = page.has(&format!(r#"input[name="{field}"][aria-invalid="true"]"#))
        || page.has(&format!(r#"textarea[name="{field}"][aria-invalid="true"]"#))
        || page.has(&format!(r#"select[name="{field}"][aria-invalid="true"]"#));
    assert!(marked, "{}: the {field} field should carry aria-invalid=\"true\"", page.path);
}

// ---------------------------------------------------------------------------------------------------------
// Inert pages
// ---------------------------------------------------------------------------------------------------------

/// Nothing in the page can run: no `<script>` or `<style>` element, no `on…` event handler attribute,
/// no `javascript:`/`vbscript:`/`data:` URL in any `href`, `src`, `action`, `formaction` or `xlink:href`,
/// and no `<iframe>`, `<object>`, `<embed>`, `<svg>` or `<img>` coming from users.
#[track_caller]
pub fn assert_inert(page: &Page) {
    let lower = page.body.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{}: the page contains a <script> tag\n{}", page.path, page.body_excerpt());
    let doc = Html::parse_document(&page.body);
    let all = Selector::parse("*").unwrap();
    for el in doc.select(&all) {
        let name = el.value().name();
        assert!(
            !matches!(name, "script" | "style" | "iframe" | "object" | "embed" | "svg" | "img" | "math" | "base"),
            "{}: a <{name}> element made it into the page\n{}",
            page.path,
            page.body_excerpt()
        );
        for (attr, value) in el.value().attrs() {
            let attr_l = attr.to_ascii_lowercase();
            assert!(
                !attr_l.starts_with("on"),
                "{}: <{name} {attr}=\"{value}\"> is an event handler\n{}",
                page.path,
                page.body_excerpt()
            );
            if matches!(attr_l.as_str(), "href" | "src" | "action" | "formaction" | "xlink:href" | "srcdoc") {
                let v: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
                let v = v.to_ascii_lowercase();
                assert!(
                    !(v.starts_with("javascript:") || v.starts_with("vbscript:") || v.starts_with("data:")),
                    "{}: <{name} {attr}=\"{value}\"> is a script URL\n{}",
                    page.path,
                    page.body_excerpt()
                );
            }
            if attr_l == "style" {
                panic!("{}: <{name} style=\"{value}\"> carries inline style from somewhere", page.path);
            }
        }
    }
}

/// The post count the front page shows for a board or category.
pub fn front_page_count(home: &Page, category: i64) -> Option<i64> {
    let doc = home.html();
    let href = format!("/categories/{category}");
    let boards = Selector::parse("section.board").unwrap();
    let board_link = Selector::parse("h2 a").unwrap();
    let board_count = Selector::parse("p.count").unwrap();
    let items = Selector::parse("ul.categories li").unwrap();
    let item_link = Selector::parse("a").unwrap();
    let item_count = Selector::parse(".count").unwrap();
    for board in doc.select(&boards) {
        if board.select(&board_link).next().and_then(|a| a.value().attr("href")) == Some(href.as_str()) {
            return board.select(&board_count).next().map(|c| leading_number(&c.text().collect::<String>()));
        }
        for item in board.select(&items) {
            if item.select(&item_link).next().and_then(|a| a.value().attr("href")) == Some(href.as_str()) {
                return item.select(&item_count).next().map(|c| leading_number(&c.text().collect::<String>()));
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------------------------------------

/// Polls all the futures together until every one is done (like `futures::future::join_all`): the
/// requests they make are in flight at the same time.
pub async fn join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    use std::task::Poll;
    let mut futures: Vec<std::pin::Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut done: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, slot) in futures.iter_mut().zip(done.iter_mut()) {
            if slot.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *slot = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending { Poll::Pending } else { Poll::Ready(()) }
    })
    .await;
    done.into_iter().map(|v| v.expect("every future finished")).collect()
}
