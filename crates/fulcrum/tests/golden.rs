//! Golden (snapshot) tests of every renderer: the built `fulcrum` binary run
//! on the small fixed workspace `test_data/golden/` (its README says what is
//! planted in it), each output compared byte for byte with a reviewed file in
//! `crates/fulcrum/tests/golden/`. Field-by-field assertions miss layout
//! regressions; one snapshot per format catches them.
//!
//! Covered: `report` as term (piped, so without colour), JSON, CSV and HTML,
//! with `--person` (term) and `--individuals --pseudonymize` (CSV), each with
//! the fixture's three experiments (one judged in the window, one running
//! past the data, one outside the window); `lint`
//! (text on one calendar, JSON on the workspace); `audit` (text, CSV,
//! JSON); `focus` (its text and the `.ics` files it writes); `overlap`
//! (text, JSON); `rotate` (table, CSV, ICS); `route` (text, JSON).
//!
//! Nothing depends on the machine or the date: every command gets an
//! explicit window, `FULCRUM_REPORT_KEY` is fixed (stable title hashes and
//! pseudonyms), and before comparing
//! - the path of the temporary copy of the workspace becomes `[WORKSPACE]`
//!   (the commands run inside it and mostly print relative paths, but a path
//!   could reach the output through a problem line);
//! - in `.ics` output, `DTSTAMP` (the time the file was written, RFC 5545
//!   3.8.7.2) becomes `DTSTAMP:[NOW]`, and CRLF line ends become LF after the
//!   test has checked that every line ends in CRLF, so a checkout that
//!   rewrites line ends cannot break the comparison.
//!
//! No version string or generated time appears in the other outputs; should
//! one appear, the snapshot fails and shows it.
//!
//! Re-blessing: after a deliberate change, run
//! `FULCRUM_BLESS=1 cargo test -p fulcrum --test golden`, which writes the
//! golden files instead of comparing, then review `git diff` of
//! `crates/fulcrum/tests/golden/` line by line before committing. Without
//! it, a mismatch fails with a short unified-style diff of the first
//! differing lines, the full output is left under the target directory's
//! `tmp/golden-actual/` and the message repeats the command to re-bless.
//!
//! Snapshots alone would freeze whatever the code printed when they were
//! blessed, right or wrong. So figures worked out by hand from the fixture
//! are also asserted here, and every run checks that no chat message text
//! (the marker `PURPLE-OTTER-7431` is in every message) reaches any output.

#![allow(clippy::unwrap_used)] // Tests: a panic is a failed test with its location.

mod common;

use common::copy_dir;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The window of every command: 2025-W06 and 2025-W07.
const FROM: &str = "2025-02-03";
const TO: &str = "2025-02-16";
/// A fixed workspace key, so title hashes and pseudonyms are stable.
const KEY: &str = "000102030405060708090a0b0c0d0e0f";
/// In every Slack message of the fixture; never in any output.
const MESSAGE_MARKER: &str = "PURPLE-OTTER-7431";

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/golden")
}

/// A fresh copy of `test_data/golden` for this run of the tests: commands
/// run inside it, and `focus --out` writes into it, never into the source
/// tree.
fn workspace() -> &'static Path {
    static WS: OnceLock<PathBuf> = OnceLock::new();
    WS.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("golden-workspace");
        let _ = std::fs::remove_dir_all(&root);
        copy_dir(&fixture(), &root);
        root
    })
}

