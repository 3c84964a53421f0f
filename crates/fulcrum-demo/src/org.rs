//! The organisation: people, teams, offices, working hours and absences.
//!
//! Built once from the options (a few hundred bytes per person); everything
//! written later is derived from it and the seed, a team and a day at a
//! time.

use crate::archetype::{Archetype, Chat, Dialect};
use crate::holidays::holidays_between;
use crate::hours::{Hours, WorkClock};
use crate::names;
use crate::preset::{Activity, Difficulty, Plant};
use crate::rng::{Rng, stream};
use crate::zones::Zone;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use std::collections::HashSet;

/// The organisation's mail domain (`.example` is reserved: it never resolves).
pub const DOMAIN: &str = "lumenlabs.example";
/// The organisation's name.
pub const COMPANY: &str = "Lumen Labs";

/// Why someone is away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AbsenceKind {
    /// A public holiday of their office.
    Holiday(&'static str),
    /// Planned leave.
    Vacation,
    /// Sick, reported that morning.
    Sick,
}

/// Consecutive days away (weekdays inside are all away).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absence {
    /// First day away.
    pub first: NaiveDate,
    /// Last day away (inclusive).
    pub last: NaiveDate,
    /// Why.
    pub kind: AbsenceKind,
    /// When it was put on the calendar.
    pub created: DateTime<Utc>,
}

/// One person.
#[derive(Debug, Clone)]
pub struct Person {
    /// Position in [`Org::people`].
    pub index: usize,
    /// Display name.
    pub name: String,
    /// First name.
    pub first: String,
    /// Email, lower-case.
    pub email: String,
    /// The email's local part; also the Slack `name`.
    pub handle: String,
    /// Slack user id (`U…`).
    pub slack_id: String,
    /// Mattermost username, for people whose team works in Mattermost.
    pub mm_username: Option<String>,
    /// Team index.
    pub team: usize,
    /// Office.
    pub zone: Zone,
    /// Working hours in the office's zone.
    pub hours: Hours,
    /// Works part time.
    pub part_time: bool,
    /// Leads the team.
    pub is_lead: bool,
    /// Days away.
    pub absences: Vec<Absence>,
    /// Every weekday away, sorted.
    away: Vec<NaiveDate>,
}

impl WorkClock for Person {
    fn zone(&self) -> Zone {
        self.zone
    }
    fn hours(&self) -> &Hours {
        &self.hours
    }
    fn away_on(&self, date: NaiveDate) -> bool {
        self.away.binary_search(&date).is_ok()
    }
}

/// One team.
#[derive(Debug, Clone)]
pub struct Team {
    /// Position in [`Org::teams`].
    pub index: usize,
    /// Display name ("Payments").
    pub name: String,
    /// Channel-safe name ("payments").
    pub slug: String,
    /// Tracker key ("PAY").
    pub key: String,
    /// The pattern it carries.
    pub archetype: Archetype,
    /// Member indexes; the first is the lead.
    pub members: Vec<usize>,
    /// Department (groups of the preset's teams: eight, or nine).
    pub department: usize,
    /// How the pattern is planted (the preset's slot).
    pub plant: Plant,
    /// Per week of the window (index 0 is week 1): whether the archetype's
    /// own pattern shows that week.
    pub active_weeks: Vec<bool>,
    /// The team channel's Slack id.
    pub slack_channel_id: String,
}

impl Team {
    /// The lead.
    pub fn lead(&self) -> usize {
        self.members[0]
    }
    /// Calendar dialect.
    pub fn dialect(&self) -> Dialect {
        self.archetype.dialect()
    }
    /// Chat platform.
    pub fn chat(&self) -> Chat {
        self.archetype.chat()
    }
    /// True when the archetype's own pattern shows in the 1-based week
    /// (weeks outside the window: as in its first or last week).
    pub fn active_in(&self, week: u32) -> bool {
        let i = (week.max(1) as usize - 1).min(self.active_weeks.len().saturating_sub(1));
        self.active_weeks.get(i).copied().unwrap_or(true)
    }
}

