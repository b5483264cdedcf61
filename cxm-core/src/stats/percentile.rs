//! Equal-tailed intervals from simulated values (bootstrap resamples, posterior draws).

use super::Interval;

/// The `α/2` and `1 − α/2` sample quantiles of `values` (reordered here), `α = 1 − level`, by
/// linear interpolation between order statistics: numpy's default, Hyndman & Fan type 7.
/// `values` holds at least two numbers and no NaN. Selection, not sorting: linear time.
pub(crate) fn percentile_interval(values: &mut [f64], level: f64) -> Interval {
    let alpha = 1.0 - level;
    Interval::new(quantile_type7(values, alpha / 2.0), quantile_type7(values, 1.0 - alpha / 2.0))
}

/// The `q`-quantile of `values` by linear interpolation between the order statistics around
/// `(len − 1)·q`, found by selection (which reorders `values`).
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn quantile_type7(values: &mut [f64], q: f64) -> f64 {
    let h = (values.len() - 1) as f64 * q;
    let below = (h.floor() as usize).min(values.len() - 1);
    let (_, &mut low, above) = values.select_nth_unstable_by(below, f64::total_cmp);
    match above.iter().copied().min_by(f64::total_cmp) {
        Some(high) => low + (h - below as f64) * (high - low),
        None => low,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    fn type7_matches_numpy() {
        // numpy.quantile([1, 2, 3, 4, 10], [0.1, 0.5, 0.975]) = [1.4, 3.0, 9.4]
        let mut v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((quantile_type7(&mut v, 0.1) - 1.4).abs() < 1e-15);
        assert_eq!(quantile_type7(&mut v, 0.5), 3.0);
        assert!((quantile_type7(&mut v, 0.975) - 9.4).abs() < 1e-14);
        assert_eq!(quantile_type7(&mut v, 1.0), 10.0);
        // numpy.quantile([10, 4, 3, 2, 1], [0.1, 0.9]) = [1.4, 7.6]: any order will do.
        let ci = percentile_interval(&mut [10.0, 4.0, 3.0, 2.0, 1.0], 0.8);
        assert!((ci.lower - 1.4).abs() < 1e-15 && (ci.upper - 7.6).abs() < 1e-14, "{ci:?}");
        // Selection gives the very order statistics sorting does, ties included.
        let mut random = crate::stats::random::Random::new(4);
        for len in [2_usize, 3, 10, 101, 1000] {
            let mut values: Vec<f64> =
                (0..len).map(|_| (random.uniform() * 20.0).floor()).collect();
            let mut sorted = values.clone();
            sorted.sort_unstable_by(f64::total_cmp);
            for q in [0.0, 0.025, 0.3, 0.5, 0.975, 1.0] {
                let h = (len - 1) as f64 * q;
                let (i, j) = (h.floor() as usize, (h.floor() as usize + 1).min(len - 1));
                let want = sorted[i] + (h - h.floor()) * (sorted[j] - sorted[i]);
                assert_eq!(quantile_type7(&mut values, q), want, "len {len}, q {q}");
            }
        }
    }
}
