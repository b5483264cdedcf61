//! Sorting the time keys of a Kaplan–Meier curve, the bulk of its cost: a least-significant-
//! digit radix sort (Knuth, *TAOCP* vol. 3, §5.2.5) in 11-bit digits, which skips the digits
//! every key shares (times in whole seconds share their low mantissa bits; times of one range
//! their exponent). Linear in the keys, where a comparison sort is not.

/// Bits per digit: 2 048 counters fit in the first-level cache.
const DIGIT_BITS: u32 = 11;
const DIGITS: usize = 64_usize.div_ceil(DIGIT_BITS as usize);
const BUCKETS: usize = 1 << DIGIT_BITS;
/// Below this many keys a comparison sort is as fast.
const RADIX_FROM: usize = 1 << 12;

/// Digit `d` of `key`.
#[allow(clippy::cast_possible_truncation)] // masked to 11 bits
fn digit(key: u64, d: usize) -> usize {
    ((key >> (d as u32 * DIGIT_BITS)) as usize) & (BUCKETS - 1)
}

/// Sorts `keys` ascending.
pub(crate) fn sort(keys: &mut Vec<u64>) {
    let n = keys.len();
    if n < RADIX_FROM {
        keys.sort_unstable();
        return;
    }
    // Every digit's counts in one pass over the keys.
    let mut counts = vec![[0_usize; BUCKETS]; DIGITS];
    for &key in keys.iter() {
        for (d, count) in counts.iter_mut().enumerate() {
            count[digit(key, d)] += 1;
        }
    }
    let mut buffer = vec![0_u64; n];
    for (d, count) in counts.iter_mut().enumerate() {
        // A digit all keys share does not move them.
        if count[digit(keys[0], d)] == n {
            continue;
        }
        let mut start = 0;
        for slot in count.iter_mut() {
            (*slot, start) = (start, start + *slot);
        }
        for &key in keys.iter() {
            let slot = &mut count[digit(key, d)];
            buffer[*slot] = key;
            *slot += 1;
        }
        std::mem::swap(keys, &mut buffer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_a_comparison_sort_does() {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for (n, mask) in [(5_000, u64::MAX), (10_000, 0xFFFF), (20_000, 0x7FF0_0000_0000_0000)] {
            let mut keys: Vec<u64> = (0..n).map(|_| next() & mask).collect();
            let mut want = keys.clone();
            want.sort_unstable();
            sort(&mut keys);
            assert_eq!(keys, want);
        }
    }
}
