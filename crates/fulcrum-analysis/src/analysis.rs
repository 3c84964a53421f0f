//! The driver: people and calendars in, chat streamed through, signals out.
//!
//! ```text
//! Analysis::new(people, window, params, addresses)   calendars -> per person-week calendar signals
//!   .add_message(conversation, message, users)       once per chat message, any order
//!   .add_work_item(..) / .add_pulse(..)               optional sources
//!   .finish() -> Signals                              latencies, escalations, team-weeks, coverage
//! ```
//!
//! Work is per person (calendars) or per message (chat); nothing compares
//! every person with every other. Memory after `new` grows with person-weeks
//! and, while chat streams, with asks, threads and one time per message
//! that could answer an ask (see [`crate::chat`]); never with message text.

use crate::calendar::{CalendarWeek, Interruptions, calendar_week};
use crate::chat::{ChatCounts, ChatState, EscalationCandidate, EscalationMeetings};
use crate::coverage::{Coverage, CoverageFact, CoverageKey};
use crate::intervals::{hours, total};
use crate::meetings::{
    Exclusion, InviteTime, PersonMeetings, Who, event_interval, participants, person_meetings,
};
use crate::params::Params;
use crate::person::{ChatWeek, PersonState, WeekIndex};
use crate::resolve::{Resolver, normalize};
use crate::signal::{Concentration, Measured, Ratio, SignalId, Unknown, Value};
use crate::team::{
    HYGIENE, HygieneMeeting, OrganizerHours, TeamSignal, TeamValue, TeamWeek, TeamWeeks, aggregate,
    overlap, pooled_latency, team_value, tz_burden,
};
use crate::week::{Week, Window, WorkClock, WorkingDays, away_days};
use crate::{PersonData, PulseAnswer, WorkItem};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use fulcrum_model::chat::{ChatMessage, Conversation, ConversationKind};
use fulcrum_model::fxhash::FxHashMap;
use fulcrum_model::{Interval, Occurrence, Person};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// Whom per-person values are about, so a report can decide who sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitivity {
    /// About one person: for that person, or for an analyst who asked
    /// explicitly and was warned (SIGNALS.md, Privacy).
    Individual,
}

/// One person's weeks.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonWeeks {
    /// Index of the person in the input.
    pub person: usize,
    /// Their email.
    pub email: String,
    /// Their team.
    pub team: String,
    /// Always [`Sensitivity::Individual`]: these values are about one person.
    pub sensitivity: Sensitivity,
    /// One entry per week of the window.
    pub weeks: Vec<PersonWeek>,
}

/// The signals of one person-week.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonWeek {
    /// The week, in the person's zone.
    pub week: Week,
    /// Calendar signals, or why there are none.
    pub calendar: Result<CalendarWeek, Unknown>,
    /// Chat signals, or why there are none.
    pub chat: Result<ChatWeek, Unknown>,
    /// `uninterrupted_hours` (needs both).
    pub uninterrupted_hours: Result<f64, Unknown>,
    /// `interrupted_hours` (needs both).
    pub interrupted_hours: Result<f64, Unknown>,
    /// `multitasking_hours` and the `low_quality_meeting_*` signals (needs both).
    pub meeting_quality: Result<crate::joined::MeetingQuality, Unknown>,
    /// `flexibility_index`: the qualifying days' scores over their number.
    pub flexibility: Result<Ratio, Unknown>,
    /// `sync_share` (an estimate): meeting hours / (meeting hours + async hours).
    pub sync_share: Result<Ratio, Unknown>,
    /// Away most of the week: working time under half of the usual week
    /// (days off from out-of-office events). The person's own values stay;
    /// team values leave the week out, so a holiday does not pass for a
    /// change in how the team works.
    pub away: bool,
}

