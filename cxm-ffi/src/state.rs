//! Mergeable states through the C ABI: one opaque handle, `cxm_state`, over every metric's
//! state, and the handle functions written once over the core's `State` and `ScoreState`
//! traits. A new metric registers its state in [`AnyState`] and [`each!`], one line each.
//!
//! Unlike results, states live on the heap: `cxm_state_new_*`, `cxm_state_from_bytes` and
//! `cxm_states_by_group_*` hand out handles that the caller frees with `cxm_state_free`.

use cxm_core::{
    ContactCentreState, DurationState, Metric, NpsState, RatingState, Score, ScoreState, State,
};

use crate::boundary::{decode, guard, optional_slice, out_param, read, slice, Failure};
use crate::nps::{missing, NpsResult};
use crate::rating::{scale, RatingResult, RatingScale};
use crate::status::Status;

/// Which metric a state is of (`cxm_core::Metric`'s codes), or any. Passed as a `uint32_t`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricCode {
    /// Whatever metric the bytes hold.
    Any = 0,
    /// NPS.
    Nps = 1,
    /// A rating (CSAT, CES).
    Rating = 2,
    /// Durations (waits, handle times, times to resolution).
    Durations = 3,
    /// Contact records (waits, answered or abandoned).
    ContactCentre = 4,
}

/// The states a handle may hold.
#[derive(Debug, Clone, PartialEq)]
enum AnyState {
    Nps(NpsState),
    Rating(RatingState),
    Durations(DurationState),
    ContactCentre(ContactCentreState),
}

/// Runs `$body` with `$s` bound to the state inside `$any`, whatever its metric.
macro_rules! each {
    ($any:expr, $s:ident => $body:expr) => {
        match $any {
            AnyState::Nps($s) => $body,
            AnyState::Rating($s) => $body,
            AnyState::Durations($s) => $body,
            AnyState::ContactCentre($s) => $body,
        }
    };
}

/// Runs `$body` with `$s` bound to the state inside `$any` when it takes scores; a state of
/// another kind is refused, naming what it takes.
macro_rules! each_score {
    ($any:expr, $s:ident => $body:expr) => {
        match $any {
            AnyState::Nps($s) => $body,
            AnyState::Rating($s) => $body,
            AnyState::Durations(_) => {
                return Err(Failure::Invalid(
                    "a durations state takes durations (cxm_state_add_durations), not scores"
                        .to_owned(),
                ))
            }
            AnyState::ContactCentre(_) => {
                return Err(Failure::Invalid(
                    "a contact-centre state takes contacts (cxm_state_add_contacts), not scores"
                        .to_owned(),
                ))
            }
        }
    };
}

/// A running metric: an opaque handle (`cxm_state *` in C) made by `cxm_state_new_nps`,
/// `cxm_state_new_rating`, `cxm_state_from_bytes` or `cxm_states_by_group_*`, and freed with
/// `cxm_state_free`. Using a handle after it is freed is the caller's error (undefined, as for
/// `free`). One handle must not be used by two threads at once; distinct handles may.
#[derive(Debug)]
pub struct CxmState(AnyState);

/// Hands a new state to the caller through `out`.
///
/// # Safety
/// `out` is checked not NULL and must be writable.
unsafe fn hand_out(state: AnyState, out: *mut *mut CxmState) {
    // SAFETY: the caller checked `out` and promises it is writable.
    unsafe { out.write(Box::into_raw(Box::new(CxmState(state)))) };
}

/// The state behind a caller's handle, refusing NULL.
///
/// # Safety
/// `state`, when not NULL, must be a live handle from this library.
unsafe fn borrow<'a>(
    state: *const CxmState,
    parameter: &'static str,
) -> Result<&'a AnyState, Failure> {
    // SAFETY: the caller promises a live handle; NULL is refused.
    unsafe { state.as_ref() }.map(|s| &s.0).ok_or(Failure::Null(parameter))
}

