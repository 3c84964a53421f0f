//! `work_items.csv`: a tracker export (Linear-style columns, RFC 3339 UTC
//! times): one row per item, created and completed by a person. Throughput
//! follows the team's archetype, each person's presence and hours, and the
//! experiment (the healthy team closes about a fifth more after week 7).

use crate::archetype::Archetype;
use crate::hours::{WorkClock, minute_time};
use crate::org::Org;
use crate::rng::{Rng, stream};
use crate::text;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::io::{self, Write};

/// The header.
pub const HEADER: &str =
    "ID,Team,Title,Type,Status,Priority,Assignee,Creator,Created,Completed,Estimate";

/// How much more the experiment team closes in the treatment window.
pub const EXPERIMENT_THROUGHPUT_FACTOR: f64 = 1.2;

/// Quotes a CSV field when it needs it.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Writes every team's items; returns the number of rows.
pub fn write_work_items(w: &mut dyn Write, org: &Org) -> io::Result<u64> {
    writeln!(w, "{HEADER}")?;
    let mut rows = 0;
    for team in &org.teams {
        rows += write_team_items(w, org, team, &mut |_, _, _| {})?;
    }
    Ok(rows)
}

/// Writes one team's items; tells `closed` how many items each member
/// closed each week (person, 1-based week, count); returns the number of
/// rows.
pub fn write_team_items(
    w: &mut dyn Write,
    org: &Org,
    team: &crate::org::Team,
    closed_by: &mut dyn FnMut(usize, u32, u32),
) -> io::Result<u64> {
    let mut rows = 0;
    let experiment_week = org.experiment_week;
    {
        let mut rng = Rng::derive(org.seed, &[stream::WORK, team.index as u64]);
        let mut number = 1000 + rng.range(0, 800);
        for week in 1..=org.weeks {
            let monday = org.start + Duration::days(7 * i64::from(week - 1));
            for &p in &team.members {
                let person = &org.people[p];
                let days: Vec<NaiveDate> = (0..7)
                    .map(|d| monday + Duration::days(d))
                    .filter(|d| person.works_on_date(*d))
                    .collect();
                if days.is_empty() {
                    continue;
                }
                let fte = f64::from(person.hours.minutes_per_day()) * days.len() as f64
                    / (8.0 * 60.0 * 5.0);
                let mut rate = team.archetype.throughput() * fte;
                if team.archetype == Archetype::Healthy
                    && experiment_week.is_some_and(|e| week >= e)
                {
                    rate *= EXPERIMENT_THROUGHPUT_FACTOR;
                }
                // Steadier than Poisson: people close about their usual
                // number, give or take a third.
                let closed = (rate * (0.7 + 0.6 * rng.unit()) + rng.unit()).floor() as u32;
                closed_by(p, week, closed);
                let open = rng.poisson(0.4 * fte);
                for k in 0..closed + open {
                    let day = days[rng.index(days.len())];
                    let (a, b) = person.hours.ranges[rng.index(person.hours.ranges.len())];
                    let at = person.zone.utc(
                        day.and_time(minute_time(rng.range(i64::from(a), i64::from(b) - 1) as u32)),
                    );
                    let is_closed = k < closed;
                    let created = if is_closed {
                        at - Duration::hours(rng.range(4, 15 * 24))
                    } else {
                        at
                    };
                    let creator = if rng.chance(0.7) { p } else { team.lead() };
                    let topic = text::TOPICS[rng.index(text::TOPICS.len())];
                    let kind = *rng.pick(&["Feature", "Bug", "Chore", "Feature", "Bug"]);
                    let title = match kind {
                        "Bug" => format!("Fix {topic}"),
                        "Chore" => format!("Clean up {topic}"),
                        _ => format!("Improve {topic}"),
                    };
                    let status = if is_closed {
                        "Done"
                    } else {
                        *rng.pick(&["In Progress", "Todo", "In Review"])
                    };
                    let priority =
                        *rng.pick(&["No priority", "Low", "Medium", "Medium", "High", "Urgent"]);
                    let estimate = *rng.pick(&["1", "2", "3", "5", "8", ""]);
                    number += 1;
                    writeln!(
                        w,
                        "{}-{number},{},{},{kind},{status},{priority},{},{},{},{},{estimate}",
                        team.key,
                        csv_field(&team.name),
                        csv_field(&title),
                        person.email,
                        org.people[creator].email,
                        stamp(created),
                        if is_closed { stamp(at) } else { String::new() },
                    )?;
                    rows += 1;
                }
            }
        }
    }
    Ok(rows)
}
