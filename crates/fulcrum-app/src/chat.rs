//! Reading chat exports from disk: a Slack ZIP or unpacked folder, a
//! Mattermost `.jsonl` file, or the ZIP `mmctl export` writes.
//!
//! This module only opens files and walks folders; parsing is
//! `fulcrum-chat`'s. A ZIP is opened twice when its central directory is
//! damaged (once to try, once to recover entries from local headers).

use fulcrum_chat::archive::EntryInfo;
use fulcrum_chat::{ChatSink, EntrySource, Limits, ReadReport, SummaryBuilder};
use fulcrum_model::chat::{ChatMessage, Conversation, ExportSummary};
use fulcrum_model::identity::SourceUser;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// An export that could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct UnreadableExport {
    /// The path as given.
    pub path: PathBuf,
    /// Why nothing could be read.
    pub reason: String,
}

impl UnreadableExport {
    /// As a diagnostic: the export was skipped.
    pub fn diagnostic(&self) -> fulcrum_model::diagnostic::Diagnostic {
        fulcrum_model::diagnostic::Diagnostic::error(
            self.path.display().to_string(),
            format!("{}; export skipped", self.reason),
        )
    }
}

fn unreadable(path: &Path, reason: impl Into<String>) -> UnreadableExport {
    UnreadableExport {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

/// An unpacked export folder seen as entries (files below it, `/`-separated
/// names, sorted). Symbolic links are not followed.
pub struct FolderSource {
    root: PathBuf,
    entries: Vec<EntryInfo>,
    problems: Vec<(String, String)>,
}

impl FolderSource {
    /// Lists the files below `root` (at most 16 levels deep).
    pub fn new(root: &Path) -> io::Result<Self> {
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        walk(root, "", 0, &mut entries, &mut problems)?;
        entries.sort_by(|a: &EntryInfo, b| a.name.cmp(&b.name));
        Ok(FolderSource {
            root: root.to_owned(),
            entries,
            problems,
        })
    }
}

fn walk(
    dir: &Path,
    prefix: &str,
    depth: u32,
    out: &mut Vec<EntryInfo>,
    problems: &mut Vec<(String, String)>,
) -> io::Result<()> {
    if depth > 16 {
        problems.push((
            prefix.to_owned(),
            "folder nesting deeper than 16 levels; not read".into(),
        ));
        return Ok(());
    }
    for item in std::fs::read_dir(dir)? {
        let item = item?;
        let name = item.file_name();
        let Some(name) = name.to_str() else {
            problems.push((
                format!("{prefix}{}", name.to_string_lossy()),
                "file name is not UTF-8; not read".into(),
            ));
            continue;
        };
        let rel = format!("{prefix}{name}");
        let kind = item.file_type()?;
        if kind.is_dir() {
            if let Err(e) = walk(&item.path(), &format!("{rel}/"), depth + 1, out, problems) {
                problems.push((rel, format!("folder cannot be read ({e})")));
            }
        } else if kind.is_file() {
            let size = item.metadata().map(|m| m.len()).unwrap_or(0);
            out.push(EntryInfo {
                name: rel,
                size,
                compressed_size: size,
            });
        }
    }
    Ok(())
}

impl EntrySource for FolderSource {
    fn entries(&self) -> &[EntryInfo] {
        &self.entries
    }

    fn open(&mut self, index: usize) -> io::Result<Box<dyn Read + '_>> {
        let entry = self
            .entries
            .get(index)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no entry #{index}")))?;
        let path = entry
            .name
            .split('/')
            .fold(self.root.clone(), |p, part| p.join(part));
        Ok(Box::new(File::open(path)?))
    }

    fn listing_problems(&self) -> Vec<(String, String)> {
        self.problems.clone()
    }
}

/// A buffered file whose seeks stay inside the buffer when they can. The
/// ZIP reader seeks to every entry it opens; a plain `BufReader` drops its
/// buffer on each seek and reads it anew, which for an export of many small
/// day files read the file several times over.
///
/// The read after a seek outside the buffer fills only [`SeekBuf::SMALL`]
/// bytes: a Slack export holds ~150,000 day files of under a kilobyte each
/// (compressed), opened in an order other than the archive's, and filling
/// a whole [`SeekBuf::LARGE`] buffer for each of them copied ~20 GB from the
/// page cache. Reads that carry on where the buffer ends fill it whole.
struct SeekBuf {
    file: File,
    /// Where the operating system's cursor of `file` is.
    file_pos: u64,
    /// Buffered bytes: `buf[..len]` holds the file from offset `start`.
    buf: Box<[u8]>,
    len: usize,
    start: u64,
    /// The reader's position.
    pos: u64,
}

impl SeekBuf {
    /// Bytes read after a jump: a local header and a typical day file.
    const SMALL: usize = 16 << 10;
    /// Bytes read when reading on sequentially.
    const LARGE: usize = 128 << 10;

    fn new(file: File) -> Self {
        SeekBuf {
            file,
            file_pos: 0,
            buf: vec![0; Self::LARGE].into_boxed_slice(),
            len: 0,
            start: 0,
            pos: 0,
        }
    }

    /// Moves the operating system's cursor to the reader's position.
    fn sync_cursor(&mut self) -> io::Result<()> {
        if self.file_pos != self.pos {
            self.file_pos = self.file.seek(SeekFrom::Start(self.pos))?;
        }
        Ok(())
    }
}

impl Read for SeekBuf {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        let end = self.start + self.len as u64;
        if self.pos < self.start || self.pos >= end {
            let want = if self.len > 0 && self.pos == end {
                Self::LARGE
            } else {
                Self::SMALL
            };
            self.sync_cursor()?;
            if out.len() >= want {
                // Large reads go straight to the caller.
                let n = self.file.read(out)?;
                self.file_pos += n as u64;
                self.pos += n as u64;
                self.start = self.pos;
                self.len = 0;
                return Ok(n);
            }
            let n = self.file.read(&mut self.buf[..want])?;
            self.file_pos += n as u64;
            self.start = self.pos;
            self.len = n;
            if n == 0 {
                return Ok(0);
            }
        }
        let from = usize::try_from(self.pos - self.start).unwrap_or(usize::MAX);
        let available = &self.buf[from..self.len];
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for SeekBuf {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(p) => p,
            SeekFrom::Current(d) => self.pos.checked_add_signed(d).ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidInput, "seek before the start")
            })?,
            SeekFrom::End(_) => {
                self.file_pos = self.file.seek(to)?;
                self.pos = self.file_pos;
                return Ok(self.pos);
            }
        };
        self.pos = target;
        Ok(target)
    }

    fn stream_position(&mut self) -> io::Result<u64> {
        Ok(self.pos)
    }
}

