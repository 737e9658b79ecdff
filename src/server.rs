//! The serving loop: accepting connections with caps, HTTP/1 through hyper with a timer (so
//! that a client that never finishes its headers is cut off), and a shutdown in steps.
//!
//! `axum::serve` installs no timer, so hyper's header timeout did nothing there and a client
//! that sent half a request held its connection forever; with a few hundred of those the
//! process ran out of file descriptors and a normal visitor got no answer.

use crate::client_address::{TrustedProxies, client_key};
use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Limits of the serving loop (from the configuration).
#[derive(Debug, Clone)]
pub struct Limits {
    /// The whole request head must arrive within this, from the connection's start or the end
    /// of the previous request on it (hyper's header read timeout).
    pub header_timeout: Duration,
    /// Open connections from one client address (IPv6: one /64).
    pub per_client: usize,
    /// Proxies that carry many clients' connections: capped only by the total.
    pub trusted_proxies: TrustedProxies,
    /// Open connections in all.
    pub total: usize,
    /// How long a shutdown waits for the requests in flight.
    pub shutdown_timeout: Duration,
}

/// File descriptors kept for what is not a client connection: the database, Redis, logs.
const RESERVED_FILES: u64 = 64;

/// Raises this process's limit of open files to the hard limit the system allows (Debian's
/// soft default of 1024, or less, would cap connections well below what the server can hold);
/// returns the limit now in force, None where it cannot be read.
pub fn raise_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed, which lives here.
    #[expect(unsafe_code, reason = "the limit of open files has only a C function to set it")]
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    Some(limit.rlim_cur)
}

/// The total cap that the file limit leaves room for.
pub fn total_within(configured: usize, file_limit: Option<u64>) -> usize {
    match file_limit {
        Some(files) => configured.min(files.saturating_sub(RESERVED_FILES).max(1) as usize),
        None => configured,
    }
}

/// Counts open connections per client and in all; a slot is given back when dropped.
#[derive(Default)]
struct Counts {
    per_client: Mutex<HashMap<IpAddr, usize>>,
    total: AtomicUsize,
}

struct Slot {
    counts: Arc<Counts>,
    client: IpAddr,
}

impl Counts {
    /// A slot for a new connection, or why there is none.
    fn admit(self: &Arc<Self>, ip: IpAddr, limits: &Limits) -> Result<Slot, &'static str> {
        let client = client_key(ip);
        let mut per_client = self.per_client.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let open = per_client.entry(client).or_insert(0);
        if *open >= limits.per_client && !limits.trusted_proxies.trusts(ip) {
            return Err("per_client");
        }
        if self.total.load(Ordering::Relaxed) >= limits.total {
            return Err("total");
        }
        *open += 1;
        self.total.fetch_add(1, Ordering::Relaxed);
        metrics::gauge!("http_connections_open").increment(1.0);
        Ok(Slot { counts: self.clone(), client })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut per_client = self.counts.per_client.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(open) = per_client.get_mut(&self.client) {
            *open -= 1;
            if *open == 0 {
                per_client.remove(&self.client);
            }
        }
        self.counts.total.fetch_sub(1, Ordering::Relaxed);
        metrics::gauge!("http_connections_open").decrement(1.0);
    }
}

/// Serves `router` on `listener` until `shutdown` completes; then stops accepting and lets
/// the requests in flight finish, for at most `limits.shutdown_timeout`. True if they all did.
pub async fn serve(listener: TcpListener, router: Router, limits: Limits, shutdown: impl Future<Output = ()>) -> bool {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    let graceful = GracefulShutdown::new();
    let counts = Arc::new(Counts::default());
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, mostly: wait a little rather than spin.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = match counts.admit(peer.ip(), &limits) {
            Ok(slot) => slot,
            Err(cap) => {
                // Closed at once: the client learns it is refused, and holds nothing here.
                metrics::counter!("http_connections_refused_total", "cap" => cap).increment(1);
                drop(stream);
                continue;
            }
        };
        // Small pages go out at once; a socket that refuses the option is served anyway.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "TCP_NODELAY not set");
        }
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            // What axum's ConnectInfo extractor reads: the peer of the socket.
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request.map(axum::body::Body::new))
        });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _slot = slot;
            // A client that goes away or is too slow ends its own connection; nothing to report.
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tracing::info!("stopped accepting; finishing the requests in flight");
    match tokio::time::timeout(limits.shutdown_timeout, graceful.shutdown()).await {
        Ok(()) => true,
        Err(_) => {
            tracing::warn!(timeout = ?limits.shutdown_timeout, "requests still in flight at the shutdown bound");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_per_client_and_in_all() {
        let limits = Limits {
            header_timeout: Duration::from_secs(1),
            per_client: 2,
            total: 4,
            shutdown_timeout: Duration::from_secs(1),
            trusted_proxies: TrustedProxies::parse("192.0.2.9").unwrap(),
        };
        let counts = Arc::new(Counts::default());
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let first = counts.admit(a, &limits).unwrap();
        let _second = counts.admit(a, &limits).unwrap();
        assert_eq!(counts.admit(a, &limits).err(), Some("per_client"));
        let _third = counts.admit(b, &limits).unwrap();
        let proxy: IpAddr = "192.0.2.9".parse().unwrap();
        let _fourth = counts.admit(proxy, &limits).unwrap();
        assert_eq!(counts.admit(proxy, &limits).err(), Some("total"), "a trusted proxy is capped only in all");
        drop(first);
        assert!(counts.admit(a, &limits).is_ok(), "a closed connection gives its slot back");
        assert_eq!(total_within(10_000, Some(256)), 192);
    }
}
