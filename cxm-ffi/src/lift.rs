//! Lift between two groups (from counts, or as the churn of two groups of customers from their
//! records) and named rates through the C ABI: conversion to and from `cxm-core`, nothing
//! computed here.

use cxm_core::{ChurnLift, CustomerRecords, GroupChurn, Lift, RateEstimate};

use crate::boundary::{decode, flags, guard, optional_slice, out_param, slice, Failure};
use crate::rating::proportion_method;
use crate::status::Status;

/// The methods behind a lift's intervals and test (see `cxm_core::LiftMethod`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiftMethod {
    /// The log (Katz) interval of the relative risk.
    KatzLog = 0,
    /// statsmodels' default test of a ratio: Wald z of the log ratio, 1/2 added to counts and
    /// sizes.
    LogAdjusted = 1,
    /// Newcombe's hybrid score interval of the risk difference.
    Newcombe = 2,
    /// Woolf's logit interval of the odds ratio.
    Woolf = 3,
}

/// Lift of group a over group b; fields as in `cxm_core::Lift`, each interval as its two
/// limits, each method a `cxm_lift_method`. `zero_cell_correction` is 1 when a cell of the 2x2
/// table was 0 and 1/2 was added to every cell for the ratio and the odds ratio.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiftResult {
    /// Events in group a.
    pub events_a: i64,
    /// Size of group a.
    pub n_a: i64,
    /// Events in group b.
    pub events_b: i64,
    /// Size of group b.
    pub n_b: i64,
    /// Confidence level of the intervals.
    pub level: f64,
    /// The relative risk `(events_a / n_a) / (events_b / n_b)`.
    pub ratio: f64,
    /// Lower limit of its interval.
    pub lower: f64,
    /// Upper limit of its interval.
    pub upper: f64,
    /// `CXM_LIFT_METHOD_KATZ_LOG`.
    pub ratio_method: u32,
    /// The z statistic of "no lift".
    pub statistic: f64,
    /// Its two-sided p-value.
    pub p_value: f64,
    /// `CXM_LIFT_METHOD_LOG_ADJUSTED`.
    pub test_method: u32,
    /// The risk difference `events_a / n_a - events_b / n_b`.
    pub difference: f64,
    /// Lower limit of its interval.
    pub difference_lower: f64,
    /// Upper limit of its interval.
    pub difference_upper: f64,
    /// `CXM_LIFT_METHOD_NEWCOMBE`.
    pub difference_method: u32,
    /// The odds ratio.
    pub odds_ratio: f64,
    /// Lower limit of its interval.
    pub odds_ratio_lower: f64,
    /// Upper limit of its interval.
    pub odds_ratio_upper: f64,
    /// `CXM_LIFT_METHOD_WOOLF`.
    pub odds_ratio_method: u32,
    /// 1 when 1/2 was added to every cell (a cell was 0), else 0.
    pub zero_cell_correction: u32,
}

impl From<Lift> for LiftResult {
    fn from(l: Lift) -> LiftResult {
        LiftResult {
            events_a: l.events_a,
            n_a: l.n_a,
            events_b: l.events_b,
            n_b: l.n_b,
            level: l.level,
            ratio: l.ratio,
            lower: l.interval.lower,
            upper: l.interval.upper,
            ratio_method: l.ratio_method.code(),
            statistic: l.statistic,
            p_value: l.p_value,
            test_method: l.test_method.code(),
            difference: l.difference,
            difference_lower: l.difference_interval.lower,
            difference_upper: l.difference_interval.upper,
            difference_method: l.difference_method.code(),
            odds_ratio: l.odds_ratio,
            odds_ratio_lower: l.odds_ratio_interval.lower,
            odds_ratio_upper: l.odds_ratio_interval.upper,
            odds_ratio_method: l.odds_ratio_method.code(),
            zero_cell_correction: u32::from(l.zero_cell_correction),
        }
    }
}

/// The lift of `events_a` of `n_a` over `events_b` of `n_b` at `level` (see `cxm_core::lift`):
/// the relative risk with its log (Katz) interval and statsmodels' default (log-adjusted) test,
/// the risk difference with Newcombe's interval, the odds ratio with Woolf's.
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_lift(
    events_a: i64,
    n_a: i64,
    events_b: i64,
    n_b: i64,
    level: f64,
    out: *mut LiftResult,
) -> Status {
    guard("cxm_lift", || {
        out_param(out, "out")?;
        let l = cxm_core::lift(events_a, n_a, events_b, n_b, level)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(l.into()) };
        Ok(())
    })
}

/// One group of customers over a window (see `cxm_core::GroupChurn`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupChurnResult {
    /// Customers of the group found in the records.
    pub customers: i64,
    /// Of them, those active at the window start.
    pub at_start: i64,
    /// Of those, the ones not active at the window end.
    pub lost: i64,
    /// `lost / at_start`.
    pub rate: f64,
}

impl From<GroupChurn> for GroupChurnResult {
    fn from(g: GroupChurn) -> Self {
        GroupChurnResult {
            customers: g.customers,
            at_start: g.at_start,
            lost: g.lost,
            rate: g.rate,
        }
    }
}

