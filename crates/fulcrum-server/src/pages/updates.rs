//! Written updates: `GET /updates` (a team's round: blockers first, then
//! the other written ones, then the missing, then those not yet due; each
//! person's period and due time on the viewer's clock; `?period=` shows a
//! previous round), `GET /updates/new` and `POST /updates` (the viewer
//! writes, or edits, their update of their current period: one textarea
//! per question of the team's template), and `GET /updates/{id}` (one
//! update). Whoever sees the team reads its updates; only a person of the
//! team on the people list writes, their own. An edit carries the version
//! it was made from, as with the other objects.

use super::chrome::{Nav, chosen_team, local_time, nav, render, url_component, viewer_zone};
use crate::error::Error;
use crate::http::{ApiPath, ApiQuery, FormBody, PageAuth, Viewer, check_form_csrf};
use crate::policy;
use crate::state::AppState;
use crate::workflow::{self, Refused, RoundRow};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use fulcrum_app::dashboard::Snapshot;
use fulcrum_app::workflow::{UpdateInput, update_period};
use fulcrum_model::workflow::{Cadence, FieldProblem, MAX_TEXT_CHARS, Update};
use fulcrum_store::Storage;
use serde::Deserialize;

/// A period in words: `the week of Mon 2026-12-07` or `Mon 2026-12-07`.
pub(crate) fn period_words(cadence: Cadence, period: NaiveDate) -> String {
    let day = period.format("%a %Y-%m-%d");
    match cadence {
        Cadence::Weekly => format!("the week of {day}"),
        Cadence::Daily => day.to_string(),
    }
}

/// A due time on the viewer's clock, or why there is none.
fn due_words(due: Option<chrono::DateTime<Utc>>, zone: Tz) -> String {
    due.map_or_else(
        || "nothing due: no working day in the period".to_owned(),
        |t| local_time(t, zone),
    )
}

/// Whether the viewer writes updates in `team` (on the people list, in it).
fn writes_in(snap: &Snapshot, viewer: &Viewer, team: &str) -> bool {
    snap.person(&viewer.user.email)
        .is_some_and(|p| p.team == team)
}

// ---- the round ---------------------------------------------------------------

struct AnswerView {
    question: String,
    text: String,
}

fn answers(u: &Update) -> Vec<AnswerView> {
    u.answers
        .iter()
        .filter(|a| !a.text.trim().is_empty())
        .map(|a| AnswerView {
            question: a.question.clone(),
            text: a.text.clone(),
        })
        .collect()
}

struct RoundView {
    id: Option<i64>,
    person: String,
    period: String,
    due: String,
    state: &'static str,
    blockers: bool,
    written: String,
    answers: Vec<AnswerView>,
}

fn round_view(rows: Vec<RoundRow>, cadence: Cadence, zone: Tz) -> Vec<RoundView> {
    rows.into_iter()
        .map(|r| {
            let state = r.state();
            let e = r.entry;
            RoundView {
                id: r.stored.map(|s| s.0),
                period: period_words(cadence, e.period),
                due: due_words(e.due, zone),
                state,
                blockers: e.update.as_ref().is_some_and(|u| u.blockers().is_some()),
                written: e
                    .update
                    .as_ref()
                    .map_or_else(String::new, |u| local_time(u.written_at, zone)),
                answers: e.update.as_ref().map_or_else(Vec::new, answers),
                person: e.email,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "updates.html")]
struct UpdatesPage {
    nav: Option<Nav>,
    teams: Vec<String>,
    team: String,
    team_q: String,
    cadence: &'static str,
    questions: String,
    period: String,
    previous: String,
    may_write: bool,
    rows: Vec<RoundView>,
}

/// `?team=&period=`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    team: String,
    #[serde(default)]
    period: String,
}

/// A `YYYY-MM-DD` period of a query (blank: the current round), else 400.
pub(crate) fn period_query(raw: &str) -> Result<Option<NaiveDate>, Error> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| Error::BadRequest(format!("period: {raw:?} is not a date (YYYY-MM-DD)")))
}

