//! The async workflow's use cases for the team server: an ask or a
//! proposal as typed into a form or an API body, checked field by field and
//! turned into a [`fulcrum_model::workflow::Ask`] (its answer-by time
//! counted on the recipient's business-hours clock,
//! `fulcrum_analysis::workflow`) or a [`fulcrum_model::workflow::Decision`]
//! (its closing time from the router when only its type is given), or a
//! meeting record (its action items typed one per line), or an incident
//! (its severity one of `sev1`, `sev2`, `sev3`), or a written update (its
//! period the author's own, its answers those of `[policy.updates]`), and
//! the round of a team's updates (blockers first; due and missing on each
//! person's own clock).
//!
//! Pure: the snapshot (people, their clocks, the SLA classes) and the time
//! of asking come in as values; the server reads the clock and the store.

use crate::dashboard::Snapshot;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use fulcrum_analysis::week::WorkClock;
use fulcrum_model::workflow::{
    ActionItem, AnswerBy, Ask, AskState, Decision, DecisionState, FieldProblem, Incident,
    MAX_SHORT_CHARS, MeetingRecord, MeetingRef, Recipient, Severity, Update, UpdateAnswer,
    is_update_missing,
};

/// An ask as typed: every field as text, blank when left empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AskInput {
    /// The recipient's email, or blank for the whole team.
    pub to: String,
    /// Context.
    pub context: String,
    /// The decision or answer needed.
    pub needed: String,
    /// Where to respond.
    pub respond_in: String,
    /// An SLA class of `[policy.sla]`, or blank.
    pub sla: String,
    /// A deadline, or blank: RFC 3339 (`2026-12-09T17:00:00Z`), or a
    /// local date and time (`2026-12-09T17:00`, as a browser's
    /// `datetime-local` sends it) on the recipient's clock.
    pub deadline: String,
}

/// The ask `author` writes to `team` at `now` from `input`, or every
/// problem of its fields. The recipient must be a person of the team on the
/// people list; the answer-by time is counted on their clock (on the
/// `[team]` clock for an ask to the whole team).
pub fn new_ask(
    snapshot: &Snapshot,
    author: &str,
    team: &str,
    input: &AskInput,
    now: DateTime<Utc>,
) -> Result<Ask, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let to_text = input.to.trim().to_lowercase();
    let (to, clock) = if to_text.is_empty() {
        (Recipient::Team, &snapshot.team_clock)
    } else {
        match snapshot.person(&to_text) {
            Some(p) if p.team == team => (Recipient::Person(p.email.clone()), &p.clock),
            _ => {
                problems.push(FieldProblem::new(
                    "to",
                    format!(
                        "{:?} is not a person of team {team}; pick a teammate, or leave it blank to ask the whole team",
                        input.to.trim()
                    ),
                ));
                (Recipient::Team, &snapshot.team_clock)
            }
        }
    };
    let sla = input.sla.trim();
    let deadline = input.deadline.trim();
    let answer_by = match (sla.is_empty(), deadline.is_empty()) {
        (true, true) => None,
        (false, true) => Some(AnswerBy::Sla(sla.to_owned())),
        (true, false) => match parse_deadline(deadline, clock.tz()) {
            Some(at) => Some(AnswerBy::Deadline(at)),
            None => {
                problems.push(FieldProblem::new(
                    "deadline",
                    format!(
                        "{deadline:?} is not a date and time: use 2026-12-09T17:00 (the recipient's local time) or RFC 3339 with an offset"
                    ),
                ));
                None
            }
        },
        (false, false) => {
            problems.push(FieldProblem::new(
                "deadline",
                "give an SLA class or a deadline, not both",
            ));
            None
        }
    };
    if sla.chars().count() > MAX_SHORT_CHARS {
        problems.push(FieldProblem::new(
            "sla",
            format!("at most {MAX_SHORT_CHARS} characters"),
        ));
    }
    let due = match fulcrum_analysis::workflow::answer_by(
        now,
        answer_by.as_ref(),
        &snapshot.route_policy.sla_hours,
        clock,
    ) {
        Ok(due) => due,
        Err(mut p) => {
            // The form and the API name the SLA class `sla`.
            p.field = "sla";
            problems.push(p);
            None
        }
    };
    let ask = Ask {
        team: team.to_owned(),
        author: author.trim().to_lowercase(),
        to,
        context: input.context.trim().to_owned(),
        needed: input.needed.trim().to_owned(),
        respond_in: input.respond_in.trim().to_owned(),
        answer_by,
        due,
        asked_at: now,
        state: AskState::Open,
    };
    for p in ask.check() {
        // The model names the answer-by field as a whole; the inputs are
        // `sla` and `deadline`.
        let field = match (p.field, &ask.answer_by) {
            ("answer_by", Some(AnswerBy::Sla(_))) => "sla",
            ("answer_by", _) => "deadline",
            (f, _) => f,
        };
        problems.push(FieldProblem::new(field, p.message));
    }
    if problems.is_empty() {
        Ok(ask)
    } else {
        Err(problems)
    }
}

