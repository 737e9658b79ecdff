//! The domain's ids as SQL values: each is bound and read as the `BIGINT` it is stored as, on
//! either database and either read path. (The domain names no SQL crate, so these impls live
//! here.)

use super::direct::Param;
use super::inserts::Value;
use super::rows::Column;
use crate::domain::{CategoryId, CommentId, LoginId, ModerationActionId, NotificationId, PostId, ReportId, UserId};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Any, Database, Decode, Encode, Type};

macro_rules! sql_ids {
    ($($id:ident),+) => {$(
        impl<DB: Database> Type<DB> for $id
        where
            i64: Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <i64 as Type<DB>>::type_info()
            }

            fn compatible(ty: &DB::TypeInfo) -> bool {
                <i64 as Type<DB>>::compatible(ty)
            }
        }

        impl<'q, DB: Database> Encode<'q, DB> for $id
        where
            i64: Encode<'q, DB>,
        {
            fn encode_by_ref(&self, buf: &mut DB::ArgumentBuffer) -> Result<IsNull, BoxDynError> {
                <i64 as Encode<'q, DB>>::encode_by_ref(&self.0, buf)
            }
        }

        impl<'r, DB: Database> Decode<'r, DB> for $id
        where
            i64: Decode<'r, DB>,
        {
            fn decode(value: DB::ValueRef<'r>) -> Result<Self, BoxDynError> {
                <i64 as Decode<'r, DB>>::decode(value).map($id)
            }
        }

        impl Column for $id {
            type Stored = i64;
            fn from_stored(id: i64) -> $id {
                $id(id)
            }
        }

        impl Column for Option<$id> {
            type Stored = Option<i64>;
            fn from_stored(id: Option<i64>) -> Option<$id> {
                id.map($id)
            }
        }

        impl From<$id> for Param<'_> {
            fn from(id: $id) -> Self {
                Param::Int(id.0)
            }
        }

        impl From<$id> for Value<'_> {
            fn from(id: $id) -> Self {
                Value::Int(id.0)
            }
        }
    )+};
}

sql_ids!(UserId, LoginId, PostId, CommentId, CategoryId, NotificationId, ReportId, ModerationActionId);

/// Any of the ids, for the helpers that bind one whatever it names (a row to lock, to
/// soft-delete, to vote for).
pub(super) trait SqlId: for<'q> Encode<'q, Any> + Type<Any> + Send + Copy + 'static {}

impl<T: for<'q> Encode<'q, Any> + Type<Any> + Send + Copy + 'static> SqlId for T {}
