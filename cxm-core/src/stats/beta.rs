//! The Beta distribution's CDF and quantiles, accurate and bounded in time for parameters up to
//! 1e10 and beyond, where statrs 0.19 is wrong (CDF) or never returns (quantile): statrs issue
//! #435, PRs #417 and #457.
//!
//! The regularized incomplete beta `I_x(a, b)` is the continued fraction of Numerical Recipes
//! (§6.4, modified Lentz) times the factor `x^a (1−x)^b / B(a, b)`. That factor is computed as
//! in DiDonato & Morris (1992), "Algorithm 708: Significant digit computation of the incomplete
//! beta function ratios", ACM TOMS 18(3): around the mean `a/(a+b)`, through `t − ln(1+t)` and
//! Stirling corrections, so nothing cancels even when `a` and `b` are 1e10. Each tail is
//! computed directly (never as 1 minus the other), and quantiles are found by bisection on `x`,
//! so small probabilities and small quantiles keep their relative precision.

/// `½ ln 2π`, the constant of Stirling's formula.
pub(crate) const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

/// `t − ln(1 + t)` for `t > −1`, without cancellation near 0.
pub(crate) fn t_minus_ln_1p(t: f64) -> f64 {
    if t.abs() < 0.05 {
        // t²/2 − t³/3 + t⁴/4 − …; |t| < 0.05 needs 12 terms for full precision.
        let mut term = -t;
        let mut sum = 0.0;
        for k in 2..=13 {
            term *= -t;
            sum += term / f64::from(k);
        }
        sum
    } else {
        t - t.ln_1p()
    }
}

/// `ln Γ(x)` for `x > 0`, from Stirling's form and its correction.
#[cfg(test)]
pub(crate) fn ln_gamma(x: f64) -> f64 {
    (x - 0.5) * x.ln() - x + HALF_LN_2PI + stirling_correction(x)
}

/// Stirling's correction `ln Γ(x) − ((x − ½) ln x − x + ½ ln 2π)`.
pub(crate) fn stirling_correction(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        // Not defined; returning here also keeps the shift below from recursing forever.
        return f64::NAN;
    }
    if x >= 10.0 {
        // Σ B₂ₖ / (2k(2k−1) x^{2k−1}) for k = 1..8; the first term left out is below 2e-18
        // at x = 10.
        const COEFFICIENTS: [f64; 8] = [
            1.0 / 12.0,
            -1.0 / 360.0,
            1.0 / 1260.0,
            -1.0 / 1680.0,
            1.0 / 1188.0,
            -691.0 / 360_360.0,
            1.0 / 156.0,
            -3617.0 / 122_400.0,
        ];
        let r2 = 1.0 / (x * x);
        COEFFICIENTS.iter().rev().fold(0.0, |acc, &c| acc * r2 + c) / x
    } else {
        // Shift up: Γ(x) = Γ(x + k) / (x (x+1) … (x+k−1)) gives
        // Δ(x) = Δ(x + k) + (x − ½) ln(1 + k/x) − k − ln Π((x + i)/(x + k)), arranged so that
        // no two large terms cancel. (statrs's ln_gamma is off by 3e-14 at 8.) Below 1e-290
        // (shapes from tiny weights) k/x overflows and the product underflows, so the i = 0
        // factor moves into the logarithm: … + (x + ½) ln((x + k)/x) − k − ln Π_{i>0}(…).
        let k = (10.0 - x).ceil();
        let shifted = x + k;
        let tiny = x < 1e-290;
        let mut ratios = 1.0;
        let mut i = if tiny { 1.0 } else { 0.0 };
        while i < k {
            ratios *= (x + i) / shifted;
            i += 1.0;
        }
        if tiny {
            stirling_correction(shifted) + (x + 0.5) * (shifted.ln() - x.ln()) - k - ratios.ln()
        } else {
            stirling_correction(shifted) + (x - 0.5) * (k / x).ln_1p() - k - ratios.ln()
        }
    }
}

