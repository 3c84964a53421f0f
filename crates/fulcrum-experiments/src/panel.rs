//! Panels: the weekly values an experiment is judged on, per person (a
//! person-week signal) or per team (a team-week signal), for the treated
//! team and each control team, over the baseline and treatment weeks, with
//! every value left out counted.
//!
//! Built from the report's own [`Signals`]: a person-week is left out when
//! the person was away most of it ([`fulcrum_analysis::PersonWeek::away`]),
//! when half the team or more was away (`team_away`) or when the week is
//! after the data (`after_data`); a person with no value in a window (a
//! joiner, a leaver, or no source) is left out whole.

use fulcrum_analysis::{PersonWeeks, SignalId, Signals, Unknown, Week};
use std::collections::{BTreeSet, HashMap};

/// The weeks of the two windows, with their positions in weeks relative
/// to the first changed week (for trends).
#[derive(Debug, Clone, PartialEq)]
pub struct Windows {
    /// Baseline weeks, in order.
    pub baseline: Vec<Week>,
    /// Treatment weeks, in order.
    pub treatment: Vec<Week>,
}

impl Windows {
    /// Position of a week: weeks after the Monday of the first baseline week.
    pub fn position(&self, w: Week) -> f64 {
        let first = self.baseline.first().map_or(w.monday(), Week::monday);
        (w.monday() - first).num_days() as f64 / 7.0
    }
}

/// One person's weekly values (`None`: no value, or left out).
#[derive(Debug, Clone, PartialEq)]
pub struct PersonSeries {
    /// The person (index in [`Signals::people`]).
    pub person: usize,
    /// 0 for the treated team, `1 + k` for control team `k`.
    pub group: usize,
    /// One entry per baseline week.
    pub baseline: Vec<Option<f64>>,
    /// One entry per treatment week.
    pub treatment: Vec<Option<f64>>,
}

/// Mean of the known values.
pub fn mean_known(xs: &[Option<f64>]) -> Option<f64> {
    let known: Vec<f64> = xs.iter().flatten().copied().collect();
    crate::stats::mean(&known)
}

impl PersonSeries {
    /// The person's baseline and treatment means, when both windows hold a value.
    pub fn means(&self) -> Option<(f64, f64)> {
        Some((mean_known(&self.baseline)?, mean_known(&self.treatment)?))
    }
}

/// One group's weekly team values (`None`: no value, or left out).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WeekSeries {
    /// One entry per baseline week.
    pub baseline: Vec<Option<f64>>,
    /// One entry per treatment week.
    pub treatment: Vec<Option<f64>>,
}

/// What was left out of a panel, counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Exclusions {
    /// People with values in the treatment window only (joined, or the
    /// source starts later).
    pub joiners: u32,
    /// People with values in the baseline window only (left).
    pub leavers: u32,
    /// People with no value in either window (no calendar, no chat, no answers).
    pub no_data: u32,
    /// Person-weeks of people away most of the week.
    pub weeks_away: u32,
    /// Team-weeks with half the team or more away.
    pub team_weeks_away: u32,
    /// Team-weeks after the data ends (plans only).
    pub weeks_after_data: u32,
    /// Team-weeks whose value the privacy rule withholds (too few members with data).
    pub weeks_suppressed: u32,
}

/// A panel of one signal.
#[derive(Debug, Clone, PartialEq)]
pub enum Panel {
    /// Per person: everyone with values in both windows.
    People(Vec<PersonSeries>),
    /// Per team-week: one series per group (treated first).
    Weeks(Vec<WeekSeries>),
}

/// Why a team-week is left out of everything, if it is.
fn team_week_out(signals: &Signals, team: &str, w: usize) -> Option<Unknown> {
    let t = signals.teams.iter().find(|t| t.team == team)?;
    let first = t.weeks.get(w)?.signals.first()?;
    match first.value {
        Err(u @ (Unknown::TeamAway | Unknown::AfterData)) => Some(u),
        _ => None,
    }
}

/// A person-week value source: `value(person, week index)`.
pub type PersonValue<'a> = dyn Fn(&PersonWeeks, usize) -> Option<f64> + 'a;

