//! A summary of durations (waits, handle times, times to resolution): the mean with its t
//! interval, percentiles with distribution-free intervals, and the share within a time. With
//! cases still open, the percentiles and the share are Kaplan–Meier's.

use serde::{Deserialize, Serialize};

use super::curve::{check_records, kaplan_meier, KaplanMeier, Step, Transform};
use super::percentile::SurvivalPercentile;
use super::weighted::weight_totals;
use crate::error::Error;
use crate::stats::beta::cdf_tails;
use crate::stats::normal::check_level;
use crate::stats::{proportion_interval, student, Interval, ProportionMethod};
use crate::sum::CompensatedSum;
use crate::weight_sums::Squares;

/// The mean duration with its Student t interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MeanDuration {
    /// The (weighted) mean.
    pub estimate: f64,
    /// The (weighted) sample standard deviation, with Bessel's correction on Kish's effective n.
    pub standard_deviation: f64,
    /// The t interval `mean ± t(n_eff − 1) · sd / √n_eff`; `None` below two (effective) records.
    pub interval: Option<Interval>,
}

/// The share of cases done within a time, with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ShareWithin {
    /// The time, seconds.
    pub seconds: f64,
    /// The share done within it (at `seconds` or before).
    pub share: f64,
    /// Its interval: the core's default proportion interval (Wilson) of the count when no case
    /// is open and the records are unweighted; `1 −` the Kaplan–Meier band at that time
    /// otherwise.
    pub interval: Interval,
}

/// What [`durations`] returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Durations {
    /// Records given.
    pub records: u64,
    /// Records still open (their weight); 0 without `open`.
    pub open: f64,
    /// The mean, when no case is open (with open cases the mean is not identified by the data:
    /// only a mean restricted to the window would be).
    pub mean: Option<MeanDuration>,
    /// The median (the 50th percentile), always.
    pub median: SurvivalPercentile,
    /// The percentiles asked for, in order.
    pub percentiles: Vec<SurvivalPercentile>,
    /// The share within the time asked for, if any.
    pub within: Option<ShareWithin>,
    /// The Kaplan–Meier curve, when cases are open or the records weighted: what the
    /// percentiles and the share were read from.
    pub curve: Option<KaplanMeier>,
    /// The curve's pointwise band at the level and transform asked for
    /// ([`KaplanMeier::band`]), one interval per step, when there is a curve.
    pub band: Option<Vec<Interval>>,
}

/// The percentiles a summary of durations gives unless asked for others: the median and the
/// 90th, the two a support team's service targets are usually written in.
pub const DEFAULT_PERCENTILES: [f64; 2] = [50.0, 90.0];

/// The durations' percentiles are read off the Kaplan–Meier curve when it is needed: cases
/// still open, or weights (no sample percentile takes weights with an interval).
fn by_curve(open: Option<&[bool]>, weights: Option<&[f64]>) -> bool {
    weights.is_some() || open.is_some_and(|o| o.contains(&true))
}

/// Summarises durations in seconds (waits, handle times, times to resolution).
///
/// - **Mean**, when no case is open: the (weighted) mean with a Student t interval on `n − 1`
///   degrees of freedom (Kish's effective n with weights), as
///   `scipy.stats.ttest_1samp(x, 0).confidence_interval(level)`.
/// - **Percentiles** (`percents`, each 0..=100): with no case open and no weights, numpy's
///   default (`numpy.percentile(x, q)`, linear interpolation between order statistics) with the
///   distribution-free interval of order statistics whose binomial coverage is at least `level`,
///   as `scipy.stats.quantile_test(x, p=q/100).confidence_interval(level)` (a limit the sample
///   cannot give is `None`). Otherwise Kaplan–Meier's, with the band's crossings
///   ([`KaplanMeier::percentile`]).
/// - **Share within** `within` seconds: the count at or below it over all, with a Wilson
///   interval; with open cases or weights, `1 − S(within)` and the band.
///
/// # Errors
/// As [`kaplan_meier`] for the records; [`Error::OutsideSupportedRange`] for a percent outside
/// 0..=100 or a `within` that is not a finite number of seconds, 0 or more;
/// [`Error::InvalidLevel`].
///
/// # Examples
/// ```
/// use cxm_core::{durations, Transform};
/// let waits = [12.0, 30.0, 45.0, 7.0, 95.0, 20.0, 33.0, 61.0];
/// let d = durations(&waits, None, None, &[50.0, 90.0], Some(20.0), 0.95, Transform::LogLog)?;
/// assert_eq!(d.percentiles[0].estimate, Some(31.5)); // numpy.percentile(waits, 50)
/// assert_eq!(d.within.unwrap().share, 3.0 / 8.0);
/// assert!((d.mean.unwrap().estimate - 37.875).abs() < 1e-12);
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn durations(
    seconds: &[f64],
    open: Option<&[bool]>,
    weights: Option<&[f64]>,
    percents: &[f64],
    within: Option<f64>,
    level: f64,
    transform: Transform,
) -> Result<Durations, Error> {
    check_level(level)?;
    // The records are checked first (by the curve, when there is one): every error names its
    // index.
    let curve = if by_curve(open, weights) {
        Some(kaplan_meier(seconds, open, weights)?)
    } else {
        check_records(seconds, open, weights)?;
        None
    };
    check_options(percents, within)?;
    if let Some(curve) = curve {
        // No mean while a case is open: only a mean restricted to the window would be
        // identified. Weighted, the mean is read off the curve's exact weights by time.
        let mean = match weights {
            _ if curve.open > 0.0 => None,
            Some(weights) => {
                let (total, squares) = weight_totals(weights);
                Some(weighted_mean(&curve.steps, total, &squares, curve.records, level)?)
            }
            None => Some(mean(seconds, level)?),
        };
        return of_curve(curve, mean, percents, within, level, transform);
    }
    // In order, −0 as 0 (as a curve's keys read it): the summary of the values alone, whatever
    // order or split they came in.
    let mut sorted: Vec<f64> = seconds.iter().map(|&t| t + 0.0).collect();
    sorted.sort_unstable_by(f64::total_cmp);
    of_sorted(&sorted, percents, within, level)
}

