//! The weighted half of a tally: per group of scale points the exact total weight, and the
//! exact total of the squared weights (for Kish's effective n). Exact sums make the totals the
//! same bits however the responses were split and merged ([`ExactSum`]).

use crate::exact::ExactSum;
use crate::small::Small;

/// Weights above this have squares past `f64`'s range or near it; below its reciprocal, squares
/// that lose bits to underflow. Between them a square is a normal double.
const SQUARE_SAFE: f64 = 1.0 / SQUARE_TINY; // 2^400
/// See [`SQUARE_SAFE`].
const SQUARE_TINY: f64 = 3.872_591_914_849_318_3e-121; // 2^-400
/// Weights outside the safe range are scaled by 2^∓600 before they are squared: their squares
/// then lie well inside the normal doubles, and the three sums are combined at the end.
const SQUARE_SHIFT: i32 = 600;

/// The exact sum of the squared weights: each square is `w·w` rounded once (the same double
/// whatever the order), summed exactly in one of three ranges so that no square overflows or
/// underflows: weights up to 2^-400 scaled by 2^600 first, those beyond 2^400 by 2^-600. The
/// outer ranges, which survey weights never reach, take no room until a weight does.
#[derive(Clone, Debug, Default)]
pub(crate) struct Squares {
    /// Squares of weights below 2^-400, each times 2^1200 (`None`: none yet).
    low: Option<Box<ExactSum>>,
    /// Squares of weights in 2^-400..=2^400 (and of zero).
    pub mid: ExactSum,
    /// Squares of weights above 2^400, each times 2^-1200 (`None`: none yet).
    high: Option<Box<ExactSum>>,
}

/// The sum of an outer range no weight has reached.
static NONE: ExactSum = ExactSum::new();

impl Squares {
    /// The squares summed in each range, low to high, as [`Squares::ranges`] gives them.
    pub fn from_ranges([low, mid, high]: [ExactSum; 3]) -> Squares {
        let outer = |sum: ExactSum| (sum != NONE).then(|| Box::new(sum));
        Squares { low: outer(low), mid, high: outer(high) }
    }

    /// Adds the square of one non-negative, finite weight.
    pub fn add(&mut self, weight: f64) {
        if weight > SQUARE_SAFE {
            let w = scale(weight, -SQUARE_SHIFT);
            self.high.get_or_insert_default().add(w * w);
        } else if weight < SQUARE_TINY && weight != 0.0 {
            let w = scale(weight, SQUARE_SHIFT);
            self.low.get_or_insert_default().add(w * w);
        } else {
            self.mid.add(weight * weight);
        }
    }

    /// The smallest nonzero weight whose square [`Squares::in_mid_range`] holds.
    pub(crate) const TINY: f64 = SQUARE_TINY;
    /// The largest weight whose square it holds.
    pub(crate) const SAFE: f64 = SQUARE_SAFE;

    /// Whether a weight's square goes to the middle range, which the fast kernel sums.
    pub fn in_mid_range(weight: f64) -> bool {
        weight == 0.0 || (SQUARE_TINY..=SQUARE_SAFE).contains(&weight)
    }

    /// Adds the squares of another set of weights.
    pub fn merge(&mut self, other: &Squares) {
        outer_merge(&mut self.low, other.low.as_deref());
        self.mid.merge(&other.mid);
        outer_merge(&mut self.high, other.high.as_deref());
    }

    /// Takes away the squares of a part of these weights, exactly.
    pub fn subtract(&mut self, part: &Squares) {
        if let Some(low) = part.low.as_deref() {
            self.low.get_or_insert_default().subtract(low);
        }
        self.mid.subtract(&part.mid);
        if let Some(high) = part.high.as_deref() {
            self.high.get_or_insert_default().subtract(high);
        }
    }

    /// Carries the three sums (see [`ExactSum::settle`]).
    pub fn settle(&mut self) {
        for outer in [&mut self.low, &mut self.high].into_iter().flatten() {
            outer.settle();
        }
        self.mid.settle();
    }

