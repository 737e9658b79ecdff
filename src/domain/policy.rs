//! Who may do what, and who may see what. The command handlers and the queries ask these;
//! the web layer only hides buttons.

use super::{CategoryId, Role, UserId};

/// Why an action is refused. The web layer words it for the person refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Only an admin does this.
    NotAdmin(AdminWork),
    BlockingYourself,
    /// An admin is demoted before being blocked.
    BlockingAnAdmin,
    /// Only the author edits.
    NotAuthor,
    /// Only the author or a moderator deletes it.
    NotAuthorOrModerator(Writing),
    /// Its author cannot delete a post others have commented on; a moderator can.
    PostHasComments,
    /// Only a moderator of the item's board restores.
    NotModerator,
    /// Only a board (tier 1) has moderators of its own.
    NotABoard,
    /// No votes on one's own writing.
    OwnWriting,
    /// No reports of one's own writing (delete or edit it instead).
    OwnReport,
    /// The acting account is blocked or gone since its session began.
    AccountInactive,
    /// The thread is locked: no new comments or edits but by its board's moderators.
    ThreadLocked,
    /// Only the moderators of a thread's board lock, pin or move it.
    NotThreadModerator,
    /// A board moderator moves posts only into boards they moderate too.
    NotModeratorOfDestination,
}

/// What the admin's role covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminWork {
    Blocking,
    Boards,
    /// The admin pages themselves.
    Pages,
    /// Who may sign up: the registration mode and invite codes.
    Registration,
    /// Who moderates which board.
    Moderators,
    /// The failed mails, and whether posting needs a verified address.
    Mail,
}

/// The two kinds of writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writing {
    Post,
    Comment,
}

/// Boards, categories, blocking and the admin pages are the admin's.
pub fn can_administer(actor: Role, work: AdminWork) -> Result<(), Refusal> {
    if actor == Role::Admin { Ok(()) } else { Err(Refusal::NotAdmin(work)) }
}

/// An admin may block anyone but themselves and other admins (demote an admin first).
pub fn can_block(actor: Role, actor_id: UserId, target: Role, target_id: UserId) -> Result<(), Refusal> {
    can_administer(actor, AdminWork::Blocking)?;
    if actor_id == target_id {
        return Err(Refusal::BlockingYourself);
    }
    if target == Role::Admin {
        return Err(Refusal::BlockingAnAdmin);
    }
    Ok(())
}

/// Who wrote a thing and who is acting on it.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub user_id: UserId,
    pub role: Role,
}

impl Actor {
    /// Whether this actor moderates `board`: admins and global moderators every board, a
    /// board moderator the boards listed for them (`listed`), their categories included
    /// (the caller passes an item's tier-1 board).
    pub fn moderates(self, board: CategoryId, listed: &[CategoryId]) -> bool {
        self.role.moderates() || listed.contains(&board)
    }

    /// This actor as they stand on `board`.
    pub fn on_board(self, board: CategoryId, listed: &[CategoryId]) -> OnBoard {
        OnBoard { actor: self, moderates: self.moderates(board, listed) }
    }
}

/// An actor on the board of the item they act on: what moderation allows depends on it.
#[derive(Debug, Clone, Copy)]
pub struct OnBoard {
    pub actor: Actor,
    pub moderates: bool,
}

/// Whether a viewer (None: logged out) may see a post or comment: a deleted one is seen only
/// by those who may bring it back, everything else by everyone.
pub fn can_see(viewer: Option<OnBoard>, is_active: bool) -> bool {
    is_active || viewer.is_some_and(|on| can_restore(on).is_ok())
}

/// Only the author edits their post or comment; moderators remove, they do not rewrite.
pub fn can_edit(actor: Actor, author_id: UserId) -> Result<(), Refusal> {
    if actor.user_id == author_id { Ok(()) } else { Err(Refusal::NotAuthor) }
}

/// The author may delete their post while no one has commented on it, so a discussion others
/// joined is not pulled from under them; the board's moderators and admins may remove any post.
pub fn can_delete_post(on: OnBoard, author_id: UserId, active_comments: i64) -> Result<(), Refusal> {
    if on.moderates {
        return Ok(());
    }
    if on.actor.user_id != author_id {
        return Err(Refusal::NotAuthorOrModerator(Writing::Post));
    }
    if active_comments > 0 {
        return Err(Refusal::PostHasComments);
    }
    Ok(())
}

pub fn can_delete_comment(on: OnBoard, author_id: UserId) -> Result<(), Refusal> {
    if on.moderates || on.actor.user_id == author_id {
        Ok(())
    } else {
        Err(Refusal::NotAuthorOrModerator(Writing::Comment))
    }
}

pub fn can_restore(on: OnBoard) -> Result<(), Refusal> {
    if on.moderates { Ok(()) } else { Err(Refusal::NotModerator) }
}

/// Admins name the board moderators, and only of boards (a category has its board's).
pub fn can_appoint_moderator(actor: Role, board_tier: i64) -> Result<(), Refusal> {
    can_administer(actor, AdminWork::Moderators)?;
    if board_tier == 1 { Ok(()) } else { Err(Refusal::NotABoard) }
}

