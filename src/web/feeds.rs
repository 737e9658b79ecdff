//! Atom feeds (RFC 4287), written by `atom_syndication`: the newest posts of the forum, of each
//! board and category and of each member, and the newest comments of a post. They are built from the cached
//! values the pages show, so they change when the pages do, and carry an `ETag` and a
//! `Last-Modified`: a feed reader that polls gets a 304 while nothing changed.

use super::error::WebError;
use super::i18n::Reader;
use super::ids::PathId;
use super::page::profile_href;
use super::{AppState, conditional};
use crate::domain::{CategoryId, CommentId, PostId, Timestamp};
use crate::ports::{ListScope, PostView};
use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feed.atom", get(forum_feed))
        .route("/categories/{id}/feed.atom", get(category_feed))
        .route("/posts/{id}/comments.atom", get(comments_feed))
        .route("/users/{name}/feed.atom", get(member_feed))
        .route("/comments/{id}", get(comment_permalink))
}

/// The feed's address of a list's page (`/categories/3` → `/categories/3/feed.atom`).
pub fn category_feed_href(id: CategoryId) -> String {
    format!("/categories/{id}/feed.atom")
}

pub fn comments_feed_href(id: PostId) -> String {
    format!("/posts/{id}/comments.atom")
}

pub const FORUM_FEED_HREF: &str = "/feed.atom";

/// A member's feed, beside their profile (`/users/이름/feed.atom`, the name escaped).
pub fn member_feed_href(name: &str) -> String {
    format!("{}/feed.atom", profile_href(name))
}

/// The scheme and host the links of a feed start with: feed readers need absolute addresses.
/// The host is the one the reader asked for; nothing built from it is kept for others.
pub(super) fn site(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).filter(|h| is_plain_host(h));
    let scheme = if state.cookies.secure { "https" } else { "http" };
    format!("{scheme}://{}", host.unwrap_or("localhost"))
}

/// A host (and port) as a browser sends it: letters, digits, dots, dashes, colons, brackets.
fn is_plain_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

pub(super) fn instant(at: Timestamp) -> FixedDateTime {
    chrono::DateTime::from_timestamp_millis(at.0).unwrap_or_default().fixed_offset()
}

pub(super) fn link(rel: &str, href: String, mime_type: &str) -> Link {
    Link { rel: rel.to_owned(), href, mime_type: Some(mime_type.to_owned()), ..Link::default() }
}

fn author(reader: &Reader, name: Option<&str>) -> Person {
    let name = name.map_or_else(|| reader.lang.t("deleted-user").into_owned(), str::to_owned);
    Person { name, ..Person::default() }
}

fn html(value: &str) -> Content {
    Content { value: Some(value.to_owned()), content_type: Some("html".to_owned()), ..Content::default() }
}

/// A feed with its own address and the page it follows; `updated` is its newest entry's.
pub(super) fn feed(reader: &Reader, title: String, page: String, self_href: String, entries: Vec<Entry>) -> Feed {
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or_else(|| instant(Timestamp(0)));
    Feed {
        title: Text::plain(format!("{title} · {}", reader.lang.t("site-name"))),
        id: page.clone(),
        updated,
        links: vec![link("self", self_href, "application/atom+xml"), link("alternate", page, "text/html")],
        lang: Some(reader.lang.code().to_owned()),
        entries,
        ..Feed::default()
    }
}

fn post_entry(site: &str, reader: &Reader, post: &PostView) -> Entry {
    let href = format!("{site}/posts/{}", post.post_id);
    Entry {
        title: Text::plain(post.title.clone()),
        id: href.clone(),
        updated: instant(post.edited),
        published: Some(instant(post.created)),
        authors: vec![author(reader, post.author_name.as_deref())],
        links: vec![link("alternate", href, "text/html")],
        content: Some(html(&post.body_html)),
        ..Entry::default()
    }
}

