//! How times are shown: ISO dates in UTC, readable in any language.

use crate::domain::Timestamp;
use time::OffsetDateTime;
use time::macros::format_description;

fn utc(at: Timestamp) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(at.0 as i128 * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// "2026-11-21"
pub fn date(at: Timestamp) -> String {
    utc(at).format(format_description!("[year]-[month]-[day]")).unwrap_or_default()
}

/// "2026-11-21 21:45 UTC"
pub fn date_time(at: Timestamp) -> String {
    utc(at).format(format_description!("[year]-[month]-[day] [hour]:[minute] UTC")).unwrap_or_default()
}

/// The machine-readable form for `<time datetime="…">`.
pub fn iso(at: Timestamp) -> String {
    utc(at).format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_in_utc() {
        let at = Timestamp(1_763_761_500_000); // 2025-11-21 21:45 UTC
        assert_eq!(date(at), "2025-11-21");
        assert_eq!(date_time(at), "2025-11-21 21:45 UTC");
        assert_eq!(iso(at), "2025-11-21T21:45:00Z");
    }
}
