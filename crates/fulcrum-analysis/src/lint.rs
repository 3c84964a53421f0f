//! `fulcrum lint`: meetings checked against the team's checklist, like a
//! compiler checks code. Each rule has a stable id, a default severity, a
//! message and a help line (`docs/moves.md`, "lint").
//!
//! Pure: calendars (occurrences already expanded by ingest, each tagged
//! with its owner when a workspace tells it) in, [`Finding`]s out. Which
//! occurrences are meetings is decided by [`crate::meetings::event_shape`]
//! (the same rules as the signals); working time by [`WorkClock`].
//!
//! Every rule is checked on every instance; the findings are then grouped
//! by rule and UID, so a series (or a one-off) gives one finding per rule
//! however many of its instances break it, placed at its first such
//! instance and carrying how many there were ([`Finding::occurrences`]).
//! A quarter of a daily standup without an agenda is one line, not sixty.
//!
//! Every meeting counts once even when several calendars hold it (same UID
//! and start instant); the first calendar given wins.

use crate::meetings::{Who, event_shape, participants};
use crate::params::Params;
use crate::resolve::{Resolver, normalize};
use crate::week::WorkClock;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use fulcrum_model::{
    CalTime, EventDetails, EventStatus, Interval, Occurrence, PartStat, Person, union_of,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

pub use fulcrum_model::policy::{LINT_RULES as RULES, LintRule as Rule, LintSeverity as Severity};

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Words of a title that make a meeting a decision meeting (it then needs a
/// pre-read). The description's words set `DescriptionFlags::decision` in
/// ingest (`fulcrum-ics`'s `describe`).
pub const DECISION_WORDS: &[&str] = &[
    "decide", "decision", "approve", "approval", "choose", "sign-off", "go/no-go",
];

/// The checklist and tunables, from `[policy.meetings]` and `[policy.lint]`.
#[derive(Debug, Clone, PartialEq)]
pub struct LintConfig {
    /// Severity per rule id; `None` switches the rule off.
    pub levels: BTreeMap<&'static str, Option<Severity>>,
    /// Timebox in minutes.
    pub timebox_minutes: u32,
    /// Invitee limit.
    pub max_attendees: u32,
    /// A gap shorter than this is no break.
    pub min_break_minutes: u32,
    /// This many meetings in a row without a break is a chain.
    pub max_chain: u32,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            levels: RULES.iter().map(|r| (r.id, Some(r.default))).collect(),
            timebox_minutes: 50,
            max_attendees: 8,
            min_break_minutes: 5,
            max_chain: 3,
        }
    }
}

impl LintConfig {
    fn level(&self, id: &str) -> Option<Severity> {
        self.levels.get(id).copied().flatten()
    }
}

/// One calendar: its occurrences and, when known, the person it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct CalendarInput<'a> {
    /// The owner, an index into the people.
    pub owner: Option<usize>,
    /// Occurrences, expanded over the window.
    pub occurrences: &'a [Occurrence],
}

/// One finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Rule id.
    pub rule: &'static str,
    /// Severity.
    pub severity: Severity,
    /// File of the VEVENT, when known.
    pub file: Option<Arc<str>>,
    /// Line of the VEVENT's `BEGIN:`, when known.
    pub line: Option<u32>,
    /// UID.
    pub uid: Arc<str>,
    /// Start of the first instance it was found on.
    pub start: CalTime,
    /// Start of the last instance it was found on.
    pub last: CalTime,
    /// Instances it was found on (1 for a one-off).
    pub occurrences: u32,
    /// True when the meeting is an instance of a recurring series.
    pub in_series: bool,
    /// Meeting title.
    pub summary: String,
    /// One-line message (of the first instance).
    pub message: String,
    /// How to fix it.
    pub help: &'static str,
}

/// What linting gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LintOutcome {
    /// Findings, one per rule and UID, sorted by file, line, start, rule.
    pub findings: Vec<Finding>,
    /// Distinct meetings (UID and start) checked.
    pub meetings: usize,
    /// Distinct recurring series among them.
    pub series: usize,
    /// Meetings that are not instances of a series.
    pub one_offs: usize,
    /// Rules that were not run and why.
    pub skipped: Vec<String>,
}

struct Meeting<'a> {
    occ: &'a Occurrence,
    interval: Interval,
    /// Not-declined participants, normalized addresses.
    present: Vec<String>,
    people: Vec<Who>,
}

/// True when a title names a decision.
pub fn is_decision(title: &str) -> bool {
    let t = title.to_lowercase();
    DECISION_WORDS.iter().any(|w| t.contains(w))
}

