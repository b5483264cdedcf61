//! Raking and calibration-aware standard errors through the C ABI: a raking is a handle
//! (`cxm_raking *`) that keeps the core's `Raking` (its weights and the design its standard
//! errors read), made by `cxm_rake`, read by the functions below, freed by `cxm_raking_free`.

use std::ffi::c_char;

use cxm_core::{Bounds, CalibratedEstimate, Margin, RakeOptions, Raking};

use crate::boundary::{
    c_string, c_strings, flag, guard, optional_slice, out_param, read, slice, Failure,
};
use crate::nps::missing;
use crate::rating::{scale, RatingScale};
use crate::status::Status;

/// A raking: weights calibrated to margins, with the design their standard errors need.
/// Opaque; from `cxm_rake` or `cxm_raking_trim`, freed with `cxm_raking_free`.
#[derive(Debug)]
pub struct CxmRaking(Raking);

/// One margin to rake on: `codes[i]` is row i's category (from 0), `targets[c]` category c's
/// population target (`categories` of them); `name` a NUL-terminated UTF-8 string.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct MarginC {
    /// The variable's name.
    pub name: *const c_char,
    /// Each row's category: `len` codes, as `cxm_rake` is given.
    pub codes: *const u32,
    /// Each category's target.
    pub targets: *const f64,
    /// The number of categories (and of targets).
    pub categories: usize,
    /// Each category's name (`categories` NUL-terminated UTF-8 strings), for messages; NULL:
    /// named by their codes.
    pub labels: *const *const c_char,
}

/// The options of `cxm_rake` (`cxm_core::RakeOptions`); `cxm_rake_options_default` fills the
/// core's defaults.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RakeOptionsC {
    /// Relative tolerance on every category of every margin.
    pub tolerance: f64,
    /// Sweeps over the margins at most.
    pub max_iterations: u32,
    /// 1 for bounded calibration within `[lower, upper]` × the scaled base weights; 0 for none.
    pub bounded: u32,
    /// The least ratio of a weight to its scaled base weight.
    pub lower: f64,
    /// The greatest ratio (may be infinite).
    pub upper: f64,
}

/// What a raking reached and what its weights cost (`cxm_core::Raking` without its weights
/// and margins, which `cxm_raking_weights` and `cxm_raking_achieved` give).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RakingSummary {
    /// Sweeps made.
    pub iterations: u32,
    /// 1 when every margin was met within the tolerance, else 0.
    pub converged: u32,
    /// The largest `|achieved − target| / target` over the margins.
    pub max_residual: f64,
    /// Weights set to a bound by `cxm_raking_trim`.
    pub trimmed: u64,
    /// Kish's design effect `n Σw² / (Σw)²`.
    pub design_effect: f64,
    /// Kish's effective n `(Σw)² / Σw²`.
    pub effective_n: f64,
    /// `1 / design_effect`.
    pub efficiency: f64,
}

/// A raked estimate with its standard errors (`cxm_core::CalibratedEstimate`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalibratedEstimateC {
    /// NPS points, or a share in 0..=1.
    pub estimate: f64,
    /// Responses scored.
    pub n: u64,
    /// By linearization on the calibration residuals.
    pub standard_error: f64,
    /// Wald interval with it.
    pub lower: f64,
    /// Wald interval with it.
    pub upper: f64,
    /// Linearized, the weights taken as fixed.
    pub fixed_weights_standard_error: f64,
    /// Multinomial (binomial) over Kish's effective n.
    pub kish_standard_error: f64,
    /// Kish's effective n of the scored responses.
    pub effective_n: f64,
    /// Level of the interval.
    pub level: f64,
}

impl From<CalibratedEstimate> for CalibratedEstimateC {
    fn from(e: CalibratedEstimate) -> CalibratedEstimateC {
        CalibratedEstimateC {
            estimate: e.estimate,
            n: e.n,
            standard_error: e.standard_error,
            lower: e.interval.lower,
            upper: e.interval.upper,
            fixed_weights_standard_error: e.fixed_weights_standard_error,
            kish_standard_error: e.kish_standard_error,
            effective_n: e.effective_n,
            level: e.level,
        }
    }
}

/// Writes the core's default raking options (its tolerance and iterations, no bounds) to
/// `*out`.
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_rake_options_default(out: *mut RakeOptionsC) -> Status {
    guard("cxm_rake_options_default", || {
        out_param(out, "out")?;
        let d = RakeOptions::default();
        let (bounded, bounds) =
            d.bounds.map_or((0, Bounds { lower: 0.0, upper: f64::INFINITY }), |b| (1, b));
        let options = RakeOptionsC {
            tolerance: d.tolerance,
            max_iterations: d.max_iterations,
            bounded,
            lower: bounds.lower,
            upper: bounds.upper,
        };
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(options) };
        Ok(())
    })
}

