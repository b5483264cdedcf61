//! The counting kernel every unweighted metric starts from: how many scores fall in each group
//! of a scale's points (each point for CSAT and CES, detractors/passives/promoters for NPS),
//! and how many are missing or invalid.
//!
//! Each score is turned into a code as wide as itself (its offset on the scale, or one of two
//! codes for "invalid" and "missing", see [`Score::code`]), and the codes are compared against
//! each group's first code in blocks of lanes with one counter each: a form the compiler turns
//! into vector compares and subtractions (byte-wise for 8-bit scores), with no table lookup and
//! no branch per score. The counters are added into `u64` totals before they can wrap. Above [`PARALLEL_FROM`] scores the
//! input is split between two threads, which is where a second core pays for its start.

use crate::score::Score;

/// The most groups the fused kernel takes (plus the two codes for invalid and missing); larger
/// scales are counted by the general per-score path.
pub(crate) const MAX_GROUPS: usize = 14;

/// From this many bytes of scores on, two threads count half each (measured: below it,
/// starting the thread costs more than it saves; see docs/benchmarks.md).
pub(crate) const PARALLEL_FROM_BYTES: usize = 4 << 20;

/// Counts of the scores whose code is above each of `thresholds`, in blocks of `L` lanes: one
/// counter per lane and threshold, as wide as the code, so that each block is a few vector
/// compares and subtractions.
fn at_least<S: Score, const K: usize, const L: usize>(
    scores: &[S],
    min: i64,
    span: u8,
    thresholds: [S::Code; K],
) -> [u64; K] {
    let mut totals = [0_u64; K];
    for part in scores.chunks(L * S::FLUSH_BLOCKS) {
        let mut counters = [[S::Counter::default(); L]; K];
        let mut blocks = part.chunks_exact(L);
        for block in blocks.by_ref() {
            let Ok(block) = <&[S; L]>::try_from(block) else { continue };
            // Codes first, then one compare per threshold over them: two loops the compiler
            // vectorizes separately (fused, the narrowing of wide integers does not).
            let codes: [S::Code; L] = std::array::from_fn(|lane| block[lane].code(min, span));
            for (counter, &threshold) in counters.iter_mut().zip(&thresholds) {
                for (lane, &code) in counter.iter_mut().zip(&codes) {
                    *lane += S::Counter::from(code > threshold);
                }
            }
        }
        for (total, lanes) in totals.iter_mut().zip(&counters) {
            *total += lanes.iter().map(|&c| c.into()).sum::<u64>();
        }
        for &score in blocks.remainder() {
            let code = score.code(min, span);
            for (total, &threshold) in totals.iter_mut().zip(&thresholds) {
                *total += u64::from(code > threshold);
            }
        }
    }
    totals
}

/// [`at_least`] with the lane count for the score's width, on two threads for large inputs.
fn at_least_split<S: Score, const K: usize>(
    scores: &[S],
    min: i64,
    span: u8,
    thresholds: [S::Code; K],
) -> [u64; K] {
    // One or two SSE2 registers per counter row: more would spill with four thresholds.
    let count = |part: &[S]| match std::mem::size_of::<S::Counter>() {
        1 => at_least::<S, K, 32>(part, min, span, thresholds),
        2 => at_least::<S, K, 16>(part, min, span, thresholds),
        4 => at_least::<S, K, 8>(part, min, span, thresholds),
        _ => at_least::<S, K, 2>(part, min, span, thresholds),
    };
    if std::mem::size_of_val(scores) < PARALLEL_FROM_BYTES {
        return count(scores);
    }
    let (left, right) = scores.split_at(scores.len() / 2);
    let (mut totals, theirs) = std::thread::scope(|scope| {
        let other = scope.spawn(|| count(right));
        let mine = count(left);
        // A thread that cannot be joined has panicked; count its half here instead.
        (mine, other.join().unwrap_or_else(|_| count(right)))
    });
    for (t, &x) in totals.iter_mut().zip(&theirs) {
        *t += x;
    }
    totals
}

/// Counts per group, then missing, then invalid: `starts` are the groups' first offsets on the
/// scale `min..=min + span` (ascending, the first 0). `None` when the fused kernel does not
/// apply (too many groups, a scale wider than a code, bounds the score type cannot hold).
pub(crate) fn group_counts<S: Score>(
    scores: &[S],
    min: i64,
    max: i64,
    starts: &[u8],
) -> Option<(Vec<u64>, u64, u64)> {
    // Codes run to span + 2 and must stay below 128 (integers' codes are signed bytes).
    let span = u8::try_from(max.checked_sub(min)?).ok().filter(|&s| s <= 125)?;
    if starts.is_empty() || starts.len() > MAX_GROUPS || !S::holds(min) || !S::holds(max) {
        return None;
    }
    let (invalid, missing) = (span + 1, span + 2);
    // Thresholds: each group's start after the first, then the two special codes.
    let mut thresholds = [u8::MAX; MAX_GROUPS + 1];
    thresholds[..starts.len() - 1].copy_from_slice(&starts[1..]);
    thresholds[starts.len() - 1] = invalid;
    thresholds[starts.len()] = missing;
    let k = starts.len() + 1;
    macro_rules! fused {
        ($($n:literal)*) => {
            match k {
                $($n => {
                    // Each threshold is at least 1; the kernel compares `code > threshold - 1`,
                    // one instruction where `>=` takes two.
                    let t: [S::Code; $n] = std::array::from_fn(|i| S::code_of(thresholds[i] - 1));
                    at_least_split(scores, min, span, t).to_vec()
                })*
                _ => return None,
            }
        };
    }
    let at_least = fused!(2 3 4 5 6 7 8 9 10 11 12 13 14 15);
    // at_least[i] counts codes ≥ threshold i; n = scores.len() counts codes ≥ 0.
    let total = scores.len() as u64;
    let mut groups = Vec::with_capacity(starts.len());
    let mut above = total;
    for &count in &at_least[..starts.len()] {
        groups.push(above - count);
        above = count;
    }
    let missing_count = at_least[starts.len()];
    let invalid_count = at_least[starts.len() - 1] - missing_count;
    Some((groups, missing_count, invalid_count))
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
        let mut floats: Vec<f64> = raw.iter().map(|&x| x as f64).collect();
        floats[5] = f64::NAN;
        floats[6] = 2.5;
        floats[7] = f64::INFINITY;
        floats[8] = -0.0;
        let singles: Vec<f32> = floats.iter().map(|&x| x as f32).collect();
        assert_eq!(group_counts(&floats, 0, 10, &nps), Some(by_hand(&floats, 0, 10, &nps)));
        assert_eq!(group_counts(&singles, 1, 5, &points), Some(by_hand(&singles, 1, 5, &points)));
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
        assert_eq!(group_counts(&[1_u8], -1, 10, &[0]), None);
        assert_eq!(group_counts(&[1_i8], 0, 300, &[0]), None);
        assert!(group_counts(&[1_i64], 0, 10, &[0; MAX_GROUPS + 1]).is_none());
    }
}