/// The churn of customers marked at least once against the others', and the lift between them
/// (see `cxm_core::ChurnLift`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChurnLiftResult {
    /// Window start, seconds since the Unix epoch.
    pub window_start: i64,
    /// Window end (excluded).
    pub window_end: i64,
    /// The customers marked at least once.
    pub marked: GroupChurnResult,
    /// The customers never marked.
    pub unmarked: GroupChurnResult,
    /// Customers named in the marks who have no record.
    pub unknown: i64,
    /// The lift of the marked group's churn over the unmarked group's.
    pub lift: LiftResult,
}

impl From<ChurnLift> for ChurnLiftResult {
    fn from(c: ChurnLift) -> Self {
        ChurnLiftResult {
            window_start: c.window_start,
            window_end: c.window_end,
            marked: c.marked.into(),
            unmarked: c.unmarked.into(),
            unknown: c.unknown,
            lift: c.lift.into(),
        }
    }
}

/// The churn over `[window_start, window_end)` of the customers marked at least once against
/// that of the customers never marked, and its lift (see `cxm_core::churn_lift`): `len`
/// customer records (`starts`, `ends` or NULL for none ended, `customers` ids, as for
/// `cxm_customer_flow_from_records`) and `marks_len` marks, each a customer id
/// (`marked_customers`) and a flag (`marked`, 0 or 1: e.g. 1 for a contact not resolved at the
/// first).
///
/// # Safety
/// Each non-NULL array must hold its length; `out` must be writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // the C signature: columns, window, marks, level, out
pub unsafe extern "C" fn cxm_churn_lift(
    starts: *const i64,
    ends: *const i64,
    customers: *const i64,
    len: usize,
    window_start: i64,
    window_end: i64,
    marked_customers: *const i64,
    marked: *const u8,
    marks_len: usize,
    level: f64,
    out: *mut ChurnLiftResult,
) -> Status {
    guard("cxm_churn_lift", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises each non-NULL array holds its length.
        let records = unsafe {
            CustomerRecords {
                starts: slice(starts, len, "starts")?,
                ends: optional_slice(ends, len, "ends")?,
                values: None,
                customers: Some(slice(customers, len, "customers")?),
            }
        };
        // SAFETY: as above.
        let who = unsafe { slice(marked_customers, marks_len, "marked_customers")? };
        // SAFETY: as above.
        let marked = flags(unsafe { slice(marked, marks_len, "marked")? }, "marked")?;
        let c = cxm_core::churn_lift(&records, window_start, window_end, who, &marked, level)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(c.into()) };
        Ok(())
    })
}

/// The rates that have a name (see `cxm_core::NamedRate`). Passed as a `uint32_t`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedRate {
    /// Resolved at the first contact / contacts with a known first-contact outcome.
    FirstContactResolution = 0,
    /// Renewed / up for renewal.
    Renewal = 1,
    /// Customers who referred / customers.
    Referral = 2,
    /// Carts abandoned / carts created.
    CartAbandonment = 3,
    /// Customers lost after an incident / customers affected.
    PostIncidentLoss = 4,
}

/// A named rate with its interval; fields as in `cxm_core::RateEstimate`. `name` is a
/// `cxm_named_rate`, `method` a `cxm_proportion_method`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateEstimateResult {
    /// Which rate: a `cxm_named_rate` value.
    pub name: u32,
    /// The numerator.
    pub successes: i64,
    /// The denominator.
    pub n: i64,
    /// `successes / n`.
    pub estimate: f64,
    /// Lower limit of its interval.
    pub lower: f64,
    /// Upper limit of its interval.
    pub upper: f64,
    /// Confidence level of the interval.
    pub level: f64,
    /// The `cxm_proportion_method` of the interval.
    pub method: u32,
}

impl From<RateEstimate> for RateEstimateResult {
    fn from(r: RateEstimate) -> RateEstimateResult {
        RateEstimateResult {
            name: r.name.code(),
            successes: r.successes,
            n: r.n,
            estimate: r.estimate,
            lower: r.interval.lower,
            upper: r.interval.upper,
            level: r.level,
            method: r.method.code(),
        }
    }
}

fn named_rate(code: u32) -> Result<cxm_core::NamedRate, Failure> {
    use cxm_core::NamedRate as N;
    decode(N::from_code(code), N::OPTION, code)
}

/// The named rate `name` (a `cxm_named_rate`) of `successes` of `n`, with its proportion
/// interval at `level` by `method` (a `cxm_proportion_method`); see `cxm_core::named_rate`.
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_named_rate_estimate(
    name: u32,
    successes: i64,
    n: i64,
    level: f64,
    method: u32,
    out: *mut RateEstimateResult,
) -> Status {
    guard("cxm_named_rate_estimate", || {
        out_param(out, "out")?;
        let r = cxm_core::named_rate(
            named_rate(name)?,
            successes,
            n,
            level,
            proportion_method(method)?,
        )?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(r.into()) };
        Ok(())
    })
}
