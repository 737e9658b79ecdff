//! Rate limits as the commands use them: which rules an action is counted under, where it is
//! counted (shared by every instance through the `RateStore` given, or in this process when
//! that store fails: never no limit), the queue in front of password checks, and the signed
//! "known browser" mark that gives an account's owner a lane of their own.

use super::{App, CommandError, CommandResult};
use crate::domain::UserId;
use crate::domain::rate_limit::{Action, Quota, Rule, Subject, rule_name};
use crate::ports::{RateKey, RateStore, RateVerdict};
use base64::Engine;
use hmac::{Hmac, Mac};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A request refused by a rate limit (or by a full login queue): when to try again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limited {
    /// The rule's name (`login_address`), or `login_queue`.
    pub rule: String,
    /// Whole seconds, at least one (what `Retry-After` says).
    pub retry_after_secs: u64,
}

impl Limited {
    fn new(rule: String, wait: Duration) -> Self {
        Limited { rule, retry_after_secs: wait.as_millis().div_ceil(1000).max(1) as u64 }
    }
}

/// The numbers, from the configuration.
#[derive(Debug, Clone)]
pub struct LimitSettings {
    pub enabled: bool,
    pub rules: Vec<Rule>,
    /// Logins whose password check may be waiting or running at once; more are refused.
    pub login_queue: usize,
}

impl Default for LimitSettings {
    /// Off: an App built without settings (tools, tests that drive the App directly) counts nothing.
    fn default() -> Self {
        LimitSettings { enabled: false, rules: Vec::new(), login_queue: 8 }
    }
}

/// The rate limiter of one App.
pub struct RateLimits {
    enabled: bool,
    quotas: HashMap<(Action, Subject), (String, Vec<Quota>)>,
    /// Shared by every instance (Redis), if configured.
    shared: Option<Arc<dyn RateStore>>,
    /// This process's own counts: used alone without a shared store, and while it fails.
    local: Arc<dyn RateStore>,
    falling_back: AtomicBool,
    /// Entry to password checks (the checks themselves take turns in `PasswordHasher`).
    login_queue: Arc<tokio::sync::Semaphore>,
    mark_key: Vec<u8>,
}

impl RateLimits {
    pub fn new(
        settings: LimitSettings,
        local: Arc<dyn RateStore>,
        shared: Option<Arc<dyn RateStore>>,
        secret: &[u8],
    ) -> Self {
        let quotas = settings
            .rules
            .iter()
            .filter(|rule| !rule.quotas.is_empty())
            .map(|rule| ((rule.action, rule.subject), (rule.name(), rule.quotas.clone())))
            .collect();
        metrics::gauge!("rate_limit_local_fallback").set(0.0);
        RateLimits {
            enabled: settings.enabled,
            quotas,
            shared,
            local,
            falling_back: AtomicBool::new(false),
            login_queue: Arc::new(tokio::sync::Semaphore::new(settings.login_queue.max(1))),
            mark_key: secret.to_vec(),
        }
    }

    /// Off: nothing is counted.
    pub(super) fn off() -> Self {
        RateLimits::new(LimitSettings::default(), Arc::new(Uncounted), None, b"")
    }

    /// Charges one action of `subject` to its rule; refused, says when to try again.
    pub(super) async fn charge(&self, action: Action, subject: Subject, who: &str) -> Result<(), Limited> {
        if !self.enabled {
            return Ok(());
        }
        let Some((rule, quotas)) = self.quotas.get(&(action, subject)) else { return Ok(()) };
        let key = RateKey { rule, subject: who };
        match self.verdict(key, quotas).await {
            RateVerdict::Allowed => Ok(()),
            RateVerdict::Refused { retry_after } => {
                metrics::counter!("rate_limit_refusals_total", "rule" => rule.clone()).increment(1);
                tracing::info!(rule = %rule, retry_after = ?retry_after, "rate limit refused a request");
                Err(Limited::new(rule.clone(), retry_after))
            }
        }
    }

    /// The shared store's verdict, or this process's when the shared one fails.
    async fn verdict(&self, key: RateKey<'_>, quotas: &[Quota]) -> RateVerdict {
        if let Some(shared) = &self.shared {
            match shared.take(key, quotas).await {
                Ok(verdict) => {
                    if self.falling_back.swap(false, Ordering::Relaxed) {
                        tracing::info!("the shared rate limits answer again");
                        metrics::gauge!("rate_limit_local_fallback").set(0.0);
                    }
                    return verdict;
                }
                Err(error) => {
                    metrics::counter!("rate_limit_fallbacks_total").increment(1);
                    if !self.falling_back.swap(true, Ordering::Relaxed) {
                        tracing::warn!(%error, "shared rate limits unavailable; counting in this process");
                        metrics::gauge!("rate_limit_local_fallback").set(1.0);
                    }
                }
            }
        }
        // The local store cannot fail; if it ever did, the action would be refused for a moment.
        self.local.take(key, quotas).await.unwrap_or(RateVerdict::Refused { retry_after: Duration::from_secs(1) })
    }

