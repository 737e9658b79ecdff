//! Reads of the post and comment read model: one indexed query per list page, a key lookup
//! per post.

use super::search::{Verdict, fts5_match, marked_match, narrowed, query_words, terms_match, verdict};
use super::{Dialect, Param, SqlDatabase, db_err};
use crate::domain::Timestamp;
use crate::ports::{CommentView, ContentReads, ListCursor, ListScope, PostListRow, PostView, StoreResult, VersionRow};
use async_trait::async_trait;

const LIST_COLUMNS: &str = "p.post_id, p.title, p.author_name, p.category_id, p.category_name, p.created, p.edited, \
     p.comment_count, p.vote_count";

type ListTuple = (i64, String, Option<String>, i64, String, i64, i64, i64, i64);

/// A list row and whether the list goes on past the cursor (the same on every row).
type PageTuple = (i64, String, Option<String>, i64, String, i64, i64, i64, i64, i64);

fn list_row(row: ListTuple) -> PostListRow {
    let (post_id, title, author_name, category_id, category_name, created, edited, comment_count, vote_count) = row;
    PostListRow {
        post_id,
        title,
        author_name,
        category_id,
        category_name,
        created: Timestamp(created),
        edited: Timestamp(edited),
        comment_count,
        vote_count,
    }
}

/// The filter for a scope, and the id it binds (0 binds nothing useful for `All`).
/// The index a list walks, named for MariaDB: with a board of a hundred thousand posts its
/// optimizer chose to intersect the board and activity indexes and sort every match (0.1 s a
/// page on an idle server, seconds under load) over walking the board's index backwards.
/// SQLite picks the right one unaided.
fn list_index(dialect: Dialect, scope: ListScope) -> &'static str {
    match (dialect, scope) {
        (Dialect::Sqlite, _) => "",
        (Dialect::MariaDb, ListScope::All) => " FORCE INDEX (rm_post_by_activity)",
        (Dialect::MariaDb, ListScope::Board(_)) => " FORCE INDEX (rm_post_by_board)",
        (Dialect::MariaDb, ListScope::Category(_)) => " FORCE INDEX (rm_post_by_category)",
    }
}

fn scope_filter(scope: ListScope) -> (&'static str, i64) {
    match scope {
        ListScope::All => ("p.is_active = 1", 0),
        ListScope::Board(id) => ("p.board_id = ? AND p.is_active = 1", id),
        ListScope::Category(id) => ("p.category_id = ? AND p.is_active = 1", id),
    }
}

const COMMENT_COLUMNS: &str = "comment_id, post_id, user_id, author_name, body_html, version, created, edited, \
     vote_count, is_active FROM rm_comment";

type CommentTuple = (i64, i64, i64, Option<String>, String, i64, i64, i64, i64, i64);

fn comment_view(row: CommentTuple) -> CommentView {
    let (comment_id, post_id, user_id, author_name, body_html, version, created, edited, vote_count, active) = row;
    CommentView {
        comment_id,
        post_id,
        user_id,
        author_name,
        body_html,
        version,
        created: Timestamp(created),
        edited: Timestamp(edited),
        vote_count,
        is_active: active != 0,
    }
}

/// The SQL of a search: `columns` of the posts that match the full-text pattern (bound
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

/// A list row with its title, text and author as FTS5's `highlight()` marked them.
type MarkedTuple =
    (i64, String, Option<String>, i64, String, i64, i64, i64, i64, Option<String>, Option<String>, Option<String>);

/// A list row with the terms MariaDB's full-text index holds for it.
type TermsTuple = (i64, String, Option<String>, i64, String, i64, i64, i64, i64, String);

/// What a search walks before it asks the full-text index for every match.
enum Candidates<'a> {
    /// SQLite, when some word is longer than FTS5's prefix indexes ([`narrowed`]): the posts
    /// matching the narrowed words, each judged by the words `highlight()` marks in it
    /// ([`verdict`]). FTS5 would otherwise merge every match of the longer word first.
    Narrowed { pattern: String, narrowed_words: Vec<&'a str> },
    /// MariaDB, always: the newest posts of the scope, each judged by its indexed terms
    /// ([`terms_match`]). Its FULLTEXT index finds every match of a word before the newest
    /// can be picked: seconds for a common word at 100k posts.
    Newest,
}

