//! Periods within segments: trailing windows merged from states, and each period (or window)
//! against an earlier one. Windows of N periods are compared with the window N periods before,
//! the nearest that shares none of their responses: overlapping windows are not independent
//! samples, and a test that treats them so overstates every change.

use serde::{Deserialize, Serialize};

use super::table::Segmented;
use crate::error::Error;
use crate::state::State;
use crate::stats::Comparison;

/// One period against an earlier one, by their positions among the states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The earlier period's index among the states.
    pub from: usize,
    /// The later period's index.
    pub to: usize,
    /// Later minus earlier; or why there is none, for a person to read.
    pub comparison: Result<Comparison, String>,
}

/// One period of a segment against an earlier period of the same segment, by their keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentChange {
    /// The keys before the period: the segment (empty for periods alone).
    pub segment: Vec<u32>,
    /// The earlier period's number (the last key).
    pub from: u32,
    /// The later period's number.
    pub to: u32,
    /// Later minus earlier; or why there is none, for a person to read.
    pub comparison: Result<Comparison, String>,
}

fn nothing_to(needed_for: &str) -> Error {
    Error::MissingInput {
        what: "a span of at least one period".to_owned(),
        needed_for: needed_for.to_owned(),
    }
}

/// The comparison of two states' results, or why there is none.
fn compare<T: Segmented>(
    later: &T,
    earlier: &T,
    level: f64,
    method: T::Method,
) -> Result<Comparison, String> {
    match (later.finish(), earlier.finish()) {
        (Ok(a), Ok(b)) => T::compare(&a, &b, level, method).map_err(|e| e.to_string()),
        (Err(e), _) | (_, Err(e)) => Err(format!("a period has no estimate: {e}")),
    }
}

/// Each period (one state per consecutive period, as [`crate::ScoreState::by_group`] gives
/// them over [`crate::bucket_periods`] codes) against the one `lag` periods before it, where
/// both have responses: `lag` 1 for single periods, N for trailing windows of N periods.
///
/// # Errors
/// [`Error::MissingInput`] for a lag of 0.
///
/// # Examples
/// ```
/// use cxm_core::{period_changes, Missing, NpsMethod, NpsState, ScoreState};
/// let scores = [10_u8, 9, 3, 8, 10, 0, 6, 9];
/// let month = [0_u32, 0, 0, 1, 1, 1, 2, 2];
/// let states = NpsState::new().by_group(&scores, None, &month, 3, Missing::Reject)?;
/// let changes = period_changes(&states, 1, 0.95, NpsMethod::AdjustedWald)?;
/// assert_eq!(changes.iter().map(|c| (c.from, c.to)).collect::<Vec<_>>(), [(0, 1), (1, 2)]);
/// assert_eq!(period_changes(&states, 2, 0.95, NpsMethod::AdjustedWald)?.len(), 1);
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn period_changes<T: Segmented>(
    states: &[T],
    lag: usize,
    level: f64,
    method: T::Method,
) -> Result<Vec<Change>, Error> {
    if lag == 0 {
        return Err(nothing_to("comparing periods"));
    }
    Ok((lag..states.len())
        .map(|to| (to - lag, to))
        .filter(|&(from, to)| states[from].n() > 0 && states[to].n() > 0)
        .map(|(from, to)| Change {
            from,
            to,
            comparison: compare(&states[to], &states[from], level, method),
        })
        .collect())
}

/// Trailing windows of `window` periods: state `i` merges states `i + 1 − window ..= i` (fewer
/// at the start), so that a rolling figure is the exact figure of its periods' responses.
///
/// # Errors
/// [`Error::IncompatibleStates`] for states that do not merge; [`Error::MissingInput`] for a
/// window of 0 periods.
pub fn rolling<T: State>(states: &[T], window: usize) -> Result<Vec<T>, Error> {
    if window == 0 {
        return Err(nothing_to("trailing windows"));
    }
    let mut out = Vec::with_capacity(states.len());
    for i in 0..states.len() {
        let first = (i + 1).saturating_sub(window);
        let mut merged = states[first].clone();
        for state in &states[first + 1..=i] {
            merged.merge(state)?;
        }
        out.push(merged);
    }
    Ok(out)
}

/// The first period of the trailing window of `window` periods that ends with period `last`:
/// `last − (window − 1)`, from period 0 (a window at the start holds fewer periods).
///
/// ```
/// assert_eq!(cxm_core::window_start(7, 3), 5);
/// assert_eq!(cxm_core::window_start(1, 3), 0);
/// ```
#[must_use]
pub fn window_start(last: u32, window: usize) -> u32 {
    last.saturating_sub(u32::try_from(window.saturating_sub(1)).unwrap_or(u32::MAX))
}

