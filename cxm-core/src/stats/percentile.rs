//! Equal-tailed intervals from simulated values (bootstrap resamples, posterior draws).

use super::Interval;

/// The `α/2` and `1 − α/2` sample quantiles of `values` (sorted here), `α = 1 − level`, by
/// linear interpolation between order statistics: numpy's default, Hyndman & Fan type 7.
/// `values` holds at least two numbers and no NaN.
pub(crate) fn percentile_interval(values: &mut [f64], level: f64) -> Interval {
    values.sort_unstable_by(f64::total_cmp);
    let alpha = 1.0 - level;
    Interval::new(quantile_type7(values, alpha / 2.0), quantile_type7(values, 1.0 - alpha / 2.0))
}

/// The `q`-quantile of sorted `values` by linear interpolation between order statistics.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn quantile_type7(values: &[f64], q: f64) -> f64 {
    let h = (values.len() - 1) as f64 * q;
    let below = h.floor() as usize;
    let above = (below + 1).min(values.len() - 1);
    values[below] + (h - below as f64) * (values[above] - values[below])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_matches_numpy() {
        // numpy.quantile([1, 2, 3, 4, 10], [0.1, 0.5, 0.975]) = [1.4, 3.0, 9.4]
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((quantile_type7(&v, 0.1) - 1.4).abs() < 1e-15);
        assert_eq!(quantile_type7(&v, 0.5), 3.0);
        assert!((quantile_type7(&v, 0.975) - 9.4).abs() < 1e-14);
        // numpy.quantile([10, 4, 3, 2, 1], [0.1, 0.9]) = [1.4, 7.6]: the input is sorted here.
        let ci = percentile_interval(&mut [10.0, 4.0, 3.0, 2.0, 1.0], 0.8);
        assert!((ci.lower - 1.4).abs() < 1e-15 && (ci.upper - 7.6).abs() < 1e-14, "{ci:?}");
    }
}
