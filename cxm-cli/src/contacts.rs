//! `--contacts`: a CSV of contact records (one row per call or ticket), read and handed to the
//! core: abandonment, service level, speed of answer, handle time, time to resolution with the
//! cases still open (Kaplan–Meier), first-contact resolution, and with `--customers` the churn
//! of customers whose issue was not resolved at the first contact against the others'.

use std::path::Path;

use csv::StringRecord;
use cxm_core::{
    contact_centre, durations, named_rate, ContactCentre, Durations, Error, NamedRate,
    ProportionMethod, RateEstimate, Transform, DEFAULT_PERCENTILES,
};

use crate::compute;
use crate::error::{DataError, Failure};
use crate::read;

/// An optional column: absent from the file is fine under its default name, an error under a
/// name the user gave (a typo must not turn open cases into resolved ones).
#[derive(Debug, Clone, Copy)]
pub enum Column<'a> {
    /// The default name.
    Default(&'a str),
    /// A name given on the command line.
    Given(&'a str),
}

impl<'a> Column<'a> {
    /// The name given, else `default`.
    pub fn or(given: Option<&'a str>, default: &'a str) -> Column<'a> {
        given.map_or(Column::Default(default), Column::Given)
    }

    fn name(self) -> &'a str {
        match self {
            Column::Default(name) | Column::Given(name) => name,
        }
    }
}

/// The contact file's column names.
#[derive(Debug, Clone, Copy)]
pub struct Layout<'a> {
    /// Seconds waited before the answer or the abandon.
    pub wait: &'a str,
    /// Whether the contact was answered.
    pub answered: &'a str,
    /// Handle time in seconds of an answered contact.
    pub handle: Column<'a>,
    /// Whether the issue was resolved at this first contact (blank: not known).
    pub resolved_first: Column<'a>,
    /// Seconds from the contact to the case's resolution, or open so far.
    pub resolution: Column<'a>,
    /// Whether the case is still open (its time is then the time open so far).
    pub open: Column<'a>,
    /// The customer's id, for the churn lift with `--customers`.
    pub customer: Column<'a>,
}

/// The options of the figures; every default was the core's.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Short abandons (at or within this many seconds) left out of both counts.
    pub short_abandon_seconds: Option<f64>,
    /// The service-level time.
    pub service_level_seconds: f64,
    /// The time for the share of cases resolved within it.
    pub resolved_within: Option<f64>,
    /// Confidence level of every interval.
    pub level: f64,
}

/// Per contact: its customer's id, and whether it was not resolved at the first contact.
pub type Marks = (Vec<String>, Vec<bool>);

/// What the report prints about the contacts.
pub struct Contacts {
    /// The file, as named.
    pub file: String,
    /// Abandonment, service levels and the speed of answer.
    pub centre: ContactCentre,
    /// The handle times of the answered contacts, when the file has them.
    pub handle: Option<Durations>,
    /// The time to resolution of the cases (Kaplan–Meier's when some are open), when the file
    /// has it and a case.
    pub resolution: Option<Durations>,
    /// First-contact resolution, when the file says of some contact.
    pub first_contact: Option<RateEstimate>,
    /// Per contact with a known first-contact outcome: its customer's id and whether it was
    /// *not* resolved at the first contact, for the churn lift; or why there are none (no
    /// customer column). `None` when no contact's outcome is known.
    pub unresolved_by_customer: Option<Result<Marks, String>>,
}

/// A flag cell: true/false, yes/no or 1/0 in any case; blank is `None`.
fn flag(text: &str) -> Result<Option<bool>, String> {
    match text.to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "true" | "yes" | "1" => Ok(Some(true)),
        "false" | "no" | "0" => Ok(Some(false)),
        _ => Err(format!("{text:?} is not a flag: true/false, yes/no or 1/0")),
    }
}

/// A seconds cell: a number (blank is `None`); whether it is a valid duration is the core's.
fn seconds(text: &str) -> Result<Option<f64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>().map(Some).map_err(|_| format!("{text:?} is not a number of seconds"))
}

