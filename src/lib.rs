//! A server-rendered forum: plain HTML forms, no JavaScript needed, SQLite out of the box,
//! MariaDB and Redis when it grows.
//!
//! `domain` holds the rules, `ports` the traits the core needs, `app` the commands and
//! queries, `adapters` the databases and caches, `web` the pages.

pub mod adapters;
pub mod app;
pub mod client_address;
pub mod config;
pub mod domain;
pub mod limit_settings;
pub mod ports;
pub mod server;
pub mod telemetry;
pub mod web;

use crate::adapters::cache::{MemoryCache, RedisCache, RedisSettings};
use crate::adapters::rate::LocalRateStore;
use crate::adapters::sql::SqlDatabase;
use crate::app::guards::Guards;
use crate::app::limits::RateLimits;
use crate::app::read_cache::{self, LocalLevel, ReadCache};
use crate::app::{App, PasswordHasher, Ports, Tokens, setup};
use crate::config::{CacheMode, Config};
use crate::ports::{Cache, RateStore};
use anyhow::Context;
use std::sync::Arc;
use std::time::Duration;

/// How often the catch-up task looks for events to apply, and how soon it tries again after
/// applying them failed.
const CATCH_UP_EVERY: Duration = Duration::from_secs(2);
const CATCH_UP_RETRY: Duration = Duration::from_millis(250);
/// How often expired form keys and sign-up counts are swept.
const SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// How long the start waits for Redis before serving without it.
const REDIS_STARTUP_WAIT: Duration = Duration::from_secs(1);

/// The parts of a running forum, wired from the configuration.
pub struct Forum {
    pub app: Arc<App>,
    /// Where sessions (flash messages) live: in this process or Redis, never switched off.
    pub sessions: Arc<dyn Cache>,
    pub database: SqlDatabase,
}

/// Connects to the database (applying migrations), picks the caches, and prepares a fresh
/// forum (secret, default boards). Anything recorded but not yet applied to the read model
/// (a crash between a commit and its projection) is applied before the first request.
pub async fn build(config: &Config) -> anyhow::Result<Forum> {
    let database = SqlDatabase::connect(&config.database_url).await?;
    let (sessions, cache, shared_rates) = caches(config).await?;
    let store = Arc::new(database.clone());
    let secret = match &config.secret {
        Some(secret) if !secret.is_empty() => secret.clone(),
        _ => setup::stored_secret(store.as_ref()).await.context("reading the session secret")?,
    };
    setup::create_default_boards(store.as_ref()).await.context("creating the default boards")?;
    let app = App::new(
        Ports { store: store.clone(), reads: store.clone(), projector: store, cache },
        PasswordHasher::new(config.bcrypt_cost)?,
        Tokens::new(secret.as_bytes(), Duration::from_secs(config.session_days * 24 * 3600)),
    )
    .with_guards(Guards::new(secret.as_bytes(), config.signup.guard_settings()))
    .with_limits(RateLimits::new(
        config.limits.settings()?,
        Arc::new(LocalRateStore::new()),
        shared_rates,
        secret.as_bytes(),
    ))
    .with_mail(mail_setup(config, &database))
    .with_notice_mail(app::notice_mail::NoticeMailSettings {
        base_url: config.mail.base_url.clone(),
        secret: secret.as_bytes().to_vec(),
        texts: Some(Arc::new(web::LocalisedNoticeTexts {
            default: web::Lang::from_tag(&config.language).unwrap_or_default(),
        })),
    });
    app.publish(&[]).await;
    Ok(Forum { app: Arc::new(app), sessions, database })
}

