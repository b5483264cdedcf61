//! Two-sample comparisons through the C ABI: conversion to and from `cxm-core`.

use cxm_core::{Comparison, Nps};

use crate::boundary::{decode, guard, out_param, read, Failure};
use crate::nps::{nps_method, NpsResult};
use crate::rating::{proportion_method, rating_from, RatingResult};
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
        ComparisonResult {
            method: c.method.code(),
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

/// The direction of a one-sided benchmark test. Passed as a `uint32_t`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alternative {
    /// The true value is above the benchmark.
    Greater = 0,
    /// The true value is below the benchmark.
    Less = 1,
}

/// Which one-sided test was made (see `cxm_core::BenchmarkMethod`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenchmarkMethod {
    /// NPS, Wald z.
    NpsWald = 0,
    /// NPS, adjusted-Wald z.
    NpsAdjustedWald = 1,
    /// NPS, score statistic.
    NpsScore = 2,
    /// Proportion, score z (Wilson).
    ProportionScore = 3,
    /// Proportion, exact binomial (Clopper-Pearson).
    ProportionExact = 4,
    /// Proportion, Wald z.
    ProportionWald = 5,
}

/// A one-sided test against a benchmark; fields as in `cxm_core::BenchmarkTest`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BenchmarkResult {
    /// A `cxm_benchmark_method` value.
    pub method: u32,
    /// A `cxm_alternative` value.
    pub alternative: u32,
    /// The estimate (NPS in points, or a proportion).
    pub estimate: f64,
    /// The benchmark.
    pub benchmark: f64,
    /// Lower limit of the two-sided interval for the estimate.
    pub lower: f64,
    /// Upper limit of the two-sided interval for the estimate.
    pub upper: f64,
    /// The z statistic (NaN for the exact test).
    pub statistic: f64,
    /// One-sided p-value in the direction of `alternative`.
    pub p_value: f64,
    /// Confidence level of the interval.
    pub level: f64,
    /// (Effective) sample size.
    pub n: f64,
}

impl From<cxm_core::BenchmarkTest> for BenchmarkResult {
    fn from(t: cxm_core::BenchmarkTest) -> BenchmarkResult {
        BenchmarkResult {
            method: t.method.code(),
            alternative: t.alternative.code(),
            estimate: t.estimate,
            benchmark: t.benchmark,
            lower: t.interval.lower,
            upper: t.interval.upper,
            statistic: t.statistic,
            p_value: t.p_value,
            level: t.level,
            n: t.n,
        }
    }
}

fn alternative(code: u32) -> Result<cxm_core::Alternative, Failure> {
    decode(cxm_core::Alternative::from_code(code), cxm_core::Alternative::OPTION, code)
}

/// Tests an NPS against `benchmark` points, one-sided in the direction `alternative_code` (a
/// `cxm_alternative`), by `method` (a `cxm_nps_method`).
///
/// # Safety
/// `nps` must point to a readable `cxm_nps` and `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_nps_vs_benchmark(
    nps: *const NpsResult,
    benchmark: f64,
    alternative_code: u32,
    level: f64,
    method: u32,
    out: *mut BenchmarkResult,
) -> Status {
    guard("cxm_nps_vs_benchmark", || {
        out_param(out, "out")?;
        // SAFETY: forwarded from this function's contract.
        let nps = Nps::from(unsafe { read(nps, "nps")? });
        let t = cxm_core::nps_vs_benchmark(
            &nps,
            benchmark,
            alternative(alternative_code)?,
            level,
            nps_method(method)?,
        )?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(t.into()) };
        Ok(())
    })
}

/// Tests `successes / n` against `benchmark`, one-sided in the direction `alternative_code`, by
/// `method` (a `cxm_proportion_method`: Wilson, Clopper-Pearson or Wald).
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_proportion_vs_benchmark(
    successes: f64,
    n: f64,
    benchmark: f64,
    alternative_code: u32,
    level: f64,
    method: u32,
    out: *mut BenchmarkResult,
) -> Status {
    guard("cxm_proportion_vs_benchmark", || {
        out_param(out, "out")?;
        let t = cxm_core::proportion_vs_benchmark(
            successes,
            n,
            benchmark,
            alternative(alternative_code)?,
            level,
            proportion_method(method)?,
        )?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(t.into()) };
        Ok(())
    })
}
