//! What the asks, decisions, meeting records, incidents, written updates
//! and pulse pages and the API share: reading an object
//! the viewer may see, creating one, changing one under the store's
//! version check, the list filters, and the objects as JSON. The roles are
//! [`crate::policy`]'s; the objects themselves are built by
//! `fulcrum_app::workflow` and `fulcrum_app::pulse`. A pulse response is
//! personal: it is read only by its author, and its team sees only the
//! aggregates of [`team_pulse`].

use crate::error::Error;
use crate::http::Viewer;
use crate::policy;
use crate::state::AppState;
use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use fulcrum_app::meeting_picker::{CalendarMeeting, pick_range, pickable_meetings};
use fulcrum_app::pulse::{PulseInput, new_pulse};
use fulcrum_app::workflow::{
    AskInput, DecisionInput, IncidentInput, MeetingInput, RoundEntry, UpdateInput, decision_route,
    meeting_record, new_ask, new_decision, new_incident, new_update, update_round, update_round_of,
};
use fulcrum_model::pulse::{PulseResponse, WeekSummary};
use fulcrum_model::workflow::{
    Answer, AnswerBy, Ask, AskState, Decision, DecisionState, FieldProblem, Incident,
    IncidentReview, MeetingRecord, Outcome, Position, Recipient, Resolution, Stance, TakeError,
    Update,
};
use fulcrum_store::{
    Page, Storage, StoredWorkflowItem, WorkflowFilter, WorkflowItem, WorkflowKind,
};
use serde_json::{Value, json};

/// An ask as stored, with its id and version.
pub struct StoredAsk {
    /// The id.
    pub id: i64,
    /// The version a change must name.
    pub version: i64,
    /// When it was created and last changed.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// The ask.
    pub ask: Ask,
}

impl StoredAsk {
    /// The ask of a stored object; `None` for another kind.
    pub fn of(item: StoredWorkflowItem) -> Option<StoredAsk> {
        match item.item {
            WorkflowItem::Ask(ask) => Some(StoredAsk {
                id: item.id,
                version: item.version,
                created_at: item.created_at,
                updated_at: item.updated_at,
                ask,
            }),
            WorkflowItem::Decision(_)
            | WorkflowItem::Meeting(_)
            | WorkflowItem::Incident(_)
            | WorkflowItem::Update(_)
            | WorkflowItem::Pulse(_) => None,
        }
    }
}

/// Ask `id` if the viewer may see its team (404 otherwise, and for an id
/// that is not an ask).
pub async fn ask<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    id: i64,
) -> Result<StoredAsk, Error> {
    let item = policy::workflow_item(state, &viewer.user, id).await?;
    StoredAsk::of(item).ok_or_else(|| Error::NotFound(format!("no ask {id}")))
}

/// The problems of an ask that was refused, for a 422.
pub enum Refused {
    /// Field problems: the form shows them next to what was typed.
    Fields(Vec<FieldProblem>),
    /// Anything else.
    Other(Error),
}

impl From<Error> for Refused {
    fn from(e: Error) -> Self {
        Refused::Other(e)
    }
}

impl From<Refused> for Error {
    fn from(r: Refused) -> Self {
        match r {
            Refused::Fields(p) => policy::field_problems(&p),
            Refused::Other(e) => e,
        }
    }
}

/// Creates an ask of the viewer's to `team` (a team they may see).
pub async fn create_ask<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    team: &str,
    input: &AskInput,
) -> Result<StoredAsk, Refused> {
    let snap = state.snapshot();
    let team = policy::team_for(&viewer.user, &snap, team)?.name.clone();
    let now = Utc::now();
    let ask = new_ask(&snap, &viewer.user.email, &team, input, now).map_err(Refused::Fields)?;
    let stored = state
        .create_workflow_item(WorkflowItem::Ask(ask), now)
        .await
        .map_err(Error::from)?;
    tracing::info!(by = viewer.user.id, ask = stored.id, "ask created");
    StoredAsk::of(stored).ok_or_else(|| Refused::Other(Error::Internal("not an ask".into())))
}

/// A change to an ask.
pub enum AskChange {
    /// The viewer answers it.
    Answer(String),
    /// The viewer (its author) withdraws it.
    Withdraw,
}

/// Applies `change` to ask `id` as read at `version`: 404 for an ask the
/// viewer may not see, 403 when they may not make this change, 409 when
/// someone changed it since `version` or its state does not allow the
/// change, 422 for a blank or too long answer.
pub async fn change_ask<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    id: i64,
    version: i64,
    change: AskChange,
) -> Result<StoredAsk, Error> {
    let current = ask(state, viewer, id).await?;
    let allowed = match &change {
        AskChange::Answer(_) => policy::may_answer(&viewer.user, &state.snapshot(), &current.ask),
        AskChange::Withdraw => policy::may_withdraw(&viewer.user, &current.ask),
    };
    if !allowed {
        return Err(Error::Forbidden(match change {
            AskChange::Answer(_) => "only the person it is addressed to (or, for an ask to the team, a teammate) may answer an ask, never its author".into(),
            AskChange::Withdraw => "only its author may withdraw an ask".into(),
        }));
    }
    if current.version != version {
        // Said before the state: what the caller saw is not what is
        // stored. The store checks again when it writes.
        return Err(fulcrum_store::StoreError::Stale {
            what: format!("ask {id}"),
            current: current.version,
        }
        .into());
    }
    let mut a = current.ask;
    let now = Utc::now();
    match change {
        AskChange::Answer(text) => a.answer(Answer {
            by: viewer.user.email.clone(),
            text: text.trim().to_owned(),
            at: now,
        }),
        AskChange::Withdraw => a.withdraw(now),
    }
    .map_err(|e| Error::Conflict(e.0))?;
    let problems = a.check();
    if !problems.is_empty() {
        return Err(policy::field_problems(&problems));
    }
    let stored = state
        .update_workflow_item(id, version, WorkflowItem::Ask(a), now)
        .await?
        .ok_or_else(|| Error::NotFound(format!("no ask {id}")))?;
    tracing::info!(by = viewer.user.id, ask = id, "ask changed");
    StoredAsk::of(stored).ok_or_else(|| Error::Internal("not an ask".into()))
}

