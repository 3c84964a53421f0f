//! What the tests that compare a fast reader with the full parse
//! (`span.rs`, `window.rs`) share: the calendars to compare on, and
//! mutated copies of them: cut, refolded (even inside a character),
//! re-cased, with lines dropped, repeated, moved or swapped, and with lines
//! of the caller's choice put in.

use crate::gen_calendar::Rng;
use std::path::{Path, PathBuf};

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

/// Every `.ics` file below `dir`, into `out`.
pub fn all_ics(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all_ics(&path, out);
        } else if path.extension().is_some_and(|e| e == "ics") {
            out.push(path);
        }
    }
}

/// Every `.ics` of `test_data/` and of the real-world corpus (which tests
/// need: they fail, not skip, without it).
pub fn files() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut paths = Vec::new();
    all_ics(&root.join("test_data"), &mut paths);
    let corpora = root.join("../shared/corpora");
    assert!(
        corpora.is_dir(),
        "../shared/corpora is missing: tests need it"
    );
    all_ics(&corpora, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p.display().to_string(), bytes)
        })
        .collect()
}
