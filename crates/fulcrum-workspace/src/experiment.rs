//! `[[experiment]]` tables of `fulcrum.toml`: one change, one treated team,
//! a start date, the windows, the control teams, the primary signal and
//! the guardrails (`docs/workspace.md`, `docs/experiments.md`).
//!
//! Parsing checks what the file alone can tell (ids, dates, numbers,
//! signal ids, findings, two experiments of one team at once); the teams
//! are known only once `people.csv` is read, so [`check_teams`] runs then.
//! Every error reads `fulcrum.toml:LINE: experiment "id": ...`.
//!
//! [`append_experiment`] writes a new table into the file's text with
//! `toml_edit`, so the file's comments and layout stay as they were.

use crate::error::{ConfigError, line_of};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use fulcrum_analysis::findings::catalog::FindingId;
use fulcrum_analysis::{Better, SignalId, Week};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

/// The guardrails when a table gives none: morale, throughput, after-hours
/// load and response latency.
pub const DEFAULT_GUARDRAILS: &[SignalId] = &[
    SignalId::Morale,
    SignalId::Throughput,
    SignalId::AfterHoursMeetingHours,
    SignalId::ResponseLatency,
];

/// The treatment length when a table gives none, in weeks.
pub const DEFAULT_WEEKS: u32 = 4;

/// Which way the primary signal should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Up.
    Increase,
    /// Down.
    Decrease,
}

impl Expect {
    /// `increase` or `decrease`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Expect::Increase => "increase",
            Expect::Decrease => "decrease",
        }
    }

    /// +1 for an increase, -1 for a decrease: an effect times this is
    /// positive on the expected side.
    pub fn sign(&self) -> f64 {
        match self {
            Expect::Increase => 1.0,
            Expect::Decrease => -1.0,
        }
    }

    /// The direction that improves a signal that is better `better`.
    pub fn improving(better: Better) -> Expect {
        match better {
            Better::Higher => Expect::Increase,
            Better::Lower => Expect::Decrease,
        }
    }
}

/// One declared experiment, defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct ExperimentSpec {
    /// Stable id, `[a-z0-9-]`.
    pub id: String,
    /// The treated team.
    pub team: String,
    /// The one change, in words.
    pub change: Option<String>,
    /// The move of the catalogue it applies, when given.
    pub move_id: Option<String>,
    /// The finding it answers, when given.
    pub finding: Option<FindingId>,
    /// First day of the change.
    pub start: NaiveDate,
    /// Treatment length, weeks.
    pub weeks: u32,
    /// The day the team stopped the change early, when it did: the
    /// treatment keeps the whole weeks before it.
    pub ended: Option<NaiveDate>,
    /// Baseline length, weeks.
    pub baseline_weeks: u32,
    /// Weeks after the start left out of both windows.
    pub washout_weeks: u32,
    /// Control teams, as given.
    pub control: Vec<String>,
    /// The one signal that decides.
    pub primary: SignalId,
    /// Which way it should move.
    pub expect: Expect,
    /// The smallest effect worth having, in the primary's unit.
    pub min_effect: f64,
    /// Guardrail signals.
    pub guardrails: Vec<SignalId>,
    /// Per guardrail, how far it may move to its bad side before it counts
    /// as harmed, in its unit; guardrails not listed use the default of
    /// `docs/experiments.md` (a tenth of the treated team's baseline).
    pub tolerance: BTreeMap<SignalId, f64>,
    /// The line of the table's `id`, for messages.
    pub line: u32,
}

impl ExperimentSpec {
    /// The first week of the change: the week of `start` when it is a
    /// Monday, else the next week (a week changed half-way belongs to
    /// neither window).
    pub fn first_changed_week(&self) -> Week {
        let w = Week::of_date(self.start);
        if self.start.weekday() == Weekday::Mon {
            w
        } else {
            w.next()
        }
    }

    /// The baseline weeks: the `baseline_weeks` whole weeks before the week
    /// of `start`.
    pub fn baseline(&self) -> Vec<Week> {
        let first = Week::of_date(self.start).monday();
        (1..=i64::from(self.baseline_weeks))
            .rev()
            .map(|k| Week::of_date(first - Duration::weeks(k)))
            .collect()
    }

