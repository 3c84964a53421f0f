//! Entries of an export: the files inside a ZIP, or inside an unpacked folder.
//!
//! Readers see an export as an [`EntrySource`]: a list of entry names and a
//! way to open one. [`ZipSource`] implements it over any `Read + Seek` (the
//! app passes an open file); the app implements it for folders, since only
//! the app touches the file system.
//!
//! A ZIP is untrusted input. [`ZipSource`] enforces [`Limits`]: no entry
//! inflates past the size its header declares, a maximum expansion ratio
//! per entry and a maximum total of uncompressed bytes, counted on the bytes
//! actually inflated (headers can lie); each entry's CRC-32 is checked. A
//! ZIP whose central directory is missing (truncated download) is read by
//! walking its local headers from the start (`scan`), so every entry whose
//! data lies before the cut is still read, data descriptors included.
//!
//! A Slack export holds hundreds of thousands of day files of a few hundred
//! bytes each, so what an entry costs besides its bytes matters. The
//! central directory is read once into a table of where each entry's data
//! is (`directory` for plain archives, the `zip` crate for the rest);
//! opening entry `i` is then an index into that table, one local header
//! read and one reset of the archive's single inflate state, which inflates
//! straight from the archive's cached blocks (`BlockCache`) into the
//! caller's buffer. An archive recovered from its local headers is read
//! the same way, from the table the walk builds.

mod blocks;
mod directory;
mod scan;

use crate::dates::DateRange;
use blocks::BlockCache;
use directory::Record;
use flate2::{Crc, Decompress, FlushDecompress, Status};
use fulcrum_model::limits;
use std::io::{self, Read, Seek, SeekFrom};

/// Name and declared size of one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInfo {
    /// Path inside the export, `/`-separated, without a leading `/`.
    pub name: String,
    /// Uncompressed size as declared by the ZIP header or the file system.
    pub size: u64,
    /// Compressed size (equal to `size` for folders and stored entries).
    pub compressed_size: u64,
}

/// An export seen as named entries.
pub trait EntrySource {
    /// The file entries (no directories), in the order of the container.
    fn entries(&self) -> &[EntryInfo];
    /// Opens entry number `index` of [`EntrySource::entries`] for reading.
    /// The reader may fail part way (a corrupt or truncated entry, a limit
    /// reached); see [`LimitExceeded`].
    fn open(&mut self, index: usize) -> io::Result<Box<dyn Read + '_>>;
    /// Appends entry number `index` to `buf`, stopping once more than `cap`
    /// of its bytes were read (so a caller tells an entry over `cap` from
    /// one of exactly `cap`). On an error, what was read before it stays in
    /// `buf`. The default goes through [`EntrySource::open`]; a source that
    /// can fill `buf` directly (no zeroing, no intermediate copy) does.
    fn read_entry(&mut self, index: usize, buf: &mut Vec<u8>, cap: u64) -> io::Result<()> {
        self.open(index)?
            .take(cap.saturating_add(1))
            .read_to_end(buf)
            .map(drop)
    }
    /// Problems found while listing the entries (e.g. a ZIP read in
    /// recovery mode), as `(entry, message)`.
    fn listing_problems(&self) -> Vec<(String, String)> {
        Vec::new()
    }
}

/// Safety limits for reading untrusted exports, and the dates worth reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Maximum uncompressed bytes read from one export in total.
    pub max_total_bytes: u64,
    /// Maximum ratio of uncompressed to compressed size for one ZIP entry.
    pub max_ratio: u64,
    /// Entries smaller than this are exempt from the ratio check (a tiny
    /// `[]` file can have any ratio).
    pub ratio_exempt_bytes: u64,
    /// Day files up to this size are parsed from memory; bigger ones are
    /// streamed, so memory stays bounded by this.
    pub max_entry_in_memory: u64,
    /// Largest metadata file (`users.json`, `channels.json`, ...) read; it
    /// is held in memory while its elements are parsed one by one. Default
    /// [`limits::MAX_METADATA_BYTES`]; a bigger one is refused by its
    /// declared size before it is inflated.
    pub max_metadata_bytes: u64,
    /// Longest JSON line of a Mattermost export kept in memory; a longer
    /// line is skipped and reported. Default [`limits::MAX_LINE_BYTES`].
    pub max_line_bytes: u64,
    /// How many diagnostics are kept word for word.
    pub max_diagnostics: usize,
    /// Only records dated in this range are read; `None` (the default)
    /// reads everything. Slack day files dated outside it are not opened
    /// ([`crate::ReadReport::out_of_range_files`]); Mattermost post lines
    /// whose post and replies are all dated outside it are not read
    /// ([`crate::ReadReport::out_of_range_posts`]). Neither counts as
    /// skipped. See [`crate::dates`] for what the range promises.
    pub dates: Option<DateRange>,
}

