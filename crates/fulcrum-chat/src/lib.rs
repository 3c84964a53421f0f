//! Chat ingest: Slack exports and Mattermost bulk exports in, message
//! metadata and located diagnostics out.
//!
//! Architecture invariants:
//! - This crate never opens a file. It reads an [`EntrySource`] (a ZIP over
//!   any `Read + Seek`, or a folder the app walks) or a `BufRead` of JSON
//!   lines.
//! - Message text lives only inside the parse of one message: mentions,
//!   length and [`fulcrum_model::chat::MessageFlags`] are taken from it and
//!   it is dropped. No type here or in the model stores it.
//! - Reading streams: messages go to a [`ChatSink`] as they are parsed, day
//!   files and JSON lines are held one at a time (bounded by
//!   [`Limits::max_entry_in_memory`]), so memory does not grow with the size
//!   of the export.
//! - Messy input gives partial results: every record that is not read is
//!   counted in [`ReadReport::skipped`] and explained by a diagnostic naming
//!   its entry; records left out on purpose by a date range
//!   ([`Limits::dates`]) are counted apart, in
//!   [`ReadReport::out_of_range_files`] and
//!   [`ReadReport::out_of_range_posts`]. Nothing here panics on input.

pub mod archive;
pub mod dates;
pub mod diag;
mod lenient;
pub mod mattermost;
pub mod slack;
pub mod summary;
pub mod text;

pub use archive::{
    EntryInfo, EntrySource, LimitExceeded, Limits, MemorySource, ZipSource, open_zip,
};
pub use dates::DateRange;
pub use diag::Diagnostics;
pub use summary::SummaryBuilder;

use fulcrum_model::chat::{ChatMessage, ChatPlatform, Conversation};
use fulcrum_model::identity::SourceUser;

/// Receives messages as a reader parses them.
pub trait ChatSink {
    /// One message of conversation number `index`.
    fn message(&mut self, index: usize, conversation: &Conversation, message: ChatMessage);

    /// Whether this sink reads [`ChatMessage::flags`]. The flags come from a
    /// scan of each person's message text; a sink that never looks at them
    /// (the inspection summary) is spared that scan and gets default flags.
    fn needs_flags(&self) -> bool {
        true
    }

    /// The export's user directory, as far as it is known before the
    /// messages that follow: a Slack export's `users.json` comes before its
    /// day files. A sink that resolves authors can then do so as messages
    /// arrive instead of holding them until the reader's [`ReadReport`].
    /// Users listed later are still in the report.
    fn users(&mut self, _users: &[SourceUser]) {}

    /// No more messages of conversation number `index` will come from this
    /// read: a Slack export's day files of one conversation are read
    /// together, so the reader says so after the last of them. A sink can
    /// then settle what it kept for that conversation. A reader calls it
    /// only after telling the export's whole user directory
    /// ([`ChatSink::users`]), so what does not resolve by then never will.
    /// Readers that cannot tell (Mattermost posts come in any order) never
    /// call it.
    fn conversation_done(&mut self, _index: usize, _conversation: &Conversation) {}
}

/// Collects every message (for tests and small exports).
impl ChatSink for Vec<ChatMessage> {
    fn message(&mut self, _index: usize, _conversation: &Conversation, message: ChatMessage) {
        self.push(message);
    }
}

/// What a reader found besides the messages it sent to the sink.
#[derive(Debug)]
pub struct ReadReport {
    /// The platform of the export.
    pub platform: ChatPlatform,
    /// The user directory (`users.json`, Mattermost `user`/`bot` lines).
    pub users: Vec<SourceUser>,
    /// Every conversation: listed in the metadata or found in the data; the
    /// sink's `index` points into this.
    pub conversations: Vec<Conversation>,
    /// Located problems.
    pub diagnostics: Diagnostics,
    /// Records that were not read (each explained by a diagnostic).
    pub skipped: u64,
    /// Entries (Slack files) or lines (Mattermost) that were read, fully or
    /// in part.
    pub entries_read: u64,
    /// Uncompressed bytes parsed.
    pub bytes_read: u64,
    /// Slack day files not opened because their date is outside
    /// [`Limits::dates`] (not counted in `skipped`).
    pub out_of_range_files: u64,
    /// Mattermost post lines (a post with its nested replies) not read
    /// because the post and every reply are dated outside
    /// [`Limits::dates`] (not counted in `skipped`).
    pub out_of_range_posts: u64,
    /// The first and last dates the export holds, whether read or left out
    /// by [`Limits::dates`]: for Slack the dates of the day-file names
    /// (known without opening a file); for Mattermost the UTC dates of posts
    /// and replies. A Mattermost line left out by its `create_at` values
    /// alone adds those values, which can include a reaction's time; such a
    /// line is left out only when all of them lie on one side of the range,
    /// so `last` is after the range exactly when a message after it was
    /// left out. `None` when nothing was dated.
    pub dates: Option<DateRange>,
    /// A Slack export without `users.json` or `org_users.json`: authors
    /// are known by id only, bots by their messages' `bot_id` or subtype.
    /// Reports say so (a diagnostic says it too).
    pub no_user_directory: bool,
}

impl ReadReport {
    fn new(platform: ChatPlatform, limits: &Limits) -> Self {
        ReadReport {
            platform,
            users: Vec::new(),
            conversations: Vec::new(),
            diagnostics: Diagnostics::new(limits.max_diagnostics),
            skipped: 0,
            entries_read: 0,
            bytes_read: 0,
            out_of_range_files: 0,
            out_of_range_posts: 0,
            dates: None,
            no_user_directory: false,
        }
    }

    /// True when anything at all could be read: the command's exit code is
    /// 2 otherwise.
    pub fn anything_read(&self) -> bool {
        self.entries_read > 0
    }
}

/// Which reader an [`EntrySource`] needs: Mattermost when it holds a
/// `.jsonl` entry, Slack when it holds Slack metadata or day files.
pub fn detect(source: &dyn EntrySource) -> Option<ChatPlatform> {
    let entries = source.entries();
    if entries.iter().any(|e| e.name.ends_with(".jsonl")) {
        return Some(ChatPlatform::Mattermost);
    }
    let slack = entries.iter().any(|e| {
        let base = e.name.rsplit('/').next().unwrap_or(&e.name);
        let in_top_folder = e.name.split_once('/').map(|(_, rest)| rest);
        slack::METADATA_FILES.contains(&base)
            || slack::day_file_parts(&e.name, "").is_some()
            || in_top_folder.is_some_and(|rest| slack::day_file_parts(rest, "").is_some())
    });
    slack.then_some(ChatPlatform::Slack)
}

/// Reads any supported export from an entry source, choosing the reader
/// with [`detect`]. `None` when the source looks like neither.
pub fn read_export(
    source: &mut dyn EntrySource,
    limits: &Limits,
    sink: &mut dyn ChatSink,
) -> Option<ReadReport> {
    match detect(source)? {
        ChatPlatform::Slack => Some(slack::read_slack(source, limits, sink)),
        ChatPlatform::Mattermost => Some(mattermost::read_mattermost_entries(source, limits, sink)),
    }
}
