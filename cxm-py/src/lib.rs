//! The Python module `cxm._cxm`: converts Python inputs, calls `cxm-core`, converts back.
//! No formula lives here.

mod input;
mod state;

use cxm_core::{
    Alternative, BenchmarkTest, Comparison, DirichletPrior, Missing, Nps, NpsMethod,
    ProportionMethod, Rating, Scale,
};
use pyo3::create_exception;
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
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

/// A `CxmError` with `message`, `kind` (one of the core's `Error::KINDS`) and its `code`.
fn cxm_error(py: Python<'_>, kind: &str, message: &str) -> PyErr {
    let err = CxmError::new_err(message.to_owned());
    let code = cxm_core::Error::KINDS.iter().find(|&&(name, _)| name == kind).map(|&(_, c)| c);
    let value = err.value(py);
    if let Err(e) = value.setattr("kind", kind).and_then(|()| value.setattr("code", code)) {
        return e;
    }
    err
}

/// Turns a core error into a `CxmError` carrying its message and `kind`.
fn py_error(py: Python<'_>, error: &cxm_core::Error) -> PyErr {
    cxm_error(py, error.kind(), &error.to_string())
}

/// Extracts an int argument the core takes as a fixed-width integer. An int outside that range
/// (-1 or 2**64 for a u64) becomes the `CxmError` of the core's `error(value)` instead of the
/// `OverflowError` of the default extraction; a float or a str stays a `TypeError`.
fn int_argument<'py, T>(
    obj: &Bound<'py, PyAny>,
    error: impl FnOnce(i128) -> cxm_core::Error,
) -> PyResult<T>
where
    T: for<'a> FromPyObject<'a, 'py, Error = PyErr>,
{
    obj.extract::<T>().map_err(|e| {
        if e.is_instance_of::<PyOverflowError>(obj.py()) {
            // Beyond i128 the sign is what matters for the message.
            let value = obj.extract::<i128>().unwrap_or_else(|_| {
                if obj.lt(0).unwrap_or(false) {
                    i128::MIN
                } else {
                    i128::MAX
                }
            });
            py_error(obj.py(), &error(value))
        } else {
            e
        }
    })
}

fn simulation_size(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<u32> {
    int_argument(obj, |count| cxm_core::Error::InvalidSimulationSize {
        what: what.to_owned(),
        count,
        max: cxm_core::MAX_SIMULATION_SIZE,
    })
}

fn resamples(obj: &Bound<'_, PyAny>) -> PyResult<u32> {
    simulation_size(obj, "resamples")
}

fn draws(obj: &Bound<'_, PyAny>) -> PyResult<u32> {
    simulation_size(obj, "posterior draws")
}

/// An integer outside what its 64-bit type holds, as the core's typed refusal.
fn outside(quantity: &str, value: i128, supported: &str) -> cxm_core::Error {
    cxm_core::Error::OutsideSupportedRange {
        quantity: quantity.to_owned(),
        value: value as f64,
        supported: supported.to_owned(),
    }
}

fn seed(obj: &Bound<'_, PyAny>) -> PyResult<u64> {
    int_argument(obj, |v| outside("seed", v, "a whole number in 0..=2^64 - 1"))
}

fn count(obj: &Bound<'_, PyAny>) -> PyResult<u64> {
    int_argument(obj, |v| outside("count", v, "a whole number in 0..=2^64 - 1"))
}

/// `(min, max)`, each a 64-bit integer.
fn scale_bounds(obj: &Bound<'_, PyAny>) -> PyResult<(i64, i64)> {
    let (min, max) = obj.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()?;
    let bound =
        |b: &Bound<'_, PyAny>| int_argument(b, |v| outside("scale bound", v, "a 64-bit integer"));
    Ok((bound(&min)?, bound(&max)?))
}

fn threshold(obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    int_argument(obj, |v| outside("threshold", v, "a 64-bit integer"))
}

/// The `TypeError` for a cxm result of the wrong class where `expected` (e.g. "`compare_nps`
/// expects two `NpsResult` (or scores)") was wanted: else a `RatingResult` is read as scores.
fn wrong_result(obj: &Bound<'_, PyAny>, expected: &str) -> PyErr {
    let got = obj.get_type().name().map(|n| n.to_string()).unwrap_or_default();
    PyTypeError::new_err(format!("{expected}, got {got}"))
}

/// Whether `obj` is one of this module's classes (a result), not data.
fn is_cxm_object(obj: &Bound<'_, PyAny>) -> bool {
    obj.get_type().module().is_ok_and(|m| m == "cxm")
}

/// The result of `cxm.nps`: an NPS with its shares, standard error and intervals.
#[pyclass(frozen, module = "cxm", name = "NpsResult")]
struct NpsResult {
    inner: Nps,
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

    /// Equal when every field is (NaN equal to NaN).
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        match other.cast::<NpsResult>() {
            Ok(other) => state::same(self.to_dict(py)?.as_any(), other.get().to_dict(py)?.as_any()),
            Err(_) => Ok(false),
        }
    }

    /// Pickling and copying: the state is `to_dict`, checked again by the core when read back.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<state::Reduced<'py>> {
        state::reduce(py, "NpsResult", self.to_dict(py)?)
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

/// The result of `cxm.csat` and `cxm.ces`: the favourable share and the mean of ratings.
#[pyclass(frozen, module = "cxm", name = "RatingResult")]
struct RatingResult {
    inner: Rating,
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
        match other.cast::<RatingResult>() {
            Ok(other) => state::same(self.to_dict(py)?.as_any(), other.get().to_dict(py)?.as_any()),
            Err(_) => Ok(false),
        }
    }

    /// Pickling and copying: the state is `to_dict`, checked again by the core when read back.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<state::Reduced<'py>> {
        state::reduce(py, "RatingResult", self.to_dict(py)?)
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
fn rating_of(
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
    Ok(RatingResult { inner: result.map_err(|e| py_error(py, &e))? })
}

/// CSAT: the share of satisfied answers (at or above `threshold`) and the mean.
#[pyfunction]
#[pyo3(
    signature = (scores, *, scale = (1, 5), threshold = 4, weights = None, missing = "reject"),
    text_signature = "(scores, *, scale=(1, 5), threshold=4, weights=None, missing='reject')"
)]
fn csat(
    py: Python<'_>,
    scores: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = scale_bounds)] scale: (i64, i64),
    #[pyo3(from_py_with = threshold)] threshold: i64,
    weights: Option<&Bound<'_, PyAny>>,
    missing: &str,
) -> PyResult<RatingResult> {
    let scale = Scale::new(scale.0, scale.1, threshold, true).map_err(|e| py_error(py, &e))?;
    rating_of(py, scores, scale, weights, missing)
}

