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

/// SQLite FTS5 answers a prefix of two or three characters from its prefix indexes, walking
/// the matches newest first and stopping at the end of the page. A longer prefix ("rust") it
/// answers by merging the lists of every indexed word that begins with it — every match in
/// the forum — before the first row comes back. So a longer word of plain letters and digits
/// is looked up by its first three characters (a page of candidates, newest first) and each
/// candidate checked for the whole word; see [`verdict`]. None for a word FTS5 looks up as
/// it is.
pub fn narrowed(word: &str) -> Option<&str> {
    let plain = word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (plain && word.len() > 3).then(|| &word[..3])
}

/// The start and end marks of the words FTS5's `highlight()` found: control characters,
/// which its tokenizer never makes part of a word.
pub const MARK_START: char = '\u{1}';
pub const MARK_END: char = '\u{2}';

/// Whether a candidate found by the narrowed prefixes matches the whole query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Match,
    NoMatch,
    /// A found word has letters whose folded form only FTS5 knows (accents, other scripts):
    /// FTS5 must decide.
    Unsure,
}

/// Checks a candidate: `highlighted` are its columns as `highlight()` marked them for the
/// narrowed query, `words` the words that were narrowed. Every marked word is a word of the
/// post that begins with a narrowed prefix; a word written in ASCII folds to its lower case,
/// exactly as FTS5 folds it, so it settles whether a query word is its beginning. Any other
/// marked word that could fold to ASCII letters leaves the candidate to FTS5.
pub fn verdict(highlighted: &[&str], words: &[&str]) -> Verdict {
    let mut found = vec![false; words.len()];
    let mut unsure = false;
    for column in highlighted {
        // A marked word runs from the last start mark before an end mark to that end mark.
        let mut pieces = column.split(MARK_END);
        pieces.next_back(); // after the last end mark: no marked word
        for piece in pieces {
            let Some((_, marked)) = piece.rsplit_once(MARK_START) else { continue };
            if marked.is_ascii() {
                for (word, found) in words.iter().zip(found.iter_mut()) {
                    *found |= marked.len() >= word.len() && marked[..word.len()].eq_ignore_ascii_case(word);
                }
            } else if marked.chars().next().is_some_and(|c| !never_folds_to_ascii(c)) {
                unsure = true;
            }
        }
    }
    match (found.iter().all(|&f| f), unsure) {
        (true, _) => Verdict::Match,
        (false, true) => Verdict::Unsure,
        (false, false) => Verdict::NoMatch,
    }
}

/// Letters of scripts without case or accents (Hangul, kana, CJK): no folding makes them ASCII.
fn never_folds_to_ascii(c: char) -> bool {
    matches!(c, '\u{1100}'..='\u{11FF}' | '\u{3040}'..='\u{30FF}' | '\u{3130}'..='\u{318F}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}')
}

/// InnoDB FULLTEXT skips words under three characters and its stop words; a two-letter mark
/// in front of every word makes each one long enough and never a stop word.
const MARK: &str = "zz";

/// The text MariaDB indexes for a post.
pub fn marked_terms(title: &str, content: &str, author: Option<&str>) -> String {
    let mut terms = String::with_capacity(title.len() + content.len() + 64);
    for word in words(title).chain(words(content)).chain(author.into_iter().flat_map(words)) {
        terms.push_str(MARK);
        terms.push_str(capped(&word));
        terms.push(' ');
    }
    terms
}

/// InnoDB's longest token is 84 characters; longer words are cut to 80, in index and query alike.
fn capped(word: &str) -> &str {
    word.char_indices().nth(80).map_or(word, |(end, _)| &word[..end])
}

/// MariaDB boolean-mode query: every marked word required, matched by prefix.
pub fn marked_match(words: &[String]) -> String {
    words.iter().map(|w| format!("+{MARK}{}*", capped(w))).collect::<Vec<_>>().join(" ")
}

/// Whether a post's indexed terms, as [`marked_terms`] wrote them, hold every query word at
/// the start of one of their words. This is the test [`marked_match`] asks of MariaDB: its
/// index compares the bytes (the tables are `utf8mb4_bin`) of words we folded ourselves, so
/// a candidate can be checked here exactly as the index would check it.
pub fn terms_match(terms: &str, words: &[String]) -> bool {
    words.iter().all(|word| {
        let word = capped(word);
        terms.split(' ').any(|term| term.strip_prefix(MARK).is_some_and(|term| term.starts_with(word)))
    })
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
    fn long_plain_words_are_narrowed_to_three_characters() {
        assert_eq!(narrowed("rust"), Some("rus"));
        assert_eq!(narrowed("2026"), Some("202"));
        assert_eq!(narrowed("rus"), None, "FTS5 has a prefix index for three");
        assert_eq!(narrowed("게시판에서"), None);
        assert_eq!(narrowed("café"), None);
    }

    #[test]
    fn candidates_are_checked_by_their_marked_words() {
        let mark = |w: &str| format!("{MARK_START}{w}{MARK_END}");
        let title = format!("{} and {}", mark("Rustacean"), mark("Russia"));
        assert_eq!(verdict(&[&title, "", ""], &["rust"]), Verdict::Match, "letter case folds");
        assert_eq!(verdict(&[&title, "", ""], &["rusty"]), Verdict::NoMatch);
        assert_eq!(verdict(&[&title, "", ""], &["rust", "russ"]), Verdict::Match, "every word");
        assert_eq!(verdict(&[&title, "", ""], &["rust", "rusty"]), Verdict::NoMatch);
        let accented = format!("{} {}", mark("Rüstig"), mark("게시판"));
        assert_eq!(verdict(&[&accented], &["rust"]), Verdict::Unsure, "only FTS5 knows how ü folds");
        assert_eq!(verdict(&[&mark("게시판에서")], &["rust"]), Verdict::NoMatch, "Hangul never folds to ASCII");
        // Marks typed into a post never make a word match that is not there.
        let typed = format!("{MARK_START}{MARK_START}xyz {}{MARK_END}", mark("rusty"));
        assert_eq!(verdict(&[&typed], &["rust"]), Verdict::Match);
        assert_eq!(verdict(&[&format!("{MARK_START}rust {MARK_END}{MARK_END}")], &["rusty"]), Verdict::NoMatch);
    }

    #[test]
    fn marked_terms_make_short_words_long_enough() {
        assert_eq!(marked_terms("Go 언어", "a", Some("Kim")), "zzgo zz언어 zza zzkim ");
    }

    #[test]
    fn terms_match_every_word_at_the_start_of_a_word() {
        let terms = marked_terms("Rustacean notes", "게시판에서 만나요, buzzword", Some("Kim"));
        let query = |q: &str| query_words(&[q.to_string()]);
        assert!(terms_match(&terms, &query("rust")));
        assert!(terms_match(&terms, &query("RUST 게시판 kim")), "every word, each folded");
        assert!(!terms_match(&terms, &query("rust russia")), "one word missing");
        assert!(!terms_match(&terms, &query("word")), "inside a word is not its start");
        assert!(!terms_match(&terms, &query("zzword")), "the mark is not part of a word");
        assert!(!terms_match(&terms, &query("acean")));
        let long = "a".repeat(100);
        let terms = marked_terms(&long, "", None);
        assert!(terms_match(&terms, std::slice::from_ref(&long)), "cut to the same length in index and query");
        assert!(terms_match(&terms, &["a".repeat(90)]));
    }
}