/// The whole organisation over the demo window.
#[derive(Debug, Clone)]
pub struct Org {
    /// The seed everything derives from.
    pub seed: u64,
    /// The preset.
    pub difficulty: Difficulty,
    /// First day (a Monday).
    pub start: NaiveDate,
    /// Number of weeks.
    pub weeks: u32,
    /// People.
    pub people: Vec<Person>,
    /// Teams.
    pub teams: Vec<Team>,
    /// Slack workspace id.
    pub slack_team_id: String,
    /// The week (1-based) the experiment's treatment starts, if any.
    pub experiment_week: Option<u32>,
    /// The team that holds a daily evening check from a week (1-based) on,
    /// if any: the planted experiment that harms a guardrail
    /// ([`crate::experiments`]).
    pub evening_check: Option<(usize, u32)>,
}

impl Org {
    /// The day after the last day.
    pub fn end(&self) -> NaiveDate {
        self.start + Duration::days(7 * i64::from(self.weeks))
    }

    /// Every day of the window.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        (0..7 * i64::from(self.weeks)).map(|i| self.start + Duration::days(i))
    }

    /// Days since the start.
    pub fn day_index(&self, date: NaiveDate) -> i64 {
        (date - self.start).num_days()
    }

    /// The 1-based week of a date (0 before the window).
    pub fn week_of(&self, date: NaiveDate) -> u32 {
        let d = self.day_index(date);
        if d < 0 { 0 } else { (d / 7) as u32 + 1 }
    }

    /// The first day of the experiment's treatment.
    pub fn experiment_start(&self) -> Option<NaiveDate> {
        self.experiment_week
            .map(|w| self.start + Duration::days(7 * i64::from(w - 1)))
    }

    /// When the exports were taken: the morning after the window.
    pub fn export_time(&self) -> DateTime<Utc> {
        self.end()
            .and_hms_opt(6, 0, 0)
            .unwrap_or_default()
            .and_utc()
    }

    /// Number of departments (groups of up to eight teams).
    pub fn departments(&self) -> usize {
        self.teams.last().map_or(0, |t| t.department + 1)
    }

    /// The leads of a department's teams.
    pub fn department_leads(&self, department: usize) -> Vec<usize> {
        self.teams
            .iter()
            .filter(|t| t.department == department)
            .map(Team::lead)
            .collect()
    }

    /// The person who organizes the all-hands: the lead of the first
    /// department's healthy team (New York), else of the first team.
    pub fn ceo(&self) -> usize {
        self.teams
            .iter()
            .find(|t| t.department == 0 && t.archetype == Archetype::Healthy)
            .unwrap_or(&self.teams[0])
            .lead()
    }

    /// The team of a person.
    pub fn team_of(&self, person: usize) -> &Team {
        &self.teams[self.people[person].team]
    }

    /// Builds the organisation.
    pub fn build(
        seed: u64,
        people: usize,
        weeks: u32,
        start: NaiveDate,
        difficulty: Difficulty,
    ) -> Org {
        let n = people.max(5);
        let slots = difficulty.slots();
        let per_department = slots.len();
        // Teams of 7-8 people in eight slots; the realistic preset's nine
        // slots fit 60 people in teams of 6-7.
        let team_size = 60.0 / per_department as f64;
        let by_size = ((n as f64) / team_size).round() as usize;
        let team_count = by_size.max((n / 5).min(per_department)).min(n / 5).max(1);
        let base = n / team_count;
        let extra = n % team_count;
        let mut rng = Rng::derive(seed, &[stream::ORG]);
        let mut ids = IdMaker::new(seed);
        let end = start + Duration::days(7 * i64::from(weeks));

        let mut org = Org {
            seed,
            difficulty,
            start,
            weeks,
            people: Vec::with_capacity(n),
            teams: Vec::with_capacity(team_count),
            slack_team_id: ids.make('T', 8),
            experiment_week: (weeks >= 2).then_some(weeks / 2 + 1),
            evening_check: None,
        };
        let mut emails: HashSet<String> = HashSet::new();
        let mut mm_names: HashSet<String> = HashSet::new();
        let mut keys: HashSet<String> = HashSet::new();
        let departments = team_count.div_ceil(per_department);
        for dept in 0..departments {
            let teams_here = (team_count - dept * per_department).min(per_department);
            let mut order = slots.clone();
            let mut drng = Rng::derive(seed, &[stream::ORG, 1000 + dept as u64]);
            drng.shuffle(&mut order);
            if let Some(pos) = order.iter().position(|s| s.archetype == Archetype::Healthy)
                && pos >= teams_here
            {
                let to = drng.index(teams_here);
                order.swap(pos, to);
            }
            for (slot, planted) in order.iter().take(teams_here).enumerate() {
                let archetype = &planted.archetype;
                let t = dept * per_department + slot;
                let size = base + usize::from(t < extra);
                let base_name = names::TEAM_NAMES[t % names::TEAM_NAMES.len()];
                let round = t / names::TEAM_NAMES.len();
                let name = if round == 0 {
                    base_name.to_owned()
                } else {
                    format!("{base_name} {}", round + 1)
                };
                let slug = name.to_lowercase().replace(' ', "-");
                let letters: String = base_name
                    .chars()
                    .filter(char::is_ascii_alphabetic)
                    .take(3)
                    .collect::<String>()
                    .to_uppercase();
                let mut key = letters.clone();
                let mut k = 2;
                while !keys.insert(key.clone()) {
                    key = format!("{letters}{k}");
                    k += 1;
                }
                let mut members = Vec::with_capacity(size);
                for m in 0..size {
                    let index = org.people.len();
                    let zone = archetype.zone_of_member(m);
                    let person = make_person(
                        &mut rng,
                        &mut ids,
                        &mut emails,
                        &mut mm_names,
                        PersonSeed {
                            index,
                            team: t,
                            member: m,
                            zone,
                            archetype: *archetype,
                        },
                    );
                    org.people.push(person);
                    members.push(index);
                }
                org.teams.push(Team {
                    index: t,
                    name,
                    slug,
                    key,
                    archetype: *archetype,
                    members,
                    department: dept,
                    slack_channel_id: ids.make('C', 8),
                    active_weeks: active_weeks(seed, t, weeks, planted.plant.activity),
                    plant: planted.plant.clone(),
                });
            }
        }
        org.evening_check = crate::experiments::evening_check(&org);
        for p in &mut org.people {
            let (absences, away) = absences_of(seed, p, start, end, weeks);
            p.absences = absences;
            p.away = away;
        }
        org
    }
}

