//! Proportion intervals against statsmodels' definitions (`testdata/proportions.json`, written
//! by `testdata/generate_proportions.py`), including Clopper–Pearson and Jeffreys at n = 1e10,
//! where the expected Beta quantiles come from mpmath and scipy's own are checked more loosely.

mod common;

use common::{vectors, Bits};
use cxm_core::proportion_interval;
use serde_json::Value;

#[test]
fn matches_statsmodels() {
    let doc = vectors("proportions");
    let mut out = Bits::default();
    let tolerance = doc["tolerance"].as_f64().unwrap();
    let loose = doc["statsmodels_tolerance"].as_f64().unwrap();
    let mut failures = Vec::new();
    let mut worst = 0.0_f64;
    for case in doc["cases"].as_array().unwrap() {
        let (x, n) = (case["successes"].as_f64().unwrap(), case["n"].as_f64().unwrap());
        let (level, method) = (case["level"].as_f64().unwrap(), case["method"].as_str().unwrap());
        let ci = proportion_interval(x, n, level, method.parse().unwrap()).unwrap();
        out.line(&format!("{method} {x}/{n}@{level}"), &[ci.lower, ci.upper]);
        for (limit, got) in [("lower", ci.lower), ("upper", ci.upper)] {
            let want = case[limit].as_f64().unwrap();
            let error = (got - want).abs();
            if want.abs() > 1e-15 {
                worst = worst.max(error / want.abs());
            }
            if error > tolerance * want.abs() + 1e-20 {
                failures.push(format!("{method} {x}/{n} @{level} {limit}: {got:e} vs {want:e}"));
            }
            if let Some(scipy) = case.get(format!("statsmodels_{limit}")).and_then(Value::as_f64) {
                if (got - scipy).abs() > loose * scipy.abs() + 1e-20 {
                    failures.push(format!(
                        "{method} {x}/{n} @{level} {limit}: {got:e} vs statsmodels {scipy:e}"
                    ));
                }
            }
        }
    }
    println!("largest relative difference from the reference: {worst:.2e}");
    assert!(failures.is_empty(), "{} limits differ:\n{}", failures.len(), failures.join("\n"));
    out.save("proportions");
}
