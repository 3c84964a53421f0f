//! Expansion of parsed events into occurrences inside a window.
//!
//! Components are grouped by UID. Among duplicates of one component (same
//! UID and RECURRENCE-ID) the highest SEQUENCE wins, then the latest
//! DTSTAMP, then the later one in the file. The master is expanded on its
//! own wall clock (RFC 5545 defines recurrence in local time), only over the
//! requested window widened by the event's length, so an infinite series
//! costs what its window holds. Instances are then matched with overrides by
//! instant (RECURRENCE-ID may be written in another zone than DTSTART),
//! overrides the master took back (an EXDATE for a moved instance, a stale
//! copy of the series past its new UNTIL) are dropped,
//! `RANGE=THISANDFUTURE` shifts the instances after it, and cancelled ones
//! are dropped unless asked for.

use crate::diag::Diagnostics;
use crate::event::{END_BEFORE_START, EventComponent, PeriodEnd, RDate};
use crate::parse::ParsedFile;
use crate::rrule::{self, Until};
use crate::value::{IcalDuration, RawTime};
use crate::zone::{LocalMapping, Resolution, Zone, ZoneTable};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use fulcrum_model::fxhash::{FxHashMap, FxHashSet};
use fulcrum_model::{CalTime, EventDetails, EventStatus, Occurrence, SeriesInfo};
use std::sync::Arc;

/// How the problem of a series cut at
/// [`ExpandOptions::max_instances_per_series`] starts (see
/// [`crate::Calendar::capped_series`]).
pub(crate) const CAPPED: &str = "the recurring series has more than";

/// One end of a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// A wall-clock time, read in each event's own zone.
    Naive(NaiveDateTime),
    /// An instant.
    Instant(DateTime<FixedOffset>),
}

impl Bound {
    /// Midnight at the start of a date.
    pub fn date(d: NaiveDate) -> Self {
        Bound::Naive(d.and_time(chrono::NaiveTime::MIN))
    }
}

/// What to expand and how.
#[derive(Debug, Clone)]
pub struct ExpandOptions {
    /// Occurrences must end after this...
    pub from: Bound,
    /// ...and start before this.
    pub to: Bound,
    /// Read floating times and UTC times on the calendar's `X-WR-TIMEZONE`,
    /// as Google Calendar means it.
    pub honour_x_wr_timezone: bool,
    /// Keep cancelled instances.
    pub include_cancelled: bool,
    /// At most this many instances of one series in the window; a bound on
    /// memory for rules such as `FREQ=SECONDLY`.
    pub max_instances_per_series: usize,
}

impl ExpandOptions {
    /// Options for a window with the defaults: X-WR-TIMEZONE honoured,
    /// cancelled instances left out, 100 000 instances per series at most.
    pub fn window(from: Bound, to: Bound) -> Self {
        ExpandOptions {
            from,
            to,
            honour_x_wr_timezone: true,
            include_cancelled: false,
            max_instances_per_series: 100_000,
        }
    }

    /// True when an occurrence from `start` to `end` is in the window, by
    /// the rule [`crate::expand`] keeps occurrences with: it starts before
    /// `to` and ends after `from`; a zero-length one when `from <= start <
    /// to`. For occurrences kept elsewhere (the store) and filtered later.
    pub fn keeps(&self, start: &CalTime, end: &CalTime) -> bool {
        in_window(start, end, self)
    }
}

/// Counts of an expansion, for reporting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpandStats {
    /// Distinct UIDs.
    pub uids: usize,
    /// Components dropped because a duplicate had a higher SEQUENCE.
    pub duplicates_dropped: usize,
    /// Overrides applied (one instance or this-and-future).
    pub overrides: usize,
    /// Occurrences left out because they were cancelled.
    pub cancelled: usize,
}

/// The clock a series is expanded on.
#[derive(Debug, Clone)]
enum Clock {
    Date,
    Floating,
    Zoned(Zone),
}

impl Clock {
    /// The comparison key of a wall time: the instant for zoned clocks, the
    /// wall time itself otherwise.
    fn key(&self, wall: NaiveDateTime) -> NaiveDateTime {
        match self {
            Clock::Zoned(z) => z.from_local(wall).rfc5545(),
            _ => wall,
        }
    }