/// `ln(x^a y^b / B(a, b))` with `y = 1 − x`, from `λ = a − (a+b)x`, the distance from the mean
/// scaled by `a + b`. With it, `a ln(x/x₀) + b ln(y/y₀) = −a·r(t_a) − b·r(t_b)` where
/// `r(t) = t − ln(1+t)`, `x₀ = a/(a+b)`, `t_a = −λ/a` and `t_b = λ/b`: nothing cancels even when
/// `a` and `b` are 1e15. Of `x` and `y`, the smaller is exact and the other is 1 minus it; `λ`
/// comes from the exact one. Far below the mean, `1 + t_a = x/x₀` is taken from `x` itself,
/// since `t_a` has rounded to −1 there (and likewise for `y`).
fn ln_front_factor(x: f64, y: f64, a: f64, b: f64) -> f64 {
    let total = a + b;
    let x_exact = x <= y;
    let lambda = if x_exact { a - total * x } else { total * y - b };
    // shape · r(t) for t = distance/shape, 1 + t = z·total/shape: the series near 0; else
    // distance − shape·ln(1 + t), with ln(1 + t) from z itself where t has rounded to −1
    // (z exact, far below the mean) or overflowed (a tiny shape, e.g. 1e-321 from weights).
    let shape_r = |shape: f64, distance: f64, z: f64, exact: bool| {
        let t = distance / shape;
        if t.abs() < 0.5 {
            return shape * t_minus_ln_1p(t);
        }
        let one_plus_t = z * total / shape;
        let ln_one_plus_t = if !one_plus_t.is_finite() {
            z.ln() + total.ln() - shape.ln()
        } else if exact && t < 0.0 {
            one_plus_t.ln()
        } else {
            t.ln_1p()
        };
        distance - shape * ln_one_plus_t
    };
    let tail = -shape_r(a, -lambda, x, x_exact) - shape_r(b, lambda, y, !x_exact);
    tail + 0.5 * (a.ln() + b.ln() - total.ln())
        - HALF_LN_2PI
        - stirling_correction(a)
        - stirling_correction(b)
        + stirling_correction(total)
}

/// The continued fraction of `I_x(a, b)` (Numerical Recipes `betacf`), which converges fast
/// for `x < (a + 1)/(a + b + 2)` and more slowly beyond. Bounded: it stops after 10⁷ terms, far beyond what parameters
/// up to 1e12 need (a few times √min(a, b)).
///
/// Its first term `1 − (a+b)x/(a+1)` cancels to `(1 − b + (a+b)y)/(a+1)`: when `x` is the
/// rounded one of `x` and `y = 1 − x`, it is computed from `y`, since its rounding times
/// `a + b` (up to 2^53) would swamp the result. The later terms only multiply by `x`.
fn continued_fraction(x: f64, y: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (sum, plus, minus) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = if x <= y { 1.0 - sum * x / plus } else { (1.0 - b + sum * y) / plus };
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..10_000_000_u32 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((minus + m2) * (a + m2));
        d = 1.0 + even * d;
        d = if d.abs() < TINY { 1.0 / TINY } else { 1.0 / d };
        c = 1.0 + even / c;
        if c.abs() < TINY {
            c = TINY;
        }
        h *= d * c;
        let odd = -(a + m) * (sum + m) * x / ((a + m2) * (plus + m2));
        d = 1.0 + odd * d;
        d = if d.abs() < TINY { 1.0 / TINY } else { 1.0 / d };
        c = 1.0 + odd / c;
        if c.abs() < TINY {
            c = TINY;
        }
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() <= f64::EPSILON / 2.0 {
            break;
        }
    }
    h
}

/// `I_x(a, b)` by the continued fraction, for `x < (a + 1)/(a + b + 2)`, with `y = 1 − x` (the
/// smaller of the two exact).
fn lower_by_fraction(x: f64, y: f64, a: f64, b: f64) -> f64 {
    (ln_front_factor(x, y, a, b).exp() / a * continued_fraction(x, y, a, b)).min(1.0)
}

/// Whether `a` and `b` are shapes of a Beta distribution: positive and finite. Everything
/// else gives NaN, which callers turn into an error, and never reaches an iteration.
fn valid_shapes(a: f64, b: f64) -> bool {
    a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite()
}

