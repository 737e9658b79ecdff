//! Which language and time zone a page is shown in, and the switcher that every page carries.
//!
//! The language is, in order: the logged-in user's setting; the one chosen with the switcher
//! (a cookie); the browser's `Accept-Language`; the forum's `FORUM_LANGUAGE`. The time zone is
//! the user's setting, else `FORUM_TIMEZONE`. A code that is not offered is passed over.

use super::format::Zone;
use super::forms::safe_next;
use super::i18n::{Lang, Reader};
use super::viewer::Viewer;
use super::{AppState, WebError};
use crate::config::Config;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

/// The cookie that remembers the switcher's choice.
pub const COOKIE: &str = "forum_lang";

pub fn routes() -> Router<AppState> {
    Router::new().route("/language", post(switch))
}

impl Reader {
    /// The forum's defaults; a language or zone it does not know is a configuration mistake.
    pub fn from_config(config: &Config) -> anyhow::Result<Reader> {
        let lang = Lang::from_tag(&config.language).ok_or_else(|| {
            anyhow::anyhow!("FORUM_LANGUAGE={:?} is not offered; the forum speaks en and ko", config.language)
        })?;
        let zone = Zone::named(&config.timezone).ok_or_else(|| {
            anyhow::anyhow!("FORUM_TIMEZONE={:?} is not a time zone name such as UTC or Asia/Seoul", config.timezone)
        })?;
        Ok(Reader { lang, zone })
    }
}

/// Decides the reader of each request (after [`super::viewer::authenticate`]) and says on every
/// page that it depends on the language headers and cookies.
pub async fn choose(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let user = request.extensions().get::<Viewer>().and_then(|viewer| viewer.0.as_ref()).map(|current| &current.user);
    let saved_lang = user.and_then(|user| user.language.as_deref()).and_then(Lang::from_tag);
    let saved_zone = user.and_then(|user| user.time_zone.as_deref()).and_then(Zone::named);
    let lang = saved_lang
        .or_else(|| CookieJar::from_headers(request.headers()).get(COOKIE).and_then(|c| Lang::from_tag(c.value())))
        .or_else(|| {
            request
                .headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|value| value.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(state.defaults.lang);
    let zone = saved_zone.unwrap_or_else(|| state.defaults.zone.clone());
    request.extensions_mut().insert(Reader { lang, zone });
    let mut response = next.run(request).await;
    let is_html = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if is_html {
        // The login and the switcher's choice ride in cookies; a shared cache must not hand one
        // reader's language to another.
        response.headers_mut().append(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    }
    response
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Reader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Reader>().cloned().unwrap_or_default())
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SwitchForm {
    lang: String,
    back: String,
}

/// The switcher: remembers the language in a cookie (and in a logged-in user's settings, which
/// would otherwise win over it), then back to the page it was sent from, on this site only.
async fn switch(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    jar: CookieJar,
    Form(input): Form<SwitchForm>,
) -> Result<Response, WebError> {
    let back = safe_next(&input.back).to_string();
    let Some(lang) = Lang::from_tag(&input.lang) else {
        return Ok(Redirect::to(&back).into_response());
    };
    if let Some(current) = viewer
        && current.user.language.is_some()
    {
        let zone = current.user.time_zone.as_deref();
        state.app.change_preferences(current.user.user_id, Some(lang.code()), zone).await?;
    }
    Ok((jar.add(cookie(&state, lang)), Redirect::to(&back)).into_response())
}

/// The cookie that remembers a language for a year.
pub fn cookie(state: &AppState, lang: Lang) -> Cookie<'static> {
    let mut cookie = Cookie::new(COOKIE, lang.code());
    cookie.set_path("/");
    cookie.set_same_site(SameSite::Lax);
    cookie.set_secure(state.cookies.secure);
    cookie.set_max_age(time::Duration::days(365));
    cookie
}
