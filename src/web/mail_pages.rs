//! The pages behind the mails: "forgot your password?", the reset link's form, the
//! verification link's page, and sending the verification link again from the settings.

use super::accounts::FormPage;
use super::error::WebError;
use super::forms::{FormView, Input};
use super::i18n::Msg;
use super::page::{Page, form_result, render, unprocessable};
use super::viewer::CurrentUser;
use super::{AppState, ClientAddress};
use crate::app::password_reset::ResetRequest;
use crate::domain::{Field, FieldError, FieldErrors};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/password/forgot", get(forgot_page).post(forgot))
        .route("/password/forgot/sent", get(forgot_sent))
        .route("/password/reset/{token}", get(reset_page).post(reset))
        .route("/email/verify/{token}", get(verify_page).post(verify))
        .route("/settings/email/verify", post(resend_verification))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ForgotForm {
    name: String,
}

fn forgot_view(page: &Page, input: &ForgotForm, errors: &FieldErrors) -> FormPage {
    let lang = page.lang();
    let form = FormView::new(
        "/password/forgot",
        lang.t("forgot-submit"),
        vec![Input::new("name", lang.t("field-name-or-email"), "text").value(&input.name).autocomplete("username")],
    )
    .with_errors(errors, lang);
    FormPage {
        layout: page.layout(&lang.t("forgot-title")),
        heading: page.t("forgot-heading"),
        intro: page.t("forgot-intro"),
        form: Some(form),
        aside: Some((page.t("forgot-back"), "/login", page.t("nav-login"))),
    }
}

async fn forgot_page(page: Page) -> Response {
    render(&forgot_view(&page, &ForgotForm::default(), &FieldErrors::new()))
}

/// Always the same redirect, whoever was named: the answer tells nobody who has an account.
async fn forgot(
    State(state): State<AppState>,
    page: Page,
    client: ClientAddress,
    Form(input): Form<ForgotForm>,
) -> Result<Response, WebError> {
    let address = client.key().to_string();
    let request =
        ResetRequest { name_or_email: &input.name, language: Some(page.lang().code()), address: Some(&address) };
    match form_result(state.app.request_password_reset(request).await)? {
        Ok(()) => Ok(axum::response::Redirect::to("/password/forgot/sent").into_response()),
        Err(errors) => Ok(unprocessable(&errors, &forgot_view(&page, &input, &errors))),
    }
}

async fn forgot_sent(page: Page) -> Response {
    render(&FormPage {
        layout: page.layout(&page.t("forgot-sent-title")),
        heading: page.t("forgot-sent-heading"),
        intro: page.t("forgot-sent-intro"),
        form: None,
        aside: Some((page.t("forgot-back"), "/login", page.t("nav-login"))),
    })
}

/// A link that was used, has expired or never was: 410, and where to ask for a new one.
fn link_unusable(page: &Page, again: &'static str) -> Response {
    let view = FormPage {
        layout: page.layout(&page.t("link-unusable-title")),
        heading: page.t("link-unusable-heading"),
        intro: page.t("link-unusable-intro"),
        form: None,
        aside: Some((page.t("link-unusable-again"), again, page.t("forgot-submit"))),
    };
    (StatusCode::GONE, render(&view)).into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResetForm {
    password1: String,
    password2: String,
}

fn reset_view(page: &Page, token: &str, errors: &FieldErrors) -> FormPage {
    let lang = page.lang();
    let form = FormView::new(
        format!("/password/reset/{token}"),
        lang.t("reset-submit"),
        vec![
            Input::new("password1", lang.t("field-new-password"), "password")
                .hint(lang.t("settings-new-password-hint"))
                .autocomplete("new-password"),
            Input::new("password2", lang.t("field-new-password-again"), "password").autocomplete("new-password"),
        ],
    )
    .with_errors(errors, lang);
    FormPage {
        layout: page.layout(&lang.t("reset-title")),
        heading: page.t("reset-heading"),
        intro: page.t("reset-intro"),
        form: Some(form),
        aside: None,
    }
}

async fn reset_page(
    State(state): State<AppState>,
    page: Page,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    if !state.app.reset_link_usable(&token).await? {
        return Ok(link_unusable(&page, "/password/forgot"));
    }
    Ok(render(&reset_view(&page, &token, &FieldErrors::new())))
}

/// The new password set: every session ended (this browser's too), so on to the login.
async fn reset(
    State(state): State<AppState>,
    page: Page,
    Path(token): Path<String>,
    Form(input): Form<ResetForm>,
) -> Result<Response, WebError> {
    match form_result(state.app.reset_password(&token, &input.password1, &input.password2).await)? {
        Ok(()) => Ok(page.redirect_with(&Msg::new("flash-password-reset"), "/login").await),
        Err(errors) if errors.get(Field::Form) == Some(&FieldError::LinkUnusable) => {
            Ok(link_unusable(&page, "/password/forgot"))
        }
        Err(errors) => Ok(unprocessable(&errors, &reset_view(&page, &token, &errors))),
    }
}

/// The link opens a page with a button: following a link changes nothing (mail scanners
/// open links), the button's POST verifies.
async fn verify_page(
    State(state): State<AppState>,
    page: Page,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    if !state.app.verify_link_usable(&token).await? {
        return Ok(link_unusable(&page, "/settings"));
    }
    let form = FormView::new(format!("/email/verify/{token}"), page.t("verify-submit"), Vec::new());
    Ok(render(&FormPage {
        layout: page.layout(&page.t("verify-title")),
        heading: page.t("verify-heading"),
        intro: page.t("verify-intro-plain"),
        form: Some(form),
        aside: None,
    }))
}

async fn verify(State(state): State<AppState>, page: Page, Path(token): Path<String>) -> Result<Response, WebError> {
    if state.app.verify_email(&token).await? {
        Ok(page.redirect_with(&Msg::new("flash-email-verified"), "/").await)
    } else {
        Ok(link_unusable(&page, "/settings"))
    }
}

async fn resend_verification(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
) -> Result<Response, WebError> {
    state.app.resend_verification(current.user.user_id, Some(page.lang().code())).await?;
    Ok(page.redirect_with(&Msg::new("flash-verification-sent"), "/settings").await)
}
