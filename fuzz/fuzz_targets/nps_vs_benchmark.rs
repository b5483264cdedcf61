//! `cxm_nps_vs_benchmark`: any NPS struct (cxm's own, or hand-built), any benchmark (inside,
//! at and past -100..100, NaN, infinite), any alternative, level and method code. On success:
//! the fields echoed, estimate and interval in [-100, 100], a p-value in [0, 1].
#![no_main]

use cxm_ffi::{cxm_nps_vs_benchmark, BenchmarkResult};
use cxm_fuzz::{
    any_code, any_f64, any_level, any_nps, call, check_benchmark, expect_null, trace, Result,
    Unstructured,
};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured) -> Result<()> {
    let nps = any_nps(u)?;
    let benchmark = if u.ratio(1u8, 2u8)? {
        f64::from(u.int_in_range(-1000i16..=1000)?) / 10.0
    } else {
        any_f64(u)?
    };
    let (alternative, level, method) = (any_code(u, 2)?, any_level(u)?, any_code(u, 3)?);
    let name = "cxm_nps_vs_benchmark";
    trace(|| format!("{name}(&{nps:?}, {benchmark:?}, {alternative}, {level:?}, {method}, &out)"));
    let mut t = std::mem::MaybeUninit::<BenchmarkResult>::uninit();
    // SAFETY (all three): NULL pointers, which must be refused, and otherwise valid ones.
    match u.int_in_range(0u8..=31)? {
        0 => expect_null(name, unsafe {
            cxm_nps_vs_benchmark(
                std::ptr::null(),
                benchmark,
                alternative,
                level,
                method,
                t.as_mut_ptr(),
            )
        }),
        1 => expect_null(name, unsafe {
            cxm_nps_vs_benchmark(
                &raw const nps,
                benchmark,
                alternative,
                level,
                method,
                std::ptr::null_mut(),
            )
        }),
        _ => {
            // SAFETY: a readable NPS and a writable out-param.
            let (_, t) = call(name, |out| unsafe {
                cxm_nps_vs_benchmark(&raw const nps, benchmark, alternative, level, method, out)
            });
            if let Some(t) = t {
                check_benchmark(name, &t, (benchmark, alternative, level), (-100.0, 100.0));
                assert!(t.method <= 2, "{name}: not an NPS method in {t:?}");
            }
        }
    }
    Ok(())
}
