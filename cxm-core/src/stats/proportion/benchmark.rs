//! Is a proportion above (or below) a benchmark? The score, exact binomial or Wald test.

use super::{proportion_interval, ProportionMethod};
use crate::error::Error;
use crate::stats::{beta, normal, one_sided, Alternative, BenchmarkMethod, BenchmarkTest};

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
