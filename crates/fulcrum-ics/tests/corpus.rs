//! Every calendar of the real-world corpus (the test files of Python's
//! `icalendar` 7.3.0: Google, Outlook and Apple exports, RFC examples,
//! deliberately broken and fuzzed files) is read without a panic, and the
//! broken ones are reported with located diagnostics.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

use chrono::NaiveDate;
use fulcrum_ics::{Bound, ExpandOptions, Severity, read_calendar};
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/icalendar-7.3.0")
}

fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("../shared/corpora is missing: tests need it") {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "ics") {
            out.push(path);
        }
    }
}

fn read(name: &str) -> (usize, Vec<fulcrum_ics::Diagnostic>, fulcrum_ics::ParseStats) {
    let path = corpus().join(name);
    let bytes = std::fs::read(&path).unwrap();
    let mut cal = read_calendar(&bytes, name);
    let d = |s| Bound::date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    let n = cal
        .expand(&ExpandOptions::window(d("1990-01-01"), d("2030-01-01")))
        .len();
    let stats = cal.stats();
    (n, cal.into_diagnostics(), stats)
}

#[test]
fn every_corpus_file_is_read_without_panic() {
    let mut files = Vec::new();
    all_files(&corpus(), &mut files);
    // 163 .ics files (the folder holds 164 files with the licence).
    assert_eq!(files.len(), 163);
    let mut panicked = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let result = std::panic::catch_unwind(|| {
            let mut cal = read_calendar(&bytes, "x.ics");
            let d = |s| Bound::date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
            cal.expand(&ExpandOptions::window(d("1900-01-01"), d("2100-01-01")))
                .len()
        });
        if result.is_err() {
            panicked.push(f.display().to_string());
        }
    }
    assert!(panicked.is_empty(), "panicked on: {panicked:?}");
}

#[test]
fn broken_files_are_reported_with_lines() {
    // Each of these is broken on purpose; what is wrong was read off the
    // file by hand.
    let cases: &[(&str, u32, &str)] = &[
        ("calendars/broken_dtstart.ics", 6, "DTSTART `INVALID-DATE`"),
        (
            "calendars/issue_1081_invalid_start_and_end.ics",
            6,
            "DTSTART `INVALID-DATE`",
        ),
        (
            "calendars/invalid_duration.ics",
            8,
            "DURATION `P999999999999999999W`",
        ),
        (
            "calendars/issue_1081_invalid_rrule_freq.ics",
            7,
            "RRULE `FREQ=INVALID_TYPE_CAUSES_ERROR`",
        ),
        (
            "calendars/timezone_same_start_and_offset.ics",
            23,
            "END:VCALENDARD",
        ),
        (
            "events/issue_464_invalid_rdate.ics",
            6,
            "RDATE value `199709T180000Z/PT5H30M`",
        ),
    ];
    for (file, line, needle) in cases {
        let (_, diags, _) = read(file);
        assert!(
            diags
                .iter()
                .any(|d| d.line == Some(*line) && d.message.contains(needle)),
            "{file}: expected a diagnostic at line {line} mentioning {needle:?}, got {diags:#?}"
        );
    }
}

#[test]
fn events_without_a_start_are_skipped_and_counted() {
    // small_bad_calendar.ics: an empty VEVENT and no END:VCALENDAR.
    let (n, diags, stats) = read("calendars/small_bad_calendar.ics");
    assert_eq!((n, stats.events_seen, stats.events_skipped), (0, 1, 1));
    assert!(
        diags
            .iter()
            .any(|d| d.severity == Severity::Error && d.line == Some(2))
    );
    assert!(diags.iter().any(|d| d.message.contains("truncated")));
}

#[test]
fn clean_real_exports_give_no_diagnostics_and_expected_counts() {
    // Counts of occurrences between 1990 and 2030 checked by hand:
    // - example.ics: three one-off events;
    // - issue_1050_simple_calendar.ics: one event;
    // - america_new_york.ics: one event in America/New_York.
    for (file, expected) in [
        ("calendars/example.ics", 3),
        ("calendars/issue_1050_simple_calendar.ics", 1),
        ("calendars/america_new_york.ics", 1),
    ] {
        let (n, diags, _) = read(file);
        assert!(diags.is_empty(), "{file}: {diags:#?}");
        assert_eq!(n, expected, "{file}");
    }
}

#[test]
fn non_utf8_and_lone_cr_files_do_not_stop_reading() {
    let (_, diags, stats) = read("calendars/fuzz_testcase_vtimezone_lone_cr.ics");
    assert_eq!(stats.vtimezones, 1);
    assert!(diags.is_empty() || diags.iter().all(|d| d.severity == Severity::Warning));
}
