//! Slack day files: `<conversation>/<YYYY-MM-DD>.json`, a JSON array of
//! messages.
//!
//! The array is parsed element by element (a serde `SeqAccess` visitor), so
//! a message is turned into a [`ChatMessage`] as soon as it is parsed and its
//! text is dropped with it; a day file is never held as a `Vec` of raw
//! messages. Fields of an unexpected type read as absent (see
//! `crate::lenient`), and a stray non-object element is counted and skipped.

use crate::diag::Examples;
use crate::lenient::{ArrayLen, Element, LenientStr, LenientU64};
use crate::text;
use chrono::{DateTime, Utc};
use fulcrum_model::chat::{ChatMessage, EntryDiagnostic, MessageKind, SystemEvent, ThreadRole};
use fulcrum_model::fxhash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

/// The fields of a Slack message Fulcrum reads; everything else is skipped
/// by the parser without being built.
#[derive(Deserialize, Default)]
pub(crate) struct RawMessage<'a> {
    #[serde(borrow, default)]
    ts: LenientStr<'a>,
    #[serde(borrow, default)]
    user: LenientStr<'a>,
    #[serde(borrow, default)]
    subtype: LenientStr<'a>,
    #[serde(borrow, default)]
    thread_ts: LenientStr<'a>,
    #[serde(borrow, default)]
    text: LenientStr<'a>,
    #[serde(default)]
    bot_id: Option<IgnoredAny>,
    #[serde(default)]
    reply_count: LenientU64,
    #[serde(default)]
    reply_users_count: LenientU64,
    #[serde(default)]
    reply_users: ArrayLen,
    #[serde(default)]
    edited: Option<IgnoredAny>,
    #[serde(default)]
    room: Option<IgnoredAny>,
    #[serde(borrow, default)]
    comment: Option<Element<RawComment<'a>>>,
}

/// The author of a `file_comment` message sits in `comment.user`.
#[derive(Deserialize, Default)]
pub(crate) struct RawComment<'a> {
    #[serde(borrow, default)]
    user: LenientStr<'a>,
}

/// Parses the messages of one day file from `d`, calling `f` for each array
/// element as soon as it is parsed: with the message, or `None` for an
/// element that is not a JSON object. The message is handed over by
/// reference where it was built, so it is never moved or collected.
pub(crate) fn visit_messages<'de, D, F>(d: D, f: &mut F) -> Result<(), D::Error>
where
    D: Deserializer<'de>,
    F: FnMut(Option<&RawMessage<'de>>),
{
    struct DayVisitor<'f, F>(&'f mut F);
    impl<'de, F: FnMut(Option<&RawMessage<'de>>)> Visitor<'de> for DayVisitor<'_, F> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON array of messages")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(ElementSeed(&mut *self.0))?.is_some() {}
            Ok(())
        }
    }
    d.deserialize_seq(DayVisitor(f))
}

/// Deserializes one array element and hands it to the callback in place.
struct ElementSeed<'f, F>(&'f mut F);

impl<'de, F: FnMut(Option<&RawMessage<'de>>)> DeserializeSeed<'de> for ElementSeed<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(ElementVisitor(self.0))
    }
}

/// Builds the message inside `visit_map` and calls the callback there, so
/// the (large) raw message is never returned by value through the layers.
/// Any other JSON value is skipped and reported as `None`.
struct ElementVisitor<'f, F>(&'f mut F);

impl<'de, F: FnMut(Option<&RawMessage<'de>>)> Visitor<'de> for ElementVisitor<'_, F> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let raw = RawMessage::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        (self.0)(Some(&raw));
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        (self.0)(None);
        Ok(())
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        (self.0)(None);
        Ok(())
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        (self.0)(None);
        Ok(())
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        (self.0)(None);
        Ok(())
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        (self.0)(None);
        Ok(())
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        (self.0)(None);
        Ok(())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        (self.0)(None);
        Ok(())
    }
}

/// Reads Slack's `ts` (`"1463436400.000002"`: seconds, a dot, microseconds)
/// as an instant. Fractions longer than nine digits, signs and other
/// characters are rejected.
pub fn parse_ts(ts: &str) -> Option<DateTime<Utc>> {
    let (secs, frac) = ts.split_once('.').unwrap_or((ts, ""));
    if secs.is_empty()
        || secs.len() > 12
        || frac.len() > 9
        || !secs.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let secs = secs.bytes().fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
    let digits = frac.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    // Scale the fraction's digits to nanoseconds: "000002" is 2 µs.
    const SCALE: [u32; 10] = [
        1_000_000_000,
        100_000_000,
        10_000_000,
        1_000_000,
        100_000,
        10_000,
        1_000,
        100,
        10,
        1,
    ];
    DateTime::from_timestamp(secs, digits * SCALE[frac.len()])
}

