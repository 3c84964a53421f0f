//! Slack exports: standard and full exports, Enterprise Grid.
//!
//! Layout (Slack's help article "How to read Slack data exports"):
//! `users.json` (`org_users.json` on Enterprise Grid), `channels.json`, and
//! in full exports `groups.json`, `dms.json`, `mpims.json`; then one folder
//! per conversation (channels by name, DMs by id) of `YYYY-MM-DD.json` day
//! files. The export may sit inside one top folder; that prefix is found
//! from where the metadata files are.
//!
//! Metadata is read first, then day files in name order (conversation, then
//! date). Replies sit in the day file of their own date and point to their
//! parent by `thread_ts`, so threads span files without any buffering here.
//!
//! With a date range ([`Limits::dates`]) a day file dated outside it by its
//! name is not opened. The date is Slack's own bucketing of the day, which
//! need not be the UTC date of every message in it, and a reply in the
//! range still names its parent even when the parent's file is not read:
//! whoever sets a range widens it by what they need around their window.

mod day;
mod meta;

pub use day::{DayFile, parse_ts, read_day_file};

use crate::archive::{EntryInfo, EntrySource, LimitExceeded, Limits};
use crate::dates::{DateRange, date_of_day_name};
use crate::diag::Examples;
use crate::{ChatSink, ReadReport};
use day::{MessageContext, RawMessage, UserFlags};
use fulcrum_model::chat::{ChatPlatform, Conversation};
use fulcrum_model::fxhash::{FxHashMap, FxHashSet};
use fulcrum_model::identity::SourceUser;
use fulcrum_model::limits::human_bytes;
use meta::ListKind;
use std::collections::HashMap;
use std::io::{self, BufReader, Read};
use std::sync::Arc;

/// The metadata files of a Slack export.
pub const METADATA_FILES: &[&str] = &[
    "users.json",
    "org_users.json",
    "channels.json",
    "groups.json",
    "dms.json",
    "mpims.json",
];

/// Root files that are part of some Slack exports and carry nothing Fulcrum
/// uses; they are skipped without a diagnostic.
const KNOWN_EXTRAS: &[&str] = &[
    "integration_logs.json",
    "canvases.json",
    "lists.json",
    "file_conversations.json",
    "huddles.json",
    "workflows.json",
    "apps.json",
];

/// Splits `prefix<folder>/<YYYY-MM-DD>.json` into `(folder, date)`.
pub fn day_file_parts<'a>(name: &'a str, prefix: &str) -> Option<(&'a str, &'a str)> {
    let rest = name.strip_prefix(prefix)?;
    let (folder, file) = rest.split_once('/')?;
    let date = file.strip_suffix(".json")?;
    let b = date.as_bytes();
    let is_date = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    (!folder.is_empty() && is_date).then_some((folder, date))
}

/// True for Slack ids that are bots without being listed (Slackbot).
pub fn is_implicit_bot(id: &str) -> bool {
    id == day::SLACKBOT
}

/// The folder prefix of the export: where its metadata files are (the
/// shallowest such place), else where its day files are.
fn find_prefix(names: &[&str]) -> String {
    let mut best: Option<&str> = None;
    for name in names {
        let (dir, base) = match name.rsplit_once('/') {
            Some((d, b)) => (&name[..d.len() + 1], b),
            None => ("", *name),
        };
        if METADATA_FILES.contains(&base) && best.is_none_or(|b| dir.len() < b.len()) {
            best = Some(dir);
        }
    }
    if let Some(b) = best {
        return b.to_owned();
    }
    // No metadata: a day file two levels down means one wrapping folder.
    for name in names {
        if day_file_parts(name, "").is_some() {
            return String::new();
        }
        if let Some((top, rest)) = name.split_once('/')
            && day_file_parts(rest, "").is_some()
        {
            return format!("{top}/");
        }
    }
    String::new()
}

/// A day file to read: its entry, its folder (numbered in name order) and
/// whether the date range lets it be read.
#[derive(Debug, Clone, Copy)]
struct DayEntry {
    index: usize,
    /// The declared size, kept here: the entry table is read in archive
    /// order, the day files are not, and each lookup would miss the cache.
    size: u64,
    folder: u32,
    /// The name's date as the integer `YYYYMMDD` (the sort key).
    date: u32,
    in_range: bool,
}