/// The session store and the read cache. Without Redis both live in this process (the read
/// cache as decoded values, the sessions as bytes), each bounded by `FORUM_CACHE_MB`. With
/// Redis the sessions live there, and the read cache in two levels: decoded values in this
/// process (bounded by `FORUM_CACHE_MB`) in front of Redis, kept right by invalidation messages
/// over Redis; rate limits are counted there too. The cache switched off leaves the sessions
/// where they are.
async fn caches(config: &Config) -> anyhow::Result<(Arc<dyn Cache>, ReadCache, Option<Arc<dyn RateStore>>)> {
    let max_bytes = config.cache_mb * 1024 * 1024;
    let redis = match &config.redis_url {
        Some(url) => Some(connect_redis(url, config).await?),
        None => None,
    };
    let rates = redis.as_ref().map(|redis| Arc::new(redis.rate_store()) as Arc<dyn RateStore>);
    let sessions: Arc<dyn Cache> = match &redis {
        Some(redis) => redis.clone(),
        None => Arc::new(MemoryCache::new(max_bytes)),
    };
    let cache = match (config.cache, redis) {
        (CacheMode::Off, _) => ReadCache::off(),
        (CacheMode::On, Some(redis)) => {
            let messages = Arc::new(redis.invalidations());
            ReadCache::two_level(LocalLevel::new(max_bytes, read_cache::TTL), redis, messages)
        }
        (CacheMode::On, None) => ReadCache::new(Some(LocalLevel::new(max_bytes, read_cache::TTL)), None),
    };
    Ok((sessions, cache, rates))
}

async fn connect_redis(url: &str, config: &Config) -> anyhow::Result<Arc<RedisCache>> {
    let redis = RedisCache::new(RedisSettings {
        url: url.to_string(),
        prefix: config.redis_prefix.clone(),
        timeout: Duration::from_millis(config.redis_timeout_ms),
    })?;
    // Give a healthy Redis a moment so the first pages already use it; a Redis that is down
    // only delays the start by this much (pages come from the database meanwhile).
    if !redis.wait_until_up(REDIS_STARTUP_WAIT).await {
        tracing::warn!(
            url = %adapters::sql::redact(url),
            "redis is not reachable yet; serving from the database and retrying in the background"
        );
    }
    Ok(Arc::new(redis))
}

/// The mails' words (in the forum's default language when nothing else says), their links
/// and lifetimes, and the outbox for the admin's mail page.
fn mail_setup(config: &Config, database: &SqlDatabase) -> app::mail_setup::MailSetup {
    let default = web::Lang::from_tag(&config.language).unwrap_or_default();
    app::mail_setup::MailSetup {
        composer: Some(Arc::new(web::mail_texts::MailTexts { default })),
        outbox: Some(Arc::new(database.clone())),
        reads: Some(Arc::new(database.clone())),
        base_url: config.mail.base_url.clone(),
        reset_ttl: Duration::from_secs(config.mail.reset_link_seconds),
        verify_ttl: Duration::from_secs(config.mail.verify_link_seconds),
    }
}

/// The outbox worker: SMTP when SMTP_URL is set, else the mail folder.
fn mail_worker(config: &Config, database: &SqlDatabase) -> anyhow::Result<app::mail_worker::MailWorker> {
    use crate::adapters::mail::{MailFolder, SmtpMailer, SmtpSettings};
    let mail = &config.mail;
    let from = mail.mail_from.parse().with_context(|| format!("FORUM_MAIL_FROM {:?}", mail.mail_from))?;
    let sender: Arc<dyn ports::MailSender> = match &mail.smtp_url {
        Some(url) => {
            let settings = SmtpSettings::parse(url, mail.smtp_user.as_deref(), mail.smtp_password.as_deref())?;
            Arc::new(SmtpMailer::new(&settings, from)?)
        }
        None => Arc::new(MailFolder::new(mail.folder(&config.database_url), from)),
    };
    let host = url::Url::parse(&mail.base_url).context("FORUM_BASE_URL is not a URL")?;
    let settings = app::mail_worker::MailSettings {
        retry: Duration::from_secs(mail.mail_retry_seconds),
        max_attempts: mail.mail_max_attempts,
        message_id_host: host.host_str().unwrap_or("localhost").to_string(),
    };
    Ok(app::mail_worker::MailWorker { outbox: Arc::new(database.clone()), sender, settings })
}

