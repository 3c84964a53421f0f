//! Mattermost bulk exports: JSON lines, from a `.jsonl` file or the ZIP that
//! `mmctl export` writes.
//!
//! Field names follow Mattermost's import data types
//! (`server/channels/app/imports/import_types.go`): the first line is
//! `{"type":"version","version":1}`; then `team`, `channel` (`team`, `name`,
//! `type` `O`/`P`), `user` (`username`, `email`), `bot` (`username`),
//! `post` (`team`, `channel`, `user`, `type`, `message`, `props`,
//! `create_at` in epoch milliseconds, `edit_at`, `replies`),
//! `direct_channel` (`members`) and `direct_post` (`channel_members`, ...).
//! Replies are nested under their post and have no id of their own.
//!
//! Lines are read one at a time into a reused buffer; a line longer than
//! [`Limits::max_line_bytes`] is skipped without being held in memory.
//!
//! With a date range ([`Limits::dates`]) a thread is the unit: a post line
//! (the post with its nested replies) is read whole when the post or any
//! reply is dated in the range, and left out whole otherwise
//! ([`ReadReport::out_of_range_posts`]). So a reply read always comes with
//! its root, and a root with every reply, whatever their dates; whoever set
//! the range applies their own window to the messages. Dates are the UTC
//! dates of `create_at`. Most lines are decided by `scan_post_dates`
//! before they are parsed; a line it cannot decide is parsed and decided on
//! its parsed dates.

use crate::archive::{EntrySource, Limits};
use crate::dates::{DateRange, Side, date_of_millis};
use crate::diag::Examples;
use crate::lenient::{Element, LenientStr, LenientU64};
use crate::{ChatSink, ReadReport, text};
use chrono::DateTime;
use fulcrum_model::chat::{
    ChatMessage, ChatPlatform, Conversation, ConversationKind, MessageKind, SystemEvent, ThreadRole,
};
use fulcrum_model::identity::SourceUser;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead, BufReader};
use std::sync::Arc;

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(rename = "type", borrow, default)]
    kind: LenientStr<'a>,
    #[serde(borrow, default)]
    user: Option<Element<User<'a>>>,
    #[serde(borrow, default)]
    bot: Option<Element<Bot<'a>>>,
    #[serde(borrow, default)]
    channel: Option<Element<Channel<'a>>>,
    #[serde(borrow, default)]
    post: Option<Element<Post<'a>>>,
    #[serde(default)]
    direct_channel: Option<Element<DirectChannel<'a>>>,
    #[serde(borrow, default)]
    direct_post: Option<Element<Post<'a>>>,
}

#[derive(Deserialize, Default)]
struct User<'a> {
    #[serde(borrow, default)]
    username: LenientStr<'a>,
    #[serde(borrow, default)]
    email: LenientStr<'a>,
    #[serde(borrow, default)]
    first_name: LenientStr<'a>,
    #[serde(borrow, default)]
    last_name: LenientStr<'a>,
    #[serde(borrow, default)]
    nickname: LenientStr<'a>,
    #[serde(default)]
    delete_at: LenientU64,
}

#[derive(Deserialize, Default)]
struct Bot<'a> {
    #[serde(borrow, default)]
    username: LenientStr<'a>,
    #[serde(borrow, default)]
    display_name: LenientStr<'a>,
}

#[derive(Deserialize, Default)]
struct Channel<'a> {
    #[serde(borrow, default)]
    team: LenientStr<'a>,
    #[serde(borrow, default)]
    name: LenientStr<'a>,
    #[serde(borrow, default)]
    display_name: LenientStr<'a>,
    #[serde(rename = "type", borrow, default)]
    kind: LenientStr<'a>,
}

#[derive(Deserialize, Default)]
struct DirectChannel<'a> {
    #[serde(borrow, default)]
    members: Option<Vec<LenientStr<'a>>>,
    #[serde(borrow, default)]
    participants: Option<Vec<Element<Participant<'a>>>>,
}

