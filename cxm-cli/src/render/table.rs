//! The aligned text table for people, and one sentence per period-over-period change.

use std::fmt::Write as _;

use super::percent;
use crate::compute::{Change, Estimate, Report, Settings};

pub fn render(report: &Report, settings: &Settings<'_>) -> String {
    let level = percent(settings.level);
    let skipped = report.rows - usize::try_from(report.overall.nps.n).unwrap_or(report.rows);
    let mut out = format!("NPS of {} responses in {}", report.rows, settings.file);
    if skipped > 0 {
        let plural = if skipped == 1 { "" } else { "s" };
        let _ = write!(out, " ({skipped} blank score{plural} skipped)");
    }
    if let Some(weight) = settings.weight {
        let _ = write!(out, ", weighted by {weight:?}");
    }
    let _ = writeln!(out, "; {level}% intervals, {}", settings.method.name());

    let rows: Vec<(String, &Estimate)> = std::iter::once(("all".to_owned(), &report.overall))
        .chain(report.segments.iter().map(|s| (format!("{}: {}", s.column, s.value), &s.estimate)))
        .collect();
    let width = rows.iter().map(|(label, _)| label.chars().count()).max().unwrap_or(0).max(20) + 2;
    let _ = write!(out, "{:<width$}{:>6}", "segment", "n");
    if report.weighted {
        let _ = write!(out, "{:>8}", "Kish n");
    }
    let _ = writeln!(out, "{:>7}{:>6}  {level}% interval", "NPS", "SE");
    for (label, estimate) in rows {
        let nps = &estimate.nps;
        let _ = write!(out, "{label:<width$}{:>6}", nps.n);
        if report.weighted {
            let _ = write!(out, "{:>8.0}", nps.effective_n);
        }
        let _ = writeln!(
            out,
            "{:>7.1}{:>6.1}  [{:>5.1}, {:>5.1}]",
            nps.score, nps.standard_error, estimate.interval.lower, estimate.interval.upper
        );
    }
    for change in &report.changes {
        out.push('\n');
        sentence(&mut out, change, &level);
    }
    out
}

/// `2026-Q2 -> 2026-Q3: -0.7 points (95% CI -7.3 to 6.0), two-sided p = 0.847: no evidence of a
/// change`.
fn sentence(out: &mut String, change: &Change, level: &str) {
    let c = &change.comparison;
    let alpha = 1.0 - c.level;
    let verdict = if c.p_value < alpha {
        format!("a real change at the {}% level", percent(alpha))
    } else {
        "no evidence of a change".to_owned()
    };
    let _ = writeln!(
        out,
        "{} -> {}: {:+.1} points ({level}% CI {:.1} to {:.1}), two-sided p = {:.3}: {verdict}",
        change.from, change.to, c.estimate, c.interval.lower, c.interval.upper, c.p_value
    );
}
