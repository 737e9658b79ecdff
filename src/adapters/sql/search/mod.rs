//! Full-text search of posts, newest first.
//!
//! Each database has a full-text index that can answer a query ([`matches`]), but for a
//! common word it finds every match before it can hand back the newest. So where that is
//! slow, the search instead walks the newest candidates and judges each one here
//! ([`walk_newest`]), handing over to the index only for what it cannot judge:
//! - SQLite ([`sqlite`]): FTS5, walked by the first three letters of a long word;
//! - MariaDB ([`mariadb`]): FULLTEXT over terms we fold ourselves, walked over the newest
//!   posts of the list.
//!
//! The words themselves, the same for both: [`words`].

mod mariadb;
mod sqlite;
mod words;

pub(super) use mariadb::marked_terms;

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
    /// MariaDB, always: the newest posts of the scope, each judged by its indexed terms.
    Newest,
}

/// How many candidates a walk checks before it leaves the rest to the full-text index, in pages.
const WALKED_PAGES: i64 = 8;

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
            walk_newest(db, &words, scope, before, limit, candidates).await
        }
        Dialect::Sqlite => matches(db, &words, scope, before, limit).await,
        Dialect::MariaDb => walk_newest(db, &words, scope, before, limit, Candidates::Newest).await,
    }
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
    }
    .map_err(db_err)
}

/// Walks the candidates newest first, judging each here, until the page is full, and hands
/// what is left to [`matches`] when [`next_step`] says the index is the cheaper way, or when
/// a candidate only the index can judge comes up. So a common word costs a page or two of
/// candidates, not a pass over all its matches, and a rare one one batch before the index.
async fn walk_newest(
    db: &SqlDatabase,
    words: &[String],
    scope: ListScope,
    before: Option<PostId>,
    limit: i64,
    candidates: Candidates<'_>,
) -> StoreResult<Vec<PostListRow>> {
    let mut found = Vec::new();
    let mut below = before.unwrap_or(PostId(i64::MAX));
    let mut batch = limit;
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
        match next_step(walked, found.len(), batch, limit) {
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
/// `limit` a page wants: walk on, or ask the index. The index's cost grows with the number of
/// posts that match, the walk's with the candidates it judges, so the walk pays only for a
/// common query. A first batch with no match says the query is rare, and the index answers
/// it at once; otherwise the walk goes on, twice as many each time, until [`WALKED_PAGES`]
/// pages of candidates. (Estimating from the first batch how far to walk was tried: the
/// newest posts are no fair sample, and a word in half the forum that the newest lacked went
/// to the index, far slower for it than the walk.)
fn next_step(walked: i64, found: usize, batch: i64, limit: i64) -> NextStep {
    if found == 0 || walked >= WALKED_PAGES * limit { NextStep::AskIndex } else { NextStep::Walk(2 * batch) }
}

#[cfg(test)]
mod tests {
    use super::{NextStep, WALKED_PAGES, next_step};

    #[test]
    fn a_query_with_no_match_among_the_newest_goes_to_the_index_at_once() {
        assert_eq!(next_step(20, 0, 20, 20), NextStep::AskIndex);
    }

    #[test]
    fn a_query_with_matches_walks_on_twice_as_far_each_time() {
        assert_eq!(next_step(20, 1, 20, 20), NextStep::Walk(40));
        assert_eq!(next_step(60, 12, 40, 20), NextStep::Walk(80));
    }

    #[test]
    fn a_walk_stops_at_its_budget_and_the_index_finds_the_rest() {
        assert_eq!(next_step(WALKED_PAGES * 20 + 140, 19, 160, 20), NextStep::AskIndex);
        assert_eq!(next_step(WALKED_PAGES * 20, 3, 80, 20), NextStep::AskIndex);
    }
}
