//! Calendar occurrences: one instance of an event, with what Fulcrum needs to
//! know about it and nothing more (the description is reduced to flags).

use crate::time::CalTime;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// `STATUS` of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EventStatus {
    /// `TENTATIVE`.
    Tentative,
    /// `CONFIRMED`, also assumed when absent.
    #[default]
    Confirmed,
    /// `CANCELLED`.
    Cancelled,
}

impl EventStatus {
    /// The iCalendar spelling.
    pub fn as_str(&self) -> &'static str {
        match self {
            EventStatus::Tentative => "TENTATIVE",
            EventStatus::Confirmed => "CONFIRMED",
            EventStatus::Cancelled => "CANCELLED",
        }
    }
}

/// `TRANSP`: whether the event blocks time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Transparency {
    /// Busy (`OPAQUE`, the default).
    #[default]
    Opaque,
    /// Free (`TRANSPARENT`).
    Transparent,
}

/// `PARTSTAT` of an attendee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PartStat {
    /// `NEEDS-ACTION`, also assumed when absent.
    #[default]
    NeedsAction,
    /// `ACCEPTED`.
    Accepted,
    /// `DECLINED`.
    Declined,
    /// `TENTATIVE`.
    Tentative,
    /// `DELEGATED`.
    Delegated,
}

/// `ROLE` of an attendee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Role {
    /// `CHAIR`.
    Chair,
    /// `REQ-PARTICIPANT`, also assumed when absent.
    #[default]
    Required,
    /// `OPT-PARTICIPANT`.
    Optional,
    /// `NON-PARTICIPANT`.
    NonParticipant,
}

/// An organizer or attendee address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Participant {
    /// The email, lower-cased, without `mailto:`; the raw address when it is
    /// not a mail address.
    pub email: String,
    /// `CN`, when given.
    pub name: Option<String>,
}

/// One `ATTENDEE` of an event.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Attendee {
    /// Who.
    pub who: Participant,
    /// Their answer.
    pub partstat: PartStat,
    /// Their role.
    pub role: Role,
    /// True for `CUTYPE=RESOURCE` or `ROOM`: a meeting room is not a person.
    pub is_resource: bool,
    /// True for `CUTYPE=GROUP`: a mailing list whose members the calendar
    /// does not name. Not a person either (SIGNALS.md, Clarifications).
    pub is_group: bool,
}

impl Attendee {
    /// A person: neither a room or other resource nor a group. Only people
    /// are participants and invitees.
    pub fn is_person(&self) -> bool {
        !self.is_resource && !self.is_group
    }
}

/// What the description said, reduced to flags; the text itself is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DescriptionFlags {
    /// Any description text was present.
    pub present: bool,
    /// An agenda: the word "agenda" or a list of two or more items.
    pub has_agenda: bool,
    /// A stated desired outcome ("outcome", "goal", "objective", "decide").
    pub has_outcome: bool,
    /// A pre-read: a link together with "pre-read", "read before", "doc",
    /// "proposal" or "rfc".
    pub has_preread_link: bool,
    /// A notes or minutes link.
    pub has_notes_link: bool,
    /// The description asks for a decision ("decide", "decision",
    /// "approve", "choose"): a decision meeting, which needs a pre-read.
    pub decision: bool,
}

/// Recurrence facts of the series an occurrence belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SeriesInfo {
    /// The occurrence is an instance of a recurring series (RRULE or RDATE on
    /// its master, or it overrides an instance of one).
    pub in_series: bool,
    /// The series has an end (`COUNT` or `UNTIL`, or only RDATEs).
    pub series_ends: bool,
}

/// Where a component came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceRef {
    /// The file or entry name.
    pub file: Arc<str>,
    /// 1-based line of the component's `BEGIN:`.
    pub line: u32,
}

/// Everything about an event that all instances of a series share; instances
/// of one series share one `Arc` of it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventDetails {
    /// `SUMMARY` (the meeting title).
    pub summary: String,
    /// `STATUS`.
    pub status: EventStatus,
    /// `TRANSP`.
    pub transparency: Transparency,
    /// `ORGANIZER`.
    pub organizer: Option<Participant>,
    /// `ATTENDEE`s.
    pub attendees: Vec<Attendee>,
    /// `CREATED`.
    pub created: Option<DateTime<Utc>>,
    /// `DTSTAMP`.
    pub dtstamp: Option<DateTime<Utc>>,
    /// `LAST-MODIFIED`.
    pub last_modified: Option<DateTime<Utc>>,
    /// `SEQUENCE` (0 when absent).
    pub sequence: u32,
    /// `CATEGORIES`, as written.
    pub categories: Vec<String>,
    /// The description reduced to flags.
    pub description: DescriptionFlags,
    /// The event marks time away (Outlook `X-MICROSOFT-CDO-BUSYSTATUS:OOF`,
    /// or a title such as "Out of office", "OOO", "Vacation").
    pub out_of_office: bool,
    /// The title says the meeting is urgent ("urgent", "asap",
    /// "escalation", "escalated", "incident" as a whole word): the title
    /// reduced to the flag `urgent_meeting_hours` reads.
    pub urgent: bool,
    /// Recurrence facts.
    pub series: SeriesInfo,
    /// The `TZID` its start was written with, as written (`None` for UTC,
    /// floating and dates).
    pub tzid: Option<String>,
    /// Where the component was read.
    pub source: Option<SourceRef>,
}

/// One occurrence of an event in time.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    /// `UID` of the event.
    pub uid: Arc<str>,
    /// The original start of this instance when it belongs to a series
    /// (`None` for a one-off event).
    pub recurrence_id: Option<CalTime>,
    /// Start.
    pub start: CalTime,
    /// End (RFC 5545 3.6.1 when the event gives neither `DTEND` nor `DURATION`).
    pub end: CalTime,
    /// Shared details.
    pub details: Arc<EventDetails>,
}

impl Occurrence {
    /// True for an all-day occurrence.
    pub fn is_all_day(&self) -> bool {
        self.start.is_date()
    }
}

/// A short, stable name for a series: eight hex digits of a 64-bit FNV-1a
/// hash of its UID. Exchange UIDs run to 130 characters; the tools print
/// this instead and `fulcrum rotate --series` takes it back. The same UID
/// always gives the same id, on every machine and in every version (FNV is
/// fixed, unlike the standard library's hasher).
pub fn series_short_id(uid: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in uid.as_bytes() {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", hash >> 32)
}

#[cfg(test)]
mod short_id_tests {
    use super::series_short_id;

    #[test]
    fn short_ids_are_fixed_eight_hex_digits() {
        // FNV-1a 64 of "" is cbf29ce484222325 (its offset basis); of "a"
        // af63dc4c8601ec8c (the published test vectors).
        assert_eq!(series_short_id(""), "cbf29ce4");
        assert_eq!(series_short_id("a"), "af63dc4c");
        assert_eq!(series_short_id("weekly-sync@acme.com").len(), 8);
    }
}
