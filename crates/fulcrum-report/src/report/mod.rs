//! `fulcrum report`: the view model ([`Report`]) built from the signals,
//! findings and activity histograms under the privacy choices
//! ([`Privacy`]), and its renderers: [`term`], [`html`], [`json`] (the
//! versioned schema of `docs/report.md`) and [`csv`].
//!
//! Privacy is applied here, once, while building the view model; renderers
//! only format what it holds:
//! - team values are those of the analysis (suppressed below the minimum
//!   group size, with the reason kept);
//! - per-person rows exist only for [`Individuals::Person`] (that person's
//!   own) or [`Individuals::All`] (an analyst's explicit choice, with a
//!   warning line);
//! - the top organizer of `one_person_controls_sync_time` is named only
//!   where that person's row could be shown;
//! - histograms of a team need `min_group_size` members with data;
//! - with pseudonymization every name and email becomes `person-xxxxxx`,
//!   a keyed hash of the email (stable for the same workspace key).

pub mod csv;
pub mod glossary;
pub mod html;
pub mod json;
pub mod svg;
pub mod term;

use chrono::{Datelike, NaiveDate, Timelike};
use fulcrum_analysis::findings::Direction;
use fulcrum_analysis::findings::FindingId;
use fulcrum_analysis::findings::hash::HashKey;
use fulcrum_analysis::findings::{
    Activity, Example, Experiment, Finding, Move, Severity, TeamAssessment, Thresholds, Verdict,
    When, format_value, window_value,
};
use fulcrum_analysis::signal::{Better, Ratio, Value};
use fulcrum_analysis::{Measured, SignalId, Signals, TeamValue, Unknown, Week, Window};
use fulcrum_experiments::judge::shown;
use fulcrum_experiments::{Evaluation, Measure, Role, SignalResult, State as ExperimentState};
use fulcrum_model::Person;
use fulcrum_model::diagnostic::Diagnostic;
use fulcrum_workspace::ExperimentSpec;

/// The version of the JSON schema (`docs/report.md`).
pub const SCHEMA_VERSION: u32 = 2;

/// The signals of the compact tables and trend charts, in order.
pub const KEY_SIGNALS: &[SignalId] = &[
    SignalId::MeetingShare,
    SignalId::FocusHours,
    SignalId::ShortMeetings,
    SignalId::ShortNoticeMeetings,
    SignalId::CrossTzAsks,
    SignalId::SlaBreachRate,
    SignalId::ThreadEscalations,
    SignalId::OrganizerConcentration,
];

/// Who may be seen one by one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Individuals {
    /// Nobody: team aggregates only.
    None,
    /// One person's own view (index into the people list).
    Person(usize),
    /// Everyone: an analyst's explicit choice.
    All,
}

/// The privacy choices of one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Privacy {
    /// Per-person rows.
    pub individuals: Individuals,
    /// Replace names and emails by pseudonyms.
    pub pseudonymize: bool,
    /// Only this team.
    pub team: Option<String>,
}

/// Everything a report is built from.
#[derive(Debug)]
pub struct ReportInput<'a> {
    /// The workspace's name.
    pub title: String,
    /// The window.
    pub window: Window,
    /// How it was chosen.
    pub window_rule: String,
    /// The signals.
    pub signals: &'a Signals,
    /// Findings per team.
    pub assessments: &'a [TeamAssessment],
    /// Hour-of-week histograms.
    pub activity: &'a Activity,
    /// The people, in the signals' order.
    pub people: &'a [Person],
    /// Thresholds in force.
    pub thresholds: &'a Thresholds,
    /// The minimum group size.
    pub min_group_size: u32,
    /// The key for pseudonyms.
    pub key: HashKey,
    /// Where the key came from.
    pub key_source: String,
    /// What was read: (label, value).
    pub inputs: Vec<(String, String)>,
    /// Problems met while reading.
    pub problems: Vec<Diagnostic>,
    /// The workspace's experiments, judged on these signals where the
    /// window covers their weeks (`fulcrum_app::experiments::in_report`).
    pub experiments: &'a [ExperimentView],
}

/// An experiment of the workspace, as the report shows it: judged on the
/// report's own signals when the window covers its weeks, else only its
/// dates and state, with a pointer to `fulcrum experiment show`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExperimentView {
    /// The declaration.
    pub spec: ExperimentSpec,
    /// Where it stands in time.
    pub state: ExperimentState,
    /// The evaluation on the report's signals; `None` when the report's
    /// window does not cover the experiment's baseline and treatment weeks.
    pub evaluation: Option<Evaluation>,
}

impl ExperimentView {
    /// The verdict, when judged here.
    pub fn verdict(&self) -> Option<&'static str> {
        self.evaluation.as_ref().map(|e| e.verdict.as_str())
    }

    /// The primary's result, when judged here.
    pub fn primary(&self) -> Option<&SignalResult> {
        self.evaluation
            .as_ref()
            .and_then(|e| e.results.iter().find(|r| r.role == Role::Primary))
    }

    /// The primary's effect with its interval, in words and its unit
    /// ("focus_hours +3.93 h (90% interval 1.62 to 5.84)"), or why there
    /// is none; `None` when not judged here.
    pub fn effect_text(&self) -> Option<String> {
        let e = self.evaluation.as_ref()?;
        let r = self.primary()?;
        let m = r.measure;
        Some(match r.estimate {
            Some(x) => format!(
                "{} {:+.2} {} ({:.0}% interval {:.2} to {:.2})",
                m.id(),
                shown(m, x.effect),
                measure_unit(m),
                e.confidence * 100.0,
                shown(m, x.low),
                shown(m, x.high)
            ),
            None => format!(
                "{}: {}",
                m.id(),
                r.no_estimate.as_deref().unwrap_or("no estimate")
            ),
        })
    }

    /// What to run when the report could not judge it.
    pub fn pointer(&self) -> String {
        format!(
            "outside the window: run `fulcrum experiment show {}`",
            self.spec.id
        )
    }

    /// True when it answers a finding of its team: the finding it names,
    /// or its primary among the finding's watch signals.
    pub fn answers(&self, team: &str, finding: FindingId) -> bool {
        self.spec.team == team
            && (self.spec.finding == Some(finding)
                || finding.experiment().watch.contains(&self.spec.primary))
    }
}

