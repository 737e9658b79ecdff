//! The moderator's note on an action form (a reason, and for admins "private to
//! moderators"), and the page that shows such a form again when the reason was refused,
//! with what was typed kept.

use super::forms::input_name;
use super::messages;
use super::page::{Layout, Page, unprocessable};
use crate::app::modlog::ModNote;
use crate::domain::{Field, FieldErrors};
use askama::Template;
use axum::response::Response;
use serde::Deserialize;

/// The note fields as a form sends them.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct NoteForm {
    pub reason: String,
    /// A checkbox: present when ticked.
    pub private: String,
}

impl NoteForm {
    pub fn note(&self) -> ModNote<'_> {
        ModNote { reason: &self.reason, private: !self.private.is_empty() }
    }
}

#[derive(Template)]
#[template(path = "modlog_note.html")]
struct NotePage {
    layout: Layout,
    heading: String,
    action: String,
    submit: String,
    reason: String,
    private: bool,
    may_keep_private: bool,
    error: Option<String>,
    back: String,
}

/// The action's form again, with the refusal on its reason field (422).
pub fn note_page(
    page: &Page,
    (action, heading_key, back): (String, &str, String),
    input: &NoteForm,
    errors: &FieldErrors,
    may_keep_private: bool,
) -> Response {
    let lang = page.lang();
    let error = errors
        .get(Field::Reason)
        .or_else(|| errors.iter().next().map(|(_, error)| error))
        .map(|error| lang.msg(&messages::field_error(error)));
    debug_assert_eq!(input_name(Field::Reason), "reason");
    let view = NotePage {
        layout: page.layout(&page.t(heading_key)),
        heading: page.t(heading_key),
        action,
        submit: page.t(heading_key),
        reason: input.reason.clone(),
        private: !input.private.is_empty(),
        may_keep_private,
        error,
        back,
    };
    unprocessable(errors, &view)
}
