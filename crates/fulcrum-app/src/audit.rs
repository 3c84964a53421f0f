//! `fulcrum audit`: the recurring-meeting audit over what
//! [`crate::lint::load_meetings`] read.

use crate::lint::LoadedMeetings;
use fulcrum_analysis::audit::{AuditConfig, SeriesAudit, audit};
use fulcrum_workspace::Policy;

/// The audit thresholds of a policy.
pub fn audit_config_of(policy: &Policy) -> AuditConfig {
    AuditConfig {
        cancel_decline_rate: policy.audit.cancel_decline_rate,
        async_hygiene_share: policy.audit.async_hygiene_share,
        shorten_overrun_share: policy.audit.shorten_overrun_share,
        timebox_minutes: policy.meetings.max_minutes,
        hourly_rate: policy.meetings.hourly_rate,
    }
}

/// `--team` names no team of the workspace.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    /// Plain files: nobody's team is known.
    #[error("--team {0:?} needs a workspace: plain .ics files say nothing about teams")]
    NoWorkspace(String),
    /// Not a team of the people list.
    #[error("no team {team:?} in the workspace (teams: {known})")]
    Unknown {
        /// What was given.
        team: String,
        /// The teams.
        known: String,
    },
}

/// Audits the recurring series of what was read, sorted by cost; with a
/// team, only the series its members organize.
pub fn audit_meetings(
    loaded: &LoadedMeetings,
    team: Option<&str>,
) -> Result<Vec<SeriesAudit>, TeamError> {
    let resolver = loaded.resolver();
    let mut audits = audit(
        &loaded.inputs(),
        &loaded.people,
        &resolver,
        &loaded.params(),
        &audit_config_of(&loaded.policy),
    );
    if let Some(t) = team {
        if loaded.people.is_empty() {
            return Err(TeamError::NoWorkspace(t.to_owned()));
        }
        if !loaded.people.iter().any(|p| p.team.eq_ignore_ascii_case(t)) {
            let mut known: Vec<&str> = loaded.people.iter().map(|p| p.team.as_str()).collect();
            known.sort_unstable();
            known.dedup();
            return Err(TeamError::Unknown {
                team: t.to_owned(),
                known: known.join(", "),
            });
        }
        audits.retain(|a| a.team.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(t)));
    }
    Ok(audits)
}
