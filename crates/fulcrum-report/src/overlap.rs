//! `fulcrum overlap`'s output: the windows per period in UTC and each
//! member's local time, a timeline per member, the suggested slots and
//! their burden; as text or JSON.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use fulcrum_analysis::intervals::hours;
use fulcrum_analysis::overlap::{OverlapPlan, Period, Slot};
use fulcrum_model::Interval;
use serde_json::{Value, json};
use std::io::{self, Write};

/// The advice when there is no overlap at all.
pub const ASYNC_ADVICE: &str = "no overlap at all: nobody can meet inside everyone's working hours. Work async (written updates, recorded demos, a decision log); if you must meet, the slot below keeps everyone out of the night.";

/// The advice when every slot falls in someone's night.
pub const NIGHT_ADVICE: &str = "every time of day is night (22:00-07:00) for someone: work async (written updates, recorded demos, a decision log) rather than meet; if you must, the least bad slot is below, and whoever carries it should not carry it every time.";

/// A slot's time on each member's clock, e.g. "Los Angeles 19:30-20:30
/// (America/Los_Angeles, +1.0 h outside hours)".
fn slot_local(
    members: &[(String, Tz)],
    slot: &Slot,
    meeting: Duration,
    day: NaiveDate,
) -> Vec<String> {
    let start = day.and_time(slot.start).and_utc();
    let i = Interval::new(start, start + meeting);
    members
        .iter()
        .enumerate()
        .map(|(k, (name, tz))| {
            let mut notes = Vec::new();
            if slot.night[k] > 0.0 {
                notes.push(format!("{:.1} h at night", slot.night[k]));
            } else if slot.burden[k] > 0.0 {
                notes.push(format!("+{:.1} h outside hours", slot.burden[k]));
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(", {}", notes.join(", "))
            };
            format!("{name} {} ({}{notes})", local(&i, tz), tz.name())
        })
        .collect()
}

/// The first meeting day of the plan, to show slots' local times on (the
/// offsets of that day; a DST change inside the range moves them).
fn first_day(plan: &OverlapPlan) -> Option<NaiveDate> {
    plan.days
        .iter()
        .find(|d| d.working >= plan.required)
        .map(|d| d.date)
}

