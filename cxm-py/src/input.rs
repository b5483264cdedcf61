//! Python inputs to slices, one path per kind of input:
//! - a plain 1-D numpy array of a native integer or float dtype is read in place (no copy);
//! - lists, tuples and iterators (generators) are read once, item by item, into a `Vec<f64>`;
//! - anything else goes through `numpy.asarray` (pandas, polars and pyarrow all support it,
//!   without a copy where they can) and is then normalised: masked entries become missing,
//!   other byte orders, float16 and strided arrays are copied to a native contiguous array,
//!   and object or string arrays are read item by item like a list.
//!
//! Missing values are `None`, NaN, `pandas.NA` and masked entries; the core applies the
//! `missing=` policy to them. Bools and strings are refused (a bool or a str is not a score).

use numpy::{PyReadonlyArray1, PyUntypedArray};
use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyIterator, PyList, PyTuple};

use crate::cxm_error;

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

/// What is being read, for messages and for the kind of a value too large for a float.
#[derive(Clone, Copy)]
enum Role {
    Score,
    Weight,
    Duration,
}

impl Role {
    fn noun(self) -> &'static str {
        match self {
            Role::Score => "score",
            Role::Weight => "weight",
            Role::Duration => "duration",
        }
    }
    /// The core's kind for a value no float holds: outside every scale, or not a finite weight.
    fn too_large_kind(self) -> &'static str {
        match self {
            Role::Score => "score_out_of_range",
            Role::Weight => "invalid_weight",
            Role::Duration => "invalid_record",
        }
    }
}

/// Tries every supported dtype on a plain (not a subclass: a masked array's data is not all
/// it says), 1-D, C-contiguous, native-endian numpy array.
fn with_array<R>(
    obj: &Bound<'_, PyAny>,
    f: impl FnOnce(Scores<'_>) -> R,
) -> Result<R, impl FnOnce(Scores<'_>) -> R> {
    if !obj.is_exact_instance_of::<PyUntypedArray>() {
        return Err(f);
    }
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
    let f = match with_array(obj, f) {
        Ok(result) => return Ok(result),
        Err(f) => f,
    };
    match numbers(py, obj, Role::Score)? {
        Numbers::Floats(values) => Ok(f(Scores::F64(&values))),
        Numbers::Array(array) => {
            with_array(&array, f).map_err(|_| unsupported_dtype(&array, Role::Score))
        }
    }
}

/// Borrows or converts optional weights as `f64`s and calls `f` with them.
pub(crate) fn with_weights<R>(
    py: Python<'_>,
    obj: Option<&Bound<'_, PyAny>>,
    f: impl FnOnce(Option<&[f64]>) -> R,
) -> PyResult<R> {
    with_floats(py, obj, Role::Weight, f)
}

/// Borrows or converts durations (seconds) as `f64`s and calls `f` with them.
pub(crate) fn with_durations<R>(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    f: impl FnOnce(&[f64]) -> R,
) -> PyResult<R> {
    with_floats(py, Some(obj), Role::Duration, |d| f(d.unwrap_or_default()))
}

/// Borrows or converts optional numbers as `f64`s and calls `f` with them.
fn with_floats<R>(
    py: Python<'_>,
    obj: Option<&Bound<'_, PyAny>>,
    role: Role,
    f: impl FnOnce(Option<&[f64]>) -> R,
) -> PyResult<R> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(f(None));
    };
    if obj.is_exact_instance_of::<PyUntypedArray>() {
        if let Ok(array) = obj.extract::<PyReadonlyArray1<'_, f64>>() {
            if let Ok(slice) = array.as_slice() {
                return Ok(f(Some(slice)));
            }
        }
    }
    match numbers(py, obj, role)? {
        Numbers::Floats(values) => Ok(f(Some(&values))),
        Numbers::Array(array) => {
            let kwargs = PyDict::new(py);
            kwargs.set_item("copy", false)?;
            let array = aligned(array.call_method("astype", ("float64",), Some(&kwargs))?)?;
            let array = array.extract::<PyReadonlyArray1<'_, f64>>()?;
            Ok(f(Some(array.as_slice()?)))
        }
    }
}

/// Numbers read from Python: a numpy array of a native integer or float dtype (1-D,
/// C-contiguous), or floats read item by item.
enum Numbers<'py> {
    Array(Bound<'py, PyAny>),
    Floats(Vec<f64>),
}

