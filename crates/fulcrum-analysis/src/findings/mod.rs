//! Findings: SIGNALS.md's finding table applied to a team's weeks.
//!
//! Each finding ([`FindingId`], table in [`catalog`]) has one or more checks:
//! a signal's team-week value against a `[policy.thresholds]` value. The
//! rule, over the window:
//!
//! - **Team-week value**: [`crate::TeamValue::headline`]: the median of the
//!   members' values for person signals (the pooled share for `count, %`
//!   signals such as `cross_tz_asks` and `short_notice_meetings`; the
//!   distinct count for `thread_escalations`), the team signal's own value
//!   otherwise. For `tz_burden` a week in which no member has at least
//!   [`MIN_BURDEN_HOURS`] of after-hours meetings counts as 0: a Gini over
//!   minutes is not a burden.
//! - **Window value**: the median of the team-week values over the weeks
//!   with data. Suppressed and unknown weeks are left out and counted.
//! - **Fires** when the window value is past the threshold (`>=`, `>` or
//!   `<` as the table says). A finding fires when any of its checks does.
//! - **Severity** ([`Severity::of`]): `high` when the window value is at
//!   least 50% past the threshold (relative to it) and the team was past it
//!   in at least 75% of its weeks with data; `medium` when either holds, or
//!   when it is at least 25% past it; `low` otherwise. A finding takes the
//!   highest severity of its fired checks.
//!
//! - **Order** within a team: by severity; within one severity, findings
//!   about time and answers before those resting only on what invites say
//!   (`hygiene_*`), then by how far past the threshold.
//!
//! A team with data for at least one check and no finding is told it has
//! none ([`Verdict::NoFindings`]); a team whose every check is suppressed or
//! unknown is [`Verdict::NotAssessed`], never "healthy".
//!
//! Examples ([`examples`]) are located by date, time and channel, or by a
//! meeting's title hash; never by message text.

pub mod activity;
pub mod catalog;
pub mod examples;
pub mod hash;

pub use activity::{Activity, ChatScan, HourOfWeek, TeamActivity};
pub use catalog::{CheckSpec, Direction, Experiment, FindingId, Move};
pub use examples::{Example, Examples, Place, When};

use crate::analysis::Signals;
use crate::signal::{SignalId, Unknown, Value};
use crate::stats;
use crate::team::{TeamValue, TeamWeeks};
use fulcrum_model::policy::THRESHOLDS;

/// Below this many after-hours meeting hours for the most burdened member,
/// a week's `tz_burden` counts as 0 for the finding.
pub const MIN_BURDEN_HOURS: f64 = 1.0;

/// The thresholds of the finding table (`[policy.thresholds]`), defaults as
/// SIGNALS.md says. Shares are fractions.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    values: Vec<(&'static str, f64)>,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            values: THRESHOLDS.iter().map(|t| (t.key, t.default)).collect(),
        }
    }
}

impl Thresholds {
    /// The defaults overridden by `overrides` (key, value); keys that are
    /// not thresholds are returned (the workspace parser rejects them
    /// before this).
    pub fn with<'k>(overrides: impl IntoIterator<Item = (&'k str, f64)>) -> (Self, Vec<String>) {
        let mut t = Thresholds::default();
        let mut unknown = Vec::new();
        for (k, v) in overrides {
            match t.values.iter_mut().find(|(key, _)| *key == k) {
                Some(slot) => slot.1 = v,
                None => unknown.push(k.to_owned()),
            }
        }
        (t, unknown)
    }

    /// The value of a key.
    pub fn get(&self, key: &str) -> Option<f64> {
        self.values.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    /// Every key and value.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, f64)> + '_ {
        self.values.iter().copied()
    }
}

/// How strong a finding is (see the module docs for the rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Just past the threshold, in about half the weeks.
    Low,
    /// Clearly past it, or past it nearly every week.
    Medium,
    /// Far past it, nearly every week.
    High,
}

impl Severity {
    /// `low`, `medium`, `high`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    /// The severity of a fired check: `excess` is how far the window value
    /// is past the threshold relative to it (0.5 = 50%), `persistence` the
    /// share of weeks with data that were past it.
    pub fn of(excess: f64, persistence: f64) -> Severity {
        let far = excess >= 0.5;
        let steady = persistence >= 0.75;
        if far && steady {
            Severity::High
        } else if far || steady || excess >= 0.25 {
            Severity::Medium
        } else {
            Severity::Low
        }
    }
}

/// A signal's team values over the window.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowValue {
    /// The team-week values, one per week of the window (`None` when
    /// unknown or suppressed).
    pub weekly: Vec<Option<f64>>,
    /// Median of the known weekly values.
    pub median: Option<f64>,
    /// Median over the first half of the window's weeks (the first
    /// `weeks / 2`).
    pub first_half: Option<f64>,
    /// Median over the second half (the rest).
    pub second_half: Option<f64>,
    /// Weeks with a value.
    pub weeks_with_data: u32,
    /// Weeks withheld by the minimum group size.
    pub weeks_suppressed: u32,
}

