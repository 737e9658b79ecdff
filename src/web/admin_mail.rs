//! The admin's mail page: the outbox's counts, the mails that failed (each can be sent
//! again), and whether posting needs a verified address.

use super::AppState;
use super::error::WebError;
use super::format;
use super::i18n::Msg;
use super::page::{Layout, Page, render};
use super::viewer::CurrentUser;
use crate::ports::MailCounts;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/mail", get(mail_page))
        .route("/admin/mail/settings", post(save_settings))
        .route("/admin/mail/resend", post(resend))
}

/// A failed mail as the page lists it.
struct FailedLine {
    id: i64,
    to: String,
    subject: String,
    attempts: i64,
    error: String,
    when: String,
}

#[derive(Template)]
#[template(path = "admin_mail.html")]
struct MailPage {
    layout: Layout,
    counts: MailCounts,
    require_verified: bool,
    failed: Vec<FailedLine>,
}

async fn mail_page(State(state): State<AppState>, page: Page, current: CurrentUser) -> Result<Response, WebError> {
    let (failed, counts) = state.app.mail_overview(&current.user).await?;
    let require_verified = state.app.verification_required().await?;
    let reader = page.reader();
    let failed = failed
        .into_iter()
        .map(|mail| FailedLine {
            id: mail.id,
            to: mail.to,
            subject: mail.subject,
            attempts: mail.attempts,
            error: mail.last_error.unwrap_or_default(),
            when: format::date_time(reader, mail.failed),
        })
        .collect();
    Ok(render(&MailPage { layout: page.layout(&page.t("admin-mail-title")), counts, require_verified, failed }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SettingsForm {
    /// A checkbox: "on" when ticked, absent otherwise.
    require_verified: String,
}

async fn save_settings(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Form(input): Form<SettingsForm>,
) -> Result<Response, WebError> {
    state.app.set_verification_required(&current.user, input.require_verified == "on").await?;
    Ok(page.redirect_with(&Msg::new("flash-mail-settings-saved"), "/admin/mail").await)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResendForm {
    id: i64,
}

async fn resend(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Form(input): Form<ResendForm>,
) -> Result<Response, WebError> {
    state.app.resend_mail(&current.user, input.id).await?;
    Ok(page.redirect_with(&Msg::new("flash-mail-resent"), "/admin/mail").await)
}
