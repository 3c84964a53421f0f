//! Chat signals: messages, asks, response latency on both clocks, SLA
//! breaches, thread escalations.
//!
//! Messages stream in one at a time ([`crate::Analysis::add_message`]) in
//! any order (Slack exports come per channel and day, Mattermost nests
//! replies under their post). What is kept per message is only what a
//! signal still needs after it: weekly counters are updated on the spot; an
//! ask becomes a small record (time, recipient, where a reply would be); a
//! message of a listed person that could answer an ask becomes one 8-byte
//! time under its (conversation, thread, author) key; a thread keeps counts
//! and its last few message times. No text, no ids of messages that are
//! not threads. All of that is kept per conversation (replies never cross
//! conversations, nor do DM turns or threads) and settled when the reader
//! says the conversation is done ([`ChatState::end_conversation`]), so
//! memory holds the conversations being read plus the asks still waiting
//! for the data's end, not the whole export.
//!
//! Definitions (the Clarifications are in SIGNALS.md):
//! - A message counts when a person (not a bot, not the system) wrote it and
//!   the author resolves to a listed person.
//! - An ask is a message that expects an answer from a listed person.
//!   In a DM, the messages one member writes before the other writes form a
//!   turn; a turn is one ask to the other member when it opens an exchange
//!   (nothing was written in the DM for `exchange_gap_hours` before it) or
//!   when one of its messages asks something (a question mark or a request
//!   phrase). Its time is the first message that is not an acknowledgement
//!   when it opens an exchange, else its first asking message. DM turns are
//!   worked out at the end, when each DM's messages can be put in order.
//!   Elsewhere (channels, private channels, group DMs, threads), a message
//!   is one ask to each distinct listed person @mentioned other than the
//!   author. A message that only acknowledges or closes ("thanks", "on
//!   it") is never an ask; `@here`/`@channel` are not asks; huddle posts
//!   are calls, not written messages (neither asks nor answers).
//! - A reply to an ask is the recipient's first later message in the same
//!   DM (anywhere in it), or in the same thread; for a top-level channel
//!   message, in the thread started on it or at the top level of the channel.
//! - An ask is unanswered when its reply (or, without one, the end of the
//!   data) comes at least `unanswered_after_business_days` x the
//!   recipient's hours per working day later on the business-hours clock
//!   (5 x 8 h for Mon-Fri 9-17, i.e. the same time a working week later).
//!   An ask without a reply whose limit has not passed when the data ends is
//!   pending: neither answered nor unanswered.

use crate::intervals::hours;
use crate::meetings::{InviteTime, event_interval, participants};
use crate::params::Params;
use crate::person::{PersonState, WeekIndex};
use crate::resolve::Resolver;
use crate::stats::Spread;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use fulcrum_model::chat::{ChatMessage, Conversation, ConversationKind, MessageKind, ThreadRole};
use fulcrum_model::fxhash::{FxHashMap, FxHashSet};
use fulcrum_model::{Occurrence, PartStat};
use std::sync::Arc;

/// Counts that say how much of the chat input could be used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChatCounts {
    /// Messages written by people (not bots, not the system).
    pub person_messages: u64,
    /// ... whose author resolves to a listed person.
    pub person_messages_resolved: u64,
    /// Bot and system messages (excluded by definition).
    pub bot_or_system_messages: u64,
    /// Messages outside the window's weeks (not counted in any week).
    pub outside_window: u64,
    /// User @mentions by listed people of someone else, outside DMs.
    pub mentions: u64,
    /// ... that resolve to a listed person.
    pub mentions_resolved: u64,
    /// Messages by listed people in DMs.
    pub dm_messages: u64,
    /// ... in DMs whose members are known.
    pub dm_messages_with_members: u64,
    /// Asks in the window.
    pub asks: u64,
    /// Answered asks.
    pub answered: u64,
    /// Unanswered asks.
    pub unanswered: u64,
    /// Pending asks (the data ends before the unanswered limit).
    pub pending: u64,
    /// Huddle posts by listed people (calls: on the sync side).
    pub huddles: u64,
    /// Asks whose SLA outcome is known.
    pub sla_decided: u64,
    /// Threads that qualified by size and had no decision marker.
    pub long_threads: u64,
    /// Of those, escalated.
    pub escalated_threads: u64,
}

