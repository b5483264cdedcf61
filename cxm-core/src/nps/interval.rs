//! Confidence-interval methods for the NPS, after Rocks (2016), "Interval Estimation for the
//! 'Net Promoter Score'", *The American Statistician* 70(4), and his R package `NPS`.
//!
//! Everything here works in fractions (−1..=1) on the promoter share `p`, the detractor share
//! `d` and the (effective) sample size `n`; the caller clips and converts to points.

use serde::{Deserialize, Serialize};

use super::simulate::{self, DirichletPrior};
use super::wald_standard_error;
use crate::stats::root::bisect;
use crate::stats::Interval;

/// How to compute a confidence interval for the NPS.
///
/// Coverage at 95% nominal, from Rocks (2016) and our own simulations (`tests/coverage.rs`):
/// Wald under-covers at small n (0.65–0.93 at n = 10–20); adjusted Wald and the score interval
/// stay near 0.94–0.97 from n = 10. Prefer [`NpsMethod::AdjustedWald`] or
/// [`NpsMethod::Score`]; Wald is here because reports elsewhere use it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NpsMethod {
    /// `estimate ± z·SE` with the multinomial SE. Degenerate (zero width) when every response
    /// falls in one category.
    Wald,
    /// Rocks' adjusted Wald: add the pseudo-observations ¾ detractor, 1½ passive and ¾ promoter
    /// (the R package's default `c(0.75, 1.50, 0.75)`), then a Wald interval on the adjusted
    /// counts. Centred on the *adjusted* estimate, not the raw score.
    AdjustedWald,
    /// The score interval (the R package's "iterative" method, after Tango's score test for a
    /// difference of multinomial proportions): the set of differences the score test does not
    /// reject. Its limits are found by bisection to full `f64` precision, where the R package
    /// stops at about 1e-7.
    Score,
    /// Percentile bootstrap: `resamples` multinomial samples of n responses at the observed
    /// shares, drawn as two binomials each with a seeded xoshiro256** generator, so the cost
    /// does not grow with n and the same seed gives the same interval in Rust, C and Python.
    /// Limits: numpy's default (type 7) percentiles. Parsed from `"bootstrap"` with 10 000
    /// resamples and seed 0. Weighted data resample `round(effective_n)` responses.
    Bootstrap {
        /// Number of resamples (2 to 10 000 000; 10 000 or more for stable limits).
        resamples: u32,
        /// Seed of the generator.
        seed: u64,
    },
    /// Equal-tailed Bayesian credible interval: the `α/2` and `1 − α/2` quantiles of
    /// `θ_P − θ_D` under the Dirichlet posterior `prior + (promoters, passives, detractors)`,
    /// estimated by **seeded Monte Carlo** from `draws` posterior draws (each three Gamma
    /// variates), type-7 percentiles as for the bootstrap. Not the highest-density interval of
    /// the R package `BayesNPS`; the two agree for symmetric posteriors. Weighted data count
    /// `effective_n` responses at the weighted shares. Parsed from `"bayesian"` with the uniform
    /// prior, [`DEFAULT_DRAWS`] draws and seed 0. The Monte Carlo error of a 95% limit is about
    /// `0.16·SE` at 10 000 draws and `0.05·SE` at 100 000.
    Bayesian {
        /// Prior weights, added to the observed counts.
        prior: DirichletPrior,
        /// Number of posterior draws (2 to 10 000 000).
        draws: u32,
        /// Seed of the generator.
        seed: u64,
    },
}

/// Resamples of `"bootstrap"` when none are given.
pub const DEFAULT_RESAMPLES: u32 = 10_000;

/// Posterior draws of `"bayesian"` when none are given.
pub const DEFAULT_DRAWS: u32 = 100_000;

/// The one default NPS interval method of every surface: [`NpsMethod::AdjustedWald`], which
/// covers near the nominal level from n = 10 and is the default of Rocks' R package. A surface
/// whose caller names no method (the `cxm` command line's `--method`, a comparison with
/// [`compare_nps`](crate::compare_nps)) asks for this rather than choosing its own.
///
/// ```
/// assert_eq!(cxm_core::NpsMethod::default(), cxm_core::NpsMethod::AdjustedWald);
/// ```
impl Default for NpsMethod {
    fn default() -> NpsMethod {
        NpsMethod::AdjustedWald
    }
}

impl std::str::FromStr for NpsMethod {
    type Err = crate::Error;

