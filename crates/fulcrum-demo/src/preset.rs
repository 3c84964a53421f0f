//! Presets (`fulcrum demo --difficulty`): which teams an organisation holds
//! and how each shows its pattern.
//!
//! - `easy` (the default): the eight archetypes of the seed list, each
//!   planted well past its threshold in every week, one team each.
//! - `realistic`: nine teams per department; every finding of the
//!   catalogue is planted, some on one team together (a team of small
//!   blockers whose asks also wait; an overloaded team whose lead organizes
//!   every series; a team of late-night pings that also chats through its
//!   meetings), two patterns come and go across weeks (one present in
//!   most weeks, which the window median must catch, one in few, which it
//!   must not), two teams sit just under a threshold (slow answers, asks
//!   that land at night), and there is more noise (after-hours messages,
//!   unanswered asks, ad-hoc pairing sessions).
//!
//! A team's [`Plant`] holds those knobs; the day planner and the series
//! read them, the answer key reports them. With the default `Plant` a team
//! behaves exactly as its archetype alone says.

use crate::archetype::Archetype;

/// How hard the demo is to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Difficulty {
    /// One pattern per team, far past its threshold, every week.
    #[default]
    Easy,
    /// Overlapping patterns, patterns that come and go, near misses, noise.
    Realistic,
}

impl Difficulty {
    /// The flag's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Realistic => "realistic",
        }
    }

    /// Parses the flag's spelling.
    pub fn parse(s: &str) -> Option<Difficulty> {
        match s {
            "easy" => Some(Difficulty::Easy),
            "realistic" => Some(Difficulty::Realistic),
            _ => None,
        }
    }

    /// The teams of one department, before the seed shuffles them.
    pub fn slots(self) -> Vec<Slot> {
        match self {
            Difficulty::Easy => Archetype::EASY
                .iter()
                .map(|&archetype| Slot {
                    archetype,
                    plant: Plant::default(),
                })
                .collect(),
            Difficulty::Realistic => {
                let noisy = Plant {
                    noisy: true,
                    ..Plant::default()
                };
                let slot = |archetype, plant| Slot { archetype, plant };
                vec![
                    // Just under slow_async: about a sixth of the asks wait.
                    slot(
                        Archetype::Healthy,
                        Plant {
                            late_answers: NEAR_SLOW_LATE_ANSWERS,
                            ..noisy.clone()
                        },
                    ),
                    // Overlap: quick unblock meetings and slow written answers.
                    slot(
                        Archetype::SmallBlockers,
                        Plant {
                            late_answers: SLOW_LATE_ANSWERS,
                            ..noisy.clone()
                        },
                    ),
                    // Comes and goes: escalations in most weeks.
                    slot(
                        Archetype::ThreadsToMeetings,
                        Plant {
                            activity: Activity::MostWeeks,
                            ..noisy.clone()
                        },
                    ),
                    // Overlap: asks that land at night, and meetings people
                    // chat through.
                    slot(
                        Archetype::LateNightPings,
                        Plant {
                            multitasking: true,
                            ..noisy.clone()
                        },
                    ),
                    // Comes and goes: surprises in most weeks.
                    slot(
                        Archetype::HuddlesAfterSurprises,
                        Plant {
                            activity: Activity::MostWeeks,
                            ..noisy.clone()
                        },
                    ),
                    slot(Archetype::FragmentedFocus, noisy.clone()),
                    // Overlap: overload and sprawl, all of it the lead's.
                    slot(
                        Archetype::OverloadSprawl,
                        Plant {
                            lead_organizes_series: true,
                            ..noisy.clone()
                        },
                    ),
                    // Just under late_night_pings: some asks land in the evening.
                    slot(
                        Archetype::UnfairTzBurden,
                        Plant {
                            evening_asks: NEAR_CROSS_TZ_EVENING_ASKS,
                            ..noisy.clone()
                        },
                    ),
                    // Comes and goes: blockers in a few weeks only.
                    slot(
                        Archetype::SmallBlockers,
                        Plant {
                            activity: Activity::FewWeeks,
                            ..noisy
                        },
                    ),
                ]
            }
        }
    }
}

/// Fraction of asks answered late on the slow team.
pub const SLOW_LATE_ANSWERS: f64 = 0.35;
/// Fraction of asks answered late on the team just under `slow_async`.
pub const NEAR_SLOW_LATE_ANSWERS: f64 = 0.18;
/// Fraction of cross-office asks sent in the sender's afternoon, after the
/// recipient's day, on the team just under `late_night_pings`.
pub const NEAR_CROSS_TZ_EVENING_ASKS: f64 = 0.04;

/// In which weeks a team's own pattern shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Activity {
    /// Every week.
    #[default]
    EveryWeek,
    /// About 70% of the weeks, drawn by the seed: the median week has it.
    MostWeeks,
    /// About 30% of the weeks: the median week does not.
    FewWeeks,
}

