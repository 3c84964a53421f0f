//! Mutated copies of calendars for the tests that compare a fast reader
//! with the full parse (`span.rs`, `window.rs`): cut, refolded (even inside
//! a character), re-cased, with lines dropped, repeated, moved or swapped,
//! and with lines of the caller's choice put in.

use crate::gen_calendar::Rng;

/// A mutated copy of `bytes`: one to four mutations, lines put in taken
/// from `inserts`.
pub fn mutate(bytes: &[u8], rng: &mut Rng, inserts: &[&[u8]]) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = bytes
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec())
        .collect();
    let n = lines.len().max(1) as u64;
    for _ in 0..1 + rng.below(4) {
        let i = rng.below(n) as usize % lines.len().max(1);
        match rng.below(7) {
            0 => {
                lines.truncate(i);
            }
            1 => {
                // Fold a line at a random byte, even inside a character.
                if let Some(l) = lines.get_mut(i)
                    && l.len() > 2
                {
                    let at = 1 + rng.below(l.len() as u64 - 1) as usize;
                    l.splice(at..at, *b"\r\n ");
                }
            }
            2 => {
                if let Some(l) = lines.get_mut(i) {
                    let end = l.iter().position(|&b| b == b':').unwrap_or(0);
                    l[..end].make_ascii_lowercase();
                }
            }
            3 => {
                if i < lines.len() {
                    lines.remove(i);
                }
            }
            4 => {
                if let Some(l) = lines.get(i).cloned() {
                    let to = rng.below(n) as usize % (lines.len() + 1);
                    lines.insert(to, l);
                }
            }
            5 => {
                let l = rng.pick(inserts).to_vec();
                lines.insert(i.min(lines.len()), l);
            }
            _ => {
                if lines.len() > 1 {
                    let j = rng.below(n) as usize % lines.len();
                    let i = i.min(lines.len() - 1);
                    lines.swap(i, j);
                }
            }
        }
    }
    lines.join(&b"\r\n"[..])
}
