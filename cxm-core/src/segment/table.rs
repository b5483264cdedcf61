//! The table of segments: each group's estimate, standard error and interval, each against the
//! rest of the data (or the overall figure, or a baseline group) with its p-value adjusted for
//! the number of comparisons, small or degenerate groups flagged.

use std::borrow::Borrow;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::nps::{compare_nps, Nps, NpsMethod, NpsState};
use crate::rating::{Rating, RatingState};
use crate::score::{Missing, Score, Summary, Tally};
use crate::segment::fixed::FixedTally;
use crate::segment::groups::code_limit;
use crate::segment::tally_codes;
use crate::state::{ScoreState, State};
use crate::stats::{
    adjust_p_values, compare_effective_proportions, Adjustment, Comparison, Interval,
    ProportionMethod, DEFAULT_LEVEL,
};

/// Segments with fewer responses than this are flagged `small` unless the caller says
/// otherwise: the usual rule of thumb below which a normal interval is not trusted.
pub const DEFAULT_MIN_N: u64 = 30;

/// Tables of this many segments compute their rows on two threads.
const PARALLEL_FROM_SEGMENTS: usize = 4096;

/// What each segment is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    /// Every other response: the segment against the rest of the data (independent samples).
    Rest,
    /// The overall figure, which includes the segment (the test is then conservative: the two
    /// samples overlap).
    Overall,
    /// One segment, by its group number: every other segment against it.
    Baseline(usize),
}

impl Compare {
    /// The default: each segment against the rest.
    pub const DEFAULT: Compare = Compare::Rest;

    /// The name surfaces spell it with: `rest`, `overall` or `baseline`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Compare::Rest => "rest",
            Compare::Overall => "overall",
            Compare::Baseline(_) => "baseline",
        }
    }
}

/// How the table is built.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SegmentOptions {
    /// The confidence level of every interval and comparison.
    pub level: f64,
    /// What each segment is compared with.
    pub compare: Compare,
    /// How the p-values of the comparisons are adjusted for their number.
    pub adjustment: Adjustment,
    /// Segments with fewer responses are flagged `small`.
    pub min_n: u64,
}

impl Default for SegmentOptions {
    fn default() -> SegmentOptions {
        SegmentOptions {
            level: DEFAULT_LEVEL,
            compare: Compare::DEFAULT,
            adjustment: Adjustment::DEFAULT,
            min_n: DEFAULT_MIN_N,
        }
    }
}

/// One row of a [`SegmentTable`]: a group's figure and its comparison.
///
/// Values that cannot be computed for the group (e.g. its weights sum to zero, or there is no
/// rest to compare with) are NaN, with the reason in `note`; such a group is `small`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentRow {
    /// The group number (an index into [`crate::Groups::keys`]); `None` for the overall row.
    pub group: Option<usize>,
    /// Responses in the group.
    pub n: u64,
    /// Kish's effective sample size (`n` without weights).
    pub effective_n: f64,
    /// The estimate: the NPS in points, or the favourable share of a rating (a fraction).
    pub estimate: f64,
    /// Its standard error, in the same unit.
    pub standard_error: f64,
    /// The interval's limits at the table's level.
    pub lower: f64,
    /// See `lower`.
    pub upper: f64,
    /// The group minus what it is compared with, in the estimate's unit.
    pub difference: f64,
    /// The two-sided p-value of that comparison.
    pub p_value: f64,
    /// The p-value adjusted for the number of comparisons in the table.
    pub p_adjusted: f64,
    /// Too few responses (below `min_n`), or an interval or comparison that degenerates
    /// (standard error 0, an interval that does not hold the estimate, or none at all).
    pub small: bool,
    /// Why values are missing or the group is flagged, for a person to read.
    pub note: Option<String>,
}

/// Segments of one metric with their comparisons, as [`segment_table`] builds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentTable {
    /// One row per group with responses, in group order.
    pub rows: Vec<SegmentRow>,
    /// All responses together.
    pub overall: SegmentRow,
    /// How the table was built.
    pub options: SegmentOptions,
}

