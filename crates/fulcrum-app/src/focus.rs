//! `fulcrum focus`: plan focus blocks and write one `.ics` per person.
//!
//! Also holds the loading the three moves (focus, overlap, rotate) share:
//! a workspace's people and their calendars expanded over a date range,
//! each calendar given to its owner as the report does.

use crate::ics::read_calendar_file;
use crate::report::params_of;
use crate::sources::plan_calendars;
use crate::workspace::{WorkspaceError, load_workspace, source_paths};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use fulcrum_analysis::Params;
use fulcrum_analysis::focus::{
    FocusPerson, FocusPlan, FocusRules, out_of_office_intervals, plan_focus,
};
use fulcrum_analysis::meetings::{event_interval, person_meetings};
use fulcrum_analysis::week::{WorkClock, away_days};
use fulcrum_ics::{Bound, ExpandOptions};
use fulcrum_model::diagnostic::Diagnostic;
use fulcrum_model::{Occurrence, Person, WorkingHours};
use fulcrum_report::ics_write::{IcsEvent, stable_uid, write_calendar};
use fulcrum_workspace::{Directory, Policy};
use std::path::{Path, PathBuf};

/// Why a move cannot be planned.
#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    /// The workspace could not be read.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// Bad input: what was wrong and what to do.
    #[error("{0}")]
    Input(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// A workspace's people with their calendars over a range.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Everyone on the list, resolved.
    pub people: Vec<Person>,
    /// Each person's own occurrences (`None`: no calendar of theirs).
    pub calendars: Vec<Option<Vec<Occurrence>>>,
    /// The workspace policy.
    pub policy: Policy,
    /// Located problems met on the way (files skipped).
    pub problems: Vec<Diagnostic>,
}

/// Checks a date range: `from <= to`.
pub fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(), MoveError> {
    if to < from {
        return Err(MoveError::Input(format!(
            "empty date range: --from {from} is after --to {to}; give --to on or after --from"
        )));
    }
    Ok(())
}

/// Options expanding over local dates `from..=to` in any zone.
pub fn expand_options(from: NaiveDate, to: NaiveDate) -> ExpandOptions {
    let at = |d: NaiveDate| d.and_time(NaiveTime::MIN).and_utc().fixed_offset();
    ExpandOptions::window(
        Bound::Instant(at(from - Duration::days(2))),
        Bound::Instant(at(to + Duration::days(2))),
    )
}

/// Loads the workspace at `root` and expands its calendars over `from..=to`.
pub fn load(root: &Path, from: NaiveDate, to: NaiveDate) -> Result<Loaded, MoveError> {
    let ws = load_workspace(root)?;
    let w = &ws.workspace;
    let directory = Directory::build(&w.team, &w.people, &[])
        .map_err(|e| MoveError::Workspace(WorkspaceError::Config(e)))?;
    let people = directory.people().to_vec();
    let mut problems = Vec::new();
    let paths = source_paths(&ws.root, &w.sources.calendars, "calendars", &mut problems)?;
    let plan = plan_calendars(&paths, &people, &directory);
    problems.extend(plan.unreadable.iter().map(|u| u.diagnostic("file skipped")));
    let (calendars, lines) = plan.into_calendars(expand_options(from, to)).take_all();
    problems.extend(lines);
    Ok(Loaded {
        people,
        calendars,
        policy: w.policy.clone(),
        problems,
    })
}

/// The indexes of the people chosen by `--team` and `--person` (emails,
/// aliases or names); everyone when neither is given. An unknown name is an
/// error naming it.
pub fn select(
    people: &[Person],
    team: Option<&str>,
    persons: &[String],
) -> Result<Vec<usize>, MoveError> {
    let mut chosen: Vec<usize> = Vec::new();
    if let Some(t) = team {
        chosen.extend(
            people
                .iter()
                .enumerate()
                .filter(|(_, p)| p.team.eq_ignore_ascii_case(t))
                .map(|(i, _)| i),
        );
        if chosen.is_empty() {
            let mut teams: Vec<&str> = people.iter().map(|p| p.team.as_str()).collect();
            teams.sort_unstable();
            teams.dedup();
            return Err(MoveError::Input(format!(
                "no team {t:?} in the workspace (teams: {})",
                teams.join(", ")
            )));
        }
    }
    for key in persons {
        let k = key.to_lowercase();
        let Some(i) = people.iter().position(|p| {
            p.email == k
                || p.name.to_lowercase() == k
                || p.aliases.iter().any(|a| a.to_lowercase() == k)
        }) else {
            return Err(MoveError::Input(format!(
                "unknown person {key:?}: not an email, alias or name on the workspace's people list"
            )));
        };
        if !chosen.contains(&i) {
            chosen.push(i);
        }
    }
    if team.is_none() && persons.is_empty() {
        chosen = (0..people.len()).collect();
    }
    Ok(chosen)
}

