//! What every page shares: the title, who is logged in, the reader's language, and flash
//! messages.

use super::WebError;
use super::error::RETRY_AFTER_SECONDS;
use super::i18n::{Lang, Msg, Reader};
use super::viewer::{Viewer, push_url_escaped};
use crate::app::{CommandError, CommandResult};
use crate::domain::policy::Refusal;
use crate::domain::{Field, FieldError, FieldErrors, Role};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use tower_sessions::Session;

const FLASH_KEY: &str = "flash";

/// The logged-in user as the navigation shows them.
#[derive(Debug, Clone)]
pub struct NavUser {
    pub name: String,
    pub profile_href: String,
    pub is_admin: bool,
    /// Unread notifications (None: not counted for this request).
    pub unread: Option<i64>,
    /// A global moderator or an admin: the header links to the report queue. (A board
    /// moderator's boards are not in the session; the queue itself lets them in.)
    pub moderates: bool,
}

/// The data of the base layout.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub title: String,
    pub user: Option<NavUser>,
    pub flash: Vec<String>,
    pub reader: Reader,
    /// This page's path and query, where the language switcher comes back to.
    pub here: String,
}

impl Layout {
    pub fn new(viewer: &Viewer, reader: Reader, here: String) -> Self {
        let user = viewer.0.as_ref().map(|current| NavUser {
            name: current.user.name.clone(),
            profile_href: profile_href(&current.user.name),
            is_admin: current.user.role == Role::Admin,
            unread: current.unread,
            moderates: current.user.role.moderates(),
        });
        Layout { title: String::new(), user, flash: Vec::new(), reader, here }
    }

    pub fn titled(mut self, title: &str) -> Self {
        self.title = title.to_string();
        self
    }

    pub fn lang(&self) -> Lang {
        self.reader.lang
    }

    /// A message in the reader's language (for the templates).
    pub fn t(&self, key: &str) -> std::borrow::Cow<'static, str> {
        self.reader.lang.t(key)
    }

    /// A message with a count, in its plural form.
    pub fn tn(&self, key: &str, count: impl super::i18n::Count) -> String {
        self.reader.lang.tn(key, count)
    }

    /// A message with one text value.
    pub fn ta(&self, key: &str, name: &'static str, value: &str) -> String {
        self.reader.lang.ta(key, name, value)
    }

    /// A message with two text values.
    pub fn ta2(&self, key: &str, name1: &'static str, value1: &str, name2: &'static str, value2: &str) -> String {
        self.reader.lang.ta2(key, name1, value1, name2, value2)
    }

    /// The switcher's choices: (code, the language's own name, whether it is the current one).
    pub fn languages(&self) -> Vec<(&'static str, std::borrow::Cow<'static, str>, bool)> {
        Lang::ALL.into_iter().map(|lang| (lang.code(), lang.name(), lang == self.reader.lang)).collect()
    }
}

/// Where the page that a request shows lives, for the switcher to come back to: the address
/// of a GET; for a form's answer (a POST shown again with its errors), the page the form was
/// on, from the Referer of this very site (Referrer-Policy: same-origin), else the front page.
pub fn here(parts: &Parts) -> String {
    if parts.method == axum::http::Method::GET {
        return parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    }
    let referer = parts.headers.get(axum::http::header::REFERER).and_then(|v| v.to_str().ok());
    let path = referer.and_then(|r| r.parse::<axum::http::Uri>().ok()).and_then(|uri| {
        let same_host = uri.authority().map(|a| a.as_str())
            == parts.headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok());
        same_host.then(|| uri.path_and_query().map(|p| p.as_str().to_string())).flatten()
    });
    path.unwrap_or_else(|| "/".to_string())
}

pub fn profile_href(name: &str) -> String {
    let mut href = String::with_capacity(7 + 3 * name.len());
    href.push_str("/users/");
    push_url_escaped(&mut href, name);
    href
}

