//! Projections: bring the read model up to date with recorded events, exactly once each.
//!
//! Each event is applied in the same transaction that marks it applied, so a crash in
//! between redoes the whole step on the next start, never half of it. Rows of users,
//! categories, posts and comments are recomputed from the write tables by key; the counts on
//! boards and profiles move by one per event (see content_projection.rs).

use super::content_projection::{
    COMMENT_ROWS, CommentTuple, POST_ROWS, PostTuple, count_comment, count_post, recount_comment_votes, recount_post,
    refresh_comment, refresh_post, rename_author, rename_category_in_posts, store_comments, store_posts,
};
use super::search::marked_terms;
use super::{Dialect, SqlDatabase, db_err};
use crate::domain::{Event, markdown};
use crate::ports::{Projector, StoreResult};
use anyhow::Context;
use async_trait::async_trait;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

/// Events applied per transaction: large enough to catch up fast after a bulk import.
const BATCH: i64 = 500;
/// Posts or comments per transaction of a rebuild, and per step of a check.
const CHUNK: i64 = 5_000;

/// A user's read row as the write tables say it should be.
const USER_ROWS: &str = "SELECT u.id, u.name, u.name_key, COALESCE(r.name, 'member'), \
    COALESCE((SELECT s.name FROM user_state us JOIN state s ON s.id = us.state_id \
              WHERE us.user_id = u.id ORDER BY us.id DESC LIMIT 1), 'active'), \
    u.created_datetime, \
    (SELECT COUNT(*) FROM post p WHERE p.user_id = u.id AND p.is_active = 1), \
    (SELECT COUNT(*) FROM comment c WHERE c.user_id = u.id AND c.is_active = 1) \
    FROM user u LEFT JOIN role r ON r.id = u.role_id";

/// The tree rows as the write tables say they should be; a board counts its categories' posts.
const CATEGORY_ROWS: &str = "SELECT c.id, c.tier, c.name, c.parent_id, p.name, \
    (SELECT COUNT(*) FROM post x WHERE x.is_active = 1 AND (x.category_id = c.id \
        OR x.category_id IN (SELECT k.id FROM category k WHERE k.parent_id = c.id))) \
    FROM category c LEFT JOIN category p ON p.id = c.parent_id";

/// A new user: their row, with counts at zero. The counts belong to the post and comment
/// events, each adding one, even when this event is applied late (after a crash) and the
/// write tables already hold posts whose events are still to come.
async fn insert_user(conn: &mut AnyConnection, user_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rm_user WHERE user_id = ?").bind(user_id).execute(&mut *conn).await?;
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO rm_user (user_id, name, name_key, role, state, joined, post_count, comment_count) \
         {USER_ROWS} WHERE u.id = ?"
    ));
    sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    sqlx::query("UPDATE rm_user SET post_count = 0, comment_count = 0 WHERE user_id = ?")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A changed user: name, role and state follow the write tables; the counts are the events'.
