//! The read-model check (`forum read-model check`): every read row compared with what the
//! write tables say it should be, through queries written apart from the projections'.
//!
//! Users and categories are compared with the projection's own queries (their rows are plain
//! SQL); posts with the original design's one-shot query, [`POST_ORACLE`], which finds the
//! latest version and counts with joins where the projection uses correlated subqueries, so
//! a mistake in one shows up against the other. Both sides of each comparison are rendered
//! column by column in the order of one column list, as text.

use super::super::inserts::{Insertable, Value};
use super::super::search::{TermCounts, marked_terms};
use super::super::{Dialect, SqlDatabase, db_err};
use super::categories::CATEGORIES;
use super::comments::{COMMENT_SOURCES, CommentRow, CommentSource};
use super::moderators::MODERATOR_SOURCES;
use super::modlog::MODLOG;
use super::posts::{PostRow, PostSource};
use super::users::USERS;
use super::{CHUNK, ReadTable};
use crate::ports::StoreResult;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;

/// The oracle of a post's read row; the range goes between the two halves.
const POST_ORACLE: [&str; 2] = [
    "SELECT p.id AS post_id, COALESCE(c.parent_id, c.id) AS board_id, p.category_id, p.user_id, p.is_active, \
       pc.version, p.created_datetime AS created, pc.created_datetime AS edited, \
       COUNT(DISTINCT k.id) AS comment_count, COUNT(DISTINCT v.user_id) AS vote_count, \
       u.name AS author_name, c.name AS category_name, pc.title, pc.content, \
       p.is_locked, COALESCE(p.pinned_datetime, 0) AS pinned_at, p.lock_reason \
     FROM post p \
     JOIN category c ON c.id = p.category_id \
     JOIN user u ON u.id = p.user_id \
     JOIN post_content pc ON pc.post_id = p.id \
     LEFT JOIN post_content newer ON newer.post_id = p.id AND newer.version > pc.version \
     LEFT JOIN comment k ON k.post_id = p.id AND k.is_active = 1 \
     LEFT JOIN voter_post v ON v.post_id = p.id \
     WHERE newer.id IS NULL",
    "GROUP BY p.id, c.parent_id, c.id, p.category_id, p.user_id, p.is_active, \
       pc.version, p.created_datetime, pc.created_datetime, u.name, c.name, pc.title, pc.content, \
       p.is_locked, p.pinned_datetime, p.lock_reason",
];

/// Read rows keyed by their first column, each rendered as text.
type Rendered = BTreeMap<i64, String>;

