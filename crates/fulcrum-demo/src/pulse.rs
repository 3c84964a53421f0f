//! `pulse.csv`: the weekly pulse survey, one answer (1-5) per person and
//! week, from about four in five people. Morale follows the team's
//! archetype; the Bangalore half of the late-night team is a little lower,
//! and the experiment team rises after week 7.

use crate::archetype::Archetype;
use crate::hours::{WorkClock, minute_time};
use crate::org::Org;
use crate::rng::{Rng, stream};
use crate::zones::Zone;
use chrono::Duration;
use std::io::{self, Write};

/// The header.
pub const HEADER: &str = "week_start,email,team,question,score,submitted_at";
/// The question asked every week.
pub const QUESTION: &str = "How sustainable was your workload this week? (1-5)";
/// How much the experiment team's mean score rises in the treatment window.
pub const EXPERIMENT_MORALE_SHIFT: f64 = 0.5;

/// The mean score of one person in one week.
pub fn mean_score(org: &Org, person: usize, week: u32) -> f64 {
    let team = org.team_of(person);
    let mut mean = team.archetype.morale();
    if team.archetype == Archetype::LateNightPings && org.people[person].zone == Zone::Bangalore {
        mean -= 0.3;
    }
    if team.archetype == Archetype::Healthy && org.experiment_week.is_some_and(|e| week >= e) {
        mean += EXPERIMENT_MORALE_SHIFT;
    }
    mean
}

/// One pulse answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    /// Who.
    pub person: usize,
    /// The score, 1-5.
    pub score: u8,
    /// When it was submitted.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// One team's answers of one week (1-based), in member order.
pub fn team_week_answers(org: &Org, team: &crate::org::Team, week: u32) -> Vec<Answer> {
    let monday = org.start + Duration::days(7 * i64::from(week - 1));
    let mut rng = Rng::derive(
        org.seed,
        &[stream::PULSE, team.index as u64, u64::from(week)],
    );
    let mut out = Vec::new();
    for &p in &team.members {
        let person = &org.people[p];
        let answering = rng.chance(0.8);
        let noise = rng.normal();
        let Some(day) = (0..5)
            .rev()
            .map(|d| monday + Duration::days(d))
            .find(|d| person.works_on_date(*d))
        else {
            continue;
        };
        if !answering {
            continue;
        }
        // A stable personal offset (some people always answer 4)
        // and a smaller weekly swing.
        let offset = 0.35 * Rng::derive(org.seed, &[stream::PULSE, u64::MAX, p as u64]).normal();
        let score = (mean_score(org, p, week) + offset + 0.45 * noise)
            .round()
            .clamp(1.0, 5.0) as u8;
        let minute = person.hours.end().saturating_sub(rng.range(10, 120) as u32);
        let at = person.zone.utc(day.and_time(minute_time(minute)));
        out.push(Answer {
            person: p,
            score,
            at,
        });
    }
    out
}

/// Writes every answer; returns the number of rows.
pub fn write_pulse(w: &mut dyn Write, org: &Org) -> io::Result<u64> {
    writeln!(w, "{HEADER}")?;
    let mut rows = 0;
    for week in 1..=org.weeks {
        let monday = org.start + Duration::days(7 * i64::from(week - 1));
        for team in &org.teams {
            for a in team_week_answers(org, team, week) {
                let person = &org.people[a.person];
                writeln!(
                    w,
                    "{},{},{},\"{QUESTION}\",{},{}",
                    monday.format("%Y-%m-%d"),
                    person.email,
                    crate::work_items::csv_field(&team.name),
                    a.score,
                    a.at.format("%Y-%m-%dT%H:%M:%SZ")
                )?;
                rows += 1;
            }
        }
    }
    Ok(rows)
}
