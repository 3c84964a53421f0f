//! The server's dashboard snapshot: everything `fulcrum serve` shows,
//! computed once per refresh so that a request only picks a prepared piece.
//!
//! Pure: it takes a [`Computed`] (and, for planned focus blocks, the
//! calendars [`crate::focus::load`] read) and the time it was made; it
//! reads no file and no clock.
//!
//! Privacy is decided here, through the report's view model: each team's
//! [`Report`] is built with [`Individuals::None`] and `team: Some(name)`
//! (aggregates of that team only, suppressed below the minimum group size),
//! and its `problems` and `inputs` carry no file name (a calendar file is
//! often named after its owner's email). A person's own weeks are kept
//! apart, under their email, for that person only; the server decides who
//! may see which piece.

use crate::focus::Loaded;
use crate::report::{Computed, params_of};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use fulcrum_analysis::focus::{FocusPerson, FocusRules, out_of_office_intervals, plan_focus};
use fulcrum_analysis::meetings::person_meetings;
use fulcrum_analysis::route::RoutePolicy;
use fulcrum_analysis::{SignalId, Week, Window, WorkClock};
use fulcrum_report::report::{self, Cell, Individuals, Privacy, Report, ReportInput, person_cell};
use std::collections::{BTreeSet, HashMap};

/// The person signals shown in the "my week" table, in order.
pub const MY_WEEK_SIGNALS: &[SignalId] = &[
    SignalId::MeetingHours,
    SignalId::MeetingShare,
    SignalId::FocusHours,
    SignalId::Open2hBlocks,
    SignalId::Fragmentation,
    SignalId::AfterHoursMeetingHours,
    SignalId::MessagesSent,
    SignalId::AfterHoursMessages,
    SignalId::ResponseLatency,
    SignalId::SyncShare,
];

/// One team, ready to show to whoever may see it.
#[derive(Debug, Clone)]
pub struct TeamSnapshot {
    /// The team's name.
    pub name: String,
    /// Members on the people list.
    pub members: usize,
    /// Fewer members than the minimum group size: every value is
    /// suppressed ("too small to show").
    pub too_small: bool,
    /// The view model: this team's aggregates, no per-person rows.
    pub report: Report,
    /// [`fulcrum_report::report::html::write_fragment`] of `report`.
    pub html: String,
    /// [`fulcrum_report::report::json::to_value`] of `report`, serialized.
    pub json: String,
}

/// One planned focus block, in the person's own zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FocusBlockView {
    /// The local date.
    pub date: NaiveDate,
    /// Start, `HH:MM` local time.
    pub start: String,
    /// End, `HH:MM` local time.
    pub end: String,
    /// Length in minutes.
    pub minutes: i64,
    /// Start instant (RFC 3339, UTC).
    pub start_utc: String,
    /// End instant (RFC 3339, UTC).
    pub end_utc: String,
}

/// A person's planned focus blocks for one week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyFocus {
    /// The week planned: the current one, or the next ([`focus_dates`]).
    pub week: Week,
    /// The first day planned (today, or the next Monday).
    pub from: NaiveDate,
    /// The blocks as calendar events, with the UIDs `fulcrum focus`
    /// gives them (a re-import updates rather than duplicates).
    pub events: Vec<fulcrum_report::ics_write::IcsEvent>,
    /// The zone the times are in.
    pub zone: String,
    /// The blocks, in time order.
    pub blocks: Vec<FocusBlockView>,
    /// Minutes planned in all.
    pub planned_minutes: i64,
    /// Working days in the week (away days excluded).
    pub working_days: u32,
    /// Working days on which no gap was long enough for a block.
    pub days_without_room: Vec<NaiveDate>,
    /// The shortest block planned, minutes (`[policy.focus]`).
    pub min_block_minutes: i64,
    /// The most focus time planned a day, minutes.
    pub per_day_minutes: i64,
}

/// One person's own view ("my week"): only for that person.
#[derive(Debug, Clone)]
pub struct PersonSnapshot {
    /// Primary email, lower-cased.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Team on the people list.
    pub team: String,
    /// The zone.
    pub zone: String,
    /// Every person signal of every week of the window.
    pub weeks: Vec<(Week, Vec<(SignalId, Cell)>)>,
    /// Planned focus blocks for the last week of the window; `None` when
    /// the calendars were not given (see [`Snapshot::focus_note`]).
    pub focus: Option<MyFocus>,
    /// Their business-hours clock (zone, working hours and, when the
    /// calendars were given, the days their own out-of-office events take
    /// away): the answer-by time of an ask to them is counted on it.
    pub clock: WorkClock,
}

