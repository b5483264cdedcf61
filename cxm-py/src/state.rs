//! Pickling, copying and equality of the result classes. A result's state is its `to_dict`;
//! `_restore` reads it back field by field and the core checks it, so a tampered pickle is
//! refused (`invalid_estimate`) as a hand-built C struct is. Equality compares those states,
//! NaN equal to NaN: a one-answer rating's NaN standard deviation is the same result.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyTuple};

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