    /// The treatment weeks: `weeks` weeks from the first changed week,
    /// after the washout; when the experiment `ended` early, only the
    /// whole weeks before that day (validation keeps at least one).
    pub fn treatment(&self) -> Vec<Week> {
        let first = self.first_changed_week().monday() + Duration::weeks(self.washout_weeks.into());
        (0..i64::from(self.weeks))
            .map(|k| Week::of_date(first + Duration::weeks(k)))
            .filter(|w| {
                self.ended
                    .is_none_or(|end| w.monday() + Duration::days(6) < end)
            })
            .collect()
    }

    /// First and last day of the baseline.
    pub fn baseline_dates(&self) -> (NaiveDate, NaiveDate) {
        span(&self.baseline())
    }

    /// First and last day of the treatment.
    pub fn treatment_dates(&self) -> (NaiveDate, NaiveDate) {
        span(&self.treatment())
    }

    /// The days the change runs: from `start` to the end of the
    /// treatment, or to the day before it `ended`.
    pub fn running(&self) -> (NaiveDate, NaiveDate) {
        let to = match self.ended {
            Some(end) => (end - Duration::days(1)).max(self.start),
            None => self.treatment_dates().1,
        };
        (self.start, to)
    }
}

fn span(weeks: &[Week]) -> (NaiveDate, NaiveDate) {
    let first = weeks.first().map_or(NaiveDate::MIN, Week::monday);
    let last = weeks
        .last()
        .map_or(NaiveDate::MIN, |w| w.monday() + Duration::days(6));
    (first, last)
}

/// `[[experiment]]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExperiment {
    id: Spanned<String>,
    team: Spanned<String>,
    change: Option<String>,
    #[serde(rename = "move")]
    move_id: Option<Spanned<String>>,
    finding: Option<Spanned<String>>,
    start: Spanned<toml::Value>,
    weeks: Option<Spanned<i64>>,
    ended: Option<Spanned<toml::Value>>,
    baseline_weeks: Option<Spanned<i64>>,
    washout_weeks: Option<Spanned<i64>>,
    #[serde(default)]
    control: Vec<Spanned<String>>,
    primary: Spanned<String>,
    expect: Option<Spanned<String>>,
    min_effect: Option<Spanned<f64>>,
    guardrails: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    tolerance: BTreeMap<Spanned<String>, Spanned<f64>>,
}

/// Collects the errors of the experiment tables.
struct Errors<'t> {
    file: &'t str,
    text: &'t str,
    out: Vec<ConfigError>,
}

impl Errors<'_> {
    fn at(&mut self, offset: usize, id: &str, message: impl AsRef<str>) {
        self.out.push(located(
            self.file,
            line_of(self.text, offset),
            id,
            message.as_ref(),
        ));
    }
}

fn located(file: &str, line: u32, id: &str, message: &str) -> ConfigError {
    ConfigError {
        file: file.to_owned(),
        line: Some(line),
        key: None,
        message: format!("experiment {id:?}: {message}"),
    }
}

/// True for a stable id: `[a-z0-9-]`, not empty, not starting with `-`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn signal(e: &mut Errors<'_>, id: &str, s: &Spanned<String>, what: &str) -> Option<SignalId> {
    let found = SignalId::from_id(s.get_ref());
    if found.is_none() {
        e.at(
            s.span().start,
            id,
            format!(
                "{what} {:?} is not a signal id of docs/SIGNALS.md (e.g. focus_hours, meeting_hours, morale, throughput)",
                s.get_ref()
            ),
        );
    }
    found
}

fn weeks(
    e: &mut Errors<'_>,
    id: &str,
    v: &Option<Spanned<i64>>,
    key: &str,
    min: i64,
) -> Option<u32> {
    let v = v.as_ref()?;
    match u32::try_from(*v.get_ref()) {
        Ok(n) if i64::from(n) >= min && n <= 52 => Some(n),
        _ => {
            e.at(
                v.span().start,
                id,
                format!("`{key}` must be a whole number of weeks from {min} to 52"),
            );
            None
        }
    }
}

fn date(v: &toml::Value) -> Option<NaiveDate> {
    match v {
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => {
            let d = d.date?;
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        }
        toml::Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
        _ => None,
    }
}

