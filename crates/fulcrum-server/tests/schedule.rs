//! Scheduled imports (`[store] import_every`): the schedule runs the import
//! hook and recomputes the snapshot on time; an import that fails or
//! panics is logged and the next one still runs, while the server keeps
//! answering; stopping waits for an import in flight.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::*;
use fulcrum_server::schedule::{ScheduledImports, run_import};
use fulcrum_server::{ImportHook, ServerConfig};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_imports_run_on_time_and_survive_failures_and_panics() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    // The second run fails, the third panics, the others succeed.
    let import: ImportHook = Arc::new(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        Box::pin(async move {
            match n {
                2 => Err("the calendars folder is gone".to_owned()),
                3 => panic!("a bug in an importer"),
                _ => Ok(format!("import {n}")),
            }
        })
    });
    let h = harness_full(
        ServerConfig {
            secure_cookies: false,
            ..ServerConfig::default()
        },
        Some(import),
    )
    .await;
    let schedule = ScheduledImports::start(h.state.clone(), Duration::from_millis(150));
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while calls.load(Ordering::SeqCst) < 5 {
        assert!(
            std::time::Instant::now() < deadline,
            "only {} scheduled imports in 20 s",
            calls.load(Ordering::SeqCst)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
        // The server answers all along.
        let health = send(
            &h.app,
            Request::builder()
                .method(Method::GET)
                .uri("/healthz")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(health.status, StatusCode::OK);
    }
    schedule.stop(&h.state, Duration::from_secs(5)).await;
    // After the panic the import lock was released: an import by hand runs.
    let by_hand = run_import(&h.state).await;
    assert!(matches!(by_hand, Some(Ok(_))), "{by_hand:?}");
    // Stopped: no more runs.
    let n = calls.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(calls.load(Ordering::SeqCst), n);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_is_not_started_while_another_runs() {
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
    let started_tx = Arc::new(std::sync::Mutex::new(Some(started_tx)));
    let import: ImportHook = Arc::new(move || {
        let tx = started_tx.lock().unwrap().take();
        Box::pin(async move {
            if let Some(tx) = tx {
                let _ = tx.send(());
            }
            tokio::time::sleep(Duration::from_millis(600)).await;
            Ok("slow import".to_owned())
        })
    });
    let h = harness_full(ServerConfig::default(), Some(import)).await;
    let state = h.state.clone();
    let first = tokio::spawn(async move { run_import(&state).await });
    started_rx.await.unwrap();
    assert_eq!(
        run_import(&h.state).await,
        None,
        "a second import overlapped"
    );
    assert!(matches!(first.await.unwrap(), Some(Ok(_))));
}