/// Serves the forum until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let metrics = telemetry::metrics_handle();
    let forum = build(&config).await?;
    let state = web::AppState {
        app: forum.app.clone(),
        sessions: forum.sessions.clone(),
        metrics,
        cookies: web::CookieSettings::from_config(&config),
        rendered_lists: Default::default(),
        defaults: web::Reader::from_config(&config)?,
        pool_stats: {
            let database = forum.database.clone();
            Arc::new(move || database.pool_stats())
        },
        draining: Default::default(),
        trusted_proxies: Arc::new(config.trusted_proxies.clone()),
    };
    let draining = state.draining.clone();
    let router = web::router(state, &config);
    let file_limit = server::raise_file_limit();
    let limits = server::Limits {
        header_timeout: Duration::from_secs(config.header_timeout),
        per_client: config.max_connections_per_client,
        trusted_proxies: config.trusted_proxies.clone(),
        total: server::total_within(config.max_connections, file_limit),
        shutdown_timeout: Duration::from_secs(config.shutdown_timeout),
    };
    let listener =
        tokio::net::TcpListener::bind(config.addr).await.with_context(|| format!("binding {}", config.addr))?;
    let addr = listener.local_addr()?;
    let catch_up = spawn_catch_up(forum.app.clone());
    let sweep = spawn_sweep(forum.app.clone());
    let mail = tokio::spawn(mail_worker(&config, &forum.database)?.run());
    let schedule = app::notice_mail::DigestSchedule {
        hour: config.mail.digest_hour,
        every: config.mail.digest_every_seconds.map(Duration::from_secs),
    };
    let digest = tokio::spawn(app::notice_mail::DigestWorker { app: forum.app.clone(), schedule }.run());
    tracing::info!(
        database = %adapters::sql::redact(&config.database_url),
        cache = forum.app.cache_kind(),
        rate_limits = forum.app.rate_store_kind(),
        open_files = file_limit,
        max_connections = limits.total,
        "listening on http://{addr}"
    );
    let stop = async {
        shutdown_signal().await;
        // /readyz says 503 from now on, for a load balancer that still asks.
        draining.store(true, std::sync::atomic::Ordering::Relaxed);
    };
    let finished = server::serve(listener, router, limits, stop).await;
    // Shutting down in steps: no new connections (done), the requests in flight finished (or
    // the bound passed), then the catch-up stopped so it never meets a closed pool; stopped
    // mid-way, its transaction rolls back. Then whatever is still pending is applied, and the
    // pool closed.
    catch_up.abort();
    sweep.abort();
    mail.abort();
    digest.abort();
    if let Err(error) = catch_up.await
        && error.is_panic()
    {
        tracing::error!(%error, "the catch-up task had panicked");
    }
    let applied = tokio::time::timeout(Duration::from_secs(5), forum.app.try_publish(&[])).await;
    forum.database.close().await;
    tracing::info!(in_flight_finished = finished, events_applied = matches!(applied, Ok(true)), "stopped");
    Ok(())
}

/// Every two seconds: applies events that a failed projection left behind (or that another
/// process recorded), so the read model never stays behind for long; and drops the local
/// cache entries that changes made by other processes (the command line) made stale.
fn spawn_catch_up(app: Arc<App>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut seen = app.last_event_id().await.unwrap_or(0);
        let mut tick = tokio::time::interval(CATCH_UP_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {},
                () = app.projection_failed() => {},
            }
            // After a failure (a full disk, an outage), try again every so often until the
            // events are applied, so that an acknowledged post shows soon after the cause ends.
            while !app.try_publish(&[]).await {
                tokio::time::sleep(CATCH_UP_RETRY).await;
            }
            app.invalidate_recorded_since(&mut seen).await;
        }
    })
}

/// Every hour: forgets expired one-time form keys and past days' sign-up counts. Those are
/// never read once old (a key is honoured for a day), so this only keeps the tables small.
fn spawn_sweep(app: Arc<App>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SWEEP_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match app.sweep_guards().await {
                Ok(swept) => tracing::debug!(swept, "swept expired form keys and sign-up counts"),
                Err(error) => tracing::warn!(%error, "sweeping expired form keys failed; will retry"),
            }
        }
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            // Without a handler, Ctrl-C cannot stop the server gracefully; SIGTERM still can.
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
