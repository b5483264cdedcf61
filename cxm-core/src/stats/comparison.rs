//! What comparing two independent groups (two periods, two regions, A vs B) gives: the
//! difference with its interval, the test statistic and a two-sided p-value. Each metric's
//! `compare` module fills it in.

use serde::{Deserialize, Serialize};

use super::{normal, student, Interval};
use crate::Error;

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

impl Comparison {
    /// Refuses a hand-built or unpickled comparison whose fields cannot be right: a level
    /// outside (0, 1), a p-value outside 0..=1 or not the two-sided p-value of the statistic
    /// (normal when `degrees_of_freedom` is infinite, Student t otherwise), a reversed or NaN
    /// interval, or group sizes that are not positive.
    ///
    /// ```
    /// use cxm_core::{compare_nps, Nps, NpsMethod};
    /// let a = Nps::from_counts(50, 30, 20)?;
    /// let b = Nps::from_counts(40, 30, 30)?;
    /// let c = compare_nps(&a, &b, 0.95, NpsMethod::Wald)?;
    /// assert!(c.check().is_ok());
    /// assert!(cxm_core::Comparison { p_value: 7.0, ..c }.check().is_err());
    /// # Ok::<(), cxm_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidEstimate`] saying which fields disagree.
    pub fn check(&self) -> Result<(), Error> {
        let expected_p = if self.degrees_of_freedom == f64::INFINITY {
            normal::two_sided_p_value(self.statistic)
        } else {
            student::two_sided_p_value(self.statistic, self.degrees_of_freedom)
        };
        let ordered = self.interval.lower <= self.interval.upper;
        let positive_df = self.degrees_of_freedom > 0.0;
        let reason = if !(self.level > 0.0 && self.level < 1.0) {
            "level must lie in (0, 1)"
        } else if !ordered || self.estimate.is_nan() {
            "the interval must be ordered (lower <= upper) and the estimate a number"
        } else if !(self.n1 > 0.0 && self.n2 > 0.0 && self.n1.is_finite() && self.n2.is_finite()) {
            "n1 and n2 must be positive and finite"
        } else if !positive_df || self.statistic.is_nan() {
            "degrees_of_freedom must be positive and the statistic a number"
        } else if !((0.0..=1.0).contains(&self.p_value)
            && (self.p_value - expected_p).abs() <= 1e-9)
        {
            "p_value must lie in 0..=1 and be the two-sided p-value of the statistic"
        } else {
            return Ok(());
        };
        Err(Error::InvalidEstimate { reason: reason.to_owned() })
    }
}
