//! `fulcrum route`: load the policy (the workspace's, or the default one
//! without a workspace), pick the business-hours clock, and hand both to
//! the pure router in `fulcrum_analysis::route`.

use crate::workspace::{WorkspaceError, load_workspace};
use fulcrum_analysis::WorkClock;
pub use fulcrum_analysis::route::{
    Attributes, DeadlineClock, DecisionType, Mode, Route, RouteError, RoutePolicy, RouteRequest,
    Urgency,
};
use fulcrum_workspace::Policy;
use fulcrum_workspace::config::{DecisionMode, default_policy};
use std::collections::BTreeSet;
use std::path::Path;

/// Why `fulcrum route` gave no route.
#[derive(Debug, thiserror::Error)]
pub enum RouteAppError {
    /// The workspace could not be read.
    #[error("{0}")]
    Workspace(#[from] WorkspaceError),
    /// `--person` names nobody of the workspace.
    #[error(
        "--person {0:?} is not on the workspace's people list (fulcrum.toml [[people]] or people.csv)"
    )]
    UnknownPerson(String),
    /// `--person` without a workspace.
    #[error("--person needs a workspace: give WORKSPACE or run inside one")]
    PersonWithoutWorkspace,
    /// The router refused: unknown type or contradictory request.
    #[error("{0}")]
    Route(#[from] RouteError),
}

/// The router's view of a workspace policy.
pub fn route_policy(policy: &Policy) -> RoutePolicy {
    RoutePolicy {
        sla_hours: policy.sla_hours.clone(),
        types: policy
            .decisions
            .iter()
            .map(|(name, d)| {
                (
                    name.clone(),
                    DecisionType {
                        mode: match d.mode {
                            DecisionMode::Sync => Mode::Sync,
                            DecisionMode::Async => Mode::Async,
                        },
                        format: d.format.clone(),
                        sla: d.sla.clone(),
                        who_decides: d.who_decides.clone(),
                        respond_in: d.respond_in.clone(),
                    },
                )
            })
            .collect(),
    }
}

/// Routes a decision. With a workspace root, its policy and the business
/// clock of `person` (an email or alias) or, without one, of `[team]`
/// working hours and zone; without a root, the default policy and the wall
/// clock.
pub fn route_decision(
    root: Option<&Path>,
    person: Option<&str>,
    request: &RouteRequest,
) -> Result<Route, RouteAppError> {
    let Some(root) = root else {
        if person.is_some() {
            return Err(RouteAppError::PersonWithoutWorkspace);
        }
        return Ok(fulcrum_analysis::route::route(
            &route_policy(&default_policy()),
            request,
            None,
        )?);
    };
    let loaded = load_workspace(root)?;
    let ws = &loaded.workspace;
    let (clock, whose) = match person {
        Some(p) => {
            let key = p.trim().to_lowercase();
            let spec = ws
                .people
                .iter()
                .find(|s| s.email == key || s.aliases.iter().any(|a| a.to_lowercase() == key))
                .ok_or_else(|| RouteAppError::UnknownPerson(p.to_owned()))?;
            let tz = spec.tz.unwrap_or(ws.team.tz);
            (
                WorkClock::new(tz, spec.working_hours.clone(), BTreeSet::new()),
                format!("working hours of {} ({})", spec.email, tz.name()),
            )
        }
        None => (
            WorkClock::new(ws.team.tz, ws.team.working_hours.clone(), BTreeSet::new()),
            format!("[team] working hours ({})", ws.team.tz.name()),
        ),
    };
    Ok(fulcrum_analysis::route::route(
        &route_policy(&ws.policy),
        request,
        Some((&clock, &whose)),
    )?)
}

/// The router's view of the default policy (no workspace).
pub fn default_route_policy() -> RoutePolicy {
    route_policy(&default_policy())
}
