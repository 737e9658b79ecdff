//! Full-text search of posts, newest first.
//!
//! Each database has a full-text index that can answer a query ([`matches`]), but for a
//! common word it finds every match before it can hand back the newest. So where that is
//! slow, the search instead walks the newest candidates and judges each one here
//! ([`walk_newest`]), handing over to the index only for what it cannot judge:
//! - SQLite ([`sqlite`]): FTS5, walked by the first three letters of a long word;
//! - MariaDB ([`mariadb`]): FULLTEXT over terms we fold ourselves, walked over the newest
//!   posts of the list when the counts of each word ([`term_counts`]) say the walk is cheaper.
//!
//! The words themselves, the same for both: [`words`].

mod mariadb;
mod sqlite;
mod term_counts;
mod words;

pub(super) use mariadb::marked_terms;
pub(super) use term_counts::{EstimateMemo, TermCounts};

use super::reads::{LIST_COLUMNS, scope_filter};
use super::{Dialect, SqlDatabase, db_err};
use crate::domain::PostId;
use crate::ports::{ListScope, PostListRow, StoreResult};

/// Whether a candidate matches the whole query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Match,
    NoMatch,
    /// A found word has letters whose folded form only the full-text index knows (accents,
    /// other scripts): the index must decide.
    Unsure,
}

/// What a search walks before it asks the full-text index for every match.
enum Candidates<'a> {
    /// SQLite, when some word is longer than FTS5's prefix indexes ([`sqlite::narrowed`]):
    /// the posts matching the narrowed words, each judged by the words `highlight()` marks in
    /// it. FTS5 would otherwise merge every match of the longer word first.
    Narrowed { pattern: String, narrowed_words: Vec<&'a str> },
    /// MariaDB, for a common query: the newest posts of the scope, each judged by its indexed terms.
    Newest,
    /// MariaDB, for a query of several words whose rarest is rare: the index's matches of that
    /// word, each judged by its indexed terms for the others. InnoDB reads every match of every
    /// word of a query, so a common word beside a rare one would cost as much as the common
    /// word alone.
    MatchesOf(&'a str),
}

impl Candidates<'_> {
    /// How many to fetch first: a page's worth from a walk, which usually fills it; all the
    /// rare word's matches at once, since each fetch passes over every one of them.
    fn first_batch(&self, limit: i64) -> i64 {
        match self {
            Candidates::MatchesOf(_) => MAX_BATCH,
            Candidates::Narrowed { .. } | Candidates::Newest => limit,
        }
    }
}

/// How many candidates a walk checks before it leaves the rest to the full-text index, in
/// pages, where no counts tell how common the words are (SQLite).
const WALKED_PAGES: i64 = 8;

/// The most candidates one query of a walk fetches.
const MAX_BATCH: i64 = 1_000;

/// About how many matches MariaDB's FULLTEXT index passes over in the time a walk fetches and
/// judges one candidate (BENCHMARKS.md, "Search on MariaDB").
const MATCHES_PER_CANDIDATE: i64 = 2;

/// Posts matching every word the user typed (by word prefix), newest first, older than `before`.
pub(super) async fn search(
    db: &SqlDatabase,
    typed: &[String],
    scope: ListScope,
    before: Option<PostId>,
    limit: i64,
) -> StoreResult<Vec<PostListRow>> {
    let words = words::query_words(typed);
    if words.is_empty() || limit < 1 {
        return Ok(Vec::new());
    }
    match db.dialect {
        Dialect::Sqlite if words.iter().any(|w| sqlite::narrowed(w).is_some()) => {
            let narrowed_words = words.iter().map(String::as_str).filter(|w| sqlite::narrowed(w).is_some()).collect();
            let prefixes: Vec<String> = words.iter().map(|w| sqlite::narrowed(w).unwrap_or(w).to_string()).collect();
            let candidates = Candidates::Narrowed { pattern: sqlite::fts5_match(&prefixes), narrowed_words };
            walk_newest(db, &words, scope, (before, limit), (candidates, Budget::FromFirstBatch)).await
        }
        Dialect::Sqlite => matches(db, &words, scope, before, limit).await,
        Dialect::MariaDb => {
            let estimate = db.search_estimates.estimate(&db.pool, &words).await.map_err(db_err)?;
            let walk = match plan(estimate, limit) {
                Plan::AskIndex if words.len() == 1 => return matches(db, &words, scope, before, limit).await,
                Plan::AskIndex => (Candidates::MatchesOf(&words[estimate.rarest]), Budget::Unlimited),
                Plan::Walk(budget) => (Candidates::Newest, budget),
            };
            walk_newest(db, &words, scope, (before, limit), walk).await
        }
    }
}

/// How a search on MariaDB goes, from the counts of its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// The query is rare: the index's answer costs little.
    AskIndex,
    /// The query is common: walk the newest posts, within this budget.
    Walk(Budget),
}

