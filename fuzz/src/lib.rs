//! Shared by the fuzz targets: values drawn from the fuzz input, results built by hand from
//! them, and the C ABI's contract, asserted on every call.
//!
//! Values come from [`Unstructured`] with the edge cases weighted up: NaN, the infinities,
//! subnormals, `2^53`, `u64::MAX` and the like come up every few inputs, not once in `2^64`.
//!
//! The contract (`include/cxm.h`, `cxm-ffi/src/lib.rs`) checked by [`call`] and the `check_*`
//! functions:
//! - no panic (`CXM_STATUS_PANIC`, also what an error without a status would become), crash
//!   or hang (libFuzzer's `-timeout`);
//! - the out-param written on success only; the last-error message empty after a success and
//!   not empty after a failure;
//! - on success: every interval finite, ordered and inside its range, every p-value in
//!   `[0, 1]`, every estimate finite, the fields echoed back as given.

use std::ffi::c_char;
use std::mem::{size_of, MaybeUninit};
use std::sync::OnceLock;

pub use arbitrary::{Result, Unstructured};
use cxm_ffi::{
    cxm_last_error_message, cxm_nps_bayesian_interval, cxm_nps_bootstrap_interval,
    cxm_nps_confidence_interval, cxm_nps_from_counts, cxm_nps_u8, cxm_rating_i64,
    cxm_rating_mean_interval, cxm_rating_share_interval, BenchmarkResult, ComparisonResult,
    DirichletPrior, Interval, NpsResult, RatingResult, RatingScale, Status,
};

/// The byte every out-param is filled with before a call.
const SENTINEL: u8 = 0xA5;

/// With `CXM_FUZZ_TRACE` set, prints each call about to be made with its arguments (floats
/// in Rust's round-trip notation), so that the last line before a failure is its reproducer.
pub fn trace(call: impl FnOnce() -> String) {
    static ON: OnceLock<bool> = OnceLock::new();
    if *ON.get_or_init(|| std::env::var_os("CXM_FUZZ_TRACE").is_some()) {
        eprintln!("call {}", call());
    }
}

/// This thread's last-error message, read whole.
///
/// # Panics
/// When the message cannot be read, or is not UTF-8.
#[must_use]
pub fn last_error() -> String {
    let mut len = 256;
    loop {
        let mut buf = vec![0 as c_char; len];
        let mut written = usize::MAX;
        // SAFETY: `len` writable bytes and a writable `written`.
        let status = unsafe { cxm_last_error_message(buf.as_mut_ptr(), len, &raw mut written) };
        if status == Status::BufferTooSmall {
            len *= 4;
            continue;
        }
        assert_eq!(status, Status::Ok, "cxm_last_error_message: {status:?}");
        assert!(written < len, "cxm_last_error_message: wrote {written} of {len} bytes");
        assert_eq!(buf[written], 0, "cxm_last_error_message: no NUL after {written} bytes");
        let bytes: Vec<u8> = buf[..written].iter().map(|&c| c.cast_unsigned()).collect();
        return String::from_utf8(bytes).expect("cxm_last_error_message: not UTF-8");
    }
}

/// Asserts what every status must be: not a caught panic (nor an error without a status,
/// which the boundary reports as one).
///
/// # Panics
/// On `CXM_STATUS_PANIC`.
pub fn check_status(name: &str, status: Status) {
    assert!(status != Status::Panic, "{name}: {status:?} ({})", last_error());
}

/// Calls `f` with an out-param filled with a sentinel, then checks the status and the message,
/// and that a failure left the out-param as it was. Returns the status and, on success, the
/// value written.
///
/// # Panics
/// When the contract is broken.
pub fn call<T: Copy>(name: &str, f: impl FnOnce(*mut T) -> Status) -> (Status, Option<T>) {
    let mut out = MaybeUninit::<T>::uninit();
    // SAFETY: our own storage, `size_of::<T>()` bytes.
    unsafe { out.as_mut_ptr().cast::<u8>().write_bytes(SENTINEL, size_of::<T>()) };
    let status = f(out.as_mut_ptr());
    check_status(name, status);
    let message = last_error();
    if status == Status::Ok {
        assert!(message.is_empty(), "{name}: success, yet the message is {message:?}");
        // SAFETY: on success the callee wrote a whole `T`.
        return (status, Some(unsafe { out.assume_init() }));
    }
    assert!(!message.is_empty(), "{name}: {status:?} without a message");
    // SAFETY: every byte was initialised with the sentinel above and, unless the callee broke
    // the contract (which this asserts), not written since.
    let bytes = unsafe { std::slice::from_raw_parts(out.as_ptr().cast::<u8>(), size_of::<T>()) };
    assert!(
        bytes.iter().all(|&b| b == SENTINEL),
        "{name}: {status:?}, yet the out-param was written"
    );
    (status, None)
}

