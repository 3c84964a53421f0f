//! Subcommands, one module each.

mod ics;

use clap::Subcommand;
use std::process::ExitCode;

/// Every subcommand of `fulcrum`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Work with iCalendar files directly.
    #[command(subcommand)]
    Ics(ics::IcsCommand),
}

/// Runs one subcommand and returns the process exit code.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Ics(c) => ics::run(c),
    }
}