impl PersonWeek {
    /// The value of a person signal; `None` for team-only signals.
    pub fn get(&self, id: SignalId) -> Option<Measured> {
        use SignalId::*;
        let n = |x: f64| Value::Number(x);
        let cal = |f: &dyn Fn(&CalendarWeek) -> Measured| {
            self.calendar.as_ref().map_err(|e| *e).and_then(f)
        };
        let chat =
            |f: &dyn Fn(&ChatWeek) -> Measured| self.chat.as_ref().map_err(|e| *e).and_then(f);
        let needs_work = |c: &CalendarWeek, x: f64| {
            if c.working_hours > 0.0 {
                Ok(n(x))
            } else {
                Err(Unknown::NoWorkingTime)
            }
        };
        Some(match id {
            MeetingHours => cal(&|c| Ok(n(c.meeting_hours))),
            MeetingCount => cal(&|c| Ok(n(f64::from(c.meeting_count)))),
            MeetingShare => cal(&|c| {
                Ratio::new(c.meeting_hours_in_working_time, c.working_hours)
                    .known_or(Unknown::NoWorkingTime)
            }),
            ConflictHours => cal(&|c| Ok(n(c.conflict_hours))),
            FocusHours => cal(&|c| needs_work(c, c.focus_hours)),
            Open1hBlocks => cal(&|c| needs_work(c, f64::from(c.open_1h_blocks))),
            Open2hBlocks => cal(&|c| needs_work(c, f64::from(c.open_2h_blocks))),
            FragmentedHours => cal(&|c| needs_work(c, c.fragmented_hours)),
            Fragmentation => cal(&|c| {
                let why = if c.working_hours > 0.0 {
                    Unknown::NoFreeTime
                } else {
                    Unknown::NoWorkingTime
                };
                Ratio::new(c.fragmented_hours, c.focus_hours + c.fragmented_hours).known_or(why)
            }),
            UninterruptedHours => self.uninterrupted_hours.map(n),
            InterruptedHours => self.interrupted_hours.map(n),
            MultitaskingHours => self.meeting_quality.map(|q| n(q.multitasking_hours)),
            MultitaskingShare => self.meeting_quality.and_then(|q| {
                Ratio::new(q.multitasking_hours, q.meeting_hours).known_or(Unknown::NoMeetings)
            }),
            LowQualityMeetingHours => self.meeting_quality.map(|q| n(q.low_quality_hours)),
            LowQualityMeetingShare => self.meeting_quality.and_then(|q| {
                Ratio::new(q.low_quality_hours, q.meeting_hours).known_or(Unknown::NoMeetings)
            }),
            LowQualityMeetingCost => self.meeting_quality.map(|q| n(q.low_quality_cost)),
            FlexibilityIndex => self.flexibility.map(Value::Ratio),
            AfterHoursMeetingHours => cal(&|c| Ok(n(c.after_hours_meeting_hours))),
            ShortMeetings => cal(&|c| Ok(n(f64::from(c.short_meetings)))),
            ShortNoticeMeetings => cal(&|c| {
                Ok(Value::Ratio(Ratio::new(
                    f64::from(c.short_notice_meetings),
                    f64::from(c.notice_known),
                )))
            }),
            LargeLongMeetings => cal(&|c| Ok(n(f64::from(c.large_long_meetings)))),
            RecurringShare => cal(&|c| {
                Ratio::new(c.recurring_hours, c.meeting_hours).known_or(Unknown::NoMeetings)
            }),
            MessagesSent => chat(&|c| Ok(n(f64::from(c.messages_sent)))),
            AfterHoursMessages => chat(&|c| {
                Ok(Value::Ratio(Ratio::new(
                    f64::from(c.after_hours_messages),
                    f64::from(c.messages_sent),
                )))
            }),
            AfterHoursAsksReceived => chat(&|c| {
                Ok(Value::Ratio(Ratio::new(
                    f64::from(c.after_hours_asks_received),
                    f64::from(c.asks_received),
                )))
            }),
            CrossTzAsks => chat(&|c| {
                Ok(Value::Ratio(Ratio::new(
                    f64::from(c.cross_tz_asks),
                    f64::from(c.asks_received),
                )))
            }),
            ResponseLatency => chat(&|c| {
                if c.asks_received == 0 {
                    Err(Unknown::NoAsks)
                } else {
                    Ok(Value::Latency(c.latency))
                }
            }),
            SlaBreachRate => chat(&|c| {
                let why = if c.asks_received == 0 {
                    Unknown::NoAsks
                } else {
                    Unknown::NoDecidedAsks
                };
                Ratio::new(f64::from(c.sla_breaches), f64::from(c.sla_decided)).known_or(why)
            }),
            ThreadEscalations => chat(&|c| {
                if c.no_threads {
                    Err(Unknown::NoThreads)
                } else {
                    Ok(n(f64::from(c.thread_escalations)))
                }
            }),
            SyncShare => self.sync_share.map(Value::Ratio),
            LargeLongMeetingShare
            | SmallShortMeetingShare
            | DecisionSizedMeetingShare
            | UrgentMeetingHours
            | GeneratedWorkloadHours
            | CollaborationSpan
            | CollaborationSpanTeams
            | OutsideTeamShare => {
                cal(&|c| crate::viva::person_value(id, c).unwrap_or(Err(Unknown::NoCalendar)))
            }
            HygieneAgenda
            | HygieneOutcome
            | HygienePreread
            | HygieneTimebox
            | HygieneAttendees
            | HygieneSummary
            | HygieneSeriesEnd
            | OverlapHours
            | TzBurden
            | MeetingLoadGini
            | OrganizerConcentration
            | Throughput
            | Morale
            | WrittenAskLatency
            | WrittenAskBreachRate
            | UpdateCoverage
            | DecisionLatency
            | AsyncDecisionShare
            | IncidentReviewsOnTime => return None,
        })
    }

    /// Every person signal with its value, in [`SignalId::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (SignalId, Measured)> + '_ {
        SignalId::ALL
            .iter()
            .filter_map(|id| self.get(*id).map(|v| (*id, v)))
    }
}

/// Everything computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Signals {
    /// The weeks of the window (each person's own).
    pub weeks: Vec<Week>,
    /// Per person, in input order. Individual data: see [`Sensitivity`].
    pub people: Vec<PersonWeeks>,
    /// Per team, by team name.
    pub teams: Vec<TeamWeeks>,
    /// What the input allowed.
    pub coverage: Coverage,
    /// The escalated threads behind the team counts of
    /// `thread_escalations`, one per team and thread (examples for
    /// findings: where and when, never what was written).
    pub escalations: Vec<Escalation>,
    /// The pulse answers the team values of `morale` are means of, in the
    /// order given: individual data, read by experiments for the share of
    /// favourable answers (4-5). Empty without a pulse source.
    pub pulse: Vec<PulseAnswer>,
}

impl Signals {
    /// Marks every team-week that starts after `last` (the last day with
    /// data) as [`Unknown::AfterData`]: what calendars show for those weeks
    /// are plans (recurring series run on), not what happened, so findings
    /// judge nothing on them. Person-weeks keep their values. Returns the
    /// weeks marked.
    pub fn mark_after_data(&mut self, last: chrono::NaiveDate) -> Vec<Week> {
        let later: Vec<Week> = self
            .weeks
            .iter()
            .copied()
            .filter(|w| w.monday() > last)
            .collect();
        for team in &mut self.teams {
            for week in team.weeks.iter_mut().filter(|w| later.contains(&w.week)) {
                for s in &mut week.signals {
                    s.value = Err(Unknown::AfterData);
                }
            }
        }
        later
    }
}

