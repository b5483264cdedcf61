//! The one error type of cxm: every bad input is named, with what and where.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::score::ScoreValue;
use crate::time::Timestamp;

/// Why a computation was refused.
///
/// Every variant names the offending value and, for per-response problems, its index in the
/// input, so that a message like "score 11 at index 4 is outside 0..=10" can be acted on.
/// The enum is `#[non_exhaustive]`: later metrics add variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Error {
    /// No response was left to score: the input was empty, or every score was missing and the
    /// policy was [`Missing::Skip`](crate::Missing::Skip). A rate of nothing is not a number.
    Empty,
    /// A score lies outside the scale. Holds the value as given, its index and the scale.
    ScoreOutOfRange {
        /// Position of the score in the input.
        index: usize,
        /// The score as given.
        value: ScoreValue,
        /// Smallest score on the scale.
        min: i64,
        /// Largest score on the scale.
        max: i64,
    },
    /// A floating-point score that is not a whole number (2.5, or ±infinity). Scales are
    /// integral; a fractional score usually means the wrong column was passed.
    NotWholeScore {
        /// Position of the score in the input.
        index: usize,
        /// The score as given.
        value: f64,
    },
    /// A missing score (NaN for floating-point input) under [`Missing::Reject`](crate::Missing::Reject).
    MissingScore {
        /// Position of the score in the input.
        index: usize,
    },
    /// A weight that is negative, NaN or infinite. Weights are checked at every index, also
    /// where the score is skipped as missing.
    InvalidWeight {
        /// Position of the weight in the input.
        index: usize,
        /// The weight as given.
        value: f64,
    },
    /// Scores and weights differ in length.
    LengthMismatch {
        /// Number of scores.
        scores: usize,
        /// Number of weights.
        weights: usize,
    },
    /// The weights of the scored responses sum to zero, so no share is defined.
    ZeroTotalWeight,
    /// The weights of the scored responses sum to more than `f64::MAX`.
    WeightOverflow,
    /// The counts sum to more than `u64::MAX`.
    CountOverflow,
    /// A result whose fields contradict each other (a share outside 0..=1, shares summing past
    /// one, a non-positive sample size): only reachable by building one by hand, e.g. from C.
    InvalidEstimate {
        /// What is wrong.
        reason: String,
    },
    /// Counts for a proportion that cannot be: `n` not positive and finite, or `successes`
    /// outside `0..=n`.
    InvalidCount {
        /// Successes as given.
        successes: f64,
        /// Trials as given.
        n: f64,
    },
    /// A scale that cannot be: `min >= max`, too many points, or a threshold off the scale.
    InvalidScale {
        /// What is wrong.
        reason: String,
    },
    /// Too few responses for the statistic asked for (a mean interval needs two).
    TooFewResponses {
        /// Responses needed.
        needed: u64,
        /// The (effective) number there are.
        effective_n: f64,
    },
    /// A method that exists but does not apply here (e.g. the score interval for comparing two
    /// NPS).
    UnsupportedMethod {
        /// The method.
        method: String,
        /// What it was asked for.
        purpose: String,
    },
    /// A benchmark outside the range a test can use.
    InvalidBenchmark {
        /// The benchmark as given.
        benchmark: f64,
        /// The open range it must lie in.
        range: String,
    },
    /// A number of simulated values (bootstrap resamples, posterior draws) outside 2..=max.
    InvalidSimulationSize {
        /// What is simulated: "resamples" or "posterior draws".
        what: String,
        /// The number as given (wide enough for any the surfaces may be handed, e.g. −1).
        count: i128,
        /// The most accepted.
        max: u32,
    },
    /// A Dirichlet prior weight that is not positive and finite.
    InvalidPrior {
        /// The category it belongs to: "promoters", "passives" or "detractors".
        category: String,
        /// The weight as given.
        value: f64,
    },
    /// A name that is not one of an option's values (a method or policy given as text).
    UnknownName {
        /// What was being named, e.g. "NPS interval method".
        option: String,
        /// The name as given.
        name: String,
        /// The accepted names, comma-separated.
        expected: String,
    },
    /// A confidence level outside the open interval (0, 1), or NaN.
    InvalidLevel {
        /// The level as given.
        level: f64,
    },
    /// A value that is valid in principle but beyond what `f64` arithmetic can answer exactly
    /// (a count above 2^53, or a t critical value past the largest `f64`): refused rather than
    /// answered wrongly.
    OutsideSupportedRange {
        /// What the value is, e.g. "n" or "degrees of freedom".
        quantity: String,
        /// The value as given.
        value: f64,
        /// The supported range, in words.
        supported: String,
    },
    /// Events over an exposure that cannot be a Poisson rate: a count that is negative or not
    /// whole, or an exposure that is not positive and finite.
    InvalidRate {
        /// Events as given.
        count: f64,
        /// Exposure as given.
        exposure: f64,
    },
    /// A number of customers (or their value) that cannot be: negative, zero where customers
    /// are divided by, or more lost than there were.
    InvalidCustomerCount {
        /// Which number, e.g. `customers_at_start`.
        quantity: String,
        /// The number as given.
        value: i64,
        /// What it must be, e.g. "at least 1".
        requirement: String,
    },
    /// An input the computation needs was not given (the end count of average-basis churn).
    MissingInput {
        /// What is missing.
        what: String,
        /// What needs it.
        needed_for: String,
    },
    /// A customer record that cannot be: it ends before it starts, has no start, or a
    /// negative value.
    InvalidRecord {
        /// Position of the record in the input.
        index: usize,
        /// What is wrong.
        reason: String,
    },
    /// Columns of records that differ in length.
    ColumnLengthMismatch {
        /// The column that differs, e.g. "ends".
        column: String,
        /// Its length.
        len: usize,
        /// The length of the first column.
        expected: usize,
        /// The first column, which the others must match (`starts` for customer records).
        first: String,
    },
    /// An observation window whose end does not come after its start.
    InvalidWindow {
        /// Start, seconds since the Unix epoch (displayed as an ISO 8601 date, see [`crate::Timestamp`]).
        start: i64,
        /// End, seconds since the Unix epoch.
        end: i64,
    },
    /// No customer is active at the window start, so no churn is defined over it.
    NoCustomersAtRisk {
        /// The window start, seconds since the Unix epoch (displayed as an ISO 8601 date).
        start: i64,
    },
    /// A sum or difference of money (integer minor units) or of customers past `i64`.
    ValueOverflow {
        /// What overflowed, e.g. `new_value - lost_value`.
        quantity: String,
    },
    /// Bytes that are not a state this version can read: too short or too long, another
    /// format or version, a checksum that does not match (a corrupted state), or contents that
    /// contradict each other.
    InvalidState {
        /// What is wrong.
        reason: String,
    },
    /// A p-value that is NaN or outside 0..=1.
    InvalidPValue {
        /// Its position in the input.
        index: usize,
        /// The value as given.
        value: f64,
    },
    /// A row's group number that is not below the number of groups.
    InvalidGroup {
        /// Position of the row in the input.
        index: usize,
        /// The group number as given.
        group: u32,
        /// The number of groups.
        groups: usize,
    },
    /// Two states that cannot be merged (another metric or scale, weighted with unweighted).
    IncompatibleStates {
        /// Why not.
        reason: String,
    },
    /// A count of events (or successes) out of a group that cannot be: a negative count, a
    /// group of size 0, more events than the group has, or a count above 2^53, where not
    /// every count is an exact double. Names the count (`events_a`, `n_b`, …).
    InvalidEventCount {
        /// Which count, e.g. `events_a`.
        quantity: String,
        /// The count as given.
        value: i64,
        /// What it must be, e.g. "between 0 and `n_a` (10)".
        requirement: String,
    },
    /// A column that a regression cannot use: a constant score or driver, or a driver that is a
    /// linear combination of others (its share of the R² would be arbitrary).
    DegenerateColumn {
        /// The column, e.g. `driver 'price'` or `the score`.
        column: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Margins or options that raking cannot use: a category code without a target, a target
    /// that is not positive and finite, a category with a target but no respondents (or none
    /// with a positive base weight), margins whose targets add up to different totals, bounds
    /// or a tolerance out of their range.
    InvalidCalibration {
        /// What is wrong, e.g. `margin 'age'` or `bounds`.
        what: String,
        /// How.
        reason: String,
    },
    /// Bounded calibration that cannot meet its margins within its bounds (R `survey`'s
    /// `calibrate(bounds = …)` fails alike).
    CalibrationInfeasible {
        /// Which margin fails, and by how much.
        reason: String,
    },
}