/// A deadline: RFC 3339, or a local date and time (minutes or seconds) on
/// the clock of `tz`.
fn parse_deadline(text: &str, tz: &chrono_tz::Tz) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    // A wall clock skipped by a DST change does not exist: refused; a
    // repeated one is read as its first instant.
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// A proposal as typed: every field as text, blank when left empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionInput {
    /// The proposal, in one line.
    pub title: String,
    /// Context and options.
    pub context: String,
    /// A decision type of `[policy.decisions]`, or blank.
    pub decision_type: String,
    /// Who decides; blank for the type's (or the author).
    pub who_decides: String,
    /// When stances close, or blank for the deadline `fulcrum route` gives
    /// the decision type: RFC 3339, or a local date and time on the
    /// author's clock.
    pub closes_at: String,
}

/// The proposal `author` opens in `team` at `now` from `input`, or every
/// problem of its fields. Without a closing time, a decision type closes it
/// when `fulcrum route` says the type is due (its SLA class on the author's
/// business-hours clock).
pub fn new_decision(
    snapshot: &Snapshot,
    author: &str,
    team: &str,
    input: &DecisionInput,
    now: DateTime<Utc>,
) -> Result<Decision, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let author = author.trim().to_lowercase();
    let clock = snapshot
        .person(&author)
        .map_or(&snapshot.team_clock, |p| &p.clock);
    let policy = &snapshot.route_policy;
    let type_name = input.decision_type.trim();
    let decision_type = if type_name.is_empty() {
        None
    } else if let Some(t) = policy.types.get(type_name) {
        Some((type_name.to_owned(), t))
    } else {
        problems.push(FieldProblem::new(
            "decision_type",
            format!(
                "{type_name:?} is not a decision type of the team's policy; use one of: {}",
                policy
                    .types
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
        None
    };
    let closes = input.closes_at.trim();
    let closes_at = if !closes.is_empty() {
        parse_deadline(closes, clock.tz()).or_else(|| {
            problems.push(FieldProblem::new(
                "closes_at",
                format!(
                    "{closes:?} is not a date and time: use 2026-12-09T17:00 (your local time) or RFC 3339 with an offset"
                ),
            ));
            None
        })
    } else if let Some((name, _)) = &decision_type {
        let request = fulcrum_analysis::route::RouteRequest {
            decision_type: Some(name.clone()),
            attributes: fulcrum_analysis::route::Attributes::default(),
            asked_at: now,
        };
        match fulcrum_analysis::route::route(policy, &request, Some((clock, "the author"))) {
            Ok(route) => Some(route.deadline),
            Err(e) => {
                problems.push(FieldProblem::new("decision_type", e.to_string()));
                None
            }
        }
    } else {
        problems.push(FieldProblem::new(
            "closes_at",
            "give a closing time, or a decision type whose SLA sets one",
        ));
        None
    };
    let who = input.who_decides.trim();
    let who_decides = match (&decision_type, who.is_empty()) {
        (_, false) => who.to_owned(),
        (Some((_, t)), true) => t.who_decides.clone(),
        (None, true) => author.clone(),
    };
    let decision = Decision {
        team: team.to_owned(),
        author,
        title: input.title.trim().to_owned(),
        context: input.context.trim().to_owned(),
        decision_type: decision_type.map(|(n, _)| n),
        who_decides,
        opened_at: now,
        closes_at: closes_at.unwrap_or(now + chrono::Duration::days(1)),
        stances: Vec::new(),
        state: DecisionState::Open,
    };
    for p in decision.check() {
        if !(p.field == "closes_at" && closes_at.is_none()) {
            problems.push(p);
        }
    }
    if problems.is_empty() {
        Ok(decision)
    } else {
        Err(problems)
    }
}

/// How `fulcrum route` routes a proposal: the mode (sync: decide in a
/// meeting; async: in writing) and format its decision type gives under the
/// team's `[policy.decisions]`, as the router reads it (no attributes, asked
/// when it was opened, on its author's clock). `None` for a proposal
/// without a decision type, or whose type the policy no longer has.
pub fn decision_route(snapshot: &Snapshot, d: &Decision) -> Option<fulcrum_analysis::route::Route> {
    let name = d.decision_type.as_ref()?;
    let clock = snapshot
        .person(&d.author)
        .map_or(&snapshot.team_clock, |p| &p.clock);
    let request = fulcrum_analysis::route::RouteRequest {
        decision_type: Some(name.clone()),
        attributes: fulcrum_analysis::route::Attributes::default(),
        asked_at: d.opened_at,
    };
    fulcrum_analysis::route::route(
        &snapshot.route_policy,
        &request,
        Some((clock, "the author")),
    )
    .ok()
}

/// A review date typed into a form: `YYYY-MM-DD`, or blank for none.
pub fn review_date(text: &str) -> Result<Option<NaiveDate>, FieldProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| FieldProblem::new("review_on", format!("{t:?} is not a date (YYYY-MM-DD)")))
}

