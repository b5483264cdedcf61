//! Sorting the time keys of a Kaplan–Meier curve, the bulk of its cost: radix sorts (Knuth,
//! *TAOCP* vol. 3, §5.2.5) that skip the bits every key shares (times in whole seconds share
//! their low mantissa bits; times of one range their exponent). Many keys are spread into
//! buckets by their highest bits that differ (most significant digit first), on two threads,
//! until the buckets fit in cache; there they are sorted least significant digit first, the
//! buckets of about half the keys on each thread. Linear in the keys, where a comparison sort
//! is not.

/// Bits per digit of the in-cache sort: 2 048 counters fit in the first-level cache.
const DIGIT_BITS: u32 = 11;
const DIGIT_VALUES: usize = 1 << DIGIT_BITS;
/// Below this many keys a comparison sort is as fast.
const RADIX_FROM: usize = 1 << 9;
/// Up to this many keys (128 KiB) are sorted digit by digit in cache; more are spread first.
const IN_CACHE: usize = 1 << 14;
/// Keys per bucket that a spread aims at, with at most 2^11 buckets.
const BUCKET_KEYS: usize = 1 << 12;
/// From this many keys on, the first spread runs on two threads.
const PARALLEL_FROM: usize = 1 << 16;

/// Digit `d` (of 11 bits, from bit `d · 11`) of `key`.
#[allow(clippy::cast_possible_truncation)] // masked to 11 bits
fn digit(key: u64, d: u32) -> usize {
    ((key >> (d * DIGIT_BITS)) as usize) & (DIGIT_VALUES - 1)
}

/// Sorts `keys` ascending.
pub(crate) fn sort(keys: &mut [u64]) {
    let n = keys.len();
    if n < RADIX_FROM {
        keys.sort_unstable();
        return;
    }
    let mut room = vec![0; n];
    if n < PARALLEL_FROM {
        sort_in_place(keys, &mut room, 64);
        return;
    }
    let (and, or) = {
        let (a, b) = keys.split_at(n / 2);
        let ((and_a, or_a), (and_b, or_b)) = crate::parallel::join(|| shared(a), || shared(b));
        (and_a & and_b, or_a | or_b)
    };
    let Some(digit) = Digit::spreading(n, and, or) else { return };
    let mut buckets = digit.spread_on_two_threads(keys, &mut room);
    // Each thread sorts buckets of about half the keys into their places: the largest first,
    // each to the thread with fewer keys so far.
    buckets.sort_unstable_by_key(|b| std::cmp::Reverse(b.keys.len()));
    let (mut first, mut second, mut loads) = (Vec::new(), Vec::new(), [0, 0]);
    for b in buckets {
        let thread = usize::from(loads[1] < loads[0]);
        loads[thread] += b.keys.len();
        if thread == 0 { &mut first } else { &mut second }.push(b);
    }
    let sort_all = |buckets: Vec<Bucket<'_>>| {
        for b in buckets {
            sort_into(b.keys, b.place, digit.shift);
        }
    };
    crate::parallel::join(|| sort_all(first), || sort_all(second));
}

/// The AND and the OR of `keys`: the bits set in both are shared by every key, and so are
/// those clear in both.
fn shared(keys: &[u64]) -> (u64, u64) {
    keys.iter().fold((u64::MAX, 0), |(a, o), &k| (a & k, o | k))
}

/// A bucket of spread keys: its keys, and their place.
struct Bucket<'a> {
    keys: &'a mut [u64],
    place: &'a mut [u64],
}

/// The digit that spreads keys: their highest bits that differ.
#[derive(Clone, Copy)]
struct Digit {
    shift: u32,
    mask: usize,
}

