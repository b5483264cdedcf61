//! CSAT/CES and proportion intervals through the C ABI: conversion to and from `cxm-core`.

use cxm_core::{Rating, Score};

use crate::boundary::{decode, flag, guard, optional_slice, out_param, read, slice, Failure};
use crate::nps::{missing, Interval};
use crate::status::Status;

/// A rating scale: answers `min..=max`; favourable at or above `threshold` when
/// `higher_is_better` is 1, at or below it when 0 (effort scales). CSAT's usual scale is
/// `{1, 5, 4, 1}`, CES 2.0's `{1, 7, 5, 1}`, the CES 1.0 effort scale `{1, 5, 2, 0}`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatingScale {
    /// Smallest answer.
    pub min: i64,
    /// Largest answer.
    pub max: i64,
    /// Boundary of the favourable answers (included).
    pub threshold: i64,
    /// 1 when higher answers are better, 0 when lower are.
    pub higher_is_better: u32,
}

/// Favourable share and mean of ratings; fields as in `cxm_core::Rating`. `share` is a
/// fraction; `standard_deviation` is NaN below two responses.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatingResult {
    /// Responses counted.
    pub n: u64,
    /// Responses on the favourable side of the threshold.
    pub favourable: u64,
    /// (Weighted) share of favourable responses.
    pub share: f64,
    /// (Weighted) mean answer.
    pub mean: f64,
    /// (Weighted) sample standard deviation.
    pub standard_deviation: f64,
    /// Kish effective sample size; equals n without weights.
    pub effective_n: f64,
    /// The scale the answers were read on.
    pub scale: RatingScale,
}

/// Proportion interval methods (see `cxm_core::ProportionMethod`). Passed as a `uint32_t`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProportionMethod {
    /// Wilson score interval (recommended).
    Wilson = 0,
    /// Agresti-Coull.
    AgrestiCoull = 1,
    /// Clopper-Pearson (exact, conservative).
    ClopperPearson = 2,
    /// Jeffreys.
    Jeffreys = 3,
    /// Wald.
    Wald = 4,
}

pub(crate) fn proportion_method(code: u32) -> Result<cxm_core::ProportionMethod, Failure> {
    use cxm_core::ProportionMethod as M;
    decode(M::from_code(code), M::OPTION, code)
}

pub(crate) fn scale(s: RatingScale) -> Result<cxm_core::Scale, Failure> {
    let higher = flag(s.higher_is_better, "higher_is_better")?;
    Ok(cxm_core::Scale::new(s.min, s.max, s.threshold, higher)?)
}

impl From<Rating> for RatingResult {
    fn from(r: Rating) -> RatingResult {
        RatingResult {
            n: r.n,
            favourable: r.favourable,
            share: r.share,
            mean: r.mean,
            standard_deviation: r.standard_deviation,
            effective_n: r.effective_n,
            scale: RatingScale {
                min: r.scale.min(),
                max: r.scale.max(),
                threshold: r.scale.threshold(),
                higher_is_better: u32::from(r.scale.higher_is_better()),
            },
        }
    }
}

pub(crate) fn rating_from(r: RatingResult) -> Result<Rating, Failure> {
    Ok(Rating {
        n: r.n,
        favourable: r.favourable,
        share: r.share,
        mean: r.mean,
        standard_deviation: r.standard_deviation,
        effective_n: r.effective_n,
        scale: scale(r.scale)?,
    })
}

/// The shared body of the `cxm_rating_<type>` functions.
///
/// # Safety
/// As for the exported functions.
unsafe fn rating_of<S: Score>(
    name: &str,
    scores: *const S,
    len: usize,
    weights: *const f64,
    rating_scale: *const RatingScale,
    missing_policy: u32,
    out: *mut RatingResult,
) -> Status {
    guard(name, || {
        out_param(out, "out")?;
        // SAFETY: the caller promises `rating_scale` is readable.
        let scale = scale(unsafe { read(rating_scale, "scale")? })?;
        // SAFETY: the caller promises `len` readable elements at `scores` (and `weights`).
        let scores = unsafe { slice(scores, len, "scores")? };
        let weights = unsafe { optional_slice(weights, len, "weights")? };
        let result = cxm_core::rating(scores, weights, missing(missing_policy)?, scale)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(result.into()) };
        Ok(())
    })
}

/// Summarises `len` ratings on `*scale` (CSAT, CES; see `cxm_core::rating`): favourable share
/// and mean, optionally weighted (`weights = NULL`: unweighted), written to `*out`. `missing` is a
/// `cxm_missing` value (integers have no missing values).
///
/// # Safety
/// `scores` must point to `len` readable elements (or be NULL with `len == 0`), `weights` to
/// `len` doubles or be NULL, `scale` must be readable and `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_rating_u8(
    scores: *const u8,
    len: usize,
    weights: *const f64,
    scale: *const RatingScale,
    missing: u32,
    out: *mut RatingResult,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { rating_of("cxm_rating_u8", scores, len, weights, scale, missing, out) }
}

