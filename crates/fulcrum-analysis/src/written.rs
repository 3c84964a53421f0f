//! The workflow signals (SIGNALS.md, "Workflow signals"): what the team
//! server's objects say, reduced to the facts the signals need (times, who,
//! whether a part is written), never their text, and their team-week values.
//!
//! The app turns stored objects into [`WorkflowFacts`] (people resolved to
//! their index on the list, answer-by and review due times as the server
//! counted them); [`crate::analysis::Analysis::add_workflow`] takes them and
//! `finish` asks [`WrittenWeeks`] for each team-week.

use crate::person::{PersonState, WeekIndex};
use crate::signal::{Ratio, SignalId, Unknown, Value};
use crate::team::{HYGIENE, HygieneMeeting, TeamSignal, team_value};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use fulcrum_model::fxhash::FxHashMap;
use fulcrum_model::workflow::Cadence;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The facts of a workspace's workflow objects.
#[derive(Debug, Clone)]
pub struct WorkflowFacts {
    /// When the report is computed: an answer-by or review due time after
    /// it is not judged yet.
    pub now: DateTime<Utc>,
    /// The `[team]` zone: the week of objects that belong to the team
    /// rather than to a person (incidents) and of those whose person is not
    /// on the list.
    pub team_tz: Tz,
    /// `[policy.updates] cadence`.
    pub update_cadence: Cadence,
    /// Asks.
    pub asks: Vec<AskFact>,
    /// Written updates.
    pub updates: Vec<UpdateFact>,
    /// Proposals.
    pub decisions: Vec<DecisionFact>,
    /// Meeting records.
    pub records: Vec<RecordFact>,
    /// Incidents.
    pub incidents: Vec<IncidentFact>,
}

/// An ask.
#[derive(Debug, Clone, PartialEq)]
pub struct AskFact {
    /// Its team.
    pub team: String,
    /// Its recipient on the list; `None` for an ask to the team (or to
    /// someone not on the list).
    pub to: Option<usize>,
    /// When it was asked.
    pub asked_at: DateTime<Utc>,
    /// Its answer-by time, when one was set.
    pub due: Option<DateTime<Utc>>,
    /// When it was answered, and who answered (on the list).
    pub answered: Option<(DateTime<Utc>, Option<usize>)>,
    /// Taken back by its author.
    pub withdrawn: bool,
}

/// A written update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpdateFact {
    /// Its author on the list.
    pub person: usize,
    /// The first date of its period.
    pub period: NaiveDate,
}

/// A proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionFact {
    /// Its team.
    pub team: String,
    /// Its author on the list.
    pub author: Option<usize>,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// When it was closed with an outcome.
    pub closed_at: Option<DateTime<Utc>>,
    /// A meeting record of the team lists it among its decisions.
    pub in_meeting: bool,
}

/// A meeting record.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordFact {
    /// The calendar meeting (UID and the instance's start), when attached.
    pub meeting: Option<(String, DateTime<Utc>)>,
    /// Its desired outcome is written.
    pub has_outcome: bool,
    /// Its summary is written.
    pub has_summary: bool,
}

/// An incident.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentFact {
    /// Its team.
    pub team: String,
    /// When its review is due (resolved incidents only).
    pub review_due: Option<DateTime<Utc>>,
    /// When its review was written.
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// The workflow signals' inputs of one team-week.
#[derive(Debug, Default)]
struct Cell {
    ask_hours: Vec<f64>,
    asks_judged: u32,
    asks_late: u32,
    /// People the week's asks waited on.
    ask_people: HashSet<usize>,
    /// An ask to the whole team was made that week.
    team_ask: bool,
    decision_hours: Vec<f64>,
    decisions_closed: u32,
    decisions_async: u32,
    reviews_due: u32,
    reviews_on_time: u32,
}

/// Updates due and written per person-week.
#[derive(Debug, Default, Clone, Copy)]
struct UpdateCount {
    due: u32,
    written: u32,
}

