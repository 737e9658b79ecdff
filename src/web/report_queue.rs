//! The moderators' side of reports: the queue of reported items (`/moderation/reports`), an
//! item's page with every report of it, and the two ways of handling them.

use super::AppState;
use super::error::WebError;
use super::format;
use super::forms::{FormView, Input};
use super::i18n::{Lang, Msg};
use super::page::{Layout, Page, form_result, render, unprocessable};
use super::report_messages::{outcome_key, reason_key};
use super::reports::{item_href, item_label};
use super::viewer::CurrentUser;
use crate::domain::report::{ItemRef, ReportReason, Resolution};
use crate::domain::{FieldErrors, Timestamp};
use crate::ports::{QueueCursor, QueueRow, QueueSort, ReportLine, ReportedItem};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/moderation/reports", get(queue))
        .route("/moderation/reports/{item}", get(detail))
        .route("/moderation/reports/{item}/resolve", post(resolve))
}

/// The item of a path (`post-7`, `comment-9`); anything else is a page that does not exist.
fn path_item(raw: &str) -> Result<ItemRef, WebError> {
    ItemRef::parse(raw).ok_or(WebError::NotFound)
}

/// A cursor as a link carries it: `count.newest.item`.
fn cursor_text(cursor: &QueueCursor) -> String {
    format!("{}.{}.{}", cursor.report_count, cursor.newest.0, cursor.item)
}

fn parse_cursor(text: &str) -> Option<QueueCursor> {
    let mut parts = text.splitn(3, '.');
    let report_count = parts.next()?.parse().ok()?;
    let newest = Timestamp(parts.next()?.parse().ok()?);
    let item = ItemRef::parse(parts.next()?)?;
    Some(QueueCursor { report_count, newest, item })
}

/// The reasons of a row, told in the reader's language.
fn reason_names(lang: Lang, codes: &str) -> String {
    let names: Vec<String> = codes
        .split(',')
        .filter_map(ReportReason::parse)
        .map(|reason| lang.t(reason_key(reason)).into_owned())
        .collect();
    names.join(", ")
}

/// One reported item as the queue lists it.
pub struct QueueLine {
    pub href: String,
    pub label: String,
    pub board: String,
    pub author: Option<String>,
    pub count: i64,
    pub reasons: String,
    pub newest: String,
    pub newest_iso: String,
    pub removed: bool,
}

