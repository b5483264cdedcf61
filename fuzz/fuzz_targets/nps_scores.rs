//! `cxm_nps_u8`, `_i32`, `_i64`, `_f32` and `_f64`: scores of every type, weighted or not,
//! under every missing-value policy (and unknown ones), through NULL, misaligned and oversized
//! arrays. The same scores given as several types must give the same status, message and bits;
//! a result must count the scores as given; and cxm's own result must go through its intervals.
#![no_main]

use cxm_ffi::{cxm_nps_f32, cxm_nps_f64, cxm_nps_i32, cxm_nps_i64, cxm_nps_u8, NpsResult, Status};
use cxm_fuzz::{
    any_code, any_f64, any_weight, assert_same_outcome, call, check_nps, check_status, expect_null,
    last_error, nps_bits, nps_intervals, trace, Result, Unstructured,
};

type NpsFn<T> = unsafe extern "C" fn(*const T, usize, *const f64, u32, *mut NpsResult) -> Status;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

/// A score: mostly one on 0..=10, sometimes just off it, a non-whole or missing one, or any.
fn any_score(u: &mut Unstructured) -> Result<f64> {
    const ODD: &[f64] = &[
        -1.0,
        11.0,
        255.0,
        256.0,
        -0.0,
        4.5,
        9.999_999_999,
        2_147_483_648.0,
        -2_147_483_649.0,
        -9_223_372_036_854_775_808.0,
        16_777_217.0,
        f64::NAN,
    ];
    Ok(match u.int_in_range(0u8..=9)? {
        0 => *u.choose(ODD)?,
        1 => any_f64(u)?,
        _ => f64::from(u.int_in_range(0u8..=10)?),
    })
}

fn run(u: &mut Unstructured) -> Result<()> {
    let len = if u.ratio(1u8, 16u8)? {
        u.int_in_range(0usize..=2000)?
    } else {
        u.int_in_range(0usize..=40)?
    };
    let mut scores = Vec::with_capacity(len);
    let mut weights = Vec::with_capacity(len);
    for _ in 0..len {
        scores.push(any_score(u)?);
        weights.push(any_weight(u)?);
    }
    let weights = if u.arbitrary()? { Some(weights) } else { None };
    let missing = any_code(u, 2)?;
    if u.ratio(1u8, 8u8)? {
        return abuse(u, &scores, weights.as_deref(), missing);
    }

    // Every type that can hold all the scores exactly; each must agree with f64.
    let w = weights.as_deref();
    let null_if_empty = u.arbitrary()?;
    let same_message =
        scores.iter().all(|s| s.is_nan() || (s.abs() < 1e15 && s.to_bits() != (-0.0f64).to_bits()));
    let first = Calls { weights: w, missing, null_if_empty, same_message, reference: None };
    let reference = first.run(&scores, cxm_nps_f64, "cxm_nps_f64");
    let with = Calls { reference: Some(&reference), ..first };
    let whole = scores.iter().all(|s| s.is_finite() && s.fract() == 0.0);
    if scores.iter().all(|&s| s.is_nan() || f64::from(s as f32) == s) {
        let narrow: Vec<f32> = scores.iter().map(|&s| s as f32).collect();
        with.run(&narrow, cxm_nps_f32, "cxm_nps_f32");
    }
    if whole
        && scores
            .iter()
            .all(|&s| (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&s))
    {
        let wide: Vec<i64> = scores.iter().map(|&s| s as i64).collect();
        with.run(&wide, cxm_nps_i64, "cxm_nps_i64");
    }
    if whole && scores.iter().all(|&s| (-2_147_483_648.0..=2_147_483_647.0).contains(&s)) {
        let mid: Vec<i32> = scores.iter().map(|&s| s as i32).collect();
        with.run(&mid, cxm_nps_i32, "cxm_nps_i32");
    }
    if whole && scores.iter().all(|&s| (0.0..=255.0).contains(&s)) {
        let bytes: Vec<u8> = scores.iter().map(|&s| s as u8).collect();
        with.run(&bytes, cxm_nps_u8, "cxm_nps_u8");
    }

    // `call` returns a result exactly when the status is Ok (and checks the failure side).
    if let (_, Some(r), _) = &reference {
        check_nps("cxm_nps_f64", r);
        let counted: Vec<f64> = scores.iter().copied().filter(|s| !s.is_nan()).collect();
        let tally =
            |lo: f64, hi: f64| counted.iter().filter(|&&s| (lo..=hi).contains(&s)).count() as u64;
        assert_eq!(
            (r.n, r.promoters, r.passives, r.detractors),
            (counted.len() as u64, tally(9.0, 10.0), tally(7.0, 8.0), tally(0.0, 6.0)),
            "cxm_nps_f64: counts of {scores:?}"
        );
        if weights.is_none() {
            assert_eq!(r.effective_n, r.n as f64, "cxm_nps_f64: unweighted effective_n in {r:?}");
        }
        nps_intervals(u, r, true)?;
    }
    Ok(())
}

