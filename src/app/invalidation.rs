//! Which cache entries an event makes stale: exactly those, and no others.

use super::{App, keys};
use crate::domain::{CommentId, PostId, UserId};
use crate::domain::{Event, fold_key};
use crate::ports::StoreResult;

/// Comments shown on one page of a post.
pub const COMMENTS_PER_PAGE: i64 = 50;

impl App {
    /// After events were applied to the read model: drop what they made stale.
    pub(super) async fn invalidate(&self, events: &[Event]) {
        let stale = self.stale_names(events).await;
        self.forget(stale).await;
    }

    /// The names the events make stale, each once.
    async fn stale_names(&self, events: &[Event]) -> Vec<String> {
        let mut stale = Vec::new();
        for event in events {
            if let Err(error) = self.stale_keys(event, &mut stale).await {
                // Without the key list, drop what can be named; the TTL bounds the rest.
                tracing::error!(%error, ?event, "finding the cache entries to drop failed");
            }
        }
        stale.sort();
        stale.dedup();
        stale
    }

    /// Drops the local entries made stale by events recorded after `seen` by anyone, and moves
    /// `seen` on. Only needed when values are kept in this process: a process without the
    /// invalidation messages (`forum grant-role` on the embedded forum) cannot reach them, and
    /// with the messages this bounds how long a message that was lost unnoticed (its publish
    /// failed) leaves an entry stale. The author dropped the shared level already.
    pub async fn invalidate_recorded_since(&self, seen: &mut i64) {
        if !self.cache.has_local_level() {
            return;
        }
        loop {
            let batch = match self.projector.events_after(*seen, 500).await {
                Ok(batch) => batch,
                Err(error) => {
                    tracing::warn!(%error, "reading recent events failed");
                    return;
                }
            };
            let Some(&(last, _)) = batch.last() else { return };
            let events: Vec<Event> = batch.into_iter().map(|(_, event)| event).collect();
            self.cache.forget_here(&self.stale_names(&events).await);
            *seen = last;
        }
    }

    async fn stale_keys(&self, event: &Event, stale: &mut Vec<String>) -> StoreResult<()> {
        if let Some(post) = event.post() {
            stale.push(keys::post(post.post_id));
            stale.push(keys::NEWEST_POSTS.to_string());
            stale.push(keys::board_list(post.board_id));
            stale.push(keys::category_list(post.category_id));
            stale.push(keys::author_list(post.author_id));
        }
        if let Some(comment) = event.comment() {
            let page = self.comment_page(comment.post.post_id, comment.comment_id).await?;
            stale.push(keys::comments(comment.post.post_id, page));
            // The feed shows the comments' texts and authors, not their votes.
            if !matches!(event, Event::CommentVoteCast { .. } | Event::CommentVoteWithdrawn { .. }) {
                stale.push(keys::newest_comments(comment.post.post_id));
            }
            // A comment starting a new page gives the page before it a "next" link.
            if matches!(event, Event::CommentAdded { .. }) && page > 1 {
                stale.push(keys::comments(comment.post.post_id, page - 1));
            }
        }
        if let Some(author) = event.counted_author() {
            stale.push(keys::profile(author));
        }
        if let Some(user_id) = event.user_id() {
            stale.push(keys::profile(user_id));
            stale.extend(event.user_names().into_iter().map(|name| keys::user_by_name(&fold_key(name))));
        }
        match event {
            Event::PostCreated { .. } => stale.push(keys::CATEGORY_TREE.to_string()),
            // The log names posts by the title they have now, and not while they are removed.
            Event::PostDeleted { .. } | Event::PostRestored { .. } => {
                stale.push(keys::CATEGORY_TREE.to_string());
                stale.push(keys::MODLOG.to_string());
            }
            Event::PostEdited { .. } => stale.push(keys::MODLOG.to_string()),
            // The lists it left (those it is on now were dropped above) and the tree's counts.
            Event::PostMoved { from_category_id, from_board_id, .. } => {
                stale.push(keys::board_list(*from_board_id));
                stale.push(keys::category_list(*from_category_id));
                stale.push(keys::CATEGORY_TREE.to_string());
            }
            Event::CategoryAdded { .. } | Event::CategoryRenamed { .. } | Event::ForumSeeded { .. } => {
                stale.push(keys::CATEGORY_TREE.to_string());
                // The log shows board names.
                if matches!(event, Event::CategoryRenamed { .. }) {
                    stale.push(keys::MODLOG.to_string());
                }
                self.all_lists(stale).await?;
            }
            Event::UserRenamed { user_id, .. } | Event::UserResigned { user_id, .. } => {
                // The name shows on every post, comment and list row of the author.
                self.author_pages(*user_id, stale).await?;
                self.all_lists(stale).await?;
                stale.push(keys::author_list(*user_id));
                // The log shows moderators' and blocked users' names.
                stale.push(keys::MODLOG.to_string());
                self.open_sessions(*user_id, stale).await?;
            }
            Event::UserRoleChanged { user_id, .. } => self.open_sessions(*user_id, stale).await?,
            Event::NotificationsChanged { user_ids } => stale.extend(user_ids.iter().map(|id| keys::unread(*id))),
            // The queue and the report pages are read uncached; a removal records the item's
            // own PostDeleted or CommentDeleted, which drops what it shows.
            Event::ReportFiled { .. } | Event::ReportsResolved { .. } => {}
            // A new entry of the moderation log.
            Event::ModeratorActed { .. } => stale.push(keys::MODLOG.to_string()),
            _ => {}
        }
        Ok(())
    }

    /// The page (from 1) on which a comment of a post is shown.
    pub async fn comment_page(&self, post_id: PostId, comment_id: CommentId) -> StoreResult<i64> {
        Ok(self.reads.comment_position(post_id, comment_id).await? / COMMENTS_PER_PAGE + 1)
    }

    async fn all_lists(&self, stale: &mut Vec<String>) -> StoreResult<()> {
        stale.push(keys::NEWEST_POSTS.to_string());
        for row in self.reads.category_tree().await? {
            stale.push(keys::board_list(row.id));
            stale.push(keys::category_list(row.id));
        }
        Ok(())
    }

    async fn author_pages(&self, user_id: UserId, stale: &mut Vec<String>) -> StoreResult<()> {
        let (posts, comments) = self.reads.author_footprint(user_id).await?;
        stale.extend(posts.into_iter().map(keys::post));
        for (post_id, position) in comments {
            stale.push(keys::comments(post_id, position / COMMENTS_PER_PAGE + 1));
            stale.push(keys::newest_comments(post_id));
        }
        Ok(())
    }

    /// The name and role ride in every open session of the user.
    async fn open_sessions(&self, user_id: UserId, stale: &mut Vec<String>) -> StoreResult<()> {
        stale.extend(self.reads.open_logins_of(user_id).await?.into_iter().map(keys::login));
        Ok(())
    }
}