/// A person-week with working time under this share of the usual week is
/// "away" (SIGNALS.md): left out of team values.
pub const AWAY_SHARE: f64 = 0.5;

/// An escalated thread, as counted for one team.
#[derive(Debug, Clone, PartialEq)]
pub struct Escalation {
    /// The team it is counted for.
    pub team: String,
    /// The team-week it is counted in.
    pub week: Week,
    /// Its last message.
    pub last_message: DateTime<Utc>,
    /// The conversation's name (a channel name; for DMs the export's id).
    pub conversation: String,
    /// The conversation's kind.
    pub kind: ConversationKind,
    /// Messages by people in it.
    pub messages: u32,
    /// Distinct participants.
    pub participants: u32,
    /// It ended with a call/huddle phrase or a huddle post (otherwise a
    /// short-notice meeting followed it).
    pub ended_with_call: bool,
}

#[derive(Debug, Default)]
struct CalendarCounts {
    excluded: HashMap<Exclusion, u64>,
    one_off: u64,
    created: u64,
    dtstamp: u64,
    organizer_known_hours: f64,
    meeting_person_hours: f64,
    away_days: u64,
}

/// One person's calendar worked out by [`Analysis::prepare_calendar`],
/// waiting to be folded in by [`Analysis::add_calendar`]. It holds what
/// crosses people as lists, in the order they were met, so the fold adds
/// them (floating-point sums included) exactly as one sequential pass would.
#[derive(Debug)]
pub struct PreparedCalendar {
    index: usize,
    state: PersonState,
    meetings: Option<PersonMeetings>,
    excluded: Vec<(Exclusion, u64)>,
    away_days: u64,
    /// (week, organizer, hours) of each attended meeting's part in a week.
    meeting_parts: Vec<(usize, Option<Who>, f64)>,
    /// One-off meetings, of them with a CREATED, of them with only a DTSTAMP.
    one_off: [u64; 3],
    hygiene: Vec<(MeetingKey, HygieneMeeting)>,
    escalation: Vec<EscalationCandidate>,
}

/// A meeting instance across calendars: its UID and start.
type MeetingKey = (Arc<str>, DateTime<Utc>);

/// The computation in progress. See the module docs for the order of calls.
#[derive(Debug)]
pub struct Analysis {
    params: Params,
    weeks: WeekIndex,
    people: Vec<PersonState>,
    organizer_hours: FxHashMap<(String, usize), OrganizerHours>,
    hygiene: FxHashMap<MeetingKey, HygieneMeeting>,
    escalation_meetings: EscalationMeetings,
    chat: ChatState,
    calendar_counts: CalendarCounts,
    work_items: Option<Vec<WorkItem>>,
    work_items_unresolved: u64,
    pulse: Option<Vec<PulseAnswer>>,
    workflow: Option<crate::written::WorkflowFacts>,
}

impl Analysis {
    /// Computes the calendar signals of every person-week. `people[i]` is
    /// person `i` for both resolvers; `addresses` resolves calendar
    /// addresses (organizers, attendees) to people. The same as
    /// [`Analysis::begin`], then [`Analysis::prepare_calendar`] and
    /// [`Analysis::add_calendar`] for each person in order.
    pub fn new(
        people: &[PersonData],
        window: Window,
        params: Params,
        addresses: &dyn Resolver,
    ) -> Analysis {
        let zones: Vec<Tz> = people.iter().map(|d| d.person.tz).collect();
        let mut analysis = Analysis::begin(window, params);
        for (index, data) in people.iter().enumerate() {
            let prepared = analysis.prepare_calendar(
                index,
                &data.person,
                data.calendar.as_deref(),
                data.in_chat,
                &zones,
                addresses,
            );
            analysis.add_calendar(prepared);
        }
        analysis
    }

    /// An analysis of nobody yet: people are added with
    /// [`Analysis::prepare_calendar`] and [`Analysis::add_calendar`].
    pub fn begin(window: Window, params: Params) -> Analysis {
        Analysis {
            params,
            weeks: WeekIndex::new(&window),
            people: Vec::new(),
            organizer_hours: FxHashMap::default(),
            hygiene: FxHashMap::default(),
            escalation_meetings: EscalationMeetings::default(),
            chat: ChatState::default(),
            calendar_counts: CalendarCounts::default(),
            work_items: None,
            work_items_unresolved: 0,
            pulse: None,
            workflow: None,
        }
    }

