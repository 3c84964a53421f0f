//! Rotating facilitation: who runs each upcoming occurrence of a recurring
//! meeting.
//!
//! Fair: each occurrence goes to the eligible candidate with the fewest
//! facilitations so far, counting the history (who organized past
//! instances), then to whoever facilitated least recently, then input
//! order. Eligible: working for the whole occurrence by their
//! [`WorkClock`], so nobody out of office or outside their hours is picked.

use crate::week::WorkClock;
use fulcrum_model::Interval;

/// One candidate facilitator.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// A label (name or email).
    pub name: String,
    /// Working time, with away days.
    pub clock: WorkClock,
    /// Past facilitations found in the calendars.
    pub history: u32,
}

/// One assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    /// The occurrence.
    pub occurrence: Interval,
    /// The candidate's index, `None` when nobody is working then.
    pub facilitator: Option<usize>,
}

/// Assigns the occurrences, in time order.
pub fn rotate(candidates: &[Candidate], occurrences: &[Interval]) -> Vec<Assignment> {
    let mut counts: Vec<u32> = candidates.iter().map(|c| c.history).collect();
    let mut last: Vec<Option<usize>> = vec![None; candidates.len()];
    let mut sorted = occurrences.to_vec();
    sorted.sort();
    sorted
        .iter()
        .enumerate()
        .map(|(n, occ)| {
            let pick = (0..candidates.len())
                .filter(|&i| {
                    candidates[i].clock.business_time(occ.start, occ.end, None) == occ.duration()
                })
                // Never facilitated in this plan sorts first (None < Some).
                .min_by_key(|&i| (counts[i], last[i], i));
            if let Some(i) = pick {
                counts[i] += 1;
                last[i] = Some(n);
            }
            Assignment {
                occurrence: *occ,
                facilitator: pick,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use fulcrum_model::WorkingHours;
    use std::collections::BTreeSet;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, day).expect("date")
    }

    fn cand(name: &str, tz: chrono_tz::Tz, history: u32, away: &[u32]) -> Candidate {
        Candidate {
            name: name.into(),
            clock: WorkClock::new(
                tz,
                WorkingHours::standard(),
                away.iter().map(|&x| d(x)).collect::<BTreeSet<_>>(),
            ),
            history,
        }
    }

    /// 10:00-10:30 UTC on a June 2025 day.
    fn occ(day: u32, h: u32) -> Interval {
        let s = Utc
            .with_ymd_and_hms(2025, 6, day, h, 0, 0)
            .single()
            .expect("t");
        Interval::new(s, s + chrono::Duration::minutes(30))
    }

    #[test]
    fn counts_even_out_with_history_and_skip_the_away_and_off_hours() {
        // Weekly on Mondays 2, 9, 16, 23 June 2025, 08:00-08:30 UTC
        // (10:00 Berlin). Ana (Berlin) organized 2 past instances, Bo
        // (Berlin) 0, Cy (New York, 04:00 local: outside hours) is never
        // eligible. Bo is away on the 9th.
        // 2nd: Bo (0 < 2). 9th: Bo away -> Ana (2 -> 3). 16th: Bo (1 < 3).
        // 23rd: Bo (2 < 3).
        let people = vec![
            cand("Ana", chrono_tz::Europe::Berlin, 2, &[]),
            cand("Bo", chrono_tz::Europe::Berlin, 0, &[9]),
            cand("Cy", chrono_tz::America::New_York, 0, &[]),
        ];
        let occurrences = [occ(2, 8), occ(9, 8), occ(16, 8), occ(23, 8)];
        let got: Vec<Option<usize>> = rotate(&people, &occurrences)
            .iter()
            .map(|a| a.facilitator)
            .collect();
        assert_eq!(got, vec![Some(1), Some(0), Some(1), Some(1)]);
    }

    #[test]
    fn ties_go_to_the_least_recent_and_nobody_when_nobody_works() {
        let people = vec![
            cand("Ana", chrono_tz::Europe::Berlin, 0, &[]),
            cand("Bo", chrono_tz::Europe::Berlin, 0, &[]),
        ];
        // Saturday 7 June: nobody works. Then three Mondays alternate.
        let occurrences = [occ(7, 8), occ(2, 8), occ(9, 8), occ(16, 8)];
        let got: Vec<Option<usize>> = rotate(&people, &occurrences)
            .iter()
            .map(|a| a.facilitator)
            .collect();
        assert_eq!(got, vec![Some(0), None, Some(1), Some(0)]);
    }
}
