//! `fulcrum chat ...`: inspect chat exports without printing a word of what
//! people wrote.

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use fulcrum_app::chat::summarize_export;
use fulcrum_app::workspace::{expand_globs, find_workspace, load_workspace, resolve_identities};
use fulcrum_chat::Limits;
use fulcrum_report::chat_summary::{self, SummaryItem};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `fulcrum chat` subcommands.
#[derive(Debug, Subcommand)]
pub enum ChatCommand {
    /// Print what was understood of chat exports: users, messages (people,
    /// bots, system), threads, replies, asks, skipped records, per
    /// conversation counts and located diagnostics. Never prints message text.
    ///
    /// EXPORT is a Slack export (ZIP or unpacked folder) or a Mattermost bulk
    /// export (.jsonl, or the ZIP of `mmctl export`). Without EXPORT, the
    /// `[sources] chat` globs of the workspace are used. With --format json,
    /// one export prints one JSON object and several print a JSON array of
    /// objects, in the order given; an export that cannot be read at all is
    /// an object with "export" and "error". Exit code: 0 when every export
    /// was read (warnings included), 2 when one could not be read at all.
    Summary(SummaryArgs),
    /// Show how the accounts of chat exports resolve to the workspace's
    /// people: matched, unlisted (in-domain but not on the list), external,
    /// bots, unknown, and time zones taken from the exports.
    ///
    /// Exit code: 0 when read, 2 when the workspace or an export could not be
    /// read.
    Identities(IdentitiesArgs),
}

/// Output formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// Plain text.
    Table,
    /// JSON.
    Json,
}

/// Limits against ZIP bombs, shared by the chat commands.
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Largest ratio of uncompressed to compressed size allowed for one ZIP
    /// entry (entries under 1 MiB are exempt).
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT_MAX_RATIO)]
    max_expansion_ratio: u64,
    /// Largest total of uncompressed bytes read from one export, in GiB.
    #[arg(long, value_name = "GIB", default_value_t = Limits::DEFAULT_MAX_TOTAL_BYTES >> 30)]
    max_uncompressed_gb: u64,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_ratio: self.max_expansion_ratio.max(1),
            max_total_bytes: self.max_uncompressed_gb.saturating_mul(1 << 30),
            ..Limits::default()
        }
    }
}

/// Flags of `fulcrum chat summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Exports to read (default: the workspace's `[sources] chat`).
    #[arg(value_name = "EXPORT")]
    exports: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// The workspace folder (default: the nearest folder with a
    /// fulcrum.toml at or above the current one).
    #[arg(long, value_name = "DIR")]
    workspace: Option<PathBuf>,
    /// List each DM and group DM on its own line (who talks to whom:
    /// individual data). By default they are folded into one line each.
    #[arg(long)]
    individuals: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Flags of `fulcrum chat identities`.
#[derive(Debug, Args)]
pub struct IdentitiesArgs {
    /// Exports to read (default: the workspace's `[sources] chat`).
    #[arg(value_name = "EXPORT")]
    exports: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// The workspace folder (default: the nearest folder with a fulcrum.toml).
    #[arg(long, value_name = "DIR")]
    workspace: Option<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Runs a `chat` subcommand.
pub fn run(command: ChatCommand) -> anyhow::Result<ExitCode> {
    match command {
        ChatCommand::Summary(args) => summary(args),
        ChatCommand::Identities(args) => identities(args),
    }
}

fn workspace_root(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    match given {
        Some(dir) => Ok(dir.to_owned()),
        None => {
            let cwd = std::env::current_dir().context("reading the current folder")?;
            find_workspace(&cwd).with_context(|| {
                format!(
                    "no fulcrum.toml in {} or above (run `fulcrum init`, or give --workspace)",
                    cwd.display()
                )
            })
        }
    }
}

/// The exports given, or those of the workspace's `[sources] chat`.
fn exports_or_sources(
    exports: Vec<PathBuf>,
    workspace: Option<&Path>,
) -> anyhow::Result<Vec<PathBuf>> {
    if !exports.is_empty() {
        return Ok(exports);
    }
    let root = workspace_root(workspace)?;
    let ws = load_workspace(&root)?;
    let (paths, unmatched) = expand_globs(&root, &ws.workspace.sources.chat)?;
    for pattern in unmatched {
        eprintln!("warning: fulcrum.toml: `sources.chat`: {pattern:?} matches no file");
    }
    if paths.is_empty() {
        bail!("no chat export given and the workspace's [sources] chat matches none");
    }
    Ok(paths)
}

fn summary(args: SummaryArgs) -> anyhow::Result<ExitCode> {
    let exports = exports_or_sources(args.exports, args.workspace.as_deref())?;
    let limits = args.limits.limits();
    let results: Vec<(String, Result<_, _>)> = exports
        .iter()
        .map(|p| {
            let summary = summarize_export(p, &limits).map(|s| {
                if args.individuals {
                    s
                } else {
                    fulcrum_app::chat::private_conversations_folded(s)
                }
            });
            (p.display().to_string(), summary)
        })
        .collect();
    let items: Vec<SummaryItem<'_>> = results
        .iter()
        .map(|(name, r)| match r {
            Ok(s) => SummaryItem::Read(s),
            Err(e) => SummaryItem::Unreadable {
                export: name,
                error: &e.reason,
            },
        })
        .collect();
    let any_unreadable = results.iter().any(|(_, r)| r.is_err());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Json => chat_summary::write_json(&mut out, &items)?,
        Format::Table => chat_summary::write_table(&mut out, &items)?,
    }
    out.flush()?;
    if any_unreadable {
        Ok(ExitCode::from(2))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

fn identities(args: IdentitiesArgs) -> anyhow::Result<ExitCode> {
    let root = workspace_root(args.workspace.as_deref())?;
    let ws = load_workspace(&root)?;
    let exports = exports_or_sources(args.exports, Some(&root))?;
    let result = resolve_identities(&ws, &exports, &args.limits.limits())?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Json => {
            chat_summary::write_identities_json(&mut out, &result.domains, &result.report)?
        }
        Format::Table => {
            chat_summary::write_identities_table(&mut out, &result.domains, &result.report)?
        }
    }
    out.flush()?;
    for e in &result.unreadable {
        eprintln!("error: {e}");
    }
    if result.unreadable.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(2))
    }
}
