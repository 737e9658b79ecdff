//! Opening the database: the pool and its per-connection settings, the migrations, the
//! SQLite file for the direct reads, and connections set up for bulk jobs.

use super::direct::DirectReads;
use super::rows::read_by_name;
use super::{Dialect, SqlDatabase, redact};
use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, Connection, Executor};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// A 128 MiB page cache, for the connection of a bulk job only: its many inserts into big
/// indexes want it.
const BULK_CACHE: &str = "PRAGMA cache_size = -131072";

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
        #[expect(unsafe_code, reason = "SQLite's process-wide settings have only a C function to set them")]
        unsafe {
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int);
        }
    });
}

/// The URL sqlx is given: a SQLite file is created if missing; `mariadb:` is sqlx's `mysql:`.
fn driver_url(dialect: Dialect, url: &str) -> String {
    match dialect {
        Dialect::Sqlite if !url.contains("mode=") => {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}mode=rwc")
        }
        Dialect::MariaDb => url.replacen("mariadb:", "mysql:", 1),
        Dialect::Sqlite => url.to_string(),
    }
}

/// Settings every pooled connection gets as it opens.
async fn configure(conn: &mut AnyConnection, dialect: Dialect) -> sqlx::Result<()> {
    let settings = match dialect {
        Dialect::Sqlite => {
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000; \
             PRAGMA foreign_keys = ON;"
        }
        Dialect::MariaDb => "SET NAMES utf8mb4 COLLATE utf8mb4_bin, time_zone = '+00:00'",
    };
    conn.execute(settings).await?;
    Ok(())
}

/// How long one database step waits for a MariaDB connection (including connecting) before
/// it fails as unavailable: a page that needs the database takes one or two such steps, so a
/// database that is down is told within about 2 s (docs/deploy.md). Queries take
/// milliseconds, so a wait this long means the database is out, not busy.
pub const MARIADB_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(1);

/// Whether a connection coming back may be handed out again: only outside any transaction.
/// A transaction whose COMMIT failed (a full disk) can stay open on its connection: SQLite may
/// already have rolled it back itself, so the ROLLBACK sent when it is dropped fails too, and
/// the driver still counts it open. The next `BEGIN` on that connection would then fail for
/// good ("attempted to call begin_with at non-zero transaction depth"), so such a connection
/// is closed and the pool opens a fresh one.
async fn out_of_transaction(conn: &mut AnyConnection) -> sqlx::Result<bool> {
    if !conn.is_in_transaction() {
        return Ok(true);
    }
    // A dropped transaction's ROLLBACK may still be queued on the connection: a round trip
    // lets it run first (the ordinary case of a form refused inside its transaction).
    conn.ping().await?;
    if conn.is_in_transaction() {
        tracing::warn!("closing a database connection left inside a failed transaction");
        return Ok(false);
    }
    Ok(true)
}

/// A database of the connection (`PRAGMA database_list`).
struct AttachedDatabase {
    name: String,
    file: String,
}
read_by_name!(AttachedDatabase { name, file });

impl SqlDatabase {
    /// Connects, creating a missing SQLite file, and brings the schema up to date.
    pub async fn connect(url: &str) -> anyhow::Result<SqlDatabase> {
        sqlx::any::install_default_drivers();
        let dialect = Dialect::from_url(url)?;
        if dialect == Dialect::Sqlite {
            sqlite_without_memory_statistics();
        }
        let url = driver_url(dialect, url);
        let options = AnyConnectOptions::from_str(&url).context("reading DATABASE_URL")?;
        let pool = AnyPoolOptions::new()
            // Enough for the runtime's workers and the writers waiting their turn; more only
            // queue for the same SQLite file.
            .max_connections(8)
            .min_connections(1)
            // How long a request waits for a connection before it is answered 503. MariaDB: a
            // database that is down is retried (connect, back off) until then, so this bounds
            // the wait of every page that needs it. SQLite's connections are in this process;
            // waiting for one only means the pool is busy, which passes.
            .acquire_timeout(match dialect {
                Dialect::Sqlite => Duration::from_secs(10),
                Dialect::MariaDb => MARIADB_ACQUIRE_TIMEOUT,
            })
            // A SQLite connection is a file in this process: it cannot have gone away, and
            // pinging it costs a round trip to its worker thread before every query.
            .test_before_acquire(dialect == Dialect::MariaDb)
            .after_connect(move |conn, _meta| Box::pin(configure(conn, dialect)))
            .after_release(|conn, _meta| Box::pin(out_of_transaction(conn)))
            .connect_with(options)
            .await
            .with_context(|| format!("connecting to {}", redact(&url)))?;
        let mut db = SqlDatabase {
            pool,
            dialect,
            writer_turn: Default::default(),
            direct: None,
            mail_committed: Default::default(),
            search_estimates: Default::default(),
        };
        db.migrate().await?;
        db.fill_name_skeletons().await?;
        db.fill_term_counts().await?;
        if dialect == Dialect::Sqlite {
            // An in-memory database has no file for other connections to open.
            db.direct = db.sqlite_file().await?.map(|file| Arc::new(DirectReads::new(&file)));
        }
        Ok(db)
    }

    async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.dialect {
            Dialect::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Dialect::MariaDb => sqlx::migrate!("migrations/mariadb"),
        };
        migrator.run(&self.pool).await.context("applying migrations")?;
        Ok(())
    }

    /// The file of a SQLite database; None for one in memory.
    pub(super) async fn sqlite_file(&self) -> sqlx::Result<Option<PathBuf>> {
        let databases: Vec<AttachedDatabase> = sqlx::query_as("PRAGMA database_list").fetch_all(&self.pool).await?;
        Ok(databases.into_iter().find(|db| db.name == "main" && !db.file.is_empty()).map(|db| db.file.into()))
    }

    /// A write transaction for a bulk job (rebuild, copy), with a large page cache on SQLite.
    pub(super) async fn begin_bulk(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        let mut tx = self.pool.begin_with(self.dialect.begin_write()).await?;
        if self.dialect == Dialect::Sqlite {
            tx.execute(BULK_CACHE).await?;
        }
        Ok(tx)
    }

    /// A connection of its own for a bulk load (seed): a large page cache, temporary data in
    /// memory and no foreign-key checks, since the loader's rows are consistent by
    /// construction. It never goes back to the pool, so these settings end with it.
    pub(super) async fn bulk_connection(&self) -> sqlx::Result<AnyConnection> {
        let mut conn = self.pool.acquire().await?.detach();
        let settings = match self.dialect {
            Dialect::Sqlite => format!("{BULK_CACHE}; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF;"),
            Dialect::MariaDb => "SET foreign_key_checks = 0, unique_checks = 0".to_string(),
        };
        conn.execute(sqlx::AssertSqlSafe(settings)).await?;
        Ok(conn)
    }

    /// Closes every connection this handle has open to its SQLite file, so that a loader can
    /// have the file to itself, but leaves the pool open: the next query opens a connection
    /// again. A connection still on its way back to the pool is waited for, up to `patience`;
    /// false if some connection was still open then.
    pub(super) async fn release_file(&self, patience: Duration) -> sqlx::Result<bool> {
        if let Some(direct) = &self.direct {
            direct.close();
        }
        let deadline = tokio::time::Instant::now() + patience;
        while self.pool.size() > 0 {
            match self.pool.try_acquire() {
                Some(conn) => conn.close().await?,
                None if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                None => return Ok(false),
            }
        }
        Ok(true)
    }
}
