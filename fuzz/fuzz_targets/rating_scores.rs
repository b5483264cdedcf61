//! `cxm_rating_u8`, `_i32`, `_i64`, `_f32` and `_f64`: ratings of every type on any scale
//! (usual ones, and ones with any ends, threshold and direction), weighted or not, under every
//! missing-value policy, through NULL, misaligned and oversized arrays. The same ratings as
//! several types must give the same status, message and bits; a result must count them as
//! given; and cxm's own result must go through its intervals.
#![no_main]

use cxm_ffi::{
    cxm_rating_f32, cxm_rating_f64, cxm_rating_i32, cxm_rating_i64, cxm_rating_u8, RatingResult,
    RatingScale, Status,
};
use cxm_fuzz::{
    any_code, any_f64, any_scale, any_weight, assert_same_outcome, call, check_rating,
    check_status, expect_null, last_error, rating_bits, rating_intervals, trace, Result,
    Unstructured,
};

type RatingFn<T> = unsafe extern "C" fn(
    *const T,
    usize,
    *const f64,
    *const RatingScale,
    u32,
    *mut RatingResult,
) -> Status;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

/// A rating: mostly one on the scale, sometimes just off it, a non-whole or missing one, or
/// any.
fn any_rating_score(u: &mut Unstructured, scale: &RatingScale) -> Result<f64> {
    Ok(match u.int_in_range(0u8..=9)? {
        0 => [scale.min as f64 - 1.0, scale.max as f64 + 1.0, 2.5, -0.0, f64::NAN, 256.0]
            [u.int_in_range(0..=5)?],
        1 => any_f64(u)?,
        _ => {
            let span = scale.max.wrapping_sub(scale.min).clamp(0, 1000);
            scale.min.wrapping_add(u.int_in_range(0..=span)?) as f64
        }
    })
}

fn run(u: &mut Unstructured) -> Result<()> {
    let scale = any_scale(u)?;
    let len = if u.ratio(1u8, 16u8)? {
        u.int_in_range(0usize..=2000)?
    } else {
        u.int_in_range(0usize..=40)?
    };
    let mut scores = Vec::with_capacity(len);
    let mut weights = Vec::with_capacity(len);
    for _ in 0..len {
        scores.push(any_rating_score(u, &scale)?);
        weights.push(any_weight(u)?);
    }
    let weights = if u.arbitrary()? { Some(weights) } else { None };
    let missing = any_code(u, 2)?;
    if u.ratio(1u8, 8u8)? {
        return abuse(u, &scores, &scale, missing);
    }

    let w = weights.as_deref();
    let null_if_empty = u.arbitrary()?;
    let same_message =
        scores.iter().all(|s| s.is_nan() || (s.abs() < 1e15 && s.to_bits() != (-0.0f64).to_bits()));
    let first = Calls { weights: w, scale, missing, null_if_empty, same_message, reference: None };
    let reference = first.run(&scores, cxm_rating_f64, "cxm_rating_f64");
    let with = Calls { reference: Some(&reference), ..first };
    let whole = scores.iter().all(|s| s.is_finite() && s.fract() == 0.0);
    if scores.iter().all(|&s| s.is_nan() || f64::from(s as f32) == s) {
        let narrow: Vec<f32> = scores.iter().map(|&s| s as f32).collect();
        with.run(&narrow, cxm_rating_f32, "cxm_rating_f32");
    }
    if whole
        && scores
            .iter()
            .all(|&s| (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&s))
    {
        let wide: Vec<i64> = scores.iter().map(|&s| s as i64).collect();
        with.run(&wide, cxm_rating_i64, "cxm_rating_i64");
    }
    if whole && scores.iter().all(|&s| (-2_147_483_648.0..=2_147_483_647.0).contains(&s)) {
        let mid: Vec<i32> = scores.iter().map(|&s| s as i32).collect();
        with.run(&mid, cxm_rating_i32, "cxm_rating_i32");
    }
    if whole && scores.iter().all(|&s| (0.0..=255.0).contains(&s)) {
        let bytes: Vec<u8> = scores.iter().map(|&s| s as u8).collect();
        with.run(&bytes, cxm_rating_u8, "cxm_rating_u8");
    }

    // `call` returns a result exactly when the status is Ok (and checks the failure side).
    if let (_, Some(r), _) = &reference {
        check_rating("cxm_rating_f64", r, &scale);
        let counted: Vec<f64> = scores.iter().copied().filter(|s| !s.is_nan()).collect();
        // In integers: a threshold past 2^53 need not be a double.
        let threshold = i128::from(scale.threshold);
        let favourable = counted
            .iter()
            .map(|&s| s as i128)
            .filter(|&s| if scale.higher_is_better == 1 { s >= threshold } else { s <= threshold })
            .count() as u64;
        assert_eq!(
            (r.n, r.favourable),
            (counted.len() as u64, favourable),
            "cxm_rating_f64: counts of {scores:?} on {scale:?}"
        );
        if weights.is_none() {
            assert_eq!(
                r.effective_n, r.n as f64,
                "cxm_rating_f64: unweighted effective_n in {r:?}"
            );
        }
        rating_intervals(u, r, true)?;
    }
    Ok(())
}

