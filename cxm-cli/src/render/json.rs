//! One JSON document; its schema is in docs/cli.md and `tests/cli.rs` checks it. The field
//! names are this module's, not the core's, so that the schema changes only on purpose. An NPS
//! report is as it was before `--metric`; a rating's adds `metric` and `scale` at the top and
//! has its own estimate fields (the favourable share and the mean, as fractions and answers).

use serde::Serialize;

use super::Sections;
use crate::compute::{Estimate, Metric, Outcome, Report, Settings};

/// The schema's version; raised when a field changes meaning or is removed.
const SCHEMA: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema: u32,
    /// The survey's fields, at the top level (where they were before the other sections).
    #[serde(flatten)]
    survey: Option<SurveyJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customers: Option<CustomersJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contacts: Option<ContactsJson<'a>>,
}

/// The survey's report.
#[derive(Serialize)]
struct SurveyJson<'a> {
    file: &'a str,
    score_column: &'a str,
    /// `csat` or `ces`; absent for NPS, whose reports predate the option.
    #[serde(skip_serializing_if = "Option::is_none")]
    metric: Option<&'static str>,
    /// A rating's scale: `min`, `max`, `threshold`, `higher_is_better`.
    #[serde(skip_serializing_if = "Option::is_none")]
    scale: Option<cxm_core::Scale>,
    weight_column: Option<&'a str>,
    period_column: Option<&'a str>,
    /// With `--rolling N`: N, each period's row being the window of N periods ending with it,
    /// and each change that of a window against the window N periods before.
    #[serde(skip_serializing_if = "Option::is_none")]
    rolling: Option<usize>,
    missing: cxm_core::Missing,
    level: f64,
    method: &'static str,
    rows: usize,
    overall: EstimateJson,
    segments: Vec<SegmentJson<'a>>,
    changes: Vec<ChangeJson<'a>>,
}

/// The customers' section: the core's flow, churn and NCVG as they serialize (NaN as null).
#[derive(Serialize)]
struct CustomersJson<'a> {
    file: &'a str,
    window_start: &'a str,
    window_end: &'a str,
    flow: &'a cxm_core::CustomerFlow,
    churn_start: &'a cxm_core::Churn,
    churn_start_interval: &'a cxm_core::Interval,
    churn_average: &'a cxm_core::Churn,
    churn_average_interval: &'a cxm_core::Interval,
    churn_by_exposure_interval: &'a cxm_core::Interval,
    annual_churn_by_exposure: Option<f64>,
    ncvg: &'a cxm_core::Ncvg,
    /// With contacts: churn of the customers with a contact not resolved at the first against
    /// the others', and the lift.
    #[serde(skip_serializing_if = "Option::is_none")]
    first_contact_churn_lift: Option<&'a cxm_core::ChurnLift>,
    /// Why there is no lift, when contacts were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    no_first_contact_churn_lift: Option<&'a str>,
}

/// The contacts' section: the core's results as they serialize (NaN as null).
#[derive(Serialize)]
struct ContactsJson<'a> {
    file: &'a str,
    /// Confidence level of every interval in the section.
    level: f64,
    contact_centre: &'a cxm_core::ContactCentre,
    handle_time: Option<&'a cxm_core::Durations>,
    time_to_resolution: Option<&'a cxm_core::Durations>,
    first_contact_resolution: Option<&'a cxm_core::RateEstimate>,
}

/// An estimate: an NPS's fields or a rating's.
#[derive(Serialize)]
#[serde(untagged)]
enum EstimateJson {
    Nps(NpsJson),
    Rating(RatingJson),
}

#[derive(Serialize)]
struct RatingJson {
    n: u64,
    effective_n: f64,
    favourable: u64,
    share: f64,
    mean: f64,
    standard_deviation: f64,
    standard_error: f64,
    lower: f64,
    upper: f64,
}

#[derive(Serialize)]
struct NpsJson {
    n: u64,
    effective_n: f64,
    promoters: u64,
    passives: u64,
    detractors: u64,
    promoter_share: f64,
    passive_share: f64,
    detractor_share: f64,
    nps: f64,
    standard_error: f64,
    lower: f64,
    upper: f64,
}

/// A segment: its estimate's fields, or (when it has none) `n` = 0 and `no_estimate` saying why.
#[derive(Serialize)]
struct SegmentJson<'a> {
    column: &'a str,
    value: &'a str,
    #[serde(flatten)]
    estimate: Option<EstimateJson>,
    #[serde(flatten)]
    empty: Option<EmptyJson<'a>>,
    /// Against the rest of the data: the difference, its p-value and the Holm-adjusted one.
    versus_rest: Option<VersusJson>,
    /// Whether the segment is too small to trust, and why.
    small: bool,
    small_because: Option<&'a str>,
    /// With `--rolling`: the first period of the trailing window that ends with `value`.
    #[serde(skip_serializing_if = "Option::is_none")]
    window_start: Option<&'a str>,
}

#[derive(Serialize)]
struct VersusJson {
    difference: f64,
    p_value: f64,
    p_adjusted: f64,
}

