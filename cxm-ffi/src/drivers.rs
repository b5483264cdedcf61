//! Why the score moved, through the C ABI: key drivers (`cxm_core::key_drivers`) and topic
//! impact (`cxm_core::nps_topic_impact`), converted to and from the core.

use std::ffi::c_char;

use cxm_core::{DriverOptions, KeyDrivers};

use crate::boundary::{c_strings, decode, guard, optional_slice, out_param, slice, Failure};
use crate::nps::missing;
use crate::status::Status;

/// How the R² is divided among the drivers (see `cxm_core::DriverMethod`). Passed as a
/// `uint32_t`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriverMethod {
    /// LMG: the Shapley value of R² (general dominance).
    Lmg = 0,
    /// Johnson's relative weights.
    Johnson = 1,
}

/// The options of `cxm_key_drivers` (`cxm_core::DriverOptions`); `cxm_driver_options_default`
/// fills the core's defaults.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DriverOptionsC {
    /// A `cxm_driver_method`.
    pub method: u32,
    /// Bootstrap resamples for the intervals; 0 for none.
    pub resamples: u32,
    /// The resamples' seed.
    pub seed: u64,
    /// Level of the intervals.
    pub level: f64,
    /// A `cxm_missing`: rows with a missing value refused, or left out (listwise).
    pub missing: u32,
    /// Random orders of entry for LMG above 20 drivers.
    pub permutations: u32,
}

/// One driver's part of the R² (`cxm_core::DriverShare`, its name the caller's). Interval
/// limits are NaN without resamples.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DriverShareC {
    /// Its part of the R².
    pub contribution: f64,
    /// `contribution / r_squared`.
    pub share: f64,
    /// Bootstrap interval of `contribution`.
    pub contribution_lower: f64,
    /// Bootstrap interval of `contribution`.
    pub contribution_upper: f64,
    /// Bootstrap interval of `share`.
    pub share_lower: f64,
    /// Bootstrap interval of `share`.
    pub share_upper: f64,
    /// Standardized coefficient in the regression on every driver.
    pub coefficient: f64,
    /// Its sign: −1, 0 or 1.
    pub sign: i32,
    /// Monte Carlo standard error of `contribution` when LMG was sampled; NaN when exact.
    pub monte_carlo_error: f64,
}

/// What `cxm_key_drivers` writes besides the per-driver rows and dominance tables
/// (`cxm_core::KeyDrivers`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyDriversResult {
    /// A `cxm_driver_method`.
    pub method: u32,
    /// Rows used.
    pub rows: u64,
    /// Rows left out for a missing value.
    pub dropped: u64,
    /// R² of the regression on every driver.
    pub r_squared: f64,
    /// Random orders of entry LMG was estimated from; 0 when exact.
    pub permutations: u32,
    /// Bootstrap resamples drawn.
    pub resamples: u32,
    /// Resamples left out of the intervals (a driver constant or collinear in them).
    pub failed_resamples: u32,
    /// Level of the intervals.
    pub level: f64,
    /// Seed of the resamples.
    pub seed: u64,
}

/// Writes the core's default options (LMG, its resamples, seed and level, missing values
/// refused) to `*out`.
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn cxm_driver_options_default(out: *mut DriverOptionsC) -> Status {
    guard("cxm_driver_options_default", || {
        out_param(out, "out")?;
        let d = DriverOptions::default();
        let options = DriverOptionsC {
            method: d.method.code(),
            resamples: d.resamples,
            seed: d.seed,
            level: d.level,
            missing: d.missing.code(),
            permutations: d.permutations,
        };
        // SAFETY: `out` is not NULL, and the caller promises it is writable.
        unsafe { out.write(options) };
        Ok(())
    })
}

