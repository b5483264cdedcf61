//! `cxm.churn`, `cxm.ncvg`, `cxm.customer_flow` (through `_customer_flow`), `cxm.rate_interval`
//! and their result classes.

use cxm_core::{Churn, ChurnBasis, CustomerFlow, CustomerRecords, Ncvg, RateMethod};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::args::{float_argument, whole};
use crate::pickle::{self, field};
use crate::{input, py_error};

fn error(py: Python<'_>) -> impl Fn(cxm_core::Error) -> PyErr + '_ {
    move |e| py_error(py, &e)
}

/// Churn over a period from its counts (`cxm.churn`).
#[pyclass(frozen, module = "cxm", name = "ChurnResult")]
pub(crate) struct ChurnResult {
    pub(crate) inner: Churn,
}

#[pymethods]
impl ChurnResult {
    /// Customers lost during the period.
    #[getter]
    fn lost(&self) -> i64 {
        self.inner.lost
    }
    /// Customers at the start.
    #[getter]
    fn customers_at_start(&self) -> i64 {
        self.inner.customers_at_start
    }
    /// Customers at the end, or None.
    #[getter]
    fn customers_at_end(&self) -> Option<i64> {
        self.inner.customers_at_end
    }
    /// "start" or "average": what `rate` is divided by.
    #[getter]
    fn basis(&self) -> &'static str {
        self.inner.basis.name()
    }
    /// Lost / customers at start, or / the average of start and end.
    #[getter]
    fn rate(&self) -> f64 {
        self.inner.rate
    }
    /// (Start - lost) / start.
    #[getter]
    fn retention(&self) -> f64 {
        self.inner.retention
    }
    /// (End - start) / start, or None without an end count.
    #[getter]
    fn growth(&self) -> Option<f64> {
        self.inner.growth
    }

    /// A confidence interval for `rate`: `method` is a proportion method on the start basis,
    /// a Poisson-rate method on the average basis; None is the basis's default.
    #[pyo3(signature = (level = 0.95, method = None))]
    fn interval(&self, py: Python<'_>, level: f64, method: Option<&str>) -> PyResult<(f64, f64)> {
        let basis = self.inner.basis;
        let method = match method {
            Some(name) => basis.method(name).map_err(error(py))?,
            None => basis.default_method(),
        };
        let ci = self.inner.interval(level, method).map_err(error(py))?;
        Ok((ci.lower, ci.upper))
    }

    /// The fields as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("lost", self.lost())?;
        d.set_item("customers_at_start", self.customers_at_start())?;
        d.set_item("customers_at_end", self.customers_at_end())?;
        d.set_item("basis", self.basis())?;
        d.set_item("rate", self.rate())?;
        d.set_item("retention", self.retention())?;
        d.set_item("growth", self.growth())?;
        Ok(d)
    }

    /// Equal when every field is.
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        pickle::equal(py, self, other, ChurnResult::to_dict)
    }

    /// Pickling and copying: the state is `to_dict`, checked again by the core when read back.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<pickle::Reduced<'py>> {
        pickle::reduce(py, "ChurnResult", self.to_dict(py)?)
    }

    fn __repr__(&self) -> String {
        let c = &self.inner;
        format!(
            "ChurnResult(rate={:?}, basis='{}', lost={}, customers_at_start={}, customers_at_end={})",
            c.rate,
            c.basis.name(),
            c.lost,
            c.customers_at_start,
            c.customers_at_end.map_or("None".to_owned(), |e| e.to_string())
        )
    }
}

/// Churn of `lost` of `customers_at_start` customers on `basis`, with retention and growth.
///
/// `basis` is `"start"` (lost / customers at the start; the default) or `"average"` (lost /
/// the average of the customers at the start and at the end, which needs `customers_at_end`).
/// Returns a `ChurnResult`: `rate`, `retention` (1 - lost / start), `growth` (None without
/// `customers_at_end`), the counts and basis, and `interval(level, method)`: on the start basis
/// a proportion interval (`wilson`, `agresti_coull`, `clopper_pearson`, `jeffreys`, `wald`), on
/// the average basis a Poisson-rate interval (`exact`, `jeffreys`, `score`, `wald`, `wald_ccv`,
/// `sqrt_anscombe`). Negative counts, no customers at the start and `lost > customers_at_start`
/// raise `CxmError`.
#[pyfunction]
#[pyo3(signature = (*, lost, customers_at_start, customers_at_end = None, basis = "start"))]
pub(crate) fn churn(
    py: Python<'_>,
    lost: &Bound<'_, PyAny>,
    customers_at_start: &Bound<'_, PyAny>,
    customers_at_end: Option<&Bound<'_, PyAny>>,
    basis: &str,
) -> PyResult<ChurnResult> {
    let basis: ChurnBasis = basis.parse().map_err(error(py))?;
    let end = customers_at_end.map(|e| whole(e, "customers_at_end")).transpose()?;
    let inner = cxm_core::churn(
        whole(lost, "lost")?,
        whole(customers_at_start, "customers_at_start")?,
        end,
        basis,
    )
    .map_err(error(py))?;
    Ok(ChurnResult { inner })
}

