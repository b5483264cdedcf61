//! The shared CSAT/CES vectors (`testdata/ratings.json`) through cxm-core; exact bits of every
//! computed number go to `$CXM_VECTOR_OUT/ratings.rust.txt` for the cross-surface comparison.

mod common;

use common::{close, vectors, Bits};
use cxm_core::{rating, Error, Missing, Rating, Scale};
use serde_json::Value;

fn run(input: &Value) -> Result<Rating, Error> {
    let s = &input["scale"];
    let scale = Scale::new(
        s["min"].as_i64().unwrap(),
        s["max"].as_i64().unwrap(),
        s["threshold"].as_i64().unwrap(),
        s["higher_is_better"].as_bool().unwrap(),
    )?;
    let scores: Vec<f64> = input["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap_or(f64::NAN))
        .collect();
    let weights: Option<Vec<f64>> =
        input["weights"].as_array().map(|w| w.iter().map(|x| x.as_f64().unwrap()).collect());
    let missing: Missing = input["missing"].as_str().unwrap().parse().unwrap();
    rating(&scores, weights.as_deref(), missing, scale)
}

#[test]
fn shared_vectors() {
    let doc = vectors("ratings");
    let tolerance = doc["tolerance"].as_f64().unwrap();
    let mut out = Bits::default();
    let mut failures = Vec::new();
    let mut check = |what: String, got: f64, want: f64| {
        if !close(got, want, tolerance) {
            failures.push(format!("{what}: {got} vs {want}"));
        }
    };
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let result = run(&case["input"]);
        if let Some(error) = case.get("error") {
            let err = result.expect_err(name);
            assert_eq!(err.kind(), error["kind"].as_str().unwrap(), "{name}");
            assert_eq!(err.to_string(), error["message"].as_str().unwrap(), "{name}");
            continue;
        }
        let r = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = &case["expected"];
        assert_eq!(r.n, want["n"].as_u64().unwrap(), "{name}");
        assert_eq!(r.favourable, want["favourable"].as_u64().unwrap(), "{name}");
        for (field, got) in [("share", r.share), ("mean", r.mean), ("effective_n", r.effective_n)] {
            check(format!("{name} {field}"), got, want[field].as_f64().unwrap());
            out.line(&format!("{name} {field}"), &[got]);
        }
        match want["standard_deviation"].as_f64() {
            Some(sd) => check(format!("{name} sd"), r.standard_deviation, sd),
            None => assert!(r.standard_deviation.is_nan(), "{name}: sd should be undefined"),
        }
        out.line(&format!("{name} standard_deviation"), &[r.standard_deviation]);
        for iv in want["share_intervals"].as_array().unwrap() {
            let (method, level) = (iv["method"].as_str().unwrap(), iv["level"].as_f64().unwrap());
            let ci = r.share_interval(level, method.parse().unwrap()).unwrap();
            check(
                format!("{name} share {method}@{level} lower"),
                ci.lower,
                iv["lower"].as_f64().unwrap(),
            );
            check(
                format!("{name} share {method}@{level} upper"),
                ci.upper,
                iv["upper"].as_f64().unwrap(),
            );
            out.line(&format!("{name} share {method}@{level}"), &[ci.lower, ci.upper]);
        }
        for iv in want["mean_intervals"].as_array().unwrap() {
            let level = iv["level"].as_f64().unwrap();
            let got = r.mean_interval(level);
            if let Some(kind) = iv["error"].as_str() {
                assert_eq!(got.unwrap_err().kind(), kind, "{name}");
                continue;
            }
            let ci = got.unwrap();
            check(format!("{name} mean@{level} lower"), ci.lower, iv["lower"].as_f64().unwrap());
            check(format!("{name} mean@{level} upper"), ci.upper, iv["upper"].as_f64().unwrap());
            out.line(&format!("{name} mean@{level}"), &[ci.lower, ci.upper]);
        }
    }
    assert!(failures.is_empty(), "{} values differ:\n{}", failures.len(), failures.join("\n"));
    out.save("ratings");
}
