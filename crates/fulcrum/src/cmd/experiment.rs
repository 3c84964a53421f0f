//! `fulcrum experiment`: list the workspace's experiments with their
//! verdicts, show one (terminal or JSON), or declare a new one in
//! `fulcrum.toml`. The clock is read here, once, unless `--as-of` is given.

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use fulcrum_app::experiments::{
    Ended, ExperimentRequest, NewRequest, end_experiment_now, evaluate_experiments,
    write_new_experiment,
};
use fulcrum_report::experiment as render;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// `fulcrum experiment ...`.
#[derive(Debug, Subcommand)]
pub enum ExperimentCommand {
    /// Every declared experiment: id, team, dates, state, verdict.
    List(ListArgs),
    /// One experiment: windows, who counted, each signal's effect and
    /// interval, the checks, the verdict and why.
    Show(ShowArgs),
    /// Declare an experiment: writes an [[experiment]] table into
    /// fulcrum.toml (comments kept), prefilled from a finding.
    New(NewArgs),
    /// Stop a team's experiment early: writes `ended = DATE` (the whole
    /// weeks before it are judged), or removes the declaration when not one
    /// whole week of the change ran.
    End(EndArgs),
}

/// Flags of `experiment end`.
#[derive(Debug, Args)]
pub struct EndArgs {
    /// The experiment's id.
    id: String,
    /// The workspace (default: the nearest folder with a fulcrum.toml).
    #[arg(value_name = "WORKSPACE")]
    workspace: Option<PathBuf>,
    /// Its team (a check that the right experiment is ended).
    #[arg(long, value_name = "TEAM")]
    team: String,
    /// The day it stops (default: today).
    #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
    on: Option<NaiveDate>,
}

/// Output formats of `show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For a person to read.
    Term,
    /// One JSON object (docs/experiments.md).
    Json,
    /// One self-contained HTML page with the before/after chart.
    Html,
}

/// Flags shared by `list` and `show`.
#[derive(Debug, Args)]
pub struct JudgeArgs {
    /// Interval level, between 0.5 and 0.999.
    #[arg(long, default_value_t = 0.9)]
    confidence: f64,
    /// Judge as of this day instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
    as_of: Option<NaiveDate>,
}

/// Output formats of `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// One line per experiment, for a person to read.
    Term,
    /// One row per experiment and signal result (docs/experiments.md).
    Csv,
}

/// Flags of `experiment list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The workspace (default: the nearest folder with a fulcrum.toml).
    #[arg(value_name = "WORKSPACE")]
    workspace: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Term)]
    format: ListFormat,
    #[command(flatten)]
    judge: JudgeArgs,
}

/// Flags of `experiment show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The experiment's id.
    id: String,
    /// The workspace (default: the nearest folder with a fulcrum.toml).
    #[arg(value_name = "WORKSPACE")]
    workspace: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Term)]
    format: Format,
    #[command(flatten)]
    judge: JudgeArgs,
}

/// Flags of `experiment new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The workspace (default: the nearest folder with a fulcrum.toml).
    #[arg(value_name = "WORKSPACE")]
    workspace: Option<PathBuf>,
    /// The treated team.
    #[arg(long)]
    team: String,
    /// First day of the change (a Monday is best).
    #[arg(long, value_parser = super::parse_date)]
    start: NaiveDate,
    /// The finding the change answers: fills the change, its length, the
    /// move and the primary signal from the catalogue.
    #[arg(long, value_name = "FINDING")]
    from_finding: Option<String>,
    /// Treatment length in weeks (default: the finding's, else 4).
    #[arg(long)]
    weeks: Option<u32>,
    /// A control team (repeat for more).
    #[arg(long = "control", value_name = "TEAM")]
    control: Vec<String>,
    /// The experiment's id (default: the finding or team, and the start).
    #[arg(long)]
    id: Option<String>,
    /// The primary signal (default: the finding's first watch signal).
    #[arg(long)]
    primary: Option<String>,
}

fn request(
    workspace: Option<PathBuf>,
    id: Option<String>,
    judge: &JudgeArgs,
) -> anyhow::Result<ExperimentRequest> {
    if !(0.5..=0.999).contains(&judge.confidence) {
        anyhow::bail!(
            "--confidence {} must be between 0.5 and 0.999 (e.g. 0.9 for a 90% interval)",
            judge.confidence
        );
    }
    Ok(ExperimentRequest {
        root: super::workspace_root(workspace)?,
        id,
        confidence: judge.confidence,
        today: judge
            .as_of
            .unwrap_or_else(|| chrono::Utc::now().date_naive()),
        limits: fulcrum_chat::Limits::default(),
    })
}

/// Runs one `experiment` subcommand.
pub fn run(command: ExperimentCommand) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match command {
        ExperimentCommand::List(args) => {
            let req = request(args.workspace, None, &args.judge)?;
            let judged = evaluate_experiments(&req, &mut |_| {}).with_context(|| {
                format!("cannot judge the experiments of {}", req.root.display())
            })?;
            match args.format {
                ListFormat::Term => render::write_list(&mut out, &judged.evaluations)?,
                ListFormat::Csv => render::write_csv(&mut out, &judged.evaluations)?,
            }
        }
        ExperimentCommand::Show(args) => {
            let req = request(args.workspace, Some(args.id), &args.judge)?;
            let judged = evaluate_experiments(&req, &mut |_| {}).with_context(|| {
                format!("cannot judge the experiments of {}", req.root.display())
            })?;
            for e in &judged.evaluations {
                match args.format {
                    Format::Term => render::write_term(&mut out, e)?,
                    Format::Json => render::write_json(&mut out, e)?,
                    Format::Html => render::write_html(&mut out, e)?,
                }
            }
            let errors = judged
                .problems
                .iter()
                .filter(|p| p.severity == fulcrum_model::diagnostic::Severity::Error)
                .count();
            if errors > 0 {
                eprintln!("{errors} source problem(s): `fulcrum report` lists them");
            }
        }
        ExperimentCommand::End(args) => {
            let root = super::workspace_root(args.workspace)?;
            let on = args.on.unwrap_or_else(|| chrono::Local::now().date_naive());
            let outcome = end_experiment_now(&root, &args.team, &args.id, on)
                .with_context(|| format!("cannot end experiment {:?}", args.id))?;
            match outcome {
                Ended::Ended(d) => writeln!(
                    out,
                    "ended experiment {:?} on {d}: its treatment keeps the whole weeks before that day",
                    args.id
                )?,
                Ended::Removed => writeln!(
                    out,
                    "removed experiment {:?} from fulcrum.toml: not one whole week of the change had run by {on}",
                    args.id
                )?,
            }
        }
        ExperimentCommand::New(args) => {
            let root = super::workspace_root(args.workspace)?;
            let new = write_new_experiment(&NewRequest {
                root: root.clone(),
                team: args.team,
                start: args.start,
                from_finding: args.from_finding,
                weeks: args.weeks,
                control: args.control,
                id: args.id,
                primary: args.primary,
            })
            .with_context(|| format!("cannot declare the experiment in {}", root.display()))?;
            writeln!(
                out,
                "added experiment {:?} to {}: team {}, from {} for {} weeks, primary {} ({}); edit `change`, `min_effect` and `guardrails` as needed",
                new.id,
                root.join(fulcrum_app::workspace::WORKSPACE_FILE).display(),
                new.team,
                new.start,
                new.weeks,
                new.primary.as_str(),
                new.expect.as_str()
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
