//! The `forum` command: serve the forum, or look after its database.

use clap::{Parser, Subcommand};
use forum::config::Config;
use forum::domain::Role;
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;

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
        Command::ReadModel { action } => {
            let forum = forum::build(&config).await?;
            match action {
                ReadModelAction::Check => {
                    let differences = forum.app.projector.check().await?;
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
                ReadModelAction::Rebuild => {
                    let bar = ProgressBar::new(0).with_style(
                        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}").expect("valid template"),
                    );
                    bar.set_message("rebuilding");
                    forum
                        .app
                        .projector
                        .rebuild(&|done, total| {
                            bar.set_length(total);
                            bar.set_position(done);
                        })
                        .await?;
                    bar.finish_with_message("rebuilt");
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
