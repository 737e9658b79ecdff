//! Errors as HTML pages in the site layout, with the right status code.
//! Internal details are logged, never shown.

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

/// What a person is told for each status code.
pub fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("Bad request", "The request could not be understood."),
        403 => ("Not allowed", "You are not allowed to do that."),
        404 => ("Page not found", "There is nothing at this address. It may have been moved or deleted."),
        405 => ("Method not allowed", "This address does not take that kind of request."),
        408 | 503 => {
            ("Service unavailable", "The forum is busy or could not finish in time. Please try again shortly.")
        }
        413 => ("Too large", "What you sent is larger than the forum accepts. Please shorten it and try again."),
        415 | 422 => ("Cannot process this", "The form could not be read. Please go back and try again."),
        429 => ("Too many requests", "Please wait a moment before trying again."),
        _ if status.is_server_error() => {
            ("Something went wrong", "The forum hit an error. It has been logged; please try again.")
        }
        _ => ("Error", "The request could not be completed."),
    }
}

pub fn error_page(status: StatusCode, layout: Layout, detail: Option<&str>) -> Response {
    let (heading, default_detail) = describe(status);
    let page = ErrorPage {
        layout: layout.titled(heading),
        status: status.as_u16(),
        heading: heading.to_string(),
        detail: detail.unwrap_or(default_detail).to_string(),
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "rendering the error page failed");
            (status, heading).into_response()
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        // The layout (who is logged in) is filled in by the error-page middleware.
        let (status, detail) = match &self {
            WebError::NotFound => (StatusCode::NOT_FOUND, None),
            WebError::Forbidden(refusal) => (StatusCode::FORBIDDEN, Some(messages::refusal(*refusal))),
            WebError::Unavailable(error) => {
                tracing::warn!(error = format!("{error:#}"), "database unavailable");
                (StatusCode::SERVICE_UNAVAILABLE, Some(messages::DATABASE_UNAVAILABLE))
            }
            WebError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, None)
            }
        };
        let mut response = status.into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, RETRY_AFTER_SECONDS.into());
        }
        if let Some(detail) = detail {
            response.extensions_mut().insert(ErrorDetail(detail));
        }
        response
    }
}

/// What a 503 tells a browser or a load balancer: try again after this many seconds.
pub const RETRY_AFTER_SECONDS: u32 = 2;

/// A message for the error page, carried from a handler to the error-page middleware.
#[derive(Clone, Copy)]
pub struct ErrorDetail(pub &'static str);

pub async fn not_found() -> WebError {
    WebError::NotFound
}
