//! Demo data in bulk (`forum seed`): users, posts with edits, comments and votes.
//!
//! The seeder knows everything about the rows it makes, so it writes the write tables and the
//! read model side by side, in large multi-row inserts, one transaction a chunk: going through
//! the commands would cost a transaction and a projection per row, and rebuilding the read
//! model afterwards would read every row back. The counts on profiles and the board tree are
//! recounted from the write tables at the end. `forum read-model check` compares the result
//! with the one-shot query like any other read model.
//!
//! One thread makes the next chunk while the database stores the one before.

mod data;

use super::content_projection::{CommentRow, PostRow, ROWS_PER_INSERT, insert_comments, insert_posts};
use super::projections::refill_users_and_categories;
use super::{Dialect, SqlDatabase, db_err};
use crate::domain::{Timestamp, fold_key};
use crate::ports::StoreResult;
use data::{EDIT_INTERVAL_MS, PostMaker, SeedPost, Target, TextPools, seeded_rng, user_name};
use sqlx::{Any, AnyConnection, Connection, QueryBuilder};

pub use data::SeedPlan;

/// The password of every seeded user, so anyone can log in as one to try the forum.
pub const SEED_PASSWORD: &str = "password123";

/// Posts a transaction. A commit writes out every page the chunk touched, and the indexes by
/// user (comments, votes) touch pages all over their trees, so a larger chunk writes each such
/// page once for more rows: 20,000 seeded 1M posts in 114 s where 5,000 took 179 s, and 50,000
/// was no faster than 20,000 at 300k posts. On SQLite other writers wait for a chunk's commit
/// (at the 10,000-14,000 posts a second measured, one to two seconds): fine for a command that
/// fills a demo forum.
const POSTS_PER_CHUNK: i64 = 20_000;

/// Seeded users joined a year and a second ago, before the first seeded post.
const YEAR_MS: i64 = 365 * 24 * 3600 * 1000;

