//! How times are shown: in the reader's time zone and language, with the zone named, and the
//! exact instant for `<time datetime="…">` in UTC.
//!
//! Every list row shows two or three of these, on the pages read most, so they are written by
//! hand from the civil date rather than interpreted from format descriptions each time: the
//! zone's offset at that instant comes from jiff (its own copy of the IANA database), the rest
//! is arithmetic. Times outside 1970–9999 go through `time`/jiff.

use super::i18n::{Lang, Reader};
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

/// A time zone as the reader chose it (or the forum's default), by its IANA name.
#[derive(Debug, Clone)]
pub struct Zone {
    tz: jiff::tz::TimeZone,
    name: std::sync::Arc<str>,
}

impl Default for Zone {
    fn default() -> Self {
        Zone { tz: jiff::tz::TimeZone::UTC, name: "UTC".into() }
    }
}

/// A zone is its name: the database has one rule set per name.
impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl std::hash::Hash for Zone {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl Zone {
    /// A date and time typed in this zone (an `<input type="datetime-local">`: minutes, or
    /// seconds with `step`), as the moment it names.
    pub fn parse_local(&self, text: &str) -> Option<Timestamp> {
        let civil: jiff::civil::DateTime = text.trim().parse().ok()?;
        Some(Timestamp(self.tz.to_timestamp(civil).ok()?.as_millisecond()))
    }

    /// The zone of an IANA name (`Asia/Seoul`, `UTC`), if the bundled database has it.
    pub fn named(name: &str) -> Option<Zone> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let tz = jiff::tz::db().get(name).ok()?;
        let name = tz.iana_name().unwrap_or(name).into();
        Some(Zone { tz, name })
    }

    /// The IANA name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every zone name the bundled database knows, sorted.
    pub fn all_names() -> &'static [String] {
        static NAMES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
            let mut names: Vec<String> = jiff::tz::db().available().map(|name| name.as_str().to_string()).collect();
            names.sort();
            names
        });
        &NAMES
    }

    /// The local time of an instant (as milliseconds since 1970 on the local clock), and the
    /// zone's abbreviation then ("KST", "CEST"; "UTC+09" where the database has only a number).
    fn local(&self, at: Timestamp) -> (i64, String) {
        let Ok(instant) = jiff::Timestamp::from_millisecond(at.0) else {
            return (at.0, "UTC".into());
        };
        let info = self.tz.to_offset_info(instant);
        let abbreviation = info.abbreviation();
        let named =
            if abbreviation.starts_with(['+', '-']) { format!("UTC{abbreviation}") } else { abbreviation.to_string() };
        (at.0.saturating_add(i64::from(info.offset().seconds()) * 1000), named)
    }
}

/// The month names of each language, read once from its messages.
fn month_names(lang: Lang) -> &'static [String] {
    static MONTHS: std::sync::LazyLock<Vec<Vec<String>>> = std::sync::LazyLock::new(|| {
        Lang::ALL.iter().map(|lang| lang.t("date-months").split_whitespace().map(str::to_string).collect()).collect()
    });
    &MONTHS[lang as usize]
}

#[cfg(test)]
pub fn month_names_for_tests(lang: Lang) -> &'static [String] {
    month_names(lang)
}

impl Civil {
    fn write_in(&self, lang: Lang, out: &mut String) {
        let month = month_names(lang).get((self.month - 1) as usize).map_or("", String::as_str);
        match lang {
            // 21 Nov 2026
            Lang::En => {
                push_number(out, self.day);
                out.push(' ');
                out.push_str(month);
                out.push(' ');
                push_number(out, self.year);
            }
            // 2026년 11월 21일
            Lang::Ko => {
                push_number(out, self.year);
                out.push_str("년 ");
                out.push_str(month);
                out.push(' ');
                push_number(out, self.day);
                out.push('일');
            }
        }
    }

    fn write_clock(&self, out: &mut String) {
        push_digits(out, self.hour, 2);
        out.push(':');
        push_digits(out, self.minute, 2);
    }
}

fn push_number(out: &mut String, value: i64) {
    out.push_str(&value.to_string());
}

