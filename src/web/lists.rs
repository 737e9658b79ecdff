//! Post lists: a board or category, and search results.

use super::error::WebError;
use super::forms::category_options;
use super::i18n::{Lang, Reader};
use super::ids::parse_id;
use super::page::{Layout, Page, profile_href, render};
use super::{AppState, format};
use crate::app::boards::category_choices;
use crate::app::content_queries::{ListPage, NewerPage};
use crate::domain::CategoryId;
use crate::domain::PostId;
use crate::ports::{CategoryRow, ListCursor, ListScope, PostListRow};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use std::sync::Arc;

pub fn routes() -> Router<AppState> {
    Router::new().route("/categories/{id}", get(category)).route("/search", get(search))
}

/// A list row as the page shows it (borrowing the texts of the post's row).
pub struct Row<'a> {
    /// The post's id (its link is `/posts/{id}`).
    pub id: PostId,
    pub title: &'a str,
    pub author: Option<(String, &'a str)>,
    /// The category's id (its link is `/categories/{id}`).
    pub category_id: CategoryId,
    pub category: &'a str,
    pub created: String,
    pub created_iso: String,
    pub edited: Option<String>,
    pub comments: i64,
    pub votes: i64,
    pub locked: bool,
    /// Marked only in the lists it is pinned to (a board's or category's), not in search.
    pub pinned: bool,
}

fn row<'a>(reader: &Reader, post: &'a PostListRow) -> Row<'a> {
    Row {
        id: post.post_id,
        title: &post.title,
        author: post.author_name.as_deref().map(|name| (profile_href(name), name)),
        category_id: post.category_id,
        category: &post.category_name,
        created: format::date_time(reader, post.created),
        created_iso: format::iso(post.created),
        edited: (post.edited != post.created).then(|| format::date_time(reader, post.edited)),
        comments: post.comment_count,
        votes: post.vote_count,
        locked: post.is_locked,
        pinned: false,
    }
}

#[derive(Template)]
#[template(path = "category.html")]
struct CategoryPage<'a> {
    layout: Layout,
    feed_href: String,
    newer_href: &'a Option<String>,
    older_href: &'a Option<String>,
    /// The page below the site header, the same for every visitor ([`CategoryContent`]).
    content: &'a str,
}

#[derive(Template)]
#[template(path = "category_content.html")]
struct CategoryContent<'a> {
    lang: Lang,
    category: &'a CategoryRow,
    subcategories: Vec<&'a CategoryRow>,
    rows: Vec<Row<'a>>,
    newer_href: &'a Option<String>,
    older_href: &'a Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    before: Option<String>,
    after: Option<String>,
}

/// A cursor from the query string; a malformed one is ignored (the newest page).
fn cursor(query: &PageQuery) -> ListCursor {
    if let Some(id) = query.before.as_deref().and_then(parse_id) {
        return ListCursor::Before(id);
    }
    if let Some(id) = query.after.as_deref().and_then(parse_id) {
        return ListCursor::After(id);
    }
    ListCursor::Newest
}

fn pager(base: &str, page: &ListPage) -> (Option<String>, Option<String>) {
    let join = if base.contains('?') { '&' } else { '?' };
    let newer = page.newer.map(|newer| match newer {
        NewerPage::First => base.to_string(),
        NewerPage::After(id) => format!("{base}{join}after={id}"),
    });
    (newer, page.older.map(|id| format!("{base}{join}before={id}")))
}

