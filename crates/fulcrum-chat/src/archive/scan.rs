//! Recovery of a ZIP whose central directory is missing or unreadable (a
//! download or a copy cut short): the entries are found by walking their
//! local file headers (`PK\x03\x04`) from the start of the file.
//!
//! Most ZIP writers stream: they write each entry's header before its data,
//! so the header cannot say how long the data is (general-purpose flag bit
//! 3), and the sizes and CRC-32 follow the data in a data descriptor. The
//! zip crate's stream reader refuses such entries, which made a cut Slack
//! export unreadable as a whole. Here a deflated entry is inflated until its
//! deflate stream ends, which is where its data ends whatever the header
//! says; a stored (or otherwise unreadable) entry with a descriptor ends at
//! the first descriptor signature (`PK\x07\x08`) whose compressed size
//! matches the distance from the data's start.
//!
//! The walk lists what lies wholly before a cut and stops there; the entry
//! whose data runs past the end of the file is listed last, marked as cut
//! ([`Scan::cut`]), so that what precedes the cut is still read (for a
//! Mattermost export, one big entry, that is most of it). A stretch that is no local header (a
//! damaged entry) is skipped up to the next header signature, and the
//! entries skipped are named. Nothing here trusts a length read from the
//! file for an allocation: buffers are fixed-size, a name is at most 65,535
//! bytes, and inflating is bounded by [`Limits`] (per entry ratio, total).

use super::blocks::BlockCache;
use super::directory::Record;
use super::{Limits, Table};
use flate2::{Crc, Decompress, FlushDecompress, Status};
use std::io::{self, Read, Seek, SeekFrom};

const LOCAL: [u8; 4] = *b"PK\x03\x04";
const CENTRAL: [u8; 4] = *b"PK\x01\x02";
const END: [u8; 4] = *b"PK\x05\x06";
const ZIP64_END: [u8; 4] = *b"PK\x06\x06";
const DESCRIPTOR: [u8; 4] = *b"PK\x07\x08";
const LOCAL_LEN: u64 = 30;

/// How the walk over the local headers ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Ending {
    /// At the start of a central directory (or of its end record): every
    /// entry before it was found; only the directory itself is damaged.
    Directory,
    /// Exactly at the end of the file, after a whole entry.
    EndOfFile,
}

/// An entry the walk could not keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Lost {
    /// The entry's name, as its header gives it.
    pub(super) name: String,
    /// Where its local header is.
    pub(super) at: u64,
    /// Why it is not kept whole.
    pub(super) why: String,
    /// For the entry cut through: whether it is listed (last in the table)
    /// so that what lies before the cut is read.
    pub(super) listed: bool,
}

/// What the walk found.
#[derive(Debug, Default)]
pub(super) struct Scan {
    /// The entries found whole, as a central directory would list them.
    pub(super) table: Table,
    /// File entries kept (directories are not entries).
    pub(super) files: usize,
    /// The entry the file's end cuts through, if any.
    pub(super) cut: Option<Lost>,
    /// Entries skipped in the middle of the file (damaged).
    pub(super) damaged: Vec<Lost>,
    /// Bytes skipped while looking for the next header after damage.
    pub(super) skipped_bytes: u64,
    /// How the walk ended, when it reached an end it recognises.
    pub(super) ending: Option<Ending>,
}

/// Bytes of the file from `pos` into `out`; fewer at the end of the file.
fn read_at<R: Read + Seek>(
    archive: &mut BlockCache<R>,
    mut pos: u64,
    out: &mut [u8],
) -> io::Result<usize> {
    let mut got = 0;
    while got < out.len() {
        let slice = archive.slice(pos, (out.len() - got) as u64)?;
        if slice.is_empty() {
            break;
        }
        let n = slice.len();
        out[got..got + n].copy_from_slice(slice);
        got += n;
        pos += n as u64;
    }
    Ok(got)
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from(u32_at(b, at)) | (u64::from(u32_at(b, at + 4)) << 32)
}