impl SqlDatabase {
    /// Creates the plan's users, then its posts in chunks; `progress(done, total)` after each chunk.
    pub async fn seed(
        &self,
        plan: SeedPlan,
        password_hash: &str,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> StoreResult<()> {
        let targets = self.seed_targets().await?;
        let now = Timestamp::now().0;
        let mut conn = self.bulk_connection().await.map_err(db_err)?;
        let users = self.seed_users(&mut conn, plan.users, password_hash, now - YEAR_MS - 1000).await?;
        if users.is_empty() {
            return Err(anyhow::anyhow!("seeding posts needs at least one user").into());
        }
        let mut rng = seeded_rng();
        let texts = TextPools::new(&mut rng);
        let maker = PostMaker::new(
            rng,
            plan,
            users,
            &targets,
            self.max_id("post").await? + 1,
            self.max_id("comment").await? + 1,
            now,
        );

        // FTS5 merges the search index's segments as they pile up. In a bulk load that work is
        // done again at every level, and the load ends with one full merge anyway. So merging
        // waits for the end (300k posts: 26.3-26.9 s -> 21.3-23.2 s); FTS5's own crisis
        // merges still bound the segments meanwhile, and merging is switched back on even if
        // storing fails.
        self.search_merging(&mut conn, false).await?;
        let stored = store_posts(&mut conn, self.dialect, maker, &texts, &targets, plan.posts, progress).await;
        let merging = self.search_merging(&mut conn, true).await;
        stored?;
        merging?;

        let mut tx = conn.begin_with(self.dialect.begin_write()).await.map_err(db_err)?;
        refill_users_and_categories(&mut tx).await.map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        if self.dialect == Dialect::Sqlite {
            // A bulk load leaves the search index in many segments; merged into one, a search
            // for a common word walks one list instead of many (3-4x faster at 1M posts, for
            // about 20 s of merging).
            sqlx::query("INSERT INTO rm_post_search (rm_post_search) VALUES ('optimize')")
                .execute(&mut conn)
                .await
                .map_err(db_err)?;
        }

        Ok(())
    }

    /// Switches FTS5's merging of search index segments off or back on (to its default of 4
    /// segments a level); MariaDB's index needs nothing.
    async fn search_merging(&self, conn: &mut AnyConnection, on: bool) -> StoreResult<()> {
        if self.dialect == Dialect::Sqlite {
            let sql = if on {
                "INSERT INTO rm_post_search (rm_post_search, rank) VALUES ('automerge', 4)"
            } else {
                "INSERT INTO rm_post_search (rm_post_search, rank) VALUES ('automerge', 0)"
            };
            sqlx::query(sql).execute(&mut *conn).await.map_err(db_err)?;
        }
        Ok(())
    }

    /// Where posts can go, with the board of each and the name the list shows.
    async fn seed_targets(&self) -> StoreResult<Vec<Target>> {
        let rows: Vec<(i64, Option<i64>, String)> =
            sqlx::query_as("SELECT id, parent_id, name FROM category ORDER BY id")
                .fetch_all(&self.pool)
                .await
                .map_err(db_err)?;
        if rows.is_empty() {
            return Err(anyhow::anyhow!("no boards to post in").into());
        }
        Ok(rows.into_iter().map(|(id, parent, name)| Target { id, board_id: parent.unwrap_or(id), name }).collect())
    }

    /// Adds `count` members, all active, all with the same password; returns their ids.
    async fn seed_users(
        &self,
        conn: &mut AnyConnection,
        count: i64,
        password_hash: &str,
        joined: i64,
    ) -> StoreResult<Vec<i64>> {
        let first = self.max_id("user").await? + 1;
        let users: Vec<i64> = (first..first + count).collect();
        let mut tx = conn.begin_with(self.dialect.begin_write()).await.map_err(db_err)?;
        for chunk in users.chunks(ROWS_PER_INSERT) {
            let mut insert = QueryBuilder::<Any>::new(
                "INSERT INTO user (id, name, name_key, password, email, email_key, created_datetime, role_id) ",
            );
            insert.push_values(chunk, |mut row, &id| {
                let name = user_name(id);
                let email = format!("user{id}@example.com");
                row.push_bind(id)
                    .push_bind(&name)
                    .push_bind(fold_key(&name))
                    .push_bind(password_hash)
                    .push_bind(&email)
                    .push_bind(&email)
                    .push_bind(joined)
                    .push_bind(3_i64);
            });
            insert.build().execute(&mut *tx).await.map_err(db_err)?;
            let mut states = QueryBuilder::<Any>::new("INSERT INTO user_state (user_id, state_id, created_datetime) ");
            states.push_values(chunk, |mut row, &id| {
                row.push_bind(id).push_bind(1_i64).push_bind(joined);
            });
            states.build().execute(&mut *tx).await.map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(users)
    }
}

/// Makes the posts on a thread of its own, a chunk ahead, and stores each chunk in one
/// transaction; `progress(done, total)` after each.
async fn store_posts(
    conn: &mut AnyConnection,
    dialect: Dialect,
    mut maker: PostMaker,
    texts: &TextPools,
    targets: &[Target],
    total: i64,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> StoreResult<()> {
    let (sender, mut chunks) = tokio::sync::mpsc::channel::<Vec<SeedPost>>(2);
    let generator = tokio::task::spawn_blocking(move || {
        loop {
            let chunk = maker.chunk(POSTS_PER_CHUNK);
            // An empty chunk is the end; a closed channel means the writer gave up.
            if chunk.is_empty() || sender.blocking_send(chunk).is_err() {
                break;
            }
        }
    });
    let mut done = 0;
    while let Some(chunk) = chunks.recv().await {
        let mut tx = conn.begin_with(dialect.begin_write()).await.map_err(db_err)?;
        store_chunk(&mut tx, dialect, &chunk, texts, targets).await.map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        done += chunk.len() as u64;
        progress(done, total as u64);
    }
    generator.await.map_err(|e| anyhow::anyhow!("the generator stopped: {e}"))?;
    Ok(())
}

/// Writes a chunk of posts: write tables first, then their read rows.
async fn store_chunk(
    conn: &mut AnyConnection,
    dialect: Dialect,
    posts: &[SeedPost],
    texts: &TextPools,
    targets: &[Target],
) -> sqlx::Result<()> {
    insert_all(conn, "INSERT INTO post (id, user_id, category_id, created_datetime, is_active) ", posts, |row, p| {
        row.push_bind(p.id).push_bind(p.author).push_bind(targets[p.target].id).push_bind(p.created).push_bind(1_i64);
    })
    .await?;
    let versions: Vec<_> =
        posts.iter().flat_map(|p| p.versions.iter().enumerate().map(move |(n, v)| (p, n as i64, v))).collect();
    insert_all(
        conn,
        "INSERT INTO post_content (post_id, version, created_datetime, title, content) ",
        &versions,
        |row, (p, n, v)| {
            row.push_bind(p.id)
                .push_bind(*n)
                .push_bind(p.created + n * EDIT_INTERVAL_MS)
                .push_bind(&v.title)
                .push_bind(&texts.posts[v.text].source);
        },
    )
    .await?;
    let comments: Vec<_> = posts.iter().flat_map(|p| p.comments.iter().map(move |c| (p.id, c))).collect();
    insert_all(
        conn,
        "INSERT INTO comment (id, user_id, post_id, created_datetime, is_active) ",
        &comments,
        |row, (post, c)| {
            row.push_bind(c.id).push_bind(c.author).push_bind(*post).push_bind(c.created).push_bind(1_i64);
        },
    )
    .await?;
    insert_all(
        conn,
        "INSERT INTO comment_content (comment_id, version, created_datetime, content) ",
        &comments,
        |row, (_, c)| {
            row.push_bind(c.id).push_bind(0_i64).push_bind(c.created).push_bind(&texts.comments[c.text].source);
        },
    )
    .await?;
    let votes: Vec<(i64, i64)> = posts.iter().flat_map(|p| p.voters.iter().map(move |&u| (u, p.id))).collect();
    insert_all(conn, "INSERT INTO voter_post (user_id, post_id) ", &votes, |row, (user, post)| {
        row.push_bind(*user).push_bind(*post);
    })
    .await?;

    let names: Vec<String> = posts.iter().map(|p| user_name(p.author)).collect();
    let read_posts: Vec<PostRow> = posts
        .iter()
        .zip(&names)
        .map(|(p, author)| {
            let (version, latest) = p.latest();
            let target = &targets[p.target];
            let text = &texts.posts[latest.text];
            PostRow {
                post_id: p.id,
                board_id: target.board_id,
                category_id: target.id,
                user_id: p.author,
                is_active: true,
                version,
                created: p.created,
                edited: p.created + version * EDIT_INTERVAL_MS,
                comment_count: p.comments.len() as i64,
                vote_count: p.voters.len() as i64,
                author_name: Some(author),
                category_name: &target.name,
                title: &latest.title,
                content: &text.source,
                body_html: &text.html,
            }
        })
        .collect();
    insert_posts(conn, dialect, &read_posts).await?;
    let commenters: Vec<String> = comments.iter().map(|(_, c)| user_name(c.author)).collect();
    let read_comments: Vec<CommentRow> = comments
        .iter()
        .zip(&commenters)
        .map(|((post, c), author)| CommentRow {
            comment_id: c.id,
            post_id: *post,
            user_id: c.author,
            is_active: true,
            version: 0,
            created: c.created,
            edited: c.created,
            vote_count: 0,
            author_name: Some(author),
            body_html: &texts.comments[c.text].html,
        })
        .collect();
    insert_comments(conn, &read_comments).await
}

/// Inserts rows with multi-row INSERTs of [`ROWS_PER_INSERT`] rows; `head` names the table and
/// columns, `bind` binds one row's values in that order.
async fn insert_all<T>(
    conn: &mut AnyConnection,
    head: &str,
    rows: &[T],
    mut bind: impl FnMut(&mut sqlx::query_builder::Separated<'_, Any, &'static str>, &T),
) -> sqlx::Result<()> {
    for batch in rows.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Any>::new(head);
        insert.push_values(batch, |mut row, item| bind(&mut row, item));
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}
