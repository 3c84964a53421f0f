//! Incidents: `GET /incidents` (a team's incidents, filtered by state,
//! paged, a resolved one without its review past the due time marked
//! "review overdue"), `GET /incidents/new` and `POST /incidents` (open one
//! with its severity), `GET /incidents/{id}` (the incident, its resolution
//! and review; the resolve button while it is open, the review form once
//! it is resolved), and `POST /incidents/{id}/resolve` and `/review`. As
//! with the other objects, every change carries the version it was made
//! from.

use super::chrome::{
    Nav, PAGE_ROWS, VersionForm, chosen_team, local_time, nav, render, url_component, viewer_zone,
};
use crate::error::Error;
use crate::http::{ApiPath, ApiQuery, FormBody, PageAuth, Viewer, check_form_csrf};
use crate::policy;
use crate::state::AppState;
use crate::workflow::{self, IncidentChange, Refused, StoredIncident};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use fulcrum_app::workflow::IncidentInput;
use fulcrum_model::workflow::{FieldProblem, MAX_TEXT_CHARS, MAX_TITLE_CHARS, Severity};
use fulcrum_store::{Page, Storage};
use serde::Deserialize;

// ---- the list ---------------------------------------------------------------

struct IncidentRow {
    id: i64,
    title: String,
    severity: &'static str,
    author: String,
    state: &'static str,
    opened: String,
    review_due: String,
    review_overdue: bool,
}

#[derive(Template)]
#[template(path = "incidents.html")]
struct IncidentsPage {
    nav: Option<Nav>,
    teams: Vec<String>,
    team: String,
    team_q: String,
    state: String,
    review_days: u32,
    rows: Vec<IncidentRow>,
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

/// `GET /incidents`: the incidents of a team the viewer sees.
pub async fn list<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let team = chosen_team(&snap, &viewer, q.team.trim())?;
    let filter = workflow::incident_filter(&q.state)?;
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
        for item in items.into_iter().filter_map(StoredIncident::of) {
            let i = &item.incident;
            rows.push(IncidentRow {
                id: item.id,
                title: i.title.clone(),
                severity: i.severity.as_str(),
                author: i.author.clone(),
                state: i.state(),
                opened: local_time(i.opened_at, zone),
                review_due: workflow::review_due(&snap, i)
                    .map_or_else(String::new, |t| local_time(t, zone)),
                review_overdue: workflow::review_overdue(&snap, i, now),
            });
        }
    }
    let link = |offset: u32| {
        format!(
            "/incidents?team={}&state={}&offset={offset}",
            url_component(team.as_deref().unwrap_or("")),
            url_component(q.state.trim())
        )
    };
    let next = (rows.len() as u32 == PAGE_ROWS).then(|| link(q.offset + PAGE_ROWS));
    let prev = (q.offset > 0).then(|| link(q.offset.saturating_sub(PAGE_ROWS)));
    Ok(render(
        StatusCode::OK,
        &IncidentsPage {
            nav: nav(&viewer, "incidents"),
            teams: policy::visible_teams(&viewer.user, &snap)
                .iter()
                .map(|t| t.name.clone())
                .collect(),
            team_q: url_component(team.as_deref().unwrap_or("")),
            team: team.unwrap_or_default(),
            state: q.state.trim().to_owned(),
            review_days: snap.incident_review_business_days,
            rows,
            prev,
            next,
        },
    ))
}

// ---- the form -------------------------------------------------------------

#[derive(Template)]
#[template(path = "incident_new.html")]
struct NewIncidentPage {
    nav: Option<Nav>,
    csrf: String,
    team: String,
    team_q: String,
    severities: Vec<(&'static str, &'static str)>,
    input: IncidentInput,
    problems: Vec<FieldProblem>,
    max_title: usize,
    max_text: usize,
}

impl NewIncidentPage {
    fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
    }
}

/// The label of each severity on the form.
fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Sev1 => "sev1: customers cannot work",
        Severity::Sev2 => "sev2: a major part is degraded",
        Severity::Sev3 => "sev3: minor, a workaround exists",
    }
}

fn new_page(
    viewer: &Viewer,
    team: String,
    input: IncidentInput,
    problems: Vec<FieldProblem>,
) -> NewIncidentPage {
    NewIncidentPage {
        nav: nav(viewer, "incidents"),
        csrf: viewer.csrf().to_owned(),
        team_q: url_component(&team),
        team,
        severities: Severity::ALL
            .iter()
            .map(|s| (s.as_str(), severity_label(*s)))
            .collect(),
        input,
        problems,
        max_title: MAX_TITLE_CHARS,
        max_text: MAX_TEXT_CHARS,
    }
}

