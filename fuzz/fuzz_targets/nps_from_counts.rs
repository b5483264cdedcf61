//! `cxm_nps_from_counts`: any three counts. Success exactly when they add up to 1..=2^64-1,
//! `CXM_STATUS_EMPTY` for none and `CXM_STATUS_COUNT_OVERFLOW` past 2^64-1; the result echoes
//! the counts, and goes through every interval.
#![no_main]

use cxm_ffi::{cxm_nps_from_counts, Status};
use cxm_fuzz::{any_u64, call, check_nps, expect_null, nps_intervals, trace, Result, Unstructured};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured) -> Result<()> {
    let (p, pa, d) = (any_u64(u)?, any_u64(u)?, any_u64(u)?);
    trace(|| format!("cxm_nps_from_counts({p}, {pa}, {d}, &out)"));
    if u.ratio(1u8, 32u8)? {
        // SAFETY: a NULL out-param, which must be refused.
        expect_null("cxm_nps_from_counts", unsafe {
            cxm_nps_from_counts(p, pa, d, std::ptr::null_mut())
        });
        return Ok(());
    }
    let name = "cxm_nps_from_counts";
    // SAFETY: a writable out-param.
    let (status, result) = call(name, |out| unsafe { cxm_nps_from_counts(p, pa, d, out) });
    let expected = match p.checked_add(pa).and_then(|s| s.checked_add(d)) {
        None => Status::CountOverflow,
        Some(0) => Status::Empty,
        Some(_) => Status::Ok,
    };
    assert_eq!(status, expected, "{name}({p}, {pa}, {d})");
    if let Some(r) = result {
        check_nps(name, &r);
        assert_eq!(
            (r.promoters, r.passives, r.detractors),
            (p, pa, d),
            "{name}: counts not echoed"
        );
        assert_eq!(r.effective_n, r.n as f64, "{name}: effective_n of counts");
        nps_intervals(u, &r, true)?;
    }
    Ok(())
}
