//! `fulcrum notify send` end to end on a demo workspace and its store: the
//! `[notify]` settings are read (a password variable that is not set is an
//! error naming it), `--now` is parsed, and a store with nothing waiting
//! on anyone has no digest due. The digest itself, sent to a real SMTP
//! server, is tested in `crates/fulcrum-server/tests/notify.rs`.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fulcrum(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fulcrum"))
        .current_dir(dir)
        .env_remove("FULCRUM_TEST_SMTP_UNSET")
        .env_remove("FULCRUM_DATABASE_URL")
        .env_remove("FULCRUM_WORKSPACE")
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> (Option<i32>, String, String) {
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn demo(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let (code, _, err) = text(&fulcrum(
        &root,
        &["demo", "--out", "demo", "--people", "8", "--weeks", "2"],
    ));
    assert_eq!(code, Some(0), "{err}");
    root.join("demo")
}

#[test]
fn notify_send_reads_its_settings_and_sends_nothing_when_nothing_waits() {
    let ws = demo("cli-notify");
    let (code, _, err) = text(&fulcrum(&ws, &["import"]));
    assert_eq!(code, Some(0), "{err}");
    let toml = std::fs::read_to_string(ws.join("fulcrum.toml")).unwrap();
    // An account whose password variable is not set: exit 2, named.
    std::fs::write(
        ws.join("fulcrum.toml"),
        format!(
            "{toml}\n[notify]\nhost = \"smtp.example.com\"\nfrom = \"fulcrum@example.com\"\nusername = \"fulcrum\"\npassword_env = \"FULCRUM_TEST_SMTP_UNSET\"\n"
        ),
    )
    .unwrap();
    let (code, _, err) = text(&fulcrum(&ws, &["notify", "send", "--dry-run"]));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("FULCRUM_TEST_SMTP_UNSET"), "{err}");
    // A server on this machine without an account.
    std::fs::write(
        ws.join("fulcrum.toml"),
        format!(
            "{toml}\n[notify]\nhost = \"127.0.0.1\"\nport = 2525\nstarttls = false\nfrom = \"fulcrum@example.com\"\n"
        ),
    )
    .unwrap();
    let (code, _, err) = text(&fulcrum(
        &ws,
        &["notify", "send", "--now", "yesterday", "--dry-run"],
    ));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("RFC 3339"), "{err}");
    // Monday 7 December 2026, 10:00 UTC: working time for most of the
    // demo, but the store holds no ask, proposal, meeting record or
    // incident, so nothing waits on anyone and no digest is due (nor
    // sent: nothing listens on port 2525).
    let (code, out, err) = text(&fulcrum(
        &ws,
        &[
            "notify",
            "send",
            "--now",
            "2026-12-07T10:00:00Z",
            "--dry-run",
        ],
    ));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.trim(), "0 digest(s) due at 2026-12-07 10:00:00 UTC");
    let (code, out, err) = text(&fulcrum(
        &ws,
        &["notify", "send", "--now", "2026-12-07T10:00:00Z"],
    ));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.trim(), "0 digest(s) due, 0 sent, 0 failed");
}
