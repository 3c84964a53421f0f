//! The server's settings: where to listen, cookie and session rules, the
//! sign-in rate limit and the request body limit.

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
        }
    }
}