/// Asserts that a call given a NULL out-param (or input) says so.
///
/// # Panics
/// Unless `status` is `CXM_STATUS_NULL_POINTER`.
pub fn expect_null(name: &str, status: Status) {
    check_status(name, status);
    assert_eq!(status, Status::NullPointer, "{name}: NULL accepted ({})", last_error());
    assert!(!last_error().is_empty(), "{name}: NULL refused without a message");
}

/// Asserts that a call given a NULL input beside another input, which may be refused first for
/// its own faults, fails with a message.
///
/// # Panics
/// When the call succeeds, or fails without a message.
pub fn expect_refused(name: &str, status: Status) {
    check_status(name, status);
    assert_ne!(status, Status::Ok, "{name}: NULL accepted");
    assert!(!last_error().is_empty(), "{name}: {status:?} without a message");
}

/// Doubles that make numerical code fail: signed zeros, the ends of the float range, the
/// edges of a level, the last exact integers, NaN, the infinities; and NPS/scale values.
pub const SPECIAL_F64: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    2.0,
    3.0,
    0.25,
    0.05,
    0.9,
    0.95,
    0.99,
    6.0,
    7.0,
    9.0,
    10.0,
    11.0,
    100.0,
    -100.0,
    99.999_999_999,
    -99.999_999_999,
    200.0,
    1e-10,
    1e-17,
    1e-300,
    5e-324,
    f64::MIN_POSITIVE,
    f64::EPSILON,
    1.0 - f64::EPSILON / 2.0,
    1.0 + f64::EPSILON,
    9_007_199_254_740_992.0,
    9_007_199_254_740_994.0,
    1e10,
    1e15,
    1e20,
    1e50,
    1e300,
    f64::MAX,
    -f64::MAX,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    -f64::NAN,
];

/// Any double: a special one, any bit pattern, or a small whole or sixty-fourth.
///
/// # Errors
/// Never in practice (an exhausted input gives zeros).
pub fn any_f64(u: &mut Unstructured) -> Result<f64> {
    Ok(match u.int_in_range(0u8..=3)? {
        0 => *u.choose(SPECIAL_F64)?,
        1 => f64::from_bits(u.arbitrary()?),
        2 => f64::from(u.arbitrary::<i16>()?),
        _ => f64::from(u.arbitrary::<i16>()?) / 64.0,
    })
}

/// A confidence level: mostly a usual one or an edge of (0, 1), sometimes any double.
///
/// # Errors
/// Never in practice.
pub fn any_level(u: &mut Unstructured) -> Result<f64> {
    const LEVELS: &[f64] = &[
        0.5,
        0.8,
        0.9,
        0.95,
        0.99,
        0.999,
        0.999_999_999,
        1e-9,
        f64::MIN_POSITIVE,
        1.0 - f64::EPSILON / 2.0,
    ];
    if u.ratio(3u8, 4u8)? {
        Ok(*u.choose(LEVELS)?)
    } else {
        any_f64(u)
    }
}

/// Any count: a small one, one at the edge of `u32`, `2^53` or `u64`, or any bit pattern.
///
/// # Errors
/// Never in practice.
pub fn any_u64(u: &mut Unstructured) -> Result<u64> {
    const COUNTS: &[u64] = &[
        0,
        1,
        2,
        3,
        10,
        1000,
        u32::MAX as u64,
        1 << 53,
        (1 << 53) + 1,
        1 << 63,
        u64::MAX / 3,
        u64::MAX / 2,
        u64::MAX - 1,
        u64::MAX,
    ];
    Ok(match u.int_in_range(0u8..=3)? {
        0 => *u.choose(COUNTS)?,
        1 => u.arbitrary()?,
        2 => u64::from(u.arbitrary::<u16>()?),
        _ => u64::from(u.arbitrary::<u8>()?),
    })
}

