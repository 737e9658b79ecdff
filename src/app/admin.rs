//! Admin commands: blocking users, roles, the board/category tree.

use super::modlog::{ModNote, log_action};
use super::{App, CommandError, CommandResult, acting};
use crate::domain::FieldError;
use crate::domain::category::ParentError;
use crate::domain::category::tier_under;
use crate::domain::modlog::{ModerationKind, NewModerationAction};
use crate::domain::policy::{AdminWork, can_administer, can_block};
use crate::domain::user::parse_block_reason;
use crate::domain::{AccountState, CategoryName, Event, Field, FieldErrors, Role, Timestamp, fold_key};
use crate::domain::{CategoryId, UserId};
use crate::ports::SessionUser;

fn parse_category_name(name: &str) -> Result<CategoryName, FieldErrors> {
    CategoryName::parse(name).map_err(|error| FieldErrors::single(Field::Name, error))
}

impl App {
    /// Blocks a user with a reason they will be shown, for good or `until` a time (when it
    /// lifts by itself); ends all their sessions. Logged, the note private if asked.
    pub async fn block_user(
        &self,
        actor: &SessionUser,
        target_id: UserId,
        note: &ModNote<'_>,
        until: Option<Timestamp>,
    ) -> CommandResult<()> {
        let reason = parse_block_reason(note.reason).map_err(|error| FieldErrors::single(Field::Reason, error))?;
        let now = Timestamp::now();
        if until.is_some_and(|until| until <= now) {
            return Err(FieldErrors::single(Field::Until, FieldError::UntilPast).into());
        }
        let mut tx = self.store.begin().await?;
        let admin = acting(&mut tx, actor).await?;
        let target = tx.user(target_id).await?.ok_or(CommandError::NotFound)?;
        let name = target.name.clone().ok_or(CommandError::NotFound)?;
        can_block(admin.role, admin.user_id, target.role, target_id)?;
        tx.add_user_state(target_id, AccountState::Blocked, Some(&reason), until, now).await?;
        let ended = tx.end_logins_of_user(target_id, None, now).await?;
        tx.record(&Event::UserBlocked { user_id: target_id, name }).await?;
        let mut action = NewModerationAction::new(ModerationKind::UserBlocked, admin.user_id);
        (action.target_user_id, action.reason, action.until) = (Some(target_id), Some(reason), until);
        action.private = note.private;
        log_action(&mut tx, action).await?;
        self.commit_ending_logins(tx, ended).await?;
        tracing::info!(actor = actor.user_id.0, target_id = target_id.0, "user blocked");
        Ok(())
    }

    /// Lifts a block early (a reason is optional here: lifting harms no one).
    pub async fn unblock_user(&self, actor: &SessionUser, target_id: UserId, note: &ModNote<'_>) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        let admin = acting(&mut tx, actor).await?;
        let target = tx.user(target_id).await?.ok_or(CommandError::NotFound)?;
        let name = target.name.clone().ok_or(CommandError::NotFound)?;
        can_block(admin.role, admin.user_id, target.role, target_id)?;
        tx.add_user_state(target_id, AccountState::Active, None, None, Timestamp::now()).await?;
        tx.record(&Event::UserUnblocked { user_id: target_id, name }).await?;
        let mut action = NewModerationAction::new(ModerationKind::UserUnblocked, admin.user_id);
        action.target_user_id = Some(target_id);
        action.reason = Some(note.reason.trim().to_string()).filter(|reason| !reason.is_empty());
        action.private = note.private;
        log_action(&mut tx, action).await?;
        self.commit(tx).await?;
        tracing::info!(actor = actor.user_id.0, target_id = target_id.0, "user unblocked");
        Ok(())
    }

    /// Gives a user a role (the `forum grant-role` command: run by whoever runs the server).
    pub async fn grant_role(&self, name: &str, role: Role) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        let user = tx.user_by_login_key(&fold_key(name)).await?.ok_or(CommandError::NotFound)?;
        let name = user.name.clone().ok_or(CommandError::NotFound)?;
        tx.set_user_role(user.id, role).await?;
        tx.record(&Event::UserRoleChanged { user_id: user.id, name }).await?;
        self.commit(tx).await
    }

    /// Adds a board (no parent) or a category under a board.
    pub async fn add_category(
        &self,
        actor: &SessionUser,
        name: &str,
        parent_id: Option<CategoryId>,
    ) -> CommandResult<CategoryId> {
        let name = parse_category_name(name);
        let mut tx = self.store.begin().await?;
        can_administer(acting(&mut tx, actor).await?.role, AdminWork::Boards)?;
        let name = name?;
        let parent_error = |error| FieldErrors::single(Field::Parent, error);
        let parent_tier = match parent_id {
            Some(id) => Some(tx.category(id).await?.ok_or_else(|| parent_error(ParentError::Missing))?.tier),
            None => None,
        };
        let tier = tier_under(parent_tier).map_err(parent_error)?;
        let category_id = tx.insert_category(tier, name.as_str(), parent_id).await?;
        tx.record(&Event::CategoryAdded { category_id }).await?;
        self.commit(tx).await?;
        Ok(category_id)
    }

    pub async fn rename_category(&self, actor: &SessionUser, category_id: CategoryId, name: &str) -> CommandResult<()> {
        let name = parse_category_name(name);
        let mut tx = self.store.begin().await?;
        can_administer(acting(&mut tx, actor).await?.role, AdminWork::Boards)?;
        let name = name?;
        tx.category(category_id).await?.ok_or(CommandError::NotFound)?;
        tx.rename_category(category_id, name.as_str()).await?;
        tx.record(&Event::CategoryRenamed { category_id }).await?;
        self.commit(tx).await
    }
}
