//! Pickling, copying and equality of the result classes. A result's state is its `to_dict`;
//! `_restore` reads it back field by field and the core checks the results that have
//! invariants (NPS, ratings, churn, NCVG, flows), so a tampered one is refused
//! (`invalid_estimate`) as a hand-built C struct is. Equality compares those states,
//! NaN equal to NaN: a one-answer rating's NaN standard deviation is the same result.

use cxm_core::{BenchmarkTest, Comparison, Nps, Rating, Scale};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyTuple};

use crate::benchmark::BenchmarkResult;
use crate::compare::ComparisonResult;
use crate::nps::NpsResult;
use crate::py_error;
use crate::rating::RatingResult;

/// Whether two states (dicts of numbers, strings and tuples) hold the same values, with a float
/// equal to another of the same bits.
pub(crate) fn same(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<bool> {
    if let (Ok(x), Ok(y)) = (a.cast::<PyFloat>(), b.cast::<PyFloat>()) {
        let (x, y) = (x.value(), y.value());
        return Ok(x == y || x.to_bits() == y.to_bits());
    }
    if let (Ok(x), Ok(y)) = (a.cast::<PyTuple>(), b.cast::<PyTuple>()) {
        if x.len() != y.len() {
            return Ok(false);
        }
        for (u, v) in x.iter().zip(y.iter()) {
            if !same(&u, &v)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    if let (Ok(x), Ok(y)) = (a.cast::<PyDict>(), b.cast::<PyDict>()) {
        if x.len() != y.len() {
            return Ok(false);
        }
        for (key, u) in x.iter() {
            match y.get_item(&key)? {
                Some(v) if same(&u, &v)? => {}
                _ => return Ok(false),
            }
        }
        return Ok(true);
    }
    a.eq(b)
}

/// `==` of a result and `other`: another result of the same class with the [`same`] state;
/// anything else is unequal. `state` is the class's `to_dict`.
pub(crate) fn equal<'py, T>(
    py: Python<'py>,
    mine: &T,
    other: &Bound<'py, PyAny>,
    state: impl Fn(&T, Python<'py>) -> PyResult<Bound<'py, PyDict>>,
) -> PyResult<bool>
where
    T: pyo3::PyClass<Frozen = pyo3::pyclass::boolean_struct::True> + Sync,
{
    match other.cast::<T>() {
        Ok(other) => same(state(mine, py)?.as_any(), state(other.get(), py)?.as_any()),
        Err(_) => Ok(false),
    }
}

/// `(cxm._cxm._restore, (class_name, state))`, what `__reduce__` returns.
pub(crate) type Reduced<'py> = (Bound<'py, PyAny>, (&'static str, Bound<'py, PyDict>));

/// The [`Reduced`] form of a result of `class` with `state`.
pub(crate) fn reduce<'py>(
    py: Python<'py>,
    class: &'static str,
    state: Bound<'py, PyDict>,
) -> PyResult<Reduced<'py>> {
    Ok((py.import("cxm._cxm")?.getattr("_restore")?, (class, state)))
}

/// The state's `key`, extracted as `T`; a missing key is a `KeyError` naming it.
pub(crate) fn field<'py, T>(state: &Bound<'py, PyDict>, key: &str) -> PyResult<T>
where
    T: for<'a> FromPyObject<'a, 'py, Error = PyErr>,
{
    state
        .get_item(key)?
        .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(key.to_owned()))?
        .extract()
}

/// Reads back a pickled result: `class_name` is its class and `state` its `to_dict`. The
/// core checks every result again in full (NPS, rating, comparison, benchmark test, churn,
/// NCVG, flow), as it checks one built by hand in C.
#[pyfunction]
pub(crate) fn _restore(
    py: Python<'_>,
    class_name: &str,
    state: &Bound<'_, PyDict>,
) -> PyResult<Py<PyAny>> {
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
            inner.check().map_err(error)?;
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
            inner.check().map_err(error)?;
            Ok(Py::new(py, BenchmarkResult { inner })?.into_any())
        }
        other => {
            if let Some(result) = crate::churn::restore(py, other, state)? {
                return Ok(result);
            }
            if let Some(result) = crate::calibration::restore(py, other, state)? {
                return Ok(result);
            }
            crate::lift::restore(py, other, state)?.ok_or_else(|| {
                PyTypeError::new_err(format!("no cxm result class is called {other:?}"))
            })
        }
    }
}
