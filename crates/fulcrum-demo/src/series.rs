//! Recurring series: each team's standups, syncs, 1:1s, plannings and
//! reviews, the department leads' sync and the all-hands; and what happened
//! to single instances (moved, cancelled, declined by someone away).
//!
//! A [`Schedule`] holds one team's series with every instance inside the
//! window worked out; the day plans place one-off meetings around it and
//! the calendar writer writes each series once per person invited.

use crate::archetype::{Archetype, Dialect};
use crate::hours::{WorkClock, minute_time};
use crate::org::{AbsenceKind, Org, Team};
use crate::plan::PartStat;
use crate::rng::{Rng, mix, stream};
use crate::zones::Zone;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};

/// What a series is (for titles, descriptions and the truth file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    /// The daily standup.
    Standup,
    /// Any other team series.
    TeamRitual,
    /// A manager's 1:1.
    OneOnOne,
    /// The department leads' weekly sync.
    LeadsSync,
    /// The monthly all-hands.
    AllHands,
}

/// How a series ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesEnd {
    /// Never (no `UNTIL`, no `COUNT`).
    Never,
    /// Last instance on this date (`UNTIL`).
    Until(NaiveDate),
    /// This many instances (`COUNT`).
    Count(u32),
}

/// The rule of a series (always on the organizer's wall clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// `FREQ=WEEKLY;INTERVAL=n;BYDAY=...` (weekday mask, Monday = bit 0).
    Weekly {
        /// Weekdays.
        days: u8,
        /// Every n weeks.
        interval: u32,
    },
    /// `FREQ=MONTHLY;BYDAY=1TH`: the nth weekday of every month.
    MonthlyNth {
        /// The weekday.
        day: Weekday,
        /// Which one (1-4).
        nth: u32,
    },
}

/// One recurring series.
#[derive(Debug, Clone)]
pub struct Series {
    /// `UID`.
    pub uid: String,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: SeriesKind,
    /// Organizer.
    pub organizer: usize,
    /// Invitees with their answer to the series.
    pub invitees: Vec<(usize, PartStat)>,
    /// Guests from outside (index into `names::EXTERNALS`).
    pub externals: Vec<usize>,
    /// The series invites the organisation's mailing list (all-hands).
    pub group: bool,
    /// The organizer's zone: the series' wall clock.
    pub zone: Zone,
    /// Date of the first instance (`DTSTART`).
    pub first: NaiveDate,
    /// Local start, minutes after midnight.
    pub minute: u32,
    /// Length in minutes.
    pub minutes: u32,
    /// The rule.
    pub rule: Rule,
    /// The end.
    pub end: SeriesEnd,
    /// When it was created.
    pub created: DateTime<Utc>,
    /// Last edit of the series itself.
    pub modified: DateTime<Utc>,
    /// `SEQUENCE` of the master.
    pub sequence: u32,
    /// Invitees keep instances outside their working hours (a team that
    /// pays for its time zones); otherwise they decline such instances,
    /// e.g. when a DST change moves a meeting set in another zone.
    pub after_hours_ok: bool,
    /// Description, if any.
    pub description: Option<String>,
}

/// What happened to one instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Deleted by the organizer ahead of time: an `EXDATE`.
    Excluded,
    /// Cancelled: an override with `STATUS:CANCELLED`.
    Cancelled {
        /// When it was cancelled.
        at: DateTime<Utc>,
    },
    /// Changed: moved, and/or some invitees declined it.
    Changed {
        /// New start (`None`: same time).
        moved_to: Option<DateTime<Utc>>,
        /// Invitees who declined this instance.
        declined: Vec<usize>,
        /// When it was changed.
        at: DateTime<Utc>,
    },
}

/// One instance in the window.
#[derive(Debug, Clone)]
pub struct Instance {
    /// The original start (its `RECURRENCE-ID`).
    pub original: DateTime<Utc>,
    /// The original local date in the series' zone.
    pub date: NaiveDate,
    /// What happened to it, if anything.
    pub change: Option<Change>,
}

impl Instance {
    /// Where it actually starts (`None` when it does not happen).
    pub fn start(&self) -> Option<DateTime<Utc>> {
        match &self.change {
            None => Some(self.original),
            Some(Change::Changed { moved_to, .. }) => Some(moved_to.unwrap_or(self.original)),
            Some(_) => None,
        }
    }
}