/// The filter of an ask list: `state` (open, answered, withdrawn; blank for
/// all) and whether only those waiting on `me`.
pub fn ask_filter(state: &str, waiting_on: Option<&str>) -> Result<WorkflowFilter, Error> {
    let state = match state.trim() {
        "" => None,
        s @ ("open" | "answered" | "withdrawn") => Some(s.to_owned()),
        other => {
            return Err(Error::BadRequest(format!(
                "state: {other:?} is not one of open, answered, withdrawn"
            )));
        }
    };
    Ok(WorkflowFilter {
        kind: Some(WorkflowKind::Ask),
        state,
        waits_on: waiting_on.map(str::to_owned),
        author: None,
    })
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// An ask as JSON: every field, `overdue` derived at `now`.
pub fn ask_json(a: &StoredAsk, now: DateTime<Utc>) -> Value {
    let ask = &a.ask;
    let (sla, deadline) = match &ask.answer_by {
        Some(AnswerBy::Sla(c)) => (Some(c.clone()), None),
        Some(AnswerBy::Deadline(t)) => (None, Some(time(*t))),
        None => (None, None),
    };
    json!({
        "id": a.id,
        "version": a.version,
        "team": ask.team,
        "author": ask.author,
        "to": match &ask.to {
            Recipient::Person(p) => Value::String(p.clone()),
            Recipient::Team => Value::Null,
        },
        "context": ask.context,
        "needed": ask.needed,
        "respond_in": ask.respond_in,
        "sla": sla,
        "deadline": deadline,
        "due": ask.due.map(time),
        "overdue": ask.is_overdue(now),
        "state": ask.state.as_str(),
        "answer": match &ask.state {
            AskState::Answered(ans) => json!({"by": ans.by, "text": ans.text, "at": time(ans.at)}),
            _ => Value::Null,
        },
        "withdrawn_at": match &ask.state {
            AskState::Withdrawn { at } => Value::String(time(*at)),
            _ => Value::Null,
        },
        "asked_at": time(ask.asked_at),
        "created_at": time(a.created_at),
        "updated_at": time(a.updated_at),
        "coaching": ask.coaching().iter().map(|p| json!({"field": p.field, "message": p.missing})).collect::<Vec<_>>(),
    })
}

/// A proposal as JSON: every field, stances in the order taken.
pub fn decision_json(id: i64, version: i64, d: &Decision) -> Value {
    let tally = d.tally();
    json!({
        "id": id,
        "version": version,
        "team": d.team,
        "author": d.author,
        "title": d.title,
        "context": d.context,
        "decision_type": d.decision_type,
        "who_decides": d.who_decides,
        "opened_at": time(d.opened_at),
        "closes_at": time(d.closes_at),
        "state": d.state.as_str(),
        "stances": d.stances.iter().map(|s| json!({
            "person": s.person,
            "position": s.position.as_str(),
            "reason": s.reason,
            "at": time(s.at),
        })).collect::<Vec<_>>(),
        "tally": {"agree": tally.agree, "abstain": tally.abstain, "disagree": tally.disagree, "block": tally.block},
        "outcome": match &d.state {
            DecisionState::Closed(o) => json!({
                "text": o.text,
                "review_on": o.review_on.map(|r| r.to_string()),
                "by": o.by,
                "at": time(o.at),
            }),
            _ => Value::Null,
        },
        "withdrawn_at": match &d.state {
            DecisionState::Withdrawn { at } => Value::String(time(*at)),
            _ => Value::Null,
        },
    })
}

/// Any workflow object as JSON, with its `kind`.
pub fn item_json(item: StoredWorkflowItem, now: DateTime<Utc>) -> Value {
    let kind = item.item.kind().as_str();
    let mut v = match item.item {
        WorkflowItem::Decision(ref d) => decision_json(item.id, item.version, d),
        WorkflowItem::Meeting(ref m) => meeting_json(item.id, item.version, m, None, now),
        WorkflowItem::Incident(ref i) => incident_json(item.id, item.version, i, None, now),
        WorkflowItem::Update(ref u) => update_json(item.id, item.version, u),
        WorkflowItem::Pulse(ref p) => pulse_json(item.id, item.version, p),
        WorkflowItem::Ask(_) => match StoredAsk::of(item) {
            Some(a) => ask_json(&a, now),
            None => Value::Null,
        },
    };
    v["kind"] = Value::String(kind.to_owned());
    v
}

// ---- decisions ----------------------------------------------------------------

/// A proposal as stored, with its id and version.
pub struct StoredDecision {
    /// The id.
    pub id: i64,
    /// The version a change must name.
    pub version: i64,
    /// The proposal.
    pub decision: Decision,
}

impl StoredDecision {
    /// The proposal of a stored object; `None` for another kind.
    pub fn of(item: StoredWorkflowItem) -> Option<StoredDecision> {
        match item.item {
            WorkflowItem::Decision(decision) => Some(StoredDecision {
                id: item.id,
                version: item.version,
                decision,
            }),
            WorkflowItem::Ask(_)
            | WorkflowItem::Meeting(_)
            | WorkflowItem::Incident(_)
            | WorkflowItem::Update(_)
            | WorkflowItem::Pulse(_) => None,
        }
    }
}

/// Proposal `id` if the viewer may see its team (404 otherwise, and for an
/// id that is not a proposal).
pub async fn decision<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    id: i64,
) -> Result<StoredDecision, Error> {
    let item = policy::workflow_item(state, &viewer.user, id).await?;
    StoredDecision::of(item).ok_or_else(|| Error::NotFound(format!("no proposal {id}")))
}

/// Opens a proposal of the viewer's in `team` (a team they may see).
pub async fn create_decision<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    team: &str,
    input: &DecisionInput,
) -> Result<StoredDecision, Refused> {
    let snap = state.snapshot();
    let team = policy::team_for(&viewer.user, &snap, team)?.name.clone();
    let now = Utc::now();
    let d = new_decision(&snap, &viewer.user.email, &team, input, now).map_err(Refused::Fields)?;
    let stored = state
        .create_workflow_item(WorkflowItem::Decision(d), now)
        .await
        .map_err(Error::from)?;
    tracing::info!(by = viewer.user.id, decision = stored.id, "proposal opened");
    StoredDecision::of(stored)
        .ok_or_else(|| Refused::Other(Error::Internal("not a proposal".into())))
}

