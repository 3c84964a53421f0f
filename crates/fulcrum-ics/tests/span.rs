//! `scan_span` against the full parse: on every calendar of the test data
//! and the real-world corpus, on mutated copies of them, on a generated
//! export, and on hand-made cases that sit on the edges of what the full
//! parse keeps or skips.
//!
//! The reference is the data-span rule of `fulcrum-app` (`DataSpan::observe`
//! in `crates/fulcrum-app/src/ics.rs`) written out again over
//! `read_calendar`'s events, so a change of either side shows here.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

#[path = "../examples/gen_calendar.rs"]
#[allow(dead_code)]
mod gen_calendar;

mod common;

use chrono::{DateTime, NaiveDate, Utc};
use fulcrum_ics::{SpanFacts, read_calendar, scan_span};
use std::collections::BTreeSet;

/// `DataSpan::observe` of one calendar: its export time and its days.
#[derive(Debug, PartialEq, Eq)]
struct Reference {
    exported: Option<DateTime<Utc>>,
    days: Vec<NaiveDate>,
    events: usize,
    has_components: bool,
}

fn reference(bytes: &[u8]) -> Reference {
    let cal = read_calendar(bytes, "t.ics");
    let exported = cal.events().iter().filter_map(|e| e.details.dtstamp).max();
    let mut days = BTreeSet::new();
    for e in cal.events() {
        if !e.is_recurring() && !e.dtstart.is_date() {
            let d = e.dtstart.naive().date();
            if exported.is_none_or(|x| d < x.date_naive()) {
                days.insert(d);
            }
        }
    }
    let facts = cal.span_facts();
    let r = Reference {
        exported,
        days: days.into_iter().collect(),
        events: cal.events().len(),
        has_components: !cal.stats().is_empty(),
    };
    assert_eq!(as_reference(&facts), r, "Calendar::span_facts");
    r
}

fn as_reference(f: &SpanFacts) -> Reference {
    Reference {
        exported: f.exported,
        days: f.days.clone(),
        events: f.events,
        has_components: f.has_components,
    }
}

/// Checks the scan against the full parse; returns the facts.
#[track_caller]
fn check(bytes: &[u8], what: &str) -> SpanFacts {
    let facts = scan_span(bytes);
    assert_eq!(as_reference(&facts), reference(bytes), "{what}");
    facts
}

#[test]
fn agrees_with_the_full_parse_on_every_test_calendar() {
    let files = common::files();
    // 9 in test_data, 163 in the corpus.
    assert!(files.len() >= 172, "{} files", files.len());
    let mut with_days = 0;
    for (name, bytes) in &files {
        with_days += usize::from(!check(bytes, name).days.is_empty());
    }
    // The comparison must not be vacuous.
    assert!(with_days >= 25, "{with_days} files with days");
}

#[test]
fn agrees_on_a_generated_export() {
    let (bytes, summary) = gen_calendar::generate_vec(&gen_calendar::GenConfig {
        events: 1500,
        seed: 3,
    });
    let facts = check(&bytes, "generated");
    assert_eq!(facts.events, summary.vevents);
    assert!(facts.days.len() > 100 && facts.exported.is_some());
}

/// Copies of the test calendars, cut, refolded, re-cased, with lines
/// dropped, repeated or moved, and with component lines put in: the scan
/// and the full parse must still agree.
#[test]
fn agrees_on_mutated_calendars() {
    let mut rng = gen_calendar::Rng::new(17);
    let files = common::files();
    for (name, bytes) in &files {
        for round in 0..50 {
            let mutated = mutate(bytes, &mut rng);
            check(&mutated, &format!("{name}, mutation {round}"));
        }
    }
}

/// The lines the mutations put in: component lines and the properties the
/// scan reads, valid and not.
const INSERTS: &[&[u8]] = &[
    b"END:VEVENT",
    b"BEGIN:VEVENT",
    b"BEGIN:VALARM",
    b"END:VCALENDAR",
    b"DTSTART:20240301T100000",
    b"DTSTART;VALUE=DATE:20240301",
    b"DTSTAMP:20240215T000000Z",
    b"DTSTAMP:garbage",
    b"RRULE:FREQ=WEEKLY",
    b"RRULE:FREQ=NEVER",
    b"RDATE:20240305T100000",
    b"dtstart;tzid=Europe/Berlin:20240110T090000",
    b"BEGIN:",
    b"GARBAGE",
];

fn mutate(bytes: &[u8], rng: &mut gen_calendar::Rng) -> Vec<u8> {
    common::mutate(bytes, rng, INSERTS)
}

