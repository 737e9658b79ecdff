//! Read-your-writes across instances: the author of a change is redirected to a page that
//! shows it, whichever instance serves the redirect.
//!
//! The instance that made the change dropped the shared cache before answering, and numbered
//! the message that tells the other instances to drop their local copies. Its answer to the
//! POST carries that number in a short-lived cookie; an instance that has not yet received
//! the message skips its cache for the request (see `app::read_cache::reading_after`).

use super::AppState;
use crate::app::read_cache::reading_after;
use crate::ports::Sequence;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

const COOKIE: &str = "forum_seen";
/// Long enough for any redirect to be followed; the message arrives within milliseconds,
/// after which the cookie changes nothing.
const LIFETIME: time::Duration = time::Duration::seconds(10);

pub async fn read_your_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let floor = CookieJar::from_headers(request.headers())
        .get(COOKIE)
        .and_then(|cookie| cookie.value().parse::<Sequence>().ok())
        .unwrap_or(0);
    let wrote = request.method() == Method::POST;
    let response = if floor > 0 { reading_after(floor, next.run(request)).await } else { next.run(request).await };
    let published = state.app.published_sequence();
    if wrote && published > floor {
        let mut cookie = Cookie::new(COOKIE, published.to_string());
        cookie.set_path("/");
        cookie.set_http_only(true);
        cookie.set_same_site(SameSite::Lax);
        cookie.set_secure(state.cookies.secure);
        cookie.set_max_age(LIFETIME);
        return (CookieJar::new().add(cookie), response).into_response();
    }
    response
}
