//! `cxm.topic_impact`: converts the columns and delegates to the core's `topic_impact` (or
//! `topic_impact_by_group`); the result class is plain Python (cxm/_topics.py), built from the
//! core's rows as JSON.

use cxm_core::{Adjustment, Missing, TopicMetric};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

use crate::args::{rating_scale, ScaleArgument};
use crate::input::compute;
use crate::py_error;

/// The core's topic impact of `scores` (float64, NaN missing) and the `topics` flags (named
/// `names`), weighted by `weights`, on `metric`: `"nps"`, or the favourable share of `"csat"` or
/// `"ces"` on `scale` (min, max, threshold or None for the core's, higher is better), in each
/// group of `groups` (below `group_count`) when given, as JSON.
#[pyfunction]
#[pyo3(signature = (scores, topics, names, weights, metric, scale, groups, group_count, missing, level, adjust))]
#[allow(clippy::needless_pass_by_value, clippy::too_many_arguments)] // PyO3 takes them so
pub(crate) fn _topic_impact(
    py: Python<'_>,
    scores: PyReadonlyArray1<'_, f64>,
    topics: Vec<PyReadonlyArray1<'_, bool>>,
    names: Vec<String>,
    weights: Option<PyReadonlyArray1<'_, f64>>,
    metric: &str,
    scale: ScaleArgument,
    groups: Option<PyReadonlyArray1<'_, u32>>,
    group_count: usize,
    missing: &str,
    level: f64,
    adjust: &str,
) -> PyResult<String> {
    let error = |e: cxm_core::Error| py_error(py, &e);
    let missing: Missing = missing.parse().map_err(error)?;
    let adjustment: Adjustment = adjust.parse().map_err(error)?;
    let metric = match metric {
        "csat" | "ces" => TopicMetric::Share(rating_scale(py, metric, scale)?),
        "nps" => TopicMetric::Nps,
        other => {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "metric {other:?} is not one of \"nps\", \"csat\", \"ces\""
            )))
        }
    };
    let scores = scores.as_slice()?;
    let flags = topics.iter().map(PyReadonlyArray1::as_slice).collect::<Result<Vec<_>, _>>()?;
    let weights = weights.as_ref().map(PyReadonlyArray1::as_slice).transpose()?;
    let groups = groups.as_ref().map(PyReadonlyArray1::as_slice).transpose()?;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let work = scores.len().saturating_mul(flags.len());
    let rows = compute(py, work, || match groups {
        None => cxm_core::topic_impact(
            scores, weights, &flags, &names, metric, missing, level, adjustment,
        ),
        Some(groups) => cxm_core::topic_impact_by_group(
            scores,
            weights,
            groups,
            group_count,
            &flags,
            &names,
            metric,
            missing,
            level,
            adjustment,
        ),
    });
    let rows = rows.map_err(error)?;
    crate::to_json(&rows)
}
