//! The write side of posts, comments and votes.

use super::write::SqlUnitOfWork;
use super::{Dialect, db_err};
use crate::domain::Timestamp;
use crate::ports::{CommentRecord, ContentWrites, PostRecord, StoreResult};
use async_trait::async_trait;

impl SqlUnitOfWork {
    /// Soft delete or restore: `sql` sets is_active of one row.
    async fn set_active(&mut self, sql: &'static str, id: i64, active: bool) -> StoreResult<()> {
        sqlx::query(sql).bind(i64::from(active)).bind(id).execute(&mut *self.tx).await.map_err(db_err)?;
        Ok(())
    }

    /// Takes a vote back if there is one, else casts it; true when the vote now stands.
    async fn toggle_vote(
        &mut self,
        delete: &'static str,
        insert: &'static str,
        user_id: i64,
        target_id: i64,
    ) -> StoreResult<bool> {
        let removed = sqlx::query(delete).bind(user_id).bind(target_id).execute(&mut *self.tx).await.map_err(db_err)?;
        if removed.rows_affected() > 0 {
            return Ok(false);
        }
        sqlx::query(insert).bind(user_id).bind(target_id).execute(&mut *self.tx).await.map_err(db_err)?;
        Ok(true)
    }

    /// Row locks for the rest of the transaction on MariaDB; SQLite's write transaction
    /// already holds the whole database.
    fn for_update(&self) -> &'static str {
        match self.dialect {
            Dialect::Sqlite => "",
            Dialect::MariaDb => " FOR UPDATE",
        }
    }
}

#[async_trait]
impl ContentWrites for SqlUnitOfWork {
    async fn insert_post(&mut self, user_id: i64, category_id: i64, at: Timestamp) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO post (user_id, category_id, created_datetime, is_active) VALUES (?, ?, ?, 1) RETURNING id",
        )
        .bind(user_id)
        .bind(category_id)
        .bind(at.0)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    async fn insert_post_content(
        &mut self,
        post_id: i64,
        version: i64,
        title: &str,
        content: &str,
        at: Timestamp,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO post_content (version, created_datetime, title, content, post_id) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(version)
        .bind(at.0)
        .bind(title)
        .bind(content)
        .bind(post_id)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn post(&mut self, id: i64) -> StoreResult<Option<PostRecord>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT p.id, p.user_id, p.category_id, COALESCE(c.parent_id, c.id), p.is_active, \
               pc.version, pc.title, pc.content, \
               (SELECT COUNT(*) FROM comment k WHERE k.post_id = p.id AND k.is_active = 1) \
             FROM post p \
             JOIN category c ON c.id = p.category_id \
             JOIN post_content pc ON pc.post_id = p.id \
             WHERE p.id = ? ORDER BY pc.version DESC LIMIT 1{}",
            self.for_update()
        ));
        type Row = (i64, i64, i64, i64, i64, i64, String, String, i64);
        let row: Option<Row> = sqlx::query_as(sql).bind(id).fetch_optional(&mut *self.tx).await.map_err(db_err)?;
        Ok(row.map(|(id, user_id, category_id, board_id, active, version, title, content, active_comments)| {
            PostRecord {
                id,
                user_id,
                category_id,
                board_id,
                is_active: active != 0,
                version,
                title,
                content,
                active_comments,
            }
        }))
    }

    async fn set_post_active(&mut self, id: i64, active: bool) -> StoreResult<()> {
        self.set_active("UPDATE post SET is_active = ? WHERE id = ?", id, active).await
    }

    async fn toggle_post_vote(&mut self, user_id: i64, post_id: i64) -> StoreResult<bool> {
        self.toggle_vote(
            "DELETE FROM voter_post WHERE user_id = ? AND post_id = ?",
            "INSERT INTO voter_post (user_id, post_id) VALUES (?, ?)",
            user_id,
            post_id,
        )
        .await
    }

    async fn insert_comment(&mut self, user_id: i64, post_id: i64, at: Timestamp) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO comment (user_id, post_id, created_datetime, is_active) VALUES (?, ?, ?, 1) RETURNING id",
        )
        .bind(user_id)
        .bind(post_id)
        .bind(at.0)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    async fn insert_comment_content(
        &mut self,
        comment_id: i64,
        version: i64,
        content: &str,
        at: Timestamp,
    ) -> StoreResult<()> {
        sqlx::query("INSERT INTO comment_content (version, created_datetime, content, comment_id) VALUES (?, ?, ?, ?)")
            .bind(version)
            .bind(at.0)
            .bind(content)
            .bind(comment_id)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn comment(&mut self, id: i64) -> StoreResult<Option<CommentRecord>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT k.id, k.user_id, k.post_id, k.is_active, cc.version, cc.content \
             FROM comment k JOIN comment_content cc ON cc.comment_id = k.id \
             WHERE k.id = ? ORDER BY cc.version DESC LIMIT 1{}",
            self.for_update()
        ));
        let row: Option<(i64, i64, i64, i64, i64, String)> =
            sqlx::query_as(sql).bind(id).fetch_optional(&mut *self.tx).await.map_err(db_err)?;
        Ok(row.map(|(id, user_id, post_id, active, version, content)| CommentRecord {
            id,
            user_id,
            post_id,
            is_active: active != 0,
            version,
            content,
        }))
    }

    async fn set_comment_active(&mut self, id: i64, active: bool) -> StoreResult<()> {
        self.set_active("UPDATE comment SET is_active = ? WHERE id = ?", id, active).await
    }

    async fn toggle_comment_vote(&mut self, user_id: i64, comment_id: i64) -> StoreResult<bool> {
        self.toggle_vote(
            "DELETE FROM voter_comment WHERE user_id = ? AND comment_id = ?",
            "INSERT INTO voter_comment (user_id, comment_id) VALUES (?, ?)",
            user_id,
            comment_id,
        )
        .await
    }
}
