//! The weighing kernel, the weighted twin of [`crate::count`]: the total weight of the scores
//! in each group of a scale's points, the total of their squares (for Kish's effective n), and
//! whether any weight is bad.
//!
//! Weights are added in lanes, with no branch per score: each score's weight goes to every
//! group's lane, masked to zero outside the group. Each lane adds [`ROWS`] weights plainly (for
//! non-negative terms a relative error of at most `(ROWS − 1)·u`, u = 2⁻⁵³), then adds that
//! partial into its own compensated (Neumaier) sum. The input is cut into chunks of [`CHUNK`]
//! scores, and the chunks' totals are added in order, with compensation. The result depends
//! only on the scores and weights: not on the vector instructions ([`cxm_simd::widest`]: the
//! operations are written out in a fixed order, which the compiler may not change), nor on the
//! two threads used from [`crate::count::PARALLEL_FROM_BYTES`] on, which split between chunks.

use crate::score::Score;
use crate::sum::CompensatedSum;

/// Lanes of `f64`: two AVX2 or four SSE2 registers per group.
const LANES: usize = 8;
/// Rows of lanes added plainly before each compensated step.
const ROWS: usize = 16;
/// Scores per compensated step of every lane.
const BLOCK: usize = LANES * ROWS;
/// Scores per chunk: the unit of the split between threads.
pub(crate) const CHUNK: usize = 1 << 16;

/// The weight totals of one stretch of input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Weights<const K: usize> {
    /// Per group, the weight of its valid scores.
    pub groups: [CompensatedSum; K],
    /// The squared weights of all valid scores.
    pub squares: CompensatedSum,
    /// Whether a weight, of any score, is negative, infinite or NaN.
    pub bad: bool,
}

impl<const K: usize> Weights<K> {
    fn zero() -> Self {
        Weights {
            groups: [CompensatedSum::default(); K],
            squares: CompensatedSum::default(),
            bad: false,
        }
    }

    /// Adds the totals of the stretch that follows this one.
    fn then(&mut self, next: &Self) {
        for (sum, later) in self.groups.iter_mut().zip(&next.groups) {
            sum.merge(later);
        }
        self.squares.merge(&next.squares);
        self.bad |= next.bad;
    }
}

/// The lanes' sums over one chunk.
struct Lanes<const K: usize> {
    groups: [[CompensatedSum; LANES]; K],
    squares: [CompensatedSum; LANES],
    bad: bool,
}

/// The lanes' plain sums over one block.
struct Parts<const K: usize> {
    groups: [[f64; LANES]; K],
    squares: [f64; LANES],
    /// All weights, whatever their scores: not finite when one is NaN or infinite.
    all: [f64; LANES],
    /// The least weight.
    least: [f64; LANES],
}

impl<const K: usize> Parts<K> {
    /// Whether a weight was bad: its sum not finite or one negative. (A sum may also overflow
    /// from finite weights; the strict scan that follows then finds none.)
    fn bad(&self) -> bool {
        self.all.iter().zip(&self.least).any(|(all, &least)| !all.is_finite() || least < 0.0)
    }
}

