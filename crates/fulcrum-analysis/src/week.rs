//! Weeks and working time, each in a person's own time zone.
//!
//! A [`Week`] is an ISO week (Monday to Sunday). Person-week signals use the
//! person's own week: Ana's 2024-W10 starts at Monday 00:00 in Auckland,
//! Bo's at Monday 00:00 in Los Angeles, 21 hours later. A team-week groups
//! its members' weeks with the same label.
//!
//! [`WorkClock`] is a person's working time: the ranges of their
//! [`WorkingHours`] on each local date, turned into instants with
//! [`fulcrum_model::time::local_to_utc`] (so a DST change shortens or
//! lengthens the day in elapsed time exactly as the wall clock does), minus
//! the dates they are away (out of office).

use crate::intervals;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use fulcrum_model::time::local_to_utc;
use fulcrum_model::{CalTime, EventStatus, Interval, Occurrence, PartStat, WorkingHours};
use std::collections::BTreeSet;
use std::fmt;

/// An ISO 8601 week: `year` is the ISO week-numbering year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Week {
    /// ISO week-numbering year.
    pub year: i32,
    /// Week number, 1 to 53.
    pub week: u32,
}

impl Week {
    /// The week a local date belongs to.
    pub fn of_date(date: NaiveDate) -> Week {
        let w = date.iso_week();
        Week {
            year: w.year(),
            week: w.week(),
        }
    }

    /// The week an instant belongs to on the wall clock of `tz`.
    pub fn of_instant(at: DateTime<Utc>, tz: &Tz) -> Week {
        Week::of_date(at.with_timezone(tz).date_naive())
    }

    /// Its Monday.
    pub fn monday(&self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon).unwrap_or(NaiveDate::MIN)
    }

    /// Its seven dates, Monday first.
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> {
        self.monday().iter_days().take(7)
    }

    /// The next week.
    pub fn next(&self) -> Week {
        Week::of_date(self.monday() + Duration::days(7))
    }

    /// Monday 00:00 to the next Monday 00:00 on the wall clock of `tz`, as
    /// instants: 167 or 169 hours in a week with a DST change.
    pub fn bounds_in(&self, tz: &Tz) -> Interval {
        let start = local_to_utc(tz, self.monday().and_time(chrono::NaiveTime::MIN));
        let end = local_to_utc(
            tz,
            (self.monday() + Duration::days(7)).and_time(chrono::NaiveTime::MIN),
        );
        Interval::new(start, end)
    }
}

impl fmt::Display for Week {
    /// `2024-W09`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

/// The weeks to compute: every ISO week from the one holding `from` to the
/// one holding `to`, both included. Partial weeks are rounded out to whole
/// weeks, because a partial week would look like a light one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First date (its whole week is computed).
    pub from: NaiveDate,
    /// Last date (its whole week is computed).
    pub to: NaiveDate,
}

impl Window {
    /// The weeks of the window, in order.
    pub fn weeks(&self) -> Vec<Week> {
        let (first, last) = (
            Week::of_date(self.from.min(self.to)),
            Week::of_date(self.to.max(self.from)),
        );
        let mut weeks = vec![first];
        while let Some(&w) = weeks.last()
            && w < last
        {
            weeks.push(w.next());
        }
        weeks
    }

    /// The instants any person's weeks can cover: from the first Monday
    /// 00:00 at UTC+14 to the Monday after the last week at UTC-12 (a day of
    /// slack each side). Ingest should expand calendars over at least this.
    pub fn instant_bounds(&self) -> Interval {
        let weeks = self.weeks();
        let first = weeks.first().map(Week::monday).unwrap_or(self.from);
        let after = weeks
            .last()
            .map(|w| w.monday() + Duration::days(7))
            .unwrap_or(self.to);
        let at = |d: NaiveDate| d.and_time(chrono::NaiveTime::MIN).and_utc();
        Interval::new(at(first - Duration::days(1)), at(after + Duration::days(1)))
    }

    /// The UTC dates of chat the signals of this window read: from the
    /// first week's Monday to the last week's Sunday, widened by
    /// `margin_days` on each side (`Params::chat_margin_days`; SIGNALS.md,
    /// "chat read range"). Messages dated outside are not read.
    pub fn chat_dates(&self, margin_days: u32) -> (NaiveDate, NaiveDate) {
        let weeks = self.weeks();
        let first = weeks.first().map(Week::monday).unwrap_or(self.from);
        let last = weeks
            .last()
            .map(|w| w.monday() + Duration::days(6))
            .unwrap_or(self.to);
        let margin = Duration::days(i64::from(margin_days));
        (first - margin, last + margin)
    }
}

