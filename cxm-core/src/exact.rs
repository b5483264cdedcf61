//! Exact, order-independent sums of doubles, rounded once: what lets a state merged from any
//! split of the data finish to the same bits as one pass over it.
//!
//! A compensated sum (`sum.rs`) is accurate, but its last bit depends on the order of the
//! terms, so two machines that split the same weights differently disagree. Here every double
//! is added *exactly* into one fixed-point integer wide enough for every finite double (and for
//! 2^64 of them), and only the final total is rounded to the nearest double (ties to even).
//! Integer addition is associative, so the total is the same whatever the order, split or merge
//! tree. This is the "small superaccumulator" of Neal, R. M. (2015), "Fast exact summation
//! using small and large superaccumulators", arXiv:1505.05571: 32-bit chunks kept in 64-bit
//! words, so that a term touches two words and carries are propagated only every thousand terms.
//!
//! Only the words a sum has reached are stored: weights of a few magnitudes reach three to five
//! of the 68, so a state of 100 000 segments holds kilobytes where full accumulators would take
//! hundreds of megabytes, and copies and merges touch those words alone.

use std::fmt;

use crate::small::Small;

/// Bits of the fixed-point integer each word holds once carries are propagated.
const CHUNK_BITS: u32 = 32;
/// The fixed point's unit is 2^-1074, the smallest subnormal double, so every double is a whole
/// number of units: its 53-bit significand at bit `exponent - 1` (0 for subnormals), the top bit
/// at most 2098. 66 words cover that; two more hold the carries of up to 2^64 terms.
const CHUNKS: usize = 68;
/// Terms added between carry propagations. A term adds less than 2^53 to a word and a
/// propagated word is below 2^32 in size, so a word stays below 2^63 for this many terms.
const TERMS_BETWEEN_CARRIES: u32 = 1000;
/// The bits of a double's significand field.
const FRACTION_BITS: u32 = 52;

/// Non-finite terms, which no fixed point holds: kept apart and combined as IEEE 754 would.
const SAW_POSITIVE_INFINITY: u8 = 1;
const SAW_NEGATIVE_INFINITY: u8 = 2;
const SAW_NAN: u8 = 4;

/// The exact sum of any number of doubles, in any order, rounded once when read.
///
/// [`ExactSum::total`] is the exact sum rounded to the nearest double (ties to even), so it is
/// the same bits however the terms were ordered, split and merged. Non-finite terms behave as
/// in IEEE 754 arithmetic: NaN, or +∞ and −∞ together, give NaN; one kind of infinity gives it.
/// A total beyond the largest double rounds to ±∞. An exact zero is `+0.0`.
///
/// ```
/// use cxm_core::ExactSum;
/// let mut a = ExactSum::new();
/// for x in [1.0, 1e100, 1.0, -1e100] {
///     a.add(x);
/// }
/// assert_eq!(a.total(), 2.0); // a plain f64 sum gives 0
///
/// // Split the terms in two, sum each part apart, merge: the same bits.
/// let (mut left, mut right) = (ExactSum::new(), ExactSum::new());
/// [0.1, 0.2].iter().for_each(|&x| left.add(x));
/// right.add(0.3);
/// left.merge(&right);
/// assert_eq!(left.total(), 0.6); // 0.1 + 0.2 + 0.3 is 0.6000000000000001 in f64
/// ```
#[derive(Clone)]
pub struct ExactSum {
    /// The sum in units of 2^-1074, from word `first` of the 68 up: `words[i]` weighs
    /// 2^(32·(first + i)), signed, not yet carried. Every word outside them is zero.
    words: Words,
    /// The index of `words[0]` among the 68 (0 when no word is stored).
    first: u8,
    /// Terms and merges since carries were last propagated (while 0, every word is within
    /// ±2^32: carried, or read from digits).
    since_carry: u32,
    /// Which non-finite terms were seen (the `SAW_*` bits).
    non_finite: u8,
}

