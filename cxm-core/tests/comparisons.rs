//! The shared two-sample comparison vectors (`testdata/comparisons.json`: statsmodels for
//! proportions, mpmath for NPS, scipy's Welch test for means) through cxm-core; exact bits go to
//! `$CXM_VECTOR_OUT/comparisons.rust.txt` for the cross-surface comparison, labelled by case
//! index so that no surface's float formatting enters the comparison.

mod common;

use common::{close, vectors, Bits};
use cxm_core::{
    compare_means, compare_nps, compare_proportions, rating, Comparison, Missing, Nps, Scale,
};
use serde_json::Value;

fn check(what: &str, got: &Comparison, want: &Value, tolerance: f64, failures: &mut Vec<String>) {
    let mut expect = |field: &str, got: f64, want: f64| {
        if !close(got, want, tolerance) {
            failures.push(format!("{what} {field}: {got} vs {want}"));
        }
    };
    expect("estimate", got.estimate, want["estimate"].as_f64().unwrap());
    expect("lower", got.interval.lower, want["lower"].as_f64().unwrap());
    expect("upper", got.interval.upper, want["upper"].as_f64().unwrap());
    expect("p_value", got.p_value, want["p_value"].as_f64().unwrap());
    match want["statistic"].as_f64() {
        Some(z) => expect("statistic", got.statistic, z),
        // null: infinite, with the sign of the difference
        None => assert_eq!(got.statistic, got.estimate.signum() * f64::INFINITY, "{what}"),
    }
    if let Some(df) = want.get("degrees_of_freedom").and_then(Value::as_f64) {
        expect("degrees_of_freedom", got.degrees_of_freedom, df);
    }
}

fn line(out: &mut Bits, label: &str, c: &Comparison) {
    out.line(
        label,
        &[
            c.estimate,
            c.interval.lower,
            c.interval.upper,
            c.statistic,
            c.p_value,
            c.degrees_of_freedom,
        ],
    );
}

#[test]
fn shared_vectors() {
    let doc = vectors("comparisons");
    let tolerance = doc["tolerance"].as_f64().unwrap();
    let mut out = Bits::default();
    let mut failures = Vec::new();
    for (index, case) in doc["proportions"].as_array().unwrap().iter().enumerate() {
        let i = &case["input"];
        let f = |k: &str| i[k].as_f64().unwrap();
        for want in case["expected"].as_array().unwrap() {
            let level = want["level"].as_f64().unwrap();
            let c = compare_proportions(f("successes1"), f("n1"), f("successes2"), f("n2"), level)
                .unwrap();
            let label = format!("proportions {index}@{level}");
            check(&label, &c, want, tolerance, &mut failures);
            line(&mut out, &label, &c);
        }
    }
    for (index, case) in doc["nps"].as_array().unwrap().iter().enumerate() {
        let counts = |g: &Value| {
            let k = |name: &str| g[name].as_u64().unwrap();
            Nps::from_counts(k("promoters"), k("passives"), k("detractors")).unwrap()
        };
        let (a, b) = (counts(&case["input"]["a"]), counts(&case["input"]["b"]));
        for want in case["expected"].as_array().unwrap() {
            let (method, level) =
                (want["method"].as_str().unwrap(), want["level"].as_f64().unwrap());
            let c = compare_nps(&a, &b, level, method.parse().unwrap()).unwrap();
            let label = format!("nps {index} {method}@{level}");
            check(&label, &c, want, tolerance, &mut failures);
            line(&mut out, &label, &c);
        }
    }
    for (index, case) in doc["means"].as_array().unwrap().iter().enumerate() {
        let i = &case["input"];
        let scale =
            Scale::new(i["scale"][0].as_i64().unwrap(), i["scale"][1].as_i64().unwrap(), 1, true)
                .unwrap();
        let group = |k: &str| {
            let scores: Vec<i64> =
                i[k].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
            rating(&scores, None, Missing::Reject, scale).unwrap()
        };
        let (a, b) = (group("a"), group("b"));
        for want in case["expected"].as_array().unwrap() {
            let level = want["level"].as_f64().unwrap();
            let c = compare_means(&a, &b, level).unwrap();
            let label = format!("means {index}@{level}");
            check(&label, &c, want, tolerance, &mut failures);
            line(&mut out, &label, &c);
        }
    }
    assert!(failures.is_empty(), "{} values differ:\n{}", failures.len(), failures.join("\n"));
    out.save("comparisons");
}