/// The first position at or after `from` where `signature` starts, before
/// `limit`; `None` when there is none.
fn find<R: Read + Seek>(
    archive: &mut BlockCache<R>,
    from: u64,
    limit: u64,
    signature: &[u8; 4],
    mut accept: impl FnMut(&mut BlockCache<R>, u64) -> io::Result<bool>,
) -> io::Result<Option<u64>> {
    // Read through a small window that overlaps by three bytes, so that a
    // signature across a block boundary is seen.
    let mut window = [0u8; 8 << 10];
    let mut pos = from;
    while pos < limit {
        let want = usize::try_from((limit - pos).min(window.len() as u64)).unwrap_or(0);
        let got = read_at(archive, pos, &mut window[..want])?;
        if got < 4 {
            return Ok(None);
        }
        let mut start = 0;
        while let Some(i) = memchr::memmem::find(&window[start..got], signature) {
            let at = pos + (start + i) as u64;
            if accept(archive, at)? {
                return Ok(Some(at));
            }
            start += i + 1;
        }
        if got < want {
            return Ok(None);
        }
        pos += (got - 3) as u64;
    }
    Ok(None)
}

/// One local header, as read at `at`.
struct Header {
    name: String,
    flags: u16,
    method: u16,
    crc32: u32,
    compressed: u64,
    size: u64,
    data_start: u64,
}

/// Reads the local header at `at`; `None` when the file ends inside it.
fn header<R: Read + Seek>(archive: &mut BlockCache<R>, at: u64) -> io::Result<Option<Header>> {
    let mut fixed = [0u8; LOCAL_LEN as usize];
    if read_at(archive, at, &mut fixed)? < fixed.len() {
        return Ok(None);
    }
    let name_len = usize::from(u16_at(&fixed, 26));
    let extra_len = usize::from(u16_at(&fixed, 28));
    // At most 128 KiB, whatever the header says.
    let mut variable = vec![0u8; name_len + extra_len];
    if read_at(archive, at + LOCAL_LEN, &mut variable)? < variable.len() {
        return Ok(None);
    }
    let (name, extra) = variable.split_at(name_len);
    let mut compressed = u64::from(u32_at(&fixed, 18));
    let mut size = u64::from(u32_at(&fixed, 22));
    // ZIP64: in a local header the extra field holds both sizes when either
    // overflowed, uncompressed first.
    let mut fields = extra;
    while fields.len() >= 4 {
        let id = u16_at(fields, 0);
        let len = usize::from(u16_at(fields, 2));
        let Some(data) = fields.get(4..4 + len) else {
            break;
        };
        if id == 0x0001 && data.len() >= 16 {
            size = u64_at(data, 0);
            compressed = u64_at(data, 8);
        }
        fields = &fields[4 + len..];
    }
    let name = String::from_utf8_lossy(name)
        .trim_start_matches('/')
        .to_owned();
    Ok(Some(Header {
        name,
        flags: u16_at(&fixed, 6),
        method: u16_at(&fixed, 8),
        crc32: u32_at(&fixed, 14),
        compressed,
        size,
        data_start: at + LOCAL_LEN + (name_len + extra_len) as u64,
    }))
}

/// Where one entry's data ends and what it holds.
enum Extent {
    /// The data is whole: `compressed` bytes from the data start, inflating
    /// to `size` bytes with checksum `crc32`; the next header is looked for
    /// from `next`.
    Whole {
        compressed: u64,
        size: u64,
        crc32: u32,
        next: u64,
    },
    /// The file ends inside the data.
    Cut,
    /// The data cannot be followed (corrupt, or over a limit).
    Damaged(String),
}

/// The walk's inflate budget: bytes inflated only to find where entries
/// end count against the export's total, as reading them would.
struct Budget {
    inflated: u64,
    limits: Limits,
}

