//! Is our NPS above (or below) a benchmark? The one-sided test each interval method inverts.

use super::interval::{adjusted, score_statistic};
use super::{wald_standard_error, Nps, NpsMethod};
use crate::error::Error;
use crate::stats::{normal, one_sided, Alternative, BenchmarkMethod, BenchmarkTest};

/// The Wald z of shares `p − d` against `delta` (fractions), with the multinomial SE.
fn wald_z(p: f64, d: f64, n: f64, delta: f64) -> f64 {
    normal::z_statistic(p - d - delta, wald_standard_error(p, d, n))
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