    /// Works out person `index`'s calendar on its own: everything that does
    /// not read another person's results, so people can be prepared in
    /// parallel. `zones[i]` is person `i`'s zone (its length is the number
    /// of people); `occurrences` is `None` without a calendar. The result
    /// goes to [`Analysis::add_calendar`].
    pub fn prepare_calendar(
        &self,
        index: usize,
        person: &Person,
        occurrences: Option<&[Occurrence]>,
        in_chat: bool,
        zones: &[Tz],
        addresses: &dyn Resolver,
    ) -> PreparedCalendar {
        // An index past the list (a resolver built for another list) is
        // nobody, not a panic.
        let bounded = |k: &str| addresses.person(k).filter(|i| *i < zones.len());
        let addresses: &dyn Resolver = &bounded;
        let params = &self.params;
        let weeks = &self.weeks;
        let p = person;
        let mine: HashSet<String> = std::iter::once(&p.email)
            .chain(&p.aliases)
            .map(|k| normalize(k))
            .collect();
        let me = |k: &str| {
            addresses
                .person(k)
                .or_else(|| mine.contains(&normalize(k)).then_some(index))
        };
        let all = occurrences.unwrap_or(&[]);
        let away = away_days(&p.tz, &p.working_hours, all, |k| me(k) == Some(index));
        let clock = WorkClock::new(p.tz, p.working_hours.clone(), away);
        let mut out = PreparedCalendar {
            index,
            state: PersonState {
                person: p.clone(),
                clock,
                working: WorkingDays::new(),
                calendar: None,
                chat: vec![ChatWeek::default(); weeks.weeks.len()],
                in_chat,
                interruptions: Interruptions::default(),
                messaged: vec![Vec::new(); weeks.weeks.len()],
                joined: crate::joined::Joined::new(
                    weeks.weeks.first().map_or(NaiveDate::MIN, |w| w.monday()),
                    weeks.weeks.len(),
                ),
            },
            meetings: None,
            excluded: Vec::new(),
            away_days: 0,
            meeting_parts: Vec::new(),
            one_off: [0; 3],
            hygiene: Vec::new(),
            escalation: Vec::new(),
        };
        let Some(occurrences) = occurrences else {
            return out;
        };
        let state = &mut out.state;
        let meetings = person_meetings(index, p, occurrences, params, &me);
        out.excluded = meetings.excluded.iter().map(|(w, n)| (*w, *n)).collect();
        if let (Some(first), Some(last)) = (weeks.weeks.first(), weeks.weeks.last()) {
            let window = Interval::new(first.bounds_in(&p.tz).start, last.bounds_in(&p.tz).end);
            state.joined.add_meetings(&meetings, window, &p.tz);
        }
        let mut cal_weeks = Vec::with_capacity(weeks.weeks.len());
        for (w, week) in weeks.weeks.iter().enumerate() {
            let (cal, free) = calendar_week(&meetings, &state.clock, *week, params);
            state.interruptions.add_week(w as u32, &free);
            cal_weeks.push(cal);
            out.away_days += week
                .dates()
                .filter(|d| state.clock.away_days().contains(d))
                .count() as u64;
            // Organizer person-hours and invite coverage of this week.
            let bounds = week.bounds_in(&p.tz);
            // Meetings are shorter than the longest meeting, so none that starts
            // earlier than that before the week reaches into it.
            let longest = Params::minutes(params.max_meeting_minutes);
            let from = meetings
                .attended
                .partition_point(|m| m.interval.start + longest <= bounds.start);
            for m in meetings.attended[from..]
                .iter()
                .take_while(|m| m.interval.start < bounds.end)
            {
                let Some(part) = m.interval.intersect(&bounds) else {
                    continue;
                };
                out.meeting_parts
                    .push((w, m.organizer.clone(), hours(part.duration())));
                if !m.recurring && m.interval.start >= bounds.start {
                    out.one_off[0] += 1;
                    match m.invite {
                        Some(InviteTime::Created(_)) => out.one_off[1] += 1,
                        Some(InviteTime::Dtstamp(_)) => out.one_off[2] += 1,
                        None => {}
                    }
                }
            }
        }
        state.calendar = Some(cal_weeks);
        state.interruptions.shrink();
        // Meetings organized by listed people, for the hygiene shares.
        // Organizer and participant count once per series, not per instance.
        let mut per_series: FxHashMap<usize, Option<(usize, u32)>> = FxHashMap::default();
        for occ in occurrences {
            let Ok(interval) = event_interval(occ, &p.tz, params) else {
                continue;
            };
            let facts = *per_series
                .entry(Arc::as_ptr(&occ.details) as usize)
                .or_insert_with(|| {
                    let organizer = occ.details.organizer.as_ref().and_then(|o| me(&o.email))?;
                    Some((organizer, participants(&occ.details, &me).len() as u32))
                });
            let Some((organizer, invitees)) = facts else {
                continue;
            };
            if invitees < 2 {
                continue;
            }
            let org_tz = zones.get(organizer).copied().unwrap_or(p.tz);
            let Some(week) = weeks.index(interval.start, &org_tz) else {
                continue;
            };
            let d = &occ.details;
            let minutes = interval.duration();
            out.hygiene.push((
                (occ.uid.clone(), interval.start),
                HygieneMeeting {
                    organizer,
                    week,
                    from_organizer: organizer == index,
                    uid: occ.uid.clone(),
                    recurring: d.series.in_series,
                    series_ends: d.series.series_ends,
                    described: d.description.present,
                    checks: [
                        d.description.has_agenda,
                        d.description.has_outcome,
                        d.description.has_preread_link,
                        minutes <= Params::minutes(params.timebox_minutes),
                        invitees <= params.max_attendees,
                        d.description.has_notes_link,
                    ],
                },
            ));
        }
        out.escalation = EscalationMeetings::candidates(occurrences, &p.tz, params, addresses);
        out.meetings = Some(meetings);
        out
    }

    /// Adds a person prepared by [`Analysis::prepare_calendar`]. People are
    /// added in the order of their indexes, each once: what crosses people
    /// (organizer hours, hygiene, short-notice meetings) is folded in that
    /// order, so the result does not depend on how the preparing was
    /// scheduled. Returns the person's meetings, for other scans.
    pub fn add_calendar(&mut self, prepared: PreparedCalendar) -> Option<PersonMeetings> {
        let PreparedCalendar {
            index,
            state,
            meetings,
            excluded,
            away_days,
            meeting_parts,
            one_off,
            hygiene,
            escalation,
        } = prepared;
        assert_eq!(
            index,
            self.people.len(),
            "people are added in the order of their indexes"
        );
        let counts = &mut self.calendar_counts;
        for (why, n) in excluded {
            *counts.excluded.entry(why).or_default() += n;
        }
        counts.away_days += away_days;
        if state.calendar.is_some() {
            for w in 0..self.weeks.weeks.len() {
                self.organizer_hours
                    .entry((state.person.team.clone(), w))
                    .or_default();
            }
        }
        for (w, organizer, h) in meeting_parts {
            counts.meeting_person_hours += h;
            let org = self
                .organizer_hours
                .entry((state.person.team.clone(), w))
                .or_default();
            match organizer {
                Some(who) => {
                    *org.by_organizer.entry(who).or_default() += h;
                    counts.organizer_known_hours += h;
                }
                None => org.unknown += h,
            }
        }
        counts.one_off += one_off[0];
        counts.created += one_off[1];
        counts.dtstamp += one_off[2];
        for (key, meeting) in hygiene {
            if self
                .hygiene
                .get(&key)
                .is_some_and(|h| h.from_organizer || !meeting.from_organizer)
            {
                continue;
            }
            self.hygiene.insert(key, meeting);
        }
        self.escalation_meetings.add(escalation);
        self.people.push(state);
        meetings
    }

