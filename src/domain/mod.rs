//! Pure rules and types of the forum: no I/O, no HTTP, no SQL.
//!
//! Values that reach the core are parsed into newtypes here, so an invalid name, email,
//! password or title cannot exist past the edge of the system.

pub mod category;
pub mod content;
pub mod events;
pub mod form;
pub mod ids;
pub mod markdown;
pub mod policy;
pub mod user;

pub use category::CategoryName;
pub use content::{Body, Title};
pub use events::{CommentRef, Event, PostRef};
pub use form::{Field, FieldError, FieldErrors};
pub use ids::{CategoryId, CommentId, LoginId, PostId, UserId};
pub use user::{AccountState, Email, Password, Role, UserName};

/// A point in time as Unix milliseconds: stored alike by every database adapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Self {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        Timestamp(now.as_millis() as i64)
    }

    pub fn as_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }
}

/// Folds a user-typed name or email for uniqueness and look-ups: Unicode NFC, then lower case,
/// so "Alice", "alice" and "ALICE" (or a decomposed and a composed "É") are the same key.
pub fn fold_key(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.trim().nfc().collect::<String>().to_lowercase()
}
