//! The administrators' imports page: `GET /admin/imports` (stored sources,
//! whether the last import finished, the snapshot's age and the problems
//! met while reading) and
//! `POST /admin/imports` (run the import hook, then recompute the snapshot).

use super::chrome::{CsrfForm, Nav, PAGE_ROWS, PageQuery, nav, render, when};
use crate::error::Error;
use crate::http::{ApiQuery, FormBody, PageAuth, Viewer, check_form_csrf};
use crate::policy;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use fulcrum_store::{Page, Storage};

/// One stored source, a row of the sources table.
struct SourceRow {
    /// `calendar`, `slack`, ...
    kind: &'static str,
    /// Where it came from.
    source: String,
    /// When it was imported.
    imported: String,
    /// Records kept.
    records: u64,
}

#[derive(Template)]
#[template(path = "admin_imports.html")]
struct ImportsPage<'a> {
    nav: Option<Nav>,
    csrf: String,
    summary: Option<String>,
    error: Option<String>,
    /// The store's newest import run did not finish.
    interrupted: Option<String>,
    generated: String,
    teams: usize,
    people: usize,
    from: String,
    to: String,
    sources: Vec<SourceRow>,
    prev: Option<u32>,
    next: Option<u32>,
    problems: &'a [String],
}

async fn imports_page<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    offset: u32,
    summary: Option<String>,
    error: Option<String>,
) -> Result<Response, Error> {
    let list = state
        .store
        .sources(Page {
            offset,
            limit: PAGE_ROWS,
        })
        .await?;
    let next = (list.len() as u32 == PAGE_ROWS).then_some(offset + PAGE_ROWS);
    let prev = (offset > 0).then(|| offset.saturating_sub(PAGE_ROWS));
    let interrupted = fulcrum_app::stored::unfinished_import(&*state.store)
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map(|d| match &d.help {
            Some(help) => format!("{} ({help})", d.message),
            None => d.message.clone(),
        });
    let snap = state.snapshot();
    Ok(render(
        StatusCode::OK,
        &ImportsPage {
            nav: nav(viewer, "imports"),
            csrf: viewer.csrf().to_owned(),
            summary,
            error,
            interrupted,
            generated: when(snap.generated_at),
            teams: snap.teams.len(),
            people: snap.people.len(),
            from: snap.window.from.to_string(),
            to: snap.window.to.to_string(),
            sources: list
                .into_iter()
                .map(|s| SourceRow {
                    kind: s.kind.as_str(),
                    source: s.source,
                    imported: when(s.imported_at),
                    records: s.records,
                })
                .collect(),
            prev,
            next,
            problems: &snap.problems,
        },
    ))
}

/// `GET /admin/imports`: stored sources, the snapshot's age and problems.
pub async fn list<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Response, Error> {
    policy::require_admin(&viewer.user)?;
    imports_page(&state, &viewer, q.offset, None, None).await
}

/// `POST /admin/imports`: runs the import hook, then the refresh hook, and
/// shows the summary (409 while another import runs).
pub async fn run<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    FormBody(form): FormBody<CsrfForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    policy::require_admin(&viewer.user)?;
    let Some(outcome) = crate::schedule::run_import(&state).await else {
        return Err(Error::Conflict(
            "an import is already running; reload this page in a moment".into(),
        ));
    };
    match &outcome {
        Ok(s) => tracing::info!(by = viewer.user.id, summary = %s, "import"),
        Err(e) => tracing::warn!(by = viewer.user.id, error = %e, "import failed"),
    }
    let (summary, error) = match outcome {
        Ok(s) => (Some(s), None),
        Err(e) => (None, Some(e)),
    };
    imports_page(&state, &viewer, 0, summary, error).await
}