/// As [`borrow`], mutably.
///
/// # Safety
/// As for [`borrow`], and no other reference to the handle may be in use.
unsafe fn borrow_mut<'a>(
    state: *mut CxmState,
    parameter: &'static str,
) -> Result<&'a mut AnyState, Failure> {
    // SAFETY: as above.
    unsafe { state.as_mut() }.map(|s| &mut s.0).ok_or(Failure::Null(parameter))
}

/// Makes an empty NPS state and writes its handle to `*out`.
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_new_nps(out: *mut *mut CxmState) -> Status {
    guard("cxm_state_new_nps", || {
        out_param(out, "out")?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { hand_out(AnyState::Nps(NpsState::new()), out) };
        Ok(())
    })
}

/// Makes an empty rating state (CSAT, CES) on `*scale` and writes its handle to `*out`.
///
/// # Safety
/// `scale` must be readable and `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_new_rating(
    scale_: *const RatingScale,
    out: *mut *mut CxmState,
) -> Status {
    guard("cxm_state_new_rating", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises `scale` is readable.
        let scale = scale(unsafe { read(scale_, "scale")? })?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { hand_out(AnyState::Rating(RatingState::new(scale)), out) };
        Ok(())
    })
}

/// Frees a state. NULL is ignored.
///
/// # Safety
/// `state` must be NULL or a live handle from this library, not used again afterwards.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_free(state: *mut CxmState) {
    if !state.is_null() {
        // SAFETY: a live handle made by `Box::into_raw`, given back once (the caller's promise).
        drop(unsafe { Box::from_raw(state) });
    }
}

/// The shared body of the `cxm_state_add_<type>` functions.
///
/// # Safety
/// As for the exported functions.
unsafe fn add<S: Score>(
    name: &str,
    state: *mut CxmState,
    scores: *const S,
    len: usize,
    weights: *const f64,
    missing_policy: u32,
) -> Status {
    guard(name, || {
        // SAFETY: the caller promises a live handle and `len` readable elements.
        let state = unsafe { borrow_mut(state, "state")? };
        let scores = unsafe { slice(scores, len, "scores")? };
        let weights = unsafe { optional_slice(weights, len, "weights")? };
        let policy = missing(missing_policy)?;
        each_score!(state, s => s.add(scores, weights, policy))?;
        Ok(())
    })
}

/// Adds `len` scores (optionally weighted by `len` weights; `weights = NULL`: unweighted) to
/// `*state`, as `cxm_core::ScoreState::add` does. On failure the state is unchanged.
/// `missing` is a `cxm_missing` value (integers have no missing values).
///
/// # Safety
/// `state` must be a live handle used by no other thread meanwhile; `scores` must point to
/// `len` readable elements (or be NULL with `len == 0`), `weights` to `len` doubles or be NULL.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_add_u8(
    state: *mut CxmState,
    scores: *const u8,
    len: usize,
    weights: *const f64,
    missing: u32,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { add("cxm_state_add_u8", state, scores, len, weights, missing) }
}

/// Adds `len` scores (optionally weighted by `len` weights; `weights = NULL`: unweighted) to
/// `*state`, as `cxm_core::ScoreState::add` does. On failure the state is unchanged.
/// `missing` is a `cxm_missing` value (integers have no missing values).
///
/// # Safety
/// `state` must be a live handle used by no other thread meanwhile; `scores` must point to
/// `len` readable elements (or be NULL with `len == 0`), `weights` to `len` doubles or be NULL.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_add_i32(
    state: *mut CxmState,
    scores: *const i32,
    len: usize,
    weights: *const f64,
    missing: u32,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { add("cxm_state_add_i32", state, scores, len, weights, missing) }
}

/// Adds `len` scores (optionally weighted by `len` weights; `weights = NULL`: unweighted) to
/// `*state`, as `cxm_core::ScoreState::add` does. On failure the state is unchanged.
/// `missing` is a `cxm_missing` value (integers have no missing values).
///
/// # Safety
/// `state` must be a live handle used by no other thread meanwhile; `scores` must point to
/// `len` readable elements (or be NULL with `len == 0`), `weights` to `len` doubles or be NULL.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_add_i64(
    state: *mut CxmState,
    scores: *const i64,
    len: usize,
    weights: *const f64,
    missing: u32,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { add("cxm_state_add_i64", state, scores, len, weights, missing) }
}

