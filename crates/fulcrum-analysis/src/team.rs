//! Team-week signals and the aggregation of person-weeks to team-weeks,
//! with the privacy rule.
//!
//! A team-week groups its members' own weeks with the same label (each
//! member's week is in their own zone). Every team value is shown only when
//! at least `min_group_size` members have data for it that week; otherwise
//! it is [`Unknown::Suppressed`] with the count, so the report can say why.
//! A value that is unknown anyway (no source, nobody with a calendar) keeps
//! its own reason: there is nothing to withhold.
//!
//! Aggregates of person signals ([`Aggregate`]): the median, mean and 90th
//! percentile of the members' headline values ([`Value::headline`]), the
//! total of their parts, and for shares the pooled share (sum of parts over
//! sum of wholes, which weighs each meeting or ask once). Latency is pooled
//! over every ask of the team. `thread_escalations` is the number of
//! distinct escalated threads with a member in them, not a sum (a thread of
//! three members is one escalation); it is placed in the week of its last
//! message on the clock of its participant who comes first on the people
//! list (a rule that does not depend on the order messages arrive in).

use crate::intervals::{hours, intersect, total};
use crate::meetings::Who;
use crate::signal::{Burden, LatencyStats, Measured, Overlap, Ratio, SignalId, Unknown, Value};
use crate::stats::{self, Spread};
use crate::week::{Week, WorkClock};
use fulcrum_model::Interval;
use std::collections::HashMap;

/// Every team's weeks.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamWeeks {
    /// The team's name.
    pub team: String,
    /// Its members, as indexes of the people given to the analysis.
    pub members: Vec<usize>,
    /// One entry per week of the window.
    pub weeks: Vec<TeamWeek>,
}

/// The signals of one team-week.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamWeek {
    /// The week (each member's own).
    pub week: Week,
    /// Every signal of [`SignalId::ALL`], in that order.
    pub signals: Vec<TeamSignal>,
    /// Members away that week (working time under half their usual week):
    /// left out of the team's values.
    pub members_away: u32,
}

impl TeamWeek {
    /// The entry of one signal.
    pub fn get(&self, id: SignalId) -> Option<&TeamSignal> {
        self.signals.iter().find(|s| s.id == id)
    }
}

/// One signal of a team-week.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamSignal {
    /// Which.
    pub id: SignalId,
    /// Members with data for it that week (the privacy rule counts these).
    pub members_with_data: u32,
    /// The value, or why there is none (including suppression).
    pub value: Result<TeamValue, Unknown>,
}

/// A team-week value.
#[derive(Debug, Clone, PartialEq)]
pub enum TeamValue {
    /// The aggregate of a person signal over members.
    Aggregate(Aggregate),
    /// A team signal's own value.
    Value(Value),
}

impl TeamValue {
    /// The number a threshold compares against: the median for person
    /// signals (the pooled share for `count, %` signals and for
    /// `sla_breach_rate`; the distinct count for `thread_escalations`; the
    /// pooled median business-hours latency for `response_latency`), the
    /// headline of a team value.
    pub fn headline(&self, id: SignalId) -> Option<f64> {
        match self {
            TeamValue::Value(v) => v.headline(),
            TeamValue::Aggregate(a) => match id {
                SignalId::ThreadEscalations => Some(a.total),
                SignalId::ResponseLatency => a.latency.and_then(|l| l.business).map(|s| s.median),
                // Each ask weighs once: a person with one breached ask of one
                // is not a 100% team.
                SignalId::SlaBreachRate => a.pooled.and_then(|r| r.share()),
                _ if id.unit() == crate::signal::Unit::CountAndPercent => {
                    a.pooled.and_then(|r| r.share())
                }
                _ => a.median,
            },
        }
    }
}

/// Aggregate of a person signal over the members with data.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// Median of the members' headline values.
    pub median: Option<f64>,
    /// Mean of the members' headline values.
    pub mean: Option<f64>,
    /// 90th percentile of the members' headline values.
    pub p90: Option<f64>,
    /// Sum of the members' numbers (or parts of shares); for
    /// `thread_escalations` the distinct threads.
    pub total: f64,
    /// For shares: sum of parts / sum of wholes.
    pub pooled: Option<Ratio>,
    /// For `response_latency`: every ask of the team together.
    pub latency: Option<LatencyStats>,
}

