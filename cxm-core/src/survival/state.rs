//! The mergeable state of durations: per distinct time, how many cases were resolved then and
//! how many were still open, so that records can arrive in batches, on threads, processes or
//! machines, and still summarise to exactly what one call over all of them gives.

use super::curve::{check_batch, check_records, curve_of, key, sorted_tally, whole_second_tally};
use super::curve::{KaplanMeier, Step, Transform};
use super::durations::DEFAULT_PERCENTILES;
use super::durations::{check_options, of_curve, of_sorted, weighted_mean, Durations};
use super::weighted::WeightedTimes;
use crate::error::Error;
use crate::state::{decode, encode_body, invalid, Metric, Reader, State};
use crate::stats::DEFAULT_LEVEL;

/// A running summary of durations (waits, handle times, times to resolution with cases still
/// open), unweighted or weighted: add records in batches, merge states from other threads,
/// processes or machines, and [`summary`](DurationState::summary) gives what
/// [`durations`](crate::durations) gives for all the records at once, to the bit;
/// [`curve`](DurationState::curve) what [`kaplan_meier`](crate::kaplan_meier) gives.
///
/// Its size grows with the distinct times, not the records: unweighted, 24 bytes a distinct
/// time (times in whole seconds over a day: at most 86 400 of them, about 2 MB). Weighted
/// ([`add_weighted`](DurationState::add_weighted)), each time keeps the exact sums of its
/// weights resolved and open ([`ExactSum`](crate::ExactSum)'s digits): about 120 bytes a
/// distinct time in memory, 25–35 as bytes.
///
/// ```
/// use cxm_core::{durations, DurationState, State, Transform};
/// let (hours, open) = ([1.0, 2.0, 2.0, 3.0, 5.0, 8.0], [false, false, true, false, true, false]);
/// let mut morning = DurationState::new();
/// morning.add(&hours[..2], Some(&open[..2]))?;
/// let mut afternoon = DurationState::new();
/// afternoon.add(&hours[2..], Some(&open[2..]))?;
/// morning.merge(&DurationState::from_bytes(&afternoon.to_bytes())?)?;
/// let once = durations(&hours, Some(&open), None, &[50.0], Some(4.0), 0.95, Transform::LogLog)?;
/// let merged = morning.summary(&[50.0], Some(4.0), 0.95, Transform::LogLog)?;
/// assert_eq!(format!("{merged:?}"), format!("{once:?}"));
/// # Ok::<(), cxm_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DurationState {
    /// Unweighted, per distinct time, by time: its key (the bits of the time), cases resolved,
    /// still open. Empty when weighted.
    steps: Vec<(u64, u64, u64)>,
    /// Weighted, the weights by time (`None` while unweighted or empty).
    weighted: Option<Box<WeightedTimes>>,
}

impl DurationState {
    /// A state of no records.
    #[must_use]
    pub fn new() -> DurationState {
        DurationState::default()
    }

    /// Adds records: `seconds[i]` to resolution, or open so far when `open[i]`. On error the
    /// state is unchanged.
    ///
    /// # Errors
    /// As [`kaplan_meier`](crate::kaplan_meier) for the records, naming the index in the batch;
    /// [`Error::CountOverflow`] past `u64` records.
    pub fn add(&mut self, seconds: &[f64], open: Option<&[bool]>) -> Result<(), Error> {
        check_records(seconds, open, None)?;
        if self.weighted.is_some() {
            return Err(mixed());
        }
        let steps =
            whole_second_tally(seconds, open).unwrap_or_else(|| sorted_tally(seconds, open));
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // whole counts
        let batch: Vec<(u64, u64, u64)> =
            steps.iter().map(|s| (key(s.time), s.resolved as u64, s.open as u64)).collect();
        self.steps = merged(&self.steps, &batch)?;
        Ok(())
    }

