//! Reading raw survey answers: which integer and float types count as scores, how missing
//! values are treated, and the tally of answers per scale point that every metric starts from.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::exact::ExactSum;
use crate::small::Small;
use crate::weight_sums::WeightSums;

/// What to do with a missing score (NaN in floating-point input).
///
/// Integer input has no missing values. There is deliberately no default: whether an
/// unanswered question counts is the caller's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// A missing score is an error naming its index.
    Reject,
    /// A missing score is left out, as if the respondent had not been asked; its weight, if
    /// any, is not read.
    Skip,
}

crate::options::named_options!(Missing, "missing-value policy", [
    Reject => "reject" = 0,
    Skip => "skip" = 1,
]);

/// A score exactly as the caller gave it, kept for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ScoreValue {
    /// An integer score (any integer input type fits in `i128`).
    Int(i128),
    /// A floating-point score.
    Float(f64),
}

impl fmt::Display for ScoreValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScoreValue::Int(v) => write!(f, "{v}"),
            ScoreValue::Float(v) => write!(f, "{}", crate::error::Number(*v)),
        }
    }
}

/// Where a raw value falls on a scale `min..=max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// A valid score: its offset from the bottom of the scale.
    Point(usize),
    /// A missing value (NaN).
    Missing,
    /// A whole number outside the scale.
    OutOfRange,
    /// A floating-point value that is not a whole number, or infinite.
    NotWhole,
}

/// A type whose values can be read as survey scores.
///
/// Implemented for the integer types `u8`–`u64`, `i8`–`i64` and for `f32`/`f64`, where NaN
/// means "missing" and only whole numbers are scores.
///
/// ```
/// use cxm_core::{Placement, Score};
/// assert_eq!(9_u8.place(0, 10), Placement::Point(9));
/// assert_eq!(11_i64.place(0, 10), Placement::OutOfRange);
/// assert_eq!(f64::NAN.place(0, 10), Placement::Missing);
/// assert_eq!(7.5_f64.place(0, 10), Placement::NotWhole);
/// ```
pub trait Score: Copy + Send + Sync {
    /// Places this value on the scale `min..=max` (`min <= max`).
    fn place(self, min: i64, max: i64) -> Placement;
    /// The value as given, for an error message.
    fn value(self) -> ScoreValue;
    /// For 8-bit types, the raw byte: on scales too wide for the counting kernel, such input is
    /// counted in a 256-entry table first and each distinct value placed once.
    #[doc(hidden)]
    fn byte(self) -> Option<u8> {
        None
    }
    /// The value whose [`Score::byte`] is `byte`, for 8-bit types.
    #[doc(hidden)]
    #[must_use]
    fn from_byte(byte: u8) -> Option<Self> {
        let _ = byte;
        None
    }
    /// The counting kernel's code type: a signed byte for integers (narrowed once, then compared
    /// 16 (SSE2) or 32 (AVX2) to a register), the float type itself for floats (compared with no conversion). As
    /// an `f64` (exact) it is compared in the weighing kernel's lanes, as wide as the weights.
    #[doc(hidden)]
    type Code: Copy + PartialOrd + Send + Sync + Into<f64>;
    /// The kernel's per-lane counter, as wide as [`Score::Code`].
    #[doc(hidden)]
    type Counter: Copy + Default + std::ops::AddAssign + From<bool> + Into<u64>;
    /// Blocks of lanes (floats: scores) the kernel may count in one [`Score::Counter`] before
    /// it could wrap.
    #[doc(hidden)]
    const FLUSH_BLOCKS: usize;
    /// The kernel's code of this value on the scale `min..=min + span` (`span ≤ 126`, both
    /// bounds [`Score::holds`]): for integers its offset, or `span + 1` when off the scale; for
    /// floats the value itself. Written without branches, so that it vectorizes.
    #[doc(hidden)]
    fn code(self, min: i64, span: u8) -> Self::Code;
    /// The code of the scale point `level` (an offset from `min`) as a [`Score::Code`].
    #[doc(hidden)]
    fn code_of(level: u8, min: i64) -> Self::Code;
    /// The point of this value on the scale `min..=min + span` (as for [`Score::code`]) as an
    /// index `0..=span`, or `span + 1` for any value that is not a point: one table lookup
    /// places a score in the grouped kernels.
    #[doc(hidden)]
    fn code_index(self, min: i64, span: u8) -> usize;
    /// Whether every invalid value's code lies above every point's (integers: their codes are
    /// clamped to `span + 1`); otherwise the kernel counts the valid values itself, with
    /// [`Score::valid`], and only those in the groups.
    #[doc(hidden)]
    const INVALID_CODES_ABOVE: bool;
    /// Whether the value is a score on `min..=min + span`: the kernel asks only where invalid
    /// codes are not above the points.
    #[doc(hidden)]
    fn valid(self, min: i64, span: u8) -> bool {
        matches!(self.place(min, min + i64::from(span)), Placement::Point(_))
    }
    /// Whether the value is missing (NaN); integers never are.
    #[doc(hidden)]
    fn missing(self) -> bool {
        false
    }
    /// Whether [`Score::code`] may be used with `bound` as a scale bound: the type holds it
    /// exactly.
    #[doc(hidden)]
    fn holds(bound: i64) -> bool;
}

