//! The weighing kernel, the weighted twin of [`crate::count`]: the exact total weight of the
//! scores in each group of a scale's points, the exact total of their squares (for Kish's
//! effective n), and whether any weight is bad.
//!
//! Exact, so that the totals are the same bits however the input is split ([`ExactSum`]), and
//! fast, with no branch per score. Each weight is split, without error, into a high and a low
//! part on two grids fixed by a power of two `σ` above the weights (Rump, Ogita & Oishi,
//! "Accurate floating-point summation part I: faithful rounding", SIAM J. Sci. Comput. 31(1),
//! 2008, Algorithm 3.2 `ExtractScalar` and Lemma 3.3): for every `|w| ≤ 2^-16 σ`,
//! `q = (σ + w) − σ` is a multiple of `2^-53 σ` and `w − q` is exact; the parts of up to 2^16
//! weights (a [`CHUNK`]) then add up exactly in any order. Each group's parts go to its lanes
//! masked to zero outside the group, as plain vector adds, and the lanes' exact totals go to the
//! group's [`ExactSum`] when the chunk ends or its grids change. The grids follow the largest
//! weight seen; two of them hold every weight within 2^-20 of it (and every square within 2^-20
//! of the largest square). A block of [`BLOCK`] weights that they do not hold (or whose squares
//! are outside the doubles' middle range, [`Squares`]) is added one weight at a time instead.
//! The result depends only on the scores and weights: not on the vector instructions
//! ([`cxm_simd::widest`]), the chunks, or the two threads used from
//! [`crate::count::PARALLEL_FROM_BYTES`] on.

use crate::exact::ExactSum;
use crate::score::Score;
use crate::weight_sums::{Squares, WeightSums};

/// Lanes of `f64`: two AVX2 or four SSE2 registers per group.
const LANES: usize = 8;
/// Rows of lanes in a block.
const ROWS: usize = 16;
/// Weights per block, the unit of the test whether the grids hold them.
const BLOCK: usize = LANES * ROWS;
/// Scores per chunk: the unit of the split between threads, and at most 2^[`HEADROOM`].
pub(crate) const CHUNK: usize = 1 << 16;
/// `σ` is 2^16 times above every weight, so that the parts of a chunk add up exactly.
const HEADROOM: i32 = 16;

/// The weight totals of one stretch of input.
pub(crate) struct Weights {
    /// Per group, the exact total weight of its valid scores; the squares of all of them.
    pub sums: WeightSums,
    /// Whether a weight, of any score, is negative, infinite or NaN.
    pub bad: bool,
}

/// The lanes of a chunk's parts on its current grids.
struct Lanes<const K: usize> {
    /// Per group, the high parts of its weights; then the low parts.
    high: [[f64; LANES]; K],
    low: [[f64; LANES]; K],
    /// The high and low parts of the valid scores' squared weights.
    square_high: [f64; LANES],
    square_low: [f64; LANES],
}

impl<const K: usize> Lanes<K> {
    fn zero() -> Self {
        Lanes {
            high: [[0.0; LANES]; K],
            low: [[0.0; LANES]; K],
            square_high: [0.0; LANES],
            square_low: [0.0; LANES],
        }
    }

    /// Adds the lanes' totals (exact: parts on one grid) to `sums`, and empties them.
    fn flush(&mut self, sums: &mut WeightSums) {
        let total = |lanes: &[f64; LANES]| lanes.iter().sum::<f64>();
        for ((sum, high), low) in sums.groups.iter_mut().zip(&self.high).zip(&self.low) {
            add_nonzero(sum, total(high));
            add_nonzero(sum, total(low));
        }
        add_nonzero(&mut sums.squares.mid, total(&self.square_high));
        add_nonzero(&mut sums.squares.mid, total(&self.square_low));
        *self = Lanes::zero();
    }
}

/// What a first look at a block's weights finds.
struct Look {
    /// The largest weight, and the least positive one (+∞ when none is).
    largest: f64,
    least_positive: f64,
    /// Whether a weight is negative, NaN or infinite.
    bad: bool,
}

