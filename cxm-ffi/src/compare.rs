//! Two-sample comparisons through the C ABI: conversion to and from `cxm-core`.

use cxm_core::{Comparison, Nps};

use crate::boundary::{guard, out_param, Failure};
use crate::nps::{nps_method, NpsResult};
use crate::rating::{rating_from, RatingResult};
use crate::status::Status;

/// Which comparison was made (see `cxm_core::ComparisonMethod`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComparisonMethod {
    /// Two proportions: Newcombe's interval and the score test.
    NewcombeScore = 0,
    /// Two NPS, Wald.
    NpsWald = 1,
    /// Two NPS, adjusted Wald.
    NpsAdjustedWald = 2,
    /// Two means, Welch.
    Welch = 3,
    /// A method this version of the C ABI has no code for.
    Other = 99,
}

/// Group 1 minus group 2; fields as in `cxm_core::Comparison`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ComparisonResult {
    /// A `cxm_comparison_method` value.
    pub method: u32,
    /// The difference, group 1 minus group 2.
    pub estimate: f64,
    /// Lower limit of the interval for the difference.
    pub lower: f64,
    /// Upper limit of the interval for the difference.
    pub upper: f64,
    /// The test statistic (z, or t for Welch).
    pub statistic: f64,
    /// Degrees of freedom of the statistic; infinity for z.
    pub degrees_of_freedom: f64,
    /// Two-sided p-value of "no difference".
    pub p_value: f64,
    /// Confidence level of the interval.
    pub level: f64,
    /// (Effective) size of group 1.
    pub n1: f64,
    /// (Effective) size of group 2.
    pub n2: f64,
}

impl From<Comparison> for ComparisonResult {
    fn from(c: Comparison) -> ComparisonResult {
        let method = match c.method {
            cxm_core::ComparisonMethod::NewcombeScore => ComparisonMethod::NewcombeScore,
            cxm_core::ComparisonMethod::NpsWald => ComparisonMethod::NpsWald,
            cxm_core::ComparisonMethod::NpsAdjustedWald => ComparisonMethod::NpsAdjustedWald,
            cxm_core::ComparisonMethod::Welch => ComparisonMethod::Welch,
            _ => ComparisonMethod::Other,
        };
        ComparisonResult {
            method: method as u32,
            estimate: c.estimate,
            lower: c.interval.lower,
            upper: c.interval.upper,
            statistic: c.statistic,
            degrees_of_freedom: c.degrees_of_freedom,
            p_value: c.p_value,
            level: c.level,
            n1: c.n1,
            n2: c.n2,
        }
    }
}

/// Reads a caller's struct, refusing NULL.
///
/// # Safety
/// `ptr`, when not NULL, must be readable.
unsafe fn read<T>(ptr: *const T, parameter: &'static str) -> Result<T, Failure> {
    if ptr.is_null() {
        return Err(Failure::Null(parameter));
    }
    // SAFETY: not NULL; the caller promises it is readable.
    Ok(unsafe { ptr.read_unaligned() })
}

/// Compares `successes1 / n1` with `successes2 / n2`: Newcombe's interval and the score test.
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_compare_proportions(
    successes1: f64,
    n1: f64,
    successes2: f64,
    n2: f64,
    level: f64,
    out: *mut ComparisonResult,
) -> Status {
    guard("cxm_compare_proportions", || {
        out_param(out, "out")?;
        let c = cxm_core::compare_proportions(successes1, n1, successes2, n2, level)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(c.into()) };
        Ok(())
    })
}

/// Compares two NPS by `method` (`CXM_NPS_METHOD_WALD` or `CXM_NPS_METHOD_ADJUSTED_WALD`).
///
/// # Safety
/// `a` and `b` must point to readable `cxm_nps` and `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_compare_nps(
    a: *const NpsResult,
    b: *const NpsResult,
    level: f64,
    method: u32,
    out: *mut ComparisonResult,
) -> Status {
    guard("cxm_compare_nps", || {
        out_param(out, "out")?;
        // SAFETY: forwarded from this function's contract.
        let (a, b) = unsafe { (Nps::from(read(a, "a")?), Nps::from(read(b, "b")?)) };
        let c = cxm_core::compare_nps(&a, &b, level, nps_method(method)?)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(c.into()) };
        Ok(())
    })
}

/// Compares the means of two rating summaries with Welch's t test.
///
/// # Safety
/// `a` and `b` must point to readable `cxm_rating` and `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_compare_means(
    a: *const RatingResult,
    b: *const RatingResult,
    level: f64,
    out: *mut ComparisonResult,
) -> Status {
    guard("cxm_compare_means", || {
        out_param(out, "out")?;
        // SAFETY: forwarded from this function's contract.
        let (a, b) = unsafe { (rating_from(read(a, "a")?)?, rating_from(read(b, "b")?)?) };
        let c = cxm_core::compare_means(&a, &b, level)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(c.into()) };
        Ok(())
    })
}