impl Limits {
    /// Default total: 64 GiB of uncompressed JSON.
    pub const DEFAULT_MAX_TOTAL_BYTES: u64 = 64 << 30;
    /// Default ratio: 200:1 (real chat JSON compresses 5-30:1; deflate's
    /// ceiling, reached only by crafted input, is about 1032:1).
    pub const DEFAULT_MAX_RATIO: u64 = 200;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_total_bytes: Self::DEFAULT_MAX_TOTAL_BYTES,
            max_ratio: Self::DEFAULT_MAX_RATIO,
            ratio_exempt_bytes: 1 << 20,
            max_entry_in_memory: 64 << 20,
            max_metadata_bytes: limits::MAX_METADATA_BYTES,
            max_line_bytes: limits::MAX_LINE_BYTES,
            max_diagnostics: 200,
            dates: None,
        }
    }
}

/// The reason a guarded reader stopped: carried inside an `io::Error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitExceeded {
    /// One entry inflates more than the allowed ratio.
    #[error(
        "entry expands more than {max_ratio}:1 ({compressed} compressed bytes gave over {inflated}); \
         skipped as a possible ZIP bomb (raise the limit with --max-expansion-ratio)"
    )]
    Ratio {
        /// The limit.
        max_ratio: u64,
        /// Compressed size of the entry.
        compressed: u64,
        /// Bytes inflated when the limit was hit.
        inflated: u64,
    },
    /// The export as a whole inflates past the total limit.
    #[error(
        "the export inflates to more than {max_total} bytes; reading stopped \
         (raise the limit with --max-uncompressed-gb)"
    )]
    Total {
        /// The limit.
        max_total: u64,
    },
}

impl LimitExceeded {
    /// The limit carried by an I/O error from a guarded reader, if any.
    pub fn from_io(err: &io::Error) -> Option<&LimitExceeded> {
        err.get_ref()
            .and_then(|e| e.downcast_ref::<LimitExceeded>())
    }
}

/// Counts one entry's inflated bytes against its declared size and the
/// limits, in the order the checks have always run: declared size, then the
/// export's total, then the entry's ratio.
struct Guard<'a> {
    /// The uncompressed size the header declares, when this guard is the
    /// one that enforces it (the `zip` crate's own reader, used in recovery,
    /// enforces it itself).
    declared: Option<u64>,
    compressed: u64,
    inflated: u64,
    total: &'a mut u64,
    limits: Limits,
}

impl Guard<'_> {
    fn count(&mut self, n: usize) -> io::Result<()> {
        let n = n as u64;
        self.inflated += n;
        if let Some(declared) = self.declared
            && self.inflated > declared
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the entry inflates to more than the {declared} bytes its header declares"),
            ));
        }
        *self.total += n;
        if *self.total > self.limits.max_total_bytes {
            return Err(io::Error::other(LimitExceeded::Total {
                max_total: self.limits.max_total_bytes,
            }));
        }
        if self.inflated > self.limits.ratio_exempt_bytes
            && self.inflated > self.compressed.max(1).saturating_mul(self.limits.max_ratio)
        {
            return Err(io::Error::other(LimitExceeded::Ratio {
                max_ratio: self.limits.max_ratio,
                compressed: self.compressed,
                inflated: self.inflated,
            }));
        }
        Ok(())
    }
}

/// Where one entry's data is and how to inflate it, from the central
/// directory.
#[derive(Debug, Clone, Copy)]
struct Located {
    header_start: u64,
    /// Declared sizes, as in [`EntryInfo`]: kept here too so that opening
    /// an entry reads one record (entries are opened out of order, and
    /// each record looked up is a cache miss).
    size: u64,
    compressed: u64,
    crc32: u32,
    /// The compression method's number: 0 stored, 8 deflated.
    method: u16,
    encrypted: bool,
    /// The file ends inside this entry's data (an archive recovered from
    /// its local headers): what is there is read, then the cut is reported.
    cut: bool,
}

/// The file entries of a central directory as [`ZipSource`] keeps them,
/// filled one record at a time.
#[derive(Debug, Default)]
struct Table {
    entries: Vec<EntryInfo>,
    located: Vec<Located>,
}

impl Table {
    fn reserve(&mut self, records: usize) {
        self.entries.reserve(records);
        self.located.reserve(records);
    }

    /// Keeps a file's record (directories are not entries).
    fn push(&mut self, record: Record) {
        if record.is_dir {
            return;
        }
        let mut name = record.name;
        if name.starts_with('/') {
            name = name.trim_start_matches('/').to_owned();
        }
        self.entries.push(EntryInfo {
            name,
            size: record.size,
            compressed_size: record.compressed,
        });
        self.located.push(Located {
            header_start: record.header_start,
            size: record.size,
            compressed: record.compressed,
            crc32: record.crc32,
            method: record.method,
            encrypted: record.encrypted,
            cut: false,
        });
    }
}

/// The length of a local file header before its name and extra field.
const LOCAL_HEADER_LEN: u64 = 30;
const LOCAL_HEADER_SIGNATURE: [u8; 4] = *b"PK\x03\x04";

/// Random access to the entries by index, from a central directory or from
/// the walk over the local headers that stands in for a damaged one.
struct ZipMode<R: Read + Seek> {
    reader: BlockCache<R>,
    located: Vec<Located>,
    /// The archive's one inflate state, reset for each entry: creating
    /// one costs more than inflating a small day file.
    inflater: Box<Decompress>,
}

/// A ZIP export over any `Read + Seek`, with [`Limits`] enforced.
pub struct ZipSource<R: Read + Seek> {
    mode: ZipMode<R>,
    entries: Vec<EntryInfo>,
    total: u64,
    limits: Limits,
    problems: Vec<(String, String)>,
}

