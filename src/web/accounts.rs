//! Sign-up, login, logout, profiles and account settings.

use super::error::WebError;
use super::format;
use super::forms::{FormView, Input, safe_next};
use super::i18n::{Lang, Msg};
use super::page::{Layout, Page, flash, form_result, render, unprocessable};
use super::viewer::{
    CurrentUser, Viewer, known_browser_cookie, known_browser_cookie_name, login_cookie, removal_cookie,
};
use super::{AppState, ClientAddress};
use crate::app::accounts::{Login, LoginAttempt, PasswordChange};
use crate::domain::{AccountState, FieldErrors, Role};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/signup", get(super::signup::signup_page).post(super::signup::signup))
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
pub(super) struct FormPage {
    pub layout: Layout,
    pub heading: String,
    pub intro: String,
    /// None when there is nothing to fill in (sign-up while registration is closed).
    pub form: Option<FormView>,
    pub aside: Option<(String, &'static str, String)>,
}

/// A fresh login: its token in a cookie, the browser marked as known to the account, a
/// welcome for the next page, and a 303 to it.
pub(super) async fn logged_in(
    state: &AppState,
    page: &Page,
    jar: CookieJar,
    login: &Login,
    message: &Msg,
    target: &str,
) -> Result<Response, WebError> {
    let cookie = login_cookie(state, login)?;
    let jar = jar.add(cookie).add(known_browser_cookie(state, login.user.user_id));
    Ok((jar, page.redirect_with(message, target).await).into_response())
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

/// The login form, with the way to a forgotten password under it.
#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    page: FormPage,
    forgot: String,
}

fn login_view(page: &Page, input: &LoginForm, errors: &FieldErrors) -> LoginPage {
    let lang = page.lang();
    let mut form = FormView::new(
        "/login",
        lang.t("nav-login"),
        vec![
            Input::new("name", lang.t("field-name-or-email"), "text").value(&input.name).autocomplete("username"),
            Input::new("password", lang.t("field-password"), "password").autocomplete("current-password"),
        ],
    )
    .with_errors(errors, lang);
    if !input.next.is_empty() {
        form = form.hidden("next", safe_next(&input.next));
    }
    let form_page = FormPage {
        layout: page.layout(&lang.t("nav-login")),
        heading: page.t("nav-login"),
        intro: String::new(),
        form: Some(form),
        aside: Some((page.t("login-new-here"), "/signup", page.t("signup-heading"))),
    };
    LoginPage { layout: form_page.layout.clone(), page: form_page, forgot: page.t("login-forgot") }
}

async fn login_page(page: Page, Query(query): Query<NextQuery>) -> Response {
    let input = LoginForm { next: query.next, ..LoginForm::default() };
    render(&login_view(&page, &input, &FieldErrors::new()))
}

async fn login(
    State(state): State<AppState>,
    page: Page,
    jar: CookieJar,
    client: ClientAddress,
    Form(input): Form<LoginForm>,
) -> Result<Response, WebError> {
    let address = client.key().to_string();
    let attempt = LoginAttempt {
        name_or_email: &input.name,
        password: &input.password,
        address: Some(&address),
        known_browser: jar.get(known_browser_cookie_name(&state)).map(|cookie| cookie.value()),
    };
    match form_result(state.app.log_in(attempt).await)? {
        Ok(login) => {
            let greeting = Msg::new("flash-logged-in").with("name", login.user.name.as_str());
            logged_in(&state, &page, jar, &login, &greeting, &safe_next(&input.next)).await
        }
        Err(errors) => Ok(unprocessable(&errors, &login_view(&page, &input, &errors))),
    }
}

async fn logout(State(state): State<AppState>, Viewer(viewer): Viewer, page: Page, jar: CookieJar) -> Response {
    if let Some(current) = viewer {
        if let Err(error) = state.app.log_out(current.login_id).await {
            return WebError::from(error).into_response();
        }
        flash(&page.session, page.t("flash-logged-out")).await;
    }
    (jar.add(removal_cookie(&state)), Redirect::to("/")).into_response()
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    layout: Layout,
    name: &'a str,
    role: String,
    blocked: bool,
    joined: String,
    post_count: i64,
    comment_count: i64,
    /// Where the member's posts are followed in a feed reader.
    feed_href: String,
}

async fn profile(State(state): State<AppState>, page: Page, Path(name): Path<String>) -> Result<Response, WebError> {
    let row = state.app.profile(&name).await?.ok_or(WebError::NotFound)?;
    let name = row.name.as_deref().ok_or(WebError::NotFound)?;
    Ok(render(&ProfilePage {
        layout: page.layout(&page.lang().ta("profile-title", "name", name)),
        role: role_name(page.lang(), row.role),
        blocked: row.state == AccountState::Blocked,
        joined: format::date(page.reader(), row.joined),
        post_count: row.post_count,
        comment_count: row.comment_count,
        feed_href: super::feeds::member_feed_href(name),
        name,
    }))
}

/// A role as the pages name it.
pub fn role_name(lang: Lang, role: Role) -> String {
    lang.t(match role {
        Role::Admin => "role-admin",
        Role::Moderator => "role-moderator",
        Role::Member => "role-member",
    })
    .into_owned()
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    preferences_form: super::preferences::PreferencesView,
    notification_mail: super::notifications::MailSettingsView,
    profile_form: FormView,
    password_form: FormView,
    resign_form: FormView,
    /// Whether the address is verified; None when the account has none.
    address: Option<crate::app::verification::AddressStatus>,
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
    let lang = page.lang();
    let address = state.app.address_status(current.user.user_id).await?;
    Ok(SettingsPage {
        address,
        layout: page.layout(&lang.t("settings-title")),
        preferences_form: super::preferences::preferences_view(state, current),
        notification_mail: super::notifications::mail_settings_view(state, current, lang).await?,
        profile_form: FormView::new(
            "/settings/profile",
            lang.t("settings-profile-submit"),
            vec![
                Input::new("name", lang.t("field-name"), "text").value(name).autocomplete("username"),
                Input::new("email", lang.t("field-email"), "email").value(email).autocomplete("email"),
            ],
        )
        .with_errors(profile_errors, lang),
        password_form: FormView::new(
            "/settings/password",
            lang.t("settings-password-submit"),
            vec![
                Input::new("current_password", lang.t("field-current-password"), "password")
                    .autocomplete("current-password"),
                Input::new("password1", lang.t("field-new-password"), "password")
                    .hint(lang.t("settings-new-password-hint"))
                    .autocomplete("new-password"),
                Input::new("password2", lang.t("field-new-password-again"), "password").autocomplete("new-password"),
            ],
        )
        .with_errors(password_errors, lang),
        resign_form: FormView::new(
            "/settings/resign",
            lang.t("settings-resign-submit"),
            vec![
                Input::new("password", lang.t("field-password-to-confirm"), "password")
                    .hint(lang.t("settings-resign-hint"))
                    .autocomplete("current-password"),
            ],
        )
        .with_errors(resign_errors, lang)
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
    let saved = state.app.change_profile(current.user.user_id, (&input.name, &input.email), Some(page.lang().code()));
    match form_result(saved.await)? {
        Ok(()) => Ok(page.redirect_with(&Msg::new("flash-profile-saved"), "/settings").await),
        Err(errors) => {
            Ok(unprocessable(&errors, &settings_view(&state, &page, &current, Sent::Profile(&input, &errors)).await?))
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
        Ok(()) => Ok(page.redirect_with(&Msg::new("flash-password-changed"), "/settings").await),
        Err(errors) => {
            Ok(unprocessable(&errors, &settings_view(&state, &page, &current, Sent::Password(&errors)).await?))
        }
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
            let goodbye = page.redirect_with(&Msg::new("flash-resigned"), "/").await;
            Ok((jar.add(removal_cookie(&state)), goodbye).into_response())
        }
        Err(errors) => {
            Ok(unprocessable(&errors, &settings_view(&state, &page, &current, Sent::Resign(&errors)).await?))
        }
    }
}
