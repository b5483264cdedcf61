//! Topic impact: how much a comment topic (price, wait time, a bug…) moves the NPS, or the share
//! of satisfied (CSAT) or easy (CES) answers. The formula Thematic, zenloop and Qualtrics
//! publish is `score(all) − score(not mentioning the topic)`, algebraically `share ×
//! (score(topic) − score(rest))`; cxm adds what they leave out: its standard error by the delta
//! method, its interval, and the test of score(topic) = score(rest), with p-values adjusted over
//! the topics.
//!
//! The standard error treats every response's topic flag and category as random: the counts of
//! the cells (topic or not × category: detractor, passive, promoter; or each scale point) are
//! multinomial, and the impact a smooth function of their shares, so `Var ≈ ∇Iᵀ Σ ∇I / n` with
//! `Σ = diag(π) − ππᵀ` (the delta method; Agresti, *Categorical Data Analysis*, 3rd ed., §16.1).
//! With the values `v` of the categories (−100, 0, 100 for the NPS; 1 for a favourable answer
//! and 0 otherwise for a share), the rest's score `m_r` and share `s_r`, the gradient is `v_k` on
//! a topic cell and `v_k − (v_k − m_r) / s_r` on a rest cell. With weights, the shares are
//! weighted and `n` is Kish's effective n of the responses, as in every weighted cxm interval.
//!
//! The impact is a function of the per-group states of topic × category, so it comes per
//! segment from one pass ([`topic_impact_by_group`]), like every segmented metric.
//!
//! Topics overlap (a comment mentions price *and* support), so impacts do not add up to
//! anything: each is the score without that topic's mentions, all else as it is.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::scale::Scale;
use crate::score::{Missing, Score, Summary};
use crate::state::{ScoreState, State};
use crate::stats::compare_effective_proportions;
use crate::stats::normal::{two_sided_critical, wald_interval};
use crate::stats::{adjust_p_values, Adjustment, Interval};
use crate::{compare_nps, NpsMethod, NpsState, RatingState};

/// What a topic's impact is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicMetric {
    /// The NPS of 0–10 scores, in points.
    Nps,
    /// The share of favourable answers on a scale (CSAT, CES), in 0..=1.
    Share(Scale),
}

/// One topic's impact on the score. See [`topic_impact`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicImpact {
    /// The topic's name.
    pub topic: String,
    /// The group (segment) the row is of; 0 without groups.
    pub group: u32,
    /// Responses scored.
    pub n: u64,
    /// Responses that mention the topic.
    pub mentions: u64,
    /// The (weighted) share of responses that mention it.
    pub share: f64,
    /// The score (NPS points, or a share) of the responses that mention it.
    pub topic_score: f64,
    /// The score of the others.
    pub rest_score: f64,
    /// `score(all) − rest_score` (= `share × (topic_score − rest_score)`): what the topic costs
    /// (negative) or earns the score.
    pub impact: f64,
    /// Its standard error by the delta method (the share random too).
    pub standard_error: f64,
    /// Its Wald interval.
    pub interval: Interval,
    /// Two-sided p-value of score(topic) = score(rest): `compare_nps` with its default method,
    /// or the two-proportion test of `compare_proportions` on Kish's effective counts.
    pub p_value: f64,
    /// `p_value` adjusted over the rows.
    pub p_adjusted: f64,
}

/// The impact of each topic on the NPS of `scores` (0–10): `topics[t][i]` is whether response
/// `i` mentions topic `t` (named `names[t]`). Intervals at `level`; the tests' p-values adjusted
/// over the topics by `adjustment` (Holm by default, as for segments). [`topic_impact`] with
/// [`TopicMetric::Nps`] and no weights.
///
/// # Errors
/// As [`topic_impact`].
///
/// # Examples
/// ```
/// use cxm_core::{nps_topic_impact, Adjustment, Missing};
/// let scores = [10_u8, 9, 3, 8, 2, 10, 6, 9];
/// let price = [false, false, true, false, true, false, true, false];
/// let t = nps_topic_impact(&scores, &[&price], &["price"], Missing::Reject, 0.95, Adjustment::Holm)?;
/// // NPS 12.5 of all; 80 without the three that mention price: price costs 67.5 points.
/// assert_eq!((t[0].rest_score, t[0].impact), (80.0, 12.5 - 80.0));
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn nps_topic_impact<S: Score>(
    scores: &[S],
    topics: &[&[bool]],
    names: &[&str],
    missing: Missing,
    level: f64,
    adjustment: Adjustment,
) -> Result<Vec<TopicImpact>, Error> {
    topic_impact(scores, None, topics, names, TopicMetric::Nps, missing, level, adjustment)
}

