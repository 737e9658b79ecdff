//! The languages of the interface and the reader's time zone.
//!
//! Every word the pages show comes from the Fluent files under `locales/` (compiled in, parsed
//! once at the first use). The core never sees a language: it only stores a user's preference
//! as an opaque code, which this module turns into a [`Lang`] or falls back from.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use std::sync::LazyLock;

/// A language the interface is offered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Ko,
}

/// The Fluent files of every language, in the order of [`Lang::ALL`]: the same file names under
/// `locales/en/` and `locales/ko/`, one file for each part of the forum.
macro_rules! sources {
    ($($file:literal),+ $(,)?) => {
        [
            ("en", &[$(include_str!(concat!("../../locales/en/", $file))),+]),
            ("ko", &[$(include_str!(concat!("../../locales/ko/", $file))),+]),
        ]
    };
}

const SOURCES: [(&str, &[&str]); 2] = sources![
    "forum.ftl",
    "signup.ftl",
    "feeds.ftl",
    "limits.ftl",
    "moderation.ftl",
    "threads.ftl",
    "mail.ftl",
    "notifications.ftl",
    "reports.ftl",
    "modlog.ftl",
];

static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 2]> =
    LazyLock::new(|| SOURCES.map(|(code, files)| bundle(code, files)));

fn bundle(code: &str, files: &[&str]) -> FluentBundle<FluentResource> {
    let lang = code.parse().expect("a language code of SOURCES is a valid language identifier");
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // Both languages run left to right; the isolation marks around values would only end up in
    // titles, copied links and tests.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(format_number));
    for ftl in files {
        // The files are part of the program: a syntax error is caught by the unit tests.
        let resource = FluentResource::try_new((*ftl).to_string()).unwrap_or_else(|(resource, errors)| {
            tracing::error!(code, ?errors, "a translation file has errors");
            resource
        });
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(code, ?errors, "the translation files define a message twice");
        }
    }
    bundle
}

/// Whole numbers with thousands separators: both English and Korean group by three with a
/// comma ("1,234", "댓글 1,234개"). Fluent's own formatting writes the bare digits.
fn format_number(value: &FluentValue, _: &intl_memoizer::concurrent::IntlLangMemoizer) -> Option<String> {
    match value {
        FluentValue::Number(number) if number.value.fract() == 0.0 && number.value.abs() >= 1000.0 => {
            Some(group_digits(number.value as i64))
        }
        _ => None,
    }
}

pub fn group_digits(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A number that a message counts (the templates hand over numbers and references to them).
pub trait Count {
    fn count(&self) -> i64;
}

impl Count for i64 {
    fn count(&self) -> i64 {
        *self
    }
}

impl Count for usize {
    fn count(&self) -> i64 {
        i64::try_from(*self).unwrap_or(i64::MAX)
    }
}

impl Count for u16 {
    fn count(&self) -> i64 {
        i64::from(*self)
    }
}

impl<T: Count> Count for &T {
    fn count(&self) -> i64 {
        (**self).count()
    }
}

/// Who reads a page: the language and the time zone it is shown in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Reader {
    pub lang: Lang,
    pub zone: super::format::Zone,
}

/// A value put into a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(i64),
}