/// A meeting record as typed (the lists already split: the form's lines,
/// the API's arrays).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingInput {
    /// The meeting's name.
    pub title: String,
    /// The calendar event's UID, or blank for a standalone record.
    pub meeting_uid: String,
    /// The instance's start, for one instance of a series, or blank.
    pub occurrence: String,
    /// When it is held: RFC 3339, or a local date and time on the
    /// author's clock.
    pub held_at: String,
    /// The desired outcome.
    pub desired_outcome: String,
    /// The agenda.
    pub agenda: String,
    /// The pre-read.
    pub pre_read: String,
    /// The timebox in minutes, or blank.
    pub timebox_minutes: String,
    /// Who attends.
    pub attendees: Vec<String>,
    /// The summary.
    pub summary: String,
    /// Proposals decided in it, by id (checked against the store by the
    /// caller).
    pub decisions: Vec<i64>,
    /// Action items.
    pub action_items: Vec<ActionItem>,
}

/// The record `author` keeps for `team` from `input`, or every problem of
/// its fields. Times typed without an offset are the author's local time.
pub fn meeting_record(
    snapshot: &Snapshot,
    author: &str,
    team: &str,
    input: &MeetingInput,
) -> Result<MeetingRecord, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let author = author.trim().to_lowercase();
    let clock = snapshot
        .person(&author)
        .map_or(&snapshot.team_clock, |p| &p.clock);
    let mut time = |field: &'static str, text: &str| -> Option<DateTime<Utc>> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        let parsed = parse_deadline(t, clock.tz());
        if parsed.is_none() {
            problems.push(FieldProblem::new(
                field,
                format!(
                    "{t:?} is not a date and time: use 2026-12-09T14:00 (your local time) or RFC 3339 with an offset"
                ),
            ));
        }
        parsed
    };
    let held_at = time("held_at", &input.held_at);
    let occurrence = time("occurrence", &input.occurrence);
    if input.held_at.trim().is_empty() {
        problems.push(FieldProblem::new(
            "held_at",
            "say when the meeting is held (a date and time)",
        ));
    }
    let uid = input.meeting_uid.trim();
    if uid.is_empty() && !input.occurrence.trim().is_empty() {
        problems.push(FieldProblem::new(
            "occurrence",
            "an occurrence belongs to a calendar meeting: give its UID too",
        ));
    }
    let timebox = input.timebox_minutes.trim();
    let timebox_minutes = if timebox.is_empty() {
        None
    } else {
        match timebox.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                problems.push(FieldProblem::new(
                    "timebox_minutes",
                    format!("{timebox:?} is not a whole number of minutes"),
                ));
                None
            }
        }
    };
    let mut seen = std::collections::BTreeSet::new();
    let attendees: Vec<String> = input
        .attendees
        .iter()
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty() && seen.insert(a.to_lowercase()))
        .collect();
    let record = MeetingRecord {
        team: team.to_owned(),
        author,
        title: input.title.trim().to_owned(),
        meeting: (!uid.is_empty()).then(|| MeetingRef {
            uid: uid.to_owned(),
            occurrence,
        }),
        held_at: held_at.unwrap_or(DateTime::UNIX_EPOCH),
        desired_outcome: input.desired_outcome.trim().to_owned(),
        agenda: input.agenda.trim().to_owned(),
        pre_read: input.pre_read.trim().to_owned(),
        timebox_minutes,
        attendees,
        summary: input.summary.trim().to_owned(),
        decisions: input.decisions.clone(),
        action_items: input.action_items.clone(),
    };
    problems.extend(record.check());
    if problems.is_empty() {
        Ok(record)
    } else {
        Err(problems)
    }
}

/// An incident as typed when it is opened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncidentInput {
    /// What is broken, in one line.
    pub title: String,
    /// `sev1`, `sev2` or `sev3`.
    pub severity: String,
    /// What is known so far, where the call is.
    pub description: String,
}

