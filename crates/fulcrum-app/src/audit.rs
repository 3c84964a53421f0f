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

/// Audits the recurring series of what was read, sorted by cost.
pub fn audit_meetings(loaded: &LoadedMeetings) -> Vec<SeriesAudit> {
    let resolver = loaded.resolver();
    audit(
        &loaded.inputs(),
        &loaded.people,
        &resolver,
        &loaded.params(),
        &audit_config_of(&loaded.policy),
    )
}