/// Rakes `len` rows to `margin_count` margins, from `base_weights` (`len` doubles; NULL: all
/// equal), with `options` (NULL: the defaults): see `cxm_core::rake`. Writes a new handle to
/// `*out`, which the caller frees with `cxm_raking_free`. A raking that does not converge
/// (without bounds) is still handed out, `converged` 0 in its summary.
///
/// # Safety
/// `margins` must hold `margin_count` readable margins, each with `len` codes, `categories`
/// targets and a NUL-terminated name; `base_weights` `len` doubles or NULL; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_rake(
    margins: *const MarginC,
    margin_count: usize,
    len: usize,
    base_weights: *const f64,
    options: *const RakeOptionsC,
    out: *mut *mut CxmRaking,
) -> Status {
    guard("cxm_rake", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises `margin_count` margins.
        let given = unsafe { slice(margins, margin_count, "margins")? };
        let names = given
            .iter()
            // SAFETY: the caller promises NUL-terminated names.
            .map(|m| unsafe { c_string(m.name, "margins[k].name", "a margin's name") })
            .collect::<Result<Vec<_>, Failure>>()?;
        let labels = given
            .iter()
            .map(|m| {
                // SAFETY: the caller promises `categories` names when not NULL.
                (!m.labels.is_null())
                    .then(|| unsafe {
                        c_strings(
                            m.labels,
                            m.categories,
                            "margins[k].labels",
                            "margins[k].labels[c]",
                            "a label",
                        )
                    })
                    .transpose()
            })
            .collect::<Result<Vec<_>, Failure>>()?;
        let margins = given
            .iter()
            .zip(&names)
            .zip(&labels)
            .map(|((m, name), labels)| {
                // SAFETY: the caller promises `len` codes and `categories` targets.
                let codes = unsafe { slice(m.codes, len, "margins[k].codes")? };
                let targets = unsafe { slice(m.targets, m.categories, "margins[k].targets")? };
                Ok(Margin { name, codes, targets, labels: labels.as_deref() })
            })
            .collect::<Result<Vec<_>, Failure>>()?;
        // SAFETY: the caller promises `len` doubles or NULL.
        let base = unsafe { optional_slice(base_weights, len, "base_weights")? };
        let options = if options.is_null() {
            RakeOptions::default()
        } else {
            // SAFETY: not NULL; the caller promises it is readable.
            let o = unsafe { read(options, "options")? };
            let bounds = flag(o.bounded, "options.bounded")?
                .then_some(Bounds { lower: o.lower, upper: o.upper });
            RakeOptions { tolerance: o.tolerance, max_iterations: o.max_iterations, bounds }
        };
        let raking = cxm_core::rake(&margins, base, &options)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(Box::into_raw(Box::new(CxmRaking(raking)))) };
        Ok(())
    })
}

/// The raking behind a handle, refusing NULL.
///
/// # Safety
/// `raking` must be NULL or a live handle.
unsafe fn borrow<'a>(raking: *const CxmRaking) -> Result<&'a Raking, Failure> {
    // SAFETY: the caller promises a live handle; NULL is refused.
    unsafe { raking.as_ref() }.map(|r| &r.0).ok_or(Failure::Null("raking"))
}

/// Frees a raking. NULL is ignored.
///
/// # Safety
/// `raking` must be NULL or a live handle from this library, not used again afterwards.
#[no_mangle]
pub unsafe extern "C" fn cxm_raking_free(raking: *mut CxmRaking) {
    if !raking.is_null() {
        // SAFETY: a live handle made by `Box::into_raw`, given back once (the caller's promise).
        drop(unsafe { Box::from_raw(raking) });
    }
}

/// The weights trimmed to `[lower, upper]` × their mean (`cxm_core::Raking::trim`), as a new
/// handle in `*out`; `raking` is unchanged.
///
/// # Safety
/// `raking` must be a live handle and `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_raking_trim(
    raking: *const CxmRaking,
    lower: f64,
    upper: f64,
    out: *mut *mut CxmRaking,
) -> Status {
    guard("cxm_raking_trim", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises a live handle.
        let trimmed = unsafe { borrow(raking)? }.trim(lower, upper)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(Box::into_raw(Box::new(CxmRaking(trimmed)))) };
        Ok(())
    })
}