/// The incident `author` opens in `team` at `now` from `input`, or every
/// problem of its fields.
pub fn new_incident(
    author: &str,
    team: &str,
    input: &IncidentInput,
    now: DateTime<Utc>,
) -> Result<Incident, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let severity_text = input.severity.trim();
    let severity = Severity::parse(severity_text).unwrap_or_else(|| {
        problems.push(FieldProblem::new(
            "severity",
            format!(
                "{severity_text:?} is not a severity; use one of: {}",
                Severity::ALL.map(|s| s.as_str()).join(", ")
            ),
        ));
        Severity::Sev3
    });
    let incident = Incident {
        team: team.to_owned(),
        author: author.trim().to_lowercase(),
        title: input.title.trim().to_owned(),
        severity,
        description: input.description.trim().to_owned(),
        opened_at: now,
        resolved: None,
        review: None,
    };
    problems.extend(incident.check());
    if problems.is_empty() {
        Ok(incident)
    } else {
        Err(problems)
    }
}

/// A written update as typed: the answer to each question of the team's
/// template (`[policy.updates] questions`), by question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateInput {
    /// Question -> answer; a question left out is answered blank.
    pub answers: Vec<(String, String)>,
}

/// The clock of `email`: theirs from the people list, else the `[team]`
/// clock.
fn clock_of<'s>(snapshot: &'s Snapshot, email: &str) -> &'s WorkClock {
    snapshot
        .person(email)
        .map_or(&snapshot.team_clock, |p| &p.clock)
}

/// The period `email` writes their update for at `now`: the cadence period
/// of their own local date.
pub fn update_period(snapshot: &Snapshot, email: &str, now: DateTime<Utc>) -> NaiveDate {
    let clock = clock_of(snapshot, email);
    snapshot
        .update_rules
        .cadence
        .period_of(clock.local_date(now))
}

/// The update `author` writes in `team` at `now` from `input` (for their
/// own current period, answers in the template's order), or every problem
/// of its fields. A second update of the same period edits the first: the
/// caller finds it and applies [`Update::edit`] with these answers.
pub fn new_update(
    snapshot: &Snapshot,
    author: &str,
    team: &str,
    input: &UpdateInput,
    now: DateTime<Utc>,
) -> Result<Update, Vec<FieldProblem>> {
    let author = author.trim().to_lowercase();
    let questions = &snapshot.update_rules.questions;
    let mut answers: Vec<UpdateAnswer> = questions
        .iter()
        .map(|q| UpdateAnswer {
            question: q.clone(),
            text: input
                .answers
                .iter()
                .find(|(k, _)| k == q)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default(),
        })
        .collect();
    // Answers to questions the template does not ask are kept, so that
    // the check names them.
    answers.extend(
        input
            .answers
            .iter()
            .filter(|(k, _)| !questions.contains(k))
            .map(|(k, v)| UpdateAnswer {
                question: k.clone(),
                text: v.trim().to_owned(),
            }),
    );
    let update = Update {
        team: team.to_owned(),
        period: update_period(snapshot, &author, now),
        author,
        cadence: snapshot.update_rules.cadence,
        answers,
        written_at: now,
    };
    let problems = update.check(questions);
    if problems.is_empty() {
        Ok(update)
    } else {
        Err(problems)
    }
}

/// One person's place in the current round of a team's updates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundEntry {
    /// Who (primary email).
    pub email: String,
    /// Their current period (on their own clock).
    pub period: NaiveDate,
    /// When their update for it is due: the start of their first working
    /// day in it; `None` when the period has no working day for them.
    pub due: Option<DateTime<Utc>>,
    /// Their update for the period, when written.
    pub update: Option<Update>,
    /// Derived: not written, and past due.
    pub missing: bool,
}

/// The current round of `team`'s updates at `now`: each member of the
/// people list (and anyone else who wrote one for their current period),
/// with their update or whether it is missing. Order: updates with
/// blockers first, then the other written ones, then the missing, then
/// those not yet due; each group by email.
pub fn update_round(
    snapshot: &Snapshot,
    team: &str,
    updates: &[Update],
    now: DateTime<Utc>,
) -> Vec<RoundEntry> {
    round(snapshot, team, updates, None, now)
}

/// The round of `team`'s updates for the period that starts on (or
/// contains) `period`, the same for everyone, as it stands at `now`: a
/// previous round, in [`update_round`]'s order, each person's due time
/// that period's first working morning on their own clock.
pub fn update_round_of(
    snapshot: &Snapshot,
    team: &str,
    updates: &[Update],
    period: NaiveDate,
    now: DateTime<Utc>,
) -> Vec<RoundEntry> {
    let period = snapshot.update_rules.cadence.period_of(period);
    round(snapshot, team, updates, Some(period), now)
}