/// Each kind of error, written once: its variant, its stable `snake_case` name and its stable
/// numeric code, which the C ABI returns as its status (200s: the input; 300s: the statistic).
/// Codes are never reused: a retired kind keeps its number reserved.
macro_rules! error_kinds {
    ($($variant:ident => $name:literal, $code:literal;)*) => {
        impl Error {
            /// Every kind of error, as `(name, code)`, in code order.
            pub const KINDS: &'static [(&'static str, u32)] = &[$(($name, $code)),*];

            /// [`Error::KINDS`] with each name NUL-terminated, for the C ABI to hand out
            /// without allocating.
            #[doc(hidden)]
            pub const KINDS_NUL_TERMINATED: &'static [(&'static str, u32)] =
                &[$((concat!($name, "\0"), $code)),*];

            /// A stable `snake_case` name for the kind of error (`"score_out_of_range"`, …),
            /// the same in every surface: the Python exception's `kind` and the C ABI's
            /// `cxm_status_name` give it.
            ///
            /// ```
            /// assert_eq!(cxm_core::Error::Empty.kind(), "empty");
            /// ```
            #[must_use]
            pub fn kind(&self) -> &'static str {
                match self {
                    $(Error::$variant { .. } => $name,)*
                }
            }

            /// The kind's stable numeric code: the C ABI's status for it.
            ///
            /// ```
            /// assert_eq!(cxm_core::Error::Empty.code(), 200);
            /// ```
            #[must_use]
            pub fn code(&self) -> u32 {
                match self {
                    $(Error::$variant { .. } => $code,)*
                }
            }
        }
    };
}

