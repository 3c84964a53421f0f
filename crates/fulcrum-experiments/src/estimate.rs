//! The estimators and their uncertainty.
//!
//! - Person-week signals: each person's baseline mean `b` and treatment
//!   mean `t`, change `d = t - b`. Without control teams the effect is the
//!   mean of `d` over the treated (before/after). With control teams it is
//!   `tau` of the least-squares fit `d = a + tau * treated + beta * (b -
//!   mean b)`: difference in differences with the person's baseline as
//!   covariate (regression adjustment, CUPED), which removes the part of
//!   the change that is regression to the mean of people who started high
//!   or low.
//! - Team-week signals: the weekly gap `g = treated - mean of the control
//!   teams` (or the treated value alone without control); the effect is
//!   mean `g` over treatment weeks minus mean `g` over baseline weeks; `n`
//!   is weeks.
//! - Uncertainty: a cluster bootstrap, people resampled with replacement
//!   within each group (weeks within each window for team-week signals),
//!   [`RESAMPLES`] times from a fixed seed; the percentile interval; the
//!   standard error is the replicates' standard deviation and the minimum
//!   detectable effect at 80% power is `(z(1 - alpha/2) + z(0.8)) * se`.

use crate::rng::Rng;
use crate::stats::{least_squares, mean, normal_quantile, quantile, sd};

/// Bootstrap resamples.
pub const RESAMPLES: usize = 2000;

/// The fixed seed of every bootstrap (mixed with a number per signal).
pub const SEED: u64 = 0x00F0_1C2B_0075_7EA5;

/// An effect with its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The effect.
    pub effect: f64,
    /// Lower end of the interval.
    pub low: f64,
    /// Upper end of the interval.
    pub high: f64,
    /// Bootstrap standard error.
    pub se: f64,
    /// Minimum detectable effect at 80% power.
    pub mde: f64,
}

/// Difference in differences with the baseline as covariate, or
/// before/after when `control` is empty. Pairs are `(baseline mean,
/// treatment mean)` per person. `None` without treated people.
pub fn person_effect(treated: &[(f64, f64)], control: &[(f64, f64)]) -> Option<f64> {
    let change = |xs: &[(f64, f64)]| mean(&xs.iter().map(|(b, t)| t - b).collect::<Vec<_>>());
    if control.is_empty() {
        return change(treated);
    }
    let all: Vec<(f64, f64, f64)> = treated
        .iter()
        .map(|&(b, t)| (1.0, b, t))
        .chain(control.iter().map(|&(b, t)| (0.0, b, t)))
        .collect();
    let mean_b = mean(&all.iter().map(|x| x.1).collect::<Vec<_>>())?;
    let rows: Vec<Vec<f64>> = all
        .iter()
        .map(|&(g, b, _)| vec![1.0, g, b - mean_b])
        .collect();
    let y: Vec<f64> = all.iter().map(|&(_, b, t)| t - b).collect();
    match least_squares(&rows, &y) {
        Some(coef) => Some(coef[1]),
        // Every baseline the same (or one person a side): the covariate
        // adds nothing, so the plain difference in differences.
        None => Some(change(treated)? - change(control)?),
    }
}

/// Mean of `after` minus mean of `before`: the team-week estimator on
/// weekly gaps.
pub fn week_effect(before: &[f64], after: &[f64]) -> Option<f64> {
    Some(mean(after)? - mean(before)?)
}

fn resample<T: Copy>(xs: &[T], rng: &mut Rng, into: &mut Vec<T>) {
    into.clear();
    into.extend((0..xs.len()).map(|_| xs[rng.below(xs.len())]));
}

/// Interval, standard error and MDE from bootstrap replicates.
fn summarise(effect: f64, reps: &mut [f64], confidence: f64) -> Option<Estimate> {
    if reps.len() < RESAMPLES / 2 {
        return None;
    }
    let alpha = 1.0 - confidence;
    let se = sd(reps)?;
    Some(Estimate {
        effect,
        low: quantile(reps, alpha / 2.0)?,
        high: quantile(reps, 1.0 - alpha / 2.0)?,
        se,
        mde: (normal_quantile(1.0 - alpha / 2.0) + normal_quantile(0.8)) * se,
    })
}

/// [`person_effect`] with its cluster-bootstrap interval.
pub fn person_estimate(
    treated: &[(f64, f64)],
    control: &[(f64, f64)],
    confidence: f64,
    seed: u64,
) -> Option<Estimate> {
    let effect = person_effect(treated, control)?;
    let mut rng = Rng::new(seed);
    let (mut t, mut c) = (Vec::new(), Vec::new());
    let mut reps: Vec<f64> = (0..RESAMPLES)
        .filter_map(|_| {
            resample(treated, &mut rng, &mut t);
            resample(control, &mut rng, &mut c);
            person_effect(&t, &c)
        })
        .collect();
    summarise(effect, &mut reps, confidence)
}