    fn cal_time(&self, wall: NaiveDateTime) -> CalTime {
        match self {
            Clock::Date => CalTime::Date(wall.date()),
            Clock::Floating => CalTime::Floating(wall),
            Clock::Zoned(z) => {
                let utc = z.from_local(wall).rfc5545();
                CalTime::zoned(Utc.from_utc_datetime(&utc), z.offset_at(utc))
            }
        }
    }

    fn cal_time_from_key(&self, key: NaiveDateTime) -> CalTime {
        match self {
            Clock::Zoned(z) => CalTime::zoned(Utc.from_utc_datetime(&key), z.offset_at(key)),
            other => other.cal_time(key),
        }
    }
}

/// How long each instance lasts.
#[derive(Debug, Clone, Copy)]
enum Length {
    /// Whole days on the calendar (all-day events).
    Days(i64),
    /// An exact duration (DTEND given).
    Exact(Duration),
    /// Nominal days then exact seconds (DURATION given).
    Nominal(IcalDuration),
}

impl Length {
    fn approx(&self) -> Duration {
        match *self {
            Length::Days(d) => Duration::days(d),
            Length::Exact(d) => d,
            Length::Nominal(n) => n.approx(),
        }
    }
}

/// Resolves times of one file: zones, X-WR-TIMEZONE and unknown TZIDs.
struct Resolver<'a> {
    zones: &'a mut ZoneTable,
    honour_x_wr: bool,
    reported: FxHashSet<Arc<str>>,
}

impl Resolver<'_> {
    fn calendar_zone(&mut self, ev: &EventComponent, diags: &mut Diagnostics) -> Option<Zone> {
        if !self.honour_x_wr {
            return None;
        }
        let name = ev.calendar_zone.as_ref()?;
        let (zone, _) = self.zones.resolve(name);
        if zone.is_none() && self.reported.insert(name.clone()) {
            diags.warn(
                None,
                format!("X-WR-TIMEZONE `{name}` is not a known time zone; ignored"),
                Some("use an IANA zone name such as Europe/Berlin"),
            );
        }
        zone
    }

    /// The clock and wall time of a value.
    fn place(
        &mut self,
        t: &RawTime,
        xwr: Option<&Zone>,
        line: Option<u32>,
        diags: &mut Diagnostics,
    ) -> (Clock, NaiveDateTime) {
        match t {
            RawTime::Date(d) => (Clock::Date, d.and_time(chrono::NaiveTime::MIN)),
            RawTime::Floating(w) => match xwr {
                Some(z) => (Clock::Zoned(z.clone()), *w),
                None => (Clock::Floating, *w),
            },
            RawTime::Utc(u) => match xwr {
                Some(z) => (Clock::Zoned(z.clone()), z.to_local(*u)),
                None => (Clock::Zoned(Zone::Utc), *u),
            },
            RawTime::Local { tzid, time } => {
                let (zone, how) = self.zones.resolve(tzid);
                match zone {
                    Some(z) => (Clock::Zoned(z), *time),
                    None => {
                        if how == Resolution::Unknown && self.reported.insert(tzid.clone()) {
                            diags.warn(
                                line,
                                format!(
                                    "time zone `{tzid}` is neither an IANA, Windows or Outlook name nor defined by a VTIMEZONE in this file; its times are read as floating"
                                ),
                                Some("floating times are read on the calendar's X-WR-TIMEZONE if any, else on the reader's own clock; add the VTIMEZONE or export with IANA names"),
                            );
                        }
                        match xwr {
                            Some(z) => (Clock::Zoned(z.clone()), *time),
                            None => (Clock::Floating, *time),
                        }
                    }
                }
            }
        }
    }

    /// A value as a wall time on `clock` (converting between zones by instant).
    fn wall_on(
        &mut self,
        t: &RawTime,
        clock: &Clock,
        xwr: Option<&Zone>,
        diags: &mut Diagnostics,
    ) -> NaiveDateTime {
        let (own, wall) = self.place(t, xwr, None, diags);
        match (&own, clock) {
            (Clock::Zoned(from), Clock::Zoned(to)) => to.to_local(from.from_local(wall).rfc5545()),
            _ => wall,
        }
    }
}

