//! What differs between SQLite and MariaDB outside full-text search (which is `search/`):
//! how a write transaction starts, row locks, insert-or-ignore, and index hints.

use crate::ports::ListScope;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    MariaDb,
}

impl Dialect {
    pub fn from_url(url: &str) -> anyhow::Result<Dialect> {
        if url.starts_with("sqlite:") {
            Ok(Dialect::Sqlite)
        } else if url.starts_with("mysql:") || url.starts_with("mariadb:") {
            Ok(Dialect::MariaDb)
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or mysql: (got {url:?})")
        }
    }

    /// SQLite takes the write lock up front so two writers never deadlock on an upgrade.
    pub(super) fn begin_write(self) -> &'static str {
        match self {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::MariaDb => "BEGIN",
        }
    }

    /// A read transaction that sees one moment of the whole database.
    pub(super) fn begin_snapshot(self) -> &'static str {
        match self {
            // WAL: the first read fixes the snapshot for the rest of the transaction.
            Dialect::Sqlite => "BEGIN",
            Dialect::MariaDb => "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
        }
    }

    /// Row locks for the rest of the transaction on MariaDB; SQLite's write transaction
    /// already holds the whole database.
    pub(super) fn for_update(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::MariaDb => " FOR UPDATE",
        }
    }

    /// A shared row lock on MariaDB, for a read that must see the latest commit rather than
    /// the transaction's snapshot, while others read the same row (SQLite: nothing needed).
    pub(super) fn for_share(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::MariaDb => " LOCK IN SHARE MODE",
        }
    }

    /// What ends `INSERT INTO signup_quota (day, address_key, signups) VALUES (?, ?, 1)` so
    /// that an existing row counts one more instead: one statement, under the row's lock.
    pub(super) fn signup_count_up(self) -> &'static str {
        match self {
            Dialect::Sqlite => " ON CONFLICT (day, address_key) DO UPDATE SET signups = signups + 1",
            Dialect::MariaDb => " ON DUPLICATE KEY UPDATE signups = signups + 1",
        }
    }

    /// `INSERT` that skips a row whose key is taken.
    pub(super) fn insert_or_ignore(self) -> &'static str {
        match self {
            Dialect::Sqlite => "INSERT OR IGNORE",
            Dialect::MariaDb => "INSERT IGNORE",
        }
    }

    /// The read table of how many posts hold each indexed word: MariaDB's search chooses by
    /// it (src/adapters/sql/search/term_counts.rs); SQLite's FTS5 walks its own index.
    pub(super) fn term_counts_table(self) -> Option<&'static str> {
        match self {
            Dialect::Sqlite => None,
            Dialect::MariaDb => Some("rm_search_term"),
        }
    }

    /// The index a list of posts walks, named for MariaDB: with a board of many posts its
    /// optimizer chose to intersect the board and activity indexes and sort every match over
    /// walking the board's index backwards, which is slow on an idle server and far slower
    /// under load. SQLite picks the right one unaided.
    pub(super) fn list_index(self, scope: ListScope) -> &'static str {
        match (self, scope) {
            (Dialect::Sqlite, _) => "",
            (Dialect::MariaDb, ListScope::All) => " FORCE INDEX (rm_post_by_activity)",
            (Dialect::MariaDb, ListScope::Board(_)) => " FORCE INDEX (rm_post_by_board)",
            (Dialect::MariaDb, ListScope::Category(_)) => " FORCE INDEX (rm_post_by_category)",
            (Dialect::MariaDb, ListScope::Author(_)) => " FORCE INDEX (rm_post_by_author)",
        }
    }
}
