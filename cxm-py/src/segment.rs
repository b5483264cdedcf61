//! Segments and periods for `cxm.nps_by`, `csat_by` and `ces_by` (cxm/_segments.py reads the
//! columns and factorises the keys), and `cxm.adjust_p_values`: conversion only, the core
//! groups, compares and adjusts.

use cxm_core::{
    bucket_periods, merged, period_label, period_trend, segment_table_within, states_by_keys,
    window_start, Adjustment, Compare, Missing, NpsMethod, NpsState, Period, ProportionMethod,
    RatingState, ScoreState, SegmentOptions, SegmentRow, SegmentTable, Segmented, State,
};
use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use std::num::NonZeroU64;

use crate::args::{float_argument, rating_scale, ScaleArgument};
use crate::input::{compute, labelled, on_scores, with_scores, with_weights};
use crate::py_error;

/// p-values adjusted for their number, as statsmodels' `multipletests(p, method=...)[1]`:
/// `"holm"` (the default: the family-wise error rate, under any dependence), `"fdr_bh"`
/// (Benjamini-Hochberg: the false discovery rate) or `"none"`. Returns a list in the order given.
#[pyfunction]
#[pyo3(signature = (p_values, method = "holm"))]
pub(crate) fn adjust_p_values(
    py: Python<'_>,
    p_values: &Bound<'_, PyAny>,
    method: &str,
) -> PyResult<Vec<f64>> {
    let method: Adjustment = method.parse().map_err(|e| py_error(py, &e))?;
    let p = p_values
        .try_iter()?
        .map(|item| float_argument(&item?, "p-value"))
        .collect::<PyResult<Vec<f64>>>()?;
    cxm_core::adjust_p_values(&p, method).map_err(|e| py_error(py, &e))
}

/// Evaluates `$job` on the scores (`$s`, as their own type) and weights (`$w`) read from
/// Python, without the GIL when they are many; the core's error is labelled with the column it
/// names.
macro_rules! on_columns {
    ($py:expr, $scores:expr, $weights:expr, |$s:ident, $w:ident| $job:expr) => {
        with_weights($py, $weights, |$w| {
            with_scores($py, $scores, |s| compute($py, s.len(), || on_scores!(s, |$s| $job)))
        })??
        .map_err(|e| labelled($py, py_error($py, &e), $scores, $weights))
    };
}

/// What `cxm.nps_by`, `csat_by` and `ces_by` ask of the core, already converted.
pub(crate) struct Request {
    options: SegmentOptions,
    baseline: Option<Vec<u32>>,
    /// Whether the last key is a period, whose changes are wanted.
    periods: bool,
    /// Trailing windows of this many periods, merged from states.
    rolling: Option<usize>,
}

/// The table's rows as Python columns, the overall row, and the period changes.
#[allow(clippy::too_many_arguments)] // the scores, the keys, and what to do with them
fn table<'py, T: Segmented + Send + Sync>(
    py: Python<'py>,
    prototype: &T,
    scores: &Bound<'py, PyAny>,
    weights: Option<&Bound<'py, PyAny>>,
    keys: &[&[u32]],
    missing: Missing,
    request: &Request,
    method: T::Method,
) -> PyResult<Bound<'py, PyDict>>
where
    T::Method: Send + Sync,
{
    // One column of codes, no periods and no baseline: the table straight from the counts.
    if let ([codes], false, None) = (keys, request.periods, &request.baseline) {
        let options = &request.options;
        let by_code = on_columns!(py, scores, weights, |s, w| {
            prototype.table_by_code(s, w, codes, missing, options, method)
        })?;
        if let Some((codes, table)) = by_code {
            return table_dict(py, &table, 1, |g, _| codes[g]);
        }
    }
    let (keys, states) = group_states(py, prototype, scores, weights, keys, missing)?;
    table_of_states(py, prototype, &keys, states, request, method)
}