/// A change to a proposal.
pub enum DecisionChange {
    /// The viewer takes (or changes) their stance.
    Stance(Position, String),
    /// Closed with an outcome and an optional review date.
    Close(String, Option<NaiveDate>),
    /// Its author takes it back.
    Withdraw,
}

/// Applies `change` to proposal `id` as read at `version`, with the same
/// answers as [`change_ask`]: 404, 403, 409 (changed since, or closed),
/// 422 (a block without a reason, an outcome missing, a review date not
/// after today).
pub async fn change_decision<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    id: i64,
    version: i64,
    change: DecisionChange,
) -> Result<StoredDecision, Error> {
    let current = decision(state, viewer, id).await?;
    let snap = state.snapshot();
    let refusal = match &change {
        DecisionChange::Stance(..) => None,
        DecisionChange::Close(..) => (!policy::may_close(&viewer.user, &snap, &current.decision))
            .then_some(
                "only its author and the team's leads and administrators may close a proposal",
            ),
        DecisionChange::Withdraw => (viewer.user.email != current.decision.author)
            .then_some("only its author may withdraw a proposal"),
    };
    if let Some(why) = refusal {
        return Err(Error::Forbidden(why.into()));
    }
    if current.version != version {
        return Err(fulcrum_store::StoreError::Stale {
            what: format!("decision {id}"),
            current: current.version,
        }
        .into());
    }
    let mut d = current.decision;
    let now = Utc::now();
    let taken = match change {
        DecisionChange::Stance(position, reason) => d.take_stance(Stance {
            person: viewer.user.email.clone(),
            position,
            reason: reason.trim().to_owned(),
            at: now,
        }),
        DecisionChange::Close(text, review_on) => d.close(Outcome {
            text: text.trim().to_owned(),
            review_on,
            by: viewer.user.email.clone(),
            at: now,
        }),
        DecisionChange::Withdraw => d.withdraw(now).map_err(TakeError::State),
    };
    match taken {
        Ok(()) => {}
        Err(TakeError::State(e)) => return Err(Error::Conflict(e.0)),
        Err(TakeError::Invalid(p)) => return Err(policy::field_problems(&p)),
    }
    let stored = state
        .update_workflow_item(id, version, WorkflowItem::Decision(d), now)
        .await?
        .ok_or_else(|| Error::NotFound(format!("no proposal {id}")))?;
    tracing::info!(by = viewer.user.id, decision = id, "proposal changed");
    StoredDecision::of(stored).ok_or_else(|| Error::Internal("not a proposal".into()))
}

/// The filter of a proposal list: `state` (open, closed, withdrawn; blank
/// for all).
pub fn decision_filter(state: &str) -> Result<WorkflowFilter, Error> {
    let state = match state.trim() {
        "" => None,
        s @ ("open" | "closed" | "withdrawn") => Some(s.to_owned()),
        other => {
            return Err(Error::BadRequest(format!(
                "state: {other:?} is not one of open, closed, withdrawn"
            )));
        }
    };
    Ok(WorkflowFilter {
        kind: Some(WorkflowKind::Decision),
        state,
        waits_on: None,
        author: None,
    })
}

// ---- meeting records ----------------------------------------------------------

/// A meeting record as stored, with its id and version.
pub struct StoredMeeting {
    /// The id.
    pub id: i64,
    /// The version a change must name.
    pub version: i64,
    /// The record.
    pub record: MeetingRecord,
}

impl StoredMeeting {
    /// The record of a stored object; `None` for another kind.
    pub fn of(item: StoredWorkflowItem) -> Option<StoredMeeting> {
        match item.item {
            WorkflowItem::Meeting(record) => Some(StoredMeeting {
                id: item.id,
                version: item.version,
                record,
            }),
            WorkflowItem::Ask(_)
            | WorkflowItem::Decision(_)
            | WorkflowItem::Incident(_)
            | WorkflowItem::Update(_)
            | WorkflowItem::Pulse(_) => None,
        }
    }
}

/// Meeting record `id` if the viewer may see its team (404 otherwise, and
/// for an id that is not a record).
pub async fn meeting<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    id: i64,
) -> Result<StoredMeeting, Error> {
    let item = policy::workflow_item(state, &viewer.user, id).await?;
    StoredMeeting::of(item).ok_or_else(|| Error::NotFound(format!("no meeting record {id}")))
}

/// The record typed, with its linked decisions checked: each a proposal of
/// the same team.
async fn checked_record<S: Storage + 'static>(
    state: &AppState<S>,
    author: &str,
    team: &str,
    input: &MeetingInput,
) -> Result<MeetingRecord, Refused> {
    let snap = state.snapshot();
    let mut problems = match meeting_record(&snap, author, team, input) {
        Ok(_) => Vec::new(),
        Err(p) => p,
    };
    for &id in &input.decisions {
        let found = state.store.workflow_item(id).await.map_err(Error::from)?;
        let ok = matches!(&found, Some(item) if matches!(&item.item, WorkflowItem::Decision(d) if d.team == team));
        if !ok {
            problems.push(FieldProblem::new(
                "decisions",
                format!("{id} is not a proposal of team {team}"),
            ));
        }
    }
    if problems.is_empty() {
        meeting_record(&snap, author, team, input).map_err(Refused::Fields)
    } else {
        Err(Refused::Fields(problems))
    }
}

/// Opens a meeting record of the viewer's in `team` (a team they may see).
pub async fn create_meeting<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    team: &str,
    input: &MeetingInput,
) -> Result<StoredMeeting, Refused> {
    let team = policy::team_for(&viewer.user, &state.snapshot(), team)?
        .name
        .clone();
    let record = checked_record(state, &viewer.user.email, &team, input).await?;
    let stored = state
        .create_workflow_item(WorkflowItem::Meeting(record), Utc::now())
        .await
        .map_err(Error::from)?;
    tracing::info!(
        by = viewer.user.id,
        meeting = stored.id,
        "meeting record opened"
    );
    StoredMeeting::of(stored)
        .ok_or_else(|| Refused::Other(Error::Internal("not a meeting record".into())))
}

