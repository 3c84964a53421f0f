//! Asks: `GET /asks` (a team's asks, filtered by state and by "waiting on
//! me", paged), `GET /asks/new` and `POST /asks` (the form that coaches a
//! clear ask), `GET /asks/{id}` (one ask, with its answer form), and
//! `POST /asks/{id}/answer` and `/withdraw`. Every change carries the
//! version it was made from: a change to an ask someone else changed in
//! between is refused (409), not lost.
//!
//! Times are shown on the recipient's clock and on the viewer's own.

use super::chrome::{
    Nav, PAGE_ROWS, VersionForm, chosen_team, local_time, nav, render, url_component, viewer_zone,
};
use crate::error::Error;
use crate::http::{ApiPath, ApiQuery, FormBody, PageAuth, Viewer, check_form_csrf};
use crate::policy;
use crate::state::AppState;
use crate::workflow::{self, AskChange, Refused, StoredAsk};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use fulcrum_app::dashboard::Snapshot;
use fulcrum_app::workflow::AskInput;
use fulcrum_model::workflow::{
    ASK_PARTS, AnswerBy, AskPart, AskState, FieldProblem, MAX_SHORT_CHARS, MAX_TEXT_CHARS,
    Recipient,
};
use fulcrum_store::{Page, Storage};
use serde::Deserialize;

/// The zone of an ask's recipient (the `[team]` zone for the team).
fn recipient_tz(snap: &Snapshot, to: &Recipient) -> Tz {
    match to {
        Recipient::Person(p) => snap.person(p).map_or(Tz::UTC, |p| *p.clock.tz()),
        Recipient::Team => *snap.team_clock.tz(),
    }
}

/// A time on the recipient's clock, and on the viewer's when it differs.
fn both_clocks(t: DateTime<Utc>, recipient: Tz, viewer: Tz) -> String {
    if recipient == viewer {
        local_time(t, recipient)
    } else {
        format!(
            "{} (their time) · {} (yours)",
            local_time(t, recipient),
            local_time(t, viewer)
        )
    }
}

/// Who an ask is to, in words.
fn to_text(to: &Recipient) -> String {
    match to {
        Recipient::Person(p) => p.clone(),
        Recipient::Team => "the team".to_owned(),
    }
}

// ---- the list ---------------------------------------------------------------

struct AskRow {
    id: i64,
    needed: String,
    author: String,
    to: String,
    state: &'static str,
    due: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "asks.html")]
struct AsksPage {
    nav: Option<Nav>,
    teams: Vec<String>,
    team: String,
    team_q: String,
    state: String,
    mine: bool,
    rows: Vec<AskRow>,
    prev: Option<String>,
    next: Option<String>,
}

/// `?team=&state=&mine=1&offset=`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    team: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    mine: String,
    #[serde(default)]
    offset: u32,
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

/// `GET /asks`: the asks of a team the viewer sees.
pub async fn list<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let team = chosen_team(&snap, &viewer, q.team.trim())?;
    let mine = !q.mine.is_empty();
    let filter = workflow::ask_filter(&q.state, mine.then_some(viewer.user.email.as_str()))?;
    let viewer_zone = viewer_zone(&snap, &viewer);
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
        for item in items.into_iter().filter_map(StoredAsk::of) {
            let a = &item.ask;
            rows.push(AskRow {
                id: item.id,
                needed: short(
                    if a.needed.is_empty() {
                        &a.context
                    } else {
                        &a.needed
                    },
                    120,
                ),
                author: a.author.clone(),
                to: to_text(&a.to),
                state: a.state.as_str(),
                due: a.due.map_or_else(
                    || "no answer-by time".to_owned(),
                    |t| local_time(t, viewer_zone),
                ),
                overdue: a.is_overdue(now),
            });
        }
    }
    let link = |offset: u32| {
        let mut q2 = format!(
            "/asks?team={}&state={}",
            url_component(team.as_deref().unwrap_or("")),
            url_component(q.state.trim())
        );
        if mine {
            q2.push_str("&mine=1");
        }
        format!("{q2}&offset={offset}")
    };
    let next = (rows.len() as u32 == PAGE_ROWS).then(|| link(q.offset + PAGE_ROWS));
    let prev = (q.offset > 0).then(|| link(q.offset.saturating_sub(PAGE_ROWS)));
    Ok(render(
        StatusCode::OK,
        &AsksPage {
            nav: nav(&viewer, "asks"),
            teams: policy::visible_teams(&viewer.user, &snap)
                .iter()
                .map(|t| t.name.clone())
                .collect(),
            team_q: url_component(team.as_deref().unwrap_or("")),
            team: team.unwrap_or_default(),
            state: q.state.trim().to_owned(),
            mine,
            rows,
            prev,
            next,
        },
    ))
}