/// Reads `obj` as one-dimensional numbers, refusing what is not (see the module comment).
fn numbers<'py>(py: Python<'py>, obj: &Bound<'py, PyAny>, role: Role) -> PyResult<Numbers<'py>> {
    let noun = role.noun();
    if obj.is_instance_of::<PyList>()
        || obj.is_instance_of::<PyTuple>()
        || obj.is_instance_of::<PyIterator>()
    {
        return Ok(Numbers::Floats(read_floats(py, obj, role)?));
    }
    let numpy = py.import("numpy")?;
    let mut array = numpy.call_method1("asarray", (obj,))?;
    let ndim: usize = array.getattr("ndim")?.extract()?;
    if ndim != 1 {
        let shape = array.getattr("shape")?;
        return Err(PyTypeError::new_err(format!(
            "{noun}s must be one-dimensional (a list, tuple, iterator, array or series of \
             numbers), but this {} is {ndim}-dimensional (shape {shape})",
            type_name(obj)
        )));
    }
    let mut kind = dtype_kind(&array)?;
    if kind == 'b' {
        return Err(PyTypeError::new_err(format!(
            "bool {noun}s are not {noun}s: True and False would silently count as 1 and 0; \
             convert them (e.g. with .astype(int)) if that is meant"
        )));
    }
    let ma = py.import("numpy.ma")?;
    if obj.is_instance(&ma.getattr("MaskedArray")?)? {
        // numpy.asarray dropped the mask: masked entries are missing values, like NaN or None.
        let missing = if "iuf".contains(kind) {
            f64::NAN.into_pyobject(py)?.into_any()
        } else {
            py.None().into_bound(py)
        };
        let mask = ma.call_method1("getmaskarray", (obj,))?;
        array = numpy.call_method1("where", (mask, missing, array))?;
        kind = dtype_kind(&array)?;
    }
    match kind {
        'i' | 'u' | 'f' => {
            // The core reads native integers, f32 and f64: another byte order is swapped,
            // float16 (and longdouble) become float64, and a strided array is made contiguous.
            let dtype = array.getattr("dtype")?;
            let itemsize: usize = dtype.getattr("itemsize")?.extract()?;
            let target = if kind == 'f' && itemsize != 4 && itemsize != 8 {
                numpy.getattr("float64")?
            } else {
                dtype.call_method1("newbyteorder", ("=",))?
            };
            let kwargs = PyDict::new(py);
            kwargs.set_item("order", "C")?;
            kwargs.set_item("copy", false)?;
            let converted = array.call_method("astype", (&target,), Some(&kwargs))?;
            if itemsize > 8 && matches!(role, Role::Score) {
                refuse_rounded_scores(py, &array, &converted)?;
            }
            Ok(Numbers::Array(aligned(converted)?))
        }
        // Objects (pandas object Series) and strings: item by item, as a list would be.
        'O' | 'U' | 'S' | 'T' => Ok(Numbers::Floats(read_floats(py, &array, role)?)),
        _ => Err(unsupported_dtype(&array, role)),
    }
}