/// The round of `team`: for `period` when given, else each person's
/// current period.
fn round(
    snapshot: &Snapshot,
    team: &str,
    updates: &[Update],
    period: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Vec<RoundEntry> {
    let mut emails: Vec<String> = snapshot
        .people
        .iter()
        .filter(|p| p.team == team)
        .map(|p| p.email.clone())
        .collect();
    for u in updates {
        if u.team == team && !emails.contains(&u.author) {
            emails.push(u.author.clone());
        }
    }
    let cadence = snapshot.update_rules.cadence;
    let mut round: Vec<RoundEntry> = emails
        .into_iter()
        .map(|email| {
            let period = period.unwrap_or_else(|| update_period(snapshot, &email, now));
            let due =
                fulcrum_analysis::workflow::update_due(period, cadence, clock_of(snapshot, &email));
            let update = updates
                .iter()
                .find(|u| u.team == team && u.author == email && u.period == period)
                .cloned();
            let missing = is_update_missing(update.is_some(), now, due);
            RoundEntry {
                email,
                period,
                due,
                update,
                missing,
            }
        })
        .filter(|e| e.update.is_some() || snapshot.person(&e.email).is_some())
        .collect();
    let rank = |e: &RoundEntry| match &e.update {
        Some(u) if u.blockers().is_some() => 0,
        Some(_) => 1,
        None if e.missing => 2,
        None => 3,
    };
    round.sort_by(|a, b| (rank(a), &a.email).cmp(&(rank(b), &b.email)));
    round
}

/// Action items typed one per line as `what | owner | YYYY-MM-DD | done`
/// (owner, date and `done` may be left out; blank lines are skipped), or
/// the problem of each bad line, located by its number.
pub fn action_items_from_text(text: &str) -> Result<Vec<ActionItem>, Vec<FieldProblem>> {
    let mut items = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        if parts.len() > 4 {
            problems.push(FieldProblem::new(
                "action_items",
                format!(
                    "line {}: at most four parts, what | owner | YYYY-MM-DD | done",
                    n + 1
                ),
            ));
            continue;
        }
        let due = match parts.get(2).copied().unwrap_or("") {
            "" => None,
            d => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    problems.push(FieldProblem::new(
                        "action_items",
                        format!("line {}: {d:?} is not a date (YYYY-MM-DD)", n + 1),
                    ));
                    continue;
                }
            },
        };
        let done = match parts.get(3).copied().unwrap_or("") {
            "" => false,
            "done" => true,
            other => {
                problems.push(FieldProblem::new(
                    "action_items",
                    format!(
                        "line {}: {other:?}: the fourth part is `done` or nothing",
                        n + 1
                    ),
                ));
                continue;
            }
        };
        items.push(ActionItem {
            text: parts[0].to_owned(),
            owner: parts.get(1).copied().unwrap_or("").to_lowercase(),
            due,
            done,
        });
    }
    if problems.is_empty() {
        Ok(items)
    } else {
        Err(problems)
    }
}