impl ExactSum {
    /// An empty sum (total `0.0`).
    #[must_use]
    pub const fn new() -> ExactSum {
        ExactSum { words: Words::empty(0), first: 0, since_carry: 0, non_finite: 0 }
    }

    /// The index among the 68 of the word above the stored ones.
    fn end(&self) -> usize {
        usize::from(self.first) + self.words.len()
    }

    /// Stores the words `low..=high` (and any between them and those stored), as zeros where
    /// new.
    #[allow(clippy::cast_possible_truncation)] // word indexes are below 68
    fn reach(&mut self, low: usize, high: usize) {
        if self.words.is_empty() {
            self.words.grow(0, high + 1 - low);
            self.first = low as u8;
            return;
        }
        let (first, end) = (usize::from(self.first), self.end());
        self.words.grow(first.saturating_sub(low), (high + 1).saturating_sub(end));
        self.first = self.first.min(low as u8);
    }

    /// Adds one term, exactly.
    #[inline]
    pub fn add(&mut self, x: f64) {
        let bits = x.to_bits();
        let biased = (bits >> FRACTION_BITS) & 0x7ff;
        let fraction = bits & ((1 << FRACTION_BITS) - 1);
        if biased == 0x7ff {
            self.non_finite |= match (fraction, x > 0.0) {
                (0, true) => SAW_POSITIVE_INFINITY,
                (0, false) => SAW_NEGATIVE_INFINITY,
                _ => SAW_NAN,
            };
            return;
        }
        // value = significand × 2^(position − 1074)
        let (significand, position) =
            if biased == 0 { (fraction, 0) } else { (fraction | (1 << FRACTION_BITS), biased - 1) };
        #[allow(clippy::cast_possible_truncation)] // position ≤ 2045: the word is at most 63
        let word = (position / u64::from(CHUNK_BITS)) as usize;
        let shifted = u128::from(significand) << (position % u64::from(CHUNK_BITS));
        // Below 2^32 and below 2^53: both fit an i64 exactly.
        #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
        let (low, high) = ((shifted as u64 & 0xffff_ffff) as i64, (shifted >> CHUNK_BITS) as i64);
        if word < usize::from(self.first) || word + 2 > self.end() {
            self.reach(word, word + 1);
        }
        let at = word - usize::from(self.first);
        if x.is_sign_negative() {
            self.words[at] -= low;
            self.words[at + 1] -= high;
        } else {
            self.words[at] += low;
            self.words[at + 1] += high;
        }
        self.since_carry += 1;
        if self.since_carry == TERMS_BETWEEN_CARRIES {
            self.carry();
        }
    }

    /// Adds every term of `other`: afterwards `self` is the sum of both sets of terms.
    pub fn merge(&mut self, other: &ExactSum) {
        self.combine(other, false);
    }

    /// Takes the terms of `other` away: afterwards `self` is its sum less `other`'s, exactly
    /// (as adding their negations would be; a non-finite term of `other` counts negated).
    pub(crate) fn subtract(&mut self, other: &ExactSum) {
        self.combine(other, true);
    }

    /// Adds every term of `other`, or with `negate` its negation.
    fn combine(&mut self, other: &ExactSum, negate: bool) {
        // Most sums are already carried (merged, read back, or settled), and are combined as
        // they are; others are carried on a copy first.
        let carried;
        let other = if other.is_carried() {
            other
        } else {
            carried = {
                let mut copy = other.clone();
                copy.carry();
                copy
            };
            &carried
        };
        let (positive, negative) =
            (other.non_finite & SAW_POSITIVE_INFINITY, other.non_finite & SAW_NEGATIVE_INFINITY);
        self.non_finite |= if negate {
            (other.non_finite & SAW_NAN)
                | if positive != 0 { SAW_NEGATIVE_INFINITY } else { 0 }
                | if negative != 0 { SAW_POSITIVE_INFINITY } else { 0 }
        } else {
            other.non_finite
        };
        if other.words.is_empty() {
            return;
        }
        // `other`'s words are within ±2^32, less than a term adds: a merge counts as a term
        // towards the next carry, so that a long run of merges (a table's overall state) is
        // carried only every thousand.
        self.reach(usize::from(other.first), other.end() - 1);
        let from = usize::from(other.first - self.first);
        for (word, term) in self.words[from..].iter_mut().zip(other.words.iter()) {
            *word += if negate { -term } else { *term };
        }
        self.since_carry += 1;
        if self.since_carry == TERMS_BETWEEN_CARRIES {
            self.carry();
        }
    }

