//! The read model against its oracle (the original one-shot join over the write tables).
//!
//! - Property tests at the library level: random sequences of commands by random users (many refused by
//!   the rules), then `projector.check()` finds no difference, and the cached pages equal fresh reads.
//! - The same after crashes simulated between a commit and its projection: a projector double fails
//!   `apply_pending` for chosen commands (the events stay recorded, unapplied); a forum built afresh on
//!   the same database applies them at start, and the check finds no difference.
//! - The `forum read-model check` and `rebuild` commands on a served forum: exit 0 when the read model
//!   is right, non-zero listing the differences when it was tampered with, and a rebuild repairs it.
//!
//! Case counts are modest (16 × up to 40 commands); `PROPTEST_CASES=200 cargo test --test suite read_model::` runs more.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use clap::Parser;
use forum::adapters::sql::SqlDatabase;
use forum::app::accounts::{SignUp, SignUpProof};
use forum::app::guards::{GuardSettings, Guards};
use forum::app::modlog::ModNote;

/// A moderator's reason for the commands that need one (ignored where none is asked).
const NOTE: ModNote<'static> = ModNote { reason: "in a test", private: false };
use forum::app::read_cache::ReadCache;
use forum::app::{App, CommandError, PasswordHasher, Ports, Tokens};
use forum::config::Config;
use forum::domain::guards::NewAccountLimits;
use forum::domain::{CategoryId, CommentId, Event, PostId, Role, UserId};
use forum::ports::{
    ContentReads, ListCursor, ListScope, PostView, ProfileRow, Projector, ReadStore, SessionUser, StoreError,
    StoreResult,
};
use proptest::prelude::*;
use tempfile::TempDir;

use crate::common::content::{SOME_TEXT, category_id, post_ids_in_list};
use crate::common::{PASSWORD, TestServer, temp_dir};
use reqwest::StatusCode;

// ---------------------------------------------------------------------------------------------------------
// A forum in this process, on a temporary SQLite file
// ---------------------------------------------------------------------------------------------------------

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    config: Config,
}

/// A temporary directory holding one SQLite database; removed on drop.
struct TempDb {
    dir: TempDir,
}

impl TempDb {
    fn new() -> TempDb {
        TempDb { dir: temp_dir("forum-read-model-") }
    }

    fn url(&self) -> String {
        format!("sqlite://{}/forum.db", self.dir.path().display())
    }

    /// The forum's configuration, as `forum serve` would read it from flags.
    fn config(&self) -> Config {
        Cli::parse_from([
            "forum",
            "--database-url",
            &self.url(),
            "--bcrypt-cost",
            "4",
            "--secret",
            "read-model-test-secret-0123456789",
            // Commands at machine speed from no address: the sign-up guards and new-account
            // limits stay out of the way (tests/suite/signup.rs tests them).
            "--signup-min-seconds",
            "0",
            "--signups-per-address",
            "0",
            "--new-account-hours",
            "0",
        ])
        .config
    }

    async fn build(&self) -> forum::Forum {
        forum::build(&self.config()).await.expect("build the forum")
    }
}

/// A projector that fails `apply_pending` while `failing` is set (a crash between commit and projection:
/// the events stay recorded but unapplied), and otherwise is the real one.
struct CrashingProjector {
    inner: SqlDatabase,
    failing: AtomicBool,
    failures: AtomicUsize,
}

#[async_trait]
impl Projector for CrashingProjector {
    async fn apply_pending(&self) -> StoreResult<Vec<Event>> {
        if self.failing.load(Ordering::SeqCst) {
            self.failures.fetch_add(1, Ordering::SeqCst);
            return Err(StoreError::Other(anyhow::anyhow!("simulated crash before the projection")));
        }
        self.inner.apply_pending().await
    }

    async fn last_event_id(&self) -> StoreResult<i64> {
        self.inner.last_event_id().await
    }

    async fn events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<(i64, Event)>> {
        self.inner.events_after(after, limit).await
    }

    async fn check(&self) -> StoreResult<Vec<String>> {
        self.inner.check().await
    }

    async fn rebuild(&self, progress: &(dyn Fn(u64, u64) + Sync)) -> StoreResult<()> {
        self.inner.rebuild(progress).await
    }
}

/// An `App` on the forum's database whose projections fail when told to.
fn crashing_app(database: &SqlDatabase) -> (App, Arc<CrashingProjector>) {
    let store = Arc::new(database.clone());
    let projector = Arc::new(CrashingProjector {
        inner: database.clone(),
        failing: AtomicBool::new(false),
        failures: AtomicUsize::new(0),
    });
    let app = App::new(
        Ports { store: store.clone(), reads: store, projector: projector.clone(), cache: ReadCache::off() },
        PasswordHasher::new(4).expect("a password hasher"),
        Tokens::new(b"read-model-test-secret-0123456789", Duration::from_secs(3600)),
    )
    // Commands at machine speed from no address: the sign-up and new-account guards stay out of
    // the way (tests/suite/signup.rs tests them).
    .with_guards(Guards::new(
        b"read-model-test-secret-0123456789",
        GuardSettings {
            min_fill_ms: 0,
            signups_per_address_per_day: 0,
            new_accounts: NewAccountLimits { hours: 0, posts: 0, comments: 0 },
            ..GuardSettings::default()
        },
    ));
    (app, projector)
}

// ---------------------------------------------------------------------------------------------------------
// Commands and their inputs
// ---------------------------------------------------------------------------------------------------------

