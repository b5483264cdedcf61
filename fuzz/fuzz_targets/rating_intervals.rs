//! `cxm_rating_share_interval` and `cxm_rating_mean_interval`: any rating struct a C caller
//! could build (cxm's own, or one with NaN, infinite or contradictory fields, or a bad scale),
//! any level, any method code, NULL pointers.
#![no_main]

use cxm_ffi::{cxm_rating_mean_interval, cxm_rating_share_interval, Interval};
use cxm_fuzz::{any_rating, expect_null, rating_intervals, Result, Unstructured};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured) -> Result<()> {
    let rating = any_rating(u)?;
    let mut ci = Interval { lower: 0.0, upper: 0.0 };
    let (null, out) = (std::ptr::null(), std::ptr::null_mut());
    // SAFETY (all four): NULL pointers, which must be refused, and otherwise valid ones.
    match u.int_in_range(0u8..=31)? {
        0 => expect_null("cxm_rating_share_interval", unsafe {
            cxm_rating_share_interval(null, 0.95, 0, &raw mut ci)
        }),
        1 => expect_null("cxm_rating_share_interval", unsafe {
            cxm_rating_share_interval(&raw const rating, 0.95, 0, out)
        }),
        2 => expect_null("cxm_rating_mean_interval", unsafe {
            cxm_rating_mean_interval(null, 0.95, &raw mut ci)
        }),
        3 => expect_null("cxm_rating_mean_interval", unsafe {
            cxm_rating_mean_interval(&raw const rating, 0.95, out)
        }),
        _ => rating_intervals(u, &rating, false)?,
    }
    Ok(())
}