/// Key drivers of `score` among the `p` columns `drivers[0..p]` (each `len` doubles; NaN a
/// missing value), named by the NUL-terminated UTF-8 `names[0..p]`, weighted by `weights` (NULL:
/// unweighted), with `options` (NULL: the defaults). See `cxm_core::key_drivers`. Writes `*out`,
/// a row per driver to `shares_out` (room for `p`), and for LMG the conditional dominance
/// (`p × p`, row j: driver j's mean gain added to subsets of 0, 1, … others) to
/// `conditional_out` and the complete dominance (`p × p`: 1, −1 or 0) to `complete_out` when
/// they are not NULL (Johnson's weights leave them untouched).
///
/// # Safety
/// Each array must hold its length of readable elements and `names` `p` NUL-terminated
/// strings; the outputs must be writable with the room given.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // the C signature
pub unsafe extern "C" fn cxm_key_drivers(
    score: *const f64,
    drivers: *const *const f64,
    names: *const *const c_char,
    p: usize,
    len: usize,
    weights: *const f64,
    options: *const DriverOptionsC,
    out: *mut KeyDriversResult,
    shares_out: *mut DriverShareC,
    conditional_out: *mut f64,
    complete_out: *mut i8,
) -> Status {
    guard("cxm_key_drivers", || {
        out_param(out, "out")?;
        out_param(shares_out, "shares_out")?;
        // SAFETY: the caller promises each array holds its length.
        let score = unsafe { slice(score, len, "score")? };
        let pointers = unsafe { slice(drivers, p, "drivers")? };
        let columns = pointers
            .iter()
            .map(|&column| unsafe { slice(column, len, "drivers[j]") })
            .collect::<Result<Vec<_>, _>>()?;
        let names = unsafe { c_strings(names, p, "names", "names[j]", "a name")? };
        let weights = unsafe { optional_slice(weights, len, "weights")? };
        let options = if options.is_null() {
            DriverOptions::default()
        } else {
            // SAFETY: not NULL; the caller promises it is readable.
            let o = unsafe { options.read() };
            DriverOptions {
                method: decode(
                    cxm_core::DriverMethod::from_code(o.method),
                    cxm_core::DriverMethod::OPTION,
                    o.method,
                )?,
                resamples: o.resamples,
                seed: o.seed,
                level: o.level,
                missing: missing(o.missing)?,
                permutations: o.permutations,
            }
        };
        let k = cxm_core::key_drivers(score, &columns, &names, weights, &options)?;
        // SAFETY: checked not NULL above; the caller promises the room.
        unsafe { write(&k, out, shares_out, conditional_out, complete_out) };
        Ok(())
    })
}

/// Writes `k` to the outputs of `cxm_key_drivers`.
///
/// # Safety
/// As `cxm_key_drivers`'s outputs, `out` and `shares_out` checked not NULL.
unsafe fn write(
    k: &KeyDrivers,
    out: *mut KeyDriversResult,
    shares_out: *mut DriverShareC,
    conditional_out: *mut f64,
    complete_out: *mut i8,
) {
    let limits =
        |i: Option<cxm_core::Interval>| i.map_or((f64::NAN, f64::NAN), |i| (i.lower, i.upper));
    let p = k.drivers.len();
    for (j, d) in k.drivers.iter().enumerate() {
        let (contribution_lower, contribution_upper) = limits(d.contribution_interval);
        let (share_lower, share_upper) = limits(d.share_interval);
        let row = DriverShareC {
            contribution: d.contribution,
            share: d.share,
            contribution_lower,
            contribution_upper,
            share_lower,
            share_upper,
            coefficient: d.coefficient,
            sign: i32::from(d.sign),
            monte_carlo_error: d.monte_carlo_error.unwrap_or(f64::NAN),
        };
        // SAFETY: room for p rows, as the caller promises.
        unsafe { shares_out.add(j).write_unaligned(row) };
    }
    if let (Some(conditional), false) = (&k.conditional, conditional_out.is_null()) {
        for (i, value) in conditional.iter().flatten().enumerate().take(p * p) {
            // SAFETY: room for p × p, as the caller promises.
            unsafe { conditional_out.add(i).write_unaligned(*value) };
        }
    }
    if let (Some(complete), false) = (&k.complete, complete_out.is_null()) {
        for (i, value) in complete.iter().flatten().enumerate().take(p * p) {
            // SAFETY: room for p × p, as the caller promises.
            unsafe { complete_out.add(i).write(*value) };
        }
    }
    let result = KeyDriversResult {
        method: k.method.code(),
        rows: k.rows,
        dropped: k.dropped,
        r_squared: k.r_squared,
        permutations: k.permutations,
        resamples: k.resamples,
        failed_resamples: k.failed_resamples,
        level: k.level,
        seed: k.seed,
    };
    // SAFETY: `out` is not NULL, and the caller promises it is writable.
    unsafe { out.write(result) };
}

