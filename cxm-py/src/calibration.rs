//! Raking through Python: `cxm.rake` (cxm/_calibration.py) reads the columns and calls `_rake`,
//! which hands back a `Raking` holding the core's; its `nps`, `csat` and `ces` (and `cxm.nps(…,
//! calibration=…)`) give the core's calibrated estimates. Nothing is computed here.

use cxm_core::{CalibratedEstimate, Missing, RakeOptions, Raking, Scale};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::args::{scale_bounds, threshold};
use crate::input::{compute, labelled, on_scores, with_scores};
use crate::{pickle, py_error};

/// Weights raked to population margins: what `cxm.rake` returns. `weights` (in the rows'
/// order), `iterations`, `converged`, `residuals` (margin → each category's `(achieved −
/// target) / target`), `max_residual`, `design_effect`, `effective_n` and `efficiency` (Kish's),
/// `trimmed`, `bounds`; `margins` in full. `nps(scores)`, `csat(answers)` and `ces(answers)`
/// give estimates with these weights and standard errors that account for the raking.
#[pyclass(frozen, module = "cxm", name = "Raking")]
pub(crate) struct PyRaking {
    pub(crate) inner: Raking,
    /// Each margin's categories (the caller's labels, or its codes), in code order.
    categories: Py<PyList>,
    /// The trimmings applied since the raking, in order: with the inputs, how to make it again.
    trims: Vec<(f64, f64)>,
}

