//! Who may do what. The command handlers ask these; the web layer only hides buttons.

use super::Role;

/// Boards, categories and blocking are the admin's.
pub fn can_administer(actor: Role) -> bool {
    actor == Role::Admin
}

/// An admin may block anyone but themselves and other admins (demote an admin first).
pub fn can_block(
    actor: Role,
    actor_id: i64,
    target: Role,
    target_id: i64,
) -> Result<(), &'static str> {
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
