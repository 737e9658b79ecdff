//! The local level and what keeps it right when other instances change things.
//!
//! Two rules (docs/design.md, "Two-level cache"):
//! - **Only while the subscription is known good.** With invalidation messages, the local
//!   level is used between a `Ready` and the next `Lost`; a `Lost` clears it, and it is
//!   bypassed until a `Ready` clears it again, so nothing kept before a gap in the messages
//!   survives the gap.
//! - **No value from before a change.** A load that began before a change can end after the
//!   change's message arrived. Every name dropped bumps `changes`; a value is kept only if
//!   `changes` did not move since its load began (checked after inserting, so that a drop
//!   racing the insert is never lost: either the drop sees the value, or the check sees the bump).

use super::LocalLevel;
use crate::app::keys::Key;
use crate::ports::{InvalidationEvent, Invalidations, Sequence};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};

/// The local level with its change counter, and the subscription state when other
/// instances exist.
pub(super) struct Local {
    pub(super) level: LocalLevel,
    changes: AtomicU64,
    messages: Option<Messages>,
}

/// What this process knows of the invalidation messages.
pub(super) struct Messages {
    pub(super) port: Arc<dyn Invalidations>,
    /// Between a `Ready` and the next `Lost`.
    active: AtomicBool,
    /// The highest sequence number every message up to which has arrived.
    received: AtomicU64,
    /// The number of the last message this process published.
    published: AtomicU64,
}

/// Taken before a load; a value loaded under a ticket that is no longer current is not kept.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Ticket(u64);

impl Ticket {
    pub(super) fn same_as(self, other: Ticket) -> bool {
        self == other
    }
}

impl Local {
    /// A local level alone: nothing outside this process changes what it keeps (but for the
    /// command line, which the catch-up task notices).
    pub(super) fn alone(level: LocalLevel) -> Self {
        set_active_gauge(true);
        Local { level, changes: AtomicU64::new(0), messages: None }
    }

    /// A local level kept right by messages: unused until the subscription says `Ready`.
    pub(super) fn with_messages(level: LocalLevel, port: Arc<dyn Invalidations>) -> Self {
        set_active_gauge(false);
        let messages = Messages {
            port,
            active: AtomicBool::new(false),
            received: AtomicU64::new(0),
            published: AtomicU64::new(0),
        };
        Local { level, changes: AtomicU64::new(0), messages: Some(messages) }
    }

    pub(super) fn messages(&self) -> Option<&Messages> {
        self.messages.as_ref()
    }

    /// Whether a request that must see every change up to message `floor` may use the level.
    pub(super) fn usable(&self, floor: Sequence) -> bool {
        match &self.messages {
            None => true,
            Some(messages) => messages.active.load(SeqCst) && messages.received.load(SeqCst) >= floor,
        }
    }

    /// Whether every message up to `floor` has arrived.
    pub(super) fn caught_up(&self, floor: Sequence) -> bool {
        self.messages.as_ref().is_none_or(|messages| messages.received.load(SeqCst) >= floor)
    }

    pub(super) fn ticket(&self) -> Ticket {
        Ticket(self.changes.load(SeqCst))
    }

    /// Keeps a loaded value unless something was dropped since its load began.
    pub(super) fn keep<T: Send + Sync + 'static>(&self, key: Key<T>, value: Arc<T>, ticket: Ticket) {
        if self.changes.load(SeqCst) != ticket.0 || !self.usable(0) {
            return;
        }
        let name = key.name().to_string();
        self.level.insert(key, value);
        // A drop between the first check and the insert would have found nothing to drop.
        if self.changes.load(SeqCst) != ticket.0 {
            self.level.discard(&name);
        }
    }

    /// Drops names; loads in flight will not keep what they loaded.
    pub(super) fn drop_names(&self, names: &[String]) {
        self.changes.fetch_add(1, SeqCst);
        self.level.remove(names);
    }

    /// Applies one event of the subscription.
    pub(super) fn apply(&self, event: InvalidationEvent) {
        let Some(messages) = &self.messages else { return };
        match event {
            InvalidationEvent::Names { names, sequence } => {
                metrics::counter!("cache_invalidations_received_total").increment(1);
                self.drop_names(&names);
                messages.received.fetch_max(sequence, SeqCst);
            }
            InvalidationEvent::Lost => {
                messages.active.store(false, SeqCst);
                self.clear("lost");
                set_active_gauge(false);
                tracing::warn!("invalidation messages may have been missed; bypassing the local cache");
            }
            InvalidationEvent::Ready { sequence } => {
                self.clear("ready");
                // Numbers may start again (a Redis that restarted empty): take its word.
                messages.received.store(sequence, SeqCst);
                messages.active.store(true, SeqCst);
                set_active_gauge(true);
                tracing::info!(sequence, "invalidation messages subscribed; using the local cache");
            }
        }
    }

    fn clear(&self, reason: &'static str) {
        self.changes.fetch_add(1, SeqCst);
        self.level.clear();
        metrics::counter!("cache_local_level_dropped_total", "reason" => reason).increment(1);
    }
}

impl Messages {
    pub(super) fn record_published(&self, sequence: Sequence) {
        self.published.fetch_max(sequence, SeqCst);
    }

    pub(super) fn published(&self) -> Sequence {
        self.published.load(SeqCst)
    }
}

fn set_active_gauge(active: bool) {
    metrics::gauge!("cache_local_level_active").set(if active { 1.0 } else { 0.0 });
}