/// Expands every event of a parsed file.
pub fn expand_file(
    parsed: &ParsedFile,
    zones: &mut ZoneTable,
    opts: &ExpandOptions,
    diags: &mut Diagnostics,
    stats: &mut ExpandStats,
) -> Vec<Occurrence> {
    let mut by_uid: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut order: Vec<&str> = Vec::new();
    for (i, ev) in parsed.events.iter().enumerate() {
        by_uid
            .entry(&ev.uid)
            .or_insert_with(|| {
                order.push(&ev.uid);
                Vec::new()
            })
            .push(i);
    }
    stats.uids += order.len();
    let mut resolver = Resolver {
        zones,
        honour_x_wr: opts.honour_x_wr_timezone,
        reported: FxHashSet::default(),
    };
    let mut out = Vec::new();
    for uid in order {
        let members: Vec<&EventComponent> =
            by_uid[uid].iter().map(|&i| &parsed.events[i]).collect();
        expand_uid(&members, &mut resolver, opts, diags, stats, &mut out);
    }
    out
}

/// The winner among duplicates: highest SEQUENCE, then latest DTSTAMP,
/// then the later component.
fn better<'a>(a: &'a EventComponent, b: &'a EventComponent) -> &'a EventComponent {
    let ka = (a.sequence(), a.details.dtstamp);
    let kb = (b.sequence(), b.details.dtstamp);
    if kb >= ka { b } else { a }
}

/// Where a recurrence id falls on its series' clock: the wall time, the
/// key instances and overrides are matched by, and for a DATE recurrence id
/// against a date-time series the date (all instances of that day).
fn override_place(
    rid: &RawTime,
    clock: &Clock,
    res: &mut Resolver<'_>,
    xwr: Option<&Zone>,
    diags: &mut Diagnostics,
) -> (NaiveDateTime, NaiveDateTime, Option<NaiveDate>) {
    let wall = res.wall_on(rid, clock, xwr, diags);
    let key = clock.key(wall);
    let date_only = (rid.is_date() && !matches!(clock, Clock::Date)).then(|| wall.date());
    (wall, key, date_only)
}

/// Where [`expand_file`] places an override on its series.
pub(crate) struct OverrideKey {
    /// What it is matched by (`key`, `date_only`).
    pub(crate) key: (NaiveDateTime, Option<NaiveDate>),
    /// The master's EXDATE names its instance (it is then dropped unless
    /// newer than the master, see [`superseded`]).
    pub(crate) excluded: bool,
}

/// How [`expand_file`] places the recurrence ids `rids` of a series whose
/// masters (no recurrence id) are `masters` in file order: on the clock of
/// the master it picks. For [`crate::window`], which must know which
/// overrides share an instance and which the master may drop.
/// Nothing is reported: expanding the series reports the same problems.
pub(crate) fn override_keys(
    masters: &[&EventComponent],
    rids: &[&RawTime],
    zones: &mut ZoneTable,
    honour_x_wr_timezone: bool,
) -> Vec<OverrideKey> {
    let Some(master) = masters.iter().copied().reduce(better) else {
        return Vec::new();
    };
    let mut unreported = Diagnostics::new(Arc::from(""));
    let mut res = Resolver {
        zones,
        honour_x_wr: honour_x_wr_timezone,
        reported: FxHashSet::default(),
    };
    // As `expand_uid` sets up a series with a master.
    let xwr = res.calendar_zone(master, &mut unreported);
    let (clock, _) = res.place(&master.dtstart, xwr.as_ref(), None, &mut unreported);
    let exdates = exclusions(master, &clock, &mut res, xwr.as_ref(), &mut unreported);
    rids.iter()
        .map(|rid| {
            let (wall, key, date_only) =
                override_place(rid, &clock, &mut res, xwr.as_ref(), &mut unreported);
            OverrideKey {
                key: (key, date_only),
                excluded: exdates.names(key, wall, date_only),
            }
        })
        .collect()
}