impl<R: Read + Seek> ZipSource<R> {
    /// Opens a ZIP by its central directory. Fails when that cannot be read
    /// (a truncated or damaged file); [`open_zip`] then recovers the entries
    /// from their local headers with [`ZipSource::recover`].
    pub fn new(mut reader: R, limits: Limits) -> io::Result<Self> {
        let mut table = Table::default();
        if directory::read_plain(&mut reader, &mut table).is_some() {
            return Ok(Self::from_table(reader, table, limits));
        }
        reader.seek(SeekFrom::Start(0))?;
        match zip::ZipArchive::new(reader) {
            Ok(archive) => {
                // Central-directory records only: opening each entry here
                // would seek to every local header of a big export. (An
                // index below `len` always has a record.)
                let mut table = Table::default();
                table.reserve(archive.len());
                let records = (0..archive.len())
                    .filter_map(|i| archive.by_index_data(i).ok())
                    .map(|file| Record {
                        name: match file.name() {
                            Ok(n) => n.into_owned(),
                            Err(_) => String::from_utf8_lossy(file.name_raw()).into_owned(),
                        },
                        is_dir: file.is_dir(),
                        size: file.size(),
                        compressed: file.compressed_size(),
                        header_start: file.header_start(),
                        crc32: file.crc32(),
                        method: match file.compression() {
                            zip::CompressionMethod::Stored => 0,
                            zip::CompressionMethod::Deflated => 8,
                            // The number, for the message that it is not read.
                            #[allow(deprecated)]
                            other => other.to_u16(),
                        },
                        encrypted: file.encrypted(),
                    });
                for record in records {
                    table.push(record);
                }
                // The table is all that is needed from here on; the crate's
                // own copy of the directory is dropped with it.
                Ok(Self::from_table(archive.into_inner(), table, limits))
            }
            // `ZipArchive::new` consumed the reader, so recovery needs a
            // second handle: see [`open_zip`].
            Err(central_err) => Err(io::Error::new(io::ErrorKind::InvalidData, central_err)),
        }
    }

    /// A source over the file entries of a central directory.
    fn from_table(reader: R, table: Table, limits: Limits) -> Self {
        ZipSource {
            mode: ZipMode {
                reader: BlockCache::new(reader),
                located: table.located,
                inflater: Box::new(Decompress::new(false)),
            },
            entries: table.entries,
            total: 0,
            limits,
            problems: Vec::new(),
        }
    }

    /// Opens a ZIP whose central directory could not be read, by walking the
    /// local file headers from the start (see `scan`): every entry whose
    /// data lies wholly before a cut is read; the entry cut through and any
    /// damaged entry are named in [`EntrySource::listing_problems`]. Fails
    /// only when no entry at all is found.
    pub fn recover(reader: R, limits: Limits, why: &str) -> io::Result<Self> {
        let mut reader = BlockCache::new(reader);
        let mut inflater = Box::new(Decompress::new(false));
        let found = scan::scan(&mut reader, &mut inflater, &limits)?;
        if found.files == 0 {
            let cut = match &found.cut {
                Some(lost) if !lost.name.is_empty() => {
                    format!("; its first entry, `{}`, is cut off", lost.name)
                }
                _ => String::new(),
            };
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "not a readable ZIP: {why}; no whole entry found from the local headers{cut}"
                ),
            ));
        }
        let problems = recovery_problems(&found, why);
        let mut located = found.table.located;
        if let Some(last) = located.last_mut() {
            last.cut = found.cut.as_ref().is_some_and(|c| c.listed);
        }
        Ok(ZipSource {
            mode: ZipMode {
                reader,
                located,
                inflater,
            },
            entries: found.table.entries,
            total: 0,
            limits,
            problems,
        })
    }

    /// Uncompressed bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.total
    }

    /// Positions the reader at the data of central-directory entry `index`
    /// and returns a reader over it that inflates, checks and counts.
    fn central_entry(&mut self, index: usize) -> io::Result<CentralEntry<'_, R>> {
        let limits = self.limits;
        let ZipMode {
            reader,
            located,
            inflater,
        } = &mut self.mode;
        let at = *located
            .get(index)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no entry #{index}")))?;
        let deflated = match at.method {
            _ if at.encrypted => {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "the entry is encrypted; Fulcrum reads unencrypted exports only",
                ));
            }
            0 => false,
            8 => true,
            other => {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    format!(
                        "the entry is compressed with method {other}, which Fulcrum does not read \
                         (only stored and deflated entries)"
                    ),
                ));
            }
        };
        let (size, compressed) = (at.size, at.compressed);
        let start = data_start(reader, at.header_start)?;
        let end = start
            .checked_add(compressed)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "entry size out of range"))?;
        inflater.reset(false);
        Ok(CentralEntry {
            archive: reader,
            state: inflater,
            pos: start,
            end,
            deflated,
            crc: Crc::new(),
            expected_crc: at.crc32,
            cut: at.cut,
            guard: Guard {
                // A cut entry's size is not known.
                declared: (!at.cut).then_some(size),
                compressed,
                inflated: 0,
                total: &mut self.total,
                limits,
            },
            stream_end: false,
            done: false,
        })
    }
}

