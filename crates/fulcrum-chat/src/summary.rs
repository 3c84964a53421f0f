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
//! - `asks` (SIGNALS.md): for each person's message, one ask per
//!   recipient: in a DM, the other member; elsewhere (channel, private
//!   channel, group DM, thread), each distinct person it @mentions other
//!   than its author. `@here`/`@channel` are not asks. A recipient must be a
//!   listed, non-bot user; asks to ids not in the user directory are
//!   reported, not counted.

use crate::ChatSink;
use crate::ReadReport;
use crate::diag::Examples;
use fulcrum_model::chat::{
    ChatMessage, Conversation, ConversationKind, ConversationSummary, ExportSummary, MessageKind,
    ThreadRole,
};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

#[derive(Debug, Default, Clone)]
struct Counts {
    messages: u64,
    people: u64,
    threads: u64,
    replies: u64,
}

/// A [`ChatSink`] that counts what [`ExportSummary`] reports, in memory
/// proportional to the number of conversations, threads and users, never to
/// the number of messages.
#[derive(Debug, Default)]
pub struct SummaryBuilder {
    per_conversation: Vec<Counts>,
    bots: u64,
    system: u64,
    threads: HashSet<(usize, Arc<str>)>,
    ask_targets: HashMap<Arc<str>, u64>,
    dm_without_members: Examples,
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
        let ReadReport { platform, users, conversations, mut diagnostics, skipped, .. } = report;
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
    fn message(&mut self, index: usize, conversation: &Conversation, message: ChatMessage) {
        let is_reply = message.is_reply();
        let new_thread = match &message.thread {
            ThreadRole::Reply { parent } => self.threads.insert((index, parent.clone())),
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
                let Some(author) = message.author.as_deref() else { return };
                if conversation.kind == ConversationKind::Dm {
                    if conversation.members.is_empty() {
                        self.dm_without_members.add(&conversation.id);
                    }
                    for member in &conversation.members {
                        if member != author {
                            self.ask(member);
                        }
                    }
                } else {
                    for mentioned in &message.mentions.users {
                        if mentioned != author {
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