struct Override<'a> {
    comp: &'a EventComponent,
    key: NaiveDateTime,
    /// The recurrence id on the series' wall clock.
    wall: NaiveDateTime,
    /// For a DATE recurrence id against a date-time series: the date.
    date_only: Option<NaiveDate>,
    details: Arc<EventDetails>,
}

fn expand_uid(
    members: &[&EventComponent],
    res: &mut Resolver<'_>,
    opts: &ExpandOptions,
    diags: &mut Diagnostics,
    stats: &mut ExpandStats,
    out: &mut Vec<Occurrence>,
) {
    let uid: Arc<str> = members[0].uid.clone();
    // Pick winners among duplicates.
    let mut master: Option<&EventComponent> = None;
    let mut overrides_raw: Vec<&EventComponent> = Vec::new();
    for &m in members {
        if m.recurrence_id.is_none() {
            master = Some(match master {
                None => m,
                Some(prev) => {
                    stats.duplicates_dropped += 1;
                    better(prev, m)
                }
            });
        } else {
            overrides_raw.push(m);
        }
    }

    let xwr = master
        .or(overrides_raw.first().copied())
        .and_then(|e| res.calendar_zone(e, diags));
    let xwr = xwr.as_ref();
    let line_of = |e: &EventComponent| e.details.source.as_ref().map(|s| s.line);

    // The series clock: the master's DTSTART, else the first override's.
    let (clock, master_wall) = match master.or(overrides_raw.first().copied()) {
        Some(e) => {
            let t = if master.is_some() {
                &e.dtstart
            } else {
                e.recurrence_id.as_ref().unwrap_or(&e.dtstart)
            };
            res.place(t, xwr, line_of(e), diags)
        }
        None => return,
    };

    let series = SeriesInfo {
        in_series: master.is_none_or(|m| m.is_recurring()) || !overrides_raw.is_empty(),
        series_ends: master
            .is_some_and(|m| m.rrules.iter().all(|r| r.is_finite()) && (m.is_recurring())),
    };

    // Overrides keyed by their recurrence id on the series clock.
    let mut overrides: Vec<Override<'_>> = Vec::new();
    for o in overrides_raw {
        let Some(rid) = o.recurrence_id.as_ref() else {
            continue;
        };
        let (wall, key, date_only) = override_place(rid, &clock, res, xwr, diags);
        let details = with_series(&o.details, series);
        if let Some(existing) = overrides
            .iter_mut()
            .find(|x| x.key == key && x.date_only == date_only)
        {
            stats.duplicates_dropped += 1;
            if std::ptr::eq(better(existing.comp, o), o) {
                *existing = Override {
                    comp: o,
                    key,
                    wall,
                    date_only,
                    details,
                };
            }
        } else {
            overrides.push(Override {
                comp: o,
                key,
                wall,
                date_only,
                details,
            });
        }
    }

    // The instances the master's EXDATEs remove, and the overrides it
    // took back.
    let exdates = match master {
        Some(m) => {
            let exdates = exclusions(m, &clock, res, xwr, diags);
            overrides.retain(|o| !superseded(m, o, &exdates, &clock));
            exdates
        }
        None => Exclusions::default(),
    };

    // Instances of the master.
    if let Some(m) = master {
        let details = with_series(&m.details, series);
        let length = length_of(m, &clock, res, xwr, diags, true);
        let walls = instance_walls(
            m,
            &clock,
            master_wall,
            length,
            res,
            xwr,
            opts,
            &overrides,
            diags,
        );
        // This-and-future overrides, sorted by key.
        let mut futures: Vec<&Override<'_>> = overrides
            .iter()
            .filter(|o| o.comp.this_and_future)
            .collect();
        futures.sort_by_key(|o| o.key);
        let future_shift: Vec<(NaiveDateTime, Duration, Length, Arc<EventDetails>)> = futures
            .iter()
            .map(|o| {
                // The shift is taken on the series' wall clock: a meeting
                // moved from 11:30 to 12:30 stays at 12:30 local after a DST
                // change, as the person who moved it meant.
                let (oc, _) = res.place(&o.comp.dtstart, xwr, line_of(o.comp), diags);
                let delta = res.wall_on(&o.comp.dtstart, &clock, xwr, diags) - o.wall;
                let len = length_of(o.comp, &oc, res, xwr, diags, false);
                (o.key, delta, len, o.details.clone())
            })
            .collect();

        let overridden_keys: FxHashSet<NaiveDateTime> = overrides
            .iter()
            .filter(|o| o.date_only.is_none())
            .map(|o| o.key)
            .collect();
        let overridden_dates: FxHashSet<NaiveDate> =
            overrides.iter().filter_map(|o| o.date_only).collect();
        for (wall, own_end) in walls {
            let key = clock.key(wall);
            if exdates.names(key, wall, None) {
                continue;
            }
            if overridden_keys.contains(&key) || overridden_dates.contains(&wall.date()) {
                continue;
            }
            let rid = m.is_recurring().then(|| clock.cal_time(wall));
            let applicable = future_shift.iter().rev().find(|f| f.0 <= key);
            let (start, end, det) = match applicable {
                Some((_, delta, len, det)) => {
                    let start = clock.cal_time(wall + *delta);
                    (start, end_of(&clock, start, *len), det.clone())
                }
                None => {
                    let start = clock.cal_time(wall);
                    let end = match own_end {
                        Some(e) => e,
                        None => end_of(&clock, start, length),
                    };
                    (start, end, details.clone())
                }
            };
            push(out, &uid, rid, start, end, det, opts, stats);
        }
    }

    // The overrides themselves.
    for o in &overrides {
        stats.overrides += 1;
        let (oc, ow) = res.place(&o.comp.dtstart, xwr, line_of(o.comp), diags);
        let start = oc.cal_time(ow);
        let len = length_of(o.comp, &oc, res, xwr, diags, true);
        let end = end_of(&oc, start, len);
        let rid = Some(match o.date_only {
            Some(d) => CalTime::Date(d),
            None => clock.cal_time_from_key(o.key),
        });
        push(out, &uid, rid, start, end, o.details.clone(), opts, stats);
    }
}

