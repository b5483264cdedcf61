//! A group's weighted tally in fixed point, for a table of many segments: when every weight of a
//! pass went to one pair of grids ([`crate::weigh::Grid`]), each cell's weight sum is a whole
//! number of the grid's unit, below 2^127 for fewer than 2^53 rows. A group's sums, the rest of
//! the data's (the whole less the group, exactly) and their rounding then cost an integer
//! operation each, where exact sums ([`crate::exact::ExactSum`]) cost a list of words. The
//! summary is the same bits as the exact sums': both round the same number once, to nearest,
//! ties to even (Rust's `i128 as f64` does, by the language's definition of numeric casts).

use crate::error::Error;
use crate::score::Summary;
use crate::small::Small;
use crate::weigh::FixedPoint;

/// The responses per category of some groups, and their weights in fixed point: per category
/// the sum of the weights, and the sum of their squares, in whole units of the weights' and the
/// squares' grids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FixedTally {
    pub counts: Small<u64>,
    pub sums: Small<i128>,
    pub squares: i128,
}

impl FixedTally {
    /// No response in `k` categories.
    pub fn empty(k: usize) -> FixedTally {
        FixedTally { counts: Small::filled(0, k), sums: Small::filled(0, k), squares: 0 }
    }

    /// Responses counted.
    pub fn n(&self) -> u64 {
        self.counts.iter().fold(0_u64, |n, &c| n.saturating_add(c))
    }

    /// Adds the responses of other groups.
    pub fn merge(&mut self, other: &FixedTally) {
        self.counts.iter_mut().zip(other.counts.iter()).for_each(|(a, b)| *a += b);
        self.sums.iter_mut().zip(other.sums.iter()).for_each(|(a, b)| *a += b);
        self.squares += other.squares;
    }

    /// These responses without those of `part`, which are among them: exact.
    ///
    /// # Errors
    /// [`Error::IncompatibleStates`] when `part` has responses this tally lacks.
    pub fn without(&self, part: &FixedTally) -> Result<FixedTally, Error> {
        let mut rest = self.clone();
        for (a, &b) in rest.counts.iter_mut().zip(part.counts.iter()) {
            *a = a.checked_sub(b).ok_or_else(|| Error::IncompatibleStates {
                reason: "the part has responses the whole lacks".to_owned(),
            })?;
        }
        rest.sums.iter_mut().zip(part.sums.iter()).for_each(|(a, b)| *a -= b);
        rest.squares -= part.squares;
        Ok(rest)
    }

    /// The summary a result is built from, as [`crate::score::Tally::summary`] gives it for
    /// the same responses and weights: each sum rounded once, then scaled by its unit (exact:
    /// units are powers of two, and sums of weights the grids hold stay among the normal
    /// doubles).
    ///
    /// # Errors
    /// As [`crate::score::Tally::summary`].
    #[allow(clippy::cast_precision_loss)] // rounding to nearest, as the exact sums do
    pub fn summary(&self, weights: FixedPoint, squares: FixedPoint) -> Result<Summary, Error> {
        let totals = self.sums.iter().map(|&s| s as f64 * weights.unit).collect();
        let total = self.sums.iter().sum::<i128>() as f64 * weights.unit;
        let squares = [0.0, self.squares as f64 * squares.unit, 0.0];
        Summary::weighed(self.counts.clone(), totals, total, squares)
    }
}