/// What kind of file a path is, from its first bytes.
enum FileKind {
    Zip,
    JsonLines,
    Other,
}

fn sniff(path: &Path) -> io::Result<FileKind> {
    let mut head = [0u8; 4];
    let mut f = File::open(path)?;
    let n = f.read(&mut head)?;
    let head = &head[..n];
    if head.starts_with(b"PK") {
        return Ok(FileKind::Zip);
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let first = head.iter().find(|b| !b.is_ascii_whitespace());
    if ext.eq_ignore_ascii_case("jsonl") || first == Some(&b'{') {
        return Ok(FileKind::JsonLines);
    }
    if ext.eq_ignore_ascii_case("zip") {
        // Named like a ZIP but not starting like one: let the ZIP reader
        // try recovery and say what is wrong.
        return Ok(FileKind::Zip);
    }
    Ok(FileKind::Other)
}

/// Messages per batch handed from the reading thread to the consumer.
const BATCH: usize = 4096;

/// Batches in flight: reading runs at most this far ahead of the consumer.
const BATCHES_IN_FLIGHT: usize = 8;

/// What the reading thread hands over: the conversations seen for the first
/// time, then messages by conversation number, in the reader's order.
#[derive(Default)]
struct Batch {
    users: Option<Vec<SourceUser>>,
    conversations: Vec<(usize, Conversation)>,
    /// Messages by conversation number; `None` says the conversation is
    /// done ([`ChatSink::conversation_done`]).
    messages: Vec<(usize, Option<ChatMessage>)>,
}

/// A sink on the reading thread that forwards to a channel.
struct ChannelSink {
    tx: std::sync::mpsc::SyncSender<Batch>,
    batch: Batch,
    seen: Vec<bool>,
}

impl ChannelSink {
    fn flush(&mut self) {
        let batch = std::mem::take(&mut self.batch);
        // The consumer only goes away when it failed; then nothing is kept.
        let _ = self.tx.send(batch);
    }
}

impl ChatSink for ChannelSink {
    fn users(&mut self, users: &[SourceUser]) {
        // Messages read before stay before.
        self.flush();
        self.batch.users = Some(users.to_vec());
        self.flush();
    }

    fn message(&mut self, index: usize, conversation: &Conversation, message: ChatMessage) {
        if self.seen.len() <= index {
            self.seen.resize(index + 1, false);
        }
        if !self.seen[index] {
            self.seen[index] = true;
            self.batch.conversations.push((index, conversation.clone()));
        }
        self.batch.messages.push((index, Some(message)));
        if self.batch.messages.len() >= BATCH {
            self.flush();
        }
    }

    fn conversation_done(&mut self, index: usize, _conversation: &Conversation) {
        // Only a conversation whose messages were forwarded is known on the
        // other side.
        if self.seen.get(index).copied().unwrap_or(false) {
            self.batch.messages.push((index, None));
        }
    }
}

/// [`read_export`] with reading (inflating, parsing) on a thread of its own
/// while `sink` consumes on this one. Messages reach `sink` in the same
/// order as from [`read_export`], so results are the same; with one thread
/// configured (`fulcrum --jobs 1`) it is [`read_export`].
pub fn read_export_pipelined(
    path: &Path,
    limits: &Limits,
    sink: &mut dyn ChatSink,
) -> Result<ReadReport, UnreadableExport> {
    if rayon::current_num_threads() < 2 {
        return read_export(path, limits, sink);
    }
    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(BATCHES_IN_FLIGHT);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut forward = ChannelSink {
                tx,
                batch: Batch::default(),
                seen: Vec::new(),
            };
            let report = read_export(path, limits, &mut forward);
            forward.flush();
            report
        });
        // Conversations by number, as the reader numbered them.
        let mut conversations: Vec<Option<Conversation>> = Vec::new();
        for batch in rx {
            if let Some(users) = batch.users {
                sink.users(&users);
            }
            for (index, conversation) in batch.conversations {
                if conversations.len() <= index {
                    conversations.resize_with(index + 1, || None);
                }
                conversations[index] = Some(conversation);
            }
            for (index, message) in batch.messages {
                if let Some(Some(conversation)) = conversations.get(index) {
                    match message {
                        Some(message) => sink.message(index, conversation, message),
                        None => sink.conversation_done(index, conversation),
                    }
                }
            }
        }
        reader
            .join()
            .unwrap_or_else(|_| Err(unreadable(path, "the reader stopped unexpectedly")))
    })
}

