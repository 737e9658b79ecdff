//! For the people who run the forum: health, readiness and metrics.

use super::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use std::time::Duration;

pub fn routes() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz)).route("/metrics", get(metrics))
}

/// The process answers: the cheapest possible response, the ceiling for benchmarks.
async fn healthz() -> &'static str {
    "ok"
}

/// How long the readiness check may take: a load balancer's check must not hang on a
/// database that is down.
const READY_WITHIN: Duration = Duration::from_millis(900);

/// The database takes a write now: a load balancer sends traffic only to ready instances. A
/// full disk answers reads but refuses writes, so a read alone would say "ready".
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if state.draining.load(std::sync::atomic::Ordering::Relaxed) {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    }
    match state.app.ready(READY_WITHIN).await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database not taking writes")
        }
    }
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let pool = (state.pool_stats)();
    metrics::gauge!("db_pool_connections").set(pool.size as f64);
    metrics::gauge!("db_pool_idle_connections").set(pool.idle as f64);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}
