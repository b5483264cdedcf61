//! `cxm.adjust_p_values`: p-values adjusted for the number of comparisons, by the core.

use cxm_core::Adjustment;
use pyo3::prelude::*;

use crate::args::float_argument;
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
