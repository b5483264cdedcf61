//! The Kaplan–Meier curve (Kaplan and Meier 1958, "Nonparametric estimation from incomplete
//! observations", JASA 53:457–481) with Greenwood's variance (Greenwood 1926) and its
//! pointwise confidence band, as R's `survival::survfit` computes them (Therneau's package;
//! Klein and Moeschberger, *Survival Analysis*, 2nd ed., §4.2–4.3).

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::stats::normal::two_sided_critical;
use crate::stats::Interval;

/// How the pointwise confidence band of the curve is built from Greenwood's variance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Transform {
    /// On log(−log S) (Kalbfleisch and Prentice 1980; the "exponential Greenwood" band): always
    /// within 0..1. The default of SAS's `PROC LIFETEST` and the only band of lifelines.
    #[default]
    #[serde(rename = "log-log")]
    LogLog,
    /// On log S, the upper limit cut at 1: R `survfit`'s default (`conf.type = "log"`).
    #[serde(rename = "log")]
    Log,
}

crate::options::named_options!(Transform, "confidence band transform", [
    LogLog => "log-log" = 0,
    Log => "log" = 1,
]);

/// One time at which cases were resolved or left open, and the curve after it. Laid out as its
/// six `f64`s in this order (`repr(C)`), so that a binding can hand a curve over as a table
/// without copying it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[repr(C)]
pub struct Step {
    /// The time, in the records' unit (seconds).
    pub time: f64,
    /// Cases (their weight) unresolved just before `time`: those with a time of `time` or more.
    pub at_risk: f64,
    /// Cases (their weight) resolved at `time`.
    pub resolved: f64,
    /// Cases (their weight) still open at `time`, the end of their record. At a tie they count
    /// as at risk at `time`: resolutions come before censorings.
    pub open: f64,
    /// The share still unresolved after `time`: the product of `1 − resolved / at_risk` so far.
    pub survival: f64,
    /// Greenwood's sum `Σ resolved / (at_risk · (at_risk − resolved))` so far, the variance of
    /// `log survival` (∞ once every case at risk is resolved).
    pub greenwood: f64,
}

impl Step {
    /// A step of the tally: `resolved` and `open` at `time`, its curve's columns filled in later
    /// ([`curve_of`]).
    pub(crate) fn tallied(time: f64, resolved: f64, open: f64) -> Step {
        Step { time, at_risk: 0.0, resolved, open, survival: 1.0, greenwood: 0.0 }
    }
}

/// A Kaplan–Meier curve of the time to resolution. See [`kaplan_meier`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KaplanMeier {
    /// One step per distinct time, in time order.
    pub steps: Vec<Step>,
    /// Records given (those of weight 0 included).
    pub records: u64,
    /// Resolved cases (their total weight).
    pub resolved: f64,
    /// Cases still open (their total weight).
    pub open: f64,
}

fn bad_time(index: usize, time: f64) -> Error {
    Error::InvalidRecord {
        index,
        reason: format!("has the time {time}: a duration is a finite number of seconds, 0 or more"),
    }
}

fn check_length(column: &str, len: usize, expected: usize) -> Result<(), Error> {
    if len == expected {
        return Ok(());
    }
    Err(Error::ColumnLengthMismatch {
        column: column.to_owned(),
        len,
        expected,
        first: "times".to_owned(),
    })
}

/// A finite time of 0 or more as a key that sorts as the time does (its bits; −0 as +0).
pub(crate) fn key(time: f64) -> u64 {
    (time + 0.0).to_bits()
}