/// Looks at a block's weights, in lanes the compiler vectorizes.
#[inline(always)]
#[allow(clippy::inline_always)] // so that `widest` compiles it for the CPU's widest vectors
fn look(weights: &[f64; BLOCK]) -> Look {
    let mut all = [0.0_f64; LANES];
    let mut least = [0.0_f64; LANES];
    let mut largest = [0.0_f64; LANES];
    let mut least_positive = [f64::INFINITY; LANES];
    for row in weights.chunks_exact(LANES) {
        for lane in 0..LANES {
            let w = row[lane];
            all[lane] += w; // not finite when a weight is NaN or infinite
            least[lane] = if w < least[lane] { w } else { least[lane] };
            largest[lane] = if w > largest[lane] { w } else { largest[lane] };
            let positive = if w > 0.0 { w } else { f64::INFINITY };
            least_positive[lane] =
                if positive < least_positive[lane] { positive } else { least_positive[lane] };
        }
    }
    let fold = |lanes: [f64; LANES], pick: fn(f64, f64) -> f64| lanes.into_iter().reduce(pick);
    Look {
        largest: fold(largest, f64::max).unwrap_or(0.0),
        least_positive: fold(least_positive, f64::min).unwrap_or(f64::INFINITY),
        bad: all.iter().zip(&least).any(|(all, &least)| !all.is_finite() || least < 0.0),
    }
}

/// The grids of the parts of terms up to a power of two: `σ₁ = 2^(e + 1 + 16)` for terms below
/// `2^(e+1)`, and `σ₂ = 2^-37 σ₁`, above the low parts (at most `2^-53 σ₁`) by 2^16 too.
#[derive(Clone, Copy, PartialEq)]
pub(crate) struct Grid {
    /// `e`: the binary exponent of the largest term the grid is for.
    exponent: i32,
    pub(crate) high: f64,
    pub(crate) low: f64,
}

impl Grid {
    /// The grid for terms up to `largest`, a normal double below 2^1000.
    pub(crate) fn above(largest: f64) -> Grid {
        let biased = (largest.to_bits() >> 52) & 0x7ff;
        #[allow(clippy::cast_possible_truncation)] // 11 bits
        let exponent = biased as i32 - 1023;
        let high = 2f64.powi(exponent + 1 + HEADROOM);
        Grid { exponent, high, low: high * 2f64.powi(HEADROOM - 53) }
    }

    /// Whether terms the grid `other` is for are at most 2^-16 σ₁ of this one too.
    fn covers(self, other: Grid) -> bool {
        self.exponent >= other.exponent
    }

    /// Whether the two grids hold every non-zero term from `least` (positive) up. The low grid
    /// keeps multiples of `2^-53 σ₂ = 2^(e − 73)` of a negative rest, but of twice that of a
    /// positive one (`σ₂ + r` lies in `[σ₂, 2σ₂)`, where doubles are `2^-52 σ₂` apart): it holds
    /// a double of binary exponent `e − 20` or more, whose last bit is `2^(e − 72)` or above.
    pub(crate) fn holds_down_to(self, least: f64) -> bool {
        least >= self.least()
    }

    /// The smallest term the grid holds (see [`Grid::holds_down_to`]).
    pub(crate) fn least(self) -> f64 {
        2f64.powi(self.exponent - 20)
    }

    /// Sums of parts on this grid as whole numbers of one unit (see [`FixedPoint`]).
    pub(crate) fn fixed_point(self) -> FixedPoint {
        FixedPoint {
            high: 2f64.powi(36 - self.exponent),
            low: 2f64.powi(73 - self.exponent),
            unit: 2f64.powi(self.exponent - 73),
        }
    }
}

