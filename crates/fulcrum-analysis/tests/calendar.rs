//! Calendar signals on small hand-worked fixtures. Every expected value is
//! derived in the comment above it.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

mod common;

use chrono_tz::{America, Europe, Pacific, UTC};
use common::*;
use fulcrum_analysis::coverage::CoverageKey;
use fulcrum_analysis::meetings::Exclusion;
use fulcrum_analysis::{Params, SignalId::*, Unknown};
use fulcrum_model::{DescriptionFlags, PartStat};

// The week of most fixtures: 2024-W19, Monday 6 May to Sunday 12 May 2024
// (no DST change anywhere near it).
fn w19() -> fulcrum_analysis::Window {
    week_of(date(2024, 5, 6))
}

/// Ana (UTC, Mon-Fri 09:00-17:00, so 40 working hours) in 2024-W19:
///
/// | day | meeting | Ana's answer |
/// |-----|---------|--------------|
/// | Mon | M1 10:00-11:00 by Bo | accepted |
/// | Mon | M2 10:30-11:30 by Bo, recurring | accepted |
/// | Mon | M3 16:30-17:30 by Ana, Bo invited | organizer |
/// | Tue | M4 13:00-14:00 by Bo | TENTATIVE |
/// | Tue | M5 13:30-14:00 by Bo | accepted |
/// | Wed | M6 09:00-10:00 by Bo | DECLINED |
/// | Wed | M7 09:30-10:00 by Bo | accepted |
/// | Thu | F 10:00-12:00 by Ana, nobody else (a focus block) | organizer |
fn ana_week() -> Vec<fulcrum_model::Occurrence> {
    let d = |day, h, m| utc(2024, 5, day, h, m);
    vec![
        ev("M1", UTC, d(6, 10, 0), 60)
            .organizer("bo")
            .accepted("bo")
            .accepted("ana")
            .build(),
        ev("M2", UTC, d(6, 10, 30), 60)
            .organizer("bo")
            .accepted("ana")
            .recurring(false)
            .build(),
        ev("M3", UTC, d(6, 16, 30), 60)
            .organizer("ana")
            .attendee("bo", PartStat::NeedsAction)
            .build(),
        ev("M4", UTC, d(7, 13, 0), 60)
            .organizer("bo")
            .attendee("ana", PartStat::Tentative)
            .build(),
        ev("M5", UTC, d(7, 13, 30), 30)
            .organizer("bo")
            .accepted("ana")
            .build(),
        ev("M6", UTC, d(8, 9, 0), 60)
            .organizer("bo")
            .attendee("ana", PartStat::Declined)
            .build(),
        ev("M7", UTC, d(8, 9, 30), 30)
            .organizer("bo")
            .accepted("ana")
            .build(),
        ev("F", UTC, d(9, 10, 0), 120)
            .organizer("ana")
            .accepted("ana")
            .build(),
    ]
}

#[test]
fn union_share_after_hours_and_counts() {
    let s = run(
        &[data(person("ana", "t", UTC), ana_week())],
        w19(),
        Params::default(),
        &[],
        &[],
    );
    // Union: Mon 10:00-11:30 (M1 and M2 overlap: 1.5 h, not 2) + 16:30-17:30
    // (1 h) + Tue 13:30-14:00 (M5, 0.5 h; M4 is tentative) + Wed 09:30-10:00
    // (M7, 0.5 h; M6 declined) = 3.5 h. F is a focus block (one participant).
    assert_close(number(get(&s, 0, 0, MeetingHours)), 3.5);
    // M1, M2, M3, M5, M7.
    assert_close(number(get(&s, 0, 0, MeetingCount)), 5.0);
    // M3 crosses the end of the day: 16:30-17:00 inside, 17:00-17:30 outside.
    // Inside working time: 1.5 + 0.5 + 0.5 + 0.5 = 3 h of 40 h.
    assert_eq!(ratio(get(&s, 0, 0, MeetingShare)), (3.0, 40.0));
    assert_close(number(get(&s, 0, 0, AfterHoursMeetingHours)), 0.5);
    // Recurring: only M2, 10:30-11:30 = 1 h of 3.5 h.
    assert_eq!(ratio(get(&s, 0, 0, RecurringShare)), (1.0, 3.5));
    // Short (one-off, 30 min or less): M5 and M7. M2 is recurring, M1/M3 60 min.
    assert_close(number(get(&s, 0, 0, ShortMeetings)), 2.0);
    // Nothing over 1 h, nothing with 9 invitees.
    assert_close(number(get(&s, 0, 0, LargeLongMeetings)), 0.0);
    // No CREATED or DTSTAMP anywhere: the count is 0, the share unknown.
    let (n, of) = ratio(get(&s, 0, 0, ShortNoticeMeetings));
    assert_eq!((n, of), (0.0, 0.0));
    // Why each occurrence was left out.
    let excluded = &s.coverage.excluded_occurrences;
    assert!(
        excluded.contains(&(Exclusion::Tentative, 1)),
        "{excluded:?}"
    );
    assert!(excluded.contains(&(Exclusion::Declined, 1)), "{excluded:?}");
    assert!(excluded.contains(&(Exclusion::Solo, 1)), "{excluded:?}");
}

