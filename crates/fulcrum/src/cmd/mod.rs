//! Subcommands, one module each.

mod audit;
mod chat;
mod completions;
mod demo;
mod experiment;
mod focus;
mod ics;
mod init;
mod lint;
mod man;
#[cfg(feature = "server")]
mod notify;
mod overlap;
mod report;
mod rotate;
mod route;
#[cfg(feature = "server")]
mod serve;
mod store;
#[cfg(feature = "server")]
mod user;

use clap::Subcommand;
use std::process::ExitCode;

/// Every subcommand of `fulcrum`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Work with iCalendar files directly.
    #[command(subcommand)]
    Ics(ics::IcsCommand),
    /// Inspect chat exports (Slack, Mattermost) without printing message text.
    #[command(subcommand)]
    Chat(chat::ChatCommand),
    /// Write a commented fulcrum.toml and a people.csv template.
    Init(init::InitArgs),
    /// Write a realistic demo workspace (calendars, Slack and Mattermost
    /// exports, work items, pulse answers) with an answer key of the
    /// patterns planted in it.
    Demo(demo::DemoArgs),
    /// The main job: signals, findings and moves of a workspace (terminal,
    /// HTML with charts, JSON, CSV). Exit code: 0, or 2 when the workspace
    /// cannot be read.
    Report(report::ReportArgs),
    /// Did the change work? The workspace's [[experiment]]s judged on the
    /// report's signals: `list`, `show ID`, `new`. Exit code: 0, or 2 when
    /// the workspace or a declaration cannot be read.
    #[command(subcommand)]
    Experiment(experiment::ExperimentCommand),
    /// Which decisions go sync and which async: a decision by type or by
    /// attributes -> mode, format, SLA, deadline, the ask, and why. Exit
    /// code: 0 routed, 1 routed with a warning (attributes contradict the
    /// type's policy), 2 unknown type, contradictory request or unreadable
    /// workspace.
    Route(route::RouteArgs),
    /// Check meetings against the team's checklist, like a compiler: rule
    /// ids, file and line of each VEVENT, help lines. Exit code: 0 clean, 1
    /// a finding at or above --deny, 2 input that could not be read.
    Lint(lint::LintArgs),
    /// Audit recurring meetings: occurrences, person-hours and cost,
    /// declines, overruns, hygiene, last change, and keep / shorten / make
    /// async / cancel with reasons. Exit code: 0, or 2 unreadable input.
    Audit(audit::AuditArgs),
    /// Focus blocks people can import: planned inside working hours, clear
    /// of meetings and out-of-office, one .ics per person. Exit code: 0, or
    /// 2 on bad input.
    Focus(focus::FocusArgs),
    /// When a distributed team can meet: windows per period in UTC and
    /// local time, across DST, and fair slots for a recurring meeting. Exit
    /// code: 0, 1 when there is no overlap at all, 2 on bad input.
    Overlap(overlap::OverlapArgs),
    /// A fair facilitation rotation for a recurring series (table, CSV or
    /// ICS). Exit code: 0, or 2 on bad input.
    Rotate(rotate::RotateArgs),
    /// Load every source of the workspace into the store (SQLite in
    /// .fulcrum/ by default, PostgreSQL by URL): the same export twice adds
    /// nothing, a newer calendar export replaces changed events and removes
    /// deleted ones, a later chat export appends. Exit code: 0, or 2.
    Import(store::ImportArgs),
    /// Erase a person's records from the store (right to erasure) and say
    /// what was removed. Exit code: 0, or 2.
    Forget(store::ForgetArgs),
    /// The team web app and JSON API over the store: sign-in, each team's
    /// dashboard, "my week", API tokens, users and imports (a `server`
    /// build). Stops on Ctrl-C or SIGTERM after the requests in flight.
    /// Exit code: 0, or 2 when it cannot start.
    #[cfg(feature = "server")]
    Serve(serve::ServeArgs),
    /// Reminder digests over SMTP (`[notify]`): `fulcrum notify send`
    /// sends the ones due now, as the server's schedule does (a `server`
    /// build).
    #[cfg(feature = "server")]
    #[command(subcommand)]
    Notify(notify::NotifyCommand),
    /// Accounts of the team server and their API tokens (a `server`
    /// build). Exit code: 0, or 2.
    #[cfg(feature = "server")]
    #[command(subcommand)]
    User(user::UserCommand),
    /// A shell completion script on standard output: `fulcrum completions
    /// bash > /etc/bash_completion.d/fulcrum`. Exit code: 0.
    Completions(completions::CompletionsArgs),
    /// Manual pages: `fulcrum.1` on standard output, or every command's
    /// page with `--out-dir DIR`. Exit code: 0, or 2 when a page cannot be
    /// written.
    Man(man::ManArgs),
}

/// Runs one subcommand and returns the process exit code.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Ics(c) => ics::run(c),
        Command::Chat(c) => chat::run(c),
        Command::Init(args) => init::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Report(args) => report::run(args),
        Command::Experiment(c) => experiment::run(c),
        Command::Route(args) => route::run(args),
        Command::Focus(args) => focus::run(args),
        Command::Overlap(args) => overlap::run(args),
        Command::Rotate(args) => rotate::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Import(args) => store::import(args),
        Command::Forget(args) => store::forget(args),
        #[cfg(feature = "server")]
        Command::Serve(args) => serve::run(args),
        #[cfg(feature = "server")]
        Command::Notify(c) => notify::run(c),
        #[cfg(feature = "server")]
        Command::User(c) => user::run(c),
        Command::Completions(args) => completions::run(args, crate::cli_command()),
        Command::Man(args) => man::run(args, crate::cli_command()),
    }
}

/// The workspace a command works on: the folder given, or the nearest
/// folder with a `fulcrum.toml` at or above the current one.
#[cfg_attr(not(feature = "store"), allow(dead_code))]
pub fn workspace_root(given: Option<std::path::PathBuf>) -> anyhow::Result<std::path::PathBuf> {
    use anyhow::Context;
    use fulcrum_app::workspace::{WORKSPACE_FILE, find_workspace};
    if let Some(w) = given {
        return Ok(w);
    }
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    find_workspace(&cwd).with_context(|| {
        format!(
            "no {WORKSPACE_FILE} in {} or above: give a WORKSPACE folder or run `fulcrum init`",
            cwd.display()
        )
    })
}

/// Parses a `YYYY-MM-DD` date given on the command line.
pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| format!("{s:?} is not a date like 2026-08-31 ({e})"))
}

/// Today: `--as-of` when given, else the system clock's UTC date. The one
/// place the tools read the clock for a default window.
pub fn today(as_of: Option<chrono::NaiveDate>) -> chrono::NaiveDate {
    as_of.unwrap_or_else(|| chrono::Utc::now().date_naive())
}