/// Sums of parts on a grid of exponent `e` as whole numbers of its unit `2^(e − 73)`, of which
/// both parts of every term the grid holds are multiples. Of at most 2^16 terms below `2^(e+1)`,
/// the high sum is a multiple of `2^(e − 36)` below about `2^(e + 17)`, and the low one a
/// multiple of `2^(e − 73)` below about `2^(e − 20)` in magnitude (each low part is at most
/// `2^(e − 36)`): each is a whole number of its unit below 2^54, which scaling by a power of two
/// and a cast to `i64` keep exactly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct FixedPoint {
    /// `2^(36 − e)` and `2^(73 − e)`: the high and low sums' units, inverted.
    high: f64,
    low: f64,
    /// `2^(e − 73)`: the value of one.
    pub(crate) unit: f64,
}

impl FixedPoint {
    /// The sums `[high, low]` as one whole number of units, exactly.
    #[allow(clippy::cast_possible_truncation)] // whole numbers below 2^54
    pub(crate) fn of(self, [high, low]: [f64; 2]) -> i128 {
        let (high, low) = ((high * self.high) as i64, (low * self.low) as i64);
        (i128::from(high) << 37) + i128::from(low)
    }
}

/// Splits `x` into its part on the grid of `sigma` and the rest, both exact (`ExtractScalar`).
#[inline(always)]
#[allow(clippy::inline_always)] // see `look`
pub(crate) fn extract(sigma: f64, x: f64) -> (f64, f64) {
    let q = (sigma + x) - sigma;
    (q, x - q)
}

/// Adds one block's parts on `grids` (the weights', the squares') into `lanes`, in loops over
/// the whole block that the compiler vectorizes one by one. `uppers` are each group's last
/// code; a score is in the first group whose last code it does not exceed.
#[inline(always)]
#[allow(clippy::inline_always)] // see `look`
fn block<S: Score, const K: usize>(
    scores: &[S; BLOCK],
    weights: &[f64; BLOCK],
    (min, span): (i64, u8),
    uppers: &[f64; K],
    (grid, square_grid): (Grid, Grid),
    lanes: &mut Lanes<K>,
) {
    // Each score's code as an f64, as wide as its weight; NaN when it is not a valid score,
    // so that it falls in no group.
    let top: f64 = S::code_of(span, min).into();
    let mut codes = [0.0_f64; BLOCK];
    for (code, &score) in codes.iter_mut().zip(scores) {
        let c: f64 = score.code(min, span).into();
        let valid = if S::INVALID_CODES_ABOVE { c <= top } else { score.valid(min, span) };
        *code = if valid { c } else { f64::NAN };
    }
    let (mut high, mut low) = ([0.0_f64; BLOCK], [0.0_f64; BLOCK]);
    let (mut square_high, mut square_low) = ([0.0_f64; BLOCK], [0.0_f64; BLOCK]);
    for i in 0..BLOCK {
        let w = weights[i];
        let (h, rest) = extract(grid.high, w);
        (high[i], low[i]) = (h, extract(grid.low, rest).0);
        let s = w * w;
        let (h, rest) = extract(square_grid.high, s);
        (square_high[i], square_low[i]) = (h, extract(square_grid.low, rest).0);
    }
    let mut masked = [0.0_f64; BLOCK];
    let mut lower = f64::NEG_INFINITY;
    #[allow(clippy::needless_bitwise_bool)] // `&&` branches, which does not vectorize
    for ((part_high, part_low), &upper) in lanes.high.iter_mut().zip(&mut lanes.low).zip(uppers) {
        // A group's codes lie above the previous group's last code and up to its own.
        mask(&mut masked, &codes, &high, |c| (c > lower) & (c <= upper));
        add_rows(part_high, &masked);
        mask(&mut masked, &codes, &low, |c| (c > lower) & (c <= upper));
        add_rows(part_low, &masked);
        lower = upper;
    }
    mask(&mut masked, &codes, &square_high, |c| c <= top);
    add_rows(&mut lanes.square_high, &masked);
    mask(&mut masked, &codes, &square_low, |c| c <= top);
    add_rows(&mut lanes.square_low, &masked);
}

