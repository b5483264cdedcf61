//! Durations and the Kaplan–Meier curve through the C ABI: conversion to and from `cxm-core`.

use cxm_core::{KaplanMeier, Transform};

use crate::boundary::{decode, flags, guard, optional_slice, out_param, slice, Failure};
use crate::status::Status;

/// How the curve's confidence band is built (see `cxm_core::Transform`). Passed as a
/// `uint32_t`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfType {
    /// On log(−log S): within 0..1 always (lifelines', SAS's default).
    LogLog = 0,
    /// On log S, cut at 1 (R `survfit`'s default).
    Log = 1,
}

/// A percentile of durations with its interval (`cxm_core::SurvivalPercentile`). A value the
/// data do not reach is NaN with its `*_reached` flag 0: never a number passed off as one.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurvivalPercentile {
    /// The percentile asked for, 0..=100.
    pub percent: f64,
    /// The time (seconds), or NaN when not reached.
    pub estimate: f64,
    /// Lower limit of its interval, or NaN when not reached.
    pub lower: f64,
    /// Upper limit, or NaN when not reached.
    pub upper: f64,
    /// 1 when `estimate` is reached, else 0.
    pub estimate_reached: u32,
    /// 1 when `lower` is reached, else 0.
    pub lower_reached: u32,
    /// 1 when `upper` is reached, else 0.
    pub upper_reached: u32,
}

impl From<cxm_core::SurvivalPercentile> for SurvivalPercentile {
    fn from(p: cxm_core::SurvivalPercentile) -> SurvivalPercentile {
        let value = |x: Option<f64>| x.unwrap_or(f64::NAN);
        SurvivalPercentile {
            percent: p.percent,
            estimate: value(p.estimate),
            lower: value(p.lower),
            upper: value(p.upper),
            estimate_reached: u32::from(p.estimate.is_some()),
            lower_reached: u32::from(p.lower.is_some()),
            upper_reached: u32::from(p.upper.is_some()),
        }
    }
}

/// A summary of durations (`cxm_core::Durations`), flattened: the mean only when `has_mean`
/// (no case open), its interval only when `has_mean_interval` (two records or more), the share
/// within a time only when `has_within`; the other fields are then NaN.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DurationsResult {
    /// Records given.
    pub records: u64,
    /// Records still open (their weight).
    pub open: f64,
    /// 1 when the mean is given (no case open), else 0.
    pub has_mean: u32,
    /// The (weighted) mean.
    pub mean: f64,
    /// The (weighted) sample standard deviation.
    pub standard_deviation: f64,
    /// 1 when the mean's interval is given, else 0.
    pub has_mean_interval: u32,
    /// Lower limit of the mean's t interval.
    pub mean_lower: f64,
    /// Upper limit.
    pub mean_upper: f64,
    /// The median, with its interval.
    pub median: SurvivalPercentile,
    /// 1 when a time for `within` was given, else 0.
    pub has_within: u32,
    /// That time, seconds.
    pub within_seconds: f64,
    /// The share done within it.
    pub within_share: f64,
    /// Lower limit of its interval.
    pub within_lower: f64,
    /// Upper limit.
    pub within_upper: f64,
    /// The Kaplan–Meier curve's steps (read them with `cxm_kaplan_meier`) when the percentiles
    /// came from it (cases open or weights), else 0.
    pub curve_steps: u64,
}

/// One step of the Kaplan–Meier curve (`cxm_core::Step`) and its band at the asked level.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurvivalStep {
    /// The time.
    pub time: f64,
    /// Cases (their weight) unresolved just before it.
    pub at_risk: f64,
    /// Cases resolved at it.
    pub resolved: f64,
    /// Cases still open at it (the end of their record).
    pub open: f64,
    /// The share still unresolved after it.
    pub survival: f64,
    /// Greenwood's sum so far (the variance of log survival).
    pub greenwood: f64,
    /// Lower limit of the band; NaN where the curve is 0.
    pub lower: f64,
    /// Upper limit of the band; NaN where the curve is 0.
    pub upper: f64,
}

pub(crate) fn transform(code: u32) -> Result<Transform, Failure> {
    decode(Transform::from_code(code), "confidence band transform", code)
}

