//! The dashboard's experiment forms: `POST /dashboard/experiments` starts
//! one for a team and `POST /dashboard/experiments/{id}/end` stops one
//! today. Only the team's leads and administrators may
//! ([`policy::require_experiment_manager`]). The workspace file stays the
//! one source of truth: the app's hook writes the `[[experiment]]` table
//! (or its `ended` day) into `fulcrum.toml`, then the dashboard is
//! recomputed.

use super::chrome::url_component;
use crate::error::Error;
use crate::http::{ApiPath, FormBody, PageAuth, check_form_csrf};
use crate::policy;
use crate::state::{AppState, EditError, ExperimentEdit};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use fulcrum_store::Storage;
use serde::Deserialize;

/// Longest text accepted in a field of these forms.
const MAX_FIELD: usize = 2000;

/// The start form.
#[derive(Debug, Deserialize)]
pub struct NewForm {
    #[serde(default)]
    csrf: String,
    team: String,
    start: String,
    #[serde(default)]
    weeks: String,
    #[serde(default)]
    finding: String,
    #[serde(default)]
    control: String,
}

/// The end form.
#[derive(Debug, Deserialize)]
pub struct EndForm {
    #[serde(default)]
    csrf: String,
    team: String,
}

fn field<'a>(name: &str, v: &'a str) -> Result<&'a str, Error> {
    if v.len() > MAX_FIELD {
        return Err(Error::BadRequest(format!(
            "{name}: at most {MAX_FIELD} characters"
        )));
    }
    Ok(v.trim())
}

/// Parses the start form into an edit: every field checked, each error
/// naming its field.
fn new_edit(form: &NewForm) -> Result<ExperimentEdit, Error> {
    let team = field("team", &form.team)?.to_owned();
    let start =
        NaiveDate::parse_from_str(field("start", &form.start)?, "%Y-%m-%d").map_err(|_| {
            Error::Unprocessable(format!(
                "first day of the change: {:?} is not a date (YYYY-MM-DD)",
                form.start.trim()
            ))
        })?;
    let weeks = match field("weeks", &form.weeks)? {
        "" => None,
        w => match w.parse::<u32>() {
            Ok(n) if (1..=52).contains(&n) => Some(n),
            _ => {
                return Err(Error::Unprocessable(format!(
                    "weeks: {w:?} is not a whole number of weeks from 1 to 52"
                )));
            }
        },
    };
    let from_finding = Some(field("finding", &form.finding)?.to_owned()).filter(|f| !f.is_empty());
    let control = policy::teams_from_text(field("control teams", &form.control)?)?;
    Ok(ExperimentEdit::New {
        team,
        start,
        weeks,
        from_finding,
        control,
    })
}

/// Runs the hook, recomputes the dashboard and goes back to the team.
async fn apply<S: Storage + 'static>(
    state: &AppState<S>,
    viewer_id: i64,
    team: &str,
    edit: ExperimentEdit,
    done: &str,
) -> Result<Response, Error> {
    let Some(hook) = state.hooks.experiments.clone() else {
        return Err(Error::Conflict(
            "this server cannot edit the workspace's experiments: declare them in fulcrum.toml"
                .into(),
        ));
    };
    let said = hook(edit).await.map_err(|e| match e {
        EditError::Invalid(m) => Error::Unprocessable(m),
        EditError::Failed(m) => Error::Internal(m),
    })?;
    tracing::info!(by = viewer_id, team, outcome = %said, "experiment edited");
    if let Err(e) = state.refresh().await {
        tracing::warn!(error = %e, "recomputing after an experiment edit failed");
    }
    let team = url_component(team);
    Ok(Redirect::to(&format!("/dashboard?team={team}&done={done}#experiments")).into_response())
}

/// `POST /dashboard/experiments`: declares an experiment for the form's
/// team.
pub async fn create<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    FormBody(form): FormBody<NewForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    let team = field("team", &form.team)?;
    policy::require_experiment_manager(&viewer.user, &state.snapshot(), team)?;
    let edit = new_edit(&form)?;
    apply(&state, viewer.user.id, team, edit, "experiment-started").await
}

/// `POST /dashboard/experiments/{id}/end`: stops the team's experiment
/// today (or removes it when not one whole week of the change ran).
pub async fn end<S: Storage + 'static>(
    State(state): State<AppState<S>>,
    PageAuth(viewer): PageAuth,
    ApiPath(id): ApiPath<String>,
    FormBody(form): FormBody<EndForm>,
) -> Result<Response, Error> {
    check_form_csrf(&viewer, &form.csrf)?;
    let team = field("team", &form.team)?;
    field("id", &id)?;
    policy::require_experiment_manager(&viewer.user, &state.snapshot(), team)?;
    let edit = ExperimentEdit::End {
        team: team.to_owned(),
        id,
        today: chrono::Utc::now().date_naive(),
    };
    apply(&state, viewer.user.id, team, edit, "experiment-ended").await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(start: &str, weeks: &str, control: &str) -> NewForm {
        NewForm {
            csrf: String::new(),
            team: " data ".into(),
            start: start.into(),
            weeks: weeks.into(),
            finding: "meeting_overload".into(),
            control: control.into(),
        }
    }

    #[test]
    fn the_start_form_is_checked_field_by_field() {
        assert_eq!(
            new_edit(&form("2026-10-12", "6", "search, growth")).unwrap(),
            ExperimentEdit::New {
                team: "data".into(),
                start: NaiveDate::from_ymd_opt(2026, 10, 12).unwrap(),
                weeks: Some(6),
                from_finding: Some("meeting_overload".into()),
                control: vec!["search".into(), "growth".into()],
            }
        );
        let msg = |f: NewForm| new_edit(&f).unwrap_err().to_string();
        assert!(msg(form("12/10/2026", "", "")).starts_with("first day of the change:"));
        assert!(msg(form("2026-10-12", "0", "")).starts_with("weeks: \"0\""));
        assert!(msg(form("2026-10-12", "53", "")).starts_with("weeks:"));
        assert!(msg(form(&"9".repeat(MAX_FIELD + 1), "", "")).starts_with("start: at most"));
        assert_eq!(url_component("a b&c"), "a%20b%26c");
    }
}