/// Writes the raking's summary to `*out`.
///
/// # Safety
/// `raking` must be a live handle and `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_raking_summary(
    raking: *const CxmRaking,
    out: *mut RakingSummary,
) -> Status {
    guard("cxm_raking_summary", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises a live handle.
        let r = unsafe { borrow(raking)? };
        let summary = RakingSummary {
            iterations: r.iterations,
            converged: u32::from(r.converged),
            max_residual: r.max_residual,
            trimmed: r.trimmed,
            design_effect: r.design_effect,
            effective_n: r.effective_n,
            efficiency: r.efficiency,
        };
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(summary) };
        Ok(())
    })
}

/// Copies the weights, in the rows' order, to `out` (room for `len`, the number of rows).
///
/// # Safety
/// `raking` must be a live handle and `out` hold `len` writable doubles.
#[no_mangle]
pub unsafe extern "C" fn cxm_raking_weights(
    raking: *const CxmRaking,
    out: *mut f64,
    len: usize,
) -> Status {
    guard("cxm_raking_weights", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises a live handle.
        let weights = &unsafe { borrow(raking)? }.weights;
        if len < weights.len() {
            return Err(Failure::TooSmall(format!(
                "`out` holds {len} weights; the raking has {}",
                weights.len()
            )));
        }
        // SAFETY: room for `len ≥ weights.len()` doubles, as the caller promises.
        unsafe { out.copy_from_nonoverlapping(weights.as_ptr(), weights.len()) };
        Ok(())
    })
}

/// Copies margin `margin`'s weighted count of each category (`categories` of them) to
/// `achieved_out` (the residuals are `(achieved − target) / target`).
///
/// # Safety
/// `raking` must be a live handle and `achieved_out` hold `categories` writable doubles.
#[no_mangle]
pub unsafe extern "C" fn cxm_raking_achieved(
    raking: *const CxmRaking,
    margin: usize,
    achieved_out: *mut f64,
    categories: usize,
) -> Status {
    guard("cxm_raking_achieved", || {
        out_param(achieved_out, "achieved_out")?;
        // SAFETY: the caller promises a live handle.
        let r = unsafe { borrow(raking)? };
        let fit = r.margins.get(margin).ok_or_else(|| {
            Failure::Invalid(format!("margin {margin}: the raking has {}", r.margins.len()))
        })?;
        if categories != fit.achieved.len() {
            return Err(Failure::TooSmall(format!(
                "margin {margin} has {} categories, not {categories}",
                fit.achieved.len()
            )));
        }
        // SAFETY: room for `categories` doubles, as the caller promises.
        unsafe { achieved_out.copy_from_nonoverlapping(fit.achieved.as_ptr(), categories) };
        Ok(())
    })
}

/// The NPS of `scores` (`len` doubles, 0–10, NaN missing under `missing`, a `cxm_missing`) with
/// the raking's weights, and its standard errors (`cxm_core::calibrated_nps`).
///
/// # Safety
/// `raking` must be a live handle, `scores` hold `len` doubles and `out` be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_calibrated_nps(
    raking: *const CxmRaking,
    scores: *const f64,
    len: usize,
    missing_policy: u32,
    level: f64,
    out: *mut CalibratedEstimateC,
) -> Status {
    guard("cxm_calibrated_nps", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises a live handle and `len` doubles.
        let r = unsafe { borrow(raking)? };
        let scores = unsafe { slice(scores, len, "scores")? };
        let e = cxm_core::calibrated_nps(scores, r, missing(missing_policy)?, level)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(e.into()) };
        Ok(())
    })
}

/// The favourable share on `*scale` of `scores` (`len` doubles, NaN missing under `missing`)
/// with the raking's weights, and its standard errors (`cxm_core::calibrated_share`).
///
/// # Safety
/// `raking` must be a live handle, `scale_` readable, `scores` hold `len` doubles and `out` be
/// writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_calibrated_share(
    raking: *const CxmRaking,
    scores: *const f64,
    len: usize,
    scale_: *const RatingScale,
    missing_policy: u32,
    level: f64,
    out: *mut CalibratedEstimateC,
) -> Status {
    guard("cxm_calibrated_share", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises a live handle, `len` doubles and a readable scale.
        let r = unsafe { borrow(raking)? };
        let scores = unsafe { slice(scores, len, "scores")? };
        let scale = scale(unsafe { read(scale_, "scale")? })?;
        let e = cxm_core::calibrated_share(scores, r, scale, missing(missing_policy)?, level)?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(e.into()) };
        Ok(())
    })
}
