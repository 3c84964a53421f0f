//! Half-open intervals of time and their union.

use chrono::{DateTime, Duration, Utc};

/// A half-open interval `[start, end)` between two instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    /// First instant inside the interval.
    pub start: DateTime<Utc>,
    /// First instant after the interval.
    pub end: DateTime<Utc>,
}

impl Interval {
    /// An interval; `end` before `start` gives an empty interval at `start`.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        Interval {
            start,
            end: end.max(start),
        }
    }

    /// The length of the interval.
    pub fn duration(&self) -> Duration {
        self.end - self.start
    }

    /// True when the interval holds no time.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// The common part of two intervals, if they share any time.
    pub fn intersect(&self, other: &Interval) -> Option<Interval> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start < end).then_some(Interval { start, end })
    }
}

/// The union of intervals as sorted, disjoint, non-empty intervals: overlapping
/// and touching intervals are merged, so no instant is counted twice.
pub fn union_of(mut intervals: Vec<Interval>) -> Vec<Interval> {
    intervals.retain(|i| !i.is_empty());
    intervals.sort_unstable();
    let mut merged: Vec<Interval> = Vec::with_capacity(intervals.len());
    for next in intervals {
        match merged.last_mut() {
            Some(last) if next.start <= last.end => last.end = last.end.max(next.end),
            _ => merged.push(next),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 5, 6, h, m, 0).unwrap()
    }

    #[test]
    fn union_merges_overlaps_and_touching_intervals() {
        // 09:00-10:00 and 09:30-11:00 overlap -> 09:00-11:00 (2 h, not 2.5 h);
        // 11:00-11:30 touches it -> 09:00-11:30; 13:00-14:00 stays apart.
        let u = union_of(vec![
            Interval::new(at(13, 0), at(14, 0)),
            Interval::new(at(9, 30), at(11, 0)),
            Interval::new(at(9, 0), at(10, 0)),
            Interval::new(at(11, 0), at(11, 30)),
            Interval::new(at(12, 0), at(12, 0)),
        ]);
        assert_eq!(
            u,
            vec![
                Interval::new(at(9, 0), at(11, 30)),
                Interval::new(at(13, 0), at(14, 0))
            ]
        );
        let total: i64 = u.iter().map(|i| i.duration().num_minutes()).sum();
        assert_eq!(total, 150 + 60);
    }

    #[test]
    fn intersect_keeps_only_shared_time() {
        let a = Interval::new(at(9, 0), at(10, 0));
        let b = Interval::new(at(9, 45), at(11, 0));
        assert_eq!(a.intersect(&b), Some(Interval::new(at(9, 45), at(10, 0))));
        assert_eq!(a.intersect(&Interval::new(at(10, 0), at(11, 0))), None);
    }
}