impl Series {
    /// Every date the rule gives from `first`, ending by the series' end or
    /// before `until` (exclusive), whichever comes first.
    pub fn dates(&self, until: NaiveDate) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let limit = match self.end {
            SeriesEnd::Until(last) => (last + Duration::days(1)).min(until),
            _ => until,
        };
        let max = match self.end {
            SeriesEnd::Count(n) => n as usize,
            _ => usize::MAX,
        };
        match self.rule {
            Rule::Weekly { days, interval } => {
                let week0 = self.first
                    - Duration::days(i64::from(self.first.weekday().num_days_from_monday()));
                let mut week = 0i64;
                'weeks: loop {
                    let monday = week0 + Duration::days(7 * week * i64::from(interval));
                    if monday >= limit {
                        break;
                    }
                    for d in 0..7 {
                        if days & (1 << d) == 0 {
                            continue;
                        }
                        let date = monday + Duration::days(d);
                        if date < self.first {
                            continue;
                        }
                        if date >= limit || out.len() >= max {
                            break 'weeks;
                        }
                        out.push(date);
                    }
                    week += 1;
                }
            }
            Rule::MonthlyNth { day, nth } => {
                let (mut y, mut m) = (self.first.year(), self.first.month());
                while let Some(first_of_month) = NaiveDate::from_ymd_opt(y, m, 1) {
                    if first_of_month >= limit || out.len() >= max {
                        break;
                    }
                    let shift = (7 + day.num_days_from_monday()
                        - first_of_month.weekday().num_days_from_monday())
                        % 7;
                    let date = first_of_month + Duration::days(i64::from(shift + 7 * (nth - 1)));
                    if date >= self.first && date < limit {
                        out.push(date);
                    }
                    if m == 12 {
                        y += 1;
                        m = 1;
                    } else {
                        m += 1;
                    }
                }
            }
        }
        out
    }

    /// The start of an instance on `date`.
    pub fn start_on(&self, date: NaiveDate) -> DateTime<Utc> {
        self.zone.utc(date.and_time(minute_time(self.minute)))
    }

    /// The last instance's start, when the series ends by `UNTIL`.
    pub fn until_instant(&self) -> Option<DateTime<Utc>> {
        match self.end {
            SeriesEnd::Until(d) => Some(self.start_on(d)),
            _ => None,
        }
    }

    /// True when `person` organizes it or is invited.
    pub fn involves(&self, person: usize) -> bool {
        self.organizer == person || self.invitees.iter().any(|(p, _)| *p == person)
    }

    /// The answer of an invitee to the series.
    pub fn answer(&self, person: usize) -> Option<PartStat> {
        self.invitees
            .iter()
            .find(|(p, _)| *p == person)
            .map(|(_, s)| *s)
    }
}

/// A unique 64-bit key for a UID.
pub(crate) fn uid_key(seed: u64, parts: &[u64]) -> u64 {
    parts
        .iter()
        .fold(mix(seed ^ 0xC0FF_EE00), |h, p| mix(h ^ mix(*p)))
}

/// A UID in the organizer's exporter's style.
pub fn make_uid(dialect: Dialect, key: u64) -> String {
    let k2 = mix(key ^ 0x1234_5678);
    match dialect {
        Dialect::Google => {
            const B32: &[u8] = b"abcdefghijklmnopqrstuv0123456789";
            let mut s = String::with_capacity(40);
            for i in 0..26 {
                let bits = if i < 13 {
                    key >> (i * 5)
                } else {
                    k2 >> ((i - 13) * 5)
                };
                s.push(B32[(bits & 31) as usize] as char);
            }
            s.push_str("@google.com");
            s
        }
        Dialect::Outlook => format!(
            "040000008200E00074C5B7101A82E00800000000{:016X}000000000000000010000000{:016X}{:016X}",
            key,
            k2,
            mix(k2)
        ),
    }
}

/// One team's series and their instances in the window.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// The series.
    pub series: Vec<Series>,
    /// Instances per series, in date order.
    pub instances: Vec<Vec<Instance>>,
}

impl Schedule {
    /// The series of one team (not the department's or the organisation's).
    pub fn for_team(org: &Org, team: &Team) -> Schedule {
        Schedule::from_series(org, team_series(org, team))
    }

    /// The department leads' syncs and the all-hands (the latter only in
    /// department 0's schedule; it is written once per person).
    pub fn for_department(org: &Org, department: usize) -> Schedule {
        Schedule::from_series(org, department_series(org, department))
    }

    fn from_series(org: &Org, series: Vec<Series>) -> Schedule {
        let instances = series
            .iter()
            .enumerate()
            .map(|(i, s)| instances_of(org, s, i))
            .collect();
        Schedule { series, instances }
    }

    /// Busy intervals of `person` (instances they attend) whose start falls
    /// on their local `date`.
    pub fn busy(
        &self,
        org: &Org,
        person: usize,
        date: NaiveDate,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let zone = org.people[person].zone;
        let mut out = Vec::new();
        for (s, insts) in self.series.iter().zip(&self.instances) {
            if !s.involves(person) {
                continue;
            }
            if s.organizer != person && s.answer(person) != Some(PartStat::Accepted) {
                continue;
            }
            for inst in insts {
                let Some(start) = inst.start() else { continue };
                if zone.date(start) != date {
                    continue;
                }
                if let Some(Change::Changed { declined, .. }) = &inst.change
                    && declined.contains(&person)
                {
                    continue;
                }
                out.push((start, start + Duration::minutes(i64::from(s.minutes))));
            }
        }
        out
    }
}