    /// Whether every stored word but the top one is in `0..2^32` and the top one in
    /// `-2^32..2^32`: the form carries leave, which merges and reads need.
    fn is_carried(&self) -> bool {
        let Some((top, below)) = self.words.split_last() else {
            return true;
        };
        below.iter().all(|w| (0..1 << CHUNK_BITS).contains(w))
            && (-(1 << CHUNK_BITS)..1 << CHUNK_BITS).contains(top)
    }

    /// Whether the sum is carried and not negative: its words are then its magnitude's digits.
    fn is_carried_magnitude(&self) -> bool {
        self.is_carried() && self.words.last().is_none_or(|&top| top >= 0)
    }

    /// The sum's magnitude, carried, and whether it is negative: `self` itself when it is
    /// carried and not negative, a carried copy otherwise.
    fn magnitude(&self) -> (std::borrow::Cow<'_, ExactSum>, bool) {
        if self.is_carried_magnitude() {
            return (std::borrow::Cow::Borrowed(self), false);
        }
        let mut sum = self.clone();
        sum.carry();
        let negative = sum.words.last().is_some_and(|&top| top < 0);
        if negative {
            for word in sum.words.iter_mut() {
                *word = -*word;
            }
            sum.carry();
        }
        (std::borrow::Cow::Owned(sum), negative)
    }

    /// Carries the sum: the same value in the form that merges and reads without a copy.
    pub(crate) fn settle(&mut self) {
        self.carry();
    }

    /// The exact sum rounded to the nearest double, ties to even (see the type's docs for
    /// non-finite terms and overflow).
    #[must_use]
    pub fn total(&self) -> f64 {
        match self.non_finite {
            0 => {}
            SAW_POSITIVE_INFINITY => return f64::INFINITY,
            SAW_NEGATIVE_INFINITY => return f64::NEG_INFINITY,
            _ => return f64::NAN,
        }
        if self.is_carried_magnitude() {
            return self.round_magnitude(); // most sums: no copy
        }
        let (sum, negative) = self.magnitude();
        let magnitude = sum.round_magnitude();
        if negative {
            -magnitude
        } else {
            magnitude
        }
    }

    /// Propagates carries so that every word but the top one lies in `0..2^32` and the top one
    /// in `-2^32..2^32` (a negative sum has a negative top word); the value is unchanged
    /// (arithmetic shifts floor, so negative words borrow from the next). Words that end up
    /// zero at either end are no longer stored.
    fn carry(&mut self) {
        self.since_carry = 0;
        let in_range = -(1 << CHUNK_BITS)..1 << CHUNK_BITS;
        let mut k = 0;
        while k < self.words.len() {
            if k + 1 == self.words.len() {
                // A top word out of range carries into a new one (up to the 68th, which the
                // value never fills).
                if in_range.contains(&self.words[k]) || self.end() == CHUNKS {
                    break;
                }
                self.words.grow(0, 1);
            }
            let carry = self.words[k] >> CHUNK_BITS;
            self.words[k] -= carry << CHUNK_BITS;
            self.words[k + 1] += carry;
            k += 1;
        }
        // Zero words at either end are no longer stored.
        let low = self.words.iter().take_while(|&&w| w == 0).count();
        let high = self.words.iter().rposition(|&w| w != 0).map_or(low, |top| top + 1);
        if low > 0 || high < self.words.len() {
            self.words.keep(low, high);
            let first = if high > low { usize::from(self.first) + low } else { 0 };
            #[allow(clippy::cast_possible_truncation)] // below 68
            let first = first as u8;
            self.first = first;
        }
    }

