//! `cxm_nps_bootstrap_interval` and `cxm_nps_bayesian_interval`: any NPS struct, any level,
//! any prior (NaN, negative, subnormal, infinite weights), resamples and draws at and past both
//! ends of 2..=10 000 000 (but few enough, when valid, to stay fast), any seed. The same seed
//! must give the same interval twice.
#![no_main]

use cxm_ffi::{cxm_nps_bayesian_interval, cxm_nps_bootstrap_interval, Interval, Status};
use cxm_fuzz::{
    any_level, any_nps, any_prior, call, check_interval, expect_null, trace, Result, Unstructured,
};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

/// A simulation size: mostly a small valid one, sometimes one just outside 2..=10 000 000.
fn any_size(u: &mut Unstructured) -> Result<u32> {
    Ok(match u.int_in_range(0u8..=9)? {
        0 => [0, 1, 10_000_001, u32::MAX][u.int_in_range(0..=3)?],
        _ => u.int_in_range(2u32..=300)?,
    })
}

fn run(u: &mut Unstructured) -> Result<()> {
    let nps = any_nps(u)?;
    let (level, size, seed) = (any_level(u)?, any_size(u)?, u.arbitrary::<u64>()?);
    let prior = any_prior(u)?;
    let bayesian = u.arbitrary::<bool>()?;
    let name = if bayesian { "cxm_nps_bayesian_interval" } else { "cxm_nps_bootstrap_interval" };
    trace(|| {
        let prior = if bayesian { format!("{prior:?}, ") } else { String::new() };
        format!("{name}(&{nps:?}, {level:?}, {prior}{size}, {seed}, &out)")
    });
    let interval = |nps: *const _, out: *mut Interval| {
        // SAFETY: pointers from below: valid, or NULL to be refused.
        unsafe {
            if bayesian {
                cxm_nps_bayesian_interval(nps, level, prior, size, seed, out)
            } else {
                cxm_nps_bootstrap_interval(nps, level, size, seed, out)
            }
        }
    };
    let mut ci = Interval { lower: 0.0, upper: 0.0 };
    match u.int_in_range(0u8..=31)? {
        0 => expect_null(name, interval(std::ptr::null(), &raw mut ci)),
        1 => expect_null(name, interval(&raw const nps, std::ptr::null_mut())),
        _ => {
            let (status, first) = call(name, |out| interval(&raw const nps, out));
            if !(2..=10_000_000).contains(&size) {
                assert_ne!(status, Status::Ok, "{name}: size {size} accepted");
            }
            if let Some(ci) = first {
                check_interval(name, &ci, -100.0, 100.0);
                let (_, again) = call(name, |out| interval(&raw const nps, out));
                let again = again.expect("the same call failed the second time");
                assert_eq!(
                    (ci.lower.to_bits(), ci.upper.to_bits()),
                    (again.lower.to_bits(), again.upper.to_bits()),
                    "{name}: the same seed gave {ci:?}, then {again:?}"
                );
            }
        }
    }
    Ok(())
}