/// A component's details with the series facts of its UID: shared as they
/// are when those facts are already the details' own (a one-off without
/// overrides), copied otherwise.
fn with_series(details: &Arc<EventDetails>, series: SeriesInfo) -> Arc<EventDetails> {
    if details.series == series {
        Arc::clone(details)
    } else {
        Arc::new(EventDetails {
            series,
            ..(**details).clone()
        })
    }
}

/// True when the master took the override `o` back after it was written:
///
/// - the master's EXDATE names its instance and the master is not older
///   than the override (SEQUENCE): deleting a moved meeting adds an EXDATE
///   to the master, and RFC 5545 3.8.5.1 takes the instance out of the
///   recurrence set, so the override replaces nothing. A newer override
///   put the instance back and stays. A this-and-future override is not
///   taken back this way: the EXDATE removes one instance only;
/// - it carries its own copy of the RRULE, is older than the master, and
///   its instance lies past the master's UNTIL: a leftover of the series
///   before it was cut short. Orphans without an RRULE of their own stay,
///   as one-offs of the series.
fn superseded(m: &EventComponent, o: &Override<'_>, exdates: &Exclusions, clock: &Clock) -> bool {
    let excluded = !o.comp.this_and_future
        && m.sequence() >= o.comp.sequence()
        && exdates.names(o.key, o.wall, o.date_only);
    let past_until = !o.comp.rrules.is_empty()
        && o.comp.sequence() < m.sequence()
        && !m.rrules.is_empty()
        && m.rrules.iter().all(|r| {
            r.until
                .as_ref()
                .is_some_and(|u| o.wall > until_wall(u, clock))
        });
    excluded || past_until
}

#[allow(clippy::too_many_arguments)]
fn push(
    out: &mut Vec<Occurrence>,
    uid: &Arc<str>,
    recurrence_id: Option<CalTime>,
    start: CalTime,
    end: CalTime,
    details: Arc<EventDetails>,
    opts: &ExpandOptions,
    stats: &mut ExpandStats,
) {
    if !in_window(&start, &end, opts) {
        return;
    }
    if details.status == EventStatus::Cancelled && !opts.include_cancelled {
        stats.cancelled += 1;
        return;
    }
    out.push(Occurrence {
        uid: uid.clone(),
        recurrence_id,
        start,
        end,
        details,
    });
}

