//! `cxm.csat`, `cxm.ces` and `RatingResult`.

use cxm_core::{Missing, ProportionMethod, Rating, Scale};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::args::{scale_bounds, threshold};
use crate::calibration::{calibrated_share, PyRaking};
use crate::input::{compute, labelled, on_scores, with_scores, with_weights};
use crate::nps::no_weights_with;
use crate::{pickle, py_error};

/// The result of `cxm.csat` and `cxm.ces`: the favourable share and the mean of ratings.
#[pyclass(frozen, module = "cxm", name = "RatingResult")]
pub(crate) struct RatingResult {
    pub(crate) inner: Rating,
}

#[pymethods]
impl RatingResult {
    /// Responses counted.
    #[getter]
    fn n(&self) -> u64 {
        self.inner.n
    }
    /// Responses on the favourable side of the threshold.
    #[getter]
    fn favourable(&self) -> u64 {
        self.inner.favourable
    }
    /// (Weighted) share of favourable responses, 0..1.
    #[getter]
    fn share(&self) -> f64 {
        self.inner.share
    }
    /// (Weighted) mean answer.
    #[getter]
    fn mean(&self) -> f64 {
        self.inner.mean
    }
    /// (Weighted) sample standard deviation; NaN below two responses.
    #[getter]
    fn standard_deviation(&self) -> f64 {
        self.inner.standard_deviation
    }
    /// Kish effective sample size; equals n without weights.
    #[getter]
    fn effective_n(&self) -> f64 {
        self.inner.effective_n
    }
    /// The scale as (min, max).
    #[getter]
    fn scale(&self) -> (i64, i64) {
        (self.inner.scale.min(), self.inner.scale.max())
    }
    /// The threshold of the favourable answers (included).
    #[getter]
    fn threshold(&self) -> i64 {
        self.inner.scale.threshold()
    }
    /// Whether higher answers are the favourable ones.
    #[getter]
    fn higher_is_better(&self) -> bool {
        self.inner.scale.higher_is_better()
    }

    /// Confidence interval for `share`, as fractions: `(lower, upper)`.
    #[pyo3(signature = (level = 0.95, method = "wilson"))]
    fn share_interval(&self, py: Python<'_>, level: f64, method: &str) -> PyResult<(f64, f64)> {
        let method: ProportionMethod = method.parse().map_err(|e| py_error(py, &e))?;
        let ci = self.inner.share_interval(level, method).map_err(|e| py_error(py, &e))?;
        Ok((ci.lower, ci.upper))
    }

    /// Student t confidence interval for `mean`: `(lower, upper)`.
    #[pyo3(signature = (level = 0.95))]
    fn mean_interval(&self, py: Python<'_>, level: f64) -> PyResult<(f64, f64)> {
        let ci = self.inner.mean_interval(level).map_err(|e| py_error(py, &e))?;
        Ok((ci.lower, ci.upper))
    }

    /// The fields as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let r = &self.inner;
        let dict = PyDict::new(py);
        dict.set_item("n", r.n)?;
        dict.set_item("favourable", r.favourable)?;
        dict.set_item("share", r.share)?;
        dict.set_item("mean", r.mean)?;
        dict.set_item("standard_deviation", r.standard_deviation)?;
        dict.set_item("effective_n", r.effective_n)?;
        dict.set_item("scale", self.scale())?;
        dict.set_item("threshold", r.scale.threshold())?;
        dict.set_item("higher_is_better", r.scale.higher_is_better())?;
        Ok(dict)
    }

    /// Equal when every field is (NaN equal to NaN).
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        pickle::equal(py, self, other, RatingResult::to_dict)
    }

    /// Pickling and copying: the state is `to_dict`, checked again by the core when read back.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<pickle::Reduced<'py>> {
        pickle::reduce(py, "RatingResult", self.to_dict(py)?)
    }

    fn __repr__(&self) -> String {
        let r = &self.inner;
        format!(
            "RatingResult(share={:?}, mean={:?}, n={}, favourable={}, scale=({}, {}), threshold={}, \
             higher_is_better={})",
            r.share,
            r.mean,
            r.n,
            r.favourable,
            r.scale.min(),
            r.scale.max(),
            r.scale.threshold(),
            if r.scale.higher_is_better() { "True" } else { "False" }
        )
    }
}