/// `values` where `within(code)`, zero elsewhere.
#[inline(always)]
#[allow(clippy::inline_always)] // see `block`
fn mask(
    masked: &mut [f64; BLOCK],
    codes: &[f64; BLOCK],
    values: &[f64; BLOCK],
    within: impl Fn(f64) -> bool,
) {
    for ((m, &c), &v) in masked.iter_mut().zip(codes).zip(values) {
        *m = if within(c) { v } else { 0.0 };
    }
}

/// Adds each row of `values` into the lanes, in order.
#[inline(always)]
#[allow(clippy::inline_always)] // see `block`
fn add_rows(lanes: &mut [f64; LANES], values: &[f64; BLOCK]) {
    for row in values.chunks_exact(LANES) {
        for (lane, &x) in lanes.iter_mut().zip(row) {
            *lane += x;
        }
    }
}

/// Adds a block's weights one at a time, for a block that does not fit the grids.
fn one_by_one<S: Score, const K: usize>(
    scores: &[S],
    weights: &[f64],
    (min, span): (i64, u8),
    uppers: &[f64; K],
    sums: &mut WeightSums,
) {
    let top: f64 = S::code_of(span, min).into();
    for (&score, &w) in scores.iter().zip(weights) {
        let c: f64 = score.code(min, span).into();
        let valid = if S::INVALID_CODES_ABOVE { c <= top } else { score.valid(min, span) };
        if let (true, Some(group)) = (valid, uppers.iter().position(|&upper| c <= upper)) {
            sums.add(group, w);
        }
    }
}

/// [`Weights`] of one chunk.
#[inline(always)]
#[allow(clippy::inline_always)] // see `look`
fn chunk<S: Score, const K: usize>(
    scores: &[S],
    weights: &[f64],
    scale: (i64, u8),
    uppers: &[f64; K],
) -> Weights {
    let mut sums = WeightSums::new(K);
    let mut lanes = Lanes::zero();
    let mut grids: Option<(Grid, Grid)> = None;
    let mut bad = false;
    for (scores, weights) in scores.chunks(BLOCK).zip(weights.chunks(BLOCK)) {
        // The last, short block is padded with weights of +0, which change no sum.
        let (s, w): ([S; BLOCK], [f64; BLOCK]) = match (scores.try_into(), weights.try_into()) {
            (Ok(s), Ok(w)) => (s, w),
            _ => match scores.first() {
                Some(&first) => (
                    std::array::from_fn(|i| scores.get(i).copied().unwrap_or(first)),
                    std::array::from_fn(|i| weights.get(i).copied().unwrap_or(0.0)),
                ),
                None => continue,
            },
        };
        let look = look(&w);
        bad |= look.bad;
        if look.largest == 0.0 && !look.bad {
            continue; // no positive weight: nothing to add
        }
        let in_range = !look.bad
            && Squares::in_mid_range(look.largest)
            && Squares::in_mid_range(look.least_positive.min(look.largest));
        let needed = (Grid::above(look.largest), Grid::above(look.largest * look.largest));
        let current = match grids {
            Some(g) if in_range && g.0.covers(needed.0) && g.1.covers(needed.1) => g,
            _ if in_range => {
                // Larger weights than the grids are for: the parts so far go to the sums.
                lanes.flush(&mut sums);
                grids = Some(needed);
                needed
            }
            _ => needed,
        };
        let least = look.least_positive;
        if in_range && current.0.holds_down_to(least) && current.1.holds_down_to(least * least) {
            block(&s, &w, scale, uppers, current, &mut lanes);
        } else {
            // A bad weight refuses the input only where its score is valid: beside a skipped
            // score it is not read, here as in the strict scan.
            one_by_one(scores, weights, scale, uppers, &mut sums);
        }
    }
    lanes.flush(&mut sums);
    Weights { sums, bad }
}

/// Adds `x` unless it is zero, which changes no sum.
fn add_nonzero(sum: &mut ExactSum, x: f64) {
    if x != 0.0 {
        sum.add(x);
    }
}

