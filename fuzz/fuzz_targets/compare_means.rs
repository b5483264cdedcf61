//! `cxm_compare_means`: any two rating structs (cxm's own on any scale, or hand-built with
//! NaN, infinite or contradictory fields, tiny or huge standard deviations), any level. On
//! success: Welch, a finite ordered interval and estimate, positive degrees of freedom, a
//! p-value in [0, 1].
#![no_main]

use cxm_ffi::{cxm_compare_means, ComparisonMethod, ComparisonResult};
use cxm_fuzz::{
    any_level, any_rating, call, check_comparison, expect_null, expect_refused, trace, Result,
    Unstructured,
};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured) -> Result<()> {
    let (a, b) = (any_rating(u)?, any_rating(u)?);
    let level = any_level(u)?;
    let name = "cxm_compare_means";
    trace(|| format!("{name}(&{a:?}, &{b:?}, {level:?}, &out)"));
    let mut c = std::mem::MaybeUninit::<ComparisonResult>::uninit();
    let (a_ptr, b_ptr) = (&raw const a, &raw const b);
    // `a` is checked before `b` is read: a bad `a` may be what is refused.
    // SAFETY (all three): NULL pointers, which must be refused, and otherwise valid ones.
    match u.int_in_range(0u8..=31)? {
        0 => expect_null(name, unsafe {
            cxm_compare_means(std::ptr::null(), b_ptr, level, c.as_mut_ptr())
        }),
        1 => expect_refused(name, unsafe {
            cxm_compare_means(a_ptr, std::ptr::null(), level, c.as_mut_ptr())
        }),
        2 => expect_null(name, unsafe {
            cxm_compare_means(a_ptr, b_ptr, level, std::ptr::null_mut())
        }),
        _ => {
            // SAFETY: readable inputs, a writable out-param.
            let (_, c) = call(name, |out| unsafe { cxm_compare_means(a_ptr, b_ptr, level, out) });
            if let Some(c) = c {
                check_comparison(name, &c, ComparisonMethod::Welch as u32, level, f64::MAX);
            }
        }
    }
    Ok(())
}
