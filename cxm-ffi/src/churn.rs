//! Churn, retention, the customer flow over a window and NCVG through the C ABI: conversion
//! to and from `cxm-core`, nothing computed here.

use cxm_core::{Churn, CustomerFlow, CustomerRecords, Ncvg};

use crate::boundary::{decode, flag, guard, optional_slice, out_param, read, slice, Failure};
use crate::nps::Interval;
use crate::status::Status;

/// An end time meaning "still active" (`INT64_MIN`, as numpy stores `NaT`); also the
/// `customers_at_end` of a `cxm_churn` computed without an end count.
pub const CXM_OPEN_END: i64 = -9_223_372_036_854_775_807 - 1;

/// What churn is divided by (see `cxm_core::ChurnBasis`). Passed as a `uint32_t`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChurnBasis {
    /// Lost / customers at the start: a proportion (`cxm_proportion_method` intervals).
    Start = 0,
    /// Lost / the average of start and end: a rate (`cxm_rate_method` intervals).
    Average = 1,
}

/// Poisson-rate interval methods (see `cxm_core::RateMethod`). Passed as a `uint32_t`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateMethod {
    /// Garwood's exact interval (the default).
    Exact = 0,
    /// Jeffreys.
    Jeffreys = 1,
    /// Inverted score test.
    Score = 2,
    /// Wald.
    Wald = 3,
    /// Wald with half an event added to the variance.
    WaldCcv = 4,
    /// Anscombe's square-root transformation.
    SqrtAnscombe = 5,
}

/// Churn over a period; fields as in `cxm_core::Churn`. `customers_at_end` is `CXM_OPEN_END`
/// and `growth` NaN when no end count was given; `basis` is a `cxm_churn_basis` value.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChurnResult {
    /// Customers lost during the period.
    pub lost: i64,
    /// Customers at its start.
    pub customers_at_start: i64,
    /// Customers at its end, or `CXM_OPEN_END`.
    pub customers_at_end: i64,
    /// The `cxm_churn_basis` of `rate`.
    pub basis: u32,
    /// Lost / customers at start, or / the average customers.
    pub rate: f64,
    /// (Start - lost) / start.
    pub retention: f64,
    /// (End - start) / start, or NaN.
    pub growth: f64,
}

/// Net customer value growth; fields as in `cxm_core::Ncvg`, values in integer minor units.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NcvgResult {
    /// Customers gained.
    pub new_count: i64,
    /// Their value.
    pub new_value: i64,
    /// Customers lost.
    pub lost_count: i64,
    /// Their value.
    pub lost_value: i64,
    /// New count - lost count.
    pub net_count: i64,
    /// New value - lost value.
    pub net_value: i64,
}

/// The customers over a window; fields as in `cxm_core::CustomerFlow`. Times are seconds since
/// the Unix epoch, values integer minor units, `has_values` 0 or 1; the revenue ratios are NaN
/// without values.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomerFlowResult {
    /// Window start.
    pub window_start: i64,
    /// Window end (excluded).
    pub window_end: i64,
    /// Customers active at the window start.
    pub customers_at_start: i64,
    /// Customers active at the window end.
    pub customers_at_end: i64,
    /// Customers at the end who were not at the start.
    pub gained: i64,
    /// Customers at the start who are not at the end.
    pub lost: i64,
    /// Customer-months at risk: the time the customers at the start spent active in the
    /// window (a month is 365.25/12 days); joiners add none.
    pub exposure_months: f64,
    /// Lost / exposure months.
    pub churn_by_exposure: f64,
    /// 1 when the records carried values.
    pub has_values: u32,
    /// Value of the customers at the start, at the start.
    pub value_at_start: i64,
    /// Value of the customers at the end, at the end.
    pub value_at_end: i64,
    /// Value at the end of the customers gained.
    pub new_value: i64,
    /// Value at the start of the customers lost.
    pub lost_value: i64,
    /// Value increases of the customers there at both ends.
    pub expansion: i64,
    /// Value decreases of the customers there at both ends.
    pub contraction: i64,
    /// (Lost value + contraction) / value at start.
    pub gross_revenue_churn: f64,
    /// (Value at start - lost value - contraction) / value at start.
    pub gross_revenue_retention: f64,
    /// (Value at start - lost value - contraction + expansion) / value at start.
    pub net_revenue_retention: f64,
}

impl From<Churn> for ChurnResult {
    fn from(c: Churn) -> ChurnResult {
        ChurnResult {
            lost: c.lost,
            customers_at_start: c.customers_at_start,
            customers_at_end: c.customers_at_end.unwrap_or(CXM_OPEN_END),
            basis: c.basis.code(),
            rate: c.rate,
            retention: c.retention,
            growth: c.growth.unwrap_or(f64::NAN),
        }
    }
}

