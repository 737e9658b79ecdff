//! Search words, the same for both databases: a word is a run of letters and digits in any
//! script, folded to lower case; every word the user types must appear at the start of some
//! word of the title, the text or the author's name ("게시판" finds "게시판에서", "rust" finds
//! "rustacean").

/// The words of a text as the search indexes see them.
pub(in super::super) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(|word| word.to_lowercase())
}

/// The words of a query, each kept once, at most eight.
pub(super) fn query_words(typed: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in typed.iter().flat_map(|t| words(t)) {
        if !out.contains(&word) && out.len() < 8 {
            out.push(word.chars().take(64).collect());
        }
    }
    out
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
    fn query_words_are_folded_and_kept_once() {
        let query = query_words(&["Rust".into(), "\"게시판".into(), "rust".into()]);
        assert_eq!(query, ["rust", "게시판"]);
    }
}