/// A state whose result has an estimate, an interval and a two-sample comparison: what a
/// [`SegmentTable`] needs of a metric.
/// States, results and methods are plain data that threads share (a large table is built on
/// two).
pub trait Segmented: ScoreState<Output: Sync> + Send + Sync {
    /// The interval method.
    type Method: Copy + Send + Sync;

    /// The estimate, its standard error and interval, and the effective n of a result.
    ///
    /// # Errors
    /// As the result's interval.
    fn estimate(result: &Self::Output, level: f64, method: Self::Method) -> Result<Figure, Error>;

    /// The comparison of two results (`a − b`).
    ///
    /// # Errors
    /// As the metric's comparison.
    fn compare(
        a: &Self::Output,
        b: &Self::Output,
        level: f64,
        method: Self::Method,
    ) -> Result<Comparison, Error>;

    /// The responses of `self` without those of `part`, a state merged into it: the rest of
    /// the data for a segment.
    ///
    /// # Errors
    /// [`Error::IncompatibleStates`] when `part` is not part of `self`.
    fn without(&self, part: &Self) -> Result<Self, Error>;

    /// The table of the groups of one column of codes, with the codes of its rows' groups (row
    /// `group` `i` is code `codes[i]`): the same bits as [`states_by_keys`](crate::states_by_keys) of that column,
    /// then [`segment_table_within`] of its states and their merge, but from one table of
    /// counts, each group's state cut from it as its row is made. `self` gives the parameters
    /// (its scale), not responses. `None` when the codes are too sparse for a table by code
    /// ([`states_by_keys`](crate::states_by_keys) then numbers them).
    ///
    /// # Errors
    /// As [`ScoreState::by_code`] and [`segment_table_within`].
    ///
    /// # Examples
    /// ```
    /// use cxm_core::{Missing, NpsMethod, NpsState, SegmentOptions, Segmented};
    /// let scores = [10_u8, 9, 3, 8, 10, 0, 6, 9];
    /// let region = [4_u32, 4, 4, 1, 1, 1, 7, 7];
    /// let options = SegmentOptions::default();
    /// let method = NpsMethod::AdjustedWald;
    /// let by_code = NpsState::new().table_by_code(&scores, None, &region, Missing::Reject, &options, method)?;
    /// let (codes, table) = by_code.expect("few codes");
    /// assert_eq!(codes, [1, 4, 7]);
    /// assert_eq!(table.overall.n, 8);
    /// assert_eq!(table.rows[1].n, 3); // code 4
    /// # Ok::<(), cxm_core::Error>(())
    /// ```
    #[allow(clippy::type_complexity)] // the codes and their table
    fn table_by_code<S: Score>(
        &self,
        scores: &[S],
        weights: Option<&[f64]>,
        codes: &[u32],
        missing: Missing,
        options: &SegmentOptions,
        method: Self::Method,
    ) -> Result<Option<(Vec<u32>, SegmentTable)>, Error>;
}

/// A result's figure, as a row shows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// Responses.
    pub n: u64,
    /// Kish's effective sample size.
    pub effective_n: f64,
    /// The estimate.
    pub estimate: f64,
    /// Its standard error.
    pub standard_error: f64,
    /// Its interval.
    pub interval: Interval,
}

impl Segmented for NpsState {
    type Method = NpsMethod;

    fn estimate(nps: &Nps, level: f64, method: NpsMethod) -> Result<Figure, Error> {
        Ok(Figure {
            n: nps.n,
            effective_n: nps.effective_n,
            estimate: nps.score,
            standard_error: nps.standard_error,
            interval: nps.confidence_interval(level, method)?,
        })
    }

    fn compare(a: &Nps, b: &Nps, level: f64, method: NpsMethod) -> Result<Comparison, Error> {
        // Comparisons take the closed-form methods that have one; others use the default.
        let method = match method {
            NpsMethod::Wald | NpsMethod::AdjustedWald => method,
            _ => NpsMethod::default(),
        };
        compare_nps(a, b, level, method)
    }

    fn without(&self, part: &NpsState) -> Result<NpsState, Error> {
        NpsState::without(self, part)
    }