#[test]
fn conflicts_count_only_the_overlap_of_non_declined_meetings() {
    let s = run(
        &[data(person("ana", "t", UTC), ana_week())],
        w19(),
        Params::default(),
        &[],
        &[],
    );
    // Mon: M1 10:00-11:00 and M2 10:30-11:30 overlap 10:30-11:00 = 0.5 h.
    // Tue: M4 (tentative, not declined: still double-booked) 13:00-14:00 and
    // M5 13:30-14:00 overlap 0.5 h. Wed: M6 is declined, so M7 conflicts with
    // nothing. Total 1 h.
    assert_close(number(get(&s, 0, 0, ConflictHours)), 1.0);
}

#[test]
fn focus_blocks_are_cut_by_meetings() {
    let s = run(
        &[data(person("ana", "t", UTC), ana_week())],
        w19(),
        Params::default(),
        &[],
        &[],
    );
    // Free blocks (working time minus the union):
    //   Mon 09:00-10:00 (1 h), 11:30-16:30 (5 h)
    //   Tue 09:00-13:30 (4.5 h), 14:00-17:00 (3 h)
    //   Wed 09:00-09:30 (0.5 h), 10:00-17:00 (7 h)
    //   Thu 09:00-17:00 (8 h: the focus block is not a meeting), Fri 8 h.
    // Focus (blocks of 2 h or more): 5 + 4.5 + 3 + 7 + 8 + 8 = 35.5 h.
    // Fragmented (shorter): 1 + 0.5 = 1.5 h; 35.5 + 1.5 = 37 = 40 - 3.
    assert_close(number(get(&s, 0, 0, FocusHours)), 35.5);
    assert_close(number(get(&s, 0, 0, FragmentedHours)), 1.5);
    let (frag, free) = ratio(get(&s, 0, 0, Fragmentation));
    assert_close(frag, 1.5);
    assert_close(free, 37.0);
    // Blocks of at least 1 h: all but Wed's 0.5 h = 7; of at least 2 h: 6.
    assert_close(number(get(&s, 0, 0, Open1hBlocks)), 7.0);
    assert_close(number(get(&s, 0, 0, Open2hBlocks)), 6.0);
}

#[test]
fn tentative_counts_only_when_the_policy_says_so() {
    let p = Params {
        count_tentative: true,
        ..Params::default()
    };
    let s = run(
        &[data(person("ana", "t", UTC), ana_week())],
        w19(),
        p,
        &[],
        &[],
    );
    // M4 13:00-14:00 joins: Tue union 13:00-14:00 (M5 inside it) = 1 h, so
    // 3.5 - 0.5 + 1 = 4 h, and 6 meetings.
    assert_close(number(get(&s, 0, 0, MeetingHours)), 4.0);
    assert_close(number(get(&s, 0, 0, MeetingCount)), 6.0);
}