/// The weeks a team's pattern shows in: all of them, or a share drawn by
/// the seed (at least one week with and, from two weeks on, one without).
fn active_weeks(seed: u64, team: usize, weeks: u32, activity: Activity) -> Vec<bool> {
    let w = weeks as usize;
    if activity == Activity::EveryWeek || w == 0 {
        return vec![true; w];
    }
    let mut rng = Rng::derive(seed, &[stream::ORG, 2000 + team as u64]);
    let on = ((w as f64) * activity.share()).round() as usize;
    let on = on.clamp(1, w.saturating_sub(1).max(1));
    let mut order: Vec<usize> = (0..w).collect();
    rng.shuffle(&mut order);
    let mut out = vec![false; w];
    for &i in &order[..on] {
        out[i] = true;
    }
    out
}

struct PersonSeed {
    index: usize,
    team: usize,
    member: usize,
    zone: Zone,
    archetype: Archetype,
}

fn make_person(
    rng: &mut Rng,
    ids: &mut IdMaker,
    emails: &mut HashSet<String>,
    mm_names: &mut HashSet<String>,
    s: PersonSeed,
) -> Person {
    let (firsts, lasts) = match s.zone {
        Zone::SanFrancisco | Zone::NewYork => (names::US_FIRST, names::US_LAST),
        Zone::London => (names::UK_FIRST, names::UK_LAST),
        Zone::Berlin => (names::DE_FIRST, names::DE_LAST),
        Zone::Bangalore => (names::IN_FIRST, names::IN_LAST),
    };
    let (first, first_ascii) = *rng.pick(firsts);
    let (last, last_ascii) = *rng.pick(lasts);
    let mut handle = format!("{first_ascii}.{last_ascii}");
    let mut k = 2;
    while !emails.insert(handle.clone()) {
        handle = format!("{first_ascii}.{last_ascii}{k}");
        k += 1;
    }
    let mm_username = (s.archetype.chat() == Chat::Mattermost).then(|| {
        let initial: String = first_ascii.chars().take(1).collect();
        let stem = format!("{initial}{last_ascii}");
        let mut u = stem.clone();
        let mut k = 2;
        while !mm_names.insert(u.clone()) {
            u = format!("{stem}{k}");
            k += 1;
        }
        u
    });
    let is_lead = s.member == 0;
    // A few part-timers: the fifth member of every other team.
    let part_time = s.member == 4 && s.team % 2 == 1;
    let hours = if part_time {
        if s.team % 4 == 1 {
            Hours {
                weekdays: 0b0_1111,
                ranges: vec![(9 * 60, 17 * 60)],
            }
        } else {
            Hours::weekdays(9 * 60, 13 * 60)
        }
    } else if is_lead {
        Hours::weekdays(9 * 60, 17 * 60)
    } else if s.archetype == Archetype::LateNightPings {
        match s.zone {
            Zone::Bangalore => Hours::weekdays(10 * 60, 18 * 60),
            _ => Hours::weekdays(9 * 60, 17 * 60),
        }
    } else {
        let r = rng.unit();
        if r < 0.55 {
            Hours::weekdays(9 * 60, 17 * 60)
        } else if r < 0.70 {
            Hours::weekdays(8 * 60, 16 * 60)
        } else if r < 0.83 {
            Hours::weekdays(10 * 60, 18 * 60)
        } else if r < 0.92 {
            Hours {
                weekdays: 0b1_1111,
                ranges: vec![(8 * 60 + 30, 12 * 60 + 30), (13 * 60 + 30, 17 * 60 + 30)],
            }
        } else {
            Hours::weekdays(9 * 60 + 30, 17 * 60 + 30)
        }
    };
    Person {
        index: s.index,
        name: format!("{first} {last}"),
        first: first.to_owned(),
        email: format!("{handle}@{DOMAIN}"),
        handle,
        slack_id: ids.make('U', 10),
        mm_username,
        team: s.team,
        zone: s.zone,
        hours,
        part_time,
        is_lead,
        absences: Vec::new(),
        away: Vec::new(),
    }
}