/// Refuses a percent outside 0..=100 and a `within` that is not a finite time.
pub(crate) fn check_options(percents: &[f64], within: Option<f64>) -> Result<(), Error> {
    if let Some(&p) = percents.iter().find(|p| !(0.0..=100.0).contains(*p)) {
        return Err(Error::OutsideSupportedRange {
            quantity: "percentile".to_owned(),
            value: p,
            supported: "0..=100".to_owned(),
        });
    }
    if let Some(t) = within.filter(|t| !(t.is_finite() && *t >= 0.0)) {
        return Err(Error::OutsideSupportedRange {
            quantity: "time within which cases are counted".to_owned(),
            value: t,
            supported: "a finite number of seconds, 0 or more".to_owned(),
        });
    }
    Ok(())
}

/// The summary read off a Kaplan–Meier curve (cases open, or weights), with `mean` when one is
/// defined.
pub(crate) fn of_curve(
    curve: KaplanMeier,
    mean: Option<MeanDuration>,
    percents: &[f64],
    within: Option<f64>,
    level: f64,
    transform: Transform,
) -> Result<Durations, Error> {
    let band = curve.band(level, transform)?;
    // The median read with the others, in the same passes.
    let mut percentiles = curve.percentiles_in_band(&[percents, &[50.0]].concat(), &band);
    let median = percentiles.pop().unwrap_or_else(|| unreachable!("the median was asked"));
    let within = within
        .map(|t| {
            curve.resolved_within(t, level, transform).map(|(share, interval)| ShareWithin {
                seconds: t,
                share,
                interval,
            })
        })
        .transpose()?;
    Ok(Durations {
        records: curve.records,
        open: curve.open,
        mean,
        median,
        percentiles,
        within,
        curve: Some(curve),
        band: Some(band),
    })
}

/// The summary of durations, none open and unweighted, from their values in order.
pub(crate) fn of_sorted(
    sorted: &[f64],
    percents: &[f64],
    within: Option<f64>,
    level: f64,
) -> Result<Durations, Error> {
    let mean = mean(sorted, level)?;
    let percentiles = percents.iter().map(|&p| order_statistics(sorted, p, level)).collect();
    let median = order_statistics(sorted, 50.0, level);
    let within = within
        .map(|t| {
            let done = sorted.partition_point(|&x| x <= t) as f64;
            let n = sorted.len() as f64;
            proportion_interval(done, n, level, ProportionMethod::default())
                .map(|interval| ShareWithin { seconds: t, share: done / n, interval })
        })
        .transpose()?;
    Ok(Durations {
        records: sorted.len() as u64,
        open: 0.0,
        mean: Some(mean),
        median,
        percentiles,
        within,
        curve: None,
        band: None,
    })
}

/// The mean of unweighted durations, their sample standard deviation, and its t interval.
fn mean(seconds: &[f64], level: f64) -> Result<MeanDuration, Error> {
    let mut sum = CompensatedSum::default();
    for &x in seconds {
        sum.add(x);
    }
    let n = seconds.len() as f64;
    let estimate = sum.total() / n;
    let mut deviations = CompensatedSum::default();
    for &x in seconds {
        deviations.add((x - estimate) * (x - estimate));
    }
    with_t_interval(estimate, || deviations.total() / (n - 1.0), n, level)
}

