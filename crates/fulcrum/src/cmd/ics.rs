//! `fulcrum ics ...`: calendar tools for debugging and interoperability.

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use clap::{Args, Subcommand, ValueEnum};
use fulcrum_ics::{Bound, ExpandOptions};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// `fulcrum ics` subcommands.
#[derive(Debug, Subcommand)]
pub enum IcsCommand {
    /// Print the occurrences of calendars inside a window.
    ///
    /// An occurrence is in the window when it starts before --to and ends
    /// after --from (a zero-length one when --from <= start < --to). Exit
    /// code: 0 when the files were read (warnings included), 1 with --strict
    /// and any diagnostic, 2 when a file could not be read at all.
    Expand(ExpandArgs),
}

/// Output formats of `ics expand`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExpandFormat {
    /// One JSON object per occurrence.
    Jsonl,
    /// A plain table.
    Table,
}

/// Flags of `fulcrum ics expand`.
#[derive(Debug, Args)]
pub struct ExpandArgs {
    /// iCalendar files (.ics).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Window start: a date (2024-01-01) or an RFC 3339 date-time. A date or
    /// a date-time without offset is read in each event's own zone.
    /// Default: the first day an event of the files occurs on.
    #[arg(long, value_name = "WHEN")]
    from: Option<String>,
    /// Window end (exclusive), same forms as --from. Default: the day after
    /// the last day an event occurs on (a series with no end: a year after
    /// the latest start in the files).
    #[arg(long, value_name = "WHEN")]
    to: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExpandFormat::Jsonl)]
    format: ExpandFormat,
    /// Do not read floating and UTC times on the calendar's X-WR-TIMEZONE.
    #[arg(long)]
    no_x_wr_timezone: bool,
    /// Keep cancelled instances.
    #[arg(long)]
    include_cancelled: bool,
    /// Exit with 1 when there is any diagnostic.
    #[arg(long)]
    strict: bool,
}

/// Runs an `ics` subcommand.
pub fn run(command: IcsCommand) -> anyhow::Result<ExitCode> {
    match command {
        IcsCommand::Expand(args) => expand(args),
    }
}

fn expand(args: ExpandArgs) -> anyhow::Result<ExitCode> {
    let span = match (&args.from, &args.to) {
        (Some(_), Some(_)) => None,
        _ => fulcrum_app::ics::span_of_files(&args.files),
    };
    let (first, last) = span.unwrap_or_default();
    let from = match &args.from {
        Some(f) => parse_when(f).context("reading --from")?,
        None => Bound::date(first),
    };
    let to = match &args.to {
        Some(t) => parse_when(t).context("reading --to")?,
        None => Bound::date(last + chrono::Duration::days(1)),
    };
    if span.is_some() {
        eprintln!(
            "window {} to {} (exclusive): the span of the files' events; give --from and --to to change",
            args.from
                .as_deref()
                .map_or_else(|| first.to_string(), str::to_owned),
            args.to.as_deref().map_or_else(
                || (last + chrono::Duration::days(1)).to_string(),
                str::to_owned
            ),
        );
    }
    let mut opts = ExpandOptions::window(from, to);
    opts.honour_x_wr_timezone = !args.no_x_wr_timezone;
    opts.include_cancelled = args.include_cancelled;

    let result = fulcrum_app::ics::expand_files(&args.files, &opts);

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        ExpandFormat::Jsonl => {
            fulcrum_report::occurrences::write_jsonl(&mut out, &result.occurrences)?
        }
        ExpandFormat::Table => {
            fulcrum_report::occurrences::write_table(&mut out, &result.occurrences)?
        }
    }
    out.flush()?;

    let mut err = std::io::stderr().lock();
    for d in &result.diagnostics {
        writeln!(err, "{}", d.rustc_style())?;
    }
    for u in &result.unreadable {
        writeln!(err, "{}", u.diagnostic("file skipped").rustc_style())?;
    }
    if result.stats.events_skipped > 0 {
        writeln!(
            err,
            "{} event(s) skipped of {} read; see the errors above",
            result.stats.events_skipped, result.stats.events_seen
        )?;
    }
    Ok(if !result.unreadable.is_empty() {
        ExitCode::from(2)
    } else if args.strict && !result.diagnostics.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A date, an RFC 3339 date-time, or a naive date-time.
fn parse_when(s: &str) -> anyhow::Result<Bound> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(Bound::date(d));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(Bound::Instant(t));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Ok(Bound::Naive(t));
        }
    }
    bail!("`{s}` is not a date (2024-01-01) or an RFC 3339 date-time (2024-01-01T09:00:00+01:00)")
}
