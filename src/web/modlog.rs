//! The public moderation log: GET /modlog (filters by board, moderator and kind; keyset
//! pages, newest first) and its Atom feed /modlog.atom with the same filters. A private
//! note shows only to moderators; the feed is public, so it never carries one.

use super::error::WebError;
use super::feeds::{feed, instant, link, send, site};
use super::i18n::{Lang, Reader};
use super::page::{Layout, Page, profile_href, render};
use super::viewer::{Viewer, push_url_escaped};
use super::{AppState, format};
use crate::app::boards::category_choices;
use crate::domain::modlog::{ModerationKind, block_holds, shows_reason};
use crate::domain::{CategoryId, ModerationActionId, Timestamp, UserId};
use crate::ports::{ModlogFilter, ModlogRow};
use askama::Template;
use atom_syndication::{Entry, Text};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/modlog", get(log_page)).route("/modlog.atom", get(log_feed))
}

/// The filters as the GET form sends them (empty: no filter).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct LogQuery {
    board: String,
    moderator: String,
    kind: String,
    before: String,
}

impl LogQuery {
    /// The query string of the filters, for the next page and the feed.
    fn filters(&self) -> String {
        let pairs = [("board", &self.board), ("moderator", &self.moderator), ("kind", &self.kind)];
        pairs
            .iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(name, value)| {
                let mut pair = format!("{name}=");
                push_url_escaped(&mut pair, value.trim());
                pair
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// One entry as the page and the feed show it.
pub struct LogLine {
    pub id: ModerationActionId,
    pub kind: String,
    pub moderator: Option<(String, String)>,
    pub what: Option<(String, String)>,
    pub board: Option<(CategoryId, String)>,
    /// The reason, or None when there is none to show.
    pub why: Option<String>,
    /// The note is private and this reader may not read it.
    pub hidden_note: bool,
    pub until: Option<String>,
    pub ended: bool,
    pub when: String,
    pub when_iso: String,
}

/// The label of a kind of action; a kind this version does not know shows its stored name.
fn kind_label(lang: Lang, kind: &str) -> String {
    let key = match ModerationKind::parse(kind) {
        Some(ModerationKind::PostRemoved) => "modlog-kind-post-removed",
        Some(ModerationKind::PostRestored) => "modlog-kind-post-restored",
        Some(ModerationKind::CommentRemoved) => "modlog-kind-comment-removed",
        Some(ModerationKind::CommentRestored) => "modlog-kind-comment-restored",
        Some(ModerationKind::UserBlocked) => "modlog-kind-user-blocked",
        Some(ModerationKind::UserUnblocked) => "modlog-kind-user-unblocked",
        Some(ModerationKind::ModeratorAppointed) => "modlog-kind-moderator-appointed",
        Some(ModerationKind::ModeratorDismissed) => "modlog-kind-moderator-dismissed",
        Some(ModerationKind::ThreadLocked) => "modlog-kind-thread-locked",
        Some(ModerationKind::ThreadUnlocked) => "modlog-kind-thread-unlocked",
        Some(ModerationKind::ThreadPinned) => "modlog-kind-thread-pinned",
        Some(ModerationKind::ThreadUnpinned) => "modlog-kind-thread-unpinned",
        Some(ModerationKind::PostMoved) => "modlog-kind-post-moved",
        Some(ModerationKind::ReportsDismissed) => "modlog-kind-reports-dismissed",
        None => return kind.to_string(),
    };
    lang.t(key).into_owned()
}

/// What the entry was about: a link to the item (kept reachable for moderators when removed),
/// named by its post's current title. A removed post's title is not shown: such an entry keeps
/// its number, as before titles were shown, for every reader.
fn what(lang: Lang, row: &ModlogRow) -> Option<(String, String)> {
    // A comment's permalink finds the page of the post it is on now.
    if let Some(comment) = row.comment_id {
        let text = match &row.post_title {
            Some(title) => lang.ta("modlog-what-comment-on", "title", title),
            None => lang.ta("modlog-what-comment", "id", &comment.to_string()),
        };
        return Some((format!("/comments/{comment}"), text));
    }
    if let Some(post) = row.post_id {
        let text = match &row.post_title {
            Some(title) => title.clone(),
            None => lang.ta("modlog-what-post", "id", &post.to_string()),
        };
        return Some((format!("/posts/{post}"), text));
    }
    let name = row.target_name.as_deref()?;
    Some((profile_href(name), name.to_string()))
}

fn line(reader: &Reader, row: &ModlogRow, reads_private: bool) -> LogLine {
    let lang = reader.lang;
    let shown = shows_reason(row.is_private, reads_private);
    LogLine {
        id: row.action_id,
        kind: kind_label(lang, &row.kind),
        moderator: row.moderator_name.as_deref().map(|name| (profile_href(name), name.to_string())),
        what: what(lang, row),
        board: row.board_id.zip(row.board_name.clone()),
        why: if shown { row.reason.clone() } else { None },
        hidden_note: !shown,
        until: row.until_datetime.map(|until| format::date_time(reader, until)),
        ended: row.until_datetime.is_some_and(|until| !block_holds(Some(until), Timestamp::now())),
        when: format::date_time(reader, row.created),
        when_iso: format::iso(row.created),
    }
}

#[derive(Template)]
#[template(path = "modlog.html")]
struct LogPage {
    layout: Layout,
    lines: Vec<LogLine>,
    /// Filter choices: (value, label, selected).
    boards: Vec<(String, String, bool)>,
    kinds: Vec<(String, String, bool)>,
    moderator: String,
    filters: String,
    older: Option<ModerationActionId>,
}

/// The filters as the read model takes them; a name that matches no one matches nothing.
async fn filter_of(state: &AppState, query: &LogQuery) -> Result<ModlogFilter, WebError> {
    let moderator = match query.moderator.trim() {
        "" => None,
        name => Some(state.app.profile(name).await?.map_or(UserId(0), |row| row.user_id)),
    };
    Ok(ModlogFilter {
        board: query.board.trim().parse().ok().map(CategoryId),
        moderator,
        kind: ModerationKind::parse(query.kind.trim()),
        target: None,
        before: query.before.trim().parse().ok().map(ModerationActionId),
    })
}

async fn log_page(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    Query(query): Query<LogQuery>,
) -> Result<Response, WebError> {
    let filter = filter_of(&state, &query).await?;
    let log = state.app.modlog_page(&filter).await?;
    let reads_private = state.app.reads_private_notes(viewer.actor()).await?;
    let reader = page.reader();
    let lines = log.rows.iter().map(|row| line(reader, row, reads_private)).collect();
    let tree = state.app.category_tree().await?;
    let boards = category_choices(&tree)
        .into_iter()
        .filter(|choice| choice.is_board)
        .map(|choice| (choice.id.to_string(), choice.label, choice.id.to_string() == query.board.trim()))
        .collect();
    let kinds = ModerationKind::ALL
        .iter()
        .map(|kind| (kind.as_str().to_string(), kind_label(page.lang(), kind.as_str()), kind.as_str() == query.kind))
        .collect();
    Ok(render(&LogPage {
        layout: page.layout(&page.t("modlog-title")),
        lines,
        boards,
        kinds,
        moderator: query.moderator.trim().to_string(),
        filters: query.filters(),
        older: log.older,
    }))
}

async fn log_feed(
    State(state): State<AppState>,
    reader: Reader,
    headers: HeaderMap,
    Query(query): Query<LogQuery>,
) -> Result<Response, WebError> {
    let filter = ModlogFilter { before: None, ..filter_of(&state, &query).await? };
    let log = state.app.modlog_page(&filter).await?;
    let site = site(&state, &headers);
    let lang = reader.lang;
    let entries = log
        .rows
        .iter()
        .map(|row| {
            // The feed is public: private notes stay out of it.
            let line = line(&reader, row, false);
            let href = format!("{site}/modlog#entry-{}", row.action_id);
            let moderator =
                line.moderator.as_ref().map_or_else(|| lang.t("deleted-user").into_owned(), |m| m.1.clone());
            let what = line.what.as_ref().map(|w| w.1.clone()).unwrap_or_default();
            let why = match (&line.why, line.hidden_note) {
                (_, true) => lang.t("modlog-note-private").into_owned(),
                (Some(why), false) => why.clone(),
                (None, false) => String::new(),
            };
            Entry {
                title: Text::plain(format!("{} · {moderator} · {what}", line.kind)),
                id: format!("{site}/modlog/{}", row.action_id),
                updated: instant(row.created),
                links: vec![link("alternate", href, "text/html")],
                summary: Some(Text::plain(why)),
                ..Entry::default()
            }
        })
        .collect();
    let filters = query.filters();
    let suffix = if filters.is_empty() { String::new() } else { format!("?{filters}") };
    let title = lang.t("modlog-title").into_owned();
    let feed = feed(&reader, title, format!("{site}/modlog{suffix}"), format!("{site}/modlog.atom{suffix}"), entries);
    Ok(send(&headers, &feed))
}