/// How far above the mean (in `x`) the fraction in a rounded `y` is accurate: its terms differ
/// from −1 by about the distance from the mean, so the rounding of `y` costs a relative
/// `ε/distance` (below 1e-13 from here on), and the small upper tail comes out directly.
const FRACTION_IN_Y_FROM: f64 = 1e-3;

/// The most terms the shift of [`cdf_tails`] may add: bounds the cost at ~1e5 cheap steps.
const MAX_SHIFT: f64 = 1e5;

/// Below this smaller shape the continued fraction is fast everywhere; from it on, near the
/// mean, the asymptotic expansion takes over (DiDonato & Morris's bound for their BASYM).
const EXPANSION_MIN_SHAPE: f64 = 100.0;

/// How close to the mean, as `|λ| ≤ 0.03·min(a, b)`, the expansion is used.
const EXPANSION_MAX_DISTANCE: f64 = 0.03;

/// `I_x(a, b)` for large `a` and `b` near the mean, where the continued fraction would need
/// about `√max(a, b)` terms (5e7 at 2^53), by Temme's uniform asymptotic expansion in the form
/// of DiDonato & Morris (1992, §4, their BASYM): with `λ = (a+b)y − b ≥ 0` (x at or below the
/// mean) and `f = a·r(−λ/a) + b·r(λ/b)`, `I_x(a, b) = (2/√π) e^{−f − Δ} Σ dₙ wⁿ Jₙ(√f)`, where
/// `Δ = Δ(a) + Δ(b) − Δ(a+b)` (Stirling's corrections), `J₀ = ½·(√π/2)·e^{f}·erfc(√f)` and the
/// `Jₙ` follow by recurrence. Its leading term is the normal tail `½ erfc(√f)`. Twenty terms
/// reach full precision for shapes from 100.
fn lower_by_expansion(a: f64, b: f64, lambda: f64) -> f64 {
    const TERMS: usize = 20;
    let two_over_sqrt_pi = std::f64::consts::FRAC_2_SQRT_PI;
    let e1 = std::f64::consts::FRAC_1_SQRT_2 / 2.0; // 2^(−3/2)
    let f = a * t_minus_ln_1p(-lambda / a) + b * t_minus_ln_1p(lambda / b);
    let t = (-f).exp();
    if t == 0.0 {
        return 0.0;
    }
    let z0 = f.sqrt();
    let z2 = f + f;
    let (h, w0) = if a < b {
        (a / b, 1.0 / (a * (a / b + 1.0)).sqrt())
    } else {
        (b / a, 1.0 / (b * (b / a + 1.0)).sqrt())
    };
    let (r0, r1) = (1.0 / (h + 1.0), (b - a) / a.max(b));
    // a_k are the coefficients of the expansion of the exponent; b_k those of its power
    // −(i+1)/2; c_k and d_k those of the series in w. All indices are one-based, as in the paper.
    let mut coef_a = [0.0_f64; TERMS + 2];
    let mut coef_b = [0.0_f64; TERMS + 2];
    let mut coef_c = [0.0_f64; TERMS + 2];
    let mut coef_d = [0.0_f64; TERMS + 2];
    coef_a[1] = 2.0 / 3.0 * r1;
    coef_c[1] = -0.5 * coef_a[1];
    coef_d[1] = -coef_c[1];
    let mut j0 = 0.5 / two_over_sqrt_pi * super::normal::erfcx(z0);
    let mut j1 = e1;
    let mut sum = j0 + coef_d[1] * w0 * j1;
    let (mut s, h2, mut hn, mut w) = (1.0, h * h, 1.0, w0);
    let (mut z_odd, mut z_even) = (z0 * std::f64::consts::SQRT_2, z2);
    for n in (2..=TERMS).step_by(2) {
        hn *= h2;
        coef_a[n] = 2.0 * r0 * (h * hn + 1.0) / (n as f64 + 2.0);
        s += hn;
        coef_a[n + 1] = 2.0 * r1 * s / (n as f64 + 3.0);
        for i in n..=n + 1 {
            let r = -0.5 * (i as f64 + 1.0);
            coef_b[1] = r * coef_a[1];
            for m in 2..=i {
                let inner: f64 = (1..m)
                    .map(|j| (j as f64 * r - (m - j) as f64) * coef_a[j] * coef_b[m - j])
                    .sum();
                coef_b[m] = r * coef_a[m] + inner / m as f64;
            }
            coef_c[i] = coef_b[i] / (i as f64 + 1.0);
            let inner: f64 = (1..i).map(|j| coef_d[i - j] * coef_c[j]).sum();
            coef_d[i] = -(inner + coef_c[i]);
        }
        j0 = e1 * z_odd + (n as f64 - 1.0) * j0;
        j1 = e1 * z_even + n as f64 * j1;
        z_odd *= z2;
        z_even *= z2;
        w *= w0;
        let t0 = coef_d[n] * w * j0;
        w *= w0;
        let t1 = coef_d[n + 1] * w * j1;
        sum += t0 + t1;
        if t0.abs() + t1.abs() <= f64::EPSILON * sum {
            break;
        }
    }
    let corrections = stirling_correction(a) + stirling_correction(b) - stirling_correction(a + b);
    two_over_sqrt_pi * t * (-corrections).exp() * sum
}

