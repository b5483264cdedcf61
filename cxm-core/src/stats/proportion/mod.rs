//! Confidence intervals for a binomial proportion, defined exactly as statsmodels'
//! `proportion_confint` (0.15) defines them, so results can be checked against it. Coverage:
//! Brown, Cai & DasGupta (2001), "Interval Estimation for a Binomial Proportion", *Statistical
//! Science* 16(2), recommend Wilson or Jeffreys for small n and warn against Wald.

mod benchmark;
mod compare;
mod lift;

use serde::{Deserialize, Serialize};

pub use benchmark::proportion_vs_benchmark;
pub(crate) use compare::compare_effective_proportions;
pub use compare::compare_proportions;
pub use lift::{lift, Lift, LiftMethod};

use super::beta::{quantile, Tail};
use super::normal::two_sided_critical;
use super::Interval;
use crate::error::Error;

/// How to compute a confidence interval for a proportion.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProportionMethod {
    /// Wilson's score interval (the default): good coverage at every n, never outside [0, 1].
    #[default]
    Wilson,
    /// Agresti–Coull: Wald around `(x + z²/2) / (n + z²)`, clipped to [0, 1].
    AgrestiCoull,
    /// Clopper–Pearson "exact" interval from Beta quantiles: conservative (covers at least the
    /// level). 0 and 1 are the limits at x = 0 and x = n.
    ClopperPearson,
    /// Jeffreys: equal-tailed interval of the Beta(x + ½, n − x + ½) posterior. As in
    /// statsmodels, the lower limit at x = 0 is that quantile, not forced to 0 (Brown, Cai &
    /// DasGupta force it).
    Jeffreys,
    /// Wald: `p ± z √(p(1−p)/n)`, clipped to [0, 1]. Poor coverage at small n or extreme p;
    /// zero width at p = 0 or 1.
    Wald,
}

crate::options::named_options!(ProportionMethod, "proportion interval method", [
    Wilson => "wilson" = 0,
    AgrestiCoull => "agresti_coull" = 1,
    ClopperPearson => "clopper_pearson" = 2,
    Jeffreys => "jeffreys" = 3,
    Wald => "wald" = 4,
]);

/// The largest `n` a proportion may have: 2^53, the last count below which every whole number
/// is an `f64`. Beyond it `successes` and `n − successes` are no longer exact, and neither are
/// the exact (Clopper–Pearson) limits and tests built on them.
pub const MAX_COUNT: f64 = 9_007_199_254_740_992.0;

/// A two-sided confidence interval for the proportion `successes / n`, as fractions.
///
/// `successes` and `n` are whole numbers with `0 ≤ successes ≤ n` and `0 < n ≤ 2^53`
/// ([`MAX_COUNT`]). Clopper–Pearson and Jeffreys use cxm's own Beta quantile, accurate and
/// bounded in time over that whole range; at levels above 0.999999 with n above 1e12 and few
/// successes their upper limits are good to about 1e-5 relative only. (Weighted shares have their own interval,
/// [`Rating::share_interval`](crate::Rating::share_interval), on the effective sample size.)
///
/// # Errors
/// [`Error::InvalidCount`] for counts that are not whole or outside those bounds,
/// [`Error::OutsideSupportedRange`] for `n` above 2^53, [`Error::InvalidLevel`] for a level
/// outside (0, 1).
///
/// # Examples
/// ```
/// use cxm_core::{proportion_interval, ProportionMethod};
/// // statsmodels: proportion_confint(3, 10, alpha=0.05, method="wilson")
/// //   = (0.10779126740630104, 0.6032218525388546)
/// let ci = proportion_interval(3.0, 10.0, 0.95, ProportionMethod::Wilson)?;
/// assert!((ci.lower - 0.107_791_267_406_301).abs() < 1e-14);
/// assert!((ci.upper - 0.603_221_852_538_855).abs() < 1e-14);
/// assert!(proportion_interval(11.0, 10.0, 0.95, ProportionMethod::Wilson).is_err());
/// assert!(proportion_interval(2.5, 10.0, 0.95, ProportionMethod::Wilson).is_err());
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn proportion_interval(
    successes: f64,
    n: f64,
    level: f64,
    method: ProportionMethod,
) -> Result<Interval, Error> {
    check_whole_counts(successes, n)?;
    effective_proportion_interval(successes, n, level, method)
}

/// Refuses counts that are not whole numbers `0 ≤ successes ≤ n`, `0 < n ≤ 2^53`.
fn check_whole_counts(successes: f64, n: f64) -> Result<(), Error> {
    if n > MAX_COUNT && n.is_finite() {
        return Err(count_out_of_range("n", n));
    }
    if successes.fract() != 0.0 || n.fract() != 0.0 {
        return Err(Error::InvalidCount { successes, n });
    }
    Ok(())
}