#[derive(Debug, Clone)]
struct Conv {
    index: u32,
    kind: ConversationKind,
    urgent: bool,
    /// DM and group DM members, resolved once (empty for other kinds: a channel's member
    /// list is not needed).
    members: Vec<Option<u32>>,
}

/// A message of a listed person that may answer an ask: 16 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct ReplyCandidate {
    place: u32,
    author: u32,
    at_ms: i64,
}

#[derive(Debug, Clone)]
struct Ask {
    at: DateTime<Utc>,
    recipient: u32,
    week: u32,
    /// The DM or thread a reply is looked for in.
    place: u32,
    /// For a top-level channel message: the channel's top level, where a
    /// reply counts too.
    top_level: Option<u32>,
    urgent: bool,
}

/// A DM message of a listed person to a listed member, kept until the end
/// to find the DM's turns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct DmPost {
    place: u32,
    at_ms: i64,
    author: u32,
    /// The other member, when listed.
    recipient: Option<u32>,
    question: bool,
    ack: bool,
    urgent: bool,
    /// Inside the author's working time.
    sender_working: bool,
}

/// What [`ChatState::ask`] records.
#[derive(Debug, Clone, Copy)]
struct AskAt {
    at: DateTime<Utc>,
    recipient: u32,
    sender_working: bool,
    urgent: bool,
    place: u32,
    top_level: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Participant {
    Person(u32),
    Other(Arc<str>),
}

#[derive(Debug, Clone)]
struct ThreadAgg {
    messages: u32,
    participants: Vec<Participant>,
    last: DateTime<Utc>,
    decision: bool,
    /// The latest messages: (time, call request or huddle).
    tail: Vec<(DateTime<Utc>, bool)>,
}

/// Latencies (wall, business hours) of the answered asks per (recipient, week).
pub(crate) type LatencySamples = FxHashMap<(u32, u32), (Vec<f64>, Vec<f64>)>;

/// A thread that escalated: for team-week counts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EscalatedThread {
    pub(crate) last: DateTime<Utc>,
    /// Listed participants (in the order they were first seen).
    pub(crate) people: Vec<u32>,
    /// Where it was: the conversation's name and kind (for examples in
    /// findings; never message text).
    pub(crate) conversation: (String, ConversationKind),
    /// Its messages by people.
    pub(crate) messages: u32,
    /// Its distinct participants.
    pub(crate) participants: u32,
    /// A call/huddle phrase or a huddle post was among its last messages.
    pub(crate) ended_with_call: bool,
}

/// Short-notice one-off meetings of everyone's calendars: what a thread can
/// escalate into. Indexed by person (the listed people who did not
/// decline), so a thread looks only at its own participants' meetings.
#[derive(Debug, Clone, Default)]
pub(crate) struct EscalationMeetings {
    /// Per person, (start, meeting number), sorted.
    by_person: FxHashMap<u32, Vec<(DateTime<Utc>, u32)>>,
    /// Meetings added so far, by UID and start.
    seen: FxHashSet<(Arc<str>, DateTime<Utc>)>,
    /// Meetings numbered so far.
    meetings: u32,
    /// The per-person lists are sorted (no meeting added since).
    sorted: bool,
}

/// A short-notice meeting of one person's calendar, for
/// [`EscalationMeetings::add`].
#[derive(Debug, Clone)]
pub(crate) struct EscalationCandidate {
    uid: Arc<str>,
    start: DateTime<Utc>,
    /// Listed participants who did not decline, sorted.
    who: Vec<u32>,
}