const NAMES: &[&str] = &["dana", "Erin", "erin", "김철수", "frank_y", "gil-z", "DANA", "hana"];
const NEW_NAMES: &[&str] = &["renamed", "bob", "새이름", "zed_1", "Erin", "u0"];
/// Titles and texts: mostly fine, one in four refused by the rules (a `u8` of 192 or more picks a bad one).
const TITLES: &[&str] = &["Hello", "러스트와 게시판", "<script>alert(1)</script>", "Go DB", "x", "  padded  "];
const BAD_TITLES: &[&str] = &["", "   ", "TOO_LONG"];
const CONTENTS: &[&str] = &[
    "Plain text.",
    "**bold** and [link](https://example.com)\n\n- a\n- b",
    "<img src=x onerror=alert(1)> [x](javascript:alert(1))",
    "게시판에서 만나요\r\n둘째 줄",
    "line one\nline two\n",
];
/// The last one is a fine post but too long for a comment.
const BAD_CONTENTS: &[&str] = &["", "  \n\t", "LONG_POST", "LONG_COMMENT"];
const CATEGORY_NAMES: &[&str] = &["New board", "", "Síntesis", "카테고리", "   "];

fn choose(good: &[&str], bad: &[&str], i: u8) -> String {
    let chosen = if i < 192 { good[i as usize % good.len()] } else { bad[i as usize % bad.len()] };
    match chosen {
        "TOO_LONG" => "t".repeat(256),
        "LONG_POST" => "p".repeat(20_001),
        "LONG_COMMENT" => "c".repeat(5_001),
        text => text.to_string(),
    }
}

fn title(i: u8) -> String {
    choose(TITLES, BAD_TITLES, i)
}

fn content(i: u8) -> String {
    choose(CONTENTS, BAD_CONTENTS, i)
}

#[derive(Debug, Clone)]
enum Cmd {
    SignUp {
        name: u8,
    },
    CreatePost {
        actor: u8,
        category: u8,
        title: u8,
        content: u8,
    },
    EditPost {
        actor: u8,
        post: u8,
        title: u8,
        content: u8,
    },
    DeletePost {
        actor: u8,
        post: u8,
    },
    RestorePost {
        actor: u8,
        post: u8,
    },
    VotePost {
        actor: u8,
        post: u8,
    },
    AddComment {
        actor: u8,
        post: u8,
        content: u8,
    },
    EditComment {
        actor: u8,
        comment: u8,
        content: u8,
    },
    DeleteComment {
        actor: u8,
        comment: u8,
    },
    RestoreComment {
        actor: u8,
        comment: u8,
    },
    VoteComment {
        actor: u8,
        comment: u8,
    },
    Rename {
        actor: u8,
        name: u8,
    },
    Resign {
        actor: u8,
    },
    GrantRole {
        target: u8,
        role: u8,
    },
    Block {
        actor: u8,
        target: u8,
    },
    Unblock {
        actor: u8,
        target: u8,
    },
    AddCategory {
        actor: u8,
        name: u8,
        parent: u8,
    },
    RenameCategory {
        actor: u8,
        category: u8,
        name: u8,
    },
    /// Reads pages through the app (filling the cache), like visitors do between the writes.
    Browse {
        post: u8,
        category: u8,
    },
}

fn cmd() -> impl Strategy<Value = Cmd> {
    let n = any::<u8>;
    prop_oneof![
        1 => n().prop_map(|name| Cmd::SignUp { name }),
        10 => (n(), n(), n(), n()).prop_map(|(actor, category, title, content)| Cmd::CreatePost { actor, category, title, content }),
        3 => (n(), n(), n(), n()).prop_map(|(actor, post, title, content)| Cmd::EditPost { actor, post, title, content }),
        2 => (n(), n()).prop_map(|(actor, post)| Cmd::DeletePost { actor, post }),
        2 => (n(), n()).prop_map(|(actor, post)| Cmd::RestorePost { actor, post }),
        4 => (n(), n()).prop_map(|(actor, post)| Cmd::VotePost { actor, post }),
        9 => (n(), n(), n()).prop_map(|(actor, post, content)| Cmd::AddComment { actor, post, content }),
        2 => (n(), n(), n()).prop_map(|(actor, comment, content)| Cmd::EditComment { actor, comment, content }),
        2 => (n(), n()).prop_map(|(actor, comment)| Cmd::DeleteComment { actor, comment }),
        1 => (n(), n()).prop_map(|(actor, comment)| Cmd::RestoreComment { actor, comment }),
        3 => (n(), n()).prop_map(|(actor, comment)| Cmd::VoteComment { actor, comment }),
        1 => (n(), n()).prop_map(|(actor, name)| Cmd::Rename { actor, name }),
        1 => n().prop_map(|actor| Cmd::Resign { actor }),
        1 => (n(), n()).prop_map(|(target, role)| Cmd::GrantRole { target, role }),
        1 => (n(), n()).prop_map(|(actor, target)| Cmd::Block { actor, target }),
        1 => (n(), n()).prop_map(|(actor, target)| Cmd::Unblock { actor, target }),
        1 => (n(), n(), n()).prop_map(|(actor, name, parent)| Cmd::AddCategory { actor, name, parent }),
        1 => (n(), n(), n()).prop_map(|(actor, category, name)| Cmd::RenameCategory { actor, category, name }),
        3 => (n(), n()).prop_map(|(post, category)| Cmd::Browse { post, category }),
    ]
}

/// What exists so far; commands pick from these by index (one past the end picks an id that does not exist).
struct World {
    /// The database itself, read past the app's cache.
    db: SqlDatabase,
    users: Vec<UserId>,
    posts: Vec<PostId>,
    comments: Vec<CommentId>,
    categories: Vec<CategoryId>,
    signups: usize,
}

const MISSING: i64 = 999_999;

/// Mostly something that exists (recent things more often); one time in sixteen an id that does not.
fn pick<Id: Copy + From<i64>>(items: &[Id], i: u8) -> Id {
    if items.is_empty() || i >= 240 {
        return Id::from(MISSING);
    }
    // Half the picks among the last four, so fresh posts and comments get acted on.
    let n = if i.is_multiple_of(2) {
        items.len() - 1 - (i as usize / 2) % items.len().min(4)
    } else {
        i as usize % items.len()
    };
    items[n]
}

