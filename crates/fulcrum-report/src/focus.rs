//! `fulcrum focus`'s terminal output: the blocks planned per person, in
//! their own time zone, and the focus time each gains.

use chrono_tz::Tz;
use fulcrum_analysis::focus::{FocusPlan, FocusRules};
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
            "{} <{}> ({}): +{:.1} h focus over {} working day(s)",
            p.name,
            p.email,
            p.tz.name(),
            hours(s.planned),
            s.working_days
        )?;
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
        "total: {:.1} h of focus time planned for {} people",
        total,
        people.len()
    )
}
