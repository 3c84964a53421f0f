//! The workspace files: `fulcrum.toml` pointing its sources at the files
//! the demo writes, and `people.csv` with every person's team, zone,
//! working hours and aliases (Slack user id, Mattermost username) so
//! identities resolve across sources.

use crate::org::{COMPANY, DOMAIN, Org};
use crate::work_items::csv_field;

/// Paths the demo writes, relative to the output folder.
pub mod paths {
    /// The workspace file.
    pub const WORKSPACE: &str = "fulcrum.toml";
    /// The people list.
    pub const PEOPLE: &str = "people.csv";
    /// The calendars' folder.
    pub const CALENDARS: &str = "calendars";
    /// The Slack export.
    pub const SLACK: &str = "chat/slack-export.zip";
    /// The Mattermost export.
    pub const MATTERMOST: &str = "chat/mattermost.jsonl";
    /// Work items.
    pub const WORK_ITEMS: &str = "work_items.csv";
    /// Pulse answers.
    pub const PULSE: &str = "pulse.csv";
    /// The answer key for people.
    pub const TRUTH_MD: &str = "TRUTH.md";
    /// The answer key for programs.
    pub const TRUTH_JSON: &str = "truth.json";
    /// What this folder is.
    pub const README: &str = "README.md";
}

/// `fulcrum.toml`.
pub fn workspace_toml(org: &Org) -> String {
    format!(
        r#"# fulcrum.toml: a demo workspace written by `fulcrum demo --seed {seed} --people {people} --weeks {weeks} --start {start}`.
# {people} people of {COMPANY} (an invented company) in {teams} teams, {weeks} weeks from {start}.
# TRUTH.md and truth.json say which patterns were planted in which team.

[team]
name = "lumen-labs"
domains = ["{DOMAIN}"]
people_csv = "people.csv"
working_hours = "Mon-Fri 09:00-17:00"
tz = "UTC"

[sources]
calendars = ["calendars/*.ics"]
chat = ["chat/slack-export.zip", "chat/mattermost.jsonl"]
work_items = ["work_items.csv"]
pulse = ["pulse.csv"]

[policy]
min_group_size = 5
{experiments}"#,
        seed = org.seed,
        people = org.people.len(),
        weeks = org.weeks,
        start = org.start,
        teams = org.teams.len(),
        experiments = crate::experiments::toml(org),
    )
}

/// `people.csv`.
pub fn people_csv(org: &Org) -> String {
    let mut s = String::from("email,name,team,tz,working_hours,aliases\n");
    for p in &org.people {
        let mut aliases = vec![p.slack_id.clone()];
        if let Some(u) = &p.mm_username {
            aliases.push(u.clone());
        }
        s.push_str(&format!(
            "{},{},{},{},{},{}\n",
            p.email,
            csv_field(&p.name),
            org.teams[p.team].slug,
            p.zone.iana(),
            p.hours.text(),
            aliases.join(";")
        ));
    }
    s
}

/// The calendar file of a person.
pub fn calendar_path(org: &Org, person: usize) -> String {
    format!("{}/{}.ics", paths::CALENDARS, org.people[person].handle)
}
