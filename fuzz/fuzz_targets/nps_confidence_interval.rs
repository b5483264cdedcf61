//! `cxm_nps_confidence_interval`: any NPS struct a C caller could build (cxm's own, or one with
//! NaN, infinite or contradictory fields), any level, any method code, NULL pointers.
#![no_main]

use cxm_ffi::{cxm_nps_confidence_interval, Interval};
use cxm_fuzz::{
    any_code, any_level, any_nps, call, check_interval, expect_null, trace, Result, Unstructured,
};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured) -> Result<()> {
    let nps = any_nps(u)?;
    let (level, method) = (any_level(u)?, any_code(u, 3)?);
    let name = "cxm_nps_confidence_interval";
    trace(|| format!("{name}(&{nps:?}, {level:?}, {method}, &out)"));
    let mut ci = Interval { lower: 0.0, upper: 0.0 };
    match u.int_in_range(0u8..=31)? {
        // SAFETY (both): NULL pointers, which must be refused, and otherwise valid ones.
        0 => expect_null(name, unsafe {
            cxm_nps_confidence_interval(std::ptr::null(), level, method, &raw mut ci)
        }),
        1 => expect_null(name, unsafe {
            cxm_nps_confidence_interval(&raw const nps, level, method, std::ptr::null_mut())
        }),
        _ => {
            // SAFETY: a readable NPS, a writable out-param.
            let (_, ci) = call(name, |out| unsafe {
                cxm_nps_confidence_interval(&raw const nps, level, method, out)
            });
            if let Some(ci) = ci {
                check_interval(name, &ci, -100.0, 100.0);
            }
        }
    }
    Ok(())
}