/// How far a walk goes before it hands the rest of the page to the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Budget {
    /// No counts (SQLite): a first batch with no match says the query is rare, and the index
    /// answers at once; otherwise up to [`WALKED_PAGES`] pages.
    FromFirstBatch,
    /// This many candidates: about what the index costs for the query's matches. A walk that
    /// has spent that much (its words are common, but not among the newest posts) asks the
    /// index, so it never costs much more than twice the cheaper way.
    Candidates(i64),
    /// Until the candidates run out: they are the index's own matches.
    Unlimited,
}

/// The index's cost grows with the posts that hold the rarest word (the only one it is asked
/// for when there are several), the walk's with the candidates it judges before the page is
/// full, about `limit` × indexed ÷ matches when the words are spread evenly and found
/// together: the cheaper one is chosen, the index on a tie.
fn plan(estimate: term_counts::Estimate, limit: i64) -> Plan {
    let index_cost = estimate.matches / MATCHES_PER_CANDIDATE;
    let walk_cost =
        if estimate.matches == 0 { i64::MAX } else { limit.saturating_mul(estimate.indexed) / estimate.matches };
    if index_cost <= walk_cost { Plan::AskIndex } else { Plan::Walk(Budget::Candidates(index_cost.max(limit))) }
}

/// The SQL of a full-text query: `columns` of the posts that match the pattern (bound
/// first), are older than a post id (bound second) and lie in the scope, newest first.
fn search_sql(dialect: Dialect, columns: &str, filter: &str, limit: i64) -> sqlx::AssertSqlSafe<String> {
    // SQLite walks the FTS5 matches newest first and stops at the page's end; MariaDB's
    // FULLTEXT index hands back the matching ids to sort.
    let (source, order) = match dialect {
        // CROSS JOIN fixes the order: walk the matches, then look each post up. Left to
        // itself, SQLite's planner may walk every post and probe the index per post.
        Dialect::Sqlite => (
            "rm_post_search s CROSS JOIN rm_post p ON p.post_id = s.rowid WHERE rm_post_search MATCH ? \
             AND s.rowid < ? AND ",
            "s.rowid",
        ),
        Dialect::MariaDb => (
            "rm_post_search s JOIN rm_post p ON p.post_id = s.post_id \
             WHERE MATCH (s.terms) AGAINST (? IN BOOLEAN MODE) AND s.post_id < ? AND ",
            "s.post_id",
        ),
    };
    sqlx::AssertSqlSafe(format!("SELECT {columns} FROM {source}{filter} ORDER BY {order} DESC LIMIT {limit}"))
}

/// Posts matching every word, newest first, older than `before`: the database's own
/// full-text query.
async fn matches(
    db: &SqlDatabase,
    words: &[String],
    scope: ListScope,
    before: Option<PostId>,
    limit: i64,
) -> StoreResult<Vec<PostListRow>> {
    let (filter, scope_id) = scope_filter(scope);
    let pattern = match db.dialect {
        Dialect::Sqlite => sqlite::fts5_match(words),
        Dialect::MariaDb => mariadb::marked_match(words),
    };
    let sql = search_sql(db.dialect, LIST_COLUMNS, filter, limit);
    let mut query = sqlx::query_as::<_, PostListRow>(sql).bind(pattern).bind(before.unwrap_or(PostId(i64::MAX)));
    if let Some(id) = scope_id {
        query = query.bind(id);
    }
    query.fetch_all(&db.pool).await.map_err(db_err)
}

/// The next `batch` candidates older than `below`, newest first, with a verdict each.
async fn judge(
    db: &SqlDatabase,
    candidates: &Candidates<'_>,
    words: &[String],
    scope: ListScope,
    below: PostId,
    batch: i64,
) -> StoreResult<Vec<(PostListRow, Verdict)>> {
    match candidates {
        Candidates::Narrowed { pattern, narrowed_words } => {
            sqlite::judge_narrowed(db, pattern, narrowed_words, scope, below, batch).await
        }
        Candidates::Newest => mariadb::judge_newest(db, words, scope, below, batch).await,
        Candidates::MatchesOf(word) => mariadb::judge_matches_of(db, word, words, scope, below, batch).await,
    }
    .map_err(db_err)
}

