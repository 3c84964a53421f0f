//! `fulcrum focus`, `overlap` and `rotate` as a user runs them: flags,
//! exit codes, and output on the `test_data/moves` fixture.

#![allow(clippy::unwrap_used)] // Tests: a panic is a failed test with its location.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/moves")
}

fn fulcrum(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fulcrum"))
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[test]
fn focus_on_one_calendar_file() {
    let ics = fixture().join("calendars/ana.ics");
    let o = fulcrum(&[
        "focus",
        "--ics",
        ics.to_str().unwrap(),
        "--tz",
        "Europe/Berlin",
        "--from",
        "2025-06-03",
        "--to",
        "2025-06-04",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    // 10:00-12:00 UTC is 12:00-14:00 in Berlin (CEST).
    assert!(out.contains("Wed 2025-06-04 12:00-14:00 (2.0 h)"), "{out}");
    assert!(
        out.contains("no free gap of 120 min on: Tue 06-03"),
        "{out}"
    );
    assert!(out.contains("+2.0 h focus"), "{out}");
}

#[test]
fn overlap_json_and_exit_codes() {
    let o = fulcrum(&[
        "overlap",
        "--person",
        "Berlin=Europe/Berlin",
        "--person",
        "New York=America/New_York",
        "--from",
        "2025-03-10",
        "--to",
        "2025-03-14",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["periods"][0]["windows"][0]["utc"], "13:00-16:00");
    assert_eq!(v["suggestions"][0]["start_utc"], "13:00");

    // No overlap at all: exit 1, and the advice.
    let o = fulcrum(&[
        "overlap",
        "--person",
        "New York=America/New_York",
        "--person",
        "Bangalore=Asia/Kolkata",
        "--from",
        "2025-03-10",
        "--to",
        "2025-03-14",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("no overlap at all"), "{}", text(&o));

    // An unknown person of the workspace: exit 2 naming them.
    let o = fulcrum(&[
        "overlap",
        fixture().to_str().unwrap(),
        "--person",
        "zed@acme.com",
        "--from",
        "2025-03-10",
        "--to",
        "2025-03-14",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("zed@acme.com"));
}

#[test]
fn rotate_as_csv() {
    let o = fulcrum(&[
        "rotate",
        fixture().to_str().unwrap(),
        "--series",
        "weekly sync",
        "--from",
        "2025-06-02",
        "-n",
        "2",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "start_utc,end_utc,facilitator,email\n\
         2025-06-02T08:00:00+00:00,2025-06-02T08:30:00+00:00,\"Bo\",\"bo@acme.com\"\n\
         2025-06-09T08:00:00+00:00,2025-06-09T08:30:00+00:00,\"Ana\",\"ana@acme.com\"\n"
    );
}

#[test]
fn rotate_from_one_calendar_file() {
    // Without the workspace: Ana, Bo and Cy all in Berlin hours, no absences
    // known and no history counted against anyone but Ana (organizer of the
    // 4 past instances). 2 Jun: Bo (0) and Cy (0) tie, Bo first in the
    // file; 9 Jun: Cy (0 < 1).
    let ics = fixture().join("calendars/ana.ics");
    let o = fulcrum(&[
        "rotate",
        "--ics",
        ics.to_str().unwrap(),
        "--tz",
        "Europe/Berlin",
        "--series",
        "weekly-sync@acme.com",
        "--from",
        "2025-06-02",
        "-n",
        "2",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let who: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap())
        .collect();
    assert_eq!(who, ["\"bo@acme.com\"", "\"cy@acme.com\""]);
}