/// What a subtype means for activity counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SubtypeClass {
    Plain,
    Bot,
    System(SystemEvent),
    Huddle,
    Broadcast,
    Unknown,
}

fn classify_subtype(subtype: &str) -> SubtypeClass {
    use SubtypeClass::*;
    match subtype {
        ""
        | "file_share"
        | "file_comment"
        | "file_mention"
        | "me_message"
        | "reply_to_thread"
        | "message_replied"
        | "slackbot_response_to_user" => Plain,
        "thread_broadcast" | "reply_broadcast" => Broadcast,
        "huddle_thread" | "sh_room_created" => Huddle,
        "bot_message" | "slackbot_response" | "reminder_add" | "workflow_step" => Bot,
        "channel_join" | "group_join" | "member_joined_channel" => System(SystemEvent::Join),
        "channel_leave" | "group_leave" | "member_left_channel" => System(SystemEvent::Leave),
        "channel_topic" | "group_topic" => System(SystemEvent::Topic),
        "channel_purpose" | "group_purpose" => System(SystemEvent::Purpose),
        "channel_name" | "group_name" => System(SystemEvent::Rename),
        "channel_archive" | "group_archive" | "channel_unarchive" | "group_unarchive" => {
            System(SystemEvent::Archive)
        }
        "pinned_item" | "unpinned_item" => System(SystemEvent::Pin),
        "bot_add"
        | "bot_remove"
        | "bot_enable"
        | "bot_disable"
        | "app_conversation_join"
        | "app_conversation_leave"
        | "service_add"
        | "service_remove" => System(SystemEvent::Integration),
        "tombstone" | "message_deleted" => System(SystemEvent::Deleted),
        "channel_convert_to_private"
        | "channel_convert_to_public"
        | "channel_posting_permissions"
        | "joiner_notification"
        | "ekm_access_denied"
        | "file_share_in_thread"
        | "channel_canvas_updated" => System(SystemEvent::Other),
        _ => Unknown,
    }
}

/// One account of `users.json` as the message reader needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct UserFlags {
    pub(crate) is_bot: bool,
}

/// Slackbot posts as `USLACKBOT` and is never listed in `users.json`.
pub(crate) const SLACKBOT: &str = "USLACKBOT";

/// State shared by all day files of one export: the user directory, an
/// interner for author ids, and counts for end-of-export diagnostics.
#[derive(Debug)]
pub(crate) struct MessageContext {
    /// Author ids, interned, with their directory entry (`None` for an id
    /// the directory does not list): one lookup per message finds both.
    authors: FxHashMap<Arc<str>, Option<UserFlags>>,
    /// True when a user directory was read; without one, unknown authors
    /// are not reported one by one.
    pub(crate) have_directory: bool,
    /// Derive [`MessageFlags`](fulcrum_model::chat::MessageFlags) from the
    /// text (see [`crate::ChatSink::needs_flags`]).
    pub(crate) flags: bool,
    pub(crate) unknown_users: FxHashSet<Arc<str>>,
    pub(crate) unknown_user_messages: Examples,
    pub(crate) unknown_subtypes: Examples,
    pub(crate) no_author: u64,
}

impl Default for MessageContext {
    fn default() -> Self {
        MessageContext {
            authors: FxHashMap::default(),
            have_directory: false,
            flags: true,
            unknown_users: FxHashSet::default(),
            unknown_user_messages: Examples::default(),
            unknown_subtypes: Examples::default(),
            no_author: 0,
        }
    }
}

impl MessageContext {
    /// Adds an account of the user directory (the first of an id wins).
    pub(crate) fn add_user(&mut self, id: &str, flags: UserFlags) {
        if !matches!(self.authors.get(id), Some(Some(_))) {
            self.authors.insert(Arc::from(id), Some(flags));
        }
    }

    /// The interned author id and its directory entry.
    fn author(&mut self, id: &str) -> (Arc<str>, Option<UserFlags>) {
        if let Some((a, known)) = self.authors.get_key_value(id) {
            return (a.clone(), *known);
        }
        let a: Arc<str> = Arc::from(id);
        // Bound the interner: a hostile export can invent ids without end.
        if self.authors.len() < 1_000_000 {
            self.authors.insert(a.clone(), None);
        }
        (a, None)
    }

