//! Set operations on sorted, disjoint interval lists (the shape
//! [`fulcrum_model::union_of`] returns): intersection, difference, clipping,
//! and the time covered by two or more intervals.

use chrono::Duration;
use fulcrum_model::{Interval, union_of};

/// Total length of disjoint intervals.
pub fn total(set: &[Interval]) -> Duration {
    set.iter()
        .map(Interval::duration)
        .fold(Duration::zero(), |a, b| a + b)
}

/// A duration in hours.
pub fn hours(d: Duration) -> f64 {
    d.num_milliseconds() as f64 / 3_600_000.0
}

/// The intersection of two sorted, disjoint lists.
pub fn intersect(a: &[Interval], b: &[Interval]) -> Vec<Interval> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        if let Some(common) = a[i].intersect(&b[j]) {
            out.push(common);
        }
        if a[i].end <= b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// `a` minus `b`, both sorted and disjoint.
pub fn subtract(a: &[Interval], b: &[Interval]) -> Vec<Interval> {
    let mut out = Vec::new();
    let mut j = 0;
    for piece in a {
        let mut start = piece.start;
        while j < b.len() && b[j].end <= start {
            j += 1;
        }
        let mut k = j;
        while k < b.len() && b[k].start < piece.end {
            if b[k].start > start {
                out.push(Interval::new(start, b[k].start));
            }
            start = start.max(b[k].end);
            k += 1;
        }
        if start < piece.end {
            out.push(Interval::new(start, piece.end));
        }
    }
    out
}

/// The part of a sorted, disjoint list inside `bounds`.
pub fn clip(set: &[Interval], bounds: Interval) -> Vec<Interval> {
    // Skip what ends before the bounds with a binary search: a person's list
    // covers the whole window, a week is a small slice of it.
    let first = set.partition_point(|i| i.end <= bounds.start);
    set[first..]
        .iter()
        .take_while(|i| i.start < bounds.end)
        .filter_map(|i| i.intersect(&bounds))
        .collect()
}

/// The time covered by at least two of `intervals` (any order, overlaps
/// allowed), as a sorted, disjoint list.
pub fn covered_twice(intervals: &[Interval]) -> Vec<Interval> {
    // Sweep over start (+1) and end (-1) events; ends sort before starts at
    // the same instant, so back-to-back meetings do not conflict.
    let mut events: Vec<(chrono::DateTime<chrono::Utc>, i32)> =
        Vec::with_capacity(intervals.len() * 2);
    for i in intervals.iter().filter(|i| !i.is_empty()) {
        events.push((i.start, 1));
        events.push((i.end, -1));
    }
    events.sort_unstable();
    let mut depth = 0;
    let mut out = Vec::new();
    let mut since = None;
    for (at, delta) in events {
        depth += delta;
        match (depth >= 2, since) {
            (true, None) => since = Some(at),
            (false, Some(from)) => {
                out.push(Interval::new(from, at));
                since = None;
            }
            _ => {}
        }
    }
    union_of(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn iv(h0: u32, m0: u32, h1: u32, m1: u32) -> Interval {
        let d = |h, m| Utc.with_ymd_and_hms(2024, 5, 6, h, m, 0).unwrap();
        Interval::new(d(h0, m0), d(h1, m1))
    }

    #[test]
    fn subtract_cuts_holes() {
        // 9-17 minus 10-11 and 16:30-18 = 9-10, 11-16:30.
        let out = subtract(&[iv(9, 0, 17, 0)], &[iv(10, 0, 11, 0), iv(16, 30, 18, 0)]);
        assert_eq!(out, vec![iv(9, 0, 10, 0), iv(11, 0, 16, 30)]);
    }

    #[test]
    fn intersect_and_clip() {
        let a = [iv(9, 0, 12, 0), iv(13, 0, 17, 0)];
        let b = [iv(11, 0, 14, 0)];
        assert_eq!(intersect(&a, &b), vec![iv(11, 0, 12, 0), iv(13, 0, 14, 0)]);
        assert_eq!(
            clip(&a, iv(10, 0, 13, 30)),
            vec![iv(10, 0, 12, 0), iv(13, 0, 13, 30)]
        );
    }

    #[test]
    fn covered_twice_counts_only_overlaps() {
        // 9-10:30 and 10-11 overlap 10-10:30; 11-12 only touches 10-11;
        // a third layer 10:15-10:20 adds nothing new.
        let out = covered_twice(&[
            iv(9, 0, 10, 30),
            iv(10, 0, 11, 0),
            iv(11, 0, 12, 0),
            iv(10, 15, 10, 20),
        ]);
        assert_eq!(out, vec![iv(10, 0, 10, 30)]);
    }
}
