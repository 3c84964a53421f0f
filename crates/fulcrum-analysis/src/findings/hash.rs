//! A keyed hash for meeting titles in examples and for pseudonyms:
//! SipHash-2-4 (Aumasson and Bernstein, 2012), written out so that its
//! output is fixed by the algorithm, not by a library's version (std's
//! `DefaultHasher` may change between Rust releases, and pseudonyms must
//! stay stable across runs).
//!
//! With a secret key (the app keeps one per workspace) the hash of a
//! guessable title ("Standup") cannot be recomputed by someone who only
//! has the report.

/// A 128-bit key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HashKey(pub [u8; 16]);

impl std::fmt::Debug for HashKey {
    /// Never prints the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HashKey(..)")
    }
}

impl HashKey {
    /// SipHash-2-4 of `data` under this key.
    pub fn hash(&self, data: &[u8]) -> u64 {
        siphash24(&self.0, data)
    }

    /// The first 6 hex digits of the hash of a meeting title (trimmed,
    /// lower case), prefixed with `#`: the same title gives the same label.
    pub fn title_label(&self, title: &str) -> String {
        let h = self.hash(title.trim().to_lowercase().as_bytes());
        format!("#{:06x}", h >> 40)
    }
}

fn rounds(v: &mut [u64; 4], n: usize) {
    for _ in 0..n {
        v[0] = v[0].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(13);
        v[1] ^= v[0];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(16);
        v[3] ^= v[2];
        v[0] = v[0].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(21);
        v[3] ^= v[0];
        v[2] = v[2].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(17);
        v[1] ^= v[2];
        v[2] = v[2].rotate_left(32);
    }
}

fn siphash24(key: &[u8; 16], data: &[u8]) -> u64 {
    let word = |b: &[u8]| {
        let mut w = [0u8; 8];
        w[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(w)
    };
    let (k0, k1) = (word(&key[..8]), word(&key[8..]));
    let mut v = [
        k0 ^ 0x736f_6d65_7073_6575,
        k1 ^ 0x646f_7261_6e64_6f6d,
        k0 ^ 0x6c79_6765_6e65_7261,
        k1 ^ 0x7465_6462_7974_6573,
    ];
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let m = word(c);
        v[3] ^= m;
        rounds(&mut v, 2);
        v[0] ^= m;
    }
    let rest = chunks.remainder();
    let m = word(rest) | ((data.len() as u64 & 0xff) << 56);
    v[3] ^= m;
    rounds(&mut v, 2);
    v[0] ^= m;
    v[2] ^= 0xff;
    rounds(&mut v, 4);
    v[0] ^ v[1] ^ v[2] ^ v[3]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_vectors_of_the_siphash_paper() {
        // Appendix A of the paper: key 00 01 .. 0f, message 00 01 .. 0e
        // (15 bytes) -> a129ca6149be45e5. The reference implementation's
        // vectors.h: empty message -> 726fdb47dd0e0e31, 8 bytes -> 93f5f5799a932462.
        let key = HashKey(core::array::from_fn(|i| i as u8));
        let msg: Vec<u8> = (0..15).collect();
        assert_eq!(key.hash(&msg), 0xa129_ca61_49be_45e5);
        assert_eq!(key.hash(&[]), 0x726f_db47_dd0e_0e31);
        assert_eq!(key.hash(&msg[..8]), 0x93f5_f579_9a93_2462);
    }

    #[test]
    fn title_labels_ignore_case_and_spaces_and_depend_on_the_key() {
        let a = HashKey([1; 16]);
        let b = HashKey([2; 16]);
        assert_eq!(a.title_label(" Standup "), a.title_label("standup"));
        assert_ne!(a.title_label("standup"), b.title_label("standup"));
        assert_eq!(a.title_label("x").len(), 7);
        assert_eq!(format!("{a:?}"), "HashKey(..)");
    }
}
