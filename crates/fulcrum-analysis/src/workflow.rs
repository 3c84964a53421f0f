//! The clocks of the async workflow: when an ask must be answered, counted
//! on the recipient's business-hours clock with the same
//! [`add_business_time`] that `fulcrum route` counts its deadlines with.
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