/// Net customer value growth (`cxm.ncvg`): every field an int.
#[pyclass(frozen, module = "cxm", name = "NcvgResult")]
pub(crate) struct NcvgResult {
    pub(crate) inner: Ncvg,
}

#[pymethods]
impl NcvgResult {
    /// Customers gained.
    #[getter]
    fn new_count(&self) -> i64 {
        self.inner.new_count
    }
    /// Their value, in minor units.
    #[getter]
    fn new_value(&self) -> i64 {
        self.inner.new_value
    }
    /// Customers lost.
    #[getter]
    fn lost_count(&self) -> i64 {
        self.inner.lost_count
    }
    /// Their value, in minor units.
    #[getter]
    fn lost_value(&self) -> i64 {
        self.inner.lost_value
    }
    /// `new_count` - `lost_count`.
    #[getter]
    fn net_count(&self) -> i64 {
        self.inner.net_count
    }
    /// `new_value` - `lost_value`, in minor units.
    #[getter]
    fn net_value(&self) -> i64 {
        self.inner.net_value
    }

    /// The fields as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("new_count", self.new_count())?;
        d.set_item("new_value", self.new_value())?;
        d.set_item("lost_count", self.lost_count())?;
        d.set_item("lost_value", self.lost_value())?;
        d.set_item("net_count", self.net_count())?;
        d.set_item("net_value", self.net_value())?;
        Ok(d)
    }

    /// Equal when every field is.
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        pickle::equal(py, self, other, NcvgResult::to_dict)
    }

    /// Pickling and copying: the state is `to_dict`, recomputed by the core when read back.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<pickle::Reduced<'py>> {
        pickle::reduce(py, "NcvgResult", self.to_dict(py)?)
    }

    fn __repr__(&self) -> String {
        let g = &self.inner;
        format!(
            "NcvgResult(net_count={}, net_value={}, new_count={}, new_value={}, lost_count={}, \
             lost_value={})",
            g.net_count, g.net_value, g.new_count, g.new_value, g.lost_count, g.lost_value
        )
    }
}

/// NCVG: customers gained minus customers lost, as counts and as value (integer minor units).
#[pyfunction]
#[pyo3(signature = (*, new_count, new_value, lost_count, lost_value))]
pub(crate) fn ncvg(
    py: Python<'_>,
    new_count: &Bound<'_, PyAny>,
    new_value: &Bound<'_, PyAny>,
    lost_count: &Bound<'_, PyAny>,
    lost_value: &Bound<'_, PyAny>,
) -> PyResult<NcvgResult> {
    let inner = cxm_core::ncvg(
        whole(new_count, "new_count")?,
        whole(new_value, "new_value")?,
        whole(lost_count, "lost_count")?,
        whole(lost_value, "lost_value")?,
    )
    .map_err(error(py))?;
    Ok(NcvgResult { inner })
}

/// The customers over a window (`cxm.customer_flow`).
#[pyclass(frozen, module = "cxm", name = "CustomerFlowResult")]
pub(crate) struct CustomerFlowResult {
    pub(crate) inner: CustomerFlow,
}

/// `to_dict` and the pickle reader of [`CustomerFlowResult`], one line per field of the core's
/// `CustomerFlow` (`tests/test_fields.py` holds them and the getters to it).
macro_rules! flow_fields {
    ($($name:ident: $ty:ty),* $(,)?) => {
        impl CustomerFlowResult {
            fn fields<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
                let d = PyDict::new(py);
                $(d.set_item(stringify!($name), self.inner.$name)?;)*
                Ok(d)
            }

            fn from_fields(state: &Bound<'_, PyDict>) -> PyResult<CustomerFlow> {
                Ok(CustomerFlow { $($name: field::<$ty>(state, stringify!($name))?,)* })
            }
        }
    };
}

