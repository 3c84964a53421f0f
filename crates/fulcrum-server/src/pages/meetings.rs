//! Meeting records: `GET /meetings` (a team's records, filtered by state,
//! those past their summary's due time marked), `GET /meetings/new` and
//! `POST /meetings` (open a record: the meeting's UID and occurrence or
//! standalone, the checklist of `fulcrum lint` filled in), `GET
//! /meetings/{id}` (the record with its checklist, linked decisions and
//! action items, and the form that edits it: summary, action items, ...)
//! and `POST /meetings/{id}` (the edit, version-checked like every change).

use super::chrome::{
    Nav, PAGE_ROWS, chosen_team, local_time, nav, render, url_component, viewer_zone,
};
use crate::error::Error;
use crate::http::{ApiPath, ApiQuery, FormBody, PageAuth, Viewer, check_form_csrf};
use crate::policy;
use crate::state::AppState;
use crate::workflow::{self, Refused, StoredMeeting};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use chrono_tz::Tz;
use fulcrum_app::dashboard::Snapshot;
use fulcrum_app::workflow::{MeetingInput, action_items_from_text, action_items_text};
use fulcrum_model::workflow::{FieldProblem, MAX_TEXT_CHARS, MAX_TITLE_CHARS};
use fulcrum_store::{Page, Storage};
use serde::Deserialize;

// ---- the list ---------------------------------------------------------------

struct MeetingRow {
    id: i64,
    title: String,
    held: String,
    state: &'static str,
    summary_missing: bool,
    open_items: usize,
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    nav: Option<Nav>,
    teams: Vec<String>,
    team: String,
    team_q: String,
    state: String,
    rows: Vec<MeetingRow>,
    prev: Option<String>,
    next: Option<String>,
}

/// `?team=&state=&offset=`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    team: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    offset: u32,
}

/// `GET /meetings`: the meeting records of a team the viewer sees.
pub async fn list<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let team = chosen_team(&snap, &viewer, q.team.trim())?;
    let filter = workflow::meeting_filter(&q.state)?;
    let zone = viewer_zone(&snap, &viewer);
    let now = Utc::now();
    let mut rows = Vec::new();
    if let Some(team) = &team {
        let items = state
            .workflow_items(
                team.clone(),
                filter,
                Page {
                    offset: q.offset,
                    limit: PAGE_ROWS,
                },
            )
            .await?;
        for item in items.into_iter().filter_map(StoredMeeting::of) {
            let r = &item.record;
            rows.push(MeetingRow {
                id: item.id,
                title: r.title.clone(),
                held: local_time(r.held_at, zone),
                state: r.state(),
                summary_missing: r.is_summary_missing(now, workflow::summary_due(&snap, r)),
                open_items: r.action_items.iter().filter(|i| !i.done).count(),
            });
        }
    }
    let link = |offset: u32| {
        format!(
            "/meetings?team={}&state={}&offset={offset}",
            url_component(team.as_deref().unwrap_or("")),
            url_component(q.state.trim())
        )
    };
    let next = (rows.len() as u32 == PAGE_ROWS).then(|| link(q.offset + PAGE_ROWS));
    let prev = (q.offset > 0).then(|| link(q.offset.saturating_sub(PAGE_ROWS)));
    Ok(render(
        StatusCode::OK,
        &MeetingsPage {
            nav: nav(&viewer, "meetings"),
            teams: policy::visible_teams(&viewer.user, &snap)
                .iter()
                .map(|t| t.name.clone())
                .collect(),
            team_q: url_component(team.as_deref().unwrap_or("")),
            team: team.unwrap_or_default(),
            state: q.state.trim().to_owned(),
            rows,
            prev,
            next,
        },
    ))
}

// ---- the form (new and edit) ----------------------------------------------------

/// The record form's fields as text.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeetingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    team: String,
    /// The version an edit was made from (absent for a new record).
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    meeting_uid: String,
    #[serde(default)]
    occurrence: String,
    #[serde(default)]
    held_at: String,
    #[serde(default)]
    desired_outcome: String,
    #[serde(default)]
    agenda: String,
    #[serde(default)]
    pre_read: String,
    #[serde(default)]
    timebox_minutes: String,
    #[serde(default)]
    attendees: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    decisions: String,
    #[serde(default)]
    action_items: String,
}