/// Adds `len` scores (optionally weighted by `len` weights; `weights = NULL`: unweighted) to
/// `*state`, as `cxm_core::ScoreState::add` does. On failure the state is unchanged.
/// `missing` is a `cxm_missing` value (NaN is a missing score).
///
/// # Safety
/// `state` must be a live handle used by no other thread meanwhile; `scores` must point to
/// `len` readable elements (or be NULL with `len == 0`), `weights` to `len` doubles or be NULL.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_add_f32(
    state: *mut CxmState,
    scores: *const f32,
    len: usize,
    weights: *const f64,
    missing: u32,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { add("cxm_state_add_f32", state, scores, len, weights, missing) }
}

/// Adds `len` scores (optionally weighted by `len` weights; `weights = NULL`: unweighted) to
/// `*state`, as `cxm_core::ScoreState::add` does. On failure the state is unchanged.
/// `missing` is a `cxm_missing` value (NaN is a missing score).
///
/// # Safety
/// `state` must be a live handle used by no other thread meanwhile; `scores` must point to
/// `len` readable elements (or be NULL with `len == 0`), `weights` to `len` doubles or be NULL.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_add_f64(
    state: *mut CxmState,
    scores: *const f64,
    len: usize,
    weights: *const f64,
    missing: u32,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe { add("cxm_state_add_f64", state, scores, len, weights, missing) }
}

/// Adds the responses of `*other` to `*state` (same metric and scale; weighted with weighted,
/// unweighted with unweighted; an empty state merges with either). On failure `*state` is
/// unchanged; `*other` never changes.
///
/// # Safety
/// Both must be live handles; `state` used by no other thread meanwhile. They may be the same.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_merge(state: *mut CxmState, other: *const CxmState) -> Status {
    guard("cxm_state_merge", || {
        // SAFETY: the caller promises live handles. `other` is copied first, so that the two
        // may be one handle.
        let other = unsafe { borrow(other, "other")? }.clone();
        let state = unsafe { borrow_mut(state, "state")? };
        match (state, &other) {
            (AnyState::Nps(a), AnyState::Nps(b)) => a.merge(b)?,
            (AnyState::Rating(a), AnyState::Rating(b)) => a.merge(b)?,
            (AnyState::Durations(a), AnyState::Durations(b)) => a.merge(b)?,
            (AnyState::ContactCentre(a), AnyState::ContactCentre(b)) => a.merge(b)?,
            (a, b) => {
                return Err(Failure::Core(cxm_core::Error::IncompatibleStates {
                    reason: format!(
                        "a state of {} cannot take a state of {}",
                        metric(a).name(),
                        metric(b).name()
                    ),
                }))
            }
        }
        Ok(())
    })
}

fn metric(state: &AnyState) -> Metric {
    match state {
        AnyState::Nps(_) => NpsState::METRIC,
        AnyState::Rating(_) => RatingState::METRIC,
        AnyState::Durations(_) => DurationState::METRIC,
        AnyState::ContactCentre(_) => ContactCentreState::METRIC,
    }
}

/// Writes the metric of `*state` (`cxm_core::Metric`'s code: 1 NPS, 2 rating, 3 durations, 4
/// contact centre) to `*out`.
///
/// # Safety
/// `state` must be a live handle and `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_metric(state: *const CxmState, out: *mut u32) -> Status {
    guard("cxm_state_metric", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises a live handle and a writable `out`.
        let code = metric(unsafe { borrow(state, "state")? }).code();
        unsafe { out.write(code) };
        Ok(())
    })
}

/// Writes the number of responses in `*state` to `*out`.
///
/// # Safety
/// `state` must be a live handle and `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_n(state: *const CxmState, out: *mut u64) -> Status {
    guard("cxm_state_n", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises a live handle and a writable `out`.
        let n = each!(unsafe { borrow(state, "state")? }, s => s.n());
        unsafe { out.write(n) };
        Ok(())
    })
}