/// Any one of them alike; one time in sixteen an id that does not exist.
fn pick_uniform<Id: Copy + From<i64>>(items: &[Id], i: u8) -> Id {
    if items.is_empty() || i >= 240 { Id::from(MISSING) } else { items[i as usize % items.len()] }
}

/// The user `i` as a session would carry them, if they can still act (not resigned, not blocked).
async fn actor(world: &World, i: u8) -> Option<SessionUser> {
    let id = *world.users.get(i as usize % world.users.len())?;
    let account = world.db.account(id).await.expect("read an account")?;
    let name = account.name?;
    if account.state == forum::domain::AccountState::Blocked {
        return None;
    }
    Some(SessionUser { user_id: id, name, role: account.role, language: None, time_zone: None })
}

/// A command's outcome: refusals by the rules are fine; anything else is a failure of the test.
fn allowed<T>(what: &Cmd, result: Result<T, CommandError>) -> Result<Option<T>, TestCaseError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(CommandError::Invalid(_) | CommandError::Forbidden(_) | CommandError::NotFound) => Ok(None),
        Err(CommandError::Internal(error) | CommandError::Unavailable(error)) => {
            Err(TestCaseError::fail(format!("{what:?} failed inside: {error:#}")))
        }
        // This App is built without rate limits.
        Err(CommandError::Limited(limited)) => Err(TestCaseError::fail(format!("{what:?} was limited: {limited:?}"))),
    }
}

async fn sign_up(app: &App, world: &mut World, name: &str) -> Result<(), TestCaseError> {
    world.signups += 1;
    let email = format!("user{}@example.com", world.signups);
    let input = SignUp { name, email: &email, password1: PASSWORD, password2: PASSWORD };
    let what = Cmd::SignUp { name: 0 };
    if let Some(login) =
        allowed(&what, app.sign_up(input, SignUpProof { stamp: &app.signup_stamp(), ..SignUpProof::default() }).await)?
    {
        world.users.push(login.user.user_id);
    }
    Ok(())
}

/// Runs one command against the app.
async fn run(app: &App, world: &mut World, cmd: &Cmd) -> Result<(), TestCaseError> {
    match *cmd {
        Cmd::SignUp { name } => sign_up(app, world, NAMES[name as usize % NAMES.len()]).await?,
        Cmd::CreatePost { actor: a, category, title: t, content: c } => {
            if let Some(user) = actor(world, a).await {
                let category = pick_uniform(&world.categories, category);
                let result = app.create_post(&user, Some(category), &title(t), &content(c)).await;
                if let Some(id) = allowed(cmd, result)? {
                    world.posts.push(id);
                }
            }
        }
        Cmd::EditPost { actor: a, post, title: t, content: c } => {
            if let Some(user) = actor(world, a).await {
                allowed(cmd, app.edit_post(&user, pick(&world.posts, post), &title(t), &content(c)).await)?;
            }
        }
        Cmd::DeletePost { actor: a, post } => {
            if let Some(user) = actor(world, a).await {
                allowed(cmd, app.delete_post(&user, pick(&world.posts, post), &NOTE).await)?;
            }
        }
        Cmd::RestorePost { actor: a, post } => {
            if let Some(user) = actor(world, a).await {
                allowed(cmd, app.restore_post(&user, pick(&world.posts, post), &NOTE).await)?;
            }
        }
        Cmd::VotePost { actor: a, post } => {
            if let Some(user) = actor(world, a).await {
                allowed(cmd, app.vote_post(&user, pick(&world.posts, post)).await)?;
            }
        }
        Cmd::AddComment { actor: a, post, content: c } => {
            if let Some(user) = actor(world, a).await
                && let Some(id) = allowed(cmd, app.add_comment(&user, pick(&world.posts, post), &content(c)).await)?
            {
                world.comments.push(id);
            }
        }
        Cmd::EditComment { actor: a, comment, content: c } => {
            if let Some(user) = actor(world, a).await {
                allowed(cmd, app.edit_comment(&user, pick(&world.comments, comment), &content(c)).await)?;
            }
        }
        Cmd::DeleteComment { actor: a, comment } => {
            if let Some(user) = actor(world, a).await {
                allowed(cmd, app.delete_comment(&user, pick(&world.comments, comment), &NOTE).await)?;
            }
        }
        Cmd::RestoreComment { actor: a, comment } => {
            if let Some(user) = actor(world, a).await {
                allowed(cmd, app.restore_comment(&user, pick(&world.comments, comment), &NOTE).await)?;
            }
        }
        Cmd::VoteComment { actor: a, comment } => {
            if let Some(user) = actor(world, a).await {
                allowed(cmd, app.vote_comment(&user, pick(&world.comments, comment)).await)?;
            }
        }
        Cmd::Rename { actor: a, name } => {
            if let Some(user) = actor(world, a).await {
                let email =
                    world.db.account(user.user_id).await.ok().flatten().and_then(|a| a.email).unwrap_or_default();
                let name = NEW_NAMES[name as usize % NEW_NAMES.len()];
                allowed(cmd, app.change_profile(user.user_id, (name, &email), None).await)?;
            }
        }
        Cmd::Resign { actor: a } => {
            if let Some(user) = actor(world, a).await {
                allowed(cmd, app.resign(user.user_id, PASSWORD).await)?;
            }
        }
        Cmd::GrantRole { target, role } => {
            let id = pick(&world.users, target);
            let name = match world.db.account(id).await.expect("read an account") {
                Some(account) => account.name.unwrap_or_else(|| "nobody-at-all".into()),
                None => "nobody-at-all".into(),
            };
            let role = [Role::Moderator, Role::Member, Role::Admin][role as usize % 3];
            allowed(cmd, app.grant_role(&name, role).await)?;
        }
        Cmd::Block { actor: a, target } => {
            if let Some(user) = actor(world, a).await {
                allowed(
                    cmd,
                    app.block_user(
                        &user,
                        pick(&world.users, target),
                        &ModNote { reason: "spam, in a test", private: true },
                        None,
                    )
                    .await,
                )?;
            }
        }
        Cmd::Unblock { actor: a, target } => {
            if let Some(user) = actor(world, a).await {
                allowed(cmd, app.unblock_user(&user, pick(&world.users, target), &NOTE).await)?;
            }
        }
        Cmd::AddCategory { actor: a, name, parent } => {
            if let Some(user) = actor(world, a).await {
                let name = CATEGORY_NAMES[name as usize % CATEGORY_NAMES.len()];
                // Half the time a new board, otherwise under something (a category makes it refused).
                let parent = if parent % 2 == 0 { None } else { Some(pick_uniform(&world.categories, parent / 2)) };
                if let Some(id) = allowed(cmd, app.add_category(&user, name, parent).await)? {
                    world.categories.push(id);
                }
            }
        }
        Cmd::RenameCategory { actor: a, category, name } => {
            if let Some(user) = actor(world, a).await {
                let name = CATEGORY_NAMES[name as usize % CATEGORY_NAMES.len()];
                allowed(cmd, app.rename_category(&user, pick_uniform(&world.categories, category), name).await)?;
            }
        }
        Cmd::Browse { post, category } => {
            let post = pick(&world.posts, post);
            for page in 1..=2 {
                app.post_page(post, page).await.map_err(|e| TestCaseError::fail(format!("post page: {e:#}")))?;
            }
            let category = pick_uniform(&world.categories, category);
            for scope in [ListScope::All, ListScope::Board(category), ListScope::Category(category)] {
                app.post_list(scope, ListCursor::Newest)
                    .await
                    .map_err(|e| TestCaseError::fail(format!("list: {e:#}")))?;
            }
            app.category_tree().await.map_err(|e| TestCaseError::fail(format!("tree: {e:#}")))?;
            for &user in &world.users {
                if let Some(name) = world.db.account(user).await.ok().flatten().and_then(|a| a.name) {
                    app.profile(&name).await.map_err(|e| TestCaseError::fail(format!("profile: {e:#}")))?;
                }
            }
        }
    }
    Ok(())
}

