//! The team server's workflow objects as a source of the report: the
//! stored objects reduced to the facts the workflow signals need
//! ([`fulcrum_analysis::written::WorkflowFacts`]), people resolved on the
//! list, an incident's review due time counted as the server counts it.
//! Text never leaves this module: only times, who and whether a part is
//! written.

use crate::report::by_list;
use chrono::{DateTime, Utc};
use fulcrum_analysis::week::WorkClock;
use fulcrum_analysis::written::{
    AskFact, DecisionFact, IncidentFact, RecordFact, UpdateFact, WorkflowFacts,
};
use fulcrum_model::workflow::{AskState, DecisionState, Recipient};
use fulcrum_store::{StoredWorkflowItem, WorkflowItem};
use fulcrum_workspace::Directory;
use fulcrum_workspace::config::Workspace;
use std::collections::{BTreeSet, HashSet};

/// The facts of `items` at `now`, for the people of `directory`.
pub fn workflow_facts(
    items: &[StoredWorkflowItem],
    directory: &Directory,
    workspace: &Workspace,
    now: DateTime<Utc>,
) -> WorkflowFacts {
    let person = |email: &str| by_list(directory, email);
    let team_clock = WorkClock::new(
        workspace.team.tz,
        workspace.team.working_hours.clone(),
        BTreeSet::new(),
    );
    let review_days = workspace.policy.incident_review_business_days;
    // Proposals some meeting record of their team says it took.
    let taken_in_meetings: HashSet<(&str, i64)> = items
        .iter()
        .filter_map(|s| match &s.item {
            WorkflowItem::Meeting(m) => Some(m),
            _ => None,
        })
        .flat_map(|m| m.decisions.iter().map(|d| (m.team.as_str(), *d)))
        .collect();
    let mut facts = WorkflowFacts {
        now,
        team_tz: workspace.team.tz,
        update_cadence: workspace.policy.updates.cadence,
        asks: Vec::new(),
        updates: Vec::new(),
        decisions: Vec::new(),
        records: Vec::new(),
        incidents: Vec::new(),
    };
    for s in items {
        match &s.item {
            WorkflowItem::Ask(a) => facts.asks.push(AskFact {
                team: a.team.clone(),
                to: match &a.to {
                    Recipient::Person(p) => person(p),
                    Recipient::Team => None,
                },
                asked_at: a.asked_at,
                due: a.due,
                answered: match &a.state {
                    AskState::Answered(answer) => Some((answer.at, person(&answer.by))),
                    _ => None,
                },
                withdrawn: matches!(a.state, AskState::Withdrawn { .. }),
            }),
            WorkflowItem::Decision(d) => {
                if matches!(d.state, DecisionState::Withdrawn { .. }) {
                    continue;
                }
                facts.decisions.push(DecisionFact {
                    team: d.team.clone(),
                    author: person(&d.author),
                    opened_at: d.opened_at,
                    closed_at: match &d.state {
                        DecisionState::Closed(outcome) => Some(outcome.at),
                        _ => None,
                    },
                    in_meeting: taken_in_meetings.contains(&(d.team.as_str(), s.id)),
                });
            }
            WorkflowItem::Meeting(m) => facts.records.push(RecordFact {
                meeting: m
                    .meeting
                    .as_ref()
                    .map(|r| (r.uid.clone(), r.occurrence.unwrap_or(m.held_at))),
                has_outcome: !m.desired_outcome.trim().is_empty(),
                has_summary: !m.summary.trim().is_empty(),
            }),
            WorkflowItem::Incident(i) => facts.incidents.push(IncidentFact {
                team: i.team.clone(),
                review_due: i.resolved.as_ref().map(|r| {
                    fulcrum_analysis::workflow::review_due(r.at, review_days, &team_clock)
                }),
                reviewed_at: i.review.as_ref().map(|r| r.at),
            }),
            // Pulse answers feed `morale` with the pulse files: see
            // `stored_pulse_rows`.
            WorkflowItem::Pulse(_) => {}
            WorkflowItem::Update(u) => {
                if let Some(p) = person(&u.author) {
                    facts.updates.push(UpdateFact {
                        person: p,
                        period: u.period,
                    });
                }
            }
        }
    }
    facts
}

/// Adds the pulse answered on the team server to the pulse rows read from
/// files: one row per response, its score the mean of its answers (the
/// person's morale that week); a stored response replaces a file's row for
/// the same person and week.
pub fn add_stored_pulse(rows: &mut Vec<fulcrum_rows::PulseRow>, items: &[StoredWorkflowItem]) {
    let stored: Vec<fulcrum_rows::PulseRow> = items
        .iter()
        .filter_map(|s| match &s.item {
            WorkflowItem::Pulse(p) => p.morale().map(|score| fulcrum_rows::PulseRow {
                who: p.author.clone(),
                week_start: p.week,
                score,
            }),
            _ => None,
        })
        .collect();
    let replaced: HashSet<(String, chrono::NaiveDate)> = stored
        .iter()
        .map(|r| (r.who.trim().to_lowercase(), r.week_start))
        .collect();
    rows.retain(|r| !replaced.contains(&(r.who.trim().to_lowercase(), r.week_start)));
    rows.extend(stored);
}
