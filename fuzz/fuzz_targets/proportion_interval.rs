//! `cxm_proportion_interval`: any successes and n (whole or not, negative, past 2^53, NaN,
//! infinite), any level, any method code. On success the interval lies in [0, 1].
#![no_main]

use cxm_ffi::{cxm_proportion_interval, Status};
use cxm_fuzz::{
    any_code, any_f64, any_level, call, check_interval, expect_null, trace, Result, Unstructured,
};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

/// A count for a proportion: mostly a small whole one, sometimes any double.
fn any_count(u: &mut Unstructured) -> Result<f64> {
    Ok(if u.ratio(1u8, 2u8)? { f64::from(u.arbitrary::<u16>()? % 1000) } else { any_f64(u)? })
}

fn run(u: &mut Unstructured) -> Result<()> {
    let n = any_count(u)?;
    let successes = if u.ratio(1u8, 2u8)? {
        (n * f64::from(u.arbitrary::<u8>()?) / 255.0).round()
    } else {
        any_count(u)?
    };
    let (level, method) = (any_level(u)?, any_code(u, 5)?);
    let name = "cxm_proportion_interval";
    trace(|| format!("{name}({successes:?}, {n:?}, {level:?}, {method}, &out)"));
    if u.ratio(1u8, 32u8)? {
        // SAFETY: a NULL out-param, which must be refused.
        expect_null(name, unsafe {
            cxm_proportion_interval(successes, n, level, method, std::ptr::null_mut())
        });
        return Ok(());
    }
    // SAFETY: a writable out-param.
    let (status, ci) =
        call(name, |out| unsafe { cxm_proportion_interval(successes, n, level, method, out) });
    if let Some(ci) = ci {
        check_interval(name, &ci, 0.0, 1.0);
    }
    if !(successes >= 0.0 && successes <= n) {
        assert_ne!(status, Status::Ok, "{name}: {successes} successes of {n} accepted");
    }
    Ok(())
}