/// The impact of each topic on `metric` of `scores` (optionally weighted): `topics[t][i]` is
/// whether response `i` mentions topic `t` (named `names[t]`). Intervals at `level`; the
/// tests' p-values adjusted over the topics by `adjustment`.
///
/// # Errors
/// As [`nps`](crate::nps) (or [`rating`](crate::rating)) for the scores and weights;
/// [`Error::ColumnLengthMismatch`] for a topic column (or the names) of another length;
/// [`Error::MissingInput`] for no topic, or a topic that no response, or every response,
/// mentions (one of the two scores would be of nothing); [`Error::InvalidLevel`].
///
/// # Examples
/// ```
/// use cxm_core::{topic_impact, Adjustment, Missing, Scale, TopicMetric};
/// let answers = [5_u8, 4, 2, 5, 1, 4];
/// let delivery = [false, false, true, false, true, true];
/// let csat = TopicMetric::Share(Scale::csat());
/// let t = topic_impact(&answers, None, &[&delivery], &["delivery"], csat, Missing::Reject, 0.95, Adjustment::Holm)?;
/// // 4 of 6 satisfied; all 3 of those not mentioning delivery: it costs a third of the share.
/// assert!((t[0].impact - (4.0 / 6.0 - 1.0)).abs() < 1e-15);
/// # Ok::<(), cxm_core::Error>(())
/// ```
#[allow(clippy::too_many_arguments)] // the columns and the options, as the surfaces pass them
pub fn topic_impact<S: Score>(
    scores: &[S],
    weights: Option<&[f64]>,
    topics: &[&[bool]],
    names: &[&str],
    metric: TopicMetric,
    missing: Missing,
    level: f64,
    adjustment: Adjustment,
) -> Result<Vec<TopicImpact>, Error> {
    let groups = vec![0; scores.len()];
    impacts(scores, weights, &groups, 1, topics, names, metric, missing, level, adjustment, true)
}

/// [`topic_impact`] in each group (segment) of the responses, from one pass per topic:
/// `groups[i]` is response `i`'s group, below `group_count`. A group in which a topic is
/// mentioned by none or by all of its responses has no row for that topic; the p-values are
/// adjusted over every row of every group.
///
/// # Errors
/// As [`topic_impact`], but for the topics a group cannot compare; [`Error::InvalidGroup`] for
/// a group number not below `group_count`.
#[allow(clippy::too_many_arguments)] // the columns and the options, as the surfaces pass them
pub fn topic_impact_by_group<S: Score>(
    scores: &[S],
    weights: Option<&[f64]>,
    groups: &[u32],
    group_count: usize,
    topics: &[&[bool]],
    names: &[&str],
    metric: TopicMetric,
    missing: Missing,
    level: f64,
    adjustment: Adjustment,
) -> Result<Vec<TopicImpact>, Error> {
    impacts(
        scores,
        weights,
        groups,
        group_count,
        topics,
        names,
        metric,
        missing,
        level,
        adjustment,
        false,
    )
}