/// A person's clock with their away days from their own calendar.
pub fn clock_of(person: &Person, calendar: Option<&[Occurrence]>) -> WorkClock {
    let me = |a: &str| {
        let a = a.trim_start_matches("mailto:").to_lowercase();
        a == person.email || person.aliases.iter().any(|x| x.to_lowercase() == a)
    };
    let away = calendar
        .map(|c| away_days(&person.tz, &person.working_hours, c, me))
        .unwrap_or_default();
    WorkClock::new(person.tz, person.working_hours.clone(), away)
}

/// Where the calendars come from.
#[derive(Debug, Clone)]
pub enum FocusSource {
    /// A workspace and who in it.
    Workspace {
        /// The workspace folder.
        root: PathBuf,
        /// `--team`.
        team: Option<String>,
        /// `--person`.
        persons: Vec<String>,
    },
    /// One calendar file, its owner's zone and working hours.
    Single {
        /// The `.ics` file.
        ics: PathBuf,
        /// The owner's zone.
        tz: Tz,
        /// The owner's working hours.
        hours: WorkingHours,
    },
}

/// What `fulcrum focus` was asked.
#[derive(Debug, Clone)]
pub struct FocusRequest {
    /// Calendars.
    pub source: FocusSource,
    /// First local date.
    pub from: NaiveDate,
    /// Last local date.
    pub to: NaiveDate,
    /// Override of `policy.focus.min_block_minutes`.
    pub min_block_minutes: Option<u32>,
    /// Override of `policy.focus.hours_per_day`.
    pub hours_per_day: Option<f64>,
    /// Folder for the `.ics` files; none: write nothing.
    pub out: Option<PathBuf>,
}

/// One person of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FocusPersonOut {
    /// Display name.
    pub name: String,
    /// Email (the file name), or the calendar file's stem.
    pub email: String,
    /// The zone.
    pub tz: Tz,
    /// The file written, when any.
    pub file: Option<PathBuf>,
}

/// What was planned.
#[derive(Debug, Clone)]
pub struct FocusOutcome {
    /// The people, in plan order.
    pub people: Vec<FocusPersonOut>,
    /// The plan.
    pub plan: FocusPlan,
    /// Rules used.
    pub rules: FocusRules,
    /// Problems met while reading.
    pub problems: Vec<Diagnostic>,
}

/// The category the written blocks carry.
pub const FOCUS_CATEGORY: &str = "Focus time";

/// The events of one person's blocks, with UIDs stable across runs (person,
/// local date, start).
pub fn focus_events(email: &str, plan: &FocusPlan, person: usize) -> Vec<IcsEvent> {
    plan.blocks
        .iter()
        .filter(|b| b.person == person)
        .map(|b| IcsEvent {
            uid: stable_uid(
                &[
                    email,
                    "focus",
                    &b.date.to_string(),
                    &b.interval.start.to_rfc3339(),
                ],
                "fulcrum.focus",
            ),
            start: b.interval.start,
            end: b.interval.end,
            summary: "Focus time".into(),
            description: Some(
                "Planned by fulcrum focus: a block without meetings. Re-importing updates it."
                    .into(),
            ),
            categories: vec![FOCUS_CATEGORY.into()],
            busy: true,
            url: None,
        })
        .collect()
}

