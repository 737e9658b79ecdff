//! The HTTP side: routes, extractors, pages and the middleware stack.
//! Handlers are thin: parse the form, call a command or a query, render or redirect.

mod accounts;
mod admin;
mod admin_mail;
mod client;
mod comments;
mod conditional;
mod error;
mod feeds;
mod format;
mod forms;
mod guard_messages;
mod history;
mod home;
mod i18n;
mod ids;
mod language;
mod lists;
mod mail_pages;
pub mod mail_texts;
mod messages;
mod middleware;
mod moderators;
mod modlog;
mod modlog_forms;
mod notice_texts;
mod notifications;
mod ops;
mod own_writes;
mod page;
mod post_page;
mod posts;
mod preferences;
mod registration;
mod removal_notes;
mod rendered;
mod report_messages;
mod report_queue;
mod reports;
mod session_store;
mod signup;
mod threads;
mod viewer;

pub use client::ClientAddress;
pub use error::WebError;
pub use i18n::{Lang, Reader};
pub use notice_texts::LocalisedNoticeTexts;
pub use rendered::RenderedLists;
pub use session_store::CacheSessionStore;

use crate::app::App;
use crate::config::Config;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use metrics_exporter_prometheus::PrometheusHandle;
use std::sync::Arc;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: Arc<App>,
    /// Where tower-sessions keeps flash messages: always a working cache, even with the read
    /// cache switched off.
    pub sessions: Arc<dyn crate::ports::Cache>,
    pub metrics: PrometheusHandle,
    pub cookies: CookieSettings,
    /// The content of lists' first pages, rendered once per cached page.
    pub rendered_lists: Arc<RenderedLists>,
    /// How the database's connection pool stands, for `/metrics`: the wiring knows the
    /// database adapter, the web layer does not.
    pub pool_stats: Arc<dyn Fn() -> crate::ports::PoolStats + Send + Sync>,
    /// Set when the server has been asked to stop: `/readyz` says so, and the load balancer
    /// sends no new requests while those in flight finish.
    pub draining: Arc<std::sync::atomic::AtomicBool>,
    /// The language and time zone of readers who chose none (`FORUM_LANGUAGE`, `FORUM_TIMEZONE`).
    pub defaults: Reader,
    /// Whose `X-Forwarded-For` names the client (`FORUM_TRUSTED_PROXIES`).
    pub trusted_proxies: Arc<crate::client_address::TrustedProxies>,
}

#[derive(Clone)]
pub struct CookieSettings {
    pub token_name: &'static str,
    pub secure: bool,
}

impl CookieSettings {
    pub fn from_config(config: &Config) -> Self {
        CookieSettings { token_name: config.token_cookie_name(), secure: config.secure_cookies }
    }
}

/// The whole application: every route with the middleware stack around it.
pub fn router(state: AppState, config: &Config) -> Router {
    let routes = Router::new()
        .merge(home::routes())
        .merge(accounts::routes())
        .merge(mail_pages::routes())
        .merge(admin_mail::routes())
        .merge(admin::routes())
        .merge(moderators::routes())
        .merge(registration::routes())
        .merge(lists::routes())
        .merge(posts::routes())
        .merge(post_page::routes())
        .merge(comments::routes())
        .merge(threads::routes())
        .merge(history::routes())
        .merge(feeds::routes())
        .merge(modlog::routes())
        .merge(ops::routes())
        .merge(language::routes())
        .merge(preferences::routes())
        .merge(notifications::routes())
        .merge(reports::routes())
        .merge(report_queue::routes())
        .fallback(error::not_found)
        .route_layer(axum::middleware::from_fn(middleware::remember_route))
        .layer(DefaultBodyLimit::max(config.body_limit));
    middleware::stack(routes, state, config)
}
