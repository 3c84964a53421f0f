//! `read_calendar_for` against `read_calendar` then `expand`: on every
//! calendar of the test data and the real-world corpus, on a generated
//! export, on a demo organisation's calendars over more than a year, and on
//! hand-made cases at the edges of the rule, over windows before, after and
//! inside the data, one day long, cutting long all-day events, around DST
//! changes and a few days from each side of single events, and on mutated
//! copies of the test calendars. The windowed read must give the same
//! occurrences, diagnostics and counts.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

#[path = "../examples/gen_calendar.rs"]
#[allow(dead_code)]
mod gen_calendar;

mod common;

use chrono::{Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use fulcrum_ics::event::EventComponent;
use fulcrum_ics::{Bound, ExpandOptions, read_calendar, read_calendar_for};
use std::path::Path;

/// What the checks of a set of calendars saw, so that no test passes by
/// leaving nothing out.
#[derive(Debug, Default)]
struct Tally {
    windows: usize,
    occurrences: usize,
    left_out: usize,
    /// Overrides (`RECURRENCE-ID`) among those left out.
    overrides_left_out: usize,
}

/// The windowed read against the full one over `opts`.
#[track_caller]
fn check(bytes: &[u8], what: &str, opts: &ExpandOptions, tally: &mut Tally) {
    let mut full = read_calendar(bytes, "t.ics");
    let want = full.expand(opts);
    let mut windowed = read_calendar_for(bytes, "t.ics", opts);
    let got = windowed.expand(opts);
    assert_eq!(got.len(), want.len(), "{what}: occurrence count");
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "{what}: occurrence {i}");
    }
    assert_eq!(windowed.stats(), full.stats(), "{what}: parse stats");
    assert_eq!(
        windowed.expand_stats(),
        full.expand_stats(),
        "{what}: expand stats"
    );
    assert_eq!(
        windowed.diagnostics(),
        full.diagnostics(),
        "{what}: diagnostics"
    );
    assert_eq!(
        windowed.events().len() + windowed.events_outside_window(),
        full.events().len(),
        "{what}: events built and left out"
    );
    let overrides =
        |events: &[EventComponent]| events.iter().filter(|e| e.recurrence_id.is_some()).count();
    tally.windows += 1;
    tally.occurrences += want.len();
    tally.left_out += windowed.events_outside_window();
    tally.overrides_left_out += overrides(full.events()) - overrides(windowed.events());
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn naive(from: NaiveDateTime, to: NaiveDateTime) -> ExpandOptions {
    ExpandOptions::window(Bound::Naive(from), Bound::Naive(to))
}

/// A window of instants, both ends written on `offset` (seconds east).
fn instant(from: NaiveDateTime, to: NaiveDateTime, offset: i32) -> ExpandOptions {
    let z = FixedOffset::east_opt(offset).unwrap();
    let at = |t: NaiveDateTime| Bound::Instant(z.from_local_datetime(&t).unwrap());
    ExpandOptions::window(at(from), at(to))
}

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_time(chrono::NaiveTime::MIN)
}

/// Where an event ends, roughly, as a wall clock: its DTEND, its start plus
/// its DURATION, or its start plus a day for a date.
fn rough_end(e: &EventComponent) -> NaiveDateTime {
    let start = e.dtstart.naive();
    match (&e.dtend, e.duration) {
        (Some(end), _) => end.naive().max(start),
        (None, Some(d)) => start + d.approx().max(Duration::zero()),
        (None, None) if e.dtstart.is_date() => start + Duration::days(1),
        (None, None) => start,
    }
}