    /// The non-negative, carried sum rounded to the nearest double.
    fn round_magnitude(&self) -> f64 {
        let Some(top) = self.words.iter().rposition(|&w| w != 0) else {
            return 0.0;
        };
        // The top four words as one 128-bit integer whose bit 0 weighs 2^(32·(top − 3)) units
        // (words below those stored are zero); words below them only decide ties (`sticky`).
        #[allow(clippy::cast_sign_loss)] // carried: every word is non-negative
        let word = |k: usize| top.checked_sub(k).map_or(0, |i| self.words[i] as u128);
        let head = (word(0) << 96) | (word(1) << 64) | (word(2) << 32) | word(3);
        let sticky = top >= 4 && self.words[..top - 3].iter().any(|&w| w != 0);
        let head_bits = 128 - head.leading_zeros(); // ≥ 97: the top word is not zero
        #[allow(clippy::cast_possible_wrap, clippy::cast_possible_truncation)]
        let base = 32 * (usize::from(self.first) + top) as i64 - 96;
        if base + i64::from(head_bits) <= i64::from(FRACTION_BITS) + 1 {
            // At most 53 bits: exact, and `base < 0` since `head_bits ≥ 97`.
            #[allow(clippy::cast_possible_truncation)]
            let units = (head >> base.unsigned_abs()) as u64;
            return f64::from_bits(units); // below 2^53 units: the bits are the value itself
        }
        let drop = head_bits - (FRACTION_BITS + 1);
        #[allow(clippy::cast_possible_truncation)]
        let mut significand = (head >> drop) as u64;
        let rest = head & ((1 << drop) - 1);
        let half = 1u128 << (drop - 1);
        if rest > half || (rest == half && (sticky || significand & 1 == 1)) {
            significand += 1;
        }
        let mut exponent = base + i64::from(drop); // the significand's unit, in units
        if significand == 1 << (FRACTION_BITS + 1) {
            significand >>= 1;
            exponent += 1;
        }
        // significand × 2^(exponent − 1074) has biased exponent `exponent + 1`.
        if exponent + 1 >= 0x7ff {
            return f64::INFINITY;
        }
        #[allow(clippy::cast_sign_loss)] // exponent > 0 here
        f64::from_bits(((exponent as u64) << FRACTION_BITS) + significand)
    }
}

/// Words kept inline up to this many: weights of a few magnitudes, and their sum, reach three
/// to five.
const INLINE_WORDS: usize = 6;

/// The stored words of an [`ExactSum`]: inline when few (no allocation per sum, for a table of
/// 100 000 segments holds half a million of them), else on the heap.
type Words = Small<i64, INLINE_WORDS>;

/// The parts of an [`ExactSum`] as the binary state format writes them: the sign, the
/// non-finite terms seen, and the magnitude in base-2^32 digits of units of 2^-1074.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::struct_field_names)] // the digits of `Digits`: no better name
pub(crate) struct Digits {
    /// Whether the finite part is negative (never for zero).
    pub negative: bool,
    /// Which non-finite terms were seen: 1 +∞, 2 −∞, 4 NaN.
    pub non_finite: u8,
    /// The index of the lowest digit below, in digits.
    pub first: usize,
    /// The digits from `first` up, the lowest and the highest not zero (none for zero).
    pub digits: Vec<u32>,
}

impl ExactSum {
    /// The sum's canonical [`Digits`]: equal sums give equal digits, however they were added.
    pub(crate) fn digits(&self) -> Digits {
        let (sum, negative) = self.magnitude();
        // Words added since the last carry may be zero at either end.
        let (low, high) =
            match (sum.words.iter().position(|&w| w != 0), sum.words.iter().rposition(|&w| w != 0))
            {
                (Some(low), Some(high)) => (low, high + 1),
                _ => (0, 0),
            };
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // carried: 0..2^32
        let digits = sum.words[low..high].iter().map(|&w| w as u32).collect();
        let first = if high > low { usize::from(sum.first) + low } else { 0 };
        Digits { negative, non_finite: self.non_finite, first, digits }
    }

