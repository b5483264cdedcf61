//! Do two groups really differ? Two independent samples (two periods, two regions, A vs B):
//! the difference with its interval, the test statistic and a two-sided p-value.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::nps::{interval::adjusted, multinomial_variance, Nps, NpsMethod};
use crate::rating::Rating;
use crate::stats::{normal, proportion_interval, student, Interval, ProportionMethod};

/// Which comparison was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ComparisonMethod {
    /// Two proportions: Newcombe's hybrid score interval (1998, "Interval estimation for the
    /// difference between independent proportions", *Statistics in Medicine* 17, method 10)
    /// and the score test with the Miettinen–Nurminen variance correction `N/(N − 1)`:
    /// statsmodels' `confint_proportions_2indep(method="newcomb")` and
    /// `test_proportions_2indep(method="score")`.
    NewcombeScore,
    /// Two NPS: Wald, `d ± z·√(SE₁² + SE₂²)`, and the z test on the same standard error (the
    /// two-sample test of Rocks' R package `NPS`, which reports |d|; cxm keeps the sign).
    NpsWald,
    /// Two NPS: the Wald interval and z test on Rocks' adjusted estimates (¾, 1½, ¾
    /// pseudo-observations added to each sample), which cover better at small n.
    NpsAdjustedWald,
    /// Two means: Welch's t test and interval, with Welch–Satterthwaite degrees of freedom
    /// (`scipy.stats.ttest_ind(..., equal_var=False)`).
    Welch,
}

impl ComparisonMethod {
    /// The `snake_case` name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            ComparisonMethod::NewcombeScore => "newcombe_score",
            ComparisonMethod::NpsWald => "nps_wald",
            ComparisonMethod::NpsAdjustedWald => "nps_adjusted_wald",
            ComparisonMethod::Welch => "welch",
        }
    }
}

/// The outcome of comparing group 1 with group 2.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// How the comparison was made.
    pub method: ComparisonMethod,
    /// The difference, group 1 minus group 2 (points for NPS, a fraction for proportions,
    /// scale units for means).
    pub estimate: f64,
    /// Two-sided confidence interval for the difference.
    pub interval: Interval,
    /// The test statistic (z, or t for Welch).
    pub statistic: f64,
    /// Degrees of freedom of the statistic; infinite for a z (normal) statistic.
    pub degrees_of_freedom: f64,
    /// Two-sided p-value of "no difference".
    pub p_value: f64,
    /// Confidence level of the interval.
    pub level: f64,
    /// (Effective) size of group 1.
    pub n1: f64,
    /// (Effective) size of group 2.
    pub n2: f64,
}

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
    let wilson1 = proportion_interval(successes1, n1, level, ProportionMethod::Wilson)?;
    let wilson2 = proportion_interval(successes2, n2, level, ProportionMethod::Wilson)?;
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

/// Compares two NPS (two periods, two segments, A vs B) by `method`, [`NpsMethod::Wald`] or
/// [`NpsMethod::AdjustedWald`] (recommended). The interval is in points, clipped to −200..=200.
///
/// # Errors
/// [`Error::UnsupportedMethod`] for other methods; [`Error::InvalidLevel`];
/// [`Error::InvalidEstimate`] for hand-built nonsense.
///
/// # Examples
/// ```
/// use cxm_core::{compare_nps, Nps, NpsMethod};
/// let this_quarter = Nps::from_counts(220, 130, 150)?; // NPS 14
/// let last_quarter = Nps::from_counts(180, 140, 180)?; // NPS 0
/// let c = compare_nps(&this_quarter, &last_quarter, 0.95, NpsMethod::AdjustedWald)?;
/// assert!((c.estimate - 14.0).abs() < 1e-12);
/// assert!(c.p_value < 0.01 && c.interval.lower > 0.0);
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn compare_nps(a: &Nps, b: &Nps, level: f64, method: NpsMethod) -> Result<Comparison, Error> {
    a.check()?;
    b.check()?;
    let z = normal::two_sided_critical(level)?;
    let shares = |x: &Nps| (x.promoter_share, x.detractor_share, x.effective_n);
    let ((p1, d1, m1), (p2, d2, m2), kind) = match method {
        NpsMethod::Wald => (shares(a), shares(b), ComparisonMethod::NpsWald),
        NpsMethod::AdjustedWald => {
            let adjust = |x: &Nps| adjusted(x.promoter_share, x.detractor_share, x.effective_n);
            (adjust(a), adjust(b), ComparisonMethod::NpsAdjustedWald)
        }
        other => {
            return Err(Error::UnsupportedMethod {
                method: other.name().to_owned(),
                purpose: "comparing two NPS".to_owned(),
            })
        }
    };
    let difference = (p1 - d1) - (p2 - d2);
    let se = (multinomial_variance(p1, d1) / m1 + multinomial_variance(p2, d2) / m2).sqrt();
    let statistic = normal::z_statistic(difference, se);
    let interval =
        Interval::new(difference - z * se, difference + z * se).clip(-2.0, 2.0).scale(100.0);
    Ok(Comparison {
        method: kind,
        estimate: a.score - b.score,
        interval,
        statistic,
        degrees_of_freedom: f64::INFINITY,
        p_value: normal::two_sided_p_value(statistic),
        level,
        n1: a.effective_n,
        n2: b.effective_n,
    })
}

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