/// A person's working time: weekly template in their zone, minus away days.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkClock {
    tz: Tz,
    hours: WorkingHours,
    away: BTreeSet<NaiveDate>,
}

impl WorkClock {
    /// A clock from a zone, working hours and the local dates away.
    pub fn new(tz: Tz, hours: WorkingHours, away: BTreeSet<NaiveDate>) -> Self {
        WorkClock { tz, hours, away }
    }

    /// The working-hours template.
    pub fn hours(&self) -> &WorkingHours {
        &self.hours
    }

    /// The person's zone.
    pub fn tz(&self) -> &Tz {
        &self.tz
    }

    /// The local dates the person is away (not working days).
    pub fn away_days(&self) -> &BTreeSet<NaiveDate> {
        &self.away
    }

    /// The working ranges of a local date by the template, as instants,
    /// ignoring absences.
    pub fn template_on(&self, date: NaiveDate) -> Vec<Interval> {
        self.hours
            .on(date.weekday())
            .iter()
            .map(|r| {
                Interval::new(
                    local_to_utc(&self.tz, date.and_time(r.start)),
                    local_to_utc(&self.tz, date.and_time(r.end)),
                )
            })
            .filter(|i| !i.is_empty())
            .collect()
    }

    /// The working time of a local date: none on a day away.
    pub fn working_on(&self, date: NaiveDate) -> Vec<Interval> {
        if self.away.contains(&date) {
            Vec::new()
        } else {
            self.template_on(date)
        }
    }

    /// Working time in the person's own week `week`, sorted and disjoint.
    pub fn working_in_week(&self, week: Week) -> Vec<Interval> {
        fulcrum_model::union_of(week.dates().flat_map(|d| self.working_on(d)).collect())
    }

    /// Template working time in the person's own week (absences ignored).
    pub fn template_in_week(&self, week: Week) -> Vec<Interval> {
        fulcrum_model::union_of(week.dates().flat_map(|d| self.template_on(d)).collect())
    }

    /// The local date of an instant on this clock.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.tz).date_naive()
    }

    /// True when `at` is inside working time.
    pub fn is_working(&self, at: DateTime<Utc>) -> bool {
        let date = self.local_date(at);
        self.working_around(date)
            .any(|i| i.start <= at && at < i.end)
    }

    /// The working ranges that can hold an instant whose local date is
    /// `date`: those of `date` and of the day before. A range never crosses
    /// midnight, but a DST change can move a range's instant onto the
    /// neighbouring date's wall clock, so [`WorkClock::is_working`] looks at
    /// both.
    fn working_around(&self, date: NaiveDate) -> impl Iterator<Item = Interval> + '_ {
        [date.pred_opt(), Some(date)]
            .into_iter()
            .flatten()
            .flat_map(|d| self.working_on(d))
    }

    /// Working time between two instants, stopping early once it reaches
    /// `cap` (then the result is at least `cap`).
    pub fn business_time(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        cap: Option<Duration>,
    ) -> Duration {
        if to <= from {
            return Duration::zero();
        }
        let span = Interval::new(from, to);
        let mut date = self.local_date(from).pred_opt().unwrap_or(NaiveDate::MIN);
        let last = self.local_date(to).succ_opt().unwrap_or(NaiveDate::MAX);
        let mut sum = Duration::zero();
        while date <= last {
            for i in self.working_on(date) {
                if let Some(common) = i.intersect(&span) {
                    sum += common.duration();
                }
            }
            if cap.is_some_and(|c| sum >= c) {
                break;
            }
            match date.succ_opt() {
                Some(d) => date = d,
                None => break,
            }
        }
        sum
    }

    /// Mean working hours per working day of the weekly template, on the
    /// wall clock (8 for Mon-Fri 09:00-17:00); `None` when the template has
    /// no working day. A "business day" of the unanswered rule is this long.
    pub fn hours_per_working_day(&self) -> Option<f64> {
        let days: Vec<f64> = self
            .hours
            .days
            .iter()
            .filter(|ranges| !ranges.is_empty())
            .map(|ranges| {
                ranges
                    .iter()
                    .map(|r| intervals::hours((r.end - r.start).abs()))
                    .sum()
            })
            .collect();
        crate::stats::mean(&days)
    }
}