/// Locking, unlocking, pinning and unpinning a thread: the moderators of its board.
pub fn can_moderate_thread(on: OnBoard) -> Result<(), Refusal> {
    if on.moderates { Ok(()) } else { Err(Refusal::NotThreadModerator) }
}

/// Moving a post: a moderator of the board it leaves and of the board it goes to (admins and
/// global moderators moderate both; a board moderator only between their own boards).
pub fn can_move(on_source: OnBoard, moderates_destination: bool) -> Result<(), Refusal> {
    can_moderate_thread(on_source)?;
    if moderates_destination { Ok(()) } else { Err(Refusal::NotModeratorOfDestination) }
}

/// A locked thread takes no new comments, except from the moderators of its board: as in
/// phpBB, they can still say in the thread why it was locked or what happens next.
pub fn can_comment(on: OnBoard, locked: bool) -> Result<(), Refusal> {
    if locked && !on.moderates { Err(Refusal::ThreadLocked) } else { Ok(()) }
}

/// Only the author edits (see [`can_edit`]), and in a locked thread only an author who
/// moderates its board: a lock freezes what the thread says.
pub fn can_edit_in(on: OnBoard, author_id: UserId, locked: bool) -> Result<(), Refusal> {
    can_edit(on.actor, author_id)?;
    can_comment(on, locked)
}

/// No votes on one's own posts and comments.
pub fn can_vote(actor: Actor, author_id: UserId) -> Result<(), Refusal> {
    if actor.user_id == author_id { Err(Refusal::OwnWriting) } else { Ok(()) }
}

/// A member reports others' writing only: their own they can edit or delete.
pub fn can_report(actor: Actor, author_id: UserId) -> Result<(), Refusal> {
    if actor.user_id == author_id { Err(Refusal::OwnReport) } else { Ok(()) }
}

/// Reports of an item are seen and handled by those who moderate its board.
pub fn can_handle_reports(on: OnBoard) -> Result<(), Refusal> {
    if on.moderates { Ok(()) } else { Err(Refusal::NotModerator) }
}

