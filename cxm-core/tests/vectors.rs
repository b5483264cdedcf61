//! Runs the shared NPS vectors (`testdata/nps.json`) through cxm-core, as the C and Python
//! tests run them through their surfaces. With `CXM_VECTOR_OUT=dir` set, also writes the exact
//! bits of every computed number to `dir/nps.rust.txt`, which the test script compares with the
//! C and Python files: one logic, three surfaces, identical bits.

mod common;

use common::{close, vectors, Bits};
use cxm_core::{nps, DirichletPrior, Error, Missing, Nps, NpsMethod};
use serde_json::Value;

// The vectors hold small whole scores, so the casts below are exact.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn run(input: &Value) -> Result<Nps, Error> {
    if let Some(counts) = input.get("counts") {
        let count = |k: &str| counts[k].as_u64().unwrap();
        return Nps::from_counts(count("promoters"), count("passives"), count("detractors"));
    }
    let scores: Vec<f64> = input["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_f64().unwrap_or(f64::NAN))
        .collect();
    let weights: Option<Vec<f64>> =
        input["weights"].as_array().map(|w| w.iter().map(|x| x.as_f64().unwrap()).collect());
    let missing: Missing = input["missing"].as_str().unwrap().parse().unwrap();
    let from_floats = nps(&scores, weights.as_deref(), missing);
    // Whole scores must give the same result, bit for bit, through every integer width (an
    // error holds the value in the input's own type, so those are compared by message).
    let same = |other: Result<Nps, Error>| {
        let message = |r: &Result<Nps, Error>| r.as_ref().map_err(ToString::to_string).copied();
        assert_eq!(message(&other), message(&from_floats));
    };
    if scores.iter().all(|s| s.fract() == 0.0) {
        let as_i64: Vec<i64> = scores.iter().map(|&s| s as i64).collect();
        let as_i32: Vec<i32> = scores.iter().map(|&s| s as i32).collect();
        same(nps(&as_i64, weights.as_deref(), missing));
        same(nps(&as_i32, weights.as_deref(), missing));
        if scores.iter().all(|&s| (0.0..=255.0).contains(&s)) {
            let as_u8: Vec<u8> = scores.iter().map(|&s| s as u8).collect();
            same(nps(&as_u8, weights.as_deref(), missing));
        }
    }
    from_floats
}

#[test]
fn shared_vectors() {
    let doc = vectors("nps");
    let tolerance = doc["tolerance"].as_f64().unwrap();
    let mut out = Bits::default();
    let mut failures = Vec::new();
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let result = run(&case["input"]);
        if let Some(error) = case.get("error") {
            let err = result.expect_err(name);
            assert_eq!(err.to_string(), error["message"].as_str().unwrap(), "{name}");
            assert_eq!(err.kind(), error["kind"].as_str().unwrap(), "{name}");
            continue;
        }
        let result = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = &case["expected"];
        for (field, got) in [
            ("n", result.n),
            ("promoters", result.promoters),
            ("passives", result.passives),
            ("detractors", result.detractors),
        ] {
            assert_eq!(got, want[field].as_u64().unwrap(), "{name} {field}");
        }
        for (field, got) in [
            ("promoter_share", result.promoter_share),
            ("passive_share", result.passive_share),
            ("detractor_share", result.detractor_share),
            ("score", result.score),
            ("standard_error", result.standard_error),
            ("effective_n", result.effective_n),
        ] {
            let expected = want[field].as_f64().unwrap();
            if !close(got, expected, tolerance) {
                failures.push(format!("{name} {field}: {got} vs {expected}"));
            }
            out.line(&format!("{name} {field}"), &[got]);
        }
        for interval in want["intervals"].as_array().unwrap() {
            let (m, level) =
                (interval["method"].as_str().unwrap(), interval["level"].as_f64().unwrap());
            let ci = result.confidence_interval(level, m.parse().unwrap()).unwrap();
            for (limit, got) in [("lower", ci.lower), ("upper", ci.upper)] {
                let expected = interval[limit].as_f64().unwrap();
                if !close(got, expected, tolerance) {
                    failures.push(format!("{name} {m}@{level} {limit}: {got} vs {expected}"));
                }
            }
            out.line(&format!("{name} {m}@{level}"), &[ci.lower, ci.upper]);
        }
    }
    simulated_intervals(&doc, tolerance, &mut out, &mut failures);
    let some = Nps::from_counts(1, 1, 1).unwrap();
    for invalid in doc["invalid_levels"].as_array().unwrap() {
        let err = some
            .confidence_interval(invalid["level"].as_f64().unwrap(), NpsMethod::Wald)
            .unwrap_err();
        assert_eq!(err.to_string(), invalid["message"].as_str().unwrap());
    }
    assert!(
        failures.is_empty(),
        "{} values differ from the reference:\n{}",
        failures.len(),
        failures.join("\n")
    );
    out.save("nps");
}

/// The seeded intervals. Bootstrap: its percentiles are the exact bootstrap quantiles. Bayesian:
/// Monte Carlo limits within the case's allowance (5 standard errors) of the exact ones.
fn simulated_intervals(doc: &Value, tolerance: f64, out: &mut Bits, failures: &mut Vec<String>) {
    let counts = |case: &Value| {
        let k = |name: &str| case["counts"][name].as_u64().unwrap();
        Nps::from_counts(k("promoters"), k("passives"), k("detractors")).unwrap()
    };
    let whole = |case: &Value, name: &str| case[name].as_u64().unwrap();
    for (index, case) in doc["bootstrap"].as_array().unwrap().iter().enumerate() {
        let method = NpsMethod::Bootstrap {
            resamples: u32::try_from(whole(case, "resamples")).unwrap(),
            seed: whole(case, "seed"),
        };
        let ci = counts(case).confidence_interval(case["level"].as_f64().unwrap(), method).unwrap();
        for (limit, got) in [("lower", ci.lower), ("upper", ci.upper)] {
            let expected = case[limit].as_f64().unwrap();
            if !close(got, expected, tolerance) {
                failures.push(format!("bootstrap {index} {limit}: {got} vs {expected}"));
            }
        }
        out.line(&format!("bootstrap {index}"), &[ci.lower, ci.upper]);
    }
    for (index, case) in doc["bayesian"].as_array().unwrap().iter().enumerate() {
        let a = |name: &str| case["prior"][name].as_f64().unwrap();
        let prior = DirichletPrior {
            promoters: a("promoters"),
            passives: a("passives"),
            detractors: a("detractors"),
        };
        let method = NpsMethod::Bayesian {
            prior,
            draws: u32::try_from(whole(case, "draws")).unwrap(),
            seed: whole(case, "seed"),
        };
        let ci = counts(case).confidence_interval(case["level"].as_f64().unwrap(), method).unwrap();
        let allowance = case["allowance"].as_f64().unwrap();
        for (limit, got) in [("lower", ci.lower), ("upper", ci.upper)] {
            let exact = case[limit].as_f64().unwrap();
            if (got - exact).abs() > allowance {
                failures.push(format!("bayesian {index} {limit}: {got} vs exact {exact}"));
            }
        }
        out.line(&format!("bayesian {index}"), &[ci.lower, ci.upper]);
    }
}
