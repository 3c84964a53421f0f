//! The server under faults, on a real TCP listener and on both store
//! backends: clients that drop requests mid-flight, slow and idle
//! connections, more connections than the limit, a shutdown with a slow
//! client attached, parallel sign-in guesses. Loopback only, each test
//! bounded in time.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use fulcrum_server::ServerConfig;
use fulcrum_store::{NewUser, Role, Storage, Store};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

/// Starts the server on port 0.
async fn start(
    h: &Harness,
) -> (
    SocketAddr,
    oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let app = h.app.clone();
    let config = h.state.config.clone();
    let task = tokio::spawn(async move {
        fulcrum_server::serve(listener, app, &config, async move {
            let _ = stopped.await;
        })
        .await
    });
    (addr, stop, task)
}

/// One request on a fresh connection, read to the end (the request asks
/// the server to close); returns the status code and the whole response.
async fn raw(addr: SocketAddr, request: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

fn get(path: &str, bearer: &str) -> String {
    format!(
        "GET {path} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {bearer}\r\nConnection: close\r\n\r\n"
    )
}

/// Sends `request` and resets the connection (RST, not FIN) after `wait`:
/// the server is dropped mid-request.
async fn send_and_reset(addr: SocketAddr, request: String, wait: Duration) {
    let Ok(mut s) = TcpStream::connect(addr).await else {
        return;
    };
    if s.write_all(request.as_bytes()).await.is_err() {
        return;
    }
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    // A zero linger sends RST at once, so the drop does not block.
    #[allow(deprecated)]
    let _ = s.set_linger(Some(Duration::ZERO));
    drop(s);
}

/// 1,200 requests with made-up and valid bearer tokens, each reset right
/// after sending, then: a valid request answers at once, the store takes a
/// write from a second process's worth of connections (what `fulcrum user
/// add` does) and readiness says ok.
async fn dropped_requests_leave_the_store_usable(backend: Backend) {
    let h = harness_on(
        backend,
        ServerConfig {
            secure_cookies: false,
            ..ServerConfig::default()
        },
        None,
    )
    .await;
    let As::Token(valid) = token_for(&h.state, &h.admin, "load").await else {
        unreachable!()
    };
    let (addr, stop, task) = start(&h).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..1200u32 {
        let bearer = if i % 3 == 0 {
            valid.clone()
        } else {
            format!("fulcrum_{i:064x}")
        };
        let path = if i % 2 == 0 {
            "/api/v1/me"
        } else {
            "/api/v1/teams"
        };
        // Resets spread over the first milliseconds of each request, where
        // the store's transactions begin and end.
        let wait = Duration::from_micros(u64::from(i % 7) * 150);
        tasks.spawn(send_and_reset(addr, get(path, &bearer), wait));
        if tasks.len() >= 200 {
            tasks.join_next().await;
        }
    }
    while tasks.join_next().await.is_some() {}

    // Every pooled connection gets used: each must be out of any
    // transaction.
    for i in 0..20 {
        let answered = tokio::time::timeout(
            Duration::from_secs(5),
            raw(addr, &get("/api/v1/me", &valid)),
        )
        .await
        .expect("a valid request answers within 5 s after the resets");
        assert_eq!(
            answered.0, 200,
            "request {i} after the resets: {}",
            answered.1
        );
    }

    let ready = tokio::time::timeout(Duration::from_secs(5), raw(addr, &get("/readyz", "")))
        .await
        .expect("readiness answers");
    assert_eq!(ready.0, 200, "{}", ready.1);

    // A CLI write while the server runs: a second store on the same
    // database opens (migrations checked) and creates an account.
    let write = async {
        let other = Store::open(&h.url).await.unwrap();
        other
            .create_user(NewUser {
                email: "after.load@fulcrum.test".into(),
                role: Role::Member,
                teams: vec![],
                password_hash: None,
                now: chrono::Utc::now(),
            })
            .await
            .unwrap();
        other.close().await;
    };
    tokio::time::timeout(Duration::from_secs(5), write)
        .await
        .expect("a CLI write succeeds within 5 s after the resets");

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), task)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_requests_leave_the_store_usable_on_sqlite() {
    dropped_requests_leave_the_store_usable(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_requests_leave_the_store_usable_on_postgres() {
    dropped_requests_leave_the_store_usable(Backend::Postgres).await;
}

/// A harness whose connection bounds are small enough to test quickly.
async fn bounded(config: ServerConfig) -> Harness {
    harness_on(
        Backend::Sqlite,
        ServerConfig {
            secure_cookies: false,
            ..config
        },
        None,
    )
    .await
}

/// Reads until the server closes the connection; returns how long that
/// took and what was read. Gives up (panics) after `limit`.
async fn until_closed(s: &mut TcpStream, limit: Duration) -> (Duration, String) {
    let started = tokio::time::Instant::now();
    let mut out = Vec::new();
    tokio::time::timeout(limit, async {
        let mut buf = [0u8; 4096];
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .expect("the server closes the connection in time");
    (
        started.elapsed(),
        String::from_utf8_lossy(&out).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_headers_and_idle_connections_are_closed_within_the_bound() {
    let h = bounded(ServerConfig {
        header_timeout: Duration::from_secs(1),
        ..ServerConfig::default()
    })
    .await;
    let (addr, stop, task) = start(&h).await;

    // Connected, never sends a byte.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    // Sends half a header, then nothing.
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: te")
        .await
        .unwrap();
    // A whole request kept alive, then idle.
    let mut kept = TcpStream::connect(addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();

    // Waited on together, so each time counts from (about) its connection.
    let ((t_idle, _), (t_slow, _), (t_kept, text)) = tokio::join!(
        until_closed(&mut idle, Duration::from_secs(5)),
        until_closed(&mut slow, Duration::from_secs(5)),
        until_closed(&mut kept, Duration::from_secs(5)),
    );
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    for (what, t) in [
        ("idle", t_idle),
        ("slow header", t_slow),
        ("kept alive", t_kept),
    ] {
        assert!(
            t >= Duration::from_millis(700),
            "{what} closed too early: {t:?}"
        );
        assert!(t < Duration::from_secs(4), "{what} closed after {t:?}");
    }
    // The server still answers.
    assert_eq!(raw(addr, &get("/healthz", "")).await.0, 200);
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), task)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_limit_get_503_and_the_server_stays_reachable() {
    let h = bounded(ServerConfig {
        max_connections: 4,
        header_timeout: Duration::from_secs(30),
        ..ServerConfig::default()
    })
    .await;
    let (addr, stop, task) = start(&h).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(addr).await.unwrap());
    }
    // Give the server a moment to accept the four.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, text) = raw(addr, &get("/healthz", "")).await;
    assert_eq!(status, 503, "{text}");
    assert!(text.to_lowercase().contains("retry-after: 1"), "{text}");
    assert!(text.contains("connection limit"), "{text}");
    // Free one: the next connection is served again.
    drop(held.pop());
    let mut ok = false;
    for _ in 0..50 {
        if raw(addr, &get("/healthz", "")).await.0 == 200 {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(ok, "a freed slot serves again");
    drop(held);
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), task)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_within_its_deadline_with_a_slow_client_attached() {
    let h = bounded(ServerConfig {
        header_timeout: Duration::from_secs(60),
        shutdown_deadline: Duration::from_secs(1),
        ..ServerConfig::default()
    })
    .await;
    let (addr, stop, task) = start(&h).await;
    // Mid-request: half a header, then silence for longer than the test.
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"POST /signin HTTP/1.1\r\nHost: test\r\nContent-Le")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let asked = tokio::time::Instant::now();
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("the server stops within its deadline")
        .unwrap()
        .unwrap();
    let took = asked.elapsed();
    assert!(took < Duration::from_secs(3), "shutdown took {took:?}");
    // The slow client's connection was closed too.
    until_closed(&mut slow, Duration::from_secs(3)).await;
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "nothing new is accepted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_sign_in_guesses_check_at_most_the_limit() {
    let h = bounded(ServerConfig {
        max_password_checks: 2,
        ..ServerConfig::default()
    })
    .await;
    let (addr, stop, task) = start(&h).await;
    // One sign-in form: its CSRF pair is valid for every attempt.
    let (status, form) = raw(
        addr,
        "GET /signin HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status, 200);
    let csrf = form_csrf(&form);
    let attempt = move |password: String| async move {
        let body = format!(
            "email={}&password={}&csrf={csrf}",
            urlencode(ADMIN),
            urlencode(&password)
        );
        raw(
            addr,
            &format!(
                "POST /signin HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\n\
                 Cookie: fulcrum_signin={csrf}\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            ),
        )
        .await
        .0
    };
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200u32 {
        // Number 30 is the right password.
        let password = if i == 30 {
            PASSWORD.to_owned()
        } else {
            format!("wrong guess {i}")
        };
        tasks.spawn(attempt.clone()(password));
    }
    let mut statuses = Vec::new();
    while let Some(s) = tasks.join_next().await {
        statuses.push(s.unwrap());
    }
    let checked = statuses.iter().filter(|&&s| s == 401 || s == 303).count();
    let limited = statuses.iter().filter(|&&s| s == 429).count();
    let limit = ServerConfig::default().login_max_failures as usize;
    assert!(
        checked <= limit,
        "{checked} passwords checked, limit {limit}: {statuses:?}"
    );
    assert_eq!(checked + limited, 200, "{statuses:?}");
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), task)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
}
