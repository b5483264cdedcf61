//! Net Promoter Score: promoters (9–10) minus detractors (0–6) on the 0–10 scale, in points.

mod benchmark;
mod compare;
pub(crate) mod interval;
mod simulate;
mod state;

use serde::{Deserialize, Serialize};

pub use benchmark::nps_vs_benchmark;
pub use compare::compare_nps;
pub use interval::{NpsMethod, DEFAULT_DRAWS, DEFAULT_RESAMPLES};
pub use simulate::{DirichletPrior, MAX_SIMULATION_SIZE};
pub use state::NpsState;

use crate::error::Error;
use crate::score::{Missing, Score};
use crate::state::{ScoreState, State};
use crate::stats::{close, Interval};

/// Lowest score on the NPS question ("How likely are you to recommend …?").
pub const NPS_MIN: i64 = 0;
/// Highest score on the NPS question.
pub const NPS_MAX: i64 = 10;
/// Lowest score of a passive; below it, a detractor.
pub const PASSIVE_MIN: u8 = 7;
/// Lowest score of a promoter.
pub const PROMOTER_MIN: u8 = 9;

/// A Net Promoter Score with what is needed to judge it.
///
/// Shares are fractions in `[0, 1]`; `score` and `standard_error` are in points
/// (`score = 100 × (promoter_share − detractor_share)`, in −100..=100). With weights, the shares
/// are weighted and `effective_n` is Kish's effective sample size `(Σw)² / Σw²`, which the
/// standard error and every interval use in place of `n`; without weights `effective_n == n`.
///
/// Fields may be added before version 1.0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Nps {
    /// Responses scored (missing ones skipped are not counted).
    pub n: u64,
    /// Responses scoring 9–10.
    pub promoters: u64,
    /// Responses scoring 7–8.
    pub passives: u64,
    /// Responses scoring 0–6.
    pub detractors: u64,
    /// (Weighted) share of promoters.
    pub promoter_share: f64,
    /// (Weighted) share of passives.
    pub passive_share: f64,
    /// (Weighted) share of detractors.
    pub detractor_share: f64,
    /// The NPS in points, −100..=100.
    pub score: f64,
    /// Standard error of `score`, in points: `100 × √((p_P + p_D − (p_P − p_D)²) / effective_n)`.
    pub standard_error: f64,
    /// Kish effective sample size; equals `n` without weights.
    pub effective_n: f64,
}

/// Computes the NPS of 0–10 scores, optionally weighted.
///
/// `scores` may be any integer type or `f32`/`f64` (NaN is missing; other values must be whole).
/// `weights`, when given, has one finite, non-negative weight per score (the weight of a missing
/// score skipped under [`Missing::Skip`] is not read).
///
/// # Errors
/// A score outside 0..=10 or not whole, a missing score under [`Missing::Reject`], a bad weight
/// or a length mismatch, and an empty result are all [`Error`]s that name the value and index.
///
/// # Examples
/// ```
/// use cxm_core::{nps, Missing, NpsMethod};
///
/// let result = nps(&[10_u8, 9, 8, 7, 6, 0], None, Missing::Reject)?;
/// assert_eq!(result.promoters, 2);
/// assert_eq!(result.score, 0.0);
/// let ci = result.confidence_interval(0.95, NpsMethod::Score)?;
/// assert!(ci.lower < 0.0 && ci.upper > 0.0);
///
/// let err = nps(&[9_i32, 8, 11], None, Missing::Reject).unwrap_err();
/// assert_eq!(err.to_string(), "score 11 at index 2 is outside 0..=10");
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn nps<S: Score>(
    scores: &[S],
    weights: Option<&[f64]>,
    missing: Missing,
) -> Result<Nps, Error> {
    let mut state = NpsState::new();
    state.add(scores, weights, missing)?;
    state.finish()
}

impl Nps {
    /// An NPS from counts already tallied.
    ///
    /// # Errors
    /// [`Error::Empty`] when all three are zero; [`Error::CountOverflow`] when they sum past
    /// `u64::MAX`.
    ///
    /// # Examples
    /// ```
    /// // Rocks (2016)'s R package: 20 detractors, 30 passives, 50 promoters → NPS 30.
    /// let result = cxm_core::Nps::from_counts(50, 30, 20)?;
    /// assert_eq!(result.score, 30.0);
    /// assert_eq!(cxm_core::Nps::from_counts(0, 0, 0), Err(cxm_core::Error::Empty));
    /// # Ok::<(), cxm_core::Error>(())
    /// ```
    pub fn from_counts(promoters: u64, passives: u64, detractors: u64) -> Result<Nps, Error> {
        let n = promoters
            .checked_add(passives)
            .and_then(|s| s.checked_add(detractors))
            .ok_or(Error::CountOverflow)?;
        if n == 0 {
            return Err(Error::Empty);
        }
        let counts = [detractors, passives, promoters];
        Ok(Nps::build(counts, counts.map(|c| c as f64), n as f64))
    }