/// The Kaplan–Meier curve of `times` (seconds to resolution, or to the end of the window for a
/// case still open), `open[i]` marking the cases still open (right-censored; none without
/// `open`), each case weighted by `weights[i]` (at-risk and resolved counts are then sums of
/// weights, as R's `survfit` takes case weights; lifelines rounds weighted counts at risk to
/// whole numbers, which moves its intervals). The weights at each time are summed exactly and
/// rounded once, so the curve is the same bits in any order of the records, and a weighted
/// [`DurationState`](crate::DurationState) fed any split of them gives it too. Records of
/// weight 0 change nothing. Cost: one sort of the times, then one pass.
///
/// # Errors
/// [`Error::MissingInput`] for no records; [`Error::InvalidRecord`] for a time that is NaN,
/// infinite or negative, naming its index; [`Error::InvalidWeight`] for a weight that is NaN,
/// infinite or negative; [`Error::ZeroTotalWeight`] when every weight is 0;
/// [`Error::ColumnLengthMismatch`] for `open` or `weights` of another length than `times`.
///
/// # Examples
/// ```
/// use cxm_core::kaplan_meier;
/// // Hours to resolution; the cases at 5 and 8 hours are still open.
/// let hours = [1.0, 2.0, 2.0, 3.0, 5.0, 8.0];
/// let open = [false, false, false, false, true, true];
/// let km = kaplan_meier(&hours, Some(&open), None)?;
/// let s: Vec<f64> = km.steps.iter().map(|s| s.survival).collect();
/// assert_eq!(s, [5.0 / 6.0, 5.0 / 6.0 * 3.0 / 5.0, 5.0 / 6.0 * 3.0 / 5.0 * 2.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0]);
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn kaplan_meier(
    times: &[f64],
    open: Option<&[bool]>,
    weights: Option<&[f64]>,
) -> Result<KaplanMeier, Error> {
    check_shape(times, open, weights)?;
    // Whole seconds, unweighted, are counted, which also proves every time valid; any other
    // records are checked, then sorted: unweighted, the time keys alone (the sort is most of
    // the cost); weighted, with their weights, summed exactly at each time, so that the sums
    // do not depend on the order.
    let records = times.len() as u64;
    if let Some(steps) = weights.is_none().then(|| whole_second_tally(times, open)).flatten() {
        return Ok(curve_of(records, steps));
    }
    check_values(times, weights)?;
    Ok(match weights {
        None => sorted_curve(times, open),
        Some(weights) => curve_of(records, super::weighted::weighted_steps(times, open, weights)),
    })
}

/// The curve of the tallied `steps` of `records` records (times, resolved and open filled in):
/// at risk, the curve and Greenwood's sum at each step.
pub(crate) fn curve_of(records: u64, mut steps: Vec<Step>) -> KaplanMeier {
    // At risk at each time: every weight from that time on, summed from the last time back.
    let mut at_risk = 0.0;
    for step in steps.iter_mut().rev() {
        at_risk += step.resolved + step.open;
        step.at_risk = at_risk;
    }
    let mut running = Running::new();
    for step in &mut steps {
        running.step(step);
    }
    KaplanMeier { steps, records, resolved: running.resolved, open: running.open }
}

/// The curve so far, and the totals (summed in time order), as the steps are read forward.
struct Running {
    survival: f64,
    greenwood: f64,
    resolved: f64,
    open: f64,
}

impl Running {
    fn new() -> Running {
        Running { survival: 1.0, greenwood: 0.0, resolved: 0.0, open: 0.0 }
    }

    /// Fills in the curve at `step`, whose cases and at risk are known.
    fn step(&mut self, step: &mut Step) {
        self.resolved += step.resolved;
        self.open += step.open;
        if step.resolved > 0.0 {
            let left = step.at_risk - step.resolved;
            self.survival *= left / step.at_risk;
            self.greenwood +=
                if left > 0.0 { step.resolved / (step.at_risk * left) } else { f64::INFINITY };
        }
        (step.survival, step.greenwood) = (self.survival, self.greenwood);
    }
}