    /// Adds weighted records: `seconds[i]` to resolution, or open so far when `open[i]`, of
    /// weight `weights[i]` (case weights, as [`kaplan_meier`](crate::kaplan_meier) takes them).
    /// A batch of weight 0 is no error: the total weight is checked when the state is read.
    /// On error the state is unchanged.
    ///
    /// # Errors
    /// As [`kaplan_meier`](crate::kaplan_meier) for the records, naming the index in the batch;
    /// [`Error::IncompatibleStates`] when unweighted records were added;
    /// [`Error::CountOverflow`] past `u64` records.
    ///
    /// # Examples
    /// ```
    /// use cxm_core::{kaplan_meier, DurationState, State};
    /// let (hours, open, weights) = ([1.0, 2.0, 2.0, 4.0], [false, true, false, false], [0.1, 0.2, 0.3, 0.4]);
    /// let mut left = DurationState::new();
    /// left.add_weighted(&hours[..1], Some(&open[..1]), &weights[..1])?;
    /// let mut right = DurationState::new();
    /// right.add_weighted(&hours[1..], Some(&open[1..]), &weights[1..])?;
    /// left.merge(&right)?;
    /// assert!(left.is_weighted());
    /// assert_eq!(left.curve()?, kaplan_meier(&hours, Some(&open), Some(&weights))?);
    /// # Ok::<(), cxm_core::Error>(())
    /// ```
    pub fn add_weighted(
        &mut self,
        seconds: &[f64],
        open: Option<&[bool]>,
        weights: &[f64],
    ) -> Result<(), Error> {
        check_batch(seconds, open, Some(weights))?;
        let batch = WeightedTimes::of(seconds, open, weights);
        match &mut self.weighted {
            Some(state) => state.merge(&batch)?,
            None if self.steps.is_empty() => self.weighted = Some(Box::new(batch)),
            None => return Err(mixed()),
        }
        Ok(())
    }

    /// The Kaplan–Meier curve of every record added and merged.
    ///
    /// # Errors
    /// [`Error::MissingInput`] with no record; [`Error::ZeroTotalWeight`] when every weight is
    /// 0.
    pub fn curve(&self) -> Result<KaplanMeier, Error> {
        if let Some(weighted) = &self.weighted {
            return weighted_curve(weighted).map(|(curve, _)| curve);
        }
        if self.steps.is_empty() {
            return Err(Error::MissingInput {
                what: "at least one record".to_owned(),
                needed_for: "a Kaplan–Meier curve".to_owned(),
            });
        }
        #[allow(clippy::cast_precision_loss)] // counts below 2^53
        let steps = self
            .steps
            .iter()
            .map(|&(k, resolved, open)| {
                Step::tallied(f64::from_bits(k), resolved as f64, open as f64)
            })
            .collect();
        Ok(curve_of(self.n(), steps))
    }

    /// The summary [`durations`](crate::durations) gives of every record added and merged.
    ///
    /// # Errors
    /// As [`durations`](crate::durations); [`Error::MissingInput`] with no record.
    pub fn summary(
        &self,
        percents: &[f64],
        within: Option<f64>,
        level: f64,
        transform: Transform,
    ) -> Result<Durations, Error> {
        crate::stats::normal::check_level(level)?;
        if let Some(weighted) = &self.weighted {
            let (curve, total) = weighted_curve(weighted)?;
            check_options(percents, within)?;
            // No mean while a case is open, as `durations`.
            let mean = if weighted.has_open() {
                None
            } else {
                let squares = weighted.squares();
                Some(weighted_mean(&curve.steps, total, squares, curve.records, level)?)
            };
            return of_curve(curve, mean, percents, within, level, transform);
        }
        let curve = self.curve()?;
        check_options(percents, within)?;
        if self.steps.iter().any(|s| s.2 > 0) {
            return of_curve(curve, None, percents, within, level, transform);
        }
        let mut sorted = Vec::with_capacity(usize::try_from(self.n()).unwrap_or(0));
        for &(k, resolved, _) in &self.steps {
            #[allow(clippy::cast_possible_truncation)] // records that were added fit in memory
            sorted.extend(std::iter::repeat_n(f64::from_bits(k), resolved as usize));
        }
        of_sorted(&sorted, percents, within, level)
    }
}

/// The curve of weighted records, and their total weight.
///
/// # Errors
/// [`Error::ZeroTotalWeight`] when every weight is 0.
fn weighted_curve(weighted: &WeightedTimes) -> Result<(KaplanMeier, f64), Error> {
    let (steps, total) = weighted.steps();
    if total == 0.0 {
        return Err(Error::ZeroTotalWeight);
    }
    Ok((curve_of(weighted.records(), steps), total))
}

/// The error of weighted and unweighted records in one state.
fn mixed() -> Error {
    Error::IncompatibleStates {
        reason: "weighted records cannot be merged with unweighted ones".to_owned(),
    }
}

/// Two tallies by time as one, counts added (checked).
fn merged(a: &[(u64, u64, u64)], b: &[(u64, u64, u64)]) -> Result<Vec<(u64, u64, u64)>, Error> {
    let add = |x: u64, y: u64| x.checked_add(y).ok_or(Error::CountOverflow);
    merged_by_time(a, b, |x| x.0, |x, y| Ok((x.0, add(x.1, y.1)?, add(x.2, y.2)?)))
}