/// CES: the share of "easy" answers and the mean. With `higher_is_easier=False` (effort
/// scales), answers at or below `threshold` are the easy ones.
#[pyfunction]
#[pyo3(
    signature = (scores, *, scale = (1, 7), threshold = 5, higher_is_easier = true, weights = None, missing = "reject"),
    text_signature = "(scores, *, scale=(1, 7), threshold=5, higher_is_easier=True, weights=None, missing='reject')"
)]
fn ces(
    py: Python<'_>,
    scores: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = scale_bounds)] scale: (i64, i64),
    #[pyo3(from_py_with = threshold)] threshold: i64,
    higher_is_easier: bool,
    weights: Option<&Bound<'_, PyAny>>,
    missing: &str,
) -> PyResult<RatingResult> {
    let scale =
        Scale::new(scale.0, scale.1, threshold, higher_is_easier).map_err(|e| py_error(py, &e))?;
    rating_of(py, scores, scale, weights, missing)
}

/// A confidence interval for the proportion `successes / n`: `(lower, upper)`.
#[pyfunction]
#[pyo3(signature = (successes, n, level = 0.95, method = "wilson"))]
fn proportion_interval(
    py: Python<'_>,
    successes: f64,
    n: f64,
    level: f64,
    method: &str,
) -> PyResult<(f64, f64)> {
    let method: ProportionMethod = method.parse().map_err(|e| py_error(py, &e))?;
    let ci =
        cxm_core::proportion_interval(successes, n, level, method).map_err(|e| py_error(py, &e))?;
    Ok((ci.lower, ci.upper))
}