/// A value as the file wrote it, near enough for a message.
fn shown(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("{s:?}"),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Array(_) => "(a list)".to_owned(),
        toml::Value::Table(_) => "(a table)".to_owned(),
    }
}

/// Resolves the raw tables: defaults filled in, every bad value located.
pub(crate) fn resolve(
    raw: &[RawExperiment],
    file: &str,
    text: &str,
) -> (Vec<ExperimentSpec>, Vec<ConfigError>) {
    let mut e = Errors {
        file,
        text,
        out: Vec::new(),
    };
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for r in raw {
        let id = r.id.get_ref().clone();
        let id_at = r.id.span().start;
        let line = line_of(text, id_at);
        let errors_before = e.out.len();
        if !valid_id(&id) {
            e.at(
                id_at,
                &id,
                "the id must be lower-case letters, digits and dashes (e.g. \"async-standup\")",
            );
        }
        if let Some(first) = seen.insert(id.clone(), line) {
            e.at(
                id_at,
                &id,
                format!(
                    "the id is already used by the experiment on line {first}: give each its own"
                ),
            );
        }
        let team = r.team.get_ref().trim().to_owned();
        if team.is_empty() {
            e.at(
                r.team.span().start,
                &id,
                "`team` is empty: name the treated team",
            );
        }
        let start = date(r.start.get_ref());
        if start.is_none() {
            e.at(
                r.start.span().start,
                &id,
                format!(
                    "`start` {} is not a date: write the first day of the change as 2026-10-12",
                    shown(r.start.get_ref())
                ),
            );
        }
        let weeks_n = weeks(&mut e, &id, &r.weeks, "weeks", 1).unwrap_or(DEFAULT_WEEKS);
        let baseline_weeks = weeks(&mut e, &id, &r.baseline_weeks, "baseline_weeks", 1)
            .unwrap_or_else(|| weeks_n.clamp(2, 8));
        let washout_weeks = weeks(&mut e, &id, &r.washout_weeks, "washout_weeks", 0).unwrap_or(0);
        let ended = r.ended.as_ref().and_then(|v| {
            let d = date(v.get_ref());
            if d.is_none() {
                e.at(
                    v.span().start,
                    &id,
                    format!(
                        "`ended` {} is not a date: write the day the change stopped as 2026-11-02",
                        shown(v.get_ref())
                    ),
                );
            }
            d
        });
        let mut control = Vec::new();
        for c in &r.control {
            let name = c.get_ref().trim().to_owned();
            if name == team {
                e.at(
                    c.span().start,
                    &id,
                    format!("the treated team {name:?} cannot be its own control"),
                );
            } else if control.contains(&name) {
                e.at(
                    c.span().start,
                    &id,
                    format!("control team {name:?} is listed twice"),
                );
            } else {
                control.push(name);
            }
        }
        let primary = signal(&mut e, &id, &r.primary, "`primary`");
        let expect = match (&r.expect, primary.and_then(|p| p.better())) {
            (Some(x), _) => match x.get_ref().as_str() {
                "increase" => Some(Expect::Increase),
                "decrease" => Some(Expect::Decrease),
                other => {
                    e.at(
                        x.span().start,
                        &id,
                        format!("`expect` {other:?} must be \"increase\" or \"decrease\""),
                    );
                    None
                }
            },
            (None, Some(better)) => Some(Expect::improving(better)),
            (None, None) => {
                if let Some(p) = primary {
                    e.at(
                        r.primary.span().start,
                        &id,
                        format!(
                            "{} has no better side: say which way it should move (expect = \"increase\" or \"decrease\")",
                            p.as_str()
                        ),
                    );
                }
                None
            }
        };
        let min_effect = match &r.min_effect {
            None => 0.0,
            Some(m) if m.get_ref().is_finite() && *m.get_ref() >= 0.0 => *m.get_ref(),
            Some(m) => {
                e.at(
                    m.span().start,
                    &id,
                    "`min_effect` must be a number of at least 0, in the primary signal's unit",
                );
                0.0
            }
        };
        let guardrails = match &r.guardrails {
            None => DEFAULT_GUARDRAILS.to_vec(),
            Some(list) => list
                .iter()
                .filter_map(|g| {
                    let s = signal(&mut e, &id, g, "guardrail")?;
                    if s.better().is_none() {
                        e.at(
                            g.span().start,
                            &id,
                            format!(
                                "guardrail {} has no bad side, so it cannot be harmed: choose another",
                                s.as_str()
                            ),
                        );
                        return None;
                    }
                    Some(s)
                })
                .collect(),
        };
        let mut tolerance = BTreeMap::new();
        for (k, v) in &r.tolerance {
            let Some(s) = signal(&mut e, &id, k, "tolerance of") else {
                continue;
            };
            if v.get_ref().is_finite() && *v.get_ref() >= 0.0 {
                tolerance.insert(s, *v.get_ref());
            } else {
                e.at(
                    v.span().start,
                    &id,
                    format!(
                        "the tolerance of {} must be a number of at least 0",
                        s.as_str()
                    ),
                );
            }
        }
        let finding = r.finding.as_ref().and_then(|f| {
            let found = FindingId::from_id(f.get_ref());
            if found.is_none() {
                let known: Vec<&str> = FindingId::ALL.iter().map(FindingId::as_str).collect();
                e.at(
                    f.span().start,
                    &id,
                    format!(
                        "`finding` {:?} is not a finding id ({})",
                        f.get_ref(),
                        known.join(", ")
                    ),
                );
            }
            found
        });
        let move_id = r.move_id.as_ref().map(|m| {
            let ok = !m.get_ref().is_empty()
                && m.get_ref().bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                });
            if !ok {
                e.at(
                    m.span().start,
                    &id,
                    "`move` must be a move id: lower-case letters, digits, `-` and `_`",
                );
            }
            m.get_ref().clone()
        });
        if e.out.len() > errors_before {
            continue;
        }
        if let (Some(start), Some(primary), Some(expect)) = (start, primary, expect) {
            let spec = ExperimentSpec {
                id,
                team,
                change: r.change.clone(),
                move_id,
                finding,
                start,
                weeks: weeks_n,
                ended,
                baseline_weeks,
                washout_weeks,
                control,
                primary,
                expect,
                min_effect,
                guardrails,
                tolerance,
                line,
            };
            if let (Some(end), Some(at)) = (ended, r.ended.as_ref())
                && spec.treatment().is_empty()
            {
                let first =
                    spec.first_changed_week().monday() + Duration::weeks(washout_weeks.into());
                e.at(
                    at.span().start,
                    &spec.id,
                    format!(
                        "`ended` {end} leaves no whole week of the change (the first runs {first} to {}): end it later, or remove the experiment",
                        first + Duration::days(6)
                    ),
                );
                continue;
            }
            out.push(spec);
        }
    }
    e.out.extend(overlaps(&out, file));
    (out, e.out)
}

