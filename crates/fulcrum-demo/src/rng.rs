//! A small deterministic pseudo-random generator (SplitMix64), so the same
//! seed gives the same organisation on every machine and in every version
//! of the dependencies.
//!
//! Every part of the demo draws from its own stream, derived from the seed
//! and a few integers naming the part ([`Rng::derive`]): the plan of team 3
//! on day 17 is the same whether the calendar writer or the chat writer asks
//! for it, and adding draws to one part never shifts another.

/// Names of the independent streams, mixed into [`Rng::derive`].
pub(crate) mod stream {
    /// People, teams, names, working hours.
    pub const ORG: u64 = 1;
    /// One person's absences.
    pub const ABSENCE: u64 = 2;
    /// One team's recurring series.
    pub const SERIES: u64 = 3;
    /// One team's plan of one day.
    pub const TEAM_DAY: u64 = 4;
    /// The words of one team's messages of one day.
    pub const TEXT: u64 = 5;
    /// Organisation-wide channels of one day.
    pub const ORG_DAY: u64 = 6;
    /// Work items of one team.
    pub const WORK: u64 = 7;
    /// Pulse answers of one team.
    pub const PULSE: u64 = 8;
    /// Exceptions (moved instances, answers) of one series.
    pub const EXCEPTIONS: u64 = 9;
    /// Identifiers (Slack ids, UIDs).
    pub const IDS: u64 = 10;
}

/// SplitMix64: tiny, fast, and good enough for synthetic data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

/// One round of SplitMix64's output function: a strong 64-bit mixer.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(mix(seed ^ 0x5DEE_CE66_D1CE_4E5B))
    }

    /// An independent stream for the part named by `parts`.
    pub fn derive(seed: u64, parts: &[u64]) -> Self {
        let mut h = mix(seed.wrapping_add(0x9E37_79B9_7F4A_7C15));
        for &p in parts {
            h = mix(h ^ mix(p.wrapping_add(0x632B_E59B_D9B4_E019)));
        }
        Rng(h)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A uniformly chosen index of a slice of length `len` (0 when empty).
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// A uniformly chosen element.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// Shuffles in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }

    /// A Poisson-distributed count with the given mean (Knuth's method; the
    /// means used here are small).
    pub fn poisson(&mut self, mean: f64) -> u32 {
        if mean <= 0.0 {
            return 0;
        }
        let limit = (-mean).exp();
        let mut k = 0;
        let mut p = self.unit();
        while p > limit && k < 1000 {
            k += 1;
            p *= self.unit();
        }
        k
    }

    /// An exponentially distributed value with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }

    /// A log-normal value with the given median and spread (sigma of the
    /// underlying normal): response times look like this.
    pub fn log_normal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }

    /// A standard normal value (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_parts_are_independent() {
        let a: Vec<u64> = (0..4).map(|_| Rng::derive(7, &[1, 2]).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            Rng::derive(7, &[1, 2]).next_u64(),
            Rng::derive(7, &[2, 1]).next_u64()
        );
        assert_ne!(
            Rng::derive(7, &[1, 2]).next_u64(),
            Rng::derive(8, &[1, 2]).next_u64()
        );
    }

    #[test]
    fn draws_stay_in_range_and_are_spread() {
        let mut r = Rng::new(1);
        let mut seen = [0u32; 6];
        for _ in 0..6000 {
            let v = r.range(1, 6);
            assert!((1..=6).contains(&v));
            seen[(v - 1) as usize] += 1;
        }
        // Each face within 20% of the expected 1000.
        assert!(seen.iter().all(|&n| (800..1200).contains(&n)), "{seen:?}");
        let mean: f64 = (0..20_000).map(|_| f64::from(r.poisson(3.0))).sum::<f64>() / 20_000.0;
        assert!((mean - 3.0).abs() < 0.1, "{mean}");
    }
}
