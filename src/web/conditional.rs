//! Conditional GET (RFC 9110, section 13): a response with a strong `ETag` and a `Last-Modified`,
//! and a 304 with no body when the client's copy is still the one it would get.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use sha2::{Digest, Sha256};
use std::time::SystemTime;

/// The entity tag of a body: a digest of its bytes, so equal bodies have equal tags on every
/// instance, and any change makes a new one.
pub fn entity_tag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether the client's validators say it has this very representation. `If-None-Match` wins
/// over `If-Modified-Since` when both are sent (RFC 9110, 13.1.3).
pub fn not_modified(headers: &HeaderMap, tag: &str, modified: SystemTime) -> bool {
    if let Some(tags) = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        // A weak comparison, as the standard asks for If-None-Match.
        return tags.split(',').map(str::trim).any(|t| t == "*" || t.trim_start_matches("W/") == tag);
    }
    let since = headers.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok());
    since.and_then(|s| httpdate::parse_http_date(s).ok()).is_some_and(|since| whole_seconds(modified) <= since)
}

/// HTTP dates have whole seconds: a time within the second of the date is not newer than it.
fn whole_seconds(at: SystemTime) -> SystemTime {
    let seconds = at.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(seconds)
}

/// The body with its validators, or a 304 if the client has it already. The body depends on
/// the reader's language (titles), so shared caches keep one per language.
pub fn respond(headers: &HeaderMap, content_type: &'static str, body: String, modified: SystemTime) -> Response {
    let tag = entity_tag(body.as_bytes());
    let fresh = not_modified(headers, &tag, modified);
    let mut response = if fresh {
        Response::builder().status(StatusCode::NOT_MODIFIED).body(Body::empty())
    } else {
        Response::builder().header(header::CONTENT_TYPE, content_type).body(Body::from(body))
    }
    .unwrap_or_default();
    let out = response.headers_mut();
    if let Ok(tag) = HeaderValue::from_str(&tag) {
        out.insert(header::ETAG, tag);
    }
    if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(modified)) {
        out.insert(header::LAST_MODIFIED, date);
    }
    // Kept by caches, and asked about again each time: a 304 costs the forum next to nothing.
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache"));
    out.insert(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn with(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn a_matching_tag_or_an_old_enough_date_means_not_modified() {
        let tag = entity_tag(b"<feed/>");
        let at = SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_000_500);
        assert!(not_modified(&with(header::IF_NONE_MATCH, &tag), &tag, at));
        assert!(not_modified(&with(header::IF_NONE_MATCH, &format!("\"x\", W/{tag}")), &tag, at));
        assert!(!not_modified(&with(header::IF_NONE_MATCH, "\"other\""), &tag, at));
        assert_ne!(entity_tag(b"<feed/>"), entity_tag(b"<feed />"), "any change makes a new tag");
        let date = httpdate::fmt_http_date(at);
        assert!(not_modified(&with(header::IF_MODIFIED_SINCE, &date), &tag, at), "the same second");
        let earlier = httpdate::fmt_http_date(at - Duration::from_secs(1));
        assert!(!not_modified(&with(header::IF_MODIFIED_SINCE, &earlier), &tag, at));
        assert!(!not_modified(&with(header::IF_MODIFIED_SINCE, "not a date"), &tag, at));
        assert!(!not_modified(&HeaderMap::new(), &tag, at));
    }
}