/// Aggregates members' values of one person signal, applying the privacy rule.
pub fn aggregate(id: SignalId, values: &[Measured], min_group_size: u32) -> TeamSignal {
    let known: Vec<&Value> = values.iter().filter_map(|v| v.as_ref().ok()).collect();
    let members_with_data = known.len() as u32;
    let value = if let (0, Some(Err(why))) = (members_with_data, values.first()) {
        // Nobody has data: say why (no calendars, no chat), not "suppressed".
        Err(*why)
    } else if members_with_data < min_group_size {
        Err(Unknown::Suppressed {
            members_with_data,
            min_group_size,
        })
    } else {
        let headlines: Vec<f64> = known.iter().filter_map(|v| v.headline()).collect();
        let mut agg = Aggregate {
            median: stats::median(&headlines),
            mean: stats::mean(&headlines),
            p90: stats::p90(&headlines),
            total: 0.0,
            pooled: None,
            latency: None,
        };
        for v in &known {
            match v {
                Value::Number(x) => agg.total += x,
                Value::Ratio(r) => {
                    agg.total += r.part;
                    let p = agg.pooled.get_or_insert(Ratio::new(0.0, 0.0));
                    p.part += r.part;
                    p.whole += r.whole;
                }
                _ => {}
            }
        }
        Ok(TeamValue::Aggregate(agg))
    };
    TeamSignal {
        id,
        members_with_data,
        value,
    }
}

/// Pools latency samples of many asks: counts add up, spreads are computed
/// over all samples.
pub(crate) fn pooled_latency(
    stats: &[LatencyStats],
    wall: &[f64],
    business: &[f64],
) -> LatencyStats {
    let mut out = LatencyStats::default();
    for s in stats {
        out.answered += s.answered;
        out.unanswered += s.unanswered;
        out.pending += s.pending;
    }
    out.wall = Spread::of(wall);
    out.business = Spread::of(business);
    out
}

/// A team value, with the privacy rule.
pub(crate) fn team_value(
    id: SignalId,
    members_with_data: u32,
    min_group_size: u32,
    value: Result<Value, Unknown>,
) -> TeamSignal {
    // Only a value can be withheld: an unknown keeps its own reason.
    let value = match value {
        Ok(_) if members_with_data < min_group_size => Err(Unknown::Suppressed {
            members_with_data,
            min_group_size,
        }),
        other => other.map(TeamValue::Value),
    };
    TeamSignal {
        id,
        members_with_data,
        value,
    }
}

/// `overlap_hours`: the instants when every clock is in working time
/// (template hours, absences ignored: Clarification), in each member's own
/// week `week`; per working day = the week's hours divided by the largest
/// number of working days any member has that week.
pub fn overlap(clocks: &[&WorkClock], week: Week) -> Option<Overlap> {
    let mut common: Option<Vec<Interval>> = None;
    let mut working_days = 0;
    for clock in clocks {
        let days = week
            .dates()
            .filter(|d| !clock.template_on(*d).is_empty())
            .count() as u32;
        working_days = working_days.max(days);
        let mine = clock.template_in_week(week);
        common = Some(match common {
            None => mine,
            Some(c) => intersect(&c, &mine),
        });
    }
    let windows = common?;
    let h = hours(total(&windows));
    Some(Overlap {
        hours_per_day: if working_days > 0 {
            h / f64::from(working_days)
        } else {
            0.0
        },
        hours: h,
        working_days,
        windows,
    })
}

/// `tz_burden` over the members' after-hours meeting hours.
pub fn tz_burden(after_hours: &[f64]) -> Option<Burden> {
    crate::viva::burden(after_hours)
}

/// Meeting person-hours of a team-week by organizer.
#[derive(Debug, Clone, Default)]
pub(crate) struct OrganizerHours {
    pub(crate) by_organizer: HashMap<Who, f64>,
    pub(crate) unknown: f64,
}

/// A meeting organized by a listed person, for the `hygiene_*` shares.
#[derive(Debug, Clone)]
pub(crate) struct HygieneMeeting {
    pub(crate) organizer: usize,
    pub(crate) week: usize,
    /// Read from the organizer's own calendar (preferred over a guest's copy).
    pub(crate) from_organizer: bool,
    pub(crate) uid: std::sync::Arc<str>,
    pub(crate) recurring: bool,
    pub(crate) series_ends: bool,
    /// The event has a description at all.
    pub(crate) described: bool,
    /// agenda, outcome, preread, timebox, attendees, summary.
    pub(crate) checks: [bool; 6],
}

/// The hygiene ids in the order of [`HygieneMeeting::checks`].
pub(crate) const HYGIENE: [SignalId; 6] = [
    SignalId::HygieneAgenda,
    SignalId::HygieneOutcome,
    SignalId::HygienePreread,
    SignalId::HygieneTimebox,
    SignalId::HygieneAttendees,
    SignalId::HygieneSummary,
];
