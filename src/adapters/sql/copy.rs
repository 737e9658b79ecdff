//! `forum copy`: moves a whole forum from one database to another (the embedded SQLite to
//! MariaDB when a forum grows), all or nothing.
//!
//! The write tables are copied in one transaction on the target, parents before children,
//! with their ids; the read model is then rebuilt on the target from what was copied, and the
//! copy is verified by row counts and the read-model check.

use super::inserts::ROWS_PER_INSERT;
use super::rows::read_by_name;
use super::{SqlDatabase, db_err};
use crate::ports::{Projector, StoreResult};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, QueryBuilder, Row};
use tables::{Kind, TABLES, Table};

mod tables;

/// Rows read and written per step.
const CHUNK: i64 = 2_000;

/// One table's rows in the source and in the target after the copy.
#[derive(Debug, Clone)]
pub struct CopiedTable {
    pub table: &'static str,
    pub source_rows: i64,
    pub target_rows: i64,
}

/// A value read from one database for the other.
enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

/// The lowest and highest key of a table (0 and -1 when it is empty).
struct KeyRange {
    low: i64,
    high: i64,
}
read_by_name!(KeyRange { low, high });

impl Table {
    fn column_list(&self) -> String {
        self.columns.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(", ")
    }

    /// A row's values, read by column name.
    fn values(&self, row: &AnyRow) -> sqlx::Result<Vec<Value>> {
        self.columns
            .iter()
            .map(|&(name, kind)| match kind {
                Kind::Int => row.try_get::<Option<i64>, _>(name).map(Value::Int),
                Kind::Text => row.try_get::<Option<String>, _>(name).map(Value::Text),
            })
            .collect()
    }
}

/// The rows of a table.
async fn count_rows(conn: &mut AnyConnection, table: &str) -> StoreResult<i64> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"));
    sqlx::query_scalar(sql).fetch_one(conn).await.map_err(db_err)
}

impl SqlDatabase {
    async fn count_rows(&self, table: &str) -> StoreResult<i64> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        count_rows(&mut conn, table).await
    }

    /// Copies every write table of `self` into `target`, which must hold no forum yet; then
    /// rebuilds the target's read model. `progress(done, total)` counts rows.
    pub async fn copy_to(
        &self,
        target: &SqlDatabase,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> anyhow::Result<Vec<CopiedTable>> {
        for table in ["user", "category", "post"] {
            let rows = target.count_rows(table).await?;
            anyhow::ensure!(
                rows == 0,
                "the target already holds a forum ({rows} rows in {table}); copy into an empty database"
            );
        }
        // Everything is read in one read transaction, so a forum being written meanwhile is
        // copied as it stood at one moment (SQLite: one snapshot of the log; MariaDB: a
        // consistent snapshot), and the counts compared afterwards are that moment's.
        let mut source = self.pool.begin_with(self.dialect.begin_snapshot()).await.map_err(db_err)?;
        let mut counts = Vec::new();
        for table in TABLES {
            counts.push(count_rows(&mut source, table.name).await?);
        }
        let total = counts.iter().sum::<i64>() as u64;
        let mut done = 0u64;
        // One transaction on the target: a failure anywhere leaves it as empty as it was.
        let mut tx = target.begin_bulk().await.map_err(db_err)?;
        for table in TABLES {
            for range in key_ranges(&mut source, table).await? {
                done += copy_rows(&mut source, table, range, &mut tx).await?;
                progress(done, total);
            }
        }
        tx.commit().await.map_err(db_err)?;
        source.rollback().await.map_err(db_err)?;
        target.rebuild(&|_, _| {}).await?;
        let mut report = Vec::new();
        for (table, source_rows) in TABLES.iter().zip(counts) {
            let target_rows = target.count_rows(table.name).await?;
            report.push(CopiedTable { table: table.name, source_rows, target_rows });
        }
        Ok(report)
    }
}

/// The ranges of keys a table is read in, [`CHUNK`] keys each; one step of everything
/// for a table without a key to range over.
async fn key_ranges(source: &mut AnyConnection, table: &Table) -> StoreResult<Vec<Option<(i64, i64)>>> {
    if table.range_by.is_empty() {
        return Ok(vec![None]);
    }
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT COALESCE(MIN({0}), 0) AS low, COALESCE(MAX({0}), -1) AS high FROM {1}",
        table.range_by, table.name
    ));
    let KeyRange { low, high } = sqlx::query_as(sql).fetch_one(&mut *source).await.map_err(db_err)?;
    Ok((low..=high).step_by(CHUNK as usize).map(|start| Some((start, start + CHUNK - 1))).collect())
}

/// Copies the rows of one range of a table into the target's transaction; how many.
async fn copy_rows(
    source: &mut AnyConnection,
    table: &Table,
    range: Option<(i64, i64)>,
    tx: &mut AnyConnection,
) -> StoreResult<u64> {
    let columns = table.column_list();
    let select = format!("SELECT {columns} FROM {}", table.name);
    let rows = match range {
        Some((low, high)) => {
            let sql = format!("{select} WHERE {} BETWEEN ? AND ?", table.range_by);
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(low).bind(high).fetch_all(&mut *source).await
        }
        None => sqlx::query(sqlx::AssertSqlSafe(select)).fetch_all(&mut *source).await,
    }
    .map_err(db_err)?;
    let values: Vec<Vec<Value>> = rows.iter().map(|row| table.values(row)).collect::<Result<_, _>>().map_err(db_err)?;
    for batch in values.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Any>::new(format!("INSERT INTO {} ({columns}) ", table.name));
        insert.push_values(batch, |mut b, row| {
            for value in row {
                match value {
                    Value::Int(v) => b.push_bind(*v),
                    Value::Text(v) => b.push_bind(v.as_deref()),
                };
            }
        });
        insert.build().execute(&mut *tx).await.map_err(db_err)?;
    }
    Ok(values.len() as u64)
}
