//! Ids in paths: anything that is not a positive number is simply a page that does not exist.

use super::WebError;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

/// The `{id}` of a path, parsed; a malformed id is a 404, like an unknown one.
pub struct PathId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| WebError::NotFound)?;
        parse_id(&raw).map(PathId).ok_or(WebError::NotFound)
    }
}

/// A positive id, or None.
pub fn parse_id(raw: &str) -> Option<i64> {
    raw.trim().parse::<i64>().ok().filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_positive_numbers_are_ids() {
        assert_eq!(parse_id("42"), Some(42));
        for bad in ["", "0", "-1", "abc", "1e3", "99999999999999999999"] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
    }
}
