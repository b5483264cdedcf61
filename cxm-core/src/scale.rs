//! Rating scales: the range of answers, which answers count as favourable ("satisfied",
//! "easy"), and which end is better. Explicit values, validated when built, never guessed.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Largest number of points a scale may have (0–100 indexes fit).
pub const MAX_SCALE_POINTS: i64 = 1001;

/// A rating scale `min..=max` with the answers at or beyond `threshold` counted as favourable:
/// `>= threshold` when higher is better, `<= threshold` when lower is better (effort scales).
///
/// ```
/// use cxm_core::Scale;
/// let csat = Scale::csat();                 // 1–5, satisfied = 4 or 5
/// assert!(csat.is_favourable(4) && !csat.is_favourable(3));
/// let effort = Scale::new(1, 5, 2, false)?; // CES 1.0: 1–5 effort, easy = 1 or 2
/// assert!(effort.is_favourable(2) && !effort.is_favourable(3));
/// assert!(Scale::new(1, 5, 6, true).is_err());
/// # Ok::<(), cxm_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Scale {
    min: i64,
    max: i64,
    threshold: i64,
    higher_is_better: bool,
}

impl Scale {
    /// A scale `min..=max` (`min < max`, at most [`MAX_SCALE_POINTS`] points) with the favourable
    /// answers at or above (`higher_is_better`) or at or below `threshold`, which lies on it.
    ///
    /// # Errors
    /// [`Error::InvalidScale`] saying what is wrong.
    pub fn new(min: i64, max: i64, threshold: i64, higher_is_better: bool) -> Result<Scale, Error> {
        let reason = if min >= max {
            format!("the scale {min}..={max} needs min < max")
        } else if max.checked_sub(min).is_none_or(|span| span >= MAX_SCALE_POINTS) {
            format!("the scale {min}..={max} has more than {MAX_SCALE_POINTS} points")
        } else if !(min..=max).contains(&threshold) {
            format!("the threshold {threshold} is outside the scale {min}..={max}")
        } else {
            return Ok(Scale { min, max, threshold, higher_is_better });
        };
        Err(Error::InvalidScale { reason })
    }

    /// CSAT's common scale: 1–5, satisfied = 4–5 ("top-2 box").
    #[must_use]
    pub fn csat() -> Scale {
        Scale { min: 1, max: 5, threshold: 4, higher_is_better: true }
    }

    /// CES 2.0 (CEB/Gartner): "The company made it easy to handle my issue", 1–7 agreement,
    /// easy = 5–7.
    #[must_use]
    pub fn ces() -> Scale {
        Scale { min: 1, max: 7, threshold: 5, higher_is_better: true }
    }

    /// A scale whose threshold may be left to `default`'s: that threshold serves only on
    /// `default`'s own scale (its bounds and direction). On any other, which answers are
    /// favourable cannot be guessed (4 is "satisfied" on 1–5, not on 0–10), so a threshold must
    /// be given: every surface (the command line, Python, C) asks here.
    ///
    /// # Errors
    /// [`Error::MissingInput`] for no threshold off the default scale; [`Error::InvalidScale`]
    /// as [`Scale::new`].
    ///
    /// # Examples
    /// ```
    /// use cxm_core::Scale;
    /// assert_eq!(Scale::or_default(Scale::csat(), 1, 5, None, true)?, Scale::csat());
    /// let err = Scale::or_default(Scale::csat(), 0, 10, None, true).unwrap_err();
    /// assert_eq!(err.kind(), "missing_input");
    /// assert_eq!(Scale::or_default(Scale::csat(), 0, 10, Some(9), true)?.threshold(), 9);
    /// # Ok::<(), cxm_core::Error>(())
    /// ```
    pub fn or_default(
        default: Scale,
        min: i64,
        max: i64,
        threshold: Option<i64>,
        higher_is_better: bool,
    ) -> Result<Scale, Error> {
        let threshold = match threshold {
            Some(threshold) => threshold,
            None if (min, max, higher_is_better)
                == (default.min, default.max, default.higher_is_better) =>
            {
                default.threshold
            }
            None => {
                let direction = if higher_is_better { "" } else { ", lower is better" };
                return Err(Error::MissingInput {
                    what: format!(
                        "a threshold (the first favourable answer) on the scale {min}..={max}{direction}"
                    ),
                    needed_for: format!("a rating off the default scale {default}"),
                });
            }
        };
        Scale::new(min, max, threshold, higher_is_better)
    }

    /// Smallest answer.
    #[must_use]
    pub fn min(&self) -> i64 {
        self.min
    }

    /// Largest answer.
    #[must_use]
    pub fn max(&self) -> i64 {
        self.max
    }

    /// The boundary of the favourable answers (included).
    #[must_use]
    pub fn threshold(&self) -> i64 {
        self.threshold
    }

    /// Whether higher answers are better.
    #[must_use]
    pub fn higher_is_better(&self) -> bool {
        self.higher_is_better
    }

    /// Whether `answer` counts as favourable.
    #[must_use]
    pub fn is_favourable(&self, answer: i64) -> bool {
        if self.higher_is_better {
            answer >= self.threshold
        } else {
            answer <= self.threshold
        }
    }
}
impl std::fmt::Display for Scale {
    /// The range and the favourable side: `1..=5 (favourable >= 4)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let side = if self.higher_is_better { ">=" } else { "<=" };
        write!(f, "{}..={} (favourable {side} {})", self.min, self.max, self.threshold)
    }
}