/// Both tails of the Beta(a, b) distribution at `x`: `(P(X ≤ x), P(X > x))`. `a, b > 0`.
///
/// Near the mean of a Beta with both shapes from 100, the asymptotic expansion. Otherwise,
/// below `(a + 1)/(a + b + 2)` (about the mean), the continued fraction for the lower tail in
/// `x`; at `x ≥ ½`, the fraction for the upper tail in `y = 1 − x`, which is then exact
/// (Sterbenz). Between the two, `y` is rounded, and the fraction's terms near −1 would carry
/// that rounding times `b`; instead the shift `I_x(a, b) = I_x(a + n, b) + Σ_{i<n} t_i`
/// (DLMF 8.17.20) with positive terms `t_i = x^{a+i} y^b / ((a + i) B(a + i, b))`,
/// `t_{i+1} = t_i · x (a + b + i)/(a + 1 + i)` moves `x` below the mean of Beta(a + n, b).
/// Past `MAX_SHIFT` terms, `x` lies so many standard deviations out that the fraction in `y`
/// serves. The front factor `x^a y^b / B(a, b)` is always computed from the exact one of `x`
/// and `y`.
///
/// The tail computed directly has full relative precision; the other, as 1 minus it, has an
/// absolute error of a few 1e-16.
pub(crate) fn cdf_tails(x: f64, a: f64, b: f64) -> (f64, f64) {
    if !valid_shapes(a, b) || x.is_nan() {
        return (f64::NAN, f64::NAN);
    }
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    if x >= 1.0 {
        return (1.0, 0.0);
    }
    let smaller = a.min(b);
    if smaller >= EXPANSION_MIN_SHAPE {
        // λ = a − (a+b)x = (a+b)y − b, from whichever of x and y = 1 − x is exact.
        let lambda = if x <= 0.5 { a - (a + b) * x } else { (a + b) * (1.0 - x) - b };
        if lambda.abs() <= EXPANSION_MAX_DISTANCE * smaller {
            if lambda >= 0.0 {
                let lower = lower_by_expansion(a, b, lambda);
                return (lower, 1.0 - lower);
            }
            let upper = lower_by_expansion(b, a, -lambda);
            return (1.0 - upper, upper);
        }
    }
    if x < (a + 1.0) / (a + b + 2.0) {
        let lower = lower_by_fraction(x, 1.0 - x, a, b);
        return (lower, 1.0 - lower);
    }
    let shift = (((a + b + 2.0) * x - a - 1.0) / (1.0 - x)).floor() + 1.0;
    if x >= 0.5 || x - a / (a + b) >= FRACTION_IN_Y_FROM || shift > MAX_SHIFT {
        let upper = lower_by_fraction(1.0 - x, x, b, a);
        return (1.0 - upper, upper);
    }
    // The terms grow up to i = n − 1: start from that largest one, computed directly (going up
    // from t₀ would underflow), and sum downwards until they stop mattering.
    let top = a + shift - 1.0;
    let mut term = ln_front_factor(x, 1.0 - x, top, b).exp() / top;
    let mut sum = crate::sum::CompensatedSum::default();
    let mut i = shift - 1.0;
    while i >= 0.0 && term > sum.total() * f64::EPSILON / 4.0 {
        sum.add(term);
        // t_{i−1} = t_i · (a + i) / (x (a + b + i − 1))
        term *= (a + i) / (x * (a + b + i - 1.0));
        i -= 1.0;
    }
    let lower = (lower_by_fraction(x, 1.0 - x, a + shift, b) + sum.total()).min(1.0);
    (lower, 1.0 - lower)
}