/// What one pass over the entry names finds.
struct Listing {
    /// The entry of each of [`METADATA_FILES`], if present (the first of
    /// that name).
    metadata: [Option<usize>; METADATA_FILES.len()],
    /// Day files in reading order: by folder name, then date (then entry
    /// order, for a name the archive holds twice).
    day_files: Vec<DayEntry>,
    /// Folder names, numbered in name order.
    folders: Vec<String>,
    /// First and last dates of the day-file names.
    dates: Option<DateRange>,
    /// Entries that are neither metadata, known extras, attachments nor day
    /// files.
    not_layout: Examples,
}

/// Classifies every entry once. Sorting keys are computed here, once per
/// day file: a folder number and the date as the integer `YYYYMMDD`, whose
/// order is the order of the `YYYY-MM-DD` text, so the sort compares
/// integers instead of splitting names on every comparison.
fn list_entries(entries: &[EntryInfo], prefix: &str, range: Option<DateRange>) -> Listing {
    let mut metadata = [None; METADATA_FILES.len()];
    let mut folder_ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut folder_names: Vec<&str> = Vec::new();
    let mut day_files: Vec<DayEntry> = Vec::new();
    let mut dates = None;
    let mut not_layout = Examples::default();
    for (i, entry) in entries.iter().enumerate() {
        let name = entry.name.as_str();
        if let Some((folder, date)) = day_file_parts(name, prefix) {
            let next = u32::try_from(folder_names.len()).unwrap_or(u32::MAX);
            let id = *folder_ids.entry(folder).or_insert(next);
            if id == next {
                folder_names.push(folder);
            }
            let day = date_of_day_name(date);
            if let Some(d) = day {
                DateRange::widen(&mut dates, d);
            }
            // A name that is not a calendar date cannot be placed: read it.
            let in_range = match (range, day) {
                (Some(r), Some(d)) => r.contains(d),
                _ => true,
            };
            let digits = date
                .bytes()
                .filter(u8::is_ascii_digit)
                .fold(0u32, |n, c| n * 10 + u32::from(c - b'0'));
            day_files.push(DayEntry {
                index: i,
                size: entry.size,
                folder: id,
                date: digits,
                in_range,
            });
            continue;
        }
        let at_root = name.strip_prefix(prefix).filter(|r| !r.contains('/'));
        if let Some(base) = at_root {
            if let Some(k) = METADATA_FILES.iter().position(|f| *f == base) {
                metadata[k].get_or_insert(i);
                continue;
            }
            if KNOWN_EXTRAS.contains(&base) {
                continue;
            }
        }
        // Uploaded files of full exports sit under `<folder>/attachments/`
        // or similar; they are not messages.
        let attachment = name.contains("/attachments/") || name.contains("/files/");
        if !attachment {
            not_layout.add(name);
        }
    }
    // Number the folders in name order.
    let mut order: Vec<usize> = (0..folder_names.len()).collect();
    order.sort_unstable_by_key(|&f| folder_names[f]);
    let mut rank = vec![0u32; order.len()];
    for (r, &f) in order.iter().enumerate() {
        rank[f] = u32::try_from(r).unwrap_or(u32::MAX);
    }
    for day in &mut day_files {
        day.folder = rank[day.folder as usize];
    }
    day_files.sort_unstable_by_key(|d| (d.folder, d.date, d.index));
    Listing {
        metadata,
        day_files,
        folders: order.iter().map(|&f| folder_names[f].to_owned()).collect(),
        dates,
        not_layout,
    }
}

/// The first and last dates of a Slack export's day files, from their names
/// alone (no entry is opened): what a caller choosing
/// [`Limits::dates`] can learn about an export before reading it. `None`
/// when no day file has a calendar date.
pub fn day_file_dates(source: &dyn EntrySource) -> Option<DateRange> {
    let entries = source.entries();
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    let prefix = find_prefix(&names);
    let mut dates = None;
    for name in names {
        if let Some(d) = day_file_parts(name, &prefix).and_then(|(_, date)| date_of_day_name(date))
        {
            DateRange::widen(&mut dates, d);
        }
    }
    dates
}

