//! The Gamma(a, 1) distribution's tails and quantiles: the regularized incomplete gamma
//! functions `P(a, x)` and `Q(a, x) = 1 − P(a, x)`, which give the exact (Garwood) and Jeffreys
//! intervals of a Poisson count.
//!
//! Each tail is computed directly where it is the smaller one. Below `a = 10⁶`: the power
//! series of `P` for `x < a + 1` and the continued fraction of `Q` beyond (Numerical Recipes
//! §6.2, modified Lentz), each times the factor `x^a e^{−x} / Γ(a)` computed as DiDonato &
//! Morris (1986, "Computation of the incomplete gamma function ratios and their inverse", ACM
//! TOMS 12(4)) do, through `t − ln(1 + t)` and Stirling's correction, so nothing cancels when
//! `x` and `a` are large. From `a = 10⁶` on, where the series and fraction need about `√a`
//! terms, Temme's uniform asymptotic expansion (N. M. Temme 1979, "The asymptotic expansion of
//! the incomplete gamma functions", SIAM J. Math. Anal. 10; DLMF 8.12.3–8.12.8).

use super::beta::Tail;
use super::beta::{stirling_correction, t_minus_ln_1p, HALF_LN_2PI};
use super::normal::erfc;

/// From this shape on, the asymptotic expansion (its first omitted term is below `1e-3/a²`).
const EXPANSION_MIN_SHAPE: f64 = 1e6;

/// Terms the series and the fraction may take: below [`EXPANSION_MIN_SHAPE`] they need a few
/// times `√a`, about 10⁴; the cap only bounds time for arguments that are not numbers.
const MAX_TERMS: u32 = 10_000_000;

/// `ln(x^a e^{−x} / Γ(a))` for `a, x > 0`: `−a·r(t) + ½ ln(a / 2π) − Δ(a)` with
/// `t = (x − a)/a`, `r(t) = t − ln(1 + t)` and `Δ` Stirling's correction.
fn ln_front_factor(a: f64, x: f64) -> f64 {
    let t = (x - a) / a;
    let a_r = if t.abs() < 0.5 { a * t_minus_ln_1p(t) } else { (x - a) - a * (x.ln() - a.ln()) };
    -a_r + 0.5 * a.ln() - HALF_LN_2PI - stirling_correction(a)
}

/// `P(a, x)` by its power series `x^a e^{−x}/Γ(a + 1) · Σ xⁿ / ((a+1)…(a+n))`; all terms are
/// positive.
fn lower_by_series(a: f64, x: f64) -> f64 {
    let (mut term, mut sum) = (1.0_f64, 1.0_f64);
    for i in 1..MAX_TERMS {
        term *= x / (a + f64::from(i));
        sum += term;
        if term <= sum * f64::EPSILON / 4.0 {
            break;
        }
    }
    (ln_front_factor(a, x).exp() / a * sum).min(1.0)
}

/// `Q(a, x)` by its continued fraction `x^a e^{−x}/Γ(a) · 1/(x+1−a− 1(1−a)/(x+3−a− …))`,
/// which converges fast for `x > a + 1`.
fn upper_by_fraction(a: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..MAX_TERMS {
        let i = f64::from(i);
        let an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() <= f64::EPSILON / 2.0 {
            break;
        }
    }
    (ln_front_factor(a, x).exp() * h).min(1.0)
}

/// Taylor coefficients at η = 0 of Temme's `C₀(η)` and `C₁(η)` (DiDonato & Morris 1986, their
/// `d₀ₖ` and `d₁ₖ`; checked against the closed forms below with mpmath at 60 digits).
const C0_SERIES: [f64; 8] = [
    -1.0 / 3.0,
    1.0 / 12.0,
    -2.0 / 135.0,
    1.0 / 864.0,
    1.0 / 2835.0,
    -139.0 / 777_600.0,
    1.0 / 25515.0,
    -571.0 / 261_273_600.0,
];
const C1_SERIES: [f64; 8] = [
    -1.0 / 540.0,
    -1.0 / 288.0,
    1.0 / 378.0,
    -77.0 / 77760.0,
    1.0 / 4860.0,
    -1.0 / 2_488_320.0,
    -1.809_855_033_449_003_4e-5,
    7.649_160_916_081_11e-6,
];