#[test]
fn invites_short_notice_and_large_long() {
    let mon10 = utc(2024, 5, 6, 10, 0);
    let h = chrono::Duration::hours;
    let nine = ["c1", "c2", "c3", "c4", "c5", "c6", "c7"];
    let mut c = ev("C", UTC, utc(2024, 5, 8, 10, 0), 30)
        .organizer("bo")
        .accepted("ana");
    for n in nine {
        c = c.accepted(n);
    }
    let cal = vec![
        // A: CREATED exactly 24 h before: short notice (24 h or less).
        ev("A", UTC, mon10, 30)
            .organizer("bo")
            .accepted("ana")
            .created(mon10 - h(24))
            .build(),
        // B: CREATED 3 days before; 90 min, so long.
        ev("B", UTC, utc(2024, 5, 7, 10, 0), 90)
            .organizer("bo")
            .accepted("ana")
            .created(mon10 - h(48))
            .build(),
        // C: no CREATED, DTSTAMP 2 h before: short notice; 9 participants
        // (Bo, Ana, 7 more): large.
        c.dtstamp(utc(2024, 5, 8, 8, 0)).build(),
        // D: DTSTAMP after the start (an export stamp): invite time unknown.
        ev("D", UTC, utc(2024, 5, 9, 10, 0), 60)
            .organizer("bo")
            .accepted("ana")
            .dtstamp(utc(2024, 6, 1, 0, 0))
            .build(),
        // E: recurring, created 1 h before: not counted (one-off meetings only).
        ev("E", UTC, utc(2024, 5, 10, 10, 0), 30)
            .organizer("bo")
            .accepted("ana")
            .recurring(true)
            .created(utc(2024, 5, 10, 9, 0))
            .build(),
    ];
    let s = run(
        &[data(person("ana", "t", UTC), cal)],
        w19(),
        Params::default(),
        &[],
        &[],
    );
    // Short notice: A and C of the three with a known invite (A, B, C).
    assert_eq!(ratio(get(&s, 0, 0, ShortNoticeMeetings)), (2.0, 3.0));
    // Large or long: B (90 min) and C (9 invitees).
    assert_close(number(get(&s, 0, 0, LargeLongMeetings)), 2.0);
    // Coverage over the four one-off meetings: CREATED on A and B, DTSTAMP on C.
    let cov = |k| s.coverage.get(k).map(|f| (f.part, f.whole)).unwrap();
    assert_eq!(cov(CoverageKey::InviteFromCreated), (2, 4));
    assert_eq!(cov(CoverageKey::InviteFromDtstamp), (1, 4));
    assert_eq!(cov(CoverageKey::InviteKnown), (3, 4));
    assert_eq!(
        s.coverage
            .get(CoverageKey::InviteFromCreated)
            .unwrap()
            .describe(),
        "CREATED present on 50% of attended one-off meetings (2 of 4)"
    );
}

#[test]
fn rooms_and_event_level_exclusions() {
    let t = utc(2024, 5, 6, 10, 0);
    let cal = vec![
        // Ana and a room: one participant, so not a meeting.
        ev("R", UTC, t, 60)
            .organizer("ana")
            .room("room-1@acme.com")
            .build(),
        ev("X", UTC, t, 60)
            .organizer("bo")
            .accepted("ana")
            .cancelled()
            .build(),
        ev("T", UTC, t, 60)
            .organizer("bo")
            .accepted("ana")
            .transparent()
            .build(),
        all_day("AD", date(2024, 5, 7), 1)
            .organizer("bo")
            .accepted("ana")
            .build(),
        // 12 h exactly is not shorter than 12 h.
        ev("L", UTC, utc(2024, 5, 8, 6, 0), 12 * 60)
            .organizer("bo")
            .accepted("ana")
            .build(),
        // Bo's meeting that does not list Ana.
        ev("N", UTC, t, 60).organizer("bo").accepted("cy").build(),
        // The same meeting read twice (two exported calendars): once.
        ev("D", UTC, utc(2024, 5, 9, 10, 0), 60)
            .organizer("bo")
            .accepted("ana")
            .build(),
        ev("D", UTC, utc(2024, 5, 9, 10, 0), 60)
            .organizer("bo")
            .accepted("ana")
            .build(),
    ];
    let s = run(
        &[data(person("ana", "t", UTC), cal)],
        w19(),
        Params::default(),
        &[],
        &[],
    );
    assert_close(number(get(&s, 0, 0, MeetingHours)), 1.0);
    assert_close(number(get(&s, 0, 0, MeetingCount)), 1.0);
    let ex = &s.coverage.excluded_occurrences;
    for reason in [
        Exclusion::Solo,
        Exclusion::Cancelled,
        Exclusion::Transparent,
        Exclusion::AllDay,
        Exclusion::TooLong,
        Exclusion::NotInvited,
        Exclusion::Duplicate,
    ] {
        assert!(ex.contains(&(reason, 1)), "{reason:?} in {ex:?}");
    }
}