/// The raw byte of an 8-bit score, for the byte table of wide scales (see [`Score::byte`]).
macro_rules! byte_access {
    (bytes, $t:ty) => {
        #[inline]
        fn byte(self) -> Option<u8> {
            Some(self.to_ne_bytes()[0])
        }
        fn from_byte(byte: u8) -> Option<Self> {
            Some(<$t>::from_ne_bytes([byte]))
        }
    };
}

/// `Score` for an integer type `$t` whose unsigned twin is `$u`; `bytes` for the 8-bit ones.
macro_rules! integer_score {
    ($($t:ty => $u:ty $(, $bytes:tt)?);*) => {$(
        impl Score for $t {
            type Code = i8;
            type Counter = u8;
            const FLUSH_BLOCKS: usize = 255;
            #[inline]
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_possible_wrap,
                clippy::cast_sign_loss
            )]
            fn code(self, min: i64, span: u8) -> i8 {
                // In the type's own width: with both bounds in the type, the wrapping offset
                // exceeds `span` exactly when the value is off the scale. Narrowed to a signed
                // byte (codes stay below 128), each compare that follows is one instruction on
                // 16 scores (SSE2) or 32 (AVX2).
                let offset = (self as $u).wrapping_sub(min as $u);
                offset.min(<$u>::from(span) + 1) as i8
            }
            #[allow(clippy::cast_possible_wrap)]
            fn code_of(level: u8, _min: i64) -> i8 {
                level as i8
            }
            #[inline]
            #[allow(clippy::cast_sign_loss)] // codes are 0..=span + 1, below 128
            fn code_index(self, min: i64, span: u8) -> usize {
                usize::from(self.code(min, span) as u8)
            }
            const INVALID_CODES_ABOVE: bool = true;
            fn holds(bound: i64) -> bool {
                <$t>::try_from(bound).is_ok()
            }
            #[inline]
            fn place(self, min: i64, max: i64) -> Placement {
                // One unsigned comparison covers both ends of the scale.
                let offset = (i128::from(self) - i128::from(min)).cast_unsigned();
                if offset <= (i128::from(max) - i128::from(min)).cast_unsigned() {
                    Placement::Point(offset as usize)
                } else {
                    Placement::OutOfRange
                }
            }
            fn value(self) -> ScoreValue {
                ScoreValue::Int(i128::from(self))
            }
            $(byte_access!($bytes, $t);)?
        }
    )*};
}
integer_score!(
    u8 => u8, bytes; i8 => u8, bytes;
    u16 => u16; u32 => u32; u64 => u64; i16 => u16; i32 => u32; i64 => u64
);

