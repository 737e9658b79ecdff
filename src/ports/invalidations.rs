//! Invalidation messages between the instances of a scaled-out forum: each keeps decoded
//! values in process, and tells the others which names it made stale.

use super::CacheError;
use async_trait::async_trait;
use tokio::sync::mpsc::UnboundedReceiver;

/// Where messages are numbered from: every message carries a sequence number, and numbers
/// grow in the order in which subscribers receive the messages.
pub type Sequence = u64;

/// What a subscription reports, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidationEvent {
    /// Some instance made these names stale; the message's number is `sequence`.
    Names { names: Vec<String>, sequence: Sequence },
    /// The subscription broke or may have missed messages (a disconnect, an error, the server
    /// dropping a subscriber that read too slowly); nothing received so far can be trusted.
    Lost,
    /// Subscribed (again): every message numbered above `sequence` will be received.
    Ready { sequence: Sequence },
}

#[async_trait]
pub trait Invalidations: Send + Sync + 'static {
    /// Tells every subscribed instance (this one too) that the names are stale; the number the
    /// message was given.
    async fn publish(&self, names: &[String]) -> Result<Sequence, CacheError>;
    /// The events of this process's subscription, which starts with the first call and then
    /// keeps itself connected (a `Lost`, then a `Ready` once it is back). Called once.
    fn subscribe(&self) -> UnboundedReceiver<InvalidationEvent>;
}
