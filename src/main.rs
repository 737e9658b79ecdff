//! The `forum` command: serve the forum, or look after its database.

use clap::{Parser, Subcommand};
use forum::adapters::sql::seed::{SEED_PASSWORD, SeedPlan};
use forum::config::Config;
use forum::domain::Role;
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(name = "forum", version, about = "A server-rendered web forum that works without JavaScript.")]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the forum (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Give a user a role: admin, moderator or member.
    GrantRole {
        /// The user's name (or email).
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = ["admin", "moderator", "member"])]
        role: String,
    },
    /// Fill the forum with realistic demo data (users, posts with edits, comments, votes).
    Seed {
        /// How many posts to create.
        #[arg(long, default_value_t = 1_000)]
        posts: i64,
        /// How many users to create (default: one for every 50 posts, at least 20).
        #[arg(long)]
        users: Option<i64>,
        /// Average comments per post.
        #[arg(long, default_value_t = 3)]
        comments: i64,
        /// Average votes per post.
        #[arg(long, default_value_t = 2)]
        votes: i64,
    },
    /// Copy a whole forum into an empty database (e.g. from SQLite to MariaDB), all or
    /// nothing, then verify it by row counts and the read-model check.
    Copy {
        /// The database to copy from, e.g. sqlite://forum.db
        #[arg(long)]
        from: String,
        /// The empty database to copy into, e.g. mysql://forum:secret@db/forum
        #[arg(long)]
        to: String,
    },
    /// Take a consistent copy of the running forum (DATABASE_URL) into a new SQLite file,
    /// without stopping it, then verify the copy (row counts, read-model check).
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Fill an empty database from a backup file, then verify it (row counts, read-model check).
    Restore {
        /// The backup file (written by `forum backup`).
        #[arg(long)]
        from: std::path::PathBuf,
        /// The empty database to restore into, e.g. sqlite://forum.db or mysql://…
        #[arg(long)]
        to: String,
    },
    /// Check or rebuild the read model.
    ReadModel {
        #[command(subcommand)]
        action: ReadModelAction,
    },
}

#[derive(Subcommand)]
enum ReadModelAction {
    /// Compare every read-model row with what the write tables say; exit 1 on any difference.
    Check,
    /// Rebuild the read model from the write tables.
    Rebuild,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    forum::telemetry::init_logging(cli.config.log_format);
    match run(cli).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => forum::serve(config).await?,
        Command::Migrate => {
            forum::adapters::sql::SqlDatabase::connect(&config.database_url).await?;
            println!("migrations applied");
        }
        Command::GrantRole { name, role } => {
            let role = Role::parse(&role).expect("clap checked the role");
            let forum = forum::build(&config).await?;
            match forum.app.grant_role(&name, role).await {
                Ok(()) => println!("{name} is now {}", role.name()),
                Err(forum::app::CommandError::NotFound) => {
                    eprintln!("no user named {name:?}");
                    return Ok(ExitCode::FAILURE);
                }
                Err(other) => return Err(other.into()),
            }
        }
        Command::Seed { posts, users, comments, votes } => {
            let plan = SeedPlan {
                posts,
                users: users.unwrap_or((posts / 50).max(20)),
                comments_per_post: comments,
                votes_per_post: votes,
            };
            seed(&config, plan).await?;
        }
        Command::Copy { from, to } => return copy(&from, &to).await,
        // A backup is a copy into a SQLite file: one portable format for both databases, read
        // in one snapshot of the source, and checked like any copy.
        Command::Backup { to } => {
            anyhow::ensure!(!to.exists(), "{} exists already; a backup goes into a new file", to.display());
            return copy(&config.database_url, &format!("sqlite://{}", to.display())).await;
        }
        Command::Restore { from, to } => {
            anyhow::ensure!(from.is_file(), "no backup file at {}", from.display());
            return copy(&format!("sqlite://{}", from.display()), &to).await;
        }
        Command::ReadModel { action } => {
            let forum = forum::build(&config).await?;
            match action {
                ReadModelAction::Check => {
                    let differences = forum.app.check_read_model().await?;
                    if differences.is_empty() {
                        println!("read model matches the write tables");
                    } else {
                        for difference in &differences {
                            println!("{difference}");
                        }
                        println!("{} differences", differences.len());
                        return Ok(ExitCode::FAILURE);
                    }
                }
                ReadModelAction::Rebuild => rebuild(&forum).await?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn copy(from: &str, to: &str) -> anyhow::Result<ExitCode> {
    use forum::adapters::sql::{SqlDatabase, redact};
    use forum::ports::Projector;
    let source = SqlDatabase::connect(from).await?;
    let target = SqlDatabase::connect(to).await?;
    println!("copying {} into {}", redact(from), redact(to));
    let bar = progress_bar("rows");
    let report = source
        .copy_to(&target, &|done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await?;
    bar.finish();
    let mut verified = true;
    for table in &report {
        let same = table.source_rows == table.target_rows;
        verified &= same;
        println!("{:16} {:>10} rows {}", table.table, table.target_rows, if same { "ok" } else { "DIFFERENT" });
    }
    let differences = target.check().await?;
    for difference in &differences {
        println!("{difference}");
    }
    // Closed before exiting, so that a SQLite target's log is written into its file and the
    // file alone is the whole copy.
    source.close().await;
    target.close().await;
    if verified && differences.is_empty() {
        println!("copied and verified: the read model on the target matches its write tables");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("the copy differs from its source; see above");
        Ok(ExitCode::FAILURE)
    }
}

fn progress_bar(message: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{msg:10} [{bar:30}] {pos}/{len} ({per_sec}, {eta} left)")
            .expect("valid template"),
    );
    bar.set_message(message);
    bar
}

async fn rebuild(forum: &forum::Forum) -> anyhow::Result<()> {
    let bar = progress_bar("rebuilding");
    forum
        .app
        .rebuild_read_model(&|done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await?;
    bar.finish();
    Ok(())
}

async fn seed(config: &Config, plan: SeedPlan) -> anyhow::Result<()> {
    let forum = forum::build(config).await?;
    let started = Instant::now();
    let hash = forum.app.passwords.hash(SEED_PASSWORD).await?;
    let bar = progress_bar("posts");
    let seeded = forum
        .database
        .seed(plan, &hash, &|done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await?;
    bar.finish();
    let took = started.elapsed();
    // The lists and counts that caches hold are stale now. Servers with a cache of their own
    // find the seed's event in the log; a shared cache (Redis) is told here.
    forum.app.publish(&[seeded]).await;
    println!(
        "seeded {} posts and {} users in {:.1} s ({:.0} posts/s), read model included; \
         every seeded user's password is {SEED_PASSWORD:?}",
        plan.posts,
        plan.users,
        took.as_secs_f64(),
        plan.posts as f64 / took.as_secs_f64(),
    );
    Ok(())
}
