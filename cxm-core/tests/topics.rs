//! The shared topic-impact vectors (`testdata/topics.json`: the vendors' formula three ways, the
//! delta method by finite differences, checked against a multinomial bootstrap) through
//! cxm-core; exact bits go to `$CXM_VECTOR_OUT/topics.rust.txt`.

mod common;

use common::{close, vectors, Bits};
use cxm_core::{
    adjust_p_values, compare_nps, nps, nps_topic_impact, Adjustment, Missing, NpsMethod,
};

#[test]
fn shared_vectors() {
    let doc = vectors("topics");
    let (tolerance, se_tolerance) =
        (doc["tolerance"].as_f64().unwrap(), doc["se_tolerance"].as_f64().unwrap());
    let mut out = Bits::default();
    let mut failures = Vec::new();
    for (c, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        let scores: Vec<u8> = case["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| u8::try_from(s.as_u64().unwrap()).unwrap())
            .collect();
        let names: Vec<&str> =
            case["names"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
        let flags: Vec<Vec<bool>> = names
            .iter()
            .map(|n| {
                case["topics"][*n]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f.as_u64() == Some(1))
                    .collect()
            })
            .collect();
        let columns: Vec<&[bool]> = flags.iter().map(Vec::as_slice).collect();
        let rows =
            nps_topic_impact(&scores, &columns, &names, Missing::Reject, 0.95, Adjustment::Holm)
                .unwrap();
        let mut p_values = Vec::new();
        for ((row, want), flags) in
            rows.iter().zip(case["expected"].as_array().unwrap()).zip(&flags)
        {
            let label = format!("case {c} {}", row.topic);
            let number = |field: &str| want[field].as_f64().unwrap();
            for (field, got, tol) in [
                ("share", row.share, tolerance),
                ("nps_topic", row.nps_topic, tolerance),
                ("nps_rest", row.nps_rest, tolerance),
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
            // The test is compare_nps's of the two groups, whose own vectors check it.
            let group = |mention: bool| -> Vec<u8> {
                scores.iter().zip(flags).filter(|(_, &f)| f == mention).map(|(&s, _)| s).collect()
            };
            let (topic, rest) = (
                nps(&group(true), None, Missing::Reject).unwrap(),
                nps(&group(false), None, Missing::Reject).unwrap(),
            );
            let comparison = compare_nps(&topic, &rest, 0.95, NpsMethod::default()).unwrap();
            if row.p_value != comparison.p_value {
                failures.push(format!("{label}: p {} vs {}", row.p_value, comparison.p_value));
            }
            p_values.push(row.p_value);
            out.line(
                &label,
                &[
                    row.share,
                    row.nps_topic,
                    row.nps_rest,
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
