//! Instants as people read them: seconds since the Unix epoch written as ISO 8601 UTC dates,
//! for messages about customer records and observation windows.

use std::fmt;

/// Seconds since the Unix epoch (1970-01-01T00:00:00Z), displayed as an ISO 8601 UTC date when
/// it falls on midnight and as a date-time otherwise; years beyond 0000–9999 carry a sign, as
/// ISO 8601's expanded form does. Every `i64` has a display.
///
/// ```
/// use cxm_core::Timestamp;
/// assert_eq!(Timestamp(1_767_225_600).to_string(), "2026-01-01");
/// assert_eq!(Timestamp(1_767_225_600 + 8 * 3600 + 30 * 60).to_string(), "2026-01-01T08:30:00Z");
/// assert_eq!(Timestamp(-1).to_string(), "1969-12-31T23:59:59Z");
/// assert_eq!(Timestamp(i64::MIN).to_string(), "-292277022657-01-27T08:29:52Z");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (days, seconds) = (self.0.div_euclid(86_400), self.0.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        if (0..=9999).contains(&year) {
            write!(f, "{year:04}-{month:02}-{day:02}")?;
        } else {
            write!(f, "{year:+05}-{month:02}-{day:02}")?;
        }
        if seconds != 0 {
            let (hour, minute, second) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
            write!(f, "T{hour:02}:{minute:02}:{second:02}Z")?;
        }
        Ok(())
    }
}

/// The proleptic Gregorian (year, month, day) of a count of days since 1970-01-01: Howard
/// Hinnant's `civil_from_days` ("chrono-Compatible Low-Level Date Algorithms", 2013), in eras
/// of 400 years. Exact for every `i64 / 86 400` days.
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153; // March = 0
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        // Values from Python: datetime.datetime.fromtimestamp(s, datetime.timezone.utc).
        for (seconds, want) in [
            (0, "1970-01-01"),
            (951_782_400, "2000-02-29"),
            (4_107_542_400, "2100-03-01"),
            (-62_135_596_800, "0001-01-01"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
            (253_402_300_800, "+10000-01-01"),
            (-62_167_219_200, "0000-01-01"),
            (-62_167_219_201, "-0001-12-31T23:59:59Z"),
        ] {
            assert_eq!(Timestamp(seconds).to_string(), want, "{seconds}");
        }
    }

    #[test]
    fn every_day_follows_the_last() {
        // Day by day over 800 years around the epoch and at the ends of i64: the date after
        // each day's is the next day's, across months, leap days and eras.
        let starts = [-146_097 * 2, i64::MIN / 86_400 + 1, i64::MAX / 86_400 - 146_097 * 2];
        for start in starts {
            let mut last = civil_from_days(start - 1);
            for days in start..start + 146_097 * 2 {
                let (y, m, d) = civil_from_days(days);
                let next_day = (y, m, d) == (last.0, last.1, last.2 + 1);
                let next_month =
                    d == 1 && ((y, m) == (last.0, last.1 + 1) || (y, m) == (last.0 + 1, 1));
                assert!(next_day || next_month, "{last:?} then {:?}", (y, m, d));
                assert!(d <= 31 && (1..=12).contains(&m));
                last = (y, m, d);
            }
        }
    }
}