/// Two tables in order of their times' keys (`time`) as one, in that order: a time in both
/// takes `both` of its two entries.
pub(super) fn merged_by_time<T: Clone>(
    a: &[T],
    b: &[T],
    time: impl Fn(&T) -> u64,
    both: impl Fn(&T, &T) -> Result<T, Error>,
) -> Result<Vec<T>, Error> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let step = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if time(x) == time(y) => {
                (i, j) = (i + 1, j + 1);
                both(x, y)?
            }
            (Some(x), Some(y)) if time(x) < time(y) => {
                i += 1;
                x.clone()
            }
            (Some(x), None) => {
                i += 1;
                x.clone()
            }
            (_, Some(y)) => {
                j += 1;
                y.clone()
            }
            (None, None) => unreachable!("the loop runs while one has a step"),
        };
        out.push(step);
    }
    Ok(out)
}

impl State for DurationState {
    type Output = Durations;
    const METRIC: Metric = Metric::Durations;

    fn merge(&mut self, other: &DurationState) -> Result<(), Error> {
        match (&mut self.weighted, &other.weighted) {
            (Some(a), Some(b)) => a.merge(b)?,
            (None, None) => self.steps = merged(&self.steps, &other.steps)?,
            (Some(_), None) if other.steps.is_empty() => {}
            (None, Some(_)) if self.steps.is_empty() => self.weighted.clone_from(&other.weighted),
            _ => return Err(mixed()),
        }
        Ok(())
    }

    /// The summary with the core's defaults: the median and [`DEFAULT_PERCENTILES`], no time
    /// within, [`DEFAULT_LEVEL`], the log(−log) band.
    fn finish(&self) -> Result<Durations, Error> {
        self.summary(&DEFAULT_PERCENTILES, None, DEFAULT_LEVEL, Transform::default())
    }

    fn n(&self) -> u64 {
        if let Some(weighted) = &self.weighted {
            return weighted.records();
        }
        self.steps.iter().fold(0_u64, |n, s| n.saturating_add(s.1).saturating_add(s.2))
    }

    fn is_weighted(&self) -> bool {
        self.weighted.is_some()
    }

    /// After the header, unweighted: a `u64` count of distinct times, then per time its key
    /// (the `f64`'s bits), the cases resolved and the cases open (`u64` each). Weighted (the
    /// header's flag set): the records, the exact squared weights, then per time its key and
    /// the exact weights resolved and open, as `docs/state-format.md` has it.
    fn to_bytes(&self) -> Vec<u8> {
        let mut body = Vec::with_capacity(8 + 24 * self.steps.len());
        match &self.weighted {
            Some(weighted) => weighted.write(&mut body),
            None => self.write_table(&mut body),
        }
        encode_body(Metric::Durations, self.weighted.is_some(), &body)
    }

    fn from_bytes(bytes: &[u8]) -> Result<DurationState, Error> {
        let mut reader = decode(bytes, Metric::Durations)?;
        let state = if reader.weighted() {
            let weighted = WeightedTimes::read(&mut reader)?;
            DurationState { steps: Vec::new(), weighted: Some(Box::new(weighted)) }
        } else {
            DurationState::read_table(&mut reader)?
        };
        if reader.left() > 0 {
            return Err(invalid("bytes are left after the distinct times"));
        }
        Ok(state)
    }
}

impl DurationState {
    /// Whether a case is open.
    pub(crate) fn has_open(&self) -> bool {
        self.steps.iter().any(|s| s.2 > 0)
    }

    /// Cases (resolved or open) with a time of at most `seconds`.
    pub(crate) fn count_at_most(&self, seconds: f64) -> u64 {
        let end = self.steps.partition_point(|s| f64::from_bits(s.0) <= seconds);
        self.steps[..end].iter().map(|s| s.1 + s.2).sum()
    }

    /// The body of [`State::to_bytes`], which a contact-centre state writes twice.
    pub(crate) fn write_table(&self, body: &mut Vec<u8>) {
        body.extend_from_slice(&(self.steps.len() as u64).to_le_bytes());
        for &(k, resolved, open) in &self.steps {
            for value in [k, resolved, open] {
                body.extend_from_slice(&value.to_le_bytes());
            }
        }
    }

