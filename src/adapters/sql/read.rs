//! The read side: keyed queries over the read model.

use super::write::{fetch_user, fetch_user_by_login_key};
use super::{Param, SqlDatabase, db_err};
use crate::domain::{AccountState, Role, Timestamp};
use crate::ports::{CategoryRow, ProfileRow, ReadStore, SessionUser, StoreResult, UserRecord};
use async_trait::async_trait;

type ProfileTuple = (i64, Option<String>, String, String, i64, i64, i64);

const PROFILE_COLUMNS: &str = "SELECT user_id, name, role, state, joined, post_count, comment_count FROM rm_user";

fn profile_row(row: ProfileTuple) -> ProfileRow {
    let (user_id, name, role, state, joined, post_count, comment_count) = row;
    ProfileRow {
        user_id,
        name,
        role: Role::parse(&role).unwrap_or(Role::Member),
        state: if state == AccountState::Blocked.name() { AccountState::Blocked } else { AccountState::Active },
        joined: Timestamp(joined),
        post_count,
        comment_count,
    }
}

#[async_trait]
impl ReadStore for SqlDatabase {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(db_err)?;
        Ok(())
    }

    async fn account(&self, id: i64) -> StoreResult<Option<UserRecord>> {
        fetch_user(&self.pool, id).await
    }

    async fn account_by_login_key(&self, key: &str) -> StoreResult<Option<UserRecord>> {
        fetch_user_by_login_key(&self.pool, key).await
    }

    async fn session_user(&self, login_id: i64) -> StoreResult<Option<SessionUser>> {
        // The authoritative tables, not the read model: a session must end the moment it is ended.
        let row: Option<(i64, Option<String>, Option<i64>, Option<i64>)> = self
            .short_read_one(
                "SELECT u.id, u.name, u.role_id, \
                 (SELECT us.state_id FROM user_state us WHERE us.user_id = u.id ORDER BY us.id DESC LIMIT 1) \
                 FROM logged_in l JOIN user u ON u.id = l.user_id \
                 WHERE l.id = ? AND l.ended_datetime IS NULL",
                &[Param::Int(login_id)],
            )
            .await?;
        Ok(row.and_then(|(user_id, name, role_id, state_id)| {
            let blocked = state_id == Some(AccountState::Blocked.id());
            match (name, blocked) {
                (Some(name), false) => {
                    Some(SessionUser { user_id, name, role: role_id.and_then(Role::from_id).unwrap_or(Role::Member) })
                }
                _ => None,
            }
        }))
    }

    async fn open_logins_of(&self, user_id: i64) -> StoreResult<Vec<i64>> {
        sqlx::query_scalar("SELECT id FROM logged_in WHERE user_id = ? AND ended_datetime IS NULL")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)
    }

    async fn category_tree(&self) -> StoreResult<Vec<CategoryRow>> {
        // The forum's boards: a few dozen rows at most, so a short read.
        let rows: Vec<(i64, i64, String, Option<i64>, Option<String>, i64)> = self
            .short_read(
                "SELECT category_id, tier, name, parent_id, parent_name, post_count FROM rm_category \
                 ORDER BY COALESCE(parent_id, category_id), tier, category_id",
                &[],
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, tier, name, parent_id, parent_name, post_count)| CategoryRow {
                id,
                tier,
                name,
                parent_id,
                parent_name,
                post_count,
            })
            .collect())
    }

    async fn user_id_by_name(&self, name_key: &str) -> StoreResult<Option<i64>> {
        let id: Option<(i64,)> =
            self.short_read_one("SELECT user_id FROM rm_user WHERE name_key = ?", &[Param::Text(name_key)]).await?;
        Ok(id.map(|(id,)| id))
    }

    async fn profile(&self, user_id: i64) -> StoreResult<Option<ProfileRow>> {
        let sql = format!("{PROFILE_COLUMNS} WHERE user_id = ?");
        let row: Option<ProfileTuple> = self.short_read_one(&sql, &[Param::Int(user_id)]).await?;
        Ok(row.map(profile_row))
    }

    async fn author_footprint(&self, user_id: i64) -> StoreResult<(Vec<i64>, Vec<(i64, i64)>)> {
        let posts = sqlx::query_scalar("SELECT post_id FROM rm_post WHERE user_id = ?")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let comments = sqlx::query_as(
            "SELECT c.post_id, (SELECT COUNT(*) FROM rm_comment x WHERE x.post_id = c.post_id \
             AND x.comment_id < c.comment_id) FROM rm_comment c WHERE c.user_id = ?",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok((posts, comments))
    }

    async fn users_page(&self, before: Option<i64>, limit: i64) -> StoreResult<Vec<ProfileRow>> {
        let sql =
            format!("{PROFILE_COLUMNS} WHERE user_id < ? AND name IS NOT NULL ORDER BY user_id DESC LIMIT {limit}");
        let rows: Vec<ProfileTuple> = self.short_read(&sql, &[Param::Int(before.unwrap_or(i64::MAX))]).await?;
        Ok(rows.into_iter().map(profile_row).collect())
    }
}
