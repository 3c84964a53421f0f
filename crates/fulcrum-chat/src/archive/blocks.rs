//! The archive's bytes, read in blocks of which the most recently used are
//! kept.
//!
//! A Slack export may store its day files date by date (all conversations
//! of one day, then the next day), while the reader wants them conversation
//! by conversation. Consecutive entries are then megabytes apart, and any
//! buffered reader below reads a buffer's worth for each of them (on a
//! 575,000-entry export, one 16 KiB read per entry: 9.4 GB copied for
//! 0.5 GB of compressed data). But the entries read for neighbouring
//! conversations on one date are neighbours in the file, so keeping the
//! last block read in each region of the file serves most of them from
//! memory: on that export 0.6 GB are read. When the archive is stored in
//! reading order the blocks are simply read one after the other. Blocks are
//! read whole, with reads as large as a block, which a buffered reader
//! passes straight through.

use fulcrum_model::fxhash::FxHashMap;
use std::io::{self, Read, Seek, SeekFrom};

/// The archive's bytes through a cache of blocks (see the module docs).
pub(super) struct BlockCache<R> {
    inner: R,
    /// Where `inner`'s cursor is, when known: a seek is skipped when the
    /// next block follows the last one read.
    inner_pos: Option<u64>,
    blocks: Vec<Block>,
    /// Block number to its index in `blocks`.
    slots: FxHashMap<u64, usize>,
    /// Use counter, for least-recently-used eviction.
    tick: u64,
    /// The slot used last.
    last: usize,
    /// The position reads continue from.
    pos: u64,
}

struct Block {
    number: u64,
    data: Box<[u8]>,
    /// Bytes of `data` that hold the file (fewer only at its end).
    len: usize,
    used: u64,
}

impl<R: Read + Seek> BlockCache<R> {
    const BLOCK: usize = 16 << 10;
    /// 16 MiB at most, allocated as needed: enough for one live block per
    /// date section of a three-year export stored date by date.
    const SLOTS: usize = 1024;

    pub(super) fn new(inner: R) -> Self {
        BlockCache {
            inner,
            inner_pos: None,
            blocks: Vec::new(),
            slots: FxHashMap::default(),
            tick: 0,
            last: 0,
            pos: 0,
        }
    }

    /// The slot holding block `number`, read if it is not cached.
    fn block(&mut self, number: u64) -> io::Result<usize> {
        self.tick += 1;
        // An entry's header and data are mostly in one block: ask the map
        // only when the block changes.
        if let Some(block) = self.blocks.get_mut(self.last)
            && block.number == number
            && block.len > 0
        {
            block.used = self.tick;
            return Ok(self.last);
        }
        if let Some(&slot) = self.slots.get(&number) {
            self.last = slot;
            self.blocks[slot].used = self.tick;
            return Ok(slot);
        }
        let slot = if self.blocks.len() < Self::SLOTS {
            self.blocks.push(Block {
                number,
                data: vec![0; Self::BLOCK].into_boxed_slice(),
                len: 0,
                used: 0,
            });
            self.blocks.len() - 1
        } else {
            let (slot, oldest) = self
                .blocks
                .iter()
                .enumerate()
                .min_by_key(|(_, b)| b.used)
                .map(|(i, b)| (i, b.number))
                .unwrap_or((0, 0));
            self.slots.remove(&oldest);
            slot
        };
        let start = number.saturating_mul(Self::BLOCK as u64);
        // Unknown until this read succeeds: an error leaves the cursor
        // anywhere.
        if self.inner_pos.take() != Some(start) {
            self.inner.seek(SeekFrom::Start(start))?;
        }
        let block = &mut self.blocks[slot];
        // Invalid until read whole: a failed read leaves no stale block.
        block.number = u64::MAX;
        block.len = 0;
        let mut len = 0;
        while len < block.data.len() {
            match self.inner.read(&mut block.data[len..]) {
                Ok(0) => break,
                Ok(n) => len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.inner_pos = Some(start + len as u64);
        block.number = number;
        block.len = len;
        block.used = self.tick;
        self.slots.insert(number, slot);
        self.last = slot;
        Ok(slot)
    }

    /// The bytes from `pos` on that its block holds, at most `max` of them
    /// (empty at the end of the file).
    pub(super) fn slice(&mut self, pos: u64, max: u64) -> io::Result<&[u8]> {
        let size = Self::BLOCK as u64;
        let slot = self.block(pos / size)?;
        let block = &self.blocks[slot];
        let offset = (pos % size) as usize;
        let held = block.data[..block.len].get(offset..).unwrap_or(&[]);
        let n = usize::try_from(max).unwrap_or(usize::MAX).min(held.len());
        Ok(&held[..n])
    }
}

impl<R: Read + Seek> Read for BlockCache<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        let pos = self.pos;
        let available = self.slice(pos, out.len() as u64)?;
        let n = available.len();
        out[..n].copy_from_slice(available);
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for BlockCache<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = match to {
            SeekFrom::Start(p) => p,
            SeekFrom::Current(d) => self.pos.checked_add_signed(d).ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidInput, "seek before the start")
            })?,
            SeekFrom::End(d) => {
                self.inner_pos = None;
                let p = self.inner.seek(SeekFrom::End(d))?;
                self.inner_pos = Some(p);
                p
            }
        };
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn block_cache_reads_like_the_file() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 256) as u8).collect();
        let mut cache = BlockCache::new(Cursor::new(data.clone()));
        for (at, len) in [
            (0, 10),
            (16_380, 10),
            (99_990, 20),
            (5, 40_000),
            (100_000, 5),
        ] {
            cache.seek(SeekFrom::Start(at)).unwrap();
            let mut out = vec![0u8; len];
            let mut got = 0;
            while got < len {
                let n = cache.read(&mut out[got..]).unwrap();
                if n == 0 {
                    break;
                }
                got += n;
            }
            let end = (at as usize + len).min(data.len());
            assert_eq!(&out[..got], &data[at as usize..end]);
        }
    }
}
