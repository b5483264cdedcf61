//! NPS through the C ABI: conversion to and from `cxm-core`, nothing computed here.

use cxm_core::{Nps, Score};

use crate::boundary::{decode, guard, optional_slice, out_param, read, slice, Failure};
use crate::status::Status;

/// An NPS result; the fields mean exactly what `cxm_core::Nps`'s fields mean. Shares are
/// fractions; `score` and `standard_error` are in points (-100..100).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NpsResult {
    /// Responses scored.
    pub n: u64,
    /// Responses scoring 9-10.
    pub promoters: u64,
    /// Responses scoring 7-8.
    pub passives: u64,
    /// Responses scoring 0-6.
    pub detractors: u64,
    /// (Weighted) share of promoters.
    pub promoter_share: f64,
    /// (Weighted) share of passives.
    pub passive_share: f64,
    /// (Weighted) share of detractors.
    pub detractor_share: f64,
    /// The NPS in points.
    pub score: f64,
    /// Standard error of the score, in points.
    pub standard_error: f64,
    /// Kish effective sample size; equals n without weights.
    pub effective_n: f64,
}

/// A two-sided interval `[lower, upper]`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower limit.
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
}

impl From<cxm_core::Interval> for Interval {
    fn from(ci: cxm_core::Interval) -> Interval {
        Interval { lower: ci.lower, upper: ci.upper }
    }
}

/// What to do with a missing (NaN) score. Passed as a `uint32_t`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// A missing score is an error.
    Reject = 0,
    /// A missing score is left out.
    Skip = 1,
}

/// NPS confidence-interval methods (see `cxm_core::NpsMethod`). Passed as a `uint32_t`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NpsMethod {
    /// Wald: estimate +- z SE.
    Wald = 0,
    /// Rocks' adjusted Wald (pseudo-observations 3/4, 3/2, 3/4).
    AdjustedWald = 1,
    /// Score interval (inverted score test).
    Score = 2,
}

impl From<Nps> for NpsResult {
    fn from(r: Nps) -> NpsResult {
        NpsResult {
            n: r.n,
            promoters: r.promoters,
            passives: r.passives,
            detractors: r.detractors,
            promoter_share: r.promoter_share,
            passive_share: r.passive_share,
            detractor_share: r.detractor_share,
            score: r.score,
            standard_error: r.standard_error,
            effective_n: r.effective_n,
        }
    }
}

impl From<NpsResult> for Nps {
    fn from(r: NpsResult) -> Nps {
        Nps {
            n: r.n,
            promoters: r.promoters,
            passives: r.passives,
            detractors: r.detractors,
            promoter_share: r.promoter_share,
            passive_share: r.passive_share,
            detractor_share: r.detractor_share,
            score: r.score,
            standard_error: r.standard_error,
            effective_n: r.effective_n,
        }
    }
}

pub(crate) fn missing(policy: u32) -> Result<cxm_core::Missing, Failure> {
    decode(cxm_core::Missing::from_code(policy), cxm_core::Missing::OPTION, policy)
}

pub(crate) fn nps_method(method: u32) -> Result<cxm_core::NpsMethod, Failure> {
    decode(cxm_core::NpsMethod::from_code(method), cxm_core::NpsMethod::OPTION, method)
}

/// The shared body of the `cxm_nps_<type>` functions (written out one by one below, since
/// cbindgen does not expand macros).
///
/// # Safety
/// As for the exported functions.
unsafe fn nps_of<S: Score>(
    name: &str,
    scores: *const S,
    len: usize,
    weights: *const f64,
    missing_policy: u32,
    out: *mut NpsResult,
) -> Status {
    guard(name, || {
        out_param(out, "out")?;
        // SAFETY: the caller promises `len` readable elements at `scores` (and `weights`).
        let scores = unsafe { slice(scores, len, "scores")? };
        let weights = unsafe { optional_slice(weights, len, "weights")? };
        let result = cxm_core::nps(scores, weights, missing(missing_policy)?)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(result.into()) };
        Ok(())
    })
}

/// Computes the NPS of `len` scores on 0..=10 (see `cxm_core::nps`), optionally weighted by
/// `len` weights (`weights = NULL`: unweighted), and writes it to `*out`. `missing` is a
/// `cxm_missing` value (integers have no missing values).
///
/// # Safety
/// `scores` must point to `len` readable elements (or be NULL with `len == 0`), `weights` to
/// `len` doubles or be NULL, and `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_nps_u8(
    scores: *const u8,
    len: usize,
    weights: *const f64,
    missing: u32,
    out: *mut NpsResult,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { nps_of("cxm_nps_u8", scores, len, weights, missing, out) }
}

/// Computes the NPS of `len` scores on 0..=10 (see `cxm_core::nps`), optionally weighted by
/// `len` weights (`weights = NULL`: unweighted), and writes it to `*out`. `missing` is a
/// `cxm_missing` value (integers have no missing values).
///
/// # Safety
/// `scores` must point to `len` readable elements (or be NULL with `len == 0`), `weights` to
/// `len` doubles or be NULL, and `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_nps_i32(
    scores: *const i32,
    len: usize,
    weights: *const f64,
    missing: u32,
    out: *mut NpsResult,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { nps_of("cxm_nps_i32", scores, len, weights, missing, out) }
}

