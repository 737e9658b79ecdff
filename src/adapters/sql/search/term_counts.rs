//! How many active posts hold each indexed word (MariaDB only): `rm_search_term`, kept by the
//! post projection beside the FULLTEXT index, so that a search knows before it starts whether
//! its words are rare (ask the index) or common (walk the newest posts).
//!
//! InnoDB's FULLTEXT index cannot say how common a word is without finding every match, and
//! the newest posts are no fair sample of the forum. The projector applies one event at a time
//! (migrations/mariadb/0004_projector_lock.sql) in the transaction that marks it applied, so
//! the counts move exactly once per change and no two writers race on a popular word's row.

use super::mariadb::MARK;
use sqlx::{Any, AnyConnection, AnyPool, QueryBuilder};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The row that counts the indexed posts themselves (no word is empty).
const ALL_POSTS: &str = "";

/// Rows written per statement.
const ROWS_PER_UPSERT: usize = 1_000;

/// Changes to the counts, gathered while posts go in and out of the index and written at once.
#[derive(Default)]
pub(in super::super) struct TermCounts {
    deltas: HashMap<String, i64>,
}

impl TermCounts {
    /// One post's terms, as [`super::marked_terms`] wrote them, entering (`+1`) or leaving
    /// (`-1`) the index: each distinct word once, and the post itself once.
    pub(in super::super) fn count_post(&mut self, marked_terms: &str, sign: i64) {
        let mut words: Vec<&str> = distinct_words(marked_terms);
        words.push(ALL_POSTS);
        for word in words {
            *self.deltas.entry(word.to_owned()).or_default() += sign;
        }
    }

