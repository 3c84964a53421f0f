//! `fulcrum rotate`: a facilitation rotation for a recurring series of a
//! workspace's calendars.

use crate::focus::{Loaded, MoveError, check_range, clock_of, expand_options, load, select};
use chrono::{Duration, NaiveDate, Utc};
use fulcrum_analysis::rotate::{Assignment, Candidate, rotate};
use fulcrum_model::Interval;
use fulcrum_model::Person;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Where the series is read.
#[derive(Debug, Clone)]
pub enum RotateSource {
    /// A workspace's calendars and people.
    Workspace(PathBuf),
    /// One calendar file; its organizer and attendees are the candidates,
    /// all in one zone with the same hours (no absences known).
    Single {
        /// The `.ics` file.
        ics: PathBuf,
        /// The candidates' zone.
        tz: chrono_tz::Tz,
        /// The candidates' working hours.
        hours: fulcrum_model::WorkingHours,
    },
}

/// What `fulcrum rotate` was asked.
#[derive(Debug, Clone)]
pub struct RotateRequest {
    /// Where the series is read.
    pub source: RotateSource,
    /// The series: its UID, or a word of its title.
    pub series: String,
    /// Candidates: a team (default: the series' attendees on the list).
    pub team: Option<String>,
    /// First date of the rotation.
    pub from: NaiveDate,
    /// How many occurrences.
    pub count: usize,
}

/// The rotation, ready to render.
#[derive(Debug, Clone)]
pub struct RotateOutcome {
    /// The series' title.
    pub title: String,
    /// The series' UID.
    pub uid: String,
    /// Candidate names and emails.
    pub candidates: Vec<(String, String)>,
    /// Past facilitations per candidate.
    pub history: Vec<u32>,
    /// The assignments.
    pub assignments: Vec<Assignment>,
}

/// Finds the series, its history and the next occurrences, and assigns them.
pub fn run_rotate(req: &RotateRequest) -> Result<RotateOutcome, MoveError> {
    if req.count == 0 {
        return Err(MoveError::Input("--count must be at least 1".into()));
    }
    let history_from = req.from - Duration::days(365);
    let to = req.from + Duration::days(366);
    check_range(history_from, to)?;
    let mut loaded = match &req.source {
        RotateSource::Workspace(root) => load(root, history_from, to)?,
        RotateSource::Single { ics, .. } => {
            let mut cal =
                crate::ics::read_calendar_file(ics).map_err(|u| MoveError::Input(u.to_string()))?;
            let occurrences = cal.expand(&expand_options(history_from, to));
            Loaded {
                people: Vec::new(),
                calendars: vec![Some(occurrences)],
                policy: fulcrum_workspace::config::default_policy(),
                problems: crate::ics::calendar_problems(&ics.display().to_string(), &cal),
            }
        }
    };
    let needle = req.series.to_lowercase();
    let mut seen = BTreeSet::new();
    let mut occ = Vec::new();
    for cal in loaded.calendars.iter().flatten() {
        for o in cal {
            let d = &o.details;
            if !d.series.in_series || o.is_all_day() {
                continue;
            }
            if *o.uid != *req.series && !d.summary.to_lowercase().contains(&needle) {
                continue;
            }
            let start = o.start.instant_in(&chrono_tz::UTC);
            if seen.insert((o.uid.to_string(), start)) {
                occ.push(o.clone());
            }
        }
    }
    let mut uids: Vec<String> = occ.iter().map(|o| o.uid.to_string()).collect();
    uids.sort();
    uids.dedup();
    let uid = match uids.as_slice() {
        [] => {
            return Err(MoveError::Input(format!(
                "no recurring series matches {:?} (give its UID or a word of its title)",
                req.series
            )));
        }
        [one] => one.clone(),
        many => {
            return Err(MoveError::Input(format!(
                "{:?} matches {} series; give one UID: {}",
                req.series,
                many.len(),
                many.join(", ")
            )));
        }
    };
    occ.retain(|o| *o.uid == *uid);
    occ.sort_by_key(|o| o.start.instant_in(&chrono_tz::UTC));
    let details = occ[0].details.clone();
    if let RotateSource::Single { tz, hours, .. } = &req.source {
        // The people of a lone file: its organizer and attendees (not rooms).
        let mut emails: Vec<String> = details
            .organizer
            .iter()
            .map(|o| o.email.as_str())
            .chain(
                details
                    .attendees
                    .iter()
                    .filter(|a| a.is_person())
                    .map(|a| a.who.email.as_str()),
            )
            .map(|e| e.trim_start_matches("mailto:").to_lowercase())
            .collect();
        emails.dedup();
        let mut people: Vec<Person> = Vec::new();
        for email in emails {
            if people.iter().any(|p| p.email == email) {
                continue;
            }
            people.push(Person {
                name: email.clone(),
                email,
                team: String::new(),
                tz: *tz,
                working_hours: hours.clone(),
                aliases: Vec::new(),
            });
        }
        loaded.calendars = vec![None; people.len()];
        loaded.people = people;
    }
    let candidates: Vec<usize> = match &req.team {
        Some(t) => select(&loaded.people, Some(t), &[])?,
        None => {
            let mut c: Vec<usize> = details
                .organizer
                .iter()
                .map(|o| o.email.as_str())
                .chain(details.attendees.iter().map(|a| a.who.email.as_str()))
                .filter_map(|e| {
                    let e = e.trim_start_matches("mailto:").to_lowercase();
                    loaded.people.iter().position(|p| {
                        p.email == e || p.aliases.iter().any(|a| a.to_lowercase() == e)
                    })
                })
                .collect();
            c.sort_unstable();
            c.dedup();
            c
        }
    };
    if candidates.is_empty() {
        return Err(MoveError::Input(format!(
            "nobody on the people list attends {:?}",
            details.summary
        )));
    }
    let from_instant = req
        .from
        .and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc())
        .unwrap_or_else(Utc::now);
    let mut history = vec![0u32; candidates.len()];
    let mut upcoming: Vec<Interval> = Vec::new();
    for o in &occ {
        let start = o.start.instant_in(&chrono_tz::UTC);
        if start < from_instant {
            let org = o
                .details
                .organizer
                .as_ref()
                .map(|x| x.email.trim_start_matches("mailto:").to_lowercase());
            if let Some(org) = org
                && let Some(k) = candidates
                    .iter()
                    .position(|&i| loaded.people[i].email == org)
            {
                history[k] += 1;
            }
        } else if upcoming.len() < req.count {
            upcoming.push(Interval::new(start, o.end.instant_in(&chrono_tz::UTC)));
        }
    }
    if upcoming.is_empty() {
        return Err(MoveError::Input(format!(
            "{:?} has no occurrence after {}",
            details.summary, req.from
        )));
    }
    let cands: Vec<Candidate> = candidates
        .iter()
        .zip(&history)
        .map(|(&i, &h)| Candidate {
            name: loaded.people[i].name.clone(),
            clock: clock_of(&loaded.people[i], loaded.calendars[i].as_deref()),
            history: h,
        })
        .collect();
    let assignments = rotate(&cands, &upcoming);
    Ok(RotateOutcome {
        title: details.summary.clone(),
        uid,
        candidates: candidates
            .iter()
            .map(|&i| {
                (
                    loaded.people[i].name.clone(),
                    loaded.people[i].email.clone(),
                )
            })
            .collect(),
        history,
        assignments,
    })
}