/// An enum code: mostly one of the `valid` codes `0..valid`, sometimes any `u32`.
///
/// # Errors
/// Never in practice.
pub fn any_code(u: &mut Unstructured, valid: u32) -> Result<u32> {
    if u.ratio(7u8, 8u8)? {
        u.int_in_range(0..=valid - 1)
    } else {
        u.arbitrary()
    }
}

/// A weight: mostly an ordinary positive one, sometimes an edge or any double.
///
/// # Errors
/// Never in practice.
pub fn any_weight(u: &mut Unstructured) -> Result<f64> {
    const WEIGHTS: &[f64] = &[1.0, 0.5, 2.0, 0.0, 1e-300, 5e-324, 1e300, f64::MAX, 3.0, 0.1];
    Ok(match u.int_in_range(0u8..=5)? {
        0 => *u.choose(WEIGHTS)?,
        1 => any_f64(u)?,
        _ => f64::from(u.int_in_range(1u16..=400)?) / 16.0,
    })
}

/// Replaces `x` by any double one time in `1/odds`.
fn perturb_f64(u: &mut Unstructured, x: &mut f64, odds: u8) -> Result<()> {
    if u.ratio(1, odds)? {
        *x = any_f64(u)?;
    }
    Ok(())
}

/// Replaces `x` by any count one time in `1/odds`.
fn perturb_u64(u: &mut Unstructured, x: &mut u64, odds: u8) -> Result<()> {
    if u.ratio(1, odds)? {
        *x = any_u64(u)?;
    }
    Ok(())
}

/// An NPS result as a C caller could hand it in: one computed by cxm (from counts, or from
/// weighted scores), or every field arbitrary; then, either way, some fields replaced by any
/// value, making it inconsistent (NaN shares, counts that do not add up, ...).
///
/// # Errors
/// Never in practice.
pub fn any_nps(u: &mut Unstructured) -> Result<NpsResult> {
    let computed = match u.int_in_range(0u8..=3)? {
        0 | 1 => {
            let (p, pa, d) = (any_u64(u)?, any_u64(u)?, any_u64(u)?);
            trace(|| format!("cxm_nps_from_counts({p}, {pa}, {d}, &out)"));
            // SAFETY: a writable out-param.
            call("cxm_nps_from_counts", |out| unsafe { cxm_nps_from_counts(p, pa, d, out) }).1
        }
        2 => {
            let len = u.int_in_range(1usize..=12)?;
            let mut scores = Vec::with_capacity(len);
            let mut weights = Vec::with_capacity(len);
            for _ in 0..len {
                scores.push(u.int_in_range(0u8..=10)?);
                weights.push(any_weight(u)?);
            }
            trace(|| format!("cxm_nps_u8({scores:?}, {len}, {weights:?}, 0, &out)"));
            call("cxm_nps_u8", |out| {
                // SAFETY: `len` scores and weights, a writable out-param.
                unsafe { cxm_nps_u8(scores.as_ptr(), len, weights.as_ptr(), 0, out) }
            })
            .1
        }
        _ => None,
    };
    let mut r = computed.unwrap_or(NpsResult {
        n: any_u64(u)?,
        promoters: any_u64(u)?,
        passives: any_u64(u)?,
        detractors: any_u64(u)?,
        promoter_share: any_f64(u)?,
        passive_share: any_f64(u)?,
        detractor_share: any_f64(u)?,
        score: any_f64(u)?,
        standard_error: any_f64(u)?,
        effective_n: any_f64(u)?,
    });
    if u.ratio(1u8, 2u8)? {
        for field in [&mut r.n, &mut r.promoters, &mut r.passives, &mut r.detractors] {
            perturb_u64(u, field, 8)?;
        }
        for field in [
            &mut r.promoter_share,
            &mut r.passive_share,
            &mut r.detractor_share,
            &mut r.score,
            &mut r.standard_error,
            &mut r.effective_n,
        ] {
            perturb_f64(u, field, 8)?;
        }
    }
    Ok(r)
}

