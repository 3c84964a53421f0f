//! The signals analysts know from Microsoft Viva Insights: the share of
//! meeting time by meeting type, urgent meeting hours, generated workload
//! and collaboration span per person-week, and the fairness of meeting load across a
//! team's members (a Gini coefficient with its Lorenz curve).
//!
//! Definitions are in `docs/SIGNALS.md`; this module keeps them apart from
//! the driver so that a new type or load measure touches one file.

use crate::intervals::{clip, hours, total};
use crate::meetings::{Meeting, PersonMeetings};
use crate::params::Params;
use crate::signal::{Burden, Measured, Ratio, SignalId, Unknown, Value};
use crate::stats;
use crate::team::{TeamSignal, team_value};
use crate::{CalendarWeek, PersonWeek};
use fulcrum_model::{Interval, union_of};

/// Small and short meetings have at most this many invitees.
const SMALL_INVITEES: u32 = 4;
/// Decision-sized meetings have this many invitees, bounds included.
const DECISION_INVITEES: (u32, u32) = (3, 8);
/// Decision-sized meetings last at most this long.
const DECISION_MINUTES: u32 = 60;
/// The population shares at which the Lorenz curve is reported.
pub const LORENZ_AT: [f64; 4] = [0.2, 0.4, 0.6, 0.8];

/// The Viva-style calendar values of one person-week, hours.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct VivaWeek {
    /// Meeting time (union) in large and long meetings.
    pub large_long_hours: f64,
    /// Meeting time (union) in small and short meetings.
    pub small_short_hours: f64,
    /// Meeting time (union) in decision-sized meetings.
    pub decision_sized_hours: f64,
    /// `urgent_meeting_hours`: meeting time (union) in meetings with an urgent title.
    pub urgent_hours: f64,
    /// `generated_workload_hours`: organized meetings' length x other invitees.
    pub generated_workload_hours: f64,
}

/// Whom a person met in a week (`collaboration_span` and its kin).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Collaboration {
    /// The listed people met, by index in the people list, sorted; emptied
    /// once the teams are counted ([`count_teams_met`]), so no list of
    /// people outlives the analysis.
    pub(crate) met: Vec<u32>,
    /// `collaboration_span`: distinct listed people met.
    pub people: u32,
    /// `collaboration_span_teams`: distinct teams among them, the person's
    /// own left out.
    pub other_teams: u32,
    /// Of `people`, those outside the person's team.
    pub outside_team: u32,
}

/// The people met in the attended meetings starting in a week; the teams
/// are counted once everyone is read ([`count_teams_met`]).
pub(crate) fn met_in_week(starting: &[&Meeting]) -> Collaboration {
    let mut met: Vec<u32> = starting
        .iter()
        .flat_map(|m| m.met.iter().map(|&i| i as u32))
        .collect();
    met.sort_unstable();
    met.dedup();
    Collaboration {
        people: met.len() as u32,
        met,
        other_teams: 0,
        outside_team: 0,
    }
}

/// Adds the people each person's messages reached to those they met,
/// counts the teams of them now that every person's team is known, and
/// drops the lists.
pub(crate) fn count_teams_met(people: &mut [crate::person::PersonState]) {
    let team_of: Vec<String> = people.iter().map(|p| p.person.team.clone()).collect();
    for p in people.iter_mut() {
        let own = p.person.team.as_str();
        let messaged = std::mem::take(&mut p.messaged);
        for (w, week) in p.calendar.iter_mut().flatten().enumerate() {
            let c = &mut week.collaboration;
            if let Some(reached) = messaged.get(w)
                && !reached.is_empty()
            {
                c.met.extend(reached);
                c.met.sort_unstable();
                c.met.dedup();
                c.people = c.met.len() as u32;
            }
            let teams: std::collections::BTreeSet<&str> = c
                .met
                .iter()
                .filter_map(|&i| team_of.get(i as usize))
                .map(String::as_str)
                .collect();
            c.other_teams = teams.iter().filter(|t| **t != own).count() as u32;
            c.outside_team = c
                .met
                .iter()
                .filter(|&&i| team_of.get(i as usize).is_some_and(|t| t != own))
                .count() as u32;
            c.met = Vec::new();
        }
    }
}

/// A meeting type of SIGNALS.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingType {
    /// Over the long length and at least the large number of invitees.
    LargeLong,
    /// The short length or less and at most four invitees.
    SmallShort,
    /// One hour or less with three to eight invitees.
    DecisionSized,
}

