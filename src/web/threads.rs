//! Moderators' tools on a post's page: lock, pin and move the thread, each a small POST form
//! with a required reason. The page asks the policy only to decide whether to show them; the
//! command decides.

use super::error::WebError;
use super::i18n::{Lang, Msg};
use super::ids::{PathId, parse_id};
use super::page::{Page, form_result, unprocessable};
use super::post_page::{CommentForm, Shown, post_view, viewed_post};
use super::viewer::{CurrentUser, Viewer};
use super::{AppState, messages};
use crate::app::pages::ViewedPost;
use crate::domain::{CategoryId, Field, FieldErrors, PostId};
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/posts/{id}/lock", post(lock))
        .route("/posts/{id}/unlock", post(unlock))
        .route("/posts/{id}/pin", post(pin))
        .route("/posts/{id}/unpin", post(unpin))
        .route("/posts/{id}/move", post(move_post))
}

/// Which of the tools a form is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Lock,
    Pin,
    Move,
}

/// One tool's form: where it posts, its button, the reason typed and its error.
pub struct ToolForm {
    /// Names its inputs' ids apart from the other tools' (`lock-reason`, …).
    pub id: &'static str,
    pub action: String,
    pub legend: String,
    pub submit: String,
    /// The reason field's label, naming the tool: each field can be told apart by its label.
    pub reason_label: String,
    pub reason: String,
    pub error: Option<String>,
    /// The form's errors as its error summary lists them: (the field's id, the message).
    pub summary: Vec<(String, String)>,
}

/// The tools as the post page shows them to a moderator of its board.
pub struct ThreadTools {
    pub forms: Vec<ToolForm>,
    /// Where the post can be moved (the boards this moderator moderates): (id, label, selected).
    pub destinations: Vec<(CategoryId, String, bool)>,
    pub category_error: Option<String>,
}

impl ThreadTools {
    pub fn has_errors(&self) -> bool {
        self.category_error.is_some() || self.forms.iter().any(|form| form.error.is_some())
    }
}

/// What was typed into a tool's form that was refused, to show it again.
pub struct Kept<'a> {
    pub tool: Tool,
    pub input: &'a ToolInput,
    pub errors: &'a FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ToolInput {
    reason: String,
    category: String,
}

/// The tools for a viewer who moderates the post's board; None for everyone else.
pub async fn tools(
    state: &AppState,
    viewer: &Viewer,
    viewed: &ViewedPost,
    lang: Lang,
    kept: Option<Kept<'_>>,
) -> Result<Option<ThreadTools>, WebError> {
    let Some(actor) = viewer.actor().filter(|_| viewed.moderates) else { return Ok(None) };
    let post = &viewed.page.post;
    let id = post.post_id;
    let told = |field: Field, tool: Tool| {
        kept.as_ref()
            .filter(|k| k.tool == tool)
            .and_then(|k| k.errors.get(field))
            .map(|error| lang.msg(&messages::field_error(error)))
    };
    let typed =
        |tool: Tool| kept.as_ref().filter(|k| k.tool == tool).map(|k| k.input.reason.clone()).unwrap_or_default();
    // The message keys spelled out, so that the translation files' check finds each one.
    let category_error = told(Field::Category, Tool::Move);
    let form = |tool: Tool, id_name: &'static str, (verb, submit, legend, label): (&str, &str, &str, &str)| {
        let error = told(Field::Reason, tool).or_else(|| told(Field::Form, tool));
        // In the order of the fields: the destination comes before the reason.
        let category = category_error.clone().filter(|_| tool == Tool::Move).map(|e| ("move-category".to_owned(), e));
        let reason = error.clone().map(|e| (format!("{id_name}-reason"), e));
        ToolForm {
            id: id_name,
            action: format!("/posts/{id}/{verb}"),
            legend: lang.t(legend).into_owned(),
            submit: lang.t(submit).into_owned(),
            reason_label: lang.t(label).into_owned(),
            reason: typed(tool),
            error,
            summary: category.into_iter().chain(reason).collect(),
        }
    };
    let lock = if post.is_locked {
        ("unlock", "thread-unlock", "thread-unlock-legend", "thread-reason-unlock")
    } else {
        ("lock", "thread-lock", "thread-lock-legend", "thread-reason-lock")
    };
    let pin = if post.is_pinned {
        ("unpin", "thread-unpin", "thread-unpin-legend", "thread-reason-unpin")
    } else {
        ("pin", "thread-pin", "thread-pin-legend", "thread-reason-pin")
    };
    let forms = vec![
        form(Tool::Lock, "lock", lock),
        form(Tool::Pin, "pin", pin),
        form(Tool::Move, "move", ("move", "thread-move", "thread-move-legend", "thread-reason-move")),
    ];
    let selected = kept
        .as_ref()
        .filter(|k| k.tool == Tool::Move)
        .and_then(|k| parse_id::<CategoryId>(&k.input.category))
        .unwrap_or(post.category_id);
    let destinations = state
        .app
        .move_destinations(actor)
        .await?
        .into_iter()
        .map(|choice| (choice.id, choice.label, choice.id == selected))
        .collect();
    Ok(Some(ThreadTools { forms, destinations, category_error }))
}

