//! `fulcrum rotate`: a fair facilitation rotation for a recurring series.

use super::{parse_date, today};
use chrono::{Duration, NaiveDate, Utc};
use clap::{Args, ValueEnum};
use fulcrum_app::rotate::{RotateRequest, RotateSource, run_rotate};
use fulcrum_app::window::{Horizon, PlanWindow, plan_window};
use fulcrum_app::workspace::find_workspace;
use fulcrum_report::rotate::{RotationView, to_json, write_csv, write_ics, write_table};
use fulcrum_report::tool_json::{WindowJson, envelope};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table with the counts.
    Table,
    /// `start_utc,end_utc,facilitator,email`.
    Csv,
    /// Events naming the facilitator, to import.
    Ics,
    /// One JSON object (docs/moves.md, "JSON output").
    Json,
}

/// Flags of `fulcrum rotate`.
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The workspace (default: the nearest folder with a fulcrum.toml at or
    /// above the current one).
    #[arg(value_name = "WORKSPACE")]
    workspace: Option<PathBuf>,
    /// The recurring series: its id (as `fulcrum audit` and an ambiguous
    /// match list it), its UID or a word of its title.
    #[arg(long, value_name = "ID|UID|TITLE")]
    series: String,
    /// Only series this team organizes, and its members as the candidates
    /// (default: the series' attendees on the list).
    #[arg(long, value_name = "TEAM")]
    team: Option<String>,
    /// First date of the rotation; earlier instances are the history
    /// (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    from: Option<NaiveDate>,
    /// Last date of the rotation, included (default: four weeks from
    /// --from; with -n and no --to, up to a year ahead).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    to: Option<NaiveDate>,
    /// At most this many occurrences.
    #[arg(long, short = 'n')]
    count: Option<usize>,
    /// Plan as if today were this day (YYYY-MM-DD), for the default window.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// One calendar file instead of a workspace: the series' organizer and
    /// attendees are the candidates.
    #[arg(long, value_name = "FILE", requires = "tz")]
    ics: Option<PathBuf>,
    /// With --ics: the candidates' time zone (IANA).
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// With --ics: the candidates' working hours.
    #[arg(long, value_name = "HOURS", default_value = "Mon-Fri 09:00-17:00")]
    hours: String,
}

/// Runs `fulcrum rotate`: exit 0, or 2 on bad input.
pub fn run(args: RotateArgs) -> anyhow::Result<ExitCode> {
    let source = match &args.ics {
        Some(ics) => {
            let zone = args.tz.as_deref().unwrap_or_default();
            let Ok(tz) = zone.parse::<chrono_tz::Tz>() else {
                eprintln!("error: --tz {zone:?} is not an IANA time zone (e.g. Europe/Berlin)");
                return Ok(ExitCode::from(2));
            };
            let hours = match fulcrum_workspace::parse_working_hours(&args.hours) {
                Ok(h) => h,
                Err(e) => {
                    eprintln!("error: --hours {:?}: {e}", args.hours);
                    return Ok(ExitCode::from(2));
                }
            };
            RotateSource::Single {
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
            RotateSource::Workspace(root)
        }
    };
    let window = match (args.count, args.to) {
        // The next N occurrences, however far ahead they are.
        (Some(_), None) => {
            let from = args.from.unwrap_or_else(|| today(args.as_of));
            Ok(PlanWindow {
                from,
                to: from + Duration::days(365),
                rule: "the next -n occurrences within a year".to_owned(),
            })
        }
        _ => plan_window(
            args.from,
            args.to,
            Horizon::NextFourWeeks,
            today(args.as_of),
        ),
    };
    let window = match window {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    eprintln!("{window}");
    let req = RotateRequest {
        source,
        series: args.series.clone(),
        team: args.team.clone(),
        from: window.from,
        to: Some(window.to),
        count: args.count.unwrap_or(usize::MAX),
    };
    let o = match run_rotate(&req) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    for p in &o.problems {
        eprintln!("{}", p.rustc_style());
    }
    let view = RotationView {
        title: &o.title,
        uid: &o.uid,
        short_id: &o.short_id,
        tz: o.tz,
        candidates: &o.candidates,
        history: &o.history,
        assignments: &o.assignments,
    };
    let mut out = std::io::stdout().lock();
    let r = match args.format {
        Format::Table => write_table(&view, &mut out),
        Format::Csv => write_csv(&view, &mut out),
        Format::Ics => write_ics(&view, Utc::now(), &mut out),
        Format::Json => {
            let w = WindowJson {
                from: window.from,
                to: window.to,
                rule: &window.rule,
            };
            fulcrum_report::tool_json::write(
                &mut out,
                &envelope("rotate", Some(w), &o.problems, to_json(&view)),
            )
        }
    }
    .and_then(|_| out.flush());
    crate::cmd::focus::ok_or_broken_pipe(r)
}
