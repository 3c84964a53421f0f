//! The span of a calendar's data, read cheaply: when its export was taken
//! and which days its one-off meetings fall on.
//!
//! A report chooses its window from the data before it expands anything, so
//! it needs these facts for every file first. [`scan_span`] gets them from
//! the content lines alone: it splits only the handful of lines that matter
//! (`BEGIN`, `END`, and `DTSTART`, `DTSTAMP`, `RRULE`, `RDATE` of an open
//! VEVENT), builds no events, resolves no time zones and keeps nothing of a
//! file but the answer. It agrees with [`crate::Calendar::span_facts`] on
//! every input: components nest and close exactly as in [`crate::parse`], a
//! VEVENT counts only when [`crate::event::build_event`] would keep it (a
//! valid DTSTART), and each property is read by the same function the full
//! parse uses (`tests/span.rs` and the `ics_span` fuzz target check this).

use crate::event::{EventComponent, rdate_value, utc_stamp};
use crate::lex::Lexer;
use crate::parse::component_name;
use crate::rrule::RRule;
use crate::value::{parse_time, split_list};
use chrono::{DateTime, NaiveDate, Utc};
use std::borrow::Cow;

/// What one calendar file says about the span of its data.
///
/// The rule: the calendar's export time is the latest `DTSTAMP` of its
/// events; a day has data when a one-off (neither `RRULE` nor `RDATE`),
/// timed (not `VALUE=DATE`) event starts on it, by the wall clock of its
/// `DTSTART`, before the export time's UTC date (any day when no event has
/// a `DTSTAMP`). Overrides (`RECURRENCE-ID`) and cancelled events count as
/// one-offs; events skipped for want of a valid `DTSTART` count for
/// nothing. A caller collecting several calendars takes the earliest and
/// latest of their [`SpanFacts::bounds`] and the latest of their
/// [`SpanFacts::exported`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpanFacts {
    /// The latest `DTSTAMP` of the calendar's events: when it was exported.
    pub exported: Option<DateTime<Utc>>,
    /// The days with data, in order, each once.
    pub days: Vec<NaiveDate>,
    /// Events read (VEVENTs with a valid `DTSTART`): what
    /// [`crate::Calendar::events`] holds.
    pub events: usize,
    /// False when the bytes hold no component at all, which
    /// [`crate::read_calendar`] reports as "no iCalendar data found"
    /// ([`crate::ParseStats::is_empty`]).
    pub has_components: bool,
}

impl SpanFacts {
    /// The first and last days with data.
    pub fn bounds(&self) -> Option<(NaiveDate, NaiveDate)> {
        Some((*self.days.first()?, *self.days.last()?))
    }

    /// The facts of events already read, by the same rule as [`scan_span`].
    pub(crate) fn of_events(events: &[EventComponent], has_components: bool) -> SpanFacts {
        let mut rule = SpanRule::default();
        for e in events {
            let one_off_timed = !e.is_recurring() && !e.dtstart.is_date();
            rule.event(
                e.details.dtstamp,
                one_off_timed.then(|| e.dtstart.naive().date()),
            );
        }
        rule.finish(has_components)
    }
}

/// What one part of a calendar read on its own (a CalDAV resource: one
/// event with its overrides) adds to the calendar's span, before the
/// calendar-wide export time is known: its latest `DTSTAMP` and the start
/// days of its one-off timed events, not yet filtered. [`SpanPart::combine`]
/// applies the rule of [`SpanFacts`] to the whole, so a calendar read in
/// parts has the span of the same events read as one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpanPart {
    /// The latest `DTSTAMP` of the part's events.
    pub exported: Option<DateTime<Utc>>,
    /// Start days of its one-off timed events, in order, each once.
    pub starts: Vec<NaiveDate>,
}

impl SpanPart {
    /// The part's facts from its events, by the rule of [`SpanFacts`].
    pub(crate) fn of_events(events: &[EventComponent]) -> SpanPart {
        let mut rule = SpanRule::default();
        for e in events {
            let one_off_timed = !e.is_recurring() && !e.dtstart.is_date();
            rule.event(
                e.details.dtstamp,
                one_off_timed.then(|| e.dtstart.naive().date()),
            );
        }
        let mut starts = rule.starts;
        starts.sort_unstable();
        starts.dedup();
        SpanPart {
            exported: rule.exported,
            starts,
        }
    }

    /// The span facts of the calendar made of `parts` (`events` and
    /// `has_components` are left at their defaults: the parts were read
    /// one by one).
    pub fn combine<'a>(parts: impl IntoIterator<Item = &'a SpanPart>) -> SpanFacts {
        let mut rule = SpanRule::default();
        for p in parts {
            rule.exported = rule.exported.max(p.exported);
            rule.starts.extend_from_slice(&p.starts);
        }
        rule.finish(true)
    }
}

/// The rule of [`SpanFacts`], fed one event at a time. The filter by export
/// time waits for the last event: the export time is the whole calendar's.
#[derive(Default)]
struct SpanRule {
    exported: Option<DateTime<Utc>>,
    /// Start days of one-off timed events, before filtering.
    starts: Vec<NaiveDate>,
    events: usize,
}

impl SpanRule {
    /// Notes an event that was read: its `DTSTAMP`, and its start day when
    /// it is a one-off timed event.
    fn event(&mut self, dtstamp: Option<DateTime<Utc>>, one_off_timed_start: Option<NaiveDate>) {
        self.events += 1;
        self.exported = self.exported.max(dtstamp);
        self.starts.extend(one_off_timed_start);
    }