fn cal(body: &str) -> Vec<u8> {
    format!("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:test\n{body}END:VCALENDAR\n")
        .replace('\n', "\r\n")
        .into_bytes()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn days(f: &SpanFacts) -> Vec<String> {
    f.days.iter().map(|d| d.to_string()).collect()
}

#[test]
fn one_off_timed_events_before_the_export_day_count() {
    let f = check(
        &cal(
            "BEGIN:VEVENT\nUID:a\nDTSTAMP:20240320T120000Z\nDTSTART:20240301T100000Z\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:b\nDTSTAMP:20240310T080000Z\nDTSTART:20240320T090000Z\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:c\nDTSTAMP:20240310T080000Z\nDTSTART:20240319T235900Z\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:d\nDTSTAMP:20240310T080000Z\nDTSTART:20240301T100000Z\nEND:VEVENT\n",
        ),
        "basic",
    );
    // The export time is the latest DTSTAMP; the 20th is on the export day,
    // so a plan, not data; the 1st is kept once.
    assert_eq!(
        f.exported.map(|x| x.to_rfc3339()).as_deref(),
        Some("2024-03-20T12:00:00+00:00")
    );
    assert_eq!(days(&f), ["2024-03-01", "2024-03-19"]);
    assert_eq!(f.bounds(), Some((day("2024-03-01"), day("2024-03-19"))));
    assert_eq!(f.events, 4);
}

#[test]
fn dates_series_and_tzids() {
    let f = check(
        &cal(
            "BEGIN:VEVENT\nUID:allday\nDTSTART;VALUE=DATE:20240102\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:bare-date\nDTSTART:20240103\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:date-param-on-a-time\nDTSTART;VALUE=DATE:20240104T100000\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:rrule\nDTSTART:20240105T100000Z\nRRULE:FREQ=WEEKLY;COUNT=3\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:rdate\nDTSTART:20240106T100000Z\nRDATE:20240107T100000Z\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:rdate-period\nDTSTART:20240108T100000Z\nRDATE;VALUE=PERIOD:20240109T100000Z/PT1H\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:bad-rrule\nDTSTART:20240110T100000Z\nRRULE:FREQ=SOMETIMES\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:bad-rdate\nDTSTART:20240111T100000Z\nRDATE:,nonsense, \nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:tz\nDTSTART;TZID=Pacific/Kiritimati:20240112T233000\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:quoted-tz\nDTSTART;TZID=\"Eastern Standard Time\":20240113T080000\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:floating\nDTSTART:20240114T0800\nEND:VEVENT\n",
        ),
        "dates and series",
    );
    // Dates and valid series do not count; a series whose only rule or
    // dates are invalid is a one-off; a zoned start counts on its own wall
    // clock's day (no DTSTAMP: every day counts).
    assert_eq!(
        days(&f),
        [
            "2024-01-10",
            "2024-01-11",
            "2024-01-12",
            "2024-01-13",
            "2024-01-14"
        ]
    );
    assert_eq!(f.exported, None);
}

#[test]
fn skipped_events_and_overrides() {
    let f = check(
        &cal(
            "BEGIN:VEVENT\nUID:garbage\nDTSTAMP:20250101T000000Z\nDTSTART:not a date\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:missing\nDTSTAMP:20250101T000000Z\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:later-garbage\nDTSTAMP:20240401T000000Z\nDTSTART:20240201T100000Z\nDTSTART:20249999\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:s\nDTSTAMP:20240401T000000Z\nDTSTART:20240202T100000Z\nRRULE:FREQ=DAILY\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:s\nDTSTAMP:20240401T000000Z\nRECURRENCE-ID:20240205T100000Z\nDTSTART:20240205T150000Z\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:s\nRECURRENCE-ID:20240206T100000Z\nSTATUS:CANCELLED\nDTSTART:20240206T100000Z\nEND:VEVENT\n",
        ),
        "skipped",
    );
    // Events without a valid DTSTART are skipped whole, their DTSTAMP with
    // them (or 2025 would be the export time); a later invalid DTSTART
    // leaves the valid one; overrides, cancelled or not, are one-offs.
    assert_eq!(f.events, 4);
    assert_eq!(
        f.exported.map(|x| x.to_rfc3339()).as_deref(),
        Some("2024-04-01T00:00:00+00:00")
    );
    assert_eq!(days(&f), ["2024-02-01", "2024-02-05", "2024-02-06"]);
}

#[test]
fn a_later_invalid_dtstamp_clears_the_event_s_stamp() {
    let f = check(
        &cal(
            "BEGIN:VEVENT\nUID:a\nDTSTAMP:20240301T000000Z\nDTSTAMP:yesterday\nDTSTART:20240305T100000Z\nEND:VEVENT\n\
              BEGIN:VEVENT\nUID:b\nDTSTAMP:20240302T000000\nDTSTART:20240304T100000Z\nEND:VEVENT\n",
        ),
        "stamps",
    );
    // The full parse keeps the last DTSTAMP line's value; one without `Z`
    // is read as UTC.
    assert_eq!(
        f.exported.map(|x| x.to_rfc3339()).as_deref(),
        Some("2024-03-02T00:00:00+00:00")
    );
    assert_eq!(days(&f), Vec::<String>::new());
}

#[test]
fn properties_of_nested_components_are_not_the_event_s() {
    let f = check(
        &cal("BEGIN:VEVENT\nUID:a\nDTSTART:20240301T100000Z\n\
              BEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:-PT15M\nDTSTART:20240302T100000Z\nDTSTAMP:20990101T000000Z\nRRULE:FREQ=DAILY\nEND:VALARM\n\
              DTSTAMP:20240401T000000Z\nEND:VEVENT\n\
              BEGIN:VTODO\nDTSTART:20240303T100000Z\nDTSTAMP:20990101T000000Z\n\
              BEGIN:VEVENT\nUID:in-todo\nDTSTART:20240304T100000Z\nEND:VEVENT\nEND:VTODO\n\
              BEGIN:VEVENT\nUID:outer\nDTSTART:20240305T100000Z\n\
              BEGIN:VEVENT\nUID:inner\nDTSTART:20240306T100000Z\nRRULE:FREQ=DAILY\nEND:VEVENT\n\
              DTSTART:20240307T100000Z\nEND:VEVENT\n"),
        "nested",
    );
    // The alarm's lines belong to the alarm; a VEVENT inside a VTODO is
    // still an event; the inner event's rule is not the outer one's, and
    // the outer event's DTSTART after it wins.
    assert_eq!(f.events, 4);
    assert_eq!(days(&f), ["2024-03-01", "2024-03-04", "2024-03-07"]);
}

#[test]
fn folds_case_and_whitespace() {
    let f = check(
        b"begin:vcalendar\r\nBegin: VEvent \r\nUID:a\r\nDTST\r\n ART;TZI\r\n D=Europe/Berlin:2024\r\n\t0301T100000\r\n\
          dtstamp:20240401T000000z\r\nend:vevent\r\n\
          BEGIN:VEVENT\r\n\xC2\xA0DtStart :20240302T100000\r\nEND:VEVENT\r\n\
          BEGIN:VEVENT\r\nDTSTART;X-Q=\"a:b;c\":20240303T100000\r\nEND:VEVENT\r\n\
          BEGIN:VEVENT\r\nDTSTART;X-Q=\"a:20240304T100000\r\nEND:VEVENT\r\n\
          END:VCALENDAR\r\n",
        "folds and case",
    );
    // A fold inside the name and the parameters, names in any case and with
    // (even non-ASCII) whitespace around them, colons inside quotes, and an
    // unterminated quote, which runs to the next colon: the value is what
    // follows it.
    assert_eq!(f.events, 4);
    assert_eq!(
        days(&f),
        ["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04"]
    );
}

#[test]
fn broken_structure() {
    let cases: &[&[u8]] = &[
        // Not iCalendar at all.
        b"",
        b"<html><body>not a calendar</body></html>",
        b"DTSTART:20240301T100000Z\r\n",
        // Empty BEGIN, END without BEGIN, a line without a colon.
        b"BEGIN:\r\nEND:VEVENT\r\nGARBAGE\r\n",
        // A VEVENT outside any VCALENDAR, never closed.
        b"BEGIN:VEVENT\r\nDTSTART:20240301T100000Z\r\nDTSTAMP:20240401T000000Z",
        // END:VCALENDAR closes the open VEVENT.
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20240301T100000Z\r\nEND:VCALENDAR\r\nDTSTART:20240302T100000Z\r\n",
        // LF only, lone CR, BOM, blank lines.
        b"\xEF\xBB\xBFBEGIN:VEVENT\nDTSTART:20240301T100000Z\r\r\n\n  \nEND:VEVENT\r",
        // Text that is not UTF-8, in a value and in a name.
        b"BEGIN:VEVENT\r\nSUMMARY:Caf\xE9\r\nDTSTART:20240301T100000Z\r\nDT\xFFSTART:20240302T100000Z\r\nEND:VEVENT\r\n",
        // A fold splitting a character of a value.
        b"BEGIN:VEVENT\r\nSUMMARY:Caf\xC3\r\n \xA9\r\nDTSTART;X=\xC3\r\n \xA9:20240301T100000Z\r\nEND:VEVENT\r\n",
    ];
    for (i, bytes) in cases.iter().enumerate() {
        check(bytes, &format!("broken case {i}"));
    }
    assert!(!scan_span(b"<html></html>").has_components);
    assert!(scan_span(b"BEGIN:\r\nBEGIN:VTODO\r\n").has_components);
}