fn churn_from(c: &ChurnResult) -> Result<Churn, Failure> {
    let end = (c.customers_at_end != CXM_OPEN_END).then_some(c.customers_at_end);
    let growth = end.map(|_| c.growth);
    Ok(Churn {
        lost: c.lost,
        customers_at_start: c.customers_at_start,
        customers_at_end: end,
        basis: basis(c.basis)?,
        rate: c.rate,
        retention: c.retention,
        growth,
    })
}

impl From<Ncvg> for NcvgResult {
    fn from(g: Ncvg) -> NcvgResult {
        let Ncvg { new_count, new_value, lost_count, lost_value, net_count, net_value } = g;
        NcvgResult { new_count, new_value, lost_count, lost_value, net_count, net_value }
    }
}

impl From<CustomerFlow> for CustomerFlowResult {
    fn from(f: CustomerFlow) -> CustomerFlowResult {
        CustomerFlowResult {
            window_start: f.window_start,
            window_end: f.window_end,
            customers_at_start: f.customers_at_start,
            customers_at_end: f.customers_at_end,
            gained: f.gained,
            lost: f.lost,
            exposure_months: f.exposure_months,
            churn_by_exposure: f.churn_by_exposure,
            has_values: u32::from(f.has_values),
            value_at_start: f.value_at_start,
            value_at_end: f.value_at_end,
            new_value: f.new_value,
            lost_value: f.lost_value,
            expansion: f.expansion,
            contraction: f.contraction,
            gross_revenue_churn: f.gross_revenue_churn,
            gross_revenue_retention: f.gross_revenue_retention,
            net_revenue_retention: f.net_revenue_retention,
        }
    }
}

fn flow_from(f: &CustomerFlowResult) -> Result<CustomerFlow, Failure> {
    let has_values = flag(f.has_values, "has_values")?;
    Ok(CustomerFlow {
        window_start: f.window_start,
        window_end: f.window_end,
        customers_at_start: f.customers_at_start,
        customers_at_end: f.customers_at_end,
        gained: f.gained,
        lost: f.lost,
        exposure_months: f.exposure_months,
        churn_by_exposure: f.churn_by_exposure,
        has_values,
        value_at_start: f.value_at_start,
        value_at_end: f.value_at_end,
        new_value: f.new_value,
        lost_value: f.lost_value,
        expansion: f.expansion,
        contraction: f.contraction,
        gross_revenue_churn: f.gross_revenue_churn,
        gross_revenue_retention: f.gross_revenue_retention,
        net_revenue_retention: f.net_revenue_retention,
    })
}

fn basis(code: u32) -> Result<cxm_core::ChurnBasis, Failure> {
    use cxm_core::ChurnBasis as B;
    decode(B::from_code(code), B::OPTION, code)
}

fn rate_method(code: u32) -> Result<cxm_core::RateMethod, Failure> {
    use cxm_core::RateMethod as M;
    decode(M::from_code(code), M::OPTION, code)
}

/// Churn of `lost` of `customers_at_start` customers on `basis` (a `cxm_churn_basis`), with
/// retention and growth (see `cxm_core::churn`). `customers_at_end` may be NULL (no end count;
/// the average basis needs one).
///
/// # Safety
/// `customers_at_end` must be NULL or readable, `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_churn_from_counts(
    lost: i64,
    customers_at_start: i64,
    customers_at_end: *const i64,
    basis: u32,
    out: *mut ChurnResult,
) -> Status {
    guard("cxm_churn_from_counts", || {
        out_param(out, "out")?;
        let end = if customers_at_end.is_null() {
            None
        } else {
            // SAFETY: not NULL, and the caller promises it is readable.
            Some(unsafe { read(customers_at_end, "customers_at_end")? })
        };
        let result = cxm_core::churn(lost, customers_at_start, end, self::basis(basis)?)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(result.into()) };
        Ok(())
    })
}

/// A two-sided confidence interval for `churn->rate` at `level`. `method` is a
/// `cxm_proportion_method` on the start basis and a `cxm_rate_method` on the average basis;
/// 0 is each family's default (Wilson, exact).
///
/// # Safety
/// `churn` must be readable, `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_churn_interval(
    churn: *const ChurnResult,
    level: f64,
    method: u32,
    out: *mut Interval,
) -> Status {
    guard("cxm_churn_interval", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises `churn` is readable.
        let churn = churn_from(&unsafe { read(churn, "churn")? })?;
        let option = format!("interval method of churn on the {} basis", churn.basis.name());
        let method = decode(churn.basis.method_from_code(method), &option, method)?;
        let ci = churn.interval(level, method)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(ci.into()) };
        Ok(())
    })
}

