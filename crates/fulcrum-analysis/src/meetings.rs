//! Which occurrences are a person's attended meetings (SIGNALS.md, ground
//! rules), and the facts the signals need about each.
//!
//! An occurrence is an attended meeting of a person when, in this order:
//! it is not cancelled, not TRANSPARENT, not all-day, longer than zero and
//! shorter than 12 h (`Params::max_meeting_minutes`), has at least two
//! participants (the organizer and the attendees who are people, not rooms
//! or groups; distinct by person or, for addresses that are nobody on the
//! list, by address), and
//! the person organizes it or attends with PARTSTAT ACCEPTED (TENTATIVE
//! when `Params::count_tentative`). A focus block booked for oneself has one
//! participant and so is not a meeting. An explicit DECLINED of the person
//! wins over being its organizer (Clarification). The same event read twice
//! (same UID and start, e.g. from two exported calendars) counts once.

use crate::params::Params;
use crate::resolve::{Resolver, normalize};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use fulcrum_model::fxhash::{FxHashMap, FxHashSet};
use fulcrum_model::{
    EventDetails, EventStatus, Interval, Occurrence, PartStat, Person, Transparency, union_of,
};
use std::collections::HashMap;
use std::sync::Arc;

/// Why an occurrence is not an attended meeting of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exclusion {
    /// `STATUS:CANCELLED`.
    Cancelled,
    /// `TRANSP:TRANSPARENT`: shown as free.
    Transparent,
    /// An all-day event.
    AllDay,
    /// Ends at or before its start.
    NoDuration,
    /// 12 h or longer.
    TooLong,
    /// Fewer than two participants (a focus block, a personal reminder, or a
    /// copy of an event without its attendee list).
    Solo,
    /// The person is neither its organizer nor an attendee (check aliases:
    /// many of these suggest an address that does not resolve).
    NotInvited,
    /// The person declined.
    Declined,
    /// The person answered TENTATIVE and the policy does not count it.
    Tentative,
    /// The person has not answered (NEEDS-ACTION) or delegated.
    NotAccepted,
    /// The same UID and start was already counted.
    Duplicate,
}

impl Exclusion {
    /// Every reason, in order.
    pub const ALL: [Exclusion; 11] = [
        Exclusion::Cancelled,
        Exclusion::Transparent,
        Exclusion::AllDay,
        Exclusion::NoDuration,
        Exclusion::TooLong,
        Exclusion::Solo,
        Exclusion::NotInvited,
        Exclusion::Declined,
        Exclusion::Tentative,
        Exclusion::NotAccepted,
        Exclusion::Duplicate,
    ];

    /// Snake-case name for output.
    pub fn as_str(&self) -> &'static str {
        match self {
            Exclusion::Cancelled => "cancelled",
            Exclusion::Transparent => "transparent",
            Exclusion::AllDay => "all_day",
            Exclusion::NoDuration => "no_duration",
            Exclusion::TooLong => "too_long",
            Exclusion::Solo => "solo",
            Exclusion::NotInvited => "not_invited",
            Exclusion::Declined => "declined",
            Exclusion::Tentative => "tentative",
            Exclusion::NotAccepted => "not_accepted",
            Exclusion::Duplicate => "duplicate",
        }
    }
}

/// A participant: a person of the list, or an address that is nobody on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Who {
    /// A listed person, by index.
    Person(usize),
    /// Any other address, normalized (lower case, no `mailto:`).
    Address(String),
}

impl Who {
    /// Resolves an address.
    pub fn of(address: &str, resolver: &dyn Resolver) -> Who {
        match resolver.person(address) {
            Some(i) => Who::Person(i),
            None => Who::Address(normalize(address)),
        }
    }
}

/// When the invite went out, as far as the calendar tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteTime {
    /// From `CREATED`.
    Created(DateTime<Utc>),
    /// From `DTSTAMP`, when there is no `CREATED` and the stamp is not after
    /// the start (a stamp after the start is the export's time, not the
    /// invite's: Clarification).
    Dtstamp(DateTime<Utc>),
}

impl InviteTime {
    /// The invite time of an event starting at `start`.
    pub fn of(details: &EventDetails, start: DateTime<Utc>) -> Option<InviteTime> {
        match (details.created, details.dtstamp) {
            (Some(c), _) => Some(InviteTime::Created(c)),
            (None, Some(s)) if s <= start => Some(InviteTime::Dtstamp(s)),
            _ => None,
        }
    }

    /// The instant.
    pub fn at(&self) -> DateTime<Utc> {
        match *self {
            InviteTime::Created(t) | InviteTime::Dtstamp(t) => t,
        }
    }
}

/// The event-level facts of an occurrence that passed the event-level rules.
#[derive(Debug, Clone, PartialEq)]
pub struct EventShape {
    /// Start to end, as instants (floating times read in the reader's zone).
    pub interval: Interval,
    /// Distinct participants: organizer and attendees who are people.
    pub participants: Vec<Who>,
}