flow_fields! {
    window_start: i64, window_end: i64, customers_at_start: i64, customers_at_end: i64,
    gained: i64, lost: i64, exposure_months: f64, churn_by_exposure: f64, has_values: bool,
    value_at_start: i64, value_at_end: i64, new_value: i64, lost_value: i64, expansion: i64,
    contraction: i64, gross_revenue_churn: f64, gross_revenue_retention: f64,
    net_revenue_retention: f64,
}

#[pymethods]
impl CustomerFlowResult {
    /// Window start, seconds since the Unix epoch.
    #[getter]
    fn window_start(&self) -> i64 {
        self.inner.window_start
    }
    /// Window end (excluded), seconds since the Unix epoch.
    #[getter]
    fn window_end(&self) -> i64 {
        self.inner.window_end
    }
    /// Window start as a timezone-aware UTC `datetime`.
    #[getter]
    fn window_start_datetime<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        utc_datetime(py, self.inner.window_start)
    }
    /// Window end (excluded) as a timezone-aware UTC `datetime`.
    #[getter]
    fn window_end_datetime<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        utc_datetime(py, self.inner.window_end)
    }
    /// Customers active at the window start.
    #[getter]
    fn customers_at_start(&self) -> i64 {
        self.inner.customers_at_start
    }
    /// Customers active at the window end.
    #[getter]
    fn customers_at_end(&self) -> i64 {
        self.inner.customers_at_end
    }
    /// Customers at the end who were not at the start.
    #[getter]
    fn gained(&self) -> i64 {
        self.inner.gained
    }
    /// Customers at the start who are not at the end.
    #[getter]
    fn lost(&self) -> i64 {
        self.inner.lost
    }
    /// Customer-months at risk: the time the customers at the start spent active inside the
    /// window, in months of 365.25/12 days.
    #[getter]
    fn exposure_months(&self) -> f64 {
        self.inner.exposure_months
    }
    /// lost / `exposure_months`: customers lost per customer-month.
    #[getter]
    fn churn_by_exposure(&self) -> f64 {
        self.inner.churn_by_exposure
    }
    /// Whether the records had values.
    #[getter]
    fn has_values(&self) -> bool {
        self.inner.has_values
    }
    /// Value of the customers at the start, at the start (minor units).
    #[getter]
    fn value_at_start(&self) -> i64 {
        self.inner.value_at_start
    }
    /// Value of the customers at the end, at the end (minor units).
    #[getter]
    fn value_at_end(&self) -> i64 {
        self.inner.value_at_end
    }
    /// Value at the end of the customers gained.
    #[getter]
    fn new_value(&self) -> i64 {
        self.inner.new_value
    }
    /// Value at the start of the customers lost.
    #[getter]
    fn lost_value(&self) -> i64 {
        self.inner.lost_value
    }
    /// Value increases of the customers there at both ends.
    #[getter]
    fn expansion(&self) -> i64 {
        self.inner.expansion
    }
    /// Value decreases of the customers there at both ends.
    #[getter]
    fn contraction(&self) -> i64 {
        self.inner.contraction
    }
    /// (`lost_value` + contraction) / `value_at_start`; NaN without values.
    #[getter]
    fn gross_revenue_churn(&self) -> f64 {
        self.inner.gross_revenue_churn
    }
    /// (`value_at_start` - `lost_value` - contraction) / `value_at_start` (GRR).
    #[getter]
    fn gross_revenue_retention(&self) -> f64 {
        self.inner.gross_revenue_retention
    }
    /// GRR plus expansion over the start value (NRR).
    #[getter]
    fn net_revenue_retention(&self) -> f64 {
        self.inner.net_revenue_retention
    }

    /// Churn over the window from its counts, on `basis`.
    #[pyo3(signature = (basis = "start"))]
    fn churn(&self, py: Python<'_>, basis: &str) -> PyResult<ChurnResult> {
        let basis: ChurnBasis = basis.parse().map_err(error(py))?;
        Ok(ChurnResult { inner: self.inner.churn(basis).map_err(error(py))? })
    }

    /// NCVG over the window.
    fn ncvg(&self, py: Python<'_>) -> PyResult<NcvgResult> {
        Ok(NcvgResult { inner: self.inner.ncvg().map_err(error(py))? })
    }

    /// A confidence interval for `churn_by_exposure` (a Poisson-rate method).
    #[pyo3(signature = (level = 0.95, method = "exact"))]
    fn churn_by_exposure_interval(
        &self,
        py: Python<'_>,
        level: f64,
        method: &str,
    ) -> PyResult<(f64, f64)> {
        let method: RateMethod = method.parse().map_err(error(py))?;
        let ci = self.inner.churn_by_exposure_interval(level, method).map_err(error(py))?;
        Ok((ci.lower, ci.upper))
    }

    /// The fields as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.fields(py)
    }

    /// Equal when every field is (NaN equal to NaN).
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        pickle::equal(py, self, other, CustomerFlowResult::to_dict)
    }

    /// Pickling and copying: the state is `to_dict`, checked again by the core when read back.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<pickle::Reduced<'py>> {
        pickle::reduce(py, "CustomerFlowResult", self.to_dict(py)?)
    }

    fn __repr__(&self) -> String {
        let f = &self.inner;
        format!(
            "CustomerFlowResult(customers_at_start={}, customers_at_end={}, gained={}, lost={}, \
             exposure_months={:?}, net_revenue_retention={:?})",
            f.customers_at_start,
            f.customers_at_end,
            f.gained,
            f.lost,
            f.exposure_months,
            f.net_revenue_retention
        )
    }
}

