//! A post's page: the post, a page of its comments, and the form to add one.

use super::error::WebError;
use super::forms::{FormView, Input, new_form_key};
use super::i18n::{Msg, Reader};
use super::ids::{PathId, parse_id};
use super::page::{Layout, Page, form_result, profile_href, render, unprocessable};
use super::removal_notes::{self, note_for};
use super::threads::ThreadTools;
use super::viewer::{CurrentUser, Viewer};
use super::{AppState, format};
use crate::app::modlog::RemovalNote;
use crate::app::pages::ViewedPost;
use crate::domain::FieldErrors;
use crate::domain::PostId;
use crate::domain::UserId;
use crate::domain::guards::FormKey;
use crate::domain::policy::{OnBoard, can_delete_comment, can_delete_post, can_edit_in, can_restore, can_vote};
use crate::domain::{CategoryId, CommentId};
use crate::ports::CommentView;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/posts/{id}", get(show)).route("/posts/{id}/comments", post(add_comment))
}

/// What the viewer may do with a post or comment: decided by the domain's rules.
struct Allowed {
    edit: bool,
    delete: bool,
    restore: bool,
    vote: bool,
    /// Removing asks for a reason: a moderator removing someone else's writing.
    delete_needs_reason: bool,
}

/// `locked`: the thread is locked (only its moderators edit their own words then).
fn allowed(
    viewer: Option<OnBoard>,
    (author_id, active, locked): (UserId, bool, bool),
    active_comments: Option<i64>,
) -> Allowed {
    let Some(on) = viewer else {
        return Allowed { edit: false, delete: false, restore: false, vote: false, delete_needs_reason: false };
    };
    let delete = match active_comments {
        Some(count) => can_delete_post(on, author_id, count).is_ok(),
        None => can_delete_comment(on, author_id).is_ok(),
    };
    Allowed {
        edit: active && can_edit_in(on, author_id, locked).is_ok(),
        delete: active && delete,
        restore: !active && can_restore(on).is_ok(),
        vote: active && can_vote(on.actor, author_id).is_ok(),
        delete_needs_reason: on.moderates && on.actor.user_id != author_id,
    }
}

/// A comment as the post page shows it (borrowing the texts of the cached comment).
pub struct CommentLine<'a> {
    pub id: CommentId,
    pub author: Option<(String, &'a str)>,
    pub created: String,
    pub created_iso: String,
    pub edited: bool,
    pub body_html: &'a str,
    pub votes: i64,
    pub voted: bool,
    pub active: bool,
    pub can_edit: bool,
    pub can_delete: bool,
    pub can_restore: bool,
    pub can_vote: bool,
    pub delete_needs_reason: bool,
    /// Who removed it and why, for its author and the moderators.
    pub removal_note: Option<String>,
}