/// One state per group of `keys` with responses, and each group's keys, in key order.
fn group_states<T: Segmented + Send + Sync>(
    py: Python<'_>,
    prototype: &T,
    scores: &Bound<'_, PyAny>,
    weights: Option<&Bound<'_, PyAny>>,
    keys: &[&[u32]],
    missing: Missing,
) -> PyResult<(Vec<Vec<u32>>, Vec<T>)> {
    on_columns!(py, scores, weights, |s, w| states_by_keys(prototype, s, w, keys, missing))
}

/// The table of the groups' states (one per group of `keys`, in key order), as
/// `_segment_table` returns it.
fn table_of_states<'py, T: Segmented + Send + Sync>(
    py: Python<'py>,
    prototype: &T,
    keys: &[Vec<u32>],
    states: Vec<T>,
    request: &Request,
    method: T::Method,
) -> PyResult<Bound<'py, PyDict>>
where
    T::Method: Send + Sync,
{
    let error = |e: cxm_core::Error| py_error(py, &e);
    let all = py.detach(|| merged(prototype, &states)).map_err(error)?;
    // Periods as trailing windows, and each compared with an earlier one, by the core.
    let (states, changes) = if request.periods {
        let (windows, changes) =
            period_trend(keys, &states, request.rolling, request.options.level, method)
                .map_err(error)?;
        (windows, Some(changes))
    } else {
        (states, None)
    };
    let mut options = request.options;
    if let Some(baseline) = &request.baseline {
        let g = keys.iter().position(|k| k == baseline).ok_or_else(|| {
            error(cxm_core::Error::MissingInput {
                what: "responses in the baseline segment".to_owned(),
                needed_for: "comparing segments with a baseline".to_owned(),
            })
        })?;
        options.compare = Compare::Baseline(g);
    }
    let table =
        py.detach(|| segment_table_within(&states, &all, &options, method)).map_err(error)?;
    let width = keys.first().map_or(0, Vec::len);
    let out = table_dict(py, &table, width, |g, j| keys[g][j])?;
    // With trailing windows, each row's first period, by the core's rule.
    if let (true, Some(window)) = (request.periods, request.rolling) {
        let starts: Vec<u32> = table
            .rows
            .iter()
            .map(|r| keys[r.group.unwrap_or(0)].last().map_or(0, |&p| window_start(p, window)))
            .collect();
        out.set_item("window_start", starts.into_pyarray(py))?;
    }
    if let Some(changes) = changes {
        let list = PyList::empty(py);
        for change in changes {
            let row = PyDict::new(py);
            row.set_item("keys", change.segment)?;
            row.set_item("from", change.from)?;
            row.set_item("to", change.to)?;
            match change.comparison {
                Ok(c) => {
                    row.set_item("difference", c.estimate)?;
                    row.set_item("lower", c.interval.lower)?;
                    row.set_item("upper", c.interval.upper)?;
                    row.set_item("p_value", c.p_value)?;
                    row.set_item("note", py.None())?;
                }
                Err(why) => {
                    for key in ["difference", "lower", "upper", "p_value"] {
                        row.set_item(key, f64::NAN)?;
                    }
                    row.set_item("note", why)?;
                }
            }
            list.append(row)?;
        }
        out.set_item("changes", list)?;
    }
    Ok(out)
}

/// The table as `_segment_table` returns it: one column of codes per key (`key(group, j)`, of
/// `width` keys), the rows' columns and the overall row.
fn table_dict<'py>(
    py: Python<'py>,
    table: &SegmentTable,
    width: usize,
    key: impl Fn(usize, usize) -> u32,
) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    let rows = &table.rows;
    let key_columns = (0..width)
        .map(|j| {
            let codes: Vec<u32> = rows.iter().map(|r| key(r.group.unwrap_or(0), j)).collect();
            codes.into_pyarray(py)
        })
        .collect::<Vec<_>>();
    out.set_item("keys", key_columns)?;
    out.set_item("columns", row_columns(py, rows)?)?;
    out.set_item("overall", row_columns(py, std::slice::from_ref(&table.overall))?)?;
    Ok(out)
}