/// Replaces record `id` as read at `version` with `input` (whoever sees its
/// team keeps the minutes; its author and team stay): 404, 409 when it
/// changed since `version`, 422 naming each bad field.
pub async fn update_meeting<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    id: i64,
    version: i64,
    input: &MeetingInput,
) -> Result<StoredMeeting, Refused> {
    let current = meeting(state, viewer, id).await?;
    if current.version != version {
        return Err(Refused::Other(
            fulcrum_store::StoreError::Stale {
                what: format!("meeting record {id}"),
                current: current.version,
            }
            .into(),
        ));
    }
    let record = checked_record(state, &current.record.author, &current.record.team, input).await?;
    let stored = state
        .update_workflow_item(id, version, WorkflowItem::Meeting(record), Utc::now())
        .await
        .map_err(Error::from)?
        .ok_or_else(|| Error::NotFound(format!("no meeting record {id}")))?;
    tracing::info!(by = viewer.user.id, meeting = id, "meeting record changed");
    StoredMeeting::of(stored)
        .ok_or_else(|| Refused::Other(Error::Internal("not a meeting record".into())))
}

/// The input a stored record would be typed as (to change some fields).
pub fn meeting_input(r: &MeetingRecord) -> MeetingInput {
    MeetingInput {
        title: r.title.clone(),
        meeting_uid: r
            .meeting
            .as_ref()
            .map_or_else(String::new, |m| m.uid.clone()),
        occurrence: r
            .meeting
            .as_ref()
            .and_then(|m| m.occurrence)
            .map_or_else(String::new, time),
        held_at: time(r.held_at),
        desired_outcome: r.desired_outcome.clone(),
        agenda: r.agenda.clone(),
        pre_read: r.pre_read.clone(),
        timebox_minutes: r
            .timebox_minutes
            .map_or_else(String::new, |t| t.to_string()),
        attendees: r.attendees.clone(),
        summary: r.summary.clone(),
        decisions: r.decisions.clone(),
        action_items: r.action_items.clone(),
    }
}

/// The filter of a record list: `state` (open: no summary yet, summarized;
/// blank for all).
pub fn meeting_filter(state: &str) -> Result<WorkflowFilter, Error> {
    let state = match state.trim() {
        "" => None,
        s @ ("open" | "summarized") => Some(s.to_owned()),
        other => {
            return Err(Error::BadRequest(format!(
                "state: {other:?} is not one of open, summarized"
            )));
        }
    };
    Ok(WorkflowFilter {
        kind: Some(WorkflowKind::Meeting),
        state,
        waits_on: None,
        author: None,
    })
}

/// When a record's summary is due: two business days after the meeting on
/// the `[team]` clock.
pub fn summary_due(
    snapshot: &fulcrum_app::dashboard::Snapshot,
    r: &MeetingRecord,
) -> DateTime<Utc> {
    fulcrum_analysis::workflow::summary_due(r.held_at, &snapshot.team_clock)
}

/// A meeting record as JSON: every field, its checklist (with `limits`),
/// `summary_due` and `summary_missing` (derived at `now`).
pub fn meeting_json(
    id: i64,
    version: i64,
    r: &MeetingRecord,
    snapshot: Option<&fulcrum_app::dashboard::Snapshot>,
    now: DateTime<Utc>,
) -> Value {
    let mut v = json!({
        "id": id,
        "version": version,
        "team": r.team,
        "author": r.author,
        "title": r.title,
        "meeting_uid": r.meeting.as_ref().map(|m| m.uid.clone()),
        "occurrence": r.meeting.as_ref().and_then(|m| m.occurrence).map(time),
        "held_at": time(r.held_at),
        "desired_outcome": r.desired_outcome,
        "agenda": r.agenda,
        "pre_read": r.pre_read,
        "timebox_minutes": r.timebox_minutes,
        "attendees": r.attendees,
        "summary": r.summary,
        "state": r.state(),
        "decisions": r.decisions,
        "action_items": r.action_items.iter().map(|i| json!({
            "text": i.text,
            "owner": if i.owner.is_empty() { Value::Null } else { Value::String(i.owner.clone()) },
            "due": i.due.map(|d| d.to_string()),
            "done": i.done,
        })).collect::<Vec<_>>(),
    });
    if let Some(snap) = snapshot {
        let due = summary_due(snap, r);
        let limits = snap.meeting_limits;
        v["summary_due"] = Value::String(time(due));
        v["summary_missing"] = Value::Bool(r.is_summary_missing(now, due));
        v["checklist"] = r
            .checklist(limits.max_minutes, limits.max_attendees)
            .iter()
            .map(|c| json!({"rule": c.rule.id, "met": c.met, "help": c.rule.help}))
            .collect();
    }
    v
}

// ---- calendar meetings and the records of a proposal -------------------------------

/// The calendar meetings of `team` a record can be attached to, as the
/// viewer may see them (`fulcrum_app::meeting_picker`), read from the
/// store's calendars over `[from, to)` only (a range the picker bounds).
pub async fn calendar_meetings<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    team: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<CalendarMeeting>, Error> {
    let snap = state.snapshot();
    let calendars = state.store.calendars(from, to).await?;
    Ok(pickable_meetings(
        calendars
            .iter()
            .map(|c| (c.owner.as_deref(), c.occurrences.as_slice())),
        &snap,
        team,
        &viewer.user.email,
        from,
        to,
    ))
}

/// The range of `?from=&to=` on the viewer's clock (422 naming the field).
pub fn pick_range_of(
    snap: &fulcrum_app::dashboard::Snapshot,
    viewer: &Viewer,
    from: &str,
    to: &str,
) -> Result<(DateTime<Utc>, DateTime<Utc>), Error> {
    let tz = snap
        .person(&viewer.user.email)
        .map_or(*snap.team_clock.tz(), |p| *p.clock.tz());
    pick_range(from, to, Utc::now(), &tz).map_err(|p| policy::field_problems(&[p]))
}