impl EscalationMeetings {
    /// The short-notice one-off meetings of one person's calendar with at
    /// least two listed participants, each with the listed people who did
    /// not decline, in calendar order.
    pub(crate) fn candidates(
        occurrences: &[Occurrence],
        tz: &Tz,
        params: &Params,
        resolver: &dyn Resolver,
    ) -> Vec<EscalationCandidate> {
        let mut out = Vec::new();
        for occ in occurrences {
            if occ.details.series.in_series {
                continue;
            }
            // Cheap checks first: resolving participants costs lookups.
            let Ok(interval) = event_interval(occ, tz, params) else {
                continue;
            };
            let start = interval.start;
            let short = InviteTime::of(&occ.details, start).is_some_and(|i| {
                start - i.at() <= Duration::hours(i64::from(params.short_notice_hours))
            });
            if !short || participants(&occ.details, resolver).len() < 2 {
                continue;
            }
            let d = &occ.details;
            let mut who: Vec<u32> = d
                .organizer
                .iter()
                .map(|o| o.email.as_str())
                .chain(
                    d.attendees
                        .iter()
                        .filter(|a| a.is_person() && a.partstat != PartStat::Declined)
                        .map(|a| a.who.email.as_str()),
                )
                .filter_map(|e| resolver.person(e))
                .map(|i| i as u32)
                .collect();
            who.sort_unstable();
            who.dedup();
            out.push(EscalationCandidate {
                uid: occ.uid.clone(),
                start,
                who,
            });
        }
        out
    }

    /// Adds one person's candidates; a meeting already added from another
    /// person's calendar (same UID and start) counts once.
    pub(crate) fn add(&mut self, candidates: Vec<EscalationCandidate>) {
        for c in candidates {
            if !self.seen.insert((c.uid, c.start)) {
                continue;
            }
            for p in c.who {
                self.by_person
                    .entry(p)
                    .or_default()
                    .push((c.start, self.meetings));
            }
            self.meetings += 1;
        }
        self.sorted = false;
    }

    /// Sorts the per-person lists once every calendar is in (again only
    /// when a meeting was added since).
    pub(crate) fn sort(&mut self) {
        if self.sorted {
            return;
        }
        for list in self.by_person.values_mut() {
            list.sort_unstable();
        }
        self.sorted = true;
    }

    /// Drops what [`EscalationMeetings::add`] needs to count a meeting
    /// once, when no calendar can come any more.
    pub(crate) fn forget_seen(&mut self) {
        self.seen = FxHashSet::default();
    }

    /// True when a meeting starting in `(after, after + within]` includes at
    /// least half of `participants` (of whom `people` are listed).
    fn follows(
        &self,
        after: DateTime<Utc>,
        within: Duration,
        people: &[u32],
        participants: usize,
    ) -> bool {
        let mut included: FxHashMap<u32, usize> = FxHashMap::default();
        for p in people {
            let Some(list) = self.by_person.get(p) else {
                continue;
            };
            let first = list.partition_point(|(s, _)| *s <= after);
            for (_, meeting) in list[first..]
                .iter()
                .take_while(|(s, _)| *s <= after + within)
            {
                *included.entry(*meeting).or_default() += 1;
            }
        }
        participants > 0 && included.values().any(|n| n * 2 >= participants)
    }
}

/// What is kept of one conversation until it is settled.
#[derive(Debug, Default)]
struct OpenConversation {
    /// Places of this conversation: its top level or DM (`None`), or a
    /// thread by its parent's id.
    places: FxHashMap<Option<Arc<str>>, u32>,
    replies: Vec<ReplyCandidate>,
    asks: Vec<Ask>,
    dm_posts: Vec<DmPost>,
    threads: FxHashMap<Arc<str>, ThreadAgg>,
}

