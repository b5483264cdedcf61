//! Periods: timestamps bucketed into days, ISO weeks, months, quarters or years, in UTC or at a
//! fixed UTC offset, numbered so that consecutive periods have consecutive numbers ("the period
//! before" is the number minus one), and labelled as ISO 8601 writes them.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::time::civil_from_days;

/// The length of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// A calendar day.
    Day,
    /// An ISO 8601 week: Monday to Sunday, in the ISO week-numbering year (the year of its
    /// Thursday).
    Week,
    /// A calendar month.
    Month,
    /// A calendar quarter: January–March, April–June, July–September, October–December.
    Quarter,
    /// A calendar year.
    Year,
}

crate::options::named_options!(Period, "period", [
    Day => "day" = 0,
    Week => "week" = 1,
    Month => "month" = 2,
    Quarter => "quarter" = 3,
    Year => "year" = 4,
]);

impl Period {
    /// The default of every surface: a month, how CX figures are usually tracked.
    pub const DEFAULT: Period = Period::Month;
}

const SECONDS_PER_DAY: i64 = 86_400;
/// The largest UTC offset accepted: ±18 hours, as ISO 8601 and most time-zone databases bound it.
const MAX_OFFSET: i32 = 18 * 3600;

fn outside(quantity: &str, value: f64, supported: &str) -> Error {
    Error::OutsideSupportedRange {
        quantity: quantity.to_owned(),
        value,
        supported: supported.to_owned(),
    }
}

/// The days since 1970-01-01 of the local date of `time` at `offset` seconds east of UTC.
fn local_day(time: i64, offset: i32) -> Result<i64, Error> {
    if !(-MAX_OFFSET..=MAX_OFFSET).contains(&offset) {
        return Err(outside("UTC offset", f64::from(offset), "-64800..=64800 seconds (±18 hours)"));
    }
    // The UTC day plus the days the offset moves its second of the day by: exact for every
    // `i64` time, where `time + offset` could leave `i64`.
    let second_of_day = time.rem_euclid(SECONDS_PER_DAY) + i64::from(offset);
    Ok(time.div_euclid(SECONDS_PER_DAY) + second_of_day.div_euclid(SECONDS_PER_DAY))
}

/// The number of the period holding `time` (seconds since the Unix epoch, UTC) at
/// `utc_offset_seconds` east of UTC: days since 1970-01-01; ISO weeks since the week of
/// 1970-01-01; `year · 12 + month − 1`; `year · 4 + quarter − 1`; the year.
///
/// # Errors
/// [`Error::OutsideSupportedRange`] for an offset beyond ±18 hours. Every `i64` time has a
/// period.
///
/// # Examples
/// ```
/// use cxm_core::{period_label, period_of, Period};
/// let t = 1_767_225_599; // 2025-12-31T23:59:59Z
/// assert_eq!(period_label(period_of(t, Period::Month, 0)?, Period::Month), "2025-12");
/// assert_eq!(period_label(period_of(t, Period::Month, 3600)?, Period::Month), "2026-01");
/// assert_eq!(period_label(period_of(t, Period::Week, 0)?, Period::Week), "2026-W01");
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn period_of(time: i64, period: Period, utc_offset_seconds: i32) -> Result<i64, Error> {
    let day = local_day(time, utc_offset_seconds)?;
    let (year, month, _) = civil_from_days(day);
    Ok(match period {
        Period::Day => day,
        // 1970-01-01 was a Thursday: its week began on day −3, so day + 3 counts from a Monday.
        Period::Week => (day + 3).div_euclid(7),
        Period::Month => year * 12 + month - 1,
        Period::Quarter => year * 4 + (month - 1) / 3,
        Period::Year => year,
    })
}

/// A year as ISO 8601 writes it: four digits, or a sign and more beyond 0000–9999.
fn year_text(year: i128) -> String {
    if (0..=9999).contains(&year) {
        format!("{year:04}")
    } else {
        format!("{year:+05}")
    }
}