/// A calendar meeting as JSON: what the picker shows and what picking it
/// fills in (`occurrence` only for an instance of a series; `title` and
/// `attendees` only for a viewer on the meeting).
pub fn calendar_meeting_json(m: &CalendarMeeting) -> Value {
    json!({
        "uid": m.uid,
        "start": time(m.start),
        "end": time(m.end),
        "minutes": m.minutes(),
        "in_series": m.in_series,
        "occurrence": m.occurrence().map(time),
        "organizer": m.organizer,
        "title": m.title,
        "viewer_attends": m.viewer_attends,
        "attendees": m.attendees,
    })
}

/// Each proposal of `team` that a meeting record of the team lists among
/// its decisions, with those records (by id, the oldest first). Reads the team's
/// records a page at a time.
pub async fn records_by_decision<S: Storage + 'static>(
    state: &AppState<S>,
    team: &str,
) -> Result<std::collections::BTreeMap<i64, Vec<LinkedRecord>>, Error> {
    let mut out: std::collections::BTreeMap<i64, Vec<LinkedRecord>> =
        std::collections::BTreeMap::new();
    let filter = meeting_filter("")?;
    let mut offset = 0;
    loop {
        let page = fulcrum_store::Page {
            offset,
            limit: fulcrum_store::Page::MAX_LIMIT,
        };
        let rows = state
            .workflow_items(team.to_owned(), filter.clone(), page)
            .await?;
        let n = rows.len() as u32;
        for m in rows.into_iter().filter_map(StoredMeeting::of) {
            for d in &m.record.decisions {
                out.entry(*d).or_default().push(LinkedRecord {
                    id: m.id,
                    title: m.record.title.clone(),
                    held_at: m.record.held_at,
                });
            }
        }
        if n < page.limit {
            break;
        }
        offset += n;
    }
    for records in out.values_mut() {
        records.sort_by_key(|r| r.id);
        records.dedup_by_key(|r| r.id);
    }
    Ok(out)
}

/// A meeting record that lists a proposal among its decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedRecord {
    /// The record's id.
    pub id: i64,
    /// Its meeting's name.
    pub title: String,
    /// When it was held.
    pub held_at: DateTime<Utc>,
}

/// A proposal as JSON ([`decision_json`]) with its `route` (`{mode,
/// format}` of its decision type under the team's policy, or null) and the
/// `meeting_records` that list it among their decisions.
pub fn decision_json_linked(
    id: i64,
    version: i64,
    d: &Decision,
    snap: &fulcrum_app::dashboard::Snapshot,
    records: &[LinkedRecord],
) -> Value {
    let mut v = decision_json(id, version, d);
    v["route"] = match decision_route(snap, d) {
        Some(r) => json!({"mode": r.mode.as_str(), "format": r.format}),
        None => Value::Null,
    };
    v["meeting_records"] = json!(records.iter().map(|r| r.id).collect::<Vec<_>>());
    v
}

/// [`decision_json_linked`] of one proposal, its records read from the store.
pub async fn decision_json_of<S: Storage + 'static>(
    state: &AppState<S>,
    d: &StoredDecision,
) -> Result<Value, Error> {
    let records = records_by_decision(state, &d.decision.team).await?;
    Ok(decision_json_linked(
        d.id,
        d.version,
        &d.decision,
        &state.snapshot(),
        records.get(&d.id).map_or(&[][..], Vec::as_slice),
    ))
}

// ---- incidents -----------------------------------------------------------------

/// An incident as stored, with its id and version.
pub struct StoredIncident {
    /// The id.
    pub id: i64,
    /// The version a change must name.
    pub version: i64,
    /// The incident.
    pub incident: Incident,
}

impl StoredIncident {
    /// The incident of a stored object; `None` for another kind.
    pub fn of(item: StoredWorkflowItem) -> Option<StoredIncident> {
        match item.item {
            WorkflowItem::Incident(incident) => Some(StoredIncident {
                id: item.id,
                version: item.version,
                incident,
            }),
            WorkflowItem::Ask(_)
            | WorkflowItem::Decision(_)
            | WorkflowItem::Meeting(_)
            | WorkflowItem::Update(_)
            | WorkflowItem::Pulse(_) => None,
        }
    }
}

/// Incident `id` if the viewer may see its team (404 otherwise, and for an
/// id that is not an incident).
pub async fn incident<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    id: i64,
) -> Result<StoredIncident, Error> {
    let item = policy::workflow_item(state, &viewer.user, id).await?;
    StoredIncident::of(item).ok_or_else(|| Error::NotFound(format!("no incident {id}")))
}

/// Opens an incident of the viewer's in `team` (a team they may see).
pub async fn create_incident<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    team: &str,
    input: &IncidentInput,
) -> Result<StoredIncident, Refused> {
    let team = policy::team_for(&viewer.user, &state.snapshot(), team)?
        .name
        .clone();
    let now = Utc::now();
    let incident = new_incident(&viewer.user.email, &team, input, now).map_err(Refused::Fields)?;
    let stored = state
        .create_workflow_item(WorkflowItem::Incident(incident), now)
        .await
        .map_err(Error::from)?;
    tracing::info!(by = viewer.user.id, incident = stored.id, "incident opened");
    StoredIncident::of(stored)
        .ok_or_else(|| Refused::Other(Error::Internal("not an incident".into())))
}

/// A change to an incident (whoever sees its team may make it: the call is
/// everyone's).
pub enum IncidentChange {
    /// It is over.
    Resolve,
    /// The written review: timeline, cause, follow-ups.
    Review {
        /// What happened when.
        timeline: String,
        /// Why.
        cause: String,
        /// What is done so it does not happen again.
        follow_ups: String,
    },
}