/// Instances in the window, with what happened to each.
fn instances_of(org: &Org, s: &Series, index: usize) -> Vec<Instance> {
    let mut rng = Rng::derive(
        org.seed,
        &[
            stream::EXCEPTIONS,
            mix(s.created.timestamp() as u64),
            index as u64,
        ],
    );
    let organizer = &org.people[s.organizer];
    let mut out = Vec::new();
    for date in s.dates(org.end()) {
        if date < org.start {
            continue;
        }
        let original = s.start_on(date);
        let local_day = |p: usize| org.people[p].zone.date(original);
        let organizer_away = organizer
            .absences
            .iter()
            .find(|a| a.first <= date && date <= a.last);
        let change = if s.kind == SeriesKind::AllHands {
            // The all-hands is skipped on a holiday where the organizer
            // works and moves to their next working day when they are
            // away; who attends is each person's own answer.
            match organizer_away.map(|a| &a.kind) {
                Some(AbsenceKind::Holiday(_)) => Some(Change::Excluded),
                Some(_) => (1..=14)
                    .map(|k| date + Duration::days(k))
                    .find(|d| organizer.works_on_date(*d))
                    .map(|d| Change::Changed {
                        moved_to: Some(s.start_on(d)),
                        declined: Vec::new(),
                        at: original - Duration::days(5),
                    }),
                None => None,
            }
        } else if let Some(a) = organizer_away {
            match a.kind {
                AbsenceKind::Holiday(_) | AbsenceKind::Vacation => Some(Change::Excluded),
                AbsenceKind::Sick => Some(Change::Cancelled {
                    at: a.created + Duration::minutes(5),
                }),
            }
        } else {
            let declined: Vec<usize> = s
                .invitees
                .iter()
                .map(|(p, _)| *p)
                .filter(|&p| {
                    let person = &org.people[p];
                    !person.works_on_date(local_day(p))
                        || (!s.after_hours_ok && !s.group && !person.holds(original, s.minutes))
                })
                .collect();
            // Now and then an instance moves (a clash, a room, a late start).
            let shift = *rng.pick(&[-30i64, 30, 60]);
            let moved = original + Duration::minutes(shift);
            let moved_to =
                (rng.chance(0.03) && s.minutes <= 60 && organizer.holds(moved, s.minutes))
                    .then_some(moved);
            let mut declined = declined;
            if let Some(t) = moved_to {
                // Who cannot make the new time declines it.
                for &(p, _) in &s.invitees {
                    if !org.people[p].holds(t, s.minutes) && !declined.contains(&p) {
                        declined.push(p);
                    }
                }
            }
            if moved_to.is_some() || !declined.is_empty() {
                let at = original - Duration::hours(rng.range(2, 72));
                Some(Change::Changed {
                    moved_to,
                    declined,
                    at,
                })
            } else {
                None
            }
        };
        out.push(Instance {
            original,
            date,
            change,
        });
    }
    out
}

/// Answers to a series that happens at `minute` on the organizer's clock:
/// invitees whose working hours do not hold the whole meeting decline it,
/// unless `accept_after_hours` (a team that pays for its time zones).
fn answers(
    org: &Org,
    s: &SeriesDraft,
    invitees: &[usize],
    rng: &mut Rng,
    accept_after_hours: bool,
) -> Vec<(usize, PartStat)> {
    let probe_date = first_weekday_on_or_after(org.start + Duration::days(14), s.probe_day);
    let start = s.zone.utc(probe_date.and_time(minute_time(s.minute)));
    let end = start + Duration::minutes(i64::from(s.minutes) - 1);
    let _ = end;
    invitees
        .iter()
        .map(|&p| {
            let inside = org.people[p].holds(start, s.minutes);
            let answer = if !inside && !accept_after_hours {
                PartStat::Declined
            } else {
                let r = rng.unit();
                if r < 0.92 {
                    PartStat::Accepted
                } else if r < 0.97 {
                    PartStat::Tentative
                } else {
                    PartStat::NeedsAction
                }
            };
            (p, answer)
        })
        .collect()
}

fn first_weekday_on_or_after(date: NaiveDate, day: Weekday) -> NaiveDate {
    let shift = (7 + day.num_days_from_monday() - date.weekday().num_days_from_monday()) % 7;
    date + Duration::days(i64::from(shift))
}

/// What a team's series is made of before answers and UIDs.
struct SeriesDraft {
    title: String,
    kind: SeriesKind,
    organizer: usize,
    zone: Zone,
    minute: u32,
    minutes: u32,
    rule: Rule,
    end: SeriesEnd,
    description: Option<String>,
    probe_day: Weekday,
}

const MON: u8 = 1;
const TUE: u8 = 2;
const WED: u8 = 4;
const THU: u8 = 8;
const FRI: u8 = 16;
const WEEKDAYS: u8 = 31;

fn weekday_of_mask(mask: u8) -> Weekday {
    let d = (0..7).find(|d| mask & (1 << d) != 0).unwrap_or(0);
    Weekday::try_from(d as u8).unwrap_or(Weekday::Mon)
}

/// Descriptions with and without a checklist's items.
const AGENDA_OUTCOME: &str = "Agenda:\n- Updates since last time\n- Open questions\n- Next steps and owners\n\nDesired outcome: agreed priorities for the week.\nNotes: https://docs.lumenlabs.example/notes/team-sync";
const STANDUP_WITH_AGENDA: &str = "Agenda: yesterday, today, anything in the way.\nGoal: surface problems early; discussions move to a follow-up.";
const ONE_ON_ONE: &str = "Talking points in our shared doc: https://docs.lumenlabs.example/1on1\nGoal: whatever you need from me this week.";
const PLANNING: &str = "Agenda:\n1. Sprint goal\n2. Capacity\n3. Commitments\n\nDesired outcome: a sprint goal everyone signed up for.\nPre-read: https://tracker.lumenlabs.example/board (please read before)";
const RETRO: &str = "Agenda:\n- What went well\n- What did not\n- One thing to change\n\nOutcome: one action item with an owner.";
const ALL_HANDS: &str = "Agenda:\n- Company update\n- Team spotlights\n- Q&A\n\nRecording and summary will be posted in #general.";

