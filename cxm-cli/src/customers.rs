//! `--customers`: a CSV of subscription records (`customer,start,end[,value]`), read and handed
//! to the core's customer flow over the window; churn on both bases and by exposure, retention,
//! the revenue view and NCVG, each from the core.

use std::collections::HashMap;
use std::path::Path;

use csv::StringRecord;
use cxm_core::{
    churn_lift, customer_flow, Churn, ChurnBasis, ChurnLift, ChurnMethod, CustomerFlow,
    CustomerRecords, Interval, Ncvg, RateMethod, OPEN_END,
};

use crate::compute;
use crate::contacts::Marks;
use crate::error::{DataError, Failure};
use crate::read;

/// What the report prints about the customers.
pub struct Customers {
    /// The file, as named.
    pub file: String,
    /// The window, as given.
    pub window: (String, String),
    /// The flow over it.
    pub flow: CustomerFlow,
    /// Churn on the start basis, with its interval by the core's default method for it.
    pub start: (Churn, Interval, ChurnMethod),
    /// Churn on the average basis, likewise.
    pub average: (Churn, Interval, ChurnMethod),
    /// The interval of churn by exposure (per customer-month) by the core's default rate
    /// method, and the annual churn it implies (none when the rate is above 1 per month).
    pub exposure: (Interval, RateMethod, Option<f64>),
    /// NCVG over the window.
    pub ncvg: Ncvg,
    /// Decimals of the values as read (`--value-scale`; 0: whole cents).
    pub value_scale: u32,
    /// With contacts: the churn of the customers with a contact not resolved at the first
    /// against the customers whose every such contact was, and the lift between them; or why
    /// there is none (a group with no customer at risk), which does not stop the report.
    pub first_contact_lift: Option<Result<ChurnLift, String>>,
}

/// Seconds since the Unix epoch of a `YYYY-MM-DD` date at 00:00 UTC.
pub fn date_seconds(text: &str) -> Option<i64> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    // Digits only: `+202-01-05` and `2025-+1-+5` would parse.
    let digits =
        |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month[usize::try_from(m - 1).ok()?] {
        return None;
    }
    // Days from the civil date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some((era * 146_097 + day_of_era - 719_468) * 86_400)
}

/// How the customers file is laid out: its column names, and how many decimals its values
/// have (0: whole minor units, such as cents; 2: units with cents, `99.00`).
#[derive(Debug, Clone, Copy)]
pub struct Layout<'a> {
    /// The customer id column.
    pub customer: &'a str,
    /// The start date column.
    pub start: &'a str,
    /// The end date column.
    pub end: &'a str,
    /// The optional value column.
    pub value: &'a str,
    /// Decimals of the values: each is multiplied by 10^scale, exactly, into minor units.
    pub value_scale: u32,
}

/// `text` as an integer number of minor units when it has at most `scale` decimals: `99.5` at
/// scale 2 is 9950. Exact (no floats); `None` for anything else or past `i64`.
pub fn scaled_value(text: &str, scale: u32) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    if digits.contains('.') && fraction.is_empty()
        || fraction.len() > usize::try_from(scale).ok()?
    {
        return None;
    }
    let padding = scale - u32::try_from(fraction.len()).ok()?;
    let magnitude = format!("{whole}{fraction}")
        .parse::<i64>()
        .ok()?
        .checked_mul(10_i64.checked_pow(padding)?)?;
    Some(if negative { -magnitude } else { magnitude })
}

/// A value cell in minor units, or what is wrong with it.
fn value_cell(text: &str, scale: u32) -> Result<i64, String> {
    scaled_value(text, scale).ok_or_else(|| {
        let expected = match scale {
            0 => "a whole number of minor units (for 99.00, pass --value-scale 2)".to_owned(),
            n => format!("a number with at most {n} decimals"),
        };
        format!("{text:?} is not {expected}")
    })
}

/// A window bound given as `option`, in seconds since the epoch.
fn window_date(text: &str, option: &str) -> Result<i64, Failure> {
    date_seconds(text).ok_or_else(|| {
        Failure::Usage(format!("{option} {text:?} is not a date of the form YYYY-MM-DD"))
    })
}

