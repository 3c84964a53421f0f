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

# [store]
# Where `fulcrum import` keeps records and `fulcrum serve` reads them.
# url = "postgres://fulcrum@db.example.com/fulcrum"   # default: .fulcrum/fulcrum.db (SQLite)
# retention_days = 400       # drop raw records older than this at each import; aggregates stay
# horizon_weeks = 26         # recurring meetings stored this far past a calendar's export
# import_every = "6h"        # `fulcrum serve` imports on this schedule (no cron job needed)

# [auth.oidc]
# Sign-in through your identity provider; the client secret comes from the
# FULCRUM_OIDC_CLIENT_SECRET environment variable, never from this file.
# issuer = "https://login.example.com"
# client_id = "fulcrum"
# redirect_url = "https://fulcrum.example.com/signin/oidc/callback"

# [serve]
# public_url = "https://fulcrum.example.com"   # the base of links in digests and calendar feeds

# [notify]
# A reminder digest per person, once in their morning, over SMTP. The
# password comes from an environment variable or a file, never this file.
# host = "smtp.example.com"
# port = 587                 # default 587
# from = "Fulcrum <fulcrum@example.com>"
# username = "fulcrum@example.com"
# password_env = "FULCRUM_SMTP_PASSWORD"   # or password_file = "smtp-password.txt"
# starttls = true            # false only for a server on localhost
# digest = true              # false: only `fulcrum notify send` sends

[policy]
# A team aggregate is shown only for groups of at least this many people.
min_group_size = 5
# An incident's written review is due this many business days after it is
# resolved (on the [team] clock).
incident_review_business_days = 5

[policy.updates]
# Written updates: one per person per "daily" or "weekly" period, due at
# the start of their own first working day of it. Questions in order; an
# answer to "blockers" puts an update at the top of the team's round.
cadence = "weekly"
questions = ["status", "blockers", "decisions"]

[policy.pulse]
# The weekly pulse: 1 to 5 questions, each scored 1-5, one answer per person
# per week (a second one that week edits it). A team sees a week's answers
# only as an aggregate, and only when at least min_group_size people answered.
questions = ["How sustainable was your pace this week? (1 = not at all, 5 = fully)"]

[policy.sla]
# SLA classes: hours on the business-hours clock.
urgent = 2
normal = 24

# Decision types for `fulcrum route` (docs/moves.md, "route"): mode "sync"
# or "async", a format, an SLA class, who decides, where to respond.
# Defaults when this table is absent (declaring any type replaces them all):
#   architecture   async  rfc                                    normal
#   design-review  async  written proposal with comment period   normal
#   hiring         sync   meeting with pre-read (scorecards ...) normal
#   incident       sync   call (a crisis: sync first, then write the outcome) urgent
#   status         async  written update                         normal
#   strategy       sync   meeting with pre-read                  normal
#   vendor-choice  async  written proposal with comment period   normal
# [policy.decisions.vendor-choice]
# mode = "async"                     # required
# format = "written proposal with comment period"   # default: "meeting" (sync), "thread" (async)
# sla = "normal"                     # a class of [policy.sla]
# who_decides = "the budget owner"   # default: "the decision owner"
# respond_in = "comments on the proposal document"  # default: by mode

[policy.meetings]
max_minutes = 50           # timebox
max_attendees = 8
required = ["agenda", "outcome"]   # of: agenda, outcome, preread, summary
short_minutes = 30         # "short meeting"
short_notice_hours = 24    # "short notice"
count_tentative = false    # TENTATIVE counts as attending
# hourly_rate = 90          # cost of a person-hour (`fulcrum audit`); default: none

[policy.focus]
min_block_minutes = 120
hours_per_day = 2

[policy.chat]
async_minutes_per_message = 2
unanswered_after_business_days = 5
exchange_gap_hours = 8           # a DM message after this much silence opens an exchange (an ask)
huddle_minutes = 15              # estimated call minutes per huddle post (sync_share)
urgent_channels = []

[policy.lint]
# `fulcrum lint`: each rule "off", "note", "warning" or "error" (docs/moves.md).
missing_outcome = "warning"
missing_agenda = "warning"
missing_preread = "warning"        # decision meetings (title: decide, approve, ...)
over_timebox = "warning"           # longer than [policy.meetings] max_minutes
too_many_invitees = "warning"      # more than [policy.meetings] max_attendees
series_without_end = "warning"
outside_working_hours = "warning"
outside_overlap = "note"
back_to_back = "note"
on_focus_block = "warning"
min_break_minutes = 5              # a shorter gap is no break
max_chain = 3                      # this many meetings in a row is a chain

[policy.audit]
# `fulcrum audit`'s recommendation thresholds (shares are fractions).
cancel_decline_rate = 0.5          # cancel at this decline rate
async_hygiene_share = 0.5          # make async when outcome and agenda shares are below
shorten_overrun_share = 0.25       # shorten when this share of instances overran

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
multitasking_share = 0.50
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