/// The rows of every topic in every group; `strict`: a side with no response is an error
/// rather than a row left out.
#[allow(clippy::too_many_arguments, clippy::cast_precision_loss)] // a count of groups, shown
fn impacts<S: Score>(
    scores: &[S],
    weights: Option<&[f64]>,
    groups: &[u32],
    group_count: usize,
    topics: &[&[bool]],
    names: &[&str],
    metric: TopicMetric,
    missing: Missing,
    level: f64,
    adjustment: Adjustment,
    strict: bool,
) -> Result<Vec<TopicImpact>, Error> {
    let z = two_sided_critical(level)?;
    if topics.is_empty() {
        return Err(Error::MissingInput {
            what: "a topic".to_owned(),
            needed_for: "topic impact".to_owned(),
        });
    }
    if names.len() != topics.len() {
        return Err(Error::ColumnLengthMismatch {
            column: "names".to_owned(),
            len: names.len(),
            expected: topics.len(),
            first: "topics".to_owned(),
        });
    }
    if groups.len() != scores.len() {
        return Err(Error::ColumnLengthMismatch {
            column: "groups".to_owned(),
            len: groups.len(),
            expected: scores.len(),
            first: "scores".to_owned(),
        });
    }
    if group_count > (u32::MAX / 2) as usize {
        // Each group is two (mentioning or not), numbered in a u32.
        return Err(Error::OutsideSupportedRange {
            quantity: "groups".to_owned(),
            value: group_count as f64,
            supported: "at most 2^31 - 1".to_owned(),
        });
    }
    if let Some(index) = groups.iter().position(|&g| g as usize >= group_count) {
        return Err(Error::InvalidGroup { index, group: groups[index], groups: group_count });
    }
    let mut rows = Vec::new();
    for (&flags, &name) in topics.iter().zip(names) {
        if flags.len() != scores.len() {
            return Err(Error::ColumnLengthMismatch {
                column: name.to_owned(),
                len: flags.len(),
                expected: scores.len(),
                first: "scores".to_owned(),
            });
        }
        // Group g's responses that mention the topic are group 2g + 1, the rest 2g.
        let cells: Vec<u32> =
            groups.iter().zip(flags).map(|(&g, &f)| 2 * g + u32::from(f)).collect();
        let sides = match metric {
            TopicMetric::Nps => {
                sides(&NpsState::new(), scores, weights, &cells, group_count, missing)?
            }
            TopicMetric::Share(scale) => {
                sides(&RatingState::new(scale), scores, weights, &cells, group_count, missing)?
            }
        };
        for (group, [rest, topic]) in sides.into_iter().enumerate() {
            match (topic, rest) {
                (Some(topic), Some(rest)) => {
                    let group = u32::try_from(group).unwrap_or(u32::MAX);
                    rows.push(impact(name, group, &topic, &rest, metric, z, level)?);
                }
                // One group, and one side of nothing: a score of nothing, refused.
                (topic, _) if strict => {
                    let which = if topic.is_none() { "mentions" } else { "does not mention" };
                    return Err(Error::MissingInput {
                        what: format!("a response that {which} topic '{name}'"),
                        needed_for: "its impact".to_owned(),
                    });
                }
                _ => {}
            }
        }
    }
    let p_values: Vec<f64> = rows.iter().map(|r| r.p_value).collect();
    for (row, p) in rows.iter_mut().zip(adjust_p_values(&p_values, adjustment)?) {
        row.p_adjusted = p;
    }
    Ok(rows)
}

/// Per group, the summaries of the rest and of the mentioning responses (None when empty).
fn sides<T: ScoreState + Summarized, S: Score>(
    empty: &T,
    scores: &[S],
    weights: Option<&[f64]>,
    cells: &[u32],
    group_count: usize,
    missing: Missing,
) -> Result<Vec<[Option<Side>; 2]>, Error> {
    let states = empty.by_group(scores, weights, cells, 2 * group_count, missing)?;
    let side = |state: &T| -> Result<Option<Side>, Error> {
        if state.n() == 0 {
            return Ok(None);
        }
        Ok(Some(Side { summary: state.summarize()?, p_value_input: state.comparable()? }))
    };
    states.chunks(2).map(|pair| Ok([side(&pair[0])?, side(&pair[1])?])).collect()
}

/// What the impact reads of a state.
trait Summarized {
    fn summarize(&self) -> Result<Summary, Error>;
    /// What the test of topic against rest compares.
    fn comparable(&self) -> Result<Comparable, Error>;
}

impl Summarized for NpsState {
    fn summarize(&self) -> Result<Summary, Error> {
        self.summary()
    }
    fn comparable(&self) -> Result<Comparable, Error> {
        Ok(Comparable::Nps(self.finish()?))
    }
}