/// Reads `path` and computes everything over `[window_start, window_end)` at `level`; nothing
/// is printed until all of it succeeded. With `unresolved` (per contact: its customer's id and
/// whether it was not resolved at the first contact), also the churn lift of those customers.
pub fn report(
    path: &Path,
    delimiter: u8,
    layout: Layout<'_>,
    window: (&str, &str),
    level: f64,
    unresolved: Option<&Result<Marks, String>>,
) -> Result<Customers, Failure> {
    let file = path.display().to_string();
    let bad = |message: String| DataError::new(&file, message);
    let (from, to) =
        (window_date(window.0, "--window-start")?, window_date(window.1, "--window-end")?);
    let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot read the file: {e}")))?;
    let (lines, mut reader) = read::csv_of(&bytes, delimiter, &file)?;
    let header = reader.headers().map_err(|e| read::csv_error(&file, &lines, &e))?.clone();
    let column = |name: &str| {
        read::column_index(&header, name).map_err(|message| {
            bad(format!(
                "{message} (a customers file has customer,start,end[,value]; --customer-col, \
                 --start-col, --end-col and --value-col name others)"
            ))
            .at_line(1)
        })
    };
    let (id_at, start_at, end_at) =
        (column(layout.customer)?, column(layout.start)?, column(layout.end)?);
    let value_at = read::optional_column(&header, layout.value).map_err(|m| bad(m).at_line(1))?;

    let (mut ids, mut starts, mut ends, mut values) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    // Each record's line and its start and end as written, for messages.
    let mut written: Vec<(u64, String, String)> = Vec::new();
    let mut codes: HashMap<String, i64> = HashMap::new();
    let mut record = StringRecord::new();
    while reader.read_record(&mut record).map_err(|e| read::csv_error(&file, &lines, &e))? {
        let line = record.position().map_or(0, |pos| lines.of(pos));
        let at = |name: &str, message: String| bad(message).at_line(line).in_column(name);
        let date = |index: usize, name: &str| {
            date_seconds(&record[index])
                .ok_or_else(|| at(name, format!("{:?} is not a date YYYY-MM-DD", &record[index])))
        };
        if record[id_at].is_empty() {
            let message = "blank: every record needs a customer id".to_owned();
            return Err(at(layout.customer, message).into());
        }
        let next = i64::try_from(codes.len()).unwrap_or(i64::MAX);
        ids.push(*codes.entry(record[id_at].to_owned()).or_insert(next));
        starts.push(date(start_at, layout.start)?);
        ends.push(if record[end_at].is_empty() { OPEN_END } else { date(end_at, layout.end)? });
        if let Some(index) = value_at {
            values.push(
                value_cell(&record[index], layout.value_scale).map_err(|m| at(layout.value, m))?,
            );
        }
        written.push((line, record[start_at].to_owned(), record[end_at].to_owned()));
    }
    if starts.is_empty() {
        return Err(bad("no records: the file has a header line but no rows".to_owned()).into());
    }
    let records = CustomerRecords {
        starts: &starts,
        ends: Some(&ends),
        values: value_at.map(|_| values.as_slice()),
        customers: Some(&ids),
    };
    let core = |e: cxm_core::Error| match e {
        // The core names the record by index; the user knows it by line.
        cxm_core::Error::InvalidRecord { index, ref reason } => {
            let (line, start, end) = written.get(index).cloned().unwrap_or_default();
            // The core speaks in seconds; the file in dates.
            let message = if reason.starts_with("ends at") {
                format!("the record ends on {end}, before it starts on {start}")
            } else {
                e.to_string()
            };
            Failure::Data(bad(message).at_line(line))
        }
        cxm_core::Error::InvalidWindow { .. } => Failure::Usage(format!(
            "the window from {} to {} is empty: --window-end must come after --window-start",
            window.0, window.1
        )),
        other => compute::refused(&other, bad(other.to_string())),
    };
    let flow = customer_flow(&records, from, to).map_err(core)?;
    let with_interval = |basis: ChurnBasis| -> Result<(Churn, Interval, ChurnMethod), Failure> {
        let (churn, method) = (flow.churn(basis).map_err(core)?, basis.default_method());
        Ok((churn, churn.interval(level, method).map_err(core)?, method))
    };
    let (start, average) = (with_interval(ChurnBasis::Start)?, with_interval(ChurnBasis::Average)?);
    let rate_method = RateMethod::default();
    let exposure_interval = flow.churn_by_exposure_interval(level, rate_method).map_err(core)?;
    // More than one loss per customer-month has no annual equivalent: none is printed.
    let annual = cxm_core::annual_from_monthly(flow.churn_by_exposure).ok();
    let ncvg = flow.ncvg().map_err(core)?;
    let first_contact_lift = unresolved
        .map(|u| first_contact_lift(&records, &mut codes, (from, to), u, level))
        .transpose()
        .map_err(core)?;
    Ok(Customers {
        file,
        window: (window.0.to_owned(), window.1.to_owned()),
        flow,
        start,
        average,
        exposure: (exposure_interval, rate_method, annual),
        ncvg,
        value_scale: layout.value_scale,
        first_contact_lift,
    })
}