impl MeetingType {
    /// Whether a meeting is of this type (types may overlap).
    pub fn fits(self, m: &Meeting, params: &Params) -> bool {
        let minutes = m.duration().num_seconds() as f64 / 60.0;
        match self {
            MeetingType::LargeLong => {
                minutes > f64::from(params.long_meeting_minutes)
                    && m.participants >= params.large_meeting_invitees
            }
            MeetingType::SmallShort => {
                minutes <= f64::from(params.short_meeting_minutes)
                    && m.participants <= SMALL_INVITEES
            }
            MeetingType::DecisionSized => {
                minutes <= f64::from(DECISION_MINUTES)
                    && (DECISION_INVITEES.0..=DECISION_INVITEES.1).contains(&m.participants)
            }
        }
    }
}

/// The values of the person-week whose bounds (in the person's zone) are
/// `bounds`.
pub fn viva_week(meetings: &PersonMeetings, bounds: Interval, params: &Params) -> VivaWeek {
    // Meetings are shorter than the longest meeting, so those that overlap
    // the week start at most that long before it.
    let earliest = bounds.start - Params::minutes(params.max_meeting_minutes);
    let first = meetings
        .attended
        .partition_point(|m| m.interval.start < earliest);
    let near: Vec<&Meeting> = meetings.attended[first..]
        .iter()
        .take_while(|m| m.interval.start < bounds.end)
        .filter(|m| m.interval.end > bounds.start)
        .collect();
    let union_hours = |keep: &dyn Fn(&Meeting) -> bool| {
        let of_kind: Vec<Interval> = near
            .iter()
            .filter(|m| keep(m))
            .map(|m| m.interval)
            .collect();
        hours(total(&clip(&union_of(of_kind), bounds)))
    };
    // An empty float sum is -0.0, which writers would print as "-0".
    let generated: f64 = 0.0
        + near
            .iter()
            .filter(|m| m.organized_by_me && m.interval.start >= bounds.start)
            .map(|m| hours(m.duration()) * f64::from(m.participants.saturating_sub(1)))
            .sum::<f64>();
    VivaWeek {
        large_long_hours: union_hours(&|m| MeetingType::LargeLong.fits(m, params)),
        small_short_hours: union_hours(&|m| MeetingType::SmallShort.fits(m, params)),
        decision_sized_hours: union_hours(&|m| MeetingType::DecisionSized.fits(m, params)),
        urgent_hours: union_hours(&|m| m.details.urgent),
        generated_workload_hours: generated,
    }
}

/// The value of one of this module's person signals; `None` for the others.
pub(crate) fn person_value(id: SignalId, c: &CalendarWeek) -> Option<Measured> {
    let share = |part: f64| Ratio::new(part, c.meeting_hours).known_or(Unknown::NoMeetings);
    let v = &c.viva;
    Some(match id {
        SignalId::LargeLongMeetingShare => share(v.large_long_hours),
        SignalId::SmallShortMeetingShare => share(v.small_short_hours),
        SignalId::DecisionSizedMeetingShare => share(v.decision_sized_hours),
        SignalId::UrgentMeetingHours => Ok(Value::Number(v.urgent_hours)),
        SignalId::GeneratedWorkloadHours => Ok(Value::Number(v.generated_workload_hours)),
        SignalId::CollaborationSpan => Ok(Value::Number(f64::from(c.collaboration.people))),
        SignalId::CollaborationSpanTeams => {
            Ok(Value::Number(f64::from(c.collaboration.other_teams)))
        }
        SignalId::OutsideTeamShare => Ratio::new(
            f64::from(c.collaboration.outside_team),
            f64::from(c.collaboration.people),
        )
        .known_or(Unknown::NoDenominator),
        _ => return None,
    })
}

/// `meeting_load_gini` of a team-week: over the members with a calendar.
pub(crate) fn meeting_load(person_weeks: &[&PersonWeek], min_group_size: u32) -> TeamSignal {
    let loads: Vec<f64> = person_weeks
        .iter()
        .filter_map(|p| p.calendar.as_ref().ok().map(|c| c.meeting_hours))
        .collect();
    let v = burden(&loads).map(Value::Burden).ok_or(Unknown::NoCalendar);
    team_value(
        SignalId::MeetingLoadGini,
        loads.len() as u32,
        min_group_size,
        v,
    )
}