#[derive(Template)]
#[template(path = "post.html")]
pub(super) struct PostPageView<'a> {
    layout: Layout,
    id: PostId,
    title: &'a str,
    board: Option<(CategoryId, &'a str)>,
    category: Option<(CategoryId, &'a str)>,
    author: Option<(String, &'a str)>,
    created: String,
    created_iso: String,
    edited: Option<String>,
    body_html: &'a str,
    active: bool,
    votes: i64,
    voted: bool,
    comment_count: i64,
    can_edit: bool,
    can_delete: bool,
    can_restore: bool,
    can_vote: bool,
    delete_needs_reason: bool,
    removal_note: Option<String>,
    /// An admin may keep a moderation note among moderators.
    may_keep_private: bool,
    logged_in: bool,
    comments: Vec<CommentLine<'a>>,
    page: i64,
    has_next_page: bool,
    comment_form: FormView,
    locked: bool,
    lock_reason: Option<&'a str>,
    pinned: bool,
    /// A locked thread shows a notice instead, unless the viewer may still comment or a
    /// refused comment's text is being kept.
    show_comment_form: bool,
    tools: Option<ThreadTools>,
    /// A tool's form came back with errors (the title says so).
    tool_errors: bool,
    /// Whether the logged-in viewer muted this thread's replies (None: logged out).
    muted: Option<bool>,
}

/// What the page shows besides the post: the comment form as typed and the moderators' tools.
pub(super) struct Shown<'a> {
    pub comment: &'a CommentForm,
    pub comment_errors: &'a FieldErrors,
    pub tools: Option<ThreadTools>,
    pub muted: Option<bool>,
    /// The moderators' removal notes the viewer is told about.
    pub notes: &'a [RemovalNote],
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    page: Option<String>,
}

/// The post and a page of its comments as the viewer may see them, or 404 when there is no
/// such post or the viewer may not see it.
pub(super) async fn viewed_post(
    state: &AppState,
    viewer: &Viewer,
    id: PostId,
    comments_page: i64,
) -> Result<ViewedPost, WebError> {
    state.app.post_page_for(viewer.actor(), id, comments_page).await?.ok_or(WebError::NotFound)
}

/// The moderators' removal notes the viewer is told about; read only when something on the
/// page is removed and someone is logged in.
pub(super) async fn notes_of(
    state: &AppState,
    viewer: &Viewer,
    viewed: &ViewedPost,
) -> Result<Vec<RemovalNote>, WebError> {
    let post = &*viewed.page.post;
    let comments = viewed.page.comments();
    if viewer.0.is_none() || (post.is_active && comments.iter().all(|c| c.is_active)) {
        return Ok(Vec::new());
    }
    let authors: Vec<_> = comments.iter().map(|c| (c.comment_id, c.user_id)).collect();
    Ok(state.app.removal_notes(viewer.actor(), post, viewed.moderates, &authors).await?)
}

/// The post page, borrowing the texts of the post and its comments.
pub(super) fn post_view<'a>(
    page: &Page,
    viewer: &Viewer,
    viewed: &'a ViewedPost,
    shown: Shown<'_>,
) -> PostPageView<'a> {
    let Shown { comment: comment_input, comment_errors, tools, muted, notes } = shown;
    let ViewedPost { page: post_page, board, category, voted, voted_comments, moderates } = viewed;
    let actor = viewer.actor().map(|actor| OnBoard { actor, moderates: *moderates });
    let post = &*post_page.post;
    let id = post.post_id;
    let rights = allowed(actor, (post.user_id, post.is_active, post.is_locked), Some(post.comment_count));
    let reader = page.reader();
    let lang = reader.lang;
    let comments = post_page
        .comments()
        .iter()
        .map(|c| CommentLine {
            removal_note: note_for(lang, notes, Some(c.comment_id)),
            ..comment_line(reader, c, actor, voted_comments, post.is_locked)
        })
        .collect();
    let comment_form = FormView::new(
        format!("/posts/{id}/comments"),
        lang.t("comment-submit"),
        vec![
            Input::new("content", lang.t("field-your-comment"), "textarea")
                .value(&comment_input.content)
                .hint(lang.t("comment-hint")),
        ],
    )
    // A form shown again keeps its key: nothing was added with it yet.
    .hidden("form_key", if comment_input.form_key.is_empty() { new_form_key() } else { comment_input.form_key.clone() })
    .with_errors(comment_errors, lang);
    PostPageView {
        layout: page.layout(&post.title),
        id,
        author: post.author_name.as_deref().map(|name| (profile_href(name), name)),
        created: format::date_time(reader, post.created),
        created_iso: format::iso(post.created),
        edited: (post.version > 0).then(|| format::date_time(reader, post.edited)),
        body_html: &post.body_html,
        active: post.is_active,
        votes: post.vote_count,
        voted: *voted,
        comment_count: post.comment_count,
        can_edit: rights.edit,
        can_delete: rights.delete,
        can_restore: rights.restore,
        can_vote: rights.vote,
        delete_needs_reason: rights.delete_needs_reason,
        removal_note: note_for(lang, notes, None),
        may_keep_private: viewer.actor().is_some_and(|actor| actor.role == crate::domain::Role::Admin),
        logged_in: viewer.0.is_some(),
        comments,
        page: post_page.page,
        has_next_page: post_page.has_next_page,
        comment_form,
        locked: post.is_locked,
        lock_reason: post.lock_reason.as_deref(),
        pinned: post.is_pinned,
        show_comment_form: !post.is_locked || *moderates || !comment_errors.is_empty(),
        tool_errors: tools.as_ref().is_some_and(ThreadTools::has_errors),
        tools,
        board: board.as_ref().map(|b| (b.id, b.name.as_str())),
        category: category.as_ref().map(|c| (c.id, c.name.as_str())),
        title: &post.title,
        muted,
    }
}

