//! Per-team hour-of-week histograms (meeting hours, messages, after-hours
//! messages) and the event examples of findings, from the same inputs as
//! the signals: [`CalendarScan`] reads the people's calendars once more
//! (with [`crate::meetings::person_meetings`], the signals' own meeting
//! rules), and [`ChatScan`] takes the chat stream message by message
//! beside [`crate::Analysis::add_message`].
//!
//! Hours of the week are on each person's own wall clock (Monday 00:00 is
//! cell 0), so "Tuesday 22:00" means 22:00 where that person is. After-hours
//! messages are judged against the working-hours template (days away are
//! not removed here; the signals do remove them). Histograms are sums over
//! the window; [`TeamActivity::weeks`] divides them into weekly means.

use super::FindingId;
use super::examples::{Example, Examples, Place, When};
use super::hash::HashKey;
use crate::PersonData;
use crate::analysis::Signals;
use crate::intervals::hours;
use crate::meetings::{PersonMeetings, Who, person_meetings};
use crate::params::Params;
use crate::resolve::Resolver;
use crate::week::{Week, Window, WorkClock, WorkingDays};
use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use chrono_tz::Tz;
use fulcrum_model::chat::{ChatMessage, Conversation, ConversationKind, MessageKind};
use fulcrum_model::fxhash::{FxHashMap, FxHashSet};
use fulcrum_model::{Interval, Person};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Sums per hour of the week, Monday 00:00-01:00 first (168 cells).
#[derive(Debug, Clone, PartialEq)]
pub struct HourOfWeek {
    /// The cells: `weekday * 24 + hour`, Monday = 0.
    pub cells: Vec<f64>,
}

impl Default for HourOfWeek {
    fn default() -> Self {
        HourOfWeek {
            cells: vec![0.0; 168],
        }
    }
}

impl HourOfWeek {
    /// The cell of a local time.
    pub fn cell(local: &impl Datelike, hour: u32) -> usize {
        local.weekday().num_days_from_monday() as usize * 24 + hour.min(23) as usize
    }

    /// Adds the hours of `interval` to the cells it covers on `tz`'s wall clock.
    pub fn add_interval(&mut self, interval: Interval, tz: &Tz) {
        let mut t = interval.start;
        // Meetings are shorter than 12 h: at most 13 cells (more across a DST change).
        let mut guard = 0;
        while t < interval.end && guard < 64 {
            guard += 1;
            let local = t.with_timezone(tz);
            let into_hour = Duration::seconds(i64::from(local.minute() * 60 + local.second()));
            let next = (t - into_hour + Duration::hours(1)).min(interval.end);
            let next = if next <= t { interval.end } else { next };
            self.cells[Self::cell(&local, local.hour())] += hours(next - t);
            t = next;
        }
    }

    /// Sum of all cells.
    pub fn total(&self) -> f64 {
        self.cells.iter().sum()
    }

    fn add(&mut self, other: &HourOfWeek) {
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            *a += b;
        }
    }
}

/// One team's histograms over the window.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamActivity {
    /// The team.
    pub team: String,
    /// Weeks in the window (divide by this for weekly means).
    pub weeks: u32,
    /// Attended meeting person-hours by local hour of week.
    pub meeting_hours: HourOfWeek,
    /// Members with a calendar (the privacy rule counts these).
    pub people_with_calendar: u32,
    /// Messages sent by local hour of week.
    pub messages: HourOfWeek,
    /// Messages sent outside the sender's working hours, by local hour of week.
    pub after_hours_messages: HourOfWeek,
    /// Members who sent at least one message.
    pub people_in_chat: u32,
    /// The recurring series members attended whose organizer is known by
    /// the same key as `organizer_concentration`'s top organizer (a
    /// member's list email, or an unlisted address), most person-hours
    /// first: the report names the one to rotate.
    pub organized_series: Vec<OrganizedSeries>,
}

/// A recurring series by its organizer, for naming the one to rotate.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizedSeries {
    /// The organizer's key: a member's list email or an unlisted address.
    pub organizer: String,
    /// The keyed hash of the title (`#3fa9c2`), never the title.
    pub label: String,
    /// The series' UID (its short id is `series_short_id` of it).
    pub uid: Arc<str>,
    /// Members' person-hours in it over the window.
    pub person_hours: f64,
}