/// The windows a calendar is checked over, with a label each.
fn windows(bytes: &[u8], edge_events: usize) -> Vec<(String, ExpandOptions)> {
    let cal = read_calendar(bytes, "t.ics");
    let events = cal.events();
    let mut out: Vec<(String, ExpandOptions)> = Vec::new();

    // DST changes: the US and Europe, in spring and autumn, in 2024 (the
    // generated export and much of the corpus) and 2026-2027 (the demo).
    for d in [
        "2024-03-10",
        "2024-03-31",
        "2024-10-27",
        "2024-11-03",
        "2026-10-25",
        "2026-11-01",
        "2027-03-14",
        "2027-03-28",
    ] {
        let d = midnight(day(d));
        let (from, to) = (d - Duration::days(3), d + Duration::days(4));
        out.push((format!("week around {d}"), naive(from, to)));
        out.push((format!("week around {d}, UTC"), instant(from, to, 0)));
    }

    let mut starts: Vec<NaiveDateTime> = events.iter().map(|e| e.dtstart.naive()).collect();
    starts.sort();
    let (Some(&first), Some(&last)) = (starts.first(), starts.last()) else {
        return out;
    };
    let middle = starts[starts.len() / 2];
    let last_end = events.iter().map(rough_end).max().unwrap_or(last);
    out.push((
        "before all data".into(),
        naive(first - Duration::days(60), first - Duration::days(30)),
    ));
    out.push((
        "after all data".into(),
        naive(last_end + Duration::days(30), last_end + Duration::days(60)),
    ));
    out.push((
        "13 weeks in the middle".into(),
        naive(middle - Duration::weeks(6), middle + Duration::weeks(7)),
    ));
    out.push((
        "13 weeks in the middle, +05:30".into(),
        instant(
            middle - Duration::weeks(6),
            middle + Duration::weeks(7),
            19_800,
        ),
    ));
    let one_day = midnight(middle.date());
    out.push((
        "one day".into(),
        naive(one_day, one_day + Duration::days(1)),
    ));
    out.push((
        "one day, -10:00".into(),
        instant(one_day, one_day + Duration::days(1), -36_000),
    ));
    out.push((
        "up to the end of the data".into(),
        naive(last_end - Duration::weeks(13), last_end),
    ));

    // Long all-day events, cut by a one-day window in their middle.
    for e in events
        .iter()
        .filter(|e| e.dtstart.is_date() && !e.is_recurring())
        .filter(|e| rough_end(e) - e.dtstart.naive() >= Duration::days(3))
        .take(3)
    {
        let start = e.dtstart.naive();
        let mid = midnight((start + (rough_end(e) - start) / 2).date());
        out.push((
            format!("one day inside the all-day event at {start}"),
            naive(mid, mid + Duration::days(1)),
        ));
        out.push((
            format!("one week from the middle of the all-day event at {start}"),
            instant(mid, mid + Duration::days(7), 3_600),
        ));
    }

    // A few days from each side of some single events: where the margin
    // decides. Offsets at both extremes move instant bounds the most.
    let one_offs: Vec<&EventComponent> = events
        .iter()
        .filter(|e| !e.is_recurring() && e.recurrence_id.is_none())
        .collect();
    let step = (one_offs.len() / edge_events.max(1)).max(1);
    for (n, e) in one_offs.iter().step_by(step).take(edge_events).enumerate() {
        let (start, end) = (e.dtstart.naive(), rough_end(e));
        let offset = if n % 2 == 0 { 50_400 } else { -43_200 };
        let two_weeks = Duration::days(14);
        for k in [0, 6, 8] {
            let after = end + Duration::days(k);
            let before = start - Duration::days(k);
            out.push((
                format!("from {k} days after the event at {start}"),
                naive(after, after + two_weeks),
            ));
            out.push((
                format!("to {k} days before the event at {start}, offset {offset}"),
                instant(before - two_weeks, before, offset),
            ));
        }
    }
    out
}

/// Checks a calendar over all its windows; the middle ones also with
/// cancelled instances kept and `X-WR-TIMEZONE` ignored.
fn check_all_windows(bytes: &[u8], name: &str, edge_events: usize, tally: &mut Tally) {
    for (label, opts) in windows(bytes, edge_events) {
        check(bytes, &format!("{name}: {label}"), &opts, tally);
        if label.contains("middle") || label.starts_with("one day") {
            let mut other = opts.clone();
            other.include_cancelled = true;
            other.honour_x_wr_timezone = false;
            check(
                bytes,
                &format!("{name}: {label}, cancelled kept, X-WR-TIMEZONE ignored"),
                &other,
                tally,
            );
        }
    }
}