type Outcome = cxm_fuzz::Outcome<NpsResult>;

/// How the scores of every type are passed, and the f64 call's outcome they must equal.
struct Calls<'a> {
    weights: Option<&'a [f64]>,
    missing: u32,
    null_if_empty: bool,
    /// Whether the messages must agree too: not when a score's text depends on its type
    /// (-0 as a double is 0 as an integer; -9.223372036854776e18 is -9223372036854775808).
    same_message: bool,
    reference: Option<&'a Outcome>,
}

impl Calls<'_> {
    /// Calls `f` on `scores`, then asserts the same status, message and bits as the f64 call.
    fn run<T: std::fmt::Debug>(&self, scores: &[T], f: NpsFn<T>, name: &str) -> Outcome {
        let ptr = if scores.is_empty() && self.null_if_empty {
            std::ptr::null()
        } else {
            scores.as_ptr()
        };
        let w = self.weights.map_or(std::ptr::null(), <[f64]>::as_ptr);
        trace(|| {
            format!(
                "{name}({:?} at {ptr:?}, {}, {:?}, {}, &out)",
                scores,
                scores.len(),
                self.weights,
                self.missing
            )
        });
        // SAFETY: `scores.len()` scores and weights (or NULL), a writable out-param.
        let (status, result) =
            call(name, |out| unsafe { f(ptr, scores.len(), w, self.missing, out) });
        let outcome = (status, result, last_error());
        if let Some(reference) = self.reference {
            let same = self.same_message;
            assert_same_outcome(name, &outcome, "cxm_nps_f64", reference, same, nps_bits);
        }
        outcome
    }
}

/// NULL, misaligned and oversized arrays, and a NULL out-param: refused before any read.
#[allow(clippy::cast_ptr_alignment)] // misaligned on purpose
fn abuse(
    u: &mut Unstructured,
    scores: &[f64],
    weights: Option<&[f64]>,
    missing: u32,
) -> Result<()> {
    let mut out = std::mem::MaybeUninit::<NpsResult>::uninit();
    let out = out.as_mut_ptr();
    let len = scores.len();
    let w = weights.map_or(std::ptr::null(), <[f64]>::as_ptr);
    // Room for any element type at an odd address.
    let mut raw = vec![0u64; len + 2];
    let base = raw.as_mut_ptr().cast::<u8>();
    // SAFETY: every pointer passed points to `len` readable elements, or is NULL, or is
    // misaligned or given a length the callee must refuse before reading anything.
    unsafe {
        match u.int_in_range(0u8..=4)? {
            0 => expect_null(
                "cxm_nps_i64",
                cxm_nps_i64(base.cast(), len, w, missing, std::ptr::null_mut()),
            ),
            1 if len > 0 => {
                expect_null("cxm_nps_i32", cxm_nps_i32(std::ptr::null(), len, w, missing, out));
            }
            2 if len > 0 => {
                let status = cxm_nps_f64(base.add(1).cast(), len, w, missing, out);
                check_status("cxm_nps_f64", status);
                assert_eq!(status, Status::InvalidArgument, "misaligned scores: {}", last_error());
            }
            3 if len > 0 => {
                let bad = base.add(4).cast::<f64>();
                let status = cxm_nps_u8(base.cast(), len, bad, missing, out);
                check_status("cxm_nps_u8", status);
                assert_eq!(status, Status::InvalidArgument, "misaligned weights: {}", last_error());
            }
            4 => {
                let huge = [usize::MAX, usize::MAX / 2 + 1, isize::MAX as usize / 4 + 1]
                    [u.int_in_range(0..=2)?];
                let status = cxm_nps_f32(base.cast(), huge, std::ptr::null(), missing, out);
                check_status("cxm_nps_f32", status);
                assert_eq!(status, Status::InvalidArgument, "length {huge}: {}", last_error());
            }
            _ => {}
        }
    }
    Ok(())
}
