//! The counting kernel every unweighted metric starts from: how many scores fall in each group
//! of a scale's points (each point for CSAT and CES, detractors/passives/promoters for NPS),
//! and how many are missing or invalid.
//!
//! Each integer score is turned into a code ([`Score::code`]: its offset on the scale as a
//! signed byte, clamped above it when off the scale), and the codes are compared with each
//! group's first point in blocks of lanes with one counter each: a form the compiler turns into
//! vector compares and subtractions (16 or, with AVX2, 32 at a time), with no table lookup and
//! no branch per score. Floats are compared as themselves in a plain loop the compiler
//! vectorizes, which also counts the valid ones (on the scale and whole). [`cxm_simd::widest`]
//! runs both compiled for AVX2 where the CPU has it; the counts are the same integers either
//! way. The counters are added into `u64` totals before they can wrap. From
//! [`PARALLEL_FROM_BYTES`] of scores on the input is split between two threads, which is where
//! a second core pays for its start.

use crate::score::Score;

/// The most groups the fused kernel takes; scales with more points are counted by the general
/// per-score path.
pub(crate) const MAX_GROUPS: usize = 14;

/// From this many bytes of input on (scores, and weights when weighing), two threads share it
/// (measured: below it, starting the thread costs more than it saves).
pub(crate) const PARALLEL_FROM_BYTES: usize = 4 << 20;

/// Counts of the scores whose code is above each of `thresholds`, in blocks of `L` lanes: one
/// counter per lane and threshold, as wide as the code, so that each block is a few vector
/// compares and subtractions. For integers, whose invalid codes lie above every threshold; floats
/// take [`valid_at_least`]. Always inlined, so that [`cxm_simd::widest`] compiles it for the
/// widest vectors the CPU has.
#[inline(always)]
#[allow(clippy::inline_always)] // the reason above: measured 2× at 1e6 scores
fn at_least<S: Score, const K: usize, const L: usize>(
    scores: &[S],
    min: i64,
    span: u8,
    thresholds: [S::Code; K],
) -> Tallies<K> {
    // Integers: `special` counts the invalid codes (clamped above `span`); none is missing.
    let mut totals = Tallies { above: [0; K], special: 0, missing: 0 };
    let top = S::code_of(span, min);
    for part in scores.chunks(L * S::FLUSH_BLOCKS) {
        let mut counters = [[S::Counter::default(); L]; K];
        let mut specials = [S::Counter::default(); L];
        let mut blocks = part.chunks_exact(L);
        for block in blocks.by_ref() {
            let Ok(block) = <&[S; L]>::try_from(block) else { continue };
            // Codes first, then one compare per threshold over them: loops the compiler
            // vectorizes separately (fused, the narrowing of wide integers does not).
            let codes: [S::Code; L] = std::array::from_fn(|lane| block[lane].code(min, span));
            for (counter, &threshold) in counters.iter_mut().zip(&thresholds) {
                for lane in 0..L {
                    counter[lane] += S::Counter::from(codes[lane] > threshold);
                }
            }
            for lane in 0..L {
                specials[lane] += S::Counter::from(codes[lane] > top);
            }
        }
        let sum = |lanes: &[S::Counter; L]| lanes.iter().map(|&c| c.into()).sum::<u64>();
        for (total, lanes) in totals.above.iter_mut().zip(&counters) {
            *total += sum(lanes);
        }
        totals.special += sum(&specials);
        for &score in blocks.remainder() {
            let code = score.code(min, span);
            for (total, &threshold) in totals.above.iter_mut().zip(&thresholds) {
                *total += u64::from(code > threshold);
            }
            totals.special += u64::from(code > top);
        }
    }
    totals
}

/// [`at_least`] for floats, whose codes are the values themselves: a plain loop over the
/// scores with one counter per threshold, which the compiler vectorizes on its own (integer
/// sums may be reordered) in lanes as wide as the floats' compare masks ([`Score::Counter`]).
/// `special` counts the valid scores. The groups count every value above a threshold: that
/// is the valid ones whenever the counts are used, for NaN compares false and any other
/// invalid value is an error. Missing values are counted only when not all were valid.
#[inline(always)]
#[allow(clippy::inline_always)] // see `at_least`
fn valid_at_least<S: Score, const K: usize>(
    scores: &[S],
    min: i64,
    span: u8,
    thresholds: [S::Code; K],
) -> Tallies<K> {
    let mut totals = Tallies { above: [0; K], special: 0, missing: 0 };
    // Counters as wide as the masks, added into the totals before they could wrap.
    for part in scores.chunks(S::FLUSH_BLOCKS) {
        let mut above = [S::Counter::default(); K];
        let mut valid = S::Counter::default();
        for &score in part {
            let code = score.code(min, span);
            for (count, &threshold) in above.iter_mut().zip(&thresholds) {
                *count += S::Counter::from(code > threshold);
            }
            valid += S::Counter::from(score.valid(min, span));
        }
        for (total, &count) in totals.above.iter_mut().zip(&above) {
            *total += count.into();
        }
        totals.special += valid.into();
    }
    if totals.special < scores.len() as u64 {
        totals.missing = scores.iter().filter(|score| score.missing()).count() as u64;
    }
    totals
}

