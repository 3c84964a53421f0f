//! Ingest benchmark: parse plus expansion of a generated Google-style export.
//!
//! ```text
//! cargo bench -p fulcrum-ics --bench ingest [-- --events N] [--runs R] [--seed S]
//! ```
//!
//! Generates a calendar in memory with `examples/gen_calendar.rs` (12 500
//! VEVENTs, about 20 MB, by default), then times `read_calendar` and
//! `Calendar::expand` over 2024 (one year, naive bounds) R times (default 5)
//! with `std::time::Instant`, and prints the parse and expand times of each
//! run, then the best and the median run as MB/s, events/s and
//! occurrences/s, and the median parse time on its own. Also expands the same
//! parsed file over one month and three years, to show that expansion cost
//! follows the window, not the file's span, and times `scan_span` (the
//! prescan for the data's span) R times against the median parse. Then
//! times `read_calendar_for` (the windowed read) plus `expand` against
//! `read_calendar` plus `expand` over one month and one year. No output
//! is formatted: `scripts/bench-ics.sh` measures the whole
//! `fulcrum ics expand` process against Python.
//!
//! ```text
//! cargo bench -p fulcrum-ics --bench ingest -- --dir DIR [--files N] [--weeks W] [--runs R]
//! ```
//!
//! With `--dir`, times instead the report's per-person pass over real
//! files: the first N `.ics` files of DIR by name (default 50) are read
//! into memory, the window is the last W ISO weeks (default 13) of their
//! data as a report chooses it (the latest day of `scan_span`, its ISO
//! week and the W-1 before, as UTC instants), and each run reads and
//! expands every file once with `read_calendar` and once with
//! `read_calendar_for`, on one thread, checking that both give the same
//! occurrences. Prints each run and the medians.

#[path = "../examples/gen_calendar.rs"]
#[allow(dead_code)]
mod gen_calendar;

use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use fulcrum_ics::{Bound, ExpandOptions, read_calendar, read_calendar_for, scan_span};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn day(y: i32, m: u32, d: u32) -> Bound {
    Bound::date(NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN))
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn main() {
    let mut cfg = gen_calendar::GenConfig {
        events: 12_500,
        seed: 1,
    };
    let mut runs = 5usize;
    let mut dir: Option<PathBuf> = None;
    let (mut files, mut weeks) = (50usize, 13i64);
    let mut args = std::env::args().skip(1).peekable();
    while let Some(a) = args.next() {
        // `cargo bench` passes `--bench` without a value.
        let value = match args.peek() {
            Some(v) if !v.starts_with("--") => args.next(),
            _ => None,
        };
        let num = || value.as_deref().and_then(|v| v.parse::<u64>().ok());
        match a.as_str() {
            "--events" => cfg.events = num().map_or(cfg.events, |n| n as usize),
            "--runs" => runs = num().map_or(runs, |n| n as usize).max(1),
            "--seed" => cfg.seed = num().unwrap_or(cfg.seed),
            "--dir" => dir = value.clone().map(PathBuf::from),
            "--files" => files = num().map_or(files, |n| n as usize).max(1),
            "--weeks" => weeks = num().map_or(weeks, |n| n as i64).max(1),
            // Anything unknown is ignored.
            _ => {}
        }
    }
    if let Some(dir) = dir {
        windowed_folder(&dir, files, weeks, runs);
        return;
    }

    let t = Instant::now();
    let (bytes, summary) = gen_calendar::generate_vec(&cfg);
    let mb = bytes.len() as f64 / 1e6;
    println!(
        "generated {} VEVENTs ({} series, {} infinite; {} overrides; {} one-offs), {:.1} MB in {:.2} s",
        summary.vevents,
        summary.series,
        summary.infinite_series,
        summary.overrides,
        summary.one_offs,
        mb,
        secs(t.elapsed())
    );

    let year = ExpandOptions::window(day(2024, 1, 1), day(2025, 1, 1));
    let mut totals: Vec<(Duration, Duration, usize)> = Vec::with_capacity(runs);
    for run in 1..=runs {
        let t0 = Instant::now();
        let mut cal = read_calendar(black_box(&bytes), "bench.ics");
        let t1 = Instant::now();
        let occ = cal.expand(&year);
        let t2 = Instant::now();
        let n = black_box(occ).len();
        println!(
            "run {run}: parse {:.3} s, expand {:.3} s, total {:.3} s, {} occurrences, {} diagnostics",
            secs(t1 - t0),
            secs(t2 - t1),
            secs(t2 - t0),
            n,
            cal.diagnostics().len()
        );
        totals.push((t1 - t0, t2 - t1, n));
    }
    let mut parses: Vec<Duration> = totals.iter().map(|t| t.0).collect();
    parses.sort();
    let parse_median = parses[parses.len() / 2];
    println!(
        "parse median: {:.4} s ({:.1} MB/s)",
        secs(parse_median),
        mb / secs(parse_median)
    );
    totals.sort_by_key(|t| t.0 + t.1);
    let report = |label: &str, (p, e, n): (Duration, Duration, usize)| {
        let total = secs(p + e);
        println!(
            "{label}: {:.3} s (parse {:.3} + expand {:.3}): {:.1} MB/s, {:.0} events/s, {:.0} occurrences/s",
            total,
            secs(p),
            secs(e),
            mb / total,
            summary.vevents as f64 / total,
            n as f64 / total
        );
    };
    report("best  ", totals[0]);
    report("median", totals[totals.len() / 2]);

    // Expansion cost against the window, on one parsed file.
    let mut cal = read_calendar(&bytes, "bench.ics");
    for (label, from, to) in [
        ("1 month ", day(2024, 3, 1), day(2024, 4, 1)),
        ("1 year  ", day(2024, 1, 1), day(2025, 1, 1)),
        ("3 years ", day(2023, 1, 1), day(2026, 1, 1)),
    ] {
        let opts = ExpandOptions::window(from, to);
        let mut best = Duration::MAX;
        let mut n = 0;
        for _ in 0..3 {
            let t = Instant::now();
            n = black_box(cal.expand(&opts)).len();
            best = best.min(t.elapsed());
        }
        println!("expand over {label}: {:.3} s, {n} occurrences", secs(best));
    }

    // The span prescan against the full parse, on the same bytes.
    let mut scans: Vec<Duration> = Vec::with_capacity(runs);
    let mut days = 0;
    for _ in 0..runs {
        let t = Instant::now();
        days = black_box(scan_span(black_box(&bytes))).days.len();
        scans.push(t.elapsed());
    }
    scans.sort();
    let scan_median = scans[scans.len() / 2];
    println!(
        "scan_span median: {:.4} s ({:.1} MB/s, {} days), {:.1}% of the median parse",
        secs(scan_median),
        mb / secs(scan_median),
        days,
        100.0 * secs(scan_median) / secs(parse_median)
    );

    // The windowed read against the full one, on the same bytes.
    for (label, from, to) in [
        ("1 month", day(2024, 3, 1), day(2024, 4, 1)),
        ("1 year ", day(2024, 1, 1), day(2025, 1, 1)),
    ] {
        let opts = ExpandOptions::window(from, to);
        let full = median_of(runs, || {
            let n = read_calendar(black_box(&bytes), "bench.ics").expand(&opts);
            black_box(n).len()
        });
        let windowed = median_of(runs, || {
            let n = read_calendar_for(black_box(&bytes), "bench.ics", &opts).expand(&opts);
            black_box(n).len()
        });
        assert_eq!(full.1, windowed.1, "both reads give the same occurrences");
        println!(
            "read + expand over {label}: full {:.3} s, windowed {:.3} s ({:.0}%), {} occurrences",
            secs(full.0),
            secs(windowed.0),
            100.0 * secs(windowed.0) / secs(full.0),
            full.1
        );
    }
}

