//! Percentiles of the time to resolution read off the Kaplan–Meier curve, and their intervals
//! read off its band where it crosses the same level (Brookmeyer and Crowley 1982, "A confidence
//! interval for the median survival time", Biometrics 38:29–41), as R's
//! `quantile.survfit` reads them.

use serde::{Deserialize, Serialize};

use super::curve::{KaplanMeier, Transform};
use crate::error::Error;
use crate::stats::Interval;

/// A percentile of the time to resolution: the time by which `percent` % of the cases are
/// resolved, with its interval. `None` is *not reached*: the curve (or the limit's band) never
/// comes down that far within the data, so the data say only that it is later than the last
/// time — never a number passed off as one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SurvivalPercentile {
    /// The percentile asked for, 0..=100.
    pub percent: f64,
    /// The time, or `None` when not reached.
    pub estimate: Option<f64>,
    /// Lower limit of its interval (from the band's lower curve), or `None` when not reached.
    pub lower: Option<f64>,
    /// Upper limit (from the band's upper curve), or `None` when not reached: common for a
    /// median with many cases still open.
    pub upper: Option<f64>,
}

/// R's tolerance for a curve that sits exactly on the level: `sqrt(.Machine$double.eps)`.
const TOLERANCE: f64 = 1.490_116_119_384_765_6e-8;

/// Points of a curve passed over at once when all are below the lowest level still sought.
const SKIPPED: usize = 64;

/// Where the horizontal line at each level `p` of `levels` meets the non-decreasing step curve
/// of the `n` points `point(i) = (x, y)` (the share resolved, from `(0, 0)`): the first `x`
/// where `y` reaches `p`; where `y` sits on `p` (within the tolerance) over a flat, the midpoint
/// of the flat, as the usual median of an even number of values is (R's `findq`). Points whose
/// `y` is NaN (a band where the curve is 0) are left out; `last` is the last time of the data,
/// which ends a flat at the end of the curve. One pass for every level, which stops where the
/// curve passes the highest.
fn crossings(
    n: usize,
    point: impl Fn(usize) -> (f64, f64),
    levels: &[f64],
    last: f64,
) -> Vec<Option<f64>> {
    let y_last = (0..n).rev().map(|i| point(i).1).find(|y| !y.is_nan()).unwrap_or(0.0);
    // The first point of a run of equal values is the one found: a repeated value (a time with
    // only open cases) adds no jump. Passing the level implies reaching it. A point below the
    // lowest level still to pass is skipped with one comparison.
    let (mut on, mut past) = (vec![None; levels.len()], vec![None; levels.len()]);
    let lowest_pending = |past: &[Option<f64>]| {
        levels
            .iter()
            .zip(past)
            .filter(|(_, x)| x.is_none())
            .map(|(&p, _)| p)
            .fold(f64::INFINITY, f64::min)
    };
    let mut lowest = lowest_pending(&past);
    // The points from (0, 0) on (point i + 1 is `point(i)`). A block of them wholly below the
    // lowest level is passed over after one maximum (which NaN does not change), so that a
    // long curve is read fast.
    let mut next = 0;
    while next <= n {
        if next % SKIPPED == 1 && next + SKIPPED <= n + 1 {
            let top = (next - 1..next - 1 + SKIPPED)
                .map(|i| point(i).1)
                .fold(f64::NEG_INFINITY, |m, y| if y > m { y } else { m });
            if top + TOLERANCE < lowest {
                next += SKIPPED;
                continue;
            }
        }
        let (x, y) = if next == 0 { (0.0, 0.0) } else { point(next - 1) };
        next += 1;
        if y.is_nan() || y + TOLERANCE < lowest {
            continue;
        }
        for (k, &p) in levels.iter().enumerate() {
            if on[k].is_none() && y + TOLERANCE >= p {
                on[k] = Some(x);
            }
            if past[k].is_none() && y - TOLERANCE >= p {
                past[k] = Some(x);
            }
        }
        lowest = lowest_pending(&past);
        if lowest == f64::INFINITY {
            break;
        }
    }
    let crossing = |(&p, (on, past)): (&f64, (Option<f64>, Option<f64>))| {
        if p == 0.0 {
            return Some(0.0);
        }
        let x_on = on?;
        if (p - y_last).abs() < TOLERANCE {
            return Some(f64::midpoint(x_on, last));
        }
        Some(f64::midpoint(x_on, past?))
    };
    levels.iter().zip(on.into_iter().zip(past)).map(crossing).collect()
}