/// Which tail a probability refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tail {
    /// `P(X ≤ x)`.
    Lower,
    /// `P(X > x)`.
    Upper,
}

/// The `x` with `P(X ≤ x) = p` (lower tail) or `P(X > x) = p` (upper tail) for X ~ Beta(a, b).
///
/// Above ½ the answer is found as `1 − y` for the quantile `y` of `1 − X` ~ Beta(b, a), so
/// that limits near 1 keep their order and digits. Bisection on `x` until the bracket cannot
/// shrink: about 60 steps plus one per halving of the answer's magnitude (about 95 for an
/// answer near 1e-10), each one CDF evaluation.
pub(crate) fn quantile(p: f64, a: f64, b: f64, tail: Tail) -> f64 {
    if p.is_nan() || !valid_shapes(a, b) {
        return f64::NAN;
    }
    if p <= 0.0 {
        return if tail == Tail::Lower { 0.0 } else { 1.0 };
    }
    if p >= 1.0 {
        return if tail == Tail::Lower { 1.0 } else { 0.0 };
    }
    let (below_half, above_half) = cdf_tails(0.5, a, b);
    let beyond_half = match tail {
        Tail::Lower => below_half < p,
        Tail::Upper => above_half > p,
    };
    if beyond_half {
        let mirrored = if tail == Tail::Lower { Tail::Upper } else { Tail::Lower };
        return 1.0 - quantile_below_half(p, b, a, mirrored);
    }
    quantile_below_half(p, a, b, tail)
}