/// The unit an experiment's measure is shown in: shares in percentage
/// points, everything else as SIGNALS.md writes it.
pub fn measure_unit(m: Measure) -> &'static str {
    match m.unit() {
        fulcrum_analysis::Unit::Percent | fulcrum_analysis::Unit::CountAndPercent => "points",
        fulcrum_analysis::Unit::Score => "points (1-5)",
        other => other.as_str(),
    }
}

/// The experiment a finding's "try first" names: a running or done
/// experiment of the finding's team that answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnsweredBy {
    /// The experiment's id.
    pub id: String,
    /// `running` or `done`.
    pub state: &'static str,
    /// The verdict, when the report judged it.
    pub verdict: Option<&'static str>,
}

impl AnsweredBy {
    /// "experiment async-standup is running: too early".
    pub fn text(&self) -> String {
        let how = match self.verdict {
            Some(v) => v.to_owned(),
            None => format!("see `fulcrum experiment show {}`", self.id),
        };
        format!("experiment {} is {}: {how}", self.id, self.state)
    }
}

/// The window.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowView {
    /// First day asked for.
    pub from: NaiveDate,
    /// Last day asked for.
    pub to: NaiveDate,
    /// The whole ISO weeks computed.
    pub weeks: Vec<Week>,
    /// How it was chosen.
    pub rule: String,
}

/// What privacy rules shaped the report.
#[derive(Debug, Clone, PartialEq)]
pub struct PrivacyView {
    /// `none`, `self` or `all`.
    pub individuals: &'static str,
    /// Names and emails are pseudonyms.
    pub pseudonymized: bool,
    /// Where the pseudonym key came from.
    pub key_source: String,
    /// The warning line for `--individuals`.
    pub warning: Option<String>,
    /// Sentences on what was withheld.
    pub notes: Vec<String>,
}

/// One coverage fact.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageView {
    /// Its key.
    pub key: &'static str,
    /// Part.
    pub part: u64,
    /// Whole.
    pub whole: u64,
    /// The sentence.
    pub text: String,
}

/// A value for output: the headline number or the reason there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The headline value (`None` when unknown).
    pub value: Option<f64>,
    /// Why unknown (`suppressed`, `no_calendar`, ...).
    pub reason: Option<&'static str>,
    /// Team cells: members with data.
    pub members_with_data: Option<u32>,
    /// Further numbers (median, p90, part, whole, ...).
    pub details: Vec<Detail>,
}

/// A further number of a cell, under the key the JSON schema gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detail {
    /// The key: `median`, `p90`, `part`, `whole`, ...
    pub key: &'static str,
    /// The number.
    pub value: f64,
}

impl Detail {
    fn new(key: &'static str, value: f64) -> Detail {
        Detail { key, value }
    }
}

/// One signal's cell.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalCell {
    /// The signal.
    pub signal: SignalId,
    /// Its value, or the reason there is none.
    pub cell: Cell,
}

/// Up, down, flat: second half of the window against the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    /// Rose.
    Up,
    /// Fell.
    Down,
    /// Within 5% (relative) or a small absolute step.
    Flat,
    /// Not enough data in one half.
    Unknown,
}

impl Trend {
    /// An arrow.
    pub fn arrow(&self) -> &'static str {
        match self {
            Trend::Up => "↑",
            Trend::Down => "↓",
            Trend::Flat => "→",
            Trend::Unknown => " ",
        }
    }

    /// `up`, `down`, `flat`, `unknown`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Trend::Up => "up",
            Trend::Down => "down",
            Trend::Flat => "flat",
            Trend::Unknown => "unknown",
        }
    }

    /// The trend from the first half's value to the second's: flat when the
    /// change is within 5% of the larger, or below the signal's smallest
    /// meaningful step (1 percentage point for shares, 0.1 otherwise).
    pub fn of(id: SignalId, first: Option<f64>, second: Option<f64>) -> Trend {
        let (Some(a), Some(b)) = (first, second) else {
            return Trend::Unknown;
        };
        let step = match id.unit() {
            fulcrum_analysis::Unit::Percent | fulcrum_analysis::Unit::CountAndPercent => 0.01,
            _ => 0.1,
        };
        let d = b - a;
        if d.abs() < step || d.abs() <= 0.05 * a.abs().max(b.abs()) {
            Trend::Flat
        } else if d > 0.0 {
            Trend::Up
        } else {
            Trend::Down
        }
    }
}

/// How a team's window value stands against its finding threshold: the
/// colour of the overview's heatmap cells. Read off the catalogue's own
/// check (its direction and threshold), so a new signal with a threshold
/// gets a colour without touching a renderer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    /// No value (suppressed or unknown every week), or no threshold.
    Unknown,
    /// More than 20% (of the threshold) on the good side of it.
    Clear,
    /// On the good side, within 20% of the threshold.
    Near,
    /// Past the threshold by less than half of it.
    Past,
    /// At least 50% past the threshold (where a finding turns severe).
    FarPast,
}