/// `GET /updates`: the round of a team the viewer sees.
pub async fn list<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let team = chosen_team(&snap, &viewer, q.team.trim())?;
    let period = period_query(&q.period)?;
    let zone = viewer_zone(&snap, &viewer);
    let cadence = snap.update_rules.cadence;
    let now = Utc::now();
    let mut rows = Vec::new();
    if let Some(team) = &team {
        rows = round_view(
            workflow::round(&state, team, period, now).await?,
            cadence,
            zone,
        );
    }
    // The round before the one shown: the viewer's own period (or the
    // period asked for), one cadence period earlier.
    let shown = period.map_or_else(
        || update_period(&snap, &viewer.user.email, now),
        |p| cadence.period_of(p),
    );
    let previous = cadence.period_of(shown - chrono::Duration::days(1));
    Ok(render(
        StatusCode::OK,
        &UpdatesPage {
            nav: nav(&viewer, "updates"),
            teams: policy::visible_teams(&viewer.user, &snap)
                .iter()
                .map(|t| t.name.clone())
                .collect(),
            may_write: team
                .as_deref()
                .is_some_and(|t| writes_in(&snap, &viewer, t)),
            team_q: url_component(team.as_deref().unwrap_or("")),
            team: team.unwrap_or_default(),
            cadence: cadence.as_str(),
            questions: snap.update_rules.questions.join(", "),
            period: period.map_or_else(String::new, |p| cadence.period_of(p).to_string()),
            previous: previous.to_string(),
            rows,
        },
    ))
}

// ---- the form -------------------------------------------------------------

struct QuestionField {
    id: String,
    name: String,
    question: String,
    text: String,
    problem: Option<String>,
}

#[derive(Template)]
#[template(path = "update_new.html")]
struct NewUpdatePage {
    nav: Option<Nav>,
    csrf: String,
    team: String,
    team_q: String,
    period: String,
    due: String,
    version: Option<i64>,
    fields: Vec<QuestionField>,
    problems: Vec<FieldProblem>,
    max_text: usize,
}

/// The form field of a question's answer.
const ANSWER_PREFIX: &str = "answer.";

fn new_page(
    viewer: &Viewer,
    snap: &Snapshot,
    team: String,
    typed: &UpdateInput,
    version: Option<i64>,
    problems: Vec<FieldProblem>,
) -> NewUpdatePage {
    let now = Utc::now();
    let cadence = snap.update_rules.cadence;
    let period = update_period(snap, &viewer.user.email, now);
    let clock = snap
        .person(&viewer.user.email)
        .map_or(&snap.team_clock, |p| &p.clock);
    let due = fulcrum_analysis::workflow::update_due(period, cadence, clock);
    let fields = snap
        .update_rules
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let prefix = format!("{q:?}: ");
            QuestionField {
                id: format!("u-{i}"),
                name: format!("{ANSWER_PREFIX}{q}"),
                question: q.clone(),
                text: typed
                    .answers
                    .iter()
                    .find(|(k, _)| k == q)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
                problem: problems
                    .iter()
                    .find(|p| p.message.starts_with(&prefix))
                    .map(|p| p.message[prefix.len()..].to_owned()),
            }
        })
        .collect();
    NewUpdatePage {
        nav: nav(viewer, "updates"),
        csrf: viewer.csrf().to_owned(),
        team_q: url_component(&team),
        team,
        period: period_words(cadence, period),
        due: due_words(due, *clock.tz()),
        version,
        fields,
        problems,
        max_text: MAX_TEXT_CHARS,
    }
}

/// `?team=`.
#[derive(Debug, Deserialize)]
pub struct TeamQuery {
    #[serde(default)]
    team: String,
}