    /// Writes the changes that do not cancel out, in the order of the key: a post re-indexed
    /// with the same words (locked, pinned, renamed elsewhere) writes nothing.
    pub(in super::super) async fn store(self, conn: &mut AnyConnection) -> sqlx::Result<()> {
        let mut changes: Vec<(String, i64)> = self.deltas.into_iter().filter(|(_, delta)| *delta != 0).collect();
        changes.sort_unstable();
        for chunk in changes.chunks(ROWS_PER_UPSERT) {
            let mut upsert = QueryBuilder::<Any>::new("INSERT INTO rm_search_term (term, posts) ");
            upsert.push_values(chunk, |mut row, (term, delta)| {
                row.push_bind(term.as_str()).push_bind(*delta);
            });
            upsert.push(" ON DUPLICATE KEY UPDATE posts = posts + VALUES(posts)");
            upsert.build().execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// The counts gathered, for the read-model check: words with no post left are absent.
    pub(in super::super) fn into_totals(self) -> impl Iterator<Item = (String, i64)> {
        self.deltas.into_iter().filter(|(_, count)| *count != 0)
    }
}

/// The words of a post's marked terms, each once, without the mark.
fn distinct_words(marked_terms: &str) -> Vec<&str> {
    let mut words: Vec<&str> = marked_terms.split(' ').filter_map(|term| term.strip_prefix(MARK)).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// More indexed words than this beginning with one query word make it common whatever their
/// counts: reading them all would cost more than the walk.
const WORDS_SUMMED: i64 = 256;

/// How many posts may match a query, and how many are indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Estimate {
    /// The query word held by the fewest posts (its position among the query's words).
    pub rarest: usize,
    /// The posts holding a word that begins with the rarest query word: at least as many as
    /// match the whole query (a post with two such words counts twice).
    pub matches: i64,
    pub indexed: i64,
}

/// Estimates read in the last [`ESTIMATE_KEPT`], by query: a popular query pays no extra
/// round trip for its estimate. An estimate only chooses how to search, never what is found,
/// so one a few seconds old costs at most a slower way for those seconds.
#[derive(Default)]
pub(in super::super) struct EstimateMemo {
    kept: Mutex<HashMap<Vec<String>, (Instant, Estimate)>>,
}

/// How long an estimate is reused.
const ESTIMATE_KEPT: Duration = Duration::from_secs(10);

/// More queries than a forum's readers repeat within [`ESTIMATE_KEPT`]; past it, start again.
const MAX_ESTIMATES: usize = 4096;

impl EstimateMemo {
    /// [`estimate`], or the same query's estimate read less than [`ESTIMATE_KEPT`] ago.
    pub(super) async fn estimate(&self, pool: &AnyPool, words: &[String]) -> sqlx::Result<Estimate> {
        let now = Instant::now();
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner).get(words).copied();
        if let Some((read, kept)) = kept
            && now.duration_since(read) < ESTIMATE_KEPT
        {
            return Ok(kept);
        }
        let fresh = estimate(pool, words).await?;
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.len() >= MAX_ESTIMATES {
            kept.clear();
        }
        kept.insert(words.to_vec(), (now, fresh));
        Ok(fresh)
    }
}

/// One read of the counts for every query word (the words begin indexed words, as
/// [`super::mariadb::marked_match`] asks). A word beginning more than [`WORDS_SUMMED`]
/// indexed words counts as matching every post.
async fn estimate(pool: &AnyPool, words: &[String]) -> sqlx::Result<Estimate> {
    let mut query = QueryBuilder::<Any>::new("SELECT 0 AS part, posts FROM rm_search_term WHERE term = ");
    query.push_bind(ALL_POSTS);
    for (part, word) in words.iter().enumerate() {
        // Words are letters and digits only, so a word holds no LIKE wildcard to escape.
        query.push(format!(
            " UNION ALL SELECT {} AS part, posts FROM (SELECT posts FROM rm_search_term WHERE term LIKE ",
            part + 1
        ));
        query.push_bind(format!("{}%", super::mariadb::capped(word)));
        query.push(format!(" LIMIT {}) w{part}", WORDS_SUMMED + 1));
    }
    let rows: Vec<(i64, i64)> = query.build_query_as().fetch_all(pool).await?;
    Ok(estimate_from(&rows, words.len()))
}

/// [`Estimate`] from the rows of [`estimate`]: (0, indexed posts), then (word number, posts) of
/// each indexed word that begins with that query word.
fn estimate_from(rows: &[(i64, i64)], words: usize) -> Estimate {
    let indexed = rows.iter().find(|(part, _)| *part == 0).map_or(0, |(_, posts)| *posts);
    let held_by = |part: i64| {
        let beginning: Vec<i64> = rows.iter().filter(|(p, _)| *p == part).map(|(_, posts)| *posts).collect();
        if beginning.len() as i64 > WORDS_SUMMED { indexed } else { beginning.iter().sum::<i64>().min(indexed) }
    };
    let (rarest, matches) =
        (0..words).map(|word| (word, held_by(word as i64 + 1))).min_by_key(|(_, posts)| *posts).unwrap_or((0, 0));
    Estimate { rarest, matches, indexed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_counts_each_of_its_words_once_and_itself_once() {
        let mut counts = TermCounts::default();
        counts.count_post("zzrust zzis zzrust zzfun ", 1);
        counts.count_post("zzrust zzgo ", 1);
        let mut totals: Vec<(String, i64)> = counts.into_totals().collect();
        totals.sort();
        let expected = [("", 2), ("fun", 1), ("go", 1), ("is", 1), ("rust", 2)];
        assert_eq!(totals, expected.map(|(t, n)| (t.to_string(), n)));
    }

    #[test]
    fn a_post_indexed_again_with_the_same_words_changes_nothing() {
        let mut counts = TermCounts::default();
        counts.count_post("zzrust zzfun ", -1);
        counts.count_post("zzfun zzrust ", 1);
        assert_eq!(counts.into_totals().count(), 0);
        let mut counts = TermCounts::default();
        counts.count_post("zzrust zzfun ", -1);
        counts.count_post("zzrust zzgo ", 1);
        let mut totals: Vec<(String, i64)> = counts.into_totals().collect();
        totals.sort();
        assert_eq!(totals, [("fun".to_string(), -1), ("go".to_string(), 1)]);
    }

    #[test]
    fn the_estimate_names_the_word_fewest_posts_hold() {
        let rows = [(0, 1000), (1, 400), (1, 100), (2, 3)];
        assert_eq!(estimate_from(&rows, 2), Estimate { rarest: 1, matches: 3, indexed: 1000 });
        assert_eq!(estimate_from(&rows, 1), Estimate { rarest: 0, matches: 500, indexed: 1000 });
        let none = Estimate { rarest: 0, matches: 0, indexed: 1000 };
        assert_eq!(estimate_from(&[(0, 1000)], 1), none, "a word no post holds");
        assert_eq!(estimate_from(&[], 1), Estimate { indexed: 0, ..none }, "an empty forum");
    }

    #[test]
    fn a_word_beginning_too_many_words_counts_as_matching_every_post() {
        let mut rows = vec![(0, 5000)];
        rows.extend((0..=WORDS_SUMMED).map(|_| (1, 1)));
        assert_eq!(estimate_from(&rows, 1).matches, 5000);
        rows.pop();
        assert_eq!(estimate_from(&rows, 1).matches, WORDS_SUMMED);
    }
}
