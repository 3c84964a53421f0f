//! Calendar corner cases an independent reader read differently, each
//! worked out against RFC 5545 and named after its pattern.
//!
//! Every expected value was worked out by hand from the calendar text and
//! the tz rules (the arithmetic is in the comments), not taken from the
//! program's output. In March 2026 Europe/Berlin is on CET (+01:00) until
//! 29 March 02:00, then on CEST (+02:00); America/New_York is on EDT
//! (-04:00) from 8 March; Asia/Tokyo is +09:00 and Pacific/Honolulu -10:00
//! all year.
//!
//! Each case is also read for windows far from its events, where
//! `read_calendar_for` leaves events out, and must agree with the full
//! read there too.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

use chrono::NaiveDate;
use fulcrum_ics::{Bound, Diagnostic, ExpandOptions, read_calendar, read_calendar_for};

fn window(from: &str, to: &str) -> ExpandOptions {
    let date = |s: &str| Bound::date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    ExpandOptions::window(date(from), date(to))
}

/// (start, end, recurrence id or "-", summary) of each occurrence in the
/// window, sorted, and the diagnostics. The windowed read must agree.
fn expand(ics: &str, from: &str, to: &str) -> (Vec<String>, Vec<Diagnostic>) {
    let opts = window(from, to);
    let mut cal = read_calendar(ics.as_bytes(), "test.ics");
    let mut occ = cal.expand(&opts);
    fulcrum_ics::sort_occurrences(&mut occ);
    let lines = occ
        .iter()
        .map(|o| {
            let rid = o.recurrence_id.map_or("-".to_owned(), |r| r.to_string());
            format!("{} {} {} {}", o.start, o.end, rid, o.details.summary)
        })
        .collect();
    for (from, to) in [
        (from, to),
        ("2025-01-01", "2025-02-01"),
        ("2027-01-01", "2027-02-01"),
    ] {
        same_as_windowed_read(ics, &window(from, to));
    }
    (lines, cal.into_diagnostics())
}

/// `read_calendar_for` gives what `read_calendar` gives over `opts`.
#[track_caller]
fn same_as_windowed_read(ics: &str, opts: &ExpandOptions) {
    let mut full = read_calendar(ics.as_bytes(), "test.ics");
    let want = full.expand(opts);
    let mut windowed = read_calendar_for(ics.as_bytes(), "test.ics", opts);
    assert_eq!(windowed.expand(opts), want, "occurrences");
    assert_eq!(windowed.expand_stats(), full.expand_stats(), "expand stats");
    assert_eq!(windowed.diagnostics(), full.diagnostics(), "diagnostics");
}

/// A calendar around `body`, with CRLF line endings as in real files.
fn cal(body: &str) -> String {
    format!("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:test\n{body}END:VCALENDAR\n")
        .replace("\r\n", "\n")
        .replace('\n', "\r\n")
}