#[pymethods]
impl PyRaking {
    /// Each row's weight, in the input's order (a new float64 array).
    #[getter]
    fn weights<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.weights.clone().into_pyarray(py)
    }

    /// Rows weighed.
    #[getter]
    fn n(&self) -> usize {
        self.inner.weights.len()
    }

    /// Sweeps made.
    #[getter]
    fn iterations(&self) -> u32 {
        self.inner.iterations
    }

    /// Whether every margin was met within the tolerance (before any trimming).
    #[getter]
    fn converged(&self) -> bool {
        self.inner.converged
    }

    /// The largest `|achieved − target| / target` over the margins.
    #[getter]
    fn max_residual(&self) -> f64 {
        self.inner.max_residual
    }

    /// Margin → category → `(achieved − target) / target`.
    #[getter]
    fn residuals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (m, categories) in self.inner.margins.iter().zip(self.categories.bind(py).iter()) {
            let by_category = PyDict::new(py);
            for (category, r) in categories.try_iter()?.zip(&m.residuals) {
                by_category.set_item(category?, r)?;
            }
            d.set_item(&m.name, by_category)?;
        }
        Ok(d)
    }

    /// Each margin: `name`, its `categories` (labels or codes), and per category its `targets`,
    /// `achieved` weight and `residuals`.
    #[getter]
    fn margins<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (m, categories) in self.inner.margins.iter().zip(self.categories.bind(py).iter()) {
            let d = PyDict::new(py);
            d.set_item("name", &m.name)?;
            d.set_item("categories", categories)?;
            d.set_item("targets", m.targets.clone())?;
            d.set_item("achieved", m.achieved.clone())?;
            d.set_item("residuals", m.residuals.clone())?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// `(lower, upper)` of a bounded calibration, else None.
    #[getter]
    fn bounds(&self) -> Option<(f64, f64)> {
        self.inner.options.bounds.map(|b| (b.lower, b.upper))
    }

    /// Weights set to a bound by `trim`.
    #[getter]
    fn trimmed(&self) -> u64 {
        self.inner.trimmed
    }

    /// Kish's design effect `n Σw² / (Σw)²`.
    #[getter]
    fn design_effect(&self) -> f64 {
        self.inner.design_effect
    }

    /// Kish's effective n `(Σw)² / Σw²`.
    #[getter]
    fn effective_n(&self) -> f64 {
        self.inner.effective_n
    }

    /// `1 / design_effect`.
    #[getter]
    fn efficiency(&self) -> f64 {
        self.inner.efficiency
    }

    /// These weights trimmed to `[lower, upper]` × their mean, the excess shared equally by the
    /// others (as R `survey::trimWeights(strict=TRUE)`): a new `Raking`, whose residuals show
    /// the margins the trimming breaks.
    /// `upper=None`: no upper bound.
    #[pyo3(signature = (lower = 0.0, upper = None), text_signature = "(self, lower=0.0, upper=None)")]
    fn trim(&self, py: Python<'_>, lower: f64, upper: Option<f64>) -> PyResult<PyRaking> {
        let upper = upper.unwrap_or(f64::INFINITY);
        let inner = self.inner.trim(lower, upper).map_err(|e| py_error(py, &e))?;
        let mut trims = self.trims.clone();
        trims.push((lower, upper));
        Ok(PyRaking { inner, categories: self.categories.clone_ref(py), trims })
    }

    /// Equal when raked from the same inputs to the same bits (and trimmed alike).
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Ok(other) = other.cast::<PyRaking>() else { return Ok(false) };
        let other = other.get();
        let bits = |r: &Raking| r.weights.iter().map(|w| w.to_bits()).collect::<Vec<_>>();
        Ok(bits(&self.inner) == bits(&other.inner)
            && self.inner.margins == other.inner.margins
            && self.inner.options == other.inner.options
            && self.trims == other.trims
            && self.categories.bind(py).eq(other.categories.bind(py))?)
    }

    /// Pickling and copying: the raking is made again from what it was given (its codes,
    /// targets, base weights, options and trimmings), to the same bits.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, pyo3::types::PyTuple>)> {
        let r = &self.inner;
        let codes = (0..r.margins.len())
            .map(|k| Ok(r.codes(k).unwrap_or_default().into_pyarray(py).into_any()))
            .collect::<PyResult<Vec<_>>>()?;
        let targets: Vec<Vec<f64>> = r.margins.iter().map(|m| m.targets.clone()).collect();
        let names: Vec<String> = r.margins.iter().map(|m| m.name.clone()).collect();
        let base = r.base_weights().map(|d| d.to_vec().into_pyarray(py));
        let bounds = r.options.bounds.map(|b| (b.lower, b.upper));
        let args =
            (codes, targets, names, base, r.options.tolerance, r.options.max_iterations, bounds)
                .into_pyobject(py)?;
        let restore = py.import("cxm._calibration")?.getattr("_restore")?;
        let state = (args, self.categories.clone_ref(py), self.trims.clone()).into_pyobject(py)?;
        Ok((restore, state))
    }

    /// The NPS of `scores` (one per row, 0–10) with these weights, and its standard errors:
    /// calibrated (`standard_error`), weights taken as fixed, and Kish's.
    #[pyo3(
        signature = (scores, *, missing = "reject", level = cxm_core::DEFAULT_LEVEL),
        text_signature = "(self, scores, *, missing='reject', level=0.95)"
    )]
    fn nps(
        &self,
        py: Python<'_>,
        scores: &Bound<'_, PyAny>,
        missing: &str,
        level: f64,
    ) -> PyResult<PyCalibratedEstimate> {
        calibrated_nps(py, &self.inner, scores, missing, level)
    }

    /// The CSAT share of `answers` (one per row) with these weights, and its standard errors;
    /// `scale` and `threshold` as `cxm.csat`'s.
    #[pyo3(
        signature = (answers, *, scale = (1, 5), threshold = None, missing = "reject", level = cxm_core::DEFAULT_LEVEL),
        text_signature = "(self, answers, *, scale=(1, 5), threshold=None, missing='reject', level=0.95)"
    )]
    fn csat(
        &self,
        py: Python<'_>,
        answers: &Bound<'_, PyAny>,
        #[pyo3(from_py_with = scale_bounds)] scale: (i64, i64),
        #[pyo3(from_py_with = threshold)] threshold: Option<i64>,
        missing: &str,
        level: f64,
    ) -> PyResult<PyCalibratedEstimate> {
        let scale = Scale::or_default(Scale::csat(), scale.0, scale.1, threshold, true)
            .map_err(|e| py_error(py, &e))?;
        calibrated_share(py, &self.inner, answers, scale, missing, level)
    }

    /// The CES share of "easy" `answers` (one per row) with these weights, and its standard
    /// errors; `scale`, `threshold` and `higher_is_easier` as `cxm.ces`'s.
    #[pyo3(
        signature = (answers, *, scale = (1, 7), threshold = None, higher_is_easier = true, missing = "reject", level = cxm_core::DEFAULT_LEVEL),
        text_signature = "(self, answers, *, scale=(1, 7), threshold=None, higher_is_easier=True, missing='reject', level=0.95)"
    )]
    #[allow(clippy::too_many_arguments)] // the Python signature
    fn ces(
        &self,
        py: Python<'_>,
        answers: &Bound<'_, PyAny>,
        #[pyo3(from_py_with = scale_bounds)] scale: (i64, i64),
        #[pyo3(from_py_with = threshold)] threshold: Option<i64>,
        higher_is_easier: bool,
        missing: &str,
        level: f64,
    ) -> PyResult<PyCalibratedEstimate> {
        let scale = Scale::or_default(Scale::ces(), scale.0, scale.1, threshold, higher_is_easier)
            .map_err(|e| py_error(py, &e))?;
        calibrated_share(py, &self.inner, answers, scale, missing, level)
    }

    fn __repr__(&self) -> String {
        let r = &self.inner;
        format!(
            "Raking(n={}, iterations={}, converged={}, max_residual={:e}, design_effect={:.4})",
            r.weights.len(),
            r.iterations,
            if r.converged { "True" } else { "False" },
            r.max_residual,
            r.design_effect
        )
    }
}