#[derive(Deserialize, Default)]
struct Participant<'a> {
    #[serde(borrow, default)]
    username: LenientStr<'a>,
}

#[derive(Deserialize, Default)]
struct Props<'a> {
    #[serde(borrow, default)]
    from_bot: LenientStr<'a>,
    #[serde(borrow, default)]
    from_webhook: LenientStr<'a>,
}

/// A `post`, a `direct_post`, or a reply nested in either.
#[derive(Deserialize, Default)]
struct Post<'a> {
    #[serde(borrow, default)]
    team: LenientStr<'a>,
    #[serde(borrow, default)]
    channel: LenientStr<'a>,
    #[serde(borrow, default)]
    channel_members: Option<Vec<LenientStr<'a>>>,
    #[serde(borrow, default)]
    user: LenientStr<'a>,
    #[serde(rename = "type", borrow, default)]
    kind: LenientStr<'a>,
    #[serde(borrow, default)]
    message: LenientStr<'a>,
    #[serde(borrow, default)]
    props: Option<Element<Props<'a>>>,
    #[serde(default)]
    create_at: LenientU64,
    #[serde(default)]
    edit_at: LenientU64,
    #[serde(borrow, default)]
    replies: Option<Vec<Element<Post<'a>>>>,
}

fn system_event(post_type: &str) -> Option<SystemEvent> {
    let rest = post_type.strip_prefix("system_")?;
    Some(match rest {
        "join_channel" | "join_team" | "add_to_channel" | "add_to_team" | "guest_join_channel" => {
            SystemEvent::Join
        }
        "leave_channel" | "leave_team" | "remove_from_channel" | "remove_from_team" => {
            SystemEvent::Leave
        }
        "header_change" => SystemEvent::Topic,
        "purpose_change" => SystemEvent::Purpose,
        "displayname_change" => SystemEvent::Rename,
        "channel_deleted" | "channel_restored" => SystemEvent::Archive,
        _ => SystemEvent::Other,
    })
}

/// Reader state across the lines of one export.
struct Reader<'s> {
    report: ReadReport,
    sink: &'s mut dyn ChatSink,
    users: HashMap<String, usize>,
    bots: HashSet<String>,
    by_id: HashMap<Arc<str>, usize>,
    interned: HashSet<Arc<str>>,
    undeclared_channels: Examples,
    unknown_authors: Examples,
    /// [`Limits::dates`].
    range: Option<DateRange>,
    /// [`crate::ChatSink::needs_flags`] of the sink.
    flags: bool,
    /// Users already given to [`crate::ChatSink::users`].
    users_told: usize,
}

impl<'s> Reader<'s> {
    fn new(limits: &Limits, sink: &'s mut dyn ChatSink) -> Self {
        Reader {
            report: ReadReport::new(ChatPlatform::Mattermost, limits),
            range: limits.dates,
            flags: sink.needs_flags(),
            users_told: 0,
            sink,
            users: HashMap::new(),
            bots: HashSet::new(),
            by_id: HashMap::new(),
            interned: HashSet::new(),
            undeclared_channels: Examples::default(),
            unknown_authors: Examples::default(),
        }
    }

    fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.interned.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        if self.interned.len() < 1_000_000 {
            self.interned.insert(a.clone());
        }
        a
    }

    fn conversation(&mut self, id: &str, make: impl FnOnce(Arc<str>) -> Conversation) -> usize {
        if let Some(&i) = self.by_id.get(id) {
            return i;
        }
        let arc: Arc<str> = Arc::from(id);
        let i = self.report.conversations.len();
        self.report.conversations.push(make(arc.clone()));
        self.by_id.insert(arc, i);
        i
    }

    fn add_user(&mut self, user: SourceUser) {
        if self.users.contains_key(&user.id) {
            return;
        }
        self.users.insert(user.id.clone(), self.report.users.len());
        self.report.users.push(user);
    }

    fn line(&mut self, entry: &str, number: u64, bytes: &[u8]) {
        let at = format!("{entry}:{number}");
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let line: Line<'_> = match serde_json::from_slice(bytes) {
            Ok(l) => l,
            Err(e) => {
                self.report.skipped += 1;
                self.report
                    .diagnostics
                    .push(at, format!("not a valid JSON line ({e}); skipped"));
                return;
            }
        };
        if let Some(range) = self.range {
            let post = match line.kind.as_deref() {
                Some("post") => line.post.as_ref(),
                Some("direct_post") => line.direct_post.as_ref(),
                _ => None,
            };
            if let Some(Element::Object(p)) = post
                && let Some((span, false)) = post_dates(p, range)
            {
                self.out_of_range(span);
                return;
            }
        }
        self.report.entries_read += 1;
        let kind = line.kind.as_deref().unwrap_or("");
        // `mmctl export` writes users before posts: tell the sink who they
        // are before the first post (and again if more users follow).
        if matches!(kind, "post" | "direct_post") && self.users_told < self.report.users.len() {
            self.users_told = self.report.users.len();
            self.sink.users(&self.report.users);
        }
        match kind {
            "version" | "info" | "team" | "role" | "scheme" | "emoji" => {}
            "user" => match line.user {
                Some(Element::Object(u)) => self.user(&at, &u),
                _ => self.malformed(&at, "user"),
            },
            "bot" => match line.bot {
                Some(Element::Object(b)) => match b.username.as_deref() {
                    Some(name) => {
                        let id = name.to_lowercase();
                        self.bots.insert(id.clone());
                        self.add_user(SourceUser {
                            source: "mattermost".to_owned(),
                            id: id.clone(),
                            username: Some(id),
                            display_name: b.display_name.as_deref().map(str::to_owned),
                            is_bot: true,
                            ..SourceUser::default()
                        });
                    }
                    None => self.malformed(&at, "bot"),
                },
                _ => self.malformed(&at, "bot"),
            },
            "channel" => match line.channel {
                Some(Element::Object(c)) => self.channel(&at, &c),
                _ => self.malformed(&at, "channel"),
            },
            "direct_channel" => match line.direct_channel {
                Some(Element::Object(d)) => {
                    let mut members: Vec<String> = d
                        .members
                        .iter()
                        .flatten()
                        .filter_map(|m| m.as_deref().map(str::to_lowercase))
                        .collect();
                    for p in d.participants.iter().flatten() {
                        if let Element::Object(p) = p
                            && let Some(name) = p.username.as_deref()
                        {
                            members.push(name.to_lowercase());
                        }
                    }
                    if members.is_empty() {
                        self.malformed(&at, "direct_channel");
                    } else {
                        self.direct_conversation(members);
                    }
                }
                _ => self.malformed(&at, "direct_channel"),
            },
            "post" => match line.post {
                Some(Element::Object(p)) => {
                    let (Some(team), Some(channel)) = (p.team.as_deref(), p.channel.as_deref())
                    else {
                        return self.skip_post(&at, &p, "post has no team or channel");
                    };
                    let id = format!("{team}/{channel}");
                    if !self.by_id.contains_key(id.as_str()) {
                        self.undeclared_channels.add(&id);
                    }
                    let index = self.conversation(&id, |arc| Conversation {
                        id: arc,
                        name: channel.to_owned(),
                        kind: ConversationKind::Channel,
                        members: Vec::new(),
                    });
                    self.post(&at, index, &p);
                }
                _ => self.malformed(&at, "post"),
            },
            "direct_post" => match line.direct_post {
                Some(Element::Object(p)) => {
                    let members: Vec<String> = p
                        .channel_members
                        .iter()
                        .flatten()
                        .filter_map(|m| m.as_deref().map(str::to_lowercase))
                        .collect();
                    if members.is_empty() {
                        return self.skip_post(&at, &p, "direct_post has no channel_members");
                    }
                    let index = self.direct_conversation(members);
                    self.post(&at, index, &p);
                }
                _ => self.malformed(&at, "direct_post"),
            },
            other => {
                // A type this reader does not know: not an error, but say so.
                self.report.diagnostics.push(
                    at,
                    format!("line type {other:?} is not used by Fulcrum; skipped"),
                );
                self.report.skipped += 1;
            }
        }
    }

    /// Counts a post line left out by the date range.
    fn out_of_range(&mut self, span: DateRange) {
        self.report.out_of_range_posts += 1;
        DateRange::widen_by(&mut self.report.dates, Some(span));
    }

    fn malformed(&mut self, at: &str, what: &str) {
        self.report.skipped += 1;
        self.report.diagnostics.push(
            at,
            format!("a {what} line without a {what} object; skipped"),
        );
    }

    fn user(&mut self, at: &str, u: &User<'_>) {
        let Some(username) = u.username.as_deref() else {
            self.report.skipped += 1;
            self.report
                .diagnostics
                .push(at, "user without a username; skipped");
            return;
        };
        let name = [u.first_name.as_deref(), u.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let display_name = if name.is_empty() {
            u.nickname.as_deref().map(str::to_owned)
        } else {
            Some(name)
        };
        self.add_user(SourceUser {
            source: "mattermost".to_owned(),
            id: username.to_lowercase(),
            email: u.email.as_deref().map(str::to_lowercase),
            username: Some(username.to_lowercase()),
            display_name,
            tz: None,
            is_bot: false,
            deleted: u.delete_at.0.is_some_and(|d| d > 0),
        });
    }

    fn channel(&mut self, at: &str, c: &Channel<'_>) {
        let (Some(team), Some(name)) = (c.team.as_deref(), c.name.as_deref()) else {
            self.report.skipped += 1;
            self.report
                .diagnostics
                .push(at, "channel without a team or name; skipped");
            return;
        };
        let kind = match c.kind.as_deref() {
            Some("P") => ConversationKind::Private,
            _ => ConversationKind::Channel,
        };
        let display = c.display_name.as_deref().unwrap_or(name).to_owned();
        let id = format!("{team}/{name}");
        let _ = self.conversation(&id, |arc| Conversation {
            id: arc,
            name: display,
            kind,
            members: Vec::new(),
        });
    }

    fn direct_conversation(&mut self, mut members: Vec<String>) -> usize {
        members.sort();
        members.dedup();
        let id = members.join(",");
        let kind = if members.len() <= 2 {
            ConversationKind::Dm
        } else {
            ConversationKind::GroupDm
        };
        self.conversation(&id, |arc| Conversation {
            id: arc,
            name: members.join(", "),
            kind,
            members,
        })
    }

    fn skip_post(&mut self, at: &str, p: &Post<'_>, why: &str) {
        let replies = p.replies.as_ref().map_or(0, Vec::len) as u64;
        self.report.skipped += 1 + replies;
        self.report.diagnostics.push(
            at,
            format!("{why}; the post and its {replies} replies were skipped"),
        );
    }

    fn post(&mut self, at: &str, index: usize, p: &Post<'_>) {
        let Some(create_at) = p.create_at.0.and_then(|ms| i64::try_from(ms).ok()) else {
            return self.skip_post(at, p, "post has no valid create_at");
        };
        let id = create_at.to_string();
        let replies = p.replies.as_deref().unwrap_or(&[]);
        let parent: Arc<str> = Arc::from(id.as_str());
        let thread = if replies.is_empty() {
            ThreadRole::Standalone
        } else {
            ThreadRole::Parent
        };
        match self.message(index, p, create_at, thread, replies.len()) {
            Ok(()) => {}
            Err(why) => {
                self.report.skipped += 1;
                self.report.diagnostics.push(at, why);
            }
        }
        let mut bad = 0u64;
        for reply in replies {
            let Element::Object(r) = reply else {
                bad += 1;
                continue;
            };
            let Some(ms) = r.create_at.0.and_then(|ms| i64::try_from(ms).ok()) else {
                bad += 1;
                continue;
            };
            let role = ThreadRole::Reply {
                parent: parent.clone(),
            };
            if self.message(index, r, ms, role, 0).is_err() {
                bad += 1;
            }
        }
        if bad > 0 {
            self.report.skipped += bad;
            self.report.diagnostics.push(
                at,
                format!("{bad} replies without a valid create_at or not objects; skipped"),
            );
        }
    }

    fn message(
        &mut self,
        index: usize,
        p: &Post<'_>,
        create_at: i64,
        thread: ThreadRole,
        reply_count: usize,
    ) -> Result<(), String> {
        let at = DateTime::from_timestamp_millis(create_at)
            .ok_or_else(|| format!("create_at {create_at} is out of range; skipped"))?;
        DateRange::widen(&mut self.report.dates, at.date_naive());
        let author_name = p.user.as_deref().map(str::to_lowercase);
        let post_type = p.kind.as_deref().unwrap_or("");
        let from_bot = match &p.props {
            Some(Element::Object(props)) => {
                props.from_bot.as_deref() == Some("true")
                    || props.from_webhook.as_deref() == Some("true")
            }
            _ => false,
        };
        let kind = if let Some(event) = system_event(post_type) {
            MessageKind::System(event)
        } else if from_bot || author_name.as_ref().is_some_and(|a| self.bots.contains(a)) {
            MessageKind::Bot
        } else {
            MessageKind::Person
        };
        if kind == MessageKind::Person
            && let Some(a) = &author_name
            && !self.users.contains_key(a)
        {
            self.unknown_authors.add(a);
        }
        let author = author_name.as_deref().map(|a| self.intern(a));
        let text = p.message.as_deref().unwrap_or("");
        let reply_users = 0;
        // As for Slack: mentions and flags only for people's messages.
        let person = kind == MessageKind::Person;
        let message = ChatMessage {
            id: Arc::from(create_at.to_string()),
            at,
            conversation: self.report.conversations[index].id.clone(),
            author,
            kind,
            thread,
            broadcast: false,
            reply_count: u32::try_from(reply_count).unwrap_or(u32::MAX),
            reply_users,
            mentions: if person {
                text::mattermost_mentions(text)
            } else {
                Default::default()
            },
            huddle: post_type == "custom_calls" || post_type.starts_with("custom_calls"),
            edited: p.edit_at.0.is_some_and(|e| e > 0),
            text_chars: text::char_count(text),
            flags: if person && self.flags {
                text::flags(text)
            } else {
                Default::default()
            },
        };
        let conversation = &self.report.conversations[index];
        self.sink.message(index, conversation, message);
        Ok(())
    }

    fn finish(mut self) -> ReadReport {
        if self.undeclared_channels.count > 0 {
            self.report.diagnostics.push(
                "",
                format!(
                    "posts in {} channels without a channel line (e.g. {}): read as public channels",
                    self.undeclared_channels.count,
                    self.undeclared_channels.list()
                ),
            );
        }
        if self.unknown_authors.count > 0 {
            self.report.diagnostics.push(
                "",
                format!(
                    "{} posts by usernames without a user line (e.g. {}): counted as people's messages",
                    self.unknown_authors.count,
                    self.unknown_authors.list()
                ),
            );
        }
        self.report
    }
}

