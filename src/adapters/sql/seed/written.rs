//! The rows a seed writes, write tables and read model alike, as the commands and the
//! projections would write them: described once ([`Insertable`]) for both writers, the
//! chunked one (sqlx) and the SQLite bulk loader (rusqlite).

use super::super::inserts::{Insertable, Value};
use super::super::projections::{CommentRow, PostRow};
use super::data::{EDIT_INTERVAL_MS, SeedPost, Target, TextPools, user_name};
use crate::domain::{AccountState, Role, fold_key, name_skeleton};
use crate::domain::{CategoryId, CommentId, PostId, UserId};

/// The users a seed adds: members, active, all with the same password, joined at one time.
pub(super) struct NewUsers {
    pub ids: Vec<i64>,
    pub password_hash: String,
    pub joined: i64,
}

impl NewUsers {
    /// The `user` rows of some of the users.
    pub fn rows(&self, ids: &[i64]) -> Vec<UserRow<'_>> {
        ids.iter()
            .map(|&id| {
                let name = user_name(id);
                UserRow {
                    id,
                    name_key: fold_key(&name),
                    name_skeleton: name_skeleton(&name),
                    name,
                    email: format!("user{id}@example.com"),
                    users: self,
                }
            })
            .collect()
    }

    /// The `user_state` rows of some of the users.
    pub fn states(&self, ids: &[i64]) -> Vec<UserStateRow> {
        ids.iter().map(|&user_id| UserStateRow { user_id, since: self.joined }).collect()
    }
}

/// A seeded user's `user` row.
pub(super) struct UserRow<'a> {
    id: i64,
    name: String,
    name_key: String,
    name_skeleton: String,
    email: String,
    users: &'a NewUsers,
}

impl Insertable for UserRow<'_> {
    const TABLE: &'static str = "user";
    const COLUMNS: &'static str =
        "id, name, name_key, name_skeleton, password, email, email_key, created_datetime, role_id";
    fn values(&self) -> impl IntoIterator<Item = Value<'_>> {
        [
            self.id.into(),
            self.name.as_str().into(),
            self.name_key.as_str().into(),
            self.name_skeleton.as_str().into(),
            self.users.password_hash.as_str().into(),
            self.email.as_str().into(),
            // Seeded addresses are lower case already: the email is its own key.
            self.email.as_str().into(),
            self.users.joined.into(),
            Role::Member.id().into(),
        ]
    }
}

/// A seeded user's first (active) state.
pub(super) struct UserStateRow {
    user_id: i64,
    since: i64,
}

impl Insertable for UserStateRow {
    const TABLE: &'static str = "user_state";
    const COLUMNS: &'static str = "user_id, state_id, created_datetime";
    fn values(&self) -> impl IntoIterator<Item = Value<'_>> {
        [self.user_id.into(), AccountState::Active.id().into(), self.since.into()]
    }
}

/// A vote for a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct VoteRow {
    pub user_id: i64,
    pub post_id: i64,
}

impl Insertable for VoteRow {
    const TABLE: &'static str = "voter_post";
    const COLUMNS: &'static str = "user_id, post_id";
    fn values(&self) -> impl IntoIterator<Item = Value<'_>> {
        [self.user_id.into(), self.post_id.into()]
    }
}

/// The votes for some posts.
pub(super) fn votes(posts: &[SeedPost]) -> impl Iterator<Item = VoteRow> + '_ {
    posts.iter().flat_map(|p| p.voters.iter().map(move |&user_id| VoteRow { user_id, post_id: p.id }))
}

/// The names of a chunk's authors, which its read rows show.
pub(super) struct AuthorNames {
    posts: Vec<String>,
    comments: Vec<Vec<String>>,
}

impl AuthorNames {
    pub fn of(posts: &[SeedPost]) -> AuthorNames {
        AuthorNames {
            posts: posts.iter().map(|p| user_name(p.author)).collect(),
            comments: posts.iter().map(|p| p.comments.iter().map(|c| user_name(c.author)).collect()).collect(),
        }
    }
}

/// Every row of a chunk of posts but the votes, table by table.
pub(super) struct ChunkRows<'a> {
    pub posts: Vec<PostWriteRow>,
    pub versions: Vec<VersionRow<'a>>,
    pub comments: Vec<CommentWriteRow>,
    pub comment_versions: Vec<CommentVersionRow<'a>>,
    pub read_posts: Vec<PostRow<'a>>,
    pub read_comments: Vec<CommentRow<'a>>,
}

