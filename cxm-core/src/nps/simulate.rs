//! NPS intervals by simulation: the multinomial bootstrap and the Dirichlet posterior. Both are
//! seeded and reproducible (the same seed gives the same interval in Rust, C and Python), and
//! both cost the same at any n: each simulated value takes a few variates, never n of them.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::stats::percentile::percentile_interval;
use crate::stats::random::Random;
use crate::stats::Interval;

/// Most bootstrap resamples or posterior draws accepted: bounds the memory (8 bytes each) and
/// the time of one interval.
pub const MAX_SIMULATION_SIZE: u32 = 10_000_000;

/// A Dirichlet prior over the promoter, passive and detractor shares: its weights act as
/// pseudo-responses added to the observed counts.
///
/// ```
/// use cxm_core::DirichletPrior;
///
/// assert_eq!(DirichletPrior::default(), DirichletPrior::UNIFORM);
/// assert_eq!(DirichletPrior::JEFFREYS.passives, 0.5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DirichletPrior {
    /// Weight on the promoter share.
    pub promoters: f64,
    /// Weight on the passive share.
    pub passives: f64,
    /// Weight on the detractor share.
    pub detractors: f64,
}

impl DirichletPrior {
    /// Dirichlet(1, 1, 1): every split of the responses equally likely a priori. The default.
    pub const UNIFORM: DirichletPrior =
        DirichletPrior { promoters: 1.0, passives: 1.0, detractors: 1.0 };
    /// Dirichlet(½, ½, ½), Jeffreys' prior for the multinomial.
    pub const JEFFREYS: DirichletPrior =
        DirichletPrior { promoters: 0.5, passives: 0.5, detractors: 0.5 };

    /// The weights `[promoters, passives, detractors]`, each checked to be positive and finite.
    fn weights(self) -> Result<[f64; 3], Error> {
        let weights = [self.promoters, self.passives, self.detractors];
        for (value, category) in weights.into_iter().zip(["promoters", "passives", "detractors"]) {
            if !(value > 0.0 && value.is_finite()) {
                return Err(Error::InvalidPrior { category: category.to_owned(), value });
            }
        }
        Ok(weights)
    }
}

impl Default for DirichletPrior {
    fn default() -> DirichletPrior {
        DirichletPrior::UNIFORM
    }
}

/// Accepts 2 to [`MAX_SIMULATION_SIZE`] simulated values.
fn check_size(what: &str, count: u32) -> Result<(), Error> {
    if (2..=MAX_SIMULATION_SIZE).contains(&count) {
        Ok(())
    } else {
        Err(Error::InvalidSimulationSize {
            what: what.to_owned(),
            count: i128::from(count),
            max: MAX_SIMULATION_SIZE,
        })
    }
}

/// Percentile bootstrap interval for `p − d` (fractions) from `resamples` multinomial samples of
/// `round(n)` responses at shares `(p, 1 − p − d, d)`. Each sample is two binomial draws,
/// `D ~ Bin(n, d)` and `P ~ Bin(n − D, p/(1 − d))`.
pub(crate) fn bootstrap(
    p: f64,
    d: f64,
    n: f64,
    level: f64,
    resamples: u32,
    seed: u64,
) -> Result<Interval, Error> {
    check_size("resamples", resamples)?;
    crate::stats::normal::check_level(level)?;
    // The effective n of weighted data is rounded to whole responses.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let size = n.round().max(1.0) as u64;
    let promoter_given_not_detractor = if d < 1.0 { (p / (1.0 - d)).min(1.0) } else { 0.0 };
    let mut random = Random::new(seed);
    let mut values: Vec<f64> = (0..resamples)
        .map(|_| {
            let detractors = random.binomial(size, d);
            let promoters = random.binomial(size - detractors, promoter_given_not_detractor);
            // The difference of the counts is exact in integers; as floats it would not be
            // past 2^53.
            (i128::from(promoters) - i128::from(detractors)) as f64 / size as f64
        })
        .collect();
    Ok(percentile_interval(&mut values, level))
}

