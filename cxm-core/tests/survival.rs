//! Kaplan–Meier against R's survival package (`testdata/survival.json`, written by
//! `testdata/generate_survival.py`): the curve, Greenwood's standard error, both bands, and the
//! percentiles with their intervals, including ties, all open, none open, one record, weights
//! and a long case; and where lifelines differs, that it does as documented.

mod common;

use common::{close, vectors};
use cxm_core::{kaplan_meier, KaplanMeier, Transform};
use serde_json::Value;

#[allow(clippy::cast_precision_loss)] // i below 2^53
fn big(n: usize) -> (Vec<f64>, Vec<bool>) {
    // The formula of generate_survival.py's `big`.
    let times = (0..n as u64).map(|i| ((i * 7919) % 2881) as f64 * 60.0).collect();
    (times, (0..n).map(|i| i % 5 == 0).collect())
}

/// Numbers of a vector file: null as None, the string "inf" as infinity.
fn numbers(v: &Value) -> Vec<Option<f64>> {
    let number = |x: &Value| if x == "inf" { Some(f64::INFINITY) } else { x.as_f64() };
    v.as_array().unwrap().iter().map(number).collect()
}

/// A case's records: times, open flags and weights (none for unweighted).
type Records = (Vec<f64>, Vec<bool>, Option<Vec<f64>>);

/// The records a case of survival.json lists (not its long, formula-made one).
fn records(input: &Value) -> Records {
    let times: Vec<f64> = numbers(&input["times"]).into_iter().map(Option::unwrap).collect();
    let open: Vec<bool> =
        input["open"].as_array().unwrap().iter().map(|b| b.as_bool().unwrap()).collect();
    let weights: Option<Vec<f64>> =
        input["weights"].as_array().map(|w| w.iter().map(|x| x.as_f64().unwrap()).collect());
    (times, open, weights)
}

fn fit(case: &Value) -> KaplanMeier {
    let input = &case["input"];
    if input.get("formula").is_some() {
        let n = usize::try_from(input["n"].as_u64().unwrap()).unwrap();
        let (times, open) = big(n);
        return kaplan_meier(&times, Some(&open), None).unwrap();
    }
    let (times, open, weights) = records(input);
    kaplan_meier(&times, Some(&open), weights.as_deref()).unwrap()
}

/// R's value (None for NA) against ours (NaN for none), to `tolerance`.
fn same(got: f64, want: Option<f64>, tolerance: f64) -> bool {
    match want {
        None => got.is_nan(),
        Some(w) if w.is_infinite() => got == w,
        Some(w) => close(got, w, tolerance),
    }
}

#[test]
fn curves_bands_and_percentiles_match_r() {
    let doc = vectors("survival");
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let km = fit(case);
        for r in case["r"].as_array().unwrap() {
            let transform: Transform = r["transform"].as_str().unwrap().parse().unwrap();
            let level = r["level"].as_f64().unwrap();
            let curve = &r["curve"];
            let band = km.band(level, transform).unwrap();
            let times = numbers(&curve["time"]);
            // A long case keeps its first and last five steps.
            let rows: Vec<usize> = if r.get("curve_steps").is_some() {
                assert_eq!(km.steps.len() as u64, r["curve_steps"].as_u64().unwrap(), "{name}");
                (0..5).chain(km.steps.len() - 5..km.steps.len()).collect()
            } else {
                assert_eq!(km.steps.len(), times.len(), "{name}");
                (0..km.steps.len()).collect()
            };
            for (j, &i) in rows.iter().enumerate() {
                let (s, b) = (&km.steps[i], &band[i]);
                let want = |k: &str| numbers(&curve[k])[j];
                let what = format!("{name}, {transform:?} {level}, step {i}");
                assert_eq!(Some(s.time), want("time"), "{what}");
                assert!(same(s.at_risk, want("n_risk"), 1e-14), "{what}: at risk {}", s.at_risk);
                assert!(same(s.resolved, want("n_event"), 1e-14), "{what}");
                assert!(same(s.open, want("n_censor"), 1e-14), "{what}");
                assert!(
                    same(s.survival, want("surv"), 1e-15),
                    "{what}: {} vs {:?}",
                    s.survival,
                    want("surv")
                );
                assert!(same(s.greenwood.sqrt(), want("std_err"), 1e-13), "{what}: se");
                // R leaves the log-log band NA where the curve is 1; cxm gives [1, 1] there.
                let flat = s.survival == 1.0 && transform == Transform::LogLog;
                if flat {
                    assert_eq!((b.lower, b.upper), (1.0, 1.0), "{what}");
                } else {
                    assert!(
                        same(b.lower, want("lower"), 1e-13),
                        "{what}: lower {} {:?}",
                        b.lower,
                        want("lower")
                    );
                    assert!(
                        same(b.upper, want("upper"), 1e-13),
                        "{what}: upper {} {:?}",
                        b.upper,
                        want("upper")
                    );
                }
            }
            for q in r["percentiles"].as_array().unwrap() {
                let percent = q["percent"].as_f64().unwrap();
                let got = km.percentile(percent, level, transform).unwrap();
                let what = format!("{name}, {transform:?} {level}, percentile {percent}");
                assert_eq!(got.estimate, q["estimate"].as_f64(), "{what}: estimate");
                assert_eq!(got.lower, q["lower"].as_f64(), "{what}: lower");
                assert_eq!(got.upper, q["upper"].as_f64(), "{what}: upper");
            }
        }
    }
}