    /// Assembles the result from per-category counts and weights (detractors, passives,
    /// promoters) and the effective sample size.
    pub(crate) fn build(counts: [u64; 3], weights: [f64; 3], effective_n: f64) -> Nps {
        let total: f64 = weights.iter().sum();
        let [detractor_share, passive_share, promoter_share] = weights.map(|w| w / total);
        let [detractors, passives, promoters] = counts;
        let difference = promoter_share - detractor_share;
        let variance = multinomial_variance(promoter_share, detractor_share) / effective_n;
        Nps {
            n: detractors + passives + promoters,
            promoters,
            passives,
            detractors,
            promoter_share,
            passive_share,
            detractor_share,
            score: 100.0 * difference,
            standard_error: 100.0 * variance.sqrt(),
            effective_n,
        }
    }

    /// A two-sided confidence interval for the score, in points, clipped to −100..=100.
    ///
    /// `level` is the coverage, in the open interval (0, 1). See [`NpsMethod`] for the
    /// methods and which to prefer.
    ///
    /// # Errors
    /// [`Error::InvalidLevel`] for a level outside (0, 1).
    ///
    /// # Examples
    /// ```
    /// use cxm_core::{Nps, NpsMethod};
    /// let result = Nps::from_counts(50, 30, 20)?;
    /// let ci = result.confidence_interval(0.95, NpsMethod::AdjustedWald)?;
    /// // Rocks' R package NPS gives (0.1405113018, 0.4420129701) as fractions.
    /// assert!((ci.lower - 14.05113018).abs() < 1e-8 && (ci.upper - 44.20129701).abs() < 1e-8);
    /// # Ok::<(), cxm_core::Error>(())
    /// ```
    pub fn confidence_interval(&self, level: f64, method: NpsMethod) -> Result<Interval, Error> {
        self.check()?;
        let interval =
            method.interval(self.promoter_share, self.detractor_share, self.effective_n, level)?;
        Ok(interval.clip(-1.0, 1.0).scale(100.0))
    }
}

impl Nps {
    /// Refuses a hand-built result (e.g. from C) whose fields cannot be right: every field is
    /// checked, so no NaN or contradiction reaches an interval or a comparison.
    ///
    /// # Errors
    /// [`Error::InvalidEstimate`] saying which fields disagree.
    pub fn check(&self) -> Result<(), Error> {
        let share_ok = |s: f64| (0.0..=1.0).contains(&s);
        let counted =
            self.promoters.checked_add(self.passives).and_then(|s| s.checked_add(self.detractors));
        let shares = [self.promoter_share, self.passive_share, self.detractor_share];
        let reason = if self.n == 0 || counted != Some(self.n) {
            "n must be positive and equal promoters + passives + detractors"
        } else if !shares.into_iter().all(share_ok) {
            "shares must lie in 0..=1"
        } else if (shares.iter().sum::<f64>() - 1.0).abs() > 1e-9 {
            "shares must sum to 1"
        } else if !(self.effective_n >= 1.0 - 1e-9
            && self.effective_n <= self.n as f64 * (1.0 + 1e-9))
        {
            // Kish's (Σw)²/Σw² lies between 1 and n.
            "effective_n must lie between 1 and n"
        } else if (self.score - 100.0 * (self.promoter_share - self.detractor_share)).abs().is_nan()
            || (self.score - 100.0 * (self.promoter_share - self.detractor_share)).abs() > 1e-9
        {
            "score must be 100 × (promoter_share − detractor_share)"
        } else if !self.shares_follow_counts() {
            "a category's share must be 0 exactly when its count is (weights may be 0), and \
             count / n without weights (effective_n = n)"
        } else if !close(
            self.standard_error,
            100.0
                * wald_standard_error(self.promoter_share, self.detractor_share, self.effective_n),
        ) {
            "standard_error must be the Wald standard error of the shares at effective_n"
        } else {
            return Ok(());
        };
        Err(Error::InvalidEstimate { reason: reason.to_owned() })
    }
}

impl Nps {
    /// Whether each share agrees with its count: a category with no responses has no share, and
    /// one with a share has responses; without weights (Kish's n equal to n, all weights equal)
    /// each share is the count over n.
    fn shares_follow_counts(&self) -> bool {
        let pairs = [
            (self.promoters, self.promoter_share),
            (self.passives, self.passive_share),
            (self.detractors, self.detractor_share),
        ];
        let unweighted = close(self.effective_n, self.n as f64);
        pairs.iter().all(|&(count, share)| {
            (count > 0 || share == 0.0)
                && (!unweighted || close(share, count as f64 / self.n as f64))
        })
    }
}