/// The ISO 8601 label of period number `index`: `2026-03-05`, `2026-W09` (the ISO
/// week-numbering year), `2026-03`, `2026-Q1`, `2026`.
#[must_use]
pub fn period_label(index: i64, period: Period) -> String {
    match period {
        Period::Day => {
            let (y, m, d) = civil_from_days(index);
            format!("{}-{m:02}-{d:02}", year_text(y.into()))
        }
        Period::Week => {
            // The week's Thursday names its year; its week number counts from that year's first.
            // ISO years repeat every 400 Gregorian years, exactly 20 871 weeks: the week is
            // named within its cycle, and its year moved by whole cycles, so that every `i64`
            // index has its label.
            const WEEKS_PER_400_YEARS: i64 = 20_871;
            let (cycles, week) =
                (index.div_euclid(WEEKS_PER_400_YEARS), index.rem_euclid(WEEKS_PER_400_YEARS));
            let thursday = 7 * week;
            let (year, _, _) = civil_from_days(thursday);
            let number = (thursday - first_thursday_of(year)) / 7 + 1;
            let year = i128::from(year) + 400 * i128::from(cycles);
            format!("{}-W{number:02}", year_text(year))
        }
        Period::Month => {
            format!("{}-{:02}", year_text(index.div_euclid(12).into()), index.rem_euclid(12) + 1)
        }
        Period::Quarter => {
            format!("{}-Q{}", year_text(index.div_euclid(4).into()), index.rem_euclid(4) + 1)
        }
        Period::Year => year_text(index.into()),
    }
}

/// The day number of the first Thursday of `year`.
fn first_thursday_of(year: i64) -> i64 {
    let january_first = days_from_civil(year, 1, 1).unwrap_or(0);
    // Weekday with Monday 0: 1970-01-01 (day 0) was a Thursday (3).
    let weekday = (january_first + 3).rem_euclid(7);
    january_first + (3 - weekday).rem_euclid(7)
}

/// Days since 1970-01-01 of a proleptic Gregorian date: Howard Hinnant's `days_from_civil`
/// ("chrono-Compatible Low-Level Date Algorithms", 2013). `None` past `i64`.
fn days_from_civil(year: i64, month: i64, day: i64) -> Option<i64> {
    let y = if month <= 2 { year.checked_sub(1)? } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let shifted_month = (month + 9) % 12; // March = 0
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era.checked_mul(146_097)?.checked_add(day_of_era)?.checked_sub(719_468)
}

/// The UTC time (seconds since the epoch) at which period `index` begins: its first local
/// midnight at `utc_offset_seconds` east of UTC.
///
/// # Errors
/// [`Error::OutsideSupportedRange`] for an offset beyond ±18 hours or a start past `i64`.
pub fn period_start(index: i64, period: Period, utc_offset_seconds: i32) -> Result<i64, Error> {
    local_day(0, utc_offset_seconds)?;
    let day = match period {
        Period::Day => Some(index),
        Period::Week => index.checked_mul(7).and_then(|d| d.checked_sub(3)),
        Period::Month => days_from_civil(index.div_euclid(12), index.rem_euclid(12) + 1, 1),
        Period::Quarter => days_from_civil(index.div_euclid(4), 3 * index.rem_euclid(4) + 1, 1),
        Period::Year => days_from_civil(index, 1, 1),
    };
    #[allow(clippy::cast_precision_loss)] // for the message only
    let too_far = || outside("period", index as f64, "periods that begin within 64-bit seconds");
    day.and_then(|d| d.checked_mul(SECONDS_PER_DAY))
        .and_then(|s| s.checked_sub(i64::from(utc_offset_seconds)))
        .ok_or_else(too_far)
}

/// Each time's period as a dense group number for [`crate::ScoreState::by_group`]: its period
/// number minus the first's, with that first number (`(vec![], 0)` for no times). Periods with
/// no time in them keep their number, so that consecutive groups are consecutive periods.
///
/// # Errors
/// As [`period_of`], naming the time's index; [`Error::OutsideSupportedRange`] when the times
/// span more periods than a `u32` numbers.
pub fn bucket_periods(
    times: &[i64],
    period: Period,
    utc_offset_seconds: i32,
) -> Result<(Vec<u32>, i64), Error> {
    let indices = times
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            period_of(t, period, utc_offset_seconds).map_err(|e| match e {
                Error::OutsideSupportedRange { supported, value, .. } => {
                    Error::OutsideSupportedRange {
                        quantity: format!("time at index {i}"),
                        value,
                        supported,
                    }
                }
                other => other,
            })
        })
        .collect::<Result<Vec<i64>, Error>>()?;
    let Some(&first) = indices.iter().min() else {
        return Ok((Vec::new(), 0));
    };
    let codes = indices
        .iter()
        .map(|&p| u32::try_from(p.abs_diff(first)).ok())
        .collect::<Option<Vec<u32>>>()
        .ok_or_else(|| {
            outside(
                "span of periods",
                f64::INFINITY,
                "at most 2^32 periods between the first and last",
            )
        })?;
    Ok((codes, first))
}

#[cfg(test)]
#[allow(clippy::unreadable_literal)] // timestamps as Python printed them
mod tests {
    use super::*;