/// Weekdays from `first`, `count` of them, stopping before `end`.
fn weekdays_from(first: NaiveDate, count: usize, end: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut d = first;
    while out.len() < count && d < end {
        if d.weekday().num_days_from_monday() < 5 {
            out.push(d);
        }
        d += Duration::days(1);
    }
    out
}

fn absences_of(
    seed: u64,
    p: &Person,
    start: NaiveDate,
    end: NaiveDate,
    weeks: u32,
) -> (Vec<Absence>, Vec<NaiveDate>) {
    let mut rng = Rng::derive(seed, &[stream::ABSENCE, p.index as u64]);
    let mut out = Vec::new();
    let mut away: Vec<NaiveDate> = Vec::new();
    let at = |d: NaiveDate, h: u32| p.zone.utc(d.and_time(crate::hours::minute_time(h * 60)));
    for (date, name) in holidays_between(p.zone.country(), start, end) {
        out.push(Absence {
            first: date,
            last: date,
            kind: AbsenceKind::Holiday(name),
            created: at(start, 9) - Duration::days(45),
        });
        away.push(date);
    }
    let scale = f64::from(weeks) / 13.0;
    let r = rng.unit();
    let blocks = if r < 0.3 {
        0
    } else if r < 0.85 {
        1
    } else {
        2
    };
    let blocks = ((f64::from(blocks) * scale).round() as usize).min(6);
    let total_days = 7 * i64::from(weeks);
    for _ in 0..blocks {
        let len = *rng.pick(&[2usize, 3, 3, 4, 5, 5, 10]);
        for _attempt in 0..8 {
            let first = start + Duration::days(rng.range(0, total_days - 1));
            let days = weekdays_from(first, len, end);
            if days.is_empty() || days.iter().any(|d| away.contains(d)) {
                continue;
            }
            let (Some(&f), Some(&l)) = (days.first(), days.last()) else {
                continue;
            };
            let created = at(f, 10) - Duration::days(rng.range(7, 40));
            out.push(Absence {
                first: f,
                last: l,
                kind: AbsenceKind::Vacation,
                created,
            });
            away.extend(days);
            break;
        }
    }
    let sick = rng.poisson(0.8 * scale);
    for _ in 0..sick {
        let d = start + Duration::days(rng.range(0, total_days - 1));
        if d.weekday() == Weekday::Sat
            || d.weekday() == Weekday::Sun
            || away.contains(&d)
            || !p.hours.works_on(d.weekday())
        {
            continue;
        }
        out.push(Absence {
            first: d,
            last: d,
            kind: AbsenceKind::Sick,
            created: at(d, 7) + Duration::minutes(rng.range(0, 50)),
        });
        away.push(d);
    }
    out.sort_by_key(|a| a.first);
    away.sort();
    away.dedup();
    (out, away)
}