/// Everything the server shows, computed at `generated_at`.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// When it was computed.
    pub generated_at: DateTime<Utc>,
    /// The workspace's name.
    pub title: String,
    /// The window.
    pub window: Window,
    /// How it was chosen.
    pub window_rule: String,
    /// Its ISO weeks.
    pub weeks: Vec<Week>,
    /// The minimum group size.
    pub min_group_size: u32,
    /// Teams by name.
    pub teams: Vec<TeamSnapshot>,
    /// People, in the people list's order.
    pub people: Vec<PersonSnapshot>,
    /// Lower-cased primary emails and email aliases -> index into `people`.
    pub by_email: HashMap<String, usize>,
    /// Problems met while reading the sources, for administrators only (they
    /// may name files, and calendar files are named after people).
    pub problems: Vec<String>,
    /// Why there are no focus blocks, when there are none for anyone.
    pub focus_note: Option<String>,
    /// The decision types and SLA classes of `[policy]`, as the router
    /// reads them: asks count their answer-by time with its SLA classes,
    /// proposals their closing time with its decision types.
    pub route_policy: RoutePolicy,
    /// The `[team]` zone and working hours: the clock of an ask to a whole
    /// team, and of a meeting summary's due time.
    pub team_clock: WorkClock,
    /// The meeting checklist's limits of `[policy.meetings]`.
    pub meeting_limits: MeetingLimits,
    /// `[policy] incident_review_business_days`: an incident's review is
    /// due this many business days of `team_clock` after it is resolved.
    pub incident_review_business_days: u32,
    /// `[policy.updates]`: the cadence and questions of written updates.
    pub update_rules: fulcrum_workspace::config::UpdateRules,
    /// `[policy.pulse]`: the questions of the weekly pulse.
    pub pulse_rules: fulcrum_workspace::config::PulseRules,
}

/// The limits of `[policy.meetings]` a meeting record's checklist is held
/// to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingLimits {
    /// The timebox, in minutes.
    pub max_minutes: u32,
    /// The most invitees.
    pub max_attendees: u32,
}

impl Snapshot {
    /// A snapshot with nothing in it (before the first computation).
    pub fn empty(generated_at: DateTime<Utc>) -> Snapshot {
        let today = generated_at.date_naive();
        let window = Window {
            from: today,
            to: today,
        };
        Snapshot {
            generated_at,
            title: String::new(),
            weeks: window.weeks(),
            window,
            window_rule: "no data yet".to_owned(),
            min_group_size: 5,
            teams: Vec::new(),
            people: Vec::new(),
            by_email: HashMap::new(),
            problems: Vec::new(),
            focus_note: Some("no data has been computed yet".to_owned()),
            route_policy: crate::route::default_route_policy(),
            meeting_limits: {
                let m = fulcrum_workspace::config::default_policy().meetings;
                MeetingLimits {
                    max_minutes: m.max_minutes,
                    max_attendees: m.max_attendees,
                }
            },
            incident_review_business_days: fulcrum_workspace::config::default_policy()
                .incident_review_business_days,
            update_rules: fulcrum_workspace::config::default_policy().updates,
            pulse_rules: fulcrum_workspace::config::default_policy().pulse,
            team_clock: WorkClock::new(
                chrono_tz::Tz::UTC,
                fulcrum_model::WorkingHours::standard(),
                BTreeSet::new(),
            ),
        }
    }

    /// The snapshot of a computed report, without focus blocks (the
    /// report keeps no calendar occurrences; see
    /// [`Snapshot::from_computed_with_calendars`]).
    pub fn from_computed(computed: &Computed, generated_at: DateTime<Utc>) -> Snapshot {
        build(computed, None, generated_at)
    }

    /// The snapshot of a computed report, with each person's focus blocks
    /// for the last week of the window planned from their own calendar
    /// (`calendars` as [`crate::focus::load`] reads them over at least that
    /// week; people are matched by email).
    pub fn from_computed_with_calendars(
        computed: &Computed,
        calendars: &Loaded,
        generated_at: DateTime<Utc>,
    ) -> Snapshot {
        build(computed, Some(calendars), generated_at)
    }

    /// The team with this name.
    pub fn team(&self, name: &str) -> Option<&TeamSnapshot> {
        self.teams.iter().find(|t| t.name == name)
    }

    /// The person with this email or email alias (any case).
    pub fn person(&self, email: &str) -> Option<&PersonSnapshot> {
        self.by_email
            .get(&email.trim().to_lowercase())
            .and_then(|&i| self.people.get(i))
    }

