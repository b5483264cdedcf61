//! `cxm_compare_proportions`: any two proportions (counts whole or not, out of order, past
//! 2^53, NaN, infinite), any level. On success: Newcombe's interval and an estimate in
//! [-1, 1], a p-value in [0, 1].
#![no_main]

use cxm_ffi::{cxm_compare_proportions, ComparisonMethod};
use cxm_fuzz::{
    any_f64, any_level, call, check_comparison, expect_null, trace, Result, Unstructured,
};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

/// `(successes, n)`: mostly a small consistent pair, sometimes any doubles.
fn any_pair(u: &mut Unstructured) -> Result<(f64, f64)> {
    if u.ratio(2u8, 3u8)? {
        let n = u.int_in_range(0u32..=2000)?;
        Ok((f64::from(u.int_in_range(0..=n)?), f64::from(n)))
    } else {
        Ok((any_f64(u)?, any_f64(u)?))
    }
}

fn run(u: &mut Unstructured) -> Result<()> {
    let ((s1, n1), (s2, n2)) = (any_pair(u)?, any_pair(u)?);
    let level = any_level(u)?;
    let name = "cxm_compare_proportions";
    trace(|| format!("{name}({s1:?}, {n1:?}, {s2:?}, {n2:?}, {level:?}, &out)"));
    if u.ratio(1u8, 32u8)? {
        // SAFETY: a NULL out-param, which must be refused.
        expect_null(name, unsafe {
            cxm_compare_proportions(s1, n1, s2, n2, level, std::ptr::null_mut())
        });
        return Ok(());
    }
    // SAFETY: a writable out-param.
    let (_, c) = call(name, |out| unsafe { cxm_compare_proportions(s1, n1, s2, n2, level, out) });
    if let Some(c) = c {
        check_comparison(name, &c, ComparisonMethod::NewcombeScore as u32, level, 1.0);
    }
    Ok(())
}
