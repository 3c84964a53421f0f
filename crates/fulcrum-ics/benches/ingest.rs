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
//! prescan for the data's span) R times against the median parse. No output
//! is formatted: `scripts/bench-ics.sh` measures the whole
//! `fulcrum ics expand` process against Python.

#[path = "../examples/gen_calendar.rs"]
#[allow(dead_code)]
mod gen_calendar;

use chrono::NaiveDate;
use fulcrum_ics::{Bound, ExpandOptions, read_calendar, scan_span};
use std::hint::black_box;
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
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value = args.next();
        let num = || value.as_deref().and_then(|v| v.parse::<u64>().ok());
        match a.as_str() {
            "--events" => cfg.events = num().map_or(cfg.events, |n| n as usize),
            "--runs" => runs = num().map_or(runs, |n| n as usize).max(1),
            "--seed" => cfg.seed = num().unwrap_or(cfg.seed),
            // `cargo bench` passes `--bench`; ignore it and anything unknown.
            _ => {}
        }
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
}
