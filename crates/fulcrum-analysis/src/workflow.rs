//! The clocks of the async workflow: when an ask must be answered, counted
//! on the recipient's business-hours clock with the same
//! [`add_business_time`] that `fulcrum route` counts its deadlines with,
//! when a meeting's summary is missing (two business days after it), and
//! when an incident's written review is due (the policy's business days
//! after it is resolved), and when a person's written update is due (their
//! own morning).
//!
//! Pure: the time of asking, the SLA classes of `[policy.sla]` and the
//! recipient's [`WorkClock`] come in as values; the caller reads the clock.

use crate::route::add_business_time;
use crate::week::WorkClock;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use fulcrum_model::workflow::{AnswerBy, Cadence, FieldProblem};
use std::collections::BTreeMap;

/// The answer-by instant of an ask made at `asked_at`: an SLA class's
/// business hours after it on `clock` (the recipient's), or the deadline as
/// given; `None` when no answer-by time was set. An SLA class that is not
/// in `sla_hours` is a problem of the `answer_by` field naming the classes;
/// so is a clock without working time in the next year.
pub fn answer_by(
    asked_at: DateTime<Utc>,
    answer_by: Option<&AnswerBy>,
    sla_hours: &BTreeMap<String, f64>,
    clock: &WorkClock,
) -> Result<Option<DateTime<Utc>>, FieldProblem> {
    match answer_by {
        None => Ok(None),
        Some(AnswerBy::Deadline(at)) => Ok(Some(*at)),
        Some(AnswerBy::Sla(class)) => {
            let hours = sla_hours.get(class).ok_or_else(|| {
                FieldProblem::new(
                    "answer_by",
                    format!(
                        "{class:?} is not an SLA class of the team's policy; use one of: {}",
                        sla_hours
                            .keys()
                            .map(String::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
            let amount = Duration::milliseconds((hours * 3_600_000.0).round() as i64);
            add_business_time(clock, asked_at, amount)
                .map(Some)
                .ok_or_else(|| {
                    FieldProblem::new(
                        "answer_by",
                        "the recipient has no working time in the next year: give a deadline instead",
                    )
                })
        }
    }
}

/// Business days after a meeting within which its record should have a
/// summary (WORKFLOW.md: "a record without a summary two business days
/// after the meeting shows as missing").
pub const SUMMARY_BUSINESS_DAYS: f64 = 2.0;

/// When a meeting held at `held_at` should have its summary: two business
/// days of `clock` (each as long as the clock's mean working day) after
/// it; two calendar days when the clock has no working time.
pub fn summary_due(held_at: DateTime<Utc>, clock: &WorkClock) -> DateTime<Utc> {
    let fallback = held_at + Duration::days(2);
    let Some(hours) = clock.hours_per_working_day() else {
        return fallback;
    };
    let amount =
        Duration::milliseconds((SUMMARY_BUSINESS_DAYS * hours * 3_600_000.0).round() as i64);
    add_business_time(clock, held_at, amount).unwrap_or(fallback)
}

/// When the written review of an incident resolved at `resolved_at` is
/// due: `business_days` (`[policy] incident_review_business_days`) of
/// `clock` (each as long as the clock's mean working day) after it;
/// as many calendar days when the clock has no working time.
pub fn review_due(
    resolved_at: DateTime<Utc>,
    business_days: u32,
    clock: &WorkClock,
) -> DateTime<Utc> {
    let fallback = resolved_at + Duration::days(i64::from(business_days));
    let Some(hours) = clock.hours_per_working_day() else {
        return fallback;
    };
    let amount =
        Duration::milliseconds((f64::from(business_days) * hours * 3_600_000.0).round() as i64);
    add_business_time(clock, resolved_at, amount).unwrap_or(fallback)
}

/// When a person's written update for the cadence period starting on the
/// local date `period` is due: the start of their first working day in the
/// period on their own `clock` (their zone, working hours and days away),
/// so each person's update is due in their own morning. `None` when the
/// period has no working day for them (nothing is due).
pub fn update_due(period: NaiveDate, cadence: Cadence, clock: &WorkClock) -> Option<DateTime<Utc>> {
    cadence
        .dates(period)
        .find_map(|d| clock.working_on(d).first().map(|i| i.start))
}

/// The person's local day whose reminder digest may go out at `now`:
/// `now` is inside their working time on `clock` (so never on a day away, a
/// non-working day or outside their hours) and at or after the start of
/// that day's first working range (their morning). `None` otherwise. The
/// caller sends at most one digest per returned day.
pub fn digest_day(clock: &WorkClock, now: DateTime<Utc>) -> Option<NaiveDate> {
    let day = clock.local_date(now);
    let first = clock.working_on(day).first().map(|i| i.start)?;
    (first <= now && clock.is_working(now)).then_some(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use fulcrum_model::person::WorkingHours;
    use std::collections::BTreeSet;

    fn utc(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).unwrap()
    }

    /// Monday to Friday, 09:00-17:00 UTC.
    fn clock() -> WorkClock {
        WorkClock::new(chrono_tz::UTC, WorkingHours::standard(), BTreeSet::new())
    }

    #[test]
    fn a_review_is_due_the_policys_business_days_after_resolution() {
        // Resolved Friday 4 December 16:00; 5 days of 8 h = 40 h: 1 h on
        // Friday, 8 each Monday to Thursday (33), 7 on Friday from 09:00.
        assert_eq!(review_due(utc(4, 16), 5, &clock()), utc(11, 16));
        // Resolved on Saturday 5 December 11:00: nothing counts until
        // Monday 09:00; one day of 8 h ends Monday 17:00.
        assert_eq!(review_due(utc(5, 11), 1, &clock()), utc(7, 17));
        // Resolved Wednesday 9 December 10:00; 3 days = 24 h: 7 h on
        // Wednesday, 8 Thursday, 8 Friday, 1 on Monday from 09:00.
        assert_eq!(review_due(utc(9, 10), 3, &clock()), utc(14, 10));
    }

    #[test]
    fn a_clock_without_working_time_counts_calendar_days() {
        let idle = WorkClock::new(
            chrono_tz::UTC,
            WorkingHours {
                days: Default::default(),
            },
            BTreeSet::new(),
        );
        assert_eq!(review_due(utc(4, 16), 5, &idle), utc(9, 16));
    }

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn a_digest_goes_out_in_the_persons_working_day_only() {
        // New York, Mon-Fri 09:00-17:00, EST (UTC-5) in December: Monday
        // 7 December starts at 14:00 UTC and ends at 22:00 UTC.
        let ny = WorkClock::new(
            chrono_tz::America::New_York,
            WorkingHours::standard(),
            BTreeSet::from([date(8)]),
        );
        // 13:00 UTC is 08:00 in New York: before the morning.
        assert_eq!(digest_day(&ny, utc(7, 13)), None);
        assert_eq!(digest_day(&ny, utc(7, 14)), Some(date(7)));
        assert_eq!(digest_day(&ny, utc(7, 21)), Some(date(7)));
        // 22:00 UTC is 17:00: the day is over.
        assert_eq!(digest_day(&ny, utc(7, 22)), None);
        // Tuesday 8 is a day away; Saturday 12 is no working day.
        assert_eq!(digest_day(&ny, utc(8, 15)), None);
        assert_eq!(digest_day(&ny, utc(12, 15)), None);
    }

    #[test]
    fn an_update_is_due_at_the_start_of_the_persons_first_working_day() {
        // New York, Mon-Fri 09:00-17:00, EST (UTC-5) in December: the week
        // of Monday 7 December is due Monday 09:00 local, 14:00 UTC.
        let ny = WorkClock::new(
            chrono_tz::America::New_York,
            WorkingHours::standard(),
            BTreeSet::new(),
        );
        assert_eq!(update_due(date(7), Cadence::Weekly, &ny), Some(utc(7, 14)));
        // Tokyo (UTC+9): Monday 09:00 local is Monday 00:00 UTC, earlier
        // than New York's morning of the same week.
        let tokyo = WorkClock::new(
            chrono_tz::Asia::Tokyo,
            WorkingHours::standard(),
            BTreeSet::new(),
        );
        assert_eq!(
            update_due(date(7), Cadence::Weekly, &tokyo),
            Some(utc(7, 0))
        );
        // Away on Monday 7: the week's update is due Tuesday 09:00 New York.
        let away = WorkClock::new(
            chrono_tz::America::New_York,
            WorkingHours::standard(),
            BTreeSet::from([date(7)]),
        );
        assert_eq!(
            update_due(date(7), Cadence::Weekly, &away),
            Some(utc(8, 14))
        );
        // Daily: Thursday 10 is due that morning; Saturday 12 has no
        // working time, so nothing is due; a daily update on a day away
        // is not due either.
        assert_eq!(update_due(date(10), Cadence::Daily, &ny), Some(utc(10, 14)));
        assert_eq!(update_due(date(12), Cadence::Daily, &ny), None);
        assert_eq!(update_due(date(7), Cadence::Daily, &away), None);
    }
}