/// The bytes of `*state` in the documented format (docs/state-format.md). With `buffer = NULL`,
/// writes the size needed to `*written` and returns OK; otherwise copies the bytes into
/// `buffer` (`capacity` bytes) and writes their number to `*written`, or returns
/// `CXM_STATUS_BUFFER_TOO_SMALL` (writing nothing) when they do not fit.
///
/// # Safety
/// `state` must be a live handle, `buffer` NULL or writable for `capacity` bytes, `written`
/// writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_to_bytes(
    state: *const CxmState,
    buffer: *mut u8,
    capacity: usize,
    written: *mut usize,
) -> Status {
    guard("cxm_state_to_bytes", || {
        out_param(written, "written")?;
        // SAFETY: the caller promises a live handle.
        let bytes = each!(unsafe { borrow(state, "state")? }, s => s.to_bytes());
        if !buffer.is_null() {
            if capacity < bytes.len() {
                return Err(Failure::TooSmall(format!(
                    "the state takes {} bytes and the buffer has {capacity}",
                    bytes.len()
                )));
            }
            // SAFETY: the caller promises `capacity` writable bytes, which hold them.
            unsafe { buffer.copy_from_nonoverlapping(bytes.as_ptr(), bytes.len()) };
        }
        // SAFETY: not NULL; the caller promises it is writable.
        unsafe { written.write(bytes.len()) };
        Ok(())
    })
}

/// Reads a state from `len` bytes written by `cxm_state_to_bytes` (on any machine, by any
/// surface) and writes a new handle to `*out`. `metric` is the `cxm_metric` the state must be
/// of, or `CXM_METRIC_ANY`. Truncated or corrupted bytes, another format version, or a state
/// of another metric than asked are `CXM_STATUS_INVALID_STATE`.
///
/// # Safety
/// `bytes` must point to `len` readable bytes, and `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_from_bytes(
    bytes: *const u8,
    len: usize,
    metric: u32,
    out: *mut *mut CxmState,
) -> Status {
    guard("cxm_state_from_bytes", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises `len` readable bytes.
        let bytes = unsafe { slice(bytes, len, "bytes")? };
        let code = match metric {
            0 => bytes.get(5).copied().map_or(0, u32::from),
            asked => decode(Metric::from_code(asked), Metric::OPTION, asked)?.code(),
        };
        let state = match Metric::from_code(code) {
            Some(Metric::Rating) => AnyState::Rating(RatingState::from_bytes(bytes)?),
            Some(Metric::Durations) => AnyState::Durations(DurationState::from_bytes(bytes)?),
            Some(Metric::ContactCentre) => {
                AnyState::ContactCentre(ContactCentreState::from_bytes(bytes)?)
            }
            // NPS, and whatever else, is read as NPS: its check names what is wrong.
            _ => AnyState::Nps(NpsState::from_bytes(bytes)?),
        };
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { hand_out(state, out) };
        Ok(())
    })
}

/// Finishes an NPS state into `*out`: the same bits as `cxm_nps_*` over all its responses.
///
/// # Safety
/// `state` must be a live handle and `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_finish_nps(
    state: *const CxmState,
    out: *mut NpsResult,
) -> Status {
    guard("cxm_state_finish_nps", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises a live handle.
        let AnyState::Nps(s) = (unsafe { borrow(state, "state")? }) else {
            return Err(Failure::Invalid("the state is not an NPS state".to_owned()));
        };
        let result = s.finish()?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(result.into()) };
        Ok(())
    })
}

/// Finishes a rating state into `*out`: the same bits as `cxm_rating_*` over all its answers.
///
/// # Safety
/// `state` must be a live handle and `out` writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_finish_rating(
    state: *const CxmState,
    out: *mut RatingResult,
) -> Status {
    guard("cxm_state_finish_rating", || {
        out_param(out, "out")?;
        // SAFETY: the caller promises a live handle.
        let AnyState::Rating(s) = (unsafe { borrow(state, "state")? }) else {
            return Err(Failure::Invalid("the state is not a rating state".to_owned()));
        };
        let result = s.finish()?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(result.into()) };
        Ok(())
    })
}