/// Plans focus blocks and writes the files; `now` stamps them.
pub fn run_focus(req: &FocusRequest, now: DateTime<Utc>) -> Result<FocusOutcome, MoveError> {
    check_range(req.from, req.to)?;
    let (inputs, mut outs, policy, problems) = match &req.source {
        FocusSource::Workspace {
            root,
            team,
            persons,
        } => {
            let loaded = load(root, req.from, req.to)?;
            let chosen = select(&loaded.people, team.as_deref(), persons)?;
            if chosen.is_empty() {
                return Err(MoveError::Input(
                    "nobody to plan for: the workspace lists no people".into(),
                ));
            }
            let params = params_of(&loaded.policy);
            let addresses = |k: &str| {
                let k = k.trim_start_matches("mailto:").to_lowercase();
                loaded
                    .people
                    .iter()
                    .position(|p| p.email == k || p.aliases.iter().any(|a| a.to_lowercase() == k))
            };
            let mut inputs = Vec::new();
            let mut outs = Vec::new();
            for &i in &chosen {
                let p = &loaded.people[i];
                let cal = loaded.calendars[i].as_deref();
                let mut busy = Vec::new();
                if let Some(c) = cal {
                    busy.extend(person_meetings(i, p, c, &params, &addresses).union);
                    busy.extend(out_of_office_intervals(c, &p.tz));
                }
                inputs.push(FocusPerson {
                    clock: clock_of(p, cal),
                    busy,
                });
                outs.push(FocusPersonOut {
                    name: p.name.clone(),
                    email: p.email.clone(),
                    tz: p.tz,
                    file: None,
                });
            }
            (inputs, outs, loaded.policy, loaded.problems)
        }
        FocusSource::Single { ics, tz, hours } => {
            let mut cal = read_calendar_file(ics).map_err(|u| MoveError::Input(u.to_string()))?;
            let occ = cal.expand(&expand_options(req.from, req.to));
            let params = Params::default();
            // The owner is unknown: every busy event of their own calendar
            // (not cancelled, not free, not all-day) blocks focus time.
            let mut busy: Vec<_> = occ
                .iter()
                .filter_map(|o| event_interval(o, tz, &params).ok())
                .collect();
            busy.extend(out_of_office_intervals(&occ, tz));
            let away = away_days(tz, hours, &occ, |_| true);
            let stem = ics
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("calendar")
                .to_string();
            (
                vec![FocusPerson {
                    clock: WorkClock::new(*tz, hours.clone(), away),
                    busy,
                }],
                vec![FocusPersonOut {
                    name: stem.clone(),
                    email: stem,
                    tz: *tz,
                    file: None,
                }],
                fulcrum_workspace::config::default_policy(),
                crate::ics::calendar_problems(&ics.display().to_string(), &cal),
            )
        }
    };
    let rules = FocusRules {
        min_block: Duration::minutes(i64::from(
            req.min_block_minutes
                .unwrap_or(policy.focus.min_block_minutes),
        )),
        per_day: Duration::minutes(
            (req.hours_per_day.unwrap_or(policy.focus.hours_per_day) * 60.0).round() as i64,
        ),
    };
    if rules.per_day < rules.min_block {
        return Err(MoveError::Input(format!(
            "the target of {} min a day is below the minimum block of {} min: nothing could be planned",
            rules.per_day.num_minutes(),
            rules.min_block.num_minutes()
        )));
    }
    let plan = plan_focus(&inputs, req.from, req.to, rules);
    if let Some(dir) = &req.out {
        std::fs::create_dir_all(dir).map_err(|source| MoveError::Io {
            path: dir.clone(),
            source,
        })?;
        for (i, o) in outs.iter_mut().enumerate() {
            let path = dir.join(format!("{}.focus.ics", o.email));
            let mut buf = Vec::new();
            let events = focus_events(&o.email, &plan, i);
            write_calendar(&mut buf, &format!("Focus time: {}", o.name), now, &events).map_err(
                |source| MoveError::Io {
                    path: path.clone(),
                    source,
                },
            )?;
            std::fs::write(&path, buf).map_err(|source| MoveError::Io {
                path: path.clone(),
                source,
            })?;
            o.file = Some(path);
        }
    }
    Ok(FocusOutcome {
        people: outs,
        plan,
        rules,
        problems,
    })
}
