//! Topic impact: how much a comment topic (price, wait time, a bug…) moves the NPS. The
//! formula Thematic, zenloop and Qualtrics publish is `NPS(all) − NPS(not mentioning the
//! topic)`, algebraically `share × (NPS(topic) − NPS(rest))`; cxm adds what they leave out:
//! its standard error by the delta method, its interval, and the test of NPS(topic) =
//! NPS(rest), with p-values adjusted over the topics.
//!
//! The standard error treats every response's topic flag and category as random: the counts of
//! the six cells (topic or not × detractor, passive, promoter) are multinomial, and the impact a
//! smooth function of their shares, so `Var ≈ ∇Iᵀ Σ ∇I / n` with `Σ = diag(π) − ππᵀ` (the delta
//! method; Agresti, *Categorical Data Analysis*, 3rd ed., §16.1). With the values `v` of the
//! categories (−100, 0, 100), the rest's score `m_r` and share `s_r`, the gradient is `v_k` on a
//! topic cell and `v_k − (v_k − m_r) / s_r` on a rest cell.
//!
//! Topics overlap (a comment mentions price *and* support), so impacts do not add up to
//! anything: each is the NPS without that topic's mentions, all else as it is.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::score::{Missing, Score};
use crate::state::ScoreState;
use crate::stats::normal::{two_sided_critical, wald_interval};
use crate::stats::{adjust_p_values, Adjustment, Interval};
use crate::{compare_nps, Nps, NpsMethod, NpsState};

/// One topic's impact on the NPS. See [`nps_topic_impact`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicImpact {
    /// The topic's name.
    pub topic: String,
    /// Responses scored.
    pub n: u64,
    /// Responses that mention the topic.
    pub mentions: u64,
    /// `mentions / n`.
    pub share: f64,
    /// NPS of the responses that mention it, points.
    pub nps_topic: f64,
    /// NPS of the others, points.
    pub nps_rest: f64,
    /// `nps_all − nps_rest` (= `share × (nps_topic − nps_rest)`), points: what the topic costs
    /// (negative) or earns the NPS.
    pub impact: f64,
    /// Its standard error by the delta method (the share random too), points.
    pub standard_error: f64,
    /// Its Wald interval.
    pub interval: Interval,
    /// Two-sided p-value of NPS(topic) = NPS(rest) (`compare_nps` with its default method).
    pub p_value: f64,
    /// `p_value` adjusted over the topics.
    pub p_adjusted: f64,
}

/// The impact of each topic on the NPS of `scores` (0–10): `topics[t][i]` is whether response
/// `i` mentions topic `t` (named `names[t]`). Intervals at `level`; the tests' p-values adjusted
/// over the topics by `adjustment` (Holm by default, as for segments).
///
/// # Errors
/// As [`nps`](crate::nps) for the scores; [`Error::ColumnLengthMismatch`] for a topic column
/// (or the names) of another length; [`Error::MissingInput`] for no topic, or a topic that no
/// response, or every response, mentions (one of the two NPS would be of nothing);
/// [`Error::InvalidLevel`].
///
/// # Examples
/// ```
/// use cxm_core::{nps_topic_impact, Adjustment, Missing};
/// let scores = [10_u8, 9, 3, 8, 2, 10, 6, 9];
/// let price = [false, false, true, false, true, false, true, false];
/// let t = nps_topic_impact(&scores, &[&price], &["price"], Missing::Reject, 0.95, Adjustment::Holm)?;
/// // NPS 12.5 of all; 80 without the three that mention price: price costs 67.5 points.
/// assert_eq!((t[0].nps_rest, t[0].impact), (80.0, 12.5 - 80.0));
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
    let mut rows = Vec::with_capacity(topics.len());
    for (&flags, &name) in topics.iter().zip(names) {
        if flags.len() != scores.len() {
            return Err(Error::ColumnLengthMismatch {
                column: name.to_owned(),
                len: flags.len(),
                expected: scores.len(),
                first: "scores".to_owned(),
            });
        }
        let groups: Vec<u32> = flags.iter().map(|&f| u32::from(f)).collect();
        let states = NpsState::new().by_group(scores, None, &groups, 2, missing)?;
        let [rest, topic] = [&states[0], &states[1]].map(NpsState::counts);
        let side = |counts: [u64; 3], which: &str| {
            Nps::from_counts(counts[2], counts[1], counts[0]).map_err(|_| Error::MissingInput {
                what: format!("a response that {which} topic '{name}'"),
                needed_for: "its impact".to_owned(),
            })
        };
        let (topic_nps, rest_nps) = (side(topic, "mentions")?, side(rest, "does not mention")?);
        rows.push(impact(name, topic, rest, &topic_nps, &rest_nps, z, level)?);
    }
    let p_values: Vec<f64> = rows.iter().map(|r| r.p_value).collect();
    for (row, p) in rows.iter_mut().zip(adjust_p_values(&p_values, adjustment)?) {
        row.p_adjusted = p;
    }
    Ok(rows)
}

/// One topic's row from the counts (detractors, passives, promoters) of the responses that
/// mention it and of the rest.
#[allow(clippy::cast_precision_loss)] // counts below 2^53
fn impact(
    name: &str,
    topic: [u64; 3],
    rest: [u64; 3],
    topic_nps: &Nps,
    rest_nps: &Nps,
    z: f64,
    level: f64,
) -> Result<TopicImpact, Error> {
    const VALUES: [f64; 3] = [-100.0, 0.0, 100.0];
    let (mentions, others) = (topic_nps.n, rest_nps.n);
    let n = (mentions + others) as f64;
    let all = Nps::from_counts(topic[2] + rest[2], topic[1] + rest[1], topic[0] + rest[0])?;
    let (m_rest, s_rest) = (rest_nps.score, others as f64 / n);
    // The delta method over the six multinomial cells: Σ g²π − (Σ gπ)², over n.
    let cells = VALUES
        .iter()
        .zip(topic)
        .map(|(&v, c)| (v, c))
        .chain(VALUES.iter().zip(rest).map(|(&v, c)| (v - (v - m_rest) / s_rest, c)));
    let (mut first, mut second) = (0.0, 0.0);
    for (g, count) in cells {
        let pi = count as f64 / n;
        first += g * pi;
        second += g * g * pi;
    }
    let standard_error = ((second - first * first).max(0.0) / n).sqrt();
    let impact = all.score - m_rest;
    let p_value = compare_nps(topic_nps, rest_nps, level, NpsMethod::default())?.p_value;
    Ok(TopicImpact {
        topic: name.to_owned(),
        n: mentions + others,
        mentions,
        share: mentions as f64 / n,
        nps_topic: topic_nps.score,
        nps_rest: m_rest,
        impact,
        standard_error,
        interval: wald_interval(impact, standard_error, z),
        p_value,
        p_adjusted: p_value,
    })
}
