//! Rows read by column name, from either read path.
//!
//! A row type says once, in [`read_by_name!`], which column fills each of its fields; the
//! sqlx pool ([`PoolCells`]) and the direct SQLite reads (`direct::DirectCells`) both fill it
//! through [`Cells`], so swapping two columns in a query changes nothing, and a column a query
//! lacks is an error rather than the neighbour's value. How a stored value becomes a field
//! (milliseconds to [`Timestamp`], 0/1 to `bool`, ids and names to roles and states) is
//! [`Column`], here and nowhere else.

use crate::domain::{AccountState, Role, Timestamp};
use sqlx::any::AnyRow;
use sqlx::{Any, Row};
use std::borrow::Cow;

/// A row filled by column name; see [`read_by_name!`]. `read` asks for the same columns in
/// the same order every time: the direct reads look the names up on the first row only.
pub(super) trait SqlRow: Sized {
    fn read<C: Cells>(cells: &mut C) -> Result<Self, C::Error>;
}

/// The values of one result row, looked up by column name.
pub(super) trait Cells {
    type Error;
    fn get<T: Column>(&mut self, column: &'static str) -> Result<T, Self::Error>;
}

/// A field's type as a column of a result: the type both drivers decode, and the conversion.
pub(super) trait Column: Sized {
    type Stored: rusqlite::types::FromSql + for<'r> sqlx::Decode<'r, Any> + sqlx::Type<Any>;
    fn from_stored(stored: Self::Stored) -> Self;
}

macro_rules! stored_as_is {
    ($($ty:ty),+) => {$(
        impl Column for $ty {
            type Stored = $ty;
            fn from_stored(stored: $ty) -> $ty {
                stored
            }
        }
    )+};
}

stored_as_is!(i64, String, Option<i64>, Option<String>);

/// Text read into a row that can also borrow it (a row to store, read back for the check).
impl Column for Cow<'static, str> {
    type Stored = String;
    fn from_stored(text: String) -> Self {
        Cow::Owned(text)
    }
}

impl Column for Option<Cow<'static, str>> {
    type Stored = Option<String>;
    fn from_stored(text: Option<String>) -> Self {
        text.map(Cow::Owned)
    }
}

/// Unix milliseconds.
impl Column for Timestamp {
    type Stored = i64;
    fn from_stored(millis: i64) -> Timestamp {
        Timestamp(millis)
    }
}

/// A flag stored as 0 or 1 (neither database has a boolean of its own).
impl Column for Option<Timestamp> {
    type Stored = Option<i64>;
    fn from_stored(millis: Option<i64>) -> Option<Timestamp> {
        millis.map(Timestamp)
    }
}

impl Column for bool {
    type Stored = i64;
    fn from_stored(flag: i64) -> bool {
        flag != 0
    }
}

/// A role by its name, as the read model stores it (`rm_user.role`).
pub(super) struct RoleName(pub Role);

impl Column for RoleName {
    type Stored = String;
    fn from_stored(name: String) -> RoleName {
        RoleName(Role::parse(&name).unwrap_or(Role::Member))
    }
}

/// A role by its id, as the write tables store it (`user.role_id`); none is a member.
pub(super) struct RoleId(pub Role);

impl Column for RoleId {
    type Stored = Option<i64>;
    fn from_stored(id: Option<i64>) -> RoleId {
        RoleId(id.and_then(Role::from_id).unwrap_or(Role::Member))
    }
}

/// An account state by its name, as the read model stores it (`rm_user.state`).
pub(super) struct StateName(pub AccountState);

impl Column for StateName {
    type Stored = String;
    fn from_stored(name: String) -> StateName {
        let blocked = name == AccountState::Blocked.name();
        StateName(if blocked { AccountState::Blocked } else { AccountState::Active })
    }
}

/// An account state by its id, as the write tables store it (`user_state.state_id`, the
/// newest one); a user without one is active.
pub(super) struct StateId(pub AccountState);

impl Column for StateId {
    type Stored = Option<i64>;
    fn from_stored(id: Option<i64>) -> StateId {
        StateId(AccountState::from_id(id.unwrap_or(AccountState::Active.id())))
    }
}

/// A row of the sqlx pool (or of a transaction).
pub(super) struct PoolCells<'r>(pub &'r AnyRow);

impl Cells for PoolCells<'_> {
    type Error = sqlx::Error;
    fn get<T: Column>(&mut self, column: &'static str) -> sqlx::Result<T> {
        self.0.try_get::<T::Stored, _>(column).map(T::from_stored)
    }
}

