//! Demo data in bulk: users, posts with edits, comments and votes, in Korean and English.
//!
//! Rows go straight into the write tables in large multi-row inserts (the commands would
//! spend their time on one transaction and one projection per row); the read model is then
//! rebuilt from the write tables in one pass.

use super::{SqlDatabase, db_err};
use crate::domain::Timestamp;
use crate::ports::StoreResult;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::{Any, QueryBuilder};

/// What to create.
#[derive(Debug, Clone, Copy)]
pub struct SeedPlan {
    pub posts: i64,
    pub users: i64,
    pub comments_per_post: i64,
    pub votes_per_post: i64,
}

/// The password of every seeded user, so anyone can log in as one to try the forum.
pub const SEED_PASSWORD: &str = "password123";

const ENGLISH: &[&str] = &[
    "rust",
    "forum",
    "database",
    "question",
    "answer",
    "server",
    "browser",
    "cache",
    "index",
    "query",
    "thread",
    "memory",
    "async",
    "tokio",
    "axum",
    "page",
    "search",
    "release",
    "build",
    "error",
    "test",
    "design",
    "board",
    "reply",
    "vote",
    "edit",
    "history",
    "performance",
    "latency",
    "window",
    "keyboard",
    "reader",
    "go",
    "ok",
    "hello",
    "world",
    "code",
    "review",
    "deploy",
    "network",
    "module",
    "function",
    "struct",
    "trait",
    "lifetime",
    "borrow",
];
const KOREAN: &[&str] = &[
    "안녕하세요",
    "게시판",
    "질문",
    "답변",
    "서버",
    "데이터베이스",
    "검색",
    "성능",
    "캐시",
    "브라우저",
    "러스트",
    "개발자",
    "오늘",
    "내일",
    "정말",
    "감사합니다",
    "문제",
    "해결",
    "방법",
    "코드",
    "리뷰",
    "배포",
    "한국어",
    "게시판에서",
    "질문이",
    "답변을",
    "서버가",
    "빠르게",
    "느리게",
    "사용자",
    "글쓰기",
    "댓글",
    "추천",
];
const CHUNK: i64 = 2_000;

fn words(rng: &mut StdRng, count: usize) -> String {
    let korean = rng.random_bool(0.4);
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let list = if korean && rng.random_bool(0.8) { KOREAN } else { ENGLISH };
        out.push(list[rng.random_range(0..list.len())]);
    }
    out.join(" ")
}

fn title(rng: &mut StdRng) -> String {
    let n = rng.random_range(3..9);
    let mut t = words(rng, n);
    if let Some(first) = t.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    t
}