macro_rules! float_score {
    ($($t:ty => $counter:ty, $exact:expr);*) => {$(
        impl Score for $t {
            type Code = $t;
            type Counter = $counter;
            const FLUSH_BLOCKS: usize = 1 << 30;
            #[inline]
            fn code(self, _min: i64, _span: u8) -> $t {
                // The value itself: the kernel compares it with each point's value directly,
                // and counts the valid values with `valid`.
                self
            }
            #[allow(clippy::cast_precision_loss)]
            fn code_of(level: u8, min: i64) -> $t {
                (min + i64::from(level)) as $t
            }
            #[inline]
            #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            fn code_index(self, min: i64, span: u8) -> usize {
                // A valid score less `min` is a whole number 0..=span, exact in the type, and
                // plus 2^(mantissa bits) it is the low bits of the sum's representation: no
                // conversion, so a loop of them vectorizes. Both arms are computed, one chosen.
                const WHOLE: $t = (1_u64 << (<$t>::MANTISSA_DIGITS - 1)) as $t;
                let offset = ((self - min as $t) + WHOLE).to_bits() as usize & 0x7f;
                let invalid = usize::from(span) + 1;
                if self.valid(min, span) { offset } else { invalid }
            }
            const INVALID_CODES_ABOVE: bool = false;
            #[inline]
            #[allow(clippy::cast_precision_loss)]
            fn valid(self, min: i64, span: u8) -> bool {
                // Bounds below `$exact` in size are exact in the type. On the scale, adding and
                // subtracting 1.5·2^(mantissa bits) rounds to the nearest whole number, so a
                // score is whole when that leaves it unchanged: plain vector instructions.
                const ROUND: $t = 1.5 * (1_u64 << (<$t>::MANTISSA_DIGITS - 1)) as $t;
                let (lo, hi) = (min as $t, (min + i64::from(span)) as $t);
                #[allow(clippy::needless_bitwise_bool)] // `&&` may branch, which does not vectorize
                let valid = (self >= lo) & (self <= hi) & ((self + ROUND) - ROUND == self);
                valid
            }
            fn missing(self) -> bool {
                self.is_nan()
            }
            fn holds(bound: i64) -> bool {
                bound.unsigned_abs() < $exact
            }
            #[inline]
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            fn place(self, min: i64, max: i64) -> Placement {
                // 2^63: the first whole float beyond `i64`.
                const LIMIT: f64 = 9_223_372_036_854_775_808.0;
                let x = f64::from(self);
                if x >= min as f64 && x <= max as f64 {
                    // Inside the rounded bounds the cast is exact for whole numbers below 2^63,
                    // and cheaper than `trunc`, which is a library call on baseline x86-64. The
                    // bounds round to floats beyond ±2^53, so the whole number is compared with
                    // them again as an integer.
                    let whole = x as i64;
                    if whole as f64 != x {
                        Placement::NotWhole
                    } else if x < LIMIT && (min..=max).contains(&whole) {
                        Placement::Point((whole - min) as usize)
                    } else {
                        Placement::OutOfRange
                    }
                } else if x.is_nan() {
                    Placement::Missing
                } else if x.is_infinite() || x.trunc() != x {
                    Placement::NotWhole
                } else {
                    Placement::OutOfRange
                }
            }
            fn value(self) -> ScoreValue {
                ScoreValue::Float(f64::from(self))
            }
        }
    )*};
}
// Bounds below 2^22 for f32: the rounding in `valid` needs values below 2^(mantissa bits − 1),
// 2^22 there (2^51 for f64, far beyond its 2^31).
float_score!(f32 => u32, 1 << 22; f64 => u64, 1 << 31);

/// Answers per group of a scale's points, as a state keeps them: raw counts, and with weights
/// the exact weight sums ([`WeightSums`]), so that tallies merged from any split of the
/// responses are equal to one tally of all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Responses per group.
    pub counts: Small<u64>,
    /// The weights, when weighted: `None` for unweighted responses, and for none at all. Boxed:
    /// exact sums are large, and unweighted states (one per segment) should stay small.
    pub sums: Option<Box<WeightSums>>,
}

/// What a result is built from: per group the count and the weight (the count without
/// weights), and Kish's effective sample size.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Summary {
    /// Responses per group.
    pub counts: Small<u64>,
    /// Weight per group, each rounded once; equal to `counts` when unweighted.
    pub weights: Small<f64>,
    /// Kish effective sample size `(Σw)² / Σw²`; the count when unweighted.
    pub effective_n: f64,
}

impl Summary {
    /// The summary of weighted responses: `counts` per group, their total weights `weights`
    /// (each rounded once) and `total` (rounded once), and their squared weights summed in the
    /// three ranges of [`crate::weight_sums::Squares`] (each rounded once).
    ///
    /// # Errors
    /// As [`Tally::summary`].
    pub fn weighed(
        counts: Small<u64>,
        weights: Small<f64>,
        total: f64,
        squares: [f64; 3],
    ) -> Result<Summary, Error> {
        let n = counted(&counts)?;
        if !total.is_finite() || !weights.iter().sum::<f64>().is_finite() {
            return Err(Error::WeightOverflow);
        }
        if total == 0.0 {
            return Err(Error::ZeroTotalWeight);
        }
        let effective_n = crate::weight_sums::effective_n(total, squares, n);
        Ok(Summary { counts, weights, effective_n })
    }

    /// Number of responses counted.
    pub fn n(&self) -> u64 {
        self.counts.iter().sum()
    }
}

impl Tally {
    /// No responses in `groups` groups.
    pub fn empty(groups: usize) -> Tally {
        Tally { counts: Small::filled(0, groups), sums: None }
    }

    /// Number of responses counted, or `None` past `u64::MAX`.
    pub fn n(&self) -> Option<u64> {
        self.counts.iter().try_fold(0_u64, |n, &c| n.checked_add(c))
    }