#[test]
fn out_of_office_days_are_not_working_days() {
    let cal = vec![
        // All-day OOO Wed 8 and Thu 9 May (DTEND 10 May, exclusive).
        all_day("V", date(2024, 5, 8), 2).out_of_office().build(),
        // Timed OOO from Fri 00:00 to Sat 00:00: covers Friday's 09:00-17:00.
        ev("F", UTC, utc(2024, 5, 10, 0, 0), 24 * 60)
            .organizer("ana")
            .out_of_office()
            .build(),
        // A half day (Mon 13:00-17:00) leaves Monday a working day.
        ev("H", UTC, utc(2024, 5, 6, 13, 0), 4 * 60)
            .organizer("ana")
            .out_of_office()
            .build(),
        // Bo's absence notice sent to Ana is Bo's, not Ana's.
        all_day("B", date(2024, 5, 7), 1)
            .organizer("bo")
            .accepted("ana")
            .out_of_office()
            .build(),
        // A meeting Ana attends on her day off: all of it is after hours.
        ev("M", UTC, utc(2024, 5, 8, 10, 0), 60)
            .organizer("bo")
            .accepted("ana")
            .build(),
    ];
    let s = run(
        &[data(person("ana", "t", UTC), cal)],
        w19(),
        Params::default(),
        &[],
        &[],
    );
    let c = pw(&s, 0, 0).calendar.as_ref().unwrap();
    // Mon + Tue = 16 working hours.
    assert_close(c.working_hours, 16.0);
    assert_close(number(get(&s, 0, 0, FocusHours)), 16.0);
    assert_close(number(get(&s, 0, 0, AfterHoursMeetingHours)), 1.0);
    assert_eq!(ratio(get(&s, 0, 0, MeetingShare)), (0.0, 16.0));
    assert_eq!(s.coverage.away_days, 3);
}

#[test]
fn a_week_away_has_no_focus_time_rather_than_zero() {
    let cal = vec![all_day("V", date(2024, 5, 6), 5).out_of_office().build()];
    let s = run(
        &[data(person("ana", "t", UTC), cal)],
        w19(),
        Params::default(),
        &[],
        &[],
    );
    assert_eq!(get(&s, 0, 0, FocusHours), Some(Err(Unknown::NoWorkingTime)));
    assert_eq!(
        get(&s, 0, 0, MeetingShare),
        Some(Err(Unknown::NoWorkingTime))
    );
    assert_eq!(
        get(&s, 0, 0, Fragmentation),
        Some(Err(Unknown::NoWorkingTime))
    );
    assert_close(number(get(&s, 0, 0, MeetingHours)), 0.0);
    assert_eq!(
        get(&s, 0, 0, RecurringShare),
        Some(Err(Unknown::NoMeetings))
    );
}

#[test]
fn no_calendar_is_unknown_not_zero() {
    let p = fulcrum_analysis::PersonData {
        person: person("ana", "t", UTC),
        calendar: None,
        in_chat: false,
    };
    let s = run(&[p], w19(), Params::default(), &[], &[]);
    assert_eq!(get(&s, 0, 0, MeetingHours), Some(Err(Unknown::NoCalendar)));
    assert_eq!(get(&s, 0, 0, MessagesSent), Some(Err(Unknown::NoChat)));
    assert_eq!(
        get(&s, 0, 0, OverlapHours),
        None,
        "team-only signals have no person value"
    );
}

#[test]
fn berlin_dst_week() {
    // 2024-W13: Mon 25 to Sun 31 March; Berlin springs forward on Sunday
    // 02:00 -> 03:00. Working time Mon-Fri 09:00-17:00 is still 40 h.
    // A Sunday meeting from 01:30 CET (00:30Z) to 03:30 CEST (01:30Z) reads
    // as two hours on the wall clock but lasts one: 1 after-hours hour.
    let berlin = Europe::Berlin;
    let start = at(berlin, 2024, 3, 31, 1, 30);
    assert_eq!(start, utc(2024, 3, 31, 0, 30));
    let cal = vec![
        ev("S", berlin, start, 60)
            .organizer("ana")
            .accepted("bo")
            .build(),
    ];
    let s = run(
        &[data(person("ana", "t", berlin), cal)],
        week_of(date(2024, 3, 25)),
        Params::default(),
        &[],
        &[],
    );
    let c = pw(&s, 0, 0).calendar.as_ref().unwrap();
    assert_close(c.working_hours, 40.0);
    assert_close(c.meeting_hours, 1.0);
    assert_close(c.after_hours_meeting_hours, 1.0);
    assert_close(c.focus_hours, 40.0);
}