/// The report queue is open to whoever moderates some board: all of them (`None`) for admins
/// and global moderators, the listed ones for a board moderator, and to no one else.
pub fn report_queue_boards(actor: Actor, listed: &[CategoryId]) -> Result<Option<Vec<CategoryId>>, Refusal> {
    if actor.role.moderates() {
        Ok(None)
    } else if listed.is_empty() {
        Err(Refusal::NotModerator)
    } else {
        Ok(Some(listed.to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUTHOR: Actor = Actor { user_id: UserId(1), role: Role::Member };
    const OTHER: Actor = Actor { user_id: UserId(2), role: Role::Member };
    const MODERATOR: Actor = Actor { user_id: UserId(3), role: Role::Moderator };
    const BOARD: CategoryId = CategoryId(10);

    /// The actor on BOARD, moderating no board of their own.
    fn on(actor: Actor) -> OnBoard {
        actor.on_board(BOARD, &[])
    }

    #[test]
    fn only_admins_block_and_never_themselves_or_admins() {
        assert!(can_block(Role::Admin, UserId(1), Role::Member, UserId(2)).is_ok());
        assert!(can_block(Role::Admin, UserId(1), Role::Moderator, UserId(2)).is_ok());
        assert!(can_block(Role::Admin, UserId(1), Role::Admin, UserId(1)).is_err());
        assert!(can_block(Role::Admin, UserId(1), Role::Admin, UserId(2)).is_err());
        assert!(can_block(Role::Moderator, UserId(1), Role::Member, UserId(2)).is_err());
        assert!(can_block(Role::Member, UserId(1), Role::Member, UserId(2)).is_err());
    }

    #[test]
    fn deleted_writing_is_seen_only_by_moderators() {
        assert!(can_see(None, true));
        assert!(can_see(Some(on(AUTHOR)), true));
        assert!(!can_see(None, false));
        assert!(!can_see(Some(on(AUTHOR)), false), "not even by its author");
        assert!(can_see(Some(on(MODERATOR)), false));
        assert!(can_see(Some(on(Actor { user_id: UserId(4), role: Role::Admin })), false));
    }

    #[test]
    fn only_authors_edit() {
        assert!(can_edit(AUTHOR, UserId(1)).is_ok());
        assert!(can_edit(OTHER, UserId(1)).is_err());
        assert!(can_edit(MODERATOR, UserId(1)).is_err());
    }

    #[test]
    fn authors_delete_only_uncommented_posts_moderators_always() {
        assert!(can_delete_post(on(AUTHOR), UserId(1), 0).is_ok());
        assert_eq!(can_delete_post(on(AUTHOR), UserId(1), 1), Err(Refusal::PostHasComments));
        assert!(can_delete_post(on(OTHER), UserId(1), 0).is_err());
        assert!(can_delete_post(on(MODERATOR), UserId(1), 5).is_ok());
    }

    #[test]
    fn comments_are_removed_by_author_or_moderator() {
        assert!(can_delete_comment(on(AUTHOR), UserId(1)).is_ok());
        assert!(can_delete_comment(on(OTHER), UserId(1)).is_err());
        assert!(can_delete_comment(on(MODERATOR), UserId(1)).is_ok());
        assert!(can_restore(on(AUTHOR)).is_err());
        assert!(can_restore(on(MODERATOR)).is_ok());
    }

    #[test]
    fn a_board_moderator_moderates_only_the_boards_listed_for_them() {
        let admin = Actor { user_id: UserId(4), role: Role::Admin };
        let listed = [CategoryId(10), CategoryId(12)];
        assert!(OTHER.moderates(BOARD, &listed));
        assert!(OTHER.moderates(CategoryId(12), &listed));
        assert!(!OTHER.moderates(CategoryId(11), &listed), "another board");
        assert!(!OTHER.moderates(BOARD, &[]), "a member");
        assert!(MODERATOR.moderates(CategoryId(11), &[]), "a global moderator everywhere");
        assert!(admin.moderates(CategoryId(11), &[]));
        let board_moderator = OTHER.on_board(BOARD, &listed);
        assert!(can_delete_post(board_moderator, UserId(1), 3).is_ok());
        assert!(can_restore(board_moderator).is_ok());
        assert!(can_restore(OTHER.on_board(CategoryId(11), &listed)).is_err());
    }

    #[test]
    fn only_admins_appoint_and_only_to_boards() {
        assert!(can_appoint_moderator(Role::Admin, 1).is_ok());
        assert_eq!(can_appoint_moderator(Role::Admin, 2), Err(Refusal::NotABoard));
        assert!(can_appoint_moderator(Role::Moderator, 1).is_err());
        assert!(can_appoint_moderator(Role::Member, 1).is_err());
    }

    #[test]
    fn threads_are_locked_pinned_and_moved_by_their_boards_moderators() {
        let listed = [BOARD];
        let board_moderator = OTHER.on_board(BOARD, &listed);
        assert!(can_moderate_thread(board_moderator).is_ok());
        assert!(can_moderate_thread(on(MODERATOR)).is_ok());
        assert_eq!(can_moderate_thread(on(AUTHOR)), Err(Refusal::NotThreadModerator), "not even its author");
        assert!(can_moderate_thread(OTHER.on_board(CategoryId(11), &listed)).is_err(), "another board");
        assert!(can_move(board_moderator, OTHER.moderates(BOARD, &listed)).is_ok(), "within their board");
        assert_eq!(
            can_move(board_moderator, OTHER.moderates(CategoryId(11), &listed)),
            Err(Refusal::NotModeratorOfDestination)
        );
        assert!(can_move(on(MODERATOR), MODERATOR.moderates(CategoryId(11), &[])).is_ok());
        assert!(can_move(on(AUTHOR), true).is_err());
    }

    #[test]
    fn a_locked_thread_takes_comments_and_edits_only_from_its_moderators() {
        let board_moderator = OTHER.on_board(BOARD, &[BOARD]);
        assert!(can_comment(on(AUTHOR), false).is_ok());
        assert_eq!(can_comment(on(AUTHOR), true), Err(Refusal::ThreadLocked));
        assert!(can_comment(board_moderator, true).is_ok());
        assert!(can_comment(on(MODERATOR), true).is_ok());
        assert!(can_edit_in(on(AUTHOR), UserId(1), false).is_ok());
        assert_eq!(can_edit_in(on(AUTHOR), UserId(1), true), Err(Refusal::ThreadLocked));
        assert_eq!(can_edit_in(on(MODERATOR), UserId(1), true), Err(Refusal::NotAuthor), "moderators do not rewrite");
        assert!(can_edit_in(on(MODERATOR), UserId(3), true).is_ok(), "their own words, even when locked");
    }

    #[test]
    fn reports_go_to_the_items_board_moderators() {
        assert_eq!(can_report(AUTHOR, UserId(1)), Err(Refusal::OwnReport));
        assert!(can_report(OTHER, UserId(1)).is_ok());
        let listed = [BOARD];
        assert!(can_handle_reports(OTHER.on_board(BOARD, &listed)).is_ok());
        assert!(can_handle_reports(OTHER.on_board(CategoryId(11), &listed)).is_err(), "another board");
        assert!(can_handle_reports(on(MODERATOR)).is_ok());
        assert!(can_handle_reports(on(AUTHOR)).is_err());
        assert_eq!(report_queue_boards(OTHER, &listed), Ok(Some(vec![BOARD])));
        assert_eq!(report_queue_boards(MODERATOR, &[]), Ok(None));
        assert_eq!(report_queue_boards(AUTHOR, &[]), Err(Refusal::NotModerator));
    }

    #[test]
    fn no_votes_on_ones_own_writing() {
        assert!(can_vote(AUTHOR, UserId(1)).is_err());
        assert!(can_vote(OTHER, UserId(1)).is_ok());
    }
}