#[test]
fn override_of_an_instance_the_master_excludes_is_dropped_unless_newer() {
    // Two daily series, 2 to 5 March at 10:00 CET (COUNT=4), each with an
    // override moving 3 March and an EXDATE for 3 March. In "a-deleted"
    // the EXDATE came after the move (master SEQUENCE 1 >= override's 1):
    // the moved meeting was deleted, RFC 5545 3.8.5.1 takes 3 March out of
    // the recurrence set and the override has no instance left to
    // replace. The EXDATE is written in UTC: 09:00Z = 10:00 CET, the same
    // instant. In "b-readded" the override is newer (SEQUENCE 2 > 1): the
    // instance was put back after it was excluded, so it stays, at 15:00.
    let ics = cal("BEGIN:VEVENT
UID:a-deleted
SEQUENCE:1
DTSTART;TZID=Europe/Berlin:20260302T100000
DTEND;TZID=Europe/Berlin:20260302T103000
RRULE:FREQ=DAILY;COUNT=4
EXDATE:20260303T090000Z
SUMMARY:Standup
END:VEVENT
BEGIN:VEVENT
UID:a-deleted
SEQUENCE:1
RECURRENCE-ID;TZID=Europe/Berlin:20260303T100000
DTSTART;TZID=Europe/Berlin:20260303T140000
DTEND;TZID=Europe/Berlin:20260303T143000
SUMMARY:Standup moved
END:VEVENT
BEGIN:VEVENT
UID:b-readded
SEQUENCE:1
DTSTART;TZID=Europe/Berlin:20260302T100000
DTEND;TZID=Europe/Berlin:20260302T103000
RRULE:FREQ=DAILY;COUNT=4
EXDATE;TZID=Europe/Berlin:20260303T100000
SUMMARY:Review
END:VEVENT
BEGIN:VEVENT
UID:b-readded
SEQUENCE:2
RECURRENCE-ID;TZID=Europe/Berlin:20260303T100000
DTSTART;TZID=Europe/Berlin:20260303T150000
DTEND;TZID=Europe/Berlin:20260303T153000
SUMMARY:Review re-added
END:VEVENT
");
    let (got, diags) = expand(&ics, "2026-03-01", "2026-03-08");
    assert_eq!(
        got,
        [
            "2026-03-02T10:00:00+01:00 2026-03-02T10:30:00+01:00 2026-03-02T10:00:00+01:00 Standup",
            "2026-03-02T10:00:00+01:00 2026-03-02T10:30:00+01:00 2026-03-02T10:00:00+01:00 Review",
            "2026-03-03T15:00:00+01:00 2026-03-03T15:30:00+01:00 2026-03-03T10:00:00+01:00 Review re-added",
            "2026-03-04T10:00:00+01:00 2026-03-04T10:30:00+01:00 2026-03-04T10:00:00+01:00 Standup",
            "2026-03-04T10:00:00+01:00 2026-03-04T10:30:00+01:00 2026-03-04T10:00:00+01:00 Review",
            "2026-03-05T10:00:00+01:00 2026-03-05T10:30:00+01:00 2026-03-05T10:00:00+01:00 Standup",
            "2026-03-05T10:00:00+01:00 2026-03-05T10:30:00+01:00 2026-03-05T10:00:00+01:00 Review",
        ]
    );
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn series_whose_until_is_before_its_start_yields_nothing() {
    // Clients delete a series by moving its UNTIL before DTSTART. "gone":
    // weekly from 2 March 09:00 CET = 08:00Z, UNTIL 1 March 08:00Z: no
    // instance, not even DTSTART. "gone-all-day": daily from 5 March
    // (a date), UNTIL 4 March: nothing. "kept": UNTIL 2 March 08:00Z is
    // DTSTART itself, so DTSTART is the one instance (RFC 5545 3.3.10:
    // UNTIL is inclusive).
    let ics = cal("BEGIN:VEVENT
UID:gone
DTSTART;TZID=Europe/Berlin:20260302T090000
DURATION:PT1H
RRULE:FREQ=WEEKLY;UNTIL=20260301T080000Z
SUMMARY:Gone
END:VEVENT
BEGIN:VEVENT
UID:gone-all-day
DTSTART;VALUE=DATE:20260305
RRULE:FREQ=DAILY;UNTIL=20260304
SUMMARY:Gone all day
END:VEVENT
BEGIN:VEVENT
UID:kept
DTSTART;TZID=Europe/Berlin:20260302T090000
DURATION:PT1H
RRULE:FREQ=WEEKLY;UNTIL=20260302T080000Z
SUMMARY:Kept
END:VEVENT
");
    let (got, diags) = expand(&ics, "2026-03-01", "2026-04-01");
    assert_eq!(
        got,
        ["2026-03-02T09:00:00+01:00 2026-03-02T10:00:00+01:00 2026-03-02T09:00:00+01:00 Kept"]
    );
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn invalid_count_beside_a_valid_until_is_dropped_and_the_rule_kept() {
    // COUNT=-3 is not a valid count (RFC 5545 3.3.10: 1*DIGIT); UNTIL is
    // valid and bounds the series on its own: daily 09:00Z from 2 March
    // up to and including 4 March gives 2, 3 and 4 March. The bad part is
    // reported at the RRULE line (line 8: three calendar lines, BEGIN,
    // UID, DTSTART, DURATION, RRULE).
    let ics = cal("BEGIN:VEVENT
UID:daily
DTSTART:20260302T090000Z
DURATION:PT30M
RRULE:FREQ=DAILY;COUNT=-3;UNTIL=20260304T090000Z
SUMMARY:Daily
END:VEVENT
");
    let (got, diags) = expand(&ics, "2026-03-01", "2026-04-01");
    assert_eq!(
        got,
        [
            "2026-03-02T09:00:00+00:00 2026-03-02T09:30:00+00:00 2026-03-02T09:00:00+00:00 Daily",
            "2026-03-03T09:00:00+00:00 2026-03-03T09:30:00+00:00 2026-03-03T09:00:00+00:00 Daily",
            "2026-03-04T09:00:00+00:00 2026-03-04T09:30:00+00:00 2026-03-04T09:00:00+00:00 Daily",
        ]
    );
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].line, Some(8));
    assert!(
        diags[0].message.contains("COUNT") && diags[0].message.contains("-3"),
        "{diags:#?}"
    );

    // Alone, a bad COUNT is the rule's only bound: dropping it would make
    // the series endless, so the rule is still set aside (DTSTART only).
    let ics = ics.replace(";UNTIL=20260304T090000Z", "");
    let (got, diags) = expand(&ics, "2026-03-01", "2026-04-01");
    assert_eq!(
        got,
        ["2026-03-02T09:00:00+00:00 2026-03-02T09:30:00+00:00 - Daily"]
    );
    assert!(
        diags.iter().any(|d| d.message.contains("not valid")),
        "{diags:#?}"
    );
}

#[test]
fn start_and_end_in_different_zones_are_compared_as_instants() {
    // A flight leaves Tokyo at 21:00 (+09:00 = 12:00Z) and lands in
    // Honolulu at 09:00 the same date (-10:00 = 19:00Z): 7 hours, shown on
    // the start's zone (19:00Z = 04:00 next day in Tokyo).
    //
    // A daily meeting starts at 10:00 Berlin and ends at 09:30Z (10:30
    // CET): 30 minutes, kept exactly by every instance, so on 29 March,
    // after the change to CEST, it runs 10:00 to 10:30 +02:00.
    //
    // A call from 10:00 New York (EDT, 14:00Z) to 11:00 Berlin (CET,
    // 10:00Z) ends before it starts, though its wall clocks do not: it is
    // reported and read as zero length (RFC 5545 3.8.2.2: DTEND is later
    // than DTSTART).
    let ics = cal("BEGIN:VEVENT
UID:flight
DTSTART;TZID=Asia/Tokyo:20260310T210000
DTEND;TZID=Pacific/Honolulu:20260310T090000
SUMMARY:Flight
END:VEVENT
BEGIN:VEVENT
UID:daily
DTSTART;TZID=Europe/Berlin:20260327T100000
DTEND:20260327T093000Z
RRULE:FREQ=DAILY;COUNT=3
SUMMARY:Daily
END:VEVENT
BEGIN:VEVENT
UID:backwards
DTSTART;TZID=America/New_York:20260310T100000
DTEND;TZID=Europe/Berlin:20260310T110000
SUMMARY:Backwards
END:VEVENT
");
    let (got, diags) = expand(&ics, "2026-03-01", "2026-04-01");
    assert_eq!(
        got,
        [
            "2026-03-10T21:00:00+09:00 2026-03-11T04:00:00+09:00 - Flight",
            "2026-03-10T10:00:00-04:00 2026-03-10T10:00:00-04:00 - Backwards",
            "2026-03-27T10:00:00+01:00 2026-03-27T10:30:00+01:00 2026-03-27T10:00:00+01:00 Daily",
            "2026-03-28T10:00:00+01:00 2026-03-28T10:30:00+01:00 2026-03-28T10:00:00+01:00 Daily",
            "2026-03-29T10:00:00+02:00 2026-03-29T10:30:00+02:00 2026-03-29T10:00:00+02:00 Daily",
        ]
    );
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(
        diags[0].message.contains("DTEND is before DTSTART"),
        "{diags:#?}"
    );
    // Reported at the BEGIN:VEVENT of "backwards" (line 17).
    assert_eq!(diags[0].line, Some(17));
}

#[test]
fn older_override_with_its_own_rrule_past_the_new_until_is_dropped() {
    // A weekly retro on Mondays 16:00 CET was ended: the master (SEQUENCE
    // 3) now has UNTIL 9 March 22:59:59Z, so its instances are 2 and 9
    // March. Overrides written before that (SEQUENCE 1) still carry the
    // old RRULE; the one for 23 March points past the new UNTIL and is a
    // leftover of the old series: dropped. The override for 16 March has
    // no RRULE of its own: an ordinary orphan, kept as always. The one for
    // 30 March carries an RRULE but is newer than the master (SEQUENCE
    // 4): kept (30 March is CEST, +02:00).
    let ics = cal("BEGIN:VEVENT
UID:retro
SEQUENCE:3
DTSTART;TZID=Europe/Berlin:20260302T160000
DTEND;TZID=Europe/Berlin:20260302T170000
RRULE:FREQ=WEEKLY;UNTIL=20260309T225959Z
SUMMARY:Retro
END:VEVENT
BEGIN:VEVENT
UID:retro
SEQUENCE:1
RECURRENCE-ID;TZID=Europe/Berlin:20260316T160000
DTSTART;TZID=Europe/Berlin:20260316T170000
DTEND;TZID=Europe/Berlin:20260316T180000
SUMMARY:Retro orphan
END:VEVENT
BEGIN:VEVENT
UID:retro
SEQUENCE:1
RECURRENCE-ID;TZID=Europe/Berlin:20260323T160000
DTSTART;TZID=Europe/Berlin:20260323T170000
DTEND;TZID=Europe/Berlin:20260323T180000
RRULE:FREQ=WEEKLY
SUMMARY:Retro stale
END:VEVENT
BEGIN:VEVENT
UID:retro
SEQUENCE:4
RECURRENCE-ID;TZID=Europe/Berlin:20260330T160000
DTSTART;TZID=Europe/Berlin:20260330T170000
DTEND;TZID=Europe/Berlin:20260330T180000
RRULE:FREQ=WEEKLY
SUMMARY:Retro newer
END:VEVENT
");
    let (got, diags) = expand(&ics, "2026-03-01", "2026-04-06");
    assert_eq!(
        got,
        [
            "2026-03-02T16:00:00+01:00 2026-03-02T17:00:00+01:00 2026-03-02T16:00:00+01:00 Retro",
            "2026-03-09T16:00:00+01:00 2026-03-09T17:00:00+01:00 2026-03-09T16:00:00+01:00 Retro",
            "2026-03-16T17:00:00+01:00 2026-03-16T18:00:00+01:00 2026-03-16T16:00:00+01:00 Retro orphan",
            "2026-03-30T17:00:00+02:00 2026-03-30T18:00:00+02:00 2026-03-30T16:00:00+02:00 Retro newer",
        ]
    );
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn date_start_with_a_duration_under_a_day_keeps_the_duration() {
    // DTSTART;VALUE=DATE with DURATION:PT1H: RFC 5545 3.8.2.5 asks for a
    // duration in days or weeks with a date, but the end is still
    // DTSTART + DURATION (3.6.1): midnight plus one hour, 01:00 on the
    // same date, a wall-clock time like the date itself. Weekly, COUNT=2:
    // 2 and 9 March.
    let ics = cal("BEGIN:VEVENT
UID:hour
DTSTART;VALUE=DATE:20260302
DURATION:PT1H
RRULE:FREQ=WEEKLY;COUNT=2
SUMMARY:Hour
END:VEVENT
");
    let (got, diags) = expand(&ics, "2026-03-01", "2026-04-01");
    assert_eq!(
        got,
        [
            "2026-03-02 2026-03-02T01:00:00 2026-03-02 Hour",
            "2026-03-09 2026-03-09T01:00:00 2026-03-09 Hour",
        ]
    );
    assert!(diags.is_empty(), "{diags:#?}");
}
