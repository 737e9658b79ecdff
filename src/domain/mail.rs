//! Rules about the mails the forum sends about an account: which address may get which mail,
//! and when an unverified member may write.

use super::Timestamp;

/// An address that is not (yet) shown to be the user's is used for nothing but its own
/// verification: a password reset link to it would hand the account to whoever typed it.
pub fn may_get_reset_mail(active: bool, verified: Option<Timestamp>) -> bool {
    active && verified.is_some()
}

/// A member may post and comment unless the forum requires a verified address and theirs is not.
pub fn may_write(verification_required: bool, verified: Option<Timestamp>) -> bool {
    !verification_required || verified.is_some()
}

/// The old address hears of a change only if it was shown to be the user's: an address never
/// verified may be someone else's, who should not get mail about this account.
pub fn notify_old_address(verified: Option<Timestamp>) -> bool {
    verified.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_verified_address_of_an_active_account_gets_a_reset_link() {
        assert!(may_get_reset_mail(true, Some(Timestamp(1))));
        assert!(!may_get_reset_mail(true, None));
        assert!(!may_get_reset_mail(false, Some(Timestamp(1))));
    }

    #[test]
    fn writing_needs_a_verified_address_only_when_the_forum_says_so() {
        assert!(may_write(false, None));
        assert!(may_write(true, Some(Timestamp(1))));
        assert!(!may_write(true, None));
        assert!(notify_old_address(Some(Timestamp(1))));
        assert!(!notify_old_address(None));
    }
}
