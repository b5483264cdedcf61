//! The sweeps of raking, over the cells. Each weight's factor is `clamp(exp(η), lower, upper)`
//! with `η` the sum of one multiplier per margin (its category's): the form of the raking
//! calibration estimator, truncated by the bounds (Deville and Särndal 1992, §4; R `survey`'s
//! `cal.raking`). A sweep sets each margin's multipliers in turn so that its categories are met
//! exactly, the others held: without bounds, iterative proportional fitting (Deming and Stephan
//! 1940); with them, the same block-coordinate ascent of the calibration problem's concave dual,
//! each category's equation monotone and piecewise exponential, solved exactly between the
//! points where a cell meets a bound.

use super::cells::Cells;
use super::{Bounds, Margin, RakeOptions};
use crate::error::{Error, Number};

/// The cells' factors and how they were reached.
pub(super) struct Fit {
    /// Each cell's factor (weight ÷ scaled base weight).
    pub factors: Vec<f64>,
    pub iterations: u32,
    pub converged: bool,
}

/// Sweeps until every category is met within the tolerance, or the iterations run out: then
/// an unbounded raking reports it did not converge, a bounded one that it is infeasible. A
/// category with a target must first hold respondents of positive base weight, and be within
/// the bounds' reach.
pub(super) fn solve(
    margins: &[Margin<'_>],
    cells: &Cells,
    bounds: Option<Bounds>,
    options: &RakeOptions,
) -> Result<Fit, Error> {
    let (lower, upper) = bounds.map_or((0.0, f64::INFINITY), |b| (b.lower, b.upper));
    let members = members(cells);
    for (k, margin) in margins.iter().enumerate() {
        for (c, cats) in members[k].iter().enumerate() {
            let base: f64 = cats.iter().map(|&j| cells.base[j]).sum();
            if base <= 0.0 {
                return Err(Error::InvalidCalibration {
                    what: format!("margin '{}'", margin.name),
                    reason: format!(
                        "has a target for category {} but no respondent in it (with a positive base weight) to carry it",
                        margin.category(c)
                    ),
                });
            }
            let target = margin.targets[c];
            let slack = 1.0 + options.tolerance;
            if target > upper * base * slack || target * slack < lower * base {
                return Err(Error::CalibrationInfeasible {
                    reason: format!(
                        "category {} of margin '{}' has a target of {} but its respondents can carry only {} to {} within the bounds",
                        margin.category(c),
                        margin.name,
                        Number(target),
                        Number(lower * base),
                        Number(upper * base)
                    ),
                });
            }
        }
    }
    let mut eta = vec![0.0; cells.len()];
    let mut multipliers: Vec<Vec<f64>> =
        margins.iter().map(|m| vec![0.0; m.targets.len()]).collect();
    let factor = |eta: f64| eta.exp().clamp(lower, upper);
    let (mut d, mut r) = (Vec::new(), Vec::new());
    let mut residual = f64::INFINITY;
    for iteration in 1..=options.max_iterations {
        for (k, margin) in margins.iter().enumerate() {
            for (c, cats) in members[k].iter().enumerate() {
                let old = multipliers[k][c];
                d.clear();
                r.clear();
                d.extend(cats.iter().map(|&j| cells.base[j]));
                r.extend(cats.iter().map(|&j| eta[j] - old));
                let new = solve_category(&d, &r, margin.targets[c], lower, upper);
                for (&j, &rest) in cats.iter().zip(&r) {
                    eta[j] = rest + new;
                }
                multipliers[k][c] = new;
            }
        }
        if let Some(j) = eta.iter().position(|e| !e.is_finite()) {
            // A cell's factor driven to zero or infinity: margins that the sample's empty cells
            // make contradictory (no finite weights meet them all).
            let codes: Vec<String> = margins
                .iter()
                .enumerate()
                .map(|(k, m)| format!("{} {}", m.name, m.category(cells.code(j, k))))
                .collect();
            return Err(Error::CalibrationInfeasible {
                reason: format!(
                    "the margins contradict each other: after {iteration} sweeps the weights of the respondents in ({}) must be zero or infinite to meet them",
                    codes.join(", ")
                ),
            });
        }
        residual = worst_residual(margins, &members, cells, |j| factor(eta[j]));
        if residual <= options.tolerance {
            let factors = eta.iter().map(|&e| factor(e)).collect();
            return Ok(Fit { factors, iterations: iteration, converged: true });
        }
    }
    if bounds.is_some() {
        return Err(Error::CalibrationInfeasible {
            reason: format!(
                "after {} sweeps a margin is still off by {} of its target",
                options.max_iterations,
                Number(residual)
            ),
        });
    }
    let factors = eta.iter().map(|&e| factor(e)).collect();
    Ok(Fit { factors, iterations: options.max_iterations, converged: false })
}

/// `members[k][c]`: the cells in category `c` of margin `k`.
fn members(cells: &Cells) -> Vec<Vec<Vec<usize>>> {
    let mut members: Vec<Vec<Vec<usize>>> =
        cells.categories.iter().map(|&n| vec![Vec::new(); n]).collect();
    for j in 0..cells.len() {
        for (k, of_margin) in members.iter_mut().enumerate() {
            of_margin[cells.code(j, k)].push(j);
        }
    }
    members
}

/// The largest `|achieved − target| / target` over every category.
fn worst_residual(
    margins: &[Margin<'_>],
    members: &[Vec<Vec<usize>>],
    cells: &Cells,
    factor: impl Fn(usize) -> f64,
) -> f64 {
    let mut worst = 0.0_f64;
    for (margin, of_margin) in margins.iter().zip(members) {
        for (cats, &target) in of_margin.iter().zip(margin.targets) {
            let achieved: f64 = cats.iter().map(|&j| cells.base[j] * factor(j)).sum();
            worst = super::worse(worst, ((achieved - target) / target).abs());
        }
    }
    worst
}

/// The multiplier `λ` with `Σ dⱼ clamp(exp(λ + rⱼ), lower, upper) = target` (the category's
/// cells' base weights `d` and the rest `r` of their `η`). The sum is non-decreasing in `λ` and,
/// between the points where a cell meets a bound, `A + B·exp(λ)`: find that stretch by bisection
/// over the points, then solve it in closed form. The caller has checked that the target lies
/// between `lower·Σd` and `upper·Σd`.
fn solve_category(d: &[f64], r: &[f64], target: f64, lower: f64, upper: f64) -> f64 {
    let (ln_lower, ln_upper) = (lower.ln(), upper.ln());
    let total = |lambda: f64| -> f64 {
        d.iter().zip(r).map(|(&d, &r)| d * (lambda + r).exp().clamp(lower, upper)).sum()
    };
    let mut points: Vec<f64> =
        r.iter().flat_map(|&r| [ln_lower - r, ln_upper - r]).filter(|p| p.is_finite()).collect();
    points.sort_by(f64::total_cmp);
    let next = points.partition_point(|&p| total(p) < target);
    let (from, to) = (next.checked_sub(1).map(|i| points[i]), points.get(next).copied());
    let inside = match (from, to) {
        (Some(a), Some(b)) => 0.5 * (a + b),
        (Some(a), None) => a + 1.0,
        (None, Some(b)) => b - 1.0,
        (None, None) => 0.0,
    };
    let (mut fixed, mut free) = (0.0, 0.0);
    for (&d, &r) in d.iter().zip(r) {
        let x = inside + r;
        if x <= ln_lower {
            fixed += d * lower;
        } else if x >= ln_upper {
            fixed += d * upper;
        } else {
            free += d * r.exp();
        }
    }
    let lambda = if free > 0.0 { ((target - fixed) / free).ln() } else { inside };
    lambda.clamp(from.unwrap_or(f64::NEG_INFINITY), to.unwrap_or(f64::INFINITY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_category_is_met_exactly_with_and_without_bounds() {
        let (d, r) = ([1.0, 2.0, 3.0], [0.0, 0.5, -0.5]);
        for (lower, upper) in [(0.0, f64::INFINITY), (0.8, 1.3), (0.5, 1.1)] {
            let target = 6.5;
            let lambda = solve_category(&d, &r, target, lower, upper);
            let met: f64 =
                d.iter().zip(&r).map(|(&d, &r)| d * (lambda + r).exp().clamp(lower, upper)).sum();
            assert!((met - target).abs() < 1e-12, "{lower} {upper}: {met}");
        }
        // Unbounded, it is IPF's factor: λ = ln(target / Σ d e^r).
        let plain: f64 = d.iter().zip(&r).map(|(&d, &r)| d * f64::exp(r)).sum();
        assert!(
            (solve_category(&d, &r, 6.5, 0.0, f64::INFINITY) - (6.5 / plain).ln()).abs() < 1e-15
        );
    }
}
