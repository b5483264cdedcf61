//! CSAT and CES: the share of favourable answers on a rating scale and the mean answer, each
//! with its interval. The two metrics differ only in their [`Scale`].

mod compare;
mod state;

use serde::{Deserialize, Serialize};

pub use compare::compare_means;
pub use state::RatingState;

use crate::error::Error;
use crate::scale::Scale;
use crate::score::{Missing, Score, Summary};
use crate::state::{ScoreState, State};
use crate::stats::{close, effective_proportion_interval, student, Interval, ProportionMethod};

/// Summary of answers on a rating scale: CSAT ("how satisfied…", share of 4–5 on 1–5), CES
/// ("how easy…", share of 5–7 on 1–7), or any scale with a favourable threshold.
///
/// With weights, `share`, `mean` and `standard_deviation` are weighted and `effective_n` is
/// Kish's `(Σw)² / Σw²`, which the intervals use in place of `n`.
///
/// Fields may be added before version 1.0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    /// Responses counted (missing ones skipped are not).
    pub n: u64,
    /// Responses on the favourable side of the threshold.
    pub favourable: u64,
    /// (Weighted) share of favourable responses, 0..=1.
    pub share: f64,
    /// (Weighted) mean answer.
    pub mean: f64,
    /// (Weighted) sample standard deviation of the answers:
    /// `√(Σw(x − mean)² / Σw · n_eff/(n_eff − 1))`, the usual `n − 1` form without weights.
    /// NaN when `effective_n ≤ 1`, where it is not defined.
    pub standard_deviation: f64,
    /// Kish effective sample size; equals `n` without weights.
    pub effective_n: f64,
    /// The scale the answers were read on.
    pub scale: Scale,
}

/// Summarises answers on `scale`: the favourable share and the mean.
///
/// Scores and weights are read as for [`nps`](crate::nps): any integer type or `f32`/`f64`,
/// NaN missing under the caller's policy, bad values named with their index.
///
/// # Errors
/// As for [`nps`](crate::nps), with the scale's range in the message.
///
/// # Examples
/// ```
/// use cxm_core::{rating, Missing, ProportionMethod, Scale};
///
/// // CSAT: "How satisfied were you with your call?", 1–5.
/// let result = rating(&[5_u8, 4, 4, 3, 2, 5, 1, 4], None, Missing::Reject, Scale::csat())?;
/// assert_eq!((result.n, result.favourable), (8, 5));
/// assert_eq!(result.share, 0.625);
/// assert_eq!(result.mean, 3.5);
/// let share = result.share_interval(0.95, ProportionMethod::Wilson)?;
/// let mean = result.mean_interval(0.95)?;
/// assert!(share.contains(0.625) && mean.contains(3.5));
///
/// let err = rating(&[5_i32, 6], None, Missing::Reject, Scale::csat()).unwrap_err();
/// assert_eq!(err.to_string(), "score 6 at index 1 is outside 1..=5");
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn rating<S: Score>(
    scores: &[S],
    weights: Option<&[f64]>,
    missing: Missing,
    scale: Scale,
) -> Result<Rating, Error> {
    let mut state = RatingState::new(scale);
    state.add(scores, weights, missing)?;
    state.finish()
}

impl Rating {
    /// The rating of answers per point of `scale`.
    pub(crate) fn from_summary(tally: &Summary, scale: Scale) -> Rating {
        // The moments below are sums of weight × answer, which overflow for weights near f64::MAX
        // and lose digits for subnormal ones. Dividing by a power of two near the largest weight
        // is exact, so in the normal range the results keep every bit.
        let largest = tally.weights.iter().copied().fold(0.0, f64::max);
        let unit = if largest >= f64::MIN_POSITIVE {
            f64::from_bits(largest.to_bits() & 0x7ff0_0000_0000_0000)
        } else {
            largest
        };
        let relative: Vec<f64> = tally.weights.iter().map(|&w| w / unit).collect();
        let answers = || (scale.min()..=scale.max()).zip(tally.counts.iter().zip(&relative));
        // Answers beyond ±2^53 are not all floats: there the moments are taken about the scale's
        // minimum, whose offsets (at most 1000) are exact. Elsewhere about zero, as is usual.
        let origin =
            if scale.min() >= -(1 << 53) && scale.max() <= 1 << 53 { 0 } else { scale.min() };
        let total: f64 = relative.iter().sum();
        let mut favourable = 0;
        let mut favourable_weight = 0.0;
        let mut weighted_sum = 0.0;
        for (answer, (&count, &weight)) in answers() {
            if scale.is_favourable(answer) {
                favourable += count;
                favourable_weight += weight;
            }
            weighted_sum += weight * (answer - origin) as f64;
        }
        let centre = weighted_sum / total;
        let mean = (origin as f64 + centre).clamp(scale.min() as f64, scale.max() as f64);
        let squares: f64 = answers()
            .map(|(answer, (_, &w))| w * ((answer - origin) as f64 - centre).powi(2))
            .sum();
        let effective_n = tally.effective_n;
        let standard_deviation = if effective_n > 1.0 {
            (squares / total * effective_n / (effective_n - 1.0)).sqrt()
        } else {
            f64::NAN
        };
        Rating {
            n: tally.n(),
            favourable,
            share: favourable_weight / total,
            mean,
            standard_deviation,
            effective_n,
            scale,
        }
    }
}