impl Standing {
    /// `unknown`, `clear`, `near`, `past`, `far-past`: class names and
    /// words.
    pub fn as_str(&self) -> &'static str {
        match self {
            Standing::Unknown => "unknown",
            Standing::Clear => "clear",
            Standing::Near => "near",
            Standing::Past => "past",
            Standing::FarPast => "far-past",
        }
    }

    /// The legend's words.
    pub fn words(&self) -> &'static str {
        match self {
            Standing::Unknown => "no value or no threshold",
            Standing::Clear => "clear of the threshold",
            Standing::Near => "within 20% of the threshold",
            Standing::Past => "past the threshold",
            Standing::FarPast => "50% or more past it",
        }
    }

    /// Every standing, best first, for legends.
    pub const ALL: [Standing; 5] = [
        Standing::Clear,
        Standing::Near,
        Standing::Past,
        Standing::FarPast,
        Standing::Unknown,
    ];

    /// Where `value` stands against the finding check on `id`, if any.
    pub fn of(id: SignalId, value: Option<f64>, threshold: Option<f64>) -> Standing {
        let (Some(v), Some(t), Some(dir)) = (value, threshold, check_direction(id)) else {
            return Standing::Unknown;
        };
        // Distance past the threshold, relative to it (positive: past).
        let scale = t.abs().max(1e-9);
        let past = match dir {
            Direction::Below => (t - v) / scale,
            Direction::Above | Direction::AtLeast => (v - t) / scale,
        };
        if dir.passes(v, t) {
            if past >= 0.5 {
                Standing::FarPast
            } else {
                Standing::Past
            }
        } else if past > -0.2 {
            Standing::Near
        } else {
            Standing::Clear
        }
    }
}

/// Whether a trend is good news for the team, by the signal's better side
/// (`SignalId::better`): `None` for flat, unknown, or a signal that
/// describes rather than judges.
pub fn trend_is_good(id: SignalId, trend: Trend) -> Option<bool> {
    let better = id.better()?;
    match (trend, better) {
        (Trend::Up, Better::Higher) | (Trend::Down, Better::Lower) => Some(true),
        (Trend::Up, Better::Lower) | (Trend::Down, Better::Higher) => Some(false),
        _ => None,
    }
}

/// A signal's title in words for charts and table headers: "SLA breach
/// rate", "Focus hours" (never the snake_case id, which the glossary and
/// the JSON keep).
pub fn signal_title(id: SignalId) -> String {
    let words = id.words();
    let words = words
        .replace("sla ", "SLA ")
        .replace("cross tz", "cross-time-zone")
        .replace("tz ", "time-zone ")
        .replace("1h", "1 h")
        .replace("2h", "2 h");
    let mut c = words.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// The unit of a signal's values as a chart axis reads it.
pub fn axis_unit(id: SignalId) -> &'static str {
    use fulcrum_analysis::Unit;
    match id.unit() {
        Unit::Percent | Unit::CountAndPercent => "% (share)",
        Unit::Hours => "hours a week",
        Unit::HoursMedianP90 => "business hours",
        Unit::HoursPerDay => "hours a day",
        Unit::GiniAndHours => "Gini (0 to 1)",
        Unit::Count => "count a week",
        Unit::Items => "items a week",
        Unit::Score => "score (1 to 5)",
        Unit::Cost => "cost a week",
    }
}

fn check_direction(id: SignalId) -> Option<Direction> {
    FindingId::ALL
        .iter()
        .flat_map(|f| f.checks())
        .find(|c| c.signal == id)
        .map(|c| c.direction)
}

/// A signal over the window, for tables and charts.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendView {
    /// The signal.
    pub id: SignalId,
    /// Median of the weekly team values.
    pub value: Option<f64>,
    /// Median of the first half.
    pub first_half: Option<f64>,
    /// Median of the second half.
    pub second_half: Option<f64>,
    /// The arrow.
    pub trend: Trend,
    /// The weekly values.
    pub weekly: Vec<Option<f64>>,
    /// Weeks with a value.
    pub weeks_with_data: u32,
    /// Weeks suppressed.
    pub weeks_suppressed: u32,
    /// The finding threshold on this signal, if any.
    pub threshold: Option<f64>,
}

/// Histograms of a team, each only when enough members have data.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityView {
    /// Mean meeting person-hours per week by local hour of week (168).
    pub meeting_hours: Option<Vec<f64>>,
    /// Mean after-hours messages per week by local hour of week (168).
    pub after_hours_messages: Option<Vec<f64>>,
    /// Members with a calendar.
    pub people_with_calendar: u32,
    /// Members who wrote messages.
    pub people_in_chat: u32,
}

/// A team's overlap windows in one week, as UTC minutes per weekday.
#[derive(Debug, Clone, PartialEq)]
pub struct OverlapView {
    /// The week shown (the last with a value).
    pub week: Week,
    /// Hours per working day.
    pub hours_per_day: f64,
    /// The windows, each within one UTC day.
    pub windows: Vec<OverlapWindow>,
}

/// One overlap window, within one UTC day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverlapWindow {
    /// The weekday, 0 = Monday.
    pub weekday: u32,
    /// Start, in minutes after UTC midnight.
    pub start_minute: u32,
    /// End, in minutes after UTC midnight (1440 at most).
    pub end_minute: u32,
}