/// The dates of a parsed post and its replies: their span, and whether one
/// of them is in `range`. `None` when the post or a reply has no valid
/// `create_at`: such a line is read, so that what is wrong with it is
/// reported as before.
fn post_dates(p: &Post<'_>, range: DateRange) -> Option<(DateRange, bool)> {
    let date = |p: &Post<'_>| {
        p.create_at
            .0
            .and_then(|ms| i64::try_from(ms).ok())
            .and_then(date_of_millis)
    };
    let mut span = None;
    let mut inside = false;
    let replies = p.replies.as_deref().unwrap_or(&[]);
    let all = std::iter::once(Some(p)).chain(replies.iter().map(|r| match r {
        Element::Object(r) => Some(r),
        _ => None,
    }));
    for post in all {
        let d = date(post?)?;
        inside |= range.contains(d);
        DateRange::widen(&mut span, d);
    }
    span.map(|s| (s, inside))
}

/// Decides from its bytes alone, without parsing it, that a `post` or
/// `direct_post` line lies wholly before or wholly after `range`: returns
/// the side and the span of the dates found. `None` means "parse it": the
/// line may be in the range, or the look was not conclusive.
///
/// The look is conclusive only when the line is a post line by its
/// top-level `type` (the first or the last member, as `mmctl` writes it),
/// no key can be written with escapes (no `\u00XX` escape of a character
/// from `_` to `z` anywhere), and every `"create_at":` is followed by a plain
/// number. Every `create_at` is looked at, a reaction's included, so a line
/// is left out only when the post and all its replies are on that side. The
/// line is not checked to be valid JSON: a damaged line wholly outside the
/// range is counted as out of range rather than skipped.
fn scan_post_dates(line: &[u8], range: DateRange) -> Option<(Side, DateRange)> {
    let line = line.trim_ascii();
    let is_post = [&b"post"[..], b"direct_post"].iter().any(|kind| {
        let member = [&br#""type":""#[..], kind, b"\""].concat();
        line.strip_prefix(b"{")
            .and_then(|rest| rest.strip_prefix(&member[..]))
            .is_some_and(|rest| rest.starts_with(b","))
            || line
                .strip_suffix(b"}")
                .and_then(|rest| rest.strip_suffix(&member[..]))
                .is_some_and(|rest| rest.ends_with(b","))
    });
    if !is_post {
        return None;
    }
    // `"create\u005fat"` is the key `create_at` too: with such escapes about,
    // the look would miss it.
    let escapes = memchr::memmem::find_iter(line, br"\u00")
        .any(|i| matches!(line.get(i + 4), Some(b'5' | b'6' | b'7')));
    if escapes {
        return None;
    }
    let key = br#""create_at":"#;
    let mut span = None;
    let mut side = None;
    for at in memchr::memmem::find_iter(line, key) {
        let rest = &line[at + key.len()..];
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || digits > 18 || !matches!(rest.get(digits), Some(b',' | b'}')) {
            return None;
        }
        let ms = rest[..digits]
            .iter()
            .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
        let date = date_of_millis(ms)?;
        let here = range.side(date);
        if here == Side::Inside || side.is_some_and(|s| s != here) {
            return None;
        }
        side = Some(here);
        DateRange::widen(&mut span, date);
    }
    Some((side?, span?))
}

/// Reads one line into `buf` (without the newline), at most `max` bytes.
/// Returns `Ok(None)` at the end, `Ok(Some(true))` for a complete line and
/// `Ok(Some(false))` for a line longer than `max`, which is consumed but not
/// kept.
fn read_line_capped(r: &mut impl BufRead, buf: &mut Vec<u8>, max: u64) -> io::Result<Option<bool>> {
    buf.clear();
    let mut fits = true;
    let mut any = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            return Ok(any.then_some(fits));
        }
        any = true;
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        if fits && (buf.len() + take) as u64 <= max {
            buf.extend_from_slice(&chunk[..take]);
        } else {
            fits = false;
            buf.clear();
        }
        r.consume(if done { take + 1 } else { take });
        if done {
            return Ok(Some(fits));
        }
    }
}

