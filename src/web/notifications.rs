//! The member's notifications: the list (each entry a small POST form that marks it read and
//! goes to the item), "mark all read", muting a thread, the mail settings on /settings, and
//! the signed unsubscribe links of the mails (a GET shows a confirm button; the POST acts).

use super::AppState;
use super::error::WebError;
use super::format;
use super::i18n::{Lang, Msg};
use super::ids::{PathId, parse_id};
use super::page::{Layout, Page, flash, render};
use super::viewer::{CurrentUser, Viewer};
use crate::app::notice_mail::Unsubscribe;
use crate::domain::notifications::{MailMode, NotificationKind};
use crate::domain::{NotificationId, PostId};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/{id}/open", post(open))
        .route("/notifications/read-all", post(read_all))
        .route("/posts/{id}/mute", post(mute))
        .route("/settings/notifications", post(save_mail_settings))
        .route("/unsubscribe/{token}", get(unsubscribe_page).post(unsubscribe))
}

/// The message id of a kind's label, and of its line in the list.
pub fn kind_label(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::Comment => "notifications-kind-comment",
        NotificationKind::Reply => "notifications-kind-reply",
        NotificationKind::Mention => "notifications-kind-mention",
        NotificationKind::Moderation => "notifications-kind-moderation",
    }
}

pub fn kind_line(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::Comment => "notifications-line-comment",
        NotificationKind::Reply => "notifications-line-reply",
        NotificationKind::Mention => "notifications-line-mention",
        NotificationKind::Moderation => "notifications-line-moderation",
    }
}

/// Whether the viewer muted the thread, for the post page's button (None: logged out).
pub async fn thread_muted(state: &AppState, viewer: &Viewer, post_id: PostId) -> Result<Option<bool>, WebError> {
    match &viewer.0 {
        Some(current) => Ok(Some(state.app.thread_muted(current.user.user_id, post_id).await?)),
        None => Ok(None),
    }
}

struct Entry {
    id: NotificationId,
    text: String,
    when: String,
    when_iso: String,
    read: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct ListPage {
    layout: Layout,
    entries: Vec<Entry>,
    any_unread: bool,
    older: Option<NotificationId>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    before: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    let before = query.before.as_deref().and_then(parse_id::<NotificationId>);
    let found = state.app.notifications(current.user.user_id, before).await?;
    let reader = page.reader();
    let lang = reader.lang;
    let entries = found
        .rows
        .iter()
        .map(|row| {
            let actor = row.actor_name.clone().unwrap_or_else(|| lang.t("notifications-someone").into_owned());
            Entry {
                id: row.id,
                text: lang.ta2(kind_line(row.kind), "actor", &actor, "title", &row.post_title),
                when: format::date_time(reader, row.created),
                when_iso: format::iso(row.created),
                read: row.read,
            }
        })
        .collect::<Vec<_>>();
    let any_unread = current.unread.unwrap_or(0) > 0 || entries.iter().any(|e| !e.read);
    let mut response = render(&ListPage {
        layout: page.layout(&lang.t("notifications-title")),
        entries,
        any_unread,
        older: found.older,
    });
    // Only this member's: never kept by a shared cache on the way.
    response.headers_mut().insert(axum::http::header::CACHE_CONTROL, "private, no-store".parse().expect("a header"));
    Ok(response)
}

async fn open(
    State(state): State<AppState>,
    current: CurrentUser,
    id: PathId<NotificationId>,
) -> Result<Response, WebError> {
    let (post_id, comment_id) = state.app.open_notification(&current.user, id.0).await?;
    let target = match comment_id {
        Some(comment_id) => {
            let page = state.app.comment_page(post_id, comment_id).await?;
            format!("/posts/{post_id}?page={page}#comment-{comment_id}")
        }
        None => format!("/posts/{post_id}"),
    };
    Ok(Redirect::to(&target).into_response())
}

async fn read_all(State(state): State<AppState>, page: Page, current: CurrentUser) -> Result<Response, WebError> {
    state.app.read_all_notifications(&current.user).await?;
    Ok(page.redirect_with(&Msg::new("notifications-flash-all-read"), "/notifications").await)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MuteForm {
    muted: String,
}

async fn mute(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId<PostId>,
    Form(input): Form<MuteForm>,
) -> Result<Response, WebError> {
    let muted = input.muted == "1";
    state.app.mute_thread(&current.user, id.0, muted).await?;
    let message = if muted { "notifications-flash-muted" } else { "notifications-flash-unmuted" };
    Ok(page.redirect_with(&Msg::new(message), &format!("/posts/{}", id.0)).await)
}

/// One kind's line of the mail settings.
pub struct MailKindView {
    pub code: &'static str,
    pub label: String,
    /// (value, name, selected)
    pub choices: Vec<(&'static str, String, bool)>,
}

pub struct MailSettingsView {
    pub kinds: Vec<MailKindView>,
    pub verified: bool,
}

pub async fn mail_settings_view(
    state: &AppState,
    current: &CurrentUser,
    lang: Lang,
) -> Result<MailSettingsView, WebError> {
    let modes = state.app.mail_modes(current.user.user_id).await?;
    let kinds = modes
        .into_iter()
        .map(|(kind, mode)| {
            let choice = |value: &'static str, key: &str, this: Option<MailMode>| {
                (value, lang.t(key).into_owned(), mode == this)
            };
            MailKindView {
                code: kind.code(),
                label: lang.t(kind_label(kind)).into_owned(),
                choices: vec![
                    choice("off", "notifications-mail-off", None),
                    choice("immediate", "notifications-mail-immediate", Some(MailMode::Immediate)),
                    choice("digest", "notifications-mail-digest", Some(MailMode::Digest)),
                ],
            }
        })
        .collect();
    Ok(MailSettingsView { kinds, verified: state.app.mail_verified(current.user.user_id).await? })
}

/// Each kind's choice by its code; a kind left out or with an unknown value is off.
async fn save_mail_settings(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Form(input): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let modes: Vec<(NotificationKind, Option<MailMode>)> = NotificationKind::ALL
        .into_iter()
        .map(|kind| (kind, input.get(kind.code()).and_then(|value| MailMode::parse(value))))
        .collect();
    state.app.set_mail_modes(&current.user, &modes).await?;
    Ok(page.redirect_with(&Msg::new("notifications-flash-mail-saved"), "/settings").await)
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    layout: Layout,
    token: String,
    what: String,
}

fn what_label(lang: Lang, what: Unsubscribe) -> String {
    match what {
        Unsubscribe::Kind(kind) => lang.t(kind_label(kind)).into_owned(),
        Unsubscribe::Digest => lang.t("notifications-mail-digest").into_owned(),
    }
}

/// The confirm page: changes nothing (mail scanners follow links).
async fn unsubscribe_page(
    State(state): State<AppState>,
    page: Page,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let what = state.app.unsubscribe_target(&token).ok_or(WebError::NotFound)?;
    let lang = page.lang();
    let view = UnsubscribePage {
        layout: page.layout(&lang.t("notifications-unsubscribe-title")),
        what: what_label(lang, what),
        token,
    };
    Ok(render(&view))
}

/// The button of the confirm page, and the mail program's one-click POST (RFC 8058), which
/// carries no session: the signed token is the proof.
async fn unsubscribe(
    State(state): State<AppState>,
    page: Page,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let what = state.app.unsubscribe(&token).await?;
    let lang = page.lang();
    flash(&page.session, lang.ta("notifications-flash-unsubscribed", "what", &what_label(lang, what))).await;
    Ok(Redirect::to("/").into_response())
}
