//! `cxm_compare_nps`: any two NPS structs (cxm's own, or hand-built with NaN, infinite or
//! contradictory fields), any level, any method code. On success: the method asked for, an
//! interval and estimate in [-200, 200] points, a p-value in [0, 1].
#![no_main]

use cxm_ffi::{cxm_compare_nps, ComparisonMethod, ComparisonResult};
use cxm_fuzz::{
    any_code, any_level, any_nps, call, check_comparison, expect_null, trace, Result, Unstructured,
};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured) -> Result<()> {
    let (a, b) = (any_nps(u)?, any_nps(u)?);
    let (level, method) = (any_level(u)?, any_code(u, 3)?);
    let name = "cxm_compare_nps";
    trace(|| format!("{name}(&{a:?}, &{b:?}, {level:?}, {method}, &out)"));
    let mut c = std::mem::MaybeUninit::<ComparisonResult>::uninit();
    let (a_ptr, b_ptr) = (&raw const a, &raw const b);
    // SAFETY (all three): NULL pointers, which must be refused, and otherwise valid ones.
    match u.int_in_range(0u8..=31)? {
        0 => expect_null(name, unsafe {
            cxm_compare_nps(std::ptr::null(), b_ptr, level, method, c.as_mut_ptr())
        }),
        1 => expect_null(name, unsafe {
            cxm_compare_nps(a_ptr, std::ptr::null(), level, method, c.as_mut_ptr())
        }),
        2 => expect_null(name, unsafe {
            cxm_compare_nps(a_ptr, b_ptr, level, method, std::ptr::null_mut())
        }),
        _ => {
            // SAFETY: readable inputs, a writable out-param.
            let (_, c) =
                call(name, |out| unsafe { cxm_compare_nps(a_ptr, b_ptr, level, method, out) });
            if let Some(c) = c {
                let expected = match method {
                    0 => ComparisonMethod::NpsWald,
                    1 => ComparisonMethod::NpsAdjustedWald,
                    other => panic!("{name}: method {other} accepted"),
                };
                check_comparison(name, &c, expected as u32, level, 200.0);
            }
        }
    }
    Ok(())
}