fn read_lines(reader: &mut Reader<'_>, input: &mut impl BufRead, entry: &str, limits: &Limits) {
    let mut buf = Vec::new();
    let mut number = 0u64;
    loop {
        number += 1;
        match read_line_capped(input, &mut buf, limits.max_line_bytes) {
            Ok(None) => break,
            Ok(Some(true)) => {
                if let Some(range) = reader.range
                    && let Some((_, span)) = scan_post_dates(&buf, range)
                {
                    reader.out_of_range(span);
                    continue;
                }
                reader.report.bytes_read += buf.len() as u64 + 1;
                reader.line(entry, number, &buf);
            }
            Ok(Some(false)) => {
                reader.report.skipped += 1;
                reader.report.diagnostics.push(
                    format!("{entry}:{number}"),
                    format!(
                        "the line is longer than the {} a line may have; skipped",
                        fulcrum_model::limits::human_bytes(limits.max_line_bytes)
                    ),
                );
            }
            Err(e) => {
                reader.report.skipped += 1;
                reader.report.diagnostics.push(
                    format!("{entry}:{number}"),
                    format!("reading stopped ({e}); the rest of the file is not read"),
                );
                break;
            }
        }
    }
}

/// Reads a Mattermost bulk export from JSON lines; `entry` names it in
/// diagnostics.
pub fn read_mattermost_jsonl(
    input: &mut impl BufRead,
    entry: &str,
    limits: &Limits,
    sink: &mut dyn ChatSink,
) -> ReadReport {
    let mut reader = Reader::new(limits, sink);
    read_lines(&mut reader, input, entry, limits);
    reader.finish()
}