/// Reads the local header at `header_start` and returns where the entry's
/// data starts: after the header's own name and extra field, whose lengths
/// may differ from the central directory's.
fn data_start<R: Read + Seek>(reader: &mut R, header_start: u64) -> io::Result<u64> {
    reader.seek(SeekFrom::Start(header_start))?;
    let mut header = [0u8; LOCAL_HEADER_LEN as usize];
    reader.read_exact(&mut header)?;
    if header[..4] != LOCAL_HEADER_SIGNATURE {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "no local file header where the central directory puts the entry",
        ));
    }
    let name_len = u64::from(u16::from_le_bytes([header[26], header[27]]));
    let extra_len = u64::from(u16::from_le_bytes([header[28], header[29]]));
    header_start
        .checked_add(LOCAL_HEADER_LEN + name_len + extra_len)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "entry offset out of range"))
}

/// One entry of a central-directory archive being read: its compressed
/// bytes are inflated straight from the archive's cached blocks with the
/// archive's reused decompressor, checksummed and counted by a [`Guard`].
struct CentralEntry<'a, R> {
    archive: &'a mut BlockCache<R>,
    state: &'a mut Decompress,
    /// The next compressed byte to inflate, and the end of the entry's data.
    pos: u64,
    end: u64,
    deflated: bool,
    crc: Crc,
    expected_crc: u32,
    /// The archive ends inside this entry (see [`Located::cut`]).
    cut: bool,
    guard: Guard<'a>,
    /// The deflate stream (or the stored data) has ended.
    stream_end: bool,
    /// The end was reached and checked: reads return 0.
    done: bool,
}

fn corrupt(e: flate2::DecompressError) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("corrupt deflate stream ({e})"),
    )
}

/// Where [`CentralEntry::inflate`] writes: a slice, or the spare capacity
/// of a vector (which is not zeroed first).
enum Out<'b> {
    Slice(&'b mut [u8]),
    Vec(&'b mut Vec<u8>),
}

impl<R: Read + Seek> CentralEntry<'_, R> {
    /// Output room beyond the declared size, so that inflate's fast path
    /// runs to the end of the entry and an entry that inflates past its
    /// declared size is noticed without growing the buffer further.
    const SLACK: usize = 4 << 10;

    /// Inflates or copies what fits into `out` from the compressed bytes
    /// that one cached block holds; returns the bytes written. Sets
    /// `stream_end` when the data is over (an archive that ends early ends
    /// the entry there).
    fn step(&mut self, out: Out<'_>) -> io::Result<usize> {
        let remaining = self.end - self.pos;
        let input: &[u8] = if remaining == 0 {
            &[]
        } else {
            self.archive.slice(self.pos, remaining)?
        };
        let last = input.len() as u64 == remaining;
        if !self.deflated {
            let n = match out {
                Out::Slice(out) => {
                    let n = input.len().min(out.len());
                    out[..n].copy_from_slice(&input[..n]);
                    n
                }
                Out::Vec(out) => {
                    let n = input.len().min(out.capacity() - out.len());
                    out.extend_from_slice(&input[..n]);
                    n
                }
            };
            self.pos += n as u64;
            if n == 0 {
                self.stream_end = true;
            }
            return Ok(n);
        }
        // When all the compressed bytes left are in `input`, say so: a
        // small entry then inflates in one call, without filling the
        // sliding window.
        let flush = if last {
            FlushDecompress::Finish
        } else {
            FlushDecompress::None
        };
        let state = &mut *self.state;
        let before_in = state.total_in();
        let (status, produced) = match out {
            Out::Slice(out) => {
                let before = state.total_out();
                let status = state.decompress(input, out, flush).map_err(corrupt)?;
                (status, (state.total_out() - before) as usize)
            }
            Out::Vec(out) => {
                let before = out.len();
                let status = state.decompress_vec(input, out, flush).map_err(corrupt)?;
                (status, out.len() - before)
            }
        };
        let consumed = state.total_in() - before_in;
        let empty = input.is_empty();
        self.pos += consumed;
        if status == Status::StreamEnd {
            self.stream_end = true;
        } else if produced == 0 && consumed == 0 {
            if !empty {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "corrupt deflate stream (no progress)",
                ));
            }
            // No input left and no progress: the data stops before the
            // deflate stream does. The checksum decides, as it always has.
            self.stream_end = true;
        }
        Ok(produced)
    }

    /// Counts and checksums bytes handed out.
    fn pass(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.guard.count(bytes.len())?;
        self.crc.update(bytes);
        Ok(())
    }

    /// At the end of the data: checks the CRC-32, once.
    fn finish(&mut self) -> io::Result<()> {
        if self.done {
            return Ok(());
        }
        self.done = true;
        if self.cut {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "the archive is cut off inside this entry; the {} bytes before the cut were read",
                    self.guard.inflated
                ),
            ));
        }
        if self.crc.sum() != self.expected_crc {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "checksum mismatch: the entry's data is damaged or cut off",
            ));
        }
        Ok(())
    }

    /// Appends the whole entry to `buf` (see [`EntrySource::read_entry`]).
    fn read_into(&mut self, buf: &mut Vec<u8>, cap: u64) -> io::Result<()> {
        let start = buf.len();
        let room = usize::try_from(self.guard.declared.unwrap_or(0).min(cap))
            .unwrap_or(usize::MAX)
            .saturating_add(Self::SLACK);
        buf.reserve(room);
        loop {
            if self.stream_end {
                return self.finish();
            }
            if (buf.len() - start) as u64 > cap {
                return Ok(());
            }
            if buf.len() == buf.capacity() {
                buf.reserve(Self::SLACK);
            }
            let before = buf.len();
            let produced = self.step(Out::Vec(buf))?;
            if produced > 0
                && let Err(e) = self.pass(&buf[before..])
            {
                // As a reader would: the bytes of the read that failed are
                // not handed over.
                buf.truncate(before);
                return Err(e);
            }
        }
    }
}

