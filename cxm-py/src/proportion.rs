//! `cxm.proportion_interval`.

use cxm_core::ProportionMethod;
use pyo3::prelude::*;

use crate::args::float_argument;
use crate::py_error;

/// A confidence interval for the proportion `successes / n`: `(lower, upper)`.
#[pyfunction]
#[pyo3(signature = (successes, n, level = 0.95, method = "wilson"))]
pub(crate) fn proportion_interval(
    py: Python<'_>,
    successes: &Bound<'_, PyAny>,
    n: &Bound<'_, PyAny>,
    level: f64,
    method: &str,
) -> PyResult<(f64, f64)> {
    let (successes, n) = (float_argument(successes, "successes")?, float_argument(n, "n")?);
    let method: ProportionMethod = method.parse().map_err(|e| py_error(py, &e))?;
    let ci =
        cxm_core::proportion_interval(successes, n, level, method).map_err(|e| py_error(py, &e))?;
    Ok((ci.lower, ci.upper))
}
