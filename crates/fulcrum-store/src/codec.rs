//! Model values to JSON text and back, for the columns that hold a whole
//! value (event details, chat messages, conversations, chat users, the
//! workflow's asks, decisions, meeting records, incidents, written
//! updates and pulse responses).
//!
//! The model has no serde derives (it depends on no format crate), so this
//! module mirrors each type in a private `*Doc` struct that derives them,
//! and converts both ways. Every field is written, none is defaulted when
//! read back: a value read from the store is `==` to the one written.
//!
//! Times are written as integers so that every value chrono can hold comes
//! back exactly (leap seconds, years outside 0-9999, nanoseconds): an
//! instant (or a floating wall clock read as if it were UTC) is `[seconds
//! since 1970, nanoseconds]`, a date is its day number counted from
//! 0001-01-01 (`num_days_from_ce`), an offset is seconds east of UTC.

use crate::types::WorkflowItem;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use fulcrum_model::chat::{
    ChatMessage, Conversation, ConversationKind, Mentions, MessageFlags, MessageKind, SystemEvent,
    ThreadRole,
};
use fulcrum_model::identity::SourceUser;
use fulcrum_model::pulse::{PulseAnswer, PulseResponse};
use fulcrum_model::workflow::{
    ActionItem, Answer, AnswerBy, Ask, AskState, Cadence, Decision, DecisionState, Incident,
    IncidentReview, MeetingRecord, MeetingRef, Outcome, Position, Recipient, Resolution, Severity,
    Stance, Update, UpdateAnswer,
};
use fulcrum_model::{
    Attendee, CalTime, DescriptionFlags, EventDetails, EventStatus, PartStat, Participant,
    SeriesInfo, SourceRef, Transparency,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Why a stored value could not be read back.
#[derive(Debug)]
pub struct CodecError(pub String);

impl std::fmt::Display for CodecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type Result<T> = std::result::Result<T, CodecError>;

fn to_text<T: Serialize>(doc: &T) -> String {
    // Serialising these plain structs cannot fail: every map key is a
    // string and there are no non-finite floats.
    serde_json::to_string(doc).unwrap_or_default()
}

fn from_text<'a, T: Deserialize<'a>>(what: &str, text: &'a str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| CodecError(format!("{what}: {e}")))
}

// ---- times ----------------------------------------------------------------

/// An instant as `[seconds, nanoseconds]` since 1970-01-01T00:00:00Z.
#[derive(Serialize, Deserialize)]
struct Stamp(i64, u32);

impl Stamp {
    fn of(t: DateTime<Utc>) -> Stamp {
        Stamp(t.timestamp(), t.timestamp_subsec_nanos())
    }

    fn of_naive(t: NaiveDateTime) -> Stamp {
        Stamp::of(t.and_utc())
    }

    fn utc(&self) -> Result<DateTime<Utc>> {
        DateTime::from_timestamp(self.0, self.1)
            .ok_or_else(|| CodecError(format!("time [{}, {}] out of range", self.0, self.1)))
    }
}

fn opt_stamp(t: Option<DateTime<Utc>>) -> Option<Stamp> {
    t.map(Stamp::of)
}

fn opt_utc(s: Option<Stamp>) -> Result<Option<DateTime<Utc>>> {
    s.map(|s| s.utc()).transpose()
}

/// A date as its day number from 0001-01-01 (day 1).
pub fn date_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

/// The date with this day number.
pub fn date_from_number(n: i64) -> Result<NaiveDate> {
    i32::try_from(n)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or_else(|| CodecError(format!("day number {n} out of range")))
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum CalTimeDoc {
    Date(i32),
    Floating(Stamp),
    Zoned { utc: Stamp, offset: i32 },
}

impl CalTimeDoc {
    fn of(t: &CalTime) -> CalTimeDoc {
        match *t {
            CalTime::Date(d) => CalTimeDoc::Date(d.num_days_from_ce()),
            CalTime::Floating(t) => CalTimeDoc::Floating(Stamp::of_naive(t)),
            CalTime::Zoned { utc, offset } => CalTimeDoc::Zoned {
                utc: Stamp::of(utc),
                offset: offset.local_minus_utc(),
            },
        }
    }

    fn value(&self) -> Result<CalTime> {
        Ok(match self {
            CalTimeDoc::Date(n) => CalTime::Date(date_from_number(i64::from(*n))?),
            CalTimeDoc::Floating(s) => CalTime::Floating(s.utc()?.naive_utc()),
            CalTimeDoc::Zoned { utc, offset } => CalTime::Zoned {
                utc: utc.utc()?,
                offset: FixedOffset::east_opt(*offset)
                    .ok_or_else(|| CodecError(format!("UTC offset {offset} s out of range")))?,
            },
        })
    }
}

/// A start, end or recurrence id as JSON text.
pub fn encode_cal_time(t: &CalTime) -> String {
    to_text(&CalTimeDoc::of(t))
}

/// Reads [`encode_cal_time`]'s text.
pub fn decode_cal_time(text: &str) -> Result<CalTime> {
    from_text::<CalTimeDoc>("calendar time", text)?.value()
}

/// The instant a stored occurrence is filtered and sorted by, in
/// microseconds: the instant of a zoned value, and the wall clock of a date
/// or a floating time read as if it were UTC (as [`CalTime::sort_key`]
/// does).
pub fn cal_time_micros(t: &CalTime) -> i64 {
    match *t {
        CalTime::Zoned { utc, .. } => utc.timestamp_micros(),
        _ => t.sort_key().and_utc().timestamp_micros(),
    }
}

// ---- event details -----------------------------------------------------------

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum StatusDoc {
    Tentative,
    Confirmed,
    Cancelled,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum TransparencyDoc {
    Opaque,
    Transparent,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum PartStatDoc {
    NeedsAction,
    Accepted,
    Declined,
    Tentative,
    Delegated,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RoleDoc {
    Chair,
    Required,
    Optional,
    NonParticipant,
}

#[derive(Serialize, Deserialize)]
struct ParticipantDoc {
    email: String,
    name: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct AttendeeDoc {
    email: String,
    name: Option<String>,
    partstat: PartStatDoc,
    role: RoleDoc,
    resource: bool,
    // Added later: attendees stored before were read as people, and still are.
    #[serde(default)]
    group: bool,
}

#[derive(Serialize, Deserialize)]
struct DescriptionDoc {
    present: bool,
    has_agenda: bool,
    has_outcome: bool,
    has_preread_link: bool,
    has_notes_link: bool,
    decision: bool,
}

#[derive(Serialize, Deserialize)]
struct SeriesDoc {
    in_series: bool,
    series_ends: bool,
}

#[derive(Serialize, Deserialize)]
struct SourceRefDoc {
    file: String,
    line: u32,
}

#[derive(Serialize, Deserialize)]
struct DetailsDoc {
    summary: String,
    status: StatusDoc,
    transparency: TransparencyDoc,
    organizer: Option<ParticipantDoc>,
    attendees: Vec<AttendeeDoc>,
    created: Option<Stamp>,
    dtstamp: Option<Stamp>,
    last_modified: Option<Stamp>,
    sequence: u32,
    categories: Vec<String>,
    description: DescriptionDoc,
    out_of_office: bool,
    // Records written before the flag existed read as not urgent.
    #[serde(default)]
    urgent: bool,
    series: SeriesDoc,
    tzid: Option<String>,
    source: Option<SourceRefDoc>,
}

impl DetailsDoc {
    fn of(d: &EventDetails) -> DetailsDoc {
        let EventDetails {
            summary,
            status,
            transparency,
            organizer,
            attendees,
            created,
            dtstamp,
            last_modified,
            sequence,
            categories,
            description,
            out_of_office,
            urgent,
            series,
            tzid,
            source,
        } = d;
        DetailsDoc {
            summary: summary.clone(),
            status: match status {
                EventStatus::Tentative => StatusDoc::Tentative,
                EventStatus::Confirmed => StatusDoc::Confirmed,
                EventStatus::Cancelled => StatusDoc::Cancelled,
            },
            transparency: match transparency {
                Transparency::Opaque => TransparencyDoc::Opaque,
                Transparency::Transparent => TransparencyDoc::Transparent,
            },
            organizer: organizer.as_ref().map(|p| ParticipantDoc {
                email: p.email.clone(),
                name: p.name.clone(),
            }),
            attendees: attendees.iter().map(AttendeeDoc::of).collect(),
            created: opt_stamp(*created),
            dtstamp: opt_stamp(*dtstamp),
            last_modified: opt_stamp(*last_modified),
            sequence: *sequence,
            categories: categories.clone(),
            description: DescriptionDoc {
                present: description.present,
                has_agenda: description.has_agenda,
                has_outcome: description.has_outcome,
                has_preread_link: description.has_preread_link,
                has_notes_link: description.has_notes_link,
                decision: description.decision,
            },
            out_of_office: *out_of_office,
            urgent: *urgent,
            series: SeriesDoc {
                in_series: series.in_series,
                series_ends: series.series_ends,
            },
            tzid: tzid.clone(),
            source: source.as_ref().map(|s| SourceRefDoc {
                file: s.file.to_string(),
                line: s.line,
            }),
        }
    }

    fn value(self) -> Result<EventDetails> {
        let d = self.description;
        Ok(EventDetails {
            summary: self.summary,
            status: match self.status {
                StatusDoc::Tentative => EventStatus::Tentative,
                StatusDoc::Confirmed => EventStatus::Confirmed,
                StatusDoc::Cancelled => EventStatus::Cancelled,
            },
            transparency: match self.transparency {
                TransparencyDoc::Opaque => Transparency::Opaque,
                TransparencyDoc::Transparent => Transparency::Transparent,
            },
            organizer: self.organizer.map(|p| Participant {
                email: p.email,
                name: p.name,
            }),
            attendees: self.attendees.into_iter().map(AttendeeDoc::value).collect(),
            created: opt_utc(self.created)?,
            dtstamp: opt_utc(self.dtstamp)?,
            last_modified: opt_utc(self.last_modified)?,
            sequence: self.sequence,
            categories: self.categories,
            description: DescriptionFlags {
                present: d.present,
                has_agenda: d.has_agenda,
                has_outcome: d.has_outcome,
                has_preread_link: d.has_preread_link,
                has_notes_link: d.has_notes_link,
                decision: d.decision,
            },
            out_of_office: self.out_of_office,
            urgent: self.urgent,
            series: SeriesInfo {
                in_series: self.series.in_series,
                series_ends: self.series.series_ends,
            },
            tzid: self.tzid,
            source: self.source.map(|s| SourceRef {
                file: Arc::from(s.file),
                line: s.line,
            }),
        })
    }
}

impl AttendeeDoc {
    fn of(a: &Attendee) -> AttendeeDoc {
        AttendeeDoc {
            email: a.who.email.clone(),
            name: a.who.name.clone(),
            partstat: match a.partstat {
                PartStat::NeedsAction => PartStatDoc::NeedsAction,
                PartStat::Accepted => PartStatDoc::Accepted,
                PartStat::Declined => PartStatDoc::Declined,
                PartStat::Tentative => PartStatDoc::Tentative,
                PartStat::Delegated => PartStatDoc::Delegated,
            },
            role: match a.role {
                fulcrum_model::Role::Chair => RoleDoc::Chair,
                fulcrum_model::Role::Required => RoleDoc::Required,
                fulcrum_model::Role::Optional => RoleDoc::Optional,
                fulcrum_model::Role::NonParticipant => RoleDoc::NonParticipant,
            },
            resource: a.is_resource,
            group: a.is_group,
        }
    }

    fn value(self) -> Attendee {
        Attendee {
            who: Participant {
                email: self.email,
                name: self.name,
            },
            partstat: match self.partstat {
                PartStatDoc::NeedsAction => PartStat::NeedsAction,
                PartStatDoc::Accepted => PartStat::Accepted,
                PartStatDoc::Declined => PartStat::Declined,
                PartStatDoc::Tentative => PartStat::Tentative,
                PartStatDoc::Delegated => PartStat::Delegated,
            },
            role: match self.role {
                RoleDoc::Chair => fulcrum_model::Role::Chair,
                RoleDoc::Required => fulcrum_model::Role::Required,
                RoleDoc::Optional => fulcrum_model::Role::Optional,
                RoleDoc::NonParticipant => fulcrum_model::Role::NonParticipant,
            },
            is_resource: self.resource,
            is_group: self.group,
        }
    }
}

/// An event's shared details as JSON text.
pub fn encode_details(d: &EventDetails) -> String {
    to_text(&DetailsDoc::of(d))
}

/// Reads [`encode_details`]'s text.
pub fn decode_details(text: &str) -> Result<EventDetails> {
    from_text::<DetailsDoc>("event details", text)?.value()
}

// ---- chat ------------------------------------------------------------------

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SystemDoc {
    Join,
    Leave,
    Topic,
    Purpose,
    Rename,
    Archive,
    Pin,
    Integration,
    Deleted,
    Other,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindDoc {
    Person,
    Bot,
    System(SystemDoc),
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ThreadDoc {
    Standalone,
    Parent,
    Reply { parent: String },
}

#[derive(Serialize, Deserialize)]
struct MentionsDoc {
    users: Vec<String>,
    here: bool,
    channel: bool,
}

#[derive(Serialize, Deserialize)]
struct FlagsDoc {
    urgent: bool,
    call_request: bool,
    decision: bool,
    // Added later: messages stored before read as neither.
    #[serde(default)]
    question: bool,
    #[serde(default)]
    ack: bool,
}

#[derive(Serialize, Deserialize)]
struct MessageDoc {
    id: String,
    at: Stamp,
    conversation: String,
    author: Option<String>,
    kind: KindDoc,
    thread: ThreadDoc,
    broadcast: bool,
    reply_count: u32,
    reply_users: u32,
    mentions: MentionsDoc,
    huddle: bool,
    edited: bool,
    text_chars: u32,
    flags: FlagsDoc,
}

impl MessageDoc {
    fn of(m: &ChatMessage) -> MessageDoc {
        let ChatMessage {
            id,
            at,
            conversation,
            author,
            kind,
            thread,
            broadcast,
            reply_count,
            reply_users,
            mentions,
            huddle,
            edited,
            text_chars,
            flags,
        } = m;
        MessageDoc {
            id: id.to_string(),
            at: Stamp::of(*at),
            conversation: conversation.to_string(),
            author: author.as_deref().map(str::to_owned),
            kind: match kind {
                MessageKind::Person => KindDoc::Person,
                MessageKind::Bot => KindDoc::Bot,
                MessageKind::System(e) => KindDoc::System(match e {
                    SystemEvent::Join => SystemDoc::Join,
                    SystemEvent::Leave => SystemDoc::Leave,
                    SystemEvent::Topic => SystemDoc::Topic,
                    SystemEvent::Purpose => SystemDoc::Purpose,
                    SystemEvent::Rename => SystemDoc::Rename,
                    SystemEvent::Archive => SystemDoc::Archive,
                    SystemEvent::Pin => SystemDoc::Pin,
                    SystemEvent::Integration => SystemDoc::Integration,
                    SystemEvent::Deleted => SystemDoc::Deleted,
                    SystemEvent::Other => SystemDoc::Other,
                }),
            },
            thread: match thread {
                ThreadRole::Standalone => ThreadDoc::Standalone,
                ThreadRole::Parent => ThreadDoc::Parent,
                ThreadRole::Reply { parent } => ThreadDoc::Reply {
                    parent: parent.to_string(),
                },
            },
            broadcast: *broadcast,
            reply_count: *reply_count,
            reply_users: *reply_users,
            mentions: MentionsDoc {
                users: mentions.users.clone(),
                here: mentions.here,
                channel: mentions.channel,
            },
            huddle: *huddle,
            edited: *edited,
            text_chars: *text_chars,
            flags: FlagsDoc {
                urgent: flags.urgent,
                call_request: flags.call_request,
                decision: flags.decision,
                question: flags.question,
                ack: flags.ack,
            },
        }
    }

    fn value(self) -> Result<ChatMessage> {
        Ok(ChatMessage {
            id: Arc::from(self.id),
            at: self.at.utc()?,
            conversation: Arc::from(self.conversation),
            author: self.author.map(Arc::from),
            kind: match self.kind {
                KindDoc::Person => MessageKind::Person,
                KindDoc::Bot => MessageKind::Bot,
                KindDoc::System(e) => MessageKind::System(match e {
                    SystemDoc::Join => SystemEvent::Join,
                    SystemDoc::Leave => SystemEvent::Leave,
                    SystemDoc::Topic => SystemEvent::Topic,
                    SystemDoc::Purpose => SystemEvent::Purpose,
                    SystemDoc::Rename => SystemEvent::Rename,
                    SystemDoc::Archive => SystemEvent::Archive,
                    SystemDoc::Pin => SystemEvent::Pin,
                    SystemDoc::Integration => SystemEvent::Integration,
                    SystemDoc::Deleted => SystemEvent::Deleted,
                    SystemDoc::Other => SystemEvent::Other,
                }),
            },
            thread: match self.thread {
                ThreadDoc::Standalone => ThreadRole::Standalone,
                ThreadDoc::Parent => ThreadRole::Parent,
                ThreadDoc::Reply { parent } => ThreadRole::Reply {
                    parent: Arc::from(parent),
                },
            },
            broadcast: self.broadcast,
            reply_count: self.reply_count,
            reply_users: self.reply_users,
            mentions: Mentions {
                users: self.mentions.users,
                here: self.mentions.here,
                channel: self.mentions.channel,
            },
            huddle: self.huddle,
            edited: self.edited,
            text_chars: self.text_chars,
            flags: MessageFlags {
                urgent: self.flags.urgent,
                call_request: self.flags.call_request,
                decision: self.flags.decision,
                question: self.flags.question,
                ack: self.flags.ack,
            },
        })
    }
}

/// A chat message as JSON text.
pub fn encode_message(m: &ChatMessage) -> String {
    to_text(&MessageDoc::of(m))
}

/// Reads [`encode_message`]'s text.
pub fn decode_message(text: &str) -> Result<ChatMessage> {
    from_text::<MessageDoc>("chat message", text)?.value()
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ConversationKindDoc {
    Channel,
    Private,
    Dm,
    GroupDm,
}

#[derive(Serialize, Deserialize)]
struct ConversationDoc {
    id: String,
    name: String,
    kind: ConversationKindDoc,
    members: Vec<String>,
}

/// A conversation as JSON text.
pub fn encode_conversation(c: &Conversation) -> String {
    to_text(&ConversationDoc {
        id: c.id.to_string(),
        name: c.name.clone(),
        kind: match c.kind {
            ConversationKind::Channel => ConversationKindDoc::Channel,
            ConversationKind::Private => ConversationKindDoc::Private,
            ConversationKind::Dm => ConversationKindDoc::Dm,
            ConversationKind::GroupDm => ConversationKindDoc::GroupDm,
        },
        members: c.members.clone(),
    })
}

/// Reads [`encode_conversation`]'s text.
pub fn decode_conversation(text: &str) -> Result<Conversation> {
    let doc: ConversationDoc = from_text("conversation", text)?;
    Ok(Conversation {
        id: Arc::from(doc.id),
        name: doc.name,
        kind: match doc.kind {
            ConversationKindDoc::Channel => ConversationKind::Channel,
            ConversationKindDoc::Private => ConversationKind::Private,
            ConversationKindDoc::Dm => ConversationKind::Dm,
            ConversationKindDoc::GroupDm => ConversationKind::GroupDm,
        },
        members: doc.members,
    })
}

#[derive(Serialize, Deserialize)]
struct UserDoc {
    source: String,
    id: String,
    email: Option<String>,
    username: Option<String>,
    display_name: Option<String>,
    tz: Option<String>,
    is_bot: bool,
    deleted: bool,
}

/// A chat user as JSON text.
pub fn encode_user(u: &SourceUser) -> String {
    let SourceUser {
        source,
        id,
        email,
        username,
        display_name,
        tz,
        is_bot,
        deleted,
    } = u;
    to_text(&UserDoc {
        source: source.clone(),
        id: id.clone(),
        email: email.clone(),
        username: username.clone(),
        display_name: display_name.clone(),
        tz: tz.map(|tz| tz.name().to_owned()),
        is_bot: *is_bot,
        deleted: *deleted,
    })
}

/// Reads [`encode_user`]'s text.
pub fn decode_user(text: &str) -> Result<SourceUser> {
    let doc: UserDoc = from_text("chat user", text)?;
    let tz = match doc.tz {
        Some(name) => Some(
            name.parse::<Tz>()
                .map_err(|_| CodecError(format!("unknown time zone {name:?}")))?,
        ),
        None => None,
    };
    Ok(SourceUser {
        source: doc.source,
        id: doc.id,
        email: doc.email,
        username: doc.username,
        display_name: doc.display_name,
        tz,
        is_bot: doc.is_bot,
        deleted: doc.deleted,
    })
}

/// A list of names (an account's teams) as JSON text.
pub fn encode_strings(list: &[String]) -> String {
    to_text(&list)
}

/// Reads [`encode_strings`]'s text.
pub fn decode_strings(text: &str) -> Result<Vec<String>> {
    from_text("list", text)
}

/// A 64-bit FNV-1a hash of stored text, to tell a changed record from an
/// unchanged one without holding every stored payload in memory. Stable
/// across builds and platforms, unlike `std`'s hasher.
pub fn fingerprint(text: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in text.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    i64::from_ne_bytes(h.to_ne_bytes())
}

// ---- workflow objects -----------------------------------------------------------

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RecipientDoc {
    Person(String),
    Team,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum AnswerByDoc {
    Sla(String),
    Deadline(Stamp),
}

#[derive(Serialize, Deserialize)]
struct AnswerDoc {
    by: String,
    text: String,
    at: Stamp,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum AskStateDoc {
    Open,
    Answered(AnswerDoc),
    Withdrawn(Stamp),
}

#[derive(Serialize, Deserialize)]
struct AskDoc {
    team: String,
    author: String,
    to: RecipientDoc,
    context: String,
    needed: String,
    respond_in: String,
    answer_by: Option<AnswerByDoc>,
    due: Option<Stamp>,
    asked_at: Stamp,
    state: AskStateDoc,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum PositionDoc {
    Agree,
    Abstain,
    Disagree,
    Block,
}

#[derive(Serialize, Deserialize)]
struct StanceDoc {
    person: String,
    position: PositionDoc,
    reason: String,
    at: Stamp,
}

#[derive(Serialize, Deserialize)]
struct OutcomeDoc {
    text: String,
    review_on: Option<i64>,
    by: String,
    at: Stamp,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum DecisionStateDoc {
    Open,
    Closed(OutcomeDoc),
    Withdrawn(Stamp),
}

#[derive(Serialize, Deserialize)]
struct DecisionDoc {
    team: String,
    author: String,
    title: String,
    context: String,
    decision_type: Option<String>,
    who_decides: String,
    opened_at: Stamp,
    closes_at: Stamp,
    stances: Vec<StanceDoc>,
    state: DecisionStateDoc,
}

#[derive(Serialize, Deserialize)]
struct MeetingRefDoc {
    uid: String,
    occurrence: Option<Stamp>,
}

#[derive(Serialize, Deserialize)]
struct ActionItemDoc {
    text: String,
    owner: String,
    due: Option<i64>,
    done: bool,
}

#[derive(Serialize, Deserialize)]
struct MeetingDoc {
    team: String,
    author: String,
    title: String,
    meeting: Option<MeetingRefDoc>,
    held_at: Stamp,
    desired_outcome: String,
    agenda: String,
    pre_read: String,
    timebox_minutes: Option<u32>,
    attendees: Vec<String>,
    summary: String,
    decisions: Vec<i64>,
    action_items: Vec<ActionItemDoc>,
}

impl MeetingDoc {
    fn of(m: &MeetingRecord) -> MeetingDoc {
        let MeetingRecord {
            team,
            author,
            title,
            meeting,
            held_at,
            desired_outcome,
            agenda,
            pre_read,
            timebox_minutes,
            attendees,
            summary,
            decisions,
            action_items,
        } = m;
        MeetingDoc {
            team: team.clone(),
            author: author.clone(),
            title: title.clone(),
            meeting: meeting.as_ref().map(|r| MeetingRefDoc {
                uid: r.uid.clone(),
                occurrence: opt_stamp(r.occurrence),
            }),
            held_at: Stamp::of(*held_at),
            desired_outcome: desired_outcome.clone(),
            agenda: agenda.clone(),
            pre_read: pre_read.clone(),
            timebox_minutes: *timebox_minutes,
            attendees: attendees.clone(),
            summary: summary.clone(),
            decisions: decisions.clone(),
            action_items: action_items
                .iter()
                .map(|i| {
                    let ActionItem {
                        text,
                        owner,
                        due,
                        done,
                    } = i;
                    ActionItemDoc {
                        text: text.clone(),
                        owner: owner.clone(),
                        due: due.map(date_number),
                        done: *done,
                    }
                })
                .collect(),
        }
    }

    fn value(self) -> Result<MeetingRecord> {
        Ok(MeetingRecord {
            team: self.team,
            author: self.author,
            title: self.title,
            meeting: self
                .meeting
                .map(|r| {
                    Ok::<_, CodecError>(MeetingRef {
                        uid: r.uid,
                        occurrence: opt_utc(r.occurrence)?,
                    })
                })
                .transpose()?,
            held_at: self.held_at.utc()?,
            desired_outcome: self.desired_outcome,
            agenda: self.agenda,
            pre_read: self.pre_read,
            timebox_minutes: self.timebox_minutes,
            attendees: self.attendees,
            summary: self.summary,
            decisions: self.decisions,
            action_items: self
                .action_items
                .into_iter()
                .map(|i| {
                    Ok(ActionItem {
                        text: i.text,
                        owner: i.owner,
                        due: i.due.map(date_from_number).transpose()?,
                        done: i.done,
                    })
                })
                .collect::<Result<_>>()?,
        })
    }
}

#[derive(Serialize, Deserialize)]
struct ResolutionDoc {
    by: String,
    at: Stamp,
}

#[derive(Serialize, Deserialize)]
struct IncidentReviewDoc {
    timeline: String,
    cause: String,
    follow_ups: String,
    by: String,
    at: Stamp,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SeverityDoc {
    Sev1,
    Sev2,
    Sev3,
}

impl SeverityDoc {
    fn of(s: Severity) -> SeverityDoc {
        match s {
            Severity::Sev1 => SeverityDoc::Sev1,
            Severity::Sev2 => SeverityDoc::Sev2,
            Severity::Sev3 => SeverityDoc::Sev3,
        }
    }

    fn value(self) -> Severity {
        match self {
            SeverityDoc::Sev1 => Severity::Sev1,
            SeverityDoc::Sev2 => Severity::Sev2,
            SeverityDoc::Sev3 => Severity::Sev3,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct IncidentDoc {
    team: String,
    author: String,
    title: String,
    severity: SeverityDoc,
    description: String,
    opened_at: Stamp,
    resolved: Option<ResolutionDoc>,
    review: Option<IncidentReviewDoc>,
}

impl IncidentDoc {
    fn of(i: &Incident) -> IncidentDoc {
        // Destructured whole: a new field of `Incident` fails to compile here.
        let Incident {
            team,
            author,
            title,
            severity,
            description,
            opened_at,
            resolved,
            review,
        } = i;
        IncidentDoc {
            team: team.clone(),
            author: author.clone(),
            title: title.clone(),
            severity: SeverityDoc::of(*severity),
            description: description.clone(),
            opened_at: Stamp::of(*opened_at),
            resolved: resolved.as_ref().map(|r| ResolutionDoc {
                by: r.by.clone(),
                at: Stamp::of(r.at),
            }),
            review: review.as_ref().map(|r| IncidentReviewDoc {
                timeline: r.timeline.clone(),
                cause: r.cause.clone(),
                follow_ups: r.follow_ups.clone(),
                by: r.by.clone(),
                at: Stamp::of(r.at),
            }),
        }
    }

    fn value(self) -> Result<Incident> {
        Ok(Incident {
            team: self.team,
            author: self.author,
            title: self.title,
            severity: self.severity.value(),
            description: self.description,
            opened_at: self.opened_at.utc()?,
            resolved: self
                .resolved
                .map(|r| {
                    Ok::<_, CodecError>(Resolution {
                        by: r.by,
                        at: r.at.utc()?,
                    })
                })
                .transpose()?,
            review: self
                .review
                .map(|r| {
                    Ok::<_, CodecError>(IncidentReview {
                        timeline: r.timeline,
                        cause: r.cause,
                        follow_ups: r.follow_ups,
                        by: r.by,
                        at: r.at.utc()?,
                    })
                })
                .transpose()?,
        })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum CadenceDoc {
    Daily,
    Weekly,
}

#[derive(Serialize, Deserialize)]
struct UpdateAnswerDoc {
    question: String,
    text: String,
}

#[derive(Serialize, Deserialize)]
struct UpdateDoc {
    team: String,
    author: String,
    cadence: CadenceDoc,
    period: i64,
    answers: Vec<UpdateAnswerDoc>,
    written_at: Stamp,
}

impl UpdateDoc {
    fn of(u: &Update) -> UpdateDoc {
        // Destructured whole: a new field of `Update` fails to compile here.
        let Update {
            team,
            author,
            cadence,
            period,
            answers,
            written_at,
        } = u;
        UpdateDoc {
            team: team.clone(),
            author: author.clone(),
            cadence: match cadence {
                Cadence::Daily => CadenceDoc::Daily,
                Cadence::Weekly => CadenceDoc::Weekly,
            },
            period: date_number(*period),
            answers: answers
                .iter()
                .map(|a| UpdateAnswerDoc {
                    question: a.question.clone(),
                    text: a.text.clone(),
                })
                .collect(),
            written_at: Stamp::of(*written_at),
        }
    }

    fn value(self) -> Result<Update> {
        Ok(Update {
            team: self.team,
            author: self.author,
            cadence: match self.cadence {
                CadenceDoc::Daily => Cadence::Daily,
                CadenceDoc::Weekly => Cadence::Weekly,
            },
            period: date_from_number(self.period)?,
            answers: self
                .answers
                .into_iter()
                .map(|a| UpdateAnswer {
                    question: a.question,
                    text: a.text,
                })
                .collect(),
            written_at: self.written_at.utc()?,
        })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum WorkflowItemDoc {
    Ask(AskDoc),
    Decision(DecisionDoc),
    Meeting(MeetingDoc),
    Incident(IncidentDoc),
    Update(UpdateDoc),
    Pulse(PulseDoc),
}

#[derive(Serialize, Deserialize)]
struct PulseAnswerDoc {
    question: String,
    score: u8,
}

#[derive(Serialize, Deserialize)]
struct PulseDoc {
    team: String,
    author: String,
    week: i64,
    answers: Vec<PulseAnswerDoc>,
    answered_at: Stamp,
}

impl PulseDoc {
    fn of(p: &PulseResponse) -> PulseDoc {
        // Destructured whole: a new field of `PulseResponse` fails to
        // compile here.
        let PulseResponse {
            team,
            author,
            week,
            answers,
            answered_at,
        } = p;
        PulseDoc {
            team: team.clone(),
            author: author.clone(),
            week: date_number(*week),
            answers: answers
                .iter()
                .map(|a| PulseAnswerDoc {
                    question: a.question.clone(),
                    score: a.score,
                })
                .collect(),
            answered_at: Stamp::of(*answered_at),
        }
    }

    fn value(self) -> Result<PulseResponse> {
        Ok(PulseResponse {
            team: self.team,
            author: self.author,
            week: date_from_number(self.week)?,
            answers: self
                .answers
                .into_iter()
                .map(|a| PulseAnswer {
                    question: a.question,
                    score: a.score,
                })
                .collect(),
            answered_at: self.answered_at.utc()?,
        })
    }
}

impl AskDoc {
    fn of(a: &Ask) -> AskDoc {
        // Destructured whole: a new field of `Ask` fails to compile here.
        let Ask {
            team,
            author,
            to,
            context,
            needed,
            respond_in,
            answer_by,
            due,
            asked_at,
            state,
        } = a;
        AskDoc {
            team: team.clone(),
            author: author.clone(),
            to: match to {
                Recipient::Person(p) => RecipientDoc::Person(p.clone()),
                Recipient::Team => RecipientDoc::Team,
            },
            context: context.clone(),
            needed: needed.clone(),
            respond_in: respond_in.clone(),
            answer_by: answer_by.as_ref().map(|b| match b {
                AnswerBy::Sla(c) => AnswerByDoc::Sla(c.clone()),
                AnswerBy::Deadline(t) => AnswerByDoc::Deadline(Stamp::of(*t)),
            }),
            due: opt_stamp(*due),
            asked_at: Stamp::of(*asked_at),
            state: match state {
                AskState::Open => AskStateDoc::Open,
                AskState::Answered(Answer { by, text, at }) => AskStateDoc::Answered(AnswerDoc {
                    by: by.clone(),
                    text: text.clone(),
                    at: Stamp::of(*at),
                }),
                AskState::Withdrawn { at } => AskStateDoc::Withdrawn(Stamp::of(*at)),
            },
        }
    }

    fn value(self) -> Result<Ask> {
        Ok(Ask {
            team: self.team,
            author: self.author,
            to: match self.to {
                RecipientDoc::Person(p) => Recipient::Person(p),
                RecipientDoc::Team => Recipient::Team,
            },
            context: self.context,
            needed: self.needed,
            respond_in: self.respond_in,
            answer_by: self
                .answer_by
                .map(|b| {
                    Ok::<_, CodecError>(match b {
                        AnswerByDoc::Sla(c) => AnswerBy::Sla(c),
                        AnswerByDoc::Deadline(t) => AnswerBy::Deadline(t.utc()?),
                    })
                })
                .transpose()?,
            due: opt_utc(self.due)?,
            asked_at: self.asked_at.utc()?,
            state: match self.state {
                AskStateDoc::Open => AskState::Open,
                AskStateDoc::Answered(a) => AskState::Answered(Answer {
                    by: a.by,
                    text: a.text,
                    at: a.at.utc()?,
                }),
                AskStateDoc::Withdrawn(at) => AskState::Withdrawn { at: at.utc()? },
            },
        })
    }
}

impl PositionDoc {
    fn of(p: Position) -> PositionDoc {
        match p {
            Position::Agree => PositionDoc::Agree,
            Position::Abstain => PositionDoc::Abstain,
            Position::Disagree => PositionDoc::Disagree,
            Position::Block => PositionDoc::Block,
        }
    }

    fn value(self) -> Position {
        match self {
            PositionDoc::Agree => Position::Agree,
            PositionDoc::Abstain => Position::Abstain,
            PositionDoc::Disagree => Position::Disagree,
            PositionDoc::Block => Position::Block,
        }
    }
}

impl DecisionDoc {
    fn of(d: &Decision) -> DecisionDoc {
        let Decision {
            team,
            author,
            title,
            context,
            decision_type,
            who_decides,
            opened_at,
            closes_at,
            stances,
            state,
        } = d;
        DecisionDoc {
            team: team.clone(),
            author: author.clone(),
            title: title.clone(),
            context: context.clone(),
            decision_type: decision_type.clone(),
            who_decides: who_decides.clone(),
            opened_at: Stamp::of(*opened_at),
            closes_at: Stamp::of(*closes_at),
            stances: stances
                .iter()
                .map(|s| {
                    let Stance {
                        person,
                        position,
                        reason,
                        at,
                    } = s;
                    StanceDoc {
                        person: person.clone(),
                        position: PositionDoc::of(*position),
                        reason: reason.clone(),
                        at: Stamp::of(*at),
                    }
                })
                .collect(),
            state: match state {
                DecisionState::Open => DecisionStateDoc::Open,
                DecisionState::Closed(Outcome {
                    text,
                    review_on,
                    by,
                    at,
                }) => DecisionStateDoc::Closed(OutcomeDoc {
                    text: text.clone(),
                    review_on: review_on.map(date_number),
                    by: by.clone(),
                    at: Stamp::of(*at),
                }),
                DecisionState::Withdrawn { at } => DecisionStateDoc::Withdrawn(Stamp::of(*at)),
            },
        }
    }

    fn value(self) -> Result<Decision> {
        Ok(Decision {
            team: self.team,
            author: self.author,
            title: self.title,
            context: self.context,
            decision_type: self.decision_type,
            who_decides: self.who_decides,
            opened_at: self.opened_at.utc()?,
            closes_at: self.closes_at.utc()?,
            stances: self
                .stances
                .into_iter()
                .map(|s| {
                    Ok(Stance {
                        person: s.person,
                        position: s.position.value(),
                        reason: s.reason,
                        at: s.at.utc()?,
                    })
                })
                .collect::<Result<_>>()?,
            state: match self.state {
                DecisionStateDoc::Open => DecisionState::Open,
                DecisionStateDoc::Closed(o) => DecisionState::Closed(Outcome {
                    text: o.text,
                    review_on: o.review_on.map(date_from_number).transpose()?,
                    by: o.by,
                    at: o.at.utc()?,
                }),
                DecisionStateDoc::Withdrawn(at) => DecisionState::Withdrawn { at: at.utc()? },
            },
        })
    }
}

/// A workflow object as JSON text.
pub fn encode_workflow_item(item: &WorkflowItem) -> String {
    to_text(&match item {
        WorkflowItem::Ask(a) => WorkflowItemDoc::Ask(AskDoc::of(a)),
        WorkflowItem::Decision(d) => WorkflowItemDoc::Decision(DecisionDoc::of(d)),
        WorkflowItem::Meeting(m) => WorkflowItemDoc::Meeting(MeetingDoc::of(m)),
        WorkflowItem::Incident(i) => WorkflowItemDoc::Incident(IncidentDoc::of(i)),
        WorkflowItem::Update(u) => WorkflowItemDoc::Update(UpdateDoc::of(u)),
        WorkflowItem::Pulse(p) => WorkflowItemDoc::Pulse(PulseDoc::of(p)),
    })
}

/// Reads [`encode_workflow_item`]'s text.
pub fn decode_workflow_item(text: &str) -> Result<WorkflowItem> {
    Ok(
        match from_text::<WorkflowItemDoc>("workflow object", text)? {
            WorkflowItemDoc::Ask(a) => WorkflowItem::Ask(a.value()?),
            WorkflowItemDoc::Decision(d) => WorkflowItem::Decision(d.value()?),
            WorkflowItemDoc::Meeting(m) => WorkflowItem::Meeting(m.value()?),
            WorkflowItemDoc::Incident(i) => WorkflowItem::Incident(i.value()?),
            WorkflowItemDoc::Update(u) => WorkflowItem::Update(u.value()?),
            WorkflowItemDoc::Pulse(p) => WorkflowItem::Pulse(p.value()?),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    fn cal_times() -> Vec<CalTime> {
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap();
        vec![
            CalTime::Date(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()),
            CalTime::Date(NaiveDate::MIN),
            CalTime::Date(NaiveDate::MAX),
            CalTime::Date(NaiveDate::from_ymd_opt(-44, 3, 15).unwrap()),
            CalTime::Floating(
                NaiveDate::from_ymd_opt(2024, 3, 10)
                    .unwrap()
                    .and_hms_nano_opt(2, 30, 0, 123_456_789)
                    .unwrap(),
            ),
            CalTime::Floating(leap),
            CalTime::Floating(NaiveDateTime::MIN),
            CalTime::Floating(NaiveDateTime::MAX),
            CalTime::zoned(
                utc(2024, 1, 2, 14, 0, 0),
                FixedOffset::west_opt(5 * 3600).unwrap(),
            ),
            CalTime::zoned(
                utc(2024, 1, 2, 0, 0, 0),
                FixedOffset::east_opt(5 * 3600 + 45 * 60).unwrap(),
            ),
            CalTime::zoned(
                utc(1880, 1, 1, 12, 0, 0),
                FixedOffset::east_opt(-17762).unwrap(),
            ),
            CalTime::zoned(leap.and_utc(), FixedOffset::east_opt(3600).unwrap()),
            CalTime::zoned(
                utc(2024, 6, 30, 11, 0, 0) + chrono::Duration::nanoseconds(1),
                FixedOffset::east_opt(86_399).unwrap(),
            ),
        ]
    }

    #[test]
    fn cal_time_round_trips_every_variant() {
        for t in cal_times() {
            let text = encode_cal_time(&t);
            assert_eq!(decode_cal_time(&text).unwrap(), t, "{text}");
        }
    }

    #[test]
    fn cal_time_micros_orders_like_sort_key() {
        let date = CalTime::Date(NaiveDate::from_ymd_opt(2024, 1, 2).unwrap());
        assert_eq!(
            cal_time_micros(&date),
            utc(2024, 1, 2, 0, 0, 0).timestamp_micros()
        );
        let zoned = CalTime::zoned(
            utc(2024, 1, 2, 14, 0, 0),
            FixedOffset::west_opt(5 * 3600).unwrap(),
        );
        assert_eq!(
            cal_time_micros(&zoned),
            utc(2024, 1, 2, 14, 0, 0).timestamp_micros()
        );
    }

    fn full_details() -> EventDetails {
        EventDetails {
            summary: "Weekly sync ✓".to_owned(),
            status: EventStatus::Tentative,
            transparency: Transparency::Transparent,
            organizer: Some(Participant {
                email: "ada@example.com".to_owned(),
                name: Some("Ada \"the first\" Lovelace".to_owned()),
            }),
            attendees: vec![
                Attendee {
                    who: Participant {
                        email: "bob@example.com".to_owned(),
                        name: None,
                    },
                    partstat: PartStat::NeedsAction,
                    role: fulcrum_model::Role::Chair,
                    is_resource: false,
                    is_group: false,
                },
                Attendee {
                    who: Participant {
                        email: "carol@example.com".to_owned(),
                        name: Some("Carol".to_owned()),
                    },
                    partstat: PartStat::Accepted,
                    role: fulcrum_model::Role::Required,
                    is_resource: false,
                    is_group: false,
                },
                Attendee {
                    who: Participant {
                        email: "dan@example.com".to_owned(),
                        name: None,
                    },
                    partstat: PartStat::Declined,
                    role: fulcrum_model::Role::Optional,
                    is_resource: false,
                    is_group: false,
                },
                Attendee {
                    who: Participant {
                        email: "room-1@example.com".to_owned(),
                        name: Some("Room 1".to_owned()),
                    },
                    partstat: PartStat::Tentative,
                    role: fulcrum_model::Role::NonParticipant,
                    is_resource: true,
                    is_group: false,
                },
                Attendee {
                    who: Participant {
                        email: "urn:x-delegate".to_owned(),
                        name: None,
                    },
                    partstat: PartStat::Delegated,
                    role: fulcrum_model::Role::Required,
                    is_resource: false,
                    is_group: true,
                },
            ],
            created: Some(utc(2023, 12, 1, 8, 0, 0)),
            dtstamp: Some(utc(2024, 1, 1, 0, 0, 0) + chrono::Duration::nanoseconds(7)),
            last_modified: Some(utc(2023, 12, 24, 23, 59, 59)),
            sequence: 42,
            categories: vec!["Team".to_owned(), "Sync, weekly".to_owned()],
            description: DescriptionFlags {
                present: true,
                has_agenda: true,
                has_outcome: false,
                has_preread_link: true,
                has_notes_link: false,
                decision: true,
            },
            out_of_office: true,
            urgent: true,
            series: SeriesInfo {
                in_series: true,
                series_ends: false,
            },
            tzid: Some("W. Europe Standard Time".to_owned()),
            source: Some(SourceRef {
                file: Arc::from("calendars/ada.ics"),
                line: 1234,
            }),
        }
    }

    #[test]
    fn details_round_trip_every_field() {
        for d in [full_details(), EventDetails::default()] {
            let text = encode_details(&d);
            assert_eq!(decode_details(&text).unwrap(), d, "{text}");
        }
        // The remaining enum variants.
        let mut d = full_details();
        d.status = EventStatus::Cancelled;
        d.transparency = Transparency::Opaque;
        d.description = DescriptionFlags {
            present: false,
            has_agenda: false,
            has_outcome: true,
            has_preread_link: false,
            has_notes_link: true,
            decision: false,
        };
        d.series = SeriesInfo {
            in_series: false,
            series_ends: true,
        };
        assert_eq!(decode_details(&encode_details(&d)).unwrap(), d);
        d.status = EventStatus::Confirmed;
        assert_eq!(decode_details(&encode_details(&d)).unwrap(), d);
    }

    fn message(kind: MessageKind, thread: ThreadRole) -> ChatMessage {
        ChatMessage {
            id: Arc::from("1700000000.000100"),
            at: DateTime::from_timestamp(1_700_000_000, 100_000).unwrap(),
            conversation: Arc::from("C0123"),
            author: Some(Arc::from("U0ADA")),
            kind,
            thread,
            broadcast: true,
            reply_count: 3,
            reply_users: 2,
            mentions: Mentions {
                users: vec!["U0BOB".to_owned(), "U0CAROL".to_owned()],
                here: true,
                channel: false,
            },
            huddle: true,
            edited: false,
            text_chars: 140,
            flags: MessageFlags {
                urgent: true,
                call_request: false,
                decision: true,
                question: true,
                ack: false,
            },
        }
    }

    #[test]
    fn messages_round_trip_every_variant() {
        let systems = [
            SystemEvent::Join,
            SystemEvent::Leave,
            SystemEvent::Topic,
            SystemEvent::Purpose,
            SystemEvent::Rename,
            SystemEvent::Archive,
            SystemEvent::Pin,
            SystemEvent::Integration,
            SystemEvent::Deleted,
            SystemEvent::Other,
        ];
        let mut kinds = vec![MessageKind::Person, MessageKind::Bot];
        kinds.extend(systems.into_iter().map(MessageKind::System));
        let threads = [
            ThreadRole::Standalone,
            ThreadRole::Parent,
            ThreadRole::Reply {
                parent: Arc::from("1699999999.000001"),
            },
        ];
        for kind in kinds {
            for thread in threads.clone() {
                let m = message(kind, thread);
                assert_eq!(decode_message(&encode_message(&m)).unwrap(), m);
            }
        }
        let mut m = message(MessageKind::Person, ThreadRole::Standalone);
        m.author = None;
        m.broadcast = false;
        m.huddle = false;
        m.edited = true;
        m.mentions = Mentions {
            users: Vec::new(),
            here: false,
            channel: true,
        };
        m.flags = MessageFlags {
            urgent: false,
            call_request: true,
            decision: false,
            question: false,
            ack: true,
        };
        assert_eq!(decode_message(&encode_message(&m)).unwrap(), m);
    }

    #[test]
    fn conversations_round_trip_every_kind() {
        for kind in [
            ConversationKind::Channel,
            ConversationKind::Private,
            ConversationKind::Dm,
            ConversationKind::GroupDm,
        ] {
            let c = Conversation {
                id: Arc::from("ada,bob"),
                name: "ada, bob".to_owned(),
                kind,
                members: vec!["ada".to_owned(), "bob".to_owned()],
            };
            assert_eq!(decode_conversation(&encode_conversation(&c)).unwrap(), c);
        }
    }

    #[test]
    fn users_round_trip_with_and_without_zone() {
        let full = SourceUser {
            source: "slack".to_owned(),
            id: "U0ADA".to_owned(),
            email: Some("ada@example.com".to_owned()),
            username: Some("ada".to_owned()),
            display_name: Some("Ada Lovelace".to_owned()),
            tz: Some(chrono_tz::America::Argentina::Buenos_Aires),
            is_bot: true,
            deleted: true,
        };
        for u in [full, SourceUser::default()] {
            assert_eq!(decode_user(&encode_user(&u)).unwrap(), u);
        }
    }

    #[test]
    fn unreadable_text_is_an_error_not_a_panic() {
        assert!(decode_details("{}").is_err());
        assert!(decode_message("not json").is_err());
        assert!(decode_cal_time(r#"{"date": 99999999999}"#).is_err());
        assert!(decode_cal_time(r#"{"zoned": {"utc": [0, 0], "offset": 90000}}"#).is_err());
        assert!(decode_user(r#"{"source":"","id":"","email":null,"username":null,"display_name":null,"tz":"Mars/Olympus","is_bot":false,"deleted":false}"#).is_err());
    }

    #[test]
    fn dates_and_fingerprints_are_stable() {
        let d = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        assert_eq!(date_number(d), 1);
        assert_eq!(date_from_number(1).unwrap(), d);
        // FNV-1a's published test vectors.
        assert_eq!(fingerprint(""), 0xcbf2_9ce4_8422_2325_u64 as i64);
        assert_eq!(fingerprint("a"), 0xaf63_dc4c_8601_ec8c_u64 as i64);
    }
}
