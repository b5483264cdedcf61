//! The main job: read a CSV of survey responses and print the NPS with its intervals, overall,
//! weighted, and by region and channel.
//!
//! ```text
//! cargo run --release -p cxm-core --example nps_report [-- path/to/survey.csv]
//! ```
//!
//! The CSV needs the column `score` (0–10, blank = missing) and may have `weight`, `region`
//! and `channel`; plain comma-separated values without quoting.

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::Write as _;

use cxm_core::{nps, Missing, Nps, NpsMethod};

const DEFAULT_DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/survey.csv");

struct Survey {
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Survey {
    fn read(path: &str) -> Result<Survey, Box<dyn Error>> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        let mut lines = text.lines();
        let header = lines.next().ok_or_else(|| format!("{path}: empty file"))?;
        let columns = header.split(',').map(|c| c.trim().to_owned()).collect();
        let rows = lines
            .filter(|line| !line.trim().is_empty())
            .map(|line| line.split(',').map(|cell| cell.trim().to_owned()).collect())
            .collect();
        Ok(Survey { columns, rows })
    }

    fn column(&self, name: &str) -> Option<Vec<&str>> {
        let index = self.columns.iter().position(|c| c == name)?;
        Some(self.rows.iter().map(|row| row.get(index).map_or("", String::as_str)).collect())
    }
}

/// Blank cells are missing (NaN); anything else must be a number, or its line is named.
fn numbers(cells: &[&str], column: &str) -> Result<Vec<f64>, String> {
    cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            if cell.is_empty() {
                Ok(f64::NAN)
            } else {
                cell.parse()
                    .map_err(|_| format!("line {}: {column} {cell:?} is not a number", i + 2))
            }
        })
        .collect()
}

fn row(label: &str, result: &Nps) -> Result<String, cxm_core::Error> {
    let mut line =
        format!("{label:<24}{:>6}{:>7.1}{:>6.1}", result.n, result.score, result.standard_error);
    for method in [NpsMethod::Wald, NpsMethod::AdjustedWald, NpsMethod::Score] {
        let ci = result.confidence_interval(0.95, method)?;
        let _ = write!(line, "  [{:>5.1}, {:>5.1}]", ci.lower, ci.upper);
    }
    Ok(line)
}

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| DEFAULT_DATA.to_owned());
    let survey = Survey::read(&path)?;
    let scores = numbers(&survey.column("score").ok_or("no `score` column")?, "score")?;
    let missing = scores.iter().filter(|s| s.is_nan()).count();

    println!("NPS of {} responses ({missing} missing, skipped); 95% intervals", scores.len());
    println!(
        "{:<24}{:>6}{:>7}{:>6}  {:<14}  {:<14}  {:<14}",
        "segment", "n", "NPS", "SE", "Wald", "adjusted Wald", "score"
    );
    println!("{}", row("all", &nps(&scores, None, Missing::Skip)?)?);
    if let Some(weights) = survey.column("weight") {
        let weighted = nps(&scores, Some(&numbers(&weights, "weight")?), Missing::Skip)?;
        println!("{}  Kish n = {:.0}", row("all, weighted", &weighted)?, weighted.effective_n);
    }
    for segment in ["region", "channel"] {
        let Some(labels) = survey.column(segment) else {
            continue;
        };
        let mut groups: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for (label, &score) in labels.iter().zip(&scores) {
            groups.entry(label).or_default().push(score);
        }
        for (label, group) in groups {
            println!(
                "{}",
                row(&format!("{segment}: {label}"), &nps(&group, None, Missing::Skip)?)?
            );
        }
    }
    Ok(())
}
