//! The main job: read a CSV of survey responses and print the NPS with its intervals, overall,
//! weighted, and by quarter, region and channel; then whether it really changed from one
//! quarter to the next.
//!
//! ```text
//! cargo run --release -p cxm-core --example nps_report [-- path/to/survey.csv]
//! ```
//!
//! The CSV needs the column `score` (0–10, blank = missing) and may have `weight`, `quarter`,
//! `region` and `channel`; plain comma-separated values without quoting. Quarters are compared
//! in the order their labels sort.

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::Write as _;

use cxm_core::{compare_nps, nps, Missing, Nps, NpsMethod};

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

/// The NPS of each value of `column`, in label order; None when the survey lacks the column.
fn segments(
    survey: &Survey,
    column: &str,
    scores: &[f64],
) -> Result<Option<BTreeMap<String, Nps>>, cxm_core::Error> {
    let Some(labels) = survey.column(column) else {
        return Ok(None);
    };
    let mut groups: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for (label, &score) in labels.iter().zip(scores) {
        groups.entry(label).or_default().push(score);
    }
    let results = groups
        .into_iter()
        .map(|(label, group)| Ok((label.to_owned(), nps(&group, None, Missing::Skip)?)))
        .collect::<Result<_, cxm_core::Error>>()?;
    Ok(Some(results))
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
    for column in ["quarter", "region", "channel"] {
        for (label, result) in segments(&survey, column, &scores)?.unwrap_or_default() {
            println!("{}", row(&format!("{column}: {label}"), &result)?);
        }
    }

    // Did it really change? Each quarter against the one before, adjusted Wald (Rocks 2016).
    let quarters: Vec<_> =
        segments(&survey, "quarter", &scores)?.unwrap_or_default().into_iter().collect();
    for pair in quarters.windows(2) {
        let ((before, earlier), (after, later)) = (&pair[0], &pair[1]);
        let change = compare_nps(later, earlier, 0.95, NpsMethod::AdjustedWald)?;
        println!(
            "\n{before} -> {after}: {:+.1} points (95% CI {:.1} to {:.1}), two-sided p = {:.3}: {}",
            change.estimate,
            change.interval.lower,
            change.interval.upper,
            change.p_value,
            if change.p_value < 0.05 {
                "a real change at the 5% level"
            } else {
                "no evidence of a change"
            }
        );
    }
    Ok(())
}
