//! What waits on whom: `GET /waits[?team=NAME]`, a team's open asks by
//! answer-by time (overdue first), the blockers of its latest round of
//! written updates, proposals closing soon, meeting records
//! missing their summary and incidents with their review overdue, each
//! linked to its page; and the "What waits on you" part of `GET /me` (their
//! own written update when it is due or missing, the open asks to the
//! viewer and to their team, the proposals closing soon they have taken no
//! stance on, their action items not done, the
//! incident reviews they owe).
//!
//! Every list is read with the store's workflow query and every late mark
//! is the model's derived state (overdue, summary missing, review
//! overdue, update missing): nothing here judges a time a second way.

use super::chrome::{Nav, chosen_team, local_time, nav, render, url_component, viewer_zone};
use crate::error::Error;
use crate::http::{ApiQuery, PageAuth};
use crate::policy;
use crate::state::AppState;
use crate::workflow::{self, StoredAsk, StoredDecision, StoredIncident, StoredMeeting};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use fulcrum_app::dashboard::Snapshot;
use fulcrum_model::workflow::Recipient;
use fulcrum_store::{Page, Storage, StoredWorkflowItem, WorkflowFilter, WorkflowKind};
use serde::Deserialize;

/// A proposal "closes soon" when it is still open and closes within this
/// many days (or its closing time has passed without an outcome).
pub(crate) const CLOSING_SOON_DAYS: i64 = 7;

/// One line of a "waits" list: what, on whom, by when, and its page.
pub(crate) struct WaitRow {
    /// The object's page.
    pub href: String,
    /// Its title (or what an ask needs).
    pub what: String,
    /// Who it waits on, in words.
    pub who: String,
    /// The time it waits for, on the viewer's clock.
    pub when: String,
    /// The derived late state in words ("overdue", "summary missing",
    /// "review overdue"), empty when not late.
    pub late: &'static str,
    /// Sort key: the time it waits for.
    due: Option<DateTime<Utc>>,
}

impl WaitRow {
    /// As JSON: `href`, `what`, `who`, `due` (UTC, or null) and `late`
    /// (the derived state in words, or null).
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "href": self.href,
            "what": self.what,
            "who": self.who,
            "due": self
                .due
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            "late": (!self.late.is_empty()).then_some(self.late),
        })
    }
}

fn rows_json(rows: &[WaitRow]) -> serde_json::Value {
    serde_json::Value::Array(rows.iter().map(WaitRow::json).collect())
}

impl TeamWaits {
    /// As JSON, one array per list.
    pub(crate) fn json(&self, team: &str) -> serde_json::Value {
        serde_json::json!({
            "team": team,
            "asks": rows_json(&self.asks),
            "blockers": rows_json(&self.blockers),
            "proposals": rows_json(&self.proposals),
            "meetings": rows_json(&self.meetings),
            "incidents": rows_json(&self.incidents),
        })
    }
}

impl MyWaits {
    /// As JSON, one array per list of [`MyWaits::sections`].
    pub(crate) fn json(&self, team: &str) -> serde_json::Value {
        let mut v = serde_json::json!({ "team": team });
        for s in self.sections() {
            v[s.key] = rows_json(s.rows);
        }
        v
    }
}

/// One list of what waits on a person, as the API, the digest and the
/// calendar feed show it.
pub(crate) struct Section<'w> {
    /// Its key in the JSON of `/api/v1/me/waits`.
    pub key: &'static str,
    /// Its heading in the digest.
    pub heading: &'static str,
    /// The words a calendar event of it starts with.
    pub label: &'static str,
    /// Its rows.
    pub rows: &'w [WaitRow],
}

impl MyWaits {
    /// Every list, in order: the one place a list of [`MyWaits`] is
    /// named, so a list added here reaches the API, the digest and the
    /// calendar feed together.
    pub(crate) fn sections(&self) -> [Section<'_>; 5] {
        [
            Section {
                key: "update",
                heading: "Your written update",
                label: "Update due",
                rows: &self.update,
            },
            Section {
                key: "asks",
                heading: "Asks waiting on you",
                label: "Answer",
                rows: &self.asks,
            },
            Section {
                key: "proposals",
                heading: "Proposals closing without your stance",
                label: "Proposal closes",
                rows: &self.proposals,
            },
            Section {
                key: "actions",
                heading: "Your action items",
                label: "Action item due",
                rows: &self.actions,
            },
            Section {
                key: "reviews",
                heading: "Incident reviews you owe",
                label: "Incident review due",
                rows: &self.reviews,
            },
        ]
    }

