//! The central directory of a plain ZIP, read without the `zip` crate.
//!
//! Why: a Slack export holds hundreds of thousands of entries. The `zip`
//! crate keeps a full record of each (name, extra fields, comment, a hash
//! index by name) and builds it at some cost, where [`super::ZipSource`]
//! needs a name and five numbers; on a 585,000-entry export reading the
//! directory here takes a quarter of the time and a fraction of the memory.
//!
//! Only archives that are plain in every respect are read here: the end
//! record exactly at the end of the file (after its comment), one disk, the
//! central directory right before the end records (nothing prepended to the
//! archive), names that are UTF-8, and no extra field that changes a name
//! or a method (Info-ZIP Unicode path, AES). For anything else
//! [`read_plain`] returns `None` and the caller asks the `zip` crate, which
//! reads every variant; for a plain archive both give the same listing.

use super::Table;
use std::io::{self, Read, Seek, SeekFrom};

/// One central-directory record, as [`super::ZipSource`] keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Record {
    pub(super) name: String,
    pub(super) is_dir: bool,
    pub(super) size: u64,
    pub(super) compressed: u64,
    pub(super) header_start: u64,
    pub(super) crc32: u32,
    pub(super) method: u16,
    pub(super) encrypted: bool,
}

const EOCD: &[u8; 4] = b"PK\x05\x06";
const EOCD_LEN: usize = 22;
const ZIP64_LOCATOR: &[u8; 4] = b"PK\x06\x07";
const ZIP64_LOCATOR_LEN: u64 = 20;
const ZIP64_EOCD: &[u8; 4] = b"PK\x06\x06";
const CENTRAL: &[u8; 4] = b"PK\x01\x02";
const CENTRAL_LEN: usize = 46;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// Reads `len` bytes at `at`, or `None` when the file is shorter.
fn read_at<R: Read + Seek>(reader: &mut R, at: u64, len: usize) -> Option<Vec<u8>> {
    reader.seek(SeekFrom::Start(at)).ok()?;
    let mut buf = vec![0; len];
    reader.read_exact(&mut buf).ok()?;
    Some(buf)
}

/// Where the central directory is and how many records it holds.
struct Span {
    start: u64,
    size: u64,
    entries: u64,
}

/// Finds the central directory from the end records, if they are plain.
fn locate<R: Read + Seek>(reader: &mut R) -> Option<Span> {
    let file_len = reader.seek(SeekFrom::End(0)).ok()?;
    // The end record and a comment of at most 65,535 bytes.
    let tail_len = file_len.min((EOCD_LEN + usize::from(u16::MAX)) as u64);
    let tail_start = file_len - tail_len;
    let tail = read_at(reader, tail_start, usize::try_from(tail_len).ok()?)?;
    // The last signature whose comment ends exactly at the end of the file.
    let at = (0..=tail.len().checked_sub(EOCD_LEN)?).rev().find(|&i| {
        &tail[i..i + 4] == EOCD
            && u16_at(&tail, i + 20).is_some_and(|c| i + EOCD_LEN + usize::from(c) == tail.len())
    })?;
    let eocd = &tail[at..at + EOCD_LEN];
    let eocd_pos = tail_start + at as u64;
    let (disk, cd_disk) = (u16_at(eocd, 4)?, u16_at(eocd, 6)?);
    let (on_disk, entries) = (u16_at(eocd, 8)?, u16_at(eocd, 10)?);
    let (size, start) = (u32_at(eocd, 12)?, u32_at(eocd, 16)?);
    let locator_pos = eocd_pos.checked_sub(ZIP64_LOCATOR_LEN);
    let locator = match locator_pos {
        Some(p) => read_at(reader, p, ZIP64_LOCATOR_LEN as usize)?,
        None => Vec::new(),
    };
    let span = if locator.get(..4) == Some(ZIP64_LOCATOR) {
        // ZIP64: the counts and offsets of the 64-bit end record rule.
        if u32_at(&locator, 4)? != 0 || u32_at(&locator, 16)? > 1 {
            return None;
        }
        let record_pos = u64_at(&locator, 8)?;
        let record = read_at(reader, record_pos, 56)?;
        if record.get(..4) != Some(ZIP64_EOCD)
            || u32_at(&record, 16)? != 0
            || u32_at(&record, 20)? != 0
            || u64_at(&record, 24)? != u64_at(&record, 32)?
        {
            return None;
        }
        let span = Span {
            entries: u64_at(&record, 32)?,
            size: u64_at(&record, 40)?,
            start: u64_at(&record, 48)?,
        };
        // The directory ends where the 64-bit end record starts.
        (span.start.checked_add(span.size)? == record_pos).then_some(span)?
    } else {
        if disk != 0 || cd_disk != 0 || on_disk != entries {
            return None;
        }
        // 0xFFFF / 0xFFFFFFFF without a ZIP64 locator: not plain.
        if entries == u16::MAX || size == u32::MAX || start == u32::MAX {
            return None;
        }
        let span = Span {
            entries: u64::from(entries),
            size: u64::from(size),
            start: u64::from(start),
        };
        // Nothing between the directory and the end record, nothing
        // prepended to the archive (its offsets would all be shifted).
        (span.start.checked_add(span.size)? == eocd_pos).then_some(span)?
    };
    Some(span)
}