/// The median time of `runs` calls of `f`, and what the last one returned.
fn median_of(runs: usize, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut out = 0;
    for _ in 0..runs {
        let t = Instant::now();
        out = f();
        times.push(t.elapsed());
    }
    times.sort();
    (times[times.len() / 2], out)
}

/// The report's per-person pass over the first `files` calendars of `dir`,
/// for the last `weeks` ISO weeks of their data: full read against
/// windowed read.
fn windowed_folder(dir: &std::path::Path, files: usize, weeks: i64, runs: usize) {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "ics"));
    paths.sort();
    paths.truncate(files);
    let calendars: Vec<(String, Vec<u8>)> = paths
        .iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read(p).ok()?)))
        .collect();
    let mb = calendars.iter().map(|c| c.1.len()).sum::<usize>() as f64 / 1e6;
    // The report's default window: the ISO weeks up to the week of the
    // last day with data, as UTC instants.
    let Some(last) = calendars
        .iter()
        .filter_map(|(_, bytes)| Some(scan_span(bytes).bounds()?.1))
        .max()
    else {
        println!("no data in {}", dir.display());
        return;
    };
    let monday = last - chrono::Duration::days(i64::from(last.weekday().num_days_from_monday()));
    let (from, to) = (
        monday - chrono::Duration::weeks(weeks - 1),
        monday + chrono::Duration::weeks(1),
    );
    let instant = |d: NaiveDate| {
        Bound::Instant(
            Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN))
                .fixed_offset(),
        )
    };
    let opts = ExpandOptions::window(instant(from), instant(to));
    println!(
        "{} files, {mb:.1} MB, data up to {last}; window {from} to {to} (exclusive), {weeks} weeks",
        calendars.len()
    );

    let pass = |windowed: bool| {
        let (mut occurrences, mut left_out) = (0, 0);
        let t = Instant::now();
        for (name, bytes) in &calendars {
            let mut cal = if windowed {
                read_calendar_for(black_box(bytes), name, &opts)
            } else {
                read_calendar(black_box(bytes), name)
            };
            occurrences += black_box(cal.expand(&opts)).len();
            left_out += cal.events_outside_window();
        }
        (t.elapsed(), occurrences, left_out)
    };
    let (mut full, mut windowed) = (Vec::new(), Vec::new());
    for run in 1..=runs {
        let f = pass(false);
        let w = pass(true);
        assert_eq!(f.1, w.1, "both reads give the same occurrences");
        println!(
            "run {run}: full {:.3} s, windowed {:.3} s; {} occurrences, {} events left out",
            secs(f.0),
            secs(w.0),
            f.1,
            w.2
        );
        full.push(f.0);
        windowed.push(w.0);
    }
    full.sort();
    windowed.sort();
    let (f, w) = (full[full.len() / 2], windowed[windowed.len() / 2]);
    println!(
        "median: full read + expand {:.3} s ({:.1} MB/s), windowed read + expand {:.3} s ({:.1} MB/s): {:.0}% of the time",
        secs(f),
        mb / secs(f),
        secs(w),
        mb / secs(w),
        100.0 * secs(w) / secs(f)
    );
}
