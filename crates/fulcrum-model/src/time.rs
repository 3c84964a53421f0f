//! Calendar time values as they were written: a date, a floating wall-clock
//! time, or an instant together with the UTC offset of the zone it was
//! written in.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
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
        f.write_str(self.text().as_str())
    }
}

impl CalTime {
    /// The [`Display`](fmt::Display) text of this value, built on the stack
    /// without allocating: what chrono's `%Y-%m-%d`, `%Y-%m-%dT%H:%M:%S` and
    /// `%Y-%m-%dT%H:%M:%S%:z` print, written digit by digit.
    pub fn text(&self) -> CalTimeText {
        let mut t = CalTimeText {
            buf: [0; CalTimeText::CAP],
            len: 0,
        };
        match *self {
            CalTime::Date(d) => t.push_date(d),
            CalTime::Floating(dt) => t.push_date_time(dt),
            CalTime::Zoned { utc, offset } => {
                match utc.naive_utc().checked_add_offset(offset) {
                    Some(local) => {
                        t.push_date_time(local);
                        t.push_offset(offset);
                    }
                    // Only at the very ends of chrono's range, where the wall
                    // clock falls outside `NaiveDateTime`: let chrono print
                    // it as it always did.
                    None => {
                        use fmt::Write as _;
                        let shown = utc.with_timezone(&offset);
                        // Cannot fail: the text is far shorter than the buffer.
                        let _ = write!(t, "{}", shown.format("%Y-%m-%dT%H:%M:%S%:z"));
                    }
                }
            }
        }
        t
    }
}

/// The text of a [`CalTime`] ([`CalTime::text`]), held on the stack.
#[derive(Clone, Copy)]
pub struct CalTimeText {
    buf: [u8; CalTimeText::CAP],
    len: usize,
}

impl CalTimeText {
    /// Longest text: a signed six-digit year, `-MM-DDTHH:MM:SS` and `+HH:MM`
    /// take 28 bytes; the rest is headroom.
    const CAP: usize = 40;

    /// The text (ASCII).
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and punctuation are ever pushed.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }

    /// The text as bytes (ASCII), without checking it is UTF-8 again.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    fn push(&mut self, b: u8) {
        if self.len < Self::CAP {
            self.buf[self.len] = b;
            self.len += 1;
        }
    }

    /// Two digits of `n` (0-99), zero-padded.
    fn push2(&mut self, n: u32) {
        self.push(b'0' + (n / 10 % 10) as u8);
        self.push(b'0' + (n % 10) as u8);
    }

    /// chrono's `%Y`: four digits, zero-padded, for years 0-9999; other
    /// years with an explicit sign and at least four digits (`-0001`,
    /// `+10000`), as ISO 8601 asks for expanded years.
    fn push_year(&mut self, year: i32) {
        if (0..10_000).contains(&year) {
            let y = year as u32;
            self.push2(y / 100);
            self.push2(y % 100);
        } else {
            self.push(if year < 0 { b'-' } else { b'+' });
            let mut digits = [0u8; 10];
            let mut n = year.unsigned_abs();
            let mut k = 0;
            while n > 0 || k < 4 {
                digits[k] = b'0' + (n % 10) as u8;
                n /= 10;
                k += 1;
            }
            for &d in digits[..k].iter().rev() {
                self.push(d);
            }
        }
    }

    fn push_date(&mut self, d: NaiveDate) {
        self.push_year(d.year());
        self.push(b'-');
        self.push2(d.month());
        self.push(b'-');
        self.push2(d.day());
    }

    fn push_date_time(&mut self, dt: NaiveDateTime) {
        self.push_date(dt.date());
        self.push(b'T');
        self.push2(dt.hour());
        self.push(b':');
        self.push2(dt.minute());
        self.push(b':');
        // A leap second (nanoseconds past 1e9) prints as second 60, as in
        // chrono's `%S`.
        self.push2(dt.second() + dt.nanosecond() / 1_000_000_000);
    }

    /// chrono's `%:z`: sign, hours and minutes, the offset rounded to the
    /// nearest minute (half a minute up).
    fn push_offset(&mut self, offset: FixedOffset) {
        let secs = offset.local_minus_utc();
        self.push(if secs < 0 { b'-' } else { b'+' });
        let minutes = (secs.unsigned_abs() + 30) / 60;
        self.push2(minutes / 60);
        self.push(b':');
        self.push2(minutes % 60);
    }
}

