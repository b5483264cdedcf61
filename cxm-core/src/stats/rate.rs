//! Confidence intervals for a Poisson rate `count / exposure` (events per unit of exposure:
//! churned customers per customer-month, or per average customer), defined exactly as
//! statsmodels' `statsmodels.stats.rates.confint_poisson` (0.14) defines them, so results can
//! be checked against it. Coverage: Barker (2002), "A comparison of nine confidence intervals
//! for a Poisson parameter when the expected number of events is ≤ 5", *The American
//! Statistician* 56(2); Swift (2009), *Communications in Statistics — Theory and Methods* 38(5).

use serde::{Deserialize, Serialize};

use super::beta::Tail;
use super::gamma::quantile;
use super::normal::{two_sided_critical, wald_interval};
use super::{count_out_of_range, Interval, MAX_COUNT};
use crate::error::Error;

/// How to compute a confidence interval for a Poisson rate. statsmodels' name in brackets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RateMethod {
    /// Garwood's exact central interval (the default; `exact-c`): `[G⁻¹(α/2; k),
    /// G⁻¹(1 − α/2; k + 1)] / exposure` with `G` the Gamma(·, 1) CDF, lower limit 0 at k = 0.
    /// Conservative: covers at least the level (Garwood 1936, *Biometrika* 28).
    #[default]
    Exact,
    /// Equal-tailed interval of the Gamma(k + ½) Jeffreys posterior (`jeffreys`).
    Jeffreys,
    /// Inverted score test (`score`): `(k + z²/2 ± z √(k + z²/4)) / exposure`.
    Score,
    /// Wald (`wald`): `k/E ± z √(k/E²)`, lower limit clipped at 0; zero width at k = 0.
    Wald,
    /// Wald with half an event added to the variance (`waldccv`):
    /// `k/E ± z √((k + ½)/E²)`, lower limit clipped at 0.
    WaldCcv,
    /// Anscombe's square-root transformation (`sqrt-a`):
    /// `((max(√(k + ⅜) − z/2, 0))² − ⅜, (√(k + ⅜) + z/2)² − ⅜) / exposure`, lower clipped at 0.
    SqrtAnscombe,
}

crate::options::named_options!(RateMethod, "rate interval method", [
    Exact => "exact" = 0,
    Jeffreys => "jeffreys" = 1,
    Score => "score" = 2,
    Wald => "wald" = 3,
    WaldCcv => "wald_ccv" = 4,
    SqrtAnscombe => "sqrt_anscombe" = 5,
]);

