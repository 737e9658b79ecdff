//! Passwords and session tokens.
//!
//! Passwords: bcrypt reads only the first 72 bytes of its input, and a 128-character Korean
//! password is 384 bytes. So every password is first reduced with SHA-256 (base64, 44 bytes)
//! and bcrypt hashes that: every character counts, nothing is truncated. bcrypt runs on the
//! blocking thread pool, never on the async workers that serve pages.
//!
//! Tokens: an HS256 JWT whose claims name the `logged_in` row; the server ends a session by
//! ending that row, so a replayed token is worth nothing once its login is over.

use crate::domain::{LoginId, UserId};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::Duration;

#[derive(Clone)]
pub struct PasswordHasher {
    cost: u32,
    /// A hash to verify against when the user does not exist, so both cases take as long;
    /// made at the first such login, not at start-up.
    decoy: std::sync::Arc<std::sync::OnceLock<String>>,
    /// How many hashes may run at once: a login storm must leave cores for the pages, so
    /// logins queue here instead of filling the blocking pool (half the cores, at least one).
    turns: std::sync::Arc<tokio::sync::Semaphore>,
    /// The turn of logins from the account's own known browser: they do not queue behind a
    /// storm of strangers' guesses, and there is one such turn, so they add one core at most.
    owner_turn: std::sync::Arc<tokio::sync::Semaphore>,
}

/// Which turns a password check waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Everyone's: sign-ups, password changes, logins from unknown browsers.
    Shared,
    /// A login from the account's known browser.
    Owner,
}

fn prehash(password: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(password.as_bytes()))
}

impl PasswordHasher {
    pub fn new(cost: u32) -> anyhow::Result<Self> {
        anyhow::ensure!((4..=31).contains(&cost), "bcrypt cost must be 4 to 31, not {cost}");
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let turns = std::sync::Arc::new(tokio::sync::Semaphore::new((cores / 2).max(1)));
        let owner_turn = std::sync::Arc::new(tokio::sync::Semaphore::new(1));
        Ok(PasswordHasher { cost, decoy: Default::default(), turns, owner_turn })
    }

    pub async fn hash(&self, password: &str) -> anyhow::Result<String> {
        let cost = self.cost;
        let input = prehash(password);
        let _turn = self.turns.acquire().await?;
        let hash = tokio::task::spawn_blocking(move || bcrypt::hash(input, cost)).await??;
        Ok(hash)
    }

    /// Whether `password` matches `hash`; with no hash (no such user) it still spends the time.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> bool {
        self.verify_in(Lane::Shared, password, hash).await
    }

    /// [`PasswordHasher::verify`], waiting for a turn of `lane`.
    pub async fn verify_in(&self, lane: Lane, password: &str, hash: Option<&str>) -> bool {
        let input = prehash(password);
        let real = hash.map(str::to_string);
        let (decoy, cost) = (self.decoy.clone(), self.cost);
        let turns = if lane == Lane::Owner { &self.owner_turn } else { &self.turns };
        let Ok(_turn) = turns.acquire().await else { return false };
        tokio::task::spawn_blocking(move || match real {
            Some(hash) => bcrypt::verify(input, &hash).unwrap_or(false),
            None => {
                let decoy = decoy.get_or_init(|| bcrypt::hash(prehash("decoy password"), cost).unwrap_or_default());
                // Only the time it takes matters: an unknown name costs as much as a wrong password.
                let _decoy_verdict = bcrypt::verify(input, decoy);
                false
            }
        })
        .await
        .unwrap_or(false)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: UserId,
    /// The `logged_in` row id: the session.
    pub sid: LoginId,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    lifetime: Duration,
}

impl Tokens {
    pub fn new(secret: &[u8], lifetime: Duration) -> Self {
        // Only HS256 is accepted; a token naming another algorithm (or "none") is refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp"]);
        Tokens {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            lifetime,
        }
    }

    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    pub fn issue(&self, user_id: UserId, login_id: LoginId) -> anyhow::Result<String> {
        let now = crate::domain::Timestamp::now().as_secs();
        let claims = Claims { sub: user_id, sid: login_id, iat: now, exp: now + self.lifetime.as_secs() as i64 };
        Ok(jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?)
    }

    /// The claims of a genuine, unexpired token; anything else is `None`.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok().map(|data| data.claims)
    }
}

/// A fresh random secret for signing tokens, for a forum started without FORUM_SECRET.
pub fn generate_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn long_multibyte_passwords_are_never_truncated() {
        let hasher = PasswordHasher::new(4).unwrap();
        let password = "가".repeat(100); // 300 bytes
        let hash = hasher.hash(&password).await.unwrap();
        assert!(hasher.verify(&password, Some(&hash)).await);
        // The first 72 bytes alone (24 characters) must not pass.
        assert!(!hasher.verify(&"가".repeat(24), Some(&hash)).await);
        // Neither must a password differing only in its last character.
        let other = format!("{}나", "가".repeat(99));
        assert!(!hasher.verify(&other, Some(&hash)).await);
    }

    #[tokio::test]
    async fn no_user_never_verifies() {
        let hasher = PasswordHasher::new(4).unwrap();
        assert!(!hasher.verify("decoy password", None).await);
    }

    #[test]
    fn tokens_round_trip_and_refuse_tampering() {
        let tokens = Tokens::new(b"secret", Duration::from_secs(60));
        let token = tokens.issue(UserId(7), LoginId(42)).unwrap();
        let claims = tokens.verify(&token).unwrap();
        assert_eq!((claims.sub, claims.sid), (UserId(7), LoginId(42)));
        let other = Tokens::new(b"another secret", Duration::from_secs(60));
        assert!(other.verify(&token).is_none());
        assert!(tokens.verify("not.a.token").is_none());
    }

    #[test]
    fn expired_and_unsigned_tokens_are_refused() {
        let tokens = Tokens::new(b"secret", Duration::from_secs(60));
        let past = Claims { sub: UserId(1), sid: LoginId(1), iat: 0, exp: 1 };
        let expired =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &past, &EncodingKey::from_secret(b"secret")).unwrap();
        assert!(tokens.verify(&expired).is_none());
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let unsigned = format!(
            "{}.{}.",
            b64.encode(br#"{"alg":"none","typ":"JWT"}"#),
            b64.encode(br#"{"sub":1,"sid":1,"iat":0,"exp":99999999999}"#)
        );
        assert!(tokens.verify(&unsigned).is_none());
    }
}