#[test]
fn auckland_and_los_angeles_put_one_meeting_in_different_weeks() {
    // Sunday 3 March 2024 20:00-21:00Z is Monday 09:00 in Auckland (NZDT,
    // +13; week 2024-W10) and Sunday 12:00 in Los Angeles (PST, -8; week
    // 2024-W09). The window W09-W10 holds both weeks for both.
    let t = utc(2024, 3, 3, 20, 0);
    let m = ev("X", UTC, t, 60).organizer("ana").accepted("bo").build();
    let people = [
        data(person("ana", "t", Pacific::Auckland), vec![m.clone()]),
        data(person("bo", "t", America::Los_Angeles), vec![m]),
    ];
    let window = fulcrum_analysis::Window {
        from: date(2024, 2, 26),
        to: date(2024, 3, 10),
    };
    let s = run(&people, window, Params::default(), &[], &[]);
    assert_eq!(s.weeks, vec![week(2024, 9), week(2024, 10)]);
    // Ana: in W10, inside working time (Monday 09:00-10:00).
    assert_close(number(get(&s, 0, 0, MeetingHours)), 0.0);
    assert_close(number(get(&s, 0, 1, MeetingHours)), 1.0);
    assert_eq!(ratio(get(&s, 0, 1, MeetingShare)), (1.0, 40.0));
    // Bo: in W09, on his Sunday: all after hours.
    assert_close(number(get(&s, 1, 0, MeetingHours)), 1.0);
    assert_close(number(get(&s, 1, 0, AfterHoursMeetingHours)), 1.0);
    assert_close(number(get(&s, 1, 1, MeetingHours)), 0.0);
}

#[test]
fn a_meeting_across_midnight_splits_its_hours_between_weeks() {
    // Sunday 12 May 23:30 to Monday 13 May 00:30 UTC: 0.5 h in W19, 0.5 h in
    // W20; counted once, in W19 where it starts.
    let m = ev("X", UTC, utc(2024, 5, 12, 23, 30), 60)
        .organizer("ana")
        .accepted("bo")
        .build();
    let window = fulcrum_analysis::Window {
        from: date(2024, 5, 6),
        to: date(2024, 5, 13),
    };
    let s = run(
        &[data(person("ana", "t", UTC), vec![m])],
        window,
        Params::default(),
        &[],
        &[],
    );
    assert_close(number(get(&s, 0, 0, MeetingHours)), 0.5);
    assert_close(number(get(&s, 0, 1, MeetingHours)), 0.5);
    assert_close(number(get(&s, 0, 0, MeetingCount)), 1.0);
    assert_close(number(get(&s, 0, 1, MeetingCount)), 0.0);
}

#[test]
fn aliases_make_the_organizer_and_attendee_one_person() {
    // Ana organizes from an alias and is an attendee under her main email:
    // one participant plus Bo is two, and she organizes it.
    let mut ana = person("ana", "t", UTC);
    ana.aliases.push("ana.r@acme.com".into());
    let m = ev("X", UTC, utc(2024, 5, 6, 10, 0), 60)
        .organizer("ana.r@acme.com")
        .accepted("ana")
        .attendee("bo", PartStat::Declined)
        .build();
    let s = run(&[data(ana, vec![m])], w19(), Params::default(), &[], &[]);
    assert_close(number(get(&s, 0, 0, MeetingHours)), 1.0);
}

#[test]
fn description_flags_feed_hygiene_only() {
    // Descriptions do not change person signals.
    let m = ev("X", UTC, utc(2024, 5, 6, 10, 0), 60)
        .organizer("ana")
        .accepted("bo")
        .description(DescriptionFlags {
            has_agenda: true,
            ..Default::default()
        })
        .build();
    let s = run(
        &[data(person("ana", "t", UTC), vec![m])],
        w19(),
        Params::default(),
        &[],
        &[],
    );
    assert_close(number(get(&s, 0, 0, MeetingHours)), 1.0);
}

#[test]
fn a_resolver_pointing_past_the_list_is_nobody() {
    // A resolver built for another people list returns index 99: treated as
    // nobody, not a panic. Ana is still recognized by her own email.
    let m = ev("X", UTC, utc(2024, 5, 6, 10, 0), 60)
        .organizer("ana")
        .accepted("bo")
        .build();
    let people = [data(person("ana", "t", UTC), vec![m])];
    let wrong = |_: &str| Some(99);
    let mut a = fulcrum_analysis::Analysis::new(&people, w19(), Params::default(), &wrong);
    let dm = dm("ana", "bo");
    a.add_message(
        &dm,
        &msg("a", &dm, "ana", utc(2024, 5, 6, 12, 0)).m(),
        &wrong,
    );
    let s = a.finish();
    assert_close(number(get(&s, 0, 0, MeetingHours)), 1.0);
    assert_close(number(get(&s, 0, 0, MessagesSent)), 0.0);
}
