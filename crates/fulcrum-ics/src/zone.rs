//! Time zones as calendars name them, resolved to something that maps wall
//! clock times to instants.
//!
//! A `TZID` is resolved in this order, first match wins:
//!
//! 1. names that plainly mean UTC (`UTC`, `GMT`, `Etc/UTC`, `Z`, ...);
//! 2. an IANA id, exact or case-insensitive (`Europe/Berlin`);
//! 3. an IANA id at the end of a globally unique TZID
//!    (`/mozilla.org/20050126_1/America/New_York`,
//!    `/freeassociation.sourceforge.net/Tzfile/Europe/Berlin`);
//! 4. a Windows zone id or Outlook display name mapped to IANA
//!    (`Pacific Standard Time`, `(UTC+01:00) Amsterdam, Berlin, ...`);
//! 5. the file's `VTIMEZONE` with that TZID: its `X-LIC-LOCATION` when that
//!    is an IANA id, else its own STANDARD/DAYLIGHT rules evaluated from the
//!    file (this is how "Customized Time Zone" and 1601-based Exchange
//!    definitions are read);
//! 6. otherwise the TZID is unknown: it is reported once per file, and its
//!    times are read as floating (see `docs/calendar.md`).
//!
//! IANA data wins over a file's own definition because exporters often
//! write stale or truncated rules for zones the tz database knows exactly.

use crate::rrule::{self, RRule, Until};
use crate::value::is_utc_name;
use crate::windows_zones::iana_for_windows_name;
use chrono::{Duration, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::sync::Arc;

/// A resolved time zone.
#[derive(Debug, Clone)]
pub enum Zone {
    /// UTC.
    Utc,
    /// A zone of the IANA tz database.
    Iana(Tz),
    /// Rules evaluated from a `VTIMEZONE` in the file.
    Custom(Arc<CustomZone>),
}

/// How a wall-clock time maps to instants in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalMapping {
    /// Exactly one instant (as a naive UTC time).
    Single(NaiveDateTime),
    /// Two instants (a fold): the earlier and the later.
    Ambiguous(NaiveDateTime, NaiveDateTime),
    /// No instant (a gap); the instant read with the offset before the gap.
    Gap(NaiveDateTime),
}

impl LocalMapping {
    /// The instant RFC 5545 3.3.5 chooses: the first of a fold, the offset
    /// before a gap.
    pub fn rfc5545(self) -> NaiveDateTime {
        match self {
            LocalMapping::Single(t) | LocalMapping::Ambiguous(t, _) | LocalMapping::Gap(t) => t,
        }
    }
}

impl Zone {
    /// The UTC offset in force at a UTC instant.
    pub fn offset_at(&self, utc: NaiveDateTime) -> FixedOffset {
        match self {
            Zone::Utc => utc_offset(),
            Zone::Iana(tz) => tz.offset_from_utc_datetime(&utc).fix(),
            Zone::Custom(c) => c.offset_at(utc),
        }
    }

    /// The wall-clock time at a UTC instant.
    pub fn to_local(&self, utc: NaiveDateTime) -> NaiveDateTime {
        utc + Duration::seconds(i64::from(self.offset_at(utc).local_minus_utc()))
    }

    /// The instants a wall-clock time means.
    pub fn from_local(&self, local: NaiveDateTime) -> LocalMapping {
        match self {
            Zone::Utc => LocalMapping::Single(local),
            Zone::Iana(tz) => match tz.from_local_datetime(&local) {
                chrono::LocalResult::Single(t) => LocalMapping::Single(t.naive_utc()),
                chrono::LocalResult::Ambiguous(a, b) => {
                    let (a, b) = (a.naive_utc(), b.naive_utc());
                    LocalMapping::Ambiguous(a.min(b), a.max(b))
                }
                chrono::LocalResult::None => {
                    let before = self.offset_at(local - Duration::hours(26));
                    LocalMapping::Gap(
                        local - Duration::seconds(i64::from(before.local_minus_utc())),
                    )
                }
            },
            Zone::Custom(c) => c.from_local(local),
        }
    }

    /// The display name: the IANA id, `UTC`, or the file's TZID.
    pub fn name(&self) -> &str {
        match self {
            Zone::Utc => "UTC",
            Zone::Iana(tz) => tz.name(),
            Zone::Custom(c) => &c.tzid,
        }
    }
}

fn utc_offset() -> FixedOffset {
    Utc.fix()
}

fn offset(seconds: i32) -> FixedOffset {
    FixedOffset::east_opt(seconds).unwrap_or_else(utc_offset)
}