#[derive(Template)]
#[template(path = "report_queue.html")]
struct QueuePage {
    layout: Layout,
    lines: Vec<QueueLine>,
    by_count: bool,
    next_href: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct QueueQuery {
    sort: String,
    after: String,
}

fn queue_line(lang: Lang, reader: &super::i18n::Reader, row: QueueRow) -> QueueLine {
    QueueLine {
        href: format!("/moderation/reports/{}", row.item),
        label: item_label(lang, row.item, row.post_title.as_deref()),
        board: row.board_name.unwrap_or_default(),
        author: row.author_name,
        count: row.report_count,
        reasons: reason_names(lang, &row.reasons),
        newest: format::date_time(reader, row.newest),
        newest_iso: format::iso(row.newest),
        removed: !row.is_active,
    }
}

async fn queue(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Query(query): Query<QueueQuery>,
) -> Result<Response, WebError> {
    let sort = if query.sort == "count" { QueueSort::MostReported } else { QueueSort::Newest };
    let after = parse_cursor(&query.after);
    let found = state.app.report_queue(current.actor(), sort, after.as_ref()).await?;
    let sort_param = if sort == QueueSort::MostReported { "count" } else { "newest" };
    let lang = page.lang();
    Ok(render(&QueuePage {
        layout: page.layout(&page.t("report-queue-title")),
        lines: found.rows.into_iter().map(|row| queue_line(lang, page.reader(), row)).collect(),
        by_count: sort == QueueSort::MostReported,
        next_href: found
            .next
            .map(|cursor| format!("/moderation/reports?sort={sort_param}&after={}", cursor_text(&cursor))),
    }))
}

/// One report as the item's page lists it.
pub struct DetailLine {
    pub reporter: Option<String>,
    pub reason: String,
    pub details: Option<String>,
    pub created: String,
    pub created_iso: String,
    pub state: String,
    /// How it was handled: when, by whom, and the note.
    pub handled: Option<(String, Option<String>, String)>,
}

#[derive(Template)]
#[template(path = "report_detail.html")]
struct DetailPage {
    layout: Layout,
    item_href: String,
    label: String,
    author: Option<String>,
    created: String,
    created_iso: String,
    history_href: String,
    body_html: String,
    active: bool,
    lines: Vec<DetailLine>,
    /// The form that handles the open reports, when there are any.
    form: Option<FormView>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResolveForm {
    action: String,
    reason: String,
}

fn detail_line(page: &Page, line: &ReportLine) -> DetailLine {
    let reader = page.reader();
    DetailLine {
        reporter: line.reporter_name.clone(),
        reason: page.t(reason_key(line.reason)),
        details: line.details.clone(),
        created: format::date_time(reader, line.created),
        created_iso: format::iso(line.created),
        state: page.t(outcome_key(line.handled.as_ref().map(|handled| handled.action))),
        handled: line.handled.as_ref().map(|handled| {
            (format::date_time(reader, handled.at), handled.moderator_name.clone(), handled.note.clone())
        }),
    }
}

fn detail_view(page: &Page, shown: ReportedItem, lines: &[ReportLine], note: &str, errors: &FieldErrors) -> DetailPage {
    let lang = page.lang();
    let item = shown.item;
    let open = lines.iter().any(|line| line.handled.is_none());
    let form = open.then(|| {
        FormView::new(
            format!("/moderation/reports/{item}/resolve"),
            lang.t("report-dismiss"),
            vec![Input::new("reason", lang.t("report-note"), "textarea").value(note).hint(lang.t("report-note-hint"))],
        )
        .with_errors(errors, lang)
    });
    let label = item_label(lang, item, Some(&shown.post_title));
    DetailPage {
        layout: page.layout(&lang.ta("report-detail-title", "item", &label)),
        item_href: item_href(item, Some(shown.post_id)),
        label,
        author: shown.author_name,
        created: format::date_time(page.reader(), shown.created),
        created_iso: format::iso(shown.created),
        history_href: format!("/{}s/{}/history", item.kind(), item.id()),
        body_html: shown.body_html,
        active: shown.is_active,
        lines: lines.iter().map(|line| detail_line(page, line)).collect(),
        form,
    }
}

async fn detail(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let item = path_item(&raw)?;
    let (shown, lines) = state.app.report_detail(current.actor(), item).await?;
    Ok(render(&detail_view(&page, shown, &lines, "", &FieldErrors::new())))
}

async fn resolve(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Path(raw): Path<String>,
    Form(input): Form<ResolveForm>,
) -> Result<Response, WebError> {
    let item = path_item(&raw)?;
    let action = Resolution::parse(&input.action).ok_or(WebError::NotFound)?;
    match form_result(state.app.resolve_reports(&current.user, item, action, &input.reason).await)? {
        Ok(()) => {
            let message = Msg::new(match action {
                Resolution::Removed => "flash-reports-removed",
                Resolution::Dismissed => "flash-reports-dismissed",
            });
            Ok(page.redirect_with(&message, "/moderation/reports").await)
        }
        Err(errors) => {
            let (shown, lines) = state.app.report_detail(current.actor(), item).await?;
            Ok(unprocessable(&errors, &detail_view(&page, shown, &lines, &input.reason, &errors)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PostId;

    #[test]
    fn cursors_read_back() {
        let cursor =
            QueueCursor { report_count: 3, newest: Timestamp(1_700_000_000_000), item: ItemRef::Post(PostId(7)) };
        assert_eq!(parse_cursor(&cursor_text(&cursor)), Some(cursor));
        for bad in ["", "3", "3.x.post-7", "3.1.vote-7", "a.1.post-7"] {
            assert_eq!(parse_cursor(bad), None, "{bad}");
        }
    }
}
