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

/// A bound on the argon2 computations running at once. Each takes about
/// 19 MB and tens of milliseconds of CPU, so a burst of parallel sign-ins
/// would otherwise grow the server by gigabytes; beyond the bound a caller
/// waits its turn for a while, then is told to retry (503).
#[derive(Debug)]
pub struct PasswordChecks {
    slots: tokio::sync::Semaphore,
    wait: Duration,
}

impl PasswordChecks {
    /// At most `slots` at once; a caller waits at most `wait` for one.
    pub fn new(slots: usize, wait: Duration) -> Self {
        PasswordChecks {
            slots: tokio::sync::Semaphore::new(slots.max(1)),
            wait,
        }
    }

    /// Runs `work` (a hash or a verification) on a blocking thread once a
    /// slot is free.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, crate::Error> {
        let _slot = match tokio::time::timeout(self.wait, self.slots.acquire()).await {
            Ok(Ok(slot)) => slot,
            Ok(Err(_)) | Err(_) => {
                return Err(crate::Error::Unavailable {
                    message: "too many password checks at once; try again in a moment".into(),
                    retry_after: 1,
                });
            }
        };
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| crate::Error::Internal(format!("password check: {e}")))
    }
}

/// [`hash_password`] on a blocking thread within the bound of `checks`,
/// for the handlers that set a password.
pub(crate) async fn hash_off_thread(
    checks: &PasswordChecks,
    password: String,
) -> Result<String, crate::Error> {
    checks
        .run(move || hash_password(&password))
        .await?
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

/// A secret for this server process, for values it signs (the sign-in
/// form's CSRF token). A restart makes a new one, which only expires
/// sign-in forms left open.
pub fn new_server_secret() -> [u8; 32] {
    random_bytes::<32>()
}

/// HMAC-SHA-256 of `message` under `key`, in hex.
pub(crate) fn hmac_hex(key: &[u8], message: &str) -> String {
    use hmac::{Mac, SimpleHmac};
    let Ok(mut mac) = SimpleHmac::<Sha256>::new_from_slice(key) else {
        // HMAC takes keys of any length; unreachable in practice.
        return String::new();
    };
    mac.update(message.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// A sign-in form's CSRF token: a random nonce and its HMAC under the
/// server's secret (`nonce.mac`). The form and a cookie both carry it, and
/// only a token this server made verifies, so a value chosen by the
/// client (or planted in its cookies by a sibling site) does not.
pub fn new_signin_csrf(secret: &[u8]) -> String {
    let nonce = hex(&random_bytes::<16>());
    let mac = hmac_hex(secret, &nonce);
    format!("{nonce}.{mac}")
}

/// True when `token` is a sign-in CSRF token this server made.
pub fn signin_csrf_is_valid(secret: &[u8], token: &str) -> bool {
    match token.split_once('.') {
        Some((nonce, mac)) if nonce.len() == 32 && !mac.is_empty() => {
            constant_time_eq(mac, &hmac_hex(secret, nonce))
        }
        _ => false,
    }
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

    /// Reserves an attempt for every key at once: when none has used up its
    /// failures, counts one against each (before the password is checked,
    /// so parallel guesses cannot all pass the check while the first are
    /// still hashing) and returns `Ok`; otherwise `Err(seconds to wait)` and
    /// counts nothing. A successful check then [`RateLimiter::forgive`]s.
    pub fn reserve(&mut self, keys: &[&str], now: Instant) -> Result<(), u64> {
        let wait = keys.iter().filter_map(|k| self.blocked(k, now)).max();
        if let Some(wait) = wait {
            return Err(wait);
        }
        for key in keys {
            self.fail(key, now);
        }
        Ok(())
    }

    /// Takes back the newest failure counted against `key` (a reserved
    /// attempt that succeeded).
    pub fn forgive(&mut self, key: &str) {
        if let Some(q) = self.failures.get_mut(key) {
            q.pop_back();
            if q.is_empty() {
                self.failures.remove(key);
            }
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

    #[test]
    fn reservations_count_before_the_check_and_block_together() {
        let mut l = RateLimiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        assert_eq!(l.reserve(&["ip", "email"], t0), Ok(()));
        assert_eq!(l.reserve(&["ip", "other"], t0), Ok(()));
        // `ip` has two reserved attempts: a third is refused, and nothing
        // is counted against `email2`.
        assert_eq!(l.reserve(&["ip", "email2"], t0), Err(60));
        assert_eq!(l.blocked("email2", t0), None);
        // A reserved attempt that succeeded is taken back.
        l.forgive("ip");
        assert_eq!(l.reserve(&["ip", "email2"], t0), Ok(()));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn password_checks_run_at_most_their_slots_at_once() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let checks = Arc::new(PasswordChecks::new(3, Duration::from_secs(30)));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..24 {
            let (checks, running, most) = (checks.clone(), running.clone(), most.clone());
            tasks.push(tokio::spawn(async move {
                checks
                    .run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
            }));
        }
        for t in tasks {
            assert!(t.await.unwrap().is_ok());
        }
        assert_eq!(most.load(Ordering::SeqCst), 3);
        // A caller that cannot get a slot in time is told to retry.
        let busy = Arc::new(PasswordChecks::new(1, Duration::from_millis(50)));
        let held = busy.clone();
        let long = tokio::spawn(async move {
            held.run(|| std::thread::sleep(Duration::from_millis(400)))
                .await
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        let refused = busy.run(|| ()).await;
        assert!(
            matches!(refused, Err(crate::Error::Unavailable { .. })),
            "{refused:?}"
        );
        assert!(long.await.unwrap().is_ok());
    }

    #[test]
    fn signin_csrf_tokens_verify_only_under_their_secret() {
        let secret = new_server_secret();
        let t = new_signin_csrf(&secret);
        assert!(signin_csrf_is_valid(&secret, &t));
        assert_ne!(t, new_signin_csrf(&secret));
        assert!(!signin_csrf_is_valid(&new_server_secret(), &t));
        let (nonce, mac) = t.split_once('.').unwrap();
        assert!(!signin_csrf_is_valid(&secret, nonce));
        assert!(!signin_csrf_is_valid(
            &secret,
            &format!("{nonce}.{}", "0".repeat(mac.len()))
        ));
        assert!(!signin_csrf_is_valid(&secret, "attacker-chosen"));
        // RFC 4231 test case 2: HMAC-SHA-256 of "what do ya want for nothing?".
        assert_eq!(
            hmac_hex(b"Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
