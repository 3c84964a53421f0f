//! The optional date range of a read ([`crate::Limits::dates`]): which day
//! files and posts are worth reading at all.
//!
//! The range is a prefilter for speed, decided on cheap evidence before a
//! record is inflated or parsed: a Slack day file by the date in its name, a
//! Mattermost post line by the `create_at` of the post and its replies. It
//! never cuts a record in two, so a reader may still hand over messages
//! dated a little outside the range (a thread read whole, a day file whose
//! day Slack counted in another zone than UTC). Whoever sets a range keeps
//! applying its own window to the messages.

use chrono::{DateTime, NaiveDate};

/// An inclusive range of calendar dates. A range whose `first` is after its
/// `last` holds no date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    /// The first date in the range.
    pub first: NaiveDate,
    /// The last date in the range.
    pub last: NaiveDate,
}

impl DateRange {
    /// The dates from `first` to `last`, both included.
    pub fn new(first: NaiveDate, last: NaiveDate) -> Self {
        DateRange { first, last }
    }

    /// True when `date` is in the range.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last
    }

    /// Which side of the range `date` is on.
    pub(crate) fn side(&self, date: NaiveDate) -> Side {
        if date < self.first {
            Side::Before
        } else if date > self.last {
            Side::After
        } else {
            Side::Inside
        }
    }

    /// Widens `span` (or starts it) so that it holds `date`.
    pub(crate) fn widen(span: &mut Option<DateRange>, date: NaiveDate) {
        match span {
            Some(s) => {
                s.first = s.first.min(date);
                s.last = s.last.max(date);
            }
            None => *span = Some(DateRange::new(date, date)),
        }
    }

    /// Widens `span` so that it holds all of `other`.
    pub(crate) fn widen_by(span: &mut Option<DateRange>, other: Option<DateRange>) {
        if let Some(o) = other {
            Self::widen(span, o.first);
            Self::widen(span, o.last);
        }
    }
}

/// Where a date lies relative to a [`DateRange`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Before,
    Inside,
    After,
}

/// The UTC date of an epoch-milliseconds instant (Mattermost's
/// `create_at`), if chrono can represent it.
pub(crate) fn date_of_millis(ms: i64) -> Option<NaiveDate> {
    DateTime::from_timestamp_millis(ms).map(|t| t.date_naive())
}

/// The date of a day-file name's `YYYY-MM-DD` part; `None` for digits that
/// are not a calendar date (such a file is read whatever the range).
pub(crate) fn date_of_day_name(date: &str) -> Option<NaiveDate> {
    let b = date.as_bytes();
    if b.len() != 10 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn day_names_and_sides() {
        assert_eq!(date_of_day_name("2024-05-06"), Some(d("2024-05-06")));
        assert_eq!(date_of_day_name("2024-02-30"), None);
        assert_eq!(date_of_day_name("2024-5-06"), None);
        let r = DateRange::new(d("2024-05-01"), d("2024-05-31"));
        assert_eq!(r.side(d("2024-04-30")), Side::Before);
        assert_eq!(r.side(d("2024-05-31")), Side::Inside);
        assert_eq!(r.side(d("2024-06-01")), Side::After);
        assert!(!DateRange::new(d("2024-05-02"), d("2024-05-01")).contains(d("2024-05-01")));
        let mut span = None;
        DateRange::widen(&mut span, d("2024-05-03"));
        DateRange::widen(&mut span, d("2024-05-01"));
        assert_eq!(span, Some(DateRange::new(d("2024-05-01"), d("2024-05-03"))));
        assert_eq!(date_of_millis(1_715_000_000_000), Some(d("2024-05-06")));
    }
}
