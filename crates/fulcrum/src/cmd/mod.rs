//! Subcommands, one module each.

mod chat;
mod demo;
mod ics;
mod init;
mod report;

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
}

/// Runs one subcommand and returns the process exit code.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Ics(c) => ics::run(c),
        Command::Chat(c) => chat::run(c),
        Command::Init(args) => init::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Report(args) => report::run(args),
    }
}