impl KaplanMeier {
    /// The `percent`-th percentile of the time to resolution (50: the median) with its interval
    /// at `level`: where the curve of the share resolved, `1 − S`, first reaches
    /// `percent / 100`, and where the band's two limits do. R's `quantile.survfit` rules, which
    /// give the usual sample percentile (the mean of the two middle times for an even count)
    /// when no case is open: where the curve sits exactly on the level, the midpoint of the
    /// flat. lifelines' `qth_survival_time` takes the flat's first time instead, and reports
    /// infinity where the curve never reaches the level; cxm follows R and reports `None`.
    ///
    /// # Errors
    /// [`Error::OutsideSupportedRange`] for a percent that is not a number in 0..=100;
    /// [`Error::InvalidLevel`] for a level outside (0, 1).
    ///
    /// # Examples
    /// ```
    /// use cxm_core::{kaplan_meier, Transform};
    /// let km = kaplan_meier(&[1.0, 2.0, 3.0, 4.0], None, None)?;
    /// let median = km.percentile(50.0, 0.95, Transform::LogLog)?;
    /// assert_eq!(median.estimate, Some(2.5)); // as numpy's median of 1, 2, 3, 4
    /// // Half the cases still open: the median is not reached.
    /// let km = kaplan_meier(&[1.0, 2.0, 3.0, 4.0], Some(&[false, true, true, true]), None)?;
    /// assert_eq!(km.percentile(50.0, 0.95, Transform::LogLog)?.estimate, None);
    /// # Ok::<(), cxm_core::Error>(())
    /// ```
    pub fn percentile(
        &self,
        percent: f64,
        level: f64,
        transform: Transform,
    ) -> Result<SurvivalPercentile, Error> {
        if !(0.0..=100.0).contains(&percent) {
            return Err(Error::OutsideSupportedRange {
                quantity: "percentile".to_owned(),
                value: percent,
                supported: "0..=100".to_owned(),
            });
        }
        let band = self.band(level, transform)?;
        Ok(self.percentiles_in_band(&[percent], &band)[0])
    }

    /// [`KaplanMeier::percentile`] of each of `percents` (checked) with the band already built:
    /// a summary that reads several percentiles builds the band once, and reads each of the
    /// three curves (the estimate and the band's two limits) once for all of them.
    pub(crate) fn percentiles_in_band(
        &self,
        percents: &[f64],
        band: &[Interval],
    ) -> Vec<SurvivalPercentile> {
        let levels: Vec<f64> = percents.iter().map(|p| p / 100.0).collect();
        let (steps, n) = (&self.steps, self.steps.len());
        let last = steps.last().map_or(0.0, |s| s.time);
        let estimate = crossings(n, |i| (steps[i].time, 1.0 - steps[i].survival), &levels, last);
        let lower = crossings(n, |i| (steps[i].time, 1.0 - band[i].lower), &levels, last);
        let upper = crossings(n, |i| (steps[i].time, 1.0 - band[i].upper), &levels, last);
        (0..percents.len())
            .map(|k| SurvivalPercentile {
                percent: percents[k],
                estimate: estimate[k],
                lower: lower[k],
                upper: upper[k],
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kaplan_meier;
    use crate::survival::testing::Rng;

    /// The crossings read point by point, as R's `findq` does, without passing over blocks.
    fn crossings_one_by_one(points: &[(f64, f64)], levels: &[f64], last: f64) -> Vec<Option<f64>> {
        let y_last = points.iter().rev().map(|p| p.1).find(|y| !y.is_nan()).unwrap_or(0.0);
        let all = std::iter::once((0.0, 0.0)).chain(points.iter().copied());
        let first = |reached: &dyn Fn(f64) -> bool| {
            all.clone().filter(|p| !p.1.is_nan()).find(|p| reached(p.1)).map(|p| p.0)
        };
        levels
            .iter()
            .map(|&p| {
                if p == 0.0 {
                    return Some(0.0);
                }
                let on = first(&|y| y + TOLERANCE >= p)?;
                if (p - y_last).abs() < TOLERANCE {
                    return Some(f64::midpoint(on, last));
                }
                Some(f64::midpoint(on, first(&|y| y - TOLERANCE >= p)?))
            })
            .collect()
    }

    #[test]
    fn blocks_passed_over_find_the_same_crossings() {
        // Rising curves with flats on the levels, dips (a band need not rise), NaN (a band where
        // the curve is 0), in blocks and across their ends.
        let mut rng = Rng(0x853C_49E6_748F_EA9B);
        let mut next = |m: u64| rng.next(m);
        let levels = [0.0, 0.25, 0.5, 0.5, 0.9, 1.0];
        for n in [1, 63, 64, 65, 130, 1_000, 5_000] {
            #[allow(clippy::cast_precision_loss)] // small numbers
            let points: Vec<(f64, f64)> = (0..n)
                .map(|i| {
                    let rise = (i as f64 + 1.0) / n as f64;
                    let y = match next(10) {
                        0 => f64::NAN,
                        1 => rise * 0.5,
                        2 => 0.5,
                        _ => rise,
                    };
                    (i as f64 + 1.0, y)
                })
                .collect();
            let last = points.last().map_or(0.0, |p| p.0);
            let got = crossings(n, |i| points[i], &levels, last);
            assert_eq!(got, crossings_one_by_one(&points, &levels, last), "{n} points");
        }
    }

    #[test]
    fn percentiles_follow_r_on_flats_and_ends() {
        // No open case: the sample percentiles, the midpoint on a flat (here the median):
        // numpy.percentile([1..6], 50) = 3.5, and R's quantile(survfit(...), c(0, .5, 1)) gives
        // 0 (the curve's start time), 3.5 and 6.
        let km = kaplan_meier(&[5.0, 1.0, 3.0, 2.0, 4.0, 6.0], None, None).unwrap();
        let at = |p: f64| km.percentile(p, 0.95, Transform::Log).unwrap().estimate;
        assert_eq!((at(50.0), at(0.0), at(100.0)), (Some(3.5), Some(0.0), Some(6.0)));
        // The curve ends on the level, after an open case: the flat runs to the last time.
        let km = kaplan_meier(&[1.0, 2.0, 9.0], Some(&[false, true, true]), None).unwrap();
        let median = km.percentile(100.0 / 3.0, 0.95, Transform::LogLog).unwrap();
        assert_eq!(median.estimate, Some(5.0));
        assert!(km.percentile(101.0, 0.95, Transform::LogLog).is_err());
    }
}
