//! GCRA in this process: one keyed `governor` limiter per rule and quota, created on first use.

use crate::domain::rate_limit::Quota;
use crate::ports::{RateError, RateKey, RateStore, RateVerdict};
use async_trait::async_trait;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// After this many actions the limiters forget subjects whose quotas are full again, so an
/// address seen once does not stay in memory.
const FORGET_EVERY: u64 = 4096;

type Limiter = Arc<DefaultKeyedRateLimiter<String>>;

#[derive(Default)]
pub struct LocalRateStore {
    /// By rule name and quota label ("login_address", "6/1m").
    limiters: RwLock<HashMap<(String, String), Limiter>>,
    taken: AtomicU64,
    clock: DefaultClock,
}

impl LocalRateStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn limiter(&self, rule: &str, quota: Quota) -> Limiter {
        let id = (rule.to_string(), quota.label());
        if let Some(limiter) = self.limiters.read().unwrap_or_else(|e| e.into_inner()).get(&id) {
            return limiter.clone();
        }
        let mut limiters = self.limiters.write().unwrap_or_else(|e| e.into_inner());
        limiters.entry(id).or_insert_with(|| Arc::new(RateLimiter::keyed(governor_quota(quota)))).clone()
    }

    fn forget_idle(&self) {
        let limiters: Vec<Limiter> =
            self.limiters.read().unwrap_or_else(|e| e.into_inner()).values().cloned().collect();
        for limiter in limiters {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// The verdict, charging the quotas in turn (a later refusal leaves the earlier quotas
    /// charged: `governor` cannot look without taking, and it errs towards fewer actions).
    pub fn take_now(&self, key: RateKey<'_>, quotas: &[Quota]) -> RateVerdict {
        if self.taken.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == FORGET_EVERY - 1 {
            self.forget_idle();
        }
        let subject = key.subject.to_string();
        for &quota in quotas {
            if let Err(not_until) = self.limiter(key.rule, quota).check_key(&subject) {
                return RateVerdict::Refused { retry_after: not_until.wait_time_from(self.clock.now()) };
            }
        }
        RateVerdict::Allowed
    }
}

fn governor_quota(quota: Quota) -> governor::Quota {
    let burst = NonZeroU32::new(quota.count).unwrap_or(NonZeroU32::MIN);
    governor::Quota::with_period(quota.interval()).map_or(governor::Quota::per_hour(burst), |q| q.allow_burst(burst))
}

#[async_trait]
impl RateStore for LocalRateStore {
    async fn take(&self, key: RateKey<'_>, quotas: &[Quota]) -> Result<RateVerdict, RateError> {
        Ok(self.take_now(key, quotas))
    }

    fn kind(&self) -> &'static str {
        "local"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rate_limit::parse_quotas;

    #[test]
    fn a_burst_is_allowed_then_refused_with_the_wait() {
        let store = LocalRateStore::new();
        let quotas = parse_quotas("2/1h").unwrap();
        let key = RateKey { rule: "post_account", subject: "7" };
        assert_eq!(store.take_now(key, &quotas), RateVerdict::Allowed);
        assert_eq!(store.take_now(key, &quotas), RateVerdict::Allowed);
        let RateVerdict::Refused { retry_after } = store.take_now(key, &quotas) else { panic!("allowed a third") };
        // One action earns back every half hour.
        assert!(retry_after > std::time::Duration::from_secs(29 * 60), "{retry_after:?}");
        let other = RateKey { rule: "post_account", subject: "8" };
        assert_eq!(store.take_now(other, &quotas), RateVerdict::Allowed);
    }

    #[test]
    fn every_quota_of_a_rule_counts() {
        let store = LocalRateStore::new();
        let quotas = parse_quotas("5/1m,2/1h").unwrap();
        let key = RateKey { rule: "login_address", subject: "192.0.2.1" };
        assert_eq!(store.take_now(key, &quotas), RateVerdict::Allowed);
        assert_eq!(store.take_now(key, &quotas), RateVerdict::Allowed);
        assert!(matches!(store.take_now(key, &quotas), RateVerdict::Refused { .. }));
    }
}
