//! Pure rules and types of the forum: no I/O, no HTTP, no SQL.
//!
//! Values that reach the core are parsed into newtypes here, so an invalid name, email,
//! password or title cannot exist past the edge of the system.

pub mod category;
pub mod content;
pub mod events;
pub mod form;
pub mod guards;
pub mod ids;
pub mod mail;
pub mod markdown;
pub mod modlog;
pub mod notifications;
pub mod policy;
pub mod rate_limit;
pub mod report;
pub mod threads;
pub mod user;

pub use category::CategoryName;
pub use content::{Body, Title};
pub use events::{CommentRef, Event, PostRef};
pub use form::{Field, FieldError, FieldErrors};
pub use ids::{CategoryId, CommentId, LoginId, ModerationActionId, NotificationId, PostId, ReportId, UserId};
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

/// The UTS #39 confusable skeleton of a name, case folded: names that look alike have the same
/// one ("paypal", "PayPal", "pаypal" with a Cyrillic а, "paypa1", "paypaI"), so a new name can
/// be refused for looking like one that is taken. The skeleton is taken before folding (a
/// capital I passes for an l) and again after it (as its lower case may pass for another letter).
pub fn name_skeleton(name: &str) -> String {
    let as_typed: String = unicode_security::skeleton(name).collect();
    unicode_security::skeleton(&fold_key(&as_typed)).collect()
}
