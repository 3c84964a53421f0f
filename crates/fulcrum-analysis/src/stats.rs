//! Summary statistics with their exact definitions, so that a user can
//! recompute any aggregate in a spreadsheet.
//!
//! - `median`: the middle value of the sorted values; for an even count, the
//!   mean of the two middle values.
//! - `mean`: the arithmetic mean.
//! - `quantile(q)`: linear interpolation between closest ranks (Hyndman and
//!   Fan type 7: R's default, numpy's `linear`, Excel's `PERCENTILE.INC`):
//!   with the values sorted as `x[0..n]`, `h = (n - 1) q`, the result is
//!   `x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])`. `p90` is
//!   `quantile(0.9)`.
//! - `gini`: the Gini coefficient, half the relative mean absolute
//!   difference, `G = sum_i sum_j |x_i - x_j| / (2 n^2 mean)`; 0 when every
//!   value is equal (including all zero: nobody carries more than anyone
//!   else), up to `(n - 1) / n` when one value carries everything.
//!
//! Every function returns `None` for no values: an empty set has no median,
//! and unknown is never zero.

/// The median (see the module docs).
pub fn median(values: &[f64]) -> Option<f64> {
    quantile(values, 0.5)
}

/// The arithmetic mean.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// The 90th percentile, type 7 (see the module docs).
pub fn p90(values: &[f64]) -> Option<f64> {
    quantile(values, 0.9)
}

/// The `q`-quantile (`0 <= q <= 1`), type 7 (see the module docs).
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// The Gini coefficient of non-negative values (see the module docs).
pub fn gini(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let total: f64 = values.iter().sum();
    if total <= 0.0 {
        return Some(0.0);
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    // sum_i sum_j |x_i - x_j| = 2 sum_k (2k - n + 1) x_(k) for 0-based k over
    // the sorted values, so G = sum_k (2k - n + 1) x_(k) / (n * total).
    let n = sorted.len() as f64;
    let weighted: f64 = sorted
        .iter()
        .enumerate()
        .map(|(k, x)| (2.0 * k as f64 - n + 1.0) * x)
        .sum();
    Some(weighted / (n * total))
}

/// The Lorenz curve of non-negative values at population share `p` in
/// `[0, 1]`: the share of the total held by the lightest `p` of the values,
/// on the straight lines between the points `(k / n, share of the k
/// lightest)`. The line of equality (`p`) when the total is 0.
pub fn lorenz(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let total: f64 = values.iter().sum();
    if total <= 0.0 {
        return Some(p);
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let at = (p.clamp(0.0, 1.0) * n).min(n);
    let k = (at.floor() as usize).min(sorted.len());
    let below: f64 = sorted[..k].iter().sum();
    let part = sorted.get(k).map_or(0.0, |x| (at - k as f64) * x);
    Some((below + part) / total)
}

/// Median and 90th percentile of a sample, with its size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// How many values.
    pub n: u32,
    /// Their median.
    pub median: f64,
    /// Their 90th percentile.
    pub p90: f64,
}

impl Spread {
    /// The spread of `values`, `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Spread> {
        Some(Spread {
            n: values.len() as u32,
            median: median(values)?,
            p90: p90(values)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_odd_and_even() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        // Even: mean of 2 and 3.
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn p90_interpolates_between_ranks() {
        // 1..=10: h = 9 * 0.9 = 8.1 -> x[8] + 0.1 (x[9] - x[8]) = 9 + 0.1 = 9.1.
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert!((p90(&v).unwrap() - 9.1).abs() < 1e-12);
        // One value: itself.
        assert_eq!(p90(&[7.0]), Some(7.0));
    }

    #[test]
    fn gini_by_hand() {
        // 0, 1, 5: mean 2; |differences| over ordered pairs: 2 (1 + 5 + 4) = 20;
        // G = 20 / (2 * 3^2 * 2) = 20 / 36 = 5/9.
        assert!((gini(&[0.0, 1.0, 5.0]).unwrap() - 5.0 / 9.0).abs() < 1e-12);
        // Equal shares, and nobody paying anything: 0.
        assert_eq!(gini(&[2.0, 2.0]), Some(0.0));
        assert_eq!(gini(&[0.0, 0.0, 0.0]), Some(0.0));
        // One of four carries everything: (n - 1) / n = 0.75.
        assert!((gini(&[0.0, 0.0, 0.0, 8.0]).unwrap() - 0.75).abs() < 1e-12);
        assert_eq!(gini(&[]), None);
    }

    #[test]
    fn mean_of_nothing_is_unknown() {
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[1.0, 2.0]), Some(1.5));
    }
}