error_kinds! {
    Empty => "empty", 200;
    ScoreOutOfRange => "score_out_of_range", 201;
    NotWholeScore => "not_whole_score", 202;
    MissingScore => "missing_score", 203;
    InvalidWeight => "invalid_weight", 204;
    LengthMismatch => "length_mismatch", 205;
    ZeroTotalWeight => "zero_total_weight", 206;
    WeightOverflow => "weight_overflow", 207;
    CountOverflow => "count_overflow", 208;
    InvalidCount => "invalid_count", 209;
    InvalidScale => "invalid_scale", 210;
    InvalidBenchmark => "invalid_benchmark", 211;
    UnknownName => "unknown_name", 212;
    InvalidSimulationSize => "invalid_simulation_size", 213;
    InvalidPrior => "invalid_prior", 214;
    InvalidRate => "invalid_rate", 215;
    InvalidCustomerCount => "invalid_customer_count", 216;
    MissingInput => "missing_input", 217;
    InvalidRecord => "invalid_record", 218;
    InvalidWindow => "invalid_window", 219;
    NoCustomersAtRisk => "no_customers_at_risk", 220;
    ValueOverflow => "value_overflow", 221;
    ColumnLengthMismatch => "column_length_mismatch", 222;
    InvalidState => "invalid_state", 230;
    IncompatibleStates => "incompatible_states", 231;
    InvalidGroup => "invalid_group", 232;
    InvalidPValue => "invalid_p_value", 233;
    InvalidEventCount => "invalid_event_count", 234;
    InvalidCalibration => "invalid_calibration", 235;
    InvalidLevel => "invalid_level", 300;
    InvalidEstimate => "invalid_estimate", 301;
    TooFewResponses => "too_few_responses", 302;
    OutsideSupportedRange => "outside_supported_range", 303;
    UnsupportedMethod => "unsupported_method", 304;
    DegenerateColumn => "degenerate_column", 305;
    CalibrationInfeasible => "calibration_infeasible", 306;
}