    /// The `snake_case` names: `"wald"`, `"adjusted_wald"`, `"score"`, `"bootstrap"` (with
    /// [`DEFAULT_RESAMPLES`] and seed 0) and `"bayesian"` (uniform prior, [`DEFAULT_DRAWS`],
    /// seed 0).
    ///
    /// ```
    /// assert_eq!("adjusted_wald".parse(), Ok(cxm_core::NpsMethod::AdjustedWald));
    /// assert!("wilson".parse::<cxm_core::NpsMethod>().is_err());
    /// ```
    fn from_str(name: &str) -> Result<NpsMethod, crate::Error> {
        crate::error::parse_name(
            NpsMethod::OPTION,
            name,
            &[
                ("wald", NpsMethod::Wald),
                ("adjusted_wald", NpsMethod::AdjustedWald),
                ("score", NpsMethod::Score),
                ("bootstrap", NpsMethod::Bootstrap { resamples: DEFAULT_RESAMPLES, seed: 0 }),
                (
                    "bayesian",
                    NpsMethod::Bayesian {
                        prior: DirichletPrior::UNIFORM,
                        draws: DEFAULT_DRAWS,
                        seed: 0,
                    },
                ),
            ],
        )
    }
}

/// Pseudo-observations of the adjusted Wald interval: (detractors, passives, promoters).
const ADJUSTED_WALD_PSEUDO: [f64; 3] = [0.75, 1.5, 0.75];

impl NpsMethod {
    /// What this option is called in messages.
    pub const OPTION: &'static str = "NPS interval method";

    /// The closed-form methods with their stable codes in the C ABI (the simulated ones have
    /// C functions of their own, which take their parameters).
    pub const CODES: [(NpsMethod, u32); 3] =
        [(NpsMethod::Wald, 0), (NpsMethod::AdjustedWald, 1), (NpsMethod::Score, 2)];

    /// The method whose C code is `code`, if any.
    ///
    /// ```
    /// assert_eq!(cxm_core::NpsMethod::from_code(1), Some(cxm_core::NpsMethod::AdjustedWald));
    /// ```
    #[must_use]
    pub fn from_code(code: u32) -> Option<NpsMethod> {
        NpsMethod::CODES.iter().find(|&&(_, c)| c == code).map(|&(method, _)| method)
    }

    /// The method's `snake_case` name, as parsed: `"wald"`, …, `"bayesian"`.
    ///
    /// ```
    /// assert_eq!(cxm_core::NpsMethod::AdjustedWald.name(), "adjusted_wald");
    /// ```
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            NpsMethod::Wald => "wald",
            NpsMethod::AdjustedWald => "adjusted_wald",
            NpsMethod::Score => "score",
            NpsMethod::Bootstrap { .. } => "bootstrap",
            NpsMethod::Bayesian { .. } => "bayesian",
        }
    }

    /// The interval in fractions, before clipping, for shares `p` (promoters) and `d`
    /// (detractors) of `n` responses at coverage `level`.
    pub(crate) fn interval(
        self,
        p: f64,
        d: f64,
        n: f64,
        level: f64,
    ) -> Result<Interval, crate::Error> {
        let z = || crate::stats::normal::two_sided_critical(level);
        Ok(match self {
            NpsMethod::Wald => wald(p, d, n, z()?),
            NpsMethod::AdjustedWald => {
                let (p, d, n) = adjusted(p, d, n);
                wald(p, d, n, z()?)
            }
            NpsMethod::Score => score(p, d, n, z()?),
            NpsMethod::Bootstrap { resamples, seed } => {
                simulate::bootstrap(p, d, n, level, resamples, seed)?
            }
            NpsMethod::Bayesian { prior, draws, seed } => {
                simulate::posterior(p, d, n, level, prior, draws, seed)?
            }
        })
    }
}

/// Rocks' adjusted shares and size: `(p', d', n')` after adding the pseudo-observations.
pub(crate) fn adjusted(p: f64, d: f64, n: f64) -> (f64, f64, f64) {
    let [add_d, add_pas, add_p] = ADJUSTED_WALD_PSEUDO;
    let adjusted_n = n + add_d + add_pas + add_p;
    ((p * n + add_p) / adjusted_n, (d * n + add_d) / adjusted_n, adjusted_n)
}

fn wald(p: f64, d: f64, n: f64, z: f64) -> Interval {
    crate::stats::normal::wald_interval(p - d, wald_standard_error(p, d, n), z)
}