/// Any scale: mostly a usual one (CSAT, CES, effort, 0-10, a signed one), sometimes any
/// fields, `higher_is_better` included.
///
/// # Errors
/// Never in practice.
pub fn any_scale(u: &mut Unstructured) -> Result<RatingScale> {
    const SCALES: &[RatingScale] = &[
        RatingScale { min: 1, max: 5, threshold: 4, higher_is_better: 1 },
        RatingScale { min: 1, max: 7, threshold: 5, higher_is_better: 1 },
        RatingScale { min: 1, max: 5, threshold: 2, higher_is_better: 0 },
        RatingScale { min: 0, max: 10, threshold: 9, higher_is_better: 1 },
        RatingScale { min: -3, max: 3, threshold: 1, higher_is_better: 1 },
        RatingScale { min: 0, max: 1, threshold: 1, higher_is_better: 1 },
    ];
    const ENDS: &[i64] = &[i64::MIN, i64::MIN + 1, -1, 0, 1, 2, 100, 1000, 100_000, i64::MAX];
    if u.ratio(3u8, 4u8)? {
        return Ok(*u.choose(SCALES)?);
    }
    let end = |u: &mut Unstructured| -> Result<i64> {
        Ok(match u.int_in_range(0u8..=2)? {
            0 => *u.choose(ENDS)?,
            1 => u.arbitrary()?,
            _ => i64::from(u.arbitrary::<i8>()?),
        })
    };
    Ok(RatingScale {
        min: end(u)?,
        max: end(u)?,
        threshold: end(u)?,
        higher_is_better: any_code(u, 2)?,
    })
}

/// A rating summary as a C caller could hand it in: one computed by cxm (scores on a scale,
/// weighted or not), or every field arbitrary; then some fields replaced by any value.
///
/// # Errors
/// Never in practice.
pub fn any_rating(u: &mut Unstructured) -> Result<RatingResult> {
    let scale = any_scale(u)?;
    let computed = if u.ratio(3u8, 4u8)? {
        let len = u.int_in_range(1usize..=16)?;
        let span = scale.max.wrapping_sub(scale.min).clamp(0, 255);
        let mut scores = Vec::with_capacity(len);
        let mut weights = Vec::with_capacity(len);
        for _ in 0..len {
            scores.push(scale.min.wrapping_add(u.int_in_range(0..=span)?));
            weights.push(any_weight(u)?);
        }
        let weighted = u.arbitrary::<bool>()?;
        trace(|| {
            format!("cxm_rating_i64({scores:?}, {len}, weighted {weighted}: {weights:?}, &{scale:?}, 0, &out)")
        });
        call("cxm_rating_i64", |out| {
            let w = if weighted { weights.as_ptr() } else { std::ptr::null() };
            // SAFETY: `len` scores and weights, a readable scale, a writable out-param.
            unsafe { cxm_rating_i64(scores.as_ptr(), len, w, &raw const scale, 0, out) }
        })
        .1
    } else {
        None
    };
    let mut r = computed.unwrap_or(RatingResult {
        n: any_u64(u)?,
        favourable: any_u64(u)?,
        share: any_f64(u)?,
        mean: any_f64(u)?,
        standard_deviation: any_f64(u)?,
        effective_n: any_f64(u)?,
        scale,
    });
    if u.ratio(1u8, 2u8)? {
        perturb_u64(u, &mut r.n, 8)?;
        perturb_u64(u, &mut r.favourable, 8)?;
        for field in [&mut r.share, &mut r.mean, &mut r.standard_deviation, &mut r.effective_n] {
            perturb_f64(u, field, 6)?;
        }
        if u.ratio(1u8, 8u8)? {
            r.scale = any_scale(u)?;
        }
    }
    Ok(r)
}