/// Adds a series: title, kind, organizer, local start minute (on the
/// lead's clock), length, rule, end, description, invitees, first date.
type AddSeries<'a> = dyn FnMut(&str, SeriesKind, usize, u32, u32, Rule, SeriesEnd, Option<&str>, Vec<usize>, NaiveDate)
    + 'a;

/// One of the overloaded team's series: title, organizer (member index),
/// start minute, length, rule, description.
type Ritual = (&'static str, usize, u32, u32, Rule, Option<&'static str>);

fn team_series(org: &Org, team: &Team) -> Vec<Series> {
    let mut rng = Rng::derive(org.seed, &[stream::SERIES, team.index as u64]);
    let m = &team.members;
    let n = m.len();
    let lead = m[0];
    let zone_of = |p: usize| org.people[p].zone;
    let before = |weeks: i64| org.start - Duration::days(7 * weeks);
    let window_end_plus = |weeks: i64| org.end() + Duration::days(7 * weeks);
    let mut drafts: Vec<(SeriesDraft, Vec<usize>, NaiveDate)> = Vec::new();
    let all_but = |p: usize| m.iter().copied().filter(|&x| x != p).collect::<Vec<_>>();
    // Team series are planned on the lead's clock ("10:30 our time") and
    // stored on their organizer's, as calendars do.
    let home = zone_of(lead);
    // The late-night team plans each half's series on that half's clock.
    let own_clocks = team.archetype == Archetype::LateNightPings;
    let probe = org.start + Duration::days(16);
    let mut add = |title: &str,
                   kind,
                   organizer: usize,
                   minute: u32,
                   minutes: u32,
                   rule: Rule,
                   end,
                   description: Option<&str>,
                   invitees: Vec<usize>,
                   first: NaiveDate| {
        // Nobody organizes a series outside their own working hours: the
        // lead takes it over then.
        let weekday = match rule {
            Rule::Weekly { days, .. } => weekday_of_mask(days),
            Rule::MonthlyNth { day, .. } => day,
        };
        // A lead who organizes everything takes every series over.
        let (organizer, invitees) = if team.plant.lead_organizes_series && organizer != lead {
            let mut inv: Vec<usize> = invitees.into_iter().filter(|&p| p != lead).collect();
            inv.push(organizer);
            inv.sort_unstable();
            (lead, inv)
        } else {
            (organizer, invitees)
        };
        let (organizer, invitees) = {
            let o = &org.people[organizer];
            let start =
                home.utc(first_weekday_on_or_after(probe, weekday).and_time(minute_time(minute)));
            if own_clocks || kind == SeriesKind::OneOnOne || o.holds(start, minutes) {
                (organizer, invitees)
            } else {
                let mut inv: Vec<usize> = invitees.into_iter().filter(|&p| p != lead).collect();
                inv.push(organizer);
                inv.sort_unstable();
                (lead, inv)
            }
        };
        let minute = if own_clocks || zone_of(organizer) == home || kind == SeriesKind::OneOnOne {
            minute
        } else {
            use chrono::Timelike;
            let t = zone_of(organizer).local(home.utc(probe.and_time(minute_time(minute))));
            t.hour() * 60 + t.minute()
        };
        let probe_day = match rule {
            Rule::Weekly { days, .. } => weekday_of_mask(days),
            Rule::MonthlyNth { day, .. } => day,
        };
        drafts.push((
            SeriesDraft {
                title: title.to_owned(),
                kind,
                organizer,
                zone: zone_of(organizer),
                minute,
                minutes,
                rule,
                end,
                description: description.map(str::to_owned),
                probe_day,
            },
            invitees,
            first,
        ));
    };
    let weekly = |days: u8| Rule::Weekly { days, interval: 1 };
    let biweekly = |days: u8| Rule::Weekly { days, interval: 2 };
    let h = |hh: u32, mm: u32| hh * 60 + mm;
    let pick = |i: usize| m[i % n];
    let one_on_ones = |add: &mut AddSeries<'_>, interval: u32, end: SeriesEnd, rng: &mut Rng| {
        for (k, &report) in m.iter().enumerate().skip(1) {
            let title = format!("{} / {}", org.people[lead].first, org.people[report].first);
            // Slots spread over Tuesday to Thursday, in the lead's day, at a
            // time inside both people's hours when there is one.
            let day = [TUE, WED, THU][k % 3];
            let minute = shared_minute(org, lead, report, 30, k, rng);
            let first = before(rng.range(4, 30));
            add(
                &title,
                SeriesKind::OneOnOne,
                lead,
                minute,
                30,
                Rule::Weekly {
                    days: day,
                    interval,
                },
                end,
                Some(ONE_ON_ONE),
                vec![report],
                first,
            );
        }
    };
    match team.archetype {
        Archetype::Healthy => {
            let standup_end = match org.experiment_start() {
                Some(d) => SeriesEnd::Until(last_weekday_before(d)),
                None => SeriesEnd::Until(window_end_plus(8)),
            };
            add(
                "Daily standup",
                SeriesKind::Standup,
                pick(1),
                h(10, 30),
                15,
                weekly(WEEKDAYS),
                standup_end,
                Some(STANDUP_WITH_AGENDA),
                all_but(pick(1)),
                before(20),
            );
            add(
                "Team sync",
                SeriesKind::TeamRitual,
                pick(2),
                h(10, 0),
                45,
                weekly(TUE),
                SeriesEnd::Until(window_end_plus(4)),
                Some(AGENDA_OUTCOME),
                all_but(pick(2)),
                before(12),
            );
            add(
                "Retro",
                SeriesKind::TeamRitual,
                pick(3),
                h(11, 0),
                45,
                biweekly(THU),
                SeriesEnd::Count(12),
                Some(RETRO),
                all_but(pick(3)),
                before(6),
            );
            one_on_ones(&mut add, 2, SeriesEnd::Count(13), &mut rng);
        }
        Archetype::SmallBlockers => {
            add(
                "Standup",
                SeriesKind::Standup,
                pick(1),
                h(9, 30),
                15,
                weekly(WEEKDAYS),
                SeriesEnd::Never,
                None,
                all_but(pick(1)),
                before(40),
            );
            add(
                "Weekly sync",
                SeriesKind::TeamRitual,
                pick(2),
                h(11, 0),
                45,
                weekly(WED),
                SeriesEnd::Never,
                Some(AGENDA_OUTCOME),
                all_but(pick(2)),
                before(30),
            );
            one_on_ones(&mut add, 2, SeriesEnd::Never, &mut rng);
        }
        Archetype::ThreadsToMeetings => {
            add(
                "Standup",
                SeriesKind::Standup,
                pick(2),
                h(12, 0),
                15,
                weekly(WEEKDAYS),
                SeriesEnd::Never,
                Some(STANDUP_WITH_AGENDA),
                all_but(pick(2)),
                before(25),
            );
            // Google's "this and following events" edit: the sync moved an
            // hour later in week 5, which ends the series and starts a new
            // one whose UID carries the split time.
            let split = org.start + Duration::days(28);
            if org.weeks > 5 {
                add(
                    "Team sync",
                    SeriesKind::TeamRitual,
                    pick(1),
                    h(13, 0),
                    45,
                    weekly(MON),
                    SeriesEnd::Until(split - Duration::days(7)),
                    Some(AGENDA_OUTCOME),
                    all_but(pick(1)),
                    before(16),
                );
                add(
                    "Team sync",
                    SeriesKind::TeamRitual,
                    pick(1),
                    h(14, 0),
                    45,
                    weekly(MON),
                    SeriesEnd::Never,
                    Some(AGENDA_OUTCOME),
                    all_but(pick(1)),
                    split,
                );
            } else {
                add(
                    "Team sync",
                    SeriesKind::TeamRitual,
                    pick(1),
                    h(13, 0),
                    45,
                    weekly(MON),
                    SeriesEnd::Never,
                    Some(AGENDA_OUTCOME),
                    all_but(pick(1)),
                    before(16),
                );
            }
            add(
                "Sprint planning",
                SeriesKind::TeamRitual,
                pick(3),
                h(14, 0),
                60,
                biweekly(WED),
                SeriesEnd::Count(10),
                Some(PLANNING),
                all_but(pick(3)),
                before(4),
            );
            one_on_ones(&mut add, 2, SeriesEnd::Never, &mut rng);
        }
        Archetype::LateNightPings => {
            let sf: Vec<usize> = m
                .iter()
                .copied()
                .filter(|&p| zone_of(p) == Zone::SanFrancisco)
                .collect();
            let blr: Vec<usize> = m
                .iter()
                .copied()
                .filter(|&p| zone_of(p) == Zone::Bangalore)
                .collect();
            if let Some(&org_sf) = sf.get(1).or(sf.first()) {
                add(
                    "Standup (SF)",
                    SeriesKind::Standup,
                    org_sf,
                    h(9, 15),
                    15,
                    weekly(WEEKDAYS),
                    SeriesEnd::Never,
                    Some(STANDUP_WITH_AGENDA),
                    sf.iter().copied().filter(|&p| p != org_sf).collect(),
                    before(30),
                );
            }
            if let Some(&org_blr) = blr.first() {
                add(
                    "Standup (BLR)",
                    SeriesKind::Standup,
                    org_blr,
                    h(10, 30),
                    15,
                    weekly(WEEKDAYS),
                    SeriesEnd::Never,
                    Some(STANDUP_WITH_AGENDA),
                    blr.iter().copied().filter(|&p| p != org_blr).collect(),
                    before(30),
                );
            }
            // The one meeting both halves share: early for San Francisco,
            // late for Bangalore.
            add(
                "Team sync (SF + BLR)",
                SeriesKind::TeamRitual,
                lead,
                h(8, 0),
                45,
                weekly(TUE),
                SeriesEnd::Never,
                Some(AGENDA_OUTCOME),
                all_but(lead),
                before(20),
            );
            one_on_ones(&mut add, 2, SeriesEnd::Never, &mut rng);
        }
        Archetype::HuddlesAfterSurprises => {
            add(
                "Weekly sync",
                SeriesKind::TeamRitual,
                pick(2),
                h(10, 0),
                45,
                weekly(MON),
                SeriesEnd::Until(window_end_plus(10)),
                Some(AGENDA_OUTCOME),
                all_but(pick(2)),
                before(10),
            );
            add(
                "On-call handover",
                SeriesKind::TeamRitual,
                pick(3),
                h(14, 0),
                30,
                weekly(FRI),
                SeriesEnd::Never,
                None,
                all_but(pick(3)),
                before(30),
            );
            one_on_ones(&mut add, 2, SeriesEnd::Count(10), &mut rng);
        }
        Archetype::FragmentedFocus => {
            add(
                "Daily standup",
                SeriesKind::Standup,
                pick(1),
                h(9, 45),
                15,
                weekly(WEEKDAYS),
                SeriesEnd::Never,
                Some(STANDUP_WITH_AGENDA),
                all_but(pick(1)),
                before(50),
            );
            add(
                "Team sync",
                SeriesKind::TeamRitual,
                pick(2),
                h(14, 0),
                45,
                weekly(THU),
                SeriesEnd::Until(window_end_plus(6)),
                Some(AGENDA_OUTCOME),
                all_but(pick(2)),
                before(9),
            );
            one_on_ones(&mut add, 2, SeriesEnd::Never, &mut rng);
        }
        Archetype::OverloadSprawl => {
            let rituals: [Ritual; 23] = [
                ("Daily standup", 1, h(9, 30), 30, weekly(WEEKDAYS), None),
                (
                    "Triage",
                    6,
                    h(16, 0),
                    30,
                    weekly(MON | TUE | WED | THU),
                    None,
                ),
                (
                    "Team sync",
                    2,
                    h(11, 0),
                    60,
                    weekly(MON),
                    Some(AGENDA_OUTCOME),
                ),
                (
                    "Customer feedback review",
                    0,
                    h(15, 0),
                    60,
                    biweekly(MON),
                    None,
                ),
                ("Ops review", 6, h(10, 30), 45, weekly(TUE), None),
                (
                    "Sprint planning",
                    3,
                    h(13, 0),
                    90,
                    biweekly(TUE),
                    Some(PLANNING),
                ),
                ("Weekly business review", 0, h(15, 0), 60, weekly(TUE), None),
                ("Product sync", 3, h(10, 30), 60, weekly(WED), None),
                ("Incident review", 5, h(11, 30), 45, weekly(WED), None),
                ("Backlog refinement", 4, h(14, 0), 60, weekly(WED), None),
                ("Architecture review", 5, h(11, 0), 60, weekly(THU), None),
                (
                    "Cross-team dependencies",
                    2,
                    h(13, 0),
                    60,
                    weekly(THU),
                    None,
                ),
                ("Design sync", 4, h(15, 0), 30, weekly(THU), None),
                ("Roadmap check-in", 0, h(10, 0), 45, weekly(FRI), None),
                (
                    "Sprint demo",
                    1,
                    h(13, 0),
                    60,
                    biweekly(FRI),
                    Some(AGENDA_OUTCOME),
                ),
                ("Retro", 2, h(14, 0), 60, biweekly(FRI), Some(RETRO)),
                ("Stakeholder update", 0, h(16, 30), 30, weekly(WED), None),
                ("Lunch and learn", 5, h(12, 0), 60, weekly(THU), None),
                (
                    "Quarterly planning prep",
                    1,
                    h(13, 0),
                    60,
                    weekly(MON),
                    None,
                ),
                ("Data review", 4, h(11, 0), 60, weekly(FRI), None),
                // Double-booked on purpose: nobody audits these.
                ("Vendor check-in", 0, h(10, 30), 30, weekly(TUE), None),
                ("Hiring sync", 2, h(11, 30), 30, weekly(MON), None),
                ("Platform guild", 6, h(11, 30), 30, weekly(THU), None),
            ];
            for (i, (title, who, minute, minutes, rule, desc)) in rituals.into_iter().enumerate() {
                let organizer = pick(who);
                // A few series have an end; most were never given one.
                let end = if i % 5 == 4 {
                    SeriesEnd::Until(window_end_plus(12))
                } else {
                    SeriesEnd::Never
                };
                let first = before(rng.range(8, 60));
                add(
                    title,
                    if i == 0 {
                        SeriesKind::Standup
                    } else {
                        SeriesKind::TeamRitual
                    },
                    organizer,
                    minute,
                    minutes,
                    rule,
                    end,
                    desc,
                    all_but(organizer),
                    first,
                );
            }
            one_on_ones(&mut add, 1, SeriesEnd::Never, &mut rng);
        }
        Archetype::OneOrganizer => {
            add(
                "Standup",
                SeriesKind::Standup,
                lead,
                h(10, 0),
                15,
                weekly(WEEKDAYS),
                SeriesEnd::Never,
                Some(STANDUP_WITH_AGENDA),
                all_but(lead),
                before(30),
            );
            add(
                "Team sync",
                SeriesKind::TeamRitual,
                lead,
                h(15, 0),
                60,
                weekly(MON),
                SeriesEnd::Never,
                Some(AGENDA_OUTCOME),
                all_but(lead),
                before(30),
            );
            add(
                "Planning",
                SeriesKind::TeamRitual,
                lead,
                h(14, 0),
                60,
                biweekly(TUE),
                SeriesEnd::Never,
                Some(PLANNING),
                all_but(lead),
                before(30),
            );
            add(
                "Status review",
                SeriesKind::TeamRitual,
                lead,
                h(16, 0),
                45,
                weekly(THU),
                SeriesEnd::Never,
                Some(AGENDA_OUTCOME),
                all_but(lead),
                before(30),
            );
            one_on_ones(&mut add, 1, SeriesEnd::Never, &mut rng);
        }
        Archetype::UnfairTzBurden => {
            add(
                "Daily standup",
                SeriesKind::Standup,
                pick(1),
                h(10, 0),
                15,
                weekly(WEEKDAYS),
                SeriesEnd::Until(window_end_plus(8)),
                Some(STANDUP_WITH_AGENDA),
                all_but(pick(1)),
                before(20),
            );
            add(
                "Weekly sync",
                SeriesKind::TeamRitual,
                pick(3),
                h(9, 30),
                45,
                weekly(WED),
                SeriesEnd::Count(20),
                Some(AGENDA_OUTCOME),
                all_but(pick(3)),
                before(8),
            );
            one_on_ones(&mut add, 2, SeriesEnd::Count(13), &mut rng);
        }
    }
    let accept_after_hours = team.archetype == Archetype::LateNightPings;
    finish(org, drafts, &mut rng, accept_after_hours, team.index as u64)
}

