//! `GET /dashboard[?team=NAME]`: an overview of every team the viewer may
//! see (when more than one: the report's heatmap of key signals, findings
//! per team, experiments), then one team's findings, charts and tables
//! (the report's own HTML fragment) and its stored history; htmx swaps the
//! team in place and gets only the report part.

use super::chrome::{Nav, nav, render, when};
use crate::error::Error;
use crate::history;
use crate::http::{ApiQuery, PageAuth};
use crate::policy::{self, visible_teams};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use fulcrum_app::dashboard::{Snapshot, TeamSnapshot};
use fulcrum_store::{Role, Storage};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "report_part.html")]
struct ReportPart<'a> {
    team: Option<&'a TeamSnapshot>,
    min: u32,
    empty: String,
    /// The team's stored history (none without a team).
    history: Option<HistoryPart>,
    /// The experiment forms, for the team's leads and administrators.
    manage: Option<Manage>,
    /// What the last form did (fixed sentences only).
    notice: Option<&'static str>,
    /// The link to what waits on whom in the team (empty without a team).
    waits_href: String,
    /// The link to the team's written updates (empty without a team).
    updates_href: String,
    /// The link to the team's pulse (empty without a team).
    pulse_href: String,
}

/// The dashboard's "Start or end an experiment" forms.
struct Manage {
    csrf: String,
    team: String,
    /// The team's findings: (id, title).
    findings: Vec<(String, String)>,
    /// The other teams, as control candidates.
    others: String,
    /// The team's experiments that can still be ended: (id, state).
    running: Vec<(String, &'static str)>,
}

fn manage(team: &TeamSnapshot, snap: &Snapshot, csrf: &str) -> Manage {
    let mut findings: Vec<(String, String)> = Vec::new();
    for f in &team.report.findings {
        if !findings.iter().any(|(id, _)| id == f.id) {
            findings.push((f.id.to_owned(), f.title.to_owned()));
        }
    }
    let today = chrono::Utc::now().date_naive();
    Manage {
        csrf: csrf.to_owned(),
        team: team.name.clone(),
        findings,
        others: snap
            .teams
            .iter()
            .filter(|t| t.name != team.name)
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        running: team
            .report
            .experiments
            .iter()
            .filter(|e| e.spec.ended.is_none() && today <= e.spec.treatment_dates().1)
            .map(|e| (e.spec.id.clone(), e.state.as_str()))
            .collect(),
    }
}

/// The dashboard's "History" section.
struct HistoryPart {
    table: Arc<history::Table>,
    /// Shown instead of an empty table.
    empty: String,
    /// Most weeks shown.
    weeks: i64,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    nav: Option<Nav>,
    title: &'a str,
    from: String,
    to: String,
    weeks: usize,
    rule: &'a str,
    generated: String,
    min: u32,
    teams: Vec<&'a str>,
    current: &'a str,
    /// The overview of every team the viewer may see (when more than
    /// one): the report's own heatmap of key signals, aggregates only.
    overview: Option<String>,
    part: String,
}

/// `?team=` (and `done=` after an experiment form).
#[derive(Debug, Deserialize)]
pub struct TeamQuery {
    team: Option<String>,
    done: Option<String>,
}

/// `GET /dashboard[?team=NAME]`: the findings, charts and tables of one of
/// the teams the viewer may see (the report's own renderer). With
/// `HX-Request` (htmx), only the report part.
pub async fn page<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<TeamQuery>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let visible = visible_teams(&viewer.user, &snap);
    let team = match q.team.as_deref().filter(|t| !t.is_empty()) {
        Some(name) => Some(policy::team_for(&viewer.user, &snap, name)?),
        None => visible.first().copied(),
    };
    let history = match team {
        Some(t) => Some(history_part(&state, t, &snap).await?),
        None => None,
    };
    let empty = if snap.teams.is_empty() {
        "Nothing has been computed yet: an administrator can run an import.".to_owned()
    } else if snap.person(&viewer.user.email).is_none() && viewer.user.role == Role::Member {
        "Your email is not on the workspace's people list, so there is no team of yours to show."
            .to_owned()
    } else {
        "No team is assigned to you: ask an administrator.".to_owned()
    };
    // Fixed sentences only: nothing from the query string is echoed.
    let notice = match q.done.as_deref() {
        Some("experiment-started") => Some(
            "The experiment was added to fulcrum.toml; edit its change and signals there if needed.",
        ),
        Some("experiment-ended") => {
            Some("The experiment was ended (or removed, if no whole week of it had run).")
        }
        _ => None,
    };
    let manage = team
        .filter(|t| {
            state.hooks.experiments.is_some()
                && policy::may_manage_experiments(&viewer.user, &snap, &t.name)
        })
        .map(|t| manage(t, &snap, viewer.csrf()));
    let part = ReportPart {
        team,
        min: snap.min_group_size,
        empty,
        history,
        manage,
        notice,
        waits_href: team.map_or_else(String::new, |t| {
            format!("/waits?team={}", super::chrome::url_component(&t.name))
        }),
        updates_href: team.map_or_else(String::new, |t| {
            format!("/updates?team={}", super::chrome::url_component(&t.name))
        }),
        pulse_href: team.map_or_else(String::new, |t| {
            format!("/pulse?team={}", super::chrome::url_component(&t.name))
        }),
    }
    .render()
    .map_err(|e| Error::Internal(format!("template: {e}")))?;
    // htmx swapping the team in place gets the report part only; a history
    // restore (back button) gets the whole page.
    if headers.contains_key("hx-request") && !headers.contains_key("hx-history-restore-request") {
        let mut res = Html(part).into_response();
        res.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("HX-Request"));
        return Ok(res);
    }
    // Built per request from the teams' prepared reports: which teams
    // depends on the viewer, and a table of a few rows is cheap.
    let overview = (visible.len() > 1).then(|| {
        let reports: Vec<&fulcrum_report::report::Report> =
            visible.iter().map(|t| &t.report).collect();
        let mut html = Vec::with_capacity(1 << 12);
        // Writing to a Vec cannot fail.
        let _ = fulcrum_report::report::html::write_overview(&reports, &mut html);
        String::from_utf8_lossy(&html).into_owned()
    });
    let page = DashboardPage {
        nav: nav(&viewer, "dashboard"),
        title: &snap.title,
        from: snap.window.from.to_string(),
        to: snap.window.to.to_string(),
        weeks: snap.weeks.len(),
        rule: &snap.window_rule,
        generated: when(snap.generated_at),
        min: snap.min_group_size,
        teams: visible.iter().map(|t| t.name.as_str()).collect(),
        current: team.map_or("", |t| t.name.as_str()),
        overview,
        part,
    };
    let mut res = render(StatusCode::OK, &page);
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("HX-Request"));
    Ok(res)
}