/// One change at a time: two experiments of one team whose running days
/// (start to the end of the treatment) overlap are flagged, on both.
fn overlaps(specs: &[ExperimentSpec], file: &str) -> Vec<ConfigError> {
    let mut out = Vec::new();
    for a in specs {
        for b in specs {
            if a.id == b.id || a.team != b.team {
                continue;
            }
            let (a0, a1) = a.running();
            let (b0, b1) = b.running();
            if a0 <= b1 && b0 <= a1 {
                out.push(located(
                    file,
                    a.line,
                    &a.id,
                    &format!(
                        "runs from {a0} to {a1} on team {:?}, overlapping experiment {:?} (line {}, {b0} to {b1}): one change at a time, so move one of them",
                        a.team, b.id, b.line
                    ),
                ));
            }
        }
    }
    out
}

/// Checks the treated and control teams against the teams of the people
/// list (known once `people.csv` is read).
pub fn check_teams(
    specs: &[ExperimentSpec],
    teams: &BTreeSet<String>,
    file: &str,
) -> Vec<ConfigError> {
    let known = || teams.iter().cloned().collect::<Vec<_>>().join(", ");
    let mut out = Vec::new();
    for s in specs {
        if !teams.contains(&s.team) {
            out.push(located(
                file,
                s.line,
                &s.id,
                &format!(
                    "team {:?} is not a team of the people list (teams: {})",
                    s.team,
                    known()
                ),
            ));
        }
        for c in s.control.iter().filter(|c| !teams.contains(*c)) {
            out.push(located(
                file,
                s.line,
                &s.id,
                &format!(
                    "control team {c:?} is not a team of the people list (teams: {})",
                    known()
                ),
            ));
        }
    }
    out
}

