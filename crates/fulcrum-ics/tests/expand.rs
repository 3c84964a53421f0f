//! Hand-checked expansion of the tricky cases real exports contain.
//!
//! Every expected value below was worked out by hand from the calendar text
//! and the tz rules (the arithmetic is in the comments), not taken from the
//! program's output.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

use chrono::NaiveDate;
use fulcrum_ics::{Bound, ExpandOptions, Severity, read_calendar};

/// (start, end, recurrence id or "-", summary) of each occurrence, sorted.
fn expand_with(
    ics: &str,
    from: &str,
    to: &str,
    tweak: impl FnOnce(&mut ExpandOptions),
) -> Vec<String> {
    let date = |s: &str| Bound::date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    let mut opts = ExpandOptions::window(date(from), date(to));
    tweak(&mut opts);
    let mut cal = read_calendar(ics.as_bytes(), "test.ics");
    let mut occ = cal.expand(&opts);
    fulcrum_ics::sort_occurrences(&mut occ);
    occ.iter()
        .map(|o| {
            let rid = o.recurrence_id.map_or("-".to_owned(), |r| r.to_string());
            format!("{} {} {} {}", o.start, o.end, rid, o.details.summary)
        })
        .collect()
}

fn expand(ics: &str, from: &str, to: &str) -> Vec<String> {
    expand_with(ics, from, to, |_| {})
}

fn cal(body: &str) -> String {
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n{body}END:VCALENDAR\r\n")
        .replace("\n", "\r\n")
        .replace("\r\r\n", "\r\n")
}