fn comment_line<'a>(
    reader: &Reader,
    comment: &'a CommentView,
    actor: Option<OnBoard>,
    voted: &[CommentId],
    locked: bool,
) -> CommentLine<'a> {
    let rights = allowed(actor, (comment.user_id, comment.is_active, locked), None);
    CommentLine {
        id: comment.comment_id,
        author: comment.author_name.as_deref().map(|name| (profile_href(name), name)),
        created: format::date_time(reader, comment.created),
        created_iso: format::iso(comment.created),
        edited: comment.version > 0,
        body_html: &comment.body_html,
        votes: comment.vote_count,
        voted: voted.contains(&comment.comment_id),
        active: comment.is_active,
        can_edit: rights.edit,
        can_delete: rights.delete,
        can_restore: rights.restore,
        can_vote: rights.vote,
        delete_needs_reason: rights.delete_needs_reason,
        removal_note: None,
    }
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    id: PathId<PostId>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, WebError> {
    let comments_page = query.page.as_deref().and_then(parse_id).unwrap_or(1);
    let viewed = match viewed_post(&state, &viewer, id.0, comments_page).await {
        Err(WebError::NotFound) => return removal_notes::removed_for_author(&state, &page, &viewer, id.0).await,
        viewed => viewed?,
    };
    let tools = super::threads::tools(&state, &viewer, &viewed, page.lang(), None).await?;
    let muted = super::notifications::thread_muted(&state, &viewer, id.0).await?;
    let notes = notes_of(&state, &viewer, &viewed).await?;
    let shown =
        Shown { comment: &CommentForm::default(), comment_errors: &FieldErrors::new(), tools, muted, notes: &notes };
    Ok(render(&post_view(&page, &viewer, &viewed, shown)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct CommentForm {
    content: String,
    form_key: String,
}

async fn add_comment(
    State(state): State<AppState>,
    page: Page,
    viewer: Viewer,
    current: CurrentUser,
    client: super::ClientAddress,
    id: PathId<PostId>,
    Form(input): Form<CommentForm>,
) -> Result<Response, WebError> {
    let key = FormKey::parse(&input.form_key);
    let address = client.key().to_string();
    let added = state.app.add_comment_once(&current.user, Some(&address), id.0, &input.content, key.as_ref()).await;
    match form_result(added)? {
        Ok(comment_id) => {
            let at = state.app.comment_page(id.0, comment_id).await?;
            let target = format!("/posts/{}?page={at}#comment-{comment_id}", id.0);
            Ok(page.redirect_with(&Msg::new("flash-comment-added"), &target).await)
        }
        Err(errors) => {
            // Back to the last page of comments, where the new one would go, with the text kept.
            let last_page = state.app.comment_page(id.0, CommentId(i64::MAX)).await?;
            let viewed = viewed_post(&state, &viewer, id.0, last_page).await?;
            let tools = super::threads::tools(&state, &viewer, &viewed, page.lang(), None).await?;
            let muted = super::notifications::thread_muted(&state, &viewer, id.0).await?;
            let notes = notes_of(&state, &viewer, &viewed).await?;
            let shown = Shown { comment: &input, comment_errors: &errors, tools, muted, notes: &notes };
            Ok(unprocessable(&errors, &post_view(&page, &viewer, &viewed, shown)))
        }
    }
}
