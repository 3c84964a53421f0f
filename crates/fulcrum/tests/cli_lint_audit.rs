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
    assert!(
        stdout(&out).ends_with("1 meeting checked (1 one-off): 0 errors, 0 warnings, 0 notes\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn lint_text_reads_like_rustc_and_exits_1() {
    let out = fulcrum(&[&["lint", CHECKLIST][..], &WEEK].concat());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "warning[missing_outcome]: no desired outcome stated\n  --> test_data/ics/lint/checklist.ics:4\n   = meeting: 2024-09-02 10:00 \"Vendor decision\" (id 5336c372)\n   = help: "
        ),
        "{text}"
    );
    assert!(text.contains("note: rule skipped: outside_working_hours"));
    assert!(text.contains("0 errors, 6 warnings, 1 note\n"), "{text}");
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
    assert_eq!(v["tool"], "lint");
    assert_eq!(v["version"], 1);
    assert_eq!(v["window"]["from"], "2024-09-02");
    let items = v["findings"].as_array().unwrap();
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
        lines[1].contains(",status-1,Weekly status,ana@acme.com,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains(",8.50,"));

    let json = fulcrum(&[&["audit", file, "--format", "json"][..], &window].concat());
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["tool"], "audit");
    assert_eq!(v["series"][1]["uid"], "planning-1");
    assert_eq!(v["series"][1]["recommendation"], "cancel");
    assert_eq!(v["series"][0]["occurrences"], 4);

    let bad = fulcrum(&[&["audit", "test_data/ics/audit/missing.ics"][..], &window].concat());
    assert_eq!(bad.status.code(), Some(2));
}

const INVITE: &str = "test_data/ics/lint/invite.ics";

#[test]
fn lint_an_upcoming_invite_without_dates() {
    // Today (10 Jan 2025) is before every event of the file; all of it is
    // checked, and the window says so (expectations in
    // crates/fulcrum-app/tests/lint_audit.rs).
    let out = fulcrum(&["lint", INVITE, "--as-of", "2025-01-10"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("window 2025-02-03 to 2025-02-25 (every event in the files)"),
        "{err}"
    );
    let text = stdout(&out);
    assert!(
        text.contains("   = occurrences: 4, the last on 2025-02-25 10:00\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "by rule:\n  missing_agenda   warning  2 findings, 5 occurrences\n  missing_outcome  warning  1 finding, 1 occurrence\n  over_timebox     warning  1 finding, 1 occurrence\n"
        ),
        "{text}"
    );
    assert!(
        text.ends_with(
            "5 meetings checked (4 occurrences of 1 series, 1 one-off): 0 errors, 4 warnings, 0 notes\n"
        ),
        "{text}"
    );
}

#[test]
fn lint_rule_and_allow_filters() {
    let out = fulcrum(&["lint", INVITE, "--rule", "over_timebox", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["over_timebox"]);
    assert_eq!(v["by_rule"][0]["occurrences"], 1);
    // Allowing the three rules that fire leaves a clean run: exit 0.
    let out = fulcrum(&[
        "lint",
        INVITE,
        "--allow",
        "missing_agenda",
        "--allow",
        "missing_outcome",
        "--allow",
        "over_timebox",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = fulcrum(&["lint", INVITE, "--allow", "agenda"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--allow \"agenda\": no such rule"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn audit_shows_id_organizer_and_team_and_narrows_by_team() {
    // test_data/moves: the weekly sync, organized by Ana of team "core",
    // Mondays 5 May to 21 July 2025 (12 instances); 5 to 26 May holds 4.
    let ws = "test_data/moves";
    let window = ["--from", "2025-05-05", "--to", "2025-05-26"];
    let text = stdout(&fulcrum(&[&["audit", ws][..], &window].concat()));
    let row = text.lines().nth(1).unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[0].len(), 8, "{text}");
    assert!(text.starts_with("ID        SERIES"), "{text}");
    assert_eq!(
        &cells[1..6],
        ["Weekly", "sync", "Ana", "core", "4"],
        "{text}"
    );
    let out = fulcrum(
        &[
            &["audit", ws, "--team", "core", "--format", "json"][..],
            &window,
        ]
        .concat(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["series"][0]["id"], cells[0]);
    assert_eq!(v["series"][0]["organizer_name"], "Ana");
    assert_eq!(v["series"][0]["team"], "core");
    let none = fulcrum(&[&["audit", ws, "--team", "nope"][..], &window].concat());
    assert_eq!(none.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&none.stderr)
            .contains("no team \"nope\" in the workspace (teams: core)")
    );
}
