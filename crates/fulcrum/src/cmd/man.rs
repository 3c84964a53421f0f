//! `fulcrum man`: manual pages in roff, generated from the clap
//! definitions: `fulcrum.1` on standard output, or with `--out-dir` one
//! page per command (`fulcrum.1`, `fulcrum-report.1`,
//! `fulcrum-user-add.1`, ...) for `man` to find.

use anyhow::Context;
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Flags of `fulcrum man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write every page into this folder (created if missing) instead of
    /// printing `fulcrum.1`; e.g. `--out-dir /usr/local/share/man/man1`.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
}

/// Writes the pages; exit code 0, or an error (exit 2).
pub fn run(args: ManArgs, command: clap::Command) -> anyhow::Result<ExitCode> {
    match &args.out_dir {
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            clap_mangen::Man::new(command).render(&mut out)?;
            out.flush()?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let mut written = 0;
            write_pages(&command, "fulcrum", dir, &mut written)?;
            eprintln!("wrote {written} manual pages into {}", dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the page of `command` as `NAME.1` and those of its subcommands as
/// `NAME-SUB.1`, recursively. A subcommand's page is titled with its whole
/// path (`fulcrum-user-add`), as git's pages are, so `man fulcrum-user-add`
/// finds it.
fn write_pages(
    command: &clap::Command,
    name: &str,
    dir: &Path,
    written: &mut usize,
) -> anyhow::Result<()> {
    let page = command
        .clone()
        .name(name.to_owned())
        .bin_name(name.replace('-', " "));
    let path = dir.join(format!("{name}.1"));
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(&path)
            .with_context(|| format!("cannot create {}", path.display()))?,
    );
    clap_mangen::Man::new(page)
        .render(&mut file)
        .and_then(|()| file.flush())
        .with_context(|| format!("cannot write {}", path.display()))?;
    *written += 1;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}