impl TeamActivity {
    /// The series `organizer` organizes with the most person-hours.
    pub fn top_series_of(&self, organizer: &str) -> Option<&OrganizedSeries> {
        self.organized_series
            .iter()
            .find(|s| s.organizer.eq_ignore_ascii_case(organizer))
    }
}

/// Every team's histograms, by team name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Activity {
    /// One entry per team, sorted by name.
    pub teams: Vec<TeamActivity>,
}

impl Activity {
    /// One team's entry.
    pub fn team(&self, name: &str) -> Option<&TeamActivity> {
        self.teams.iter().find(|t| t.team == name)
    }
}

#[derive(Debug, Default)]
struct SeriesStats {
    label: String,
    first: Option<(DateTime<Utc>, Tz)>,
    occurrences: FxHashSet<DateTime<Utc>>,
    person_hours: f64,
    after_hours: f64,
    ends: bool,
    /// A member's list email when a member organizes it, else the
    /// organizer's address when it is not on the list.
    organizer: Option<String>,
}

#[derive(Debug, Default)]
struct TeamCalendar {
    meeting_hours: HourOfWeek,
    people: u32,
    small: Vec<Example>,
    short_notice: Vec<Example>,
    conflicts: Vec<Example>,
    seen: FxHashSet<(Arc<str>, DateTime<Utc>)>,
    conflict_seen: FxHashSet<(DateTime<Utc>, DateTime<Utc>)>,
    /// Recurring series attended by members, by UID.
    series: FxHashMap<Arc<str>, SeriesStats>,
    /// One-off and recurring meetings organized by members without an
    /// agenda or an outcome, by UID: (label, first start and zone, occurrences, what is missing).
    bare: FxHashMap<Arc<str>, Bare>,
}

/// A meeting without an agenda or outcome: its title label, first start
/// and zone, the starts of its occurrences, and what is missing.
type Bare = (
    String,
    DateTime<Utc>,
    Tz,
    FxHashSet<DateTime<Utc>>,
    &'static str,
);

/// The calendar half: meeting-hour histograms and calendar examples.
#[derive(Debug, Default)]
pub struct CalendarScan {
    teams: BTreeMap<String, TeamCalendar>,
    weeks: u32,
}

fn window_bounds(window: &Window, tz: &Tz) -> Option<Interval> {
    let weeks = window.weeks();
    let first = weeks.first()?.bounds_in(tz);
    let last = weeks.last()?.bounds_in(tz);
    Some(Interval::new(first.start, last.end))
}

fn minutes(d: Duration) -> i64 {
    d.num_minutes()
}

impl CalendarScan {
    /// Reads every person's calendar with the signals' meeting rules.
    /// `key` hashes meeting titles. The same as [`CalendarScan::begin`]
    /// and [`CalendarScan::add_person`] for each person in order.
    pub fn new(
        people: &[PersonData],
        window: Window,
        params: &Params,
        addresses: &dyn Resolver,
        key: &HashKey,
    ) -> CalendarScan {
        let bounded = |k: &str| addresses.person(k).filter(|i| *i < people.len());
        let mut scan = CalendarScan::begin(&window);
        for (index, data) in people.iter().enumerate() {
            let meetings = data
                .calendar
                .as_ref()
                .map(|calendar| person_meetings(index, &data.person, calendar, params, &bounded));
            scan.add_person(&data.person, meetings.as_ref(), &window, params, key);
        }
        scan
    }

    /// A scan of nobody yet.
    pub fn begin(window: &Window) -> CalendarScan {
        CalendarScan {
            teams: BTreeMap::new(),
            weeks: window.weeks().len() as u32,
        }
    }