/// One team.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamView {
    /// Name.
    pub name: String,
    /// Members on the list.
    pub members: usize,
    /// What the checks say.
    pub verdict: Verdict,
    /// The verdict in a sentence.
    pub verdict_text: String,
    /// Every signal, every week.
    pub weeks: Vec<WeekView>,
    /// The key signals over the window.
    pub trends: Vec<TrendView>,
    /// Histograms.
    pub activity: ActivityView,
    /// Members' mean weekly meeting hours, sorted, unlabeled (`None` below
    /// the minimum group size).
    pub meeting_load: Option<Vec<f64>>,
    /// Overlap windows.
    pub overlap: Option<OverlapView>,
}

/// One week of a team or a person: a cell per signal.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekView {
    /// The week.
    pub week: Week,
    /// In [`SignalId::ALL`] order: every signal for a team, the person
    /// signals for a person.
    pub cells: Vec<SignalCell>,
    /// For a team: members away most of the week, left out of its values.
    /// For a person: whether they were away (left out of their team's).
    pub away: Away,
}

/// Who was away in a week (see [`WeekView::away`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Away {
    /// A team-week: how many members were away.
    Members(u32),
    /// A person-week: away or not.
    Person(bool),
}

impl WeekView {
    /// The cell of signal `id`, if the week has one.
    pub fn cell(&self, id: SignalId) -> Option<&Cell> {
        self.cells.iter().find(|c| c.signal == id).map(|c| &c.cell)
    }
}

/// One check of a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckView {
    /// The signal.
    pub signal: SignalId,
    /// The `[policy.thresholds]` key.
    pub threshold_key: &'static str,
    /// `>=`, `>` or `<`.
    pub op: &'static str,
    /// The threshold.
    pub threshold: f64,
    /// Median of the weekly team values.
    pub value: Option<f64>,
    /// Median of the first half of the window.
    pub first_half: Option<f64>,
    /// Median of the second half of the window.
    pub second_half: Option<f64>,
    /// Weeks past the threshold.
    pub weeks_past: u32,
    /// Weeks with data.
    pub weeks_with_data: u32,
    /// Weeks suppressed.
    pub weeks_suppressed: u32,
    /// Past the threshold over the window.
    pub fired: bool,
    /// Its severity when fired.
    pub severity: Option<Severity>,
    /// In words.
    pub text: String,
}

/// An example, formatted.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleView {
    /// RFC 3339 instant, for instants.
    pub at: Option<String>,
    /// The zone it is shown in.
    pub zone: Option<String>,
    /// The week, for week examples.
    pub week: Option<String>,
    /// "Tue 2026-09-08 14:30 America/Los_Angeles" or "week 2026-W37".
    pub when: String,
    /// `#payments`, `meeting #3fa9c2`, ...
    pub place: String,
    /// Numbers, never message text.
    pub detail: String,
}

/// A finding, formatted.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingView {
    /// Stable id.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// The pattern.
    pub pattern: &'static str,
    /// The team.
    pub team: String,
    /// Severity.
    pub severity: Severity,
    /// One line: the strongest check in words.
    pub summary: String,
    /// Every check.
    pub checks: Vec<CheckView>,
    /// Context signals.
    pub context: Vec<ContextView>,
    /// Examples.
    pub examples: Vec<ExampleView>,
    /// The moves that fit, from the findings catalogue.
    pub moves: &'static [Move],
    /// The experiment to try first (the change, for how many weeks, the
    /// signals to watch), from the findings catalogue.
    pub experiment: Experiment,
    /// The top organizer, where allowed; otherwise a neutral phrase.
    pub top_organizer: Option<String>,
    /// A running or done experiment of the team that answers this finding.
    pub answered_by: Option<AnsweredBy>,
    /// For a finding whose move is `fulcrum rotate`: the recurring series
    /// its top organizer organizes most, to rotate first.
    pub rotate_series: Option<SeriesToRotate>,
}

/// A recurring series named for `fulcrum rotate --series`: its title label
/// (the keyed hash the report shows for meetings, never the title) and its
/// short id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesToRotate {
    /// `#3fa9c2`: the keyed hash of the title, as examples show it.
    pub label: String,
    /// The eight hex digits `fulcrum rotate --series` accepts.
    pub short_id: String,
}

impl FindingView {
    /// The catalogue's "try first" change, with the series to rotate named
    /// when the change is `fulcrum rotate` and the report knows which one.
    pub fn try_first(&self) -> String {
        let change = self.experiment.change;
        match &self.rotate_series {
            Some(s) if change.contains("(`fulcrum rotate`)") => change.replace(
                "(`fulcrum rotate`)",
                &format!(
                    "(`fulcrum rotate --series {}`, meeting {}: the series its top organizer organizes most)",
                    s.short_id, s.label
                ),
            ),
            _ => change.to_owned(),
        }
    }
}

/// A context signal of a finding: shown beside the evidence, not checked
/// against a threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextView {
    /// The signal.
    pub signal: SignalId,
    /// Median of the weekly team values.
    pub value: Option<f64>,
    /// In words: `signal: value`.
    pub text: String,
}

/// One person's weeks (only when individuals are allowed).
#[derive(Debug, Clone, PartialEq)]
pub struct PersonView {
    /// Name (or pseudonym).
    pub name: String,
    /// Email (or pseudonym).
    pub email: String,
    /// Team.
    pub team: String,
    /// Weeks, with the cells of the person signals.
    pub weeks: Vec<WeekView>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub version: u32,
    /// The workspace's name.
    pub title: String,
    /// The window.
    pub window: WindowView,
    /// Minimum group size.
    pub min_group_size: u32,
    /// Privacy.
    pub privacy: PrivacyView,
    /// Thresholds in force.
    pub thresholds: Vec<ThresholdView>,
    /// What was read.
    pub inputs: Vec<(String, String)>,
    /// Problems, located (names scrubbed when pseudonymized).
    pub problems: Vec<Diagnostic>,
    /// Coverage.
    pub coverage: Vec<CoverageView>,
    /// Findings, most severe first.
    pub findings: Vec<FindingView>,
    /// Teams.
    pub teams: Vec<TeamView>,
    /// People, when allowed.
    pub people: Option<Vec<PersonView>>,
    /// The workspace's experiments (of the team in scope), in file order.
    pub experiments: Vec<ExperimentView>,
}

