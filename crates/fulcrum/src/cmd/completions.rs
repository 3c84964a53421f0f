//! `fulcrum completions SHELL`: a completion script for bash, zsh, fish,
//! PowerShell or Elvish on standard output, generated from the same clap
//! definitions the command line is parsed with, so it knows every
//! subcommand and flag of this build.

use clap::Args;
use clap_complete::Shell;
use std::io::Write;
use std::process::ExitCode;

/// Flags of `fulcrum completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    #[arg(value_name = "SHELL", value_enum)]
    shell: Shell,
}

/// Writes the script; exit code 0, or an error (exit 2).
pub fn run(args: CompletionsArgs, mut command: clap::Command) -> anyhow::Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    clap_complete::generate(args.shell, &mut command, "fulcrum", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