    /// The summary of each point of `min..=max`, for the valid scores under the missing-value
    /// policy and, when given, the per-response weights.
    ///
    /// # Errors
    /// As [`Tally::count`], and as [`Tally::summary`] for an empty or weightless result.
    #[cfg(test)]
    #[allow(clippy::new_ret_no_self)] // the tests' short name for count-and-summarise
    pub fn new<S: Score>(
        scores: &[S],
        weights: Option<&[f64]>,
        missing: Missing,
        min: i64,
        max: i64,
    ) -> Result<Summary, Error> {
        let points = usize::try_from(max - min).map_or(usize::MAX, |span| span.saturating_add(1));
        let starts: Vec<usize> = (0..points).collect();
        Tally::count(scores, weights, missing, min, max, &starts)?.summary()
    }

    /// Counts (and weighs) the valid scores on `min..=max` per group of points: `starts` are
    /// the groups' first offsets (ascending, the first 0). No response is not an error here.
    ///
    /// # Errors
    /// A bad score or weight, named with its index, or a length mismatch.
    pub fn count<S: Score>(
        scores: &[S],
        weights: Option<&[f64]>,
        missing: Missing,
        min: i64,
        max: i64,
        starts: &[usize],
    ) -> Result<Tally, Error> {
        let kernel_starts: Option<Vec<u8>> = if starts.len() <= crate::count::MAX_GROUPS {
            starts.iter().map(|&s| u8::try_from(s).ok()).collect()
        } else {
            None
        };
        let points = usize::try_from(max - min).map_or(usize::MAX, |span| span.saturating_add(1));
        let Some(weights) = weights else {
            if let Some(kernel_starts) = &kernel_starts {
                if let Some(counts) = grouped_counts(scores, missing, min, max, kernel_starts)? {
                    return Ok(Tally { counts: counts.into(), sums: None });
                }
            }
            let per_point = count_points(scores, missing, min, max, points)?;
            let mut counts = vec![0; starts.len()];
            for (point, count) in per_point.into_iter().enumerate() {
                counts[group_of(starts, point)] += count;
            }
            return Ok(Tally { counts: counts.into(), sums: None });
        };
        check_lengths(scores, weights)?;
        if let Some(kernel_starts) = &kernel_starts {
            if let Some(tally) = Tally::grouped(scores, weights, missing, min, max, kernel_starts)?
            {
                return Ok(tally);
            }
        }
        Tally::weighted_one_by_one(scores, weights, missing, min, max, starts)
    }

    /// The weighted tally per group of points by the counting and weighing kernels; `Ok(None)`
    /// where they do not apply. A bad weight or score is named by a strict scan, in the order
    /// of the input.
    fn grouped<S: Score>(
        scores: &[S],
        weights: &[f64],
        missing: Missing,
        min: i64,
        max: i64,
        starts: &[u8],
    ) -> Result<Option<Tally>, Error> {
        let Some((counts, missing_count, invalid_count)) =
            crate::count::group_counts(scores, min, max, starts)
        else {
            return Ok(None);
        };
        let Some((sums, bad_weight)) =
            crate::weigh::group_weights(scores, weights, min, max, starts)
        else {
            return Ok(None);
        };
        if bad_weight || invalid_count > 0 || (missing == Missing::Reject && missing_count > 0) {
            for (index, (&score, &weight)) in scores.iter().zip(weights).enumerate() {
                if place(score, index, missing, min, max)?.is_some() {
                    check_weight(index, weight)?;
                }
            }
        }
        Ok(Some(Tally { counts: counts.into(), sums: Some(Box::new(sums)) }))
    }

    /// The weighted tally, one response at a time: for scales or score types the kernels do
    /// not take.
    fn weighted_one_by_one<S: Score>(
        scores: &[S],
        weights: &[f64],
        missing: Missing,
        min: i64,
        max: i64,
        starts: &[usize],
    ) -> Result<Tally, Error> {
        let mut counts = vec![0_u64; starts.len()];
        let mut sums = WeightSums::new(starts.len());
        for (index, (&score, &weight)) in scores.iter().zip(weights).enumerate() {
            if let Some(point) = place(score, index, missing, min, max)? {
                check_weight(index, weight)?;
                let group = group_of(starts, point);
                counts[group] += 1;
                sums.add(group, weight);
            }
        }
        Ok(Tally { counts: counts.into(), sums: Some(Box::new(sums)) })
    }

    /// Adds the responses of `other`, a tally of the same groups. Weighted and unweighted
    /// responses do not mix; a tally of no responses merges with either. On error `self` is
    /// unchanged.
    ///
    /// # Errors
    /// [`Error::IncompatibleStates`] for weighted with unweighted; [`Error::CountOverflow`].
    pub fn merge(&mut self, other: &Tally) -> Result<(), Error> {
        if other.is_empty() {
            return Ok(());
        }
        if self.is_empty() {
            self.clone_from(other);
            return Ok(());
        }
        if self.sums.is_some() != other.sums.is_some() {
            return Err(Error::IncompatibleStates {
                reason: "weighted responses cannot be merged with unweighted ones".to_owned(),
            });
        }
        let mut counts = self.counts.clone();
        for (a, &b) in counts.iter_mut().zip(&other.counts) {
            *a = a.checked_add(b).ok_or(Error::CountOverflow)?;
        }
        counts.iter().try_fold(0_u64, |n, &x| n.checked_add(x)).ok_or(Error::CountOverflow)?;
        self.counts = counts;
        if let (Some(mine), Some(theirs)) = (&mut self.sums, &other.sums) {
            mine.merge(theirs);
        }
        Ok(())
    }