/// The dashboard's history of `team`: a few key signals of the last
/// [`history::TABLE_WEEKS`] weeks up to the snapshot's window, from the
/// store at most once per [`history::TABLE_TTL`] (none for a team too small
/// to show).
async fn history_part<S: Storage + 'static>(
    state: &AppState<S>,
    team: &TeamSnapshot,
    snap: &Snapshot,
) -> Result<HistoryPart, Error> {
    if team.too_small {
        return Ok(HistoryPart {
            table: Arc::new(history::Table::default()),
            empty: format!(
                "Team {} is too small to show: no history is kept for it.",
                team.name
            ),
            weeks: history::TABLE_WEEKS,
        });
    }
    let since = history::table_since(snap.window.to);
    let min = snap.min_group_size;
    let table = state
        .history
        .get(&team.name, || async {
            let rows = state.store.aggregates(Some(team.name.clone())).await?;
            let rows = history::since(rows, since)
                .into_iter()
                .filter(|a| {
                    history::TABLE_SIGNALS
                        .iter()
                        .any(|id| id.as_str() == a.signal)
                })
                .collect();
            Ok(history::table(&history::weeks(rows, min)))
        })
        .await?;
    Ok(HistoryPart {
        table,
        empty: "No stored history yet: run an import.".to_owned(),
        weeks: history::TABLE_WEEKS,
    })
}
