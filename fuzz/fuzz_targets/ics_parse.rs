//! Fuzzes the iCalendar reader end to end: lexing, components, time zones
//! and recurrence expansion over a window. Any panic, hang or unbounded
//! allocation is a bug.
#![no_main]

use chrono::NaiveDate;
use fulcrum_ics::{Bound, ExpandOptions, read_calendar};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut cal = read_calendar(data, "fuzz.ics");
    let (Some(from), Some(to)) =
        (NaiveDate::from_ymd_opt(2023, 1, 1), NaiveDate::from_ymd_opt(2025, 1, 1))
    else {
        return;
    };
    let mut opts = ExpandOptions::window(Bound::date(from), Bound::date(to));
    opts.max_instances_per_series = 10_000;
    let occurrences = cal.expand(&opts);
    // Every occurrence ends no earlier than it starts.
    for o in &occurrences {
        assert!(o.end.sort_key() >= o.start.sort_key() || o.start.is_date() != o.end.is_date());
    }
    let _ = cal.into_diagnostics();
});