fn department_series(org: &Org, department: usize) -> Vec<Series> {
    let mut rng = Rng::derive(org.seed, &[stream::SERIES, 1_000_000 + department as u64]);
    let leads = org.department_leads(department);
    let mut drafts = Vec::new();
    // Organized by the lead of the department's healthy team when there is one.
    let organizer = org
        .teams
        .iter()
        .filter(|t| t.department == department)
        .find(|t| t.archetype == Archetype::Healthy)
        .map_or(leads[0], Team::lead);
    if leads.len() >= 2 {
        let zone = org.people[organizer].zone;
        // 11:00 in New York is 08:00 in San Francisco and 16:00 in London.
        let minute = match zone {
            Zone::NewYork => 11 * 60,
            Zone::SanFrancisco => 8 * 60,
            Zone::London => 16 * 60,
            Zone::Berlin => 17 * 60,
            Zone::Bangalore => 16 * 60 + 30,
        };
        drafts.push((
            SeriesDraft {
                title: "Eng leads sync".to_owned(),
                kind: SeriesKind::LeadsSync,
                organizer,
                zone,
                minute,
                minutes: 45,
                rule: Rule::Weekly {
                    days: WED,
                    interval: 1,
                },
                end: SeriesEnd::Count(40),
                description: Some(AGENDA_OUTCOME.to_owned()),
                probe_day: Weekday::Wed,
            },
            leads
                .iter()
                .copied()
                .filter(|&p| p != organizer)
                .collect::<Vec<_>>(),
            org.start - Duration::days(70),
        ));
    }
    if department == 0 {
        let ceo = org.ceo();
        let zone = org.people[ceo].zone;
        drafts.push((
            SeriesDraft {
                title: format!("{} all-hands", crate::org::COMPANY),
                kind: SeriesKind::AllHands,
                organizer: ceo,
                zone,
                // 08:00 in San Francisco: 11:00 New York, 16:00 London.
                minute: match zone {
                    Zone::SanFrancisco => 8 * 60,
                    Zone::NewYork => 11 * 60,
                    Zone::London => 16 * 60,
                    Zone::Berlin => 17 * 60,
                    Zone::Bangalore => 20 * 60 + 30,
                },
                minutes: 60,
                rule: Rule::MonthlyNth {
                    day: Weekday::Thu,
                    nth: 1,
                },
                end: SeriesEnd::Until(org.end() + Duration::days(200)),
                description: Some(ALL_HANDS.to_owned()),
                probe_day: Weekday::Thu,
            },
            Vec::new(),
            org.start - Duration::days(120),
        ));
    }
    finish(org, drafts, &mut rng, false, 1_000_000 + department as u64)
}