impl<R: Read + Seek> Read for CentralEntry<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() || self.done {
            return Ok(0);
        }
        loop {
            if self.stream_end {
                self.finish()?;
                return Ok(0);
            }
            let n = self.step(Out::Slice(out))?;
            if n > 0 {
                self.pass(&out[..n])?;
                return Ok(n);
            }
        }
    }
}

impl<R: Read + Seek> EntrySource for ZipSource<R> {
    fn entries(&self) -> &[EntryInfo] {
        &self.entries
    }

    fn open(&mut self, index: usize) -> io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(self.central_entry(index)?))
    }

    fn read_entry(&mut self, index: usize, buf: &mut Vec<u8>, cap: u64) -> io::Result<()> {
        self.central_entry(index)?.read_into(buf, cap)
    }

    fn listing_problems(&self) -> Vec<(String, String)> {
        self.problems.clone()
    }
}

/// What a walk over the local headers tells the user: how many entries
/// were recovered and what was lost, as `(entry, message)`.
fn recovery_problems(found: &scan::Scan, why: &str) -> Vec<(String, String)> {
    let whole = found.files - usize::from(found.cut.as_ref().is_some_and(|c| c.listed));
    let mut summary = format!(
        "the ZIP's central directory cannot be read ({why}); {whole} entries were recovered \
         whole from their local headers",
    );
    match (&found.cut, &found.ending) {
        (Some(cut), _) if cut.listed => {
            summary.push_str(&format!(
                "; the file is cut off in entry `{}` (its header at byte {}: {}): what comes \
                 before the cut is read, the rest of it and any entries that followed it are lost",
                cut.name, cut.at, cut.why
            ));
        }
        (Some(cut), _) => {
            let what = if cut.name.is_empty() {
                "an entry".to_owned()
            } else {
                format!("entry `{}`", cut.name)
            };
            summary.push_str(&format!(
                "; the file is cut off in {what} (its header at byte {}: {}), so that entry and \
                 any that followed it are lost",
                cut.at, cut.why
            ));
        }
        (None, Some(scan::Ending::Directory)) => {
            summary.push_str("; every entry before the central directory was recovered");
        }
        (None, _) => {
            let last = found.table.entries.last().map_or("", |e| e.name.as_str());
            summary.push_str(&format!(
                "; the file ends right after entry `{last}`, so any entries that followed it are lost"
            ));
        }
    }
    summary.push_str("; get the export again (a complete download) to read the rest");
    let mut problems = vec![(String::new(), summary)];
    for lost in &found.damaged {
        problems.push((
            lost.name.clone(),
            format!(
                "entry is damaged ({}) and was skipped; reading went on at the next local header",
                lost.why
            ),
        ));
    }
    if found.skipped_bytes > 0 {
        problems.push((
            String::new(),
            format!(
                "{} bytes that belong to no readable entry were skipped",
                found.skipped_bytes
            ),
        ));
    }
    problems
}

/// Opens a ZIP from two handles on the same bytes: the first for the normal
/// path, the second for recovery when the central directory is damaged.
pub fn open_zip<R: Read + Seek>(
    first: R,
    second: impl FnOnce() -> io::Result<R>,
    limits: Limits,
) -> io::Result<ZipSource<R>> {
    match ZipSource::new(first, limits) {
        Ok(source) => Ok(source),
        Err(e) => ZipSource::recover(second()?, limits, &e.to_string()),
    }
}

/// An export held in memory as `(name, bytes)` pairs: for tests, fuzzing and
/// the benchmark.
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    entries: Vec<EntryInfo>,
    data: Vec<Vec<u8>>,
}

impl MemorySource {
    /// An empty export.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an entry.
    pub fn add(&mut self, name: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let bytes = bytes.into();
        let size = bytes.len() as u64;
        self.entries.push(EntryInfo {
            name: name.into(),
            size,
            compressed_size: size,
        });
        self.data.push(bytes);
    }
}

impl EntrySource for MemorySource {
    fn entries(&self) -> &[EntryInfo] {
        &self.entries
    }

