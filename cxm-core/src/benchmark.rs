//! Against a benchmark: is our NPS (or a share) above an industry figure, e.g. NPS > 20?
//! One-sided tests whose statistic is the one the matching interval inverts, so the p-value and
//! the interval never disagree.

use serde::{Deserialize, Serialize};

use crate::error::{parse_name, Error};
use crate::nps::{
    interval::adjusted, interval::score_statistic, multinomial_variance, Nps, NpsMethod,
};
use crate::stats::{beta, normal, proportion_interval, Interval, ProportionMethod};

/// The direction of a one-sided test: the alternative to "no better than the benchmark".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Alternative {
    /// The true value is above the benchmark.
    Greater,
    /// The true value is below the benchmark.
    Less,
}

impl Default for Alternative {
    /// [`Alternative::Greater`]: "is ours above the benchmark?", the question usually asked.
    fn default() -> Alternative {
        Alternative::Greater
    }
}

impl std::str::FromStr for Alternative {
    type Err = Error;

    /// `"greater"` or `"less"`.
    fn from_str(name: &str) -> Result<Alternative, Error> {
        parse_name(
            "alternative",
            name,
            &[("greater", Alternative::Greater), ("less", Alternative::Less)],
        )
    }
}

/// Which one-sided test was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BenchmarkMethod {
    /// NPS, Wald z.
    NpsWald,
    /// NPS, z on Rocks' adjusted estimate.
    NpsAdjustedWald,
    /// NPS, the score statistic that the score interval inverts.
    NpsScore,
    /// Proportion, score z with the variance at the benchmark (the test behind Wilson's interval;
    /// statsmodels `proportions_ztest(..., prop_var=value)`).
    ProportionScore,
    /// Proportion, exact binomial test (behind Clopper–Pearson; `scipy.stats.binomtest`).
    ProportionExact,
    /// Proportion, Wald z with the sample variance (statsmodels `proportions_ztest`).
    ProportionWald,
}

impl BenchmarkMethod {
    /// The `snake_case` name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            BenchmarkMethod::NpsWald => "nps_wald",
            BenchmarkMethod::NpsAdjustedWald => "nps_adjusted_wald",
            BenchmarkMethod::NpsScore => "nps_score",
            BenchmarkMethod::ProportionScore => "proportion_score",
            BenchmarkMethod::ProportionExact => "proportion_exact",
            BenchmarkMethod::ProportionWald => "proportion_wald",
        }
    }
}

/// The outcome of testing one estimate against a benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkTest {
    /// How the test was made.
    pub method: BenchmarkMethod,
    /// The estimate (NPS in points, or a proportion).
    pub estimate: f64,
    /// The benchmark, in the same unit.
    pub benchmark: f64,
    /// The alternative tested against "no difference".
    pub alternative: Alternative,
    /// Two-sided confidence interval for the estimate at `level`, by the matching method.
    pub interval: Interval,
    /// The z statistic (NaN for the exact test).
    pub statistic: f64,
    /// One-sided p-value in the direction of `alternative`.
    pub p_value: f64,
    /// Confidence level of the interval.
    pub level: f64,
    /// (Effective) sample size.
    pub n: f64,
}

/// One-sided normal p-value of `z` in the direction of `alternative`.
fn one_sided(z: f64, alternative: Alternative) -> f64 {
    normal::upper_tail(if alternative == Alternative::Greater { z } else { -z })
}

/// The Wald z of shares `p − d` against `delta` (fractions), with the multinomial SE.
fn wald_z(p: f64, d: f64, n: f64, delta: f64) -> f64 {
    normal::z_statistic(p - d - delta, (multinomial_variance(p, d) / n).sqrt())
}