/// The rows' fields as columns, read in one pass over the rows.
fn row_columns<'py>(py: Python<'py>, rows: &[SegmentRow]) -> PyResult<Bound<'py, PyDict>> {
    const FLOATS: [&str; 8] = [
        "effective_n",
        "estimate",
        "standard_error",
        "lower",
        "upper",
        "difference",
        "p_value",
        "p_adjusted",
    ];
    let mut floats: [Vec<f64>; 8] = std::array::from_fn(|_| Vec::with_capacity(rows.len()));
    let mut n = Vec::with_capacity(rows.len());
    let mut small = Vec::with_capacity(rows.len());
    let mut note = Vec::with_capacity(rows.len());
    for r in rows {
        let values = [
            r.effective_n,
            r.estimate,
            r.standard_error,
            r.lower,
            r.upper,
            r.difference,
            r.p_value,
            r.p_adjusted,
        ];
        floats.iter_mut().zip(values).for_each(|(column, v)| column.push(v));
        n.push(r.n);
        small.push(r.small);
        note.push(r.note.as_deref());
    }
    let d = PyDict::new(py);
    d.set_item("n", n.into_pyarray(py))?;
    for (name, column) in FLOATS.into_iter().zip(floats) {
        d.set_item(name, column.into_pyarray(py))?;
    }
    d.set_item("small", small.into_pyarray(py))?;
    d.set_item("note", note)?;
    Ok(d)
}

/// The metric of a table: its empty state (with its scale) and interval method, from the
/// names Python passes; every default is the core's.
enum Prototype {
    Nps(NpsState, NpsMethod),
    Rating(RatingState, ProportionMethod),
}

impl Prototype {
    fn new(
        py: Python<'_>,
        metric: &str,
        method: Option<&str>,
        scale: Option<ScaleArgument>,
    ) -> PyResult<Self> {
        let parse = |e: cxm_core::Error| py_error(py, &e);
        if metric == "nps" {
            let method = method.map_or(Ok(NpsMethod::default()), str::parse).map_err(parse)?;
            return Ok(Prototype::Nps(NpsState::new(), method));
        }
        let Some(scale) = scale else {
            return Err(pyo3::exceptions::PyTypeError::new_err("a rating needs its scale"));
        };
        let scale = rating_scale(py, metric, scale)?;
        let method = method.map_or(Ok(ProportionMethod::default()), str::parse).map_err(parse)?;
        Ok(Prototype::Rating(RatingState::new(scale), method))
    }
}

/// The table's options from their Python names.
#[allow(clippy::too_many_arguments)] // each is one keyword argument of `nps_by`
fn request(
    py: Python<'_>,
    level: f64,
    compare: &str,
    baseline: Option<Vec<u32>>,
    adjust: &str,
    min_n: u64,
    periods: bool,
    rolling: Option<usize>,
) -> PyResult<Request> {
    let error = |e: cxm_core::Error| py_error(py, &e);
    let compare = match compare {
        // A baseline is replaced by its group when the groups are known.
        "rest" | "baseline" => Compare::Rest,
        "overall" => Compare::Overall,
        other => {
            return Err(error(cxm_core::Error::UnknownName {
                option: "comparison".to_owned(),
                name: other.to_owned(),
                expected: "rest, overall, baseline".to_owned(),
            }))
        }
    };
    let options = SegmentOptions {
        level,
        compare,
        adjustment: adjust.parse::<Adjustment>().map_err(error)?,
        min_n,
    };
    Ok(Request { options, baseline, periods, rolling })
}