impl MeetingForm {
    /// The form as the use case takes it, or the problems of its lists.
    fn input(&self) -> Result<MeetingInput, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let action_items = action_items_from_text(&self.action_items).unwrap_or_else(|p| {
            problems.extend(p);
            Vec::new()
        });
        let mut decisions = Vec::new();
        for part in self.decisions.split([',', ' ', '\n']).map(str::trim) {
            if part.is_empty() {
                continue;
            }
            match part.trim_start_matches('#').parse::<i64>() {
                Ok(id) => decisions.push(id),
                Err(_) => problems.push(FieldProblem::new(
                    "decisions",
                    format!("{part:?} is not a proposal number"),
                )),
            }
        }
        let input = MeetingInput {
            title: self.title.clone(),
            meeting_uid: self.meeting_uid.clone(),
            occurrence: self.occurrence.clone(),
            held_at: self.held_at.clone(),
            desired_outcome: self.desired_outcome.clone(),
            agenda: self.agenda.clone(),
            pre_read: self.pre_read.clone(),
            timebox_minutes: self.timebox_minutes.clone(),
            attendees: self
                .attendees
                .split([',', '\n'])
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
            summary: self.summary.clone(),
            decisions,
            action_items,
        };
        if problems.is_empty() {
            Ok(input)
        } else {
            Err(problems)
        }
    }

    /// The form of a stored record, its times on `tz`'s clock.
    fn of(m: &StoredMeeting, tz: Tz) -> MeetingForm {
        let r = &m.record;
        let local =
            |t: chrono::DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string();
        MeetingForm {
            csrf: String::new(),
            team: r.team.clone(),
            version: Some(m.version),
            title: r.title.clone(),
            meeting_uid: r
                .meeting
                .as_ref()
                .map_or_else(String::new, |x| x.uid.clone()),
            occurrence: r
                .meeting
                .as_ref()
                .and_then(|x| x.occurrence)
                .map_or_else(String::new, local),
            held_at: local(r.held_at),
            desired_outcome: r.desired_outcome.clone(),
            agenda: r.agenda.clone(),
            pre_read: r.pre_read.clone(),
            timebox_minutes: r
                .timebox_minutes
                .map_or_else(String::new, |t| t.to_string()),
            attendees: r.attendees.join("\n"),
            summary: r.summary.clone(),
            decisions: r
                .decisions
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            action_items: action_items_text(&r.action_items),
        }
    }
}

struct CheckRow {
    id: &'static str,
    met: bool,
    help: &'static str,
}

struct ItemRow {
    text: String,
    owner: String,
    due: String,
    done: bool,
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    nav: Option<Nav>,
    csrf: String,
    /// `None` for the new-record form.
    id: Option<i64>,
    team: String,
    team_q: String,
    author: String,
    held: String,
    state: &'static str,
    summary_due: String,
    summary_missing: bool,
    checklist: Vec<CheckRow>,
    items: Vec<ItemRow>,
    form: MeetingForm,
    problems: Vec<FieldProblem>,
    zone: String,
    max_title: usize,
    max_text: usize,
    /// The calendar meetings to pick from (the new-record form only).
    picker: Option<Picker>,
}

/// The calendar meetings the new-record form offers, each a link that
/// fills the form in.
struct Picker {
    /// The range read, `YYYY-MM-DD` on the viewer's clock (`to` inclusive).
    from: String,
    to: String,
    rows: Vec<PickRow>,
    /// The meeting picked, when it was found.
    picked: Option<String>,
}

struct PickRow {
    href: String,
    title: String,
    start: String,
    minutes: i64,
    organizer: String,
    series: bool,
}

impl MeetingPage {
    fn problem(&self, field: &str) -> Option<String> {
        let found: Vec<&str> = self
            .problems
            .iter()
            .filter(|p| p.field == field)
            .map(|p| p.message.as_str())
            .collect();
        (!found.is_empty()).then(|| found.join("; "))
    }
}