/// The weighted mean of durations none of which is open, from the curve's `steps` (the exact
/// weight at each time, rounded once) and the exact `total` weight and `squares` of `records`
/// records, summed in time order: the same bits however the records were ordered or split. Its
/// standard deviation has Bessel's correction on Kish's effective n.
pub(crate) fn weighted_mean(
    steps: &[Step],
    total: f64,
    squares: &Squares,
    records: u64,
    level: f64,
) -> Result<MeanDuration, Error> {
    let mut sum = CompensatedSum::default();
    for s in steps {
        sum.add(s.resolved * s.time);
    }
    let estimate = sum.total() / total;
    let mut deviations = CompensatedSum::default();
    for s in steps {
        deviations.add(s.resolved * (s.time - estimate) * (s.time - estimate));
    }
    let effective_n = squares.effective_n(total, records);
    let variance = || deviations.total() / total * effective_n / (effective_n - 1.0);
    with_t_interval(estimate, variance, effective_n, level)
}

/// The mean `estimate` with the standard deviation from `variance` and the t interval on
/// `effective_n − 1` degrees of freedom; no interval below two (effective) records.
fn with_t_interval(
    estimate: f64,
    variance: impl FnOnce() -> f64,
    effective_n: f64,
    level: f64,
) -> Result<MeanDuration, Error> {
    if effective_n <= 1.0 {
        return Ok(MeanDuration { estimate, standard_deviation: f64::NAN, interval: None });
    }
    let standard_deviation = variance().sqrt();
    let df = effective_n - 1.0;
    let half = student::two_sided_critical(level, df)? * standard_deviation / effective_n.sqrt();
    Ok(MeanDuration {
        estimate,
        standard_deviation,
        interval: Some(Interval::new(estimate - half, estimate + half)),
    })
}

/// numpy's default percentile of sorted values: linear interpolation at the virtual index
/// `(n − 1) q`, computed as numpy computes it (its `_lerp`, which interpolates from the nearer
/// end), so that the bits agree.
fn linear_percentile(sorted: &[f64], q: f64) -> f64 {
    // numpy's "linear" method: the virtual index (n − 1)·q.
    let virtual_index = (sorted.len() - 1) as f64 * q;
    let last = sorted.len() - 1;
    let below = virtual_index.floor();
    let gamma = virtual_index - below;
    // Indexes clipped to the data, as numpy clips them.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // whole, 0 or more
    let at = |i: f64| sorted[(i.max(0.0) as usize).min(last)];
    let (a, b) = (at(below), at(below + 1.0));
    let difference = b - a;
    if gamma >= 0.5 {
        b - difference * (1.0 - gamma)
    } else {
        a + difference * gamma
    }
}

/// `(P(X ≤ k), P(X > k))` for X ~ Binomial(n, p), from the regularised incomplete beta
/// function: `P(X > k) = I_p(k + 1, n − k)` (DLMF 8.17.5), each tail computed directly.
fn binomial_tails(k: u64, n: u64, p: f64) -> (f64, f64) {
    if k >= n {
        return (1.0, 0.0);
    }
    let (above, below) = cdf_tails(p, (k + 1) as f64, (n - k) as f64);
    (below, above)
}

/// The smallest `k` in `0..=n` for which `below(k)` holds, `below` monotone (false, then true).
fn first(n: u64, below: impl Fn(u64) -> bool) -> u64 {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if below(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// The percentile of `sorted` (no case open) with the interval of order statistics, as
/// `scipy.stats.quantile_test(x, p=q).confidence_interval(level)` gives it: with `a` =
/// (1 − level)/2, the lower limit is the order statistic of rank `ppf(a)` (1-based; none below
/// rank 1) and the upper that of rank `isf(a) + 1` (none past n), for Binomial(n, q); this
/// covers the percentile with probability at least `level` whatever the distribution (Hahn and
/// Meeker, *Statistical Intervals*, 1991, §5.2).
fn order_statistics(sorted: &[f64], percent: f64, level: f64) -> SurvivalPercentile {
    let q = percent / 100.0;
    let n = sorted.len() as u64;
    let alpha = (1.0 - level) / 2.0;
    // ppf: the smallest k with P(X ≤ k) ≥ a; isf: the smallest k with P(X > k) ≤ a. A tail
    // within a few ulps of `a` counts as equal to it: `a` carries the rounding of 1 − level
    // (0.04999999999999999 for level 0.9), and the binomial tails their own, so exact equality
    // decides nothing (scipy's Boost quantiles treat it so too).
    let slack = 8.0 * f64::EPSILON * alpha;
    let ppf = first(n, |k| binomial_tails(k, n, q).0 >= alpha - slack);
    let isf = first(n, |k| binomial_tails(k, n, q).1 <= alpha + slack);
    let index = |k: u64| usize::try_from(k).ok().and_then(|k| sorted.get(k)).copied();
    SurvivalPercentile {
        percent,
        estimate: Some(linear_percentile(sorted, q)),
        lower: ppf.checked_sub(1).and_then(index),
        upper: index(isf),
    }
}