/// The local dates a person is away, from the out-of-office events of their
/// own calendar.
///
/// An event counts when it is marked out of office, is not cancelled, is
/// the person's own (no organizer, or the person organizes it; an absence
/// notice someone else sent is theirs, not this person's) and the person did
/// not decline it. An all-day event covers its dates (`DTEND` exclusive); a
/// timed one covers each local date whose whole working time it spans
/// (Clarification in SIGNALS.md: a partly covered day stays a working day).
pub fn away_days(
    tz: &Tz,
    hours: &WorkingHours,
    occurrences: &[Occurrence],
    is_me: impl Fn(&str) -> bool,
) -> BTreeSet<NaiveDate> {
    let template = WorkClock::new(*tz, hours.clone(), BTreeSet::new());
    let mut away = BTreeSet::new();
    for occ in occurrences {
        let d = &occ.details;
        if !d.out_of_office || d.status == EventStatus::Cancelled {
            continue;
        }
        if d.organizer.as_ref().is_some_and(|o| !is_me(&o.email)) {
            continue;
        }
        if d.attendees
            .iter()
            .any(|a| is_me(&a.who.email) && a.partstat == PartStat::Declined)
        {
            continue;
        }
        match (occ.start, occ.end) {
            (CalTime::Date(first), end) => {
                let end = match end {
                    CalTime::Date(e) if e > first => e,
                    _ => first + Duration::days(1),
                };
                away.extend(first.iter_days().take_while(|d| *d < end));
            }
            (start, end) => {
                let span = Interval::new(start.instant_in(tz), end.instant_in(tz));
                let (first, last) = (
                    template.local_date(span.start),
                    template.local_date(span.end),
                );
                for date in first.iter_days().take_while(|d| *d <= last) {
                    let work = template.template_on(date);
                    if !work.is_empty()
                        && work
                            .iter()
                            .all(|w| span.start <= w.start && w.end <= span.end)
                    {
                        away.insert(date);
                    }
                }
            }
        }
    }
    away
}

/// A memo of [`WorkClock::is_working`] for one clock: the working ranges
/// around the local date last asked about, converted from the template (and
/// time zone) once and reused while the questions stay on that date.
///
/// Chat asks the same question for the same person millions of times, and
/// messages arrive a conversation-day at a time, so consecutive questions
/// about one person are mostly about one date; each plain call converts up
/// to four wall-clock times to instants and allocates. One date is kept (not
/// all of them) so the memory stays a few bytes per person. The answers are
/// the same as [`WorkClock::is_working`]'s as long as the memo is always used
/// with the same, unchanged clock.
#[derive(Debug, Clone, Default)]
pub struct WorkingDays {
    date: Option<NaiveDate>,
    around: Vec<Interval>,
}

impl WorkingDays {
    /// An empty memo.
    pub fn new() -> Self {
        Self::default()
    }