/// A confidence interval for the Poisson rate `count / exposure` (see
/// `cxm_core::rate_interval`; `method` is a `cxm_rate_method`).
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_rate_interval(
    count: f64,
    exposure: f64,
    level: f64,
    method: u32,
    out: *mut Interval,
) -> Status {
    guard("cxm_rate_interval", || {
        out_param(out, "out")?;
        let ci = cxm_core::rate_interval(count, exposure, level, rate_method(method)?)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(ci.into()) };
        Ok(())
    })
}

/// NCVG: customers (and their value, in minor units) gained minus those lost (see
/// `cxm_core::ncvg`).
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_ncvg_from_totals(
    new_count: i64,
    new_value: i64,
    lost_count: i64,
    lost_value: i64,
    out: *mut NcvgResult,
) -> Status {
    guard("cxm_ncvg_from_totals", || {
        out_param(out, "out")?;
        let result = cxm_core::ncvg(new_count, new_value, lost_count, lost_value)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(result.into()) };
        Ok(())
    })
}

/// The customers over the window `[window_start, window_end)` from `len` records (see
/// `cxm_core::customer_flow`): `starts` and `ends` in seconds since the Unix epoch, an end of
/// `CXM_OPEN_END` (or `ends = NULL`) for records still active; `values` (NULL: none) in
/// integer minor units; `customers` (NULL: each record its own customer) the customer ids.
///
/// # Safety
/// `starts` must point to `len` readable values (or be NULL with `len == 0`), each of `ends`,
/// `values` and `customers` to `len` values or be NULL, and `out` must be writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // one per column, as the C caller holds them
pub unsafe extern "C" fn cxm_customer_flow_from_records(
    starts: *const i64,
    ends: *const i64,
    values: *const i64,
    customers: *const i64,
    len: usize,
    window_start: i64,
    window_end: i64,
    out: *mut CustomerFlowResult,
) -> Status {
    guard("cxm_customer_flow_from_records", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises `len` readable values at each non-NULL column.
        let records = unsafe {
            CustomerRecords {
                starts: slice(starts, len, "starts")?,
                ends: optional_slice(ends, len, "ends")?,
                values: optional_slice(values, len, "values")?,
                customers: optional_slice(customers, len, "customers")?,
            }
        };
        let flow = cxm_core::customer_flow(&records, window_start, window_end)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(flow.into()) };
        Ok(())
    })
}

/// Churn over the window of `*flow` on `basis` (a `cxm_churn_basis`).
///
/// # Safety
/// `flow` must be readable, `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_customer_flow_churn(
    flow: *const CustomerFlowResult,
    basis: u32,
    out: *mut ChurnResult,
) -> Status {
    guard("cxm_customer_flow_churn", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises `flow` is readable.
        let flow = flow_from(&unsafe { read(flow, "flow")? })?;
        let result = flow.churn(self::basis(basis)?)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(result.into()) };
        Ok(())
    })
}

/// NCVG over the window of `*flow`.
///
/// # Safety
/// `flow` must be readable, `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_customer_flow_ncvg(
    flow: *const CustomerFlowResult,
    out: *mut NcvgResult,
) -> Status {
    guard("cxm_customer_flow_ncvg", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises `flow` is readable.
        let result = flow_from(&unsafe { read(flow, "flow")? })?.ncvg()?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(result.into()) };
        Ok(())
    })
}

/// A confidence interval for `flow->churn_by_exposure`, in customers per customer-month
/// (`method` is a `cxm_rate_method`).
///
/// # Safety
/// `flow` must be readable, `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_customer_flow_exposure_interval(
    flow: *const CustomerFlowResult,
    level: f64,
    method: u32,
    out: *mut Interval,
) -> Status {
    guard("cxm_customer_flow_exposure_interval", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises `flow` is readable.
        let flow = flow_from(&unsafe { read(flow, "flow")? })?;
        let ci = flow.churn_by_exposure_interval(level, rate_method(method)?)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(ci.into()) };
        Ok(())
    })
}

/// The annual churn `1 - (1 - monthly)^12` implied by a monthly churn (see
/// `cxm_core::annual_from_monthly`), written to `*out`.
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_annual_from_monthly(monthly: f64, out: *mut f64) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { convert("cxm_annual_from_monthly", cxm_core::annual_from_monthly, monthly, out) }
}

/// The monthly churn that compounds to `annual` (see `cxm_core::monthly_from_annual`).
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_monthly_from_annual(annual: f64, out: *mut f64) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { convert("cxm_monthly_from_annual", cxm_core::monthly_from_annual, annual, out) }
}

/// The shared body of the churn-rate conversions: `convert(rate)` written to `*out`.
///
/// # Safety
/// As for the exported functions.
unsafe fn convert(
    name: &str,
    convert: fn(f64) -> Result<f64, cxm_core::Error>,
    rate: f64,
    out: *mut f64,
) -> Status {
    guard(name, || {
        out_param(out, "out")?;
        let converted = convert(rate)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(converted) };
        Ok(())
    })
}