    /// Python: `d = datetime.fromtimestamp(t, timezone(timedelta(seconds=off)))`, then
    /// `d.date().isoformat()`, `"%d-W%02d" % d.isocalendar()[:2]`, the month, quarter and year.
    const PYTHON: [(i64, i32, &str, &str, &str, &str, &str); 48] = [
        (0, 0, "1970-01-01", "1970-W01", "1970-01", "1970-Q1", "1970"),
        (0, 3600, "1970-01-01", "1970-W01", "1970-01", "1970-Q1", "1970"),
        (0, -18000, "1969-12-31", "1970-W01", "1969-12", "1969-Q4", "1969"),
        (0, 19800, "1970-01-01", "1970-W01", "1970-01", "1970-Q1", "1970"),
        (-1, 0, "1969-12-31", "1970-W01", "1969-12", "1969-Q4", "1969"),
        (-1, 3600, "1970-01-01", "1970-W01", "1970-01", "1970-Q1", "1970"),
        (-1, -18000, "1969-12-31", "1970-W01", "1969-12", "1969-Q4", "1969"),
        (-1, 19800, "1970-01-01", "1970-W01", "1970-01", "1970-Q1", "1970"),
        (1767225600, 0, "2026-01-01", "2026-W01", "2026-01", "2026-Q1", "2026"),
        (1767225600, 3600, "2026-01-01", "2026-W01", "2026-01", "2026-Q1", "2026"),
        (1767225600, -18000, "2025-12-31", "2026-W01", "2025-12", "2025-Q4", "2025"),
        (1767225600, 19800, "2026-01-01", "2026-W01", "2026-01", "2026-Q1", "2026"),
        (1767225599, 0, "2025-12-31", "2026-W01", "2025-12", "2025-Q4", "2025"),
        (1767225599, 3600, "2026-01-01", "2026-W01", "2026-01", "2026-Q1", "2026"),
        (1767225599, -18000, "2025-12-31", "2026-W01", "2025-12", "2025-Q4", "2025"),
        (1767225599, 19800, "2026-01-01", "2026-W01", "2026-01", "2026-Q1", "2026"),
        (1609372800, 0, "2020-12-31", "2020-W53", "2020-12", "2020-Q4", "2020"),
        (1609372800, 3600, "2020-12-31", "2020-W53", "2020-12", "2020-Q4", "2020"),
        (1609372800, -18000, "2020-12-30", "2020-W53", "2020-12", "2020-Q4", "2020"),
        (1609372800, 19800, "2020-12-31", "2020-W53", "2020-12", "2020-Q4", "2020"),
        (1609632000, 0, "2021-01-03", "2020-W53", "2021-01", "2021-Q1", "2021"),
        (1609632000, 3600, "2021-01-03", "2020-W53", "2021-01", "2021-Q1", "2021"),
        (1609632000, -18000, "2021-01-02", "2020-W53", "2021-01", "2021-Q1", "2021"),
        (1609632000, 19800, "2021-01-03", "2020-W53", "2021-01", "2021-Q1", "2021"),
        (1609718400, 0, "2021-01-04", "2021-W01", "2021-01", "2021-Q1", "2021"),
        (1609718400, 3600, "2021-01-04", "2021-W01", "2021-01", "2021-Q1", "2021"),
        (1609718400, -18000, "2021-01-03", "2020-W53", "2021-01", "2021-Q1", "2021"),
        (1609718400, 19800, "2021-01-04", "2021-W01", "2021-01", "2021-Q1", "2021"),
        (1546214400, 0, "2018-12-31", "2019-W01", "2018-12", "2018-Q4", "2018"),
        (1546214400, 3600, "2018-12-31", "2019-W01", "2018-12", "2018-Q4", "2018"),
        (1546214400, -18000, "2018-12-30", "2018-W52", "2018-12", "2018-Q4", "2018"),
        (1546214400, 19800, "2018-12-31", "2019-W01", "2018-12", "2018-Q4", "2018"),
        (951782400, 0, "2000-02-29", "2000-W09", "2000-02", "2000-Q1", "2000"),
        (951782400, 3600, "2000-02-29", "2000-W09", "2000-02", "2000-Q1", "2000"),
        (951782400, -18000, "2000-02-28", "2000-W09", "2000-02", "2000-Q1", "2000"),
        (951782400, 19800, "2000-02-29", "2000-W09", "2000-02", "2000-Q1", "2000"),
        (4102444800, 0, "2100-01-01", "2099-W53", "2100-01", "2100-Q1", "2100"),
        (4102444800, 3600, "2100-01-01", "2099-W53", "2100-01", "2100-Q1", "2100"),
        (4102444800, -18000, "2099-12-31", "2099-W53", "2099-12", "2099-Q4", "2099"),
        (4102444800, 19800, "2100-01-01", "2099-W53", "2100-01", "2100-Q1", "2100"),
        (-2208988800, 0, "1900-01-01", "1900-W01", "1900-01", "1900-Q1", "1900"),
        (-2208988800, 3600, "1900-01-01", "1900-W01", "1900-01", "1900-Q1", "1900"),
        (-2208988800, -18000, "1899-12-31", "1899-W52", "1899-12", "1899-Q4", "1899"),
        (-2208988800, 19800, "1900-01-01", "1900-W01", "1900-01", "1900-Q1", "1900"),
        (1719876600, 0, "2024-07-01", "2024-W27", "2024-07", "2024-Q3", "2024"),
        (1719876600, 3600, "2024-07-02", "2024-W27", "2024-07", "2024-Q3", "2024"),
        (1719876600, -18000, "2024-07-01", "2024-W27", "2024-07", "2024-Q3", "2024"),
        (1719876600, 19800, "2024-07-02", "2024-W27", "2024-07", "2024-Q3", "2024"),
    ];