fn finish(
    org: &Org,
    drafts: Vec<(SeriesDraft, Vec<usize>, NaiveDate)>,
    rng: &mut Rng,
    accept_after_hours: bool,
    salt: u64,
) -> Vec<Series> {
    drafts
        .into_iter()
        .enumerate()
        .map(|(i, (d, invitees, first))| {
            let answers = answers(org, &d, &invitees, rng, accept_after_hours);
            let organizer = &org.people[d.organizer];
            let dialect = org.team_of(d.organizer).dialect();
            let created =
                d.zone.utc(first.and_time(minute_time(10 * 60))) - Duration::days(rng.range(1, 10));
            let mut uid = make_uid(dialect, uid_key(org.seed, &[salt, i as u64, 0x5E_5E]));
            let mut sequence = 0;
            let mut modified = created;
            // The continuation of a Google "this and following" split.
            if dialect == Dialect::Google
                && first >= org.start
                && d.kind == SeriesKind::TeamRitual
                && i > 0
            {
                uid = make_uid(dialect, uid_key(org.seed, &[salt, (i - 1) as u64, 0x5E_5E]));
                let stamp = d
                    .zone
                    .utc(first.and_time(minute_time(d.minute)))
                    .format("%Y%m%dT%H%M%S")
                    .to_string();
                uid = uid.replacen("@google.com", &format!("_R{stamp}@google.com"), 1);
                sequence = 1;
                modified = d.zone.utc(first.and_time(minute_time(9 * 60))) - Duration::days(3);
            }
            if let SeriesEnd::Until(last) = d.end
                && last < org.end()
            {
                // Ending a series is an edit: a later SEQUENCE.
                sequence += 1;
                modified = d.zone.utc(last.and_time(minute_time(9 * 60)))
                    - Duration::days(rng.range(2, 6));
            }
            let _ = organizer;
            Series {
                uid,
                title: d.title,
                kind: d.kind,
                organizer: d.organizer,
                invitees: answers,
                externals: Vec::new(),
                group: d.kind == SeriesKind::AllHands,
                zone: d.zone,
                first,
                minute: d.minute,
                minutes: d.minutes,
                rule: d.rule,
                end: d.end,
                created,
                modified,
                sequence,
                description: d.description,
                after_hours_ok: accept_after_hours,
            }
        })
        .collect()
}