    fn table_by_code<S: Score>(
        &self,
        scores: &[S],
        weights: Option<&[f64]>,
        codes: &[u32],
        missing: Missing,
        options: &SegmentOptions,
        method: NpsMethod,
    ) -> Result<Option<(Vec<u32>, SegmentTable)>, Error> {
        let column = (scores, weights, codes, missing);
        let metric = (NpsState::of_tally, NpsState::result_of);
        table_of_codes(column, NpsState::categories(), metric, options, method)
    }
}

impl Segmented for RatingState {
    type Method = ProportionMethod;

    fn estimate(rating: &Rating, level: f64, method: ProportionMethod) -> Result<Figure, Error> {
        let p = rating.share;
        Ok(Figure {
            n: rating.n,
            effective_n: rating.effective_n,
            estimate: p,
            standard_error: (p * (1.0 - p) / rating.effective_n).sqrt(),
            interval: rating.share_interval(level, method)?,
        })
    }

    fn compare(
        a: &Rating,
        b: &Rating,
        level: f64,
        _method: ProportionMethod,
    ) -> Result<Comparison, Error> {
        // Unweighted, the favourable count of n; weighted, the share of Kish's effective n,
        // which is not a whole number (nor, in floating point, is share · n ever exactly one).
        let counts = |r: &Rating| {
            #[allow(clippy::cast_precision_loss)] // counts below 2^53
            let n = r.n as f64;
            if r.effective_n == n {
                (r.favourable as f64, n)
            } else {
                ((r.share * r.effective_n).min(r.effective_n), r.effective_n)
            }
        };
        let ((s1, n1), (s2, n2)) = (counts(a), counts(b));
        compare_effective_proportions(s1, n1, s2, n2, level)
    }

    fn without(&self, part: &RatingState) -> Result<RatingState, Error> {
        RatingState::without(self, part)
    }

    fn table_by_code<S: Score>(
        &self,
        scores: &[S],
        weights: Option<&[f64]>,
        codes: &[u32],
        missing: Missing,
        options: &SegmentOptions,
        method: ProportionMethod,
    ) -> Result<Option<(Vec<u32>, SegmentTable)>, Error> {
        let ((scale, starts), state) = (self.categories(), |tally| self.with_tally(tally));
        let finish = |summary: &Summary| Rating::from_summary(summary, self.scale());
        let column = (scores, weights, codes, missing);
        table_of_codes(column, (scale, &starts), (state, finish), options, method)
    }
}

/// A column of scores, their weights, their codes, and what to do with a missing score.
type CodedColumn<'a, S> = (&'a [S], Option<&'a [f64]>, &'a [u32], Missing);

/// [`Segmented::table_by_code`] of a metric of these categories (the scale's ends, and each
/// category's first point, as [`Tally::count`] takes them), whose state of a tally is
/// `state(tally)`: one pass over the column, then each group with responses cut from its
/// counts as its row is made.
///
/// When every weight went to one pair of grids, each group's weights are cut in fixed point
/// ([`FixedTally`]) and finished as `finish` finishes a state's summary: the same bits as its
/// state's, at an integer operation per sum.
fn table_of_codes<T: Segmented, S: Score>(
    (scores, weights, codes, missing): CodedColumn<'_, S>,
    (scale, starts): ((i64, i64), &[usize]),
    (state, finish): (impl Fn(Tally) -> T + Sync, impl Fn(&Summary) -> T::Output + Sync),
    options: &SegmentOptions,
    method: T::Method,
) -> Result<Option<(Vec<u32>, SegmentTable)>, Error> {
    let limit = code_limit(codes.len());
    let Some(tallied) = tally_codes(scores, weights, codes, limit, missing, scale, starts)? else {
        return Ok(None);
    };
    let codes: Vec<u32> = (0..tallied.groups())
        .filter(|&g| tallied.has_responses(g))
        .filter_map(|g| u32::try_from(g).ok()) // a pass's groups are u32 codes
        .collect();
    let table = if let Some(cells) = tallied.fixed() {
        let (all, (weights, squares)) = (cells.total(), cells.points);
        let finish = |tally: &FixedTally| tally.summary(weights, squares).map(|s| finish(&s));
        let part = |tally| FixedPart { tally, all: &all, finish: &finish };
        let of_row = |i: usize| part(cells.tally(codes[i] as usize));
        table_of::<T, _>(codes.len(), of_row, &part(all.clone()), options, method)?
    } else {
        let all = state(tallied.total()?);
        let of_row =
            |i: usize| Within { state: state(tallied.tally(codes[i] as usize)), all: &all };
        table_of(codes.len(), of_row, &Within { state: all.clone(), all: &all }, options, method)?
    };
    Ok(Some((codes, table)))
}

