//! Standard normal quantiles for two-sided intervals.

use statrs::distribution::{ContinuousCDF, Normal};

use super::Interval;
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
    erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0)
}

/// One-sided p-value `P(Z ≥ z) = ½·erfc(z/√2)`.
pub(crate) fn upper_tail(z: f64) -> f64 {
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

/// `erfc(x)`, to a few units in the last place for every `x` (statrs 0.19's is good to about
/// 1e-11 only): `1 − erf(x)` below ½, the scaled form [`erfcx`] times `e^{−x²}` above, with
/// `x²` carried as a sum of two doubles so that `e^{−x²}` keeps its digits at large `x`.
pub(crate) fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        x
    } else if x < 0.5 {
        // At most 2: for very negative x the rounding of 1 − erf could reach 2 + ε.
        (1.0 - erf_small(x.max(-6.0))).min(2.0)
    } else if x > 27.3 {
        0.0 // below the smallest subnormal
    } else {
        let square = x * x;
        let rounding = x.mul_add(x, -square); // x² = square + rounding, exactly
        erfcx(x) * (-square).exp() * (-rounding).exp()
    }
}

/// `erf(x)` for `|x| ≤ 6` from the series `erf(x) = 2/√π · e^{−x²} Σ (2x²)ⁿ x / (2n + 1)!!`,
/// whose terms are all positive (Abramowitz & Stegun 7.1.6).
fn erf_small(x: f64) -> f64 {
    let two_x2 = 2.0 * x * x;
    let (mut term, mut sum) = (x, x);
    for n in 1..200 {
        term *= two_x2 / f64::from(2 * n + 1);
        sum += term;
        if term.abs() <= sum.abs() * f64::EPSILON / 4.0 {
            break;
        }
    }
    std::f64::consts::FRAC_2_SQRT_PI * (-x * x).exp() * sum
}

/// The scaled complementary error function `e^{x²} erfc(x)` for `x ≥ 0`: `e^{x²}(1 − erf x)`
/// below ½, else Laplace's
/// continued fraction `√π e^{x²} erfc(x) = 1/(x + (1/2)/(x + (2/2)/(x + (3/2)/(x + …))))`
/// (A&S 7.1.14), evaluated from the bottom up: backward evaluation does not accumulate
/// rounding as the forward (Lentz) products do. Its truncation error falls like
/// `exp(−2x√(2N))` for depth `N`, so `N = 800/x²` leaves it below 1e-27.
pub(crate) fn erfcx(x: f64) -> f64 {
    if x < 0.5 {
        return (x * x).exp() * (1.0 - erf_small(x));
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let depth = (800.0 / (x * x)).min(4000.0) as u32 + 20;
    let mut tail = 0.0;
    for k in (1..=depth).rev() {
        tail = (f64::from(k) / 2.0) / (x + tail);
    }
    1.0 / (std::f64::consts::PI.sqrt() * (x + tail))
}

/// The Wald interval `estimate ± z·standard_error`.
pub(crate) fn wald_interval(estimate: f64, standard_error: f64, z: f64) -> Interval {
    Interval::new(estimate - z * standard_error, estimate + z * standard_error)
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
    fn erfc_matches_mpmath() {
        // mpmath.erfc at 40 digits.
        for (x, want) in [
            (-1.0, 1.842_700_792_949_715),
            (0.0, 1.0),
            (0.3, 0.671_373_240_540_872_6),
            (0.5, 0.479_500_122_186_953_5),
            (1.0, 0.157_299_207_050_285_13),
            (2.0, 0.004_677_734_981_047_266),
            (5.0, 1.537_459_794_428_035e-12),
            (10.0, 2.088_487_583_762_545e-45),
            (26.0, 5.663_192_408_856_143e-296),
        ] {
            let got = erfc(x);
            assert!((got - want).abs() <= 4.0 * f64::EPSILON * want, "{x}: {got} vs {want}");
        }
        assert_eq!(erfc(30.0), 0.0);
        assert!(erfc(f64::NAN).is_nan());
    }

    #[test]
    fn rejects_levels_outside_zero_one() {
        for level in [0.0, 1.0, -0.5, 1.5, f64::NAN, f64::INFINITY] {
            assert!(matches!(two_sided_critical(level), Err(Error::InvalidLevel { .. })));
        }
    }
}
