//! Survey weights calibrated to known population margins, and standard errors that know it.
//!
//! - **Raking** ([`rake`]; Deming and Stephan 1940, iterative proportional fitting): the base
//!   weights are multiplied, margin after margin, until the weighted count of every category of
//!   every margin (region, age band, plan…) meets its population target, within a relative
//!   `tolerance`. The result is the calibration estimator of Deville and Särndal (1992, *JASA*
//!   87) with the raking distance, as R `survey`'s `rake()` and `calibrate(calfun = "raking")`.
//! - **Bounded calibration** ([`RakeOptions::bounds`]): the same, each weight kept within
//!   `[lower, upper]` × its base weight scaled to the population total (× the mean weight when
//!   there are no base weights), as `calibrate(calfun = "raking", bounds = …)`; when the
//!   margins cannot be met inside the bounds, an error says so, as R's "Calibration failed".
//! - **Trimming** ([`Raking::trim`]), after the fact: weights outside `[lower, upper]` × the mean
//!   are set to the bound and the difference shared equally among the others, as
//!   `survey::trimWeights(strict = TRUE)`; the margins it breaks show in the residuals.
//! - **Kish's design effect** `n Σw² / (Σw)²`, the effective n `(Σw)² / Σw²` and the efficiency
//!   `1 / deff` of the weights.
//! - **Calibration-aware standard errors** ([`calibrated_nps`], [`calibrated_share`]): the
//!   linearization of the estimate with the influence values replaced by their residuals on the
//!   margins (Deville and Särndal 1992, §3), as `svymean` on a `calibrate`d design, beside the
//!   standard errors that take the weights as fixed.
//!
//! Every weight is the row's base weight times a factor of its cell (its combination of
//! categories), so the sweeps run over the cells: the rows are read a fixed number of times
//! (grouped into cells, weighted, each margin checked on the weights), whatever the number of
//! sweeps.

mod cells;
mod linearize;
mod solve;
mod trim;

use serde::{Deserialize, Serialize};

pub use linearize::{calibrated_nps, calibrated_share, CalibratedEstimate};

use crate::error::Error;
use crate::score::check_weight;
use crate::sum::CompensatedSum;
use cells::Cells;

/// Relative tolerance on every margin unless asked for another.
pub const DEFAULT_RAKE_TOLERANCE: f64 = 1e-10;

/// Sweeps over the margins before raking gives up unless asked for another number. A sweep
/// costs the number of cells, not of rows.
pub const DEFAULT_RAKE_ITERATIONS: u32 = 1000;

/// One variable to rake on: each row's category (`codes[i]`, from 0) and each category's
/// population target (`targets[c]`: a count or a share; every margin's targets must add up to
/// the same total, which the weights then sum to).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margin<'a> {
    /// The variable's name, for messages and results.
    pub name: &'a str,
    /// Each row's category.
    pub codes: &'a [u32],
    /// Each category's target.
    pub targets: &'a [f64],
    /// Each category's name, for messages (`None`: they are named by their codes).
    pub labels: Option<&'a [&'a str]>,
}

impl Margin<'_> {
    /// Category `c` as a message names it: its label in quotes, or its code.
    pub(crate) fn category(&self, c: usize) -> String {
        match self.labels.and_then(|labels| labels.get(c)) {
            Some(label) => format!("'{label}'"),
            None => c.to_string(),
        }
    }
}

/// Limits on each weight's ratio to its base weight (scaled to the population total), as R's
/// `calibrate(bounds = c(lower, upper))`: `0 ≤ lower ≤ 1 ≤ upper` (`upper` may be infinite).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bounds {
    /// The least ratio.
    pub lower: f64,
    /// The greatest ratio.
    pub upper: f64,
}

impl Bounds {
    fn check(self, what: &str) -> Result<Bounds, Error> {
        if self.lower >= 0.0 && self.lower <= 1.0 && self.upper >= 1.0 {
            Ok(self)
        } else {
            Err(Error::InvalidCalibration {
                what: what.to_owned(),
                reason: format!(
                    "[{}, {}] must satisfy 0 <= lower <= 1 <= upper: the weights' mean ratio is 1",
                    crate::error::Number(self.lower),
                    crate::error::Number(self.upper)
                ),
            })
        }
    }
}