/// Inflates a deflated entry from `start` until its deflate stream ends
/// (its size, checksum and compressed length are what the walk learns).
fn inflate_to_end<R: Read + Seek>(
    archive: &mut BlockCache<R>,
    inflater: &mut Decompress,
    start: u64,
    budget: &mut Budget,
) -> io::Result<Extent> {
    inflater.reset(false);
    let mut out = [0u8; 32 << 10];
    let mut crc = Crc::new();
    let mut pos = start;
    let (in0, out0) = (inflater.total_in(), inflater.total_out());
    loop {
        let input = archive.slice(pos, u64::MAX)?;
        let at_end = input.is_empty();
        let before_in = inflater.total_in();
        let before_out = inflater.total_out();
        let status = match inflater.decompress(input, &mut out, FlushDecompress::None) {
            Ok(status) => status,
            Err(e) => return Ok(Extent::Damaged(format!("corrupt deflate stream ({e})"))),
        };
        let consumed = inflater.total_in() - before_in;
        let produced = (inflater.total_out() - before_out) as usize;
        pos += consumed;
        crc.update(&out[..produced]);
        budget.inflated += produced as u64;
        let size = inflater.total_out() - out0;
        let compressed = inflater.total_in() - in0;
        if budget.inflated > budget.limits.max_total_bytes {
            return Ok(Extent::Damaged(format!(
                "the export inflates to more than {} bytes",
                budget.limits.max_total_bytes
            )));
        }
        if size > budget.limits.ratio_exempt_bytes
            && size > compressed.max(1).saturating_mul(budget.limits.max_ratio)
        {
            return Ok(Extent::Damaged(format!(
                "the entry expands more than {}:1, a possible ZIP bomb",
                budget.limits.max_ratio
            )));
        }
        if status == Status::StreamEnd {
            return Ok(Extent::Whole {
                compressed,
                size,
                crc32: crc.sum(),
                next: pos,
            });
        }
        if consumed == 0 && produced == 0 {
            return Ok(if at_end {
                Extent::Cut
            } else {
                Extent::Damaged("corrupt deflate stream (no progress)".to_owned())
            });
        }
    }
}

/// The extent of an entry whose header says how long its data is.
fn declared_extent(h: &Header, file_len: u64) -> Extent {
    match h.data_start.checked_add(h.compressed) {
        Some(end) if end <= file_len => Extent::Whole {
            compressed: h.compressed,
            size: h.size,
            crc32: h.crc32,
            next: end,
        },
        Some(_) => Extent::Cut,
        None => Extent::Damaged("the header's size is out of range".to_owned()),
    }
}

/// The extent of an entry with a data descriptor that is not inflated
/// here (stored, encrypted or another method): its data ends at the first
/// descriptor whose compressed size is the distance from `start`.
fn descriptor_extent<R: Read + Seek>(
    archive: &mut BlockCache<R>,
    start: u64,
    file_len: u64,
) -> io::Result<Extent> {
    // Signature, CRC-32, then the sizes: 32-bit, or 64-bit (ZIP64).
    let mut descriptor = [0u8; 24];
    let mut sizes = None;
    let found = find(archive, start, file_len, &DESCRIPTOR, |archive, at| {
        let got = read_at(archive, at, &mut descriptor)?;
        let distance = at - start;
        let crc32 = u32_at(&descriptor, 4);
        sizes = if got >= 16 && u64::from(u32_at(&descriptor, 8)) == distance {
            Some((u64::from(u32_at(&descriptor, 12)), crc32))
        } else if got == 24 && u64_at(&descriptor, 8) == distance {
            Some((u64_at(&descriptor, 16), crc32))
        } else {
            None
        };
        Ok(sizes.is_some())
    })?;
    Ok(match (found, sizes) {
        (Some(at), Some((size, crc32))) => Extent::Whole {
            compressed: at - start,
            size,
            crc32,
            next: at,
        },
        _ => Extent::Cut,
    })
}

/// Where the next local header starts after an entry's data ends at
/// `next`: right there, or after a data descriptor (with or without its
/// signature, 32- or 64-bit sizes). `None` when no header follows within a
/// descriptor's length.
fn after_descriptor<R: Read + Seek>(
    archive: &mut BlockCache<R>,
    next: u64,
    has_descriptor: bool,
) -> io::Result<u64> {
    if !has_descriptor {
        return Ok(next);
    }
    let mut sig = [0u8; 4];
    // Signed descriptors first (what writers do), then unsigned ones.
    for len in [16u64, 24, 12, 20] {
        if read_at(archive, next + len, &mut sig)? == 4
            && [LOCAL, CENTRAL, END, ZIP64_END].contains(&sig)
        {
            return Ok(next + len);
        }
    }
    // Nothing recognisable after it: the descriptor's usual length, where
    // the walk then finds the end of the file or damage.
    Ok(next + 16)
}