/// `start < to` and `end > from`; a zero-length occurrence when
/// `from <= start < to`.
fn in_window(start: &CalTime, end: &CalTime, opts: &ExpandOptions) -> bool {
    let from = bound_key(start, &opts.from);
    let to = bound_key(start, &opts.to);
    let (s, e) = (occ_key(start), occ_key(end));
    if s == e {
        from <= s && s < to
    } else {
        s < to && e > from
    }
}

fn occ_key(t: &CalTime) -> NaiveDateTime {
    match *t {
        CalTime::Zoned { utc, .. } => utc.naive_utc(),
        _ => t.naive_local(),
    }
}

/// A bound in the key space of `t`: an instant for zoned values (a naive
/// bound read on the value's own offset), a wall time otherwise.
fn bound_key(t: &CalTime, b: &Bound) -> NaiveDateTime {
    match (t, b) {
        // Saturating: a bound at the edge of the representable times (a
        // window "from the beginning") read on an offset east of UTC.
        (CalTime::Zoned { offset, .. }, Bound::Naive(n)) => {
            minus(*n, Duration::seconds(i64::from(offset.local_minus_utc())))
        }
        (CalTime::Zoned { .. }, Bound::Instant(i)) => i.naive_utc(),
        (_, Bound::Naive(n)) => *n,
        (_, Bound::Instant(i)) => i.naive_local(),
    }
}

/// `t - d`, or the earliest or latest time when that is not representable.
fn minus(t: NaiveDateTime, d: Duration) -> NaiveDateTime {
    t.checked_sub_signed(d).unwrap_or(if d > Duration::zero() {
        NaiveDateTime::MIN
    } else {
        NaiveDateTime::MAX
    })
}

/// `t + d`, saturating as [`minus`] does.
fn plus(t: NaiveDateTime, d: Duration) -> NaiveDateTime {
    minus(t, -d)
}

fn end_of(clock: &Clock, start: CalTime, len: Length) -> CalTime {
    match (clock, len) {
        (Clock::Date, Length::Days(d)) => {
            CalTime::Date(start.naive_local().date() + Duration::days(d))
        }
        // A date with a duration that has a time part (`PT1H`): the end
        // keeps that time, on the wall clock the date is read on.
        (Clock::Date, Length::Nominal(n)) if n.seconds != 0 => {
            CalTime::Floating(start.naive_local() + n.approx())
        }
        (Clock::Date, other) => CalTime::Date((start.naive_local() + other.approx()).date()),
        (Clock::Floating, l) => CalTime::Floating(start.naive_local() + l.approx()),
        (Clock::Zoned(z), Length::Exact(d)) => {
            let CalTime::Zoned { utc, .. } = start else {
                return start;
            };
            let e = utc.naive_utc() + d;
            CalTime::zoned(Utc.from_utc_datetime(&e), z.offset_at(e))
        }
        (Clock::Zoned(z), Length::Days(d)) => clock_add(z, start, d, 0),
        (Clock::Zoned(z), Length::Nominal(n)) => clock_add(z, start, n.days, n.seconds),
    }
}

/// Adds nominal days on the wall clock, then exact seconds.
fn clock_add(z: &Zone, start: CalTime, days: i64, seconds: i64) -> CalTime {
    let wall = start.naive_local() + Duration::days(days);
    let e = z.from_local(wall).rfc5545() + Duration::seconds(seconds);
    CalTime::zoned(Utc.from_utc_datetime(&e), z.offset_at(e))
}

