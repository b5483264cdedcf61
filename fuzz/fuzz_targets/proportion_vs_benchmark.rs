//! `cxm_proportion_vs_benchmark`: any successes and n, any benchmark (inside, at and past
//! 0..1, NaN, infinite), any alternative, level and method code. On success: the fields
//! echoed, estimate and interval in [0, 1], a p-value in [0, 1].
#![no_main]

use cxm_ffi::cxm_proportion_vs_benchmark;
use cxm_fuzz::{
    any_code, any_f64, any_level, call, check_benchmark, expect_null, trace, Result, Unstructured,
};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured) -> Result<()> {
    let (successes, n) = if u.ratio(2u8, 3u8)? {
        let n = u.int_in_range(0u32..=5000)?;
        (f64::from(u.int_in_range(0..=n)?), f64::from(n))
    } else {
        (any_f64(u)?, any_f64(u)?)
    };
    let benchmark = if u.ratio(1u8, 2u8)? {
        f64::from(u.int_in_range(0u16..=1000)?) / 1000.0
    } else {
        any_f64(u)?
    };
    let (alternative, level, method) = (any_code(u, 2)?, any_level(u)?, any_code(u, 5)?);
    let name = "cxm_proportion_vs_benchmark";
    trace(|| {
        format!(
            "{name}({successes:?}, {n:?}, {benchmark:?}, {alternative}, {level:?}, {method}, &out)"
        )
    });
    if u.ratio(1u8, 32u8)? {
        // SAFETY: a NULL out-param, which must be refused.
        let status = unsafe {
            cxm_proportion_vs_benchmark(
                successes,
                n,
                benchmark,
                alternative,
                level,
                method,
                std::ptr::null_mut(),
            )
        };
        expect_null(name, status);
        return Ok(());
    }
    // SAFETY: a writable out-param.
    let (_, t) = call(name, |out| unsafe {
        cxm_proportion_vs_benchmark(successes, n, benchmark, alternative, level, method, out)
    });
    if let Some(t) = t {
        check_benchmark(name, &t, (benchmark, alternative, level), (0.0, 1.0));
        assert!((3..=5).contains(&t.method), "{name}: not a proportion method in {t:?}");
    }
    Ok(())
}
