//! Who is asking: the session token cookie, checked on every request.

use super::AppState;
use crate::app::accounts::Login;
use crate::domain::LoginId;
use crate::domain::UserId;
use crate::domain::policy::Actor;
use crate::ports::SessionUser;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use std::sync::Arc;

/// A logged-in user and the login (session) they are using.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// Shared with the read cache.
    pub user: Arc<SessionUser>,
    pub login_id: LoginId,
    /// Unread notifications, for the header of a page (looked up for GETs only; cached per member).
    pub unread: Option<i64>,
}

/// The person behind a request, if logged in. Put in the request extensions by [`authenticate`].
#[derive(Debug, Clone, Default)]
pub struct Viewer(pub Option<CurrentUser>);

impl CurrentUser {
    /// The user as the domain's rules see them.
    pub fn actor(&self) -> Actor {
        Actor { user_id: self.user.user_id, role: self.user.role }
    }
}

impl Viewer {
    pub fn actor(&self) -> Option<Actor> {
        self.0.as_ref().map(CurrentUser::actor)
    }
}

/// Put in the request extensions when the session could not be checked (the database or the
/// cache failed): the request is served as logged out, but the cookie is kept, and a page that
/// needs the login answers 503 rather than sending a logged-in user to the login form.
#[derive(Debug, Clone, Copy)]
struct SessionUnchecked;

/// The user id for the request log, carried out on the response.
#[derive(Debug, Clone, Copy)]
pub struct LoggedUser(pub Option<UserId>);

/// Reads the token cookie: a genuine token for an open login makes a logged-in request.
/// Anything else (tampered, expired, `alg: none`, a login since ended) is a logged-out
/// request, and the dead cookie is cleared.
pub async fn authenticate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let token = jar.get(state.cookies.token_name).map(|c| c.value().to_string());
    let mut current = None;
    let mut unchecked = false;
    if let Some(claims) = token.as_deref().and_then(|t| state.app.tokens.verify(t)) {
        match state.app.session_user(claims.sid).await {
            Ok(Some(user)) if user.user_id == claims.sub => {
                current = Some(CurrentUser { user, login_id: claims.sid, unread: None })
            }
            Ok(_) => {}
            Err(error) => {
                unchecked = true;
                request.extensions_mut().insert(SessionUnchecked);
                tracing::warn!(%error, "checking a session failed; served as logged out, the cookie kept");
            }
        }
    }
    if let Some(current) = current.as_mut().filter(|_| request.method() == axum::http::Method::GET) {
        // A failed count leaves the header without it; the page itself still works.
        match state.app.unread_count(current.user.user_id).await {
            Ok(count) => current.unread = Some(count),
            Err(error) => tracing::warn!(%error, "counting unread notifications failed"),
        }
    }
    let user_id = current.as_ref().map(|c| c.user.user_id);
    // A session that could not be checked is not known to be dead: the cookie stays.
    let dead_cookie = token.is_some() && current.is_none() && !unchecked;
    request.extensions_mut().insert(Viewer(current));
    let mut response = next.run(request).await;
    response.extensions_mut().insert(LoggedUser(user_id));
    if dead_cookie && !response.headers().contains_key(axum::http::header::SET_COOKIE) {
        let jar = CookieJar::new().add(removal_cookie(&state));
        return (jar, response).into_response();
    }
    response
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Viewer>().cloned().unwrap_or_default())
    }
}

/// Extracting this requires a login: a logged-out visitor is sent to the login page and back.
impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Viewer>() {
            Some(Viewer(Some(current))) => Ok(current.clone()),
            _ if parts.extensions.get::<SessionUnchecked>().is_some() => {
                let error = anyhow::anyhow!("the session could not be checked");
                Err(super::WebError::Unavailable(error).into_response())
            }
            _ => {
                let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                let target = format!("/login?next={}", url_escape(next));
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// Percent-encodes everything but unreserved characters.
pub fn url_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_url_escaped(&mut out, text);
    out
}

/// The same, written at the end of `out`.
pub fn push_url_escaped(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(byte as char),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 15)] as char);
            }
        }
    }
}

/// The cookie that carries a fresh login's token.
pub fn login_cookie(state: &AppState, login: &Login) -> anyhow::Result<Cookie<'static>> {
    let token = state.app.tokens.issue(login.user.user_id, login.login_id)?;
    let mut cookie = Cookie::new(state.cookies.token_name, token);
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_path("/");
    cookie.set_secure(state.cookies.secure);
    cookie.set_max_age(time::Duration::seconds(state.app.tokens.lifetime().as_secs() as i64));
    Ok(cookie)
}

/// How long a browser stays known to the account it logged in to (renewed by each login).
const KNOWN_BROWSER_DAYS: i64 = 365;

/// The name of the cookie that marks a browser its account's owner logged in from.
pub fn known_browser_cookie_name(state: &AppState) -> &'static str {
    if state.cookies.secure { "__Host-forum_known" } else { "forum_known" }
}

/// The signed mark of the browser `user` just logged in from: its logins for that account
/// get a lane of their own, which a guessing storm from elsewhere does not fill.
pub fn known_browser_cookie(state: &AppState, user: crate::domain::UserId) -> Cookie<'static> {
    let mut cookie = Cookie::new(known_browser_cookie_name(state), state.app.known_browser_mark(user));
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_path("/");
    cookie.set_secure(state.cookies.secure);
    cookie.set_max_age(time::Duration::days(KNOWN_BROWSER_DAYS));
    cookie
}

/// A cookie that tells the browser to forget the token.
pub fn removal_cookie(state: &AppState) -> Cookie<'static> {
    let mut cookie = Cookie::new(state.cookies.token_name, "");
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_path("/");
    cookie.set_secure(state.cookies.secure);
    cookie.set_max_age(time::Duration::ZERO);
    cookie
}

#[cfg(test)]
mod tests {
    use super::url_escape;

    #[test]
    fn urls_escape_every_byte_but_the_unreserved() {
        assert_eq!(url_escape("사용자1380"), "%EC%82%AC%EC%9A%A9%EC%9E%901380");
        assert_eq!(url_escape("a b/c~d?e=f&g"), "a%20b/c~d%3Fe%3Df%26g");
    }
}
