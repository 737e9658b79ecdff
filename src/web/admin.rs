//! Admin pages: users (block, unblock) and the board/category tree.

use super::error::WebError;
use super::forms::{Field, FormView};
use super::home::{Board, boards};
use super::page::{Layout, Page, flash, profile_href, render, render_with};
use super::viewer::CurrentUser;
use super::{AppState, format};
use crate::app::CommandError;
use crate::domain::policy::can_administer;
use crate::domain::{AccountState, FieldErrors};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users_page))
        .route("/admin/users/{id}/block", post(block))
        .route("/admin/users/{id}/unblock", post(unblock))
        .route("/admin/categories", get(categories_page).post(add_category))
        .route("/admin/categories/{id}/rename", post(rename_category))
}

/// The admin pages are for admins; the commands check again on their own.
fn require_admin(current: &CurrentUser) -> Result<(), WebError> {
    if can_administer(current.user.role) {
        Ok(())
    } else {
        Err(WebError::Forbidden("This page is for the forum's admins."))
    }
}

const USERS_PER_PAGE: i64 = 50;

pub struct UserLine {
    pub id: i64,
    pub name: String,
    pub href: String,
    pub role: &'static str,
    pub blocked: bool,
    pub joined: String,
    pub posts: i64,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<UserLine>,
    older: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    before: Option<i64>,
}

async fn users_page(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    require_admin(&current)?;
    let rows = state.app.reads.users_page(query.before, USERS_PER_PAGE).await?;
    let older = (rows.len() as i64 == USERS_PER_PAGE).then(|| rows.last().map(|r| r.user_id)).flatten();
    let users = rows
        .into_iter()
        .filter_map(|row| {
            let name = row.name?;
            Some(UserLine {
                id: row.user_id,
                href: profile_href(&name),
                name,
                role: row.role.name(),
                blocked: row.state == AccountState::Blocked,
                joined: format::date(row.joined),
                posts: row.post_count,
            })
        })
        .collect();
    Ok(render(&UsersPage { layout: page.layout("Users · Admin"), users, older }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BlockForm {
    reason: String,
}

async fn block(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Path(id): Path<i64>,
    Form(input): Form<BlockForm>,
) -> Response {
    match state.app.block_user(&current.user, id, &input.reason).await {
        Ok(()) => {
            flash(&page.session, "The user is blocked and logged out everywhere.").await;
            Redirect::to("/admin/users").into_response()
        }
        Err(CommandError::Invalid(errors)) => {
            let message = errors.iter().next().map(|(_, m)| m.to_string()).unwrap_or_default();
            flash(&page.session, format!("Not blocked: {message}")).await;
            Redirect::to("/admin/users").into_response()
        }
        Err(other) => WebError::from(other).into_response(),
    }
}

async fn unblock(State(state): State<AppState>, page: Page, current: CurrentUser, Path(id): Path<i64>) -> Response {
    match state.app.unblock_user(&current.user, id).await {
        Ok(()) => {
            flash(&page.session, "The user is unblocked.").await;
            Redirect::to("/admin/users").into_response()
        }
        Err(other) => WebError::from(other).into_response(),
    }
}

#[derive(Template)]
#[template(path = "admin_categories.html")]
struct CategoriesPage {
    layout: Layout,
    boards: Vec<Board>,
    add_form: FormView,
    /// The board choices for a new category: (id, name, selected).
    parents: Vec<(i64, String, bool)>,
    rename_errors: Option<(i64, String)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CategoryForm {
    name: String,
    parent: String,
}

async fn categories_view(
    state: &AppState,
    page: &Page,
    input: &CategoryForm,
    errors: &FieldErrors,
    rename_errors: Option<(i64, String)>,
) -> Result<CategoriesPage, WebError> {
    let boards = boards(state.app.category_tree().await?);
    let parents =
        boards.iter().map(|b| (b.board.id, b.board.name.clone(), input.parent == b.board.id.to_string())).collect();
    Ok(CategoriesPage {
        layout: page.layout("Boards and categories · Admin"),
        boards,
        add_form: FormView::new(
            "/admin/categories",
            "Add",
            vec![Field::new("name", "Name", "text").value(&input.name)],
        )
        .with_errors(errors),
        parents,
        rename_errors,
    })
}

async fn categories_page(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
) -> Result<Response, WebError> {
    require_admin(&current)?;
    let view = categories_view(&state, &page, &CategoryForm::default(), &FieldErrors::new(), None).await?;
    Ok(render(&view))
}

async fn add_category(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Form(input): Form<CategoryForm>,
) -> Result<Response, WebError> {
    require_admin(&current)?;
    let parent = match input.parent.trim() {
        "" => None,
        id => match id.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                let errors = FieldErrors::single("parent", "Choose a board from the list.");
                let view = categories_view(&state, &page, &input, &errors, None).await?;
                return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &view));
            }
        },
    };
    match state.app.add_category(&current.user, &input.name, parent).await {
        Ok(_) => {
            let what = if parent.is_some() { "category" } else { "board" };
            flash(&page.session, format!("The {what} “{}” is added.", input.name.trim())).await;
            Ok(Redirect::to("/admin/categories").into_response())
        }
        Err(CommandError::Invalid(errors)) => {
            let view = categories_view(&state, &page, &input, &errors, None).await?;
            Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &view))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RenameForm {
    name: String,
}

async fn rename_category(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Path(id): Path<i64>,
    Form(input): Form<RenameForm>,
) -> Result<Response, WebError> {
    require_admin(&current)?;
    match state.app.rename_category(&current.user, id, &input.name).await {
        Ok(()) => {
            flash(&page.session, format!("Renamed to “{}”.", input.name.trim())).await;
            Ok(Redirect::to("/admin/categories").into_response())
        }
        Err(CommandError::Invalid(errors)) => {
            let message = errors.get("name").unwrap_or("That name cannot be used.").to_string();
            let view =
                categories_view(&state, &page, &CategoryForm::default(), &FieldErrors::new(), Some((id, message)))
                    .await?;
            Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &view))
        }
        Err(other) => Err(other.into()),
    }
}