/// Tests an NPS against `benchmark` points (strictly inside −100..100).
///
/// # Errors
/// [`Error::InvalidBenchmark`], [`Error::InvalidLevel`], [`Error::InvalidEstimate`].
///
/// # Examples
/// ```
/// use cxm_core::{nps_vs_benchmark, Alternative, Nps, NpsMethod};
/// // Is our NPS of 30 (n = 100) above the industry's 20?
/// let ours = Nps::from_counts(50, 30, 20)?;
/// let t = nps_vs_benchmark(&ours, 20.0, Alternative::Greater, 0.95, NpsMethod::Score)?;
/// assert!(t.p_value > 0.05); // not shown at n = 100
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn nps_vs_benchmark(
    nps: &Nps,
    benchmark: f64,
    alternative: Alternative,
    level: f64,
    method: NpsMethod,
) -> Result<BenchmarkTest, Error> {
    if !(benchmark > -100.0 && benchmark < 100.0) {
        return Err(Error::InvalidBenchmark { benchmark, range: "(-100, 100)".to_owned() });
    }
    let interval = nps.confidence_interval(level, method)?;
    let (p, d, n, delta) =
        (nps.promoter_share, nps.detractor_share, nps.effective_n, benchmark / 100.0);
    let (statistic, kind) = match method {
        NpsMethod::Wald => (wald_z(p, d, n, delta), BenchmarkMethod::NpsWald),
        NpsMethod::AdjustedWald => {
            let (p, d, n) = adjusted(p, d, n);
            (wald_z(p, d, n, delta), BenchmarkMethod::NpsAdjustedWald)
        }
        NpsMethod::Score => (score_statistic(p, d, n, delta), BenchmarkMethod::NpsScore),
        other => {
            return Err(Error::UnsupportedMethod {
                method: other.name().to_owned(),
                purpose: "testing an NPS against a benchmark".to_owned(),
            })
        }
    };
    Ok(BenchmarkTest {
        method: kind,
        estimate: nps.score,
        benchmark,
        alternative,
        interval,
        statistic,
        p_value: one_sided(statistic, alternative),
        level,
        n,
    })
}

/// Tests the proportion `successes / n` against `benchmark` (strictly inside 0..1) by `method`:
/// Wilson (the score test), Clopper–Pearson (the exact binomial test; whole counts only) or Wald.
///
/// # Errors
/// [`Error::InvalidBenchmark`], [`Error::InvalidCount`] (also for fractional counts with the
/// exact test), [`Error::UnsupportedMethod`] for Agresti–Coull and Jeffreys,
/// [`Error::InvalidLevel`].
pub fn proportion_vs_benchmark(
    successes: f64,
    n: f64,
    benchmark: f64,
    alternative: Alternative,
    level: f64,
    method: ProportionMethod,
) -> Result<BenchmarkTest, Error> {
    if !(benchmark > 0.0 && benchmark < 1.0) {
        return Err(Error::InvalidBenchmark { benchmark, range: "(0, 1)".to_owned() });
    }
    let interval = proportion_interval(successes, n, level, method)?;
    let p = successes / n;
    let (statistic, p_value, kind) = match method {
        ProportionMethod::Wilson => {
            let z = normal::z_statistic(p - benchmark, (benchmark * (1.0 - benchmark) / n).sqrt());
            (z, one_sided(z, alternative), BenchmarkMethod::ProportionScore)
        }
        ProportionMethod::Wald => {
            let z = normal::z_statistic(p - benchmark, (p * (1.0 - p) / n).sqrt());
            (z, one_sided(z, alternative), BenchmarkMethod::ProportionWald)
        }
        ProportionMethod::ClopperPearson => {
            // P(X ≥ k) = I_p0(k, n − k + 1); P(X ≤ k) = P(Beta(k + 1, n − k) > p0).
            let p_value = match alternative {
                Alternative::Greater if successes == 0.0 => 1.0,
                Alternative::Greater => {
                    beta::cdf_tails(benchmark, successes, n - successes + 1.0).0
                }
                Alternative::Less if successes == n => 1.0,
                Alternative::Less => beta::cdf_tails(benchmark, successes + 1.0, n - successes).1,
            };
            (f64::NAN, p_value, BenchmarkMethod::ProportionExact)
        }
        other => {
            return Err(Error::UnsupportedMethod {
                method: other.name().to_owned(),
                purpose: "testing a proportion against a benchmark".to_owned(),
            })
        }
    };
    normal::check_level(level)?;
    Ok(BenchmarkTest {
        method: kind,
        estimate: p,
        benchmark,
        alternative,
        interval,
        statistic,
        p_value,
        level,
        n,
    })
}