impl fmt::Write for CalTimeText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.len + s.len() > Self::CAP {
            return Err(fmt::Error);
        }
        self.buf[self.len..self.len + s.len()].copy_from_slice(s.as_bytes());
        self.len += s.len();
        Ok(())
    }
}

impl fmt::Debug for CalTimeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl AsRef<str> for CalTimeText {
    fn as_ref(&self) -> &str {
        self.as_str()
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

    fn zoned(utc: NaiveDateTime, offset_secs: i32) -> CalTime {
        CalTime::zoned(
            Utc.from_utc_datetime(&utc),
            FixedOffset::east_opt(offset_secs).unwrap(),
        )
    }

    fn date(y: i32, m: u32, d: u32) -> CalTime {
        CalTime::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    /// What the Display impl printed before it wrote digits itself.
    fn chrono_text(t: &CalTime) -> String {
        match *t {
            CalTime::Date(d) => d.format("%Y-%m-%d").to_string(),
            CalTime::Floating(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
            CalTime::Zoned { utc, offset } => utc
                .with_timezone(&offset)
                .format("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
        }
    }

    #[test]
    fn display_offsets_with_minutes_and_negative_offsets() {
        // Kathmandu, +05:45: 00:00Z is 05:45 local.
        let t = zoned(dt(2024, 1, 2, 0, 0), 5 * 3600 + 45 * 60);
        assert_eq!(t.to_string(), "2024-01-02T05:45:00+05:45");
        // Kolkata, +05:30: 20:00Z is 01:30 the next day.
        let t = zoned(dt(2024, 1, 2, 20, 0), 5 * 3600 + 30 * 60);
        assert_eq!(t.to_string(), "2024-01-03T01:30:00+05:30");
        // St. John's, -03:30: 02:00Z is 22:30 the day before.
        let t = zoned(dt(2024, 1, 2, 2, 0), -(3 * 3600 + 30 * 60));
        assert_eq!(t.to_string(), "2024-01-01T22:30:00-03:30");
        // Marquesas, -09:30, across a year end.
        let t = zoned(dt(2025, 1, 1, 9, 15), -(9 * 3600 + 30 * 60));
        assert_eq!(t.to_string(), "2024-12-31T23:45:00-09:30");
        // Two-digit hours both ways, and UTC.
        let t = zoned(dt(2024, 6, 30, 11, 0), 14 * 3600);
        assert_eq!(t.to_string(), "2024-07-01T01:00:00+14:00");
        let t = zoned(dt(2024, 6, 30, 11, 0), -12 * 3600);
        assert_eq!(t.to_string(), "2024-06-29T23:00:00-12:00");
        let t = zoned(dt(2024, 6, 30, 11, 0), 0);
        assert_eq!(t.to_string(), "2024-06-30T11:00:00+00:00");
    }

    #[test]
    fn display_offsets_with_seconds_round_to_the_minute() {
        // New York's LMT, -04:56:02 (-17762 s): 12:00:00Z is 07:03:58 local,
        // and 17762 s is 296.03 minutes, shown as -04:56.
        let t = zoned(dt(1880, 1, 1, 12, 0), -17762);
        assert_eq!(t.to_string(), "1880-01-01T07:03:58-04:56");
        // Half a minute rounds up: +00:00:30 shows as +00:01.
        let t = zoned(dt(1880, 1, 1, 12, 0), 30);
        assert_eq!(t.to_string(), "1880-01-01T12:00:30+00:01");
        // Less than half a minute west keeps its sign: -00:00.
        let t = zoned(dt(1880, 1, 1, 12, 0), -29);
        assert_eq!(t.to_string(), "1880-01-01T11:59:31-00:00");
        // The largest offset chrono allows, 23:59:59, rounds up to +24:00.
        let t = zoned(dt(2024, 1, 1, 0, 0), 86_399);
        assert_eq!(t.to_string(), "2024-01-01T23:59:59+24:00");
    }

    #[test]
    fn display_years_outside_four_digits() {
        // Years 0-999 are zero-padded to four digits.
        assert_eq!(date(999, 3, 4).to_string(), "0999-03-04");
        assert_eq!(date(7, 3, 4).to_string(), "0007-03-04");
        assert_eq!(date(0, 1, 1).to_string(), "0000-01-01");
        // Other years get a sign and at least four digits.
        assert_eq!(date(-1, 12, 31).to_string(), "-0001-12-31");
        assert_eq!(date(-123, 12, 31).to_string(), "-0123-12-31");
        assert_eq!(date(10_000, 1, 1).to_string(), "+10000-01-01");
        assert_eq!(date(-12_345, 6, 7).to_string(), "-12345-06-07");
        assert_eq!(date(262_142, 12, 31).to_string(), "+262142-12-31");
        assert_eq!(
            CalTime::Floating(dt(999, 12, 31, 23, 59)).to_string(),
            "0999-12-31T23:59:00"
        );
        assert_eq!(
            CalTime::Floating(dt(12_000, 2, 29, 8, 5)).to_string(),
            "+12000-02-29T08:05:00"
        );
        // A zoned value whose wall clock is in another year than its instant.
        let t = zoned(dt(1000, 1, 1, 0, 30), -3600);
        assert_eq!(t.to_string(), "0999-12-31T23:30:00-01:00");
        let t = zoned(dt(0, 1, 1, 0, 30), -3600);
        assert_eq!(t.to_string(), "-0001-12-31T23:30:00-01:00");
        let t = zoned(dt(9999, 12, 31, 23, 30), 5 * 3600 + 45 * 60);
        assert_eq!(t.to_string(), "+10000-01-01T05:15:00+05:45");
    }

    #[test]
    fn display_leap_second_as_second_60() {
        let t = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap();
        assert_eq!(CalTime::Floating(t).to_string(), "2016-12-31T23:59:60");
        let z = CalTime::zoned(
            Utc.from_utc_datetime(&t),
            FixedOffset::east_opt(3600).unwrap(),
        );
        assert_eq!(z.to_string(), "2017-01-01T00:59:60+01:00");
    }

    #[test]
    fn display_at_the_ends_of_the_range_matches_chrono() {
        for (utc, off) in [
            (NaiveDateTime::MAX, 3600),
            (NaiveDateTime::MAX, -3600),
            (NaiveDateTime::MIN, -3600),
            (NaiveDateTime::MIN, 3600),
        ] {
            let t = zoned(utc, off);
            assert_eq!(t.to_string(), chrono_text(&t));
        }
        for d in [NaiveDate::MIN, NaiveDate::MAX] {
            let t = CalTime::Date(d);
            assert_eq!(t.to_string(), chrono_text(&t));
        }
    }

    #[test]
    fn display_matches_chrono_over_a_sweep() {
        let offsets = [
            0,
            3600,
            -3600,
            5 * 3600 + 30 * 60,
            5 * 3600 + 45 * 60,
            -(3 * 3600 + 30 * 60),
            -(9 * 3600 + 30 * 60),
            14 * 3600,
            -12 * 3600,
            -17762,
            29,
            30,
            -30,
            -31,
            86_399,
            -86_399,
        ];
        let years = [
            -262_000, -10_000, -9_999, -1_000, -1, 0, 1, 99, 999, 1000, 1970, 2024, 9999, 10_000,
            262_000,
        ];
        let mut n = 0;
        for &y in &years {
            for (m, d, h, mi, s) in [
                (1, 1, 0, 0, 0),
                (12, 31, 23, 59, 59),
                (2, 28, 12, 30, 7),
                (6, 15, 9, 5, 50),
            ] {
                let local = NaiveDate::from_ymd_opt(y, m, d)
                    .unwrap()
                    .and_hms_opt(h, mi, s)
                    .unwrap();
                let mut all = vec![CalTime::Date(local.date()), CalTime::Floating(local)];
                all.extend(offsets.iter().map(|&o| zoned(local, o)));
                for t in all {
                    assert_eq!(t.to_string(), chrono_text(&t), "{t:?}");
                    assert_eq!(t.text().as_str(), chrono_text(&t));
                    n += 1;
                }
            }
        }
        assert!(n > 1000);
    }
}
