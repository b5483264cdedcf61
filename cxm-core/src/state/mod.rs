//! Mergeable states: the sufficient statistics of a metric's responses, kept so that responses
//! can arrive in batches, on threads, processes or machines, and still finish to exactly the
//! result of one call over all of them.
//!
//! A state is empty, takes responses ([`ScoreState::add`]), merges with another state of the
//! same metric ([`State::merge`]), travels as bytes ([`State::to_bytes`], the format in
//! `docs/state-format.md`) and finishes into the metric's result ([`State::finish`]). Counts
//! are integers and weights are summed exactly ([`ExactSum`](crate::ExactSum)), so any split of
//! the responses, merged in any order or tree, finishes to the same bits.

mod bytes;
pub(crate) mod serde_bytes;

pub(crate) use serde_bytes::serde_as_bytes;

pub(crate) use bytes::{decode, encode, encode_body, invalid, write_digits, Reader};

use crate::error::Error;
use crate::score::{Missing, Score};

/// The metric a state belongs to, written in its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// [`NpsState`](crate::NpsState).
    Nps,
    /// [`RatingState`](crate::RatingState): CSAT, CES or any rating on a [`Scale`](crate::Scale).
    Rating,
    /// [`DurationState`](crate::DurationState): waits, handle times, times to resolution.
    Durations,
    /// [`ContactCentreState`](crate::ContactCentreState): waits of answered and abandoned
    /// contacts.
    ContactCentre,
}

crate::options::named_options!(Metric, "state metric", [
    Nps => "nps" = 1,
    Rating => "rating" = 2,
    Durations => "durations" = 3,
    ContactCentre => "contact_centre" = 4,
]);

/// What every metric's state does; the C handles and the Python state class are written once
/// over it.
///
/// # Examples
/// ```
/// use cxm_core::{nps, Missing, NpsState, State, ScoreState};
///
/// let scores = [10_u8, 9, 8, 3, 7, 10, 0];
/// let mut left = NpsState::new();
/// left.add(&scores[..3], None, Missing::Reject)?;
/// let mut right = NpsState::new();
/// right.add(&scores[3..], None, Missing::Reject)?;
/// // Bytes, as another process would send them.
/// let right = NpsState::from_bytes(&right.to_bytes())?;
/// left.merge(&right)?;
/// assert_eq!(left.finish()?, nps(&scores, None, Missing::Reject)?);
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub trait State: Clone + PartialEq + Sized {
    /// What [`State::finish`] returns: the one-shot function's result.
    type Output: Clone;
    /// The metric, as written in the bytes.
    const METRIC: Metric;

    /// Adds the responses of `other`, a state of the same metric (and scale). On error `self`
    /// is unchanged.
    ///
    /// # Errors
    /// [`Error::IncompatibleStates`] for another scale, or weighted with unweighted responses
    /// (a state of no responses merges with either); [`Error::CountOverflow`].
    fn merge(&mut self, other: &Self) -> Result<(), Error>;

    /// The result of all responses added and merged: the same bits as the one-shot function
    /// over all of them.
    ///
    /// # Errors
    /// As the one-shot function: [`Error::Empty`] with no responses, and so on.
    fn finish(&self) -> Result<Self::Output, Error>;

    /// Responses counted so far (saturating at `u64::MAX`).
    fn n(&self) -> u64;

    /// Whether the responses were weighted (`false` while there are none).
    fn is_weighted(&self) -> bool;

    /// The state in the documented, versioned, little-endian binary format
    /// (`docs/state-format.md`): the same bytes on every machine and from every surface.
    fn to_bytes(&self) -> Vec<u8>;

    /// The state of `times` copies of these responses: what merging that many copies gives, to
    /// the bit (counts are integers, weighted sums exact), in about `log2(times)` merges. This
    /// is how a count of identical responses becomes a state, such as a row of an engine's own
    /// `groupBy(key, score).count()`.
    ///
    /// # Errors
    /// [`Error::CountOverflow`] past `u64` responses.
    ///
    /// # Examples
    /// ```
    /// use std::num::NonZeroU64;
    /// use cxm_core::{nps, Missing, NpsState, ScoreState, State};
    /// let mut nine = NpsState::new();
    /// nine.add_one(9_u8, None, Missing::Reject)?;
    /// let thousand = nine.repeated(NonZeroU64::new(1000).unwrap())?;
    /// assert_eq!(thousand.finish()?, nps(&[9_u8; 1000], None, Missing::Reject)?);
    /// # Ok::<(), cxm_core::Error>(())
    /// ```
    fn repeated(&self, times: std::num::NonZeroU64) -> Result<Self, Error> {
        // Binary powers: the copies of `power` double as the bits of `times` are read.
        let (mut times, mut power) = (times.get(), self.clone());
        let mut out: Option<Self> = None;
        loop {
            if times & 1 == 1 {
                match &mut out {
                    Some(out) => out.merge(&power)?,
                    None => out = Some(power.clone()),
                }
            }
            times >>= 1;
            if times == 0 {
                return Ok(out.unwrap_or(power));
            }
            let copy = power.clone();
            power.merge(&copy)?;
        }
    }

    /// Reads [`State::to_bytes`]' format back.
    ///
    /// # Errors
    /// [`Error::InvalidState`] for bytes that are truncated, corrupted (checksum), of another
    /// format version, metric or scale parameters that cannot be, or contents that contradict
    /// each other.
    fn from_bytes(bytes: &[u8]) -> Result<Self, Error>;
}

