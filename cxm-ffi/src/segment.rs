//! Segments through the C ABI: p-values adjusted for the number of comparisons. Conversion
//! only; the core computes.

use cxm_core::Adjustment;

use crate::boundary::{decode, guard, slice, Failure};
use crate::status::Status;

/// How p-values are adjusted (see `cxm_core::Adjustment`). Passed as a `uint32_t`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdjustmentCode {
    /// No adjustment.
    None = 0,
    /// Holm's step-down (the default).
    Holm = 1,
    /// Benjamini-Hochberg's step-up (false discovery rate).
    FdrBh = 2,
}

/// Adjusts `len` p-values for their number by `method` (a `cxm_adjustment`), as statsmodels'
/// `multipletests` does, and writes them in the same order to `out` (`len` doubles; it may be
/// `p_values` itself). Nothing is written on failure.
///
/// # Safety
/// `p_values` must point to `len` readable doubles and `out` to `len` writable ones (either
/// may be NULL when `len == 0`).
#[no_mangle]
pub unsafe extern "C" fn cxm_adjust_p_values(
    p_values: *const f64,
    len: usize,
    method: u32,
    out: *mut f64,
) -> Status {
    guard("cxm_adjust_p_values", || {
        if len > 0 && out.is_null() {
            return Err(Failure::Null("out"));
        }
        // SAFETY: the caller promises `len` readable doubles.
        let p = unsafe { slice(p_values, len, "p_values")? };
        let method = decode(Adjustment::from_code(method), Adjustment::OPTION, method)?;
        let adjusted = cxm_core::adjust_p_values(p, method)?;
        // SAFETY: the caller promises `len` writable doubles at `out`; `adjusted` is a copy,
        // so `out` may be `p_values`.
        unsafe { out.copy_from(adjusted.as_ptr(), adjusted.len()) };
        Ok(())
    })
}