/// The admin (first account), three members and a moderator, and the default boards.
async fn start_world(app: &App, db: &SqlDatabase) -> Result<World, TestCaseError> {
    let categories = db.category_tree().await.expect("the tree").into_iter().map(|c| c.id).collect();
    let db = db.clone();
    let mut world = World { db, users: Vec::new(), posts: Vec::new(), comments: Vec::new(), categories, signups: 0 };
    for name in ["admin", "alice", "bob", "carol", "모더"] {
        sign_up(app, &mut world, name).await?;
    }
    prop_assert_eq!(world.users.len(), 5);
    app.grant_role("모더", Role::Moderator).await.map_err(|e| TestCaseError::fail(format!("grant: {e}")))?;
    Ok(world)
}

async fn expect_no_differences(app: &App, when: &str) -> Result<(), TestCaseError> {
    let differences = app.check_read_model().await.map_err(|e| TestCaseError::fail(format!("check: {e:#}")))?;
    prop_assert!(
        differences.is_empty(),
        "{when}: the read model differs from the one-shot query:\n{}",
        differences.join("\n")
    );
    Ok(())
}

/// Every cached page equals what the read model says now (the events dropped exactly the stale entries).
async fn expect_cache_coherent(app: &App, world: &World) -> Result<(), TestCaseError> {
    let fail = |e: forum::ports::StoreError| TestCaseError::fail(format!("read: {e:#}"));
    for &post in &world.posts {
        let cached =
            app.post_page(post, 1).await.map_err(fail)?.map(|p| (PostView::clone(&p.post), p.comments().to_vec()));
        let fresh = match world.db.post_view(post).await.map_err(fail)? {
            Some(view) => Some((view, world.db.comments_page(post, 0, 50).await.map_err(fail)?)),
            None => None,
        };
        prop_assert_eq!(cached, fresh, "cached post page {} is stale", post);
    }
    let mut scopes = vec![ListScope::All];
    for &c in &world.categories {
        scopes.push(ListScope::Board(c));
        scopes.push(ListScope::Category(c));
    }
    for scope in scopes {
        let cached = app.post_list(scope, ListCursor::Newest).await.map_err(fail)?.rows.clone();
        let mut fresh = world.db.post_list(scope, ListCursor::Newest, 21).await.map_err(fail)?;
        fresh.truncate(20);
        prop_assert_eq!(cached, fresh, "cached list {:?} is stale", scope);
    }
    prop_assert_eq!(
        app.category_tree().await.map_err(fail)?.to_vec(),
        world.db.category_tree().await.map_err(fail)?,
        "cached category tree is stale"
    );
    for &user in &world.users {
        if let Some(name) = world.db.account(user).await.map_err(fail)?.and_then(|a| a.name) {
            let cached = app.profile(&name).await.map_err(fail)?.map(|p| ProfileRow::clone(&p));
            let fresh = world.db.profile(user).await.map_err(fail)?;
            prop_assert_eq!(cached, fresh, "cached profile of {} is stale", name);
        }
    }
    Ok(())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a tokio runtime")
}

/// 16 cases from a fixed seed, so every run tries the same sequences; `PROPTEST_CASES`, `PROPTEST_RNG_SEED`
/// and `PROPTEST_MAX_SHRINK_ITERS` change that (e.g. `PROPTEST_CASES=500 PROPTEST_RNG_SEED=7`).
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    let set = |name: &str| std::env::var_os(name).is_some();
    if !set("PROPTEST_CASES") {
        config.cases = 16;
    }
    if !set("PROPTEST_RNG_SEED") {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(20_261_121);
    }
    if !set("PROPTEST_MAX_SHRINK_ITERS") {
        config.max_shrink_iters = 400;
    }
    // The seed reproduces a failure; no regression files are written next to the tests.
    config.failure_persistence = None;
    config
}

