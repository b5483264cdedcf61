//! Weighted records by time, summed exactly: per distinct time the weight of the cases resolved
//! and of those still open, each the exact sum of its records' weights rounded once (as
//! [`ExactSum`] rounds), so that the curve, the mean and every figure read off them are the
//! same bits whatever the records' order, batches or merge tree.

use super::curve::{key, Step};
use super::state::{check_key, merged_by_time, read_times};
use crate::error::Error;
use crate::exact::{Digits, ExactSum};
use crate::state::{invalid, Reader};
use crate::weight_sums::Squares;

/// The records of positive weight as (time key, open, weight), sorted by time.
fn by_time(times: &[f64], open: Option<&[bool]>, weights: &[f64]) -> Vec<(u64, bool, f64)> {
    let is_open = |i: usize| open.is_some_and(|o| o[i]);
    let mut records: Vec<(u64, bool, f64)> = (0..times.len())
        .filter(|&i| weights[i] > 0.0)
        .map(|i| (key(times[i]), is_open(i), weights[i]))
        .collect();
    records.sort_unstable_by_key(|r| r.0);
    records
}

/// The exact sum of `weights` rounded once: one weight is itself, and IEEE 754 rounds the sum of
/// two correctly; more go through an [`ExactSum`].
fn rounded_sum(weights: impl Iterator<Item = f64> + Clone) -> f64 {
    let mut few = weights.clone();
    match (few.next(), few.next(), few.next()) {
        (None, _, _) => 0.0,
        (Some(a), None, _) => a,
        (Some(a), Some(b), None) => a + b,
        _ => {
            let mut sum = ExactSum::new();
            weights.for_each(|w| sum.add(w));
            sum.total()
        }
    }
}

/// The curve's steps of checked weighted records (their columns still to be filled in): per
/// distinct time with weight, the exact weight resolved and still open, each rounded once.
/// Records of weight 0 are left out.
pub(crate) fn weighted_steps(times: &[f64], open: Option<&[bool]>, weights: &[f64]) -> Vec<Step> {
    let records = by_time(times, open, weights);
    records
        .chunk_by(|a, b| a.0 == b.0)
        .map(|run| {
            let side = |o: bool| run.iter().filter(move |r| r.1 == o).map(|r| r.2);
            Step::tallied(
                f64::from_bits(run[0].0),
                rounded_sum(side(false)),
                rounded_sum(side(true)),
            )
        })
        .collect()
}

/// The exact total weight, rounded once, and the exact sum of the squared weights.
pub(crate) fn weight_totals(weights: &[f64]) -> (f64, Squares) {
    let (mut total, mut squares) = (ExactSum::new(), Squares::default());
    for &w in weights {
        total.add(w);
        squares.add(w);
    }
    (total.total(), squares)
}

/// What a weighted [`DurationState`](crate::DurationState) keeps: the weights by time, exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WeightedTimes {
    /// Records added, those of weight 0 included.
    records: u64,
    /// Per distinct time with weight, by time: its key, the exact weight resolved then and the
    /// exact weight still open then (canonical digits, so that equal states compare equal).
    steps: Vec<(u64, Digits, Digits)>,
    /// The exact sum of the squared weights, for Kish's effective n.
    squares: Squares,
}

impl WeightedTimes {
    /// The records given, already checked (times, weights and lengths).
    pub fn of(times: &[f64], open: Option<&[bool]>, weights: &[f64]) -> WeightedTimes {
        let records = by_time(times, open, weights);
        let steps = records
            .chunk_by(|a, b| a.0 == b.0)
            .map(|run| {
                let side = |o: bool| {
                    let mut sum = ExactSum::new();
                    run.iter().filter(|r| r.1 == o).for_each(|r| sum.add(r.2));
                    sum.digits()
                };
                (run[0].0, side(false), side(true))
            })
            .collect();
        let mut squares = Squares::default();
        for &w in weights {
            squares.add(w);
        }
        WeightedTimes { records: times.len() as u64, steps, squares }
    }