/// The result of `cxm.compare_*`: group 1 minus group 2, with its interval and p-value.
#[pyclass(frozen, module = "cxm", name = "ComparisonResult")]
struct ComparisonResult {
    inner: Comparison,
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
        match other.cast::<ComparisonResult>() {
            Ok(other) => state::same(self.to_dict(py)?.as_any(), other.get().to_dict(py)?.as_any()),
            Err(_) => Ok(false),
        }
    }

    /// Pickling and copying: the state is `to_dict`, checked again by the core when read back.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<state::Reduced<'py>> {
        state::reduce(py, "ComparisonResult", self.to_dict(py)?)
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
fn compare_proportions(
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

/// An `NpsResult`, or scores to compute one from; another cxm result is a `TypeError` saying
/// what was `expected`.
fn nps_of(py: Python<'_>, obj: &Bound<'_, PyAny>, expected: &str) -> PyResult<Nps> {
    if let Ok(result) = obj.cast::<NpsResult>() {
        return Ok(result.get().inner);
    }
    if is_cxm_object(obj) {
        return Err(wrong_result(obj, expected));
    }
    Ok(nps(py, obj, None, "reject")?.inner)
}

/// Compares two NPS (`NpsResult` objects, or scores): difference in points, interval, p-value.
#[pyfunction]
#[pyo3(signature = (a, b, level = 0.95, method = "adjusted_wald"))]
fn compare_nps(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    level: f64,
    method: &str,
) -> PyResult<ComparisonResult> {
    let method: NpsMethod = method.parse().map_err(|e| py_error(py, &e))?;
    let expected = "compare_nps expects two NpsResult (or scores)";
    let (a, b) = (nps_of(py, a, expected)?, nps_of(py, b, expected)?);
    let inner = cxm_core::compare_nps(&a, &b, level, method).map_err(|e| py_error(py, &e))?;
    Ok(ComparisonResult { inner })
}

/// Compares the means of two `RatingResult`s with Welch's t test.
#[pyfunction]
#[pyo3(signature = (a, b, level = 0.95))]
fn compare_means(
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

/// The result of `cxm.*_vs_benchmark`: a one-sided test of an estimate against a benchmark.
#[pyclass(frozen, module = "cxm", name = "BenchmarkResult")]
struct BenchmarkResult {
    inner: BenchmarkTest,
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
        match other.cast::<BenchmarkResult>() {
            Ok(other) => state::same(self.to_dict(py)?.as_any(), other.get().to_dict(py)?.as_any()),
            Err(_) => Ok(false),
        }
    }

    /// Pickling and copying: the state is `to_dict`, checked again by the core when read back.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<state::Reduced<'py>> {
        state::reduce(py, "BenchmarkResult", self.to_dict(py)?)
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
fn nps_vs_benchmark(
    py: Python<'_>,
    nps: &Bound<'_, PyAny>,
    benchmark: f64,
    alternative: &str,
    level: f64,
    method: &str,
) -> PyResult<BenchmarkResult> {
    let alternative: Alternative = alternative.parse().map_err(|e| py_error(py, &e))?;
    let method: NpsMethod = method.parse().map_err(|e| py_error(py, &e))?;
    let nps = nps_of(py, nps, "nps_vs_benchmark expects an NpsResult (or scores)")?;
    let inner = cxm_core::nps_vs_benchmark(&nps, benchmark, alternative, level, method)
        .map_err(|e| py_error(py, &e))?;
    Ok(BenchmarkResult { inner })
}

/// Tests `successes / n` against a benchmark proportion, one-sided.
#[pyfunction]
#[pyo3(signature = (successes, n, benchmark, *, alternative = "greater", level = 0.95, method = "wilson"))]
fn proportion_vs_benchmark(
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

/// The NPS of 0-10 scores: a list, tuple or iterator, a numpy array of any integer or float
/// dtype (read in place when native and contiguous), or anything numpy can turn into one
/// (pandas, polars, pyarrow). `None`, NaN, `pandas.NA` and masked entries are missing.
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
    #[pyo3(from_py_with = count)] promoters: u64,
    #[pyo3(from_py_with = count)] passives: u64,
    #[pyo3(from_py_with = count)] detractors: u64,
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
    m.add_class::<RatingResult>()?;
    m.add_function(wrap_pyfunction!(csat, m)?)?;
    m.add_function(wrap_pyfunction!(ces, m)?)?;
    m.add_function(wrap_pyfunction!(proportion_interval, m)?)?;
    m.add_class::<ComparisonResult>()?;
    m.add_function(wrap_pyfunction!(compare_proportions, m)?)?;
    m.add_function(wrap_pyfunction!(compare_nps, m)?)?;
    m.add_function(wrap_pyfunction!(compare_means, m)?)?;
    m.add_class::<BenchmarkResult>()?;
    m.add_function(wrap_pyfunction!(nps_vs_benchmark, m)?)?;
    m.add_function(wrap_pyfunction!(proportion_vs_benchmark, m)?)?;
    m.add_function(wrap_pyfunction!(_restore, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The core's kinds of error and their codes (the C statuses), declared once there.
    m.add(
        "ERROR_KINDS",
        cxm_core::Error::KINDS.iter().copied().collect::<std::collections::BTreeMap<_, _>>(),
    )?;
    m.add("DEFAULTS", defaults(m.py())?)?;
    m.add("CORE_FIELDS", core_fields(m.py())?)?;
    Ok(())
}

/// Reads back a pickled result: `class_name` is its class and `state` its `to_dict`. The
/// core checks an NPS or rating again, as it checks one built by hand in C.
#[pyfunction]
fn _restore(py: Python<'_>, class_name: &str, state: &Bound<'_, PyDict>) -> PyResult<Py<PyAny>> {
    use state::field;
    let error = |e: cxm_core::Error| py_error(py, &e);
    let interval = |key| {
        field::<(f64, f64)>(state, key).map(|(lower, upper)| cxm_core::Interval::new(lower, upper))
    };
    match class_name {
        "NpsResult" => {
            let inner = Nps {
                n: field(state, "n")?,
                promoters: field(state, "promoters")?,
                passives: field(state, "passives")?,
                detractors: field(state, "detractors")?,
                promoter_share: field(state, "promoter_share")?,
                passive_share: field(state, "passive_share")?,
                detractor_share: field(state, "detractor_share")?,
                score: field(state, "score")?,
                standard_error: field(state, "standard_error")?,
                effective_n: field(state, "effective_n")?,
            };
            inner.check().map_err(error)?;
            Ok(Py::new(py, NpsResult { inner })?.into_any())
        }
        "RatingResult" => {
            let (min, max) = field::<(i64, i64)>(state, "scale")?;
            let scale =
                Scale::new(min, max, field(state, "threshold")?, field(state, "higher_is_better")?)
                    .map_err(error)?;
            let inner = Rating {
                n: field(state, "n")?,
                favourable: field(state, "favourable")?,
                share: field(state, "share")?,
                mean: field(state, "mean")?,
                standard_deviation: field(state, "standard_deviation")?,
                effective_n: field(state, "effective_n")?,
                scale,
            };
            inner.check().map_err(error)?;
            Ok(Py::new(py, RatingResult { inner })?.into_any())
        }
        "ComparisonResult" => {
            let inner = Comparison {
                method: field::<String>(state, "method")?.parse().map_err(error)?,
                estimate: field(state, "estimate")?,
                interval: interval("interval")?,
                statistic: field(state, "statistic")?,
                degrees_of_freedom: field(state, "degrees_of_freedom")?,
                p_value: field(state, "p_value")?,
                level: field(state, "level")?,
                n1: field(state, "n1")?,
                n2: field(state, "n2")?,
            };
            Ok(Py::new(py, ComparisonResult { inner })?.into_any())
        }
        "BenchmarkResult" => {
            let inner = BenchmarkTest {
                method: field::<String>(state, "method")?.parse().map_err(error)?,
                estimate: field(state, "estimate")?,
                benchmark: field(state, "benchmark")?,
                alternative: field::<String>(state, "alternative")?.parse().map_err(error)?,
                interval: interval("interval")?,
                statistic: field(state, "statistic")?,
                p_value: field(state, "p_value")?,
                level: field(state, "level")?,
                n: field(state, "n")?,
            };
            Ok(Py::new(py, BenchmarkResult { inner })?.into_any())
        }
        other => Err(PyTypeError::new_err(format!("no cxm result class is called {other:?}"))),
    }
}

/// Each result class's fields as the core declares them (serde's names of its type), for
/// `tests/test_fields.py` to hold every `to_dict` and getter to.
fn core_fields(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    fn names(value: &impl serde::Serialize) -> Vec<String> {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
    let error = |e: cxm_core::Error| py_error(py, &e);
    let nps = Nps::from_counts(5, 3, 2).map_err(error)?;
    let rating =
        cxm_core::rating(&[4_u8, 5], None, Missing::Reject, Scale::csat()).map_err(error)?;
    let comparison = cxm_core::compare_nps(&nps, &nps, 0.95, NpsMethod::Wald).map_err(error)?;
    let benchmark =
        cxm_core::nps_vs_benchmark(&nps, 0.0, Alternative::Greater, 0.95, NpsMethod::Wald)
            .map_err(error)?;
    let d = PyDict::new(py);
    d.set_item("NpsResult", names(&nps))?;
    d.set_item("RatingResult", names(&rating))?;
    d.set_item("ComparisonResult", names(&comparison))?;
    d.set_item("BenchmarkResult", names(&benchmark))?;
    Ok(d)
}

/// The core's defaults, which the signatures above spell out so that Python can show them;
/// `tests/test_defaults.py` checks every signature against this.
fn defaults(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("level", cxm_core::DEFAULT_LEVEL)?;
    d.set_item("nps_method", NpsMethod::default().name())?;
    d.set_item("proportion_method", ProportionMethod::default().name())?;
    d.set_item("alternative", Alternative::default().name())?;
    d.set_item("resamples", cxm_core::DEFAULT_RESAMPLES)?;
    d.set_item("draws", cxm_core::DEFAULT_DRAWS)?;
    for (name, scale) in [("csat", Scale::csat()), ("ces", Scale::ces())] {
        let s = PyDict::new(py);
        s.set_item("scale", (scale.min(), scale.max()))?;
        s.set_item("threshold", scale.threshold())?;
        s.set_item("higher_is_better", scale.higher_is_better())?;
        d.set_item(name, s)?;
    }
    Ok(d)
}