    /// Records that person `index` has an account in a chat export's user
    /// directory: their chat signals are known (zero when they wrote and
    /// received nothing that week), not unknown. Having an account comes
    /// from the directory, not from having posted.
    pub fn add_chat_account(&mut self, index: usize) {
        if let Some(p) = self.people.get_mut(index) {
            p.in_chat = true;
        }
    }

    /// Takes one chat message into account. `users` resolves chat user ids
    /// and usernames (authors, mentions, DM members) to people.
    pub fn add_message(
        &mut self,
        conversation: &Conversation,
        message: &ChatMessage,
        users: &dyn Resolver,
    ) {
        let len = self.people.len();
        let bounded = |k: &str| users.person(k).filter(|i| *i < len);
        self.chat.message(
            &mut self.people,
            &self.weeks,
            &self.params,
            conversation,
            message,
            &bounded,
        );
    }

    /// Says that no more messages of `conversation` will come: what the
    /// chat signals kept for it (its asks, the messages that may answer
    /// them, its DM turns, its threads) is settled now and dropped, so
    /// memory holds one conversation at a time rather than the whole
    /// export. Every calendar must be in ([`Analysis::add_calendar`]):
    /// threads are matched to the meetings that follow them here. Asks
    /// without a reply wait for [`Analysis::finish`], when the data's end is
    /// known. The signals are the same as without the call; a message of
    /// the conversation that still comes later starts it afresh.
    pub fn end_conversation(&mut self, conversation: &Conversation) {
        self.escalation_meetings.sort();
        self.chat.end_conversation(
            &mut self.people,
            &self.weeks,
            &self.params,
            &self.escalation_meetings,
            &conversation.id,
        );
    }