    /// The time a row waits for (UTC).
    pub(crate) fn due_of(row: &WaitRow) -> Option<DateTime<Utc>> {
        row.due
    }
}

/// Late rows first, then by time (rows without a time last).
fn sort_rows(rows: &mut [WaitRow]) {
    rows.sort_by_key(|r| (r.late.is_empty(), r.due.is_none(), r.due));
}

/// The first characters of a text, on one line.
fn short(text: &str, max: usize) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        line
    } else {
        format!("{}…", line.chars().take(max).collect::<String>())
    }
}

fn same_person(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Every object of one kind and state of a team (the store's workflow
/// query, up to its largest page).
async fn items<S: Storage + 'static>(
    state: &AppState<S>,
    team: &str,
    kind: WorkflowKind,
    item_state: &str,
    waits_on: Option<&str>,
) -> Result<Vec<StoredWorkflowItem>, Error> {
    Ok(state
        .workflow_items(
            team.to_owned(),
            WorkflowFilter {
                kind: Some(kind),
                state: Some(item_state.to_owned()),
                waits_on: waits_on.map(str::to_owned),
                author: None,
            },
            Page {
                offset: 0,
                limit: Page::MAX_LIMIT,
            },
        )
        .await?)
}

fn ask_row(a: &StoredAsk, zone: Tz, now: DateTime<Utc>) -> WaitRow {
    let ask = &a.ask;
    WaitRow {
        href: format!("/asks/{}", a.id),
        what: short(
            if ask.needed.is_empty() {
                &ask.context
            } else {
                &ask.needed
            },
            120,
        ),
        who: match &ask.to {
            Recipient::Person(p) => p.clone(),
            Recipient::Team => "the team".to_owned(),
        },
        when: ask
            .due
            .map_or_else(|| "no answer-by time".to_owned(), |t| local_time(t, zone)),
        late: if ask.is_overdue(now) { "overdue" } else { "" },
        due: ask.due,
    }
}

fn decision_row(d: &StoredDecision, zone: Tz, now: DateTime<Utc>) -> WaitRow {
    let dec = &d.decision;
    WaitRow {
        href: format!("/decisions/{}", d.id),
        what: dec.title.clone(),
        who: dec.author.clone(),
        when: local_time(dec.closes_at, zone),
        late: if dec.is_past_closing(now) {
            "closing time passed"
        } else {
            ""
        },
        due: Some(dec.closes_at),
    }
}

fn closes_soon(d: &StoredDecision, now: DateTime<Utc>) -> bool {
    d.decision.closes_at <= now + Duration::days(CLOSING_SOON_DAYS)
}

/// What waits on whom in one team.
pub(crate) struct TeamWaits {
    /// Open asks, overdue first, then by answer-by time.
    pub asks: Vec<WaitRow>,
    /// Blockers named in the team's latest written updates.
    pub blockers: Vec<WaitRow>,
    /// Open proposals closing soon, by closing time.
    pub proposals: Vec<WaitRow>,
    /// Meeting records whose summary is missing.
    pub meetings: Vec<WaitRow>,
    /// Resolved incidents whose review is overdue.
    pub incidents: Vec<WaitRow>,
}

/// The non-blank blockers of the team's latest round of written updates
/// (each person's current period), each linked to its update, with its
/// author; in the round's order (by author).
async fn update_blockers<S: Storage + 'static>(
    state: &AppState<S>,
    team: &str,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<Vec<WaitRow>, Error> {
    Ok(workflow::round(state, team, None, now)
        .await?
        .into_iter()
        .filter_map(|r| {
            let (id, _) = r.stored?;
            let u = r.entry.update?;
            let blockers = u.blockers()?;
            Some(WaitRow {
                href: format!("/updates/{id}"),
                what: short(blockers, 120),
                who: u.author.clone(),
                when: format!("written {}", local_time(u.written_at, zone)),
                late: "",
                due: None,
            })
        })
        .collect())
}

/// The viewer's own update of their current period in `team`, when it is
/// not written and has a due time: "due" (not yet) or "missing" (past its
/// due time), linked to the form.
async fn own_update_row<S: Storage + 'static>(
    state: &AppState<S>,
    snap: &Snapshot,
    team: &str,
    email: &str,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<Vec<WaitRow>, Error> {
    let email = email.trim().to_lowercase();
    if snap.person(&email).is_none_or(|p| p.team != team) {
        return Ok(Vec::new());
    }
    // A team that has never written an update does not keep the habit:
    // nobody is reminded of one (the round page still lists everyone).
    let updates: Vec<fulcrum_model::workflow::Update> = workflow::team_updates(state, team, None)
        .await?
        .into_iter()
        .map(|s| s.update)
        .collect();
    if updates.is_empty() {
        return Ok(Vec::new());
    }
    let Some(entry) = fulcrum_app::workflow::update_round(snap, team, &updates, now)
        .into_iter()
        .find(|e| e.email == email)
    else {
        return Ok(Vec::new());
    };
    let (Some(due), None) = (entry.due, &entry.update) else {
        return Ok(Vec::new());
    };
    Ok(vec![WaitRow {
        href: format!("/updates/new?team={}", url_component(team)),
        what: format!(
            "Your update for {}",
            super::updates::period_words(snap.update_rules.cadence, entry.period)
        ),
        who: email,
        when: local_time(due, zone),
        late: if entry.missing { "missing" } else { "" },
        due: Some(due),
    }])
}

/// What waits on whom in `team`, times on `zone`.
pub(crate) async fn team_waits<S: Storage + 'static>(
    state: &AppState<S>,
    snap: &Snapshot,
    team: &str,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<TeamWaits, Error> {
    let mut asks: Vec<WaitRow> = items(state, team, WorkflowKind::Ask, "open", None)
        .await?
        .into_iter()
        .filter_map(StoredAsk::of)
        .map(|a| ask_row(&a, zone, now))
        .collect();
    sort_rows(&mut asks);
    let mut proposals: Vec<WaitRow> = items(state, team, WorkflowKind::Decision, "open", None)
        .await?
        .into_iter()
        .filter_map(StoredDecision::of)
        .filter(|d| closes_soon(d, now))
        .map(|d| decision_row(&d, zone, now))
        .collect();
    sort_rows(&mut proposals);
    let mut meetings = Vec::new();
    for m in items(state, team, WorkflowKind::Meeting, "open", None)
        .await?
        .into_iter()
        .filter_map(StoredMeeting::of)
    {
        let due = workflow::summary_due(snap, &m.record);
        if m.record.is_summary_missing(now, due) {
            meetings.push(WaitRow {
                href: format!("/meetings/{}", m.id),
                what: m.record.title.clone(),
                who: m.record.author.clone(),
                when: local_time(due, zone),
                late: "summary missing",
                due: Some(due),
            });
        }
    }
    sort_rows(&mut meetings);
    let mut incidents = Vec::new();
    for i in items(state, team, WorkflowKind::Incident, "resolved", None)
        .await?
        .into_iter()
        .filter_map(StoredIncident::of)
    {
        if workflow::review_overdue(snap, &i.incident, now) {
            let due = workflow::review_due(snap, &i.incident);
            incidents.push(WaitRow {
                href: format!("/incidents/{}", i.id),
                what: i.incident.title.clone(),
                who: i.incident.author.clone(),
                when: due.map_or_else(String::new, |t| local_time(t, zone)),
                late: "review overdue",
                due,
            });
        }
    }
    sort_rows(&mut incidents);
    Ok(TeamWaits {
        asks,
        blockers: update_blockers(state, team, zone, now).await?,
        proposals,
        meetings,
        incidents,
    })
}

/// What waits on one person in their team.
pub(crate) struct MyWaits {
    /// Their own written update of the current period, when it is due or
    /// missing (not written yet).
    pub update: Vec<WaitRow>,
    /// Open asks to them and to their team, overdue first.
    pub asks: Vec<WaitRow>,
    /// Open proposals closing soon they have taken no stance on.
    pub proposals: Vec<WaitRow>,
    /// Action items of meeting records they own, not done.
    pub actions: Vec<WaitRow>,
    /// Resolved incidents they opened whose review is not written yet.
    pub reviews: Vec<WaitRow>,
}

/// What waits on `email` in `team`, times on `zone`.
pub(crate) async fn my_waits<S: Storage + 'static>(
    state: &AppState<S>,
    snap: &Snapshot,
    team: &str,
    email: &str,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<MyWaits, Error> {
    let mut asks: Vec<WaitRow> = items(state, team, WorkflowKind::Ask, "open", None)
        .await?
        .into_iter()
        .filter_map(StoredAsk::of)
        .filter(|a| match &a.ask.to {
            Recipient::Person(p) => same_person(p, email),
            Recipient::Team => !same_person(&a.ask.author, email),
        })
        .map(|a| ask_row(&a, zone, now))
        .collect();
    sort_rows(&mut asks);
    let mut proposals: Vec<WaitRow> = items(state, team, WorkflowKind::Decision, "open", None)
        .await?
        .into_iter()
        .filter_map(StoredDecision::of)
        .filter(|d| closes_soon(d, now))
        .filter(|d| {
            !d.decision
                .stances
                .iter()
                .any(|s| same_person(&s.person, email))
        })
        .map(|d| decision_row(&d, zone, now))
        .collect();
    sort_rows(&mut proposals);
    let mut actions = Vec::new();
    for kind_state in ["open", "summarized"] {
        for m in items(state, team, WorkflowKind::Meeting, kind_state, None)
            .await?
            .into_iter()
            .filter_map(StoredMeeting::of)
        {
            for a in &m.record.action_items {
                if a.done || !same_person(&a.owner, email) {
                    continue;
                }
                actions.push(WaitRow {
                    href: format!("/meetings/{}", m.id),
                    what: format!("{} ({})", short(&a.text, 120), m.record.title),
                    who: a.owner.clone(),
                    when: a
                        .due
                        .map_or_else(|| "no due date".to_owned(), |d| d.to_string()),
                    late: "",
                    due: a
                        .due
                        .and_then(|d| d.and_hms_opt(0, 0, 0))
                        .map(|t| t.and_utc()),
                });
            }
        }
    }
    sort_rows(&mut actions);
    let mut reviews = Vec::new();
    for i in items(state, team, WorkflowKind::Incident, "resolved", Some(email))
        .await?
        .into_iter()
        .filter_map(StoredIncident::of)
    {
        let due = workflow::review_due(snap, &i.incident);
        reviews.push(WaitRow {
            href: format!("/incidents/{}", i.id),
            what: i.incident.title.clone(),
            who: i.incident.author.clone(),
            when: due.map_or_else(String::new, |t| local_time(t, zone)),
            late: if workflow::review_overdue(snap, &i.incident, now) {
                "review overdue"
            } else {
                ""
            },
            due,
        });
    }
    sort_rows(&mut reviews);
    Ok(MyWaits {
        update: own_update_row(state, snap, team, email, zone, now).await?,
        asks,
        proposals,
        actions,
        reviews,
    })
}

#[derive(Template)]
#[template(path = "waits.html")]
struct WaitsPage {
    nav: Option<Nav>,
    teams: Vec<String>,
    team: String,
    team_q: String,
    soon_days: i64,
    waits: Option<TeamWaits>,
}

/// `?team=`.
#[derive(Debug, Deserialize)]
pub struct WaitsQuery {
    #[serde(default)]
    team: String,
}

/// `GET /waits`: what waits on whom in a team the viewer sees.
pub async fn page<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<WaitsQuery>,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let team = chosen_team(&snap, &viewer, q.team.trim())?;
    let zone = viewer_zone(&snap, &viewer);
    let now = Utc::now();
    let waits = match &team {
        Some(t) => Some(team_waits(&state, &snap, t, zone, now).await?),
        None => None,
    };
    Ok(render(
        StatusCode::OK,
        &WaitsPage {
            nav: nav(&viewer, "waits"),
            teams: policy::visible_teams(&viewer.user, &snap)
                .iter()
                .map(|t| t.name.clone())
                .collect(),
            team_q: url_component(team.as_deref().unwrap_or("")),
            team: team.unwrap_or_default(),
            soon_days: CLOSING_SOON_DAYS,
            waits,
        },
    ))
}