/// Makes an empty durations state and writes its handle to `*out`.
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_new_durations(out: *mut *mut CxmState) -> Status {
    guard("cxm_state_new_durations", || {
        out_param(out, "out")?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { hand_out(AnyState::Durations(DurationState::new()), out) };
        Ok(())
    })
}

/// Adds `len` durations in seconds (`open`: a flag per record, 1 for a case still open, its
/// time the time open so far; NULL: none open) to a durations state, as
/// `cxm_core::DurationState::add` does. On failure the state is unchanged.
///
/// # Safety
/// `state` must be a live handle used by no other thread meanwhile; `seconds` must point to
/// `len` doubles, `open` to `len` bytes or be NULL.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_add_durations(
    state: *mut CxmState,
    seconds: *const f64,
    open: *const u8,
    len: usize,
) -> Status {
    // SAFETY: as the caller promises.
    guard("cxm_state_add_durations", || unsafe {
        add_durations(state, seconds, open, std::ptr::null(), len)
    })
}

/// Adds `len` weighted durations in seconds (`open` as for `cxm_state_add_durations`;
/// `weights`: a case weight per record, finite and 0 or more) to a durations state, as
/// `cxm_core::DurationState::add_weighted` does: the weights at each time are summed exactly,
/// so any split finishes to the bits of `cxm_durations` with the same weights. A state takes
/// weighted or unweighted records, not both. On failure the state is unchanged.
///
/// # Safety
/// `state` must be a live handle used by no other thread meanwhile; `seconds` and `weights`
/// must point to `len` doubles each, `open` to `len` bytes or be NULL.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_add_weighted_durations(
    state: *mut CxmState,
    seconds: *const f64,
    open: *const u8,
    weights: *const f64,
    len: usize,
) -> Status {
    guard("cxm_state_add_weighted_durations", || {
        if weights.is_null() {
            return Err(Failure::Null("weights"));
        }
        // SAFETY: as the caller promises.
        unsafe { add_durations(state, seconds, open, weights, len) }
    })
}

/// Adds durations to a durations state: weighted unless `weights` is NULL.
///
/// # Safety
/// As `cxm_state_add_weighted_durations`, `weights` also NULL.
unsafe fn add_durations(
    state: *mut CxmState,
    seconds: *const f64,
    open: *const u8,
    weights: *const f64,
    len: usize,
) -> Result<(), Failure> {
    // SAFETY: the caller promises a live handle and `len` readable elements each.
    let AnyState::Durations(s) = (unsafe { borrow_mut(state, "state")? }) else {
        return Err(Failure::Invalid("the state is not a durations state".to_owned()));
    };
    let seconds = unsafe { slice(seconds, len, "seconds")? };
    let open = match unsafe { optional_slice(open, len, "open")? } {
        Some(flags) => Some(crate::boundary::flags(flags, "open")?),
        None => None,
    };
    match unsafe { optional_slice(weights, len, "weights")? } {
        Some(weights) => s.add_weighted(seconds, open.as_deref(), weights)?,
        None => s.add(seconds, open.as_deref())?,
    }
    Ok(())
}

/// Finishes a durations state into `*out` and `percentiles_out` (room for `percents_len`), as
/// `cxm_durations` does over all its records, to the bit: `within` NaN for none, `conf_type` a
/// `cxm_conf_type`.
///
/// # Safety
/// `state` must be a live handle, `percents` `percents_len` readable doubles, `out` writable
/// and `percentiles_out` room for `percents_len` percentiles.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // as cxm_durations
pub unsafe extern "C" fn cxm_state_finish_durations(
    state: *const CxmState,
    percents: *const f64,
    percents_len: usize,
    within: f64,
    level: f64,
    conf_type: u32,
    out: *mut crate::survival::DurationsResult,
    percentiles_out: *mut crate::survival::SurvivalPercentile,
) -> Status {
    guard("cxm_state_finish_durations", || {
        out_param(out, "out")?;
        if percents_len > 0 {
            out_param(percentiles_out, "percentiles_out")?;
        }
        // SAFETY: the caller promises a live handle.
        let AnyState::Durations(s) = (unsafe { borrow(state, "state")? }) else {
            return Err(Failure::Invalid("the state is not a durations state".to_owned()));
        };
        // SAFETY: as above.
        let percents = unsafe { slice(percents, percents_len, "percents")? };
        let within = (!within.is_nan()).then_some(within);
        let transform = crate::survival::transform(conf_type)?;
        let d = s.summary(percents, within, level, transform)?;
        // SAFETY: checked above; the caller promises the room.
        unsafe { crate::survival::write_summary(&d, out, percentiles_out) };
        Ok(())
    })
}

