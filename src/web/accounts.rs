//! Sign-up, login, logout, profiles and account settings.

use super::error::WebError;
use super::forms::{FormView, Input, safe_next};
use super::page::{Layout, Page, flash, form_result, render, unprocessable};
use super::viewer::{CurrentUser, Viewer, login_cookie, removal_cookie};
use super::{AppState, format};
use crate::app::accounts::{Login, PasswordChange, SignUp};
use crate::domain::{AccountState, FieldErrors};
use askama::Template;
use axum::extract::{Path, Query, State};
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
            Input::new("name", "Name", "text")
                .value(&input.name)
                .hint("2 to 32 letters or digits (any alphabet), _ or -. Others see this name.")
                .autocomplete("username"),
            Input::new("email", "Email address", "email").value(&input.email).autocomplete("email"),
            Input::new("password1", "Password", "password")
                .hint("8 to 128 characters; all of them count.")
                .autocomplete("new-password"),
            Input::new("password2", "Password again", "password").autocomplete("new-password"),
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

/// A fresh login: its token in a cookie, a welcome for the next page, and a 303 to it.
async fn logged_in(
    state: &AppState,
    page: &Page,
    jar: CookieJar,
    login: &Login,
    message: String,
    target: &str,
) -> Result<Response, WebError> {
    let cookie = login_cookie(state, login)?;
    Ok((jar.add(cookie), page.redirect_with(message, target).await).into_response())
}

async fn signup(
    State(state): State<AppState>,
    page: Page,
    jar: CookieJar,
    Form(input): Form<SignupForm>,
) -> Result<Response, WebError> {
    let command =
        SignUp { name: &input.name, email: &input.email, password1: &input.password1, password2: &input.password2 };
    match form_result(state.app.sign_up(command).await)? {
        Ok(login) => {
            let welcome = format!("Welcome, {}! Your account is ready.", login.user.name);
            logged_in(&state, &page, jar, &login, welcome, "/").await
        }
        Err(errors) => Ok(unprocessable(&signup_view(&page, &input, &errors))),
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
            Input::new("name", "Name or email address", "text").value(&input.name).autocomplete("username"),
            Input::new("password", "Password", "password").autocomplete("current-password"),
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

async fn login(
    State(state): State<AppState>,
    page: Page,
    jar: CookieJar,
    Form(input): Form<LoginForm>,
) -> Result<Response, WebError> {
    match form_result(state.app.log_in(&input.name, &input.password).await)? {
        Ok(login) => {
            let greeting = format!("Logged in as {}.", login.user.name);
            logged_in(&state, &page, jar, &login, greeting, &safe_next(&input.next)).await
        }
        Err(errors) => Ok(unprocessable(&login_view(&page, &input, &errors))),
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
struct ProfilePage<'a> {
    layout: Layout,
    name: &'a str,
    role: &'static str,
    blocked: bool,
    joined: String,
    post_count: i64,
    comment_count: i64,
}

async fn profile(State(state): State<AppState>, page: Page, Path(name): Path<String>) -> Result<Response, WebError> {
    let row = state.app.profile(&name).await?.ok_or(WebError::NotFound)?;
    let name = row.name.as_deref().ok_or(WebError::NotFound)?;
    Ok(render(&ProfilePage {
        layout: page.layout(name),
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
    let account = state.app.account_settings(current.user.user_id).await?.ok_or(WebError::NotFound)?;
    let none = FieldErrors::new();
    let (name, email, profile_errors) = match sent {
        Sent::Profile(input, errors) => (input.name.clone(), input.email.clone(), errors),
        _ => (account.name, account.email, &none),
    };
    let password_errors = if let Sent::Password(errors) = sent { errors } else { &none };
    let resign_errors = if let Sent::Resign(errors) = sent { errors } else { &none };
    Ok(SettingsPage {
        layout: page.layout("Settings"),
        profile_form: FormView::new(
            "/settings/profile",
            "Save name and email",
            vec![
                Input::new("name", "Name", "text").value(name).autocomplete("username"),
                Input::new("email", "Email address", "email").value(email).autocomplete("email"),
            ],
        )
        .with_errors(profile_errors),
        password_form: FormView::new(
            "/settings/password",
            "Change password",
            vec![
                Input::new("current_password", "Current password", "password").autocomplete("current-password"),
                Input::new("password1", "New password", "password")
                    .hint("8 to 128 characters. Your other sessions will be logged out.")
                    .autocomplete("new-password"),
                Input::new("password2", "New password again", "password").autocomplete("new-password"),
            ],
        )
        .with_errors(password_errors),
        resign_form: FormView::new(
            "/settings/resign",
            "Delete my account",
            vec![Input::new("password", "Your password, to confirm", "password")
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

async fn change_profile(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Form(input): Form<ProfileForm>,
) -> Result<Response, WebError> {
    match form_result(state.app.change_profile(current.user.user_id, &input.name, &input.email).await)? {
        Ok(()) => Ok(page.redirect_with("Your name and email are saved.", "/settings").await),
        Err(errors) => {
            Ok(unprocessable(&settings_view(&state, &page, &current, Sent::Profile(&input, &errors)).await?))
        }
    }
}

async fn change_password(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Form(input): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let change = PasswordChange {
        user_id: current.user.user_id,
        login_id: current.login_id,
        current: &input.current_password,
        password1: &input.password1,
        password2: &input.password2,
    };
    let result = state.app.change_password(change).await;
    match form_result(result)? {
        Ok(()) => {
            Ok(page.redirect_with("Your password is changed. Your other sessions are logged out.", "/settings").await)
        }
        Err(errors) => Ok(unprocessable(&settings_view(&state, &page, &current, Sent::Password(&errors)).await?)),
    }
}

async fn resign(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    jar: CookieJar,
    Form(input): Form<ResignForm>,
) -> Result<Response, WebError> {
    match form_result(state.app.resign(current.user.user_id, &input.password).await)? {
        Ok(()) => {
            let goodbye = page.redirect_with("Your account is deleted. Goodbye!", "/").await;
            Ok((jar.add(removal_cookie(&state)), goodbye).into_response())
        }
        Err(errors) => Ok(unprocessable(&settings_view(&state, &page, &current, Sent::Resign(&errors)).await?)),
    }
}
