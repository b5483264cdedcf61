//! Percentile bootstrap intervals for driver shares, as R's `relaimpo::booteval.relimp(bty =
//! "perc")` gets them from `boot::boot.ci(type = "perc")`: rows resampled with replacement, the
//! analysis rerun on each resample, and the limits read off the resamples by `boot`'s
//! `norm.inter` (Davison and Hinkley 1997, *Bootstrap Methods and their Application*, eq. 5.8).
//!
//! Resampling n rows with replacement is drawing multinomial counts of the distinct rows; they
//! are drawn as conditional binomials (one per distinct row), so a resample costs the number of
//! distinct rows, not n: ratings repeat, and a million responses on 1–5 scales have at most a
//! few thousand distinct rows of a few drivers. With continuous data every row is distinct and
//! a resample costs n, as resampling rows does.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::stats::random::Random;
use crate::stats::Interval;

/// Multinomial counts of `n` draws from the rows, row `i` with probability `counts[i] / n`.
#[allow(clippy::cast_precision_loss)] // counts below 2^53
pub(crate) fn resample(random: &mut Random, counts: &[u64]) -> Vec<u64> {
    let mut left: u64 = counts.iter().sum();
    let mut weight_left = left;
    let mut out = Vec::with_capacity(counts.len());
    for &count in counts {
        let drawn = if weight_left == 0 || left == 0 {
            0
        } else {
            random.binomial(left, count as f64 / weight_left as f64)
        };
        out.push(drawn);
        left -= drawn;
        weight_left -= count;
    }
    out
}

/// The generator of resample `r` of a run seeded with `seed`: the same draws whichever thread
/// runs it.
pub(crate) fn generator(seed: u64, r: u64) -> Random {
    Random::new(seed ^ r.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17))
}

/// The percentile interval at `level` of the finite `values` (NaN: a resample that failed), as
/// `boot`'s `perc.ci` reads it: the order statistic at `(R + 1)·α` for α = (1 ± level)/2,
/// interpolated on the normal quantile scale between the two around it when that is not a
/// whole number, and the extreme ones past the ends. `None` with fewer than two values.
#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub(crate) fn percentile_interval(values: &[f64], level: f64) -> Option<Interval> {
    let mut t: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if t.len() < 2 {
        return None;
    }
    t.sort_unstable_by(f64::total_cmp);
    let r = t.len();
    let normal = Normal::standard();
    let at = |alpha: f64| {
        let rk = (r + 1) as f64 * alpha;
        let k = rk.trunc() as usize;
        if k == 0 {
            return t[0];
        }
        if k >= r {
            return t[r - 1];
        }
        if k as f64 == rk {
            return t[k - 1];
        }
        let z = normal.inverse_cdf(alpha);
        let z_k = normal.inverse_cdf(k as f64 / (r + 1) as f64);
        let z_k1 = normal.inverse_cdf((k + 1) as f64 / (r + 1) as f64);
        let (tk, tk1) = (t[k - 1], t[k]);
        tk + (z - z_k) / (z_k1 - z_k) * (tk1 - tk)
    };
    Some(Interval::new(at((1.0 - level) / 2.0), at(f64::midpoint(1.0, level))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_inter_as_boot_reads_it() {
        // By norm.inter's definition (boot's source): with 1:19 at 90%, (R+1)α = 1 and 19 are
        // whole, so the limits are the 1st and 19th values; with 1:9, (R+1)α = 0.5 and 9.5 fall
        // outside 1..R, so the extremes are used.
        let t: Vec<f64> = (1..=19).map(f64::from).collect();
        assert_eq!(percentile_interval(&t, 0.9), Some(Interval::new(1.0, 19.0)));
        let t: Vec<f64> = (1..=9).map(f64::from).collect();
        assert_eq!(percentile_interval(&t, 0.9), Some(Interval::new(1.0, 9.0)));
        // 1:99 at 0.95: (R+1)α = 2.5 → 2 + (qnorm(.025) − qnorm(.02)) / (qnorm(.03) − qnorm(.02)),
        // = 2.5253... by hand from qnorm's values (−1.959964, −2.053749, −1.880794).
        let t: Vec<f64> = (1..=99).map(f64::from).collect();
        let ci = percentile_interval(&t, 0.95).unwrap();
        let want = 2.0 + (-1.959_963_985 + 2.053_748_911) / (-1.880_793_608 + 2.053_748_911);
        assert!((ci.lower - want).abs() < 1e-8, "{}", ci.lower);
        assert!((ci.upper - (100.0 - want)).abs() < 1e-8, "{}", ci.upper);
        assert_eq!(percentile_interval(&[1.0, f64::NAN], 0.95), None);
    }

    #[test]
    fn resampled_counts_add_up_and_follow_the_seed() {
        let counts = [5, 0, 300, 7, 1_000_000];
        let a = resample(&mut generator(3, 1), &counts);
        assert_eq!(a.iter().sum::<u64>(), counts.iter().sum::<u64>());
        assert_eq!(a[1], 0);
        assert_eq!(a, resample(&mut generator(3, 1), &counts));
        assert_ne!(a, resample(&mut generator(3, 2), &counts));
    }
}