/// The options of [`rake`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RakeOptions {
    /// Relative tolerance on every category of every margin: `|achieved − target| / target`.
    pub tolerance: f64,
    /// Sweeps over the margins at most.
    pub max_iterations: u32,
    /// Bounded calibration: the weights' ratios to their base weights kept within these.
    pub bounds: Option<Bounds>,
}

impl Default for RakeOptions {
    fn default() -> RakeOptions {
        RakeOptions {
            tolerance: DEFAULT_RAKE_TOLERANCE,
            max_iterations: DEFAULT_RAKE_ITERATIONS,
            bounds: None,
        }
    }
}

/// How closely one margin is met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarginFit {
    /// The margin's name.
    pub name: String,
    /// Each category's target.
    pub targets: Vec<f64>,
    /// Each category's sum of the weights.
    pub achieved: Vec<f64>,
    /// Each category's `(achieved − target) / target`.
    pub residuals: Vec<f64>,
}

/// What [`rake`] returns: the weights, how they were reached, and what they cost in precision.
/// [`calibrated_nps`] and [`calibrated_share`] read the design it keeps (which is not
/// serialized: a raking written out is a report, not a design to estimate from).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Raking {
    /// Each row's weight, in the input's order. They sum to the targets' total.
    pub weights: Vec<f64>,
    /// Sweeps made.
    pub iterations: u32,
    /// Whether every margin was met within the tolerance (before any trimming).
    pub converged: bool,
    /// Each margin's fit.
    pub margins: Vec<MarginFit>,
    /// The largest `|residual|` over the margins.
    pub max_residual: f64,
    /// The options it was raked with (its bounds, for a bounded calibration).
    pub options: RakeOptions,
    /// Weights set to a bound by [`Raking::trim`] (0 before).
    pub trimmed: u64,
    /// Kish's design effect of the weights: `n Σw² / (Σw)²`.
    pub design_effect: f64,
    /// Kish's effective sample size: `(Σw)² / Σw²`.
    pub effective_n: f64,
    /// `1 / design_effect`: the share of the sample's information the weights keep.
    pub efficiency: f64,
    #[serde(skip)]
    design: Design,
}

/// What the standard errors need: the rows' cells and base weights.
#[derive(Debug, Clone, PartialEq)]
struct Design {
    cells: Cells,
    /// The base weights as given (`None`: all equal), and the factor scaling them to the total.
    base: Option<Vec<f64>>,
    scale: f64,
}

impl Design {
    /// Row `i`'s scaled base weight.
    fn base_weight(&self, i: usize) -> f64 {
        self.base.as_ref().map_or(1.0, |d| d[i]) * self.scale
    }
}