/// Reads a Slack export: metadata, then every day file, sending each
/// message to `sink`.
pub fn read_slack(
    source: &mut dyn EntrySource,
    limits: &Limits,
    sink: &mut dyn ChatSink,
) -> ReadReport {
    let mut report = ReadReport::new(ChatPlatform::Slack, limits);
    for (entry, message) in source.listing_problems() {
        report.diagnostics.push(entry, message);
    }
    // Entry names are not copied: a big export has tens of thousands of
    // them, and the entry source already holds them.
    let prefix = {
        let name_refs: Vec<&str> = source.entries().iter().map(|e| e.name.as_str()).collect();
        find_prefix(&name_refs)
    };

    // Metadata first.
    let mut ctx = MessageContext::default();
    ctx.flags = sink.needs_flags();
    let mut users: HashMap<String, SourceUser> = HashMap::new();
    let mut user_order: Vec<String> = Vec::new();
    let mut conversations: Vec<Conversation> = Vec::new();
    let mut by_folder: HashMap<String, usize> = HashMap::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut stop = false;
    // One pass over the names finds the metadata files and lists the day
    // files; nothing below looks a name up again.
    let listing = list_entries(source.entries(), &prefix, limits.dates);
    report.dates = listing.dates;
    for (file, found) in METADATA_FILES.iter().zip(listing.metadata) {
        let Some(index) = found else {
            continue;
        };
        let wanted = format!("{prefix}{file}");
        let size = source.entries()[index].size;
        // Metadata may be bigger than a day file kept in memory (users.json
        // of a large organisation): it has its own limit.
        let meta_limits = Limits {
            max_entry_in_memory: limits.max_metadata_bytes,
            ..*limits
        };
        let loaded = load(source, index, size, &meta_limits, &mut buf);
        report.bytes_read += buf.len() as u64;
        match loaded {
            Loaded::Complete => {}
            Loaded::Failed(e) => {
                stop |= is_total_limit(&e);
                report.diagnostics.push(
                    &wanted,
                    format!("cannot be read ({e}); the file was not used"),
                );
                report.skipped += 1;
                continue;
            }
            Loaded::TooBig => {
                // The declared size when it is over the limit (nothing was
                // inflated), else what was inflated before the cap.
                let size = if size > limits.max_metadata_bytes {
                    human_bytes(size)
                } else {
                    format!("over {}", human_bytes(buf.len() as u64))
                };
                report.diagnostics.push(
                    &wanted,
                    format!(
                        "inflates to {size}, more than the {} a metadata file may have; the file \
                         was not used",
                        human_bytes(limits.max_metadata_bytes)
                    ),
                );
                report.skipped += 1;
                continue;
            }
        }
        report.entries_read += 1;
        let mut problems = Vec::new();
        match *file {
            "users.json" | "org_users.json" => {
                for u in meta::parse_users(&buf, &mut problems) {
                    if !users.contains_key(&u.id) {
                        user_order.push(u.id.clone());
                        users.insert(u.id.clone(), u);
                    }
                }
                ctx.have_directory = true;
            }
            list => {
                let kind = match list {
                    "channels.json" => ListKind::Channels,
                    "groups.json" => ListKind::Groups,
                    "dms.json" => ListKind::Dms,
                    _ => ListKind::Mpims,
                };
                for c in meta::parse_conversations(&buf, kind, &mut problems) {
                    let index = conversations.len();
                    by_folder.entry(c.id.to_string()).or_insert(index);
                    by_folder.entry(c.name.clone()).or_insert(index);
                    conversations.push(c);
                }
            }
        }
        for p in problems {
            report.diagnostics.push(&wanted, p);
        }
    }
    if !ctx.have_directory {
        report.no_user_directory = true;
        report.diagnostics.push(
            "",
            "no users.json or org_users.json: authors are known only by id, and bots only by \
             their messages' subtype",
        );
    }
    for id in &user_order {
        if let Some(u) = users.remove(id) {
            ctx.add_user(&u.id, UserFlags { is_bot: u.is_bot });
            report.users.push(u);
        }
    }
    sink.users(&report.users);

    // Then the day files, in name order (folder, then date).
    let Listing {
        day_files,
        folders,
        not_layout,
        ..
    } = listing;
    if not_layout.count > 0 {
        report.diagnostics.push(
            "",
            format!(
                "{} entries are not part of the Slack export layout and were not read: {}{}",
                not_layout.count,
                not_layout.list(),
                if not_layout.count > not_layout.examples.len() as u64 {
                    ", ..."
                } else {
                    ""
                }
            ),
        );
    }

    let mut guessed = Examples::default();
    let mut not_read = 0u64;
    // The conversation of each folder, found when the folder's first day
    // file is read (or left out by the date range).
    let mut folder_conversation: Vec<Option<usize>> = vec![None; folders.len()];
    let mut conversation_of =
        |folder: u32,
         conversations: &mut Vec<Conversation>,
         folder_conversation: &mut Vec<Option<usize>>| {
            let folder = folder as usize;
            if let Some(i) = folder_conversation[folder] {
                return i;
            }
            let name = folders[folder].as_str();
            let i = match by_folder.get(name) {
                Some(&i) => i,
                None => {
                    guessed.add(name);
                    let i = conversations.len();
                    conversations.push(meta::guess_conversation(name));
                    i
                }
            };
            folder_conversation[folder] = Some(i);
            i
        };
    // Instants of the messages of the current day file, to count a message
    // exported twice once: Slack's `ts` is unique within a conversation, so
    // two entries with the same instant are the same message.
    let mut seen: FxHashSet<(i64, u32)> = FxHashSet::default();
    // Day files still to come per folder, and folders still to come per
    // listed conversation (a DM may have a folder named by its id and one
    // by its name), so the sink can be told when a conversation is done
    // ([`ChatSink::conversation_done`]).
    let mut files_left = vec![0u32; folders.len()];
    for day in &day_files {
        files_left[day.folder as usize] += 1;
    }
    let mut folders_left: HashMap<usize, u32> = HashMap::new();
    for (folder, name) in folders.iter().enumerate() {
        if files_left[folder] > 0
            && let Some(&i) = by_folder.get(name.as_str())
        {
            *folders_left.entry(i).or_default() += 1;
        }
    }
    // Counts `day` as read; the conversation whose last day file it was.
    let done_with = |day: &DayEntry,
                     files_left: &mut [u32],
                     folders_left: &mut HashMap<usize, u32>,
                     folder_conversation: &[Option<usize>]| {
        let folder = day.folder as usize;
        files_left[folder] -= 1;
        if files_left[folder] > 0 {
            return None;
        }
        let i = folder_conversation[folder]?;
        match folders_left.get_mut(&i) {
            Some(n) => {
                *n -= 1;
                (*n == 0).then_some(i)
            }
            // Guessed from the folder's name: its only folder.
            None => Some(i),
        }
    };
    for day in &day_files {
        if !day.in_range {
            // Listed as a conversation all the same: what the export holds
            // does not depend on the range.
            conversation_of(day.folder, &mut conversations, &mut folder_conversation);
            report.out_of_range_files += 1;
            if let Some(i) = done_with(
                day,
                &mut files_left,
                &mut folders_left,
                &folder_conversation,
            ) {
                sink.conversation_done(i, &conversations[i]);
            }
            continue;
        }
        if stop {
            report.skipped += 1;
            not_read += 1;
            if let Some(i) = done_with(
                day,
                &mut files_left,
                &mut folders_left,
                &folder_conversation,
            ) {
                sink.conversation_done(i, &conversations[i]);
            }
            continue;
        }
        let conv_index = conversation_of(day.folder, &mut conversations, &mut folder_conversation);
        let (index, size) = (day.index, day.size);
        seen.clear();
        let mut state = DayState {
            ctx: &mut ctx,
            sink: &mut *sink,
            conversation: &conversations[conv_index],
            conv_arc: conversations[conv_index].id.clone(),
            conv_index,
            seen: &mut seen,
            read: 0,
            skipped: 0,
            first_skip: None,
        };
        let outcome = read_day_entry(source, index, size, limits, &mut buf, &mut state);
        let (read, skipped, first_skip) = (state.read, state.skipped, state.first_skip.take());
        report.entries_read += 1;
        report.bytes_read += outcome.bytes;
        report.skipped += skipped;
        // The name is needed only for a diagnostic: not copied otherwise.
        let name = || source.entries()[index].name.as_str();
        if skipped > 0 {
            let first = first_skip.unwrap_or_default();
            report.diagnostics.push(
                name(),
                format!("{skipped} elements not read as messages (first: {first})"),
            );
        }
        if let Some(problem) = outcome.problem {
            report.skipped += 1;
            report.diagnostics.push(
                name(),
                format!("{problem}; {read} messages read before it, the rest of the file skipped"),
            );
        }
        stop |= outcome.stop;
        if let Some(i) = done_with(
            day,
            &mut files_left,
            &mut folders_left,
            &folder_conversation,
        ) {
            sink.conversation_done(i, &conversations[i]);
        }
    }
    if not_read > 0 {
        report.diagnostics.push(
            "",
            format!("{not_read} day files were not read after the size limit stopped reading (each counted as skipped)"),
        );
    }
    if guessed.count > 0 {
        report.diagnostics.push(
            "",
            format!(
                "{} folders are not listed in the export's metadata and were read with a kind guessed \
                 from their name: {}",
                guessed.count,
                guessed.list()
            ),
        );
    }
    if ctx.unknown_user_messages.count > 0 {
        report.diagnostics.push(
            "",
            format!(
                "{} messages by {} user ids not in users.json (e.g. {}): counted as people's messages",
                ctx.unknown_user_messages.count,
                ctx.unknown_users.len(),
                ctx.unknown_user_messages.list()
            ),
        );
    }
    if ctx.unknown_subtypes.count > 0 {
        report.diagnostics.push(
            "",
            format!(
                "{} messages with subtypes Fulcrum does not know ({}): counted as people's messages",
                ctx.unknown_subtypes.count,
                ctx.unknown_subtypes.list()
            ),
        );
    }
    if ctx.no_author > 0 {
        report.diagnostics.push(
            "",
            format!(
                "{} messages have neither a user nor a bot id: counted as people's messages without an author",
                ctx.no_author
            ),
        );
    }
    report.conversations = conversations;
    report
}