    /// The three exact sums, low to high.
    pub fn ranges(&self) -> [&ExactSum; 3] {
        [self.low.as_deref().unwrap_or(&NONE), &self.mid, self.high.as_deref().unwrap_or(&NONE)]
    }

    /// Kish's effective sample size `(Σw)² / Σw²` for weights that sum to `total` (positive,
    /// finite) over `n` responses, at most `n` and at least 1, as Cauchy–Schwarz bounds it.
    /// Computed at the scale of `total`, so that neither square overflows.
    pub fn effective_n(&self, total: f64, n: u64) -> f64 {
        effective_n(total, self.ranges().map(ExactSum::total), n)
    }
}

/// [`Squares::effective_n`] of squares whose three ranges sum (each rounded once) to `squares`.
pub(crate) fn effective_n(total: f64, [low, mid, high]: [f64; 3], n: u64) -> f64 {
    // total = t · 2^e with t in [1, 2).
    let e = exponent(total);
    let t = scale(total, -e);
    // Σw² / 2^2e, from the three ranges with their own scales.
    let squares = scale(low, -2 * SQUARE_SHIFT - 2 * e)
        + scale(mid, -2 * e)
        + scale(high, 2 * SQUARE_SHIFT - 2 * e);
    (t * t / squares).clamp(1.0, n as f64)
}

/// Adds `other` (when some weight reached it) to an outer range.
fn outer_merge(mine: &mut Option<Box<ExactSum>>, other: Option<&ExactSum>) {
    if let Some(other) = other {
        mine.get_or_insert_default().merge(other);
    }
}

impl PartialEq for Squares {
    /// Equal when every range holds the same sum, whether or not an outer one took room.
    fn eq(&self, other: &Squares) -> bool {
        self.ranges() == other.ranges()
    }
}

impl Eq for Squares {}

/// The binary exponent of a positive, finite double: `x = m · 2^e` with `m` in [1, 2).
fn exponent(x: f64) -> i32 {
    let biased = i32::try_from((x.to_bits() >> 52) & 0x7ff).unwrap_or(0);
    if biased == 0 {
        // Subnormal: scale into the normal range first.
        exponent(x * 2f64.powi(64)) - 64
    } else {
        biased - 1023
    }
}

/// `x · 2^k`, exact unless the result leaves the normal doubles; in steps of at most 2^±1000,
/// so that no power of two on the way overflows (and zero stays zero).
fn scale(mut x: f64, mut k: i32) -> f64 {
    while k != 0 && x != 0.0 {
        let step = k.clamp(-1000, 1000);
        // 2^step, a normal double, built from its exponent field (`powi` is a library call).
        #[allow(clippy::cast_sign_loss)] // step + 1023 is 23..=2023
        let power = f64::from_bits(((step + 1023) as u64) << 52);
        x *= power;
        k -= step;
    }
    x
}

/// Per group of scale points the exact total weight, and the squares of all weights.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct WeightSums {
    /// Per group, the exact total weight of its responses.
    pub groups: Vec<ExactSum>,
    /// The squared weights of all responses.
    pub squares: Squares,
}

impl WeightSums {
    /// Zero weight in each of `groups` groups.
    pub fn new(groups: usize) -> WeightSums {
        WeightSums { groups: vec![ExactSum::new(); groups], squares: Squares::default() }
    }

    /// Adds one response's (checked) weight to its group.
    pub fn add(&mut self, group: usize, weight: f64) {
        self.groups[group].add(weight);
        self.squares.add(weight);
    }

    /// Adds the weights of another tally with the same groups.
    pub fn merge(&mut self, other: &WeightSums) {
        for (mine, theirs) in self.groups.iter_mut().zip(&other.groups) {
            mine.merge(theirs);
        }
        self.squares.merge(&other.squares);
    }

    /// Each group's total weight, rounded once (inline, as a tally's counts are).
    pub fn totals(&self) -> Small<f64> {
        self.groups.iter().map(ExactSum::total).collect()
    }