/// One row of a query rendered as text, column by column.
fn render_row(row: &AnyRow) -> String {
    (0..row.len())
        .map(|i| {
            row.try_get::<Option<i64>, _>(i)
                .map(|v| v.map_or("NULL".to_string(), |v| v.to_string()))
                .or_else(|_| row.try_get::<Option<String>, _>(i).map(|v| v.unwrap_or_else(|| "NULL".into())))
                .unwrap_or_else(|_| "?".into())
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// A row to store rendered as [`render_row`] renders it once stored.
fn render_values<R: Insertable>(row: &R) -> String {
    row.values()
        .into_iter()
        .map(|value| match value {
            Value::Int(value) => value.to_string(),
            Value::Text(text) | Value::OptionalText(Some(text)) => text.to_string(),
            Value::OptionalText(None) => "NULL".to_string(),
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Compares rows by key; pushes a line for every difference.
fn compare<K: Ord + std::fmt::Debug>(
    label: &str,
    actual: BTreeMap<K, String>,
    expected: BTreeMap<K, String>,
    out: &mut Vec<String>,
) {
    for (key, want) in &expected {
        match actual.get(key) {
            None => out.push(format!("{label} {key:?}: missing, expected [{want}]")),
            Some(got) if got != want => out.push(format!("{label} {key:?}: is [{got}], expected [{want}]")),
            Some(_) => {}
        }
    }
    for (key, got) in &actual {
        if !expected.contains_key(key) {
            out.push(format!("{label} {key:?}: unexpected row [{got}]"));
        }
    }
}

impl SqlDatabase {
    /// Every difference between the read model and the write tables, one line each.
    pub(super) async fn check_read_model(&self) -> StoreResult<Vec<String>> {
        let mut out = Vec::new();
        // The log's rows are plain SQL over moderation_action, like users and categories.
        for table in [USERS, CATEGORIES, MODLOG] {
            self.check_table(&table, &mut out).await?;
        }
        self.check_posts(&mut out).await?;
        self.check_comments(&mut out).await?;
        self.check_moderators(&mut out).await?;
        self.check_open_reports(&mut out).await?;
        Ok(out)
    }

    /// Board moderators: the read rows and the write rows, as sets of (user, board).
    async fn check_moderators(&self, out: &mut Vec<String>) -> StoreResult<()> {
        let pairs = |sql: String| async move {
            let rows: Vec<(i64, i64)> =
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await.map_err(db_err)?;
            StoreResult::Ok(rows.into_iter().collect::<std::collections::BTreeSet<_>>())
        };
        let stored = pairs("SELECT user_id, board_id FROM rm_board_moderator".to_string()).await?;
        let expected = pairs(MODERATOR_SOURCES.to_string()).await?;
        for (user, board) in expected.difference(&stored) {
            out.push(format!("rm_board_moderator ({user}, {board}): missing"));
        }
        for (user, board) in stored.difference(&expected) {
            out.push(format!("rm_board_moderator ({user}, {board}): unexpected row"));
        }
        Ok(())
    }

    async fn rendered(&self, sql: String, range: Option<(i64, i64)>) -> StoreResult<Rendered> {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        if let Some((low, high)) = range {
            query = query.bind(low).bind(high);
        }
        let rows = query.fetch_all(&self.pool).await.map_err(db_err)?;
        Ok(rows.iter().map(|row| (row.try_get::<i64, _>(0).unwrap_or_default(), render_row(row))).collect())
    }

    async fn check_table(&self, table: &ReadTable, out: &mut Vec<String>) -> StoreResult<()> {
        let stored = self.rendered(format!("SELECT {} FROM {}", table.columns, table.table), None).await?;
        compare(table.table, stored, self.rendered(table.sources.to_string(), None).await?, out);
        Ok(())
    }

    /// The search index entries of some posts as stored, rendered for comparison.
    async fn stored_search_entries(&self, low: i64, high: i64) -> StoreResult<Rendered> {
        let sql = match self.dialect {
            Dialect::Sqlite => {
                "SELECT rowid, title || ' / ' || content || ' / ' || author FROM rm_post_search \
                 WHERE rowid BETWEEN ? AND ?"
            }
            Dialect::MariaDb => "SELECT post_id, terms FROM rm_post_search WHERE post_id BETWEEN ? AND ?",
        };
        self.rendered(sql.to_string(), Some((low, high))).await
    }

    /// A post's search entry as it should be (without its id, which
    /// [`Self::stored_search_entries`] puts in front).
    fn expected_search_entry(&self, post: &PostSource) -> String {
        let author = post.author_name.as_deref();
        let (title, content) = (post.title.as_ref(), post.content.as_ref());
        match self.dialect {
            Dialect::Sqlite => format!("{title} / {content} / {}", author.unwrap_or("")),
            Dialect::MariaDb => marked_terms(title, content, author),
        }
    }

    /// The mentioned names that link, as the projection finds them.
    async fn known_mentions_in<'a>(
        &self,
        sources: impl Iterator<Item = &'a str>,
    ) -> StoreResult<std::collections::HashSet<String>> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        super::known_mentions(&mut conn, sources).await.map_err(db_err)
    }

    async fn check_posts(&self, out: &mut Vec<String>) -> StoreResult<()> {
        let last = self.max_id("post").await?;
        let mut expected_counts = self.dialect.term_counts_table().map(|_| TermCounts::default());
        for low in (1..=last).step_by(CHUNK as usize) {
            let high = low + CHUNK - 1;
            let stored_sql = format!("SELECT {} FROM rm_post WHERE post_id BETWEEN ? AND ?", PostRow::COLUMNS);
            let stored = self.rendered(stored_sql, Some((low, high))).await?;
            let [select, group] = POST_ORACLE;
            let oracle = sqlx::AssertSqlSafe(format!("{select} AND p.id BETWEEN ? AND ? {group}"));
            let rows: Vec<PostSource> =
                sqlx::query_as(oracle).bind(low).bind(high).fetch_all(&self.pool).await.map_err(db_err)?;
            let known = self.known_mentions_in(rows.iter().map(|row| row.content.as_ref())).await?;
            let mut expected = Rendered::new();
            let mut expected_search = Rendered::new();
            for mut row in rows {
                row.render(&known);
                expected.insert(row.post_id.0, render_values(&row));
                if row.is_active {
                    let entry = self.expected_search_entry(&row);
                    // On MariaDB the entry is the marked terms the counts are read from.
                    if let Some(counts) = expected_counts.as_mut() {
                        counts.count_post(&entry, 1);
                    }
                    expected_search.insert(row.post_id.0, format!("{} | {entry}", row.post_id));
                }
            }
            compare("rm_post", stored, expected, out);
            compare("rm_post_search", self.stored_search_entries(low, high).await?, expected_search, out);
        }
        if let (Some(table), Some(counts)) = (self.dialect.term_counts_table(), expected_counts) {
            let expected = counts.into_totals().map(|(term, posts)| (term, posts.to_string())).collect();
            compare(table, self.stored_term_counts(table).await?, expected, out);
        }
        Ok(())
    }

    /// The stored counts of indexed words, a word no post holds left out.
    async fn stored_term_counts(&self, table: &str) -> StoreResult<BTreeMap<String, String>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT term, posts FROM {table} WHERE posts <> 0"));
        let rows: Vec<(String, i64)> = sqlx::query_as(sql).fetch_all(&self.pool).await.map_err(db_err)?;
        Ok(rows.into_iter().map(|(term, posts)| (term, posts.to_string())).collect())
    }

    async fn check_comments(&self, out: &mut Vec<String>) -> StoreResult<()> {
        let last = self.max_id("comment").await?;
        for low in (1..=last).step_by(CHUNK as usize) {
            let high = low + CHUNK - 1;
            let stored_sql = format!("SELECT {} FROM rm_comment WHERE comment_id BETWEEN ? AND ?", CommentRow::COLUMNS);
            let stored = self.rendered(stored_sql, Some((low, high))).await?;
            let oracle = sqlx::AssertSqlSafe(format!("{COMMENT_SOURCES} WHERE k.id BETWEEN ? AND ?"));
            let rows: Vec<CommentSource> =
                sqlx::query_as(oracle).bind(low).bind(high).fetch_all(&self.pool).await.map_err(db_err)?;
            let known = self.known_mentions_in(rows.iter().map(|row| row.content.as_ref())).await?;
            let expected = rows
                .into_iter()
                .map(|mut row| {
                    row.render(&known);
                    (row.comment_id.0, render_values(&row))
                })
                .collect();
            compare("rm_comment", stored, expected, out);
        }
        Ok(())
    }
}
