//! Computes the report through cxm-core: the NPS and its interval overall and per segment, and
//! each period against the one before with [`compare_nps`]. No formula lives here; what this
//! module adds is where a refused value is in the file.

use cxm_core::{
    compare_nps, nps, rolling, segment_table_within, Comparison, Error, Interval, Missing, Nps,
    NpsMethod, NpsState, ScoreState, SegmentOptions, State,
};

use crate::error::{DataError, Failure};
use crate::group;
use crate::read::{Labels, Survey};

/// What the user asked for.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    /// The file, as named on the command line.
    pub file: &'a str,
    /// The score column.
    pub score: &'a str,
    /// The weight column, if any.
    pub weight: Option<&'a str>,
    /// The period column, if any (one of the survey's label columns).
    pub period: Option<&'a str>,
    /// Confidence level of every interval.
    pub level: f64,
    /// Interval method of every NPS.
    pub method: NpsMethod,
    /// Method of the period-over-period comparisons.
    pub compare_method: NpsMethod,
    /// What a blank score means.
    pub missing: Missing,
    /// Trailing windows of this many periods, in place of single periods.
    pub rolling: Option<usize>,
    /// Segments with fewer responses are flagged small.
    pub min_n: u64,
}

/// An NPS and its interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The core's result.
    pub nps: Nps,
    /// Its interval at the report's level, by the report's method.
    pub interval: Interval,
}

/// The NPS of the rows with one value of one column.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The column.
    pub column: String,
    /// Its value.
    pub value: String,
    /// The NPS of those rows, or why there is none (e.g. every score blank and skipped): an
    /// empty segment is reported as empty, not fatal to the report.
    pub estimate: Result<Estimate, String>,
    /// The segment against the rest of the data, its p-value adjusted (Holm) over the column's
    /// segments; `None` where there is no comparison.
    pub versus_rest: Option<Versus>,
    /// Why the segment is too small to trust (fewer than the minimum responses, or an interval
    /// that degenerates); `None` when it is not.
    pub small: Option<String>,
}

/// A segment against the rest of the data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Versus {
    /// The segment's NPS minus the rest's, in points.
    pub difference: f64,
    /// Its two-sided p-value.
    pub p_value: f64,
    /// Adjusted for the number of segments of the column (Holm).
    pub p_adjusted: f64,
}

/// One period against the one before it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The period column.
    pub column: String,
    /// The earlier period.
    pub from: String,
    /// The later period.
    pub to: String,
    /// Later minus earlier, by the core; or why there is none (a period with no estimate).
    pub comparison: Result<Comparison, String>,
}

/// Everything the renderers print.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Data rows in the file.
    pub rows: usize,
    /// Whether every NPS is weighted.
    pub weighted: bool,
    /// All responses.
    pub overall: Estimate,
    /// Per value of each label column (the period first), in label order.
    pub segments: Vec<Segment>,
    /// Each period against the one before, in label order.
    pub changes: Vec<Change>,
}

/// Computes the report of `survey`.
///
/// # Errors
/// A bad score or weight as [`Failure::Data`] naming its line and column (the whole file is
/// checked by the core in the overall NPS, before any segment); an unusable level or method as
/// [`Failure::Usage`]. A segment with nothing to score is reported empty, not refused.
pub fn report(survey: &Survey, settings: &Settings<'_>) -> Result<Report, Failure> {
    let overall = nps(&survey.scores, survey.weights.as_deref(), settings.missing)
        .map_err(|e| locate(&e, survey, settings))?;
    let overall = estimate(overall, settings)
        .map_err(|e| refused(&e, DataError::new(settings.file, e.to_string())))?;

    let mut segments = Vec::new();
    let mut changes = Vec::new();
    for labels in &survey.labels {
        let groups = segment(survey, labels, settings)?;
        if Some(labels.column.as_str()) == settings.period {
            changes = compare(&labels.column, &groups, settings)?;
        }
        segments.extend(groups);
    }
    Ok(Report {
        rows: survey.scores.len(),
        weighted: survey.weights.is_some(),
        overall,
        segments,
        changes,
    })
}

fn estimate(result: Nps, settings: &Settings<'_>) -> Result<Estimate, Error> {
    let interval = result.confidence_interval(settings.level, settings.method)?;
    Ok(Estimate { nps: result, interval })
}