/// The open flags (0 or 1 each; NULL: none open) as bools, naming a bad one.
///
/// # Safety
/// As for `boundary::slice`.
unsafe fn open_flags(open: *const u8, len: usize) -> Result<Option<Vec<bool>>, Failure> {
    // SAFETY: forwarded from this function's contract.
    let Some(open) = (unsafe { optional_slice(open, len, "open")? }) else { return Ok(None) };
    flags(open, "open").map(Some)
}

/// Writes the C summary of `d` to `*out` and its percentiles to `percentiles_out`.
///
/// # Safety
/// `out` must be writable, and `percentiles_out` have room for `d.percentiles` (not NULL when
/// there are any).
pub(crate) unsafe fn write_summary(
    d: &cxm_core::Durations,
    out: *mut DurationsResult,
    percentiles_out: *mut SurvivalPercentile,
) {
    for (i, p) in d.percentiles.iter().enumerate() {
        // SAFETY: the caller promises room for them.
        unsafe { percentiles_out.add(i).write_unaligned((*p).into()) };
    }
    // SAFETY: the caller promises `out` is writable.
    unsafe { out.write(summary(d)) };
}

/// The C summary of the core's `Durations` (its percentiles go to the caller's array).
fn summary(d: &cxm_core::Durations) -> DurationsResult {
    let nan = f64::NAN;
    let mean = d.mean.as_ref();
    let interval = mean.and_then(|m| m.interval);
    DurationsResult {
        records: d.records,
        open: d.open,
        has_mean: u32::from(mean.is_some()),
        mean: mean.map_or(nan, |m| m.estimate),
        standard_deviation: mean.map_or(nan, |m| m.standard_deviation),
        has_mean_interval: u32::from(interval.is_some()),
        mean_lower: interval.map_or(nan, |i| i.lower),
        mean_upper: interval.map_or(nan, |i| i.upper),
        median: d.median.into(),
        has_within: u32::from(d.within.is_some()),
        within_seconds: d.within.map_or(nan, |w| w.seconds),
        within_share: d.within.map_or(nan, |w| w.share),
        within_lower: d.within.map_or(nan, |w| w.interval.lower),
        within_upper: d.within.map_or(nan, |w| w.interval.upper),
        curve_steps: d.curve.as_ref().map_or(0, |c| c.steps.len() as u64),
    }
}

/// A summary of no durations: every number NaN, every flag 0.
fn empty_summary() -> DurationsResult {
    let nan = f64::NAN;
    let none = SurvivalPercentile {
        percent: 50.0,
        estimate: nan,
        lower: nan,
        upper: nan,
        estimate_reached: 0,
        lower_reached: 0,
        upper_reached: 0,
    };
    DurationsResult {
        records: 0,
        open: 0.0,
        has_mean: 0,
        mean: nan,
        standard_deviation: nan,
        has_mean_interval: 0,
        mean_lower: nan,
        mean_upper: nan,
        median: none,
        has_within: 0,
        within_seconds: nan,
        within_share: nan,
        within_lower: nan,
        within_upper: nan,
        curve_steps: 0,
    }
}

/// Summarises `len` durations in seconds (`seconds`), `open` marking (1) the cases still open
/// at the end of the window (NULL: none), weighted by `weights` (NULL: unweighted): the mean
/// with its t interval (no case open), the median and the `percents_len` percentiles of
/// `percents` into `percentiles_out` (each with its interval), and the share done within
/// `within` seconds (NaN: not asked), at `level` with band `conf_type` (a `cxm_conf_type`).
/// See `cxm_core::durations` for the methods.
///
/// # Safety
/// Each array must hold its length of readable elements (`percents` and `percentiles_out`
/// `percents_len`), `out` and `percentiles_out` must be writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // the C signature
pub unsafe extern "C" fn cxm_durations(
    seconds: *const f64,
    open: *const u8,
    weights: *const f64,
    len: usize,
    percents: *const f64,
    percents_len: usize,
    within: f64,
    level: f64,
    conf_type: u32,
    out: *mut DurationsResult,
    percentiles_out: *mut SurvivalPercentile,
) -> Status {
    guard("cxm_durations", || {
        out_param(out, "out")?;
        if percents_len > 0 {
            out_param(percentiles_out, "percentiles_out")?;
        }
        // SAFETY: the caller promises each array holds its length.
        let seconds = unsafe { slice(seconds, len, "seconds")? };
        // SAFETY: as above.
        let open = unsafe { open_flags(open, len)? };
        // SAFETY: as above.
        let weights = unsafe { optional_slice(weights, len, "weights")? };
        // SAFETY: as above.
        let percents = unsafe { slice(percents, percents_len, "percents")? };
        let within = (!within.is_nan()).then_some(within);
        let d = cxm_core::durations(
            seconds,
            open.as_deref(),
            weights,
            percents,
            within,
            level,
            transform(conf_type)?,
        )?;
        // SAFETY: checked above; the caller promises the room.
        unsafe { write_summary(&d, out, percentiles_out) };
        Ok(())
    })
}