#[derive(Serialize)]
struct EmptyJson<'a> {
    n: u64,
    no_estimate: &'a str,
}

/// A change: the comparison's fields, or (when a period has no estimate) `no_comparison`.
#[derive(Serialize)]
struct ChangeJson<'a> {
    column: &'a str,
    from: &'a str,
    to: &'a str,
    #[serde(flatten)]
    comparison: Option<ComparisonJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    no_comparison: Option<&'a str>,
}

#[derive(Serialize)]
struct ComparisonJson {
    method: &'static str,
    difference: f64,
    lower: f64,
    upper: f64,
    statistic: f64,
    p_value: f64,
    effective_n_from: f64,
    effective_n_to: f64,
}

fn estimate(e: &Estimate) -> EstimateJson {
    let f = &e.figure;
    match &e.outcome {
        Outcome::Nps(n) => EstimateJson::Nps(NpsJson {
            n: f.n,
            effective_n: f.effective_n,
            promoters: n.promoters,
            passives: n.passives,
            detractors: n.detractors,
            promoter_share: n.promoter_share,
            passive_share: n.passive_share,
            detractor_share: n.detractor_share,
            nps: f.estimate,
            standard_error: f.standard_error,
            lower: f.interval.lower,
            upper: f.interval.upper,
        }),
        Outcome::Rating(r) => EstimateJson::Rating(RatingJson {
            n: f.n,
            effective_n: f.effective_n,
            favourable: r.favourable,
            share: f.estimate,
            mean: r.mean,
            standard_deviation: r.standard_deviation,
            standard_error: f.standard_error,
            lower: f.interval.lower,
            upper: f.interval.upper,
        }),
    }
}

pub fn render(sections: &Sections<'_>, settings: &Settings<'_>) -> String {
    let document = Document {
        schema: SCHEMA,
        survey: sections.survey.map(|report| survey(report, settings)),
        customers: sections.customers.map(|c| CustomersJson {
            file: &c.file,
            window_start: &c.window.0,
            window_end: &c.window.1,
            flow: &c.flow,
            churn_start: &c.start.0,
            churn_start_interval: &c.start.1,
            churn_average: &c.average.0,
            churn_average_interval: &c.average.1,
            churn_by_exposure_interval: &c.exposure.0,
            annual_churn_by_exposure: c.exposure.2,
            ncvg: &c.ncvg,
            first_contact_churn_lift: c.first_contact_lift.as_ref().and_then(|l| l.as_ref().ok()),
            no_first_contact_churn_lift: c
                .first_contact_lift
                .as_ref()
                .and_then(|l| l.as_ref().err())
                .map(String::as_str),
        }),
        contacts: sections.contacts.map(|c| ContactsJson {
            file: &c.file,
            level: settings.level,
            contact_centre: &c.centre,
            handle_time: c.handle.as_ref(),
            time_to_resolution: c.resolution.as_ref(),
            first_contact_resolution: c.first_contact.as_ref(),
        }),
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// The survey's fields.
fn survey<'a>(report: &'a Report, settings: &Settings<'a>) -> SurveyJson<'a> {
    SurveyJson {
        file: settings.file,
        score_column: settings.score,
        metric: match settings.metric {
            Metric::Nps { .. } => None,
            Metric::Rating { .. } => Some(settings.metric.name()),
        },
        scale: match settings.metric {
            Metric::Nps { .. } => None,
            Metric::Rating { scale, .. } => Some(scale),
        },
        weight_column: settings.weight,
        period_column: settings.period,
        rolling: settings.rolling,
        missing: settings.missing,
        level: settings.level,
        method: settings.metric.method_name(),
        rows: report.rows,
        overall: estimate(&report.overall),
        segments: report
            .segments
            .iter()
            .map(|s| SegmentJson {
                column: &s.column,
                value: &s.value,
                estimate: s.estimate.as_ref().ok().map(estimate),
                empty: s
                    .estimate
                    .as_ref()
                    .err()
                    .map(|reason| EmptyJson { n: 0, no_estimate: reason }),
                versus_rest: s.versus_rest.map(|v| VersusJson {
                    difference: v.difference,
                    p_value: v.p_value,
                    p_adjusted: v.p_adjusted,
                }),
                small: s.small.is_some(),
                small_because: s.small.as_deref(),
                window_start: s.window_start.as_deref(),
            })
            .collect(),
        changes: report
            .changes
            .iter()
            .map(|c| ChangeJson {
                column: &c.column,
                from: &c.from,
                to: &c.to,
                comparison: c.comparison.as_ref().ok().map(|c| ComparisonJson {
                    method: c.method.name(),
                    difference: c.estimate,
                    lower: c.interval.lower,
                    upper: c.interval.upper,
                    statistic: c.statistic,
                    p_value: c.p_value,
                    effective_n_from: c.n2,
                    effective_n_to: c.n1,
                }),
                no_comparison: c.comparison.as_ref().err().map(String::as_str),
            })
            .collect(),
    }
}