/// One STANDARD or DAYLIGHT block of a VTIMEZONE.
#[derive(Debug, Clone)]
pub struct Observance {
    /// Local onset (in the `TZOFFSETFROM` offset).
    pub dtstart: NaiveDateTime,
    /// Offset before the onset, seconds east of UTC.
    pub offset_from: i32,
    /// Offset from the onset on.
    pub offset_to: i32,
    /// Yearly rule, if any.
    pub rrule: Option<RRule>,
    /// Extra onsets.
    pub rdates: Vec<NaiveDateTime>,
}

/// A VTIMEZONE as read from a file.
#[derive(Debug, Clone)]
pub struct VTimezone {
    /// Its TZID.
    pub tzid: String,
    /// `X-LIC-LOCATION`, when given.
    pub location: Option<String>,
    /// Its observances.
    pub observances: Vec<Observance>,
    /// Line of `BEGIN:VTIMEZONE`.
    pub line: u32,
}

/// A zone evaluated from VTIMEZONE rules: a sorted list of transitions.
#[derive(Debug, Clone)]
pub struct CustomZone {
    tzid: String,
    /// Offset before the first transition.
    initial: i32,
    /// (instant as naive UTC, offset from then on), sorted.
    transitions: Vec<(NaiveDateTime, i32)>,
}

/// Transitions are computed for this span of years: enough for any calendar
/// in use, and a fixed bound on work for rules that start in 1601.
const FIRST_YEAR: i32 = 1900;
const LAST_YEAR: i32 = 2200;

impl CustomZone {
    /// Evaluates a VTIMEZONE; `None` when it defines no usable observance.
    pub fn from_vtimezone(vtz: &VTimezone) -> Option<CustomZone> {
        let horizon_start = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1)?.and_hms_opt(0, 0, 0)?;
        let horizon_end = NaiveDate::from_ymd_opt(LAST_YEAR, 1, 1)?.and_hms_opt(0, 0, 0)?;
        let mut transitions: Vec<(NaiveDateTime, i32, i32)> = Vec::new();
        for obs in &vtz.observances {
            let to_utc =
                |local: NaiveDateTime| local - Duration::seconds(i64::from(obs.offset_from));
            transitions.push((to_utc(obs.dtstart), obs.offset_from, obs.offset_to));
            if let Some(rule) = &obs.rrule {
                let until = rule.until.as_ref().map(|u| match u {
                    Until::Utc(t) => *t + Duration::seconds(i64::from(obs.offset_from)),
                    Until::Local(t) => *t,
                    Until::Date(d) => d.and_hms_opt(23, 59, 59).unwrap_or(t_max()),
                });
                let onsets =
                    rrule::instances(rule, obs.dtstart, until, horizon_start, horizon_end, |_| {
                        true
                    });
                for local in onsets {
                    transitions.push((to_utc(local), obs.offset_from, obs.offset_to));
                }
            }
            for &local in &obs.rdates {
                transitions.push((to_utc(local), obs.offset_from, obs.offset_to));
            }
        }
        if transitions.is_empty() {
            return None;
        }
        transitions.sort_by_key(|t| t.0);
        transitions.dedup_by_key(|t| t.0);
        let initial = transitions[0].1;
        Some(CustomZone {
            tzid: vtz.tzid.clone(),
            initial,
            transitions: transitions.into_iter().map(|(t, _, to)| (t, to)).collect(),
        })
    }

    /// The offset at a UTC instant.
    pub fn offset_at(&self, utc: NaiveDateTime) -> FixedOffset {
        offset(self.offset_seconds_at(utc))
    }

    fn offset_seconds_at(&self, utc: NaiveDateTime) -> i32 {
        let idx = self.transitions.partition_point(|(t, _)| *t <= utc);
        if idx == 0 {
            self.initial
        } else {
            self.transitions[idx - 1].1
        }
    }

    /// The instants a wall-clock time means.
    pub fn from_local(&self, local: NaiveDateTime) -> LocalMapping {
        // Candidate offsets: those in force within a day on either side.
        let lo = local - Duration::hours(27);
        let hi = local + Duration::hours(27);
        let first = self.transitions.partition_point(|(t, _)| *t <= lo);
        let mut candidates = vec![if first == 0 {
            self.initial
        } else {
            self.transitions[first - 1].1
        }];
        for (t, off) in &self.transitions[first..] {
            if *t > hi {
                break;
            }
            candidates.push(*off);
        }
        let before_gap = candidates[0];
        let mut hits: Vec<NaiveDateTime> = candidates
            .iter()
            .map(|&o| local - Duration::seconds(i64::from(o)))
            .filter(|&u| {
                let o = self.offset_seconds_at(u);
                u + Duration::seconds(i64::from(o)) == local
            })
            .collect();
        hits.sort();
        hits.dedup();
        match hits.as_slice() {
            [] => {
                // Find the transition whose gap holds the local time and use
                // the offset in force before it.
                let mut prev = before_gap;
                for (t, off) in &self.transitions[first..] {
                    let secs = |o: i32| Duration::seconds(i64::from(o));
                    if *t + secs(prev) <= local && local < *t + secs(*off) {
                        break;
                    }
                    prev = *off;
                }
                LocalMapping::Gap(local - Duration::seconds(i64::from(prev)))
            }
            [one] => LocalMapping::Single(*one),
            [a, .., b] => LocalMapping::Ambiguous(*a, *b),
        }
    }
}