impl Digit {
    /// The digit spreading `n` keys with AND `and` and OR `or` into buckets of about
    /// [`BUCKET_KEYS`]; `None` when all keys are equal.
    fn spreading(n: usize, and: u64, or: u64) -> Option<Digit> {
        let differ = and ^ or;
        if differ == 0 {
            return None;
        }
        let width = (usize::BITS - (n / BUCKET_KEYS).leading_zeros()).clamp(1, DIGIT_BITS);
        let shift = (64 - differ.leading_zeros()).saturating_sub(width);
        Some(Digit { shift, mask: (1 << width) - 1 })
    }

    #[allow(clippy::cast_possible_truncation)] // masked to at most 11 bits
    fn of(self, key: u64) -> usize {
        ((key >> self.shift) as usize) & self.mask
    }

    /// How many of `keys` fall in each bucket.
    fn counts(self, keys: &[u64]) -> Vec<usize> {
        let mut counts = vec![0; self.mask + 1];
        for &k in keys {
            counts[self.of(k)] += 1;
        }
        counts
    }

    /// `keys` spread into `room`, in buckets in the digit's order; each bucket of more than
    /// one key with its place in `keys` (a bucket of one is put in place at once).
    fn spread<'a>(self, keys: &'a mut [u64], room: &'a mut [u64]) -> Vec<Bucket<'a>> {
        let counts = self.counts(keys);
        let mut next = starts(&counts);
        for &k in keys.iter() {
            let slot = &mut next[self.of(k)];
            room[*slot] = k;
            *slot += 1;
        }
        buckets(&counts, room, keys)
    }

    /// [`Digit::spread`] of many keys on two threads, each spreading half of them into its own
    /// share of each bucket.
    fn spread_on_two_threads<'a>(
        self,
        keys: &'a mut [u64],
        room: &'a mut [u64],
    ) -> Vec<Bucket<'a>> {
        let half = keys.len() / 2;
        let (a, b) = keys.split_at(half);
        let (counts_a, counts_b) = crate::parallel::join(|| self.counts(a), || self.counts(b));
        {
            let (mut shares_a, mut shares_b) = (Vec::new(), Vec::new());
            let mut rest = &mut room[..];
            for (&ca, &cb) in counts_a.iter().zip(&counts_b) {
                let (bucket, after) = std::mem::take(&mut rest).split_at_mut(ca + cb);
                let (share_a, share_b) = bucket.split_at_mut(ca);
                shares_a.push(share_a);
                shares_b.push(share_b);
                rest = after;
            }
            let scatter = |keys: &[u64], shares: &mut [&mut [u64]]| {
                let mut filled = vec![0; shares.len()];
                for &k in keys {
                    let b = self.of(k);
                    shares[b][filled[b]] = k;
                    filled[b] += 1;
                }
            };
            crate::parallel::join(|| scatter(a, &mut shares_a), || scatter(b, &mut shares_b));
        }
        let counts: Vec<usize> = counts_a.iter().zip(&counts_b).map(|(a, b)| a + b).collect();
        buckets(&counts, room, keys)
    }
}

/// Where each bucket of `counts` starts.
fn starts(counts: &[usize]) -> Vec<usize> {
    counts
        .iter()
        .scan(0, |start, &c| {
            let here = *start;
            *start += c;
            Some(here)
        })
        .collect()
}

/// The buckets of `counts` keys, spread in `spread`, with their places in `places`; a bucket of
/// one key is put in its place at once.
fn buckets<'a>(counts: &[usize], spread: &'a mut [u64], places: &'a mut [u64]) -> Vec<Bucket<'a>> {
    let mut out = Vec::new();
    let (mut rest, mut places) = (spread, places);
    for &count in counts {
        let (keys, after) = std::mem::take(&mut rest).split_at_mut(count);
        let (place, places_after) = std::mem::take(&mut places).split_at_mut(count);
        (rest, places) = (after, places_after);
        if count > 1 {
            out.push(Bucket { keys, place });
        } else {
            place.copy_from_slice(keys);
        }
    }
    out
}

