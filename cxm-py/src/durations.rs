//! `cxm.durations` and `cxm.contact_centre`: convert the records and delegate to the core; the
//! result classes are plain Python (cxm/_durations.py), built from the dicts returned here.

use cxm_core::{
    ContactCentre, ContactCentreState, ContactShare, DurationState, Durations, Interval, Step,
    SurvivalPercentile, Transform,
};
use numpy::{IntoPyArray, PyArray2, PyArrayMethods, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PySlice};

use crate::input::{compute, with_durations, with_weights};
use crate::py_error;

fn percentile<'py>(py: Python<'py>, p: &SurvivalPercentile) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("percent", p.percent)?;
    d.set_item("estimate", p.estimate)?;
    d.set_item("lower", p.lower)?;
    d.set_item("upper", p.upper)?;
    Ok(d)
}

/// The names of the fields of a step of the curve, in their order (`Step` is `repr(C)`).
const STEP_FIELDS: [&str; 6] = ["time", "at_risk", "resolved", "open", "survival", "greenwood"];

/// A type made of `FIELDS` `f64`s and nothing else, laid out in declaration order.
///
/// # Safety
/// The type is `#[repr(C)]` and its fields are `FIELDS` `f64`s, with no padding.
unsafe trait Floats: Sized {
    const FIELDS: usize;
}

// SAFETY: both are `#[repr(C)]` structs of f64 fields only (six and two); the assertions below
// hold the sizes.
unsafe impl Floats for Step {
    const FIELDS: usize = 6;
}
unsafe impl Floats for Interval {
    const FIELDS: usize = 2;
}
const _: () = assert!(size_of::<Step>() == 6 * size_of::<f64>());
const _: () = assert!(size_of::<Interval>() == 2 * size_of::<f64>());

/// A column-per-field table of `rows` as a numpy array of shape (rows, fields), on the rows'
/// own buffer: a curve of 1e7 steps is handed over without a copy (copying it doubled the
/// memory the call touched, and its cost).
fn table<T: Floats>(py: Python<'_>, rows: Vec<T>) -> PyResult<Bound<'_, PyArray2<f64>>> {
    let (len, k) = (rows.len(), T::FIELDS);
    let mut rows = std::mem::ManuallyDrop::new(rows);
    // SAFETY: `T` is `k` f64s without padding (`Floats`), so its buffer holds `len · k`
    // initialized f64s, allocated for `capacity · k` of them with the same size and alignment
    // (8) as a `Vec<f64>` of that capacity would be; `rows` is never used or dropped again.
    let floats = unsafe {
        Vec::from_raw_parts(rows.as_mut_ptr().cast::<f64>(), len * k, rows.capacity() * k)
    };
    floats.into_pyarray(py).reshape([len, k])
}

/// The curve's columns (each a view of one table of the steps, and the band's limits as
/// `lower` and `upper`), taken out of `d`.
fn curve_columns<'py>(py: Python<'py>, d: &mut Durations) -> PyResult<Option<Bound<'py, PyDict>>> {
    let Some(curve) = d.curve.take() else { return Ok(None) };
    let band = d.band.take().unwrap_or_default();
    let columns = PyDict::new(py);
    let steps = table(py, curve.steps)?;
    for (j, name) in STEP_FIELDS.iter().enumerate() {
        columns.set_item(name, steps.call_method1("__getitem__", ((PySlice::full(py), j),))?)?;
    }
    let band = table(py, band)?;
    for (j, name) in ["lower", "upper"].iter().enumerate() {
        columns.set_item(name, band.call_method1("__getitem__", ((PySlice::full(py), j),))?)?;
    }
    Ok(Some(columns))
}