/// One topic's impact (`cxm_core::TopicImpact`, its name the caller's: the row's topic is
/// known from its place, or from `topic_index_out` of `cxm_topic_impact_table`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TopicImpactC {
    /// The group (segment) of the row; 0 without groups.
    pub group: u32,
    /// Responses scored.
    pub n: u64,
    /// Responses that mention the topic.
    pub mentions: u64,
    /// The (weighted) share of responses that mention it.
    pub share: f64,
    /// The score (NPS points, or a share) of the responses that mention it.
    pub topic_score: f64,
    /// The score of the others.
    pub rest_score: f64,
    /// score(all) − score(rest).
    pub impact: f64,
    /// Its delta-method standard error.
    pub standard_error: f64,
    /// Its Wald interval.
    pub lower: f64,
    /// Its Wald interval.
    pub upper: f64,
    /// Two-sided p-value of score(topic) = score(rest).
    pub p_value: f64,
    /// `p_value` adjusted over the rows.
    pub p_adjusted: f64,
}

impl From<&cxm_core::TopicImpact> for TopicImpactC {
    fn from(r: &cxm_core::TopicImpact) -> TopicImpactC {
        TopicImpactC {
            group: r.group,
            n: r.n,
            mentions: r.mentions,
            share: r.share,
            topic_score: r.topic_score,
            rest_score: r.rest_score,
            impact: r.impact,
            standard_error: r.standard_error,
            lower: r.interval.lower,
            upper: r.interval.upper,
            p_value: r.p_value,
            p_adjusted: r.p_adjusted,
        }
    }
}

/// The caller's topic flags: `topic_count` columns of `len` flags (0 or 1).
///
/// # Safety
/// `topics` must point to `topic_count` pointers to `len` readable bytes each.
unsafe fn topic_flags(
    topics: *const *const u8,
    topic_count: usize,
    len: usize,
) -> Result<Vec<Vec<bool>>, Failure> {
    // SAFETY: as the caller promises.
    let pointers = unsafe { slice(topics, topic_count, "topics")? };
    pointers
        .iter()
        .enumerate()
        .map(|(t, &column)| {
            let flags = unsafe { slice(column, len, "topics[t]")? };
            crate::boundary::flags(flags, &format!("topics[{t}]"))
        })
        .collect()
}

/// The impact of each of `topic_count` topics on the NPS of `scores` (`len` doubles, 0–10, NaN
/// missing): `topics[t]` holds `len` flags (1: response i mentions topic t), named by the
/// NUL-terminated UTF-8 `names[t]`. Intervals at `level`, p-values adjusted by `adjustment` (a
/// `cxm_adjustment`). Writes a row per topic to `rows_out` (room for `topic_count`). See
/// `cxm_core::nps_topic_impact`; `cxm_topic_impact_table` adds weights, CSAT/CES and segments.
///
/// # Safety
/// Each array must hold its length of readable elements and `names` `topic_count`
/// NUL-terminated strings; `rows_out` must have room for `topic_count` rows.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // the C signature
pub unsafe extern "C" fn cxm_nps_topic_impact(
    scores: *const f64,
    len: usize,
    topics: *const *const u8,
    names: *const *const c_char,
    topic_count: usize,
    missing_policy: u32,
    level: f64,
    adjustment: u32,
    rows_out: *mut TopicImpactC,
) -> Status {
    guard("cxm_nps_topic_impact", || {
        out_param(rows_out, "rows_out")?;
        // SAFETY: the caller promises each array holds its length.
        let scores = unsafe { slice(scores, len, "scores")? };
        let flags = unsafe { topic_flags(topics, topic_count, len)? };
        let columns: Vec<&[bool]> = flags.iter().map(Vec::as_slice).collect();
        let names = unsafe { c_strings(names, topic_count, "names", "names[j]", "a name")? };
        let adjustment = decode(
            cxm_core::Adjustment::from_code(adjustment),
            cxm_core::Adjustment::OPTION,
            adjustment,
        )?;
        let rows = cxm_core::nps_topic_impact(
            scores,
            &columns,
            &names,
            missing(missing_policy)?,
            level,
            adjustment,
        )?;
        for (t, r) in rows.iter().enumerate() {
            // SAFETY: room for `topic_count` rows, as the caller promises.
            unsafe { rows_out.add(t).write_unaligned(r.into()) };
        }
        Ok(())
    })
}