#[test]
fn agrees_with_the_full_read_on_every_test_calendar() {
    let files = common::files();
    assert!(files.len() >= 172, "{} files", files.len());
    let mut tally = Tally::default();
    for (name, bytes) in &files {
        check_all_windows(bytes, name, 3, &mut tally);
    }
    // The comparison must not be vacuous.
    assert!(tally.occurrences > 1000, "{tally:?}");
    assert!(tally.left_out > 1000, "{tally:?}");
}

#[test]
fn agrees_on_a_generated_export() {
    let (bytes, _) = gen_calendar::generate_vec(&gen_calendar::GenConfig {
        events: 800,
        seed: 5,
    });
    let mut tally = Tally::default();
    check_all_windows(&bytes, "generated", 6, &mut tally);
    assert!(tally.occurrences > 5_000, "{tally:?}");
    assert!(tally.left_out > 5_000, "{tally:?}");
    assert!(tally.overrides_left_out > 1_000, "{tally:?}");
}

/// A demo organisation over 60 weeks (August 2026 to October 2027: two
/// autumns, a spring, a new year), Google and Exchange dialects, as
/// `fulcrum demo --people 6 --weeks 60` writes it. (For more, point
/// `FULCRUM_WINDOW_ICS_DIR` at the `calendars` of a bigger demo: see
/// [`agrees_on_the_calendars_of_a_given_folder`].)
#[test]
fn agrees_on_a_demo_organisation_over_more_than_a_year() {
    let options = fulcrum_demo::DemoOptions {
        people: 6,
        weeks: 60,
        ..fulcrum_demo::DemoOptions::default()
    };
    let mut sink = fulcrum_demo::MemorySink::default();
    fulcrum_demo::generate(&options.validated().unwrap(), &mut sink).unwrap();
    let calendars: Vec<(String, Vec<u8>)> = sink
        .files()
        .into_iter()
        .filter(|(path, _)| path.starts_with("calendars/") && path.ends_with(".ics"))
        .collect();
    assert!(calendars.len() >= 6, "{} calendars", calendars.len());
    let mut tally = Tally::default();
    for (name, bytes) in &calendars {
        check_all_windows(bytes, name, 2, &mut tally);
    }
    assert!(tally.occurrences > 3_000, "{tally:?}");
    assert!(tally.left_out > 10_000, "{tally:?}");
    assert!(tally.overrides_left_out > 5_000, "{tally:?}");
}

/// Every `.ics` under the folder `FULCRUM_WINDOW_ICS_DIR` names, when it
/// is set (run in release for a big folder):
///
/// ```text
/// cargo run --release -p fulcrum -- demo --out /tmp/ics-win-demo --people 20 --weeks 60
/// FULCRUM_WINDOW_ICS_DIR=/tmp/ics-win-demo/calendars \
///     cargo test --release -p fulcrum-ics --test window -- given_folder --nocapture
/// ```
#[test]
fn agrees_on_the_calendars_of_a_given_folder() {
    let Some(dir) = std::env::var_os("FULCRUM_WINDOW_ICS_DIR") else {
        return;
    };
    let mut paths = Vec::new();
    common::all_ics(Path::new(&dir), &mut paths);
    paths.sort();
    let mut tally = Tally::default();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        check_all_windows(&bytes, &path.display().to_string(), 4, &mut tally);
    }
    println!("{} files: {tally:?}", paths.len());
    assert!(!paths.is_empty(), "no .ics under {}", dir.display());
}

