//! A member's side of reports: the report form of a post or comment, and their own reports
//! with what became of them (`/reports/mine`).

use super::error::WebError;
use super::format;
use super::forms::{FormView, Input};
use super::i18n::{Lang, Msg, Reader};
use super::ids::{PathId, parse_id};
use super::page::{Layout, Page, form_result, render, unprocessable};
use super::report_messages::{outcome_key, reason_key};
use super::viewer::CurrentUser;
use super::{AppState, ClientAddress};
use crate::domain::report::{ItemRef, ReportReason};
use crate::domain::{CommentId, Field, FieldError, FieldErrors, PostId, ReportId};
use crate::ports::{ReportLine, ReportedItem};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/posts/{id}/report", get(post_report_page).post(report_post))
        .route("/comments/{id}/report", get(comment_report_page).post(report_comment))
        .route("/reports/mine", get(mine))
}

/// One report as a member's list and the "already reported" notice show it.
pub struct ReportSummary {
    pub item_href: String,
    pub item_label: String,
    pub reason: String,
    pub details: Option<String>,
    pub created: String,
    pub created_iso: String,
    /// Open, removed or dismissed (the outcome only: the moderator's note is theirs).
    pub state: String,
    pub handled: Option<String>,
}

/// Where an item is shown.
pub fn item_href(item: ItemRef, post_id: Option<PostId>) -> String {
    match (item, post_id) {
        (ItemRef::Post(id), _) => format!("/posts/{id}"),
        (ItemRef::Comment(id), Some(post)) => format!("/posts/{post}#comment-{id}"),
        (ItemRef::Comment(_), None) => "/".to_string(),
    }
}

/// The item named for a list: a post by its title, a comment by the post it is on.
pub fn item_label(lang: Lang, item: ItemRef, post_title: Option<&str>) -> String {
    let title = post_title.unwrap_or_default();
    match item {
        ItemRef::Post(_) => title.to_string(),
        ItemRef::Comment(_) => lang.ta("report-comment-on", "title", title),
    }
}

pub fn summary(reader: &Reader, line: &ReportLine) -> ReportSummary {
    let lang = reader.lang;
    ReportSummary {
        item_href: item_href(line.item, line.post_id),
        item_label: item_label(lang, line.item, line.post_title.as_deref()),
        reason: lang.t(reason_key(line.reason)).into_owned(),
        details: line.details.clone(),
        created: format::date_time(reader, line.created),
        created_iso: format::iso(line.created),
        state: lang.t(outcome_key(line.handled.as_ref().map(|handled| handled.action))).into_owned(),
        handled: line.handled.as_ref().map(|handled| format::date_time(reader, handled.at)),
    }
}

#[derive(Template)]
#[template(path = "report_form.html")]
struct ReportPage {
    layout: Layout,
    heading: String,
    item_href: String,
    item_label: String,
    author: Option<String>,
    earlier: Option<ReportSummary>,
    form: FormView,
    /// A rate limit refused the report: said in the words of reports too.
    limited: bool,
    /// The reasons offered: (code, label, chosen).
    reasons: Vec<(&'static str, String, bool)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ReportForm {
    reason: String,
    content: String,
}

fn report_view(
    page: &Page,
    shown: &ReportedItem,
    earlier: Option<&ReportLine>,
    input: &ReportForm,
    errors: &FieldErrors,
) -> ReportPage {
    let lang = page.lang();
    let item = shown.item;
    let heading = page.t(match item {
        ItemRef::Post(_) => "report-post-heading",
        ItemRef::Comment(_) => "report-comment-heading",
    });
    let form = FormView::new(
        format!("/{}s/{}/report", item.kind(), item.id()),
        lang.t("report-submit"),
        vec![
            Input::new("reason", lang.t("report-reason-legend"), "radio"),
            Input::new("content", lang.t("report-details"), "textarea")
                .value(&input.content)
                .hint(lang.t("report-details-hint")),
        ],
    )
    .with_errors(errors, lang);
    let reasons = ReportReason::ALL
        .into_iter()
        .map(|reason| (reason.code(), lang.t(reason_key(reason)).into_owned(), input.reason == reason.code()))
        .collect();
    ReportPage {
        layout: page.layout(&heading),
        heading,
        item_href: item_href(item, Some(shown.post_id)),
        item_label: item_label(lang, item, Some(&shown.post_title)),
        author: shown.author_name.clone(),
        earlier: earlier.map(|line| summary(page.reader(), line)),
        limited: matches!(errors.get(Field::Form), Some(FieldError::TooSoon { .. })),
        form,
        reasons,
    }
}

async fn report_page(
    state: &AppState,
    page: &Page,
    current: &CurrentUser,
    item: ItemRef,
) -> Result<Response, WebError> {
    let (shown, earlier) = state.app.report_target(current.actor(), item).await?;
    Ok(render(&report_view(page, &shown, earlier.as_ref(), &ReportForm::default(), &FieldErrors::new())))
}

async fn file_report(
    state: &AppState,
    page: &Page,
    current: &CurrentUser,
    client: &ClientAddress,
    item: ItemRef,
    input: &ReportForm,
) -> Result<Response, WebError> {
    let address = client.key().to_string();
    let filed = state.app.report_item(&current.user, Some(&address), item, (&input.reason, &input.content)).await;
    match form_result(filed)? {
        Ok(_) => Ok(page.redirect_with(&Msg::new("flash-report-filed"), "/reports/mine").await),
        Err(errors) => {
            let (shown, earlier) = state.app.report_target(current.actor(), item).await?;
            Ok(unprocessable(&errors, &report_view(page, &shown, earlier.as_ref(), input, &errors)))
        }
    }
}

async fn post_report_page(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId<PostId>,
) -> Result<Response, WebError> {
    report_page(&state, &page, &current, ItemRef::Post(id.0)).await
}

async fn comment_report_page(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId<CommentId>,
) -> Result<Response, WebError> {
    report_page(&state, &page, &current, ItemRef::Comment(id.0)).await
}

async fn report_post(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    client: ClientAddress,
    id: PathId<PostId>,
    Form(input): Form<ReportForm>,
) -> Result<Response, WebError> {
    file_report(&state, &page, &current, &client, ItemRef::Post(id.0), &input).await
}

async fn report_comment(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    client: ClientAddress,
    id: PathId<CommentId>,
    Form(input): Form<ReportForm>,
) -> Result<Response, WebError> {
    file_report(&state, &page, &current, &client, ItemRef::Comment(id.0), &input).await
}

#[derive(Template)]
#[template(path = "reports_mine.html")]
struct MinePage {
    layout: Layout,
    reports: Vec<ReportSummary>,
    next_href: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MineQuery {
    before: String,
}

async fn mine(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Query(query): Query<MineQuery>,
) -> Result<Response, WebError> {
    let before: Option<ReportId> = parse_id(&query.before);
    let (lines, next) = state.app.my_reports(current.actor(), before).await?;
    let reader = page.reader();
    Ok(render(&MinePage {
        layout: page.layout(&page.t("reports-mine-title")),
        reports: lines.iter().map(|line| summary(reader, line)).collect(),
        next_href: next.map(|id| format!("/reports/mine?before={id}")),
    }))
}