fn page(
    snap: &Snapshot,
    viewer: &Viewer,
    team: String,
    stored: Option<&StoredMeeting>,
    form: MeetingForm,
    problems: Vec<FieldProblem>,
) -> MeetingPage {
    let zone = viewer_zone(snap, viewer);
    let now = Utc::now();
    let (author, held, state, summary_due, summary_missing, checklist, items) = match stored {
        Some(m) => {
            let r = &m.record;
            let due = workflow::summary_due(snap, r);
            let limits = snap.meeting_limits;
            (
                r.author.clone(),
                local_time(r.held_at, zone),
                r.state(),
                local_time(due, zone),
                r.is_summary_missing(now, due),
                r.checklist(limits.max_minutes, limits.max_attendees)
                    .iter()
                    .map(|c| CheckRow {
                        id: c.rule.id,
                        met: c.met,
                        help: c.rule.help,
                    })
                    .collect(),
                r.action_items
                    .iter()
                    .map(|i| ItemRow {
                        text: i.text.clone(),
                        owner: i.owner.clone(),
                        due: i.due.map_or_else(String::new, |d| d.to_string()),
                        done: i.done,
                    })
                    .collect(),
            )
        }
        None => (
            viewer.user.email.clone(),
            String::new(),
            "open",
            String::new(),
            false,
            Vec::new(),
            Vec::new(),
        ),
    };
    MeetingPage {
        nav: nav(viewer, "meetings"),
        csrf: viewer.csrf().to_owned(),
        id: stored.map(|m| m.id),
        team_q: url_component(&team),
        team,
        author,
        held,
        state,
        summary_due,
        summary_missing,
        checklist,
        items,
        form,
        problems,
        zone: zone.name().to_owned(),
        max_title: MAX_TITLE_CHARS,
        max_text: MAX_TEXT_CHARS,
        picker: None,
    }
}

/// `?team=&from=&to=&meeting=&occurrence=&decisions=`: the team, the
/// range of calendar meetings offered, the meeting picked (its UID and its
/// instance's start, RFC 3339) and the proposals to list among its
/// decisions.
#[derive(Debug, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    team: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    meeting: String,
    #[serde(default)]
    occurrence: String,
    #[serde(default)]
    decisions: String,
}