impl OpenConversation {
    fn place(&mut self, numbered: &mut u32, thread: Option<Arc<str>>) -> u32 {
        *self.places.entry(thread).or_insert_with(|| {
            *numbered += 1;
            *numbered - 1
        })
    }

    fn store_reply_time(
        &mut self,
        numbered: &mut u32,
        thread: Option<Arc<str>>,
        author: u32,
        at: DateTime<Utc>,
    ) {
        let place = self.place(numbered, thread);
        self.replies.push(ReplyCandidate {
            place,
            author,
            at_ms: at.timestamp_millis(),
        });
    }
}

/// The streaming state of the chat signals.
#[derive(Debug, Default)]
pub(crate) struct ChatState {
    conversations: FxHashMap<Arc<str>, Conv>,
    /// Name and kind of each conversation, by [`Conv::index`].
    names: Vec<(String, ConversationKind)>,
    /// Conversations not settled yet, by [`Conv::index`].
    open: FxHashMap<u32, OpenConversation>,
    /// Places numbered so far.
    places: u32,
    /// Asks of settled conversations without a reply: unanswered or pending
    /// is decided at the end, when the data's end is known.
    waiting: Vec<Ask>,
    samples: LatencySamples,
    escalated: Vec<EscalatedThread>,
    /// Some thread was seen (see `no_threads`).
    any_thread: bool,
    latest: Option<DateTime<Utc>>,
    pub(crate) horizon: Option<DateTime<Utc>>,
    pub(crate) counts: ChatCounts,
}

fn resolve(users: &dyn Resolver, id: &str) -> Option<u32> {
    users.person(id).map(|i| i as u32)
}

impl ChatState {
    fn conversation(&mut self, c: &Conversation, params: &Params, users: &dyn Resolver) -> &Conv {
        let next = self.conversations.len() as u32;
        let names = &mut self.names;
        self.conversations.entry(c.id.clone()).or_insert_with(|| {
            names.push((c.name.clone(), c.kind));
            Conv {
                index: next,
                kind: c.kind,
                urgent: params.is_urgent_channel(&c.id, &c.name),
                members: if matches!(c.kind, ConversationKind::Dm | ConversationKind::GroupDm) {
                    c.members.iter().map(|m| resolve(users, m)).collect()
                } else {
                    Vec::new()
                },
            }
        })
    }

