//! Seeded random numbers for resampling: the same seed gives the same stream on every platform
//! and in every surface, and the algorithms are published ones any language can reproduce.

use super::beta::{stirling_correction, t_minus_ln_1p};

/// xoshiro256** (Blackman & Vigna 2018, "Scrambled linear pseudorandom number generators"),
/// its state filled from the seed by SplitMix64, as the authors recommend.
#[derive(Debug, Clone)]
pub(crate) struct Random {
    state: [u64; 4],
    ziggurat: Ziggurat,
}

/// The 128 layers of Marsaglia & Tsang's ziggurat for the standard normal (2000, "The Ziggurat
/// Method for Generating Random Variables", *J. Statist. Software* 5(8)): each layer has area
/// `V`; layer 0 is the base strip of width `x[0] = V/f(R)`, which holds the tail beyond `R`.
#[derive(Debug, Clone)]
struct Ziggurat {
    /// Right edges, decreasing: `x[1] = R`, …, `x[128] = 0`.
    x: [f64; 129],
    /// `f(x[i]) = exp(−x[i]²/2)`.
    f: [f64; 129],
}

impl Ziggurat {
    const R: f64 = 3.442_619_855_899;
    const V: f64 = 9.912_563_035_262_17e-3;

    fn new() -> Ziggurat {
        let density = |x: f64| (-0.5 * x * x).exp();
        let mut x = [0.0; 129];
        x[0] = Ziggurat::V / density(Ziggurat::R);
        x[1] = Ziggurat::R;
        for i in 1..127 {
            x[i + 1] = (-2.0 * (Ziggurat::V / x[i] + density(x[i])).ln()).sqrt();
        }
        // x[128] is 0: the top layer always takes the wedge test.
        Ziggurat { x, f: x.map(density) }
    }
}

impl Random {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Random {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Random { state: [next(), next(), next(), next()], ziggurat: Ziggurat::new() }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.state;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform on [0, 1), from the top 53 bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1_u64 << 53) as f64)
    }

    /// A Binomial(n, p) variate, in expected time bounded independently of `n`: inversion while
    /// `n·min(p, 1−p) < 10`, else Hörmann's BTRS (1993, "The generation of binomial random
    /// variates", *J. Statist. Comput. Simul.* 46), transformed rejection with squeeze.
    ///
    /// Exact for every `n < 2^64`: the variate is the mode, found in integer arithmetic, plus an
    /// offset of a few standard deviations, and the acceptance test compares densities at the
    /// two by a log ratio that never forms `ln n!` (which at n = 1e14 has lost every digit the
    /// test depends on).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn binomial(&mut self, n: u64, p: f64) -> u64 {
        if n == 0 || p <= 0.0 {
            return 0;
        }
        if p >= 1.0 {
            return n;
        }
        if p > 0.5 {
            return n - self.binomial(n, 1.0 - p);
        }
        let nf = n as f64;
        if nf * p < 10.0 {
            return self.binomial_inversion(n, p);
        }
        let q = 1.0 - p;
        let spq = (nf * p * q).sqrt();
        let b = 1.15 + 2.53 * spq;
        let a = -0.0873 + 0.0248 * b + 0.01 * p;
        let v_r = 0.92 - 4.2 / b;
        let alpha = (2.83 + 5.1 / b) * spq;
        // The mode m = ⌊(n + 1)p⌋ exactly, and the mean's distance from it, np − m.
        let (mode, fraction) = whole_and_fraction(u128::from(n) + 1, p);
        let mode = mode as u64;
        let mean_offset = fraction - p;
        let density = DensityRatio::new(n, mode, p, mean_offset);
        let (lowest, highest) = (-(mode as f64), (n - mode) as f64);
        loop {
            let u = self.uniform() - 0.5;
            let v = self.uniform();
            let us = 0.5 - u.abs();
            // Hörmann's k = ⌊(2a/us + b)·u + np + ½⌋, as an offset from the mode.
            let j = ((2.0 * a / us + b) * u + mean_offset + 0.5).floor();
            if j < lowest || j > highest {
                continue;
            }
            // 0 ≤ m + j ≤ n, checked above, so the sum is a u64.
            let k = || (i128::from(mode) + j as i128) as u64;
            if us >= 0.07 && v <= v_r {
                return k();
            }
            let v = (v * alpha / (a / (us * us) + b)).ln();
            if v <= density.ln_ratio(j) {
                return k();
            }
        }
    }

    /// A standard normal variate by the ziggurat: one 64-bit draw gives the layer (low 7 bits)
    /// and a signed position (top 53 bits); about 99% of draws end at the first comparison.
    #[allow(clippy::cast_possible_truncation)]
    pub fn normal(&mut self) -> f64 {
        loop {
            let bits = self.next_u64();
            let layer = (bits & 127) as usize;
            let u = 2.0 * ((bits >> 11) as f64 * (1.0 / (1_u64 << 53) as f64)) - 1.0;
            let (x_outer, x_inner) = (self.ziggurat.x[layer], self.ziggurat.x[layer + 1]);
            let x = u * x_outer;
            if x.abs() < x_inner {
                return x;
            }
            if layer == 0 {
                // The tail beyond R, by Marsaglia's exponential rejection.
                loop {
                    let a = -(1.0 - self.uniform()).ln() / Ziggurat::R;
                    let b = -(1.0 - self.uniform()).ln();
                    if 2.0 * b > a * a {
                        return (Ziggurat::R + a).copysign(u);
                    }
                }
            }
            let (f_outer, f_inner) = (self.ziggurat.f[layer], self.ziggurat.f[layer + 1]);
            if f_outer + self.uniform() * (f_inner - f_outer) < (-0.5 * x * x).exp() {
                return x;
            }
        }
    }

    /// A Gamma(`shape`, 1) variate, `shape > 0`: Marsaglia & Tsang (2000), "A simple method for
    /// generating gamma variables", *ACM TOMS* 26(3), in expected time bounded for every shape;
    /// below shape 1 their boost `Gamma(a) = Gamma(a + 1)·U^{1/a}`.
    pub fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let boost = (1.0 - self.uniform()).powf(1.0 / shape);
            return self.gamma(shape + 1.0) * boost;
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = self.uniform();
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 || u.ln() < 0.5 * x2 + d * (1.0 - v + v.ln()) {
                return d * v;
            }
        }
    }

    /// Inversion by sequential search from 0 (Kachitvichyanukul & Schmeiser's BINV), for
    /// `n·p < 10` with `p ≤ ½`: about `n·p + 1` steps.
    fn binomial_inversion(&mut self, n: u64, p: f64) -> u64 {
        let q = 1.0 - p;
        let s = p / q;
        let a = (n as f64 + 1.0) * s;
        let start = (n as f64 * (-p).ln_1p()).exp(); // q^n without underflow for moderate n·p
        'draw: loop {
            let mut r = start;
            let mut u = self.uniform();
            let mut x = 0_u64;
            while u > r {
                u -= r;
                x += 1;
                if x > n {
                    continue 'draw; // rounding left u above the total mass: draw again
                }
                r *= a / x as f64 - s;
            }
            return x;
        }
    }
}