/// [`Weights`] of consecutive chunks, as a kernel for [`cxm_simd::widest`].
struct Chunks<'a, S: Score, const K: usize> {
    scores: &'a [S],
    weights: &'a [f64],
    scale: (i64, u8),
    uppers: &'a [f64; K],
}

impl<S: Score, const K: usize> cxm_simd::Kernel for Chunks<'_, S, K> {
    type Output = Weights;
    #[inline(always)]
    #[allow(clippy::inline_always)] // see `block`
    fn run(self) -> Weights {
        let mut total = Weights { sums: WeightSums::new(K), bad: false };
        for (s, w) in self.scores.chunks(CHUNK).zip(self.weights.chunks(CHUNK)) {
            let part = chunk(s, w, self.scale, self.uppers);
            total.sums.merge(&part.sums);
            total.bad |= part.bad;
        }
        total
    }
}

/// The [`Weights`] of the input, on two threads for large inputs (the sums are exact, so the
/// split changes no bit).
fn split<S: Score, const K: usize>(
    scores: &[S],
    weights: &[f64],
    scale: (i64, u8),
    uppers: &[f64; K],
) -> Weights {
    let run = |scores, weights| cxm_simd::widest(Chunks { scores, weights, scale, uppers });
    let bytes = std::mem::size_of_val(scores) + std::mem::size_of_val(weights);
    let middle = scores.len().div_ceil(2 * CHUNK) * CHUNK;
    if bytes < crate::count::PARALLEL_FROM_BYTES || middle >= scores.len() {
        return run(scores, weights);
    }
    let ((first, second), (first_weights, second_weights)) =
        (scores.split_at(middle), weights.split_at(middle));
    let (mut mine, theirs) =
        crate::parallel::join(|| run(first, first_weights), || run(second, second_weights));
    mine.sums.merge(&theirs.sums);
    mine.bad |= theirs.bad;
    mine
}

/// Per group, the exact total weight of the valid scores on `min..=max`, and of their squared
/// weights; then whether any weight (of any score) is negative or not finite. `starts` are the
/// groups' first offsets, as for [`crate::count::group_counts`]; `None` where that kernel does
/// not apply. `weights` is as long as `scores`.
pub(crate) fn group_weights<S: Score>(
    scores: &[S],
    weights: &[f64],
    min: i64,
    max: i64,
    starts: &[u8],
) -> Option<(WeightSums, bool)> {
    let span = crate::count::kernel_span::<S>(min, max, starts)?;
    if weights.len() != scores.len() {
        return None;
    }
    let scale = (min, span);
    macro_rules! fused {
        ($($k:literal)*) => {
            match starts.len() {
                $($k => {
                    // Each group's last code: the next group's start minus one, or the top.
                    let uppers: [f64; $k] = std::array::from_fn(|g| {
                        S::code_of(starts.get(g + 1).map_or(span, |&next| next - 1), min).into()
                    });
                    let w = split(scores, weights, scale, &uppers);
                    (w.sums, w.bad)
                })*
                _ => return None,
            }
        };
    }
    Some(fused!(1 2 3 4 5 6 7 8 9 10 11 12 13 14))
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation)] // small test values
mod tests {
    use super::*;
    use crate::stats::random::Random;

    /// The same totals one weight at a time, in the order of the input, each exact.
    fn by_hand<S: Score>(
        scores: &[S],
        weights: &[f64],
        min: i64,
        max: i64,
        starts: &[u8],
    ) -> WeightSums {
        let mut sums = WeightSums::new(starts.len());
        for (&s, &w) in scores.iter().zip(weights) {
            if let crate::score::Placement::Point(p) = s.place(min, max) {
                let g = starts.iter().rposition(|&st| usize::from(st) <= p).unwrap();
                sums.add(g, w);
            }
        }
        sums
    }

