//! Segments and periods for `cxm.nps_by`, `csat_by` and `ces_by` (cxm/_segments.py reads the
//! columns and factorises the keys), and `cxm.adjust_p_values`: conversion only, the core
//! groups, compares and adjusts.

use cxm_core::{
    bucket_periods, period_label, period_trend, segment_table_within, states_by_keys, Adjustment,
    Compare, Missing, NpsMethod, NpsState, Period, ProportionMethod, RatingState, Scale,
    SegmentOptions, SegmentRow, Segmented,
};
use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::args::float_argument;
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

/// What `cxm.nps_by`, `csat_by` and `ces_by` ask of the core, already converted.
pub(crate) struct Request<'a> {
    keys: Vec<&'a [u32]>,
    options: SegmentOptions,
    baseline: Option<Vec<u32>>,
    /// Whether the last key is a period, whose changes are wanted.
    periods: bool,
    /// Trailing windows of this many periods, merged from states.
    rolling: Option<usize>,
}

/// The table's rows as Python columns, the overall row, and the period changes.
fn table<'py, T: Segmented + Send + Sync>(
    py: Python<'py>,
    prototype: &T,
    scores: &Bound<'py, PyAny>,
    weights: Option<&Bound<'py, PyAny>>,
    missing: Missing,
    request: &Request<'_>,
    method: T::Method,
) -> PyResult<Bound<'py, PyDict>>
where
    T::Method: Send + Sync,
{
    let error = |e: cxm_core::Error| py_error(py, &e);
    let (mut keys, states) = with_weights(py, weights, |weights| {
        with_scores(py, scores, |s| {
            compute(py, s.len(), || {
                on_scores!(s, |s| states_by_keys(prototype, s, weights, &request.keys, missing))
            })
        })
    })??
    .map_err(|e| labelled(py, py_error(py, &e), scores, weights))?;
    let mut all = prototype.clone();
    for state in &states {
        all.merge(state).map_err(error)?;
    }
    // Periods as trailing windows, and each compared with an earlier one, by the core.
    let (states, changes) = if request.periods {
        let (windows, changes) =
            period_trend(&keys, &states, request.rolling, request.options.level, method)
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
    let out = PyDict::new(py);
    let rows: Vec<&SegmentRow> = table.rows.iter().collect();
    // One column of codes per key, for the caller's labels.
    let width = keys.first().map_or(0, Vec::len);
    let key_columns = (0..width)
        .map(|j| {
            let codes: Vec<u32> = rows.iter().map(|r| keys[r.group.unwrap_or(0)][j]).collect();
            codes.into_pyarray(py)
        })
        .collect::<Vec<_>>();
    out.set_item("keys", key_columns)?;
    out.set_item("columns", row_columns(py, &rows)?)?;
    out.set_item("overall", row_columns(py, &[&table.overall])?)?;
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
    keys.clear();
    Ok(out)
}

/// The rows' fields as columns.
fn row_columns<'py>(py: Python<'py>, rows: &[&SegmentRow]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let f = |get: fn(&SegmentRow) -> f64| {
        rows.iter().map(|r| get(r)).collect::<Vec<f64>>().into_pyarray(py)
    };
    d.set_item("n", rows.iter().map(|r| r.n).collect::<Vec<u64>>().into_pyarray(py))?;
    d.set_item("effective_n", f(|r| r.effective_n))?;
    d.set_item("estimate", f(|r| r.estimate))?;
    d.set_item("standard_error", f(|r| r.standard_error))?;
    d.set_item("lower", f(|r| r.lower))?;
    d.set_item("upper", f(|r| r.upper))?;
    d.set_item("difference", f(|r| r.difference))?;
    d.set_item("p_value", f(|r| r.p_value))?;
    d.set_item("p_adjusted", f(|r| r.p_adjusted))?;
    d.set_item("small", rows.iter().map(|r| r.small).collect::<Vec<bool>>().into_pyarray(py))?;
    d.set_item("note", rows.iter().map(|r| r.note.clone()).collect::<Vec<Option<String>>>())?;
    Ok(d)
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
    scale: Option<(i64, i64, Option<i64>, bool)>,
) -> PyResult<Bound<'py, PyDict>> {
    let error = |e: cxm_core::Error| py_error(py, &e);
    let missing: Missing = missing.parse().map_err(error)?;
    let compare = match compare {
        // A baseline is replaced by its group below.
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
    let arrays =
        keys.iter().map(|k| crate::states::group_numbers(py, k)).collect::<PyResult<Vec<_>>>()?;
    let keys = arrays.iter().map(|a| Ok(a.as_slice()?)).collect::<PyResult<Vec<&[u32]>>>()?;
    let request = Request { keys, options, baseline, periods, rolling };
    if metric == "nps" {
        let method = method.map_or(Ok(NpsMethod::default()), str::parse).map_err(error)?;
        return table(py, &NpsState::new(), scores, weights, missing, &request, method);
    }
    let Some((min, max, threshold, higher)) = scale else {
        return Err(pyo3::exceptions::PyTypeError::new_err("a rating needs its scale"));
    };
    let default = if metric == "ces" { Scale::ces() } else { Scale::csat() };
    let scale = Scale::or_default(default, min, max, threshold, higher).map_err(error)?;
    let method = method.map_or(Ok(ProportionMethod::default()), str::parse).map_err(error)?;
    table(py, &RatingState::new(scale), scores, weights, missing, &request, method)
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