#[test]
fn lifelines_differs_where_documented() {
    let doc = vectors("survival");
    for case in doc["cases"].as_array().unwrap() {
        let Some(l) = case.get("lifelines") else { continue };
        let name = case["name"].as_str().unwrap();
        let km = fit(case);
        let band = km.band(0.95, Transform::LogLog).unwrap();
        // lifelines' timeline starts at 0 with S = 1; then one row per step.
        let survival = numbers(&l["survival"]);
        let (lower, upper) = (numbers(&l["lower"]), numbers(&l["upper"]));
        for (i, s) in km.steps.iter().enumerate() {
            assert!(same(s.survival, survival[i + 1], 1e-15), "{name} step {i}");
            if s.survival > 0.0 {
                assert!(same(band[i].lower, lower[i + 1], 1e-12), "{name} step {i} lower");
                assert!(same(band[i].upper, upper[i + 1], 1e-12), "{name} step {i} upper");
            } else {
                // At S = 0 lifelines reports [1, 1] (NaN filled with 1), cxm none.
                assert!(band[i].lower.is_nan() && upper[i + 1] == Some(0.0).or(upper[i + 1]));
            }
        }
        // The median: lifelines takes a flat's first time where R (and cxm) take its middle.
        let median = km.percentile(50.0, 0.95, Transform::LogLog).unwrap();
        let lifelines = l["median"].as_f64();
        if name == "none open, even count" {
            assert_eq!((median.estimate, lifelines), (Some(3.5), Some(4.0)));
        } else {
            assert_eq!(median.estimate, lifelines, "{name}");
        }
    }
}

#[test]
fn bad_records_are_named() {
    let err = kaplan_meier(&[1.0, -3.0], None, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "record at index 1 has the time -3: a duration is a finite number of seconds, 0 or more"
    );
    assert_eq!(kaplan_meier(&[1.0, f64::NAN], None, None).unwrap_err().kind(), "invalid_record");
    assert_eq!(kaplan_meier(&[], None, None).unwrap_err().kind(), "missing_input");
    assert_eq!(
        kaplan_meier(&[1.0], Some(&[true, false]), None).unwrap_err().kind(),
        "column_length_mismatch"
    );
    assert_eq!(kaplan_meier(&[1.0], None, Some(&[-1.0])).unwrap_err().kind(), "invalid_weight");
    assert_eq!(kaplan_meier(&[1.0], None, Some(&[0.0])).unwrap_err().kind(), "zero_total_weight");
}

#[allow(clippy::cast_precision_loss)] // i below 2^53
fn big_waits(n: u64) -> Vec<f64> {
    // The formula of generate_durations.py's `big`.
    (0..n).map(|i| ((i * 7919) % 3607) as f64 / 4.0).collect()
}