/// The workflow facts by team-week, ready for [`WrittenWeeks::signal`].
#[derive(Debug, Default)]
pub(crate) struct WrittenWeeks {
    cells: HashMap<(String, usize), Cell>,
    /// Teams with at least one object of the kind, by signal source.
    asks: HashSet<String>,
    decisions: HashSet<String>,
    incidents: HashSet<String>,
    updates: HashSet<String>,
    /// (person, week) -> updates due and written.
    update_counts: HashMap<(usize, usize), UpdateCount>,
}

impl WrittenWeeks {
    /// Places every fact in its team-week. `people` gives each person's
    /// team and clock.
    pub(crate) fn new(facts: &WorkflowFacts, people: &[PersonState], weeks: &WeekIndex) -> Self {
        let mut out = WrittenWeeks::default();
        let tz_of = |p: Option<usize>| p.map_or(facts.team_tz, |p| *people[p].clock.tz());
        let hours = |p: usize, from: DateTime<Utc>, to: DateTime<Utc>| {
            people[p].clock.business_time(from, to, None).num_seconds() as f64 / 3600.0
        };
        for a in &facts.asks {
            out.asks.insert(a.team.clone());
            if a.withdrawn {
                continue;
            }
            let Some(w) = weeks.index(a.asked_at, &tz_of(a.to)) else {
                continue;
            };
            let cell = out.cells.entry((a.team.clone(), w)).or_default();
            match a.to {
                Some(p) => {
                    cell.ask_people.insert(p);
                }
                None => cell.team_ask = true,
            }
            if let Some((at, by)) = a.answered
                && let Some(clock_of) = a.to.or(by)
            {
                cell.ask_hours.push(hours(clock_of, a.asked_at, at));
            }
            if let Some(due) = a.due {
                let late = match a.answered {
                    Some((at, _)) => Some(at > due),
                    None => (due < facts.now).then_some(true),
                };
                if let Some(late) = late {
                    cell.asks_judged += 1;
                    cell.asks_late += u32::from(late);
                }
            }
        }
        for d in &facts.decisions {
            out.decisions.insert(d.team.clone());
            let Some(closed) = d.closed_at else { continue };
            let Some(w) = weeks.index(closed, &tz_of(d.author)) else {
                continue;
            };
            let cell = out.cells.entry((d.team.clone(), w)).or_default();
            cell.decisions_closed += 1;
            cell.decisions_async += u32::from(!d.in_meeting);
            if let Some(author) = d.author {
                cell.decision_hours.push(hours(author, d.opened_at, closed));
            }
        }
        for i in &facts.incidents {
            out.incidents.insert(i.team.clone());
            let Some(due) = i.review_due else { continue };
            let on_time = match i.reviewed_at {
                Some(at) => at <= due,
                None if due <= facts.now => false,
                None => continue,
            };
            let Some(w) = weeks.index(due, &facts.team_tz) else {
                continue;
            };
            let cell = out.cells.entry((i.team.clone(), w)).or_default();
            cell.reviews_due += 1;
            cell.reviews_on_time += u32::from(on_time);
        }
        out.count_updates(facts, people, weeks);
        out
    }

    /// Updates due and written per person-week, from the first period
    /// anyone in the person's team wrote one.
    fn count_updates(&mut self, facts: &WorkflowFacts, people: &[PersonState], weeks: &WeekIndex) {
        let written: HashSet<(usize, NaiveDate)> =
            facts.updates.iter().map(|u| (u.person, u.period)).collect();
        let mut first: HashMap<&str, NaiveDate> = HashMap::new();
        for u in &facts.updates {
            let team = people[u.person].person.team.as_str();
            let e = first.entry(team).or_insert(u.period);
            *e = (*e).min(u.period);
        }
        let cadence = facts.update_cadence;
        let (Some(start), Some(end)) = (weeks.weeks.first(), weeks.weeks.last()) else {
            return;
        };
        let (start, end) = (start.monday(), end.monday() + chrono::Duration::days(6));
        for (p, s) in people.iter().enumerate() {
            let Some(&from) = first.get(s.person.team.as_str()) else {
                continue;
            };
            self.updates.insert(s.person.team.clone());
            let mut period = cadence.period_of(start.max(from));
            while period <= end {
                let due = crate::workflow::update_due(period, cadence, &s.clock);
                if due.is_some_and(|d| d <= facts.now)
                    && period >= from
                    && let Some(w) = weeks.index_of_date(period)
                {
                    let c = self.update_counts.entry((p, w)).or_default();
                    c.due += 1;
                    c.written += u32::from(written.contains(&(p, period)));
                }
                let Some(next) = cadence.dates(period).last().and_then(|d| d.succ_opt()) else {
                    break;
                };
                period = next;
            }
        }
    }

