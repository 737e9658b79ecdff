//! The demo data itself: users, posts with edits, comments and votes, in Korean and English,
//! made on one thread while the writer stores the chunk before.
//!
//! Post and comment texts come from pools made (and rendered from Markdown) once: rendering
//! every one of a million texts would take longer than storing them. Titles, authors, boards,
//! times, edits, comments and votes are drawn for each post.

use super::super::projections::render_all;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// What to create.
#[derive(Debug, Clone, Copy)]
pub struct SeedPlan {
    pub posts: i64,
    pub users: i64,
    pub comments_per_post: i64,
    pub votes_per_post: i64,
}

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
/// Distinct post texts and distinct comment texts.
const POOL_SIZE: usize = 8_192;

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

fn post_text(rng: &mut StdRng) -> String {
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

fn comment_text(rng: &mut StdRng) -> String {
    let n = rng.random_range(3..20);
    words(rng, n)
}

/// A Markdown text and its rendering, as the read model stores it.
pub struct Text {
    pub source: String,
    pub html: String,
}

/// The texts posts and comments are drawn from.
pub struct TextPools {
    pub posts: Vec<Text>,
    pub comments: Vec<Text>,
}

impl TextPools {
    pub fn new(rng: &mut StdRng) -> TextPools {
        let posts: Vec<String> = (0..POOL_SIZE).map(|_| post_text(rng)).collect();
        let comments: Vec<String> = (0..POOL_SIZE).map(|_| comment_text(rng)).collect();
        TextPools { posts: rendered(posts), comments: rendered(comments) }
    }
}

/// Pairs texts with their rendering (on every core).
fn rendered(sources: Vec<String>) -> Vec<Text> {
    // Seeded texts mention nobody.
    let html = render_all(sources.iter().map(String::as_str), &std::collections::HashSet::new());
    sources.into_iter().zip(html).map(|(source, html)| Text { source, html }).collect()
}

/// A seeded user: the id is given by the database's next free id.
pub fn user_name(id: i64) -> String {
    if id % 3 == 0 { format!("사용자{id}") } else { format!("user{id}") }
}

/// A category a post can go to, with what the read model shows of it.
#[derive(Debug, Clone)]
pub struct Target {
    pub id: i64,
    pub board_id: i64,
    pub name: String,
}

/// One version of a post: version `n` is written `n` minutes after the post.
pub struct SeedVersion {
    pub title: String,
    /// Index into [`TextPools::posts`].
    pub text: usize,
}

pub struct SeedComment {
    pub id: i64,
    pub author: i64,
    pub created: i64,
    /// Index into [`TextPools::comments`].
    pub text: usize,
}

pub struct SeedPost {
    pub id: i64,
    pub author: i64,
    pub target: usize,
    pub created: i64,
    pub versions: Vec<SeedVersion>,
    pub comments: Vec<SeedComment>,
    pub voters: Vec<i64>,
}

pub const EDIT_INTERVAL_MS: i64 = 60_000;
const COMMENT_INTERVAL_MS: i64 = 30_000;

impl SeedPost {
    pub fn latest(&self) -> (i64, &SeedVersion) {
        let version = self.versions.len() - 1;
        (version as i64, &self.versions[version])
    }
}

/// Draws posts one after another over the last year, oldest first.
pub struct PostMaker {
    rng: StdRng,
    plan: SeedPlan,
    users: Vec<i64>,
    /// Categories get most posts; boards take some directly.
    categories: Vec<usize>,
    boards: Vec<usize>,
    first_post: i64,
    next_comment: i64,
    first_created: i64,
    step: i64,
    made: i64,
}

impl PostMaker {
    pub fn new(
        rng: StdRng,
        plan: SeedPlan,
        users: Vec<i64>,
        targets: &[Target],
        first_post: i64,
        first_comment: i64,
        now: i64,
    ) -> PostMaker {
        let year_ms: i64 = 365 * 24 * 3600 * 1000;
        let (boards, categories) = (0..targets.len()).partition(|&i| targets[i].board_id == targets[i].id);
        PostMaker {
            rng,
            plan,
            users,
            categories,
            boards,
            first_post,
            next_comment: first_comment,
            first_created: now - year_ms,
            step: (year_ms / plan.posts.max(1)).max(1),
            made: 0,
        }
    }

    fn user(&mut self) -> i64 {
        self.users[self.rng.random_range(0..self.users.len())]
    }

    /// How many posts the plan makes in all.
    pub fn planned(&self) -> i64 {
        self.plan.posts.max(0)
    }

    /// The next `count` posts (fewer at the end of the plan).
    pub fn chunk(&mut self, count: i64) -> Vec<SeedPost> {
        let count = count.min(self.plan.posts - self.made).max(0);
        (0..count).map(|_| self.post()).collect()
    }

    fn post(&mut self) -> SeedPost {
        let id = self.first_post + self.made;
        let created = self.first_created + self.made * self.step;
        self.made += 1;
        let author = self.user();
        let rng = &mut self.rng;
        let target = if self.boards.is_empty() || (!self.categories.is_empty() && rng.random_bool(0.85)) {
            self.categories[rng.random_range(0..self.categories.len())]
        } else {
            self.boards[rng.random_range(0..self.boards.len())]
        };
        let edits = if rng.random_bool(0.2) { rng.random_range(1..3) } else { 0 };
        let versions =
            (0..=edits).map(|_| SeedVersion { title: title(rng), text: rng.random_range(0..POOL_SIZE) }).collect();
        let comment_count = self.rng.random_range(0..=self.plan.comments_per_post * 2);
        let comments = (1..=comment_count)
            .map(|n| {
                let comment = SeedComment {
                    id: self.next_comment,
                    author: self.user(),
                    created: created + n * COMMENT_INTERVAL_MS,
                    text: self.rng.random_range(0..POOL_SIZE),
                };
                self.next_comment += 1;
                comment
            })
            .collect();
        // Distinct voters: a run of consecutive users from a random start.
        let vote_count = self.rng.random_range(0..=self.plan.votes_per_post * 2).min(self.users.len() as i64);
        let start = self.rng.random_range(0..self.users.len());
        let voters = (0..vote_count as usize).map(|v| self.users[(start + v) % self.users.len()]).collect();
        SeedPost { id, author, target, created, versions, comments, voters }
    }
}

/// The generator's random numbers: the same every run, so two seeds of N posts match.
pub fn seeded_rng() -> StdRng {
    StdRng::seed_from_u64(2026)
}