/// What a table's row needs of its segment, whatever holds its responses.
pub(crate) trait Part<T: Segmented> {
    /// Responses in the segment.
    fn n(&self) -> u64;

    /// The segment's result.
    ///
    /// # Errors
    /// As [`State::finish`].
    fn finish(&self) -> Result<T::Output, Error>;

    /// The result of every response outside the segment: `None` when there is none, an error
    /// when the segment is not part of the whole or the rest does not finish.
    fn rest(&self) -> Option<Result<T::Output, Error>>;
}

/// A segment's state, within the state of all responses.
struct Within<'a, T, S> {
    state: S,
    all: &'a T,
}

impl<T: Segmented, S: Borrow<T>> Part<T> for Within<'_, T, S> {
    fn n(&self) -> u64 {
        self.state.borrow().n()
    }

    fn finish(&self) -> Result<T::Output, Error> {
        self.state.borrow().finish()
    }

    fn rest(&self) -> Option<Result<T::Output, Error>> {
        match self.all.without(self.state.borrow()) {
            Ok(rest) if rest.n() == 0 => None,
            rest => Some(rest.and_then(|rest| rest.finish())),
        }
    }
}

/// A segment's tally in fixed point, within the tally of all responses, finished by `finish`.
struct FixedPart<'a, F> {
    tally: FixedTally,
    all: &'a FixedTally,
    finish: &'a F,
}

impl<T, F> Part<T> for FixedPart<'_, F>
where
    T: Segmented,
    F: Fn(&FixedTally) -> Result<T::Output, Error>,
{
    fn n(&self) -> u64 {
        self.tally.n()
    }

    fn finish(&self) -> Result<T::Output, Error> {
        (self.finish)(&self.tally)
    }

    fn rest(&self) -> Option<Result<T::Output, Error>> {
        match self.all.without(&self.tally) {
            Ok(rest) if rest.n() == 0 => None,
            rest => Some(rest.and_then(|rest| (self.finish)(&rest))),
        }
    }
}

/// A row with the group's figure, or NaNs and the reason.
fn row<T: Segmented>(
    group: Option<usize>,
    part: &impl Part<T>,
    options: &SegmentOptions,
    method: T::Method,
) -> (SegmentRow, Option<T::Output>) {
    let result = part.finish();
    let figure =
        result.as_ref().map_err(Clone::clone).and_then(|r| T::estimate(r, options.level, method));
    let nan = f64::NAN;
    let mut row = SegmentRow {
        group,
        n: part.n(),
        effective_n: nan,
        estimate: nan,
        standard_error: nan,
        lower: nan,
        upper: nan,
        difference: nan,
        p_value: nan,
        p_adjusted: nan,
        small: true,
        note: None,
    };
    match figure {
        Ok(f) => {
            row.effective_n = f.effective_n;
            row.estimate = f.estimate;
            row.standard_error = f.standard_error;
            row.lower = f.interval.lower;
            row.upper = f.interval.upper;
            row.small = false;
            if f.n < options.min_n {
                flag(&mut row, &format!("fewer than {} responses", options.min_n));
            }
            if f.standard_error == 0.0 {
                flag(&mut row, "standard error 0: every response in one category");
            } else if !f.interval.contains(f.estimate) {
                flag(&mut row, "the interval does not hold the estimate");
            }
        }
        Err(e) => flag(&mut row, &e.to_string()),
    }
    (row, result.ok())
}

/// Flags `row` as small, saying why.
fn flag(row: &mut SegmentRow, why: &str) {
    row.small = true;
    remark(row, why);
}

/// Adds `why` to the row's note, without flagging it.
fn remark(row: &mut SegmentRow, why: &str) {
    row.note = Some(match row.note.take() {
        Some(before) => format!("{before}; {why}"),
        None => why.to_owned(),
    });
}

