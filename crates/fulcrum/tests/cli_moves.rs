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

#[test]
fn rotate_defaults_to_four_weeks_shows_local_time_and_skips_the_holiday_week() {
    // As of Monday 16 June 2025: the window is 16 June to 13 July (28
    // days), the instances 16, 23, 30 June and 7 July, 08:00 UTC = 10:00 in
    // Berlin (CEST), the organizer Ana's zone. History: Ana organized the
    // six instances 5 May to 9 June. 16 Jun Bo (0); 23 Jun Ana and Bo are
    // on "Holiday: summer break", 2 of 3 away: nobody; 30 Jun Bo (1 < 6);
    // 7 Jul Bo (2 < 6). Cy (New York, 04:00 local) is never working then.
    let o = fulcrum(&[
        "rotate",
        fixture().to_str().unwrap(),
        "--series",
        "weekly sync",
        "--as-of",
        "2025-06-16",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("window 2025-06-16 (Mon) to 2025-07-13 (Sun), 28 days"),
        "{err}"
    );
    let out = String::from_utf8(o.stdout).unwrap();
    let rows: Vec<&str> = out.lines().skip(2).take(4).collect();
    assert_eq!(
        rows,
        [
            "Mon 2025-06-16 10:00  08:00  Bo",
            "Mon 2025-06-23 10:00  08:00  nobody: 2 of 3 away (holiday?); the meeting is unlikely to take place",
            "Mon 2025-06-30 10:00  08:00  Bo",
            "Mon 2025-07-07 10:00  08:00  Bo",
        ],
        "{out}"
    );
    assert!(
        out.starts_with("facilitation rotation for \"Weekly sync\" (id "),
        "{out}"
    );
    assert!(out.contains("occurrence (Berlin)"), "{out}");
}

#[test]
fn rotate_lists_ambiguous_series_by_title_and_team_narrows() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/golden");
    let ws = golden.to_str().unwrap();
    // "sync" is in "Design sync" (platform) and "Mobile sync" (mobile).
    let o = fulcrum(&["rotate", ws, "--series", "sync", "--as-of", "2025-02-10"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        err.contains("give one with --series ID, or narrow with --team"),
        "{err}"
    );
    let rows: Vec<&str> = err.lines().filter(|l| l.contains(" sync ")).collect();
    assert_eq!(rows.len(), 2, "{err}");
    for row in &rows {
        // A short id first, never a raw UID (the Exchange one is 130 long).
        let id = row.split_whitespace().next().unwrap();
        assert!(
            id.len() == 8 && id.chars().all(|c| c.is_ascii_hexdigit()),
            "{row}"
        );
        assert!(row.len() < 120, "{row}");
    }
    let mobile = rows.iter().find(|r| r.contains("Mobile sync")).unwrap();
    assert!(
        mobile.contains("Fatima Haddad") && mobile.contains("mobile"),
        "{mobile}"
    );
    let id = mobile.split_whitespace().next().unwrap().to_owned();

    // --team narrows to the one series, and the id works as --series.
    for series in ["sync", id.as_str()] {
        let mut args = vec!["rotate", ws, "--series", series, "--as-of", "2025-02-10"];
        if series == "sync" {
            args.extend(["--team", "mobile"]);
        }
        let o = fulcrum(&args);
        assert!(o.status.success(), "{}", text(&o));
        let out = String::from_utf8(o.stdout).unwrap();
        assert!(out.contains("\"Mobile sync\" (id "), "{out}");
    }
}

#[test]
fn overlap_never_suggests_night_for_los_angeles_and_kolkata() {
    // Worked out in crates/fulcrum-analysis/src/overlap.rs
    // (los_angeles_and_kolkata_get_no_night_slot): 03:30 UTC, 19:30 in Los
    // Angeles and 09:00 in Kolkata, never 11:00 UTC (03:00 in Los Angeles).
    // As of Monday 6 January 2025 with --to: the window is 6 to 10 January.
    let o = fulcrum(&[
        "overlap",
        "--person",
        "Los Angeles=America/Los_Angeles",
        "--person",
        "Kolkata=Asia/Kolkata",
        "--as-of",
        "2025-01-06",
        "--to",
        "2025-01-10",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("window 2025-01-06 (Mon) to 2025-01-10 (Fri), 5 days"),
        "{err}"
    );
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains(
            "  03:30 UTC\n    Los Angeles 19:30-20:30 (America/Los_Angeles, +1.0 h outside hours)\n    Kolkata 09:00-10:00 (Asia/Kolkata)\n"
        ),
        "{out}"
    );
    assert!(!out.contains("11:00 UTC"), "{out}");

    // Los Angeles, London and Tokyo: night for someone at every hour; the
    // least bad slot names who carries it, and the advice is async.
    let o = fulcrum(&[
        "overlap",
        "--person",
        "Los Angeles=America/Los_Angeles",
        "--person",
        "London=Europe/London",
        "--person",
        "Tokyo=Asia/Tokyo",
        "--from",
        "2025-01-06",
        "--to",
        "2025-01-10",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["tool"], "overlap");
    assert_eq!(v["version"], 1);
    assert_eq!(v["night_only"], true);
    assert!(v["advice"].as_str().unwrap().contains("async"));
    let slot = &v["suggestions"][0];
    assert_eq!(slot["start_utc"], "21:30");
    assert_eq!(slot["members"][1]["time"], "21:30-22:30");
    assert_eq!(slot["members"][1]["night_hours"], 0.5);
    assert_eq!(slot["members"][2]["time"], "06:30-07:30");
}

#[test]
fn focus_plans_the_coming_week_and_says_why_nothing_was_planned() {
    // As of Saturday 21 June 2025 the coming week is Monday 23 to Sunday 29
    // June, when Ana and Bo are on "Holiday: summer break" all week: no
    // working day, and the output says it is the absence. Cy (New York)
    // has no calendar: five free days, 2 h each.
    let o = fulcrum(&[
        "focus",
        fixture().to_str().unwrap(),
        "--as-of",
        "2025-06-21",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("window 2025-06-23 (Mon) to 2025-06-29 (Sun), 7 days: the coming week"),
        "{err}"
    );
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains(
            "Bo <bo@acme.com> (Europe/Berlin): +0.0 h focus over 0 working days\n  nothing planned: away (out of office) on all 5 days of their working week in the window\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("Cy <cy@acme.com> (America/New_York): +10.0 h focus over 5 working days\n"),
        "{out}"
    );

    // A weekend: nothing to plan, and why; the same as JSON.
    let o = fulcrum(&[
        "focus",
        fixture().to_str().unwrap(),
        "--person",
        "ana@acme.com",
        "--from",
        "2025-06-07",
        "--to",
        "2025-06-08",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["tool"], "focus");
    assert_eq!(v["window"]["rule"], "as given");
    let ana = &v["people"][0];
    assert_eq!(ana["working_days"], 0);
    assert!(
        ana["why_none"]
            .as_str()
            .unwrap()
            .contains("none of the window's 2 days"),
        "{ana}"
    );
}
