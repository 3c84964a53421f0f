//! Team-week signals, aggregation and the privacy rule, on hand-worked
//! fixtures.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

mod common;

use chrono::Duration;
use chrono_tz::{America, Pacific, UTC};
use common::*;
use fulcrum_analysis::coverage::CoverageKey;
use fulcrum_analysis::{
    Analysis, Params, PeopleIndex, PulseAnswer, SignalId, SignalId::*, TeamValue, TeamWeek,
    Unknown, Value, WorkItem,
};
use fulcrum_model::{DescriptionFlags, Person};

fn w19() -> fulcrum_analysis::Window {
    week_of(date(2024, 5, 6))
}

fn team_value(tw: &TeamWeek, id: SignalId) -> Value {
    match &tw.get(id).unwrap().value {
        Ok(TeamValue::Value(v)) => v.clone(),
        other => panic!("{id:?}: expected a team value, got {other:?}"),
    }
}

fn team_aggregate(tw: &TeamWeek, id: SignalId) -> fulcrum_analysis::Aggregate {
    match &tw.get(id).unwrap().value {
        Ok(TeamValue::Aggregate(a)) => a.clone(),
        other => panic!("{id:?}: expected an aggregate, got {other:?}"),
    }
}

fn team<'a>(s: &'a fulcrum_analysis::Signals, name: &str) -> &'a fulcrum_analysis::TeamWeeks {
    s.teams.iter().find(|t| t.team == name).unwrap()
}

#[test]
fn overlap_of_auckland_and_los_angeles() {
    // 2024-W09 (26 Feb - 3 Mar): Los Angeles on PST (UTC-8), Auckland on
    // NZDT (UTC+13), 21 h apart. LA Monday 09:00-17:00 is Mon 17:00Z-Tue
    // 01:00Z; Auckland Tuesday 09:00-17:00 is Mon 20:00Z-Tue 04:00Z: both
    // work Mon 20:00Z-Tue 01:00Z, 5 h (12:00-17:00 in LA, 09:00-14:00 in
    // Auckland). The same for LA Tue/Wed/Thu with Auckland Wed/Thu/Fri;
    // LA Friday is Auckland's Saturday and Auckland Monday LA's Sunday.
    // 4 x 5 = 20 h in the week, over 5 working days: 4 h/day.
    let mut people = Vec::new();
    for n in ["la1", "la2", "la3"] {
        people.push(data(person(n, "t", America::Los_Angeles), vec![]));
    }
    for n in ["ak1", "ak2"] {
        people.push(data(person(n, "t", Pacific::Auckland), vec![]));
    }
    let s = run(
        &people,
        week_of(date(2024, 2, 26)),
        Params::default(),
        &[],
        &[],
    );
    let tw = &s.teams[0].weeks[0];
    let Value::Overlap(o) = team_value(tw, OverlapHours) else {
        panic!()
    };
    assert_close(o.hours, 20.0);
    assert_eq!(o.working_days, 5);
    assert_close(o.hours_per_day, 4.0);
    let windows: Vec<_> = o.windows.iter().map(|w| (w.start, w.end)).collect();
    let expected: Vec<_> = [26, 27, 28, 29]
        .iter()
        .map(|&d| {
            let start = utc(2024, 2, d, 20, 0);
            (start, start + Duration::hours(5))
        })
        .collect();
    assert_eq!(windows, expected);
    assert_eq!(tw.get(OverlapHours).unwrap().members_with_data, 5);
}

