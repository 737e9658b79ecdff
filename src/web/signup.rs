//! The sign-up page: the account's fields, and what tells a person from a script without
//! JavaScript (a signed issue time, a field people never see), plus an invite code when an
//! admin asks for one. The rules are the command's (`App::sign_up`); here is only the form.

use super::accounts::{FormPage, logged_in};
use super::error::WebError;
use super::forms::{FormView, Input};
use super::i18n::{Lang, Msg};
use super::page::{Page, form_result, render, unprocessable};
use super::{AppState, ClientAddress};
use crate::app::accounts::{SignUp, SignUpProof};
use crate::domain::guards::RegistrationMode;
use crate::domain::{Field, FieldError, FieldErrors};
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum_extra::extract::CookieJar;
use serde::Deserialize;

/// The honeypot's name: a field a sign-up script fills in because it looks like one to fill.
const TRAP: &str = "website";

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SignupForm {
    name: String,
    email: String,
    password1: String,
    password2: String,
    invite: String,
    /// The form's signed issue time.
    started: String,
    website: String,
}

fn signup_form(
    lang: Lang,
    stamp: String,
    mode: RegistrationMode,
    input: &SignupForm,
    errors: &FieldErrors,
) -> FormView {
    let mut fields = vec![
        Input::new("name", lang.t("field-name"), "text")
            .value(&input.name)
            .hint(lang.t("signup-name-hint"))
            .autocomplete("username"),
        Input::new("email", lang.t("field-email"), "email").value(&input.email).autocomplete("email"),
        Input::new("password1", lang.t("field-password"), "password")
            .hint(lang.t("signup-password-hint"))
            .autocomplete("new-password"),
        Input::new("password2", lang.t("field-password-again"), "password").autocomplete("new-password"),
    ];
    if mode == RegistrationMode::Invite {
        fields.push(
            Input::new("invite", lang.t("field-invite"), "text")
                .value(&input.invite)
                .hint(lang.t("signup-invite-hint")),
        );
    }
    // A fresh stamp each time the form is shown: the time to fill it in starts again.
    FormView::new("/signup", lang.t("signup-submit"), fields)
        .hidden("started", stamp)
        .trap(TRAP, lang.t("signup-trap-label"))
        .with_errors(errors, lang)
}

fn signup_view(
    state: &AppState,
    page: &Page,
    mode: RegistrationMode,
    input: &SignupForm,
    errors: &FieldErrors,
) -> FormPage {
    let lang = page.lang();
    let (intro, form) = match mode {
        RegistrationMode::Closed => (page.t("signup-closed-intro"), None),
        RegistrationMode::Invite => {
            (page.t("signup-invite-intro"), Some(signup_form(lang, state.app.signup_stamp(), mode, input, errors)))
        }
        RegistrationMode::Open => {
            (String::new(), Some(signup_form(lang, state.app.signup_stamp(), mode, input, errors)))
        }
    };
    FormPage {
        layout: page.layout(&lang.t("signup-title")),
        heading: page.t("signup-heading"),
        intro,
        form,
        aside: Some((page.t("signup-have-account"), "/login", page.t("nav-login"))),
    }
}

pub(super) async fn signup_page(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    let mode = state.app.registration_mode().await?;
    Ok(render(&signup_view(&state, &page, mode, &SignupForm::default(), &FieldErrors::new())))
}

pub(super) async fn signup(
    State(state): State<AppState>,
    page: Page,
    client: ClientAddress,
    jar: CookieJar,
    Form(input): Form<SignupForm>,
) -> Result<Response, WebError> {
    let command =
        SignUp { name: &input.name, email: &input.email, password1: &input.password1, password2: &input.password2 };
    let address = client.key().to_string();
    let proof = SignUpProof {
        stamp: &input.started,
        honeypot: &input.website,
        invite: &input.invite,
        address: Some(&address),
        language: Some(page.lang().code()),
    };
    match form_result(state.app.sign_up(command, proof).await)? {
        Ok(login) => {
            let welcome = Msg::new("flash-welcome").with("name", login.user.name.as_str());
            logged_in(&state, &page, jar, &login, &welcome, "/").await
        }
        Err(errors) => {
            let mode = state.app.registration_mode().await?;
            let mut response = unprocessable(&errors, &signup_view(&state, &page, mode, &input, &errors));
            if errors.get(Field::Form) == Some(&FieldError::SignUpClosed) {
                *response.status_mut() = StatusCode::FORBIDDEN;
            }
            Ok(response)
        }
    }
}