/// What [`at_least`] counts: per threshold, the codes above it; the special codes (see there);
/// the missing values.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Tallies<const K: usize> {
    above: [u64; K],
    special: u64,
    missing: u64,
}

/// [`at_least`] as a kernel for [`cxm_simd::widest`], with the lane count for the counter's
/// width.
struct AtLeast<'a, S: Score, const K: usize> {
    scores: &'a [S],
    min: i64,
    span: u8,
    thresholds: [S::Code; K],
}

impl<S: Score, const K: usize> cxm_simd::Kernel for AtLeast<'_, S, K> {
    type Output = Tallies<K>;
    #[inline(always)]
    #[allow(clippy::inline_always)] // see `at_least`
    fn run(self) -> Tallies<K> {
        let AtLeast { scores, min, span, thresholds } = self;
        // Integers: 32 byte lanes, two SSE2 registers or one AVX2 register per counter row.
        if S::INVALID_CODES_ABOVE {
            at_least::<S, K, 32>(scores, min, span, thresholds)
        } else {
            valid_at_least(scores, min, span, thresholds)
        }
    }
}

/// [`AtLeast`] on two threads for large inputs.
fn at_least_split<S: Score, const K: usize>(
    scores: &[S],
    min: i64,
    span: u8,
    thresholds: [S::Code; K],
) -> Tallies<K> {
    let count = |part: &[S]| cxm_simd::widest(AtLeast { scores: part, min, span, thresholds });
    if std::mem::size_of_val(scores) < PARALLEL_FROM_BYTES {
        return count(scores);
    }
    let (left, right) = scores.split_at(scores.len() / 2);
    let (mut totals, theirs) = crate::parallel::join(|| count(left), || count(right));
    for (t, &x) in totals.above.iter_mut().zip(&theirs.above) {
        *t += x;
    }
    totals.special += theirs.special;
    totals.missing += theirs.missing;
    totals
}

/// The scale's span when the kernels apply to it, to `starts` (see [`group_counts`]) and to
/// the score type; `None` otherwise.
pub(crate) fn kernel_span<S: Score>(min: i64, max: i64, starts: &[u8]) -> Option<u8> {
    // Codes run to span + 1 and must stay below 128 (integers' codes are signed bytes).
    let span = u8::try_from(max.checked_sub(min)?).ok().filter(|&s| s <= 126)?;
    let fits = !starts.is_empty()
        && starts.len() <= MAX_GROUPS
        && starts[0] == 0
        && starts.windows(2).all(|w| w[0] < w[1])
        && starts.last().is_some_and(|&last| last <= span)
        && S::holds(min)
        && S::holds(max);
    fits.then_some(span)
}

/// Counts per group, then missing, then invalid: `starts` are the groups' first offsets on the
/// scale `min..=min + span` (ascending, the first 0). The group counts hold only when no score
/// is invalid (floats count every value in a group's range, whole or not): with an invalid one
/// the input is an error. `None` when the fused kernel does not apply (too many groups, a
/// scale wider than a code, bounds the score type cannot hold).
pub(crate) fn group_counts<S: Score>(
    scores: &[S],
    min: i64,
    max: i64,
    starts: &[u8],
) -> Option<(Vec<u64>, u64, u64)> {
    let span = kernel_span::<S>(min, max, starts)?;
    let groups = starts.len();
    macro_rules! fused {
        ($($n:literal)*) => {
            match groups - 1 {
                $($n => {
                    // The kernel compares `code > code of (start - 1)`: for whole codes the
                    // same as `>= start`, in one instruction where `>=` takes two.
                    let t: [S::Code; $n] =
                        std::array::from_fn(|i| S::code_of(starts[i + 1] - 1, min));
                    let t = at_least_split(scores, min, span, t);
                    (t.above.to_vec(), t.special, t.missing)
                })*
                _ => return None,
            }
        };
    }
    let (above, special, missing) = fused!(0 1 2 3 4 5 6 7 8 9 10 11 12 13);
    let total = scores.len() as u64;
    let (valid, invalid) = if S::INVALID_CODES_ABOVE {
        (total - special - missing, special)
    } else {
        (special, total - special - missing)
    };
    // Integers' invalid codes are above every threshold: take them out of each count.
    let above: Vec<u64> =
        if S::INVALID_CODES_ABOVE { above.iter().map(|&a| a - invalid).collect() } else { above };
    let mut counts = Vec::with_capacity(groups);
    let mut rest = valid;
    for &a in &above {
        // Saturating: with invalid floats among them the counts are meaningless, not a panic.
        counts.push(rest.saturating_sub(a));
        rest = a;
    }
    counts.push(rest);
    Some((counts, missing, invalid))
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation)] // small test values
mod tests {
    use super::*;