/// Asserts that an interval is finite, ordered and inside `[lo, hi]`.
///
/// # Panics
/// When it is not.
pub fn check_interval(name: &str, ci: &Interval, lo: f64, hi: f64) {
    assert!(ci.lower.is_finite() && ci.upper.is_finite(), "{name}: {ci:?} is not finite");
    assert!(ci.lower <= ci.upper, "{name}: {ci:?} is not ordered");
    assert!(lo <= ci.lower && ci.upper <= hi, "{name}: {ci:?} is outside [{lo}, {hi}]");
}

/// Asserts that a p-value lies in `[0, 1]`.
///
/// # Panics
/// When it does not (NaN included).
pub fn check_p(name: &str, p: f64) {
    assert!((0.0..=1.0).contains(&p), "{name}: p-value {p} is outside [0, 1]");
}

/// `|a - b| <= tolerance * max(|a|, |b|, 1)`.
#[must_use]
pub fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * a.abs().max(b.abs()).max(1.0)
}

/// The bits of every field of an NPS result, for exact comparisons (-0.0 and NaN included).
#[must_use]
pub fn nps_bits(r: &NpsResult) -> [u64; 10] {
    [
        r.n,
        r.promoters,
        r.passives,
        r.detractors,
        r.promoter_share.to_bits(),
        r.passive_share.to_bits(),
        r.detractor_share.to_bits(),
        r.score.to_bits(),
        r.standard_error.to_bits(),
        r.effective_n.to_bits(),
    ]
}

/// The bits of every field of a rating summary, for exact comparisons.
#[must_use]
pub fn rating_bits(r: &RatingResult) -> [u64; 10] {
    [
        r.n,
        r.favourable,
        r.share.to_bits(),
        r.mean.to_bits(),
        r.standard_deviation.to_bits(),
        r.effective_n.to_bits(),
        r.scale.min.cast_unsigned(),
        r.scale.max.cast_unsigned(),
        r.scale.threshold.cast_unsigned(),
        u64::from(r.scale.higher_is_better),
    ]
}

/// Asserts what every NPS result cxm computes must satisfy.
///
/// # Panics
/// When it does not.
pub fn check_nps(name: &str, r: &NpsResult) {
    let sum = r.promoters.checked_add(r.passives).and_then(|s| s.checked_add(r.detractors));
    assert_eq!(sum, Some(r.n), "{name}: counts do not add up to n in {r:?}");
    assert!(r.n > 0, "{name}: an NPS of no responses: {r:?}");
    for share in [r.promoter_share, r.passive_share, r.detractor_share] {
        assert!((0.0..=1.0).contains(&share), "{name}: share {share} outside [0, 1] in {r:?}");
    }
    let total = r.promoter_share + r.passive_share + r.detractor_share;
    assert!(close(total, 1.0, 1e-12), "{name}: shares sum to {total} in {r:?}");
    assert!((-100.0..=100.0).contains(&r.score), "{name}: score outside [-100, 100] in {r:?}");
    let score = 100.0 * (r.promoter_share - r.detractor_share);
    assert!(close(r.score, score, 1e-12), "{name}: score is not 100 (p - d) in {r:?}");
    assert!(
        r.standard_error.is_finite() && r.standard_error >= 0.0,
        "{name}: bad standard error in {r:?}"
    );
    assert!(
        r.effective_n > 0.0 && r.effective_n <= r.n as f64 * (1.0 + 1e-9),
        "{name}: effective_n outside (0, n] in {r:?}"
    );
}

/// Asserts what every rating summary cxm computes must satisfy, on `scale`.
///
/// # Panics
/// When it does not.
pub fn check_rating(name: &str, r: &RatingResult, scale: &RatingScale) {
    assert_eq!(r.scale, *scale, "{name}: scale not echoed in {r:?}");
    assert!(r.n > 0 && r.favourable <= r.n, "{name}: bad counts in {r:?}");
    assert!((0.0..=1.0).contains(&r.share), "{name}: share outside [0, 1] in {r:?}");
    let (min, max) = (scale.min as f64, scale.max as f64);
    assert!((min..=max).contains(&r.mean), "{name}: mean off the scale in {r:?}");
    assert!(
        r.standard_deviation.is_nan()
            || (r.standard_deviation.is_finite() && r.standard_deviation >= 0.0),
        "{name}: bad standard deviation in {r:?}"
    );
    assert!(
        r.effective_n > 0.0 && r.effective_n <= r.n as f64 * (1.0 + 1e-9),
        "{name}: effective_n outside (0, n] in {r:?}"
    );
}