/// One command's output, already checked for message text.
struct Run {
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

/// Runs `fulcrum ARGS` inside the workspace copy, stdout and stderr piped.
fn fulcrum(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_fulcrum"))
        .current_dir(workspace())
        .env("FULCRUM_REPORT_KEY", KEY)
        .args(args)
        .output()
        .unwrap();
    let run = Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
    };
    // Architecture invariant: message text never leaves the function that
    // reads it. Checked on every command of this file.
    assert!(
        !run.stdout.contains(MESSAGE_MARKER) && !run.stderr.contains(MESSAGE_MARKER),
        "chat message text in the output of fulcrum {args:?}"
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// `fulcrum ARGS`, which must exit with `code`; its standard output.
fn stdout_of(args: &[&str], code: i32) -> String {
    let run = fulcrum(args);
    assert_eq!(
        run.code,
        Some(code),
        "fulcrum {args:?}\nstderr: {}\nstdout: {}",
        run.stderr,
        run.stdout
    );
    run.stdout
}

/// Replaces the workspace copy's path (as given and canonical) by a
/// placeholder.
fn without_paths(text: &str) -> String {
    let ws = workspace();
    let mut out = text.to_owned();
    let mut paths = vec![ws.display().to_string()];
    if let Ok(canonical) = ws.canonicalize() {
        paths.push(canonical.display().to_string());
    }
    // The longer first, so a canonical path that extends the given one is
    // replaced whole.
    paths.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for p in paths {
        out = out.replace(&p, "[WORKSPACE]");
    }
    out
}

/// An `.ics` text as compared: every line must end in CRLF (RFC 5545 3.1);
/// then LF line ends and `DTSTAMP` (the time of writing) as a placeholder.
fn normalized_ics(text: &str) -> String {
    assert!(text.ends_with("\r\n"), "iCalendar output must end in CRLF");
    let lines: Vec<&str> = text.split("\r\n").collect();
    for line in &lines {
        assert!(
            !line.contains('\n'),
            "a bare LF in iCalendar output: {line:?}"
        );
    }
    let mut out = String::new();
    for line in &lines[..lines.len() - 1] {
        if line.starts_with("DTSTAMP:") {
            out.push_str("DTSTAMP:[NOW]");
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    without_paths(&out)
}

fn blessing() -> bool {
    std::env::var_os("FULCRUM_BLESS").is_some_and(|v| v == "1")
}

/// Compares `actual` with the golden file `name`, or writes it when
/// blessing.
fn check(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if blessing() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let bless = "FULCRUM_BLESS=1 cargo test -p fulcrum --test golden";
    let Ok(expected) = std::fs::read_to_string(&path) else {
        panic!("no golden file {name}; write it with `{bless}` and review it");
    };
    if expected == actual {
        return;
    }
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("golden-actual")
        .join(name);
    std::fs::create_dir_all(kept.parent().unwrap()).unwrap();
    std::fs::write(&kept, actual).unwrap();
    panic!(
        "{name} differs from its golden file:\n{}\nfull output: {}\n\
         if the change is intended, re-bless with `{bless}` and review the diff",
        diff(name, &expected, actual),
        kept.display()
    );
}

/// A short unified-style diff: the lines between the first and the last
/// difference (at most 12 on each side), with 3 lines of context. Long
/// lines (the HTML) are cut to a window around their first differing
/// character.
fn diff(name: &str, expected: &str, actual: &str) -> String {
    const CONTEXT: usize = 3;
    const MAX: usize = 12;
    let e: Vec<&str> = expected.split('\n').collect();
    let a: Vec<&str> = actual.split('\n').collect();
    let prefix = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let suffix = e[prefix..]
        .iter()
        .rev()
        .zip(a[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let removed = &e[prefix..e.len() - suffix];
    let added = &a[prefix..a.len() - suffix];
    let start = prefix.saturating_sub(CONTEXT);
    let mut out = format!(
        "--- golden/{name}\n+++ actual\n@@ -{},{} +{},{} @@\n",
        prefix + 1,
        removed.len(),
        prefix + 1,
        added.len()
    );
    for line in &e[start..prefix] {
        out += &format!(" {}\n", clip(line, 0));
    }
    for (i, line) in removed.iter().take(MAX).enumerate() {
        out += &format!("-{}\n", clip(line, first_difference(line, added.get(i))));
    }
    if removed.len() > MAX {
        out += &format!("-... {} more lines\n", removed.len() - MAX);
    }
    for (i, line) in added.iter().take(MAX).enumerate() {
        out += &format!("+{}\n", clip(line, first_difference(line, removed.get(i))));
    }
    if added.len() > MAX {
        out += &format!("+... {} more lines\n", added.len() - MAX);
    }
    for line in e[e.len() - suffix..].iter().take(CONTEXT) {
        out += &format!(" {}\n", clip(line, 0));
    }
    out
}

/// The character index at which two lines part.
fn first_difference(line: &str, other: Option<&&str>) -> usize {
    let other = other.copied().unwrap_or_default();
    line.chars()
        .zip(other.chars())
        .take_while(|(x, y)| x == y)
        .count()
}

/// At most 160 characters of `line`, starting a little before `at`.
fn clip(line: &str, at: usize) -> String {
    const WIDTH: usize = 160;
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= WIDTH {
        return line.to_owned();
    }
    let from = at.saturating_sub(40).min(chars.len() - WIDTH);
    let body: String = chars[from..from + WIDTH].iter().collect();
    let head = if from > 0 { "…" } else { "" };
    let tail = if from + WIDTH < chars.len() {
        "…"
    } else {
        ""
    };
    format!("{head}{body}{tail}")
}

fn with_window<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--from", FROM, "--to", TO]);
    all
}

// ---------------------------------------------------------------- report

#[test]
fn report_term() {
    // Piped, so plain text without colour codes.
    let out = stdout_of(&with_window(&["report", "."]), 0);
    assert!(!out.contains('\u{1b}'), "colour codes in piped output");
    check("report.term.txt", &without_paths(&out));
}

#[test]
fn report_json() {
    let out = stdout_of(&with_window(&["report", ".", "--format", "json"]), 0);
    check("report.json", &without_paths(&out));
}

#[test]
fn report_csv() {
    let out = stdout_of(&with_window(&["report", ".", "--format", "csv"]), 0);
    check("report.csv", &without_paths(&out));
}

#[test]
fn report_html() {
    let out = stdout_of(&with_window(&["report", ".", "--format", "html"]), 0);
    check("report.html", &without_paths(&out));
}

#[test]
fn report_term_for_one_person() {
    let out = stdout_of(
        &with_window(&["report", ".", "--person", "dana@harbor.example"]),
        0,
    );
    check("report-person.term.txt", &without_paths(&out));
}

#[test]
fn report_csv_with_every_person_pseudonymized() {
    let args = [
        "report",
        ".",
        "--individuals",
        "--pseudonymize",
        "--format",
        "csv",
    ];
    let out = stdout_of(&with_window(&args), 0);
    // Pseudonyms replace every name and email (docs/report.md, "Privacy").
    for name in ["harbor.example", "Dana", "Kim", "Fatima", "Ivan"] {
        assert!(!out.contains(name), "{name} in pseudonymized output");
    }
    assert_eq!(out.matches(",person-").count(), 20, "ten people, two weeks");
    check("report-individuals-pseudonymized.csv", &without_paths(&out));
}

// ---------------------------------------------------------------- lint, audit

#[test]
fn lint_one_calendar_as_text() {
    // Exit code 1: warnings are at the default --deny level.
    let out = stdout_of(&with_window(&["lint", "calendars/fatima.ics"]), 1);
    check("lint-calendar.txt", &without_paths(&out));
}

#[test]
fn lint_the_workspace_as_json() {
    let out = stdout_of(&with_window(&["lint", ".", "--format", "json"]), 1);
    check("lint-workspace.json", &without_paths(&out));
}

#[test]
fn audit_text() {
    let out = stdout_of(&with_window(&["audit", "."]), 0);
    check("audit.txt", &without_paths(&out));
}

#[test]
fn audit_csv() {
    let out = stdout_of(&with_window(&["audit", ".", "--format", "csv"]), 0);
    check("audit.csv", &without_paths(&out));
}

#[test]
fn audit_json() {
    let out = stdout_of(&with_window(&["audit", ".", "--format", "json"]), 0);
    check("audit.json", &without_paths(&out));
}

// ---------------------------------------------------------------- moves

#[test]
fn focus_text_and_the_ics_files_it_writes() {
    let dir = workspace().join("focus-out");
    let _ = std::fs::remove_dir_all(&dir);
    let out = stdout_of(
        &[
            "focus",
            ".",
            "--person",
            "fatima@harbor.example",
            "--person",
            "ivan@harbor.example",
            "--from",
            "2025-02-11",
            "--to",
            "2025-02-12",
            "--out",
            "focus-out",
        ],
        0,
    );
    check("focus.txt", &without_paths(&out));
    let mut written: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "fatima@harbor.example.focus.ics",
            "ivan@harbor.example.focus.ics"
        ]
    );
    for (file, golden) in [
        ("fatima@harbor.example.focus.ics", "focus-fatima.ics"),
        ("ivan@harbor.example.focus.ics", "focus-ivan.ics"),
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(!text.contains(MESSAGE_MARKER));
        check(golden, &normalized_ics(&text));
    }
}

#[test]
fn overlap_text_across_both_dst_changes() {
    // The US moves its clocks on 9 March 2025, the EU on 30 March: three
    // periods (docs/moves.md, "overlap").
    let out = stdout_of(
        &[
            "overlap",
            ".",
            "--team",
            "mobile",
            "--from",
            "2025-03-03",
            "--to",
            "2025-04-04",
        ],
        0,
    );
    check("overlap.txt", &without_paths(&out));
}

#[test]
fn overlap_json() {
    let out = stdout_of(
        &[
            "overlap",
            ".",
            "--team",
            "mobile",
            "--from",
            "2025-02-10",
            "--to",
            "2025-02-14",
            "--format",
            "json",
        ],
        0,
    );
    check("overlap.json", &without_paths(&out));
}

const ROTATE: [&str; 8] = [
    "rotate",
    ".",
    "--series",
    "Mobile sync",
    "--from",
    "2025-02-11",
    "-n",
    "4",
];

#[test]
fn rotate_table() {
    let out = stdout_of(&ROTATE, 0);
    check("rotate.txt", &without_paths(&out));
}

#[test]
fn rotate_csv() {
    let mut args = ROTATE.to_vec();
    args.extend_from_slice(&["--format", "csv"]);
    check("rotate.csv", &without_paths(&stdout_of(&args, 0)));
}

#[test]
fn rotate_ics() {
    let mut args = ROTATE.to_vec();
    args.extend_from_slice(&["--format", "ics"]);
    check("rotate.ics", &normalized_ics(&stdout_of(&args, 0)));
}

/// Friday 16:00 in Berlin, one hour before the end of the working day.
const ASKED_AT: &str = "2025-02-07T16:00:00+01:00";

#[test]
fn route_text() {
    let args = [
        "route",
        ".",
        "--type",
        "vendor-choice",
        "--asked-at",
        ASKED_AT,
        "--person",
        "fatima@harbor.example",
    ];
    check("route.txt", &without_paths(&stdout_of(&args, 0)));
}

#[test]
fn route_json_with_a_warning() {
    // Exit code 1: --urgency high contradicts the `status` type's policy.
    let args = [
        "route",
        ".",
        "--type",
        "status",
        "--urgency",
        "high",
        "--asked-at",
        ASKED_AT,
        "--person",
        "ivan@harbor.example",
        "--format",
        "json",
    ];
    check("route-warning.json", &without_paths(&stdout_of(&args, 1)));
}

// ---------------------------------------------------------------- the snapshots as a whole

#[test]
fn every_golden_file_belongs_to_a_test() {
    // A renamed case must not leave its old snapshot behind, unreviewed.
    let known = [
        "README.md",
        "report.term.txt",
        "report.json",
        "report.csv",
        "report.html",
        "report-person.term.txt",
        "report-individuals-pseudonymized.csv",
        "lint-calendar.txt",
        "lint-workspace.json",
        "audit.txt",
        "audit.csv",
        "audit.json",
        "focus.txt",
        "focus-fatima.ics",
        "focus-ivan.ics",
        "overlap.txt",
        "overlap.json",
        "rotate.txt",
        "rotate.csv",
        "rotate.ics",
        "route.txt",
        "route-warning.json",
    ];
    if blessing() {
        return;
    }
    for entry in std::fs::read_dir(golden_dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(known.contains(&name.as_str()), "stale golden file {name}");
    }
}

#[test]
fn the_message_marker_is_in_the_fixture() {
    // Otherwise the privacy assertion on every run could not fail.
    let day = fixture().join("chat/slack-export/mobile/2025-02-03.json");
    let text = std::fs::read_to_string(day).unwrap();
    assert!(text.contains(MESSAGE_MARKER));
}

#[test]
fn the_report_is_the_same_on_one_thread_and_on_many() {
    // Architecture invariant: parallel work never changes a result.
    let args = with_window(&["report", ".", "--format", "json"]);
    let mut one = vec!["--jobs", "1"];
    one.extend_from_slice(&args);
    let mut four = vec!["--jobs", "4"];
    four.extend_from_slice(&args);
    let one = stdout_of(&one, 0);
    assert_eq!(one, stdout_of(&four, 0), "--jobs 1 and --jobs 4 differ");
    check("report.json", &without_paths(&one));
}

// ---------------------------------------------------------------- figures worked out by hand

fn json(args: &[&str], code: i32) -> serde_json::Value {
    serde_json::from_str(&stdout_of(args, code)).unwrap()
}

fn approx(value: &serde_json::Value, expected: f64, what: &str) {
    let got = value
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {value} is no number"));
    assert!(
        (got - expected).abs() < 1e-6,
        "{what}: {got}, expected {expected}"
    );
}

fn team_week<'a>(report: &'a serde_json::Value, team: &str, week: &str) -> &'a serde_json::Value {
    let t = report["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == team)
        .unwrap();
    let w = t["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["week"] == week)
        .unwrap();
    &w["signals"]
}

fn finding<'a>(report: &'a serde_json::Value, team: &str, id: &str) -> &'a serde_json::Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["team"] == team && f["id"] == id)
        .unwrap_or_else(|| panic!("{team}: no finding {id}"))
}

#[test]
fn the_planted_patterns_fire_and_nothing_else() {
    let report = json(&with_window(&["report", ".", "--format", "json"]), 0);
    let mut fired: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["team"].as_str().unwrap().to_owned(),
                f["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    fired.sort();
    let expected = [
        // Berlin mornings reach New York at night (late_night_pings); three
        // huddles a week booked the same day, without a description.
        ("mobile", "huddles_after_surprises"),
        ("mobile", "late_night_pings"),
        ("mobile", "meetings_clear_small_blockers"),
        ("mobile", "meetings_without_artifacts"),
        // 20 h of recurring meetings in a 40 h week, most organized by Ana.
        ("platform", "meeting_overload"),
        ("platform", "one_person_controls_sync_time"),
        ("platform", "recurring_sprawl"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(t, i)| (t.to_string(), i.to_string()))
        .collect();
    assert_eq!(fired, expected);
    // Without --person or --individuals the top organizer is not named.
    let top =
        &finding(&report, "platform", "one_person_controls_sync_time")["evidence"]["top_organizer"];
    assert!(!top.as_str().unwrap().contains("Ana"), "{top}");
}

#[test]
fn report_figures_worked_out_by_hand() {
    let report = json(&with_window(&["report", ".", "--format", "json"]), 0);

    // Platform meeting hours. Every member has the five series: standup
    // 5 x 0.5 h, planning 2 x 2 h, architecture review 2 x 3 h, design sync
    // 2 x 2 h, ops review 3.5 h = 20 h. W06: the 30-minute go/no-go adds
    // 0.5 h for Ben, Chen and Dana: 20 + 20.5 x 3 + 20 = 101.5 h, median
    // 20.5. W07: the 30-minute quick sync adds 0.5 h for Ana and Chen; Dana
    // declined Friday's standup and ops review (4 h): 20.5 + 20 + 20.5 + 16
    // + 20 = 97 h, median 20.
    let w06 = team_week(&report, "platform", "2025-W06");
    let w07 = team_week(&report, "platform", "2025-W07");
    approx(
        &w06["meeting_hours"]["total"],
        101.5,
        "platform W06 meeting hours",
    );
    approx(&w06["meeting_hours"]["value"], 20.5, "platform W06 median");
    approx(
        &w07["meeting_hours"]["total"],
        97.0,
        "platform W07 meeting hours",
    );
    approx(&w07["meeting_hours"]["value"], 20.0, "platform W07 median");

    // meeting_share: W06 members 20/40, 20.5/40 (three), 20/40: median
    // 0.5125. W07: 0.5125, 0.5, 0.5125, Dana 16 h of her 32 working hours
    // (Friday off) = 0.5, 0.5: median 0.5. The finding's value is the
    // median of the two weeks, 0.50625 (> 0.40).
    approx(
        &w06["meeting_share"]["value"],
        0.5125,
        "platform W06 meeting share",
    );
    approx(
        &w07["meeting_share"]["value"],
        0.5,
        "platform W07 meeting share",
    );
    let overload = finding(&report, "platform", "meeting_overload");
    approx(
        &overload["evidence"]["checks"][0]["value"],
        0.50625,
        "meeting_overload value",
    );

    // organizer_concentration: person-hours of each attended meeting.
    // W06: standup 12.5 + planning 20 + architecture 30 (Ana: 62.5),
    // design 20 (Ben), ops 17.5 (Emil), go/no-go 3 x 0.5 = 1.5 (Ben):
    // 101.5. W07: Dana's declines take 0.5 from the standup and 3.5 from
    // ops; the quick sync is 2 x 0.5 (Chen): Ana 62 of 97.
    approx(
        &w06["organizer_concentration"]["part"],
        62.5,
        "Ana's W06 hours",
    );
    approx(
        &w06["organizer_concentration"]["whole"],
        101.5,
        "W06 person-hours",
    );
    approx(
        &w07["organizer_concentration"]["part"],
        62.0,
        "Ana's W07 hours",
    );
    approx(
        &w07["organizer_concentration"]["whole"],
        97.0,
        "W07 person-hours",
    );

    // Mobile asks (docs/SIGNALS.md: a DM or an @mention). W06: Fatima ->
    // Ivan and Jo at 04:20 New York time, Ivan -> Fatima at 21:30 Berlin,
    // Fatima -> Ivan by DM at 03:30 New York (all sent in the sender's
    // working hours: cross-time-zone), Gus -> Hana at 11:00 Berlin: 4 of 5.
    // W07: Fatima -> Jo 04:30 NY, Jo -> Gus 22:30 Berlin, Gus -> Ivan 04:00
    // NY, Hana -> Fatima 12:00 Berlin: 3 of 4. Window median 0.775.
    let m06 = team_week(&report, "mobile", "2025-W06");
    let m07 = team_week(&report, "mobile", "2025-W07");
    approx(
        &m06["cross_tz_asks"]["pooled_part"],
        4.0,
        "W06 cross-tz asks",
    );
    approx(&m06["cross_tz_asks"]["pooled_whole"], 5.0, "W06 asks");
    approx(
        &m07["cross_tz_asks"]["pooled_part"],
        3.0,
        "W07 cross-tz asks",
    );
    approx(&m07["cross_tz_asks"]["pooled_whole"], 4.0, "W07 asks");
    let pings = finding(&report, "mobile", "late_night_pings");
    approx(
        &pings["evidence"]["checks"][0]["value"],
        0.775,
        "late_night_pings value",
    );

    // Mobile focus hours in W06. Berlin members: Mon 09:00-15:30, Tue
    // 09:00-15:00, Wed 09:00-15:00, Thu 09:00-16:00, Fri all day = 6.5 + 6
    // + 6 + 7 + 8 = 33.5 h. New York members (meetings at 09:00-09:45,
    // 09:30-09:45, 09:00-09:30 and 10:00-10:15 their time): 7.25 + 7.25 +
    // 7.5 + 6.75 + 8 = 36.75 h. Total 3 x 33.5 + 2 x 36.75 = 174 h.
    approx(
        &m06["focus_hours"]["value"],
        33.5,
        "mobile W06 median focus",
    );
    approx(
        &m06["focus_hours"]["total"],
        174.0,
        "mobile W06 focus total",
    );

    // Messages: Hana's two posts after 22:00 Berlin are the after-hours
    // ones among the team's 10 messages in W06.
    approx(
        &m06["after_hours_messages"]["pooled_part"],
        2.0,
        "after-hours messages",
    );
    approx(
        &m06["after_hours_messages"]["pooled_whole"],
        10.0,
        "messages",
    );

    // Work items (each closed in its assignee's week) and pulse means.
    approx(&w06["throughput"]["value"], 4.0, "platform W06 items");
    approx(&w07["throughput"]["value"], 2.0, "platform W07 items");
    approx(&m06["throughput"]["value"], 2.0, "mobile W06 items");
    approx(&m07["throughput"]["value"], 5.0, "mobile W07 items");
    approx(
        &w06["morale"]["value"],
        2.6,
        "platform W06 morale (3+2+3+2+3)/5",
    );
    approx(
        &w07["morale"]["value"],
        2.2,
        "platform W07 morale (2+2+3+2+2)/5",
    );
    approx(
        &m06["morale"]["value"],
        4.0,
        "mobile W06 morale (4+4+3+4+5)/5",
    );
    // Only four mobile answers in W07: suppressed, never a number.
    assert_eq!(m07["morale"]["reason"], "suppressed");
    assert_eq!(m07["morale"]["members_with_data"], 4);
    assert!(m07["morale"]["value"].is_null());
}

#[test]
fn experiment_figures_worked_out_by_hand() {
    let report = json(&with_window(&["report", ".", "--format", "json"]), 0);
    let experiments = report["experiments"].as_array().unwrap();
    let ids: Vec<&str> = experiments
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["fewer-series", "quiet-evenings", "no-meeting-mondays"]
    );

    // fewer-series: platform's meeting hours, W06 (baseline) against W07
    // (treatment), no control team, so before/after: per member W06 ->
    // W07 (see report_figures_worked_out_by_hand) Ana 20 -> 20.5, Ben 20.5
    // -> 20, Chen 20.5 -> 20.5, Dana 20.5 -> 16, Emil 20 -> 20. Baseline
    // mean 101.5 / 5 = 20.3, treatment 97 / 5 = 19.4, effect the mean of
    // the differences (+0.5 - 0.5 + 0 - 4.5 + 0) / 5 = -0.9. One week per
    // window is too short for a verdict.
    let fewer = &experiments[0];
    assert_eq!(fewer["state"], "done");
    assert_eq!(fewer["method"], "before_after");
    assert_eq!(fewer["in_window"], true);
    let p = &fewer["primary"];
    assert_eq!(p["signal"], "meeting_hours");
    assert_eq!(p["n"], 5);
    approx(&p["baseline"], 20.3, "fewer-series baseline");
    approx(&p["treatment"], 19.4, "fewer-series treatment");
    approx(&p["effect"], -0.9, "fewer-series effect");
    assert!(p["low"].as_f64().unwrap() <= -0.9 && -0.9 <= p["high"].as_f64().unwrap());
    assert_eq!(fewer["verdict"], "not enough data");
    approx(&fewer["weeks"][0]["treated"], 20.3, "fewer-series W06");
    approx(&fewer["weeks"][1]["treated"], 19.4, "fewer-series W07");

    // quiet-evenings starts after the data (which ends 2025-02-14): running,
    // too early, judged as far as the data go.
    let quiet = &experiments[1];
    assert_eq!(quiet["state"], "running");
    assert_eq!(quiet["verdict"], "too early");
    assert_eq!(quiet["in_window"], true);

    // no-meeting-mondays ran in January, before the window: not judged here.
    let mondays = &experiments[2];
    assert_eq!(mondays["in_window"], false);
    assert!(mondays["verdict"].is_null() && mondays["primary"].is_null());
    assert_eq!(
        mondays["note"],
        "outside the window: run `fulcrum experiment show no-meeting-mondays`"
    );

    // "Try first" names the experiment that answers a finding: declared for
    // it (quiet-evenings, late_night_pings), or whose primary it watches
    // (fewer-series' meeting_hours for one_person_controls_sync_time).
    let answered =
        |team: &str, id: &str| finding(&report, team, id)["experiment"]["answered_by"].clone();
    assert_eq!(
        answered("mobile", "late_night_pings"),
        serde_json::json!({"id": "quiet-evenings", "state": "running", "verdict": "too early"})
    );
    assert_eq!(
        answered("platform", "meeting_overload")["id"],
        "fewer-series"
    );
    assert_eq!(
        answered("platform", "one_person_controls_sync_time")["id"],
        "fewer-series"
    );
    assert!(answered("platform", "recurring_sprawl").is_null());
    assert!(answered("mobile", "huddles_after_surprises").is_null());
    let term = stdout_of(&with_window(&["report", "."]), 0);
    assert!(
        term.contains("(4 weeks) (experiment quiet-evenings is running: too early)"),
        "{term}"
    );

    // The report agrees with `experiment show`, which computes over the
    // experiment's own weeks.
    let show = json(
        &[
            "experiment",
            "show",
            "fewer-series",
            ".",
            "--format",
            "json",
        ],
        0,
    );
    assert_eq!(show["verdict"], fewer["verdict"]);
    assert_eq!(show["results"][0], fewer["primary"]);
    assert_eq!(show["weeks"], fewer["weeks"]);
}

#[test]
fn a_person_week_worked_out_by_hand() {
    // Dana in W07: 20 h of series minus the Friday standup (0.5 h) and ops
    // review (3.5 h) she declined = 16 h; her working time is 32 h (Friday
    // out of office), so the share is 0.5. Free blocks of 2 h or more: Mon
    // 10:00-13:00, Tue 12:00-14:00, Wed 10:00-13:00, Thu 12:00-14:00 = 10 h.
    let report = json(
        &with_window(&[
            "report",
            ".",
            "--format",
            "json",
            "--person",
            "dana@harbor.example",
        ]),
        0,
    );
    let people = report["people"].as_array().unwrap();
    assert_eq!(people.len(), 1);
    let week = people[0]["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["week"] == "2025-W07")
        .unwrap();
    let s = &week["signals"];
    approx(&s["meeting_hours"]["value"], 16.0, "Dana W07 meeting hours");
    approx(
        &s["meeting_share"]["part"],
        16.0,
        "Dana W07 meetings in working time",
    );
    approx(&s["meeting_share"]["whole"], 32.0, "Dana W07 working hours");
    approx(&s["focus_hours"]["value"], 10.0, "Dana W07 focus hours");
    approx(&s["meeting_count"]["value"], 10.0, "Dana W07 meetings");
}

#[test]
fn move_figures_worked_out_by_hand() {
    // Audit of the standup over W06-W07: 10 instances of 30 min with 5
    // people, less Dana's declined Friday: 10 x 0.5 x 5 - 0.5 = 24.5
    // person-hours, 1960 at 80 an hour; 1 decline of 4 attendees x 10
    // instances = 0.025.
    let audit = json(&with_window(&["audit", ".", "--format", "json"]), 0);
    assert_eq!(audit["tool"], "audit");
    let series = |title: &str| {
        audit["series"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["summary"] == title)
            .unwrap()
            .clone()
    };
    let standup = series("Platform standup");
    assert_eq!(standup["occurrences"], 10);
    approx(&standup["person_hours"], 24.5, "standup person-hours");
    approx(&standup["cost"], 1960.0, "standup cost");
    approx(&standup["decline_rate"], 0.025, "standup decline rate");
    // Ops review: 2 x 3.5 h x 5 - 3.5 = 31.5; 1 of 8 invitations declined;
    // neither agenda nor outcome, so a written update may do.
    let ops = series("Ops review");
    approx(&ops["person_hours"], 31.5, "ops person-hours");
    approx(&ops["decline_rate"], 0.125, "ops decline rate");
    assert_eq!(ops["recommendation"], "make_async");

    // Route: asked Friday 16:00 in Berlin with 24 business hours on Fatima's
    // Mon-Fri 09:00-17:00: Fri 1 h + Mon 8 + Tue 8 + Wed 7 = Wed 16:00.
    let route = json(
        &[
            "route",
            ".",
            "--type",
            "vendor-choice",
            "--asked-at",
            ASKED_AT,
            "--person",
            "fatima@harbor.example",
            "--format",
            "json",
        ],
        0,
    );
    assert_eq!(route["deadline"], "2025-02-12T16:00:00+01:00");

    // Rotate: Fatima organized the five instances from 7 January to 4
    // February (history); the next four go to those with none, in list
    // order, since all four work at 15:00 Berlin / 09:00 New York.
    let mut args = ROTATE.to_vec();
    args.extend_from_slice(&["--format", "csv"]);
    let csv = stdout_of(&args, 0);
    let facilitators: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().trim_matches('"'))
        .collect();
    assert_eq!(
        facilitators,
        [
            "gus@harbor.example",
            "hana@harbor.example",
            "ivan@harbor.example",
            "jo@harbor.example"
        ]
    );
}

#[test]
fn the_series_the_report_says_to_rotate_is_one_rotate_accepts() {
    // The "try first" of `one_person_controls_sync_time` names the series
    // its top organizer organizes most by title label and short id; that id
    // must be one `fulcrum rotate --series` takes.
    let out = stdout_of(&with_window(&["report", ".", "--format", "json"]), 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let finding = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "one_person_controls_sync_time")
        .expect("the fixture's platform team fires it");
    let series = &finding["experiment"]["series"];
    let id = series["short_id"].as_str().expect("a series is named");
    assert_eq!(id.len(), 8);
    assert!(series["label"].as_str().unwrap().starts_with('#'));
    let html = stdout_of(&with_window(&["report", ".", "--format", "html"]), 0);
    assert!(html.contains(&format!("fulcrum rotate --series {id}")));
    let rotate = stdout_of(
        &[
            "rotate",
            ".",
            "--series",
            id,
            "--from",
            "2025-02-11",
            "-n",
            "2",
        ],
        0,
    );
    assert!(rotate.contains(&format!("(id {id})")), "{rotate}");
}
