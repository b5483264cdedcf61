//! The Python module `cxm._cxm`: converts Python inputs, calls `cxm-core`, converts back.
//! No formula lives here.

mod args;
mod benchmark;
mod calibration;
mod churn;
mod compare;
mod drivers;
mod durations;
mod input;
mod lift;
mod nps;
mod pickle;
mod proportion;
mod rating;
mod segment;
mod states;
mod topics;

use cxm_core::{
    Alternative, ChurnBasis, Missing, Nps, NpsMethod, ProportionMethod, RateMethod, Scale,
};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

create_exception!(
    cxm,
    CxmError,
    PyValueError,
    "Raised for input cxm refuses: the message names the value and its index; `kind` is a \
     stable name for the error (e.g. \"score_out_of_range\")."
);

/// A `CxmError` with `message`, `kind` (one of the core's `Error::KINDS`) and its `code`.
pub(crate) fn cxm_error(py: Python<'_>, kind: &str, message: &str) -> PyErr {
    let err = CxmError::new_err(message.to_owned());
    let code = cxm_core::Error::KINDS.iter().find(|&&(name, _)| name == kind).map(|&(_, c)| c);
    let value = err.value(py);
    let set = || -> PyResult<()> {
        value.setattr("kind", kind)?;
        value.setattr("code", code)?;
        value.setattr("index", py.None())?;
        value.setattr("label", py.None())
    };
    if let Err(e) = set() {
        return e;
    }
    err
}

/// Turns a core error into a `CxmError` carrying its message, `kind`, and `index`: the position
/// of the value refused, when the error names one.
/// A core result as JSON (serde's names; floats written to round-trip exactly), for the result
/// classes written in Python.
pub(crate) fn to_json(value: &impl serde::Serialize) -> PyResult<String> {
    serde_json::to_string(value)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))
}

pub(crate) fn py_error(py: Python<'_>, error: &cxm_core::Error) -> PyErr {
    let err = cxm_error(py, error.kind(), &error.to_string());
    if let Err(e) = err.value(py).setattr("index", error.index()) {
        return e;
    }
    err
}