/// Key columns as `u32` slices, read in place where they are contiguous `uint32` arrays.
fn key_arrays<'py>(
    py: Python<'py>,
    keys: &[Bound<'py, PyAny>],
) -> PyResult<Vec<numpy::PyReadonlyArray1<'py, u32>>> {
    keys.iter().map(|k| crate::states::group_numbers(py, k)).collect()
}

/// The key arrays as slices.
fn slices<'a>(arrays: &'a [numpy::PyReadonlyArray1<'_, u32>]) -> PyResult<Vec<&'a [u32]>> {
    arrays.iter().map(|a| Ok(a.as_slice()?)).collect()
}

/// The segment table of NPS or ratings, for `cxm.nps_by`, `csat_by` and `ces_by` (the Python
/// side reads the columns and factorises the keys; the core does the rest).
#[pyfunction]
#[pyo3(signature = (metric, scores, weights, keys, *, missing, level, method, compare, baseline, adjust, min_n, periods, rolling, scale = None))]
#[allow(clippy::too_many_arguments, clippy::needless_pass_by_value)] // PyO3 takes them so
pub(crate) fn _segment_table<'py>(
    py: Python<'py>,
    metric: &str,
    scores: &Bound<'py, PyAny>,
    weights: Option<&Bound<'py, PyAny>>,
    keys: Vec<Bound<'py, PyAny>>,
    missing: &str,
    level: f64,
    method: Option<&str>,
    compare: &str,
    baseline: Option<Vec<u32>>,
    adjust: &str,
    min_n: u64,
    periods: bool,
    rolling: Option<usize>,
    scale: Option<ScaleArgument>,
) -> PyResult<Bound<'py, PyDict>> {
    let missing: Missing = missing.parse().map_err(|e| py_error(py, &e))?;
    let request = request(py, level, compare, baseline, adjust, min_n, periods, rolling)?;
    let arrays = key_arrays(py, &keys)?;
    let keys = slices(&arrays)?;
    match Prototype::new(py, metric, method, scale)? {
        Prototype::Nps(empty, method) => {
            table(py, &empty, scores, weights, &keys, missing, &request, method)
        }
        Prototype::Rating(empty, method) => {
            table(py, &empty, scores, weights, &keys, missing, &request, method)
        }
    }
}

/// A partition's groups: one column of codes per key, and each group's state as bytes.
type PartitionStates<'py> = (Vec<Bound<'py, numpy::PyArray1<u32>>>, Vec<Bound<'py, PyBytes>>);

/// Groups' key codes as one column per key, and their states as bytes.
fn out<T: State>(
    py: Python<'_>,
    (keys, states): (Vec<Vec<u32>>, Vec<T>),
    width: usize,
) -> PartitionStates<'_> {
    let columns = (0..width)
        .map(|j| keys.iter().map(|k| k[j]).collect::<Vec<u32>>().into_pyarray(py))
        .collect();
    (columns, states.iter().map(|s| PyBytes::new(py, &s.to_bytes())).collect())
}

/// The state of each group of `keys` with responses, as bytes in the documented format, and
/// each group's key codes as one column per key: a partition's share of an engine's job
/// (`cxm.spark`, `cxm.dask`), merged later by `_states_table`.
#[pyfunction]
#[pyo3(signature = (metric, scores, weights, keys, *, missing, scale = None))]
#[allow(clippy::needless_pass_by_value)] // PyO3 takes them so
pub(crate) fn _group_states<'py>(
    py: Python<'py>,
    metric: &str,
    scores: &Bound<'py, PyAny>,
    weights: Option<&Bound<'py, PyAny>>,
    keys: Vec<Bound<'py, PyAny>>,
    missing: &str,
    scale: Option<ScaleArgument>,
) -> PyResult<PartitionStates<'py>> {
    let missing: Missing = missing.parse().map_err(|e| py_error(py, &e))?;
    let arrays = key_arrays(py, &keys)?;
    let keys = slices(&arrays)?;
    Ok(match Prototype::new(py, metric, None, scale)? {
        Prototype::Nps(empty, _) => {
            out(py, group_states(py, &empty, scores, weights, &keys, missing)?, keys.len())
        }
        Prototype::Rating(empty, _) => {
            out(py, group_states(py, &empty, scores, weights, &keys, missing)?, keys.len())
        }
    })
}

