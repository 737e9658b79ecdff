//! Rate limits shared by every instance: GCRA in one Lua script, so that checking and charging
//! all of a rule's quotas is one atomic step whichever instance asks. Keys are
//! `{REDIS_PREFIX}rate:{rule}:{quota}:{subject}`, holding the quota's "theoretical arrival
//! time" (Unix ms) and expiring when the quota is full again. The time is Redis's own, so
//! instances whose clocks differ still agree.

use super::link::Link;
use crate::domain::rate_limit::Quota;
use crate::ports::{RateError, RateKey, RateStore, RateVerdict};
use async_trait::async_trait;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

/// KEYS: one per quota. ARGV: per quota its emission interval and its burst tolerance (the
/// whole period), in ms. Returns 0 when allowed (every quota charged), or the ms to wait
/// (nothing charged).
const GCRA: &str = r"
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local wait = 0
local arrivals = {}
for i, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[2 * i - 1])
  local tolerance = tonumber(ARGV[2 * i])
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  local next_tat = tat + interval
  local allowed_at = next_tat - tolerance
  if allowed_at > now and allowed_at - now > wait then wait = allowed_at - now end
  arrivals[i] = next_tat
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('SET', key, arrivals[i], 'PX', arrivals[i] - now)
end
return 0
";

static SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(GCRA));

pub struct RedisRateStore {
    link: Arc<Link>,
}

impl RedisRateStore {
    pub(super) fn new(link: Arc<Link>) -> Self {
        RedisRateStore { link }
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX).max(1)
}

#[async_trait]
impl RateStore for RedisRateStore {
    async fn take(&self, key: RateKey<'_>, quotas: &[Quota]) -> Result<RateVerdict, RateError> {
        if quotas.is_empty() {
            return Ok(RateVerdict::Allowed);
        }
        let manager = self.link.usable_manager().map_err(|error| RateError(error.0))?;
        let mut invocation = SCRIPT.prepare_invoke();
        for quota in quotas {
            let interval = millis(quota.interval());
            invocation
                .key(self.link.key(&format!("rate:{}:{}:{}", key.rule, quota.label(), key.subject)))
                .arg(interval)
                .arg(interval * u64::from(quota.count));
        }
        let wait: u64 = self.link.run_script(manager, &invocation).await.map_err(|error| RateError(error.0))?;
        Ok(match wait {
            0 => RateVerdict::Allowed,
            ms => RateVerdict::Refused { retry_after: Duration::from_millis(ms) },
        })
    }

    fn kind(&self) -> &'static str {
        "redis"
    }
}
