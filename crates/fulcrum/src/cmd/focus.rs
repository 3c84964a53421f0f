//! `fulcrum focus`: focus blocks people can import, planned from a
//! workspace or from one calendar file.

use super::{parse_date, today};
use anyhow::bail;
use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use clap::{Args, ValueEnum};
use fulcrum_app::focus::{FocusRequest, FocusSource, run_focus};
use fulcrum_app::window::{Horizon, plan_window};
use fulcrum_app::workspace::find_workspace;
use fulcrum_report::focus::{FocusRow, to_json, write_text};
use fulcrum_report::tool_json::{WindowJson, envelope};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Each person's blocks in their own zone.
    Text,
    /// One JSON object (docs/moves.md, "JSON output").
    Json,
}

/// Flags of `fulcrum focus`.
#[derive(Debug, Args)]
pub struct FocusArgs {
    /// The workspace (default: the nearest folder with a fulcrum.toml at or
    /// above the current one). Not used with --ics.
    #[arg(value_name = "WORKSPACE")]
    workspace: Option<PathBuf>,
    /// First date to plan (each person's local date). Default: the coming
    /// week, Monday to Sunday (this week's when today is a Monday).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    from: Option<NaiveDate>,
    /// Last date to plan, included (default: a week from --from).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    to: Option<NaiveDate>,
    /// Plan as if today were this day (YYYY-MM-DD), for the default window.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// Plan for the members of this team.
    #[arg(long, value_name = "TEAM")]
    team: Option<String>,
    /// Plan for this person (email, alias or name); repeatable.
    #[arg(long, value_name = "EMAIL")]
    person: Vec<String>,
    /// Write one `<email>.focus.ics` per person into this folder.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// One calendar file instead of a workspace.
    #[arg(long, value_name = "FILE", requires = "tz")]
    ics: Option<PathBuf>,
    /// The time zone of the --ics calendar's owner (IANA, e.g. Europe/Berlin).
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// Working hours of the --ics calendar's owner.
    #[arg(long, value_name = "HOURS", default_value = "Mon-Fri 09:00-17:00")]
    hours: String,
    /// Shortest block in minutes (default: policy.focus.min_block_minutes).
    #[arg(long, value_name = "MIN")]
    min_block: Option<u32>,
    /// Target focus hours per working day (default: policy.focus.hours_per_day).
    #[arg(long, value_name = "H")]
    hours_per_day: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Runs `fulcrum focus`: exit 0 planned, 2 bad input or unreadable files.
pub fn run(args: FocusArgs) -> anyhow::Result<ExitCode> {
    let source = match &args.ics {
        Some(ics) => {
            let zone = args.tz.as_deref().unwrap_or_default();
            let Ok(tz) = zone.parse::<Tz>() else {
                bail!("--tz {zone:?} is not an IANA time zone (e.g. Europe/Berlin)");
            };
            let hours = fulcrum_workspace::parse_working_hours(&args.hours)
                .map_err(|e| anyhow::anyhow!("--hours {:?}: {e}", args.hours))?;
            FocusSource::Single {
                ics: ics.clone(),
                tz,
                hours,
            }
        }
        None => {
            let start = args.workspace.clone().unwrap_or_else(|| PathBuf::from("."));
            let Some(root) = find_workspace(&start) else {
                eprintln!(
                    "error: no fulcrum.toml at or above {} (give a workspace, or --ics FILE --tz ZONE)",
                    start.display()
                );
                return Ok(ExitCode::from(2));
            };
            FocusSource::Workspace {
                root,
                team: args.team.clone(),
                persons: args.person.clone(),
            }
        }
    };
    let window = match plan_window(args.from, args.to, Horizon::ComingWeek, today(args.as_of)) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    eprintln!("{window}");
    let req = FocusRequest {
        source,
        from: window.from,
        to: window.to,
        min_block_minutes: args.min_block,
        hours_per_day: args.hours_per_day,
        out: args.out.clone(),
    };
    let outcome = match run_focus(&req, Utc::now()) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    for p in &outcome.problems {
        eprintln!("{}", p.rustc_style());
    }
    let rows: Vec<FocusRow> = outcome
        .people
        .iter()
        .map(|p| FocusRow {
            name: p.name.clone(),
            email: p.email.clone(),
            tz: p.tz,
            file: p.file.clone(),
        })
        .collect();
    let mut out = std::io::stdout().lock();
    let r = match args.format {
        Format::Text => write_text(&rows, &outcome.plan, outcome.rules, &mut out),
        Format::Json => {
            let w = WindowJson {
                from: window.from,
                to: window.to,
                rule: &window.rule,
            };
            let body = to_json(&rows, &outcome.plan, outcome.rules);
            fulcrum_report::tool_json::write(
                &mut out,
                &envelope("focus", Some(w), &outcome.problems, body),
            )
        }
    }
    .and_then(|_| out.flush());
    crate::cmd::focus::ok_or_broken_pipe(r)
}

/// A broken pipe (`| head`) is not an error.
pub(crate) fn ok_or_broken_pipe(r: std::io::Result<()>) -> anyhow::Result<ExitCode> {
    match r {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}
