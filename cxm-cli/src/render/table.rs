//! The aligned text table for people, and one sentence per period-over-period change. An NPS is
//! in points; a rating's favourable share, its standard error and interval in percent, and a
//! change of shares in percentage points.

use std::fmt::Write as _;

use super::{fixed, percent};
use crate::compute::{Change, Estimate, Metric, Report, Segment, Settings};
use crate::customers::Customers;

/// A row of the table: its label, its estimate (or why none), and its segment (none for all).
type Row<'a> = (String, &'a Result<Estimate, String>, Option<&'a Segment>);

/// A label on one line of the table: a line break inside a quoted field is shown as `\n`.
fn one_line(label: &str) -> String {
    label.replace('\r', "\\r").replace('\n', "\\n")
}

/// A number with up to two decimals, trailing zeros trimmed: Kish's n of 3.33 is `3.33`, not 3.
fn short(x: f64) -> String {
    let text = fixed(x, 2);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_owned()
}

/// The metric's name, and for a rating its favourable answers and scale: `NPS`,
/// `CSAT (share of 4-5 on 1-5)`.
fn title(metric: &Metric) -> String {
    match metric {
        Metric::Nps { .. } => "NPS".to_owned(),
        Metric::Rating { kind, scale, .. } => {
            let (low, high) = if scale.higher_is_better() {
                (scale.threshold(), scale.max())
            } else {
                (scale.min(), scale.threshold())
            };
            let favourable = if low == high { low.to_string() } else { format!("{low}-{high}") };
            format!("{} (share of {favourable} on {}-{})", kind.label(), scale.min(), scale.max())
        }
    }
}

/// A fraction in percent with one decimal and the sign: `81.3%`.
fn in_percent(fraction: f64) -> String {
    format!("{}%", fixed(fraction * 100.0, 1))
}

pub fn render(report: &Report, settings: &Settings<'_>) -> String {
    let level = percent(settings.level);
    let skipped = report.rows - usize::try_from(report.overall.figure.n).unwrap_or(report.rows);
    let scored = report.overall.figure.n;
    let plural = if scored == 1 { "" } else { "s" };
    let rating = matches!(settings.metric, Metric::Rating { .. });
    let mut out =
        format!("{} of {scored} response{plural} in {}", title(&settings.metric), settings.file);
    if skipped > 0 {
        let plural = if skipped == 1 { "" } else { "s" };
        let _ = write!(out, " ({} rows, {skipped} missing score{plural} skipped)", report.rows);
    }
    if let Some(weight) = settings.weight {
        let _ = write!(out, ", weighted by {weight:?}");
    }
    let _ = write!(out, "; {level}% intervals, {}", settings.metric.method_name());
    if let (Some(period), Some(window)) = (settings.period, settings.rolling) {
        let _ = write!(out, "; {period} rows are trailing windows of {window} periods");
    }
    out.push('\n');
    // A period's label, as the window that ends with it under --rolling.
    let windows: std::collections::HashMap<&str, &str> = report
        .segments
        .iter()
        .filter_map(|s| Some((s.value.as_str(), s.window_start.as_deref()?)))
        .filter(|(end, start)| end != start)
        .collect();
    let period = |value: &str| match windows.get(value) {
        Some(start) => format!("{}..{}", one_line(start), one_line(value)),
        None => one_line(value),
    };

    let overall = Ok(report.overall);
    let rows: Vec<Row<'_>> = std::iter::once(("all".to_owned(), &overall, None))
        .chain(report.segments.iter().map(|s| {
            let value =
                if s.window_start.is_some() { period(&s.value) } else { one_line(&s.value) };
            (format!("{}: {value}", s.column), &s.estimate, Some(s))
        }))
        .collect();
    let width = rows.iter().map(|(label, ..)| label.chars().count()).max().unwrap_or(0).max(20) + 2;
    let _ = write!(out, "{:<width$}{:>6}", "segment", "n");
    if report.weighted {
        let _ = write!(out, "{:>8}", "Kish n");
    }
    if let Metric::Rating { kind, .. } = settings.metric {
        let _ =
            writeln!(out, "{:>7}{:>7}  {level}% interval  p vs rest (Holm)", kind.label(), "SE");
    } else {
        let _ = writeln!(out, "{:>7}{:>6}  {level}% interval  p vs rest (Holm)", "NPS", "SE");
    }
    for (label, estimate, segment) in rows {
        let estimate = match estimate {
            Ok(estimate) => estimate,
            Err(reason) => {
                let _ = write!(out, "{label:<width$}{:>6}", 0);
                if report.weighted {
                    let _ = write!(out, "{:>8}", 0);
                }
                let _ = writeln!(out, "{:>7}  {reason}", "-");
                continue;
            }
        };
        let f = &estimate.figure;
        let _ = write!(out, "{label:<width$}{:>6}", f.n);
        if report.weighted {
            let _ = write!(out, "{:>8}", short(f.effective_n));
        }
        if rating {
            let _ = write!(
                out,
                "{:>7}{:>7}  [{:>6}, {:>6}]",
                in_percent(f.estimate),
                in_percent(f.standard_error),
                in_percent(f.interval.lower),
                in_percent(f.interval.upper)
            );
        } else {
            let _ = write!(
                out,
                "{:>7}{:>6}  [{:>5}, {:>5}]",
                fixed(f.estimate, 1),
                fixed(f.standard_error, 1),
                fixed(f.interval.lower, 1),
                fixed(f.interval.upper, 1)
            );
        }
        if let Some(versus) = segment.and_then(|s| s.versus_rest) {
            let _ = write!(out, "  {:>5.3}", versus.p_adjusted);
        }
        if let Some(why) = segment.and_then(|s| s.small.as_deref()) {
            let _ = write!(out, "  small: {why}");
        }
        out.push('\n');
    }
    if !report.changes.is_empty() {
        out.push('\n');
    }
    for change in &report.changes {
        sentence(&mut out, change, (&period(&change.from), &period(&change.to)), &level, rating);
    }
    out
}

