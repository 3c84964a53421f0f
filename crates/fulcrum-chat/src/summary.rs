//! The inspection summary of an export: counts per export and per
//! conversation, threads and asks, for `fulcrum chat summary`.
//!
//! Definitions (also in `docs/chat.md`):
//! - `messages` = `people_messages` + `bot_messages` + `system_messages`:
//!   every message entry read. Records that could not be read, and
//!   duplicates of a message already read, are in `skipped` instead.
//! - `threads`: distinct parents that at least one reply in the export
//!   points to (the parent itself may be outside the export's window).
//! - `replies`: messages in a thread that are not its parent; a
//!   `thread_broadcast` is one reply.
//! - `asks` (SIGNALS.md): in a DM, one ask to the other member per turn
//!   (the messages one member writes before the other writes) that opens
//!   an exchange (after [`EXCHANGE_GAP_HOURS`] of silence in the DM) or
//!   asks something; elsewhere (channel, private channel, group DM,
//!   thread), one ask to each distinct person a message @mentions other
//!   than its author. An acknowledgement is never an ask, huddle posts are
//!   calls; `@here`/`@channel` are not asks. A recipient must be a listed,
//!   non-bot user; asks to ids not in the user directory are reported, not
//!   counted. Turns are found in reading order (each conversation's
//!   messages come in time order from both readers), with the default gap:
//!   the report uses `policy.chat.exchange_gap_hours`.

use crate::ChatSink;
use crate::ReadReport;
use crate::diag::Examples;
use fulcrum_model::chat::{
    ChatMessage, Conversation, ConversationKind, ConversationSummary, ExportSummary, MessageKind,
    ThreadRole,
};
use fulcrum_model::fxhash::{FxHashMap, FxHashSet, FxHasher};
use fulcrum_model::policy::EXCHANGE_GAP_HOURS;
use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::Arc;

#[derive(Debug, Default, Clone)]
struct Counts {
    messages: u64,
    people: u64,
    threads: u64,
    replies: u64,
}

/// A [`ChatSink`] that counts what [`ExportSummary`] reports, in memory
/// proportional to the number of conversations and users and to the threads
/// of one conversation, never to the number of messages.
///
/// Threads are counted with a set of parent ids that is emptied whenever
/// the conversation changes: the Slack reader sends each conversation's
/// messages together (day files in folder order) and a thread never spans
/// conversations; a Mattermost post is followed directly by its nested
/// replies. Should messages of a conversation come back after another one
/// (two folders for one conversation), the summary says that threads
/// spanning both may be counted twice.
#[derive(Debug, Default)]
pub struct SummaryBuilder {
    per_conversation: Vec<Counts>,
    bots: u64,
    system: u64,
    /// The conversation whose threads `thread_parents` holds.
    current: Option<usize>,
    /// Hashes of the parent ids seen in replies of the current conversation.
    thread_parents: FxHashSet<u64>,
    /// Conversations already left (to notice one that comes back).
    left: Vec<bool>,
    returned: Examples,
    ask_targets: FxHashMap<Arc<str>, u64>,
    dm_without_members: Examples,
    /// Per DM conversation: the turn being read.
    turns: FxHashMap<usize, Turn>,
}

/// The turn being read in one DM.
#[derive(Debug, Clone)]
struct Turn {
    author: Arc<str>,
    /// The last message of the DM so far.
    last_ms: i64,
    /// The turn followed the gap (or opened the DM).
    opens: bool,
    /// The turn's ask is already counted.
    counted: bool,
}

impl SummaryBuilder {
    /// An empty summary.
    pub fn new() -> Self {
        Self::default()
    }

    fn counts(&mut self, index: usize) -> &mut Counts {
        if self.per_conversation.len() <= index {
            self.per_conversation.resize(index + 1, Counts::default());
        }
        &mut self.per_conversation[index]
    }

    /// Takes a DM message into its turn; true when it makes the turn's ask.
    fn dm_turn_asks(&mut self, index: usize, author: &Arc<str>, m: &ChatMessage) -> bool {
        let at = m.at.timestamp_millis();
        let gap = (EXCHANGE_GAP_HOURS * 3_600_000.0) as i64;
        let turn = match self.turns.get_mut(&index) {
            Some(t) if t.author == *author => {
                t.last_ms = at;
                t
            }
            Some(t) => {
                *t = Turn {
                    author: author.clone(),
                    opens: at - t.last_ms >= gap,
                    last_ms: at,
                    counted: false,
                };
                t
            }
            None => self.turns.entry(index).or_insert(Turn {
                author: author.clone(),
                last_ms: at,
                opens: true,
                counted: false,
            }),
        };
        if turn.counted || m.flags.ack || !(turn.opens || m.flags.question) {
            return false;
        }
        turn.counted = true;
        true
    }

    fn ask(&mut self, target: &str) {
        match self.ask_targets.get_mut(target) {
            Some(n) => *n += 1,
            None => {
                self.ask_targets.insert(Arc::from(target), 1);
            }
        }
    }