/// The distinct participants of an event: its organizer and its
/// attendees who are people (not rooms, not groups: a group's members are
/// unknown), whatever they answered.
pub fn participants(details: &EventDetails, resolver: &dyn Resolver) -> Vec<Who> {
    let mut out: Vec<Who> = details
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
        .filter(|e| !e.trim().is_empty())
        .map(|e| Who::of(e, resolver))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The event-level rules (everything but the person's own answer), reading
/// floating and date times in `tz`.
pub fn event_shape(
    occ: &Occurrence,
    tz: &Tz,
    params: &Params,
    resolver: &dyn Resolver,
) -> Result<EventShape, Exclusion> {
    let interval = event_interval(occ, tz, params)?;
    let participants = participants(&occ.details, resolver);
    if participants.len() < 2 {
        return Err(Exclusion::Solo);
    }
    Ok(EventShape {
        interval,
        participants,
    })
}

/// The event-level rules without the participants: cancelled, transparent,
/// all-day, no duration, too long.
pub fn event_interval(occ: &Occurrence, tz: &Tz, params: &Params) -> Result<Interval, Exclusion> {
    let d = &occ.details;
    if d.status == EventStatus::Cancelled {
        return Err(Exclusion::Cancelled);
    }
    if d.transparency == Transparency::Transparent {
        return Err(Exclusion::Transparent);
    }
    if occ.is_all_day() {
        return Err(Exclusion::AllDay);
    }
    let (start, end) = (occ.start.instant_in(tz), occ.end.instant_in(tz));
    if end <= start {
        return Err(Exclusion::NoDuration);
    }
    if end - start >= Params::minutes(params.max_meeting_minutes) {
        return Err(Exclusion::TooLong);
    }
    Ok(Interval::new(start, end))
}

/// One attended meeting of one person.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    /// Its time.
    pub interval: Interval,
    /// Its UID.
    pub uid: Arc<str>,
    /// Part of a recurring series.
    pub recurring: bool,
    /// Distinct participants (organizer and attendees who are people).
    pub participants: u32,
    /// Its organizer, when the event names one.
    pub organizer: Option<Who>,
    /// The listed people in it other than the person who did not decline,
    /// by index, sorted (`collaboration_span`).
    pub met: Arc<[usize]>,
    /// When the invite went out, when known.
    pub invite: Option<InviteTime>,
    /// The person organizes it.
    pub organized_by_me: bool,
    /// The event's details (shared by a series).
    pub details: Arc<EventDetails>,
}

impl Meeting {
    /// Its length.
    pub fn duration(&self) -> Duration {
        self.interval.duration()
    }

    /// Short notice: invited `short_notice_hours` or less before the start
    /// (an invite after the start is short notice too). `None` when the
    /// invite time is unknown.
    pub fn short_notice(&self, params: &Params) -> Option<bool> {
        self.invite.map(|i| {
            self.interval.start - i.at() <= Duration::hours(i64::from(params.short_notice_hours))
        })
    }
}

/// A person's meetings over everything their calendar holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonMeetings {
    /// Attended meetings, sorted by start, each UID and start once.
    pub attended: Vec<Meeting>,
    /// Intervals of the meetings the person did not decline (attended,
    /// tentative or unanswered), each UID and start once: conflicts are
    /// counted on these.
    pub not_declined: Vec<Interval>,
    /// Meeting time: the union of the attended intervals.
    pub union: Vec<Interval>,
    /// The union of the attended intervals of recurring series.
    pub recurring_union: Vec<Interval>,
    /// Occurrences that are not attended meetings, by reason.
    pub excluded: HashMap<Exclusion, u64>,
}

#[derive(Clone)]
struct Facts {
    participants: u32,
    organizer: Option<Who>,
    organized_by_me: bool,
    my_partstat: Option<PartStat>,
    met: Arc<[usize]>,
}

