//! Fuzzes the windowed read: `read_calendar_for` must never panic and,
//! expanded over its window, must give what `read_calendar` followed by the
//! same expansion gives (occurrences, counts and problems) on any input.
//! The input's length picks one of a few windows, so short windows, long
//! ones and windows far from the data are all tried while every byte stays
//! calendar text (the seed corpus is plain `.ics` files).
#![no_main]

use chrono::NaiveDate;
use fulcrum_ics::{Bound, ExpandOptions, read_calendar, read_calendar_for};
use libfuzzer_sys::fuzz_target;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    let (from, to) = match data.len() % 4 {
        0 => (day(2024, 3, 25), day(2024, 4, 1)),
        1 => (day(2024, 1, 1), day(2024, 4, 1)),
        2 => (day(1999, 1, 1), day(1999, 1, 2)),
        _ => (day(2023, 10, 1), day(2024, 12, 31)),
    };
    let opts = ExpandOptions::window(Bound::date(from), Bound::date(to));
    let mut full = read_calendar(data, "fuzz.ics");
    let want = full.expand(&opts);
    let mut windowed = read_calendar_for(data, "fuzz.ics", &opts);
    let got = windowed.expand(&opts);
    assert_eq!(got, want);
    assert_eq!(windowed.stats(), full.stats());
    assert_eq!(windowed.diagnostics(), full.diagnostics());
    assert_eq!(
        windowed.events().len() + windowed.events_outside_window(),
        full.events().len()
    );
});