impl Error {
    /// The position in the input of the value refused, for the errors that name one (a score,
    /// a weight, a record): what a surface maps back to a row label or a line.
    ///
    /// ```
    /// let e = cxm_core::Error::MissingScore { index: 4 };
    /// assert_eq!((e.index(), cxm_core::Error::Empty.index()), (Some(4), None));
    /// ```
    #[must_use]
    pub fn index(&self) -> Option<usize> {
        match self {
            Error::ScoreOutOfRange { index, .. }
            | Error::NotWholeScore { index, .. }
            | Error::MissingScore { index }
            | Error::InvalidWeight { index, .. }
            | Error::InvalidRecord { index, .. }
            | Error::InvalidGroup { index, .. }
            | Error::InvalidPValue { index, .. } => Some(*index),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    #[allow(clippy::too_many_lines)] // one arm per kind of error, as the kinds are listed
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Empty => {
                f.write_str("no responses to score: the input is empty or every score is missing")
            }
            Error::ScoreOutOfRange { index, value, min, max } => {
                write!(f, "score {value} at index {index} is outside {min}..={max}")
            }
            Error::NotWholeScore { index, value } => {
                write!(f, "score {} at index {index} is not a whole number", Number(*value))
            }
            Error::MissingScore { index } => write!(
                f,
                "score at index {index} is missing and the missing-value policy is \"reject\""
            ),
            Error::InvalidWeight { index, value } => {
                write!(
                    f,
                    "weight {} at index {index} is not a finite, non-negative number",
                    Number(*value)
                )
            }
            Error::LengthMismatch { scores, weights } => {
                write!(f, "{scores} scores but {weights} weights: the lengths must match")
            }
            Error::ZeroTotalWeight => {
                f.write_str("the weights of the scored responses sum to zero")
            }
            Error::WeightOverflow => {
                f.write_str("the weights of the scored responses sum to more than the largest f64")
            }
            Error::CountOverflow => f.write_str("the counts sum to more than 2^64 - 1"),
            Error::InvalidEstimate { reason } => write!(f, "invalid estimate: {reason}"),
            Error::InvalidCount { successes, n } => write!(
                f,
                "{} successes of {}: need whole numbers with n > 0 and 0 <= successes <= n",
                Number(*successes),
                Number(*n)
            ),
            Error::InvalidScale { reason } => write!(f, "invalid scale: {reason}"),
            Error::TooFewResponses { needed, effective_n } => write!(
                f,
                "needs at least {needed} responses, and the (effective) number is {}",
                Number(*effective_n)
            ),
            Error::UnsupportedMethod { method, purpose } => {
                write!(f, "the method {method} is not available for {purpose}")
            }
            Error::InvalidBenchmark { benchmark, range } => {
                write!(f, "benchmark {} is outside {range}", Number(*benchmark))
            }
            Error::InvalidSimulationSize { what, count, max } => {
                write!(f, "{count} {what}: need 2 to {max}")
            }
            Error::InvalidPrior { category, value } => {
                write!(
                    f,
                    "Dirichlet prior weight {} for {category} must be positive and finite",
                    Number(*value)
                )
            }
            Error::UnknownName { option, name, expected } => {
                write!(f, "unknown {option} {name:?}: expected one of {expected}")
            }
            Error::InvalidLevel { level } => {
                write!(f, "confidence level {} is outside the open interval (0, 1)", Number(*level))
            }
            Error::OutsideSupportedRange { quantity, value, supported } => {
                write!(
                    f,
                    "{quantity} {} is outside the supported range: {supported}",
                    Number(*value)
                )
            }
            Error::InvalidRate { count, exposure } => write!(
                f,
                "{} events over exposure {}: need a whole count >= 0 and a positive, finite \
                 exposure",
                Number(*count),
                Number(*exposure)
            ),
            Error::InvalidCustomerCount { quantity, value, requirement }
            | Error::InvalidEventCount { quantity, value, requirement } => {
                write!(f, "{quantity} is {value}: it must be {requirement}")
            }
            Error::MissingInput { what, needed_for } => {
                write!(f, "{what} is needed for {needed_for}")
            }
            Error::InvalidRecord { index, reason } => write!(f, "record at index {index} {reason}"),
            Error::DegenerateColumn { column, reason } => write!(f, "{column} {reason}"),
            Error::InvalidCalibration { what, reason } => write!(f, "{what} {reason}"),
            Error::CalibrationInfeasible { reason } => {
                write!(f, "the weights cannot meet the margins within the bounds: {reason}")
            }
            Error::ColumnLengthMismatch { column, len, expected, first } => write!(
                f,
                "column {column} has {len} values but {first} has {expected}: the lengths must match"
            ),
            Error::InvalidWindow { start, end } => write!(
                f,
                "the window from {} to {} is empty: its end must come after its start",
                Timestamp(*start),
                Timestamp(*end)
            ),
            Error::NoCustomersAtRisk { start } => write!(
                f,
                "no customer is active at the window start {}, so there is no churn to measure",
                Timestamp(*start)
            ),
            Error::ValueOverflow { quantity } => {
                write!(f, "{quantity} does not fit a 64-bit integer")
            }
            Error::InvalidState { reason } => write!(f, "invalid state: {reason}"),
            Error::InvalidPValue { index, value } => {
                write!(f, "p-value {} at index {index} is outside 0..=1", Number(*value))
            }
            Error::InvalidGroup { index, group, groups } => {
                write!(f, "group {group} at index {index} is not below the number of groups, {groups}")
            }
            Error::IncompatibleStates { reason } => {
                write!(f, "the states cannot be merged: {reason}")
            }
        }
    }
}