/// The unweighted curve of `times` by sorting: what [`curve_of`] gives for their
/// [`sorted_tally`], each step written once (at risk is the records not yet passed: counts are
/// whole numbers, summed exactly either way). The times are checked.
#[allow(clippy::cast_precision_loss)] // counts below 2^53
pub(crate) fn sorted_curve(times: &[f64], open: Option<&[bool]>) -> KaplanMeier {
    let keys = sorted_keys(times, open);
    let records = keys.len() as u64;
    let (mut running, mut passed) = (Running::new(), 0);
    let mut steps = Vec::with_capacity(keys.len()); // see `sorted_tally`
    steps.extend(runs(&keys).map(|(time, resolved, open)| {
        let mut step = Step::tallied(time, resolved as f64, open as f64);
        step.at_risk = (records - passed) as f64;
        passed += resolved + open;
        running.step(&mut step);
        step
    }));
    steps.shrink_to_fit();
    KaplanMeier { steps, records, resolved: running.resolved, open: running.open }
}

/// The unweighted tally of `times` by sorting their keys.
#[allow(clippy::cast_precision_loss)] // counts below 2^53
pub(crate) fn sorted_tally(times: &[f64], open: Option<&[bool]>) -> Vec<Step> {
    let keys = sorted_keys(times, open);
    // Room for as many steps as records (untouched memory costs nothing), so that a curve of
    // distinct times is never copied as it grows; what a curve of ties leaves is given back.
    let mut steps = Vec::with_capacity(keys.len());
    steps.extend(
        runs(&keys).map(|(t, resolved, open)| Step::tallied(t, resolved as f64, open as f64)),
    );
    steps.shrink_to_fit();
    steps
}

/// The keys of `times` (checked: finite, 0 or more) in order, each with its case's state in
/// its lowest bit (a time's key has its sign bit free): resolved (0) before open (1) at a tie.
fn sorted_keys(times: &[f64], open: Option<&[bool]>) -> Vec<u64> {
    let mut keys: Vec<u64> = match open {
        None => times.iter().map(|&t| key(t) << 1).collect(),
        Some(open) => times.iter().zip(open).map(|(&t, &o)| key(t) << 1 | u64::from(o)).collect(),
    };
    super::radix::sort(&mut keys);
    keys
}

/// Each distinct time of sorted keys, with its resolved and open cases.
fn runs(keys: &[u64]) -> impl Iterator<Item = (f64, u64, u64)> + '_ {
    let mut next = 0;
    std::iter::from_fn(move || {
        let time = keys.get(next)? >> 1;
        let (start, mut open) = (next, 0);
        while let Some(&k) = keys.get(next).filter(|&&k| k >> 1 == time) {
            open += k & 1;
            next += 1;
        }
        Some((f64::from_bits(time), (next - start) as u64 - open, open))
    })
}

/// Times in whole seconds, as exports have them, are tallied by counting, in one pass and
/// without a sort, when the largest is small: below this many seconds (18 hours), or a quarter
/// of the record count when that is more, so that the counters (16 bytes a second, on each of
/// two threads) never outweigh the times (8 bytes each).
const COUNTED_RANGE: usize = 1 << 16;

/// Independent lanes of the whole-second check: enough for the widest vectors.
const LANES: usize = 8;

/// 2^52: a time below it plus this, minus this, is the time rounded to a whole number.
const ROUND: f64 = 4_503_599_627_370_496.0;

