//! Examples for findings: where and when a pattern showed, by date, time
//! and channel, or by a meeting's title hash ([`super::hash`]); never what
//! anyone wrote.
//!
//! Event examples come from the scans in [`super::activity`] (calendars and
//! the chat stream) and from the escalated threads of
//! [`crate::Signals::escalations`]; a finding with fewer than
//! [`MAX_EXAMPLES`] of them is completed with the weeks furthest past its
//! threshold ([`worst_weeks`]). Of many candidates, [`spread`] picks ones
//! spread over the window (the first, the last, and evenly between), so the
//! choice does not depend on the order the input arrived in.

use super::CheckResult;
use super::catalog::{Direction, FindingId};
use crate::week::Week;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;

/// Examples shown per finding, at most.
pub const MAX_EXAMPLES: usize = 3;

/// When an example happened.
#[derive(Debug, Clone, PartialEq)]
pub enum When {
    /// An instant, shown on the wall clock of `zone` (the person concerned).
    At {
        /// The instant.
        at: DateTime<Utc>,
        /// The zone to show it in.
        zone: Tz,
    },
    /// A whole team-week.
    Week(Week),
}

/// Where an example happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A public channel, by name.
    Channel(String),
    /// A private channel (its name is not shown).
    PrivateChannel,
    /// A direct message.
    DirectMessage,
    /// A group direct message.
    GroupMessage,
    /// A meeting, by the keyed hash of its title (`#3fa9c2`).
    Meeting(String),
    /// A member's calendar (conflicts: two meetings at once).
    Calendar,
    /// The team's week as a whole.
    Team,
}

impl Place {
    /// For output: `#payments`, `a private channel`, `meeting #3fa9c2`, ...
    pub fn describe(&self) -> String {
        match self {
            Place::Channel(name) => format!("#{}", name.trim_start_matches('#')),
            Place::PrivateChannel => "a private channel".to_owned(),
            Place::DirectMessage => "a direct message".to_owned(),
            Place::GroupMessage => "a group message".to_owned(),
            Place::Meeting(label) => format!("meeting {label}"),
            Place::Calendar => "a member's calendar".to_owned(),
            Place::Team => "the team".to_owned(),
        }
    }
}

/// One example.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// When.
    pub when: When,
    /// Where.
    pub place: Place,
    /// What, in numbers ("30 min, 2 participants"; never message text).
    pub detail: String,
}

impl Example {
    /// The instant it is sorted by (a week sorts by its Monday, UTC).
    pub fn sort_key(&self) -> DateTime<Utc> {
        match &self.when {
            When::At { at, .. } => *at,
            When::Week(w) => w.monday().and_time(chrono::NaiveTime::MIN).and_utc(),
        }
    }
}

/// Examples per team and finding.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Examples {
    by: HashMap<(String, FindingId), Vec<Example>>,
}

impl Examples {
    /// Adds candidates for a team's finding; [`Examples::for_finding`]
    /// picks among them.
    pub fn add(&mut self, team: &str, id: FindingId, candidates: Vec<Example>) {
        self.by
            .entry((team.to_owned(), id))
            .or_default()
            .extend(candidates);
    }

    /// Up to [`MAX_EXAMPLES`] examples spread over the window, in time order.
    pub fn for_finding(&self, team: &str, id: FindingId) -> Vec<Example> {
        let Some(all) = self.by.get(&(team.to_owned(), id)) else {
            return Vec::new();
        };
        let mut all = all.clone();
        all.sort_by(|a, b| {
            a.sort_key()
                .cmp(&b.sort_key())
                .then_with(|| a.detail.cmp(&b.detail))
        });
        spread(all, MAX_EXAMPLES)
    }
}

/// Up to `n` items of a sorted list: the first, the last and evenly spaced
/// ones between.
pub fn spread<T>(items: Vec<T>, n: usize) -> Vec<T> {
    let len = items.len();
    if len <= n {
        return items;
    }
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return items.into_iter().take(1).collect();
    }
    let picks: Vec<usize> = (0..n).map(|k| k * (len - 1) / (n - 1)).collect();
    items
        .into_iter()
        .enumerate()
        .filter(|(i, _)| picks.contains(i))
        .map(|(_, x)| x)
        .collect()
}

/// The `n` weeks furthest past the threshold of the first fired check, as
/// examples ("2026-W37: 5.0 (threshold >= 3)"), in week order.
pub fn worst_weeks(checks: &[CheckResult], weeks: &[Week], n: usize) -> Vec<Example> {
    let Some(c) = checks.iter().find(|c| c.fired) else {
        return Vec::new();
    };
    let mut past: Vec<(usize, f64)> = c
        .window
        .weekly
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .filter(|(_, v)| c.spec.direction.passes(*v, c.threshold))
        .collect();
    // Furthest past first; ties by week.
    past.sort_by(|a, b| {
        let (x, y) = match c.spec.direction {
            Direction::Below => (a.1, b.1),
            _ => (b.1, a.1),
        };
        x.total_cmp(&y).then(a.0.cmp(&b.0))
    });
    past.truncate(n);
    past.sort_by_key(|(i, _)| *i);
    past.into_iter()
        .filter_map(|(i, v)| {
            let week = weeks.get(i)?;
            Some(Example {
                when: When::Week(*week),
                place: Place::Team,
                detail: format!(
                    "{} {} (threshold {} {})",
                    c.spec.signal.as_str(),
                    super::format_value(c.spec.signal, v),
                    c.spec.direction.as_str(),
                    super::format_value(c.spec.signal, c.threshold)
                ),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_takes_first_last_and_middle() {
        assert_eq!(spread((0..10).collect(), 3), vec![0, 4, 9]);
        assert_eq!(spread(vec![1, 2], 3), vec![1, 2]);
        assert_eq!(spread((0..5).collect::<Vec<i32>>(), 1), vec![0]);
    }

    #[test]
    fn places_never_name_private_conversations() {
        assert_eq!(Place::Channel("#ops".into()).describe(), "#ops");
        assert_eq!(Place::PrivateChannel.describe(), "a private channel");
        assert_eq!(
            Place::Meeting("#00ff00".into()).describe(),
            "meeting #00ff00"
        );
    }
}
