//! `fulcrum experiment`: the workspace's experiments judged on the report's
//! own computation, and `experiment new` writing a declaration.
//!
//! One computation, not a second pipeline: [`evaluate_experiments`] calls
//! [`compute_report`] over a window from the earliest baseline to the
//! latest treatment end of the experiments asked for, then hands its
//! [`fulcrum_analysis::Signals`] to [`fulcrum_experiments::evaluate`].
//! `fulcrum report` judges the experiments on its own computation instead
//! ([`in_report`]): those whose weeks its window covers, the others shown
//! with their state and a pointer to `fulcrum experiment show`.

use crate::report::{Computed, Progress, ReportError, ReportRequest, compute_report};
use crate::workspace::{WORKSPACE_FILE, WorkspaceError, load_workspace};
use chrono::NaiveDate;
use fulcrum_analysis::findings::catalog::FindingId;
use fulcrum_analysis::{SignalId, Unit};
use fulcrum_chat::Limits;
use fulcrum_experiments::{Evaluation, Settings, evaluate, state_of};
use fulcrum_model::diagnostic::Diagnostic;
use fulcrum_report::report::ExperimentView;
use fulcrum_workspace::experiment::{
    DEFAULT_GUARDRAILS, NewExperiment, append_experiment, check_teams, end_experiment,
    remove_experiment, valid_id,
};
use fulcrum_workspace::{ConfigErrors, Expect, parse_workspace};
use std::path::{Path, PathBuf};

/// Why experiments could not be judged or written.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    /// The workspace or its data could not be read.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The workspace could not be read.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// No experiment has that id.
    #[error("fulcrum.toml: no experiment {id:?} (declared: {known})")]
    UnknownId {
        /// Asked for.
        id: String,
        /// Declared ids.
        known: String,
    },
    /// The workspace declares no experiment.
    #[error(
        "fulcrum.toml declares no experiment: add an [[experiment]] table, or run `fulcrum experiment new --team T --start YYYY-MM-DD`"
    )]
    None,
    /// A flag of `experiment new` is wrong.
    #[error("{0}")]
    Flag(String),
}

/// What to judge.
#[derive(Debug, Clone)]
pub struct ExperimentRequest {
    /// The workspace folder.
    pub root: PathBuf,
    /// Only this experiment (all when `None`).
    pub id: Option<String>,
    /// Interval level.
    pub confidence: f64,
    /// The day it is judged on (the CLI reads the clock).
    pub today: NaiveDate,
    /// Chat reader limits.
    pub limits: Limits,
}

/// The experiments judged, with the computation's problems.
#[derive(Debug)]
pub struct Judged {
    /// One per experiment asked for, in file order.
    pub evaluations: Vec<Evaluation>,
    /// Problems of the sources (located).
    pub problems: Vec<Diagnostic>,
}

