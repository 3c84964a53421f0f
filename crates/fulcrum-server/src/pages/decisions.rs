//! Proposals, the decision log: `GET /decisions` (a team's proposals,
//! filtered by state, paged), `GET /decisions/new` and `POST /decisions`
//! (open a proposal; its closing time typed, or given by `fulcrum route`
//! for its decision type), `GET /decisions/{id}` (the proposal with its
//! stances, a stance form while it is open, the close form for its author
//! and the team's leads), and `POST /decisions/{id}/stance`, `/close` and
//! `/withdraw`. As with asks, every change carries the version it was made
//! from.

use super::chrome::{
    Nav, PAGE_ROWS, VersionForm, chosen_team, local_time, nav, render, url_component, viewer_zone,
};
use crate::error::Error;
use crate::http::{ApiPath, ApiQuery, FormBody, PageAuth, Viewer, check_form_csrf};
use crate::policy;
use crate::state::AppState;
use crate::workflow::{self, DecisionChange, Refused, StoredDecision};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use fulcrum_app::dashboard::Snapshot;
use fulcrum_app::workflow::{DecisionInput, decision_route, review_date};
use fulcrum_model::workflow::{
    DecisionState, FieldProblem, MAX_REASON_CHARS, MAX_SHORT_CHARS, MAX_TEXT_CHARS,
    MAX_TITLE_CHARS, Position,
};
use fulcrum_store::{Page, Storage};
use serde::Deserialize;

// ---- the list ---------------------------------------------------------------

struct DecisionRow {
    id: i64,
    title: String,
    author: String,
    state: &'static str,
    closes: String,
    past_closing: bool,
    tally: String,
}

#[derive(Template)]
#[template(path = "decisions.html")]
struct DecisionsPage {
    nav: Option<Nav>,
    teams: Vec<String>,
    team: String,
    team_q: String,
    state: String,
    rows: Vec<DecisionRow>,
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

/// `GET /decisions`: the proposals of a team the viewer sees.
pub async fn list<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let team = chosen_team(&snap, &viewer, q.team.trim())?;
    let filter = workflow::decision_filter(&q.state)?;
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
        for item in items.into_iter().filter_map(StoredDecision::of) {
            let d = &item.decision;
            let t = d.tally();
            rows.push(DecisionRow {
                id: item.id,
                title: d.title.clone(),
                author: d.author.clone(),
                state: d.state.as_str(),
                closes: local_time(d.closes_at, zone),
                past_closing: d.is_past_closing(now),
                tally: format!(
                    "{} agree, {} abstain, {} disagree, {} block",
                    t.agree, t.abstain, t.disagree, t.block
                ),
            });
        }
    }
    let link = |offset: u32| {
        format!(
            "/decisions?team={}&state={}&offset={offset}",
            url_component(team.as_deref().unwrap_or("")),
            url_component(q.state.trim())
        )
    };
    let next = (rows.len() as u32 == PAGE_ROWS).then(|| link(q.offset + PAGE_ROWS));
    let prev = (q.offset > 0).then(|| link(q.offset.saturating_sub(PAGE_ROWS)));
    Ok(render(
        StatusCode::OK,
        &DecisionsPage {
            nav: nav(&viewer, "decisions"),
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

// ---- the form -------------------------------------------------------------

struct TypeChoice {
    name: String,
    label: String,
}

#[derive(Template)]
#[template(path = "decision_new.html")]
struct NewDecisionPage {
    nav: Option<Nav>,
    csrf: String,
    team: String,
    team_q: String,
    types: Vec<TypeChoice>,
    input: DecisionInput,
    problems: Vec<FieldProblem>,
    max_title: usize,
    max_text: usize,
    max_short: usize,
}

impl NewDecisionPage {
    fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
    }
}

fn new_page(
    snap: &Snapshot,
    viewer: &Viewer,
    team: String,
    input: DecisionInput,
    problems: Vec<FieldProblem>,
) -> NewDecisionPage {
    let types = snap
        .route_policy
        .types
        .iter()
        .map(|(name, t)| TypeChoice {
            name: name.clone(),
            label: format!(
                "{name}: {} ({}, SLA {}), {} decides",
                t.format,
                t.mode.as_str(),
                t.sla,
                t.who_decides
            ),
        })
        .collect();
    NewDecisionPage {
        nav: nav(viewer, "decisions"),
        csrf: viewer.csrf().to_owned(),
        team_q: url_component(&team),
        team,
        types,
        input,
        problems,
        max_title: MAX_TITLE_CHARS,
        max_text: MAX_TEXT_CHARS,
        max_short: MAX_SHORT_CHARS,
    }
}

/// `?team=`.
#[derive(Debug, Deserialize)]
pub struct TeamQuery {
    #[serde(default)]
    team: String,
}

/// `GET /decisions/new`: the proposal form.
pub async fn new_form<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<TeamQuery>,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let team = chosen_team(&snap, &viewer, q.team.trim())?
        .ok_or_else(|| Error::NotFound("you see no team to propose in".into()))?;
    Ok(render(
        StatusCode::OK,
        &new_page(&snap, &viewer, team, DecisionInput::default(), Vec::new()),
    ))
}

/// The proposal form.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    csrf: String,
    team: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    context: String,
    #[serde(default)]
    decision_type: String,
    #[serde(default)]
    who_decides: String,
    #[serde(default)]
    closes_at: String,
}

