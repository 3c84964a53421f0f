//! Reading a calendar for one window: the VEVENTs that cannot give an
//! occurrence inside it are counted but neither decoded nor built.
//!
//! A report reads a year of history for a window of a quarter, and most of
//! the cost of a VEVENT is decoding its lines (attendees above all) and
//! building it, only for [`crate::expand`] to drop it. When the parse meets
//! `BEGIN:VEVENT`, `WindowRead::leaves_out` reads the component's lines
//! ahead the cheap way [`crate::span`] does (split only the few that place
//! it in time) and, when the event is *provably* irrelevant, the parse goes
//! on after its `END:VEVENT`; otherwise the lexer goes back and the
//! component is read as always.
//!
//! The rule is deliberately narrow, so that leaving an event out cannot
//! change anything `expand` gives for the window: not its occurrences, not
//! a diagnostic, not a count. An event is left out only when
//!
//! - reading it would report nothing: each line a property and UTF-8
//!   (`lex::RawLine::is_property`, mostly without splitting the line), the
//!   nested components (`VALARM`) closed in order, none of them one the
//!   parse keeps (`VEVENT`, `VCALENDAR`, `VTIMEZONE`, `STANDARD`,
//!   `DAYLIGHT`), and its own `END:VEVENT` before the end of the file;
//! - building it would report nothing: a non-empty `UID`, every `DTSTART`,
//!   `DTEND`, `DURATION` and `RECURRENCE-ID` line valid (read by the
//!   functions [`crate::event::build_event`] uses), the end not before the
//!   start and written on the same clock (two values in different zones
//!   are compared by `expand`, which may report them), no `RRULE`, `RDATE`
//!   or `EXDATE` line at all (valid or not);
//! - expanding it would report nothing: every zone it names (its `TZID`s,
//!   the calendar's `X-WR-TIMEZONE`) resolves (checked after the parse,
//!   when the file's VTIMEZONEs are known);
//! - all of it lies [`MARGIN_DAYS`] days or more before the window's start
//!   or after its end, compared on wall clocks (see `Hull`);
//! - and, checked after the parse, nothing else in the file depends on it:
//!   - a one-off (no `RECURRENCE-ID`) has a UID no other VEVENT has: a
//!     duplicate could win or lose against it by `SEQUENCE`, an override
//!     could take its clock or its series flag;
//!   - an override (a `RECURRENCE-ID` without `RANGE`) belongs to a
//!     series whose masters are all built and recurring (no RDATE
//!     periods, which carry their own ends), that has no
//!     `THISANDFUTURE` override, whose first component in the file is
//!     built (the series keeps its place in the output), and in which no
//!     other override names the same instance (by the key `expand` matches
//!     with, `expand::override_keys`), nor the master's `EXDATE` (`expand`
//!     may then drop the override); and the instance it replaces, from
//!     its recurrence id to that plus the longest master and a day (a DATE
//!     recurrence id replaces a whole day), lies outside the window by the
//!     margin too: left out, that instance comes back, outside the window.
//!
//! The events a check after the parse fails for are read after all
//! (`WindowRead::settle`: from where they start in the file, as the parse
//! would have read them, put in their place among the others), so the
//! result never depends on which events were left out.

use crate::diag::Diagnostics;
use crate::event::{EventComponent, RDate, build_event, same_clock};
use crate::expand::{Bound, ExpandOptions, override_keys};
use crate::lex::{Checkpoint, ContentLine, Lexer};
use crate::parse::component_name;
use crate::value::{RawTime, parse_duration, parse_time};
use crate::zone::ZoneTable;
use chrono::{Duration, NaiveDateTime};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
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
    /// The events left out, in file order.
    left_out: Vec<LeftOut>,
    /// The distinct zone names the events left out name.
    zone_names: Vec<Box<str>>,
}

/// An event left out: what the checks after the parse need, and where to
/// read it after all.
#[derive(Debug)]
struct LeftOut {
    /// Its UID, hashed.
    uid: u64,
    /// Its `RECURRENCE-ID`, for an override.
    recurrence_id: Option<RawTime>,
    /// The zones it names (its TZIDs and, when honoured, the calendar's
    /// `X-WR-TIMEZONE`), as indexes into `zone_names`.
    zones: [Option<u16>; 4],
    /// How many events were built before it: its place among them.
    built_before: usize,
    /// Just after its `BEGIN:VEVENT` line, and that line's number.
    mark: Checkpoint,
    begin_line: u32,
    /// The calendar's `X-WR-TIMEZONE`, as the parse hands it to the event.
    calendar_zone: Option<Arc<str>>,
}