/// The unweighted tally of `times` when every one is a whole number of seconds below
/// [`COUNTED_RANGE`] (or a quarter of the record count): the counts the sort and merge of
/// [`tally`] would give, to the bit (whole numbers below 2^53), in linear time.
pub(crate) fn whole_second_tally(times: &[f64], open: Option<&[bool]>) -> Option<Vec<Step>> {
    let limit = COUNTED_RANGE.max(times.len() / 4).min(u32::MAX as usize);
    #[allow(clippy::cast_precision_loss)] // limit is below 2^32
    let ceiling = limit as f64;
    // Whole, 0 or more and below the ceiling (NaN fails every comparison): adding and taking
    // away 2^52 rounds a time below 2^52 to a whole number, and leaves it unchanged only when it
    // was one. Checked without branches, in independent lanes, so that the pass vectorizes
    // (`trunc` is a libm call on baseline x86-64; one running maximum is a chain of dependent
    // instructions); block by block, so that other times are given up on at once.
    let (mut max, mut fractional) = ([0.0_f64; LANES], [0_u64; LANES]);
    let check = |max: &mut [f64; LANES], fractional: &mut [u64; LANES], lane: usize, t: f64| {
        #[allow(clippy::needless_bitwise_bool)] // no branch: the pass vectorizes
        let counted = (t >= 0.0) & (t < ceiling) & ((t + ROUND) - ROUND == t);
        fractional[lane] += u64::from(!counted);
        max[lane] = if t > max[lane] { t } else { max[lane] };
    };
    for block in times.chunks(1 << 12) {
        let mut lanes = block.chunks_exact(LANES);
        for chunk in &mut lanes {
            for (lane, &t) in chunk.iter().enumerate() {
                check(&mut max, &mut fractional, lane, t);
            }
        }
        for (lane, &t) in lanes.remainder().iter().enumerate() {
            check(&mut max, &mut fractional, lane, t);
        }
        if fractional.iter().any(|&f| f > 0) {
            return None;
        }
    }
    let max = max.iter().fold(0.0_f64, |a, &b| a.max(b));
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // whole, 0..limit
    let max = max as u32;
    let slots = max as usize + 1;
    let count = |times: &[f64], open: Option<&[bool]>| {
        let mut counts = vec![[0_u64; 2]; slots];
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // whole, 0..limit
        match open {
            Some(open) => {
                for (&t, &o) in times.iter().zip(open) {
                    counts[t as usize][usize::from(o)] += 1;
                }
            }
            None => {
                for &t in times {
                    counts[t as usize][0] += 1;
                }
            }
        }
        counts
    };
    // Two halves on two threads when long, their counts added: integers, so in any order.
    let counts = if times.len() >= 1 << 18 {
        let half = times.len() / 2;
        let (first, second) = times.split_at(half);
        let (open_first, open_second) = match open {
            Some(o) => (Some(&o[..half]), Some(&o[half..])),
            None => (None, None),
        };
        let (mut a, b) =
            crate::parallel::join(|| count(first, open_first), || count(second, open_second));
        for (x, y) in a.iter_mut().zip(&b) {
            x[0] += y[0];
            x[1] += y[1];
        }
        a
    } else {
        count(times, open)
    };
    #[allow(clippy::cast_precision_loss)] // counts and seconds below 2^53
    let steps = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| c[0] + c[1] > 0)
        .map(|(second, c)| Step::tallied(second as f64, c[0] as f64, c[1] as f64))
        .collect();
    Some(steps)
}

/// Checks records of durations: the columns' lengths, at least one record, every time finite
/// and 0 or more, every weight finite and 0 or more, and not all of them 0.
///
/// # Errors
/// As [`kaplan_meier`].
pub(crate) fn check_records(
    times: &[f64],
    open: Option<&[bool]>,
    weights: Option<&[f64]>,
) -> Result<(), Error> {
    check_shape(times, open, weights)?;
    check_values(times, weights)
}

/// The columns' lengths, and at least one record.
fn check_shape(times: &[f64], open: Option<&[bool]>, weights: Option<&[f64]>) -> Result<(), Error> {
    if let Some(open) = open {
        check_length("open", open.len(), times.len())?;
    }
    if let Some(weights) = weights {
        check_length("weights", weights.len(), times.len())?;
    }
    if times.is_empty() {
        return Err(Error::MissingInput {
            what: "at least one record".to_owned(),
            needed_for: "a Kaplan–Meier curve".to_owned(),
        });
    }
    Ok(())
}