/// Per-day-file state handed to the element handler.
struct DayState<'a> {
    ctx: &'a mut MessageContext,
    sink: &'a mut dyn ChatSink,
    conversation: &'a Conversation,
    conv_arc: Arc<str>,
    conv_index: usize,
    seen: &'a mut FxHashSet<(i64, u32)>,
    read: u64,
    skipped: u64,
    first_skip: Option<String>,
}

impl DayState<'_> {
    fn skip(&mut self, why: String) {
        self.skipped += 1;
        if self.first_skip.is_none() {
            self.first_skip = Some(why);
        }
    }

    fn handle(&mut self, element: Option<&RawMessage<'_>>) {
        match element {
            Some(raw) => match self.ctx.convert(raw, &self.conv_arc) {
                Ok(message) => {
                    // A thread_broadcast exported both as a reply and in the
                    // channel has one ts: count it once.
                    let instant = (message.at.timestamp(), message.at.timestamp_subsec_nanos());
                    if self.seen.insert(instant) {
                        self.read += 1;
                        self.sink
                            .message(self.conv_index, self.conversation, message);
                    } else {
                        self.skip(format!(
                            "duplicate of message ts {}, counted once",
                            message.id
                        ));
                    }
                }
                Err(why) => self.skip(why),
            },
            None => self.skip("an array element is not a JSON object".to_owned()),
        }
    }
}