    /// The sum whose [`Digits`] these are; `None` unless they are canonical (in range, the
    /// lowest and highest digits not zero, zero not negative, known non-finite bits).
    pub(crate) fn from_digits(parts: &Digits) -> Option<ExactSum> {
        let Digits { negative, non_finite, first, ref digits } = *parts;
        let end = first.checked_add(digits.len())?;
        let canonical = end <= CHUNKS
            && non_finite & !(SAW_POSITIVE_INFINITY | SAW_NEGATIVE_INFINITY | SAW_NAN) == 0
            && match (digits.first(), digits.last()) {
                (Some(&low), Some(&high)) => low != 0 && high != 0,
                _ => !negative && first == 0,
            };
        canonical.then(|| parts.sum())
    }
}

impl Digits {
    /// The sum of canonical digits (as [`ExactSum::digits`] gives and
    /// [`ExactSum::from_digits`] checks).
    pub(crate) fn sum(&self) -> ExactSum {
        let Digits { negative, non_finite, first, ref digits } = *self;
        let sign = if negative { -1 } else { 1 };
        let mut sum = ExactSum::new();
        sum.words.grow(0, digits.len());
        for (word, &digit) in sum.words.iter_mut().zip(digits) {
            *word = sign * i64::from(digit);
        }
        #[allow(clippy::cast_possible_truncation)] // canonical: below 68
        let first = first as u8;
        sum.first = first;
        sum.non_finite = non_finite;
        sum
    }
}

impl PartialEq for ExactSum {
    /// Equal when the sums are the same number (and saw the same non-finite terms), however
    /// their terms were added.
    fn eq(&self, other: &ExactSum) -> bool {
        self.digits() == other.digits()
    }
}

impl Eq for ExactSum {}

impl Default for ExactSum {
    fn default() -> ExactSum {
        ExactSum::new()
    }
}

impl fmt::Debug for ExactSum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExactSum").field("total", &self.total()).finish_non_exhaustive()
    }
}

impl Extend<f64> for ExactSum {
    fn extend<I: IntoIterator<Item = f64>>(&mut self, terms: I) {
        terms.into_iter().for_each(|x| self.add(x));
    }
}

impl FromIterator<f64> for ExactSum {
    fn from_iter<I: IntoIterator<Item = f64>>(terms: I) -> ExactSum {
        let mut sum = ExactSum::new();
        sum.extend(terms);
        sum
    }
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_possible_wrap)] // small test values
mod tests {
    use super::*;
    use crate::stats::random::Random;

    fn hex(text: &str) -> f64 {
        // "±0x1.hhhhhhhhhhhhhp±e", as Python's float.hex writes it.
        let (sign, text) = text.strip_prefix('-').map_or((1.0, text), |t| (-1.0, t));
        let text = text.strip_prefix("0x").unwrap();
        let (mantissa, exponent) = text.split_once('p').unwrap();
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits = u64::from_str_radix(&format!("{whole}{fraction}"), 16).unwrap();
        let exponent: i32 = exponent.parse::<i32>().unwrap() - 4 * fraction.len() as i32;
        sign * digits as f64 * 2f64.powi(exponent)
    }

    fn sum(terms: &[f64]) -> f64 {
        terms.iter().copied().collect::<ExactSum>().total()
    }

    #[test]
    fn matches_pythons_correctly_rounded_fsum() {
        // Expected values from CPython 3's math.fsum (Shewchuk's exact, correctly rounded sum).
        assert_eq!(sum(&[0.1, 0.2, 0.3]), 0.6);
        assert_eq!(sum(&[0.1; 10]), 1.0);
        assert_eq!(sum(&[1.0, 2f64.powi(-53), 2f64.powi(-200)]), hex("0x1.0000000000001p+0"));
        assert_eq!(sum(&[1.0, 2f64.powi(-53)]), 1.0); // a tie, to even
        assert_eq!(
            sum(&[hex("0x1.0000000000001p+0"), 2f64.powi(-53)]),
            hex("0x1.0000000000002p+0")
        );
    }

