//! `fulcrum overlap`: when a distributed team can meet.

use super::{parse_date, today};
use chrono::{Duration, NaiveDate};
use clap::{Args, ValueEnum};
use fulcrum_app::overlap::{OverlapRequest, run_overlap};
use fulcrum_app::window::{Horizon, plan_window};
use fulcrum_app::workspace::find_workspace;
use fulcrum_report::overlap::{to_json, write_text};
use fulcrum_report::tool_json::{WindowJson, envelope};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Periods, local times, a timeline per member.
    Text,
    /// One JSON object (docs/moves.md, "overlap").
    Json,
}

/// Flags of `fulcrum overlap`.
#[derive(Debug, Args)]
pub struct OverlapArgs {
    /// The workspace (default: the nearest folder with a fulcrum.toml at or
    /// above the current one); only needed for --team and emails.
    #[arg(value_name = "WORKSPACE")]
    workspace: Option<PathBuf>,
    /// First UTC date (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    from: Option<NaiveDate>,
    /// Last UTC date, included (default: four weeks from --from).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    to: Option<NaiveDate>,
    /// Plan as if today were this day (YYYY-MM-DD), for the default window.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// The members of this team of the workspace.
    #[arg(long, value_name = "TEAM")]
    team: Option<String>,
    /// A member: an email of the workspace, or 'Label=Zone' ad hoc
    /// (e.g. 'Berlin=Europe/Berlin'); repeatable.
    #[arg(long, value_name = "WHO")]
    person: Vec<String>,
    /// Working hours of ad hoc members.
    #[arg(long, value_name = "HOURS", default_value = "Mon-Fri 09:00-17:00")]
    hours: String,
    /// Share of members that must be working (1 = everyone).
    #[arg(long, default_value_t = 1.0)]
    share: f64,
    /// Length of the recurring meeting to suggest slots for, in minutes.
    #[arg(long, value_name = "MIN", default_value_t = 60)]
    meeting: u32,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Runs `fulcrum overlap`: exit 0 with a window, 1 when there is no
/// overlap at all, 2 on bad input.
pub fn run(args: OverlapArgs) -> anyhow::Result<ExitCode> {
    let hours = match fulcrum_workspace::parse_working_hours(&args.hours) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: --hours {:?}: {e}", args.hours);
            return Ok(ExitCode::from(2));
        }
    };
    let window = match plan_window(
        args.from,
        args.to,
        Horizon::NextFourWeeks,
        today(args.as_of),
    ) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    eprintln!("{window}");
    let start = args.workspace.clone().unwrap_or_else(|| PathBuf::from("."));
    let req = OverlapRequest {
        root: find_workspace(&start),
        team: args.team.clone(),
        persons: args.person.clone(),
        hours,
        from: window.from,
        to: window.to,
        share: args.share,
        meeting: Duration::minutes(i64::from(args.meeting)),
    };
    let outcome = match run_overlap(&req) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut out = std::io::stdout().lock();
    let r = match args.format {
        Format::Text => write_text(
            &outcome.members,
            &outcome.plan,
            req.meeting,
            &|m, d| outcome.working_in(m, d),
            &mut out,
        ),
        Format::Json => {
            let w = WindowJson {
                from: window.from,
                to: window.to,
                rule: &window.rule,
            };
            let body = to_json(&outcome.members, &outcome.plan, req.meeting);
            fulcrum_report::tool_json::write(&mut out, &envelope("overlap", Some(w), &[], body))
        }
    }
    .and_then(|_| out.flush());
    let code = crate::cmd::focus::ok_or_broken_pipe(r)?;
    Ok(if outcome.plan.none() {
        ExitCode::from(1)
    } else {
        code
    })
}
