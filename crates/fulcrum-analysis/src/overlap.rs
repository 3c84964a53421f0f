//! The overlap planner: when a distributed team can meet.
//!
//! For each UTC date of a range, the windows in which at least the required
//! number of members are inside working hours ([`WorkClock`], so each
//! member's own DST changes and away days apply), grouped into periods of
//! consecutive dates with the same windows; and suggested slots for a
//! recurring meeting, chosen so the time outside working hours is spread
//! over the members rather than carried by one. Distinct from
//! [`crate::team::overlap`], the weekly signal.

use crate::intervals::{hours, intersect, total};
use crate::week::WorkClock;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use fulcrum_model::{Interval, union_of};

/// One member of the group.
#[derive(Debug, Clone)]
pub struct OverlapMember {
    /// A label (name or email).
    pub name: String,
    /// Working time.
    pub clock: WorkClock,
}

/// The overlap of one UTC date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOverlap {
    /// The UTC date.
    pub date: NaiveDate,
    /// Windows with at least the required members working.
    pub windows: Vec<Interval>,
    /// Time with every member working.
    pub full: Duration,
    /// Members with any working time on this UTC date.
    pub working: usize,
}

/// Consecutive dates with the same windows (as UTC times of day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// First UTC date.
    pub first: NaiveDate,
    /// Last UTC date.
    pub last: NaiveDate,
    /// The weekdays of the dates in it, in order.
    pub weekdays: Vec<Weekday>,
    /// The windows of its first date.
    pub windows: Vec<Interval>,
}

/// A suggested time for a recurring meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// Start, UTC time of day.
    pub start: NaiveTime,
    /// Per member (input order): mean hours outside working hours per
    /// meeting day.
    pub burden: Vec<f64>,
}

/// The whole answer.
#[derive(Debug, Clone, PartialEq)]
pub struct OverlapPlan {
    /// How many members must be working for a window.
    pub required: usize,
    /// Per UTC date.
    pub days: Vec<DayOverlap>,
    /// Dates grouped by identical windows; days on which fewer than the
    /// required members work at all (weekends) are left out.
    pub periods: Vec<Period>,
    /// Suggested meeting slots: one when a slot inside the overlap exists,
    /// otherwise up to three to rotate through.
    pub suggestions: Vec<Slot>,
}

impl OverlapPlan {
    /// True when no day of the range has any window: suggest async work.
    pub fn none(&self) -> bool {
        self.days.iter().all(|d| d.windows.is_empty())
    }
}

fn utc_day(date: NaiveDate) -> Interval {
    let start = date.and_time(NaiveTime::MIN).and_utc();
    Interval::new(start, start + Duration::days(1))
}

/// A member's working time inside one UTC date (their local dates around it).
pub fn working_in(clock: &WorkClock, date: NaiveDate) -> Vec<Interval> {
    let day = [utc_day(date)];
    let local: Vec<Interval> = [date.pred_opt(), Some(date), date.succ_opt()]
        .into_iter()
        .flatten()
        .flat_map(|d| clock.working_on(d))
        .collect();
    intersect(&union_of(local), &day)
}

/// The spans covered by at least `k` of the lists.
fn covered_by(lists: &[Vec<Interval>], k: usize) -> Vec<Interval> {
    let mut edges: Vec<(chrono::DateTime<Utc>, i32)> = Vec::new();
    for l in lists {
        for i in l {
            edges.push((i.start, 1));
            edges.push((i.end, -1));
        }
    }
    // Ends before starts at the same instant: touching is not overlapping.
    edges.sort();
    let mut out = Vec::new();
    let mut count = 0i32;
    let mut open = None;
    for (t, delta) in edges {
        count += delta;
        if count >= k as i32 && open.is_none() {
            open = Some(t);
        } else if count < k as i32
            && let Some(s) = open.take()
        {
            out.push(Interval::new(s, t));
        }
    }
    union_of(out)
}

/// Plans the overlap of `members` over UTC dates `from..=to`. `share` is the
/// fraction of members that must be working (1.0 = everyone), `meeting` the
/// length of the recurring meeting to suggest slots for.
pub fn plan_overlap(
    members: &[OverlapMember],
    from: NaiveDate,
    to: NaiveDate,
    share: f64,
    meeting: Duration,
) -> OverlapPlan {
    let n = members.len();
    let required = ((share.clamp(0.0, 1.0) * n as f64).ceil() as usize).clamp(1, n.max(1));
    let mut days = Vec::new();
    for date in from.iter_days().take_while(|d| *d <= to) {
        let lists: Vec<Vec<Interval>> =
            members.iter().map(|m| working_in(&m.clock, date)).collect();
        days.push(DayOverlap {
            date,
            windows: covered_by(&lists, required),
            full: total(&covered_by(&lists, n.max(1))),
            working: lists.iter().filter(|l| !l.is_empty()).count(),
        });
    }
    let periods = periods_of(&days, required);
    let suggestions = suggest(members, &days, required, meeting);
    OverlapPlan {
        required,
        days,
        periods,
        suggestions,
    }
}