/// The Kaplan–Meier curve of `len` records (`times`, seconds; `open` and `weights` as in
/// `cxm_durations`), one step per distinct time with its band at `level` by `conf_type`.
/// With `steps_out` NULL, writes only the number of steps to `*steps_len` (the size query);
/// otherwise `capacity` must hold them (else `CXM_STATUS_BUFFER_TOO_SMALL`, nothing written).
///
/// # Safety
/// Each array must hold `len` readable elements; `steps_out`, when not NULL, `capacity`
/// writable steps; `steps_len` must be writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // the C signature
pub unsafe extern "C" fn cxm_kaplan_meier(
    times: *const f64,
    open: *const u8,
    weights: *const f64,
    len: usize,
    level: f64,
    conf_type: u32,
    steps_out: *mut SurvivalStep,
    capacity: usize,
    steps_len: *mut usize,
) -> Status {
    guard("cxm_kaplan_meier", || {
        out_param(steps_len, "steps_len")?;
        // SAFETY: the caller promises each array holds `len` elements.
        let times = unsafe { slice(times, len, "times")? };
        // SAFETY: as above.
        let open = unsafe { open_flags(open, len)? };
        // SAFETY: as above.
        let weights = unsafe { optional_slice(weights, len, "weights")? };
        let km: KaplanMeier = cxm_core::kaplan_meier(times, open.as_deref(), weights)?;
        let band = km.band(level, transform(conf_type)?)?;
        if !steps_out.is_null() {
            if capacity < km.steps.len() {
                return Err(Failure::TooSmall(format!(
                    "the curve has {} steps but `capacity` is {capacity}",
                    km.steps.len()
                )));
            }
            for (i, (s, b)) in km.steps.iter().zip(&band).enumerate() {
                let step = SurvivalStep {
                    time: s.time,
                    at_risk: s.at_risk,
                    resolved: s.resolved,
                    open: s.open,
                    survival: s.survival,
                    greenwood: s.greenwood,
                    lower: b.lower,
                    upper: b.upper,
                };
                // SAFETY: `steps_out` has room for `capacity` ≥ the steps, as the caller
                // promises.
                unsafe { steps_out.add(i).write_unaligned(step) };
            }
        }
        // SAFETY: not NULL, and the caller promises it is writable.
        unsafe { steps_len.write(km.steps.len()) };
        Ok(())
    })
}

/// A share of contacts with its Wilson interval (`cxm_core::ContactShare`); NaN share and
/// limits when `of` is 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContactShare {
    /// Contacts counted.
    pub count: u64,
    /// Of this many.
    pub of: u64,
    /// `count / of`.
    pub share: f64,
    /// Lower limit of its interval.
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
}

impl From<cxm_core::ContactShare> for ContactShare {
    fn from(s: cxm_core::ContactShare) -> ContactShare {
        ContactShare {
            count: s.count,
            of: s.of,
            share: s.share,
            lower: s.interval.lower,
            upper: s.interval.upper,
        }
    }
}

/// Contact-centre figures (`cxm_core::ContactCentre`), its three service levels inline.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContactCentreResult {
    /// Contacts offered (answered + abandoned, short abandons left out when asked).
    pub offered: u64,
    /// Answered.
    pub answered: u64,
    /// Abandoned.
    pub abandoned: u64,
    /// Short abandons.
    pub short_abandons: u64,
    /// Their threshold, seconds; NaN when they were not left out.
    pub short_abandon_seconds: f64,
    /// Abandoned ÷ offered.
    pub abandonment: ContactShare,
    /// The service level's time, seconds.
    pub service_level_seconds: f64,
    /// Answered within the time ÷ offered.
    pub service_level_offered: ContactShare,
    /// Answered within the time ÷ (answered + abandoned after it).
    pub service_level_answered_and_late_abandons: ContactShare,
    /// Answered within the time ÷ answered.
    pub service_level_answered: ContactShare,
    /// 1 when a contact was answered (`speed_of_answer` is then filled), else 0.
    pub has_speed_of_answer: u32,
    /// The answered waits summarised (its percentiles into the caller's array).
    pub speed_of_answer: DurationsResult,
}