/// The states of counted responses: row `i` is `counts[i]` responses of `scores[i]` in the
/// group of the keys' row `i`. A score skipped as missing gives no state.
fn counted<T: ScoreState>(
    empty: &T,
    scores: &[f64],
    counts: &[u64],
    keys: &[&[u32]],
    missing: Missing,
) -> Result<(Vec<Vec<u32>>, Vec<T>), cxm_core::Error> {
    let mut out: (Vec<Vec<u32>>, Vec<T>) = (Vec::new(), Vec::new());
    for (i, (&score, &count)) in scores.iter().zip(counts).enumerate() {
        let Some(times) = NonZeroU64::new(count) else { continue };
        let mut one = empty.clone();
        one.add_one(score, None, missing)?;
        if one.n() > 0 {
            out.0.push(keys.iter().map(|k| k[i]).collect());
            out.1.push(one.repeated(times)?);
        }
    }
    Ok(out)
}

/// The state of each row of counted responses (an engine's own `groupBy(keys, score).count()`:
/// `counts[i]` responses of `scores[i]` in the group of the keys' row `i`) as bytes, with its
/// key codes, as `_group_states` gives them: exact, since the counts are integers. Several rows
/// of a group are merged by `_states_table`.
#[pyfunction]
#[pyo3(signature = (metric, scores, counts, keys, *, missing, scale = None))]
#[allow(clippy::needless_pass_by_value)] // PyO3 takes them so
pub(crate) fn _count_states<'py>(
    py: Python<'py>,
    metric: &str,
    scores: Vec<f64>,
    counts: Vec<u64>,
    keys: Vec<Bound<'py, PyAny>>,
    missing: &str,
    scale: Option<ScaleArgument>,
) -> PyResult<PartitionStates<'py>> {
    let error = |e: cxm_core::Error| py_error(py, &e);
    let missing: Missing = missing.parse().map_err(error)?;
    let arrays = key_arrays(py, &keys)?;
    let keys = slices(&arrays)?;
    if let Some(len) =
        [counts.len()].into_iter().chain(keys.iter().map(|k| k.len())).find(|&l| l != scores.len())
    {
        return Err(error(cxm_core::Error::ColumnLengthMismatch {
            column: "counts or keys".to_owned(),
            len,
            expected: scores.len(),
            first: "scores".to_owned(),
        }));
    }
    Ok(match Prototype::new(py, metric, None, scale)? {
        Prototype::Nps(empty, _) => {
            out(py, counted(&empty, &scores, &counts, &keys, missing).map_err(error)?, keys.len())
        }
        Prototype::Rating(empty, _) => {
            out(py, counted(&empty, &scores, &counts, &keys, missing).map_err(error)?, keys.len())
        }
    })
}