#[test]
fn google_x_wr_timezone_keeps_the_wall_clock_of_utc_series_across_dst() {
    // Weekly on Fridays from 1 March 2024 at 14:00Z = 09:00 EST. Google
    // means "09:00 New York": after DST starts (10 March) the instance on
    // 15 March is 09:00 EDT = 13:00Z.
    let ics = cal("X-WR-TIMEZONE:America/New_York
BEGIN:VEVENT
UID:weekly@google.com
DTSTART:20240301T140000Z
DTEND:20240301T143000Z
RRULE:FREQ=WEEKLY;COUNT=3
SUMMARY:Sync
END:VEVENT
");
    assert_eq!(
        expand(&ics, "2024-03-01", "2024-03-31"),
        [
            "2024-03-01T09:00:00-05:00 2024-03-01T09:30:00-05:00 2024-03-01T09:00:00-05:00 Sync",
            "2024-03-08T09:00:00-05:00 2024-03-08T09:30:00-05:00 2024-03-08T09:00:00-05:00 Sync",
            "2024-03-15T09:00:00-04:00 2024-03-15T09:30:00-04:00 2024-03-15T09:00:00-04:00 Sync",
        ]
    );
    // Without X-WR-TIMEZONE the series stays on UTC: 14:00Z every week.
    let plain = expand_with(&ics, "2024-03-01", "2024-03-31", |o| {
        o.honour_x_wr_timezone = false
    });
    assert_eq!(
        plain[2],
        "2024-03-15T14:00:00+00:00 2024-03-15T14:30:00+00:00 2024-03-15T14:00:00+00:00 Sync"
    );
}

#[test]
fn x_wr_timezone_reads_floating_times() {
    // 09:00 floating on Berlin's clock in January is +01:00.
    let ics = cal("X-WR-TIMEZONE:Europe/Berlin
BEGIN:VEVENT
UID:f
DTSTART:20240110T090000
DTEND:20240110T100000
SUMMARY:Floating
END:VEVENT
");
    assert_eq!(
        expand(&ics, "2024-01-01", "2024-02-01"),
        ["2024-01-10T09:00:00+01:00 2024-01-10T10:00:00+01:00 - Floating"]
    );
    let plain = expand_with(&ics, "2024-01-01", "2024-02-01", |o| {
        o.honour_x_wr_timezone = false
    });
    assert_eq!(
        plain,
        ["2024-01-10T09:00:00 2024-01-10T10:00:00 - Floating"]
    );
}

/// The VTIMEZONE Outlook writes for "Pacific Standard Time".
const OUTLOOK_PACIFIC: &str = "BEGIN:VTIMEZONE
TZID:Pacific Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:-0700
TZOFFSETTO:-0800
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:-0800
TZOFFSETTO:-0700
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
";

#[test]
fn outlook_windows_zone_names() {
    // 9:00 Pacific on 1 July 2024 is PDT (-07:00); on 2 December PST (-08:00).
    let ics = cal(&format!(
        "{OUTLOOK_PACIFIC}BEGIN:VEVENT
UID:o1
DTSTART;TZID=Pacific Standard Time:20240701T090000
DTEND;TZID=Pacific Standard Time:20240701T093000
SUMMARY:Summer
END:VEVENT
BEGIN:VEVENT
UID:o2
DTSTART;TZID=\"(UTC-08:00) Pacific Time (US & Canada)\":20241202T090000
DURATION:PT1H
SUMMARY:Winter
END:VEVENT
"
    ));
    assert_eq!(
        expand(&ics, "2024-01-01", "2025-01-01"),
        [
            "2024-07-01T09:00:00-07:00 2024-07-01T09:30:00-07:00 - Summer",
            "2024-12-02T09:00:00-08:00 2024-12-02T10:00:00-08:00 - Winter",
        ]
    );
}

#[test]
fn customized_time_zone_is_evaluated_from_the_file() {
    // A zone only this file defines: +05:45 all year (like Nepal), with a
    // name no table knows. 10:00 local = 04:15Z.
    let ics = cal("BEGIN:VTIMEZONE
TZID:Customized Time Zone 1
BEGIN:STANDARD
DTSTART:16010101T000000
TZOFFSETFROM:+0545
TZOFFSETTO:+0545
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
UID:c1
DTSTART;TZID=Customized Time Zone 1:20240506T100000
DTEND;TZID=Customized Time Zone 1:20240506T110000
SUMMARY:Kathmandu
END:VEVENT
");
    assert_eq!(
        expand(&ics, "2024-05-01", "2024-06-01"),
        ["2024-05-06T10:00:00+05:45 2024-05-06T11:00:00+05:45 - Kathmandu"]
    );
}

#[test]
fn unknown_tzid_is_reported_and_read_as_floating() {
    let ics = cal("BEGIN:VEVENT
UID:u1
DTSTART;TZID=Atlantis/Capital:20240506T100000
DTEND;TZID=Atlantis/Capital:20240506T110000
SUMMARY:Lost
END:VEVENT
");
    let mut c = read_calendar(ics.as_bytes(), "test.ics");
    let d = |s| Bound::date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    let occ = c.expand(&ExpandOptions::window(d("2024-05-01"), d("2024-06-01")));
    assert_eq!(occ[0].start.to_string(), "2024-05-06T10:00:00");
    let diags = c.diagnostics();
    assert_eq!(diags.len(), 1);
    assert!(
        diags[0].message.contains("Atlantis/Capital"),
        "{}",
        diags[0]
    );
    // Reported at the event's BEGIN:VEVENT (line 4, after the 3 header lines).
    assert_eq!(diags[0].line, Some(4));
}

#[test]
fn override_matched_by_instant_even_when_written_in_another_zone() {
    // Daily 10:00 Berlin (+01:00 in January), 4 instances. The override's
    // RECURRENCE-ID 20240103T090000Z is 10:00 Berlin on 3 January; it moves
    // that instance to 14:00.
    let ics = cal("BEGIN:VEVENT
UID:s1
DTSTART;TZID=Europe/Berlin:20240102T100000
DTEND;TZID=Europe/Berlin:20240102T103000
RRULE:FREQ=DAILY;COUNT=4
SUMMARY:Standup
END:VEVENT
BEGIN:VEVENT
UID:s1
RECURRENCE-ID:20240103T090000Z
DTSTART;TZID=Europe/Berlin:20240103T140000
DTEND;TZID=Europe/Berlin:20240103T143000
SEQUENCE:1
SUMMARY:Standup (moved)
END:VEVENT
");
    assert_eq!(
        expand(&ics, "2024-01-01", "2024-02-01"),
        [
            "2024-01-02T10:00:00+01:00 2024-01-02T10:30:00+01:00 2024-01-02T10:00:00+01:00 Standup",
            "2024-01-03T14:00:00+01:00 2024-01-03T14:30:00+01:00 2024-01-03T10:00:00+01:00 Standup (moved)",
            "2024-01-04T10:00:00+01:00 2024-01-04T10:30:00+01:00 2024-01-04T10:00:00+01:00 Standup",
            "2024-01-05T10:00:00+01:00 2024-01-05T10:30:00+01:00 2024-01-05T10:00:00+01:00 Standup",
        ]
    );
}

#[test]
fn overrides_never_leak_across_uids() {
    // Two series with the same times; only series A has an override for
    // 3 January. Series B must keep its 3 January instance unchanged.
    let ics = cal("BEGIN:VEVENT
UID:A
DTSTART:20240102T100000Z
DURATION:PT30M
RRULE:FREQ=DAILY;COUNT=3
SUMMARY:A
END:VEVENT
BEGIN:VEVENT
UID:B
DTSTART:20240102T100000Z
DURATION:PT30M
RRULE:FREQ=DAILY;COUNT=3
SUMMARY:B
END:VEVENT
BEGIN:VEVENT
UID:A
RECURRENCE-ID:20240103T100000Z
DTSTART:20240103T120000Z
DURATION:PT30M
SUMMARY:A moved
END:VEVENT
");
    let got = expand(&ics, "2024-01-03", "2024-01-04");
    assert_eq!(
        got,
        [
            "2024-01-03T10:00:00+00:00 2024-01-03T10:30:00+00:00 2024-01-03T10:00:00+00:00 B",
            "2024-01-03T12:00:00+00:00 2024-01-03T12:30:00+00:00 2024-01-03T10:00:00+00:00 A moved",
        ]
    );
}

#[test]
fn override_moved_into_the_window_from_outside() {
    // The 10 January instance moves to 2 February: a February window sees
    // it although its recurrence id lies in January.
    let ics = cal("BEGIN:VEVENT
UID:m
DTSTART:20240103T100000Z
DURATION:PT1H
RRULE:FREQ=WEEKLY;COUNT=3
SUMMARY:Weekly
END:VEVENT
BEGIN:VEVENT
UID:m
RECURRENCE-ID:20240110T100000Z
DTSTART:20240202T100000Z
DURATION:PT1H
SUMMARY:Weekly (moved)
END:VEVENT
");
    assert_eq!(
        expand(&ics, "2024-02-01", "2024-03-01"),
        [
            "2024-02-02T10:00:00+00:00 2024-02-02T11:00:00+00:00 2024-01-10T10:00:00+00:00 Weekly (moved)"
        ]
    );
}

#[test]
fn this_and_future_shifts_later_instances() {
    // Daily 10:00Z x 5 from 1 January; from 3 January on the series moves
    // to 11:00Z and lasts 45 minutes instead of 30.
    let ics = cal("BEGIN:VEVENT
UID:t
DTSTART:20240101T100000Z
DTEND:20240101T103000Z
RRULE:FREQ=DAILY;COUNT=5
SUMMARY:Old
END:VEVENT
BEGIN:VEVENT
UID:t
RECURRENCE-ID;RANGE=THISANDFUTURE:20240103T100000Z
DTSTART:20240103T110000Z
DTEND:20240103T114500Z
SUMMARY:New
END:VEVENT
");
    assert_eq!(
        expand(&ics, "2024-01-01", "2024-02-01"),
        [
            "2024-01-01T10:00:00+00:00 2024-01-01T10:30:00+00:00 2024-01-01T10:00:00+00:00 Old",
            "2024-01-02T10:00:00+00:00 2024-01-02T10:30:00+00:00 2024-01-02T10:00:00+00:00 Old",
            "2024-01-03T11:00:00+00:00 2024-01-03T11:45:00+00:00 2024-01-03T10:00:00+00:00 New",
            "2024-01-04T11:00:00+00:00 2024-01-04T11:45:00+00:00 2024-01-04T10:00:00+00:00 New",
            "2024-01-05T11:00:00+00:00 2024-01-05T11:45:00+00:00 2024-01-05T10:00:00+00:00 New",
        ]
    );
}

#[test]
fn highest_sequence_wins_among_duplicates() {
    let ics = cal("BEGIN:VEVENT
UID:d
SEQUENCE:2
DTSTART:20240105T150000Z
DURATION:PT1H
SUMMARY:Final
END:VEVENT
BEGIN:VEVENT
UID:d
SEQUENCE:0
DTSTART:20240105T090000Z
DURATION:PT1H
SUMMARY:Draft
END:VEVENT
");
    assert_eq!(
        expand(&ics, "2024-01-01", "2024-02-01"),
        ["2024-01-05T15:00:00+00:00 2024-01-05T16:00:00+00:00 - Final"]
    );
}

#[test]
fn exdates_date_against_date_time_series_and_cancelled_instances() {
    // Daily 09:00 New York x 5 from Monday 6 May 2024 (EDT, -04:00).
    // EXDATE;VALUE=DATE removes 7 May; a cancelled override removes 9 May.
    let ics = cal("BEGIN:VEVENT
UID:x
DTSTART;TZID=America/New_York:20240506T090000
DTEND;TZID=America/New_York:20240506T091500
RRULE:FREQ=DAILY;COUNT=5
EXDATE;VALUE=DATE:20240507
SUMMARY:Standup
END:VEVENT
BEGIN:VEVENT
UID:x
RECURRENCE-ID;TZID=America/New_York:20240509T090000
DTSTART;TZID=America/New_York:20240509T090000
DTEND;TZID=America/New_York:20240509T091500
STATUS:CANCELLED
SUMMARY:Standup
END:VEVENT
");
    let got = expand(&ics, "2024-05-01", "2024-06-01");
    let days: Vec<&str> = got.iter().map(|s| &s[..10]).collect();
    assert_eq!(days, ["2024-05-06", "2024-05-08", "2024-05-10"]);
    let with_cancelled = expand_with(&ics, "2024-05-01", "2024-06-01", |o| {
        o.include_cancelled = true
    });
    assert_eq!(with_cancelled.len(), 4);
}

#[test]
fn override_without_master_is_kept() {
    // Google exports an invitation to one instance without its series.
    let ics = cal("BEGIN:VEVENT
UID:orphan
RECURRENCE-ID:20240612T160000Z
DTSTART:20240612T170000Z
DTEND:20240612T173000Z
SUMMARY:One instance
END:VEVENT
");
    assert_eq!(
        expand(&ics, "2024-06-01", "2024-07-01"),
        [
            "2024-06-12T17:00:00+00:00 2024-06-12T17:30:00+00:00 2024-06-12T16:00:00+00:00 One instance"
        ]
    );
}

#[test]
fn ends_follow_rfc5545_3_6_1() {
    // An all-day event without DTEND lasts one day; a date-time one is an
    // instant, in the window when from <= start < to.
    let ics = cal("BEGIN:VEVENT
UID:a
DTSTART;VALUE=DATE:20240506
SUMMARY:Holiday
END:VEVENT
BEGIN:VEVENT
UID:b
DTSTART:20240507T120000Z
SUMMARY:Deadline
END:VEVENT
");
    assert_eq!(
        expand(&ics, "2024-05-01", "2024-06-01"),
        [
            "2024-05-06 2024-05-07 - Holiday",
            "2024-05-07T12:00:00+00:00 2024-05-07T12:00:00+00:00 - Deadline",
        ]
    );
    // A window that ends exactly at the instant leaves it out; one that
    // starts there keeps it.
    assert_eq!(expand(&ics, "2024-05-07", "2024-05-08").len(), 1);
}

#[test]
fn dst_gap_instances_are_ignored_and_folds_take_the_first() {
    // Daily 02:30 New York from 9 March 2024, 3 instances (COUNT=3). 02:30
    // on 10 March does not exist (clocks jump 02:00 -> 03:00): RFC 5545
    // 3.8.5.3 says ignore it and do not count it, so the third instance is
    // 12 March. EST is -05:00 (9 March), EDT -04:00 after.
    let ics = cal("BEGIN:VEVENT
UID:g
DTSTART;TZID=America/New_York:20240309T023000
DURATION:PT15M
RRULE:FREQ=DAILY;COUNT=3
SUMMARY:Batch
END:VEVENT
BEGIN:VEVENT
UID:f
DTSTART;TZID=America/New_York:20241103T013000
DURATION:PT15M
SUMMARY:Fold
END:VEVENT
");
    let got = expand(&ics, "2024-03-01", "2024-12-01");
    assert_eq!(
        got,
        [
            "2024-03-09T02:30:00-05:00 2024-03-09T02:45:00-05:00 2024-03-09T02:30:00-05:00 Batch",
            "2024-03-11T02:30:00-04:00 2024-03-11T02:45:00-04:00 2024-03-11T02:30:00-04:00 Batch",
            "2024-03-12T02:30:00-04:00 2024-03-12T02:45:00-04:00 2024-03-12T02:30:00-04:00 Batch",
            // 01:30 on 3 November happens twice; the first is EDT (-04:00).
            "2024-11-03T01:30:00-04:00 2024-11-03T01:45:00-04:00 - Fold",
        ]
    );
}

#[test]
fn infinite_series_far_from_its_start_is_expanded_only_in_the_window() {
    // Every Monday since 3 January 2000, no end. June 2030 has Mondays on
    // 3, 10, 17 and 24 June.
    let ics = cal("BEGIN:VEVENT
UID:inf
DTSTART:20000103T090000Z
DURATION:PT1H
RRULE:FREQ=WEEKLY
SUMMARY:Forever
END:VEVENT
BEGIN:VEVENT
UID:sec
DTSTART:19000101T000000Z
RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30
SUMMARY:Never
END:VEVENT
");
    let got = expand(&ics, "2030-06-01", "2030-07-01");
    let days: Vec<&str> = got.iter().map(|s| &s[..10]).collect();
    assert_eq!(
        days,
        ["2030-06-03", "2030-06-10", "2030-06-17", "2030-06-24"]
    );
}

#[test]
fn rdate_periods_dates_and_floating_until() {
    // A series on Berlin time with a floating UNTIL (seen in real exports):
    // daily 08:00 from 1 July, UNTIL 20240703T080000 read on the same wall
    // clock -> 1, 2, 3 July. Plus an RDATE period 5 July 12:00-14:00 (own
    // length) and an RDATE start 6 July 08:00 (series length, 1 h).
    let ics = cal("BEGIN:VEVENT
UID:r
DTSTART;TZID=Europe/Berlin:20240701T080000
DTEND;TZID=Europe/Berlin:20240701T090000
RRULE:FREQ=DAILY;UNTIL=20240703T080000
RDATE;TZID=Europe/Berlin;VALUE=PERIOD:20240705T120000/20240705T140000
RDATE;TZID=Europe/Berlin:20240706T080000
SUMMARY:Mixed
END:VEVENT
");
    let got = expand(&ics, "2024-07-01", "2024-08-01");
    let spans: Vec<String> = got
        .iter()
        .map(|s| s.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        spans,
        [
            "2024-07-01T08:00:00+02:00 2024-07-01T09:00:00+02:00",
            "2024-07-02T08:00:00+02:00 2024-07-02T09:00:00+02:00",
            "2024-07-03T08:00:00+02:00 2024-07-03T09:00:00+02:00",
            "2024-07-05T12:00:00+02:00 2024-07-05T14:00:00+02:00",
            "2024-07-06T08:00:00+02:00 2024-07-06T09:00:00+02:00",
        ]
    );
}

#[test]
fn one_bad_component_does_not_lose_the_rest() {
    let ics = cal("BEGIN:VEVENT
UID:good1
DTSTART:20240506T090000Z
SUMMARY:First
END:VEVENT
BEGIN:VEVENT
UID:bad
DTSTART:2024-05-06 09:00
SUMMARY:Broken
END:VEVENT
BEGIN:VEVENT
UID:good2
DTSTART:20240507T090000Z
SUMMARY:Second
END:VEVENT
");
    let mut c = read_calendar(ics.as_bytes(), "test.ics");
    assert_eq!(c.stats().events_seen, 3);
    assert_eq!(c.stats().events_skipped, 1);
    let d = |s| Bound::date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    let occ = c.expand(&ExpandOptions::window(d("2024-05-01"), d("2024-06-01")));
    assert_eq!(occ.len(), 2);
    let errors: Vec<_> = c
        .diagnostics()
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    // Lines: 1-3 calendar header, 4-8 the first event, 9 BEGIN:VEVENT of
    // the bad one, 10 its UID, 11 its DTSTART. The bad value is reported at
    // line 11, the skip at the component's BEGIN on line 9.
    assert_eq!(
        errors.iter().map(|d| d.line).collect::<Vec<_>>(),
        [Some(11), Some(9)]
    );
}

#[test]
fn several_calendars_in_one_file_and_lf_only_line_ends() {
    let ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART:20240506T090000Z\nSUMMARY:One\nEND:VEVENT\nEND:VCALENDAR\n\
               BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:2\nDTSTART:20240506T100000Z\nSUMMARY:Two\nEND:VEVENT\nEND:VCALENDAR\n";
    let got = expand(ics, "2024-05-01", "2024-06-01");
    assert_eq!(got.len(), 2);
    assert!(got[1].ends_with("Two"));
}

#[test]
fn truncated_file_keeps_what_was_read() {
    let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART:20240506T090000Z\r\nSUMMARY:Cut";
    let mut c = read_calendar(ics.as_bytes(), "cut.ics");
    let d = |s| Bound::date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    assert_eq!(
        c.expand(&ExpandOptions::window(d("2024-05-01"), d("2024-06-01")))
            .len(),
        1
    );
    assert!(
        c.diagnostics()
            .iter()
            .any(|d| d.message.contains("truncated"))
    );
}

#[test]
fn rfc5545_weekly_example_keeps_9am_across_the_1997_dst_change() {
    // RFC 5545 3.8.5.3, "Weekly for 10 occurrences":
    //   DTSTART;TZID=America/New_York:19970902T090000
    //   RRULE:FREQ=WEEKLY;COUNT=10
    //   ==> (1997 9:00 AM EDT) September 2,9,16,23,30;October 7,14,21
    //       (1997 9:00 AM EST) October 28;November 4
    let ics = cal("BEGIN:VEVENT
UID:rfc-weekly
DTSTART;TZID=America/New_York:19970902T090000
DURATION:PT1H
RRULE:FREQ=WEEKLY;COUNT=10
SUMMARY:RFC
END:VEVENT
");
    let starts: Vec<String> = expand(&ics, "1997-01-01", "1998-01-01")
        .iter()
        .map(|s| s.split(' ').next().unwrap().to_owned())
        .collect();
    let edt = [
        "09-02", "09-09", "09-16", "09-23", "09-30", "10-07", "10-14", "10-21",
    ]
    .map(|d| format!("1997-{d}T09:00:00-04:00"));
    let est = ["10-28", "11-04"].map(|d| format!("1997-{d}T09:00:00-05:00"));
    let expected: Vec<String> = edt.into_iter().chain(est).collect();
    assert_eq!(starts, expected);
}

#[test]
fn rfc5545_every_other_week_until_example_with_utc_until() {
    // RFC 5545 3.8.5.3, "Every other week on Monday, Wednesday, and Friday
    // until December 24, 1997, starting on Monday, September 1, 1997":
    //   DTSTART;TZID=America/New_York:19970901T090000
    //   RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR
    //   ==> (1997 9:00 AM EDT) September 1,3,5,15,17,19,29;October 1,3,13,15,17
    //       (1997 9:00 AM EST) October 27,29,31;November 10,12,14,24,26,28;
    //                          December 8,10,12,22
    let ics = cal("BEGIN:VEVENT
UID:rfc-biweekly
DTSTART;TZID=America/New_York:19970901T090000
DURATION:PT1H
RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR
SUMMARY:RFC
END:VEVENT
");
    let days: Vec<String> = expand(&ics, "1997-01-01", "1998-01-01")
        .iter()
        .map(|s| s[5..10].to_owned() + &s[19..25])
        .collect();
    let mut expected: Vec<String> = Vec::new();
    for d in [
        "09-01", "09-03", "09-05", "09-15", "09-17", "09-19", "09-29", "10-01", "10-03", "10-13",
        "10-15", "10-17",
    ] {
        expected.push(format!("{d}-04:00"));
    }
    for d in [
        "10-27", "10-29", "10-31", "11-10", "11-12", "11-14", "11-24", "11-26", "11-28", "12-08",
        "12-10", "12-12", "12-22",
    ] {
        expected.push(format!("{d}-05:00"));
    }
    assert_eq!(days, expected);
}

#[test]
fn this_and_future_shift_follows_the_wall_clock_across_dst() {
    // Regression: the shift of a this-and-future edit was applied to
    // instants, so instances after a DST change landed an hour off.
    // Weekly on Saturdays 10:00 New York; from the 9 March instance on, the
    // series moves to Sundays 10:00 (one day later on the wall clock). DST
    // starts on Sunday 10 March 2024 at 02:00, so 2 March is EST (-05:00)
    // and 10 and 17 March are EDT (-04:00), still at 10:00.
    let ics = cal("BEGIN:VEVENT
UID:tf-dst
DTSTART;TZID=America/New_York:20240302T100000
DURATION:PT1H
RRULE:FREQ=WEEKLY;COUNT=3
SUMMARY:Weekly
END:VEVENT
BEGIN:VEVENT
UID:tf-dst
RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=America/New_York:20240309T100000
DTSTART;TZID=America/New_York:20240310T100000
DURATION:PT1H
SUMMARY:Weekly (Sundays)
END:VEVENT
");
    let starts: Vec<String> = expand(&ics, "2024-03-01", "2024-04-01")
        .iter()
        .map(|s| s.split(' ').next().unwrap().to_owned())
        .collect();
    assert_eq!(
        starts,
        [
            "2024-03-02T10:00:00-05:00",
            "2024-03-10T10:00:00-04:00",
            "2024-03-17T10:00:00-04:00",
        ]
    );
}

/// A `FREQ=SECONDLY` series of one-minute meetings from 1 January 2024
/// 09:00Z, read over 5 January only, with a cap of 1,000 per series.
fn secondly_series_over_a_later_window(cap: usize) -> (Vec<String>, Vec<fulcrum_ics::Diagnostic>) {
    let ics = cal("BEGIN:VEVENT
UID:every-second@example.com
DTSTART:20240101T090000Z
DURATION:PT1M
RRULE:FREQ=SECONDLY
SUMMARY:Tick
END:VEVENT
");
    let date = |s: &str| Bound::date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    let mut opts = ExpandOptions::window(date("2024-01-05"), date("2024-01-06"));
    opts.max_instances_per_series = cap;
    let mut cal = read_calendar(ics.as_bytes(), "test.ics");
    let mut occ = cal.expand(&opts);
    fulcrum_ics::sort_occurrences(&mut occ);
    let starts = occ.iter().map(|o| o.start.to_string()).collect();
    (starts, cal.into_diagnostics())
}

#[test]
fn occurrence_cap_counts_inside_the_window() {
    // The window starts 4 days (345,600 s) after DTSTART. A one-minute
    // instance is in the window when it ends after 5 January 00:00Z, so
    // when it starts after 4 January 23:59:00Z: the first one is 23:59:01.
    // The cap keeps 1,000 of them: the last starts 999 s later, at
    // 00:15:40 (23:59:01 + 16 min 39 s).
    let (starts, diags) = secondly_series_over_a_later_window(1000);
    assert_eq!(starts.len(), 1000);
    assert_eq!(starts[0], "2024-01-04T23:59:01+00:00");
    assert_eq!(starts[999], "2024-01-05T00:15:40+00:00");
    // Reaching the cap leaves occurrences out: an error, at the VEVENT.
    let capped: Vec<_> = diags
        .iter()
        .filter(|d| d.message.contains("more than 1000 occurrences"))
        .collect();
    assert_eq!(capped.len(), 1, "{diags:#?}");
    assert_eq!(capped[0].severity, Severity::Error);
    assert_eq!(capped[0].line, Some(4));
}

#[test]
fn occurrence_cap_not_reached_reports_nothing() {
    // 86,400 s in the day plus the 59 instances that start in the minute
    // before it and end inside it: 86,459, under a cap of 100,000.
    let (starts, diags) = secondly_series_over_a_later_window(100_000);
    assert_eq!(starts.len(), 86_459);
    assert!(
        !diags.iter().any(|d| d.message.contains("occurrences")),
        "{diags:#?}"
    );
}

#[test]
fn window_from_the_earliest_naive_time_does_not_overflow() {
    // A zoned event east of UTC read from NaiveDateTime::MIN: the bound on
    // the event's offset lies before the earliest representable time.
    let ics = cal("BEGIN:VEVENT
UID:east@example.com
DTSTART;TZID=Europe/Berlin:20240102T090000
DTEND;TZID=Europe/Berlin:20240102T100000
RRULE:FREQ=DAILY;COUNT=2
SUMMARY:Stand-up
END:VEVENT
");
    let opts = ExpandOptions::window(
        Bound::Naive(chrono::NaiveDateTime::MIN),
        Bound::Naive(chrono::NaiveDateTime::MAX),
    );
    let mut cal = read_calendar(ics.as_bytes(), "test.ics");
    // 9:00 CET = 08:00Z on 2 and 3 January.
    let starts: Vec<String> = cal
        .expand(&opts)
        .iter()
        .map(|o| o.start.to_string())
        .collect();
    assert_eq!(
        starts,
        ["2024-01-02T09:00:00+01:00", "2024-01-03T09:00:00+01:00"]
    );
}

/// `text` in UTF-16, little- or big-endian, with or without a byte order
/// mark, as Windows tools write calendars.
fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut units: Vec<u16> = Vec::new();
    if bom {
        units.push(0xFEFF);
    }
    units.extend(text.encode_utf16());
    units
        .iter()
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

#[test]
fn utf16_calendars_are_decoded_with_a_note() {
    // One meeting, "Café" with a non-ASCII letter, 2 June 2025 09:00-09:30Z.
    let ics = cal("BEGIN:VEVENT
UID:utf16@example.com
DTSTART:20250602T090000Z
DTEND:20250602T093000Z
SUMMARY:Café
END:VEVENT
");
    let date = |s: &str| Bound::date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    let opts = ExpandOptions::window(date("2025-06-01"), date("2025-06-08"));
    for (big_endian, bom, name) in [
        (false, true, "little-endian, with a byte order mark"),
        (false, false, "little-endian, without a byte order mark"),
        (true, true, "big-endian, with a byte order mark"),
        (true, false, "big-endian, without a byte order mark"),
    ] {
        let bytes = utf16(&ics, big_endian, bom);
        let mut cal = read_calendar(&bytes, "outlook.ics");
        let occ = cal.expand(&opts);
        assert_eq!(occ.len(), 1, "{name}");
        assert_eq!(occ[0].start.to_string(), "2025-06-02T09:00:00+00:00");
        assert_eq!(occ[0].end.to_string(), "2025-06-02T09:30:00+00:00");
        assert_eq!(occ[0].details.summary, "Café");
        let diags = cal.into_diagnostics();
        assert_eq!(diags.len(), 1, "{name}: {diags:#?}");
        assert_eq!(diags[0].severity, Severity::Note);
        assert!(diags[0].message.contains(name), "{}", diags[0].message);
        // The span prescan reads it too.
        assert!(fulcrum_ics::scan_span(&bytes).has_components, "{name}");
    }
    // A UTF-8 byte order mark is skipped without a word.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(ics.as_bytes());
    let mut cal = read_calendar(&bom, "bom.ics");
    assert_eq!(cal.expand(&opts).len(), 1);
    assert!(cal.diagnostics().is_empty(), "{:#?}", cal.diagnostics());
}

#[test]
fn overlong_lines_are_skipped_with_their_line() {
    // A DESCRIPTION of 65 MiB on line 8, one physical line, and another
    // folded over 70 lines of 1 MiB each from line 16: with their 12
    // bytes of `DESCRIPTION:`, 65.0 and 70.0 MiB, over the 64 MiB a line
    // may have. Each is an error at its first line; the events keep
    // everything else.
    let huge = "x".repeat(65 << 20);
    let folded: String = (0..70)
        .map(|_| format!("\r\n {}", "y".repeat(1 << 20)))
        .collect();
    let ics = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\nBEGIN:VEVENT\r\nUID:a@x\r\n\
         DTSTART:20250602T090000Z\r\nDTEND:20250602T100000Z\r\nDESCRIPTION:{huge}\r\n\
         SUMMARY:First\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b@x\r\nDTSTART:20250603T090000Z\r\n\
         DTEND:20250603T100000Z\r\nSUMMARY:Second\r\nDESCRIPTION:{folded}\r\nEND:VEVENT\r\n\
         END:VCALENDAR\r\n"
    );
    drop(huge);
    let date = |s: &str| Bound::date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    let opts = ExpandOptions::window(date("2025-06-01"), date("2025-06-08"));
    // Read for a window the events are far from, they are still read
    // (a line too long is the parse's to report): the same problems.
    let later = ExpandOptions::window(date("2026-06-01"), date("2026-06-08"));
    let mut windowed = fulcrum_ics::read_calendar_for(ics.as_bytes(), "big.ics", &later);
    assert!(windowed.expand(&later).is_empty());
    let windowed = windowed.into_diagnostics();
    let mut cal = read_calendar(ics.as_bytes(), "big.ics");
    let mut occ = cal.expand(&opts);
    fulcrum_ics::sort_occurrences(&mut occ);
    let summaries: Vec<&str> = occ.iter().map(|o| o.details.summary.as_str()).collect();
    assert_eq!(summaries, ["First", "Second"]);
    let diags = cal.into_diagnostics();
    assert_eq!(windowed, diags);
    let got: Vec<(Severity, Option<u32>, &str)> = diags
        .iter()
        .map(|d| (d.severity, d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                Severity::Error,
                Some(8),
                "the line is 65.0 MiB long, more than the 64 MiB a line may have; skipped"
            ),
            (
                Severity::Error,
                Some(16),
                "the line is 70.0 MiB long, more than the 64 MiB a line may have; skipped"
            ),
        ]
    );
}
