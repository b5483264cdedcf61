//! The shared raking vectors (`testdata/raking.json`, from R `survey`: `calibrate(calfun =
//! "raking")` with and without bounds, `trimWeights`, `svymean` on the calibrated design and on
//! the weights taken as fixed) through cxm-core; exact bits go to
//! `$CXM_VECTOR_OUT/raking.rust.txt`.

mod common;

use common::{close, vectors, Bits, OwnedMargins};
use cxm_core::{
    calibrated_nps, calibrated_share, nps, rake, Bounds, CalibratedEstimate, Margin, Missing,
    RakeOptions, Raking, Scale,
};
use serde_json::Value;

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()
}

/// The case's raking, as its `margins`, `base_weights`, `bounds` and `trim` say.
fn raked(case: &Value) -> Raking {
    let owned = OwnedMargins::new(&case["margins"]);
    let margins = owned.margins();
    let base = case["base_weights"].as_array().map(|_| floats(&case["base_weights"]));
    let bounds = case["bounds"]
        .as_array()
        .map(|b| Bounds { lower: b[0].as_f64().unwrap(), upper: b[1].as_f64().unwrap() });
    let options = RakeOptions { bounds, ..RakeOptions::default() };
    let raking = rake(&margins, base.as_deref(), &options).unwrap();
    match case["trim"].as_array() {
        Some(t) => raking.trim(t[0].as_f64().unwrap(), t[1].as_f64().unwrap()).unwrap(),
        None => raking,
    }
}

fn estimate_fields(e: &CalibratedEstimate) -> [f64; 8] {
    [
        e.estimate,
        e.standard_error,
        e.interval.lower,
        e.interval.upper,
        e.fixed_weights_standard_error,
        e.kish_standard_error,
        e.effective_n,
        e.n as f64,
    ]
}

#[test]
fn shared_vectors() {
    let doc = vectors("raking");
    let (weight_tolerance, se_tolerance) =
        (doc["weight_tolerance"].as_f64().unwrap(), doc["se_tolerance"].as_f64().unwrap());
    let mut out = Bits::default();
    let mut failures = Vec::new();
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let raking = raked(case);
        assert!(raking.converged, "{name}: {raking:?}");
        let want = floats(&case["expected"]["weights"]);
        for (i, (&got, &w)) in raking.weights.iter().zip(&want).enumerate() {
            if !close(got, w, weight_tolerance) {
                failures.push(format!("{name}: weight {i} {got} vs {w}"));
            }
        }
        if case["trim"].is_null() {
            assert!(raking.max_residual <= 1e-10, "{name}: {}", raking.max_residual);
        }
        let scores = floats(&case["scores"]);
        let answers = floats(&case["answers"]);
        let missing =
            if scores.iter().any(|s| s.is_nan()) { Missing::Skip } else { Missing::Reject };
        let nps_estimate = calibrated_nps(&scores, &raking, missing, 0.95).unwrap();
        let share =
            calibrated_share(&answers, &raking, Scale::csat(), Missing::Reject, 0.95).unwrap();
        for (what, got) in [("nps", &nps_estimate), ("share", &share)] {
            let want = &case["expected"][what];
            for (field, value) in [
                ("estimate", got.estimate),
                ("standard_error", got.standard_error),
                ("fixed_weights_standard_error", got.fixed_weights_standard_error),
            ] {
                let w = want[field].as_f64().unwrap();
                if !close(value, w, se_tolerance) {
                    failures.push(format!("{name} {what} {field}: {value} vs {w}"));
                }
            }
            // The interval is Wald's, and the Kish error what `nps` gives with these weights.
            let z = (got.interval.upper - got.estimate) / got.standard_error;
            assert!((z - 1.959_963_984_540_054).abs() < 1e-9, "{name} {what}: z {z}");
        }
        let kish = nps(&scores, Some(&raking.weights), missing).unwrap();
        assert_eq!(nps_estimate.kish_standard_error, kish.standard_error);
        out.line(&format!("{name} weights"), &raking.weights);
        out.line(
            &format!("{name} fit"),
            &[
                f64::from(raking.iterations),
                raking.max_residual,
                raking.design_effect,
                raking.effective_n,
                raking.efficiency,
                raking.trimmed as f64,
            ],
        );
        out.line(&format!("{name} nps"), &estimate_fields(&nps_estimate));
        out.line(&format!("{name} share"), &estimate_fields(&share));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    out.save("raking");
}