/// A tool's command result: back to the post with a message, or the post page again with the
/// form's errors and what was typed.
async fn answer(
    state: &AppState,
    page: &Page,
    viewer: &Viewer,
    (id, tool, input): (PostId, Tool, &ToolInput),
    result: crate::app::CommandResult<()>,
    done: &'static str,
) -> Result<Response, WebError> {
    match form_result(result)? {
        Ok(()) => Ok(page.redirect_with(&Msg::new(done), &format!("/posts/{id}")).await),
        Err(errors) => {
            let viewed = viewed_post(state, viewer, id, 1).await?;
            let kept = Kept { tool, input, errors: &errors };
            let tools = tools(state, viewer, &viewed, page.lang(), Some(kept)).await?;
            let comment = CommentForm::default();
            let muted = super::notifications::thread_muted(state, viewer, id).await?;
            let notes = super::post_page::notes_of(state, viewer, &viewed).await?;
            let shown = Shown { comment: &comment, comment_errors: &FieldErrors::new(), tools, muted, notes: &notes };
            Ok(unprocessable(&errors, &post_view(page, viewer, &viewed, shown)))
        }
    }
}

macro_rules! tool_handler {
    ($name:ident, $tool:expr, $done:literal, |$app:ident, $user:ident, $id:ident, $input:ident| $call:expr) => {
        async fn $name(
            State(state): State<AppState>,
            page: Page,
            viewer: Viewer,
            current: CurrentUser,
            id: PathId<PostId>,
            Form(input): Form<ToolInput>,
        ) -> Result<Response, WebError> {
            let ($app, $user, $id, $input) = (&state.app, &current.user, id.0, &input);
            let result = $call;
            answer(&state, &page, &viewer, (id.0, $tool, &input), result, $done).await
        }
    };
}

tool_handler!(lock, Tool::Lock, "thread-flash-locked", |app, user, id, input| {
    app.lock_thread(user, id, true, &input.reason).await
});
tool_handler!(unlock, Tool::Lock, "thread-flash-unlocked", |app, user, id, input| {
    app.lock_thread(user, id, false, &input.reason).await
});
tool_handler!(pin, Tool::Pin, "thread-flash-pinned", |app, user, id, input| {
    app.pin_thread(user, id, true, &input.reason).await
});
tool_handler!(unpin, Tool::Pin, "thread-flash-unpinned", |app, user, id, input| {
    app.pin_thread(user, id, false, &input.reason).await
});
tool_handler!(move_post, Tool::Move, "thread-flash-moved", |app, user, id, input| {
    app.move_post(user, id, parse_id(&input.category), &input.reason).await
});