/// What [`WindowRead::rules_out`] notes of an event it leaves out.
struct Noted {
    uid: u64,
    recurrence_id: Option<RawTime>,
    zones: [Option<u16>; 4],
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

/// A `DTSTART`, `DTEND` or `RECURRENCE-ID` value as the rule needs it,
/// and its line (for the TZID, read only when the event is left out).
struct Time<L> {
    wall: NaiveDateTime,
    is_date: bool,
    line: L,
}

/// A time read from a content line.
type LineTime<'a> = Time<ContentLine<'a>>;

/// What a VEVENT's own lines said, each read as `build_event` reads it:
/// the last valid value of a property wins there.
#[derive(Default)]
struct EventLines<'a> {
    uid: Option<Cow<'a, str>>,
    start: Option<LineTime<'a>>,
    end: Option<LineTime<'a>>,
    duration: Option<Duration>,
    recurrence_id: Option<LineTime<'a>>,
}

/// The properties the read-ahead looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Begin,
    End,
    Uid,
    Dtstart,
    Dtend,
    Duration,
    RecurrenceId,
    /// `RRULE`, `RDATE`, `EXDATE`: the event is built.
    Recurrence,
}

impl Kind {
    /// The kind of a property name as written (names are case-insensitive).
    fn of(name: &[u8]) -> Option<Kind> {
        // Most names are ruled out by their first letter.
        let kinds: &[(&str, Kind)] = match name.first()?.to_ascii_uppercase() {
            b'B' => &[("BEGIN", Kind::Begin)],
            b'E' => &[("END", Kind::End), ("EXDATE", Kind::Recurrence)],
            b'U' => &[("UID", Kind::Uid)],
            b'D' => &[
                ("DTSTART", Kind::Dtstart),
                ("DTEND", Kind::Dtend),
                ("DURATION", Kind::Duration),
            ],
            b'R' => &[
                ("RRULE", Kind::Recurrence),
                ("RDATE", Kind::Recurrence),
                ("RECURRENCE-ID", Kind::RecurrenceId),
            ],
            _ => return None,
        };
        kinds
            .iter()
            .find(|(n, _)| name.eq_ignore_ascii_case(n.as_bytes()))
            .map(|&(_, k)| k)
    }
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
            zone_names: Vec::new(),
        }
    }

    /// Called just after a `BEGIN:VEVENT` line (`begin_line`), with the
    /// number of events built so far. When the event is left out, its lines
    /// up to and with its `END:VEVENT` are consumed and noted, and the
    /// answer is true; otherwise the lexer is put back where it was.
    pub(crate) fn leaves_out(
        &mut self,
        lexer: &mut Lexer<'_>,
        calendar_zone: &Option<Arc<str>>,
        built_before: usize,
        begin_line: u32,
    ) -> bool {
        let mark = lexer.checkpoint();
        let read = self.read_ahead(lexer);
        let Some(noted) = read.and_then(|event| self.rules_out(event, calendar_zone)) else {
            lexer.rewind(mark);
            return false;
        };
        self.left_out.push(LeftOut {
            uid: noted.uid,
            recurrence_id: noted.recurrence_id,
            zones: noted.zones,
            built_before,
            mark,
            begin_line,
            calendar_zone: calendar_zone.clone(),
        });
        true
    }

    /// The event's own lines, through its `END:VEVENT`; `None` as soon as
    /// it is clear that the event must be read as always.
    fn read_ahead<'a>(&self, lexer: &mut Lexer<'a>) -> Option<EventLines<'a>> {
        let mut event = EventLines::default();
        // Components open inside the event (alarms).
        let mut nested: Vec<Cow<'a, str>> = Vec::new();
        // The end of the file inside the event is reported by the parse.
        while let Some(raw) = lexer.next_raw() {
            // A line the lexer would report (not a property, or not
            // UTF-8) is left to the parse.
            if !raw.is_property() {
                return None;
            }
            let Some(kind) = raw.name().and_then(Kind::of) else {
                continue;
            };
            if !nested.is_empty() && !matches!(kind, Kind::Begin | Kind::End) {
                // A nested component's own DTSTART, UID, ...
                continue;
            }
            let (Some(line), false) = raw.content() else {
                return None;
            };
            match kind {
                Kind::Begin => {
                    let name = component_name(line.value);
                    let kept = matches!(
                        name.as_ref(),
                        "" | "VEVENT" | "VCALENDAR" | "VTIMEZONE" | "STANDARD" | "DAYLIGHT"
                    );
                    if kept {
                        return None;
                    }
                    nested.push(name);
                }
                Kind::End => {
                    // Only the innermost open component may end here; any
                    // other END is reported by the parse.
                    let name = line.value.trim();
                    match nested.last() {
                        Some(open) if open.eq_ignore_ascii_case(name) => {
                            nested.pop();
                        }
                        // A line too long to read is the parse's to report.
                        None if name.eq_ignore_ascii_case("VEVENT") => {
                            return (!lexer.skipped_long_lines()).then_some(event);
                        }
                        _ => return None,
                    }
                }
                Kind::Uid => event.uid = Some(line.value),
                Kind::Dtstart => {
                    let start = time(line)?;
                    if self.reaches(start.wall) {
                        return None;
                    }
                    event.start = Some(start);
                }
                Kind::Dtend => event.end = Some(time(line)?),
                Kind::Duration => event.duration = Some(parse_duration(&line.value)?.approx()),
                Kind::RecurrenceId => {
                    // A range changes other instances: always built.
                    if line.param("RANGE").is_some() {
                        return None;
                    }
                    let rid = time(line)?;
                    // The instance it replaces starts there.
                    if self.reaches(rid.wall) {
                        return None;
                    }
                    event.recurrence_id = Some(rid);
                }
                Kind::Recurrence => return None,
            }
        }
        None
    }

    /// True when an event starting at `start` cannot be left out, whatever
    /// its end: its hull holds `start` and the day after it.
    fn reaches(&self, start: NaiveDateTime) -> bool {
        let Some(day_after) = start.checked_add_signed(Duration::days(1)) else {
            return true;
        };
        self.ends_before.is_none_or(|limit| day_after > limit)
            && self.starts_after.is_none_or(|limit| start < limit)
    }

    /// True when `hull` lies outside the window by the margin.
    fn outside(&self, hull: Hull) -> bool {
        self.ends_before.is_some_and(|limit| hull.last <= limit)
            || self.starts_after.is_some_and(|limit| hull.first >= limit)
    }

    /// The index of a zone name, added when new; `None` when there are
    /// too many to index (the event is then read).
    fn zone_index(&mut self, name: &str) -> Option<u16> {
        if let Some(i) = self.zone_names.iter().position(|n| **n == *name) {
            return u16::try_from(i).ok();
        }
        let i = u16::try_from(self.zone_names.len()).ok()?;
        self.zone_names.push(Box::from(name));
        Some(i)
    }

    /// What is noted of the event read when it is left out; `None` when
    /// it must be read as always.
    fn rules_out(
        &mut self,
        event: EventLines<'_>,
        calendar_zone: &Option<Arc<str>>,
    ) -> Option<Noted> {
        let uid = event.uid.as_deref().map(str::trim).unwrap_or_default();
        // An empty UID is reported by `build_event` (a synthetic one is
        // used), and so is an end before the start.
        let start = event.start.as_ref().filter(|_| !uid.is_empty())?;
        let end = event.end.as_ref();
        if end.is_some_and(|e| e.wall < start.wall && e.is_date == start.is_date) {
            return None;
        }
        if !Hull::of(start, end, event.duration).is_some_and(|hull| self.outside(hull)) {
            return None;
        }
        // A start and an end on different clocks are compared by `expand`,
        // which may report them.
        if let Some(end) = end
            && !same_clock(&with_zone(start)?, &with_zone(end)?)
        {
            return None;
        }
        // A recurrence id is read again with its TZID, for the key `expand`
        // matches it by.
        let recurrence_id = match &event.recurrence_id {
            None => None,
            Some(rid) => Some(with_zone(rid)?),
        };
        let mut zones = [None; 4];
        let times = [Some(start), end, event.recurrence_id.as_ref()];
        for (slot, t) in zones.iter_mut().zip(times) {
            let Some(t) = t else { continue };
            let [tzid] = t.line.params_named(["TZID"]);
            // Trimmed, as `parse_time` keeps it.
            if let Some(tzid) = tzid.as_deref().map(str::trim).filter(|z| !z.is_empty()) {
                *slot = Some(self.zone_index(tzid)?);
            }
        }
        if let Some(zone) = calendar_zone
            .as_deref()
            .filter(|_| self.honour_x_wr_timezone)
        {
            zones[3] = Some(self.zone_index(zone)?);
        }
        Some(Noted {
            uid: uid_hash(uid),
            recurrence_id,
            zones,
        })
    }

    /// Finishes the read once the parse is done: reads after all, and puts
    /// in their place in `events`, the events left out that a check needing
    /// the whole file fails for. Returns how many one-offs and how many
    /// overrides stay left out.
    pub(crate) fn settle(
        self,
        bytes: &[u8],
        events: &mut Vec<EventComponent>,
        zones: &mut ZoneTable,
        diags: &mut Diagnostics,
    ) -> (usize, usize) {
        if self.left_out.is_empty() {
            return (0, 0);
        }
        let read_after_all = self.to_read(events, zones);
        let mut lexer = Lexer::for_few_lines(bytes);
        let mut merged = Vec::with_capacity(events.len() + read_after_all.len());
        let mut built = std::mem::take(events).into_iter();
        let mut placed = 0;
        let (mut one_offs, mut overrides) = (0, 0);
        for (e, read) in self.left_out.iter().zip(read_after_all) {
            if !read {
                match e.recurrence_id {
                    None => one_offs += 1,
                    Some(_) => overrides += 1,
                }
                continue;
            }
            merged.extend(built.by_ref().take(e.built_before - placed));
            placed = e.built_before;
            lexer.rewind(e.mark);
            merged.extend(read_event(&mut lexer, e, diags));
        }
        merged.extend(built);
        *events = merged;
        (one_offs, overrides)
    }

    /// Which events left out must be read after all: the checks of the
    /// module documentation that need the whole file.
    fn to_read(&self, built: &[EventComponent], zones: &mut ZoneTable) -> Vec<bool> {
        let known: Vec<bool> = self
            .zone_names
            .iter()
            .map(|name| zones.resolve(name).0.is_some())
            .collect();
        // Series (by UID) whose events left out are all read.
        let mut read_series: HashSet<u64> = HashSet::new();
        // How many events left out have each UID.
        let mut left_out: HashMap<u64, usize> = HashMap::new();
        for e in &self.left_out {
            *left_out.entry(e.uid).or_default() += 1;
        }
        // A one-off's UID is its own among the events left out...
        for e in &self.left_out {
            if e.recurrence_id.is_none() && left_out[&e.uid] > 1 {
                read_series.insert(e.uid);
            }
        }
        // ...and among the events built. The built events of each series
        // with an override left out.
        let mut series: HashMap<u64, Series<'_>> = HashMap::new();
        for e in &self.left_out {
            if e.recurrence_id.is_some() {
                series.entry(e.uid).or_default().left_out.push(e);
            }
        }
        for (index, e) in built.iter().enumerate() {
            let uid = uid_hash(&e.uid);
            if let Some(s) = series.get_mut(&uid) {
                s.first.get_or_insert(index);
                match e.recurrence_id {
                    None => s.masters.push(e),
                    Some(_) => s.overrides.push(e),
                }
            } else if left_out.contains_key(&uid) {
                read_series.insert(uid);
            }
        }
        for (uid, s) in &series {
            if !self.series_unchanged(s, zones) {
                read_series.insert(*uid);
            }
        }
        self.left_out
            .iter()
            .map(|e| {
                read_series.contains(&e.uid)
                    || e.zones.iter().flatten().any(|&z| !known[usize::from(z)])
            })
            .collect()
    }

    /// True when leaving out the overrides of a series changes nothing
    /// `expand` gives for it.
    fn series_unchanged(&self, s: &Series<'_>, zones: &mut ZoneTable) -> bool {
        // The series keeps its place: its first component is built.
        let Some(first) = s.first else {
            return false;
        };
        if s.left_out.iter().any(|o| o.built_before <= first) {
            return false;
        }
        let plain_master = |m: &&EventComponent| {
            m.is_recurring() && !m.rdates.iter().any(|r| matches!(r, RDate::Period(..)))
        };
        if s.masters.is_empty() || !s.masters.iter().all(plain_master) {
            return false;
        }
        if s.overrides.iter().any(|o| o.this_and_future) {
            return false;
        }
        // The instance each replaces comes back, outside the window.
        let lengths: Option<Vec<Duration>> = s.masters.iter().map(|m| master_length(m)).collect();
        let Some(longest) = lengths.and_then(|l| l.into_iter().max()) else {
            return false;
        };
        let back_outside = |rid: &RawTime| {
            let first = rid.naive();
            let last = first
                .checked_add_signed(longest)
                .and_then(|t| t.checked_add_signed(Duration::days(1)));
            last.is_some_and(|last| self.outside(Hull { first, last }))
        };
        let left_rids = s.left_out.iter().filter_map(|o| o.recurrence_id.as_ref());
        let left_rids: Vec<&RawTime> = left_rids.collect();
        if !left_rids.iter().all(|rid| back_outside(rid)) {
            return false;
        }
        // No other override names the same instance.
        let mut rids: Vec<&RawTime> = s
            .overrides
            .iter()
            .filter_map(|o| o.recurrence_id.as_ref())
            .collect();
        let built_overrides = rids.len();
        rids.extend(left_rids);
        let keys = override_keys(&s.masters, &rids, zones, self.honour_x_wr_timezone);
        let mut count: HashMap<_, usize> = HashMap::new();
        for k in &keys {
            *count.entry(k.key).or_default() += 1;
        }
        // And the master does not exclude it: `expand` may then drop it.
        keys.len() == rids.len()
            && keys[built_overrides..]
                .iter()
                .all(|k| count[&k.key] == 1 && !k.excluded)
    }
}