/// Makes unique Slack-style ids: a letter and upper-case letters and digits.
pub(crate) struct IdMaker {
    rng: Rng,
    seen: HashSet<String>,
}

impl IdMaker {
    pub(crate) fn new(seed: u64) -> Self {
        IdMaker {
            rng: Rng::derive(seed, &[stream::IDS]),
            seen: HashSet::new(),
        }
    }

    pub(crate) fn make(&mut self, prefix: char, len: usize) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        loop {
            let mut id = String::with_capacity(len + 1);
            id.push(prefix);
            // Slack ids of older workspaces start with 0 after the letter.
            id.push('0');
            for _ in 1..len {
                id.push(ALPHABET[self.rng.index(ALPHABET.len())] as char);
            }
            if self.seen.insert(id.clone()) {
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 8, 31).unwrap()
    }

    #[test]
    fn default_org_has_eight_teams_of_seven_or_eight() {
        let org = Org::build(42, 60, 13, start(), Difficulty::Easy);
        assert_eq!(org.people.len(), 60);
        assert_eq!(org.teams.len(), 8);
        assert!(org.teams.iter().all(|t| (7..=8).contains(&t.members.len())));
        let mut archetypes: Vec<&str> = org.teams.iter().map(|t| t.archetype.id()).collect();
        archetypes.sort();
        archetypes.dedup();
        assert_eq!(archetypes.len(), 8);
        let zones: HashSet<Zone> = org.people.iter().map(|p| p.zone).collect();
        assert!(zones.len() >= 4);
        assert!(org.people.iter().filter(|p| p.part_time).count() >= 2);
        let emails: HashSet<&str> = org.people.iter().map(|p| p.email.as_str()).collect();
        assert_eq!(emails.len(), 60);
        assert_eq!(org.experiment_week, Some(7));
    }

    #[test]
    fn every_team_has_at_least_five_people_at_any_size() {
        for n in [5, 9, 23, 40, 41, 61, 200, 2000] {
            let org = Org::build(1, n, 2, start(), Difficulty::Easy);
            assert_eq!(org.people.len(), n);
            assert!(org.teams.iter().all(|t| t.members.len() >= 5), "n = {n}");
            assert!(
                org.teams.iter().any(|t| t.archetype == Archetype::Healthy),
                "n = {n}"
            );
        }
    }

    #[test]
    fn absences_are_weekdays_in_the_window() {
        let org = Org::build(3, 60, 13, start(), Difficulty::Easy);
        for p in &org.people {
            for d in &p.away {
                assert!(*d >= org.start && *d < org.end());
                assert!(d.weekday().num_days_from_monday() < 5);
            }
        }
        // Labor Day 2026 (7 September) for everyone in the US offices.
        let ny = org.people.iter().find(|p| p.zone == Zone::NewYork).unwrap();
        assert!(ny.away_on(NaiveDate::from_ymd_opt(2026, 9, 7).unwrap()));
    }
}
