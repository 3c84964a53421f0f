//! Fixture builders: people, occurrences and chat messages written out in
//! tests, without going through ICS or export files, so the tests are about
//! the signals.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.
#![allow(dead_code)]

use chrono::{DateTime, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use fulcrum_analysis::{
    Analysis, Measured, Params, PeopleIndex, PersonData, PersonWeek, SignalId, Signals, Value,
    Week, Window,
};
use fulcrum_model::chat::{
    ChatMessage, Conversation, ConversationKind, Mentions, MessageFlags, MessageKind, ThreadRole,
};
use fulcrum_model::{
    Attendee, CalTime, DescriptionFlags, EventDetails, EventStatus, Occurrence, PartStat,
    Participant, Person, Role, SeriesInfo, Transparency, WorkingHours,
};
use std::sync::Arc;

/// A person `name@acme.com` in `tz` with Mon-Fri 09:00-17:00, chat id `U_NAME`.
pub fn person(name: &str, team: &str, tz: Tz) -> Person {
    Person {
        email: format!("{name}@acme.com"),
        name: name.to_owned(),
        team: team.to_owned(),
        tz,
        working_hours: WorkingHours::standard(),
        aliases: vec![chat_id(name)],
    }
}

/// The chat user id of a fixture person.
pub fn chat_id(name: &str) -> String {
    format!("U_{}", name.to_uppercase())
}

/// An instant from a wall-clock time in `tz`.
pub fn at(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    tz.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

/// An instant in UTC.
pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    at(chrono_tz::UTC, y, mo, d, h, mi)
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn email(name: &str) -> String {
    if name.contains('@') {
        name.to_owned()
    } else {
        format!("{name}@acme.com")
    }
}

/// An event under construction.
#[derive(Clone)]
pub struct Ev {
    uid: String,
    start: CalTime,
    end: CalTime,
    details: EventDetails,
}

/// A timed event from `start` lasting `minutes`, written in `tz`.
pub fn ev(uid: &str, tz: Tz, start: DateTime<Utc>, minutes: i64) -> Ev {
    let end = start + Duration::minutes(minutes);
    let zoned =
        |t: DateTime<Utc>| CalTime::zoned(t, tz.offset_from_utc_datetime(&t.naive_utc()).fix());
    Ev {
        uid: uid.to_owned(),
        start: zoned(start),
        end: zoned(end),
        details: EventDetails::default(),
    }
}

/// An all-day event over `days` dates from `first`.
pub fn all_day(uid: &str, first: NaiveDate, days: i64) -> Ev {
    Ev {
        uid: uid.to_owned(),
        start: CalTime::Date(first),
        end: CalTime::Date(first + Duration::days(days)),
        details: EventDetails::default(),
    }
}

impl Ev {
    pub fn organizer(mut self, who: &str) -> Self {
        self.details.organizer = Some(Participant {
            email: email(who),
            name: None,
        });
        self
    }
    pub fn attendee(mut self, who: &str, partstat: PartStat) -> Self {
        self.details.attendees.push(Attendee {
            who: Participant {
                email: email(who),
                name: None,
            },
            partstat,
            role: Role::Required,
            is_resource: false,
            is_group: false,
        });
        self
    }
    pub fn accepted(self, who: &str) -> Self {
        self.attendee(who, PartStat::Accepted)
    }
    pub fn room(mut self, address: &str) -> Self {
        self.details.attendees.push(Attendee {
            who: Participant {
                email: address.to_owned(),
                name: None,
            },
            partstat: PartStat::Accepted,
            role: Role::NonParticipant,
            is_resource: true,
            is_group: false,
        });
        self
    }
    pub fn created(mut self, t: DateTime<Utc>) -> Self {
        self.details.created = Some(t);
        self
    }
    pub fn dtstamp(mut self, t: DateTime<Utc>) -> Self {
        self.details.dtstamp = Some(t);
        self
    }
    pub fn recurring(mut self, ends: bool) -> Self {
        self.details.series = SeriesInfo {
            in_series: true,
            series_ends: ends,
        };
        self
    }
    pub fn transparent(mut self) -> Self {
        self.details.transparency = Transparency::Transparent;
        self
    }
    pub fn cancelled(mut self) -> Self {
        self.details.status = EventStatus::Cancelled;
        self
    }
    pub fn out_of_office(mut self) -> Self {
        self.details.out_of_office = true;
        self
    }
    pub fn description(mut self, flags: DescriptionFlags) -> Self {
        self.details.description = DescriptionFlags {
            present: true,
            ..flags
        };
        self
    }
    pub fn build(self) -> Occurrence {
        Occurrence {
            uid: Arc::from(self.uid.as_str()),
            recurrence_id: None,
            start: self.start,
            end: self.end,
            details: Arc::new(self.details),
        }
    }
}

pub fn data(person: Person, calendar: Vec<Occurrence>) -> PersonData {
    PersonData {
        person,
        calendar: Some(calendar),
        in_chat: true,
    }
}

/// The window of one ISO week, given its Monday.
pub fn week_of(monday: NaiveDate) -> Window {
    Window {
        from: monday,
        to: monday + Duration::days(6),
    }
}

/// Runs calendars and messages through the analysis with [`PeopleIndex`] as
/// both resolvers.
pub fn run(
    people: &[PersonData],
    window: Window,
    params: Params,
    conversations: &[Conversation],
    messages: &[ChatMessage],
) -> Signals {
    let persons: Vec<Person> = people.iter().map(|p| p.person.clone()).collect();
    let index = PeopleIndex::new(&persons);
    let mut a = Analysis::new(people, window, params, &index);
    a.add_messages(conversations, messages, &index);
    a.finish()
}

/// [`run`], with each conversation's messages given together and the
/// conversation settled as soon as they are in
/// ([`Analysis::end_conversation`]), as a Slack export is read.
pub fn run_settling(
    people: &[PersonData],
    window: Window,
    params: Params,
    conversations: &[Conversation],
    messages: &[ChatMessage],
) -> Signals {
    let persons: Vec<Person> = people.iter().map(|p| p.person.clone()).collect();
    let index = PeopleIndex::new(&persons);
    let mut a = Analysis::new(people, window, params, &index);
    for c in conversations {
        let mine = messages.iter().filter(|m| m.conversation == c.id);
        a.add_messages(std::slice::from_ref(c), mine, &index);
        a.end_conversation(c);
    }
    a.finish()
}

/// Person `i`'s week `w`.
pub fn pw(s: &Signals, i: usize, w: usize) -> &PersonWeek {
    &s.people[i].weeks[w]
}

pub fn number(m: Option<Measured>) -> f64 {
    match m {
        Some(Ok(Value::Number(x))) => x,
        other => panic!("expected a number, got {other:?}"),
    }
}

pub fn ratio(m: Option<Measured>) -> (f64, f64) {
    match m {
        Some(Ok(Value::Ratio(r))) => (r.part, r.whole),
        other => panic!("expected a ratio, got {other:?}"),
    }
}

pub fn get(s: &Signals, i: usize, w: usize, id: SignalId) -> Option<Measured> {
    pw(s, i, w).get(id)
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[track_caller]
pub fn assert_close(a: f64, b: f64) {
    assert!(close(a, b), "{a} != {b}");
}

pub fn week(year: i32, week: u32) -> Week {
    Week { year, week }
}

// ---- chat ----

pub fn conversation(id: &str, kind: ConversationKind, members: &[&str]) -> Conversation {
    Conversation {
        id: Arc::from(id),
        name: id.trim_start_matches('#').to_owned(),
        kind,
        members: members.iter().map(|m| chat_id(m)).collect(),
    }
}

pub fn channel(name: &str) -> Conversation {
    conversation(name, ConversationKind::Channel, &[])
}

pub fn dm(a: &str, b: &str) -> Conversation {
    conversation(&format!("D_{a}_{b}"), ConversationKind::Dm, &[a, b])
}

/// A message under construction.
pub struct Msg(pub ChatMessage);

/// A person's message with id `id` in conversation `conv` at `t`.
pub fn msg(id: &str, conv: &Conversation, author: &str, t: DateTime<Utc>) -> Msg {
    Msg(ChatMessage {
        id: Arc::from(id),
        at: t,
        conversation: conv.id.clone(),
        author: Some(Arc::from(chat_id(author).as_str())),
        kind: MessageKind::Person,
        thread: ThreadRole::Standalone,
        broadcast: false,
        reply_count: 0,
        reply_users: 0,
        mentions: Mentions::default(),
        huddle: false,
        edited: false,
        text_chars: 20,
        flags: MessageFlags::default(),
    })
}

impl Msg {
    pub fn mention(mut self, who: &str) -> Self {
        self.0.mentions.users.push(chat_id(who));
        self
    }
    pub fn parent(mut self) -> Self {
        self.0.thread = ThreadRole::Parent;
        self
    }
    pub fn reply_to(mut self, parent: &str) -> Self {
        self.0.thread = ThreadRole::Reply {
            parent: Arc::from(parent),
        };
        self
    }
    pub fn urgent(mut self) -> Self {
        self.0.flags.urgent = true;
        self
    }
    pub fn call(mut self) -> Self {
        self.0.flags.call_request = true;
        self
    }
    pub fn decision(mut self) -> Self {
        self.0.flags.decision = true;
        self
    }
    /// Asks something (a question mark or a request phrase).
    pub fn question(mut self) -> Self {
        self.0.flags.question = true;
        self
    }
    /// Only acknowledges ("thanks", "on it").
    pub fn ack(mut self) -> Self {
        self.0.flags.ack = true;
        self
    }
    /// A huddle post.
    pub fn huddle(mut self) -> Self {
        self.0.huddle = true;
        self
    }
    pub fn bot(mut self) -> Self {
        self.0.kind = MessageKind::Bot;
        self
    }
    pub fn m(self) -> ChatMessage {
        self.0
    }
}
