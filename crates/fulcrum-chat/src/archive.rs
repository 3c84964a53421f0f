//! Entries of an export: the files inside a ZIP, or inside an unpacked folder.
//!
//! Readers see an export as an [`EntrySource`]: a list of entry names and a
//! way to open one. [`ZipSource`] implements it over any `Read + Seek` (the
//! app passes an open file); the app implements it for folders, since only
//! the app touches the file system.
//!
//! A ZIP is untrusted input. [`ZipSource`] enforces [`Limits`]: a maximum
//! expansion ratio per entry and a maximum total of uncompressed bytes,
//! counted on the bytes actually inflated (headers can lie). A ZIP whose
//! central directory is missing (truncated download) is read by walking its
//! local headers from the start, so every entry before the cut is still read.

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
    /// Problems found while listing the entries (e.g. a ZIP read in
    /// recovery mode), as `(entry, message)`.
    fn listing_problems(&self) -> Vec<(String, String)> {
        Vec::new()
    }
}

/// Safety limits for reading untrusted exports.
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
    /// is held in memory while its elements are parsed one by one.
    pub max_metadata_bytes: u64,
    /// Longest JSON line of a Mattermost export kept in memory; a longer
    /// line is skipped and reported.
    pub max_line_bytes: u64,
    /// How many diagnostics are kept word for word.
    pub max_diagnostics: usize,
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
            max_metadata_bytes: 1 << 30,
            max_line_bytes: 64 << 20,
            max_diagnostics: 200,
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

/// Counts inflated bytes and stops at the limits.
struct Guarded<'a, R> {
    inner: R,
    compressed: u64,
    inflated: u64,
    total: &'a mut u64,
    limits: Limits,
}

impl<R: Read> Read for Guarded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.inflated += n as u64;
        *self.total += n as u64;
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
        Ok(n)
    }
}

enum ZipMode<R: Read + Seek> {
    /// The central directory was read: random access by index.
    Central {
        archive: zip::ZipArchive<R>,
        indices: Vec<usize>,
    },
    /// No usable central directory: entries found by walking local headers,
    /// each opened by seeking to its header.
    Recovered { reader: R, offsets: Vec<u64> },
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
        reader.seek(SeekFrom::Start(0))?;
        match zip::ZipArchive::new(reader) {
            Ok(archive) => {
                let mut entries = Vec::with_capacity(archive.len());
                let mut indices = Vec::with_capacity(archive.len());
                let mut problems = Vec::new();
                // Central-directory records only: opening each entry here
                // would seek to every local header of a big export.
                for i in 0..archive.len() {
                    match archive.by_index_data(i) {
                        Ok(file) => {
                            if !file.is_dir() {
                                let name = match file.name() {
                                    Ok(n) => n.into_owned(),
                                    Err(_) => String::from_utf8_lossy(file.name_raw()).into_owned(),
                                };
                                entries.push(EntryInfo {
                                    name: name.trim_start_matches('/').to_owned(),
                                    size: file.size(),
                                    compressed_size: file.compressed_size(),
                                });
                                indices.push(i);
                            }
                        }
                        Err(e) => problems.push((
                            format!("#{i}"),
                            format!("ZIP entry number {i} cannot be read: {e}; skipped"),
                        )),
                    }
                }
                Ok(ZipSource {
                    mode: ZipMode::Central { archive, indices },
                    entries,
                    total: 0,
                    limits,
                    problems,
                })
            }
            // `ZipArchive::new` consumed the reader, so recovery needs a
            // second handle: see [`open_zip`].
            Err(central_err) => Err(io::Error::new(io::ErrorKind::InvalidData, central_err)),
        }
    }

    /// Opens a ZIP whose central directory could not be read, by walking the
    /// local file headers from the start. Entries after a damaged one are
    /// lost (their position is unknown); that is reported.
    pub fn recover(mut reader: R, limits: Limits, why: &str) -> io::Result<Self> {
        let mut problems = vec![(
            String::new(),
            format!(
                "the ZIP's central directory cannot be read ({why}); entries were recovered \
                 from their local headers, anything after a damaged entry is lost"
            ),
        )];
        let mut entries = Vec::new();
        let mut offsets = Vec::new();
        reader.seek(SeekFrom::Start(0))?;
        loop {
            let offset = reader.stream_position()?;
            let step = {
                let mut counted = CountingReader {
                    inner: &mut reader,
                    limit: limits.max_total_bytes,
                    read: 0,
                };
                match zip::read::read_zipfile_from_stream(&mut counted) {
                    Ok(Some(mut file)) => {
                        let name = entry_name(&file);
                        let is_dir = file.is_dir();
                        let compressed = file.compressed_size();
                        // Drain the entry to find the next header; its bytes
                        // count against the total limit via `CountingReader`.
                        let drained = io::copy(&mut file, &mut io::sink());
                        drop(file);
                        match drained {
                            Ok(size) => Step::Entry {
                                name,
                                is_dir,
                                size,
                                compressed,
                            },
                            Err(e) => Step::Damaged {
                                name,
                                error: e.to_string(),
                            },
                        }
                    }
                    Ok(None) => Step::End,
                    Err(e) => Step::Stop(e.to_string()),
                }
            };
            match step {
                Step::Entry {
                    name,
                    is_dir,
                    size,
                    compressed,
                } => {
                    if !is_dir {
                        entries.push(EntryInfo {
                            name,
                            size,
                            compressed_size: compressed,
                        });
                        offsets.push(offset);
                    }
                }
                Step::Damaged { name, error } => {
                    problems.push((
                        name.clone(),
                        format!("entry is damaged ({error}); what can be read of it is kept, later entries are lost"),
                    ));
                    entries.push(EntryInfo {
                        name,
                        size: 0,
                        compressed_size: 0,
                    });
                    offsets.push(offset);
                    break;
                }
                Step::End => break,
                Step::Stop(error) => {
                    if entries.is_empty() {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("not a readable ZIP: {why}; no entry found ({error})"),
                        ));
                    }
                    problems.push((
                        String::new(),
                        format!(
                            "the ZIP ends or breaks after {} entries ({error})",
                            entries.len()
                        ),
                    ));
                    break;
                }
            }
        }
        if entries.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("not a readable ZIP: {why}; no entry found"),
            ));
        }
        Ok(ZipSource {
            mode: ZipMode::Recovered { reader, offsets },
            entries,
            total: 0,
            limits,
            problems,
        })
    }

    /// Uncompressed bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.total
    }
}

