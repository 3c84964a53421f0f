//! `GET /me`: the viewer's own week ("my week"): their person signals week
//! by week and the focus blocks planned for the window's last week, looked
//! up only under the signed-in account's email.

use super::chrome::{Nav, nav, render};
use crate::error::Error;
use crate::http::PageAuth;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use fulcrum_app::dashboard::{MY_WEEK_SIGNALS, PersonSnapshot};
use fulcrum_report::report::show;
use fulcrum_store::Storage;

#[derive(Template)]
#[template(path = "me.html")]
struct MePage<'a> {
    nav: Option<Nav>,
    person: Option<&'a PersonSnapshot>,
    focus_week: String,
    focus_note: String,
    planned: String,
    headers: Vec<&'static str>,
    /// (week, one cell per [`MY_WEEK_SIGNALS`]).
    rows: Vec<(String, Vec<String>)>,
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
            .or_else(|| snap.last_week().map(|w| w.to_string()))
            .unwrap_or_default(),
        focus_note: snap
            .focus_note
            .clone()
            .unwrap_or_else(|| "no focus plan".to_owned()),
        planned,
        headers: MY_WEEK_SIGNALS.iter().map(|s| s.as_str()).collect(),
        rows,
    };
    Ok(render(StatusCode::OK, &page))
}
