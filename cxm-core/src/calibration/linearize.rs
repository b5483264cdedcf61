//! Standard errors of a raked estimate that account for the raking.
//!
//! The estimate is a weighted mean `ȳ = Σ wᵢyᵢ / Σ wᵢ` (the NPS: `y = 100` for a promoter, `−100`
//! for a detractor; a share: `y = 1` when favourable). Its linearization takes the influence
//! values `uᵢ = (yᵢ − ȳ) / Σw`; with the weights taken as fixed, `Var = n/(n−1) Σ (wᵢuᵢ − mean)²`
//! (a with-replacement design, as R `svydesign(ids = ~1, weights = …)`). Calibration to the
//! margins removes the part of `u` the margins explain: `u` is replaced by its residual `eᵢ` on
//! the margins' indicators in a base-weighted least-squares fit (Deville and Särndal 1992, §3;
//! Lumley, *Complex Surveys*, §7.4), as R `survey` does for a `calibrate`d design (`svyrecvar`
//! with the design's `greg_calibration`). The fit runs over the cells: the indicators are the
//! same for every row of a cell.
//!
//! Missing scores, when the caller skips them, are out of the domain (`u = 0`), as `svymean(…,
//! na.rm = TRUE)` does: the rows stay in the design.

use serde::{Deserialize, Serialize};

use super::Raking;
use crate::error::Error;
use crate::linalg::{cholesky_dropping, cholesky_solve};
use crate::nps::{PASSIVE_MIN, PROMOTER_MIN};
use crate::scale::Scale;
use crate::score::{place, Missing, Score};
use crate::stats::normal::{two_sided_critical, wald_interval};
use crate::stats::Interval;
use crate::sum::CompensatedSum;

/// A raked estimate with the standard error that accounts for the raking and the two that do
/// not. See [`calibrated_nps`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CalibratedEstimate {
    /// The weighted estimate: NPS points, or a share in 0..=1.
    pub estimate: f64,
    /// Responses scored.
    pub n: u64,
    /// The standard error by linearization on the calibration residuals: what R `survey`'s
    /// `svymean` gives on the `calibrate`d design.
    pub standard_error: f64,
    /// Its Wald interval, as `confint(svymean(…))`.
    pub interval: Interval,
    /// The linearized standard error with the weights taken as fixed (`svymean` on
    /// `svydesign(ids = ~1, weights = ~w)`): what ignoring the raking gives.
    pub fixed_weights_standard_error: f64,
    /// The standard error that `nps` (or `rating`) gives with these weights: the multinomial
    /// (or binomial) variance over Kish's effective n.
    pub kish_standard_error: f64,
    /// Kish's effective n of the scored responses' weights.
    pub effective_n: f64,
    /// The level of the interval.
    pub level: f64,
}

/// The NPS of `scores` (0–10, one per row that `raking` weighed, in the same order) with the
/// raking's weights, and its standard errors: see [`CalibratedEstimate`].
///
/// # Errors
/// As [`nps`](crate::nps) for the scores (a missing one only as `missing` says);
/// [`Error::ColumnLengthMismatch`] when there are not as many scores as weights;
/// [`Error::InvalidLevel`].
///
/// # Examples
/// ```
/// use cxm_core::{calibrated_nps, rake, Margin, Missing, RakeOptions};
/// let region = [0, 0, 0, 0, 1, 1, 1, 1];
/// let scores = [10_u8, 9, 9, 8, 2, 9, 6, 7];
/// let margins = [Margin { name: "region", codes: &region, targets: &[0.2, 0.8], labels: None }];
/// let raked = rake(&margins, None, &RakeOptions::default())?;
/// let nps = calibrated_nps(&scores, &raked, Missing::Reject, 0.95)?;
/// // 75 in region 0 and -25 in region 1, weighted 0.2 and 0.8: -5.
/// assert!((nps.estimate + 5.0).abs() < 1e-9);
/// // The region is known, so its share adds no variance.
/// assert!(nps.standard_error < nps.fixed_weights_standard_error);
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn calibrated_nps<S: Score>(
    scores: &[S],
    raking: &Raking,
    missing: Missing,
    level: f64,
) -> Result<CalibratedEstimate, Error> {
    let (passive, promoter) = (usize::from(PASSIVE_MIN), usize::from(PROMOTER_MIN));
    let values = values(scores, raking, missing, 0, 10, |point| {
        if point >= promoter {
            100.0
        } else if point >= passive {
            0.0
        } else {
            -100.0
        }
    })?;
    let kish = crate::nps(scores, Some(&raking.weights), missing)?;
    estimate(&values, raking, level, kish.standard_error, kish.effective_n)
}

/// The share of favourable answers on `scale` (CSAT, CES…) among `scores` (one per row that
/// `raking` weighed), with the raking's weights, and its standard errors: see
/// [`CalibratedEstimate`] (the estimate is a share in 0..=1).
///
/// # Errors
/// As [`calibrated_nps`], on the scale's range.
///
/// # Examples
/// ```
/// use cxm_core::{calibrated_share, rake, Margin, Missing, RakeOptions, Scale};
/// let plan = [0, 0, 1, 1, 1, 1];
/// let answers = [5_u8, 4, 2, 5, 3, 4];
/// let margins = [Margin { name: "plan", codes: &plan, targets: &[50.0, 50.0], labels: None }];
/// let raked = rake(&margins, None, &RakeOptions::default())?;
/// let csat = calibrated_share(&answers, &raked, Scale::csat(), Missing::Reject, 0.95)?;
/// assert!((csat.estimate - 0.75).abs() < 1e-12); // 1 and 1/2, half each
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn calibrated_share<S: Score>(
    scores: &[S],
    raking: &Raking,
    scale: Scale,
    missing: Missing,
    level: f64,
) -> Result<CalibratedEstimate, Error> {
    let min = scale.min();
    let values = values(scores, raking, missing, min, scale.max(), |point| {
        f64::from(u8::from(scale.is_favourable(min + i64::try_from(point).unwrap_or(i64::MAX))))
    })?;
    let rating = crate::rating(scores, Some(&raking.weights), missing, scale)?;
    let p = rating.share;
    let kish = (p * (1.0 - p) / rating.effective_n).sqrt();
    estimate(&values, raking, level, kish, rating.effective_n)
}

