//! The interval type every confidence-interval method returns.

use serde::{Deserialize, Serialize};

/// A two-sided interval `[lower, upper]`, in the unit of the estimate it belongs to
/// (points for NPS, a fraction for shares).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower limit.
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
}

impl Interval {
    /// The interval `[lower, upper]`.
    ///
    /// ```
    /// let i = cxm_core::Interval::new(10.0, 30.0);
    /// assert_eq!(i.width(), 20.0);
    /// assert!(i.contains(20.0));
    /// ```
    #[must_use]
    pub fn new(lower: f64, upper: f64) -> Interval {
        Interval { lower, upper }
    }

    /// `upper - lower`.
    #[must_use]
    pub fn width(&self) -> f64 {
        self.upper - self.lower
    }

    /// Whether `x` lies in the closed interval.
    #[must_use]
    pub fn contains(&self, x: f64) -> bool {
        self.lower <= x && x <= self.upper
    }

    /// The interval with both limits clipped to `[min, max]`.
    pub(crate) fn clip(self, min: f64, max: f64) -> Interval {
        Interval { lower: self.lower.clamp(min, max), upper: self.upper.clamp(min, max) }
    }

    /// Both limits multiplied by `factor` (e.g. 100, from fractions to points).
    pub(crate) fn scale(self, factor: f64) -> Interval {
        Interval { lower: self.lower * factor, upper: self.upper * factor }
    }
}
