//! Errors as HTML pages in the site layout, with the right status code.
//! Internal details are logged, never shown.

use super::i18n::Msg;
use super::messages;
use super::page::Layout;
use crate::app::CommandError;
use crate::domain::policy::Refusal;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0:?}")]
    Forbidden(Refusal),
    /// A rate limit refused the request: 429, try again after this many seconds.
    #[error("rate limited: {0:?}")]
    Limited(crate::app::limits::Limited),
    /// The database cannot answer now (an outage, a full disk): 503, try again shortly.
    #[error("unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<crate::ports::StoreError> for WebError {
    fn from(error: crate::ports::StoreError) -> Self {
        match error {
            crate::ports::StoreError::Unavailable(error) => WebError::Unavailable(error),
            other => WebError::Internal(other.into()),
        }
    }
}

impl From<Refusal> for WebError {
    fn from(refusal: Refusal) -> Self {
        WebError::Forbidden(refusal)
    }
}

impl From<CommandError> for WebError {
    /// Form errors are handled by each form's handler; one that reaches here is a bug.
    fn from(error: CommandError) -> Self {
        match error {
            CommandError::NotFound => WebError::NotFound,
            CommandError::Forbidden(why) => WebError::Forbidden(why),
            CommandError::Limited(limited) => WebError::Limited(limited),
            CommandError::Invalid(errors) => WebError::Internal(anyhow::anyhow!("unhandled form errors: {errors:?}")),
            CommandError::Unavailable(error) => WebError::Unavailable(error),
            CommandError::Internal(error) => WebError::Internal(error),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub status: u16,
    pub heading: String,
    pub detail: String,
}

/// The message keys of what a person is told for each status code: a heading and a detail.
pub fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("error-400-heading", "error-400-detail"),
        403 => ("error-403-heading", "error-403-detail"),
        404 => ("error-404-heading", "error-404-detail"),
        405 => ("error-405-heading", "error-405-detail"),
        408 | 503 => ("error-503-heading", "error-503-detail"),
        413 => ("error-413-heading", "error-413-detail"),
        415 | 422 => ("error-422-heading", "error-422-detail"),
        429 => ("error-429-heading", "error-429-detail"),
        _ if status.is_server_error() => ("error-500-heading", "error-500-detail"),
        _ => ("error-other-heading", "error-other-detail"),
    }
}

pub fn error_page(status: StatusCode, layout: Layout, detail: Option<&Msg>) -> Response {
    let (heading, default_detail) = describe(status);
    let lang = layout.lang();
    let heading = lang.t(heading).into_owned();
    let page = ErrorPage {
        layout: layout.titled(&heading),
        status: status.as_u16(),
        detail: detail.map_or_else(|| lang.t(default_detail).into_owned(), |msg| lang.msg(msg)),
        heading,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "rendering the error page failed");
            (status, page.heading).into_response()
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        // The layout (who is logged in) is filled in by the error-page middleware.
        let (status, detail) = match &self {
            WebError::NotFound => (StatusCode::NOT_FOUND, None),
            WebError::Forbidden(refusal) => (StatusCode::FORBIDDEN, Some(messages::refusal(*refusal))),
            WebError::Limited(limited) => {
                (StatusCode::TOO_MANY_REQUESTS, Some(messages::rate_limited(limited.retry_after_secs)))
            }
            WebError::Unavailable(error) => {
                tracing::warn!(error = format!("{error:#}"), "database unavailable");
                (StatusCode::SERVICE_UNAVAILABLE, Some(messages::database_unavailable()))
            }
            WebError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, None)
            }
        };
        let mut response = status.into_response();
        let retry_after = match &self {
            WebError::Limited(limited) => Some(limited.retry_after_secs),
            _ => (status == StatusCode::SERVICE_UNAVAILABLE).then_some(u64::from(RETRY_AFTER_SECONDS)),
        };
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        if let Some(detail) = detail {
            response.extensions_mut().insert(ErrorDetail(detail));
        }
        response
    }
}

/// What a 503 tells a browser or a load balancer: try again after this many seconds.
pub const RETRY_AFTER_SECONDS: u32 = 2;

/// A message for the error page, carried from a handler to the error-page middleware (which
/// knows the reader's language).
#[derive(Clone)]
pub struct ErrorDetail(pub Msg);

pub async fn not_found() -> WebError {
    WebError::NotFound
}
