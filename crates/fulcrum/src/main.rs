//! The `fulcrum` command: a thin shell over `fulcrum-app`.
//!
//! One module per subcommand under `cmd/`; each parses its raw flags with
//! clap derive, resolves them into settings and calls the app. Errors are
//! printed with their whole cause chain; exit codes are documented per
//! command.

mod cmd;
mod progress;

/// The report's allocations are many and small; jemalloc spends less CPU on
/// them than the system allocator, does not slow down as the heap grows, and
/// spent a little less than mimalloc (docs/benchmarks.md has the figures).
#[cfg(feature = "jemalloc")]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// mimalloc, when built with the `mimalloc` feature and without `jemalloc`
/// (to compare the two on the same runs).
#[cfg(all(feature = "mimalloc", not(feature = "jemalloc")))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::process::ExitCode;

/// Find the balance point between meetings and async work.
#[derive(Debug, Parser)]
#[command(name = "fulcrum", version, about)]
struct Cli {
    /// Threads to read and compute with (default: one per core, or
    /// RAYON_NUM_THREADS). The output is the same for any number.
    #[arg(long, short = 'j', global = true, value_name = "N")]
    jobs: Option<usize>,
    #[command(subcommand)]
    command: cmd::Command,
}

/// The whole command-line definition, for completions and manual pages.
pub(crate) fn cli_command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(jobs) = cli.jobs
        && let Err(err) = fulcrum_app::set_jobs(jobs)
    {
        eprintln!("error: --jobs {jobs}: {err}");
        return ExitCode::from(2);
    }
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