/// The core's calibrated NPS of `scores` under `raking`.
pub(crate) fn calibrated_nps(
    py: Python<'_>,
    raking: &Raking,
    scores: &Bound<'_, PyAny>,
    missing: &str,
    level: f64,
) -> PyResult<PyCalibratedEstimate> {
    let missing: Missing = missing.parse().map_err(|e| py_error(py, &e))?;
    let result = with_scores(py, scores, |s| {
        compute(py, s.len(), || {
            on_scores!(s, |s| cxm_core::calibrated_nps(s, raking, missing, level))
        })
    })?;
    let inner = result.map_err(|e| labelled(py, py_error(py, &e), scores, None))?;
    Ok(PyCalibratedEstimate { inner })
}

/// The core's calibrated favourable share of `answers` on `scale` under `raking`.
pub(crate) fn calibrated_share(
    py: Python<'_>,
    raking: &Raking,
    answers: &Bound<'_, PyAny>,
    scale: Scale,
    missing: &str,
    level: f64,
) -> PyResult<PyCalibratedEstimate> {
    let missing: Missing = missing.parse().map_err(|e| py_error(py, &e))?;
    let result = with_scores(py, answers, |s| {
        compute(py, s.len(), || {
            on_scores!(s, |s| cxm_core::calibrated_share(s, raking, scale, missing, level))
        })
    })?;
    let inner = result.map_err(|e| labelled(py, py_error(py, &e), answers, None))?;
    Ok(PyCalibratedEstimate { inner })
}

/// A raked estimate (NPS points, or a share in 0..1) with `standard_error` by linearization on
/// the calibration residuals (R `survey`'s `svymean` on a calibrated design) and its Wald
/// `interval` at `level`; beside them `fixed_weights_standard_error` (the weights taken as
/// fixed) and `kish_standard_error` (what `cxm.nps(weights=…)` reports), `effective_n`, `n`.
#[pyclass(frozen, module = "cxm", name = "CalibratedEstimate")]
pub(crate) struct PyCalibratedEstimate {
    inner: CalibratedEstimate,
}

#[pymethods]
impl PyCalibratedEstimate {
    /// The weighted estimate.
    #[getter]
    fn estimate(&self) -> f64 {
        self.inner.estimate
    }

    /// Responses scored.
    #[getter]
    fn n(&self) -> u64 {
        self.inner.n
    }

    /// The standard error that accounts for the raking.
    #[getter]
    fn standard_error(&self) -> f64 {
        self.inner.standard_error
    }

    /// Its Wald interval: `(lower, upper)`.
    #[getter]
    fn interval(&self) -> (f64, f64) {
        (self.inner.interval.lower, self.inner.interval.upper)
    }

    /// The linearized standard error with the weights taken as fixed.
    #[getter]
    fn fixed_weights_standard_error(&self) -> f64 {
        self.inner.fixed_weights_standard_error
    }

    /// The multinomial (binomial) standard error over Kish's effective n.
    #[getter]
    fn kish_standard_error(&self) -> f64 {
        self.inner.kish_standard_error
    }

    /// Kish's effective n of the scored responses.
    #[getter]
    fn effective_n(&self) -> f64 {
        self.inner.effective_n
    }

    /// The level of the interval.
    #[getter]
    fn level(&self) -> f64 {
        self.inner.level
    }

