//! How times are shown: ISO dates in UTC, readable in any language.
//!
//! Every list row shows two or three of these, on the pages read most, so they are written by
//! hand from the civil date rather than interpreted from `time`'s format descriptions each
//! time. Times outside 1970–9999 go through `time`.

use crate::domain::Timestamp;
use time::OffsetDateTime;
use time::macros::format_description;

fn utc(at: Timestamp) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(at.0 as i128 * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The first millisecond of the year 10000: the fast path covers 1970-01-01 up to this.
const YEAR_10000: i64 = 253_402_300_800_000;

/// A time split into its UTC fields.
struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    millisecond: i64,
}

fn civil(at: Timestamp) -> Option<Civil> {
    if !(0..YEAR_10000).contains(&at.0) {
        return None;
    }
    let (days, ms) = (at.0 / 86_400_000, at.0 % 86_400_000);
    // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant, "chrono-compatible
    // low-level date algorithms", civil_from_days).
    let z = days + 719_468;
    let (era, doe) = (z / 146_097, z % 146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(Civil {
        year,
        month,
        day,
        hour: ms / 3_600_000,
        minute: ms / 60_000 % 60,
        second: ms / 1000 % 60,
        millisecond: ms % 1000,
    })
}

/// Writes `value` (0 up to 10^width - 1) with `width` digits, zeros in front.
fn push_digits(out: &mut String, value: i64, width: u32) {
    let mut divisor = 10_i64.pow(width - 1);
    while divisor > 0 {
        out.push(char::from(b'0' + (value / divisor % 10) as u8));
        divisor /= 10;
    }
}

impl Civil {
    fn write_date(&self, out: &mut String) {
        push_digits(out, self.year, 4);
        out.push('-');
        push_digits(out, self.month, 2);
        out.push('-');
        push_digits(out, self.day, 2);
    }

    fn write_time(&self, out: &mut String, separator: char) {
        self.write_date(out);
        out.push(separator);
        push_digits(out, self.hour, 2);
        out.push(':');
        push_digits(out, self.minute, 2);
    }
}

/// "2026-11-21"
pub fn date(at: Timestamp) -> String {
    match civil(at) {
        Some(c) => {
            let mut out = String::with_capacity(10);
            c.write_date(&mut out);
            out
        }
        None => utc(at).format(format_description!("[year]-[month]-[day]")).unwrap_or_default(),
    }
}

/// "2026-11-21 21:45 UTC"
pub fn date_time(at: Timestamp) -> String {
    match civil(at) {
        Some(c) => {
            let mut out = String::with_capacity(20);
            c.write_time(&mut out, ' ');
            out.push_str(" UTC");
            out
        }
        None => utc(at).format(format_description!("[year]-[month]-[day] [hour]:[minute] UTC")).unwrap_or_default(),
    }
}

/// The machine-readable form for `<time datetime="…">` (RFC 3339: fractions of a second
/// only when there are any, without trailing zeros).
pub fn iso(at: Timestamp) -> String {
    match civil(at) {
        Some(c) => {
            let mut out = String::with_capacity(24);
            c.write_time(&mut out, 'T');
            out.push(':');
            push_digits(&mut out, c.second, 2);
            // Fractions of a second as RFC 3339 allows and `time` writes them: only when there
            // are any, without trailing zeros.
            if c.millisecond != 0 {
                out.push('.');
                let (mut digits, mut width) = (c.millisecond, 3);
                while digits % 10 == 0 {
                    digits /= 10;
                    width -= 1;
                }
                push_digits(&mut out, digits, width);
            }
            out.push('Z');
            out
        }
        None => utc(at).format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
    }
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
        assert_eq!(iso(Timestamp(1_763_761_500_381)), "2025-11-21T21:45:00.381Z");
    }

    /// The hand-written forms say exactly what `time` says, over the whole range and its edges.
    #[test]
    fn the_fast_forms_agree_with_time() {
        let slow = |at: Timestamp| {
            let t = utc(at);
            (
                t.format(format_description!("[year]-[month]-[day]")).unwrap(),
                t.format(format_description!("[year]-[month]-[day] [hour]:[minute] UTC")).unwrap(),
                t.format(&time::format_description::well_known::Rfc3339).unwrap(),
            )
        };
        let mut samples = vec![0, 1, 10, 100, 999, 86_399_999, 86_400_000, 951_782_400_000, YEAR_10000 - 1];
        // Leap days, month ends and centuries, and a spread of ordinary times.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            samples.push((x % YEAR_10000 as u64) as i64);
        }
        for day in 0..(400 * 366) {
            samples.push(day * 86_400_000 + (day % 1000) * 10);
        }
        for at in samples.into_iter().map(Timestamp) {
            assert_eq!((date(at), date_time(at), iso(at)), slow(at), "{}", at.0);
        }
    }
}
