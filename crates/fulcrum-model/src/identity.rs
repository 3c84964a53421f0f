//! Identities seen in data, and what they resolve to.
//!
//! A person shows up under many names: an email on the calendar, a Slack user
//! id, a Mattermost username. Ingest reports each account it saw as a
//! [`SourceUser`]; identity resolution (in `fulcrum-workspace`) maps it to a
//! [`Resolved`] value.

use chrono_tz::Tz;

/// An account as a source describes it (a Slack `users.json` entry, a
/// Mattermost `user` line, a calendar address).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceUser {
    /// The source: `slack`, `mattermost`, `calendar`.
    pub source: String,
    /// The source's id for it: Slack user id, Mattermost username, or the
    /// calendar address.
    pub id: String,
    /// Email, when the source gives one (Slack `profile.email`).
    pub email: Option<String>,
    /// Login or handle (Slack `name`, Mattermost `username`).
    pub username: Option<String>,
    /// Display or real name.
    pub display_name: Option<String>,
    /// The account's IANA time zone, when the source gives a valid one.
    pub tz: Option<Tz>,
    /// A bot or app account.
    pub is_bot: bool,
    /// A deactivated account.
    pub deleted: bool,
}

/// What an identity resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resolved {
    /// A person of the people list, by index.
    Person(usize),
    /// An address in one of the organisation's domains that is not on the
    /// people list: counted and reported, kept out of team aggregates.
    Unlisted,
    /// An address outside the organisation's domains.
    External,
    /// A bot or app account.
    Bot,
    /// Nothing to go on: no email, no alias match.
    Unknown,
}

impl Resolved {
    /// Short name used in reports: `person`, `unlisted`, `external`, `bot`, `unknown`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Resolved::Person(_) => "person",
            Resolved::Unlisted => "unlisted",
            Resolved::External => "external",
            Resolved::Bot => "bot",
            Resolved::Unknown => "unknown",
        }
    }
}
