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
use fulcrum_model::time::local_to_utc;
use fulcrum_model::{Interval, union_of};

/// Local time at which night starts for everyone: no meeting is suggested
/// between this and [`NIGHT_ENDS`] while another slot exists.
pub const NIGHT_STARTS: NaiveTime = match NaiveTime::from_hms_opt(22, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

/// Local time at which night ends.
pub const NIGHT_ENDS: NaiveTime = match NaiveTime::from_hms_opt(7, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

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
    /// Per member (input order): mean hours inside their night
    /// ([`NIGHT_STARTS`] to [`NIGHT_ENDS`] local) per meeting day.
    pub night: Vec<f64>,
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
    /// otherwise the slots outside everyone's night that spread the time
    /// outside working hours (up to three to rotate through, only when
    /// rotating spreads it), otherwise the one least bad slot.
    pub suggestions: Vec<Slot>,
    /// True when every slot falls in someone's night: the one suggestion
    /// is the least bad, and async work is the better answer.
    pub night_only: bool,
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
    let (suggestions, night_only) = suggest(members, &days, required, meeting);
    OverlapPlan {
        required,
        days,
        periods,
        suggestions,
        night_only,
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

/// Hours of `span` inside the night of `clock`'s zone (its local nights
/// around the span).
fn night_hours(clock: &WorkClock, span: Interval) -> f64 {
    let tz = clock.tz();
    let first = clock.local_date(span.start).pred_opt();
    let nights: Vec<Interval> = first
        .into_iter()
        .flat_map(|d| d.iter_days().take(3))
        .filter_map(|d| {
            let start = local_to_utc(tz, d.and_time(NIGHT_STARTS));
            let end = local_to_utc(tz, d.succ_opt()?.and_time(NIGHT_ENDS));
            Some(Interval::new(start, end))
        })
        .collect();
    hours(total(&intersect(&union_of(nights), &[span])))
}

/// Slots every 30 minutes of the UTC day, scored over the days on which at
/// least the required members work. Returns the suggestions and whether
/// every slot falls in someone's night.
fn suggest(
    members: &[OverlapMember],
    days: &[DayOverlap],
    required: usize,
    meeting: Duration,
) -> (Vec<Slot>, bool) {
    let meeting_days: Vec<NaiveDate> = days
        .iter()
        .filter(|d| d.working >= required)
        .map(|d| d.date)
        .collect();
    if meeting_days.is_empty() || members.is_empty() || meeting <= Duration::zero() {
        return (Vec::new(), false);
    }
    let per_day = |f: &dyn Fn(chrono::DateTime<Utc>) -> f64| -> f64 {
        meeting_days
            .iter()
            .map(|d| f(d.and_time(NaiveTime::MIN).and_utc()))
            .sum::<f64>()
            / meeting_days.len() as f64
    };
    let slots: Vec<Slot> = (0..48)
        .map(|half| {
            let offset = Duration::minutes(30 * half);
            let start = NaiveTime::MIN + offset;
            let burden = members
                .iter()
                .map(|m| {
                    per_day(&|day| {
                        let s = day + offset;
                        hours(meeting - m.clock.business_time(s, s + meeting, None))
                    })
                })
                .collect();
            let night = members
                .iter()
                .map(|m| {
                    per_day(&|day| {
                        let s = day + offset;
                        night_hours(&m.clock, Interval::new(s, s + meeting))
                    })
                })
                .collect();
            Slot {
                start,
                burden,
                night,
            }
        })
        .collect();
    let sum = |v: &[f64]| v.iter().fold(0.0, |a, b| a + b);
    let max = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    if let Some(free) = slots.iter().find(|s| sum(&s.burden) < 1e-9) {
        return (vec![free.clone()], false);
    }
    // How far outside working hours each slot falls, summed over members: a
    // 21:00 meeting and an 18:00 one both put an hour outside, but they are
    // not the same burden.
    let distance: Vec<f64> = slots
        .iter()
        .map(|slot| {
            let offset = slot.start - NaiveTime::MIN;
            members
                .iter()
                .map(|m| {
                    per_day(&|day| {
                        let s = day + offset;
                        (0..=24)
                            .map(|k| Duration::minutes(30 * k))
                            .find(|k| {
                                m.clock.business_time(s - *k, s + meeting + *k, None)
                                    > Duration::zero()
                            })
                            .map_or(12.0, hours)
                    })
                })
                .sum()
        })
        .collect();
    let daytime: Vec<(&Slot, f64)> = slots
        .iter()
        .zip(distance.iter().copied())
        .filter(|(s, _)| sum(&s.night) < 1e-9)
        .collect();
    if daytime.is_empty() {
        // Someone is up at night whatever the time: the slot with the least
        // night for the one who gets most, then the least night in all,
        // then the least time outside hours, then the closest to hours.
        let least_bad = slots
            .iter()
            .zip(&distance)
            .min_by(|(a, da), (b, db)| {
                max(&a.night)
                    .total_cmp(&max(&b.night))
                    .then(sum(&a.night).total_cmp(&sum(&b.night)))
                    .then(sum(&a.burden).total_cmp(&sum(&b.burden)))
                    .then(da.total_cmp(db))
            })
            .map(|(s, _)| s.clone());
        return (least_bad.into_iter().collect(), true);
    }
    // Rotation: add the slot that keeps the heaviest cumulative burden
    // lowest, then the lowest total, then the one closest to working hours,
    // then the earliest; a further slot only when it lowers the heaviest
    // share per meeting (rotating between slots that cost the same person
    // the same hour spreads nothing).
    let mut chosen: Vec<Slot> = Vec::new();
    let mut carried = vec![0.0; members.len()];
    for _ in 0..3 {
        let best = daytime
            .iter()
            .filter(|(s, _)| !chosen.iter().any(|c| c.start == s.start))
            .map(|(s, far)| {
                let worst = carried
                    .iter()
                    .zip(&s.burden)
                    .map(|(a, b)| a + b)
                    .fold(0.0, f64::max);
                (worst, sum(&s.burden), *far, *s)
            })
            .min_by(|a, b| {
                a.0.total_cmp(&b.0)
                    .then(a.1.total_cmp(&b.1))
                    .then(a.2.total_cmp(&b.2))
            });
        let Some((worst, _, _, s)) = best else { break };
        let k = chosen.len() as f64;
        if k > 0.0 && worst / (k + 1.0) >= max(&carried) / k - 1e-9 {
            break;
        }
        for (c, b) in carried.iter_mut().zip(&s.burden) {
            *c += b;
        }
        chosen.push(s.clone());
    }
    chosen.sort_by_key(|s| s.start);
    (chosen, false)
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
        // Outside everyone's night (07:00-22:00 local): Berlin 06:00-21:00
        // UTC, New York 12:00-03:00, Bangalore 01:30-16:30: 12:00-16:30
        // UTC. Bangalore's hours end at 11:30 UTC, so every such slot costs
        // it an hour (14:00 UTC = 19:30 there, New York 09:00, Berlin
        // 15:00); earlier ones also cost New York, later ones Berlin.
        // Rotating would move no hour off Bangalore: one slot, 14:00 (the
        // nearest to its hours of 14:00, 14:30, 15:00).
        assert!(!plan.night_only);
        assert_eq!(plan.suggestions.len(), 1);
        let s = &plan.suggestions[0];
        assert_eq!(s.start, t(14, 0));
        assert_eq!(s.burden, vec![0.0, 0.0, 1.0]);
        assert_eq!(s.night, vec![0.0, 0.0, 0.0]);
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

    #[test]
    fn los_angeles_and_kolkata_get_no_night_slot() {
        // January 2025: Los Angeles PST (UTC-8) works 17:00-01:00 UTC,
        // Kolkata (UTC+5:30) 03:30-11:30 UTC: no overlap. Daytime
        // (07:00-22:00 local): Los Angeles 15:00-06:00 UTC, Kolkata
        // 01:30-16:30 UTC; both awake 01:30-06:00 and 15:00-16:30 UTC, so a
        // 60-minute meeting may start 01:30-05:00 or 15:00-15:30 UTC.
        // Outside hours: 01:30-02:30 cost both an hour; 03:00 Los Angeles
        // 1 h and Kolkata 0.5 h; 03:30-05:00 Los Angeles 1 h only (19:30 to
        // 21:00 PST, Kolkata 09:00 to 10:30); 15:00-15:30 both an hour.
        // Every slot costs Los Angeles an hour, so nothing rotates: 03:30
        // UTC (19:30 in Los Angeles, 09:00 in Kolkata), the closest to Los
        // Angeles' hours of the cheapest. The 11:00 UTC slot the old planner
        // chose (03:00 in Los Angeles) is night.
        let team = vec![
            member("Los Angeles", chrono_tz::America::Los_Angeles, 9),
            member("Kolkata", chrono_tz::Asia::Kolkata, 9),
        ];
        let plan = plan_overlap(&team, d(1, 6), d(1, 10), 1.0, Duration::hours(1));
        assert!(plan.none());
        assert!(!plan.night_only);
        assert_eq!(plan.suggestions.len(), 1);
        let s = &plan.suggestions[0];
        assert_eq!(s.start, t(3, 30));
        assert_eq!(s.burden, vec![1.0, 0.0]);
        assert_eq!(s.night, vec![0.0, 0.0]);
    }

    #[test]
    fn when_every_slot_is_someones_night_the_least_bad_is_named() {
        // January 2025, 07:00-22:00 local awake: Los Angeles 15:00-06:00
        // UTC, London 07:00-22:00, Tokyo (UTC+9) 22:00-13:00. Their nights
        // (06:00-15:00, 22:00-07:00, 13:00-22:00 UTC) cover the whole day,
        // so every 60-minute slot has at least an hour of someone's night.
        // Only 21:30 UTC splits it: London 21:30-22:30 and Tokyo
        // 06:30-07:30, half an hour each (Los Angeles at 13:30).
        let team = vec![
            member("Los Angeles", chrono_tz::America::Los_Angeles, 9),
            member("London", chrono_tz::Europe::London, 9),
            member("Tokyo", chrono_tz::Asia::Tokyo, 9),
        ];
        let plan = plan_overlap(&team, d(1, 6), d(1, 10), 1.0, Duration::hours(1));
        assert!(plan.night_only);
        assert_eq!(plan.suggestions.len(), 1);
        let s = &plan.suggestions[0];
        assert_eq!(s.start, t(21, 30));
        assert_eq!(s.night, vec![0.0, 0.5, 0.5]);
    }
}