/// Makes an empty contact-centre state and writes its handle to `*out`.
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_new_contact_centre(out: *mut *mut CxmState) -> Status {
    guard("cxm_state_new_contact_centre", || {
        out_param(out, "out")?;
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { hand_out(AnyState::ContactCentre(ContactCentreState::new()), out) };
        Ok(())
    })
}

/// Adds `len` contacts (`wait_seconds`, and `answered`: 1 answered, 0 abandoned) to a
/// contact-centre state, as `cxm_core::ContactCentreState::add` does. On failure the state is
/// unchanged.
///
/// # Safety
/// `state` must be a live handle used by no other thread meanwhile; `wait_seconds` must point
/// to `len` doubles and `answered` to `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn cxm_state_add_contacts(
    state: *mut CxmState,
    wait_seconds: *const f64,
    answered: *const u8,
    len: usize,
) -> Status {
    guard("cxm_state_add_contacts", || {
        // SAFETY: the caller promises a live handle and `len` readable elements each.
        let AnyState::ContactCentre(s) = (unsafe { borrow_mut(state, "state")? }) else {
            return Err(Failure::Invalid("the state is not a contact-centre state".to_owned()));
        };
        let waits = unsafe { slice(wait_seconds, len, "wait_seconds")? };
        let answered =
            crate::boundary::flags(unsafe { slice(answered, len, "answered")? }, "answered")?;
        s.add(waits, &answered)?;
        Ok(())
    })
}

/// Finishes a contact-centre state into `*out` and `percentiles_out` (room for
/// `percents_len`), as `cxm_contact_centre` does over all its contacts, to the bit:
/// `short_abandon_seconds` NaN for none.
///
/// # Safety
/// `state` must be a live handle, `percents` `percents_len` readable doubles, `out` writable
/// and `percentiles_out` room for `percents_len` percentiles.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // as cxm_contact_centre
pub unsafe extern "C" fn cxm_state_finish_contact_centre(
    state: *const CxmState,
    short_abandon_seconds: f64,
    service_level_seconds: f64,
    percents: *const f64,
    percents_len: usize,
    level: f64,
    out: *mut crate::survival::ContactCentreResult,
    percentiles_out: *mut crate::survival::SurvivalPercentile,
) -> Status {
    guard("cxm_state_finish_contact_centre", || {
        out_param(out, "out")?;
        if percents_len > 0 {
            out_param(percentiles_out, "percentiles_out")?;
        }
        // SAFETY: the caller promises a live handle.
        let AnyState::ContactCentre(s) = (unsafe { borrow(state, "state")? }) else {
            return Err(Failure::Invalid("the state is not a contact-centre state".to_owned()));
        };
        // SAFETY: as above.
        let percents = unsafe { slice(percents, percents_len, "percents")? };
        let short = (!short_abandon_seconds.is_nan()).then_some(short_abandon_seconds);
        let c = s.summary(short, service_level_seconds, percents, level)?;
        // SAFETY: checked above; the caller promises the room.
        unsafe {
            crate::survival::write_contact_centre(&c, service_level_seconds, out, percentiles_out)
        }
    })
}