/// The summary of `seconds` (none open) that an expected entry of durations.json asks for: its
/// percentiles, time within and level.
fn summary_as_expected(seconds: &[f64], e: &Value) -> cxm_core::Durations {
    let percents: Vec<f64> = e["percentiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["percent"].as_f64().unwrap())
        .collect();
    let (within, level) = (e["within"]["seconds"].as_f64(), e["level"].as_f64().unwrap());
    cxm_core::durations(seconds, None, None, &percents, within, level, Transform::LogLog).unwrap()
}

#[test]
fn durations_match_numpy_scipy_and_statsmodels() {
    let doc = vectors("durations");
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let input = &case["input"];
        let seconds: Vec<f64> = match input.get("formula") {
            Some(_) => big_waits(input["n"].as_u64().unwrap()),
            None => numbers(&input["seconds"]).into_iter().map(Option::unwrap).collect(),
        };
        for e in case["expected"].as_array().unwrap() {
            let (level, wanted) =
                (e["level"].as_f64().unwrap(), e["percentiles"].as_array().unwrap());
            let d = summary_as_expected(&seconds, e);
            assert!(d.curve.is_none(), "{name}: no curve without open cases or weights");
            for (got, want) in d.percentiles.iter().zip(wanted) {
                let what = format!("{name} {level} {}", want["percent"]);
                // numpy's interpolation, to the bit; scipy's order statistics, exactly.
                assert_eq!(got.estimate, want["estimate"].as_f64(), "{what}");
                if let Some(lower) = want.get("lower") {
                    assert_eq!(got.lower, lower.as_f64(), "{what}: lower");
                    assert_eq!(got.upper, want["upper"].as_f64(), "{what}: upper");
                }
            }
            let mean = d.mean.unwrap();
            assert!(close(mean.estimate, e["mean"].as_f64().unwrap(), 1e-14), "{name}: mean");
            match e["mean_interval"].as_array() {
                Some(ci) => {
                    let sd = e["standard_deviation"].as_f64().unwrap();
                    assert!(close(mean.standard_deviation, sd, 1e-13), "{name}: sd");
                    let got = mean.interval.unwrap();
                    assert!(close(got.lower, ci[0].as_f64().unwrap(), 1e-12), "{name}: t lower");
                    assert!(close(got.upper, ci[1].as_f64().unwrap(), 1e-12), "{name}: t upper");
                }
                None => assert!(mean.interval.is_none()),
            }
            let w = d.within.unwrap();
            assert_eq!(w.share, e["within"]["share"].as_f64().unwrap(), "{name}");
            assert!(
                close(w.interval.lower, e["within"]["lower"].as_f64().unwrap(), 1e-13),
                "{name}"
            );
            assert!(
                close(w.interval.upper, e["within"]["upper"].as_f64().unwrap(), 1e-13),
                "{name}"
            );
        }
    }
}

#[test]
fn open_cases_or_weights_take_the_curve() {
    let seconds = [1.0, 2.0, 3.0, 4.0];
    let d = cxm_core::durations(
        &seconds,
        Some(&[false, true, false, false]),
        None,
        &[50.0],
        Some(2.0),
        0.95,
        Transform::Log,
    )
    .unwrap();
    let km = d.curve.as_ref().unwrap();
    assert_eq!(d.percentiles[0], km.percentile(50.0, 0.95, Transform::Log).unwrap());
    assert!(d.mean.is_none(), "no mean while cases are open");
    assert_eq!(d.within.unwrap().share, 0.25);
    let err = cxm_core::durations(&seconds, None, None, &[101.0], None, 0.95, Transform::Log)
        .unwrap_err();
    assert_eq!(err.kind(), "outside_supported_range");
}

