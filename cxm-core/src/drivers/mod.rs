//! Key-driver analysis: how much of the variance of an overall score (NPS's 0–10 question, a
//! CSAT rating) the attribute ratings (price, support, delivery…) explain together, and how
//! that R² divides among them, with bootstrap intervals.
//!
//! - **LMG** ([`DriverMethod::Lmg`]; Lindeman, Merenda and Gold 1980): each driver's gain in R²
//!   averaged over every order in which the drivers could enter the regression — the Shapley
//!   value of R² (Lipovetsky and Conklin 2001) and the "general dominance" of dominance
//!   analysis (Budescu 1993; Azen and Budescu 2003), as R's `relaimpo::calc.relimp(type =
//!   "lmg")` computes it. Exact, from the 2^p subsets' R² (p ≤ [`MAX_EXACT_DRIVERS`]), with
//!   conditional dominance (the mean gain per subset size) and complete dominance between pairs.
//! - **Johnson's relative weights** ([`DriverMethod::Johnson`]; Johnson 2000), what Qualtrics
//!   reports as relative importance: closed form, a different quantity from LMG.
//!
//! Shares are never negative, whatever a driver's direction: the sign of its coefficient in the
//! full model is reported beside it.

mod bootstrap;
mod johnson;
mod lmg;
mod moments;

use serde::{Deserialize, Serialize};

pub use lmg::MAX_EXACT_DRIVERS;

use crate::error::Error;
use crate::score::Missing;
use crate::stats::normal::check_level;
use crate::stats::{Interval, DEFAULT_LEVEL};
use moments::{column_name, correlation, distinct_rows, Rows};

/// How the R² is divided among the drivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum DriverMethod {
    /// LMG: the Shapley value of R² (general dominance). `relaimpo`'s `type = "lmg"`.
    #[default]
    #[serde(rename = "lmg")]
    Lmg,
    /// Johnson's (2000) relative weights.
    #[serde(rename = "johnson")]
    Johnson,
}

crate::options::named_options!(DriverMethod, "key-driver method", [
    Lmg => "lmg" = 0,
    Johnson => "johnson" = 1,
]);

/// Bootstrap resamples unless asked for another number: `relaimpo`'s `boot.relimp` example
/// uses 1000, enough for 95% percentile limits.
pub const DEFAULT_DRIVER_RESAMPLES: u32 = 1000;

/// Random orders of entry for LMG above [`MAX_EXACT_DRIVERS`] unless asked for another
/// number: the Monte Carlo error of a share is then about a hundredth of its spread over orders.
pub const DEFAULT_PERMUTATIONS: u32 = 10_000;

/// The most drivers any method takes.
const MAX_DRIVERS: usize = 200;

/// Sets the random orders' generator apart from the resamples' ("orders" in ASCII).
const ORDERS: u64 = 0x6F72_6465_7273_0000;

/// Below this share of a driver's variance left unexplained by the other drivers (a variance
/// inflation factor above 10^10), the driver counts as a linear combination of them.
const COLLINEAR: f64 = 1e-10;

/// The options of [`key_drivers`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DriverOptions {
    /// LMG (default) or Johnson's weights.
    pub method: DriverMethod,
    /// Bootstrap resamples for the intervals; 0 for none.
    pub resamples: u32,
    /// The seed of the resamples: the same seed gives the same intervals, on every surface.
    pub seed: u64,
    /// Level of the intervals.
    pub level: f64,
    /// Rows with a missing value (NaN): an error ([`Missing::Reject`], the default) or left
    /// out whole ([`Missing::Skip`], listwise deletion, as `lm`'s `na.omit`).
    pub missing: Missing,
    /// Random orders of entry for LMG above [`MAX_EXACT_DRIVERS`] drivers (at least 2); exact
    /// LMG does not read it.
    pub permutations: u32,
}

impl Default for DriverOptions {
    fn default() -> DriverOptions {
        DriverOptions {
            method: DriverMethod::default(),
            resamples: DEFAULT_DRIVER_RESAMPLES,
            seed: 0,
            level: DEFAULT_LEVEL,
            missing: Missing::Reject,
            permutations: DEFAULT_PERMUTATIONS,
        }
    }
}