struct DayOutcome {
    bytes: u64,
    /// A problem that ended the file early.
    problem: Option<String>,
    /// Stop the whole export (total size limit).
    stop: bool,
}

fn read_day_entry(
    source: &mut dyn EntrySource,
    index: usize,
    declared: u64,
    limits: &Limits,
    buf: &mut Vec<u8>,
    state: &mut DayState<'_>,
) -> DayOutcome {
    if declared > limits.max_entry_in_memory {
        return stream_day_entry(source, index, state);
    }
    let loaded = load(source, index, declared, limits, buf);
    let bytes = buf.len() as u64;
    let (io_problem, stop) = match loaded {
        Loaded::Complete => (None, false),
        Loaded::TooBig => {
            return DayOutcome {
                bytes,
                problem: Some("the entry is larger than its ZIP header says".to_owned()),
                stop: false,
            };
        }
        Loaded::Failed(e) => {
            let stop = is_total_limit(&e);
            let ratio = LimitExceeded::from_io(&e).is_some();
            if ratio || stop {
                // Do not parse the partial output of a suspected bomb.
                return DayOutcome {
                    bytes,
                    problem: Some(e.to_string()),
                    stop,
                };
            }
            (Some(format!("the entry is damaged ({e})")), false)
        }
    };
    // A day file that is valid UTF-8 as a whole (nearly all are) is checked
    // once here, at the speed of a block scan, and parsed as text: the
    // parser then hands out its strings (keys included) without checking
    // each one again. Anything else takes the byte parser, which reports
    // invalid UTF-8 where a string that is used holds it, as before.
    let mut handle = |el: Option<&day::RawMessage<'_>>| state.handle(el);
    let parsed = match std::str::from_utf8(buf) {
        Ok(text) => {
            let mut de = serde_json::Deserializer::from_str(text);
            day::visit_messages(&mut de, &mut handle).and_then(|()| de.end())
        }
        Err(_) => {
            let mut de = serde_json::Deserializer::from_slice(buf);
            day::visit_messages(&mut de, &mut handle).and_then(|()| de.end())
        }
    };
    let problem = match (io_problem, parsed) {
        (Some(io), _) => Some(io),
        (None, Err(e)) => Some(format!("not valid JSON ({e})")),
        (None, Ok(())) => None,
    };
    DayOutcome {
        bytes,
        problem,
        stop,
    }
}