/// Extracts the layout of a page: who is logged in, and the flash messages waiting for them
/// (read once, then gone).
pub struct Page {
    pub layout: Layout,
    pub session: Session,
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let viewer = Viewer::from_request_parts(parts, state).await.unwrap_or_default();
        let reader = parts.extensions.get::<Reader>().cloned().unwrap_or_default();
        let session = Session::from_request_parts(parts, state).await.map_err(|e| e.into_response())?;
        let mut layout = Layout::new(&viewer, reader, here(parts));
        // Without a session cookie there is no message waiting: nothing to load.
        if session.id().is_some() {
            match session.remove::<Vec<String>>(FLASH_KEY).await {
                Ok(messages) => layout.flash = messages.unwrap_or_default(),
                Err(error) => tracing::warn!(%error, "reading flash messages failed"),
            }
        }
        Ok(Page { layout, session })
    }
}

impl Page {
    pub fn layout(&self, title: &str) -> Layout {
        self.layout.clone().titled(title)
    }

    /// The reader's language.
    pub fn lang(&self) -> Lang {
        self.layout.reader.lang
    }

    pub fn reader(&self) -> &Reader {
        &self.layout.reader
    }

    /// A message in the reader's language.
    pub fn t(&self, key: &str) -> String {
        self.lang().t(key).into_owned()
    }

    /// Where a command that worked sends the browser: a message for the next page (told in
    /// the reader's language now, as the next page is in it too), and a 303 to that page.
    pub async fn redirect_with(&self, message: &Msg, target: &str) -> Response {
        flash(&self.session, self.lang().msg(message)).await;
        Redirect::to(target).into_response()
    }
}

/// A command's result as a form's POST handles it: the value, or the form's errors to show
/// again; a database that cannot take it now is also shown on the form, so that nothing
/// typed is lost; any other failure becomes its error page.
pub fn form_result<T>(result: CommandResult<T>) -> Result<Result<T, FieldErrors>, WebError> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(CommandError::Invalid(errors)) => Ok(Err(errors)),
        // A refused form comes back with everything typed, and when to send it again.
        Err(CommandError::Limited(limited)) => Ok(Err(FieldErrors::single(
            Field::Form,
            FieldError::TooSoon { retry_after_secs: limited.retry_after_secs },
        ))),
        // A thread locked since the form was opened: the form comes back with what was typed.
        Err(CommandError::Forbidden(Refusal::ThreadLocked)) => {
            Ok(Err(FieldErrors::single(Field::Form, FieldError::ThreadLocked)))
        }
        Err(CommandError::Unavailable(error)) => {
            tracing::warn!(error = format!("{error:#}"), "database unavailable; the form is shown again");
            Ok(Err(FieldErrors::single(Field::Form, FieldError::NotSavedNow)))
        }
        Err(other) => Err(other.into()),
    }
}

/// Leaves a message for the next page the user sees (after the redirect).
pub async fn flash(session: &Session, message: impl Into<String>) {
    let mut messages: Vec<String> = session.get(FLASH_KEY).await.ok().flatten().unwrap_or_default();
    messages.push(message.into());
    if let Err(error) = session.insert(FLASH_KEY, messages).await {
        tracing::warn!(%error, "storing a flash message failed");
    }
}

/// Renders a template into an HTML response (a failure is a logged 500).
pub fn render(template: &impl askama::Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => WebError::Internal(error.into()).into_response(),
    }
}

/// A form shown again with its errors: 422, or 503 (with `Retry-After`) when it was fine but
/// the database could not take it.
pub fn unprocessable(errors: &FieldErrors, template: &impl askama::Template) -> Response {
    let mut response = render(template);
    if response.status().is_success() {
        match errors.get(Field::Form) {
            Some(FieldError::NotSavedNow) => {
                *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
                response.headers_mut().insert(header::RETRY_AFTER, RETRY_AFTER_SECONDS.into());
            }
            Some(FieldError::TooSoon { retry_after_secs }) => {
                *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
                response.headers_mut().insert(header::RETRY_AFTER, (*retry_after_secs).into());
            }
            // 409: nothing is wrong with what was typed or with who sent it; the thread's
            // state changed (a moderator locked it), so the same form may not be sent now.
            Some(FieldError::ThreadLocked) => *response.status_mut() = StatusCode::CONFLICT,
            _ => *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
    response
}