/// A threshold in force.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThresholdView {
    /// The `[policy.thresholds]` key.
    pub key: &'static str,
    /// The value.
    pub value: f64,
}

/// A keyed pseudonym of an email: `person-` and 6 hex digits.
pub fn pseudonym(key: &HashKey, email: &str) -> String {
    format!(
        "person-{:06x}",
        key.hash(email.trim().to_lowercase().as_bytes()) >> 40
    )
}

/// Why a known value has no number: a latency without an answered ask, or
/// a share of nothing.
fn empty_reason(latency: bool) -> &'static str {
    if latency {
        Unknown::NoAnsweredAsks.as_str()
    } else {
        Unknown::NoDenominator.as_str()
    }
}

/// True when every week of the team lies after the data's end.
fn after_data_only(t: &fulcrum_analysis::TeamWeeks) -> bool {
    !t.weeks.is_empty()
        && t.weeks.iter().all(|w| {
            w.signals
                .iter()
                .all(|s| matches!(s.value, Err(Unknown::AfterData)))
        })
}

/// The cell of a team value.
pub fn team_cell(id: SignalId, value: &Result<TeamValue, Unknown>, members: u32) -> Cell {
    match value {
        Err(why) => Cell {
            value: None,
            reason: Some(why.as_str()),
            members_with_data: Some(members),
            details: match why {
                Unknown::Suppressed { min_group_size, .. } => {
                    vec![Detail::new("min_group_size", f64::from(*min_group_size))]
                }
                _ => Vec::new(),
            },
        },
        Ok(v) => {
            let mut details = Vec::new();
            match v {
                TeamValue::Aggregate(a) => {
                    let mut put = |k: &'static str, x: Option<f64>| {
                        if let Some(x) = x {
                            details.push(Detail::new(k, x));
                        }
                    };
                    put("median", a.median);
                    put("mean", a.mean);
                    put("p90", a.p90);
                    put("total", Some(a.total));
                    if let Some(p) = a.pooled {
                        put("pooled_part", Some(p.part));
                        put("pooled_whole", Some(p.whole));
                        put("pooled", p.share());
                    }
                    if let Some(l) = a.latency {
                        latency_details(&mut details, &l);
                    }
                }
                TeamValue::Value(v) => value_details(&mut details, v),
            }
            let value = fulcrum_analysis::findings::team_week_value(id, value);
            Cell {
                value,
                // A share of nothing, a latency of no answer: say so.
                reason: value
                    .is_none()
                    .then(|| empty_reason(id == SignalId::ResponseLatency)),
                members_with_data: Some(members),
                details,
            }
        }
    }
}

fn latency_details(details: &mut Vec<Detail>, l: &fulcrum_analysis::LatencyStats) {
    details.push(Detail::new("answered", f64::from(l.answered)));
    details.push(Detail::new("unanswered", f64::from(l.unanswered)));
    details.push(Detail::new("pending", f64::from(l.pending)));
    if let Some(s) = l.business {
        details.push(Detail::new("business_median", s.median));
        details.push(Detail::new("business_p90", s.p90));
    }
    if let Some(s) = l.wall {
        details.push(Detail::new("wall_median", s.median));
        details.push(Detail::new("wall_p90", s.p90));
    }
}

fn ratio_details(details: &mut Vec<Detail>, r: &Ratio) {
    details.push(Detail::new("part", r.part));
    details.push(Detail::new("whole", r.whole));
}

fn value_details(details: &mut Vec<Detail>, v: &Value) {
    match v {
        Value::Number(_) => {}
        Value::Ratio(r) => ratio_details(details, r),
        Value::Latency(l) => latency_details(details, l),
        Value::Burden(b) => {
            details.push(Detail::new("gini", b.gini));
            details.push(Detail::new("total_hours", b.total_hours));
            details.push(Detail::new("max_hours", b.max_hours));
            details.push(Detail::new("members", f64::from(b.members)));
            for (key, share) in ["lorenz_20", "lorenz_40", "lorenz_60", "lorenz_80"]
                .into_iter()
                .zip(b.lorenz)
            {
                details.push(Detail::new(key, share));
            }
        }
        Value::Overlap(o) => {
            details.push(Detail::new("hours", o.hours));
            details.push(Detail::new("working_days", f64::from(o.working_days)));
        }
        Value::Concentration(c) => ratio_details(details, &c.ratio),
    }
}

/// The cell of a person value.
pub fn person_cell(m: &Measured) -> Cell {
    match m {
        Err(why) => Cell {
            value: None,
            reason: Some(why.as_str()),
            members_with_data: None,
            details: Vec::new(),
        },
        Ok(v) => {
            let mut details = Vec::new();
            value_details(&mut details, v);
            let value = v.headline();
            Cell {
                value,
                reason: value
                    .is_none()
                    .then(|| empty_reason(matches!(v, Value::Latency(_)))),
                members_with_data: None,
                details,
            }
        }
    }
}

/// Formats a possibly unknown value.
pub fn show(id: SignalId, v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_owned(), |v| format_value(id, v))
}