    /// Takes messages whose conversations are listed in `conversations`
    /// (by id); a message of an unlisted conversation is read as being in a
    /// public channel with unknown members.
    pub fn add_messages<'m>(
        &mut self,
        conversations: &[Conversation],
        messages: impl IntoIterator<Item = &'m ChatMessage>,
        users: &dyn Resolver,
    ) {
        let by_id: HashMap<&str, &Conversation> =
            conversations.iter().map(|c| (&*c.id, c)).collect();
        for m in messages {
            match by_id.get(&*m.conversation) {
                Some(c) => self.add_message(c, m, users),
                None => {
                    let c = Conversation {
                        id: m.conversation.clone(),
                        name: m.conversation.to_string(),
                        kind: ConversationKind::Channel,
                        members: Vec::new(),
                    };
                    self.add_message(&c, m, users);
                }
            }
        }
    }

    /// Sets when the chat data ends (default: the latest message seen).
    /// Asks without a reply are unanswered only once their limit has passed
    /// by then; replies after it are ignored.
    pub fn set_chat_horizon(&mut self, until: DateTime<Utc>) {
        self.chat.horizon = Some(until);
    }

    /// Gives the work-item source (`throughput`); without it, throughput is
    /// unknown. Items of people outside the list are counted in coverage.
    pub fn add_work_items(&mut self, items: impl IntoIterator<Item = WorkItem>) {
        let list = self.work_items.get_or_insert_with(Vec::new);
        for item in items {
            if item.person < self.people.len() {
                list.push(item);
            } else {
                self.work_items_unresolved += 1;
            }
        }
    }

    /// Gives the team server's workflow objects (the workflow signals;
    /// meeting records also count for `hygiene_outcome` and
    /// `hygiene_summary`). Facts naming people outside the list must carry
    /// `None` for them.
    pub fn add_workflow(&mut self, facts: crate::written::WorkflowFacts) {
        self.workflow = Some(facts);
    }

    /// Gives the pulse source (`morale`).
    pub fn add_pulse(&mut self, answers: impl IntoIterator<Item = PulseAnswer>) {
        let list = self.pulse.get_or_insert_with(Vec::new);
        list.extend(answers.into_iter().filter(|a| a.person < self.people.len()));
    }

    /// Finishes the chat signals and aggregates teams.
    pub fn finish(self) -> Signals {
        let Analysis {
            params,
            weeks,
            mut people,
            organizer_hours,
            hygiene,
            mut escalation_meetings,
            chat,
            calendar_counts,
            work_items,
            work_items_unresolved,
            pulse,
            workflow,
        } = self;
        let mut hygiene = hygiene;
        if let Some(f) = &workflow {
            crate::written::mark_records(&mut hygiene, &f.records);
        }
        let written = workflow
            .as_ref()
            .map(|f| crate::written::WrittenWeeks::new(f, &people, &weeks));
        escalation_meetings.sort();
        escalation_meetings.forget_seen();
        crate::viva::count_teams_met(&mut people);
        let (chat_counts, escalated, samples) =
            chat.finish(&mut people, &weeks, &params, &escalation_meetings);
        let min_block = Params::minutes(params.uninterrupted_min_block_minutes);
        let out_people: Vec<PersonWeeks> = people
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let uninterrupted = s
                    .interruptions
                    .uninterrupted_hours(weeks.weeks.len(), min_block);
                let long_blocks = s
                    .interruptions
                    .long_block_hours(weeks.weeks.len(), min_block);
                let weeks_out = weeks
                    .weeks
                    .iter()
                    .enumerate()
                    .map(|(w, week)| {
                        let calendar = s
                            .calendar
                            .as_ref()
                            .map(|c| c[w].clone())
                            .ok_or(Unknown::NoCalendar);
                        let chat = if s.in_chat {
                            Ok(s.chat[w].clone())
                        } else {
                            Err(Unknown::NoChat)
                        };
                        let both = match (&calendar, &chat) {
                            (Err(e), _) | (_, Err(e)) => Err(*e),
                            (Ok(c), Ok(_)) => Ok(c),
                        };
                        let with_work = both.and_then(|c| {
                            if c.working_hours > 0.0 {
                                Ok(c)
                            } else {
                                Err(Unknown::NoWorkingTime)
                            }
                        });
                        let uninterrupted_hours = with_work.map(|_| uninterrupted[w]);
                        // An empty sum is -0.0, which writers would print as "-0".
                        let interrupted_hours =
                            with_work.map(|_| 0.0 + (long_blocks[w] - uninterrupted[w]).max(0.0));
                        let bounds = week.bounds_in(s.clock.tz());
                        let meeting_quality = both
                            .map(|c| s.joined.meeting_quality(bounds, c.meeting_hours, &params));
                        let flexibility = match (&calendar, &chat) {
                            (Err(e), Err(_)) => Err(*e),
                            _ => s
                                .joined
                                .flexibility(w, *week, &s.clock)
                                .ok_or(Unknown::NoActivity),
                        };
                        let sync_share = match (&calendar, &chat) {
                            (Err(e), _) | (_, Err(e)) => Err(*e),
                            (Ok(c), Ok(m)) => {
                                let async_hours = f64::from(m.messages_sent)
                                    * params.async_minutes_per_message
                                    / 60.0;
                                // Huddles are calls: estimated sync time.
                                let sync_hours = c.meeting_hours
                                    + f64::from(m.huddles) * params.huddle_minutes / 60.0;
                                let r = Ratio::new(sync_hours, sync_hours + async_hours);
                                if r.whole > 0.0 {
                                    Ok(r)
                                } else {
                                    Err(Unknown::NoActivity)
                                }
                            }
                        };
                        let usual = hours(total(&s.clock.template_in_week(*week)));
                        let working = hours(total(&s.clock.working_in_week(*week)));
                        PersonWeek {
                            week: *week,
                            calendar,
                            chat,
                            uninterrupted_hours,
                            interrupted_hours,
                            meeting_quality,
                            flexibility,
                            sync_share,
                            away: usual > 0.0 && working < AWAY_SHARE * usual,
                        }
                    })
                    .collect();
                PersonWeeks {
                    person: i,
                    email: s.person.email.clone(),
                    team: s.person.team.clone(),
                    sensitivity: Sensitivity::Individual,
                    weeks: weeks_out,
                }
            })
            .collect();

        let mut teams: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, s) in people.iter().enumerate() {
            teams.entry(s.person.team.as_str()).or_default().push(i);
        }
        let team_of: Vec<&str> = people.iter().map(|s| s.person.team.as_str()).collect();
        // Escalated threads per (team, week): placed on the clock of the
        // team's participant who comes first on the people list, so the
        // result does not depend on the order messages arrived in.
        let mut escalations: HashMap<(&str, usize), u32> = HashMap::new();
        let mut escalation_list: Vec<Escalation> = Vec::new();
        for t in &escalated {
            let mut counted: HashSet<&str> = HashSet::new();
            let mut listed = t.people.clone();
            listed.sort_unstable();
            for &p in &listed {
                let team = team_of[p as usize];
                if counted.insert(team)
                    && let Some(w) = weeks.index(t.last, people[p as usize].clock.tz())
                {
                    *escalations.entry((team, w)).or_default() += 1;
                    escalation_list.push(Escalation {
                        team: team.to_owned(),
                        week: weeks.weeks[w],
                        last_message: t.last,
                        conversation: t.conversation.0.clone(),
                        kind: t.conversation.1,
                        messages: t.messages,
                        participants: t.participants,
                        ended_with_call: t.ended_with_call,
                    });
                }
            }
        }
        // Team-week indexes of the team-only inputs, so each team-week reads
        // only its own.
        let mut hygiene_by: HashMap<(&str, usize), Vec<&HygieneMeeting>> = HashMap::new();
        for h in hygiene.values() {
            hygiene_by
                .entry((team_of[h.organizer], h.week))
                .or_default()
                .push(h);
        }
        let work_items_by: Option<HashMap<(&str, usize), u32>> = work_items.as_ref().map(|items| {
            let mut by: HashMap<(&str, usize), u32> = HashMap::new();
            for i in items {
                if let Some(w) = weeks.index(i.closed_at, people[i.person].clock.tz()) {
                    *by.entry((team_of[i.person], w)).or_default() += 1;
                }
            }
            by
        });
        let pulse_by: Option<HashMap<(&str, Week), Vec<&PulseAnswer>>> =
            pulse.as_ref().map(|answers| {
                let mut by: HashMap<(&str, Week), Vec<&PulseAnswer>> = HashMap::new();
                for a in answers {
                    by.entry((team_of[a.person], a.week)).or_default().push(a);
                }
                by
            });
        let min = params.min_group_size;
        let mut out_teams = Vec::new();
        for (team, members) in &teams {
            let mut team_weeks = Vec::new();
            for (w, week) in weeks.weeks.iter().enumerate() {
                // Members away most of the week are left out of the team's
                // values; half the team or more away leaves the week out.
                let present: Vec<usize> = members
                    .iter()
                    .copied()
                    .filter(|&m| !out_people[m].weeks[w].away)
                    .collect();
                let members_away = (members.len() - present.len()) as u32;
                if members_away > 0 && 2 * members_away as usize >= members.len() {
                    team_weeks.push(TeamWeek {
                        week: *week,
                        signals: SignalId::ALL
                            .iter()
                            .map(|&id| TeamSignal {
                                id,
                                members_with_data: 0,
                                value: Err(Unknown::TeamAway),
                            })
                            .collect(),
                        members_away,
                    });
                    continue;
                }
                let members = &present;
                let pw: Vec<&PersonWeek> =
                    members.iter().map(|&m| &out_people[m].weeks[w]).collect();
                let with_calendar = pw.iter().filter(|p| p.calendar.is_ok()).count() as u32;
                let mut signals = Vec::with_capacity(SignalId::ALL.len());
                for &id in SignalId::ALL {
                    let signal = match id.scope() {
                        crate::signal::Scope::Person => {
                            let values: Vec<Measured> =
                                pw.iter().filter_map(|p| p.get(id)).collect();
                            let mut s = aggregate(id, &values, min);
                            if let Ok(TeamValue::Aggregate(a)) = &mut s.value {
                                if id == SignalId::ThreadEscalations {
                                    a.total = f64::from(
                                        escalations.get(&(*team, w)).copied().unwrap_or(0),
                                    );
                                }
                                if id == SignalId::ResponseLatency {
                                    let stats: Vec<_> = pw
                                        .iter()
                                        .filter_map(|p| p.chat.as_ref().ok().map(|c| c.latency))
                                        .collect();
                                    let (mut wall, mut business) = (Vec::new(), Vec::new());
                                    for &m in members {
                                        if let Some((a, b)) = samples.get(&(m as u32, w as u32)) {
                                            wall.extend_from_slice(a);
                                            business.extend_from_slice(b);
                                        }
                                    }
                                    a.latency = Some(pooled_latency(&stats, &wall, &business));
                                }
                            }
                            s
                        }
                        crate::signal::Scope::Team if crate::written::is_workflow(id) => {
                            match &written {
                                Some(ww) => ww.signal(id, team, w, members, min),
                                None => crate::team::team_value(id, 0, min, Err(Unknown::NoSource)),
                            }
                        }
                        crate::signal::Scope::Team => team_signal(
                            id,
                            TeamCtx {
                                team,
                                week_label: *week,
                                members,
                                people: &people,
                                person_weeks: &pw,
                                with_calendar,
                                hygiene: hygiene_by.get(&(*team, w)).map_or(&[], Vec::as_slice),
                                organizer_hours: organizer_hours.get(&(team.to_string(), w)),
                                work_items: work_items_by
                                    .as_ref()
                                    .map(|by| by.get(&(*team, w)).copied().unwrap_or(0)),
                                pulse: pulse_by.as_ref().map(|by| {
                                    by.get(&(*team, *week)).map_or(&[][..], Vec::as_slice)
                                }),
                                min,
                            },
                        ),
                    };
                    signals.push(signal);
                }
                team_weeks.push(TeamWeek {
                    week: *week,
                    signals,
                    members_away,
                });
            }
            out_teams.push(TeamWeeks {
                team: team.to_string(),
                members: members.clone(),
                weeks: team_weeks,
            });
        }

        let coverage = coverage(
            &people,
            &calendar_counts,
            &chat_counts,
            &hygiene,
            work_items
                .as_ref()
                .map(|w| (w.len() as u64, work_items_unresolved)),
        );
        Signals {
            weeks: weeks.weeks.clone(),
            people: out_people,
            teams: out_teams,
            coverage,
            escalations: {
                // Thread order comes from a hash map: sort for stable output.
                escalation_list.sort_by(|a, b| {
                    (&a.team, a.last_message, &a.conversation).cmp(&(
                        &b.team,
                        b.last_message,
                        &b.conversation,
                    ))
                });
                escalation_list
            },
            pulse: pulse.unwrap_or_default(),
        }
    }
}

