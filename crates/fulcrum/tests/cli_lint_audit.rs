//! `fulcrum lint` and `fulcrum audit` end to end: exit codes (0 clean, 1 a
//! finding at or above `--deny`, 2 unreadable input) and both formats, on
//! `test_data/ics/lint/` and `test_data/ics/audit/` (expectations worked
//! out in `crates/fulcrum-app/tests/lint_audit.rs`).

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fulcrum(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fulcrum"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

const CHECKLIST: &str = "test_data/ics/lint/checklist.ics";
const CLEAN: &str = "test_data/ics/lint/clean.ics";
const WEEK: [&str; 4] = ["--from", "2024-09-02", "--to", "2024-09-08"];

#[test]
fn lint_clean_exits_0() {
    let out = fulcrum(&[&["lint", CLEAN][..], &WEEK].concat());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("1 meeting(s)"));
}

#[test]
fn lint_text_reads_like_rustc_and_exits_1() {
    let out = fulcrum(&[&["lint", CHECKLIST][..], &WEEK].concat());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "warning[missing_outcome]: no desired outcome stated\n  --> test_data/ics/lint/checklist.ics:4\n   = meeting: 2024-09-02 10:00 \"Vendor decision\" (uid decision-1)\n   = help: "
        ),
        "{text}"
    );
    assert!(text.contains("note: rule skipped: outside_working_hours"));
    assert!(
        text.contains("0 error(s), 6 warning(s), 1 note(s)"),
        "{text}"
    );
}

#[test]
fn lint_deny_error_passes_warnings() {
    let out = fulcrum(&[&["lint", CHECKLIST, "--deny", "error"][..], &WEEK].concat());
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn lint_json_has_one_object_per_finding() {
    let out = fulcrum(&[&["lint", CHECKLIST, "--format", "json"][..], &WEEK].concat());
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 7);
    let first = &items[0];
    for key in [
        "rule", "severity", "file", "line", "uid", "start", "message", "help",
    ] {
        assert!(first.get(key).is_some(), "{key} missing in {first}");
    }
    assert_eq!(first["rule"], "missing_outcome");
    assert_eq!(first["line"], 4);
    assert_eq!(first["start"], "2024-09-02T10:00:00+00:00");
}

#[test]
fn lint_unreadable_exits_2() {
    let out = fulcrum(&[&["lint", "test_data/ics/lint/missing.ics"][..], &WEEK].concat());
    assert_eq!(out.status.code(), Some(2));
    // One readable file and one missing: findings printed, still 2.
    let out = fulcrum(
        &[
            &["lint", CLEAN, "test_data/ics/lint/missing.ics"][..],
            &WEEK,
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn lint_bad_window_and_unknown_person_exit_2() {
    let out = fulcrum(&["lint", CLEAN, "--from", "2024-09-08", "--to", "2024-09-02"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is after"));
    let out = fulcrum(
        &[
            &["lint", "test_data/ics/lint/ws", "--person", "zed@acme.com"][..],
            &WEEK,
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("zed@acme.com"));
}

#[test]
fn audit_formats() {
    let window = ["--from", "2024-09-02", "--to", "2024-09-23"];
    let file = "test_data/ics/audit/series.ics";
    let text = fulcrum(&[&["audit", file][..], &window].concat());
    assert_eq!(text.status.code(), Some(0));
    let t = stdout(&text);
    assert!(
        t.contains("Weekly status") && t.contains("make_async") && t.contains("cancel"),
        "{t}"
    );

    let csv = fulcrum(&[&["audit", file, "--format", "csv"][..], &window].concat());
    let c = stdout(&csv);
    let lines: Vec<&str> = c.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1].starts_with("status-1,Weekly status,ana@acme.com,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains(",8.50,"));

    let json = fulcrum(&[&["audit", file, "--format", "json"][..], &window].concat());
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v[1]["uid"], "planning-1");
    assert_eq!(v[1]["recommendation"], "cancel");
    assert_eq!(v[0]["occurrences"], 4);

    let bad = fulcrum(&[&["audit", "test_data/ics/audit/missing.ics"][..], &window].concat());
    assert_eq!(bad.status.code(), Some(2));
}