/// Every time finite and 0 or more, every weight too, and not all of them 0.
fn check_values(times: &[f64], weights: Option<&[f64]>) -> Result<(), Error> {
    check_entries(times, weights)?;
    if weights.is_some_and(|w| w.iter().all(|&w| w == 0.0)) {
        return Err(Error::ZeroTotalWeight);
    }
    Ok(())
}

/// A batch of records for a state, as [`check_records`] checks them but for the total weight
/// (a batch of weight 0 is no error while the whole has weight).
pub(crate) fn check_batch(
    times: &[f64],
    open: Option<&[bool]>,
    weights: Option<&[f64]>,
) -> Result<(), Error> {
    check_shape(times, open, weights)?;
    check_entries(times, weights)
}

/// Every time finite and 0 or more, every weight too.
fn check_entries(times: &[f64], weights: Option<&[f64]>) -> Result<(), Error> {
    // One pass without branches (it vectorizes); the bad time is looked for only when there is
    // one. NaN fails both comparisons.
    let valid = |t: f64| (0.0..f64::INFINITY).contains(&t);
    if times.iter().map(|&t| u64::from(!valid(t))).sum::<u64>() > 0 {
        let i = times.iter().position(|&t| !valid(t)).unwrap_or_default();
        return Err(bad_time(i, times[i]));
    }
    if let Some(weights) = weights {
        if let Some(i) = weights.iter().position(|w| !(w.is_finite() && *w >= 0.0)) {
            return Err(Error::InvalidWeight { index: i, value: weights[i] });
        }
    }
    Ok(())
}

impl KaplanMeier {
    /// The pointwise confidence band at each step, at `level`, as R's `survfit` builds it
    /// (`survfit_confint`), with `z` the normal quantile and `σ² ` Greenwood's sum:
    /// - [`Transform::LogLog`]: `S^exp(±z σ / log S)`;
    /// - [`Transform::Log`]: `S · exp(±z σ)`, the upper limit cut at 1.
    ///
    /// Where the curve is 1 (nothing resolved yet) the band is `[1, 1]`; where it is 0 (every
    /// case at risk resolved) neither transform has a value and the band is NaN, as R leaves
    /// it NA (lifelines reports `[1, 1]` there, which is wrong).
    ///
    /// # Errors
    /// [`Error::InvalidLevel`] for a level outside (0, 1).
    pub fn band(&self, level: f64, transform: Transform) -> Result<Vec<Interval>, Error> {
        let z = two_sided_critical(level)?;
        let band = |steps: &[Step]| -> Vec<Interval> {
            // A step of open cases alone leaves the curve as it was: its limits are the last.
            let mut last = (f64::NAN, f64::NAN, Interval::new(f64::NAN, f64::NAN));
            let mut at = |s: &Step| {
                if (s.survival.to_bits(), s.greenwood.to_bits())
                    != (last.0.to_bits(), last.1.to_bits())
                {
                    last = (s.survival, s.greenwood, limits(s.survival, s.greenwood, z, transform));
                }
                last.2
            };
            steps.iter().map(&mut at).collect()
        };
        // Two logarithms and four exponentials a step: two threads on a long curve.
        if self.steps.len() < 1 << 15 {
            return Ok(band(&self.steps));
        }
        let (first, second) = self.steps.split_at(self.steps.len() / 2);
        let (mut out, rest) = crate::parallel::join(|| band(first), || band(second));
        out.extend(rest);
        Ok(out)
    }

    /// The share still unresolved at `time` (the curve is a step function, right-continuous):
    /// 1 before the first step.
    #[must_use]
    pub fn survival_at(&self, time: f64) -> f64 {
        self.step_at(time).map_or(1.0, |s| s.survival)
    }

    /// The last step at or before `time`.
    pub(crate) fn step_at(&self, time: f64) -> Option<&Step> {
        let after = self.steps.partition_point(|s| s.time <= time);
        after.checked_sub(1).map(|i| &self.steps[i])
    }