/// A new `[[experiment]]` table, as `fulcrum experiment new` writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewExperiment {
    /// Stable id.
    pub id: String,
    /// Treated team.
    pub team: String,
    /// The change in words.
    pub change: String,
    /// A move id, when known.
    pub move_id: Option<String>,
    /// The finding it answers, when known.
    pub finding: Option<String>,
    /// First day.
    pub start: NaiveDate,
    /// Treatment weeks.
    pub weeks: u32,
    /// Control teams.
    pub control: Vec<String>,
    /// The primary signal.
    pub primary: SignalId,
    /// Expected direction.
    pub expect: Expect,
    /// Smallest effect worth having.
    pub min_effect: f64,
    /// Guardrails.
    pub guardrails: Vec<SignalId>,
}

/// Why a table could not be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppendError {
    /// The file is not valid TOML.
    #[error("{0}")]
    Syntax(String),
    /// `experiment` exists but is not an array of tables.
    #[error("`experiment` is not an array of tables ([[experiment]])")]
    NotTables,
    /// No `[[experiment]]` table has this id.
    #[error("no experiment {0:?} in the file")]
    NotFound(String),
}

/// The `[[experiment]]` tables of a document, mutably.
fn experiment_tables(
    doc: &mut toml_edit::DocumentMut,
) -> Result<Option<&mut toml_edit::ArrayOfTables>, AppendError> {
    match doc.get_mut("experiment") {
        None => Ok(None),
        Some(toml_edit::Item::ArrayOfTables(list)) => Ok(Some(list)),
        Some(_) => Err(AppendError::NotTables),
    }
}

fn parse_doc(text: &str) -> Result<toml_edit::DocumentMut, AppendError> {
    text.parse()
        .map_err(|e: toml_edit::TomlError| AppendError::Syntax(e.to_string()))
}

/// Sets `ended = DATE` on the `[[experiment]]` table with this id (the
/// team stopped the change early), keeping every comment and the layout
/// of the rest.
pub fn end_experiment(text: &str, id: &str, ended: NaiveDate) -> Result<String, AppendError> {
    let mut doc = parse_doc(text)?;
    let date: toml_edit::Datetime = ended
        .to_string()
        .parse()
        .map_err(|e: toml_edit::DatetimeParseError| AppendError::Syntax(e.to_string()))?;
    let table = experiment_tables(&mut doc)?
        .and_then(|list| {
            list.iter_mut()
                .find(|t| t.get("id").and_then(toml_edit::Item::as_str) == Some(id))
        })
        .ok_or_else(|| AppendError::NotFound(id.to_owned()))?;
    table.insert("ended", toml_edit::value(date));
    Ok(doc.to_string())
}

/// Removes the `[[experiment]]` table with this id, keeping every comment
/// and the layout of the rest.
pub fn remove_experiment(text: &str, id: &str) -> Result<String, AppendError> {
    let mut doc = parse_doc(text)?;
    let list = experiment_tables(&mut doc)?.ok_or_else(|| AppendError::NotFound(id.to_owned()))?;
    let at = list
        .iter()
        .position(|t| t.get("id").and_then(toml_edit::Item::as_str) == Some(id))
        .ok_or_else(|| AppendError::NotFound(id.to_owned()))?;
    list.remove(at);
    if list.is_empty() {
        doc.remove("experiment");
    }
    Ok(doc.to_string())
}

