//! Writes a computed report as text: an aligned table, JSON or CSV. Nothing here computes; the
//! whole output is built in memory, so a failure can never leave half a report on stdout.

mod contacts;
mod csv;
mod json;
mod table;

use crate::args::Format;
use crate::compute::{Report, Settings};
use crate::contacts::Contacts;
use crate::customers::Customers;

/// What a report holds: the survey's, the customers' and the contacts' sections, each when
/// asked for.
pub struct Sections<'a> {
    /// The survey's table.
    pub survey: Option<&'a Report>,
    /// The customers over the window.
    pub customers: Option<&'a Customers>,
    /// The contact records' figures.
    pub contacts: Option<&'a Contacts>,
}

/// The sections in `format`; the CSV format holds the survey's table only (the caller refuses
/// the others there).
pub fn render(sections: &Sections<'_>, settings: &Settings<'_>, format: Format) -> String {
    match format {
        Format::Table => {
            let mut parts = Vec::new();
            if let Some(report) = sections.survey {
                parts.push(table::render(report, settings));
            }
            if let Some(customers) = sections.customers {
                let mut out = String::new();
                table::customers(&mut out, customers, settings);
                parts.push(out);
            }
            if let Some(contacts) = sections.contacts {
                let mut out = String::new();
                contacts::render(&mut out, contacts, sections.customers, settings);
                parts.push(out);
            }
            parts.join("\n")
        }
        Format::Json => json::render(sections, settings),
        Format::Csv => sections.survey.map(|r| csv::render(r, settings)).unwrap_or_default(),
    }
}

/// `x` with `digits` decimals, never `-0.0`: a value that rounds to zero is printed as zero.
pub(crate) fn fixed(x: f64, digits: usize) -> String {
    let text = format!("{x:.digits$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_owned(),
        _ => text,
    }
}

/// A fraction as a percentage for people: 0.95 as "95", 0.995 as "99.5".
fn percent(fraction: f64) -> String {
    let text = format!("{:.6}", fraction * 100.0);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn percentages() {
        assert_eq!(super::percent(0.95), "95");
        assert_eq!(super::percent(1.0 - 0.95), "5");
        assert_eq!(super::percent(0.995), "99.5");
        assert_eq!(super::percent(0.9), "90");
    }
}