    #[test]
    fn labels_match_pythons_datetime() {
        for (t, offset, day, week, month, quarter, year) in PYTHON {
            let label = |p| period_label(period_of(t, p, offset).unwrap(), p);
            assert_eq!(
                [label(Period::Day), label(Period::Week), label(Period::Month)],
                [day, week, month],
                "{t} at {offset}"
            );
            assert_eq!([label(Period::Quarter), label(Period::Year)], [quarter, year]);
        }
    }

    #[test]
    fn every_day_of_eight_centuries_lies_in_its_periods() {
        for day in days_from_civil(1600, 1, 1).unwrap()..days_from_civil(2400, 1, 1).unwrap() {
            let noon = day * SECONDS_PER_DAY + 43_200;
            for period in [Period::Day, Period::Week, Period::Month, Period::Quarter, Period::Year]
            {
                let p = period_of(noon, period, 0).unwrap();
                let (start, next) =
                    (period_start(p, period, 0).unwrap(), period_start(p + 1, period, 0).unwrap());
                assert!(start <= noon && noon < next, "{period:?} {p} day {day}");
            }
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), Some(day));
        }
    }

    #[test]
    fn offsets_extremes_and_buckets() {
        assert!(period_of(0, Period::Day, 18 * 3600 + 1).is_err());
        // Every i64 time has its local day, as exact (i128) arithmetic gives it.
        for (t, offset) in
            [(i64::MAX, 3600), (i64::MIN, -3600), (i64::MAX, -64_800), (i64::MIN, 64_800)]
        {
            let want = (i128::from(t) + i128::from(offset)).div_euclid(86_400);
            assert_eq!(i128::from(period_of(t, Period::Day, offset).unwrap()), want);
        }
        // ISO weeks 400 years (20 871 weeks) apart have the same number, the year 400 on; the
        // ends of i64 are weeks too.
        let split = |label: String| {
            let (year, week) = label.rsplit_once("-W").unwrap();
            (year.parse::<i128>().unwrap(), week.parse::<u32>().unwrap())
        };
        for w in [-1_000_000_i64, -1, 0, 2_900, 123_456, i64::MAX - 20_871, i64::MIN] {
            let (year, week) = split(period_label(w, Period::Week));
            assert_eq!(split(period_label(w + 20_871, Period::Week)), (year + 400, week), "{w}");
            assert!((1..=53).contains(&week));
        }
        for t in [i64::MIN, i64::MAX] {
            for period in [Period::Day, Period::Week, Period::Month, Period::Quarter, Period::Year]
            {
                let p = period_of(t, period, 0).unwrap();
                let _ = period_label(p, period);
                let _ = period_start(p, period, 0);
            }
        }
        let (codes, first) =
            bucket_periods(&[1_767_225_600, 1_764_547_200, 1_772_323_200], Period::Month, 0)
                .unwrap();
        assert_eq!(
            (codes, period_label(first, Period::Month)),
            (vec![1, 0, 3], "2025-12".to_owned())
        );
        assert_eq!(bucket_periods(&[], Period::Day, 0).unwrap(), (vec![], 0));
        assert!(bucket_periods(&[0, i64::MAX], Period::Day, 7200).is_err()); // too many days
        assert!(bucket_periods(&[i64::MIN, i64::MAX], Period::Day, 0).is_err());
    }
}