/// The lines the mutations put in: what decides whether an event may be
/// left out, valid and not.
const INSERTS: &[&[u8]] = &[
    b"END:VEVENT",
    b"BEGIN:VEVENT",
    b"BEGIN:VALARM",
    b"END:VALARM",
    b"END:VCALENDAR",
    b"BEGIN:",
    b"GARBAGE",
    b"ATTENDEE;CN=\"Doe: Jane\";PARTSTAT=ACCEPTED:mailto:j@x.org",
    b"ATTENDEE;CN=\"unterminated:mailto:j@x.org",
    b"UID:shared",
    b"UID:",
    b"DTSTART:20240301T100000",
    b"DTSTART;VALUE=DATE:20240301",
    b"DTSTART;TZID=Mars/Olympus:20240301T100000",
    b"DTSTART:garbage",
    b"DTEND:20240101T100000Z",
    b"DTEND;TZID=Pacific/Kiritimati:20240305T100000",
    b"DURATION:P30D",
    b"DURATION:-PT1H",
    b"DURATION:garbage",
    b"RRULE:FREQ=WEEKLY",
    b"RDATE:20240305T100000",
    b"EXDATE:20240305T100000",
    b"RECURRENCE-ID:20240305T100000Z",
    b"RECURRENCE-ID;RANGE=THISANDFUTURE:20240305T100000Z",
    b"RECURRENCE-ID;VALUE=DATE:20240305",
    b"RECURRENCE-ID:garbage",
    b"STATUS:CANCELLED",
    b"SEQUENCE:7",
    b"X-WR-TIMEZONE:Mars/Olympus",
    b"X-WR-TIMEZONE:Asia/Kolkata",
];

/// Mutated copies of the test calendars, over a few windows chosen on the
/// original: whatever the damage, the windowed read agrees.
#[test]
fn agrees_on_mutated_calendars() {
    let mut rng = gen_calendar::Rng::new(29);
    let mut tally = Tally::default();
    // With series, overrides and THISANDFUTURE edits, which the corpus has
    // few of.
    let (generated, _) = gen_calendar::generate_vec(&gen_calendar::GenConfig {
        events: 150,
        seed: 11,
    });
    let mut files = common::files();
    files.push(("generated".to_owned(), generated));
    for (name, bytes) in &files {
        let windows = windows(bytes, 1);
        let picked: Vec<&(String, ExpandOptions)> = windows
            .iter()
            .filter(|(label, _)| {
                label.starts_with("13 weeks in the middle")
                    || label.starts_with("from 8 days")
                    || label.starts_with("to 0 days")
                    || label.starts_with("one day inside")
                    || label == "week around 2024-03-10 00:00:00"
            })
            .collect();
        let rounds = if name == "generated" { 100 } else { 20 };
        for round in 0..rounds {
            let mutated = common::mutate(bytes, &mut rng, INSERTS);
            for (label, opts) in &picked {
                check(
                    &mutated,
                    &format!("{name}, mutation {round}: {label}"),
                    opts,
                    &mut tally,
                );
            }
        }
    }
    assert!(tally.left_out > 5_000, "{tally:?}");
    assert!(tally.overrides_left_out > 1_000, "{tally:?}");
}

fn calendar(events: &str) -> Vec<u8> {
    let body = format!(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{}END:VCALENDAR\n",
        events.trim_start()
    );
    body.replace('\n', "\r\n").into_bytes()
}

/// A window of three weeks from 1 March 2024.
fn march() -> ExpandOptions {
    naive(midnight(day("2024-03-01")), midnight(day("2024-03-22")))
}

/// Checks one hand-made calendar over [`march`]; returns how many
/// occurrences it has there and how many events were left out.
#[track_caller]
fn check_march(events: &str) -> (usize, usize) {
    let bytes = calendar(events);
    let mut tally = Tally::default();
    check(&bytes, events, &march(), &mut tally);
    (tally.occurrences, tally.left_out)
}

#[test]
fn a_three_week_vacation_starting_twenty_days_before_the_window_is_kept() {
    // 10 February to 2 March (end exclusive): its last day is in the window.
    let by_end = "
BEGIN:VEVENT
UID:vacation
DTSTART;VALUE=DATE:20240210
DTEND;VALUE=DATE:20240302
SUMMARY:Vacation
END:VEVENT
";
    assert_eq!(check_march(by_end), (1, 0));
    let by_duration = by_end.replace("DTEND;VALUE=DATE:20240302", "DURATION:P3W");
    assert_eq!(check_march(&by_duration), (1, 0));
    // Ending where the window starts, it is not in it, but too near to be
    // left out unread.
    let ending_at_the_start = by_end.replace("20240302", "20240301");
    assert_eq!(check_march(&ending_at_the_start), (0, 0));
}