    fn mac(&self, user: UserId) -> Option<Hmac<sha2::Sha256>> {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&self.mark_key).ok()?;
        mac.update(b"forum known browser of user ");
        mac.update(user.0.to_string().as_bytes());
        Some(mac)
    }

    /// The mark a browser gets with each successful login of `user`.
    pub fn known_mark(&self, user: UserId) -> String {
        let signature = self.mac(user).map(|mac| mac.finalize().into_bytes().to_vec()).unwrap_or_default();
        format!("{}.{}", user.0, base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signature))
    }

    /// Whose known browser a mark says this is; None for anything this forum did not sign.
    pub fn known_user(&self, mark: &str) -> Option<UserId> {
        let (user, signature) = mark.split_once('.')?;
        let user = UserId(user.parse().ok()?);
        let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature).ok()?;
        self.mac(user)?.verify_slice(&signature).ok()?;
        Some(user)
    }
}

/// The store of limits that are off: it is never asked.
struct Uncounted;

#[async_trait::async_trait]
impl RateStore for Uncounted {
    async fn take(&self, _key: RateKey<'_>, _quotas: &[Quota]) -> Result<RateVerdict, crate::ports::RateError> {
        Ok(RateVerdict::Allowed)
    }

    fn kind(&self) -> &'static str {
        "off"
    }
}

impl From<Limited> for CommandError {
    fn from(limited: Limited) -> Self {
        CommandError::Limited(limited)
    }
}

/// A place in the login queue; dropping it lets the next login in.
pub(super) type QueuePlace = tokio::sync::OwnedSemaphorePermit;

impl App {
    /// Counts an action per address and per account (whichever are known), before any
    /// transaction is begun.
    pub(super) async fn limit(
        &self,
        action: Action,
        address: Option<&str>,
        account: Option<UserId>,
    ) -> CommandResult<()> {
        if let Some(address) = address {
            self.limits.charge(action, Subject::Address, address).await?;
        }
        if let Some(account) = account {
            self.limits.charge(action, Subject::Account, &account.0.to_string()).await?;
        }
        Ok(())
    }

    /// Counts a login attempt for `account` (an id, or the name typed when there is no such
    /// account): from the owner's known browser in its own lane, otherwise per address and
    /// per account. Then takes a place in the queue to the password check, or is refused at
    /// once when the queue is full.
    pub(super) async fn admit_login(
        &self,
        address: Option<&str>,
        account: &str,
        known_browser: bool,
    ) -> CommandResult<Option<QueuePlace>> {
        if known_browser {
            self.limits.charge(Action::Login, Subject::KnownBrowser, account).await?;
        } else {
            if let Some(address) = address {
                self.limits.charge(Action::Login, Subject::Address, address).await?;
            }
            self.limits.charge(Action::Login, Subject::Account, account).await?;
        }
        if !self.limits.enabled {
            return Ok(None);
        }
        match self.limits.login_queue.clone().try_acquire_owned() {
            Ok(place) => Ok(Some(place)),
            // The owner's lane skips the queue (their check still takes a turn of its own).
            Err(_) if known_browser => Ok(None),
            Err(_) => {
                metrics::counter!("rate_limit_refusals_total", "rule" => "login_queue").increment(1);
                Err(Limited::new("login_queue".into(), Duration::from_secs(1)).into())
            }
        }
    }

    /// The signed mark of a browser `user` logged in from.
    pub fn known_browser_mark(&self, user: UserId) -> String {
        self.limits.known_mark(user)
    }

    /// Whose browser a mark names, if the forum signed it.
    pub fn known_browser_user(&self, mark: &str) -> Option<UserId> {
        self.limits.known_user(mark)
    }

    /// Where limits are counted ("local", "redis"), for the start-up log.
    pub fn rate_store_kind(&self) -> &'static str {
        self.limits.shared.as_ref().map_or(self.limits.local.kind(), |shared| shared.kind())
    }
}

/// The name a rule is counted and configured under, for the settings.
pub fn setting_name(action: Action, subject: Subject) -> String {
    format!("FORUM_LIMIT_{}", rule_name(action, subject).to_uppercase())
}
