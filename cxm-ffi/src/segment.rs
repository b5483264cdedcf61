//! Segments and periods through the C ABI: the segment table of per-group states, p-values
//! adjusted for the number of comparisons, periods. Conversion only; the core computes.

use cxm_core::Adjustment;

use crate::boundary::{decode, guard, out_param, read, slice, Failure};
use crate::state::CxmState;
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

/// How a segment table is built (see `cxm_core::SegmentOptions`): `level`; `compare` 0 the
/// rest, 1 the overall, 2 the group `baseline`; `adjustment` a `cxm_adjustment`; `min_n`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SegmentOptions {
    /// Confidence level of every interval and comparison.
    pub level: f64,
    /// 0: each segment against the rest; 1: against the overall; 2: against `baseline`.
    pub compare: u32,
    /// The baseline group's number, with `compare = 2`.
    pub baseline: u64,
    /// A `cxm_adjustment`.
    pub adjustment: u32,
    /// Segments with fewer responses are flagged `small`.
    pub min_n: u64,
}

/// One row of a segment table; fields as in `cxm_core::SegmentRow`. Values that cannot be
/// computed are NaN (and the row `small`); a group with no responses has `n = 0`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SegmentRow {
    /// Responses in the group.
    pub n: u64,
    /// Kish's effective sample size.
    pub effective_n: f64,
    /// The NPS in points, or a rating's favourable share.
    pub estimate: f64,
    /// Its standard error.
    pub standard_error: f64,
    /// Lower limit of its interval.
    pub lower: f64,
    /// Upper limit of its interval.
    pub upper: f64,
    /// The group minus what it is compared with.
    pub difference: f64,
    /// Two-sided p-value of that comparison.
    pub p_value: f64,
    /// The p-value adjusted for the number of comparisons.
    pub p_adjusted: f64,
    /// 1 when the group is too small or its interval degenerates, else 0.
    pub small: u32,
}

fn row_of(r: &cxm_core::SegmentRow) -> SegmentRow {
    SegmentRow {
        n: r.n,
        effective_n: r.effective_n,
        estimate: r.estimate,
        standard_error: r.standard_error,
        lower: r.lower,
        upper: r.upper,
        difference: r.difference,
        p_value: r.p_value,
        p_adjusted: r.p_adjusted,
        small: u32::from(r.small),
    }
}

/// An empty group's row: no responses, nothing computed.
fn empty_row() -> SegmentRow {
    let nan = f64::NAN;
    SegmentRow {
        n: 0,
        effective_n: nan,
        estimate: nan,
        standard_error: nan,
        lower: nan,
        upper: nan,
        difference: nan,
        p_value: nan,
        p_adjusted: nan,
        small: 1,
    }
}

/// The segment table of `count` states (as `cxm_states_by_group_*` gives them, all of one
/// metric), each against the rest, the overall or a baseline, p-values adjusted: writes one
/// row per state to `rows[0..count]` (`n = 0` for a state with no responses) and the overall
/// row to `*overall`. `method` is a `cxm_nps_method` for NPS states, a
/// `cxm_proportion_method` for ratings. Nothing is written on failure.
///
/// # Safety
/// `states` must point to `count` live handles; `options` must be readable; `rows` writable
/// for `count` rows and `overall` for one.
#[no_mangle]
pub unsafe extern "C" fn cxm_segment_table(
    states: *const *const CxmState,
    count: usize,
    options: *const SegmentOptions,
    method: u32,
    rows: *mut SegmentRow,
    overall: *mut SegmentRow,
) -> Status {
    guard("cxm_segment_table", || {
        out_param(overall, "overall")?;
        if count > 0 && rows.is_null() {
            return Err(Failure::Null("rows"));
        }
        // SAFETY: the caller promises `count` handles and a readable `options`.
        let handles = unsafe { slice(states, count, "states")? };
        let o = unsafe { read(options, "options")? };
        let compare = match o.compare {
            0 => cxm_core::Compare::Rest,
            1 => cxm_core::Compare::Overall,
            2 => cxm_core::Compare::Baseline(usize::try_from(o.baseline).unwrap_or(usize::MAX)),
            other => return Err(Failure::Invalid(format!("compare is {other}, not 0, 1 or 2"))),
        };
        let adjustment =
            decode(Adjustment::from_code(o.adjustment), Adjustment::OPTION, o.adjustment)?;
        let options =
            cxm_core::SegmentOptions { level: o.level, compare, adjustment, min_n: o.min_n };
        let table = crate::state::segment_table_of(handles, &options, method)?;
        let mut out = vec![empty_row(); count];
        for r in &table.rows {
            if let Some(g) = r.group {
                out[g] = row_of(r);
            }
        }
        // SAFETY: the caller promises `count` writable rows and a writable `overall`.
        unsafe {
            rows.copy_from(out.as_ptr(), count);
            overall.write(row_of(&table.overall));
        }
        Ok(())
    })
}