/// The flow of customers over `[window_start, window_end)` from int64 columns in seconds since
/// the Unix epoch (`cxm.customer_flow` converts dates and series to these).
#[pyfunction]
#[pyo3(signature = (starts, ends, values, customers, window_start, window_end))]
#[allow(clippy::needless_pass_by_value)] // PyO3 hands the borrowed arrays over by value
pub(crate) fn _customer_flow(
    py: Python<'_>,
    starts: PyReadonlyArray1<'_, i64>,
    ends: Option<PyReadonlyArray1<'_, i64>>,
    values: Option<PyReadonlyArray1<'_, i64>>,
    customers: Option<PyReadonlyArray1<'_, i64>>,
    window_start: i64,
    window_end: i64,
) -> PyResult<CustomerFlowResult> {
    let starts = starts.as_slice()?;
    let ends = ends.as_ref().map(PyReadonlyArray1::as_slice).transpose()?;
    let values = values.as_ref().map(PyReadonlyArray1::as_slice).transpose()?;
    let customers = customers.as_ref().map(PyReadonlyArray1::as_slice).transpose()?;
    let records = CustomerRecords { starts, ends, values, customers };
    let inner = input::compute(py, starts.len(), || {
        cxm_core::customer_flow(&records, window_start, window_end)
    })
    .map_err(error(py))?;
    Ok(CustomerFlowResult { inner })
}

/// One group of `churn_lift` as a dict of the core's fields.
fn group<'py>(py: Python<'py>, g: &cxm_core::GroupChurn) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("customers", g.customers)?;
    d.set_item("at_start", g.at_start)?;
    d.set_item("lost", g.lost)?;
    d.set_item("rate", g.rate)?;
    Ok(d)
}

/// The churn of customers marked at least once against the others', and its lift, from int64
/// columns (`cxm.churn_lift` converts dates and ids to these): the core's `churn_lift` as a
/// dict of its fields, the lift a `LiftResult`.
#[pyfunction]
#[pyo3(signature = (starts, ends, customers, window_start, window_end, marked_customers, marked, level))]
#[allow(clippy::needless_pass_by_value, clippy::too_many_arguments)] // PyO3 takes them so
pub(crate) fn _churn_lift<'py>(
    py: Python<'py>,
    starts: PyReadonlyArray1<'py, i64>,
    ends: Option<PyReadonlyArray1<'py, i64>>,
    customers: PyReadonlyArray1<'py, i64>,
    window_start: i64,
    window_end: i64,
    marked_customers: PyReadonlyArray1<'py, i64>,
    marked: PyReadonlyArray1<'py, bool>,
    level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let starts = starts.as_slice()?;
    let ends = ends.as_ref().map(PyReadonlyArray1::as_slice).transpose()?;
    let customers = Some(customers.as_slice()?);
    let records = CustomerRecords { starts, ends, values: None, customers };
    let (who, marked) = (marked_customers.as_slice()?, marked.as_slice()?);
    let c = input::compute(py, starts.len() + who.len(), || {
        cxm_core::churn_lift(&records, window_start, window_end, who, marked, level)
    })
    .map_err(error(py))?;
    let out = PyDict::new(py);
    out.set_item("window_start", c.window_start)?;
    out.set_item("window_end", c.window_end)?;
    out.set_item("marked", group(py, &c.marked)?)?;
    out.set_item("unmarked", group(py, &c.unmarked)?)?;
    out.set_item("unknown", c.unknown)?;
    out.set_item("lift", crate::lift::LiftResult { inner: c.lift })?;
    Ok(out)
}