/// One driver's part of the R².
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverShare {
    /// The driver's name.
    pub name: String,
    /// Its part of the R² (the parts sum to the R²).
    pub contribution: f64,
    /// `contribution / r_squared`: the parts sum to 1.
    pub share: f64,
    /// Percentile bootstrap interval of `contribution` (`None` without resamples).
    pub contribution_interval: Option<Interval>,
    /// Percentile bootstrap interval of `share` (`None` without resamples).
    pub share_interval: Option<Interval>,
    /// Its standardized coefficient in the regression on every driver.
    pub coefficient: f64,
    /// The sign of `coefficient`: the driver's direction, which the share does not carry.
    pub sign: i8,
    /// Monte Carlo standard error of `contribution` when LMG was estimated from random orders
    /// of entry (above [`MAX_EXACT_DRIVERS`]); `None` when exact.
    pub monte_carlo_error: Option<f64>,
}

/// What [`key_drivers`] returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyDrivers {
    /// How the R² was divided.
    pub method: DriverMethod,
    /// Rows used.
    pub rows: u64,
    /// Rows left out for a missing value (listwise deletion).
    pub dropped: u64,
    /// R² of the regression of the score on every driver (weighted least squares with weights).
    pub r_squared: f64,
    /// Each driver, in the order given.
    pub drivers: Vec<DriverShare>,
    /// LMG only: `conditional[j][k]`, driver j's mean gain in R² when added to the subsets of k
    /// other drivers (conditional dominance); the mean over k is its contribution.
    pub conditional: Option<Vec<Vec<f64>>>,
    /// LMG only: `complete[i][j]` is 1 where driver i adds more R² than driver j to every subset
    /// of the others (complete dominance), −1 where less, 0 where neither.
    pub complete: Option<Vec<Vec<i8>>>,
    /// Random orders of entry LMG was estimated from; 0 when exact (or for Johnson's weights).
    pub permutations: u32,
    /// Bootstrap resamples drawn.
    pub resamples: u32,
    /// Resamples in which a driver was constant or collinear: left out of the intervals, as
    /// `boot` leaves out non-finite values.
    pub failed_resamples: u32,
    /// Level of the intervals.
    pub level: f64,
    /// Seed of the resamples.
    pub seed: u64,
}

