//! `cxm.compare_nps`, `cxm.compare_proportions`, `cxm.compare_means` and `ComparisonResult`.

use cxm_core::{Comparison, NpsMethod};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::args::wrong_result;
use crate::nps::nps_of;
use crate::rating::RatingResult;
use crate::{pickle, py_error};

/// The result of `cxm.compare_*`: group 1 minus group 2, with its interval and p-value.
#[pyclass(frozen, module = "cxm", name = "ComparisonResult")]
pub(crate) struct ComparisonResult {
    pub(crate) inner: Comparison,
}

#[pymethods]
impl ComparisonResult {
    /// The method: `newcombe_score`, `nps_wald`, `nps_adjusted_wald` or `welch`.
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method.name()
    }
    /// Group 1 minus group 2 (points for NPS, a fraction for proportions): the core's
    /// `Comparison::estimate`.
    #[getter]
    fn estimate(&self) -> f64 {
        self.inner.estimate
    }
    /// The old name of `estimate`, kept for code written before it.
    #[getter]
    fn difference(&self) -> f64 {
        self.inner.estimate
    }
    /// Confidence interval for the difference: (lower, upper).
    #[getter]
    fn interval(&self) -> (f64, f64) {
        (self.inner.interval.lower, self.inner.interval.upper)
    }
    /// Two-sided p-value of "no difference".
    #[getter]
    fn p_value(&self) -> f64 {
        self.inner.p_value
    }
    /// The test statistic (z, or t for Welch).
    #[getter]
    fn statistic(&self) -> f64 {
        self.inner.statistic
    }
    /// Degrees of freedom of the statistic; inf for z.
    #[getter]
    fn degrees_of_freedom(&self) -> f64 {
        self.inner.degrees_of_freedom
    }
    /// Confidence level of the interval.
    #[getter]
    fn level(&self) -> f64 {
        self.inner.level
    }
    /// (Effective) size of group 1.
    #[getter]
    fn n1(&self) -> f64 {
        self.inner.n1
    }
    /// (Effective) size of group 2.
    #[getter]
    fn n2(&self) -> f64 {
        self.inner.n2
    }

    /// The fields as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("method", self.method())?;
        dict.set_item("estimate", self.estimate())?;
        dict.set_item("interval", self.interval())?;
        dict.set_item("p_value", self.p_value())?;
        dict.set_item("statistic", self.statistic())?;
        dict.set_item("degrees_of_freedom", self.degrees_of_freedom())?;
        dict.set_item("level", self.level())?;
        dict.set_item("n1", self.n1())?;
        dict.set_item("n2", self.n2())?;
        Ok(dict)
    }

    /// Equal when every field is (NaN equal to NaN).
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        pickle::equal(py, self, other, ComparisonResult::to_dict)
    }

    /// Pickling and copying: the state is `to_dict`, read back field by field (a comparison or
    /// test result has no invariant for the core to check).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<pickle::Reduced<'py>> {
        pickle::reduce(py, "ComparisonResult", self.to_dict(py)?)
    }

    fn __repr__(&self) -> String {
        let c = &self.inner;
        format!(
            "ComparisonResult(method='{}', estimate={:?}, interval=({:?}, {:?}), p_value={:?}, \
             n1={:?}, n2={:?})",
            c.method.name(),
            c.estimate,
            c.interval.lower,
            c.interval.upper,
            c.p_value,
            c.n1,
            c.n2
        )
    }
}

/// Compares two proportions: Newcombe's interval and the score test (statsmodels' definitions).
#[pyfunction]
#[pyo3(signature = (successes1, n1, successes2, n2, level = 0.95))]
pub(crate) fn compare_proportions(
    py: Python<'_>,
    successes1: f64,
    n1: f64,
    successes2: f64,
    n2: f64,
    level: f64,
) -> PyResult<ComparisonResult> {
    let inner = cxm_core::compare_proportions(successes1, n1, successes2, n2, level)
        .map_err(|e| py_error(py, &e))?;
    Ok(ComparisonResult { inner })
}

/// Compares two NPS (`NpsResult` objects, or scores, read as `cxm.nps` reads them with
/// `missing`): difference in points, interval, p-value.
#[pyfunction]
#[pyo3(signature = (a, b, level = 0.95, method = "adjusted_wald", *, missing = "reject"))]
pub(crate) fn compare_nps(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    level: f64,
    method: &str,
    missing: &str,
) -> PyResult<ComparisonResult> {
    let method: NpsMethod = method.parse().map_err(|e| py_error(py, &e))?;
    let expected = "compare_nps expects two NpsResult (or scores)";
    let (a, b) = (nps_of(py, a, expected, missing)?, nps_of(py, b, expected, missing)?);
    let inner = cxm_core::compare_nps(&a, &b, level, method).map_err(|e| py_error(py, &e))?;
    Ok(ComparisonResult { inner })
}

/// Compares the means of two `RatingResult`s with Welch's t test.
#[pyfunction]
#[pyo3(signature = (a, b, level = 0.95))]
pub(crate) fn compare_means(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    level: f64,
) -> PyResult<ComparisonResult> {
    // Cast here rather than by PyO3, so that the error says which class was given.
    let rating = |obj: &Bound<'_, PyAny>| {
        obj.cast::<RatingResult>()
            .map(|r| r.get().inner)
            .map_err(|_| wrong_result(obj, "compare_means expects two RatingResult"))
    };
    let inner =
        cxm_core::compare_means(&rating(a)?, &rating(b)?, level).map_err(|e| py_error(py, &e))?;
    Ok(ComparisonResult { inner })
}