/// Reads scores, weights and policy, and summarises them on `scale`.
pub(crate) fn rating_of(
    py: Python<'_>,
    scores: &Bound<'_, PyAny>,
    scale: Scale,
    weights: Option<&Bound<'_, PyAny>>,
    missing: &str,
) -> PyResult<RatingResult> {
    let missing: Missing = missing.parse().map_err(|e| py_error(py, &e))?;
    let result = with_weights(py, weights, |weights| {
        with_scores(py, scores, |scores| {
            compute(py, scores.len(), || {
                on_scores!(scores, |s| cxm_core::rating(s, weights, missing, scale))
            })
        })
    })??;
    let inner = result.map_err(|e| labelled(py, py_error(py, &e), scores, weights))?;
    Ok(RatingResult { inner })
}

/// CSAT: the share of satisfied answers (at or above `threshold`) and the mean. The threshold
/// may be left out on the core's CSAT scale (1–5, satisfied 4–5) only: on any other it is
/// needed.
#[pyfunction]
#[pyo3(
    signature = (scores, *, scale = (1, 5), threshold = None, weights = None, missing = "reject", calibration = None),
    text_signature = "(scores, *, scale=(1, 5), threshold=None, weights=None, missing='reject', calibration=None)"
)]
pub(crate) fn csat(
    py: Python<'_>,
    scores: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = scale_bounds)] scale: (i64, i64),
    #[pyo3(from_py_with = threshold)] threshold: Option<i64>,
    weights: Option<&Bound<'_, PyAny>>,
    missing: &str,
    calibration: Option<PyRef<'_, PyRaking>>,
) -> PyResult<Py<PyAny>> {
    let scale = Scale::or_default(Scale::csat(), scale.0, scale.1, threshold, true)
        .map_err(|e| py_error(py, &e))?;
    rating_or_calibrated(py, scores, scale, weights, missing, calibration)
}

/// A `RatingResult`, or with a calibration the `CalibratedEstimate` of its favourable share.
fn rating_or_calibrated(
    py: Python<'_>,
    scores: &Bound<'_, PyAny>,
    scale: Scale,
    weights: Option<&Bound<'_, PyAny>>,
    missing: &str,
    calibration: Option<PyRef<'_, PyRaking>>,
) -> PyResult<Py<PyAny>> {
    if let Some(raking) = calibration {
        no_weights_with(weights)?;
        let share =
            calibrated_share(py, &raking.inner, scores, scale, missing, cxm_core::DEFAULT_LEVEL)?;
        return Ok(Py::new(py, share)?.into_any());
    }
    Ok(Py::new(py, rating_of(py, scores, scale, weights, missing)?)?.into_any())
}

/// CES: the share of "easy" answers and the mean. With `higher_is_easier=False` (effort
/// scales), answers at or below `threshold` are the easy ones. The threshold may be left out
/// on the core's CES scale (1–7, easy 5–7) only.
#[pyfunction]
#[pyo3(
    signature = (scores, *, scale = (1, 7), threshold = None, higher_is_easier = true, weights = None, missing = "reject", calibration = None),
    text_signature = "(scores, *, scale=(1, 7), threshold=None, higher_is_easier=True, weights=None, missing='reject', calibration=None)"
)]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn ces(
    py: Python<'_>,
    scores: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = scale_bounds)] scale: (i64, i64),
    #[pyo3(from_py_with = threshold)] threshold: Option<i64>,
    higher_is_easier: bool,
    weights: Option<&Bound<'_, PyAny>>,
    missing: &str,
    calibration: Option<PyRef<'_, PyRaking>>,
) -> PyResult<Py<PyAny>> {
    let scale = Scale::or_default(Scale::ces(), scale.0, scale.1, threshold, higher_is_easier)
        .map_err(|e| py_error(py, &e))?;
    rating_or_calibrated(py, scores, scale, weights, missing, calibration)
}