/// The key drivers of `score`: the R² of its regression on `drivers` (named `names`), weighted
/// by `weights` (weighted least squares, as `lm(weights = …)`; weight-0 rows left out), divided
/// among them by `options.method`, with percentile bootstrap intervals from
/// `options.resamples` resamples of the rows (seeded; see the module docs).
///
/// # Errors
/// [`Error::OutsideSupportedRange`] for no driver or more than 200, or fewer than 2
/// permutations for LMG on more than [`MAX_EXACT_DRIVERS`]; [`Error::ColumnLengthMismatch`] for columns (or names) of other lengths;
/// [`Error::InvalidRecord`] for a missing value under [`Missing::Reject`] or an infinite one,
/// naming the row and the column; [`Error::InvalidWeight`]; [`Error::TooFewResponses`] for
/// fewer than p + 2 rows; [`Error::DegenerateColumn`] for a constant score or driver, or a
/// driver that is a linear combination of others, naming it; [`Error::InvalidLevel`].
///
/// # Examples
/// ```
/// use cxm_core::{key_drivers, DriverOptions};
/// let score = [9.0, 7.0, 10.0, 4.0, 8.0, 6.0, 10.0, 3.0];
/// let price = [4.0, 3.0, 5.0, 2.0, 4.0, 3.0, 4.0, 1.0];
/// let support = [5.0, 4.0, 4.0, 2.0, 3.0, 4.0, 5.0, 2.0];
/// let options = DriverOptions { resamples: 0, ..DriverOptions::default() };
/// let k = key_drivers(&score, &[&price, &support], &["price", "support"], None, &options)?;
/// let total: f64 = k.drivers.iter().map(|d| d.contribution).sum();
/// assert!((total - k.r_squared).abs() < 1e-12); // the parts add up to the R²
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn key_drivers(
    score: &[f64],
    drivers: &[&[f64]],
    names: &[&str],
    weights: Option<&[f64]>,
    options: &DriverOptions,
) -> Result<KeyDrivers, Error> {
    check_level(options.level)?;
    let p = drivers.len();
    if !(1..=MAX_DRIVERS).contains(&p) {
        return Err(Error::OutsideSupportedRange {
            quantity: "number of drivers".to_owned(),
            #[allow(clippy::cast_precision_loss)] // a count of columns
            value: p as f64,
            supported: format!("1..={MAX_DRIVERS}"),
        });
    }
    let sampled = options.method == DriverMethod::Lmg && p > MAX_EXACT_DRIVERS;
    if sampled && options.permutations < 2 {
        return Err(Error::OutsideSupportedRange {
            quantity: "number of permutations".to_owned(),
            value: f64::from(options.permutations),
            supported: format!("2 or more, for LMG on more than {MAX_EXACT_DRIVERS} drivers"),
        });
    }
    if names.len() != p {
        return Err(Error::ColumnLengthMismatch {
            column: "names".to_owned(),
            len: names.len(),
            expected: p,
            first: "drivers".to_owned(),
        });
    }
    let rows = distinct_rows(score, drivers, names, weights, options.missing)?;
    if rows.used < p as u64 + 2 {
        #[allow(clippy::cast_precision_loss)] // a count of rows
        return Err(Error::TooFewResponses { needed: p as u64 + 2, effective_n: rows.used as f64 });
    }
    let fit = Fit::of(&rows, &rows.counts, names, options, u64::MAX)?;
    let intervals = bootstrap_intervals(&rows, names, options);
    let failed = intervals.as_ref().map_or(0, |i| i.failed);
    let drivers = (0..p)
        .map(|j| DriverShare {
            name: names[j].to_owned(),
            contribution: fit.contributions[j],
            share: fit.contributions[j] / fit.r_squared,
            contribution_interval: intervals.as_ref().and_then(|i| i.contribution[j]),
            share_interval: intervals.as_ref().and_then(|i| i.share[j]),
            coefficient: fit.coefficients[j],
            sign: sign(fit.coefficients[j]),
            monte_carlo_error: fit.errors.as_ref().map(|e| e[j]),
        })
        .collect();
    let (conditional, complete) = match fit.conditional {
        Some((conditional, table)) => (Some(conditional), Some(lmg::complete(&table, p))),
        None => (None, None),
    };
    Ok(KeyDrivers {
        method: options.method,
        rows: rows.used,
        dropped: rows.dropped,
        r_squared: fit.r_squared,
        drivers,
        conditional,
        complete,
        permutations: if sampled { options.permutations } else { 0 },
        resamples: if intervals.is_some() { options.resamples } else { 0 },
        failed_resamples: failed,
        level: options.level,
        seed: options.seed,
    })
}

fn sign(x: f64) -> i8 {
    i8::from(x > 0.0) - i8::from(x < 0.0)
}

/// One analysis of the rows counted by `counts`.
struct Fit {
    r_squared: f64,
    contributions: Vec<f64>,
    coefficients: Vec<f64>,
    /// Exact LMG's conditional dominance, and its table of subset R² (for complete dominance).
    conditional: Option<(Vec<Vec<f64>>, Vec<f64>)>,
    /// The contributions' Monte Carlo errors, when LMG was sampled.
    errors: Option<Vec<f64>>,
}