/// Sorts `keys` (which agree on every bit from `bits` up) into `place`, as long: `keys` is
/// left as room.
fn sort_into(keys: &mut [u64], place: &mut [u64], bits: u32) {
    if keys.len() <= IN_CACHE {
        if !sort_below(keys, place, bits) {
            place.copy_from_slice(keys);
        }
        return;
    }
    let (and, or) = shared(keys);
    let Some(digit) = Digit::spreading(keys.len(), and, or) else {
        place.copy_from_slice(keys);
        return;
    };
    for b in digit.spread(keys, place) {
        // The bucket's keys are in `place`, its place; `keys` is its room.
        sort_in_place(b.keys, b.place, digit.shift);
    }
}

/// Sorts `keys` (which agree on every bit from `bits` up) in place, with `room` as long.
fn sort_in_place(keys: &mut [u64], room: &mut [u64], bits: u32) {
    if keys.len() <= IN_CACHE {
        if sort_below(keys, room, bits) {
            keys.copy_from_slice(room);
        }
        return;
    }
    let (and, or) = shared(keys);
    let Some(digit) = Digit::spreading(keys.len(), and, or) else { return };
    for b in digit.spread(keys, room) {
        sort_into(b.keys, b.place, digit.shift);
    }
}

/// Sorts `keys`, which agree on every bit from `bits` up, by their bits below (least
/// significant digit first), with `room` (as long) for the moves: `true` when the keys end
/// sorted in `room`, `false` when in `keys`.
fn sort_below(keys: &mut [u64], room: &mut [u64], bits: u32) -> bool {
    let n = keys.len();
    if n < RADIX_FROM {
        keys.sort_unstable();
        return false;
    }
    let digits = bits.div_ceil(DIGIT_BITS);
    // Every digit's counts in one pass over the keys.
    let mut counts = vec![[0_u32; DIGIT_VALUES]; digits as usize];
    for &key in keys.iter() {
        for (d, count) in (0..digits).zip(counts.iter_mut()) {
            count[digit(key, d)] += 1;
        }
    }
    let (mut from, mut to) = (keys, room);
    let mut moved = false;
    #[allow(clippy::cast_possible_truncation)] // n ≤ IN_CACHE
    let all = n as u32;
    for (d, count) in (0..digits).zip(counts.iter_mut()) {
        // A digit all keys share does not move them.
        if count[digit(from[0], d)] == all {
            continue;
        }
        let mut start = 0;
        for slot in count.iter_mut() {
            (*slot, start) = (start, start + *slot);
        }
        for &key in from.iter() {
            let slot = &mut count[digit(key, d)];
            to[*slot as usize] = key;
            *slot += 1;
        }
        (from, to) = (to, from);
        moved = !moved;
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survival::testing::Rng;

    #[test]
    fn sorts_as_a_comparison_sort_does() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut next = || rng.next(u64::MAX); // all 64 bits (bar u64::MAX itself)
                                              // Few keys and many (spread into buckets), over all bits, the low ones, an exponent's,
                                              // and one bucket holding most keys.
        let masks = [u64::MAX, 0xFFFF, 0x7FF0_0000_0000_0000, 0x0000_0000_FFFF_FFFF];
        for (n, mask) in
            [5_000, 10_000, 20_000, 300_000].into_iter().flat_map(|n| masks.map(|m| (n, m)))
        {
            let mut keys: Vec<u64> = (0..n).map(|_| next() & mask).collect();
            if mask == 0x0000_0000_FFFF_FFFF {
                keys.iter_mut().step_by(3).for_each(|k| *k = 0x8000_0000 | (*k & 0xFF));
            }
            let mut want = keys.clone();
            want.sort_unstable();
            sort(&mut keys);
            assert_eq!(keys, want, "{n} keys under {mask:x}");
        }
        let mut same = vec![7_u64; 100_000];
        sort(&mut same);
        assert!(same.iter().all(|&k| k == 7));
    }
}
