//! `cxm.lift` and `cxm.rate` (named rates) and their result classes.

use cxm_core::{Interval, Lift, RateEstimate};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::args::whole;
use crate::pickle::{self, field};
use crate::py_error;

fn error(py: Python<'_>) -> impl Fn(cxm_core::Error) -> PyErr + '_ {
    move |e| py_error(py, &e)
}

fn pair(i: Interval) -> (f64, f64) {
    (i.lower, i.upper)
}

/// Lift of group a over group b (`cxm.lift`).
#[pyclass(frozen, module = "cxm", name = "LiftResult")]
pub(crate) struct LiftResult {
    pub(crate) inner: Lift,
}

#[pymethods]
impl LiftResult {
    /// Events in group a.
    #[getter]
    fn events_a(&self) -> i64 {
        self.inner.events_a
    }
    /// Size of group a.
    #[getter]
    fn n_a(&self) -> i64 {
        self.inner.n_a
    }
    /// Events in group b.
    #[getter]
    fn events_b(&self) -> i64 {
        self.inner.events_b
    }
    /// Size of group b.
    #[getter]
    fn n_b(&self) -> i64 {
        self.inner.n_b
    }
    /// Confidence level of the intervals.
    #[getter]
    fn level(&self) -> f64 {
        self.inner.level
    }
    /// The relative risk (rate ratio) (`events_a` / `n_a`) / (`events_b` / `n_b`).
    #[getter]
    fn ratio(&self) -> f64 {
        self.inner.ratio
    }
    /// The ratio's log (Katz) interval: (lower, upper).
    #[getter]
    fn interval(&self) -> (f64, f64) {
        pair(self.inner.interval)
    }
    /// `"katz_log"`.
    #[getter]
    fn ratio_method(&self) -> &'static str {
        self.inner.ratio_method.name()
    }
    /// The z statistic of "no lift".
    #[getter]
    fn statistic(&self) -> f64 {
        self.inner.statistic
    }
    /// Its two-sided p-value.
    #[getter]
    fn p_value(&self) -> f64 {
        self.inner.p_value
    }
    /// `"log_adjusted"`: statsmodels' default test of a ratio.
    #[getter]
    fn test_method(&self) -> &'static str {
        self.inner.test_method.name()
    }
    /// The risk difference `events_a` / `n_a` - `events_b` / `n_b`.
    #[getter]
    fn difference(&self) -> f64 {
        self.inner.difference
    }
    /// The difference's interval (Newcombe): (lower, upper).
    #[getter]
    fn difference_interval(&self) -> (f64, f64) {
        pair(self.inner.difference_interval)
    }
    /// `"newcombe"`.
    #[getter]
    fn difference_method(&self) -> &'static str {
        self.inner.difference_method.name()
    }
    /// The odds ratio.
    #[getter]
    fn odds_ratio(&self) -> f64 {
        self.inner.odds_ratio
    }
    /// The odds ratio's interval (Woolf): (lower, upper).
    #[getter]
    fn odds_ratio_interval(&self) -> (f64, f64) {
        pair(self.inner.odds_ratio_interval)
    }
    /// `"woolf"`.
    #[getter]
    fn odds_ratio_method(&self) -> &'static str {
        self.inner.odds_ratio_method.name()
    }
    /// Whether a cell of the 2x2 table was 0, so that 1/2 was added to every cell for the
    /// ratio and the odds ratio.
    #[getter]
    fn zero_cell_correction(&self) -> bool {
        self.inner.zero_cell_correction
    }

    /// The fields as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("events_a", self.events_a())?;
        d.set_item("n_a", self.n_a())?;
        d.set_item("events_b", self.events_b())?;
        d.set_item("n_b", self.n_b())?;
        d.set_item("level", self.level())?;
        d.set_item("ratio", self.ratio())?;
        d.set_item("interval", self.interval())?;
        d.set_item("ratio_method", self.ratio_method())?;
        d.set_item("statistic", self.statistic())?;
        d.set_item("p_value", self.p_value())?;
        d.set_item("test_method", self.test_method())?;
        d.set_item("difference", self.difference())?;
        d.set_item("difference_interval", self.difference_interval())?;
        d.set_item("difference_method", self.difference_method())?;
        d.set_item("odds_ratio", self.odds_ratio())?;
        d.set_item("odds_ratio_interval", self.odds_ratio_interval())?;
        d.set_item("odds_ratio_method", self.odds_ratio_method())?;
        d.set_item("zero_cell_correction", self.zero_cell_correction())?;
        Ok(d)
    }

    /// Equal when every field is.
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        pickle::equal(py, self, other, LiftResult::to_dict)
    }

    /// Pickling and copying: the state is `to_dict`, recomputed by the core when read back.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<pickle::Reduced<'py>> {
        pickle::reduce(py, "LiftResult", self.to_dict(py)?)
    }

    fn __repr__(&self) -> String {
        let l = &self.inner;
        format!(
            "LiftResult(ratio={:?}, interval=({:?}, {:?}), p_value={:?}, difference={:?}, \
             difference_interval=({:?}, {:?}), odds_ratio={:?}, odds_ratio_interval=({:?}, {:?}), \
             zero_cell_correction={})",
            l.ratio,
            l.interval.lower,
            l.interval.upper,
            l.p_value,
            l.difference,
            l.difference_interval.lower,
            l.difference_interval.upper,
            l.odds_ratio,
            l.odds_ratio_interval.lower,
            l.odds_ratio_interval.upper,
            if l.zero_cell_correction { "True" } else { "False" },
        )
    }
}