/// States read from bytes, those of the same keys merged, in key order.
fn merged_states<T: Segmented>(
    py: Python<'_>,
    keys: &[&[u32]],
    states: &[Vec<u8>],
) -> PyResult<(Vec<Vec<u32>>, Vec<T>)> {
    let error = |e: cxm_core::Error| py_error(py, &e);
    let rows = states.len();
    if let Some(column) = keys.iter().find(|k| k.len() != rows) {
        return Err(error(cxm_core::Error::ColumnLengthMismatch {
            column: "keys".to_owned(),
            len: column.len(),
            expected: rows,
            first: "states".to_owned(),
        }));
    }
    let mut groups: Vec<(Vec<u32>, T)> = Vec::with_capacity(rows);
    for (i, bytes) in states.iter().enumerate() {
        let state = T::from_bytes(bytes).map_err(error)?;
        groups.push((keys.iter().map(|k| k[i]).collect(), state));
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: (Vec<Vec<u32>>, Vec<T>) = (Vec::new(), Vec::new());
    for (key, state) in groups {
        if out.0.last() == Some(&key) {
            // Exact merges: the order in which partitions arrive changes no bit.
            out.1.last_mut().map_or(Ok(()), |last| last.merge(&state)).map_err(error)?;
        } else {
            out.0.push(key);
            out.1.push(state);
        }
    }
    Ok(out)
}

/// The segment table of partial states (`_group_states`' bytes from any number of partitions,
/// each group's key codes in `keys`, several states per group merged), as `_segment_table`
/// returns it: the same bits as `_segment_table` over all the responses at once.
#[pyfunction]
#[pyo3(signature = (metric, keys, states, *, level, method, compare, baseline, adjust, min_n, periods, rolling, scale = None))]
#[allow(clippy::too_many_arguments, clippy::needless_pass_by_value)] // PyO3 takes them so
pub(crate) fn _states_table<'py>(
    py: Python<'py>,
    metric: &str,
    keys: Vec<Bound<'py, PyAny>>,
    states: Vec<Vec<u8>>,
    level: f64,
    method: Option<&str>,
    compare: &str,
    baseline: Option<Vec<u32>>,
    adjust: &str,
    min_n: u64,
    periods: bool,
    rolling: Option<usize>,
    scale: Option<ScaleArgument>,
) -> PyResult<Bound<'py, PyDict>> {
    let request = request(py, level, compare, baseline, adjust, min_n, periods, rolling)?;
    let arrays = key_arrays(py, &keys)?;
    let keys = slices(&arrays)?;
    match Prototype::new(py, metric, method, scale)? {
        Prototype::Nps(empty, method) => {
            let (keys, states) = merged_states::<NpsState>(py, &keys, &states)?;
            table_of_states(py, &empty, &keys, states, &request, method)
        }
        Prototype::Rating(empty, method) => {
            let (keys, states) = merged_states::<RatingState>(py, &keys, &states)?;
            table_of_states(py, &empty, &keys, states, &request, method)
        }
    }
}

/// The ISO 8601 label of each period number, and the dense codes of `times` (seconds since the
/// epoch) with the first period's number, for `cxm.nps_by(period=...)`.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // PyO3 converts the list into a Vec
pub(crate) fn _bucket_periods(
    py: Python<'_>,
    times: Vec<i64>,
    freq: &str,
    utc_offset: i32,
) -> PyResult<(Vec<u32>, i64, Vec<String>)> {
    let error = |e: cxm_core::Error| py_error(py, &e);
    let period: Period = freq.parse().map_err(error)?;
    let (codes, first) = bucket_periods(&times, period, utc_offset).map_err(error)?;
    let last = codes.iter().copied().max().unwrap_or(0);
    let labels = (0..=i64::from(last)).map(|i| period_label(first + i, period)).collect();
    Ok((codes, first, labels))
}

/// The ISO 8601 labels of periods `first..=last` (period numbers, as `_bucket_periods` gives
/// the first), for tables merged from partitions.
#[pyfunction]
pub(crate) fn _period_labels(
    py: Python<'_>,
    first: i64,
    last: i64,
    freq: &str,
) -> PyResult<Vec<String>> {
    let error = |e: cxm_core::Error| py_error(py, &e);
    let period: Period = freq.parse().map_err(error)?;
    // A label per period of the span: as many as `_bucket_periods` would number.
    let span = last.checked_sub(first).filter(|s| (0..i64::from(u32::MAX)).contains(s));
    let Some(span) = span else {
        return Err(error(cxm_core::Error::OutsideSupportedRange {
            quantity: "span of periods".to_owned(),
            value: (i128::from(last) - i128::from(first)) as f64,
            supported: format!("0..{} periods", u32::MAX),
        }));
    };
    Ok((0..=span).map(|i| period_label(first + i, period)).collect())
}