/// What a person's meetings share across a series' instances: who is in
/// it, who organized it, the person's own answer and the listed people met.
/// Each address is resolved once, for all four.
fn series_facts(
    d: &EventDetails,
    index: usize,
    my_resolver: &dyn Fn(&str) -> Option<usize>,
) -> Facts {
    let organizer_index = d.organizer.as_ref().map(|o| my_resolver(&o.email));
    let attendee_index: Vec<Option<usize>> = d
        .attendees
        .iter()
        .map(|a| my_resolver(&a.who.email))
        .collect();
    // `participants`, from the addresses resolved above.
    let who_of = |email: &str, resolved: Option<usize>| match resolved {
        Some(i) => Who::Person(i),
        None => Who::Address(normalize(email)),
    };
    let mut who: Vec<Who> = d
        .organizer
        .iter()
        .zip(organizer_index)
        .map(|(o, r)| (o.email.as_str(), r))
        .chain(
            d.attendees
                .iter()
                .zip(&attendee_index)
                .filter(|(a, _)| a.is_person())
                .map(|(a, r)| (a.who.email.as_str(), *r)),
        )
        .filter(|(e, _)| !e.trim().is_empty())
        .map(|(e, r)| who_of(e, r))
        .collect();
    who.sort();
    who.dedup();
    let organizer = d
        .organizer
        .iter()
        .zip(organizer_index)
        .map(|(o, r)| who_of(&o.email, r))
        .next();
    let my_partstat = d
        .attendees
        .iter()
        .zip(&attendee_index)
        .filter(|(_, r)| **r == Some(index))
        .map(|(a, _)| a.partstat)
        // Several entries for one person: the most committed answer wins.
        .min_by_key(|p| match p {
            PartStat::Declined => 0,
            PartStat::Accepted => 1,
            PartStat::Tentative => 2,
            _ => 3,
        });
    let mut met: Vec<usize> = organizer_index
        .into_iter()
        .chain(
            d.attendees
                .iter()
                .zip(&attendee_index)
                .filter(|(a, _)| a.is_person() && a.partstat != PartStat::Declined)
                .map(|(_, r)| *r),
        )
        .flatten()
        .filter(|i| *i != index)
        .collect();
    met.sort_unstable();
    met.dedup();
    Facts {
        participants: who.len() as u32,
        met: met.into(),
        organized_by_me: organizer == Some(Who::Person(index)),
        organizer,
        my_partstat,
    }
}

/// Classifies a person's occurrences. `index` is the person's index for the
/// resolver; the person's own email and aliases are recognized even when the
/// resolver does not know them.
pub fn person_meetings(
    index: usize,
    person: &Person,
    occurrences: &[Occurrence],
    params: &Params,
    resolver: &dyn Resolver,
) -> PersonMeetings {
    let mine: FxHashSet<String> = std::iter::once(&person.email)
        .chain(&person.aliases)
        .map(|k| normalize(k))
        .collect();
    let my_resolver = |k: &str| {
        resolver
            .person(k)
            .or_else(|| mine.contains(&normalize(k)).then_some(index))
    };
    // Instances of a series share their details: work out who is in it once
    // per series, not once per instance.
    let mut facts: FxHashMap<usize, Facts> = FxHashMap::default();
    let mut out = PersonMeetings::default();
    let mut seen_attended: FxHashSet<(Arc<str>, DateTime<Utc>)> = FxHashSet::default();
    let mut seen_open: FxHashSet<(Arc<str>, DateTime<Utc>)> = FxHashSet::default();
    for occ in occurrences {
        let interval = match event_interval(occ, &person.tz, params) {
            Ok(i) => i,
            Err(why) => {
                *out.excluded.entry(why).or_default() += 1;
                continue;
            }
        };
        let f = facts
            .entry(Arc::as_ptr(&occ.details) as usize)
            .or_insert_with(|| series_facts(&occ.details, index, &my_resolver))
            .clone();
        if f.participants < 2 {
            *out.excluded.entry(Exclusion::Solo).or_default() += 1;
            continue;
        }
        let attendance = match (f.organized_by_me, f.my_partstat) {
            (_, Some(PartStat::Declined)) => Err(Exclusion::Declined),
            (true, _) | (_, Some(PartStat::Accepted)) => Ok(()),
            (false, Some(PartStat::Tentative)) if params.count_tentative => Ok(()),
            (false, Some(PartStat::Tentative)) => Err(Exclusion::Tentative),
            (false, Some(_)) => Err(Exclusion::NotAccepted),
            (false, None) => Err(Exclusion::NotInvited),
        };
        if !matches!(attendance, Err(Exclusion::Declined | Exclusion::NotInvited))
            && seen_open.insert((occ.uid.clone(), interval.start))
        {
            out.not_declined.push(interval);
        }
        if let Err(why) = attendance {
            *out.excluded.entry(why).or_default() += 1;
            continue;
        }
        if !seen_attended.insert((occ.uid.clone(), interval.start)) {
            *out.excluded.entry(Exclusion::Duplicate).or_default() += 1;
            continue;
        }
        out.attended.push(Meeting {
            interval,
            uid: occ.uid.clone(),
            recurring: occ.details.series.in_series,
            participants: f.participants,
            organizer: f.organizer,
            met: f.met,
            invite: InviteTime::of(&occ.details, interval.start),
            organized_by_me: f.organized_by_me,
            details: occ.details.clone(),
        });
    }
    out.attended
        .sort_by_key(|m| (m.interval.start, m.interval.end));
    out.not_declined.sort_unstable();
    out.union = union_of(out.attended.iter().map(|m| m.interval).collect());
    out.recurring_union = union_of(
        out.attended
            .iter()
            .filter(|m| m.recurring)
            .map(|m| m.interval)
            .collect(),
    );
    out
}
