//! The shared topic-impact vectors (`testdata/topics.json`: the vendors' formula three ways, the
//! delta method by finite differences, checked against a multinomial bootstrap) through
//! cxm-core; exact bits go to `$CXM_VECTOR_OUT/topics.rust.txt`.

mod common;

use common::{close, vectors, Bits};
use cxm_core::{
    adjust_p_values, compare_nps, compare_proportions, nps, nps_topic_impact, rating, topic_impact,
    topic_impact_by_group, Adjustment, Missing, NpsMethod, Scale, TopicMetric,
};

/// One case of the vectors.
struct Case<'a> {
    scores: Vec<u8>,
    weights: Option<Vec<f64>>,
    metric: TopicMetric,
    names: Vec<&'a str>,
    flags: Vec<Vec<bool>>,
}

impl Case<'_> {
    fn read(case: &serde_json::Value) -> Case<'_> {
        let scores = case["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| u8::try_from(s.as_u64().unwrap()).unwrap())
            .collect();
        let weights =
            case["weights"].as_array().map(|w| w.iter().map(|x| x.as_f64().unwrap()).collect());
        let metric = match case["metric"].as_str().unwrap() {
            "nps" => TopicMetric::Nps,
            _ => TopicMetric::Share(Scale::csat()),
        };
        let names: Vec<&str> =
            case["names"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
        let flags = names
            .iter()
            .map(|n| {
                let column = case["topics"][*n].as_array().unwrap();
                column.iter().map(|f| f.as_u64() == Some(1)).collect()
            })
            .collect();
        Case { scores, weights, metric, names, flags }
    }
}

#[allow(clippy::cast_precision_loss)]
/// The test the row's p-value must be: `compare_nps` of the two sides' NPS, or the two-proportion
/// test on their effective counts, whose own vectors check them.
fn p_value(scores: &[u8], weights: Option<&[f64]>, flags: &[bool], metric: TopicMetric) -> f64 {
    let side = |mention: bool| -> (Vec<u8>, Option<Vec<f64>>) {
        let keep: Vec<usize> = (0..scores.len()).filter(|&i| flags[i] == mention).collect();
        (
            keep.iter().map(|&i| scores[i]).collect(),
            weights.map(|w| keep.iter().map(|&i| w[i]).collect()),
        )
    };
    let ((a, wa), (b, wb)) = (side(true), side(false));
    match metric {
        TopicMetric::Nps => {
            let (x, y) = (
                nps(&a, wa.as_deref(), Missing::Reject).unwrap(),
                nps(&b, wb.as_deref(), Missing::Reject).unwrap(),
            );
            compare_nps(&x, &y, 0.95, NpsMethod::default()).unwrap().p_value
        }
        TopicMetric::Share(scale) => {
            let (x, y) = (
                rating(&a, wa.as_deref(), Missing::Reject, scale).unwrap(),
                rating(&b, wb.as_deref(), Missing::Reject, scale).unwrap(),
            );
            if weights.is_none() {
                let (n1, n2) = (x.n as f64, y.n as f64);
                compare_proportions(x.favourable as f64, n1, y.favourable as f64, n2, 0.95)
                    .unwrap()
                    .p_value
            } else {
                f64::NAN // effective counts need not be whole: compared through the rows' bits
            }
        }
    }
}