    fn finish(mut self, has_components: bool) -> SpanFacts {
        let exported = self.exported;
        self.starts
            .retain(|d| exported.is_none_or(|x| *d < x.date_naive()));
        self.starts.sort_unstable();
        self.starts.dedup();
        SpanFacts {
            exported,
            days: self.starts,
            events: self.events,
            has_components,
        }
    }
}

/// The span facts of an iCalendar file, from its content lines alone: the
/// same as `read_calendar(bytes, _).span_facts()` at a fraction of the
/// cost. Never fails; nothing is reported (read the file fully for its
/// problems).
pub fn scan_span(bytes: &[u8]) -> SpanFacts {
    // A UTF-16 file is decoded as the full read decodes it (its note is
    // the full read's to give).
    let decoded = crate::encoding::utf8_of(bytes, &mut crate::Diagnostics::new("".into()));
    let mut lexer = Lexer::for_few_lines(&decoded);
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut rule = SpanRule::default();
    let mut has_components = false;

    while let Some(raw) = lexer.next_raw() {
        // Most lines are ruled out by their name, before they are decoded
        // or split.
        let Some(kind) = raw.name().and_then(Kind::of) else {
            continue;
        };
        let in_event = matches!(stack.last(), Some(Frame { event: Some(_), .. }));
        if !in_event && !matches!(kind, Kind::Begin | Kind::End) {
            continue;
        }
        // Split as the full parse splits: a line that is not a property is
        // skipped there too.
        let (Some(line), _) = raw.content() else {
            continue;
        };
        match kind {
            Kind::Begin => {
                let name = component_name(line.value);
                if name.is_empty() {
                    continue;
                }
                has_components = true;
                let event = (name == "VEVENT").then(EventScan::default);
                stack.push(Frame { name, event });
            }
            Kind::End => {
                let name = line.value.trim();
                if let Some(pos) = stack
                    .iter()
                    .rposition(|f| f.name.eq_ignore_ascii_case(name))
                {
                    // Components left open inside end here too.
                    for frame in stack.drain(pos..) {
                        frame.finish(&mut rule);
                    }
                }
            }
            _ => {
                if let Some(Frame {
                    event: Some(event), ..
                }) = stack.last_mut()
                {
                    event.read(kind, &line);
                }
            }
        }
    }
    // A truncated file: what is open ends here, as in the full parse.
    for frame in stack.drain(..) {
        frame.finish(&mut rule);
    }
    rule.finish(has_components)
}

/// The properties the scan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Begin,
    End,
    Dtstart,
    Dtstamp,
    Rrule,
    Rdate,
}

impl Kind {
    /// The kind of a property name as written (names are case-insensitive).
    fn of(name: &[u8]) -> Option<Kind> {
        // Most names are ruled out by their length and first letter.
        let first = name.first()?.to_ascii_uppercase();
        if !matches!(
            (name.len(), first),
            (5, b'B' | b'R') | (3, b'E') | (7, b'D')
        ) {
            return None;
        }
        let is = |n: &str| name.eq_ignore_ascii_case(n.as_bytes());
        if is("BEGIN") {
            Some(Kind::Begin)
        } else if is("END") {
            Some(Kind::End)
        } else if is("DTSTART") {
            Some(Kind::Dtstart)
        } else if is("DTSTAMP") {
            Some(Kind::Dtstamp)
        } else if is("RRULE") {
            Some(Kind::Rrule)
        } else if is("RDATE") {
            Some(Kind::Rdate)
        } else {
            None
        }
    }
}

/// An open component; `event` for a VEVENT.
struct Frame<'a> {
    /// Upper-cased name.
    name: Cow<'a, str>,
    event: Option<EventScan>,
}

impl Frame<'_> {
    fn finish(self, rule: &mut SpanRule) {
        if let Some(e) = self.event {
            e.finish(rule);
        }
    }
}

/// What a VEVENT's own lines said so far; each is read as
/// [`crate::event::build_event`] reads it.
#[derive(Default)]
struct EventScan {
    /// The wall-clock day of the last valid `DTSTART`, and whether it was a
    /// date.
    start: Option<(NaiveDate, bool)>,
    /// The last `DTSTAMP` line's value (a later invalid one clears it).
    dtstamp: Option<DateTime<Utc>>,
    /// A valid `RRULE` or `RDATE` value was seen.
    recurring: bool,
}

impl EventScan {
    fn read(&mut self, kind: Kind, line: &crate::lex::ContentLine<'_>) {
        match kind {
            Kind::Dtstart => {
                // The TZID decides only which zone the wall clock is in, not
                // whether the value is valid, a date, or its wall clock:
                // left out, it costs no lookup and no copy.
                let value_param = line.param("VALUE");
                if let Some(t) = parse_time(&line.value, value_param.as_deref(), None) {
                    self.start = Some((t.naive().date(), t.is_date()));
                }
            }
            Kind::Dtstamp => self.dtstamp = utc_stamp(&line.value),
            Kind::Rrule => self.recurring |= RRule::parse(&line.value).is_ok(),
            Kind::Rdate => {
                let [value_param, tzid] = line.params_named(["VALUE", "TZID"]);
                self.recurring |= split_list(&line.value).into_iter().any(|v| {
                    let v = v.trim();
                    !v.is_empty()
                        && rdate_value(v, value_param.as_deref(), tzid.as_deref()).is_some()
                });
            }
            Kind::Begin | Kind::End => {}
        }
    }

    /// An event without a valid DTSTART is skipped by the full parse.
    fn finish(self, rule: &mut SpanRule) {
        if let Some((day, is_date)) = self.start {
            let one_off_timed = !self.recurring && !is_date;
            rule.event(self.dtstamp, one_off_timed.then_some(day));
        }
    }
}