/// A local start for a 1:1 that fits both people's hours when possible.
fn shared_minute(org: &Org, a: usize, b: usize, minutes: u32, k: usize, rng: &mut Rng) -> u32 {
    let pa = &org.people[a];
    let pb = &org.people[b];
    let probe = org.start + Duration::days(15);
    let mut candidates = Vec::new();
    let mut m = pa.hours.start();
    while m + minutes <= pa.hours.end() {
        let start = pa.zone.utc(probe.and_time(minute_time(m)));
        let end = start + Duration::minutes(i64::from(minutes) - 1);
        if pa.in_working_time_ignoring_absence(start)
            && pa.in_working_time_ignoring_absence(end)
            && pb.in_working_time_ignoring_absence(start)
            && pb.in_working_time_ignoring_absence(end)
        {
            candidates.push(m);
        }
        m += 30;
    }
    if candidates.is_empty() {
        // No shared hours: the lead's first half hour of the day (early for
        // one of them, late for the other).
        return pa.hours.start().saturating_sub(60);
    }
    // Afternoons first, spread by report.
    let i = (k + rng.index(2)) % candidates.len();
    candidates[candidates.len() - 1 - i]
}

/// The weekday before a date (Friday for a Monday).
fn last_weekday_before(date: NaiveDate) -> NaiveDate {
    let mut d = date - Duration::days(1);
    while d.weekday().num_days_from_monday() >= 5 {
        d -= Duration::days(1);
    }
    d
}

