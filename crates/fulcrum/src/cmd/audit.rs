//! `fulcrum audit`: the recurring-meeting audit. Exit code: 0, or 2 when
//! the input could not be read.

use crate::cmd::lint::{load_and_announce, window_json};
use crate::cmd::parse_date;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use fulcrum_app::audit::audit_meetings;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table sorted by cost, then each series' reasons.
    Text,
    /// One row per series.
    Csv,
    /// One JSON object (docs/moves.md, "JSON output").
    Json,
}

/// Flags of `fulcrum audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// `.ics` files, or one workspace folder (default: the workspace at or
    /// above the current folder).
    #[arg(value_name = "FILE.ics|WORKSPACE")]
    inputs: Vec<PathBuf>,
    /// First day, YYYY-MM-DD (default: the span of the data, at most its
    /// last 13 weeks).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    from: Option<NaiveDate>,
    /// Last day, YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    to: Option<NaiveDate>,
    /// Only series this person (email or alias) organizes or attends.
    #[arg(long, value_name = "EMAIL")]
    person: Option<String>,
    /// Only series organized by a member of this team (a workspace).
    #[arg(long, value_name = "TEAM")]
    team: Option<String>,
    /// Take this day as today (YYYY-MM-DD) for the default window.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Runs `fulcrum audit`.
pub fn run(args: AuditArgs) -> anyhow::Result<ExitCode> {
    let loaded = load_and_announce(args.inputs, args.from, args.to, args.person, args.as_of)?;
    let audits = audit_meetings(&loaded, args.team.as_deref())?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Text => fulcrum_report::audit::write_text(&mut out, &audits)?,
        Format::Csv => fulcrum_report::audit::write_csv(&mut out, &audits)?,
        Format::Json => {
            let problems = loaded.all_problems();
            let json = fulcrum_report::audit::to_json(&audits, window_json(&loaded), &problems);
            fulcrum_report::tool_json::write(&mut out, &json)?
        }
    }
    out.flush()?;
    Ok(if loaded.unreadable.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