    fn check<S: Score>(scores: &[S], weights: &[f64], min: i64, max: i64, starts: &[u8]) {
        let (sums, bad) = group_weights(scores, weights, min, max, starts).unwrap();
        assert!(!bad);
        let want = by_hand(scores, weights, min, max, starts);
        assert_eq!(sums.totals(), want.totals());
        assert_eq!(sums.squares.effective_n(sums.total(), 1 << 40), {
            want.squares.effective_n(want.total(), 1 << 40)
        });
        // Exact: the very same integers, not only the same rounded totals.
        assert_eq!(sums, want);
    }

    #[test]
    fn totals_are_the_exact_sums_across_chunks_threads_and_a_short_block() {
        // More than PARALLEL_FROM_BYTES of scores and weights (16 bytes a score), several
        // chunks, and a short last block.
        let n = crate::count::PARALLEL_FROM_BYTES / 16 + 3 * CHUNK + 5;
        let scores: Vec<i64> = (0..n).map(|i| i64::try_from(i * 7919 % 14).unwrap() - 2).collect();
        let weights: Vec<f64> = (0..n).map(|i| 0.25 + (i % 13) as f64 / 7.0).collect();
        check(&scores, &weights, 0, 10, &[0, 7, 9]);
        // Floats, with NaN and values off the scale or not whole among them, on five points.
        let floats: Vec<f64> =
            scores.iter().map(|&s| if s == 11 { f64::NAN } else { s as f64 * 0.5 }).collect();
        check(&floats, &weights, 1, 5, &[0, 1, 2, 3, 4]);
    }

    #[test]
    fn weights_of_every_magnitude_are_exact() {
        // Random weights over wide and narrow ranges of exponents, zeros, subnormals and weights
        // near the largest double: blocks the grids hold and blocks added one by one.
        let mut rng = Random::new(3);
        for span in [1, 10, 40, 60, 300, 1000, 2000] {
            let n = 5 * BLOCK + 17;
            let scores: Vec<u8> = (0..n).map(|_| (rng.next_u64() % 12) as u8).collect();
            let weights: Vec<f64> = (0..n)
                .map(|_| {
                    let e = (rng.next_u64() % (span + 1)) as i32 - (span as i32) / 2;
                    let w = (1.0 + rng.uniform()) * 2f64.powi(e.clamp(-1074, 1000));
                    if rng.next_u64().is_multiple_of(10) {
                        0.0
                    } else {
                        w
                    }
                })
                .collect();
            check(&scores, &weights, 0, 10, &[0, 7, 9]);
        }
        // At the edge of what the grids hold: odd significands (the last bit set) 2^-19, 2^-20
        // and 2^-21 below the largest weight, positive parts rounding up on the low grid.
        for shift in [19, 20, 21] {
            let odd = (1.0 + f64::EPSILON) * 2f64.powi(-shift);
            let weights: Vec<f64> = (0..3 * BLOCK).map(|i| [1.75, odd, 3.0 * odd][i % 3]).collect();
            let scores: Vec<u8> = (0..3 * BLOCK).map(|i| (i % 11) as u8).collect();
            check(&scores, &weights, 0, 10, &[0, 7, 9]);
        }
        let extremes = [f64::MAX / 4.0, f64::from_bits(1), 1.0, 0.0, f64::MIN_POSITIVE];
        let weights: Vec<f64> = (0..300).map(|i| extremes[i % 5]).collect();
        let scores: Vec<u8> = (0..300_usize).map(|i| (i % 11) as u8).collect();
        check(&scores, &weights, 0, 10, &[0, 7, 9]);
    }

    #[test]
    fn bad_weights_are_seen_anywhere_even_beside_missing_scores() {
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            let mut weights = vec![1.0; 300];
            weights[299] = bad;
            let mut scores = vec![5.0; 300];
            scores[299] = f64::NAN;
            assert!(group_weights(&scores, &weights, 0, 10, &[0, 7, 9]).unwrap().1);
        }
        assert!(!group_weights(&[5_u8, 6], &[0.0, -0.0], 0, 10, &[0, 7, 9]).unwrap().1);
    }
}