/// Applies `change` to incident `id` as read at `version`: 404 for an
/// incident the viewer may not see, 409 when someone changed it since
/// `version` or its state does not allow the change (resolving twice, a
/// review before it is resolved), 422 naming each blank or too long part
/// of a review.
pub async fn change_incident<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    id: i64,
    version: i64,
    change: IncidentChange,
) -> Result<StoredIncident, Error> {
    let current = incident(state, viewer, id).await?;
    if current.version != version {
        return Err(fulcrum_store::StoreError::Stale {
            what: format!("incident {id}"),
            current: current.version,
        }
        .into());
    }
    let mut i = current.incident;
    let now = Utc::now();
    let taken = match change {
        IncidentChange::Resolve => i.resolve(Resolution {
            by: viewer.user.email.clone(),
            at: now,
        }),
        IncidentChange::Review {
            timeline,
            cause,
            follow_ups,
        } => i.write_review(IncidentReview {
            timeline: timeline.trim().to_owned(),
            cause: cause.trim().to_owned(),
            follow_ups: follow_ups.trim().to_owned(),
            by: viewer.user.email.clone(),
            at: now,
        }),
    };
    match taken {
        Ok(()) => {}
        Err(TakeError::State(e)) => return Err(Error::Conflict(e.0)),
        Err(TakeError::Invalid(p)) => return Err(policy::field_problems(&p)),
    }
    let stored = state
        .update_workflow_item(id, version, WorkflowItem::Incident(i), now)
        .await?
        .ok_or_else(|| Error::NotFound(format!("no incident {id}")))?;
    tracing::info!(by = viewer.user.id, incident = id, "incident changed");
    StoredIncident::of(stored).ok_or_else(|| Error::Internal("not an incident".into()))
}

/// The filter of an incident list: `state` (open, resolved, reviewed;
/// blank for all).
pub fn incident_filter(state: &str) -> Result<WorkflowFilter, Error> {
    let state = match state.trim() {
        "" => None,
        s @ ("open" | "resolved" | "reviewed") => Some(s.to_owned()),
        other => {
            return Err(Error::BadRequest(format!(
                "state: {other:?} is not one of open, resolved, reviewed"
            )));
        }
    };
    Ok(WorkflowFilter {
        kind: Some(WorkflowKind::Incident),
        state,
        waits_on: None,
        author: None,
    })
}

/// When a resolved incident's review is due: `[policy]
/// incident_review_business_days` after its resolution on the `[team]`
/// clock; `None` while it is open.
pub fn review_due(
    snapshot: &fulcrum_app::dashboard::Snapshot,
    i: &Incident,
) -> Option<DateTime<Utc>> {
    i.resolved.as_ref().map(|r| {
        fulcrum_analysis::workflow::review_due(
            r.at,
            snapshot.incident_review_business_days,
            &snapshot.team_clock,
        )
    })
}

/// Whether a resolved incident's review is overdue at `now` (derived).
pub fn review_overdue(
    snapshot: &fulcrum_app::dashboard::Snapshot,
    i: &Incident,
    now: DateTime<Utc>,
) -> bool {
    review_due(snapshot, i).is_some_and(|due| i.is_review_overdue(now, due))
}

/// An incident as JSON: every field, and with the snapshot its
/// `review_due` and `review_overdue` (derived at `now`).
pub fn incident_json(
    id: i64,
    version: i64,
    i: &Incident,
    snapshot: Option<&fulcrum_app::dashboard::Snapshot>,
    now: DateTime<Utc>,
) -> Value {
    let mut v = json!({
        "id": id,
        "version": version,
        "team": i.team,
        "author": i.author,
        "title": i.title,
        "severity": i.severity.as_str(),
        "description": i.description,
        "opened_at": time(i.opened_at),
        "state": i.state(),
        "resolved": i.resolved.as_ref().map(|r| json!({"by": r.by, "at": time(r.at)})),
        "review": i.review.as_ref().map(|r| json!({
            "timeline": r.timeline,
            "cause": r.cause,
            "follow_ups": r.follow_ups,
            "by": r.by,
            "at": time(r.at),
        })),
    });
    if let Some(snap) = snapshot {
        v["review_due"] = review_due(snap, i).map_or(Value::Null, |t| Value::String(time(t)));
        v["review_overdue"] = Value::Bool(review_overdue(snap, i, now));
    }
    v
}

// ---- written updates -----------------------------------------------------------

/// A written update as JSON (as stored: its period, cadence and answers in
/// the template's order).
pub fn update_json(id: i64, version: i64, u: &Update) -> Value {
    json!({
        "id": id,
        "version": version,
        "team": u.team,
        "author": u.author,
        "state": "written",
        "cadence": u.cadence.as_str(),
        "period": u.period.to_string(),
        "answers": u
            .answers
            .iter()
            .map(|a| json!({"question": a.question, "text": a.text}))
            .collect::<Vec<_>>(),
        "has_blockers": u.blockers().is_some(),
        "written_at": time(u.written_at),
    })
}

/// A written update as stored, with its id and version.
pub struct StoredUpdate {
    /// The id.
    pub id: i64,
    /// The version an edit must name.
    pub version: i64,
    /// The update.
    pub update: Update,
}

impl StoredUpdate {
    /// The update of a stored object; `None` for another kind.
    pub fn of(item: StoredWorkflowItem) -> Option<StoredUpdate> {
        match item.item {
            WorkflowItem::Update(update) => Some(StoredUpdate {
                id: item.id,
                version: item.version,
                update,
            }),
            WorkflowItem::Ask(_)
            | WorkflowItem::Decision(_)
            | WorkflowItem::Meeting(_)
            | WorkflowItem::Incident(_)
            | WorkflowItem::Pulse(_) => None,
        }
    }
}

/// Written update `id` if the viewer may see its team (404 otherwise, and
/// for an id that is not an update).
pub async fn update<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    id: i64,
) -> Result<StoredUpdate, Error> {
    let item = policy::workflow_item(state, &viewer.user, id).await?;
    StoredUpdate::of(item).ok_or_else(|| Error::NotFound(format!("no written update {id}")))
}

/// The team's written updates, newest first (the store's largest page:
/// every current round and the recent ones before it), optionally of one
/// author only.
pub async fn team_updates<S: Storage + 'static>(
    state: &AppState<S>,
    team: &str,
    author: Option<&str>,
) -> Result<Vec<StoredUpdate>, Error> {
    Ok(state
        .workflow_items(
            team.to_owned(),
            WorkflowFilter {
                kind: Some(WorkflowKind::Update),
                state: None,
                waits_on: None,
                author: author.map(str::to_owned),
            },
            fulcrum_store::Page {
                offset: 0,
                limit: fulcrum_store::Page::MAX_LIMIT,
            },
        )
        .await?
        .into_iter()
        .filter_map(StoredUpdate::of)
        .collect())
}

