//! `fulcrum.toml`: the team, its people, its sources and its policy.
//!
//! Every key is documented with its default in `docs/workspace.md`; keep the
//! two and the template in `template.rs` in step. Unknown keys are errors
//! (a typo must not silently fall back to a default), and so are bad time
//! zones, impossible working hours and out-of-range numbers: each error
//! names the file, the line and the key.

use crate::caldav::{CalDavSource, RawCalDav};
use crate::error::{ConfigError, ConfigErrors, line_of};
use crate::experiment::{ExperimentSpec, RawExperiment};
use crate::hours::parse_working_hours;
use crate::notify::{NotifyConfig, RawNotify, RawServe};
use chrono_tz::Tz;
use fulcrum_model::WorkingHours;
use fulcrum_model::pulse::{DEFAULT_PULSE_QUESTIONS, MAX_PULSE_QUESTIONS};
use fulcrum_model::workflow::{
    Cadence, DEFAULT_UPDATE_QUESTIONS, MAX_SHORT_CHARS, MAX_UPDATE_QUESTIONS,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::Duration;
use toml::Spanned;

/// A person as the people list gives them, before identity resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonSpec {
    /// Primary email, lower-cased.
    pub email: String,
    /// Display name (the email's local part when not given).
    pub name: String,
    /// Team name (`[team] name` when not given).
    pub team: String,
    /// IANA time zone, when the list gives one.
    pub tz: Option<Tz>,
    /// Working hours in `tz`.
    pub working_hours: WorkingHours,
    /// Other identities: emails, Slack user ids, Mattermost usernames.
    pub aliases: Vec<String>,
    /// Where the person was defined: `fulcrum.toml:12` or `people.csv:3`.
    pub origin: String,
}

/// `[team]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    /// Team name.
    pub name: String,
    /// The organisation's mail domains; addresses elsewhere are external.
    /// Default: the domains of the people's emails.
    pub domains: Vec<String>,
    /// Path of a people CSV, relative to the workspace root.
    pub people_csv: Option<String>,
    /// Working hours of people who have none of their own.
    pub working_hours: WorkingHours,
    /// Time zone of people for whom neither the list nor any source gives one.
    pub tz: Tz,
}

/// `[sources]`: globs relative to the workspace root, and CalDAV servers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sources {
    /// iCalendar files.
    pub calendars: Vec<String>,
    /// Chat exports: Slack ZIPs or folders, Mattermost JSONL or ZIP.
    pub chat: Vec<String>,
    /// Work-item exports (throughput).
    pub work_items: Vec<String>,
    /// Pulse survey answers (morale).
    pub pulse: Vec<String>,
    /// `[[sources.caldav]]`: live calendars on CalDAV servers.
    pub caldav: Vec<CalDavSource>,
}

/// `[sources]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSources {
    #[serde(default)]
    calendars: Vec<String>,
    #[serde(default)]
    chat: Vec<String>,
    #[serde(default)]
    work_items: Vec<String>,
    #[serde(default)]
    pulse: Vec<String>,
    #[serde(default)]
    caldav: Vec<RawCalDav>,
}

/// `[store]`: where `fulcrum import` keeps its records, and for how long.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoreConfig {
    /// The database: `postgres://...` for a shared server, a SQLite file
    /// path, or nothing for `.fulcrum/fulcrum.db` in the workspace.
    pub url: Option<String>,
    /// Raw records (occurrences, messages, work items, pulse answers)
    /// older than this many days are dropped at each import; weekly team
    /// aggregates stay. Nothing is dropped when unset.
    pub retention_days: Option<u32>,
    /// Recurring series are stored this many weeks past the calendar's
    /// export (default 26).
    pub horizon_weeks: Option<u32>,
    /// `fulcrum serve` imports the workspace's sources this often
    /// (`import_every = "6h"`), so no cron job is needed. Not at all when
    /// unset.
    pub import_every: Option<Duration>,
}

/// `[auth]`: how people sign in to `fulcrum serve` besides passwords.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthConfig {
    /// `[auth.oidc]`: the organisation's OpenID Connect identity provider.
    pub oidc: Option<OidcConfig>,
}

/// `[auth.oidc]`. The client secret is never here: it comes from
/// `FULCRUM_OIDC_CLIENT_SECRET`, `FULCRUM_OIDC_CLIENT_SECRET_FILE` or
/// `client_secret_file`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcConfig {
    /// The issuer URL (its `/.well-known/openid-configuration` is read).
    pub issuer: String,
    /// The client id registered at the provider.
    pub client_id: String,
    /// This server's callback as registered at the provider:
    /// `https://fulcrum.example.com/signin/oidc/callback`.
    pub redirect_url: String,
    /// A file holding the client secret (relative to the workspace or
    /// absolute), when the environment gives none.
    pub client_secret_file: Option<String>,
    /// The sign-in button's text.
    pub label: String,
}

/// The sign-in button's text when `[auth.oidc] label` is not given.
pub const DEFAULT_OIDC_LABEL: &str = "Sign in with your organisation's account";

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAuth {
    oidc: Option<Spanned<RawOidc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOidc {
    issuer: Option<Spanned<String>>,
    client_id: Option<Spanned<String>>,
    redirect_url: Option<Spanned<String>>,
    client_secret_file: Option<String>,
    /// Refused with a message saying where the secret goes instead.
    client_secret: Option<Spanned<toml::Value>>,
    label: Option<String>,
}

/// True for a URL on this machine, where plain HTTP is acceptable (a
/// provider for tests or a trial).
fn is_loopback_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawStore {
    url: Option<String>,
    retention_days: Option<u32>,
    horizon_weeks: Option<u32>,
    import_every: Option<Spanned<String>>,
}

/// Reads an interval such as `6h`, `90m`, `1d`, `30s` or `1h30m` (whole
/// numbers, each followed by `d`, `h`, `m` or `s`).
pub fn parse_interval(text: &str) -> Result<Duration, String> {
    let what = || format!("{text:?} is not an interval like \"6h\", \"30m\", \"1d\" or \"1h30m\"");
    let mut total = 0u64;
    let mut number = String::new();
    let mut parts = 0;
    for ch in text.trim().chars() {
        if ch.is_ascii_digit() {
            number.push(ch);
            continue;
        }
        let unit = match ch {
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            's' => 1,
            _ => return Err(what()),
        };
        let n: u64 = number.parse().map_err(|_| what())?;
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(what)?;
        number.clear();
        parts += 1;
    }
    if parts == 0 || !number.is_empty() {
        return Err(what());
    }
    if total == 0 {
        return Err(format!("{text:?} is no time at all: give at least \"1s\""));
    }
    Ok(Duration::from_secs(total))
}

/// Whether a decision type is taken in a meeting or in writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionMode {
    /// In a meeting or call.
    Sync,
    /// In writing.
    Async,
}

