//! Standard normal quantiles for two-sided intervals.

use statrs::distribution::{ContinuousCDF, Normal};

use super::{Interval, DEFAULT_LEVEL};
use crate::error::Error;

/// The critical value `z` with `P(|Z| <= z) = level` for a standard normal `Z`.
///
/// Computed as `-Φ⁻¹(α/2)` with `α = 1 - level`, from the lower tail, where statrs's
/// quantile keeps full relative precision (to ~3e-16) even for levels close to 1.
pub(crate) fn two_sided_critical(level: f64) -> Result<f64, Error> {
    if level.to_bits() == DEFAULT_LEVEL.to_bits() {
        return Ok(CRITICAL_AT_DEFAULT_LEVEL);
    }
    check_level(level)?;
    let alpha = 1.0 - level;
    Ok(-Normal::standard().inverse_cdf(alpha / 2.0))
}

/// [`two_sided_critical`] at the default level, the bits the quantile gives (a test computes
/// them again): a table of 100 000 segments asks for it twice a row.
#[allow(clippy::excessive_precision)] // the double's shortest round-trip digits
const CRITICAL_AT_DEFAULT_LEVEL: f64 = 1.959_963_984_540_053_8;

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
/// 1e-11 only): `1 − erf(x)` below 0.46875, the scaled form [`erfcx`] times `e^{−x²}` above,
/// with `x²` split as Cody does, into `s²` (exact, `s` = `x` cut to sixteenths) plus the small
/// `(x − s)(x + s)`, so that `e^{−x²}` keeps its digits at large `x`.
pub(crate) fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        x
    } else if x < SMALL {
        // At most 2: for very negative x the rounding of 1 − erf could reach 2 + ε.
        (1.0 - erf_small(x.max(-6.0))).min(2.0)
    } else if x > 27.3 {
        0.0 // below the smallest subnormal
    } else {
        let s = (x * 16.0).trunc() / 16.0;
        erfcx(x) * (-s * s).exp() * (-(x - s) * (x + s)).exp()
    }
}

/// Where W. J. Cody's approximations switch from `erf` to the scaled `erfc` (Cody, "Rational
/// Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631–637, as in his
/// SPECFUN routine CALERF, netlib.org/specfun/erf).
const SMALL: f64 = 0.468_75;

/// Evaluates the polynomial with coefficients `c` (highest degree first) at `x` by Horner's rule.
fn horner(c: &[f64], x: f64) -> f64 {
    c.iter().fold(0.0, |sum, &k| sum * x + k)
}

