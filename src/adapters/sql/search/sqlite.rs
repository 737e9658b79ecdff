//! Search on SQLite: an FTS5 index of each post's title, text and author, queried by word
//! prefix; and the narrowed walk for words longer than FTS5's prefix indexes.

use super::super::SqlDatabase;
use super::super::reads::{LIST_COLUMNS, scope_filter};
use super::super::rows::read_by_name;
use super::{Verdict, search_sql};
use crate::domain::PostId;
use crate::ports::{ListScope, PostListRow};

/// FTS5: every word as a quoted prefix query, all required.
pub(super) fn fts5_match(words: &[String]) -> String {
    words.iter().map(|w| format!("\"{}\"*", w.replace('"', "\"\""))).collect::<Vec<_>>().join(" ")
}

/// SQLite FTS5 answers a prefix of two or three characters from its prefix indexes, walking
/// the matches newest first and stopping at the end of the page. A longer prefix ("rust") it
/// answers by merging the lists of every indexed word that begins with it — every match in
/// the forum — before the first row comes back. So a longer word of plain letters and digits
/// is looked up by its first three characters (a page of candidates, newest first) and each
/// candidate checked for the whole word; see [`verdict`]. None for a word FTS5 looks up as
/// it is.
pub(super) fn narrowed(word: &str) -> Option<&str> {
    let plain = word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if plain { word.get(..3).filter(|_| word.len() > 3) } else { None }
}

/// The start and end marks of the words FTS5's `highlight()` found: control characters,
/// which its tokenizer never makes part of a word.
const MARK_START: char = '\u{1}';
const MARK_END: char = '\u{2}';

/// Checks a candidate: `highlighted` are its columns as `highlight()` marked them for the
/// narrowed query, `words` the words that were narrowed. Every marked word is a word of the
/// post that begins with a narrowed prefix; a word written in ASCII folds to its lower case,
/// exactly as FTS5 folds it, so it settles whether a query word is its beginning. Any other
/// marked word that could fold to ASCII letters leaves the candidate to FTS5.
fn verdict(highlighted: &[&str], words: &[&str]) -> Verdict {
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
                    *found |= marked.get(..word.len()).is_some_and(|start| start.eq_ignore_ascii_case(word));
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

/// A list row with its title, text and author as `highlight()` marked them.
struct MarkedPost {
    post: PostListRow,
    marked_title: Option<String>,
    marked_content: Option<String>,
    marked_author: Option<String>,
}
read_by_name!(MarkedPost { post as row, marked_title, marked_content, marked_author });

/// The next `batch` posts older than `below` that match the narrowed `pattern`, newest
/// first, each with a [`verdict`] on the `narrowed_words`.
pub(super) async fn judge_narrowed(
    db: &SqlDatabase,
    pattern: &str,
    narrowed_words: &[&str],
    scope: ListScope,
    below: PostId,
    batch: i64,
) -> sqlx::Result<Vec<(PostListRow, Verdict)>> {
    let (filter, scope_id) = scope_filter(scope);
    let columns = format!(
        "{LIST_COLUMNS}, highlight(rm_post_search, 0, char(1), char(2)) AS marked_title, \
         highlight(rm_post_search, 1, char(1), char(2)) AS marked_content, \
         highlight(rm_post_search, 2, char(1), char(2)) AS marked_author"
    );
    let sql = search_sql(db.dialect, &columns, filter, batch);
    let mut query = sqlx::query_as::<_, MarkedPost>(sql).bind(pattern).bind(below);
    if let Some(id) = scope_id {
        query = query.bind(id);
    }
    let rows = query.fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let marked = [row.marked_title, row.marked_content, row.marked_author].map(Option::unwrap_or_default);
            (row.post, verdict(&marked.each_ref().map(String::as_str), narrowed_words))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_quote_words_as_prefixes() {
        assert_eq!(fts5_match(&["rust".into(), "게시판".into()]), "\"rust\"* \"게시판\"*");
        assert_eq!(fts5_match(&["say\"hi".into()]), "\"say\"\"hi\"*");
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
}
