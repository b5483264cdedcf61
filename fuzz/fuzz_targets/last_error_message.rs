//! `cxm_last_error_message`: after a failure whose message holds values from the input (scores,
//! counts, levels, scales; some with non-ASCII characters), read into buffers of every size,
//! zero and one byte included, and into NULL. The copy must be the longest prefix that fits,
//! cut at a character boundary, NUL-terminated, with nothing written past `len`; the status
//! must say whether it was cut; reading must not change the message; and a success must
//! leave the message empty.
#![no_main]

use std::ffi::c_char;

use cxm_ffi::{
    cxm_abi_version, cxm_last_error_message, cxm_nps_f64, cxm_nps_from_counts,
    cxm_proportion_interval, cxm_rating_i64, cxm_version, RatingScale, Status, CXM_ABI_VERSION,
};
use cxm_fuzz::{any_f64, any_level, any_scale, any_u64, last_error, Result, Unstructured};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

/// What the bytes past `len` hold before the call, and must hold after it.
const GUARD: c_char = 0x5A;

/// Makes one call (likely to fail) with values from the input.
fn fail(u: &mut Unstructured) -> Result<Status> {
    let mut out = [0u64; 16];
    let out = out.as_mut_ptr();
    // SAFETY: every pointer is to enough readable or writable memory.
    Ok(unsafe {
        match u.int_in_range(0u8..=3)? {
            0 => {
                let scores: Vec<f64> =
                    (0..u.int_in_range(1usize..=8)?).map(|_| any_f64(u)).collect::<Result<_>>()?;
                cxm_nps_f64(
                    scores.as_ptr(),
                    scores.len(),
                    std::ptr::null(),
                    u.arbitrary()?,
                    out.cast(),
                )
            }
            1 => cxm_proportion_interval(
                any_f64(u)?,
                any_f64(u)?,
                any_level(u)?,
                u.arbitrary()?,
                out.cast(),
            ),
            2 => {
                let scale: RatingScale = any_scale(u)?;
                let scores: Vec<i64> = (0..u.int_in_range(1usize..=8)?)
                    .map(|_| u.arbitrary())
                    .collect::<Result<_>>()?;
                cxm_rating_i64(
                    scores.as_ptr(),
                    scores.len(),
                    std::ptr::null(),
                    &raw const scale,
                    0,
                    out.cast(),
                )
            }
            _ => cxm_nps_from_counts(any_u64(u)?, any_u64(u)?, any_u64(u)?, out.cast()),
        }
    })
}

fn run(u: &mut Unstructured) -> Result<()> {
    let status = fail(u)?;
    let message = last_error();
    assert_eq!(status == Status::Ok, message.is_empty(), "{status:?} with message {message:?}");
    let name = "cxm_last_error_message";

    for _ in 0..u.int_in_range(1u8..=4)? {
        let len = match u.int_in_range(0u8..=3)? {
            0 => u.int_in_range(0usize..=8)?,
            1 => message.len() + u.int_in_range(0usize..=2)?,
            2 => message.len().saturating_sub(u.int_in_range(0usize..=4)?),
            _ => u.int_in_range(0usize..=600)?,
        };
        // `len` bytes for the callee, then guard bytes it must not touch.
        let mut buf = vec![GUARD; len + 16];
        let mut written = usize::MAX;
        let (null_buf, null_written) = (u.ratio(1u8, 8u8)?, u.ratio(1u8, 8u8)?);
        let buf_ptr = if null_buf { std::ptr::null_mut() } else { buf.as_mut_ptr() };
        let written_ptr = if null_written { std::ptr::null_mut() } else { &raw mut written };
        // SAFETY: `len` writable bytes (or NULL) and a writable `written` (or NULL).
        let got = unsafe { cxm_last_error_message(buf_ptr, len, written_ptr) };
        if null_buf || null_written {
            assert_eq!(got, Status::NullPointer, "{name}: NULL accepted");
            assert!(buf.iter().all(|&b| b == GUARD), "{name}: wrote with a NULL pointer");
            continue;
        }
        if len == 0 {
            assert_eq!(got, Status::InvalidArgument, "{name}: len 0 accepted");
            assert!(buf.iter().all(|&b| b == GUARD), "{name}: wrote into 0 bytes");
            continue;
        }
        let mut fits = message.len().min(len - 1);
        while !message.is_char_boundary(fits) {
            fits -= 1;
        }
        let expected = if fits < message.len() { Status::BufferTooSmall } else { Status::Ok };
        assert_eq!(got, expected, "{name}: len {len}, message of {} bytes", message.len());
        assert_eq!(written, fits, "{name}: len {len}, message {message:?}");
        let copied: Vec<u8> = buf[..written].iter().map(|&c| c.cast_unsigned()).collect();
        assert_eq!(copied, message.as_bytes()[..fits], "{name}: not the message's prefix");
        assert_eq!(buf[written], 0, "{name}: no NUL");
        assert!(buf[len..].iter().all(|&b| b == GUARD), "{name}: wrote past {len} bytes");
        assert!(buf[written + 1..len].iter().all(|&b| b == GUARD), "{name}: wrote past the NUL");
    }
    assert_eq!(last_error(), message, "{name}: reading changed the message");

    // A success clears it; the version calls have no message to set.
    let mut nps = [0u64; 16];
    // SAFETY: a writable out-param.
    assert_eq!(unsafe { cxm_nps_from_counts(1, 2, 3, nps.as_mut_ptr().cast()) }, Status::Ok);
    assert_eq!(last_error(), "", "a success leaves the last message");
    assert_eq!(cxm_abi_version(), CXM_ABI_VERSION);
    // SAFETY: cxm_version returns a static NUL-terminated string.
    let version = unsafe { std::ffi::CStr::from_ptr(cxm_version()) };
    assert!(version.to_str().is_ok_and(|v| v.split('.').count() == 3), "version {version:?}");
    Ok(())
}