#[test]
fn tz_burden_gini_of_three() {
    // After-hours meeting hours in W19: Ana 0, Bo 1 (Mon 18:00-19:00), Cy 5
    // (Mon 18:00-23:00), each with an outside guest. Gini: mean 2, sum of
    // |differences| over ordered pairs 2 (1 + 5 + 4) = 20, G = 20 / (2 x 3^2
    // x 2) = 5/9 = 0.5556.
    let guest = "guest@example.org";
    let people = vec![
        data(person("ana", "t", UTC), vec![]),
        data(
            person("bo", "t", UTC),
            vec![
                ev("B", UTC, utc(2024, 5, 6, 18, 0), 60)
                    .organizer("bo")
                    .accepted(guest)
                    .build(),
            ],
        ),
        data(
            person("cy", "t", UTC),
            vec![
                ev("C", UTC, utc(2024, 5, 6, 18, 0), 300)
                    .organizer("cy")
                    .accepted(guest)
                    .build(),
            ],
        ),
    ];
    let params = Params {
        min_group_size: 3,
        ..Params::default()
    };
    let s = run(&people, w19(), params, &[], &[]);
    let Value::Burden(b) = team_value(&s.teams[0].weeks[0], TzBurden) else {
        panic!()
    };
    assert_close(b.gini, 5.0 / 9.0);
    assert_close(b.total_hours, 6.0);
    assert_close(b.max_hours, 5.0);
    assert_eq!(b.members, 3);
    // With the default minimum of 5 the same team is suppressed.
    let s = run(&people, w19(), Params::default(), &[], &[]);
    assert_eq!(
        s.teams[0].weeks[0].get(TzBurden).unwrap().value,
        Err(Unknown::Suppressed {
            members_with_data: 3,
            min_group_size: 5
        })
    );
}

#[test]
fn organizer_concentration() {
    // Team t: Ana, Bo, Cy. Person-hours in W19 (each meeting at its own time):
    //   M1 2 h by Ana, Bo and Cy attend: 3 x 2 = 6 person-hours by Ana
    //   M2 1 h by Bo with Cy: 2 by Bo
    //   M3 1 h by an outsider with Ana: 1 by the outsider
    //   M4 1 h with no ORGANIZER, Ana and Cy: 2 with no known organizer
    // Known: 6 + 2 + 1 = 9; the top organizer, Ana, has 6/9 = 0.667.
    let d = |h| utc(2024, 5, 6, h, 0);
    let m1 = ev("M1", UTC, d(9), 120)
        .organizer("ana")
        .accepted("bo")
        .accepted("cy")
        .build();
    let m2 = ev("M2", UTC, d(12), 60)
        .organizer("bo")
        .accepted("cy")
        .build();
    let m3 = ev("M3", UTC, d(13), 60)
        .organizer("boss@partner.io")
        .accepted("ana")
        .build();
    let m4 = ev("M4", UTC, d(14), 60)
        .accepted("ana")
        .accepted("cy")
        .build();
    let people = vec![
        data(person("ana", "t", UTC), vec![m1.clone(), m3, m4.clone()]),
        data(person("bo", "t", UTC), vec![m1.clone(), m2.clone()]),
        data(person("cy", "t", UTC), vec![m1, m2, m4]),
    ];
    let params = Params {
        min_group_size: 3,
        ..Params::default()
    };
    let s = run(&people, w19(), params, &[], &[]);
    let Value::Concentration(c) = team_value(&s.teams[0].weeks[0], OrganizerConcentration) else {
        panic!()
    };
    assert_eq!((c.ratio.part, c.ratio.whole), (6.0, 9.0));
    assert_eq!(
        (c.top_organizer.as_str(), c.top_is_member),
        ("ana@acme.com", true)
    );
    // Coverage: 9 of 11 person-hours have an organizer (in minutes).
    let f = s.coverage.get(CoverageKey::OrganizerKnown).unwrap();
    assert_eq!((f.part, f.whole), (540, 660));
}

