//! Reading a calendar for one window: the VEVENTs that cannot give an
//! occurrence inside it are counted but not built.
//!
//! A report reads a year of history for a window of a quarter, and most of
//! the cost of a VEVENT is building it (attendees, description flags,
//! times) only for [`crate::expand`] to drop it. [`WindowRead`] decides,
//! from the few properties that place an event in time, that a component
//! is *provably* irrelevant, and the parse then counts it
//! ([`crate::ParseStats::events_seen`]) without building it.
//!
//! The rule is deliberately narrow, so that leaving an event out cannot
//! change anything `expand` gives for the window: not its occurrences, not
//! its diagnostics, not its counts. An event is left out only when
//!
//! - it is a lone one-off: no `RRULE`, `RDATE`, `EXDATE` or
//!   `RECURRENCE-ID` line at all (valid or not), and its `UID` belongs to no
//!   other VEVENT of the file (checked after the parse: a duplicate could
//!   win or lose against it by `SEQUENCE`, an override could take its clock);
//! - building it would report nothing: a non-empty `UID`, every `DTSTART`,
//!   `DTEND` and `DURATION` line valid (read by the functions
//!   [`crate::event::build_event`] uses), the end not before the start;
//!   and every zone it names (`TZID`s, the calendar's `X-WR-TIMEZONE`)
//!   resolves, so expanding it would report nothing either (checked after
//!   the parse, when the file's VTIMEZONEs are known);
//! - all of it lies [`MARGIN_DAYS`] days or more before the window's start
//!   or after its end, compared on wall clocks (see [`Hull`]).
//!
//! When an after-the-parse check fails, the caller reads the file again in
//! full ([`crate::read_calendar_for`]), so the result never depends on
//! which events were left out.

use crate::event::EventComponent;
use crate::expand::{Bound, ExpandOptions};
use crate::lex::ContentLine;
use crate::value::{parse_duration, parse_time};
use crate::zone::ZoneTable;
use chrono::{Duration, NaiveDateTime};
use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::Arc;

/// How far, in days, an event must lie outside the window to be left out.
///
/// The comparison is on the values as written (a wall clock in the value's
/// own zone, UTC for `Z` times, a bound's UTC time), while `expand` keeps an
/// occurrence by instants for zoned times and by wall clocks otherwise. The
/// two differ by at most a UTC offset at the start, one at the end and one
/// at the bound (each under 24 hours: chrono's `FixedOffset` and
/// [`crate::value::parse_utc_offset`] allow no more), plus a skipped DST gap
/// (shorter than an offset change): under four days. A week leaves room
/// for whatever that reckoning missed, and costs nothing in practice: it
/// only means building the few events of the week beside the window.
pub const MARGIN_DAYS: i64 = 7;

/// The window a calendar is read for, and what was left out of it.
#[derive(Debug)]
pub(crate) struct WindowRead {
    /// Events whose hull ends at or before this are left out.
    ends_before: Option<NaiveDateTime>,
    /// Events whose hull starts at or after this are left out.
    starts_after: Option<NaiveDateTime>,
    honour_x_wr_timezone: bool,
    /// The UID of each event left out, hashed.
    left_out: Vec<u64>,
    /// Distinct TZIDs of the events left out.
    tzids: Vec<Box<str>>,
    /// Distinct `X-WR-TIMEZONE`s of the calendars of events left out.
    calendar_zones: Vec<Arc<str>>,
}

/// The span an event may cover, from its values as written: from the
/// earliest of its start and end to the latest of its start plus a day (a
/// date's default length), its end, and its start plus its duration.
/// Whatever wins between `DTEND` and `DURATION`, and however a length is
/// taken (whole days, exact or nominal), the occurrence lies inside.
#[derive(Debug, Clone, Copy)]
struct Hull {
    first: NaiveDateTime,
    last: NaiveDateTime,
}

/// A `DTSTART` or `DTEND` as the scan needs it.
struct Time<'l> {
    wall: NaiveDateTime,
    is_date: bool,
    tzid: Option<std::borrow::Cow<'l, str>>,
}

impl WindowRead {
    /// The rule for the window of `opts`.
    pub(crate) fn new(opts: &ExpandOptions) -> WindowRead {
        let margin = Duration::days(MARGIN_DAYS);
        WindowRead {
            // Out of range means "no limit on this side": nothing is left
            // out there.
            ends_before: bound_wall(&opts.from).checked_sub_signed(margin),
            starts_after: bound_wall(&opts.to).checked_add_signed(margin),
            honour_x_wr_timezone: opts.honour_x_wr_timezone,
            left_out: Vec::new(),
            tzids: Vec::new(),
            calendar_zones: Vec::new(),
        }
    }

    /// How many events were left out.
    pub(crate) fn left_out(&self) -> usize {
        self.left_out.len()
    }