impl std::error::Error for Error {}

/// A number as a person reads it in a message: shortest round-trip digits, in scientific
/// notation when very small or very large (`5e-324`, `1.8446744073709552e19`), never as a
/// 330-digit decimal.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Number(pub f64);

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        if x == 0.0 || !x.is_finite() || (1e-5..1e16).contains(&x.abs()) {
            write!(f, "{x}")
        } else {
            write!(f, "{x:e}")
        }
    }
}

/// Parses `name` as one of `options` (pairs of name and value), for `FromStr` impls.
pub(crate) fn parse_name<T: Copy>(
    option: &str,
    name: &str,
    options: &[(&str, T)],
) -> Result<T, Error> {
    options.iter().find(|(n, _)| *n == name).map(|&(_, value)| value).ok_or_else(|| {
        Error::UnknownName {
            option: option.to_owned(),
            name: name.to_owned(),
            expected: options.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_value_and_index() {
        let e = Error::ScoreOutOfRange { index: 4, value: ScoreValue::Int(11), min: 0, max: 10 };
        assert_eq!(e.to_string(), "score 11 at index 4 is outside 0..=10");
        let e = Error::NotWholeScore { index: 3, value: 2.5 };
        assert_eq!(e.to_string(), "score 2.5 at index 3 is not a whole number");
        let e = Error::InvalidWeight { index: 2, value: -1.0 };
        assert_eq!(e.to_string(), "weight -1 at index 2 is not a finite, non-negative number");
    }

    #[test]
    fn kinds_have_distinct_names_and_codes() {
        let mut names: Vec<_> = Error::KINDS.iter().map(|k| k.0).collect();
        let mut codes: Vec<_> = Error::KINDS.iter().map(|k| k.1).collect();
        names.sort_unstable();
        names.dedup();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!((names.len(), codes.len()), (Error::KINDS.len(), Error::KINDS.len()));
        let e = Error::UnsupportedMethod { method: "score".into(), purpose: "x".into() };
        assert_eq!((e.kind(), e.code()), ("unsupported_method", 304));
    }

    #[test]
    fn numbers_print_short() {
        let e = Error::InvalidCount { successes: 5e-324, n: 2f64.powi(64) };
        assert!(e.to_string().starts_with("5e-324 successes of 1.8446744073709552e19:"), "{e}");
        let e = Error::InvalidLevel { level: 0.000_001 };
        assert_eq!(e.to_string(), "confidence level 1e-6 is outside the open interval (0, 1)");
        assert_eq!(Number(0.25).to_string(), "0.25");
        assert_eq!(Number(f64::NAN).to_string(), "NaN");
    }
}