/// One person's place in a round, with the id and version of their update
/// when it is written.
pub struct RoundRow {
    /// The round's entry.
    pub entry: RoundEntry,
    /// The stored update's id and version, when written.
    pub stored: Option<(i64, i64)>,
}

impl RoundRow {
    /// Its state in words: `written`, `missing` or `not due`.
    pub fn state(&self) -> &'static str {
        if self.entry.update.is_some() {
            "written"
        } else if self.entry.missing {
            "missing"
        } else {
            "not due"
        }
    }
}

/// The round of `team` at `now` (each person's current period, or the
/// given `period` for everyone), in `update_round`'s order: blockers
/// first, the other written ones, the missing, those not yet due.
pub async fn round<S: Storage + 'static>(
    state: &AppState<S>,
    team: &str,
    period: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<Vec<RoundRow>, Error> {
    let snap = state.snapshot();
    let stored = team_updates(state, team, None).await?;
    let updates: Vec<Update> = stored.iter().map(|s| s.update.clone()).collect();
    let entries = match period {
        Some(p) => update_round_of(&snap, team, &updates, p, now),
        None => update_round(&snap, team, &updates, now),
    };
    Ok(entries
        .into_iter()
        .map(|entry| {
            let stored = entry.update.as_ref().and_then(|u| {
                stored
                    .iter()
                    .find(|s| s.update.author == u.author && s.update.period == u.period)
                    .map(|s| (s.id, s.version))
            });
            RoundRow { entry, stored }
        })
        .collect())
}

/// 403 unless the viewer writes updates in `team`: a person on the people
/// list, in that team (a lead or administrator of another team reads its
/// updates and writes none). 404 for a team that does not exist, 403 for
/// one they may not see.
pub fn require_update_writer(
    viewer: &Viewer,
    snapshot: &fulcrum_app::dashboard::Snapshot,
    team: &str,
) -> Result<String, Error> {
    let team = policy::team_for(&viewer.user, snapshot, team)?.name.clone();
    match snapshot.person(&viewer.user.email) {
        Some(p) if p.team == team => Ok(team),
        _ => Err(Error::Forbidden(format!(
            "only the people of team {team} on the people list write its updates, each their own"
        ))),
    }
}

/// The viewer's update of their current period in `team`, when written.
pub async fn own_update<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    team: &str,
    now: DateTime<Utc>,
) -> Result<Option<StoredUpdate>, Error> {
    let snap = state.snapshot();
    let period = fulcrum_app::workflow::update_period(&snap, &viewer.user.email, now);
    let email = viewer.user.email.trim().to_lowercase();
    Ok(team_updates(state, team, Some(&email))
        .await?
        .into_iter()
        .find(|s| s.update.period == period && s.update.author == email))
}

/// Writes the viewer's update of their current period in `team` from
/// `input`: a new one when `version` is `None` and none is written yet,
/// else an edit of the one written, as read at `version`. 403 for someone
/// who does not write in the team, 409 when one exists and no version is
/// named, when the version named is not the stored one (someone changed
/// it in between) or names an update that does not exist in this period,
/// 422 naming each bad answer. Returns the update and whether it is new.
pub async fn write_update<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    team: &str,
    input: &UpdateInput,
    version: Option<i64>,
) -> Result<(StoredUpdate, bool), Refused> {
    let snap = state.snapshot();
    let team = require_update_writer(viewer, &snap, team)?;
    let now = Utc::now();
    let written =
        new_update(&snap, &viewer.user.email, &team, input, now).map_err(Refused::Fields)?;
    let existing = own_update(state, viewer, &team, now).await?;
    match (existing, version) {
        (None, None) => {
            let stored = state
                .create_workflow_item(WorkflowItem::Update(written), now)
                .await
                .map_err(Error::from)?;
            tracing::info!(by = viewer.user.id, update = stored.id, "update written");
            let u = StoredUpdate::of(stored)
                .ok_or_else(|| Refused::Other(Error::Internal("not an update".into())))?;
            Ok((u, true))
        }
        (None, Some(_)) => Err(Refused::Other(Error::Conflict(format!(
            "you have no update for the period of {} to edit; write it again without a version",
            written.period
        )))),
        (Some(current), v) if v != Some(current.version) => Err(Refused::Other(
            fulcrum_store::StoreError::Stale {
                what: format!("update {}", current.id),
                current: current.version,
            }
            .into(),
        )),
        (Some(current), _) => {
            let mut u = current.update;
            u.edit(written.answers, now, &snap.update_rules.questions)
                .map_err(Refused::Fields)?;
            let stored = state
                .update_workflow_item(current.id, current.version, WorkflowItem::Update(u), now)
                .await
                .map_err(Error::from)?
                .ok_or_else(|| Error::NotFound(format!("no written update {}", current.id)))?;
            tracing::info!(by = viewer.user.id, update = current.id, "update edited");
            let u = StoredUpdate::of(stored)
                .ok_or_else(|| Refused::Other(Error::Internal("not an update".into())))?;
            Ok((u, false))
        }
    }
}

/// When `u` was due: the start of its author's first working day of its
/// period on their clock (`None` when the period has none).
pub fn update_due(
    snapshot: &fulcrum_app::dashboard::Snapshot,
    u: &Update,
) -> Option<DateTime<Utc>> {
    let clock = snapshot
        .person(&u.author)
        .map_or(&snapshot.team_clock, |p| &p.clock);
    fulcrum_analysis::workflow::update_due(u.period, u.cadence, clock)
}

/// A round as JSON: each person with their period, due time (UTC),
/// state, `missing`, and their update when written.
pub fn round_json(rows: &[RoundRow]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "person": r.entry.email,
                    "period": r.entry.period.to_string(),
                    "due": r.entry.due.map(time),
                    "state": r.state(),
                    "missing": r.entry.missing,
                    "update": match (&r.entry.update, r.stored) {
                        (Some(u), Some((id, version))) => update_json(id, version, u),
                        _ => Value::Null,
                    },
                })
            })
            .collect(),
    )
}

// ---- the pulse ----------------------------------------------------------------

/// A pulse response as stored, with its id and version.
pub struct StoredPulse {
    /// The id.
    pub id: i64,
    /// The version an edit must name.
    pub version: i64,
    /// The response.
    pub response: PulseResponse,
}