    /// True when the VEVENT with these properties is left out (and noted);
    /// false when it must be built.
    pub(crate) fn leaves_out(
        &mut self,
        props: &[ContentLine<'_>],
        calendar_zone: &Option<Arc<str>>,
    ) -> bool {
        let mut uid: Option<&str> = None;
        let mut start: Option<Time<'_>> = None;
        let mut end: Option<Time<'_>> = None;
        let mut duration = None;
        // The last valid value of each property wins, as in `build_event`;
        // an invalid one would be reported there, so it means "build".
        for p in props {
            match p.name.as_ref() {
                "RRULE" | "RDATE" | "EXDATE" | "RECURRENCE-ID" => return false,
                "UID" => uid = Some(p.value.trim()),
                "DTSTART" => match time(p) {
                    Some(t) => start = Some(t),
                    None => return false,
                },
                "DTEND" => match time(p) {
                    Some(t) => end = Some(t),
                    None => return false,
                },
                "DURATION" => match parse_duration(&p.value) {
                    Some(d) => duration = Some(d),
                    None => return false,
                },
                _ => {}
            }
        }
        let (Some(uid), Some(start)) = (uid.filter(|u| !u.is_empty()), start) else {
            return false;
        };
        if end
            .as_ref()
            .is_some_and(|e| e.wall < start.wall && e.is_date == start.is_date)
        {
            // Reported by `build_event` ("DTEND is before DTSTART").
            return false;
        }
        let Some(hull) = Hull::of(&start, end.as_ref(), duration.map(|d| d.approx())) else {
            return false;
        };
        let before = self.ends_before.is_some_and(|limit| hull.last <= limit);
        let after = self.starts_after.is_some_and(|limit| hull.first >= limit);
        if !(before || after) {
            return false;
        }
        self.left_out.push(uid_hash(uid));
        for tzid in [start.tzid, end.and_then(|e| e.tzid)].into_iter().flatten() {
            // Trimmed, as `parse_time` keeps it.
            let tzid = tzid.trim();
            if !self.tzids.iter().any(|t| **t == *tzid) {
                self.tzids.push(Box::from(tzid));
            }
        }
        if let Some(zone) = calendar_zone
            && self.honour_x_wr_timezone
            && !self.calendar_zones.contains(zone)
        {
            self.calendar_zones.push(zone.clone());
        }
        true
    }

    /// True when leaving the events out changed nothing `expand` gives:
    /// each one's UID is its own in the file, and every zone they name
    /// resolves (an unknown one would be reported while expanding them).
    pub(crate) fn changed_nothing(&self, built: &[EventComponent], zones: &mut ZoneTable) -> bool {
        let left_out: HashSet<u64> = self.left_out.iter().copied().collect();
        if left_out.len() < self.left_out.len() {
            return false;
        }
        if built.iter().any(|e| left_out.contains(&uid_hash(&e.uid))) {
            return false;
        }
        let names = self.tzids.iter().map(|t| &**t);
        let names = names.chain(self.calendar_zones.iter().map(|z| &**z));
        names
            .into_iter()
            .all(|name| zones.resolve(name).0.is_some())
    }
}

impl Hull {
    /// `None` when a sum leaves chrono's range.
    fn of(start: &Time<'_>, end: Option<&Time<'_>>, duration: Option<Duration>) -> Option<Hull> {
        let mut first = start.wall;
        let mut last = start.wall.checked_add_signed(Duration::days(1))?;
        if let Some(e) = end {
            first = first.min(e.wall);
            last = last.max(e.wall);
        }
        if let Some(d) = duration {
            let shifted = start.wall.checked_add_signed(d)?;
            first = first.min(shifted);
            last = last.max(shifted);
        }
        Some(Hull { first, last })
    }
}

/// A `DTSTART` or `DTEND` line read as `build_event` reads it. The TZID
/// decides only the zone, not validity or the wall clock, so it is kept
/// as written and resolved only for the events left out.
fn time<'l>(p: &'l ContentLine<'_>) -> Option<Time<'l>> {
    let [value_param, tzid] = p.params_named(["VALUE", "TZID"]);
    let t = parse_time(&p.value, value_param.as_deref(), None)?;
    Some(Time {
        wall: t.naive(),
        is_date: t.is_date(),
        tzid: tzid.filter(|z| !z.trim().is_empty()),
    })
}

/// A bound as a wall clock: its own, or an instant's UTC time.
fn bound_wall(b: &Bound) -> NaiveDateTime {
    match b {
        Bound::Naive(n) => *n,
        Bound::Instant(i) => i.naive_utc(),
    }
}

/// A UID, hashed the same way on every run. Two UIDs with one hash only
/// make the check fail and the file be read in full.
fn uid_hash(uid: &str) -> u64 {
    BuildHasherDefault::<DefaultHasher>::default().hash_one(uid)
}