/// The shared body of the `cxm_states_by_group_<type>` functions.
///
/// # Safety
/// As for the exported functions.
#[allow(clippy::too_many_arguments)]
unsafe fn by_group<S: Score>(
    name: &str,
    prototype: *const CxmState,
    scores: *const S,
    len: usize,
    weights: *const f64,
    rows: *const u32,
    groups: usize,
    missing_policy: u32,
    out: *mut *mut CxmState,
) -> Status {
    guard(name, || {
        out_param(out, "out")?;
        // SAFETY: the caller promises a live handle and `len` readable elements each.
        let prototype = unsafe { borrow(prototype, "prototype")? };
        let scores = unsafe { slice(scores, len, "scores")? };
        let weights = unsafe { optional_slice(weights, len, "weights")? };
        let rows = unsafe { slice(rows, len, "groups_of_rows")? };
        let policy = missing(missing_policy)?;
        let states: Vec<AnyState> = match prototype {
            AnyState::Nps(p) => p
                .by_group(scores, weights, rows, groups, policy)?
                .into_iter()
                .map(AnyState::Nps)
                .collect(),
            AnyState::Rating(p) => p
                .by_group(scores, weights, rows, groups, policy)?
                .into_iter()
                .map(AnyState::Rating)
                .collect(),
            AnyState::Durations(_) | AnyState::ContactCentre(_) => {
                return Err(Failure::Invalid(format!(
                    "a {} state is not grouped by scores",
                    metric(prototype).name()
                )))
            }
        };
        for (g, state) in states.into_iter().enumerate() {
            // SAFETY: the caller promises `groups` writable handles at `out`.
            unsafe { hand_out(state, out.add(g)) };
        }
        Ok(())
    })
}

/// One state per group in one pass over `len` scores: row `i` belongs to group
/// `groups_of_rows[i]`, below `groups`. Writes `groups` new handles, each with the metric and
/// scale of `*prototype` and its group's responses alone, to `out[0..groups]` (free each with
/// `cxm_state_free`); on failure writes none. `missing` is a `cxm_missing` value (integers have no missing values).
///
/// # Safety
/// `prototype` must be a live handle; `scores` and `groups_of_rows` must point to `len`
/// readable elements (or be NULL with `len == 0`), `weights` to `len` doubles or be NULL;
/// `out` must be writable for `groups` handles.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cxm_states_by_group_u8(
    prototype: *const CxmState,
    scores: *const u8,
    len: usize,
    weights: *const f64,
    groups_of_rows: *const u32,
    groups: usize,
    missing: u32,
    out: *mut *mut CxmState,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe {
        by_group(
            "cxm_states_by_group_u8",
            prototype,
            scores,
            len,
            weights,
            groups_of_rows,
            groups,
            missing,
            out,
        )
    }
}

/// One state per group in one pass over `len` scores: row `i` belongs to group
/// `groups_of_rows[i]`, below `groups`. Writes `groups` new handles, each with the metric and
/// scale of `*prototype` and its group's responses alone, to `out[0..groups]` (free each with
/// `cxm_state_free`); on failure writes none. `missing` is a `cxm_missing` value (integers have no missing values).
///
/// # Safety
/// `prototype` must be a live handle; `scores` and `groups_of_rows` must point to `len`
/// readable elements (or be NULL with `len == 0`), `weights` to `len` doubles or be NULL;
/// `out` must be writable for `groups` handles.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cxm_states_by_group_i32(
    prototype: *const CxmState,
    scores: *const i32,
    len: usize,
    weights: *const f64,
    groups_of_rows: *const u32,
    groups: usize,
    missing: u32,
    out: *mut *mut CxmState,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe {
        by_group(
            "cxm_states_by_group_i32",
            prototype,
            scores,
            len,
            weights,
            groups_of_rows,
            groups,
            missing,
            out,
        )
    }
}

/// One state per group in one pass over `len` scores: row `i` belongs to group
/// `groups_of_rows[i]`, below `groups`. Writes `groups` new handles, each with the metric and
/// scale of `*prototype` and its group's responses alone, to `out[0..groups]` (free each with
/// `cxm_state_free`); on failure writes none. `missing` is a `cxm_missing` value (integers have no missing values).
///
/// # Safety
/// `prototype` must be a live handle; `scores` and `groups_of_rows` must point to `len`
/// readable elements (or be NULL with `len == 0`), `weights` to `len` doubles or be NULL;
/// `out` must be writable for `groups` handles.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cxm_states_by_group_i64(
    prototype: *const CxmState,
    scores: *const i64,
    len: usize,
    weights: *const f64,
    groups_of_rows: *const u32,
    groups: usize,
    missing: u32,
    out: *mut *mut CxmState,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe {
        by_group(
            "cxm_states_by_group_i64",
            prototype,
            scores,
            len,
            weights,
            groups_of_rows,
            groups,
            missing,
            out,
        )
    }
}

