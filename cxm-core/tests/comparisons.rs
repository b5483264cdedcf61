//! The shared two-sample comparison vectors (`testdata/comparisons.json`: statsmodels for
//! proportions, mpmath for NPS, scipy's Welch test for means) through cxm-core; exact bits go to
//! `$CXM_VECTOR_OUT/comparisons.rust.txt` for the cross-surface comparison, labelled by case
//! index so that no surface's float formatting enters the comparison.

mod common;

use common::{number, same, vectors, Bits};
use cxm_core::{
    compare_means, compare_nps, compare_proportions, nps_vs_benchmark, proportion_vs_benchmark,
    rating, Alternative, BenchmarkTest, Comparison, Missing, Nps, NpsMethod, Scale,
};
use serde_json::Value;

/// The fields every comparison and benchmark test reports, by their names in the vectors.
fn reported(
    estimate: f64,
    interval: cxm_core::Interval,
    p_value: f64,
    statistic: f64,
) -> [(&'static str, f64); 5] {
    [
        ("estimate", estimate),
        ("lower", interval.lower),
        ("upper", interval.upper),
        ("p_value", p_value),
        ("statistic", statistic),
    ]
}

fn check(what: &str, got: &Comparison, want: &Value, tolerance: f64, failures: &mut Vec<String>) {
    // What the core computes passes its own check of a rebuilt result.
    if let Err(e) = got.check() {
        failures.push(format!("{what}: {e}"));
    }
    let values = reported(got.estimate, got.interval, got.p_value, got.statistic);
    expect_all(what, &values, want, tolerance, failures);
    if want.get("degrees_of_freedom").is_some() {
        let df = [("degrees_of_freedom", got.degrees_of_freedom)];
        expect_all(what, &df, want, tolerance, failures);
    }
}

fn expect_all(
    what: &str,
    values: &[(&str, f64)],
    want: &Value,
    tolerance: f64,
    failures: &mut Vec<String>,
) {
    for &(field, got) in values {
        let expected = number(&want[field]);
        if !same(got, expected, tolerance) {
            failures.push(format!("{what} {field}: {got} vs {expected}"));
        }
    }
}

fn check_benchmark(
    what: &str,
    got: &BenchmarkTest,
    want: &Value,
    tolerance: f64,
    failures: &mut Vec<String>,
) {
    if let Err(e) = got.check() {
        failures.push(format!("{what}: {e}"));
    }
    let values = reported(got.estimate, got.interval, got.p_value, got.statistic);
    expect_all(what, &values, want, tolerance, failures);
}

fn benchmark_line(out: &mut Bits, label: &str, t: &BenchmarkTest) {
    out.line(label, &[t.estimate, t.interval.lower, t.interval.upper, t.statistic, t.p_value]);
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
    for (index, case) in doc["proportion_benchmarks"].as_array().unwrap().iter().enumerate() {
        let i = &case["input"];
        let f = |k: &str| i[k].as_f64().unwrap();
        let alternative = i["alternative"].as_str().unwrap().parse().unwrap();
        for want in case["expected"].as_array().unwrap() {
            let method = want["method"].as_str().unwrap();
            let t = proportion_vs_benchmark(
                f("successes"),
                f("n"),
                f("benchmark"),
                alternative,
                0.95,
                method.parse().unwrap(),
            )
            .unwrap();
            let label = format!("proportion_benchmark {index} {method}");
            check_benchmark(&label, &t, want, tolerance, &mut failures);
            benchmark_line(&mut out, &label, &t);
        }
    }
    for (index, case) in doc["nps_benchmarks"].as_array().unwrap().iter().enumerate() {
        let i = &case["input"];
        let k = |name: &str| i["counts"][name].as_u64().unwrap();
        let nps = Nps::from_counts(k("promoters"), k("passives"), k("detractors")).unwrap();
        let alternative = i["alternative"].as_str().unwrap().parse().unwrap();
        for want in case["expected"].as_array().unwrap() {
            let method = want["method"].as_str().unwrap();
            let t = nps_vs_benchmark(
                &nps,
                i["benchmark"].as_f64().unwrap(),
                alternative,
                0.95,
                method.parse().unwrap(),
            )
            .unwrap();
            let label = format!("nps_benchmark {index} {method}");
            check_benchmark(&label, &t, want, tolerance, &mut failures);
            benchmark_line(&mut out, &label, &t);
        }
    }
    assert!(failures.is_empty(), "{} values differ:\n{}", failures.len(), failures.join("\n"));
    out.save("comparisons");
}

#[test]
fn methods_that_do_not_apply_are_named_in_the_error() {
    let (a, b) = (Nps::from_counts(50, 30, 20).unwrap(), Nps::from_counts(40, 30, 30).unwrap());
    let boot = NpsMethod::Bootstrap { resamples: 100, seed: 0 };
    let err = compare_nps(&a, &b, 0.95, boot).unwrap_err();
    assert_eq!(err.to_string(), "the method bootstrap is not available for comparing two NPS");
    let bayes: NpsMethod = "bayesian".parse().unwrap();
    let err = nps_vs_benchmark(&a, 20.0, Alternative::Greater, 0.95, bayes).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the method bayesian is not available for testing an NPS against a benchmark"
    );
}