/// The core's `Durations` as plain Python data (the field names are the core's).
fn to_python(py: Python<'_>, mut d: Durations) -> PyResult<Bound<'_, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("curve", curve_columns(py, &mut d)?)?;
    out.set_item("records", d.records)?;
    out.set_item("open", d.open)?;
    let mean = match &d.mean {
        Some(m) => {
            let mean = PyDict::new(py);
            mean.set_item("estimate", m.estimate)?;
            mean.set_item("standard_deviation", m.standard_deviation)?;
            mean.set_item("interval", m.interval.map(|i| (i.lower, i.upper)))?;
            Some(mean)
        }
        None => None,
    };
    out.set_item("mean", mean)?;
    out.set_item("median", percentile(py, &d.median)?)?;
    let rows = d.percentiles.iter().map(|p| percentile(py, p)).collect::<PyResult<Vec<_>>>()?;
    out.set_item("percentiles", rows)?;
    let within = match &d.within {
        Some(w) => {
            let within = PyDict::new(py);
            within.set_item("seconds", w.seconds)?;
            within.set_item("share", w.share)?;
            within.set_item("interval", (w.interval.lower, w.interval.upper))?;
            Some(within)
        }
        None => None,
    };
    out.set_item("within", within)?;
    Ok(out)
}

/// The core's `durations` of `seconds` (any numbers), `open` (a contiguous bool array or None)
/// and `weights`, for `cxm.durations`.
#[pyfunction]
#[pyo3(signature = (seconds, open, weights, percentiles, within, level, conf_type))]
#[allow(clippy::needless_pass_by_value, clippy::too_many_arguments)] // PyO3 takes them so
pub(crate) fn _durations<'py>(
    py: Python<'py>,
    seconds: &Bound<'py, PyAny>,
    open: Option<PyReadonlyArray1<'py, bool>>,
    weights: Option<&Bound<'py, PyAny>>,
    percentiles: Vec<f64>,
    within: Option<f64>,
    level: f64,
    conf_type: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let transform: Transform = conf_type.parse().map_err(|e| py_error(py, &e))?;
    let open = open.as_ref().map(PyReadonlyArray1::as_slice).transpose()?;
    let result = with_weights(py, weights, |weights| {
        with_durations(py, seconds, |seconds| {
            compute(py, seconds.len(), || {
                cxm_core::durations(seconds, open, weights, &percentiles, within, level, transform)
            })
        })
    })??;
    to_python(py, result.map_err(|e| py_error(py, &e))?)
}

fn contact_share<'py>(py: Python<'py>, s: &ContactShare) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("count", s.count)?;
    d.set_item("of", s.of)?;
    d.set_item("share", s.share)?;
    d.set_item("interval", (s.interval.lower, s.interval.upper))?;
    Ok(d)
}

/// The core's `contact_centre` of `wait_seconds` (any numbers) and `answered` (a contiguous
/// bool array), for `cxm.contact_centre`.
#[pyfunction]
#[pyo3(signature = (wait_seconds, answered, short_abandon_seconds, service_level_seconds, percentiles, level))]
#[allow(clippy::needless_pass_by_value)] // PyO3 takes them so
pub(crate) fn _contact_centre<'py>(
    py: Python<'py>,
    wait_seconds: &Bound<'py, PyAny>,
    answered: PyReadonlyArray1<'py, bool>,
    short_abandon_seconds: Option<f64>,
    service_level_seconds: f64,
    percentiles: Vec<f64>,
    level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let answered = answered.as_slice()?;
    let result = with_durations(py, wait_seconds, |waits| {
        compute(py, waits.len(), || {
            cxm_core::contact_centre(
                waits,
                answered,
                short_abandon_seconds,
                service_level_seconds,
                &percentiles,
                level,
            )
        })
    })?;
    contact_centre_to_python(py, result.map_err(|e| py_error(py, &e))?)
}