/// Appends `new` as an `[[experiment]]` table to the text of a
/// `fulcrum.toml`, keeping every comment and the layout of the rest.
pub fn append_experiment(text: &str, new: &NewExperiment) -> Result<String, AppendError> {
    use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| AppendError::Syntax(e.to_string()))?;
    let mut t = Table::new();
    t.insert("id", value(new.id.as_str()));
    t.insert("team", value(new.team.as_str()));
    t.insert("change", value(new.change.as_str()));
    if let Some(m) = &new.move_id {
        t.insert("move", value(m.as_str()));
    }
    if let Some(f) = &new.finding {
        t.insert("finding", value(f.as_str()));
    }
    let start: toml_edit::Datetime = new
        .start
        .to_string()
        .parse()
        .map_err(|e: toml_edit::DatetimeParseError| AppendError::Syntax(e.to_string()))?;
    t.insert("start", value(start));
    t.insert("weeks", value(i64::from(new.weeks)));
    if !new.control.is_empty() {
        let mut a = Array::new();
        for c in &new.control {
            a.push(c.as_str());
        }
        t.insert("control", value(a));
    }
    t.insert("primary", value(new.primary.as_str()));
    t.insert("expect", value(new.expect.as_str()));
    t.insert("min_effect", value(new.min_effect));
    let mut g = Array::new();
    for s in &new.guardrails {
        g.push(s.as_str());
    }
    t.insert("guardrails", value(g));
    match doc.entry("experiment") {
        toml_edit::Entry::Vacant(v) => {
            let mut list = ArrayOfTables::new();
            list.push(t);
            v.insert(Item::ArrayOfTables(list));
        }
        toml_edit::Entry::Occupied(mut o) => match o.get_mut() {
            Item::ArrayOfTables(list) => list.push(t),
            _ => return Err(AppendError::NotTables),
        },
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_workspace;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn errors(text: &str) -> Vec<String> {
        parse_workspace(text, "fulcrum.toml")
            .unwrap_err()
            .0
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn an_experiment_ended_early_keeps_the_whole_weeks_before_its_end() {
        let text = |ended: &str| {
            format!(
                "[[experiment]]\nid = \"a\"\nteam = \"data\"\nstart = 2026-10-12\nweeks = 6\nprimary = \"focus_hours\"\n{ended}\n[[experiment]]\nid = \"b\"\nteam = \"data\"\nstart = 2026-11-05\nprimary = \"focus_hours\"\n"
            )
        };
        // Without `ended`, a's six weeks (Oct 12 - Nov 22) overlap b.
        assert!(errors(&text("")).iter().any(|e| e.contains("overlapping")));
        // Ended on Wednesday 2026-11-04: whole weeks Oct 12-18, 19-25 and
        // Oct 26 - Nov 1; the week of Nov 2 is cut short, so left out. It
        // runs to Nov 3, before b starts on Nov 5: no overlap.
        let ws = parse_workspace(&text("ended = 2026-11-04"), "fulcrum.toml").unwrap();
        let a = &ws.experiments[0];
        assert_eq!(a.treatment().len(), 3);
        assert_eq!(a.treatment_dates(), (d("2026-10-12"), d("2026-11-01")));
        assert_eq!(a.running(), (d("2026-10-12"), d("2026-11-03")));
        // Ended on Sunday 2026-10-18: the first week is not whole yet.
        let e = errors(&text("ended = 2026-10-18"));
        assert!(
            e.iter().any(|e| e.starts_with("fulcrum.toml:7: experiment \"a\":")
                && e.contains("`ended` 2026-10-18 leaves no whole week of the change (the first runs 2026-10-12 to 2026-10-18)")),
            "{e:?}"
        );
        let e = errors(&text("ended = \"next week\""));
        assert!(
            e.iter()
                .any(|e| e.contains("`ended` \"next week\" is not a date")),
            "{e:?}"
        );
    }

    #[test]
    fn ending_and_removing_an_experiment_keep_the_rest_of_the_file() {
        let text = "# our experiments\n[[experiment]]\nid = \"a\" # the first\nteam = \"data\"\nstart = 2026-10-12\nprimary = \"focus_hours\"\n\n# the second one\n[[experiment]]\nid = \"b\"\nteam = \"search\"\nstart = 2026-10-12\nprimary = \"focus_hours\"\n";
        let ended = end_experiment(text, "b", d("2026-11-04")).unwrap();
        assert_eq!(
            ended,
            text.replace(
                "id = \"b\"\nteam = \"search\"\nstart = 2026-10-12\nprimary = \"focus_hours\"\n",
                "id = \"b\"\nteam = \"search\"\nstart = 2026-10-12\nprimary = \"focus_hours\"\nended = 2026-11-04\n"
            )
        );
        let ws = parse_workspace(&ended, "fulcrum.toml").unwrap();
        assert_eq!(ws.experiments[1].ended, Some(d("2026-11-04")));
        assert_eq!(ws.experiments[0].ended, None);
        // The comment lines right above a table go with it; the rest stays
        // byte for byte.
        let removed = remove_experiment(text, "a").unwrap();
        assert_eq!(removed, text[text.find("\n# the second one").unwrap()..]);
        assert_eq!(
            end_experiment(text, "c", d("2026-11-04")),
            Err(AppendError::NotFound("c".to_owned()))
        );
        // The last one removed leaves no empty `experiment` key.
        let none = remove_experiment(&removed, "b").unwrap();
        assert!(!none.contains("experiment"), "{none}");
    }

    #[test]
    fn the_spec_example_parses_with_defaults_filled_in() {
        let text = r#"# the team's experiments
[[experiment]]
id = "async-standup"                 # stable, [a-z0-9-]
team = "data"
change = "Replace the daily standup with a written update each morning"
move = "async_updates"
finding = "meeting_overload"
start = 2026-10-12
weeks = 6
control = ["search", "growth"]
primary = "focus_hours"
min_effect = 1
"#;
        let ws = parse_workspace(text, "fulcrum.toml").unwrap();
        let e = &ws.experiments[0];
        assert_eq!(
            (e.id.as_str(), e.team.as_str(), e.line),
            ("async-standup", "data", 3)
        );
        assert_eq!(e.start, d("2026-10-12"));
        // weeks 6: baseline min(max(6, 2), 8) = 6; washout 0.
        assert_eq!((e.weeks, e.baseline_weeks, e.washout_weeks), (6, 6, 0));
        // focus_hours is better higher: expect defaults to increase.
        assert_eq!(e.expect, Expect::Increase);
        assert_eq!(e.guardrails, DEFAULT_GUARDRAILS);
        assert_eq!(e.finding, Some(FindingId::MeetingOverload));
        // 2026-10-12 is a Monday: the treatment starts that week; the
        // baseline is the six weeks before it.
        assert_eq!(e.treatment_dates(), (d("2026-10-12"), d("2026-11-22")));
        assert_eq!(e.baseline_dates(), (d("2026-08-31"), d("2026-10-11")));
    }

    #[test]
    fn a_midweek_start_leaves_its_week_out_and_defaults_follow_the_weeks() {
        let text = "[[experiment]]\nid = \"x\"\nteam = \"t\"\nstart = \"2026-10-14\"\nprimary = \"meeting_hours\"\nwashout_weeks = 1\n";
        let e = &parse_workspace(text, "fulcrum.toml").unwrap().experiments[0];
        // Default 4 weeks, baseline min(max(4, 2), 8) = 4; meeting hours are
        // better lower.
        assert_eq!(
            (e.weeks, e.baseline_weeks, e.expect),
            (4, 4, Expect::Decrease)
        );
        // Wednesday 14 October: its week (12-18) is in neither window; one
        // washout week (19-25); treatment 26 October to 22 November.
        assert_eq!(e.baseline_dates(), (d("2026-09-14"), d("2026-10-11")));
        assert_eq!(e.treatment_dates(), (d("2026-10-26"), d("2026-11-22")));
    }

    #[test]
    fn bad_declarations_each_get_a_located_message() {
        let text = r#"[[experiment]]
id = "Bad Id"
team = "data"
start = 2026-10-12
primary = "focus_hours"

[[experiment]]
id = "dates"
team = "data"
start = "next monday"
primary = "focus_hourz"
expect = "up"
weeks = 0
min_effect = -1
guardrails = ["morale", "meeting_count"]
finding = "too_many_meetings"
"#;
        assert_eq!(
            errors(text),
            [
                "fulcrum.toml:2: experiment \"Bad Id\": the id must be lower-case letters, digits and dashes (e.g. \"async-standup\")",
                "fulcrum.toml:10: experiment \"dates\": `start` \"next monday\" is not a date: write the first day of the change as 2026-10-12",
                "fulcrum.toml:13: experiment \"dates\": `weeks` must be a whole number of weeks from 1 to 52",
                "fulcrum.toml:11: experiment \"dates\": `primary` \"focus_hourz\" is not a signal id of docs/SIGNALS.md (e.g. focus_hours, meeting_hours, morale, throughput)",
                "fulcrum.toml:12: experiment \"dates\": `expect` \"up\" must be \"increase\" or \"decrease\"",
                "fulcrum.toml:14: experiment \"dates\": `min_effect` must be a number of at least 0, in the primary signal's unit",
                "fulcrum.toml:15: experiment \"dates\": guardrail meeting_count has no bad side, so it cannot be harmed: choose another",
                "fulcrum.toml:16: experiment \"dates\": `finding` \"too_many_meetings\" is not a finding id (meetings_clear_small_blockers, threads_end_in_sudden_meetings, calendar_conflicts, late_night_pings, huddles_after_surprises, fragmented_deep_work, meeting_overload, meetings_without_artifacts, one_person_controls_sync_time, slow_async, recurring_sprawl, unfair_tz_burden, multitasked_meetings)",
            ]
        );
    }

    #[test]
    fn overlapping_experiments_on_one_team_are_flagged_on_both() {
        let text = r#"[[experiment]]
id = "one"
team = "data"
start = 2026-10-12
primary = "focus_hours"

[[experiment]]
id = "two"
team = "data"
start = 2026-10-26
primary = "meeting_hours"

[[experiment]]
id = "elsewhere"
team = "web"
start = 2026-10-26
primary = "meeting_hours"
control = ["web"]
"#;
        let got = errors(text);
        assert_eq!(got.len(), 3, "{got:#?}");
        assert!(got[0].starts_with("fulcrum.toml:18: experiment \"elsewhere\": the treated team \"web\" cannot be its own control"));
        assert!(got[1].starts_with("fulcrum.toml:2: experiment \"one\": runs from 2026-10-12 to 2026-11-08 on team \"data\", overlapping experiment \"two\" (line 8"), "{}", got[1]);
        assert!(
            got[2].starts_with("fulcrum.toml:8: experiment \"two\": runs from 2026-10-26"),
            "{}",
            got[2]
        );
    }

    #[test]
    fn unknown_teams_are_located_once_the_people_are_known() {
        let text = "\n[[experiment]]\nid = \"x\"\nteam = \"dta\"\nstart = 2026-10-12\nprimary = \"focus_hours\"\ncontrol = [\"web\", \"serch\"]\n";
        let ws = parse_workspace(text, "fulcrum.toml").unwrap();
        let teams: BTreeSet<String> = ["data", "web", "search"].map(String::from).into();
        let got: Vec<String> = check_teams(&ws.experiments, &teams, "fulcrum.toml")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            got,
            [
                "fulcrum.toml:3: experiment \"x\": team \"dta\" is not a team of the people list (teams: data, search, web)",
                "fulcrum.toml:3: experiment \"x\": control team \"serch\" is not a team of the people list (teams: data, search, web)",
            ]
        );
    }

    #[test]
    fn appending_keeps_comments_and_parses_back() {
        let text = "# Our workspace: keep this comment.\n[team]\nname = \"x\" # inline comment\n\n[policy]\n# five or more\nmin_group_size = 5\n";
        let new = NewExperiment {
            id: "meeting-free-mornings".into(),
            team: "data".into(),
            change: "Two meeting-free mornings a week".into(),
            move_id: Some("meeting-free-windows".into()),
            finding: Some("fragmented_deep_work".into()),
            start: d("2026-10-12"),
            weeks: 4,
            control: vec!["web".into()],
            primary: SignalId::FocusHours,
            expect: Expect::Increase,
            min_effect: 1.0,
            guardrails: DEFAULT_GUARDRAILS.to_vec(),
        };
        let out = append_experiment(text, &new).unwrap();
        assert!(out.starts_with(text), "{out}");
        assert!(
            out.contains("[[experiment]]\nid = \"meeting-free-mornings\""),
            "{out}"
        );
        assert!(out.contains("start = 2026-10-12\n"), "{out}");
        let ws = parse_workspace(&out, "fulcrum.toml").unwrap();
        assert_eq!(ws.experiments[0].primary, SignalId::FocusHours);
        assert_eq!(ws.experiments[0].control, ["web"]);
        // A second one goes after the first.
        let new2 = NewExperiment {
            id: "later".into(),
            start: d("2027-01-04"),
            ..new
        };
        let twice = append_experiment(&out, &new2).unwrap();
        assert_eq!(
            parse_workspace(&twice, "fulcrum.toml")
                .unwrap()
                .experiments
                .len(),
            2
        );
    }
}
