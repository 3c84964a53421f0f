//! `fulcrum focus`, `overlap` and `rotate` through the app, on the
//! `test_data/moves` fixture and ad hoc teams, with hand-worked
//! expectations; the written ICS is re-read with our parser and with
//! Python's `icalendar` (scripts/requirements-test.txt).

#![allow(clippy::unwrap_used)] // Tests: a panic is a failed test with its location.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use fulcrum_app::focus::{FocusRequest, FocusSource, MoveError, run_focus};
use fulcrum_app::overlap::{OverlapRequest, run_overlap};
use fulcrum_app::rotate::{RotateRequest, RotateSource, run_rotate};
use fulcrum_ics::{Bound, ExpandOptions, read_calendar};
use fulcrum_model::{Interval, WorkingHours};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/moves")
}

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, day).unwrap()
}

fn utc(m: u32, day: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, m, day, h, mi, 0).unwrap()
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fulcrum-moves-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn focus_request(source: FocusSource, out: Option<PathBuf>) -> FocusRequest {
    FocusRequest {
        source,
        from: d(6, 3),
        to: d(6, 4),
        min_block_minutes: None,
        hours_per_day: None,
        out,
    }
}

fn ana_only() -> FocusSource {
    FocusSource::Workspace {
        root: fixture(),
        team: None,
        persons: vec!["ana@acme.com".into()],
    }
}

