//! What a moderator's removal tells the author and the moderators on the post page: who
//! removed it and why; and the page an author gets for their own post a moderator removed
//! (others still get a 404, as before).

use super::AppState;
use super::error::WebError;
use super::i18n::Lang;
use super::page::{Layout, Page, render};
use super::viewer::Viewer;
use crate::app::modlog::RemovalNote;
use crate::domain::{CommentId, PostId};
use askama::Template;
use axum::response::Response;

/// The line shown on a removed item.
pub fn note_text(lang: Lang, note: &RemovalNote) -> String {
    let reason = note.reason.clone().unwrap_or_else(|| lang.t("modlog-note-private").into_owned());
    lang.ta("modlog-removed-by-moderator", "reason", &reason)
}

/// The note of the post itself, or of one of its comments.
pub fn note_for(lang: Lang, notes: &[RemovalNote], comment: Option<CommentId>) -> Option<String> {
    notes.iter().find(|note| note.comment_id == comment).map(|note| note_text(lang, note))
}

#[derive(Template)]
#[template(path = "modlog_removed.html")]
struct RemovedPage {
    layout: Layout,
    title: String,
    note: String,
}

/// The author's view of their post removed by a moderator, when that is what the viewer is.
pub async fn removed_for_author(
    state: &AppState,
    page: &Page,
    viewer: &Viewer,
    id: PostId,
) -> Result<Response, WebError> {
    let (post, note) = state.app.removed_post_for_author(viewer.actor(), id).await?.ok_or(WebError::NotFound)?;
    Ok(render(&RemovedPage {
        layout: page.layout(&post.title),
        title: post.title.clone(),
        note: note_text(page.lang(), &note),
    }))
}