struct TeamCtx<'a> {
    team: &'a str,
    week_label: Week,
    members: &'a [usize],
    people: &'a [PersonState],
    person_weeks: &'a [&'a PersonWeek],
    with_calendar: u32,
    /// Meetings the team organized this week.
    hygiene: &'a [&'a HygieneMeeting],
    organizer_hours: Option<&'a OrganizerHours>,
    /// Items the team closed this week, when the source is given.
    work_items: Option<u32>,
    /// The team's pulse answers for this week, when the source is given.
    pulse: Option<&'a [&'a PulseAnswer]>,
    min: u32,
}

fn team_signal(id: SignalId, c: TeamCtx<'_>) -> TeamSignal {
    use SignalId::*;
    let in_team = |p: usize| c.people[p].person.team == c.team;
    match id {
        HygieneAgenda | HygieneOutcome | HygienePreread | HygieneTimebox | HygieneAttendees
        | HygieneSummary => {
            let check = HYGIENE.iter().position(|h| *h == id).unwrap_or(0);
            let part = c.hygiene.iter().filter(|h| h.checks[check]).count() as f64;
            let r = Ratio::new(part, c.hygiene.len() as f64).known_or(Unknown::NoMeetingsToRate);
            team_value(id, c.with_calendar, c.min, r)
        }
        HygieneSeriesEnd => {
            let mut series: HashMap<&str, bool> = HashMap::new();
            for h in c.hygiene.iter().filter(|h| h.recurring) {
                *series.entry(&h.uid).or_default() |= h.series_ends;
            }
            let part = series.values().filter(|e| **e).count() as f64;
            let r = Ratio::new(part, series.len() as f64).known_or(Unknown::NoMeetingsToRate);
            team_value(id, c.with_calendar, c.min, r)
        }
        OverlapHours => {
            let clocks: Vec<&WorkClock> = c
                .members
                .iter()
                .map(|&m| &c.people[m].clock)
                .filter(|k| !k.template_in_week(c.week_label).is_empty())
                .collect();
            let v = overlap(&clocks, c.week_label)
                .map(Value::Overlap)
                .ok_or(Unknown::NoWorkingTime);
            team_value(id, clocks.len() as u32, c.min, v)
        }
        TzBurden => {
            let after: Vec<f64> = c
                .person_weeks
                .iter()
                .filter_map(|p| {
                    p.calendar
                        .as_ref()
                        .ok()
                        .map(|k| k.after_hours_meeting_hours)
                })
                .collect();
            let v = tz_burden(&after)
                .map(Value::Burden)
                .ok_or(Unknown::NoCalendar);
            team_value(id, after.len() as u32, c.min, v)
        }
        MeetingLoadGini => crate::viva::meeting_load(c.person_weeks, c.min),
        OrganizerConcentration => {
            let v = match c.organizer_hours {
                Some(o) if !o.by_organizer.is_empty() => {
                    let known: f64 = o.by_organizer.values().sum();
                    // Ties go to the smallest key, so the output is stable.
                    let (top, h) = o
                        .by_organizer
                        .iter()
                        .max_by(|a, b| a.1.total_cmp(b.1).then_with(|| b.0.cmp(a.0)))
                        .map(|(w, h)| (w.clone(), *h))
                        .unwrap_or((Who::Address(String::new()), 0.0));
                    let (name, member) = match &top {
                        Who::Person(i) => (c.people[*i].person.email.clone(), in_team(*i)),
                        Who::Address(a) => (a.clone(), false),
                    };
                    Ok(Value::Concentration(Concentration {
                        ratio: Ratio::new(h, known),
                        top_organizer: name,
                        top_is_member: member,
                    }))
                }
                _ => Err(Unknown::NoMeetings),
            };
            team_value(id, c.with_calendar, c.min, v)
        }
        Throughput => match c.work_items {
            None => team_value(id, c.members.len() as u32, c.min, Err(Unknown::NoSource)),
            Some(n) => team_value(
                id,
                c.members.len() as u32,
                c.min,
                Ok(Value::Number(f64::from(n))),
            ),
        },
        Morale => match c.pulse {
            None => team_value(id, 0, c.min, Err(Unknown::NoSource)),
            Some(answers) => {
                let answered: HashSet<usize> = answers.iter().map(|a| a.person).collect();
                let scores: Vec<f64> = answers.iter().map(|a| a.score).collect();
                let v = crate::stats::mean(&scores)
                    .map(Value::Number)
                    .ok_or(Unknown::NoAnswers);
                team_value(id, answered.len() as u32, c.min, v)
            }
        },
        _ => team_value(id, 0, c.min, Err(Unknown::NoSource)),
    }
}