/// `array`, or an aligned copy of it: a view at an odd offset (`np.frombuffer(buf, offset=1)`,
/// as Dask sends partitions) is contiguous but cannot be read in place.
fn aligned(array: Bound<'_, PyAny>) -> PyResult<Bound<'_, PyAny>> {
    if array.getattr("flags")?.getattr("aligned")?.extract::<bool>()? {
        Ok(array)
    } else {
        array.call_method0("copy")
    }
}

/// Refuses a score of a float wider than a double (`longdouble`) that a double does not hold
/// exactly: `9 + 2^-60` would become 9, a valid score, where it is not a whole number.
fn refuse_rounded_scores(
    py: Python<'_>,
    wide: &Bound<'_, PyAny>,
    converted: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let numpy = py.import("numpy")?;
    let back = converted.call_method1("astype", (wide.getattr("dtype")?,))?;
    let changed = back.call_method1("__ne__", (wide,))?;
    let not_nan = numpy.call_method1("isnan", (wide,))?.call_method0("__invert__")?;
    let rounded =
        numpy.call_method1("flatnonzero", (changed.call_method1("__and__", (not_nan,))?,))?;
    if rounded.len()? == 0 {
        return Ok(());
    }
    let index: usize = rounded.get_item(0)?.extract()?;
    let value = numpy.call_method1("format_float_positional", (wide.get_item(index)?,))?;
    Err(cxm_error(
        py,
        "not_whole_score",
        &format!("score {value} at index {index} is not a whole number (a double would round it)"),
    ))
}

/// Reads numbers item by item as floats: `None`, NaN and `pandas.NA` are missing (NaN);
/// a bool, a str or another non-number is a `TypeError` naming the index and the value; an int
/// too large for a float is a `CxmError` (no scale or weight is that large).
fn read_floats(py: Python<'_>, items: &Bound<'_, PyAny>, role: Role) -> PyResult<Vec<f64>> {
    let noun = role.noun();
    // An object from pandas means pandas is imported; if it is not, no item is pandas.NA.
    let pandas_na = py
        .import("sys")?
        .getattr("modules")?
        .get_item("pandas")
        .and_then(|pandas| pandas.getattr("NA"))
        .ok();
    let numpy_bool = py.import("numpy")?.getattr("bool_")?;
    items
        .try_iter()?
        .enumerate()
        .map(|(index, item)| {
            let item = item?;
            // The common case first: a plain int or float (exact types, so never a bool).
            if item.is_exact_instance_of::<PyInt>() || item.is_exact_instance_of::<PyFloat>() {
                if let Ok(value) = item.extract::<f64>() {
                    return Ok(value);
                }
            }
            if item.is_none() || pandas_na.as_ref().is_some_and(|na| item.is(na)) {
                return Ok(f64::NAN);
            }
            let not_a_number = || {
                PyTypeError::new_err(format!(
                    "{noun} at index {index} is a {} ({}), not a number",
                    type_name(&item),
                    shown(&item)
                ))
            };
            // float() would take True as 1.0.
            if item.is_instance_of::<PyBool>() || item.is_instance(&numpy_bool)? {
                return Err(not_a_number());
            }
            item.extract::<f64>().map_err(|e| {
                if e.is_instance_of::<PyOverflowError>(py) {
                    cxm_error(
                        py,
                        role.too_large_kind(),
                        &format!(
                            "{noun} at index {index} ({}) does not fit in a float",
                            shown(&item)
                        ),
                    )
                } else {
                    not_a_number()
                }
            })
        })
        .collect()
}

/// The one-letter dtype kind of a numpy array: 'b' bool, 'i'/'u' integers, 'f' floats, ...
fn dtype_kind(array: &Bound<'_, PyAny>) -> PyResult<char> {
    array.getattr("dtype")?.getattr("kind")?.extract()
}

fn unsupported_dtype(array: &Bound<'_, PyAny>, role: Role) -> PyErr {
    let dtype = array.getattr("dtype").map(|d| d.to_string()).unwrap_or_default();
    PyTypeError::new_err(format!("{}s must be integers or floats; got dtype {dtype}", role.noun()))
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_default()
}

/// `repr(obj)` for a message, shortened: a 400-digit int is shown by its first digits.
fn shown(obj: &Bound<'_, PyAny>) -> String {
    const MAX: usize = 40;
    let text = obj.repr().map_or_else(|_| "?".to_owned(), |r| r.to_string());
    if text.chars().count() <= MAX {
        return text;
    }
    let head: String = text.chars().take(MAX).collect();
    format!("{head}... ({} characters)", text.chars().count())
}

/// A `CxmError` naming a position, given the row label too when the data came with one (a
/// pandas Series whose index is not the default 0, 1, 2, ...): `label` is set and the message
/// reads "at index 4 (label 'r5')". A weight's error takes the label from the weights.
pub(crate) fn labelled(
    py: Python<'_>,
    err: PyErr,
    scores: &Bound<'_, PyAny>,
    weights: Option<&Bound<'_, PyAny>>,
) -> PyErr {
    let with_label = || -> PyResult<()> {
        let value = err.value(py);
        let Some(index) = value.getattr("index")?.extract::<Option<usize>>()? else {
            return Ok(());
        };
        let kind: String = value.getattr("kind")?.extract()?;
        let source = match weights {
            Some(w) if kind == "invalid_weight" && !w.is_none() => w,
            _ => scores,
        };
        let from_pandas =
            source.get_type().module().is_ok_and(|m| m.to_string().starts_with("pandas"));
        if !from_pandas || !source.hasattr("index")? {
            return Ok(());
        }
        let labels = source.getattr("index")?;
        let default = labels.get_type().name()? == "RangeIndex"
            && labels.getattr("start")?.extract::<i64>()? == 0
            && labels.getattr("step")?.extract::<i64>()? == 1;
        if default {
            return Ok(());
        }
        let label = labels.get_item(index)?;
        let message = value.str()?.to_string().replacen(
            &format!("at index {index}"),
            &format!("at index {index} (label {})", label.repr()?),
            1,
        );
        value.setattr("label", label)?;
        value.setattr("args", (message,))?;
        Ok(())
    };
    match with_label() {
        Ok(()) => err,
        Err(e) => e,
    }
}