/// Action items as [`action_items_from_text`] reads them.
pub fn action_items_text(items: &[ActionItem]) -> String {
    items
        .iter()
        .map(|i| {
            let mut parts = vec![
                i.text.clone(),
                i.owner.clone(),
                i.due.map_or_else(String::new, |d| d.to_string()),
            ];
            if i.done {
                parts.push("done".to_owned());
            }
            while parts.last().is_some_and(String::is_empty) {
                parts.pop();
            }
            parts.join(" | ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::PersonSnapshot;
    use fulcrum_analysis::WorkClock;
    use fulcrum_model::WorkingHours;
    use std::collections::BTreeSet;

    fn person(email: &str, team: &str, tz: chrono_tz::Tz) -> PersonSnapshot {
        PersonSnapshot {
            email: email.into(),
            name: email.into(),
            team: team.into(),
            zone: tz.name().into(),
            weeks: Vec::new(),
            focus: None,
            clock: WorkClock::new(tz, WorkingHours::standard(), BTreeSet::new()),
        }
    }

    fn snapshot() -> Snapshot {
        let mut s = Snapshot::empty(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap());
        s.people = vec![
            person("ana@x.io", "payments", chrono_tz::Tz::Europe__Berlin),
            person("bo@x.io", "payments", chrono_tz::Tz::Asia__Tokyo),
            person("cy@x.io", "search", chrono_tz::Tz::UTC),
        ];
        s.by_email = s
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.email.clone(), i))
            .collect();
        s
    }

    fn input(to: &str, sla: &str, deadline: &str) -> AskInput {
        AskInput {
            to: to.into(),
            context: "The refund job failed twice; logs in the runbook.".into(),
            needed: "Retry or queue? I suggest the queue.".into(),
            respond_in: "the refunds doc".into(),
            sla: sla.into(),
            deadline: deadline.into(),
        }
    }

    #[test]
    fn the_answer_by_time_runs_on_the_recipients_clock() {
        // Friday 2026-12-04 08:00 UTC = 17:00 in Tokyo (UTC+9, no DST):
        // Bo's day is over. Urgent (2 h) starts Monday 09:00 JST and ends
        // 11:00 JST = 02:00 UTC Monday 2026-12-07.
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 8, 0, 0).unwrap();
        let ask = new_ask(
            &snapshot(),
            "Ana@X.io",
            "payments",
            &input("BO@x.io", "urgent", ""),
            now,
        )
        .unwrap();
        assert_eq!(ask.to, Recipient::Person("bo@x.io".into()));
        assert_eq!(ask.author, "ana@x.io");
        assert_eq!(
            ask.due,
            Some(Utc.with_ymd_and_hms(2026, 12, 7, 2, 0, 0).unwrap())
        );
        // A local deadline is read on Bo's clock: 17:00 JST = 08:00 UTC.
        let ask = new_ask(
            &snapshot(),
            "ana@x.io",
            "payments",
            &input("bo@x.io", "", "2026-12-09T17:00"),
            now,
        )
        .unwrap();
        assert_eq!(
            ask.due,
            Some(Utc.with_ymd_and_hms(2026, 12, 9, 8, 0, 0).unwrap())
        );
        // To the team: the [team] clock (UTC, Mon-Fri 09-17 here): Friday
        // 08:00 UTC + 2 h of working time = 11:00 UTC.
        let ask = new_ask(
            &snapshot(),
            "ana@x.io",
            "payments",
            &input("", "urgent", ""),
            now,
        )
        .unwrap();
        assert_eq!(ask.to, Recipient::Team);
        assert_eq!(
            ask.due,
            Some(Utc.with_ymd_and_hms(2026, 12, 4, 11, 0, 0).unwrap())
        );
    }

    #[test]
    fn a_proposals_route_is_its_types_mode_and_format() {
        // The default policy routes `hiring` sync as "meeting with pre-read
        // (scorecards written before it)" and `architecture` async as "rfc".
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 14, 0, 0).unwrap();
        let open = |t: &str| {
            let input = DecisionInput {
                title: "Hire for the refunds team".into(),
                decision_type: t.into(),
                closes_at: if t.is_empty() {
                    "2026-12-09T17:00".into()
                } else {
                    String::new()
                },
                ..DecisionInput::default()
            };
            new_decision(&snapshot(), "ana@x.io", "payments", &input, now).unwrap()
        };
        let hiring = decision_route(&snapshot(), &open("hiring")).unwrap();
        assert_eq!(hiring.mode, fulcrum_analysis::route::Mode::Sync);
        assert_eq!(
            hiring.format,
            "meeting with pre-read (scorecards written before it)"
        );
        let rfc = decision_route(&snapshot(), &open("architecture")).unwrap();
        assert_eq!(rfc.mode, fulcrum_analysis::route::Mode::Async);
        assert_eq!(rfc.format, "rfc");
        // No type: no route.
        assert!(decision_route(&snapshot(), &open("")).is_none());
    }

    #[test]
    fn a_proposal_of_a_known_type_closes_when_route_says() {
        // The default policy: `architecture` is async on the normal SLA
        // (24 business hours). Ana works in Berlin (CET, UTC+1), Mon-Fri
        // 09-17. Opened Friday 2026-12-04 15:00 CET (14:00 UTC): 2 h on
        // Friday, 8 on Monday and Tuesday, then Wednesday 09:00 + 6 h =
        // 15:00 CET = 14:00 UTC.
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 14, 0, 0).unwrap();
        let input = DecisionInput {
            title: "Move refunds to the queue".into(),
            decision_type: "architecture".into(),
            ..DecisionInput::default()
        };
        let d = new_decision(&snapshot(), "ana@x.io", "payments", &input, now).unwrap();
        let t = &snapshot().route_policy.types["architecture"];
        assert_eq!(t.sla, "normal");
        assert_eq!(
            d.closes_at,
            Utc.with_ymd_and_hms(2026, 12, 9, 14, 0, 0).unwrap()
        );
        assert_eq!(d.who_decides, t.who_decides);
        // A closing time typed is the author's local time.
        let d = new_decision(
            &snapshot(),
            "ana@x.io",
            "payments",
            &DecisionInput {
                closes_at: "2026-12-07T12:00".into(),
                decision_type: String::new(),
                ..input.clone()
            },
            now,
        )
        .unwrap();
        assert_eq!(
            d.closes_at,
            Utc.with_ymd_and_hms(2026, 12, 7, 11, 0, 0).unwrap()
        );
        assert_eq!(d.who_decides, "ana@x.io");
        let fields = |i: DecisionInput| -> Vec<&'static str> {
            new_decision(&snapshot(), "ana@x.io", "payments", &i, now)
                .unwrap_err()
                .iter()
                .map(|p| p.field)
                .collect()
        };
        assert_eq!(fields(DecisionInput::default()), ["closes_at", "title"]);
        assert_eq!(
            fields(DecisionInput {
                decision_type: "whim".into(),
                ..input.clone()
            }),
            ["decision_type", "closes_at"]
        );
        assert_eq!(
            review_date("2027-03-01").unwrap(),
            NaiveDate::from_ymd_opt(2027, 3, 1)
        );
        assert_eq!(review_date(" ").unwrap(), None);
        assert_eq!(review_date("March").unwrap_err().field, "review_on");
    }

    #[test]
    fn a_meeting_record_from_what_was_typed() {
        let input = MeetingInput {
            title: "Refunds review".into(),
            meeting_uid: "abc@x.io".into(),
            occurrence: "2026-12-07T10:00".into(),
            held_at: "2026-12-07T10:00".into(),
            timebox_minutes: "30".into(),
            attendees: vec![
                "ana@x.io".into(),
                " Ana@x.io ".into(),
                "bo@x.io".into(),
                "".into(),
            ],
            ..MeetingInput::default()
        };
        let r = meeting_record(&snapshot(), "ana@x.io", "payments", &input).unwrap();
        // 10:00 in Berlin (CET) is 09:00 UTC.
        let nine = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
        assert_eq!(r.held_at, nine);
        assert_eq!(r.meeting.unwrap().occurrence, Some(nine));
        assert_eq!(r.attendees, ["ana@x.io", "bo@x.io"]);
        assert_eq!(r.timebox_minutes, Some(30));
        let fields = |i: MeetingInput| -> Vec<&'static str> {
            meeting_record(&snapshot(), "ana@x.io", "payments", &i)
                .unwrap_err()
                .iter()
                .map(|p| p.field)
                .collect()
        };
        assert_eq!(fields(MeetingInput::default()), ["held_at", "title"]);
        assert_eq!(
            fields(MeetingInput {
                meeting_uid: String::new(),
                timebox_minutes: "half an hour".into(),
                ..input.clone()
            }),
            ["occurrence", "timebox_minutes"]
        );

        let items = action_items_from_text(
            "Move the job | BO@x.io | 2026-12-11\n\nWrite the runbook\nTell support | | | done",
        )
        .unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].owner, "bo@x.io");
        assert_eq!(items[0].due, NaiveDate::from_ymd_opt(2026, 12, 11));
        assert!(items[2].done && items[2].owner.is_empty());
        assert_eq!(
            action_items_text(&items),
            "Move the job | bo@x.io | 2026-12-11\nWrite the runbook\nTell support |  |  | done"
        );
        assert_eq!(
            action_items_from_text(&action_items_text(&items)).unwrap(),
            items
        );
        let p = action_items_from_text("a | b | soon\nc | d | | maybe").unwrap_err();
        assert_eq!(
            p.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "action_items: line 1: \"soon\" is not a date (YYYY-MM-DD)",
                "action_items: line 2: \"maybe\": the fourth part is `done` or nothing"
            ]
        );
    }

    #[test]
    fn each_problem_names_its_field() {
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 8, 0, 0).unwrap();
        let fields = |i: AskInput| -> Vec<&'static str> {
            new_ask(&snapshot(), "ana@x.io", "payments", &i, now)
                .unwrap_err()
                .iter()
                .map(|p| p.field)
                .collect()
        };
        // Another team's person, an unknown class.
        assert_eq!(fields(input("cy@x.io", "soon", "")), ["to", "sla"]);
        assert_eq!(
            fields(input("", "urgent", "2026-12-09T17:00")),
            ["deadline"]
        );
        assert_eq!(fields(input("", "", "next week")), ["deadline"]);
        // A deadline in the past.
        assert_eq!(fields(input("", "", "2026-12-01T10:00:00Z")), ["deadline"]);
        let mut empty = input("", "", "");
        empty.context.clear();
        empty.needed.clear();
        assert_eq!(fields(empty), ["needed"]);
    }
    #[test]
    fn an_incident_from_what_was_typed() {
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).unwrap();
        let input = IncidentInput {
            title: " Refunds fail ".into(),
            severity: "sev2".into(),
            description: "Call in the huddle.".into(),
        };
        let i = new_incident("Ana@X.io", "payments", &input, now).unwrap();
        assert_eq!(
            (i.author.as_str(), i.title.as_str(), i.severity, i.opened_at),
            ("ana@x.io", "Refunds fail", Severity::Sev2, now)
        );
        assert_eq!(i.state(), "open");
        let bad = IncidentInput {
            title: String::new(),
            severity: "critical".into(),
            ..input
        };
        let p = new_incident("ana@x.io", "payments", &bad, now).unwrap_err();
        assert_eq!(
            p.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "severity: \"critical\" is not a severity; use one of: sev1, sev2, sev3",
                "title: must not be empty"
            ]
        );
    }

    #[test]
    fn an_update_is_for_the_authors_own_period_in_the_templates_order() {
        let mut snap = snapshot();
        snap.update_rules.cadence = fulcrum_model::workflow::Cadence::Daily;
        // Sunday 6 December 2026 20:00 UTC is Monday 7 December 05:00 in
        // Tokyo: Bo's daily update is for Monday; Ana's (Berlin, 21:00)
        // for Sunday.
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 20, 0, 0).unwrap();
        let input = UpdateInput {
            answers: vec![
                ("blockers".into(), " The sandbox is down ".into()),
                ("status".into(), "Retries shipped.".into()),
            ],
        };
        let u = new_update(&snap, "Bo@X.io", "payments", &input, now).unwrap();
        assert_eq!(u.author, "bo@x.io");
        assert_eq!(u.period, NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        assert_eq!(
            u.answers
                .iter()
                .map(|a| (a.question.as_str(), a.text.as_str()))
                .collect::<Vec<_>>(),
            [
                ("status", "Retries shipped."),
                ("blockers", "The sandbox is down"),
                ("decisions", "")
            ]
        );
        assert_eq!(
            update_period(&snap, "ana@x.io", now),
            NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
        );
        let bad = UpdateInput {
            answers: vec![("mood".into(), "fine".into())],
        };
        let p = new_update(&snap, "bo@x.io", "payments", &bad, now).unwrap_err();
        assert_eq!(
            p.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "answers: \"mood\" is not a question of the team's update; use one of: status, blockers, decisions"
            ]
        );
    }

    #[test]
    fn the_round_puts_blockers_first_and_derives_missing_on_each_clock() {
        let mut snap = snapshot();
        snap.people.push(person(
            "di@x.io",
            "payments",
            chrono_tz::Tz::America__New_York,
        ));
        snap.by_email.insert("di@x.io".into(), 3);
        // Monday 7 December 2026 10:00 UTC, weekly: Ana (Berlin, due 08:00
        // UTC) wrote one with no blockers; Bo (Tokyo, due Monday 00:00 UTC)
        // wrote one with blockers; Di (New York, due 14:00 UTC) has not
        // written yet and is not due; Cy is of another team.
        let now = Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap();
        let monday = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let written = |who: &str, blockers: &str| {
            new_update(
                &snap,
                who,
                "payments",
                &UpdateInput {
                    answers: vec![
                        ("status".into(), "On track.".into()),
                        ("blockers".into(), blockers.into()),
                    ],
                },
                now,
            )
            .unwrap()
        };
        let mut updates = vec![written("ana@x.io", ""), written("bo@x.io", "Review")];
        let round = update_round(&snap, "payments", &updates, now);
        let seen = |round: &[RoundEntry]| {
            round
                .iter()
                .map(|e| (e.email.clone(), e.update.is_some(), e.missing))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            seen(&round),
            [
                ("bo@x.io".to_owned(), true, false),
                ("ana@x.io".to_owned(), true, false),
                ("di@x.io".to_owned(), false, false),
            ]
        );
        assert_eq!(round[2].period, monday);
        assert_eq!(
            round[2].due,
            Some(Utc.with_ymd_and_hms(2026, 12, 7, 14, 0, 0).unwrap())
        );
        assert_eq!(
            round[1].due,
            Some(Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).unwrap())
        );
        // At 15:00 UTC Di's morning has begun without an update: missing.
        // Ana's update of the week before does not count for this one.
        let later = Utc.with_ymd_and_hms(2026, 12, 7, 15, 0, 0).unwrap();
        updates[0].period = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let round = update_round(&snap, "payments", &updates, later);
        assert_eq!(
            seen(&round),
            [
                ("bo@x.io".to_owned(), true, false),
                ("ana@x.io".to_owned(), false, true),
                ("di@x.io".to_owned(), false, true),
            ]
        );
        // The round of the week before, seen at 15:00 UTC on 7 December:
        // Ana's update of that week counts there; Di's due time is that
        // Monday 30 November, 09:00 in New York (UTC-5 in winter) = 14:00
        // UTC, long past: missing. A date inside the week names the week.
        let before = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let thursday = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let round = update_round_of(&snap, "payments", &updates, thursday, later);
        assert_eq!(
            seen(&round),
            [
                ("ana@x.io".to_owned(), true, false),
                ("bo@x.io".to_owned(), false, true),
                ("di@x.io".to_owned(), false, true),
            ]
        );
        assert!(round.iter().all(|e| e.period == before));
        assert_eq!(
            round[2].due,
            Some(Utc.with_ymd_and_hms(2026, 11, 30, 14, 0, 0).unwrap())
        );
    }
}