    /// Takes one message into account.
    pub(crate) fn message(
        &mut self,
        people: &mut [PersonState],
        weeks: &WeekIndex,
        params: &Params,
        conversation: &Conversation,
        m: &ChatMessage,
        users: &dyn Resolver,
    ) {
        self.latest = Some(self.latest.map_or(m.at, |l| l.max(m.at)));
        let (conv_index, conv_kind, conv_urgent) = {
            let c = self.conversation(conversation, params, users);
            (c.index, c.kind, c.urgent)
        };
        let author = m.author.as_deref().and_then(|a| resolve(users, a));
        let thread_root: Option<Arc<str>> = match &m.thread {
            ThreadRole::Reply { parent } => Some(parent.clone()),
            ThreadRole::Parent => Some(m.id.clone()),
            ThreadRole::Standalone => None,
        };
        let open = self.open.entry(conv_index).or_default();
        // Threads keep person messages and huddle markers (a huddle post may
        // come from the system).
        if let Some(root) = &thread_root
            && (m.is_activity() || m.huddle)
        {
            self.any_thread = true;
            let t = open
                .threads
                .entry(root.clone())
                .or_insert_with(|| ThreadAgg {
                    messages: 0,
                    participants: Vec::new(),
                    last: m.at,
                    decision: false,
                    tail: Vec::new(),
                });
            if m.is_activity() {
                t.messages += 1;
                let who = match (author, &m.author) {
                    (Some(p), _) => Some(Participant::Person(p)),
                    (None, Some(a)) => Some(Participant::Other(a.clone())),
                    (None, None) => None,
                };
                if let Some(who) = who
                    && !t.participants.contains(&who)
                {
                    t.participants.push(who);
                }
            }
            t.last = t.last.max(m.at);
            t.decision |= m.flags.decision;
            t.tail.push((m.at, m.flags.call_request || m.huddle));
            let keep = params.escalation_tail_messages.max(1) as usize;
            if t.tail.len() > keep {
                t.tail.sort_unstable_by_key(|e| std::cmp::Reverse(e.0));
                t.tail.truncate(keep);
            }
        }
        match m.kind {
            MessageKind::Person => self.counts.person_messages += 1,
            _ => {
                self.counts.bot_or_system_messages += 1;
                return;
            }
        }
        let Some(author) = author else { return };
        self.counts.person_messages_resolved += 1;
        let sender = &mut people[author as usize];
        sender.in_chat = true;
        let sender_working = sender.working.is_working(&sender.clock, m.at);
        if m.huddle {
            // A call, not a written message: on the sync side only.
            self.counts.huddles += 1;
            match weeks.index(m.at, sender.clock.tz()) {
                Some(w) => sender.chat[w].huddles += 1,
                None => self.counts.outside_window += 1,
            }
            return;
        }
        match weeks.index(m.at, sender.clock.tz()) {
            Some(w) => {
                let week = &mut sender.chat[w];
                week.messages_sent += 1;
                if !sender_working {
                    week.after_hours_messages += 1;
                }
                sender.interruptions.mark(m.at);
                let tz = *sender.clock.tz();
                sender.joined.message_sent(m.at, &tz);
                // Whom it reaches (`collaboration_span`): the other members
                // of a DM or group DM, the people it @mentions elsewhere.
                let members = &self.conversations[&conversation.id].members;
                let reached = &mut sender.messaged[w];
                if members.is_empty() {
                    reached.extend(
                        m.mentions
                            .users
                            .iter()
                            .filter_map(|u| resolve(users, u))
                            .filter(|r| *r != author),
                    );
                } else {
                    reached.extend(members.iter().flatten().filter(|r| **r != author));
                }
            }
            None => self.counts.outside_window += 1,
        }

        // Where this message may answer an ask.
        let numbered = &mut self.places;
        let is_dm = conv_kind == ConversationKind::Dm;
        if is_dm {
            open.store_reply_time(numbered, None, author, m.at);
        } else {
            match &m.thread {
                ThreadRole::Reply { parent } => {
                    open.store_reply_time(numbered, Some(parent.clone()), author, m.at);
                    if m.broadcast {
                        open.store_reply_time(numbered, None, author, m.at);
                    }
                }
                _ => open.store_reply_time(numbered, None, author, m.at),
            }
        }

        // Asks it makes.
        let urgent = m.flags.urgent || conv_urgent;
        if is_dm {
            self.counts.dm_messages += 1;
            let members = &self.conversations[&conversation.id].members;
            if !members.is_empty() {
                self.counts.dm_messages_with_members += 1;
            }
            // A DM's turns need its messages in order: kept until the DM is
            // settled.
            let recipient = members.iter().flatten().copied().find(|r| *r != author);
            if recipient.is_some() {
                let place = open.place(numbered, None);
                open.dm_posts.push(DmPost {
                    place,
                    at_ms: m.at.timestamp_millis(),
                    author,
                    recipient,
                    question: m.flags.question,
                    ack: m.flags.ack,
                    urgent,
                    sender_working,
                });
            }
            return;
        }
        if m.flags.ack {
            // "thanks @ana": closes, expects nothing.
            return;
        }
        let mut recipients: Vec<u32> = Vec::new();
        for mentioned in &m.mentions.users {
            if m.author.as_deref() == Some(mentioned.as_str()) {
                continue;
            }
            let r = resolve(users, mentioned);
            if r == Some(author) {
                continue;
            }
            self.counts.mentions += 1;
            if let Some(r) = r {
                self.counts.mentions_resolved += 1;
                recipients.push(r);
            }
        }
        recipients.sort_unstable();
        recipients.dedup();
        if recipients.is_empty() {
            return;
        }
        let (place, top_level) = match &m.thread {
            ThreadRole::Reply { parent } => (open.place(numbered, Some(parent.clone())), None),
            _ => (
                open.place(numbered, Some(m.id.clone())),
                Some(open.place(numbered, None)),
            ),
        };
        for r in recipients {
            let ask = Self::ask(
                &mut self.counts,
                people,
                weeks,
                AskAt {
                    at: m.at,
                    recipient: r,
                    sender_working,
                    urgent,
                    place,
                    top_level,
                },
            );
            open.asks.extend(ask);
        }
    }