    /// The fields as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("estimate", self.estimate())?;
        d.set_item("n", self.n())?;
        d.set_item("standard_error", self.standard_error())?;
        d.set_item("interval", self.interval())?;
        d.set_item("fixed_weights_standard_error", self.fixed_weights_standard_error())?;
        d.set_item("kish_standard_error", self.kish_standard_error())?;
        d.set_item("effective_n", self.effective_n())?;
        d.set_item("level", self.level())?;
        Ok(d)
    }

    /// Equal when every field is.
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        pickle::equal(py, self, other, PyCalibratedEstimate::to_dict)
    }

    /// Pickling and copying: the state is `to_dict`.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<pickle::Reduced<'py>> {
        pickle::reduce(py, "CalibratedEstimate", self.to_dict(py)?)
    }

    fn __repr__(&self) -> String {
        let e = &self.inner;
        format!(
            "CalibratedEstimate(estimate={:?}, standard_error={:?}, interval=({:?}, {:?}), \
             fixed_weights_standard_error={:?}, kish_standard_error={:?}, n={})",
            e.estimate,
            e.standard_error,
            e.interval.lower,
            e.interval.upper,
            e.fixed_weights_standard_error,
            e.kish_standard_error,
            e.n
        )
    }
}

/// Reads back a pickled `CalibratedEstimate` (`None` for another class).
pub(crate) fn restore(
    py: Python<'_>,
    class: &str,
    state: &Bound<'_, PyDict>,
) -> PyResult<Option<Py<PyAny>>> {
    if class != "CalibratedEstimate" {
        return Ok(None);
    }
    let (lower, upper) = pickle::field::<(f64, f64)>(state, "interval")?;
    let inner = CalibratedEstimate {
        estimate: pickle::field(state, "estimate")?,
        n: pickle::field(state, "n")?,
        standard_error: pickle::field(state, "standard_error")?,
        interval: cxm_core::Interval::new(lower, upper),
        fixed_weights_standard_error: pickle::field(state, "fixed_weights_standard_error")?,
        kish_standard_error: pickle::field(state, "kish_standard_error")?,
        effective_n: pickle::field(state, "effective_n")?,
        level: pickle::field(state, "level")?,
    };
    Ok(Some(Py::new(py, PyCalibratedEstimate { inner })?.into_any()))
}

/// The core's `rake` of the margins (`codes[k]`: each row's category of margin `names[k]`,
/// contiguous uint32; `targets[k]`: each category's target) from `base_weights`; options left
/// `None` are the core's.
#[pyfunction]
#[pyo3(signature = (codes, targets, names, base_weights, tolerance, max_iterations, bounds, categories = None, labels = None))]
#[allow(clippy::needless_pass_by_value, clippy::too_many_arguments)] // PyO3 takes them so
pub(crate) fn _rake(
    py: Python<'_>,
    codes: Vec<PyReadonlyArray1<'_, u32>>,
    targets: Vec<Vec<f64>>,
    names: Vec<String>,
    base_weights: Option<PyReadonlyArray1<'_, f64>>,
    tolerance: Option<f64>,
    max_iterations: Option<u32>,
    bounds: Option<(f64, f64)>,
    categories: Option<Bound<'_, PyList>>,
    labels: Option<Vec<Option<Vec<String>>>>,
) -> PyResult<PyRaking> {
    let labels: Vec<Option<Vec<&str>>> = (0..codes.len())
        .map(|k| {
            let given = labels.as_ref().and_then(|l| l.get(k)).and_then(Option::as_ref);
            given.map(|l| l.iter().map(String::as_str).collect())
        })
        .collect();
    let columns = codes.iter().map(PyReadonlyArray1::as_slice).collect::<Result<Vec<_>, _>>()?;
    let margins: Vec<cxm_core::Margin<'_>> = columns
        .iter()
        .zip(&targets)
        .zip(&names)
        .zip(&labels)
        .map(|(((codes, targets), name), labels)| cxm_core::Margin {
            name,
            codes,
            targets,
            labels: labels.as_deref(),
        })
        .collect();
    let base = base_weights.as_ref().map(PyReadonlyArray1::as_slice).transpose()?;
    let defaults = RakeOptions::default();
    let options = RakeOptions {
        tolerance: tolerance.unwrap_or(defaults.tolerance),
        max_iterations: max_iterations.unwrap_or(defaults.max_iterations),
        bounds: bounds.map(|(lower, upper)| cxm_core::Bounds { lower, upper }),
    };
    let rows = columns.first().map_or(0, |c| c.len());
    let inner = compute(py, rows.saturating_mul(columns.len()), || {
        cxm_core::rake(&margins, base, &options)
    })
    .map_err(|e| py_error(py, &e))?;
    // Without labels, a margin's categories are its codes.
    let categories = if let Some(c) = categories {
        c.unbind()
    } else {
        let codes: Vec<Vec<usize>> = targets.iter().map(|t| (0..t.len()).collect()).collect();
        PyList::new(py, codes)?.unbind()
    };
    Ok(PyRaking { inner, categories, trims: Vec::new() })
}
