//! The Python module `cxm._cxm`: converts Python inputs, calls `cxm-core`, converts back.
//! No formula lives here.

mod input;

use cxm_core::{Missing, Nps, NpsMethod};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use input::{compute, on_scores, with_scores, with_weights};

create_exception!(
    cxm,
    CxmError,
    PyValueError,
    "Raised for input cxm refuses: the message names the value and its index; `kind` is a \
     stable name for the error (e.g. \"score_out_of_range\")."
);

/// Turns a core error into a `CxmError` carrying its message and `kind`.
fn py_error(py: Python<'_>, error: &cxm_core::Error) -> PyErr {
    let err = CxmError::new_err(error.to_string());
    if let Err(e) = err.value(py).setattr("kind", error.kind()) {
        return e;
    }
    err
}

/// The result of `cxm.nps`: an NPS with its shares, standard error and intervals.
#[pyclass(frozen, module = "cxm", name = "NpsResult")]
struct NpsResult {
    inner: Nps,
}

#[pymethods]
impl NpsResult {
    /// The NPS in points, -100..100.
    #[getter]
    fn score(&self) -> f64 {
        self.inner.score
    }
    /// Responses scored.
    #[getter]
    fn n(&self) -> u64 {
        self.inner.n
    }
    /// Responses scoring 9-10.
    #[getter]
    fn promoters(&self) -> u64 {
        self.inner.promoters
    }
    /// Responses scoring 7-8.
    #[getter]
    fn passives(&self) -> u64 {
        self.inner.passives
    }
    /// Responses scoring 0-6.
    #[getter]
    fn detractors(&self) -> u64 {
        self.inner.detractors
    }
    /// (Weighted) share of promoters, 0..1.
    #[getter]
    fn promoter_share(&self) -> f64 {
        self.inner.promoter_share
    }
    /// (Weighted) share of passives, 0..1.
    #[getter]
    fn passive_share(&self) -> f64 {
        self.inner.passive_share
    }
    /// (Weighted) share of detractors, 0..1.
    #[getter]
    fn detractor_share(&self) -> f64 {
        self.inner.detractor_share
    }
    /// Standard error of the score, in points.
    #[getter]
    fn standard_error(&self) -> f64 {
        self.inner.standard_error
    }
    /// Kish effective sample size; equals n without weights.
    #[getter]
    fn effective_n(&self) -> f64 {
        self.inner.effective_n
    }

    /// A two-sided confidence interval for the score, in points: `(lower, upper)`.
    #[pyo3(signature = (level = 0.95, method = "wald"))]
    fn confidence_interval(
        &self,
        py: Python<'_>,
        level: f64,
        method: &str,
    ) -> PyResult<(f64, f64)> {
        let method: NpsMethod = method.parse().map_err(|e| py_error(py, &e))?;
        let ci = self.inner.confidence_interval(level, method).map_err(|e| py_error(py, &e))?;
        Ok((ci.lower, ci.upper))
    }

    /// The fields as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let r = &self.inner;
        let dict = PyDict::new(py);
        dict.set_item("score", r.score)?;
        dict.set_item("n", r.n)?;
        dict.set_item("promoters", r.promoters)?;
        dict.set_item("passives", r.passives)?;
        dict.set_item("detractors", r.detractors)?;
        dict.set_item("promoter_share", r.promoter_share)?;
        dict.set_item("passive_share", r.passive_share)?;
        dict.set_item("detractor_share", r.detractor_share)?;
        dict.set_item("standard_error", r.standard_error)?;
        dict.set_item("effective_n", r.effective_n)?;
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        let r = &self.inner;
        format!(
            "NpsResult(score={:?}, n={}, promoters={}, passives={}, detractors={}, \
             standard_error={:?}, effective_n={:?})",
            r.score, r.n, r.promoters, r.passives, r.detractors, r.standard_error, r.effective_n
        )
    }
}

/// The NPS of 0-10 scores: a list, a numpy array of any integer or float dtype (read in place,
/// without a copy), or anything numpy can turn into one (pandas, polars, pyarrow).
#[pyfunction]
#[pyo3(signature = (scores, *, weights = None, missing = "reject"))]
fn nps(
    py: Python<'_>,
    scores: &Bound<'_, PyAny>,
    weights: Option<&Bound<'_, PyAny>>,
    missing: &str,
) -> PyResult<NpsResult> {
    let missing: Missing = missing.parse().map_err(|e| py_error(py, &e))?;
    // Both conversions can fail (PyErr); inside them, the core can refuse the data.
    let result = with_weights(py, weights, |weights| {
        with_scores(py, scores, |scores| {
            compute(py, scores.len(), || on_scores!(scores, |s| cxm_core::nps(s, weights, missing)))
        })
    })??;
    Ok(NpsResult { inner: result.map_err(|e| py_error(py, &e))? })
}

/// An NPS from counts already tallied.
#[pyfunction]
fn nps_from_counts(
    py: Python<'_>,
    promoters: u64,
    passives: u64,
    detractors: u64,
) -> PyResult<NpsResult> {
    let inner = Nps::from_counts(promoters, passives, detractors).map_err(|e| py_error(py, &e))?;
    Ok(NpsResult { inner })
}

#[pymodule]
fn _cxm(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("CxmError", m.py().get_type::<CxmError>())?;
    m.add_class::<NpsResult>()?;
    m.add_function(wrap_pyfunction!(nps, m)?)?;
    m.add_function(wrap_pyfunction!(nps_from_counts, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
