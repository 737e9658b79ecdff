//! Who may do what. The command handlers ask these; the web layer only hides buttons.

use super::Role;

/// Boards, categories and blocking are the admin's.
pub fn can_administer(actor: Role) -> bool {
    actor == Role::Admin
}

/// An admin may block anyone but themselves and other admins (demote an admin first).
pub fn can_block(actor: Role, actor_id: i64, target: Role, target_id: i64) -> Result<(), &'static str> {
    if !can_administer(actor) {
        return Err("Only an admin can block or unblock users.");
    }
    if actor_id == target_id {
        return Err("You cannot block yourself.");
    }
    if target == Role::Admin {
        return Err("Admins cannot be blocked; change their role first.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_block_and_never_themselves_or_admins() {
        assert!(can_block(Role::Admin, 1, Role::Member, 2).is_ok());
        assert!(can_block(Role::Admin, 1, Role::Moderator, 2).is_ok());
        assert!(can_block(Role::Admin, 1, Role::Admin, 1).is_err());
        assert!(can_block(Role::Admin, 1, Role::Admin, 2).is_err());
        assert!(can_block(Role::Moderator, 1, Role::Member, 2).is_err());
        assert!(can_block(Role::Member, 1, Role::Member, 2).is_err());
    }
}

/// Who wrote a thing and who is acting on it.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
}

/// Only the author edits their post or comment; moderators remove, they do not rewrite.
pub fn can_edit(actor: Actor, author_id: i64) -> Result<(), &'static str> {
    if actor.user_id == author_id { Ok(()) } else { Err("Only the author can edit this.") }
}

/// The author may delete their post while no one has commented on it (the original rule);
/// moderators and admins may remove any post.
pub fn can_delete_post(actor: Actor, author_id: i64, active_comments: i64) -> Result<(), &'static str> {
    if actor.role.moderates() {
        return Ok(());
    }
    if actor.user_id != author_id {
        return Err("Only the author or a moderator can delete this post.");
    }
    if active_comments > 0 {
        return Err("A post with comments cannot be deleted by its author; ask a moderator.");
    }
    Ok(())
}

pub fn can_delete_comment(actor: Actor, author_id: i64) -> Result<(), &'static str> {
    if actor.role.moderates() || actor.user_id == author_id {
        Ok(())
    } else {
        Err("Only the author or a moderator can delete this comment.")
    }
}

pub fn can_restore(actor: Actor) -> Result<(), &'static str> {
    if actor.role.moderates() { Ok(()) } else { Err("Only a moderator can restore.") }
}

/// No votes on one's own posts and comments.
pub fn can_vote(actor: Actor, author_id: i64) -> Result<(), &'static str> {
    if actor.user_id == author_id { Err("You cannot vote on your own writing.") } else { Ok(()) }
}

#[cfg(test)]
mod content_tests {
    use super::*;

    const AUTHOR: Actor = Actor { user_id: 1, role: Role::Member };
    const OTHER: Actor = Actor { user_id: 2, role: Role::Member };
    const MODERATOR: Actor = Actor { user_id: 3, role: Role::Moderator };

    #[test]
    fn only_authors_edit() {
        assert!(can_edit(AUTHOR, 1).is_ok());
        assert!(can_edit(OTHER, 1).is_err());
        assert!(can_edit(MODERATOR, 1).is_err());
    }

    #[test]
    fn authors_delete_only_uncommented_posts_moderators_always() {
        assert!(can_delete_post(AUTHOR, 1, 0).is_ok());
        assert!(can_delete_post(AUTHOR, 1, 1).is_err());
        assert!(can_delete_post(OTHER, 1, 0).is_err());
        assert!(can_delete_post(MODERATOR, 1, 5).is_ok());
    }

    #[test]
    fn comments_are_removed_by_author_or_moderator() {
        assert!(can_delete_comment(AUTHOR, 1).is_ok());
        assert!(can_delete_comment(OTHER, 1).is_err());
        assert!(can_delete_comment(MODERATOR, 1).is_ok());
        assert!(can_restore(AUTHOR).is_err());
        assert!(can_restore(MODERATOR).is_ok());
    }

    #[test]
    fn no_votes_on_ones_own_writing() {
        assert!(can_vote(AUTHOR, 1).is_err());
        assert!(can_vote(OTHER, 1).is_ok());
    }
}