/// Computes the NPS of `len` scores on 0..=10 (see `cxm_core::nps`), optionally weighted by
/// `len` weights (`weights = NULL`: unweighted), and writes it to `*out`. `missing` is a
/// `cxm_missing` value (integers have no missing values).
///
/// # Safety
/// `scores` must point to `len` readable elements (or be NULL with `len == 0`), `weights` to
/// `len` doubles or be NULL, and `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_nps_i64(
    scores: *const i64,
    len: usize,
    weights: *const f64,
    missing: u32,
    out: *mut NpsResult,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { nps_of("cxm_nps_i64", scores, len, weights, missing, out) }
}

/// Computes the NPS of `len` scores on 0..=10 (see `cxm_core::nps`), optionally weighted by
/// `len` weights (`weights = NULL`: unweighted), and writes it to `*out`. `missing` is a
/// `cxm_missing` value: NaN is a missing score.
///
/// # Safety
/// `scores` must point to `len` readable elements (or be NULL with `len == 0`), `weights` to
/// `len` doubles or be NULL, and `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_nps_f32(
    scores: *const f32,
    len: usize,
    weights: *const f64,
    missing: u32,
    out: *mut NpsResult,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { nps_of("cxm_nps_f32", scores, len, weights, missing, out) }
}

/// Computes the NPS of `len` scores on 0..=10 (see `cxm_core::nps`), optionally weighted by
/// `len` weights (`weights = NULL`: unweighted), and writes it to `*out`. `missing` is a
/// `cxm_missing` value: NaN is a missing score.
///
/// # Safety
/// `scores` must point to `len` readable elements (or be NULL with `len == 0`), `weights` to
/// `len` doubles or be NULL, and `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_nps_f64(
    scores: *const f64,
    len: usize,
    weights: *const f64,
    missing: u32,
    out: *mut NpsResult,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { nps_of("cxm_nps_f64", scores, len, weights, missing, out) }
}

/// Builds an NPS from counts already tallied (see `cxm_core::Nps::from_counts`).
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_nps_from_counts(
    promoters: u64,
    passives: u64,
    detractors: u64,
    out: *mut NpsResult,
) -> Status {
    guard("cxm_nps_from_counts", || {
        out_param(out, "out")?;
        let result = Nps::from_counts(promoters, passives, detractors)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(result.into()) };
        Ok(())
    })
}

/// The interval of `*nps` by `method`, written to `*out`: the shared body of the
/// `cxm_nps_*_interval` functions.
///
/// # Safety
/// As for the exported functions.
unsafe fn interval_of(
    nps: *const NpsResult,
    level: f64,
    method: Result<cxm_core::NpsMethod, Failure>,
    out: *mut Interval,
) -> Result<(), Failure> {
    out_param(out, "out")?;
    // SAFETY: the caller promises `nps` is readable.
    let nps = Nps::from(unsafe { read(nps, "nps")? });
    let ci = nps.confidence_interval(level, method?)?;
    // SAFETY: `out` is not NULL, and the caller promises it is writable.
    unsafe { out.write(ci.into()) };
    Ok(())
}

/// A confidence interval for `nps->score`, in points, at coverage `level` in (0, 1), by
/// `method` (a `cxm_nps_method` value).
///
/// # Safety
/// `nps` must point to a readable `cxm_nps` and `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_nps_confidence_interval(
    nps: *const NpsResult,
    level: f64,
    method: u32,
    out: *mut Interval,
) -> Status {
    // SAFETY: the caller's promises are passed on.
    guard("cxm_nps_confidence_interval", || unsafe {
        interval_of(nps, level, nps_method(method), out)
    })
}

/// A percentile bootstrap interval for `nps->score`, in points: `resamples` (2 to 10 000 000)
/// seeded multinomial resamples (see `cxm_core::NpsMethod::Bootstrap`). The same seed gives the
/// same interval here as in Rust and Python.
///
/// # Safety
/// `nps` must point to a readable `cxm_nps` and `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_nps_bootstrap_interval(
    nps: *const NpsResult,
    level: f64,
    resamples: u32,
    seed: u64,
    out: *mut Interval,
) -> Status {
    let method = cxm_core::NpsMethod::Bootstrap { resamples, seed };
    // SAFETY: the caller's promises are passed on.
    guard("cxm_nps_bootstrap_interval", || unsafe { interval_of(nps, level, Ok(method), out) })
}

/// Dirichlet prior weights over the promoter, passive and detractor shares, each positive and
/// finite. `{1, 1, 1}` is the uniform prior.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct DirichletPrior {
    /// Weight on the promoter share.
    pub promoters: f64,
    /// Weight on the passive share.
    pub passives: f64,
    /// Weight on the detractor share.
    pub detractors: f64,
}

/// An equal-tailed Bayesian credible interval for `nps->score`, in points, under the Dirichlet
/// posterior `prior` + counts, estimated by seeded Monte Carlo from `draws` (2 to 10 000 000)
/// posterior draws (see `cxm_core::NpsMethod::Bayesian`). The same seed gives the same interval
/// here as in Rust and Python.
///
/// # Safety
/// `nps` must point to a readable `cxm_nps` and `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_nps_bayesian_interval(
    nps: *const NpsResult,
    level: f64,
    prior: DirichletPrior,
    draws: u32,
    seed: u64,
    out: *mut Interval,
) -> Status {
    let prior = cxm_core::DirichletPrior {
        promoters: prior.promoters,
        passives: prior.passives,
        detractors: prior.detractors,
    };
    let method = cxm_core::NpsMethod::Bayesian { prior, draws, seed };
    // SAFETY: the caller's promises are passed on.
    guard("cxm_nps_bayesian_interval", || unsafe { interval_of(nps, level, Ok(method), out) })
}