#[test]
fn a_one_off_event_with_a_ten_day_duration_is_kept() {
    // 21 February 09:00 plus ten days: 2 March 09:00, inside the window.
    let zoned = "
BEGIN:VEVENT
UID:offsite
DTSTART;TZID=Europe/Berlin:20240221T090000
DURATION:P10D
END:VEVENT
";
    assert_eq!(check_march(zoned), (1, 0));
    let floating = zoned.replace(";TZID=Europe/Berlin", "");
    assert_eq!(check_march(&floating), (1, 0));
    let utc = zoned.replace(";TZID=Europe/Berlin:20240221T090000", ":20240221T090000Z");
    assert_eq!(check_march(&utc), (1, 0));
    let by_hours = zoned.replace("P10D", "PT240H");
    assert_eq!(check_march(&by_hours), (1, 0));
}

#[test]
fn single_events_far_from_the_window_are_left_out() {
    let events = "
BEGIN:VEVENT
UID:january
DTSTART:20240110T090000Z
DTEND:20240110T100000Z
ATTENDEE;CN=Ana:mailto:ana@example.com
END:VEVENT
BEGIN:VEVENT
UID:april
DTSTART;VALUE=DATE:20240415
END:VEVENT
BEGIN:VEVENT
UID:inside
DTSTART;TZID=America/New_York:20240305T090000
DTEND;TZID=America/New_York:20240305T093000
END:VEVENT
BEGIN:VEVENT
UID:near the margin
DTSTART;TZID=Pacific/Kiritimati:20240222T230000
DTEND;TZID=Pacific/Kiritimati:20240223T010000
END:VEVENT
";
    assert_eq!(check_march(events), (1, 2));
}

#[test]
fn events_with_something_to_report_are_built_wherever_they_are() {
    // Far from the window, but each has a warning of its own or one that
    // expanding it would give: all are built, so every warning stays.
    for event in [
        "UID:x\nDTSTART:20240110T090000Z\nDTEND:nonsense\n",
        "UID:x\nDTSTART:20240110T090000Z\nDURATION:1 hour\n",
        "UID:x\nDTSTART:20240110T090000Z\nDTEND:20240109T090000Z\n",
        "DTSTART:20240110T090000Z\n",
        "UID:  \nDTSTART:20240110T090000Z\n",
        "UID:x\nDTSTART:garbage\nDTSTART:20240110T090000Z\n",
        "UID:x\nDTSTART:20240110T090000Z\nRRULE:FREQ=NEVER\n",
        "UID:x\nDTSTART:20240110T090000Z\nRDATE:nonsense\n",
        "UID:x\nDTSTART:20240110T090000Z\nEXDATE:nonsense\n",
        "UID:x\nDTSTART:20240110T090000Z\nRECURRENCE-ID:nonsense\n",
        "UID:x\nDTSTART;TZID=Mars/Olympus:20240110T090000\n",
        "UID:x\nDTSTART:20240110T090000\nDTEND;TZID=Mars/Olympus:20240110T100000\n",
    ] {
        let (occurrences, left_out) = check_march(&format!("BEGIN:VEVENT\n{event}END:VEVENT\n"));
        assert_eq!((occurrences, left_out), (0, 0), "{event}");
    }
    // An unknown X-WR-TIMEZONE is reported while expanding too.
    let bytes = calendar(
        "X-WR-TIMEZONE:Mars/Olympus\nBEGIN:VEVENT\nUID:x\nDTSTART:20240110T090000\nEND:VEVENT\n",
    );
    let mut tally = Tally::default();
    check(&bytes, "unknown X-WR-TIMEZONE", &march(), &mut tally);
    assert_eq!(tally.left_out, 0);
}