proptest! {
    #![proptest_config(config())]

    /// Random commands through the real forum: afterwards the read model equals the oracle, and every
    /// cached page equals a fresh read.
    #[test]
    fn random_commands_keep_the_read_model_equal_to_the_one_shot_query(
        commands in proptest::collection::vec(cmd(), 10..40)
    ) {
        runtime().block_on(async {
            let db = TempDb::new();
            let forum = db.build().await;
            let app = forum.app.clone();
            let mut world = start_world(&app, &forum.database).await?;
            for command in &commands {
                run(&app, &mut world, command).await?;
            }
            if std::env::var_os("FORUM_TEST_STATS").is_some() {
                eprintln!("users={} posts={} comments={} categories={} commands={}", world.users.len(), world.posts.len(), world.comments.len(), world.categories.len(), commands.len());
            }
            expect_no_differences(&app, "after the commands").await?;
            expect_cache_coherent(&app, &world).await?;
            forum.database.close().await;
            Ok::<(), TestCaseError>(())
        })?;
    }

    /// The same with crashes between commits and their projections (`crashed[i]`: command i's
    /// projection fails). A later command's projection applies the backlog; a forum built afresh on
    /// the database (a restart) applies whatever is left, and then nothing differs.
    #[test]
    fn after_crashes_between_commit_and_projection_a_restart_leaves_no_difference(
        commands in proptest::collection::vec((cmd(), proptest::bool::weighted(0.4)), 10..40)
    ) {
        runtime().block_on(async {
            let db = TempDb::new();
            let forum = db.build().await;
            let (app, projector) = crashing_app(&forum.database);
            let mut world = start_world(&app, &forum.database).await?;
            for (command, crashed) in &commands {
                projector.failing.store(*crashed, Ordering::SeqCst);
                run(&app, &mut world, command).await?;
            }
            // The process dies here: nothing more is applied by it.
            drop(app);
            forum.database.close().await;
            drop(forum);

            let restarted = db.build().await;
            expect_no_differences(&restarted.app, "after the restart").await?;
            // And the rebuilt read model agrees too.
            restarted.app.rebuild_read_model(&|_, _| {}).await.map_err(|e| TestCaseError::fail(format!("rebuild: {e:#}")))?;
            expect_no_differences(&restarted.app, "after a rebuild").await?;
            restarted.database.close().await;
            Ok::<(), TestCaseError>(())
        })?;
    }
}

// ---------------------------------------------------------------------------------------------------------
// Late projections (found by the property test): an event applied after later changes were committed
// ---------------------------------------------------------------------------------------------------------

/// A forum, an app whose projections can be made to fail, and the id of "Rust".
async fn crash_setup(db: &TempDb) -> (forum::Forum, App, Arc<CrashingProjector>, CategoryId) {
    let forum = db.build().await;
    let (app, projector) = crashing_app(&forum.database);
    let rust = forum.database.category_tree().await.unwrap().into_iter().find(|c| c.name == "Rust").unwrap().id;
    (forum, app, projector, rust)
}

async fn new_user(app: &App, name: &str) -> SessionUser {
    let email = format!("{name}@example.com");
    app.sign_up(
        SignUp { name, email: &email, password1: PASSWORD, password2: PASSWORD },
        SignUpProof { stamp: &app.signup_stamp(), ..SignUpProof::default() },
    )
    .await
    .expect("sign up")
    .user
}

