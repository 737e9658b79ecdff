//! The settings form for the interface: the user's language and time zone.

use super::AppState;
use super::error::WebError;
use super::format::Zone;
use super::i18n::Lang;
use super::page::flash;
use super::viewer::CurrentUser;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/settings/preferences", post(change_preferences))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PreferencesForm {
    language: String,
    time_zone: String,
}

/// The language and time zone form: each a `<select>` whose first choice is "the default".
pub struct PreferencesView {
    /// (code, name, selected)
    pub languages: Vec<(&'static str, String, bool)>,
    /// (name, selected) of every zone the database knows.
    pub zones: Vec<(&'static str, bool)>,
    pub language_default: bool,
    pub zone_default: bool,
    /// The forum's default zone, named in the "default" choice.
    pub forum_zone: String,
}

pub fn preferences_view(state: &AppState, current: &CurrentUser) -> PreferencesView {
    let language = current.user.language.as_deref().and_then(Lang::from_tag);
    let zone = current.user.time_zone.as_deref().and_then(Zone::named);
    PreferencesView {
        languages: Lang::ALL
            .into_iter()
            .map(|lang| (lang.code(), lang.name().into_owned(), Some(lang) == language))
            .collect(),
        zones: Zone::all_names()
            .iter()
            .map(|name| (name.as_str(), zone.as_ref().is_some_and(|zone| zone.name() == name)))
            .collect(),
        language_default: language.is_none(),
        zone_default: zone.is_none(),
        forum_zone: state.defaults.zone.name().to_string(),
    }
}

/// Saves the language and time zone; an empty choice (or one not offered) is "the default".
async fn change_preferences(
    State(state): State<AppState>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Form(input): Form<PreferencesForm>,
) -> Result<Response, WebError> {
    let lang = Lang::from_tag(&input.language);
    let zone = Zone::named(&input.time_zone);
    let zone_name = zone.as_ref().map(|zone| zone.name().to_string());
    state.app.change_preferences(current.user.user_id, lang.map(Lang::code), zone_name.as_deref()).await?;
    // Told in the language just chosen, as the next page will be.
    let shown = lang.unwrap_or(state.defaults.lang);
    flash(&session, shown.t("flash-preferences-saved")).await;
    let mut response = Redirect::to("/settings").into_response();
    if let Some(lang) = lang {
        // The switcher's cookie follows, so that logging out keeps the language.
        let jar = CookieJar::new().add(super::language::cookie(&state, lang));
        response = (jar, response).into_response();
    }
    Ok(response)
}