    /// Adds one person with their meetings ([`person_meetings`] over their
    /// calendar; `None` without a calendar). People are added in list order:
    /// examples seen in two calendars are kept from the first.
    pub fn add_person(
        &mut self,
        p: &Person,
        meetings: Option<&PersonMeetings>,
        window: &Window,
        params: &Params,
        key: &HashKey,
    ) {
        let short = Duration::minutes(i64::from(params.short_meeting_minutes));
        {
            let team = self.teams.entry(p.team.clone()).or_default();
            let Some(meetings) = meetings else {
                return;
            };
            team.people += 1;
            let Some(bounds) = window_bounds(window, &p.tz) else {
                return;
            };
            let clock = WorkClock::new(p.tz, p.working_hours.clone(), BTreeSet::new());
            let mut label_cache: FxHashMap<usize, String> = FxHashMap::default();
            for m in &meetings.attended {
                let Some(part) = m.interval.intersect(&bounds) else {
                    continue;
                };
                team.meeting_hours.add_interval(part, &p.tz);
                let starts_inside = m.interval.start >= bounds.start;
                let label = label_cache
                    .entry(Arc::as_ptr(&m.details) as usize)
                    .or_insert_with(|| key.title_label(&m.details.summary))
                    .clone();
                let len = m.interval.duration();
                if m.recurring {
                    let s = team.series.entry(m.uid.clone()).or_default();
                    if s.label.is_empty() {
                        s.label = label.clone();
                    }
                    if s.first.is_none_or(|(f, _)| m.interval.start < f) {
                        s.first = Some((m.interval.start, p.tz));
                    }
                    s.occurrences.insert(m.interval.start);
                    s.person_hours += hours(part.duration());
                    s.after_hours += hours(after_hours(&clock, part));
                    s.ends = m.details.series.series_ends;
                    if s.organizer.is_none() {
                        s.organizer = if m.organized_by_me {
                            Some(p.email.clone())
                        } else if let Some(Who::Address(a)) = &m.organizer {
                            Some(a.clone())
                        } else {
                            None
                        };
                    }
                }
                if m.organized_by_me && starts_inside {
                    let d = &m.details.description;
                    let missing = match (d.has_agenda, d.has_outcome) {
                        (false, false) => Some("no agenda and no stated outcome"),
                        (true, false) => Some("no stated outcome"),
                        (false, true) => Some("no agenda"),
                        (true, true) => None,
                    };
                    if let Some(missing) = missing {
                        let e = team.bare.entry(m.uid.clone()).or_insert_with(|| {
                            (
                                label.clone(),
                                m.interval.start,
                                p.tz,
                                FxHashSet::default(),
                                missing,
                            )
                        });
                        e.3.insert(m.interval.start);
                    }
                }
                if m.recurring || !starts_inside {
                    continue;
                }
                let first_copy = team.seen.insert((m.uid.clone(), m.interval.start));
                if !first_copy {
                    continue;
                }
                let at = When::At {
                    at: m.interval.start,
                    zone: p.tz,
                };
                if len <= short {
                    team.small.push(Example {
                        when: at.clone(),
                        place: Place::Meeting(label.clone()),
                        detail: format!(
                            "one-off, {} min, {} participants",
                            minutes(len),
                            m.participants
                        ),
                    });
                }
                if m.short_notice(params) == Some(true)
                    && let Some(invite) = m.invite
                {
                    let ahead = m.interval.start - invite.at();
                    let detail = if ahead < Duration::zero() {
                        format!(
                            "put on the calendar {} min after it started",
                            -minutes(ahead)
                        )
                    } else if ahead < Duration::hours(2) {
                        format!("booked {} min before it started", minutes(ahead))
                    } else {
                        format!("booked {} h before it started", ahead.num_hours())
                    };
                    team.short_notice.push(Example {
                        when: at,
                        place: Place::Meeting(label),
                        detail: format!("{detail}, {} min", minutes(len)),
                    });
                }
            }
            // Conflicts: overlaps of non-declined meetings (sorted by start).
            let mut reach: Option<Interval> = None;
            for i in &meetings.not_declined {
                if let Some(r) = reach
                    && i.start < r.end
                    && i.start >= bounds.start
                    && i.start < bounds.end
                {
                    let overlap = Interval::new(i.start, i.end.min(r.end));
                    if team.conflict_seen.insert((overlap.start, overlap.end)) {
                        team.conflicts.push(Example {
                            when: When::At {
                                at: overlap.start,
                                zone: p.tz,
                            },
                            place: Place::Calendar,
                            detail: format!(
                                "two meetings overlap for {} min",
                                minutes(overlap.duration())
                            ),
                        });
                    }
                }
                reach = match reach {
                    Some(r) if r.end >= i.end => Some(r),
                    _ => Some(*i),
                };
            }
        }
    }
}