// ---- the form -------------------------------------------------------------

struct Choice {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "ask_new.html")]
struct NewAskPage {
    nav: Option<Nav>,
    csrf: String,
    team: String,
    team_q: String,
    people: Vec<Choice>,
    classes: Vec<Choice>,
    input: AskInput,
    problems: Vec<FieldProblem>,
    coaching: Vec<&'static AskPart>,
    parts: &'static [AskPart],
    max_text: usize,
    max_short: usize,
}

impl NewAskPage {
    /// The problem of `field`, if any.
    fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
    }

    /// The hint of a part of the ask.
    fn hint(&self, field: &str) -> &'static str {
        self.parts
            .iter()
            .find(|p| p.field == field)
            .map_or("", |p| p.hint)
    }
}

fn new_page(
    snap: &Snapshot,
    viewer: &Viewer,
    team: String,
    input: AskInput,
    problems: Vec<FieldProblem>,
    coaching: Vec<&'static AskPart>,
) -> NewAskPage {
    let people = snap
        .people
        .iter()
        .filter(|p| p.team == team && p.email != viewer.user.email)
        .map(|p| Choice {
            value: p.email.clone(),
            label: format!("{} ({})", p.name, p.zone),
        })
        .collect();
    let classes = snap
        .route_policy
        .sla_hours
        .iter()
        .map(|(name, hours)| Choice {
            value: name.clone(),
            label: format!("{name}: {hours} business hours"),
        })
        .collect();
    NewAskPage {
        nav: nav(viewer, "asks"),
        csrf: viewer.csrf().to_owned(),
        team_q: url_component(&team),
        team,
        people,
        classes,
        input,
        problems,
        coaching,
        parts: &ASK_PARTS,
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

/// `GET /asks/new`: the form, for a team the viewer sees.
pub async fn new_form<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<TeamQuery>,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let team = chosen_team(&snap, &viewer, q.team.trim())?
        .ok_or_else(|| Error::NotFound("you see no team to ask in".into()))?;
    let input = AskInput {
        sla: if snap.route_policy.sla_hours.contains_key("normal") {
            "normal".to_owned()
        } else {
            String::new()
        },
        ..AskInput::default()
    };
    Ok(render(
        StatusCode::OK,
        &new_page(&snap, &viewer, team, input, Vec::new(), Vec::new()),
    ))
}

/// The ask form.
#[derive(Debug, Deserialize)]
pub struct AskForm {
    #[serde(default)]
    csrf: String,
    team: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    context: String,
    #[serde(default)]
    needed: String,
    #[serde(default)]
    respond_in: String,
    #[serde(default)]
    sla: String,
    #[serde(default)]
    deadline: String,
    /// Set by the "send it as it is" button after the coaching.
    #[serde(default)]
    send_anyway: String,
}

/// `POST /asks`: sends the ask, or shows the form again with its problems
/// (422) or with what a clear ask still lacks (200, to send as it is or
/// complete).
pub async fn create<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    FormBody(form): FormBody<AskForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    let snap = state.snapshot();
    let team = policy::team_for(&viewer.user, &snap, form.team.trim())?
        .name
        .clone();
    let input = AskInput {
        to: form.to,
        context: form.context,
        needed: form.needed,
        respond_in: form.respond_in,
        sla: form.sla,
        deadline: form.deadline,
    };
    // Coach first: the same rules as the template of `fulcrum route`.
    if form.send_anyway.is_empty() {
        match fulcrum_app::workflow::new_ask(&snap, &viewer.user.email, &team, &input, Utc::now()) {
            Ok(draft) => {
                let coaching = draft.coaching();
                if !coaching.is_empty() {
                    return Ok(render(
                        StatusCode::OK,
                        &new_page(&snap, &viewer, team, input, Vec::new(), coaching),
                    ));
                }
            }
            Err(problems) => {
                return Ok(render(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &new_page(&snap, &viewer, team, input, problems, Vec::new()),
                ));
            }
        }
    }
    match workflow::create_ask(&state, &viewer, &team, &input).await {
        Ok(a) => Ok(Redirect::to(&format!("/asks/{}", a.id)).into_response()),
        Err(Refused::Fields(problems)) => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &new_page(&snap, &viewer, team, input, problems, Vec::new()),
        )),
        Err(Refused::Other(e)) => Err(e),
    }
}