/// A state that takes survey scores, as the one-shot functions do.
pub trait ScoreState: State {
    /// Adds a batch of scores (any integer type or `f32`/`f64`), optionally weighted, through
    /// the same counting and weighing kernels as the one-shot functions. On error the state is
    /// unchanged. A batch whose scores are all skipped adds nothing; that is not an error.
    ///
    /// # Errors
    /// A bad score or weight, named with its index in the batch; a length mismatch;
    /// [`Error::IncompatibleStates`] for weighted scores added to unweighted ones or back.
    fn add<S: Score>(
        &mut self,
        scores: &[S],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<(), Error>;

    /// One state per group, in one pass over the scores: row `i` belongs to group `rows[i]`
    /// (below `groups`; [`Groups`](crate::Groups) numbers them from key columns). Each state
    /// has `self`'s parameters (its scale) and the responses of its group alone: the state
    /// [`ScoreState::add`] would give for that group's rows. `self` is not changed.
    ///
    /// # Errors
    /// As [`ScoreState::add`]; [`Error::InvalidGroup`] for a group number not below `groups`;
    /// [`Error::ColumnLengthMismatch`] when `rows` and `scores` differ in length.
    fn by_group<S: Score>(
        &self,
        scores: &[S],
        weights: Option<&[f64]>,
        rows: &[u32],
        groups: usize,
        missing: Missing,
    ) -> Result<Vec<Self>, Error>;

    /// One state per code of `codes`, a key column taken as it is (codes need not be dense):
    /// the states [`ScoreState::by_group`] gives with every code a group, up to the last code
    /// with a counted response. Unweighted, in one pass that sizes its table as it meets the
    /// codes, without a pass to find the largest first. `None` when a code is `limit` or more
    /// (unweighted: a code of a counted response), too sparse for a state per code: number
    /// the codes with [`Groups`](crate::Groups) instead.
    ///
    /// # Errors
    /// As [`ScoreState::by_group`], but for codes past the limit.
    ///
    /// # Examples
    /// ```
    /// use cxm_core::{Missing, NpsState, ScoreState, State};
    /// let scores = [10_u8, 9, 3, 8];
    /// let channel = [2_u32, 0, 2, 2];
    /// let states = NpsState::new().by_code(&scores, None, &channel, 100, Missing::Reject)?.unwrap();
    /// assert_eq!(states.iter().map(State::n).collect::<Vec<_>>(), [1, 0, 3]);
    /// assert!(NpsState::new().by_code(&scores, None, &channel, 2, Missing::Reject)?.is_none());
    /// # Ok::<(), cxm_core::Error>(())
    /// ```
    fn by_code<S: Score>(
        &self,
        scores: &[S],
        weights: Option<&[f64]>,
        codes: &[u32],
        limit: usize,
        missing: Missing,
    ) -> Result<Option<Vec<Self>>, Error>;

    /// Adds one response, with its weight when weighted.
    ///
    /// # Errors
    /// As [`ScoreState::add`] for a batch of one.
    fn add_one<S: Score>(
        &mut self,
        score: S,
        weight: Option<f64>,
        missing: Missing,
    ) -> Result<(), Error> {
        let weight = weight.map(|w| [w]);
        self.add(&[score], weight.as_ref().map(<[f64; 1]>::as_slice), missing)
    }
}
