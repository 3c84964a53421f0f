//! Fuzzes the span prescan: `scan_span` must never panic and must say what
//! the full parse says (`DataSpan::observe` of `fulcrum-app`, written out
//! again over `read_calendar`'s events) on any input.
#![no_main]

use fulcrum_ics::{read_calendar, scan_span};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let facts = scan_span(data);
    let cal = read_calendar(data, "fuzz.ics");
    let exported = cal.events().iter().filter_map(|e| e.details.dtstamp).max();
    let mut days: Vec<_> = cal
        .events()
        .iter()
        .filter(|e| !e.is_recurring() && !e.dtstart.is_date())
        .map(|e| e.dtstart.naive().date())
        .filter(|d| exported.is_none_or(|x| *d < x.date_naive()))
        .collect();
    days.sort_unstable();
    days.dedup();
    assert_eq!(facts.exported, exported);
    assert_eq!(facts.days, days);
    assert_eq!(facts.events, cal.events().len());
    assert_eq!(facts.has_components, !cal.stats().is_empty());
    assert_eq!(facts, cal.span_facts());
});