/// The same answer however the rows are ordered: the cells, not the row order, set the sweeps.
#[test]
fn weights_follow_their_rows_when_the_rows_are_shuffled() {
    let doc = vectors("raking");
    let case = &doc["cases"][1];
    let raking = raked(case);
    let n = raking.weights.len();
    let order: Vec<usize> = (0..n).map(|i| (i * 7919) % n).collect();
    let mut shuffled = case.clone();
    for m in shuffled["margins"].as_array_mut().unwrap() {
        let codes = m["codes"].as_array().unwrap().clone();
        m["codes"] = order.iter().map(|&i| codes[i].clone()).collect();
    }
    let base = case["base_weights"].as_array().unwrap().clone();
    shuffled["base_weights"] = order.iter().map(|&i| base[i].clone()).collect();
    let again = raked(&shuffled);
    // What it was given reads back.
    let owned = OwnedMargins::new(&shuffled["margins"]);
    assert_eq!(again.codes(1).unwrap(), owned.codes[1]);
    assert!(again.codes(owned.codes.len()).is_none());
    assert_eq!(again.base_weights().unwrap(), floats(&shuffled["base_weights"]).as_slice());
    for (k, &i) in order.iter().enumerate() {
        assert!(close(again.weights[k], raking.weights[i], 1e-12), "row {i}");
    }
}

#[test]
fn refuses_what_it_cannot_rake() {
    let region = [0_u32, 0, 1, 1];
    let rake_with = |codes: &[u32], targets: &[f64], bounds: Option<Bounds>| {
        let margins = [Margin { name: "region", codes, targets, labels: None }];
        rake(&margins, None, &RakeOptions { bounds, ..RakeOptions::default() })
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        rake_with(&[0, 2, 1, 1], &[1.0, 1.0], None),
        "margin 'region' has category 2 at index 1, but targets for only 2 categories (0..=1)"
    );
    assert_eq!(
        rake_with(&region, &[1.0, 1.0, 3.0], None),
        "margin 'region' has a target for category 2 but no respondent in it (with a positive base weight) to carry it"
    );
    assert_eq!(
        rake_with(&region, &[1.0, f64::NAN], None),
        "margin 'region' has target NaN for category 1: targets must be positive and finite"
    );
    assert_eq!(
        rake_with(&region, &[1.0, 9.0], Some(Bounds { lower: 0.5, upper: 1.5 })),
        "the weights cannot meet the margins within the bounds: category 0 of margin 'region' has a target of 1 but its respondents can carry only 2.5 to 7.5 within the bounds"
    );
    assert_eq!(
        rake_with(&region, &[1.0, 9.0], Some(Bounds { lower: 1.5, upper: 2.0 })),
        "bounds [1.5, 2] must satisfy 0 <= lower <= 1 <= upper: the weights' mean ratio is 1"
    );
    // With labels, a message names the category by its label.
    let labelled = [Margin {
        name: "region",
        codes: &region,
        targets: &[1.0, 1.0, 3.0],
        labels: Some(&["north", "south", "east"]),
    }];
    assert_eq!(
        rake(&labelled, None, &RakeOptions::default()).map(|_| ()).unwrap_err().to_string(),
        "margin 'region' has a target for category 'east' but no respondent in it (with a positive base weight) to carry it"
    );
    let plan = [0_u32, 1, 0, 1];
    let margins = [
        Margin { name: "region", codes: &region, targets: &[5.0, 5.0], labels: None },
        Margin { name: "plan", codes: &plan, targets: &[5.0, 6.0], labels: None },
    ];
    assert_eq!(
        rake(&margins, None, &RakeOptions::default()).unwrap_err().to_string(),
        "margin 'plan' has targets that add up to 11, but those of 'region' to 10: every margin must describe the same total"
    );
}