    /// The total weight of all groups, rounded once.
    pub fn total(&self) -> f64 {
        let Some((first, rest)) = self.groups.split_first() else {
            return 0.0;
        };
        let mut all = first.clone();
        for group in rest {
            all.merge(group);
        }
        all.total()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_the_powers_of_two_they_name() {
        assert_eq!(SQUARE_TINY, 2f64.powi(-400));
        assert_eq!(SQUARE_SAFE, 2f64.powi(400));
    }

    #[test]
    fn scale_is_exact_multiplication_by_a_power_of_two() {
        for k in -1022..=1023 {
            assert_eq!(scale(1.0, k), 2f64.powi(k), "2^{k}");
            assert_eq!(scale(-1.5, k), -1.5 * 2f64.powi(k), "-1.5 · 2^{k}");
        }
        assert_eq!(scale(1.0, -1074), f64::from_bits(1)); // the least subnormal
        assert_eq!(scale(f64::MAX, -2000), f64::MAX * 2f64.powi(-1000) * 2f64.powi(-1000));
        assert_eq!(scale(0.0, 5000), 0.0);
    }

    #[test]
    fn kish_n_at_every_scale() {
        // Weights 1, 2, 3 times 2^k: (Σw)²/Σw² = 36/14 at every scale, also where the squares
        // leave the doubles (k = ±600) and for subnormal weights (k = −1070).
        for k in [-1070, -600, -401, -10, 0, 10, 401, 600, 1000] {
            let mut squares = Squares::default();
            let mut total = ExactSum::new();
            for w in [1.0, 2.0, 3.0] {
                let w = scale(w, k);
                squares.add(w);
                total.add(w);
            }
            let n = squares.effective_n(total.total(), 3);
            assert!((n - 36.0 / 14.0).abs() < 1e-15, "2^{k}: {n}");
        }
    }

    #[test]
    fn kish_n_mixes_the_ranges() {
        // One weight of 2^500 and one of 2^-500: n is 1 to the last bit (the small one is
        // negligible); equal weights across a range boundary give 2.
        let mut squares = Squares::default();
        squares.add(scale(1.0, 500));
        squares.add(scale(1.0, -500));
        assert_eq!(squares.effective_n(scale(1.0, 500), 2), 1.0);
        let w = SQUARE_SAFE;
        let mut squares = Squares::default();
        squares.add(w);
        squares.add(w * 2.0);
        assert!((squares.effective_n(3.0 * w, 2) - 9.0 / 5.0).abs() < 1e-15);
    }

    #[test]
    fn outer_ranges_merge_subtract_and_compare_as_sums() {
        // Weights in all three ranges, split in two: merged, they are the squares of all; the
        // whole less a part is the other part; an outer range emptied again equals one never
        // used, and the three ranges survive `from_ranges`.
        let weights = [scale(1.5, 500), 3.0, scale(1.25, -500), 0.5, scale(1.0, 450)];
        let of = |w: &[f64]| {
            let mut squares = Squares::default();
            for &w in w {
                squares.add(w);
            }
            squares
        };
        let (all, left, right) = (of(&weights), of(&weights[..2]), of(&weights[2..]));
        let mut merged = left.clone();
        merged.merge(&right);
        assert_eq!(merged, all);
        let mut rest = all.clone();
        rest.subtract(&left);
        assert_eq!(rest, right);
        rest.subtract(&right);
        assert_eq!(rest, Squares::default());
        assert!(rest.low.is_some() && rest.high.is_some()); // emptied, not dropped
        let ranges = all.ranges().map(Clone::clone);
        assert_eq!(Squares::from_ranges(ranges), all);
        assert!(Squares::from_ranges([ExactSum::new(), ExactSum::new(), ExactSum::new()])
            .low
            .is_none());
        let n = merged.effective_n(weights.iter().sum(), 5);
        assert_eq!(n.to_bits(), all.effective_n(weights.iter().sum(), 5).to_bits());
    }
}
