//! The interval type every confidence-interval method returns.

use serde::{Deserialize, Serialize};

/// The confidence level of every interval and test when the caller gives none, in every
/// surface.
pub const DEFAULT_LEVEL: f64 = 0.95;

/// A two-sided interval `[lower, upper]`, in the unit of the estimate it belongs to
/// (points for NPS, a fraction for shares). Laid out as its two `f64`s in this order
/// (`repr(C)`), so that a binding can hand a band over as a table without copying it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[repr(C)]
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

    /// The interval between `a` and `b`, whichever is smaller.
    pub(crate) fn sorted(a: f64, b: f64) -> Interval {
        Interval { lower: a.min(b), upper: a.max(b) }
    }

    /// The interval with both limits clipped to `[min, max]`.
    pub(crate) fn clip(self, min: f64, max: f64) -> Interval {
        Interval { lower: self.lower.clamp(min, max), upper: self.upper.clamp(min, max) }
    }

    /// The interval, or an error when a Student t interval at `df` degrees of freedom is too
    /// wide for an `f64` (df far below 1 with weights that make the effective n close to 1).
    pub(crate) fn finite_or(self, df: f64) -> Result<Interval, crate::Error> {
        self.finite_or_outside(
            "degrees of freedom",
            df,
            "large enough for an interval narrower than the largest f64",
        )
    }

    /// The interval, or the error that `quantity` = `value` is outside the `supported` range
    /// when a limit is not finite.
    pub(crate) fn finite_or_outside(
        self,
        quantity: &str,
        value: f64,
        supported: &str,
    ) -> Result<Interval, crate::Error> {
        if self.lower.is_finite() && self.upper.is_finite() {
            Ok(self)
        } else {
            Err(crate::Error::OutsideSupportedRange {
                quantity: quantity.to_owned(),
                value,
                supported: supported.to_owned(),
            })
        }
    }

    /// Both limits multiplied by `factor` (e.g. 100, from fractions to points).
    pub(crate) fn scale(self, factor: f64) -> Interval {
        Interval { lower: self.lower * factor, upper: self.upper * factor }
    }
}
