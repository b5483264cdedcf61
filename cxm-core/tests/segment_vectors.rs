//! The shared grouped and periodised vectors (`testdata/segments.json`): each group's n and
//! estimate match the generator's plain-Python sums, period labels match Python's datetime, and
//! every number of the segment tables and every period code is written for the cross-surface
//! comparison (C and Python write the same lines).

use cxm_core::{
    bucket_periods, period_label, segment_table, Adjustment, Compare, Missing, NpsMethod, NpsState,
    Period, ProportionMethod, RatingState, Scale, SegmentOptions, SegmentRow, SegmentTable,
};
use serde_json::Value;

mod common;

use common::{number, vectors, Bits};

fn options(o: &Value) -> SegmentOptions {
    let compare = match o["compare"].as_str().unwrap() {
        "rest" => Compare::Rest,
        "overall" => Compare::Overall,
        _ => Compare::Baseline(usize::try_from(o["baseline"].as_u64().unwrap()).unwrap()),
    };
    SegmentOptions {
        level: number(&o["level"]),
        compare,
        adjustment: o["adjustment"].as_str().unwrap().parse::<Adjustment>().unwrap(),
        min_n: o["min_n"].as_u64().unwrap(),
    }
}

fn line(out: &mut Bits, label: &str, r: &SegmentRow) {
    let values =
        [r.estimate, r.standard_error, r.lower, r.upper, r.difference, r.p_value, r.p_adjusted];
    out.line(&format!("{label} n={} small={}", r.n, u8::from(r.small)), &values);
}

fn table<T: cxm_core::Segmented>(
    prototype: &T,
    case: &Value,
    method: T::Method,
    estimate: impl Fn(&T::Output) -> f64,
) -> SegmentTable {
    let scores: Vec<f64> =
        case["scores"].as_array().unwrap().iter().map(|s| s.as_f64().unwrap_or(f64::NAN)).collect();
    let weights: Option<Vec<f64>> =
        case.get("weights").map(|w| w.as_array().unwrap().iter().map(number).collect());
    let rows: Vec<u32> = case["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| u32::try_from(g.as_u64().unwrap()).unwrap())
        .collect();
    let groups = usize::try_from(case["group_count"].as_u64().unwrap()).unwrap();
    let missing: Missing = case["missing"].as_str().unwrap().parse().unwrap();
    let states = prototype.by_group(&scores, weights.as_deref(), &rows, groups, missing).unwrap();
    for (state, want) in states.iter().zip(case["expected"].as_array().unwrap()) {
        assert_eq!(state.n(), want["n"].as_u64().unwrap());
        let got = estimate(&state.finish().unwrap());
        assert!(common::close(got, number(&want["estimate"]), 1e-12), "{got} {want}");
    }
    segment_table(&states, &options(&case["options"]), method).unwrap()
}

#[test]
fn shared_vectors() {
    let v = vectors("segments");
    let mut out = Bits::default();
    for (i, case) in v["groups"].as_array().unwrap().iter().enumerate() {
        let method = case["method"].as_str().unwrap();
        let t = if case["metric"] == "nps" {
            let method: NpsMethod = method.parse().unwrap();
            table(&NpsState::new(), case, method, |r| r.score)
        } else {
            let s: Vec<i64> = case["scale"].as_array().unwrap()[..3]
                .iter()
                .map(|x| x.as_i64().unwrap())
                .collect();
            let scale = Scale::new(s[0], s[1], s[2], case["scale"][3].as_bool().unwrap()).unwrap();
            let method: ProportionMethod = method.parse().unwrap();
            table(&RatingState::new(scale), case, method, |r| r.share)
        };
        for r in &t.rows {
            line(&mut out, &format!("groups[{i}] group {}", r.group.unwrap()), r);
        }
        line(&mut out, &format!("groups[{i}] overall"), &t.overall);
    }
    for (i, case) in v["periods"].as_array().unwrap().iter().enumerate() {
        let times: Vec<i64> =
            case["times"].as_array().unwrap().iter().map(|t| t.as_i64().unwrap()).collect();
        let period: Period = case["freq"].as_str().unwrap().parse().unwrap();
        let offset = i32::try_from(case["utc_offset"].as_i64().unwrap()).unwrap();
        let (codes, first) = bucket_periods(&times, period, offset).unwrap();
        for (code, want) in codes.iter().zip(case["labels"].as_array().unwrap()) {
            assert_eq!(period_label(first + i64::from(*code), period), want.as_str().unwrap());
        }
        let codes: Vec<f64> = codes.iter().map(|&c| f64::from(c)).collect();
        #[allow(clippy::cast_precision_loss)] // period numbers are small
        out.line(&format!("periods[{i}] first={first}"), &codes);
    }
    out.save("segments");
}
