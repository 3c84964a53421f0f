//! `fulcrum lint`: meetings checked against the team's checklist, like a
//! compiler. Exit code: 0 clean, 1 a finding at or above `--deny`, 2 input
//! that could not be read.

use super::{parse_date, today};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use fulcrum_app::lint::{
    LintSeverity as Severity, LoadedMeetings, MeetingsRequest, RuleFilter, lint_meetings,
    load_meetings,
};
use fulcrum_report::tool_json::WindowJson;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-like findings with file, line, meeting and help.
    Text,
    /// One JSON object (docs/moves.md, "JSON output").
    Json,
}

/// The lowest severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Any finding fails.
    Note,
    /// Warnings and errors fail.
    Warning,
    /// Only errors fail.
    Error,
}

/// Flags of `fulcrum lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// `.ics` files, or one workspace folder (default: the workspace at or
    /// above the current folder).
    #[arg(value_name = "FILE.ics|WORKSPACE")]
    inputs: Vec<PathBuf>,
    /// First day, YYYY-MM-DD (default: files: every event in them; a
    /// workspace: the span of the data, at most its last 13 weeks).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    from: Option<NaiveDate>,
    /// Last day, YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    to: Option<NaiveDate>,
    /// Only meetings this person (email or alias) organizes or attends.
    #[arg(long, value_name = "EMAIL")]
    person: Option<String>,
    /// Run only this rule (repeatable).
    #[arg(long = "rule", value_name = "RULE")]
    rules: Vec<String>,
    /// Do not run this rule (repeatable).
    #[arg(long = "allow", value_name = "RULE")]
    allow: Vec<String>,
    /// Take this day as today (YYYY-MM-DD) for the default window.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit with 1 when a finding has this severity or a higher one.
    #[arg(long, value_enum, default_value_t = Deny::Warning)]
    deny: Deny,
}

/// Loads the meetings `lint` and `audit` check (files or a workspace, over
/// the window) and says on stderr what could not be read and which window
/// was chosen.
pub fn load_and_announce(
    inputs: Vec<PathBuf>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    person: Option<String>,
    as_of: Option<NaiveDate>,
) -> anyhow::Result<LoadedMeetings> {
    let req = MeetingsRequest {
        inputs,
        cwd: std::env::current_dir()?,
        from,
        to,
        person,
        today: today(as_of),
    };
    let loaded = load_meetings(&req)?;
    let mut stderr = std::io::stderr().lock();
    for p in loaded.unreadable.iter().chain(&loaded.problems) {
        writeln!(stderr, "{}", p.rustc_style())?;
    }
    writeln!(
        stderr,
        "window {} to {} ({})",
        loaded.window.from, loaded.window.to, loaded.window_rule
    )?;
    Ok(loaded)
}

/// The window of what was read, for the JSON object.
pub fn window_json(loaded: &LoadedMeetings) -> WindowJson<'_> {
    WindowJson {
        from: loaded.window.from,
        to: loaded.window.to,
        rule: &loaded.window_rule,
    }
}

/// Runs `fulcrum lint`.
pub fn run(args: LintArgs) -> anyhow::Result<ExitCode> {
    let loaded = load_and_announce(args.inputs, args.from, args.to, args.person, args.as_of)?;
    let filter = RuleFilter {
        only: args.rules,
        allow: args.allow,
    };
    let outcome = lint_meetings(&loaded, &filter)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Text => fulcrum_report::lint::write_text(&mut out, &outcome)?,
        Format::Json => {
            let problems = loaded.all_problems();
            let json = fulcrum_report::lint::to_json(&outcome, window_json(&loaded), &problems);
            fulcrum_report::tool_json::write(&mut out, &json)?
        }
    }
    out.flush()?;
    if !loaded.unreadable.is_empty() {
        return Ok(ExitCode::from(2));
    }
    let deny = match args.deny {
        Deny::Note => Severity::Note,
        Deny::Warning => Severity::Warning,
        Deny::Error => Severity::Error,
    };
    if outcome.findings.iter().any(|f| f.severity >= deny) {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
