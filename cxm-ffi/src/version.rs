//! Version numbers, emitted from Rust constants so the header and the library cannot disagree.

use std::ffi::c_char;

/// Version of the C ABI: raised whenever a struct layout or a signature changes.
pub const CXM_ABI_VERSION: u32 = 1;
/// Major version of the library (the crate version's first number).
pub const CXM_VERSION_MAJOR: u32 = 0;
/// Minor version of the library.
pub const CXM_VERSION_MINOR: u32 = 1;
/// Patch version of the library.
pub const CXM_VERSION_PATCH: u32 = 0;

/// The library version as a static NUL-terminated string, e.g. "0.1.0". Never NULL; do not
/// free it.
#[no_mangle]
pub extern "C" fn cxm_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The ABI version the library was built with; compare with `CXM_ABI_VERSION` from the header
/// to detect a header/library mismatch at run time.
#[no_mangle]
pub extern "C" fn cxm_abi_version() -> u32 {
    CXM_ABI_VERSION
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_the_crate_version() {
        let expected = format!("{CXM_VERSION_MAJOR}.{CXM_VERSION_MINOR}.{CXM_VERSION_PATCH}");
        assert_eq!(env!("CARGO_PKG_VERSION"), expected);
        // SAFETY: cxm_version returns a static NUL-terminated string.
        let reported = unsafe { std::ffi::CStr::from_ptr(cxm_version()) };
        assert_eq!(reported.to_str().unwrap(), expected);
    }
}
