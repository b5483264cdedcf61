//! `cxm_rate_interval`: any count of events (whole or not, negative, past 2^53, NaN), any
//! exposure (subnormal to the largest double, zero, negative, infinite), any level, any method
//! code. On success the interval is finite, ordered and non-negative: tiny exposures once gave
//! reversed (sqrt-a) or infinite (Wald) limits.
#![no_main]

use cxm_ffi::{cxm_rate_interval, Status};
use cxm_fuzz::{
    any_code, any_f64, any_level, call, check_interval, expect_null, trace, Result, Unstructured,
};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured) -> Result<()> {
    let count =
        if u.ratio(1u8, 2u8)? { f64::from(u.arbitrary::<u16>()? % 1000) } else { any_f64(u)? };
    // Half the exposures are a positive double of any exponent, subnormals included.
    let exposure = if u.ratio(1u8, 2u8)? {
        f64::from_bits(1 + u.arbitrary::<u64>()? % 0x7fef_ffff_ffff_ffff)
    } else {
        any_f64(u)?
    };
    let (level, method) = (any_level(u)?, any_code(u, 6)?);
    let name = "cxm_rate_interval";
    trace(|| format!("{name}({count:?}, {exposure:?}, {level:?}, {method}, &out)"));
    if u.ratio(1u8, 32u8)? {
        // SAFETY: a NULL out-param, which must be refused.
        expect_null(name, unsafe {
            cxm_rate_interval(count, exposure, level, method, std::ptr::null_mut())
        });
        return Ok(());
    }
    // SAFETY: a writable out-param.
    let (status, ci) =
        call(name, |out| unsafe { cxm_rate_interval(count, exposure, level, method, out) });
    if let Some(ci) = ci {
        check_interval(name, &ci, 0.0, f64::MAX);
    }
    if !(count >= 0.0 && exposure > 0.0 && exposure.is_finite()) {
        assert_ne!(status, Status::Ok, "{name}: {count} events over {exposure} accepted");
    }
    Ok(())
}