/// The day, in the reader's zone and language: "21 Nov 2026", "2026년 11월 21일".
pub fn date(reader: &Reader, at: Timestamp) -> String {
    let (local, _) = reader.zone.local(at);
    match civil(Timestamp(local)) {
        Some(c) => {
            let mut out = String::with_capacity(24);
            c.write_in(reader.lang, &mut out);
            out
        }
        None => utc(Timestamp(local)).format(format_description!("[year]-[month]-[day]")).unwrap_or_default(),
    }
}

/// The day and time, in the reader's zone and language, with the zone named:
/// "21 Nov 2026, 21:45 UTC", "2026년 11월 22일 06:45 KST".
pub fn date_time(reader: &Reader, at: Timestamp) -> String {
    let (local, zone) = reader.zone.local(at);
    match civil(Timestamp(local)) {
        Some(c) => {
            let mut out = String::with_capacity(40);
            c.write_in(reader.lang, &mut out);
            out.push_str(if reader.lang == Lang::En { ", " } else { " " });
            c.write_clock(&mut out);
            out.push(' ');
            out.push_str(&zone);
            out
        }
        None => {
            let day = utc(Timestamp(local)).format(format_description!("[year]-[month]-[day] [hour]:[minute]"));
            format!("{} {zone}", day.unwrap_or_default())
        }
    }
}

/// A moment in UTC to the second, for messages shown before a reader's zone is known (a
/// timed block's end on the login form): "2026-12-03 07:45:00 UTC".
pub fn utc_minute(at: Timestamp) -> String {
    let text = utc(at).format(format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"));
    format!("{} UTC", text.unwrap_or_default())
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

    fn reader(lang: Lang, zone: &str) -> Reader {
        Reader { lang, zone: Zone::named(zone).unwrap() }
    }

    #[test]
    fn times_read_in_the_reader_s_zone_and_language() {
        let at = Timestamp(1_763_761_500_000); // 2025-11-21 21:45 UTC
        assert_eq!(date(&Reader::default(), at), "21 Nov 2025");
        assert_eq!(date_time(&Reader::default(), at), "21 Nov 2025, 21:45 UTC");
        assert_eq!(date_time(&reader(Lang::Ko, "Asia/Seoul"), at), "2025년 11월 22일 06:45 KST");
        assert_eq!(date(&reader(Lang::Ko, "Asia/Seoul"), at), "2025년 11월 22일");
        assert_eq!(date_time(&reader(Lang::En, "America/New_York"), at), "21 Nov 2025, 16:45 EST");
        // Summer time, from the zone's own rules.
        assert_eq!(
            date_time(&reader(Lang::En, "Europe/Berlin"), Timestamp(1_751_400_000_000)),
            "1 Jul 2025, 22:00 CEST"
        );
        // A zone the database names only by its offset.
        assert_eq!(date_time(&reader(Lang::En, "Asia/Dubai"), at), "22 Nov 2025, 01:45 UTC+04");
        assert_eq!(iso(at), "2025-11-21T21:45:00Z");
        assert_eq!(iso(Timestamp(1_763_761_500_381)), "2025-11-21T21:45:00.381Z");
        assert!(Zone::named("Mars/Olympus").is_none());
        assert_eq!(Zone::named("Asia/Seoul").unwrap().name(), "Asia/Seoul");
    }

    /// The hand-written forms say exactly what `time` says, over the whole range and its edges.
    #[test]
    fn the_fast_forms_agree_with_time() {
        let slow = |at: Timestamp| {
            let t = utc(at);
            (
                t.format(format_description!("[day padding:none] [month repr:short] [year]")).unwrap(),
                t.format(format_description!("[day padding:none] [month repr:short] [year], [hour]:[minute] UTC"))
                    .unwrap(),
                t.format(&time::format_description::well_known::Rfc3339).unwrap(),
            )
        };
        let utc_reader = Reader::default();
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
            assert_eq!((date(&utc_reader, at), date_time(&utc_reader, at), iso(at)), slow(at), "{}", at.0);
        }
    }
}
