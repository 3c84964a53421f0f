//! The clocks of the async workflow: when an ask must be answered, counted
//! on the recipient's business-hours clock with the same
//! [`add_business_time`] that `fulcrum route` counts its deadlines with,
//! and when a meeting's summary is missing (two business days after it).
//!
//! Pure: the time of asking, the SLA classes of `[policy.sla]` and the
//! recipient's [`WorkClock`] come in as values; the caller reads the clock.

use crate::route::add_business_time;
use crate::week::WorkClock;
use chrono::{DateTime, Duration, Utc};
use fulcrum_model::workflow::{AnswerBy, FieldProblem};
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