/// Walks the local headers of the archive from its start.
pub(super) fn scan<R: Read + Seek>(
    archive: &mut BlockCache<R>,
    inflater: &mut Decompress,
    limits: &Limits,
) -> io::Result<Scan> {
    let file_len = archive.seek(SeekFrom::End(0))?;
    let mut scan = Scan::default();
    let mut budget = Budget {
        inflated: 0,
        limits: *limits,
    };
    let mut pos = 0u64;
    let mut sig = [0u8; 4];
    loop {
        let got = read_at(archive, pos, &mut sig)?;
        if got == 0 {
            scan.ending = Some(Ending::EndOfFile);
            break;
        }
        if got == 4 && [CENTRAL, END, ZIP64_END].contains(&sig) {
            scan.ending = Some(Ending::Directory);
            break;
        }
        let h = if got == 4 && sig == LOCAL {
            match header(archive, pos)? {
                Some(h) => h,
                None => {
                    scan.cut = Some(Lost {
                        name: String::new(),
                        at: pos,
                        why: "the file ends inside its local header".to_owned(),
                        listed: false,
                    });
                    break;
                }
            }
        } else if got < 4 && LOCAL.starts_with(&sig[..got]) {
            scan.cut = Some(Lost {
                name: String::new(),
                at: pos,
                why: "the file ends inside its local header".to_owned(),
                listed: false,
            });
            break;
        } else {
            // Not a header: skip to the next one, if any.
            match find(archive, pos + 1, file_len, &LOCAL, |_, _| Ok(true))? {
                Some(next) => {
                    scan.skipped_bytes += next - pos;
                    pos = next;
                    continue;
                }
                None => {
                    scan.skipped_bytes += file_len - pos;
                    break;
                }
            }
        };
        let has_descriptor = h.flags & 0x0008 != 0;
        let encrypted = h.flags & 0x0001 != 0;
        let extent = if h.data_start > file_len {
            Extent::Cut
        } else if !has_descriptor {
            declared_extent(&h, file_len)
        } else if h.method == 8 && !encrypted {
            inflate_to_end(archive, inflater, h.data_start, &mut budget)?
        } else {
            descriptor_extent(archive, h.data_start, file_len)?
        };
        match extent {
            Extent::Whole {
                compressed,
                size,
                crc32,
                next,
            } => {
                let is_dir = h.name.ends_with('/') || h.name.ends_with('\\');
                if !is_dir {
                    scan.files += 1;
                }
                scan.table.push(Record {
                    name: h.name,
                    is_dir,
                    size,
                    compressed,
                    header_start: pos,
                    crc32,
                    method: h.method,
                    encrypted,
                });
                pos = after_descriptor(archive, next, has_descriptor)?;
            }
            Extent::Cut => {
                // Listed, so that the part before the cut is read (a day
                // file's first messages; most of a Mattermost export, which
                // is one entry): its data runs to the end of the file.
                let is_dir = h.name.ends_with('/') || h.name.ends_with('\\');
                let listed = !is_dir && h.data_start < file_len;
                if listed {
                    scan.files += 1;
                    let available = file_len - h.data_start;
                    scan.table.push(Record {
                        name: h.name.clone(),
                        is_dir,
                        size: if has_descriptor { available } else { h.size },
                        compressed: available,
                        header_start: pos,
                        crc32: 0,
                        method: h.method,
                        encrypted,
                    });
                }
                scan.cut = Some(Lost {
                    name: h.name,
                    at: pos,
                    why: "the file ends inside its data".to_owned(),
                    listed,
                });
                break;
            }
            Extent::Damaged(why) => {
                scan.damaged.push(Lost {
                    name: h.name,
                    at: pos,
                    why,
                    listed: false,
                });
                // At most one record per damaged entry is kept, so a file
                // of headers alone cannot grow this list past its length
                // over 30 (and the walk moves on by one byte at least).
                let next = find(archive, pos + 1, file_len, &LOCAL, |_, _| Ok(true))?;
                match next {
                    Some(next) => pos = next,
                    None => break,
                }
            }
        }
    }
    Ok(scan)
}