    /// A table that [`DurationState::write_table`] wrote, checked: every time a valid one, in
    /// order, with a case, the counts summing below 2^64.
    pub(crate) fn read_table(reader: &mut Reader<'_>) -> Result<DurationState, Error> {
        let len = read_times(reader, 24)?;
        let mut steps: Vec<(u64, u64, u64)> = Vec::with_capacity(reader.left() / 24);
        let mut total = 0_u64;
        for _ in 0..len {
            let (k, resolved, open) = (reader.u64()?, reader.u64()?, reader.u64()?);
            check_key(k, steps.last().map(|s| s.0))?;
            if resolved == 0 && open == 0 {
                return Err(invalid("a time with no case"));
            }
            total = total
                .checked_add(resolved)
                .and_then(|t| t.checked_add(open))
                .ok_or_else(|| invalid("the counts sum past 2^64 - 1"))?;
            steps.push((k, resolved, open));
        }
        Ok(DurationState { steps, weighted: None })
    }
}

/// The count of distinct times that starts a table, checked against the bytes left: each time
/// takes at least `bytes_each`.
pub(super) fn read_times(reader: &mut Reader<'_>, bytes_each: usize) -> Result<usize, Error> {
    let len = reader.u64()?;
    usize::try_from(len)
        .ok()
        .filter(|n| n.checked_mul(bytes_each).is_some_and(|b| b <= reader.left()))
        .ok_or_else(|| invalid(format!("{len} distinct times overrun the bytes")))
}

/// A time's key as read: a valid time's (a finite number of seconds, 0 or more, `−0` as `+0`),
/// after the key `before` it.
pub(super) fn check_key(k: u64, before: Option<u64>) -> Result<(), Error> {
    let time = f64::from_bits(k);
    if !(time.is_finite() && time >= 0.0) || key(time) != k {
        return Err(invalid("a time that is not a finite number of seconds, 0 or more"));
    }
    if before.is_some_and(|before| before >= k) {
        return Err(invalid("the times are not in order"));
    }
    Ok(())
}

crate::state::serde_as_bytes!(DurationState);

#[cfg(test)]
#[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)] // small test numbers
mod tests {
    use super::*;
    use crate::survival::testing::{corrupted_bytes_are_refused, split_and_merged, Rng};
    use crate::{durations, kaplan_meier};