/// A series with an override left out: those left out, and the events of
/// it that were built.
#[derive(Default)]
struct Series<'e> {
    left_out: Vec<&'e LeftOut>,
    /// Index of its first built event.
    first: Option<usize>,
    masters: Vec<&'e EventComponent>,
    overrides: Vec<&'e EventComponent>,
}

/// Reads an event left out after all, as the parse would have: its own
/// lines (not those of its alarms) up to its `END:VEVENT`, then
/// `build_event`. Its lines were found to be properties in order, so the
/// lexer and the build report nothing.
fn read_event(
    lexer: &mut Lexer<'_>,
    e: &LeftOut,
    diags: &mut Diagnostics,
) -> Option<EventComponent> {
    let mut props = Vec::new();
    let mut nested = 0usize;
    while let Some(line) = lexer.next_line(diags) {
        match line.name.as_ref() {
            "BEGIN" => nested += 1,
            "END" if nested == 0 => break,
            "END" => nested -= 1,
            _ if nested == 0 => props.push(line),
            _ => {}
        }
    }
    build_event(&props, e.begin_line, e.calendar_zone.clone(), diags)
}

/// How long a master's instances may last, from its values as written (as
/// [`Hull`] reckons), at least a day; `None` out of chrono's range.
fn master_length(m: &EventComponent) -> Option<Duration> {
    let start = Time {
        wall: m.dtstart.naive(),
        is_date: m.dtstart.is_date(),
        line: (),
    };
    let end = m.dtend.as_ref().map(|e| Time {
        wall: e.naive(),
        is_date: e.is_date(),
        line: (),
    });
    let hull = Hull::of(&start, end.as_ref(), m.duration.map(|d| d.approx()))?;
    Some(hull.last - start.wall)
}

impl Hull {
    /// `None` when a sum leaves chrono's range.
    fn of<L>(start: &Time<L>, end: Option<&Time<L>>, duration: Option<Duration>) -> Option<Hull> {
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

/// A `DTSTART` or `DTEND` line read as `build_event` reads it; `None` when
/// it is not valid (which `build_event` reports). The TZID decides only the
/// zone, not validity or the wall clock, so it is left for later.
fn time(line: ContentLine<'_>) -> Option<LineTime<'_>> {
    let t = {
        let [value_param] = line.params_named(["VALUE"]);
        parse_time(&line.value, value_param.as_deref(), None)?
    };
    Some(Time {
        wall: t.naive(),
        is_date: t.is_date(),
        line,
    })
}

/// A time read again with its TZID, as `build_event` reads it.
fn with_zone(t: &LineTime<'_>) -> Option<RawTime> {
    let [value_param, tzid] = t.line.params_named(["VALUE", "TZID"]);
    parse_time(&t.line.value, value_param.as_deref(), tzid.as_deref())
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