    #[test]
    fn subnormals_overflow_and_non_finite_terms() {
        let tiny = f64::from_bits(1);
        assert_eq!(sum(&[tiny, tiny, tiny]).to_bits(), 3);
        assert_eq!(sum(&[f64::MIN_POSITIVE, -tiny]), f64::MIN_POSITIVE - tiny);
        assert_eq!(sum(&[f64::MAX, f64::MAX]), f64::INFINITY);
        assert_eq!(sum(&[-f64::MAX, -f64::MAX]), f64::NEG_INFINITY);
        assert_eq!(sum(&[f64::MAX, f64::MAX, -f64::MAX]), f64::MAX); // no intermediate overflow
        assert_eq!(sum(&[1.0, f64::INFINITY]), f64::INFINITY);
        assert!(sum(&[f64::INFINITY, f64::NEG_INFINITY]).is_nan());
        assert!(sum(&[f64::NAN, 1.0]).is_nan());
        assert_eq!(sum(&[]).to_bits(), 0);
        assert_eq!(sum(&[-0.0, 5.0, -5.0]).to_bits(), 0);
        assert_eq!(sum(&[-3.5, 1.25]), -2.25);
    }

    /// A random double with a random exponent of `span` binary orders around 2^0.
    fn draw(rng: &mut Random, span: i32) -> f64 {
        let exponent = (rng.next_u64() % (2 * span as u64 + 1)) as i32 - span;
        let sign = if rng.next_u64() & 1 == 1 { -1.0 } else { 1.0 };
        sign * (1.0 + rng.uniform()) * 2f64.powi(exponent)
    }

    #[test]
    fn equals_an_independent_i128_sum_rounded_by_rust() {
        // Terms that are whole multiples of 2^-60 below 2^10: their exact sum fits an i128, and
        // Rust's i128-to-f64 conversion rounds to nearest, ties to even, independently of us.
        let mut rng = Random::new(11);
        for _ in 0..2000 {
            let len = 1 + (rng.next_u64() % 200) as usize;
            let terms: Vec<f64> = (0..len)
                .map(|_| {
                    let x = draw(&mut rng, 40);
                    (x * 2f64.powi(60)).trunc() * 2f64.powi(-60) // a whole number of 2^-60
                })
                .collect();
            let exact: i128 = terms.iter().map(|&x| (x * 2f64.powi(60)) as i128).sum();
            assert_eq!(sum(&terms), exact as f64 * 2f64.powi(-60), "{terms:?}");
        }
    }

    #[test]
    fn the_same_bits_however_ordered_split_and_merged() {
        let mut rng = Random::new(5);
        for _ in 0..300 {
            let len = 1 + (rng.next_u64() % 3000) as usize;
            let span = [2, 60, 1000][(rng.next_u64() % 3) as usize];
            let mut terms: Vec<f64> = (0..len).map(|_| draw(&mut rng, span)).collect();
            let one_pass = sum(&terms);
            // Shuffle, cut into random parts, merge them right to left.
            for i in (1..terms.len()).rev() {
                terms.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
            }
            let mut parts = Vec::new();
            let mut rest = &terms[..];
            while !rest.is_empty() {
                let cut = 1 + (rng.next_u64() % rest.len() as u64) as usize;
                parts.push(rest[..cut].iter().copied().collect::<ExactSum>());
                rest = &rest[cut..];
            }
            let mut merged = ExactSum::new();
            for part in parts.iter().rev() {
                merged.merge(part);
            }
            assert_eq!(merged.total().to_bits(), one_pass.to_bits());
        }
    }