impl Rating {
    /// A confidence interval for `share`, as fractions, by a proportion method (statsmodels'
    /// definitions; Wilson recommended). Computed on `share × effective_n` successes of
    /// `effective_n`, which are the raw counts without weights.
    ///
    /// # Errors
    /// [`Error::InvalidLevel`] for a level outside (0, 1).
    pub fn share_interval(&self, level: f64, method: ProportionMethod) -> Result<Interval, Error> {
        self.check()?;
        let successes = (self.share * self.effective_n).min(self.effective_n);
        effective_proportion_interval(successes, self.effective_n, level, method)
    }

    /// A Student t confidence interval for `mean`: `mean ± t(level, n_eff − 1) · sd / √n_eff`,
    /// as `scipy.stats.t.interval` gives it without weights. Not clipped to the scale.
    ///
    /// # Errors
    /// [`Error::TooFewResponses`] when `effective_n ≤ 1`; [`Error::InvalidLevel`].
    pub fn mean_interval(&self, level: f64) -> Result<Interval, Error> {
        self.check()?;
        if self.effective_n <= 1.0 {
            return Err(Error::TooFewResponses { needed: 2, effective_n: self.effective_n });
        }
        let df = self.effective_n - 1.0;
        let t = student::two_sided_critical(level, df)?;
        let half = t * self.standard_deviation / self.effective_n.sqrt();
        Interval::new(self.mean - half, self.mean + half).finite_or(df)
    }

    /// The largest standard deviation answers on the scale can have: half of them at each end
    /// gives `range/2 · √(n/(n − 1))`; this bound doubles it, to leave room for weights.
    fn largest_standard_deviation(&self) -> f64 {
        let range = (self.scale.max() - self.scale.min()) as f64;
        range * (self.effective_n / (self.effective_n - 1.0)).sqrt()
    }

    /// Whether `share` agrees with `favourable`: none favourable has no share, all favourable
    /// the whole share (weights may be 0, but not all of them); without weights (Kish's n equal
    /// to n) the share is `favourable / n`.
    fn share_follows_favourable(&self) -> bool {
        let n = self.n as f64;
        (self.favourable > 0 || self.share == 0.0)
            && (self.favourable < self.n || self.share == 1.0)
            && (!close(self.effective_n, n) || close(self.share, self.favourable as f64 / n))
    }

    /// Whether `mean` can come from answers whose favourable share is `share`: all favourable
    /// puts it on the favourable side of the threshold, none on the other; no spread puts it on
    /// one answer.
    fn mean_follows_share(&self) -> bool {
        // With the slack of `close`: beyond ±2^53 the threshold and the mean are rounded.
        let threshold = self.scale.threshold() as f64;
        let slack = 1e-9 * threshold.abs().max(1.0);
        let (at_least, at_most) = (self.mean >= threshold - slack, self.mean <= threshold + slack);
        let (favourable, other) = if self.scale.higher_is_better() {
            (at_least, self.mean <= threshold - 1.0 + slack)
        } else {
            (at_most, self.mean >= threshold + 1.0 - slack)
        };
        let sides = (self.share < 1.0 || favourable) && (self.share > 0.0 || other);
        sides && (self.standard_deviation != 0.0 || close(self.mean, self.mean.round()))
    }

    /// Refuses a hand-built result (e.g. from C) whose fields cannot be right: every field is
    /// checked, so no NaN or contradiction reaches an interval.
    ///
    /// # Errors
    /// [`Error::InvalidEstimate`] saying which fields disagree.
    pub fn check(&self) -> Result<(), Error> {
        let (min, max) = (self.scale.min() as f64, self.scale.max() as f64);
        let reason = if self.n == 0 || self.favourable > self.n {
            "n must be positive and favourable at most n"
        } else if !(0.0..=1.0).contains(&self.share) {
            "share must lie in 0..=1"
        } else if !(self.effective_n >= 1.0 - 1e-9
            && self.effective_n <= self.n as f64 * (1.0 + 1e-9))
        {
            // Kish's (Σw)²/Σw² lies between 1 and n.
            "effective_n must lie between 1 and n"
        } else if !(min..=max).contains(&self.mean) {
            "mean must lie on the scale"
        } else if self.effective_n > 1.0
            && !(self.standard_deviation >= 0.0
                && self.standard_deviation <= self.largest_standard_deviation())
        {
            "standard_deviation must be non-negative and at most the scale's range allows"
        } else if self.effective_n <= 1.0 && !self.standard_deviation.is_nan() {
            "standard_deviation must be NaN below two (effective) responses"
        } else if !self.share_follows_favourable() {
            "share must be 0 exactly when favourable is, 1 exactly when favourable is n, and \
             favourable / n without weights (effective_n = n)"
        } else if !self.mean_follows_share() {
            "mean must lie among the favourable answers when all are favourable, among the \
             others when none is, and be an answer when standard_deviation is 0"
        } else {
            return Ok(());
        };
        Err(Error::InvalidEstimate { reason: reason.to_owned() })
    }
}