impl Summarized for RatingState {
    fn summarize(&self) -> Result<Summary, Error> {
        self.summary()
    }
    fn comparable(&self) -> Result<Comparable, Error> {
        let r = self.finish()?;
        Ok(Comparable::Share { share: r.share, effective_n: r.effective_n })
    }
}

/// One side's result, for the test.
enum Comparable {
    Nps(crate::Nps),
    Share { share: f64, effective_n: f64 },
}

/// One side (mentioning or not) of one group.
struct Side {
    summary: Summary,
    p_value_input: Comparable,
}

impl Side {
    fn total(&self) -> f64 {
        self.summary.weights.iter().sum()
    }

    /// `Σw²`, from Kish's `(Σw)² / Σw²`.
    fn squares(&self) -> f64 {
        let total = self.total();
        total * total / self.summary.effective_n
    }
}

/// The score's value of each category of `metric`.
fn values(metric: TopicMetric, categories: usize) -> Vec<f64> {
    match metric {
        TopicMetric::Nps => vec![-100.0, 0.0, 100.0],
        TopicMetric::Share(scale) => (0..categories)
            .map(|point| {
                let answer = scale.min() + i64::try_from(point).unwrap_or(i64::MAX);
                f64::from(u8::from(scale.is_favourable(answer)))
            })
            .collect(),
    }
}

/// One topic's row in one group from its two sides.
#[allow(clippy::cast_precision_loss)] // counts below 2^53
fn impact(
    name: &str,
    group: u32,
    topic: &Side,
    rest: &Side,
    metric: TopicMetric,
    z: f64,
    level: f64,
) -> Result<TopicImpact, Error> {
    let values = values(metric, topic.summary.weights.len());
    let (w_topic, w_rest) = (topic.total(), rest.total());
    let total = w_topic + w_rest;
    let score = |side: &Side, w: f64| {
        values.iter().zip(side.summary.weights.iter()).map(|(v, x)| v * x).sum::<f64>() / w
    };
    let (m_topic, m_rest) = (score(topic, w_topic), score(rest, w_rest));
    let all = (values.iter().zip(topic.summary.weights.iter()).map(|(v, x)| v * x).sum::<f64>()
        + values.iter().zip(rest.summary.weights.iter()).map(|(v, x)| v * x).sum::<f64>())
        / total;
    let s_rest = w_rest / total;
    // The delta method over the multinomial cells: Σ g²π − (Σ gπ)², over Kish's n.
    let effective_n = total * total / (topic.squares() + rest.squares());
    let cells = values.iter().zip(topic.summary.weights.iter()).map(|(&v, &w)| (v, w)).chain(
        values
            .iter()
            .zip(rest.summary.weights.iter())
            .map(|(&v, &w)| (v - (v - m_rest) / s_rest, w)),
    );
    let (mut first, mut second) = (0.0, 0.0);
    for (g, w) in cells {
        let pi = w / total;
        first += g * pi;
        second += g * g * pi;
    }
    let standard_error = ((second - first * first).max(0.0) / effective_n).sqrt();
    let impact = all - m_rest;
    let p_value = match (&topic.p_value_input, &rest.p_value_input) {
        (Comparable::Nps(a), Comparable::Nps(b)) => {
            compare_nps(a, b, level, NpsMethod::default())?.p_value
        }
        (
            Comparable::Share { share: p1, effective_n: n1 },
            Comparable::Share { share: p2, effective_n: n2 },
        ) => compare_effective_proportions(p1 * n1, *n1, p2 * n2, *n2, level)?.p_value,
        _ => unreachable!("both sides come from one metric"),
    };
    let (mentions, others) = (topic.summary.n(), rest.summary.n());
    Ok(TopicImpact {
        topic: name.to_owned(),
        group,
        n: mentions + others,
        mentions,
        share: w_topic / total,
        topic_score: m_topic,
        rest_score: m_rest,
        impact,
        standard_error,
        interval: wald_interval(impact, standard_error, z),
        p_value,
        p_adjusted: p_value,
    })
}