/// How long `e` lasts. Its DTEND and DTSTART are compared as instants when
/// both are zoned (they may be in different zones: a flight); an end
/// before the start found only here (`build_event` compares values on one
/// clock) is reported when `report`.
fn length_of(
    e: &EventComponent,
    clock: &Clock,
    res: &mut Resolver<'_>,
    xwr: Option<&Zone>,
    diags: &mut Diagnostics,
    report: bool,
) -> Length {
    if let Some(end) = &e.dtend {
        let (sc, sw) = res.place(&e.dtstart, xwr, None, diags);
        if e.dtstart.is_date() {
            let days = (end.naive().date() - sw.date()).num_days();
            return Length::Days(days.max(0));
        }
        let (ec, ew) = res.place(end, xwr, None, diags);
        let d = match (&sc, &ec) {
            (Clock::Zoned(_), Clock::Zoned(_)) => ec.key(ew) - sc.key(sw),
            _ => ew - sw,
        };
        if report && d < Duration::zero() {
            let line = e.details.source.as_ref().map(|s| s.line);
            diags.warn(line, END_BEFORE_START, None);
        }
        return Length::Exact(d.max(Duration::zero()));
    }
    if let Some(d) = e.duration {
        if d.days < 0 || d.seconds < 0 {
            return Length::Exact(Duration::zero());
        }
        return if matches!(clock, Clock::Date) && d.seconds == 0 {
            Length::Days(d.days)
        } else {
            Length::Nominal(d)
        };
    }
    // RFC 5545 3.6.1: a date lasts one day, a date-time is an instant.
    if matches!(clock, Clock::Date) {
        Length::Days(1)
    } else {
        Length::Exact(Duration::zero())
    }
}

#[derive(Default)]
struct Exclusions {
    keys: FxHashSet<NaiveDateTime>,
    dates: FxHashSet<NaiveDate>,
}

impl Exclusions {
    /// True when an EXDATE removes the instance at `wall` (matched by its
    /// `key`), or for a DATE recurrence id against a date-time series
    /// (`date_only`), the instances of that day.
    fn names(&self, key: NaiveDateTime, wall: NaiveDateTime, date_only: Option<NaiveDate>) -> bool {
        match date_only {
            Some(d) => self.dates.contains(&d),
            None => self.keys.contains(&key) || self.dates.contains(&wall.date()),
        }
    }
}

fn exclusions(
    m: &EventComponent,
    clock: &Clock,
    res: &mut Resolver<'_>,
    xwr: Option<&Zone>,
    diags: &mut Diagnostics,
) -> Exclusions {
    let mut ex = Exclusions {
        keys: FxHashSet::default(),
        dates: FxHashSet::default(),
    };
    for x in &m.exdates {
        match (x, clock) {
            // A DATE EXDATE against a date-time series removes that day.
            (RawTime::Date(d), Clock::Floating | Clock::Zoned(_)) => {
                ex.dates.insert(*d);
            }
            _ => {
                let wall = res.wall_on(x, clock, xwr, diags);
                ex.keys.insert(clock.key(wall));
            }
        }
    }
    ex
}