/// Rakes `base_weights` (all equal when `None`) to the `margins`: iterative proportional
/// fitting, or with [`RakeOptions::bounds`] bounded calibration, over the cells of the margins.
///
/// # Errors
/// - [`Error::Empty`] for no rows; [`Error::ColumnLengthMismatch`] for a margin's codes or the
///   base weights of another length than the first margin's codes;
///   [`Error::InvalidWeight`] for a base weight that is negative or not finite.
/// - [`Error::InvalidCalibration`] for no margin, a code with no target, a target that is not
///   positive and finite, a category with no respondent of positive base weight, margins whose
///   targets add up to different totals (relative difference above the tolerance), bounds
///   outside `0 ≤ lower ≤ 1 ≤ upper`, a tolerance that is not positive or no iteration allowed.
/// - [`Error::CalibrationInfeasible`] when bounded calibration cannot meet the margins.
///
/// # Examples
/// ```
/// use cxm_core::{rake, Margin, RakeOptions};
/// // Six respondents, four of them in region 0; the population is split evenly.
/// let region = [0, 0, 0, 0, 1, 1];
/// let plan = [0, 1, 0, 1, 0, 1];
/// let margins = [
///     Margin { name: "region", codes: &region, targets: &[500.0, 500.0], labels: None },
///     Margin { name: "plan", codes: &plan, targets: &[300.0, 700.0], labels: None },
/// ];
/// let raked = rake(&margins, None, &RakeOptions::default())?;
/// assert!(raked.converged && raked.max_residual <= 1e-10);
/// let region_1: f64 = raked.weights[4..].iter().sum();
/// assert!((region_1 - 500.0).abs() < 1e-7);
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn rake(
    margins: &[Margin<'_>],
    base_weights: Option<&[f64]>,
    options: &RakeOptions,
) -> Result<Raking, Error> {
    let total = check(margins, base_weights, options)?;
    let rows = margins[0].codes.len();
    let base_total = match base_weights {
        Some(d) => {
            let mut sum = CompensatedSum::default();
            for &w in d {
                sum.add(w);
            }
            sum.total()
        }
        None => rows as f64,
    };
    if !(base_total > 0.0 && base_total.is_finite()) {
        return Err(Error::ZeroTotalWeight);
    }
    let scale = total / base_total;
    let cells = Cells::new(margins, base_weights, scale)?;
    let bounds = options.bounds.map(|b| b.check("bounds")).transpose()?;
    let fit = solve::solve(margins, &cells, bounds, options)?;
    let design = Design { cells, base: base_weights.map(<[f64]>::to_vec), scale };
    let weights: Vec<f64> = (0..rows)
        .map(|i| design.base_weight(i) * fit.factors[design.cells.row_cell[i] as usize])
        .collect();
    // Each weight is its base weight times its cell's factor: the cell's sums follow from its
    // base weights' (equal to the rows' sums up to each weight's rounding).
    let cells = &design.cells;
    let per_cell: Vec<(f64, f64)> = (0..cells.len())
        .map(|j| {
            let g = fit.factors[j];
            (g * cells.base[j], g * g * cells.squares[j])
        })
        .collect();
    let targets = margins.iter().map(|m| (m.name.to_owned(), m.targets.to_vec())).collect();
    let options = RakeOptions { bounds, ..*options };
    Ok(Raking::new(weights, &per_cell, fit.iterations, fit.converged, targets, options, 0, design))
}

/// The checks that need no pass over the cells; returns the targets' total.
fn check(
    margins: &[Margin<'_>],
    base_weights: Option<&[f64]>,
    options: &RakeOptions,
) -> Result<f64, Error> {
    let first = margins.first().ok_or_else(|| Error::InvalidCalibration {
        what: "raking".to_owned(),
        reason: "needs at least one margin".to_owned(),
    })?;
    if !(options.tolerance > 0.0 && options.tolerance < 1.0) || options.max_iterations == 0 {
        return Err(Error::InvalidCalibration {
            what: "raking".to_owned(),
            reason: format!(
                "needs a tolerance in (0, 1) and at least one iteration, not {} and {}",
                crate::error::Number(options.tolerance),
                options.max_iterations
            ),
        });
    }
    let rows = first.codes.len();
    if rows == 0 {
        return Err(Error::Empty);
    }
    for margin in &margins[1..] {
        if margin.codes.len() != rows {
            return Err(Error::ColumnLengthMismatch {
                column: margin.name.to_owned(),
                len: margin.codes.len(),
                expected: rows,
                first: first.name.to_owned(),
            });
        }
    }
    if let Some(d) = base_weights {
        if d.len() != rows {
            return Err(Error::ColumnLengthMismatch {
                column: "base_weights".to_owned(),
                len: d.len(),
                expected: rows,
                first: first.name.to_owned(),
            });
        }
        d.iter().enumerate().try_for_each(|(i, &w)| check_weight(i, w))?;
    }
    let mut totals = Vec::with_capacity(margins.len());
    for margin in margins {
        let what = || format!("margin '{}'", margin.name);
        if margin.targets.is_empty() {
            return Err(Error::InvalidCalibration {
                what: what(),
                reason: "has no targets".to_owned(),
            });
        }
        if let Some((c, &t)) =
            margin.targets.iter().enumerate().find(|(_, &t)| !(t > 0.0 && t.is_finite()))
        {
            return Err(Error::InvalidCalibration {
                what: what(),
                reason: format!(
                    "has target {} for category {}: targets must be positive and finite",
                    crate::error::Number(t),
                    margin.category(c)
                ),
            });
        }
        let mut sum = CompensatedSum::default();
        margin.targets.iter().for_each(|&t| sum.add(t));
        totals.push(sum.total());
    }
    let total = totals[0];
    for (margin, &t) in margins.iter().zip(&totals).skip(1) {
        if (t - total).abs() > options.tolerance * total {
            return Err(Error::InvalidCalibration {
                what: format!("margin '{}'", margin.name),
                reason: format!(
                    "has targets that add up to {}, but those of '{}' to {}: every margin must describe the same total",
                    crate::error::Number(t),
                    first.name,
                    crate::error::Number(total)
                ),
            });
        }
    }
    Ok(total)
}

/// The worse of the `worst` relative residual so far and `off`: NaN is the worst of all, never
/// skipped (as `f64::max` would skip it).
fn worse(worst: f64, off: f64) -> f64 {
    if off.is_nan() || off > worst {
        off
    } else {
        worst
    }
}

/// Each cell's sum of the weights and of their squares, in one pass over the rows.
fn per_cell_sums(weights: &[f64], cells: &Cells) -> Vec<(f64, f64)> {
    let mut sums = vec![(CompensatedSum::default(), CompensatedSum::default()); cells.len()];
    for (&j, &w) in cells.row_cell.iter().zip(weights) {
        let (sum, squares) = &mut sums[j as usize];
        sum.add(w);
        squares.add(w * w);
    }
    sums.iter().map(|(s, q)| (s.total(), q.total())).collect()
}

impl Raking {
    /// The raking of `weights`: each margin's fit (`margins`: names and targets) and Kish's
    /// figures, from the sums of the weights and of their squares in each cell (`per_cell`).
    #[allow(clippy::too_many_arguments)] // one constructor for rake and trim
    fn new(
        weights: Vec<f64>,
        per_cell: &[(f64, f64)],
        iterations: u32,
        converged: bool,
        margins: Vec<(String, Vec<f64>)>,
        options: RakeOptions,
        trimmed: u64,
        design: Design,
    ) -> Raking {
        let cells = &design.cells;
        let fits: Vec<MarginFit> = margins
            .into_iter()
            .enumerate()
            .map(|(k, (name, targets))| {
                let mut sums = vec![CompensatedSum::default(); targets.len()];
                for (j, &(sum, _)) in per_cell.iter().enumerate() {
                    sums[cells.code(j, k)].add(sum);
                }
                let achieved: Vec<f64> = sums.iter().map(CompensatedSum::total).collect();
                let residuals = achieved.iter().zip(&targets).map(|(&a, &t)| (a - t) / t).collect();
                MarginFit { name, targets, achieved, residuals }
            })
            .collect();
        let max_residual = fits
            .iter()
            .flat_map(|f| f.residuals.iter())
            .fold(0.0_f64, |worst, r| worse(worst, r.abs()));
        let (mut sum, mut squares) = (CompensatedSum::default(), CompensatedSum::default());
        for &(s, q) in per_cell {
            sum.add(s);
            squares.add(q);
        }
        let (sum, squares) = (sum.total(), squares.total());
        let effective_n = sum * sum / squares;
        let design_effect = weights.len() as f64 / effective_n;
        Raking {
            weights,
            iterations,
            converged,
            margins: fits,
            max_residual,
            options,
            trimmed,
            design_effect,
            effective_n,
            efficiency: 1.0 / design_effect,
            design,
        }
    }

    /// Each row's category of margin `k` (`None` past the last margin): the codes it was given.
    #[must_use]
    pub fn codes(&self, k: usize) -> Option<Vec<u32>> {
        let cells = &self.design.cells;
        (k < cells.categories.len())
            .then(|| cells.row_cell.iter().map(|&j| cells.codes[cells.at(j as usize, k)]).collect())
    }

    /// The base weights it was given (`None`: all equal).
    #[must_use]
    pub fn base_weights(&self) -> Option<&[f64]> {
        self.design.base.as_deref()
    }

    /// This raking's margins and design with new weights (trimmed ones).
    fn refit(&self, weights: Vec<f64>, trimmed: u64) -> Raking {
        let margins = self.margins.iter().map(|f| (f.name.clone(), f.targets.clone())).collect();
        let per_cell = per_cell_sums(&weights, &self.design.cells);
        Raking::new(
            weights,
            &per_cell,
            self.iterations,
            self.converged,
            margins,
            self.options,
            trimmed,
            self.design.clone(),
        )
    }
}