#[test]
fn a_uid_shared_with_another_event_reads_the_file_in_full() {
    // The later copy, with the higher SEQUENCE, moved the meeting out of
    // the window: the full read drops the copy inside it, and so must the
    // windowed one, though the copy outside looks like a lone one-off.
    let moved = "
BEGIN:VEVENT
UID:moved
SEQUENCE:0
DTSTART:20240305T090000Z
END:VEVENT
BEGIN:VEVENT
UID:moved
SEQUENCE:1
DTSTART:20240605T090000Z
END:VEVENT
";
    assert_eq!(check_march(moved), (0, 0));
    // An override of a one-off event, moved into the window: the one-off
    // decides the clock of its recurrence id.
    let overridden = "
BEGIN:VEVENT
UID:one-off
DTSTART;VALUE=DATE:20240105
END:VEVENT
BEGIN:VEVENT
UID:one-off
RECURRENCE-ID;VALUE=DATE:20240105
DTSTART:20240305T090000Z
END:VEVENT
";
    assert_eq!(check_march(overridden), (1, 0));
    // Two lone-looking copies, both outside.
    let twice = "
BEGIN:VEVENT
UID:twice
DTSTART:20240105T090000Z
END:VEVENT
BEGIN:VEVENT
UID:twice
DTSTART:20240605T090000Z
END:VEVENT
";
    assert_eq!(check_march(twice), (0, 0));
}

#[test]
fn windows_at_the_ends_of_time_leave_nothing_out_wrongly() {
    let bytes = calendar(
        "BEGIN:VEVENT\nUID:x\nDTSTART:20240110T090000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:y\nDTSTART;VALUE=DATE:99991231\nEND:VEVENT\n",
    );
    let mut tally = Tally::default();
    for opts in [
        naive(NaiveDateTime::MIN, NaiveDateTime::MAX),
        naive(NaiveDateTime::MIN, midnight(day("2024-01-01"))),
        naive(midnight(day("2024-02-01")), NaiveDateTime::MAX),
        // Inverted: nothing is in it, whatever is left out.
        naive(midnight(day("2024-02-01")), midnight(day("2024-01-01"))),
    ] {
        check(&bytes, "ends of time", &opts, &mut tally);
    }
    assert!(tally.left_out >= 2, "{tally:?}");
}

/// A weekly series on Tuesdays at 09:00 in Berlin from January 2024, one
/// hour long unless `master_end` says otherwise, then `overrides`.
fn series(master_end: &str, overrides: &str) -> String {
    format!(
        "
BEGIN:VEVENT
UID:weekly
DTSTART;TZID=Europe/Berlin:20240102T090000
{master_end}
RRULE:FREQ=WEEKLY
END:VEVENT
{}",
        overrides.trim_start()
    )
}

const ONE_HOUR: &str = "DTEND;TZID=Europe/Berlin:20240102T100000";

#[test]
fn an_override_of_an_instance_far_from_the_window_is_left_out() {
    // Three weeks from 1 March: the Tuesdays 5, 12 and 19 March.
    let moved_in_january = series(
        ONE_HOUR,
        "
BEGIN:VEVENT
UID:weekly
RECURRENCE-ID;TZID=Europe/Berlin:20240109T090000
DTSTART;TZID=Europe/Berlin:20240110T140000
DTEND;TZID=Europe/Berlin:20240110T150000
ATTENDEE;CN=\"Doe: Jane\":mailto:jane@example.com
BEGIN:VALARM
TRIGGER:-PT10M
ACTION:DISPLAY
END:VALARM
END:VEVENT
",
    );
    assert_eq!(check_march(&moved_in_january), (3, 1));
    // Written in UTC, or as a date, or cancelled: the same.
    for rid in [
        "RECURRENCE-ID:20240109T080000Z",
        "RECURRENCE-ID;VALUE=DATE:20240109",
    ] {
        let other =
            moved_in_january.replace("RECURRENCE-ID;TZID=Europe/Berlin:20240109T090000", rid);
        assert_eq!(check_march(&other), (3, 1), "{rid}");
    }
    let cancelled = moved_in_january.replace("END:VALARM\n", "END:VALARM\nSTATUS:CANCELLED\n");
    assert_eq!(check_march(&cancelled), (3, 1));
}