    /// The responses of `self` without those of `part`, a tally merged into it: exact, for
    /// counts are integers and weight sums exact.
    ///
    /// # Errors
    /// [`Error::IncompatibleStates`] when `part` has responses `self` lacks, or another weighting.
    pub fn without(&self, part: &Tally) -> Result<Tally, Error> {
        let not_part = || Error::IncompatibleStates {
            reason: "the part has responses the whole lacks".to_owned(),
        };
        if part.is_empty() {
            return Ok(self.clone());
        }
        if self.sums.is_some() != part.sums.is_some() {
            return Err(not_part());
        }
        let mut counts = self.counts.clone();
        for (a, &b) in counts.iter_mut().zip(&part.counts) {
            *a = a.checked_sub(b).ok_or_else(not_part)?;
        }
        let mut rest = Tally { counts, sums: self.sums.clone() };
        if let (Some(mine), Some(theirs)) = (&mut rest.sums, &part.sums) {
            for (sum, other) in mine.groups.iter_mut().zip(&theirs.groups) {
                sum.subtract(other);
                sum.settle(); // read in place when the rest is finished
            }
            mine.squares.subtract(&theirs.squares);
            mine.squares.settle();
        }
        if rest.is_empty() {
            rest.sums = None;
        }
        Ok(rest)
    }

    /// Whether no response was counted.
    pub fn is_empty(&self) -> bool {
        self.counts.iter().all(|&c| c == 0)
    }

    /// The summary a result is built from: each group's weight rounded once, Kish's n.
    ///
    /// # Errors
    /// [`Error::Empty`] with no response; [`Error::CountOverflow`]; [`Error::WeightOverflow`]
    /// when the weights sum past `f64::MAX`; [`Error::ZeroTotalWeight`].
    pub fn summary(&self) -> Result<Summary, Error> {
        let Some(sums) = &self.sums else {
            let n = self.counted()?;
            let weights = self.counts.iter().map(|&c| c as f64).collect();
            return Ok(Summary { counts: self.counts.clone(), weights, effective_n: n as f64 });
        };
        let squares = sums.squares.ranges().map(ExactSum::total);
        Summary::weighed(self.counts.clone(), sums.totals(), sums.total(), squares)
    }

    /// The responses counted: [`Error::CountOverflow`] past `u64::MAX`, [`Error::Empty`] for
    /// none.
    fn counted(&self) -> Result<u64, Error> {
        counted(&self.counts)
    }

    /// [`Tally::summary`] of a tally of `K` groups, as arrays of the counts and weights and
    /// Kish's n: unweighted, read in place, without lists (a table finishes a state per
    /// segment and one per rest).
    ///
    /// # Errors
    /// As [`Tally::summary`].
    #[allow(clippy::cast_precision_loss)] // counts as weights, as the summary has them
    pub(crate) fn summary_of<const K: usize>(&self) -> Result<([u64; K], [f64; K], f64), Error> {
        if self.sums.is_none() {
            let n = self.counted()?;
            let counts: [u64; K] = std::array::from_fn(|i| self.counts[i]);
            return Ok((counts, counts.map(|c| c as f64), n as f64));
        }
        let summary = self.summary()?;
        let counts = std::array::from_fn(|i| summary.counts[i]);
        Ok((counts, std::array::from_fn(|i| summary.weights[i]), summary.effective_n))
    }
}

/// The responses of these counts: [`Error::CountOverflow`] past `u64::MAX`, [`Error::Empty`] for
/// none.
fn counted(counts: &[u64]) -> Result<u64, Error> {
    match counts.iter().try_fold(0_u64, |n, &c| n.checked_add(c)).ok_or(Error::CountOverflow)? {
        0 => Err(Error::Empty),
        n => Ok(n),
    }
}

/// The group of the point at `offset`: the last whose start is not above it.
fn group_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&start| start <= offset).saturating_sub(1)
}

/// Each point its own group: starts 0, 1, 2, …
const EACH_POINT: [u8; crate::count::MAX_GROUPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];