async fn update_user(conn: &mut AnyConnection, user_id: i64) -> sqlx::Result<()> {
    let sql = sqlx::AssertSqlSafe(format!("{USER_ROWS} WHERE u.id = ?"));
    let Some(row) = sqlx::query(sql).bind(user_id).fetch_optional(&mut *conn).await? else {
        return Ok(());
    };
    sqlx::query("UPDATE rm_user SET name = ?, name_key = ?, role = ?, state = ? WHERE user_id = ?")
        .bind(row.try_get::<Option<String>, _>(1)?)
        .bind(row.try_get::<Option<String>, _>(2)?)
        .bind(row.try_get::<String, _>(3)?)
        .bind(row.try_get::<String, _>(4)?)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A new category: its row, with its count at zero; the count belongs to the post events
/// (see `insert_user`).
async fn insert_category(conn: &mut AnyConnection, category_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rm_category WHERE category_id = ?").bind(category_id).execute(&mut *conn).await?;
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO rm_category (category_id, tier, name, parent_id, parent_name, post_count) \
         {CATEGORY_ROWS} WHERE c.id = ?"
    ));
    sqlx::query(sql).bind(category_id).execute(&mut *conn).await?;
    sqlx::query("UPDATE rm_category SET post_count = 0 WHERE category_id = ?")
        .bind(category_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A renamed category: its row, its children's parent name, and its posts' rows.
async fn rename_category(conn: &mut AnyConnection, category_id: i64) -> sqlx::Result<()> {
    let name: String =
        sqlx::query_scalar("SELECT name FROM category WHERE id = ?").bind(category_id).fetch_one(&mut *conn).await?;
    sqlx::query("UPDATE rm_category SET name = ? WHERE category_id = ?")
        .bind(&name)
        .bind(category_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE rm_category SET parent_name = ? WHERE parent_id = ?")
        .bind(&name)
        .bind(category_id)
        .execute(&mut *conn)
        .await?;
    rename_category_in_posts(conn, category_id).await
}

async fn apply(conn: &mut AnyConnection, dialect: Dialect, event: &Event) -> sqlx::Result<()> {
    match event {
        Event::UserRegistered { user_id, .. } => insert_user(conn, *user_id).await,
        Event::UserRenamed { user_id, .. } | Event::UserResigned { user_id, .. } => {
            update_user(conn, *user_id).await?;
            rename_author(conn, dialect, *user_id).await
        }
        Event::UserRoleChanged { user_id, .. }
        | Event::UserBlocked { user_id, .. }
        | Event::UserUnblocked { user_id, .. } => update_user(conn, *user_id).await,
        Event::CategoryAdded { category_id } => insert_category(conn, *category_id).await,
        Event::CategoryRenamed { category_id } => rename_category(conn, *category_id).await,
        Event::PostCreated { post } | Event::PostRestored { post } => {
            refresh_post(conn, dialect, post.post_id).await?;
            count_post(conn, post, 1).await
        }
        Event::PostDeleted { post } => {
            refresh_post(conn, dialect, post.post_id).await?;
            count_post(conn, post, -1).await
        }
        Event::PostEdited { post } => refresh_post(conn, dialect, post.post_id).await,
        Event::PostVoteCast { post, .. } | Event::PostVoteWithdrawn { post, .. } => {
            recount_post(conn, post.post_id).await
        }
        Event::CommentAdded { comment } | Event::CommentRestored { comment } => {
            refresh_comment(conn, comment.comment_id).await?;
            recount_post(conn, comment.post.post_id).await?;
            count_comment(conn, comment.author_id, 1).await
        }
        Event::CommentDeleted { comment } => {
            refresh_comment(conn, comment.comment_id).await?;
            recount_post(conn, comment.post.post_id).await?;
            count_comment(conn, comment.author_id, -1).await
        }
        Event::CommentEdited { comment } => refresh_comment(conn, comment.comment_id).await,
        Event::CommentVoteCast { comment, .. } | Event::CommentVoteWithdrawn { comment, .. } => {
            recount_comment_votes(conn, comment.comment_id).await
        }
        // The seeder wrote the read rows with the write rows.
        Event::ForumSeeded { .. } => Ok(()),
    }
}

/// One row rendered as text, for comparing a read table with its oracle.
fn render_row(row: &sqlx::any::AnyRow) -> String {
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

/// Compares rows keyed by their first column; pushes a line for every difference.
fn compare(label: &str, actual: BTreeMap<i64, String>, expected: BTreeMap<i64, String>, out: &mut Vec<String>) {
    for (key, want) in &expected {
        match actual.get(key) {
            None => out.push(format!("{label} {key}: missing, expected [{want}]")),
            Some(got) if got != want => out.push(format!("{label} {key}: is [{got}], expected [{want}]")),
            Some(_) => {}
        }
    }
    for (key, got) in &actual {
        if !expected.contains_key(key) {
            out.push(format!("{label} {key}: unexpected row [{got}]"));
        }
    }
}

impl SqlDatabase {
    async fn keyed_rows(&self, sql: String, range: Option<(i64, i64)>) -> StoreResult<BTreeMap<i64, String>> {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        if let Some((low, high)) = range {
            query = query.bind(low).bind(high);
        }
        let rows = query.fetch_all(&self.pool).await.map_err(db_err)?;
        Ok(rows.iter().map(|row| (row.try_get::<i64, _>(0).unwrap_or_default(), render_row(row))).collect())
    }

    pub(super) async fn max_id(&self, table: &str) -> StoreResult<i64> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT COALESCE(MAX(id), 0) FROM {table}"));
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.map_err(db_err)
    }

    /// The search index entries of some posts as stored, rendered for comparison.
    async fn search_rows(&self, low: i64, high: i64) -> StoreResult<BTreeMap<i64, String>> {
        let sql = match self.dialect {
            Dialect::Sqlite => {
                "SELECT rowid, title || ' / ' || content || ' / ' || author FROM rm_post_search \
                 WHERE rowid BETWEEN ? AND ?"
            }
            Dialect::MariaDb => "SELECT post_id, terms FROM rm_post_search WHERE post_id BETWEEN ? AND ?",
        };
        self.keyed_rows(sql.to_string(), Some((low, high))).await
    }

    async fn check_posts(&self, out: &mut Vec<String>) -> StoreResult<()> {
        let last = self.max_id("post").await?;
        let mut low = 1;
        while low <= last {
            let high = low + CHUNK - 1;
            let range = Some((low, high));
            let actual = self
                .keyed_rows(
                    "SELECT post_id, board_id, category_id, user_id, is_active, version, created, edited, \
                     comment_count, vote_count, author_name, category_name, title, body_html FROM rm_post \
                     WHERE post_id BETWEEN ? AND ?"
                        .into(),
                    range,
                )
                .await?;
            let oracle =
                sqlx::AssertSqlSafe(format!("{POST_ORACLE_SELECT} AND p.id BETWEEN ? AND ? {POST_ORACLE_GROUP}"));
            let rows: Vec<PostTuple> =
                sqlx::query_as(oracle).bind(low).bind(high).fetch_all(&self.pool).await.map_err(db_err)?;
            let mut expected = BTreeMap::new();
            let mut expected_search = BTreeMap::new();
            for r in &rows {
                let html = markdown::render(&r.13);
                let author = r.10.clone().unwrap_or_else(|| "NULL".into());
                expected.insert(
                    r.0,
                    [
                        r.0.to_string(),
                        r.1.to_string(),
                        r.2.to_string(),
                        r.3.to_string(),
                        r.4.to_string(),
                        r.5.to_string(),
                        r.6.to_string(),
                        r.7.to_string(),
                        r.8.to_string(),
                        r.9.to_string(),
                        author,
                        r.11.clone(),
                        r.12.clone(),
                        html,
                    ]
                    .join(" | "),
                );
                if r.4 != 0 {
                    let entry = match self.dialect {
                        Dialect::Sqlite => format!("{} / {} / {}", r.12, r.13, r.10.as_deref().unwrap_or("")),
                        Dialect::MariaDb => marked_terms(&r.12, &r.13, r.10.as_deref()),
                    };
                    expected_search.insert(r.0, format!("{} | {entry}", r.0));
                }
            }
            compare("rm_post", actual, expected, out);
            compare("rm_post_search", self.search_rows(low, high).await?, expected_search, out);
            low = high + 1;
        }
        Ok(())
    }

    async fn check_comments(&self, out: &mut Vec<String>) -> StoreResult<()> {
        let last = self.max_id("comment").await?;
        let mut low = 1;
        while low <= last {
            let high = low + CHUNK - 1;
            let actual = self
                .keyed_rows(
                    "SELECT comment_id, post_id, user_id, is_active, version, created, edited, vote_count, \
                     author_name, body_html FROM rm_comment WHERE comment_id BETWEEN ? AND ?"
                        .into(),
                    Some((low, high)),
                )
                .await?;
            let oracle = sqlx::AssertSqlSafe(format!("{COMMENT_ROWS} WHERE k.id BETWEEN ? AND ?"));
            let rows: Vec<CommentTuple> =
                sqlx::query_as(oracle).bind(low).bind(high).fetch_all(&self.pool).await.map_err(db_err)?;
            let expected = rows
                .iter()
                .map(|r| {
                    let author = r.8.clone().unwrap_or_else(|| "NULL".into());
                    let fields = [r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7].map(|v| v.to_string());
                    (r.0, format!("{} | {author} | {}", fields.join(" | "), markdown::render(&r.9)))
                })
                .collect();
            compare("rm_comment", actual, expected, out);
            low = high + 1;
        }
        Ok(())
    }

    /// Rebuilds rm_post and rm_comment in chunks, each its own transaction.
    async fn rebuild_content(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> StoreResult<()> {
        let last_post = self.max_id("post").await?;
        let last_comment = self.max_id("comment").await?;
        let total = (last_post + last_comment) as u64;
        let mut low = 1;
        while low <= last_post {
            let high = low + CHUNK - 1;
            let mut tx = self.begin_bulk().await.map_err(db_err)?;
            let sql = sqlx::AssertSqlSafe(format!("{POST_ROWS} WHERE p.id BETWEEN ? AND ?"));
            let rows: Vec<PostTuple> =
                sqlx::query_as(sql).bind(low).bind(high).fetch_all(&mut *tx).await.map_err(db_err)?;
            store_posts(&mut tx, self.dialect, &rows).await.map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
            progress(high.min(last_post) as u64, total);
            low = high + 1;
        }
        let mut low = 1;
        while low <= last_comment {
            let high = low + CHUNK - 1;
            let mut tx = self.begin_bulk().await.map_err(db_err)?;
            let sql = sqlx::AssertSqlSafe(format!("{COMMENT_ROWS} WHERE k.id BETWEEN ? AND ?"));
            let rows: Vec<CommentTuple> =
                sqlx::query_as(sql).bind(low).bind(high).fetch_all(&mut *tx).await.map_err(db_err)?;
            store_comments(&mut tx, &rows).await.map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
            progress((last_post + high.min(last_comment)) as u64, total);
            low = high + 1;
        }
        Ok(())
    }
}

/// Rewrites rm_user and rm_category from the write tables, counts included (a bulk load's
/// last step, where counting by events would mean one event per row).
pub(super) async fn refill_users_and_categories(conn: &mut AnyConnection) -> sqlx::Result<()> {
    for statement in refill_statements() {
        sqlx::query(sqlx::AssertSqlSafe(statement)).execute(&mut *conn).await?;
    }
    Ok(())
}

/// The statements of [`refill_users_and_categories`], in order, for a loader with a
/// connection of its own (the SQLite seeder).
pub(super) fn refill_statements() -> [String; 4] {
    [
        "DELETE FROM rm_user".to_string(),
        "DELETE FROM rm_category".to_string(),
        format!(
            "INSERT INTO rm_user (user_id, name, name_key, role, state, joined, post_count, comment_count) {USER_ROWS}"
        ),
        format!(
            "INSERT INTO rm_category (category_id, tier, name, parent_id, parent_name, post_count) {CATEGORY_ROWS}"
        ),
    ]
}

/// The original design's one-shot query over the normalised tables, kept as the oracle: it
/// finds the latest version and counts with joins where the projection uses correlated
/// subqueries, so a mistake in one shows up against the other. The range goes between the
/// two halves.
const POST_ORACLE_SELECT: &str = "SELECT p.id, COALESCE(c.parent_id, c.id), p.category_id, p.user_id, p.is_active, \
       pc.version, p.created_datetime, pc.created_datetime, \
       COUNT(DISTINCT k.id), COUNT(DISTINCT v.user_id), \
       u.name, c.name, pc.title, pc.content \
     FROM post p \
     JOIN category c ON c.id = p.category_id \
     JOIN user u ON u.id = p.user_id \
     JOIN post_content pc ON pc.post_id = p.id \
     LEFT JOIN post_content newer ON newer.post_id = p.id AND newer.version > pc.version \
     LEFT JOIN comment k ON k.post_id = p.id AND k.is_active = 1 \
     LEFT JOIN voter_post v ON v.post_id = p.id \
     WHERE newer.id IS NULL";
const POST_ORACLE_GROUP: &str = "GROUP BY p.id, c.parent_id, c.id, p.category_id, p.user_id, p.is_active, \
       pc.version, p.created_datetime, pc.created_datetime, u.name, c.name, pc.title, pc.content";

#[async_trait]
impl Projector for SqlDatabase {
    async fn apply_pending(&self) -> StoreResult<Vec<Event>> {
        let mut applied = Vec::new();
        loop {
            let turn = self.writer_turn().await;
            let mut tx = self.pool.begin_with(self.dialect.begin_write()).await.map_err(db_err)?;
            // On MariaDB a second instance waits for its turn here instead of applying twice (a
            // record lock on one row; see migrations/mariadb/0004_projector_lock.sql).
            if self.dialect == Dialect::MariaDb {
                sqlx::query("SELECT id FROM projector_turn WHERE id = 1 FOR UPDATE")
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_err)?;
            }
            // LIMIT is written in, not bound: SQLite prepares a statement with a bound LIMIT again
            // on every run.
            let select = sqlx::AssertSqlSafe(format!(
                "SELECT id, payload FROM event WHERE applied = 0 ORDER BY id LIMIT {BATCH}"
            ));
            let batch: Vec<(i64, String)> = sqlx::query_as(select).fetch_all(&mut *tx).await.map_err(db_err)?;
            if batch.is_empty() {
                tx.commit().await.map_err(db_err)?;
                return Ok(applied);
            }
            for (id, payload) in &batch {
                let event: Event =
                    serde_json::from_str(payload).with_context(|| format!("event {id} cannot be read: {payload}"))?;
                apply(&mut tx, self.dialect, &event).await.map_err(db_err)?;
                sqlx::query("UPDATE event SET applied = 1 WHERE id = ?")
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                applied.push(event);
            }
            tx.commit().await.map_err(db_err)?;
            drop(turn);
        }
    }

    async fn last_event_id(&self) -> StoreResult<i64> {
        self.max_id("event").await
    }

    async fn events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<(i64, Event)>> {
        let select =
            sqlx::AssertSqlSafe(format!("SELECT id, payload FROM event WHERE id > ? ORDER BY id LIMIT {limit}"));
        let rows: Vec<(i64, String)> =
            sqlx::query_as(select).bind(after).fetch_all(&self.pool).await.map_err(db_err)?;
        rows.into_iter()
            .map(|(id, payload)| {
                let event = serde_json::from_str(&payload).with_context(|| format!("event {id} cannot be read"))?;
                Ok((id, event))
            })
            .collect()
    }

    async fn check(&self) -> StoreResult<Vec<String>> {
        let mut out = Vec::new();
        let users = self
            .keyed_rows(
                "SELECT user_id, name, name_key, role, state, joined, post_count, comment_count FROM rm_user".into(),
                None,
            )
            .await?;
        compare("rm_user", users, self.keyed_rows(USER_ROWS.into(), None).await?, &mut out);
        let categories = self
            .keyed_rows(
                "SELECT category_id, tier, name, parent_id, parent_name, post_count FROM rm_category".into(),
                None,
            )
            .await?;
        compare("rm_category", categories, self.keyed_rows(CATEGORY_ROWS.into(), None).await?, &mut out);
        self.check_posts(&mut out).await?;
        self.check_comments(&mut out).await?;
        Ok(out)
    }

    async fn rebuild(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> StoreResult<()> {
        let mut tx = self.begin_bulk().await.map_err(db_err)?;
        // Everything recorded so far will be reflected by the rebuild.
        sqlx::query("UPDATE event SET applied = 1 WHERE applied = 0").execute(&mut *tx).await.map_err(db_err)?;
        for table in ["rm_post", "rm_comment", "rm_post_search"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}"))).execute(&mut *tx).await.map_err(db_err)?;
        }
        refill_users_and_categories(&mut tx).await.map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        self.rebuild_content(progress).await
    }
}
