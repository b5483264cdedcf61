//! `cxm.nps_vs_benchmark`, `cxm.proportion_vs_benchmark` and `BenchmarkResult`.

use cxm_core::{Alternative, BenchmarkTest, NpsMethod, ProportionMethod};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::nps::nps_of;
use crate::{pickle, py_error};

/// The result of `cxm.*_vs_benchmark`: a one-sided test of an estimate against a benchmark.
#[pyclass(frozen, module = "cxm", name = "BenchmarkResult")]
pub(crate) struct BenchmarkResult {
    pub(crate) inner: BenchmarkTest,
}

#[pymethods]
impl BenchmarkResult {
    /// The test: `nps_wald`, `nps_adjusted_wald`, `nps_score`, `proportion_score`,
    /// `proportion_exact` or `proportion_wald`.
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method.name()
    }
    /// The estimate (NPS in points, or a proportion).
    #[getter]
    fn estimate(&self) -> f64 {
        self.inner.estimate
    }
    /// The benchmark.
    #[getter]
    fn benchmark(&self) -> f64 {
        self.inner.benchmark
    }
    /// "greater" or "less".
    #[getter]
    fn alternative(&self) -> &'static str {
        self.inner.alternative.name()
    }
    /// Two-sided confidence interval for the estimate: (lower, upper).
    #[getter]
    fn interval(&self) -> (f64, f64) {
        (self.inner.interval.lower, self.inner.interval.upper)
    }
    /// The z statistic (NaN for the exact test).
    #[getter]
    fn statistic(&self) -> f64 {
        self.inner.statistic
    }
    /// One-sided p-value in the direction of `alternative`.
    #[getter]
    fn p_value(&self) -> f64 {
        self.inner.p_value
    }
    /// Confidence level of the interval.
    #[getter]
    fn level(&self) -> f64 {
        self.inner.level
    }
    /// (Effective) sample size.
    #[getter]
    fn n(&self) -> f64 {
        self.inner.n
    }

    /// The fields as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("method", self.method())?;
        dict.set_item("estimate", self.estimate())?;
        dict.set_item("benchmark", self.benchmark())?;
        dict.set_item("alternative", self.alternative())?;
        dict.set_item("interval", self.interval())?;
        dict.set_item("statistic", self.statistic())?;
        dict.set_item("p_value", self.p_value())?;
        dict.set_item("level", self.level())?;
        dict.set_item("n", self.n())?;
        Ok(dict)
    }

    /// Equal when every field is (NaN equal to NaN).
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        pickle::equal(py, self, other, BenchmarkResult::to_dict)
    }

    /// Pickling and copying: the state is `to_dict`, read back field by field (a comparison or
    /// test result has no invariant for the core to check).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<pickle::Reduced<'py>> {
        pickle::reduce(py, "BenchmarkResult", self.to_dict(py)?)
    }

    fn __repr__(&self) -> String {
        let t = &self.inner;
        format!(
            "BenchmarkResult(method='{}', estimate={:?}, benchmark={:?}, alternative='{}', \
             p_value={:?})",
            t.method.name(),
            t.estimate,
            t.benchmark,
            self.alternative(),
            t.p_value
        )
    }
}

/// Tests an NPS (an `NpsResult`, or scores) against a benchmark in points, one-sided.
#[pyfunction]
#[pyo3(signature = (nps, benchmark, *, alternative = "greater", level = 0.95, method = "adjusted_wald"))]
pub(crate) fn nps_vs_benchmark(
    py: Python<'_>,
    nps: &Bound<'_, PyAny>,
    benchmark: f64,
    alternative: &str,
    level: f64,
    method: &str,
) -> PyResult<BenchmarkResult> {
    let alternative: Alternative = alternative.parse().map_err(|e| py_error(py, &e))?;
    let method: NpsMethod = method.parse().map_err(|e| py_error(py, &e))?;
    let nps = nps_of(py, nps, "nps_vs_benchmark expects an NpsResult (or scores)", "reject")?;
    let inner = cxm_core::nps_vs_benchmark(&nps, benchmark, alternative, level, method)
        .map_err(|e| py_error(py, &e))?;
    Ok(BenchmarkResult { inner })
}

/// Tests `successes / n` against a benchmark proportion, one-sided.
#[pyfunction]
#[pyo3(signature = (successes, n, benchmark, *, alternative = "greater", level = 0.95, method = "wilson"))]
pub(crate) fn proportion_vs_benchmark(
    py: Python<'_>,
    successes: f64,
    n: f64,
    benchmark: f64,
    alternative: &str,
    level: f64,
    method: &str,
) -> PyResult<BenchmarkResult> {
    let alternative: Alternative = alternative.parse().map_err(|e| py_error(py, &e))?;
    let method: ProportionMethod = method.parse().map_err(|e| py_error(py, &e))?;
    let inner =
        cxm_core::proportion_vs_benchmark(successes, n, benchmark, alternative, level, method)
            .map_err(|e| py_error(py, &e))?;
    Ok(BenchmarkResult { inner })
}
