//! `GET /me`: the viewer's own week ("my week"): what waits on them in
//! their team (see [`super::waits`]), a chart of each of their
//! person signals week by week (the numbers in a table below), and the
//! focus blocks planned for the current or next week, with
//! `GET /me/focus.ics` to import them. Both are looked up only under the
//! signed-in account's email: there is no way to ask for someone else's.

use super::chrome::{Nav, nav, render, viewer_zone};
use super::waits::{MyWaits, my_waits};
use crate::error::Error;
use crate::http::PageAuth;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fulcrum_app::dashboard::{MY_WEEK_SIGNALS, PersonSnapshot};
use fulcrum_report::report::svg::line_chart;
use fulcrum_report::report::{show, signal_title};
use fulcrum_store::Storage;

#[derive(Template)]
#[template(path = "me.html")]
struct MePage<'a> {
    nav: Option<Nav>,
    person: Option<&'a PersonSnapshot>,
    focus_week: String,
    focus_note: String,
    planned: String,
    /// Column headers in words, one per [`MY_WEEK_SIGNALS`].
    headers: Vec<String>,
    /// (week, one cell per [`MY_WEEK_SIGNALS`]).
    rows: Vec<(String, Vec<String>)>,
    /// One SVG chart per signal of [`MY_WEEK_SIGNALS`] with a value in
    /// some week (the report's own chart renderer).
    charts: Vec<String>,
    /// What waits on the viewer in their own team (none off the people
    /// list).
    waits: Option<MyWaits>,
    /// Their team, for the link to what waits on whom.
    team_q: String,
    /// The form token.
    csrf: String,
    /// When their calendar feed was created, if they have one.
    feed_since: Option<String>,
}

/// `GET /me`: the viewer's own week: signals and planned focus blocks.
pub async fn page<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let person = snap.person(&viewer.user.email);
    let rows = person
        .map(|p| {
            p.weeks
                .iter()
                .map(|(week, cells)| {
                    let shown = MY_WEEK_SIGNALS
                        .iter()
                        .map(|id| match cells.iter().find(|(i, _)| i == id) {
                            Some((_, c)) if c.value.is_some() => show(*id, c.value),
                            Some((_, c)) => c.reason.unwrap_or("unknown").replace('_', " "),
                            None => String::new(),
                        })
                        .collect();
                    (week.to_string(), shown)
                })
                .collect()
        })
        .unwrap_or_default();
    let charts = person.map(own_charts).unwrap_or_default();
    let waits = match person {
        Some(p) => Some(
            my_waits(
                &state,
                &snap,
                &p.team,
                &viewer.user.email,
                viewer_zone(&snap, &viewer),
                chrono::Utc::now(),
            )
            .await?,
        ),
        None => None,
    };
    let feed_since = match person {
        Some(p) => super::feed::feed_since(&state, &p.email)
            .await?
            .map(super::chrome::when),
        None => None,
    };
    let team_q = person.map_or_else(String::new, |p| super::chrome::url_component(&p.team));
    let planned = person
        .and_then(|p| p.focus.as_ref())
        .map(|f| {
            format!(
                "{} h {:02} min",
                f.planned_minutes / 60,
                f.planned_minutes % 60
            )
        })
        .unwrap_or_default();
    let page = MePage {
        nav: nav(&viewer, "me"),
        person,
        focus_week: person
            .and_then(|p| p.focus.as_ref())
            .map(|f| f.week.to_string())
            .or_else(|| {
                let (from, _) = fulcrum_app::dashboard::focus_dates(snap.generated_at.date_naive());
                Some(fulcrum_analysis::Week::of_date(from).to_string())
            })
            .unwrap_or_default(),
        focus_note: snap
            .focus_note
            .clone()
            .unwrap_or_else(|| "no focus plan".to_owned()),
        planned,
        headers: MY_WEEK_SIGNALS.iter().map(|s| signal_title(*s)).collect(),
        rows,
        charts,
        waits,
        team_q,
        csrf: viewer.csrf().to_owned(),
        feed_since,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The person's own weeks as charts, one per signal that has a value in
/// some week. No threshold line: the policy thresholds judge a team's
/// median, not one person's week.
fn own_charts(p: &PersonSnapshot) -> Vec<String> {
    let weeks: Vec<_> = p.weeks.iter().map(|(w, _)| *w).collect();
    MY_WEEK_SIGNALS
        .iter()
        .filter_map(|id| {
            let values: Vec<Option<f64>> = p
                .weeks
                .iter()
                .map(|(_, cells)| cells.iter().find(|(i, _)| i == id)?.1.value)
                .collect();
            values
                .iter()
                .any(Option::is_some)
                .then(|| line_chart("you", *id, &weeks, &values, None))
        })
        .collect()
}

/// `GET /me/focus.ics`: the signed-in person's planned focus blocks as an
/// RFC 5545 calendar to import (the UIDs `fulcrum focus` gives the same
/// blocks, so importing again updates them). 404 when the account is not
/// on the people list or no blocks were planned.
pub async fn focus_ics<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
) -> Result<Response, Error> {
    let snap = state.snapshot();
    let focus = snap
        .person(&viewer.user.email)
        .and_then(|p| p.focus.as_ref())
        .ok_or_else(|| Error::NotFound("no focus blocks are planned for you".to_owned()))?;
    let mut body = Vec::with_capacity(512 + 400 * focus.events.len());
    fulcrum_report::ics_write::write_calendar(
        &mut body,
        &format!("Focus time {}", focus.week),
        snap.generated_at,
        &focus.events,
    )
    .map_err(|e| Error::Internal(format!("ics: {e}")))?;
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"focus.ics\""),
    );
    Ok(res)
}
