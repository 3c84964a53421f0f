//! Calendar time values as they were written: a date, a floating wall-clock
//! time, or an instant together with the UTC offset of the zone it was
//! written in.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt;

/// A start, end or recurrence id of a calendar occurrence.
///
/// All-day and floating values have no instant of their own: they mean the
/// same wall-clock time wherever the reader is, so turning them into an
/// instant needs the reader's zone ([`CalTime::instant_in`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CalTime {
    /// An all-day value (`VALUE=DATE`).
    Date(NaiveDate),
    /// A floating local time (no `TZID`, no `Z`).
    Floating(NaiveDateTime),
    /// A fixed instant, with the UTC offset in force at that instant in the
    /// zone it was written in (`+00:00` for UTC values).
    Zoned {
        /// The instant.
        utc: DateTime<Utc>,
        /// The offset of the event's own zone at that instant.
        offset: FixedOffset,
    },
}

impl CalTime {
    /// A zoned value from an instant and the offset to show it with.
    pub fn zoned(utc: DateTime<Utc>, offset: FixedOffset) -> Self {
        CalTime::Zoned { utc, offset }
    }

    /// True for all-day values.
    pub fn is_date(&self) -> bool {
        matches!(self, CalTime::Date(_))
    }

    /// The wall-clock time as written (midnight for a date).
    pub fn naive_local(&self) -> NaiveDateTime {
        match *self {
            CalTime::Date(d) => d.and_time(chrono::NaiveTime::MIN),
            CalTime::Floating(t) => t,
            CalTime::Zoned { utc, offset } => utc.with_timezone(&offset).naive_local(),
        }
    }

    /// The instant this value means for a reader in `tz`: zoned values are
    /// already instants; dates and floating times are read on `tz`'s wall
    /// clock (a time in a DST gap moves forward by the gap, an ambiguous one
    /// takes the earlier instant, as RFC 5545 section 3.3.5 says).
    pub fn instant_in(&self, tz: &Tz) -> DateTime<Utc> {
        match *self {
            CalTime::Zoned { utc, .. } => utc,
            _ => local_to_utc(tz, self.naive_local()),
        }
    }

    /// A sort key that orders instants correctly and puts dates and
    /// floating times as if they were UTC wall-clock times.
    pub fn sort_key(&self) -> NaiveDateTime {
        match *self {
            CalTime::Zoned { utc, .. } => utc.naive_utc(),
            _ => self.naive_local(),
        }
    }
}

/// Reads a wall-clock time in `tz` as RFC 5545 section 3.3.5 does: the first
/// of two ambiguous instants, and a time inside a gap with the offset in force
/// before the gap.
pub fn local_to_utc(tz: &Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(a, b) => a.min(b).with_timezone(&Utc),
        chrono::LocalResult::None => {
            // In a gap: use the offset in force just before it.
            let probe = local - chrono::Duration::hours(24);
            let before = tz
                .from_local_datetime(&probe)
                .earliest()
                .map(|t| t.offset().fix())
                .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
            let naive_utc = local - chrono::Duration::seconds(i64::from(before.local_minus_utc()));
            Utc.from_utc_datetime(&naive_utc)
        }
    }
}

use chrono::Offset;

impl fmt::Display for CalTime {
    /// RFC 3339 with the written zone's offset, `YYYY-MM-DD` for dates and a
    /// naive `YYYY-MM-DDTHH:MM:SS` for floating times.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            CalTime::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            CalTime::Floating(t) => write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%S")),
            CalTime::Zoned { utc, offset } => {
                write!(
                    f,
                    "{}",
                    utc.with_timezone(&offset).format("%Y-%m-%dT%H:%M:%S%:z")
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn dt(y: i32, m: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    #[test]
    fn gap_time_uses_offset_before_the_gap() {
        // New York springs forward at 2024-03-10 02:00 EST (-05:00). 02:30
        // does not exist; read with -05:00 it is 07:30Z, i.e. 03:30 EDT.
        let tz: Tz = "America/New_York".parse().unwrap();
        let t = local_to_utc(&tz, dt(2024, 3, 10, 2, 30));
        assert_eq!(t.naive_utc(), dt(2024, 3, 10, 7, 30));
    }

    #[test]
    fn ambiguous_time_takes_the_first_instant() {
        // New York falls back at 2024-11-03 02:00 EDT; 01:30 happens twice,
        // first at -04:00 (05:30Z), then at -05:00 (06:30Z).
        let tz: Tz = "America/New_York".parse().unwrap();
        let t = local_to_utc(&tz, dt(2024, 11, 3, 1, 30));
        assert_eq!(t.naive_utc(), dt(2024, 11, 3, 5, 30));
    }

    #[test]
    fn display_forms() {
        let d = CalTime::Date(NaiveDate::from_ymd_opt(2024, 1, 2).unwrap());
        assert_eq!(d.to_string(), "2024-01-02");
        let f = CalTime::Floating(dt(2024, 1, 2, 9, 0));
        assert_eq!(f.to_string(), "2024-01-02T09:00:00");
        let z = CalTime::zoned(
            Utc.from_utc_datetime(&dt(2024, 1, 2, 14, 0)),
            FixedOffset::west_opt(5 * 3600).unwrap(),
        );
        assert_eq!(z.to_string(), "2024-01-02T09:00:00-05:00");
    }
}