/// `⌊m·p⌋` and the fraction `m·p − ⌊m·p⌋` (rounded once) for a whole `m ≤ 2^64` and
/// `0 ≤ p ≤ 1`, in integer arithmetic: `p` is a 53-bit integer times a power of two.
#[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
fn whole_and_fraction(m: u128, p: f64) -> (u128, f64) {
    let bits = p.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction_bits = bits & ((1 << 52) - 1);
    // p = mantissa · 2^−shift
    let (mantissa, shift) = if exponent == 0 {
        (fraction_bits, 1074)
    } else {
        (fraction_bits | (1 << 52), 1075 - exponent)
    };
    let product = m * u128::from(mantissa); // below 2^65 · 2^53
    if shift >= 128 {
        return (0, product as f64 * 2_f64.powi(-shift));
    }
    let shift = shift.cast_unsigned();
    let whole = product >> shift;
    let rest = product & ((1_u128 << shift) - 1);
    (whole, rest as f64 * 2_f64.powi(-(shift as i32)))
}

/// `ln(f(m + j)/f(m))` for the Binomial(n, p) pmf `f` and its mode `m`, for offsets `j` that
/// are small beside `m` and `n − m` (BTRS's acceptance test).
///
/// With `ln k! = (K − ½) ln K − K + ½ ln 2π + Δ(K)` for `K = k + 1` (Δ: Stirling's correction),
/// `M = m + 1`, `N = n − m + 1` and `φ(t) = (1 + t) ln(1 + t) − t`, the ratio is
///
/// ```text
/// −M φ(j/M) − N φ(−j/N) + ½ ln(1 + j/M) + ½ ln(1 − j/N) + j ln(pN/(qM))
///   + Δ(M) − Δ(M + j) + Δ(N) − Δ(N − j),
/// ```
///
/// where `pN − qM = (np − m) + 2p − 1` is known exactly. No term is of the size of `ln n!`, so
/// nothing cancels (the idea of Loader 2000, "Fast and accurate computation of binomial
/// probabilities", here for a ratio).
struct DensityRatio {
    m: f64,
    m_other: f64,
    ln_odds_at_mode: f64,
    corrections: f64,
}

