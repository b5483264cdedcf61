//! Did the NPS really change? Two independent samples compared by Wald or adjusted Wald.

use super::{interval::adjusted, multinomial_variance, Nps, NpsMethod};
use crate::error::Error;
use crate::stats::{normal, Comparison, ComparisonMethod};

/// Compares two NPS (two periods, two segments, A vs B) by `method`, [`NpsMethod::Wald`] or
/// [`NpsMethod::AdjustedWald`] (recommended). The interval is in points, clipped to −200..=200.
///
/// # Errors
/// [`Error::UnsupportedMethod`] for other methods; [`Error::InvalidLevel`];
/// [`Error::InvalidEstimate`] for hand-built nonsense.
///
/// # Examples
/// ```
/// use cxm_core::{compare_nps, Nps, NpsMethod};
/// let this_quarter = Nps::from_counts(220, 130, 150)?; // NPS 14
/// let last_quarter = Nps::from_counts(180, 140, 180)?; // NPS 0
/// let c = compare_nps(&this_quarter, &last_quarter, 0.95, NpsMethod::AdjustedWald)?;
/// assert!((c.estimate - 14.0).abs() < 1e-12);
/// assert!(c.p_value < 0.01 && c.interval.lower > 0.0);
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn compare_nps(a: &Nps, b: &Nps, level: f64, method: NpsMethod) -> Result<Comparison, Error> {
    a.check()?;
    b.check()?;
    let z = normal::two_sided_critical(level)?;
    let shares = |x: &Nps| (x.promoter_share, x.detractor_share, x.effective_n);
    let ((p1, d1, m1), (p2, d2, m2), kind) = match method {
        NpsMethod::Wald => (shares(a), shares(b), ComparisonMethod::NpsWald),
        NpsMethod::AdjustedWald => {
            let adjust = |x: &Nps| adjusted(x.promoter_share, x.detractor_share, x.effective_n);
            (adjust(a), adjust(b), ComparisonMethod::NpsAdjustedWald)
        }
        other => {
            return Err(Error::UnsupportedMethod {
                method: other.name().to_owned(),
                purpose: "comparing two NPS".to_owned(),
            })
        }
    };
    let difference = (p1 - d1) - (p2 - d2);
    let se = (multinomial_variance(p1, d1) / m1 + multinomial_variance(p2, d2) / m2).sqrt();
    let statistic = normal::z_statistic(difference, se);
    let interval = normal::wald_interval(difference, se, z).clip(-2.0, 2.0).scale(100.0);
    Ok(Comparison {
        method: kind,
        estimate: a.score - b.score,
        interval,
        statistic,
        degrees_of_freedom: f64::INFINITY,
        p_value: normal::two_sided_p_value(statistic),
        level,
        n1: a.effective_n,
        n2: b.effective_n,
    })
}