/// Asserts what every comparison must satisfy: `method` and `level` echoed, an estimate in
/// `[-range, range]`, an interval there too, a p-value in `[0, 1]`, positive sizes.
///
/// # Panics
/// When it does not.
pub fn check_comparison(name: &str, c: &ComparisonResult, method: u32, level: f64, range: f64) {
    assert_eq!(c.method, method, "{name}: method not the one asked for in {c:?}");
    assert_eq!(c.level.to_bits(), level.to_bits(), "{name}: level not echoed in {c:?}");
    assert!(c.estimate.is_finite() && c.estimate.abs() <= range, "{name}: bad estimate in {c:?}");
    let ci = Interval { lower: c.lower, upper: c.upper };
    check_interval(name, &ci, -range, range);
    check_p(name, c.p_value);
    assert!(!c.statistic.is_nan(), "{name}: NaN statistic in {c:?}");
    assert!(c.degrees_of_freedom > 0.0, "{name}: bad degrees of freedom in {c:?}");
    assert!(
        c.n1 > 0.0 && c.n2 > 0.0 && c.n1.is_finite() && c.n2.is_finite(),
        "{name}: sizes in {c:?}"
    );
}

/// Asserts what every benchmark test must satisfy: fields echoed, an estimate and an interval
/// inside `[lo, hi]`, a p-value in `[0, 1]`, a positive size, a known method.
///
/// # Panics
/// When it does not.
pub fn check_benchmark(
    name: &str,
    t: &BenchmarkResult,
    (benchmark, alternative, level): (f64, u32, f64),
    (lo, hi): (f64, f64),
) {
    assert!(t.method <= 5, "{name}: method code {} in {t:?}", t.method);
    assert_eq!(t.alternative, alternative, "{name}: alternative not echoed in {t:?}");
    assert_eq!(t.benchmark.to_bits(), benchmark.to_bits(), "{name}: benchmark not echoed in {t:?}");
    assert_eq!(t.level.to_bits(), level.to_bits(), "{name}: level not echoed in {t:?}");
    assert!((lo..=hi).contains(&t.estimate), "{name}: estimate outside [{lo}, {hi}] in {t:?}");
    check_interval(name, &Interval { lower: t.lower, upper: t.upper }, lo, hi);
    check_p(name, t.p_value);
    assert!(t.n > 0.0 && t.n.is_finite(), "{name}: size in {t:?}");
}

/// Every interval of an NPS: the three closed-form methods and an unknown code at `level`, a
/// small seeded bootstrap and a small Bayesian interval. `own`: the result is cxm's own, which
/// cxm must then never refuse as contradictory.
///
/// # Errors
/// Never in practice.
///
/// # Panics
/// When the contract is broken.
pub fn nps_intervals(u: &mut Unstructured, nps: &NpsResult, own: bool) -> Result<()> {
    let level = any_level(u)?;
    let method = any_code(u, 3)?;
    let name = "cxm_nps_confidence_interval";
    trace(|| format!("{name}(&{nps:?}, {level:?}, {method}, &out)"));
    let (status, ci) = call(name, |out| {
        // SAFETY: a readable NPS and a writable out-param.
        unsafe { cxm_nps_confidence_interval(nps, level, method, out) }
    });
    if let Some(ci) = ci {
        check_interval(name, &ci, -100.0, 100.0);
    }
    assert!(!own || status != Status::InvalidEstimate, "{name}: refuses cxm's own {nps:?}");
    let (resamples, seed) = (u.int_in_range(2u32..=64)?, u.arbitrary::<u64>()?);
    let name = "cxm_nps_bootstrap_interval";
    trace(|| format!("{name}(&{nps:?}, {level:?}, {resamples}, {seed}, &out)"));
    let (status, ci) = call(name, |out| {
        // SAFETY: as above.
        unsafe { cxm_nps_bootstrap_interval(nps, level, resamples, seed, out) }
    });
    if let Some(ci) = ci {
        check_interval(name, &ci, -100.0, 100.0);
    }
    assert!(!own || status != Status::InvalidEstimate, "{name}: refuses cxm's own {nps:?}");
    let prior = any_prior(u)?;
    let name = "cxm_nps_bayesian_interval";
    trace(|| format!("{name}(&{nps:?}, {level:?}, {prior:?}, {resamples}, {seed}, &out)"));
    let (status, ci) = call(name, |out| {
        // SAFETY: as above.
        unsafe { cxm_nps_bayesian_interval(nps, level, prior, resamples, seed, out) }
    });
    if let Some(ci) = ci {
        check_interval(name, &ci, -100.0, 100.0);
    }
    assert!(!own || status != Status::InvalidEstimate, "{name}: refuses cxm's own {nps:?}");
    Ok(())
}