/// Summarises `len` ratings on `*scale` (CSAT, CES; see `cxm_core::rating`): favourable share
/// and mean, optionally weighted (`weights = NULL`: unweighted), written to `*out`. `missing` is a
/// `cxm_missing` value (integers have no missing values).
///
/// # Safety
/// `scores` must point to `len` readable elements (or be NULL with `len == 0`), `weights` to
/// `len` doubles or be NULL, `scale` must be readable and `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_rating_i32(
    scores: *const i32,
    len: usize,
    weights: *const f64,
    scale: *const RatingScale,
    missing: u32,
    out: *mut RatingResult,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { rating_of("cxm_rating_i32", scores, len, weights, scale, missing, out) }
}

/// Summarises `len` ratings on `*scale` (CSAT, CES; see `cxm_core::rating`): favourable share
/// and mean, optionally weighted (`weights = NULL`: unweighted), written to `*out`. `missing` is a
/// `cxm_missing` value (integers have no missing values).
///
/// # Safety
/// `scores` must point to `len` readable elements (or be NULL with `len == 0`), `weights` to
/// `len` doubles or be NULL, `scale` must be readable and `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_rating_i64(
    scores: *const i64,
    len: usize,
    weights: *const f64,
    scale: *const RatingScale,
    missing: u32,
    out: *mut RatingResult,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { rating_of("cxm_rating_i64", scores, len, weights, scale, missing, out) }
}

/// Summarises `len` ratings on `*scale` (CSAT, CES; see `cxm_core::rating`): favourable share
/// and mean, optionally weighted (`weights = NULL`: unweighted), written to `*out`. `missing` is a
/// `cxm_missing` value: NaN is a missing score.
///
/// # Safety
/// `scores` must point to `len` readable elements (or be NULL with `len == 0`), `weights` to
/// `len` doubles or be NULL, `scale` must be readable and `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_rating_f32(
    scores: *const f32,
    len: usize,
    weights: *const f64,
    scale: *const RatingScale,
    missing: u32,
    out: *mut RatingResult,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { rating_of("cxm_rating_f32", scores, len, weights, scale, missing, out) }
}

/// Summarises `len` ratings on `*scale` (CSAT, CES; see `cxm_core::rating`): favourable share
/// and mean, optionally weighted (`weights = NULL`: unweighted), written to `*out`. `missing` is a
/// `cxm_missing` value: NaN is a missing score.
///
/// # Safety
/// `scores` must point to `len` readable elements (or be NULL with `len == 0`), `weights` to
/// `len` doubles or be NULL, `scale` must be readable and `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_rating_f64(
    scores: *const f64,
    len: usize,
    weights: *const f64,
    scale: *const RatingScale,
    missing: u32,
    out: *mut RatingResult,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { rating_of("cxm_rating_f64", scores, len, weights, scale, missing, out) }
}

/// A confidence interval for `rating->share`, as fractions, at coverage `level` in (0, 1), by
/// `method` (a `cxm_proportion_method` value).
///
/// # Safety
/// `rating` must point to a readable `cxm_rating` and `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_rating_share_interval(
    rating: *const RatingResult,
    level: f64,
    method: u32,
    out: *mut Interval,
) -> Status {
    guard("cxm_rating_share_interval", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises `rating` is readable.
        let rating = rating_from(unsafe { read(rating, "rating")? })?;
        let ci = rating.share_interval(level, proportion_method(method)?)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(ci.into()) };
        Ok(())
    })
}

/// A Student t confidence interval for `rating->mean` at coverage `level` in (0, 1).
/// `CXM_STATUS_TOO_FEW_RESPONSES` below two (effective) responses.
///
/// # Safety
/// `rating` must point to a readable `cxm_rating` and `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_rating_mean_interval(
    rating: *const RatingResult,
    level: f64,
    out: *mut Interval,
) -> Status {
    guard("cxm_rating_mean_interval", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises `rating` is readable.
        let rating = rating_from(unsafe { read(rating, "rating")? })?;
        let ci = rating.mean_interval(level)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(ci.into()) };
        Ok(())
    })
}

/// A confidence interval for the proportion `successes / n` (see
/// `cxm_core::proportion_interval`; counts may be non-integral), by `method` (a
/// `cxm_proportion_method` value).
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_proportion_interval(
    successes: f64,
    n: f64,
    level: f64,
    method: u32,
    out: *mut Interval,
) -> Status {
    guard("cxm_proportion_interval", || {
        out_param(out, "out")?;
        let ci = cxm_core::proportion_interval(successes, n, level, proportion_method(method)?)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(ci.into()) };
        Ok(())
    })
}