/// The columns as read: values, and the line of each value for the core's messages.
#[derive(Default)]
struct Columns {
    lines: Vec<u64>,
    waits: Vec<f64>,
    answered: Vec<bool>,
    handles: (Vec<f64>, Vec<u64>),
    cases: (Vec<f64>, Vec<bool>, Vec<u64>),
    resolved_first: (Vec<String>, Vec<bool>),
    first_known: (u64, u64),
}

/// Reads `path` and computes every figure; nothing is printed until all of it succeeded.
pub fn report(
    path: &Path,
    delimiter: u8,
    layout: Layout<'_>,
    options: Options,
) -> Result<Contacts, Failure> {
    let file = path.display().to_string();
    let bad = |message: String| DataError::new(&file, message);
    let bytes = read::read_all(path).map_err(|e| bad(format!("cannot read the file: {e}")))?;
    let (lines, mut reader) = read::csv_of(&bytes, delimiter, &file)?;
    let header = reader.headers().map_err(|e| read::csv_error(&file, &lines, &e))?.clone();
    if header.iter().all(str::is_empty) {
        let message = format!("the file is empty: expected a header line naming the columns, with {:?} and {:?} among them", layout.wait, layout.answered);
        return Err(bad(message).into());
    }
    let required = |name: &str| {
        read::column_index(&header, name).map_err(|message| {
            bad(format!(
                "{message} (a contacts file has wait_seconds,answered and optionally \
                 handle_seconds, first_contact_resolved, resolution_seconds, open, customer; \
                 --wait-col and the other --*-col options name others)"
            ))
            .at_line(1)
        })
    };
    let optional = |column: Column<'_>| match column {
        Column::Given(name) => required(name).map(Some),
        Column::Default(name) => {
            read::optional_column(&header, name).map_err(|m| bad(m).at_line(1))
        }
    };
    let (wait_at, answered_at) = (required(layout.wait)?, required(layout.answered)?);
    let handle_at = optional(layout.handle)?;
    let first_at = optional(layout.resolved_first)?;
    let (resolution_at, open_at) = (optional(layout.resolution)?, optional(layout.open)?);
    let customer_at = optional(layout.customer)?;
    let (handle, resolved_first) = (layout.handle.name(), layout.resolved_first.name());
    let (resolution, open_name) = (layout.resolution.name(), layout.open.name());

    let mut c = Columns::default();
    let mut record = StringRecord::new();
    while reader.read_record(&mut record).map_err(|e| read::csv_error(&file, &lines, &e))? {
        let line = record.position().map_or(0, |pos| lines.of(pos));
        let at = |name: &str, message: String| bad(message).at_line(line).in_column(name);
        let cell = |index: Option<usize>| index.map_or("", |i| &record[i]);
        let wait = seconds(&record[wait_at]).map_err(|m| at(layout.wait, m))?;
        let wait = wait.ok_or_else(|| at(layout.wait, "blank: every contact waited".to_owned()))?;
        let answered = flag(&record[answered_at]).map_err(|m| at(layout.answered, m))?;
        let answered = answered
            .ok_or_else(|| at(layout.answered, "blank: every contact needs it".to_owned()))?;
        c.lines.push(line);
        c.waits.push(wait);
        c.answered.push(answered);
        match (seconds(cell(handle_at)).map_err(|m| at(handle, m))?, answered) {
            (Some(t), true) => {
                c.handles.0.push(t);
                c.handles.1.push(line);
            }
            (None, true) if handle_at.is_some() => {
                return Err(at(handle, "blank for an answered contact".to_owned()).into())
            }
            (Some(_), false) => {
                let message = "given for a contact that was abandoned".to_owned();
                return Err(at(handle, message).into());
            }
            _ => {}
        }
        let open = flag(cell(open_at)).map_err(|m| at(open_name, m))?;
        match (seconds(cell(resolution_at)).map_err(|m| at(resolution, m))?, open) {
            (Some(t), open) => {
                c.cases.0.push(t);
                c.cases.1.push(open.unwrap_or(false));
                c.cases.2.push(line);
            }
            (None, Some(open)) => {
                let message = if open {
                    "blank for a case still open: its time is the time open so far"
                } else {
                    "blank for a resolved case: a resolved case needs its time to resolution"
                };
                return Err(at(resolution, message.to_owned()).into());
            }
            (None, None) => {}
        }
        if let Some(resolved) = flag(cell(first_at)).map_err(|m| at(resolved_first, m))? {
            if !answered {
                let message = "given for a contact that was abandoned".to_owned();
                return Err(at(resolved_first, message).into());
            }
            c.first_known.0 += u64::from(resolved);
            c.first_known.1 += 1;
            c.resolved_first.0.push(cell(customer_at).to_owned());
            c.resolved_first.1.push(!resolved);
        }
    }
    if c.waits.is_empty() {
        return Err(bad("no contacts: the file has a header line but no rows".to_owned()).into());
    }
    figures(c, file, layout, options, customer_at)
}