/// The table of `states` (one per group, as [`ScoreState::by_group`] gives them; groups with
/// no responses get no row), each against what `options.compare` says, p-values adjusted over
/// the comparisons made. The overall row merges every state: the same bits as one call over all
/// responses.
///
/// # Errors
/// [`Error::Empty`] for no states; [`Error::IncompatibleStates`] for states that do not merge;
/// [`Error::MissingInput`] for a baseline group that does not exist or has no responses.
///
/// # Examples
/// ```
/// use cxm_core::{segment_table, Groups, Missing, NpsMethod, NpsState, ScoreState, SegmentOptions};
/// let scores = [10_u8, 9, 3, 8, 10, 0, 6, 9];
/// let region = [0_u32, 0, 0, 1, 1, 1, 2, 2];
/// let groups = Groups::new(&[&region])?;
/// let states = NpsState::new().by_group(&scores, None, groups.rows(), groups.len(), Missing::Reject)?;
/// let table = segment_table(&states, &SegmentOptions::default(), NpsMethod::AdjustedWald)?;
/// assert_eq!(table.rows.len(), 3);
/// assert_eq!(table.overall.n, 8);
/// assert!(table.rows.iter().all(|r| r.small)); // fewer than 30 responses each
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn segment_table<T: Segmented>(
    states: &[T],
    options: &SegmentOptions,
    method: T::Method,
) -> Result<SegmentTable, Error> {
    let Some(first) = states.first() else {
        return Err(Error::Empty);
    };
    segment_table_within(states, &merged(first, &states[1..])?, options, method)
}

/// `first` with every one of `states` merged into it: a table's overall state. Many states are
/// merged in two halves on two threads, and the halves then together; merges are exact, so
/// that changes no bit.
///
/// # Errors
/// [`Error::IncompatibleStates`] for states that do not merge; [`Error::CountOverflow`].
///
/// # Examples
/// ```
/// use cxm_core::{merged, Missing, NpsState, ScoreState, State};
/// let (mut a, mut b) = (NpsState::new(), NpsState::new());
/// a.add(&[10_u8, 9], None, Missing::Reject)?;
/// b.add(&[3_u8], None, Missing::Reject)?;
/// assert_eq!(merged(&NpsState::new(), &[a, b])?.n(), 3);
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn merged<T: State + Send + Sync>(first: &T, states: &[T]) -> Result<T, Error> {
    let fold = |mut all: T, states: &[T]| -> Result<T, Error> {
        for state in states {
            all.merge(state)?;
        }
        Ok(all)
    };
    if states.len() < PARALLEL_FROM_SEGMENTS {
        return fold(first.clone(), states);
    }
    let (left, right) = states.split_at(states.len() / 2);
    let (left, right) = crate::parallel::join(
        || fold(first.clone(), left),
        || right.split_first().map(|(head, rest)| fold(head.clone(), rest)),
    );
    let mut all = left?;
    if let Some(right) = right {
        all.merge(&right?)?;
    }
    Ok(all)
}

/// [`segment_table`] of `states` that are parts of `all` but need not add up to it (trailing
/// windows of periods overlap): the overall row is `all`, and each segment's rest is `all`
/// without it.
///
/// # Errors
/// As [`segment_table`]; [`Error::IncompatibleStates`] for a state that is not part of `all`.
pub fn segment_table_within<T: Segmented>(
    states: &[T],
    all: &T,
    options: &SegmentOptions,
    method: T::Method,
) -> Result<SegmentTable, Error> {
    let within = |g: usize| Within { state: &states[g], all };
    table_of(states.len(), within, &Within { state: all, all }, options, method)
}

