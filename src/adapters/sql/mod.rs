//! One SQL adapter for SQLite and MariaDB through sqlx's `Any` driver.
//!
//! Both databases take `?` placeholders and nearly the same SQL, so queries are written once;
//! what truly differs is chosen by [`Dialect`]. Where things are:
//!
//! | file | what it holds |
//! | --- | --- |
//! | `connect.rs` | opening the pool, per-connection settings, migrations, bulk connections |
//! | `backfill.rs` | values a migration adds but only the program computes, filled in at start |
//! | `dialect.rs` | the SQL that differs between the databases (outside search) |
//! | `rows.rs` | rows read by column name, and how stored values become fields |
//! | `ids.rs` | the domain's id types as SQL values (bound and read as `BIGINT`) |
//! | `direct.rs` | short SQLite reads on the calling thread (rusqlite) |
//! | `inserts.rs` | rows to insert, described once for sqlx and for the SQLite bulk loader |
//! | `conflicts.rs` | unique-index violations as typed conflicts |
//! | `reads/` | the read ports: `accounts`, `categories`, `posts`, `comments`, `votes`, `history` |
//! | `search/` | full-text search: the walk (`mod.rs`), `sqlite`, `mariadb`, the `words` |
//! | `writes/` | the write ports, one transaction per command: `accounts`, `categories`, `posts`, `comments` |
//! | `projections/` | events applied to the read model (`apply`), one file per read table (`posts`, `comments`, `users`, `categories`), the read-model `check`, the `rebuild` |
//! | `copy.rs` | `forum copy`: a whole forum into another database |
//! | `seed/` | `forum seed`: demo data in bulk |
//!
//! Each port's trait is implemented in the `mod.rs` of its folder, one line a method, so that
//! file is also the index of where each method's query is.

mod backfill;
mod conflicts;
mod connect;
pub mod copy;
mod dialect;
mod direct;
mod ids;
mod inserts;
mod mail_reads;
mod notifications;
mod outbox;
mod projections;
mod reads;
mod rows;
mod search;
pub mod seed;
mod writes;

pub use dialect::Dialect;

use crate::ports::{PoolStats, StoreError};
use direct::{DirectReads, Param};
use sqlx::AnyPool;
use std::sync::Arc;

/// A connection pool plus the dialect; the adapter behind the store, read and projector ports.
#[derive(Clone)]
pub struct SqlDatabase {
    pool: AnyPool,
    dialect: Dialect,
    /// SQLite has one writer at a time. Writers of this process take turns here instead of
    /// spinning in SQLite's busy handler, which sleeps in growing steps and made the slowest
    /// writes wait far longer than the work took.
    writer_turn: Arc<tokio::sync::Mutex<()>>,
    /// SQLite with a file: the short reads run on the calling thread ([`direct`]).
    direct: Option<Arc<DirectReads>>,
    /// Told when a transaction of this process that wrote mail commits, so the outbox worker
    /// sends it now instead of at its next look.
    mail_committed: Arc<tokio::sync::Notify>,
    /// How common recent search queries' words were (MariaDB): read again after a few seconds.
    search_estimates: Arc<search::EstimateMemo>,
}

impl SqlDatabase {
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn pool_stats(&self) -> PoolStats {
        PoolStats { size: self.pool.size(), idle: self.pool.num_idle() as u32 }
    }

    pub async fn close(&self) {
        if let Some(direct) = &self.direct {
            direct.close();
        }
        self.pool.close().await;
    }
}

/// Hides a password in a database URL before it reaches a log or an error message.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let Some((credentials, host)) = rest.rsplit_once('@') else { return url.to_string() };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// Wraps a database error for the ports' error type: what may pass by itself (a full disk,
/// a database that is down or too busy) is `Unavailable`, so the user is asked to try again
/// with their text kept, rather than told that something broke.
fn db_err(error: sqlx::Error) -> StoreError {
    if is_transient(&error) {
        StoreError::Unavailable(anyhow::Error::new(error))
    } else {
        StoreError::Other(anyhow::Error::new(error))
    }
}

/// SQLite's primary result codes that a later try may not meet: BUSY, LOCKED, IOERR, FULL,
/// CANTOPEN (the extended codes keep the primary one in their low byte).
const SQLITE_TRANSIENT: [i32; 5] = [5, 6, 10, 13, 14];

/// MariaDB's error numbers of the same kind: too many connections, the disk or a table full,
/// a lock wait timed out or a deadlock (the transaction was rolled back), the server shutting
/// down, the connection killed or gone, a read-only server.
const MARIADB_TRANSIENT: [u16; 11] = [1021, 1040, 1053, 1114, 1205, 1213, 1290, 1836, 1927, 2006, 2013];

fn is_transient(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            if let Some(mariadb) = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
                MARIADB_TRANSIENT.contains(&mariadb.number())
            } else if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                let code = db.code().and_then(|code| code.parse::<i32>().ok()).unwrap_or(0);
                SQLITE_TRANSIENT.contains(&(code & 0xff))
            } else {
                false
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_hidden() {
        assert_eq!(redact("mysql://root:secret@db:3306/forum"), "mysql://root:***@db:3306/forum");
        assert_eq!(redact("mysql://root@db/forum"), "mysql://root@db/forum");
        assert_eq!(redact("sqlite://forum.db"), "sqlite://forum.db");
    }
}
