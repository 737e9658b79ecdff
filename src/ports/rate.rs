//! Where rate limits are counted: in this process, or shared by every instance (Redis).

use crate::domain::rate_limit::Quota;
use async_trait::async_trait;
use std::time::Duration;

/// What one counted action is charged to: a rule (`login_address`) and its subject (an
/// address, an account id).
#[derive(Debug, Clone, Copy)]
pub struct RateKey<'a> {
    pub rule: &'a str,
    pub subject: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateVerdict {
    Allowed,
    /// Refused; the earliest moment the same action would be allowed is this far away.
    Refused {
        retry_after: Duration,
    },
}

#[derive(Debug, thiserror::Error)]
#[error("rate store: {0}")]
pub struct RateError(pub String);

/// Counts actions with GCRA against every quota of a rule at once.
#[async_trait]
pub trait RateStore: Send + Sync + 'static {
    /// Charges one action to `key` if every quota allows it; otherwise charges nothing (where
    /// the store can tell that before charging) and says how long to wait.
    async fn take(&self, key: RateKey<'_>, quotas: &[Quota]) -> Result<RateVerdict, RateError>;
    /// A short name for metrics and logs ("local", "redis").
    fn kind(&self) -> &'static str;
}