/// `2026-Q2 -> 2026-Q3: -0.7 points (95% CI -7.3 to 6.0), two-sided p = 0.847: no evidence of a
/// change`; for a rating's share (a fraction) in percentage points.
fn sentence(
    out: &mut String,
    change: &Change,
    (from, to): (&str, &str),
    level: &str,
    rating: bool,
) {
    let c = match &change.comparison {
        Ok(c) => c,
        Err(reason) => {
            let _ = writeln!(out, "{from} -> {to}: no comparison, {reason}");
            return;
        }
    };
    let alpha = 1.0 - c.level;
    let verdict = if c.p_value < alpha {
        format!("a real change at the {}% level", percent(alpha))
    } else {
        "no evidence of a change".to_owned()
    };
    let (scale, unit) = if rating { (100.0, "percentage points") } else { (1.0, "points") };
    let _ = writeln!(
        out,
        "{from} -> {to}: {} {unit} ({level}% CI {} to {}), two-sided p = {:.3}: {verdict}",
        // A sign always, but never on zero.
        match fixed(c.estimate * scale, 1) {
            zero if zero.chars().all(|ch| ch == '0' || ch == '.') => zero,
            text if text.starts_with('-') => text,
            text => format!("+{text}"),
        },
        fixed(c.interval.lower * scale, 1),
        fixed(c.interval.upper * scale, 1),
        c.p_value
    );
}

/// The customers over their window: counts, churn on both bases and by exposure, retention,
/// the revenue view and NCVG. Money is in the file's minor units, shown as units with cents.
pub fn customers(out: &mut String, c: &Customers, settings: &Settings<'_>) {
    let level = percent(settings.level);
    // A share in percent, and the same with its sign for a headline value; a ratio with no
    // defined value (all values 0) is "n/a", never "NaN%".
    let pct = |fraction: f64| {
        if fraction.is_finite() {
            fixed(fraction * 100.0, 1)
        } else {
            "n/a".to_owned()
        }
    };
    let percent_of = |fraction: f64| {
        if fraction.is_finite() {
            format!("{}%", pct(fraction))
        } else {
            pct(fraction)
        }
    };
    let f = &c.flow;
    // Minor units as units: cents (2 decimals) by default, or the --value-scale decimals read.
    let decimals = if c.value_scale == 0 { 2 } else { c.value_scale };
    let unit = 10_i64.pow(decimals);
    let money = |minor: i64| {
        format!(
            "{}{}.{:0width$}",
            if minor < 0 { "-" } else { "" },
            (minor / unit).abs(),
            (minor % unit).abs(),
            width = decimals as usize
        )
    };
    let _ = writeln!(
        out,
        "Customers in {}, {} to {}: {} at the start, {} at the end, {} gained, {} lost",
        c.file, c.window.0, c.window.1, f.customers_at_start, f.customers_at_end, f.gained, f.lost
    );
    for (label, (churn, ci, method)) in [("start", &c.start), ("average", &c.average)] {
        let _ = writeln!(
            out,
            "churn on the {label} basis: {} ({level}% CI {} to {}, {})",
            percent_of(churn.rate),
            pct(ci.lower),
            pct(ci.upper),
            method.name()
        );
    }
    let (ci, method, annual) = &c.exposure;
    let _ = write!(
        out,
        "churn by exposure: {} per customer-month over {:.1} customer-months ({level}% CI {} to {}, {})",
        percent_of(f.churn_by_exposure),
        f.exposure_months,
        pct(ci.lower),
        pct(ci.upper),
        method.name()
    );
    if let Some(annual) = annual {
        let _ = write!(out, "; {} a year at that monthly rate", percent_of(*annual));
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "retention: {} of the customers at the start",
        percent_of(c.start.0.retention)
    );
    if f.has_values {
        let _ = writeln!(
            out,
            "revenue: NRR {}, GRR {}, gross revenue churn {}; expansion {}, contraction {}, lost {} of {} a month",
            percent_of(f.net_revenue_retention),
            percent_of(f.gross_revenue_retention),
            percent_of(f.gross_revenue_churn),
            money(f.expansion),
            money(f.contraction),
            money(f.lost_value),
            money(f.value_at_start)
        );
    }
    let g = &c.ncvg;
    let _ = write!(
        out,
        "NCVG: {:+} customers ({} new - {} lost)",
        g.net_count, g.new_count, g.lost_count
    );
    if f.has_values {
        let (net, new, lost) = (money(g.net_value), money(g.new_value), money(g.lost_value));
        let _ = write!(out, ", {net} in value a month ({new} - {lost})");
    }
    out.push('\n');
}
