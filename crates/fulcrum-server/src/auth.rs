//! Secrets: passwords (argon2id PHC strings), session ids, API tokens and
//! CSRF tokens (random, from the operating system's CSPRNG), the SHA-256
//! hashes under which sessions and tokens are stored, and the sign-in rate
//! limiter.
//!
//! A session id or an API token exists in plain form only in the cookie or
//! in the one response that shows it; the store holds its hash, so a copy
//! of the database opens no account.

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// The prefix of API tokens, so a leaked one is recognisable in logs and
/// secret scanners.
pub const TOKEN_PREFIX: &str = "fulcrum_";

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
#[error("cannot hash the password: {0}")]
pub struct HashError(String);

/// Hashes a password with argon2id (the crate's default parameters) and a
/// random salt, as a PHC string (`$argon2id$v=19$...`).
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// [`hash_password`] on a blocking thread (argon2 takes tens of
/// milliseconds of CPU: off the async workers), for the handlers that set
/// a password.
pub(crate) async fn hash_off_thread(password: String) -> Result<String, crate::Error> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| crate::Error::Internal(format!("password hashing: {e}")))?
        .map_err(|e| crate::Error::Internal(e.to_string()))
}

/// True when `password` matches the PHC string `phc` (false for a string
/// that is not a valid hash).
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the account does not exist, so that an
/// unknown email takes as long as a wrong password.
pub(crate) fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default())
}

/// `n` random bytes from the operating system.
fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// The SHA-256 of a secret, in hex: how sessions and tokens are stored.
pub fn sha256_hex(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// A new API token: [`TOKEN_PREFIX`] and 32 random bytes in hex. Show it
/// once; store [`sha256_hex`] of it.
pub fn new_token() -> String {
    format!("{TOKEN_PREFIX}{}", hex(&random_bytes::<32>()))
}

/// A new session id: 32 random bytes in hex (the cookie's value).
pub fn new_session_id() -> String {
    hex(&random_bytes::<32>())
}

/// A new CSRF token: 32 random bytes in hex.
pub fn new_csrf_token() -> String {
    hex(&random_bytes::<32>())
}

/// A request id for logs and error pages: 8 random bytes in hex.
pub fn new_request_id() -> String {
    hex(&random_bytes::<8>())
}

/// A strong random password (20 characters from 56 unambiguous letters and
/// digits: about 116 bits), for accounts created without one.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut out = String::with_capacity(20);
    while out.len() < 20 {
        // Rejection sampling keeps every character equally likely.
        let b = random_bytes::<1>()[0];
        let limit = 256 - 256 % ALPHABET.len();
        if usize::from(b) < limit {
            out.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
        }
    }
    out
}

/// Equality that takes the same time wherever the strings differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Failed sign-ins per key (a client address, an email) in a sliding
/// window. Memory is bounded: expired entries are swept as keys are
/// touched, and past [`RateLimiter::MAX_KEYS`] the whole table is swept.
#[derive(Debug)]
pub struct RateLimiter {
    max_failures: u32,
    window: Duration,
    failures: HashMap<String, VecDeque<Instant>>,
}

impl RateLimiter {
    /// Most keys held before a full sweep.
    pub const MAX_KEYS: usize = 100_000;

    /// A limiter allowing `max_failures` failures per key in `window`.
    pub fn new(max_failures: u32, window: Duration) -> Self {
        RateLimiter {
            max_failures,
            window,
            failures: HashMap::new(),
        }
    }

    /// `Some(seconds)` to wait when `key` has used up its failures.
    pub fn blocked(&mut self, key: &str, now: Instant) -> Option<u64> {
        let window = self.window;
        let q = self.failures.get_mut(key)?;
        while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
            q.pop_front();
        }
        if q.is_empty() {
            self.failures.remove(key);
            return None;
        }
        if q.len() < self.max_failures as usize {
            return None;
        }
        let oldest = *q.front()?;
        let wait = window.saturating_sub(now.duration_since(oldest));
        Some(wait.as_secs().max(1))
    }

    /// Counts a failure of `key`.
    pub fn fail(&mut self, key: &str, now: Instant) {
        if self.failures.len() >= Self::MAX_KEYS {
            let window = self.window;
            self.failures
                .retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        let q = self.failures.entry(key.to_owned()).or_default();
        q.push_back(now);
        while q.len() > self.max_failures as usize {
            q.pop_front();
        }
    }

    /// Forgets the failures of `key` (after a successful sign-in).
    pub fn clear(&mut self, key: &str) {
        self.failures.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_to_argon2id_and_verify() {
        let h = hash_password("correct horse battery staple").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("correct horse battery staple", &h));
        assert!(!verify_password("correct horse battery stapl", &h));
        assert!(!verify_password("x", "not a hash"));
        // Salted: the same password hashes differently.
        assert_ne!(h, hash_password("correct horse battery staple").unwrap());
    }

    #[test]
    fn tokens_are_random_and_hashes_are_sha256() {
        let a = new_token();
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == TOKEN_PREFIX.len() + 64);
        assert_ne!(a, new_token());
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let p = generate_password();
        assert_eq!(p.len(), 20);
        assert_ne!(p, generate_password());
        assert!(constant_time_eq("abc", "abc") && !constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }

    #[test]
    fn limiter_blocks_after_max_failures_until_the_window_passes() {
        let mut l = RateLimiter::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..3 {
            assert_eq!(l.blocked("k", t0), None, "attempt {i}");
            l.fail("k", t0);
        }
        assert_eq!(l.blocked("k", t0 + Duration::from_secs(10)), Some(50));
        assert_eq!(l.blocked("other", t0), None);
        assert_eq!(l.blocked("k", t0 + Duration::from_secs(60)), None);
        l.fail("k", t0);
        l.clear("k");
        assert_eq!(l.blocked("k", t0), None);
    }
}
