//! The ports for the guards against double submits and sign-up spam: one-time form keys,
//! the daily sign-up count per address, invite codes, and what a new account has written.

use super::StoreResult;
use crate::domain::guards::{FormKey, KeyedForm};
use crate::domain::policy::Writing;
use crate::domain::{Timestamp, UserId};
use async_trait::async_trait;

/// What claiming a one-time key found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyClaim {
    /// The key is this transaction's now; it creates, then [`GuardWrites::finish_form_key`].
    Fresh,
    /// An earlier submission of the key created this (a post or comment id by the form's kind).
    Used(i64),
}

/// Why an invite code could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteUse {
    Used,
    /// No such code, or it is used or revoked.
    Unusable,
}

/// Writes of the guards, inside the command's unit of work.
#[async_trait]
pub trait GuardWrites: Send {
    /// Claims `key` for `form`, or finds what its first submission created. A submission of
    /// the same key at the same moment (on any instance) waits for the first transaction and
    /// then finds its result.
    async fn claim_form_key(
        &mut self,
        user_id: UserId,
        form: KeyedForm,
        key: &FormKey,
        at: Timestamp,
    ) -> StoreResult<KeyClaim>;
    /// Records what the claimed key created.
    async fn finish_form_key(
        &mut self,
        user_id: UserId,
        form: KeyedForm,
        key: &FormKey,
        created_id: i64,
    ) -> StoreResult<()>;

    /// Counts one more sign-up from the address on `day` (days since the epoch, UTC) unless it
    /// already has `max`; true when counted (when not, the transaction must not commit).
    async fn count_signup(&mut self, address_key: &str, day: i64, max: i64) -> StoreResult<bool>;

    /// Marks an unused, unrevoked invite code as used by `user_id`.
    async fn use_invite(&mut self, code: &str, user_id: UserId, at: Timestamp) -> StoreResult<InviteUse>;
    async fn insert_invite(&mut self, code: &str, created_by: UserId, at: Timestamp) -> StoreResult<()>;
    /// Revokes an unused invite; false when there is no such unused code.
    async fn revoke_invite(&mut self, code: &str, at: Timestamp) -> StoreResult<bool>;

    /// When the account was made.
    async fn account_joined(&mut self, user_id: UserId) -> StoreResult<Option<Timestamp>>;
    /// How many posts or comments the user has written since `since` (removed ones too).
    async fn written_since(&mut self, user_id: UserId, writing: Writing, since: Timestamp) -> StoreResult<i64>;
}

/// An invite code as the admin page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteRow {
    pub code: String,
    pub created: Timestamp,
    /// Who used it (None once they resigned, or while unused) and when.
    pub used_by: Option<String>,
    pub used: Option<Timestamp>,
    pub revoked: Option<Timestamp>,
}
