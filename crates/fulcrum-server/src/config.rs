//! The server's settings: where to listen, cookie and session rules, the
//! sign-in rate limit, the request body limit and the connection bounds.

use std::net::SocketAddr;
use std::time::Duration;

/// How `fulcrum serve` runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The address to listen on.
    pub listen: SocketAddr,
    /// Mark cookies `Secure` (sent over HTTPS only). Turn off only for plain
    /// HTTP on localhost (`--insecure-cookies`).
    pub secure_cookies: bool,
    /// How long a session lasts after sign-in.
    pub session_ttl: Duration,
    /// Failed sign-ins allowed per client address and per email within
    /// [`ServerConfig::login_window`]; the next attempt gets 429.
    pub login_max_failures: u32,
    /// The window failed sign-ins are counted over.
    pub login_window: Duration,
    /// The largest request body, in bytes; a larger one gets 413.
    pub body_limit: usize,
    /// A connection that has not sent a whole request header this long
    /// after connecting, or after its previous response (an idle
    /// keep-alive), is closed.
    pub header_timeout: Duration,
    /// Open connections at most; one more is answered 503 and closed.
    /// Keep it under the process's open-file limit (often 1,024), which
    /// the store's files and connections share.
    pub max_connections: usize,
    /// After a shutdown is asked for, requests in flight get this long to
    /// finish; then the remaining connections are closed.
    pub shutdown_deadline: Duration,
    /// Password checks (argon2, about 19 MB and tens of milliseconds of
    /// CPU each) running at once, at most; more wait their turn for up to
    /// [`ServerConfig::hash_wait`].
    pub max_password_checks: usize,
    /// How long a sign-in waits for a password-check slot before it is
    /// answered 503.
    pub hash_wait: Duration,
    /// The server's address as people reach it (`[serve] public_url`, no
    /// trailing slash): the base of the links in reminder digests and of
    /// calendar feed URLs.
    pub public_url: Option<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            secure_cookies: true,
            session_ttl: Duration::from_secs(12 * 3600),
            login_max_failures: 5,
            login_window: Duration::from_secs(15 * 60),
            body_limit: 64 * 1024,
            header_timeout: Duration::from_secs(10),
            max_connections: 512,
            shutdown_deadline: Duration::from_secs(10),
            max_password_checks: std::thread::available_parallelism()
                .map_or(2, std::num::NonZero::get)
                .clamp(2, 8),
            hash_wait: Duration::from_secs(10),
            public_url: None,
        }
    }
}
