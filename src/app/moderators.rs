//! Board moderators: an admin lists a user as moderator of a board (its categories included);
//! the content commands and the pages ask where an actor moderates.

use super::modlog::log_action;
use super::{App, CommandError, CommandResult, acting};
use crate::domain::modlog::{ModerationKind, NewModerationAction};
use crate::domain::policy::{Actor, AdminWork, OnBoard, can_administer, can_appoint_moderator};
use crate::domain::{CategoryId, Event, Field, FieldError, FieldErrors, Timestamp, UserId, fold_key};
use crate::ports::{BoardModeratorRow, SessionUser, StoreResult};

impl App {
    /// Lists the user named `name` as a moderator of `board_id`; no change if they are already.
    pub async fn add_board_moderator(
        &self,
        admin: &SessionUser,
        name: &str,
        board_id: Option<CategoryId>,
    ) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, admin).await?;
        can_administer(actor.role, AdminWork::Moderators)?;
        let user = match name.trim() {
            "" => None,
            name => tx.user_by_login_key(&fold_key(name)).await?.filter(|user| user.name.is_some()),
        };
        let board = match board_id {
            Some(id) => tx.category(id).await?,
            None => None,
        };
        let mut errors = FieldErrors::new();
        if user.is_none() {
            errors.add(Field::Name, FieldError::NoSuchUser);
        }
        if board.is_none() {
            errors.add(Field::Category, FieldError::NoCategory);
        }
        let (Some(user), Some(board)) = (user, board) else { return Err(errors.into()) };
        can_appoint_moderator(actor.role, board.tier)?;
        if tx.add_board_moderator(user.id, board.id, Timestamp::now()).await? {
            tx.record(&Event::BoardModeratorAdded { user_id: user.id, board_id: board.id }).await?;
            let mut action = NewModerationAction::new(ModerationKind::ModeratorAppointed, actor.user_id);
            (action.board_id, action.target_user_id) = (Some(board.id), Some(user.id));
            log_action(&mut tx, action).await?;
        }
        self.commit(tx).await?;
        tracing::info!(actor = admin.user_id.0, user_id = user.id.0, board_id = board.id.0, "board moderator added");
        Ok(())
    }

    /// Takes a user off a board's moderators.
    pub async fn remove_board_moderator(
        &self,
        admin: &SessionUser,
        user_id: UserId,
        board_id: CategoryId,
    ) -> CommandResult<()> {
        let mut tx = self.store.begin().await?;
        let actor = acting(&mut tx, admin).await?;
        can_administer(actor.role, AdminWork::Moderators)?;
        if !tx.remove_board_moderator(user_id, board_id).await? {
            return Err(CommandError::NotFound);
        }
        tx.record(&Event::BoardModeratorRemoved { user_id, board_id }).await?;
        let mut action = NewModerationAction::new(ModerationKind::ModeratorDismissed, actor.user_id);
        (action.board_id, action.target_user_id) = (Some(board_id), Some(user_id));
        log_action(&mut tx, action).await?;
        self.commit(tx).await?;
        tracing::info!(actor = admin.user_id.0, user_id = user_id.0, board_id = board_id.0, "board moderator removed");
        Ok(())
    }

    /// Every board moderator, for the admin page.
    pub async fn board_moderators(&self, admin: Actor) -> CommandResult<Vec<BoardModeratorRow>> {
        can_administer(admin.role, AdminWork::Moderators)?;
        Ok(self.reads.board_moderators().await?)
    }

    /// A viewer (None: logged out) as they stand on `board`, from the read model: the boards
    /// listed for them are read only when their role does not already cover every board.
    pub(super) async fn viewer_on_board(
        &self,
        viewer: Option<Actor>,
        board: CategoryId,
    ) -> StoreResult<Option<OnBoard>> {
        let Some(actor) = viewer else { return Ok(None) };
        let listed =
            if actor.role.moderates() { Vec::new() } else { self.reads.moderated_boards(actor.user_id).await? };
        Ok(Some(actor.on_board(board, &listed)))
    }
}
