//! `fulcrum ics expand` end to end: the documented contract (output shape,
//! sorting, flags, exit codes), run on the bundled sample calendars.
//!
//! Expected counts, worked out by hand from test_data/ics:
//! - sample-google.ics, January 2024: the standup runs on weekdays from
//!   Tue 2 Jan: 4 + 5 + 5 + 5 + 3 = 22 weekdays to the 31st, minus the
//!   EXDATE on 5 Jan = 21 (the 10 Jan instance is moved, not removed); the
//!   1:1 on Thursdays 4, 11, 18, 25 = 4; one out-of-office block, one
//!   ad-hoc sync, one vendor demo = 3. Total 28.
//! - sample-outlook.ics: Mondays 8, 15, 22, 29 Jan, the 22nd cancelled = 3,
//!   plus one vacation block = 4.

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

fn jsonl(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const GOOGLE: &str = "test_data/ics/sample-google.ics";
const OUTLOOK: &str = "test_data/ics/sample-outlook.ics";

#[test]
fn expands_both_dialects_sorted_with_the_documented_shape() {
    let out = fulcrum(&[
        "ics",
        "expand",
        GOOGLE,
        OUTLOOK,
        "--from",
        "2024-01-01",
        "--to",
        "2024-02-01",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = jsonl(&out);
    assert_eq!(rows.len(), 28 + 4);
    // Keys in the documented order.
    let first_line = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_owned();
    let keys: Vec<usize> = [
        "\"uid\"",
        "\"recurrence_id\"",
        "\"start\"",
        "\"end\"",
        "\"summary\"",
        "\"status\"",
    ]
    .iter()
    .map(|k| first_line.find(k).unwrap())
    .collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{first_line}");
    // The moved standup: recurrence id 09:30, start 11:00, Berlin time.
    let moved = rows
        .iter()
        .find(|r| r["start"] == "2024-01-10T11:00:00+01:00")
        .unwrap();
    assert_eq!(moved["recurrence_id"], "2024-01-10T09:30:00+01:00");
    assert_eq!(moved["end"], "2024-01-10T11:15:00+01:00");
    // Exchange's "Eastern Standard Time" with its 1601 rules: 10:00 EST.
    assert!(
        rows.iter().any(
            |r| r["start"] == "2024-01-08T10:00:00-05:00" && r["summary"] == "Engineering sync"
        )
    );
    // All-day values are dates; one-offs have no recurrence id.
    let vacation = rows.iter().find(|r| r["summary"] == "Vacation").unwrap();
    assert_eq!(
        (vacation["start"].as_str(), vacation["end"].as_str()),
        (Some("2024-01-29"), Some("2024-02-01"))
    );
    assert!(vacation["recurrence_id"].is_null());
    // Sorted by start instant: 09:30+01:00 (08:30Z) on 8 Jan comes before
    // 10:00-05:00 (15:00Z) the same day.
    let pos = |s: &str| rows.iter().position(|r| r["start"] == s).unwrap();
    assert!(pos("2024-01-08T09:30:00+01:00") < pos("2024-01-08T10:00:00-05:00"));
    // No cancelled instance without --include-cancelled.
    assert!(rows.iter().all(|r| r["status"] != "CANCELLED"));
}

#[test]
fn include_cancelled_keeps_the_cancelled_instance() {
    let out = fulcrum(&[
        "ics",
        "expand",
        OUTLOOK,
        "--from",
        "2024-01-01",
        "--to",
        "2024-02-01",
        "--include-cancelled",
    ]);
    let rows = jsonl(&out);
    assert_eq!(rows.len(), 5);
    let cancelled = rows.iter().find(|r| r["status"] == "CANCELLED").unwrap();
    assert_eq!(cancelled["start"], "2024-01-22T10:00:00-05:00");
}

#[test]
fn x_wr_timezone_can_be_turned_off() {
    // The 1:1 is written as 14:00Z; the calendar's X-WR-TIMEZONE is Berlin.
    let with = fulcrum(&[
        "ics",
        "expand",
        GOOGLE,
        "--from",
        "2024-01-04",
        "--to",
        "2024-01-05",
    ]);
    let without = fulcrum(&[
        "ics",
        "expand",
        GOOGLE,
        "--from",
        "2024-01-04",
        "--to",
        "2024-01-05",
        "--no-x-wr-timezone",
    ]);
    let one = |o: &Output| {
        jsonl(o)
            .into_iter()
            .find(|r| r["summary"] == "Ana / Dana 1:1")
            .unwrap()["start"]
            .clone()
    };
    assert_eq!(one(&with), "2024-01-04T15:00:00+01:00");
    assert_eq!(one(&without), "2024-01-04T14:00:00+00:00");
}

#[test]
fn unreadable_file_exits_2_but_prints_the_rest() {
    let out = fulcrum(&[
        "ics",
        "expand",
        OUTLOOK,
        "no/such/file.ics",
        "--from",
        "2024-01-01",
        "--to",
        "2024-02-01",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(jsonl(&out).len(), 4);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: ") && stderr.contains("; file skipped\n  --> no/such/file.ics"),
        "{stderr}"
    );
}

#[test]
fn strict_turns_warnings_into_exit_1() {
    let dir = std::env::temp_dir().join(format!("fulcrum-strict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("unknown-zone.ics");
    std::fs::write(
        &file,
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;TZID=Atlantis/Capital:20240102T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let lenient = fulcrum(&[
        "ics",
        "expand",
        path,
        "--from",
        "2024-01-01",
        "--to",
        "2024-02-01",
    ]);
    let strict = fulcrum(&[
        "ics",
        "expand",
        path,
        "--from",
        "2024-01-01",
        "--to",
        "2024-02-01",
        "--strict",
    ]);
    assert_eq!(lenient.status.code(), Some(0));
    assert_eq!(strict.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(
        stderr.contains("warning: time zone `Atlantis/Capital`")
            && stderr.contains("  --> ")
            && stderr.contains("unknown-zone.ics:2\n"),
        "{stderr}"
    );
    assert!(stderr.contains("  = help: "), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_window_is_a_clear_error() {
    let out = fulcrum(&[
        "ics",
        "expand",
        GOOGLE,
        "--from",
        "January",
        "--to",
        "2024-02-01",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("reading --from") && stderr.contains("`January` is not a date"),
        "{stderr}"
    );
}

#[test]
fn table_format_counts_occurrences() {
    let out = fulcrum(&[
        "ics",
        "expand",
        GOOGLE,
        "--from",
        "2024-01-01",
        "--to",
        "2024-02-01",
        "--format",
        "table",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("START"));
    assert!(text.trim_end().ends_with("28 occurrence(s)"), "{text}");
}

#[test]
fn without_dates_the_window_is_the_files_own_span() {
    // test_data/ics/lint/invite.ics: a kickoff on 3 Feb 2025 and a retro on
    // the four Tuesdays 4 to 25 Feb: five occurrences, window 3 to 26 Feb
    // (the end exclusive), said on stderr.
    let out = fulcrum(&["ics", "expand", "test_data/ics/lint/invite.ics"]);
    assert_eq!(out.status.code(), Some(0));
    let rows = jsonl(&out);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0]["start"], "2025-02-03T15:00:00+00:00");
    assert_eq!(rows[4]["start"], "2025-02-25T10:00:00+00:00");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("window 2025-02-03 to 2025-02-26 (exclusive): the span of the files' events"),
        "{err}"
    );
    // Only --from: up to the end of the span.
    let out = fulcrum(&[
        "ics",
        "expand",
        "test_data/ics/lint/invite.ics",
        "--from",
        "2025-02-10",
    ]);
    assert_eq!(jsonl(&out).len(), 3);
}
