//! `fulcrum focus`'s terminal output: the blocks planned per person, in
//! their own time zone, and the focus time each gains.

use chrono_tz::Tz;
use fulcrum_analysis::focus::{FocusPlan, FocusRules, PersonFocus};
use fulcrum_analysis::intervals::hours;
use std::io::{self, Write};
use std::path::PathBuf;

/// One person as the renderer shows them.
#[derive(Debug, Clone)]
pub struct FocusRow {
    /// Display name.
    pub name: String,
    /// Email or calendar name.
    pub email: String,
    /// Their zone (blocks are shown in it).
    pub tz: Tz,
    /// The `.ics` written for them.
    pub file: Option<PathBuf>,
}

/// Why a person got no focus time, in words; `None` when they got some.
pub fn why_none(s: &PersonFocus, rules: FocusRules) -> Option<String> {
    if !s.planned.is_zero() {
        return None;
    }
    let days = |n: u32| format!("{n} day{}", if n == 1 { "" } else { "s" });
    Some(if s.working_days == 0 && s.away_days > 0 {
        format!(
            "nothing planned: away (out of office) on all {} of their working week in the window",
            days(s.away_days)
        )
    } else if s.working_days == 0 {
        format!(
            "nothing planned: none of the window's {} is in their working hours (a weekend? give --from and --to)",
            days(s.days)
        )
    } else {
        format!(
            "nothing planned: no free gap of {} min between meetings on any working day",
            rules.min_block.num_minutes()
        )
    })
}

/// Writes the plan for people to read.
pub fn write_text(
    people: &[FocusRow],
    plan: &FocusPlan,
    rules: FocusRules,
    out: &mut impl Write,
) -> io::Result<()> {
    writeln!(
        out,
        "focus blocks: at least {} min, up to {:.1} h per working day",
        rules.min_block.num_minutes(),
        hours(rules.per_day)
    )?;
    for (i, p) in people.iter().enumerate() {
        let s = &plan.people[i];
        writeln!(out)?;
        writeln!(
            out,
            "{} <{}> ({}): +{:.1} h focus over {} working day{}",
            p.name,
            p.email,
            p.tz.name(),
            hours(s.planned),
            s.working_days,
            if s.working_days == 1 { "" } else { "s" }
        )?;
        if let Some(why) = why_none(s, rules) {
            writeln!(out, "  {why}")?;
        }
        for b in plan.blocks.iter().filter(|b| b.person == i) {
            let (start, end) = (
                b.interval.start.with_timezone(&p.tz),
                b.interval.end.with_timezone(&p.tz),
            );
            writeln!(
                out,
                "  {} {}-{} ({:.1} h)",
                start.format("%a %Y-%m-%d"),
                start.format("%H:%M"),
                end.format("%H:%M"),
                hours(b.interval.duration())
            )?;
        }
        if !s.days_without_room.is_empty() {
            let days: Vec<String> = s
                .days_without_room
                .iter()
                .map(|d| d.format("%a %m-%d").to_string())
                .collect();
            writeln!(
                out,
                "  no free gap of {} min on: {}",
                rules.min_block.num_minutes(),
                days.join(", ")
            )?;
        }
        if let Some(f) = &p.file {
            writeln!(out, "  wrote {}", f.display())?;
        }
    }
    let total: f64 = plan.people.iter().fold(0.0, |a, s| a + hours(s.planned));
    writeln!(out)?;
    writeln!(
        out,
        "total: {:.1} h of focus time planned for {} {}",
        total,
        people.len(),
        if people.len() == 1 {
            "person"
        } else {
            "people"
        }
    )
}

/// The plan as the tools' JSON object's body (`docs/moves.md`, "JSON
/// output"): per person their blocks in UTC and local time, the days
/// without room, and why nothing was planned when nothing was.
pub fn to_json(people: &[FocusRow], plan: &FocusPlan, rules: FocusRules) -> serde_json::Value {
    let persons: Vec<serde_json::Value> = people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let s = &plan.people[i];
            serde_json::json!({
                "name": p.name,
                "email": p.email,
                "tz": p.tz.name(),
                "planned_hours": hours(s.planned),
                "working_days": s.working_days,
                "away_days": s.away_days,
                "days_without_room": s.days_without_room.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
                "why_none": why_none(s, rules),
                "file": p.file.as_ref().map(|f| f.display().to_string()),
                "blocks": plan.blocks.iter().filter(|b| b.person == i).map(|b| serde_json::json!({
                    "date": b.date.to_string(),
                    "start_utc": b.interval.start.to_rfc3339(),
                    "end_utc": b.interval.end.to_rfc3339(),
                    "start_local": b.interval.start.with_timezone(&p.tz).to_rfc3339(),
                    "end_local": b.interval.end.with_timezone(&p.tz).to_rfc3339(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({
        "rules": {"min_block_minutes": rules.min_block.num_minutes(), "hours_per_day": hours(rules.per_day)},
        "people": persons,
        "total_hours": plan.people.iter().fold(0.0, |a, s| a + hours(s.planned)),
    })
}