/// Both tails by Temme's expansion: with `μ = x/a − 1` and `η = sign(μ)·√(2(μ − ln(1+μ)))`,
/// `Q(a, x) = ½ erfc(η √(a/2)) + R` and `P(a, x) = ½ erfc(−η √(a/2)) − R`, where
/// `R = e^{−aη²/2} / √(2πa) · (C₀(η) + C₁(η)/a)`, `C₀ = 1/μ − 1/η` and
/// `C₁ = 1/η³ − 1/μ³ − 1/μ² − 1/(12μ)` (Taylor series near η = 0, where those cancel).
fn tails_by_expansion(a: f64, x: f64) -> (f64, f64) {
    let mu = (x - a) / a;
    let half_eta2 = if mu.abs() < 0.5 { t_minus_ln_1p(mu) } else { mu - (x.ln() - a.ln()) };
    let eta = (2.0 * half_eta2).sqrt().copysign(mu);
    let (c0, c1) = if eta.abs() <= 0.1 {
        let series = |c: &[f64; 8]| c.iter().rev().fold(0.0, |acc, &k| acc * eta + k);
        (series(&C0_SERIES), series(&C1_SERIES))
    } else {
        (
            1.0 / mu - 1.0 / eta,
            1.0 / eta.powi(3) - 1.0 / mu.powi(3) - 1.0 / (mu * mu) - 1.0 / (12.0 * mu),
        )
    };
    let r = (-a * half_eta2).exp() / (2.0 * std::f64::consts::PI * a).sqrt() * (c0 + c1 / a);
    let w = eta * (a / 2.0).sqrt();
    if eta >= 0.0 {
        let upper = 0.5 * erfc(w) + r;
        (1.0 - upper, upper)
    } else {
        let lower = 0.5 * erfc(-w) - r;
        (lower, 1.0 - lower)
    }
}

/// Both tails of the Gamma(a, 1) distribution at `x`: `(P(X ≤ x), P(X > x))`. NaN for a shape
/// that is not positive and finite, or a NaN `x`. The smaller tail has full relative precision;
/// the other, as 1 minus it, an absolute error of a few 1e-16.
pub(crate) fn tails(a: f64, x: f64) -> (f64, f64) {
    if !(a > 0.0 && a.is_finite()) || x.is_nan() {
        return (f64::NAN, f64::NAN);
    }
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    if x == f64::INFINITY {
        return (1.0, 0.0);
    }
    if a >= EXPANSION_MIN_SHAPE {
        return tails_by_expansion(a, x);
    }
    if x < a + 1.0 {
        let lower = lower_by_series(a, x);
        (lower, 1.0 - lower)
    } else {
        let upper = upper_by_fraction(a, x);
        (1.0 - upper, upper)
    }
}

