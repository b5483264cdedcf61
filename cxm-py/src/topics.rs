//! `cxm.topic_impact`: converts the columns and delegates to the core's `nps_topic_impact`;
//! the result class is plain Python (cxm/_topics.py), built from the core's rows as JSON.

use cxm_core::{Adjustment, Missing};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

use crate::input::compute;
use crate::py_error;

/// The core's `nps_topic_impact` of `scores` (float64, NaN missing) and the `topics` flags
/// (named `names`), as JSON.
#[pyfunction]
#[pyo3(signature = (scores, topics, names, missing, level, adjust))]
#[allow(clippy::needless_pass_by_value)] // PyO3 takes them so
pub(crate) fn _topic_impact(
    py: Python<'_>,
    scores: PyReadonlyArray1<'_, f64>,
    topics: Vec<PyReadonlyArray1<'_, bool>>,
    names: Vec<String>,
    missing: &str,
    level: f64,
    adjust: &str,
) -> PyResult<String> {
    let error = |e: cxm_core::Error| py_error(py, &e);
    let missing: Missing = missing.parse().map_err(error)?;
    let adjustment: Adjustment = adjust.parse().map_err(error)?;
    let scores = scores.as_slice()?;
    let flags = topics.iter().map(PyReadonlyArray1::as_slice).collect::<Result<Vec<_>, _>>()?;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let work = scores.len().saturating_mul(flags.len());
    let rows = compute(py, work, || {
        cxm_core::nps_topic_impact(scores, &flags, &names, missing, level, adjustment)
    });
    let rows = rows.map_err(error)?;
    crate::to_json(&rows)
}
