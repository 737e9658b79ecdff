//! Rows to insert, described once for both writers: the sqlx pool ([`insert_all`]) and the
//! SQLite bulk loader (rusqlite, `seed::sqlite_bulk`). A row type names its table and columns
//! and gives its values in that order, so the two can never bind a column differently.

use sqlx::{Any, AnyConnection, QueryBuilder};

/// Rows per multi-row INSERT: well under SQLite's limit of bound values per statement.
pub(super) const ROWS_PER_INSERT: usize = 500;

/// A value bound to one column of an INSERT.
#[derive(Debug, Clone, Copy)]
pub(super) enum Value<'a> {
    Int(i64),
    Text(&'a str),
    /// NULL when absent.
    OptionalText(Option<&'a str>),
}

impl From<i64> for Value<'_> {
    fn from(value: i64) -> Self {
        Value::Int(value)
    }
}

impl From<bool> for Value<'_> {
    fn from(flag: bool) -> Self {
        Value::Int(i64::from(flag))
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(text: &'a str) -> Self {
        Value::Text(text)
    }
}

impl<'a> From<Option<&'a str>> for Value<'a> {
    fn from(text: Option<&'a str>) -> Self {
        Value::OptionalText(text)
    }
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Value::Int(value) => value.to_sql(),
            Value::Text(text) => text.to_sql(),
            Value::OptionalText(text) => text.to_sql(),
        }
    }
}

/// A row of one table, to insert.
pub(super) trait Insertable {
    const TABLE: &'static str;
    /// The columns the values are for, comma-separated.
    const COLUMNS: &'static str;
    /// The row's values, in the order of the columns.
    fn values(&self) -> impl IntoIterator<Item = Value<'_>>;
}

/// Inserts rows through sqlx, [`ROWS_PER_INSERT`] to a statement.
pub(super) async fn insert_all<R: Insertable>(conn: &mut AnyConnection, rows: &[R]) -> sqlx::Result<()> {
    for batch in rows.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Any>::new(format!("INSERT INTO {} ({}) ", R::TABLE, R::COLUMNS));
        insert.push_values(batch, |mut row, item| {
            for value in item.values() {
                match value {
                    Value::Int(value) => row.push_bind(value),
                    Value::Text(text) => row.push_bind(text),
                    Value::OptionalText(text) => row.push_bind(text),
                };
            }
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}