pub(crate) fn check_lengths<S>(scores: &[S], weights: &[f64]) -> Result<(), Error> {
    if weights.len() == scores.len() {
        Ok(())
    } else {
        Err(Error::LengthMismatch { scores: scores.len(), weights: weights.len() })
    }
}

pub(crate) fn check_weight(index: usize, weight: f64) -> Result<(), Error> {
    if weight.is_finite() && weight >= 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidWeight { index, value: weight })
    }
}

/// Responses per scale point: by the counting kernel ([`crate::count`]) on scales of up to
/// [`crate::count::MAX_GROUPS`] points; otherwise in one pass with no early exit, every value
/// to a bin (the scale's points, then "missing", then "invalid"), 8-bit input first counted by
/// raw byte. Only when a bad value was seen is the input scanned again, strictly, to name the
/// first one.
fn count_points<S: Score>(
    scores: &[S],
    missing: Missing,
    min: i64,
    max: i64,
    points: usize,
) -> Result<Vec<u64>, Error> {
    if let Some(starts) = EACH_POINT.get(..points) {
        if let Some(counts) = grouped_counts(scores, missing, min, max, starts)? {
            return Ok(counts);
        }
    }
    let (missing_bin, invalid_bin) = (points, points + 1);
    let bin = |score: S| match score.place(min, max) {
        Placement::Point(point) => point,
        Placement::Missing => missing_bin,
        Placement::OutOfRange | Placement::NotWhole => invalid_bin,
    };
    let mut counts = vec![0_u64; points + 2];
    if S::from_byte(0).is_some() {
        let by_byte = interleaved_count(scores, 256, |score| score.byte().map_or(0, usize::from));
        for (byte, count) in (0..=u8::MAX).zip(by_byte) {
            if let Some(score) = S::from_byte(byte) {
                counts[bin(score)] += count;
            }
        }
    } else {
        counts = interleaved_count(scores, points + 2, bin);
    }
    name_first_bad(scores, counts[missing_bin], counts[invalid_bin], missing, min, max)?;
    counts.truncate(points);
    Ok(counts)
}

/// Responses per group of scale points by the vectorized kernel ([`crate::count`]): `starts`
/// are the groups' first offsets. `Ok(None)` where the kernel does not apply; a bad score is
/// named by a second, strict scan, as in [`count_points`].
pub(crate) fn grouped_counts<S: Score>(
    scores: &[S],
    missing: Missing,
    min: i64,
    max: i64,
    starts: &[u8],
) -> Result<Option<Vec<u64>>, Error> {
    let Some((groups, missing_count, invalid_count)) =
        crate::count::group_counts(scores, min, max, starts)
    else {
        return Ok(None);
    };
    name_first_bad(scores, missing_count, invalid_count, missing, min, max)?;
    Ok(Some(groups))
}

/// When counting saw an invalid score, or a missing one under [`Missing::Reject`], scans the
/// input again, strictly, for the error that names the first one.
fn name_first_bad<S: Score>(
    scores: &[S],
    missing_count: u64,
    invalid_count: u64,
    missing: Missing,
    min: i64,
    max: i64,
) -> Result<(), Error> {
    if invalid_count > 0 || (missing == Missing::Reject && missing_count > 0) {
        for (index, &score) in scores.iter().enumerate() {
            place(score, index, missing, min, max)?;
        }
    }
    Ok(())
}

/// How many items fall in each of `bins` bins. Four interleaved counters per bin, so that runs
/// of equal items do not make each increment wait for the one before.
fn interleaved_count<S: Copy>(items: &[S], bins: usize, bin: impl Fn(S) -> usize) -> Vec<u64> {
    const LANES: usize = 4;
    let mut lanes = vec![[0_u64; LANES]; bins];
    let mut chunks = items.chunks_exact(LANES);
    for chunk in chunks.by_ref() {
        for (lane, &item) in chunk.iter().enumerate() {
            lanes[bin(item)][lane] += 1;
        }
    }
    for &item in chunks.remainder() {
        lanes[bin(item)][0] += 1;
    }
    lanes.iter().map(|lane| lane.iter().sum()).collect()
}

