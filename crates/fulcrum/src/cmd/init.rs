//! `fulcrum init`: write a commented `fulcrum.toml` and a `people.csv`.

use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Flags of `fulcrum init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to make a workspace of (created if missing).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Overwrite an existing fulcrum.toml or people.csv.
    #[arg(long)]
    force: bool,
}

/// Writes the templates; exit code 0, or an error (exit 2) when a file
/// exists and --force is not given.
pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    let written = fulcrum_app::workspace::init_workspace(&args.dir, args.force)?;
    for path in written {
        println!("wrote {}", path.display());
    }
    println!("edit fulcrum.toml and people.csv, then try `fulcrum chat summary`");
    Ok(ExitCode::SUCCESS)
}