/// `GET /meetings/new`: the form of a new record, with the team's calendar
/// meetings to pick from; a meeting picked fills in its UID, occurrence,
/// time, title and attendees (the last two only for a viewer on it).
pub async fn new_form<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<NewQuery>,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let team = chosen_team(&snap, &viewer, q.team.trim())?
        .ok_or_else(|| Error::NotFound("you see no team to keep a record in".into()))?;
    let (from, to) = workflow::pick_range_of(&snap, &viewer, &q.from, &q.to)?;
    let meetings = workflow::calendar_meetings(&state, &viewer, &team, from, to).await?;
    // Times typed into the form are read on the author's clock.
    let tz = snap
        .person(&viewer.user.email)
        .map_or(*snap.team_clock.tz(), |p| *p.clock.tz());
    let zone = viewer_zone(&snap, &viewer);
    let entry =
        |t: chrono::DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string();
    let rfc = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut form = MeetingForm {
        team: team.clone(),
        decisions: q.decisions.trim().to_owned(),
        ..MeetingForm::default()
    };
    let uid = q.meeting.trim();
    let mut picked = None;
    if !uid.is_empty() {
        let start = chrono::DateTime::parse_from_rfc3339(q.occurrence.trim())
            .ok()
            .map(|t| t.with_timezone(&Utc));
        let found = meetings
            .iter()
            .find(|m| m.uid == uid && start.is_none_or(|s| s == m.start));
        form.meeting_uid = uid.to_owned();
        match found {
            Some(m) => {
                form.occurrence = m.occurrence().map(entry).unwrap_or_default();
                form.held_at = entry(m.start);
                form.title = m.title.clone().unwrap_or_default();
                form.attendees = m.attendees.join("\n");
                form.timebox_minutes = m.minutes().to_string();
                picked = Some(format!(
                    "{} ({})",
                    m.title.as_deref().unwrap_or("a meeting"),
                    local_time(m.start, zone)
                ));
            }
            // Not among the meetings offered: its UID, and its start as
            // given.
            None => {
                if let Some(s) = start {
                    form.held_at = entry(s);
                }
            }
        }
    }
    let link = |m: &fulcrum_app::meeting_picker::CalendarMeeting| {
        format!(
            "/meetings/new?team={}&from={}&to={}&meeting={}&occurrence={}&decisions={}",
            url_component(&team),
            url_component(q.from.trim()),
            url_component(q.to.trim()),
            url_component(&m.uid),
            url_component(&rfc(m.start)),
            url_component(q.decisions.trim()),
        )
    };
    let rows = meetings
        .iter()
        .map(|m| PickRow {
            href: link(m),
            title: m.title.clone().unwrap_or_else(|| {
                if m.viewer_attends {
                    "(no title)".to_owned()
                } else {
                    "a meeting you are not on (title shown to its attendees)".to_owned()
                }
            }),
            start: local_time(m.start, zone),
            minutes: m.minutes(),
            organizer: m
                .organizer
                .clone()
                .unwrap_or_else(|| "someone outside the team".to_owned()),
            series: m.in_series,
        })
        .collect();
    let day = |t: chrono::DateTime<Utc>| t.with_timezone(&tz).date_naive();
    let mut p = page(&snap, &viewer, team, None, form, Vec::new());
    p.picker = Some(Picker {
        from: day(from).to_string(),
        // The last day read: `to` is exclusive.
        to: day(to - chrono::Duration::seconds(1)).to_string(),
        rows,
        picked,
    });
    Ok(render(StatusCode::OK, &p))
}

/// `POST /meetings`: opens the record, or shows the form again with the
/// problem under each field (422).
pub async fn create<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    FormBody(form): FormBody<MeetingForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    let snap = state.snapshot();
    let team = policy::team_for(&viewer.user, &snap, form.team.trim())?
        .name
        .clone();
    let refused = match form.input() {
        Ok(input) => match workflow::create_meeting(&state, &viewer, &team, &input).await {
            Ok(m) => return Ok(Redirect::to(&format!("/meetings/{}", m.id)).into_response()),
            Err(r) => r,
        },
        Err(p) => Refused::Fields(p),
    };
    match refused {
        Refused::Fields(problems) => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(&snap, &viewer, team, None, form, problems),
        )),
        Refused::Other(e) => Err(e),
    }
}

/// `GET /meetings/{id}`: one record of a team the viewer sees, with the
/// form that edits it.
pub async fn view<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, Error> {
    let m = workflow::meeting(&state, &viewer, id).await?;
    let snap = state.snapshot();
    let form = MeetingForm::of(&m, viewer_zone(&snap, &viewer));
    Ok(render(
        StatusCode::OK,
        &page(
            &snap,
            &viewer,
            m.record.team.clone(),
            Some(&m),
            form,
            Vec::new(),
        ),
    ))
}

/// `POST /meetings/{id}`: the edit, from the version the form was read at.
pub async fn update<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
    FormBody(form): FormBody<MeetingForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    let current = workflow::meeting(&state, &viewer, id).await?;
    let version = form
        .version
        .ok_or_else(|| Error::Unprocessable("version: missing; reload the page".into()))?;
    let refused = match form.input() {
        Ok(input) => match workflow::update_meeting(&state, &viewer, id, version, &input).await {
            Ok(_) => return Ok(Redirect::to(&format!("/meetings/{id}")).into_response()),
            Err(r) => r,
        },
        Err(p) => Refused::Fields(p),
    };
    match refused {
        Refused::Fields(problems) => {
            let snap = state.snapshot();
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(
                    &snap,
                    &viewer,
                    current.record.team.clone(),
                    Some(&current),
                    form,
                    problems,
                ),
            ))
        }
        Refused::Other(e) => Err(e),
    }
}
