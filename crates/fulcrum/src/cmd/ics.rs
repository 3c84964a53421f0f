//! `fulcrum ics ...`: calendar tools for debugging and interoperability.

use clap::Subcommand;
use std::process::ExitCode;

/// `fulcrum ics` subcommands.
#[derive(Debug, Subcommand)]
pub enum IcsCommand {}

/// Runs an `ics` subcommand.
pub fn run(command: IcsCommand) -> anyhow::Result<ExitCode> {
    match command {}
}