/// One state per group in one pass over `len` scores: row `i` belongs to group
/// `groups_of_rows[i]`, below `groups`. Writes `groups` new handles, each with the metric and
/// scale of `*prototype` and its group's responses alone, to `out[0..groups]` (free each with
/// `cxm_state_free`); on failure writes none. `missing` is a `cxm_missing` value (NaN is a missing score).
///
/// # Safety
/// `prototype` must be a live handle; `scores` and `groups_of_rows` must point to `len`
/// readable elements (or be NULL with `len == 0`), `weights` to `len` doubles or be NULL;
/// `out` must be writable for `groups` handles.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cxm_states_by_group_f32(
    prototype: *const CxmState,
    scores: *const f32,
    len: usize,
    weights: *const f64,
    groups_of_rows: *const u32,
    groups: usize,
    missing: u32,
    out: *mut *mut CxmState,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe {
        by_group(
            "cxm_states_by_group_f32",
            prototype,
            scores,
            len,
            weights,
            groups_of_rows,
            groups,
            missing,
            out,
        )
    }
}

/// One state per group in one pass over `len` scores: row `i` belongs to group
/// `groups_of_rows[i]`, below `groups`. Writes `groups` new handles, each with the metric and
/// scale of `*prototype` and its group's responses alone, to `out[0..groups]` (free each with
/// `cxm_state_free`); on failure writes none. `missing` is a `cxm_missing` value (NaN is a missing score).
///
/// # Safety
/// `prototype` must be a live handle; `scores` and `groups_of_rows` must point to `len`
/// readable elements (or be NULL with `len == 0`), `weights` to `len` doubles or be NULL;
/// `out` must be writable for `groups` handles.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cxm_states_by_group_f64(
    prototype: *const CxmState,
    scores: *const f64,
    len: usize,
    weights: *const f64,
    groups_of_rows: *const u32,
    groups: usize,
    missing: u32,
    out: *mut *mut CxmState,
) -> Status {
    // SAFETY: forwarded from this function's own contract.
    unsafe {
        by_group(
            "cxm_states_by_group_f64",
            prototype,
            scores,
            len,
            weights,
            groups_of_rows,
            groups,
            missing,
            out,
        )
    }
}

/// The core's segment table of the states behind `handles` (all of one metric), with `method`
/// the metric's interval method code.
pub(crate) fn segment_table_of(
    handles: &[*const CxmState],
    options: &cxm_core::SegmentOptions,
    method: u32,
) -> Result<cxm_core::SegmentTable, Failure> {
    // SAFETY: the caller of the exported function promises live handles.
    let states = handles
        .iter()
        .map(|&h| unsafe { borrow(h, "states[i]") })
        .collect::<Result<Vec<&AnyState>, Failure>>()?;
    let mixed = || Failure::Invalid("the states are not all of one metric".to_owned());
    match states.first() {
        None => Err(Failure::Core(cxm_core::Error::Empty)),
        Some(AnyState::Nps(_)) => {
            let nps: Vec<NpsState> = states
                .iter()
                .map(|s| if let AnyState::Nps(s) = s { Ok(s.clone()) } else { Err(mixed()) })
                .collect::<Result<_, _>>()?;
            let method = crate::nps::nps_method(method)?;
            Ok(cxm_core::segment_table(&nps, options, method)?)
        }
        Some(AnyState::Rating(_)) => {
            let ratings: Vec<RatingState> = states
                .iter()
                .map(|s| if let AnyState::Rating(s) = s { Ok(s.clone()) } else { Err(mixed()) })
                .collect::<Result<_, _>>()?;
            let method = crate::rating::proportion_method(method)?;
            Ok(cxm_core::segment_table(&ratings, options, method)?)
        }
        Some(AnyState::Durations(_) | AnyState::ContactCentre(_)) => {
            Err(Failure::Invalid("a segment table is of NPS or rating states".to_owned()))
        }
    }
}