fn t_max() -> NaiveDateTime {
    NaiveDateTime::MAX
}

/// Resolves TZIDs for one file, caching each answer.
#[derive(Debug, Default)]
pub struct ZoneTable {
    vtimezones: HashMap<String, VTimezone>,
    cache: HashMap<String, Option<Zone>>,
}

/// How a TZID was resolved, for reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Found directly or by name mapping.
    Mapped,
    /// Evaluated from the file's VTIMEZONE rules.
    FromFile,
    /// Not resolvable.
    Unknown,
}

impl ZoneTable {
    /// A table over a file's VTIMEZONEs (the last definition of a TZID wins).
    pub fn new(vtimezones: Vec<VTimezone>) -> Self {
        let vtimezones = vtimezones
            .into_iter()
            .map(|v| (v.tzid.clone(), v))
            .collect();
        ZoneTable {
            vtimezones,
            cache: HashMap::new(),
        }
    }

    /// Resolves a TZID (see the module documentation for the order).
    pub fn resolve(&mut self, tzid: &str) -> (Option<Zone>, Resolution) {
        if let Some(z) = self.cache.get(tzid) {
            let how = match z {
                Some(Zone::Custom(_)) => Resolution::FromFile,
                Some(_) => Resolution::Mapped,
                None => Resolution::Unknown,
            };
            return (z.clone(), how);
        }
        let (zone, how) = self.resolve_uncached(tzid);
        self.cache.insert(tzid.to_owned(), zone.clone());
        (zone, how)
    }

    fn resolve_uncached(&self, tzid: &str) -> (Option<Zone>, Resolution) {
        if let Some(z) = resolve_name(tzid) {
            return (Some(z), Resolution::Mapped);
        }
        if let Some(vtz) = self
            .vtimezones
            .get(tzid)
            .or_else(|| self.vtimezones.get(tzid.trim()))
        {
            if let Some(z) = vtz.location.as_deref().and_then(resolve_name) {
                return (Some(z), Resolution::Mapped);
            }
            if let Some(c) = CustomZone::from_vtimezone(vtz) {
                return (Some(Zone::Custom(Arc::new(c))), Resolution::FromFile);
            }
        }
        (None, Resolution::Unknown)
    }
}

/// Resolves a zone name without a file's help: UTC names, IANA ids (also at
/// the end of globally unique TZIDs), Windows and Outlook names.
pub fn resolve_name(name: &str) -> Option<Zone> {
    let name = name.trim().trim_matches('"').trim();
    if name.is_empty() {
        return None;
    }
    if is_utc_name(name) {
        return Some(Zone::Utc);
    }
    if let Some(tz) = iana(name) {
        return Some(tz);
    }
    if name.contains('/') {
        let parts: Vec<&str> = name.split('/').filter(|p| !p.is_empty()).collect();
        for take in [3, 2, 1] {
            if parts.len() >= take {
                let tail = parts[parts.len() - take..].join("/");
                if let Some(tz) = iana(&tail) {
                    return Some(tz);
                }
            }
        }
    }
    iana_for_windows_name(name).and_then(iana)
}