    /// The last ISO week of the window: the week focus blocks are planned for.
    pub fn last_week(&self) -> Option<Week> {
        self.weeks.last().copied()
    }
}

/// The days focus blocks are planned for, from `today` (the snapshot's
/// date): the rest of the current ISO week while at least two working
/// days of it remain (Monday to Thursday), else the whole next week. A
/// week that is already over is never planned: the blocks are for a
/// calendar to import.
pub fn focus_dates(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let monday = Week::of_date(today).monday();
    if today.weekday().num_days_from_monday() <= 3 {
        (today, monday + Duration::days(6))
    } else {
        let next = monday + Duration::days(7);
        (next, next + Duration::days(6))
    }
}

fn build(computed: &Computed, calendars: Option<&Loaded>, generated_at: DateTime<Utc>) -> Snapshot {
    let c = computed;
    let min = c.min_group_size;
    // Counts only: no workspace path, no file name.
    let inputs = c.inputs.lines();
    let problems = if c.problems.is_empty() {
        Vec::new()
    } else {
        vec![
            fulcrum_model::diagnostic::Diagnostic::warning(
                "sources",
                format!("{} problem(s) while reading the sources", c.problems.len()),
            )
            .with_help("an administrator sees them on the imports page"),
        ]
    };
    let title = c.workspace.workspace.team.name.clone();
    let experiments = crate::experiments::in_report(c, generated_at.date_naive());
    let input = ReportInput {
        title: title.clone(),
        window: c.window,
        window_rule: c.window_rule.clone(),
        signals: &c.signals,
        assessments: &c.assessments,
        activity: &c.activity,
        people: &c.people,
        thresholds: &c.thresholds,
        min_group_size: min,
        key: c.key,
        key_source: "the workspace key".to_owned(),
        inputs,
        problems,
        // Judged on this computation, as the report does; each team's
        // report keeps its own (aggregates only, the group-size rule applied).
        experiments: &experiments,
    };
    let mut teams: Vec<TeamSnapshot> = c
        .signals
        .teams
        .iter()
        .map(|t| {
            let report = report::build(
                &input,
                &Privacy {
                    individuals: Individuals::None,
                    pseudonymize: false,
                    team: Some(t.team.clone()),
                },
            );
            let mut html = Vec::with_capacity(1 << 16);
            // Writing to a Vec cannot fail.
            let _ = report::html::write_fragment(&report, &mut html);
            let json = report::json::to_value(&report).to_string();
            TeamSnapshot {
                name: t.team.clone(),
                members: t.members.len(),
                too_small: (t.members.len() as u64) < u64::from(min),
                report,
                html: String::from_utf8_lossy(&html).into_owned(),
                json,
            }
        })
        .collect();
    teams.sort_by(|a, b| a.name.cmp(&b.name));

    let focus = calendars.map(|loaded| plan_week(c, loaded, generated_at.date_naive()));
    // Each person's own calendar, for the days they are away.
    let calendar_of: HashMap<&str, &[fulcrum_model::Occurrence]> = calendars
        .map(|loaded| {
            loaded
                .people
                .iter()
                .zip(&loaded.calendars)
                .filter_map(|(p, cal)| Some((p.email.as_str(), cal.as_deref()?)))
                .collect()
        })
        .unwrap_or_default();
    let mut people = Vec::with_capacity(c.people.len());
    let mut by_email = HashMap::new();
    for (index, p) in c.people.iter().enumerate() {
        let weeks = c
            .signals
            .people
            .iter()
            .find(|w| w.person == index)
            .map(|w| {
                w.weeks
                    .iter()
                    .map(|week| {
                        (
                            week.week,
                            week.iter().map(|(id, m)| (id, person_cell(&m))).collect(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let email = p.email.trim().to_lowercase();
        by_email.insert(email.clone(), index);
        for a in &p.aliases {
            let a = a.trim().to_lowercase();
            if a.contains('@') {
                by_email.entry(a).or_insert(index);
            }
        }
        people.push(PersonSnapshot {
            focus: focus.as_ref().and_then(|f| f.get(&email).cloned()),
            email,
            name: p.name.clone(),
            team: p.team.clone(),
            zone: p.tz.name().to_owned(),
            weeks,
            clock: crate::focus::clock_of(p, calendar_of.get(p.email.as_str()).copied()),
        });
    }
    Snapshot {
        generated_at,
        title,
        window: c.window,
        window_rule: c.window_rule.clone(),
        weeks: c.signals.weeks.clone(),
        min_group_size: min,
        teams,
        people,
        by_email,
        problems: c.problems.iter().map(ToString::to_string).collect(),
        focus_note: calendars.is_none().then(|| {
            "focus blocks are not planned: the calendars were not given to the snapshot".to_owned()
        }),
        route_policy: crate::route::route_policy(&c.workspace.workspace.policy),
        meeting_limits: MeetingLimits {
            max_minutes: c.workspace.workspace.policy.meetings.max_minutes,
            max_attendees: c.workspace.workspace.policy.meetings.max_attendees,
        },
        incident_review_business_days: c.workspace.workspace.policy.incident_review_business_days,
        update_rules: c.workspace.workspace.policy.updates.clone(),
        pulse_rules: c.workspace.workspace.policy.pulse.clone(),
        team_clock: WorkClock::new(
            c.workspace.workspace.team.tz,
            c.workspace.workspace.team.working_hours.clone(),
            BTreeSet::new(),
        ),
    }
}

/// Each person's focus blocks for the window's last week, planned from
/// their own calendar alone (the same rules as `fulcrum focus`, but not
/// aligned with teammates: a plan aligned with others would be shaped by
/// their calendars, and this view holds only the person's own data).
fn plan_week(c: &Computed, loaded: &Loaded, today: NaiveDate) -> HashMap<String, MyFocus> {
    let policy = &c.workspace.workspace.policy;
    let params = params_of(policy);
    let rules = FocusRules {
        min_block: Duration::minutes(i64::from(policy.focus.min_block_minutes)),
        per_day: Duration::minutes((policy.focus.hours_per_day * 60.0).round() as i64),
    };
    let (from, to) = focus_dates(today);
    let week = Week::of_date(from);
    let people = &loaded.people;
    let addresses = |k: &str| {
        let k = k.trim_start_matches("mailto:").to_lowercase();
        people
            .iter()
            .position(|p| p.email == k || p.aliases.iter().any(|a| a.to_lowercase() == k))
    };
    let mut out = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        let cal = loaded.calendars.get(i).and_then(|c| c.as_deref());
        let mut busy = Vec::new();
        if let Some(occ) = cal {
            busy.extend(person_meetings(i, p, occ, &params, &addresses).union);
            busy.extend(out_of_office_intervals(occ, &p.tz));
        }
        let plan = plan_focus(
            &[FocusPerson {
                clock: crate::focus::clock_of(p, cal),
                busy,
            }],
            from,
            to,
            rules,
        );
        let mine = plan.people.first().cloned().unwrap_or_default();
        let local = |t: DateTime<Utc>| t.with_timezone(&p.tz).format("%H:%M").to_string();
        let utc = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let blocks = plan
            .blocks
            .iter()
            .map(|b| FocusBlockView {
                date: b.date,
                start: local(b.interval.start),
                end: local(b.interval.end),
                minutes: (b.interval.end - b.interval.start).num_minutes(),
                start_utc: utc(b.interval.start),
                end_utc: utc(b.interval.end),
            })
            .collect();
        out.insert(
            p.email.trim().to_lowercase(),
            MyFocus {
                week,
                from,
                events: crate::focus::focus_events(&p.email, &plan, 0),
                zone: p.tz.name().to_owned(),
                blocks,
                planned_minutes: mine.planned.num_minutes(),
                working_days: mine.working_days,
                days_without_room: mine.days_without_room,
                min_block_minutes: rules.min_block.num_minutes(),
                per_day_minutes: rules.per_day.num_minutes(),
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_blocks_are_planned_for_the_current_or_next_week_never_a_past_one() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // Wednesday 16 September 2026: the rest of its week.
        assert_eq!(
            focus_dates(d("2026-09-16")),
            (d("2026-09-16"), d("2026-09-20"))
        );
        // Monday: the whole week.
        assert_eq!(
            focus_dates(d("2026-09-14")),
            (d("2026-09-14"), d("2026-09-20"))
        );
        // Friday and Sunday: the next week.
        assert_eq!(
            focus_dates(d("2026-09-18")),
            (d("2026-09-21"), d("2026-09-27"))
        );
        assert_eq!(
            focus_dates(d("2026-09-20")),
            (d("2026-09-21"), d("2026-09-27"))
        );
    }

    #[test]
    fn empty_snapshot_has_no_teams_or_people() {
        let s = Snapshot::empty(DateTime::<Utc>::UNIX_EPOCH);
        assert!(s.teams.is_empty() && s.people.is_empty());
        assert!(s.person("a@b.c").is_none());
        assert_eq!(s.weeks.len(), 1);
    }
}