/// The numbers every surface writes for one call of `durations` (the cross-surface suite
/// "survival"): its curve's steps, its median and percentiles, and its summary, NaN where absent.
fn durations_bits(
    bits: &mut common::Bits,
    label: &str,
    d: &cxm_core::Durations,
    level: f64,
    transform: Transform,
) {
    let value = |x: Option<f64>| x.unwrap_or(f64::NAN);
    if let Some(km) = &d.curve {
        let band = km.band(level, transform).unwrap();
        for (j, (s, b)) in km.steps.iter().zip(&band).enumerate() {
            let row =
                [s.time, s.at_risk, s.resolved, s.open, s.survival, s.greenwood, b.lower, b.upper];
            bits.line(&format!("{label} step {j}"), &row);
        }
    }
    let percentile =
        |p: &cxm_core::SurvivalPercentile| [value(p.estimate), value(p.lower), value(p.upper)];
    bits.line(&format!("{label} median"), &percentile(&d.median));
    for (m, p) in d.percentiles.iter().enumerate() {
        bits.line(&format!("{label} p{m}"), &percentile(p));
    }
    let mean = d.mean.as_ref();
    let interval = mean.and_then(|m| m.interval);
    #[allow(clippy::cast_precision_loss)] // a count of records
    let summary = [
        d.records as f64,
        d.open,
        value(mean.map(|m| m.estimate)),
        value(mean.map(|m| m.standard_deviation)),
        value(interval.map(|i| i.lower)),
        value(interval.map(|i| i.upper)),
        value(d.within.map(|w| w.share)),
        value(d.within.map(|w| w.interval.lower)),
        value(d.within.map(|w| w.interval.upper)),
    ];
    bits.line(&format!("{label} summary"), &summary);
}

#[test]
fn survival_bits_for_the_other_surfaces() {
    // The same calls as tests/c/test_survival.c and cxm-py/tests/test_durations.py: for each
    // case with its records in the file, durations at each reference's level and transform,
    // the percentiles of the reference, and the share within the first record's time.
    let mut bits = common::Bits::default();
    let doc = vectors("survival");
    for (i, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        let input = &case["input"];
        if input.get("formula").is_some() {
            continue;
        }
        let (times, open, weights) = records(input);
        for (k, r) in case["r"].as_array().unwrap().iter().enumerate() {
            let transform: Transform = r["transform"].as_str().unwrap().parse().unwrap();
            let level = r["level"].as_f64().unwrap();
            let percents: Vec<f64> = r["percentiles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["percent"].as_f64().unwrap())
                .collect();
            let d = cxm_core::durations(
                &times,
                Some(&open),
                weights.as_deref(),
                &percents,
                Some(times[0]),
                level,
                transform,
            )
            .unwrap();
            durations_bits(&mut bits, &format!("km {i}.{k}"), &d, level, transform);
        }
    }
    let doc = vectors("durations");
    for (i, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        let Some(seconds) = case["input"].get("seconds") else { continue };
        let seconds: Vec<f64> = numbers(seconds).into_iter().map(Option::unwrap).collect();
        for (k, e) in case["expected"].as_array().unwrap().iter().enumerate() {
            let level = e["level"].as_f64().unwrap();
            let d = summary_as_expected(&seconds, e);
            durations_bits(&mut bits, &format!("dur {i}.{k}"), &d, level, Transform::LogLog);
        }
    }
    contact_bits(&mut bits);
    bits.save("survival");
}

/// A contacts.json case's records: waits, answered flags, and the percentiles asked for.
fn contact_records(input: &Value) -> (Vec<f64>, Vec<bool>, Vec<f64>) {
    let floats = |v: &Value| numbers(v).into_iter().map(Option::unwrap).collect::<Vec<f64>>();
    let answered =
        input["answered"].as_array().unwrap().iter().map(|b| b.as_bool().unwrap()).collect();
    (floats(&input["wait_seconds"]), answered, floats(&input["percents"]))
}

fn share_matches(got: &cxm_core::ContactShare, want: &Value, what: &str) {
    assert_eq!(
        (got.count, got.of),
        (want["count"].as_u64().unwrap(), want["of"].as_u64().unwrap()),
        "{what}"
    );
    match want["share"].as_f64() {
        None => assert!(got.share.is_nan() && got.interval.lower.is_nan(), "{what}"),
        Some(share) => {
            assert_eq!(got.share, share, "{what}");
            assert!(
                close(got.interval.lower, want["lower"].as_f64().unwrap(), 1e-13),
                "{what} lower"
            );
            assert!(
                close(got.interval.upper, want["upper"].as_f64().unwrap(), 1e-13),
                "{what} upper"
            );
        }
    }
}

#[test]
fn contact_centre_matches_numpy_scipy_and_statsmodels() {
    let doc = vectors("contacts");
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let input = &case["input"];
        let (waits, answered, percents) = contact_records(input);
        for e in case["expected"].as_array().unwrap() {
            let level = e["level"].as_f64().unwrap();
            let c = cxm_core::contact_centre(
                &waits,
                &answered,
                input["short_abandon_seconds"].as_f64(),
                input["service_level_seconds"].as_f64().unwrap(),
                &percents,
                level,
            )
            .unwrap();
            let counts = [c.offered, c.answered, c.abandoned, c.short_abandons];
            let want = ["offered", "answered", "abandoned", "short_abandons"]
                .map(|k| e[k].as_u64().unwrap());
            assert_eq!(counts, want, "{name}");
            share_matches(&c.abandonment, &e["abandonment"], &format!("{name} abandonment"));
            for s in &c.service_levels {
                share_matches(
                    &s.level,
                    &e["service_levels"][s.basis.name()],
                    &format!("{name} {}", s.basis.name()),
                );
            }
            match (&c.speed_of_answer, e["speed_of_answer"].is_null()) {
                (None, true) => {}
                (Some(d), false) => {
                    let want = &e["speed_of_answer"];
                    let mean = d.mean.unwrap();
                    assert!(close(mean.estimate, want["mean"].as_f64().unwrap(), 1e-14), "{name}");
                    if let Some(ci) = want["mean_interval"].as_array() {
                        let got = mean.interval.unwrap();
                        assert!(close(got.lower, ci[0].as_f64().unwrap(), 1e-12), "{name}");
                        assert!(close(got.upper, ci[1].as_f64().unwrap(), 1e-12), "{name}");
                    }
                    for (got, want) in
                        d.percentiles.iter().zip(want["percentiles"].as_array().unwrap())
                    {
                        assert_eq!(got.estimate, want["estimate"].as_f64(), "{name}");
                        assert_eq!(
                            (got.lower, got.upper),
                            (want["lower"].as_f64(), want["upper"].as_f64()),
                            "{name}"
                        );
                    }
                }
                _ => panic!("{name}: speed of answer"),
            }
        }
    }
}