/// The wall times of the master's instances that may touch the window, with
/// an explicit end for RDATE periods.
#[allow(clippy::too_many_arguments)]
fn instance_walls(
    m: &EventComponent,
    clock: &Clock,
    dtstart: NaiveDateTime,
    length: Length,
    res: &mut Resolver<'_>,
    xwr: Option<&Zone>,
    opts: &ExpandOptions,
    overrides: &[Override<'_>],
    diags: &mut Diagnostics,
) -> Vec<(NaiveDateTime, Option<CalTime>)> {
    let line = m.details.source.as_ref().map(|s| s.line);
    // RFC 5545 counts DTSTART as the first instance, but a series whose
    // every rule ends before it has no instance at all: that is how
    // clients delete a series.
    let ended_before_start = !m.rrules.is_empty()
        && m.rrules.iter().all(|r| {
            r.until
                .as_ref()
                .is_some_and(|u| until_wall(u, clock) < dtstart)
        });
    let mut walls: Vec<(NaiveDateTime, Option<CalTime>)> = Vec::new();
    if !ended_before_start {
        walls.push((dtstart, None));
    }
    if !m.is_recurring() {
        return walls;
    }
    // The window on this clock, widened by the event's length, by any
    // this-and-future shift and by two days for offsets and DST.
    let max_shift = overrides
        .iter()
        .filter(|o| o.comp.this_and_future)
        .map(|o| {
            let (oc, ow) = res.place(&o.comp.dtstart, xwr, None, diags);
            (oc.key(ow) - o.key).abs()
        })
        .max()
        .unwrap_or_else(Duration::zero);
    let slack = Duration::days(2) + max_shift;
    let length = length.approx().max(Duration::zero());
    let from_wall = wall_of_bound(&opts.from, clock);
    let to_wall = wall_of_bound(&opts.to, clock);
    let lo = minus(minus(from_wall, length), slack);
    let hi = plus(to_wall, slack);
    // The cap counts the instances that can be in the window: those that
    // end after its start and start before its end, even when moved by a
    // this-and-future override (instances outside the window must not use
    // it up). Instances a little earlier or later are kept uncounted, in
    // case an offset puts them inside; the window rule decides later.
    let counted_from = minus(minus(from_wall, length), max_shift);
    let counted_to = plus(to_wall, max_shift);
    let kept_from = minus(counted_from, Duration::days(1));
    let counts = |w: NaiveDateTime| {
        let after_start = if length.is_zero() {
            w >= counted_from
        } else {
            w > counted_from
        };
        after_start && w < counted_to
    };

    let cap = opts.max_instances_per_series;
    for rule in &m.rrules {
        let until = rule.until.as_ref().map(|u| until_wall(u, clock));
        let valid = |w: NaiveDateTime| match clock {
            // RFC 5545 3.8.5.3: an instance at a local time that does not
            // exist is ignored and not counted.
            Clock::Zoned(z) => !matches!(z.from_local(w), LocalMapping::Gap(_)),
            _ => true,
        };
        let mut it = rrule::instances(rule, dtstart, until, lo, hi, valid);
        let mut n = 0usize;
        for w in it.by_ref() {
            if w < kept_from {
                continue;
            }
            if w > hi {
                break;
            }
            if counts(w) {
                n += 1;
                if n > cap {
                    diags.error(
                        line,
                        format!(
                            "{CAPPED} {cap} occurrences in the window; only the first {cap} are used"
                        ),
                        Some(
                            "check the RRULE (FREQ=SECONDLY or MINUTELY is rarely meant), or \
                             narrow the window",
                        ),
                    );
                    break;
                }
            }
            walls.push((w, None));
        }
        if it.truncated() {
            diags.warn(
                line,
                "recurrence rule needs too much work to expand; expansion stopped early",
                Some("check the RRULE: it may never match or match every second"),
            );
        }
    }
    for r in &m.rdates {
        match r {
            RDate::Start(t) => walls.push((res.wall_on(t, clock, xwr, diags), None)),
            RDate::Period(s, e) => {
                let w = res.wall_on(s, clock, xwr, diags);
                let start = clock.cal_time(w);
                let end = match e {
                    PeriodEnd::End(t) => clock.cal_time(res.wall_on(t, clock, xwr, diags)),
                    PeriodEnd::Duration(d) => end_of(clock, start, Length::Nominal(*d)),
                };
                walls.push((w, Some(end)));
            }
        }
    }
    // An RDATE period at the same start as another instance keeps its own
    // end: sort explicit ends first, then keep the first of each start.
    walls.sort_by_key(|w| (w.0, w.1.is_none()));
    walls.dedup_by_key(|w| w.0);
    walls
}

/// `UNTIL` on the series' wall clock: a floating UNTIL is read on it, a
/// date UNTIL with a date-time series includes that whole day.
fn until_wall(u: &Until, clock: &Clock) -> NaiveDateTime {
    match (u, clock) {
        (Until::Utc(t), Clock::Zoned(z)) => z.to_local(*t),
        (Until::Utc(t) | Until::Local(t), _) => *t,
        (Until::Date(d), Clock::Date) => d.and_time(chrono::NaiveTime::MIN),
        (Until::Date(d), _) => d.and_hms_opt(23, 59, 59).unwrap_or(NaiveDateTime::MAX),
    }
}

fn wall_of_bound(b: &Bound, clock: &Clock) -> NaiveDateTime {
    match (b, clock) {
        (Bound::Naive(n), _) => *n,
        (Bound::Instant(i), Clock::Zoned(z)) => z.to_local(i.naive_utc()),
        (Bound::Instant(i), _) => i.naive_local(),
    }
}