// ---- one ask ---------------------------------------------------------------

#[derive(Template)]
#[template(path = "ask.html")]
struct AskPage {
    nav: Option<Nav>,
    csrf: String,
    id: i64,
    version: i64,
    team: String,
    team_q: String,
    author: String,
    to: String,
    context: String,
    needed: String,
    respond_in: String,
    answer_by: String,
    due: String,
    overdue: bool,
    asked: String,
    state: &'static str,
    answer: Option<(String, String, String)>,
    withdrawn: Option<String>,
    may_answer: bool,
    may_withdraw: bool,
    max_text: usize,
}

/// `GET /asks/{id}`: one ask of a team the viewer sees.
pub async fn view<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, Error> {
    let item = workflow::ask(&state, &viewer, id).await?;
    let snap = state.snapshot();
    let a = &item.ask;
    let theirs = recipient_tz(&snap, &a.to);
    let yours = viewer_zone(&snap, &viewer);
    let open = matches!(a.state, AskState::Open);
    let page = AskPage {
        nav: nav(&viewer, "asks"),
        csrf: viewer.csrf().to_owned(),
        id: item.id,
        version: item.version,
        team: a.team.clone(),
        team_q: url_component(&a.team),
        author: a.author.clone(),
        to: to_text(&a.to),
        context: a.context.clone(),
        needed: a.needed.clone(),
        respond_in: a.respond_in.clone(),
        answer_by: match &a.answer_by {
            Some(AnswerBy::Sla(c)) => format!("SLA class {c}, on the recipient's working hours"),
            Some(AnswerBy::Deadline(_)) => "a deadline".to_owned(),
            None => "none set".to_owned(),
        },
        due: a
            .due
            .map_or_else(String::new, |t| both_clocks(t, theirs, yours)),
        overdue: a.is_overdue(Utc::now()),
        asked: both_clocks(a.asked_at, theirs, yours),
        state: a.state.as_str(),
        answer: match &a.state {
            AskState::Answered(ans) => Some((
                ans.by.clone(),
                ans.text.clone(),
                both_clocks(ans.at, theirs, yours),
            )),
            _ => None,
        },
        withdrawn: match &a.state {
            AskState::Withdrawn { at } => Some(local_time(*at, yours)),
            _ => None,
        },
        may_answer: open && policy::may_answer(&viewer.user, &snap, a),
        may_withdraw: open && policy::may_withdraw(&viewer.user, a),
        max_text: MAX_TEXT_CHARS,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The answer form.
#[derive(Debug, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    csrf: String,
    version: i64,
    #[serde(default)]
    answer: String,
}

/// `POST /asks/{id}/answer`.
pub async fn answer<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
    FormBody(form): FormBody<AnswerForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    workflow::change_ask(
        &state,
        &viewer,
        id,
        form.version,
        AskChange::Answer(form.answer),
    )
    .await?;
    Ok(Redirect::to(&format!("/asks/{id}")).into_response())
}

/// `POST /asks/{id}/withdraw`.
pub async fn withdraw<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
    FormBody(form): FormBody<VersionForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    workflow::change_ask(&state, &viewer, id, form.version, AskChange::Withdraw).await?;
    Ok(Redirect::to(&format!("/asks/{id}")).into_response())
}