/// Each row's value (NaN for a missing score that is skipped).
fn values<S: Score>(
    scores: &[S],
    raking: &Raking,
    missing: Missing,
    min: i64,
    max: i64,
    value: impl Fn(usize) -> f64,
) -> Result<Vec<f64>, Error> {
    if scores.len() != raking.weights.len() {
        return Err(Error::ColumnLengthMismatch {
            column: "scores".to_owned(),
            len: scores.len(),
            expected: raking.weights.len(),
            first: "the raking's weights".to_owned(),
        });
    }
    scores
        .iter()
        .enumerate()
        .map(|(i, &s)| Ok(place(s, i, missing, min, max)?.map_or(f64::NAN, &value)))
        .collect()
}

/// The weighted mean of `values` over the rows that have one, and its standard errors.
fn estimate(
    values: &[f64],
    raking: &Raking,
    level: f64,
    kish_standard_error: f64,
    effective_n: f64,
) -> Result<CalibratedEstimate, Error> {
    let z = two_sided_critical(level)?;
    let w = &raking.weights;
    let (mut total, mut weighted, mut n) =
        (CompensatedSum::default(), CompensatedSum::default(), 0_u64);
    for (&y, &w) in values.iter().zip(w) {
        if !y.is_nan() {
            total.add(w);
            weighted.add(w * y);
            n += 1;
        }
    }
    let total = total.total();
    if n == 0 {
        return Err(Error::Empty);
    }
    if total <= 0.0 {
        return Err(Error::ZeroTotalWeight);
    }
    let mean = weighted.total() / total;
    let influence: Vec<f64> =
        values.iter().map(|&y| if y.is_nan() { 0.0 } else { (y - mean) / total }).collect();
    let fixed = spread(influence.iter().zip(w).map(|(&u, &w)| w * u), w.len());
    let residuals = residuals(&influence, raking);
    let calibrated = spread(residuals.iter().zip(w).map(|(&e, &w)| w * e), w.len());
    Ok(CalibratedEstimate {
        estimate: mean,
        n,
        standard_error: calibrated,
        interval: wald_interval(mean, calibrated, z),
        fixed_weights_standard_error: fixed,
        kish_standard_error,
        effective_n,
        level,
    })
}

/// `√(n/(n−1) Σ (xᵢ − x̄)²)`: the with-replacement variance of a total of the `n` values `x`.
fn spread(x: impl Iterator<Item = f64> + Clone, n: usize) -> f64 {
    if n < 2 {
        return f64::NAN;
    }
    let mut sum = CompensatedSum::default();
    x.clone().for_each(|v| sum.add(v));
    let mean = sum.total() / n as f64;
    let mut squares = CompensatedSum::default();
    x.for_each(|v| squares.add((v - mean) * (v - mean)));
    (squares.total() * n as f64 / (n - 1) as f64).sqrt()
}

/// Below this share of its diagonal left by the columns before it, an indicator counts as a
/// combination of them.
const DEPENDENT: f64 = 1e-10;

/// `u` less its base-weighted least-squares fit on the margins' indicators (an intercept and
/// every category but each margin's first, as R's `model.matrix`).
fn residuals(u: &[f64], raking: &Raking) -> Vec<f64> {
    let design = &raking.design;
    let cells = &design.cells;
    let margins = cells.categories.len();
    let mut offsets = Vec::with_capacity(margins);
    let mut p = 1;
    for &k in &cells.categories {
        offsets.push(p);
        p += k - 1;
    }
    let columns: Vec<Vec<usize>> = (0..cells.len())
        .map(|j| {
            let categories = (0..margins)
                .filter(|&m| cells.code(j, m) > 0)
                .map(|m| offsets[m] + cells.code(j, m) - 1);
            std::iter::once(0).chain(categories).collect()
        })
        .collect();
    let mut du = vec![CompensatedSum::default(); cells.len()];
    for (i, (&j, &u)) in cells.row_cell.iter().zip(u).enumerate() {
        du[j as usize].add(design.base_weight(i) * u);
    }
    let (mut gram, mut rhs) = (vec![0.0; p * p], vec![0.0; p]);
    for j in 0..cells.len() {
        let (d, b) = (cells.base[j], du[j].total());
        for &a in &columns[j] {
            rhs[a] += b;
            for &c in &columns[j] {
                gram[a * p + c] += d;
            }
        }
    }
    // Indicators that two margins share (say the same) are left out of the fit: the residual
    // is the projection's either way.
    let (l, _) = cholesky_dropping(&gram, p, DEPENDENT);
    let beta = cholesky_solve(&l, p, &rhs);
    let fitted: Vec<f64> =
        (0..cells.len()).map(|j| columns[j].iter().map(|&a| beta[a]).sum()).collect();
    u.iter().zip(&cells.row_cell).map(|(&u, &j)| u - fitted[j as usize]).collect()
}
