//! One CSV table: a row per estimate (`kind` = the metric, `nps`, `csat` or `ces`) and per
//! period-over-period change (`kind` = `change`); the columns are in docs/cli.md. A rating's
//! row leaves the NPS categories blank and gives its favourable count and mean instead; its
//! estimate is the favourable share, a fraction. With `--rolling`, a period's row is a trailing
//! window, whose first period is in `window_start`.

use crate::compute::{Estimate, Outcome, Report, Settings};

const HEADER: [&str; WIDTH] = [
    "kind",
    "column",
    "value",
    "from",
    "n",
    "effective_n",
    "promoters",
    "passives",
    "detractors",
    "estimate",
    "standard_error",
    "lower",
    "upper",
    "p_value",
    "level",
    "method",
    "p_adjusted",
    "small",
    "favourable",
    "mean",
    "window_start",
];

const WIDTH: usize = 21;

/// A row with `kind`, `column`, `value`, `from` and `n` only, the rest blank but the level and
/// method when given: a segment with no estimate (n = 0), a change with no comparison.
fn sparse_row(first: [&str; 5], settings: Option<&Settings<'_>>) -> [String; WIDTH] {
    let mut row: [String; WIDTH] = Default::default();
    for (cell, value) in row.iter_mut().zip(first) {
        value.clone_into(cell);
    }
    if let Some(settings) = settings {
        row[14] = settings.level.to_string();
        settings.metric.method_name().clone_into(&mut row[15]);
    }
    row
}

fn estimate_row(
    column: &str,
    value: &str,
    e: &Estimate,
    settings: &Settings<'_>,
) -> [String; WIDTH] {
    let f = &e.figure;
    let [promoters, passives, detractors] = match &e.outcome {
        Outcome::Nps(n) => [n.promoters, n.passives, n.detractors].map(|c| c.to_string()),
        Outcome::Rating(_) => Default::default(),
    };
    let [favourable, mean] = match &e.outcome {
        Outcome::Nps(_) => Default::default(),
        Outcome::Rating(r) => [r.favourable.to_string(), r.mean.to_string()],
    };
    [
        settings.metric.name().to_owned(),
        column.to_owned(),
        value.to_owned(),
        String::new(),
        f.n.to_string(),
        f.effective_n.to_string(),
        promoters,
        passives,
        detractors,
        f.estimate.to_string(),
        f.standard_error.to_string(),
        f.interval.lower.to_string(),
        f.interval.upper.to_string(),
        String::new(),
        settings.level.to_string(),
        settings.metric.method_name().to_owned(),
        String::new(),
        String::new(),
        favourable,
        mean,
        String::new(),
    ]
}

pub fn render(report: &Report, settings: &Settings<'_>) -> String {
    let kind = settings.metric.name();
    let mut rows = vec![estimate_row("", "", &report.overall, settings)];
    rows.extend(report.segments.iter().map(|s| match &s.estimate {
        Ok(estimate) => {
            let mut row = estimate_row(&s.column, &s.value, estimate, settings);
            // The segment against the rest: its p-value, Holm-adjusted p-value and flag.
            if let Some(versus) = s.versus_rest {
                row[13] = versus.p_value.to_string();
                row[16] = versus.p_adjusted.to_string();
            }
            row[17] = u8::from(s.small.is_some()).to_string();
            row
        }
        Err(_) => sparse_row([kind, &s.column, &s.value, "", "0"], Some(settings)),
    }));
    for (row, s) in rows[1..].iter_mut().zip(&report.segments) {
        row[20] = s.window_start.clone().unwrap_or_default();
    }
    rows.extend(report.changes.iter().map(|change| {
        let Ok(c) = &change.comparison else {
            return sparse_row(["change", &change.column, &change.to, &change.from, ""], None);
        };
        [
            "change".to_owned(),
            change.column.clone(),
            change.to.clone(),
            change.from.clone(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            c.estimate.to_string(),
            String::new(),
            c.interval.lower.to_string(),
            c.interval.upper.to_string(),
            c.p_value.to_string(),
            c.level.to_string(),
            c.method.name().to_owned(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]
    }));
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(HEADER);
    for row in &rows {
        let _ = writer.write_record(row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