impl DensityRatio {
    fn new(n: u64, mode: u64, p: f64, mean_offset: f64) -> DensityRatio {
        let m = mode as f64 + 1.0;
        let m_other = (n - mode) as f64 + 1.0;
        let q = 1.0 - p;
        DensityRatio {
            m,
            m_other,
            ln_odds_at_mode: ((mean_offset + 2.0 * p - 1.0) / (q * m)).ln_1p(),
            corrections: stirling_correction(m) + stirling_correction(m_other),
        }
    }

    fn ln_ratio(&self, j: f64) -> f64 {
        let (t, t_other) = (j / self.m, -j / self.m_other);
        -self.m * one_plus_t_ln_minus_t(t) - self.m_other * one_plus_t_ln_minus_t(t_other)
            + 0.5 * (t.ln_1p() + t_other.ln_1p())
            + j * self.ln_odds_at_mode
            + self.corrections
            - stirling_correction(self.m + j)
            - stirling_correction(self.m_other - j)
    }
}

/// `φ(t) = (1 + t) ln(1 + t) − t` for `t ≥ −1`, without cancellation near 0: there it is
/// `t² − (1 + t)·r(t)` with `r(t) = t − ln(1 + t)` from its series, which loses one bit.
fn one_plus_t_ln_minus_t(t: f64) -> f64 {
    if t.abs() < 0.1 {
        t * t - (1.0 + t) * t_minus_ln_1p(t)
    } else if t <= -1.0 {
        1.0
    } else {
        (1.0 + t) * t.ln_1p() - t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::beta::ln_gamma;

    #[test]
    fn xoshiro_reference_stream() {
        // The reference implementation (xoshiro256starstar.c) seeded with state {1, 2, 3, 4}
        // produces 11520, 0, 1509978240, 1215971899390074240 first.
        let mut r = Random { state: [1, 2, 3, 4], ziggurat: Ziggurat::new() };
        assert_eq!(
            [r.next_u64(), r.next_u64(), r.next_u64(), r.next_u64()],
            [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240]
        );
    }

    /// Empirical frequencies against the exact pmf, by a chi-square statistic; seeded, so it
    /// either always passes or always fails.
    fn chi_square(n: u64, p: f64, draws: u32) -> (f64, f64) {
        let mut r = Random::new(12_345);
        let mut counts = vec![0_u32; usize::try_from(n).unwrap() + 1];
        for _ in 0..draws {
            counts[usize::try_from(r.binomial(n, p)).unwrap()] += 1;
        }
        let nf = n as f64;
        let mut statistic = 0.0;
        let mut cells = 0.0;
        let mut pooled = (0.0, 0.0); // cells with expectation below 5 are pooled
        for (k, &observed) in counts.iter().enumerate() {
            let k = k as f64;
            let ln_pmf = ln_gamma(nf + 1.0) - ln_gamma(k + 1.0) - ln_gamma(nf - k + 1.0)
                + k * p.ln()
                + (nf - k) * (-p).ln_1p();
            let expected = f64::from(draws) * ln_pmf.exp();
            if expected < 5.0 {
                pooled = (pooled.0 + f64::from(observed), pooled.1 + expected);
            } else {
                statistic += (f64::from(observed) - expected).powi(2) / expected;
                cells += 1.0;
            }
        }
        if pooled.1 > 0.0 {
            statistic += (pooled.0 - pooled.1).powi(2) / pooled.1;
            cells += 1.0;
        }
        (statistic, cells - 1.0)
    }

    #[test]
    fn binomial_matches_its_pmf() {
        // Inversion (n·p < 10) and BTRS (n·p ≥ 10), both sides of p = ½. A correct sampler
        // exceeds the bound df + 4√(2 df) with probability 0.0003–0.002 for these df
        // (scipy.stats.chi2.sf: 0.0019 at df 10, 0.00026 at df 100), and the seed is fixed;
        // a wrong one gives thousands.
        for (n, p) in [(20, 0.3), (50, 0.05), (200, 0.3), (1000, 0.45), (300, 0.8)] {
            let (statistic, df) = chi_square(n, p, 200_000);
            let bound = df + 4.0 * (2.0 * df).sqrt();
            assert!(statistic < bound, "n = {n}, p = {p}: chi-square {statistic}, df {df}");
        }
    }

    /// Sample mean and variance of `draws` values of `next`.
    fn moments(draws: u32, mut next: impl FnMut() -> f64) -> (f64, f64) {
        let values: Vec<f64> = (0..draws).map(|_| next()).collect();
        let mean = values.iter().sum::<f64>() / f64::from(draws);
        let var = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / f64::from(draws - 1);
        (mean, var)
    }

    #[test]
    fn normal_and_gamma_have_the_right_moments() {
        // Gamma(a, 1): mean a, variance a. 200 000 draws put the sample mean within 5 standard
        // errors and the variance within 5% (its relative SE is about √((2 + 6/a)/draws)).
        let mut r = Random::new(3);
        let (mean, var) = moments(200_000, || r.normal());
        assert!(mean.abs() < 5.0 / 200_000_f64.sqrt() && (var - 1.0).abs() < 0.02, "{mean} {var}");
        for shape in [0.05, 0.5, 1.0, 2.5, 30.0, 1e10] {
            let (mean, var) = moments(200_000, || r.gamma(shape));
            let se = (shape / 200_000.0).sqrt();
            assert!((mean - shape).abs() < 5.0 * se, "shape {shape}: mean {mean}");
            assert!(
                (var / shape - 1.0).abs() < 0.05 * (1.0 + 1.0 / shape),
                "shape {shape}: var {var}"
            );
        }
    }

    #[test]
    fn normal_matches_its_cdf() {
        // scipy.stats.norm.ppf at 0.001, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999: the shares
        // of 10⁶ draws between neighbouring cuts (tails included) against the exact ones.
        let cuts = [
            -3.090_232_306_167_813_5,
            -2.326_347_874_040_840_8,
            -1.281_551_565_544_600_5,
            -0.524_400_512_708_040_9,
            0.0,
            0.524_400_512_708_040_9,
            1.281_551_565_544_600_5,
            2.326_347_874_040_840_8,
            3.090_232_306_167_813_5,
        ];
        let exact = [0.001, 0.009, 0.09, 0.2, 0.2, 0.2, 0.2, 0.09, 0.009, 0.001];
        let mut r = Random::new(17);
        let mut counts = [0_u32; 10];
        let draws = 1_000_000;
        for _ in 0..draws {
            let x = r.normal();
            counts[cuts.iter().filter(|&&c| x > c).count()] += 1;
        }
        for (i, (&c, p)) in counts.iter().zip(exact).enumerate() {
            let share = f64::from(c) / f64::from(draws);
            let se = (p * (1.0 - p) / f64::from(draws)).sqrt();
            assert!((share - p).abs() < 5.0 * se, "cell {i}: {share} vs {p}");
        }
    }

    #[test]
    fn ziggurat_layers_close_at_zero() {
        // The recursion must end where the curve's top is: x[127] > 0 and layer 127 reaching
        // height 1 (V/x + f(x) = 1 there, to the precision of Marsaglia & Tsang's constants).
        let z = Ziggurat::new();
        assert!(z.x.windows(2).all(|w| w[0] > w[1]) && z.x[128] == 0.0);
        assert!((Ziggurat::V / z.x[127] + z.f[127] - 1.0).abs() < 1e-9);
    }

    #[test]
    fn gamma_matches_its_cdf() {
        // Deciles of Gamma(0.5, 1) and Gamma(4, 1), from scipy.stats.gamma.ppf(q, a): each
        // tenth of the draws must fall between neighbouring deciles (binomial SE 0.0007).
        let deciles = [
            (
                0.5,
                [
                    0.007_895_387_0,
                    0.032_092_377_3,
                    0.074_235_930_9,
                    0.137_497_948_9,
                    0.227_468_211_6,
                    0.354_163_150_4,
                    0.537_097_085_4,
                    0.821_187_207_6,
                    1.352_771_727_0,
                ],
            ),
            (
                4.0,
                [
                    1.744_769_562_8,
                    2.296_786_806_0,
                    2.763_711_042_6,
                    3.211_322_780_1,
                    3.672_060_748_9,
                    4.175_262_733_9,
                    4.762_229_096_5,
                    5.515_045_715_2,
                    6.680_783_068_3,
                ],
            ),
        ];
        let mut r = Random::new(11);
        for (shape, cuts) in deciles {
            let mut counts = [0_u32; 10];
            for _ in 0..200_000 {
                let x = r.gamma(shape);
                counts[cuts.iter().filter(|&&c| x > c).count()] += 1;
            }
            for (i, &c) in counts.iter().enumerate() {
                let share = f64::from(c) / 200_000.0;
                assert!((share - 0.1).abs() < 0.004, "shape {shape}, decile {i}: {share}");
            }
        }
    }

    #[test]
    fn binomial_at_huge_n_has_the_right_moments() {
        let mut r = Random::new(7);
        let (n, p) = (10_000_000_000_u64, 0.3);
        let draws: Vec<f64> = (0..20_000).map(|_| r.binomial(n, p) as f64).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let var =
            draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (draws.len() as f64 - 1.0);
        let (mu, sigma2) = (n as f64 * p, n as f64 * p * (1.0 - p));
        assert!((mean - mu).abs() < 5.0 * (sigma2 / 20_000.0).sqrt(), "mean {mean}");
        assert!((var / sigma2 - 1.0).abs() < 0.05, "variance ratio {}", var / sigma2);
    }
}
