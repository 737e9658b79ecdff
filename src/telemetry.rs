//! Logs (text or JSON lines) and the Prometheus metrics recorder.

use crate::config::LogFormat;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Duration;
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

pub fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = match format {
        LogFormat::Json => registry
            .with(fmt::layer().json().flatten_event(true).with_current_span(false).with_span_list(false))
            .try_init(),
        LogFormat::Text => registry.with(fmt::layer().with_target(false)).try_init(),
    };
    if result.is_err() {
        // A second call (tests in one process) keeps the first subscriber.
        tracing::debug!("a log subscriber was already set; keeping it");
    }
}

/// Request latency buckets, in seconds: most pages answer in well under a millisecond.
const LATENCY_BUCKETS: &[f64] = &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// How often the recorder folds the latencies it was handed into its buckets.
const UPKEEP_INTERVAL: Duration = Duration::from_secs(5);

/// Installs the process-wide recorder once and returns the handle that renders `/metrics`.
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full("http_request_duration_seconds".into()), LATENCY_BUCKETS)
                .expect("valid buckets")
                .install_recorder()
                .expect("a metrics recorder is installed once");
            spawn_upkeep(handle.clone());
            handle
        })
        .clone()
}

/// The recorder keeps every latency it is handed until it next renders or runs its upkeep,
/// and only its own HTTP listener (which we do not use) runs the upkeep. Unscraped, the
/// server grew by about 20 bytes a request (64 MB after 2.1 million `/healthz` requests; with
/// the upkeep it stayed at 27 MB).
fn spawn_upkeep(handle: PrometheusHandle) {
    let upkeep = move || {
        loop {
            std::thread::sleep(UPKEEP_INTERVAL);
            handle.run_upkeep();
        }
    };
    // A thread of its own: the recorder lives as long as the process, whichever runtime serves.
    std::thread::Builder::new().name("metrics-upkeep".into()).spawn(upkeep).expect("a thread can be started");
}