/// `?team=`.
#[derive(Debug, Deserialize)]
pub struct TeamQuery {
    #[serde(default)]
    team: String,
}

/// `GET /incidents/new`: the incident form.
pub async fn new_form<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<TeamQuery>,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let team = chosen_team(&snap, &viewer, q.team.trim())?
        .ok_or_else(|| Error::NotFound("you see no team to open an incident in".into()))?;
    Ok(render(
        StatusCode::OK,
        &new_page(&viewer, team, IncidentInput::default(), Vec::new()),
    ))
}

/// The incident form.
#[derive(Debug, Deserialize)]
pub struct IncidentForm {
    #[serde(default)]
    csrf: String,
    team: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    description: String,
}

/// `POST /incidents`: opens the incident, or shows the form again with the
/// problem under each field (422).
pub async fn create<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    FormBody(form): FormBody<IncidentForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    let snap = state.snapshot();
    let team = policy::team_for(&viewer.user, &snap, form.team.trim())?
        .name
        .clone();
    let input = IncidentInput {
        title: form.title,
        severity: form.severity,
        description: form.description,
    };
    match workflow::create_incident(&state, &viewer, &team, &input).await {
        Ok(i) => Ok(Redirect::to(&format!("/incidents/{}", i.id)).into_response()),
        Err(Refused::Fields(problems)) => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &new_page(&viewer, team, input, problems),
        )),
        Err(Refused::Other(e)) => Err(e),
    }
}

// ---- one incident ---------------------------------------------------------------

struct ReviewView {
    timeline: String,
    cause: String,
    follow_ups: String,
    by: String,
    at: String,
}

#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage {
    nav: Option<Nav>,
    csrf: String,
    id: i64,
    version: i64,
    team: String,
    team_q: String,
    title: String,
    severity: &'static str,
    description: String,
    author: String,
    opened: String,
    state: &'static str,
    resolved: Option<(String, String)>,
    review_due: String,
    review_overdue: bool,
    review: Option<ReviewView>,
    open: bool,
    may_review: bool,
    draft: (String, String, String),
    max_text: usize,
}

/// `GET /incidents/{id}`: one incident of a team the viewer sees.
pub async fn view<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, Error> {
    let item = workflow::incident(&state, &viewer, id).await?;
    let snap = state.snapshot();
    let zone = viewer_zone(&snap, &viewer);
    let i = &item.incident;
    let page = IncidentPage {
        nav: nav(&viewer, "incidents"),
        csrf: viewer.csrf().to_owned(),
        id: item.id,
        version: item.version,
        team: i.team.clone(),
        team_q: url_component(&i.team),
        title: i.title.clone(),
        severity: i.severity.as_str(),
        description: i.description.clone(),
        author: i.author.clone(),
        opened: local_time(i.opened_at, zone),
        state: i.state(),
        resolved: i
            .resolved
            .as_ref()
            .map(|r| (r.by.clone(), local_time(r.at, zone))),
        review_due: workflow::review_due(&snap, i)
            .map_or_else(String::new, |t| local_time(t, zone)),
        review_overdue: workflow::review_overdue(&snap, i, Utc::now()),
        review: i.review.as_ref().map(|r| ReviewView {
            timeline: r.timeline.clone(),
            cause: r.cause.clone(),
            follow_ups: r.follow_ups.clone(),
            by: r.by.clone(),
            at: local_time(r.at, zone),
        }),
        open: i.resolved.is_none(),
        may_review: i.resolved.is_some(),
        draft: i.review.as_ref().map_or_else(Default::default, |r| {
            (r.timeline.clone(), r.cause.clone(), r.follow_ups.clone())
        }),
        max_text: MAX_TEXT_CHARS,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /incidents/{id}/resolve`.
pub async fn resolve<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
    FormBody(form): FormBody<VersionForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    workflow::change_incident(&state, &viewer, id, form.version, IncidentChange::Resolve).await?;
    Ok(Redirect::to(&format!("/incidents/{id}")).into_response())
}

/// The review form.
#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    csrf: String,
    version: i64,
    #[serde(default)]
    timeline: String,
    #[serde(default)]
    cause: String,
    #[serde(default)]
    follow_ups: String,
}

/// `POST /incidents/{id}/review`.
pub async fn review<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
    FormBody(form): FormBody<ReviewForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    workflow::change_incident(
        &state,
        &viewer,
        id,
        form.version,
        IncidentChange::Review {
            timeline: form.timeline,
            cause: form.cause,
            follow_ups: form.follow_ups,
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/incidents/{id}")).into_response())
}
