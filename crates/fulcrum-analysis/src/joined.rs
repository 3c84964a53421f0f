//! Signals that join a person's chat with their calendar (docs/SIGNALS.md):
//! `multitasking_hours`, `low_quality_meeting_hours` with its share and
//! cost, and the `flexibility_index`.
//!
//! The calendar side is laid down when the person's calendar is folded
//! ([`Joined::add_meetings`]); chat marks it message by message
//! ([`Joined::message_sent`]); [`Joined::meeting_quality`] and
//! [`Joined::flexibility`] read the values once everything is in. Memory is
//! one record per attended meeting of the window and one word per day.

use crate::intervals::{clip, covered_twice, hours, total};
use crate::meetings::PersonMeetings;
use crate::params::Params;
use crate::signal::Ratio;
use crate::week::{Week, WorkClock};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use fulcrum_model::time::local_to_utc;
use fulcrum_model::{Interval, union_of};

/// A day counts for the flexibility index with at least this many active hours.
const MIN_ACTIVE_HOURS: u32 = 3;

/// What one person's calendar and chat leave for the joined signals.
#[derive(Debug, Clone)]
pub(crate) struct Joined {
    /// Attended meetings that reach into the window, sorted by start.
    meetings: Vec<MarkedMeeting>,
    /// The longest of them: a message at `t` can only fall in meetings
    /// starting after `t - longest`.
    longest: Duration,
    /// The Monday of the window's first week; day `d` is `first_day + d`.
    first_day: NaiveDate,
    /// Per day of the window, bit `h` set when the local hour `h:00-h+1:00`
    /// saw an attended meeting or a message sent.
    active: Vec<u32>,
    /// The last local day an instant fell in, when it has 24 hours that
    /// start at midnight: hours are then whole hours since its start.
    memo: Option<DayMemo>,
}

#[derive(Debug, Clone, Copy)]
struct MarkedMeeting {
    interval: Interval,
    /// Conflicting or without a stated outcome: low quality on the
    /// calendar alone.
    calendar_low: bool,
    /// The person sent a message during it.
    multitasked: bool,
}

#[derive(Debug, Clone, Copy)]
struct DayMemo {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    day: usize,
}

/// `multitasking_hours` and `low_quality_meeting_hours` of a person-week,
/// with what the share and the cost are over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeetingQuality {
    /// Meeting time (union) in meetings during which a message was sent.
    pub multitasking_hours: f64,
    /// Meeting time (union) in conflicting, multitasked or outcome-less meetings.
    pub low_quality_hours: f64,
    /// The week's meeting time: the share's whole.
    pub meeting_hours: f64,
    /// `low_quality_hours` x the policy's hourly rate.
    pub low_quality_cost: f64,
}

impl Joined {
    /// Nothing yet, for a window of `weeks` weeks from `first_day` (a Monday).
    pub(crate) fn new(first_day: NaiveDate, weeks: usize) -> Self {
        Joined {
            meetings: Vec::new(),
            longest: Duration::zero(),
            first_day,
            active: vec![0; weeks * 7],
            memo: None,
        }
    }

    /// Lays down the attended meetings reaching into `window` (instants):
    /// whether each is low quality on the calendar alone, and the hours it
    /// makes active.
    pub(crate) fn add_meetings(&mut self, meetings: &PersonMeetings, window: Interval, tz: &Tz) {
        let reaching = |i: &Interval| i.start < window.end && i.end > window.start;
        let not_declined: Vec<Interval> = meetings
            .not_declined
            .iter()
            .copied()
            .filter(reaching)
            .collect();
        let conflicts = covered_twice(&not_declined);
        for m in meetings.attended.iter().filter(|m| reaching(&m.interval)) {
            let i = m.interval;
            let first = conflicts.partition_point(|c| c.end <= i.start);
            let conflicting = conflicts.get(first).is_some_and(|c| c.start < i.end);
            self.meetings.push(MarkedMeeting {
                interval: i,
                calendar_low: conflicting || !m.details.description.has_outcome,
                multitasked: false,
            });
            self.longest = self.longest.max(i.duration());
            // Every local hour the meeting overlaps is active.
            let mut t = i.start;
            while t < i.end {
                let local = t.with_timezone(tz);
                self.mark_hour(t, tz);
                let into_hour = i64::from(local.minute() * 60 + local.second());
                t += Duration::seconds(3600 - into_hour);
            }
        }
    }

    /// Records a message the person sent at `at`.
    pub(crate) fn message_sent(&mut self, at: DateTime<Utc>, tz: &Tz) {
        let until = self.meetings.partition_point(|m| m.interval.start <= at);
        for m in self.meetings[..until].iter_mut().rev() {
            if m.interval.start + self.longest < at {
                break;
            }
            if at < m.interval.end {
                m.multitasked = true;
            }
        }
        self.mark_hour(at, tz);
    }

