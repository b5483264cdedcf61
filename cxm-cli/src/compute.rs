//! Computes the report through cxm-core: the metric (NPS, or a rating's favourable share) and
//! its interval overall and per segment, and each period against the one before ([`compare_nps`]
//! for NPS, the core's two-proportion comparison for ratings). One generic path serves every
//! metric: any state the core can segment ([`Segmented`]). No formula lives here; what this
//! module adds is where a refused value is in the file.

use cxm_core::{
    compare_nps, merged, rolling, segment_table_within, Comparison, Error, Figure, Missing, Nps,
    NpsMethod, NpsState, ProportionMethod, Rating, RatingState, Scale, ScoreState, SegmentOptions,
    Segmented, State,
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
    /// The metric, with its scale and methods.
    pub metric: Metric,
    /// What a blank score means.
    pub missing: Missing,
    /// Trailing windows of this many periods, in place of single periods.
    pub rolling: Option<usize>,
    /// Segments with fewer responses are flagged small.
    pub min_n: u64,
}

/// The metric computed, with its options; every default was the core's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Metric {
    /// The NPS.
    Nps {
        /// Interval method of every NPS.
        method: NpsMethod,
        /// Method of the period-over-period comparisons.
        compare_method: NpsMethod,
    },
    /// A rating's favourable share (CSAT or CES).
    Rating {
        /// Which one, for its name.
        kind: RatingKind,
        /// The scale and its favourable answers.
        scale: Scale,
        /// Interval method of every share.
        method: ProportionMethod,
    },
}

impl Metric {
    /// The name of the metric, as `--metric` and the CSV's `kind` spell it.
    pub fn name(&self) -> &'static str {
        match self {
            Metric::Nps { .. } => "nps",
            Metric::Rating { kind: RatingKind::Csat, .. } => "csat",
            Metric::Rating { kind: RatingKind::Ces, .. } => "ces",
        }
    }

    /// The interval method's name.
    pub fn method_name(&self) -> &'static str {
        match self {
            Metric::Nps { method, .. } => method.name(),
            Metric::Rating { method, .. } => method.name(),
        }
    }
}

/// Which rating a [`Metric::Rating`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatingKind {
    /// Customer satisfaction.
    Csat,
    /// Customer effort.
    Ces,
}

impl RatingKind {
    /// The core's scale for this rating.
    pub fn default_scale(self) -> Scale {
        match self {
            RatingKind::Csat => Scale::csat(),
            RatingKind::Ces => Scale::ces(),
        }
    }

    /// The name for people: `CSAT`, `CES`.
    pub fn label(self) -> &'static str {
        match self {
            RatingKind::Csat => "CSAT",
            RatingKind::Ces => "CES",
        }
    }
}

/// The core's result of one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    /// An NPS.
    Nps(Nps),
    /// A rating.
    Rating(Rating),
}

/// A result and its figure: the estimate, its standard error and its interval at the report's
/// level, by the report's method, as the core gives them ([`Segmented::estimate`]). For NPS in
/// points; for a rating the favourable share, as a fraction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The core's result.
    pub outcome: Outcome,
    /// Its estimate and interval.
    pub figure: Figure,
}

/// What the report needs of a metric's state beyond [`Segmented`]: its result for the
/// renderers, and the period-over-period comparison (`--compare-method` for NPS).
pub trait Reported: Segmented + ScoreState {
    /// The result, for the renderers.
    fn outcome(result: &Self::Output) -> Outcome;

    /// `a − b`, by the core.
    ///
    /// # Errors
    /// The core's, with the option to blame in words, when it refuses.
    fn compare_periods(
        a: &Self::Output,
        b: &Self::Output,
        settings: &Settings<'_>,
        method: Self::Method,
    ) -> Result<Comparison, (Error, String)>;
}

impl Reported for NpsState {
    fn outcome(result: &Nps) -> Outcome {
        Outcome::Nps(*result)
    }

    fn compare_periods(
        a: &Nps,
        b: &Nps,
        settings: &Settings<'_>,
        _method: NpsMethod,
    ) -> Result<Comparison, (Error, String)> {
        let compare_method = match settings.metric {
            Metric::Nps { compare_method, .. } => compare_method,
            Metric::Rating { .. } => NpsMethod::default(),
        };
        compare_nps(a, b, settings.level, compare_method).map_err(|e| {
            let message = format!("--compare-method {}: {e}", compare_method.name());
            (e, message)
        })
    }
}

impl Reported for RatingState {
    fn outcome(result: &Rating) -> Outcome {
        Outcome::Rating(*result)
    }

    fn compare_periods(
        a: &Rating,
        b: &Rating,
        settings: &Settings<'_>,
        method: ProportionMethod,
    ) -> Result<Comparison, (Error, String)> {
        <RatingState as Segmented>::compare(a, b, settings.level, method).map_err(|e| {
            let message = e.to_string();
            (e, message)
        })
    }
}

/// The metric of the rows with one value of one column.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The column.
    pub column: String,
    /// Its value.
    pub value: String,
    /// The metric of those rows, or why there is none (e.g. every score blank and skipped): an
    /// empty segment is reported as empty, not fatal to the report.
    pub estimate: Result<Estimate, String>,
    /// The segment against the rest of the data, its p-value adjusted (Holm) over the column's
    /// segments; `None` where there is no comparison.
    pub versus_rest: Option<Versus>,
    /// Why the segment is too small to trust (fewer than the minimum responses, or an interval
    /// that degenerates); `None` when it is not.
    pub small: Option<String>,
    /// With `--rolling`, a period's row is the trailing window that ends with it: the window's
    /// first period (the period itself while fewer came before).
    pub window_start: Option<String>,
}

