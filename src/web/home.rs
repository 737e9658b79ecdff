//! The front page: the board and category tree.

use super::AppState;
use super::error::WebError;
use super::page::{Layout, Page, render};
use crate::ports::CategoryRow;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use std::sync::Arc;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/static/forum.css", get(stylesheet))
}

/// A board with the categories under it.
pub struct Board {
    pub board: CategoryRow,
    pub categories: Vec<CategoryRow>,
}

/// Groups the flat rows of the tree (boards first, each followed by its categories) into boards.
pub fn boards(rows: Arc<Vec<CategoryRow>>) -> Vec<Board> {
    let mut boards: Vec<Board> = Vec::new();
    let (tops, children): (Vec<_>, Vec<_>) =
        Arc::unwrap_or_clone(rows).into_iter().partition(|row| row.parent_id.is_none());
    for board in tops {
        boards.push(Board { board, categories: Vec::new() });
    }
    for child in children {
        if let Some(parent) = boards.iter_mut().find(|b| Some(b.board.id) == child.parent_id) {
            parent.categories.push(child);
        }
    }
    boards
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    boards: Vec<Board>,
}

async fn home(State(state): State<AppState>, page: Page) -> Result<Response, WebError> {
    let rows = state.app.category_tree().await?;
    Ok(render(&HomePage { layout: page.layout("Boards"), boards: boards(rows) }))
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