impl StoredPulse {
    /// The pulse response of a stored object; `None` for another kind.
    pub fn of(item: StoredWorkflowItem) -> Option<StoredPulse> {
        match item.item {
            WorkflowItem::Pulse(response) => Some(StoredPulse {
                id: item.id,
                version: item.version,
                response,
            }),
            WorkflowItem::Ask(_)
            | WorkflowItem::Decision(_)
            | WorkflowItem::Meeting(_)
            | WorkflowItem::Incident(_)
            | WorkflowItem::Update(_) => None,
        }
    }
}

/// Every pulse response of `team` (or only `author`'s), newest first, read
/// page by page.
async fn pulses<S: Storage + 'static>(
    state: &AppState<S>,
    team: &str,
    author: Option<&str>,
) -> Result<Vec<StoredPulse>, Error> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = state
            .workflow_items(
                team.to_owned(),
                WorkflowFilter {
                    kind: Some(WorkflowKind::Pulse),
                    state: None,
                    waits_on: None,
                    author: author.map(str::to_owned),
                },
                Page {
                    offset,
                    limit: Page::MAX_LIMIT,
                },
            )
            .await?;
        let full = page.len() as u32 == Page::MAX_LIMIT;
        out.extend(page.into_iter().filter_map(StoredPulse::of));
        if !full {
            break;
        }
        offset += Page::MAX_LIMIT;
    }
    out.sort_by_key(|p| std::cmp::Reverse(p.response.week));
    Ok(out)
}

/// The viewer's own pulse responses in `team`, newest week first.
pub async fn own_pulses<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    team: &str,
) -> Result<Vec<StoredPulse>, Error> {
    pulses(state, team, Some(&viewer.user.email)).await
}

/// The pulse of `team` by week as its viewers may see it: only the
/// (week, question) pairs at least `[policy] min_group_size` people
/// answered; never who answered. The caller has checked that the viewer
/// sees the team.
pub async fn team_pulse<S: Storage + 'static>(
    state: &AppState<S>,
    snapshot: &fulcrum_app::dashboard::Snapshot,
    team: &str,
) -> Result<Vec<WeekSummary>, Error> {
    let responses: Vec<PulseResponse> = pulses(state, team, None)
        .await?
        .into_iter()
        .map(|p| p.response)
        .collect();
    Ok(fulcrum_app::pulse::team_pulse(snapshot, &responses))
}

/// The viewer answers `team`'s pulse for their current week: a new
/// response (`created`), or, when they have answered this week already,
/// an edit of it from `version`. 404 or 403 for a team they may not see,
/// 403 unless they are a member of the team on the people list, 422
/// naming each bad score, 409 when they answered this week already and
/// `version` is not the current one (or is missing).
pub async fn answer_pulse<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    team: &str,
    input: &PulseInput,
    version: Option<i64>,
) -> Result<(StoredPulse, bool), Refused> {
    let snap = state.snapshot();
    let team = policy::team_for(&viewer.user, &snap, team)?.name.clone();
    if !policy::may_answer_pulse(&viewer.user, &snap, &team) {
        return Err(Refused::Other(Error::Forbidden(format!(
            "only a member of team {team:?} on the people list answers its pulse"
        ))));
    }
    let now = Utc::now();
    let response =
        new_pulse(&snap, &viewer.user.email, &team, input, now).map_err(Refused::Fields)?;
    let existing = own_pulses(state, viewer, &team)
        .await?
        .into_iter()
        .find(|p| p.response.week == response.week);
    let Some(current) = existing else {
        let stored = state
            .create_workflow_item(WorkflowItem::Pulse(response), now)
            .await
            .map_err(Error::from)?;
        tracing::info!(by = viewer.user.id, "pulse answered");
        let stored = StoredPulse::of(stored)
            .ok_or_else(|| Refused::Other(Error::Internal("not a pulse response".into())))?;
        return Ok((stored, true));
    };
    if version != Some(current.version) {
        return Err(Refused::Other(
            fulcrum_store::StoreError::Stale {
                what: format!("your pulse of the week of {}", current.response.week),
                current: current.version,
            }
            .into(),
        ));
    }
    let mut edited = current.response;
    edited
        .edit(response.answers, now, &snap.pulse_rules.questions)
        .map_err(Refused::Fields)?;
    let stored = state
        .update_workflow_item(
            current.id,
            current.version,
            WorkflowItem::Pulse(edited),
            now,
        )
        .await
        .map_err(Error::from)?
        .ok_or_else(|| Error::NotFound("your pulse response is gone".into()))?;
    tracing::info!(by = viewer.user.id, "pulse answer changed");
    let stored = StoredPulse::of(stored)
        .ok_or_else(|| Refused::Other(Error::Internal("not a pulse response".into())))?;
    Ok((stored, false))
}

/// A mean as shown: two decimals.
pub fn mean_2dp(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One person's pulse response as JSON: only ever given to its author.
pub fn pulse_json(id: i64, version: i64, p: &PulseResponse) -> Value {
    json!({
        "id": id,
        "version": version,
        "team": p.team,
        "author": p.author,
        "state": "answered",
        "week": p.week.to_string(),
        "answers": p
            .answers
            .iter()
            .map(|a| json!({"question": a.question, "score": a.score}))
            .collect::<Vec<_>>(),
        "morale": p.morale().map(mean_2dp),
        "answered_at": time(p.answered_at),
    })
}

/// A team's pulse aggregates as JSON: by week, newest first, each
/// question with its respondents, mean (two decimals) and distribution
/// (how many gave 1, 2, 3, 4, 5); nothing below `min_group_size`.
pub fn pulse_summary_json(weeks: &[WeekSummary], min_group_size: u32) -> Value {
    json!({
        "min_group_size": min_group_size,
        "weeks": weeks
            .iter()
            .map(|w| json!({
                "week": w.week.to_string(),
                "questions": w
                    .questions
                    .iter()
                    .map(|q| json!({
                        "question": q.question,
                        "respondents": q.respondents,
                        "mean": mean_2dp(q.mean),
                        "distribution": q.distribution,
                    }))
                    .collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>(),
    })
}
