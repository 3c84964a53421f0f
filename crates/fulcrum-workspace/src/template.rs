//! The commented templates `fulcrum init` writes. Every key is shown with
//! its default; a test checks that the template parses to the defaults.

/// `fulcrum.toml` as `fulcrum init` writes it.
pub const WORKSPACE_TEMPLATE: &str = r#"# fulcrum.toml: the workspace of one team (see docs/workspace.md).
# Every key below is optional; the values shown are the defaults unless a
# comment says otherwise. Unknown keys are errors.

[team]
name = "team"
# The organisation's mail domains. Addresses elsewhere are external; an
# address in these domains that is not on the people list is "unlisted".
# Default: the domains of the people's emails.
# domains = ["example.com"]
# People may be listed in a CSV instead of (or as well as) [[people]] below.
# Columns: email,name,team,tz,working_hours,aliases
people_csv = "people.csv"
# Working hours of people who have none of their own (local time).
working_hours = "Mon-Fri 09:00-17:00"
# Time zone of people for whom neither the list nor a source gives one.
tz = "UTC"

# One [[people]] table per person (or use people.csv).
# [[people]]
# email = "ana@example.com"          # required; the person's identity
# name = "Ana Ribeiro"               # default: the email's local part
# team = "platform"                  # default: [team] name
# tz = "Europe/Lisbon"               # IANA name; default: from Slack, else [team] tz
# working_hours = "Mon-Thu 08:00-12:00 13:00-17:00, Fri 08:00-12:00"
# aliases = ["U024BE7LH", "ana.r@example.com"]   # Slack ids, other emails, Mattermost usernames

[sources]
# Globs relative to this folder.
calendars = ["calendars/**/*.ics"]
chat = ["chat/*.zip", "chat/*.jsonl"]
work_items = []
pulse = []

[policy]
# A team aggregate is shown only for groups of at least this many people.
min_group_size = 5

[policy.sla]
# SLA classes: hours on the business-hours clock.
urgent = 2
normal = 24

# Decision types: mode "sync" or "async", a format, an SLA class.
# Defaults when this table is absent: incident (sync, call, urgent),
# architecture (async, rfc, normal), status (async, written update, normal).
# [policy.decisions.architecture]
# mode = "async"
# format = "rfc"
# sla = "normal"

[policy.meetings]
max_minutes = 50           # timebox
max_attendees = 8
required = ["agenda", "outcome"]   # of: agenda, outcome, preread, summary
short_minutes = 30         # "short meeting"
short_notice_hours = 24    # "short notice"
count_tentative = false    # TENTATIVE counts as attending

[policy.focus]
min_block_minutes = 120
hours_per_day = 2

[policy.chat]
async_minutes_per_message = 2
unanswered_after_business_days = 5
urgent_channels = []

[policy.thresholds]
# When findings fire (SIGNALS.md, "Findings"). Shares are fractions.
short_meetings_per_week = 3
thread_escalations_per_team_week = 2
conflict_hours_per_week = 1
cross_tz_ask_share = 0.10
short_notice_share = 0.35
focus_hours_per_week = 10
fragmentation = 0.50
meeting_share = 0.40
hygiene_min_share = 0.50
organizer_concentration = 0.50
sla_breach_rate = 0.20
recurring_share = 0.60
tz_burden_gini = 0.50
"#;

/// `people.csv` as `fulcrum init` writes it: the header and one example row
/// (commented out is not possible in CSV, so the row uses example.com).
pub const PEOPLE_TEMPLATE: &str = "email,name,team,tz,working_hours,aliases\n\
ana@example.com,Ana Ribeiro,team,Europe/Lisbon,Mon-Fri 09:00-17:00,U024BE7LH;ana.r@example.com\n";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{default_policy, parse_workspace};
    use crate::people::parse_people_csv;

    #[test]
    fn template_parses_to_the_documented_defaults() {
        let ws = parse_workspace(WORKSPACE_TEMPLATE, "fulcrum.toml").unwrap();
        assert_eq!(ws.policy, default_policy());
        assert_eq!(ws.team.people_csv.as_deref(), Some("people.csv"));
        assert_eq!(ws.sources.chat, ["chat/*.zip", "chat/*.jsonl"]);
        let people = parse_people_csv(PEOPLE_TEMPLATE, "people.csv", &ws.team).unwrap();
        assert_eq!(people[0].aliases, ["U024BE7LH", "ana.r@example.com"]);
    }
}
