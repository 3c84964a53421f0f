//! `fulcrum demo`: write a realistic demo workspace, with its answer key.

use super::parse_date;
use anyhow::Context;
use chrono::NaiveDate;
use clap::Args;
use fulcrum_app::demo::write_demo_with_progress;
use fulcrum_demo::DemoOptions;
use fulcrum_demo::preset::Difficulty;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Flags of `fulcrum demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The folder to write (created if missing; must be empty unless
    /// --force).
    #[arg(long, value_name = "DIR", default_value = "fulcrum-demo")]
    out: PathBuf,
    /// How many people (at least 5; teams of 7-8, at least 5 each).
    #[arg(long, value_name = "N", default_value_t = DemoOptions::DEFAULT_PEOPLE)]
    people: usize,
    /// How many weeks of data.
    #[arg(long, value_name = "W", default_value_t = DemoOptions::DEFAULT_WEEKS)]
    weeks: u32,
    /// First day, YYYY-MM-DD (moved back to its Monday) [default: 2026-08-31].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    start: Option<NaiveDate>,
    /// The seed: the same seed and flags write the same bytes.
    #[arg(long, value_name = "S", default_value_t = DemoOptions::DEFAULT_SEED)]
    seed: u64,
    /// The preset: `easy` (one pattern per team, far past its threshold,
    /// every week) or `realistic` (overlapping patterns, patterns that
    /// come and go across weeks, teams just under a threshold, more noise).
    #[arg(long, value_name = "PRESET", default_value = "easy", value_parser = parse_difficulty)]
    difficulty: Difficulty,
    /// Write into a folder that is not empty: the demo's files are
    /// overwritten and the .ics files in its calendars/ folder removed
    /// first (nothing else is touched).
    #[arg(long)]
    force: bool,
}

fn parse_difficulty(s: &str) -> Result<Difficulty, String> {
    Difficulty::parse(s).ok_or_else(|| format!("unknown preset {s:?}: use easy or realistic"))
}

/// Writes the demo; exit code 0, or an error (exit 2).
pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let options = DemoOptions {
        people: args.people,
        weeks: args.weeks,
        start: args.start.unwrap_or_else(DemoOptions::default_start),
        seed: args.seed,
        difficulty: args.difficulty,
    };
    let began = Instant::now();
    let mut bar = crate::progress::Bar::new();
    let written = write_demo_with_progress(&args.out, &options, args.force, &mut |p| bar.demo(p));
    bar.clear();
    let s = written.with_context(|| {
        format!(
            "cannot write the demo workspace into {}",
            args.out.display()
        )
    })?;
    let end = s.start + chrono::Duration::days(7 * i64::from(s.weeks));
    println!(
        "wrote {}/ in {:.1} s: {} people in {} teams, {} weeks from {} ({} MB)",
        args.out.display(),
        began.elapsed().as_secs_f64(),
        s.people,
        s.teams,
        s.weeks,
        s.start,
        s.bytes / 1_000_000
    );
    println!(
        "  {} calendars ({} events), Slack export ({} messages in {} day files), Mattermost export ({} posts)",
        s.calendars, s.events, s.slack_messages, s.slack_day_files, s.mattermost_posts
    );
    println!(
        "  {} work items, {} pulse answers; the answer key is TRUTH.md and truth.json",
        s.work_items, s.pulse_answers
    );
    println!("try: cd {} && fulcrum chat summary", args.out.display());
    println!(
        "     fulcrum ics expand calendars/*.ics --from {} --to {end} --format table",
        s.start
    );
    Ok(ExitCode::SUCCESS)
}
