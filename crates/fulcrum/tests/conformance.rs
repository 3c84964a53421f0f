//! The conformance suite: every signal of `docs/SIGNALS.md` checked against
//! values worked out by hand.
//!
//! Each folder of `test_data/conformance/` is one case: a small workspace in
//! real file formats (`fulcrum.toml`, `people.csv`, CRLF calendars, a Slack
//! export, rows) and an `expected.toml` holding the window and the expected
//! values, each next to a comment with its arithmetic:
//!
//! ```toml
//! from = "2025-03-03"
//! to = "2025-03-09"
//!
//! [person."ana@union.example"."2025-W10"]
//! # 09:00-10:30 and 10:00-11:00 overlap: union 09:00-11:00 = 2.0 h
//! meeting_hours = 2.0
//! response_latency = "no_asks"                 # unknown, with its reason
//! short_notice_meetings = { part = 1, whole = 2 } # named fields of the cell
//!
//! [team."core"."2025-W10"]
//! overlap_hours = 3.0
//! ```
//!
//! A number is compared with the cell's headline `value` (tolerance 1e-6), a
//! string is the `reason` of an unknown value, an inline table compares the
//! named fields of the cell (docs/report.md, JSON). The test runs `fulcrum
//! report --format json --individuals` on a copy of every case with the
//! case's window and reports every mismatch of every case at once, each with
//! its file and line. It fails when a signal id of the spec
//! (`SignalId::ALL`) has no expected value in any case, and when a case's
//! report lists an error-level problem (a fixture mistake shows up there
//! first).
//!
//! Where the implementation disagrees with a value the spec gives and the fix
//! is not done yet, the expectation stays as the spec says and the mismatch
//! is listed in [`KNOWN_DISCREPANCIES`] with the reason; a listed mismatch
//! that no longer occurs fails the test, so the list stays honest.

#![allow(clippy::unwrap_used)] // Tests: a panic is a failed test with its location.

mod common;

use common::copy_dir;
use fulcrum_analysis::SignalId;
use serde::Deserialize;
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use toml::Spanned;

/// Allowed difference between an expected and a computed number (the JSON
/// report writes six decimals).
const TOLERANCE: f64 = 1e-6;

/// A fixed workspace key, so nothing is written into the case folder copy
/// and hashes are stable.
const KEY: &str = "000102030405060708090a0b0c0d0e0f";

/// A mismatch between the spec (the expected value) and the implementation
/// that is known and not fixed yet.
struct Known {
    /// The case folder.
    case: &'static str,
    /// The expectation, as the mismatch names it: `person EMAIL WEEK SIGNAL`
    /// or `team NAME WEEK SIGNAL`.
    what: &'static str,
    /// Why the implementation differs, and what fixing it takes.
    reason: &'static str,
}

/// Mismatches the spec decides against the implementation, not fixed yet.
const KNOWN_DISCREPANCIES: &[Known] = &[];

/// Signals read only from the team server's store (the workflow signals):
/// a case folder holds files, not server objects, so their hand-worked
/// values live in the store test named here, which must assert each (by
/// its `SignalId` variant).
const CHECKED_IN_STORE_TEST: (&str, &[(&str, &str)]) = (
    "crates/fulcrum-app/tests/written_signals.rs",
    &[
        ("written_ask_latency", "WrittenAskLatency"),
        ("written_ask_breach_rate", "WrittenAskBreachRate"),
        ("update_coverage", "UpdateCoverage"),
        ("decision_latency", "DecisionLatency"),
        ("async_decision_share", "AsyncDecisionShare"),
        ("incident_reviews_on_time", "IncidentReviewsOnTime"),
    ],
);

/// Expected cells by owner (email or team), week and signal id.
type Cells = BTreeMap<String, BTreeMap<String, BTreeMap<String, Spanned<toml::Value>>>>;

/// A case's `expected.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    /// `--from`.
    from: String,
    /// `--to`.
    to: String,
    /// Person-week values.
    #[serde(default)]
    person: Cells,
    /// Team-week values.
    #[serde(default)]
    team: Cells,
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/conformance")
}