    #[test]
    fn subtracting_a_part_is_adding_its_negations() {
        // A whole less a part, each of mixed signs and spans: the same number (digits) as the
        // sum of the other terms, and the sum of the whole's terms with the part's negated.
        let mut rng = Random::new(23);
        for _ in 0..300 {
            let span = [2, 60, 1000][(rng.next_u64() % 3) as usize];
            let terms: Vec<f64> =
                (0..=rng.next_u64() % 500).map(|_| draw(&mut rng, span)).collect();
            let cut = (rng.next_u64() % (terms.len() as u64 + 1)) as usize;
            let (part, others): (ExactSum, ExactSum) =
                (terms[..cut].iter().copied().collect(), terms[cut..].iter().copied().collect());
            let mut whole: ExactSum = terms.iter().copied().collect();
            whole.subtract(&part);
            assert_eq!(whole.digits(), others.digits());
            assert_eq!(whole.total().to_bits(), others.total().to_bits());
            let negated: ExactSum =
                terms[cut..].iter().copied().chain(terms[..cut].iter().map(|&x| -x)).collect();
            let mut twice = others.clone();
            twice.subtract(&part);
            assert_eq!(twice.digits(), negated.digits());
        }
        let mut infinite: ExactSum = [1.0, f64::INFINITY].into_iter().collect();
        infinite.subtract(&[f64::INFINITY].into_iter().collect());
        assert!(infinite.total().is_nan());
        let mut finite: ExactSum = [2.0].into_iter().collect();
        finite.subtract(&[f64::NEG_INFINITY].into_iter().collect());
        assert_eq!(finite.total(), f64::INFINITY);
    }

    #[test]
    fn stores_only_the_words_its_terms_reach() {
        // A million survey-like weights (0.5..2, 53-bit significands): their bits and their
        // sum's span about 2^-53..2^21, four 32-bit words, wherever the fixed point puts them.
        let mut rng = Random::new(3);
        let mut s = ExactSum::new();
        let mut reference = 0_i128; // in units of 2^-60: every term is a whole number of them
        for _ in 0..1_000_000 {
            let w = ((0.5 + 1.5 * rng.uniform()) * 2f64.powi(52)).trunc() * 2f64.powi(-52);
            s.add(w);
            reference += (w * 2f64.powi(60)) as i128;
        }
        s.settle();
        assert!(s.words.len() <= 4, "{} words", s.words.len());
        assert_eq!(s.total(), reference as f64 * 2f64.powi(-60));
        // A sum that cancels to zero stores nothing and equals the empty sum; a negative one
        // stores its few words too, and equals the same number reached another way.
        let mut zero: ExactSum = [1e300, 3.5, -1e300, -3.5].into_iter().collect();
        zero.settle();
        assert!(zero.words.is_empty()); // none stored
        assert_eq!(zero, ExactSum::new());
        let mut negative: ExactSum = [1e-300, -2.0, -1e-300].into_iter().collect();
        negative.settle();
        assert_eq!(negative.words.len(), 1);
        assert_eq!(negative, [-2.0].into_iter().collect());
        assert_eq!(negative.total(), -2.0);
    }

    #[test]
    fn many_terms_carry_without_overflow() {
        // 10^6 copies of the largest double below 2^1024 and as many of its negation, interleaved
        // with 3.0: the words swing by 2^53 per term, far past one carry interval.
        let mut s = ExactSum::new();
        for _ in 0..1_000_000 {
            s.add(f64::MAX);
            s.add(3.0);
        }
        for _ in 0..1_000_000 {
            s.add(-f64::MAX);
        }
        assert_eq!(s.total(), 3e6);
        // Merges count towards the carries as terms do: thousands of merges of a part that
        // fills its words, and as many subtractions, stay exact.
        let part: ExactSum = [f64::MAX, -3.0, 1e-300].into_iter().collect();
        let (mut merged, mut added) = (ExactSum::new(), ExactSum::new());
        for _ in 0..5000 {
            merged.merge(&part);
            added.extend([f64::MAX, -3.0, 1e-300]);
        }
        assert_eq!(merged.digits(), added.digits());
        for _ in 0..4999 {
            merged.subtract(&part);
        }
        assert_eq!(merged.digits(), part.digits());
        assert_eq!(merged.total(), f64::MAX);
    }
}