    #[test]
    fn any_split_summarises_to_the_one_call_bits() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for round in 0..60 {
            let n = 1 + rng.next(400) as usize;
            let whole = round % 2 == 0;
            let mut times: Vec<f64> = (0..n)
                .map(|_| {
                    let t = rng.next(5_000) as f64;
                    if whole {
                        t
                    } else {
                        t / 7.0
                    }
                })
                .collect();
            times[0] = -0.0;
            let some_open = round % 3 != 0;
            let open: Vec<bool> = (0..n).map(|_| some_open && rng.next(4) == 0).collect();
            let state = split_and_merged(&mut rng, n, |start, end| {
                let mut part = DurationState::new();
                part.add(&times[start..end], Some(&open[start..end])).unwrap();
                part
            });
            let within = Some(times[n / 2]);
            for (percents, level, transform) in [
                (&[50.0, 90.0][..], 0.95, Transform::LogLog),
                (&[10.0, 99.0][..], 0.9, Transform::Log),
            ] {
                let once = durations(&times, Some(&open), None, percents, within, level, transform)
                    .unwrap();
                let merged = state.summary(percents, within, level, transform).unwrap();
                assert_eq!(format!("{merged:?}"), format!("{once:?}"), "round {round}");
            }
            let curve = kaplan_meier(&times, Some(&open), None).unwrap();
            assert_eq!(format!("{:?}", state.curve().unwrap()), format!("{curve:?}"));
            assert_eq!(state.n(), n as u64);
        }
    }

    #[test]
    fn any_split_of_weighted_records_summarises_to_the_one_call_bits() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for round in 0..60 {
            let n = 1 + rng.next(300) as usize;
            // Few distinct times (many ties) or many; weights over many orders of magnitude,
            // some 0.
            let spread = if round % 2 == 0 { 20 } else { 5_000 };
            let times: Vec<f64> = (0..n).map(|_| rng.next(spread) as f64 / 4.0).collect();
            let weights: Vec<f64> = (0..n)
                .map(|_| match rng.next(10) {
                    0 => 0.0,
                    k => (1 + rng.next(1000)) as f64 * 10f64.powi(k as i32 * 3 - 15) / 7.0,
                })
                .collect();
            let some_open = round % 3 != 0;
            let open: Vec<bool> = (0..n).map(|_| some_open && rng.next(4) == 0).collect();
            let state = split_and_merged(&mut rng, n, |start, end| {
                let mut part = DurationState::new();
                part.add_weighted(
                    &times[start..end],
                    Some(&open[start..end]),
                    &weights[start..end],
                )
                .unwrap();
                part
            });
            assert!(state.is_weighted());
            assert_eq!(state.n(), n as u64);
            let within = Some(times[n / 2]);
            let once = durations(
                &times,
                Some(&open),
                Some(&weights),
                &[25.0, 90.0],
                within,
                0.9,
                Transform::Log,
            );
            let merged = state.summary(&[25.0, 90.0], within, 0.9, Transform::Log);
            assert_eq!(format!("{merged:?}"), format!("{once:?}"), "round {round}");
            let curve = kaplan_meier(&times, Some(&open), Some(&weights));
            assert_eq!(format!("{:?}", state.curve()), format!("{curve:?}"), "round {round}");
        }
    }

    #[test]
    fn weighted_sums_at_a_time_are_exact() {
        // Three weights at one time whose float sum depends on the order: 1 + 1e-16 + 1e-16 is 1
        // left to right, 1.0000000000000002 exactly rounded.
        let (times, weights) = ([5.0, 5.0, 5.0, 9.0], [1.0, 1e-16, 1e-16, 1.0]);
        let km = kaplan_meier(&times, None, Some(&weights)).unwrap();
        assert_eq!(km.steps[0].resolved, 1.0 + f64::EPSILON);
        let mut state = DurationState::new();
        for i in [2, 0, 3, 1] {
            state.add_weighted(&times[i..=i], None, &weights[i..=i]).unwrap();
        }
        assert_eq!(state.curve().unwrap(), km);
    }

    #[test]
    fn weighted_and_unweighted_records_do_not_mix() {
        let mut weighted = DurationState::new();
        weighted.add_weighted(&[1.0, 2.0], None, &[0.0, 0.0]).unwrap();
        assert_eq!(weighted.curve().unwrap_err().kind(), "zero_total_weight");
        let mut unweighted = DurationState::new();
        unweighted.add(&[3.0], None).unwrap();
        let before = weighted.clone();
        assert_eq!(weighted.add(&[3.0], None).unwrap_err().kind(), "incompatible_states");
        assert_eq!(weighted.merge(&unweighted).unwrap_err().kind(), "incompatible_states");
        assert_eq!(
            unweighted.add_weighted(&[3.0], None, &[1.0]).unwrap_err().kind(),
            "incompatible_states"
        );
        assert_eq!(weighted, before);
        // An empty state merges with either.
        weighted.merge(&DurationState::new()).unwrap();
        let mut empty = DurationState::new();
        empty.merge(&weighted).unwrap();
        assert_eq!(empty, weighted);
        let err = weighted.add_weighted(&[1.0], None, &[-2.0]).unwrap_err();
        assert_eq!(
            err.to_string(),
            crate::Error::InvalidWeight { index: 0, value: -2.0 }.to_string()
        );
    }

    #[test]
    fn bad_weighted_bytes_are_refused_or_finish_the_same() {
        let mut state = DurationState::new();
        let open = [false, true, false, false, true];
        state
            .add_weighted(&[3.0, 1.0, 2.0, 2.0, 9.5], Some(&open), &[0.5, 2.0, 1e-3, 0.0, 3.0])
            .unwrap();
        corrupted_bytes_are_refused(&state);
        assert_eq!(DurationState::from_bytes(&state.to_bytes()).unwrap(), state);
    }

    #[test]
    fn bad_bytes_are_refused_or_finish_the_same() {
        let mut state = DurationState::new();
        state.add(&[3.0, 1.0, 2.0, 2.0, 9.5], Some(&[false, true, false, false, true])).unwrap();
        corrupted_bytes_are_refused(&state);
        // A state of another metric is refused as such.
        let nps = crate::NpsState::new().to_bytes();
        let err = DurationState::from_bytes(&nps).unwrap_err().to_string();
        assert!(err.contains("a state of nps, not of durations"), "{err}");
    }

    #[test]
    fn bad_records_and_no_records() {
        let mut state = DurationState::new();
        let err = state.add(&[1.0, -3.0], None).unwrap_err();
        assert_eq!(err.to_string(), "record at index 1 has the time -3: a duration is a finite number of seconds, 0 or more");
        assert_eq!(state, DurationState::new());
        assert_eq!(state.finish().unwrap_err().kind(), "missing_input");
        assert_eq!(
            state.add(&[1.0], Some(&[true, false])).unwrap_err().kind(),
            "column_length_mismatch"
        );
    }
}