/// `[policy.decisions.<type>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRule {
    /// Sync or async.
    pub mode: DecisionMode,
    /// The expected format (`rfc`, `thread`, `meeting`, ...).
    pub format: String,
    /// The SLA class of asks of this type.
    pub sla: String,
    /// Who takes the decision (default: "the decision owner").
    pub who_decides: String,
    /// Where people respond to the ask (default by mode, see
    /// [`default_respond_in`]).
    pub respond_in: String,
}

/// Where people respond when a decision type does not say.
pub fn default_respond_in(mode: DecisionMode) -> &'static str {
    match mode {
        DecisionMode::Sync => "the meeting, with comments on the pre-read before it",
        DecisionMode::Async => "the document or thread of the ask",
    }
}

/// The decision types when `[policy.decisions]` is absent: name, mode,
/// format, SLA class, who decides, where to respond.
pub const DEFAULT_DECISIONS: &[(&str, DecisionMode, &str, &str, &str, &str)] = &[
    (
        "architecture",
        DecisionMode::Async,
        "rfc",
        "normal",
        "the tech lead",
        "comments on the RFC document",
    ),
    (
        "design-review",
        DecisionMode::Async,
        "written proposal with comment period",
        "normal",
        "the design owner",
        "comments on the design document",
    ),
    (
        "hiring",
        DecisionMode::Sync,
        "meeting with pre-read (scorecards written before it)",
        "normal",
        "the hiring manager",
        "the debrief meeting; scorecards written before it",
    ),
    (
        "incident",
        DecisionMode::Sync,
        "call",
        "urgent",
        "the incident commander",
        "the incident call, then the decision log",
    ),
    (
        "status",
        DecisionMode::Async,
        "written update",
        "normal",
        "the owner of the work",
        "a reply in the update's thread",
    ),
    (
        "strategy",
        DecisionMode::Sync,
        "meeting with pre-read",
        "normal",
        "the team lead",
        "comments on the pre-read, then the meeting",
    ),
    (
        "vendor-choice",
        DecisionMode::Async,
        "written proposal with comment period",
        "normal",
        "the budget owner",
        "comments on the proposal document",
    ),
];

/// `[policy.meetings]`: the meeting checklist.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingRules {
    /// Timebox in minutes (`hygiene_timebox`).
    pub max_minutes: u32,
    /// Maximum invitees (`hygiene_attendees`).
    pub max_attendees: u32,
    /// Checklist items a meeting must have: `agenda`, `outcome`, `preread`, `summary`.
    pub required: Vec<String>,
    /// A meeting this long or shorter is short (`short_meetings`).
    pub short_minutes: u32,
    /// An invite this many hours or fewer before the start is short notice.
    pub short_notice_hours: u32,
    /// TENTATIVE counts as attending.
    pub count_tentative: bool,
    /// Cost of one person-hour of meetings (`fulcrum audit`), when set.
    pub hourly_rate: Option<f64>,
}

/// `[policy.updates]`: the written check-in each person writes.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateRules {
    /// One update per person per day or per week.
    pub cadence: Cadence,
    /// The questions each update answers, in order (by default status,
    /// blockers, decisions; an answer to `blockers` puts an update first).
    pub questions: Vec<String>,
}

/// `[policy.pulse]`: the weekly pulse's questions, each scored 1-5.
#[derive(Debug, Clone, PartialEq)]
pub struct PulseRules {
    /// The questions, in order (one by default: how sustainable the pace
    /// was).
    pub questions: Vec<String>,
}

/// `[policy.focus]`.
#[derive(Debug, Clone, PartialEq)]
pub struct FocusRules {
    /// Shortest free block that counts as focus time, in minutes.
    pub min_block_minutes: u32,
    /// Target focus hours per working day.
    pub hours_per_day: f64,
}

/// `[policy.chat]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatRules {
    /// Estimated minutes of async work per message sent (`sync_share`).
    pub async_minutes_per_message: f64,
    /// An ask without a reply after this many business days is unanswered.
    pub unanswered_after_business_days: u32,
    /// A DM message opens a new exchange (and is an ask) after this many
    /// hours without a message in that DM.
    pub exchange_gap_hours: f64,
    /// Estimated minutes of a call per huddle post (`sync_share`).
    pub huddle_minutes: f64,
    /// Asks in these channels are urgent.
    pub urgent_channels: Vec<String>,
}

/// `[policy]`: the team's norms.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Smallest group shown as a team aggregate.
    pub min_group_size: u32,
    /// Business days after an incident is resolved within which its
    /// written review is due.
    pub incident_review_business_days: u32,
    /// SLA classes: name -> hours (business-hours clock).
    pub sla_hours: BTreeMap<String, f64>,
    /// Decision types.
    pub decisions: BTreeMap<String, DecisionRule>,
    /// Meeting checklist.
    pub meetings: MeetingRules,
    /// Written updates.
    pub updates: UpdateRules,
    /// The weekly pulse.
    pub pulse: PulseRules,
    /// Focus targets.
    pub focus: FocusRules,
    /// Chat norms.
    pub chat: ChatRules,
    /// Finding thresholds by id (see `docs/workspace.md` for the list).
    pub thresholds: BTreeMap<String, f64>,
    /// `[policy.lint]`: `fulcrum lint`'s rules and tunables.
    pub lint: LintRules,
    /// `[policy.audit]`: `fulcrum audit`'s recommendation thresholds.
    pub audit: AuditRules,
}

pub use fulcrum_model::policy::{LINT_LEVELS, LINT_RULES, THRESHOLDS};

/// `[policy.lint]`: severity per rule and the tunables of the rules.
#[derive(Debug, Clone, PartialEq)]
pub struct LintRules {
    /// Rule id -> `off`, `note`, `warning` or `error`, for every rule of
    /// [`LINT_RULES`] (defaults filled in).
    pub levels: BTreeMap<String, String>,
    /// A gap shorter than this between two meetings is no break
    /// (`back_to_back`), minutes.
    pub min_break_minutes: u32,
    /// This many meetings in a row without a break is a chain (`back_to_back`).
    pub max_chain: u32,
}

