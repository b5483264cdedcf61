//! Writes a computed report as text: an aligned table, JSON or CSV. Nothing here computes; the
//! whole output is built in memory, so a failure can never leave half a report on stdout.

mod csv;
mod json;
mod table;

use crate::args::Format;
use crate::compute::{Report, Settings};
use crate::customers::Customers;

/// `report` in `format`, with the customers' section in the table and JSON formats.
pub fn render(
    report: &Report,
    customers: Option<&Customers>,
    settings: &Settings<'_>,
    format: Format,
) -> String {
    match format {
        Format::Table => {
            let mut out = table::render(report, settings);
            if let Some(customers) = customers {
                out.push('\n');
                table::customers(&mut out, customers, settings);
            }
            out
        }
        Format::Json => json::render(report, customers, settings),
        Format::Csv => csv::render(report, settings),
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