/// The team-week value the findings compare (see the module docs).
pub fn team_week_value(id: SignalId, value: &Result<TeamValue, Unknown>) -> Option<f64> {
    let v = value.as_ref().ok()?;
    if id == SignalId::TzBurden
        && let TeamValue::Value(Value::Burden(b)) = v
        && b.max_hours < MIN_BURDEN_HOURS
    {
        return Some(0.0);
    }
    v.headline(id)
}

/// The window values of one signal of one team.
pub fn window_value(team: &TeamWeeks, id: SignalId) -> WindowValue {
    let mut weekly = Vec::with_capacity(team.weeks.len());
    let mut suppressed = 0;
    for w in &team.weeks {
        let Some(s) = w.get(id) else {
            weekly.push(None);
            continue;
        };
        if matches!(s.value, Err(Unknown::Suppressed { .. })) {
            suppressed += 1;
        }
        weekly.push(team_week_value(id, &s.value));
    }
    let known = |slice: &[Option<f64>]| -> Vec<f64> { slice.iter().flatten().copied().collect() };
    let half = weekly.len() / 2;
    let all = known(&weekly);
    WindowValue {
        median: stats::median(&all),
        first_half: stats::median(&known(&weekly[..half])),
        second_half: stats::median(&known(&weekly[half..])),
        weeks_with_data: all.len() as u32,
        weeks_suppressed: suppressed,
        weekly,
    }
}

/// One check of a finding, evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    /// What was checked.
    pub spec: CheckSpec,
    /// The threshold in force.
    pub threshold: f64,
    /// The window values.
    pub window: WindowValue,
    /// Weeks past the threshold.
    pub weeks_past: u32,
    /// The window value is past the threshold.
    pub fired: bool,
    /// Severity when fired.
    pub severity: Option<Severity>,
    /// How far past the threshold the window value is, relative to the
    /// threshold (0.5 = 50% past), when fired.
    pub excess: Option<f64>,
}

impl CheckResult {
    fn evaluate(spec: CheckSpec, threshold: f64, team: &TeamWeeks) -> CheckResult {
        let window = window_value(team, spec.signal);
        let weeks_past = window
            .weekly
            .iter()
            .flatten()
            .filter(|v| spec.direction.passes(**v, threshold))
            .count() as u32;
        let fired = window
            .median
            .is_some_and(|v| spec.direction.passes(v, threshold));
        let excess = window.median.filter(|_| fired).map(|v| {
            let distance = match spec.direction {
                Direction::AtLeast | Direction::Above => v - threshold,
                Direction::Below => threshold - v,
            };
            if threshold > 0.0 {
                distance / threshold
            } else {
                f64::INFINITY
            }
        });
        let persistence = f64::from(weeks_past) / f64::from(window.weeks_with_data.max(1));
        let severity = excess.map(|e| Severity::of(e, persistence));
        CheckResult {
            spec,
            threshold,
            window,
            weeks_past,
            fired,
            severity,
            excess,
        }
    }
}

/// The top organizer behind `one_person_controls_sync_time`: identifies a
/// person, so the report shows it only where individuals are allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct TopOrganizer {
    /// Their email (or address, when not on the list).
    pub email: String,
    /// They are a member of the team.
    pub member: bool,
    /// Weeks in which they were the top organizer.
    pub weeks: u32,
}

/// A finding for one team.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Which.
    pub id: FindingId,
    /// The team.
    pub team: String,
    /// How strong.
    pub severity: Severity,
    /// Every check of the finding (fired or not), with its numbers.
    pub checks: Vec<CheckResult>,
    /// Context signals and their window values.
    pub context: Vec<(SignalId, WindowValue)>,
    /// Examples by date, time and place (at most [`examples::MAX_EXAMPLES`]).
    pub examples: Vec<Example>,
    /// For `one_person_controls_sync_time`: who.
    pub top_organizer: Option<TopOrganizer>,
}

/// What the checks say about a team as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// At least one finding.
    Findings,
    /// Every check with data is within its threshold.
    NoFindings,
    /// No check had data (suppressed or unknown every week).
    NotAssessed,
}

/// The findings of one team and what could be checked.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamAssessment {
    /// The team.
    pub team: String,
    /// Its findings, most severe first.
    pub findings: Vec<Finding>,
    /// Findings with at least one check that had data.
    pub checked: Vec<FindingId>,
    /// Findings none of whose checks had data in any week, with the
    /// number of weeks suppressed by the minimum group size.
    pub unchecked: Vec<(FindingId, u32)>,
}

impl TeamAssessment {
    /// The verdict.
    pub fn verdict(&self) -> Verdict {
        if !self.findings.is_empty() {
            Verdict::Findings
        } else if self.checked.is_empty() {
            Verdict::NotAssessed
        } else {
            Verdict::NoFindings
        }
    }
}

