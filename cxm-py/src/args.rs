//! Python arguments the core takes as fixed-width integers, and results passed where another
//! class was expected: each refused with the core's typed error or a clear `TypeError`.

use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::PyBool;

use crate::py_error;

/// Extracts an int argument the core takes as a fixed-width integer. An int outside that range
/// (-1 or 2**64 for a u64) becomes the `CxmError` of the core's `error(value)` instead of the
/// `OverflowError` of the default extraction; a float or a str stays a `TypeError`.
pub(crate) fn int_argument<'py, T>(
    obj: &Bound<'py, PyAny>,
    error: impl FnOnce(i128) -> cxm_core::Error,
) -> PyResult<T>
where
    T: for<'a> FromPyObject<'a, 'py, Error = PyErr>,
{
    refuse_bool(obj)?;
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

pub(crate) fn simulation_size(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<u32> {
    int_argument(obj, |count| cxm_core::Error::InvalidSimulationSize {
        what: what.to_owned(),
        count,
        max: cxm_core::MAX_SIMULATION_SIZE,
    })
}

pub(crate) fn resamples(obj: &Bound<'_, PyAny>) -> PyResult<u32> {
    simulation_size(obj, "resamples")
}

pub(crate) fn draws(obj: &Bound<'_, PyAny>) -> PyResult<u32> {
    simulation_size(obj, "posterior draws")
}

/// An integer outside what its 64-bit type holds, as the core's typed refusal.
pub(crate) fn outside(quantity: &str, value: i128, supported: &str) -> cxm_core::Error {
    cxm_core::Error::OutsideSupportedRange {
        quantity: quantity.to_owned(),
        value: value as f64,
        supported: supported.to_owned(),
    }
}

pub(crate) fn seed(obj: &Bound<'_, PyAny>) -> PyResult<u64> {
    int_argument(obj, |v| outside("seed", v, "a whole number in 0..=2^64 - 1"))
}

pub(crate) fn count(obj: &Bound<'_, PyAny>) -> PyResult<u64> {
    int_argument(obj, |v| outside("count", v, "a whole number in 0..=2^64 - 1"))
}

/// A customer count or value the core takes as an `i64`; past it, the core's `value_overflow`.
pub(crate) fn whole(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<i64> {
    int_argument(obj, |value| cxm_core::Error::ValueOverflow {
        quantity: format!("{name} = {value}"),
    })
}

/// `(min, max)` (a tuple, list or any pair), each a 64-bit integer.
pub(crate) fn scale_bounds(obj: &Bound<'_, PyAny>) -> PyResult<(i64, i64)> {
    let items = obj.try_iter().ok().and_then(|it| it.collect::<PyResult<Vec<_>>>().ok());
    let Some([min, max]) = items.and_then(|v| <[Bound<'_, PyAny>; 2]>::try_from(v).ok()) else {
        return Err(pyo3::exceptions::PyTypeError::new_err(
            "scale must be a pair (min, max) of whole numbers, such as (1, 5)",
        ));
    };
    let bound =
        |b: &Bound<'_, PyAny>| int_argument(b, |v| outside("scale bound", v, "a 64-bit integer"));
    Ok((bound(&min)?, bound(&max)?))
}

/// A rating's threshold, or `None`: the default scale's, which the core gives only on that
/// scale ([`cxm_core::Scale::or_default`]).
pub(crate) fn threshold(obj: &Bound<'_, PyAny>) -> PyResult<Option<i64>> {
    if obj.is_none() {
        return Ok(None);
    }
    int_argument(obj, |v| outside("threshold", v, "a 64-bit integer")).map(Some)
}

/// A rating's scale as Python gives it: `(min, max, threshold or None, higher_is_better)`.
pub(crate) type ScaleArgument = (i64, i64, Option<i64>, bool);

/// The scale of a `"csat"` or `"ces"` metric from its Python form: a threshold left out is the
/// core's, on the core's scale of that metric only (`Scale::or_default`).
pub(crate) fn rating_scale(
    py: Python<'_>,
    metric: &str,
    scale: ScaleArgument,
) -> PyResult<cxm_core::Scale> {
    let default = if metric == "ces" { cxm_core::Scale::ces() } else { cxm_core::Scale::csat() };
    let (min, max, threshold, higher) = scale;
    cxm_core::Scale::or_default(default, min, max, threshold, higher).map_err(|e| py_error(py, &e))
}

/// The `TypeError` for a cxm result of the wrong class where `expected` (e.g. "`compare_nps`
/// expects two `NpsResult` (or scores)") was wanted: else a `RatingResult` is read as scores.
pub(crate) fn wrong_result(obj: &Bound<'_, PyAny>, expected: &str) -> PyErr {
    let got = obj.get_type().name().map(|n| n.to_string()).unwrap_or_default();
    PyTypeError::new_err(format!("{expected}, got {got}"))
}

/// Whether `obj` is one of this module's classes (a result), not data.
pub(crate) fn is_cxm_object(obj: &Bound<'_, PyAny>) -> bool {
    obj.get_type().module().is_ok_and(|m| m == "cxm")
}

/// A bool is an int to Python, so `lost=True` would count as 1: refused, as scores refuse it.
fn refuse_bool(obj: &Bound<'_, PyAny>) -> PyResult<()> {
    let numpy_bool = obj.py().import("numpy").and_then(|np| np.getattr("bool_"));
    if obj.is_instance_of::<PyBool>()
        || numpy_bool.is_ok_and(|b| obj.is_instance(&b).unwrap_or(false))
    {
        return Err(PyTypeError::new_err(format!(
            "{} is a bool, not a number: True and False would silently count as 1 and 0",
            obj.repr().map_or_else(|_| "the value".to_owned(), |r| r.to_string())
        )));
    }
    Ok(())
}

/// A number argument the core takes as a double (a count of events, an exposure): a bool is a
/// `TypeError`, an int no double holds (`10**400`) the core's `outside_supported_range` naming
/// `quantity`, not a bare `OverflowError`.
pub(crate) fn float_argument(obj: &Bound<'_, PyAny>, quantity: &str) -> PyResult<f64> {
    refuse_bool(obj)?;
    obj.extract::<f64>().map_err(|e| {
        if e.is_instance_of::<PyOverflowError>(obj.py()) {
            let sign = if obj.lt(0).unwrap_or(false) { -1.0 } else { 1.0 };
            let error = cxm_core::Error::OutsideSupportedRange {
                quantity: quantity.to_owned(),
                value: sign * f64::INFINITY,
                supported: "a number a double holds (below 1.8e308 in size)".to_owned(),
            };
            py_error(obj.py(), &error)
        } else {
            e
        }
    })
}