    /// The summary of `report`'s export, named `export` in the output.
    pub fn finish(self, export: &str, report: ReadReport) -> ExportSummary {
        let ReadReport {
            platform,
            users,
            conversations,
            mut diagnostics,
            skipped,
            ..
        } = report;
        let directory: HashMap<&str, bool> =
            users.iter().map(|u| (u.id.as_str(), u.is_bot)).collect();
        let mut asks = 0;
        let mut unknown = Examples::default();
        let mut unknown_asks = 0;
        let mut targets: Vec<(&Arc<str>, &u64)> = self.ask_targets.iter().collect();
        targets.sort();
        for (target, n) in targets {
            match directory.get(&**target) {
                Some(false) => asks += n,
                Some(true) => {}
                None if crate::slack::is_implicit_bot(target) => {}
                None => {
                    unknown.add(target);
                    unknown_asks += n;
                }
            }
        }
        if unknown.count > 0 {
            diagnostics.push(
                "",
                format!(
                    "{unknown_asks} asks to {} ids or names that are not in the user directory \
                     (e.g. {}) were not counted",
                    unknown.count,
                    unknown.list()
                ),
            );
        }
        if self.returned.count > 0 {
            diagnostics.push(
                "",
                format!(
                    "messages of {} conversations came in more than one run (e.g. {}): a thread \
                     with replies in both runs is counted once per run",
                    self.returned.count,
                    self.returned.list()
                ),
            );
        }
        if self.dm_without_members.count > 0 {
            diagnostics.push(
                "",
                format!(
                    "{} messages in DMs whose members are not listed (e.g. {}): not counted as asks",
                    self.dm_without_members.count,
                    self.dm_without_members.list()
                ),
            );
        }
        let mut totals = Counts::default();
        let mut out = Vec::with_capacity(conversations.len());
        for (i, c) in conversations.iter().enumerate() {
            let counts = self.per_conversation.get(i).cloned().unwrap_or_default();
            totals.messages += counts.messages;
            totals.people += counts.people;
            totals.threads += counts.threads;
            totals.replies += counts.replies;
            out.push(ConversationSummary {
                id: c.id.to_string(),
                name: c.name.clone(),
                kind: c.kind,
                messages: counts.messages,
                people_messages: counts.people,
                threads: counts.threads,
                replies: counts.replies,
            });
        }
        ExportSummary {
            export: export.to_owned(),
            platform,
            users: users.len() as u64,
            messages: totals.messages,
            people_messages: totals.people,
            bot_messages: self.bots,
            system_messages: self.system,
            threads: totals.threads,
            replies: totals.replies,
            asks,
            skipped,
            conversations: out,
            diagnostics: diagnostics.finish(),
        }
    }
}

impl ChatSink for SummaryBuilder {
    /// Asks need the question and acknowledgement flags.
    fn needs_flags(&self) -> bool {
        true
    }

