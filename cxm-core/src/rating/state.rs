//! The mergeable state of a rating (CSAT, CES): responses per point of its scale, with their
//! exact weight sums when weighted.

use super::Rating;
use crate::error::Error;
use crate::scale::Scale;
use crate::score::{Missing, Score, Tally};
use crate::segment::{tally_codes, tally_groups, GroupCount};
use crate::state::{decode, encode, Metric, ScoreState, State};

/// A running CSAT, CES or any rating on a [`Scale`]: add answers in batches, merge states from
/// other threads, processes or machines, and [`finish`](State::finish) into the [`Rating`]
/// that [`rating`](crate::rating) gives for all the answers at once, to the bit. States of
/// different scales do not merge.
///
/// Its size does not grow with the responses: a count per point of the scale (8 bytes each);
/// with weights, an exact sum per point besides (64 bytes each in memory while the weights
/// lie within some eight orders of magnitude of each other).
///
/// ```
/// use cxm_core::{rating, Missing, RatingState, Scale, ScoreState, State};
///
/// let mut monday = RatingState::new(Scale::csat());
/// monday.add(&[5_u8, 4, 2], None, Missing::Reject)?;
/// let mut tuesday = RatingState::new(Scale::csat());
/// tuesday.add(&[3_u8, 5], None, Missing::Reject)?;
/// monday.merge(&tuesday)?;
/// let all = rating(&[5_u8, 4, 2, 3, 5], None, Missing::Reject, Scale::csat())?;
/// assert_eq!(monday.finish()?, all);
/// assert!(monday.merge(&RatingState::new(Scale::ces())).is_err());
/// # Ok::<(), cxm_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingState {
    scale: Scale,
    tally: Tally,
}

impl RatingState {
    /// A state of no answers on `scale`.
    #[must_use]
    pub fn new(scale: Scale) -> RatingState {
        RatingState { scale, tally: Tally::empty(points(scale)) }
    }

    /// The state's answers and weights per scale point.
    pub(crate) fn summary(&self) -> Result<crate::score::Summary, Error> {
        self.tally.summary()
    }

    /// The scale the answers are read on.
    #[must_use]
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// The answers of `self` without those of `part`, a state merged into it.
    pub(crate) fn without(&self, part: &RatingState) -> Result<RatingState, Error> {
        if self.scale != part.scale {
            return Err(Error::IncompatibleStates { reason: "another scale".to_owned() });
        }
        Ok(RatingState { scale: self.scale, tally: self.tally.without(&part.tally)? })
    }

    /// Answers per point of the scale, from its minimum up.
    #[must_use]
    pub fn counts(&self) -> &[u64] {
        &self.tally.counts
    }
}

/// The points of a scale: at most [`crate::MAX_SCALE_POINTS`].
fn points(scale: Scale) -> usize {
    usize::try_from(scale.max() - scale.min()).map_or(0, |span| span + 1)
}

impl State for RatingState {
    type Output = Rating;
    const METRIC: Metric = Metric::Rating;

    fn merge(&mut self, other: &RatingState) -> Result<(), Error> {
        if self.scale != other.scale {
            return Err(Error::IncompatibleStates {
                reason: format!(
                    "answers on {} cannot be merged with answers on {}",
                    self.scale, other.scale
                ),
            });
        }
        self.tally.merge(&other.tally)
    }

    fn finish(&self) -> Result<Rating, Error> {
        Ok(Rating::from_summary(&self.tally.summary()?, self.scale))
    }

    fn n(&self) -> u64 {
        self.tally.n().unwrap_or(u64::MAX)
    }

    fn is_weighted(&self) -> bool {
        self.tally.sums.is_some() && !self.tally.is_empty()
    }

    fn to_bytes(&self) -> Vec<u8> {
        let s = self.scale;
        let mut parameters = Vec::with_capacity(25);
        for bound in [s.min(), s.max(), s.threshold()] {
            parameters.extend_from_slice(&bound.to_le_bytes());
        }
        parameters.push(u8::from(s.higher_is_better()));
        encode(Metric::Rating, &parameters, &self.tally)
    }

    fn from_bytes(bytes: &[u8]) -> Result<RatingState, Error> {
        let mut reader = decode(bytes, Metric::Rating)?;
        let (min, max, threshold) = (reader.i64()?, reader.i64()?, reader.i64()?);
        let higher_is_better = match reader.u8()? {
            0 => false,
            1 => true,
            other => {
                return Err(Error::InvalidState {
                    reason: format!("higher_is_better is {other}, not 0 or 1"),
                })
            }
        };
        let scale = Scale::new(min, max, threshold, higher_is_better)
            .map_err(|e| Error::InvalidState { reason: e.to_string() })?;
        Ok(RatingState { scale, tally: reader.tally(points(scale))? })
    }
}

impl RatingState {
    /// The scale's ends, and its categories: each point its own.
    pub(crate) fn categories(&self) -> ((i64, i64), Vec<usize>) {
        ((self.scale.min(), self.scale.max()), (0..points(self.scale)).collect())
    }

    /// States of this scale with the given tallies.
    fn with_tallies(&self, tallies: Vec<Tally>) -> Vec<RatingState> {
        tallies.into_iter().map(|tally| self.with_tally(tally)).collect()
    }

    /// The state of this scale with these counted answers.
    pub(crate) fn with_tally(&self, tally: Tally) -> RatingState {
        RatingState { scale: self.scale, tally }
    }
}

impl ScoreState for RatingState {
    fn add<S: Score>(
        &mut self,
        scores: &[S],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<(), Error> {
        let (scale, starts) = self.categories();
        let batch = Tally::count(scores, weights, missing, scale.0, scale.1, &starts)?;
        self.tally.merge(&batch)
    }

    fn by_group<S: Score>(
        &self,
        scores: &[S],
        weights: Option<&[f64]>,
        rows: &[u32],
        groups: usize,
        missing: Missing,
    ) -> Result<Vec<RatingState>, Error> {
        let (scale, starts) = self.categories();
        let groups = GroupCount::Known(groups);
        let tallies = tally_groups(scores, weights, rows, groups, missing, scale, &starts)?;
        Ok(self.with_tallies(tallies.into_tallies()))
    }

    fn by_code<S: Score>(
        &self,
        scores: &[S],
        weights: Option<&[f64]>,
        codes: &[u32],
        limit: usize,
        missing: Missing,
    ) -> Result<Option<Vec<Self>>, Error> {
        let (scale, starts) = self.categories();
        let tallied = tally_codes(scores, weights, codes, limit, missing, scale, &starts)?;
        Ok(tallied.map(|tallied| self.with_tallies(tallied.into_tallies())))
    }
}

crate::state::serde_as_bytes!(RatingState);