/// The Wald standard error of `p − d` (fractions) from `n` responses: `√(variance / n)`.
pub(crate) fn wald_standard_error(p: f64, d: f64, n: f64) -> f64 {
    (multinomial_variance(p, d) / n).sqrt()
}

/// Per-respondent variance of the promoter-minus-detractor indicator (values +1, 0, −1):
/// `p_P + p_D − (p_P − p_D)²`, never below zero.
pub(crate) fn multinomial_variance(promoter_share: f64, detractor_share: f64) -> f64 {
    let difference = promoter_share - detractor_share;
    (promoter_share + detractor_share - difference * difference).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The R package NPS (Rocks), tests/testthat: counts ordered (detractors, passives, promoters),
    // NPS as a fraction. NPS(1,2,3) = 1/3; NPS(1,0,0) = −1; variance (1,2,3) = 5/9,
    // (1,0,1) = 1, (0,1,1) = 0.25, (1,1,1) = 2/3, one category = 0; SE(1,2,3) ≈ 0.304,
    // SE(1,0,1) ≈ 0.707.
    fn from_dpp(d: u64, pas: u64, p: u64) -> Nps {
        Nps::from_counts(p, pas, d).unwrap()
    }

    #[test]
    fn r_package_point_estimates_and_variances() {
        assert!((from_dpp(1, 2, 3).score - 100.0 / 3.0).abs() < 1e-12);
        assert_eq!(from_dpp(1, 0, 0).score, -100.0);
        let variance = |x: Nps| multinomial_variance(x.promoter_share, x.detractor_share);
        assert!((variance(from_dpp(1, 2, 3)) - 5.0 / 9.0).abs() < 1e-15);
        assert!((variance(from_dpp(1, 0, 1)) - 1.0).abs() < 1e-15);
        assert!((variance(from_dpp(0, 1, 1)) - 0.25).abs() < 1e-15);
        assert!((variance(from_dpp(1, 1, 1)) - 2.0 / 3.0).abs() < 1e-15);
        assert_eq!(variance(from_dpp(0, 0, 7)), 0.0);
        assert_eq!(variance(from_dpp(0, 7, 0)), 0.0);
        assert!((from_dpp(1, 2, 3).standard_error - 30.4).abs() < 0.05);
        assert!((from_dpp(1, 0, 1).standard_error - 70.7).abs() < 0.05);
    }

    #[test]
    fn scores_and_counts_agree() {
        let scores: Vec<u8> = (0..=10).collect();
        let from_scores = nps(&scores, None, Missing::Reject).unwrap();
        assert_eq!(from_scores, Nps::from_counts(2, 2, 7).unwrap());
        let floats: Vec<f64> = scores.iter().map(|&s| f64::from(s)).collect();
        assert_eq!(nps(&floats, None, Missing::Reject).unwrap(), from_scores);
    }

    #[test]
    fn equal_weights_change_nothing_but_unequal_ones_do() {
        let scores = [10_u8, 9, 3, 7, 0, 9];
        let plain = nps(&scores, None, Missing::Reject).unwrap();
        let equal = nps(&scores, Some(&[2.5; 6]), Missing::Reject).unwrap();
        assert!((plain.score - equal.score).abs() < 1e-12);
        assert!((equal.effective_n - 6.0).abs() < 1e-12);
        let tilted = nps(&scores, Some(&[3.0, 1.0, 1.0, 1.0, 1.0, 1.0]), Missing::Reject).unwrap();
        // (3 + 1 + 1 − 1 − 1) / 8 = 3/8; Kish n = 8² / 14.
        assert!((tilted.score - 37.5).abs() < 1e-12);
        assert!((tilted.effective_n - 64.0 / 14.0).abs() < 1e-12);
    }

    #[test]
    fn skipping_missing_scores() {
        let result = nps(&[9.0, f64::NAN, 3.0], None, Missing::Skip).unwrap();
        assert_eq!((result.n, result.score), (2, 0.0));
        assert_eq!(
            nps(&[9.0, f64::NAN], None, Missing::Reject),
            Err(Error::MissingScore { index: 1 })
        );
    }

    #[test]
    fn hand_built_nonsense_is_refused() {
        let good = Nps::from_counts(5, 3, 2).unwrap();
        for bad in [
            Nps { promoter_share: f64::NAN, ..good },
            Nps { detractor_share: -0.1, ..good },
            Nps { promoter_share: 0.8, detractor_share: 0.8, ..good },
            Nps { effective_n: 0.0, ..good },
            Nps { effective_n: f64::INFINITY, ..good },
        ] {
            let err = bad.confidence_interval(0.95, NpsMethod::Wald).unwrap_err();
            assert!(matches!(err, Error::InvalidEstimate { .. }), "{bad:?}");
        }
    }

    #[test]
    fn count_overflow_is_an_error() {
        assert_eq!(Nps::from_counts(u64::MAX, 1, 0), Err(Error::CountOverflow));
    }
}
