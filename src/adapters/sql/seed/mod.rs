//! Demo data in bulk (`forum seed`): users, posts with edits, comments and votes.
//!
//! The seeder knows everything about the rows it makes, so it writes the write tables and the
//! read model side by side: going through the commands would cost a transaction and a
//! projection per row, and rebuilding the read model afterwards would read every row back.
//! The counts on profiles and the board tree are recounted from the write tables at the end.
//! `forum read-model check` compares the result with the one-shot query like any other read
//! model. Two paths:
//! - an empty SQLite forum: [`sqlite_bulk`], one transaction on both cores;
//! - anything else (a forum with posts, perhaps being served; MariaDB): large multi-row
//!   inserts through sqlx, a transaction a chunk, one thread making the next chunk while the
//!   database stores the one before.

mod data;
mod rows;
mod sqlite_bulk;

use super::content_projection::{CommentRow, PostRow, ROWS_PER_INSERT, insert_comments, insert_posts};
use super::projections::refill_users_and_categories;
use super::{Dialect, SqlDatabase, db_err};
use crate::domain::{Event, Timestamp};
use crate::ports::StoreResult;
use data::{EDIT_INTERVAL_MS, PostMaker, SeedPost, Target, TextPools, seeded_rng, user_name};
use rows::{ACTIVE_STATE, MEMBER_ROLE, NewUsers, UserRow, comment_rows, post_row, user_row};
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

/// Records [`Event::ForumSeeded`] as applied: the seeder has written the read rows itself.
const RECORD_SEEDED: &str = "INSERT INTO event (created_datetime, payload, applied) VALUES (?, ?, 1)";

/// The [`Event::ForumSeeded`] a seed records in its last transaction, encoded.
struct SeededEvent {
    payload: String,
    at: i64,
}

/// Seeded users joined a year and a second ago, before the first seeded post.
const YEAR_MS: i64 = 365 * 24 * 3600 * 1000;

