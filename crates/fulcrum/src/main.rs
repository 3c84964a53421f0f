//! The `fulcrum` command: a thin shell over `fulcrum-app`.
//!
//! One module per subcommand under `cmd/`; each parses its raw flags with
//! clap derive, resolves them into settings and calls the app. Errors are
//! printed with their whole cause chain; exit codes are documented per
//! command.

mod cmd;

use clap::Parser;
use std::process::ExitCode;

/// Find the balance point between meetings and async work.
#[derive(Debug, Parser)]
#[command(name = "fulcrum", version, about)]
struct Cli {
    #[command(subcommand)]
    command: cmd::Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cmd::run(cli.command) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                // The reader went away (`fulcrum ... | head`): not an error.
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