/// The churn lift of the customers with a contact not resolved at the first (`marks`: per
/// contact, the customer's id and whether it was not resolved), or why there is none (no
/// customer column in the contacts, a group with no customer at risk), which does not stop the
/// report.
fn first_contact_lift(
    records: &CustomerRecords<'_>,
    codes: &mut HashMap<String, i64>,
    (from, to): (i64, i64),
    marks: &Result<Marks, String>,
    level: f64,
) -> Result<Result<ChurnLift, String>, cxm_core::Error> {
    let (who, unresolved) = match marks {
        Ok(marks) => marks,
        Err(reason) => return Ok(Err(reason.clone())),
    };
    // A contact's customer missing from the customers file gets a code no record has.
    let ids: Vec<i64> = who
        .iter()
        .map(|id| {
            let next = i64::try_from(codes.len()).unwrap_or(i64::MAX);
            *codes.entry(id.clone()).or_insert(next)
        })
        .collect();
    match churn_lift(records, from, to, &ids, unresolved, level) {
        Ok(lift) => Ok(Ok(lift)),
        // The core's groups, in the contacts' words.
        Err(e @ cxm_core::Error::MissingInput { .. }) => Ok(Err(e
            .to_string()
            .replace("the unmarked group", "the group whose every first contact resolved the issue")
            .replace("the marked group", "the group with an unresolved first contact"))),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_with_decimals_are_scaled_exactly() {
        assert_eq!(scaled_value("99", 0), Some(99));
        assert_eq!(scaled_value("99.00", 0), None);
        assert_eq!(scaled_value("99.00", 2), Some(9900));
        assert_eq!(scaled_value("99.5", 2), Some(9950));
        assert_eq!(scaled_value("99", 2), Some(9900));
        assert_eq!(scaled_value("-0.01", 2), Some(-1));
        assert_eq!(scaled_value("0.10000000000000001", 2), None);
        for bad in ["99.", ".5", "1e3", "+5", "9_9", "", "-", "92233720368547758.08"] {
            assert_eq!(scaled_value(bad, 2), None, "{bad}");
        }
        assert_eq!(scaled_value("92233720368547758.07", 2), Some(i64::MAX));
    }

    #[test]
    fn dates_are_days_since_the_epoch() {
        assert_eq!(date_seconds("1970-01-01"), Some(0));
        assert_eq!(date_seconds("2026-01-01"), Some(1_767_225_600)); // date -d 2026-01-01 +%s
        assert_eq!(date_seconds("2024-02-29"), Some(1_709_164_800)); // date -d 2024-02-29 +%s
        assert_eq!(date_seconds("1969-12-31"), Some(-86_400));
        // Issue 15, item 9: signs were read as part of the numbers.
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "2026-01-01T00",
            "",
            "+202-01-05",
            "2025-+1-+5",
            "2025-01-+5",
            "-202-01-05",
        ] {
            assert_eq!(date_seconds(bad), None, "{bad}");
        }
    }
}
