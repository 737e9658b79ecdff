//! Posts: write, read, edit, delete, restore, vote; and adding comments to them.

use super::error::WebError;
use super::forms::{Field, FormView};
use super::home::boards;
use super::ids::{PathId, parse_id};
use super::page::{Layout, Page, flash, profile_href, render, render_with};
use super::viewer::{CurrentUser, Viewer};
use super::{AppState, format};
use crate::app::CommandError;
use crate::app::content_queries::PostPage;
use crate::domain::FieldErrors;
use crate::domain::policy::{Actor, can_delete_comment, can_delete_post, can_edit, can_restore, can_vote};
use crate::ports::CommentView;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/posts", post(create))
        .route("/posts/new", get(new_page))
        .route("/posts/{id}", get(show))
        .route("/posts/{id}/edit", get(edit_page).post(edit))
        .route("/posts/{id}/delete", post(delete))
        .route("/posts/{id}/restore", post(restore))
        .route("/posts/{id}/vote", post(vote))
        .route("/posts/{id}/comments", post(add_comment))
}

#[derive(Template)]
#[template(path = "post_form.html")]
struct PostFormPage {
    layout: Layout,
    heading: &'static str,
    action: String,
    /// The title and the text.
    fields: Vec<Field>,
    /// Category choices (id, label, selected); empty when editing.
    categories: Vec<(i64, String, bool)>,
    category_error: Option<String>,
    summary: Vec<super::forms::SummaryItem>,
    submit: &'static str,
    cancel_href: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PostForm {
    title: String,
    content: String,
    category: String,
}

const CONTENT_HINT: &str =
    "Markdown: **bold**, *italic*, `code`, [links](https://example.com), lists. Up to 20,000 characters.";

fn post_fields(input: &PostForm, errors: &FieldErrors) -> (Vec<Field>, Vec<super::forms::SummaryItem>) {
    let form = FormView::new(
        "",
        "",
        vec![
            Field::new("title", "Title", "text").value(&input.title),
            Field::new("content", "Text", "textarea").value(&input.content).hint(CONTENT_HINT),
        ],
    )
    .with_errors(errors);
    (form.fields, form.summary)
}

async fn new_post_view(
    state: &AppState,
    page: &Page,
    input: &PostForm,
    errors: &FieldErrors,
) -> Result<PostFormPage, WebError> {
    let selected = parse_id(&input.category);
    let mut categories = Vec::new();
    for board in boards(state.app.category_tree().await?) {
        categories.push((board.board.id, board.board.name.clone(), selected == Some(board.board.id)));
        for c in board.categories {
            categories.push((c.id, format!("{} › {}", board.board.name, c.name), selected == Some(c.id)));
        }
    }
    let (fields, summary) = post_fields(input, errors);
    Ok(PostFormPage {
        layout: page.layout("New post"),
        heading: "Write a post",
        action: "/posts".into(),
        fields,
        categories,
        category_error: errors.get("category").map(str::to_string),
        summary,
        submit: "Publish",
        cancel_href: selected.map_or("/".to_string(), |id| format!("/categories/{id}")),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewQuery {
    category: String,
}

async fn new_page(
    State(state): State<AppState>,
    page: Page,
    _user: CurrentUser,
    Query(query): Query<NewQuery>,
) -> Result<Response, WebError> {
    let input = PostForm { category: query.category, ..PostForm::default() };
    Ok(render(&new_post_view(&state, &page, &input, &FieldErrors::new()).await?))
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Form(input): Form<PostForm>,
) -> Result<Response, WebError> {
    let category = parse_id(&input.category);
    match state.app.create_post(&current.user, category, &input.title, &input.content).await {
        Ok(id) => {
            flash(&page.session, "Your post is published.").await;
            Ok(Redirect::to(&format!("/posts/{id}")).into_response())
        }
        Err(CommandError::Invalid(errors)) => {
            let view = new_post_view(&state, &page, &input, &errors).await?;
            Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &view))
        }
        Err(other) => Err(other.into()),
    }
}

/// What the viewer may do with a post or comment: decided by the domain's rules.
struct Allowed {
    edit: bool,
    delete: bool,
    restore: bool,
    vote: bool,
}

fn allowed(viewer: Option<Actor>, author_id: i64, active: bool, active_comments: Option<i64>) -> Allowed {
    let Some(actor) = viewer else {
        return Allowed { edit: false, delete: false, restore: false, vote: false };
    };
    let delete = match active_comments {
        Some(count) => can_delete_post(actor, author_id, count).is_ok(),
        None => can_delete_comment(actor, author_id).is_ok(),
    };
    Allowed {
        edit: active && can_edit(actor, author_id).is_ok(),
        delete: active && delete,
        restore: !active && can_restore(actor).is_ok(),
        vote: active && can_vote(actor, author_id).is_ok(),
    }
}

/// A comment as the post page shows it.
pub struct CommentLine {
    pub id: i64,
    pub author: Option<(String, String)>,
    pub created: String,
    pub created_iso: String,
    pub edited: bool,
    pub body_html: String,
    pub votes: i64,
    pub voted: bool,
    pub active: bool,
    pub can_edit: bool,
    pub can_delete: bool,
    pub can_restore: bool,
    pub can_vote: bool,
}

#[derive(Template)]
#[template(path = "post.html")]
struct PostPageView {
    layout: Layout,
    id: i64,
    title: String,
    board: Option<(i64, String)>,
    category: Option<(i64, String)>,
    author: Option<(String, String)>,
    created: String,
    created_iso: String,
    edited: Option<String>,
    body_html: String,
    active: bool,
    votes: i64,
    voted: bool,
    comment_count: i64,
    can_edit: bool,
    can_delete: bool,
    can_restore: bool,
    can_vote: bool,
    logged_in: bool,
    comments: Vec<CommentLine>,
    page: i64,
    has_next_page: bool,
    comment_form: FormView,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    page: Option<String>,
}

/// The post page, or 404 when the post does not exist or is deleted and the viewer may
/// not restore it.
async fn post_view(
    state: &AppState,
    page: &Page,
    viewer: &Viewer,
    id: i64,
    comments_page: i64,
    comment_input: &str,
    comment_errors: &FieldErrors,
) -> Result<PostPageView, WebError> {
    let PostPage { post, comments, page: comments_page, has_next_page } =
        state.app.post_page(id, comments_page).await?.ok_or(WebError::NotFound)?;
    let actor = viewer.actor();
    if !post.is_active && actor.is_none_or(|a| can_restore(a).is_err()) {
        return Err(WebError::NotFound);
    }
    let (voted, voted_comments) = match &viewer.0 {
        Some(current) => {
            let ids: Vec<i64> = comments.iter().map(|c| c.comment_id).collect();
            state.app.reads.votes_of(current.user.user_id, id, &ids).await?
        }
        None => (false, Vec::new()),
    };
    let tree = state.app.category_tree().await?;
    let name_of = |id: i64| tree.iter().find(|c| c.id == id).map(|c| (c.id, c.name.clone()));
    let board = name_of(post.board_id);
    let category = (post.category_id != post.board_id).then(|| name_of(post.category_id)).flatten();
    let rights = allowed(actor, post.user_id, post.is_active, Some(post.comment_count));
    let comments = comments.into_iter().map(|c| comment_line(c, actor, &voted_comments)).collect();
    let comment_form = FormView::new(
        format!("/posts/{id}/comments"),
        "Add comment",
        vec![Field::new("content", "Your comment", "textarea").value(comment_input).hint("Markdown works here too.")],
    )
    .with_errors(comment_errors);
    Ok(PostPageView {
        layout: page.layout(&post.title),
        id,
        author: post.author_name.map(|name| (profile_href(&name), name)),
        created: format::date_time(post.created),
        created_iso: format::iso(post.created),
        edited: (post.version > 0).then(|| format::date_time(post.edited)),
        body_html: post.body_html,
        active: post.is_active,
        votes: post.vote_count,
        voted,
        comment_count: post.comment_count,
        can_edit: rights.edit,
        can_delete: rights.delete,
        can_restore: rights.restore,
        can_vote: rights.vote,
        logged_in: viewer.0.is_some(),
        comments,
        page: comments_page,
        has_next_page,
        comment_form,
        board,
        category,
        title: post.title,
    })
}

fn comment_line(comment: CommentView, actor: Option<Actor>, voted: &[i64]) -> CommentLine {
    let rights = allowed(actor, comment.user_id, comment.is_active, None);
    let moderator = actor.is_some_and(|a| a.role.moderates());
    CommentLine {
        id: comment.comment_id,
        author: comment.author_name.map(|name| (profile_href(&name), name)),
        created: format::date_time(comment.created),
        created_iso: format::iso(comment.created),
        edited: comment.version > 0,
        // A removed comment's text is shown only to those who may bring it back.
        body_html: if comment.is_active || moderator { comment.body_html } else { String::new() },
        votes: comment.vote_count,
        voted: voted.contains(&comment.comment_id),
        active: comment.is_active,
        can_edit: rights.edit,
        can_delete: rights.delete,
        can_restore: rights.restore,
        can_vote: rights.vote,
    }
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    id: PathId,
    Query(query): Query<ShowQuery>,
) -> Result<Response, WebError> {
    let comments_page = query.page.as_deref().and_then(parse_id).unwrap_or(1);
    Ok(render(&post_view(&state, &page, &viewer, id.0, comments_page, "", &FieldErrors::new()).await?))
}

fn edit_view(page: &Page, id: i64, input: &PostForm, errors: &FieldErrors) -> PostFormPage {
    let (fields, summary) = post_fields(input, errors);
    PostFormPage {
        layout: page.layout("Edit post"),
        heading: "Edit your post",
        action: format!("/posts/{id}/edit"),
        fields,
        categories: Vec::new(),
        category_error: None,
        summary,
        submit: "Save a new version",
        cancel_href: format!("/posts/{id}"),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId,
) -> Result<Response, WebError> {
    let post = state.app.reads.post_view(id.0).await?.filter(|p| p.is_active).ok_or(WebError::NotFound)?;
    can_edit(current.actor(), post.user_id).map_err(WebError::Forbidden)?;
    let latest = state.app.post_history(id.0).await?.pop().ok_or(WebError::NotFound)?;
    let input = PostForm { title: latest.title, content: latest.content, category: String::new() };
    Ok(render(&edit_view(&page, id.0, &input, &FieldErrors::new())))
}

async fn edit(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId,
    Form(input): Form<PostForm>,
) -> Result<Response, WebError> {
    match state.app.edit_post(&current.user, id.0, &input.title, &input.content).await {
        Ok(()) => {
            flash(&page.session, "Your post is updated.").await;
            Ok(Redirect::to(&format!("/posts/{}", id.0)).into_response())
        }
        Err(CommandError::Invalid(errors)) => {
            Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &edit_view(&page, id.0, &input, &errors)))
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
    state.app.delete_post(&current.user, id.0).await?;
    flash(&page.session, "The post is deleted.").await;
    // A moderator can still see the post (to restore it); its author goes back to the front page.
    let target = if current.user.role.moderates() { format!("/posts/{}", id.0) } else { "/".to_string() };
    Ok(Redirect::to(&target).into_response())
}

async fn restore(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId,
) -> Result<Response, WebError> {
    state.app.restore_post(&current.user, id.0).await?;
    flash(&page.session, "The post is restored.").await;
    Ok(Redirect::to(&format!("/posts/{}", id.0)).into_response())
}

async fn vote(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId,
) -> Result<Response, WebError> {
    let cast = state.app.vote_post(&current.user, id.0).await?;
    flash(&page.session, if cast { "Your vote is counted." } else { "Your vote is taken back." }).await;
    Ok(Redirect::to(&format!("/posts/{}#votes", id.0)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CommentForm {
    content: String,
}

async fn add_comment(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    current: CurrentUser,
    id: PathId,
    Form(input): Form<CommentForm>,
) -> Result<Response, WebError> {
    match state.app.add_comment(&current.user, id.0, &input.content).await {
        Ok(comment_id) => {
            let at = state.app.comment_page(id.0, comment_id).await?;
            flash(&page.session, "Your comment is added.").await;
            Ok(Redirect::to(&format!("/posts/{}?page={at}#comment-{comment_id}", id.0)).into_response())
        }
        Err(CommandError::Invalid(errors)) => {
            // Back to the last page of comments, where the new one would go, with the text kept.
            let last_page = state.app.comment_page(id.0, i64::MAX).await?;
            let view = post_view(&state, &page, &viewer, id.0, last_page, &input.content, &errors).await?;
            Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &view))
        }
        Err(other) => Err(other.into()),
    }
}
