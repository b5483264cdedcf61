//! Standard normal quantiles for two-sided intervals.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::error::Error;

/// The critical value `z` with `P(|Z| <= z) = level` for a standard normal `Z`.
///
/// Computed as `-Φ⁻¹(α/2)` with `α = 1 - level`, from the lower tail, where statrs's
/// quantile keeps full relative precision (to ~3e-16) even for levels close to 1.
pub(crate) fn two_sided_critical(level: f64) -> Result<f64, Error> {
    check_level(level)?;
    let alpha = 1.0 - level;
    Ok(-Normal::standard().inverse_cdf(alpha / 2.0))
}

/// Two-sided p-value of a standard normal statistic: `P(|Z| ≥ |z|) = erfc(|z|/√2)`, from the
/// complementary error function so that small p-values keep their relative precision. NaN
/// stays NaN (callers never pass one); ±∞ gives 0.
pub(crate) fn two_sided_p_value(z: f64) -> f64 {
    statrs::function::erf::erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0)
}

/// One-sided p-value `P(Z ≥ z) = ½·erfc(z/√2)`.
pub(crate) fn upper_tail(z: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(z / std::f64::consts::SQRT_2)
}

/// A z statistic `numerator / standard_error` that is never NaN: 0 when there is no
/// difference at all (also with no spread), ±∞ when a difference has no spread to judge it by.
pub(crate) fn z_statistic(numerator: f64, standard_error: f64) -> f64 {
    if numerator == 0.0 {
        0.0
    } else if standard_error > 0.0 {
        numerator / standard_error
    } else {
        numerator * f64::INFINITY
    }
}

/// Accepts only a confidence level in the open interval (0, 1).
pub(crate) fn check_level(level: f64) -> Result<(), Error> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(Error::InvalidLevel { level })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_scipy() {
        // scipy.stats.norm.ppf(0.975) = 1.959963984540054
        // scipy.stats.norm.ppf(0.995) = 2.5758293035489004
        // scipy.stats.norm.isf(0.0005) = 3.2905267314918945
        assert!((two_sided_critical(0.95).unwrap() - 1.959_963_984_540_054).abs() < 4e-16);
        assert!((two_sided_critical(0.99).unwrap() - 2.575_829_303_548_900_4).abs() < 1e-15);
        assert!((two_sided_critical(0.999).unwrap() - 3.290_526_731_491_894_5).abs() < 1e-14);
    }

    #[test]
    fn rejects_levels_outside_zero_one() {
        for level in [0.0, 1.0, -0.5, 1.5, f64::NAN, f64::INFINITY] {
            assert!(matches!(two_sided_critical(level), Err(Error::InvalidLevel { .. })));
        }
    }
}
