//! Cross-check against an independent implementation: Python's `icalendar`,
//! `recurring-ical-events` and `x-wr-timezone`, run on the same files and
//! window. The expected occurrences come from that program, not from ours.
//!
//! The Python packages are installed by `scripts/test` (see
//! `scripts/requirements-test.txt`); without them this test fails.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

use chrono::NaiveDate;
use fulcrum_ics::{Bound, ExpandOptions, read_calendar};
use fulcrum_model::CalTime;
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/icalendar-7.3.0")
}

fn fmt(t: &CalTime) -> String {
    match t {
        CalTime::Zoned { utc, .. } => utc.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        CalTime::Date(d) => d.format("%Y-%m-%d").to_string(),
        CalTime::Floating(f) => f.format("%Y-%m-%dT%H:%M:%S").to_string(),
    }
}

/// `start end` lines, sorted, from our expansion.
fn ours(path: &Path, from: &str, to: &str) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let mut cal = read_calendar(&bytes, &path.display().to_string());
    let d = |s: &str| Bound::date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    let mut opts = ExpandOptions::window(d(from), d(to));
    // recurring-ical-events keeps cancelled instances.
    opts.include_cancelled = true;
    let mut v: Vec<String> = cal
        .expand(&opts)
        .iter()
        .map(|o| format!("{} {}", fmt(&o.start), fmt(&o.end)))
        .collect();
    v.sort();
    v
}

/// Per file, `start end` lines from the Python reference, or the reason
/// it could not read the file.
fn reference(files: &[PathBuf], from: &str, to: &str) -> Vec<Result<Vec<String>, String>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference_expand.py");
    let out = Command::new("python3")
        .arg(&script)
        .args([from, to])
        .args(files)
        .output()
        .expect("python3 must be installed to run the cross-check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the Python reference failed (missing packages? run scripts/test):\n{stderr}"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut results = Vec::new();
    for block in text.split("== ").skip(1) {
        let mut lines = block.lines().skip(1).peekable();
        if let Some(err) = lines.peek().and_then(|l| l.strip_prefix("!! ")) {
            results.push(Err(err.to_owned()));
            continue;
        }
        let mut v: Vec<String> = lines
            .filter_map(|l| l.split_once(' ').map(|(_, rest)| rest.to_owned()))
            .collect();
        v.sort();
        results.push(Ok(v));
    }
    assert_eq!(results.len(), files.len(), "one result per file");
    results
}

/// Files whose reading differs from the reference on purpose, with why.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[(
    "event_with_recurrence.ics",
    "floating DTSTART with EXDATEs in UTC: the reference turns the whole series into UTC; \
     we keep the series floating (RFC 5545: a floating time is the same wall clock in any \
     zone) and match the EXDATEs by wall time. Same 97 instances, same wall times.",
)];

#[test]
fn expansions_agree_with_python_recurring_ical_events() {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["calendars", "events"] {
        for entry in std::fs::read_dir(corpus().join(dir)).expect("../shared/corpora is missing") {
            files.push(entry.unwrap().path());
        }
    }
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/ics");
    for entry in std::fs::read_dir(&data).unwrap() {
        files.push(entry.unwrap().path());
    }
    files.sort();

    let (from, to) = ("1990-01-01", "2030-01-01");
    let mut compared = 0;
    let mut python_failed = Vec::new();
    let mut mismatches = Vec::new();
    let references = reference(&files, from, to);
    for (f, expected) in files.iter().zip(references) {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let Ok(expected) = expected else {
            python_failed.push(name);
            continue;
        };
        compared += 1;
        let got = ours(f, from, to);
        if got != expected && !KNOWN_DIFFERENCES.iter().any(|(n, _)| *n == name) {
            let missing: Vec<_> = expected
                .iter()
                .filter(|e| !got.contains(e))
                .take(3)
                .collect();
            let extra: Vec<_> = got
                .iter()
                .filter(|g| !expected.contains(g))
                .take(3)
                .collect();
            mismatches.push(format!(
                "{name}: reference {} occurrences, ours {}; missing {missing:?}; extra {extra:?}",
                expected.len(),
                got.len()
            ));
        }
    }
    eprintln!(
        "compared {compared} files; Python could not read {}: {python_failed:?}",
        python_failed.len()
    );
    // 99 of the corpus files plus our own fixtures are readable by the
    // reference; the rest are bare components or deliberately broken.
    assert!(compared >= 95, "only {compared} files compared");
    assert!(
        mismatches.is_empty(),
        "{} files differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