/// Reads one export into `sink`. Fails only when nothing can be read.
pub fn read_export(
    path: &Path,
    limits: &Limits,
    sink: &mut dyn ChatSink,
) -> Result<ReadReport, UnreadableExport> {
    let meta = std::fs::metadata(path).map_err(|e| unreadable(path, e.to_string()))?;
    let report = if meta.is_dir() {
        let mut source = FolderSource::new(path).map_err(|e| unreadable(path, e.to_string()))?;
        fulcrum_chat::read_export(&mut source, limits, sink).ok_or_else(|| {
            unreadable(
                path,
                "not a chat export: no users.json, channels.json, day files or .jsonl file inside",
            )
        })?
    } else {
        match sniff(path).map_err(|e| unreadable(path, e.to_string()))? {
            FileKind::Zip => {
                let first = File::open(path).map_err(|e| unreadable(path, e.to_string()))?;
                let mut source = fulcrum_chat::open_zip(
                    SeekBuf::new(first),
                    || Ok(SeekBuf::new(File::open(path)?)),
                    *limits,
                )
                .map_err(|e| unreadable(path, format!("not a readable ZIP ({e})")))?;
                fulcrum_chat::read_export(&mut source, limits, sink).ok_or_else(|| {
                    unreadable(path, "the ZIP holds no Slack export (users.json, channels.json, day files) and no .jsonl file")
                })?
            }
            FileKind::JsonLines => {
                let file = File::open(path).map_err(|e| unreadable(path, e.to_string()))?;
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                fulcrum_chat::mattermost::read_mattermost_jsonl(
                    &mut BufReader::with_capacity(256 << 10, file),
                    &name,
                    limits,
                    sink,
                )
            }
            FileKind::Other => {
                return Err(unreadable(
                    path,
                    "neither a ZIP, a folder nor JSON lines: give a Slack export (ZIP or folder) \
                     or a Mattermost bulk export (.jsonl or ZIP)",
                ));
            }
        }
    };
    if report.anything_read() {
        Ok(report)
    } else {
        let why = report
            .diagnostics
            .finish()
            .into_iter()
            .map(|d| {
                if d.entry.is_empty() {
                    d.message
                } else {
                    format!("{}: {}", d.entry, d.message)
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        Err(unreadable(
            path,
            if why.is_empty() {
                "nothing could be read".to_owned()
            } else {
                format!("nothing could be read: {why}")
            },
        ))
    }
}

/// `summary` with its DMs and its group DMs each folded into one line
/// ("direct messages (3 conversations)"): which pairs talk, and how much, is
/// individual data, shown only when the analyst asks for individuals.
/// Channels stay as they are.
pub fn private_conversations_folded(mut summary: ExportSummary) -> ExportSummary {
    use fulcrum_model::chat::{ConversationKind, ConversationSummary};
    let mut out: Vec<ConversationSummary> = Vec::with_capacity(summary.conversations.len());
    let mut folded: Vec<(ConversationKind, &str, ConversationSummary, u64)> = vec![
        (
            ConversationKind::Dm,
            "direct messages",
            empty_line(ConversationKind::Dm),
            0,
        ),
        (
            ConversationKind::GroupDm,
            "group DMs",
            empty_line(ConversationKind::GroupDm),
            0,
        ),
    ];
    for c in std::mem::take(&mut summary.conversations) {
        match folded.iter_mut().find(|f| f.0 == c.kind) {
            Some((_, _, sum, n)) => {
                *n += 1;
                sum.messages += c.messages;
                sum.people_messages += c.people_messages;
                sum.threads += c.threads;
                sum.replies += c.replies;
            }
            None => out.push(c),
        }
    }
    for (_, label, mut sum, n) in folded {
        if n > 0 {
            sum.name = format!(
                "{label} ({n} conversation{})",
                if n == 1 { "" } else { "s" }
            );
            out.push(sum);
        }
    }
    summary.conversations = out;
    summary
}

fn empty_line(
    kind: fulcrum_model::chat::ConversationKind,
) -> fulcrum_model::chat::ConversationSummary {
    fulcrum_model::chat::ConversationSummary {
        id: String::new(),
        name: String::new(),
        kind,
        messages: 0,
        people_messages: 0,
        threads: 0,
        replies: 0,
    }
}

/// Reads an export and sums it up for `fulcrum chat summary`.
pub fn summarize_export(path: &Path, limits: &Limits) -> Result<ExportSummary, UnreadableExport> {
    let mut builder = SummaryBuilder::new();
    let report = read_export(path, limits, &mut builder)?;
    Ok(builder.finish(&path.display().to_string(), report))
}

/// The user directory of an export (messages are read and dropped).
pub fn export_users(path: &Path, limits: &Limits) -> Result<Vec<SourceUser>, UnreadableExport> {
    Ok(read_export(path, &metadata_only(limits), &mut Discard)?.users)
}

/// The first and last dates an export holds, read cheaply: a Slack
/// export's day-file names (no day file is opened), a Mattermost export's
/// post times (a scan of each line, no message built). `None` when nothing
/// in it is dated.
pub fn export_dates(
    path: &Path,
    limits: &Limits,
) -> Result<Option<(chrono::NaiveDate, chrono::NaiveDate)>, UnreadableExport> {
    let report = read_export(path, &metadata_only(limits), &mut Discard)?;
    Ok(report.dates.map(|d| (d.first, d.last)))
}

/// `limits` with a date range no message falls in: readers then read the
/// metadata (users, conversations, dates) and leave every message out
/// before parsing it.
fn metadata_only(limits: &Limits) -> Limits {
    let never = chrono::NaiveDate::MIN;
    Limits {
        dates: Some(fulcrum_chat::DateRange::new(never, never)),
        ..*limits
    }
}

/// A sink for passes that want only what a reader reports.
struct Discard;

impl ChatSink for Discard {
    fn message(&mut self, _: usize, _: &Conversation, _: ChatMessage) {}

    fn needs_flags(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn fixture(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../test_data/chat")
            .join(rel)
    }

    fn temp_dir(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("fulcrum-app-chat-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn folder_export_is_read_from_disk() {
        // The same counts as the slack-full fixture test in fulcrum-chat
        // (17 messages, 6 asks, 3 skipped; arithmetic in that test).
        let s = summarize_export(&fixture("slack-full"), &Limits::default()).unwrap();
        assert_eq!((s.messages, s.asks, s.skipped), (17, 6, 3));
        assert_eq!(s.conversations[2].kind.as_str(), "dm");
    }

    #[test]
    fn zip_file_and_jsonl_file() {
        let dir = temp_dir("zip");
        let zip_path = dir.join("mm.zip");
        let mut w = zip::ZipWriter::new(File::create(&zip_path).unwrap());
        w.start_file("export.jsonl", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&std::fs::read(fixture("mattermost/export.jsonl")).unwrap())
            .unwrap();
        w.finish().unwrap();
        let from_zip = summarize_export(&zip_path, &Limits::default()).unwrap();
        let from_jsonl =
            summarize_export(&fixture("mattermost/export.jsonl"), &Limits::default()).unwrap();
        // 9 messages, 4 asks: worked out in fulcrum-chat's mattermost test.
        assert_eq!((from_zip.messages, from_zip.asks), (9, 4));
        assert_eq!((from_jsonl.messages, from_jsonl.asks), (9, 4));
        assert_eq!(from_jsonl.diagnostics[0].entry, "export.jsonl:16");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn unreadable_inputs_say_why() {
        let dir = temp_dir("bad");
        let junk = dir.join("junk.zip");
        std::fs::write(&junk, b"definitely not a zip").unwrap();
        let e = summarize_export(&junk, &Limits::default()).unwrap_err();
        assert!(e.reason.contains("not a readable ZIP"), "{}", e.reason);
        let text = dir.join("notes.txt");
        std::fs::write(&text, b"hello").unwrap();
        assert!(
            summarize_export(&text, &Limits::default())
                .unwrap_err()
                .reason
                .contains("neither a ZIP")
        );
        let empty = dir.join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        assert!(
            summarize_export(&empty, &Limits::default())
                .unwrap_err()
                .reason
                .contains("not a chat export")
        );
        let blank = dir.join("blank.jsonl");
        std::fs::write(&blank, b"not json\n").unwrap();
        let e = summarize_export(&blank, &Limits::default()).unwrap_err();
        assert!(e.reason.contains("blank.jsonl:1"), "{}", e.reason);
        assert!(summarize_export(&dir.join("missing.zip"), &Limits::default()).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[cfg(test)]
mod seek_tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn seekbuf_reads_what_the_file_holds_at_each_position() {
        let path = std::env::temp_dir().join(format!("fulcrum-seekbuf-{}", std::process::id()));
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        File::create(&path).unwrap().write_all(&data).unwrap();
        let mut r = SeekBuf::new(File::open(&path).unwrap());
        let mut buf = [0u8; 16];
        // Forward inside the buffer, backward, far beyond it, from the end.
        for &at in &[10u64, 5000, 3, 250_000, 131_072, 299_984] {
            assert_eq!(r.seek(SeekFrom::Start(at)).unwrap(), at);
            r.read_exact(&mut buf).unwrap();
            assert_eq!(&buf[..], &data[at as usize..at as usize + 16]);
            assert_eq!(r.stream_position().unwrap(), at + 16);
        }
        assert_eq!(r.seek(SeekFrom::Current(-32)).unwrap(), 299_968);
        assert_eq!(r.seek(SeekFrom::End(-16)).unwrap(), 299_984);
        r.read_exact(&mut buf).unwrap();
        assert_eq!(&buf[..], &data[299_984..]);
        // Small fills after a jump, large ones reading on, and reads larger
        // than the buffer, all give the file's bytes.
        let mut big = vec![0u8; 40_000];
        r.seek(SeekFrom::Start(1_000)).unwrap();
        r.read_exact(&mut big).unwrap();
        assert_eq!(&big[..], &data[1_000..41_000]);
        r.seek(SeekFrom::Start(7)).unwrap();
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).unwrap();
        assert_eq!(&rest[..], &data[7..]);
        std::fs::remove_file(path).unwrap();
    }
}