    /// Sets the bit of the local hour holding `at`, if its day is in the window.
    fn mark_hour(&mut self, at: DateTime<Utc>, tz: &Tz) {
        if let Some(m) = self.memo
            && m.start <= at
            && at < m.end
        {
            let hour = (at - m.start).num_seconds() / 3600;
            self.active[m.day] |= 1 << hour;
            return;
        }
        let local = at.with_timezone(tz);
        let date = local.date_naive();
        let Ok(day) = usize::try_from((date - self.first_day).num_days()) else {
            return;
        };
        if day >= self.active.len() {
            return;
        }
        self.active[day] |= 1 << local.hour();
        let start = local_to_utc(tz, date.and_time(chrono::NaiveTime::MIN));
        let end = local_to_utc(
            tz,
            (date + Duration::days(1)).and_time(chrono::NaiveTime::MIN),
        );
        let midnight = start.with_timezone(tz);
        self.memo =
            (end - start == Duration::hours(24) && midnight.hour() == 0 && midnight.minute() == 0)
                .then_some(DayMemo { start, end, day });
    }

    /// `multitasking_hours` and `low_quality_meeting_hours` of the week
    /// whose bounds (in the person's zone) are `bounds`.
    pub(crate) fn meeting_quality(
        &self,
        bounds: Interval,
        meeting_hours: f64,
        params: &Params,
    ) -> MeetingQuality {
        let union_hours = |keep: &dyn Fn(&MarkedMeeting) -> bool| {
            let of_kind: Vec<Interval> = self
                .meetings
                .iter()
                .filter(|m| m.interval.start < bounds.end && m.interval.end > bounds.start)
                .filter(|m| keep(m))
                .map(|m| m.interval)
                .collect();
            hours(total(&clip(&union_of(of_kind), bounds)))
        };
        let low = union_hours(&|m| m.calendar_low || m.multitasked);
        MeetingQuality {
            multitasking_hours: union_hours(&|m| m.multitasked),
            low_quality_hours: low,
            meeting_hours,
            low_quality_cost: low * params.hourly_rate,
        }
    }

    /// `flexibility_index` of week number `w` of the window: the sum of the
    /// qualifying days' scores over the number of such days.
    pub(crate) fn flexibility(&self, w: usize, week: Week, clock: &WorkClock) -> Option<Ratio> {
        let mut score = 0.0;
        let mut days = 0.0;
        for (d, date) in week.dates().enumerate() {
            let Some(&mask) = self.active.get(w * 7 + d) else {
                continue;
            };
            if let Some(s) = day_score(mask, clock, date) {
                score += s;
                days += 1.0;
            }
        }
        (days > 0.0).then(|| Ratio::new(score, days))
    }
}

