//! What testing one estimate against a benchmark (is our NPS above the industry's 20?) gives:
//! one-sided tests whose statistic is the one the matching interval inverts, so the p-value
//! and the interval never disagree. Each metric's `benchmark` module fills it in.

use serde::{Deserialize, Serialize};

use super::{normal, Interval};
use crate::Error;

/// The direction of a one-sided test: the alternative to "no better than the benchmark".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Alternative {
    /// The true value is above the benchmark.
    Greater,
    /// The true value is below the benchmark.
    Less,
}

impl Default for Alternative {
    /// [`Alternative::Greater`]: "is ours above the benchmark?", the question usually asked.
    fn default() -> Alternative {
        Alternative::Greater
    }
}

/// Which one-sided test was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BenchmarkMethod {
    /// NPS, Wald z.
    NpsWald,
    /// NPS, z on Rocks' adjusted estimate.
    NpsAdjustedWald,
    /// NPS, the score statistic that the score interval inverts.
    NpsScore,
    /// Proportion, score z with the variance at the benchmark (the test behind Wilson's interval;
    /// statsmodels `proportions_ztest(..., prop_var=value)`).
    ProportionScore,
    /// Proportion, exact binomial test (behind Clopper–Pearson; `scipy.stats.binomtest`).
    ProportionExact,
    /// Proportion, Wald z with the sample variance (statsmodels `proportions_ztest`).
    ProportionWald,
}

crate::options::named_options!(Alternative, "alternative", [
    Greater => "greater" = 0,
    Less => "less" = 1,
]);

crate::options::named_options!(BenchmarkMethod, "benchmark test", [
    NpsWald => "nps_wald" = 0,
    NpsAdjustedWald => "nps_adjusted_wald" = 1,
    NpsScore => "nps_score" = 2,
    ProportionScore => "proportion_score" = 3,
    ProportionExact => "proportion_exact" = 4,
    ProportionWald => "proportion_wald" = 5,
]);

/// The outcome of testing one estimate against a benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkTest {
    /// How the test was made.
    pub method: BenchmarkMethod,
    /// The estimate (NPS in points, or a proportion).
    pub estimate: f64,
    /// The benchmark, in the same unit.
    pub benchmark: f64,
    /// The alternative tested against "no difference".
    pub alternative: Alternative,
    /// Two-sided confidence interval for the estimate at `level`, by the matching method.
    pub interval: Interval,
    /// The z statistic (NaN for the exact test).
    pub statistic: f64,
    /// One-sided p-value in the direction of `alternative`.
    pub p_value: f64,
    /// Confidence level of the interval.
    pub level: f64,
    /// (Effective) sample size.
    pub n: f64,
}

impl BenchmarkTest {
    /// Refuses a hand-built or unpickled test whose fields cannot be right: a level outside
    /// (0, 1), a p-value outside 0..=1 or not the one-sided p-value of a z statistic (the exact
    /// test has none), a reversed or NaN interval, a size that is not positive.
    ///
    /// ```
    /// use cxm_core::{nps_vs_benchmark, Alternative, Nps, NpsMethod};
    /// let nps = Nps::from_counts(50, 30, 20)?;
    /// let t = nps_vs_benchmark(&nps, 20.0, Alternative::Greater, 0.95, NpsMethod::Wald)?;
    /// assert!(t.check().is_ok());
    /// assert!(cxm_core::BenchmarkTest { level: 3.0, ..t }.check().is_err());
    /// # Ok::<(), cxm_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidEstimate`] saying which fields disagree.
    pub fn check(&self) -> Result<(), Error> {
        let p_follows = if self.statistic.is_nan() {
            self.method == BenchmarkMethod::ProportionExact
        } else {
            (self.p_value - one_sided(self.statistic, self.alternative)).abs() <= 1e-9
        };
        let ordered = self.interval.lower <= self.interval.upper;
        let reason = if !(self.level > 0.0 && self.level < 1.0) {
            "level must lie in (0, 1)"
        } else if !ordered || self.estimate.is_nan() || !self.benchmark.is_finite() {
            "the interval must be ordered (lower <= upper), the estimate and benchmark numbers"
        } else if !(self.n > 0.0 && self.n.is_finite()) {
            "n must be positive and finite"
        } else if !((0.0..=1.0).contains(&self.p_value) && p_follows) {
            "p_value must lie in 0..=1 and be the one-sided p-value of the statistic"
        } else {
            return Ok(());
        };
        Err(Error::InvalidEstimate { reason: reason.to_owned() })
    }
}

/// One-sided normal p-value of `z` in the direction of `alternative`.
pub(crate) fn one_sided(z: f64, alternative: Alternative) -> f64 {
    normal::upper_tail(if alternative == Alternative::Greater { z } else { -z })
}
