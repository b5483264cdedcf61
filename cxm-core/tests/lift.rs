//! The shared lift and named-rate vectors (`testdata/lift.json`: statsmodels, checked against
//! mpmath) through cxm-core; exact bits go to `$CXM_VECTOR_OUT/lift.rust.txt` for the
//! cross-surface comparison, labelled by case index.

mod common;

use common::{close, number, vectors, Bits};
use cxm_core::{lift, named_rate, Lift, LiftMethod};

/// The figures of a lift in the order the vectors name them (and the bits are written).
fn figures(l: &Lift) -> [(&'static str, f64); 11] {
    [
        ("ratio", l.ratio),
        ("lower", l.interval.lower),
        ("upper", l.interval.upper),
        ("statistic", l.statistic),
        ("p_value", l.p_value),
        ("difference", l.difference),
        ("difference_lower", l.difference_interval.lower),
        ("difference_upper", l.difference_interval.upper),
        ("odds_ratio", l.odds_ratio),
        ("odds_ratio_lower", l.odds_ratio_interval.lower),
        ("odds_ratio_upper", l.odds_ratio_interval.upper),
    ]
}

#[test]
fn shared_vectors() {
    let doc = vectors("lift");
    let tolerance = doc["tolerance"].as_f64().unwrap();
    let mut out = Bits::default();
    let mut failures = Vec::new();
    for (index, case) in doc["lift"].as_array().unwrap().iter().enumerate() {
        let i = &case["input"];
        let k = |name: &str| i[name].as_i64().unwrap();
        for want in case["expected"].as_array().unwrap() {
            let level = want["level"].as_f64().unwrap();
            let l = lift(k("events_a"), k("n_a"), k("events_b"), k("n_b"), level).unwrap();
            let label = format!("lift {index}@{level}");
            if l.zero_cell_correction != case["zero_cell_correction"].as_bool().unwrap() {
                failures.push(format!("{label}: zero_cell_correction {}", l.zero_cell_correction));
            }
            if let Err(e) = l.check() {
                failures.push(format!("{label}: {e}"));
            }
            let values = figures(&l);
            for &(field, got) in &values {
                let expected = number(&want[field]);
                if !close(got, expected, tolerance) {
                    failures.push(format!("{label} {field}: {got} vs {expected}"));
                }
            }
            out.line(&label, &values.map(|(_, v)| v));
        }
    }
    for (index, case) in doc["rates"].as_array().unwrap().iter().enumerate() {
        let name = case["name"].as_str().unwrap().parse().unwrap();
        let (successes, n) = (case["successes"].as_i64().unwrap(), case["n"].as_i64().unwrap());
        for want in case["expected"].as_array().unwrap() {
            let (method, level) =
                (want["method"].as_str().unwrap(), want["level"].as_f64().unwrap());
            let r = named_rate(name, successes, n, level, method.parse().unwrap()).unwrap();
            let label = format!("rate {index} {method}@{level}");
            for (field, got) in
                [("estimate", r.estimate), ("lower", r.interval.lower), ("upper", r.interval.upper)]
            {
                let expected = number(&want[field]);
                if !close(got, expected, tolerance) {
                    failures.push(format!("{label} {field}: {got} vs {expected}"));
                }
            }
            assert_eq!(r.name, name);
            out.line(&label, &[r.estimate, r.interval.lower, r.interval.upper]);
        }
    }
    assert!(failures.is_empty(), "{} values differ:\n{}", failures.len(), failures.join("\n"));
    out.save("lift");
}

#[test]
fn every_lift_names_its_methods() {
    let l = lift(30, 200, 24, 400, 0.95).unwrap();
    let names = [l.ratio_method, l.test_method, l.difference_method, l.odds_ratio_method]
        .map(LiftMethod::name);
    assert_eq!(names, ["katz_log", "log_adjusted", "newcombe", "woolf"]);
}

#[test]
fn the_test_is_statsmodels_default_not_the_one_the_interval_inverts() {
    // 30/200 against 24/400: the unadjusted Wald z of ln RR (what the Katz interval inverts)
    // is ln 2.5 / √(1/30 − 1/200 + 1/24 − 1/400); the reported one adds ½ to counts and sizes.
    let l = lift(30, 200, 24, 400, 0.95).unwrap();
    let unadjusted =
        2.5_f64.ln() / (1.0 / 30.0 - 1.0 / 200.0 + 1.0 / 24.0 - 1.0 / 400.0_f64).sqrt();
    assert!((l.statistic - unadjusted).abs() > 0.01, "{} vs {unadjusted}", l.statistic);
    let adjusted = ((30.5 / 200.5) / (24.5 / 400.5_f64)).ln()
        / (1.0 / 30.5 - 1.0 / 200.5 + 1.0 / 24.5 - 1.0 / 400.5_f64).sqrt();
    assert!((l.statistic - adjusted).abs() < 1e-13, "{} vs {adjusted}", l.statistic);
}