/// A feed of posts that follows the page at `path` (its own address is `path` + `/feed.atom`).
fn posts_feed(site: &str, reader: &Reader, title: String, path: &str, posts: &[std::sync::Arc<PostView>]) -> Feed {
    let entries = posts.iter().map(|post| post_entry(site, reader, post)).collect();
    let self_href = if path == "/" { format!("{site}{FORUM_FEED_HREF}") } else { format!("{site}{path}/feed.atom") };
    feed(reader, title, format!("{site}{path}"), self_href, entries)
}

async fn member_feed(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Result<Response, WebError> {
    let row = state.app.profile(&name).await?.ok_or(WebError::NotFound)?;
    let name = row.name.as_deref().ok_or(WebError::NotFound)?;
    let posts = state.app.feed_posts(ListScope::Author(row.user_id)).await?;
    let title = reader.lang.ta("feed-member-posts", "name", name);
    let site = site(&state, &headers);
    Ok(send(&headers, &posts_feed(&site, &reader, title, &profile_href(name), &posts)))
}

async fn forum_feed(State(state): State<AppState>, reader: Reader, headers: HeaderMap) -> Result<Response, WebError> {
    let posts = state.app.feed_posts(ListScope::All).await?;
    let site = site(&state, &headers);
    let feed = posts_feed(&site, &reader, reader.lang.t("feed-newest-posts").into_owned(), "/", &posts);
    Ok(send(&headers, &feed))
}

async fn category_feed(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    id: PathId<CategoryId>,
) -> Result<Response, WebError> {
    let tree = state.app.category_tree().await?;
    let category = tree.iter().find(|c| c.id == id.0).ok_or(WebError::NotFound)?;
    let scope = if category.tier == 1 { ListScope::Board(category.id) } else { ListScope::Category(category.id) };
    let posts = state.app.feed_posts(scope).await?;
    let title = match &category.parent_name {
        Some(board) => format!("{} · {board}", category.name),
        None => category.name.clone(),
    };
    let site = site(&state, &headers);
    Ok(send(&headers, &posts_feed(&site, &reader, title, &format!("/categories/{}", category.id), &posts)))
}

async fn comments_feed(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    id: PathId<PostId>,
) -> Result<Response, WebError> {
    let found = state.app.comments_feed(id.0).await?.ok_or(WebError::NotFound)?;
    let site = site(&state, &headers);
    let entries = found
        .comments
        .iter()
        .map(|comment| {
            let href = format!("{site}/comments/{}", comment.comment_id);
            let who = author(&reader, comment.author_name.as_deref());
            Entry {
                title: Text::plain(reader.lang.ta("feed-comment-title", "name", &who.name)),
                id: href.clone(),
                updated: instant(comment.edited),
                published: Some(instant(comment.created)),
                authors: vec![who],
                links: vec![link("alternate", href, "text/html")],
                content: Some(html(&comment.body_html)),
                ..Entry::default()
            }
        })
        .collect();
    let title = reader.lang.ta("feed-comments-on", "title", &found.post.title);
    let page = format!("{site}/posts/{}", found.post.post_id);
    let self_href = format!("{site}{}", comments_feed_href(found.post.post_id));
    Ok(send(&headers, &feed(&reader, title, page, self_href, entries)))
}

/// A comment's lasting address (the feeds link to it): its post's page that holds it.
async fn comment_permalink(State(state): State<AppState>, id: PathId<CommentId>) -> Result<Response, WebError> {
    let (post_id, page) = state.app.comment_place(id.0).await?.ok_or(WebError::NotFound)?;
    Ok(Redirect::to(&format!("/posts/{post_id}?page={page}#comment-{}", id.0)).into_response())
}

pub(super) fn send(headers: &HeaderMap, feed: &Feed) -> Response {
    let body = feed.to_string();
    let millis = u64::try_from(feed.updated.timestamp_millis()).unwrap_or(0);
    let modified = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(millis);
    conditional::respond(headers, "application/atom+xml; charset=utf-8", body, modified)
}
