//! iCalendar ingest: bytes in, occurrences and located diagnostics out.
//!
//! The pipeline for one file is [`encoding`] (UTF-16 decoded to UTF-8,
//! with a note) -> [`lex`] (octet-level unfolding, content
//! lines) -> [`parse`] (components, one pass) -> [`event`] (a VEVENT with its
//! description reduced to flags) -> [`zone`] (TZID resolution: IANA, Windows,
//! Outlook, or the file's own VTIMEZONE rules) -> [`expand`] (recurrence over
//! a window, overrides, exclusions). The crate never opens a file: callers
//! hand it bytes and a name to put in diagnostics. [`scan_span`] reads only
//! what a report needs to choose its window ([`span`]), without a full
//! parse; [`read_calendar_for`] builds only the events that may matter in
//! a window ([`window`]).
//!
//! ```
//! use fulcrum_ics::{Bound, ExpandOptions, read_calendar};
//! let ics = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART:20240102T090000Z\r\n\
//!             DURATION:PT30M\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
//! let mut cal = read_calendar(ics, "demo.ics");
//! let from = Bound::date(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
//! let to = Bound::date(chrono::NaiveDate::from_ymd_opt(2024, 2, 1).unwrap());
//! let occurrences = cal.expand(&ExpandOptions::window(from, to));
//! assert_eq!(occurrences.len(), 3);
//! assert_eq!(occurrences[2].start.to_string(), "2024-01-04T09:00:00+00:00");
//! ```

pub mod describe;
pub mod diag;
pub mod encoding;
pub mod event;
pub mod expand;
pub mod lex;
pub mod parse;
pub mod rrule;
pub mod span;
pub mod value;
pub mod window;
pub mod windows_zones;
pub mod zone;

pub use diag::{Diagnostic, Diagnostics, Severity};
pub use expand::{Bound, ExpandOptions, ExpandStats};
pub use parse::ParseStats;
pub use span::{SpanFacts, SpanPart, scan_span};

use fulcrum_model::Occurrence;
use std::sync::Arc;

/// One calendar file, parsed, ready to expand over any window.
#[derive(Debug)]
pub struct Calendar {
    parsed: parse::ParsedFile,
    zones: zone::ZoneTable,
    diags: Diagnostics,
    expand_stats: ExpandStats,
    /// One-offs and overrides [`read_calendar_for`] left out.
    outside_window: (usize, usize),
}

/// Parses an iCalendar file or byte stream; `name` appears in diagnostics.
/// Never fails: what cannot be read is reported in [`Calendar::diagnostics`].
pub fn read_calendar(bytes: &[u8], name: &str) -> Calendar {
    let mut diags = Diagnostics::new(Arc::from(name));
    let bytes = encoding::utf8_of(bytes, &mut diags);
    let parsed = parse::parse(&bytes, &mut diags);
    Calendar::of(parsed, diags)
}

/// [`read_calendar`] for one window: the events that cannot give an
/// occurrence inside `opts`' window are counted but not built, which saves
/// most of the work on a long history read for a short window.
///
/// `read_calendar_for(bytes, name, opts).expand(opts)` gives what
/// `read_calendar(bytes, name).expand(opts)` gives: the same occurrences in
/// the same order, the same [`Calendar::diagnostics`] (every one, in
/// order), the same [`Calendar::stats`] and [`Calendar::expand_stats`].
/// That holds because only events that have nothing to report and that
/// nothing else depends on are left out (see [`window`] for the rule): a
/// one-off with a UID of its own, or an override of a plain recurring
/// series that replaces an instance outside the window; every line a
/// property, every time value valid, every zone known; all of it
/// [`window::MARGIN_DAYS`] days or more outside the window. An event with
/// something to report is read as today, whatever its dates, so its
/// problems are all reported; an event left out that a check needing the
/// whole file fails for (a UID shared with another event, a zone that does
/// not resolve, an override whose series does not allow it) is read after
/// all and put in its place.
///
/// The trade-offs: [`Calendar::events`] and [`Calendar::span_facts`] hold
/// only the events built ([`Calendar::events_outside_window`] counts the
/// others), and the calendar is for expanding with `opts` (or over a
/// window inside theirs): a window reaching further misses the events
/// left out. Read the file with [`read_calendar`] for other uses. When the
/// window covers all of a file's events, nothing is left out and the
/// reading ahead costs a few percent more than [`read_calendar`].
pub fn read_calendar_for(bytes: &[u8], name: &str, opts: &ExpandOptions) -> Calendar {
    let mut window = window::WindowRead::new(opts);
    let mut diags = Diagnostics::new(Arc::from(name));
    let bytes = encoding::utf8_of(bytes, &mut diags);
    let parsed = parse::parse_within(&bytes, &mut diags, Some(&mut window));
    let mut cal = Calendar::of(parsed, diags);
    cal.outside_window = window.settle(
        &bytes,
        &mut cal.parsed.events,
        &mut cal.zones,
        &mut cal.diags,
    );
    cal
}

