//! The middleware stack, outermost first:
//! request log + metrics → security headers → who is logged in → in which language and zone →
//! personal pages kept private → HTML error pages →
//! timeout → cross-origin POST refusal → sessions (flash) → body limit → routes.

use super::error::{ErrorDetail, error_page};
use super::i18n::{Msg, Reader};
use super::page::{Layout, here};
use super::viewer::{self, Viewer};
use super::{AppState, CacheSessionStore};
use crate::config::Config;
use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::Response;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tower::ServiceBuilder;
use tower_http::csrf::CsrfLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub fn stack(routes: Router<AppState>, state: AppState, config: &Config) -> Router {
    let sessions = SessionManagerLayer::new(CacheSessionStore::new(state.sessions.clone()))
        .with_name(if config.secure_cookies { "__Host-forum_session" } else { "forum_session" })
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(2)));
    // Browsers say where a form came from (Sec-Fetch-Site, Origin); a POST from another site is
    // refused with 403 before it reaches a handler.
    let cross_origin = CsrfLayer::new().with_rejection_response(|_| {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::FORBIDDEN;
        response.extensions_mut().insert(ErrorDetail(Msg::new("error-cross-site-form")));
        response
    });
    let hsts = config.secure_cookies.then_some(HeaderValue::from_static("max-age=31536000"));
    let body_timeout = Duration::from_secs(config.body_timeout);
    // One ServiceBuilder under one `layer` call: every `Router::layer` call wraps each route in a
    // box of its own, and every request clones the boxes of its route, an allocation a layer.
    let stack = ServiceBuilder::new()
        .layer(from_fn(log_and_measure))
        .layer(security_header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(security_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(security_header(header::REFERRER_POLICY, "same-origin"))
        .layer(security_header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(security_header(HeaderName::from_static("cross-origin-opener-policy"), "same-origin"))
        .layer(SetResponseHeaderLayer::if_not_present(header::STRICT_TRANSPORT_SECURITY, move |_: &Response| {
            hsts.clone()
        }))
        .layer(from_fn_with_state(state.clone(), viewer::authenticate))
        .layer(from_fn_with_state(state.clone(), super::language::choose))
        .layer(from_fn(personal_pages_are_private))
        .layer(from_fn(error_pages))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(config.request_timeout),
        ))
        .layer(cross_origin)
        .layer(sessions);
    // The body limit changes the body's type, which the layers above would not take: it and
    // the body's deadline below it keep a `Router::layer` of their own.
    routes
        .layer(from_fn(move |request, next| body_deadline(body_timeout, request, next)))
        .layer(RequestBodyLimitLayer::new(config.body_limit))
        .layer(stack)
        .with_state(state)
}

const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A header every answer carries unless its handler set it.
fn security_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Reads a request's whole body within `timeout` before the handler runs, so that a client
/// that sends its body slowly, or stops halfway, is answered 408 and its connection closed
/// instead of holding a handler and a connection for as long as it likes. The body limit is
/// applied outside, so what is read here is bounded.
async fn body_deadline(timeout: Duration, request: Request, next: Next) -> Response {
    use http_body_util::BodyExt;
    if axum::body::HttpBody::is_end_stream(request.body()) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    match tokio::time::timeout(timeout, body.collect()).await {
        Ok(Ok(collected)) => next.run(Request::from_parts(parts, Body::from(collected.to_bytes()))).await,
        Ok(Err(error)) => {
            let too_large = std::error::Error::source(&error)
                .is_some_and(|source| source.is::<http_body_util::LengthLimitError>())
                || error.to_string().contains("length limit");
            let status = if too_large { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::BAD_REQUEST };
            closing(status)
        }
        Err(_) => closing(StatusCode::REQUEST_TIMEOUT),
    }
}

/// An error answer after which the connection is closed (its request was not read whole).
fn closing(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The route template that served a request, for logs and metrics ("unmatched" for 404s).
#[derive(Clone)]
struct RouteTemplate(String);

/// Copies the matched route template onto the response, where the outer layers can read it.
pub async fn remember_route(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string());
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(RouteTemplate(route));
    }
    response
}

/// Error responses that carry no page of their own (a rejected extractor, the body limit, a
/// timeout, a refused cross-site form) get the HTML error page in the site layout.
async fn error_pages(request: Request, next: Next) -> Response {
    let viewer = request.extensions().get::<Viewer>().cloned().unwrap_or_default();
    let reader = request.extensions().get::<Reader>().cloned().unwrap_or_default();
    let (parts, body) = request.into_parts();
    let here = here(&parts);
    let response = next.run(Request::from_parts(parts, body)).await;
    let status = response.status();
    let is_html = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !(status.is_client_error() || status.is_server_error()) || is_html {
        return response;
    }
    let detail = response.extensions().get::<ErrorDetail>().map(|d| d.0.clone());
    let mut page = error_page(status, Layout::new(&viewer, reader, here), detail.as_ref());
    // Keep what the outer layers need to know about the request.
    if let Some(route) = response.extensions().get::<RouteTemplate>().cloned() {
        page.extensions_mut().insert(route);
    }
    // And what the client needs: which methods the route takes, when to come back.
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = response.headers().get(&name).cloned() {
            page.headers_mut().insert(name, value);
        }
    }
    page
}

/// A page made for one reader (anything a logged-in viewer is shown: their name, their
/// settings and e-mail address, their forms) or one that sets a cookie may be kept by no cache
/// but the reader's own browser, and not even there once it is left: `private, no-store`.
/// Pages that say how they may be cached (the static files) keep what they say.
async fn personal_pages_are_private(request: Request, next: Next) -> Response {
    let logged_in = request.extensions().get::<Viewer>().is_some_and(|viewer| viewer.0.is_some());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let personal = logged_in || headers.contains_key(header::SET_COOKIE);
    if personal && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
    response
}

fn next_request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static PREFIX: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    let prefix = PREFIX.get_or_init(rand::random::<u32>);
    format!("{prefix:08x}-{:x}", COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// One log line and the metrics for every request.
async fn log_and_measure(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let request_id = next_request_id();
    let in_flight = metrics::gauge!("http_requests_in_flight");
    in_flight.increment(1.0);
    let mut response = next.run(request).await;
    in_flight.decrement(1.0);

    let latency = started.elapsed();
    let status = response.status().as_u16();
    let route =
        response.extensions().get::<RouteTemplate>().map(|r| r.0.clone()).unwrap_or_else(|| "unmatched".to_string());
    let user_id = response.extensions().get::<viewer::LoggedUser>().and_then(|u| u.0).map(|id| id.0);
    metrics::counter!("http_requests_total",
        "method" => method.to_string(), "route" => route.clone(), "status" => status.to_string())
    .increment(1);
    metrics::histogram!("http_request_duration_seconds",
        "method" => method.to_string(), "route" => route.clone())
    .record(latency.as_secs_f64());
    tracing::info!(
        request_id = %request_id,
        method = %method,
        route = %route,
        status,
        latency_ms = latency.as_secs_f64() * 1000.0,
        user_id,
        "request"
    );
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
    }
    response
}
