//! Churn, Poisson-rate intervals, customer flows and NCVG against `testdata/churn.json`
//! (written by `testdata/generate_churn.py`: statsmodels' `confint_poisson` and
//! `proportion_confint`, Gamma quantiles solved with mpmath, and an independent brute-force
//! flow over the records).

mod common;

use common::{close, number, same, vectors, Bits};
use cxm_core::{churn, customer_flow, ncvg, rate_interval, ChurnBasis, CustomerRecords, OPEN_END};
use serde_json::Value;

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap()
}

fn ints(v: &Value) -> Option<Vec<i64>> {
    v.as_array().map(|a| a.iter().map(|x| x.as_i64().unwrap_or(OPEN_END)).collect())
}

#[test]
fn rate_intervals_match_statsmodels_and_mpmath() {
    let doc = vectors("churn");
    let tolerance = doc["tolerance"].as_f64().unwrap();
    let loose = doc["statsmodels_tolerance"].as_f64().unwrap();
    let mut out = Bits::default();
    let mut failures = Vec::new();
    for (i, case) in doc["rate_intervals"].as_array().unwrap().iter().enumerate() {
        let (k, e) = (case["count"].as_f64().unwrap(), case["exposure"].as_f64().unwrap());
        let (level, method) = (case["level"].as_f64().unwrap(), case["method"].as_str().unwrap());
        let ci = rate_interval(k, e, level, method.parse().unwrap()).unwrap();
        out.line(&format!("rate {i}"), &[ci.lower, ci.upper]);
        for (limit, got) in [("lower", ci.lower), ("upper", ci.upper)] {
            let want = case[limit].as_f64().unwrap();
            if (got - want).abs() > tolerance * want.abs() + 1e-300 {
                failures.push(format!("{method} {k}/{e} @{level} {limit}: {got:e} vs {want:e}"));
            }
            if let Some(sm) = case.get(format!("statsmodels_{limit}")).and_then(Value::as_f64) {
                if (got - sm).abs() > loose * sm.abs() + 1e-300 {
                    failures
                        .push(format!("{method} {k}/{e} @{level} {limit}: {got:e} vs sm {sm:e}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} limits differ:\n{}", failures.len(), failures.join("\n"));
    out.save("rates");
}

#[test]
fn churn_counts_and_intervals() {
    let doc = vectors("churn");
    let mut out = Bits::default();
    for (i, case) in doc["churn"].as_array().unwrap().iter().enumerate() {
        let end = case["customers_at_end"].as_i64();
        let basis: ChurnBasis = case["basis"].as_str().unwrap().parse().unwrap();
        let c = churn(int(&case["lost"]), int(&case["customers_at_start"]), end, basis).unwrap();
        assert_eq!(c.rate, case["rate"].as_f64().unwrap(), "case {i}");
        assert_eq!(c.retention, case["retention"].as_f64().unwrap(), "case {i}");
        assert_eq!(c.growth, case["growth"].as_f64(), "case {i}");
        out.line(&format!("churn {i}"), &[c.rate, c.retention, c.growth.unwrap_or(f64::NAN)]);
        for ci_case in case["intervals"].as_array().unwrap() {
            let level = ci_case["level"].as_f64().unwrap();
            let name = ci_case["method"].as_str().unwrap();
            let ci = c.interval(level, basis.method(name).unwrap()).unwrap();
            for (got, limit) in [(ci.lower, "lower"), (ci.upper, "upper")] {
                let want = ci_case[limit].as_f64().unwrap();
                assert!(close(got, want, 1e-9), "case {i} {name}@{level} {limit}: {got} vs {want}");
            }
            out.line(&format!("churn {i} {name}@{level}"), &[ci.lower, ci.upper]);
        }
    }
    out.save("churn");
}

#[test]
fn flows_match_the_brute_force_reference() {
    let doc = vectors("churn");
    let mut out = Bits::default();
    for (i, case) in doc["flows"].as_array().unwrap().iter().enumerate() {
        let starts = ints(&case["starts"]).unwrap();
        let (ends, values, ids) =
            (ints(&case["ends"]), ints(&case["values"]), ints(&case["customers"]));
        let records = CustomerRecords {
            starts: &starts,
            ends: ends.as_deref(),
            values: values.as_deref(),
            customers: ids.as_deref(),
        };
        let flow =
            customer_flow(&records, int(&case["window_start"]), int(&case["window_end"])).unwrap();
        let got = serde_json::to_value(flow).unwrap();
        let name = case["name"].as_str().unwrap();
        let mut bits = Vec::new();
        for (field, want) in case["expected"].as_object().unwrap() {
            let value = &got[field];
            if let Some(w) = want.as_i64() {
                assert_eq!(value.as_i64(), Some(w), "{name}: {field}");
            } else if let Some(w) = want.as_bool() {
                assert_eq!(value.as_bool(), Some(w), "{name}: {field}");
            } else {
                let g = value.as_f64().unwrap_or(f64::NAN); // serde writes NaN as null
                assert!(same(g, number(want), 1e-15), "{name}: {field} {g} vs {want}");
            }
        }
        for field in [
            "customers_at_start",
            "customers_at_end",
            "gained",
            "lost",
            "exposure_months",
            "churn_by_exposure",
            "value_at_start",
            "value_at_end",
            "new_value",
            "lost_value",
            "expansion",
            "contraction",
            "gross_revenue_churn",
            "gross_revenue_retention",
            "net_revenue_retention",
        ] {
            bits.push(got[field].as_f64().unwrap_or(f64::NAN));
        }
        out.line(&format!("flow {i}"), &bits);
        for ci_case in case["intervals"].as_array().unwrap() {
            let level = ci_case["level"].as_f64().unwrap();
            let method = ci_case["method"].as_str().unwrap();
            let ci = flow.churn_by_exposure_interval(level, method.parse().unwrap()).unwrap();
            for (got, limit) in [(ci.lower, "lower"), (ci.upper, "upper")] {
                let want = ci_case[limit].as_f64().unwrap();
                assert!(close(got, want, 1e-9), "{name} {method}: {limit} {got} vs {want}");
            }
            out.line(&format!("flow {i} {method}@{level}"), &[ci.lower, ci.upper]);
        }
        let g = flow.ncvg().unwrap();
        assert_eq!((g.new_count, g.lost_count), (flow.gained, flow.lost));
        out.line(&format!("flow {i} ncvg"), &[g.net_count as f64, g.net_value as f64]);
    }
    out.save("flows");
}

#[test]
fn ncvg_is_exact() {
    let doc = vectors("churn");
    for case in doc["ncvg"].as_array().unwrap() {
        let g = ncvg(
            int(&case["new_count"]),
            int(&case["new_value"]),
            int(&case["lost_count"]),
            int(&case["lost_value"]),
        )
        .unwrap();
        assert_eq!((g.net_count, g.net_value), (int(&case["net_count"]), int(&case["net_value"])));
    }
}