/// Contact-centre figures of `len` contacts: `wait_seconds`, and `answered` (1 answered, 0
/// abandoned), short abandons (abandoned at or within `short_abandon_seconds`; NaN: none left
/// out), the service level at `service_level_seconds`, and the speed of answer with the
/// `percents_len` percentiles of `percents` into `percentiles_out`, at `level`. See
/// `cxm_core::contact_centre`.
///
/// # Safety
/// Each array must hold its length of readable elements; `out` and `percentiles_out` (when
/// `percents_len > 0`) must be writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // the C signature
pub unsafe extern "C" fn cxm_contact_centre(
    wait_seconds: *const f64,
    answered: *const u8,
    len: usize,
    short_abandon_seconds: f64,
    service_level_seconds: f64,
    percents: *const f64,
    percents_len: usize,
    level: f64,
    out: *mut ContactCentreResult,
    percentiles_out: *mut SurvivalPercentile,
) -> Status {
    guard("cxm_contact_centre", || {
        out_param(out, "out")?;
        if percents_len > 0 {
            out_param(percentiles_out, "percentiles_out")?;
        }
        // SAFETY: the caller promises each array holds its length.
        let waits = unsafe { slice(wait_seconds, len, "wait_seconds")? };
        // SAFETY: as above (a NULL `answered` is refused as a NULL array, not read as none).
        let answered = unsafe { slice(answered, len, "answered")? };
        let answered = flags(answered, "answered")?;
        // SAFETY: as above.
        let percents = unsafe { slice(percents, percents_len, "percents")? };
        let short = (!short_abandon_seconds.is_nan()).then_some(short_abandon_seconds);
        let c = cxm_core::contact_centre(
            waits,
            &answered,
            short,
            service_level_seconds,
            percents,
            level,
        )?;
        // SAFETY: checked above; the caller promises the room.
        unsafe { write_contact_centre(&c, service_level_seconds, out, percentiles_out) }
    })
}

/// Writes the figures `c` (of the service level at `service_level_seconds`) to `*out`, and its
/// speed of answer's percentiles to `percentiles_out` when there is one.
///
/// # Safety
/// `out` must be checked not NULL and writable, and `percentiles_out` have room for the
/// percentiles asked for (checked not NULL when any are).
pub(crate) unsafe fn write_contact_centre(
    c: &cxm_core::ContactCentre,
    service_level_seconds: f64,
    out: *mut ContactCentreResult,
    percentiles_out: *mut SurvivalPercentile,
) -> Result<(), Failure> {
    let level_of =
        |basis| c.service_levels.iter().find(|s| s.basis == basis).map(|s| s.level.into());
    let missing = || Failure::Invalid("a service level is missing".to_owned());
    let speed = c.speed_of_answer.as_ref().map(summary);
    let result = ContactCentreResult {
        offered: c.offered,
        answered: c.answered,
        abandoned: c.abandoned,
        short_abandons: c.short_abandons,
        short_abandon_seconds: c.short_abandon_seconds.unwrap_or(f64::NAN),
        abandonment: c.abandonment.into(),
        service_level_seconds,
        service_level_offered: level_of(cxm_core::ServiceLevelBasis::Offered)
            .ok_or_else(missing)?,
        service_level_answered_and_late_abandons: level_of(
            cxm_core::ServiceLevelBasis::AnsweredAndLateAbandons,
        )
        .ok_or_else(missing)?,
        service_level_answered: level_of(cxm_core::ServiceLevelBasis::Answered)
            .ok_or_else(missing)?,
        has_speed_of_answer: u32::from(speed.is_some()),
        speed_of_answer: speed.unwrap_or_else(empty_summary),
    };
    if let Some(d) = &c.speed_of_answer {
        for (i, p) in d.percentiles.iter().enumerate() {
            // SAFETY: not NULL when percents_len > 0; the caller promises room for them.
            unsafe { percentiles_out.add(i).write_unaligned((*p).into()) };
        }
    }
    // SAFETY: the caller checked `out` and promises it is writable.
    unsafe { out.write(result) };
    Ok(())
}