/// The case folders, by name.
fn cases() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(cases_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("expected.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// `fulcrum report` as JSON with every person's rows, on a fresh copy of
/// the case.
fn report(case: &str, file: &CaseFile) -> Result<Json, String> {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("conformance")
        .join(case);
    let _ = std::fs::remove_dir_all(&root);
    copy_dir(&cases_dir().join(case), &root);
    let out = Command::new(env!("CARGO_BIN_EXE_fulcrum"))
        .current_dir(&root)
        .env("FULCRUM_REPORT_KEY", KEY)
        .env("NO_COLOR", "1")
        .args(["report", "--format", "json", "--individuals"])
        .args(["--from", &file.from, "--to", &file.to])
        .output()
        .unwrap();
    if !out.status.success() {
        return Err(format!(
            "fulcrum report exited with {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("the report is not JSON: {e}"))
}

/// The cell of `signal` in `week` of the person with `email` or the team
/// named `team`.
fn cell<'a>(
    report: &'a Json,
    scope: &str,
    owner: &str,
    week: &str,
    signal: &str,
) -> Option<&'a Json> {
    let (list, key) = match scope {
        "person" => ("people", "email"),
        _ => ("teams", "team"),
    };
    report[list]
        .as_array()?
        .iter()
        .find(|row| row[key] == owner)?["weeks"]
        .as_array()?
        .iter()
        .find(|w| w["week"] == week)?["signals"]
        .get(signal)
}

/// Compares one expected TOML value with the JSON field; `None` when equal.
fn differs(want: &toml::Value, got: &Json) -> Option<String> {
    let number = match want {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(x) => Some(*x),
        _ => None,
    };
    match (number, want, got.as_f64()) {
        (Some(w), _, Some(g)) if (w - g).abs() <= TOLERANCE => None,
        (Some(w), _, _) => Some(format!("expected {w}, got {got}")),
        (None, toml::Value::String(s), _) if got.as_str() == Some(s) => None,
        (None, toml::Value::String(s), _) => Some(format!("expected {s:?}, got {got}")),
        (None, other, _) => Some(format!(
            "cannot compare {other:?} (use a number or a string)"
        )),
    }
}

/// Every mismatch of one expected cell.
fn check_cell(want: &toml::Value, got: Option<&Json>) -> Vec<String> {
    let Some(got) = got else {
        return vec!["no such person, team, week or signal in the report".into()];
    };
    let fields: Vec<(&str, toml::Value)> = match want {
        toml::Value::String(reason) => vec![
            ("value", toml::Value::String("null".into())),
            ("reason", toml::Value::String(reason.clone())),
        ],
        toml::Value::Table(t) => t.iter().map(|(k, v)| (k.as_str(), v.clone())).collect(),
        number => vec![("value", number.clone())],
    };
    fields
        .iter()
        .filter_map(|(field, want)| {
            let got_field = got.get(*field).unwrap_or(&Json::Null);
            let problem = if want.as_str() == Some("null") {
                (!got_field.is_null()).then(|| format!("expected null, got {got_field}"))
            } else {
                differs(want, got_field)
            };
            problem.map(|p| format!("{field}: {p} (cell: {got})"))
        })
        .collect()
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// One mismatch, located.
struct Mismatch {
    case: String,
    what: String,
    at: String,
    text: String,
}

#[test]
fn every_case_agrees_with_the_spec() {
    let cases = cases();
    assert!(!cases.is_empty(), "no cases in test_data/conformance");
    let mut mismatches: Vec<Mismatch> = Vec::new();
    let mut covered: BTreeSet<String> = BTreeSet::new();
    let mut errors: Vec<String> = Vec::new();
    for case in &cases {
        let path = cases_dir().join(case).join("expected.toml");
        let shown = format!("test_data/conformance/{case}/expected.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let file: CaseFile = match toml::from_str(&text) {
            Ok(f) => f,
            Err(e) => {
                errors.push(format!("{shown}: {e}"));
                continue;
            }
        };
        let report = match report(case, &file) {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("{shown}: {e}"));
                continue;
            }
        };
        for p in report["problems"].as_array().into_iter().flatten() {
            if p["severity"] == "error" {
                errors.push(format!("{shown}: the report lists an error: {p}"));
            }
        }
        for (scope, cells) in [("person", &file.person), ("team", &file.team)] {
            for (owner, weeks) in cells {
                for (week, signals) in weeks {
                    for (signal, want) in signals {
                        covered.insert(signal.clone());
                        let got = cell(&report, scope, owner, week, signal);
                        for problem in check_cell(want.get_ref(), got) {
                            mismatches.push(Mismatch {
                                case: case.clone(),
                                what: format!("{scope} {owner} {week} {signal}"),
                                at: format!("{shown}:{}", line_of(&text, want.span().start)),
                                text: problem,
                            });
                        }
                    }
                }
            }
        }
    }

    let (store_test, in_store_test) = CHECKED_IN_STORE_TEST;
    let store_test_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(store_test),
    )
    .unwrap();
    for (id, variant) in in_store_test {
        if !store_test_text.contains(&format!("{variant}),")) {
            errors.push(format!("signal `{id}` is not asserted in {store_test}"));
        }
        covered.insert((*id).to_owned());
    }
    for id in SignalId::ALL {
        if !covered.contains(id.as_str()) {
            errors.push(format!(
                "signal `{}` of docs/SIGNALS.md has no expected value in any case",
                id.as_str()
            ));
        }
    }
    for known in KNOWN_DISCREPANCIES {
        if !mismatches
            .iter()
            .any(|m| m.case == known.case && m.what == known.what)
        {
            errors.push(format!(
                "known discrepancy `{}` in case {} no longer occurs: remove it from KNOWN_DISCREPANCIES ({})",
                known.what, known.case, known.reason
            ));
        }
    }
    for m in &mismatches {
        let known = KNOWN_DISCREPANCIES
            .iter()
            .any(|k| k.case == m.case && k.what == m.what);
        if !known {
            errors.push(format!("{}: {}: {}", m.at, m.what, m.text));
        }
    }
    assert!(
        errors.is_empty(),
        "{} problem(s) in {} conformance case(s):\n{}",
        errors.len(),
        cases.len(),
        errors.join("\n")
    );
}