/// A segment against the rest of the data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Versus {
    /// The segment's estimate minus the rest's (NPS points, or a difference of shares).
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
    /// Whether every estimate is weighted.
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
/// checked by the core in the overall estimate, before any segment); an unusable level or method as
/// [`Failure::Usage`]. A segment with nothing to score is reported empty, not refused.
pub fn report(survey: &Survey, settings: &Settings<'_>) -> Result<Report, Failure> {
    match settings.metric {
        Metric::Nps { method, .. } => report_of(&NpsState::new(), method, survey, settings),
        Metric::Rating { scale, method, .. } => {
            report_of(&RatingState::new(scale), method, survey, settings)
        }
    }
}

/// The report of one metric, from `empty`, a state of no responses with the metric's
/// parameters (its scale).
fn report_of<T: Reported>(
    empty: &T,
    method: T::Method,
    survey: &Survey,
    settings: &Settings<'_>,
) -> Result<Report, Failure> {
    let mut all = empty.clone();
    all.add(&survey.scores, survey.weights.as_deref(), settings.missing)
        .map_err(|e| locate(&e, survey, settings))?;
    let overall = all.finish().map_err(|e| locate(&e, survey, settings))?;
    let overall = estimate::<T>(&overall, settings, method)
        .map_err(|e| refused(&e, DataError::new(settings.file, e.to_string())))?;

    let mut segments = Vec::new();
    let mut changes = Vec::new();
    for labels in &survey.labels {
        let (groups, results) = segment(empty, method, survey, labels, settings)?;
        if Some(labels.column.as_str()) == settings.period {
            changes = compare::<T>(&labels.column, &groups, &results, settings, method)?;
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

fn estimate<T: Reported>(
    result: &T::Output,
    settings: &Settings<'_>,
    method: T::Method,
) -> Result<Estimate, Error> {
    let figure = T::estimate(result, settings.level, method)?;
    Ok(Estimate { outcome: T::outcome(result), figure })
}

/// A column's segments, and beside them the core's result of each (none when empty).
type Segments<T> = (Vec<Segment>, Vec<Option<<T as State>::Output>>);

/// The metric of each value of `labels`, from one pass over the scores by the core's grouping,
/// each against the rest with Holm-adjusted p-values; the period column's values as trailing
/// windows with `--rolling`. Beside the segments, the core's result of each (none when empty),
/// for the comparison of periods.
fn segment<T: Reported>(
    empty: &T,
    method: T::Method,
    survey: &Survey,
    labels: &Labels,
    settings: &Settings<'_>,
) -> Result<Segments<T>, Failure> {
    let values: Vec<&str> = group::by_label(&labels.values).into_keys().collect();
    let codes: Vec<u32> = labels
        .values
        .iter()
        .map(|v| values.binary_search(&v.as_str()).map_or(0, |i| u32::try_from(i).unwrap_or(0)))
        .collect();
    let weights = survey.weights.as_deref();
    let mut states = empty
        .by_group(&survey.scores, weights, &codes, values.len(), settings.missing)
        .map_err(|e| locate(&e, survey, settings))?;
    // Every response once, before any trailing windows overlap them.
    let all = merged(empty, &states).map_err(|e| Failure::Usage(e.to_string()))?;
    let is_period = Some(labels.column.as_str()) == settings.period;
    if let (true, Some(window)) = (is_period, settings.rolling) {
        states = rolling(&states, window).map_err(|e| Failure::Usage(e.to_string()))?;
    }
    let options = SegmentOptions {
        level: settings.level,
        min_n: settings.min_n,
        ..SegmentOptions::default()
    };
    let table = segment_table_within(&states, &all, &options, method)
        .map_err(|e| refused(&e, DataError::new(settings.file, e.to_string())))?;
    let mut rows = table.rows.iter().peekable();
    let mut results = Vec::with_capacity(states.len());
    let segments = values
        .iter()
        .zip(&states)
        .enumerate()
        .map(|(g, (value, state))| {
            let row = rows.next_if(|r| r.group == Some(g));
            let result = state.finish();
            results.push(result.as_ref().ok().cloned());
            let estimate = match result.and_then(|result| estimate::<T>(&result, settings, method))
            {
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
            let window_start = match (is_period, settings.rolling) {
                (true, Some(window)) => Some(values[(g + 1).saturating_sub(window)].to_owned()),
                _ => None,
            };
            Ok(Segment {
                column: labels.column.clone(),
                value: (*value).to_owned(),
                estimate,
                versus_rest,
                small,
                window_start,
            })
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    Ok((segments, results))
}

/// Each period of `periods` (in label order) against the one before it; with `--rolling N`,
/// each trailing window against the one N periods before, which it does not overlap (windows
/// that share responses are not independent samples).
fn compare<T: Reported>(
    column: &str,
    periods: &[Segment],
    results: &[Option<T::Output>],
    settings: &Settings<'_>,
    method: T::Method,
) -> Result<Vec<Change>, Failure> {
    let lag = settings.rolling.unwrap_or(1);
    (lag..periods.len())
        .map(|to| {
            let (before, after) = (&periods[to - lag], &periods[to]);
            let comparison = match (&after.estimate, &before.estimate) {
                (Err(reason), _) => Err(format!("no estimate for {:?}: {reason}", after.value)),
                (_, Err(reason)) => Err(format!("no estimate for {:?}: {reason}", before.value)),
                // A period with an estimate has its result.
                (Ok(_), Ok(_)) => match (&results[to], &results[to - lag]) {
                    (Some(a), Some(b)) => {
                        Ok(T::compare_periods(a, b, settings, method).map_err(|(e, message)| {
                            refused(&e, DataError::new(settings.file, message).in_column(column))
                        })?)
                    }
                    _ => Err("no result to compare".to_owned()),
                },
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