/// Margins that the sample's empty cells make contradictory: IPF cannot meet them and says so,
/// with the residuals, rather than handing back weights as if it had.
#[test]
fn reports_margins_it_cannot_meet() {
    // Region 0 holds only plan 0 and region 1 only plan 1, so region and plan are one variable
    // in the sample, but the targets split them differently.
    let region = [0_u32, 0, 1, 1];
    let plan = [0_u32, 0, 1, 1];
    let margins = [
        Margin { name: "region", codes: &region, targets: &[5.0, 5.0], labels: None },
        Margin { name: "plan", codes: &plan, targets: &[3.0, 7.0], labels: None },
    ];
    let options = RakeOptions { max_iterations: 50, ..RakeOptions::default() };
    let raked = rake(&margins, None, &options).unwrap();
    assert!(!raked.converged && raked.iterations == 50 && raked.max_residual > 0.1);
    let bounded = RakeOptions { bounds: Some(Bounds { lower: 0.0, upper: 10.0 }), ..options };
    assert_eq!(rake(&margins, None, &bounded).unwrap_err().kind(), "calibration_infeasible");
}

/// Two margins that say the same (a copy of one): the weights are those of one, and so is the
/// standard error, the copy's indicators left out of the fit as combinations of the first's.
#[test]
fn a_margin_twice_is_the_margin_once() {
    let region = [0_u32, 0, 0, 1, 1, 2, 2, 2, 2, 1];
    let targets = [3.0, 3.0, 4.0];
    let scores = [10_u8, 9, 3, 7, 8, 10, 0, 9, 6, 10];
    let once = [Margin { name: "region", codes: &region, targets: &targets, labels: None }];
    let twice = [once[0], Margin { name: "copy", codes: &region, targets: &targets, labels: None }];
    let (a, b) = (
        rake(&once, None, &RakeOptions::default()).unwrap(),
        rake(&twice, None, &RakeOptions::default()).unwrap(),
    );
    for (x, y) in a.weights.iter().zip(&b.weights) {
        assert!(close(*x, *y, 1e-12));
    }
    let (x, y) = (
        calibrated_nps(&scores, &a, Missing::Reject, 0.95).unwrap(),
        calibrated_nps(&scores, &b, Missing::Reject, 0.95).unwrap(),
    );
    assert!(close(x.standard_error, y.standard_error, 1e-9), "{x:?} {y:?}");
    assert!(x.standard_error < x.fixed_weights_standard_error);
}

/// Margins no finite weights can meet (the sample's two respondents are one cell of each
/// margin's): an error saying so, never NaN weights reported as converged.
#[test]
fn contradictory_margins_are_refused_not_nan() {
    let (a, b) = ([0_u32, 1], [0_u32, 1]);
    let margins = [
        Margin { name: "a", codes: &a, targets: &[0.9, 0.1], labels: None },
        Margin { name: "b", codes: &b, targets: &[0.1, 0.9], labels: None },
    ];
    let err = rake(&margins, None, &RakeOptions::default()).unwrap_err();
    assert_eq!(err.kind(), "calibration_infeasible", "{err}");
    assert!(err.to_string().contains("the margins contradict each other"), "{err}");
}

/// Trimming bounds that every weight lies outside leave nowhere for the excess: an error.
#[test]
fn trimming_that_leaves_no_weight_inside_is_refused() {
    let region = [0_u32, 0, 0, 1];
    let margins = [Margin { name: "region", codes: &region, targets: &[1.0, 1.0], labels: None }];
    let raked = rake(&margins, None, &RakeOptions::default()).unwrap();
    // Weights 1/3 and 1 of mean 1/2: 2/3 and 2 times it, outside [0.8, 1.2].
    assert_eq!(raked.trim(0.8, 1.2).unwrap_err().kind(), "invalid_calibration");
    assert!(raked.trim(0.5, 1.5).is_ok());
}
