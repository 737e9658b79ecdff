//! The admin's page of board moderators: who moderates which board; add and remove.

use super::AppState;
use super::error::WebError;
use super::forms::{FormView, Input, SummaryItem, category_options};
use super::i18n::Msg;
use super::messages;
use super::page::{Layout, Page, form_result, profile_href, render, unprocessable};
use super::viewer::CurrentUser;
use crate::app::boards::category_choices;
use crate::domain::policy::{AdminWork, can_administer};
use crate::domain::{CategoryId, Field, FieldErrors, UserId};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/moderators", get(moderators_page).post(add_moderator))
        .route("/admin/moderators/{user}/{board}/remove", post(remove_moderator))
}

/// One board moderator as the page lists them.
pub struct ModeratorLine {
    pub user_id: UserId,
    pub name: String,
    pub href: String,
    pub board_id: CategoryId,
    pub board: String,
}

#[derive(Template)]
#[template(path = "admin_moderators.html")]
struct ModeratorsPage {
    layout: Layout,
    moderators: Vec<ModeratorLine>,
    add_form: FormView,
    /// The board choices: (id, name, selected).
    boards: Vec<(CategoryId, String, bool)>,
    board_error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ModeratorForm {
    name: String,
    category: String,
}

async fn moderators_view(
    state: &AppState,
    page: &Page,
    current: &CurrentUser,
    input: &ModeratorForm,
    errors: &FieldErrors,
) -> Result<ModeratorsPage, WebError> {
    let rows = state.app.board_moderators(current.actor()).await?;
    let tree = state.app.category_tree().await?;
    let boards = category_options(category_choices(&tree).into_iter().filter(|c| c.is_board), |id| {
        input.category == id.to_string()
    });
    let lang = page.lang();
    let moderators = rows
        .into_iter()
        .filter_map(|row| {
            let name = row.user_name?;
            Some(ModeratorLine {
                user_id: row.user_id,
                href: profile_href(&name),
                name,
                board_id: row.board_id,
                board: row.board_name,
            })
        })
        .collect();
    let mut add_form = FormView::new(
        "/admin/moderators",
        lang.t("admin-moderators-add-submit"),
        vec![Input::new("name", lang.t("admin-moderators-user"), "text").value(&input.name)],
    )
    .with_errors(errors, lang);
    // The board is a select this page draws itself, so its line of the summary is put right
    // here: linked to the select, in words about moderating (not the posting form's).
    let board_error = errors.get(Field::Category).map(|_| lang.t("admin-moderators-board-missing").into_owned());
    if let Some(message) = &board_error {
        let generic = errors.get(Field::Category).map(|error| lang.msg(&messages::field_error(error)));
        add_form.summary.retain(|item| !(item.target.is_empty() && Some(&item.message) == generic.as_ref()));
        add_form.summary.push(SummaryItem { target: "category".to_owned(), message: message.clone() });
    }
    Ok(ModeratorsPage {
        layout: page.layout(&lang.t("admin-moderators-title")),
        moderators,
        add_form,
        boards,
        board_error,
    })
}

/// The admin pages are for admins; the commands check again on their own.
fn require_admin(current: &CurrentUser) -> Result<(), WebError> {
    Ok(can_administer(current.user.role, AdminWork::Pages)?)
}

async fn moderators_page(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
) -> Result<Response, WebError> {
    require_admin(&current)?;
    Ok(render(&moderators_view(&state, &page, &current, &ModeratorForm::default(), &FieldErrors::new()).await?))
}

async fn add_moderator(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Form(input): Form<ModeratorForm>,
) -> Result<Response, WebError> {
    require_admin(&current)?;
    let board = input.category.trim().parse::<i64>().ok().map(CategoryId);
    match form_result(state.app.add_board_moderator(&current.user, &input.name, board).await)? {
        Ok(()) => {
            let message = Msg::new("flash-moderator-added").with("name", input.name.trim());
            Ok(page.redirect_with(&message, "/admin/moderators").await)
        }
        Err(errors) => Ok(unprocessable(&errors, &moderators_view(&state, &page, &current, &input, &errors).await?)),
    }
}

async fn remove_moderator(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Path((user, board)): Path<(UserId, CategoryId)>,
) -> Result<Response, WebError> {
    state.app.remove_board_moderator(&current.user, user, board).await?;
    Ok(page.redirect_with(&Msg::new("flash-moderator-removed"), "/admin/moderators").await)
}