/// The score statistic `Z(δ)` below, for shares `p` (promoters), `d` (detractors) of `n`.
pub(crate) fn score_statistic(p: f64, d: f64, n: f64, delta: f64) -> f64 {
    let (b, c) = (n * d, n * p);
    let a = 2.0 * n;
    let bb = -b - c + (2.0 * n - c + b) * delta;
    let cc = -b * delta * (1.0 - delta);
    let q = ((bb * bb - 4.0 * a * cc).max(0.0).sqrt() - bb) / (2.0 * a);
    let variance = (n * (2.0 * q + delta * (1.0 - delta))).max(0.0);
    crate::stats::normal::z_statistic(c - b - n * delta, variance.sqrt())
}

/// Inverts the score statistic of Rocks (2016, eq. for the "iterative" interval). With
/// `b = n·d` detractors and `c = n·p` promoters, for a candidate difference `δ`:
/// `A = 2n`, `B = −b − c + (2n − c + b)δ`, `C = −b·δ(1 − δ)`, `q = (√(B² − 4AC) − B) / (2A)`
/// (the restricted maximum-likelihood detractor share), and
/// `Z(δ) = (c − b − nδ) / √(n(2q + δ(1 − δ)))`. `Z` falls from +∞ at δ = −1 to −∞ at δ = 1, and
/// the limits solve `Z(δ) = ±z`. When every response is a detractor the lower limit is −1
/// (no δ below the estimate exists); when every one is a promoter the upper limit is 1.
fn score(p: f64, d: f64, n: f64, z: f64) -> Interval {
    let statistic = |delta: f64| score_statistic(p, d, n, delta);
    let estimate = p - d;
    let lower =
        if d >= 1.0 { -1.0 } else { bisect(|delta| statistic(delta) - z, -1.0, estimate, true) };
    let upper =
        if p >= 1.0 { 1.0 } else { bisect(|delta| statistic(delta) + z, estimate, 1.0, true) };
    Interval::new(lower, upper)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Nps;

    fn interval(counts_dpp: [u64; 3], method: NpsMethod) -> Interval {
        let [d, pas, p] = counts_dpp;
        let ci = Nps::from_counts(p, pas, d).unwrap().confidence_interval(0.95, method).unwrap();
        ci.scale(0.01)
    }

    /// Worked values from Rocks' R package NPS at α = 0.05, counts (20, 30, 50), as recorded in
    /// shared/REFERENCES.md. The package's "iterative" limits stop at ~1e-7; the exact score
    /// roots (0.1395514161, 0.4433930663) are what full precision must give.
    #[test]
    fn r_package_worked_example() {
        let close = |got: Interval, lower: f64, upper: f64| {
            assert!((got.lower - lower).abs() < 1e-10, "{got:?} vs {lower}");
            assert!((got.upper - upper).abs() < 1e-10, "{got:?} vs {upper}");
        };
        close(interval([20, 30, 50], NpsMethod::Wald), 0.146_921_919_2, 0.453_078_080_8);
        close(interval([20, 30, 50], NpsMethod::AdjustedWald), 0.140_511_301_8, 0.442_012_970_1);
        close(interval([20, 30, 50], NpsMethod::Score), 0.139_551_416_1, 0.443_393_066_3);
    }

    #[test]
    fn score_limits_at_the_edges() {
        let all_detractors = interval([5, 0, 0], NpsMethod::Score);
        assert_eq!(all_detractors.lower, -1.0);
        assert!(all_detractors.upper > -1.0 && all_detractors.upper < 0.0);
        let all_promoters = interval([0, 0, 5], NpsMethod::Score);
        assert_eq!(all_promoters.upper, 1.0);
        assert!(all_promoters.lower > 0.0 && all_promoters.lower < 1.0);
        let one_passive = interval([0, 1, 0], NpsMethod::Score);
        assert!(one_passive.lower < 0.0 && one_passive.upper > 0.0);
    }

    #[test]
    fn score_statistic_is_zero_at_the_estimate_and_bracketed() {
        for counts in [[1, 2, 3], [20, 30, 50], [0, 1, 9], [7, 0, 0], [3, 0, 3]] {
            let ci = interval(counts, NpsMethod::Score);
            let [d, pas, p] = counts.map(|c| c as f64);
            let estimate = (p - d) / (d + pas + p);
            assert!(ci.lower <= estimate && estimate <= ci.upper, "{counts:?}: {ci:?}");
        }
    }
}