    /// Records one ask: the recipient's weekly counts; returns the ask,
    /// whose answer is looked for when its conversation is settled.
    fn ask(
        counts: &mut ChatCounts,
        people: &mut [PersonState],
        weeks: &WeekIndex,
        a: AskAt,
    ) -> Option<Ask> {
        let recipient = &mut people[a.recipient as usize];
        recipient.in_chat = true;
        let w = weeks.index(a.at, recipient.clock.tz())?;
        counts.asks += 1;
        let week = &mut recipient.chat[w];
        week.asks_received += 1;
        if !recipient.working.is_working(&recipient.clock, a.at) {
            week.after_hours_asks_received += 1;
            if a.sender_working {
                week.cross_tz_asks += 1;
            }
        }
        recipient.interruptions.mark(a.at);
        if a.urgent {
            week.urgent_asks += 1;
        }
        Some(Ask {
            at: a.at,
            recipient: a.recipient,
            week: w as u32,
            place: a.place,
            top_level: a.top_level,
            urgent: a.urgent,
        })
    }

    /// The asks of one conversation's DM turns (see the module
    /// documentation), added to `asks`.
    fn dm_asks(
        counts: &mut ChatCounts,
        mut posts: Vec<DmPost>,
        asks: &mut Vec<Ask>,
        people: &mut [PersonState],
        weeks: &WeekIndex,
        params: &Params,
    ) {
        posts.sort_unstable();
        let gap_ms = (params.exchange_gap_hours * 3_600_000.0) as i64;
        let mut i = 0;
        while i < posts.len() {
            // One turn: consecutive posts of one author in one DM.
            let first = posts[i];
            let mut end = i + 1;
            while end < posts.len()
                && posts[end].place == first.place
                && posts[end].author == first.author
            {
                end += 1;
            }
            let turn = &posts[i..end];
            let previous = (i > 0 && posts[i - 1].place == first.place).then(|| posts[i - 1].at_ms);
            let opens = previous.is_none_or(|p| first.at_ms - p >= gap_ms);
            let start = if opens {
                turn.iter().find(|p| !p.ack)
            } else {
                None
            }
            .or_else(|| turn.iter().find(|p| p.question));
            if let (Some(start), Some(recipient)) = (start, first.recipient)
                && let Some(at) = DateTime::from_timestamp_millis(start.at_ms)
            {
                let ask = Self::ask(
                    counts,
                    people,
                    weeks,
                    AskAt {
                        at,
                        recipient,
                        sender_working: start.sender_working,
                        urgent: turn.iter().any(|p| p.urgent),
                        place: first.place,
                        top_level: None,
                    },
                );
                asks.extend(ask);
            }
            i = end;
        }
    }

    /// Says that no more messages of conversation `id` will come: settles
    /// it now, except that asks without a reply wait for [`Self::finish`].
    /// With a horizon set, replies are judged against it: everything waits.
    pub(crate) fn end_conversation(
        &mut self,
        people: &mut [PersonState],
        weeks: &WeekIndex,
        params: &Params,
        meetings: &EscalationMeetings,
        id: &str,
    ) {
        if self.horizon.is_some() {
            return;
        }
        let Some(index) = self.conversations.get(id).map(|c| c.index) else {
            return;
        };
        if let Some(open) = self.open.remove(&index) {
            self.settle(index, open, people, weeks, params, meetings, None);
        }
    }