/// `[policy.audit]`: when `fulcrum audit` recommends a change.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRules {
    /// Recommend cancelling at this decline rate or above.
    pub cancel_decline_rate: f64,
    /// Recommend making it async when fewer than this share of instances
    /// state an outcome or an agenda.
    pub async_hygiene_share: f64,
    /// Recommend shortening when at least this share of instances overran,
    /// or the usual length exceeds `policy.meetings.max_minutes`.
    pub shorten_overrun_share: f64,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawLintValue {
    Int(i64),
    Text(String),
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAudit {
    cancel_decline_rate: Option<Spanned<f64>>,
    async_hygiene_share: Option<Spanned<f64>>,
    shorten_overrun_share: Option<Spanned<f64>>,
}

/// A parsed `fulcrum.toml` (and, once the app has read it, `people.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    /// `[team]`.
    pub team: Team,
    /// `[[people]]` entries (people.csv entries are added by the caller).
    pub people: Vec<PersonSpec>,
    /// `[sources]`.
    pub sources: Sources,
    /// `[policy]`.
    pub policy: Policy,
    /// `[store]`.
    pub store: StoreConfig,
    /// `[auth]`.
    pub auth: AuthConfig,
    /// `[[experiment]]` tables, in file order.
    pub experiments: Vec<ExperimentSpec>,
    /// `[notify]`: the reminder digests over SMTP, when set.
    pub notify: Option<NotifyConfig>,
    /// `[serve]`: how the team server is reached.
    pub serve: ServeConfig,
}

/// `[serve]`: how the team server is reached from outside.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServeConfig {
    /// The server's address as people reach it
    /// (`https://fulcrum.example.com`): the base of the links in reminder
    /// digests and of the calendar feed URLs.
    pub public_url: Option<String>,
}

const CHECKLIST_ITEMS: &[&str] = &["agenda", "outcome", "preread", "summary"];