/// Judges the workspace's experiments (or one of them).
pub fn evaluate_experiments(
    req: &ExperimentRequest,
    progress: &mut dyn FnMut(Progress),
) -> Result<Judged, ExperimentError> {
    let ws = load_workspace(&req.root)?;
    let all = ws.workspace.experiments.clone();
    if all.is_empty() {
        return Err(ExperimentError::None);
    }
    let chosen: Vec<_> = match &req.id {
        Some(id) => {
            let one: Vec<_> = all.iter().filter(|e| &e.id == id).cloned().collect();
            if one.is_empty() {
                return Err(ExperimentError::UnknownId {
                    id: id.clone(),
                    known: all
                        .iter()
                        .map(|e| e.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            one
        }
        None => all.clone(),
    };
    let from = chosen.iter().map(|e| e.baseline_dates().0).min();
    let to = chosen.iter().map(|e| e.treatment_dates().1).max();
    let computed = compute_report(
        &ReportRequest {
            root: req.root.clone(),
            from,
            to,
            limits: req.limits,
        },
        progress,
    )?;
    let settings = Settings {
        confidence: req.confidence,
        min_group_size: computed.min_group_size,
        today: req.today,
        data_end: computed.data_end,
    };
    let evaluations = chosen
        .iter()
        .map(|spec| evaluate(spec, &all, &computed.signals, &settings))
        .collect();
    Ok(Judged {
        evaluations,
        problems: computed.problems,
    })
}

/// The interval level of the report's experiments (the default of
/// `fulcrum experiment show`, so both give the same interval).
pub const REPORT_CONFIDENCE: f64 = 0.9;

/// True when the computed weeks hold every baseline and treatment week of
/// `spec` that starts on or before the last day with data. Weeks after the
/// data hold no value in any computation (`after_data`), so leaving them
/// out of the window changes no estimate.
pub fn window_covers(
    computed_weeks: &[fulcrum_analysis::Week],
    spec: &fulcrum_workspace::ExperimentSpec,
    data_end: Option<NaiveDate>,
) -> bool {
    spec.baseline()
        .iter()
        .chain(&spec.treatment())
        .filter(|w| data_end.is_none_or(|last| w.monday() <= last))
        .all(|w| computed_weeks.contains(w))
}

/// The workspace's experiments as `fulcrum report` shows them, in file
/// order: each judged on the report's own signals when its window covers
/// the experiment's weeks ([`window_covers`]), otherwise only its state
/// (the report's window is not widened: its findings are judged on the
/// weeks asked for, and a second computation is what `fulcrum experiment
/// show` is for).
pub fn in_report(computed: &Computed, today: NaiveDate) -> Vec<ExperimentView> {
    let all = &computed.workspace.workspace.experiments;
    let settings = Settings {
        confidence: REPORT_CONFIDENCE,
        min_group_size: computed.min_group_size,
        today,
        data_end: computed.data_end,
    };
    all.iter()
        .map(|spec| ExperimentView {
            spec: spec.clone(),
            state: state_of(spec, &settings),
            evaluation: window_covers(&computed.signals.weeks, spec, computed.data_end)
                .then(|| evaluate(spec, all, &computed.signals, &settings)),
        })
        .collect()
}

/// `fulcrum experiment new`'s flags, resolved.
#[derive(Debug, Clone)]
pub struct NewRequest {
    /// The workspace folder.
    pub root: PathBuf,
    /// The treated team.
    pub team: String,
    /// First day of the change.
    pub start: NaiveDate,
    /// The finding it answers: fills the change, weeks, move and signals.
    pub from_finding: Option<String>,
    /// Treatment weeks (default: the finding's, else 4).
    pub weeks: Option<u32>,
    /// Control teams.
    pub control: Vec<String>,
    /// The id (default: team and start).
    pub id: Option<String>,
    /// The primary signal (default: the finding's first watch signal with a
    /// better side, else focus_hours).
    pub primary: Option<String>,
}

/// The smallest effect worth having, prefilled by unit: an hour a week, 5
/// percentage points, one item or event a week, 0.2 of a 1-5 score.
fn default_min_effect(s: SignalId) -> f64 {
    match s.unit() {
        Unit::Percent | Unit::CountAndPercent | Unit::GiniAndHours => 0.05,
        Unit::Score => 0.2,
        Unit::HoursPerDay => 0.5,
        Unit::Hours | Unit::HoursMedianP90 | Unit::Count | Unit::Items => 1.0,
        // An hour a week at the policy's default rate.
        Unit::Cost => 75.0,
    }
}

/// A move's id: its name in lower case, words joined by `-`.
pub fn move_id(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_owned()
}

/// Builds the declaration `experiment new` writes.
pub fn new_declaration(req: &NewRequest) -> Result<NewExperiment, ExperimentError> {
    let finding = match &req.from_finding {
        Some(f) => Some(FindingId::from_id(f).ok_or_else(|| {
            ExperimentError::Flag(format!(
                "--from-finding {f:?} is not a finding id ({})",
                FindingId::ALL
                    .iter()
                    .map(FindingId::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?),
        None => None,
    };
    let primary = match &req.primary {
        Some(p) => SignalId::from_id(p).ok_or_else(|| {
            ExperimentError::Flag(format!(
                "--primary {p:?} is not a signal id of docs/SIGNALS.md"
            ))
        })?,
        None => finding
            .and_then(|f| {
                f.experiment()
                    .watch
                    .iter()
                    .copied()
                    .find(|s| s.better().is_some())
            })
            .unwrap_or(SignalId::FocusHours),
    };
    let Some(better) = primary.better() else {
        return Err(ExperimentError::Flag(format!(
            "--primary {} has no better side: edit `expect` by hand after choosing another",
            primary.as_str()
        )));
    };
    let id = req.id.clone().unwrap_or_else(|| {
        let base = finding.map_or_else(|| move_id(&req.team), |f| move_id(f.as_str()));
        format!("{base}-{}", req.start)
    });
    if !valid_id(&id) {
        return Err(ExperimentError::Flag(format!(
            "--id {id:?}: lower-case letters, digits and dashes only"
        )));
    }
    let experiment = finding.map(|f| f.experiment());
    Ok(NewExperiment {
        id,
        team: req.team.clone(),
        change: experiment.map_or_else(
            || "Describe the one change here".to_owned(),
            |e| e.change.to_owned(),
        ),
        move_id: finding.and_then(|f| f.moves().first().map(|m| move_id(m.name))),
        finding: finding.map(|f| f.as_str().to_owned()),
        start: req.start,
        weeks: req.weeks.or(experiment.map(|e| e.weeks)).unwrap_or(4),
        control: req.control.clone(),
        primary,
        expect: Expect::improving(better),
        min_effect: default_min_effect(primary),
        guardrails: DEFAULT_GUARDRAILS
            .iter()
            .copied()
            .filter(|g| *g != primary)
            .collect(),
    })
}

/// Writes a new `[[experiment]]` table into the workspace's `fulcrum.toml`
/// (comments kept), after checking that the file with it still parses and
/// its teams exist. Returns the declaration written.
pub fn write_new_experiment(req: &NewRequest) -> Result<NewExperiment, ExperimentError> {
    let ws = load_workspace(&req.root)?;
    let new = new_declaration(req)?;
    let path = req.root.join(WORKSPACE_FILE);
    let text = read(&path)?;
    let out = append_experiment(&text, &new)
        .map_err(|e| ExperimentError::Flag(format!("{WORKSPACE_FILE}: {e}")))?;
    let parsed = parse_workspace(&out, WORKSPACE_FILE).map_err(WorkspaceError::Config)?;
    let teams = ws.workspace.people.iter().map(|p| p.team.clone()).collect();
    let errors = check_teams(&parsed.experiments, &teams, WORKSPACE_FILE);
    if !errors.is_empty() {
        return Err(WorkspaceError::Config(ConfigErrors(errors)).into());
    }
    write_whole(&path, &out)?;
    Ok(new)
}

/// Replaces a file's text in one step: the text goes to a new file beside
/// it, which then takes its name, so a reader never sees half a file.
fn write_whole(path: &Path, text: &str) -> Result<(), WorkspaceError> {
    let io = |source| WorkspaceError::Io {
        path: path.to_owned(),
        source,
    };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".new");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// What stopping an experiment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// `ended = DATE` was written: the whole weeks before it are judged.
    Ended(NaiveDate),
    /// The declaration was removed: it had not started, or not one whole
    /// week of the change had run, so there is nothing to judge.
    Removed,
}

/// Stops team `team`'s experiment `id` on `today` (the web app's "End
/// now"): writes `ended = today` into `fulcrum.toml` when at least one
/// whole week of the change ran, and removes the declaration when none did
/// (a planned experiment, or one cancelled in its first week). An id of
/// another team is answered as unknown.
pub fn end_experiment_now(
    root: &Path,
    team: &str,
    id: &str,
    today: NaiveDate,
) -> Result<Ended, ExperimentError> {
    let ws = load_workspace(root)?;
    let spec = ws
        .workspace
        .experiments
        .iter()
        .find(|e| e.id == id && e.team == team)
        .ok_or_else(|| ExperimentError::UnknownId {
            id: id.to_owned(),
            known: ws
                .workspace
                .experiments
                .iter()
                .filter(|e| e.team == team)
                .map(|e| e.id.clone())
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    if let Some(end) = spec.ended {
        return Err(ExperimentError::Flag(format!(
            "experiment {id:?} already ended on {end}"
        )));
    }
    if today > spec.treatment_dates().1 {
        return Err(ExperimentError::Flag(format!(
            "experiment {id:?} is over (its treatment ended on {}): nothing to end",
            spec.treatment_dates().1
        )));
    }
    let mut stopped = spec.clone();
    stopped.ended = Some(today);
    let path = root.join(WORKSPACE_FILE);
    let text = read(&path)?;
    let edit = |e: fulcrum_workspace::experiment::AppendError| {
        ExperimentError::Flag(format!("{WORKSPACE_FILE}: {e}"))
    };
    let (out, outcome) = if today < spec.start || stopped.treatment().is_empty() {
        (remove_experiment(&text, id).map_err(edit)?, Ended::Removed)
    } else {
        (
            end_experiment(&text, id, today).map_err(edit)?,
            Ended::Ended(today),
        )
    };
    parse_workspace(&out, WORKSPACE_FILE).map_err(WorkspaceError::Config)?;
    write_whole(&path, &out)?;
    Ok(outcome)
}

fn read(path: &Path) -> Result<String, WorkspaceError> {
    std::fs::read_to_string(path).map_err(|source| WorkspaceError::Io {
        path: path.to_owned(),
        source,
    })
}