/// The NPS of each value of `labels`, from one pass over the scores by the core's grouping,
/// each against the rest with Holm-adjusted p-values; the period column's values as trailing
/// windows with `--rolling`.
fn segment(
    survey: &Survey,
    labels: &Labels,
    settings: &Settings<'_>,
) -> Result<Vec<Segment>, Failure> {
    let values: Vec<&str> = group::by_label(&labels.values).into_keys().collect();
    let codes: Vec<u32> = labels
        .values
        .iter()
        .map(|v| values.binary_search(&v.as_str()).map_or(0, |i| u32::try_from(i).unwrap_or(0)))
        .collect();
    let weights = survey.weights.as_deref();
    let mut states = NpsState::new()
        .by_group(&survey.scores, weights, &codes, values.len(), settings.missing)
        .map_err(|e| locate(&e, survey, settings))?;
    // Every response once, before any trailing windows overlap them.
    let mut all = NpsState::new();
    for state in &states {
        all.merge(state).map_err(|e| Failure::Usage(e.to_string()))?;
    }
    let is_period = Some(labels.column.as_str()) == settings.period;
    if let (true, Some(window)) = (is_period, settings.rolling) {
        states = rolling(&states, window).map_err(|e| Failure::Usage(e.to_string()))?;
    }
    let options = SegmentOptions {
        level: settings.level,
        min_n: settings.min_n,
        ..SegmentOptions::default()
    };
    let table = segment_table_within(&states, &all, &options, settings.method)
        .map_err(|e| refused(&e, DataError::new(settings.file, e.to_string())))?;
    let mut rows = table.rows.iter().peekable();
    values
        .iter()
        .zip(&states)
        .enumerate()
        .map(|(g, (value, state))| {
            let row = rows.next_if(|r| r.group == Some(g));
            let estimate = match state.finish().and_then(|result| estimate(result, settings)) {
                Ok(estimate) => Ok(estimate),
                // Nothing to estimate here (every score blank, or every weight 0): the segment
                // is empty, which the report says; the rest of the report stands.
                Err(e @ (Error::Empty | Error::ZeroTotalWeight)) => Err(e.to_string()),
                Err(e) => {
                    let message = format!("the rows with {value:?}: {e}");
                    let data = DataError::new(settings.file, message).in_column(&labels.column);
                    return Err(refused(&e, data));
                }
            };
            let versus_rest = row.filter(|r| !r.p_value.is_nan()).map(|r| Versus {
                difference: r.difference,
                p_value: r.p_value,
                p_adjusted: r.p_adjusted,
            });
            let small = row.filter(|r| r.small && estimate.is_ok()).and_then(|r| r.note.clone());
            Ok(Segment {
                column: labels.column.clone(),
                value: (*value).to_owned(),
                estimate,
                versus_rest,
                small,
            })
        })
        .collect()
}

/// Each period of `periods` (in label order) against the one before it; with `--rolling N`,
/// each trailing window against the one N periods before, which it does not overlap (windows
/// that share responses are not independent samples).
fn compare(
    column: &str,
    periods: &[Segment],
    settings: &Settings<'_>,
) -> Result<Vec<Change>, Failure> {
    let lag = settings.rolling.unwrap_or(1);
    (lag..periods.len())
        .map(|to| {
            let (before, after) = (&periods[to - lag], &periods[to]);
            let comparison = match (&after.estimate, &before.estimate) {
                (Ok(a), Ok(b)) => {
                    Ok(compare_nps(&a.nps, &b.nps, settings.level, settings.compare_method)
                        .map_err(|e| {
                            let message =
                                format!("--compare-method {}: {e}", settings.compare_method.name());
                            refused(&e, DataError::new(settings.file, message).in_column(column))
                        })?)
                }
                (Err(reason), _) => Err(format!("no estimate for {:?}: {reason}", after.value)),
                (_, Err(reason)) => Err(format!("no estimate for {:?}: {reason}", before.value)),
            };
            Ok(Change {
                column: column.to_owned(),
                from: before.value.clone(),
                to: after.value.clone(),
                comparison,
            })
        })
        .collect()
}

/// An error of the core about the options rather than the data is bad usage; anything else is
/// `data`.
pub fn refused(error: &Error, data: DataError) -> Failure {
    match error {
        Error::InvalidLevel { .. }
        | Error::UnsupportedMethod { .. }
        | Error::InvalidSimulationSize { .. }
        | Error::InvalidPrior { .. }
        | Error::UnknownName { .. } => Failure::Usage(data.message),
        _ => Failure::Data(data),
    }
}

/// The core's verdict on one response, moved from its index in the input to its line and
/// column in the file. The core's fields (value, scale) are kept; "at index" becomes the line.
fn locate(error: &Error, survey: &Survey, settings: &Settings<'_>) -> Failure {
    let file = settings.file;
    let at = |index: usize, column: &str, message: String| {
        DataError::new(file, message).at_line(survey.lines[index]).in_column(column)
    };
    let located = match error {
        Error::ScoreOutOfRange { index, value, min, max } => {
            at(*index, settings.score, format!("score {value} is outside {min}..={max}"))
        }
        Error::NotWholeScore { index, value } => {
            at(*index, settings.score, format!("score {value} is not a whole number"))
        }
        Error::MissingScore { index } => at(
            *index,
            settings.score,
            "the score is missing (blank or a marker such as NA), and missing scores are rejected (--missing skip leaves them out)"
                .to_owned(),
        ),
        Error::InvalidWeight { index, value } => at(
            *index,
            settings.weight.unwrap_or_default(),
            format!("weight {value} is not a finite, non-negative number"),
        ),
        _ => return refused(error, DataError::new(file, error.to_string())),
    };
    Failure::Data(located)
}