// ---- raw, as written ----

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    team: RawTeam,
    #[serde(default)]
    people: Vec<RawPerson>,
    #[serde(default)]
    sources: RawSources,
    #[serde(default)]
    policy: RawPolicy,
    #[serde(default)]
    store: RawStore,
    #[serde(default)]
    auth: RawAuth,
    #[serde(default)]
    experiment: Vec<RawExperiment>,
    notify: Option<Spanned<RawNotify>>,
    #[serde(default)]
    serve: RawServe,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTeam {
    name: Option<String>,
    #[serde(default)]
    domains: Vec<String>,
    people_csv: Option<String>,
    working_hours: Option<Spanned<String>>,
    tz: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    email: Spanned<String>,
    name: Option<String>,
    team: Option<String>,
    tz: Option<Spanned<String>>,
    working_hours: Option<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    min_group_size: Option<Spanned<i64>>,
    incident_review_business_days: Option<Spanned<i64>>,
    #[serde(default)]
    sla: BTreeMap<String, Spanned<f64>>,
    #[serde(default)]
    decisions: BTreeMap<String, RawDecision>,
    #[serde(default)]
    meetings: RawMeetings,
    #[serde(default)]
    updates: RawUpdates,
    #[serde(default)]
    pulse: RawPulse,
    #[serde(default)]
    focus: RawFocus,
    #[serde(default)]
    chat: RawChat,
    #[serde(default)]
    thresholds: BTreeMap<Spanned<String>, Spanned<f64>>,
    #[serde(default)]
    lint: BTreeMap<Spanned<String>, Spanned<RawLintValue>>,
    #[serde(default)]
    audit: RawAudit,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecision {
    mode: Spanned<String>,
    format: Option<String>,
    sla: Option<Spanned<String>>,
    who_decides: Option<String>,
    respond_in: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMeetings {
    max_minutes: Option<Spanned<i64>>,
    max_attendees: Option<Spanned<i64>>,
    required: Option<Vec<Spanned<String>>>,
    short_minutes: Option<Spanned<i64>>,
    short_notice_hours: Option<Spanned<i64>>,
    count_tentative: Option<bool>,
    hourly_rate: Option<Spanned<f64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawUpdates {
    cadence: Option<Spanned<String>>,
    questions: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPulse {
    questions: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFocus {
    min_block_minutes: Option<Spanned<i64>>,
    hours_per_day: Option<Spanned<f64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawChat {
    async_minutes_per_message: Option<Spanned<f64>>,
    unanswered_after_business_days: Option<Spanned<i64>>,
    exchange_gap_hours: Option<Spanned<f64>>,
    huddle_minutes: Option<Spanned<f64>>,
    #[serde(default)]
    urgent_channels: Vec<String>,
}

/// Collects errors located in one file.
pub(crate) struct Checker<'t> {
    pub(crate) file: &'t str,
    pub(crate) text: &'t str,
    pub(crate) errors: Vec<ConfigError>,
}

impl Checker<'_> {
    fn at<T>(&mut self, spanned: &Spanned<T>, key: impl Into<String>, message: impl Into<String>) {
        let span = spanned.span();
        self.errors.push(ConfigError {
            file: self.file.to_owned(),
            line: Some(line_of(self.text, span.start)),
            key: Some(key.into()),
            message: message.into(),
        });
    }

    fn tz(&mut self, value: &Spanned<String>, key: String) -> Option<Tz> {
        match value.get_ref().parse::<Tz>() {
            Ok(tz) => Some(tz),
            Err(_) => {
                self.at(
                    value,
                    key,
                    format!(
                        "{:?} is not an IANA time zone (e.g. \"Europe/Lisbon\")",
                        value.get_ref()
                    ),
                );
                None
            }
        }
    }

    fn hours(&mut self, value: &Spanned<String>, key: String) -> Option<WorkingHours> {
        match parse_working_hours(value.get_ref()) {
            Ok(h) => Some(h),
            Err(why) => {
                self.at(value, key, why);
                None
            }
        }
    }

    fn int(&mut self, value: &Option<Spanned<i64>>, key: &str, default: u32, min: i64) -> u32 {
        let Some(v) = value else { return default };
        match u32::try_from(*v.get_ref()) {
            Ok(n) if i64::from(n) >= min => n,
            _ => {
                self.at(v, key, format!("must be a whole number of at least {min}"));
                default
            }
        }
    }

    fn positive(&mut self, value: &Option<Spanned<f64>>, key: &str, default: f64) -> f64 {
        let Some(v) = value else { return default };
        let x = *v.get_ref();
        if x.is_finite() && x > 0.0 {
            x
        } else {
            self.at(v, key, "must be a number greater than 0");
            default
        }
    }
}

/// The default working hours and time zone of `[team]`.
pub fn default_team() -> Team {
    Team {
        name: "team".to_owned(),
        domains: Vec::new(),
        people_csv: None,
        working_hours: WorkingHours::standard(),
        tz: Tz::UTC,
    }
}

/// The default policy (every key's default, as documented).
pub fn default_policy() -> Policy {
    let mut checker = Checker {
        file: "",
        text: "",
        errors: Vec::new(),
    };
    resolve_policy(&RawPolicy::default(), &mut checker)
}

fn resolve_policy(raw: &RawPolicy, c: &mut Checker<'_>) -> Policy {
    let min_group_size = c.int(&raw.min_group_size, "policy.min_group_size", 5, 1);
    let incident_review_business_days = c.int(
        &raw.incident_review_business_days,
        "policy.incident_review_business_days",
        5,
        1,
    );
    let mut sla_hours: BTreeMap<String, f64> =
        [("urgent".to_owned(), 2.0), ("normal".to_owned(), 24.0)].into();
    for (name, hours) in &raw.sla {
        let h = c.positive(&Some(hours.clone()), &format!("policy.sla.{name}"), 24.0);
        sla_hours.insert(name.clone(), h);
    }
    let mut decisions = BTreeMap::new();
    if raw.decisions.is_empty() {
        for &(name, mode, format, sla, who, respond) in DEFAULT_DECISIONS {
            decisions.insert(
                name.to_owned(),
                DecisionRule {
                    mode,
                    format: format.to_owned(),
                    sla: sla.to_owned(),
                    who_decides: who.to_owned(),
                    respond_in: respond.to_owned(),
                },
            );
        }
    }
    for (name, d) in &raw.decisions {
        let mode = match d.mode.get_ref().as_str() {
            "sync" => DecisionMode::Sync,
            "async" => DecisionMode::Async,
            other => {
                c.at(
                    &d.mode,
                    format!("policy.decisions.{name}.mode"),
                    format!("{other:?} is not a mode: write \"sync\" or \"async\""),
                );
                DecisionMode::Async
            }
        };
        let sla = match &d.sla {
            Some(s) if !sla_hours.contains_key(s.get_ref()) => {
                let known: Vec<&str> = sla_hours.keys().map(String::as_str).collect();
                c.at(
                    s,
                    format!("policy.decisions.{name}.sla"),
                    format!(
                        "{:?} is not an SLA class of [policy.sla] ({})",
                        s.get_ref(),
                        known.join(", ")
                    ),
                );
                "normal".to_owned()
            }
            Some(s) => s.get_ref().clone(),
            None => "normal".to_owned(),
        };
        let format = d.format.clone().unwrap_or_else(|| match mode {
            DecisionMode::Sync => "meeting".to_owned(),
            DecisionMode::Async => "thread".to_owned(),
        });
        let who_decides = d
            .who_decides
            .clone()
            .unwrap_or_else(|| "the decision owner".to_owned());
        let respond_in = d
            .respond_in
            .clone()
            .unwrap_or_else(|| default_respond_in(mode).to_owned());
        decisions.insert(
            name.clone(),
            DecisionRule {
                mode,
                format,
                sla,
                who_decides,
                respond_in,
            },
        );
    }
    let m = &raw.meetings;
    let required = match &m.required {
        None => vec!["agenda".to_owned(), "outcome".to_owned()],
        Some(items) => items
            .iter()
            .filter_map(|item| {
                if CHECKLIST_ITEMS.contains(&item.get_ref().as_str()) {
                    Some(item.get_ref().clone())
                } else {
                    c.at(
                        item,
                        "policy.meetings.required",
                        format!(
                            "{:?} is not a checklist item ({})",
                            item.get_ref(),
                            CHECKLIST_ITEMS.join(", ")
                        ),
                    );
                    None
                }
            })
            .collect(),
    };
    let meetings = MeetingRules {
        max_minutes: c.int(&m.max_minutes, "policy.meetings.max_minutes", 50, 1),
        max_attendees: c.int(&m.max_attendees, "policy.meetings.max_attendees", 8, 2),
        required,
        short_minutes: c.int(&m.short_minutes, "policy.meetings.short_minutes", 30, 1),
        short_notice_hours: c.int(
            &m.short_notice_hours,
            "policy.meetings.short_notice_hours",
            24,
            0,
        ),
        count_tentative: m.count_tentative.unwrap_or(false),
        hourly_rate: m
            .hourly_rate
            .as_ref()
            .map(|_| c.positive(&m.hourly_rate, "policy.meetings.hourly_rate", 1.0)),
    };
    let updates = resolve_updates(&raw.updates, c);
    let pulse = resolve_pulse(&raw.pulse, c);
    let focus = FocusRules {
        min_block_minutes: c.int(
            &raw.focus.min_block_minutes,
            "policy.focus.min_block_minutes",
            120,
            15,
        ),
        hours_per_day: c.positive(&raw.focus.hours_per_day, "policy.focus.hours_per_day", 2.0),
    };
    let chat = ChatRules {
        async_minutes_per_message: c.positive(
            &raw.chat.async_minutes_per_message,
            "policy.chat.async_minutes_per_message",
            2.0,
        ),
        unanswered_after_business_days: c.int(
            &raw.chat.unanswered_after_business_days,
            "policy.chat.unanswered_after_business_days",
            5,
            1,
        ),
        exchange_gap_hours: c.positive(
            &raw.chat.exchange_gap_hours,
            "policy.chat.exchange_gap_hours",
            fulcrum_model::policy::EXCHANGE_GAP_HOURS,
        ),
        huddle_minutes: c.positive(&raw.chat.huddle_minutes, "policy.chat.huddle_minutes", 15.0),
        urgent_channels: raw.chat.urgent_channels.clone(),
    };
    let mut thresholds: BTreeMap<String, f64> = THRESHOLDS
        .iter()
        .map(|t| (t.key.to_owned(), t.default))
        .collect();
    for (key, value) in &raw.thresholds {
        let name = key.get_ref();
        if !thresholds.contains_key(name) {
            let known: Vec<&str> = THRESHOLDS.iter().map(|t| t.key).collect();
            c.at(
                key,
                format!("policy.thresholds.{name}"),
                format!("unknown threshold (known: {})", known.join(", ")),
            );
            continue;
        }
        let x = *value.get_ref();
        if x.is_finite() && x >= 0.0 {
            thresholds.insert(name.clone(), x);
        } else {
            c.at(
                value,
                format!("policy.thresholds.{name}"),
                "must be a number of at least 0",
            );
        }
    }
    Policy {
        min_group_size,
        incident_review_business_days,
        sla_hours,
        decisions,
        meetings,
        updates,
        pulse,
        focus,
        chat,
        thresholds,
        lint: resolve_lint(&raw.lint, c),
        audit: resolve_audit(&raw.audit, c),
    }
}

fn resolve_updates(raw: &RawUpdates, c: &mut Checker<'_>) -> UpdateRules {
    let cadence = match &raw.cadence {
        None => Cadence::Weekly,
        Some(v) => Cadence::parse(v.get_ref()).unwrap_or_else(|| {
            c.at(
                v,
                "policy.updates.cadence",
                format!(
                    "{:?} is not a cadence; use \"daily\" or \"weekly\"",
                    v.get_ref()
                ),
            );
            Cadence::Weekly
        }),
    };
    let defaults = || DEFAULT_UPDATE_QUESTIONS.map(String::from).to_vec();
    let Some(list) = &raw.questions else {
        return UpdateRules {
            cadence,
            questions: defaults(),
        };
    };
    if list.get_ref().is_empty() || list.get_ref().len() > MAX_UPDATE_QUESTIONS {
        c.at(
            list,
            "policy.updates.questions",
            format!("must list between 1 and {MAX_UPDATE_QUESTIONS} questions"),
        );
        return UpdateRules {
            cadence,
            questions: defaults(),
        };
    }
    let mut questions: Vec<String> = Vec::new();
    for q in list.get_ref() {
        match question_problem(q.get_ref(), &questions) {
            Some(why) => c.at(q, "policy.updates.questions", why),
            None => questions.push(q.get_ref().clone()),
        }
    }
    if questions.is_empty() {
        questions = defaults();
    }
    UpdateRules { cadence, questions }
}

fn resolve_pulse(raw: &RawPulse, c: &mut Checker<'_>) -> PulseRules {
    let defaults = || DEFAULT_PULSE_QUESTIONS.map(String::from).to_vec();
    let Some(list) = &raw.questions else {
        return PulseRules {
            questions: defaults(),
        };
    };
    if list.get_ref().is_empty() || list.get_ref().len() > MAX_PULSE_QUESTIONS {
        c.at(
            list,
            "policy.pulse.questions",
            format!(
                "must list between 1 and {MAX_PULSE_QUESTIONS} questions (found {})",
                list.get_ref().len()
            ),
        );
        return PulseRules {
            questions: defaults(),
        };
    }
    let mut questions: Vec<String> = Vec::new();
    for q in list.get_ref() {
        match question_problem(q.get_ref(), &questions) {
            Some(why) => c.at(q, "policy.pulse.questions", why),
            None => questions.push(q.get_ref().clone()),
        }
    }
    if questions.is_empty() {
        questions = defaults();
    }
    PulseRules { questions }
}

/// Why `text` cannot be a question of a template that already holds
/// `questions` (blank, not one clean line, too long, listed twice).
fn question_problem(text: &str, questions: &[String]) -> Option<String> {
    let n = text.chars().count();
    if text.trim().is_empty() {
        Some("a question must not be empty".to_owned())
    } else if text.trim() != text || text.chars().any(char::is_control) {
        Some(format!(
            "{text:?}: a question is one line without leading or trailing spaces"
        ))
    } else if n > MAX_SHORT_CHARS {
        Some(format!(
            "a question of {n} characters; at most {MAX_SHORT_CHARS} are allowed"
        ))
    } else if questions.iter().any(|q| q == text) {
        Some(format!("{text:?} is listed twice"))
    } else {
        None
    }
}

fn resolve_lint(
    raw: &BTreeMap<Spanned<String>, Spanned<RawLintValue>>,
    c: &mut Checker<'_>,
) -> LintRules {
    let mut levels: BTreeMap<String, String> = LINT_RULES
        .iter()
        .map(|r| (r.id.to_owned(), r.default.as_str().to_owned()))
        .collect();
    let (mut min_break_minutes, mut max_chain) = (5, 3);
    for (key, value) in raw {
        let name = key.get_ref().as_str();
        let full = format!("policy.lint.{name}");
        match (name, value.get_ref()) {
            ("min_break_minutes", RawLintValue::Int(n)) if (0..=240).contains(n) => {
                min_break_minutes = u32::try_from(*n).unwrap_or(5);
            }
            ("max_chain", RawLintValue::Int(n)) if (2..=20).contains(n) => {
                max_chain = u32::try_from(*n).unwrap_or(3);
            }
            ("min_break_minutes", _) => c.at(value, full, "must be a whole number from 0 to 240"),
            ("max_chain", _) => c.at(value, full, "must be a whole number from 2 to 20"),
            (rule, v) if levels.contains_key(rule) => match v {
                RawLintValue::Text(t) if LINT_LEVELS.contains(&t.as_str()) => {
                    levels.insert(rule.to_owned(), t.clone());
                }
                _ => c.at(
                    value,
                    full,
                    format!("must be one of {}", LINT_LEVELS.join(", ")),
                ),
            },
            _ => {
                let known: Vec<&str> = LINT_RULES.iter().map(|r| r.id).collect();
                c.at(
                    key,
                    full,
                    format!(
                        "unknown lint rule (rules: {}; tunables: min_break_minutes, max_chain)",
                        known.join(", ")
                    ),
                );
            }
        }
    }
    LintRules {
        levels,
        min_break_minutes,
        max_chain,
    }
}

fn resolve_audit(raw: &RawAudit, c: &mut Checker<'_>) -> AuditRules {
    let mut share = |v: &Option<Spanned<f64>>, key: &str, default: f64| match v {
        None => default,
        Some(x) if x.get_ref().is_finite() && (0.0..=1.0).contains(x.get_ref()) => *x.get_ref(),
        Some(x) => {
            c.at(x, key, "must be a share from 0 to 1");
            default
        }
    };
    AuditRules {
        cancel_decline_rate: share(
            &raw.cancel_decline_rate,
            "policy.audit.cancel_decline_rate",
            0.5,
        ),
        async_hygiene_share: share(
            &raw.async_hygiene_share,
            "policy.audit.async_hygiene_share",
            0.5,
        ),
        shorten_overrun_share: share(
            &raw.shorten_overrun_share,
            "policy.audit.shorten_overrun_share",
            0.25,
        ),
    }
}

/// Parses `fulcrum.toml` text; `file` names it in errors. Returns every
/// problem found (a syntax error or unknown key stops at the first).
pub fn parse_workspace(text: &str, file: &str) -> Result<Workspace, ConfigErrors> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        ConfigErrors(vec![ConfigError {
            file: file.to_owned(),
            line,
            key: None,
            message: e.message().trim().to_owned(),
        }])
    })?;
    let mut c = Checker {
        file,
        text,
        errors: Vec::new(),
    };
    let mut team = default_team();
    if let Some(name) = raw.team.name {
        team.name = name;
    }
    team.domains = raw
        .team
        .domains
        .iter()
        .map(|d| d.trim_start_matches('@').to_lowercase())
        .collect();
    team.people_csv = raw.team.people_csv;
    if let Some(h) = &raw.team.working_hours
        && let Some(hours) = c.hours(h, "team.working_hours".to_owned())
    {
        team.working_hours = hours;
    }
    if let Some(tz) = &raw.team.tz
        && let Some(tz) = c.tz(tz, "team.tz".to_owned())
    {
        team.tz = tz;
    }
    let mut people = Vec::new();
    for (i, p) in raw.people.iter().enumerate() {
        let key = |field: &str| format!("people[{i}].{field}");
        let email = p.email.get_ref().trim().to_lowercase();
        if !email.contains('@') {
            c.at(
                &p.email,
                key("email"),
                format!("{email:?} is not an email address"),
            );
            continue;
        }
        let tz = p.tz.as_ref().and_then(|t| c.tz(t, key("tz")));
        let working_hours = match &p.working_hours {
            Some(h) => c
                .hours(h, key("working_hours"))
                .unwrap_or_else(|| team.working_hours.clone()),
            None => team.working_hours.clone(),
        };
        people.push(PersonSpec {
            name: p.name.clone().unwrap_or_else(|| local_part(&email)),
            email,
            team: p.team.clone().unwrap_or_else(|| team.name.clone()),
            tz,
            working_hours,
            aliases: p
                .aliases
                .iter()
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect(),
            origin: format!("{file}:{}", line_of(text, p.email.span().start)),
        });
    }
    let policy = resolve_policy(&raw.policy, &mut c);
    let import_every = raw.store.import_every.as_ref().and_then(|every| {
        parse_interval(every.get_ref())
            .map_err(|why| c.at(every, "store.import_every", why))
            .ok()
    });
    let store = StoreConfig {
        url: raw.store.url.clone(),
        retention_days: raw.store.retention_days,
        horizon_weeks: raw.store.horizon_weeks,
        import_every,
    };
    let auth = AuthConfig {
        oidc: raw.auth.oidc.as_ref().and_then(|o| resolve_oidc(o, &mut c)),
    };
    let (experiments, experiment_errors) = crate::experiment::resolve(&raw.experiment, file, text);
    c.errors.extend(experiment_errors);
    let (caldav, caldav_errors) = crate::caldav::resolve(&raw.sources.caldav, file, text);
    c.errors.extend(caldav_errors);
    let notify = raw.notify.as_ref().and_then(|n| {
        let (config, errors) = crate::notify::resolve(n, file, text);
        c.errors.extend(errors);
        config
    });
    let (public_url, serve_errors) = crate::notify::resolve_serve(&raw.serve, file, text);
    c.errors.extend(serve_errors);
    let sources = Sources {
        calendars: raw.sources.calendars,
        chat: raw.sources.chat,
        work_items: raw.sources.work_items,
        pulse: raw.sources.pulse,
        caldav,
    };
    if c.errors.is_empty() {
        Ok(Workspace {
            team,
            people,
            sources,
            policy,
            store,
            auth,
            experiments,
            notify,
            serve: ServeConfig { public_url },
        })
    } else {
        Err(ConfigErrors(c.errors))
    }
}

/// `[auth.oidc]`, checked: the issuer and the callback are absolute URLs
/// (HTTPS unless on this machine), the client id is given, and no secret
/// is written in the file.
fn resolve_oidc(raw: &Spanned<RawOidc>, c: &mut Checker<'_>) -> Option<OidcConfig> {
    let o = raw.get_ref();
    if let Some(secret) = &o.client_secret {
        c.at(
            secret,
            "auth.oidc.client_secret",
            "the client secret never goes in fulcrum.toml: set FULCRUM_OIDC_CLIENT_SECRET (or FULCRUM_OIDC_CLIENT_SECRET_FILE) in the server's environment, or name a file with client_secret_file",
        );
    }
    let mut url = |value: &Option<Spanned<String>>, key: &str, example: &str| {
        let Some(v) = value else {
            c.at(raw, key, format!("missing: e.g. {key} = \"{example}\""));
            return None;
        };
        let text = v.get_ref().trim();
        if text.starts_with("https://") || is_loopback_url(text) {
            Some(text.trim_end_matches('/').to_owned())
        } else {
            c.at(
                v,
                key,
                format!("{text:?} is not an https:// URL (plain http:// only on localhost)"),
            );
            None
        }
    };
    let issuer = url(&o.issuer, "auth.oidc.issuer", "https://login.example.com");
    let redirect_url = url(
        &o.redirect_url,
        "auth.oidc.redirect_url",
        "https://fulcrum.example.com/signin/oidc/callback",
    );
    let client_id = match &o.client_id {
        Some(id) if !id.get_ref().trim().is_empty() => Some(id.get_ref().trim().to_owned()),
        Some(id) => {
            c.at(id, "auth.oidc.client_id", "is empty");
            None
        }
        None => {
            c.at(
                raw,
                "auth.oidc.client_id",
                "missing: the client id registered at the provider",
            );
            None
        }
    };
    Some(OidcConfig {
        issuer: issuer?,
        client_id: client_id?,
        redirect_url: redirect_url?,
        client_secret_file: o.client_secret_file.clone(),
        label: o
            .label
            .clone()
            .filter(|l| !l.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_OIDC_LABEL.to_owned()),
    })
}

pub(crate) fn local_part(email: &str) -> String {
    email.split('@').next().unwrap_or(email).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_oidc_is_read_and_a_secret_in_the_file_is_refused() {
        let ws = parse_workspace(
            "[auth.oidc]\nissuer = \"https://login.example.com/\"\nclient_id = \"fulcrum\"\nredirect_url = \"https://f.example.com/signin/oidc/callback\"\n",
            "fulcrum.toml",
        )
        .unwrap();
        let o = ws.auth.oidc.unwrap();
        assert_eq!(o.issuer, "https://login.example.com");
        assert_eq!(o.client_id, "fulcrum");
        assert_eq!(o.label, DEFAULT_OIDC_LABEL);
        assert_eq!(parse_workspace("", "fulcrum.toml").unwrap().auth.oidc, None);
        // Loopback may be plain HTTP (tests, trials); elsewhere not.
        assert!(
            parse_workspace(
                "[auth.oidc]\nissuer = \"http://127.0.0.1:9000\"\nclient_id = \"x\"\nredirect_url = \"http://localhost:8080/signin/oidc/callback\"\n",
                "fulcrum.toml"
            )
            .is_ok()
        );
        let err = parse_workspace(
            "[auth.oidc]\nissuer = \"http://login.example.com\"\nclient_id = \"x\"\nclient_secret = \"hunter2\"\nredirect_url = \"https://f.example.com/cb\"\n",
            "fulcrum.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("fulcrum.toml:2") && err.contains("auth.oidc.issuer"),
            "{err}"
        );
        assert!(
            err.contains("fulcrum.toml:4") && err.contains("FULCRUM_OIDC_CLIENT_SECRET"),
            "{err}"
        );
        assert!(!err.contains("hunter2"), "{err}");
        let err = parse_workspace(
            "[auth.oidc]\nissuer = \"https://a.example\"\n",
            "fulcrum.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("auth.oidc.client_id") && err.contains("auth.oidc.redirect_url"),
            "{err}"
        );
    }

    #[test]
    fn store_import_every_reads_intervals_and_locates_bad_ones() {
        for (text, secs) in [
            ("6h", 21_600),
            ("30m", 1_800),
            ("1d", 86_400),
            ("1h30m", 5_400),
            ("2s", 2),
        ] {
            assert_eq!(
                parse_interval(text),
                Ok(Duration::from_secs(secs)),
                "{text}"
            );
        }
        for bad in [
            "",
            "6",
            "h",
            "6x",
            "1.5h",
            "0s",
            "-1h",
            "99999999999999999999d",
        ] {
            assert!(parse_interval(bad).is_err(), "{bad:?} was accepted");
        }
        let ws = parse_workspace("[store]\nimport_every = \"6h\"\n", "fulcrum.toml").unwrap();
        assert_eq!(ws.store.import_every, Some(Duration::from_secs(6 * 3600)));
        let err = parse_workspace("\n[store]\nimport_every = \"often\"\n", "fulcrum.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("fulcrum.toml:3")
                && err.contains("store.import_every")
                && err.contains("\"6h\""),
            "{err}"
        );
    }

    #[test]
    fn empty_file_gives_documented_defaults() {
        let ws = parse_workspace("", "fulcrum.toml").unwrap();
        assert_eq!(ws.policy.min_group_size, 5);
        assert_eq!(ws.policy.incident_review_business_days, 5);
        assert_eq!(ws.policy.updates.cadence, Cadence::Weekly);
        assert_eq!(
            ws.policy.updates.questions,
            ["status", "blockers", "decisions"]
        );
        assert_eq!(ws.policy.sla_hours["urgent"], 2.0);
        assert_eq!(ws.policy.sla_hours["normal"], 24.0);
        assert_eq!(ws.policy.meetings.max_minutes, 50);
        assert_eq!(ws.policy.meetings.max_attendees, 8);
        assert_eq!(ws.policy.focus.min_block_minutes, 120);
        assert_eq!(ws.policy.chat.unanswered_after_business_days, 5);
        assert_eq!(ws.policy.thresholds["cross_tz_ask_share"], 0.10);
        assert_eq!(ws.team.working_hours, WorkingHours::standard());
        assert_eq!(
            ws,
            Workspace {
                team: default_team(),
                people: vec![],
                sources: Sources::default(),
                policy: default_policy(),
                store: StoreConfig::default(),
                auth: AuthConfig::default(),
                experiments: Vec::new(),
                notify: None,
                serve: ServeConfig::default(),
            }
        );
    }

    #[test]
    fn policy_lint_levels_tunables_and_errors() {
        let ws = parse_workspace("", "fulcrum.toml").unwrap();
        assert_eq!(ws.policy.lint.levels["missing_outcome"], "warning");
        assert_eq!(ws.policy.lint.levels["back_to_back"], "note");
        assert_eq!(ws.policy.lint.levels.len(), LINT_RULES.len());
        assert_eq!(
            (ws.policy.lint.min_break_minutes, ws.policy.lint.max_chain),
            (5, 3)
        );
        assert_eq!(ws.policy.meetings.hourly_rate, None);
        assert_eq!(ws.policy.audit.cancel_decline_rate, 0.5);

        let text = "[policy.lint]\nmissing_agenda = \"off\"\nmax_chain = 4\n\n[policy.meetings]\nhourly_rate = 80\n";
        let ws = parse_workspace(text, "fulcrum.toml").unwrap();
        assert_eq!(ws.policy.lint.levels["missing_agenda"], "off");
        assert_eq!(ws.policy.lint.max_chain, 4);
        assert_eq!(ws.policy.meetings.hourly_rate, Some(80.0));

        let bad = "[policy.lint]\nmissing_agendaa = \"off\"\nover_timebox = \"fatal\"\nmax_chain = 1\n\n[policy.audit]\ncancel_decline_rate = 2\n";
        let err = parse_workspace(bad, "fulcrum.toml").unwrap_err();
        let got: Vec<(Option<u32>, Option<&str>)> =
            err.0.iter().map(|e| (e.line, e.key.as_deref())).collect();
        assert_eq!(
            got,
            vec![
                (Some(4), Some("policy.lint.max_chain")),
                (Some(2), Some("policy.lint.missing_agendaa")),
                (Some(3), Some("policy.lint.over_timebox")),
                (Some(7), Some("policy.audit.cancel_decline_rate")),
            ]
        );
        assert!(err.0[2].message.contains("off, note, warning, error"));
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let text = "[team]\nname = \"x\"\n\n[policy]\nmin_grup_size = 3\n";
        let err = parse_workspace(text, "fulcrum.toml").unwrap_err();
        let e = &err.0[0];
        assert_eq!(e.line, Some(5));
        assert!(e.message.contains("min_grup_size"), "{}", e.message);
    }

    #[test]
    fn bad_values_are_all_reported_with_lines() {
        let text = r#"[team]
domains = ["acme.com"]

[[people]]
email = "ana@acme.com"
tz = "Mars/Olympus"
working_hours = "Mon-Fri 17:00-09:00"

[policy]
min_group_size = 0
incident_review_business_days = -2

[policy.decisions.incident]
mode = "sometimes"
sla = "whenever"
"#;
        let err = parse_workspace(text, "fulcrum.toml").unwrap_err();
        let got: Vec<(Option<u32>, Option<&str>)> =
            err.0.iter().map(|e| (e.line, e.key.as_deref())).collect();
        assert_eq!(
            got,
            [
                (Some(6), Some("people[0].tz")),
                (Some(7), Some("people[0].working_hours")),
                (Some(10), Some("policy.min_group_size")),
                (Some(11), Some("policy.incident_review_business_days")),
                (Some(14), Some("policy.decisions.incident.mode")),
                (Some(15), Some("policy.decisions.incident.sla")),
            ]
        );
    }

    #[test]
    fn update_questions_and_cadence_are_the_teams_own() {
        let text = "[policy.updates]\ncadence = \"daily\"\nquestions = [\"done\", \"blockers\"]\n";
        let ws = parse_workspace(text, "fulcrum.toml").unwrap();
        assert_eq!(ws.policy.updates.cadence, Cadence::Daily);
        assert_eq!(ws.policy.updates.questions, ["done", "blockers"]);
    }

    #[test]
    fn bad_update_policy_is_located() {
        let text = r#"[policy.updates]
cadence = "monthly"
questions = [
  "status",
  "",
  "status",
  "two\nlines",
]
"#;
        let err = parse_workspace(text, "fulcrum.toml").unwrap_err();
        let got: Vec<(Option<u32>, Option<&str>, &str)> = err
            .0
            .iter()
            .map(|e| (e.line, e.key.as_deref(), e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some(2),
                    Some("policy.updates.cadence"),
                    "\"monthly\" is not a cadence; use \"daily\" or \"weekly\""
                ),
                (
                    Some(5),
                    Some("policy.updates.questions"),
                    "a question must not be empty"
                ),
                (
                    Some(6),
                    Some("policy.updates.questions"),
                    "\"status\" is listed twice"
                ),
                (
                    Some(7),
                    Some("policy.updates.questions"),
                    "\"two\\nlines\": a question is one line without leading or trailing spaces"
                ),
            ]
        );
        let empty = parse_workspace("[policy.updates]\nquestions = []\n", "fulcrum.toml");
        let e = &empty.unwrap_err().0[0];
        assert_eq!(
            (e.line, e.key.as_deref()),
            (Some(2), Some("policy.updates.questions"))
        );
    }

    #[test]
    fn the_pulse_has_one_question_by_default_and_takes_the_teams_own() {
        let ws = parse_workspace("", "fulcrum.toml").unwrap();
        assert_eq!(
            ws.policy.pulse.questions,
            [fulcrum_model::pulse::DEFAULT_PULSE_QUESTIONS[0]]
        );
        let text = "[policy.pulse]\nquestions = [\"pace\", \"clarity\"]\n";
        let ws = parse_workspace(text, "fulcrum.toml").unwrap();
        assert_eq!(ws.policy.pulse.questions, ["pace", "clarity"]);
    }

    #[test]
    fn bad_pulse_policy_is_located() {
        let text = "[policy.pulse]\nquestions = [\n  \"pace\",\n  \" \",\n  \"pace\",\n]\n";
        let err = parse_workspace(text, "fulcrum.toml").unwrap_err();
        let got: Vec<(Option<u32>, Option<&str>, &str)> = err
            .0
            .iter()
            .map(|e| (e.line, e.key.as_deref(), e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some(4),
                    Some("policy.pulse.questions"),
                    "a question must not be empty"
                ),
                (
                    Some(5),
                    Some("policy.pulse.questions"),
                    "\"pace\" is listed twice"
                ),
            ]
        );
        for list in ["[]", "[\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"]"] {
            let text = format!("[policy.pulse]\nquestions = {list}\n");
            let e = &parse_workspace(&text, "fulcrum.toml").unwrap_err().0[0];
            assert_eq!(
                (e.line, e.key.as_deref()),
                (Some(2), Some("policy.pulse.questions")),
                "{list}"
            );
            assert!(e.message.starts_with("must list between 1 and 5 questions"));
        }
    }

    #[test]
    fn decision_types_take_who_decides_and_respond_in_with_defaults() {
        let text = r#"[policy.sla]
slow = 40

[policy.decisions.vendor-choice]
mode = "async"
sla = "slow"
who_decides = "the budget owner"
respond_in = "the RFC"

[policy.decisions.roadmap]
mode = "sync"
"#;
        let ws = parse_workspace(text, "fulcrum.toml").unwrap();
        // Declaring any type replaces the defaults.
        let names: Vec<&str> = ws.policy.decisions.keys().map(String::as_str).collect();
        assert_eq!(names, ["roadmap", "vendor-choice"]);
        let vendor = &ws.policy.decisions["vendor-choice"];
        assert_eq!(
            (vendor.format.as_str(), vendor.sla.as_str()),
            ("thread", "slow")
        );
        assert_eq!(
            (vendor.who_decides.as_str(), vendor.respond_in.as_str()),
            ("the budget owner", "the RFC")
        );
        let roadmap = &ws.policy.decisions["roadmap"];
        assert_eq!(
            (roadmap.format.as_str(), roadmap.sla.as_str()),
            ("meeting", "normal")
        );
        assert_eq!(roadmap.who_decides, "the decision owner");
        assert_eq!(roadmap.respond_in, default_respond_in(DecisionMode::Sync));
    }

    #[test]
    fn default_decision_types_are_the_documented_seven() {
        let names: Vec<String> = default_policy().decisions.into_keys().collect();
        assert_eq!(
            names,
            [
                "architecture",
                "design-review",
                "hiring",
                "incident",
                "status",
                "strategy",
                "vendor-choice"
            ]
        );
    }

    #[test]
    fn people_inherit_team_defaults() {
        let text = r#"[team]
name = "platform"
working_hours = "Mon-Thu 08:00-16:00"

[[people]]
email = "Ana@Acme.com"
aliases = ["U024BE7LH", "ana.r@acme.com"]

[[people]]
email = "bo@acme.com"
name = "Bo"
team = "web"
tz = "America/Chicago"
working_hours = "Mon-Fri 10:00-18:00"
"#;
        let ws = parse_workspace(text, "fulcrum.toml").unwrap();
        let ana = &ws.people[0];
        // The name defaults to the local part of the lower-cased email.
        assert_eq!(
            (ana.email.as_str(), ana.name.as_str(), ana.team.as_str()),
            ("ana@acme.com", "ana", "platform")
        );
        assert_eq!(ana.tz, None);
        assert!(ana.working_hours.on(chrono::Weekday::Fri).is_empty());
        assert_eq!(ana.origin, "fulcrum.toml:6");
        assert_eq!(ws.people[1].tz, Some(chrono_tz::America::Chicago));
    }
}
