//! Unique-index violations as typed conflicts.
//!
//! sqlx's `DatabaseError::constraint()` names the violated constraint for Postgres only; for
//! SQLite and MariaDB it is empty, so the name is taken from the message each database writes.
//! SQLite names the column ("UNIQUE constraint failed: user.name_key"), MariaDB the index
//! ("Duplicate entry 'x' for key 'name_key'"); a column declared `UNIQUE` on its own gets an
//! index of its own name, so for such a column both name the same thing.

use super::db_err;
use crate::ports::{StoreError, StoreResult, UniqueField};

/// The unique columns of `user` a person can fix by choosing another value.
pub(super) const USER_KEYS: &[(&str, UniqueField)] = &[
    ("name_key", UniqueField::UserName),
    ("name_skeleton", UniqueField::UserNameLookalike),
    ("email_key", UniqueField::Email),
];

/// Turns the violation of one of `keys` (a unique column or index, and the field it
/// guards) into [`StoreError::Conflict`]; any other error stays what it was.
pub(super) trait OnUnique<T> {
    fn on_unique(self, keys: &[(&str, UniqueField)]) -> StoreResult<T>;
}

impl<T> OnUnique<T> for Result<T, sqlx::Error> {
    fn on_unique(self, keys: &[(&str, UniqueField)]) -> StoreResult<T> {
        self.map_err(|error| match violated_key(&error).and_then(|key| field_of(keys, key)) {
            Some(field) => StoreError::Conflict(field),
            None => db_err(error),
        })
    }
}

fn field_of(keys: &[(&str, UniqueField)], key: &str) -> Option<UniqueField> {
    keys.iter().find(|(name, _)| *name == key).map(|&(_, field)| field)
}

/// The unique column or index a database error says was violated.
fn violated_key(error: &sqlx::Error) -> Option<&str> {
    let sqlx::Error::Database(db) = error else { return None };
    if !db.is_unique_violation() {
        return None;
    }
    db.constraint().or_else(|| key_in_message(db.message()))
}

/// The key named by a unique violation's message, without its table.
fn key_in_message(message: &str) -> Option<&str> {
    let named = if let Some((_, columns)) = message.split_once("UNIQUE constraint failed: ") {
        // SQLite: the table's column, or several of them for a key of several columns.
        (!columns.contains(',')).then_some(columns)?
    } else {
        // MariaDB ends with the index, after the duplicate value (which may hold anything).
        message.rsplit_once(" for key '")?.1.strip_suffix('\'')?
    };
    Some(named.rsplit_once('.').map_or(named, |(_, key)| key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_read_from_either_databases_message() {
        assert_eq!(key_in_message("UNIQUE constraint failed: user.name_key"), Some("name_key"));
        assert_eq!(key_in_message("Duplicate entry 'alice' for key 'email_key'"), Some("email_key"));
        // MySQL 8 names the table too.
        assert_eq!(key_in_message("Duplicate entry 'alice' for key 'user.name_key'"), Some("name_key"));
        // The duplicate value is the user's: it cannot pass for the key.
        let tricky = "Duplicate entry 'x' for key 'email_key'' for key 'name_key'";
        assert_eq!(key_in_message(tricky), Some("name_key"));
        assert_eq!(key_in_message("UNIQUE constraint failed: post_content.post_id, post_content.version"), None);
        assert_eq!(key_in_message("database is locked"), None);
    }

    #[test]
    fn only_the_named_keys_become_conflicts() {
        assert_eq!(field_of(USER_KEYS, "name_key"), Some(UniqueField::UserName));
        assert_eq!(field_of(USER_KEYS, "email_key"), Some(UniqueField::Email));
        assert_eq!(field_of(USER_KEYS, "id"), None);
    }
}
