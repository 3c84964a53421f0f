//! `fulcrum route`: which decisions go sync and which go async. Raw flags
//! are parsed here, resolved into a `RouteRequest` (the clock is read here,
//! once, when `--asked-at` is not given) and routed by the app.

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use fulcrum_app::route::{Attributes, RouteAppError, RouteRequest, Urgency, route_decision};
use fulcrum_app::workspace::{WORKSPACE_FILE, find_workspace};
use fulcrum_report::route as render;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For a person to read.
    Text,
    /// One JSON object (docs/moves.md, "route").
    Json,
}

/// `--urgency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UrgencyArg {
    /// It cannot wait for a normal answer.
    High,
    /// It can wait for a normal answer.
    Normal,
    /// It can wait longer.
    Low,
}

/// A yes/no flag value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum YesNo {
    /// Yes.
    Yes,
    /// No.
    No,
}

impl YesNo {
    fn get(self) -> bool {
        self == YesNo::Yes
    }
}

/// Flags of `fulcrum route`.
#[derive(Debug, Args)]
pub struct RouteArgs {
    /// The workspace whose `[policy.decisions]` to use (default: the nearest
    /// folder with a fulcrum.toml at or above the current one; none: the
    /// default policy and the wall clock).
    #[arg(value_name = "WORKSPACE")]
    workspace: Option<PathBuf>,
    /// The decision type, a key of `[policy.decisions]` (e.g. vendor-choice).
    #[arg(long = "type", value_name = "TYPE")]
    decision_type: Option<String>,
    /// How urgent the decision is.
    #[arg(long, value_enum)]
    urgency: Option<UrgencyArg>,
    /// Can the decision be undone cheaply?
    #[arg(long, value_enum)]
    reversible: Option<YesNo>,
    /// How many people have a stake in it.
    #[arg(long, value_name = "N")]
    stakeholders: Option<u32>,
    /// Across how many time zones the stakeholders work.
    #[arg(long, value_name = "N")]
    time_zones: Option<u32>,
    /// Has the team never taken a decision like it?
    #[arg(long, value_enum)]
    novel: Option<YesNo>,
    /// When the decision was asked for, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    asked_at: Option<DateTime<Utc>>,
    /// Count the deadline on this person's working hours (an email or alias
    /// of the workspace) instead of `[team]`'s.
    #[arg(long, value_name = "EMAIL")]
    person: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

fn parse_instant(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("{s:?} is not an RFC 3339 time such as 2026-03-06T16:00:00Z ({e})"))
}

/// Routes one decision. Exit code 0 when routed, 1 when routed with a
/// warning (the attributes contradict the type's policy), 2 for an unknown
/// type, a contradictory or empty request, or an unreadable workspace.
pub fn run(args: RouteArgs) -> anyhow::Result<ExitCode> {
    let root = match &args.workspace {
        Some(w) => Some(w.clone()),
        None => {
            let cwd = std::env::current_dir().context("cannot read the current folder")?;
            find_workspace(&cwd)
        }
    };
    let request = RouteRequest {
        decision_type: args.decision_type.clone(),
        attributes: Attributes {
            urgency: args.urgency.map(|u| match u {
                UrgencyArg::High => Urgency::High,
                UrgencyArg::Normal => Urgency::Normal,
                UrgencyArg::Low => Urgency::Low,
            }),
            reversible: args.reversible.map(YesNo::get),
            stakeholders: args.stakeholders,
            time_zones: args.time_zones,
            novel: args.novel.map(YesNo::get),
        },
        // The only read of the clock on this path.
        asked_at: args.asked_at.unwrap_or_else(Utc::now),
    };
    let policy_source = match &root {
        Some(r) => r.join(WORKSPACE_FILE).display().to_string(),
        None => "the default policy (no workspace)".to_owned(),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match route_decision(root.as_deref(), args.person.as_deref(), &request) {
        Ok(route) => {
            match args.format {
                Format::Text => {
                    writeln!(out, "policy:        {policy_source}")?;
                    render::write_text(&route, &mut out)?;
                }
                Format::Json => render::write_json(&route, &policy_source, &mut out)?,
            }
            out.flush()?;
            Ok(if route.conflicts.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Err(RouteAppError::Route(e)) => {
            if args.format == Format::Json {
                render::write_error_json(&e, &mut out)?;
                out.flush()?;
            }
            eprintln!("error: {e}");
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(anyhow::Error::new(e).context(format!("cannot route with {policy_source}"))),
    }
}