/// The core's figures of the columns read; a refused record is named by its line.
fn figures(
    c: Columns,
    file: String,
    layout: Layout<'_>,
    options: Options,
    customer: Option<usize>,
) -> Result<Contacts, Failure> {
    let level = options.level;
    let core = |lines: &[u64], column: &str| {
        let file = file.clone();
        let column = column.to_owned();
        let lines = lines.to_vec();
        move |e: Error| match e {
            Error::InvalidRecord { index, ref reason } => Failure::Data(
                DataError::new(&file, format!("the contact {reason}"))
                    .at_line(lines.get(index).copied().unwrap_or(0))
                    .in_column(&column),
            ),
            // The times and percentiles are the command line's options.
            Error::OutsideSupportedRange { .. } => Failure::Usage(e.to_string()),
            other => compute::refused(&other, DataError::new(&file, other.to_string())),
        }
    };
    let centre = contact_centre(
        &c.waits,
        &c.answered,
        options.short_abandon_seconds,
        options.service_level_seconds,
        &DEFAULT_PERCENTILES,
        level,
    )
    .map_err(core(&c.lines, layout.wait))?;
    let summary = |times: &[f64], open: Option<&[bool]>, within: Option<f64>| {
        durations(times, open, None, &DEFAULT_PERCENTILES, within, level, Transform::default())
    };
    let handle = if c.handles.0.is_empty() {
        None
    } else {
        Some(summary(&c.handles.0, None, None).map_err(core(&c.handles.1, layout.handle.name()))?)
    };
    let (times, open, lines) = &c.cases;
    let resolution = if times.is_empty() {
        None
    } else {
        let d = summary(times, Some(open), options.resolved_within);
        Some(d.map_err(core(lines, layout.resolution.name()))?)
    };
    let (resolved, known) = c.first_known;
    let first_contact = if known == 0 {
        None
    } else {
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let rate = named_rate(
            NamedRate::FirstContactResolution,
            count(resolved),
            count(known),
            level,
            ProportionMethod::default(),
        );
        Some(rate.map_err(core(&[], layout.resolved_first.name()))?)
    };
    Ok(Contacts {
        file,
        centre,
        handle,
        resolution,
        first_contact,
        unresolved_by_customer: (known > 0).then(|| match customer {
            Some(_) => Ok(c.resolved_first),
            None => Err(format!(
                "the contacts file has no customer column ({:?})",
                layout.customer.name()
            )),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        assert_eq!(flag("Yes"), Ok(Some(true)));
        assert_eq!(flag("0"), Ok(Some(false)));
        assert_eq!(flag(""), Ok(None));
        assert_eq!(
            flag("maybe"),
            Err(r#""maybe" is not a flag: true/false, yes/no or 1/0"#.into())
        );
        assert_eq!(seconds("12.5"), Ok(Some(12.5)));
        assert_eq!(seconds(""), Ok(None));
        assert!(seconds("12s").is_err());
    }
}