/// Restarts on the same database and returns the check's differences.
async fn differences_after_restart(db: &TempDb, forum: forum::Forum, app: App) -> Vec<String> {
    drop(app);
    forum.database.close().await;
    drop(forum);
    let restarted = db.build().await;
    let differences = restarted.app.check_read_model().await.expect("check");
    restarted.database.close().await;
    differences
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_projected_late_has_their_posts_and_comments_counted_once() {
    // The sign-up's projection fails; the user then posts and comments with working projections.
    // Applying UserRegistered late copies the user's counts from the write tables (which already hold the
    // post and the comment), and then PostCreated and CommentAdded add one each on top.
    let db = TempDb::new();
    let (forum, app, projector, rust) = crash_setup(&db).await;
    new_user(&app, "admin").await;
    projector.failing.store(true, Ordering::SeqCst);
    let late = new_user(&app, "late").await;
    projector.failing.store(false, Ordering::SeqCst);
    let post = app.create_post(&late, Some(rust), "By a late user", "text").await.unwrap();
    app.add_comment(&late, post, "and a comment").await.unwrap();
    let differences = app.check_read_model().await.unwrap();
    assert!(differences.is_empty(), "user row counted twice:\n{}", differences.join("\n"));
    let differences = differences_after_restart(&db, forum, app).await;
    assert!(differences.is_empty(), "after a restart:\n{}", differences.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_category_projected_late_has_its_posts_counted_once() {
    // The same for a category: CategoryAdded applied after a post in it was committed.
    let db = TempDb::new();
    let (forum, app, projector, _rust) = crash_setup(&db).await;
    let admin = new_user(&app, "admin").await;
    let board = forum.database.category_tree().await.unwrap().into_iter().find(|c| c.name == "Programming").unwrap().id;
    projector.failing.store(true, Ordering::SeqCst);
    let category = app.add_category(&admin, "Zig", Some(board)).await.unwrap();
    projector.failing.store(false, Ordering::SeqCst);
    app.create_post(&admin, Some(category), "In a late category", "text").await.unwrap();
    let differences = app.check_read_model().await.unwrap();
    assert!(differences.is_empty(), "category row counted twice:\n{}", differences.join("\n"));
    let differences = differences_after_restart(&db, forum, app).await;
    assert!(differences.is_empty(), "after a restart:\n{}", differences.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everything_projected_late_at_once_is_counted_once() {
    // Every projection fails until the restart: the restart applies the whole history in one go.
    let db = TempDb::new();
    let (forum, app, projector, rust) = crash_setup(&db).await;
    projector.failing.store(true, Ordering::SeqCst);
    let admin = new_user(&app, "admin").await;
    let bob = new_user(&app, "bob").await;
    let board = forum.database.category_tree().await.unwrap().into_iter().find(|c| c.name == "General").unwrap().id;
    let category = app.add_category(&admin, "Late news", Some(board)).await.unwrap();
    let p1 = app.create_post(&bob, Some(rust), "One", "text").await.unwrap();
    let p2 = app.create_post(&bob, Some(category), "Two", "text").await.unwrap();
    app.add_comment(&admin, p1, "c").await.unwrap();
    app.vote_post(&admin, p2).await.unwrap();
    app.delete_post(&admin, p2, &NOTE).await.unwrap();
    let differences = differences_after_restart(&db, forum, app).await;
    assert!(differences.is_empty(), "after the restart:\n{}", differences.join("\n"));
}

// ---------------------------------------------------------------------------------------------------------
// A crash, step by step
// ---------------------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_after_commit_is_seen_by_the_check_and_repaired_at_start() {
    let db = TempDb::new();
    let forum = db.build().await;
    let (app, projector) = crashing_app(&forum.database);
    let admin = app
        .sign_up(
            SignUp { name: "admin", email: "a@example.com", password1: PASSWORD, password2: PASSWORD },
            SignUpProof { stamp: &app.signup_stamp(), ..SignUpProof::default() },
        )
        .await
        .unwrap();
    let bob = app
        .sign_up(
            SignUp { name: "bob", email: "b@example.com", password1: PASSWORD, password2: PASSWORD },
            SignUpProof { stamp: &app.signup_stamp(), ..SignUpProof::default() },
        )
        .await
        .unwrap();
    let rust = forum.database.category_tree().await.unwrap().into_iter().find(|c| c.name == "Rust").unwrap().id;
    assert!(app.check_read_model().await.unwrap().is_empty(), "a consistent start");

    // From here on every projection "crashes" after its commit.
    projector.failing.store(true, Ordering::SeqCst);
    let post = app.create_post(&admin.user, Some(rust), "Written before the crash", "text").await.unwrap();
    app.edit_post(&admin.user, post, "Edited before the crash", "more text").await.unwrap();
    let comment = app.add_comment(&bob.user, post, "a comment").await.unwrap();
    app.vote_post(&bob.user, post).await.unwrap();
    app.vote_comment(&admin.user, comment).await.unwrap();
    app.change_profile(bob.user.user_id, ("robert", "b@example.com"), None).await.unwrap();
    assert!(projector.failures.load(Ordering::SeqCst) >= 6, "every projection failed");

    // The commits stand; the read model is behind, and the check says so.
    let differences = app.check_read_model().await.unwrap();
    assert!(!differences.is_empty(), "the check must notice the unapplied events");
    assert!(differences.iter().any(|d| d.contains("rm_post")), "{differences:#?}");
    assert!(forum.database.post_view(post).await.unwrap().is_none(), "the read model does not know the post yet");
    drop(app);
    forum.database.close().await;
    drop(forum);

    // A restart applies them before serving.
    let restarted = db.build().await;
    let differences = restarted.app.check_read_model().await.unwrap();
    assert!(differences.is_empty(), "after the restart: {differences:#?}");
    let view = restarted.database.post_view(post).await.unwrap().expect("the post, applied at start");
    assert_eq!(view.title, "Edited before the crash");
    assert_eq!(view.vote_count, 1);
    assert_eq!(view.comment_count, 1);
    let comments = restarted.database.comments_page(post, 0, 50).await.unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].author_name.as_deref(), Some("robert"));
    assert_eq!(comments[0].vote_count, 1);
    restarted.database.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_successful_command_applies_the_backlog() {
    let db = TempDb::new();
    let forum = db.build().await;
    let (app, projector) = crashing_app(&forum.database);
    let admin = app
        .sign_up(
            SignUp { name: "admin", email: "a@example.com", password1: PASSWORD, password2: PASSWORD },
            SignUpProof { stamp: &app.signup_stamp(), ..SignUpProof::default() },
        )
        .await
        .unwrap();
    let rust = forum.database.category_tree().await.unwrap().into_iter().find(|c| c.name == "Rust").unwrap().id;
    projector.failing.store(true, Ordering::SeqCst);
    let first = app.create_post(&admin.user, Some(rust), "First", "text").await.unwrap();
    projector.failing.store(false, Ordering::SeqCst);
    let second = app.create_post(&admin.user, Some(rust), "Second", "text").await.unwrap();
    assert!(forum.database.post_view(first).await.unwrap().is_some(), "the backlog was applied with the next command");
    assert!(forum.database.post_view(second).await.unwrap().is_some());
    assert!(app.check_read_model().await.unwrap().is_empty());
    forum.database.close().await;
}

// ---------------------------------------------------------------------------------------------------------
// The `forum read-model` commands on a served forum
// ---------------------------------------------------------------------------------------------------------

/// Runs SQL on the server's database behind its back (to break the read model on purpose).
async fn tamper(server: &TestServer, sql: &str) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(server.database_url()).await.expect("open the test database");
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(&pool).await.expect("tamper with the read model");
    pool.close().await;
}

#[tokio::test]
async fn check_passes_on_a_served_forum_fails_when_tampered_and_rebuild_repairs() {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let post = alice.create_post(rust, "Checked", SOME_TEXT).await;
    alice.edit_post(post, "Checked twice", "New text").await.expect_status(StatusCode::SEE_OTHER);
    let (comment, _) = bob.add_comment(post, "Hi").await;
    bob.vote_post(post).await.expect_status(StatusCode::SEE_OTHER);
    alice.vote_comment(comment).await.expect_status(StatusCode::SEE_OTHER);

    let out = server.run_command(&["read-model", "check"]).await;
    out.expect_success();
    assert!(out.stdout.contains("matches"), "check says so: {}", out.stdout);

    // Wrong counts, a wrong title and a lost comment row: each listed, exit non-zero.
    tamper(&server, &format!("UPDATE rm_post SET vote_count = 42, title = 'Forged' WHERE post_id = {post}")).await;
    tamper(&server, &format!("DELETE FROM rm_comment WHERE comment_id = {comment}")).await;
    let out = server.run_command(&["read-model", "check"]).await;
    assert!(!out.status.success(), "a tampered read model must fail the check: {out:?}");
    assert!(out.stdout.contains(&format!("rm_post {post}")), "the post is listed: {}", out.stdout);
    assert!(out.stdout.contains("42") && out.stdout.contains("Forged"), "the wrong values are shown: {}", out.stdout);
    assert!(out.stdout.contains(&format!("rm_comment {comment}")), "the comment is listed: {}", out.stdout);

    let out = server.run_command(&["read-model", "rebuild"]).await;
    out.expect_success();
    let out = server.run_command(&["read-model", "check"]).await;
    out.expect_success();

    // The server reads the rebuilt model (a restart drops the in-process cache of the tampered rows).
    let mut server = server;
    server.restart().await;
    let page = alice.at(&server).post_page(post).await;
    assert_eq!(page.text("h1").as_deref(), Some("Checked twice"));
    assert_eq!(crate::common::content::post_votes(&page), 1);
    assert_eq!(crate::common::content::comment_ids(&page), vec![comment]);
}

/// MariaDB's search chooses its way by how many posts hold each word (`rm_search_term`): the
/// check compares those counts too, and a forum upgraded from before they existed has them
/// counted at its next start.
#[tokio::test]
async fn mariadb_word_counts_are_checked_and_counted_at_start() {
    let mut server = TestServer::start().await;
    if !server.backend().is_mariadb() {
        use std::io::Write;
        let _ =
            writeln!(std::io::stderr().lock(), "word counts: skipped: MariaDB keeps them (FORUM_TEST_BACKEND=mariadb)");
        return;
    }
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let kept = alice.create_post(rust, "Walrus tusks", SOME_TEXT).await;
    let edited = alice.create_post(rust, "Walrus facts", SOME_TEXT).await;
    alice.edit_post(edited, "Seal facts", SOME_TEXT).await.expect_status(StatusCode::SEE_OTHER);
    let removed = alice.create_post(rust, "Walrus again", SOME_TEXT).await;
    alice.delete_post(removed).await.expect_status(StatusCode::SEE_OTHER);
    server.expect_read_model_consistent().await;

    tamper(&server, "UPDATE rm_search_term SET posts = 7 WHERE term = 'walrus'").await;
    let out = server.run_command(&["read-model", "check"]).await;
    assert!(!out.status.success(), "a wrong count must fail the check: {out:?}");
    assert!(
        out.stdout.contains(r#"rm_search_term "walrus": is [7], expected [1]"#),
        "the word and both counts are shown: {}",
        out.stdout
    );

    tamper(&server, "DELETE FROM rm_search_term").await;
    server.restart().await;
    server.expect_read_model_consistent().await;
    let found = alice.at(&server).get("/search?q=walrus").await;
    assert_eq!(crate::common::content::post_ids_in_list(&found), vec![kept]);
}

#[tokio::test]
async fn a_restart_keeps_everything_and_the_read_model_stays_right() {
    let mut server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let bob = server.user("bob", "bob@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let mut posts = Vec::new();
    for i in 0..5 {
        let post = alice.create_post(rust, &format!("Durable {i}"), SOME_TEXT).await;
        bob.add_comment(post, "noted").await;
        bob.vote_post(post).await.expect_status(StatusCode::SEE_OTHER);
        posts.push(post);
    }
    server.restart().await;
    let b = server.browser();
    let list = b.get(&format!("/categories/{rust}")).await;
    assert_eq!(crate::common::content::post_ids_in_list(&list), posts.iter().rev().copied().collect::<Vec<_>>());
    for &post in &posts {
        assert_eq!(crate::common::content::list_counts(&list, post), Some((1, 1)));
    }
    server.expect_read_model_consistent().await;
    // Logged-in users stay logged in across a restart and can go on writing.
    alice.at(&server).create_post(rust, "After the restart", SOME_TEXT).await;
    server.expect_read_model_consistent().await;
}

/// `forum seed` writes the write tables and the read model side by side: the check finds them
/// equal (alongside what was there before), and the pages show what was seeded.
#[tokio::test]
async fn seeding_adds_to_a_served_forum_and_its_read_model_matches() {
    let mut server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    let before = alice.create_post(rust, "Written before the seed", SOME_TEXT).await;

    seed_1500_posts(&server).await;
    // A fresh process, nothing cached from before the seed.
    server.restart().await;
    let newest = expect_seeded_pages(&server, rust, 1501).await;
    assert!(newest > before, "seeded posts come after the existing one");
    // The post written before the seed is still there, unchanged.
    assert_eq!(alice.at(&server).post_page(before).await.text("h1").as_deref(), Some("Written before the seed"));
}

/// A forum without posts is loaded in one piece (on SQLite by the bulk loader, which builds
/// the search index on the side and, with nothing else using the file, skips the write-ahead
/// log): every page, count and search works afterwards, and the account made before is intact.
#[tokio::test]
async fn seeding_an_empty_forum_that_nothing_serves() {
    let (mut server, rust) = forum_with_alice().await;
    server.stop();

    seed_1500_posts(&server).await;
    expect_sound_sqlite_file(&server);
    server.start_again().await;
    expect_seeded_pages(&server, rust, 1500).await;
    server.browser().login("alice", PASSWORD).await.expect_redirect("/");
}

/// The same while a server has the database open (on SQLite the load then goes through the
/// write-ahead log): the running server, whose cache holds the front page from before, soon
/// shows the seeded posts (its catch-up finds the seed's event in the log; a shared cache is
/// told by the seed).
#[tokio::test]
async fn seeding_an_empty_forum_while_it_is_served() {
    let (mut server, rust) = forum_with_alice().await;
    assert_eq!(board_counts(&server).await, 0, "no posts before the seed");

    seed_1500_posts(&server).await;
    expect_sound_sqlite_file(&server);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while board_counts(&server).await != 1500 {
        assert!(std::time::Instant::now() < deadline, "the running server still shows the counts from before the seed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let list = server.browser().get(&format!("/categories/{rust}")).await;
    assert_eq!(post_ids_in_list(&list).len(), 20, "the running server lists seeded posts");
    server.restart().await;
    expect_seeded_pages(&server, rust, 1500).await;
    server.browser().login("alice", PASSWORD).await.expect_redirect("/");
}

/// A seed of an empty SQLite forum is one transaction: killed halfway, it leaves the forum as
/// it was, no posts and no seeded users, with a read model and search index that agree.
#[tokio::test]
async fn a_seed_killed_halfway_leaves_the_forum_as_it_was() {
    let (mut server, rust) = forum_with_alice().await;
    let Some(file) = server.sqlite_file() else {
        // Straight to stderr, past libtest's capture, so the run shows what did not run.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr().lock(),
            "a seed killed halfway: skipped: on MariaDB the seed commits a chunk at a time, by design"
        );
        return;
    };
    server.stop();

    let mut seed = server.spawn_command(&["seed", "--posts", "200000"]);
    // The scratch file of the search index appears once the loader has begun storing.
    let scratch = PathBuf::from(format!("{}.seed-search", file.display()));
    let started = std::time::Instant::now();
    let still_running = |seed: &mut tokio::process::Child, when: &str| {
        if let Some(status) = seed.try_wait().unwrap() {
            panic!("the seed ended {when} ({status}); it wrote:\n{}", server.spawned_stderr());
        }
    };
    while !scratch.exists() {
        assert!(started.elapsed() < Duration::from_secs(60), "the loader did not start within 60 s");
        still_running(&mut seed, "before the loader began");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    still_running(&mut seed, "within half a second of the loader's start, before it could be killed");
    seed.kill().await.unwrap();

    server.start_again().await;
    assert_eq!(board_counts(&server).await, 0, "no seeded post is left");
    let list = server.browser().get(&format!("/categories/{rust}")).await;
    assert!(post_ids_in_list(&list).is_empty(), "the board lists no posts");
    server.browser().login("user2", "password123").await.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    server.browser().login("alice", PASSWORD).await.expect_redirect("/");
    server.expect_read_model_consistent().await;

    // The killed seed could not remove its scratch file; the next seed does, and succeeds.
    server.stop();
    seed_1500_posts(&server).await;
    expect_sound_sqlite_file(&server);
    server.start_again().await;
    expect_seeded_pages(&server, rust, 1500).await;
}

/// A forum with no posts and one account, alice's (the admin), and the id of its Rust category.
async fn forum_with_alice() -> (TestServer, i64) {
    let server = TestServer::start().await;
    let alice = server.user("alice", "alice@example.com").await;
    let rust = category_id(&alice, "Rust").await;
    (server, rust)
}

/// `forum seed --posts 1500 --users 40 --comments 2`, then the read-model check.
async fn seed_1500_posts(server: &TestServer) {
    let out = server.run_command(&["seed", "--posts", "1500", "--users", "40", "--comments", "2"]).await;
    out.expect_success();
    assert!(out.stdout.contains("seeded 1500 posts and 40 users"), "the seed says what it made: {}", out.stdout);
    let out = server.run_command(&["read-model", "check"]).await;
    out.expect_success();
    assert!(out.stdout.contains("matches"), "check says so: {}", out.stdout);
}

/// What a reader checks after a seed: the boards count `posts` in all; the newest post is first
/// on `category`'s page, with the counts its own page shows; a seeded user can log in; search
/// finds seeded Korean text. Returns the newest post's id.
async fn expect_seeded_pages(server: &TestServer, category: i64, posts: i64) -> i64 {
    let reader = server.browser();
    assert_eq!(board_counts(server).await, posts, "the boards count every post, seeded or not");

    let list = reader.get(&format!("/categories/{category}")).await;
    let shown = post_ids_in_list(&list);
    assert_eq!(shown.len(), 20, "a full first page");
    let post = shown[0];
    let (comments, votes) = crate::common::content::list_counts(&list, post).expect("counts in the list");
    let page = reader.get(&format!("/posts/{post}")).await;
    page.expect_status(StatusCode::OK);
    assert_eq!(crate::common::content::comment_count_heading(&page), comments);
    assert_eq!(crate::common::content::comment_ids(&page).len() as i64, comments);
    assert_eq!(crate::common::content::post_votes(&page), votes);

    server.browser().login("user2", "password123").await.expect_redirect("/");
    let found = reader.get("/search?q=%EA%B2%8C%EC%8B%9C%ED%8C%90").await; // 게시판
    assert!(!post_ids_in_list(&found).is_empty(), "seeded posts are in the search index");
    let found = reader.get("/search?q=rust").await;
    assert_eq!(post_ids_in_list(&found).len(), 20, "a common English word fills a page of results");
    post
}

/// The posts the front page counts on its boards, in all.
async fn board_counts(server: &TestServer) -> i64 {
    let home = server.browser().get("/").await;
    home.expect_status(StatusCode::OK);
    home.texts("main .board > .count").iter().map(|t| crate::common::content::leading_number(t)).sum()
}

/// On SQLite: FTS5 finds its search index sound, the file is back in WAL mode, and the
/// loader's scratch file is gone.
fn expect_sound_sqlite_file(server: &TestServer) {
    let Some(file) = server.sqlite_file() else { return };
    let db = rusqlite::Connection::open(&file).expect("open the forum's file");
    db.execute("INSERT INTO rm_post_search (rm_post_search) VALUES ('integrity-check')", [])
        .expect("FTS5 finds the search index sound");
    let mode: String = db.query_row("PRAGMA journal_mode", [], |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal", "the forum's file is back in WAL mode");
    let scratch = PathBuf::from(format!("{}.seed-search", file.display()));
    assert!(!scratch.exists(), "the loader's scratch file is removed");
}
