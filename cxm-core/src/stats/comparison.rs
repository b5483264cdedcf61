//! What comparing two independent groups (two periods, two regions, A vs B) gives: the
//! difference with its interval, the test statistic and a two-sided p-value. Each metric's
//! `compare` module fills it in.

use serde::{Deserialize, Serialize};

use super::Interval;

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

crate::options::named_options!(ComparisonMethod, "comparison method", [
    NewcombeScore => "newcombe_score" = 0,
    NpsWald => "nps_wald" = 1,
    NpsAdjustedWald => "nps_adjusted_wald" = 2,
    Welch => "welch" = 3,
]);

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
