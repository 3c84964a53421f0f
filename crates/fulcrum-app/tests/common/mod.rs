//! What the app's store tests share.

#![allow(dead_code)] // Each test binary uses its own part.

use std::sync::atomic::{AtomicU32, Ordering};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A fresh PostgreSQL database named after `prefix` on the server of
/// FULCRUM_TEST_DATABASE_URL; its URL.
pub fn fresh_postgres(prefix: &str) -> String {
    let admin = std::env::var("FULCRUM_TEST_DATABASE_URL").expect(
        "set FULCRUM_TEST_DATABASE_URL to a PostgreSQL URL whose role may create databases \
         (scripts/test does this)",
    );
    let name = format!(
        "{prefix}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let status = std::process::Command::new("psql")
        .args([&admin, "-q", "-c", &format!("CREATE DATABASE {name}")])
        .status()
        .expect("psql (the PostgreSQL client) must be installed");
    assert!(status.success(), "cannot create database {name}");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    format!("{base}/{name}")
}
