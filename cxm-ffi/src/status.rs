//! Status codes, and the per-thread message of the last failure.

use std::cell::RefCell;
use std::ffi::c_char;

use cxm_core::Error;

/// The outcome of a call. 0 is success; the hundreds group the causes.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Success.
    Ok = 0,
    /// A required pointer was NULL.
    NullPointer = 100,
    /// A length too large for memory, a misaligned array, or an unknown enum value.
    InvalidArgument = 101,
    /// The message did not fit the caller's buffer; it was truncated.
    BufferTooSmall = 102,
    /// No responses to score (empty input, or every score missing and skipped).
    Empty = 200,
    /// A score outside its scale.
    ScoreOutOfRange = 201,
    /// A floating-point score that is not a whole number.
    NotWholeScore = 202,
    /// A missing (NaN) score under the reject policy.
    MissingScore = 203,
    /// A negative, NaN or infinite weight.
    InvalidWeight = 204,
    /// Scores and weights of different lengths.
    LengthMismatch = 205,
    /// Weights summing to zero.
    ZeroTotalWeight = 206,
    /// Weights summing past the largest double.
    WeightOverflow = 207,
    /// Counts summing past 2^64 - 1.
    CountOverflow = 208,
    /// Counts for a proportion that cannot be (successes outside 0..=n, n not positive).
    InvalidCount = 209,
    /// A scale that cannot be (min >= max, too many points, threshold off the scale).
    InvalidScale = 210,
    /// A benchmark outside the range a test can use.
    InvalidBenchmark = 211,
    /// A confidence level outside (0, 1).
    InvalidLevel = 300,
    /// Too few responses for the statistic (a mean interval needs two).
    TooFewResponses = 302,
    /// A result struct whose fields contradict each other.
    InvalidEstimate = 301,
    /// A value beyond what cxm computes exactly (a count above 2^53, a t critical value past
    /// the largest double): refused rather than answered wrongly.
    OutsideSupportedRange = 303,
    /// A panic inside cxm, caught at the boundary. Please report it.
    Panic = 900,
    /// An error this version of the C ABI has no code for.
    Unknown = 999,
}

impl From<&Error> for Status {
    fn from(error: &Error) -> Status {
        match error {
            Error::Empty => Status::Empty,
            Error::ScoreOutOfRange { .. } => Status::ScoreOutOfRange,
            Error::NotWholeScore { .. } => Status::NotWholeScore,
            Error::MissingScore { .. } => Status::MissingScore,
            Error::InvalidWeight { .. } => Status::InvalidWeight,
            Error::LengthMismatch { .. } => Status::LengthMismatch,
            Error::ZeroTotalWeight => Status::ZeroTotalWeight,
            Error::WeightOverflow => Status::WeightOverflow,
            Error::CountOverflow => Status::CountOverflow,
            Error::InvalidLevel { .. } => Status::InvalidLevel,
            Error::InvalidEstimate { .. } => Status::InvalidEstimate,
            Error::UnknownName { .. }
            | Error::UnsupportedMethod { .. }
            | Error::InvalidSimulationSize { .. }
            | Error::InvalidPrior { .. } => Status::InvalidArgument,
            Error::InvalidCount { .. } => Status::InvalidCount,
            Error::InvalidBenchmark { .. } => Status::InvalidBenchmark,
            Error::InvalidScale { .. } => Status::InvalidScale,
            Error::TooFewResponses { .. } => Status::TooFewResponses,
            Error::OutsideSupportedRange { .. } => Status::OutsideSupportedRange,
            _ => Status::Unknown,
        }
    }
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

pub(crate) fn set_last_error(message: String) {
    LAST_ERROR.with(|last| *last.borrow_mut() = message);
}

pub(crate) fn clear_last_error() {
    LAST_ERROR.with(|last| last.borrow_mut().clear());
}

/// Copies the message of this thread's last failure into `buf` (`len` bytes, NUL included)
/// and stores the number of bytes written, without the NUL, in `*written`. The message is
/// empty after a successful call.
///
/// Returns `CXM_STATUS_BUFFER_TOO_SMALL` when the message was cut to fit (at a UTF-8 character
/// boundary), `CXM_STATUS_NULL_POINTER` when `buf` or `written` is NULL, and
/// `CXM_STATUS_INVALID_ARGUMENT` when `len` is 0. This call does not change the message.
///
/// # Safety
/// `buf` must point to `len` writable bytes and `written` to a writable `size_t`.
#[no_mangle]
pub unsafe extern "C" fn cxm_last_error_message(
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> Status {
    if buf.is_null() || written.is_null() {
        return Status::NullPointer;
    }
    if len == 0 {
        return Status::InvalidArgument;
    }
    LAST_ERROR.with(|last| {
        let last = last.borrow();
        let mut end = last.len().min(len - 1);
        while !last.is_char_boundary(end) {
            end -= 1;
        }
        // SAFETY: the caller promises `len` writable bytes at `buf`, and `end < len`.
        unsafe {
            std::ptr::copy_nonoverlapping(last.as_ptr().cast::<c_char>(), buf, end);
            *buf.add(end) = 0;
            *written = end;
        }
        if end < last.len() {
            Status::BufferTooSmall
        } else {
            Status::Ok
        }
    })
}
