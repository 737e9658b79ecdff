//! Admin pages: users (block, unblock) and the board/category tree.

use super::accounts::role_name;
use super::error::WebError;
use super::forms::{FormView, Input, category_options};
use super::i18n::Msg;
use super::messages;
use super::page::{Layout, Page, form_result, profile_href, render, unprocessable};
use super::viewer::CurrentUser;
use super::{AppState, format};
use crate::app::boards::{Board, boards, category_choices};
use crate::app::modlog::ModNote;
use crate::app::pages::UsersPage as UserRows;
use crate::domain::category::ParentError;
use crate::domain::modlog::{BlockLength, block_holds};
use crate::domain::policy::{AdminWork, can_administer};
use crate::domain::{AccountState, Field, FieldError, FieldErrors, Role, Timestamp};
use crate::domain::{CategoryId, UserId};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
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
    Ok(can_administer(current.user.role, AdminWork::Pages)?)
}

pub struct UserLine {
    pub id: UserId,
    pub name: String,
    pub href: String,
    pub role: String,
    pub is_admin: bool,
    pub blocked: bool,
    /// When a timed block ends (or ended).
    pub block_until: Option<String>,
    /// A timed block past its end: lifted by itself.
    pub block_ended: bool,
    pub joined: String,
    pub posts: i64,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<UserLine>,
    older: Option<UserId>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    before: Option<UserId>,
}

async fn users_page(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    require_admin(&current)?;
    let UserRows { users, older } = state.app.users_page(query.before).await?;
    let mut lines = Vec::with_capacity(users.len());
    for row in users {
        let Some(name) = row.name else { continue };
        // A timed block is shown with its end, and as ended once that has passed.
        let until = match row.state {
            AccountState::Blocked => state.app.block_end(row.user_id).await?,
            AccountState::Active => None,
        };
        let ended = !block_holds(until, Timestamp::now());
        lines.push(UserLine {
            id: row.user_id,
            href: profile_href(&name),
            name,
            role: role_name(page.lang(), row.role),
            is_admin: row.role == Role::Admin,
            blocked: row.state == AccountState::Blocked && !ended,
            block_until: until.map(|until| format::date_time(page.reader(), until)),
            block_ended: row.state == AccountState::Blocked && ended,
            joined: format::date(page.reader(), row.joined),
            posts: row.post_count,
        });
    }
    let users = lines;
    Ok(render(&UsersPage { layout: page.layout(&page.t("admin-users-title")), users, older }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BlockForm {
    reason: String,
    /// 1, 7 or 30 days, or "forever"; an `until` typed in wins over it.
    length: String,
    /// A date and time in the admin's zone (`datetime-local`).
    until: String,
    private: String,
}

impl BlockForm {
    /// When the block ends: the typed time, else the chosen length from now.
    fn until(&self, page: &Page) -> Result<Option<Timestamp>, FieldErrors> {
        let invalid = || FieldErrors::single(Field::Until, FieldError::UntilInvalid);
        if !self.until.trim().is_empty() {
            return page.reader().zone.parse_local(&self.until).map(Some).ok_or_else(invalid);
        }
        BlockLength::parse(&self.length).map(|length| length.until(Timestamp::now())).ok_or_else(invalid)
    }

    fn note(&self) -> ModNote<'_> {
        ModNote { reason: &self.reason, private: !self.private.is_empty() }
    }
}

async fn block(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Path(id): Path<UserId>,
    Form(input): Form<BlockForm>,
) -> Result<Response, WebError> {
    let result = match input.until(&page) {
        Ok(until) => form_result(state.app.block_user(&current.user, id, &input.note(), until).await)?,
        Err(errors) => Err(errors),
    };
    match result {
        Ok(()) => Ok(page.redirect_with(&Msg::new("flash-user-blocked"), "/admin/users").await),
        Err(errors) => {
            let lang = page.lang();
            let message =
                errors.iter().next().map(|(_, error)| lang.msg(&messages::field_error(error))).unwrap_or_default();
            Ok(page.redirect_with(&Msg::new("flash-not-blocked").with("reason", message), "/admin/users").await)
        }
    }
}

async fn unblock(
    State(state): State<AppState>,
    page: Page,
    current: CurrentUser,
    Path(id): Path<UserId>,
    Form(input): Form<BlockForm>,
) -> Result<Response, WebError> {
    state.app.unblock_user(&current.user, id, &input.note()).await?;
    Ok(page.redirect_with(&Msg::new("flash-user-unblocked"), "/admin/users").await)
}

#[derive(Template)]
#[template(path = "admin_categories.html")]
struct CategoriesPage {
    layout: Layout,
    boards: Vec<Board>,
    add_form: FormView,
    /// The board choices for a new category: (id, name, selected).
    parents: Vec<(CategoryId, String, bool)>,
    rename_errors: Option<(CategoryId, String)>,
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
    rename_errors: Option<(CategoryId, String)>,
) -> Result<CategoriesPage, WebError> {
    let tree = state.app.category_tree().await?;
    let parents = category_options(category_choices(&tree).into_iter().filter(|c| c.is_board), |id| {
        input.parent == id.to_string()
    });
    let lang = page.lang();
    Ok(CategoriesPage {
        layout: page.layout(&lang.t("admin-categories-title")),
        boards: boards(&tree),
        add_form: FormView::new(
            "/admin/categories",
            lang.t("admin-add-submit"),
            vec![Input::new("name", lang.t("field-name"), "text").value(&input.name)],
        )
        .with_errors(errors, lang),
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
            Ok(id) => Some(CategoryId(id)),
            Err(_) => {
                let errors = FieldErrors::single(Field::Parent, ParentError::NotAChoice);
                return Ok(unprocessable(&errors, &categories_view(&state, &page, &input, &errors, None).await?));
            }
        },
    };
    match form_result(state.app.add_category(&current.user, &input.name, parent).await)? {
        Ok(_) => {
            let key = if parent.is_some() { "flash-category-added" } else { "flash-board-added" };
            let message = Msg::new(key).with("name", input.name.trim());
            Ok(page.redirect_with(&message, "/admin/categories").await)
        }
        Err(errors) => Ok(unprocessable(&errors, &categories_view(&state, &page, &input, &errors, None).await?)),
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
    Path(id): Path<CategoryId>,
    Form(input): Form<RenameForm>,
) -> Result<Response, WebError> {
    require_admin(&current)?;
    match form_result(state.app.rename_category(&current.user, id, &input.name).await)? {
        Ok(()) => {
            let message = Msg::new("flash-renamed").with("name", input.name.trim());
            Ok(page.redirect_with(&message, "/admin/categories").await)
        }
        Err(errors) => {
            let message = errors.get(Field::Name).map_or_else(messages::rename_refused, messages::field_error);
            let message = page.lang().msg(&message);
            let view =
                categories_view(&state, &page, &CategoryForm::default(), &FieldErrors::new(), Some((id, message)))
                    .await?;
            Ok(unprocessable(&errors, &view))
        }
    }
}
