//! `cxm.nps`, `cxm.nps_from_counts` and `NpsResult`.

use cxm_core::{DirichletPrior, Missing, Nps, NpsMethod};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::args::{count, draws, is_cxm_object, resamples, seed, wrong_result};
use crate::calibration::{calibrated_nps, PyRaking};
use crate::input::{compute, labelled, on_scores, with_scores, with_weights};
use crate::{pickle, py_error};

/// The result of `cxm.nps`: an NPS with its shares, standard error and intervals.
#[pyclass(frozen, module = "cxm", name = "NpsResult")]
pub(crate) struct NpsResult {
    pub(crate) inner: Nps,
}

// The signature below spells its defaults out, so that Python can show them; they are the core's.
const _: () = assert!(cxm_core::DEFAULT_RESAMPLES == 10_000 && cxm_core::DEFAULT_DRAWS == 100_000);

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
    /// `resamples` and `seed` drive the bootstrap; `prior` (promoters, passives, detractors;
    /// `None` is uniform), `draws` and `seed` the Bayesian interval.
    #[pyo3(signature = (
        level = 0.95,
        method = "adjusted_wald",
        *,
        resamples = 10_000,
        seed = 0,
        prior = None,
        draws = 100_000,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn confidence_interval(
        &self,
        py: Python<'_>,
        level: f64,
        method: &str,
        #[pyo3(from_py_with = resamples)] resamples: u32,
        #[pyo3(from_py_with = seed)] seed: u64,
        prior: Option<(f64, f64, f64)>,
        #[pyo3(from_py_with = draws)] draws: u32,
    ) -> PyResult<(f64, f64)> {
        let method = match method.parse().map_err(|e| py_error(py, &e))? {
            NpsMethod::Bootstrap { .. } => NpsMethod::Bootstrap { resamples, seed },
            NpsMethod::Bayesian { .. } => {
                let prior =
                    prior.map_or(DirichletPrior::UNIFORM, |(promoters, passives, detractors)| {
                        DirichletPrior { promoters, passives, detractors }
                    });
                NpsMethod::Bayesian { prior, draws, seed }
            }
            closed_form => closed_form,
        };
        let ci = py
            .detach(|| self.inner.confidence_interval(level, method))
            .map_err(|e| py_error(py, &e))?;
        Ok((ci.lower, ci.upper))
    }

    /// The fields as a plain dict of numbers, with the confidence interval at `level` by
    /// `method` (a closed-form one: the core's defaults, adjusted Wald at 0.95) as `lower` and
    /// `upper`, beside `level`: one row of a data frame.
    #[pyo3(signature = (*, level = 0.95, method = "adjusted_wald"))]
    fn to_dict<'py>(
        &self,
        py: Python<'py>,
        level: f64,
        method: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        let method: NpsMethod = method.parse().map_err(|e| py_error(py, &e))?;
        let ci = self.inner.confidence_interval(level, method).map_err(|e| py_error(py, &e))?;
        let dict = self.fields(py)?;
        dict.set_item("lower", ci.lower)?;
        dict.set_item("upper", ci.upper)?;
        dict.set_item("level", level)?;
        Ok(dict)
    }

    /// Equal when every field is (NaN equal to NaN).
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        pickle::equal(py, self, other, NpsResult::fields)
    }

    /// Pickling and copying: the state is the core's fields, checked again when read back.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<pickle::Reduced<'py>> {
        pickle::reduce(py, "NpsResult", self.fields(py)?)
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

impl NpsResult {
    /// The core's fields, the pickled state.
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
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
}

/// The NPS of 0-10 scores: a list, tuple or iterator, a numpy array of any integer or float
/// dtype (read in place when native and contiguous), or anything numpy can turn into one
/// (pandas, polars, pyarrow). `None`, NaN, `pandas.NA` and masked entries are missing;
/// `missing="reject"` raises on one, `"skip"` leaves it out (its weight unread). `weights`: one
/// finite, non-negative weight per score, or None.
///
/// Returns an `NpsResult`: `score` (-100..100), `n`, the counts and shares of promoters (9-10),
/// passives (7-8) and detractors (0-6), `standard_error`, `effective_n` (Kish's, with weights),
/// and `confidence_interval(level, method)`. Raises `CxmError` naming a bad value and its index.
///
/// With `calibration` (a `Raking` from `cxm.rake`, one weight per score), returns a
/// `CalibratedEstimate` instead: the NPS with the raked weights and a standard error that
/// accounts for the raking (`calibration.nps(scores)`, at the default level).
#[pyfunction]
#[pyo3(signature = (scores, *, weights = None, missing = "reject", calibration = None))]
pub(crate) fn nps(
    py: Python<'_>,
    scores: &Bound<'_, PyAny>,
    weights: Option<&Bound<'_, PyAny>>,
    missing: &str,
    calibration: Option<PyRef<'_, PyRaking>>,
) -> PyResult<Py<PyAny>> {
    if let Some(raking) = calibration {
        no_weights_with(weights)?;
        let estimate = calibrated_nps(py, &raking.inner, scores, missing, cxm_core::DEFAULT_LEVEL)?;
        return Ok(Py::new(py, estimate)?.into_any());
    }
    Ok(Py::new(py, nps_result(py, scores, weights, missing)?)?.into_any())
}

/// The core's NPS of `scores` (`weights` optional) as an `NpsResult`.
fn nps_result(
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
    let inner = result.map_err(|e| labelled(py, py_error(py, &e), scores, weights))?;
    Ok(NpsResult { inner })
}

/// A calibration brings its own weights: others beside it are a `ValueError`.
pub(crate) fn no_weights_with(weights: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    match weights {
        Some(w) if !w.is_none() => Err(pyo3::exceptions::PyValueError::new_err(
            "pass weights or a calibration, not both: the calibration's weights are used",
        )),
        _ => Ok(()),
    }
}

/// An NPS from counts already tallied.
#[pyfunction]
pub(crate) fn nps_from_counts(
    py: Python<'_>,
    #[pyo3(from_py_with = count)] promoters: u64,
    #[pyo3(from_py_with = count)] passives: u64,
    #[pyo3(from_py_with = count)] detractors: u64,
) -> PyResult<NpsResult> {
    let inner = Nps::from_counts(promoters, passives, detractors).map_err(|e| py_error(py, &e))?;
    Ok(NpsResult { inner })
}

/// An `NpsResult`, or scores to compute one from; another cxm result is a `TypeError` saying
/// what was `expected`.
pub(crate) fn nps_of(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    expected: &str,
    missing: &str,
) -> PyResult<Nps> {
    if let Ok(result) = obj.cast::<NpsResult>() {
        return Ok(result.get().inner);
    }
    if is_cxm_object(obj) {
        return Err(wrong_result(obj, expected));
    }
    Ok(nps_result(py, obj, None, missing)?.inner)
}
