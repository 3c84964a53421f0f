//! The weekly pulse: `GET /pulse?team=` (for a member of the team, this
//! week's questions as a form and their own past answers; for whoever
//! sees the team, its aggregates by week where at least `[policy]
//! min_group_size` people answered) and `POST /pulse` (answer, or change
//! this week's answers from the version the form carries: 409 when it is
//! stale). Leads and administrators see the aggregates only, never anyone's
//! answers; no page shows who answered or who did not.

use super::chrome::{Nav, chosen_team, nav, render, url_component};
use crate::error::Error;
use crate::http::{ApiQuery, FormBody, PageAuth, Viewer, check_form_csrf};
use crate::policy;
use crate::state::AppState;
use crate::workflow::{self, Refused, mean_2dp};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use fulcrum_app::pulse::{PulseInput, pulse_week};
use fulcrum_model::pulse::{MAX_PULSE_QUESTIONS, MAX_SCORE, MIN_SCORE};
use fulcrum_model::workflow::FieldProblem;
use fulcrum_store::Storage;
use serde::Deserialize;

struct QuestionForm {
    /// Its number, from 1.
    n: usize,
    text: String,
    /// The score given this week, 0 when none.
    chosen: u8,
}

struct OwnRow {
    week: String,
    scores: Vec<(usize, u8)>,
    morale: String,
}

struct QuestionRow {
    question: String,
    respondents: u32,
    mean: String,
    distribution: String,
}

struct WeekRow {
    week: String,
    questions: Vec<QuestionRow>,
}

#[derive(Template)]
#[template(path = "pulse.html")]
struct PulsePage {
    nav: Option<Nav>,
    csrf: String,
    teams: Vec<String>,
    team: String,
    min_group: u32,
    may_answer: bool,
    week: String,
    scores: Vec<u8>,
    questions: Vec<QuestionForm>,
    version: Option<i64>,
    problems: Vec<FieldProblem>,
    own: Vec<OwnRow>,
    summary: Vec<WeekRow>,
}

/// `?team=`.
#[derive(Debug, Deserialize)]
pub struct PulseQuery {
    #[serde(default)]
    team: String,
}

/// The page for `viewer` and `team` (the viewer sees it), with `typed`
/// scores and their `problems` after a refused answer.
async fn pulse_page<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    team: Option<String>,
    typed: Option<&PulseInput>,
    problems: Vec<FieldProblem>,
) -> Result<PulsePage, Error> {
    let snap = state.snapshot();
    let questions = &snap.pulse_rules.questions;
    let now = Utc::now();
    let week = pulse_week(&snap, &viewer.user.email, now);
    let may_answer = team
        .as_deref()
        .is_some_and(|t| policy::may_answer_pulse(&viewer.user, &snap, t));
    let (mut own, mut summary) = (Vec::new(), Vec::new());
    let mut this_week = None;
    if let Some(team) = &team {
        if may_answer {
            let mine = workflow::own_pulses(state, viewer, team).await?;
            this_week = mine.iter().find(|p| p.response.week == week).map(|p| {
                (
                    p.version,
                    questions
                        .iter()
                        .map(|q| p.response.score(q).unwrap_or(0))
                        .collect::<Vec<u8>>(),
                )
            });
            own = mine
                .iter()
                .map(|p| OwnRow {
                    week: p.response.week.to_string(),
                    scores: p
                        .response
                        .answers
                        .iter()
                        .map(|a| {
                            (
                                questions
                                    .iter()
                                    .position(|q| *q == a.question)
                                    .map_or(0, |i| i + 1),
                                a.score,
                            )
                        })
                        .collect(),
                    morale: p
                        .response
                        .morale()
                        .map_or_else(String::new, |m| format!("{:.2}", mean_2dp(m))),
                })
                .collect();
        }
        summary = workflow::team_pulse(state, &snap, team)
            .await?
            .into_iter()
            .map(|w| WeekRow {
                week: w.week.to_string(),
                questions: w
                    .questions
                    .into_iter()
                    .map(|q| QuestionRow {
                        question: q.question,
                        respondents: q.respondents,
                        mean: format!("{:.2}", mean_2dp(q.mean)),
                        distribution: q
                            .distribution
                            .iter()
                            .map(u32::to_string)
                            .collect::<Vec<_>>()
                            .join(" / "),
                    })
                    .collect(),
            })
            .collect();
    }
    let chosen = |i: usize, q: &str| -> u8 {
        match typed {
            Some(t) => t
                .scores
                .iter()
                .find(|(k, _)| k == q)
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or(0),
            None => this_week
                .as_ref()
                .and_then(|(_, s)| s.get(i).copied())
                .unwrap_or(0),
        }
    };
    Ok(PulsePage {
        nav: nav(viewer, "pulse"),
        csrf: viewer.csrf().to_owned(),
        teams: policy::visible_teams(&viewer.user, &snap)
            .iter()
            .map(|t| t.name.clone())
            .collect(),
        team: team.unwrap_or_default(),
        min_group: snap.min_group_size,
        may_answer,
        week: week.to_string(),
        scores: (MIN_SCORE..=MAX_SCORE).collect(),
        questions: questions
            .iter()
            .enumerate()
            .map(|(i, q)| QuestionForm {
                n: i + 1,
                text: q.clone(),
                chosen: chosen(i, q),
            })
            .collect(),
        version: this_week.map(|(v, _)| v),
        problems,
        own,
        summary,
    })
}

/// `GET /pulse`: the pulse of a team the viewer sees (their own by
/// default).
pub async fn page<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<PulseQuery>,
) -> Result<Response, Error> {
    let team = chosen_team(&state.snapshot(), &viewer, q.team.trim())?;
    let page = pulse_page(&state, &viewer, team, None, Vec::new()).await?;
    Ok(render(StatusCode::OK, &page))
}

/// The pulse form: a score `q1` ... `q5` per question, and the version of
/// this week's answers when they are changed.
#[derive(Debug, Deserialize)]
pub struct PulseForm {
    #[serde(default)]
    csrf: String,
    team: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    q1: String,
    #[serde(default)]
    q2: String,
    #[serde(default)]
    q3: String,
    #[serde(default)]
    q4: String,
    #[serde(default)]
    q5: String,
}

/// `POST /pulse`: saves the viewer's answers for this week and shows the
/// page again (303), or shows the form with each problem (422); 409 when
/// this week's answers changed since the form was shown.
pub async fn answer<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    FormBody(form): FormBody<PulseForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    let snap = state.snapshot();
    let team = policy::team_for(&viewer.user, &snap, form.team.trim())?
        .name
        .clone();
    let version = match form.version.trim() {
        "" => None,
        v => Some(
            v.parse::<i64>()
                .map_err(|_| Error::BadRequest(format!("version: {v:?} is not a number")))?,
        ),
    };
    let typed = [form.q1, form.q2, form.q3, form.q4, form.q5];
    let input = PulseInput {
        scores: snap
            .pulse_rules
            .questions
            .iter()
            .take(MAX_PULSE_QUESTIONS)
            .zip(typed)
            .map(|(q, s)| (q.clone(), s))
            .collect(),
    };
    match workflow::answer_pulse(&state, &viewer, &team, &input, version).await {
        Ok(_) => Ok(Redirect::to(&format!("/pulse?team={}", url_component(&team))).into_response()),
        Err(Refused::Fields(problems)) => {
            let page = pulse_page(&state, &viewer, Some(team), Some(&input), problems).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(Refused::Other(e)) => Err(e),
    }
}