/// Working-time tests on the usual week, without absences (series are
/// planned for the usual week).
pub(crate) trait UsualHours {
    /// True when the instant lies in working time on a working weekday.
    fn in_working_time_ignoring_absence(&self, at: DateTime<Utc>) -> bool;
    /// True when one working range of one working weekday holds the whole
    /// meeting (a meeting over a split day's lunch break does not fit).
    fn holds(&self, start: DateTime<Utc>, minutes: u32) -> bool;
}

impl UsualHours for crate::org::Person {
    fn in_working_time_ignoring_absence(&self, at: DateTime<Utc>) -> bool {
        use chrono::Timelike;
        let local = self.zone.local(at);
        self.hours.works_on(local.weekday())
            && self
                .hours
                .contains_minute(local.hour() * 60 + local.minute())
    }

    fn holds(&self, start: DateTime<Utc>, minutes: u32) -> bool {
        use chrono::Timelike;
        let s = self.zone.local(start);
        let e = self
            .zone
            .local(start + Duration::minutes(i64::from(minutes)));
        let (ms, me) = (s.hour() * 60 + s.minute(), e.hour() * 60 + e.minute());
        let me = if e.date() > s.date() && me == 0 {
            24 * 60
        } else {
            me
        };
        self.hours.works_on(s.weekday())
            && (e.date() == s.date() || me == 24 * 60)
            && self.hours.ranges.iter().any(|&(a, b)| a <= ms && me <= b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org() -> Org {
        Org::build(
            42,
            60,
            13,
            NaiveDate::from_ymd_opt(2026, 8, 31).unwrap(),
            crate::preset::Difficulty::Easy,
        )
    }

    #[test]
    fn rules_give_the_expected_dates() {
        let o = org();
        let team = o
            .teams
            .iter()
            .find(|t| t.archetype == Archetype::Healthy)
            .unwrap();
        let sched = Schedule::for_team(&o, team);
        let standup = sched
            .series
            .iter()
            .find(|s| s.kind == SeriesKind::Standup)
            .unwrap();
        // Until the Friday before week 7 (2026-10-09): 6 weeks x 5 weekdays in the window.
        let in_window = standup
            .dates(o.end())
            .into_iter()
            .filter(|d| *d >= o.start)
            .count();
        assert_eq!(in_window, 30);
        assert_eq!(
            standup.end,
            SeriesEnd::Until(NaiveDate::from_ymd_opt(2026, 10, 9).unwrap())
        );
        let monthly = Series {
            rule: Rule::MonthlyNth {
                day: Weekday::Thu,
                nth: 1,
            },
            first: o.start,
            end: SeriesEnd::Never,
            ..standup.clone()
        };
        let got: Vec<String> = monthly
            .dates(o.end())
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(got, ["2026-09-03", "2026-10-01", "2026-11-05"]);
        let counted = Series {
            rule: Rule::Weekly {
                days: TUE,
                interval: 2,
            },
            first: o.start,
            end: SeriesEnd::Count(3),
            ..standup.clone()
        };
        let got: Vec<String> = counted
            .dates(o.end())
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(got, ["2026-09-01", "2026-09-15", "2026-09-29"]);
    }

    #[test]
    fn uids_look_like_their_exporters() {
        let g = make_uid(Dialect::Google, 7);
        assert!(g.ends_with("@google.com") && g.len() == 26 + 11, "{g}");
        let o = make_uid(Dialect::Outlook, 7);
        assert!(
            o.starts_with("040000008200E00074C5B7101A82E008") && o.len() == 112,
            "{o} {}",
            o.len()
        );
    }
}