#[test]
fn hygiene_of_meetings_the_team_organizes() {
    // Team t is Bo and Ana (Bo listed first, so his copy of H1, without the
    // description, is read first: the organizer's copy must still win).
    // Ana organizes in W19:
    //   H1 one-off 45 min, Ana + Bo, agenda + outcome + notes link
    //   H2 one-off 60 min (over the 50 min timebox), Ana + Bo + 8 guests = 10
    //      (over 8), agenda
    //   H3 recurring, no end, 30 min, nothing
    //   H4 recurring with an end, 30 min, pre-read
    // Cy (team u) organizes H5 with every flag: not team t's.
    // agenda 2/4 (H1, H2), outcome 1/4, preread 1/4, timebox 3/4 (not H2),
    // attendees 3/4 (not H2), summary 1/4 (H1's notes link), series end 1/2.
    let d = |day, h| utc(2024, 5, day, h, 0);
    let all = DescriptionFlags {
        present: true,
        has_agenda: true,
        has_outcome: true,
        has_preread_link: true,
        has_notes_link: true,
        decision: false,
    };
    let h1 = ev("H1", UTC, d(6, 10), 45).organizer("ana").accepted("bo");
    let h1_ana = h1
        .clone()
        .description(DescriptionFlags {
            has_agenda: true,
            has_outcome: true,
            has_notes_link: true,
            ..Default::default()
        })
        .build();
    let mut h2 = ev("H2", UTC, d(7, 10), 60).organizer("ana").accepted("bo");
    for k in 0..8 {
        h2 = h2.accepted(&format!("guest{k}@example.org"));
    }
    let h2 = h2
        .description(DescriptionFlags {
            has_agenda: true,
            ..Default::default()
        })
        .build();
    let h3 = ev("H3", UTC, d(8, 10), 30)
        .organizer("ana")
        .accepted("bo")
        .recurring(false)
        .build();
    let h4 = ev("H4", UTC, d(9, 10), 30)
        .organizer("ana")
        .accepted("bo")
        .recurring(true)
        .description(DescriptionFlags {
            has_preread_link: true,
            ..Default::default()
        })
        .build();
    let h5 = ev("H5", UTC, d(10, 10), 30)
        .organizer("cy")
        .accepted("ana")
        .description(all)
        .build();
    let people = vec![
        data(person("bo", "t", UTC), vec![h1.build()]),
        data(person("ana", "t", UTC), vec![h1_ana, h2, h3, h4, h5]),
        data(person("cy", "u", UTC), vec![]),
    ];
    let params = Params {
        min_group_size: 2,
        ..Params::default()
    };
    let s = run(&people, w19(), params, &[], &[]);
    let tw = &team(&s, "t").weeks[0];
    let share = |id| match team_value(tw, id) {
        Value::Ratio(r) => (r.part, r.whole),
        other => panic!("{other:?}"),
    };
    assert_eq!(share(HygieneAgenda), (2.0, 4.0));
    assert_eq!(share(HygieneOutcome), (1.0, 4.0));
    assert_eq!(share(HygienePreread), (1.0, 4.0));
    assert_eq!(share(HygieneTimebox), (3.0, 4.0));
    assert_eq!(share(HygieneAttendees), (3.0, 4.0));
    assert_eq!(share(HygieneSummary), (1.0, 4.0));
    assert_eq!(share(HygieneSeriesEnd), (1.0, 2.0));
    // Team u (one member) is suppressed.
    assert_eq!(
        team(&s, "u").weeks[0].get(HygieneAgenda).unwrap().value,
        Err(Unknown::Suppressed {
            members_with_data: 1,
            min_group_size: 2
        })
    );
}

/// Five UTC people of team `name` whose W19 meeting hours are 1, 2, 3, 4, 10
/// (all inside working time), and a sixth in another team.
fn five(name: &str) -> Vec<fulcrum_analysis::PersonData> {
    let mon = |h| utc(2024, 5, 6, h, 0);
    let mut people: Vec<_> = (1..=4)
        .map(|k| {
            let n = format!("{name}{k}");
            let m = ev(&n, UTC, mon(9), 60 * k)
                .organizer(&n)
                .accepted("guest@example.org")
                .build();
            data(person(&n, name, UTC), vec![m])
        })
        .collect();
    let n = format!("{name}5");
    let long = vec![
        ev("L1", UTC, mon(9), 8 * 60)
            .organizer(&n)
            .accepted("guest@example.org")
            .build(),
        ev("L2", UTC, utc(2024, 5, 7, 9, 0), 120)
            .organizer(&n)
            .accepted("guest@example.org")
            .build(),
    ];
    people.push(data(person(&n, name, UTC), long));
    people
}