/// Reads the central directory of a plain archive into `table`, record by
/// record (so that no second copy of the directory is held); `None` for any
/// other archive (or an I/O error), which the `zip` crate then reads. After
/// `None` the table holds a part of the directory and is to be dropped.
pub(super) fn read_plain<R: Read + Seek>(reader: &mut R, table: &mut Table) -> Option<()> {
    let span = locate(reader)?;
    // Each record takes at least 46 bytes: a count the directory cannot
    // hold is not believed (and not allocated for).
    if span.entries > span.size / CENTRAL_LEN as u64 {
        return None;
    }
    reader.seek(SeekFrom::Start(span.start)).ok()?;
    let mut input = io::BufReader::with_capacity(256 << 10, reader.take(span.size));
    table.reserve(usize::try_from(span.entries).ok()?);
    let mut fixed = [0u8; CENTRAL_LEN];
    let mut variable = Vec::new();
    for _ in 0..span.entries {
        input.read_exact(&mut fixed).ok()?;
        if &fixed[..4] != CENTRAL {
            return None;
        }
        let flags = u16_at(&fixed, 8)?;
        let method = u16_at(&fixed, 10)?;
        let crc32 = u32_at(&fixed, 16)?;
        let mut compressed = u64::from(u32_at(&fixed, 20)?);
        let mut size = u64::from(u32_at(&fixed, 24)?);
        let name_len = usize::from(u16_at(&fixed, 28)?);
        let extra_len = usize::from(u16_at(&fixed, 30)?);
        let comment_len = usize::from(u16_at(&fixed, 32)?);
        let disk = u16_at(&fixed, 34)?;
        let mut header_start = u64::from(u32_at(&fixed, 42)?);
        variable.resize(name_len + extra_len + comment_len, 0);
        input.read_exact(&mut variable).ok()?;
        let (name, rest) = variable.split_at(name_len);
        let extra = &rest[..extra_len];
        // Extra fields: the ZIP64 sizes and offset, in the order of the
        // fields that overflowed; a name or method override is not plain.
        let mut fields = extra;
        while !fields.is_empty() {
            let id = u16_at(fields, 0)?;
            let len = usize::from(u16_at(fields, 2)?);
            let data = fields.get(4..4 + len)?;
            match id {
                0x0001 => {
                    let mut at = 0;
                    let mut next = |value: &mut u64| -> Option<()> {
                        if *value == u64::from(u32::MAX) {
                            *value = u64_at(data, at)?;
                            at += 8;
                        }
                        Some(())
                    };
                    next(&mut size)?;
                    next(&mut compressed)?;
                    next(&mut header_start)?;
                }
                0x7075 | 0x9901 => return None,
                _ => {}
            }
            fields = &fields[4 + len..];
        }
        if disk != 0 && disk != u16::MAX {
            return None;
        }
        let name = std::str::from_utf8(name).ok()?;
        table.push(Record {
            is_dir: matches!(name.as_bytes().last(), Some(b'/' | b'\\')),
            name: name.to_owned(),
            size,
            compressed,
            header_start,
            crc32,
            method,
            encrypted: flags & 1 != 0,
        });
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;

    fn zip_with(names: &[&str], opts: SimpleFileOptions) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for name in names {
            w.start_file(*name, opts).unwrap();
            w.write_all(name.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn read(bytes: &[u8]) -> Option<Table> {
        let mut table = Table::default();
        read_plain(&mut Cursor::new(bytes), &mut table)?;
        Some(table)
    }

    #[test]
    fn plain_archives_are_read_here() {
        let opts = SimpleFileOptions::default();
        let bytes = zip_with(&["users.json", "général/2024-05-06.json"], opts);
        let table = read(&bytes).unwrap();
        let names: Vec<_> = table.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["users.json", "général/2024-05-06.json"]);
        assert_eq!(
            table.entries[1].size,
            "général/2024-05-06.json".len() as u64
        );
        assert_eq!(table.located[1].method, 8);
        // ZIP64 extra fields: sizes and offset come from them.
        let bytes = zip_with(&["a.json", "b.json"], opts.large_file(true));
        let table = read(&bytes).unwrap();
        assert_eq!(table.entries[1].size, 6);
        assert!(table.located[1].header_start > 0);
    }

    #[test]
    fn zip64_end_records_are_read_here() {
        let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let names: Vec<String> = (0..70_000).map(|i| format!("{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let table = read(&zip_with(&refs, opts)).unwrap();
        assert_eq!(table.entries.len(), 70_000);
        assert_eq!(table.entries[69_999].name, "69999");
    }

    #[test]
    fn anything_else_is_left_to_the_zip_crate() {
        let plain = zip_with(&["a.json"], SimpleFileOptions::default());
        // Bytes before the archive.
        let mut prefixed = b"stub".to_vec();
        prefixed.extend_from_slice(&plain);
        assert!(read(&prefixed).is_none());
        // A name that is not UTF-8 (CP437).
        let mut cp437 = plain.clone();
        for at in 0..cp437.len() - 6 {
            if &cp437[at..at + 6] == b"a.json" {
                cp437[at] = 0x82;
            }
        }
        assert!(read(&cp437).is_none());
        // Cut short, garbage, nothing.
        assert!(read(&plain[..plain.len() - 3]).is_none());
        assert!(read(b"not a zip").is_none());
        assert!(read(&[]).is_none());
        // A count the directory cannot hold.
        let mut lying = plain.clone();
        let eocd = lying.len() - 22;
        lying[eocd + 8..eocd + 12].copy_from_slice(&[0xfe, 0xff, 0xfe, 0xff]);
        assert!(read(&lying).is_none());
    }
}
