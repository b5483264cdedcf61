//! Do two groups' mean ratings differ? Welch's t test and interval.

use super::Rating;
use crate::error::Error;
use crate::stats::{normal, student, Comparison, ComparisonMethod, Interval};

/// Compares the mean answers of two rating summaries with Welch's t test and interval.
///
/// # Errors
/// [`Error::TooFewResponses`] when a group has fewer than two (effective) responses;
/// [`Error::InvalidLevel`].
pub fn compare_means(a: &Rating, b: &Rating, level: f64) -> Result<Comparison, Error> {
    for r in [a, b] {
        r.check()?;
        if r.effective_n <= 1.0 {
            return Err(Error::TooFewResponses { needed: 2, effective_n: r.effective_n });
        }
    }
    normal::check_level(level)?;
    let estimate = a.mean - b.mean;
    // The Welch–Satterthwaite df, (v₁ + v₂)² / (v₁²/(n₁ − 1) + v₂²/(n₂ − 1)), in terms of the
    // standard errors relative to the larger one: squares and fourth powers of raw standard
    // deviations under- or overflow (sd 1e-85 or 1e150), and 0/0 there would be a NaN df.
    let (se_a, se_b) =
        (a.standard_deviation / a.effective_n.sqrt(), b.standard_deviation / b.effective_n.sqrt());
    let unit = se_a.max(se_b);
    if unit == 0.0 {
        // Every answer the same in both groups: the difference is known exactly.
        return Ok(Comparison {
            method: ComparisonMethod::Welch,
            estimate,
            interval: Interval::new(estimate, estimate),
            statistic: normal::z_statistic(estimate, 0.0),
            degrees_of_freedom: a.effective_n + b.effective_n - 2.0,
            p_value: if estimate == 0.0 { 1.0 } else { 0.0 },
            level,
            n1: a.effective_n,
            n2: b.effective_n,
        });
    }
    let (ra, rb) = ((se_a / unit).powi(2), (se_b / unit).powi(2));
    let se = unit * (ra + rb).sqrt();
    let df =
        (ra + rb).powi(2) / (ra * ra / (a.effective_n - 1.0) + rb * rb / (b.effective_n - 1.0));
    let statistic = normal::z_statistic(estimate, se);
    let t = student::two_sided_critical(level, df)?;
    Ok(Comparison {
        method: ComparisonMethod::Welch,
        estimate,
        interval: Interval::new(estimate - t * se, estimate + t * se).finite_or(df)?,
        statistic,
        degrees_of_freedom: df,
        p_value: student::two_sided_p_value(statistic, df),
        level,
        n1: a.effective_n,
        n2: b.effective_n,
    })
}