/// Buckets `len` times (seconds since the Unix epoch, UTC) into periods (`period`: a
/// `cxm_period`) at `utc_offset` seconds east of UTC: writes each time's dense period code (its
/// period number minus the first's) to `codes[0..len]` and the first period's number to
/// `*first`. `cxm_period_label` names a period number.
///
/// # Safety
/// `times` must point to `len` readable values, `codes` to `len` writable ones, `first` be
/// writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_bucket_periods(
    times: *const i64,
    len: usize,
    period: u32,
    utc_offset: i32,
    codes: *mut u32,
    first: *mut i64,
) -> Status {
    guard("cxm_bucket_periods", || {
        out_param(first, "first")?;
        if len > 0 && codes.is_null() {
            return Err(Failure::Null("codes"));
        }
        // SAFETY: the caller promises `len` readable times.
        let times = unsafe { slice(times, len, "times")? };
        let period = decode(cxm_core::Period::from_code(period), cxm_core::Period::OPTION, period)?;
        let (out, start) = cxm_core::bucket_periods(times, period, utc_offset)?;
        // SAFETY: the caller promises `len` writable codes and a writable `first`.
        unsafe {
            codes.copy_from(out.as_ptr(), out.len());
            first.write(start);
        }
        Ok(())
    })
}

/// Writes the ISO 8601 label of period number `index` (`2026-03-05`, `2026-W09`, `2026-03`,
/// `2026-Q1`, `2026`) NUL-terminated into `buffer` (`capacity` bytes) and its length to
/// `*written`; `CXM_STATUS_BUFFER_TOO_SMALL` (writing nothing) when it does not fit.
///
/// # Safety
/// `buffer` must be writable for `capacity` bytes and `written` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_period_label(
    index: i64,
    period: u32,
    buffer: *mut std::ffi::c_char,
    capacity: usize,
    written: *mut usize,
) -> Status {
    guard("cxm_period_label", || {
        out_param(written, "written")?;
        out_param(buffer, "buffer")?;
        let period = decode(cxm_core::Period::from_code(period), cxm_core::Period::OPTION, period)?;
        let label = cxm_core::period_label(index, period);
        if capacity <= label.len() {
            return Err(Failure::TooSmall(format!(
                "the label takes {} bytes with its NUL and the buffer has {capacity}",
                label.len() + 1
            )));
        }
        // SAFETY: `capacity` writable bytes hold the label and its NUL.
        unsafe {
            buffer.cast::<u8>().copy_from(label.as_ptr(), label.len());
            buffer.add(label.len()).write(0);
            written.write(label.len());
        }
        Ok(())
    })
}

/// Which period a time falls in (see `cxm_core::Period`). Passed as a `uint32_t`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodCode {
    /// A calendar day.
    Day = 0,
    /// An ISO 8601 week (Monday to Sunday).
    Week = 1,
    /// A calendar month.
    Month = 2,
    /// A calendar quarter.
    Quarter = 3,
    /// A calendar year.
    Year = 4,
}