impl Activity {
    /// The share of weeks with the pattern.
    pub fn share(self) -> f64 {
        match self {
            Activity::EveryWeek => 1.0,
            Activity::MostWeeks => 0.7,
            Activity::FewWeeks => 0.3,
        }
    }

    /// The spelling in truth.json.
    pub fn as_str(self) -> &'static str {
        match self {
            Activity::EveryWeek => "every_week",
            Activity::MostWeeks => "most_weeks",
            Activity::FewWeeks => "few_weeks",
        }
    }
}

/// How a team shows its pattern, and what it carries besides.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plant {
    /// Fraction of the asks team members receive that they answer a day
    /// and a half of working time later (past the 24 h SLA). 0: the
    /// archetype's usual replies.
    pub late_answers: f64,
    /// Fraction of asks to a member in another office sent in the
    /// sender's afternoon, after the recipient's working day.
    pub evening_asks: f64,
    /// The weeks the archetype's own pattern shows in.
    pub activity: Activity,
    /// The lead organizes every series of the team.
    pub lead_organizes_series: bool,
    /// More noise: more after-hours messages and unanswered asks, more
    /// ad-hoc pairing sessions.
    pub noisy: bool,
    /// Members chat through their meetings (`multitasked_meetings`): they
    /// post in most meetings of 25 minutes or more, and their chatter is
    /// not kept out of meetings as everyone else's is.
    pub multitasking: bool,
}

/// One team of a department: its archetype and how it is planted.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// The habits.
    pub archetype: Archetype,
    /// How they show.
    pub plant: Plant,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Org;
    use crate::truth::{CATALOGUE, expected_findings, near_misses, team_findings};
    use chrono::NaiveDate;

    #[test]
    fn the_catalogue_is_the_analysis_finding_table() {
        let ids: Vec<&str> = fulcrum_analysis::findings::FindingId::ALL
            .iter()
            .map(|f| f.as_str())
            .collect();
        assert_eq!(ids, CATALOGUE);
    }

    #[test]
    fn every_finding_of_the_catalogue_is_planted_by_an_archetype_and_the_realistic_preset() {
        let start = NaiveDate::from_ymd_opt(2026, 8, 31).unwrap();
        let org = Org::build(3, 60, 13, start, Difficulty::Realistic);
        assert_eq!(org.teams.len(), 9);
        for f in CATALOGUE {
            let by_archetype = Archetype::ALL.iter().any(|a| {
                a.findings().contains(&f)
                    || crate::truth::also_fires(*a).iter().any(|(x, _)| *x == f)
            }) || f == "slow_async"
                || f == "multitasked_meetings";
            let planted = org.teams.iter().any(|t| team_findings(t).contains(&f));
            let expected = org.teams.iter().any(|t| expected_findings(t).contains(&f));
            assert!(by_archetype && expected, "{f} is planted nowhere");
            // Side effects aside, the findings of the table are planted on purpose.
            if ![
                "calendar_conflicts",
                "meetings_without_artifacts",
                "fragmented_deep_work",
            ]
            .contains(&f)
            {
                assert!(planted, "{f} is only a side effect");
            }
        }
        // Slow answers are a plant, not an archetype: the realistic preset has it.
        assert!(
            Difficulty::Realistic
                .slots()
                .iter()
                .any(|s| s.plant.late_answers >= 0.2)
        );
    }

    #[test]
    fn the_realistic_preset_has_near_misses_patterns_that_come_and_go_and_overlaps() {
        let start = NaiveDate::from_ymd_opt(2026, 8, 31).unwrap();
        let org = Org::build(3, 60, 13, start, Difficulty::Realistic);
        let near: Vec<&str> = org
            .teams
            .iter()
            .flat_map(|t| near_misses(&t.plant))
            .map(|n| n.finding)
            .collect();
        let mut sorted = near.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, ["late_night_pings", "slow_async"]);
        for t in &org.teams {
            // A near miss is never also expected to fire.
            for n in near_misses(&t.plant) {
                assert!(!expected_findings(t).contains(&n.finding), "{}", t.slug);
            }
            let active = t.active_weeks.iter().filter(|a| **a).count();
            match t.plant.activity {
                Activity::EveryWeek => assert_eq!(active, 13),
                Activity::MostWeeks => assert_eq!(active, 9, "{}", t.slug),
                Activity::FewWeeks => {
                    assert_eq!(active, 4, "{}", t.slug);
                    assert!(!team_findings(t).contains(&"meetings_clear_small_blockers"));
                }
            }
        }
        assert!(
            org.teams.iter().any(|t| team_findings(t).len()
                >= 2 + usize::from(t.archetype == Archetype::OverloadSprawl))
        );
        // The easy preset is the eight archetypes, planted plainly.
        let easy = Org::build(3, 60, 13, start, Difficulty::Easy);
        assert!(easy.teams.iter().all(|t| t.plant == Plant::default()));
    }
}