/// The `x` with `P(X ≤ x) = p` (lower tail) or `P(X > x) = p` (upper tail) for X ~ Gamma(a, 1),
/// `0 < p < 1` (0 and ∞ at the ends). Bisection on the bits of `x`, which order positive
/// doubles as their values: at most 64 steps, each one evaluation of [`tails`], to the last
/// unit in the place the tails can resolve.
pub(crate) fn quantile(p: f64, a: f64, tail: Tail) -> f64 {
    if p.is_nan() || !(a > 0.0 && a.is_finite()) {
        return f64::NAN;
    }
    let at_zero = tail == Tail::Lower;
    if p <= 0.0 {
        return if at_zero { 0.0 } else { f64::INFINITY };
    }
    if p >= 1.0 {
        return if at_zero { f64::INFINITY } else { 0.0 };
    }
    // Whether the quantile is at or below `x`.
    let at_or_below = |x: f64| {
        let (lower, upper) = tails(a, x);
        match tail {
            Tail::Lower => lower >= p,
            Tail::Upper => upper <= p,
        }
    };
    let mut hi = 2.0 * a.max(1.0);
    while !at_or_below(hi) {
        hi *= 2.0;
        if hi == f64::INFINITY {
            return f64::MAX;
        }
    }
    let (mut lo, mut hi) = (0_u64, hi.to_bits());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if at_or_below(f64::from_bits(mid)) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    f64::from_bits(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relative(got: f64, want: f64) -> f64 {
        ((got - want) / want).abs()
    }

    #[test]
    fn tails_match_mpmath() {
        // mpmath 1.3, mp.dps = 40: gammainc(a, 0, x, regularized=True) and (a, x, inf, …);
        // at a = 1e15, where mpmath's series does not converge, scipy 1.17's gammainc (Boost).
        let cases = [
            (1.0, 1.0, 0.632_120_558_828_557_7, 0.367_879_441_171_442_33),
            (0.5, 1.5, 0.916_735_483_336_449_6, 0.083_264_516_663_550_4),
            (10.0, 3.0, 0.001_102_488_130_115_479_8, 0.998_897_511_869_884_5),
            (10.0, 25.0, 0.999_778_523_361_751_2, 0.000_221_476_638_248_783_57),
            (1e6, 999_000.0, 0.158_655_213_574_303_65, 0.841_344_786_425_696_3),
            (1e6, 1_002_000.0, 0.977_195_904_101_230_1, 0.022_804_095_898_769_864),
            (123_456.5, 123_000.0, 0.096_821_196_030_853_46, 0.903_178_803_969_146_5),
            (1e15, 1e15 + 1e8, 0.999_217_298_615_987_7, 0.000_782_701_384_012_295_1),
            (1e15, 1e15 - 3e7, 0.171_390_855_842_092_43, 0.828_609_144_157_907_5),
        ];
        for (a, x, lower, upper) in cases {
            let (p, q) = tails(a, x);
            let (small, want) = if lower < upper { (p, lower) } else { (q, upper) };
            assert!(relative(small, want) < 1e-13, "a={a} x={x}: {small:e} vs {want:e}");
            // From EXPANSION_MIN_SHAPE on the two tails are computed apart: they must still sum
            // to one (below it, one is one minus the other).
            assert!((p + q - 1.0).abs() < 4e-16, "a={a} x={x}");
        }
    }

    #[test]
    fn quantiles_invert_the_tails() {
        // Q(1, x) = e^{-x}: the upper quantile of p is −ln p.
        for p in [0.5, 0.025, 1e-10, 1e-300] {
            let x = quantile(p, 1.0, Tail::Upper);
            assert!(relative(x, -p.ln()) < 1e-15, "p={p}: {x} vs {}", -p.ln());
        }
        // mpmath 1.4, mp.dps = 40: findroot of gammainc(a, 0, x) − p (lower) or of
        // gammainc(a, x, inf) − p (upper), regularized.
        for (p, a, tail, want) in [
            (0.025, 3.0, Tail::Lower, 0.618_672_122_895_601_3),
            (1e-12, 40.5, Tail::Upper, 102.523_879_253_409_8),
            (0.4, 2.5, Tail::Upper, 2.565_933_537_200_910_7),
            (1e-12, 1000.0, Tail::Lower, 793.439_226_617_076_9),
        ] {
            let x = quantile(p, a, tail);
            assert!(relative(x, want) < 4e-15, "a={a} p={p}: {x} vs {want}");
        }
        // Elsewhere the quantile is the first double whose tail reaches p: at 9e15 one unit in
        // the last place moves P by 8e-9, so the check is the bracket, not a tolerance.
        let before = |x: f64| f64::from_bits(x.to_bits() - 1);
        for a in [0.5, 3.0, 40.5, 1e5, 2e6, 9e15] {
            for p in [0.025, 0.4, 1e-12] {
                let lo = quantile(p, a, Tail::Lower);
                assert!(tails(a, before(lo)).0 < p && tails(a, lo).0 >= p, "a={a} p={p}");
                let hi = quantile(p, a, Tail::Upper);
                assert!(tails(a, before(hi)).1 > p && tails(a, hi).1 <= p, "a={a} p={p}");
            }
        }
    }

    #[test]
    fn the_expansion_meets_the_series_at_its_threshold() {
        let a = EXPANSION_MIN_SHAPE;
        for x in [a - 3000.0, a - 10.0, a + 0.5, a + 10.0, a + 4000.0] {
            let expansion = tails_by_expansion(a, x);
            let direct =
                if x < a + 1.0 { lower_by_series(a, x) } else { 1.0 - upper_by_fraction(a, x) };
            assert!((expansion.0 - direct).abs() < 1e-14, "x={x}: {expansion:?} vs {direct}");
        }
    }

    #[test]
    fn nonsense_shapes_are_nan() {
        for a in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(tails(a, 1.0).0.is_nan());
            assert!(quantile(0.5, a, Tail::Lower).is_nan());
        }
    }
}