/// The annual churn implied by a monthly churn `m` when each month loses the same share:
/// `1 - (1 - m)**12` (Gold, *Fighting Churn with Data*, 2.2), computed by the core so small
/// rates keep their digits.
#[pyfunction]
pub(crate) fn annual_from_monthly(py: Python<'_>, monthly: f64) -> PyResult<f64> {
    cxm_core::annual_from_monthly(monthly).map_err(error(py))
}

/// The monthly churn `1 - (1 - a)**(1/12)` that compounds to the annual churn `a`: the inverse
/// of `annual_from_monthly`.
#[pyfunction]
pub(crate) fn monthly_from_annual(py: Python<'_>, annual: f64) -> PyResult<f64> {
    cxm_core::monthly_from_annual(annual).map_err(error(py))
}

/// `seconds` since the Unix epoch as a UTC `datetime`; past Python's years 1-9999 the
/// core's `outside_supported_range`, naming the instant as an ISO 8601 date.
fn utc_datetime(py: Python<'_>, seconds: i64) -> PyResult<Bound<'_, PyAny>> {
    let datetime = py.import("datetime")?;
    let utc = datetime.getattr("timezone")?.getattr("utc")?;
    let epoch = datetime.getattr("datetime")?.call1((1970, 1, 1, 0, 0, 0, 0, utc))?;
    let shifted = datetime
        .getattr("timedelta")?
        .call1((0, seconds))
        .and_then(|delta| epoch.call_method1("__add__", (delta,)));
    shifted.map_err(|_| {
        let error = cxm_core::Error::OutsideSupportedRange {
            quantity: format!("the instant {}", cxm_core::Timestamp(seconds)),
            value: seconds as f64,
            supported: "Python's datetime years 1-9999".to_owned(),
        };
        py_error(py, &error)
    })
}

/// A confidence interval for the Poisson rate `count / exposure`: `(lower, upper)`.
#[pyfunction]
#[pyo3(signature = (count, exposure, level = 0.95, method = "exact"))]
pub(crate) fn rate_interval(
    py: Python<'_>,
    count: &Bound<'_, PyAny>,
    exposure: &Bound<'_, PyAny>,
    level: f64,
    method: &str,
) -> PyResult<(f64, f64)> {
    let (count, exposure) =
        (float_argument(count, "count")?, float_argument(exposure, "exposure")?);
    let method: RateMethod = method.parse().map_err(error(py))?;
    let ci = cxm_core::rate_interval(count, exposure, level, method).map_err(error(py))?;
    Ok((ci.lower, ci.upper))
}

/// Reads back a pickled churn, NCVG or flow result, or None for another class name.
pub(crate) fn restore(
    py: Python<'_>,
    class_name: &str,
    state: &Bound<'_, PyDict>,
) -> PyResult<Option<Py<PyAny>>> {
    Ok(Some(match class_name {
        "ChurnResult" => {
            let inner = Churn {
                lost: field(state, "lost")?,
                customers_at_start: field(state, "customers_at_start")?,
                customers_at_end: field(state, "customers_at_end")?,
                basis: field::<String>(state, "basis")?.parse().map_err(error(py))?,
                rate: field(state, "rate")?,
                retention: field(state, "retention")?,
                growth: field(state, "growth")?,
            };
            inner.check().map_err(error(py))?;
            Py::new(py, ChurnResult { inner })?.into_any()
        }
        "NcvgResult" => {
            let inner = Ncvg {
                new_count: field(state, "new_count")?,
                new_value: field(state, "new_value")?,
                lost_count: field(state, "lost_count")?,
                lost_value: field(state, "lost_value")?,
                net_count: field(state, "net_count")?,
                net_value: field(state, "net_value")?,
            };
            inner.check().map_err(error(py))?;
            Py::new(py, NcvgResult { inner })?.into_any()
        }
        "CustomerFlowResult" => {
            let inner = CustomerFlowResult::from_fields(state)?;
            inner.check().map_err(error(py))?;
            Py::new(py, CustomerFlowResult { inner })?.into_any()
        }
        _ => return Ok(None),
    }))
}
