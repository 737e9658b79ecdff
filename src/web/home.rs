//! The front page: the board and category tree.

use super::AppState;
use super::error::WebError;
use super::page::{Layout, Page, render};
use crate::app::boards::Board;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/static/forum.css", get(stylesheet))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    boards: Vec<Board>,
}

async fn home(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    Ok(render(&HomePage { layout: page.layout(&page.lang().t("boards-title")), boards: state.app.boards().await? }))
}

const STYLESHEET: &str = include_str!("../../static/forum.css");

async fn stylesheet() -> impl axum::response::IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}