    fn by_hand<S: Score>(scores: &[S], min: i64, max: i64, starts: &[u8]) -> (Vec<u64>, u64, u64) {
        let mut groups = vec![0; starts.len()];
        let (mut missing, mut invalid) = (0, 0);
        for &s in scores {
            match s.place(min, max) {
                crate::score::Placement::Point(p) => {
                    let g = starts.iter().rposition(|&st| usize::from(st) <= p).unwrap();
                    groups[g] += 1;
                }
                crate::score::Placement::Missing => missing += 1,
                _ => invalid += 1,
            }
        }
        (groups, missing, invalid)
    }

    #[test]
    fn counts_match_a_count_by_hand_for_every_type() {
        let raw: Vec<i64> = (0..10_000).map(|i| (i * 7919 % 17) - 3).collect();
        let nps = [0, 7, 9];
        let points = [0, 1, 2, 3, 4];
        macro_rules! check {
            ($($t:ty),*) => {$(
                let scores: Vec<$t> = raw.iter().filter_map(|&x| <$t>::try_from(x).ok()).collect();
                assert_eq!(group_counts(&scores, 0, 10, &nps), Some(by_hand(&scores, 0, 10, &nps)));
                assert_eq!(group_counts(&scores, 1, 5, &points), Some(by_hand(&scores, 1, 5, &points)));
            )*};
        }
        check!(u8, i8, u16, i16, u32, i32, u64, i64);
        // Floats on the scale (and NaN, missing): every count as by hand.
        let mut floats: Vec<f64> = raw.iter().map(|&x| x.clamp(1, 5) as f64).collect();
        floats[5] = f64::NAN;
        floats[8] = -0.0;
        let singles: Vec<f32> = floats.iter().map(|&x| x as f32).collect();
        assert_eq!(group_counts(&floats, 0, 10, &nps), Some(by_hand(&floats, 0, 10, &nps)));
        assert_eq!(group_counts(&singles, 1, 5, &points), Some(by_hand(&singles, 1, 5, &points)));
        // With invalid floats the group counts are not used (the input is refused), but the
        // missing and invalid ones must be counted exactly.
        let mut floats: Vec<f64> = raw.iter().map(|&x| x as f64).collect();
        floats[5] = f64::NAN;
        floats[6] = 2.5;
        floats[7] = f64::INFINITY;
        floats[9] = 1e300;
        let singles: Vec<f32> = floats.iter().map(|&x| x as f32).collect();
        let rest =
            |c: Option<(Vec<u64>, u64, u64)>| c.map(|(_, missing, invalid)| (missing, invalid));
        assert_eq!(
            rest(group_counts(&floats, 0, 10, &nps)),
            rest(Some(by_hand(&floats, 0, 10, &nps)))
        );
        assert_eq!(
            rest(group_counts(&singles, 1, 5, &points)),
            rest(Some(by_hand(&singles, 1, 5, &points)))
        );
    }

    #[test]
    fn avx2_code_counts_what_baseline_code_counts() {
        // The kernel inlined here is compiled for the build's target; under `widest`, for AVX2
        // where the CPU has it.
        let ints: Vec<i64> = (0..5_000).map(|i| (i * 7919 % 15) - 2).collect();
        let floats: Vec<f64> =
            ints.iter().map(|&x| if x == 12 { f64::NAN } else { x as f64 / 1.5 }).collect();
        let t = [6, 8];
        let kernel = AtLeast { scores: &ints, min: 0, span: 10, thresholds: t };
        assert_eq!(at_least::<i64, 2, 32>(&ints, 0, 10, t), cxm_simd::widest(kernel));
        let t = [6.0, 8.0];
        let kernel = AtLeast { scores: &floats, min: 0, span: 10, thresholds: t };
        assert_eq!(valid_at_least(&floats, 0, 10, t), cxm_simd::widest(kernel));
    }

    #[test]
    fn counts_survive_the_flush_and_the_split() {
        // More than 255 blocks per counter, and more than PARALLEL_FROM_BYTES of scores.
        let scores: Vec<u8> = (0..PARALLEL_FROM_BYTES + 12_345).map(|i| (i % 13) as u8).collect();
        assert_eq!(
            group_counts(&scores, 0, 10, &[0, 7, 9]),
            Some(by_hand(&scores, 0, 10, &[0, 7, 9]))
        );
    }

    #[test]
    fn bounds_the_type_cannot_hold_fall_back() {
        // Bounds the type cannot hold, a span past a signed byte's codes, too many groups.
        assert_eq!(group_counts(&[1_u8], -1, 10, &[0]), None);
        assert_eq!(group_counts(&[1_i8], 100, 200, &[0]), None);
        assert_eq!(group_counts(&[1.0_f32], 1 << 24, (1 << 24) + 10, &[0]), None);
        // f32 from 2^22 on: adding 1.5·2^23 there no longer rounds to whole numbers.
        assert_eq!(group_counts(&[4_194_305.0_f32], 4_194_300, 4_194_310, &[0]), None);
        assert_eq!(group_counts(&[1_i8], 0, 300, &[0]), None);
        let fifteen: Vec<u8> = (0..15).collect();
        assert!(group_counts(&[1_i64], 0, 20, &fifteen).is_none());
    }
}
