//! Edit histories: every version with its time and a line diff against the one before, and
//! the post history as CSV, to take the versions into a spreadsheet.

use super::error::WebError;
use super::i18n::Reader;
use super::ids::PathId;
use super::page::{Layout, Page, render};
use super::viewer::Viewer;
use super::{AppState, format};
use crate::domain::{CommentId, PostId};
use crate::ports::VersionRow;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use similar::{ChangeTag, TextDiff};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/posts/{id}/history", get(post_history))
        .route("/posts/{id}/history.csv", get(post_history_csv))
        .route("/comments/{id}/history", get(comment_history))
}

/// One line of a diff: "ins", "del" or "same", and its text.
pub struct DiffLine {
    pub kind: &'static str,
    pub text: String,
}

pub struct VersionView {
    pub version: i64,
    pub created: String,
    pub created_iso: String,
    pub title: String,
    /// The title before, when this version changed it.
    pub old_title: Option<String>,
    pub diff: Vec<DiffLine>,
    pub added: usize,
    pub removed: usize,
}

/// Texts are stored without a final line end; give every line one, so that adding a line
/// after the last one does not show the last one as changed.
fn with_line_ends(text: &str) -> String {
    if text.is_empty() { String::new() } else { format!("{text}\n") }
}

fn diff_lines(before: &str, after: &str) -> Vec<DiffLine> {
    let (before, after) = (with_line_ends(before), with_line_ends(after));
    TextDiff::from_lines(&before, &after)
        .iter_all_changes()
        .map(|change| DiffLine {
            kind: match change.tag() {
                ChangeTag::Insert => "ins",
                ChangeTag::Delete => "del",
                ChangeTag::Equal => "same",
            },
            text: change.value().trim_end_matches('\n').to_string(),
        })
        .collect()
}

/// Versions newest first, each with its diff against the one before (the first against nothing).
fn versions(reader: &Reader, rows: Vec<VersionRow>) -> Vec<VersionView> {
    let mut views = Vec::with_capacity(rows.len());
    let mut previous: Option<&VersionRow> = None;
    for row in &rows {
        let diff = diff_lines(previous.map_or("", |p| p.content.as_str()), &row.content);
        views.push(VersionView {
            version: row.version,
            created: format::date_time(reader, row.created),
            created_iso: format::iso(row.created),
            title: row.title.clone(),
            old_title: previous.filter(|p| p.title != row.title).map(|p| p.title.clone()),
            added: diff.iter().filter(|l| l.kind == "ins").count(),
            removed: diff.iter().filter(|l| l.kind == "del").count(),
            diff,
        });
        previous = Some(row);
    }
    views.reverse();
    views
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    layout: Layout,
    heading: String,
    back_href: String,
    csv_href: Option<String>,
    versions: Vec<VersionView>,
}

async fn post_history(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    id: PathId<PostId>,
) -> Result<Response, WebError> {
    let history = state.app.post_history_for(viewer.actor(), id.0).await?.ok_or(WebError::NotFound)?;
    let heading = page.lang().ta("history-post-heading", "title", &history.title);
    Ok(render(&HistoryPage {
        layout: page.layout(&heading),
        heading,
        back_href: format!("/posts/{}", id.0),
        csv_href: Some(format!("/posts/{}/history.csv", id.0)),
        versions: versions(page.reader(), history.versions),
    }))
}

async fn comment_history(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    id: PathId<CommentId>,
) -> Result<Response, WebError> {
    let history = state.app.comment_history_for(viewer.actor(), id.0).await?.ok_or(WebError::NotFound)?;
    let heading = page.lang().ta("history-comment-heading", "title", &history.post_title);
    Ok(render(&HistoryPage {
        layout: page.layout(&heading),
        heading,
        back_href: format!("/posts/{}#comment-{}", history.post_id, id.0),
        csv_href: None,
        versions: versions(page.reader(), history.versions),
    }))
}

/// A spreadsheet would run a cell starting with = + - @ as a formula; a leading ' keeps it text.
fn spreadsheet_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_string() }
}

async fn post_history_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    id: PathId<PostId>,
) -> Result<Response, WebError> {
    let rows = state.app.post_history_for(viewer.actor(), id.0).await?.ok_or(WebError::NotFound)?.versions;
    let mut out = csv::Writer::from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>| -> Result<(), csv::Error> {
        out.write_record(["version", "created", "title", "content"])?;
        for row in &rows {
            out.write_record([
                row.version.to_string(),
                format::iso(row.created),
                spreadsheet_safe(&row.title),
                spreadsheet_safe(&row.content),
            ])?;
        }
        Ok(())
    };
    write(&mut out).map_err(|e| WebError::Internal(e.into()))?;
    let body = out.into_inner().map_err(|e| WebError::Internal(anyhow::anyhow!("{e}")))?;
    let disposition = format!("attachment; filename=\"post-{}-history.csv\"", id.0);
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Timestamp;

    fn version(version: i64, title: &str, content: &str) -> VersionRow {
        VersionRow { version, created: Timestamp(0), title: title.into(), content: content.into() }
    }

    #[test]
    fn each_version_is_diffed_against_the_one_before() {
        let views = versions(&Reader::default(), vec![version(0, "A", "one\ntwo"), version(1, "B", "one\nthree")]);
        assert_eq!(views[0].version, 1, "newest first");
        assert_eq!(views[0].old_title.as_deref(), Some("A"));
        assert_eq!((views[0].added, views[0].removed), (1, 1));
        assert!(views[0].diff.iter().any(|l| l.kind == "del" && l.text == "two"));
        assert!(views[0].diff.iter().any(|l| l.kind == "ins" && l.text == "three"));
        assert_eq!(views[1].added, 2, "the first version is all new");
    }

    #[test]
    fn a_line_added_at_the_end_changes_nothing_above_it() {
        let views =
            versions(&Reader::default(), vec![version(0, "T", "alpha\ngamma"), version(1, "T", "alpha\ngamma\ndelta")]);
        assert_eq!((views[0].added, views[0].removed), (1, 0));
    }

    #[test]
    fn formula_cells_are_kept_as_text() {
        assert_eq!(spreadsheet_safe("=1+1"), "'=1+1");
        assert_eq!(spreadsheet_safe("hello"), "hello");
    }
}