/// The core's `ContactCentre` as plain Python data (the field names are the core's).
fn contact_centre_to_python(py: Python<'_>, c: ContactCentre) -> PyResult<Bound<'_, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("offered", c.offered)?;
    out.set_item("answered", c.answered)?;
    out.set_item("abandoned", c.abandoned)?;
    out.set_item("short_abandons", c.short_abandons)?;
    out.set_item("short_abandon_seconds", c.short_abandon_seconds)?;
    out.set_item("abandonment", contact_share(py, &c.abandonment)?)?;
    let levels = PyDict::new(py);
    for s in &c.service_levels {
        let level = contact_share(py, &s.level)?;
        level.set_item("seconds", s.seconds)?;
        levels.set_item(s.basis.name(), level)?;
    }
    out.set_item("service_levels", levels)?;
    let speed = match c.speed_of_answer {
        Some(d) => Some(to_python(py, d)?),
        None => None,
    };
    out.set_item("speed_of_answer", speed)?;
    Ok(out)
}

/// Adds `seconds` (numbers or timedeltas), `open` flags and `weights` to `state`, converted as
/// `cxm.durations` converts them.
pub(crate) fn add_durations(
    py: Python<'_>,
    state: &mut DurationState,
    seconds: &Bound<'_, PyAny>,
    open: Option<&Bound<'_, PyAny>>,
    weights: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let helpers = py.import("cxm._durations")?;
    let seconds = helpers.getattr("_seconds_of")?.call1((seconds,))?;
    let flags = helpers.getattr("_open_flags")?.call1((open,))?;
    let flags: Option<PyReadonlyArray1<'_, bool>> = flags.extract()?;
    let open = flags.as_ref().map(PyReadonlyArray1::as_slice).transpose()?;
    let result = with_weights(py, weights, |weights| {
        with_durations(py, &seconds, |s| {
            compute(py, s.len(), || match weights {
                Some(weights) => state.add_weighted(s, open, weights),
                None => state.add(s, open),
            })
        })
    })??;
    result.map_err(|e| py_error(py, &e))
}

/// The `DurationsResult` of `state`: its summary (`cxm.durations`' to the bit) as
/// `cxm.durations` returns it.
pub(crate) fn finish_durations<'py>(
    py: Python<'py>,
    state: &DurationState,
    percentiles: &[f64],
    within: Option<f64>,
    level: f64,
    conf_type: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let transform: Transform = conf_type.parse().map_err(|e| py_error(py, &e))?;
    let d = state.summary(percentiles, within, level, transform).map_err(|e| py_error(py, &e))?;
    let result = to_python(py, d)?;
    py.import("cxm._durations")?.getattr("DurationsResult")?.call1((result, level, conf_type))
}

/// Adds contacts (`wait_seconds`: numbers or timedeltas; `answered`: flags) to `state`,
/// converted as `cxm.contact_centre` converts them.
pub(crate) fn add_contacts(
    py: Python<'_>,
    state: &mut ContactCentreState,
    wait_seconds: &Bound<'_, PyAny>,
    answered: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let helpers = py.import("cxm._durations")?;
    let waits = helpers.getattr("_seconds_of")?.call1((wait_seconds,))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("what", "answered")?;
    let flags = helpers.getattr("_open_flags")?.call((answered,), Some(&kwargs))?;
    let flags: PyReadonlyArray1<'_, bool> = flags.extract()?;
    let answered = flags.as_slice()?;
    let result = with_durations(py, &waits, |w| compute(py, w.len(), || state.add(w, answered)))?;
    result.map_err(|e| py_error(py, &e))
}

/// The `ContactCentreResult` of `state`: `cxm.contact_centre`'s of all its contacts, to the bit.
pub(crate) fn finish_contact_centre<'py>(
    py: Python<'py>,
    state: &ContactCentreState,
    short_abandon_seconds: Option<f64>,
    service_level_seconds: f64,
    percentiles: &[f64],
    level: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let c = state
        .summary(short_abandon_seconds, service_level_seconds, percentiles, level)
        .map_err(|e| py_error(py, &e))?;
    let result = contact_centre_to_python(py, c)?;
    py.import("cxm._durations")?.getattr("ContactCentreResult")?.call1((result, level))
}
