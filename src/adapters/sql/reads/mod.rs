//! The read ports: keyed queries over the read model (and, for accounts, sessions, votes and
//! histories, over the write tables). Each method of the ports is one function of the file
//! named after what it reads; search is `super::search`.

mod accounts;
mod categories;
mod comments;
mod history;
mod invites;
mod moderation;
mod posts;
mod reports;
mod votes;

pub(super) use accounts::{fetch_user, fetch_user_by_login_key};
pub(super) use posts::{LIST_COLUMNS, scope_filter};

use super::direct::{DirectError, Param};
use super::rows::{PoolCells, SqlRow};
use super::{SqlDatabase, db_err, search};
use crate::domain::{CommentId, LoginId, PostId, UserId};
use crate::ports::{
    CategoryRow, CommentView, ContentReads, InviteRow, ListCursor, ListScope, ListSlice, PostListRow, PostView,
    ProfileRow, ReadStore, SessionUser, StoreError, StoreResult, UserRecord, VersionRow,
};
use async_trait::async_trait;

impl SqlDatabase {
    /// Every row of a short read: a key lookup or an index walk with a LIMIT, never a scan.
    /// On SQLite it runs on this thread (`super::direct`); on MariaDB, or when SQLite is
    /// locked, through the pool.
    pub(super) async fn short_read<T: SqlRow + Send + 'static>(
        &self,
        sql: &str,
        params: &[Param<'_>],
    ) -> StoreResult<Vec<T>> {
        if let Some(direct) = &self.direct {
            match direct.rows(sql, params) {
                Ok(rows) => return Ok(rows),
                Err(DirectError::Busy) => {}
                Err(DirectError::Failed(error)) => return Err(StoreError::Other(error.into())),
            }
        }
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()));
        for param in params {
            query = match *param {
                Param::Int(value) => query.bind(value),
                Param::Text(value) => query.bind(value.to_owned()),
            };
        }
        let rows = query.fetch_all(&self.pool).await.map_err(db_err)?;
        rows.iter().map(|row| T::read(&mut PoolCells(row))).collect::<sqlx::Result<_>>().map_err(db_err)
    }

    /// The one row of a short read, if there is one.
    pub(super) async fn short_read_one<T: SqlRow + Send + 'static>(
        &self,
        sql: &str,
        params: &[Param<'_>],
    ) -> StoreResult<Option<T>> {
        Ok(self.short_read(sql, params).await?.into_iter().next())
    }
}

#[async_trait]
impl ReadStore for SqlDatabase {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(db_err)?;
        Ok(())
    }

    async fn account(&self, id: UserId) -> StoreResult<Option<UserRecord>> {
        fetch_user(&self.pool, id).await
    }

    async fn account_by_login_key(&self, key: &str) -> StoreResult<Option<UserRecord>> {
        fetch_user_by_login_key(&self.pool, key).await
    }

    async fn session_user(&self, login_id: LoginId) -> StoreResult<Option<SessionUser>> {
        accounts::session_user(self, login_id).await
    }

    async fn open_logins_of(&self, user_id: UserId) -> StoreResult<Vec<LoginId>> {
        accounts::open_logins_of(self, user_id).await
    }

    async fn category_tree(&self) -> StoreResult<Vec<CategoryRow>> {
        categories::category_tree(self).await
    }

    async fn user_id_by_name(&self, name_key: &str) -> StoreResult<Option<UserId>> {
        accounts::user_id_by_name(self, name_key).await
    }

    async fn profile(&self, user_id: UserId) -> StoreResult<Option<ProfileRow>> {
        accounts::profile(self, user_id).await
    }

    async fn author_footprint(&self, user_id: UserId) -> StoreResult<(Vec<PostId>, Vec<(PostId, i64)>)> {
        accounts::author_footprint(self, user_id).await
    }

    async fn users_page(&self, before: Option<UserId>, limit: i64) -> StoreResult<Vec<ProfileRow>> {
        accounts::users_page(self, before, limit).await
    }

    async fn setting(&self, name: &str) -> StoreResult<Option<String>> {
        invites::setting(self, name).await
    }

    async fn invites(&self, limit: i64) -> StoreResult<Vec<InviteRow>> {
        invites::invites(self, limit).await
    }
}

#[async_trait]
impl ContentReads for SqlDatabase {
    async fn post_list_page(&self, scope: ListScope, cursor: ListCursor, size: i64) -> StoreResult<ListSlice> {
        posts::post_list_page(self, scope, cursor, size).await
    }

    async fn pinned_posts(&self, scope: ListScope, limit: i64) -> StoreResult<Vec<PostListRow>> {
        posts::pinned_posts(self, scope, limit).await
    }

    async fn search(
        &self,
        typed: &[String],
        scope: ListScope,
        before: Option<PostId>,
        limit: i64,
    ) -> StoreResult<Vec<PostListRow>> {
        search::search(self, typed, scope, before, limit).await
    }

    async fn post_view(&self, id: PostId) -> StoreResult<Option<PostView>> {
        posts::post_view(self, id).await
    }

    async fn comments_page(&self, post_id: PostId, offset: i64, limit: i64) -> StoreResult<Vec<CommentView>> {
        comments::comments_page(self, post_id, offset, limit).await
    }

    async fn newest_comments(&self, post_id: PostId, limit: i64) -> StoreResult<Vec<CommentView>> {
        comments::newest_comments(self, post_id, limit).await
    }

    async fn comment_position(&self, post_id: PostId, comment_id: CommentId) -> StoreResult<i64> {
        comments::comment_position(self, post_id, comment_id).await
    }

    async fn comment_view(&self, id: CommentId) -> StoreResult<Option<CommentView>> {
        comments::comment_view(self, id).await
    }

    async fn votes_of(
        &self,
        user_id: UserId,
        post_id: PostId,
        comment_ids: &[CommentId],
    ) -> StoreResult<(bool, Vec<CommentId>)> {
        votes::votes_of(self, user_id, post_id, comment_ids).await
    }

    async fn post_history(&self, post_id: PostId) -> StoreResult<Vec<VersionRow>> {
        history::post_history(self, post_id).await
    }

    async fn comment_history(&self, comment_id: CommentId) -> StoreResult<Vec<VersionRow>> {
        history::comment_history(self, comment_id).await
    }
}
