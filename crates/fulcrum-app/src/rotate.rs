//! `fulcrum rotate`: a facilitation rotation for a recurring series of a
//! workspace's calendars.

use crate::focus::{Loaded, MoveError, check_range, clock_of, expand_options, load, select};
use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use fulcrum_analysis::rotate::{Assignment, Candidate, rotate};
use fulcrum_model::{Interval, Person, series_short_id};
use fulcrum_report::rotate::CandidateView;
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
    /// The series: its short id, its UID, or a word of its title.
    pub series: String,
    /// Candidates: a team (default: the series' attendees on the list).
    /// Also narrows the series to those the team organizes.
    pub team: Option<String>,
    /// First date of the rotation.
    pub from: NaiveDate,
    /// Last date of the rotation, included (`None`: up to a year ahead).
    pub to: Option<NaiveDate>,
    /// At most this many occurrences.
    pub count: usize,
}

/// The rotation, ready to render.
#[derive(Debug, Clone)]
pub struct RotateOutcome {
    /// The series' title.
    pub title: String,
    /// The series' UID.
    pub uid: String,
    /// The series' short id ([`series_short_id`]).
    pub short_id: String,
    /// The zone the series is shown in: its organizer's, else the first
    /// candidate's.
    pub tz: Tz,
    /// The candidates.
    pub candidates: Vec<CandidateView>,
    /// Past facilitations per candidate.
    pub history: Vec<u32>,
    /// The assignments.
    pub assignments: Vec<Assignment>,
    /// Problems met while reading the calendars.
    pub problems: Vec<fulcrum_model::diagnostic::Diagnostic>,
}

/// One series a `--series` text matched, to list when it matched several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesChoice {
    /// [`series_short_id`] of the UID.
    pub short_id: String,
    /// The UID.
    pub uid: String,
    /// The title.
    pub title: String,
    /// The organizer's name (email when not on the people list).
    pub organizer: String,
    /// The organizer's team, when on the people list.
    pub team: Option<String>,
    /// The next occurrence on or after the rotation's first day, in the
    /// organizer's zone (UTC when unknown).
    pub next: Option<String>,
}

/// The table of series listed when `--series` is ambiguous.
pub fn choices_table(choices: &[SeriesChoice]) -> String {
    let width = |f: &dyn Fn(&SeriesChoice) -> usize, min: usize| {
        choices.iter().map(f).max().unwrap_or(0).max(min)
    };
    let tw = width(&|c| c.title.chars().count().min(40), 5);
    let ow = width(&|c| c.organizer.chars().count().min(32), 9);
    let mw = width(&|c| c.team.as_deref().map_or(1, str::len), 4);
    let mut out = format!(
        "  {:<8}  {:<tw$}  {:<ow$}  {:<mw$}  NEXT",
        "ID", "TITLE", "ORGANIZER", "TEAM"
    );
    let cut = |s: &str, n: usize| -> String {
        if s.chars().count() <= n {
            s.to_owned()
        } else {
            let mut t: String = s.chars().take(n - 1).collect();
            t.push('~');
            t
        }
    };
    for c in choices {
        out.push_str(&format!(
            "\n  {:<8}  {:<tw$}  {:<ow$}  {:<mw$}  {}",
            c.short_id,
            cut(&c.title, 40),
            cut(&c.organizer, 32),
            c.team.as_deref().unwrap_or("-"),
            c.next.as_deref().unwrap_or("none ahead")
        ));
    }
    out
}

fn address(e: &str) -> String {
    e.trim_start_matches("mailto:").to_lowercase()
}

fn person_of(people: &[Person], email: &str) -> Option<usize> {
    let e = address(email);
    people
        .iter()
        .position(|p| p.email == e || p.aliases.iter().any(|a| a.to_lowercase() == e))
}

/// True when the series belongs to `team`: its organizer is on it, or (no
/// organizer on the list) a listed attendee is.
fn of_team(details: &fulcrum_model::EventDetails, people: &[Person], team: &str) -> bool {
    let on =
        |e: &str| person_of(people, e).is_some_and(|i| people[i].team.eq_ignore_ascii_case(team));
    match details
        .organizer
        .as_ref()
        .and_then(|o| person_of(people, &o.email))
    {
        Some(i) => people[i].team.eq_ignore_ascii_case(team),
        None => details.attendees.iter().any(|a| on(&a.who.email)),
    }
}

