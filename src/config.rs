//! Configuration from flags and environment variables (`forum --help` lists them all).

use clap::{Args, ValueEnum};
use std::net::SocketAddr;

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Where the forum's data lives: sqlite://FILE (created if missing) or mysql://USER:PASS@HOST/DB.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://forum.db", global = true)]
    pub database_url: String,

    /// Redis for a cache and sessions shared by several instances; unset: kept in this process.
    #[arg(long, env = "REDIS_URL", global = true)]
    pub redis_url: Option<String>,

    /// Put in front of every Redis key, so several forums (or test runs) can share one Redis.
    #[arg(long, env = "REDIS_PREFIX", default_value = "forum:", global = true)]
    pub redis_prefix: String,

    /// Milliseconds one Redis command may take; slower counts as a cache failure and the page
    /// is served from the database.
    #[arg(
        long,
        env = "REDIS_TIMEOUT_MS",
        default_value_t = 100,
        value_parser = clap::value_parser!(u64).range(1..=60_000),
        global = true
    )]
    pub redis_timeout_ms: u64,

    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, env = "FORUM_ADDR", default_value = "127.0.0.1:3000", global = true)]
    pub addr: SocketAddr,

    /// Log lines as readable text or as JSON (one object a line, for ELK and the like).
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    /// Key that signs session tokens; unset: generated once and kept in the database.
    #[arg(long, env = "FORUM_SECRET", hide_env_values = true, global = true)]
    pub secret: Option<String>,

    /// bcrypt work factor for passwords (4–31; each step doubles the time).
    #[arg(long, env = "FORUM_BCRYPT_COST", default_value_t = 12,
          value_parser = clap::value_parser!(u32).range(4..=31), global = true)]
    pub bcrypt_cost: u32,

    /// Serve cookies only over HTTPS (Secure, `__Host-` name); set when behind TLS.
    #[arg(long, env = "FORUM_SECURE_COOKIES", default_value_t = false, global = true)]
    pub secure_cookies: bool,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "FORUM_BODY_LIMIT", default_value_t = 1024 * 1024, global = true)]
    pub body_limit: usize,

    /// Seconds a request may take before it is answered with 503.
    #[arg(long, env = "FORUM_REQUEST_TIMEOUT", default_value_t = 30, global = true)]
    pub request_timeout: u64,

    /// Seconds a client has to send a request's headers (from connecting, or from the end of
    /// its previous request); slower, the connection is closed.
    #[arg(long, env = "FORUM_HEADER_TIMEOUT", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..=300), global = true)]
    pub header_timeout: u64,

    /// Seconds a client has to send a request's body once its headers are in; slower is
    /// answered 408.
    #[arg(long, env = "FORUM_BODY_TIMEOUT", default_value_t = 15,
          value_parser = clap::value_parser!(u64).range(1..=300), global = true)]
    pub body_timeout: u64,

    /// Proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the client;
    /// their own connections are not capped per client. Unset: every client is its socket's peer.
    #[arg(long, env = "FORUM_TRUSTED_PROXIES", default_value = "",
          value_parser = crate::client_address::TrustedProxies::parse, global = true)]
    pub trusted_proxies: crate::client_address::TrustedProxies,

    /// Open connections allowed from one client address (IPv6: one /64); a trusted proxy's
    /// connections count only towards the total.
    #[arg(long, env = "FORUM_MAX_CONNECTIONS_PER_CLIENT", default_value_t = 128, global = true)]
    pub max_connections_per_client: usize,

    /// Open connections allowed in all (lowered to what the open-files limit leaves room for).
    #[arg(long, env = "FORUM_MAX_CONNECTIONS", default_value_t = 8192, global = true)]
    pub max_connections: usize,

    /// Seconds a shutdown (SIGTERM) waits for the requests in flight before it stops anyway.
    #[arg(long, env = "FORUM_SHUTDOWN_TIMEOUT", default_value_t = 20, global = true)]
    pub shutdown_timeout: u64,

    /// Days a login lasts.
    #[arg(long, env = "FORUM_SESSION_DAYS", default_value_t = 30, global = true)]
    pub session_days: u64,

    /// Turn the read cache off (for diagnosis and benchmarks).
    #[arg(long, env = "FORUM_CACHE", value_enum, default_value_t = CacheMode::On, global = true)]
    pub cache: CacheMode,

    /// Largest size of the in-process cache, in MiB.
    #[arg(long, env = "FORUM_CACHE_MB", default_value_t = 64, global = true)]
    pub cache_mb: u64,

    /// The interface language for visitors who chose none and whose browser asks for none that
    /// is offered: `en` or `ko`.
    #[arg(long, env = "FORUM_LANGUAGE", default_value = "en", global = true)]
    pub language: String,

    /// The time zone times are shown in for visitors and users who chose none (an IANA name,
    /// e.g. `Asia/Seoul`).
    #[arg(long, env = "FORUM_TIMEZONE", default_value = "UTC", global = true)]
    pub timezone: String,

    #[command(flatten)]
    pub signup: SignupConfig,

    #[command(flatten)]
    pub limits: crate::limit_settings::LimitConfig,

    #[command(flatten)]
    pub mail: MailConfig,
}

/// Mail (docs/design.md, "Mail through an outbox").
#[derive(Debug, Clone, Args)]
pub struct MailConfig {
    /// The SMTP server: smtp://HOST:PORT (STARTTLS required; `?tls=opportunistic|none` for a local
    /// server), smtps://HOST:PORT (TLS from the start), user:password@ allowed. Unset: each mail
    /// is written as an .eml file to FORUM_MAIL_DIR.
    #[arg(long, env = "SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,