/// The groups of `keys` (the last key a period number) as series: runs of the same segment,
/// each in period order. Groups with no keys are in none.
fn series(keys: &[Vec<u32>]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..keys.len()).filter(|&g| !keys[g].is_empty()).collect();
    // Already in order when the keys come from `states_by_keys`; any order is accepted.
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    let segment = |g: usize| &keys[g][..keys[g].len() - 1];
    order.chunk_by(|&a, &b| segment(a) == segment(b)).map(<[usize]>::to_vec).collect()
}

/// The period number of group `g`.
fn period(keys: &[Vec<u32>], g: usize) -> u32 {
    keys[g][keys[g].len() - 1]
}

/// The periods of every segment, as trailing windows (with `window`) and each compared with an
/// earlier one: the groups' states (one per group of `keys`, whose last key is a period number
/// such as [`crate::bucket_periods`] gives) with each replaced by the merge of its segment's
/// states over the `window` periods that end with it; and each period of a segment against the
/// one `window` periods before it (1 without windows), where that period has a group and both
/// have responses. A period with no group has no row and no change; within a window it counts
/// as a period with no responses.
///
/// # Errors
/// [`Error::MissingInput`] for a window of 0 periods; [`Error::IncompatibleStates`] for states
/// that do not merge.
///
/// # Examples
/// ```
/// use cxm_core::{period_trend, states_by_keys, Missing, NpsMethod, NpsState, State};
/// let scores = [10_u8, 9, 3, 8, 10, 0, 6, 9];
/// let region = [0_u32, 0, 0, 0, 1, 1, 1, 1];
/// let month = [0_u32, 1, 2, 3, 0, 1, 3, 3]; // region 1 has no response in month 2
/// let (keys, states) =
///     states_by_keys(&NpsState::new(), &scores, None, &[&region, &month], Missing::Reject)?;
/// let (windows, changes) = period_trend(&keys, &states, Some(2), 0.95, NpsMethod::Wald)?;
/// assert_eq!(windows[3].n(), 2); // region 0, months 2 and 3
/// let pairs: Vec<_> = changes.iter().map(|c| (c.segment.clone(), c.from, c.to)).collect();
/// assert_eq!(pairs, [(vec![0], 0, 2), (vec![0], 1, 3), (vec![1], 1, 3)]);
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn period_trend<T: Segmented>(
    keys: &[Vec<u32>],
    states: &[T],
    window: Option<usize>,
    level: f64,
    method: T::Method,
) -> Result<(Vec<T>, Vec<SegmentChange>), Error> {
    if window == Some(0) {
        return Err(nothing_to("trailing windows"));
    }
    let mut windows = states.to_vec();
    let mut changes = Vec::new();
    for run in series(keys) {
        if let Some(width) = window {
            let mut first = 0;
            for (i, &g) in run.iter().enumerate() {
                let start = window_start(period(keys, g), width);
                while period(keys, run[first]) < start {
                    first += 1;
                }
                let mut merged = states[run[first]].clone();
                for &other in &run[first + 1..=i] {
                    merged.merge(&states[other])?;
                }
                windows[g] = merged;
            }
        }
        let lag = i64::try_from(window.unwrap_or(1)).unwrap_or(i64::MAX);
        for &to in &run {
            let before = i64::from(period(keys, to)) - lag;
            let Ok(from) = run.binary_search_by(|&g| i64::from(period(keys, g)).cmp(&before))
            else {
                continue;
            };
            let (earlier, later) = (&windows[run[from]], &windows[to]);
            if earlier.n() > 0 && later.n() > 0 {
                changes.push(SegmentChange {
                    segment: keys[to][..keys[to].len() - 1].to_vec(),
                    from: period(keys, run[from]),
                    to: period(keys, to),
                    comparison: compare(later, earlier, level, method),
                });
            }
        }
    }
    Ok((windows, changes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Missing, NpsMethod, NpsState, ScoreState};

    #[test]
    fn windows_skip_missing_periods_and_keys_in_any_order() {
        let scores = [10_u8, 0, 9, 7];
        // Months 5, 7 and 8 of one segment, given out of order, and one group with no keys.
        let keys = vec![vec![0, 8], vec![0, 5], vec![], vec![0, 7]];
        let states = NpsState::new().by_group(&scores, None, &[0, 1, 2, 3], 4, Missing::Reject);
        let states = states.unwrap();
        let (windows, changes) =
            period_trend(&keys, &states, Some(2), 0.95, NpsMethod::Wald).unwrap();
        // Month 7's window is months 6 and 7: month 5 is out of it.
        assert_eq!(windows[3], states[3]);
        let mut both = states[3].clone();
        both.merge(&states[0]).unwrap();
        assert_eq!(windows[0], both);
        assert_eq!(windows[2], states[2]);
        // Month 7 against month 5: the only pair two periods apart.
        assert_eq!(changes.iter().map(|c| (c.from, c.to)).collect::<Vec<_>>(), [(5, 7)]);
        assert!(period_trend(&keys, &states, Some(0), 0.95, NpsMethod::Wald).is_err());
        assert!(period_changes(&states, 0, 0.95, NpsMethod::Wald).is_err());
    }
}
