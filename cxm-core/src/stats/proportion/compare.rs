//! Do two proportions differ? Newcombe's hybrid score interval and the score test.

use super::{effective_proportion_interval, proportion_interval, ProportionMethod};
use crate::error::Error;
use crate::stats::{normal, Comparison, ComparisonMethod, Interval};

/// Compares two proportions, `successes1 / n1` against `successes2 / n2`.
///
/// # Errors
/// [`Error::InvalidCount`] for impossible counts; [`Error::InvalidLevel`].
///
/// # Examples
/// ```
/// // First-contact resolution: 9 of 10 calls this month against 3 of 10 last month.
/// let c = cxm_core::compare_proportions(9.0, 10.0, 3.0, 10.0, 0.95)?;
/// assert!((c.estimate - 0.6).abs() < 1e-15);
/// assert!(c.interval.lower > 0.0 && c.p_value < 0.01);
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn compare_proportions(
    successes1: f64,
    n1: f64,
    successes2: f64,
    n2: f64,
    level: f64,
) -> Result<Comparison, Error> {
    proportion_interval(successes1, n1, level, ProportionMethod::Wilson)?;
    proportion_interval(successes2, n2, level, ProportionMethod::Wilson)?;
    compare_effective_proportions(successes1, n1, successes2, n2, level)
}

/// [`compare_proportions`] of counts that need not be whole: weighted shares on Kish's
/// effective sample sizes (`share · n_eff` of `n_eff`), as their intervals take them.
///
/// # Errors
/// [`Error::InvalidCount`] unless `0 ≤ successes ≤ n`, `n > 0`; [`Error::InvalidLevel`].
pub(crate) fn compare_effective_proportions(
    successes1: f64,
    n1: f64,
    successes2: f64,
    n2: f64,
    level: f64,
) -> Result<Comparison, Error> {
    let wilson1 = effective_proportion_interval(successes1, n1, level, ProportionMethod::Wilson)?;
    let wilson2 = effective_proportion_interval(successes2, n2, level, ProportionMethod::Wilson)?;
    let (p1, p2) = (successes1 / n1, successes2 / n2);
    let estimate = p1 - p2;
    let below = ((p1 - wilson1.lower).powi(2) + (wilson2.upper - p2).powi(2)).sqrt();
    let above = ((p2 - wilson2.lower).powi(2) + (wilson1.upper - p1).powi(2)).sqrt();
    let total = n1 + n2;
    let pooled = (successes1 + successes2) / total;
    let variance = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2) * total / (total - 1.0);
    // Both samples all successes (or none): no evidence of a difference, z = 0.
    let statistic = normal::z_statistic(estimate, variance.sqrt());
    Ok(Comparison {
        method: ComparisonMethod::NewcombeScore,
        estimate,
        interval: Interval::new(estimate - below, estimate + above),
        statistic,
        degrees_of_freedom: f64::INFINITY,
        p_value: normal::two_sided_p_value(statistic),
        level,
        n1,
        n2,
    })
}