    /// Settles one conversation: its DM turns, each ask's reply, its
    /// threads. `until` is the data's end, when known; before it is known,
    /// only asks with a reply are decided (the data ends at or after any
    /// reply) and the others are kept in `waiting`.
    #[allow(clippy::too_many_arguments)]
    fn settle(
        &mut self,
        index: u32,
        open: OpenConversation,
        people: &mut [PersonState],
        weeks: &WeekIndex,
        params: &Params,
        meetings: &EscalationMeetings,
        until: Option<DateTime<Utc>>,
    ) {
        let OpenConversation {
            mut replies,
            mut asks,
            dm_posts,
            threads,
            places: _,
        } = open;
        Self::dm_asks(&mut self.counts, dm_posts, &mut asks, people, weeks, params);
        replies.sort_unstable();
        for ask in asks {
            match (first_reply(&replies, &ask, until), until) {
                (Some(r), _) => self.decide(people, params, &ask, Some(r), r),
                (None, Some(until)) => self.decide(people, params, &ask, None, until),
                (None, None) => self.waiting.push(ask),
            }
        }
        let within = Duration::hours(i64::from(params.escalation_window_hours));
        for t in threads.values() {
            self.escalation(index, t, people, weeks, params, meetings, within);
        }
    }

    /// Decides one ask: answered (a latency), unanswered or pending, and its
    /// SLA outcome. `reply` is the recipient's first reply by `until`.
    fn decide(
        &mut self,
        people: &mut [PersonState],
        params: &Params,
        ask: &Ask,
        reply: Option<DateTime<Utc>>,
        until: DateTime<Utc>,
    ) {
        let person = &mut people[ask.recipient as usize];
        let clock = &person.clock;
        let week = &mut person.chat[ask.week as usize];
        let per_day = clock.hours_per_working_day();
        let limit = per_day.map(|h| {
            Duration::milliseconds(
                (h * f64::from(params.unanswered_after_business_days) * 3_600_000.0) as i64,
            )
        });
        let wall_limit = Duration::days(i64::from(params.unanswered_after_business_days));
        let sla_hours = if ask.urgent {
            params.urgent_sla_hours
        } else {
            params.normal_sla_hours
        };
        let sla = Duration::milliseconds((sla_hours * 3_600_000.0) as i64);
        // The whole limit elapsed: unanswered (a reply exactly at the
        // limit is too late).
        let over_limit = |at: DateTime<Utc>, business: Duration| match limit {
            Some(l) => business >= l,
            None => at - ask.at >= wall_limit,
        };
        let (breach, decided) = match reply {
            Some(r) => {
                let business = clock.business_time(ask.at, r, None);
                if over_limit(r, business) {
                    week.latency.unanswered += 1;
                    self.counts.unanswered += 1;
                    (true, true)
                } else {
                    week.latency.answered += 1;
                    self.counts.answered += 1;
                    let entry = self.samples.entry((ask.recipient, ask.week)).or_default();
                    entry.0.push(hours(r - ask.at));
                    if per_day.is_some() {
                        entry.1.push(hours(business));
                    }
                    (business > sla, true)
                }
            }
            None => {
                let cap = limit.map(|l| l.max(sla) + Duration::hours(1));
                let business = clock.business_time(ask.at, until, cap);
                if over_limit(until, business) {
                    week.latency.unanswered += 1;
                    self.counts.unanswered += 1;
                    (true, true)
                } else {
                    week.latency.pending += 1;
                    self.counts.pending += 1;
                    // Pending, but already past its SLA: a known breach.
                    (business > sla, business > sla)
                }
            }
        };
        if decided {
            week.sla_decided += 1;
            self.counts.sla_decided += 1;
            if breach {
                week.sla_breaches += 1;
            }
        }
    }