/// A Dirichlet prior: mostly uniform or Jeffreys, sometimes any weights.
///
/// # Errors
/// Never in practice.
pub fn any_prior(u: &mut Unstructured) -> Result<DirichletPrior> {
    Ok(match u.int_in_range(0u8..=3)? {
        0 => DirichletPrior { promoters: 1.0, passives: 1.0, detractors: 1.0 },
        1 => DirichletPrior { promoters: 0.5, passives: 0.5, detractors: 0.5 },
        _ => DirichletPrior {
            promoters: any_f64(u)?,
            passives: any_f64(u)?,
            detractors: any_f64(u)?,
        },
    })
}

/// The share intervals (every method and an unknown code) and the mean interval of a rating.
/// `own`: as for [`nps_intervals`].
///
/// # Errors
/// Never in practice.
///
/// # Panics
/// When the contract is broken.
pub fn rating_intervals(u: &mut Unstructured, rating: &RatingResult, own: bool) -> Result<()> {
    let level = any_level(u)?;
    for method in [0, 1, 2, 3, 4, any_code(u, 5)?] {
        let name = "cxm_rating_share_interval";
        trace(|| format!("{name}(&{rating:?}, {level:?}, {method}, &out)"));
        let (status, ci) = call(name, |out| {
            // SAFETY: a readable rating and a writable out-param.
            unsafe { cxm_rating_share_interval(rating, level, method, out) }
        });
        if let Some(ci) = ci {
            check_interval(name, &ci, 0.0, 1.0);
        }
        assert!(!own || status != Status::InvalidEstimate, "{name}: refuses cxm's own {rating:?}");
    }
    let name = "cxm_rating_mean_interval";
    trace(|| format!("{name}(&{rating:?}, {level:?}, &out)"));
    let (status, ci) = call(name, |out| {
        // SAFETY: as above.
        unsafe { cxm_rating_mean_interval(rating, level, out) }
    });
    if let Some(ci) = ci {
        check_interval(name, &ci, f64::MIN, f64::MAX);
    }
    assert!(!own || status != Status::InvalidEstimate, "{name}: refuses cxm's own {rating:?}");
    Ok(())
}

/// A call's status, result and message.
pub type Outcome<R> = (Status, Option<R>, String);

/// Asserts that `name`'s outcome equals `reference_name`'s: the same status, the same result
/// bit for bit (through `bits`), and, when `same_message`, the same message after the function
/// name that the C layer writes first.
///
/// # Panics
/// When they differ.
pub fn assert_same_outcome<R, B: PartialEq + std::fmt::Debug>(
    name: &str,
    outcome: &Outcome<R>,
    reference_name: &str,
    reference: &Outcome<R>,
    same_message: bool,
    bits: impl Fn(&R) -> B,
) {
    assert_eq!(outcome.0, reference.0, "{name}: status differs from {reference_name}'s");
    if same_message {
        let ours = outcome.2.strip_prefix(name).unwrap_or(&outcome.2);
        let theirs = reference.2.strip_prefix(reference_name).unwrap_or(&reference.2);
        assert_eq!(ours, theirs, "{name}: message differs from {reference_name}'s");
    }
    assert_eq!(
        outcome.1.as_ref().map(&bits),
        reference.1.as_ref().map(&bits),
        "{name}: result differs from {reference_name}'s"
    );
}