fn example_view(e: &Example) -> ExampleView {
    match &e.when {
        When::At { at, zone } => {
            let local = at.with_timezone(zone);
            ExampleView {
                at: Some(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                zone: Some(zone.name().to_owned()),
                week: None,
                when: format!(
                    "{} {} {:02}:{:02} {}",
                    local.weekday(),
                    local.date_naive(),
                    local.hour(),
                    local.minute(),
                    zone.name()
                ),
                place: e.place.describe(),
                detail: e.detail.clone(),
            }
        }
        When::Week(w) => ExampleView {
            at: None,
            zone: None,
            week: Some(w.to_string()),
            when: format!("week {w}"),
            place: e.place.describe(),
            detail: e.detail.clone(),
        },
    }
}

/// A calendar file's path with its name replaced by a keyed one
/// (`calendars/calendar-3fa2c1.ics`, the folder kept); `None` for a source
/// that is not an `.ics` file.
fn calendar_pseudonym(source: &str, key: &HashKey) -> Option<String> {
    let lower = source.to_ascii_lowercase();
    if !lower.ends_with(".ics") {
        return None;
    }
    let (dir, name) = match source.rfind(['/', '\\']) {
        Some(at) => source.split_at(at + 1),
        None => ("", source),
    };
    Some(format!(
        "{dir}calendar-{:06x}.ics",
        key.hash(name.to_lowercase().as_bytes()) >> 40
    ))
}

/// Replaces every person's email, email local part and name in `text` by
/// their pseudonym (longest first, so an email is replaced whole).
fn scrub(text: &str, people: &[Person], key: &HashKey) -> String {
    let mut needles: Vec<(String, String)> = Vec::new();
    for p in people {
        let alias = pseudonym(key, &p.email);
        needles.push((p.email.clone(), alias.clone()));
        if !p.name.trim().is_empty() {
            needles.push((p.name.clone(), alias.clone()));
        }
        if let Some(local) = p.email.split('@').next()
            && local.len() >= 3
        {
            needles.push((local.to_owned(), alias));
        }
    }
    needles.sort_by_key(|n| std::cmp::Reverse(n.0.len()));
    let mut out = text.to_owned();
    for (n, a) in needles {
        if out.contains(&n) {
            out = out.replace(&n, &a);
        }
    }
    out
}

fn check_text(id: SignalId, c: &CheckView) -> String {
    let what = match id {
        SignalId::ThreadEscalations => "escalated threads per team-week",
        _ if id.unit() == fulcrum_analysis::Unit::CountAndPercent => "team share",
        _ if matches!(
            id,
            SignalId::HygieneAgenda
                | SignalId::HygieneOutcome
                | SignalId::HygienePreread
                | SignalId::HygieneSummary
                | SignalId::HygieneSeriesEnd
                | SignalId::HygieneTimebox
                | SignalId::HygieneAttendees
                | SignalId::OrganizerConcentration
                | SignalId::TzBurden
                | SignalId::OverlapHours
        ) =>
        {
            "team value"
        }
        _ => "median per person-week",
    };
    format!(
        "{} {}: {} over the window's weeks (threshold {} {}); past it in {} of {} weeks with data{}",
        id.as_str(),
        what,
        show(id, c.value),
        c.op,
        format_value(id, c.threshold),
        c.weeks_past,
        c.weeks_with_data,
        if c.weeks_suppressed > 0 {
            format!(
                ", {} weeks suppressed (too few members with data)",
                c.weeks_suppressed
            )
        } else {
            String::new()
        }
    )
}

fn finding_view(f: &Finding, top_organizer: Option<String>) -> FindingView {
    let checks: Vec<CheckView> = f
        .checks
        .iter()
        .map(|c| {
            let mut v = CheckView {
                signal: c.spec.signal,
                threshold_key: c.spec.threshold,
                op: c.spec.direction.as_str(),
                threshold: c.threshold,
                value: c.window.median,
                first_half: c.window.first_half,
                second_half: c.window.second_half,
                weeks_past: c.weeks_past,
                weeks_with_data: c.window.weeks_with_data,
                weeks_suppressed: c.window.weeks_suppressed,
                fired: c.fired,
                severity: c.severity,
                text: String::new(),
            };
            v.text = check_text(c.spec.signal, &v);
            v
        })
        .collect();
    let summary = checks
        .iter()
        .filter(|c| c.fired)
        .max_by_key(|c| c.severity)
        .map(|c| c.text.clone())
        .unwrap_or_default();
    FindingView {
        id: f.id.as_str(),
        title: f.id.title(),
        pattern: f.id.pattern(),
        team: f.team.clone(),
        severity: f.severity,
        summary,
        checks,
        context: f
            .context
            .iter()
            .map(|(id, w)| ContextView {
                signal: *id,
                value: w.median,
                text: format!("{}: {}", id.as_str(), show(*id, w.median)),
            })
            .collect(),
        examples: f.examples.iter().map(example_view).collect(),
        moves: f.id.moves(),
        experiment: f.id.experiment(),
        top_organizer,
        answered_by: None,
        rotate_series: None,
    }
}

fn threshold_on(id: SignalId, thresholds: &Thresholds) -> Option<f64> {
    fulcrum_analysis::findings::FindingId::ALL
        .iter()
        .flat_map(|f| f.checks())
        .find(|c| c.signal == id)
        .and_then(|c| thresholds.get(c.threshold))
}

/// Builds the view model.
pub fn build(input: &ReportInput<'_>, privacy: &Privacy) -> Report {
    let s = input.signals;
    let min = input.min_group_size;
    let key = &input.key;
    let name_of = |i: usize| -> (String, String) {
        let p = &input.people[i];
        if privacy.pseudonymize {
            let a = pseudonym(key, &p.email);
            (a.clone(), a)
        } else {
            (p.name.clone(), p.email.clone())
        }
    };
    let index_of_email = |email: &str| input.people.iter().position(|p| p.email == email);
    let may_see = |i: Option<usize>| match (&privacy.individuals, i) {
        (Individuals::All, _) => true,
        (Individuals::Person(me), Some(i)) => *me == i,
        _ => false,
    };
    let in_scope = |team: &str| privacy.team.as_deref().is_none_or(|t| t == team);

    let mut findings: Vec<FindingView> = Vec::new();
    for a in input.assessments.iter().filter(|a| in_scope(&a.team)) {
        for f in &a.findings {
            let top = f.top_organizer.as_ref().map(|t| {
                let i = index_of_email(&t.email);
                if may_see(i) {
                    match i {
                        Some(i) => name_of(i).1,
                        None if privacy.pseudonymize => pseudonym(key, &t.email),
                        None => t.email.clone(),
                    }
                } else if t.member {
                    "one member of the team (not named: per-person detail is not enabled)"
                        .to_owned()
                } else {
                    "one person outside the team (not named: per-person detail is not enabled)"
                        .to_owned()
                }
            });
            let mut view = finding_view(f, top);
            view.answered_by = answered_by(input.experiments, &f.team, f.id);
            // The series to rotate: the one the top organizer organizes
            // with the most person-hours, by title label and short id (no
            // name, so it is shown at every privacy level).
            view.rotate_series = f.top_organizer.as_ref().and_then(|t| {
                let s = input.activity.team(&f.team)?.top_series_of(&t.email)?;
                Some(SeriesToRotate {
                    label: s.label.clone(),
                    short_id: fulcrum_model::series_short_id(&s.uid),
                })
            });
            findings.push(view);
        }
    }
    // Most severe first; a team's findings keep the analysis' order.
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.team.cmp(&b.team)));

    let mut teams = Vec::new();
    for t in s.teams.iter().filter(|t| in_scope(&t.team)) {
        let assessment = input.assessments.iter().find(|a| a.team == t.team);
        let verdict = assessment.map_or(Verdict::NotAssessed, TeamAssessment::verdict);
        let verdict_text = match (verdict, assessment) {
            (Verdict::Findings, Some(a)) => format!(
                "{} finding(s); {} of {} checks had data",
                a.findings.len(),
                a.checked.len(),
                a.checked.len() + a.unchecked.len()
            ),
            (Verdict::NoFindings, Some(a)) => format!(
                "no findings: all {} checks with data are within their thresholds{}",
                a.checked.len(),
                if a.unchecked.is_empty() {
                    String::new()
                } else {
                    format!(" ({} without data)", a.unchecked.len())
                }
            ),
            _ if after_data_only(t) => {
                "not assessed: every week of the window starts after the data ends".to_owned()
            }
            _ => format!(
                "not assessed: no check had data (fewer than {min} members with data, or no sources)"
            ),
        };
        let weeks = t
            .weeks
            .iter()
            .map(|w| WeekView {
                week: w.week,
                cells: w
                    .signals
                    .iter()
                    .map(|sig| SignalCell {
                        signal: sig.id,
                        cell: team_cell(sig.id, &sig.value, sig.members_with_data),
                    })
                    .collect(),
                away: Away::Members(w.members_away),
            })
            .collect();
        let trends = KEY_SIGNALS
            .iter()
            .map(|id| {
                let w = window_value(t, *id);
                TrendView {
                    id: *id,
                    value: w.median,
                    first_half: w.first_half,
                    second_half: w.second_half,
                    trend: Trend::of(*id, w.first_half, w.second_half),
                    weekly: w.weekly,
                    weeks_with_data: w.weeks_with_data,
                    weeks_suppressed: w.weeks_suppressed,
                    threshold: threshold_on(*id, input.thresholds),
                }
            })
            .collect();
        let act = input.activity.team(&t.team);
        let per_week = |h: &fulcrum_analysis::findings::HourOfWeek, weeks: u32| -> Vec<f64> {
            h.cells
                .iter()
                .map(|c| c / f64::from(weeks.max(1)))
                .collect()
        };
        let activity = ActivityView {
            meeting_hours: act
                .filter(|a| a.people_with_calendar >= min)
                .map(|a| per_week(&a.meeting_hours, a.weeks)),
            after_hours_messages: act
                .filter(|a| a.people_in_chat >= min)
                .map(|a| per_week(&a.after_hours_messages, a.weeks)),
            people_with_calendar: act.map_or(0, |a| a.people_with_calendar),
            people_in_chat: act.map_or(0, |a| a.people_in_chat),
        };
        // Meeting load: each member's mean weekly meeting hours, unlabeled.
        let mut load: Vec<f64> = t
            .members
            .iter()
            .filter_map(|&m| {
                let p = s.people.get(m)?;
                let v: Vec<f64> = p
                    .weeks
                    .iter()
                    .filter_map(|w| w.get(SignalId::MeetingHours)?.ok()?.headline())
                    .collect();
                fulcrum_analysis::stats::mean(&v)
            })
            .collect();
        load.sort_by(f64::total_cmp);
        let meeting_load = (load.len() as u32 >= min).then_some(load);
        let overlap = t.weeks.iter().rev().find_map(|w| {
            let sig = w.get(SignalId::OverlapHours)?;
            let Ok(TeamValue::Value(Value::Overlap(o))) = &sig.value else {
                return None;
            };
            let monday = w.week.monday().and_time(chrono::NaiveTime::MIN).and_utc();
            let mut windows = Vec::new();
            for i in &o.windows {
                // Split at UTC midnights so each piece sits on one weekday row.
                let mut start = i.start;
                while start < i.end {
                    let day_start = start
                        .date_naive()
                        .and_time(chrono::NaiveTime::MIN)
                        .and_utc();
                    let day_end = day_start + chrono::Duration::days(1);
                    let end = i.end.min(day_end);
                    let weekday = ((start - monday).num_days()).rem_euclid(7) as u32;
                    let m =
                        |t: chrono::DateTime<chrono::Utc>| ((t - day_start).num_minutes()) as u32;
                    windows.push(OverlapWindow {
                        weekday,
                        start_minute: m(start),
                        end_minute: m(end),
                    });
                    start = end;
                }
            }
            Some(OverlapView {
                week: w.week,
                hours_per_day: o.hours_per_day,
                windows,
            })
        });
        teams.push(TeamView {
            name: t.team.clone(),
            members: t.members.len(),
            verdict,
            verdict_text,
            weeks,
            trends,
            activity,
            meeting_load,
            overlap,
        });
    }

    let people = match privacy.individuals {
        Individuals::None => None,
        _ => Some(
            s.people
                .iter()
                .filter(|p| may_see(Some(p.person)) && in_scope(&p.team))
                .map(|p| {
                    let (name, email) = name_of(p.person);
                    PersonView {
                        name,
                        email,
                        team: p.team.clone(),
                        weeks: p
                            .weeks
                            .iter()
                            .map(|w| WeekView {
                                week: w.week,
                                cells: w
                                    .iter()
                                    .map(|(id, m)| SignalCell {
                                        signal: id,
                                        cell: person_cell(&m),
                                    })
                                    .collect(),
                                away: Away::Person(w.away),
                            })
                            .collect(),
                    }
                })
                .collect(),
        ),
    };

    let mut notes = vec![format!(
        "Team values are shown only for groups of at least {min} members with data that week; smaller groups are suppressed (shown as \"suppressed\", never as 0)."
    )];
    let suppressed_teams: Vec<&str> = teams
        .iter()
        .filter(|t| t.verdict == Verdict::NotAssessed)
        .map(|t| t.name.as_str())
        .collect();
    if !suppressed_teams.is_empty() {
        notes.push(format!(
            "Not assessed (too few members with data): {}.",
            suppressed_teams.join(", ")
        ));
    }
    let (individuals, warning) = match privacy.individuals {
        Individuals::None => {
            notes.push("No per-person rows: pass --person EMAIL for one's own view, or --individuals (analysts).".to_owned());
            ("none", None)
        }
        Individuals::Person(_) => ("self", None),
        Individuals::All => (
            "all",
            Some("WARNING: this report holds per-person rows (--individuals). Share it only with people entitled to see individual data.".to_owned()),
        ),
    };
    let clean = |t: &str| {
        if privacy.pseudonymize {
            scrub(t, input.people, key)
        } else {
            t.to_owned()
        }
    };
    Report {
        version: SCHEMA_VERSION,
        title: input.title.clone(),
        window: WindowView {
            from: input.window.from,
            to: input.window.to,
            weeks: s.weeks.clone(),
            rule: input.window_rule.clone(),
        },
        min_group_size: min,
        privacy: PrivacyView {
            individuals,
            pseudonymized: privacy.pseudonymize,
            key_source: input.key_source.clone(),
            warning,
            notes,
        },
        thresholds: input
            .thresholds
            .iter()
            .map(|(key, value)| ThresholdView { key, value })
            .collect(),
        inputs: input
            .inputs
            .iter()
            .map(|(k, v)| (k.clone(), clean(v)))
            .collect(),
        problems: input
            .problems
            .iter()
            .map(|p| {
                // A calendar file is usually named after its owner (or
                // someone not on the list): with pseudonyms its name goes
                // too, wherever the problem repeats it.
                let file =
                    |t: &str| match (privacy.pseudonymize, calendar_pseudonym(&p.source, key)) {
                        (true, Some(alias)) => t.replace(&*p.source, &alias),
                        _ => t.to_owned(),
                    };
                Diagnostic {
                    source: clean(&file(&p.source)).into(),
                    entry: p.entry.as_deref().map(|e| clean(&file(e))),
                    message: clean(&file(&p.message)),
                    help: p.help.as_deref().map(|h| clean(&file(h))),
                    ..p.clone()
                }
            })
            .collect(),
        coverage: s
            .coverage
            .facts
            .iter()
            .map(|f| CoverageView {
                key: f.key.as_str(),
                part: f.part,
                whole: f.whole,
                text: f.describe(),
            })
            .collect(),
        findings,
        teams,
        people,
        experiments: input
            .experiments
            .iter()
            .filter(|e| in_scope(&e.spec.team))
            .cloned()
            .collect(),
    }
}

/// The experiment a finding's "try first" names: of the running or done
/// experiments of its team that answer it, one declared for this finding
/// first, then the latest started.
fn answered_by(experiments: &[ExperimentView], team: &str, f: FindingId) -> Option<AnsweredBy> {
    experiments
        .iter()
        .filter(|e| e.state != ExperimentState::Planned && e.answers(team, f))
        .max_by_key(|e| (e.spec.finding == Some(f), e.spec.start))
        .map(|e| AnsweredBy {
            id: e.spec.id.clone(),
            state: e.state.as_str(),
            verdict: e.verdict(),
        })
}

#[cfg(test)]
mod tests;
