//! The boundary every exported function goes through: it clears the last error, catches
//! panics, turns failures into a status, and records their message.

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use cxm_core::Error;

use crate::status::{clear_last_error, set_last_error, Status};

/// Why a call failed before or inside the core.
pub(crate) enum Failure {
    /// A NULL pointer where one is required; names the parameter.
    Null(&'static str),
    /// A bad length, alignment or enum value; says which and why.
    Invalid(String),
    /// The core refused the input.
    Core(Error),
    /// The caller's buffer cannot hold the output; says how large it must be.
    TooSmall(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::Core(error)
    }
}

/// The option value a C code stands for (`value`, from the core's `from_code`), or a
/// failure naming the option and the code.
pub(crate) fn decode<T>(value: Option<T>, option: &str, code: u32) -> Result<T, Failure> {
    value.ok_or_else(|| Failure::Invalid(format!("unknown {option} {code}")))
}

/// A C flag field (0 or 1) as a bool; anything else is a failure naming the field.
pub(crate) fn flag(value: u32, field: &str) -> Result<bool, Failure> {
    match value {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(Failure::Invalid(format!("{field} is {other}, not 0 or 1"))),
    }
}

/// C flags (`uint8_t`, 0 or 1 each) as bools; anything else is a failure naming the element,
/// `parameter[i]`.
pub(crate) fn flags(values: &[u8], parameter: &str) -> Result<Vec<bool>, Failure> {
    let name = |i: usize| format!("{parameter}[{i}]");
    values.iter().enumerate().map(|(i, &v)| flag(u32::from(v), &name(i))).collect()
}

/// Runs `body` for the exported function `name`, never letting a panic escape.
pub(crate) fn guard(name: &str, body: impl FnOnce() -> Result<(), Failure>) -> Status {
    clear_last_error();
    let (status, message) = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return Status::Ok,
        Ok(Err(Failure::Null(parameter))) => {
            (Status::NullPointer, format!("{name}: `{parameter}` is NULL"))
        }
        Ok(Err(Failure::Invalid(why))) => (Status::InvalidArgument, format!("{name}: {why}")),
        Ok(Err(Failure::Core(error))) => (Status::from(&error), error.to_string()),
        Ok(Err(Failure::TooSmall(why))) => (Status::BufferTooSmall, format!("{name}: {why}")),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(ToString::to_string)
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            (Status::Panic, format!("{name}: internal error (panic): {what}"))
        }
    };
    set_last_error(message);
    status
}

/// Borrows `len` elements at `ptr` as a slice, refusing NULL (unless `len == 0`), a length
/// past `isize::MAX` bytes and a misaligned pointer: the conditions `from_raw_parts` needs.
///
/// # Safety
/// When the checks pass, `ptr` must point to `len` initialised elements that stay unchanged
/// for the returned lifetime.
pub(crate) unsafe fn slice<'a, T>(
    ptr: *const T,
    len: usize,
    parameter: &'static str,
) -> Result<&'a [T], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::Null(parameter));
    }
    if len > isize::MAX.unsigned_abs() / std::mem::size_of::<T>().max(1) {
        return Err(Failure::Invalid(format!("length {len} of `{parameter}` is too large")));
    }
    if !ptr.is_aligned() {
        return Err(Failure::Invalid(format!("`{parameter}` is not aligned for its type")));
    }
    // SAFETY: non-NULL, aligned, size within isize::MAX; validity is the caller's promise.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The caller's `len` elements at `ptr`, or None when `ptr` is NULL (optional inputs such as
/// weights); otherwise checked as by [`slice`].
///
/// # Safety
/// As for [`slice`].
pub(crate) unsafe fn optional_slice<'a, T>(
    ptr: *const T,
    len: usize,
    parameter: &'static str,
) -> Result<Option<&'a [T]>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded from this function's contract.
    Ok(Some(unsafe { slice(ptr, len, parameter)? }))
}

/// Reads a caller's struct, refusing NULL. Unaligned reads, since a caller's struct may come
/// from a packed buffer.
///
/// # Safety
/// `ptr`, when not NULL, must be readable.
pub(crate) unsafe fn read<T>(ptr: *const T, parameter: &'static str) -> Result<T, Failure> {
    if ptr.is_null() {
        return Err(Failure::Null(parameter));
    }
    // SAFETY: not NULL; the caller promises it is readable.
    Ok(unsafe { ptr.read_unaligned() })
}

/// The caller's NUL-terminated UTF-8 string at `ptr`, refusing NULL (naming `parameter`) and
/// bytes that are not UTF-8 (saying `what` is not).
///
/// # Safety
/// `ptr`, when not NULL, must point to a NUL-terminated string that outlives the result.
pub(crate) unsafe fn c_string<'a>(
    ptr: *const c_char,
    parameter: &'static str,
    what: &str,
) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::Null(parameter));
    }
    // SAFETY: not NULL; the caller promises a NUL-terminated string.
    unsafe { CStr::from_ptr(ptr) }
        .to_str()
        .map_err(|_| Failure::Invalid(format!("{what} is not UTF-8")))
}

/// `count` such strings at `ptrs` (NULL refused as `parameter`, each as `element`).
///
/// # Safety
/// `ptrs` must point to `count` pointers, each NULL or a NUL-terminated string.
pub(crate) unsafe fn c_strings<'a>(
    ptrs: *const *const c_char,
    count: usize,
    parameter: &'static str,
    element: &'static str,
    what: &str,
) -> Result<Vec<&'a str>, Failure> {
    // SAFETY: as the caller promises.
    let pointers = unsafe { slice(ptrs, count, parameter)? };
    // SAFETY: each NULL or a NUL-terminated string, as the caller promises.
    pointers.iter().map(|&ptr| unsafe { c_string(ptr, element, what) }).collect()
}

/// Refuses a NULL out-param before any work is done.
pub(crate) fn out_param<T>(out: *mut T, parameter: &'static str) -> Result<(), Failure> {
    if out.is_null() {
        Err(Failure::Null(parameter))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_status_and_a_message() {
        let status = guard("cxm_test", || panic!("boom"));
        assert_eq!(status, Status::Panic);
        let mut buf = [0 as std::ffi::c_char; 64];
        let mut written = 0;
        let written_ptr = std::ptr::from_mut(&mut written);
        // SAFETY: a 64-byte buffer and a valid `written`.
        unsafe { crate::cxm_last_error_message(buf.as_mut_ptr(), buf.len(), written_ptr) };
        let message: Vec<u8> = buf[..written].iter().map(|&c| c.cast_unsigned()).collect();
        assert_eq!(String::from_utf8(message).unwrap(), "cxm_test: internal error (panic): boom");
    }
}