/// Evaluates every finding for every team. `examples` are attached to the
/// findings they belong to; week-level examples (the weeks furthest past
/// the threshold) are added where fewer event examples exist.
pub fn evaluate(
    signals: &Signals,
    thresholds: &Thresholds,
    examples: &Examples,
) -> Vec<TeamAssessment> {
    signals
        .teams
        .iter()
        .map(|team| assess(team, signals, thresholds, examples))
        .collect()
}

fn assess(
    team: &TeamWeeks,
    signals: &Signals,
    thresholds: &Thresholds,
    examples: &Examples,
) -> TeamAssessment {
    let mut out = TeamAssessment {
        team: team.team.clone(),
        findings: Vec::new(),
        checked: Vec::new(),
        unchecked: Vec::new(),
    };
    for id in FindingId::ALL {
        let mut checks: Vec<CheckResult> = id
            .checks()
            .iter()
            .map(|spec| {
                let t = thresholds.get(spec.threshold).unwrap_or(0.0);
                CheckResult::evaluate(*spec, t, team)
            })
            .collect();
        // A preferred check with data leaves out the check it replaces; one
        // without data leaves itself out.
        let replaced: Vec<SignalId> = checks
            .iter()
            .filter(|c| c.window.weeks_with_data > 0)
            .filter_map(|c| c.spec.replaces)
            .collect();
        checks.retain(|c| {
            !replaced.contains(&c.spec.signal)
                && (c.spec.replaces.is_none() || c.window.weeks_with_data > 0)
        });
        if checks.iter().all(|c| c.window.weeks_with_data == 0) {
            let suppressed = checks
                .iter()
                .map(|c| c.window.weeks_suppressed)
                .max()
                .unwrap_or(0);
            out.unchecked.push((id, suppressed));
            continue;
        }
        out.checked.push(id);
        let Some(severity) = checks.iter().filter_map(|c| c.severity).max() else {
            continue;
        };
        let context = id
            .context()
            .iter()
            .map(|s| (*s, window_value(team, *s)))
            .collect();
        let mut found = examples.for_finding(&team.team, id);
        if found.len() < examples::MAX_EXAMPLES {
            let more = examples::worst_weeks(
                &checks,
                &signals.weeks,
                examples::MAX_EXAMPLES - found.len(),
            );
            found.extend(more);
        }
        let top_organizer = (id == FindingId::OnePersonControlsSyncTime)
            .then(|| top_organizer(team))
            .flatten();
        out.findings.push(Finding {
            id,
            team: team.team.clone(),
            severity,
            checks,
            context,
            examples: found,
            top_organizer,
        });
    }
    out.findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.about_metadata().cmp(&b.about_metadata()))
            .then(b.excess().total_cmp(&a.excess()))
            .then(a.id.cmp(&b.id))
    });
    out
}

impl Finding {
    /// True when every fired check is a `hygiene_*` share: a finding about
    /// what invites say, ranked after findings about time and answers of
    /// the same severity.
    pub fn about_metadata(&self) -> bool {
        self.checks
            .iter()
            .filter(|c| c.fired)
            .all(|c| c.spec.signal.as_str().starts_with("hygiene_"))
    }

    /// The largest excess of its fired checks (0 when none).
    pub fn excess(&self) -> f64 {
        self.checks
            .iter()
            .filter_map(|c| c.excess)
            .fold(0.0, f64::max)
    }
}

/// The organizer who was on top in the most weeks.
fn top_organizer(team: &TeamWeeks) -> Option<TopOrganizer> {
    let mut counts: Vec<(String, bool, u32)> = Vec::new();
    for w in &team.weeks {
        if let Some(s) = w.get(SignalId::OrganizerConcentration)
            && let Ok(TeamValue::Value(Value::Concentration(c))) = &s.value
        {
            match counts.iter_mut().find(|(e, _, _)| *e == c.top_organizer) {
                Some(entry) => entry.2 += 1,
                None => counts.push((c.top_organizer.clone(), c.top_is_member, 1)),
            }
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.2.cmp(&b.2).then_with(|| b.0.cmp(&a.0)))
        .map(|(email, member, weeks)| TopOrganizer {
            email,
            member,
            weeks,
        })
}

/// A signal's number as people read it: shares as percentages, hours with
/// one decimal and `h`, counts with at most one decimal, Gini with two.
pub fn format_value(id: SignalId, v: f64) -> String {
    use crate::signal::Unit;
    let short = |x: f64| {
        let s = format!("{x:.1}");
        s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
    };
    match id.unit() {
        Unit::Percent | Unit::CountAndPercent => format!("{:.0}%", v * 100.0),
        Unit::Hours | Unit::HoursMedianP90 => format!("{v:.1} h"),
        Unit::HoursPerDay => format!("{v:.1} h/day"),
        Unit::GiniAndHours => format!("{v:.2}"),
        Unit::Count | Unit::Items | Unit::Score => short(v),
        Unit::Cost => format!("{v:.0}"),
    }
}

#[cfg(test)]
mod tests;