/// Places one score, turning a bad one into an error that names it.
#[inline]
pub(crate) fn place<S: Score>(
    score: S,
    index: usize,
    missing: Missing,
    min: i64,
    max: i64,
) -> Result<Option<usize>, Error> {
    match score.place(min, max) {
        Placement::Point(point) => Ok(Some(point)),
        Placement::Missing => match missing {
            Missing::Skip => Ok(None),
            Missing::Reject => Err(Error::MissingScore { index }),
        },
        Placement::OutOfRange => {
            Err(Error::ScoreOutOfRange { index, value: score.value(), min, max })
        }
        Placement::NotWhole => match score.value() {
            ScoreValue::Float(value) => Err(Error::NotWholeScore { index, value }),
            value @ ScoreValue::Int(_) => Err(Error::ScoreOutOfRange { index, value, min, max }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_extremes_are_out_of_range_not_wrapped() {
        assert_eq!(u64::MAX.place(0, 10), Placement::OutOfRange);
        assert_eq!(i64::MIN.place(0, 10), Placement::OutOfRange);
        assert_eq!((-1_i8).place(0, 10), Placement::OutOfRange);
        assert_eq!(0_u8.place(0, 10), Placement::Point(0));
        assert_eq!(10_i32.place(0, 10), Placement::Point(10));
        assert_eq!(3_i32.place(1, 5), Placement::Point(2));
    }

    #[test]
    fn float_placement() {
        assert_eq!(f64::INFINITY.place(0, 10), Placement::NotWhole);
        assert_eq!(1e300_f64.place(0, 10), Placement::OutOfRange);
        assert_eq!((-0.0_f64).place(0, 10), Placement::Point(0));
        assert_eq!(f32::NAN.place(0, 10), Placement::Missing);
        assert_eq!(10.5_f64.place(0, 10), Placement::NotWhole);
    }

    #[test]
    fn float_code_indices_are_the_points_and_one_past_the_scale_for_the_rest() {
        // The grouped kernels' placement, against `place`, on the edges of the scale and off it.
        let values = [
            -0.0,
            0.0,
            0.5,
            1.0,
            4.0,
            5.0,
            5.5,
            6.0,
            10.0,
            11.0,
            -1.0,
            -5.0,
            -4.5,
            1e300,
            -1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            4.000_000_000_000_001,
            1e-300,
        ];
        for (min, span) in [(0_i64, 10_u8), (1, 4), (-5, 10), (0, 126)] {
            for &x in &values {
                let want = match x.place(min, min + i64::from(span)) {
                    Placement::Point(p) => p,
                    _ => usize::from(span) + 1,
                };
                assert_eq!(x.code_index(min, span), want, "{x} on {min}+{span}");
                #[allow(clippy::cast_possible_truncation)] // the same values as f32
                let y = x as f32;
                let want = match y.place(min, min + i64::from(span)) {
                    Placement::Point(p) => p,
                    _ => usize::from(span) + 1,
                };
                assert_eq!(y.code_index(min, span), want, "{y} (f32) on {min}+{span}");
            }
        }
    }

    #[test]
    fn float_placement_is_exact_on_scales_beyond_two_to_the_53() {
        // Bounds that round to floats: 2^53 + 1 rounds down to 2^53, −2^53 − 1 up to −2^53,
        // 2^63 − 1 up to 2^63. A score is compared with the bounds as integers.
        let two53 = 1_i64 << 53;
        assert_eq!((two53 as f64).place(two53 + 1, two53 + 3), Placement::OutOfRange);
        assert_eq!((two53 as f64 + 2.0).place(two53 + 1, two53 + 3), Placement::Point(1));
        assert_eq!((-two53 as f64).place(-two53 - 3, -two53 - 1), Placement::OutOfRange);
        assert_eq!((-two53 as f64 - 2.0).place(-two53 - 3, -two53 - 1), Placement::Point(1));
        assert_eq!(2_f64.powi(63).place(i64::MAX - 2, i64::MAX), Placement::OutOfRange);
        assert_eq!((-2_f64.powi(63)).place(i64::MIN, i64::MIN + 2), Placement::Point(0));
        assert_eq!((two53 as f32).place(two53 + 1, two53 + 3), Placement::OutOfRange);
    }

    #[test]
    fn byte_table_path_matches_and_names_bad_values() {
        let scores: Vec<i8> = (0..1000).map(|i| (i % 11) as i8).collect();
        let wide: Vec<i64> = scores.iter().map(|&s| i64::from(s)).collect();
        let narrow = Tally::new(&scores, None, Missing::Reject, 0, 10).unwrap();
        assert_eq!(narrow, Tally::new(&wide, None, Missing::Reject, 0, 10).unwrap());
        assert_eq!(narrow.counts, vec![91, 91, 91, 91, 91, 91, 91, 91, 91, 91, 90]);
        let mut bad = scores.clone();
        bad[777] = -1;
        bad[900] = 11;
        let e = Tally::new(&bad, None, Missing::Skip, 0, 10).unwrap_err();
        assert_eq!(e.to_string(), "score -1 at index 777 is outside 0..=10");
        let e = Tally::new(&[3_u8, 200], None, Missing::Skip, 1, 5).unwrap_err();
        assert_eq!(e.to_string(), "score 200 at index 1 is outside 1..=5");
    }

    #[test]
    fn wide_scales_take_the_byte_table() {
        // A u8 cannot hold the bound −1, so the kernel declines and the byte table counts; an
        // i64 can, so the kernel counts. Both must give the counts by hand: 1000 scores i % 11
        // are 91 of each of 0..=9 and 90 tens, at offsets 1..=11.
        let scores: Vec<u8> = (0..1000_u32).map(|i| (i % 11) as u8).collect();
        let wide: Vec<i64> = scores.iter().map(|&s| i64::from(s)).collect();
        let narrow = Tally::new(&scores, None, Missing::Reject, -1, 10).unwrap();
        assert_eq!(narrow, Tally::new(&wide, None, Missing::Reject, -1, 10).unwrap());
        assert_eq!(narrow.counts, [0, 91, 91, 91, 91, 91, 91, 91, 91, 91, 91, 90]);
    }

    #[test]
    fn tally_counts_weights_and_kish_n() {
        let t = Tally::new(&[9_u8, 9, 3], Some(&[1.0, 3.0, 0.0]), Missing::Reject, 0, 10).unwrap();
        assert_eq!(t.counts[9], 2);
        assert_eq!(t.weights[9], 4.0);
        // Kish: (1 + 3 + 0)² / (1 + 9 + 0) = 1.6
        assert!((t.effective_n - 1.6).abs() < 1e-15);
    }

    #[test]
    fn a_skipped_response_s_weight_is_not_read() {
        // Issue 15, item 12: a blank weight beside a blank score, skipped, stopped the call.
        for bad in [f64::NAN, -2.0, f64::INFINITY] {
            for scores in
                [vec![9.0, f64::NAN, 3.0], (0..300).map(|i| [9.0, f64::NAN, 3.0][i % 3]).collect()]
            {
                let weights: Vec<f64> =
                    (0..scores.len()).map(|i| if i % 3 == 1 { bad } else { 1.0 }).collect();
                let t = Tally::new(&scores, Some(&weights), Missing::Skip, 0, 10).unwrap();
                let n = scores.len() as u64 / 3;
                assert_eq!((t.counts[9], t.counts[3], t.weights[9]), (n, n, n as f64));
                // Under Reject the missing score itself is the error.
                let e = Tally::new(&scores, Some(&weights), Missing::Reject, 0, 10).unwrap_err();
                assert_eq!(e, Error::MissingScore { index: 1 });
                // On a wide scale, one response at a time, the same.
                assert!(Tally::new(&scores, Some(&weights), Missing::Skip, -500, 500).is_ok());
            }
        }
    }

    #[test]
    fn tally_errors_name_the_index() {
        let e = Tally::new(&[1.0, f64::NAN], None, Missing::Reject, 0, 10).unwrap_err();
        assert_eq!(e, Error::MissingScore { index: 1 });
        let e = Tally::new(&[f64::NAN, 1.0], Some(&[1.0, -2.0]), Missing::Skip, 0, 10).unwrap_err();
        assert_eq!(e, Error::InvalidWeight { index: 1, value: -2.0 });
        let e = Tally::new(&[f64::NAN], None, Missing::Skip, 0, 10).unwrap_err();
        assert_eq!(e, Error::Empty);
        let e = Tally::new(&[1_u8], Some(&[0.0]), Missing::Skip, 0, 10).unwrap_err();
        assert_eq!(e, Error::ZeroTotalWeight);
        let e =
            Tally::new(&[1_u8, 2], Some(&[f64::MAX, f64::MAX]), Missing::Skip, 0, 10).unwrap_err();
        assert_eq!(e, Error::WeightOverflow);
        let e = Tally::new::<u8>(&[], Some(&[]), Missing::Skip, 0, 10).unwrap_err();
        assert_eq!(e, Error::Empty);
    }

    #[test]
    fn kish_n_survives_extreme_weight_scales() {
        // The same relative weights (1 : 3 : 0) at any scale give (1 + 3)² / (1 + 9) = 1.6.
        for scale in [1.0, 1e200, 1e-200, 1e-310, f64::MAX / 8.0] {
            let weights = [scale, 3.0 * scale, 0.0];
            let t = Tally::new(&[9_u8, 9, 3], Some(&weights), Missing::Reject, 0, 10).unwrap();
            assert!((t.effective_n - 1.6).abs() < 1e-12, "scale {scale}: {}", t.effective_n);
        }
        let e = Tally::new(&[1_u8], Some(&[f64::MIN_POSITIVE / 4.0]), Missing::Skip, 0, 10);
        assert!((e.unwrap().effective_n - 1.0).abs() < 1e-12);
    }

    #[test]
    fn empty_weighted_input() {
        let e = Tally::new::<u8>(&[], Some(&[]), Missing::Skip, 0, 10).unwrap_err();
        assert_eq!(e, Error::Empty);
    }
}