fn iana(name: &str) -> Option<Zone> {
    let tz = name
        .parse::<Tz>()
        .ok()
        .or_else(|| Tz::from_str_insensitive(name).ok())?;
    Some(
        if is_utc_name(tz.name()) || matches!(tz.name(), "UCT" | "Etc/UCT" | "Etc/Zulu") {
            Zone::Utc
        } else {
            Zone::Iana(tz)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(y: i32, m: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    /// An Exchange-style definition of US Eastern time: 1601 onsets with
    /// yearly rules (second Sunday of March, first Sunday of November).
    fn exchange_eastern() -> VTimezone {
        let (daylight, _) = RRule::parse("FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3").unwrap();
        let (standard, _) = RRule::parse("FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11").unwrap();
        VTimezone {
            tzid: "Customized Time Zone".into(),
            location: None,
            line: 1,
            observances: vec![
                Observance {
                    dtstart: dt(1601, 1, 1, 2, 0),
                    offset_from: -4 * 3600,
                    offset_to: -5 * 3600,
                    rrule: Some(standard),
                    rdates: vec![],
                },
                Observance {
                    dtstart: dt(1601, 1, 1, 2, 0),
                    offset_from: -5 * 3600,
                    offset_to: -4 * 3600,
                    rrule: Some(daylight),
                    rdates: vec![],
                },
            ],
        }
    }

    #[test]
    fn custom_1601_rules_give_the_us_2024_transitions() {
        let z = Zone::Custom(Arc::new(
            CustomZone::from_vtimezone(&exchange_eastern()).unwrap(),
        ));
        // 2024: DST from Sunday 10 March 02:00 EST (07:00Z) to Sunday
        // 3 November 02:00 EDT (06:00Z).
        assert_eq!(
            z.offset_at(dt(2024, 3, 10, 6, 59)).local_minus_utc(),
            -5 * 3600
        );
        assert_eq!(
            z.offset_at(dt(2024, 3, 10, 7, 0)).local_minus_utc(),
            -4 * 3600
        );
        assert_eq!(
            z.offset_at(dt(2024, 11, 3, 5, 59)).local_minus_utc(),
            -4 * 3600
        );
        assert_eq!(
            z.offset_at(dt(2024, 11, 3, 6, 0)).local_minus_utc(),
            -5 * 3600
        );
        // 09:00 on 1 July is EDT: 13:00Z. 02:30 on 10 March is in the gap,
        // read with the offset before it (-05:00): 07:30Z.
        assert_eq!(
            z.from_local(dt(2024, 7, 1, 9, 0)),
            LocalMapping::Single(dt(2024, 7, 1, 13, 0))
        );
        assert_eq!(
            z.from_local(dt(2024, 3, 10, 2, 30)),
            LocalMapping::Gap(dt(2024, 3, 10, 7, 30))
        );
        // 01:30 on 3 November happens at 05:30Z and again at 06:30Z.
        assert_eq!(
            z.from_local(dt(2024, 11, 3, 1, 30)),
            LocalMapping::Ambiguous(dt(2024, 11, 3, 5, 30), dt(2024, 11, 3, 6, 30))
        );
    }

    #[test]
    fn custom_zone_agrees_with_iana_over_a_decade() {
        let custom = Zone::Custom(Arc::new(
            CustomZone::from_vtimezone(&exchange_eastern()).unwrap(),
        ));
        let iana = resolve_name("America/New_York").unwrap();
        // The 2007+ US rules hold from 2007 on; compare every 6 hours.
        let mut t = dt(2010, 1, 1, 0, 0);
        while t < dt(2020, 1, 1, 0, 0) {
            assert_eq!(custom.offset_at(t), iana.offset_at(t), "at {t}");
            t += Duration::hours(6);
        }
    }

    #[test]
    fn names_resolve_in_order() {
        assert!(matches!(resolve_name("Etc/UTC"), Some(Zone::Utc)));
        assert_eq!(
            resolve_name("europe/berlin").unwrap().name(),
            "Europe/Berlin"
        );
        assert_eq!(
            resolve_name("/mozilla.org/20050126_1/America/New_York")
                .unwrap()
                .name(),
            "America/New_York"
        );
        assert_eq!(
            resolve_name("/freeassociation.sourceforge.net/Tzfile/America/Argentina/Buenos_Aires")
                .unwrap()
                .name(),
            "America/Argentina/Buenos_Aires"
        );
        assert_eq!(
            resolve_name("Pacific Standard Time").unwrap().name(),
            "America/Los_Angeles"
        );
        assert_eq!(
            resolve_name("/Europe/Stockholm").unwrap().name(),
            "Europe/Stockholm"
        );
        assert!(resolve_name("Customized Time Zone").is_none());
        assert!(resolve_name("Mars/Olympus_Mons").is_none());
    }

    #[test]
    fn table_falls_back_to_the_file_definition() {
        let mut t = ZoneTable::new(vec![exchange_eastern()]);
        let (z, how) = t.resolve("Customized Time Zone");
        assert_eq!(how, Resolution::FromFile);
        assert_eq!(
            z.unwrap()
                .offset_at(dt(2024, 7, 1, 12, 0))
                .local_minus_utc(),
            -4 * 3600
        );
        assert_eq!(t.resolve("Nowhere Standard Time").1, Resolution::Unknown);
    }
}