#[test]
fn aggregates_of_a_team_of_five() {
    let s = run(&five("t"), w19(), Params::default(), &[], &[]);
    let tw = &s.teams[0].weeks[0];
    assert_eq!(tw.signals.len(), SignalId::ALL.len());
    // Meeting hours 1, 2, 3, 4, 10: median 3, mean 4, p90 (type 7): h = 4 x
    // 0.9 = 3.6, 4 + 0.6 x (10 - 4) = 7.6; total 20.
    let a = team_aggregate(tw, MeetingHours);
    assert_eq!((a.median, a.mean), (Some(3.0), Some(4.0)));
    assert_close(a.p90.unwrap(), 7.6);
    assert_close(a.total, 20.0);
    assert_eq!(tw.get(MeetingHours).unwrap().members_with_data, 5);
    // Meeting share: each of 40 h; median of shares 3/40, pooled 20/200.
    let a = team_aggregate(tw, MeetingShare);
    assert_close(a.median.unwrap(), 0.075);
    let pooled = a.pooled.unwrap();
    assert_eq!((pooled.part, pooled.whole), (20.0, 200.0));
    // The headline a finding compares against.
    let v = tw.get(MeetingShare).unwrap().value.clone().unwrap();
    assert_close(v.headline(MeetingShare).unwrap(), 0.075);
}

#[test]
fn a_team_of_four_is_suppressed_and_says_why() {
    let mut people = five("t");
    people.pop();
    let s = run(&people, w19(), Params::default(), &[], &[]);
    let tw = &s.teams[0].weeks[0];
    for id in [
        MeetingHours,
        FocusHours,
        OverlapHours,
        TzBurden,
        OrganizerConcentration,
        HygieneAgenda,
    ] {
        assert_eq!(
            tw.get(id).unwrap().value,
            Err(Unknown::Suppressed {
                members_with_data: 4,
                min_group_size: 5
            }),
            "{id:?}"
        );
    }
    // The individual values are still there, marked as individual.
    assert_eq!(
        s.people[0].sensitivity,
        fulcrum_analysis::Sensitivity::Individual
    );
    assert_close(number(get(&s, 3, 0, MeetingHours)), 4.0);
}

#[test]
fn five_members_but_four_with_data_is_suppressed() {
    // One of the five has no calendar: 4 members with meeting data.
    let mut people = five("t");
    people[4].calendar = None;
    let s = run(&people, w19(), Params::default(), &[], &[]);
    let sig = s.teams[0].weeks[0].get(MeetingHours).unwrap().clone();
    assert_eq!(
        sig.value,
        Err(Unknown::Suppressed {
            members_with_data: 4,
            min_group_size: 5
        })
    );
}

#[test]
fn throughput_and_morale() {
    let people = five("t");
    let persons: Vec<Person> = people.iter().map(|p| p.person.clone()).collect();
    let index = PeopleIndex::new(&persons);
    let item = |person, t| WorkItem {
        person,
        closed_at: t,
    };
    let answer = |person, score| PulseAnswer {
        person,
        week: week(2024, 19),
        score,
    };

    // Without the optional sources: unknown, not zero.
    let s = Analysis::new(&people, w19(), Params::default(), &index).finish();
    let tw = &s.teams[0].weeks[0];
    assert_eq!(tw.get(Throughput).unwrap().value, Err(Unknown::NoSource));
    assert_eq!(tw.get(Morale).unwrap().value, Err(Unknown::NoSource));

    // Three items in W19, one on the next Monday (outside the window), one of
    // someone not on the list (index 99: counted in coverage only).
    // Four of five answer the pulse: suppressed.
    let mut a = Analysis::new(&people, w19(), Params::default(), &index);
    a.add_work_items([
        item(0, utc(2024, 5, 6, 12, 0)),
        item(1, utc(2024, 5, 8, 12, 0)),
        item(1, utc(2024, 5, 12, 23, 0)),
        item(2, utc(2024, 5, 13, 9, 0)),
        item(99, utc(2024, 5, 8, 12, 0)),
    ]);
    a.add_pulse([
        answer(0, 4.0),
        answer(1, 3.0),
        answer(2, 5.0),
        answer(3, 2.0),
    ]);
    let s = a.finish();
    let tw = &s.teams[0].weeks[0];
    assert_eq!(team_value(tw, Throughput), Value::Number(3.0));
    assert_eq!(
        tw.get(Morale).unwrap().value,
        Err(Unknown::Suppressed {
            members_with_data: 4,
            min_group_size: 5
        })
    );
    let f = s.coverage.get(CoverageKey::WorkItemsResolved).unwrap();
    assert_eq!((f.part, f.whole), (4, 5));

    // All five answer: mean (4 + 3 + 5 + 2 + 1) / 5 = 3.
    let mut a = Analysis::new(&people, w19(), Params::default(), &index);
    a.add_pulse([
        answer(0, 4.0),
        answer(1, 3.0),
        answer(2, 5.0),
        answer(3, 2.0),
        answer(4, 1.0),
    ]);
    let s = a.finish();
    assert_eq!(team_value(&s.teams[0].weeks[0], Morale), Value::Number(3.0));
}