/// `erf(x)` for `|x| ≤ 6`: Cody's rational approximation `x·P(x²)/Q(x²)` (CALERF's first
/// interval) up to 0.46875; beyond (only `erfc` of negative arguments asks) the series
/// `erf(x) = 2/√π · e^{−x²} Σ (2x²)ⁿ x / (2n + 1)!!`, whose terms are all positive (Abramowitz
/// & Stegun 7.1.6).
fn erf_small(x: f64) -> f64 {
    #[allow(clippy::excessive_precision, clippy::unreadable_literal)] // Cody's published digits
    const P: [f64; 5] = [
        1.85777706184603153e-1,
        3.16112374387056560e0,
        1.13864154151050156e2,
        3.77485237685302021e2,
        3.20937758913846947e3,
    ];
    #[allow(clippy::excessive_precision, clippy::unreadable_literal)]
    const Q: [f64; 5] = [
        1.0,
        2.36012909523441209e1,
        2.44024637934444173e2,
        1.28261652607737228e3,
        2.84423683343917062e3,
    ];
    if x.abs() <= SMALL {
        let square = x * x;
        return x * horner(&P, square) / horner(&Q, square);
    }
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

/// The scaled complementary error function `e^{x²} erfc(x)` for `x ≥ 0`, by Cody's rational
/// approximations (CALERF, see [`SMALL`]): `e^{x²}(1 − erf x)` below 0.46875, `P(x)/Q(x)` up to
/// 4, and `(1/√π − z·P(z)/Q(z))/x` with `z = 1/x²` beyond. Each is a handful of operations
/// (the continued fraction it replaces took hundreds of divisions near 1, where p-values live).
pub(crate) fn erfcx(x: f64) -> f64 {
    #[allow(clippy::excessive_precision, clippy::unreadable_literal)] // Cody's published digits
    const MID_P: [f64; 9] = [
        2.15311535474403846e-8,
        5.64188496988670089e-1,
        8.88314979438837594e0,
        6.61191906371416295e1,
        2.98635138197400131e2,
        8.81952221241769090e2,
        1.71204761263407058e3,
        2.05107837782607147e3,
        1.23033935479799725e3,
    ];
    #[allow(clippy::excessive_precision, clippy::unreadable_literal)]
    const MID_Q: [f64; 9] = [
        1.0,
        1.57449261107098347e1,
        1.17693950891312499e2,
        5.37181101862009858e2,
        1.62138957456669019e3,
        3.29079923573345963e3,
        4.36261909014324716e3,
        3.43936767414372164e3,
        1.23033935480374942e3,
    ];
    #[allow(clippy::excessive_precision, clippy::unreadable_literal)]
    const TAIL_P: [f64; 6] = [
        1.63153871373020978e-2,
        3.05326634961232344e-1,
        3.60344899949804439e-1,
        1.25781726111229246e-1,
        1.60837851487422766e-2,
        6.58749161529837803e-4,
    ];
    #[allow(clippy::excessive_precision, clippy::unreadable_literal)]
    const TAIL_Q: [f64; 6] = [
        1.0,
        2.56852019228982242e0,
        1.87295284992346047e0,
        5.27905102951428412e-1,
        6.05183413124413191e-2,
        2.33520497626869185e-3,
    ];
    if x < SMALL {
        (x * x).exp() * (1.0 - erf_small(x))
    } else if x <= 4.0 {
        horner(&MID_P, x) / horner(&MID_Q, x)
    } else {
        let z = 1.0 / (x * x);
        (0.5 * std::f64::consts::FRAC_2_SQRT_PI - z * horner(&TAIL_P, z) / horner(&TAIL_Q, z)) / x
    }
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
        // The default level's value, kept as a constant, is the quantile's own, to the bit.
        let computed = -Normal::standard().inverse_cdf((1.0 - DEFAULT_LEVEL) / 2.0);
        assert_eq!(CRITICAL_AT_DEFAULT_LEVEL.to_bits(), computed.to_bits());
    }

    #[test]
    #[allow(clippy::unreadable_literal)] // as mpmath prints them
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
            (-2.5, 1.999593047982555),
            (-0.46, 1.4846553900016797),
            (0.1, 0.887537083981715),
            (0.46, 0.5153446099983203),
            (0.47, 0.5062549491139179),
            (0.6, 0.3961439091520741),
            (0.8, 0.2578990352923395),
            (1.2, 0.08968602177036464),
            (1.7, 0.01620954140922544),
            (2.5, 0.0004069520174449589),
            (3.3, 3.0577097964381654e-06),
            (3.99, 1.6739211364520814e-08),
            (4.01, 1.4196939421371052e-08),
            (5.5, 7.357847917974398e-15),
            (8.0, 1.1224297172982926e-29),
            (15.0, 7.212994172451207e-100),
            (22.0, 1.6219058609334726e-212),
        ] {
            let got = erfc(x);
            assert!((got - want).abs() <= 4.0 * f64::EPSILON * want, "{x}: {got} vs {want}");
        }
        assert_eq!(erfc(30.0), 0.0);
        assert!(erfc(f64::NAN).is_nan());
    }

    #[test]
    fn erfcx_matches_mpmath() {
        // mpmath: exp(x**2) * erfc(x) at 40 digits, in each of Cody's three intervals.
        for (x, want) in [
            (0.2, 0.809_019_519_901_580_7),
            (0.7, 0.525_930_337_349_441),
            (2.0, 0.255_395_676_310_505_75),
            (4.5, 0.122_484_804_273_841_42),
            (12.0, 0.046_854_221_014_893_76),
            (100.0, 0.005_641_613_782_989_433),
        ] {
            let got = erfcx(x);
            assert!((got - want).abs() <= 4.0 * f64::EPSILON * want, "{x}: {got} vs {want}");
        }
    }

    #[test]
    fn rejects_levels_outside_zero_one() {
        for level in [0.0, 1.0, -0.5, 1.5, f64::NAN, f64::INFINITY] {
            assert!(matches!(two_sided_critical(level), Err(Error::InvalidLevel { .. })));
        }
    }
}
