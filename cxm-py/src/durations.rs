//! `cxm.durations`: converts the records and delegates to the core's `durations`; the result
//! classes are plain Python (cxm/_durations.py), built from the dict returned here.

use cxm_core::{Durations, SurvivalPercentile, Transform};
use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::input::{compute, with_durations, with_weights};
use crate::py_error;

fn percentile<'py>(py: Python<'py>, p: &SurvivalPercentile) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("percent", p.percent)?;
    d.set_item("estimate", p.estimate)?;
    d.set_item("lower", p.lower)?;
    d.set_item("upper", p.upper)?;
    Ok(d)
}

/// The core's `Durations` as plain Python data (the field names are the core's).
fn to_python<'py>(
    py: Python<'py>,
    d: &Durations,
    level: f64,
    transform: Transform,
) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("records", d.records)?;
    out.set_item("open", d.open)?;
    let mean = match &d.mean {
        Some(m) => {
            let mean = PyDict::new(py);
            mean.set_item("estimate", m.estimate)?;
            mean.set_item("standard_deviation", m.standard_deviation)?;
            mean.set_item("interval", m.interval.map(|i| (i.lower, i.upper)))?;
            Some(mean)
        }
        None => None,
    };
    out.set_item("mean", mean)?;
    out.set_item("median", percentile(py, &d.median)?)?;
    let rows = d.percentiles.iter().map(|p| percentile(py, p)).collect::<PyResult<Vec<_>>>()?;
    out.set_item("percentiles", rows)?;
    let within = match &d.within {
        Some(w) => {
            let within = PyDict::new(py);
            within.set_item("seconds", w.seconds)?;
            within.set_item("share", w.share)?;
            within.set_item("interval", (w.interval.lower, w.interval.upper))?;
            Some(within)
        }
        None => None,
    };
    out.set_item("within", within)?;
    let curve = match &d.curve {
        Some(km) => {
            let band = km.band(level, transform).map_err(|e| py_error(py, &e))?;
            let column = |f: fn(&cxm_core::Step) -> f64| {
                km.steps.iter().map(f).collect::<Vec<f64>>().into_pyarray(py)
            };
            let c = PyDict::new(py);
            c.set_item("time", column(|s| s.time))?;
            c.set_item("at_risk", column(|s| s.at_risk))?;
            c.set_item("resolved", column(|s| s.resolved))?;
            c.set_item("open", column(|s| s.open))?;
            c.set_item("survival", column(|s| s.survival))?;
            c.set_item("greenwood", column(|s| s.greenwood))?;
            c.set_item(
                "lower",
                band.iter().map(|b| b.lower).collect::<Vec<f64>>().into_pyarray(py),
            )?;
            c.set_item(
                "upper",
                band.iter().map(|b| b.upper).collect::<Vec<f64>>().into_pyarray(py),
            )?;
            Some(c)
        }
        None => None,
    };
    out.set_item("curve", curve)?;
    Ok(out)
}

/// The core's `durations` of `seconds` (any numbers), `open` (a contiguous bool array or None)
/// and `weights`, for `cxm.durations`.
#[pyfunction]
#[pyo3(signature = (seconds, open, weights, percentiles, within, level, conf_type))]
#[allow(clippy::needless_pass_by_value, clippy::too_many_arguments)] // PyO3 takes them so
pub(crate) fn _durations<'py>(
    py: Python<'py>,
    seconds: &Bound<'py, PyAny>,
    open: Option<PyReadonlyArray1<'py, bool>>,
    weights: Option<&Bound<'py, PyAny>>,
    percentiles: Vec<f64>,
    within: Option<f64>,
    level: f64,
    conf_type: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let transform: Transform = conf_type.parse().map_err(|e| py_error(py, &e))?;
    let open = open.as_ref().map(PyReadonlyArray1::as_slice).transpose()?;
    let result = with_weights(py, weights, |weights| {
        with_durations(py, seconds, |seconds| {
            compute(py, seconds.len(), || {
                cxm_core::durations(seconds, open, weights, &percentiles, within, level, transform)
            })
        })
    })??;
    let d = result.map_err(|e| py_error(py, &e))?;
    to_python(py, &d, level, transform)
}
