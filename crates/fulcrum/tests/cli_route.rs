//! `fulcrum route` end to end: exit codes (0 routed, 1 routed with a
//! warning, 2 refused), the JSON shape, the text output, and a workspace's
//! policy and business clock.

#![allow(clippy::unwrap_used)] // Tests: a panic is a failed test with its location.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fulcrum_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fulcrum"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// A folder with no fulcrum.toml at or above it.
fn no_workspace() -> PathBuf {
    let dir = std::env::temp_dir().join("fulcrum-cli-route-empty");
    std::fs::create_dir_all(&dir).unwrap();
    assert!(!dir.ancestors().any(|d| d.join("fulcrum.toml").is_file()));
    dir
}

fn fulcrum(args: &[&str]) -> Output {
    fulcrum_in(&no_workspace(), args)
}

fn fixture() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../test_data/route")
        .display()
        .to_string()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const FRIDAY: &str = "2026-03-06T16:00:00Z";

#[test]
fn a_known_type_exits_0_with_the_documented_json_shape() {
    let o = fulcrum(&[
        "route",
        "--type",
        "vendor-choice",
        "--asked-at",
        FRIDAY,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "ask",
            "asked_at",
            "clock",
            "deadline",
            "deadline_utc",
            "format",
            "mode",
            "policy",
            "problems",
            "respond_in",
            "sla",
            "time_zone",
            "tool",
            "type",
            "version",
            "warnings",
            "who_decides",
            "why",
            "window"
        ]
    );
    assert_eq!(v["tool"], "route");
    assert_eq!(v["version"], 1);
    assert_eq!(v["type"], "vendor-choice");
    assert_eq!(v["mode"], "async");
    assert_eq!(v["format"], "written proposal with comment period");
    assert_eq!(v["sla"]["class"], "normal");
    assert_eq!(v["sla"]["hours"], 24.0);
    assert_eq!(v["asked_at"], FRIDAY);
    assert_eq!(v["deadline"], "2026-03-07T16:00:00Z");
    assert_eq!(v["clock"]["kind"], "wall");
    assert_eq!(v["policy"], "the default policy (no workspace)");
    let ask = v["ask"].as_object().unwrap();
    for k in ["context", "decision_needed", "deadline", "where_to_respond"] {
        assert!(ask[k].as_str().is_some_and(|s| !s.is_empty()), "{k}");
    }
    assert_eq!(v["why"][0]["rule"], "policy");
    assert_eq!(v["warnings"], serde_json::json!([]));
}

#[test]
fn attributes_route_and_list_every_rule_that_fired() {
    let o = fulcrum(&[
        "route",
        "--urgency",
        "normal",
        "--reversible",
        "no",
        "--novel",
        "yes",
        "--time-zones",
        "4",
        "--stakeholders",
        "10",
        "--asked-at",
        FRIDAY,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["type"], serde_json::Value::Null);
    assert_eq!(v["mode"], "async");
    let rules: Vec<&str> = v["why"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "wide-audience",
            "novel-irreversible",
            "novel-irreversible+wide-audience"
        ]
    );
}

#[test]
fn a_contradiction_answers_the_policy_route_with_a_warning_and_exits_1() {
    let o = fulcrum(&[
        "route",
        "--type",
        "status",
        "--urgency",
        "high",
        "--asked-at",
        FRIDAY,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("mode:          async"), "{text}");
    assert!(
        text.contains("warning: --urgency high conflicts with type `status`"),
        "{text}"
    );
    assert!(text.contains("what to do:"), "{text}");

    let o = fulcrum(&[
        "route",
        "--type",
        "incident",
        "--urgency",
        "low",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["mode"], "sync");
    assert!(
        v["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("--urgency low conflicts with type `incident`")
    );
}

#[test]
fn an_unknown_type_exits_2_with_the_known_types_and_the_closest() {
    let o = fulcrum(&["route", "--type", "vendor"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("unknown decision type \"vendor\""), "{err}");
    assert!(
        err.contains(
            "architecture, design-review, hiring, incident, status, strategy, vendor-choice"
        ),
        "{err}"
    );
    assert!(err.contains("did you mean \"vendor-choice\""), "{err}");

    let o = fulcrum(&["route", "--type", "vendor", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    assert_eq!(v["unknown_type"], "vendor");
    assert_eq!(v["closest"], "vendor-choice");
    assert_eq!(v["known_types"].as_array().unwrap().len(), 7);
}

#[test]
fn contradictory_empty_or_malformed_requests_exit_2() {
    for args in [
        &["route", "--stakeholders", "2", "--time-zones", "5"][..],
        &["route"][..],
        &["route", "--urgency", "extreme"][..],
        &["route", "--type", "status", "--asked-at", "friday"][..],
    ] {
        let o = fulcrum(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty(), "{args:?}");
    }
}

#[test]
fn a_workspace_policy_and_business_clock_are_used() {
    let root = fixture();
    let o = fulcrum(&[
        "route",
        &root,
        "--type",
        "status",
        "--asked-at",
        FRIDAY,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["format"], "weekly written update");
    assert_eq!(v["clock"]["kind"], "business");
    // Hand-worked in crates/fulcrum-app/tests/route.rs: Monday 2026-03-16
    // 16:00 in Berlin.
    assert_eq!(v["deadline"], "2026-03-16T16:00:00+01:00");
    assert_eq!(v["deadline_utc"], "2026-03-16T15:00:00Z");
    assert_eq!(v["time_zone"], "Europe/Berlin");

    // Found from inside the workspace folder too.
    let o = fulcrum_in(Path::new(&root), &["route", "--type", "outage"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn an_unreadable_workspace_exits_2_naming_file_and_line() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-route-bad");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("fulcrum.toml"),
        "[policy.decisions.status]\nmode = \"sometimes\"\n",
    )
    .unwrap();
    let o = fulcrum(&["route", dir.to_str().unwrap(), "--type", "status"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("fulcrum.toml:2"), "{err}");
    assert!(err.contains("policy.decisions.status.mode"), "{err}");
}