#[test]
fn overrides_that_matter_are_read() {
    // An instance moved out of the window: it replaces one inside.
    let moved_out = series(
        ONE_HOUR,
        "
BEGIN:VEVENT
UID:weekly
RECURRENCE-ID;TZID=Europe/Berlin:20240312T090000
DTSTART;TZID=Europe/Berlin:20240612T090000
END:VEVENT
",
    );
    assert_eq!(check_march(&moved_out), (2, 0));
    // A month-long master: the instance an override in February replaces
    // would reach into March.
    let long = series(
        "DURATION:P30D",
        "
BEGIN:VEVENT
UID:weekly
RECURRENCE-ID;TZID=Europe/Berlin:20240206T090000
DTSTART;TZID=Europe/Berlin:20240105T090000
DURATION:PT1H
END:VEVENT
",
    );
    // Instances from 13 February on reach the window; 6 February's is
    // replaced by the override, which ends in January.
    assert_eq!(check_march(&long), (6, 0));
    // Two overrides of one January instance (written in two zones): the
    // later SEQUENCE, far away, wins over the one moved into the window.
    let twice = series(
        ONE_HOUR,
        "
BEGIN:VEVENT
UID:weekly
RECURRENCE-ID;TZID=Europe/Berlin:20240109T090000
SEQUENCE:1
DTSTART;TZID=Europe/Berlin:20240306T090000
END:VEVENT
BEGIN:VEVENT
UID:weekly
RECURRENCE-ID:20240109T080000Z
SEQUENCE:2
DTSTART;TZID=Europe/Berlin:20240606T090000
END:VEVENT
",
    );
    assert_eq!(check_march(&twice), (3, 0));
    // A series with a THISANDFUTURE edit.
    let this_and_future = series(
        ONE_HOUR,
        "
BEGIN:VEVENT
UID:weekly
RECURRENCE-ID;TZID=Europe/Berlin:20240109T090000
DTSTART;TZID=Europe/Berlin:20240110T090000
END:VEVENT
BEGIN:VEVENT
UID:weekly
RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20240116T090000
DTSTART;TZID=Europe/Berlin:20240116T110000
END:VEVENT
",
    );
    assert_eq!(check_march(&this_and_future), (3, 0));
}

#[test]
fn overrides_whose_series_is_not_plain_are_read() {
    let override_far = "
BEGIN:VEVENT
UID:weekly
RECURRENCE-ID;TZID=Europe/Berlin:20240109T090000
DTSTART;TZID=Europe/Berlin:20240110T090000
END:VEVENT
";
    // Before its master in the file: the series' place in the output
    // follows its first component.
    let before = format!(
        "{override_far}BEGIN:VEVENT\nUID:other\nDTSTART:20240305T090000Z\nEND:VEVENT\n{}",
        series(ONE_HOUR, "")
    );
    assert_eq!(check_march(&before), (4, 0));
    // Without a master, or with a one-off master, or with an RDATE period.
    assert_eq!(check_march(override_far), (0, 0));
    let one_off_master = series(ONE_HOUR, override_far).replace("RRULE:FREQ=WEEKLY\n", "");
    assert_eq!(check_march(&one_off_master), (0, 0));
    let period = series(ONE_HOUR, override_far).replace(
        "RRULE:FREQ=WEEKLY",
        "RRULE:FREQ=WEEKLY\nRDATE;VALUE=PERIOD:20240301T090000Z/20240302T090000Z",
    );
    assert_eq!(check_march(&period).1, 0);
    // A second master that does not recur, later in the file.
    let second_master = format!(
        "{}BEGIN:VEVENT\nUID:weekly\nSEQUENCE:3\nDTSTART:20240305T090000Z\nEND:VEVENT\n",
        series(ONE_HOUR, override_far)
    );
    assert_eq!(check_march(&second_master), (1, 0));
}