    /// Records added, those of weight 0 included.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Adds the records of `other`.
    ///
    /// # Errors
    /// [`Error::CountOverflow`] past `u64` records.
    pub fn merge(&mut self, other: &WeightedTimes) -> Result<(), Error> {
        let records = self.records.checked_add(other.records).ok_or(Error::CountOverflow)?;
        let add = |a: &Digits, b: &Digits| {
            let mut sum = a.sum();
            sum.merge(&b.sum());
            sum.digits()
        };
        self.steps = merged_by_time(
            &self.steps,
            &other.steps,
            |x| x.0,
            |x, y| Ok((x.0, add(&x.1, &y.1), add(&x.2, &y.2))),
        )?;
        self.records = records;
        self.squares.merge(&other.squares);
        Ok(())
    }

    /// The curve's steps (their columns still to be filled in) and the total weight, each sum
    /// rounded once: what [`weighted_steps`] and [`weight_totals`] give for the same records.
    pub fn steps(&self) -> (Vec<Step>, f64) {
        let mut total = ExactSum::new();
        let steps = self
            .steps
            .iter()
            .map(|(k, resolved, open)| {
                let (resolved, open) = (resolved.sum(), open.sum());
                total.merge(&resolved);
                total.merge(&open);
                Step::tallied(f64::from_bits(*k), resolved.total(), open.total())
            })
            .collect();
        (steps, total.total())
    }

    /// The exact sum of the squared weights.
    pub fn squares(&self) -> &Squares {
        &self.squares
    }

    /// Whether a case of positive weight is open.
    pub fn has_open(&self) -> bool {
        self.steps.iter().any(|s| !s.2.digits.is_empty())
    }

    /// The body of a weighted durations state's bytes: the records (`u64`), the three exact
    /// sums of squares, the number of distinct times (`u64`), then per time its key (the
    /// `f64`'s bits) and the exact weights resolved and still open.
    pub fn write(&self, body: &mut Vec<u8>) {
        body.extend_from_slice(&self.records.to_le_bytes());
        for sum in self.squares.ranges() {
            crate::state::write_digits(body, &sum.digits());
        }
        body.extend_from_slice(&(self.steps.len() as u64).to_le_bytes());
        for (k, resolved, open) in &self.steps {
            body.extend_from_slice(&k.to_le_bytes());
            crate::state::write_digits(body, resolved);
            crate::state::write_digits(body, open);
        }
    }

    /// What [`WeightedTimes::write`] wrote, checked: valid times in order, each with weight,
    /// weights and squares finite and not negative, squares exactly when there are weights, and
    /// no more weighted times than records.
    pub fn read(reader: &mut Reader<'_>) -> Result<WeightedTimes, Error> {
        let positive = |d: &Digits| !d.negative && d.non_finite == 0;
        let records = reader.u64()?;
        let mut ranges = [ExactSum::new(), ExactSum::new(), ExactSum::new()];
        for range in &mut ranges {
            let (sum, digits) = reader.sum()?;
            if !positive(&digits) {
                return Err(invalid("a sum of squared weights is negative or not finite"));
            }
            *range = sum;
        }
        let squares = Squares::from_ranges(ranges);
        // A time takes at least 14 bytes (its key and two empty sums).
        let len = read_times(reader, 14)?;
        let mut steps: Vec<(u64, Digits, Digits)> = Vec::new();
        let mut sides = 0_u64;
        for _ in 0..len {
            let k = reader.u64()?;
            let ((_, resolved), (_, open)) = (reader.sum()?, reader.sum()?);
            check_key(k, steps.last().map(|s| s.0))?;
            if !(positive(&resolved) && positive(&open)) {
                return Err(invalid("a weight at a time is negative or not finite"));
            }
            if resolved.digits.is_empty() && open.digits.is_empty() {
                return Err(invalid("a time with no weight"));
            }
            sides += u64::from(!resolved.digits.is_empty()) + u64::from(!open.digits.is_empty());
            steps.push((k, resolved, open));
        }
        let no_squares = squares.ranges().iter().all(|s| s.digits().digits.is_empty());
        if records == 0 || sides > records || steps.is_empty() != no_squares {
            return Err(invalid("the records, weights and squared weights contradict each other"));
        }
        Ok(WeightedTimes { records, steps, squares })
    }
}