/// Implements [`SqlRow`] (and sqlx's `FromRow`, for `query_as`) for a struct by naming its
/// fields: each is read from the column of the same name, through [`Column`]. A field written
/// `field as Tag` is read as the [`Column`] `Tag` (e.g. `role as RoleName`) and unwrapped;
/// `field as row` is another [`SqlRow`] read from the same columns; `field as default` is no
/// column at all but starts as its type's default, to be filled in after the read.
macro_rules! read_by_name {
    ($row:ident { $($field:ident $(as $via:ident)?),+ $(,)? }) => {
        impl $crate::adapters::sql::rows::SqlRow for $row {
            fn read<C: $crate::adapters::sql::rows::Cells>(cells: &mut C) -> Result<Self, C::Error> {
                Ok($row { $($field: $crate::adapters::sql::rows::read_by_name!(@cell cells, $field $(as $via)?)),+ })
            }
        }

        impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for $row {
            fn from_row(row: &'r sqlx::any::AnyRow) -> sqlx::Result<Self> {
                let mut cells = $crate::adapters::sql::rows::PoolCells(row);
                <$row as $crate::adapters::sql::rows::SqlRow>::read(&mut cells)
            }
        }
    };
    (@cell $cells:ident, $field:ident) => {
        $crate::adapters::sql::rows::Cells::get(&mut *$cells, stringify!($field))?
    };
    (@cell $cells:ident, $field:ident as row) => {
        $crate::adapters::sql::rows::SqlRow::read(&mut *$cells)?
    };
    (@cell $cells:ident, $field:ident as default) => {
        Default::default()
    };
    (@cell $cells:ident, $field:ident as $via:ident) => {
        $crate::adapters::sql::rows::Cells::get::<$via>(&mut *$cells, stringify!($field))?.0
    };
}

pub(super) use read_by_name;

#[cfg(test)]
mod tests {
    use super::*;

    /// Cells from a list of (column, value), in any order.
    struct Listed(Vec<(&'static str, i64)>);

    impl Cells for Listed {
        type Error = String;
        fn get<T: Column>(&mut self, column: &'static str) -> Result<T, String> {
            let value = self.0.iter().find(|(name, _)| *name == column).ok_or(format!("no column {column}"))?.1;
            let stored =
                <T::Stored as rusqlite::types::FromSql>::column_result(rusqlite::types::ValueRef::Integer(value))
                    .map_err(|e| e.to_string())?;
            Ok(T::from_stored(stored))
        }
    }

    #[derive(Debug, PartialEq)]
    struct Counted {
        votes: i64,
        comments: i64,
        edited: Timestamp,
        active: bool,
    }
    read_by_name!(Counted { votes, comments, edited, active });

    #[derive(Debug, PartialEq)]
    struct Nested {
        counted: Counted,
        role: Role,
    }
    read_by_name!(Nested { counted as row, role as RoleId });

    #[test]
    fn fields_are_read_by_name_whatever_the_order_of_the_columns() {
        let row = Listed(vec![("active", 1), ("edited", 1_700), ("comments", 3), ("role", 2), ("votes", 7)]);
        let read = Nested::read(&mut { row }).unwrap();
        let counted = Counted { votes: 7, comments: 3, edited: Timestamp(1_700), active: true };
        assert_eq!(read, Nested { counted, role: Role::Moderator });
    }

    #[test]
    fn a_missing_column_is_an_error() {
        let outcome = Counted::read(&mut Listed(vec![("votes", 7), ("comments", 3), ("edited", 1)]));
        assert_eq!(outcome, Err("no column active".to_string()));
    }

    #[test]
    fn roles_and_states_fall_back_as_the_write_model_means_them() {
        assert_eq!(RoleId::from_stored(None).0, Role::Member);
        assert_eq!(RoleId::from_stored(Some(1)).0, Role::Admin);
        assert_eq!(RoleName::from_stored("moderator".into()).0, Role::Moderator);
        assert_eq!(RoleName::from_stored("unknown".into()).0, Role::Member);
        assert_eq!(StateId::from_stored(None).0, AccountState::Active);
        assert_eq!(StateId::from_stored(Some(2)).0, AccountState::Blocked);
        assert_eq!(StateName::from_stored("blocked".into()).0, AccountState::Blocked);
    }
}