/// Lift of group a (`events_a` of `n_a`) over group b (`events_b` of `n_b`).
///
/// The relative risk with its log (Katz) interval and statsmodels' default test of a ratio
/// (log-adjusted), the risk difference with Newcombe's interval, the odds ratio with Woolf's.
/// When a cell of the 2x2 table is 0, 1/2 is added to every cell for the ratio and the odds
/// ratio (`zero_cell_correction`), so every number is finite. Bad counts raise `CxmError`
/// (`invalid_event_count`) naming the count.
#[pyfunction]
#[pyo3(signature = (events_a, n_a, events_b, n_b, level = 0.95))]
pub(crate) fn lift(
    py: Python<'_>,
    events_a: &Bound<'_, PyAny>,
    n_a: &Bound<'_, PyAny>,
    events_b: &Bound<'_, PyAny>,
    n_b: &Bound<'_, PyAny>,
    level: f64,
) -> PyResult<LiftResult> {
    let inner = cxm_core::lift(
        whole(events_a, "events_a")?,
        whole(n_a, "n_a")?,
        whole(events_b, "events_b")?,
        whole(n_b, "n_b")?,
        level,
    )
    .map_err(error(py))?;
    Ok(LiftResult { inner })
}

/// A named rate with its interval (`cxm.rate`).
#[pyclass(frozen, module = "cxm", name = "NamedRateResult")]
pub(crate) struct NamedRateResult {
    pub(crate) inner: RateEstimate,
}