    /// Turns one parsed message into metadata; `Err` says why it was
    /// skipped. The text is read here and dropped with `raw`.
    pub(crate) fn convert(
        &mut self,
        raw: &RawMessage<'_>,
        conversation: &Arc<str>,
    ) -> Result<ChatMessage, String> {
        let ts = raw
            .ts
            .as_deref()
            .ok_or_else(|| "message has no ts; skipped".to_owned())?;
        let at = parse_ts(ts).ok_or_else(|| {
            format!(
                "ts {:?} is not a Slack timestamp; message skipped",
                clip(ts)
            )
        })?;
        let subtype = raw.subtype.as_deref().unwrap_or("");
        let class = classify_subtype(subtype);
        if class == SubtypeClass::Unknown {
            self.unknown_subtypes.add(subtype);
        }
        let author_id =
            raw.user
                .as_deref()
                .filter(|u| !u.is_empty())
                .or_else(|| match &raw.comment {
                    Some(Element::Object(c)) => c.user.as_deref().filter(|u| !u.is_empty()),
                    _ => None,
                });
        let (author, known) = match author_id.map(|a| self.author(a)) {
            Some((a, known)) => (Some(a), known),
            None => (None, None),
        };
        let kind = match class {
            SubtypeClass::System(event) => MessageKind::System(event),
            SubtypeClass::Bot => MessageKind::Bot,
            _ if author_id == Some(SLACKBOT) => MessageKind::Bot,
            _ if known.is_some_and(|u| u.is_bot) => MessageKind::Bot,
            // An app's post carries a `bot_id`, with its bot user's id or
            // none: a bot unless the directory lists its author as a person
            // (someone posting through an app). Without users.json that
            // is all there is to tell an integration from a person.
            _ if raw.bot_id.is_some() && known.is_none() => MessageKind::Bot,
            _ => MessageKind::Person,
        };
        if kind == MessageKind::Person {
            match (&author, known) {
                (None, _) => self.no_author += 1,
                (Some(a), None) if self.have_directory => {
                    self.unknown_user_messages.add(a);
                    if self.unknown_users.len() < 100_000 {
                        self.unknown_users.insert(a.clone());
                    }
                }
                _ => {}
            }
        }
        let reply_count = raw.reply_count.0.unwrap_or(0);
        let thread = match raw.thread_ts.as_deref() {
            Some(parent) if parent != ts => ThreadRole::Reply {
                parent: self.intern_parent(parent),
            },
            Some(_) => ThreadRole::Parent,
            None if reply_count > 0 => ThreadRole::Parent,
            None => ThreadRole::Standalone,
        };
        let text = raw.text.as_deref().unwrap_or("");
        let reply_users = raw.reply_users_count.0.unwrap_or(raw.reply_users.0);
        // Mentions and flags matter only for people's messages (a bot's
        // mention is not an ask); skipping them for the rest saves a scan.
        let person = kind == MessageKind::Person;
        Ok(ChatMessage {
            id: Arc::from(ts),
            at,
            conversation: conversation.clone(),
            author,
            kind,
            broadcast: class == SubtypeClass::Broadcast
                && matches!(thread, ThreadRole::Reply { .. }),
            thread,
            reply_count: u32::try_from(reply_count).unwrap_or(u32::MAX),
            reply_users: u32::try_from(reply_users).unwrap_or(u32::MAX),
            mentions: if person {
                text::slack_mentions(text)
            } else {
                Default::default()
            },
            huddle: class == SubtypeClass::Huddle || raw.room.is_some(),
            edited: raw.edited.is_some(),
            text_chars: text::char_count(text),
            flags: if person && self.flags {
                text::flags(text)
            } else {
                Default::default()
            },
        })
    }

    fn intern_parent(&mut self, parent: &str) -> Arc<str> {
        // Parent ids are not interned: there is one per thread, not per user.
        Arc::from(parent)
    }
}

fn clip(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// What one day file gave: its messages, how many elements were skipped,
/// and located problems. Returned by [`read_day_file`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayFile {
    /// The messages, in file order, duplicates (same `ts`) removed.
    pub messages: Vec<ChatMessage>,
    /// Elements that were not read as messages (no `ts`, not an object,
    /// a duplicate, the unreadable rest of a broken file counted as one).
    pub skipped: u64,
    /// Problems, located by entry.
    pub diagnostics: Vec<EntryDiagnostic>,
}