#[test]
fn shared_vectors() {
    let doc = vectors("topics");
    let (tolerance, se_tolerance) =
        (doc["tolerance"].as_f64().unwrap(), doc["se_tolerance"].as_f64().unwrap());
    let mut out = Bits::default();
    let mut failures = Vec::new();
    for (c, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        let Case { scores, weights, metric, names, flags } = Case::read(case);
        let columns: Vec<&[bool]> = flags.iter().map(Vec::as_slice).collect();
        let rows = topic_impact(
            &scores,
            weights.as_deref(),
            &columns,
            &names,
            metric,
            Missing::Reject,
            0.95,
            Adjustment::Holm,
        )
        .unwrap();
        if metric == TopicMetric::Nps && weights.is_none() {
            let plain = nps_topic_impact(
                &scores,
                &columns,
                &names,
                Missing::Reject,
                0.95,
                Adjustment::Holm,
            );
            assert_eq!(plain.unwrap(), rows, "case {c}: nps_topic_impact is topic_impact");
        }
        let mut p_values = Vec::new();
        for ((row, want), flags) in
            rows.iter().zip(case["expected"].as_array().unwrap()).zip(&flags)
        {
            let label = format!("case {c} {}", row.topic);
            let number = |field: &str| want[field].as_f64().unwrap();
            for (field, got, tol) in [
                ("share", row.share, tolerance),
                ("topic_score", row.topic_score, tolerance),
                ("rest_score", row.rest_score, tolerance),
                ("impact", row.impact, tolerance),
                ("standard_error", row.standard_error, se_tolerance),
                ("lower", row.interval.lower, se_tolerance),
                ("upper", row.interval.upper, se_tolerance),
            ] {
                if !close(got, number(field), tol) {
                    failures.push(format!("{label} {field}: {got} vs {}", number(field)));
                }
            }
            if row.mentions != want["mentions"].as_u64().unwrap()
                || row.n != want["n"].as_u64().unwrap()
            {
                failures.push(format!("{label}: counts {} of {}", row.mentions, row.n));
            }
            let expected = p_value(&scores, weights.as_deref(), flags, metric);
            // The core tests share × effective n, the count up to a rounding, as every cxm share.
            if !expected.is_nan() && !close(row.p_value, expected, 1e-12) {
                failures.push(format!("{label}: p {} vs {expected}", row.p_value));
            }
            p_values.push(row.p_value);
            out.line(
                &label,
                &[
                    row.share,
                    row.topic_score,
                    row.rest_score,
                    row.impact,
                    row.standard_error,
                    row.interval.lower,
                    row.interval.upper,
                    row.p_value,
                    row.p_adjusted,
                ],
            );
        }
        let adjusted = adjust_p_values(&p_values, Adjustment::Holm).unwrap();
        if rows.iter().map(|r| r.p_adjusted).collect::<Vec<_>>() != adjusted {
            failures.push(format!("case {c}: Holm's p-values"));
        }
    }
    out.save("topics");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A group's rows are the rows of its responses alone, to the bit (but the p-values adjusted
/// over every group's), from one pass; a group where a topic is mentioned by all or none has
/// no row for it.
#[test]
fn per_group_rows_are_each_groups_own() {
    let doc = vectors("topics");
    let case = &doc["cases"][2]; // weighted NPS
    let scores: Vec<u8> = case["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| u8::try_from(s.as_u64().unwrap()).unwrap())
        .collect();
    let weights: Vec<f64> =
        case["weights"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
    let price: Vec<bool> =
        case["topics"]["price"].as_array().unwrap().iter().map(|f| f.as_u64() == Some(1)).collect();
    let n = scores.len();
    // Three segments; in the third, nobody mentions price.
    let groups: Vec<u32> = (0..n).map(|i| u32::try_from(i % 3).unwrap()).collect();
    let flags: Vec<bool> = (0..n).map(|i| price[i] && i % 3 != 2).collect();
    let rows = topic_impact_by_group(
        &scores,
        Some(&weights),
        &groups,
        3,
        &[&flags],
        &["price"],
        TopicMetric::Nps,
        Missing::Reject,
        0.95,
        Adjustment::Holm,
    )
    .unwrap();
    assert_eq!(rows.iter().map(|r| r.group).collect::<Vec<_>>(), [0, 1]);
    for row in &rows {
        let keep: Vec<usize> = (0..n).filter(|&i| groups[i] == row.group).collect();
        let pick = |v: &[f64]| keep.iter().map(|&i| v[i]).collect::<Vec<f64>>();
        let own_scores: Vec<u8> = keep.iter().map(|&i| scores[i]).collect();
        let own_flags: Vec<bool> = keep.iter().map(|&i| flags[i]).collect();
        let own = topic_impact(
            &own_scores,
            Some(&pick(&weights)),
            &[&own_flags],
            &["price"],
            TopicMetric::Nps,
            Missing::Reject,
            0.95,
            Adjustment::Holm,
        )
        .unwrap();
        let mut expected = own[0].clone();
        expected.group = row.group;
        expected.p_adjusted = row.p_adjusted;
        assert_eq!(row, &expected);
    }
    let p: Vec<f64> = rows.iter().map(|r| r.p_value).collect();
    assert_eq!(
        rows.iter().map(|r| r.p_adjusted).collect::<Vec<_>>(),
        adjust_p_values(&p, Adjustment::Holm).unwrap()
    );
}

#[test]
fn a_topic_every_response_or_none_mentions_is_refused() {
    let scores = [9_u8, 3, 10];
    for (flags, side) in [([true; 3], "does not mention"), ([false; 3], "mentions")] {
        let err = nps_topic_impact(
            &scores,
            &[&flags],
            &["price"],
            Missing::Reject,
            0.95,
            Adjustment::Holm,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("a response that {side} topic 'price' is needed for its impact")
        );
    }
    let err = nps_topic_impact(
        &scores,
        &[&[true, false]],
        &["price"],
        Missing::Reject,
        0.95,
        Adjustment::Holm,
    );
    assert_eq!(err.unwrap_err().kind(), "column_length_mismatch");
}