/// A message to be told in the reader's language: its key and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Msg {
    pub fn new(key: &'static str) -> Self {
        Msg { key, args: Vec::new() }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, Arg::Text(value.into())));
        self
    }

    pub fn num(mut self, name: &'static str, value: impl TryInto<i64>) -> Self {
        self.args.push((name, Arg::Number(value.try_into().unwrap_or(i64::MAX))));
        self
    }
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ko];

    /// The BCP 47 code (`<html lang>`, the cookie, the user's setting).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// The language's own name, as the switcher offers it.
    pub fn name(self) -> Cow<'static, str> {
        self.t("language-name")
    }

    /// A language tag (`ko`, `ko-KR`, `EN-gb`) to the language offered for it, if any.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Lang::ALL.into_iter().find(|lang| lang.code().eq_ignore_ascii_case(primary))
    }

    /// The best offered language of an `Accept-Language` header: the highest quality wins,
    /// the first of equals; `q=0` means "not this one".
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let mut quality = 1.0_f32;
            for param in parts {
                if let Some(q) = param.trim().strip_prefix("q=").or_else(|| param.trim().strip_prefix("Q=")) {
                    quality = q.trim().parse().unwrap_or(0.0);
                }
            }
            if !(quality > 0.0 && quality <= 1.0) {
                continue;
            }
            if let Some(lang) = Lang::from_tag(tag)
                && best.is_none_or(|(q, _)| quality > q)
            {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        &BUNDLES[self as usize]
    }

    fn format(self, key: &str, args: Option<&FluentArgs>) -> Cow<'static, str> {
        let bundle = self.bundle();
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::error!(key, lang = self.code(), "no such message");
            return Cow::Owned(key.to_string());
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::error!(key, lang = self.code(), ?errors, "formatting a message failed");
        }
        text
    }

    /// The message `key`.
    pub fn t(self, key: &str) -> Cow<'static, str> {
        self.format(key, None)
    }

    /// The message `key` with a count (`$count`), which also picks its plural form.
    pub fn tn(self, key: &str, count: impl Count) -> String {
        let mut args = FluentArgs::new();
        args.set("count", count.count());
        self.format(key, Some(&args)).into_owned()
    }

    /// The message `key` with one text value (`$name` is `value`).
    pub fn ta(self, key: &str, name: &'static str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name, value.to_string());
        self.format(key, Some(&args)).into_owned()
    }

    /// The message `key` with two text values.
    pub fn ta2(self, key: &str, name1: &'static str, value1: &str, name2: &'static str, value2: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name1, value1.to_string());
        args.set(name2, value2.to_string());
        self.format(key, Some(&args)).into_owned()
    }

    /// A [`Msg`] in this language.
    pub fn msg(self, msg: &Msg) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in &msg.args {
            match value {
                Arg::Text(text) => args.set(*name, text.clone()),
                Arg::Number(number) => args.set(*name, *number),
            }
        }
        self.format(msg.key, Some(&args)).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_negotiated_by_quality() {
        assert_eq!(Lang::from_accept_language("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7"), Some(Lang::Ko));
        assert_eq!(Lang::from_accept_language("en;q=0.5, ko;q=0.8"), Some(Lang::Ko));
        assert_eq!(Lang::from_accept_language("fr-FR, en;q=0.3, ko;q=0.2"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("ko;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr, de;q=0.9"), None);
        assert_eq!(Lang::from_accept_language("ko;q=abc"), None);
        assert_eq!(Lang::from_accept_language(""), None);
        assert_eq!(Lang::from_tag("KO_kr"), Some(Lang::Ko));
        assert_eq!(Lang::from_tag("kok"), None);
    }

    #[test]
    fn counts_take_each_language_s_plural_and_grouping() {
        assert_eq!(Lang::En.tn("count-comments", 1_i64), "1 comment");
        assert_eq!(Lang::En.tn("count-comments", 2_i64), "2 comments");
        assert_eq!(Lang::En.tn("count-comments", 12345_i64), "12,345 comments");
        assert_eq!(Lang::Ko.tn("count-comments", 1_i64), "댓글 1개");
        assert_eq!(Lang::Ko.tn("count-comments", 1234_i64), "댓글 1,234개");
        assert_eq!(group_digits(-1_000_000), "-1,000,000");
        assert_eq!(group_digits(999), "999");
    }

    #[test]
    fn the_files_parse_without_errors() {
        for (code, files) in SOURCES {
            for ftl in files {
                if let Err((_, errors)) = FluentResource::try_new((*ftl).to_string()) {
                    panic!("{code}: {errors:?}");
                }
            }
        }
    }

    /// The message ids a language's Fluent files define; a message defined in two files fails.
    fn defined(files: &[&str]) -> std::collections::BTreeSet<String> {
        let mut ids = std::collections::BTreeSet::new();
        for ftl in files {
            let lines = ftl.lines().filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()));
            for id in lines.filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_string())) {
                assert!(ids.insert(id.clone()), "{id:?} is defined twice");
            }
        }
        ids
    }

    /// Every file of the interface: the templates and the web layer's code.
    fn interface_sources() -> Vec<(std::path::PathBuf, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["templates", "src/web"] {
            let mut stack = vec![root.join(dir)];
            while let Some(dir) = stack.pop() {
                for entry in std::fs::read_dir(&dir).unwrap() {
                    let path = entry.unwrap().path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if path != root.join("src/web/i18n.rs") {
                        let text = std::fs::read_to_string(&path).unwrap();
                        files.push((path, text));
                    }
                }
            }
        }
        files
    }

    /// The keys the sources look up: the first argument of every lookup (`t("…")`, `tn`, `ta`,
    /// `ta2`, `Msg::new`), and in code the keys picked in `match` arms, which carry one of the
    /// prefixes of those families.
    fn used(text: &str, is_code: bool) -> std::collections::BTreeSet<String> {
        let mut keys = std::collections::BTreeSet::new();
        for (at, _) in text.match_indices("(\"") {
            // `at` is the byte of an ASCII '(', so both sides of it are whole characters.
            let (before, rest) = (text.get(..at).unwrap(), text.get(at + 2..).unwrap());
            let called = ["t", "tn", "ta", "ta2", "Msg::new"].iter().any(|name| {
                before.strip_suffix(name).is_some_and(|head| !head.ends_with(|c: char| c.is_alphanumeric() || c == '_'))
            });
            let key: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
            if called && rest.get(key.len()..).is_some_and(|tail| tail.starts_with('"')) {
                keys.insert(key);
            }
        }
        // (Only in code: templates have CSS classes such as "error-summary".)
        for (at, _) in text.match_indices('"').filter(|_| is_code) {
            let rest = text.get(at + 1..).unwrap();
            let key: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
            let family = ["error-", "refusal-", "flash-", "role-"].iter().any(|p| key.starts_with(p));
            if family && key.len() > 6 && rest.get(key.len()..).is_some_and(|tail| tail.starts_with('"')) {
                keys.insert(key);
            }
        }
        keys
    }

    /// Both languages define the same messages; every message the interface asks for exists;
    /// every message is asked for somewhere (its key appears, quoted, in a template or in
    /// src/web). This module itself asks for the language names and the month names.
    #[test]
    fn every_key_is_in_both_languages_and_used() {
        let en = defined(SOURCES[0].1);
        let ko = defined(SOURCES[1].1);
        assert!(en.len() > 100, "the English file was read");
        assert_eq!(en.difference(&ko).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in Korean");
        assert_eq!(ko.difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in English");
        let sources = interface_sources();
        let mut asked = std::collections::BTreeSet::new();
        for (path, text) in &sources {
            for key in used(text, path.extension().is_some_and(|e| e == "rs")) {
                assert!(en.contains(&key), "{} asks for {key:?}, which locales/ does not define", path.display());
                asked.insert(key);
            }
        }
        let here = include_str!("i18n.rs");
        let unused: Vec<&String> = en
            .iter()
            .filter(|key| !asked.contains(*key))
            .filter(|key| {
                let quoted = format!("\"{key}\"");
                !sources.iter().any(|(_, text)| text.contains(&quoted)) && !here.contains(&quoted)
            })
            .collect();
        assert_eq!(unused, Vec::<&String>::new(), "defined but used nowhere");
        for lang in Lang::ALL {
            assert_eq!(crate::web::format::month_names_for_tests(lang).len(), 12, "{lang:?} names twelve months");
        }
    }
}