/// Reads one day file from bytes, without a user directory: the entry name
/// `<conversation>/<date>.json` gives the conversation id. This is the entry
/// point of the `slack_day_file` fuzz target; it never panics.
pub fn read_day_file(entry: &str, bytes: &[u8]) -> DayFile {
    let folder = entry.rsplit_once('/').map_or("", |(f, _)| f);
    let conversation: Arc<str> = Arc::from(folder.rsplit('/').next().unwrap_or(folder));
    let mut ctx = MessageContext::default();
    let mut out = DayFile::default();
    let mut seen: HashSet<Arc<str>> = HashSet::new();
    let mut skip_reasons: Vec<String> = Vec::new();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result = visit_messages(&mut de, &mut |element| match element {
        Some(raw) => match ctx.convert(raw, &conversation) {
            Ok(m) => {
                if seen.insert(m.id.clone()) {
                    out.messages.push(m);
                } else {
                    out.skipped += 1;
                    skip_reasons.push(format!("duplicate message ts {}; counted once", m.id));
                }
            }
            Err(why) => {
                out.skipped += 1;
                skip_reasons.push(why);
            }
        },
        None => {
            out.skipped += 1;
            skip_reasons.push("array element is not a JSON object; skipped".to_owned());
        }
    });
    let result = result.and_then(|()| de.end());
    for why in skip_reasons {
        out.diagnostics.push(EntryDiagnostic {
            entry: entry.to_owned(),
            message: why,
        });
    }
    if let Err(e) = result {
        out.skipped += 1;
        out.diagnostics.push(EntryDiagnostic {
            entry: entry.to_owned(),
            message: format!(
                "not valid JSON ({e}); {} messages read before the error, the rest of the file skipped",
                out.messages.len()
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ts_parsing_keeps_microseconds() {
        let t = parse_ts("1463436400.000002").unwrap();
        assert_eq!(t.timestamp(), 1_463_436_400);
        assert_eq!(t.timestamp_subsec_micros(), 2);
        assert_eq!(parse_ts("1463436400").unwrap().timestamp(), 1_463_436_400);
        assert!(parse_ts("").is_none());
        assert!(parse_ts("-5.1").is_none());
        assert!(parse_ts("12a.5").is_none());
        assert!(parse_ts("1.1234567890").is_none());
    }

    #[test]
    fn day_file_extracts_metadata() {
        let json = br#"[
          {"type":"message","user":"U1","text":"Decision: ship. <@U2> ASAP","ts":"1715000000.000100",
           "thread_ts":"1715000000.000100","reply_count":2,"reply_users":["U2","U3"],"edited":{"user":"U1"}},
          {"type":"message","subtype":"thread_broadcast","user":"U2","text":"ok","ts":"1715000100.000200",
           "thread_ts":"1715000000.000100"},
          {"type":"message","subtype":"channel_join","user":"U3","text":"<@U3> has joined","ts":"1715000200.000300"},
          {"type":"message","subtype":"bot_message","bot_id":"B1","text":"deploy done","ts":"1715000300.000400"},
          {"type":"message","user":"U1","text":"no ts"},
          42
        ]"#;
        let day = read_day_file("general/2024-05-06.json", json);
        assert_eq!(day.messages.len(), 4);
        // "no ts" + the element 42.
        assert_eq!(day.skipped, 2);
        let parent = &day.messages[0];
        assert_eq!(&*parent.conversation, "general");
        assert_eq!(parent.thread, ThreadRole::Parent);
        assert_eq!((parent.reply_count, parent.reply_users), (2, 2));
        assert!(parent.edited && parent.flags.decision && parent.flags.urgent);
        assert_eq!(parent.mentions.users, ["U2"]);
        // "Decision: ship. <@U2> ASAP" is 26 characters.
        assert_eq!(parent.text_chars, 26);
        let reply = &day.messages[1];
        assert!(reply.broadcast && reply.is_reply());
        assert_eq!(day.messages[2].kind, MessageKind::System(SystemEvent::Join));
        assert_eq!(day.messages[3].kind, MessageKind::Bot);
        assert_eq!(day.diagnostics.len(), 2);
    }

    #[test]
    fn broken_json_keeps_what_came_before() {
        let json = br#"[{"user":"U1","ts":"1.000001","text":"a"},{"user":"U1","ts":"2.0000"#;
        let day = read_day_file("c/2024-01-01.json", json);
        assert_eq!(day.messages.len(), 1);
        assert_eq!(day.skipped, 1);
        assert!(
            day.diagnostics[0]
                .message
                .contains("1 messages read before the error")
        );
    }

    #[test]
    fn duplicate_ts_is_counted_once() {
        let json = br#"[{"user":"U1","ts":"5.000001","thread_ts":"1.000000","text":"a"},
                        {"user":"U1","ts":"5.000001","thread_ts":"1.000000","subtype":"thread_broadcast","text":"a"}]"#;
        let day = read_day_file("c/2024-01-01.json", json);
        assert_eq!((day.messages.len(), day.skipped), (1, 1));
    }

    #[test]
    fn not_an_array_is_reported() {
        let day = read_day_file("c/2024-01-01.json", br#"{"ts":"1.0"}"#);
        assert!(day.messages.is_empty());
        assert_eq!(day.skipped, 1);
    }
}
