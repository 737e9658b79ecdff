//! Writes of a thread's moderation: the post's current state and the log of actions.

use super::{SqlUnitOfWork, run};
use crate::domain::{CategoryId, PostId, Timestamp};
use crate::ports::{NewThreadAction, StoreResult, ThreadWrites};
use async_trait::async_trait;

#[async_trait]
impl ThreadWrites for SqlUnitOfWork {
    async fn set_post_locked(&mut self, id: PostId, reason: Option<&str>) -> StoreResult<()> {
        let update = sqlx::query("UPDATE post SET is_locked = ?, lock_reason = ? WHERE id = ?");
        run(&mut self.tx, update.bind(i64::from(reason.is_some())).bind(reason).bind(id)).await?;
        Ok(())
    }

    async fn set_post_pinned(&mut self, id: PostId, at: Option<Timestamp>) -> StoreResult<()> {
        let update = sqlx::query("UPDATE post SET pinned_datetime = ? WHERE id = ?");
        run(&mut self.tx, update.bind(at.map(|at| at.0)).bind(id)).await?;
        Ok(())
    }

    async fn set_post_category(&mut self, id: PostId, category_id: CategoryId) -> StoreResult<()> {
        let update = sqlx::query("UPDATE post SET category_id = ? WHERE id = ?");
        run(&mut self.tx, update.bind(category_id).bind(id)).await?;
        Ok(())
    }

    async fn record_thread_action(&mut self, action: &NewThreadAction<'_>) -> StoreResult<()> {
        let insert = sqlx::query(
            "INSERT INTO thread_action (post_id, user_id, action, reason, from_category_id, to_category_id, \
             created_datetime) VALUES (?, ?, ?, ?, ?, ?, ?)",
        );
        let (from, to) = action.moved.unzip();
        let insert = insert
            .bind(action.post_id)
            .bind(action.moderator)
            .bind(action.action.as_str())
            .bind(action.reason)
            .bind(from)
            .bind(to)
            .bind(action.at.0);
        run(&mut self.tx, insert).await?;
        Ok(())
    }
}