/// `POST /decisions`: opens the proposal, or shows the form again with the
/// problem under each field (422).
pub async fn create<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    FormBody(form): FormBody<DecisionForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    let snap = state.snapshot();
    let team = policy::team_for(&viewer.user, &snap, form.team.trim())?
        .name
        .clone();
    let input = DecisionInput {
        title: form.title,
        context: form.context,
        decision_type: form.decision_type,
        who_decides: form.who_decides,
        closes_at: form.closes_at,
    };
    match workflow::create_decision(&state, &viewer, &team, &input).await {
        Ok(d) => Ok(Redirect::to(&format!("/decisions/{}", d.id)).into_response()),
        Err(Refused::Fields(problems)) => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &new_page(&snap, &viewer, team, input, problems),
        )),
        Err(Refused::Other(e)) => Err(e),
    }
}

// ---- one proposal -------------------------------------------------------------

struct StanceRow {
    person: String,
    position: &'static str,
    reason: String,
    at: String,
}

#[derive(Template)]
#[template(path = "decision.html")]
struct DecisionPage {
    nav: Option<Nav>,
    csrf: String,
    id: i64,
    version: i64,
    team: String,
    team_q: String,
    title: String,
    context: String,
    decision_type: String,
    who_decides: String,
    author: String,
    opened: String,
    closes: String,
    past_closing: bool,
    state: &'static str,
    stances: Vec<StanceRow>,
    tally: String,
    outcome: Option<(String, String, String, String)>,
    withdrawn: Option<String>,
    open: bool,
    my_position: String,
    positions: [&'static str; 4],
    may_close: bool,
    may_withdraw: bool,
    max_text: usize,
    max_reason: usize,
    /// "decide in a meeting: <format>" or "decide in writing: <format>",
    /// from the route of its decision type.
    route: Option<String>,
    /// Routed as sync: the new-record form with this proposal among its
    /// decisions.
    record_link: Option<String>,
    /// The meeting records that list it among their decisions: (id,
    /// title, held).
    records: Vec<(i64, String, String)>,
}

/// `GET /decisions/{id}`: one proposal of a team the viewer sees.
pub async fn view<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, Error> {
    let item = workflow::decision(&state, &viewer, id).await?;
    let snap = state.snapshot();
    let zone = viewer_zone(&snap, &viewer);
    let d = &item.decision;
    let open = matches!(d.state, DecisionState::Open);
    let t = d.tally();
    let route = decision_route(&snap, d);
    let sync = route
        .as_ref()
        .is_some_and(|r| r.mode == fulcrum_app::route::Mode::Sync);
    let linked = workflow::records_by_decision(&state, &d.team).await?;
    let page = DecisionPage {
        route: route.as_ref().map(|r| {
            if sync {
                format!("decide in a meeting: {}", r.format)
            } else {
                format!("decide in writing: {}", r.format)
            }
        }),
        record_link: sync.then(|| {
            format!(
                "/meetings/new?team={}&decisions={}",
                url_component(&d.team),
                item.id
            )
        }),
        records: linked
            .get(&item.id)
            .map(|rs| {
                rs.iter()
                    .map(|r| (r.id, r.title.clone(), local_time(r.held_at, zone)))
                    .collect()
            })
            .unwrap_or_default(),
        nav: nav(&viewer, "decisions"),
        csrf: viewer.csrf().to_owned(),
        id: item.id,
        version: item.version,
        team: d.team.clone(),
        team_q: url_component(&d.team),
        title: d.title.clone(),
        context: d.context.clone(),
        decision_type: d.decision_type.clone().unwrap_or_default(),
        who_decides: d.who_decides.clone(),
        author: d.author.clone(),
        opened: local_time(d.opened_at, zone),
        closes: local_time(d.closes_at, zone),
        past_closing: d.is_past_closing(Utc::now()),
        state: d.state.as_str(),
        stances: d
            .stances
            .iter()
            .map(|s| StanceRow {
                person: s.person.clone(),
                position: s.position.as_str(),
                reason: s.reason.clone(),
                at: local_time(s.at, zone),
            })
            .collect(),
        tally: format!(
            "{} agree, {} abstain, {} disagree, {} block",
            t.agree, t.abstain, t.disagree, t.block
        ),
        outcome: match &d.state {
            DecisionState::Closed(o) => Some((
                o.text.clone(),
                o.review_on.map_or_else(String::new, |r| r.to_string()),
                o.by.clone(),
                local_time(o.at, zone),
            )),
            _ => None,
        },
        withdrawn: match &d.state {
            DecisionState::Withdrawn { at } => Some(local_time(*at, zone)),
            _ => None,
        },
        open,
        my_position: d
            .stances
            .iter()
            .find(|s| s.person == viewer.user.email)
            .map_or_else(String::new, |s| s.position.as_str().to_owned()),
        positions: Position::ALL.map(|p| p.as_str()),
        may_close: open && policy::may_close(&viewer.user, &snap, d),
        may_withdraw: open && viewer.user.email == d.author,
        max_text: MAX_TEXT_CHARS,
        max_reason: MAX_REASON_CHARS,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The stance form.
#[derive(Debug, Deserialize)]
pub struct StanceForm {
    #[serde(default)]
    csrf: String,
    version: i64,
    position: String,
    #[serde(default)]
    reason: String,
}

/// A position as typed: 422 naming the four.
pub(crate) fn position(raw: &str) -> Result<Position, Error> {
    Position::parse(raw.trim()).ok_or_else(|| {
        Error::Unprocessable(format!(
            "position: {raw:?} is not one of agree, abstain, disagree, block"
        ))
    })
}

/// `POST /decisions/{id}/stance`.
pub async fn stance<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
    FormBody(form): FormBody<StanceForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    let position = position(&form.position)?;
    workflow::change_decision(
        &state,
        &viewer,
        id,
        form.version,
        DecisionChange::Stance(position, form.reason),
    )
    .await?;
    Ok(Redirect::to(&format!("/decisions/{id}")).into_response())
}

/// The close form.
#[derive(Debug, Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    csrf: String,
    version: i64,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    review_on: String,
}

/// `POST /decisions/{id}/close`.
pub async fn close<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
    FormBody(form): FormBody<CloseForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    let review = review_date(&form.review_on).map_err(|p| policy::field_problems(&[p]))?;
    workflow::change_decision(
        &state,
        &viewer,
        id,
        form.version,
        DecisionChange::Close(form.outcome, review),
    )
    .await?;
    Ok(Redirect::to(&format!("/decisions/{id}")).into_response())
}

/// `POST /decisions/{id}/withdraw`.
pub async fn withdraw<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
    FormBody(form): FormBody<VersionForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    workflow::change_decision(&state, &viewer, id, form.version, DecisionChange::Withdraw).await?;
    Ok(Redirect::to(&format!("/decisions/{id}")).into_response())
}