/// The impact of each of `topic_count` topics (as `cxm_nps_topic_impact` takes them) on the NPS
/// of `scores` (`scale` NULL) or on the share of favourable answers on `*scale` (CSAT, CES),
/// weighted by `weights` (`len` doubles, or NULL), in each group of `groups` (`len` group
/// numbers below `group_count`, or NULL for one group). See `cxm_core::topic_impact` and
/// `cxm_core::topic_impact_by_group`: with groups, a group in which a topic is mentioned by none
/// or all of its responses has no row. Writes the rows, by topic and then group, to `rows_out`
/// (room for `group_count × topic_count`), each topic's index among `topics` to
/// `topic_index_out` (the same room) when it is not NULL, and their number to `*rows_written`.
///
/// # Safety
/// Each array must hold its length of readable elements, `names` `topic_count` NUL-terminated
/// strings and `scale` be NULL or readable; the outputs must have the room given.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // the C signature
pub unsafe extern "C" fn cxm_topic_impact_table(
    scores: *const f64,
    len: usize,
    weights: *const f64,
    groups: *const u32,
    group_count: usize,
    topics: *const *const u8,
    names: *const *const c_char,
    topic_count: usize,
    scale_: *const crate::rating::RatingScale,
    missing_policy: u32,
    level: f64,
    adjustment: u32,
    rows_out: *mut TopicImpactC,
    topic_index_out: *mut u32,
    rows_written: *mut usize,
) -> Status {
    guard("cxm_topic_impact_table", || {
        out_param(rows_out, "rows_out")?;
        out_param(rows_written, "rows_written")?;
        // SAFETY: the caller promises each array holds its length.
        let scores = unsafe { slice(scores, len, "scores")? };
        let weights = unsafe { optional_slice(weights, len, "weights")? };
        let groups = unsafe { optional_slice(groups, len, "groups")? };
        let flags = unsafe { topic_flags(topics, topic_count, len)? };
        let columns: Vec<&[bool]> = flags.iter().map(Vec::as_slice).collect();
        let names = unsafe { c_strings(names, topic_count, "names", "names[j]", "a name")? };
        let metric = if scale_.is_null() {
            cxm_core::TopicMetric::Nps
        } else {
            // SAFETY: not NULL; the caller promises it is readable.
            cxm_core::TopicMetric::Share(crate::rating::scale(unsafe { scale_.read_unaligned() })?)
        };
        let adjustment = decode(
            cxm_core::Adjustment::from_code(adjustment),
            cxm_core::Adjustment::OPTION,
            adjustment,
        )?;
        let missing = missing(missing_policy)?;
        let rows = match groups {
            None => cxm_core::topic_impact(
                scores, weights, &columns, &names, metric, missing, level, adjustment,
            )?,
            Some(groups) => cxm_core::topic_impact_by_group(
                scores,
                weights,
                groups,
                group_count,
                &columns,
                &names,
                metric,
                missing,
                level,
                adjustment,
            )?,
        };
        // The rows come topic by topic, in the order of `topics`.
        let mut topic = 0;
        for (i, r) in rows.iter().enumerate() {
            while names.get(topic).is_some_and(|&n| n != r.topic) {
                topic += 1;
            }
            // SAFETY: at most one row per group and topic, the room the caller promises.
            unsafe { rows_out.add(i).write_unaligned(r.into()) };
            if !topic_index_out.is_null() {
                let index = u32::try_from(topic).unwrap_or(u32::MAX);
                // SAFETY: as above.
                unsafe { topic_index_out.add(i).write_unaligned(index) };
            }
        }
        // SAFETY: checked not NULL; the caller promises it is writable.
        unsafe { rows_written.write(rows.len()) };
        Ok(())
    })
}
