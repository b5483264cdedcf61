//! `cxm.drivers`: converts the columns and delegates to the core's `key_drivers`; the result
//! class is plain Python (cxm/_drivers.py), built from the core's result as JSON (serde's
//! field names; floats written to round-trip exactly).

use cxm_core::{DriverMethod, DriverOptions, Missing};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

use crate::input::compute;
use crate::py_error;

/// The core's `key_drivers` of `score` and `drivers` (contiguous float64 arrays, named
/// `names`), weighted by `weights`, as JSON.
#[pyfunction]
#[pyo3(signature = (score, drivers, names, weights, method, resamples, seed, level, missing, permutations))]
#[allow(clippy::needless_pass_by_value, clippy::too_many_arguments)] // PyO3 takes them so
pub(crate) fn _drivers(
    py: Python<'_>,
    score: PyReadonlyArray1<'_, f64>,
    drivers: Vec<PyReadonlyArray1<'_, f64>>,
    names: Vec<String>,
    weights: Option<PyReadonlyArray1<'_, f64>>,
    method: &str,
    resamples: u32,
    seed: u64,
    level: f64,
    missing: &str,
    permutations: u32,
) -> PyResult<String> {
    let error = |e: cxm_core::Error| py_error(py, &e);
    let method: DriverMethod = method.parse().map_err(error)?;
    let missing: Missing = missing.parse().map_err(error)?;
    let options = DriverOptions { method, resamples, seed, level, missing, permutations };
    let score = score.as_slice()?;
    let columns = drivers.iter().map(PyReadonlyArray1::as_slice).collect::<Result<Vec<_>, _>>()?;
    let weights = weights.as_ref().map(PyReadonlyArray1::as_slice).transpose()?;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let work = score.len().saturating_mul(columns.len()).saturating_add(resamples as usize);
    let result =
        compute(py, work, || cxm_core::key_drivers(score, &columns, &names, weights, &options));
    let k = result.map_err(error)?;
    crate::to_json(&k)
}