/// [`week_effect`] with its bootstrap interval (weeks resampled within
/// each window).
pub fn week_estimate(
    before: &[f64],
    after: &[f64],
    confidence: f64,
    seed: u64,
) -> Option<Estimate> {
    let effect = week_effect(before, after)?;
    let mut rng = Rng::new(seed);
    let (mut b, mut a) = (Vec::new(), Vec::new());
    let mut reps: Vec<f64> = (0..RESAMPLES)
        .filter_map(|_| {
            resample(before, &mut rng, &mut b);
            resample(after, &mut rng, &mut a);
            week_effect(&b, &a)
        })
        .collect();
    summarise(effect, &mut reps, confidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn before_after_is_the_mean_change() {
        // Changes 12-10 = 2, 15-11 = 4, 9-9 = 0: mean 2.
        let t = [(10.0, 12.0), (11.0, 15.0), (9.0, 9.0)];
        assert_eq!(person_effect(&t, &[]), Some(2.0));
    }

    #[test]
    fn difference_in_differences_adjusts_for_the_baseline() {
        // Built as d = 1 + 2 * treated - 0.5 * (b - 10), the mean baseline
        // being (8 + 10 + 10 + 12) / 4 = 10:
        //   treated b = 8:  d = 1 + 2 + 1   = 4  (t = 12)
        //   treated b = 10: d = 1 + 2 + 0   = 3  (t = 13)
        //   control b = 10: d = 1 + 0 + 0   = 1  (t = 11)
        //   control b = 12: d = 1 + 0 - 1   = 0  (t = 12)
        // The plain difference in differences is (4 + 3) / 2 - (1 + 0) / 2
        // = 3.5 - 0.5 = 3: it credits the change with the treated team's
        // lower start (regression to the mean). The adjusted effect is 2.
        let t = [(8.0, 12.0), (10.0, 13.0)];
        let c = [(10.0, 11.0), (12.0, 12.0)];
        let tau = person_effect(&t, &c).unwrap();
        assert!((tau - 2.0).abs() < 1e-9, "{tau}");
        // With equal baselines the covariate is constant: plain DiD.
        // Treated change (3 + 5) / 2 = 4, control (1 + 1) / 2 = 1: 3.
        let t = [(10.0, 13.0), (10.0, 15.0)];
        let c = [(10.0, 11.0), (10.0, 11.0)];
        assert_eq!(person_effect(&t, &c), Some(3.0));
    }

    #[test]
    fn the_team_week_estimator_is_the_change_in_the_mean_gap() {
        // Gaps 1, 2, 3 before (mean 2), 5, 7 after (mean 6): effect 4.
        assert_eq!(week_effect(&[1.0, 2.0, 3.0], &[5.0, 7.0]), Some(4.0));
        let e = week_estimate(&[1.0, 2.0, 3.0], &[5.0, 7.0], 0.9, 1).unwrap();
        assert!(e.low <= 4.0 && 4.0 <= e.high && e.low > 1.0, "{e:?}");
    }

    #[test]
    fn the_bootstrap_agrees_with_the_t_interval_on_normal_data() {
        // 600 people whose change is normal with mean 2 and sd 3. The
        // closed-form 90% interval of the mean is mean +- t(0.95, 599) *
        // s / sqrt(600), t(0.95, 599) = 1.6474 (1.6449 for the normal);
        // the half-width is about 1.647 * 3 / 24.49 = 0.20. The percentile
        // bootstrap must agree within 10% of that half-width at each end,
        // and its MDE must be (1.645 + 0.842) * se.
        let mut rng = Rng::new(42);
        let t: Vec<(f64, f64)> = (0..600)
            .map(|_| {
                let b = 10.0 + 2.0 * rng.normal();
                (b, b + 2.0 + 3.0 * rng.normal())
            })
            .collect();
        let d: Vec<f64> = t.iter().map(|(b, a)| a - b).collect();
        let m = mean(&d).unwrap();
        let half = 1.6474 * sd(&d).unwrap() / (d.len() as f64).sqrt();
        let e = person_estimate(&t, &[], 0.9, SEED).unwrap();
        assert!((e.effect - m).abs() < 1e-12);
        assert!(
            ((e.low - (m - half)) / half).abs() < 0.1,
            "{e:?} vs {}",
            m - half
        );
        assert!(
            ((e.high - (m + half)) / half).abs() < 0.1,
            "{e:?} vs {}",
            m + half
        );
        assert!(((e.se - half / 1.6474) / (half / 1.6474)).abs() < 0.1);
        assert!((e.mde - 2.486_475 * e.se).abs() < 1e-3 * e.se, "{e:?}");
        // The same seed gives the same interval.
        assert_eq!(person_estimate(&t, &[], 0.9, SEED), Some(e));
    }
}
