//! Rotating facilitation: who runs each upcoming occurrence of a recurring
//! meeting.
//!
//! Fair: each occurrence goes to the eligible candidate with the fewest
//! facilitations so far, counting the history (who organized past
//! instances), then to whoever facilitated least recently, then input
//! order. Eligible: working for the whole occurrence by their
//! [`WorkClock`], so nobody out of office or outside their hours is picked.
//!
//! An occurrence on a day when half or more of the candidates are away (a
//! public holiday, a team offsite: the "team away" rule of the signals)
//! gets nobody: the meeting will most likely not take place, and handing
//! it to the one person left would count a facilitation that never
//! happens against them.

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
    /// The candidate's index, `None` when nobody is working then or the
    /// team is away.
    pub facilitator: Option<usize>,
    /// Candidates away (out of office) on their local date of the start.
    pub away: usize,
}

impl Assignment {
    /// True when half or more of `candidates` candidates were away, so the
    /// occurrence was given to nobody.
    pub fn team_away(&self, candidates: usize) -> bool {
        candidates > 0 && 2 * self.away >= candidates
    }
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
            let away = candidates
                .iter()
                .filter(|c| {
                    let date = c.clock.local_date(occ.start);
                    c.clock.away_days().contains(&date)
                })
                .count();
            let team_away = Assignment {
                occurrence: *occ,
                facilitator: None,
                away,
            }
            .team_away(candidates.len());
            let pick = (0..candidates.len())
                .filter(|_| !team_away)
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
                away,
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

    #[test]
    fn nobody_facilitates_when_half_the_team_is_away() {
        // Mondays 2, 9, 16 June 2025, 08:00 UTC (10:00 Berlin). On the 9th
        // Ana and Bo are away (a holiday), Cy (Berlin too) is not: 2 of 3
        // away is half or more, so nobody is assigned and no count moves.
        // 2nd: Ana (all 0, list order). 9th: nobody. 16th: Bo (0, never
        // facilitated sorts before Cy by list order).
        let people = vec![
            cand("Ana", chrono_tz::Europe::Berlin, 0, &[9]),
            cand("Bo", chrono_tz::Europe::Berlin, 0, &[9]),
            cand("Cy", chrono_tz::Europe::Berlin, 0, &[]),
        ];
        let got = rotate(&people, &[occ(2, 8), occ(9, 8), occ(16, 8)]);
        let who: Vec<Option<usize>> = got.iter().map(|a| a.facilitator).collect();
        assert_eq!(who, vec![Some(0), None, Some(1)]);
        assert_eq!(got[1].away, 2);
        assert!(got[1].team_away(3));
        // One of three away is not the team: Bo away on the 2nd, Ana runs it.
        let people = vec![
            cand("Ana", chrono_tz::Europe::Berlin, 0, &[]),
            cand("Bo", chrono_tz::Europe::Berlin, 0, &[2]),
            cand("Cy", chrono_tz::Europe::Berlin, 0, &[]),
        ];
        let got = rotate(&people, &[occ(2, 8)]);
        assert_eq!((got[0].facilitator, got[0].away), (Some(0), 1));
    }
}