    /// The share resolved within `time`, `1 − S(time)`, with its interval at `level` from the
    /// band ([`KaplanMeier::band`]) at that time: `[1 − upper, 1 − lower]`.
    ///
    /// # Errors
    /// [`Error::InvalidLevel`] for a level outside (0, 1).
    pub fn resolved_within(
        &self,
        time: f64,
        level: f64,
        transform: Transform,
    ) -> Result<(f64, Interval), Error> {
        let z = two_sided_critical(level)?;
        let (survival, greenwood) =
            self.step_at(time).map_or((1.0, 0.0), |s| (s.survival, s.greenwood));
        let band = limits(survival, greenwood, z, transform);
        Ok((1.0 - survival, Interval::new(1.0 - band.upper, 1.0 - band.lower)))
    }
}

/// The band at one point of the curve: `survival` with Greenwood's sum `greenwood`.
fn limits(survival: f64, greenwood: f64, z: f64, transform: Transform) -> Interval {
    if survival >= 1.0 {
        return Interval::new(1.0, 1.0);
    }
    if survival <= 0.0 {
        return Interval::new(f64::NAN, f64::NAN);
    }
    let sigma = greenwood.sqrt();
    match transform {
        Transform::LogLog => {
            let log_s = survival.ln();
            let shift = z * sigma / log_s; // negative: log S < 0
            let log_minus_log = (-log_s).ln();
            Interval::new(
                (-(log_minus_log - shift).exp()).exp(),
                (-(log_minus_log + shift).exp()).exp(),
            )
        }
        Transform::Log => Interval::new(
            (survival.ln() - z * sigma).exp(),
            (survival.ln() + z * sigma).exp().min(1.0),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survival::testing::Rng;

    /// The curve written as the sorted keys are read is the curve of their tally, to the bit.
    #[test]
    fn sorted_curve_is_the_curve_of_the_tally() {
        let mut rng = Rng(0x1F12_3BB5_159A_55E5);
        let mut next = |m: u64| rng.next(m);
        for (n, range) in [(1, 1), (40, 5), (3_000, 100), (100_000, 1 << 40)] {
            #[allow(clippy::cast_precision_loss)]
            let times: Vec<f64> = (0..n).map(|_| next(range) as f64 / 8.0).collect();
            let open: Vec<bool> = (0..n).map(|_| next(3) == 0).collect();
            for open in [None, Some(open.as_slice())] {
                let tallied = curve_of(n, sorted_tally(&times, open));
                assert_eq!(sorted_curve(&times, open), tallied, "{n} records");
            }
        }
    }

    /// Counting whole seconds gives the sort's tally to the bit: ties, zeros (−0 too), open
    /// cases at the times of resolved ones, and times past the counted range left to the sort.
    #[test]
    fn counting_whole_seconds_is_the_sort() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let mut next = |m: u64| rng.next(m);
        for (n, range) in [(1, 1), (50, 3), (5_000, 400), (70_000, 60_000), (400_000, 90_000)] {
            #[allow(clippy::cast_precision_loss)]
            let mut times: Vec<f64> = (0..n).map(|_| next(range) as f64).collect();
            times[0] = -0.0;
            let open: Vec<bool> = (0..n).map(|_| next(3) == 0).collect();
            for open in [None, Some(open.as_slice())] {
                let counted = whole_second_tally(&times, open).unwrap();
                assert_eq!(counted, sorted_tally(&times, open));
                assert!(counted.iter().all(|s| s.time.to_bits() != (-0.0_f64).to_bits()));
            }
        }
        let past = [1.0, (COUNTED_RANGE + 1) as f64];
        assert_eq!(whole_second_tally(&past, None), None);
        for bad in [2.5, -3.0, -0.5, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(whole_second_tally(&[1.0, bad], None), None, "{bad}");
        }
    }
}