    fn open(&mut self, index: usize) -> io::Result<Box<dyn Read + '_>> {
        let data = self
            .data
            .get(index)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no entry #{index}")))?;
        Ok(Box::new(&data[..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in files {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn ratio_guard_stops_a_bomb_entry() {
        // 8 MiB of zeros deflate to a few KiB: a ratio far above 200:1.
        let zeros = vec![0u8; 8 << 20];
        let bytes = zip_of(&[("bomb.json", &zeros), ("ok.json", b"[]")]);
        let mut src = ZipSource::new(Cursor::new(bytes), Limits::default()).unwrap();
        let mut sink = Vec::new();
        let err = src.open(0).unwrap().read_to_end(&mut sink).unwrap_err();
        assert!(matches!(
            LimitExceeded::from_io(&err),
            Some(LimitExceeded::Ratio { .. })
        ));
        // The other entry still reads.
        let mut ok = String::new();
        src.open(1).unwrap().read_to_string(&mut ok).unwrap();
        assert_eq!(ok, "[]");
    }

    #[test]
    fn total_guard_stops_the_export() {
        let data = vec![b'x'; 1000];
        let bytes = zip_of(&[("a", &data), ("b", &data)]);
        let limits = Limits {
            max_total_bytes: 1500,
            ..Limits::default()
        };
        let mut src = ZipSource::new(Cursor::new(bytes), limits).unwrap();
        let mut sink = Vec::new();
        src.open(0).unwrap().read_to_end(&mut sink).unwrap();
        // 1000 + 1000 > 1500: the second entry hits the total limit.
        let err = src.open(1).unwrap().read_to_end(&mut sink).unwrap_err();
        assert!(matches!(
            LimitExceeded::from_io(&err),
            Some(LimitExceeded::Total { .. })
        ));
    }

    /// The bomb guard on the whole-entry path the Slack reader takes, not
    /// only through `open`: same limits, same errors.
    #[test]
    fn guards_hold_when_an_entry_is_read_whole() {
        let zeros = vec![0u8; 8 << 20];
        let bytes = zip_of(&[("bomb.json", &zeros), ("ok.json", b"[]")]);
        let mut src = ZipSource::new(Cursor::new(bytes), Limits::default()).unwrap();
        let mut buf = Vec::new();
        let err = src.read_entry(0, &mut buf, 64 << 20).unwrap_err();
        assert!(matches!(
            LimitExceeded::from_io(&err),
            Some(LimitExceeded::Ratio { .. })
        ));
        // Stopped at the limit, not after inflating the whole entry.
        assert!(buf.len() < 2 << 20, "{}", buf.len());
        buf.clear();
        src.read_entry(1, &mut buf, 64 << 20).unwrap();
        assert_eq!(buf, b"[]");

        let data = vec![b'x'; 1000];
        let bytes = zip_of(&[("a", &data), ("b", &data)]);
        let limits = Limits {
            max_total_bytes: 1500,
            ..Limits::default()
        };
        let mut src = ZipSource::new(Cursor::new(bytes), limits).unwrap();
        let mut buf = Vec::new();
        src.read_entry(0, &mut buf, 64 << 20).unwrap();
        let err = src.read_entry(1, &mut buf, 64 << 20).unwrap_err();
        assert!(matches!(
            LimitExceeded::from_io(&err),
            Some(LimitExceeded::Total { .. })
        ));
    }

    /// Offset of the only central-directory record of `zip`.
    fn central_record(zip: &[u8]) -> usize {
        zip.windows(4).position(|w| w == b"PK\x01\x02").unwrap()
    }

    #[test]
    fn an_entry_larger_than_its_header_says_is_stopped_there() {
        // 10,000 bytes that declare 100: a lying header, far under the
        // ratio limit's exemption, is caught by the declared size.
        let data = vec![b'x'; 10_000];
        let mut bytes = zip_of(&[("day.json", &data)]);
        let at = central_record(&bytes);
        bytes[at + 24..at + 28].copy_from_slice(&100u32.to_le_bytes());
        let mut src = ZipSource::new(Cursor::new(bytes), Limits::default()).unwrap();
        assert_eq!(src.entries()[0].size, 100);
        let mut buf = Vec::new();
        let err = src.read_entry(0, &mut buf, 64 << 20).unwrap_err();
        assert!(
            err.to_string().contains("100 bytes its header declares"),
            "{err}"
        );
        assert!(buf.len() <= 100);
        let mut out = Vec::new();
        let err = src.open(0).unwrap().read_to_end(&mut out).unwrap_err();
        assert!(err.to_string().contains("declares"), "{err}");
    }

    #[test]
    fn a_damaged_entry_fails_its_checksum() {
        let data: Vec<u8> = (0..5000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        let mut bytes = zip_of(&[("day.json", &data), ("next.json", b"[1]")]);
        let at = central_record(&bytes);
        bytes[at + 16] ^= 0xff;
        let mut src = ZipSource::new(Cursor::new(bytes), Limits::default()).unwrap();
        let mut buf = Vec::new();
        let err = src.read_entry(0, &mut buf, 64 << 20).unwrap_err();
        assert!(err.to_string().contains("checksum"), "{err}");
        let err = src
            .open(0)
            .unwrap()
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert!(err.to_string().contains("checksum"), "{err}");
        // The reused decompressor starts clean for the next entry.
        buf.clear();
        src.read_entry(1, &mut buf, 64 << 20).unwrap();
        assert_eq!(buf, b"[1]");
    }

    #[test]
    fn entries_read_in_any_order_and_any_read_size_give_their_bytes() {
        let files: Vec<(String, Vec<u8>)> = (0..40u32)
            .map(|i| {
                let body: Vec<u8> = (0..i * 997)
                    .map(|j| (j * 31 + i) as u8 % 64 + b' ')
                    .collect();
                (format!("c{}/{i:03}.json", i % 7), body)
            })
            .collect();
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (i, (name, body)) in files.iter().enumerate() {
            let method = if i % 3 == 0 {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            };
            let opts = SimpleFileOptions::default()
                .compression_method(method)
                .large_file(i % 5 == 0);
            w.start_file(name.as_str(), opts).unwrap();
            w.write_all(body).unwrap();
        }
        let bytes = w.finish().unwrap().into_inner();
        let mut src = ZipSource::new(Cursor::new(bytes), Limits::default()).unwrap();
        for i in (0..files.len()).rev().chain(0..files.len()) {
            assert_eq!(src.entries()[i].name, files[i].0);
            let mut whole = Vec::new();
            src.read_entry(i, &mut whole, 64 << 20).unwrap();
            assert_eq!(whole, files[i].1, "{}", files[i].0);
            // Through `open`, seven bytes at a time.
            let mut reader = src.open(i).unwrap();
            let mut streamed = Vec::new();
            let mut chunk = [0u8; 7];
            loop {
                let n = reader.read(&mut chunk).unwrap();
                if n == 0 {
                    break;
                }
                streamed.extend_from_slice(&chunk[..n]);
            }
            assert_eq!(streamed, files[i].1, "{}", files[i].0);
        }
    }

    #[test]
    fn truncated_zip_is_recovered_up_to_the_cut() {
        let big: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let bytes = zip_of(&[
            ("first.json", b"[1]"),
            ("second.json", b"[2]"),
            ("big.bin", &big),
        ]);
        // Cut in the middle of the third entry's data: no central directory.
        let cut = bytes[..bytes.len() / 2].to_vec();
        assert!(ZipSource::new(Cursor::new(cut.clone()), Limits::default()).is_err());
        let mut src = open_zip(
            Cursor::new(cut.clone()),
            || Ok(Cursor::new(cut.clone())),
            Limits::default(),
        )
        .unwrap();
        // The entry cut through is listed: its part before the cut is
        // read, then the cut is an error. The cut is reported.
        let names: Vec<_> = src.entries().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["first.json", "second.json", "big.bin"]);
        let mut s = String::new();
        src.open(1).unwrap().read_to_string(&mut s).unwrap();
        assert_eq!(s, "[2]");
        let mut part = Vec::new();
        let err = src.read_entry(2, &mut part, 64 << 20).unwrap_err();
        assert!(err.to_string().contains("cut off"), "{err}");
        assert!(!part.is_empty() && part.len() < big.len());
        assert_eq!(part[..], big[..part.len()]);
        let problems = src.listing_problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].1.contains("2 entries were recovered whole"),
            "{problems:?}"
        );
        assert!(problems[0].1.contains("`big.bin`"), "{problems:?}");
    }

    /// A ZIP written as a stream (sizes and CRC-32 in a data descriptor
    /// after each entry, flag bit 3), as most ZIP writers and the demo
    /// write them.
    fn streamed_zip_of(files: &[(&str, &[u8], zip::CompressionMethod)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new_stream(Cursor::new(Vec::new()));
        for (name, data, method) in files {
            let opts = SimpleFileOptions::default().compression_method(*method);
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner().into_inner()
    }

    fn recovered(bytes: &[u8]) -> io::Result<ZipSource<Cursor<Vec<u8>>>> {
        let copy = bytes.to_vec();
        open_zip(
            Cursor::new(bytes.to_vec()),
            || Ok(Cursor::new(copy)),
            Limits::default(),
        )
    }

    #[test]
    fn truncated_zip_with_data_descriptors_is_recovered_up_to_the_cut() {
        let body = |i: u32| -> Vec<u8> {
            (0..i * 300)
                .map(|j| (j.wrapping_mul(2_654_435_761) >> 13) as u8 % 40 + b'0')
                .collect()
        };
        let bodies: Vec<Vec<u8>> = (0..12).map(body).collect();
        let names: Vec<String> = (0..12).map(|i| format!("c/{i:02}.json")).collect();
        let methods = [
            zip::CompressionMethod::Deflated,
            zip::CompressionMethod::Stored,
        ];
        let files: Vec<(&str, &[u8], zip::CompressionMethod)> = (0..12)
            .map(|i| (names[i].as_str(), &bodies[i][..], methods[i % 3 / 2]))
            .collect();
        let whole = streamed_zip_of(&files);
        assert_ne!(
            u16::from_le_bytes([whole[6], whole[7]]) & 8,
            0,
            "the writer streams"
        );
        // Where each entry's data ends, from the intact central directory. A
        // stored entry with a descriptor is found by its descriptor (16
        // bytes here), so that must be there too.
        let archive = zip::ZipArchive::new(Cursor::new(whole.clone())).unwrap();
        // Per entry: where its header's name ends, and where it ends.
        let (named, ends): (Vec<u64>, Vec<u64>) = (0..archive.len())
            .map(|i| {
                let f = archive.by_index_data(i).unwrap();
                let h = f.header_start() as usize;
                let lens = |at: usize| u64::from(u16::from_le_bytes([whole[at], whole[at + 1]]));
                let descriptor = lens(h + 6) & 8 != 0 && lens(h + 8) == 0;
                let data = f.header_start() + 30 + lens(h + 26) + lens(h + 28);
                let end = data + f.compressed_size() + if descriptor { 16 } else { 0 };
                (data, end)
            })
            .unzip();
        let directory = whole.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        let mut cuts: Vec<usize> = ends.iter().map(|&e| e as usize).collect();
        cuts.extend(ends.iter().map(|&e| e as usize - 7));
        cuts.extend([directory, directory + 20, whole.len() - 5, 40, 1000, 2500]);
        for cut in cuts {
            let bytes = &whole[..cut];
            let expected: Vec<usize> = (0..12).filter(|&i| ends[i] as usize <= cut).collect();
            let src = recovered(bytes);
            // The entry cut through is listed once its data has begun.
            let next = expected.len();
            let listed_cut = next < 12 && (named[next] as usize) < cut;
            if expected.is_empty() && !listed_cut {
                assert!(src.is_err(), "cut {cut}");
                continue;
            }
            let mut src = src.unwrap_or_else(|e| panic!("cut {cut}: {e}"));
            let names: Vec<String> = src.entries().iter().map(|e| e.name.clone()).collect();
            let mut want: Vec<String> =
                expected.iter().map(|&i| format!("c/{i:02}.json")).collect();
            if listed_cut {
                want.push(format!("c/{next:02}.json"));
            }
            assert_eq!(names, want, "cut {cut}");
            for (k, &i) in expected.iter().enumerate() {
                let mut buf = Vec::new();
                src.read_entry(k, &mut buf, 64 << 20).unwrap();
                assert_eq!(buf, bodies[i], "cut {cut}, entry {i}");
            }
            if listed_cut {
                let mut part = Vec::new();
                let err = src.read_entry(next, &mut part, 64 << 20).unwrap_err();
                assert!(err.to_string().contains("cut off"), "cut {cut}: {err}");
                // A stored entry's data cannot be told from the start of
                // its cut descriptor: up to 16 bytes more may come.
                let n = part.len().min(bodies[next].len());
                assert!(part.len() <= bodies[next].len() + 16, "cut {cut}");
                assert_eq!(part[..n], bodies[next][..n], "cut {cut}");
            }
            let problems = src.listing_problems();
            let summary = &problems[0].1;
            assert!(
                summary.contains(&format!("{} entries were recovered whole", expected.len())),
                "cut {cut}: {summary}"
            );
            // The entry cut through is named once its header is whole.
            assert_eq!(
                summary.contains(&format!("`c/{next:02}.json`")),
                next < 12 && named[next] as usize <= cut,
                "cut {cut}: {summary}"
            );
        }
    }

    #[test]
    fn scanning_arbitrary_bytes_never_panics_nor_runs_away() {
        // A small, seeded generator: no dependency for a bounded
        // property-style loop.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let seed = streamed_zip_of(&[
            (
                "users.json",
                b"[{\"id\":\"U1\"}]",
                zip::CompressionMethod::Deflated,
            ),
            (
                "a/2024-01-01.json",
                &[b'x'; 3000],
                zip::CompressionMethod::Stored,
            ),
            (
                "a/2024-01-02.json",
                &[b'y'; 3000],
                zip::CompressionMethod::Deflated,
            ),
        ]);
        let limits = Limits {
            max_total_bytes: 1 << 20,
            ..Limits::default()
        };
        for round in 0..3000 {
            let mut bytes = if round % 3 == 0 {
                // Pure noise with local-header signatures sprinkled in.
                let len = (next() % 4096) as usize;
                let mut b: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                for _ in 0..(next() % 8) {
                    if b.len() > 4 {
                        let at = (next() as usize) % (b.len() - 4);
                        b[at..at + 4].copy_from_slice(b"PK\x03\x04");
                    }
                }
                b
            } else {
                seed.clone()
            };
            // Mutations: flipped bytes, then a cut.
            for _ in 0..(next() % 6) {
                if !bytes.is_empty() {
                    let at = (next() as usize) % bytes.len();
                    bytes[at] = next() as u8;
                }
            }
            let keep = if bytes.is_empty() {
                0
            } else {
                (next() as usize) % (bytes.len() + 1)
            };
            bytes.truncate(keep);
            let Ok(mut src) = ZipSource::recover(Cursor::new(bytes.clone()), limits, "test") else {
                continue;
            };
            // Each entry found takes at least a header's 30 bytes.
            assert!(src.entries().len() <= bytes.len() / 30 + 1);
            for i in 0..src.entries().len() {
                let mut buf = Vec::new();
                let _ = src.read_entry(i, &mut buf, 1 << 20);
                assert!(buf.len() <= (1 << 20) + 1);
            }
        }
    }

    #[test]
    fn garbage_is_not_a_zip() {
        let junk = b"this is not a zip file at all".to_vec();
        let r = open_zip(
            Cursor::new(junk.clone()),
            || Ok(Cursor::new(junk.clone())),
            Limits::default(),
        );
        assert!(r.is_err());
    }
}