/// Adds one block into `parts`, in loops over the whole block that the compiler vectorizes
/// one by one. `uppers` are each group's last code; a score is in the first group whose last
/// code it does not exceed.
#[inline(always)]
#[allow(clippy::inline_always)] // so that `widest` compiles it for the CPU's widest vectors
fn block<S: Score, const K: usize>(
    scores: &[S; BLOCK],
    weights: &[f64; BLOCK],
    (min, span): (i64, u8),
    uppers: &[f64; K],
    parts: &mut Parts<K>,
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
    let mut masked = [0.0_f64; BLOCK];
    let mut lower = f64::NEG_INFINITY;
    for (part, &upper) in parts.groups.iter_mut().zip(uppers) {
        // A group's codes lie above the previous group's last code and up to its own.
        for ((m, &c), &w) in masked.iter_mut().zip(&codes).zip(weights) {
            #[allow(clippy::needless_bitwise_bool)] // `&&` branches, which does not vectorize
            let within = (c > lower) & (c <= upper);
            *m = if within { w } else { 0.0 };
        }
        add_rows(part, &masked);
        lower = upper;
    }
    for ((m, &c), &w) in masked.iter_mut().zip(&codes).zip(weights) {
        *m = if c <= top { w * w } else { 0.0 };
    }
    add_rows(&mut parts.squares, &masked);
    add_rows(&mut parts.all, weights);
    for row in weights.chunks_exact(LANES) {
        for (least, &w) in parts.least.iter_mut().zip(row) {
            *least = if w < *least { w } else { *least };
        }
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

/// [`Weights`] of one chunk, in lanes.
#[inline(always)]
#[allow(clippy::inline_always)] // see `block`
fn chunk<S: Score, const K: usize>(
    scores: &[S],
    weights: &[f64],
    scale: (i64, u8),
    uppers: &[f64; K],
) -> Weights<K> {
    let mut lanes = Lanes {
        groups: [[CompensatedSum::default(); LANES]; K],
        squares: [CompensatedSum::default(); LANES],
        bad: false,
    };
    for (scores, weights) in scores.chunks(BLOCK).zip(weights.chunks(BLOCK)) {
        let mut parts = Parts {
            groups: [[0.0; LANES]; K],
            squares: [0.0; LANES],
            all: [0.0; LANES],
            least: [0.0; LANES],
        };
        if let (Ok(s), Ok(w)) =
            (<&[S; BLOCK]>::try_from(scores), <&[f64; BLOCK]>::try_from(weights))
        {
            block(s, w, scale, uppers, &mut parts);
        } else if let Some(&first) = scores.first() {
            // The last, short block, padded with weights of +0, which change no sum (the sums
            // start at +0 and never become -0).
            let s: [S; BLOCK] = std::array::from_fn(|i| scores.get(i).copied().unwrap_or(first));
            let w: [f64; BLOCK] = std::array::from_fn(|i| weights.get(i).copied().unwrap_or(0.0));
            block(&s, &w, scale, uppers, &mut parts);
        }
        for (sums, part) in lanes.groups.iter_mut().zip(&parts.groups) {
            for (sum, &x) in sums.iter_mut().zip(part) {
                sum.add(x);
            }
        }
        for (sum, &x) in lanes.squares.iter_mut().zip(&parts.squares) {
            sum.add(x);
        }
        lanes.bad |= parts.bad();
    }
    let fold = |lanes: &[CompensatedSum; LANES]| {
        let mut total = CompensatedSum::default();
        for lane in lanes {
            total.merge(lane);
        }
        total
    };
    Weights {
        groups: std::array::from_fn(|g| fold(&lanes.groups[g])),
        squares: fold(&lanes.squares),
        bad: lanes.bad,
    }
}

/// [`Weights`] of consecutive chunks, added in order, as a kernel for [`cxm_simd::widest`].
struct Chunks<'a, S: Score, const K: usize> {
    scores: &'a [S],
    weights: &'a [f64],
    scale: (i64, u8),
    uppers: &'a [f64; K],
}

impl<S: Score, const K: usize> cxm_simd::Kernel for Chunks<'_, S, K> {
    type Output = Vec<Weights<K>>;
    #[inline(always)]
    #[allow(clippy::inline_always)] // see `block`
    fn run(self) -> Vec<Weights<K>> {
        let pairs = self.scores.chunks(CHUNK).zip(self.weights.chunks(CHUNK));
        pairs.map(|(s, w)| chunk(s, w, self.scale, self.uppers)).collect()
    }
}

/// Each chunk's [`Weights`], in order.
fn chunks<S: Score, const K: usize>(
    scores: &[S],
    weights: &[f64],
    scale: (i64, u8),
    uppers: &[f64; K],
) -> Vec<Weights<K>> {
    cxm_simd::widest(Chunks { scores, weights, scale, uppers })
}