/// The entry's name as UTF-8 (lossy for undecodable names), without a
/// leading `/`.
fn entry_name<R: Read>(file: &zip::read::ZipFile<'_, R>) -> String {
    let name = match file.name() {
        Ok(n) => n.into_owned(),
        Err(_) => String::from_utf8_lossy(file.name_raw()).into_owned(),
    };
    name.trim_start_matches('/').to_owned()
}

enum Step {
    Entry {
        name: String,
        is_dir: bool,
        size: u64,
        compressed: u64,
    },
    Damaged {
        name: String,
        error: String,
    },
    End,
    Stop(String),
}

/// Stops a recovery walk that inflates past the total limit.
struct CountingReader<'a, R> {
    inner: &'a mut R,
    limit: u64,
    read: u64,
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(io::Error::other(LimitExceeded::Total {
                max_total: self.limit,
            }));
        }
        Ok(n)
    }
}

impl<R: Read + Seek> EntrySource for ZipSource<R> {
    fn entries(&self) -> &[EntryInfo] {
        &self.entries
    }

    fn open(&mut self, index: usize) -> io::Result<Box<dyn Read + '_>> {
        let limits = self.limits;
        let compressed = self
            .entries
            .get(index)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no entry #{index}")))?
            .compressed_size;
        let total = &mut self.total;
        match &mut self.mode {
            ZipMode::Central { archive, indices } => {
                let file = archive.by_index(indices[index]).map_err(io::Error::other)?;
                Ok(Box::new(Guarded {
                    inner: file,
                    compressed,
                    inflated: 0,
                    total,
                    limits,
                }))
            }
            ZipMode::Recovered { reader, offsets } => {
                reader.seek(SeekFrom::Start(offsets[index]))?;
                let file = zip::read::read_zipfile_from_stream(reader)
                    .map_err(io::Error::other)?
                    .ok_or_else(|| {
                        io::Error::new(io::ErrorKind::UnexpectedEof, "entry vanished")
                    })?;
                Ok(Box::new(Guarded {
                    inner: file,
                    compressed,
                    inflated: 0,
                    total,
                    limits,
                }))
            }
        }
    }

    fn listing_problems(&self) -> Vec<(String, String)> {
        self.problems.clone()
    }
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
        let names: Vec<_> = src.entries().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["first.json", "second.json", "big.bin"]);
        let mut s = String::new();
        src.open(1).unwrap().read_to_string(&mut s).unwrap();
        assert_eq!(s, "[2]");
        assert!(src.listing_problems().iter().any(|(e, _)| e == "big.bin"));
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