/// The value of a person signal in a person-week: its headline number.
pub fn signal_value(id: SignalId) -> impl Fn(&PersonWeeks, usize) -> Option<f64> {
    move |p, w| p.weeks.get(w)?.get(id)?.ok()?.headline()
}

/// Per person-week pulse answers: the mean score, or the share of
/// favourable answers (4 or 5).
pub fn pulse_values(signals: &Signals, favourable: bool) -> HashMap<(usize, Week), f64> {
    let mut by: HashMap<(usize, Week), Vec<f64>> = HashMap::new();
    for a in &signals.pulse {
        by.entry((a.person, a.week)).or_default().push(a.score);
    }
    by.into_iter()
        .map(|(k, scores)| {
            let v = if favourable {
                scores.iter().filter(|s| **s >= 4.0).count() as f64 / scores.len() as f64
            } else {
                scores.iter().sum::<f64>() / scores.len() as f64
            };
            (k, v)
        })
        .collect()
}

/// The person panel of the groups' teams (`teams[0]` treated).
pub fn person_panel(
    signals: &Signals,
    teams: &[&str],
    windows: &Windows,
    value: &PersonValue<'_>,
) -> (Vec<PersonSeries>, Exclusions) {
    let index: HashMap<Week, usize> = signals
        .weeks
        .iter()
        .enumerate()
        .map(|(i, w)| (*w, i))
        .collect();
    let mut ex = Exclusions::default();
    // (group, week, half the team away rather than after the data)
    let mut team_weeks: BTreeSet<(usize, Week, bool)> = BTreeSet::new();
    let mut out = Vec::new();
    for (group, team) in teams.iter().enumerate() {
        for p in signals.people.iter().filter(|p| p.team == *team) {
            let mut series = |weeks: &[Week]| -> Vec<Option<f64>> {
                weeks
                    .iter()
                    .map(|wk| {
                        let w = *index.get(wk)?;
                        if let Some(why) = team_week_out(signals, team, w) {
                            team_weeks.insert((group, *wk, why == Unknown::TeamAway));
                            return None;
                        }
                        let v = value(p, w)?;
                        if p.weeks[w].away {
                            ex.weeks_away += 1;
                            return None;
                        }
                        Some(v)
                    })
                    .collect()
            };
            let s = PersonSeries {
                person: p.person,
                group,
                baseline: series(&windows.baseline),
                treatment: series(&windows.treatment),
            };
            match (mean_known(&s.baseline), mean_known(&s.treatment)) {
                (Some(_), Some(_)) => out.push(s),
                (None, Some(_)) => ex.joiners += 1,
                (Some(_), None) => ex.leavers += 1,
                (None, None) => ex.no_data += 1,
            }
        }
    }
    for (_, _, away) in team_weeks {
        if away {
            ex.team_weeks_away += 1;
        } else {
            ex.weeks_after_data += 1;
        }
    }
    (out, ex)
}

/// The team-week panel of a signal for the groups' teams (`teams[0]` treated).
pub fn week_panel(
    signals: &Signals,
    teams: &[&str],
    windows: &Windows,
    id: SignalId,
) -> (Vec<WeekSeries>, Exclusions) {
    let index: HashMap<Week, usize> = signals
        .weeks
        .iter()
        .enumerate()
        .map(|(i, w)| (*w, i))
        .collect();
    let mut ex = Exclusions::default();
    let mut out = Vec::new();
    for team in teams {
        let t = signals.teams.iter().find(|t| t.team == *team);
        let mut series = |weeks: &[Week]| -> Vec<Option<f64>> {
            weeks
                .iter()
                .map(|wk| {
                    let w = *index.get(wk)?;
                    let s = t?.weeks.get(w)?.get(id)?;
                    match &s.value {
                        Ok(v) => v.headline(id),
                        Err(Unknown::TeamAway) => {
                            ex.team_weeks_away += 1;
                            None
                        }
                        Err(Unknown::AfterData) => {
                            ex.weeks_after_data += 1;
                            None
                        }
                        Err(Unknown::Suppressed { .. }) => {
                            ex.weeks_suppressed += 1;
                            None
                        }
                        Err(_) => None,
                    }
                })
                .collect()
        };
        out.push(WeekSeries {
            baseline: series(&windows.baseline),
            treatment: series(&windows.treatment),
        });
    }
    (out, ex)
}
