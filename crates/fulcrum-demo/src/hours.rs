//! Working hours as the demo gives them to people, and the business-hours
//! clock used to time replies.

use crate::zones::Zone;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};

/// Working hours: the same ranges on every working weekday, in the
/// person's own zone. Minutes after midnight, `start < end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hours {
    /// Working weekdays, Monday = bit 0.
    pub weekdays: u8,
    /// Ranges of a working day, sorted, not overlapping.
    pub ranges: Vec<(u32, u32)>,
}

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

impl Hours {
    /// Monday to Friday, one range.
    pub fn weekdays(start: u32, end: u32) -> Self {
        Hours {
            weekdays: 0b1_1111,
            ranges: vec![(start, end)],
        }
    }

    /// True when `day` is a working weekday.
    pub fn works_on(&self, day: Weekday) -> bool {
        self.weekdays & (1 << day.num_days_from_monday()) != 0
    }

    /// The first minute of work on a working day.
    pub fn start(&self) -> u32 {
        self.ranges.first().map_or(9 * 60, |r| r.0)
    }

    /// The last minute of work on a working day.
    pub fn end(&self) -> u32 {
        self.ranges.last().map_or(17 * 60, |r| r.1)
    }

    /// Minutes of work in a working day.
    pub fn minutes_per_day(&self) -> u32 {
        self.ranges.iter().map(|(a, b)| b - a).sum()
    }

    /// True when the local minute `m` lies in working time on a working day.
    pub fn contains_minute(&self, m: u32) -> bool {
        self.ranges.iter().any(|&(a, b)| a <= m && m < b)
    }

    /// As people.csv and fulcrum.toml write it: `Mon-Fri 09:00-17:00`.
    pub fn text(&self) -> String {
        let days: Vec<usize> = (0..7).filter(|d| self.weekdays & (1 << d) != 0).collect();
        let contiguous = days.windows(2).all(|w| w[1] == w[0] + 1);
        let day_part = match (days.first(), days.last()) {
            (Some(&a), Some(&b)) if contiguous && a != b => {
                format!("{}-{}", DAY_NAMES[a], DAY_NAMES[b])
            }
            (Some(&a), Some(_)) if days.len() == 1 => DAY_NAMES[a].to_owned(),
            _ => days
                .iter()
                .map(|&d| DAY_NAMES[d])
                .collect::<Vec<_>>()
                .join(","),
        };
        let ranges: Vec<String> = self
            .ranges
            .iter()
            .map(|&(a, b)| format!("{:02}:{:02}-{:02}:{:02}", a / 60, a % 60, b / 60, b % 60))
            .collect();
        if contiguous || days.len() == 1 {
            format!("{day_part} {}", ranges.join(" "))
        } else {
            // Non-contiguous days: one group per day.
            days.iter()
                .map(|&d| format!("{} {}", DAY_NAMES[d], ranges.join(" ")))
                .collect::<Vec<_>>()
                .join(", ")
        }
    }
}

/// Someone's working clock: hours, zone, and the days they are away.
pub trait WorkClock {
    /// The zone.
    fn zone(&self) -> Zone;
    /// The hours.
    fn hours(&self) -> &Hours;
    /// True when the person is away on that local date.
    fn away_on(&self, date: NaiveDate) -> bool;

    /// True when the local date is a working day for them.
    fn works_on_date(&self, date: NaiveDate) -> bool {
        self.hours().works_on(date.weekday()) && !self.away_on(date)
    }

    /// True when the instant lies in their working time.
    fn in_working_time(&self, at: DateTime<Utc>) -> bool {
        let local = self.zone().local(at);
        let minute = local.time().num_seconds_from_midnight_u32() / 60;
        self.works_on_date(local.date()) && self.hours().contains_minute(minute)
    }

    /// The instant `minutes` of their working time after `from` (a reply
    /// written on the responder's business-hours clock). Searches at most
    /// 30 days ahead.
    fn after_business_minutes(&self, from: DateTime<Utc>, minutes: u32) -> DateTime<Utc> {
        let zone = self.zone();
        let mut left = i64::from(minutes);
        let start_local = zone.local(from);
        let mut date = start_local.date();
        for _ in 0..30 {
            if self.works_on_date(date) {
                for &(a, b) in &self.hours().ranges {
                    let range_start = zone.utc(date.and_time(minute_time(a)));
                    let range_end = zone.utc(date.and_time(minute_time(b)));
                    let begin = range_start.max(from);
                    if begin >= range_end {
                        continue;
                    }
                    let available = (range_end - begin).num_minutes();
                    if left <= available {
                        return begin + Duration::minutes(left);
                    }
                    left -= available;
                }
            }
            date = date.succ_opt().unwrap_or(date);
        }
        from + Duration::minutes(i64::from(minutes))
    }
}

/// Seconds since midnight as u32 (chrono's `Timelike` without the import
/// noise at call sites).
trait SecondsFromMidnight {
    fn num_seconds_from_midnight_u32(&self) -> u32;
}

impl SecondsFromMidnight for chrono::NaiveTime {
    fn num_seconds_from_midnight_u32(&self) -> u32 {
        use chrono::Timelike;
        self.num_seconds_from_midnight()
    }
}

/// A local time from minutes after midnight (clamped to the day).
pub fn minute_time(minute: u32) -> chrono::NaiveTime {
    let m = minute.min(24 * 60 - 1);
    chrono::NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap_or(chrono::NaiveTime::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Clock(Hours, Vec<NaiveDate>);
    impl WorkClock for Clock {
        fn zone(&self) -> Zone {
            Zone::Berlin
        }
        fn hours(&self) -> &Hours {
            &self.0
        }
        fn away_on(&self, date: NaiveDate) -> bool {
            self.1.contains(&date)
        }
    }

    #[test]
    fn text_forms() {
        assert_eq!(Hours::weekdays(540, 1020).text(), "Mon-Fri 09:00-17:00");
        let part = Hours {
            weekdays: 0b0_1111,
            ranges: vec![(510, 750), (810, 1050)],
        };
        assert_eq!(part.text(), "Mon-Thu 08:30-12:30 13:30-17:30");
        let odd = Hours {
            weekdays: 0b1_0101,
            ranges: vec![(540, 780)],
        };
        assert_eq!(
            odd.text(),
            "Mon 09:00-13:00, Wed 09:00-13:00, Fri 09:00-13:00"
        );
    }

    #[test]
    fn business_clock_skips_nights_weekends_and_absences() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 9, day).unwrap();
        let clock = Clock(Hours::weekdays(540, 1020), vec![d(7)]);
        // Friday 4 September 16:30 Berlin (14:30 UTC) + 60 business minutes:
        // 30 on Friday, Monday the 7th is away, so 09:30 on Tuesday the 8th.
        let from = Zone::Berlin.utc(d(4).and_hms_opt(16, 30, 0).unwrap());
        let got = clock.after_business_minutes(from, 60);
        assert_eq!(Zone::Berlin.local(got), d(8).and_hms_opt(9, 30, 0).unwrap());
        assert!(clock.in_working_time(from));
        assert!(!clock.in_working_time(Zone::Berlin.utc(d(7).and_hms_opt(10, 0, 0).unwrap())));
    }
}