type Outcome = cxm_fuzz::Outcome<RatingResult>;

/// How the ratings of every type are passed, and the f64 call's outcome they must equal.
struct Calls<'a> {
    weights: Option<&'a [f64]>,
    scale: RatingScale,
    missing: u32,
    null_if_empty: bool,
    /// Whether the messages must agree too: not when a score's text depends on its type
    /// (-0 as a double is 0 as an integer; -9.223372036854776e18 is -9223372036854775808).
    same_message: bool,
    reference: Option<&'a Outcome>,
}

impl Calls<'_> {
    /// Calls `f` on `scores`, then asserts the same status, message and bits as the f64 call.
    fn run<T: std::fmt::Debug>(&self, scores: &[T], f: RatingFn<T>, name: &str) -> Outcome {
        let ptr = if scores.is_empty() && self.null_if_empty {
            std::ptr::null()
        } else {
            scores.as_ptr()
        };
        let w = self.weights.map_or(std::ptr::null(), <[f64]>::as_ptr);
        let scale = &raw const self.scale;
        trace(|| {
            let (len, weights, missing) = (scores.len(), self.weights, self.missing);
            format!(
                "{name}({scores:?} at {ptr:?}, {len}, {weights:?}, &{:?}, {missing}, &out)",
                self.scale
            )
        });
        // SAFETY: `scores.len()` scores and weights (or NULL), a readable scale, a writable
        // out-param.
        let (status, result) =
            call(name, |out| unsafe { f(ptr, scores.len(), w, scale, self.missing, out) });
        let outcome = (status, result, last_error());
        if let Some(reference) = self.reference {
            let same = self.same_message;
            assert_same_outcome(name, &outcome, "cxm_rating_f64", reference, same, rating_bits);
        }
        outcome
    }
}

/// NULL, misaligned and oversized arrays, a NULL scale or out-param: refused before any read.
#[allow(clippy::cast_ptr_alignment)] // misaligned on purpose
fn abuse(u: &mut Unstructured, scores: &[f64], scale: &RatingScale, missing: u32) -> Result<()> {
    let mut out = std::mem::MaybeUninit::<RatingResult>::uninit();
    let out = out.as_mut_ptr();
    let len = scores.len();
    let mut raw = vec![0u64; len + 2];
    let base = raw.as_mut_ptr().cast::<u8>();
    let scale = &raw const *scale;
    // SAFETY: every pointer passed points to `len` readable elements, or is NULL, or is
    // misaligned or given a length the callee must refuse before reading anything.
    unsafe {
        match u.int_in_range(0u8..=5)? {
            0 => expect_null(
                "cxm_rating_i64",
                cxm_rating_i64(
                    base.cast(),
                    len,
                    std::ptr::null(),
                    scale,
                    missing,
                    std::ptr::null_mut(),
                ),
            ),
            1 => expect_null(
                "cxm_rating_u8",
                cxm_rating_u8(base, len, std::ptr::null(), std::ptr::null(), missing, out),
            ),
            2 if len > 0 => {
                let status =
                    cxm_rating_i32(std::ptr::null(), len, std::ptr::null(), scale, missing, out);
                check_status("cxm_rating_i32", status);
                // A bad scale may be refused first.
                assert!(
                    matches!(
                        status,
                        Status::NullPointer | Status::InvalidArgument | Status::InvalidScale
                    ),
                    "NULL scores: {}",
                    last_error()
                );
            }
            3 if len > 0 => {
                let status =
                    cxm_rating_f64(base.add(1).cast(), len, std::ptr::null(), scale, missing, out);
                check_status("cxm_rating_f64", status);
                // A bad scale may be refused first.
                assert!(
                    matches!(status, Status::InvalidArgument | Status::InvalidScale),
                    "misaligned scores: {}",
                    last_error()
                );
            }
            4 if len > 0 => {
                let bad = base.add(4).cast::<f64>();
                let status = cxm_rating_u8(base, len, bad, scale, missing, out);
                check_status("cxm_rating_u8", status);
                assert!(
                    matches!(status, Status::InvalidArgument | Status::InvalidScale),
                    "misaligned weights: {}",
                    last_error()
                );
            }
            5 => {
                let huge = [usize::MAX, usize::MAX / 2 + 1, isize::MAX as usize / 4 + 1]
                    [u.int_in_range(0..=2)?];
                let status =
                    cxm_rating_f32(base.cast(), huge, std::ptr::null(), scale, missing, out);
                check_status("cxm_rating_f32", status);
                assert!(
                    matches!(status, Status::InvalidArgument | Status::InvalidScale),
                    "length {huge}: {}",
                    last_error()
                );
            }
            _ => {}
        }
    }
    Ok(())
}
