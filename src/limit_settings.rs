//! The rate limits' settings: on or off, the login queue, and each rule's quotas
//! (`FORUM_LIMIT_<RULE>`, e.g. `FORUM_LIMIT_LOGIN_ADDRESS=6/1m,30/1h`; `off` turns one rule off).

use crate::app::limits::{LimitSettings, setting_name};
use crate::domain::rate_limit::{DEFAULT_RULES, rules};
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

/// Rate limits (docs/design.md, "Rate limits").
#[derive(Debug, Clone, Args)]
pub struct LimitConfig {
    /// Rate limits on sign-up, login, writing, voting and search (each rule's quotas:
    /// FORUM_LIMIT_<RULE>, see the README).
    #[arg(long, env = "FORUM_RATE_LIMITS", value_enum, default_value_t = Switch::On, global = true)]
    pub rate_limits: Switch,

    /// Logins whose password check may be waiting or running at once; more are answered 429 at
    /// once (a login from the account's known browser does not queue).
    #[arg(long, env = "FORUM_LOGIN_QUEUE", default_value_t = 8,
          value_parser = clap::value_parser!(u32).range(1..=10_000), global = true)]
    pub login_queue: u32,
}

impl LimitConfig {
    /// The settings, with each rule's quotas from its `FORUM_LIMIT_<RULE>` if set.
    pub fn settings(&self) -> anyhow::Result<LimitSettings> {
        let rules = rules(|name| {
            let (action, subject) = DEFAULT_RULES
                .iter()
                .find(|(action, subject, _)| crate::domain::rate_limit::rule_name(*action, *subject) == name)
                .map(|(action, subject, _)| (*action, *subject))?;
            std::env::var(setting_name(action, subject)).ok()
        })
        .map_err(anyhow::Error::msg)?;
        Ok(LimitSettings { enabled: self.rate_limits == Switch::On, rules, login_queue: self.login_queue as usize })
    }
}
