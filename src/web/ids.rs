//! Ids in paths: anything that is not a positive number is simply a page that does not exist.

use super::WebError;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

/// The `{id}` of a path, parsed into the id type `T` (`PostId`, `CommentId` ...); a malformed
/// id is a 404, like an unknown one.
pub struct PathId<T>(pub T);

impl<S: Send + Sync, T: From<i64>> FromRequestParts<S> for PathId<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| WebError::NotFound)?;
        parse_id(&raw).map(PathId).ok_or(WebError::NotFound)
    }
}

/// A positive id (or page number), or None.
pub fn parse_id<T: From<i64>>(raw: &str) -> Option<T> {
    raw.trim().parse::<i64>().ok().filter(|id| *id > 0).map(T::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_positive_numbers_are_ids() {
        assert_eq!(parse_id("42"), Some(42_i64));
        for bad in ["", "0", "-1", "abc", "1e3", "99999999999999999999"] {
            assert_eq!(parse_id::<i64>(bad), None, "{bad}");
        }
    }
}