/// The part of `part` outside the template working time of `clock`.
fn after_hours(clock: &WorkClock, part: Interval) -> Duration {
    let tz = clock.tz();
    let first = part.start.with_timezone(tz).date_naive();
    let last = part.end.with_timezone(tz).date_naive();
    let mut working = Vec::new();
    let mut d = first.pred_opt().unwrap_or(first);
    while d <= last {
        working.extend(clock.template_on(d));
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    let working = fulcrum_model::union_of(working);
    let inside: Duration = crate::intervals::intersect(&[part], &working)
        .iter()
        .map(Interval::duration)
        .sum();
    part.duration() - inside
}

#[derive(Debug, Default)]
struct TeamChat {
    messages: HourOfWeek,
    after_hours: HourOfWeek,
    writers: FxHashSet<usize>,
    /// The earliest cross-time-zone ask received per week of the window.
    pings: BTreeMap<usize, Example>,
}

/// The chat half: message histograms and late-night ping examples, fed
/// one message at a time.
#[derive(Debug)]
pub struct ChatScan {
    clocks: Vec<WorkClock>,
    /// [`WorkClock::is_working`] of `clocks`, memoized (same order).
    working: Vec<WorkingDays>,
    team_of: Vec<usize>,
    team_names: Vec<String>,
    teams: Vec<TeamChat>,
    weeks: Vec<Week>,
    dm_members: FxHashMap<Arc<str>, Vec<usize>>,
}

impl ChatScan {
    /// A scan for these people (the same list, in the same order, as the
    /// analysis).
    pub fn new(people: &[Person], window: Window) -> ChatScan {
        let mut team_names: Vec<String> = people.iter().map(|p| p.team.clone()).collect();
        team_names.sort();
        team_names.dedup();
        let team_of = people
            .iter()
            .map(|p| team_names.binary_search(&p.team).unwrap_or(0))
            .collect();
        let teams = team_names.iter().map(|_| TeamChat::default()).collect();
        ChatScan {
            clocks: people
                .iter()
                .map(|p| WorkClock::new(p.tz, p.working_hours.clone(), BTreeSet::new()))
                .collect(),
            working: vec![WorkingDays::new(); people.len()],
            team_of,
            team_names,
            teams,
            weeks: window.weeks(),
            dm_members: FxHashMap::default(),
        }
    }

    fn week_index(&self, at: DateTime<Utc>, tz: &Tz) -> Option<usize> {
        self.weeks.binary_search(&Week::of_instant(at, tz)).ok()
    }

    /// Takes one message into account (the same call as
    /// [`crate::Analysis::add_message`]).
    pub fn add_message(&mut self, c: &Conversation, m: &ChatMessage, users: &dyn Resolver) {
        if m.kind != MessageKind::Person {
            return;
        }
        let n = self.clocks.len();
        let resolve = |k: &str| users.person(k).filter(|i| *i < n);
        let Some(author) = m.author.as_deref().and_then(resolve) else {
            return;
        };
        let tz = *self.clocks[author].tz();
        if self.week_index(m.at, &tz).is_none() {
            return;
        }
        let sender_working = self.working[author].is_working(&self.clocks[author], m.at);
        let local = m.at.with_timezone(&tz);
        let cell = HourOfWeek::cell(&local, local.hour());
        let team = &mut self.teams[self.team_of[author]];
        team.messages.cells[cell] += 1.0;
        team.writers.insert(author);
        if !sender_working {
            team.after_hours.cells[cell] += 1.0;
            // An after-hours message asks nobody across zones.
            return;
        }
        // Recipients, as the signals count asks.
        let recipients: Vec<usize> = if c.kind == ConversationKind::Dm {
            let members = self
                .dm_members
                .entry(c.id.clone())
                .or_insert_with(|| c.members.iter().filter_map(|u| resolve(u)).collect());
            members.iter().copied().filter(|r| *r != author).collect()
        } else {
            let mut r: Vec<usize> = m
                .mentions
                .users
                .iter()
                .filter(|u| m.author.as_deref() != Some(u.as_str()))
                .filter_map(|u| resolve(u))
                .filter(|r| *r != author)
                .collect();
            r.sort_unstable();
            r.dedup();
            r
        };
        for r in recipients {
            let clock = &self.clocks[r];
            if self.working[r].is_working(clock, m.at) {
                continue;
            }
            let rtz = *clock.tz();
            let Some(w) = self.week_index(m.at, &rtz) else {
                continue;
            };
            let place = match c.kind {
                ConversationKind::Channel => Place::Channel(c.name.clone()),
                ConversationKind::Private => Place::PrivateChannel,
                ConversationKind::Dm => Place::DirectMessage,
                ConversationKind::GroupDm => Place::GroupMessage,
            };
            let sender_local = m.at.with_timezone(&tz);
            let example = Example {
                when: When::At {
                    at: m.at,
                    zone: rtz,
                },
                place,
                detail: format!(
                    "sent at {} in the sender's zone ({}), outside the recipient's working hours",
                    sender_local.format("%H:%M"),
                    tz.name()
                ),
            };
            let slot = self.teams[self.team_of[r]].pings.entry(w);
            match slot {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(example);
                }
                std::collections::btree_map::Entry::Occupied(mut o) => {
                    let key = |e: &Example| (e.sort_key(), e.place.describe());
                    if key(&example) < key(o.get()) {
                        o.insert(example);
                    }
                }
            }
        }
    }
}