/// Equal-tailed credible interval for `θ_P − θ_D` (fractions) under the Dirichlet posterior
/// `prior + n·(p, 1 − p − d, d)`, from `draws` seeded draws: each is three Gamma variates
/// `G_k ~ Gamma(α_k)` and `θ = G / ΣG`.
pub(crate) fn posterior(
    p: f64,
    d: f64,
    n: f64,
    level: f64,
    prior: DirichletPrior,
    draws: u32,
    seed: u64,
) -> Result<Interval, Error> {
    check_size("posterior draws", draws)?;
    crate::stats::normal::check_level(level)?;
    let [a_p, a_pas, a_d] = prior.weights()?;
    let shapes = [a_p + n * p, a_pas + n * (1.0 - p - d).max(0.0), a_d + n * d];
    let mut random = Random::new(seed);
    let mut values: Vec<f64> = (0..draws)
        .map(|_| loop {
            let [promoters, passives, detractors] = shapes.map(|shape| random.gamma(shape));
            let total = promoters + passives + detractors;
            // Every variate underflows to 0 only for tiny shapes, and then almost never.
            if total > 0.0 {
                break (promoters - detractors) / total;
            }
        })
        .collect();
    Ok(percentile_interval(&mut values, level))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bootstrap_is_seeded_and_its_cost_does_not_grow_with_n() {
        let a = bootstrap(0.5, 0.2, 100.0, 0.95, 2000, 9).unwrap();
        assert_eq!(a, bootstrap(0.5, 0.2, 100.0, 0.95, 2000, 9).unwrap());
        assert_ne!(a, bootstrap(0.5, 0.2, 100.0, 0.95, 2000, 10).unwrap());
        // At n = 1e10 the bootstrap is the normal interval: ±1.96·SE, SE = √(0.7 − 0.09)/1e5.
        let huge = bootstrap(0.5, 0.2, 1e10, 0.95, 20_000, 1).unwrap();
        let half = 1.959_964 * (0.61_f64 / 1e10).sqrt();
        assert!((huge.lower - (0.3 - half)).abs() < 0.03 * half, "{huge:?}");
        assert!((huge.upper - (0.3 + half)).abs() < 0.03 * half, "{huge:?}");
    }

    #[test]
    fn simulation_sizes_and_priors_are_checked() {
        assert!(bootstrap(0.5, 0.2, 100.0, 0.95, 1, 0).is_err());
        assert!(bootstrap(0.5, 0.2, 100.0, 0.95, MAX_SIMULATION_SIZE + 1, 0).is_err());
        let uniform = DirichletPrior::UNIFORM;
        let err = posterior(0.5, 0.2, 10.0, 0.95, uniform, 0, 0).unwrap_err();
        assert_eq!(err.to_string(), "0 posterior draws: need 2 to 10000000");
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let prior = DirichletPrior { passives: bad, ..uniform };
            let err = posterior(0.5, 0.2, 10.0, 0.95, prior, 100, 0).unwrap_err();
            assert!(matches!(&err, Error::InvalidPrior { category, .. } if category == "passives"));
            assert!(err
                .to_string()
                .starts_with(&format!("Dirichlet prior weight {bad} for passives")));
        }
    }

    #[test]
    fn posterior_of_a_uniform_dirichlet_has_its_closed_form_limits() {
        // Under Dirichlet(1, 1, 1) the shares are uniform on the triangle, so
        // P(θ_P − θ_D > t) = (1 − t)²/2 for t ≥ 0: the 95% limits are ±(1 − √0.05). With no
        // data (n = 0) the posterior is the prior. 10⁶ draws: quantile SE about 0.0006.
        let ci = posterior(0.0, 0.0, 0.0, 0.95, DirichletPrior::UNIFORM, 1_000_000, 5).unwrap();
        let limit = 1.0 - 0.05_f64.sqrt();
        assert!((ci.upper - limit).abs() < 0.003 && (ci.lower + limit).abs() < 0.003, "{ci:?}");
    }

    #[test]
    fn posterior_draws_have_the_dirichlet_mean_and_variance() {
        // For α = prior + counts, α₀ = Σα: E = (α_P − α_D)/α₀ and
        // Var = [α_P(α₀ − α_P) + α_D(α₀ − α_D) + 2α_Pα_D] / (α₀²(α₀ + 1)) (REFERENCES.md).
        // The 0.5 and 99.5% limits of a near-normal posterior sit at E ± 2.5758·√Var.
        let (p, d, n) = (0.5, 0.2, 1e6);
        let prior = DirichletPrior::JEFFREYS;
        let (a_p, a_d) = (0.5 + n * p, 0.5 + n * d);
        let a0 = 1.5 + n;
        let mean = (a_p - a_d) / a0;
        let var = (a_p * (a0 - a_p) + a_d * (a0 - a_d) + 2.0 * a_p * a_d) / (a0 * a0 * (a0 + 1.0));
        let ci = posterior(p, d, n, 0.99, prior, 200_000, 8).unwrap();
        let half = 2.575_829_3 * var.sqrt();
        assert!((ci.lower - (mean - half)).abs() < 0.02 * half, "{ci:?}");
        assert!((ci.upper - (mean + half)).abs() < 0.02 * half, "{ci:?}");
        assert_eq!(ci, posterior(p, d, n, 0.99, prior, 200_000, 8).unwrap());
    }
}