impl Fit {
    /// The analysis; `stream` numbers the random orders' generator (the resample's number, or
    /// `u64::MAX` for the data themselves).
    fn of(
        rows: &Rows,
        counts: &[u64],
        names: &[&str],
        options: &DriverOptions,
        stream: u64,
    ) -> Result<Fit, Error> {
        let q = rows.columns;
        let p = q - 1;
        let column = |c: usize| column_name(names, c);
        if let Some(c) = rows.constant_column(counts) {
            let reason = if c == 0 {
                "is constant: there is nothing to explain"
            } else {
                "is constant: it explains nothing"
            };
            return Err(Error::DegenerateColumn { column: column(c), reason: reason.to_owned() });
        }
        let r = correlation(&rows.covariance(counts), q);
        let rxx: Vec<f64> =
            (1..q).flat_map(|a| (1..q).map(move |b| (a, b))).map(|(a, b)| r[a * q + b]).collect();
        let rxy: Vec<f64> = (1..q).map(|a| r[a * q]).collect();
        let collinear = |j: usize, unexplained: f64, among: &str| Error::DegenerateColumn {
            column: column(j + 1),
            reason: format!(
                "is a linear combination of {among}: they leave {} of its variance unexplained",
                crate::error::Number(unexplained.max(0.0))
            ),
        };
        let l = crate::linalg::cholesky(&rxx, p)
            .map_err(|k| collinear(k, 0.0, "the drivers before it"))?;
        for k in 0..p {
            if l[k * p + k] * l[k * p + k] < COLLINEAR {
                return Err(collinear(k, l[k * p + k] * l[k * p + k], "the drivers before it"));
            }
        }
        // 1 − R² of each driver on all the others is 1 / (R⁻¹)ₖₖ.
        for k in 0..p {
            let mut unit = vec![0.0; p];
            unit[k] = 1.0;
            let unexplained = 1.0 / crate::linalg::cholesky_solve(&l, p, &unit)[k];
            if unexplained < COLLINEAR {
                return Err(collinear(k, unexplained, "the other drivers"));
            }
        }
        let coefficients = crate::linalg::cholesky_solve(&l, p, &rxy);
        // R² = βᵀ r_xy; exact LMG reads it off its table instead.
        let fitted: f64 = coefficients.iter().zip(&rxy).map(|(b, r)| b * r).sum();
        Ok(match options.method {
            DriverMethod::Lmg if p > MAX_EXACT_DRIVERS => {
                let mut random = bootstrap::generator(options.seed ^ ORDERS, stream);
                let (contributions, errors) =
                    lmg::sampled(&r, q, options.permutations, &mut random);
                Fit {
                    r_squared: fitted,
                    contributions,
                    coefficients,
                    conditional: None,
                    errors: Some(errors),
                }
            }
            DriverMethod::Lmg => {
                let table = lmg::subset_r_squared(&r, q);
                let (contributions, conditional) = lmg::general_and_conditional(&table, p);
                Fit {
                    r_squared: table[table.len() - 1],
                    contributions,
                    coefficients,
                    conditional: Some((conditional, table)),
                    errors: None,
                }
            }
            DriverMethod::Johnson => {
                let contributions = johnson::relative_weights(&rxx, &rxy, p);
                Fit {
                    r_squared: fitted,
                    contributions,
                    coefficients,
                    conditional: None,
                    errors: None,
                }
            }
        })
    }
}

/// The bootstrap intervals of each driver's contribution and share.
struct Intervals {
    contribution: Vec<Option<Interval>>,
    share: Vec<Option<Interval>>,
    failed: u32,
}

/// Reruns the analysis on `options.resamples` resamples of the rows (on two threads, each
/// resample with its own seeded generator, so the split does not change the draws), and reads
/// the intervals off them. `None` without resamples.
fn bootstrap_intervals(rows: &Rows, names: &[&str], options: &DriverOptions) -> Option<Intervals> {
    if options.resamples == 0 {
        return None;
    }
    let p = rows.columns - 1;
    let run = |range: std::ops::Range<u32>| -> Vec<Option<(Vec<f64>, f64)>> {
        range
            .map(|r| {
                let counts = bootstrap::resample(
                    &mut bootstrap::generator(options.seed, u64::from(r)),
                    &rows.counts,
                );
                let fit = Fit::of(rows, &counts, names, options, u64::from(r)).ok()?;
                Some((fit.contributions, fit.r_squared))
            })
            .collect()
    };
    let half = options.resamples / 2;
    let (mut draws, rest) = crate::parallel::join(|| run(0..half), || run(half..options.resamples));
    draws.extend(rest);
    let failed = u32::try_from(draws.iter().filter(|d| d.is_none()).count()).unwrap_or(u32::MAX);
    let column = |j: usize, share: bool| -> Vec<f64> {
        draws
            .iter()
            .map(|d| match d {
                Some((c, r_squared)) if share => c[j] / r_squared,
                Some((c, _)) => c[j],
                None => f64::NAN,
            })
            .collect()
    };
    let interval = |values: Vec<f64>| bootstrap::percentile_interval(&values, options.level);
    Some(Intervals {
        contribution: (0..p).map(|j| interval(column(j, false))).collect(),
        share: (0..p).map(|j| interval(column(j, true))).collect(),
        failed,
    })
}