fn weekdays(p: &Period) -> String {
    p.weekdays
        .iter()
        .map(|w| w.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn local(i: &Interval, tz: &Tz) -> String {
    format!(
        "{}-{}",
        i.start.with_timezone(tz).format("%H:%M"),
        i.end.with_timezone(tz).format("%H:%M")
    )
}

/// One line of 48 half-hour cells over the UTC date: `#` inside `set`.
fn cells(date: NaiveDate, set: &[Interval]) -> String {
    (0..48)
        .map(|h| {
            let s = date.and_time(NaiveTime::MIN).and_utc() + Duration::minutes(30 * h);
            if set.iter().any(|i| i.start <= s && s < i.end) {
                '#'
            } else {
                '.'
            }
        })
        .collect()
}

/// Writes the plan for people to read. `working` gives a member's working
/// time on a UTC date, for the timeline.
pub fn write_text(
    members: &[(String, Tz)],
    plan: &OverlapPlan,
    meeting: Duration,
    working: &dyn Fn(usize, NaiveDate) -> Vec<Interval>,
    out: &mut impl Write,
) -> io::Result<()> {
    let n = members.len();
    writeln!(
        out,
        "overlap of {} member(s), {} of {} must be working",
        n, plan.required, n
    )?;
    if plan.none() {
        writeln!(out, "{ASYNC_ADVICE}")?;
    }
    let left_out = plan
        .days
        .iter()
        .filter(|d| d.working < plan.required)
        .count();
    if left_out > 0 {
        writeln!(
            out,
            "{left_out} day(s) left out: fewer than {} members work on them at all (weekends, holidays, absences)",
            plan.required
        )?;
    }
    let width = members.iter().map(|m| m.0.len()).max().unwrap_or(0).max(7);
    for p in &plan.periods {
        writeln!(out)?;
        let h: f64 = p.windows.iter().fold(0.0, |a, w| a + hours(w.duration()));
        writeln!(
            out,
            "{}..{} ({}): {:.1} h a day{}",
            p.first,
            p.last,
            weekdays(p),
            h,
            if plan.required < n {
                // With a share below everyone, say what everyone gets too.
                let full = plan
                    .days
                    .iter()
                    .find(|d| d.date == p.first)
                    .map_or(0.0, |d| hours(d.full));
                format!(" ({full:.1} h with everyone)")
            } else {
                String::new()
            }
        )?;
        if p.windows.is_empty() {
            writeln!(out, "  no window")?;
        }
        for w in &p.windows {
            writeln!(out, "  {} UTC", local(w, &chrono_tz::UTC))?;
            for (name, tz) in members {
                writeln!(out, "    {name:width$} {} {}", local(w, tz), tz.name())?;
            }
        }
        writeln!(
            out,
            "  {:width$} 0     3     6     9     12    15    18    21    (UTC)",
            ""
        )?;
        for (m, (name, _)) in members.iter().enumerate() {
            let set = working(m, p.first);
            writeln!(out, "  {name:width$} {}", cells(p.first, &set))?;
        }
        writeln!(out, "  {:width$} {}", "overlap", cells(p.first, &p.windows))?;
    }
    if !plan.suggestions.is_empty() {
        writeln!(out)?;
        if plan.night_only {
            writeln!(out, "{NIGHT_ADVICE}")?;
            writeln!(out, "least bad slot for a recurring meeting:")?;
        } else if plan.none() {
            writeln!(
                out,
                "{}",
                if plan.suggestions.len() == 1 {
                    "suggested slot for a recurring meeting (outside everyone's night; rotating would not share the time outside hours):"
                } else {
                    "suggested slots to rotate through (outside everyone's night, sharing the time outside hours):"
                }
            )?;
        } else if plan.suggestions.len() == 1 {
            writeln!(
                out,
                "suggested slot for a recurring meeting (inside the overlap):"
            )?;
        } else {
            writeln!(
                out,
                "suggested slots to rotate through (spreading the time outside working hours):"
            )?;
        }
        let day = first_day(plan).unwrap_or_default();
        for s in &plan.suggestions {
            writeln!(out, "  {} UTC", s.start.format("%H:%M"))?;
            for line in slot_local(members, s, meeting, day) {
                writeln!(out, "    {line}")?;
            }
            if plan.night_only {
                let carriers: Vec<&str> = members
                    .iter()
                    .zip(&s.night)
                    .filter(|(_, n)| **n > 0.0)
                    .map(|(m, _)| m.0.as_str())
                    .collect();
                writeln!(out, "    carried at night by: {}", carriers.join(", "))?;
            }
        }
    }
    Ok(())
}

/// The plan as the tools' JSON object (shape in `docs/moves.md`, "JSON
/// output").
pub fn to_json(members: &[(String, Tz)], plan: &OverlapPlan, meeting: Duration) -> Value {
    let window = |w: &Interval| {
        json!({
            "utc": local(w, &chrono_tz::UTC),
            "hours": hours(w.duration()),
            "local": members.iter().map(|(name, tz)| json!({
                "member": name, "tz": tz.name(), "time": local(w, tz)
            })).collect::<Vec<_>>(),
        })
    };
    let day = first_day(plan).unwrap_or_default();
    json!({
        "members": members.iter().map(|(n, tz)| json!({"name": n, "tz": tz.name()})).collect::<Vec<_>>(),
        "required": plan.required,
        "meeting_minutes": meeting.num_minutes(),
        "no_overlap": plan.none(),
        "night_only": plan.night_only,
        "advice": if plan.night_only { Some(NIGHT_ADVICE) } else { plan.none().then_some(ASYNC_ADVICE) },
        "periods": plan.periods.iter().map(|p| json!({
            "first": p.first.to_string(),
            "last": p.last.to_string(),
            "weekdays": p.weekdays.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
            "windows": p.windows.iter().map(window).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "days": plan.days.iter().map(|d| json!({
            "date": d.date.to_string(),
            "weekday": d.date.weekday().to_string(),
            "full_overlap_hours": hours(d.full),
            "windows": d.windows.iter().map(|w| local(w, &chrono_tz::UTC)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "suggestions": plan.suggestions.iter().map(|s| {
            let start = day.and_time(s.start).and_utc();
            let i = Interval::new(start, start + meeting);
            json!({
                "start_utc": s.start.format("%H:%M").to_string(),
                "members": members.iter().enumerate().map(|(k, (name, tz))| json!({
                    "member": name,
                    "tz": tz.name(),
                    "time": local(&i, tz),
                    "outside_hours": s.burden[k],
                    "night_hours": s.night[k],
                })).collect::<Vec<_>>(),
            })
        }).collect::<Vec<_>>(),
    })
}