impl Calendar {
    /// A calendar over what the parse read.
    fn of(mut parsed: parse::ParsedFile, mut diags: Diagnostics) -> Calendar {
        let vtimezones = std::mem::take(&mut parsed.vtimezones);
        if parsed.stats.is_empty() {
            diags.error(
                None,
                "no iCalendar data found (no BEGIN:VCALENDAR or BEGIN:VEVENT)",
                Some("check that this is an .ics export and not an HTML or ZIP file"),
            );
        }
        Calendar {
            parsed,
            zones: zone::ZoneTable::new(vtimezones),
            diags,
            expand_stats: ExpandStats::default(),
            outside_window: (0, 0),
        }
    }

    /// The occurrences inside the window, in file order of their series.
    /// Diagnostics found while expanding join [`Calendar::diagnostics`].
    pub fn expand(&mut self, opts: &ExpandOptions) -> Vec<Occurrence> {
        let occurrences = expand::expand_file(
            &self.parsed,
            &mut self.zones,
            opts,
            &mut self.diags,
            &mut self.expand_stats,
        );
        // What a full read would have counted of the events
        // `read_calendar_for` left out: each one-off is a UID of its own,
        // each override one applied (no other override shares its
        // instance).
        let (one_offs, overrides) = self.outside_window;
        self.expand_stats.uids += one_offs;
        self.expand_stats.overrides += overrides;
        occurrences
    }

    /// Counts of what the file held.
    pub fn stats(&self) -> ParseStats {
        self.parsed.stats
    }

    /// Counts of expansions so far.
    pub fn expand_stats(&self) -> ExpandStats {
        self.expand_stats
    }

    /// The events as read (by [`read_calendar_for`]: those it built).
    pub fn events(&self) -> &[event::EventComponent] {
        &self.parsed.events
    }

    /// Events [`read_calendar_for`] counted but did not build, since they
    /// cannot give an occurrence in its window; 0 after [`read_calendar`].
    pub fn events_outside_window(&self) -> usize {
        self.outside_window.0 + self.outside_window.1
    }

    /// What the events say about the span of the data (see [`SpanFacts`]);
    /// [`scan_span`] gives the same without a full parse.
    pub fn span_facts(&self) -> SpanFacts {
        SpanFacts::of_events(&self.parsed.events, !self.parsed.stats.is_empty())
    }

    /// What the events add to the span of a calendar this one is a part
    /// of (see [`SpanPart`]).
    pub fn span_part(&self) -> SpanPart {
        SpanPart::of_events(&self.parsed.events)
    }

    /// The problems of series that reached
    /// [`ExpandOptions::max_instances_per_series`] in a window expanded so
    /// far (errors, among [`Calendar::diagnostics`]), each at its VEVENT's
    /// line: for commands that count a file's problems but name these.
    pub fn capped_series(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diags
            .as_slice()
            .iter()
            .filter(|d| d.message.starts_with(expand::CAPPED))
    }

    /// Problems found so far.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        self.diags.as_slice()
    }

    /// Takes the problems found so far (with a note on any not listed).
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diags.into_vec()
    }
}

/// Sorts occurrences as `fulcrum ics expand` prints them: by start instant
/// (dates and floating times as if UTC), then UID, then recurrence id.
pub fn sort_occurrences(occ: &mut [Occurrence]) {
    occ.sort_by(|a, b| {
        a.start
            .sort_key()
            .cmp(&b.start.sort_key())
            .then_with(|| a.uid.cmp(&b.uid))
            .then_with(|| {
                a.recurrence_id
                    .map(|r| r.sort_key())
                    .cmp(&b.recurrence_id.map(|r| r.sort_key()))
            })
    });
}