    /// The SMTP user, when SMTP_URL names none.
    #[arg(long, env = "SMTP_USER", global = true)]
    pub smtp_user: Option<String>,

    /// The SMTP password, when SMTP_URL names none.
    #[arg(long, env = "SMTP_PASSWORD", hide_env_values = true, global = true)]
    pub smtp_password: Option<String>,

    /// The sender of the forum's mail.
    #[arg(long, env = "FORUM_MAIL_FROM", default_value = "Forum <forum@localhost>", global = true)]
    pub mail_from: String,

    /// The forum's address as mails link to it.
    #[arg(long, env = "FORUM_BASE_URL", default_value = "http://127.0.0.1:3000", global = true)]
    pub base_url: String,

    /// Where mails are written without SMTP_URL; unset: a `mail` folder beside the SQLite
    /// database (or the working directory).
    #[arg(long, env = "FORUM_MAIL_DIR", global = true)]
    pub mail_dir: Option<std::path::PathBuf>,

    /// Seconds before a failed mail is tried again; each further wait doubles it.
    #[arg(long, env = "FORUM_MAIL_RETRY_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=86_400), global = true)]
    pub mail_retry_seconds: u64,

    /// Attempts before a mail is marked failed (and listed on /admin/mail).
    #[arg(long, env = "FORUM_MAIL_MAX_ATTEMPTS", default_value_t = 10,
          value_parser = clap::value_parser!(i64).range(1..=100), global = true)]
    pub mail_max_attempts: i64,

    /// How long a password reset link works, in seconds.
    #[arg(long, env = "FORUM_RESET_LINK_SECONDS", default_value_t = 3600,
          value_parser = clap::value_parser!(u64).range(1..=86_400), global = true)]
    pub reset_link_seconds: u64,

    /// How long an address verification link works, in seconds.
    #[arg(long, env = "FORUM_VERIFY_LINK_SECONDS", default_value_t = 86_400,
          value_parser = clap::value_parser!(u64).range(1..=2_592_000), global = true)]
    pub verify_link_seconds: u64,
    /// The hour of the day (UTC) the notification digest goes out.
    #[arg(long, env = "FORUM_DIGEST_HOUR", default_value_t = 7,
          value_parser = clap::value_parser!(u32).range(0..=23), global = true)]
    pub digest_hour: u32,

    /// For tests: send the digest every this many seconds instead of once a day.
    #[arg(long, env = "FORUM_DIGEST_EVERY_SECONDS", global = true)]
    pub digest_every_seconds: Option<u64>,
}

impl MailConfig {
    /// The mail folder: FORUM_MAIL_DIR, or `mail/` beside a SQLite database file.
    pub fn folder(&self, database_url: &str) -> std::path::PathBuf {
        if let Some(dir) = &self.mail_dir {
            return dir.clone();
        }
        let file = database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:"));
        let beside = file
            .map(|file| file.split('?').next().unwrap_or_default())
            .and_then(|file| std::path::Path::new(file).parent().map(std::path::Path::to_path_buf));
        beside.unwrap_or_default().join("mail")
    }
}

/// Sign-up spam and new accounts (docs/design.md, "Sign-up spam and double submits").
#[derive(Debug, Clone, Args)]
pub struct SignupConfig {
    /// Seconds a sign-up form must have been open before it is sent (a script is quicker).
    #[arg(long, env = "FORUM_SIGNUP_MIN_SECONDS", default_value_t = 3, global = true)]
    pub signup_min_seconds: u32,

    /// Accounts one client address (an IPv6 /64) may make a day; 0: no cap.
    #[arg(long, env = "FORUM_SIGNUPS_PER_ADDRESS", default_value_t = 5, global = true)]
    pub signups_per_address: u32,

    /// Hours an account counts as new, with the limits below; 0: no limits for new accounts.
    #[arg(long, env = "FORUM_NEW_ACCOUNT_HOURS", default_value_t = 24, global = true)]
    pub new_account_hours: u32,

    /// Posts a new account may publish while it is new (it may post no links meanwhile).
    #[arg(long, env = "FORUM_NEW_ACCOUNT_POSTS", default_value_t = 3, global = true)]
    pub new_account_posts: u32,

    /// Comments a new account may write while it is new.
    #[arg(long, env = "FORUM_NEW_ACCOUNT_COMMENTS", default_value_t = 10, global = true)]
    pub new_account_comments: u32,
}

impl SignupConfig {
    pub fn guard_settings(&self) -> crate::app::guards::GuardSettings {
        let defaults = crate::app::guards::GuardSettings::default();
        crate::app::guards::GuardSettings {
            min_fill_ms: i64::from(self.signup_min_seconds) * 1000,
            signups_per_address_per_day: i64::from(self.signups_per_address),
            new_accounts: crate::domain::guards::NewAccountLimits {
                hours: i64::from(self.new_account_hours),
                posts: i64::from(self.new_account_posts),
                comments: i64::from(self.new_account_comments),
            },
            ..defaults
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CacheMode {
    On,
    Off,
}

impl Config {
    /// The name of the session cookie: `__Host-` binds it to this host when served over HTTPS.
    pub fn token_cookie_name(&self) -> &'static str {
        if self.secure_cookies { "__Host-forum_token" } else { "forum_token" }
    }
}