/// A day file too big for memory: parse it straight from the entry.
fn stream_day_entry(
    source: &mut dyn EntrySource,
    index: usize,
    state: &mut DayState<'_>,
) -> DayOutcome {
    let reader = match source.open(index) {
        Ok(r) => r,
        Err(e) => {
            return DayOutcome {
                bytes: 0,
                problem: Some(format!("cannot be opened ({e})")),
                stop: false,
            };
        }
    };
    let mut counted = CountRead {
        inner: BufReader::with_capacity(256 << 10, reader),
        n: 0,
        total_limit: false,
    };
    let mut de = serde_json::Deserializer::from_reader(&mut counted);
    let parsed = day::visit_messages(&mut de, &mut |el| state.handle(el)).and_then(|()| de.end());
    drop(de);
    let problem = parsed
        .err()
        .map(|e| format!("not valid JSON or not readable ({e})"));
    DayOutcome {
        bytes: counted.n,
        problem,
        stop: counted.total_limit,
    }
}

/// Counts bytes and remembers whether the export's total limit was hit
/// (serde_json keeps only the kind of an I/O error).
struct CountRead<R> {
    inner: R,
    n: u64,
    total_limit: bool,
}

impl<R: Read> Read for CountRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.n += n as u64;
                Ok(n)
            }
            Err(e) => {
                self.total_limit |= is_total_limit(&e);
                Err(e)
            }
        }
    }
}

/// Result of loading an entry into memory.
pub(crate) enum Loaded {
    /// All of it is in the buffer.
    Complete,
    /// Reading failed part way; what was read is in the buffer.
    Failed(io::Error),
    /// More bytes than the in-memory limit.
    TooBig,
}

/// Loads entry `index` into `buf` (cleared first), reading at most the
/// in-memory limit.
pub(crate) fn load(
    source: &mut dyn EntrySource,
    index: usize,
    declared: u64,
    limits: &Limits,
    buf: &mut Vec<u8>,
) -> Loaded {
    buf.clear();
    if declared > limits.max_entry_in_memory {
        return Loaded::TooBig;
    }
    let cap = limits.max_entry_in_memory;
    buf.reserve(usize::try_from(declared).unwrap_or(0));
    match source.read_entry(index, buf, cap) {
        Err(e) => Loaded::Failed(e),
        Ok(_) if buf.len() as u64 > cap => Loaded::TooBig,
        Ok(_) => Loaded::Complete,
    }
}

pub(crate) fn is_total_limit(e: &io::Error) -> bool {
    matches!(LimitExceeded::from_io(e), Some(LimitExceeded::Total { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_file_names() {
        assert_eq!(
            day_file_parts("general/2024-05-06.json", ""),
            Some(("general", "2024-05-06"))
        );
        assert_eq!(
            day_file_parts("x/general/2024-05-06.json", "x/"),
            Some(("general", "2024-05-06"))
        );
        assert_eq!(day_file_parts("users.json", ""), None);
        assert_eq!(day_file_parts("general/2024-5-06.json", ""), None);
        assert_eq!(day_file_parts("a/b/2024-05-06.json", ""), None);
    }

    #[test]
    fn prefix_is_where_the_metadata_is() {
        assert_eq!(
            find_prefix(&["export/users.json", "export/general/2024-01-01.json"]),
            "export/"
        );
        assert_eq!(find_prefix(&["users.json", "general/2024-01-01.json"]), "");
        assert_eq!(find_prefix(&["top/general/2024-01-01.json"]), "top/");
    }
}