/// Refuses `events` of `n` (named `events_name` and `n_name` in the error) unless
/// `1 ≤ n ≤ 2^53` and `0 ≤ events ≤ n`: integer counts, each then an exact `f64`.
pub(crate) fn check_event_counts(
    events: i64,
    n: i64,
    events_name: &str,
    n_name: &str,
) -> Result<(), Error> {
    let invalid = |quantity: &str, value: i64, requirement: String| {
        Err(Error::InvalidEventCount { quantity: quantity.to_owned(), value, requirement })
    };
    if n < 1 {
        return invalid(n_name, n, "at least 1".to_owned());
    }
    if n > 1 << 53 {
        let requirement = "at most 2^53 = 9007199254740992, where every count is an exact double";
        return invalid(n_name, n, requirement.to_owned());
    }
    if !(0..=n).contains(&events) {
        return invalid(events_name, events, format!("between 0 and {n_name} ({n})"));
    }
    Ok(())
}

/// A count above [`MAX_COUNT`], refused with the reason.
pub(crate) fn count_out_of_range(quantity: &str, value: f64) -> Error {
    Error::OutsideSupportedRange {
        quantity: quantity.to_owned(),
        value,
        supported: "at most 2^53 = 9007199254740992, where every count is exact".to_owned(),
    }
}

/// [`proportion_interval`] for an effective (possibly fractional) number of successes of an
/// effective `n`, as weighted shares have them.
pub(crate) fn effective_proportion_interval(
    successes: f64,
    n: f64,
    level: f64,
    method: ProportionMethod,
) -> Result<Interval, Error> {
    if n > MAX_COUNT && n.is_finite() {
        return Err(count_out_of_range("n", n));
    }
    if !(n > 0.0 && n.is_finite() && successes >= 0.0 && successes <= n) {
        return Err(Error::InvalidCount { successes, n });
    }
    let z = two_sided_critical(level)?;
    let half_alpha = (1.0 - level) / 2.0;
    let p = successes / n;
    let failures = n - successes;
    let interval = match method {
        ProportionMethod::Wald => {
            let half = z * (p * (1.0 - p) / n).sqrt();
            Interval::new(p - half, p + half).clip(0.0, 1.0)
        }
        ProportionMethod::AgrestiCoull => {
            let adjusted_n = n + z * z;
            let centre = (successes + z * z / 2.0) / adjusted_n;
            let half = z * (centre * (1.0 - centre) / adjusted_n).sqrt();
            Interval::new(centre - half, centre + half).clip(0.0, 1.0)
        }
        ProportionMethod::Wilson => {
            let z2 = z * z;
            let denominator = 1.0 + z2 / n;
            let centre = (p + z2 / (2.0 * n)) / denominator;
            let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
            // At x = 0 (x = n) the lower (upper) limit is exactly 0 (1); the arithmetic above
            // would leave a rounding error of ~1e-17 there.
            let lower = if successes == 0.0 { 0.0 } else { centre - half };
            let upper = if failures == 0.0 { 1.0 } else { centre + half };
            Interval::new(lower, upper).clip(0.0, 1.0)
        }
        // At levels below about 1e-16, α/2 rounds to ½ and both limits are a median up to
        // rounding, which may order them either way: they are sorted.
        ProportionMethod::ClopperPearson => Interval::sorted(
            if successes == 0.0 {
                0.0
            } else {
                quantile(half_alpha, successes, failures + 1.0, Tail::Lower)
            },
            if failures == 0.0 {
                1.0
            } else {
                quantile(half_alpha, successes + 1.0, failures, Tail::Upper)
            },
        ),
        ProportionMethod::Jeffreys => Interval::sorted(
            quantile(half_alpha, successes + 0.5, failures + 0.5, Tail::Lower),
            quantile(half_alpha, successes + 0.5, failures + 0.5, Tail::Upper),
        ),
    };
    Ok(interval)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clopper_pearson_at_zero_has_a_closed_form() {
        // Upper limit 1 − (α/2)^{1/n} (Clopper & Pearson 1934; shared/REFERENCES.md).
        for n in [1.0, 7.0, 1e6, 1e10] {
            let ci = proportion_interval(0.0, n, 0.95, ProportionMethod::ClopperPearson).unwrap();
            assert_eq!(ci.lower, 0.0);
            let want = -(0.025_f64.ln() / n).exp_m1();
            assert!((ci.upper - want).abs() <= 1e-13 * want, "n = {n}: {} vs {want}", ci.upper);
        }
    }

    #[test]
    fn bad_counts_are_errors() {
        for (x, n) in [
            (-1.0, 5.0),
            (6.0, 5.0),
            (1.0, 0.0),
            (f64::NAN, 5.0),
            (1.0, f64::INFINITY),
            (2.5, 10.0),
            (5e-324, 1e9),
        ] {
            let err = proportion_interval(x, n, 0.95, ProportionMethod::Wilson).unwrap_err();
            assert!(matches!(err, Error::InvalidCount { .. }), "{x}/{n}");
        }
    }
}