fn present(details: &EventDetails) -> Vec<String> {
    let mut out: Vec<String> = details
        .organizer
        .iter()
        .map(|o| normalize(&o.email))
        .chain(
            details
                .attendees
                .iter()
                .filter(|a| a.is_person() && a.partstat != PartStat::Declined)
                .map(|a| normalize(&a.who.email)),
        )
        .filter(|e| !e.is_empty())
        .collect();
    // The organizer may have declined their own meeting as an attendee.
    let declined: HashSet<String> = details
        .attendees
        .iter()
        .filter(|a| a.partstat == PartStat::Declined)
        .map(|a| normalize(&a.who.email))
        .collect();
    out.retain(|a| !declined.contains(a));
    out.sort();
    out.dedup();
    out
}

/// True when `interval` lies inside the clock's working time.
pub fn within_working_time(clock: &WorkClock, interval: &Interval) -> bool {
    let tz = clock.tz();
    let first = interval.start.with_timezone(tz).date_naive();
    let last = interval.end.with_timezone(tz).date_naive();
    let mut days = Vec::new();
    let mut d = first.pred_opt().unwrap_or(first);
    while d <= last {
        days.extend(clock.working_on(d));
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    union_of(days)
        .iter()
        .any(|w| w.start <= interval.start && interval.end <= w.end)
}

/// The team's overlap window around `at`: the working time all `members`
/// share within 24 hours either side of `at`; `None` when they share none
/// (then no meeting time can be inside it, and moving it would not help).
pub fn overlap_window(
    clocks: &[WorkClock],
    members: &[usize],
    at: DateTime<Utc>,
) -> Option<Vec<Interval>> {
    let span = Interval::new(at - Duration::hours(24), at + Duration::hours(24));
    let mut shared = vec![span];
    for &i in members {
        let clock = &clocks[i];
        let tz = clock.tz();
        let mut d = span.start.with_timezone(tz).date_naive().pred_opt()?;
        let last = span.end.with_timezone(tz).date_naive();
        let mut work = Vec::new();
        while d <= last {
            work.extend(clock.working_on(d));
            d = d.succ_opt()?;
        }
        let work = union_of(work);
        shared = shared
            .iter()
            .flat_map(|a| work.iter().filter_map(move |b| a.intersect(b)))
            .filter(|x| !x.is_empty())
            .collect();
        if shared.is_empty() {
            return None;
        }
    }
    Some(shared)
}

fn finding(m: &Meeting<'_>, rule: &'static Rule, severity: Severity, message: String) -> Finding {
    let source = m.occ.details.source.as_ref();
    Finding {
        rule: rule.id,
        severity,
        file: source.map(|s| s.file.clone()),
        line: source.map(|s| s.line),
        uid: m.occ.uid.clone(),
        start: m.occ.start,
        last: m.occ.start,
        occurrences: 1,
        in_series: m.occ.details.series.in_series,
        summary: m.occ.details.summary.clone(),
        message,
        help: rule.help,
    }
}

/// Lints the meetings of `calendars`. `people` (with `resolver` mapping
/// addresses to their indices) gives working hours and teams; with no
/// people the rules that need them are skipped and listed in
/// [`LintOutcome::skipped`].
pub fn lint(
    calendars: &[CalendarInput<'_>],
    people: &[Person],
    resolver: &dyn Resolver,
    params: &Params,
    config: &LintConfig,
) -> LintOutcome {
    let mut out = LintOutcome::default();
    let mut seen: HashSet<(Arc<str>, DateTime<Utc>)> = HashSet::new();
    let mut meetings: Vec<Meeting<'_>> = Vec::new();
    // Focus blocks by owner address.
    let mut focus: HashMap<String, Vec<Interval>> = HashMap::new();
    for cal in calendars {
        let tz: Tz = cal
            .owner
            .and_then(|i| people.get(i))
            .map_or(Tz::UTC, |p| p.tz);
        let owner_email = cal
            .owner
            .and_then(|i| people.get(i))
            .map(|p| normalize(&p.email));
        for occ in cal.occurrences {
            match event_shape(occ, &tz, params, resolver) {
                Ok(shape) => {
                    if seen.insert((occ.uid.clone(), shape.interval.start)) {
                        meetings.push(Meeting {
                            occ,
                            interval: shape.interval,
                            present: present(&occ.details),
                            people: shape.participants,
                        });
                    }
                }
                Err(_) => {
                    let d = &occ.details;
                    let solo = participants(d, resolver).len() < 2;
                    if solo
                        && !occ.is_all_day()
                        && d.status != EventStatus::Cancelled
                        && d.summary.to_lowercase().contains("focus")
                    {
                        let who = d
                            .organizer
                            .as_ref()
                            .map(|o| normalize(&o.email))
                            .or_else(|| owner_email.clone());
                        let (s, e) = (occ.start.instant_in(&tz), occ.end.instant_in(&tz));
                        if let Some(who) = who.filter(|_| e > s) {
                            focus.entry(who).or_default().push(Interval::new(s, e));
                        }
                    }
                }
            }
        }
    }
    meetings.sort_by(|a, b| {
        a.interval
            .start
            .cmp(&b.interval.start)
            .then_with(|| a.occ.uid.cmp(&b.occ.uid))
    });
    out.meetings = meetings.len();
    out.series = meetings
        .iter()
        .filter(|m| m.occ.details.series.in_series)
        .map(|m| m.occ.uid.clone())
        .collect::<BTreeSet<_>>()
        .len();
    out.one_offs = meetings
        .iter()
        .filter(|m| !m.occ.details.series.in_series)
        .count();
    if people.is_empty() {
        for r in RULES.iter().filter(|r| r.needs_people) {
            if config.level(r.id).is_some() {
                out.skipped.push(format!(
                    "{}: needs people's working hours; run on a workspace to check it",
                    r.id
                ));
            }
        }
    }
    let run = |id: &str| -> Option<(&'static Rule, Severity)> {
        let r = rule(id)?;
        let s = config.level(id)?;
        (!r.needs_people || !people.is_empty()).then_some((r, s))
    };

    // Content rules, per instance (grouped per series below).
    for m in &meetings {
        let d = &m.occ.details;
        let minutes = m.interval.duration().num_minutes();
        let series = if d.series.in_series { " (series)" } else { "" };
        if let Some((r, s)) = run("missing_outcome")
            && !d.description.has_outcome
        {
            out.findings.push(finding(
                m,
                r,
                s,
                format!("no desired outcome stated{series}"),
            ));
        }
        if let Some((r, s)) = run("missing_agenda")
            && !d.description.has_agenda
        {
            out.findings
                .push(finding(m, r, s, format!("no agenda{series}")));
        }
        if let Some((r, s)) = run("missing_preread")
            && (is_decision(&d.summary) || d.description.decision)
            && !d.description.has_preread_link
        {
            out.findings.push(finding(
                m,
                r,
                s,
                "decision meeting without a pre-read link".into(),
            ));
        }
        if let Some((r, s)) = run("over_timebox")
            && minutes > i64::from(config.timebox_minutes)
        {
            out.findings.push(finding(
                m,
                r,
                s,
                format!(
                    "{minutes} min, over the {} min timebox",
                    config.timebox_minutes
                ),
            ));
        }
        let invitees = m.people.len();
        if let Some((r, s)) = run("too_many_invitees")
            && invitees > config.max_attendees as usize
        {
            out.findings.push(finding(
                m,
                r,
                s,
                format!(
                    "{invitees} invitees, over the limit of {}",
                    config.max_attendees
                ),
            ));
        }
        if let Some((r, s)) = run("series_without_end")
            && d.series.in_series
            && !d.series.series_ends
        {
            out.findings
                .push(finding(m, r, s, "recurring series with no end date".into()));
        }
    }

    // Working hours and the team's overlap window, per instance.
    if !people.is_empty() {
        let clocks: Vec<WorkClock> = people
            .iter()
            .map(|p| WorkClock::new(p.tz, p.working_hours.clone(), BTreeSet::new()))
            .collect();
        let mut teams: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, p) in people.iter().enumerate() {
            teams.entry(p.team.as_str()).or_default().push(i);
        }
        for m in &meetings {
            let mut outside: Vec<&str> = m
                .present
                .iter()
                .filter_map(|a| resolver.person(a))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .filter(|&i| !within_working_time(&clocks[i], &m.interval))
                .map(|i| people[i].email.as_str())
                .collect();
            outside.dedup();
            if let Some((r, s)) = run("outside_working_hours")
                && !outside.is_empty()
            {
                let n = outside.len();
                let shown = outside
                    .iter()
                    .take(3)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ");
                let more = if n > 3 {
                    format!(" and {} more", n - 3)
                } else {
                    String::new()
                };
                out.findings.push(finding(
                    m,
                    r,
                    s,
                    format!("outside the working hours of {shown}{more}"),
                ));
                continue;
            }
            let organizer = m
                .occ
                .details
                .organizer
                .as_ref()
                .and_then(|o| resolver.person(&o.email));
            if let Some((r, s)) = run("outside_overlap")
                && let Some(team) = organizer.map(|i| people[i].team.as_str())
                && let Some(members) = teams.get(team)
                && members.len() > 1
                && let Some(shared) = overlap_window(&clocks, members, m.interval.start)
                && !shared
                    .iter()
                    .any(|w| w.start <= m.interval.start && m.interval.end <= w.end)
            {
                out.findings.push(finding(
                    m,
                    r,
                    s,
                    format!("outside team {team}'s overlap window (shared working hours)"),
                ));
            }
        }
    }

    // Back-to-back chains and focus blocks, per participant address.
    let mut per_address: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (k, m) in meetings.iter().enumerate() {
        for a in &m.present {
            per_address.entry(a.as_str()).or_default().push(k);
        }
    }
    let mut chained: BTreeMap<usize, (usize, Vec<&str>)> = BTreeMap::new();
    let mut on_focus: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    let min_break = Duration::minutes(i64::from(config.min_break_minutes));
    for (address, ks) in &per_address {
        // Meetings are sorted by start, so each address' list is too.
        let (mut run_len, mut run_end): (usize, Option<DateTime<Utc>>) = (0, None);
        for &k in ks {
            let iv = meetings[k].interval;
            run_len = match run_end {
                Some(end) if iv.start - end < min_break => run_len + 1,
                _ => 1,
            };
            run_end =
                Some(run_end.map_or(iv.end, |e| if run_len > 1 { e.max(iv.end) } else { iv.end }));
            if run_len == config.max_chain as usize {
                let e = chained.entry(k).or_insert((run_len, Vec::new()));
                e.1.push(address);
            }
            if let Some(blocks) = focus.get(*address)
                && blocks
                    .iter()
                    .any(|b| b.intersect(&iv).is_some_and(|x| !x.is_empty()))
            {
                on_focus.entry(k).or_default().push(address);
            }
        }
    }
    if let Some((r, s)) = run("back_to_back") {
        for (k, (n, who)) in &chained {
            out.findings.push(finding(
                &meetings[*k],
                r,
                s,
                format!(
                    "meeting {n} in a row without a {} min break for {}",
                    config.min_break_minutes,
                    who.join(", ")
                ),
            ));
        }
    }
    if let Some((r, s)) = run("on_focus_block") {
        for (k, who) in &on_focus {
            out.findings.push(finding(
                &meetings[*k],
                r,
                s,
                format!("on a focus block of {}", who.join(", ")),
            ));
        }
    }
    out.findings = group_by_series(std::mem::take(&mut out.findings));
    out.findings.sort_by(|a, b| {
        a.file
            .cmp(&b.file)
            .then(a.line.cmp(&b.line))
            .then(a.start.sort_key().cmp(&b.start.sort_key()))
            .then(a.rule.cmp(b.rule))
    });
    out
}

/// One finding per rule and UID: the first instance's (by start), with the
/// number of instances and the last one's start.
fn group_by_series(findings: Vec<Finding>) -> Vec<Finding> {
    let mut groups: BTreeMap<(&'static str, Arc<str>), Finding> = BTreeMap::new();
    for f in findings {
        match groups.entry((f.rule, f.uid.clone())) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(f);
            }
            std::collections::btree_map::Entry::Occupied(mut o) => {
                let g = o.get_mut();
                g.occurrences += 1;
                if f.start.sort_key() < g.start.sort_key() {
                    let (occurrences, last) = (g.occurrences, g.last);
                    *g = Finding {
                        occurrences,
                        last,
                        ..f
                    };
                } else if f.start.sort_key() > g.last.sort_key() {
                    g.last = f.start;
                }
            }
        }
    }
    groups.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use fulcrum_model::WorkingHours;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 9, 10, h, m, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn decision_words_in_titles() {
        assert!(is_decision("Decide: vendor"));
        assert!(is_decision("Q3 budget APPROVAL"));
        assert!(!is_decision("Weekly sync"));
    }

    #[test]
    fn working_time_and_overlap_windows() {
        // 2024-09-10 is a Tuesday; New York is UTC-4 then.
        let utc = WorkClock::new(Tz::UTC, WorkingHours::standard(), BTreeSet::new());
        let ny = WorkClock::new(
            chrono_tz::America::New_York,
            WorkingHours::standard(),
            BTreeSet::new(),
        );
        assert!(within_working_time(
            &utc,
            &Interval::new(at(16, 30), at(17, 0))
        ));
        assert!(!within_working_time(
            &utc,
            &Interval::new(at(16, 30), at(17, 1))
        ));
        assert!(!within_working_time(
            &ny,
            &Interval::new(at(12, 30), at(13, 30))
        ));
        let clocks = [utc, ny];
        let shared = overlap_window(&clocks, &[0, 1], at(12, 0)).unwrap_or_default();
        assert!(
            shared.contains(&Interval::new(at(13, 0), at(17, 0))),
            "{shared:?}"
        );
    }
}