    /// [`WorkClock::is_working`], memoized for the last local date. `clock`
    /// must be the same clock on every call.
    pub fn is_working(&mut self, clock: &WorkClock, at: DateTime<Utc>) -> bool {
        let date = clock.local_date(at);
        if self.date != Some(date) {
            self.around.clear();
            self.around.extend(clock.working_around(date));
            self.date = Some(date);
        }
        self.around.iter().any(|i| i.start <= at && at < i.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intervals::{hours, total};
    use chrono::{NaiveTime, TimeZone};
    use chrono_tz::{America, Europe, Pacific};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn std_clock(tz: Tz) -> WorkClock {
        WorkClock::new(tz, WorkingHours::standard(), BTreeSet::new())
    }

    #[test]
    fn chat_is_read_over_the_whole_weeks_and_the_margin() {
        // Wednesday 8 May to Tuesday 14 May 2024: weeks 19 and 20, Monday
        // 6 May to Sunday 19 May, widened by 14 days each side.
        let w = Window {
            from: date(2024, 5, 8),
            to: date(2024, 5, 14),
        };
        assert_eq!(w.chat_dates(14), (date(2024, 4, 22), date(2024, 6, 2)));
        assert_eq!(w.chat_dates(0), (date(2024, 5, 6), date(2024, 5, 19)));
    }

    #[test]
    fn working_days_memo_answers_as_the_clock() {
        // Over a DST change, every 7 minutes, in time order and shuffled
        // between two dates: the memo never differs from the clock.
        for tz in [Europe::Berlin, America::New_York, Pacific::Auckland] {
            let mut away = BTreeSet::new();
            away.insert(NaiveDate::from_ymd_opt(2026, 10, 27).unwrap());
            let clock = WorkClock::new(tz, WorkingHours::standard(), away);
            let mut memo = WorkingDays::new();
            let start = Utc.with_ymd_and_hms(2026, 10, 20, 0, 0, 0).unwrap();
            for k in 0..(14 * 24 * 60 / 7) {
                let at = start + Duration::minutes(7 * k);
                let other = start + Duration::minutes(7 * k + 36 * 60);
                for t in [at, other] {
                    assert_eq!(memo.is_working(&clock, t), clock.is_working(t), "{tz} {t}");
                }
            }
        }
    }

    #[test]
    fn week_labels_and_bounds() {
        // 2024-12-30 is a Monday in ISO week 2025-W01.
        assert_eq!(
            Week::of_date(date(2024, 12, 30)),
            Week {
                year: 2025,
                week: 1
            }
        );
        assert_eq!(
            Week {
                year: 2024,
                week: 9
            }
            .to_string(),
            "2024-W09"
        );
        let w = Window {
            from: date(2024, 3, 27),
            to: date(2024, 4, 2),
        };
        assert_eq!(
            w.weeks(),
            vec![
                Week {
                    year: 2024,
                    week: 13
                },
                Week {
                    year: 2024,
                    week: 14
                }
            ]
        );
    }

    #[test]
    fn berlin_spring_forward_week() {
        // 2024-W13 is Mon 25 March to Sun 31 March; Berlin springs forward on
        // Sunday 31 March 02:00 -> 03:00. The week is 7 x 24 - 1 = 167 h, and
        // Mon-Fri 09:00-17:00 is still 5 x 8 = 40 working hours.
        let w = Week {
            year: 2024,
            week: 13,
        };
        assert_eq!(hours(w.bounds_in(&Europe::Berlin).duration()), 167.0);
        assert_eq!(
            hours(total(&std_clock(Europe::Berlin).working_in_week(w))),
            40.0
        );
    }

    #[test]
    fn working_hours_across_the_dst_gap_are_elapsed_time() {
        // A Sunday shift 01:00-05:00 on the wall clock on 31 March 2024 in
        // Berlin: 01:00 CET = 00:00Z, 05:00 CEST = 03:00Z, so 3 hours of
        // elapsed working time, not 4.
        let mut h = WorkingHours {
            days: Default::default(),
        };
        h.days[6] = vec![fulcrum_model::WorkingRange {
            start: NaiveTime::from_hms_opt(1, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(5, 0, 0).unwrap(),
        }];
        let c = WorkClock::new(Europe::Berlin, h, BTreeSet::new());
        assert_eq!(
            hours(total(&c.working_in_week(Week {
                year: 2024,
                week: 13
            }))),
            3.0
        );
    }

    #[test]
    fn auckland_week_starts_while_los_angeles_is_still_in_the_last() {
        // Sunday 2024-03-03 20:00Z: Monday 09:00 in Auckland (NZDT, +13), week
        // 2024-W10; Sunday 12:00 in Los Angeles (PST, -8), still 2024-W09.
        let at = Utc.with_ymd_and_hms(2024, 3, 3, 20, 0, 0).unwrap();
        assert_eq!(
            Week::of_instant(at, &Pacific::Auckland),
            Week {
                year: 2024,
                week: 10
            }
        );
        assert_eq!(
            Week::of_instant(at, &America::Los_Angeles),
            Week {
                year: 2024,
                week: 9
            }
        );
        assert!(std_clock(Pacific::Auckland).is_working(at));
        assert!(!std_clock(America::Los_Angeles).is_working(at));
    }

    #[test]
    fn business_time_over_a_weekend() {
        // Friday 2024-03-08 16:00 to Monday 03-11 10:00 in New York, 9-17:
        // 1 h on Friday + 1 h on Monday = 2 business hours.
        let ny = America::New_York;
        let from = local_to_utc(&ny, date(2024, 3, 8).and_hms_opt(16, 0, 0).unwrap());
        let to = local_to_utc(&ny, date(2024, 3, 11).and_hms_opt(10, 0, 0).unwrap());
        assert_eq!(
            std_clock(ny).business_time(from, to, None),
            Duration::hours(2)
        );
        assert_eq!(std_clock(ny).hours_per_working_day(), Some(8.0));
    }
}