/// How many candidates a walk checks before it leaves the rest to the full-text index, in pages.
const WALKED_PAGES: i64 = 8;

impl SqlDatabase {
    /// Posts matching every word, newest first, older than `before`: the database's own
    /// full-text query.
    async fn search_matches(
        &self,
        words: &[String],
        scope: ListScope,
        before: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<PostListRow>> {
        let (filter, scope_id) = scope_filter(scope);
        let pattern = match self.dialect {
            Dialect::Sqlite => fts5_match(words),
            Dialect::MariaDb => marked_match(words),
        };
        let sql = search_sql(self.dialect, LIST_COLUMNS, filter, limit);
        let mut query = sqlx::query_as::<_, ListTuple>(sql).bind(pattern).bind(before.unwrap_or(i64::MAX));
        if scope != ListScope::All {
            query = query.bind(scope_id);
        }
        let rows = query.fetch_all(&self.pool).await.map_err(db_err)?;
        Ok(rows.into_iter().map(list_row).collect())
    }

    /// The next `batch` candidates older than `below`, newest first, with a verdict each on
    /// whether they hold every one of `words`.
    async fn judge(
        &self,
        candidates: &Candidates<'_>,
        words: &[String],
        scope: ListScope,
        below: i64,
        batch: i64,
    ) -> StoreResult<Vec<(PostListRow, Verdict)>> {
        let (filter, scope_id) = scope_filter(scope);
        match candidates {
            Candidates::Narrowed { pattern, narrowed_words } => {
                let columns = format!(
                    "{LIST_COLUMNS}, highlight(rm_post_search, 0, char(1), char(2)), \
                     highlight(rm_post_search, 1, char(1), char(2)), highlight(rm_post_search, 2, char(1), char(2))"
                );
                let sql = search_sql(self.dialect, &columns, filter, batch);
                let mut query = sqlx::query_as::<_, MarkedTuple>(sql).bind(pattern.as_str()).bind(below);
                if scope != ListScope::All {
                    query = query.bind(scope_id);
                }
                let rows = query.fetch_all(&self.pool).await.map_err(db_err)?;
                Ok(rows
                    .into_iter()
                    .map(|(a, b, c, d, e, f, g, h, i, title, content, author)| {
                        let marked = [title, content, author].map(Option::unwrap_or_default);
                        let verdict = verdict(&marked.each_ref().map(String::as_str), narrowed_words);
                        (list_row((a, b, c, d, e, f, g, h, i)), verdict)
                    })
                    .collect())
            }
            Candidates::Newest => {
                let index = list_index(self.dialect, scope);
                let sql = sqlx::AssertSqlSafe(format!(
                    "SELECT {LIST_COLUMNS}, s.terms FROM rm_post p{index} \
                     JOIN rm_post_search s ON s.post_id = p.post_id \
                     WHERE {filter} AND p.post_id < ? ORDER BY p.post_id DESC LIMIT {batch}"
                ));
                let mut query = sqlx::query_as::<_, TermsTuple>(sql);
                if scope != ListScope::All {
                    query = query.bind(scope_id);
                }
                let rows = query.bind(below).fetch_all(&self.pool).await.map_err(db_err)?;
                Ok(rows
                    .into_iter()
                    .map(|(a, b, c, d, e, f, g, h, i, terms)| {
                        let verdict = if terms_match(&terms, words) { Verdict::Match } else { Verdict::NoMatch };
                        (list_row((a, b, c, d, e, f, g, h, i)), verdict)
                    })
                    .collect())
            }
        }
    }

    /// Walks the candidates newest first, a page at first and twice as many each time after.
    /// So a common word costs a page or two of candidates, not a pass over all its matches.
    /// A candidate only the full-text index can judge, or a walk that finds too few, hands
    /// the rest to [`Self::search_matches`] from that post on.
    async fn walk_newest(
        &self,
        words: &[String],
        scope: ListScope,
        before: Option<i64>,
        limit: i64,
        candidates: Candidates<'_>,
    ) -> StoreResult<Vec<PostListRow>> {
        let mut found = Vec::new();
        let mut below = before.unwrap_or(i64::MAX);
        let mut batch = limit;
        let mut walked = 0;
        loop {
            let judged = self.judge(&candidates, words, scope, below, batch).await?;
            let exhausted = (judged.len() as i64) < batch;
            for (row, verdict) in judged {
                let post_id = row.post_id;
                match verdict {
                    Verdict::Match => found.push(row),
                    Verdict::NoMatch => {}
                    Verdict::Unsure => {
                        let rest = limit - found.len() as i64;
                        found.extend(self.search_matches(words, scope, Some(post_id.saturating_add(1)), rest).await?);
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
            if walked >= WALKED_PAGES * limit {
                let rest = limit - found.len() as i64;
                found.extend(self.search_matches(words, scope, Some(below), rest).await?);
                return Ok(found);
            }
            batch *= 2;
        }
    }

    async fn versions(&self, sql: &'static str, id: i64) -> StoreResult<Vec<VersionRow>> {
        let rows: Vec<(i64, i64, String, String)> =
            sqlx::query_as(sql).bind(id).fetch_all(&self.pool).await.map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|(version, created, title, content)| VersionRow {
                version,
                created: Timestamp(created),
                title,
                content,
            })
            .collect())
    }
}

#[async_trait]
impl ContentReads for SqlDatabase {
    async fn post_list_page(
        &self,
        scope: ListScope,
        cursor: ListCursor,
        limit: i64,
    ) -> StoreResult<(Vec<PostListRow>, bool)> {
        let (filter, scope_id) = scope_filter(scope);
        let index = list_index(self.dialect, scope);
        // Whether the list goes on past the cursor is one index probe inside the same
        // statement (an uncorrelated subquery, evaluated once), not a second round trip.
        let (keyset, order, beyond, key) = match cursor {
            ListCursor::Newest => ("", "DESC", String::from("0"), None),
            ListCursor::Before(id) => (
                " AND p.post_id < ?",
                "DESC",
                format!("EXISTS (SELECT 1 FROM rm_post p{index} WHERE {filter} AND p.post_id >= ?)"),
                Some(id),
            ),
            ListCursor::After(id) => (
                " AND p.post_id > ?",
                "ASC",
                format!("EXISTS (SELECT 1 FROM rm_post p{index} WHERE {filter} AND p.post_id <= ?)"),
                Some(id),
            ),
        };
        // LIMIT is written into the statement, never bound: SQLite plans with a bound LIMIT's
        // value and so prepares the statement again every time it is bound.
        let sql = format!(
            "SELECT {LIST_COLUMNS}, {beyond} FROM rm_post p{index} WHERE {filter}{keyset} ORDER BY p.post_id {order} \
             LIMIT {limit}"
        );
        // The placeholders in order: the subquery's scope and key, then the list's.
        let scope_param = (scope != ListScope::All).then_some(Param::Int(scope_id));
        let key_param = key.map(Param::Int);
        let params: Vec<Param> = match key_param {
            Some(_) => [scope_param, key_param, scope_param, key_param].into_iter().flatten().collect(),
            None => scope_param.into_iter().collect(),
        };
        let tuples: Vec<PageTuple> = self.short_read(&sql, &params).await?;
        let beyond = tuples.first().is_some_and(|t| t.9 != 0);
        let mut rows: Vec<PostListRow> =
            tuples.into_iter().map(|(a, b, c, d, e, f, g, h, i, _)| list_row((a, b, c, d, e, f, g, h, i))).collect();
        if matches!(cursor, ListCursor::After(_)) {
            rows.reverse();
        }
        Ok((rows, beyond))
    }

    async fn search(
        &self,
        typed: &[String],
        scope: ListScope,
        before: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<PostListRow>> {
        let words = query_words(typed);
        if words.is_empty() || limit < 1 {
            return Ok(Vec::new());
        }
        match self.dialect {
            Dialect::Sqlite if words.iter().any(|w| narrowed(w).is_some()) => {
                let narrowed_words = words.iter().map(String::as_str).filter(|w| narrowed(w).is_some()).collect();
                let candidates: Vec<String> = words.iter().map(|w| narrowed(w).unwrap_or(w).to_string()).collect();
                let pattern = fts5_match(&candidates);
                let candidates = Candidates::Narrowed { pattern, narrowed_words };
                self.walk_newest(&words, scope, before, limit, candidates).await
            }
            Dialect::Sqlite => self.search_matches(&words, scope, before, limit).await,
            Dialect::MariaDb => self.walk_newest(&words, scope, before, limit, Candidates::Newest).await,
        }
    }

    async fn post_view(&self, id: i64) -> StoreResult<Option<PostView>> {
        type Row = (i64, i64, Option<String>, i64, i64, String, String, i64, i64, i64, i64, i64, i64);
        let row: Option<Row> = self
            .short_read_one(
                "SELECT post_id, user_id, author_name, category_id, board_id, title, body_html, \
                 version, created, edited, comment_count, vote_count, is_active FROM rm_post WHERE post_id = ?",
                &[Param::Int(id)],
            )
            .await?;
        Ok(row.map(|r| PostView {
            post_id: r.0,
            user_id: r.1,
            author_name: r.2,
            category_id: r.3,
            board_id: r.4,
            title: r.5,
            body_html: r.6,
            version: r.7,
            created: Timestamp(r.8),
            edited: Timestamp(r.9),
            comment_count: r.10,
            vote_count: r.11,
            is_active: r.12 != 0,
        }))
    }

    async fn comments_page(&self, post_id: i64, offset: i64, limit: i64) -> StoreResult<Vec<CommentView>> {
        // OFFSET is bounded by one post's comments, not by the size of the forum.
        let sql = format!("SELECT {COMMENT_COLUMNS} WHERE post_id = ? ORDER BY comment_id LIMIT {limit} OFFSET ?");
        let rows: Vec<CommentTuple> = self.short_read(&sql, &[Param::Int(post_id), Param::Int(offset)]).await?;
        Ok(rows.into_iter().map(comment_view).collect())
    }

    async fn comment_position(&self, post_id: i64, comment_id: i64) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM rm_comment WHERE post_id = ? AND comment_id < ?")
            .bind(post_id)
            .bind(comment_id)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)
    }

    async fn comment_view(&self, id: i64) -> StoreResult<Option<CommentView>> {
        let sql = format!("SELECT {COMMENT_COLUMNS} WHERE comment_id = ?");
        let row: Option<CommentTuple> = self.short_read_one(&sql, &[Param::Int(id)]).await?;
        Ok(row.map(comment_view))
    }

    async fn votes_of(&self, user_id: i64, post_id: i64, comment_ids: &[i64]) -> StoreResult<(bool, Vec<i64>)> {
        let post_vote: Option<(i64,)> = self
            .short_read_one(
                "SELECT 1 FROM voter_post WHERE user_id = ? AND post_id = ?",
                &[Param::Int(user_id), Param::Int(post_id)],
            )
            .await?;
        let (Some(first), Some(last)) = (comment_ids.iter().min(), comment_ids.iter().max()) else {
            return Ok((post_vote.is_some(), Vec::new()));
        };
        let comment_votes: Vec<(i64,)> = self
            .short_read(
                "SELECT v.comment_id FROM voter_comment v JOIN comment k ON k.id = v.comment_id \
                 WHERE v.user_id = ? AND k.post_id = ? AND v.comment_id BETWEEN ? AND ?",
                &[Param::Int(user_id), Param::Int(post_id), Param::Int(*first), Param::Int(*last)],
            )
            .await?;
        Ok((post_vote.is_some(), comment_votes.into_iter().map(|(id,)| id).collect()))
    }

    async fn post_history(&self, post_id: i64) -> StoreResult<Vec<VersionRow>> {
        self.versions(
            "SELECT version, created_datetime, title, content FROM post_content WHERE post_id = ? ORDER BY version",
            post_id,
        )
        .await
    }

    async fn comment_history(&self, comment_id: i64) -> StoreResult<Vec<VersionRow>> {
        self.versions(
            "SELECT version, created_datetime, '', content FROM comment_content WHERE comment_id = ? ORDER BY version",
            comment_id,
        )
        .await
    }
}
