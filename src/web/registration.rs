//! The admin's registration page: who may sign up (open, by invitation, closed), and the
//! invite codes: made and revoked here, each shown with who used it.

use super::AppState;
use super::error::WebError;
use super::format;
use super::i18n::Msg;
use super::page::{Layout, Page, render};
use super::viewer::CurrentUser;
use crate::domain::guards::RegistrationMode;
use crate::domain::policy::{AdminWork, can_administer};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/registration", get(registration_page).post(set_mode))
        .route("/admin/invites", post(create_invite))
        .route("/admin/invites/revoke", post(revoke_invite))
}

/// One invite code as the page lists it.
struct InviteLine {
    code: String,
    created: String,
    /// "unused", "used by NAME on …" or "revoked on …", in the reader's language.
    status: String,
    revocable: bool,
}

#[derive(Template)]
#[template(path = "admin_registration.html")]
struct RegistrationPage {
    layout: Layout,
    /// (value, label, chosen) for each mode.
    modes: Vec<(&'static str, String, bool)>,
    invites: Vec<InviteLine>,
}

async fn registration_page(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
) -> Result<Response, WebError> {
    can_administer(current.user.role, AdminWork::Registration)?;
    let mode = state.app.registration_mode().await?;
    let reader = page.reader();
    let lang = reader.lang;
    let modes = [RegistrationMode::Open, RegistrationMode::Invite, RegistrationMode::Closed]
        .into_iter()
        .map(|choice| {
            let label = lang.t(match choice {
                RegistrationMode::Open => "registration-mode-open",
                RegistrationMode::Invite => "registration-mode-invite",
                RegistrationMode::Closed => "registration-mode-closed",
            });
            let label = label.into_owned();
            (choice.name(), label, choice == mode)
        })
        .collect();
    let invites = state
        .app
        .invites(current.actor())
        .await?
        .into_iter()
        .map(|row| {
            let status = match (&row.used, &row.revoked) {
                (Some(used), _) => lang.msg(
                    &Msg::new("invite-used")
                        .with("name", row.used_by.as_deref().unwrap_or_default())
                        .with("when", format::date_time(reader, *used)),
                ),
                (None, Some(revoked)) => {
                    lang.msg(&Msg::new("invite-revoked").with("when", format::date_time(reader, *revoked)))
                }
                (None, None) => lang.t("invite-unused").into_owned(),
            };
            InviteLine {
                created: format::date_time(reader, row.created),
                revocable: row.used.is_none() && row.revoked.is_none(),
                code: row.code,
                status,
            }
        })
        .collect();
    Ok(render(&RegistrationPage { layout: page.layout(&page.t("admin-registration-title")), modes, invites }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ModeForm {
    mode: String,
}

async fn set_mode(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Form(input): Form<ModeForm>,
) -> Result<Response, WebError> {
    // The choices are the page's own radio buttons: anything else was not sent by it.
    let mode = RegistrationMode::parse(&input.mode).ok_or(WebError::NotFound)?;
    state.app.set_registration_mode(&current.user, mode).await?;
    Ok(page.redirect_with(&Msg::new("flash-registration-mode-set"), "/admin/registration").await)
}

async fn create_invite(State(state): State<AppState>, page: Page, current: CurrentUser) -> Result<Response, WebError> {
    let code = state.app.create_invite(&current.user).await?;
    Ok(page.redirect_with(&Msg::new("flash-invite-created").with("code", code), "/admin/registration#invites").await)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RevokeForm {
    code: String,
}

async fn revoke_invite(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Form(input): Form<RevokeForm>,
) -> Result<Response, WebError> {
    state.app.revoke_invite(&current.user, &input.code).await?;
    Ok(page
        .redirect_with(&Msg::new("flash-invite-revoked").with("code", input.code), "/admin/registration#invites")
        .await)
}
