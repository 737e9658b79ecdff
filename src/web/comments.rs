//! Comments: edit, delete, restore, vote. (Adding one is a POST to its post.)

use super::AppState;
use super::error::WebError;
use super::forms::{Field, FormView};
use super::ids::PathId;
use super::page::{Layout, Page, flash, render, render_with};
use super::viewer::CurrentUser;
use crate::app::CommandError;
use crate::domain::FieldErrors;
use crate::domain::policy::can_edit;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/comments/{id}/edit", get(edit_page).post(edit))
        .route("/comments/{id}/delete", post(delete))
        .route("/comments/{id}/restore", post(restore))
        .route("/comments/{id}/vote", post(vote))
}

#[derive(Template)]
#[template(path = "form_page.html")]
struct EditPage {
    layout: Layout,
    heading: &'static str,
    intro: &'static str,
    form: FormView,
    aside: Option<(&'static str, String, &'static str)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CommentForm {
    content: String,
}

fn edit_view(page: &Page, id: i64, post_id: i64, content: &str, errors: &FieldErrors) -> EditPage {
    EditPage {
        layout: page.layout("Edit comment"),
        heading: "Edit your comment",
        intro: "",
        form: FormView::new(
            format!("/comments/{id}/edit"),
            "Save a new version",
            vec![Field::new("content", "Your comment", "textarea").value(content).hint("Markdown works here.")],
        )
        .with_errors(errors),
        aside: Some(("Changed your mind?", format!("/posts/{post_id}#comment-{id}"), "Back to the post")),
    }
}

/// Where a comment is shown: its post's page that holds it.
async fn comment_href(state: &AppState, post_id: i64, comment_id: i64) -> Result<String, WebError> {
    let page = state.app.comment_page(post_id, comment_id).await?;
    Ok(format!("/posts/{post_id}?page={page}#comment-{comment_id}"))
}

async fn edit_page(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId,
) -> Result<Response, WebError> {
    let comment = state.app.reads.comment_view(id.0).await?.filter(|c| c.is_active).ok_or(WebError::NotFound)?;
    can_edit(current.actor(), comment.user_id).map_err(WebError::Forbidden)?;
    let latest = state.app.comment_history(id.0).await?.pop().ok_or(WebError::NotFound)?;
    Ok(render(&edit_view(&page, id.0, comment.post_id, &latest.content, &FieldErrors::new())))
}

async fn edit(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId,
    Form(input): Form<CommentForm>,
) -> Result<Response, WebError> {
    match state.app.edit_comment(&current.user, id.0, &input.content).await {
        Ok(post_id) => {
            flash(&page.session, "Your comment is updated.").await;
            Ok(Redirect::to(&comment_href(&state, post_id, id.0).await?).into_response())
        }
        Err(CommandError::Invalid(errors)) => {
            let post_id = state.app.reads.comment_view(id.0).await?.map_or(0, |c| c.post_id);
            Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &edit_view(&page, id.0, post_id, &input.content, &errors)))
        }
        Err(other) => Err(other.into()),
    }
}

async fn delete(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId,
) -> Result<Response, WebError> {
    let post_id = state.app.delete_comment(&current.user, id.0).await?;
    flash(&page.session, "The comment is removed.").await;
    Ok(Redirect::to(&comment_href(&state, post_id, id.0).await?).into_response())
}

async fn restore(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId,
) -> Result<Response, WebError> {
    let post_id = state.app.restore_comment(&current.user, id.0).await?;
    flash(&page.session, "The comment is restored.").await;
    Ok(Redirect::to(&comment_href(&state, post_id, id.0).await?).into_response())
}

async fn vote(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId,
) -> Result<Response, WebError> {
    let (post_id, cast) = state.app.vote_comment(&current.user, id.0).await?;
    flash(&page.session, if cast { "Your vote is counted." } else { "Your vote is taken back." }).await;
    Ok(Redirect::to(&comment_href(&state, post_id, id.0).await?).into_response())
}