/// Puts the two scans and the escalated threads of `signals` together.
pub fn finish(calendar: CalendarScan, chat: ChatScan, signals: &Signals) -> (Activity, Examples) {
    let mut examples = Examples::default();
    let mut by_team: BTreeMap<String, TeamActivity> = BTreeMap::new();
    let blank = |team: &str, weeks: u32| TeamActivity {
        team: team.to_owned(),
        weeks,
        meeting_hours: HourOfWeek::default(),
        people_with_calendar: 0,
        messages: HourOfWeek::default(),
        after_hours_messages: HourOfWeek::default(),
        people_in_chat: 0,
        organized_series: Vec::new(),
    };
    let weeks = signals.weeks.len() as u32;
    for (name, t) in calendar.teams {
        let a = by_team
            .entry(name.clone())
            .or_insert_with(|| blank(&name, weeks.max(calendar.weeks)));
        a.meeting_hours.add(&t.meeting_hours);
        a.people_with_calendar = t.people;
        examples.add(&name, FindingId::MeetingsClearSmallBlockers, t.small);
        examples.add(&name, FindingId::HuddlesAfterSurprises, t.short_notice);
        examples.add(&name, FindingId::CalendarConflicts, t.conflicts);
        // Ties (equal hours and title label) are broken by the first start
        // and then the UID, so the pick never depends on hash-map order.
        let mut series: Vec<(&Arc<str>, &SeriesStats)> = t.series.iter().collect();
        series.sort_by(|(ua, a), (ub, b)| {
            b.person_hours
                .total_cmp(&a.person_hours)
                .then(a.label.cmp(&b.label))
                .then(a.first.map(|f| f.0).cmp(&b.first.map(|f| f.0)))
                .then(ua.cmp(ub))
        });
        a.organized_series = series
            .iter()
            .filter_map(|(uid, s)| {
                Some(OrganizedSeries {
                    organizer: s.organizer.clone()?,
                    label: s.label.clone(),
                    uid: Arc::clone(uid),
                    person_hours: s.person_hours,
                })
            })
            .collect();
        let series: Vec<&SeriesStats> = series.into_iter().map(|(_, s)| s).collect();
        let describe = |s: &SeriesStats, what: &str| {
            let (at, zone) = s.first.unwrap_or((DateTime::<Utc>::MIN_UTC, Tz::UTC));
            Example {
                when: When::At { at, zone },
                place: Place::Meeting(s.label.clone()),
                detail: format!(
                    "{what}: {} occurrences, {:.0} person-hours in the window",
                    s.occurrences.len(),
                    s.person_hours
                ),
            }
        };
        let top = |filter: &dyn Fn(&SeriesStats) -> bool, what: &str| -> Vec<Example> {
            series
                .iter()
                .filter(|s| filter(s))
                .take(super::examples::MAX_EXAMPLES)
                .map(|s| describe(s, what))
                .collect()
        };
        examples.add(
            &name,
            FindingId::MeetingOverload,
            top(&|_| true, "recurring series"),
        );
        examples.add(
            &name,
            FindingId::RecurringSprawl,
            top(&|s| !s.ends, "recurring series without an end date"),
        );
        let mut burden: Vec<(&Arc<str>, &SeriesStats)> = t
            .series
            .iter()
            .filter(|(_, s)| s.after_hours >= 0.5)
            .collect();
        burden.sort_by(|(ua, a), (ub, b)| {
            b.after_hours
                .total_cmp(&a.after_hours)
                .then(a.label.cmp(&b.label))
                .then(a.first.map(|f| f.0).cmp(&b.first.map(|f| f.0)))
                .then(ua.cmp(ub))
        });
        let burden: Vec<&SeriesStats> = burden.into_iter().map(|(_, s)| s).collect();
        examples.add(
            &name,
            FindingId::UnfairTzBurden,
            burden
                .iter()
                .take(super::examples::MAX_EXAMPLES)
                .map(|s| {
                    let (at, zone) = s.first.unwrap_or((DateTime::<Utc>::MIN_UTC, Tz::UTC));
                    Example {
                        when: When::At { at, zone },
                        place: Place::Meeting(s.label.clone()),
                        detail: format!(
                            "recurring series: {:.0} of its {:.0} person-hours fall outside someone's working hours",
                            s.after_hours, s.person_hours
                        ),
                    }
                })
                .collect(),
        );
        // Ties broken by first start and UID, as for the series above.
        let mut bare: Vec<(Arc<str>, Bare)> = t.bare.into_iter().collect();
        bare.sort_by(|(ua, a), (ub, b)| {
            b.3.len()
                .cmp(&a.3.len())
                .then(a.0.cmp(&b.0))
                .then(a.1.cmp(&b.1))
                .then(ua.cmp(ub))
        });
        examples.add(
            &name,
            FindingId::MeetingsWithoutArtifacts,
            bare.into_iter()
                .take(super::examples::MAX_EXAMPLES)
                .map(|(_, (label, at, zone, occ, missing))| Example {
                    when: When::At { at, zone },
                    place: Place::Meeting(label),
                    detail: format!("{missing} in the invite; {} occurrences", occ.len()),
                })
                .collect(),
        );
    }
    for (i, t) in chat.teams.into_iter().enumerate() {
        let name = &chat.team_names[i];
        let a = by_team
            .entry(name.clone())
            .or_insert_with(|| blank(name, weeks));
        a.messages.add(&t.messages);
        a.after_hours_messages.add(&t.after_hours);
        a.people_in_chat = t.writers.len() as u32;
        examples.add(
            name,
            FindingId::LateNightPings,
            t.pings.into_values().collect(),
        );
    }
    for e in &signals.escalations {
        let place = match e.kind {
            ConversationKind::Channel => Place::Channel(e.conversation.clone()),
            ConversationKind::Private => Place::PrivateChannel,
            ConversationKind::Dm => Place::DirectMessage,
            ConversationKind::GroupDm => Place::GroupMessage,
        };
        let ending = if e.ended_with_call {
            "ended with a call or huddle"
        } else {
            "followed by a short-notice meeting"
        };
        examples.add(
            &e.team,
            FindingId::ThreadsEndInSuddenMeetings,
            vec![Example {
                when: When::At {
                    at: e.last_message,
                    zone: Tz::UTC,
                },
                place,
                detail: format!(
                    "thread of {} messages among {} people without a decision, {ending}",
                    e.messages, e.participants
                ),
            }],
        );
    }
    (
        Activity {
            teams: by_team.into_values().collect(),
        },
        examples,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_interval_is_split_over_local_hours() {
        // 2024-03-05 (a Tuesday) 09:30-11:15 UTC in Berlin (UTC+1):
        // 10:30-11:00 (0.5 h), 11:00-12:00 (1 h), 12:00-12:15 (0.25 h).
        let start = Utc.with_ymd_and_hms(2024, 3, 5, 9, 30, 0).unwrap();
        let end = Utc.with_ymd_and_hms(2024, 3, 5, 11, 15, 0).unwrap();
        let mut h = HourOfWeek::default();
        h.add_interval(Interval::new(start, end), &chrono_tz::Europe::Berlin);
        assert_eq!(h.cells[24 + 10], 0.5);
        assert_eq!(h.cells[24 + 11], 1.0);
        assert_eq!(h.cells[24 + 12], 0.25);
        assert!((h.total() - 1.75).abs() < 1e-12);
    }

    #[test]
    fn after_hours_part_of_a_meeting() {
        // 16:00-18:30 local in New York on a weekday with 09:00-17:00:
        // 1.5 h outside.
        let ny = chrono_tz::America::New_York;
        let clock = WorkClock::new(ny, fulcrum_model::WorkingHours::standard(), BTreeSet::new());
        let s = ny
            .with_ymd_and_hms(2024, 3, 5, 16, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        let e = ny
            .with_ymd_and_hms(2024, 3, 5, 18, 30, 0)
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            after_hours(&clock, Interval::new(s, e)),
            Duration::minutes(90)
        );
    }
}