/// Reads every `.jsonl` entry of an entry source (the ZIP of `mmctl export`,
/// whose attachments under `data/` are ignored) as one export.
pub fn read_mattermost_entries(
    source: &mut dyn EntrySource,
    limits: &Limits,
    sink: &mut dyn ChatSink,
) -> ReadReport {
    let mut reader = Reader::new(limits, sink);
    for (entry, message) in source.listing_problems() {
        reader.report.diagnostics.push(entry, message);
    }
    let names: Vec<String> = source.entries().iter().map(|e| e.name.clone()).collect();
    for (index, name) in names.iter().enumerate() {
        if !name.ends_with(".jsonl") {
            continue;
        }
        match source.open(index) {
            Ok(r) => {
                let mut input = BufReader::with_capacity(256 << 10, r);
                read_lines(&mut reader, &mut input, name, limits);
            }
            Err(e) => {
                reader.report.skipped += 1;
                reader
                    .report
                    .diagnostics
                    .push(name, format!("cannot be opened ({e})"));
            }
        }
    }
    reader.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_lines() {
        let mut input: &[u8] = b"short\nthis line is long\n\nlast";
        let mut buf = Vec::new();
        assert_eq!(
            read_line_capped(&mut input, &mut buf, 8).unwrap(),
            Some(true)
        );
        assert_eq!(buf, b"short");
        assert_eq!(
            read_line_capped(&mut input, &mut buf, 8).unwrap(),
            Some(false)
        );
        assert_eq!(
            read_line_capped(&mut input, &mut buf, 8).unwrap(),
            Some(true)
        );
        assert_eq!(buf, b"");
        assert_eq!(
            read_line_capped(&mut input, &mut buf, 8).unwrap(),
            Some(true)
        );
        assert_eq!(buf, b"last");
        assert_eq!(read_line_capped(&mut input, &mut buf, 8).unwrap(), None);
    }

    #[test]
    fn the_byte_scan_decides_only_plain_post_lines() {
        let may =
            |first: &str, last: &str| DateRange::new(first.parse().unwrap(), last.parse().unwrap());
        let range = may("2024-05-07", "2024-05-07");
        let side = |line: &str| scan_post_dates(line.as_bytes(), range).map(|(s, _)| s);
        // 1715000000000 is 2024-05-06, 1715090000000 is 05-07, 1715200000000 is 05-08.
        let before = r#"{"type":"post","post":{"create_at":1715000000000,"replies":[{"create_at":1715003600000}]}}"#;
        assert_eq!(side(before), Some(Side::Before));
        let (_, span) = scan_post_dates(before.as_bytes(), range).unwrap();
        assert_eq!(span, may("2024-05-06", "2024-05-06"));
        // Sorted keys put the type last, as the demo writes it.
        let sorted =
            r#"{"direct_post":{"create_at":1715200000000,"message":"x"},"type":"direct_post"}"#;
        assert_eq!(side(sorted), Some(Side::After));
        // Inside, or on both sides: parse it.
        assert_eq!(
            side(r#"{"type":"post","post":{"create_at":1715090000000}}"#),
            None
        );
        assert_eq!(
            side(
                r#"{"type":"post","post":{"create_at":1715000000000,"replies":[{"create_at":1715200000000}]}}"#
            ),
            None
        );
        // Not a post line by its top-level type, or no create_at.
        assert_eq!(
            side(r#"{"type":"user","user":{"create_at":1715000000000}}"#),
            None
        );
        assert_eq!(
            side(r#"{"post":{"type":"post","create_at":1715000000000}}"#),
            None
        );
        assert_eq!(side(r#"{"type":"post","post":{"message":"x"}}"#), None);
        // Values that are not plain numbers, spacing, escaped keys.
        assert_eq!(
            side(r#"{"type":"post","post":{"create_at":"1715000000000"}}"#),
            None
        );
        assert_eq!(
            side(r#"{"type":"post","post":{"create_at": 1715000000000}}"#),
            None
        );
        assert_eq!(side(r#"{"type":"post","post":{"create_at":1.7e12}}"#), None);
        assert_eq!(
            side(
                r#"{"type":"post","post":{"create_at":1715000000000,"create\u005fat":1715090000000}}"#
            ),
            None
        );
        // Go's HTML escapes (\u003c) do not stop the scan.
        assert_eq!(
            side(r#"{"type":"post","post":{"message":"\u003cb\u003e","create_at":1715000000000}}"#),
            Some(Side::Before)
        );
    }

    #[test]
    fn posts_replies_and_direct_posts() {
        let jsonl = br#"{"type":"version","version":1}
{"type":"channel","channel":{"team":"eng","name":"town-square","display_name":"Town Square","type":"O"}}
{"type":"user","user":{"username":"Ana","email":"ana.r@acme.com"}}
{"type":"user","user":{"username":"bob","email":"bob@acme.com"}}
{"type":"post","post":{"team":"eng","channel":"town-square","user":"ana","message":"@bob urgent","create_at":1715000000000,"replies":[{"user":"bob","message":"ok","create_at":1715000060000}]}}
{"type":"direct_post","direct_post":{"channel_members":["ana","bob"],"user":"bob","message":"hi","create_at":1715000120000,"edit_at":1715000130000}}
not json
"#;
        let mut sink: Vec<ChatMessage> = Vec::new();
        let report =
            read_mattermost_jsonl(&mut &jsonl[..], "x.jsonl", &Limits::default(), &mut sink);
        assert_eq!(sink.len(), 3);
        assert_eq!(report.users.len(), 2);
        assert_eq!(report.skipped, 1);
        assert_eq!(report.diagnostics.len(), 1);
        assert_eq!(sink[0].mentions.users, ["bob"]);
        assert!(sink[0].flags.urgent);
        assert_eq!(sink[0].thread, ThreadRole::Parent);
        assert_eq!(
            sink[1].thread,
            ThreadRole::Reply {
                parent: Arc::from("1715000000000")
            }
        );
        assert_eq!(&*sink[2].conversation, "ana,bob");
        assert!(sink[2].edited);
        assert_eq!(report.conversations[1].kind, ConversationKind::Dm);
    }
}
