//! Search on MariaDB: a FULLTEXT index of terms we fold and mark ourselves, queried in
//! boolean mode; and the walk over the newest posts that checks those terms here.

use super::super::SqlDatabase;
use super::super::reads::{LIST_COLUMNS, scope_filter};
use super::super::rows::read_by_name;
use super::Verdict;
use super::words::words;
use crate::domain::PostId;
use crate::ports::{ListScope, PostListRow};

/// InnoDB FULLTEXT skips words under three characters and its stop words; a two-letter mark
/// in front of every word makes each one long enough and never a stop word.
pub(super) const MARK: &str = "zz";

/// The text MariaDB indexes for a post.
pub(in super::super) fn marked_terms(title: &str, content: &str, author: Option<&str>) -> String {
    let mut terms = String::with_capacity(title.len() + content.len() + 64);
    for word in words(title).chain(words(content)).chain(author.into_iter().flat_map(words)) {
        terms.push_str(MARK);
        terms.push_str(capped(&word));
        terms.push(' ');
    }
    terms
}

/// InnoDB's longest token is 84 characters; longer words are cut to 80, in index and query alike.
pub(super) fn capped(word: &str) -> &str {
    word.char_indices().nth(80).and_then(|(end, _)| word.get(..end)).unwrap_or(word)
}

/// Boolean-mode query: every marked word required, matched by prefix.
pub(super) fn marked_match(words: &[String]) -> String {
    words.iter().map(|w| format!("+{MARK}{}*", capped(w))).collect::<Vec<_>>().join(" ")
}

/// Whether a post's indexed terms, as [`marked_terms`] wrote them, hold every query word at
/// the start of one of their words. This is the test [`marked_match`] asks of MariaDB: its
/// index compares the bytes (the tables are `utf8mb4_bin`) of words we folded ourselves, so
/// a candidate can be checked here exactly as the index would check it.
fn terms_match(terms: &str, words: &[String]) -> bool {
    words.iter().all(|word| {
        let word = capped(word);
        terms.split(' ').any(|term| term.strip_prefix(MARK).is_some_and(|term| term.starts_with(word)))
    })
}

/// A list row with the terms the full-text index holds for it.
struct IndexedPost {
    post: PostListRow,
    terms: String,
}
read_by_name!(IndexedPost { post as row, terms });

/// The next `batch` posts of the scope older than `below`, newest first, each with a verdict
/// on whether its terms hold every one of `words`. MariaDB's FULLTEXT index finds every
/// match of a word before the newest can be picked, which for a common word in a big forum
/// takes seconds; the newest posts of a list are found by its index at once.
pub(super) async fn judge_newest(
    db: &SqlDatabase,
    words: &[String],
    scope: ListScope,
    below: PostId,
    batch: i64,
) -> sqlx::Result<Vec<(PostListRow, Verdict)>> {
    let (filter, scope_id) = scope_filter(scope);
    let index = db.dialect.list_index(scope);
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {LIST_COLUMNS}, s.terms FROM rm_post p{index} \
         JOIN rm_post_search s ON s.post_id = p.post_id \
         WHERE {filter} AND p.post_id < ? ORDER BY p.post_id DESC LIMIT {batch}"
    ));
    let mut query = sqlx::query_as::<_, IndexedPost>(sql);
    if let Some(id) = scope_id {
        query = query.bind(id);
    }
    Ok(query.bind(below).fetch_all(&db.pool).await?.into_iter().map(|row| judged(row, words)).collect())
}

/// The next `batch` posts of the scope older than `below` whose terms hold a word beginning
/// with `word`, newest first (the FULLTEXT index's answer for that word alone), each with a
/// verdict on whether its terms hold every one of `words`.
pub(super) async fn judge_matches_of(
    db: &SqlDatabase,
    word: &str,
    words: &[String],
    scope: ListScope,
    below: PostId,
    batch: i64,
) -> sqlx::Result<Vec<(PostListRow, Verdict)>> {
    let (filter, scope_id) = scope_filter(scope);
    let sql = super::search_sql(db.dialect, &format!("{LIST_COLUMNS}, s.terms"), filter, batch);
    let mut query = sqlx::query_as::<_, IndexedPost>(sql).bind(marked_match(&[word.to_string()])).bind(below);
    if let Some(id) = scope_id {
        query = query.bind(id);
    }
    Ok(query.fetch_all(&db.pool).await?.into_iter().map(|row| judged(row, words)).collect())
}

/// A candidate and whether its terms hold every one of `words`.
fn judged(row: IndexedPost, words: &[String]) -> (PostListRow, Verdict) {
    let verdict = if terms_match(&row.terms, words) { Verdict::Match } else { Verdict::NoMatch };
    (row.post, verdict)
}

#[cfg(test)]
mod tests {
    use super::super::words::query_words;
    use super::*;

    #[test]
    fn queries_mark_every_word_as_a_required_prefix() {
        assert_eq!(marked_match(&["rust".into(), "게시판".into()]), "+zzrust* +zz게시판*");
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