    /// The team-week value of a workflow signal ([`is_workflow`]).
    /// `members` are the team's members present that week.
    pub(crate) fn signal(
        &self,
        id: SignalId,
        team: &str,
        week: usize,
        members: &[usize],
        min: u32,
    ) -> TeamSignal {
        use SignalId::*;
        let cell = self.cells.get(&(team.to_owned(), week));
        let everyone = members.len() as u32;
        let of = |has: &HashSet<String>, n: u32, v: Result<Value, Unknown>| {
            if has.contains(team) {
                team_value(id, n, min, v)
            } else {
                team_value(id, 0, min, Err(Unknown::NoSource))
            }
        };
        let ask_people = cell.map_or(0, |c| {
            if c.team_ask {
                everyone.max(c.ask_people.len() as u32)
            } else {
                c.ask_people.len() as u32
            }
        });
        let share = |part: u32, whole: u32| {
            Ratio::new(f64::from(part), f64::from(whole)).known_or(Unknown::NoDenominator)
        };
        match id {
            WrittenAskLatency => {
                let v = cell
                    .and_then(|c| crate::stats::median(&c.ask_hours))
                    .map(Value::Number)
                    .ok_or(Unknown::NoAnsweredAsks);
                of(&self.asks, ask_people, v)
            }
            WrittenAskBreachRate => {
                let (late, judged) = cell.map_or((0, 0), |c| (c.asks_late, c.asks_judged));
                of(&self.asks, ask_people, share(late, judged))
            }
            DecisionLatency => {
                let v = cell
                    .and_then(|c| crate::stats::median(&c.decision_hours))
                    .map(Value::Number)
                    .ok_or(Unknown::NoDenominator);
                of(&self.decisions, everyone, v)
            }
            AsyncDecisionShare => {
                let (a, n) = cell.map_or((0, 0), |c| (c.decisions_async, c.decisions_closed));
                of(&self.decisions, everyone, share(a, n))
            }
            IncidentReviewsOnTime => {
                let (ok, n) = cell.map_or((0, 0), |c| (c.reviews_on_time, c.reviews_due));
                of(&self.incidents, everyone, share(ok, n))
            }
            UpdateCoverage => {
                let (mut written, mut due, mut with) = (0, 0, 0);
                for m in members {
                    if let Some(c) = self.update_counts.get(&(*m, week)) {
                        written += c.written;
                        due += c.due;
                        with += u32::from(c.due > 0);
                    }
                }
                of(&self.updates, with, share(written, due))
            }
            _ => team_value(id, 0, min, Err(Unknown::NoSource)),
        }
    }
}

/// The signals read from the workflow objects alone.
pub(crate) fn is_workflow(id: SignalId) -> bool {
    use SignalId::*;
    matches!(
        id,
        WrittenAskLatency
            | WrittenAskBreachRate
            | UpdateCoverage
            | DecisionLatency
            | AsyncDecisionShare
            | IncidentReviewsOnTime
    )
}

/// Counts a meeting record's written outcome and summary for its calendar
/// meeting's `hygiene_outcome` and `hygiene_summary` checks.
pub(crate) fn mark_records(
    hygiene: &mut FxHashMap<(Arc<str>, DateTime<Utc>), HygieneMeeting>,
    records: &[RecordFact],
) {
    let outcome = HYGIENE.iter().position(|h| *h == SignalId::HygieneOutcome);
    let summary = HYGIENE.iter().position(|h| *h == SignalId::HygieneSummary);
    for r in records {
        let Some((uid, start)) = &r.meeting else {
            continue;
        };
        let Some(h) = hygiene.get_mut(&(Arc::from(uid.as_str()), *start)) else {
            continue;
        };
        if let Some(i) = outcome {
            h.checks[i] |= r.has_outcome;
        }
        if let Some(i) = summary {
            h.checks[i] |= r.has_summary;
        }
    }
}