/// The chunks' [`Weights`] added in order, on two threads for large inputs: each thread
/// weighs whole chunks, and their totals are added in the same order as on one thread, so
/// that the result is the same.
fn split<S: Score, const K: usize>(
    scores: &[S],
    weights: &[f64],
    scale: (i64, u8),
    uppers: &[f64; K],
) -> Weights<K> {
    let bytes = std::mem::size_of_val(scores) + std::mem::size_of_val(weights);
    let middle = scores.len().div_ceil(2 * CHUNK) * CHUNK;
    let parts = if bytes < crate::count::PARALLEL_FROM_BYTES || middle >= scores.len() {
        chunks(scores, weights, scale, uppers)
    } else {
        let ((first, second), (first_weights, second_weights)) =
            (scores.split_at(middle), weights.split_at(middle));
        let (mut mine, theirs) = std::thread::scope(|scope| {
            let other = scope.spawn(|| chunks(second, second_weights, scale, uppers));
            let mine = chunks(first, first_weights, scale, uppers);
            (mine, other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        });
        mine.extend(theirs);
        mine
    };
    let mut total = Weights::zero();
    for part in &parts {
        total.then(part);
    }
    total
}

/// Per group, the total weight of the valid scores on `min..=max`; then the total of their
/// squared weights; then whether any weight (of any score) is negative or not finite. `starts`
/// are the groups' first offsets, as for [`crate::count::group_counts`]; `None` where that
/// kernel does not apply. `weights` is as long as `scores`.
pub(crate) fn group_weights<S: Score>(
    scores: &[S],
    weights: &[f64],
    min: i64,
    max: i64,
    starts: &[u8],
) -> Option<(Vec<f64>, f64, bool)> {
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
                    (w.groups.iter().map(CompensatedSum::total).collect(), w.squares.total(), w.bad)
                })*
                _ => return None,
            }
        };
    }
    Some(fused!(1 2 3 4 5 6 7 8 9 10 11 12 13 14))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same totals one weight at a time, in the order of the input, each compensated.
    fn by_hand<S: Score>(
        scores: &[S],
        weights: &[f64],
        min: i64,
        max: i64,
        starts: &[u8],
    ) -> (Vec<f64>, f64) {
        let mut groups = vec![CompensatedSum::default(); starts.len()];
        let mut squares = CompensatedSum::default();
        for (&s, &w) in scores.iter().zip(weights) {
            if let crate::score::Placement::Point(p) = s.place(min, max) {
                let g = starts.iter().rposition(|&st| usize::from(st) <= p).unwrap();
                groups[g].add(w);
                squares.add(w * w);
            }
        }
        (groups.iter().map(CompensatedSum::total).collect(), squares.total())
    }

    fn close(a: f64, b: f64) -> bool {
        // Both are within about 16 roundings of the exact sum.
        (a - b).abs() <= 4e-15 * b.abs()
    }

    #[test]
    fn totals_match_a_sum_by_hand_across_chunks_threads_and_a_short_block() {
        // More than PARALLEL_FROM_BYTES of scores and weights (16 bytes a score), several
        // chunks, and a short last block.
        let n = crate::count::PARALLEL_FROM_BYTES / 16 + 3 * CHUNK + 5;
        let scores: Vec<i64> = (0..n).map(|i| i64::try_from(i * 7919 % 14).unwrap() - 2).collect();
        let weights: Vec<f64> = (0..n).map(|i| 0.25 + (i % 13) as f64 / 7.0).collect();
        let starts = [0, 7, 9];
        let (groups, squares, bad) = group_weights(&scores, &weights, 0, 10, &starts).unwrap();
        let (want, want_squares) = by_hand(&scores, &weights, 0, 10, &starts);
        assert!(!bad);
        assert!(groups.iter().zip(&want).all(|(&a, &b)| close(a, b)), "{groups:?} {want:?}");
        assert!(close(squares, want_squares));
        // Floats, with NaN and values off the scale or not whole among them, on five points.
        let floats: Vec<f64> =
            scores.iter().map(|&s| if s == 11 { f64::NAN } else { s as f64 * 0.5 }).collect();
        let points = [0, 1, 2, 3, 4];
        let (groups, squares, _) = group_weights(&floats, &weights, 1, 5, &points).unwrap();
        let (want, want_squares) = by_hand(&floats, &weights, 1, 5, &points);
        assert!(groups.iter().zip(&want).all(|(&a, &b)| close(a, b)), "{groups:?} {want:?}");
        assert!(close(squares, want_squares));
    }

    #[test]
    fn totals_are_exact_where_every_partial_sum_is() {
        // Weights k/1024 with sums below 2^40: every sum on the way is exact, so the kernel must
        // give the exact totals, whatever its order of addition.
        let n = 2 * CHUNK + 1_234;
        let scores: Vec<u8> = (0..n).map(|i| u8::try_from(i * 13 % 12).unwrap()).collect();
        let weights: Vec<f64> = (0..n).map(|i| (i % 1_000) as f64 / 1024.0).collect();
        let (groups, squares, bad) = group_weights(&scores, &weights, 0, 10, &[0, 7, 9]).unwrap();
        let (want, want_squares) = by_hand(&scores, &weights, 0, 10, &[0, 7, 9]);
        assert!(!bad);
        assert_eq!((groups, squares), (want, want_squares));
    }

    #[test]
    fn the_split_and_the_vector_width_do_not_change_a_bit() {
        // Past PARALLEL_FROM_BYTES (9 bytes a score), so that `split` takes two threads.
        let n = crate::count::PARALLEL_FROM_BYTES / 9 + 2 * CHUNK + 77;
        let scores: Vec<u8> = (0..n).map(|i| u8::try_from(i * 31 % 11).unwrap()).collect();
        let weights: Vec<f64> = (0..n).map(|i| 1.0 / (1.0 + (i % 97) as f64)).collect();
        let uppers = [6.0, 8.0, 10.0];
        // One thread, compiled for the build's target (the kernel is inlined here), against
        // `split`: two threads, under `widest` (AVX2 where the CPU has it).
        let mut one_thread = Weights::zero();
        for (s, w) in scores.chunks(CHUNK).zip(weights.chunks(CHUNK)) {
            one_thread.then(&chunk(s, w, (0, 10), &uppers));
        }
        assert_eq!(split(&scores, &weights, (0, 10), &uppers), one_thread);
    }

    #[test]
    fn bad_weights_are_seen_anywhere_even_beside_missing_scores() {
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            let mut weights = vec![1.0; 300];
            weights[299] = bad;
            let mut scores = vec![5.0; 300];
            scores[299] = f64::NAN;
            assert!(group_weights(&scores, &weights, 0, 10, &[0, 7, 9]).unwrap().2);
        }
        assert!(!group_weights(&[5_u8, 6], &[0.0, -0.0], 0, 10, &[0, 7, 9]).unwrap().2);
    }
}
