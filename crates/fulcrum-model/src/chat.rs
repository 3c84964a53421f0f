//! Chat messages and conversations as metadata only.
//!
//! Architecture invariant: no type in this module holds message text. A
//! reader looks at the text of one message while it parses it (to find
//! mentions and the derived [`MessageFlags`]) and keeps only what is here:
//! who wrote, where, when, in which thread, whom it mentions, how long it
//! was, and a few flags.

use crate::diagnostic::Diagnostic;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// The chat system an export came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChatPlatform {
    /// A Slack export (ZIP or unpacked folder).
    Slack,
    /// A Mattermost bulk export (JSON lines, or the ZIP `mmctl export` writes).
    Mattermost,
}

impl ChatPlatform {
    /// The lower-case name used in JSON output: `slack` or `mattermost`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ChatPlatform::Slack => "slack",
            ChatPlatform::Mattermost => "mattermost",
        }
    }
}

/// What kind of conversation a message was posted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConversationKind {
    /// A public channel.
    Channel,
    /// A private channel (Slack "group", Mattermost type `P`).
    Private,
    /// A direct message between two people (or one person and themselves).
    Dm,
    /// A group direct message between three or more people.
    GroupDm,
}

impl ConversationKind {
    /// The spelling used in JSON output: `channel`, `private`, `dm`, `group_dm`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ConversationKind::Channel => "channel",
            ConversationKind::Private => "private",
            ConversationKind::Dm => "dm",
            ConversationKind::GroupDm => "group_dm",
        }
    }
}

/// A channel, private channel, DM or group DM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    /// The export's id for it: a Slack channel id (`C…`, `G…`, `D…`), or for
    /// Mattermost `team/channel` or the sorted member usernames of a DM.
    pub id: Arc<str>,
    /// Display name (channel name; for DMs the id or the members joined).
    pub name: String,
    /// Its kind.
    pub kind: ConversationKind,
    /// Member user ids (Slack) or usernames (Mattermost), when the export
    /// lists them; empty when unknown.
    pub members: Vec<String>,
}

/// A system event posted into a conversation: not anyone's activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SystemEvent {
    /// Someone joined (or was added).
    Join,
    /// Someone left (or was removed).
    Leave,
    /// The topic or header changed.
    Topic,
    /// The purpose changed.
    Purpose,
    /// The conversation was renamed.
    Rename,
    /// The conversation was archived or unarchived.
    Archive,
    /// A message was pinned or unpinned.
    Pin,
    /// An integration or bot was added or removed.
    Integration,
    /// A deleted message's placeholder (Slack `tombstone`).
    Deleted,
    /// Another system kind.
    Other,
}

/// Who (or what) produced a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// A person wrote it: counts as activity.
    Person,
    /// A bot, app or integration posted it.
    Bot,
    /// The system posted it (joins, topic changes, ...).
    System(SystemEvent),
}

/// Where a message sits in a thread.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThreadRole {
    /// Not part of a thread (or a parent nobody answered yet).
    Standalone,
    /// The first message of a thread (Slack: `thread_ts == ts`).
    Parent,
    /// A reply in the thread whose parent has this message id.
    Reply {
        /// The parent's message id (Slack `thread_ts`).
        parent: Arc<str>,
    },
}

/// Mentions found in a message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Mentions {
    /// Mentioned user ids (Slack `<@U…>`) or usernames (Mattermost `@name`),
    /// each once, in order of first appearance.
    pub users: Vec<String>,
    /// `<!here>` / `@here`.
    pub here: bool,
    /// `<!channel>`, `<!everyone>`, `<!group>` / `@channel`, `@all`.
    pub channel: bool,
}

/// Flags derived from the text while it was in memory; the words that set
/// them are listed in `docs/chat.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MessageFlags {
    /// An urgency word: "urgent", "asap", "blocker", ...
    pub urgent: bool,
    /// A request for a call or huddle: "jump on a call", "let's meet", ...
    pub call_request: bool,
    /// A decision marker: "decided", "decision:", ...
    pub decision: bool,
    /// It asks something: a question mark, or a request phrase ("can
    /// you", "could you", "please", "let me know", ...).
    pub question: bool,
    /// It only acknowledges or closes ("thanks", "ok", "on it", "got it",
    /// "👍", ...): never an ask.
    pub ack: bool,
}

/// One chat message, without its text.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatMessage {
    /// The message id: Slack's `ts` exactly as written (it is both the time
    /// and the id); for Mattermost the `create_at` milliseconds.
    pub id: Arc<str>,
    /// When it was posted.
    pub at: DateTime<Utc>,
    /// The conversation id (see [`Conversation::id`]).
    pub conversation: Arc<str>,
    /// The author's user id (Slack) or username (Mattermost), when known.
    pub author: Option<Arc<str>>,
    /// Person, bot or system.
    pub kind: MessageKind,
    /// Thread position.
    pub thread: ThreadRole,
    /// A reply that was also sent to the channel (Slack `thread_broadcast`).
    pub broadcast: bool,
    /// `reply_count` of a parent as the export states it (0 when absent).
    pub reply_count: u32,
    /// Number of distinct repliers of a parent as the export states it.
    pub reply_users: u32,
    /// Mentions.
    pub mentions: Mentions,
    /// A huddle or call marker (Slack `huddle_thread`, a huddle room, a
    /// Mattermost call post).
    pub huddle: bool,
    /// The message was edited after posting.
    pub edited: bool,
    /// Length of the text in characters (the text itself is dropped).
    pub text_chars: u32,
    /// Derived flags.
    pub flags: MessageFlags,
}

