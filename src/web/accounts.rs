//! Sign-up, login, logout, profiles and account settings.

use super::error::WebError;
use super::forms::{Field, FormView, safe_next};
use super::page::{Layout, Page, flash, render, render_with};
use super::viewer::{CurrentUser, Viewer, login_cookie, removal_cookie};
use super::{AppState, format};
use crate::app::CommandError;
use crate::app::accounts::SignUp;
use crate::domain::{AccountState, FieldErrors};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/signup", get(signup_page).post(signup))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/users/{name}", get(profile))
        .route("/settings", get(settings_page))
        .route("/settings/profile", post(change_profile))
        .route("/settings/password", post(change_password))
        .route("/settings/resign", post(resign))
}

/// A page whose main content is one form (sign-up, login).
#[derive(Template)]
#[template(path = "form_page.html")]
struct FormPage {
    layout: Layout,
    heading: &'static str,
    intro: &'static str,
    form: FormView,
    aside: Option<(&'static str, &'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignupForm {
    name: String,
    email: String,
    password1: String,
    password2: String,
}

fn signup_form(input: &SignupForm, errors: &FieldErrors) -> FormView {
    FormView::new(
        "/signup",
        "Create account",
        vec![
            Field::new("name", "Name", "text")
                .value(&input.name)
                .hint("2 to 32 letters or digits (any alphabet), _ or -. Others see this name.")
                .autocomplete("username"),
            Field::new("email", "Email address", "email").value(&input.email).autocomplete("email"),
            Field::new("password1", "Password", "password")
                .hint("8 to 128 characters; all of them count.")
                .autocomplete("new-password"),
            Field::new("password2", "Password again", "password").autocomplete("new-password"),
        ],
    )
    .with_errors(errors)
}

fn signup_view(page: &Page, input: &SignupForm, errors: &FieldErrors) -> FormPage {
    FormPage {
        layout: page.layout("Sign up"),
        heading: "Create an account",
        intro: "",
        form: signup_form(input, errors),
        aside: Some(("Already have an account?", "/login", "Log in")),
    }
}

async fn signup_page(page: Page) -> Response {
    render(&signup_view(&page, &SignupForm::default(), &FieldErrors::new()))
}

async fn signup(State(state): State<AppState>, page: Page, jar: CookieJar, Form(input): Form<SignupForm>) -> Response {
    let command =
        SignUp { name: &input.name, email: &input.email, password1: &input.password1, password2: &input.password2 };
    match state.app.sign_up(command).await {
        Ok(login) => {
            let cookie = match login_cookie(&state, &login) {
                Ok(cookie) => cookie,
                Err(error) => return WebError::Internal(error).into_response(),
            };
            flash(&page.session, format!("Welcome, {}! Your account is ready.", login.user.name)).await;
            (jar.add(cookie), Redirect::to("/")).into_response()
        }
        Err(CommandError::Invalid(errors)) => {
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &signup_view(&page, &input, &errors))
        }
        Err(other) => WebError::from(other).into_response(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    name: String,
    password: String,
    next: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NextQuery {
    next: String,
}

fn login_view(page: &Page, input: &LoginForm, errors: &FieldErrors) -> FormPage {
    let mut form = FormView::new(
        "/login",
        "Log in",
        vec![
            Field::new("name", "Name or email address", "text").value(&input.name).autocomplete("username"),
            Field::new("password", "Password", "password").autocomplete("current-password"),
        ],
    )
    .with_errors(errors);
    if !input.next.is_empty() {
        form = form.hidden("next", safe_next(&input.next));
    }
    FormPage {
        layout: page.layout("Log in"),
        heading: "Log in",
        intro: "",
        form,
        aside: Some(("New here?", "/signup", "Create an account")),
    }
}

async fn login_page(page: Page, Query(query): Query<NextQuery>) -> Response {
    let input = LoginForm { next: query.next, ..LoginForm::default() };
    render(&login_view(&page, &input, &FieldErrors::new()))
}

async fn login(State(state): State<AppState>, page: Page, jar: CookieJar, Form(input): Form<LoginForm>) -> Response {
    match state.app.log_in(&input.name, &input.password).await {
        Ok(login) => {
            let cookie = match login_cookie(&state, &login) {
                Ok(cookie) => cookie,
                Err(error) => return WebError::Internal(error).into_response(),
            };
            flash(&page.session, format!("Logged in as {}.", login.user.name)).await;
            (jar.add(cookie), Redirect::to(safe_next(&input.next))).into_response()
        }
        Err(CommandError::Invalid(errors)) => {
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &login_view(&page, &input, &errors))
        }
        Err(other) => WebError::from(other).into_response(),
    }
}

async fn logout(State(state): State<AppState>, Viewer(viewer): Viewer, page: Page, jar: CookieJar) -> Response {
    if let Some(current) = viewer {
        if let Err(error) = state.app.log_out(current.login_id).await {
            return WebError::from(error).into_response();
        }
        flash(&page.session, "You are logged out.").await;
    }
    (jar.add(removal_cookie(&state)), Redirect::to("/")).into_response()
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    layout: Layout,
    name: String,
    role: &'static str,
    blocked: bool,
    joined: String,
    post_count: i64,
    comment_count: i64,
}

async fn profile(State(state): State<AppState>, page: Page, Path(name): Path<String>) -> Result<Response, WebError> {
    let row = state.app.profile(&name).await?.ok_or(WebError::NotFound)?;
    let name = row.name.ok_or(WebError::NotFound)?;
    Ok(render(&ProfilePage {
        layout: page.layout(&name),
        role: row.role.name(),
        blocked: row.state == AccountState::Blocked,
        joined: format::date(row.joined),
        post_count: row.post_count,
        comment_count: row.comment_count,
        name,
    }))
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    profile_form: FormView,
    password_form: FormView,
    resign_form: FormView,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ProfileForm {
    name: String,
    email: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    current_password: String,
    password1: String,
    password2: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResignForm {
    password: String,
}

/// Which settings form was sent, with what was typed and what was wrong with it.
enum Sent<'a> {
    Nothing,
    Profile(&'a ProfileForm, &'a FieldErrors),
    Password(&'a FieldErrors),
    Resign(&'a FieldErrors),
}

async fn settings_view(
    state: &AppState,
    page: &Page,
    current: &CurrentUser,
    sent: Sent<'_>,
) -> Result<SettingsPage, WebError> {
    let account = state.app.reads.account(current.user.user_id).await?.ok_or(WebError::NotFound)?;
    let none = FieldErrors::new();
    let (name, email, profile_errors) = match sent {
        Sent::Profile(input, errors) => (input.name.clone(), input.email.clone(), errors),
        _ => (account.name.unwrap_or_default(), account.email.unwrap_or_default(), &none),
    };
    let password_errors = if let Sent::Password(errors) = sent { errors } else { &none };
    let resign_errors = if let Sent::Resign(errors) = sent { errors } else { &none };
    Ok(SettingsPage {
        layout: page.layout("Settings"),
        profile_form: FormView::new(
            "/settings/profile",
            "Save name and email",
            vec![
                Field::new("name", "Name", "text").value(name).autocomplete("username"),
                Field::new("email", "Email address", "email").value(email).autocomplete("email"),
            ],
        )
        .with_errors(profile_errors),
        password_form: FormView::new(
            "/settings/password",
            "Change password",
            vec![
                Field::new("current_password", "Current password", "password").autocomplete("current-password"),
                Field::new("password1", "New password", "password")
                    .hint("8 to 128 characters. Your other sessions will be logged out.")
                    .autocomplete("new-password"),
                Field::new("password2", "New password again", "password").autocomplete("new-password"),
            ],
        )
        .with_errors(password_errors),
        resign_form: FormView::new(
            "/settings/resign",
            "Delete my account",
            vec![Field::new("password", "Your password, to confirm", "password")
                .hint("Your name, email and password are erased. Your posts and comments stay, shown as by a deleted user.")
                .autocomplete("current-password")],
        )
        .with_errors(resign_errors)
        .danger(),
    })
}

async fn settings_page(State(state): State<AppState>, page: Page, current: CurrentUser) -> Result<Response, WebError> {
    Ok(render(&settings_view(&state, &page, &current, Sent::Nothing).await?))
}

/// The settings page again with a form's errors (422), or the command's other failure.
async fn settings_rejected(state: &AppState, page: &Page, current: &CurrentUser, sent: Sent<'_>) -> Response {
    match settings_view(state, page, current, sent).await {
        Ok(view) => render_with(StatusCode::UNPROCESSABLE_ENTITY, &view),
        Err(error) => error.into_response(),
    }
}

async fn change_profile(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Form(input): Form<ProfileForm>,
) -> Response {
    match state.app.change_profile(current.user.user_id, &input.name, &input.email).await {
        Ok(()) => {
            flash(&page.session, "Your name and email are saved.").await;
            Redirect::to("/settings").into_response()
        }
        Err(CommandError::Invalid(errors)) => {
            settings_rejected(&state, &page, &current, Sent::Profile(&input, &errors)).await
        }
        Err(other) => WebError::from(other).into_response(),
    }
}

async fn change_password(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Form(input): Form<PasswordForm>,
) -> Response {
    let result = state
        .app
        .change_password(
            current.user.user_id,
            current.login_id,
            &input.current_password,
            &input.password1,
            &input.password2,
        )
        .await;
    match result {
        Ok(()) => {
            flash(&page.session, "Your password is changed. Your other sessions are logged out.").await;
            Redirect::to("/settings").into_response()
        }
        Err(CommandError::Invalid(errors)) => settings_rejected(&state, &page, &current, Sent::Password(&errors)).await,
        Err(other) => WebError::from(other).into_response(),
    }
}

async fn resign(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    jar: CookieJar,
    Form(input): Form<ResignForm>,
) -> Response {
    match state.app.resign(current.user.user_id, &input.password).await {
        Ok(()) => {
            flash(&page.session, "Your account is deleted. Goodbye!").await;
            (jar.add(removal_cookie(&state)), Redirect::to("/")).into_response()
        }
        Err(CommandError::Invalid(errors)) => settings_rejected(&state, &page, &current, Sent::Resign(&errors)).await,
        Err(other) => WebError::from(other).into_response(),
    }
}