impl SqlDatabase {
    /// Creates the plan's users, then its posts; `progress(done, total)` as posts are stored.
    /// Returns the event it recorded for the caches to act on ([`Event::ForumSeeded`]).
    ///
    /// An empty SQLite forum is loaded by a connection of its own after this handle's pool is
    /// closed, so that the loader can have the file to itself (see `sqlite_bulk`): the handle
    /// answers no queries afterwards. `forum seed` exits when the seed is done.
    pub async fn seed(
        &self,
        plan: SeedPlan,
        password_hash: &str,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> StoreResult<Event> {
        let targets = self.seed_targets().await?;
        let now = Timestamp::now().0;
        let first_user = self.max_id("user").await? + 1;
        let ids: Vec<i64> = (first_user..first_user + plan.users.max(0)).collect();
        if ids.is_empty() {
            return Err(anyhow::anyhow!("seeding posts needs at least one user").into());
        }
        let seeded = Event::ForumSeeded { users: ids.len() as i64, posts: plan.posts.max(0) };
        let users = NewUsers { ids, password_hash: password_hash.to_string(), joined: now - YEAR_MS - 1000 };
        let mut rng = seeded_rng();
        let texts = TextPools::new(&mut rng);
        let first_post = self.max_id("post").await? + 1;
        let first_comment = self.max_id("comment").await? + 1;
        let maker = PostMaker::new(rng, plan, users.ids.clone(), &targets, first_post, first_comment, now);
        let record = SeededEvent { payload: serde_json::to_string(&seeded).map_err(anyhow::Error::new)?, at: now };
        if self.dialect == Dialect::Sqlite && first_post == 1 {
            self.load_into_empty_sqlite(users, maker, texts, targets, record, progress).await?;
            return Ok(seeded);
        }

        let mut conn = self.bulk_connection().await.map_err(db_err)?;
        self.seed_users(&mut conn, &users).await?;

        let writer = ChunkWriter { dialect: self.dialect, texts: &texts, targets: &targets };
        writer.store_chunked(&mut conn, ChunksAhead::start(maker), plan.posts, progress).await?;

        let mut tx = conn.begin_with(self.dialect.begin_write()).await.map_err(db_err)?;
        refill_users_and_categories(&mut tx).await.map_err(db_err)?;
        sqlx::query(RECORD_SEEDED).bind(record.at).bind(&record.payload).execute(&mut *tx).await.map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        if self.dialect == Dialect::Sqlite {
            // A bulk load leaves the search index in many segments; merged into one, a search
            // for a common word walks one list instead of many (3-4x faster at 1M posts, for
            // about 20 s of merging). FTS5 keeps its own settings during the load, so that the
            // merged index lands on a high level (see `sqlite_bulk::Scratch::search_index`).
            sqlx::query("INSERT INTO rm_post_search (rm_post_search) VALUES ('optimize')")
                .execute(&mut conn)
                .await
                .map_err(db_err)?;
        }
        Ok(seeded)
    }

    /// An empty SQLite forum: [`sqlite_bulk::load`] on a thread of its own (it blocks),
    /// reporting its progress back here. The pool is closed first: the loader writes fastest
    /// without the write-ahead log, which SQLite only allows while no other connection is open.
    async fn load_into_empty_sqlite(
        &self,
        users: NewUsers,
        maker: PostMaker,
        texts: TextPools,
        targets: Vec<Target>,
        record: SeededEvent,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> StoreResult<()> {
        let total = maker.planned();
        let path = self
            .sqlite_file()
            .await
            .map_err(db_err)?
            .ok_or_else(|| anyhow::anyhow!("the forum's SQLite database has no file to load into"))?;
        self.close().await;
        let (report, mut reports) = tokio::sync::mpsc::unbounded_channel();
        let load = tokio::task::spawn_blocking(move || {
            sqlite_bulk::load(&path, &users, maker, &texts, &targets, &record, &|done| {
                let _ = report.send(done);
            })
        });
        while let Some(done) = reports.recv().await {
            progress(done, total as u64);
        }
        load.await.map_err(|e| anyhow::anyhow!("the loader stopped: {e}"))??;
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

    /// Adds the users in a transaction of their own.
    async fn seed_users(&self, conn: &mut AnyConnection, users: &NewUsers) -> StoreResult<()> {
        let mut tx = conn.begin_with(self.dialect.begin_write()).await.map_err(db_err)?;
        for chunk in users.ids.chunks(ROWS_PER_INSERT) {
            let rows: Vec<UserRow> = chunk.iter().map(|&id| user_row(id)).collect();
            insert_all(
                &mut tx,
                "INSERT INTO user (id, name, name_key, password, email, email_key, created_datetime, role_id) ",
                &rows,
                |row, u| {
                    row.push_bind(u.id)
                        .push_bind(&u.name)
                        .push_bind(&u.name_key)
                        .push_bind(&users.password_hash)
                        .push_bind(&u.email)
                        .push_bind(&u.email)
                        .push_bind(users.joined)
                        .push_bind(MEMBER_ROLE);
                },
            )
            .await
            .map_err(db_err)?;
            insert_all(&mut tx, "INSERT INTO user_state (user_id, state_id, created_datetime) ", chunk, |row, &id| {
                row.push_bind(id).push_bind(ACTIVE_STATE).push_bind(users.joined);
            })
            .await
            .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }
}

/// Posts made on a thread of its own, a chunk or two ahead of the writer.
struct ChunksAhead {
    chunks: tokio::sync::mpsc::Receiver<Vec<SeedPost>>,
    generator: tokio::task::JoinHandle<()>,
}

impl ChunksAhead {
    fn start(mut maker: PostMaker) -> ChunksAhead {
        let (sender, chunks) = tokio::sync::mpsc::channel::<Vec<SeedPost>>(2);
        let generator = tokio::task::spawn_blocking(move || {
            loop {
                let chunk = maker.chunk(POSTS_PER_CHUNK);
                // An empty chunk is the end; a closed channel means the writer gave up.
                if chunk.is_empty() || sender.blocking_send(chunk).is_err() {
                    break;
                }
            }
        });
        ChunksAhead { chunks, generator }
    }

    async fn next(&mut self) -> Option<Vec<SeedPost>> {
        self.chunks.recv().await
    }

    async fn finish(self) -> sqlx::Result<()> {
        drop(self.chunks);
        self.generator.await.map_err(|e| sqlx::Error::Protocol(format!("the post generator stopped: {e}")))
    }
}

/// Stores chunks of seeded posts: write tables and read model side by side.
struct ChunkWriter<'a> {
    dialect: Dialect,
    texts: &'a TextPools,
    targets: &'a [Target],
}

impl ChunkWriter<'_> {
    /// A transaction a chunk, so that the forum's own writers wait for one chunk at most;
    /// `progress(done, total)` after each.
    async fn store_chunked(
        &self,
        conn: &mut AnyConnection,
        mut chunks: ChunksAhead,
        total: i64,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> StoreResult<()> {
        let mut done = 0;
        while let Some(chunk) = chunks.next().await {
            let mut tx = conn.begin_with(self.dialect.begin_write()).await.map_err(db_err)?;
            self.store_chunk(&mut tx, &chunk).await.map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
            done += chunk.len() as u64;
            progress(done, total as u64);
        }
        chunks.finish().await.map_err(db_err)
    }

    /// Writes a chunk of posts: write tables first, then their read rows.
    async fn store_chunk(&self, conn: &mut AnyConnection, posts: &[SeedPost]) -> sqlx::Result<()> {
        let ChunkWriter { dialect, texts, targets } = *self;
        insert_all(
            conn,
            "INSERT INTO post (id, user_id, category_id, created_datetime, is_active) ",
            posts,
            |row, p| {
                row.push_bind(p.id)
                    .push_bind(p.author)
                    .push_bind(targets[p.target].id)
                    .push_bind(p.created)
                    .push_bind(1_i64);
            },
        )
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
        let read_posts: Vec<PostRow> =
            posts.iter().zip(&names).map(|(p, author)| post_row(p, author, texts, targets)).collect();
        insert_posts(conn, dialect, &read_posts).await?;
        let commenters: Vec<Vec<String>> =
            posts.iter().map(|p| p.comments.iter().map(|c| user_name(c.author)).collect()).collect();
        let read_comments: Vec<CommentRow> =
            posts.iter().zip(&commenters).flat_map(|(p, authors)| comment_rows(p, authors, texts)).collect();
        insert_comments(conn, &read_comments).await
    }
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
