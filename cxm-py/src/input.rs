//! Python inputs to slices: numpy arrays are read in place (no copy); lists are read once
//! into a `Vec<f64>` (`None` and NaN are missing); anything else goes through
//! `numpy.asarray` (pandas, polars and pyarrow all support it, without a copy where they can).

use numpy::PyReadonlyArray1;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

/// Scores borrowed from Python, in the element type they arrived in.
pub(crate) enum Scores<'a> {
    U8(&'a [u8]),
    U16(&'a [u16]),
    U32(&'a [u32]),
    U64(&'a [u64]),
    I8(&'a [i8]),
    I16(&'a [i16]),
    I32(&'a [i32]),
    I64(&'a [i64]),
    F32(&'a [f32]),
    F64(&'a [f64]),
}

/// Evaluates `$body` with `$s` bound to the typed slice inside a [`Scores`]: one generic
/// call, monomorphised per element type.
macro_rules! on_scores {
    ($scores:expr, |$s:ident| $body:expr) => {
        match $scores {
            $crate::input::Scores::U8($s) => $body,
            $crate::input::Scores::U16($s) => $body,
            $crate::input::Scores::U32($s) => $body,
            $crate::input::Scores::U64($s) => $body,
            $crate::input::Scores::I8($s) => $body,
            $crate::input::Scores::I16($s) => $body,
            $crate::input::Scores::I32($s) => $body,
            $crate::input::Scores::I64($s) => $body,
            $crate::input::Scores::F32($s) => $body,
            $crate::input::Scores::F64($s) => $body,
        }
    };
}
pub(crate) use on_scores;

impl Scores<'_> {
    pub(crate) fn len(&self) -> usize {
        on_scores!(self, |s| s.len())
    }
}

/// Below this many responses the GIL is kept: releasing it costs more than the work.
const RELEASE_GIL_FROM: usize = 16_384;

/// Runs `work` on `len` responses, without the GIL when the input is large.
pub(crate) fn compute<T: Send>(py: Python<'_>, len: usize, work: impl FnOnce() -> T + Send) -> T {
    if len >= RELEASE_GIL_FROM {
        py.detach(work)
    } else {
        work()
    }
}

/// Tries every supported dtype on a 1-D, C-contiguous numpy array.
fn with_array<R>(
    obj: &Bound<'_, PyAny>,
    f: impl FnOnce(Scores<'_>) -> R,
) -> Result<R, impl FnOnce(Scores<'_>) -> R> {
    macro_rules! try_dtype {
        ($($variant:ident: $t:ty),*) => {$(
            if let Ok(array) = obj.extract::<PyReadonlyArray1<'_, $t>>() {
                if let Ok(slice) = array.as_slice() {
                    return Ok(f(Scores::$variant(slice)));
                }
            }
        )*};
    }
    try_dtype!(U8: u8, U16: u16, U32: u32, U64: u64, I8: i8, I16: i16, I32: i32, I64: i64, F32: f32, F64: f64);
    Err(f)
}

/// Borrows or converts `obj` as scores and calls `f` with them.
pub(crate) fn with_scores<R>(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    f: impl FnOnce(Scores<'_>) -> R,
) -> PyResult<R> {
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let values = list_of_floats(obj)?;
        return Ok(f(Scores::F64(&values)));
    }
    let f = match with_array(obj, f) {
        Ok(result) => return Ok(result),
        Err(f) => f,
    };
    let numpy = py.import("numpy")?;
    let mut array = numpy.call_method1("ascontiguousarray", (obj,))?;
    if array.getattr("dtype")?.getattr("kind")?.extract::<String>()? == "O" {
        // pandas' nullable integers and the like: NA becomes NaN, i.e. missing.
        array = numpy.call_method1("ascontiguousarray", (obj, "float64"))?;
    }
    with_array(&array, f).map_err(|_| {
        let dtype = array.getattr("dtype").map(|d| d.to_string()).unwrap_or_default();
        let ndim = array.getattr("ndim").and_then(|d| d.extract::<usize>()).unwrap_or(0);
        PyTypeError::new_err(format!(
            "scores must be one-dimensional integers or floats; got {ndim}-dimensional dtype {dtype}"
        ))
    })
}

/// A list or tuple of numbers as floats, with `None` as NaN (missing).
fn list_of_floats(obj: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    obj.try_iter()?
        .enumerate()
        .map(|(index, item)| {
            let item = item?;
            if item.is_none() {
                return Ok(f64::NAN);
            }
            item.extract::<f64>().map_err(|_| {
                let type_name = item.get_type().name().map(|n| n.to_string()).unwrap_or_default();
                PyTypeError::new_err(format!(
                    "score at index {index} is a {type_name}, not a number"
                ))
            })
        })
        .collect()
}

/// Borrows or converts optional weights as `f64`s and calls `f` with them.
pub(crate) fn with_weights<R>(
    py: Python<'_>,
    obj: Option<&Bound<'_, PyAny>>,
    f: impl FnOnce(Option<&[f64]>) -> R,
) -> PyResult<R> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(f(None));
    };
    if let Ok(array) = obj.extract::<PyReadonlyArray1<'_, f64>>() {
        if let Ok(slice) = array.as_slice() {
            return Ok(f(Some(slice)));
        }
    }
    let converted = py.import("numpy")?.call_method1("ascontiguousarray", (obj, "float64"))?;
    let array = converted
        .extract::<PyReadonlyArray1<'_, f64>>()
        .map_err(|_| PyTypeError::new_err("weights must be one-dimensional numbers"))?;
    Ok(f(Some(array.as_slice()?)))
}