    fn message(&mut self, index: usize, conversation: &Conversation, message: ChatMessage) {
        let is_reply = message.is_reply();
        if self.current != Some(index) {
            if let Some(previous) = self.current {
                if self.left.len() <= previous {
                    self.left.resize(previous + 1, false);
                }
                self.left[previous] = true;
            }
            if self.left.get(index).copied().unwrap_or(false) {
                self.returned.add(&conversation.id);
            }
            self.current = Some(index);
            self.thread_parents.clear();
        }
        let new_thread = match &message.thread {
            ThreadRole::Reply { parent } => {
                let mut h = FxHasher::default();
                h.write(parent.as_bytes());
                self.thread_parents.insert(h.finish())
            }
            _ => false,
        };
        let counts = self.counts(index);
        counts.messages += 1;
        if is_reply {
            counts.replies += 1;
        }
        if new_thread {
            counts.threads += 1;
        }
        match message.kind {
            MessageKind::Person => {
                self.counts(index).people += 1;
                let Some(author) = message.author.as_ref() else {
                    return;
                };
                if message.huddle {
                    // A call: neither an ask nor an answer.
                    return;
                }
                if conversation.kind == ConversationKind::Dm {
                    if conversation.members.is_empty() {
                        self.dm_without_members.add(&conversation.id);
                    }
                    if self.dm_turn_asks(index, author, &message) {
                        for member in &conversation.members {
                            if **member != **author {
                                self.ask(member);
                            }
                        }
                    }
                } else if !message.flags.ack {
                    for mentioned in &message.mentions.users {
                        if **mentioned != **author {
                            self.ask(mentioned);
                        }
                    }
                }
            }
            MessageKind::Bot => self.bots += 1,
            MessageKind::System(_) => self.system += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Diagnostics, ReadReport};
    use chrono::DateTime;
    use fulcrum_model::chat::{ChatPlatform, Mentions, MessageFlags};

    fn conv(id: &str, kind: ConversationKind, members: &[&str]) -> Conversation {
        Conversation {
            id: Arc::from(id),
            name: id.to_owned(),
            kind,
            members: members.iter().map(|m| (*m).to_owned()).collect(),
        }
    }

    fn msg(id: &str, author: &str, thread: ThreadRole, mentions: &[&str]) -> ChatMessage {
        ChatMessage {
            id: Arc::from(id),
            at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            conversation: Arc::from("x"),
            author: Some(Arc::from(author)),
            kind: MessageKind::Person,
            thread,
            broadcast: false,
            reply_count: 0,
            reply_users: 0,
            mentions: Mentions {
                users: mentions.iter().map(|m| (*m).to_owned()).collect(),
                ..Mentions::default()
            },
            huddle: false,
            edited: false,
            text_chars: 1,
            flags: MessageFlags::default(),
        }
    }

    fn report(conversations: Vec<Conversation>, users: &[(&str, bool)]) -> ReadReport {
        ReadReport {
            platform: ChatPlatform::Slack,
            users: users
                .iter()
                .map(|(id, bot)| fulcrum_model::identity::SourceUser {
                    id: (*id).to_owned(),
                    is_bot: *bot,
                    ..Default::default()
                })
                .collect(),
            conversations,
            diagnostics: Diagnostics::default(),
            skipped: 0,
            entries_read: 1,
            bytes_read: 0,
            out_of_range_files: 0,
            out_of_range_posts: 0,
            dates: None,
            no_user_directory: false,
        }
    }

    #[test]
    fn threads_are_counted_per_conversation_run() {
        let a = conv("A", ConversationKind::Channel, &[]);
        let b = conv("B", ConversationKind::Channel, &[]);
        let reply = |id: &str| ThreadRole::Reply {
            parent: Arc::from(id),
        };
        let mut s = SummaryBuilder::new();
        s.message(0, &a, msg("2", "U1", reply("1"), &[]));
        s.message(0, &a, msg("3", "U2", reply("1"), &[]));
        s.message(0, &a, msg("4", "U2", reply("9"), &[]));
        s.message(1, &b, msg("5", "U1", reply("1"), &[]));
        // Back to A: parent 1 is counted again, and the summary says so.
        s.message(0, &a, msg("6", "U1", reply("1"), &[]));
        let out = s.finish("t", report(vec![a, b], &[("U1", false), ("U2", false)]));
        // A: parents 1 and 9 in the first run, 1 again in the second = 3; B: 1.
        assert_eq!(
            (out.conversations[0].threads, out.conversations[1].threads),
            (3, 1)
        );
        assert_eq!((out.threads, out.replies), (4, 5));
        assert!(
            out.diagnostics
                .iter()
                .any(|d| d.message.contains("more than one run"))
        );
    }

    #[test]
    fn asks_follow_the_definition() {
        let dm = conv("D", ConversationKind::Dm, &["U1", "U2"]);
        let ch = conv("C", ConversationKind::Channel, &[]);
        let mut s = SummaryBuilder::new();
        // DM: one ask to the other member, mentions inside add nothing.
        s.message(0, &dm, msg("1", "U1", ThreadRole::Standalone, &["U2"]));
        // Channel: U2 and U3 (U1 is the author, B1 a bot, U9 unknown).
        s.message(
            1,
            &ch,
            msg(
                "2",
                "U1",
                ThreadRole::Standalone,
                &["U1", "U2", "U3", "B1", "U9"],
            ),
        );
        let users = [("U1", false), ("U2", false), ("U3", false), ("B1", true)];
        let out = s.finish("t", report(vec![dm, ch], &users));
        // 1 (DM) + 2 (U2, U3) = 3.
        assert_eq!(out.asks, 3);
        assert!(out.diagnostics.iter().any(|d| d.message.contains("U9")));
    }

    #[test]
    fn dm_asks_are_turns_as_the_report_counts_them() {
        let dm = conv("D", ConversationKind::Dm, &["U1", "U2"]);
        let at = |minutes: i64, id: &str, author: &str| {
            let mut m = msg(id, author, ThreadRole::Standalone, &[]);
            m.at += chrono::Duration::minutes(minutes);
            m
        };
        let mut s = SummaryBuilder::new();
        // U1 opens (1 ask to U2) and writes twice more (the same turn); U2
        // answers (no ask); U1 says thanks (never an ask); U2 asks back a
        // question (1 ask to U1) and, 9 h later, writes again: still U2's
        // turn, so no second ask. 2 asks, where one per message gave 7.
        s.message(0, &dm, at(0, "1", "U1"));
        s.message(0, &dm, at(1, "2", "U1"));
        s.message(0, &dm, at(2, "3", "U1"));
        s.message(0, &dm, at(30, "4", "U2"));
        let mut thanks = at(31, "5", "U1");
        thanks.flags.ack = true;
        s.message(0, &dm, thanks);
        let mut question = at(40, "6", "U2");
        question.flags.question = true;
        s.message(0, &dm, question);
        s.message(0, &dm, at(40 + 9 * 60, "7", "U2"));
        let users = [("U1", false), ("U2", false)];
        let out = s.finish("t", report(vec![dm], &users));
        assert_eq!(out.asks, 2);
    }
}
