//! Notifications: written by the commands that cause them, inside their transaction (the
//! events do not say who acted, which "not of your own writes" and "a moderator's action"
//! need; and a mail sent at once must be in the same transaction as its cause). Read by the
//! member's list, the header's count, and the mail settings.

use super::notice_mail::{MailNotice, NoticeMailer};
use super::{App, CommandError, CommandResult, acting, keys::Key};
use crate::domain::notifications::{MailMode, Notice, NotificationKind, mentions};
use crate::domain::{CommentId, Event, NotificationId, PostId, Timestamp, UserId, fold_key};
use crate::ports::{NewNotification, NotificationRow, SessionUser, StoreResult, UnitOfWork};

/// Entries on one page of the list.
pub const NOTIFICATIONS_PER_PAGE: i64 = 20;

/// A page of the list, newest first; `older` is the keyset of the next page.
#[derive(Debug, Clone)]
pub struct NotificationPage {
    pub rows: Vec<NotificationRow>,
    pub older: Option<NotificationId>,
}

/// What a notification is about, as the command that causes it knows it.
pub(super) struct Cause<'a> {
    pub actor: &'a SessionUser,
    pub post_id: PostId,
    pub post_title: &'a str,
    pub comment_id: Option<CommentId>,
}

/// The members mentioned in a text, by the names they have now.
pub(super) async fn mentioned(tx: &mut Box<dyn UnitOfWork>, text: &str) -> StoreResult<Vec<UserId>> {
    members_named(tx, &mentions(text)).await
}

/// The members who have these names now; a name nobody has is no one.
pub(super) async fn members_named(tx: &mut Box<dyn UnitOfWork>, names: &[String]) -> StoreResult<Vec<UserId>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<String> = names.iter().map(|name| fold_key(name)).collect();
    tx.users_by_name_keys(&keys).await
}

impl App {
    /// Writes the notices in the command's transaction, mails those whose kind the member gets
    /// at once, and records the event that drops their cached counts.
    pub(super) async fn notify(
        &self,
        tx: &mut Box<dyn UnitOfWork>,
        cause: &Cause<'_>,
        notices: &[Notice],
    ) -> CommandResult<()> {
        if notices.is_empty() {
            return Ok(());
        }
        let at = Timestamp::now();
        for notice in notices {
            let new = NewNotification {
                recipient: notice.recipient,
                kind: notice.kind,
                actor: cause.actor.user_id,
                post_id: cause.post_id,
                comment_id: cause.comment_id,
                at,
            };
            let id = tx.insert_notification(&new).await?;
            if tx.mail_mode(notice.recipient, notice.kind).await? != Some(MailMode::Immediate) {
                continue;
            }
            // Only to an address shown to be theirs; else the notice stays in the forum.
            let Some(target) = tx.mail_target(notice.recipient).await? else { continue };
            let row = NotificationRow {
                id,
                kind: notice.kind,
                actor_name: Some(cause.actor.name.clone()),
                post_id: cause.post_id,
                post_title: cause.post_title.to_string(),
                comment_id: cause.comment_id,
                created: at,
                read: false,
            };
            let mailer = NoticeMailer::new(&self.notice_mail);
            if mailer.enqueue(tx, MailNotice::One(&row), notice.recipient, &target, at).await? {
                tx.mark_notification_mailed(id, at).await?;
            }
        }
        let mut user_ids: Vec<UserId> = notices.iter().map(|n| n.recipient).collect();
        user_ids.sort();
        user_ids.dedup();
        tx.record(&Event::NotificationsChanged { user_ids }).await?;
        Ok(())
    }

    /// The member's unread count, for the header: one indexed count, cached per member and
    /// dropped by [`Event::NotificationsChanged`].
    pub async fn unread_count(&self, user_id: UserId) -> StoreResult<i64> {
        let load = self.reads.unread_notifications(user_id);
        Ok(*self.cache.get_or_load(Key::unread(user_id), load).await?)
    }

    /// One page of the member's list (not cached: only they see it, and it changes as they read).
    pub async fn notifications(
        &self,
        user_id: UserId,
        before: Option<NotificationId>,
    ) -> StoreResult<NotificationPage> {
        let mut rows = self.reads.notifications_page(user_id, before, NOTIFICATIONS_PER_PAGE + 1).await?;
        let older = if rows.len() as i64 > NOTIFICATIONS_PER_PAGE {
            rows.truncate(NOTIFICATIONS_PER_PAGE as usize);
            rows.last().map(|row| row.id)
        } else {
            None
        };
        Ok(NotificationPage { rows, older })
    }

    /// Marks a notification read; where it points (the post, and the comment if any).
    pub async fn open_notification(
        &self,
        user: &SessionUser,
        id: NotificationId,
    ) -> CommandResult<(PostId, Option<CommentId>)> {
        let mut tx = self.store.begin().await?;
        let opened = tx.open_notification(user.user_id, id, Timestamp::now()).await?;
        let Some((post_id, comment_id, was_unread)) = opened else { return Err(CommandError::NotFound) };
        if was_unread {
            tx.record(&Event::NotificationsChanged { user_ids: vec![user.user_id] }).await?;
        }
        self.commit(tx).await?;
        Ok((post_id, comment_id))
    }

    /// Marks every notification of the member read.
    pub async fn read_all_notifications(&self, user: &SessionUser) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        if tx.read_all_notifications(user.user_id, Timestamp::now()).await? > 0 {
            tx.record(&Event::NotificationsChanged { user_ids: vec![user.user_id] }).await?;
        }
        self.commit(tx).await
    }

    /// Stops (or starts again) reply notifications of one thread for the member.
    pub async fn mute_thread(&self, user: &SessionUser, post_id: PostId, muted: bool) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        acting(&mut tx, user).await?;
        tx.post(post_id).await?.ok_or(CommandError::NotFound)?;
        tx.set_thread_muted(user.user_id, post_id, muted).await?;
        self.commit(tx).await
    }

    pub async fn mail_verified(&self, user_id: UserId) -> StoreResult<bool> {
        self.reads.mail_verified(user_id).await
    }

    pub async fn thread_muted(&self, user_id: UserId, post_id: PostId) -> StoreResult<bool> {
        self.reads.thread_muted(user_id, post_id).await
    }

    /// How each kind comes by mail for the member (None: only in the forum).
    pub async fn mail_modes(&self, user_id: UserId) -> StoreResult<Vec<(NotificationKind, Option<MailMode>)>> {
        let set = self.reads.mail_modes(user_id).await?;
        Ok(NotificationKind::ALL
            .into_iter()
            .map(|kind| (kind, set.iter().find(|(k, _)| *k == kind).map(|(_, mode)| *mode)))
            .collect())
    }

    pub async fn set_mail_modes(
        &self,
        user: &SessionUser,
        modes: &[(NotificationKind, Option<MailMode>)],
    ) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        acting(&mut tx, user).await?;
        for (kind, mode) in modes {
            tx.set_mail_mode(user.user_id, *kind, *mode).await?;
        }
        self.commit(tx).await
    }
}