fn coverage(
    people: &[PersonState],
    cal: &CalendarCounts,
    chat: &ChatCounts,
    hygiene: &FxHashMap<(Arc<str>, DateTime<Utc>), HygieneMeeting>,
    work_items: Option<(u64, u64)>,
) -> Coverage {
    let n = people.len() as u64;
    let fact = |key, part, whole| CoverageFact { key, part, whole };
    let mut facts = vec![
        fact(
            CoverageKey::PeopleWithCalendar,
            people.iter().filter(|p| p.calendar.is_some()).count() as u64,
            n,
        ),
        fact(
            CoverageKey::PeopleWithChat,
            people.iter().filter(|p| p.in_chat).count() as u64,
            n,
        ),
        fact(CoverageKey::InviteFromCreated, cal.created, cal.one_off),
        fact(CoverageKey::InviteFromDtstamp, cal.dtstamp, cal.one_off),
        fact(
            CoverageKey::InviteKnown,
            cal.created + cal.dtstamp,
            cal.one_off,
        ),
        // Hours are rounded to whole minutes to be counted.
        fact(
            CoverageKey::OrganizerKnown,
            (cal.organizer_known_hours * 60.0).round() as u64,
            (cal.meeting_person_hours * 60.0).round() as u64,
        ),
        fact(
            CoverageKey::DescriptionPresent,
            hygiene.values().filter(|h| h.described).count() as u64,
            hygiene.len() as u64,
        ),
        fact(
            CoverageKey::AuthorResolved,
            chat.person_messages_resolved,
            chat.person_messages,
        ),
        fact(
            CoverageKey::MentionsResolved,
            chat.mentions_resolved,
            chat.mentions,
        ),
        fact(
            CoverageKey::DmMembersKnown,
            chat.dm_messages_with_members,
            chat.dm_messages,
        ),
        fact(
            CoverageKey::AsksDecided,
            chat.answered + chat.unanswered,
            chat.asks,
        ),
        fact(CoverageKey::SlaDecided, chat.sla_decided, chat.asks),
    ];
    if let Some((resolved, unresolved)) = work_items {
        facts.push(fact(
            CoverageKey::WorkItemsResolved,
            resolved,
            resolved + unresolved,
        ));
    }
    let mut excluded: Vec<(Exclusion, u64)> = Exclusion::ALL
        .iter()
        .filter_map(|e| cal.excluded.get(e).map(|n| (*e, *n)))
        .collect();
    excluded.sort_by_key(|(e, _)| *e);
    Coverage {
        facts,
        excluded_occurrences: excluded,
        away_days: cal.away_days,
        messages_outside_window: chat.outside_window,
        bot_or_system_messages: chat.bot_or_system_messages,
    }
}