/// [`quantile`] for an answer known to lie in `[0, ½]`.
fn quantile_below_half(p: f64, a: f64, b: f64, tail: Tail) -> f64 {
    let (mut lo, mut hi) = (0.0_f64, 0.5_f64);
    loop {
        // Bisect in the geometric sense while the bracket spans orders of magnitude, so tiny
        // quantiles are reached in a few dozen steps rather than a thousand.
        let mid = if lo > 0.0 && hi / lo > 4.0 {
            (lo * hi).sqrt()
        } else if lo == 0.0 && hi > 1e-300 {
            hi / 16.0
        } else {
            lo + (hi - lo) / 2.0
        };
        if mid <= lo || mid >= hi {
            return if tail == Tail::Lower { hi } else { lo };
        }
        let (lower, upper) = cdf_tails(mid, a, b);
        let below = match tail {
            Tail::Lower => lower < p,
            Tail::Upper => upper > p,
        };
        if below {
            lo = mid;
        } else {
            hi = mid;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, relative: f64) -> bool {
        (got - want).abs() <= relative * want.abs()
    }

    #[test]
    fn stirling_correction_matches_mpmath() {
        // mpmath, 40 digits: loggamma(x) - ((x - 1/2) log x - x + log(2 pi)/2)
        for (x, want) in [
            (0.5, 0.153_426_409_720_027_35),
            (1.0, 0.081_061_466_795_327_26),
            (8.0, 0.010_411_265_261_972_1),
            (9.75, 0.008_544_020_505_848_588),
            (1e4, 8.333_333_330_555_556e-6),
        ] {
            let got = stirling_correction(x);
            assert!((got - want).abs() < 1e-15, "{x}: {got} vs {want}");
        }
    }

    #[test]
    fn cdf_at_closed_forms() {
        // Beta(1, 1) is uniform; Beta(a, 1) has CDF x^a; Beta(1, b) has upper tail (1−x)^b.
        assert!(close(cdf_tails(0.3, 1.0, 1.0).0, 0.3, 1e-15));
        assert!(close(cdf_tails(0.3, 2.5, 1.0).0, 0.3_f64.powf(2.5), 1e-14));
        assert!(close(cdf_tails(0.7, 1.0, 4.0).1, 0.3_f64.powi(4), 1e-14));
        assert!(close(
            cdf_tails(1e-12, 1.0, 1e10).1,
            (-1e-12_f64 * 1e10).exp() * (1.0 - 5e-15),
            1e-9
        ));
    }

    #[test]
    fn tails_match_closed_forms_on_every_branch() {
        // Beta(1, b): upper tail (1 − x)^b, exactly; x spans the fraction, the shift sum and
        // the exact swap at x ≥ ½.
        for b in [2.0_f64, 10.0, 1e3, 1e6, 1e10] {
            for k in 1..60 {
                let x = f64::from(k) / 60.0 * (30.0 / b).min(0.99);
                let want = (b * (-x).ln_1p()).exp();
                let (lower, upper) = cdf_tails(x, 1.0, b);
                // Relative 1e-13, or absolute 4e-15 where the tail is 1 minus the other.
                let tolerance = 1e-13 * want + 4e-15;
                assert!((upper - want).abs() <= tolerance, "b {b} x {x}: {upper} vs {want}");
                assert!((lower + upper - 1.0).abs() < 1e-15);
            }
        }
    }

    #[test]
    fn the_expansion_near_the_mean_matches_mpmath() {
        // mpmath.betainc(a, b, 0, x, regularized=True) at 30 digits; all three lie in the
        // expansion's region (shapes ≥ 100, |λ| ≤ 0.03·min(a, b)).
        for (x, a, b, lower, upper) in [
            (0.5, 1000.0, 1001.0, 0.508_919_505_572_927_2, 0.491_080_494_427_072_8),
            (0.499, 5000.0, 5000.0, 0.420_742_167_543_419_7, 0.579_257_832_456_580_3),
            (0.3001, 3000.0, 7000.0, 0.509_864_610_974_758_1, 0.490_135_389_025_241_9),
        ] {
            let (got_lower, got_upper) = cdf_tails(x, a, b);
            assert!(
                close(got_lower, lower, 1e-14) && close(got_upper, upper, 1e-14),
                "{x} {a} {b}: {got_lower} {got_upper}"
            );
        }
    }

    #[test]
    fn the_expansion_takes_over_where_the_fraction_would_need_1e8_terms() {
        // P(X ≥ n/2) for X ~ Bin(n, ½) at n = 2^52 is I_½(n/2, n/2 + 1) = ½ + P(X = n/2)/2,
        // and P(X = n/2) = √(2/(πn))·(1 − 1/(4n) + …) (Stirling): 0.5000000059447032273.
        let n = 2_f64.powi(52);
        let (lower, _) = cdf_tails(0.5, n / 2.0, n / 2.0 + 1.0);
        assert!((lower - 0.500_000_005_944_703_2).abs() < 1e-15, "{lower}");
    }

    #[test]
    fn bad_shapes_give_nan_at_once() {
        for (a, b) in [(f64::NAN, 1.0), (1.0, 0.0), (-1.0, 2.0), (f64::INFINITY, 1.0)] {
            assert!(cdf_tails(0.3, a, b).0.is_nan());
            assert!(quantile(0.3, a, b, Tail::Lower).is_nan());
        }
        assert!(quantile(f64::NAN, 1.0, 1.0, Tail::Upper).is_nan());
        assert!(stirling_correction(f64::NAN).is_nan());
    }

    #[test]
    fn quantiles_invert_closed_forms() {
        // Clopper–Pearson's upper limit at x = 0 is 1 − (α/2)^{1/n}: Beta(1, n) upper tail.
        for n in [1.0, 10.0, 1e4, 1e8, 1e10] {
            let got = quantile(0.025, 1.0, n, Tail::Upper);
            let want = -(0.025_f64.ln() / n).exp_m1();
            assert!(close(got, want, 1e-13), "n = {n}: {got} vs {want}");
        }
        assert!(close(quantile(0.3, 1.0, 1.0, Tail::Lower), 0.3, 1e-15));
    }
}