/// One day's flexibility score (0, 1/3, 2/3 or 1), when the day qualifies:
/// a working day of the person with at least three active hours.
fn day_score(mask: u32, clock: &WorkClock, date: NaiveDate) -> Option<f64> {
    let active = mask.count_ones();
    if active < MIN_ACTIVE_HOURS || clock.away_days().contains(&date) {
        return None;
    }
    let ranges = clock.hours().on(date.weekday());
    let start = ranges.iter().map(|r| r.start).min()?;
    let end = ranges.iter().map(|r| r.end).max()?;
    let working_day = (end - start).num_seconds() as f64 / 3600.0;
    let first = mask.trailing_zeros();
    let span = 32 - mask.leading_zeros() - first;
    let takes_breaks = span > active;
    let changes_hours = first != start.hour();
    let keeps_control = f64::from(span) <= working_day;
    let yes = [takes_breaks, changes_hours, keeps_control]
        .iter()
        .filter(|b| **b)
        .count();
    Some(yes as f64 / 3.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::Meeting;
    use chrono::TimeZone;
    use fulcrum_model::{DescriptionFlags, EventDetails, WorkingHours};
    use std::collections::BTreeSet;
    use std::sync::Arc;

    fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, d, h, m, 0).unwrap()
    }

    fn meeting(start: DateTime<Utc>, minutes: i64, outcome: bool) -> Meeting {
        Meeting {
            interval: Interval::new(start, start + Duration::minutes(minutes)),
            uid: Arc::from("m"),
            recurring: false,
            participants: 3,
            organizer: None,
            met: Arc::from(Vec::new()),
            invite: None,
            organized_by_me: false,
            details: Arc::new(EventDetails {
                description: DescriptionFlags {
                    has_outcome: outcome,
                    ..DescriptionFlags::default()
                },
                ..EventDetails::default()
            }),
        }
    }

    fn person(attended: Vec<Meeting>, extra_not_declined: Vec<Interval>) -> PersonMeetings {
        let mut not_declined: Vec<Interval> = attended.iter().map(|m| m.interval).collect();
        not_declined.extend(extra_not_declined);
        not_declined.sort_by_key(|i| i.start);
        PersonMeetings {
            union: union_of(attended.iter().map(|m| m.interval).collect()),
            attended,
            not_declined,
            ..PersonMeetings::default()
        }
    }

    fn monday() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 3).unwrap()
    }

    #[test]
    fn multitasked_conflicting_and_outcome_less_meetings_are_low_quality() {
        // Monday 3 March 2025, UTC. 09:00-10:00 with an outcome, a message
        // at 09:30: multitasked (1 h). 11:00-11:30 with an outcome and a
        // tentative 11:15-12:00 over it: conflicting (0.5 h). 14:00-15:00
        // without an outcome (1 h). 16:00-17:00 with an outcome and a message
        // at 17:00 sharp, after its end: fine. Low quality 2.5 h of 3.5 h;
        // multitasked 1 h; cost 2.5 x 75 = 187.5.
        let tz = chrono_tz::UTC;
        let m = person(
            vec![
                meeting(at(3, 9, 0), 60, true),
                meeting(at(3, 11, 0), 30, true),
                meeting(at(3, 14, 0), 60, false),
                meeting(at(3, 16, 0), 60, true),
            ],
            vec![Interval::new(at(3, 11, 15), at(3, 12, 0))],
        );
        let week = Week::of_date(monday());
        let bounds = week.bounds_in(&tz);
        let mut j = Joined::new(monday(), 1);
        j.add_meetings(&m, bounds, &tz);
        j.message_sent(at(3, 9, 30), &tz);
        j.message_sent(at(3, 17, 0), &tz);
        let q = j.meeting_quality(bounds, 3.5, &Params::default());
        assert_eq!(q.multitasking_hours, 1.0);
        assert_eq!(q.low_quality_hours, 2.5);
        assert_eq!(q.low_quality_cost, 187.5);
        assert_eq!(q.meeting_hours, 3.5);
    }

    #[test]
    fn a_message_marks_every_meeting_it_falls_in_even_behind_a_long_one() {
        // A 3 h meeting from 08:00 and a 30 min one at 10:00: a message at
        // 10:10 is in both; one at 07:59 in neither.
        let tz = chrono_tz::UTC;
        let m = person(
            vec![
                meeting(at(3, 8, 0), 180, true),
                meeting(at(3, 10, 0), 30, true),
            ],
            vec![],
        );
        let week = Week::of_date(monday());
        let bounds = week.bounds_in(&tz);
        let mut j = Joined::new(monday(), 1);
        j.add_meetings(&m, bounds, &tz);
        j.message_sent(at(3, 7, 59), &tz);
        assert_eq!(
            j.meeting_quality(bounds, 3.0, &Params::default())
                .multitasking_hours,
            0.0
        );
        j.message_sent(at(3, 10, 10), &tz);
        assert!(j.meetings.iter().all(|m| m.multitasked));
    }

    fn clock(tz: Tz) -> WorkClock {
        WorkClock::new(tz, WorkingHours::standard(), BTreeSet::new())
    }

    #[test]
    fn flexibility_of_days_worked_out_by_hand() {
        // Working hours 09:00-17:00 (8 h), Berlin (UTC+1 in early March).
        // Monday: active 09, 10, 11 local: span 3 = active, no break; first
        // hour 9 = start, no change; span 3 <= 8, control: 1/3.
        // Tuesday: active 08, 12, 18 local: span 11 > 3 active, break;
        // first 8 != 9, change; 11 > 8, no control: 2/3.
        // Wednesday: two active hours only: not a qualifying day.
        // Saturday: not a working day. Week: (1/3 + 2/3) / 2 days = 0.5.
        let tz = chrono_tz::Europe::Berlin;
        let local = |d: u32, h: u32| tz.with_ymd_and_hms(2025, 3, d, h, 20, 0).unwrap().to_utc();
        let mut j = Joined::new(monday(), 1);
        for (d, h) in [
            (3, 9),
            (3, 10),
            (3, 11),
            (4, 8),
            (4, 12),
            (4, 18),
            (5, 9),
            (5, 10),
        ] {
            j.message_sent(local(d, h), &tz);
        }
        for h in [9, 10, 11, 12] {
            j.message_sent(local(8, h), &tz);
        }
        let r = j
            .flexibility(0, Week::of_date(monday()), &clock(tz))
            .unwrap();
        assert!((r.part - 1.0).abs() < 1e-12, "{r:?}");
        assert_eq!(r.whole, 2.0);
    }

    #[test]
    fn a_meeting_makes_each_local_hour_it_touches_active_across_a_dst_change() {
        // Sunday 30 March 2025, Berlin springs forward at 02:00 -> 03:00. A
        // meeting 00:30-03:30 local (two hours elapsed) touches 00, 01 and
        // 03 local; hour 02 does not exist that day.
        let tz = chrono_tz::Europe::Berlin;
        let start = tz.with_ymd_and_hms(2025, 3, 30, 0, 30, 0).unwrap().to_utc();
        let m = person(vec![meeting(start, 120, true)], vec![]);
        let sunday_week = NaiveDate::from_ymd_opt(2025, 3, 24).unwrap();
        let week = Week::of_date(sunday_week);
        let mut j = Joined::new(sunday_week, 1);
        j.add_meetings(&m, week.bounds_in(&tz), &tz);
        assert_eq!(j.active[6], 0b1011);
        // A message at 04:10 local that day (02:10 UTC).
        j.message_sent(Utc.with_ymd_and_hms(2025, 3, 30, 2, 10, 0).unwrap(), &tz);
        assert_eq!(j.active[6], 0b11011);
    }
}