#[test]
fn focus_skips_the_split_gap_and_writes_an_importable_calendar() {
    // Ana, Berlin (UTC+2 in June). Tuesday 3 June: free 13:00-14:00 and
    // 14:15-15:15, no 2 h gap: no block. Wednesday 4 June: busy
    // 09:00-12:00, free 12:00-17:00: the default 2 h block at 12:00-14:00
    // local = 10:00-12:00 UTC.
    let out = temp_dir("focus");
    let now = utc(6, 1, 12, 0);
    let o = run_focus(&focus_request(ana_only(), Some(out.clone())), now).unwrap();
    let blocks: Vec<Interval> = o.plan.blocks.iter().map(|b| b.interval).collect();
    assert_eq!(
        blocks,
        vec![Interval::new(utc(6, 4, 10, 0), utc(6, 4, 12, 0))]
    );
    assert_eq!(o.plan.people[0].days_without_room, vec![d(6, 3)]);
    assert_eq!(o.plan.people[0].planned, Duration::hours(2));

    let path = out.join("ana@acme.com.focus.ics");
    let bytes = std::fs::read(&path).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    for line in text.split_inclusive("\r\n") {
        assert!(line.ends_with("\r\n"), "bare LF in {line:?}");
        assert!(line.len() <= 77, "line over 75 octets: {line:?}");
    }
    assert!(text.contains("DTSTART:20250604T100000Z\r\n"));
    assert!(text.contains("TRANSP:OPAQUE\r\n"));
    assert!(text.contains("CATEGORIES:Focus time\r\n"));
    assert!(text.contains("DTSTAMP:20250601T120000Z\r\n"));

    // Our own parser reads it back to the same block.
    let mut cal = read_calendar(&bytes, "focus.ics");
    let occ = cal.expand(&ExpandOptions::window(
        Bound::date(d(6, 1)),
        Bound::date(d(6, 30)),
    ));
    assert!(cal.diagnostics().is_empty(), "{:?}", cal.diagnostics());
    assert_eq!(occ.len(), 1);
    assert_eq!(occ[0].start.instant_in(&chrono_tz::UTC), utc(6, 4, 10, 0));
    assert_eq!(occ[0].details.categories, vec!["Focus time".to_string()]);

    // Python's icalendar reads it too; fail, never skip, without python3.
    let script = r#"
import sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
assert cal['VERSION'] == '2.0' and 'PRODID' in cal
events = list(cal.walk('VEVENT'))
for e in events:
    for key in ('UID', 'DTSTAMP', 'DTSTART', 'DTEND', 'SUMMARY'):
        assert key in e, key
    assert e.decoded('DTSTART').utcoffset() == datetime.timedelta(0)
    assert str(e['TRANSP']) == 'OPAQUE'
    assert 'Focus time' in [str(c) for c in e['CATEGORIES'].cats]
    print(e['UID'], e.decoded('DTSTART').isoformat())
print(len(events))
"#;
    let run = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3 must be installed (see scripts/requirements-test.txt)");
    assert!(
        run.status.success(),
        "python icalendar rejected the file: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(stdout.ends_with("1\n"), "{stdout}");
    assert!(stdout.contains("2025-06-04T10:00:00+00:00"), "{stdout}");

    // A second run writes the same UIDs (importing again updates).
    let uid = |t: &str| t.lines().find(|l| l.starts_with("UID:")).map(str::to_owned);
    run_focus(
        &focus_request(ana_only(), Some(out.clone())),
        utc(6, 2, 9, 0),
    )
    .unwrap();
    let again = std::fs::read_to_string(&path).unwrap();
    assert_eq!(uid(&text), uid(&again));
    assert!(uid(&text).is_some());
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn focus_from_a_single_calendar_file() {
    // The same calendar without a workspace: every busy event of it counts,
    // including the Weekly sync (Mondays only, outside the range): the same
    // single block.
    let source = FocusSource::Single {
        ics: fixture().join("calendars/ana.ics"),
        tz: chrono_tz::Europe::Berlin,
        hours: WorkingHours::standard(),
    };
    let o = run_focus(&focus_request(source, None), utc(6, 1, 0, 0)).unwrap();
    let blocks: Vec<Interval> = o.plan.blocks.iter().map(|b| b.interval).collect();
    assert_eq!(
        blocks,
        vec![Interval::new(utc(6, 4, 10, 0), utc(6, 4, 12, 0))]
    );
    assert_eq!(o.people[0].email, "ana");
}

#[test]
fn focus_refuses_an_unknown_person_and_an_empty_range() {
    let source = FocusSource::Workspace {
        root: fixture(),
        team: None,
        persons: vec!["nobody@acme.com".into()],
    };
    let err = run_focus(&focus_request(source, None), utc(6, 1, 0, 0)).unwrap_err();
    assert!(
        matches!(&err, MoveError::Input(m) if m.contains("nobody@acme.com")),
        "{err}"
    );
    let mut req = focus_request(ana_only(), None);
    req.from = d(6, 5);
    let err = run_focus(&req, utc(6, 1, 0, 0)).unwrap_err();
    assert!(err.to_string().contains("empty date range"), "{err}");
}

fn ad_hoc(persons: &[&str], from: NaiveDate, to: NaiveDate) -> OverlapRequest {
    OverlapRequest {
        root: None,
        team: None,
        persons: persons.iter().map(|p| p.to_string()).collect(),
        hours: WorkingHours::standard(),
        from,
        to,
        share: 1.0,
        meeting: Duration::hours(1),
    }
}

#[test]
fn overlap_of_berlin_and_new_york_across_the_march_changes() {
    // Both Mon-Fri 09:00-17:00 local.
    // Until 7 Mar: Berlin CET 08-16 UTC, New York EST 14-22 UTC: 14-16 UTC.
    // 10-28 Mar (US on EDT since 9 Mar): New York 13-21 UTC: 13-16 UTC, 3 h.
    // From 31 Mar (EU on CEST since 30 Mar): Berlin 07-15 UTC: 13-15 UTC.
    // New York local: 09:00-11:00, 09:00-12:00, 09:00-11:00.
    let o = run_overlap(&ad_hoc(
        &["Berlin=Europe/Berlin", "New York=America/New_York"],
        d(3, 3),
        d(4, 4),
    ))
    .unwrap();
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    let got: Vec<(NaiveDate, NaiveDate, NaiveTime, Duration)> = o
        .plan
        .periods
        .iter()
        .map(|p| {
            (
                p.first,
                p.last,
                p.windows[0].start.time(),
                p.windows[0].duration(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (d(3, 3), d(3, 7), t(14), Duration::hours(2)),
            (d(3, 10), d(3, 28), t(13), Duration::hours(3)),
            (d(3, 31), d(4, 4), t(13), Duration::hours(2)),
        ]
    );
    let ny = chrono_tz::America::New_York;
    let local = |i: &Interval| i.start.with_timezone(&ny).format("%H:%M").to_string();
    assert_eq!(local(&o.plan.periods[1].windows[0]), "09:00");
    assert_eq!(
        o.plan.periods[1].windows[0]
            .end
            .with_timezone(&ny)
            .format("%H:%M")
            .to_string(),
        "12:00"
    );
    let json = fulcrum_report::overlap::to_json(&o.members, &o.plan, Duration::hours(1));
    assert_eq!(json["periods"][1]["windows"][0]["utc"], "13:00-16:00");
    assert_eq!(
        json["periods"][1]["windows"][0]["local"][1]["time"],
        "09:00-12:00"
    );
    assert_eq!(json["no_overlap"], false);
}

#[test]
fn overlap_with_bangalore_has_none_and_suggests_async() {
    // Bangalore 09-17 IST = 03:30-11:30 UTC; New York from 13:00 UTC at the
    // earliest: never all three.
    let o = run_overlap(&ad_hoc(
        &[
            "Berlin=Europe/Berlin",
            "New York=America/New_York",
            "Bangalore=Asia/Kolkata",
        ],
        d(3, 3),
        d(3, 14),
    ))
    .unwrap();
    assert!(o.plan.none());
    let json = fulcrum_report::overlap::to_json(&o.members, &o.plan, Duration::hours(1));
    assert_eq!(json["no_overlap"], true);
    assert!(json["advice"].as_str().unwrap().contains("async"));
    let mut text = Vec::new();
    fulcrum_report::overlap::write_text(
        &o.members,
        &o.plan,
        Duration::hours(1),
        &|m, day| o.working_in(m, day),
        &mut text,
    )
    .unwrap();
    assert!(
        String::from_utf8(text)
            .unwrap()
            .contains("no overlap at all")
    );
}

#[test]
fn overlap_refuses_bad_input() {
    let err = run_overlap(&ad_hoc(&["Mars=Mars/Olympus"], d(3, 3), d(3, 4))).unwrap_err();
    assert!(err.to_string().contains("Mars/Olympus"), "{err}");
    let err = run_overlap(&ad_hoc(&["Berlin=Europe/Berlin"], d(3, 4), d(3, 3))).unwrap_err();
    assert!(err.to_string().contains("empty date range"), "{err}");
    let mut req = ad_hoc(&[], d(3, 3), d(3, 4));
    req.root = Some(fixture());
    req.persons = vec!["zed@acme.com".into()];
    let err = run_overlap(&req).unwrap_err();
    assert!(err.to_string().contains("zed@acme.com"), "{err}");
}

#[test]
fn rotate_counts_history_skips_the_away_and_the_off_hours() {
    // Weekly sync, Mondays 08:00-08:30 UTC (10:00 Berlin, 04:00 New York).
    // History before 2 June: Ana organized 5, 12, 19 and 26 May: Ana 4.
    // Cy is never working then. Bo is away on 9 June; Ana and Bo are both
    // away the week of 23 June ("Holiday: summer break"), two of the three
    // candidates: that instance goes to nobody and counts for nobody.
    // 2 Jun Bo (0 -> 1); 9 Jun Bo away: Ana (4 -> 5); 16 Jun Bo (2);
    // 23 Jun nobody; 30 Jun Bo (2 < 5 -> 3).
    let o = run_rotate(&RotateRequest {
        source: RotateSource::Workspace(fixture()),
        series: "weekly sync".into(),
        team: None,
        from: d(6, 2),
        to: None,
        count: 5,
    })
    .unwrap();
    assert_eq!(o.uid, "weekly-sync@acme.com");
    let names: Vec<&str> = o.candidates.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Ana", "Bo", "Cy"]);
    assert_eq!(o.history, vec![4, 0, 0]);
    let who: Vec<Option<usize>> = o.assignments.iter().map(|a| a.facilitator).collect();
    assert_eq!(who, vec![Some(1), Some(0), Some(1), None, Some(1)]);
    assert_eq!(o.assignments[1].occurrence.start, utc(6, 9, 8, 0));
    assert_eq!(o.assignments[3].occurrence.start, utc(6, 23, 8, 0));
    assert_eq!(o.assignments[3].away, 2);
    assert_eq!(
        o.short_id,
        fulcrum_model::series_short_id("weekly-sync@acme.com")
    );
    assert_eq!(o.tz, chrono_tz::Europe::Berlin);

    let view = fulcrum_report::rotate::RotationView {
        title: &o.title,
        uid: &o.uid,
        short_id: &o.short_id,
        tz: o.tz,
        candidates: &o.candidates,
        history: &o.history,
        assignments: &o.assignments,
    };
    let mut csv = Vec::new();
    fulcrum_report::rotate::write_csv(&view, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(
        csv.lines().nth(2).unwrap(),
        "2025-06-09T08:00:00+00:00,2025-06-09T08:30:00+00:00,\"Ana\",\"ana@acme.com\""
    );
    let mut ics = Vec::new();
    fulcrum_report::rotate::write_ics(&view, utc(6, 1, 0, 0), &mut ics).unwrap();
    let mut cal = read_calendar(&ics, "rotation.ics");
    let occ = cal.expand(&ExpandOptions::window(
        Bound::date(d(6, 1)),
        Bound::date(d(7, 31)),
    ));
    assert_eq!(occ.len(), 5);
    assert!(occ[1].details.summary.contains("Ana"));

    let err = run_rotate(&RotateRequest {
        source: RotateSource::Workspace(fixture()),
        series: "retro".into(),
        team: None,
        from: d(6, 2),
        to: None,
        count: 5,
    })
    .unwrap_err();
    assert!(err.to_string().contains("no recurring series"), "{err}");
}

#[test]
fn overlap_of_a_workspace_team() {
    // Team "core" in June 2025: Ana and Bo, Berlin CEST 07-15 UTC; Cy, New
    // York EDT 13-21 UTC: 13:00-15:00 UTC, Monday 2 to Friday 6 June.
    let mut req = ad_hoc(&[], d(6, 2), d(6, 8));
    req.root = Some(fixture());
    req.team = Some("core".into());
    let o = run_overlap(&req).unwrap();
    assert_eq!(o.members.len(), 3);
    assert_eq!(o.plan.periods.len(), 1);
    let p = &o.plan.periods[0];
    assert_eq!((p.first, p.last), (d(6, 2), d(6, 6)));
    assert_eq!(
        p.windows,
        vec![Interval::new(utc(6, 2, 13, 0), utc(6, 2, 15, 0))]
    );
    let err = run_overlap(&OverlapRequest {
        team: Some("nope".into()),
        ..req
    })
    .unwrap_err();
    assert!(err.to_string().contains("no team \"nope\""), "{err}");
}

#[test]
fn written_text_survives_folding_and_escaping_in_python() {
    // A summary of 60 two-octet characters with every escaped character:
    // folded across several lines; Python must give back the same text.
    let summary = format!("Fokus, Ruhe; Zeit\\ {}\nzweite Zeile", "ü".repeat(60));
    let event = fulcrum_report::ics_write::IcsEvent {
        uid: "x@fulcrum".into(),
        start: utc(6, 4, 10, 0),
        end: utc(6, 4, 12, 0),
        summary: summary.clone(),
        description: None,
        categories: vec!["Focus time".into()],
        busy: true,
        url: None,
    };
    let mut bytes = Vec::new();
    fulcrum_report::ics_write::write_calendar(&mut bytes, "t", utc(6, 1, 0, 0), &[event]).unwrap();
    let dir = temp_dir("fold");
    let path = dir.join("t.ics");
    std::fs::write(&path, &bytes).unwrap();
    let run = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, icalendar\n\
             cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
             e = next(iter(cal.walk('VEVENT')))\n\
             sys.stdout.write(str(e['SUMMARY']))",
        )
        .arg(&path)
        .output()
        .expect("python3 must be installed (see scripts/requirements-test.txt)");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(String::from_utf8(run.stdout).unwrap(), summary);
    // And our parser, which unfolds octets before decoding.
    let mut cal = read_calendar(&bytes, "t.ics");
    let occ = cal.expand(&ExpandOptions::window(
        Bound::date(d(6, 1)),
        Bound::date(d(6, 30)),
    ));
    assert_eq!(occ[0].details.summary, summary);
    let _ = std::fs::remove_dir_all(&dir);
}
