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
/// [`Error::InvalidLevel`] for a level outside (0, 1).
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
        RateMethod::Wald => wald_interval(rate, (rate / exposure).sqrt(), z),
        RateMethod::WaldCcv => wald_interval(rate, ((rate + 0.5 / exposure) / exposure).sqrt(), z),
        RateMethod::SqrtAnscombe => {
            let centre = (count + 0.375).sqrt();
            let lower = (centre - z / 2.0).max(0.0);
            Interval::new(
                (lower * lower - 0.375) / exposure,
                ((centre + z / 2.0).powi(2) - 0.375) / exposure,
            )
        }
    };
    Ok(Interval::new(interval.lower.max(0.0), interval.upper))
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
}
