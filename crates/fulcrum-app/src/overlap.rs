//! `fulcrum overlap`: the members of a team, or people given ad hoc, and
//! their overlap over a range.

use crate::focus::{MoveError, check_range, clock_of, load, select};
use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use fulcrum_analysis::overlap::{OverlapMember, OverlapPlan, plan_overlap, working_in};
use fulcrum_analysis::week::WorkClock;
use fulcrum_model::WorkingHours;
use std::path::PathBuf;

/// What `fulcrum overlap` was asked.
#[derive(Debug, Clone)]
pub struct OverlapRequest {
    /// The workspace, when members come from one.
    pub root: Option<PathBuf>,
    /// `--team`.
    pub team: Option<String>,
    /// `--person`: emails of the workspace, or `Label=Zone` ad hoc.
    pub persons: Vec<String>,
    /// Working hours of ad hoc members.
    pub hours: WorkingHours,
    /// First UTC date.
    pub from: NaiveDate,
    /// Last UTC date.
    pub to: NaiveDate,
    /// Share of members that must be working.
    pub share: f64,
    /// Length of the meeting to suggest slots for.
    pub meeting: Duration,
}

/// The answer with the members' labels and zones.
#[derive(Debug, Clone)]
pub struct OverlapOutcome {
    /// Labels and zones, in plan order.
    pub members: Vec<(String, Tz)>,
    /// The plan.
    pub plan: OverlapPlan,
    /// The members' clocks, in plan order.
    pub clocks: Vec<WorkClock>,
}

impl OverlapOutcome {
    /// Member `m`'s working time on a UTC date (for timelines).
    pub fn working_in(&self, m: usize, date: NaiveDate) -> Vec<fulcrum_model::Interval> {
        working_in(&self.clocks[m], date)
    }
}

/// Works the overlap out.
pub fn run_overlap(req: &OverlapRequest) -> Result<OverlapOutcome, MoveError> {
    check_range(req.from, req.to)?;
    if !(req.share > 0.0 && req.share <= 1.0) {
        return Err(MoveError::Input(format!(
            "--share {} must be above 0 and at most 1",
            req.share
        )));
    }
    let mut members: Vec<OverlapMember> = Vec::new();
    let mut zones = Vec::new();
    let (ad_hoc, emails): (Vec<&String>, Vec<&String>) =
        req.persons.iter().partition(|p| p.contains('='));
    for p in ad_hoc {
        let (label, zone) = p.split_once('=').unwrap_or((p, ""));
        let tz: Tz = zone.trim().parse().map_err(|_| {
            MoveError::Input(format!(
                "--person {p:?}: {zone:?} is not an IANA zone (e.g. Europe/Berlin)"
            ))
        })?;
        members.push(OverlapMember {
            name: label.trim().to_string(),
            clock: WorkClock::new(tz, req.hours.clone(), Default::default()),
        });
        zones.push((label.trim().to_string(), tz));
    }
    if req.team.is_some() || !emails.is_empty() {
        let Some(root) = &req.root else {
            return Err(MoveError::Input(
                "--team and email --person need a workspace (no fulcrum.toml found)".into(),
            ));
        };
        let loaded = load(root, req.from, req.to)?;
        let emails: Vec<String> = emails.into_iter().cloned().collect();
        for i in select(&loaded.people, req.team.as_deref(), &emails)? {
            let p = &loaded.people[i];
            members.push(OverlapMember {
                name: p.name.clone(),
                clock: clock_of(p, loaded.calendars[i].as_deref()),
            });
            zones.push((p.name.clone(), p.tz));
        }
    }
    if members.is_empty() {
        return Err(MoveError::Input(
            "nobody to compare: give --team T or --person (an email, or 'Label=Zone')".into(),
        ));
    }
    let plan = plan_overlap(&members, req.from, req.to, req.share, req.meeting);
    Ok(OverlapOutcome {
        members: zones,
        plan,
        clocks: members.into_iter().map(|m| m.clock).collect(),
    })
}