#[pymodule]
fn _cxm(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("CxmError", m.py().get_type::<CxmError>())?;
    // One line per class or function: each lives in its metric's file.
    m.add_class::<nps::NpsResult>()?;
    m.add_function(wrap_pyfunction!(nps::nps, m)?)?;
    m.add_function(wrap_pyfunction!(nps::nps_from_counts, m)?)?;
    m.add_class::<rating::RatingResult>()?;
    m.add_function(wrap_pyfunction!(rating::csat, m)?)?;
    m.add_function(wrap_pyfunction!(rating::ces, m)?)?;
    m.add_function(wrap_pyfunction!(proportion::proportion_interval, m)?)?;
    m.add_class::<compare::ComparisonResult>()?;
    m.add_function(wrap_pyfunction!(compare::compare_proportions, m)?)?;
    m.add_function(wrap_pyfunction!(compare::compare_nps, m)?)?;
    m.add_function(wrap_pyfunction!(compare::compare_means, m)?)?;
    m.add_class::<lift::LiftResult>()?;
    m.add_function(wrap_pyfunction!(lift::lift, m)?)?;
    m.add_class::<lift::NamedRateResult>()?;
    m.add_function(wrap_pyfunction!(lift::rate, m)?)?;
    m.add_class::<benchmark::BenchmarkResult>()?;
    m.add_function(wrap_pyfunction!(benchmark::nps_vs_benchmark, m)?)?;
    m.add_function(wrap_pyfunction!(benchmark::proportion_vs_benchmark, m)?)?;
    m.add_class::<churn::ChurnResult>()?;
    m.add_function(wrap_pyfunction!(churn::churn, m)?)?;
    m.add_class::<churn::NcvgResult>()?;
    m.add_function(wrap_pyfunction!(churn::ncvg, m)?)?;
    m.add_class::<churn::CustomerFlowResult>()?;
    m.add_function(wrap_pyfunction!(churn::_customer_flow, m)?)?;
    m.add_function(wrap_pyfunction!(churn::_churn_lift, m)?)?;
    m.add_function(wrap_pyfunction!(churn::rate_interval, m)?)?;
    m.add_function(wrap_pyfunction!(churn::annual_from_monthly, m)?)?;
    m.add_function(wrap_pyfunction!(churn::monthly_from_annual, m)?)?;
    m.add_function(wrap_pyfunction!(segment::adjust_p_values, m)?)?;
    m.add_function(wrap_pyfunction!(segment::_segment_table, m)?)?;
    m.add_function(wrap_pyfunction!(segment::_group_states, m)?)?;
    m.add_function(wrap_pyfunction!(segment::_count_states, m)?)?;
    m.add_function(wrap_pyfunction!(segment::_states_table, m)?)?;
    m.add_function(wrap_pyfunction!(segment::_bucket_periods, m)?)?;
    m.add_function(wrap_pyfunction!(segment::_period_labels, m)?)?;
    m.add_function(wrap_pyfunction!(durations::_durations, m)?)?;
    m.add_function(wrap_pyfunction!(durations::_contact_centre, m)?)?;
    m.add_function(wrap_pyfunction!(drivers::_drivers, m)?)?;
    m.add_function(wrap_pyfunction!(topics::_topic_impact, m)?)?;
    m.add_class::<calibration::PyRaking>()?;
    m.add_class::<calibration::PyCalibratedEstimate>()?;
    m.add_function(wrap_pyfunction!(calibration::_rake, m)?)?;
    m.add_class::<states::PyNpsState>()?;
    m.add_class::<states::PyRatingState>()?;
    m.add_class::<states::PyDurationState>()?;
    m.add_class::<states::PyContactCentreState>()?;
    m.add_function(wrap_pyfunction!(pickle::_restore, m)?)?;
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
    let churn = cxm_core::churn(5, 100, Some(90), ChurnBasis::Start).map_err(error)?;
    d.set_item("ChurnResult", names(&churn))?;
    d.set_item("NcvgResult", names(&cxm_core::ncvg(3, 300, 2, 100).map_err(error)?))?;
    let records = cxm_core::CustomerRecords { starts: &[0], ..Default::default() };
    let flow = cxm_core::customer_flow(&records, 0, 10).map_err(error)?;
    d.set_item("CustomerFlowResult", names(&flow))?;
    let lift = cxm_core::churn_lift(
        &cxm_core::CustomerRecords {
            customers: Some(&[1, 2]),
            starts: &[0, 0],
            ..Default::default()
        },
        0,
        10,
        &[1, 2],
        &[true, false],
        0.95,
    )
    .map_err(error)?;
    d.set_item("ChurnLiftResult", names(&lift))?;
    d.set_item("GroupChurn", names(&lift.marked))?;
    let options = cxm_core::DriverOptions { resamples: 0, ..Default::default() };
    let (score, driver) = ([1.0, 2.0, 4.0, 3.0], [1.0, 3.0, 4.0, 2.0]);
    let k = cxm_core::key_drivers(&score, &[&driver], &["x"], None, &options).map_err(error)?;
    d.set_item("DriversResult", names(&k))?;
    d.set_item("DriverShare", names(&k.drivers[0]))?;
    let rows = cxm_core::nps_topic_impact(
        &[9_u8, 3, 10, 7],
        &[&[true, false, false, true]],
        &["price"],
        Missing::Reject,
        0.95,
        cxm_core::Adjustment::DEFAULT,
    )
    .map_err(error)?;
    d.set_item("TopicImpact", names(&rows[0]))?;
    let durations = cxm_core::durations(
        &[1.0, 2.0],
        None,
        None,
        &[],
        Some(1.0),
        0.95,
        cxm_core::Transform::default(),
    )
    .map_err(error)?;
    d.set_item("DurationsResult", names(&durations))?;
    d.set_item("LiftResult", names(&cxm_core::lift(3, 10, 0, 12, 0.95).map_err(error)?))?;
    let rate =
        cxm_core::named_rate(cxm_core::NamedRate::Renewal, 8, 9, 0.95, ProportionMethod::Wilson)
            .map_err(error)?;
    d.set_item("NamedRateResult", names(&rate))?;
    let region = [0, 1, 1];
    let margins =
        [cxm_core::Margin { name: "region", codes: &region, targets: &[1.0, 1.0], labels: None }];
    let raked = cxm_core::rake(&margins, None, &cxm_core::RakeOptions::default()).map_err(error)?;
    let calibrated =
        cxm_core::calibrated_nps(&[9_u8, 3, 7], &raked, Missing::Reject, 0.95).map_err(error)?;
    d.set_item("CalibratedEstimate", names(&calibrated))?;
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
    d.set_item("churn_basis", ChurnBasis::default().name())?;
    d.set_item("rate_method", RateMethod::default().name())?;
    d.set_item("adjustment", cxm_core::Adjustment::DEFAULT.name())?;
    d.set_item("min_n", cxm_core::DEFAULT_MIN_N)?;
    d.set_item("compare", cxm_core::Compare::DEFAULT.name())?;
    d.set_item("period", cxm_core::Period::DEFAULT.name())?;
    for basis in [ChurnBasis::Start, ChurnBasis::Average] {
        d.set_item(format!("churn_method_{}", basis.name()), basis.default_method().name())?;
    }
    d.set_item("resamples", cxm_core::DEFAULT_RESAMPLES)?;
    d.set_item("percentiles", cxm_core::DEFAULT_PERCENTILES.to_vec())?;
    d.set_item("conf_type", cxm_core::Transform::default().name())?;
    d.set_item("service_level_seconds", cxm_core::DEFAULT_SERVICE_LEVEL_SECONDS)?;
    d.set_item("draws", cxm_core::DEFAULT_DRAWS)?;
    d.set_item("driver_method", cxm_core::DriverMethod::default().name())?;
    d.set_item("driver_resamples", cxm_core::DEFAULT_DRIVER_RESAMPLES)?;
    d.set_item("driver_seed", cxm_core::DriverOptions::default().seed)?;
    d.set_item("driver_permutations", cxm_core::DEFAULT_PERMUTATIONS)?;
    d.set_item("rake_tolerance", cxm_core::DEFAULT_RAKE_TOLERANCE)?;
    d.set_item("rake_iterations", cxm_core::DEFAULT_RAKE_ITERATIONS)?;
    for (name, scale) in [("csat", Scale::csat()), ("ces", Scale::ces())] {
        let s = PyDict::new(py);
        s.set_item("scale", (scale.min(), scale.max()))?;
        s.set_item("threshold", scale.threshold())?;
        s.set_item("higher_is_better", scale.higher_is_better())?;
        d.set_item(name, s)?;
    }
    Ok(d)
}
