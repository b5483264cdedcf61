//! Status codes, and the per-thread message of the last failure.

use std::cell::RefCell;
use std::ffi::c_char;

use cxm_core::Error;

/// The outcome of a call. 0 is success; the hundreds group the causes: 100s the call itself
/// (pointers, lengths, codes), 200s the input data, 300s the statistic, 900 an internal error.
/// From 200 on, each status is one kind of `cxm_core::Error`, with the core's own code
/// (`Error::code`); `cxm_status_name` gives its stable name (`Error::kind`). Numbers are never
/// reused: 999 (once "an error with no code") stays reserved.
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
    /// Counts for a proportion that cannot be (not whole, successes outside 0..=n, n not
    /// positive).
    InvalidCount = 209,
    /// A scale that cannot be (min >= max, too many points, threshold off the scale).
    InvalidScale = 210,
    /// A benchmark outside the range a test can use.
    InvalidBenchmark = 211,
    /// A name that is not one of an option's values.
    UnknownName = 212,
    /// A number of resamples or posterior draws outside 2..=10 000 000.
    InvalidSimulationSize = 213,
    /// A Dirichlet prior weight that is not positive and finite.
    InvalidPrior = 214,
    /// Events over an exposure that cannot be a Poisson rate (a negative or fractional count,
    /// an exposure that is not positive and finite).
    InvalidRate = 215,
    /// A number of customers or a value that cannot be (negative, zero customers at the start,
    /// more lost than there were).
    InvalidCustomerCount = 216,
    /// An input the computation needs was not given (the end count of average-basis churn).
    MissingInput = 217,
    /// A customer record that ends before it starts, has no start, or a negative value.
    InvalidRecord = 218,
    /// A window whose end does not come after its start.
    InvalidWindow = 219,
    /// No customer active at the window start.
    NoCustomersAtRisk = 220,
    /// A sum or difference of customers or money past the largest `int64_t`.
    ValueOverflow = 221,
    /// Record columns of different lengths.
    ColumnLengthMismatch = 222,
    /// Bytes that are not a state this version reads: truncated, corrupted, of another format
    /// version or metric, or contradicting themselves.
    InvalidState = 230,
    /// Two states that cannot be merged: another metric or scale, weighted with unweighted.
    IncompatibleStates = 231,
    /// A row's group number not below the number of groups.
    InvalidGroup = 232,
    /// A p-value that is NaN or outside 0..=1.
    InvalidPValue = 233,
    /// A count of events out of a group that cannot be (negative, more than the group, a
    /// group of 0, or above 2^53); the message names the count.
    InvalidEventCount = 234,
    /// Margins or options that raking cannot use (a code with no target, a category with no
    /// respondents, targets of different totals, bounds out of range).
    InvalidCalibration = 235,
    /// A confidence level outside (0, 1).
    InvalidLevel = 300,
    /// A result struct whose fields contradict each other.
    InvalidEstimate = 301,
    /// Too few responses for the statistic (a mean interval needs two).
    TooFewResponses = 302,
    /// A value beyond what cxm computes exactly (a count above 2^53, a t critical value past
    /// the largest double): refused rather than answered wrongly.
    OutsideSupportedRange = 303,
    /// A method that exists but does not apply here (e.g. the score interval for comparing two
    /// NPS).
    UnsupportedMethod = 304,
    /// A constant score or driver, or a driver that is a linear combination of others.
    DegenerateColumn = 305,
    /// Bounded calibration that cannot meet the margins within its bounds.
    CalibrationInfeasible = 306,
    /// A panic inside cxm, caught at the boundary. Please report it.
    Panic = 900,
}

impl Status {
    /// Every status, for the conversions below (tests/abi.rs checks it against the header).
    pub const ALL: [Status; 41] = [
        Status::Ok,
        Status::NullPointer,
        Status::InvalidArgument,
        Status::BufferTooSmall,
        Status::Empty,
        Status::ScoreOutOfRange,
        Status::NotWholeScore,
        Status::MissingScore,
        Status::InvalidWeight,
        Status::LengthMismatch,
        Status::ZeroTotalWeight,
        Status::WeightOverflow,
        Status::CountOverflow,
        Status::InvalidCount,
        Status::InvalidScale,
        Status::InvalidBenchmark,
        Status::UnknownName,
        Status::InvalidSimulationSize,
        Status::InvalidPrior,
        Status::InvalidRate,
        Status::InvalidCustomerCount,
        Status::MissingInput,
        Status::InvalidRecord,
        Status::InvalidWindow,
        Status::NoCustomersAtRisk,
        Status::ValueOverflow,
        Status::ColumnLengthMismatch,
        Status::InvalidState,
        Status::IncompatibleStates,
        Status::InvalidGroup,
        Status::InvalidPValue,
        Status::InvalidEventCount,
        Status::InvalidCalibration,
        Status::InvalidLevel,
        Status::InvalidEstimate,
        Status::TooFewResponses,
        Status::OutsideSupportedRange,
        Status::UnsupportedMethod,
        Status::DegenerateColumn,
        Status::CalibrationInfeasible,
        Status::Panic,
    ];
}

impl From<&Error> for Status {
    /// The status with the error's code. Every core code has one (tests/abi.rs checks); were
    /// one missing, the call reports an internal error rather than a wrong cause.
    fn from(error: &Error) -> Status {
        let code = error.code();
        Status::ALL.iter().copied().find(|&s| s as u32 == code).unwrap_or(Status::Panic)
    }
}

/// The stable name of `status` as a NUL-terminated string (`"ok"`, `"score_out_of_range"`,
/// ...): for the core's errors, the same name the Python exception's `kind` gives. NULL for a
/// number that is no status. The string is static: do not free it.
#[no_mangle]
pub extern "C" fn cxm_status_name(status: u32) -> *const c_char {
    const OWN: [(Status, &str); 5] = [
        (Status::Ok, "ok\0"),
        (Status::NullPointer, "null_pointer\0"),
        (Status::InvalidArgument, "invalid_argument\0"),
        (Status::BufferTooSmall, "buffer_too_small\0"),
        (Status::Panic, "panic\0"),
    ];
    OWN.iter()
        .map(|&(s, name)| (name, s as u32))
        .chain(Error::KINDS_NUL_TERMINATED.iter().copied())
        .find(|&(_, code)| code == status)
        .map_or(std::ptr::null(), |(name, _)| name.as_ptr().cast())
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
