//! The connection loop: accepts TCP connections and serves HTTP/1.1 on
//! each, within bounds a real deployment needs.
//!
//! - A connection must send a whole request header within
//!   [`ServerConfig::header_timeout`] of connecting or of its previous
//!   response; slow-header clients and idle keep-alives are closed then.
//! - At most [`ServerConfig::max_connections`] are open at once; one more
//!   gets a plain 503 with `Retry-After` and is closed, so the server stays
//!   reachable instead of running out of file descriptors.
//! - On shutdown the listener closes at once, requests in flight get
//!   [`ServerConfig::shutdown_deadline`] to finish, then every remaining
//!   connection is dropped.

use crate::config::ServerConfig;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

/// The body a connection over the limit is told.
const BUSY_BODY: &str = "the server is at its connection limit; retry shortly\n";

/// The whole response a connection over the limit gets.
fn busy_response() -> String {
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n\
         retry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{BUSY_BODY}",
        BUSY_BODY.len()
    )
}

/// Serves `router` on `listener` until `shutdown` resolves (see the module
/// documentation for the bounds). The peer address reaches the handlers as
/// `ConnectInfo<SocketAddr>` (the sign-in rate limit is per address).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    config: &ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout)
        .keep_alive(true);
    let permits = Arc::new(Semaphore::new(config.max_connections));
    let graceful = GracefulShutdown::new();
    // Flipped when the shutdown deadline passes: connections still open
    // then are dropped.
    let (deadline_passed, deadline) = watch::channel(false);
    let mut refusals = Refusals::default();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait a moment instead of spinning.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            refusals.count();
            tokio::spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = router
            .clone()
            .map_request(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            });
        let connection = graceful
            .watch(http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
        let mut deadline = deadline.clone();
        tokio::spawn(async move {
            tokio::select! {
                result = connection => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                }
                _ = deadline.wait_for(|passed| *passed) => {}
            }
            drop(permit);
        });
    }
    drop(listener);
    refusals.log();
    let open = graceful.count();
    if tokio::time::timeout(config.shutdown_deadline, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            connections = open,
            deadline_s = config.shutdown_deadline.as_secs(),
            "shutdown deadline passed: closing the connections still open"
        );
        let _ = deadline_passed.send(true);
    }
    Ok(())
}

/// Connections refused over the limit, logged at most once a second (a
/// client that reconnects at once would otherwise flood the log).
#[derive(Debug)]
struct Refusals {
    since_log: u64,
    logged_at: std::time::Instant,
}

impl Default for Refusals {
    fn default() -> Self {
        Refusals {
            since_log: 0,
            logged_at: std::time::Instant::now(),
        }
    }
}

impl Refusals {
    fn count(&mut self) {
        self.since_log += 1;
        if self.logged_at.elapsed() >= Duration::from_secs(1) {
            self.log();
        }
    }

    fn log(&mut self) {
        if self.since_log > 0 {
            tracing::warn!(
                refused = self.since_log,
                "connection limit reached: answered 503"
            );
        }
        self.since_log = 0;
        self.logged_at = std::time::Instant::now();
    }
}

/// Answers 503 to a connection over the limit and closes it, without
/// waiting long on a client that does not read.
async fn refuse(mut stream: TcpStream) {
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        stream.write_all(busy_response().as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
}