async fn category(
    State(state): State<AppState>,
    page: Page,
    id: super::ids::PathId<CategoryId>,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    let tree = state.app.category_tree().await?;
    let category = tree.iter().find(|c| c.id == id.0).ok_or(WebError::NotFound)?;
    let scope = if category.tier == 1 { ListScope::Board(category.id) } else { ListScope::Category(category.id) };
    let cursor = cursor(&query);
    let list = state.app.post_list(scope, cursor).await?;
    let list_href = format!("/categories/{}", category.id);
    if matches!(cursor, ListCursor::After(_)) && list.newer.is_none() {
        // A newer page that reaches the top is the first page: one address for it, with its
        // pinned posts and its cache (the links we make already point there; this is for old ones).
        return Ok(Redirect::to(&list_href).into_response());
    }
    let (newer_href, older_href) = pager(&list_href, &list);
    let render_content = || {
        CategoryContent {
            lang: page.lang(),
            category,
            subcategories: tree.iter().filter(|c| c.parent_id == Some(category.id)).collect(),
            rows: list.rows.iter().map(|post| Row { pinned: post.is_pinned, ..row(page.reader(), post) }).collect(),
            newer_href: &newer_href,
            older_href: &older_href,
        }
        .render()
    };
    let title = match &category.parent_name {
        Some(board) => format!("{} · {board}", category.name),
        None => category.name.clone(),
    };
    let title = if list.newer.is_some() { page.lang().ta("list-title-older", "title", &title) } else { title };
    let whole_page = |content: &str| {
        CategoryPage {
            layout: page.layout(&title),
            feed_href: super::feeds::category_feed_href(category.id),
            newer_href: &newer_href,
            older_href: &older_href,
            content,
        }
        .render()
    };
    if cursor == ListCursor::Newest && page.layout.user.is_none() && page.layout.flash.is_empty() {
        let html = state
            .rendered_lists
            .get_or_render_anonymous_page(
                category.id,
                page.reader(),
                (&tree, &list),
                &page.layout.here,
                render_content,
                whole_page,
            )
            .map_err(|error| WebError::Internal(error.into()))?;
        return Ok(Html(html).into_response());
    }
    // The first page is the cached one: its content is rendered once per cached value.
    let content = if cursor == ListCursor::Newest {
        state.rendered_lists.get_or_render(category.id, page.reader(), &tree, &list, render_content)
    } else {
        render_content().map(Arc::from)
    };
    let content = content.map_err(|error| WebError::Internal(error.into()))?;
    let html = whole_page(&content).map_err(|error| WebError::Internal(error.into()))?;
    Ok(Html(html).into_response())
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    layout: Layout,
    query: String,
    /// (id, label, selected) of each board and category, to search within.
    scopes: Vec<(CategoryId, String, bool)>,
    searched: bool,
    rows: Vec<Row<'a>>,
    older_href: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SearchQuery {
    q: String,
    category: Option<String>,
    before: Option<String>,
}

async fn search(
    State(state): State<AppState>,
    page: Page,
    client: super::ClientAddress,
    Query(query): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let tree = state.app.category_tree().await?;
    let within = query.category.as_deref().and_then(parse_id).and_then(|id| tree.iter().find(|c| c.id == id));
    let scope = match within {
        Some(c) if c.tier == 1 => ListScope::Board(c.id),
        Some(c) => ListScope::Category(c.id),
        None => ListScope::All,
    };
    let scopes = category_options(category_choices(&tree), |id| within.is_some_and(|w| w.id == id));
    let words: Vec<String> = query.q.split_whitespace().map(str::to_string).collect();
    let searched = !words.is_empty();
    let results = if searched {
        let address = client.key().to_string();
        state.app.search_from(Some(&address), &words, scope, query.before.as_deref().and_then(parse_id)).await?
    } else {
        ListPage { rows: Vec::new(), newer: None, older: None }
    };
    let mut base = format!("/search?q={}", super::viewer::url_escape(query.q.trim()));
    if let Some(c) = within {
        base.push_str(&format!("&category={}", c.id));
    }
    let (_, older_href) = pager(&base, &results);
    let lang = page.lang();
    let title = if searched {
        lang.ta("search-title-for", "query", query.q.trim())
    } else {
        lang.t("search-title").into_owned()
    };
    Ok(render(&SearchPage {
        layout: page.layout(&title),
        query: query.q.trim().to_string(),
        scopes,
        searched,
        rows: results.rows.iter().map(|post| row(page.reader(), post)).collect(),
        older_href,
    }))
}
