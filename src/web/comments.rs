//! Comments: edit, delete, restore, vote. (Adding one is a POST to its post.)

use super::error::WebError;
use super::forms::{FormView, Input};
use super::i18n::Msg;
use super::ids::PathId;
use super::messages;
use super::modlog_forms::{NoteForm, note_page};
use super::page::{Layout, Page, form_result, render, unprocessable};
use super::viewer::CurrentUser;
use super::{AppState, ClientAddress};
use crate::domain::FieldErrors;
use crate::domain::{CommentId, PostId};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
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
    heading: String,
    intro: String,
    /// Always a form here (the template also serves pages without one).
    form: Option<FormView>,
    aside: Option<(String, String, String)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CommentForm {
    content: String,
}

fn edit_view(page: &Page, id: CommentId, post_id: PostId, content: &str, errors: &FieldErrors) -> EditPage {
    let lang = page.lang();
    EditPage {
        layout: page.layout(&lang.t("edit-comment-title")),
        heading: page.t("edit-comment-heading"),
        intro: String::new(),
        form: Some(
            FormView::new(
                format!("/comments/{id}/edit"),
                lang.t("save-new-version"),
                vec![
                    Input::new("content", lang.t("field-your-comment"), "textarea")
                        .value(content)
                        .hint(lang.t("comment-hint")),
                ],
            )
            .with_errors(errors, lang),
        ),
        aside: Some((
            page.t("edit-comment-changed-mind"),
            format!("/posts/{post_id}#comment-{id}"),
            page.t("back-to-post"),
        )),
    }
}

/// Where a comment is shown: its post's page that holds it.
async fn comment_href(state: &AppState, post_id: PostId, comment_id: CommentId) -> Result<String, WebError> {
    let page = state.app.comment_page(post_id, comment_id).await?;
    Ok(format!("/posts/{post_id}?page={page}#comment-{comment_id}"))
}

async fn edit_page(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId<CommentId>,
) -> Result<Response, WebError> {
    let draft = state.app.comment_to_edit(current.actor(), id.0).await?;
    Ok(render(&edit_view(&page, id.0, draft.post_id, &draft.content, &FieldErrors::new())))
}

async fn edit(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    client: ClientAddress,
    id: PathId<CommentId>,
    Form(input): Form<CommentForm>,
) -> Result<Response, WebError> {
    let address = client.key().to_string();
    match form_result(state.app.edit_comment_from(&current.user, Some(&address), id.0, &input.content).await)? {
        Ok(post_id) => Ok(page
            .redirect_with(&Msg::new("flash-comment-updated"), &comment_href(&state, post_id, id.0).await?)
            .await),
        Err(errors) => {
            // The command found the comment (a locked thread refuses its draft, not its post).
            let post_id = state.app.comment_post(current.actor(), id.0).await?;
            Ok(unprocessable(&errors, &edit_view(&page, id.0, post_id, &input.content, &errors)))
        }
    }
}

async fn delete(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId<CommentId>,
    Form(input): Form<NoteForm>,
) -> Result<Response, WebError> {
    match form_result(state.app.delete_comment(&current.user, id.0, &input.note()).await)? {
        Ok(post_id) => {
            let href = comment_href(&state, post_id, id.0).await?;
            Ok(page.redirect_with(&Msg::new("flash-comment-removed"), &href).await)
        }
        Err(errors) => Ok(refused_note(&page, &current, id.0, "delete", &input, &errors)),
    }
}

async fn restore(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId<CommentId>,
    Form(input): Form<NoteForm>,
) -> Result<Response, WebError> {
    match form_result(state.app.restore_comment(&current.user, id.0, &input.note()).await)? {
        Ok(post_id) => {
            let href = comment_href(&state, post_id, id.0).await?;
            Ok(page.redirect_with(&Msg::new("flash-comment-restored"), &href).await)
        }
        Err(errors) => Ok(refused_note(&page, &current, id.0, "restore", &input, &errors)),
    }
}

/// A removal or restore whose reason was refused: its form again, the text kept.
fn refused_note(
    page: &Page,
    current: &CurrentUser,
    id: CommentId,
    verb: &str,
    input: &NoteForm,
    errors: &FieldErrors,
) -> Response {
    let heading = if verb == "delete" { "action-delete" } else { "action-restore" };
    let form = (format!("/comments/{id}/{verb}"), heading, format!("/comments/{id}"));
    note_page(page, form, input, errors, current.user.role == crate::domain::Role::Admin)
}

async fn vote(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    client: ClientAddress,
    id: PathId<CommentId>,
) -> Result<Response, WebError> {
    let (post_id, cast) = state.app.vote_comment_from(&current.user, Some(&client.key().to_string()), id.0).await?;
    Ok(page.redirect_with(&messages::vote(cast), &comment_href(&state, post_id, id.0).await?).await)
}