fn times_of(windows: &[Interval]) -> Vec<(NaiveTime, Duration)> {
    windows
        .iter()
        .map(|w| (w.start.time(), w.duration()))
        .collect()
}

fn periods_of(days: &[DayOverlap], required: usize) -> Vec<Period> {
    let mut periods: Vec<Period> = Vec::new();
    for day in days.iter().filter(|d| d.working >= required) {
        match periods.last_mut() {
            Some(p) if times_of(&p.windows) == times_of(&day.windows) => {
                p.last = day.date;
                if !p.weekdays.contains(&day.date.weekday()) {
                    p.weekdays.push(day.date.weekday());
                }
            }
            _ => periods.push(Period {
                first: day.date,
                last: day.date,
                weekdays: vec![day.date.weekday()],
                windows: day.windows.clone(),
            }),
        }
    }
    for p in &mut periods {
        p.weekdays.sort_by_key(Weekday::num_days_from_monday);
    }
    periods
}

/// Slots every 30 minutes of the UTC day, scored over the days on which at
/// least the required members work.
fn suggest(
    members: &[OverlapMember],
    days: &[DayOverlap],
    required: usize,
    meeting: Duration,
) -> Vec<Slot> {
    let meeting_days: Vec<NaiveDate> = days
        .iter()
        .filter(|d| d.working >= required)
        .map(|d| d.date)
        .collect();
    if meeting_days.is_empty() || members.is_empty() || meeting <= Duration::zero() {
        return Vec::new();
    }
    let slots: Vec<Slot> = (0..48)
        .map(|half| {
            let start = NaiveTime::MIN + Duration::minutes(30 * half);
            let burden = members
                .iter()
                .map(|m| {
                    let outside: f64 = meeting_days
                        .iter()
                        .map(|d| {
                            let s = d.and_time(start).and_utc();
                            hours(meeting - m.clock.business_time(s, s + meeting, None))
                        })
                        .sum();
                    outside / meeting_days.len() as f64
                })
                .collect();
            Slot { start, burden }
        })
        .collect();
    let sum = |s: &Slot| s.burden.iter().fold(0.0, |a, b| a + b);
    if let Some(free) = slots.iter().find(|s| sum(s) < 1e-9) {
        return vec![free.clone()];
    }
    // How far outside working hours each slot falls, summed over members: a
    // 03:00 meeting and an 18:00 one both put an hour outside, but they are
    // not the same burden.
    let distance: Vec<f64> = slots
        .iter()
        .map(|slot| {
            members
                .iter()
                .map(|m| {
                    let far: f64 = meeting_days
                        .iter()
                        .map(|d| {
                            let s = d.and_time(slot.start).and_utc();
                            (0..=24)
                                .map(|k| Duration::minutes(30 * k))
                                .find(|k| {
                                    m.clock.business_time(s - *k, s + meeting + *k, None)
                                        > Duration::zero()
                                })
                                .map_or(12.0, hours)
                        })
                        .sum();
                    far / meeting_days.len() as f64
                })
                .sum()
        })
        .collect();
    // Rotation: add the slot that keeps the heaviest cumulative burden
    // lowest, then the lowest total, then the one closest to working hours,
    // then the earliest.
    let mut chosen: Vec<Slot> = Vec::new();
    let mut carried = vec![0.0; members.len()];
    for _ in 0..3 {
        let best = slots
            .iter()
            .zip(&distance)
            .filter(|(s, _)| !chosen.iter().any(|c| c.start == s.start))
            .map(|(s, far)| {
                let worst = carried
                    .iter()
                    .zip(&s.burden)
                    .map(|(a, b)| a + b)
                    .fold(0.0, f64::max);
                (worst, sum(s), *far, s)
            })
            .min_by(|a, b| {
                a.0.total_cmp(&b.0)
                    .then(a.1.total_cmp(&b.1))
                    .then(a.2.total_cmp(&b.2))
            });
        let Some((_, _, _, s)) = best else { break };
        for (c, b) in carried.iter_mut().zip(&s.burden) {
            *c += b;
        }
        chosen.push(s.clone());
    }
    chosen.sort_by_key(|s| s.start);
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use fulcrum_model::{WorkingHours, WorkingRange};
    use std::collections::BTreeSet;

    fn hours_from(h: u32) -> WorkingHours {
        let mut wh = WorkingHours::standard();
        for day in wh.days.iter_mut().take(5) {
            *day = vec![WorkingRange {
                start: NaiveTime::from_hms_opt(h, 0, 0).expect("t"),
                end: NaiveTime::from_hms_opt(h + 8, 0, 0).expect("t"),
            }];
        }
        wh
    }

    fn member(name: &str, tz: chrono_tz::Tz, start: u32) -> OverlapMember {
        OverlapMember {
            name: name.into(),
            clock: WorkClock::new(tz, hours_from(start), BTreeSet::new()),
        }
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, day).expect("date")
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("t")
    }

    fn berlin_new_york_bangalore() -> Vec<OverlapMember> {
        vec![
            member("Berlin", chrono_tz::Europe::Berlin, 8),
            member("New York", chrono_tz::America::New_York, 8),
            member("Bangalore", chrono_tz::Asia::Kolkata, 12),
        ]
    }

    #[test]
    fn march_dst_changes_give_three_periods() {
        // Berlin 08-16 local, New York 08-16, Bangalore 12-20 (UTC+5:30,
        // no DST: 06:30-14:30 UTC).
        // Until Fri 7 Mar: Berlin CET 07-15 UTC, New York EST 13-21 UTC:
        //   all three 13:00-14:30 UTC, 1.5 h.
        // 10-28 Mar (US on EDT since Sun 9 Mar): New York 12-20 UTC:
        //   12:00-14:30 UTC, 2.5 h.
        // From Mon 31 Mar (EU on CEST since Sun 30 Mar): Berlin 06-14 UTC:
        //   12:00-14:00 UTC, 2 h.
        let plan = plan_overlap(
            &berlin_new_york_bangalore(),
            d(3, 3),
            d(4, 4),
            1.0,
            Duration::hours(1),
        );
        type Row = (NaiveDate, NaiveDate, Vec<(NaiveTime, Duration)>);
        let got: Vec<Row> = plan
            .periods
            .iter()
            .map(|p| (p.first, p.last, times_of(&p.windows)))
            .collect();
        assert_eq!(
            got,
            vec![
                (d(3, 3), d(3, 7), vec![(t(13, 0), Duration::minutes(90))]),
                (d(3, 10), d(3, 28), vec![(t(12, 0), Duration::minutes(150))]),
                (d(3, 31), d(4, 4), vec![(t(12, 0), Duration::minutes(120))]),
            ]
        );
        let full = |m, day| {
            plan.days
                .iter()
                .find(|x| x.date == d(m, day))
                .expect("day")
                .full
        };
        assert_eq!(full(3, 5), Duration::minutes(90));
        assert_eq!(full(3, 12), Duration::minutes(150));
        assert_eq!(full(4, 2), Duration::minutes(120));
        assert_eq!(full(3, 8), Duration::zero()); // Saturday
        // A slot inside the overlap on every day exists: 13:00 UTC.
        assert_eq!(plan.suggestions.len(), 1);
        assert_eq!(plan.suggestions[0].start, t(13, 0));
        assert!(!plan.none());
    }

    #[test]
    fn no_overlap_at_all_is_said_and_burden_rotates() {
        // Berlin 09-17 and Bangalore 09-17 vs New York 09-17, in January:
        // Bangalore 03:30-11:30 UTC, New York 14:00-22:00 UTC: never all
        // three together.
        let team = vec![
            member("Berlin", chrono_tz::Europe::Berlin, 9),
            member("New York", chrono_tz::America::New_York, 9),
            member("Bangalore", chrono_tz::Asia::Kolkata, 9),
        ];
        let plan = plan_overlap(&team, d(1, 6), d(1, 10), 1.0, Duration::hours(1));
        assert!(plan.none());
        assert!(plan.days.iter().all(|x| x.full.is_zero()));
        // Rotation: three slots; each has someone outside hours.
        assert_eq!(plan.suggestions.len(), 3);
        for s in &plan.suggestions {
            assert!(s.burden.iter().sum::<f64>() > 0.0);
        }
        // With two of three (share 0.6 -> 2 members), Berlin overlaps each:
        // Bangalore 08:00-11:30 UTC and New York 14:00-16:00 UTC.
        let plan = plan_overlap(&team, d(1, 6), d(1, 6), 0.6, Duration::hours(1));
        assert_eq!(plan.required, 2);
        assert_eq!(
            times_of(&plan.days[0].windows),
            vec![
                (t(8, 0), Duration::minutes(210)),
                (t(14, 0), Duration::minutes(120))
            ]
        );
    }
}
