//! Trimming after the fact: the extreme weights set to a bound, their excess shared equally by
//! the others, as R `survey`'s `trimWeights(strict = TRUE)` (Lumley, *Complex Surveys*, 2010,
//! §7.5). The total stays; the margins do not, and the residuals say by how much.

use super::{Bounds, Raking};
use crate::error::Error;

/// Rounds of trimming at most: each one moves at most the excess of the last, so the excess
/// shrinks geometrically and a few dozen rounds leave none.
const ROUNDS: usize = 10_000;

impl Raking {
    /// These weights trimmed to `[lower, upper]` × their mean (`0 ≤ lower ≤ 1 ≤ upper`): any
    /// weight outside is set to the bound and what it lost or gained is shared equally among
    /// the weights inside, again until none is outside. The margins are refitted and reported,
    /// not met: trimming breaks them (see [`Raking::max_residual`]); the design effect falls.
    ///
    /// # Errors
    /// [`Error::InvalidCalibration`] for bounds outside `0 ≤ lower ≤ 1 ≤ upper`, or bounds that
    /// leave no weight inside (R's `trimWeights` divides by zero there).
    ///
    /// # Examples
    /// ```
    /// use cxm_core::{rake, Margin, RakeOptions};
    /// let region = [0, 1, 1, 1, 1, 1, 1, 1];
    /// let margins = [Margin { name: "region", codes: &region, targets: &[4.0, 4.0], labels: None }];
    /// let raked = rake(&margins, None, &RakeOptions::default())?;
    /// assert_eq!(raked.weights[0], 4.0); // one respondent carries half the population
    /// let trimmed = raked.trim(0.0, 2.0)?;
    /// assert!((trimmed.weights[0] - 2.0).abs() < 1e-12);
    /// assert!(trimmed.max_residual > 0.4 && trimmed.design_effect < raked.design_effect);
    /// # Ok::<(), cxm_core::Error>(())
    /// ```
    pub fn trim(&self, lower: f64, upper: f64) -> Result<Raking, Error> {
        Bounds { lower, upper }.check("trimming bounds")?;
        let mean = self.weights.iter().sum::<f64>() / self.weights.len() as f64;
        let (low, high) = (lower * mean, upper * mean);
        let mut weights = self.weights.clone();
        let mut trimmed = vec![false; weights.len()];
        for _ in 0..ROUNDS {
            let outside: Vec<bool> = weights.iter().map(|w| *w < low || *w > high).collect();
            let inside = outside.iter().filter(|&&o| !o).count();
            if inside == weights.len() {
                break;
            }
            if inside == 0 {
                return Err(Error::InvalidCalibration {
                    what: "trimming bounds".to_owned(),
                    reason: format!(
                        "[{}, {}] x the mean leave no weight inside to take up what the others lose: widen them",
                        crate::error::Number(lower),
                        crate::error::Number(upper)
                    ),
                });
            }
            let mut excess = 0.0;
            for ((w, &out), cut) in weights.iter_mut().zip(&outside).zip(&mut trimmed) {
                if out {
                    let bounded = w.clamp(low, high);
                    excess += *w - bounded;
                    *w = bounded;
                    *cut = true;
                }
            }
            // A weight already on a bound is inside, as in R: it takes its share, and is cut
            // back in the next round if the share carries it out.
            let share = excess / inside as f64;
            weights
                .iter_mut()
                .zip(&outside)
                .filter(|(_, &out)| !out)
                .for_each(|(w, _)| *w += share);
        }
        let count = trimmed.iter().filter(|&&t| t).count() as u64;
        Ok(self.refit(weights, count))
    }
}
