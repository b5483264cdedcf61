//! The mergeable state of an NPS: responses per category (detractors, passives, promoters),
//! with their exact weight sums when weighted.

use super::{Nps, NPS_MAX, NPS_MIN, PASSIVE_MIN, PROMOTER_MIN};
use crate::error::Error;
use crate::score::{Missing, Score, Summary, Tally};
use crate::segment::{tally_codes, tally_groups, GroupCount};
use crate::state::{decode, encode, Metric, ScoreState, State};

/// The categories' first scores: detractors from 0, passives from 7, promoters from 9.
const STARTS: [usize; 3] = [0, PASSIVE_MIN as usize, PROMOTER_MIN as usize];
/// The scale's ends.
const SCALE: (i64, i64) = (NPS_MIN, NPS_MAX);

/// A running NPS: add scores in batches, merge states from other threads, processes or
/// machines, and [`finish`](State::finish) into the [`Nps`] that [`nps`](crate::nps) gives for
/// all the scores at once, to the bit.
///
/// Its size does not grow with the responses: three counts (24 bytes) unweighted; with
/// weights, four exact sums besides (about 300 bytes more in memory while the weights lie
/// within some eight orders of magnitude of each other; six, some 150 bytes, as bytes).
///
/// ```
/// use cxm_core::{nps, Missing, NpsState, ScoreState, State};
///
/// let (scores, weights) = ([10_u8, 6, 9, 7], [1.5, 0.5, 2.0, 1.0]);
/// let mut state = NpsState::new();
/// for (&s, &w) in scores.iter().zip(&weights) {
///     state.add_one(s, Some(w), Missing::Reject)?; // as responses arrive
/// }
/// assert_eq!(state.finish()?, nps(&scores, Some(&weights), Missing::Reject)?);
/// assert_eq!(NpsState::new().finish(), Err(cxm_core::Error::Empty));
/// # Ok::<(), cxm_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpsState {
    tally: Tally,
}

impl NpsState {
    /// A state of no responses.
    #[must_use]
    pub fn new() -> NpsState {
        NpsState { tally: Tally::empty(STARTS.len()) }
    }

    /// The responses of `self` without those of `part`, a state merged into it.
    pub(crate) fn without(&self, part: &NpsState) -> Result<NpsState, Error> {
        Ok(NpsState { tally: self.tally.without(&part.tally)? })
    }

    /// The state of these counted responses.
    pub(crate) fn of_tally(tally: Tally) -> NpsState {
        NpsState { tally }
    }

    /// The NPS of a summary of its three categories, as [`State::finish`] makes it.
    pub(crate) fn result_of(summary: &Summary) -> Nps {
        let counts = std::array::from_fn(|i| summary.counts[i]);
        Nps::build(counts, std::array::from_fn(|i| summary.weights[i]), summary.effective_n)
    }

    /// The scale's ends, and its categories' first scores.
    pub(crate) fn categories() -> ((i64, i64), &'static [usize]) {
        (SCALE, &STARTS)
    }

    /// The state's responses and weights per category (detractors, passives, promoters).
    pub(crate) fn summary(&self) -> Result<crate::score::Summary, Error> {
        self.tally.summary()
    }

    /// Responses per category: detractors, passives, promoters.
    #[must_use]
    pub fn counts(&self) -> [u64; 3] {
        let c = &self.tally.counts;
        [c[0], c[1], c[2]]
    }
}

impl Default for NpsState {
    fn default() -> NpsState {
        NpsState::new()
    }
}

impl State for NpsState {
    type Output = Nps;
    const METRIC: Metric = Metric::Nps;

    fn merge(&mut self, other: &NpsState) -> Result<(), Error> {
        self.tally.merge(&other.tally)
    }

    fn finish(&self) -> Result<Nps, Error> {
        let (counts, weights, effective_n) = self.tally.summary_of::<3>()?;
        Ok(Nps::build(counts, weights, effective_n))
    }

    fn n(&self) -> u64 {
        self.tally.n().unwrap_or(u64::MAX)
    }

    fn is_weighted(&self) -> bool {
        self.tally.sums.is_some() && !self.tally.is_empty()
    }

    fn to_bytes(&self) -> Vec<u8> {
        encode(Metric::Nps, &[], &self.tally)
    }

    fn from_bytes(bytes: &[u8]) -> Result<NpsState, Error> {
        Ok(NpsState { tally: decode(bytes, Metric::Nps)?.tally(STARTS.len())? })
    }
}

impl ScoreState for NpsState {
    fn add<S: Score>(
        &mut self,
        scores: &[S],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<(), Error> {
        let batch = Tally::count(scores, weights, missing, SCALE.0, SCALE.1, &STARTS)?;
        self.tally.merge(&batch)
    }

    fn by_group<S: Score>(
        &self,
        scores: &[S],
        weights: Option<&[f64]>,
        rows: &[u32],
        groups: usize,
        missing: Missing,
    ) -> Result<Vec<NpsState>, Error> {
        let groups = GroupCount::Known(groups);
        let tallies = tally_groups(scores, weights, rows, groups, missing, SCALE, &STARTS)?;
        Ok(tallies.into_tallies().into_iter().map(|tally| NpsState { tally }).collect())
    }

    fn by_code<S: Score>(
        &self,
        scores: &[S],
        weights: Option<&[f64]>,
        codes: &[u32],
        limit: usize,
        missing: Missing,
    ) -> Result<Option<Vec<Self>>, Error> {
        let tallied = tally_codes(scores, weights, codes, limit, missing, SCALE, &STARTS)?;
        Ok(tallied.map(|t| t.into_tallies().into_iter().map(NpsState::of_tally).collect()))
    }
}

crate::state::serde_as_bytes!(NpsState);
