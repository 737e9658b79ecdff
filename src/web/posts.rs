//! Posts: write, edit, delete, restore, vote. (Their page is [`super::post_page`].)

use super::error::WebError;
use super::forms::{FormView, Input, SummaryItem, category_options, new_form_key};
use super::i18n::{Lang, Msg};
use super::ids::{PathId, parse_id};
use super::messages;
use super::modlog_forms::{NoteForm, note_page};
use super::page::{Layout, Page, form_result, render, unprocessable};
use super::viewer::CurrentUser;
use super::{AppState, ClientAddress};
use crate::domain::CategoryId;
use crate::domain::PostId;
use crate::domain::guards::FormKey;
use crate::domain::{Field, FieldError, FieldErrors, Role};
use crate::ports::StoreError;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/posts", post(create))
        .route("/posts/new", get(new_page))
        .route("/posts/{id}/edit", get(edit_page).post(edit))
        .route("/posts/{id}/delete", post(delete))
        .route("/posts/{id}/restore", post(restore))
        .route("/posts/{id}/vote", post(vote))
}

#[derive(Template)]
#[template(path = "post_form.html")]
struct PostFormPage {
    layout: Layout,
    heading: String,
    action: String,
    /// The title and the text.
    fields: Vec<Input>,
    /// Category choices (id, label, selected); empty when editing.
    categories: Vec<(CategoryId, String, bool)>,
    category_error: Option<String>,
    summary: Vec<SummaryItem>,
    submit: String,
    cancel_href: String,
    /// The new post form's one-time key (empty when editing).
    form_key: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PostForm {
    title: String,
    content: String,
    category: String,
    form_key: String,
}

fn post_fields(lang: Lang, input: &PostForm, errors: &FieldErrors) -> (Vec<Input>, Vec<SummaryItem>) {
    let form = FormView::new(
        "",
        "",
        vec![
            Input::new("title", lang.t("field-title"), "text").value(&input.title),
            Input::new("content", lang.t("field-text"), "textarea")
                .value(&input.content)
                .hint(lang.msg(&Msg::new("post-content-hint").num("max", crate::domain::content::POST_MAX_CHARS))),
        ],
    )
    .with_errors(errors, lang);
    (form.fields, form.summary)
}

async fn new_post_view(
    state: &AppState,
    page: &Page,
    input: &PostForm,
    errors: &FieldErrors,
) -> Result<PostFormPage, WebError> {
    let selected = parse_id(&input.category);
    let lang = page.lang();
    // A form refused because the database is out does not wait for it a second time.
    let database_out = errors.get(Field::Form) == Some(&FieldError::NotSavedNow);
    let choices = if database_out {
        Err(StoreError::Unavailable(anyhow::anyhow!("the database refused the post")))
    } else {
        state.app.category_choices().await
    };
    let categories = match choices {
        Ok(choices) => category_options(choices, |id| selected == Some(id)),
        // The database is out and the tree was not cached: the form still comes back with the
        // text, and with the board that was chosen.
        Err(StoreError::Unavailable(_)) => {
            selected.map(|id| vec![(id, lang.t("form-chosen-category").into_owned(), true)]).unwrap_or_default()
        }
        Err(other) => return Err(other.into()),
    };
    let (fields, summary) = post_fields(lang, input, errors);
    Ok(PostFormPage {
        layout: page.layout(&lang.t("new-post-title")),
        heading: page.t("new-post-heading"),
        action: "/posts".into(),
        fields,
        categories,
        category_error: errors.get(Field::Category).map(|error| lang.msg(&messages::field_error(error))),
        summary,
        submit: page.t("new-post-submit"),
        cancel_href: selected.map_or("/".to_string(), |id| format!("/categories/{id}")),
        // A form shown again keeps its key: nothing was created with it yet.
        form_key: if input.form_key.is_empty() { new_form_key() } else { input.form_key.clone() },
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
    client: ClientAddress,
    Form(input): Form<PostForm>,
) -> Result<Response, WebError> {
    let category = parse_id(&input.category);
    let key = FormKey::parse(&input.form_key);
    let text = (input.title.as_str(), input.content.as_str());
    let address = client.key().to_string();
    match form_result(state.app.create_post_once(&current.user, Some(&address), category, text, key.as_ref()).await)? {
        Ok(id) => Ok(page.redirect_with(&Msg::new("flash-post-published"), &format!("/posts/{id}")).await),
        Err(errors) => Ok(unprocessable(&errors, &new_post_view(&state, &page, &input, &errors).await?)),
    }
}

fn edit_view(page: &Page, id: PostId, input: &PostForm, errors: &FieldErrors) -> PostFormPage {
    let lang = page.lang();
    let (fields, summary) = post_fields(lang, input, errors);
    PostFormPage {
        layout: page.layout(&lang.t("edit-post-title")),
        heading: page.t("edit-post-heading"),
        action: format!("/posts/{id}/edit"),
        fields,
        categories: Vec::new(),
        category_error: None,
        summary,
        submit: page.t("save-new-version"),
        cancel_href: format!("/posts/{id}"),
        form_key: String::new(),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId<PostId>,
) -> Result<Response, WebError> {
    let draft = state.app.post_to_edit(current.actor(), id.0).await?;
    let input = PostForm { title: draft.title, content: draft.content, ..PostForm::default() };
    Ok(render(&edit_view(&page, id.0, &input, &FieldErrors::new())))
}

async fn edit(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    client: ClientAddress,
    id: PathId<PostId>,
    Form(input): Form<PostForm>,
) -> Result<Response, WebError> {
    let address = client.key().to_string();
    let text = (input.title.as_str(), input.content.as_str());
    match form_result(state.app.edit_post_from(&current.user, Some(&address), id.0, text).await)? {
        Ok(()) => Ok(page.redirect_with(&Msg::new("flash-post-updated"), &format!("/posts/{}", id.0)).await),
        Err(errors) => Ok(unprocessable(&errors, &edit_view(&page, id.0, &input, &errors))),
    }
}

async fn delete(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId<PostId>,
    Form(input): Form<NoteForm>,
) -> Result<Response, WebError> {
    let still_seen = match form_result(state.app.delete_post(&current.user, id.0, &input.note()).await)? {
        Ok(still_seen) => still_seen,
        Err(errors) => {
            let form = (format!("/posts/{}/delete", id.0), "post-delete", format!("/posts/{}", id.0));
            return Ok(note_page(&page, form, &input, &errors, current.user.role == Role::Admin));
        }
    };
    // A moderator can still see the post (to restore it); its author goes back to the front page.
    let target = if still_seen { format!("/posts/{}", id.0) } else { "/".to_string() };
    Ok(page.redirect_with(&Msg::new("flash-post-deleted"), &target).await)
}

async fn restore(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    id: PathId<PostId>,
    Form(input): Form<NoteForm>,
) -> Result<Response, WebError> {
    if let Err(errors) = form_result(state.app.restore_post(&current.user, id.0, &input.note()).await)? {
        let form = (format!("/posts/{}/restore", id.0), "post-restore", format!("/posts/{}", id.0));
        return Ok(note_page(&page, form, &input, &errors, current.user.role == Role::Admin));
    }
    Ok(page.redirect_with(&Msg::new("flash-post-restored"), &format!("/posts/{}", id.0)).await)
}

async fn vote(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    client: ClientAddress,
    id: PathId<PostId>,
) -> Result<Response, WebError> {
    let cast = state.app.vote_post_from(&current.user, Some(&client.key().to_string()), id.0).await?;
    Ok(page.redirect_with(&messages::vote(cast), &format!("/posts/{}#votes", id.0)).await)
}