/// Walks the candidates newest first, judging each here, until the page is full, and hands
/// what is left to [`matches`] when [`next_step`] says the index is the cheaper way, or when
/// a candidate only the index can judge comes up. So a common word costs a page or two of
/// candidates, not a pass over all its matches. (A walk of common words that runs out of
/// budget asks the index for every word at once, one pass over their matches: the matches
/// of the rarest of them, fetched a batch at a time, would cost a pass each batch.)
async fn walk_newest(
    db: &SqlDatabase,
    words: &[String],
    scope: ListScope,
    (before, limit): (Option<PostId>, i64),
    (candidates, budget): (Candidates<'_>, Budget),
) -> StoreResult<Vec<PostListRow>> {
    let mut found = Vec::new();
    let mut below = before.unwrap_or(PostId(i64::MAX));
    let mut batch = candidates.first_batch(limit);
    let mut walked = 0;
    loop {
        let judged = judge(db, &candidates, words, scope, below, batch).await?;
        let exhausted = (judged.len() as i64) < batch;
        for (row, verdict) in judged {
            let post_id = row.post_id;
            match verdict {
                Verdict::Match => found.push(row),
                Verdict::NoMatch => {}
                Verdict::Unsure => {
                    let rest = limit - found.len() as i64;
                    found.extend(matches(db, words, scope, Some(PostId(post_id.0.saturating_add(1))), rest).await?);
                    return Ok(found);
                }
            }
            if found.len() as i64 == limit {
                return Ok(found);
            }
            below = post_id;
        }
        walked += batch;
        if exhausted {
            return Ok(found);
        }
        match next_step(budget, walked, found.len(), (batch, limit)) {
            NextStep::Walk(more) => batch = more,
            NextStep::AskIndex => {
                let rest = limit - found.len() as i64;
                found.extend(matches(db, words, scope, Some(below), rest).await?);
                return Ok(found);
            }
        }
    }
}

/// What a walk does once a batch has left its page short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NextStep {
    /// Judge this many more candidates.
    Walk(i64),
    /// Leave the rest of the page to the full-text index.
    AskIndex,
}

/// After `walked` candidates, the last `batch` of them, held `found` matches, fewer than the
/// `limit` a page wants: walk on, twice as many each time, or ask the index once the budget
/// is spent. (Estimating from the first batch how far to walk was tried: the newest posts are
/// no fair sample, and a word in half the forum that the newest lacked went to the index, far
/// slower for it than the walk. The counts MariaDB keeps are the fair sample.)
fn next_step(budget: Budget, walked: i64, found: usize, (batch, limit): (i64, i64)) -> NextStep {
    let spent = match budget {
        Budget::FromFirstBatch => found == 0 || walked >= WALKED_PAGES * limit,
        Budget::Candidates(candidates) => walked >= candidates,
        Budget::Unlimited => false,
    };
    if spent { NextStep::AskIndex } else { NextStep::Walk((2 * batch).min(MAX_BATCH)) }
}

#[cfg(test)]
mod tests {
    use super::term_counts::Estimate;
    use super::{Budget, MATCHES_PER_CANDIDATE, MAX_BATCH, NextStep, Plan, WALKED_PAGES, next_step, plan};

    const FIRST: Budget = Budget::FromFirstBatch;

    #[test]
    fn without_counts_a_query_with_no_match_among_the_newest_goes_to_the_index_at_once() {
        assert_eq!(next_step(FIRST, 20, 0, (20, 20)), NextStep::AskIndex);
    }

    #[test]
    fn a_query_with_matches_walks_on_twice_as_far_each_time() {
        assert_eq!(next_step(FIRST, 20, 1, (20, 20)), NextStep::Walk(40));
        assert_eq!(next_step(FIRST, 60, 12, (40, 20)), NextStep::Walk(80));
        assert_eq!(next_step(Budget::Candidates(10_000), 20, 0, (20, 20)), NextStep::Walk(40), "counted common");
        assert_eq!(next_step(Budget::Candidates(10_000), 1_500, 0, (800, 20)), NextStep::Walk(MAX_BATCH));
    }

    #[test]
    fn a_walk_stops_at_its_budget_and_the_index_finds_the_rest() {
        assert_eq!(next_step(FIRST, WALKED_PAGES * 20 + 140, 19, (160, 20)), NextStep::AskIndex);
        assert_eq!(next_step(FIRST, WALKED_PAGES * 20, 3, (80, 20)), NextStep::AskIndex);
        assert_eq!(next_step(Budget::Candidates(300), 300, 2, (160, 20)), NextStep::AskIndex);
    }

    fn estimate(matches: i64, indexed: i64) -> Estimate {
        Estimate { rarest: 0, matches, indexed }
    }

    #[test]
    fn a_rare_query_asks_the_index_at_once() {
        assert_eq!(plan(estimate(1, 100_000), 20), Plan::AskIndex);
        assert_eq!(plan(estimate(50, 1_000_000), 20), Plan::AskIndex);
        assert_eq!(plan(estimate(0, 1_000_000), 20), Plan::AskIndex, "no post holds the word");
        assert_eq!(plan(estimate(0, 0), 20), Plan::AskIndex, "an empty forum");
    }

    #[test]
    fn a_common_query_walks_as_far_as_the_index_would_cost() {
        let half = plan(estimate(50_000, 100_000), 20);
        assert_eq!(half, Plan::Walk(Budget::Candidates(50_000 / MATCHES_PER_CANDIDATE)));
        assert_eq!(plan(estimate(100, 200), 20), Plan::Walk(Budget::Candidates(50)));
    }

    #[test]
    fn the_choice_turns_where_the_two_costs_meet() {
        // At 100,000 posts and 20 a page the two costs meet near 2,000 matches.
        let turn = (1..100_000).find(|&m| plan(estimate(m, 100_000), 20) != Plan::AskIndex).unwrap();
        let walk = 20 * 100_000 / turn;
        assert!((turn / MATCHES_PER_CANDIDATE - walk).abs() <= walk / 100 + 1, "{turn}");
    }
}
