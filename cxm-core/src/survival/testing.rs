//! What the survival states' tests share: seeded randomness, random splits merged in random
//! trees through their bytes, and the check that corrupted bytes are refused.

use std::fmt::Debug;

use crate::state::State;

/// A xorshift generator: the tests' randomness, seeded.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self, m: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % m
    }
}

/// The state of `n` records split at random into batches (`add(start, end)` makes the state of
/// records `start..end`), each sent through its bytes, then merged in a random tree.
#[allow(clippy::cast_possible_truncation)] // small test numbers
pub(crate) fn split_and_merged<S: State + Default>(
    rng: &mut Rng,
    n: usize,
    add: impl Fn(usize, usize) -> S,
) -> S {
    let mut parts = Vec::new();
    let mut start = 0;
    while start < n {
        let end = (start + 1 + rng.next(n as u64 / 3 + 1) as usize).min(n);
        parts.push(S::from_bytes(&add(start, end).to_bytes()).unwrap());
        start = end;
    }
    while parts.len() > 1 {
        let i = rng.next(parts.len() as u64 - 1) as usize;
        let right = parts.remove(i + 1);
        parts[i].merge(&right).unwrap();
    }
    parts.pop().unwrap_or_default()
}

/// Every truncation of `state`'s bytes is refused, and every flipped bit is refused or (where
/// it changes nothing the checks can see) finishes to the same result.
pub(crate) fn corrupted_bytes_are_refused<S: State>(state: &S)
where
    S::Output: Debug,
{
    let bytes = state.to_bytes();
    let want = format!("{:?}", state.finish());
    for len in 0..bytes.len() {
        assert!(S::from_bytes(&bytes[..len]).is_err(), "{len} bytes");
    }
    for bit in 0..bytes.len() * 8 {
        let mut flipped = bytes.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        if let Ok(s) = S::from_bytes(&flipped) {
            assert_eq!(format!("{:?}", s.finish()), want, "bit {bit}");
        }
    }
}