#[test]
fn weeks_after_the_data_are_not_judged() {
    // Two weeks, 6-12 and 13-19 May; the data ends Friday 10 May.
    let window = fulcrum_analysis::Window {
        from: date(2024, 5, 6),
        to: date(2024, 5, 19),
    };
    let mut s = run(&five("t"), window, Params::default(), &[], &[]);
    assert!(s.teams[0].weeks[1].get(MeetingHours).unwrap().value.is_ok());
    let later = s.mark_after_data(date(2024, 5, 10));
    assert_eq!(later, vec![s.weeks[1]]);
    let first = &s.teams[0].weeks[0];
    assert!(first.get(MeetingHours).unwrap().value.is_ok());
    for signal in &s.teams[0].weeks[1].signals {
        assert_eq!(signal.value, Err(Unknown::AfterData), "{:?}", signal.id);
    }
    // A data end on the week's Monday keeps it.
    let mut s = run(&five("t"), window, Params::default(), &[], &[]);
    assert!(s.mark_after_data(date(2024, 5, 13)).is_empty());
}

#[test]
fn members_away_most_of_the_week_are_left_out_of_team_values() {
    // t1..t5 have 1, 2, 3, 4 and 10 meeting hours on Monday 6 May. t5 is
    // also out of office Tuesday to Thursday (3 of 5 working days: 16 of
    // 40 h left, under half): away. The median of the other four,
    // [1, 2, 3, 4], is 2.5 (with t5 it was 3).
    let mut people = five("t");
    people[4].calendar.as_mut().unwrap().push(
        all_day("ooo", date(2024, 5, 7), 3)
            .out_of_office()
            .organizer("t5")
            .build(),
    );
    let params = Params {
        min_group_size: 4,
        ..Params::default()
    };
    let s = run(&people, w19(), params.clone(), &[], &[]);
    assert!(pw(&s, 4, 0).away);
    assert!(!pw(&s, 3, 0).away);
    let tw = &s.teams[0].weeks[0];
    assert_eq!(tw.members_away, 1);
    assert_eq!(team_aggregate(tw, MeetingHours).median, Some(2.5));
    assert_eq!(tw.get(MeetingHours).unwrap().members_with_data, 4);
    // The person's own week keeps its values.
    assert_close(number(get(&s, 4, 0, MeetingHours)), 10.0);

    // Two days off (24 of 40 h left) is not away.
    let mut people = five("t");
    people[4].calendar.as_mut().unwrap().push(
        all_day("ooo", date(2024, 5, 8), 2)
            .out_of_office()
            .organizer("t5")
            .build(),
    );
    let s = run(&people, w19(), params.clone(), &[], &[]);
    assert!(!pw(&s, 4, 0).away);
    assert_eq!(s.teams[0].weeks[0].members_away, 0);

    // Three of five away the whole week: the team-week is left out.
    let mut people = five("t");
    for (i, p) in people.iter_mut().take(3).enumerate() {
        let who = format!("t{}", i + 1);
        p.calendar.as_mut().unwrap().push(
            all_day("ooo", date(2024, 5, 6), 5)
                .out_of_office()
                .organizer(&who)
                .build(),
        );
    }
    let s = run(&people, w19(), params, &[], &[]);
    let tw = &s.teams[0].weeks[0];
    assert_eq!(tw.members_away, 3);
    for signal in &tw.signals {
        assert_eq!(signal.value, Err(Unknown::TeamAway), "{:?}", signal.id);
    }
}
