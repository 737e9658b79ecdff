//! One SQL adapter for SQLite and MariaDB through sqlx's `Any` driver.
//!
//! Both databases take `?` placeholders and nearly the same SQL, so queries are written once;
//! what truly differs (how a write transaction starts, insert-or-ignore, full-text search) is
//! chosen by [`Dialect`].

mod content_projection;
mod content_read;
mod content_write;
pub mod copy;
mod direct;
mod projections;
mod read;
mod search;
pub mod seed;
mod write;

use crate::ports::{PoolStats, StoreResult};
use anyhow::Context;
use direct::{DirectError, DirectReads, DirectRow, Param};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

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
    fn begin_write(self) -> &'static str {
        match self {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::MariaDb => "BEGIN",
        }
    }
}

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
}

/// SQLite keeps memory statistics (which nothing here reads) under one process-wide lock
/// taken on every allocation, and the pool's connections run on threads of their own, so
/// they queue on that lock for every value of every row. Switched off once, before SQLite
/// starts in this process: it refuses the setting afterwards (harmlessly).
fn sqlite_without_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config must not run alongside other SQLite calls. The first SQLite
        // call of this process is the first connection, which comes after this; the Once
        // makes any other connect wait until it is done.
        unsafe {
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int);
        }
    });
}

impl SqlDatabase {
    /// Connects, creating a missing SQLite file, and brings the schema up to date.
    pub async fn connect(url: &str) -> anyhow::Result<SqlDatabase> {
        sqlx::any::install_default_drivers();
        let dialect = Dialect::from_url(url)?;
        if dialect == Dialect::Sqlite {
            sqlite_without_memory_statistics();
        }
        let url = match dialect {
            Dialect::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            Dialect::MariaDb => url.replacen("mariadb:", "mysql:", 1),
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url).context("reading DATABASE_URL")?;
        let pool = AnyPoolOptions::new()
            // About 8 connections served SQLite best on a 2-core machine (see ARCHITECTURE.md).
            .max_connections(8)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            // A SQLite connection is a file in this process: it cannot have gone away, and
            // pinging it costs a round trip to its worker thread before every query.
            .test_before_acquire(dialect == Dialect::MariaDb)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    match dialect {
                        Dialect::Sqlite => {
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;",
                            )
                            .await?;
                        }
                        Dialect::MariaDb => {
                            conn.execute("SET NAMES utf8mb4 COLLATE utf8mb4_bin, time_zone = '+00:00'").await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .with_context(|| format!("connecting to {}", redact(&url)))?;
        let mut db = SqlDatabase { pool, dialect, writer_turn: Default::default(), direct: None };
        db.migrate().await?;
        if dialect == Dialect::Sqlite {
            // An in-memory database has no file for other connections to open.
            db.direct = db.sqlite_file().await?.map(|file| Arc::new(DirectReads::new(&file)));
        }
        Ok(db)
    }

    /// The file of a SQLite database; None for one in memory.
    async fn sqlite_file(&self) -> sqlx::Result<Option<std::path::PathBuf>> {
        let databases: Vec<(i64, String, String)> =
            sqlx::query_as("PRAGMA database_list").fetch_all(&self.pool).await?;
        Ok(databases
            .into_iter()
            .find(|(_, name, file)| name == "main" && !file.is_empty())
            .map(|(_, _, file)| file.into()))
    }

    /// Every row of a short read: a key lookup or an index walk with a LIMIT, never a scan.
    /// On SQLite it runs on this thread ([`direct`]); on MariaDB, or when SQLite is locked,
    /// through the pool.
    async fn short_read<T>(&self, sql: &str, params: &[Param<'_>]) -> StoreResult<Vec<T>>
    where
        T: DirectRow + for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
    {
        if let Some(direct) = &self.direct {
            match direct.rows(sql, params) {
                Ok(rows) => return Ok(rows),
                Err(DirectError::Busy) => {}
                Err(DirectError::Failed(error)) => return Err(crate::ports::StoreError::Other(error.into())),
            }
        }
        let mut query = sqlx::query_as::<_, T>(sqlx::AssertSqlSafe(sql.to_owned()));
        for param in params {
            query = match *param {
                Param::Int(value) => query.bind(value),
                Param::Text(value) => query.bind(value.to_owned()),
            };
        }
        query.fetch_all(&self.pool).await.map_err(db_err)
    }

    /// The one row of a short read, if there is one.
    async fn short_read_one<T>(&self, sql: &str, params: &[Param<'_>]) -> StoreResult<Option<T>>
    where
        T: DirectRow + for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
    {
        Ok(self.short_read(sql, params).await?.into_iter().next())
    }

    async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.dialect {
            Dialect::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Dialect::MariaDb => sqlx::migrate!("migrations/mariadb"),
        };
        migrator.run(&self.pool).await.context("applying migrations")?;
        Ok(())
    }

    /// This process's turn to write, on SQLite; MariaDB locks rows, not the database.
    async fn writer_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match self.dialect {
            Dialect::Sqlite => Some(self.writer_turn.clone().lock_owned().await),
            Dialect::MariaDb => None,
        }
    }

    /// A write transaction for a bulk job (seed, rebuild): on SQLite its connection gets a
    /// large page cache, which the job's many inserts into big indexes need.
    async fn begin_bulk(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        let mut tx = self.pool.begin_with(self.dialect.begin_write()).await?;
        if self.dialect == Dialect::Sqlite {
            tx.execute("PRAGMA cache_size = -131072").await?; // 128 MiB, for this connection only
        }
        Ok(tx)
    }

    /// A connection of its own for a bulk load (seed): a large page cache, temporary data in
    /// memory and no foreign-key checks, since the loader's rows are consistent by
    /// construction. It never goes back to the pool, so these settings end with it.
    async fn bulk_connection(&self) -> sqlx::Result<sqlx::AnyConnection> {
        let mut conn = self.pool.acquire().await?.detach();
        let settings = match self.dialect {
            Dialect::Sqlite => "PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF;",
            Dialect::MariaDb => "SET foreign_key_checks = 0, unique_checks = 0",
        };
        conn.execute(settings).await?;
        Ok(conn)
    }

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
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Wraps a database error for the ports' error type.
fn db_err(error: sqlx::Error) -> crate::ports::StoreError {
    crate::ports::StoreError::Other(anyhow::Error::new(error))
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
