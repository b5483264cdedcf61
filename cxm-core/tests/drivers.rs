//! The shared key-driver vectors (`testdata/drivers.json`: pingouin's LMG, relativeImp's
//! Johnson weights and a brute-force Shapley over every subset's fit, which agree) through
//! cxm-core; exact bits, bootstrap intervals included, go to `$CXM_VECTOR_OUT/drivers.rust.txt`.

mod common;

use common::{close, vectors, Bits};
use cxm_core::{key_drivers, DriverMethod, DriverOptions, KeyDrivers};
use serde_json::Value;

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

/// The analysis of a case by `method`, with `resamples` bootstrap resamples.
fn analyse(case: &Value, method: DriverMethod, resamples: u32) -> KeyDrivers {
    let score = floats(&case["score"]);
    // In the order named ("drivers" is an object, whose keys JSON does not order).
    let columns: Vec<(String, Vec<f64>)> = case["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| {
            let name = name.as_str().unwrap();
            (name.to_owned(), floats(&case["drivers"][name]))
        })
        .collect();
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    let drivers: Vec<&[f64]> = columns.iter().map(|(_, v)| v.as_slice()).collect();
    let weights = case["weights"].as_array().map(|_| floats(&case["weights"]));
    let options = DriverOptions { method, resamples, seed: 7, ..DriverOptions::default() };
    key_drivers(&score, &drivers, &names, weights.as_deref(), &options).unwrap()
}

/// Every figure of an analysis, in a fixed order, for the cross-surface bits.
fn figures(k: &KeyDrivers) -> Vec<f64> {
    let mut out = vec![k.r_squared];
    for d in &k.drivers {
        out.extend([d.contribution, d.share, d.coefficient]);
        for i in [d.contribution_interval, d.share_interval] {
            out.extend(i.map_or([f64::NAN; 2], |i| [i.lower, i.upper]));
        }
    }
    out
}

#[test]
fn shared_vectors() {
    let doc = vectors("drivers");
    let agree = doc["agree"].as_f64().unwrap();
    let mut out = Bits::default();
    let mut failures = Vec::new();
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        for (method, field) in [(DriverMethod::Lmg, "lmg"), (DriverMethod::Johnson, "johnson")] {
            let k = analyse(case, method, 0);
            if !close(k.r_squared, case["r_squared"].as_f64().unwrap(), agree) {
                failures.push(format!("{name} {field} r²: {}", k.r_squared));
            }
            let want = floats(&case[field]);
            let coefficients = floats(&case["coefficients"]);
            for (j, d) in k.drivers.iter().enumerate() {
                if !close(d.contribution, want[j], agree) {
                    failures.push(format!(
                        "{name} {field} {}: {} vs {}",
                        d.name, d.contribution, want[j]
                    ));
                }
                if !close(d.coefficient, coefficients[j], agree)
                    || f64::from(d.sign) != coefficients[j].signum()
                {
                    failures.push(format!("{name} coefficient {}: {}", d.name, d.coefficient));
                }
            }
            if method == DriverMethod::Lmg {
                for (j, row) in k.conditional.as_ref().unwrap().iter().enumerate() {
                    let want = floats(&case["conditional"][j]);
                    if row.iter().zip(&want).any(|(g, w)| !close(*g, *w, agree)) {
                        failures.push(format!("{name} conditional {j}: {row:?} vs {want:?}"));
                    }
                }
                let complete: Vec<Vec<i64>> = case["complete"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect())
                    .collect();
                let got: Vec<Vec<i64>> = k
                    .complete
                    .unwrap()
                    .iter()
                    .map(|r| r.iter().map(|&v| i64::from(v)).collect())
                    .collect();
                if got != complete {
                    failures.push(format!("{name} complete dominance: {got:?} vs {complete:?}"));
                }
            }
            // With 200 resamples: the bits every surface must write alike.
            let booted = analyse(case, method, 200);
            out.line(&format!("{name} {field}"), &figures(&booted));
        }
    }
    out.save("drivers");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