#[pymethods]
impl NamedRateResult {
    /// Which rate: `"first_contact_resolution"`, `"renewal"`, `"referral"`,
    /// `"cart_abandonment"` or `"post_incident_loss"`.
    #[getter]
    fn name(&self) -> &'static str {
        self.inner.name.name()
    }
    /// The numerator.
    #[getter]
    fn successes(&self) -> i64 {
        self.inner.successes
    }
    /// The denominator.
    #[getter]
    fn n(&self) -> i64 {
        self.inner.n
    }
    /// successes / n.
    #[getter]
    fn estimate(&self) -> f64 {
        self.inner.estimate
    }
    /// The interval: (lower, upper).
    #[getter]
    fn interval(&self) -> (f64, f64) {
        pair(self.inner.interval)
    }
    /// Confidence level of the interval.
    #[getter]
    fn level(&self) -> f64 {
        self.inner.level
    }
    /// The proportion interval method.
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method.name()
    }
    /// What the rate divides, in words: (successes, n).
    #[getter]
    fn counts(&self) -> (&'static str, &'static str) {
        self.inner.name.counts()
    }

    /// The fields as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("name", self.name())?;
        d.set_item("successes", self.successes())?;
        d.set_item("n", self.n())?;
        d.set_item("estimate", self.estimate())?;
        d.set_item("interval", self.interval())?;
        d.set_item("level", self.level())?;
        d.set_item("method", self.method())?;
        Ok(d)
    }

    /// Equal when every field is.
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        pickle::equal(py, self, other, NamedRateResult::to_dict)
    }

    /// Pickling and copying: the state is `to_dict`, recomputed by the core when read back.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<pickle::Reduced<'py>> {
        pickle::reduce(py, "NamedRateResult", self.to_dict(py)?)
    }

    fn __repr__(&self) -> String {
        let r = &self.inner;
        format!(
            "NamedRateResult(name='{}', estimate={:?}, interval=({:?}, {:?}), successes={}, n={}, \
             method='{}')",
            r.name.name(),
            r.estimate,
            r.interval.lower,
            r.interval.upper,
            r.successes,
            r.n,
            r.method.name()
        )
    }
}

/// A named rate, `successes / n`, with its proportion interval and its name.
#[pyfunction]
#[pyo3(signature = (name, successes, n, level = 0.95, method = "wilson"))]
pub(crate) fn rate(
    py: Python<'_>,
    name: &str,
    successes: &Bound<'_, PyAny>,
    n: &Bound<'_, PyAny>,
    level: f64,
    method: &str,
) -> PyResult<NamedRateResult> {
    let inner = cxm_core::named_rate(
        name.parse().map_err(error(py))?,
        whole(successes, "successes")?,
        whole(n, "n")?,
        level,
        method.parse().map_err(error(py))?,
    )
    .map_err(error(py))?;
    Ok(NamedRateResult { inner })
}

/// Reads back a pickled `LiftResult` or `NamedRateResult` (None for another class); the core
/// recomputes it from its counts and refuses a state that differs.
pub(crate) fn restore(
    py: Python<'_>,
    class_name: &str,
    state: &Bound<'_, PyDict>,
) -> PyResult<Option<Py<PyAny>>> {
    let interval = |key| field::<(f64, f64)>(state, key).map(|(lo, hi)| Interval::new(lo, hi));
    let method = |key| -> PyResult<cxm_core::LiftMethod> {
        field::<String>(state, key)?.parse().map_err(error(py))
    };
    Ok(Some(match class_name {
        "LiftResult" => {
            let inner = Lift {
                events_a: field(state, "events_a")?,
                n_a: field(state, "n_a")?,
                events_b: field(state, "events_b")?,
                n_b: field(state, "n_b")?,
                level: field(state, "level")?,
                ratio: field(state, "ratio")?,
                interval: interval("interval")?,
                ratio_method: method("ratio_method")?,
                statistic: field(state, "statistic")?,
                p_value: field(state, "p_value")?,
                test_method: method("test_method")?,
                difference: field(state, "difference")?,
                difference_interval: interval("difference_interval")?,
                difference_method: method("difference_method")?,
                odds_ratio: field(state, "odds_ratio")?,
                odds_ratio_interval: interval("odds_ratio_interval")?,
                odds_ratio_method: method("odds_ratio_method")?,
                zero_cell_correction: field(state, "zero_cell_correction")?,
            };
            inner.check().map_err(error(py))?;
            Py::new(py, LiftResult { inner })?.into_any()
        }
        "NamedRateResult" => {
            let inner = RateEstimate {
                name: field::<String>(state, "name")?.parse().map_err(error(py))?,
                successes: field(state, "successes")?,
                n: field(state, "n")?,
                estimate: field(state, "estimate")?,
                interval: interval("interval")?,
                level: field(state, "level")?,
                method: field::<String>(state, "method")?.parse().map_err(error(py))?,
            };
            inner.check().map_err(error(py))?;
            Py::new(py, NamedRateResult { inner })?.into_any()
        }
        _ => return Ok(None),
    }))
}