impl ChatMessage {
    /// True when the message is a reply in a thread.
    pub fn is_reply(&self) -> bool {
        matches!(self.thread, ThreadRole::Reply { .. })
    }

    /// True when the message counts as a person's activity.
    pub fn is_activity(&self) -> bool {
        self.kind == MessageKind::Person
    }
}

/// A problem found while reading an export, located by entry; the chat
/// readers' compact form of a [`Diagnostic`], which [`Self::located`] gives
/// once the export's name is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryDiagnostic {
    /// The ZIP entry or file (relative to the export), with `:line` for JSON
    /// lines; empty for a problem with the export as a whole.
    pub entry: String,
    /// What was wrong and what was done about it.
    pub message: String,
}

impl EntryDiagnostic {
    /// The shared diagnostic of a problem in `export`. A problem that made
    /// the reader leave something out ("skipped", "not used", "not read")
    /// is an error; any other (an assumption) is a warning.
    pub fn located(&self, export: &str) -> Diagnostic {
        let left_out = [
            "skipped",
            "not used",
            "not read",
            "left out",
            "cannot be read",
        ]
        .iter()
        .any(|w| self.message.contains(w));
        let mut d = if left_out {
            Diagnostic::error(export, self.message.clone())
        } else {
            Diagnostic::warning(export, self.message.clone())
        };
        // `file.jsonl:16` names a line of the entry.
        let (entry, line) = match self.entry.rsplit_once(':') {
            Some((name, n)) if !name.is_empty() && n.parse::<u32>().is_ok() => {
                (name, n.parse::<u32>().ok())
            }
            _ => (self.entry.as_str(), None),
        };
        if !entry.is_empty() {
            d = d.in_entry(entry);
        }
        if let Some(line) = line {
            d = d.at_line(line);
        }
        d
    }
}

/// Counts for one conversation in an [`ExportSummary`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationSummary {
    /// Conversation id.
    pub id: String,
    /// Conversation name.
    pub name: String,
    /// Its kind.
    pub kind: ConversationKind,
    /// Every message entry read.
    pub messages: u64,
    /// Messages that count as a person's activity.
    pub people_messages: u64,
    /// Parents with at least one reply.
    pub threads: u64,
    /// Replies (a broadcast reply counted once).
    pub replies: u64,
}

/// What was understood of one export: the `fulcrum chat summary` contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    /// Where it came from (as given by the user).
    pub export: String,
    /// The platform.
    pub platform: ChatPlatform,
    /// Entries in the user directory (`users.json`/`org_users.json`, or
    /// Mattermost `user` and `bot` lines).
    pub users: u64,
    /// Every message entry read.
    pub messages: u64,
    /// Messages that count as a person's activity.
    pub people_messages: u64,
    /// Messages by bots and integrations.
    pub bot_messages: u64,
    /// Join/leave/topic/purpose/name/archive/pin and other system messages.
    pub system_messages: u64,
    /// Parents with at least one reply.
    pub threads: u64,
    /// Replies (a broadcast reply counted once).
    pub replies: u64,
    /// Asks, as SIGNALS.md defines them.
    pub asks: u64,
    /// Records that could not be read (a message without a time, an entry
    /// that is not JSON counts its unknown messages as one, ...).
    pub skipped: u64,
    /// Per conversation, in the order first seen.
    pub conversations: Vec<ConversationSummary>,
    /// Located problems.
    pub diagnostics: Vec<EntryDiagnostic>,
}

#[cfg(test)]
mod diagnostic_tests {
    use super::*;
    use crate::diagnostic::Severity;

    #[test]
    fn entry_diagnostics_locate_entry_and_line() {
        let d = EntryDiagnostic {
            entry: "export.jsonl:16".into(),
            message: "post without create_at; skipped".into(),
        }
        .located("chat/mm.jsonl");
        assert_eq!(d.location(), "chat/mm.jsonl: export.jsonl:16");
        assert_eq!(
            (d.entry.as_deref(), d.line),
            (Some("export.jsonl"), Some(16))
        );
        assert_eq!(d.severity, Severity::Error);
        let w = EntryDiagnostic {
            entry: String::new(),
            message: "no users.json: authors are known only by id".into(),
        }
        .located("chat/slack.zip");
        assert_eq!((w.entry.as_deref(), w.line), (None, None));
        assert_eq!(w.severity, Severity::Warning);
        // A colon in a name is not a line.
        let n = EntryDiagnostic {
            entry: "general/2024:x.json".into(),
            message: "m".into(),
        }
        .located("e");
        assert_eq!(n.entry.as_deref(), Some("general/2024:x.json"));
    }
}