    /// Judges one thread of conversation `conv`: long enough, without a
    /// decision, and followed by a meeting or ending with a call.
    #[allow(clippy::too_many_arguments)]
    fn escalation(
        &mut self,
        conv: u32,
        t: &ThreadAgg,
        people: &mut [PersonState],
        weeks: &WeekIndex,
        params: &Params,
        meetings: &EscalationMeetings,
        within: Duration,
    ) {
        let big = t.messages >= params.escalation_min_messages
            || (t.participants.len() as u32 >= params.escalation_min_participants
                && t.messages >= params.escalation_min_messages_with_participants);
        if !big || t.decision {
            return;
        }
        self.counts.long_threads += 1;
        let listed: Vec<u32> = t
            .participants
            .iter()
            .filter_map(|p| match p {
                Participant::Person(i) => Some(*i),
                Participant::Other(_) => None,
            })
            .collect();
        let ends_with_call = t.tail.iter().any(|(_, call)| *call);
        let meeting = || meetings.follows(t.last, within, &listed, t.participants.len());
        if !(ends_with_call || meeting()) {
            return;
        }
        self.counts.escalated_threads += 1;
        for &p in &listed {
            let person = &mut people[p as usize];
            if let Some(w) = weeks.index(t.last, person.clock.tz()) {
                person.chat[w].thread_escalations += 1;
            }
        }
        self.escalated.push(EscalatedThread {
            last: t.last,
            people: listed,
            conversation: self
                .names
                .get(conv as usize)
                .cloned()
                .unwrap_or((String::new(), ConversationKind::Channel)),
            messages: t.messages,
            participants: t.participants.len() as u32,
            ended_with_call: ends_with_call,
        });
    }

    /// Works out latencies, SLA outcomes and escalations of what is not
    /// settled yet. Returns the escalated threads for the team counts.
    pub(crate) fn finish(
        mut self,
        people: &mut [PersonState],
        weeks: &WeekIndex,
        params: &Params,
        meetings: &EscalationMeetings,
    ) -> (ChatCounts, Vec<EscalatedThread>, LatencySamples) {
        let until = self
            .horizon
            .or(self.latest)
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        let mut open: Vec<(u32, OpenConversation)> = self.open.drain().collect();
        open.sort_unstable_by_key(|(index, _)| *index);
        for (index, conversation) in open {
            self.settle(
                index,
                conversation,
                people,
                weeks,
                params,
                meetings,
                Some(until),
            );
        }
        for ask in std::mem::take(&mut self.waiting) {
            self.decide(people, params, &ask, None, until);
        }
        for ((person, week), (wall, business)) in &self.samples {
            let stats = &mut people[*person as usize].chat[*week as usize].latency;
            stats.wall = Spread::of(wall);
            stats.business = Spread::of(business);
        }
        if !self.any_thread {
            // Nothing ever threaded: an escalated thread cannot occur.
            for person in people.iter_mut() {
                for week in &mut person.chat {
                    week.no_threads = true;
                }
            }
        }
        (self.counts, self.escalated, self.samples)
    }
}

/// The recipient's first message after the ask where it answers it
/// (`replies` sorted), by `until` when given.
fn first_reply(
    replies: &[ReplyCandidate],
    ask: &Ask,
    until: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    let after = ask.at.timestamp_millis();
    let first_in = |place: u32| {
        let probe = ReplyCandidate {
            place,
            author: ask.recipient,
            at_ms: after,
        };
        let i = replies.partition_point(|r| *r <= probe);
        replies
            .get(i)
            .filter(|r| r.place == place && r.author == ask.recipient)
            .map(|r| r.at_ms)
    };
    let mut best = first_in(ask.place);
    if let Some(top) = ask.top_level {
        best = match (best, first_in(top)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    best.and_then(DateTime::from_timestamp_millis)
        .filter(|t| until.is_none_or(|u| *t <= u))
}
