//! Seeding through sqlx, a transaction a chunk, so that the forum's own writers wait for one
//! chunk at most: for a forum that already has posts (perhaps being served), and for MariaDB.

use super::super::inserts::insert_all;
use super::super::projections::insert_posts;
use super::super::{Dialect, db_err};
use super::data::{PostMaker, SeedPost, Target, TextPools};
use super::written::{AuthorNames, ChunkRows, NewUsers, votes};
use crate::ports::StoreResult;
use sqlx::{AnyConnection, Connection};

/// Posts a transaction. A commit writes out every page the chunk touched, and the indexes by
/// user (comments, votes) touch pages all over their trees, so a larger chunk writes each such
/// page once for more rows; larger chunks than this gained nothing. On SQLite other writers
/// wait for a chunk's commit: fine for a command that fills a demo forum.
const POSTS_PER_CHUNK: i64 = 20_000;

/// Posts made on a thread of its own, a chunk or two ahead of the writer.
pub(super) struct ChunksAhead {
    chunks: tokio::sync::mpsc::Receiver<Vec<SeedPost>>,
    generator: tokio::task::JoinHandle<()>,
}

impl ChunksAhead {
    pub fn start(mut maker: PostMaker) -> ChunksAhead {
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

/// Stores seeded users and chunks of seeded posts: write tables and read model side by side.
pub(super) struct ChunkWriter<'a> {
    pub dialect: Dialect,
    pub texts: &'a TextPools,
    pub targets: &'a [Target],
}

impl ChunkWriter<'_> {
    /// Adds the users in a transaction of their own.
    pub async fn store_users(&self, conn: &mut AnyConnection, users: &NewUsers) -> StoreResult<()> {
        let mut tx = conn.begin_with(self.dialect.begin_write()).await.map_err(db_err)?;
        insert_all(&mut tx, &users.rows(&users.ids)).await.map_err(db_err)?;
        insert_all(&mut tx, &users.states(&users.ids)).await.map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    /// A transaction a chunk; `progress(done, total)` after each.
    pub async fn store_chunked(
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
        let names = AuthorNames::of(posts);
        let rows = ChunkRows::new(posts, &names, self.texts, self.targets);
        insert_all(conn, &rows.posts).await?;
        insert_all(conn, &rows.versions).await?;
        insert_all(conn, &rows.comments).await?;
        insert_all(conn, &rows.comment_versions).await?;
        insert_all(conn, &votes(posts).collect::<Vec<_>>()).await?;
        insert_posts(conn, self.dialect, &rows.read_posts).await?;
        insert_all(conn, &rows.read_comments).await
    }
}