#[test]
fn bad_contact_records_are_named() {
    let err =
        cxm_core::contact_centre(&[3.0, -2.0], &[true, false], None, 20.0, &[], 0.95).unwrap_err();
    assert_eq!(
        err.to_string(),
        "record at index 1 has the wait -2: a wait is a finite number of seconds, 0 or more"
    );
    let err = cxm_core::contact_centre(&[3.0], &[true, false], None, 20.0, &[], 0.95).unwrap_err();
    assert_eq!(err.kind(), "column_length_mismatch");
    let err =
        cxm_core::contact_centre(&[3.0], &[true], Some(f64::NAN), 20.0, &[], 0.95).unwrap_err();
    assert_eq!(err.kind(), "outside_supported_range");
    assert_eq!(
        cxm_core::contact_centre(&[], &[], None, 20.0, &[], 0.95).unwrap_err().kind(),
        "missing_input"
    );
}

/// The contact-centre lines of the survival suite: counts, shares and the speed of answer.
fn contact_bits(bits: &mut common::Bits) {
    let doc = vectors("contacts");
    for (i, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        let input = &case["input"];
        let (waits, answered, percents) = contact_records(input);
        for (k, e) in case["expected"].as_array().unwrap().iter().enumerate() {
            let level = e["level"].as_f64().unwrap();
            let t = input["service_level_seconds"].as_f64().unwrap();
            let c = cxm_core::contact_centre(
                &waits,
                &answered,
                input["short_abandon_seconds"].as_f64(),
                t,
                &percents,
                level,
            )
            .unwrap();
            #[allow(clippy::cast_precision_loss)] // counts of contacts
            let mut row = vec![
                c.offered as f64,
                c.answered as f64,
                c.abandoned as f64,
                c.short_abandons as f64,
            ];
            for s in
                std::iter::once(&c.abandonment).chain(c.service_levels.iter().map(|s| &s.level))
            {
                row.extend([s.share, s.interval.lower, s.interval.upper]);
            }
            bits.line(&format!("contacts {i}.{k}"), &row);
            if let Some(d) = &c.speed_of_answer {
                durations_bits(
                    bits,
                    &format!("contacts {i}.{k} speed"),
                    d,
                    level,
                    Transform::LogLog,
                );
            }
        }
    }
}
