//! Full-text search terms, the same for both databases: a word is a run of letters and
//! digits in any script, folded to lower case; every word the user types must appear at the
//! start of some word of the title, the text or the author's name ("게시판" finds
//! "게시판에서", "rust" finds "rustacean").

/// The words of a text as the search indexes see them.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(|word| word.to_lowercase())
}

/// The words of a query, each kept once, at most eight.
pub fn query_words(typed: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in typed.iter().flat_map(|t| words(t)) {
        if !out.contains(&word) && out.len() < 8 {
            out.push(word.chars().take(64).collect());
        }
    }
    out
}

/// SQLite FTS5: every word as a quoted prefix query, all required.
pub fn fts5_match(words: &[String]) -> String {
    words.iter().map(|w| format!("\"{}\"*", w.replace('"', "\"\""))).collect::<Vec<_>>().join(" ")
}

/// InnoDB FULLTEXT skips words under three characters and its stop words; a two-letter mark
/// in front of every word makes each one long enough and never a stop word.
const MARK: &str = "zz";

/// The text MariaDB indexes for a post.
pub fn marked_terms(title: &str, content: &str, author: Option<&str>) -> String {
    let mut terms = String::with_capacity(title.len() + content.len() + 64);
    for word in words(title).chain(words(content)).chain(author.into_iter().flat_map(words)) {
        // InnoDB's longest token is 84 characters; longer words are cut there, in index and query alike.
        let word: String = word.chars().take(80).collect();
        terms.push_str(MARK);
        terms.push_str(&word);
        terms.push(' ');
    }
    terms
}

/// MariaDB boolean-mode query: every marked word required, matched by prefix.
pub fn marked_match(words: &[String]) -> String {
    words.iter().map(|w| format!("+{MARK}{}*", w.chars().take(80).collect::<String>())).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_anything_but_letters_and_digits() {
        let found: Vec<String> = words("Hello, 세계! C++ go-lang 2026").collect();
        assert_eq!(found, ["hello", "세계", "c", "go", "lang", "2026"]);
    }

    #[test]
    fn queries_quote_words_as_prefixes() {
        let query = query_words(&["Rust".into(), "\"게시판".into(), "rust".into()]);
        assert_eq!(query, ["rust", "게시판"]);
        assert_eq!(fts5_match(&query), "\"rust\"* \"게시판\"*");
        assert_eq!(marked_match(&query), "+zzrust* +zz게시판*");
    }

    #[test]
    fn marked_terms_make_short_words_long_enough() {
        assert_eq!(marked_terms("Go 언어", "a", Some("Kim")), "zzgo zz언어 zza zzkim ");
    }
}