/// `GET /updates/new`: the form of the viewer's update of their current
/// period, filled with it when it is written (then saving edits it).
pub async fn new_form<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<TeamQuery>,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let asked = if q.team.trim().is_empty() {
        snap.person(&viewer.user.email)
            .map(|p| p.team.clone())
            .ok_or_else(|| {
                Error::Forbidden(
                    "only people on the people list write updates, in their own team".into(),
                )
            })?
    } else {
        q.team.trim().to_owned()
    };
    let team = workflow::require_update_writer(&viewer, &snap, &asked)?;
    let own = workflow::own_update(&state, &viewer, &team, Utc::now()).await?;
    let typed = UpdateInput {
        answers: own.as_ref().map_or_else(Vec::new, |s| {
            s.update
                .answers
                .iter()
                .map(|a| (a.question.clone(), a.text.clone()))
                .collect()
        }),
    };
    Ok(render(
        StatusCode::OK,
        &new_page(
            &viewer,
            &snap,
            team,
            &typed,
            own.map(|s| s.version),
            Vec::new(),
        ),
    ))
}

/// `POST /updates`: writes (or, with the version it was read at, edits)
/// the viewer's update and shows it, or shows the form again with the
/// problem under each question (422). Fields: `csrf`, `team`, `version`
/// (blank for a new one) and `answer.QUESTION` for each question.
pub async fn create<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    FormBody(form): FormBody<Vec<(String, String)>>,
) -> Result<Response, Error> {
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    check_form_csrf(&viewer, field("csrf"))?;
    let version = match field("version").trim() {
        "" => None,
        v => Some(
            v.parse::<i64>()
                .map_err(|_| Error::BadRequest(format!("version: {v:?} is not a number")))?,
        ),
    };
    let snap = state.snapshot();
    let team = workflow::require_update_writer(&viewer, &snap, field("team").trim())?;
    let input = UpdateInput {
        answers: form
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix(ANSWER_PREFIX)
                    .map(|q| (q.to_owned(), v.clone()))
            })
            .collect(),
    };
    match workflow::write_update(&state, &viewer, &team, &input, version).await {
        Ok((u, _)) => Ok(Redirect::to(&format!("/updates/{}", u.id)).into_response()),
        Err(Refused::Fields(problems)) => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &new_page(&viewer, &snap, team, &input, version, problems),
        )),
        Err(Refused::Other(e)) => Err(e),
    }
}

// ---- one update ---------------------------------------------------------------

#[derive(Template)]
#[template(path = "update.html")]
struct UpdatePage {
    nav: Option<Nav>,
    id: i64,
    version: i64,
    team: String,
    team_q: String,
    author: String,
    period: String,
    due: String,
    written: String,
    blockers: bool,
    answers: Vec<AnswerView>,
    may_edit: bool,
}

/// `GET /updates/{id}`: one update of a team the viewer sees.
pub async fn view<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, Error> {
    let item = workflow::update(&state, &viewer, id).await?;
    let snap = state.snapshot();
    let zone = viewer_zone(&snap, &viewer);
    let u = &item.update;
    let current = update_period(&snap, &u.author, Utc::now());
    let page = UpdatePage {
        nav: nav(&viewer, "updates"),
        id: item.id,
        version: item.version,
        team: u.team.clone(),
        team_q: url_component(&u.team),
        author: u.author.clone(),
        period: period_words(u.cadence, u.period),
        due: due_words(workflow::update_due(&snap, u), zone),
        written: local_time(u.written_at, zone),
        blockers: u.blockers().is_some(),
        answers: u
            .answers
            .iter()
            .map(|a| AnswerView {
                question: a.question.clone(),
                text: a.text.clone(),
            })
            .collect(),
        may_edit: u.author == viewer.user.email.trim().to_lowercase()
            && u.period == current
            && writes_in(&snap, &viewer, &u.team),
    };
    Ok(render(StatusCode::OK, &page))
}