/// The Gini coefficient of `loads` with its Lorenz curve and totals.
pub fn burden(loads: &[f64]) -> Option<Burden> {
    Some(Burden {
        gini: stats::gini(loads)?,
        total_hours: loads.iter().sum(),
        max_hours: loads.iter().copied().fold(0.0, f64::max),
        members: loads.len() as u32,
        lorenz: LORENZ_AT.map(|p| stats::lorenz(loads, p).unwrap_or(p)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};
    use std::sync::Arc;

    fn meeting(minutes: i64, participants: u32) -> Meeting {
        let start = Utc.with_ymd_and_hms(2025, 3, 3, 10, 0, 0).unwrap();
        Meeting {
            interval: Interval::new(start, start + Duration::minutes(minutes)),
            uid: Arc::from("m"),
            recurring: false,
            participants,
            organizer: None,
            met: Arc::from(Vec::new()),
            invite: None,
            organized_by_me: false,
            details: Arc::default(),
        }
    }

    #[test]
    fn meeting_types_at_their_bounds() {
        let p = Params::default();
        let fits = |t: MeetingType, minutes, n| t.fits(&meeting(minutes, n), &p);
        // Large and long: over 60 min and 9 or more invitees, both at once.
        assert!(fits(MeetingType::LargeLong, 61, 9));
        assert!(!fits(MeetingType::LargeLong, 60, 9));
        assert!(!fits(MeetingType::LargeLong, 90, 8));
        // Small and short: 30 min or less and 4 or fewer invitees.
        assert!(fits(MeetingType::SmallShort, 30, 4));
        assert!(!fits(MeetingType::SmallShort, 31, 2));
        assert!(!fits(MeetingType::SmallShort, 15, 5));
        // Decision-sized: 60 min or less and 3 to 8 invitees.
        assert!(fits(MeetingType::DecisionSized, 60, 3));
        assert!(fits(MeetingType::DecisionSized, 60, 8));
        assert!(!fits(MeetingType::DecisionSized, 60, 2));
        assert!(!fits(MeetingType::DecisionSized, 60, 9));
        assert!(!fits(MeetingType::DecisionSized, 61, 5));
        // The types overlap: 30 min with 3 is both small and decision-sized.
        assert!(fits(MeetingType::SmallShort, 30, 3) && fits(MeetingType::DecisionSized, 30, 3));
    }

    #[test]
    fn one_of_four_carrying_everything() {
        // G = sum_i sum_j |x_i - x_j| / (2 n^2 mean): the 3 zeros differ
        // from 4 by 4 in both orders, 2 * 3 * 4 = 24; 2 * 16 * 1 = 32;
        // G = 24 / 32 = 0.75. Lorenz: (0,0) (.25,0) (.5,0) (.75,0) (1,1),
        // so 0 at 20/40/60% and (0.8 - 0.75) / 0.25 = 0.2 at 80%.
        let b = burden(&[0.0, 0.0, 0.0, 4.0]).unwrap();
        assert!((b.gini - 0.75).abs() < 1e-12);
        for (l, want) in b.lorenz.iter().zip([0.0, 0.0, 0.0, 0.2]) {
            assert!((l - want).abs() < 1e-12, "{l} != {want}");
        }
        assert_eq!(b.total_hours, 4.0);
        assert_eq!(b.max_hours, 4.0);
    }

    #[test]
    fn equal_loads_and_no_load_are_the_line_of_equality() {
        let b = burden(&[3.0, 3.0]).unwrap();
        assert_eq!(b.gini, 0.0);
        for (l, p) in b.lorenz.iter().zip(LORENZ_AT) {
            assert!((l - p).abs() < 1e-12);
        }
        assert_eq!(burden(&[0.0, 0.0]).unwrap().lorenz, LORENZ_AT);
        assert_eq!(burden(&[]), None);
    }

    #[test]
    fn two_unequal_loads() {
        // 1 and 3: G = 2 * 2 / (2 * 4 * 2) = 0.25. Lorenz points (0,0)
        // (.5,.25) (1,1): at 20% 0.25 * 0.4 = 0.1, at 40% 0.2, at 60%
        // 0.25 + 0.75 * 0.2 = 0.4, at 80% 0.25 + 0.75 * 0.6 = 0.7.
        let b = burden(&[3.0, 1.0]).unwrap();
        assert!((b.gini - 0.25).abs() < 1e-12);
        for (l, want) in b.lorenz.iter().zip([0.1, 0.2, 0.4, 0.7]) {
            assert!((l - want).abs() < 1e-12, "{l} != {want}");
        }
    }
}