/// [`segment_table_within`] of `len` segments, each made when its row is (`part(g)`: a state
/// borrowed from a list, or a tally cut from a table of counts), and of all responses together,
/// `all`.
pub(crate) fn table_of<T: Segmented, P: Part<T>>(
    len: usize,
    part: impl Fn(usize) -> P + Sync,
    all: &P,
    options: &SegmentOptions,
    method: T::Method,
) -> Result<SegmentTable, Error> {
    let (overall, overall_result) = row(None, all, options, method);
    let baseline = match options.compare {
        Compare::Baseline(g) => {
            let finished =
                (g < len).then(|| part(g)).filter(|s| s.n() > 0).map(|s| s.finish()).ok_or_else(
                    || Error::MissingInput {
                        what: format!("responses in the baseline group {g}"),
                        needed_for: "comparing segments with a baseline".to_owned(),
                    },
                )?;
            Some((g, finished?))
        }
        _ => None,
    };
    let segment = |g: usize, part: &P| {
        let (mut row, result) = row(Some(g), part, options, method);
        let other = match (options.compare, &baseline) {
            (Compare::Baseline(_), Some((b, _))) if *b == g => None,
            (Compare::Baseline(_), Some((_, base))) => Some(Ok(base.clone())),
            (Compare::Overall, _) => overall_result.clone().map(Ok),
            _ => {
                let rest = part.rest();
                // The segment holds every response (one segment, or a window over all
                // periods): there is no rest to compare with, which says nothing of its size.
                if rest.is_none() {
                    remark(&mut row, "no comparison: no other responses");
                }
                rest
            }
        };
        match (result, other) {
            (Some(mine), Some(Ok(theirs))) => {
                match T::compare(&mine, &theirs, options.level, method) {
                    Ok(c) => (row.difference, row.p_value) = (c.estimate, c.p_value),
                    Err(e) => flag(&mut row, &format!("no comparison: {e}")),
                }
            }
            (_, Some(Err(e))) => flag(&mut row, &format!("nothing to compare with: {e}")),
            _ => {}
        }
        row
    };
    // Room for `capacity` rows from the start: no copies as the list grows, nor when the
    // second thread's rows are joined to the first's.
    let segments = |from: usize, to: usize, capacity: usize| -> Vec<SegmentRow> {
        let mut rows = Vec::with_capacity(capacity);
        for g in from..to {
            let this = part(g);
            if this.n() > 0 {
                rows.push(segment(g, &this));
            }
        }
        rows
    };
    // Each segment's row depends on its state alone (and the shared overall): many segments
    // are split between two threads, their rows joined in group order.
    let mut rows = if len >= PARALLEL_FROM_SEGMENTS {
        let half = len / 2;
        let (mut left, right) =
            crate::parallel::join(|| segments(0, half, len), || segments(half, len, len - half));
        left.extend(right);
        left
    } else {
        segments(0, len, len)
    };
    adjust(&mut rows, options.adjustment)?;
    Ok(SegmentTable { rows, overall, options: *options })
}

/// Fills `p_adjusted` from the rows' p-values, over the rows that have one.
fn adjust(rows: &mut [SegmentRow], adjustment: Adjustment) -> Result<(), Error> {
    let compared: Vec<usize> = (0..rows.len()).filter(|&i| !rows[i].p_value.is_nan()).collect();
    let p: Vec<f64> = compared.iter().map(|&i| rows[i].p_value).collect();
    for (&i, adjusted) in compared.iter().zip(adjust_p_values(&p, adjustment)?) {
        rows[i].p_adjusted = adjusted;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::Missing;

    #[test]
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)] // small test numbers
    fn many_states_merge_on_two_threads_as_one_by_one() {
        // Enough weighted states for two threads, with weights over many magnitudes: the same
        // state (counts, exact sums) as merging them one after another.
        let states: Vec<NpsState> = (0..PARALLEL_FROM_SEGMENTS + 7)
            .map(|i| {
                let mut state = NpsState::new();
                let score = (i % 11) as u8;
                let weight = 2f64.powi((i % 41) as i32 - 20) * 1.1;
                state.add(&[score, 10 - score], Some(&[weight, 0.3]), Missing::Reject).unwrap();
                state
            })
            .collect();
        let mut one_by_one = NpsState::new();
        for state in &states {
            one_by_one.merge(state).unwrap();
        }
        let all = merged(&NpsState::new(), &states).unwrap();
        assert_eq!(all, one_by_one);
        assert_eq!(all.finish().unwrap(), one_by_one.finish().unwrap());
        // A weighted state with an unweighted one does not merge, split or not.
        let mut mixed = states.clone();
        let mut unweighted = NpsState::new();
        unweighted.add(&[9_u8], None, Missing::Reject).unwrap();
        mixed.push(unweighted);
        assert!(matches!(merged(&NpsState::new(), &mixed), Err(Error::IncompatibleStates { .. })));
    }
}