fn content(rng: &mut StdRng) -> String {
    let paragraphs = rng.random_range(1..4);
    (0..paragraphs)
        .map(|_| {
            let n = rng.random_range(8..40);
            let mut p = words(rng, n);
            if rng.random_bool(0.2) {
                p.push_str(" **important**");
            }
            p
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

impl SqlDatabase {
    async fn next_id(&self, table: &str) -> StoreResult<i64> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}"));
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.map_err(db_err)
    }

    /// Creates the plan's users, then its posts in chunks; `progress(done, total)` after each chunk.
    pub async fn seed(
        &self,
        plan: SeedPlan,
        password_hash: &str,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> StoreResult<()> {
        let mut rng = StdRng::seed_from_u64(2026);
        let categories: Vec<(i64, i64)> =
            sqlx::query_as("SELECT id, tier FROM category ORDER BY id").fetch_all(&self.pool).await.map_err(db_err)?;
        // Most posts go to categories, some straight onto boards.
        let targets: Vec<i64> = categories.iter().filter(|c| c.1 == 2).map(|c| c.0).collect();
        let boards: Vec<i64> = categories.iter().filter(|c| c.1 == 1).map(|c| c.0).collect();
        if targets.is_empty() && boards.is_empty() {
            return Err(anyhow::anyhow!("no boards to post in").into());
        }
        let now = Timestamp::now().0;
        let year_ms: i64 = 365 * 24 * 3600 * 1000;

        let first_user = self.next_id("user").await?;
        let users: Vec<i64> = (first_user..first_user + plan.users).collect();
        let mut tx = self.begin_bulk().await.map_err(db_err)?;
        for chunk in users.chunks(500) {
            let mut insert = QueryBuilder::<Any>::new(
                "INSERT INTO user (id, name, name_key, password, email, email_key, created_datetime, role_id) ",
            );
            insert.push_values(chunk, |mut row, id| {
                let name = if id % 3 == 0 { format!("사용자{id}") } else { format!("user{id}") };
                let email = format!("user{id}@example.com");
                row.push_bind(*id)
                    .push_bind(name.clone())
                    .push_bind(crate::domain::fold_key(&name))
                    .push_bind(password_hash.to_string())
                    .push_bind(email.clone())
                    .push_bind(email)
                    .push_bind(now - year_ms - 1000)
                    .push_bind(3_i64);
            });
            insert.build().execute(&mut *tx).await.map_err(db_err)?;
            let mut states = QueryBuilder::<Any>::new("INSERT INTO user_state (user_id, state_id, created_datetime) ");
            states.push_values(chunk, |mut row, id| {
                row.push_bind(*id).push_bind(1_i64).push_bind(now - year_ms - 1000);
            });
            states.build().execute(&mut *tx).await.map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;

        let first_post = self.next_id("post").await?;
        let mut next_comment = self.next_id("comment").await?;
        let step = (year_ms / plan.posts.max(1)).max(1);
        let mut done = 0;
        while done < plan.posts {
            let count = CHUNK.min(plan.posts - done);
            let mut posts = Vec::with_capacity(count as usize);
            let mut contents = Vec::new();
            let mut comments = Vec::new();
            let mut comment_contents = Vec::new();
            let mut votes = Vec::new();
            for i in 0..count {
                let id = first_post + done + i;
                let created = now - year_ms + (done + i) * step;
                let author = users[rng.random_range(0..users.len())];
                let category = if boards.is_empty() || (!targets.is_empty() && rng.random_bool(0.85)) {
                    targets[rng.random_range(0..targets.len())]
                } else {
                    boards[rng.random_range(0..boards.len())]
                };
                posts.push((id, author, category, created));
                let edits = if rng.random_bool(0.2) { rng.random_range(1..3) } else { 0 };
                for version in 0..=edits {
                    contents.push((id, version, created + version * 60_000, title(&mut rng), content(&mut rng)));
                }
                let comment_count = rng.random_range(0..=plan.comments_per_post * 2);
                for c in 0..comment_count {
                    let commenter = users[rng.random_range(0..users.len())];
                    comments.push((next_comment, commenter, id, created + (c + 1) * 30_000));
                    let n = rng.random_range(3..20);
                    comment_contents.push((next_comment, created + (c + 1) * 30_000, words(&mut rng, n)));
                    next_comment += 1;
                }
                let vote_count = rng.random_range(0..=plan.votes_per_post * 2).min(users.len() as i64);
                let start = rng.random_range(0..users.len());
                for v in 0..vote_count {
                    votes.push((users[(start + v as usize) % users.len()], id));
                }
            }
            let mut tx = self.begin_bulk().await.map_err(db_err)?;
            for rows in posts.chunks(500) {
                let mut q = QueryBuilder::<Any>::new(
                    "INSERT INTO post (id, user_id, category_id, created_datetime, is_active) ",
                );
                q.push_values(rows, |mut row, (id, author, category, created)| {
                    row.push_bind(*id).push_bind(*author).push_bind(*category).push_bind(*created).push_bind(1_i64);
                });
                q.build().execute(&mut *tx).await.map_err(db_err)?;
            }
            for rows in contents.chunks(500) {
                let mut q = QueryBuilder::<Any>::new(
                    "INSERT INTO post_content (post_id, version, created_datetime, title, content) ",
                );
                q.push_values(rows, |mut row, (id, version, at, title, content)| {
                    row.push_bind(*id)
                        .push_bind(*version)
                        .push_bind(*at)
                        .push_bind(title.clone())
                        .push_bind(content.clone());
                });
                q.build().execute(&mut *tx).await.map_err(db_err)?;
            }
            for rows in comments.chunks(500) {
                let mut q = QueryBuilder::<Any>::new(
                    "INSERT INTO comment (id, user_id, post_id, created_datetime, is_active) ",
                );
                q.push_values(rows, |mut row, (id, user, post, at)| {
                    row.push_bind(*id).push_bind(*user).push_bind(*post).push_bind(*at).push_bind(1_i64);
                });
                q.build().execute(&mut *tx).await.map_err(db_err)?;
            }
            for rows in comment_contents.chunks(500) {
                let mut q = QueryBuilder::<Any>::new(
                    "INSERT INTO comment_content (comment_id, version, created_datetime, content) ",
                );
                q.push_values(rows, |mut row, (id, at, text)| {
                    row.push_bind(*id).push_bind(0_i64).push_bind(*at).push_bind(text.clone());
                });
                q.build().execute(&mut *tx).await.map_err(db_err)?;
            }
            for rows in votes.chunks(500) {
                let mut q = QueryBuilder::<Any>::new("INSERT INTO voter_post (user_id, post_id) ");
                q.push_values(rows, |mut row, (user, post)| {
                    row.push_bind(*user).push_bind(*post);
                });
                q.build().execute(&mut *tx).await.map_err(db_err)?;
            }
            tx.commit().await.map_err(db_err)?;
            done += count;
            progress(done as u64, plan.posts as u64);
        }
        Ok(())
    }
}