impl<'a> ChunkRows<'a> {
    pub fn new(posts: &'a [SeedPost], names: &'a AuthorNames, texts: &'a TextPools, targets: &'a [Target]) -> Self {
        let comments = || posts.iter().flat_map(|p| p.comments.iter().map(move |c| (p, c)));
        ChunkRows {
            posts: posts
                .iter()
                .map(|p| PostWriteRow {
                    id: p.id,
                    user_id: p.author,
                    category_id: targets[p.target].id,
                    created: p.created,
                })
                .collect(),
            versions: posts
                .iter()
                .flat_map(|p| {
                    p.versions.iter().enumerate().map(move |(n, v)| VersionRow {
                        post_id: p.id,
                        version: n as i64,
                        created: p.created + n as i64 * EDIT_INTERVAL_MS,
                        title: &v.title,
                        content: &texts.posts[v.text].source,
                    })
                })
                .collect(),
            comments: comments()
                .map(|(p, c)| CommentWriteRow { id: c.id, user_id: c.author, post_id: p.id, created: c.created })
                .collect(),
            comment_versions: comments()
                .map(|(_, c)| CommentVersionRow {
                    comment_id: c.id,
                    created: c.created,
                    content: &texts.comments[c.text].source,
                })
                .collect(),
            read_posts: posts.iter().zip(&names.posts).map(|(p, name)| read_post(p, name, texts, targets)).collect(),
            read_comments: posts
                .iter()
                .zip(&names.comments)
                .flat_map(|(p, names)| read_comments(p, names, texts))
                .collect(),
        }
    }
}

/// A seeded post's `post` row: active.
pub(super) struct PostWriteRow {
    id: i64,
    user_id: i64,
    category_id: i64,
    created: i64,
}

impl Insertable for PostWriteRow {
    const TABLE: &'static str = "post";
    const COLUMNS: &'static str = "id, user_id, category_id, created_datetime, is_active";
    fn values(&self) -> impl IntoIterator<Item = Value<'_>> {
        [self.id.into(), self.user_id.into(), self.category_id.into(), self.created.into(), true.into()]
    }
}

/// One version of a seeded post: version `n` is written `n` edit intervals after the post.
pub(super) struct VersionRow<'a> {
    post_id: i64,
    version: i64,
    created: i64,
    title: &'a str,
    content: &'a str,
}

impl Insertable for VersionRow<'_> {
    const TABLE: &'static str = "post_content";
    const COLUMNS: &'static str = "post_id, version, created_datetime, title, content";
    fn values(&self) -> impl IntoIterator<Item = Value<'_>> {
        [self.post_id.into(), self.version.into(), self.created.into(), self.title.into(), self.content.into()]
    }
}

/// A seeded comment's `comment` row: active.
pub(super) struct CommentWriteRow {
    id: i64,
    user_id: i64,
    post_id: i64,
    created: i64,
}

impl Insertable for CommentWriteRow {
    const TABLE: &'static str = "comment";
    const COLUMNS: &'static str = "id, user_id, post_id, created_datetime, is_active";
    fn values(&self) -> impl IntoIterator<Item = Value<'_>> {
        [self.id.into(), self.user_id.into(), self.post_id.into(), self.created.into(), true.into()]
    }
}

/// A seeded comment's only version.
pub(super) struct CommentVersionRow<'a> {
    comment_id: i64,
    created: i64,
    content: &'a str,
}

impl Insertable for CommentVersionRow<'_> {
    const TABLE: &'static str = "comment_content";
    const COLUMNS: &'static str = "comment_id, version, created_datetime, content";
    fn values(&self) -> impl IntoIterator<Item = Value<'_>> {
        [self.comment_id.into(), 0_i64.into(), self.created.into(), self.content.into()]
    }
}

/// The post's rm_post row (and search entry): its latest version, its counts, where it is.
fn read_post<'a>(post: &'a SeedPost, author: &'a str, texts: &'a TextPools, targets: &'a [Target]) -> PostRow<'a> {
    let (version, latest) = post.latest();
    let target = &targets[post.target];
    let text = &texts.posts[latest.text];
    PostRow {
        post_id: PostId(post.id),
        board_id: CategoryId(target.board_id),
        category_id: CategoryId(target.id),
        user_id: UserId(post.author),
        is_active: true,
        version,
        created: post.created,
        edited: post.created + version * EDIT_INTERVAL_MS,
        comment_count: post.comments.len() as i64,
        vote_count: post.voters.len() as i64,
        author_name: Some(author.into()),
        category_name: target.name.as_str().into(),
        title: latest.title.as_str().into(),
        content: text.source.as_str().into(),
        body_html: text.html.as_str().into(),
        is_locked: false,
        pinned_at: 0,
        lock_reason: None,
    }
}

/// The rm_comment rows of the post's comments; `authors` are their authors' names, in order.
fn read_comments<'a>(
    post: &'a SeedPost,
    authors: &'a [String],
    texts: &'a TextPools,
) -> impl Iterator<Item = CommentRow<'a>> {
    post.comments.iter().zip(authors).map(move |(comment, author)| CommentRow {
        comment_id: CommentId(comment.id),
        post_id: PostId(post.id),
        user_id: UserId(comment.author),
        is_active: true,
        version: 0,
        created: comment.created,
        edited: comment.created,
        vote_count: 0,
        author_name: Some(author.into()),
        content: texts.comments[comment.text].source.as_str().into(),
        body_html: texts.comments[comment.text].html.as_str().into(),
    })
}
