//! The answer-by time of an ask on the recipient's business-hours clock,
//! with expectations worked out by hand on a calendar: over a weekend, from
//! outside working hours, across a DST change, on a day away.

#![allow(clippy::unwrap_used)] // Tests: a panic is a failed test with its location.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use fulcrum_analysis::WorkClock;
use fulcrum_analysis::workflow::{answer_by, summary_due};
use fulcrum_model::WorkingHours;
use fulcrum_model::workflow::AnswerBy;
use std::collections::{BTreeMap, BTreeSet};

fn sla() -> BTreeMap<String, f64> {
    [("urgent".to_owned(), 2.0), ("normal".to_owned(), 24.0)].into()
}

/// Mon-Fri 09:00-17:00 in New York.
fn new_york(away: &[(i32, u32, u32)]) -> WorkClock {
    WorkClock::new(
        Tz::America__New_York,
        WorkingHours::standard(),
        away.iter()
            .map(|&(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
            .collect::<BTreeSet<_>>(),
    )
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn due(asked: DateTime<Utc>, class: &str, clock: &WorkClock) -> DateTime<Utc> {
    answer_by(asked, Some(&AnswerBy::Sla(class.into())), &sla(), clock)
        .unwrap()
        .unwrap()
}

#[test]
fn normal_sla_asked_on_friday_afternoon_runs_over_the_weekend() {
    // Friday 2026-12-04 15:00 EST (UTC-5) = 20:00 UTC. 24 business hours:
    // Fri 15-17 (2 h), Mon 7th (8 h, 10), Tue 8th (8 h, 18), Wed 9th
    // 09:00 + 6 h = 15:00 EST = 20:00 UTC.
    assert_eq!(
        due(utc(2026, 12, 4, 20, 0), "normal", &new_york(&[])),
        utc(2026, 12, 9, 20, 0)
    );
}

#[test]
fn urgent_sla_asked_out_of_hours_starts_at_the_next_working_morning() {
    // Saturday 2026-12-05 10:00 EST: nothing until Monday 09:00 EST;
    // + 2 h = Monday 11:00 EST = 16:00 UTC.
    assert_eq!(
        due(utc(2026, 12, 5, 15, 0), "urgent", &new_york(&[])),
        utc(2026, 12, 7, 16, 0)
    );
    // Friday 16:30 EST (21:30 UTC): 30 min on Friday, 90 on Monday:
    // Monday 10:30 EST = 15:30 UTC.
    assert_eq!(
        due(utc(2026, 12, 4, 21, 30), "urgent", &new_york(&[])),
        utc(2026, 12, 7, 15, 30)
    );
    // Wednesday 06:00 EST (11:00 UTC), before the working day: 09:00 + 2 h
    // = 11:00 EST = 16:00 UTC the same day.
    assert_eq!(
        due(utc(2026, 12, 9, 11, 0), "urgent", &new_york(&[])),
        utc(2026, 12, 9, 16, 0)
    );
}

#[test]
fn a_dst_change_over_the_weekend_moves_the_utc_time() {
    // Friday 2026-03-06 16:00 EST (UTC-5) = 21:00 UTC: 1 h on Friday. DST
    // starts on Sunday 2026-03-08, so Monday runs on EDT (UTC-4): 09:00 +
    // 1 h = 10:00 EDT = 14:00 UTC.
    assert_eq!(
        due(utc(2026, 3, 6, 21, 0), "urgent", &new_york(&[])),
        utc(2026, 3, 9, 14, 0)
    );
}

#[test]
fn a_day_away_is_skipped() {
    // As the first case, with Monday 7th away: Fri 2 h, Tue 8 h (10), Wed
    // 8 h (18), Thu 10th 09:00 + 6 h = 15:00 EST = 20:00 UTC.
    assert_eq!(
        due(
            utc(2026, 12, 4, 20, 0),
            "normal",
            &new_york(&[(2026, 12, 7)])
        ),
        utc(2026, 12, 10, 20, 0)
    );
}

#[test]
fn deadlines_are_kept_and_unknown_classes_are_located() {
    let clock = new_york(&[]);
    let at = utc(2026, 12, 11, 12, 0);
    assert_eq!(
        answer_by(
            utc(2026, 12, 4, 20, 0),
            Some(&AnswerBy::Deadline(at)),
            &sla(),
            &clock
        )
        .unwrap(),
        Some(at)
    );
    assert_eq!(answer_by(at, None, &sla(), &clock).unwrap(), None);
    let p = answer_by(at, Some(&AnswerBy::Sla("soon".into())), &sla(), &clock).unwrap_err();
    assert_eq!(p.field, "answer_by");
    assert_eq!(
        p.message,
        "\"soon\" is not an SLA class of the team's policy; use one of: normal, urgent"
    );
    let never = WorkClock::new(
        Tz::UTC,
        WorkingHours {
            days: Default::default(),
        },
        BTreeSet::new(),
    );
    assert!(
        answer_by(at, Some(&AnswerBy::Sla("urgent".into())), &sla(), &never)
            .unwrap_err()
            .message
            .contains("no working time")
    );
}

#[test]
fn a_summary_is_due_two_business_days_after_the_meeting() {
    // Thursday 2026-12-03 15:00 EST (20:00 UTC), 8-hour days: 16 business
    // hours are Thu 15-17 (2), Fri (8, 10), Mon 7th 09:00 + 6 h = 15:00 EST
    // = 20:00 UTC.
    assert_eq!(
        summary_due(utc(2026, 12, 3, 20, 0), &new_york(&[])),
        utc(2026, 12, 7, 20, 0)
    );
    let never = WorkClock::new(
        Tz::UTC,
        WorkingHours {
            days: Default::default(),
        },
        BTreeSet::new(),
    );
    assert_eq!(
        summary_due(utc(2026, 12, 3, 20, 0), &never),
        utc(2026, 12, 5, 20, 0)
    );
}
