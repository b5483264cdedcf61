//! What testing one estimate against a benchmark (is our NPS above the industry's 20?) gives:
//! one-sided tests whose statistic is the one the matching interval inverts, so the p-value
//! and the interval never disagree. Each metric's `benchmark` module fills it in.

use serde::{Deserialize, Serialize};

use super::{normal, Interval};

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

/// One-sided normal p-value of `z` in the direction of `alternative`.
pub(crate) fn one_sided(z: f64, alternative: Alternative) -> f64 {
    normal::upper_tail(if alternative == Alternative::Greater { z } else { -z })
}