/// A two-sided confidence interval for the Poisson rate `count / exposure`, in events per unit
/// of exposure.
///
/// `count` is a whole number `0 ≤ count ≤ 2^53` ([`MAX_COUNT`]) and `exposure` positive and
/// finite. As in statsmodels, every lower limit is clipped at 0.
///
/// # Errors
/// [`Error::InvalidRate`] for a count that is not whole or negative, or an exposure that is
/// not positive and finite; [`Error::OutsideSupportedRange`] for a count above 2^53;
/// [`Error::InvalidLevel`] for a level outside (0, 1); [`Error::OutsideSupportedRange`] naming
/// the exposure when it is so small that a limit exceeds the largest `f64` (every limit
/// returned is finite, and `lower ≤ upper`).
///
/// # Examples
/// ```
/// use cxm_core::{rate_interval, RateMethod};
/// // statsmodels: confint_poisson(3, 10, method="exact-c", alpha=0.05)
/// //   = (0.06186721228956014, 0.8767273069742325)
/// let ci = rate_interval(3.0, 10.0, 0.95, RateMethod::Exact)?;
/// assert!((ci.lower - 0.061_867_212_289_560_14).abs() < 1e-15);
/// assert!((ci.upper - 0.876_727_306_974_232_5).abs() < 1e-15);
/// assert!(rate_interval(-1.0, 10.0, 0.95, RateMethod::Exact).is_err());
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn rate_interval(
    count: f64,
    exposure: f64,
    level: f64,
    method: RateMethod,
) -> Result<Interval, Error> {
    if count > MAX_COUNT && count.is_finite() {
        return Err(count_out_of_range("count", count));
    }
    if !(count >= 0.0 && count.fract() == 0.0 && exposure > 0.0 && exposure.is_finite()) {
        return Err(Error::InvalidRate { count, exposure });
    }
    let z = two_sided_critical(level)?;
    let half_alpha = (1.0 - level) / 2.0;
    let rate = count / exposure;
    let interval = match method {
        RateMethod::Exact => Interval::sorted(
            if count == 0.0 { 0.0 } else { quantile(half_alpha, count, Tail::Lower) / exposure },
            quantile(half_alpha, count + 1.0, Tail::Upper) / exposure,
        ),
        RateMethod::Jeffreys => Interval::sorted(
            quantile(half_alpha, count + 0.5, Tail::Lower) / exposure,
            quantile(half_alpha, count + 0.5, Tail::Upper) / exposure,
        ),
        RateMethod::Score => {
            let centre = count + z * z / 2.0;
            let half = z * (count + z * z / 4.0).sqrt();
            Interval::new((centre - half) / exposure, (centre + half) / exposure)
        }
        // The standard errors are √k / E, never √(rate / E): E² underflows below E ≈ 1e-154.
        RateMethod::Wald => wald_interval(rate, count.sqrt() / exposure, z),
        RateMethod::WaldCcv => wald_interval(rate, (count + 0.5).sqrt() / exposure, z),
        RateMethod::SqrtAnscombe => {
            // (c ∓ z/2)² − ⅜ with c = √(k + ⅜), expanded to k ∓ (z/2)(2c ∓ z/2): equal in exact
            // arithmetic, but the expanded form cannot round below k, so the limits stay on
            // either side of the estimate even where z is tiny.
            let (centre, half) = ((count + 0.375).sqrt(), z / 2.0);
            let lower = if centre > half { count - half * (2.0 * centre - half) } else { 0.0 };
            Interval::new(lower / exposure, (count + half * (2.0 * centre + half)) / exposure)
        }
    };
    Interval::new(interval.lower.max(0.0), interval.upper).finite_or_outside(
        "exposure",
        exposure,
        "large enough for the interval's limits to be finite doubles",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_at_zero_has_a_closed_form() {
        // Q(1, x) = e^{−x}: the upper limit at k = 0 is −ln(α/2) / exposure.
        for exposure in [1.0, 7.5, 1e9] {
            let ci = rate_interval(0.0, exposure, 0.95, RateMethod::Exact).unwrap();
            assert_eq!(ci.lower, 0.0);
            let want = -(0.025_f64.ln()) / exposure;
            assert!((ci.upper - want).abs() <= 2e-16 * want, "{} vs {want}", ci.upper);
        }
    }

    #[test]
    fn bad_counts_and_exposures_are_errors() {
        for (k, e) in [
            (-1.0, 5.0),
            (2.5, 5.0),
            (f64::NAN, 5.0),
            (1.0, 0.0),
            (1.0, -2.0),
            (1.0, f64::INFINITY),
        ] {
            let err = rate_interval(k, e, 0.95, RateMethod::Exact).unwrap_err();
            assert_eq!(err.kind(), "invalid_rate", "{k}/{e}");
        }
        let err = rate_interval(1e17, 5.0, 0.95, RateMethod::Exact).unwrap_err();
        assert_eq!(err.kind(), "outside_supported_range");
    }

    #[test]
    fn extreme_exposures_give_finite_ordered_limits_or_an_error() {
        // Issue 15, item 6: sqrt-a at a level of 1e-300 gave (0, −5.6e-17); Wald at exposure
        // 1e-160 an infinite upper limit; wald_ccv at (0, 1e-300) too; Jeffreys at 5e-324
        // (inf, inf).
        let ci = rate_interval(0.0, 1.0, 1e-300, RateMethod::SqrtAnscombe).unwrap();
        assert!(ci.lower == 0.0 && ci.upper >= 0.0, "{ci:?}");
        // Wald: k/E ± z·√k/E, here 1e160 · (1 ± z), z = scipy.stats.norm.ppf(0.975).
        let z = 1.959_963_984_540_054;
        let ci = rate_interval(1.0, 1e-160, 0.95, RateMethod::Wald).unwrap();
        assert_eq!(ci.lower, 0.0);
        assert!((ci.upper / (1e160 * (1.0 + z)) - 1.0).abs() < 1e-15, "{ci:?}");
        // wald_ccv at k = 0: z·√½ / E.
        let ci = rate_interval(0.0, 1e-300, 0.95, RateMethod::WaldCcv).unwrap();
        assert!((ci.upper / (z * 0.5_f64.sqrt() * 1e300) - 1.0).abs() < 1e-15, "{ci:?}");
        for method in [RateMethod::Jeffreys, RateMethod::Exact, RateMethod::WaldCcv] {
            let err = rate_interval(0.0, 5e-324, 0.95, method).unwrap_err();
            assert_eq!(err.kind(), "outside_supported_range", "{method:?}");
            assert_eq!(
                err.to_string(),
                "exposure 5e-324 is outside the supported range: large enough for the \
                 interval's limits to be finite doubles"
            );
        }
    }
}