/// Finds the series, its history and the next occurrences, and assigns them.
pub fn run_rotate(req: &RotateRequest) -> Result<RotateOutcome, MoveError> {
    if req.count == 0 {
        return Err(MoveError::Input("--count must be at least 1".into()));
    }
    let history_from = req.from - Duration::days(365);
    let to = req.to.unwrap_or(req.from + Duration::days(366));
    check_range(req.from, to)?;
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
    if let Some(t) = &req.team
        && matches!(req.source, RotateSource::Workspace(_))
    {
        // An unknown team is an error naming the teams.
        select(&loaded.people, Some(t), &[])?;
    }
    let needle = req.series.to_lowercase();
    let from_instant = req.from.and_time(chrono::NaiveTime::MIN).and_utc();
    let after_to = (to + Duration::days(1))
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    let mut seen = BTreeSet::new();
    let mut occ = Vec::new();
    for cal in loaded.calendars.iter().flatten() {
        for o in cal {
            let d = &o.details;
            if !d.series.in_series || o.is_all_day() {
                continue;
            }
            if *o.uid != *req.series
                && series_short_id(&o.uid) != needle
                && !d.summary.to_lowercase().contains(&needle)
            {
                continue;
            }
            let start = o.start.instant_in(&chrono_tz::UTC);
            if seen.insert((o.uid.to_string(), start)) {
                occ.push(o.clone());
            }
        }
    }
    if let (Some(t), RotateSource::Workspace(_)) = (&req.team, &req.source) {
        occ.retain(|o| of_team(&o.details, &loaded.people, t));
    }
    occ.sort_by_key(|o| o.start.instant_in(&chrono_tz::UTC));
    let zone_of = |d: &fulcrum_model::EventDetails| -> Tz {
        d.organizer
            .as_ref()
            .and_then(|o| person_of(&loaded.people, &o.email))
            .map_or(chrono_tz::UTC, |i| loaded.people[i].tz)
    };
    let mut uids: Vec<String> = occ.iter().map(|o| o.uid.to_string()).collect();
    uids.sort();
    uids.dedup();
    let uid = match uids.as_slice() {
        [] => {
            let team = req
                .team
                .as_deref()
                .map_or_else(String::new, |t| format!(" organized by team {t}"));
            return Err(MoveError::Input(format!(
                "no recurring series{team} matches {:?} (give its id from `fulcrum audit`, its UID or a word of its title)",
                req.series
            )));
        }
        [one] => one.clone(),
        many => {
            let mut choices: Vec<SeriesChoice> = many
                .iter()
                .filter_map(|uid| {
                    let first = occ.iter().find(|o| *o.uid == **uid)?;
                    let d = &first.details;
                    let who = d
                        .organizer
                        .as_ref()
                        .map(|o| (o.email.clone(), person_of(&loaded.people, &o.email)));
                    let tz = zone_of(d);
                    let next = occ
                        .iter()
                        .filter(|o| *o.uid == **uid)
                        .map(|o| o.start.instant_in(&chrono_tz::UTC))
                        .find(|s| *s >= from_instant)
                        .map(|s| {
                            format!(
                                "{} {}",
                                s.with_timezone(&tz).format("%a %Y-%m-%d %H:%M"),
                                tz.name()
                            )
                        });
                    Some(SeriesChoice {
                        short_id: series_short_id(uid),
                        uid: uid.clone(),
                        title: d.summary.clone(),
                        organizer: match &who {
                            Some((_, Some(i))) => loaded.people[*i].name.clone(),
                            Some((e, None)) => address(e),
                            None => "-".into(),
                        },
                        team: who
                            .and_then(|(_, i)| i)
                            .map(|i| loaded.people[i].team.clone()),
                        next,
                    })
                })
                .collect();
            choices.sort_by(|a, b| {
                (a.next.is_none(), &a.team, &a.title, &a.short_id).cmp(&(
                    b.next.is_none(),
                    &b.team,
                    &b.title,
                    &b.short_id,
                ))
            });
            let narrow = if req.team.is_none() {
                ", or narrow with --team"
            } else {
                ""
            };
            return Err(MoveError::Input(format!(
                "{:?} matches {} series; give one with --series ID{narrow}:\n{}",
                req.series,
                many.len(),
                choices_table(&choices)
            )));
        }
    };
    occ.retain(|o| *o.uid == *uid);
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
            .map(address)
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
    let candidates: Vec<usize> = match (&req.team, &req.source) {
        (Some(t), RotateSource::Workspace(_)) => select(&loaded.people, Some(t), &[])?,
        _ => {
            let mut c: Vec<usize> = details
                .organizer
                .iter()
                .map(|o| o.email.as_str())
                .chain(details.attendees.iter().map(|a| a.who.email.as_str()))
                .filter_map(|e| person_of(&loaded.people, e))
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
    let mut history = vec![0u32; candidates.len()];
    let mut upcoming: Vec<Interval> = Vec::new();
    for o in &occ {
        let start = o.start.instant_in(&chrono_tz::UTC);
        if start < from_instant {
            let org = o.details.organizer.as_ref().map(|x| address(&x.email));
            if let Some(org) = org
                && let Some(k) = candidates
                    .iter()
                    .position(|&i| loaded.people[i].email == org)
            {
                history[k] += 1;
            }
        } else if start < after_to && upcoming.len() < req.count {
            upcoming.push(Interval::new(start, o.end.instant_in(&chrono_tz::UTC)));
        }
    }
    if upcoming.is_empty() {
        return Err(MoveError::Input(format!(
            "{:?} has no occurrence from {} to {to}",
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
    let organizer_tz = details
        .organizer
        .as_ref()
        .and_then(|o| person_of(&loaded.people, &o.email))
        .map(|i| loaded.people[i].tz);
    Ok(RotateOutcome {
        title: details.summary.clone(),
        short_id: series_short_id(&uid),
        uid,
        tz: organizer_tz.unwrap_or(loaded.people[candidates[0]].tz),
        candidates: candidates
            .iter()
            .map(|&i| CandidateView {
                name: loaded.people[i].name.clone(),
                email: loaded.people[i].email.clone(),
                tz: loaded.people[i].tz,
            })
            .collect(),
        history,
        assignments,
        problems: std::mem::take(&mut loaded.problems),
    })
}
